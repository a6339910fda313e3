"""Benchmark the match scoring core (matching.scoring) on a synthetic market; print speed and quality.

    .venv/bin/python bench/matching.py [--seed N] [--queries N] [--sample N] [--planted N]

Builds 10 000 companies with 30 000 solutions and 5 000 demand listings in Korean, English, Turkish
and Thai, then prints:
- the time to build the index from scratch (a full recompute);
- median and p95 time to rank the top 10 companies for one listing and the top 10 listings for one
  company, and how many times faster that is than the brute-force baseline (score() on every pair,
  measured in the same run on a sample);
- agreement of the indexed rankings with brute force on that sample (must be 100 %);
- precision@1 and precision@10 on listings with a known best solution planted among decoys;
- first, the quality on the labelled set (bench/matching_judgements.py: demo and seed-like listings,
  the demo's companies, a person's good-fit and poor-fit judgements) of today's ranking and of 2022's
  (matching.scoring.BASELINE), measured in the same run: precision@5, nDCG@10 and the poor fits in any
  top 3. `--labelled-only` stops there.

Exits 1 when the indexed rankings disagree with brute force, or when today's ranking does not beat
2022's on the labelled set's precision@5 (of the companies shown) and nDCG@10 or puts a poor fit in a
top 3.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import matching_judgements  # noqa: E402
from bench.matching_market import Market  # noqa: E402
from matching.scoring import (  # noqa: E402
    BASELINE,
    CURRENT,
    MatchIndex,
    rank_companies_brute_force,
    rank_demands_brute_force,
)

GOAL_MS = 50.0


# ------------------------------------------------------------------------------ measuring
def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def milliseconds(seconds):
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def measure_queries(index, rng, count):
    """Median and p95 seconds of each ranking, over `count` random queries."""
    demand_ids = [d.demand_id for d in index.demands]
    company_ids = sorted({s.company_id for s in index.solutions})
    index.top_companies_for_demand(demand_ids[0])  # warm-up
    figures = []
    for method, ids in (
        (index.top_companies_for_demand, demand_ids),
        (index.top_demands_for_company, company_ids),
    ):
        figures.append(milliseconds([timed(method, query, 10)[1] for query in rng.sample(ids, count)]))
    return figures


def compare_with_brute_force(index, rng, count):
    """For each ranking: queries agreeing with brute force, brute force / indexed time, seconds a pair."""
    demand_ids = [d.demand_id for d in index.demands]
    company_ids = sorted({s.company_id for s in index.solutions})
    per_company = len(index.solutions) / len(company_ids)
    figures = []
    for method, brute, ids, pairs in (
        (index.top_companies_for_demand, rank_companies_brute_force, demand_ids, len(index.solutions)),
        (index.top_demands_for_company, rank_demands_brute_force, company_ids, per_company * len(demand_ids)),
    ):
        same, fast, slow = 0, [], []
        for query in rng.sample(ids, count):
            indexed, indexed_seconds = timed(method, query, 10)
            expected, brute_seconds = timed(brute, index, query, 10)
            same += indexed == expected
            fast.append(indexed_seconds)
            slow.append(brute_seconds)
        figures.append(
            (same, statistics.median(slow) / statistics.median(fast), statistics.median(slow) / pairs)
        )
    return figures


def planted_quality(market, index):
    """precision@1, precision@10 and what else reached the top 10 of the planted listings."""
    solution_by_id = {s.solution_id: s for c in market.companies for s in c.solutions}
    first = relevant = 0
    others = {"context": 0, "text": 0, "other": 0}
    for demand_id, best_company in market.planted:
        demand = market.demands[demand_id - 1]
        ranking = index.top_companies_for_demand(demand_id, 10)
        first += bool(ranking) and ranking[0].company_id == best_company
        for match in ranking:
            solution = solution_by_id[match.solution_id]
            if solution.subtopic is demand.subtopic and demand.subtopic.category in solution.categories:
                relevant += 1
            else:
                others[market.roles.get(solution.solution_id, "other")] += 1
    planted = len(market.planted)
    return first / planted, relevant / (10 * planted), others


def labelled_quality():
    """Print today's ranking against 2022's on the labelled set; True when today's beats it as required."""
    judged = matching_judgements.load()
    fits = [fit for listing in judged.judgements.values() for fit in listing.values()]
    good = fits.count(matching_judgements.GOOD)
    print(
        f"labelled set: {len(judged.judgements)} listings, {len(judged.company_names)} companies, "
        f"{len(fits)} judgements ({good} good fits, {len(fits) - good} poor fits; pairs not judged count "
        "as not good)"
    )
    old, new = (
        matching_judgements.quality(judged, MatchIndex(judged.solutions, judged.demands, model))
        for model in (BASELINE, CURRENT)
    )
    print(
        f"{'ranking':22} {'precision@5':>12} {'of 5 places':>12} {'nDCG@10':>8} {'poor fits in a top 3':>21}"
    )
    for label, figures in (("2022 (baseline)", old), ("today", new)):
        print(
            f"{label:22} {figures.shown_precision_5:12.2f} {figures.precision_5:12.2f} "
            f"{figures.ndcg_10:8.3f} {len(figures.poor_in_top_3):21d}"
        )
    print(
        f"{'today / 2022':22} {new.shown_precision_5 / old.shown_precision_5:11.2f}x "
        f"{new.precision_5 / old.precision_5:11.2f}x {new.ndcg_10 / old.ndcg_10:7.3f}x"
    )
    ceiling = sum(
        min(5, list(f.values()).count(matching_judgements.GOOD)) for f in judged.judgements.values()
    )
    print(
        "  precision@5: the share of the companies shown in the first 5 places that are good fits; "
        f"of 5 places: empty places count as misses (at most {ceiling / 5 / len(judged.judgements):.2f} "
        "on this set, where most listings have one or two good fits)"
    )
    for demand_id, company, place in new.poor_in_top_3:
        name, title = judged.company_names[company], judged.titles[demand_id]
        print(f"  poor fit in today's top 3: {name} at {place} for {title}")
    return (
        new.shown_precision_5 > old.shown_precision_5 and new.ndcg_10 > old.ndcg_10 and not new.poor_in_top_3
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--solutions", type=int, default=30_000)
    parser.add_argument("--demands", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=300, help="timed queries of each kind")
    parser.add_argument("--sample", type=int, default=20, help="queries of each kind checked by brute force")
    parser.add_argument("--planted", type=int, default=100, help="listings with a known best solution")
    parser.add_argument("--labelled-only", action="store_true", help="only the labelled set's figures")
    args = parser.parse_args(argv)

    labelled_ok = labelled_quality()
    if args.labelled_only:
        return 0 if labelled_ok else 1

    market, generated = timed(Market, args.seed, args.companies, args.solutions, args.demands, args.planted)
    solutions, demands = market.profiles()
    companies = len({s.company_id for s in solutions})
    print(
        f"market: {companies} companies, {len(solutions)} solutions, {len(demands)} listings "
        f"({args.planted} planted), generated in {generated:.1f} s"
    )
    index, recompute = timed(MatchIndex, solutions, demands)
    _, again = timed(MatchIndex, solutions, demands)
    rng = random.Random(args.seed + 1)  # noqa: S311 (which queries to time, not a secret)
    queries = measure_queries(index, rng, args.queries)
    brute = compare_with_brute_force(index, rng, args.sample)
    all_pairs = len(solutions) * len(demands) * brute[0][2]

    print(
        f"full recompute (MatchIndex from scratch): {recompute:.1f} s; "
        f"{again:.1f} s when the process has folded these words before"
    )
    print(
        f"  baseline, score() on all {len(solutions) * len(demands):,} pairs: ~{all_pairs:,.0f} s "
        f"({brute[0][2] * 1e6:.0f} us a pair) = {all_pairs / recompute:,.0f}x the recompute"
    )
    print(f"{'query':32} {'median ms':>10} {'p95 ms':>8} {'median/goal':>12} {'brute force/indexed':>20}")
    labels = ("top 10 companies for a listing", "top 10 listings for a company")
    for label, (median, p95), (_, speedup, _) in zip(labels, queries, brute, strict=True):
        print(f"{label:32} {median:10.1f} {p95:8.1f} {median / GOAL_MS:11.2f}x {speedup:19,.0f}x")
    print(f"  (goal: median <= {GOAL_MS:.0f} ms, met when median/goal is below 1.00x)")
    for label, (same, _, _) in zip(("companies", "listings"), brute, strict=True):
        percent = 100 * same / args.sample
        print(f"agreement with brute force, top 10 {label}: {same}/{args.sample} queries = {percent:.0f} %")

    at_1, at_10, others = planted_quality(market, index)
    print(f"planted listings: {len(market.planted)}")
    print(f"  precision@1 (the planted best solution's company ranked first): {at_1:.2f}")
    print(f"  precision@10 (top 10 companies whose solution solves the listing's problem): {at_10:.2f}")
    print(
        f"  the rest of those top 10: {others['context']} context decoys (same category, another "
        f"problem, perfect fit), {others['text']} text decoys (another category, the listing's product "
        f"names), {others['other']} others"
    )
    return 0 if labelled_ok and all(same == args.sample for same, _, _ in brute) else 1


if __name__ == "__main__":
    sys.exit(main())
