"""Greedy placement: first fit (the baseline the benchmarks compare against) and augmenting moves."""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from .analysis import Prepared, fits, occupancy, pooled_meetings


def first_fit(prepared: Prepared) -> dict[int | str, int]:
    """Locked meetings first, then by priority (and request order), each in the earliest slot where
    both participants are free and a table is open. Returns {meeting id: slot index}."""
    problem = prepared.problem
    weights = prepared.weights()
    order = sorted(
        range(len(problem.meetings)),
        key=lambda i: (problem.meetings[i].locked_slot is None, -weights[problem.meetings[i].id], i),
    )
    return _fit(prepared, [problem.meetings[i] for i in order], lambda m, slots, positions: next(slots, None))


def compact_fit(prepared: Prepared) -> dict[int | str, int]:
    """Like first_fit, but each meeting goes where it adds the fewest breaks to its two participants'
    days so far (next to their meetings already placed, earliest among equals), the meetings of the
    busiest participants first. Fewer breaks than first fit on every bench/b2b_hard.py day where both
    place every meeting (random-1 157 against 199, forum-13 with 10 tables 85 against 92; on tic-12 it
    leaves one out), a better start for the neighbourhood search (bench/README, issue 17 session 20).
    Returns {meeting id: slot index}."""
    problem = prepared.problem
    weights = prepared.weights()
    meetings_of = Counter(who for m in problem.meetings for who in (m.a, m.b))

    def key(i):
        m = problem.meetings[i]
        hub = max((m.a, m.b), key=meetings_of.__getitem__)
        return m.locked_slot is None, -weights[m.id], -meetings_of[hub], hub, i

    def choose(m, slots, positions):
        def cost(s):
            t = prepared.pos[s]
            added = sum(_breaks_added(positions[who], t) for who in (m.a, m.b))
            beside = sum((t - 1 in positions[who]) + (t + 1 in positions[who]) for who in (m.a, m.b))
            return added, -beside, t

        return min(slots, key=cost, default=None)

    order = sorted(range(len(problem.meetings)), key=key)
    return _fit(prepared, [problem.meetings[i] for i in order], choose)


def _breaks_added(positions: set[int], t: int) -> int:
    """Breaks one more meeting at position t adds to a participant busy at `positions`."""
    if not positions:
        return 0
    return 1 - (t - 1 in positions) - (t + 1 in positions)


def _fit(prepared: Prepared, meetings, choose) -> dict[int | str, int]:
    """Place `meetings` in this order, each in the slot `choose(meeting, the slots where it fits (an
    iterator, in the order of its candidates), each participant's positions so far)` picks (None: left
    out). Returns {meeting id: slot index}."""
    busy: dict[tuple[int, int], int | str] = {}
    used: dict[int, int] = defaultdict(int)
    pooled: dict[int, list] = defaultdict(list)
    positions: dict[int, set[int]] = defaultdict(set)
    out: dict[int | str, int] = {}
    for m in meetings:
        slots = (s for s in prepared.candidates[m.id] if fits(prepared, m, s, busy, used, pooled))
        s = choose(m, slots, positions)
        if s is None:
            continue
        out[m.id] = s
        busy[(m.a, s)] = busy[(m.b, s)] = m.id
        used[s] += 0 if m.online else 1
        positions[m.a].add(prepared.pos[s])
        positions[m.b].add(prepared.pos[s])
        if prepared.needs_pool(m):
            pooled[s].append(m)
    return out


class _Board:
    """A schedule being repaired: who is busy when, tables and interpreters in use, and a log of moves
    so that a failed attempt can be undone."""

    def __init__(self, prepared: Prepared, slot_of: dict[int | str, int]):
        self.prepared = prepared
        self.slot_of = dict(slot_of)
        self.busy, self.used = occupancy(prepared, self.slot_of)
        self.pooled = pooled_meetings(prepared, self.slot_of)
        self.at: dict[int, set] = defaultdict(set)  # slot -> meeting ids there
        for mid, s in self.slot_of.items():
            self.at[s].add(mid)
        self.log: list[tuple[int | str, int | None, int | None]] = []

    def put(self, m, s, record=True):
        self.slot_of[m.id] = s
        self.busy[(m.a, s)] = self.busy[(m.b, s)] = m.id
        self.used[s] += 0 if m.online else 1
        self.at[s].add(m.id)
        if self.prepared.needs_pool(m):
            self.pooled[s].append(m)
        if record:
            self.log.append((m.id, None, s))

    def take(self, m, record=True):
        s = self.slot_of.pop(m.id)
        del self.busy[(m.a, s)], self.busy[(m.b, s)]
        self.used[s] -= 0 if m.online else 1
        self.at[s].discard(m.id)
        if self.prepared.needs_pool(m):
            self.pooled[s].remove(m)
        if record:
            self.log.append((m.id, s, None))
        return s

    def undo(self, mark: int):
        by_id = self.prepared.by_id
        while len(self.log) > mark:
            mid, before, after = self.log.pop()
            if after is not None:
                self.take(by_id[mid], record=False)
            if before is not None:
                self.put(by_id[mid], before, record=False)

    def fits(self, m, s) -> bool:
        return fits(self.prepared, m, s, self.busy, self.used, self.pooled)

    def place(self, m, depth: int, banned: set) -> bool:
        """Put `m` in, moving up to `depth` levels of other meetings out of its way (each moved meeting
        must find another slot in turn). On failure nothing has changed."""
        prepared = self.prepared
        for s in prepared.candidates[m.id]:
            if self.fits(m, s):
                self.put(m, s)
                return True
        if depth == 0:
            return False
        for s in prepared.candidates[m.id]:
            blockers = {self.busy.get((m.a, s)), self.busy.get((m.b, s))} - {None}
            if any(b in banned or prepared.by_id[b].locked_slot is not None for b in blockers):
                continue
            mark = len(self.log)
            moved = [prepared.by_id[b] for b in blockers]
            for b in moved:
                self.take(b)
            if not m.online and self.used[s] >= prepared.problem.capacity(s):
                # A full slot: one more meeting there must go elsewhere directly.
                room = next(
                    (
                        e
                        for e in (prepared.by_id[mid] for mid in sorted(self.at[s], key=str))
                        if not e.online
                        and e.locked_slot is None
                        and e.id not in banned
                        and self._moves_directly(e, s)
                    ),
                    None,
                )
                if room is None:
                    self.undo(mark)
                    continue
            if not self.fits(m, s):
                self.undo(mark)
                continue
            self.put(m, s)
            inner = banned | {m.id}
            if all(self.place(b, depth - 1, inner) for b in moved):
                return True
            self.undo(mark)
        return False

    def displace(self, m) -> bool:
        """Put the "must" meeting `m` in by taking lesser (unlocked, not "must") meetings out of its way."""
        prepared = self.prepared
        for s in prepared.candidates[m.id]:
            blockers = {self.busy.get((m.a, s)), self.busy.get((m.b, s))} - {None}
            out = [prepared.by_id[b] for b in blockers]
            if not m.online and self.used[s] - sum(
                1 for e in out if not e.online
            ) >= prepared.problem.capacity(s):
                lesser = sorted(
                    (prepared.by_id[mid] for mid in self.at[s] if mid not in blockers),
                    key=lambda e: (e.weight, str(e.id)),
                )
                extra = next(
                    (e for e in lesser if not e.online and not e.is_must and e.locked_slot is None), None
                )
                if extra is None:
                    continue
                out.append(extra)
            if any(e.is_must or e.locked_slot is not None for e in out):
                continue
            mark = len(self.log)
            for e in out:
                self.take(e)
            if not self.fits(m, s):
                self.undo(mark)
                continue
            self.put(m, s)
            for e in out:
                self.place(e, 1, {m.id})
            return True
        return False

    def _moves_directly(self, e, s) -> bool:
        mark = len(self.log)
        self.take(e)
        for t in self.prepared.candidates[e.id]:
            if t != s and self.fits(e, t):
                self.put(e, t)
                return True
        self.undo(mark)
        return False


def augment(prepared: Prepared, slot_of: dict[int | str, int], deadline: float, depth: int = 3):
    """Place more meetings into `slot_of`: for each unplaced meeting (by priority), move the meetings in
    its way to other slots, chains of up to `depth` moves (the augmenting paths of a matching, for
    slots). No placed meeting is left out, except lesser ones to make room for a "must" meeting that
    found none. Returns the new {meeting id: slot}."""
    board = _Board(prepared, slot_of)
    weights = prepared.weights()
    rest = [m for m in prepared.problem.meetings if m.id not in slot_of and prepared.candidates[m.id]]
    rest.sort(key=lambda m: -weights[m.id])
    for level in range(1, depth + 1):
        left = []
        for m in rest:
            if time.monotonic() >= deadline:
                return board.slot_of
            if not board.place(m, level, set()):
                left.append(m)
            board.log.clear()
        rest = left
    # A "must" meeting outweighs all others together: make room for it by leaving lesser ones out
    # (each then gets one more chance elsewhere).
    for m in rest:
        if m.is_must and time.monotonic() < deadline:
            board.displace(m)
            board.log.clear()
    return board.slot_of
