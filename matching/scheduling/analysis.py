"""What every scheduler here shares: candidate slots, lock checks, break counting, tables, diagnosis."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .problem import Meeting, Problem


@dataclass(frozen=True)
class Placement:
    meeting_id: int | str
    a: int
    b: int
    slot: int
    table: int
    locked: bool = False


@dataclass(frozen=True)
class Unplaced:
    """A meeting left out. `code` is stable for programs; `reason` is for people (English)."""

    meeting_id: int | str
    a: int
    b: int
    code: str
    reason: str


class Prepared:
    """The problem reduced to what a solver needs: for each meeting the slots it could take at all."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.order = [s.index for s in problem.slots]
        self.pos = {s: i for i, s in enumerate(self.order)}
        self.unavailable = {p.id: p.unavailable for p in problem.participants}
        self.by_id = {m.id: m for m in problem.meetings}
        self.candidates: dict[int | str, list[int]] = {}
        for m in problem.meetings:
            if m.locked_slot is not None:
                self.candidates[m.id] = [m.locked_slot]
                continue
            self.candidates[m.id] = [
                s
                for s in problem.allowed_slots(m)
                if problem.capacity(s) > 0
                and s not in self.unavailable[m.a]
                and s not in self.unavailable[m.b]
            ]
        self.locked = [m for m in problem.meetings if m.locked_slot is not None]
        self.conflicts = self._lock_conflicts()

    def _lock_conflicts(self) -> list[str]:
        """Locked meetings are confirmed: they must obey every rule on their own, or nothing can be solved."""
        problem, out = self.problem, []
        seen: dict[tuple[int, int], int | str] = {}
        per_slot: dict[int, int] = defaultdict(int)
        tables: dict[tuple[int, int], int | str] = {}
        for m in self.locked:
            s = m.locked_slot
            session = next(x.session for x in problem.slots if x.index == s)
            if m.session != "any" and m.session != session:
                out.append(f"meeting {m.id} is locked in slot {s}, outside its {m.session} session")
            if m.fixed_slot is not None and m.fixed_slot != s:
                out.append(f"meeting {m.id} is locked in slot {s} but fixed to slot {m.fixed_slot}")
            for who in (m.a, m.b):
                if s in self.unavailable[who]:
                    out.append(
                        f"meeting {m.id} is locked in slot {s}, where participant {who} is unavailable"
                    )
                if (who, s) in seen:
                    out.append(
                        f"participant {who} has locked meetings {seen[(who, s)]} and {m.id} in slot {s}"
                    )
                seen[(who, s)] = m.id
            per_slot[s] += 1
            if m.locked_table is not None:
                if not 1 <= m.locked_table <= problem.capacity(s):
                    out.append(
                        f"meeting {m.id} is locked at table {m.locked_table}, "
                        f"but slot {s} has tables 1..{problem.capacity(s)}"
                    )
                if (s, m.locked_table) in tables:
                    out.append(
                        f"meetings {tables[(s, m.locked_table)]} and {m.id} are locked "
                        f"at table {m.locked_table} in slot {s}"
                    )
                tables[(s, m.locked_table)] = m.id
        for s, n in per_slot.items():
            if n > problem.capacity(s):
                out.append(f"slot {s} has {n} locked meetings for {problem.capacity(s)} tables")
        return out

    def weights(self) -> dict[int | str, int]:
        """Placement weights that rank every "must" meeting above all other meetings together."""
        others = sum(m.weight for m in self.problem.meetings if not m.is_must)
        return {m.id: (others + 1 if m.is_must else m.weight) for m in self.problem.meetings}

    def max_blocks(self, slots: list[int]) -> int:
        """Most separate runs of meetings `slots` can hold (every other slot in each run)."""
        return sum((length + 1) // 2 for length in run_lengths(self.pos[s] for s in slots))


def run_lengths(positions) -> list[int]:
    """Lengths of the runs of consecutive numbers among `positions`, in order."""
    runs: list[int] = []
    previous = None
    for p in sorted(set(positions)):
        if previous is not None and p == previous + 1:
            runs[-1] += 1
        else:
            runs.append(1)
        previous = p
    return runs


def breaks_of(prepared: Prepared, slot_of: dict[int | str, int]) -> dict[int, int]:
    """Idle gaps between consecutive meetings, for each participant with at least one placed meeting
    (the same count as the benchmark's verify.py)."""
    by_person: dict[int, list[int]] = defaultdict(list)
    for mid, s in slot_of.items():
        m = prepared.by_id[mid]
        by_person[m.a].append(prepared.pos[s])
        by_person[m.b].append(prepared.pos[s])
    out = {}
    for pid, ps in by_person.items():
        ps.sort()
        out[pid] = sum(1 for x, y in zip(ps, ps[1:], strict=False) if y != x + 1)
    return out


def occupancy(prepared: Prepared, slot_of: dict[int | str, int]):
    busy: dict[tuple[int, int], int | str] = {}
    used: dict[int, int] = defaultdict(int)
    for mid, s in slot_of.items():
        m = prepared.by_id[mid]
        busy[(m.a, s)] = mid
        busy[(m.b, s)] = mid
        used[s] += 1
    return busy, used


def fill_gaps(prepared: Prepared, slot_of: dict[int | str, int]) -> dict[int | str, int]:
    """Add, by priority, any unplaced meeting that still fits somewhere (only possible after a time-out),
    choosing the slot that adds the fewest breaks."""
    out = dict(slot_of)
    busy, used = occupancy(prepared, out)
    weights = prepared.weights()
    rest = [m for m in prepared.problem.meetings if m.id not in out and prepared.candidates[m.id]]
    rest.sort(key=lambda m: -weights[m.id])
    cap = prepared.problem.capacity
    order = prepared.order
    for m in rest:
        free = [
            s
            for s in prepared.candidates[m.id]
            if (m.a, s) not in busy and (m.b, s) not in busy and used[s] < cap(s)
        ]
        if not free:
            continue

        def neighbours(s, m=m):
            i = prepared.pos[s]
            near = [order[j] for j in (i - 1, i + 1) if 0 <= j < len(order)]
            return -sum(1 for who in (m.a, m.b) for t in near if (who, t) in busy)

        s = min(free, key=lambda s: (neighbours(s), prepared.pos[s]))
        out[m.id] = s
        busy[(m.a, s)] = busy[(m.b, s)] = m.id
        used[s] += 1
    return out


def assign_tables(prepared: Prepared, slot_of: dict[int | str, int]) -> list[Placement]:
    """Number the tables in each slot. Locked tables stay; otherwise a participant keeps the table of
    their previous meeting where it is free, so a company can stay seated while buyers rotate."""
    problem = prepared.problem
    by_slot: dict[int, list[Meeting]] = defaultdict(list)
    for mid, s in slot_of.items():
        by_slot[s].append(prepared.by_id[mid])
    last_table: dict[int, int] = {}
    out: list[Placement] = []
    for s in prepared.order:
        here = by_slot.get(s, [])
        taken: dict[int, Meeting] = {}
        table_of: dict[int | str, int] = {}
        for m in here:
            if m.locked_slot is not None and m.locked_table is not None:
                taken[m.locked_table] = m
                table_of[m.id] = m.locked_table
        # Meetings whose participants have a usual table go first, so those tables are not given away.
        rest = sorted(
            (m for m in here if m.id not in table_of),
            key=lambda m: m.a not in last_table and m.b not in last_table,
        )
        for m in rest:
            for who in (m.a, m.b):
                t = last_table.get(who)
                if t is not None and t not in taken and t <= problem.capacity(s):
                    taken[t] = m
                    table_of[m.id] = t
                    break
        free = iter(t for t in range(1, problem.capacity(s) + 1) if t not in taken)
        for m in rest:
            if m.id not in table_of:
                t = next(free)
                taken[t] = m
                table_of[m.id] = t
        for m in here:
            t = table_of[m.id]
            last_table[m.a] = last_table[m.b] = t
            out.append(Placement(m.id, m.a, m.b, s, t, locked=m.locked_slot is not None))
    return out


def diagnose(prepared: Prepared, slot_of: dict[int | str, int]) -> list[Unplaced]:
    """Why each unplaced meeting is out, judged on the final schedule."""
    problem = prepared.problem
    busy, used = occupancy(prepared, slot_of)
    out = []
    for m in problem.meetings:
        if m.id in slot_of:
            continue
        code, reason = _why(prepared, m, busy, used)
        out.append(Unplaced(m.id, m.a, m.b, code, reason))
    return out


def _slots_text(slots) -> str:
    slots = list(slots)
    word = "slot" if len(slots) == 1 else "slots"
    return f"{word} " + ", ".join(str(s) for s in slots)


def _why(prepared: Prepared, m: Meeting, busy, used) -> tuple[str, str]:
    problem = prepared.problem
    allowed = problem.allowed_slots(m)
    if not allowed:
        if m.fixed_slot is not None:
            return "no_slot", f"its fixed slot {m.fixed_slot} is outside its {m.session} session"
        return "no_slot", f"there is no {m.session} slot"
    with_tables = [s for s in allowed if problem.capacity(s) > 0]
    if not with_tables:
        return "no_table", f"there are no tables in its allowed {_slots_text(allowed)}"
    for who in (m.a, m.b):
        if all(s in prepared.unavailable[who] for s in with_tables):
            return "unavailable", f"participant {who} is unavailable in every allowed slot"
    candidates = prepared.candidates[m.id]
    if not candidates:
        return (
            "never_free_together",
            f"participants {m.a} and {m.b} are never available in the same allowed slot",
        )
    both_free = [s for s in candidates if (m.a, s) not in busy and (m.b, s) not in busy]
    if not both_free:
        return "busy", "no slot left where both are free (" + _busy_text(m, candidates, busy) + ")"
    open_ = [s for s in both_free if used[s] < problem.capacity(s)]
    if not open_:
        return "tables_full", f"tables full in every slot where both are free ({_slots_text(both_free)})"
    return "time_limit", f"the time limit ran out before it was placed (free in {_slots_text(open_)})"


def _busy_text(m: Meeting, candidates, busy) -> str:
    parts = []
    for who in (m.a, m.b):
        taken = [s for s in candidates if (who, s) in busy]
        if taken:
            parts.append(f"participant {who} meets others in {_slots_text(taken)}")
    return "; ".join(parts)
