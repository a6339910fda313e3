"""The match scoring core (matching.scoring): hand-built pairs, each reason with its points and detail."""

import dataclasses
import math
import random

import pytest

from matching.scoring import (
    BASELINE,
    WEIGHTS,
    DemandProfile,
    MatchIndex,
    Reason,
    Reference,
    SolutionProfile,
    rank_companies_brute_force,
    rank_demands_brute_force,
)
from matching.scoring.features import best_sentence, stem
from matching.scoring.weights import (
    BUDGET_BANDS,
    ENGLISH_ONLY,
    MIN_RELEVANCE,
    READINESS,
    READINESS_LEVELS,
    REASON_MAX_POINTS,
    RELEVANCE_FULL,
    TEXT_COSINE_FULL,
    TEXT_COSINE_ZERO,
)
from matching.search import fold

BANGKOK, KHON_KAEN, ISTANBUL = 1, 2, 3


def solution(solution_id=1, company_id=None, text="", **fields):
    values = {
        "categories": frozenset(),
        "references": (),
        "languages": frozenset(),
        "certifications": frozenset(),
        "price_band": "",
        "readiness": "",
    }
    values.update(fields)
    company = solution_id if company_id is None else company_id
    return SolutionProfile(solution_id=solution_id, company_id=company, text=text, **values)


def demand(demand_id=1, text="", **fields):
    values = {
        "categories": frozenset(),
        "city_id": BANGKOK,
        "country": "TH",
        "languages": frozenset(),
        "required_certifications": frozenset(),
        "budget_band": "",
        "procurement_type": "",
    }
    values.update(fields)
    return DemandProfile(demand_id=demand_id, text=text, **values)


# A pair given neither text nor categories is made to answer this one problem, so the company-fit
# reasons it is about count in full (weights.RELEVANCE_FULL).
SAME_PROBLEM = "Flood early warning sirens"


def reasons_of(solution_profile, demand_profile, others=()):
    if not (
        solution_profile.text
        or demand_profile.text
        or solution_profile.categories
        or demand_profile.categories
    ):
        solution_profile = dataclasses.replace(solution_profile, text=SAME_PROBLEM)
        demand_profile = dataclasses.replace(demand_profile, text=SAME_PROBLEM)
        others = others or [solution(99, text="Parking guidance signs")]
    index = MatchIndex([solution_profile, *others], [demand_profile])
    return index.score(solution_profile.solution_id, demand_profile.demand_id).reasons


def only(reasons, kind):
    found = [reason for reason in reasons if reason.kind == kind]
    assert len(found) == 1, reasons
    return found[0]


def kinds(reasons):
    return [reason.kind for reason in reasons]


# ---------------------------------------------------------------- weights
def test_weights_sum_to_100():
    assert sum(WEIGHTS.values()) == 100


def test_readiness_table_rates_every_readiness_for_every_procurement_type_between_0_and_1():
    assert set(READINESS) == {"pilot", "tender", "ppp", "oda", "private"}
    for table in READINESS.values():
        assert set(table) == set(READINESS_LEVELS)
        assert all(0 <= fraction <= 1 for fraction in table.values())


def test_budget_bands_are_the_budget_band_values_in_increasing_order():
    assert BUDGET_BANDS == ("lt50k", "50k-250k", "250k-1m", "1m-5m", "gt5m")


# ---------------------------------------------------------------- category
def test_one_shared_category_of_two_earns_the_category_weight_over_root_two():
    reasons = reasons_of(
        solution(categories=frozenset({"smart-parking", "city-platform"})),
        demand(categories=frozenset({"smart-parking"})),
    )
    assert only(reasons, "category") == Reason(
        "category", pytest.approx(WEIGHTS["category"] / math.sqrt(2), rel=1e-12), ("smart-parking",)
    )


def test_all_categories_shared_earn_the_full_category_weight_with_slugs_in_order():
    categories = frozenset({"water-management", "disaster-response"})
    reasons = reasons_of(solution(categories=categories), demand(categories=categories))
    assert only(reasons, "category") == Reason(
        "category", WEIGHTS["category"], ("disaster-response", "water-management")
    )


def test_no_shared_category_gives_no_category_reason():
    reasons = reasons_of(
        solution(categories=frozenset({"energy"})), demand(categories=frozenset({"smart-parking"}))
    )
    assert "category" not in kinds(reasons)


# ---------------------------------------------------------------- text
def test_text_points_follow_the_tf_idf_cosine_over_the_solutions_corpus():
    # Words no thesaurus concept has (matching/thesaurus), so each is one feature.
    flood = solution(1, text="levee gauge")
    parking = solution(2, text="kiln gauge")
    listing = demand(text="levee kiln lantern")
    # IDF over the two solutions: levee and kiln in one of two, gauge in both, lantern in none.
    one_in_two, none = math.log(3 / 2) + 1, math.log(3 / 1) + 1
    cosine = one_in_two * one_in_two / (math.sqrt(one_in_two**2 + 1) * math.sqrt(2 * one_in_two**2 + none**2))
    expected = WEIGHTS["text"] * (cosine - TEXT_COSINE_ZERO) / (TEXT_COSINE_FULL - TEXT_COSINE_ZERO)

    text = only(reasons_of(flood, listing, [parking]), "text")

    assert text.points == pytest.approx(expected, rel=1e-12)
    assert text.detail == ("levee",)


def test_the_same_text_earns_the_full_text_weight():
    text = "Flash floods reach homes within an hour"
    reasons = reasons_of(solution(text=text), demand(text=text), [solution(2, text="parking guidance")])
    assert only(reasons, "text").points == WEIGHTS["text"]


def test_text_detail_shows_the_listings_words_as_written_folded_not_stems():
    reasons = reasons_of(
        solution(text="Flood warning sensors for canals"),
        demand(text="Flooding: we need WARNINGS before the canal overflows"),
        [solution(2, text="Parking guidance signs"), solution(3, text="Smart street lighting")],
    )
    assert set(only(reasons, "text").detail) == {"flooding", "warnings", "canal"}


def test_text_detail_shows_at_most_five_words():
    words = "flood warning canal siren pump levee river rain gauge alert"
    reasons = reasons_of(solution(text=words), demand(text=words), [solution(2, text="parking")])
    assert len(only(reasons, "text").detail) == 5


def test_korean_particle_does_not_stop_a_match_hongsu_reul_finds_hongsu_jogi_gyeongbo():
    reasons = reasons_of(
        solution(text="홍수 조기 경보 시스템"),
        demand(text="홍수를 막고 싶습니다"),
        [solution(2, text="스마트 주차 관제 시스템")],
    )
    assert only(reasons, "text").detail == ("홍수",)


def test_korean_compound_without_spaces_matches_its_spaced_spelling_word_by_word():
    reasons = reasons_of(
        solution(text="홍수 조기 경보 시스템"),
        demand(text="홍수조기경보가 필요합니다"),
        [solution(2, text="스마트 주차 관제 시스템")],
    )
    assert set(only(reasons, "text").detail) == {"홍수", "조기", "경보"}


def test_thai_text_without_spaces_matches_and_shows_the_thai_word_for_flood():
    reasons = reasons_of(
        solution(text="แจ้งเตือนน้ำท่วมล่วงหน้า"),  # advance flood alerts
        demand(text="ระบบเตือนภัยน้ำท่วมในเมือง"),  # flood warning system for the city
        [solution(2, text="ระบบจัดการที่จอดรถ")],  # parking management system
    )
    text = only(reasons, "text")
    assert text.points > 0
    assert text.detail[0] == "น้ำท่วม"
    assert "เตือน" in text.detail


def test_turkish_suffixes_do_not_stop_a_match_taskinlari_finds_taskin():
    reasons = reasons_of(
        solution(text="Taşkın uyarı sistemi ve sensörler"),
        demand(text="Dere taşkınları için erken uyarı sensörü"),
        [solution(2, text="Akıllı otopark sistemi")],
    )
    assert set(only(reasons, "text").detail) == {"taskinlari", "uyari", "sensoru"}


def test_text_in_unrelated_scripts_earns_no_text_reason():
    reasons = reasons_of(
        # A problem the thesaurus (matching/thesaurus) has no concept for: citizen participation it has.
        solution(text="마을 축제 앱"),
        demand(text="Village festival app"),
        [solution(2, text="parking")],
    )
    assert "text" not in kinds(reasons)


def test_a_korean_flood_warning_meets_an_english_one_through_the_lexicon():
    reasons = reasons_of(
        solution(text="홍수 조기 경보"), demand(text="Flood early warning"), [solution(2, text="parking")]
    )
    assert only(reasons, "text") == Reason("text", WEIGHTS["text"], ("flood", "early", "warning"))


def test_a_turkish_listing_about_taskin_meets_an_english_flood_solution_and_shows_its_own_words():
    reasons = reasons_of(
        solution(text="IoT flood early warning with sirens"),
        demand(text="Dere taşkınları için erken uyarı sistemi"),
        [solution(2, text="parking guidance"), solution(3, text="street lighting")],
    )
    assert set(only(reasons, "text").detail) == {"taskinlari", "erken", "uyari"}


def test_a_thai_listing_about_nam_thuam_meets_an_english_flood_solution():
    reasons = reasons_of(
        solution(text="IoT flood early warning"),
        demand(text="ระบบเตือนภัยน้ำท่วม"),
        [solution(2, text="parking guidance")],
    )
    assert set(only(reasons, "text").detail) == {"น้ำท่วม", "เตือน"}


def test_words_every_problem_statement_uses_earn_no_text_points():
    reasons = reasons_of(
        solution(text="Operators cannot see every day what they need"),
        demand(text="We need to see it every day: the city cannot wait"),
        [solution(2, text="parking guidance")],
    )
    assert "text" not in kinds(reasons)


def test_the_2022_model_still_counts_those_words():
    index = MatchIndex(
        [
            solution(text="Operators cannot see every day what they need"),
            solution(2, text="parking guidance"),
        ],
        [demand(text="We need to see it every day: the city cannot wait")],
        model=BASELINE,
    )
    assert kinds(index.score(1, 1).reasons) == ["text"]


@pytest.mark.parametrize(
    ("forms", "stemmed"),
    [
        (["flood", "floods", "flooding"], "flood"),
        (["charge", "charges", "charging", "charged"], "charg"),
        (["city", "cities"], "city"),
        (["bus", "buses"], "bus"),
        (["taşkın", "taşkınları", "taşkınlarından"], "taskin"),
        (["sensör", "sensörler", "sensörü"], "sensor"),
        (["trafik", "trafiği"], "trafik"),
        (["şehir", "şehirde", "şehirlerde"], "sehir"),
    ],
)
def test_stemmer_gives_english_and_turkish_word_forms_one_stem(forms, stemmed):
    assert {stem(fold(form)) for form in forms} == {stemmed}


# ---------------------------------------------------------------- references
def test_reference_in_the_listings_city_beats_a_newer_one_in_its_country():
    reasons = reasons_of(
        solution(
            references=(
                Reference(KHON_KAEN, "TH", 2024),
                Reference(BANGKOK, "TH", 2019),
                Reference(BANGKOK, "TH", 2021),
            )
        ),
        demand(city_id=BANGKOK, country="TH"),
    )
    assert only(reasons, "reference_city") == Reason(
        "reference_city", WEIGHTS["reference"], (BANGKOK, "TH", 2021)
    )
    assert "reference_country" not in kinds(reasons)


def test_reference_elsewhere_in_the_country_earns_half_and_names_the_most_recent():
    reasons = reasons_of(
        solution(
            references=(
                Reference(KHON_KAEN, "TH", 2020),
                Reference(4, "TH", 2023),
                Reference(ISTANBUL, "TR", 2024),
            )
        ),
        demand(city_id=BANGKOK, country="TH"),
    )
    assert only(reasons, "reference_country") == Reason(
        "reference_country", WEIGHTS["reference"] / 2, (4, "TH", 2023)
    )
    assert REASON_MAX_POINTS["reference_country"] == WEIGHTS["reference"] / 2


def test_references_only_in_other_countries_give_no_reference_reason():
    reasons = reasons_of(solution(references=(Reference(ISTANBUL, "TR", 2024),)), demand(country="TH"))
    assert not {"reference_city", "reference_country"} & set(kinds(reasons))


# ---------------------------------------------------------------- languages
def test_thai_support_for_a_thai_buyer_earns_the_full_language_weight_thai_listed_first():
    reasons = reasons_of(
        solution(languages=frozenset({"ko", "en", "th"})), demand(languages=frozenset({"th", "en"}))
    )
    assert only(reasons, "language") == Reason("language", WEIGHTS["language"], ("th", "en"))


def test_english_only_overlap_earns_little():
    reasons = reasons_of(
        solution(languages=frozenset({"ko", "en"})), demand(languages=frozenset({"th", "en"}))
    )
    assert only(reasons, "language") == Reason("language", WEIGHTS["language"] * ENGLISH_ONLY, ("en",))


def test_no_shared_language_gives_no_language_reason():
    reasons = reasons_of(solution(languages=frozenset({"ko"})), demand(languages=frozenset({"tr"})))
    assert "language" not in kinds(reasons)


# ---------------------------------------------------------------- certifications
def test_certification_points_are_the_fraction_of_required_certifications_held():
    reasons = reasons_of(
        solution(certifications=frozenset({"iso-9001", "kc", "gs"})),
        demand(required_certifications=frozenset({"iso-9001", "ce", "gs"})),
    )
    assert only(reasons, "certification") == Reason(
        "certification", pytest.approx(WEIGHTS["certification"] * 2 / 3, rel=1e-12), ("gs", "iso-9001")
    )


def test_a_listing_that_requires_no_certification_gives_no_certification_points():
    reasons = reasons_of(solution(certifications=frozenset({"iso-9001", "kc"})), demand())
    assert "certification" not in kinds(reasons)


# ---------------------------------------------------------------- budget
@pytest.mark.parametrize(
    ("price_band", "budget_band", "points"),
    [
        ("250k-1m", "250k-1m", WEIGHTS["budget"]),
        ("50k-250k", "250k-1m", WEIGHTS["budget"] / 2),
        ("gt5m", "1m-5m", WEIGHTS["budget"] / 2),
    ],
)
def test_same_budget_band_earns_full_points_and_an_adjacent_one_half(price_band, budget_band, points):
    reasons = reasons_of(solution(price_band=price_band), demand(budget_band=budget_band))
    assert only(reasons, "budget") == Reason("budget", points, (price_band, budget_band))


@pytest.mark.parametrize(
    ("price_band", "budget_band"), [("lt50k", "250k-1m"), ("", "250k-1m"), ("lt50k", "")]
)
def test_bands_two_apart_or_missing_give_no_budget_reason(price_band, budget_band):
    reasons = reasons_of(solution(price_band=price_band), demand(budget_band=budget_band))
    assert "budget" not in kinds(reasons)


# ---------------------------------------------------------------- readiness
@pytest.mark.parametrize(
    ("readiness", "procurement_type", "fraction"),
    [
        ("commercial", "tender", 1.0),
        ("exported", "ppp", 1.0),
        ("pilot", "tender", 0.25),
        ("prototype", "pilot", 0.75),
        ("pilot", "pilot", 1.0),
        ("commercial", "oda", 0.75),
        ("exported", "oda", 1.0),
        ("pilot", "private", 0.5),
    ],
)
def test_readiness_points_follow_the_table_for_the_procurement_type(readiness, procurement_type, fraction):
    reasons = reasons_of(solution(readiness=readiness), demand(procurement_type=procurement_type))
    assert only(reasons, "readiness") == Reason(
        "readiness", WEIGHTS["readiness"] * fraction, (readiness, procurement_type)
    )


def test_a_prototype_earns_nothing_in_a_public_tender():
    reasons = reasons_of(solution(readiness="prototype"), demand(procurement_type="tender"))
    assert "readiness" not in kinds(reasons)


# ---------------------------------------------------------------- the whole match
def test_score_is_the_sum_of_the_reasons_listed_strongest_first():
    index = MatchIndex(
        [
            solution(
                1,
                company_id=7,
                text="IoT flood early warning",
                categories=frozenset({"disaster-response"}),
                references=(Reference(BANGKOK, "TH", 2021),),
                languages=frozenset({"ko", "en", "th"}),
                certifications=frozenset({"iso-9001"}),
                price_band="250k-1m",
                readiness="exported",
            ),
            solution(2, text="parking guidance"),
        ],
        [
            demand(
                5,
                text="Flood early warning for low-lying districts",
                categories=frozenset({"disaster-response", "water-management"}),
                languages=frozenset({"th", "en"}),
                required_certifications=frozenset({"iso-9001"}),
                budget_band="250k-1m",
                procurement_type="pilot",
            )
        ],
    )
    match = index.score(1, 5)

    assert (match.demand_id, match.solution_id, match.company_id) == (5, 1, 7)
    assert match.score == pytest.approx(sum(reason.points for reason in match.reasons), rel=1e-12)
    assert [reason.points for reason in match.reasons] == sorted(
        (reason.points for reason in match.reasons), reverse=True
    )
    assert kinds(match.reasons)[2:] == ["reference_city", "language", "certification", "budget", "readiness"]
    assert all(reason.points > 0 for reason in match.reasons)
    assert 0 <= match.score <= 100


def test_a_perfect_pair_scores_100():
    text = "Flood early warning sensors"
    index = MatchIndex(
        [
            solution(
                1,
                text=text,
                categories=frozenset({"disaster-response"}),
                references=(Reference(BANGKOK, "TH", 2021),),
                languages=frozenset({"th"}),
                certifications=frozenset({"ce"}),
                price_band="1m-5m",
                readiness="exported",
            ),
            solution(2, text="parking"),
        ],
        [
            demand(
                1,
                text=text,
                categories=frozenset({"disaster-response"}),
                languages=frozenset({"th"}),
                required_certifications=frozenset({"ce"}),
                budget_band="1m-5m",
                procurement_type="oda",
            )
        ],
    )
    assert index.score(1, 1).score == 100


def test_a_company_that_only_fits_the_buyer_earns_nothing_and_is_not_listed():
    fits_only = solution(
        1, languages=frozenset({"th"}), price_band="250k-1m", readiness="commercial", text="street lighting"
    )
    relevant = solution(2, categories=frozenset({"energy"}), text="solar meters")
    listing = demand(
        categories=frozenset({"energy"}),
        text="Energy meters",
        languages=frozenset({"th"}),
        budget_band="250k-1m",
        procurement_type="tender",
    )
    index = MatchIndex([fits_only, relevant], [listing])

    assert [m.company_id for m in index.top_companies_for_demand(1)] == [2]
    assert index.top_demands_for_company(1) == []
    assert index.score(1, 1).reasons == ()
    assert index.score(1, 1).score == 0
    assert not index.score(1, 1).relevant
    # In the 2022 ranking its fit alone earned points.
    baseline = MatchIndex([fits_only, relevant], [listing], model=BASELINE)
    assert kinds(baseline.score(1, 1).reasons) == ["language", "budget", "readiness"]


def test_the_company_fit_counts_in_proportion_to_relevance_until_relevance_full():
    fitting = {"languages": frozenset({"th"}), "price_band": "250k-1m", "readiness": "commercial"}
    one_of_two = solution(1, categories=frozenset({"energy", "smart-lighting"}), **fitting)
    listing = demand(
        categories=frozenset({"energy"}),
        languages=frozenset({"th"}),
        budget_band="250k-1m",
        procurement_type="tender",
    )
    match = MatchIndex([one_of_two], [listing]).score(1, 1)

    relevance = WEIGHTS["category"] / math.sqrt(2)
    scale = relevance / RELEVANCE_FULL
    assert [(reason.kind, reason.points) for reason in match.reasons] == [
        ("category", pytest.approx(relevance)),
        ("language", pytest.approx(WEIGHTS["language"] * scale)),
        ("budget", pytest.approx(WEIGHTS["budget"] * scale)),
        ("readiness", pytest.approx(WEIGHTS["readiness"] * scale)),
    ]


def test_a_pair_below_the_minimum_relevance_is_scored_but_not_listed():
    # One category of the listing's two, shared by a solution with a second one: 20 / 2 = 10 points.
    weak = solution(1, categories=frozenset({"energy", "smart-lighting"}))
    listing = demand(categories=frozenset({"energy", "ev-charging"}))
    index = MatchIndex([weak], [listing])

    assert index.score(1, 1).score == pytest.approx(WEIGHTS["category"] / 2)
    assert WEIGHTS["category"] / 2 < MIN_RELEVANCE
    assert not index.score(1, 1).relevant
    assert index.top_companies_for_demand(1) == []
    assert index.top_demands_for_company(1) == []


def test_top_companies_lists_each_company_once_by_its_best_solution():
    weak = solution(1, company_id=9, categories=frozenset({"energy"}))
    strong = solution(2, company_id=9, categories=frozenset({"energy"}), readiness="commercial")
    index = MatchIndex([weak, strong], [demand(categories=frozenset({"energy"}), procurement_type="tender")])

    ranking = index.top_companies_for_demand(1)

    assert [(m.company_id, m.solution_id) for m in ranking] == [(9, 2)]


# ---------------------------------------------------------------- ties
def test_companies_with_equal_scores_are_ranked_by_company_id():
    same = {"categories": frozenset({"energy"}), "text": "solar"}
    index = MatchIndex(
        [
            solution(1, company_id=30, **same),
            solution(2, company_id=10, **same),
            solution(3, company_id=20, **same),
        ],
        [demand(categories=frozenset({"energy"}))],
    )
    ranking = index.top_companies_for_demand(1)
    assert [m.company_id for m in ranking] == [10, 20, 30]
    assert len({m.score for m in ranking}) == 1


def test_listings_with_equal_scores_are_ranked_by_demand_id():
    same = {"categories": frozenset({"energy"}), "text": "solar"}
    index = MatchIndex([solution(1, **same)], [demand(8, **same), demand(3, **same), demand(5, **same)])
    assert [m.demand_id for m in index.top_demands_for_company(1)] == [3, 5, 8]


def test_a_companys_equal_solutions_are_represented_by_the_lower_solution_id():
    same = {"company_id": 4, "categories": frozenset({"energy"}), "text": "solar"}
    index = MatchIndex(
        [solution(12, **same), solution(11, **same)], [demand(categories=frozenset({"energy"}))]
    )
    assert [m.solution_id for m in index.top_companies_for_demand(1)] == [11]
    assert [m.solution_id for m in index.top_demands_for_company(4)] == [11]


# ---------------------------------------------------------------- rankings equal brute force
WORDS = (
    "flood warning canal parking sensor solar meter 홍수 경보 주차 센서 น้ำท่วม ที่จอดรถ taşkın otopark".split()
)
CATEGORY_SLUGS = ["energy", "smart-parking", "disaster-response", "water-management"]
LANGUAGES = ["ko", "en", "th", "tr"]
CERTIFICATIONS = ["iso-9001", "ce", "kc"]


def random_market(seed):
    rng = random.Random(seed)  # noqa: S311 (a test market, not a secret)

    def pick(options, most):
        return frozenset(rng.sample(options, rng.randint(0, most)))

    def text():
        return " ".join(rng.choices(WORDS, k=rng.randint(0, 5)))

    solutions = [
        solution(
            n,
            company_id=rng.randint(1, 25),
            text=text(),
            categories=pick(CATEGORY_SLUGS, 2),
            references=tuple(
                Reference(rng.randint(1, 6), rng.choice(["TH", "TR"]), rng.randint(2018, 2024))
                for _ in range(rng.randint(0, 2))
            ),
            languages=pick(LANGUAGES, 3),
            certifications=pick(CERTIFICATIONS, 2),
            price_band=rng.choice(["", *BUDGET_BANDS]),
            readiness=rng.choice(READINESS_LEVELS),
        )
        for n in range(1, 81)
    ]
    demands = [
        demand(
            n,
            text=text(),
            categories=pick(CATEGORY_SLUGS, 2),
            city_id=rng.randint(1, 6),
            country=rng.choice(["TH", "TR"]),
            languages=pick(LANGUAGES, 2),
            required_certifications=pick(CERTIFICATIONS, 2),
            budget_band=rng.choice(["", *BUDGET_BANDS]),
            procurement_type=rng.choice(list(READINESS)),
        )
        for n in range(1, 31)
    ]
    return MatchIndex(solutions, demands)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("k", [1, 3, 10, 100])
def test_top_k_equals_brute_force_on_a_small_random_market(seed, k):
    index = random_market(seed)
    for listing in index.demands:
        assert index.top_companies_for_demand(listing.demand_id, k) == rank_companies_brute_force(
            index, listing.demand_id, k
        )
    for company_id in sorted({s.company_id for s in index.solutions}):
        assert index.top_demands_for_company(company_id, k) == rank_demands_brute_force(index, company_id, k)


# ---------------------------------------------------------------- edges
def test_a_company_without_solutions_in_the_index_has_no_listings():
    index = MatchIndex([solution(1)], [demand()])
    assert index.top_demands_for_company(99) == []


def test_a_listing_not_in_the_index_has_no_companies():
    index = MatchIndex([solution(1)], [demand(1)])
    assert index.top_companies_for_demand(2) == []


def test_scoring_a_pair_with_an_unknown_id_is_a_key_error():
    index = MatchIndex([solution(1)], [demand(1)])
    with pytest.raises(KeyError):
        index.score(1, 2)
    with pytest.raises(KeyError):
        index.score(2, 1)


def test_two_profiles_with_one_id_are_refused():
    with pytest.raises(ValueError, match="solution_id"):
        MatchIndex([solution(1), solution(1, company_id=2)], [])
    with pytest.raises(ValueError, match="demand_id"):
        MatchIndex([], [demand(1), demand(1)])


def test_an_empty_index_ranks_nothing():
    index = MatchIndex([], [demand(1)])
    assert index.top_companies_for_demand(1) == []


# ---------------------------------------------------------------- the problem in its author's words
def test_the_sentence_holding_most_matched_words_is_quoted_without_its_full_stop():
    problem = (
        "Flash floods after monsoon storms reach homes within an hour. "
        "We need water-level sensors on canals and roads, with sirens for residents."
    )
    assert best_sentence(problem, ("sirens", "sensors", "canals")) == (
        "We need water-level sensors on canals and roads, with sirens for residents"
    )


def test_a_long_sentence_is_cut_at_a_word_and_a_text_without_matched_words_gives_nothing():
    sentence = "Our next condominium tower needs app-controlled lighting, air conditioning and door entry."
    assert best_sentence(sentence, ("condominium",), limit=40) == "Our next condominium tower needs…"
    assert best_sentence("Parking guidance for car parks", ("flood",)) == ""
