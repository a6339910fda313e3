"""Greedy placement: first fit (the baseline the benchmarks compare against) and augmenting moves."""

from __future__ import annotations

import time
from collections import defaultdict

from .analysis import Prepared, fits, occupancy, pooled_meetings


def first_fit(prepared: Prepared) -> dict[int | str, int]:
    """Locked meetings first, then by priority (and request order), each in the earliest slot where
    both participants are free and a table is open. Returns {meeting id: slot index}."""
    problem = prepared.problem
    weights = prepared.weights()
    busy: dict[tuple[int, int], int | str] = {}
    used: dict[int, int] = defaultdict(int)
    pooled: dict[int, list] = defaultdict(list)
    out: dict[int | str, int] = {}
    order = sorted(
        range(len(problem.meetings)),
        key=lambda i: (problem.meetings[i].locked_slot is None, -weights[problem.meetings[i].id], i),
    )
    for i in order:
        m = problem.meetings[i]
        for s in prepared.candidates[m.id]:
            if fits(prepared, m, s, busy, used, pooled):
                out[m.id] = s
                busy[(m.a, s)] = busy[(m.b, s)] = m.id
                used[s] += 0 if m.online else 1
                if prepared.needs_pool(m):
                    pooled[s].append(m)
                break
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
