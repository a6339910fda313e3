"""Fewest breaks when every meeting is placed: a MaxSAT model solved incrementally with python-sat.

The model (after Bofill, Coll, Garcia, Giráldez-Cru, Pesant, Suy and Villaret, "Constraint Solving
Approaches to the Business-to-Business Meeting Scheduling Problem", JAIR) is plain CNF over positions
in the day (0 = first slot), built on what search can propagate rather than on a linear relaxation:

- meet[m, t]: meeting m is at position t, only for the positions its session, fixed slot and both
  sides' availability allow. Exactly one per meeting.
- busy[p, t] <-> some meeting of p is at t (both directions), and at most one of them is.
- Tables: at most `room` in-person meetings per position (a sequential counter). Interpreters: for each
  set of languages, the meetings needing one of them at most the interpreters covering one (Hall's
  condition, from analysis.Prepared.interpreter_limits).
- Implied: p is busy at exactly as many positions as p has meetings (a sequential counter).
- met_before[p, t] <-> busy[p, u] for some u <= t (a chain, both directions), and the break literal
  gap[p, t] <-> busy[p, t] and not busy[p, t-1] and met_before[p, t-2]: p starts a new run of meetings
  at t after an idle slot. A participant's breaks are their true gap literals, exactly (the count the
  checker makes: runs of consecutive busy positions minus one).
- The soft part: one unit clause "not gap[p, t]" per break literal, all of weight 1. Breaks that cannot
  be avoided fall out of propagation, so a bound is proven as soon as the solver refutes it.
- Redundant, for propagation on nearly full days (WINDOWS): for a participant who could be without a
  break, window[p, t] for each block of k consecutive positions (k = p's meetings) their meetings can
  fill (a perfect matching), at most one of them; unbroken[p] <-> some window <-> no gap of p; a window
  makes p busy exactly in its block, and busy[p, t] with unbroken[p] needs a window covering t.

Solving. Two models, searches on both cores:
- the plain model above, and the same plus a count per slot of the participants in a meeting there (at
  most 2 x tables of them: BreakEncoding._busy_limit). The count finds the 0-break days that are nearly
  full, but hinders the proofs on roomier ones, so both run.
- upward (this process), core-guided: RC2 (python-sat's MaxSAT solver, with core minimisation) assumes
  "no break" everywhere; each unsatisfiable core of those assumptions raises the proven lower bound by
  one and is relaxed by a totalizer over its break literals; the first satisfiable call is an optimum.
  (Until session 11 this was a linear search, "at most k breaks?" for k = lower bound, k + 1, ... over
  one totalizer; the cores prove the same optima sooner on the bench/b2b_hard.py variants.) It runs on
  the plain model; without other processes, the counting model takes turns with it (TURN_SECONDS). Once
  the plain model's cores have stopped at the bound it was given for STALL_SECONDS (as on the nearly
  full days), a second draw of the finder (below) takes this process's core: the time to a schedule
  there varies several-fold with the numbering of the variables alone, so a copy numbered in another
  shuffled order is another draw. (Without a finder, the counting model takes turns here instead.)
  The variables are numbered in an order of the solver's own (`numbering`), not the order the meetings
  come in.
- other processes (multiprocessing's spawn), from HELPER_AFTER of the time on:
  - the finder (_find_at_bound): Kissat (FINDER_SOLVER), a SAT solver without assumptions or an
    incremental interface but the strongest here at finding the schedules of nearly full days, asked
    once "a schedule with at most k breaks?" on the counting model, k the proven bound (where k is the
    sum of everyone's least breaks, LEAST_FROM or more: "everyone at their least?"); a schedule is an
    optimum. It is started again, with the new bound, whenever a higher one is proven. After a stall
    here, a second finder on a copy numbered in another order, while this process waits.
  - the copy (_core_guided_elsewhere): once the cores here have raised the bound, this process's search
    is what proves (forum-13 with 11 tables: its last SAT call, after the last core, takes 2-30 s,
    depending on the numbering alone). So a copy of it, numbered in another order (PLAIN_DRAWS), takes
    the finder's place for COPY_ALONE of the time left: another draw of that last call.
  - the caller's `helper` (the solver's is CP-SAT's neighbourhood search, improving schedules, for days
    that no search proves in time; by default a downward search: a first schedule, then "at most (its
    breaks - 1)?" added for good each time, until "no" proves the last schedule optimal): in the copy's
    place after its time; elsewhere beside the finder from FINDER_ALONE of the time on, this process
    then only listening. Two searches at a time: there are two cores.
  Each bound and better schedule they send is taken.
Both SAT searches prefer "no break" when they guess (phase setting): that matters a great deal on the
hardest days.
The searches here run in slices of a conflict budget, interrupted after SLICE_LONGEST, so the
deadline holds; the other processes are stopped as soon as the two directions meet or time runs out.

Fairness is not in the model: the caller checks it on the result, and only if it is violated asks
again with per-participant caps (`BreakProblem.caps`), a cardinality constraint each.
"""

from __future__ import annotations

import math
import multiprocessing
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.examples.rc2 import RC2
from pysat.formula import WCNF, IDPool
from pysat.solvers import Solver

from .analysis import Prepared, perfect_matching, unfairness

# The numbering of the variables (`numbering`). The plain model numbers the meetings grouped by
# participant: forum-13 with 11 tables and 0 or 20 more forbidden slots, relabelled, proven in 6 of 6
# runs (5.6-11.2 s); numbered in the order given, with 10-30 more and the meetings shuffled, in 0 of 8
# (and forum-13-t11 shuffled: no core in 30 s). The counting model numbers them in a shuffled order,
# each copy its own (these seeds): relabelled planted days proven in 8 of 12 runs, against 3 of 12
# grouped, and 7 of 12 numbered in the (random) order given.
COUNTED_DRAWS = (1, 2)
# The plain model's numberings: this process's (None: participants by number) and its copy's
# (`numbering`'s ranked).
PLAIN_DRAWS = (None, 2)
# The finders, in the order of COUNTED_DRAWS: the first from HELPER_AFTER on, the second after a stall
# here (STALL_SECONDS).
FINDERS = ("finder", "finder2")
# Asked "at most the sum of everyone's least breaks?" where that sum is at least this, the finders ask
# for everyone at their least (`everyone_at_their_least`), not one count over every break literal. Alone,
# two at a time, six numberings each, seconds to the answer (median): planted-4-t15-f20 (sum 2) 2.8
# against 8.0, planted-7-t16-f30 (sum 5) 6.6 against 9.4. At a sum of 1 the count propagates as much (a
# break anywhere rules out every other) and the whole scheduler was slower with it: planted-8-t15-f10
# relabelled (seeds 1-3) 14.3, unproven and 17.9 s against 10.1, 20.3 and 16.9 s (bench/README.md).
LEAST_FROM = 2
# Glucose 4: the strongest of python-sat's incremental solvers on these models (against CaDiCaL 1.9.5,
# Glucose 4.2 and MapleChrono on the bench/b2b_hard.py variants; with RC2 too: forum-13-t11 proven in
# 2 s against CaDiCaL's 11 s and MapleCM's 20 s).
SAT_SOLVER = "glucose4"
# One search slice: about this many seconds of conflicts, then the deadline and the other search are
# looked at again.
SLICE_SECONDS = 0.2
# ... and at most this many: a slice (or a call of the core minimisation) is interrupted then.
SLICE_LONGEST = 1.0
# Below this many meetings the second search costs more to start (a fresh interpreter) than it saves.
PORTFOLIO_MEETINGS = 40
# The other processes start once this share of the time has gone without an answer (the smallest days
# are settled by then, without paying for a process; the nearly full ones want the counting model early:
# planted-3 and -2 proven in 10.4 and 12.3 s when it started at 2 %, 12.3 and 14.8 s at 10 %, session 12).
HELPER_AFTER = 0.02
# Window literals (a one-hot block per participant without a break): found forum-13-t11's and -t11-f20's
# optima in 11 and 17 s against 24 and 20 s without, in trials on a loaded machine.
WINDOWS = True
# Table capacity: sequential counters propagated better than totalizers, sorting or cardinality
# networks in trials on these models.
TABLE_ENCODING = EncType.seqcounter
# Neither model serves every day: the counting one found planted-3's and planted-2's 0-break schedules
# in 8.6 and 10.4 s alone (the plain one none in 30 s) and raised random-1's bound from 4 to 7, but
# proved no forum-13 variant with 10-12 tables (the plain one: 1.4-8.2 s). Without a second process
# they take turns of this many seconds here.
TURN_SECONDS = 1.0
# The finder's solver and its share of the time. Kissat asked for a 0-break (planted-8: 1-break) schedule
# on the counting model of relabelled planted days (three draws each of planted-2, -3, -8-t15-f10 and
# -9-t15-f10, 40 s, two at a time) found all 12, in 4-39 s (median 10.6 s); Glucose's core-guided search
# on the same model (the second process's first search until session 13) found 7, CaDiCaL 3.0 took up to
# 135 s (and cannot be interrupted either). Kissat on the plain model, or without the window literals:
# several over 40 s. The caller's helper takes its place, or runs beside it, as below.
FINDER_SOLVER = "kissat404"
# Once the cores here have raised the bound given (more than FINDER_KEPT_CORES of them), the caller's
# helper takes the finder's place at once: there this process's search is what proves (the forum-13
# variants; Kissat asked "at most 3?" on forum-13-t11: 43 s on the plain model, over 90 s on the counting
# one), and the helper's schedules are the answer where it does not (forum-13-t11-f30 with the finder
# until 0.6 of the time: 38 breaks, fairness spread 3; with the helper from the second core: 13, spread 1).
FINDER_KEPT_CORES = 1
# Elsewhere, from FINDER_ALONE of the time on, the helper runs beside the finder, and this process waits
# (polling IDLE_POLL_SECONDS): the finder proved planted-4-t15-f20 and -7-t16-f30 after 15.1 and 14.8 s
# of Kissat (deterministic on the same model). Not sooner: from 0.25 on where this process had found at
# most one core, relabelled forum-13-t12 (optimum 1, about 2 s of the search here) was lost beside a CI
# run; the neighbourhood search's schedules were better (planted-8-t15-f10 22 breaks against 46).
FINDER_ALONE = 0.6
# Where the cores here have raised the bound, the copy of this search (_core_guided_elsewhere, numbered
# in the order PLAIN_DRAWS[1]) runs in the finder's place for this share of the time left, then the
# helper in its place, for a schedule where neither proves. RC2 alone on forum-13-t11-f30, six
# numberings (grouped, participants ranked by seeds 0-5): optimum after 28.4, 36.6, 7.3, 31.5, 9.1 and
# 18.6 s; -f10: 14.3, 14.6, 8.2 and 3.4 s (seeds 0, 1, 2, 4). In the solver, 30 s, the forum-13-t11
# variants and two relabelled copies of each (12 days): slowest 21.3 s against one not proven (and
# 22.6 s) with the helper in the finder's place; median 14.6 s against 13.6 s (two copies of the
# search slow each other). forum-13-t10's best schedule: 22 breaks (12-19 with the helper's 28 s).
COPY_ALONE = 0.6
IDLE_POLL_SECONDS = 0.05
# With a second process, once the plain model has found no core for this many seconds and none of its
# cores has raised the bound it was given, a second draw of the finder (Kissat on the counting model
# numbered in the order COUNTED_DRAWS[1]) takes this process's core until the helper starts: the time
# to a schedule is heavy-tailed (planted-9-t15-f10 over 24 numberings: 2-51 s), and two draws end at the
# sooner. Session 17, the four planted days with optimum 0 or 1 and two relabelled copies of each, 30 s:
# 10 of 12 proven (median 10.8 s) against 9 of 12 (median 15.6 s) when Glucose's core-guided search on a
# copy of the counting model took turns here instead (bench/README.md). Where its cores did raise the
# bound, its last SAT call can take long and still prove (forum-13-t11-f30: 5 breaks, proven in 21 s
# before; not in 30 s when that counted as a stall too).
STALL_SECONDS = 3.0
# The second finder (after a stall) runs beside the first for at least this share of the time left when
# it starts, and the helper then takes its place. Two Kissats slow each other: planted-2's second draw,
# 11.6 s alone, had not answered after the 13.5 s it had until FINDER_ALONE; with this, 30 s: planted-2
# and -9-t15-f10 proven in 16.3 and 15.2 s (24.2 s each before). Not more: the helper's few seconds
# left then gave planted-3-t15-f20 76 breaks and fairness spread 3 at 0.75, 53 and 2 at 0.65, 37 and 2
# at FINDER_ALONE.
SECOND_FINDER_ALONE = 0.65


@dataclass(frozen=True)
class BreakProblem:
    """Every meeting placed, fewest breaks: plain picklable data (it is sent to the second process).

    pairs[i]: the two participants of meeting i; options[i]: the positions (0-based, in the order of the
    day) it may take; limits: (position, meeting indices, room), at most `room` of those meetings at
    that position (tables, and interpreters by Hall's condition); positions: slots in the day;
    least: participant -> fewest breaks they can have; caps: participant -> most breaks allowed
    (fairness, when it had to be enforced); fairness: the most the participants' breaks may differ (the
    searches do not enforce it, but of two schedules found elsewhere the fairer is kept)."""

    positions: int
    pairs: tuple[tuple[int, int], ...]
    options: tuple[tuple[int, ...], ...]
    limits: tuple[tuple[int, tuple[int, ...], int], ...] = ()
    least: dict[int, int] = field(default_factory=dict)
    caps: dict[int, int] = field(default_factory=dict)
    fairness: int | None = None


@dataclass
class Outcome:
    """What the searches established. `positions[i]` is meeting i's position in the best schedule
    (None: no schedule found); `breaks` its total; `lower_bound` proven for every schedule placing all
    meetings; `infeasible`: proven that not all meetings fit at all."""

    positions: list[int] | None = None
    breaks: int | None = None
    lower_bound: int = 0
    infeasible: bool = False
    stopped: bool = False  # the caller's progress callback asked to stop
    notes: list[str] = field(default_factory=list)

    @property
    def proven(self) -> bool:
        return self.breaks is not None and self.breaks <= self.lower_bound


def break_problem(prepared: Prepared, meetings, least=None, caps=None) -> BreakProblem:
    """The BreakProblem of placing all of `meetings` (each with a candidate slot) on the prepared day;
    meeting i of the result is meetings[i], position t is prepared.order[t]."""
    problem = prepared.problem
    pos = prepared.pos
    options = tuple(tuple(sorted(pos[s] for s in prepared.candidates[m.id])) for m in meetings)
    limits = []
    in_person: dict[int, list[int]] = defaultdict(list)
    pooled: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(meetings):
        for s in prepared.candidates[m.id]:
            if not m.online:
                in_person[s].append(i)
            if prepared.needs_pool(m):
                pooled[s].append(i)
    for s, members in in_person.items():
        if len(members) > problem.capacity(s):
            limits.append((pos[s], tuple(members), problem.capacity(s)))
    for s, members in pooled.items():
        languages = {meetings[i].interpreter_language for i in members}
        for subset, serving in prepared.interpreter_limits(s, languages):
            here = tuple(i for i in members if meetings[i].interpreter_language in subset)
            if len(here) > serving:
                limits.append((pos[s], here, serving))
    return BreakProblem(
        positions=len(prepared.order),
        pairs=tuple((m.a, m.b) for m in meetings),
        options=options,
        limits=tuple(limits),
        least=dict(least or {}),
        caps=dict(caps or {}),
        fairness=problem.fairness,
    )


def numbering(problem: BreakProblem, shuffled: int | None = None, ranked: int | None = None) -> list[int]:
    """The order in which the encoding numbers the meetings' variables: grouped by the side with more
    meetings, the participants with fewest meetings first, then by number (with `ranked`: in an order
    drawn by a generator seeded with it); or, with `shuffled`, that order shuffled by a generator seeded
    with it. Either way the numbering does not depend on the order the meetings come in, and the SAT
    solver's time varies several-fold with it (COUNTED_DRAWS, PLAIN_DRAWS)."""
    meetings = Counter(who for pair in problem.pairs for who in pair)
    people = sorted(meetings)
    drawn = list(people)
    if ranked is not None:
        random.Random(ranked).shuffle(drawn)  # noqa: S311 (a numbering, not a secret)
    rank = dict(zip(people, drawn, strict=True))

    def key(i):
        hub, other = sorted(problem.pairs[i], key=lambda who: (-meetings[who], rank[who]))  # busier first
        return meetings[hub], rank[hub], rank[other], i

    order = sorted(range(len(problem.pairs)), key=key)
    if shuffled is not None:
        random.Random(shuffled).shuffle(order)  # noqa: S311 (a numbering, not a secret)
    return order


class BreakEncoding:
    """The CNF of a BreakProblem (see the module's docstring)."""

    def __init__(
        self,
        problem: BreakProblem,
        windows: bool = False,
        busy_limits: bool = False,
        shuffled: int | None = None,
        ranked: int | None = None,
    ):
        self.problem, self.shuffled, self.ranked = problem, shuffled, ranked
        self.pool = IDPool()
        self.clauses: list[list[int]] = []
        # participant -> position -> the meet literals of their meetings there
        self.at = at = defaultdict(lambda: defaultdict(list))
        count: dict[int, int] = defaultdict(int)
        own: dict[int, list[int]] = defaultdict(list)
        order = numbering(problem, shuffled, ranked)
        rank = {i: r for r, i in enumerate(order)}
        self.meet: list[dict[int, int]] = [{} for _ in problem.pairs]
        for i in order:
            self.meet[i] = lits = {t: self.pool.id(("meet", i, t)) for t in problem.options[i]}
            self.exactly_one(list(lits.values()))
            for who in problem.pairs[i]:
                count[who] += 1
                own[who].append(i)
                for t, lit in lits.items():
                    at[who][t].append(lit)
        limits = [(t, sorted(members, key=rank.__getitem__), room) for t, members, room in problem.limits]
        for t, members, room in limits:
            self.at_most([self.meet[i][t] for i in members], room, TABLE_ENCODING)
        self.busy: dict[int, dict[int, int]] = {}
        self.gaps: dict[int, list[int]] = {}
        self.unbroken: dict[int, int] = {}  # participant -> "no break" literal (window encoding)
        for who, by_position in at.items():
            busy = {}
            for t, lits in sorted(by_position.items()):
                if len(lits) == 1:
                    busy[t] = lits[0]
                    continue
                b = self.pool.id(("busy", who, t))
                self.clauses.append([-b, *lits])
                self.clauses.extend([-lit, b] for lit in lits)
                self.at_most(lits, 1)
                busy[t] = b
            self.busy[who] = busy
            if count[who] < len(busy):
                self.equals(list(busy.values()), count[who])
            self.gaps[who] = self._gaps(who, busy)
            least = problem.least.get(who, 0)
            if least > 0:
                self.clauses.extend(CardEnc.atleast(self.gaps[who], least, vpool=self.pool).clauses)
            cap = problem.caps.get(who)
            if cap is not None and cap < len(self.gaps[who]):
                self.at_most(self.gaps[who], cap)
            if windows and least == 0 and self.gaps[who]:
                self._windows(who, busy, count[who], own[who])
        self.busy_limited = False  # a participant count was added at some position
        if busy_limits:
            for t, members, room in limits:
                self._busy_limit(t, members, room)
        self.breaks = [g for gaps in self.gaps.values() for g in gaps]

    def _busy_limit(self, t, members, room) -> None:
        """Redundant: at most 2 x room participants are in one of `members` at t (each such meeting has
        two). Counting participants rather than meetings lets a choice of blocks meet the table limit
        without going through the choice of meetings."""
        lits: dict[int, list[int]] = defaultdict(list)
        for i in members:
            for who in self.problem.pairs[i]:
                lits[who].append(self.meet[i][t])
        if len(lits) <= 2 * room:
            return
        count = []
        for who, here in lits.items():
            if len(here) == 1:
                count.append(here[0])
            elif len(here) == len(self.at[who][t]):
                count.append(self.busy[who][t])
            else:
                either = self.pool.id(("in", who, t, tuple(members)))
                self.clauses.append([-either, *here])
                self.clauses.extend([-lit, either] for lit in here)
                count.append(either)
        self.at_most(count, 2 * room, TABLE_ENCODING)
        self.busy_limited = True

    def _windows(self, who, busy: dict[int, int], k: int, own: list[int]) -> None:
        """Redundant, for propagation on nearly full days: p has no break exactly when p is busy in one
        block of k consecutive positions, a one-hot choice among the blocks p's meetings can fill."""
        options = [set(self.problem.options[i]) for i in own]
        starts = [
            t
            for t in range(self.problem.positions - k + 1)
            if all(j in busy for j in range(t, t + k)) and perfect_matching(options, set(range(t, t + k)))
        ]
        gaps = self.gaps[who]
        if not starts:
            self.clauses.append(list(gaps))  # cannot be unbroken
            return
        unbroken = self.pool.id(("unbroken", who))
        self.unbroken[who] = unbroken
        self.clauses.extend([-unbroken, -g] for g in gaps)
        self.clauses.append([unbroken, *gaps])
        window = {t: self.pool.id(("window", who, t)) for t in starts}
        self.clauses.append([-unbroken, *window.values()])
        self.at_most(list(window.values()), 1)
        for t, w in window.items():
            self.clauses.append([-w, unbroken])
            for j, b in busy.items():
                self.clauses.append([-w, b] if t <= j < t + k else [-w, -b])
        for j, b in busy.items():
            self.clauses.append([-b, -unbroken] + [w for t, w in window.items() if t <= j < t + k])

    def _gaps(self, who, busy: dict[int, int]) -> list[int]:
        """Break literals of one participant: gap[t] <-> busy[t] & ~busy[t-1] & met_before[t-2]."""
        gaps = []
        before = None  # met_before[t - 1] as a literal, None while surely false
        before_of = {}
        for t in range(self.problem.positions):
            lit = busy.get(t)
            if lit is None:
                before_of[t] = before
                continue
            if before is None:
                now = lit
            else:
                now = self.pool.id(("before", who, t))
                self.clauses += [[-lit, now], [-before, now], [-now, before, lit]]
            before_of[t] = now
            earlier = before_of.get(t - 2)
            if earlier is not None:
                g = self.pool.id(("gap", who, t))
                previous = busy.get(t - 1)
                parts = [lit, earlier] + ([-previous] if previous is not None else [])
                self.clauses.extend([-g, part] for part in parts)
                self.clauses.append([g] + [-part for part in parts])
                gaps.append(g)
            before = now
        return gaps

    def exactly_one(self, lits):
        self.clauses.append(list(lits))
        self.at_most(lits, 1)

    def at_most(self, lits, bound, encoding=None):
        if len(lits) <= bound:
            return
        if bound == 0:
            self.clauses.extend([-lit] for lit in lits)
            return
        if encoding is None:
            encoding = EncType.pairwise if bound == 1 and len(lits) <= 6 else EncType.seqcounter
        self.clauses.extend(CardEnc.atmost(lits, bound, vpool=self.pool, encoding=encoding).clauses)

    def equals(self, lits, bound):
        self.clauses.extend(CardEnc.equals(lits, bound, vpool=self.pool, encoding=EncType.seqcounter).clauses)

    def positions_from(self, model) -> list[int]:
        true = {lit for lit in model if lit > 0}
        return [next(t for t, lit in lits.items() if lit in true) for lits in self.meet]

    def breaks_in(self, model) -> int:
        true = {lit for lit in model if lit > 0}
        return sum(1 for g in self.breaks if g in true)


def better(problem: BreakProblem, positions, breaks: int, best_positions, best_breaks: int) -> bool:
    """Is a schedule fairer than the best so far, or as fair with fewer breaks? (The solver's
    neighbourhood search, in the second process, may send a fair schedule after an unfair one with fewer
    breaks.)"""

    def rank(positions, total):
        return unfairness(breaks_of_positions(problem, positions), problem.fairness), total

    return rank(positions, breaks) < rank(best_positions, best_breaks)


def breaks_of_positions(problem: BreakProblem, positions) -> dict[int, int]:
    """Breaks per participant of a schedule given as a position per meeting."""
    at: dict[int, list[int]] = defaultdict(list)
    for (a, b), t in zip(problem.pairs, positions, strict=True):
        at[a].append(t)
        at[b].append(t)
    out = {}
    for who, ts in at.items():
        ts.sort()
        out[who] = sum(1 for x, y in zip(ts, ts[1:], strict=False) if y != x + 1)
    return out


class _Search:
    """One incremental solver over the encoding, asked in slices of a conflict budget."""

    def __init__(self, problem: BreakProblem, hint=None):
        self.encoding = BreakEncoding(problem, windows=WINDOWS)
        self.solver = Solver(name=SAT_SOLVER, bootstrap_with=self.encoding.clauses)
        phases = [-g for g in self.encoding.breaks] + list(self.encoding.unbroken.values())
        if hint is not None:
            phases += [lits[t] for lits, t in zip(self.encoding.meet, hint, strict=True) if t in lits]
        self.solver.set_phases(phases)
        self.top = self.encoding.pool.top
        self.totalizers: dict[str, ITotalizer] = {}
        # Participants who surely break (no window): each has at least one break, or their least.
        least = problem.least
        self.forced = sum(
            max(least.get(who, 0), 1)
            for who, gaps in self.encoding.gaps.items()
            if gaps and who not in self.encoding.unbroken
        )
        self.budget = 2000

    def at_most(self, k) -> list[int]:
        """Literals meaning "more than k breaks" (assume their negations for "at most k"); [] when k is
        no restriction. With window literals, also "more than k - forced participants have a break"
        (implied, and it propagates on the window literals: fewer conflicts in trials)."""
        more = [self._more("breaks", self.encoding.breaks, k)]
        if self.encoding.unbroken:
            relaxed = [-u for u in self.encoding.unbroken.values()]
            more.append(self._more("relaxed", relaxed, k - self.forced))
        return [lit for lit in more if lit is not None]

    def _more(self, name, lits, k) -> int | None:
        if k >= len(lits) or k < 0:
            return None
        totalizer = self.totalizers.get(name)
        if totalizer is None:
            totalizer = self.totalizers[name] = ITotalizer(lits=lits, ubound=k, top_id=self.top)
            self.solver.append_formula(totalizer.cnf.clauses)
        elif k > totalizer.ubound:
            totalizer.increase(ubound=k, top_id=self.top)
            self.solver.append_formula(totalizer.cnf.clauses[-totalizer.nof_new :])
        self.top = max(self.top, totalizer.top_id)
        return totalizer.rhs[k]

    def run(self, assumptions, deadline, between=None) -> bool | None:
        """True (a model), False (refuted), or None when the deadline came or `between()` said stop."""
        while True:
            if time.monotonic() >= deadline:
                return None
            answer, self.budget = _slice(self.solver, assumptions, self.budget)
            if answer is not None:
                return answer
            if between is not None and between() is False:
                return None

    def close(self):
        self.solver.delete()


def _slice(solver, assumptions, budget: int) -> tuple[bool | None, int]:
    """One SAT call of at most `budget` conflicts: its answer (None: out of budget) and the budget for
    the next call, scaled to keep each call near SLICE_SECONDS whatever the machine's speed."""
    solver.conf_budget(budget)
    started = time.monotonic()
    answer = _solve_within(solver, assumptions)
    scale = SLICE_SECONDS / max(time.monotonic() - started, 1e-3)
    return answer, int(min(max(budget * min(max(scale, 0.5), 2.0), 200), 1_000_000))


def _solve_within(solver, assumptions) -> bool | None:
    """solve_limited under the solver's conflict budget, and interrupted after SLICE_LONGEST seconds if
    that has not ended it (python-sat's interrupt(), from a timer thread, its documented way). A budget
    alone does not bound the time: 2 000 conflicts took 20 s once (beside a CI run), past a turn's end."""
    timer = threading.Timer(SLICE_LONGEST, solver.interrupt)
    timer.start()
    try:
        return solver.solve_limited(assumptions=assumptions, expect_interrupt=True)
    finally:
        timer.cancel()
        timer.join()  # so that an interrupt cannot come after it is cleared
        solver.clear_interrupt()


def any_schedule(problem: BreakProblem, deadline: float) -> list[int] | None | bool:
    """A first schedule placing every meeting (positions, preferring no break when guessing); False when
    there is none, None when the deadline came first."""
    search = _Search(problem)
    try:
        answer = search.run([], deadline)
        if not answer:
            return answer
        return search.encoding.positions_from(search.solver.get_model())
    finally:
        search.close()


def _descend(problem: BreakProblem, seconds: float, connection) -> None:
    """The downward search, run in the second process for `seconds`: sends ("solution", breaks,
    positions) for each better schedule, then ("optimal",) when the last one is proven, ("infeasible",)
    when no schedule places every meeting, or nothing when time runs out."""
    deadline = time.monotonic() + seconds
    search = _Search(problem)
    try:
        answer = search.run([], deadline)
        if answer is None:
            return
        if answer is False:
            connection.send(("infeasible",))
            return
        while True:
            model = search.solver.get_model()
            cost = search.encoding.breaks_in(model)
            positions = search.encoding.positions_from(model)
            connection.send(("solution", cost, positions))
            if cost == 0:
                connection.send(("optimal",))
                return
            for more in search.at_most(cost - 1):
                search.solver.add_clause([-more])
            # Solution-guided: stay near the last schedule when guessing.
            search.solver.set_phases(
                [-g for g in search.encoding.breaks]
                + [lits[t] for lits, t in zip(search.encoding.meet, positions, strict=True)]
            )
            answer = search.run([], deadline)
            if answer is None:
                return
            if answer is False:
                connection.send(("optimal",))
                return
    finally:
        search.close()
        connection.close()


def minimise_breaks(
    problem: BreakProblem,
    deadline: float,
    lower_bound: int = 0,
    hint: list[int] | None = None,
    on_progress: Callable[[Outcome], bool | None] | None = None,
    portfolio: bool = True,
    helper: tuple | None = None,
    known: list[int] | None = None,
) -> Outcome:
    """Fewest breaks with every meeting placed, by `deadline` (time.monotonic()). `lower_bound` must be
    proven already (e.g. the sum of everyone's least breaks); `hint` is a schedule to guess towards;
    `known` one known already (greedy placement's, say), the best until a better one comes, and reported
    at once, but not guessed towards: the searches' phases stay "no break" (a hint moves the proofs).
    `on_progress` gets the Outcome whenever the best schedule or the lower bound improves; False stops.
    With `portfolio`, other processes (the finders, a copy of this search, then `helper`, by default a
    downward search) work beside this one's upward search from HELPER_AFTER of the time on (the module's
    docstring says which when)."""
    out = Outcome(lower_bound=lower_bound)
    if hint is not None or known is not None:
        first = hint if hint is not None else known
        out.positions, out.breaks = list(first), sum(breaks_of_positions(problem, first).values())
    # Only `known` so far: the first schedule with fewer breaks any search sends replaces it, however fair
    # (as when there was none): a finder's optimum must not lose to greedy placement's fairness.
    only_known = hint is None and known is not None
    helper_task = helper
    helper_from = time.monotonic() + HELPER_AFTER * max(0.0, deadline - time.monotonic())
    if not portfolio or len(problem.pairs) < PORTFOLIO_MEETINGS:
        helper_from = math.inf
    alone = helper_from == math.inf  # no other process, nor one to come
    sent_best: dict[str, int] = {}  # name -> breaks of the last schedule that process sent
    # Other processes: first _find_at_bound ("finder"; after a stall here a second draw of it, "finder2",
    # in this process's place), from helper_until on the caller's helper in its place, or beside it.
    # name -> (process, connection); asked: finder's name -> the bound it asks ("at most that many?").
    others: dict[str, tuple] = {}
    asked: dict[str, int] = {}
    helper_until = copy_until = math.inf
    idle_here = False  # this process has given its core to the other two

    def report():
        if on_progress is not None and on_progress(out) is False:
            out.stopped = True
        return not out.stopped

    def start(name, task, keep=()):
        for earlier in [other for other in others if other not in keep]:
            _stop_helper(*others.pop(earlier))
        process, connection = _start_helper(task, deadline, out)
        if process is not None:
            others[name] = (process, connection)

    def start_finder(name, keep):
        asked[name] = out.lower_bound
        start(name, (_find_at_bound, (problem, asked[name], COUNTED_DRAWS[FINDERS.index(name)])), keep=keep)

    def take(name, connection) -> bool:
        """Take in what one of them sent; False once it has finished."""
        nonlocal only_known
        while connection.poll():
            try:
                message = connection.recv()
            except EOFError:  # it has finished (or died): nothing more will come
                return False
            if message[0] == "solution":
                sent_best[name] = message[1]
                if (
                    out.breaks is None
                    or (only_known and message[1] < out.breaks)
                    or better(problem, message[2], message[1], out.positions, out.breaks)
                ):
                    out.positions, out.breaks = message[2], message[1]
                    only_known = False
                    report()
            elif message[0] == "optimal" and name in sent_best:
                out.lower_bound = max(out.lower_bound, sent_best[name])
                out.notes.append(f"proven by the second process ({name})")
                report()
            elif message[0] == "bound":
                if name in asked:
                    asked[name] = max(asked[name], message[1])
                if message[1] > out.lower_bound:
                    out.lower_bound = message[1]
                    report()
            elif message[0] == "infeasible":
                out.infeasible = True
        return True

    def listen():
        """Take in what the other processes found; False once the answer is settled."""
        nonlocal helper_from, helper_until, copy_until, idle_here
        now = time.monotonic()
        replace = raised and cores > FINDER_KEPT_CORES  # the helper in the finder's place, searching on here
        stale = [name for name in FINDERS if name in others and asked[name] < out.lower_bound]
        if out.stopped or out.infeasible or out.proven:
            pass  # settled: nothing more to start
        elif now >= helper_from:
            helper_from = math.inf
            helper_until = now + FINDER_ALONE * max(0.0, deadline - now)
            start_finder("finder", keep=())
        elif helper_until < math.inf and replace and COPY_ALONE > 0:
            # The cores here have raised the bound: this search is what proves, so a copy of it numbered
            # in another order (another draw of its last SAT call) takes the finder's place for a while.
            helper_until, copy_until = math.inf, now + COPY_ALONE * max(0.0, deadline - now)
            start("copy", (_core_guided_elsewhere, (problem, hint, PLAIN_DRAWS[1])))
        elif copy_until < math.inf and ("copy" not in others or now >= copy_until):
            copy_until = math.inf
            start("helper", helper_task or (_descend, (problem,)))
        elif helper_until < math.inf and (replace or "finder" not in others or now >= helper_until):
            helper_until = math.inf
            # The caller's helper takes the finder's place where the cores here have raised the bound;
            # elsewhere it runs beside the finder while this process only listens (two cores).
            idle_here = not replace and "finder" in others
            start("helper", helper_task or (_descend, (problem,)), keep=("finder",) if idle_here else ())
        elif stale:  # a bound proven since it started: it asks a refuted question
            start_finder(stale[0], keep=[name for name in others if name != stale[0]])
        elif (
            "finder" in others
            and "finder2" not in asked
            and helper_until < math.inf
            and not raised
            and now - last_core >= STALL_SECONDS
        ):
            # No core here raises the bound (the planted days): a second draw of the finder in this
            # process's place, which waits.
            idle_here = True
            helper_until = max(helper_until, now + SECOND_FINDER_ALONE * max(0.0, deadline - now))
            start_finder("finder2", keep=("finder",))
        for name, (process, connection) in list(others.items()):
            if not take(name, connection):
                others.pop(name)
                _stop_helper(process, connection)
        # The finders gone without an answer: search here again.
        idle_here = idle_here and any(name in others for name in FINDERS)
        return not (out.stopped or out.infeasible or out.proven)

    last_core, raised, cores = time.monotonic(), False, 0

    def go_on():
        """Between two slices of a search here: go on with it?"""
        return listen() and not idle_here

    def bound(cost):
        nonlocal last_core, raised, cores
        # (cost: the cores that search has found; a second copy of the model finds the same bounds again)
        last_core, raised, cores = time.monotonic(), raised or cost > lower_bound, max(cores, cost)
        if cost > out.lower_bound:
            out.lower_bound = cost
            report()
        return go_on()

    def core_guided(busy_limits, shuffled=None):
        ranked = None if busy_limits else PLAIN_DRAWS[0]
        encoding = BreakEncoding(
            problem, windows=WINDOWS, busy_limits=busy_limits, shuffled=shuffled, ranked=ranked
        )
        if busy_limits and not encoding.busy_limited:
            return None  # the same model as the first: no slot has more candidates than room for them
        return _CoreGuided(encoding, deadline, between=go_on, on_bound=bound, hint=hint)

    # A schedule to show while the searches start (on the largest days, for many seconds); already at the
    # bound given, it is the answer.
    if known is not None and (not report() or out.proven):
        return out
    # The model counting participants is the finders' when there are other processes; without them (or
    # once they are gone, after a stall) the two models take turns here (TURN_SECONDS each), the second
    # built only if the first needs a second turn.
    searches = [core_guided(busy_limits=False)]
    try:
        while listen() and time.monotonic() < deadline:
            if idle_here:
                time.sleep(IDLE_POLL_SECONDS)
                continue
            for search in list(searches):
                search.turn_ends = time.monotonic() + TURN_SECONDS
                answer = search.optimum()
                if answer is not None or not listen():
                    break
            else:
                stalled = not raised and time.monotonic() - last_core >= STALL_SECONDS
                if (
                    (alone or (stalled and not idle_here))
                    and len(searches) == 1
                    and (second := core_guided(busy_limits=True, shuffled=COUNTED_DRAWS[0 if alone else 1]))
                    is not None
                ):
                    searches.append(second)
                continue
            if answer is False:
                out.infeasible = True
            elif answer is not None:
                positions, cost = answer
                if out.breaks is None or cost < out.breaks:
                    out.positions, out.breaks = positions, cost
                out.lower_bound = max(out.lower_bound, cost)
                out.notes.append("proven by the core-guided search")
                report()
            break
        listen()
    finally:
        for search in searches:
            search.delete()
        for process, connection in others.values():
            _stop_helper(process, connection)
    return out


class _Stopped(Exception):
    """The deadline came, or the caller asked to stop, in the middle of the core-guided search."""


class _CoreGuided(RC2):
    """Upward, core by core: RC2 (python-sat's core-guided MaxSAT solver, with core minimisation) on the
    break encoding, every soft clause "no break here" of weight 1. Each unsatisfiable core of "no break"
    assumptions raises the proven lower bound by one (`on_bound` hears it); the first satisfiable call
    is an optimum. Its SAT calls run in slices of a conflict budget, as _Search's do, so the deadline
    holds and `between()` (the other search) is heard between slices.

    Against the totalizer's "at most k?" for k = 0, 1, ... (session 11, one process, 30 s): forum-13-t11
    proven in 2.0 s against 4-10 s, -t11-f20 in 3.4 s against 4-9 s, -t11-f10 in 7.9 s against 9.7 s;
    forum-13-t10 bound 4 in 1.3 s (5 only after 51 s) against 4 (bench/README.md)."""

    def __init__(self, encoding: BreakEncoding, deadline: float, between=None, on_bound=None, hint=None):
        formula = WCNF()
        formula.extend(encoding.clauses)
        for gap in encoding.breaks:
            formula.append([-gap], weight=1)
        super().__init__(formula, solver=SAT_SOLVER, minz=True)
        self.encoding, self.deadline, self.between, self.on_bound = encoding, deadline, between, on_bound
        self.turn_ends = math.inf  # optimum() pauses here (None), to be called again for more
        self.budget = 2000
        self.minimising = False
        phases = [-g for g in encoding.breaks] + list(encoding.unbroken.values())
        if hint is not None:
            phases += [lits[t] for lits, t in zip(encoding.meet, hint, strict=True) if t in lits]
        self.oracle.set_phases(phases)

    def optimum(self):
        """(positions, breaks) of a schedule with the fewest breaks; False when no schedule places every
        meeting; None when the turn or the deadline ended, or the caller said stop, first (call again
        to go on where it stopped: the cores found so far are kept)."""
        try:
            if not self.compute_():
                return False
        except _Stopped:
            return None
        model = self.oracle.get_model()
        return self.encoding.positions_from(model), self.encoding.breaks_in(model)

    def process_core(self):
        super().process_core()
        if self.on_bound is not None and self.on_bound(self.cost) is False:
            raise _Stopped

    def minimize_core(self):
        self.minimising = True  # its calls keep RC2's own budget (1 000 conflicts each)
        try:
            super().minimize_core()
        finally:
            self.minimising = False

    def _call_oracle(self, assumptions=(), expect_interrupt=False):
        if self.minimising:  # not paused at the end of a turn: a core cut short would be lost
            if time.monotonic() >= self.deadline:
                raise _Stopped
            return _solve_within(self.oracle, assumptions)  # under RC2's budget (1 000 conflicts)
        while True:  # at least one slice per turn, however short, so that every turn gets somewhere
            answer, self.budget = _slice(self.oracle, assumptions, self.budget)
            if answer is not None:
                return answer
            if time.monotonic() >= min(self.deadline, self.turn_ends):
                raise _Stopped
            if self.between is not None and self.between() is False:
                raise _Stopped


def _core_guided_elsewhere(problem: BreakProblem, hint, ranked: int, seconds: float, connection) -> None:
    """A copy of the core-guided search, numbered in the order `ranked` (numbering), in another process:
    sends ("bound", cost) for each core, then ("solution", breaks, positions) and ("optimal",) for the
    optimum, or ("infeasible",) when no schedule places every meeting. Its last SAT call is another draw
    of the first process's (PLAIN_DRAWS)."""
    encoding = BreakEncoding(problem, windows=WINDOWS, ranked=ranked)

    def bound(cost):
        connection.send(("bound", cost))

    search = _CoreGuided(encoding, time.monotonic() + seconds, on_bound=bound, hint=hint)
    try:
        answer = search.optimum()
        if answer is False:
            connection.send(("infeasible",))
        elif answer is not None:
            positions, cost = answer
            connection.send(("solution", cost, positions))
            connection.send(("optimal",))
    finally:
        search.delete()
        connection.close()


def _find_at_bound(problem: BreakProblem, at_most: int, draw: int, seconds: float, connection) -> None:
    """A finder: Kissat (FINDER_SOLVER) on the counting model numbered in the order `draw` (numbering),
    asked "a schedule with at most `at_most` breaks?" in one call (at the sum of everyone's least breaks,
    from LEAST_FROM on: "everyone at their least?", the same question). `at_most` is a proven lower
    bound, so a schedule is optimal: it sends ("solution", breaks, positions) then ("optimal",). "No"
    proves one more: it sends ("bound", at_most + 1) and asks again; ("infeasible",) when no schedule
    places every meeting. Kissat cannot be interrupted, so the first process ends this process when its
    share of the time is over."""
    encoding = BreakEncoding(problem, windows=WINDOWS, busy_limits=True, shuffled=draw)
    breaks = encoding.breaks
    least_total = sum(problem.least.get(who, 0) for who in encoding.gaps)
    try:
        while True:
            asked = at_most
            if at_most >= len(breaks):
                bound = []
            elif at_most <= 0:
                bound = [[-g] for g in breaks]
            elif LEAST_FROM <= least_total and at_most <= least_total:
                bound = everyone_at_their_least(encoding)
                asked = least_total  # the same question as "at most the sum"
            else:
                pool = IDPool(start_from=encoding.pool.top + 1)
                bound = CardEnc.atmost(breaks, at_most, vpool=pool, encoding=EncType.totalizer).clauses
            solver = Solver(name=FINDER_SOLVER, bootstrap_with=encoding.clauses + bound)
            try:
                found = solver.solve()
                model = solver.get_model() if found else None
            finally:
                solver.delete()
            if found:
                connection.send(("solution", encoding.breaks_in(model), encoding.positions_from(model)))
                connection.send(("optimal",))
                return
            if not bound:  # no schedule at all
                connection.send(("infeasible",))
                return
            at_most = asked + 1
            connection.send(("bound", at_most))
    finally:
        connection.close()


def everyone_at_their_least(encoding: BreakEncoding) -> list[list[int]]:
    """Clauses for "at most the sum of everyone's least breaks": as each participant has at least their
    least (the encoding says so), that is each at their least, which propagates far better than one
    count over every break literal."""
    pool = IDPool(start_from=encoding.pool.top + 1)
    clauses = []
    for who, gaps in encoding.gaps.items():
        least = encoding.problem.least.get(who, 0)
        if least == 0:
            clauses.extend([-g] for g in gaps)
        elif least < len(gaps):
            clauses.extend(CardEnc.atmost(gaps, least, vpool=pool, encoding=EncType.seqcounter).clauses)
    return clauses


def _start_helper(task, deadline, out):
    """task = (function, args): function(*args, seconds, connection) in a fresh interpreter (spawn: safe
    beside any threads the caller has, and nothing of it outlives the run). None when processes cannot
    be started here."""
    context = multiprocessing.get_context("spawn")
    target, args = task
    try:
        receiver, sender = context.Pipe(duplex=False)
        helper = context.Process(
            target=target, args=(*args, deadline - time.monotonic(), sender), daemon=True
        )
        helper.start()
    except (OSError, AssertionError, RuntimeError, TypeError) as error:  # e.g. inside a daemonic process
        out.notes.append(f"no second process: {error}")
        return None, None
    sender.close()
    return helper, receiver


def _stop_helper(helper, connection):
    if helper is None:
        return
    if helper.is_alive():
        helper.terminate()
    helper.join(timeout=2)
    if helper.is_alive():
        helper.kill()
        helper.join()
    if connection is not None:
        connection.close()
