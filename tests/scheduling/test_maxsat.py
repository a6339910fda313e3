"""The MaxSAT break stage (matching.scheduling.maxsat): alone against brute force on tiny days, inside
solve() against the independent checker and enumeration, and on the published instances and a harder
variant, whose optima are known."""

import json
import multiprocessing
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import assume, given

from bench.b2b_format import problem_from_instance
from matching.scheduling import OPTIMAL, maxsat, solve
from matching.scheduling import solver as solver_module
from matching.scheduling.analysis import Prepared
from matching.scheduling.bounds import least_breaks
from matching.scheduling.maxsat import _descend, break_problem, minimise_breaks
from tests.scheduling.checker import assert_feasible, breaks_of, capacity, possible_slots
from tests.scheduling.test_properties import (
    SOLVE,
    TINY,
    assert_as_good_as_enumeration,
    every_outcome,
    planted_problems,
    problems,
    property_settings,
)

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "bench" / "b2b"
# Far more than any case here needs (they settle in about a second); only a hung search hits it.
GENEROUS = 120.0


def far_deadline():
    return time.monotonic() + GENEROUS


def maxsat_alone(problem, portfolio=False):
    """The stage on every meeting that has a possible slot: (meetings, Outcome, {meeting id: slot})."""
    prepared = Prepared(problem)
    meetings = [m for m in problem.meetings if prepared.candidates[m.id]]
    result = minimise_breaks(break_problem(prepared, meetings), far_deadline(), portfolio=portfolio)
    slot_of = None
    if result.positions is not None:
        slot_of = {m.id: prepared.order[t] for m, t in zip(meetings, result.positions, strict=True)}
    return meetings, result, slot_of


def assert_places_all_by_the_rules(problem, meetings, slot_of):
    """Checked with the independent checker's own notions: possible slots, one meeting per person and
    slot, no more meetings in a slot than it has tables."""
    assert set(slot_of) == {m.id for m in meetings}
    by_id = {m.id: m for m in problem.meetings}
    people = Counter((who, s) for mid, s in slot_of.items() for who in (by_id[mid].a, by_id[mid].b))
    assert max(people.values(), default=0) <= 1
    for mid, s in slot_of.items():
        assert s in possible_slots(problem, by_id[mid])
    for s, n in Counter(slot_of.values()).items():
        assert n <= capacity(problem, s)


def fewest_breaks_placing_all(problem, meetings):
    """By enumeration: the fewest breaks of a schedule placing every one of `meetings`, or None."""
    everything = (
        sum(1 for m in meetings if m.priority == "must"),
        sum((1 if m.priority == "would" else m.priority) for m in meetings if m.priority != "must"),
    )
    totals = [total for musts, others, _, total in every_outcome(problem) if (musts, others) == everything]
    return min(totals, default=None)


# ---------------------------------------------------------------- the stage alone, against brute force
@property_settings(80)
@given(problems(**TINY))
def test_alone_the_stage_finds_the_fewest_breaks_of_any_schedule_placing_everything(problem):
    meetings, result, slot_of = maxsat_alone(problem)
    fewest = fewest_breaks_placing_all(problem, meetings)

    if fewest is None:
        assert (result.infeasible, slot_of) == (True, None)
        return
    assert not result.infeasible and result.proven
    assert_places_all_by_the_rules(problem, meetings, slot_of)
    assert result.breaks == sum(breaks_of(problem, slot_of).values()) == fewest == result.lower_bound


@property_settings(40)
@given(planted_problems(max_people=8, max_slots=6))
def test_alone_the_stage_places_every_meeting_of_a_day_built_around_a_schedule(problem):
    meetings, result, slot_of = maxsat_alone(problem)

    assert result.proven and not result.infeasible
    assert_places_all_by_the_rules(problem, meetings, slot_of)
    assert result.breaks == sum(breaks_of(problem, slot_of).values()) >= result.lower_bound


# ---------------------------------------------------------------- inside solve()
# On days the MaxSAT stage takes (these), it decides whenever every meeting fits (and, on an unfair
# optimum, its fairness caps); CP-SAT's tight stage runs only on larger days. With the limit at 0 these
# days are planned as those are, by CP-SAT's stages alone.
STAGES = {"with the MaxSAT stage": solver_module.MAXSAT_LITERALS_LIMIT, "CP-SAT's alone": 0}


def solved_by(stages, problem):
    with mock.patch.object(solver_module, "MAXSAT_LITERALS_LIMIT", STAGES[stages]):
        result = solve(problem, **SOLVE)
    if not STAGES[stages]:
        assert not any(stage.startswith("maxsat") for stage in result.stages)
    assert_feasible(problem, result)
    return result


@pytest.mark.parametrize("stages", STAGES)
@property_settings(70)
@given(problem=problems(**TINY))
def test_the_schedule_is_as_good_as_enumeration_finds(stages, problem):
    result = solved_by(stages, problem)

    most_musts, musts = assert_as_good_as_enumeration(problem, result)
    assert musts == most_musts


@pytest.mark.parametrize("stages", STAGES)
@property_settings(40)
@given(problem=planted_problems())
def test_a_day_built_around_a_schedule_is_placed_whole(stages, problem):
    assume(problem.meetings)
    result = solved_by(stages, problem)

    assert result.unplaced == ()
    if STAGES[stages]:
        assert any(stage.startswith("maxsat:OPTIMAL") for stage in result.stages)
        assert result.status == OPTIMAL  # proven: fairness met, or (only when it cannot be) by CP-SAT after


def test_on_a_day_the_stage_takes_the_tight_stage_is_not_run():
    from tests.scheduling.test_solver import fairness_day

    with mock.patch.object(solver_module._Run, "tight", side_effect=AssertionError("tight stage run")):
        result = solve(fairness_day(None), **SOLVE)

    assert result.status == OPTIMAL
    assert [stage.split(":")[0] for stage in result.stages] == ["maxsat"]


def test_an_unfair_optimum_that_caps_cannot_mend_is_left_to_cp_sat_which_keeps_fairness():
    # fairness_day: the fewest breaks (3) all fall on participant 1, who cannot have fewer; everyone
    # has two meetings or more, so no cap on breaks states the spread. CP-SAT's stages take over.
    from tests.scheduling.test_solver import fairness_day

    result = solve(fairness_day(2), **SOLVE)

    assert (result.status, result.total_breaks, result.fairness_spread) == (OPTIMAL, 7, 2)
    assert result.stages[0] == "maxsat:OPTIMAL 3 breaks, bound 3"
    assert result.breaks == {1: 3, 2: 1, 3: 1, 4: 1, 5: 1}


def test_progress_of_the_stage_reports_a_rising_lower_bound_and_a_proven_optimum_last():
    from tests.scheduling.test_solver import fairness_day

    seen = []
    result = solve(fairness_day(None), on_progress=seen.append, **SOLVE)

    stage = [p for p in seen if p.phase == "maxsat"]
    bounds = [p.breaks_lower_bound for p in stage]
    assert bounds == sorted(bounds) and bounds[-1] == result.total_breaks == 3
    assert (stage[-1].proven, stage[-1].total_breaks, stage[-1].placed) == (True, 3, 6)
    assert [p.proven for p in stage[:-1]] == [False] * (len(stage) - 1)


def test_the_stages_other_processes_reach_it_without_loading_or_tools():
    # They import this package to unpickle their task; OR-Tools (and pandas with it) takes about 0.45 s
    # to import, time the finders and the copy of the search are now spared.
    probe = "import sys, matching.scheduling.maxsat; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run(  # noqa: S603 (our own interpreter, a fixed command)
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert "pysat" in loaded.stdout
    assert "ortools" not in loaded.stdout and "pandas" not in loaded.stdout


def test_the_package_still_gives_solve_and_nothing_it_does_not_have():
    import matching.scheduling

    assert matching.scheduling.solve is solve
    with pytest.raises(AttributeError, match="no attribute 'solver_of_everything'"):
        matching.scheduling.solver_of_everything  # noqa: B018


# ---------------------------------------------------------------- the published instances and a variant
def instance(name):
    return json.loads((BENCHMARKS / f"{name}.json").read_text())


@pytest.mark.parametrize("name", ["forum-13", "tic-12"])
def test_alone_the_stage_proves_the_published_optimum_of_the_published_instances(name):
    data = instance(name)
    problem = problem_from_instance(data)

    meetings, result, slot_of = maxsat_alone(problem)

    assert (result.proven, result.breaks, result.lower_bound) == (True, data["best_known_breaks"], 0)
    assert_places_all_by_the_rules(problem, meetings, slot_of)
    assert sum(breaks_of(problem, slot_of).values()) == 0


def hard_variant(name):
    # As a package: bench/ itself on sys.path would shadow the matching package in spawned processes.
    from bench.b2b_hard import instance

    return problem_from_instance(instance(name))


# forum-13 with 40 more participants given a forbidden slot (bench/b2b_hard.py's forum-13-t14-f40): the
# participants' own least breaks add up to 1, yet 3 are needed, so both "1" and "2" must be refuted.
VARIANT, VARIANT_OPTIMUM = "forum-13-t14-f40", 3


def test_the_upward_search_refutes_every_smaller_count_and_proves_a_variants_optimum():
    problem = hard_variant(VARIANT)
    prepared = Prepared(problem)
    least = least_breaks(prepared, list(problem.meetings))
    assert sum(least.values()) == 1
    bounds = []

    result = minimise_breaks(
        break_problem(prepared, list(problem.meetings), least=least),
        far_deadline(),
        lower_bound=1,
        on_progress=lambda o: bounds.append(o.lower_bound),
        portfolio=False,
    )

    assert (result.proven, result.breaks, result.lower_bound) == (True, VARIANT_OPTIMUM, VARIANT_OPTIMUM)
    assert bounds == [2, 3, 3]  # "1" refuted, "2" refuted, then a schedule with 3
    slot_of = {m.id: prepared.order[t] for m, t in zip(problem.meetings, result.positions, strict=True)}
    assert_places_all_by_the_rules(problem, list(problem.meetings), slot_of)
    assert sum(breaks_of(problem, slot_of).values()) == VARIANT_OPTIMUM


def test_a_schedule_known_at_the_start_is_reported_at_once_and_not_guessed_towards():
    problem = hard_variant(VARIANT)
    prepared = Prepared(problem)
    meetings = list(problem.meetings)
    least = least_breaks(prepared, meetings)
    greedy = solver_module.greedy_schedule(prepared, meetings, far_deadline())
    known = [prepared.pos[greedy[m.id]] for m in meetings]
    known_breaks = sum(breaks_of(problem, greedy).values())
    assert known_breaks > VARIANT_OPTIMUM
    reports, hints = [], []

    class Recorded(maxsat._CoreGuided):
        def __init__(self, *args, hint=None, **kwargs):
            hints.append(hint)
            super().__init__(*args, hint=hint, **kwargs)

    with mock.patch.object(maxsat, "_CoreGuided", Recorded):
        result = minimise_breaks(
            break_problem(prepared, meetings, least=least),
            far_deadline(),
            lower_bound=1,
            on_progress=lambda o: reports.append((list(o.positions), o.breaks, o.lower_bound)),
            portfolio=False,
            known=known,
        )

    assert reports[0] == (known, known_breaks, 1)  # before any core
    assert hints and all(hint is None for hint in hints)  # the searches' phases stay "no break"
    assert (result.proven, result.breaks) == (True, VARIANT_OPTIMUM)
    assert reports[-1][1:] == (VARIANT_OPTIMUM, VARIANT_OPTIMUM)


def test_the_stage_shows_greedy_placements_schedule_before_its_searches_report():
    problem = hard_variant(VARIANT)
    seen = []

    result = solve(problem, time_limit_seconds=GENEROUS, on_progress=seen.append, workers=1)

    first = next(p for p in seen if p.phase == "maxsat")
    assert (first.placed, first.requested) == (len(problem.meetings), len(problem.meetings))
    assert first.total_breaks > VARIANT_OPTIMUM and first.breaks_lower_bound == 1 and not first.proven
    assert (result.proven_optimal, result.total_breaks) == (True, VARIANT_OPTIMUM)


def test_stopped_at_the_greedy_schedule_the_stage_asks_nothing_more():
    problem = hard_variant(VARIANT)  # greedy placement's schedule: fairness spread 3, above 2
    seen = []

    def stop_at_once(progress):
        seen.append(progress)
        return False

    result = solve(problem, time_limit_seconds=GENEROUS, on_progress=stop_at_once, workers=1)

    assert len(seen) == 1 and seen[0].phase == "maxsat" and seen[0].placed == len(problem.meetings)
    assert [stage.split(":")[0] for stage in result.stages] == ["maxsat"]  # no capped run for fairness
    assert not result.proven_optimal and result.placed == len(problem.meetings)


def test_without_a_greedy_schedule_placing_every_meeting_the_stage_shows_none_until_a_search_has_one():
    problem = hard_variant(VARIANT)
    seen = []

    with mock.patch.object(solver_module, "augment", return_value={}):
        solve(problem, time_limit_seconds=GENEROUS, on_progress=seen.append, workers=1)

    stage = [p for p in seen if p.phase == "maxsat"]
    assert [p.placed for p in stage[:-1]] == [0] * (len(stage) - 1)  # bounds only, then the optimum
    assert stage[-1].placed == len(problem.meetings) and stage[-1].proven


def test_the_upward_search_stops_between_cores_when_asked_and_keeps_the_bound_proven_so_far():
    # forum-13 with 11 tables (optimum 3): stop as soon as the cores have proven 2.
    problem = hard_variant("forum-13-t11")
    prepared = Prepared(problem)
    bounds = []

    def progress(outcome):
        bounds.append(outcome.lower_bound)
        return outcome.lower_bound < 2

    result = minimise_breaks(
        break_problem(prepared, list(problem.meetings)), far_deadline(), on_progress=progress, portfolio=False
    )

    assert (result.stopped, result.lower_bound, result.positions, result.proven) == (True, 2, None, False)
    assert bounds == [1, 2]


def test_the_upward_search_ends_at_its_deadline_with_the_bound_it_has_proven():
    # forum-13 with 10 tables: its cores take minutes to settle; half a second proves little.
    problem = hard_variant("forum-13-t10")
    prepared = Prepared(problem)

    result = minimise_breaks(
        break_problem(prepared, list(problem.meetings)), time.monotonic() + 0.5, portfolio=False
    )

    assert not result.proven and not result.infeasible and not result.stopped
    assert result.positions is None and 0 <= result.lower_bound <= 4


class Sent:
    """Stands in for the pipe to the first process: keeps what is sent."""

    def __init__(self):
        self.messages, self.closed = [], False

    def send(self, message):
        self.messages.append(message)

    def close(self):
        self.closed = True


def test_the_downward_search_sends_ever_better_schedules_then_proves_the_last_one():
    problem = hard_variant(VARIANT)
    prepared = Prepared(problem)
    sent = Sent()

    _descend(break_problem(prepared, list(problem.meetings)), GENEROUS, sent)  # here, not in a process

    messages = sent.messages
    assert sent.closed
    costs = [m[1] for m in messages if m[0] == "solution"]
    assert messages[-1] == ("optimal",) and len(costs) == len(messages) - 1
    assert costs == sorted(set(costs), reverse=True) and costs[-1] == VARIANT_OPTIMUM
    for _, cost, positions in messages[:-1]:
        slot_of = {m.id: prepared.order[t] for m, t in zip(problem.meetings, positions, strict=True)}
        assert_places_all_by_the_rules(problem, list(problem.meetings), slot_of)
        assert sum(breaks_of(problem, slot_of).values()) == cost


def test_with_the_second_process_the_optimum_is_proven_and_the_process_is_gone_afterwards():
    problem = hard_variant(VARIANT)
    prepared = Prepared(problem)
    started = []
    real_start = maxsat._start_helper

    def start(*args):
        started.append(real_start(*args))
        return started[-1]

    with mock.patch.object(maxsat, "HELPER_AFTER", 0.0), mock.patch.object(maxsat, "_start_helper", start):
        result = minimise_breaks(break_problem(prepared, list(problem.meetings)), far_deadline())

    assert (result.proven, result.breaks) == (True, VARIANT_OPTIMUM)
    # The finder, started again each time a core here raised the bound it was asked at; each stopped and
    # joined.
    assert started and all(process is not None and process.exitcode is not None for process, _ in started)
    assert multiprocessing.active_children() == []
