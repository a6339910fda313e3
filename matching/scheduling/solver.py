"""CP-SAT meeting scheduler: place as many meetings as priorities allow, then minimise breaks fairly.

A participant's breaks are the runs of consecutive busy slots minus one; the lunch gap between the
sessions is not a break (as in the benchmark's checker). Fairness bounds the spread of break counts over
participants with a placed meeting. All stages share one wall-clock budget and work on literals
x[m, s] ("meeting m is in slot s"):

  0. tight, on days too large for stage 0b: every meeting placed and every participant at their own
     least possible breaks (one unbroken block for almost everyone, as a one-hot choice of window).
     Presolve shrinks this to a small model, so when it is feasible it is found fast, and it is optimal
     by construction. If CP-SAT proves it infeasible, the total lower bound rises by one.
  0b. every meeting placed, fewest breaks, as MaxSAT (maxsat.py, python-sat), greedy placement's schedule
     shown first when it places every meeting: a core-guided upward search (RC2) raising the lower
     bound core by core; in a second process Kissat asking for a schedule at that bound on a model
     that also counts participants per slot, then CP-SAT's neighbourhood search (improve_elsewhere),
     each better schedule of which is taken. Where it proves an optimum that is also fair, that is the
     answer; a violated fairness is enforced with per-participant caps and asked again. Its best
     schedule and lower bound seed the stages below when it runs out of time, and if it proves that not
     every meeting fits, the stages below decide which to leave out.
  1. placement: maximise the placed weight ("must" meetings outrank all others together): greedy first
     fit, then augmenting moves (greedy.augment: meetings moved out of an unplaced one's way, in chains);
     proven when that reaches the max-flow ceiling, else CP-SAT from there. Stages 0 and 0b are skipped
     when the ceiling is below the meeting count (not all can fit).
  2. breaks, at that placed weight: minimise BIG * fairness_excess + total breaks (fairness_excess:
     how far the spread exceeds `problem.fairness`; 0 whenever that can be met). First the whole model
     briefly (small days are proven optimal here); then, in turns, large-neighbourhood search (CP-SAT
     re-solves the meetings of a few participants or slots, the rest fixed) until it stalls, and the
     whole model again from the best schedule, to improve it further and prove optimality.
Tables are numbered afterwards: any in-person meeting can use any table; only locked tables are fixed.
Online meetings take no table. Interpreters are a shared resource per slot: every model states Hall's
condition for them (for each set of languages, the meetings needing one of them are at most the
interpreters covering one of them), which is exactly what a matching of interpreters to meetings needs;
the matching itself is made afterwards, slot by slot.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from .analysis import (
    Prepared,
    assign_tables,
    breaks_of,
    diagnose,
    drop_unmatched,
    fill_gaps,
    unfairness,
)
from .bounds import least_breaks, placement_upper_bound
from .cpsat_models import (
    BIG,
    BreaksModel,
    Busy,
    Cancelled,
    SolutionCallback,
    add_hint,
    busy_literals,
    excess_over,
    one_window,
    placement_model,
    prepared_most,
    run_starts,
    slots_from,
)
from .greedy import augment, compact_fit, first_fit
from .maxsat import any_schedule, break_problem, minimise_breaks
from .problem import Meeting, Problem
from .results import FEASIBLE, INFEASIBLE, OPTIMAL, Progress, Result

# The MaxSAT stage takes days up to this many (meeting, candidate slot) literals; larger days (the
# 3 000-request roadshow) keep to CP-SAT, whose placement and neighbourhood search scale better there.
MAXSAT_LITERALS_LIMIT = 30_000
# Share of the time left that the MaxSAT stage may use; the rest goes to CP-SAT's neighbourhood search
# from its best schedule when it has not proven an optimum. With two workers that search already runs
# beside the upward one (the second process), so the proof keeps more of the time.
MAXSAT_SHARE = 0.75
MAXSAT_SHARE_PORTFOLIO = 0.9
# The neighbourhood search's first schedule: greedy placement's when it places every meeting, within
# this many seconds (0.01-0.02 s on the 302-meeting stand-ins), else the SAT solver's.
GREEDY_SECONDS = 1.0
# The MaxSAT stage shows greedy placement's schedule at once when it places every meeting within this
# many seconds (the searches wait for it): before, the staff saw "0 of 302 placed" and no lower bound
# for the first 19-20 s on random-1 and planted-3-t15-f20, until the second process sent a schedule.
GREEDY_SHOWN_SECONDS = 0.2
# While a schedule is unfair, the neighbourhood search draws its neighbourhoods around the participants
# above the fewest breaks + fairness this many times as often as around the others.
UNFAIR_DRAW = 50
# ... and this share of those neighbourhoods (not the slot windows, one round in three) are the meetings
# of those participants alone. The search alone from greedy placement, 12 s, seeds 0-5 (bench/README.md,
# session 18): a fair schedule on random-1 after a median 6.3 s against 7.0 s (one run never fair),
# ending at 74 breaks on average against 81; planted-3-t15-f20 fair after 3.1-4.2 s against 4.5-7.9 s.
OVER_LIMIT_SHARE = 0.5


logger = logging.getLogger(__name__)


def solve(
    problem: Problem,
    time_limit_seconds: float = 60.0,
    on_progress: Callable[[Progress], bool | None] | None = None,
    workers: int = 2,
    log: bool = False,
    seed: int = 0,
) -> Result:
    """Schedule `problem` within about `time_limit_seconds` (wall clock, all stages together).

    `on_progress` gets a Progress for each better schedule; returning False stops the run early (the
    best schedule so far is still returned, as "feasible"); an exception in it stops the run and is
    re-raised. `log` sends CP-SAT's search log to standard error.
    """
    run = _Run(problem, time_limit_seconds, on_progress, workers, log, seed)
    return run.solve()


FINISH_RESERVE_SECONDS = 0.3
FINISH_RESERVE_SHARE = 0.02


class _Run:
    def __init__(self, problem, time_limit_seconds, on_progress, workers, log, seed):
        self.started = time.monotonic()
        # The stages stop a little before the limit: numbering tables, explaining what is left out and
        # CP-SAT's own return take about 0.1 s on a 3 000-request day (bench/scheduler_scale.py).
        reserve = min(FINISH_RESERVE_SECONDS, FINISH_RESERVE_SHARE * time_limit_seconds)
        self.deadline = self.started + max(0.0, time_limit_seconds - reserve)
        self.problem = problem
        self.on_progress = on_progress
        self.workers, self.log, self.seed = workers, log, seed
        # The neighbourhood search's draws: one sequence over all its calls (each call starting the
        # sequence again from the seed drew the same neighbourhoods as the call before it, from the same
        # schedule when that call had found nothing better).
        self.rng = random.Random(seed)  # noqa: S311 (neighbourhoods, not a secret)
        self.prepared = Prepared(problem)
        self.requested = len(problem.meetings)
        self.stages: list[str] = []
        self.cancelled = False
        self.breaks_floor: int | None = None  # proven lower bound on breaks when all placeable are placed
        self.model_seconds = 0.0  # how long building the placement model took
        self.ceiling: float = math.inf  # most meetings any schedule places (max-flow), once solve() knows
        # Called with each better schedule the neighbourhood search finds (the second process sends them).
        self.on_better: Callable[[dict], None] | None = None

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def progress(self, phase, placed, total_breaks, bound, proven=False):
        if self.on_progress is None:
            return None
        seconds = time.monotonic() - self.started
        return self.on_progress(
            Progress(
                phase, seconds, placed, self.requested, total_breaks, bound, self.breaks_floor, proven=proven
            )
        )

    def solve(self) -> Result:
        if self.workers >= 2 and not self.portfolio():
            logger.warning(
                "Scheduling inside a daemonic process: the MaxSAT stage runs without its second process. "
                "Run the scheduler's tasks on a worker with the solo pool (make worker)."
            )
        prepared = self.prepared
        if prepared.conflicts:
            return self.result({}, proven=False, lower_bound=0, conflicts=prepared.conflicts)
        meetings = [m for m in self.problem.meetings if prepared.candidates[m.id]]
        every_one = len(meetings) == self.requested
        # A max-flow ceiling below the meeting count: not all fit, so the stages that place every
        # meeting (and the per-participant bounds they need) are skipped.
        self.ceiling = placement_upper_bound(prepared)
        may_all_fit = self.ceiling >= len(meetings)
        least = least_breaks(prepared, meetings, seconds=min(5.0, self.left() * 0.1)) if may_all_fit else {}
        static_lb = sum(least.values())
        fairness = self.problem.fairness
        fair_at_least = fairness is None or not least or max(least.values()) - min(least.values()) <= fairness

        if may_all_fit:
            self.breaks_floor = static_lb
        use_maxsat = may_all_fit and self.maxsat_fits(meetings)

        # Stage 0: the optimistic tight model. Feasible means optimal: nothing can place more or break less.
        # Not where the MaxSAT stage follows: that stage settles the days the tight model settles as
        # fast, and on the nearly full ones the tight model proves nothing and its time (0.9 s of 30 on
        # planted-8-t15-f10) is the finder's, whose schedule is the answer there.
        tight_infeasible = False
        extra_lb, found = 0, None
        if meetings and every_one and fair_at_least and may_all_fit and not use_maxsat:
            status, slots = self.tight(meetings, least, self.left() * 0.25)
            if slots:
                return self.result(slots, proven=True, lower_bound=static_lb)
            tight_infeasible = status == cp_model.INFEASIBLE
            if self.cancelled:
                return self.result(first_fit(prepared), proven=False, lower_bound=0)
            # Stage 0b (without MaxSAT): someone must take an extra break. Try each participant alone as
            # the one (the others tight): each try is settled by presolve in a fraction of a second, so
            # this either finds a schedule one break above the bound (optimal) or proves that two are
            # needed.
            if tight_infeasible:
                extra_lb, one_more, found = self.single_relaxations(meetings, least, self.left() * 0.2)
                if one_more is not None and self.score(one_more) < BIG:
                    return self.result(one_more, proven=True, lower_bound=static_lb + 1)
                if self.cancelled:
                    return self.result(first_fit(prepared), proven=False, lower_bound=0)

        # Stage 0b: MaxSAT, every placeable meeting placed, fewest breaks (fairly).
        all_placed = None  # a schedule placing every placeable meeting, once one is known
        if use_maxsat:
            share = MAXSAT_SHARE_PORTFOLIO if self.portfolio() else MAXSAT_SHARE
            outcome, slots = self.maxsat(meetings, least, static_lb, self.left() * share)
            if outcome.stopped or self.cancelled:
                self.cancelled = True
                return self.result(slots or first_fit(prepared), proven=False, lower_bound=0)
            if not outcome.infeasible:  # its bound holds for every schedule placing every meeting
                extra_lb = max(extra_lb, outcome.lower_bound - static_lb)
            if slots is not None:
                if outcome.proven and self.score(slots) < BIG:
                    return self.result(slots, proven=True, lower_bound=outcome.lower_bound)
                all_placed, found = slots, slots

        # Stage 1: the most placed weight (known already when MaxSAT placed every placeable meeting).
        weights = prepared.weights()
        if all_placed is not None:
            placement_proven, best_slots = True, all_placed
        else:
            status, best_slots = self.placement(meetings, weights, self.left() * 0.5)
            placement_proven = status == cp_model.OPTIMAL
        best_weight = sum(weights[mid] for mid in best_slots)
        all_fit = best_weight == sum(weights[m.id] for m in meetings)
        # Proven lower bound on the breaks of any schedule placing this much (whatever its fairness).
        fewest = static_lb + max(extra_lb, 1 if tight_infeasible else 0) if all_fit else 0
        self.breaks_floor = fewest if all_fit else None
        if found is not None and all_fit and self.score(found) < self.score(best_slots):
            best_slots = found

        # Stage 2: fewest breaks (fairly) at that placed weight. The whole model first, briefly: small
        # days are proven optimal there. Then, in turns, large-neighbourhood search until it stalls and
        # the whole model again from the best schedule, to improve it further and prove optimality.
        # Scores are BIG * fairness excess + breaks; `floor` is a proven lower bound on the score.
        score, floor = self.score(best_slots), fewest
        attempt = "first"
        # Building a model of the whole day takes about as long as the placement model did: on a large
        # day with less time left than that, the schedule so far is the answer (no overshoot).
        while not self.cancelled and score > floor and self.left() > max(0.05, self.model_seconds):
            if attempt == "search":
                placed = [m for m in meetings if m.id in best_slots]  # the set may change, not its weight
                best_slots, score = self.improve(
                    placed, best_slots, least if all_fit else None, floor, self.left() * 0.7
                )
                attempt = "whole"
                continue
            if attempt == "first":
                budget = min(self.left() * 0.15, 10.0)
            else:
                budget = self.left() if self.left() < 20 else max(10.0, self.left() * 0.3)
            status, slots, bound = self.breaks(
                meetings, best_slots, all_fit, least, fewest, weights, best_weight, budget
            )
            if slots is not None and self.score(slots) <= score:
                best_slots, score = slots, self.score(slots)
            floor = max(floor, score if status == cp_model.OPTIMAL else bound)
            attempt = "search"
        proven = placement_proven and score <= floor and not self.cancelled
        excess = score // BIG
        if floor >= excess * BIG:  # the bound speaks about schedules exactly as fair as this one
            fewest = max(fewest, floor - excess * BIG)
        return self.result(best_slots, proven=proven, lower_bound=fewest)

    def result(self, slot_of, proven, lower_bound, conflicts=()) -> Result:
        prepared = self.prepared
        if conflicts:
            return Result(
                status=INFEASIBLE,
                proven_optimal=False,
                placements=(),
                unplaced=(),
                breaks={},
                total_breaks=0,
                fairness_spread=0,
                fairness_met=True,
                breaks_lower_bound=0,
                seconds=time.monotonic() - self.started,
                requested=self.requested,
                conflicts=tuple(conflicts),
                stages=tuple(self.stages),
            )
        slot_of = drop_unmatched(prepared, slot_of)
        if not proven:
            slot_of = fill_gaps(prepared, slot_of)
        breaks = breaks_of(prepared, slot_of)
        spread = (max(breaks.values()) - min(breaks.values())) if breaks else 0
        total = sum(breaks.values())
        return Result(
            status=OPTIMAL if proven else FEASIBLE,
            proven_optimal=proven,
            placements=tuple(assign_tables(prepared, slot_of)),
            unplaced=tuple(diagnose(prepared, slot_of)),
            breaks=breaks,
            total_breaks=total,
            fairness_spread=spread,
            fairness_met=self.problem.fairness is None or spread <= self.problem.fairness,
            breaks_lower_bound=min(lower_bound, total),
            seconds=time.monotonic() - self.started,
            requested=self.requested,
            stages=tuple(self.stages),
        )

    # ---------------------------------------------------------------- stages
    def maxsat_fits(self, meetings) -> bool:
        literals = sum(len(self.prepared.candidates[m.id]) for m in meetings)
        return bool(meetings) and literals <= MAXSAT_LITERALS_LIMIT

    def maxsat(self, meetings, least, lower_bound, budget):
        """Every meeting of `meetings` placed, fewest breaks, proven where time allows (maxsat.py).
        Returns (maxsat.Outcome, {meeting id: slot} or None)."""
        stop = time.monotonic() + budget
        prepared, fairness = self.prepared, self.problem.fairness
        problem = break_problem(prepared, meetings, least=least)
        outcome, slots = self.maxsat_run("maxsat", meetings, problem, lower_bound, stop)
        if (
            slots is None
            or outcome.stopped
            or fairness is None
            or self.score(slots) < BIG
            or time.monotonic() >= stop
        ):
            return outcome, slots
        # Unfair. The model can say "fair" when someone surely has no break: then the spread is the
        # most breaks anyone has, and fairness caps everyone's breaks at `fairness`.
        people = breaks_of(prepared, slots)
        if not any(self.never_breaks(meetings, who) for who in people):
            return outcome, slots
        capped = break_problem(prepared, meetings, least=least, caps=dict.fromkeys(people, fairness))
        fair, fair_slots = self.maxsat_run(
            "maxsat-fair", meetings, capped, outcome.lower_bound, stop, hint=outcome.positions
        )
        return (fair, fair_slots) if fair_slots is not None else (outcome, slots)

    def maxsat_run(self, name, meetings, problem, lower_bound, stop, hint=None):
        order = self.prepared.order

        def report(outcome):
            self.breaks_floor = outcome.lower_bound
            placed = len(meetings) if outcome.positions is not None else 0
            # Proven fewest breaks, but the run's answer only if it is fair too.
            proven = outcome.proven and self.score(slots_of(outcome)) < BIG
            return self.progress("maxsat", placed, outcome.breaks, outcome.lower_bound, proven=proven)

        def slots_of(outcome):
            return {m.id: order[t] for m, t in zip(meetings, outcome.positions, strict=True)}

        least = dict(problem.least)
        known = None
        until = min(stop, time.monotonic() + GREEDY_SHOWN_SECONDS)
        if hint is None and (greedy := greedy_schedule(self.prepared, meetings, until)) is not None:
            known = [self.prepared.pos[greedy[m.id]] for m in meetings]
        outcome = minimise_breaks(
            problem,
            deadline=stop,
            lower_bound=lower_bound,
            hint=hint,
            on_progress=report,
            portfolio=self.portfolio(),
            known=known,
            helper=(
                improve_elsewhere,
                (self.problem, [m.id for m in meetings], least, lower_bound, self.seed),
            ),
        )
        verdict = "INFEASIBLE" if outcome.infeasible else "OPTIMAL" if outcome.proven else "UNKNOWN"
        self.stages.append(f"{name}:{verdict} {outcome.breaks} breaks, bound {outcome.lower_bound}")
        if outcome.positions is None:
            return outcome, None
        return outcome, slots_of(outcome)

    def portfolio(self) -> bool:
        """Can the MaxSAT stage run a second process? Two workers, and not inside a daemonic process (a
        task queue's prefork pool worker, say), which may not start children: there it runs alone, and
        far weaker (planted-3: 57 breaks in 30 s against 0, proven, in 10 s), hence the portal's
        scheduler runs go to a worker of their own with the solo pool (portal/celery.py)."""
        return self.workers >= 2 and not multiprocessing.current_process().daemon

    def never_breaks(self, meetings, who) -> bool:
        """Can this participant's meetings never make a break (one meeting, or no room for a gap)?"""
        own = [m for m in meetings if who in (m.a, m.b)]
        slots = {s for m in own for s in self.prepared.candidates[m.id]}
        return len(own) <= 1 or self.prepared.max_blocks(list(slots)) <= 1

    def tight(self, meetings, least, budget):
        """Every meeting placed, everyone at their least breaks."""
        x, model = placement_model(self.prepared, meetings, exact=True)
        people = busy_literals(self.prepared, model, meetings, x)
        for who, busy in people.items():
            if least[who] == 0:
                one_window(self.prepared, model, busy, busy.count_of)
            else:
                model.add(sum(run_starts(self.prepared, model, busy)) == least[who] + 1)

        def report(cb):
            return self.progress("tight", len(meetings), sum(least.values()), cb.best_objective_bound)

        status, solver = self.run("tight", model, budget, report)
        slots = slots_from(solver, x) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else {}
        return status, slots

    def single_relaxations(self, meetings, least, budget):
        """Is there a schedule one break above the sum of least breaks? Only if one participant takes one
        extra break and everyone else their least. Group tests settle this: a group whose members may each
        take one extra break (everyone else at their least) that is infeasible clears all its members at
        once; a feasible group is split. Each test is a small model that presolve usually settles in a
        fraction of a second. Returns (2, None, _) when every participant is cleared (a proof that two
        extra breaks are needed), (1, schedule, _) for a schedule with exactly one extra break, (1, None, _)
        when time ran out or a test could not be settled. The third item is the best schedule any test
        found."""
        stop = time.monotonic() + budget
        x, base = placement_model(self.prepared, meetings, exact=True)
        people = busy_literals(self.prepared, base, meetings, x)
        tight = {}
        for who, busy in people.items():
            if prepared_most(self.prepared, busy) <= least[who]:
                continue  # cannot take an extra break at all
            tight[who] = base.new_bool_var(f"tight_{who}")
            if least[who] == 0:
                one_window(self.prepared, base, busy, busy.count_of, enforce=tight[who])
            else:
                base.add(sum(run_starts(self.prepared, base, busy)) == least[who] + 1).only_enforce_if(
                    tight[who]
                )
        others = [w for w in people if w not in tight]
        for who in others:
            busy = people[who]
            if least[who] == 0:
                one_window(self.prepared, base, busy, busy.count_of)
            else:
                base.add(sum(run_starts(self.prepared, base, busy)) == least[who] + 1)

        def test(group):
            model = base.clone()
            for who, lit in tight.items():
                model.add(model.get_bool_var_from_proto_index(lit.index) == (0 if who in group else 1))
            for who in group:
                var = model.get_bool_var_from_proto_index
                busy = Busy({s: var(v.index) for s, v in people[who].items()})
                model.add(sum(run_starts(self.prepared, model, busy)) <= least[who] + 2)
            seconds = min(stop - time.monotonic(), 0.6)
            status, solver = self.run("relaxed", model, seconds, None, record=False)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return status, {
                    mid: s
                    for mid, by_slot in x.items()
                    for s, v in by_slot.items()
                    if solver.boolean_value(model.get_bool_var_from_proto_index(v.index))
                }
            return status, None

        # Busiest first: their blocks are the hardest to fit, so they are the likeliest to need a break.
        order = sorted(tight, key=lambda p: (-people[p].count_of, p))
        size = 4
        queue = [order[i : i + size] for i in range(0, len(order), size)]
        tests, best = 0, None
        while queue:
            if stop - time.monotonic() <= 0.05 or self.cancelled:
                self.stages.append(f"relaxed-one:UNKNOWN after {tests} tests")
                return 1, None, best
            group = queue.pop(0)
            status, slots = test(group)
            tests += 1
            if status == cp_model.INFEASIBLE:
                continue
            if slots is None and len(group) == 1:
                self.stages.append(f"relaxed-one:UNKNOWN after {tests} tests")
                return 1, None, best
            if len(group) == 1:
                self.stages.append(f"relaxed-one:FEASIBLE after {tests} tests")
                return 1, slots, slots
            if slots is not None and (best is None or self.score(slots) < self.score(best)):
                best = slots  # a few extra breaks, one per member at most: a good first schedule
            half = len(group) // 2
            queue[:0] = [group[:half], group[half:]]
        self.stages.append(f"relaxed-one:INFEASIBLE after {tests} tests")
        return 2, None, best

    def placement(self, meetings, weights, budget):
        """The most placed weight: greedy first fit, augmented by moving meetings out of the way, then
        CP-SAT from there unless that already reaches the max-flow ceiling with every "must" placed and
        all others of equal weight (then nothing can place more weight)."""
        stop = time.monotonic() + budget
        hint = augment(self.prepared, first_fit(self.prepared), time.monotonic() + budget * 0.6, depth=2)
        if len(hint) >= self.ceiling and all(m.id in hint if m.is_must else m.weight == 1 for m in meetings):
            self.stages.append("placement:augmented to the ceiling")
            return cp_model.OPTIMAL, hint
        building = time.monotonic()
        x, model = placement_model(self.prepared, meetings, exact=False)
        model.maximize(sum(weights[m.id] * sum(x[m.id].values()) for m in meetings))
        add_hint(model, x, hint)
        self.model_seconds = time.monotonic() - building
        budget = stop - time.monotonic()

        def report(cb):
            placed = sum(1 for m in meetings if any(cb.boolean_value(v) for v in x[m.id].values()))
            return self.progress("placement", placed, None, cb.best_objective_bound)

        status, solver = self.run("placement", model, budget, report)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            slots = slots_from(solver, x)
            if sum(weights[mid] for mid in slots) >= sum(weights[mid] for mid in hint):
                return status, slots
        return status, hint

    def breaks(self, meetings, hint, all_fit, least, lower_bound, weights, best_weight, budget):
        """The full model: fewest breaks (fairly) over every meeting, starting from `hint`."""
        model = BreaksModel(
            self.prepared,
            free=meetings,
            fixed={},
            exact=all_fit,
            least=least if all_fit else None,
            lower_bound=lower_bound,
            weights=None if all_fit else weights,
            min_weight=None if all_fit else best_weight,
        )
        model.hint(hint)
        model.at_most(self.score(hint))

        def report(cb):
            return self.progress("breaks", model.placed(cb), model.breaks(cb), cb.best_objective_bound)

        status, solver = self.run("breaks", model.model, budget, report)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, None, 0
        return status, model.slots(solver), max(0, math.ceil(solver.best_objective_bound - 1e-6))

    def score(self, slot_of) -> int:
        """W * fairness excess + total breaks of a complete schedule, W above any total."""
        breaks = breaks_of(self.prepared, slot_of)
        return unfairness(breaks, self.problem.fairness) * BIG + sum(breaks.values())

    def improve(self, placed, slot_of, least, lower_bound, budget):
        """Large-neighbourhood search: free the meetings of a few participants (or of a few slots), keep
        the rest, let CP-SAT re-solve that part; keep any schedule that is no worse. Stops early at the
        proven lower bound."""
        stop = time.monotonic() + budget
        rng = self.rng
        current = dict(slot_of)
        score = self.step_score(current)
        size = max(8, len(placed) // 6)
        partners: dict[int, list[Meeting]] = defaultdict(list)
        for m in placed:
            partners[m.a].append(m)
            partners[m.b].append(m)
        n = len(self.prepared.order)
        rounds = improved = 0
        since_better = 0
        # Stop when the lower bound is reached, or after many rounds without progress (the whole model
        # then gets its turn: it may prove the schedule optimal).
        while (
            time.monotonic() < stop - 0.05
            and score > lower_bound
            and not self.cancelled
            and since_better < 15
        ):
            rounds += 1
            since_better += 1
            kind = ("people", "people", "window")[rounds % 3]
            free, allowed = self.neighbourhood(kind, rng, placed, partners, current, int(size), n)
            if not free:
                continue
            fixed = {m.id: current[m.id] for m in placed if m.id not in free}
            model = BreaksModel(
                self.prepared,
                free=[m for m in placed if m.id in free],
                fixed=fixed,
                exact=True,
                least=least,
                lower_bound=0,
                allowed=allowed,
                caps=self.caps(current),
                limit=self.limit(breaks_of(self.prepared, current)),
            )
            model.hint(current)
            model.at_most(score)
            seconds = min(max(0.3, min(2.0, budget / 40)), stop - time.monotonic())
            status, solver = self.run("improve", model.model, seconds, None, record=False)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                candidate = {**fixed, **model.slots(solver)}
                new = self.step_score(candidate)
                if new <= score:
                    if new < score:
                        improved += 1
                        since_better = 0
                        total = sum(breaks_of(self.prepared, candidate).values())
                        if self.progress("improve", len(candidate), total, lower_bound) is False:
                            self.cancelled = True
                        if self.on_better is not None:
                            self.on_better(candidate)
                    current, score = candidate, new
            # Grow the neighbourhood while CP-SAT settles it in time; shrink it when it does not.
            size = size * 1.15 if status == cp_model.OPTIMAL else size * 0.85
            size = min(max(size, 8), len(placed))
        self.stages.append(f"improve:{rounds} rounds, {improved} better")
        return current, self.score(current)

    def limit(self, breaks: dict[int, int]) -> int | None:
        """While a schedule with these breaks per participant is unfair, the most breaks anyone may have
        for it to be fair (the fewest anyone has + fairness); None once it is fair."""
        if not unfairness(breaks, self.problem.fairness):
            return None
        return min(breaks.values()) + self.problem.fairness

    def step_score(self, slot_of) -> int:
        """The neighbourhood search's score: like `score`, but while unfair W times the sum of the breaks
        above the limit (`limit`). The spread falls only when the last participant above it comes
        within it, so each step would have nothing to gain from bringing one of several in."""
        breaks = breaks_of(self.prepared, slot_of)
        limit = self.limit(breaks)
        return (excess_over(breaks, limit) * BIG if limit is not None else 0) + sum(breaks.values())

    def caps(self, slot_of) -> dict[int, int]:
        """Most breaks each participant may have after a neighbourhood search step: no more than now (far
        smaller searches, and still steady progress); while the schedule is unfair, those with the fewest
        may take up to `fairness` more than the fewest, so that the spread can shrink from below too."""
        breaks = breaks_of(self.prepared, slot_of)
        limit = self.limit(breaks)
        if limit is None:
            return breaks
        return {who: max(count, limit) for who, count in breaks.items()}

    def neighbourhood(self, kind, rng, placed, partners, current, size, n):
        order = self.prepared.order
        if kind == "window":
            width = rng.randint(2, max(2, n // 2))
            first = rng.randrange(0, max(1, n - width + 1))
            inside = set(order[first : first + width])
            free = {m.id for m in placed if current[m.id] in inside}
            allowed = {mid: [s for s in self.prepared.candidates[mid] if s in inside] for mid in free}
            return free, allowed
        breaks = breaks_of(self.prepared, current)
        people = list(partners)
        weights = [(breaks.get(p, 0) + 0.25) ** 2 for p in people]
        most = self.limit(breaks)
        if most is not None:
            # Around those above the fewest + fairness: the schedule is fair only once none is left
            # (planted-2 ended at spread 3 when these were drawn like everyone else).
            if rng.random() < OVER_LIMIT_SHARE:
                # Only their meetings, as many of them as the size allows (their partners' others stay).
                over = [p for p in people if breaks.get(p, 0) > most]
                rng.shuffle(over)
                free = set()
                for who in over:
                    if len(free) >= size:
                        break
                    free.update(m.id for m in partners[who])
                return free, None
            weights = [
                w * (UNFAIR_DRAW if breaks.get(p, 0) > most else 1)
                for p, w in zip(people, weights, strict=True)
            ]
        seed = rng.choices(people, weights=weights)[0]
        chosen, queue, free = {seed}, [seed], set()
        while queue and len(free) < size:
            who = queue.pop(0)
            for m in partners[who]:
                free.add(m.id)
                other = m.b if m.a == who else m.a
                if other not in chosen:
                    chosen.add(other)
                    queue.append(other)
            rng.shuffle(queue)
        return free, None

    def run(self, name, model, seconds, report, record=True):
        solver = cp_model.CpSolver()
        # Never past the run's deadline, however long building the model took since `seconds` was set.
        solver.parameters.max_time_in_seconds = max(0.01, min(seconds, self.left()))
        solver.parameters.num_workers = max(1, self.workers)
        solver.parameters.random_seed = self.seed
        solver.parameters.log_to_stdout = False
        if self.log:
            solver.parameters.log_search_progress = True
            solver.log_callback = lambda line: print(line, file=sys.stderr)
        callback = SolutionCallback(report)
        status = solver.solve(model, callback)
        if callback.error is not None:
            if not isinstance(callback.error, Cancelled):
                raise callback.error
            self.cancelled = True
            if status == cp_model.OPTIMAL:
                status = cp_model.FEASIBLE  # stopped by the caller: nothing is proven
        if record:
            self.stages.append(f"{name}:{solver.status_name(status)}")
        return status, solver


def greedy_schedule(prepared: Prepared, meetings, until: float) -> dict[int, int] | None:
    """Greedy placement as {meeting id: slot} when it places every one of `meetings`, else None: compact
    fit (fewest breaks added, meeting by meeting) and first fit, each then given augmenting moves until
    `until`; of the two that place them all, the fairer, then the one with fewer breaks. (Compact fit
    has fewer breaks on the bench/b2b_hard.py days where both place every meeting, but leaves one out
    on tic-12 and tic-12-t16.)"""
    best, best_rank = None, None
    for fit in (compact_fit, first_fit):
        slot_of = augment(prepared, fit(prepared), until, depth=2)
        if any(m.id not in slot_of for m in meetings):
            continue
        slot_of = {m.id: slot_of[m.id] for m in meetings}
        breaks = breaks_of(prepared, slot_of)
        rank = unfairness(breaks, prepared.problem.fairness), sum(breaks.values())
        if best is None or rank < best_rank:
            best, best_rank = slot_of, rank
    return best


def improve_elsewhere(problem, meeting_ids, least, lower_bound, seed, seconds, connection) -> None:
    """The MaxSAT stage's second process: while the first proves lower bounds, CP-SAT's neighbourhood
    search (one worker) improves a schedule placing every one of `meeting_ids`, from greedy placement's
    schedule when that places them all, else from the SAT solver's first one. Sends ("solution", breaks,
    positions) for each better one, ("infeasible",) if not every meeting fits; the first process stops
    it."""
    run = _Run(problem, seconds, None, workers=1, log=False, seed=seed)
    prepared = run.prepared
    meetings = [prepared.by_id[mid] for mid in meeting_ids]
    problem_ = break_problem(prepared, meetings, least=least)
    pos, order = prepared.pos, prepared.order

    def send(slot_of):
        positions = [pos[slot_of[m.id]] for m in meetings]
        connection.send(("solution", sum(breaks_of(prepared, slot_of).values()), positions))

    try:
        slot_of = greedy_schedule(prepared, meetings, min(run.deadline, time.monotonic() + GREEDY_SECONDS))
        if slot_of is None:  # the SAT solver's (1-5 s on the largest days)
            positions = any_schedule(problem_, run.deadline)
            if positions is False:
                connection.send(("infeasible",))
            if not positions:
                return
            slot_of = {m.id: order[t] for m, t in zip(meetings, positions, strict=True)}
        send(slot_of)
        run.on_better = send
        while run.left() > 0.1:
            slot_of, score = run.improve(meetings, slot_of, least, lower_bound, run.left())
            if score <= lower_bound:
                return
            run.seed += 1  # other neighbourhoods after a stall
    finally:
        connection.close()
