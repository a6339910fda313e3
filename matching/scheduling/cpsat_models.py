"""The CP-SAT models the solver's stages build on literals x[m, s] ("meeting m is in slot s"): placement,
busy and run-start literals, one unbroken window, the breaks model, spans and fairness, and the callback
that reports each better schedule."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .analysis import (
    Prepared,
    breaks_of,
)

# Above this many span literals the breaks model keeps the plain run-start model (large days).
SPAN_LITERALS_LIMIT = 60_000
# Weight of the fairness excess in the objective: more than any day's total breaks.
BIG = 1_000_000


class Cancelled(Exception):
    pass


class SolutionCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, report):
        super().__init__()
        self.report = report
        self.error: BaseException | None = None

    def on_solution_callback(self):
        if self.report is None:
            return
        try:
            if self.report(self) is False:
                self.error = Cancelled()
                self.stop_search()
        except Exception as exc:  # re-raised after solve(); CP-SAT would swallow it
            self.error = exc
            self.stop_search()


# ---------------------------------------------------------------- model pieces
def add_hint(model, x, slot_of):
    for mid, by_slot in x.items():
        for s, var in by_slot.items():
            model.add_hint(var, slot_of.get(mid) == s)


def slots_from(solver, x) -> dict:
    return {mid: s for mid, by_slot in x.items() for s, var in by_slot.items() if solver.boolean_value(var)}


def placement_model(prepared: Prepared, meetings, exact: bool, fixed=None, allowed=None, model=None):
    """x[m][s] for the given meetings: each at most (or, if `exact`, exactly) once, nobody twice in a
    slot, no more in-person meetings in a slot than it has tables, and no more meetings needing an
    interpreter than the slot's interpreters can serve (Hall's condition). Locked meetings are exactly
    once (their slot is their only candidate). `fixed` meetings ({id: slot}) are not variables but still
    take their participants, a table and an interpreter; `allowed` narrows some meetings' slots."""
    problem = prepared.problem
    model = model or cp_model.CpModel()
    taken: set[tuple[int, int]] = set()
    used: dict[int, int] = defaultdict(int)
    fixed_languages: dict[int, list[str]] = defaultdict(list)
    for mid, s in (fixed or {}).items():
        m = prepared.by_id[mid]
        taken.update(((m.a, s), (m.b, s)))
        used[s] += 0 if m.online else 1
        if prepared.needs_pool(m):
            fixed_languages[s].append(m.interpreter_language)
    x: dict = {}
    at: dict[tuple[int, int], list] = defaultdict(list)
    in_slot: dict[int, list] = defaultdict(list)
    interpreted: dict[int, list] = defaultdict(list)  # slot -> [(language, literal)]
    for m in meetings:
        slots = (allowed or {}).get(m.id, prepared.candidates[m.id])
        x[m.id] = {
            s: model.new_bool_var(f"x_{m.id}_{s}")
            for s in slots
            if (m.a, s) not in taken and (m.b, s) not in taken
        }
        vars_ = list(x[m.id].values())
        if exact or m.locked_slot is not None:
            model.add_exactly_one(vars_)
        else:
            model.add_at_most_one(vars_)
        for s, var in x[m.id].items():
            at[(m.a, s)].append(var)
            at[(m.b, s)].append(var)
            if not m.online:
                in_slot[s].append(var)
            if prepared.needs_pool(m):
                interpreted[s].append((m.interpreter_language, var))
    for vars_ in at.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    for s, vars_ in in_slot.items():
        room = problem.capacity(s) - used[s]
        if len(vars_) > room:
            model.add(sum(vars_) <= room)
    for s, needs in interpreted.items():
        languages = {lang for lang, _ in needs} | set(fixed_languages[s])
        for subset, serving in prepared.interpreter_limits(s, languages):
            here = [var for lang, var in needs if lang in subset]
            room = serving - sum(1 for lang in fixed_languages[s] if lang in subset)
            if len(here) > room:
                model.add(sum(here) <= room)
    return x, model


class Busy(dict):
    """slot -> literal "this participant has a meeting then", only for slots where they could; ordered
    by the day. `count_of` is how many meetings they have in the model (free and fixed)."""

    count_of: int = 0


def busy_literals(prepared: Prepared, model, meetings, x, fixed=None) -> dict[int, Busy]:
    """Busy literals for every participant of `meetings`; a slot where a `fixed` meeting holds them is
    a constant true literal."""
    at: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    count: dict[int, int] = defaultdict(int)
    for m in meetings:
        for who in (m.a, m.b):
            count[who] += 1
            for s, var in x[m.id].items():
                at[who][s].append(var)
    if fixed:
        true = model.new_bool_var("true")
        model.add(true == 1)
        for mid, s in fixed.items():
            m = prepared.by_id[mid]
            for who in (m.a, m.b):
                if who in at:
                    count[who] += 1
                    at[who][s] = [true]
    out = {}
    for who, by_slot in at.items():
        busy = Busy()
        busy.count_of = count[who]
        for s in sorted(by_slot, key=prepared.pos.get):
            vars_ = by_slot[s]
            if len(vars_) == 1:
                busy[s] = vars_[0]
            else:
                b = model.new_bool_var(f"busy_{who}_{s}")
                model.add_exactly_one([~b, *vars_])  # b == sum(vars_), and at most one of them
                busy[s] = b
        out[who] = busy
    return out


def run_starts(prepared: Prepared, model, busy: Busy) -> list:
    """One literal per slot that is true exactly when a run of meetings begins there, so that break
    counts are true counts (fairness needs exact counts, not just lower bounds)."""
    order, pos = prepared.order, prepared.pos
    starts = []
    for s, lit in busy.items():
        i = pos[s]
        prev = busy.get(order[i - 1]) if i > 0 else None
        if prev is None:
            starts.append(lit)
            continue
        st = model.new_bool_var("")
        model.add_bool_or([~lit, prev, st])
        model.add_implication(st, lit)
        model.add_implication(st, ~prev)
        starts.append(st)
    return starts


def one_window(prepared: Prepared, model, busy: Busy, k: int, enforce=None):
    """All k meetings in one unbroken block: choose its first slot (one-hot); the block is then busy and
    everything else idle. This is what makes the tight stage fast. With `enforce` (a literal), only
    when that literal is true."""
    n = len(prepared.order)
    positions = {prepared.pos[s]: lit for s, lit in busy.items()}
    windows = {
        t: model.new_bool_var("") for t in range(n - k + 1) if all(j in positions for j in range(t, t + k))
    }
    if enforce is None:
        model.add_exactly_one(windows.values())
    else:
        model.add(sum(windows.values()) == enforce)
    for j, lit in positions.items():
        cover = [w for t, w in windows.items() if t <= j < t + k]
        if enforce is None:
            model.add(lit == sum(cover))
        else:
            model.add(lit >= sum(cover))
            model.add(lit <= sum(cover) + 1 - enforce)


class BreaksModel:
    """Fewest breaks for the `free` meetings, the `fixed` ones ({id: slot}) staying where they are.
    Only participants with a free meeting get variables; everyone else's breaks are constants.
    Objective: BIG * fairness excess + total breaks.

    exact: every free meeting is placed (else at most once, with the placed weight >= `min_weight`);
    least: per-participant lower bounds (valid only when exact); caps: per-participant upper bounds;
    limit: if given, the fairness excess is instead the sum of everyone's breaks above `limit`
    (`excess_over`), a measure that falls with each participant brought within it."""

    def __init__(
        self,
        prepared: Prepared,
        free,
        fixed,
        exact: bool,
        least=None,
        lower_bound=0,
        weights=None,
        min_weight=None,
        allowed=None,
        caps=None,
        limit=None,
    ):
        problem = prepared.problem
        self.x, self.model = x, model = placement_model(prepared, free, exact, fixed=fixed, allowed=allowed)
        if min_weight is not None:
            model.add(sum(weights[m.id] * sum(x[m.id].values()) for m in free) >= min_weight)
        people = busy_literals(prepared, model, free, x, fixed=fixed)
        # Everyone untouched has all their meetings fixed, so their breaks are known.
        constant = [b for who, b in breaks_of(prepared, fixed).items() if who not in people]
        spans = exact and span_literal_count(prepared, people) <= SPAN_LITERALS_LIMIT
        per_person = []  # (breaks expression, active literal or None if surely active, most breaks)
        for who, busy in people.items():
            starts = run_starts(prepared, model, busy)
            k = busy.count_of
            most = prepared_most(prepared, busy)
            if caps is not None:
                most = min(most, caps.get(who, most))
            if exact:
                b = model.new_int_var(min((least or {}).get(who, 0), most), most, f"breaks_{who}")
                model.add(b == sum(starts) - 1)
                if spans:
                    span(prepared, model, busy, k, b)
                per_person.append((b, None, most))
            else:
                active = model.new_bool_var(f"active_{who}")
                model.add_bool_or(list(busy.values())).only_enforce_if(active)
                for lit in busy.values():
                    model.add_implication(lit, active)
                model.add(sum(starts) <= (most + 1) * active)
                model.add(sum(starts) >= active)
                per_person.append((sum(starts) - active, active, most))
        self.total = sum(expr for expr, _, _ in per_person) + sum(constant)
        if lower_bound:
            model.add(self.total >= lower_bound)
        if limit is None:
            self.excess = fairness_excess_var(model, problem.fairness, per_person, constant)
        else:
            self.excess = excess_over_var(model, limit, per_person, constant)
        model.minimize(BIG * self.excess + self.total)

    def hint(self, slot_of):
        add_hint(self.model, self.x, slot_of)

    def at_most(self, score):
        self.model.add(BIG * self.excess + self.total <= score)

    def slots(self, solver) -> dict:
        return slots_from(solver, self.x)

    def placed(self, cb) -> int:
        return sum(1 for by_slot in self.x.values() if any(cb.boolean_value(v) for v in by_slot.values()))

    def breaks(self, cb) -> int:
        return round(cb.objective_value) - BIG * cb.value(self.excess)


def prepared_most(prepared: Prepared, busy: Busy) -> int:
    """Most breaks a participant's meetings could make, given the slots they could use."""
    return max(0, min(busy.count_of, prepared.max_blocks(list(busy))) - 1)


def span_literal_count(prepared: Prepared, people) -> int:
    n = len(prepared.order)
    return sum(min(len(b), n) * max(1, n - b.count_of + 1) for b in people.values())


def span(prepared: Prepared, model, busy, k: int, breaks_var):
    """Redundant: a one-hot choice of the participant's span (first to last meeting). A span of exactly
    k slots is one unbroken block; a longer one has at least one and at most (length - k) breaks."""
    n = len(prepared.order)
    at = {prepared.pos[s]: lit for s, lit in busy.items()}
    spans = {}
    for t in at:
        inside = 0
        for end in range(t, n):
            if end in at:
                inside += 1
            length = end - t + 1
            if end in at and inside >= k and (length > k or inside == k == length):
                spans[(t, length)] = model.new_bool_var("")
    if not spans:
        return
    model.add_exactly_one(spans.values())
    for (t, length), y in spans.items():
        model.add_implication(y, at[t])
        model.add_implication(y, at[t + length - 1])
        if length == k:
            for j in range(t, t + k):
                model.add_implication(y, at[j])
    for j, lit in at.items():
        model.add_bool_or([~lit] + [y for (t, length), y in spans.items() if t <= j < t + length])
    model.add(breaks_var >= sum(y for (t, length), y in spans.items() if length > k))
    model.add(breaks_var <= sum((length - k) * y for (t, length), y in spans.items()))


def excess_over(breaks: dict, limit: int) -> int:
    """The breaks above `limit`, summed over the participants (0: nobody has more than `limit`)."""
    return sum(max(0, count - limit) for count in breaks.values())


def excess_over_var(model, limit, per_person, constants):
    """excess_over as a model expression (each participant's part an integer the objective minimises)."""
    parts = []
    for expr, _, most in per_person:
        if most > limit:
            part = model.new_int_var(0, most - limit, "")
            model.add(part >= expr - limit)
            parts.append(part)
    return sum(parts) + sum(max(0, count - limit) for count in constants)


def fairness_excess_var(model, fairness, per_person, constants):
    """How far the spread of break counts exceeds `fairness` (others' counts are the `constants`)."""
    cap = max([most for _, _, most in per_person] + constants + [0])
    excess = model.new_int_var(0, cap, "fairness_excess")
    if fairness is None or len(per_person) + len(constants) < 2 or cap <= fairness:
        model.add(excess == 0)
        return excess
    high = model.new_int_var(max(constants, default=0), cap, "most_breaks")
    low = model.new_int_var(0, min(constants, default=cap), "fewest_breaks")
    for expr, active, _ in per_person:
        model.add(high >= expr)
        constraint = model.add(low <= expr)
        if active is not None:
            constraint.only_enforce_if(active)
    model.add(excess >= high - low - fairness)
    return excess
