"""What every scheduler here shares: candidate slots, lock checks, break counting, tables, diagnosis."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from .problem import Meeting, Problem


@dataclass(frozen=True)
class Placement:
    meeting_id: int | str
    a: int
    b: int
    slot: int
    table: int | None  # None for an online meeting
    locked: bool = False
    interpreter: int | None = None


@dataclass(frozen=True)
class Unplaced:
    """A meeting left out. `code` is stable for programs; `reason` is for people (English)."""

    meeting_id: int | str
    a: int
    b: int
    code: str
    reason: str


# Hall's condition is written out for every subset of up to this many connected languages in a slot;
# beyond, per-language and per-group counts only (necessary, not sufficient; the final matching decides).
HALL_LANGUAGES = 6


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
                if (m.online or problem.capacity(s) > 0)
                and s not in self.unavailable[m.a]
                and s not in self.unavailable[m.b]
                and (m.interpreter_language is None or problem.interpreters_for(m.interpreter_language, s))
            ]
        self.locked = [m for m in problem.meetings if m.locked_slot is not None]
        self.conflicts = self._lock_conflicts()
        # Interpreters confirmed for locked meetings serve nobody else in that slot.
        self.locked_interpreters = {
            (m.locked_slot, m.locked_interpreter) for m in self.locked if m.locked_interpreter is not None
        }

    def needs_pool(self, m: Meeting) -> bool:
        """Does the meeting draw on the slot's shared interpreters (a language, no interpreter locked)?"""
        return m.interpreter_language is not None and m.locked_interpreter is None

    def pool(self, slot: int) -> list:
        """Interpreters free to be given to meetings in `slot`."""
        return [
            i
            for i in self.problem.interpreters
            if slot not in i.unavailable and (slot, i.id) not in self.locked_interpreters
        ]

    def interpreter_limits(self, slot: int, languages) -> list[tuple[frozenset[str], int]]:
        """Hall's condition for the slot: for each set L of the `languages` needed there, the meetings
        needing a language of L may not outnumber the interpreters covering some language of L. Languages
        fall into groups linked by bilingual interpreters; sets spanning two groups add nothing, so only
        subsets of each group are listed (all of them up to HALL_LANGUAGES languages a group)."""
        pool = self.pool(slot)
        languages = sorted(set(languages))
        group = {lang: lang for lang in languages}

        def find(lang):
            while group[lang] != lang:
                group[lang] = group[group[lang]]
                lang = group[lang]
            return lang

        for i in pool:
            covered = [lang for lang in languages if lang in i.languages]
            for lang in covered[1:]:
                group[find(lang)] = find(covered[0])
        groups: dict[str, list[str]] = defaultdict(list)
        for lang in languages:
            groups[find(lang)].append(lang)
        subsets: list[frozenset[str]] = []
        for members in groups.values():
            if len(members) <= HALL_LANGUAGES:
                for size in range(1, len(members) + 1):
                    subsets.extend(frozenset(c) for c in combinations(members, size))
            else:
                subsets.extend(frozenset([lang]) for lang in members)
                subsets.append(frozenset(members))
        return [(subset, sum(1 for i in pool if i.languages & subset)) for subset in subsets]

    def _lock_conflicts(self) -> list[str]:
        """Locked meetings are confirmed: they must obey every rule on their own, or nothing can be solved."""
        problem, out = self.problem, []
        seen: dict[tuple[int, int], int | str] = {}
        per_slot: dict[int, int] = defaultdict(int)
        tables: dict[tuple[int, int], int | str] = {}
        interpreters: dict[tuple[int, int], int | str] = {}
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
            per_slot[s] += 0 if m.online else 1
            if m.locked_interpreter is not None:
                interpreter = next(i for i in problem.interpreters if i.id == m.locked_interpreter)
                if m.interpreter_language not in interpreter.languages:
                    out.append(
                        f"meeting {m.id} is locked with interpreter {interpreter.id}, "
                        f"who does not cover {m.interpreter_language}"
                    )
                if s in interpreter.unavailable:
                    out.append(
                        f"meeting {m.id} is locked with interpreter {interpreter.id}, "
                        f"who is unavailable in slot {s}"
                    )
                if (s, interpreter.id) in interpreters:
                    out.append(
                        f"meetings {interpreters[(s, interpreter.id)]} and {m.id} are locked "
                        f"with interpreter {interpreter.id} in slot {s}"
                    )
                interpreters[(s, interpreter.id)] = m.id
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
        for s in sorted({m.locked_slot for m in self.locked}, key=self.pos.get):
            here = [m for m in self.locked if m.locked_slot == s and self.needs_pool(m)]
            if here and len(match_interpreters(self, s, here)) < len(here):
                out.append(
                    f"slot {s} has more locked meetings needing an interpreter than interpreters for them"
                )
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


def perfect_matching(options: list[set[int]], slots: set[int]) -> bool:
    """Can every meeting get its own slot among `slots` (Kuhn's augmenting paths; k <= a few dozen)."""
    owner: dict[int, int] = {}

    def augment(i, seen):
        for j in options[i]:
            if j in slots and j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return all(augment(i, set()) for i in range(len(options)))


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


def unfairness(breaks: dict[int, int], fairness: int | None) -> int:
    """How far the spread of per-participant break counts exceeds `fairness` (0: fair, or no limit)."""
    if fairness is None or not breaks:
        return 0
    return max(0, max(breaks.values()) - min(breaks.values()) - fairness)


def occupancy(prepared: Prepared, slot_of: dict[int | str, int]):
    """Who is busy when, and how many tables each slot has in use."""
    busy: dict[tuple[int, int], int | str] = {}
    used: dict[int, int] = defaultdict(int)
    for mid, s in slot_of.items():
        m = prepared.by_id[mid]
        busy[(m.a, s)] = mid
        busy[(m.b, s)] = mid
        used[s] += 0 if m.online else 1
    return busy, used


def match_interpreters(prepared: Prepared, slot: int, meetings: list[Meeting]) -> dict[int | str, int]:
    """Give interpreters of the slot's pool to as many of `meetings` (all needing one from the pool) as
    possible: {meeting id: interpreter id} (augmenting paths; a slot holds a few dozen at most)."""
    pool = prepared.pool(slot)
    owner: dict[int, int] = {}  # interpreter index -> meeting index

    def augment(k, seen):
        lang = meetings[k].interpreter_language
        for j, i in enumerate(pool):
            if lang in i.languages and j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = k
                    return True
        return False

    for k in range(len(meetings)):
        augment(k, set())
    return {meetings[k].id: pool[j].id for j, k in owner.items()}


def fits(prepared: Prepared, m: Meeting, s: int, busy, used, pooled) -> bool:
    """Can `m` join slot `s` as it stands? `pooled[s]` lists the meetings there drawing on interpreters."""
    if (m.a, s) in busy or (m.b, s) in busy:
        return False
    if not m.online and used[s] >= prepared.problem.capacity(s):
        return False
    if prepared.needs_pool(m):
        here = [*pooled[s], m]
        return len(match_interpreters(prepared, s, here)) == len(here)
    return True


def pooled_meetings(prepared: Prepared, slot_of: dict[int | str, int]) -> dict[int, list[Meeting]]:
    out: dict[int, list[Meeting]] = defaultdict(list)
    for mid, s in slot_of.items():
        m = prepared.by_id[mid]
        if prepared.needs_pool(m):
            out[s].append(m)
    return out


def fill_gaps(prepared: Prepared, slot_of: dict[int | str, int]) -> dict[int | str, int]:
    """Add, by priority, any unplaced meeting that still fits somewhere (only possible after a time-out),
    choosing the slot that adds the fewest breaks."""
    out = dict(slot_of)
    busy, used = occupancy(prepared, out)
    pooled = pooled_meetings(prepared, out)
    weights = prepared.weights()
    rest = [m for m in prepared.problem.meetings if m.id not in out and prepared.candidates[m.id]]
    rest.sort(key=lambda m: -weights[m.id])
    order = prepared.order
    for m in rest:
        free = [s for s in prepared.candidates[m.id] if fits(prepared, m, s, busy, used, pooled)]
        if not free:
            continue

        def neighbours(s, m=m):
            i = prepared.pos[s]
            near = [order[j] for j in (i - 1, i + 1) if 0 <= j < len(order)]
            return -sum(1 for who in (m.a, m.b) for t in near if (who, t) in busy)

        s = min(free, key=lambda s: (neighbours(s), prepared.pos[s]))
        out[m.id] = s
        busy[(m.a, s)] = busy[(m.b, s)] = m.id
        used[s] += 0 if m.online else 1
        if prepared.needs_pool(m):
            pooled[s].append(m)
    return out


def drop_unmatched(prepared: Prepared, slot_of: dict[int | str, int]) -> dict[int | str, int]:
    """`slot_of` without the meetings that get no interpreter in the final matching. The models state
    Hall's condition exactly, so this drops nothing unless a slot had more connected languages than
    HALL_LANGUAGES."""
    out = dict(slot_of)
    for s, here in pooled_meetings(prepared, slot_of).items():
        matched = match_interpreters(prepared, s, here)
        for m in here:
            if m.id not in matched:
                del out[m.id]
    return out


def assign_tables(prepared: Prepared, slot_of: dict[int | str, int]) -> list[Placement]:
    """Number the tables in each slot and give each meeting needing one its interpreter. Locked tables and
    interpreters stay; otherwise a participant keeps the table of their previous meeting where it is free,
    so a company can stay seated while buyers rotate. Online meetings get no table."""
    problem = prepared.problem
    by_slot: dict[int, list[Meeting]] = defaultdict(list)
    for mid, s in slot_of.items():
        by_slot[s].append(prepared.by_id[mid])
    last_table: dict[int, int] = {}
    out: list[Placement] = []
    for s in prepared.order:
        everyone = by_slot.get(s, [])
        interpreter_of = match_interpreters(prepared, s, [m for m in everyone if prepared.needs_pool(m)])
        here = [m for m in everyone if not m.online]
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
        for m in everyone:
            t = table_of.get(m.id)
            if t is not None:
                last_table[m.a] = last_table[m.b] = t
            interpreter = m.locked_interpreter
            if interpreter is None:
                interpreter = interpreter_of.get(m.id)
            locked = m.locked_slot is not None
            out.append(Placement(m.id, m.a, m.b, s, t, locked=locked, interpreter=interpreter))
    return out


def diagnose(prepared: Prepared, slot_of: dict[int | str, int]) -> list[Unplaced]:
    """Why each unplaced meeting is out, judged on the final schedule."""
    problem = prepared.problem
    busy, used = occupancy(prepared, slot_of)
    pooled = pooled_meetings(prepared, slot_of)
    out = []
    for m in problem.meetings:
        if m.id in slot_of:
            continue
        code, reason = _why(prepared, m, busy, used, pooled)
        out.append(Unplaced(m.id, m.a, m.b, code, reason))
    return out


def _slots_text(slots) -> str:
    slots = list(slots)
    word = "slot" if len(slots) == 1 else "slots"
    return f"{word} " + ", ".join(str(s) for s in slots)


def _why(prepared: Prepared, m: Meeting, busy, used, pooled) -> tuple[str, str]:
    problem = prepared.problem
    allowed = problem.allowed_slots(m)
    if not allowed:
        if m.fixed_slot is not None:
            return "no_slot", f"its fixed slot {m.fixed_slot} is outside its {m.session} session"
        return "no_slot", f"there is no {m.session} slot"
    with_tables = [s for s in allowed if m.online or problem.capacity(s) > 0]
    if not with_tables:
        return "no_table", f"there are no tables in its allowed {_slots_text(allowed)}"
    for who in (m.a, m.b):
        if all(s in prepared.unavailable[who] for s in with_tables):
            return "unavailable", f"participant {who} is unavailable in every allowed slot"
    candidates = prepared.candidates[m.id]
    no_interpreter = (
        "no_interpreter",
        f"no interpreter for {m.interpreter_language} in the slots where both are free",
    )
    together = [
        s for s in with_tables if s not in prepared.unavailable[m.a] and s not in prepared.unavailable[m.b]
    ]
    if not candidates and together and m.interpreter_language is not None:
        return no_interpreter
    if not candidates:
        return (
            "never_free_together",
            f"participants {m.a} and {m.b} are never available in the same allowed slot",
        )
    both_free = [s for s in candidates if (m.a, s) not in busy and (m.b, s) not in busy]
    if not both_free:
        return "busy", "no slot left where both are free (" + _busy_text(m, candidates, busy) + ")"
    open_ = [s for s in both_free if m.online or used[s] < problem.capacity(s)]
    if not open_:
        return "tables_full", f"tables full in every slot where both are free ({_slots_text(both_free)})"
    open_ = [s for s in open_ if fits(prepared, m, s, busy, used, pooled)]
    if not open_:
        return no_interpreter
    return "time_limit", f"the time limit ran out before it was placed (free in {_slots_text(open_)})"


def _busy_text(m: Meeting, candidates, busy) -> str:
    parts = []
    for who in (m.a, m.b):
        taken = [s for s in candidates if (who, s) in busy]
        if taken:
            parts.append(f"participant {who} meets others in {_slots_text(taken)}")
    return "; ".join(parts)
