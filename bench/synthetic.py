"""Seeded synthetic problems for benchmarks: B2B-forum-like instances and a large roadshow day.

    .venv/bin/python -m bench.synthetic --seed 1 --participants 78 --meetings 302 \\
        --slots 22 --morning 14 > /tmp/hard-1.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys

from matching.scheduling.problem import Meeting, Participant, Problem, Slot


def b2b_instance(
    seed: int,
    participants: int = 78,
    meetings: int = 302,
    slots: int = 22,
    morning: int = 14,
    table_slack: int = 0,
    forbidden_share: float = 0.35,
    planted: bool = True,
    name: str | None = None,
    busiest_share: float = 0.95,
) -> dict:
    """An instance in the benchmark's JSON format, shaped like the published forums: hubs with many
    meetings, participants who only come in the morning, a few afternoon-only ones, forbidden slots.

    planted=True grows a schedule in which every participant's meetings are one unbroken block and
    no slot holds more than the table count, so the optimum is 0 breaks and every meeting fits; the
    table count is then the busiest slot of that schedule plus `table_slack` (tight when 0).
    planted=False draws the meetings at random; tables = the average load per session plus slack.
    """
    rng = random.Random(seed)
    kinds = rng.choices(["am", "any", "pm"], weights=[50, 45, 5], k=participants)
    # Heavy-tailed appetite: a few hubs meet many, most meet a handful.
    appetite = [rng.paretovariate(1.3) for _ in range(participants)]
    morning_slots = list(range(1, morning + 1))
    afternoon_slots = list(range(morning + 1, slots + 1))

    def session_of(a, b):
        ka, kb = kinds[a - 1], kinds[b - 1]
        if "am" in (ka, kb) and "pm" in (ka, kb):
            return None
        if "am" in (ka, kb):
            return "am"
        if "pm" in (ka, kb):
            return "pm"
        return "any"

    def session_slots(session):
        return {"am": morning_slots, "pm": afternoon_slots, "any": morning_slots + afternoon_slots}[session]

    people = list(range(1, participants + 1))
    # Nobody asks for more meetings than a share of their session's slots.
    room = {p: int(busiest_share * len(session_slots(kinds[p - 1]))) for p in people}
    degree = dict.fromkeys(people, 0)

    def draw_pair():
        weights = [w if degree[p] < room[p] else 0.0 for p, w in zip(people, appetite, strict=True)]
        return rng.choices(people, weights=weights, k=2)

    pairs: set[tuple[int, int]] = set()
    out: list[list] = []
    forbidden: dict[int, list[int]] = {}
    if planted:
        cap = math.ceil(meetings / slots) + 1
        block: dict[int, list[int]] = {}  # participant -> [first, last] slot of their block
        used = dict.fromkeys(range(1, slots + 1), 0)
        busy: set[tuple[int, int]] = set()
        attempts = 0
        while len(out) < meetings and attempts < meetings * 400:
            attempts += 1
            a, b = draw_pair()
            key = (min(a, b), max(a, b))
            session = session_of(a, b) if a != b else None
            if session is None or key in pairs:
                continue
            options = set(session_slots(session))
            for p in (a, b):
                if p in block:
                    lo, hi = block[p]
                    options &= {lo - 1, hi + 1}
            options = [s for s in options if used[s] < cap and (a, s) not in busy and (b, s) not in busy]
            if not options:
                continue
            s = rng.choice(options)
            for p in (a, b):
                lo, hi = block.get(p, [s, s])
                block[p] = [min(lo, s), max(hi, s)]
                busy.add((p, s))
            used[s] += 1
            pairs.add(key)
            degree[a] += 1
            degree[b] += 1
            out.append([a, b, session])
        tables = max(used.values()) + table_slack
        for p in people:
            if p in block and rng.random() < forbidden_share:
                lo, hi = block[p]
                free = [s for s in session_slots(kinds[p - 1]) if not lo <= s <= hi]
                if free:
                    forbidden[p] = sorted(rng.sample(free, min(len(free), rng.choice([1, 1, 2, 3]))))
    else:
        while len(out) < meetings:
            a, b = draw_pair()
            key = (min(a, b), max(a, b))
            session = session_of(a, b) if a != b else None
            if session is None or key in pairs:
                continue
            pairs.add(key)
            degree[a] += 1
            degree[b] += 1
            out.append([a, b, session])
        for p in people:
            if rng.random() < forbidden_share:
                forbidden[p] = sorted(rng.sample(range(1, slots + 1), rng.choice([1, 1, 2])))
        am = sum(1 for *_, s in out if s == "am")
        pm = sum(1 for *_, s in out if s == "pm")
        need = max(
            math.ceil(am / max(1, morning)),
            math.ceil(pm / max(1, slots - morning)) if slots > morning else 0,
            math.ceil(len(out) / slots),
        )
        tables = need + table_slack
    return {
        "name": name or f"synthetic-{'planted' if planted else 'random'}-{seed}",
        "participants": participants,
        "slots": slots,
        "morning_slots": morning,
        "tables": tables,
        "meetings": out,
        "forbidden_slots": {str(p): s for p, s in sorted(forbidden.items())},
        "fixed_slots": {},
        "precedences": {},
        "fairness": 2,
        "best_known_breaks": 0 if planted else None,
    }


def roadshow_problem(
    seed: int = 1,
    smes: int = 300,
    buyers: int = 200,
    meetings: int = 3000,
    slots: int = 20,
    morning: int = 10,
    tables: int = 170,
    unavailable_share: float = 0.3,
    must_share: float = 0.4,
    most_requests: int = 22,
) -> Problem:
    """A large roadshow day: Korean SMEs meet foreign buyers (never each other), "must" and "would"
    requests, some session preferences, some participants away for a few slots. Popularity is
    heavy-tailed, so popular buyers get up to `most_requests` requests, more than the day has slots."""
    rng = random.Random(seed)
    day = tuple(Slot(i, "am" if i <= morning else "pm") for i in range(1, slots + 1))
    sme_ids = list(range(1, smes + 1))
    buyer_ids = list(range(smes + 1, smes + buyers + 1))
    buyer_weight = [rng.paretovariate(1.5) for _ in buyer_ids]
    sme_weight = [rng.paretovariate(2.5) for _ in sme_ids]
    people = []
    for pid in sme_ids + buyer_ids:
        away = set()
        if rng.random() < unavailable_share:
            start = rng.randrange(1, slots + 1)
            away = set(range(start, min(slots, start + rng.choice([1, 2, 4])) + 1))
        people.append(Participant(pid, frozenset(away)))
    pairs: set[tuple[int, int]] = set()
    out = []
    degree = dict.fromkeys(sme_ids + buyer_ids, 0)
    while len(out) < meetings:
        a = rng.choices(sme_ids, weights=sme_weight)[0]
        b = rng.choices(buyer_ids, weights=buyer_weight)[0]
        if (a, b) in pairs or degree[a] >= most_requests or degree[b] >= most_requests:
            continue
        pairs.add((a, b))
        degree[a] += 1
        degree[b] += 1
        session = rng.choices(["any", "am", "pm"], weights=[70, 20, 10])[0]
        priority = "must" if rng.random() < must_share else "would"
        out.append(Meeting(len(out) + 1, a, b, session, priority))
    return Problem(day, tables, tuple(people), tuple(out), fairness=2)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write a synthetic B2B instance (benchmark JSON) to stdout.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--participants", type=int, default=78)
    parser.add_argument("--meetings", type=int, default=302)
    parser.add_argument("--slots", type=int, default=22)
    parser.add_argument("--morning", type=int, default=14)
    parser.add_argument("--table-slack", type=int, default=0)
    parser.add_argument("--forbidden-share", type=float, default=0.35)
    parser.add_argument("--busiest-share", type=float, default=0.95, help="most meetings / session slots")
    parser.add_argument("--random", action="store_true", help="no planted 0-break schedule")
    args = parser.parse_args(argv)
    inst = b2b_instance(
        args.seed,
        args.participants,
        args.meetings,
        args.slots,
        args.morning,
        args.table_slack,
        args.forbidden_share,
        planted=not args.random,
        busiest_share=args.busiest_share,
    )
    json.dump(inst, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
