"""The labelled set of the match ranking: listings written from the demo's and seed-like ones, the
demo's approved companies, and a person's judgement of pairs (good fit or poor fit), as scoring profiles.

The file (tests/scoring/data/match_judgements.json) holds its own copy of the companies and listings, so
editing the demo data never changes what the judgements were about. tests/scoring/test_judgements.py
and bench/matching.py read it.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

from matching.scoring import DemandProfile, Reference, SolutionProfile

PATH = Path(__file__).resolve().parent.parent / "tests" / "scoring" / "data" / "match_judgements.json"
GOOD, POOR = "good", "poor"


@dataclass(frozen=True)
class Judged:
    """The labelled set as the scoring core reads it."""

    solutions: list  # SolutionProfile
    demands: list  # DemandProfile
    judgements: dict  # demand_id -> {company_id: GOOD or POOR}
    company_names: dict  # company_id -> name
    titles: dict  # demand_id -> listing title


def load(path=PATH):
    with Path(path).open(encoding="utf-8") as file:
        data = json.load(file)
    cities = {name: n for n, name in enumerate(data["cities"], start=1)}
    countries = data["cities"]

    def reference(city, year):
        return Reference(city_id=cities[city], country=countries[city], year=year)

    solutions, company_ids = [], {}
    for company_id, company in enumerate(data["companies"], start=1):
        company_ids[company["key"]] = company_id
        for row in company["solutions"]:
            solutions.append(
                SolutionProfile(
                    solution_id=len(solutions) + 1,
                    company_id=company_id,
                    categories=frozenset(row["categories"]),
                    text="\n".join(
                        [row["name_en"], row["name_ko"], row["problem_solved"], row["description"]]
                    ),
                    references=tuple(reference(city, year) for city, year in row["references"]),
                    languages=frozenset(company["languages"]),
                    certifications=frozenset(company["certifications"]),
                    price_band=row["price_band"],
                    readiness=row["readiness"],
                )
            )
    demands = [
        DemandProfile(
            demand_id=row["id"],
            categories=frozenset(row["categories"]),
            text=f"{row['title']}\n{row['problem']}",
            city_id=cities[row["city"]],
            country=countries[row["city"]],
            languages=frozenset(row["languages"]),
            required_certifications=frozenset(row["required_certifications"]),
            budget_band=row["budget_band"],
            procurement_type=row["procurement_type"],
        )
        for row in data["listings"]
    ]
    judgements = {}
    for row in data.get("judgements", []):
        fits = judgements.setdefault(row["listing"], {})
        for fit in (GOOD, POOR):
            for key in row.get(fit, []):
                fits[company_ids[key]] = fit
    return Judged(
        solutions=solutions,
        demands=demands,
        judgements=judgements,
        company_names={company_ids[c["key"]]: c["name"] for c in data["companies"]},
        titles={row["id"]: row["title"] for row in data["listings"]},
    )


def precision_at(ranked, fits, k):
    """The share of the first k places held by good fits (an empty place counts as a miss)."""
    return sum(fits.get(company) == GOOD for company in ranked[:k]) / k


def precision_shown_at(ranked, fits, k):
    """The share of the companies shown in the first k places that are good fits: what a buyer reading
    the top of the list finds (nothing shown: 0)."""
    shown = ranked[:k]
    return sum(fits.get(company) == GOOD for company in shown) / len(shown) if shown else 0.0


def ndcg_at(ranked, fits, k):
    """Normalised discounted cumulative gain of the first k places, good fits gaining 1."""
    gain = sum(1 / math.log2(n + 2) for n, company in enumerate(ranked[:k]) if fits.get(company) == GOOD)
    ideal = sum(1 / math.log2(n + 2) for n in range(min(k, sum(f == GOOD for f in fits.values()))))
    return gain / ideal if ideal else 0.0


def poor_in_top(ranked, fits, k):
    """The poor fits among the first k places."""
    return [company for company in ranked[:k] if fits.get(company) == POOR]


@dataclass(frozen=True)
class Quality:
    precision_5: float  # of five places
    shown_precision_5: float  # of the companies shown in the first five places
    ndcg_10: float
    poor_in_top_3: list  # (listing id, company id, place)


def quality(judged, index, k=10):
    """The ranking of `index` (a MatchIndex of judged's profiles) measured on every judged listing."""
    precision = shown = ndcg = 0.0
    poor = []
    for demand_id, fits in sorted(judged.judgements.items()):
        ranked = [match.company_id for match in index.top_companies_for_demand(demand_id, k)]
        precision += precision_at(ranked, fits, 5)
        shown += precision_shown_at(ranked, fits, 5)
        ndcg += ndcg_at(ranked, fits, 10)
        poor += [(demand_id, company, ranked.index(company) + 1) for company in poor_in_top(ranked, fits, 3)]
    listings = len(judged.judgements)
    return Quality(precision / listings, shown / listings, ndcg / listings, poor)
