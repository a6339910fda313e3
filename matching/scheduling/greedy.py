"""Greedy first-fit placement: the baseline the benchmarks compare against, and the solver's first hint."""

from __future__ import annotations

from collections import defaultdict

from .analysis import Prepared


def first_fit(prepared: Prepared) -> dict[int | str, int]:
    """Locked meetings first, then by priority (and request order), each in the earliest slot where
    both participants are free and a table is open. Returns {meeting id: slot index}."""
    problem = prepared.problem
    weights = prepared.weights()
    busy: set[tuple[int, int]] = set()
    used: dict[int, int] = defaultdict(int)
    out: dict[int | str, int] = {}
    order = sorted(
        range(len(problem.meetings)),
        key=lambda i: (problem.meetings[i].locked_slot is None, -weights[problem.meetings[i].id], i),
    )
    for i in order:
        m = problem.meetings[i]
        for s in prepared.candidates[m.id]:
            if (m.a, s) not in busy and (m.b, s) not in busy and used[s] < problem.capacity(s):
                out[m.id] = s
                busy.add((m.a, s))
                busy.add((m.b, s))
                used[s] += 1
                break
    return out
