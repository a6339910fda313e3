"""Greedy first-fit placement: the baseline the benchmarks compare against, and the solver's first hint."""

from __future__ import annotations

from collections import defaultdict

from .analysis import Prepared, fits


def first_fit(prepared: Prepared) -> dict[int | str, int]:
    """Locked meetings first, then by priority (and request order), each in the earliest slot where
    both participants are free and a table is open. Returns {meeting id: slot index}."""
    problem = prepared.problem
    weights = prepared.weights()
    busy: dict[tuple[int, int], int | str] = {}
    used: dict[int, int] = defaultdict(int)
    pooled: dict[int, list] = defaultdict(list)
    out: dict[int | str, int] = {}
    order = sorted(
        range(len(problem.meetings)),
        key=lambda i: (problem.meetings[i].locked_slot is None, -weights[problem.meetings[i].id], i),
    )
    for i in order:
        m = problem.meetings[i]
        for s in prepared.candidates[m.id]:
            if fits(prepared, m, s, busy, used, pooled):
                out[m.id] = s
                busy[(m.a, s)] = busy[(m.b, s)] = m.id
                used[s] += 0 if m.online else 1
                if prepared.needs_pool(m):
                    pooled[s].append(m)
                break
    return out
