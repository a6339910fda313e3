"""The stages added for issue 17: placement by augmenting moves, the MaxSAT stage's window literals, and
its second process (CP-SAT's neighbourhood search beside the upward SAT search)."""

import multiprocessing
import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from unittest import mock

from hypothesis import assume, given
from pysat.solvers import Solver

from bench.b2b_format import problem_from_instance
from matching.scheduling import maxsat
from matching.scheduling.analysis import Prepared, fits, occupancy, pooled_meetings, unfairness
from matching.scheduling.bounds import least_breaks, placement_upper_bound
from matching.scheduling.greedy import augment, compact_fit, first_fit
from matching.scheduling.maxsat import BreakEncoding, break_problem, minimise_breaks
from matching.scheduling.solver import greedy_schedule, improve_elsewhere
from tests.scheduling.checker import breaks_of, capacity, possible_slots
from tests.scheduling.test_maxsat import Sent, assert_places_all_by_the_rules, hard_variant
from tests.scheduling.test_properties import planted_problems, problems, property_settings


def whole_day(problem):
    """The BreakProblem of placing every meeting of `problem`."""
    return break_problem(Prepared(problem), list(problem.meetings))


def assert_by_the_rules(problem, slot_of):
    by_id = {m.id: m for m in problem.meetings}
    people = Counter((who, s) for mid, s in slot_of.items() for who in (by_id[mid].a, by_id[mid].b))
    assert max(people.values(), default=0) <= 1
    for mid, s in slot_of.items():
        assert s in possible_slots(problem, by_id[mid])
        if by_id[mid].locked_slot is not None:
            assert s == by_id[mid].locked_slot
    for s, n in Counter(slot_of.values()).items():
        assert n <= capacity(problem, s)


# ---------------------------------------------------------------- placement by augmenting moves
@property_settings(80)
@given(problems(crowd=6))
def test_augmenting_keeps_every_greedy_meeting_and_places_by_the_rules(problem):
    prepared = Prepared(problem)
    greedy = first_fit(prepared)

    more = augment(prepared, greedy, time.monotonic() + 60, depth=3)

    # Only a lesser meeting may be left out, to make room for a "must" one (hypothesis found one: a
    # "would" meeting given up for a must in the only slot left); the placed weight never drops.
    musts = {m.id for m in problem.meetings if m.is_must}
    assert set(greedy) - set(more) <= set(greedy) - musts
    weights = prepared.weights()
    assert sum(weights[mid] for mid in more) >= sum(weights[mid] for mid in greedy)
    assert len(musts & set(more)) >= len(musts & set(greedy))
    assert len(more) <= placement_upper_bound(prepared)
    assert_by_the_rules(problem, more)


@property_settings(80)
@given(problems(crowd=6))
def test_compact_fit_places_by_the_rules_and_leaves_out_only_what_fits_nowhere(problem):
    prepared = Prepared(problem)

    slot_of = compact_fit(prepared)

    assert_by_the_rules(problem, slot_of)
    busy, used = occupancy(prepared, slot_of)
    pooled = pooled_meetings(prepared, slot_of)
    for m in problem.meetings:
        if m.id not in slot_of:
            assert not any(fits(prepared, m, s, busy, used, pooled) for s in prepared.candidates[m.id])


def test_compact_fit_puts_a_meeting_next_to_the_participants_others():
    from tests.scheduling.test_solver import make, pairs

    # First fit: 1 meets 4, 3 and 5 in slots 1-3, then 2-5 goes to slot 1, and 5 waits a slot for 1-5.
    problem = make(pairs((1, 4), (1, 3), (1, 5), (2, 5)), tables=5)
    prepared = Prepared(problem)
    assert sum(breaks_of(problem, first_fit(prepared)).values()) == 1

    slot_of = compact_fit(prepared)

    assert len(slot_of) == 4
    assert sum(breaks_of(problem, slot_of).values()) == 0


def test_augmenting_moves_a_meeting_out_of_the_way_of_one_greedy_could_not_place():
    from tests.scheduling.test_solver import make, pairs

    # Greedy puts 1-2 in slot 1; 1-3 could only go to slot 1, so 1-2 has to move to slot 2.
    problem = make(pairs((1, 2), (1, 3)), tables=5, unavailable={3: {2, 3, 4}})
    prepared = Prepared(problem)
    assert first_fit(prepared) == {1: 1}

    assert augment(prepared, first_fit(prepared), time.monotonic() + 60) == {1: 2, 2: 1}


# ---------------------------------------------------------------- window literals
@property_settings(40)
@given(planted_problems(max_people=8, max_slots=6))
def test_with_or_without_window_literals_the_stage_proves_the_same_optimum(problem):
    prepared = Prepared(problem)
    meetings = [m for m in problem.meetings if prepared.candidates[m.id]]
    least = least_breaks(prepared, meetings)
    bp = break_problem(prepared, meetings, least=least)
    found = {}
    for windows in (False, True):
        maxsat.WINDOWS = windows
        try:
            out = minimise_breaks(bp, time.monotonic() + 60, portfolio=False)
        finally:
            maxsat.WINDOWS = True
        assert out.proven
        found[windows] = out.breaks
    assert found[False] == found[True]


def test_a_participant_whose_meetings_fill_no_block_gets_no_window():
    # Participant 1 meets 2, 3 and 4; 4 can only come in slot 4, 2 and 3 only in slots 1-2: no three
    # consecutive slots hold all three, so 1 cannot be without a break.
    from tests.scheduling.test_solver import make, pairs

    problem = make(pairs((1, 2), (1, 3), (1, 4)), unavailable={2: {3, 4}, 3: {3, 4}, 4: {1, 2, 3}})
    prepared = Prepared(problem)
    encoding = BreakEncoding(break_problem(prepared, list(problem.meetings)), windows=True)

    assert 1 not in encoding.unbroken and {2, 3, 4}.isdisjoint(encoding.unbroken)  # one meeting: no break


# ---------------------------------------------------------------- participants counted per slot
def core_guided_optimum(bp, busy_limits):
    search = maxsat._CoreGuided(
        BreakEncoding(bp, windows=True, busy_limits=busy_limits), time.monotonic() + 60
    )
    try:
        return search.optimum()
    finally:
        search.delete()


@property_settings(60)
@given(planted_problems(max_people=8, max_slots=6) | problems(crowd=6))
def test_counting_participants_per_slot_changes_no_optimum(problem):
    prepared = Prepared(problem)
    meetings = [m for m in problem.meetings if prepared.candidates[m.id]]
    bp = break_problem(prepared, meetings)

    plain, counted = (core_guided_optimum(bp, busy_limits) for busy_limits in (False, True))

    assert (plain is False) == (counted is False)  # both prove it, or neither, that not all fit
    if plain is not False:
        assert plain[1] == counted[1]
        slot_of = {m.id: prepared.order[t] for m, t in zip(meetings, counted[0], strict=True)}
        assert_by_the_rules(problem, slot_of)
        assert sum(breaks_of(problem, slot_of).values()) == counted[1]


def test_the_encoding_is_numbered_the_same_whatever_order_the_meetings_come_in():
    problem = hard_variant("forum-13-t11")
    given = whole_day(problem)
    order = list(range(len(given.pairs)))
    random.Random(1).shuffle(order)  # noqa: S311 (a reproducible order)
    index = {old: new for new, old in enumerate(order)}
    shuffled = replace(
        given,
        pairs=tuple(given.pairs[i] for i in order),
        options=tuple(given.options[i] for i in order),
        limits=tuple((t, tuple(index[i] for i in members), room) for t, members, room in given.limits),
    )

    for numbered in (None, maxsat.COUNTED_DRAWS[0]):  # grouped, or in a shuffled order of its own
        one = BreakEncoding(given, windows=True, busy_limits=True, shuffled=numbered)
        other = BreakEncoding(shuffled, windows=True, busy_limits=True, shuffled=numbered)

        assert [one.meet[i] for i in order] == other.meet
        assert one.clauses == other.clauses and one.breaks == other.breaks


def test_meetings_are_numbered_under_their_busier_side_those_with_fewest_meetings_first():
    # 1 meets 2, 3 and 4; 5 meets 4 and 6; 2 meets 7.
    bp = maxsat.BreakProblem(
        positions=4, pairs=((2, 1), (1, 3), (4, 1), (4, 5), (5, 6), (2, 7)), options=((0, 1, 2, 3),) * 6
    )

    # Under 2, 4 and 5 (two meetings each; 4-5 goes under 4, the lower number), then 1 (three), and
    # under one participant by the other side's number.
    assert maxsat.numbering(bp) == [5, 3, 4, 0, 1, 2]


def test_participants_are_counted_only_at_slots_with_more_candidates_than_room():
    from tests.scheduling.test_solver import make, pairs

    # Three meetings for two tables in every slot, but only four participants: at most 4 = 2 x 2 of them
    # can be in a meeting anyway, so only the meetings are counted.
    star = make(pairs((1, 2), (1, 3), (1, 4)), tables=2)
    star_problem = whole_day(star)
    assert star_problem.limits  # the tables do limit the meetings
    # Three meetings of six participants for one table: at most 2 of the 6 can be in one.
    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)

    assert not BreakEncoding(star_problem, busy_limits=True).busy_limited
    assert BreakEncoding(whole_day(apart), busy_limits=True).busy_limited


FIRST, SECOND = maxsat.COUNTED_DRAWS  # the finders' numberings
SMALL_SLICE = 200  # conflicts: the least budget _slice gives


def small_slices():
    """Every slice of a search here SMALL_SLICE conflicts, whatever the machine's speed: on a fast machine
    the budget grows until a whole search fits in one turn, and the turns these tests look for never come
    (seen in CI). The solver is deterministic, so where the turns come no longer depends on the machine."""
    real = maxsat._slice

    def fixed(solver, assumptions, budget):
        return real(solver, assumptions, SMALL_SLICE)[0], SMALL_SLICE

    return mock.patch.object(maxsat, "_slice", fixed)


@contextmanager
def recorded_searches():
    """The core-guided searches the stage builds, in order (a list, filled as they are built)."""
    built, real = [], maxsat._CoreGuided

    def record(encoding, *args, **kwargs):
        built.append(real(encoding, *args, **kwargs))
        return built[-1]

    with mock.patch.object(maxsat, "_CoreGuided", record):
        yield built


def test_the_two_models_take_turns_and_the_first_optimum_ends_both():
    # forum-13 with 11 tables and 20 more forbidden slots (optimum 4), one slice per turn.
    problem = hard_variant("forum-13-t11-f20")
    prepared = Prepared(problem)

    with (
        mock.patch.object(maxsat, "TURN_SECONDS", 0.0),
        recorded_searches() as built,
        small_slices(),
    ):
        out = minimise_breaks(
            break_problem(prepared, list(problem.meetings)), time.monotonic() + 120, portfolio=False
        )

    assert (out.proven, out.breaks, out.lower_bound) == (True, 4, 4)
    assert [search.encoding.busy_limited for search in built] == [False, True]
    slot_of = {m.id: prepared.order[t] for m, t in zip(problem.meetings, out.positions, strict=True)}
    assert_places_all_by_the_rules(problem, list(problem.meetings), slot_of)


def test_the_finder_asks_at_the_bound_it_is_given_and_one_more_each_time_the_answer_is_no():
    # Participant 1 meets 2 in the first position and 3 in the third: one break, whatever happens.
    one_break = maxsat.BreakProblem(positions=4, pairs=((1, 2), (1, 3)), options=((0,), (2,)))
    sent = Sent()

    maxsat._find_at_bound(one_break, 0, FIRST, 30.0, sent)

    assert sent.closed
    assert sent.messages == [("bound", 1), ("solution", 1, [0, 2]), ("optimal",)]


def test_at_the_sum_of_least_breaks_the_finder_asks_for_everyone_at_their_least():
    # Participants 6 and 11 each meet one partner first and another third: one break each, whatever
    # happens (least 1). The second position is full (4-5 and 9-10, two tables), so 1's two meetings take
    # the first and third: one more break, which no participant's least shows. Sum of least breaks 2,
    # optimum 3.
    options = ((0, 1, 2), (0, 1, 2), (1,), (1,), (0,), (2,), (0,), (2,))
    crowded = maxsat.BreakProblem(
        positions=3,
        pairs=((1, 2), (1, 3), (4, 5), (9, 10), (6, 7), (6, 8), (11, 12), (11, 13)),
        options=options,
        limits=tuple(
            (t, tuple(i for i, o in enumerate(options) if t in o), 2 if t == 1 else 3) for t in range(3)
        ),
        least={6: 1, 11: 1},
    )
    encoding = BreakEncoding(crowded, busy_limits=True)
    clauses = maxsat.everyone_at_their_least(encoding)
    assert encoding.gaps[1] and all([-g] in clauses for g in encoding.gaps[1])  # least 0: no break at all
    # least 1: no "no break" unit (6 has a single break literal, so no count is needed either)
    assert encoding.gaps[6] and not any([-g] in clauses for g in encoding.gaps[6])
    sent = Sent()

    with mock.patch.object(maxsat, "everyone_at_their_least", wraps=maxsat.everyone_at_their_least) as asked:
        maxsat._find_at_bound(crowded, 2, FIRST, 30.0, sent)

    # "Everyone at their least" is refuted (1 would need a break), then the count over every break.
    assert asked.call_count == 1
    assert sent.messages[0] == ("bound", 3)
    (kind, cost, positions), optimal = sent.messages[1:]
    assert (kind, cost, optimal) == ("solution", 3, ("optimal",))
    breaks = maxsat.breaks_of_positions(crowded, positions)
    assert {who: n for who, n in breaks.items() if n} == {1: 1, 6: 1, 11: 1}


def test_at_a_sum_of_one_least_break_the_finder_counts_every_break():
    # 1 meets 2 first and 3 third (one break, whatever happens); 4 may or may not break.
    day = maxsat.BreakProblem(
        positions=4,
        pairs=((1, 2), (1, 3), (4, 5), (4, 6)),
        options=((0,), (2,), (0, 3), (0, 1, 3)),
        least={1: 1},
    )
    assert len(BreakEncoding(day, busy_limits=True).breaks) > 1
    sent = Sent()

    with mock.patch.object(maxsat, "everyone_at_their_least") as asked:
        maxsat._find_at_bound(day, 1, FIRST, 30.0, sent)

    assert not asked.called
    (kind, cost, positions), optimal = sent.messages
    assert (kind, cost, optimal) == ("solution", 1, ("optimal",))
    assert maxsat.breaks_of_positions(day, positions)[4] == 0


def test_everyone_at_their_least_lets_a_participant_take_their_least_breaks_and_no_more():
    # 1 meets 2 first, 3 third or fourth, 4 fourth or fifth: one break at least (least 1), two if 3 is
    # third and 4 fifth.
    day = maxsat.BreakProblem(
        positions=5, pairs=((1, 2), (1, 3), (1, 4)), options=((0,), (2, 3), (3, 4)), least={1: 1}
    )
    encoding = BreakEncoding(day)
    assert len(encoding.gaps[1]) >= 2
    clauses = encoding.clauses + maxsat.everyone_at_their_least(encoding)

    def possible(third, fourth):
        with Solver(name="glucose4", bootstrap_with=clauses) as solver:
            return solver.solve(assumptions=[encoding.meet[1][third], encoding.meet[2][fourth]])

    assert possible(2, 3) and possible(3, 4)  # one break
    assert not possible(2, 4)  # two breaks


@property_settings(60)
@given(problems(crowd=6))
def test_the_finder_at_the_sum_of_least_breaks_proves_the_same_optimum_as_the_core_guided_search(problem):
    prepared = Prepared(problem)
    meetings = [m for m in problem.meetings if prepared.candidates[m.id]]
    assume(placement_upper_bound(prepared) >= len(meetings))
    least = least_breaks(prepared, meetings)
    bp = break_problem(prepared, meetings, least=least)
    answer = core_guided_optimum(bp, busy_limits=False)
    assume(answer is not False)
    optimum, start = answer[1], sum(least.values())
    sent = Sent()

    # A sum of one asks for everyone at their least too (about one generated day in six has a sum above 0).
    with mock.patch.object(maxsat, "LEAST_FROM", 1):
        maxsat._find_at_bound(bp, start, FIRST, 30.0, sent)

    *refuted, (kind, cost, positions), optimal = sent.messages
    assert refuted == [("bound", k) for k in range(start + 1, optimum + 1)]
    assert (kind, cost, optimal) == ("solution", optimum, ("optimal",))
    assert sum(maxsat.breaks_of_positions(bp, positions).values()) == optimum


def test_the_finder_finds_a_nearly_full_days_schedule_at_the_bound():
    # Planted: a day of 0 breaks with most slots full, and a first schedule that leaves many breaks. This
    # draw of it (relabelled, seed 2) takes Kissat 3 s, the day as generated 8 s (deterministic on a model).
    from bench.b2b_hard import instance, relabelled

    problem = problem_from_instance(relabelled(instance("planted-3"), 2))
    prepared = Prepared(problem)
    sent = Sent()

    maxsat._find_at_bound(break_problem(prepared, list(problem.meetings)), 0, FIRST, 120.0, sent)

    (kind, cost, positions), optimal = sent.messages
    assert (kind, cost, optimal) == ("solution", 0, ("optimal",))
    slot_of = {m.id: prepared.order[t] for m, t in zip(problem.meetings, positions, strict=True)}
    assert_places_all_by_the_rules(problem, list(problem.meetings), slot_of)
    assert sum(breaks_of(problem, slot_of).values()) == 0


def test_the_finder_says_infeasible_when_no_schedule_places_every_meeting():
    # Two meetings of the same pair, both only possible in the first position.
    clash = maxsat.BreakProblem(positions=3, pairs=((1, 2), (1, 2)), options=((0,), (0,)))
    sent = Sent()

    maxsat._find_at_bound(clash, 0, FIRST, 30.0, sent)

    assert sent.messages == [("infeasible",)] and sent.closed


def test_the_copy_of_the_core_guided_search_sends_its_bounds_then_the_optimum():
    problem = hard_variant("forum-13-t12")  # optimum 1
    prepared = Prepared(problem)
    sent = Sent()

    maxsat._core_guided_elsewhere(break_problem(prepared, list(problem.meetings)), None, 2, 60.0, sent)

    *bounds, (kind, cost, positions), optimal = sent.messages
    assert bounds == [("bound", 1)]
    assert (kind, cost, optimal) == ("solution", 1, ("optimal",)) and sent.closed
    slot_of = {m.id: prepared.order[t] for m, t in zip(problem.meetings, positions, strict=True)}
    assert_places_all_by_the_rules(problem, list(problem.meetings), slot_of)
    assert sum(breaks_of(problem, slot_of).values()) == 1


def test_the_copy_is_numbered_in_another_order_than_the_search_here():
    bp = whole_day(hard_variant("forum-13-t12"))
    here, copy = (maxsat.numbering(bp, ranked=ranked) for ranked in maxsat.PLAIN_DRAWS)

    assert here == maxsat.numbering(bp) and here != copy and sorted(here) == sorted(copy)
    meetings = Counter(who for pair in bp.pairs for who in pair)
    # Both grouped under the busier side of each meeting, the participants with fewest meetings first.
    for order in (here, copy):
        hubs = [max(meetings[a], meetings[b]) for a, b in (bp.pairs[i] for i in order)]
        assert hubs == sorted(hubs)


def test_with_a_second_process_the_counting_model_is_not_also_built_here():
    problem = hard_variant("forum-13-t12")  # optimum 1, in a few seconds with the plain model
    prepared = Prepared(problem)
    built, real = [], maxsat._CoreGuided

    def record(encoding, *args, **kwargs):
        built.append(encoding.busy_limited)
        return real(encoding, *args, **kwargs)

    with (
        mock.patch.object(maxsat, "HELPER_AFTER", 0.0),
        mock.patch.object(maxsat, "TURN_SECONDS", 0.0),
        mock.patch.object(maxsat, "STALL_SECONDS", 600.0),  # its cores keep coming
        mock.patch.object(maxsat, "_CoreGuided", record),
    ):
        out = minimise_breaks(break_problem(prepared, list(problem.meetings)), time.monotonic() + 120)

    assert out.proven and out.breaks == 1
    assert built == [False]
    assert multiprocessing.active_children() == []


def close_at_once(seconds, connection):
    """A stand-in second process that finds nothing (module level, so that spawn can import it)."""
    connection.close()


def finder_stand_in(problem, at_most, draw, seconds, connection):
    """Stands in for the finder (module level, so that spawn can import it): finds nothing, and keeps its
    process until it is stopped."""
    time.sleep(seconds)


def helper_stand_in(seconds, connection):
    time.sleep(seconds)


def copy_stand_in(problem, hint, ranked, seconds, connection):
    time.sleep(seconds)


def test_the_finders_copies_are_numbered_in_orders_of_their_own():
    bp = whole_day(hard_variant("forum-13-t12"))

    orders = [maxsat.numbering(bp, shuffled) for shuffled in (None, FIRST, SECOND)]

    assert len({tuple(order) for order in orders}) == 3  # the plain model's, and each finder's
    assert all(sorted(order) == list(range(len(bp.pairs))) for order in orders)


class OneCoreThenAnOptimum:
    """Stands in for the core-guided search: its first turn finds one core of cost 1, its second an
    optimum with 1 break."""

    def __init__(self, encoding, deadline, between=None, on_bound=None, hint=None):
        self.encoding, self.on_bound, self.turns = encoding, on_bound, 0
        self.turn_ends = None

    def optimum(self):
        self.turns += 1
        if self.turns == 1:
            self.on_bound(1)
            return None
        return [0] * len(self.encoding.problem.pairs), 1

    def delete(self):
        pass


class NeverSettles:
    """Stands in for the core-guided search: each turn finds nothing, and counts itself."""

    turns = 0

    def __init__(self, encoding, deadline, between=None, on_bound=None, hint=None):
        self.encoding, self.between, self.turn_ends = encoding, between, None

    def optimum(self):
        NeverSettles.turns += 1
        time.sleep(0.05)
        self.between()
        return None

    def delete(self):
        pass


def started_processes(apart, search, seconds, lower_bound=0, **settings):
    """Run the stage on `apart` with `search` standing in for the core-guided search (and `settings` for
    the module's); returns, for each process started: the name of its function, its arguments (the
    finder's: its bound) and how many of the processes started before were still running."""
    started, processes, real_start = [], [], maxsat._start_helper

    def start(task, deadline, out):
        running = sum(1 for process in processes if process.is_alive())
        process, connection = real_start(task, deadline, out)
        function, args = task
        about_the_day = bool(args) and isinstance(args[0], maxsat.BreakProblem)  # the day itself: left out
        started.append((function.__name__, args[1:] if about_the_day else args, running))
        processes.append(process)
        return process, connection

    patches = [
        mock.patch.object(maxsat, "PORTFOLIO_MEETINGS", 0),
        mock.patch.object(maxsat, "HELPER_AFTER", 0.0),
        mock.patch.object(maxsat, "_find_at_bound", finder_stand_in),
        mock.patch.object(maxsat, "_start_helper", start),
        mock.patch.object(maxsat, "_CoreGuided", search),
    ] + [mock.patch.object(maxsat, name, value) for name, value in settings.items()]
    for patch in patches:
        patch.start()
    try:
        bp = whole_day(apart)
        minimise_breaks(bp, time.monotonic() + seconds, lower_bound, helper=(helper_stand_in, ()))
    finally:
        for patch in reversed(patches):
            patch.stop()
    assert multiprocessing.active_children() == []  # every one stopped and joined
    return started


def test_the_finder_starts_at_the_proven_bound_and_again_each_time_the_bound_here_rises():
    from tests.scheduling.test_solver import make, pairs

    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)
    NeverSettles.turns = 0

    class OneCore(NeverSettles):  # its first turn proves one break
        def optimum(self):
            if NeverSettles.turns == 0:
                NeverSettles.turns += 1
                time.sleep(0.5)  # the finder has started by then
                self.on_bound(1)
                return None
            return super().optimum()

        def __init__(self, encoding, deadline, between=None, on_bound=None, hint=None):
            super().__init__(encoding, deadline, between, on_bound, hint)
            self.on_bound = on_bound

    started = started_processes(apart, OneCore, 3.0, FINDER_ALONE=10.0)

    # The first was stopped.
    assert started == [("finder_stand_in", (0, FIRST), 0), ("finder_stand_in", (1, FIRST), 0)]


class CoresEachTurn(NeverSettles):
    """Each turn, half a second, proves one more break (a core); it never settles."""

    def __init__(self, encoding, deadline, between=None, on_bound=None, hint=None):
        super().__init__(encoding, deadline, between, on_bound, hint)
        self.on_bound, self.cost = on_bound, 0

    def optimum(self):
        time.sleep(0.5)
        self.cost += 1
        self.on_bound(self.cost)
        return super().optimum()


def test_once_the_cores_here_raise_the_bound_a_copy_then_the_callers_helper_takes_the_finders_place():
    from tests.scheduling.test_solver import make, pairs

    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)

    # A core each half second, from a bound of 0: the second raises it past FINDER_KEPT_CORES cores. The
    # copy's time: 0.3 of the 3 s then left.
    started = started_processes(
        apart, CoresEachTurn, 4.0, FINDER_ALONE=10.0, COPY_ALONE=0.3, _core_guided_elsewhere=copy_stand_in
    )

    # The finder asked again at the bound of the first core, then the copy in its place, then the helper.
    assert started == [
        ("finder_stand_in", (0, FIRST), 0),
        ("finder_stand_in", (1, FIRST), 0),
        ("copy_stand_in", (None, maxsat.PLAIN_DRAWS[1]), 0),
        ("helper_stand_in", (), 0),
    ]


def test_while_the_cores_here_only_reach_the_bound_given_the_helper_comes_beside_the_finder_in_its_time():
    from tests.scheduling.test_solver import make, pairs

    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)
    NeverSettles.turns = 0

    # Cores each half second, none above the bound given; the finder's time alone ends at 2 s.
    started = started_processes(apart, CoresEachTurn, 4.0, lower_bound=100, FINDER_ALONE=0.5)

    assert started == [("finder_stand_in", (100, FIRST), 0), ("helper_stand_in", (), 1)]  # the finder runs on
    assert NeverSettles.turns <= 5  # none here once the helper had come (4 s of 0.55 s turns: 7)


def test_where_no_core_comes_here_the_helper_runs_beside_the_finder_and_this_process_waits():
    from tests.scheduling.test_solver import make, pairs

    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)
    NeverSettles.turns = 0

    started = started_processes(apart, NeverSettles, 3.0, FINDER_ALONE=0.0)

    assert started == [("finder_stand_in", (0, FIRST), 0), ("helper_stand_in", (), 1)]  # the finder runs on
    assert NeverSettles.turns <= 2  # no turns here once the helper had started (3 s would allow ~60)


def finder_gone_after_a_second(problem, at_most, draw, seconds, connection):
    """Stands in for a finder whose process ends without an answer (module level, for spawn)."""
    time.sleep(1.0)
    connection.close()


def test_when_the_finder_ends_without_an_answer_the_search_here_goes_on():
    from tests.scheduling.test_solver import make, pairs

    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)
    NeverSettles.turns = 0

    with mock.patch.object(maxsat, "FINDER_ALONE", 0.0):
        started = started_processes(apart, NeverSettles, 6.0, _find_at_bound=finder_gone_after_a_second)

    assert [name for name, _, _ in started] == ["finder_gone_after_a_second", "helper_stand_in"]
    # Turns again here once the finder had gone: 3-4 s of 0.05 s turns (its process takes 1-2 s to start).
    assert NeverSettles.turns >= 10


def finder_proving_at_once(problem, at_most, draw, seconds, connection):
    """Stands in for a finder that sends an optimum at once and ends (module level, for spawn)."""
    connection.send(("solution", at_most, [options[0] for options in problem.options]))
    connection.send(("optimal",))
    connection.close()


def finder_sending_an_unfair_optimum(problem, at_most, draw, seconds, connection):
    """Stands in for a finder (module level, for spawn): the triangle's optimum, one break, all on 2."""
    connection.send(("solution", 1, [0, 1, 2]))
    connection.send(("optimal",))
    connection.close()


def test_a_finders_optimum_replaces_a_known_schedule_fairer_than_it():
    # The triangle 1-2, 1-3, 2-3: at best one break (positions 0, 1, 2: participant 2's), so no optimum
    # is fair at fairness 0. Greedy placement's schedule, say, gives everyone one break: fairer, and
    # three breaks. The finder's optimum must end the stage, not lose to it.
    triangle = maxsat.BreakProblem(
        positions=6, pairs=((1, 2), (1, 3), (2, 3)), options=((0, 1, 2, 3, 4, 5),) * 3, fairness=0
    )
    known = [0, 2, 4]
    assert maxsat.better(triangle, known, 3, [0, 1, 2], 1)

    with (
        mock.patch.object(maxsat, "PORTFOLIO_MEETINGS", 0),
        mock.patch.object(maxsat, "HELPER_AFTER", 0.0),
        mock.patch.object(maxsat, "_find_at_bound", finder_sending_an_unfair_optimum),
        mock.patch.object(maxsat, "_CoreGuided", NeverSettles),
    ):
        out = minimise_breaks(triangle, time.monotonic() + 20, lower_bound=1, known=known)

    assert (out.positions, out.breaks, out.proven) == ([0, 1, 2], 1, True)
    assert multiprocessing.active_children() == []


def test_once_the_answer_is_settled_no_helper_is_started_in_the_finders_place():
    from tests.scheduling.test_solver import make, pairs

    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)

    started = started_processes(apart, NeverSettles, 3.0, _find_at_bound=finder_proving_at_once)

    # The finder's process has ended with the answer: nothing takes its place (it did before session 15).
    assert [name for name, _, _ in started] == ["finder_proving_at_once"]


class OneCoreThenWaits(NeverSettles):
    """Stands in for the core-guided search: its first turn finds a core of cost 1, then nothing."""

    built: list[bool] = []  # for each copy made here: does it count participants?

    def __init__(self, encoding, deadline, between=None, on_bound=None, hint=None):
        super().__init__(encoding, deadline, between, on_bound, hint)
        self.on_bound = on_bound
        OneCoreThenWaits.built.append(encoding.busy_limited)

    def optimum(self):
        if NeverSettles.turns == 0:
            NeverSettles.turns += 1
            self.on_bound(1)
            return None
        return super().optimum()


def test_once_the_cores_here_stall_at_the_bound_given_a_second_finder_takes_this_process_core():
    from tests.scheduling.test_solver import make, pairs

    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)  # a slot can hold one of six participants' meetings

    def run(lower_bound):
        NeverSettles.turns, OneCoreThenWaits.built = 0, []
        started = started_processes(
            apart, OneCoreThenWaits, 3.0, lower_bound=lower_bound, STALL_SECONDS=0.5, FINDER_ALONE=10.0
        )
        return started, NeverSettles.turns, OneCoreThenWaits.built

    # The core raised the bound given (the finder asks again at it): no stall, the search here goes on
    # (3 s of 0.05 s turns).
    started, turns, built = run(lower_bound=0)
    assert started == [("finder_stand_in", (0, FIRST), 0), ("finder_stand_in", (1, FIRST), 0)]
    assert turns >= 20 and built[0] is False

    # It did not: half a second on, a second finder, numbered in another order, and no turns here.
    started, turns, built = run(lower_bound=1)
    assert started == [("finder_stand_in", (1, FIRST), 0), ("finder_stand_in", (1, SECOND), 1)]
    assert turns <= 15 and built == [False]  # and no copy of the counting model here


def finder_refuting_on_the_second_draw(problem, at_most, draw, seconds, connection):
    """Stands in for the finders (module level, for spawn): the second draw refutes its bound at once."""
    if draw == SECOND:
        connection.send(("bound", at_most + 1))
    time.sleep(seconds)


def test_a_bound_one_finder_proves_starts_the_other_again_at_it():
    from tests.scheduling.test_solver import make, pairs

    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)
    NeverSettles.turns = 0

    started = started_processes(
        apart,
        NeverSettles,
        3.0,
        STALL_SECONDS=0.3,
        FINDER_ALONE=10.0,
        _find_at_bound=finder_refuting_on_the_second_draw,
    )

    name = "finder_refuting_on_the_second_draw"
    # The first finder asked again, at the bound the second proved; the second runs on.
    assert started == [(name, (0, FIRST), 0), (name, (0, SECOND), 1), (name, (1, FIRST), 1)]


def test_the_helper_comes_in_the_second_finders_place_only_after_its_share_of_the_time():
    from tests.scheduling.test_solver import make, pairs

    apart = make(pairs((1, 2), (3, 4), (5, 6)), tables=1)
    NeverSettles.turns = 0
    times, real_start = [], maxsat._start_helper

    def timed(task, deadline, out):
        times.append(time.monotonic())
        return real_start(task, deadline, out)

    with mock.patch.object(maxsat, "_start_helper", timed):
        started = started_processes(
            apart, NeverSettles, 5.0, STALL_SECONDS=0.3, FINDER_ALONE=0.3, SECOND_FINDER_ALONE=0.5
        )

    # The helper was due 1.5 s in (FINDER_ALONE), but the second finder, from about 0.3 s in, keeps its
    # place for half of the time then left.
    assert [name for name, _, _ in started] == ["finder_stand_in", "finder_stand_in", "helper_stand_in"]
    assert [args for _, args, _ in started] == [(0, FIRST), (0, SECOND), ()]
    finder, second, helper = times
    assert helper - second >= 0.45 * (finder + 5.0 - second)
    assert helper - finder >= 2.0


def test_without_a_finder_a_stall_here_brings_the_counting_model_in_turns():
    problem = hard_variant("forum-13-t12")  # optimum 1, given as the proven bound: no core raises it
    bp = whole_day(problem)

    with (
        mock.patch.object(maxsat, "TURN_SECONDS", 0.0),
        mock.patch.object(maxsat, "STALL_SECONDS", 0.0),
        recorded_searches() as built,
        small_slices(),
    ):
        out = minimise_breaks(bp, time.monotonic() + 120, lower_bound=1, portfolio=False)

    assert (out.proven, out.breaks, out.lower_bound) == (True, 1, 1)
    assert [search.encoding.busy_limited for search in built] == [False, True]
    assert (built[0].encoding.shuffled, built[1].encoding.shuffled) == (None, FIRST)  # alone: the first draw


def test_of_two_schedules_the_fairer_is_kept_before_the_one_with_fewer_breaks():
    # A triangle: 1-2, 1-3 and 2-3, each in any of six slots; everyone's breaks must be equal.
    triangle = maxsat.BreakProblem(
        positions=6, pairs=((1, 2), (1, 3), (2, 3)), options=((0, 1, 2, 3, 4, 5),) * 3, fairness=0
    )
    unfair, fair = [0, 1, 3], [0, 2, 4]  # breaks 0, 1, 1 (2 in all); 1, 1, 1 (3 in all)
    assert maxsat.breaks_of_positions(triangle, unfair) == {1: 0, 2: 1, 3: 1}
    assert maxsat.breaks_of_positions(triangle, fair) == {1: 1, 2: 1, 3: 1}
    assert unfairness({1: 0, 2: 1, 3: 1}, 0) == 1 and unfairness({1: 1, 2: 1, 3: 1}, 0) == 0
    assert unfairness({1: 0, 2: 1, 3: 1}, None) == 0

    assert maxsat.better(triangle, fair, 3, unfair, 2)
    assert not maxsat.better(triangle, unfair, 2, fair, 3)
    assert not maxsat.better(triangle, [0, 1, 4], 2, unfair, 2)  # as unfair, and no fewer breaks
    lenient = maxsat.BreakProblem(positions=6, pairs=triangle.pairs, options=triangle.options, fairness=None)
    assert maxsat.better(lenient, unfair, 2, fair, 3)


# ---------------------------------------------------------------- the second process
def test_the_second_process_sends_ever_fewer_breaks_each_a_schedule_placing_everything():
    problem = hard_variant("tic-12-t16")
    prepared = Prepared(problem)
    meetings = list(problem.meetings)
    least = least_breaks(prepared, meetings)
    sent = Sent()

    # Here, not in a process; it stops at once when a schedule scores at most the given bound (scores put
    # fairness first: a million per unit of excess spread).
    improve_elsewhere(problem, [m.id for m in meetings], least, 10**12, 0, 60.0, sent)

    assert sent.closed
    ((kind, cost, positions),) = sent.messages  # the first schedule is at the "lower bound" already
    assert kind == "solution"
    slot_of = {m.id: prepared.order[t] for m, t in zip(meetings, positions, strict=True)}
    assert_places_all_by_the_rules(problem, meetings, slot_of)
    assert sum(breaks_of(problem, slot_of).values()) == cost


def test_the_second_process_starts_from_greedy_placement_when_it_places_every_meeting():
    problem = hard_variant("random-1")  # 302 meetings: the SAT solver's first schedule takes seconds
    prepared = Prepared(problem)
    meetings = list(problem.meetings)
    greedy = greedy_schedule(prepared, meetings, time.monotonic() + 60)
    assert greedy is not None and len(greedy) == len(meetings)
    # Compact fit's: fewer breaks than first fit's (199 here)
    first = augment(prepared, first_fit(prepared), time.monotonic() + 60, depth=2)
    assert sum(breaks_of(problem, greedy).values()) < sum(breaks_of(problem, first).values())
    sent = Sent()

    with mock.patch.object(maxsat._Search, "run", side_effect=AssertionError("no SAT call")):
        improve_elsewhere(problem, [m.id for m in meetings], {}, 10**12, 0, 60.0, sent)

    ((kind, cost, positions),) = sent.messages
    assert kind == "solution"
    assert positions == [prepared.pos[greedy[m.id]] for m in meetings]
    assert_places_all_by_the_rules(problem, meetings, greedy)
    assert cost == sum(breaks_of(problem, greedy).values())


def test_the_second_process_asks_the_sat_solver_when_greedy_placement_leaves_a_meeting_out():
    problem = hard_variant("tic-12-t16")
    prepared = Prepared(problem)
    meetings = list(problem.meetings)
    sent = Sent()

    with mock.patch("matching.scheduling.solver.augment", return_value={}) as placed:
        improve_elsewhere(problem, [m.id for m in meetings], {}, 10**12, 0, 60.0, sent)

    assert placed.called
    ((kind, cost, positions),) = sent.messages
    slot_of = {m.id: prepared.order[t] for m, t in zip(meetings, positions, strict=True)}
    assert_places_all_by_the_rules(problem, meetings, slot_of)
    assert sum(breaks_of(problem, slot_of).values()) == cost


def test_the_second_process_improves_on_its_first_schedule_when_given_time():
    problem = hard_variant("tic-12-t16")
    prepared = Prepared(problem)
    meetings = list(problem.meetings)
    least = least_breaks(prepared, meetings)
    sent = Sent()

    improve_elsewhere(problem, [m.id for m in meetings], least, 0, 0, 3.0, sent)

    costs = [m[1] for m in sent.messages]
    assert {m[0] for m in sent.messages} == {"solution"}
    assert costs == sorted(set(costs), reverse=True)
    for _, cost, positions in sent.messages:
        slot_of = {m.id: prepared.order[t] for m, t in zip(meetings, positions, strict=True)}
        assert_places_all_by_the_rules(problem, meetings, slot_of)
        assert sum(breaks_of(problem, slot_of).values()) == cost


def send_a_schedule(positions, cost, seconds, connection):
    """A stand-in second process (module level, so that spawn can import it)."""
    connection.send(("solution", cost, positions))
    connection.close()


def test_a_schedule_from_the_second_process_is_kept_when_the_first_finds_none():
    # forum-13 with 10 tables: the core-guided search spends minutes past a bound of 4, finding no
    # schedule meanwhile, so what the second process sends is kept.
    problem = hard_variant("forum-13-t10")
    prepared = Prepared(problem)
    meetings = list(problem.meetings)
    bp = break_problem(prepared, meetings, least=least_breaks(prepared, meetings))
    first, cost = [m.id % 21 for m in meetings], 999  # a stand-in: the first process takes it as sent

    # No time for the finder alone: the stand-in comes at once.
    with (
        mock.patch.object(maxsat, "HELPER_AFTER", 0.0),
        mock.patch.object(maxsat, "FINDER_ALONE", 0.0),
        mock.patch.object(maxsat, "_find_at_bound", finder_stand_in),
    ):
        out = minimise_breaks(
            bp,
            time.monotonic() + 60,
            helper=(send_a_schedule, (first, cost)),
            on_progress=lambda outcome: outcome.positions is None,  # stop at the first schedule
        )

    assert (out.stopped, out.breaks, out.positions) == (True, cost, first)
    assert multiprocessing.active_children() == []


def test_the_bound_the_stage_proved_is_kept_when_it_found_no_schedule():
    from matching.scheduling import solve
    from matching.scheduling import solver as solver_module

    problem = hard_variant("forum-13-t11")  # optimum 3; the participants' own least breaks add up to 0

    def bound_only(problem, deadline, lower_bound=0, **kwargs):
        return maxsat.Outcome(lower_bound=3)  # proven 3 in its time, and no schedule found

    with mock.patch.object(solver_module, "minimise_breaks", bound_only):
        result = solve(problem, time_limit_seconds=4, workers=1)

    assert result.placed == len(problem.meetings)
    assert result.breaks_lower_bound == 3  # 1 before: only the tight stage's refutation was counted


def test_inside_a_daemonic_process_the_stage_plans_without_a_second_process():
    from types import SimpleNamespace

    from matching.scheduling import solver as solver_module
    from tests.scheduling.test_solver import make, pairs

    run = solver_module._Run(make(pairs((1, 2))), 1.0, None, 2, False, 0)
    assert run.portfolio()
    daemonic = SimpleNamespace(daemon=True)
    with mock.patch.object(solver_module.multiprocessing, "current_process", return_value=daemonic):
        assert not run.portfolio()


def test_while_a_schedule_is_unfair_the_neighbourhood_search_lets_those_with_fewest_breaks_take_more():
    from matching.scheduling import solver as solver_module
    from tests.scheduling.test_solver import day, make, pairs

    # 1 meets 2, 3 and 4; 5 meets 6. Slots 1, 3, 5 give participant 1 two breaks, the others none.
    problem = make(pairs((1, 2), (1, 3), (1, 4), (5, 6)), slots=day(6), fairness=1)
    run = solver_module._Run(problem, 1.0, None, 1, False, 0)
    unfair = {1: 1, 2: 3, 3: 5, 4: 1}
    fair = {1: 1, 2: 2, 3: 4, 4: 1}  # participant 1: one break

    assert run.caps(unfair) == {1: 2, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1}  # up to 0 + fairness
    assert run.caps(fair) == {1: 1, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0}  # nobody worse off
    assert run.score(unfair) > run.score(fair)


def test_each_call_of_the_neighbourhood_search_draws_new_neighbourhoods():
    from matching.scheduling import solver as solver_module

    problem = hard_variant("forum-13-t11")
    run = solver_module._Run(problem, 60.0, None, 1, False, 0)
    placed = list(problem.meetings)
    start = solver_module.greedy_schedule(run.prepared, placed, time.monotonic() + 60)
    states = []  # the generator's state at each call's first draw
    real = run.neighbourhood

    def neighbourhood(kind, rng, *args):
        if len(states[-1]) == 0:
            states[-1].append(rng.getstate())
        return real(kind, rng, *args)

    with mock.patch.object(run, "neighbourhood", neighbourhood):
        for _ in range(2):  # from the same schedule, as after a call that found nothing better
            states.append([])
            run.improve(placed, start, None, 0, 0.5)

    assert states[0] and states[1]
    assert states[1] != states[0]  # equal when each call started the sequence again from the seed


def test_while_a_schedule_is_unfair_each_participant_brought_within_the_limit_is_a_step_forward():
    from matching.scheduling import solver as solver_module
    from matching.scheduling.cpsat_models import BIG
    from tests.scheduling.test_solver import day, make, pairs

    # 1 meets 2, 3 and 4; 5 meets 6, 7 and 8; 9 meets 10. Fairness 1: nobody above one break.
    problem = make(pairs((1, 2), (1, 3), (1, 4), (5, 6), (5, 7), (5, 8), (9, 10)), slots=day(6), fairness=1)
    run = solver_module._Run(problem, 1.0, None, 1, False, 0)
    both_over = {1: 1, 2: 3, 3: 5, 4: 2, 5: 4, 6: 6, 7: 1}  # 1 and 5: two breaks each
    one_over = {1: 1, 2: 2, 3: 3, 4: 2, 5: 4, 6: 6, 7: 1}  # 1 in a row now
    fair = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 1}

    assert run.limit(breaks_of(problem, both_over)) == run.limit(breaks_of(problem, one_over)) == 1
    assert run.limit(breaks_of(problem, fair)) is None
    # The spread stays 2 until the last one is in: the score gains only the two breaks saved.
    assert run.score(both_over) - run.score(one_over) == 2
    assert run.step_score(both_over) - run.step_score(one_over) == BIG + 2
    assert run.step_score(fair) == run.score(fair) == 0


def test_while_a_schedule_is_unfair_the_neighbourhood_search_works_around_those_above_the_limit():
    import random as random_module
    from collections import defaultdict

    from matching.scheduling import solver as solver_module
    from tests.scheduling.test_solver import day, make, pairs

    # 1 meets 2, 3 and 4 in slots 1, 3 and 5 (two breaks); 40 others meet once each (none).
    others = [(10 + 2 * i, 11 + 2 * i) for i in range(40)]
    problem = make(pairs((1, 2), (1, 3), (1, 4), *others), slots=day(6), fairness=1)
    run = solver_module._Run(problem, 1.0, None, 1, False, 0)
    placed = list(problem.meetings)
    current = {1: 1, 2: 3, 3: 5} | {m.id: 1 + m.id % 6 for m in placed[3:]}
    partners = defaultdict(list)
    for m in placed:
        partners[m.a].append(m)
        partners[m.b].append(m)
    rng = random_module.Random(0)  # noqa: S311 (reproducible draws)

    def share_around_participant_1():
        draws = [run.neighbourhood("people", rng, placed, partners, current, 8, 6)[0] for _ in range(300)]
        return sum(1 in free for free in draws) / len(draws)

    assert share_around_participant_1() >= 0.9  # drawn like the others: about half
    with (
        mock.patch.object(solver_module, "UNFAIR_DRAW", 1),
        mock.patch.object(solver_module, "OVER_LIMIT_SHARE", 0),
    ):
        assert share_around_participant_1() <= 0.7
    with mock.patch.object(solver_module, "OVER_LIMIT_SHARE", 1):  # their meetings alone
        draws = [run.neighbourhood("people", rng, placed, partners, current, 8, 6) for _ in range(20)]
        assert draws == [({1, 2, 3}, None)] * 20
    current.update({2: 2, 3: 3})  # now fair: drawn by their breaks alone
    assert share_around_participant_1() <= 0.7


def test_a_slice_is_interrupted_after_its_longest_time_however_large_its_conflict_budget():
    from pysat.examples.genhard import PHP
    from pysat.solvers import Solver

    pigeons = PHP(12)  # 13 pigeons, 12 holes: no schedule, and refuting that takes a SAT solver ages
    solver = Solver(name=maxsat.SAT_SOLVER, bootstrap_with=pigeons.clauses)
    budget = 2_000_000  # conflicts: minutes of work
    try:
        with mock.patch.object(maxsat, "SLICE_LONGEST", 0.2):
            answer, _ = maxsat._slice(solver, [], budget)
        conflicts = solver.accum_stats()["conflicts"]

        assert answer is None and 0 < conflicts < budget  # stopped by the clock, not the budget
        # The interrupt is cleared: the next call runs, and with the first pigeon in no hole it fails at once.
        assert maxsat._slice(solver, [-v for v in pigeons.clauses[0]], budget)[0] is False
    finally:
        solver.delete()
