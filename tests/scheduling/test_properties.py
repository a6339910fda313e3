"""Property-based tests of the scheduler: on random small days its answer passes an independent check,
places every meeting of a day built around a known schedule, matches enumeration on tiny days (also when
its time runs out at once), never gives up a "must" meeting for a lesser one, and keeps locks in place."""

from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from matching.scheduling import Meeting, Participant, Problem, Slot, solve
from tests.scheduling.checker import (
    assert_feasible,
    breaks_of,
    capacity,
    fairness_excess,
    fitting_left_outs,
    possible_slots,
    violations,
)

# These days settle in milliseconds; the limit only bounds a pathological case. One worker leaves the
# other core to pytest-xdist and keeps CP-SAT's search the same from run to run.
SOLVE = {"time_limit_seconds": 2, "workers": 1, "seed": 0}


def property_settings(examples):
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scheduled(problem):
    result = solve(problem, **SOLVE)
    assert_feasible(problem, result)
    return result


# ---------------------------------------------------------------- random days
@st.composite
def days(draw, max_slots):
    """Slots in the order of the day, a morning then an afternoon (either may be empty). Their ids are
    the caller's (say database keys), so they are shuffled: the order of the day is the tuple's."""
    n = draw(st.integers(2, max_slots))
    morning = draw(st.integers(0, n))
    ids = draw(st.permutations(range(101, 101 + n)))
    return tuple(Slot(index, "am" if i < morning else "pm") for i, index in enumerate(ids))


def rarely(draw, one_in=6):
    return draw(st.integers(0, one_in - 1)) == 0


PRIORITIES = st.sampled_from(("must", "would", "must", 2, 3))


@st.composite
def problems(draw, max_people=10, max_slots=8, max_meetings=14, min_meetings=0, locks=(0, 2), crowd=2):
    """Any small day: 0-4 tables (one count, or per slot), unavailable slots, sessions, fixed slots,
    priorities, a pair that meets twice now and then, and a few locks that can all stand together.
    Up to `crowd` meetings more than the participants' slots could hold if the pairs matched perfectly."""
    slots = draw(days(max_slots))
    ids = [s.index for s in slots]
    if draw(st.booleans()):
        tables = 0 if rarely(draw, 10) else draw(st.integers(1, 4))
    else:
        tables = {s: draw(st.integers(0, 4)) for s in ids if not rarely(draw)}  # a missing slot has none
    people = list(range(1, draw(st.integers(2, max_people)) + 1))
    participants = tuple(
        Participant(p, draw(st.frozensets(st.sampled_from(ids), max_size=2)) if rarely(draw, 3) else ())
        for p in people
    )
    named = draw(st.booleans())
    meetings = []
    most = max(min_meetings, min(max_meetings, len(people) * len(ids) // 2 + crowd))
    for i in range(1, draw(st.integers(min_meetings, most)) + 1):
        a = draw(st.sampled_from(people))
        b = draw(st.sampled_from([p for p in people if p != a]))
        meetings.append(
            Meeting(
                f"m{i}" if named else i,
                a,
                b,
                session=draw(st.sampled_from(("any", "any", "any", "am", "pm"))),
                priority=draw(PRIORITIES),
                fixed_slot=draw(st.sampled_from(ids)) if rarely(draw) else None,
            )
        )
    fairness = draw(st.sampled_from((2, 1, 0, None)))
    problem = Problem(slots, tables, participants, tuple(meetings), fairness)
    for _ in range(draw(st.integers(*locks))):
        meetings = _lock_one(draw, problem, meetings)
        problem = Problem(slots, tables, participants, tuple(meetings), fairness)
    return problem


def _lock_one(draw, problem, meetings):
    """Lock one more meeting where it obeys every rule next to the locks already there (if it can)."""
    locked = [m for m in meetings if m.locked_slot is not None]
    held = {(who, m.locked_slot) for m in locked for who in (m.a, m.b)}
    per_slot = Counter(m.locked_slot for m in locked)
    choices = [
        (i, s)
        for i, m in enumerate(meetings)
        if m.locked_slot is None
        for s in possible_slots(problem, m)
        if (m.a, s) not in held and (m.b, s) not in held and per_slot[s] < capacity(problem, s)
    ]
    if not choices:
        return meetings
    i, s = draw(st.sampled_from(choices))
    taken = {m.locked_table for m in locked if m.locked_slot == s}
    free_tables = [t for t in range(1, capacity(problem, s) + 1) if t not in taken]
    table = draw(st.sampled_from(free_tables)) if draw(st.booleans()) else None
    m = meetings[i]
    out = list(meetings)
    out[i] = Meeting(m.id, m.a, m.b, m.session, m.priority, m.fixed_slot, locked_slot=s, locked_table=table)
    return out


@st.composite
def planted_problems(draw, max_people=10, max_slots=8):
    """A day built around a schedule drawn first (up to 3 disjoint pairs per slot, at numbered tables),
    so every meeting surely fits: tables at least as many as the schedule uses, sessions and fixed slots
    that agree with it, participants unavailable only where it leaves them idle, locks only on it."""
    slots = draw(days(max_slots))
    people = list(range(1, draw(st.integers(2, max_people)) + 1))
    plan = []  # (a, b, slot, table)
    for slot in slots:
        order = draw(st.permutations(people))
        for t in range(draw(st.integers(0, min(len(people) // 2, 3)))):
            plan.append((order[2 * t], order[2 * t + 1], slot, t + 1))
    used = Counter(slot.index for _, _, slot, _ in plan)
    if draw(st.booleans()):
        tables = max(used.values(), default=0) + draw(st.integers(0, 1))
    else:
        tables = {s.index: used[s.index] + draw(st.integers(0, 1)) for s in slots}
    busy = {(who, slot.index) for a, b, slot, _ in plan for who in (a, b)}
    participants = []
    for p in people:
        idle = [s.index for s in slots if (p, s.index) not in busy]
        unavailable = draw(st.frozensets(st.sampled_from(idle), max_size=len(idle))) if idle else frozenset()
        participants.append(Participant(p, unavailable))
    meetings = []
    for i, (a, b, slot, table) in enumerate(draw(st.permutations(plan)), start=1):
        locked = rarely(draw, 8)
        meetings.append(
            Meeting(
                i,
                a,
                b,
                session=draw(st.sampled_from(("any", slot.session))),
                priority=draw(PRIORITIES),
                fixed_slot=slot.index if rarely(draw) else None,
                locked_slot=slot.index if locked else None,
                locked_table=table if locked and draw(st.booleans()) else None,
            )
        )
    fairness = draw(st.sampled_from((2, 1, 0, None)))
    return Problem(slots, tables, tuple(participants), tuple(meetings), fairness)


# ---------------------------------------------------------------- references the tests compare with
def weight(meeting):
    """Weight of a non-"must" meeting: "would" is 1, a number is itself."""
    return 1 if meeting.priority == "would" else meeting.priority


def slots_placed(result):
    return {p.meeting_id: p.slot for p in result.placements}


def outcome(problem, slot_of):
    """How good a schedule is, in the order that matters: "must" meetings placed, the other meetings'
    weight, then how far it misses fairness, then its total breaks."""
    by_id = {m.id: m for m in problem.meetings}
    placed = [by_id[mid] for mid in slot_of]
    breaks = breaks_of(problem, slot_of)
    return (
        sum(1 for m in placed if m.priority == "must"),
        sum(weight(m) for m in placed if m.priority != "must"),
        fairness_excess(problem, breaks),
        sum(breaks.values()),
    )


def every_outcome(problem):
    """The outcome of every feasible schedule of a tiny day, by enumeration (each meeting in one of its
    slots or, unless locked, left out). Tables need no enumeration: any meeting can use any free one."""
    meetings = list(problem.meetings)
    options = [possible_slots(problem, m) + ([] if m.locked_slot is not None else [None]) for m in meetings]
    busy, used, slot_of, outcomes = set(), Counter(), {}, set()

    def extend(i):
        if i == len(meetings):
            outcomes.add(outcome(problem, slot_of))
            return
        m = meetings[i]
        for s in options[i]:
            if s is None:
                extend(i + 1)
            elif (m.a, s) not in busy and (m.b, s) not in busy and used[s] < capacity(problem, s):
                busy.update(((m.a, s), (m.b, s)))
                used[s] += 1
                slot_of[m.id] = s
                extend(i + 1)
                busy.difference_update(((m.a, s), (m.b, s)))
                used[s] -= 1
                del slot_of[m.id]

    extend(0)
    return outcomes


def assert_as_good_as_enumeration(problem, result):
    """A proven optimum is the best outcome of all; the lower bound holds for every schedule that places
    at least as much and is at least as fair. Returns (most "must" meetings any schedule places, the
    result's)."""
    outcomes = every_outcome(problem)
    musts, others, excess, total = outcome(problem, slots_placed(result))
    most = max((m, o) for m, o, _, _ in outcomes)
    if result.proven_optimal:
        assert (musts, others) == most
        assert (excess, total) == min((e, t) for m, o, e, t in outcomes if (m, o) == most)
    rivals = [t for m, o, e, t in outcomes if (m, o) >= (musts, others) and e <= excess]
    assert result.breaks_lower_bound <= min(rivals)
    return most[0], musts


def greedy_musts(problem):
    """How many "must" meetings a first-fit placement gets in: the locks first, then the "must" meetings
    in request order, each in the first slot of the day where it fits."""
    busy, used, placed = set(), Counter(), []
    locked = [m for m in problem.meetings if m.locked_slot is not None]
    musts = [m for m in problem.meetings if m.priority == "must" and m.locked_slot is None]
    for m in locked + musts:
        for s in possible_slots(problem, m):
            if (m.a, s) not in busy and (m.b, s) not in busy and used[s] < capacity(problem, s):
                busy.update(((m.a, s), (m.b, s)))
                used[s] += 1
                placed.append(m)
                break
    return sum(1 for m in placed if m.priority == "must")


def musts_given_up(problem, result):
    """Unplaced "must" meetings that would fit if one placed, unlocked, lesser meeting made way."""
    by_id = {m.id: m for m in problem.meetings}
    out = []
    for u in result.unplaced:
        m = by_id[u.meeting_id]
        if m.priority != "must":
            continue
        for p in result.placements:
            other = by_id[p.meeting_id]
            if other.priority == "must" or other.locked_slot is not None:
                continue
            rest = [q for q in result.placements if q is not p]
            busy = {(who, q.slot) for q in rest for who in (q.a, q.b)}
            used = Counter(q.slot for q in rest)
            for s in possible_slots(problem, m):
                if (m.a, s) not in busy and (m.b, s) not in busy and used[s] < capacity(problem, s):
                    out.append(f"must meeting {m.id} is out while {other.id} holds slot {s}")
    return out


# ---------------------------------------------------------------- properties
@property_settings(60)
@given(problems())
def test_every_schedule_passes_the_independent_check_and_leaves_out_nothing_that_fits(problem):
    result = scheduled(problem)
    assert result.status != "infeasible"  # the generated locks always agree
    assert fitting_left_outs(problem, result) == []


@property_settings(50)
@given(planted_problems())
def test_a_day_built_around_a_schedule_gets_every_meeting_placed(problem):
    result = scheduled(problem)
    assert result.unplaced == ()
    assert len(result.placements) == len(problem.meetings)


TINY = {"max_people": 5, "max_slots": 5, "max_meetings": 5, "locks": (0, 1)}


@property_settings(60)
@given(problems(**TINY))
def test_on_a_tiny_day_the_schedule_is_as_good_as_enumeration_finds(problem):
    result = scheduled(problem)
    most_musts, musts = assert_as_good_as_enumeration(problem, result)
    assert musts == most_musts


@property_settings(40)
@given(problems(**TINY))
def test_when_time_runs_out_at_once_the_schedule_is_still_sound_and_claims_nothing_false(problem):
    result = solve(problem, time_limit_seconds=0, workers=1, seed=0)
    assert_feasible(problem, result)
    assert fitting_left_outs(problem, result) == []
    assert_as_good_as_enumeration(problem, result)


@property_settings(40)
@given(problems(**TINY))
def test_a_run_stopped_at_its_first_schedule_still_fills_every_gap_and_claims_only_true_optima(problem):
    # A first schedule may be optimal by construction (CP-SAT's tight stage, on larger days) or proven at
    # once (the MaxSAT stage), so "optimal" may still come back; enumeration checks that claim instead.
    result = solve(problem, on_progress=lambda progress: False, **SOLVE)
    assert_feasible(problem, result)
    assert fitting_left_outs(problem, result) == []
    assert_as_good_as_enumeration(problem, result)


@property_settings(50)
@given(problems(max_people=6, max_slots=4, max_meetings=12, crowd=6))
def test_must_meetings_are_never_given_up_for_lesser_ones(problem):
    result = scheduled(problem)
    by_id = {m.id: m for m in problem.meetings}
    placed_musts = sum(1 for p in result.placements if by_id[p.meeting_id].priority == "must")
    assert placed_musts >= greedy_musts(problem)
    assert musts_given_up(problem, result) == []


@property_settings(40)
@given(problems(min_meetings=1, locks=(1, 3)))
def test_locked_meetings_stay_exactly_where_they_were(problem):
    locked = [m for m in problem.meetings if m.locked_slot is not None]
    assume(locked)
    result = scheduled(problem)
    where = {p.meeting_id: p for p in result.placements}
    for m in locked:
        assert where[m.id].slot == m.locked_slot
        assert where[m.id].locked
        if m.locked_table is not None:
            assert where[m.id].table == m.locked_table


# ---------------------------------------------------------------- the checker itself is not blind
def _moved(meeting_id, **changes):
    """A mutation of a result: the placement of one meeting changed."""

    def mutate(result):
        placements = tuple(
            replace(p, **changes) if p.meeting_id == meeting_id else p for p in result.placements
        )
        return replace(result, placements=placements)

    return mutate


def _beside(result, meeting_id):
    return next((p.slot, p.table) for p in result.placements if p.meeting_id == meeting_id)


BROKEN = {
    "a locked meeting moved": (_moved(3, slot=2), "locked in slot 1"),
    "a pm meeting in the morning": (_moved(2, slot=2), "other session"),
    "a meeting where one side is unavailable": (_moved(1, slot=4), "is unavailable"),
    "a table the slot does not have": (_moved(1, table=3), "has 1..2"),
    "two meetings at one table": (
        lambda r: _moved(1, slot=_beside(r, 2)[0], table=_beside(r, 2)[1])(r),
        "holds two meetings",
    ),
    "a meeting lost": (
        lambda r: replace(r, placements=tuple(p for p in r.placements if p.meeting_id != 1)),
        "neither placed nor unplaced",
    ),
    "a break too many": (lambda r: replace(r, total_breaks=r.total_breaks + 1), "total_breaks"),
    "a lower bound above the total": (
        lambda r: replace(r, breaks_lower_bound=r.total_breaks + 1),
        "breaks_lower_bound",
    ),
    "fairness misreported": (lambda r: replace(r, fairness_met=not r.fairness_met), "fairness_met"),
}


@pytest.mark.parametrize("broken", BROKEN, ids=[name.replace(" ", "-") for name in BROKEN])
def test_the_checker_catches_a_schedule_that_breaks_a_rule(broken):
    day = (Slot(1, "am"), Slot(2, "am"), Slot(3, "pm"), Slot(4, "pm"))
    people = (Participant(1), Participant(2, frozenset({4})), Participant(3))
    meetings = (
        Meeting(1, 1, 2),
        Meeting(2, 1, 3, session="pm"),
        Meeting(3, 2, 3, locked_slot=1, locked_table=2),
    )
    problem = Problem(day, 2, people, meetings, fairness=2)
    result = scheduled(problem)
    mutate, message = BROKEN[broken]
    errors = violations(problem, mutate(result))
    assert any(message in e for e in errors), errors
