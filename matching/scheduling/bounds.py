"""Bounds that need no full solve: each participant's fewest possible breaks, and a max-flow ceiling on
how many meetings can be placed at all."""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from .analysis import Prepared, perfect_matching, run_lengths
from .problem import Meeting


def least_breaks(prepared: Prepared, meetings: list[Meeting], seconds: float = 5.0) -> dict[int, int]:
    """For every participant, the fewest breaks their own meetings allow if all are placed, looking at
    that participant alone (sessions, fixed slots, both sides' unavailability). Summed, a lower bound
    on the total; a participant whose meetings cannot all fit even alone gets 0, and so does anyone
    left when `seconds` run out (0 is always a valid bound)."""
    own: dict[int, list[Meeting]] = defaultdict(list)
    for m in meetings:
        own[m.a].append(m)
        own[m.b].append(m)
    deadline = time.monotonic() + seconds
    return {who: _least_for(prepared, ms) if time.monotonic() < deadline else 0 for who, ms in own.items()}


def _least_for(prepared: Prepared, ms: list[Meeting]) -> int:
    n, k = len(prepared.order), len(ms)
    options = [{prepared.pos[s] for s in prepared.candidates[m.id]} for m in ms]
    usable = set().union(*options)
    # Checked by matching first: to a SAT solver "k meetings, fewer slots" is a hard pigeonhole problem.
    if k > len(usable) or not perfect_matching(options, usable):
        return 0
    for t in range(n - k + 1):
        window = range(t, t + k)
        if all(j in usable for j in window) and perfect_matching(options, set(window)):
            return 0
    # Rare (a forbidden slot or a session cuts every window): a tiny exact model settles it.
    model = cp_model.CpModel()
    x = [{j: model.new_bool_var("") for j in opts} for opts in options]
    for row in x:
        model.add_exactly_one(row.values())
    busy = {}
    for j in sorted(usable):
        here = [row[j] for row in x if j in row]
        busy[j] = model.new_bool_var("")
        model.add(sum(here) == busy[j])
    starts = []
    for j, b in busy.items():
        if j - 1 in busy:
            st = model.new_bool_var("")
            model.add_bool_or([~b, busy[j - 1], st])
            starts.append(st)
        else:
            starts.append(b)
    model.add(sum(starts) >= _fewest_runs(usable, k))  # counting the solver would find slowly
    model.minimize(sum(starts))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 0.5
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return 0
    return max(0, int(round(solver.best_objective_bound + 0.4999)) - 1)


def _fewest_runs(positions: set[int], k: int) -> int:
    """Fewest runs of consecutive usable positions that hold k meetings (longest runs first)."""
    runs = sorted(run_lengths(positions), reverse=True)
    total = 0
    for used, length in enumerate(runs, start=1):
        total += length
        if total >= k:
            return used
    return len(runs)


def placement_upper_bound(prepared: Prepared) -> int:
    """No schedule places more meetings than this: the smaller of two max-flow relaxations.

    1. Meetings into slots: each meeting once, each slot at most available people / 2 meetings, of
       them at most its tables in person.
    2. Meetings onto people: each participant in at most as many meetings as they have usable slots
       (a fractional b-matching, solved as a flow on the bipartite double cover, halved).
    """
    problem = prepared.problem
    meetings = [m for m in problem.meetings if prepared.candidates[m.id]]
    if not meetings:
        return 0
    people_in_slot: dict[int, set[int]] = defaultdict(set)
    usable: dict[int, set[int]] = defaultdict(set)
    for m in meetings:
        for s in prepared.candidates[m.id]:
            people_in_slot[s].update((m.a, m.b))
            usable[m.a].add(s)
            usable[m.b].add(s)

    flow = max_flow.SimpleMaxFlow()
    source, sink = 0, 1
    # In-person meetings reach a slot through its tables; online ones straight.
    slot_node = {s: 2 + i for i, s in enumerate(prepared.order)}
    table_node = {s: 2 + len(slot_node) + i for i, s in enumerate(prepared.order)}
    base = 2 + 2 * len(slot_node)
    for i, m in enumerate(meetings):
        flow.add_arc_with_capacity(source, base + i, 1)
        for s in prepared.candidates[m.id]:
            flow.add_arc_with_capacity(base + i, slot_node[s] if m.online else table_node[s], 1)
    for s, node in slot_node.items():
        flow.add_arc_with_capacity(table_node[s], node, problem.capacity(s))
        flow.add_arc_with_capacity(node, sink, len(people_in_slot[s]) // 2)
    flow.solve(source, sink)
    by_slots = flow.optimal_flow()

    flow = max_flow.SimpleMaxFlow()
    people = sorted(usable)
    left = {p: 2 + i for i, p in enumerate(people)}
    right = {p: 2 + len(people) + i for i, p in enumerate(people)}
    for p in people:
        flow.add_arc_with_capacity(source, left[p], len(usable[p]))
        flow.add_arc_with_capacity(right[p], sink, len(usable[p]))
    for m in meetings:
        flow.add_arc_with_capacity(left[m.a], right[m.b], 1)
        flow.add_arc_with_capacity(left[m.b], right[m.a], 1)
    flow.solve(source, sink)
    by_people = flow.optimal_flow() // 2
    return min(by_slots, by_people, len(meetings))
