"""Benchmark the scheduling core on a large synthetic roadshow day; print its figures against a baseline.

    .venv/bin/python bench/scheduler_scale.py [--seed N] [--time-limit S] [--workers N] [--progress]

500 participants (300 Korean SMEs, 200 foreign buyers), 3 000 requested meetings (40 % "must"),
20 slots (10 morning, 10 afternoon), 170 tables, a third of the participants away for a few slots;
popular buyers are asked for more meetings than the day has slots, so not everything fits. Prints, for
a greedy first-fit placement (the baseline, measured in the same run) and for the CP-SAT core:
- meetings placed, as a share of an upper bound no schedule can beat (max-flow relaxations);
- "must" meetings placed, as a share of the "must" requests;
- breaks per participant with a meeting (mean and max) and the fairness spread;
- seconds, and seconds as a multiple of the baseline's.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import roadshow_problem  # noqa: E402
from matching.scheduling import solve  # noqa: E402
from matching.scheduling.analysis import Prepared, breaks_of  # noqa: E402
from matching.scheduling.bounds import placement_upper_bound  # noqa: E402
from matching.scheduling.greedy import first_fit  # noqa: E402


def figures(problem, slot_of, seconds, bound):
    musts = {m.id for m in problem.meetings if m.is_must}
    breaks = breaks_of(Prepared(problem), slot_of)
    values = list(breaks.values()) or [0]
    return {
        "placed": len(slot_of),
        "share": len(slot_of) / bound,
        "must": sum(1 for mid in slot_of if mid in musts) / max(1, len(musts)),
        "mean": sum(values) / len(values),
        "max": max(values),
        "spread": max(values) - min(values),
        "seconds": seconds,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--progress", action="store_true", help="solver progress on standard error")
    args = parser.parse_args(argv)

    problem = roadshow_problem(args.seed)
    started = time.perf_counter()
    bound = placement_upper_bound(Prepared(problem))
    bound_seconds = time.perf_counter() - started

    started = time.perf_counter()
    greedy = first_fit(Prepared(problem))
    greedy_seconds = time.perf_counter() - started

    def progress(p):
        breaks = "" if p.total_breaks is None else f", {p.total_breaks} breaks"
        print(f"[{p.seconds:6.1f}s] {p.phase}: {p.placed} placed{breaks}", file=sys.stderr)

    result = solve(
        problem,
        time_limit_seconds=args.time_limit,
        workers=args.workers,
        on_progress=progress if args.progress else None,
    )
    solved = {p.meeting_id: p.slot for p in result.placements}

    n_smes = sum(1 for p in problem.participants if p.id <= 300)
    print(
        f"scheduler_scale: {len(problem.participants)} participants ({n_smes} SMEs), "
        f"{len(problem.meetings)} requests ({sum(m.is_must for m in problem.meetings)} must), "
        f"{len(problem.slots)} slots, {problem.tables} tables, seed {args.seed}, "
        f"time limit {args.time_limit:g} s, {args.workers} workers"
    )
    print(f"upper bound on meetings placed (max-flow): {bound}  ({bound_seconds:.2f} s)")
    print(
        f"{'':22}{'placed':>7}{'÷ bound':>9}{'must placed':>13}{'breaks/participant':>20}"
        f"{'spread':>8}{'seconds':>9}{'× greedy time':>15}"
    )
    rows = [
        ("greedy first-fit", figures(problem, greedy, greedy_seconds, bound)),
        (f"CP-SAT core ({result.status})", figures(problem, solved, result.seconds, bound)),
    ]
    for name, f in rows:
        print(
            f"{name:22}{f['placed']:>7}{f['share']:>9.3f}{f['must']:>13.3f}"
            f"{f['mean']:>13.2f} (max {f['max']})"
            f"{f['spread']:>8}{f['seconds']:>9.2f}{f['seconds'] / greedy_seconds:>15.0f}"
        )
    greedy_row, core_row = rows[0][1], rows[1][1]
    print(
        f"core vs greedy: {core_row['placed'] / greedy_row['placed']:.3f}× meetings placed, "
        f"{core_row['mean'] / max(1e-9, greedy_row['mean']):.2f}× breaks per participant; "
        f"left out: {len(result.unplaced)} (" + _codes(result) + ")"
    )


def _codes(result):
    counts = {}
    for u in result.unplaced:
        counts[u.code] = counts.get(u.code, 0) + 1
    return ", ".join(f"{code} {n}" for code, n in sorted(counts.items())) or "none"


if __name__ == "__main__":
    main()
