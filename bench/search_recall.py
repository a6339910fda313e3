"""Recall@10 of the directory search per query language, without and with the thesaurus, in one run.

    .venv/bin/python bench/search_recall.py [--verbose]

The corpus: the demo's open listings and approved companies (matching/demo/data) and the seed-like Thai,
Turkish and Korean rows of bench/search_recall/corpus.json, each stored as the services store it
(search text from the same parts as matching.companies/demands.services, through
matching.search.search_document). The queries: 24 per language (Korean, English, Thai, Turkish), each
naming a topic whose listings and companies a person judged it must find.

"before" is the search without the thesaurus (documents without concept tokens, queries as
query_terms() words: TextSearchQuerySet.matching_text(thesaurus=False)); "after" is today's. A query
matches a stored text as the directories' SQL does (matching.search.document_matches: every group's
words or its concept's token as substrings). Recall@10 of a query: the share of the listings and
companies it must find that are among the first 10 of each directory's matches (corpus order, as no
ranking exists); a language's figure is the mean over its queries.
"""

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.search import document_matches, query_groups, search_document  # noqa: E402

DEMO = ROOT / "matching" / "demo" / "data"
CORPUS = Path(__file__).resolve().parent / "search_recall" / "corpus.json"
LANGUAGES = ("ko", "en", "th", "tr")
K = 10
GOAL = 0.9


TEXTS_OF_SOLUTIONS = ("name_", "problem_solved_", "description_")


def _load(name):
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


def parts_of_rows():
    """({listing key: text parts}, {company key: text parts}), as the services build the search text."""
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    geo = _load("geo.json")
    countries = {row["iso_code"]: row for row in geo["countries"]}
    cities = {row["name_en"]: row for row in geo["cities"]}
    categories = {row["slug"]: row for row in _load("kernel.json")["categories"]}
    buyers = {row["name"]: row for row in _load("buyers.json")}

    def place(city_name):
        city = cities.get(city_name, {"name_en": city_name, "country": ""})
        country = countries.get(city["country"], {})
        return [
            city["name_en"],
            city.get("name_ko"),
            city.get("name_local"),
            country.get("name_en"),
            country.get("name_ko"),
        ]

    def category_names(slugs):
        return [name for slug in slugs for name in (categories[slug]["name_en"], categories[slug]["name_ko"])]

    demands = {}
    titles = {title: key for key, title in corpus["demo_demands"].items()}
    for row in _load("demands.json"):
        if row["title"] in titles and row["status"] == "open":
            buyer = buyers[row["buyer"]]
            parts = [row["title"], row["problem"], buyer["name"], buyer.get("name_local")]
            for text in row.get("in_other_languages", {}).values():
                parts += [text["title"], text["problem"]]
            demands[titles[row["title"]]] = parts + place(buyer["city"]) + category_names(row["categories"])
    for row in corpus["demands"]:
        parts = [row["title"], row["problem"], row["buyer"], row["buyer_local"]]
        demands[row["key"]] = parts + place(row["city"]) + category_names(row["categories"])

    companies = {}
    for row in _load("companies.json"):
        if not row.get("approved"):
            continue
        parts = [row["name_ko"], row["name_en"], row.get("description_ko"), row.get("description_en")]
        for solution in row["solutions"]:
            # Every language the solution is written in, as services.company_search_text stores them.
            parts += [value for key, value in solution.items() if key.startswith(TEXTS_OF_SOLUTIONS)]
            parts += category_names(solution["categories"])
            for reference in solution.get("references", ()):
                parts += place(reference["city"])[:3] + [reference.get("client")]
        companies[row["key"]] = parts
    for row in corpus["companies"]:
        parts = [row["name_ko"], row["name_en"], row.get("description_ko"), row.get("description_en")]
        for solution in row["solutions"]:
            parts += [solution["name_ko"], solution.get("name_en"), solution["problem_solved"]]
            parts += category_names(row["categories"])
        companies[row["key"]] = parts
    return corpus, demands, companies


def recall(documents, groups, expected):
    """(found of expected among the first K matches, matches in all)."""
    matched = [key for key, document in documents.items() if document_matches(document, groups)]
    return len(set(matched[:K]) & set(expected)), len(matched)


def measure(corpus, demands, companies, thesaurus, verbose=False):
    """{language: (mean recall@10, mean matches per query)}."""
    documents = [
        {key: search_document(*parts, concepts=thesaurus) for key, parts in rows.items()}
        for rows in (demands, companies)
    ]
    figures = {}
    for language in LANGUAGES:
        recalls, matches = [], []
        for query, topic in corpus["queries"][language]:
            groups = query_groups(query, thesaurus=thesaurus)
            expected = corpus["topics"][topic]
            found = [
                recall(docs, groups, expected[side])
                for docs, side in zip(documents, ("demands", "companies"), strict=True)
            ]
            wanted = len(expected["demands"]) + len(expected["companies"])
            share = sum(hits for hits, _ in found) / wanted
            recalls.append(share)
            matches.append(sum(count for _, count in found))
            if verbose and share < 1:
                print(
                    f"  {'after' if thesaurus else 'before'} {language} {query!r}: {share:.2f}",
                    file=sys.stderr,
                )
        figures[language] = (statistics.mean(recalls), statistics.mean(matches))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="name the queries that miss something")
    options = parser.parse_args()
    corpus, demands, companies = parts_of_rows()
    queries = sum(len(rows) for rows in corpus["queries"].values())
    print(f"corpus: {len(demands)} listings, {len(companies)} companies; {queries} queries")
    before = measure(corpus, demands, companies, False, options.verbose)
    after = measure(corpus, demands, companies, True, options.verbose)
    print(
        f"{'language':<10}{'recall@10 before':>18}{'after':>8}{'after / before':>16}"
        f"{'matches/query before':>22}{'after':>8}"
    )
    for language in LANGUAGES:
        (old, old_matches), (new, new_matches) = before[language], after[language]
        ratio = f"{new / old:.2f}x" if old else "-"
        print(f"{language:<10}{old:>18.2f}{new:>8.2f}{ratio:>16}{old_matches:>22.1f}{new_matches:>8.1f}")
    short = [language for language in LANGUAGES if after[language][0] < GOAL]
    worse = [language for language in ("ko", "en") if after[language][0] < before[language][0]]
    if short or worse:
        print(
            f"below the goal of {GOAL}: {short or 'none'}; "
            f"Korean or English worse than before: {worse or 'none'}"
        )
        return 1
    print(f"goal met: recall@10 >= {GOAL} in every language, Korean and English at least as good as before")
    return 0


if __name__ == "__main__":
    sys.exit(main())
