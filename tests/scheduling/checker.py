"""An independent check of a scheduler result, written from the problem statement, not from the solver.

It reads only the problem dataclasses and the public fields of the result, and re-derives everything
else (table capacities, allowed slots, breaks, fairness) on its own, so a mistake shared by the solver
and its helpers in matching.scheduling.analysis cannot hide here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from itertools import pairwise

from matching.scheduling.problem import Meeting, Problem

STATUSES = ("optimal", "feasible", "infeasible")


def capacity(problem: Problem, slot: int) -> int:
    """Tables in a slot: one count for the whole day, or a per-slot capacity where a missing slot has none."""
    if isinstance(problem.tables, Mapping):
        return int(problem.tables.get(slot, 0))
    return int(problem.tables)


def session_of(problem: Problem, slot: int) -> str:
    return next(s.session for s in problem.slots if s.index == slot)


def unavailable_slots(problem: Problem) -> dict[int, frozenset[int]]:
    return {p.id: frozenset(p.unavailable) for p in problem.participants}


def obeys_rules(problem: Problem, meeting: Meeting, slot: int) -> bool:
    """May the meeting take this slot at all, looking at nobody else's meetings? Its session, its fixed
    slot, both participants' unavailable slots, and at least one table."""
    unavailable = unavailable_slots(problem)
    return (
        meeting.session in ("any", session_of(problem, slot))
        and meeting.fixed_slot in (None, slot)
        and meeting.locked_slot in (None, slot)
        and slot not in unavailable[meeting.a]
        and slot not in unavailable[meeting.b]
        and capacity(problem, slot) > 0
    )


def possible_slots(problem: Problem, meeting: Meeting) -> list[int]:
    """The slots the meeting may take on its own, in the order of the day."""
    return [s.index for s in problem.slots if obeys_rules(problem, meeting, s.index)]


def lock_conflicts(problem: Problem) -> list[str]:
    """Why the locked (already confirmed) meetings cannot all stand as they are, or [] if they can."""
    out = []
    locked = [m for m in problem.meetings if m.locked_slot is not None]
    people: Counter[tuple[int, int]] = Counter()
    per_slot: Counter[int] = Counter()
    tables: Counter[tuple[int, int]] = Counter()
    for m in locked:
        s = m.locked_slot
        if not obeys_rules(problem, m, s):
            out.append(f"locked meeting {m.id} breaks a rule in slot {s}")
        people.update([(m.a, s), (m.b, s)])
        per_slot[s] += 1
        if m.locked_table is not None:
            if not 1 <= m.locked_table <= capacity(problem, s):
                out.append(f"locked meeting {m.id} is at table {m.locked_table}, outside slot {s}'s tables")
            tables[(s, m.locked_table)] += 1
    out += [
        f"participant {who} has {n} locked meetings in slot {s}" for (who, s), n in people.items() if n > 1
    ]
    out += [f"slot {s} has {n} locked meetings" for s, n in per_slot.items() if n > capacity(problem, s)]
    out += [f"table {t} in slot {s} is locked {n} times" for (s, t), n in tables.items() if n > 1]
    return out


def breaks_of(problem: Problem, slot_of: Mapping[int | str, int]) -> dict[int, int]:
    """Breaks per participant with at least one meeting: idle gaps between two of their consecutive
    meetings, slots taken in the order of `problem.slots` (meetings in the 3rd, 4th and 7th slot make one)."""
    position = {s.index: i for i, s in enumerate(problem.slots)}
    meetings = {m.id: m for m in problem.meetings}
    busy: dict[int, list[int]] = defaultdict(list)
    for mid, s in slot_of.items():
        busy[meetings[mid].a].append(position[s])
        busy[meetings[mid].b].append(position[s])
    out = {}
    for who, positions in busy.items():
        positions.sort()
        out[who] = sum(1 for before, after in pairwise(positions) if after > before + 1)
    return out


def spread(breaks: Mapping[int, int]) -> int:
    return max(breaks.values()) - min(breaks.values()) if breaks else 0


def fairness_excess(problem: Problem, breaks: Mapping[int, int]) -> int:
    """How far the spread of break counts goes beyond the allowed fairness (0 when fair or switched off)."""
    if problem.fairness is None:
        return 0
    return max(0, spread(breaks) - problem.fairness)


def violations(problem: Problem, result) -> list[str]:
    """Every way in which `result` is not a feasible, self-consistent answer to `problem` ([] if none)."""
    errors: list[str] = []
    meetings = {m.id: m for m in problem.meetings}
    slots = {s.index for s in problem.slots}
    conflicts = lock_conflicts(problem)
    unavailable = unavailable_slots(problem)

    if result.status not in STATUSES:
        errors.append(f"unknown status {result.status!r}")
    if result.proven_optimal != (result.status == "optimal"):
        errors.append(f"proven_optimal is {result.proven_optimal} with status {result.status!r}")
    if result.status == "infeasible":
        if not conflicts:
            errors.append("status infeasible, but the locked meetings obey every rule together")
        if result.placements:
            errors.append("an infeasible result still places meetings")
        return errors
    if conflicts:
        errors.append(f"the locked meetings clash ({'; '.join(conflicts)}) but the status is {result.status}")

    slot_of: dict[int | str, int] = {}
    people: set[tuple[int, int]] = set()
    tables: set[tuple[int, int]] = set()
    for p in result.placements:
        m = meetings.get(p.meeting_id)
        if m is None:
            errors.append(f"placement of unknown meeting {p.meeting_id!r}")
            continue
        if p.meeting_id in slot_of:
            errors.append(f"meeting {m.id} is placed twice")
        slot_of[m.id] = p.slot
        if (p.a, p.b) != (m.a, m.b):
            errors.append(f"meeting {m.id} is between {m.a} and {m.b}, placed as {p.a} and {p.b}")
        if p.slot not in slots:
            errors.append(f"meeting {m.id} is in unknown slot {p.slot}")
            continue
        if m.session not in ("any", session_of(problem, p.slot)):
            errors.append(f"meeting {m.id} ({m.session}) is in slot {p.slot} of the other session")
        if m.fixed_slot not in (None, p.slot):
            errors.append(f"meeting {m.id} is fixed to slot {m.fixed_slot}, placed in {p.slot}")
        for who in (m.a, m.b):
            if p.slot in unavailable[who]:
                errors.append(f"meeting {m.id} is in slot {p.slot}, where participant {who} is unavailable")
            if (who, p.slot) in people:
                errors.append(f"participant {who} has two meetings in slot {p.slot}")
            people.add((who, p.slot))
        if not 1 <= p.table <= capacity(problem, p.slot):
            errors.append(
                f"meeting {m.id} is at table {p.table}; slot {p.slot} has 1..{capacity(problem, p.slot)}"
            )
        if (p.slot, p.table) in tables:
            errors.append(f"table {p.table} holds two meetings in slot {p.slot}")
        tables.add((p.slot, p.table))
        if p.locked != (m.locked_slot is not None):
            errors.append(f"meeting {m.id} is reported {'' if p.locked else 'not '}locked")
        if m.locked_slot is not None and p.slot != m.locked_slot:
            errors.append(f"meeting {m.id} is locked in slot {m.locked_slot}, moved to {p.slot}")
        if m.locked_table is not None and p.table != m.locked_table:
            errors.append(f"meeting {m.id} is locked at table {m.locked_table}, moved to {p.table}")

    left_out = Counter(u.meeting_id for u in result.unplaced)
    for u in result.unplaced:
        m = meetings.get(u.meeting_id)
        if m is None:
            errors.append(f"unknown meeting {u.meeting_id!r} reported unplaced")
            continue
        if (u.a, u.b) != (m.a, m.b):
            errors.append(f"unplaced meeting {m.id} is between {m.a} and {m.b}, reported as {u.a} and {u.b}")
        if not (isinstance(u.code, str) and u.code and isinstance(u.reason, str) and u.reason):
            errors.append(f"unplaced meeting {m.id} has no code or reason")
    for mid, n in left_out.items():
        if n > 1:
            errors.append(f"meeting {mid!r} is reported unplaced {n} times")
        if mid in slot_of:
            errors.append(f"meeting {mid!r} is both placed and unplaced")
    for mid, m in meetings.items():
        if mid not in slot_of and mid not in left_out:
            errors.append(f"meeting {mid!r} is neither placed nor unplaced")
        if m.locked_slot is not None and mid not in slot_of:
            errors.append(f"locked meeting {mid!r} is not placed")

    breaks = breaks_of(problem, {mid: s for mid, s in slot_of.items() if s in slots})
    total = sum(breaks.values())
    if dict(result.breaks) != breaks:
        errors.append(f"breaks are {dict(result.breaks)}, recounted {breaks}")
    if result.total_breaks != total:
        errors.append(f"total_breaks is {result.total_breaks}, recounted {total}")
    if result.fairness_spread != spread(breaks):
        errors.append(f"fairness_spread is {result.fairness_spread}, recounted {spread(breaks)}")
    fair = problem.fairness is None or spread(breaks) <= problem.fairness
    if result.fairness_met != fair:
        errors.append(f"fairness_met is {result.fairness_met}, but the spread is {spread(breaks)}")
    if not 0 <= result.breaks_lower_bound <= result.total_breaks:
        errors.append(f"breaks_lower_bound {result.breaks_lower_bound} is outside 0..{result.total_breaks}")
    return errors


def fitting_left_outs(problem: Problem, result) -> list[str]:
    """Unplaced meetings that would fit into the schedule exactly as it stands: a slot they may take,
    both participants free there and a table open. A scheduler that places as many meetings as it can
    never leaves one."""
    meetings = {m.id: m for m in problem.meetings}
    busy = {(who, p.slot) for p in result.placements for who in (p.a, p.b)}
    used = Counter(p.slot for p in result.placements)
    out = []
    for u in result.unplaced:
        m = meetings[u.meeting_id]
        for s in possible_slots(problem, m):
            if (m.a, s) not in busy and (m.b, s) not in busy and used[s] < capacity(problem, s):
                out.append(f"meeting {m.id} ({u.code}) fits in slot {s}")
    return out


def assert_feasible(problem: Problem, result) -> None:
    errors = violations(problem, result)
    assert not errors, "\n".join(errors)
