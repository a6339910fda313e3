"""Experiment: the block search (bench/block_search.py) alone on a B2B instance.

    .venv/bin/python bench/b2b_blocks.py INSTANCE.json [--time-limit 30] [--seed 0] > SCHEDULE.json
    .venv/bin/python bench/b2b/verify.py INSTANCE.json SCHEDULE.json

Standard output: the schedule in the checker's format (empty meeting list when nothing was found);
progress and a summary line on standard error.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.b2b_format import problem_from_instance  # noqa: E402
from bench.block_search import lns_slots, zero_break_slots  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mode", choices=["lns", "local", "breaks"], default="lns")
    parser.add_argument("--size", type=int, default=16)
    parser.add_argument("--budget", type=int, default=3000)
    parser.add_argument("--no-trade", action="store_true")
    parser.add_argument("--start", type=Path, help="a schedule (checker format) to start the LNS from")
    parser.add_argument("--by-time", type=float, default=0.5)
    parser.add_argument("--noise", type=float, default=0.02)
    parser.add_argument("--bump", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    data = json.loads(args.instance.read_text())
    problem = problem_from_instance(data)
    log = lambda s: print(s, file=sys.stderr)  # noqa: E731
    if args.mode == "local":
        slots = zero_break_slots(
            problem, args.time_limit, seed=args.seed, noise=args.noise, bump=args.bump, log=log
        )
    else:
        start = None
        if args.start:
            # meetings are matched to the instance's by their pair, as the checker does
            pairs = {}
            for m in json.loads(args.start.read_text())["meetings"]:
                pairs.setdefault((min(m["a"], m["b"]), max(m["a"], m["b"])), []).append(m["slot"])
            start = {m.id: pairs[(min(m.a, m.b), max(m.a, m.b))].pop(0) for m in problem.meetings}
        found = lns_slots(
            problem,
            args.time_limit,
            seed=args.seed,
            size=args.size,
            budget=args.budget,
            trade=not args.no_trade,
            by_time=args.by_time,
            log=log,
            start=start,
            objective=args.mode,
        )
        slots = found and found[0]
    seconds = time.monotonic() - started
    meetings = []
    if slots is not None:
        used = {}
        for m in problem.meetings:
            s = slots[m.id]
            used[s] = used.get(s, 0) + 1
            meetings.append({"a": m.a, "b": m.b, "slot": s, "table": used[s]})
    found = "a schedule" if slots is not None else "nothing found"
    print(f"{data['name']}: blocks, {found}, {seconds:.2f}s", file=sys.stderr)
    json.dump({"instance": data["name"], "seconds": round(seconds, 3), "meetings": meetings}, sys.stdout)
    sys.stdout.write("\n")
    return 0 if slots is not None else 1


if __name__ == "__main__":
    sys.exit(main())
