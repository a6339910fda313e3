"""Block search for 0-break days: choose each participant's block of slots, then match meetings into them.

An experiment for issue 17 (bench/b2b_blocks.py drives it; bench/README.md has the figures); the solver
does not call it. With no break, a participant with k meetings is busy in exactly k consecutive slots
(their block), so the table limit becomes a limit on blocks: a slot covered by c blocks holds c / 2
meetings (c even, at most twice the tables).

- BlockSearch.run: min-conflicts local search (tabu, noise, breakout weights) over block starts, against
  participants whose meetings cannot be matched one-to-one into their block (only slots both blocks
  share, in the meeting's session, outside either side's unavailable slots), over-covered and
  odd-covered slots; at no conflict, a SAT call matches meetings to slots, its core raises weights.
- BlockLNS.run: one SAT encoding of the day with block literals; each step fixes the blocks of the
  unbroken participants outside a small neighbourhood (their meetings still move inside them) and asks
  for one or two more unbroken participants.
- BlockLNS.run_breaks: the same, with break literals: the neighbourhood must end with fewer breaks.

Only for what the benchmark family needs: no interpreters, no online meetings, no locked slots
(`applicable` says whether a problem fits).
"""

from __future__ import annotations

import random
import time

from pysat.solvers import Solver

from matching.scheduling.problem import Problem


def applicable(problem: Problem) -> bool:
    return not problem.interpreters and not any(
        m.online or m.locked_slot is not None or m.interpreter_language for m in problem.meetings
    )


def _bits(mask: int):
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class BlockSearch:
    def __init__(self, problem: Problem, seed: int = 0, noise: float = 0.02, bump: float = 1.0):
        self.problem = problem
        self.noise, self.bump = noise, bump
        self.rng = random.Random(seed)  # noqa: S311 (a seeded, reproducible search)
        order = [s.index for s in problem.slots]
        self.slot_ids = order
        pos = {s: i for i, s in enumerate(order)}
        self.S = len(order)
        self.cap2 = [2 * problem.capacity(s) for s in order]
        meetings = list(problem.meetings)
        self.meetings = meetings
        self.ends = [(m.a, m.b) for m in meetings]
        unavailable = {p.id: {pos[s] for s in p.unavailable} for p in problem.participants}
        self.allowed = []
        for m in meetings:
            mask = 0
            for s in problem.allowed_slots(m):
                t = pos[s]
                if t not in unavailable[m.a] and t not in unavailable[m.b]:
                    mask |= 1 << t
            self.allowed.append(mask)
        self.of = {}
        for i, (a, b) in enumerate(self.ends):
            self.of.setdefault(a, []).append(i)
            self.of.setdefault(b, []).append(i)
        self.people = sorted(self.of)
        self.k = {p: len(ms) for p, ms in self.of.items()}
        self.partners = {p: sorted({x for i in ms for x in self.ends[i]} - {p}) for p, ms in self.of.items()}
        self.starts = {}
        for p in self.people:
            k = self.k[p]
            ok = []
            for s in range(self.S - k + 1):
                block = ((1 << k) - 1) << s
                if any(t in unavailable[p] for t in range(s, s + k)):
                    continue
                reach = 0
                for i in self.of[p]:
                    reach |= self.allowed[i]
                if all(self.allowed[i] & block for i in self.of[p]) and reach & block == block:
                    ok.append(s)
            self.starts[p] = ok
        self.possible = all(self.starts[p] for p in self.people) and all(
            self.k[p] <= self.S for p in self.people
        )

    # ---- cost pieces -------------------------------------------------------------------------
    def _mask(self, p, start=None):
        s = self.start[p] if start is None else start
        return ((1 << self.k[p]) - 1) << s

    def _deficit(self, p, override=None):
        """k_p minus the largest matching of p's meetings into p's block (Kuhn's algorithm on bitmasks)."""
        own = self._mask(p, override.get(p) if override else None)
        doms = []
        for i in self.of[p]:
            a, b = self.ends[i]
            q = b if a == p else a
            other = self._mask(q, override.get(q) if override and q in override else None)
            doms.append(self.allowed[i] & own & other)
        match = {}  # slot -> meeting position in doms

        def augment(j, seen):
            for t in _bits(doms[j] & ~seen[0]):
                seen[0] |= 1 << t
                if t not in match or augment(match[t], seen):
                    match[t] = j
                    return True
            return False

        size = 0
        for j in sorted(range(len(doms)), key=lambda j: bin(doms[j]).count("1")):
            if doms[j] and augment(j, [0]):
                size += 1
        return len(doms) - size

    def _slot_cost(self, t):
        c = self.cov[t]
        return max(0, c - self.cap2[t]) + (c & 1)

    def total(self):
        return sum(self.weight[p] * self.deficit[p] for p in self.people) + sum(
            self._slot_cost(t) for t in range(self.S)
        )

    # ---- search ------------------------------------------------------------------------------
    def _init(self):
        self.start = {p: self.rng.choice(self.starts[p]) for p in self.people}
        self.cov = [0] * self.S
        for p in self.people:
            for t in range(self.start[p], self.start[p] + self.k[p]):
                self.cov[t] += 1
        self.weight = dict.fromkeys(self.people, 1)
        self.deficit = {p: self._deficit(p) for p in self.people}

    def _move_delta(self, p, s):
        """Change of the weighted cost if p's block started at s; also the new deficits."""
        old = self.start[p]
        k = self.k[p]
        delta = 0
        touched = set(range(old, old + k)) ^ set(range(s, s + k))
        before = sum(self._slot_cost(t) for t in touched)
        for t in range(old, old + k):
            self.cov[t] -= 1
        for t in range(s, s + k):
            self.cov[t] += 1
        after = sum(self._slot_cost(t) for t in touched)
        for t in range(s, s + k):
            self.cov[t] -= 1
        for t in range(old, old + k):
            self.cov[t] += 1
        delta += after - before
        new = {}
        override = {p: s}
        for q in [p, *self.partners[p]]:
            d = self._deficit(q, override)
            new[q] = d
            delta += self.weight[q] * (d - self.deficit[q])
        return delta, new

    def _apply(self, p, s, new):
        old = self.start[p]
        for t in range(old, old + self.k[p]):
            self.cov[t] -= 1
        for t in range(s, s + self.k[p]):
            self.cov[t] += 1
        self.start[p] = s
        self.deficit.update(new)

    def _bad(self):
        bad = [p for p in self.people if self.deficit[p]]
        hot = [t for t in range(self.S) if self._slot_cost(t)]
        if hot:
            t = self.rng.choice(hot)
            bad += [p for p in self.people if self.start[p] <= t < self.start[p] + self.k[p]]
        return bad

    def _match(self):
        """SAT: every meeting in a slot of both blocks, every block slot used once. (slots, core)."""
        var = {}
        clauses = []
        selector = {p: n + 1 for n, p in enumerate(self.people)}
        top = len(self.people)
        by_person_slot = {}
        for i, (a, b) in enumerate(self.ends):
            dom = self.allowed[i] & self._mask(a) & self._mask(b)
            lits = []
            for t in _bits(dom):
                top += 1
                var[top] = (i, t)
                lits.append(top)
                by_person_slot.setdefault((a, t), []).append(top)
                by_person_slot.setdefault((b, t), []).append(top)
            if not lits:
                return None, [a, b]
            clauses.append(lits)
            clauses += [[-x, -y] for n, x in enumerate(lits) for y in lits[n + 1 :]]
        for p in self.people:
            sel = selector[p]
            for t in range(self.start[p], self.start[p] + self.k[p]):
                lits = by_person_slot.get((p, t), [])
                clauses.append([-sel, *lits])
                clauses += [[-x, -y] for n, x in enumerate(lits) for y in lits[n + 1 :]]
        with Solver(name="g4", bootstrap_with=clauses) as sat:
            if sat.solve(assumptions=list(selector.values())):
                model = sat.get_model()
                slots = {}
                for lit in model:
                    if lit > 0 and lit in var:
                        i, t = var[lit]
                        slots[i] = t
                return slots, []
            core = sat.get_core() or []
            back = {v: p for p, v in selector.items()}
            return None, [back[v] for v in core if v in back]

    def run(self, time_limit: float, log=None):
        """Slots (the problem's indices) by meeting id, or None when time runs out."""
        started = time.monotonic()
        if not self.possible:
            return None
        self._init()
        cost = self.total()
        best = cost
        tabu = {}
        step = 0
        matches = 0
        while time.monotonic() - started < time_limit:
            step += 1
            if cost == 0:
                matches += 1
                slots, core = self._match()
                if slots is not None:
                    if log:
                        log(
                            f"blocks: 0 breaks after {step} steps, {matches} matchings, "
                            f"{time.monotonic() - started:.2f}s"
                        )
                    return {self.meetings[i].id: self.slot_ids[t] for i, t in slots.items()}
                for p in core:
                    self.weight[p] += 1
                p = self.rng.choice(core or self.people)
                s = self.rng.choice(self.starts[p])
                _, new = self._move_delta(p, s)
                self._apply(p, s, new)
                cost = self.total()
                continue
            bad = self._bad()
            p = self.rng.choice(bad)
            options = [s for s in self.starts[p] if s != self.start[p]]
            if not options:
                continue
            if self.rng.random() < self.noise:
                s = self.rng.choice(options)
                d, new = self._move_delta(p, s)
            else:
                scored = []
                for s in options:
                    d, new = self._move_delta(p, s)
                    if tabu.get((p, s), -1) >= step and cost + d >= best:
                        continue
                    scored.append((d, self.rng.random(), s, new))
                if not scored:
                    continue
                d, _, s, new = min(scored, key=lambda x: (x[0], x[1]))
                if d >= 0 and self.rng.random() < self.bump:
                    # no better start for p: raise the weight of what stays broken around p (breakout)
                    for q in [p, *self.partners[p]]:
                        if self.deficit[q]:
                            self.weight[q] += 1
            tabu[(p, self.start[p])] = step + 10 + self.rng.randrange(10)
            self._apply(p, s, new)
            cost = self.total()
            unweighted = sum(self.deficit.values()) + sum(self._slot_cost(t) for t in range(self.S))
            if unweighted < best:
                best = unweighted
            if log and step % 500 == 0:
                log(
                    f"blocks: step {step}, conflicts {unweighted} (best {best}), "
                    f"{time.monotonic() - started:.1f}s"
                )
        return None


def zero_break_slots(problem: Problem, time_limit: float, seed: int = 0, log=None, **tuning):
    """A slot per meeting id with no participant breaking, or None (not found in time, or not possible)."""
    if not applicable(problem):
        return None
    return BlockSearch(problem, seed, **tuning).run(time_limit, log)


class BlockLNS:
    """Large neighbourhood search over blocks, each step one SAT call under assumptions.

    One encoding for the whole day: x[m, t] (meeting m in slot t, allowed slots only), exactly one per
    meeting; busy[p, t] <- x[m, t], at most one meeting of p per slot; at most `tables` meetings per
    slot (sequential counter); w[p, s] (p's block starts at s, starts where the block fits), at most
    one per participant; relaxed[p] or some w[p, s]; w[p, s] -> not busy[p, t] outside the block (with
    k meetings in k slots, p then fills the block: no break). A step keeps the blocks of the unbroken
    participants outside a small neighbourhood as assumptions, asks the neighbourhood's participants
    and one or two broken targets to be unbroken (not relaxed, block free), and lets every meeting move
    inside its blocks. SAT: the targets are repaired and nobody breaks who did not. UNSAT: the core's
    fixed blocks join the neighbourhood for one retry.
    """

    def __init__(
        self, base: BlockSearch, seed: int = 0, size: int = 16, budget: int = 3000, trade=True, by_time=0.5
    ):
        from pysat.card import CardEnc, EncType

        self.b = base
        self.rng = random.Random(seed)  # noqa: S311 (a seeded, reproducible search)
        self.size, self.budget, self.trade, self.by_time = size, budget, trade, by_time
        top = 0
        clauses = []

        def new():
            nonlocal top
            top += 1
            return top

        b = base
        self.x = {}
        for i in range(len(b.meetings)):
            lits = []
            for t in _bits(b.allowed[i]):
                v = new()
                self.x[i, t] = v
                lits.append(v)
            clauses.append(lits)
            clauses += [[-u, -v] for n, u in enumerate(lits) for v in lits[n + 1 :]]
        self.busy = {}
        for p in b.people:
            for t in range(b.S):
                lits = [self.x[i, t] for i in b.of[p] if (i, t) in self.x]
                if not lits:
                    continue
                v = new()
                self.busy[p, t] = v
                clauses += [[-u, v] for u in lits]
                clauses.append([-v, *lits])
                clauses += [[-u, -w] for n, u in enumerate(lits) for w in lits[n + 1 :]]
        self.relaxed = {p: new() for p in b.people}
        self.w = {}
        for p in b.people:
            k = b.k[p]
            ws = []
            for s in b.starts[p]:
                v = new()
                self.w[p, s] = v
                ws.append(v)
                for t in range(b.S):
                    if not s <= t < s + k and (p, t) in self.busy:
                        clauses.append([-v, -self.busy[p, t]])
                    elif s <= t < s + k:
                        # implied (k meetings, k slots), but the solver would need a pigeonhole to see it
                        clauses.append([-v, self.busy[p, t]])
            clauses.append([self.relaxed[p], *ws])
            clauses += [[-u, -v] for n, u in enumerate(ws) for v in ws[n + 1 :]]
        # second level: a relaxed participant keeps their meetings within k + 1 slots (one break at most)
        # unless relaxed twice
        self.relaxed2 = {p: new() for p in b.people}
        for p in b.people:
            k = b.k[p]
            ws = []
            for s in range(b.S - k):
                if not all((p, t) in self.busy for t in (s, s + k)):
                    continue
                v = new()
                ws.append(v)
                clauses.append([-v, self.busy[p, s]])
                clauses.append([-v, self.busy[p, s + k]])
                for t in range(b.S):
                    if not s <= t <= s + k and (p, t) in self.busy:
                        clauses.append([-v, -self.busy[p, t]])
            clauses.append([self.relaxed2[p], -self.relaxed[p], *ws])
        for t in range(b.S):
            lits = [self.x[i, t] for i in range(len(b.meetings)) if (i, t) in self.x]
            if len(lits) > b.cap2[t] // 2:
                enc = CardEnc.atmost(lits, bound=b.cap2[t] // 2, top_id=top, encoding=EncType.seqcounter)
                top = max(top, enc.nv)
                clauses += enc.clauses
        # break literals, forced true by a break: busy at t, idle at t - 1, met at or before t - 2
        met = {}
        self.brk = {}
        for p in b.people:
            for t in range(b.S):
                v = new()
                met[p, t] = v
                if (p, t) in self.busy:
                    clauses.append([-self.busy[p, t], v])
                if t:
                    clauses.append([-met[p, t - 1], v])
                if t >= 2 and (p, t) in self.busy:
                    v = new()
                    self.brk[p, t] = v
                    clause = [-self.busy[p, t], -met[p, t - 2], v]
                    if (p, t - 1) in self.busy:
                        clause.append(self.busy[p, t - 1])
                    clauses.append(clause)
        self.top = top
        self.back = {v: p for (p, s), v in self.w.items()}
        from pysat.card import ITotalizer

        self.total = ITotalizer(lits=list(self.relaxed.values()), ubound=len(b.people), top_id=top)
        clauses += self.total.cnf.clauses
        self.sat = Solver(name="g4", bootstrap_with=clauses)
        self.sat.set_phases(
            [-v for v in self.relaxed.values()]
            + [-v for v in self.relaxed2.values()]
            + [-v for v in self.x.values()]
        )

    def _read(self):
        model = self.sat.get_model()
        true = {v for v in model if v > 0}
        slots = {i: t for (i, t), v in self.x.items() if v in true}
        return slots

    def _slots_of(self, slots):
        """Participant -> the slots of their meetings, from a slot per meeting."""
        used = {}
        for i, t in slots.items():
            for p in self.b.ends[i]:
                used.setdefault(p, []).append(t)
        return used

    def _blocks(self, slots):
        """Start of the block of every participant without a break, from a slot per meeting."""
        return {p: min(ts) for p, ts in self._slots_of(slots).items() if max(ts) - min(ts) + 1 == len(ts)}

    def _near(self, slots):
        """Participants whose meetings lie within k + 1 slots (at most one break)."""
        return {p for p, ts in self._slots_of(slots).items() if max(ts) - min(ts) + 1 <= len(ts) + 1}

    def _grow_by_partners(self, hood, targets):
        """Add the targets' meeting partners to `hood`, then theirs (three at random each), up to size."""
        b = self.b
        frontier = [q for p in targets for q in b.partners[p]]
        self.rng.shuffle(frontier)
        while frontier and len(hood) < self.size:
            q = frontier.pop()
            if q not in hood:
                hood.add(q)
                more = list(b.partners[q])
                self.rng.shuffle(more)
                frontier = more[:3] + frontier

    def breaks(self, slots):
        b = self.b
        used = {}
        for i, t in slots.items():
            for p in b.ends[i]:
                used.setdefault(p, []).append(t)
        return sum(self._gaps(ts) for ts in used.values())

    @staticmethod
    def _gaps(ts):
        ts = sorted(ts)
        return sum(1 for x, y in zip(ts, ts[1:], strict=False) if y != x + 1)

    def run(self, time_limit: float, log=None, slots=None):
        """Best slot per meeting position found, from `slots` (or a first SAT schedule)."""
        b = self.b
        started = time.monotonic()
        if slots is None:
            if not self.sat.solve():
                return None
            slots = self._read()
        blocks = self._blocks(slots)
        near = self._near(slots)
        best = self.breaks(slots)
        best_slots = slots
        if log:
            log(
                f"lns: start {best} breaks, {len(b.people) - len(blocks)} broken, "
                f"{time.monotonic() - started:.2f}s"
            )
        steps = sat_steps = 0
        answers = {True: 0, False: 0, None: 0}
        while time.monotonic() - started < time_limit:
            broken = [p for p in b.people if p not in blocks]
            if not broken:
                break
            steps += 1
            targets = self.rng.sample(broken, min(len(broken), self.rng.choice([1, 1, 2])))
            hood = set(targets)
            if self.rng.random() < self.by_time:
                # the participants whose blocks lie across the slots the targets meet in now
                seen = sorted(t for i, t in slots.items() if set(b.ends[i]) & hood)
                lo, hi = seen[0], seen[-1]
                around = [q for q, s in blocks.items() if s <= hi and s + b.k[q] - 1 >= lo]
                self.rng.shuffle(around)
                hood |= set(around[: max(0, self.size - len(hood))])
            self._grow_by_partners(hood, targets)
            for attempt in range(2):
                if self.trade:
                    # fewer broken overall; the neighbourhood may trade one break for another
                    assume = [-self.total.rhs[len(broken) - 1]]
                else:
                    assume = [-self.relaxed[p] for p in targets]
                assume += [-self.relaxed2[p] for p in near]
                # the others with a break keep their busy slots unless in the neighbourhood: no new breaks
                busy_now = {(p, t) for i, t in slots.items() for p in b.ends[i]}
                for p in b.people:
                    if p not in blocks and p not in near and p not in hood:
                        assume += [
                            v if (p, t) in busy_now else -v
                            for t in range(b.S)
                            if (v := self.busy.get((p, t)))
                        ]
                for p in b.people:
                    if p in hood and p in blocks:
                        if not self.trade:
                            assume.append(-self.relaxed[p])
                    elif p in blocks and (p, blocks[p]) in self.w:
                        assume.append(self.w[p, blocks[p]])
                self.sat.conf_budget(self.budget)
                answer = self.sat.solve_limited(assumptions=assume)
                answers[answer] += 1
                if answer is True:
                    sat_steps += 1
                    slots = self._read()
                    new_blocks = self._blocks(slots)
                    if len(new_blocks) >= len(blocks):
                        blocks = new_blocks
                        near = self._near(slots)
                        now = self.breaks(slots)
                        if now < best:
                            best, best_slots = now, slots
                            if log:
                                log(
                                    f"lns: {best} breaks, {len(b.people) - len(blocks)} broken, "
                                    f"step {steps}, "
                                    f"{time.monotonic() - started:.2f}s"
                                )
                    break
                if answer is False and attempt == 0:
                    core = self.sat.get_core() or []
                    extra = {self.back[v] for v in core if v in self.back}
                    if not extra:
                        break
                    hood |= extra
                    continue
                break
        if log:
            log(
                f"lns: end {best} breaks, {len(b.people) - len(blocks)} broken, "
                f"{steps} steps ({sat_steps} repaired), "
                f"calls sat/unsat/unknown {answers[True]}/{answers[False]}/{answers[None]}, "
                f"{time.monotonic() - started:.2f}s"
            )
        self.slots = best_slots
        return best_slots

    def run_breaks(self, time_limit: float, log=None, slots=None):
        """LNS on the break count: outside the neighbourhood every participant keeps their busy slots (the
        unbroken ones only their block: their meetings may still move inside it); inside it, anything, as
        long as the neighbourhood has fewer breaks than now (a sequential counter behind a fresh selector)."""
        from pysat.card import CardEnc, EncType

        b = self.b
        started = time.monotonic()
        if slots is None:
            if not self.sat.solve():
                return None
            slots = self._read()
        answers = {True: 0, False: 0, None: 0}
        steps = 0
        best = self.breaks(slots)
        if log:
            log(f"lns-breaks: start {best} breaks, {time.monotonic() - started:.2f}s")
        while best and time.monotonic() - started < time_limit:
            steps += 1
            used = {}
            for i, t in slots.items():
                for p in b.ends[i]:
                    used.setdefault(p, []).append(t)
            per = {p: self._gaps(ts) for p, ts in used.items()}
            broken = [p for p in b.people if per.get(p)]
            targets = self.rng.sample(broken, min(len(broken), self.rng.choice([1, 1, 2])))
            hood = set(targets)
            if self.rng.random() < self.by_time:
                lo = min(t for p in targets for t in used[p])
                hi = max(t for p in targets for t in used[p])
                around = [q for q in b.people if q not in hood and min(used[q]) <= hi and max(used[q]) >= lo]
                self.rng.shuffle(around)
                hood |= set(around[: max(0, self.size - len(hood))])
            self._grow_by_partners(hood, targets)
            now = sum(per.get(p, 0) for p in hood)
            lits = [v for (p, t), v in self.brk.items() if p in hood]
            self.top += 1
            guard = self.top
            enc = CardEnc.atmost(lits, bound=now - 1, top_id=self.top, encoding=EncType.seqcounter)
            self.top = max(self.top, enc.nv)
            for clause in enc.clauses:
                self.sat.add_clause([-guard, *clause])
            assume = [guard]
            for p in b.people:
                if p in hood:
                    continue
                if not per.get(p) and (p, min(used[p])) in self.w:
                    assume.append(self.w[p, min(used[p])])
                else:
                    ts = set(used[p])
                    assume += [v if t in ts else -v for t in range(b.S) if (v := self.busy.get((p, t)))]
            self.sat.conf_budget(self.budget)
            answer = self.sat.solve_limited(assumptions=assume)
            answers[answer] += 1
            self.sat.add_clause([-guard])
            if answer is True:
                slots = self._read()
                best = self.breaks(slots)
                if log:
                    log(f"lns-breaks: {best} breaks, step {steps}, {time.monotonic() - started:.2f}s")
        if log:
            log(
                f"lns-breaks: end {best} breaks, {steps} steps, calls sat/unsat/unknown "
                f"{answers[True]}/{answers[False]}/{answers[None]}, {time.monotonic() - started:.2f}s"
            )
        self.slots = slots
        return slots


def lns_slots(
    problem: Problem, time_limit: float, seed: int = 0, log=None, start=None, objective="broken", **tuning
):
    """The block LNS from `start` (slot index per meeting id) or a first SAT schedule:
    (slot index per meeting id, breaks), or None."""
    if not applicable(problem):
        return None
    base = BlockSearch(problem, seed)
    lns = BlockLNS(base, seed, **tuning)
    if start is not None:
        pos = {s: n for n, s in enumerate(base.slot_ids)}
        start = {i: pos[start[m.id]] for i, m in enumerate(base.meetings)}
    run = lns.run_breaks if objective == "breaks" else lns.run
    slots = run(time_limit, log, slots=start)
    if slots is None:
        return None
    return {base.meetings[i].id: base.slot_ids[t] for i, t in slots.items()}, lns.breaks(slots)
