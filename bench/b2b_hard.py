"""Harder instances of the B2B family (fewer tables, more forbidden slots, planted synthetic days): the
scheduling core on each, schedules checked by the benchmark's own verify.py (bench/b2b/).

    .venv/bin/python bench/b2b_hard.py [--time-limit 60] [--only forum-13-t11] [--workers 2]
    .venv/bin/python bench/b2b_hard.py --write DIR      # the instances as benchmark JSON, no solving
    .venv/bin/python bench/b2b_hard.py --only planted-2 --relabel 1 2 3   # and three relabelled copies

One line per instance: meetings placed, breaks, proven lower bound, proven optimal or not, seconds,
and the checker's verdict. Every instance is generated deterministically from the published ones or
from bench.synthetic.
"""

import argparse
import copy
import importlib.util
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.b2b_format import problem_from_instance, schedule_to_json  # noqa: E402
from bench.synthetic import b2b_instance  # noqa: E402

BENCHMARKS = ROOT / "bench" / "b2b"  # the published instances and their checker


def variant(base: dict, tables: int, more_forbidden: int = 0) -> dict:
    """The published instance with `tables` tables and `more_forbidden` more participants (drawn among
    those with a meeting and no forbidden slot yet) each given one random forbidden slot."""
    data = copy.deepcopy(base)
    data["tables"] = tables
    data["best_known_breaks"] = None
    name = f"{base['name']}-t{tables}"
    if more_forbidden:
        rng = random.Random(tables * 100 + more_forbidden)  # noqa: S311 (reproducible instances)
        forbidden = data["forbidden_slots"]
        people = sorted({p for a, b, _ in data["meetings"] for p in (a, b)} - {int(p) for p in forbidden})
        for p in rng.sample(people, min(more_forbidden, len(people))):
            forbidden[str(p)] = [rng.randint(1, data["slots"])]
        name += f"-f{more_forbidden}"
    data["name"] = name
    return data


def published(name: str) -> dict:
    return json.loads((BENCHMARKS / f"{name}.json").read_text())


# name -> how to build that instance (each built only when asked for: a planted day takes about a second).
BUILDERS: dict[str, Callable[[], dict]] = {
    "forum-13": lambda: published("forum-13"),
    "tic-12": lambda: published("tic-12"),
    "tic-12-t16": lambda: variant(published("tic-12"), 16),
    "forum-13-t13": lambda: variant(published("forum-13"), 13),
    "forum-13-t14-f20": lambda: variant(published("forum-13"), 14, 20),
    "forum-13-t14-f40": lambda: variant(published("forum-13"), 14, 40),
    "forum-13-t12": lambda: variant(published("forum-13"), 12),
    "forum-13-t11": lambda: variant(published("forum-13"), 11),
    "forum-13-t11-f20": lambda: variant(published("forum-13"), 11, 20),
    "forum-13-t10": lambda: variant(published("forum-13"), 10),
    "planted-3": lambda: b2b_instance(3, name="planted-3"),
    "planted-2": lambda: b2b_instance(2, busiest_share=0.75, name="planted-2"),
    "random-1": lambda: b2b_instance(1, planted=False, busiest_share=0.75, table_slack=1, name="random-1"),
    # Session 12: planted days given more forbidden slots (so the planted schedule may break) or a
    # table more; optima known for some (bench/README.md, "Issue 17, session 12").
    "planted-4-t15-f20": lambda: variant(b2b_instance(4, name="planted-4"), 15, 20),
    "planted-7-t16-f30": lambda: variant(b2b_instance(7, name="planted-7"), 16, 30),
    "planted-8-t15-f10": lambda: variant(b2b_instance(8, name="planted-8"), 15, 10),
    "planted-9-t15-f10": lambda: variant(b2b_instance(9, name="planted-9"), 15, 10),
    "planted-3-t15-f20": lambda: variant(b2b_instance(3, name="planted-3"), 15, 20),
}


def instance(name: str) -> dict:
    """One of the instances, by name (only that one is built)."""
    data = BUILDERS[name]()
    if data["name"] != name:
        raise ValueError(f"BUILDERS[{name!r}] builds {data['name']!r}")
    return data


def instances(names=None) -> list[dict]:
    """The instances named (default: all), in BUILDERS' order."""
    return [instance(name) for name in BUILDERS if not names or name in names]


def relabelled(data: dict, seed: int) -> dict:
    """The same day with its participants renumbered and its meetings in another order (seeded): the
    searches' time depends on how the SAT variables are numbered, so several of these are several
    draws of the same instance."""
    rng = random.Random(seed)  # noqa: S311 (reproducible instances)
    numbers = list(range(1, data["participants"] + 1))
    rng.shuffle(numbers)
    new = dict(zip(range(1, data["participants"] + 1), numbers, strict=True))
    out = copy.deepcopy(data)
    order = list(range(len(data["meetings"])))
    rng.shuffle(order)
    out["meetings"] = [[new[a], new[b], kind] for a, b, kind in (data["meetings"][i] for i in order)]
    position = {old + 1: place + 1 for place, old in enumerate(order)}  # fixed slots: by meeting, from 1
    out["fixed_slots"] = {str(position[int(i)]): s for i, s in data.get("fixed_slots", {}).items()}
    out["forbidden_slots"] = {str(new[int(p)]): slots for p, slots in data["forbidden_slots"].items()}
    out["name"] = f"{data['name']}-r{seed}"
    return out


def load_verify():
    spec = importlib.util.spec_from_file_location("b2b_verify", BENCHMARKS / "verify.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.verify


def main(argv=None):
    # Here, not at the top: the scheduler's other processes run this file's top level again (spawn), and
    # most of them have no use for OR-Tools.
    from matching.scheduling import solve

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", help="instance names to run (default: all)")
    parser.add_argument("--write", type=Path, help="write the instances to this folder and stop")
    parser.add_argument("--log", action="store_true")
    parser.add_argument(
        "--relabel",
        type=int,
        nargs="*",
        default=[],
        help="also run each instance relabelled with these seeds",
    )
    args = parser.parse_args(argv)
    chosen = instances(args.only)
    chosen += [relabelled(d, seed) for d in list(chosen) for seed in args.relabel]
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for data in chosen:
            (args.write / f"{data['name']}.json").write_text(json.dumps(data))
        return 0
    verify = load_verify()
    header = f"{'instance':<18} {'P':>3} {'M':>4} {'S':>3} {'T':>3}"
    print(header + "  placed  breaks  bound  proven  seconds  verify")
    for data in chosen:
        problem = problem_from_instance(data)
        started = time.monotonic()
        result = solve(
            problem, time_limit_seconds=args.time_limit, workers=args.workers, seed=args.seed, log=args.log
        )
        seconds = time.monotonic() - started
        verdict = verify(data, schedule_to_json(data["name"], result, seconds))
        ok = "ok" if verdict["feasible"] and verdict["breaks"] == result.total_breaks else verdict["errors"]
        print(
            f"{data['name']:<18} {data['participants']:>3} {len(data['meetings']):>4} {data['slots']:>3} "
            f"{data['tables']:>3}  {result.placed:>6}  {result.total_breaks:>6}"
            f"  {result.breaks_lower_bound:>5}"
            f"  {'yes' if result.proven_optimal else 'no':>6}  {seconds:>7.1f}  {ok}",
            flush=True,
        )
        print(f"    {list(result.stages)}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
