"""Schedule a B2B benchmark instance with the portal's scheduling core; print only the schedule JSON.

    .venv/bin/python bench/b2b_schedule.py INSTANCE.json [--time-limit S] [--workers N] [--log]
    .venv/bin/python bench/b2b/verify.py INSTANCE.json SCHEDULE.json

The published instances are in bench/b2b/ (forum-13.json, tic-12.json).

Standard output carries the schedule in the checker's format and nothing else; progress and a summary
go to standard error.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.b2b_format import problem_from_instance, schedule_to_json, unsupported  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument(
        "--time-limit", type=float, default=60.0, help="seconds for the whole run (default 60)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--log", action="store_true", help="CP-SAT search log on standard error")
    args = parser.parse_args(argv)
    # Here, not at the top: the scheduler's other processes run this file's top level again (spawn), and
    # most of them have no use for OR-Tools.
    from matching.scheduling import solve

    started = time.monotonic()
    data = json.loads(args.instance.read_text())
    problem = problem_from_instance(data)
    for warning in unsupported(data):
        print(f"warning: {warning}", file=sys.stderr)

    def progress(p):
        breaks = "" if p.total_breaks is None else f", {p.total_breaks} breaks"
        print(
            f"[{p.seconds:7.2f}s] {p.phase}: {p.placed}/{p.requested} placed{breaks} (bound {p.bound:g})",
            file=sys.stderr,
        )

    # Whatever native code might write to file descriptor 1 goes to standard error while solving.
    sys.stdout.flush()
    saved_stdout = os.dup(1)
    os.dup2(2, 1)
    try:
        result = solve(
            problem,
            time_limit_seconds=args.time_limit,
            on_progress=progress,
            workers=args.workers,
            log=args.log,
        )
    finally:
        os.dup2(saved_stdout, 1)
        os.close(saved_stdout)
    seconds = time.monotonic() - started
    print(
        f"{data['name']}: {result.status}, {result.placed}/{result.requested} placed, "
        f"{result.total_breaks} breaks (lower bound {result.breaks_lower_bound}), "
        f"fairness spread {result.fairness_spread}, {seconds:.2f}s {list(result.stages)}",
        file=sys.stderr,
    )
    for u in result.unplaced:
        print(f"  unplaced {u.a}-{u.b}: {u.reason}", file=sys.stderr)
    for c in result.conflicts:
        print(f"  conflict: {c}", file=sys.stderr)
    json.dump(schedule_to_json(data["name"], result, seconds), sys.stdout)
    sys.stdout.write("\n")
    return 0 if result.status != "infeasible" else 1


if __name__ == "__main__":
    sys.exit(main())
