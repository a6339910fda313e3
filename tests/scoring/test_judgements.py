"""The match ranking measured on the labelled set (tests/scoring/data/match_judgements.json): listings
written from the demo's and seed-like ones, the demo's companies, a person's good-fit and poor-fit
judgements. Today's ranking must beat 2022's (matching.scoring.BASELINE) and put no poor fit in a top 3."""

import pytest

from bench import matching_judgements
from bench.matching_judgements import GOOD, POOR
from matching.scoring import BASELINE, CURRENT, MatchIndex

FLOOD_LISTING = 2  # "Flood early warning for low-lying districts", Khon Kaen


@pytest.fixture(scope="module")
def judged():
    return matching_judgements.load()


@pytest.fixture(scope="module")
def today(judged):
    return MatchIndex(judged.solutions, judged.demands, CURRENT)


@pytest.fixture(scope="module")
def in_2022(judged):
    return MatchIndex(judged.solutions, judged.demands, BASELINE)


def names(judged, matches):
    return [judged.company_names[match.company_id] for match in matches]


def test_the_labelled_set_holds_at_least_40_judgements_of_both_kinds_for_20_listings(judged):
    fits = [fit for listing in judged.judgements.values() for fit in listing.values()]
    assert len(fits) == 93
    assert (fits.count(GOOD), fits.count(POOR)) == (25, 68)
    assert len(judged.judgements) == 21


def test_todays_ranking_beats_2022s_on_precision_at_5_and_ndcg_at_10(judged, today, in_2022):
    new = matching_judgements.quality(judged, today)
    old = matching_judgements.quality(judged, in_2022)

    assert new.shown_precision_5 > old.shown_precision_5
    assert new.ndcg_10 > old.ndcg_10
    # Both rank every good fit in their first five places.
    assert new.precision_5 == old.precision_5


def test_today_no_poor_fit_reaches_a_top_3_where_2022_put_eleven(judged, today, in_2022):
    assert matching_judgements.quality(judged, today).poor_in_top_3 == []
    assert len(matching_judgements.quality(judged, in_2022).poor_in_top_3) == 11


def test_the_parking_sensor_no_longer_ranks_third_for_the_flood_sensor_listing(judged, today, in_2022):
    assert names(judged, in_2022.top_companies_for_demand(FLOOD_LISTING, 3)) == [
        "Dasom Safety IoT",
        "Mulbit WaterTech",
        "Hanbit Smart Parking",
    ]
    assert names(judged, today.top_companies_for_demand(FLOOD_LISTING)) == ["Dasom Safety IoT"]


def test_a_turkish_flood_listing_finds_the_english_flood_warning_first(judged, today):
    [first, *_] = today.top_companies_for_demand(16)
    assert judged.company_names[first.company_id] == "Dasom Safety IoT"
    assert "text" in [reason.kind for reason in first.reasons]


def test_precision_counts_only_the_good_fits_shown_and_ndcg_rewards_them_first():
    fits = {1: GOOD, 2: POOR, 3: GOOD}
    assert matching_judgements.precision_at([1, 2], fits, 5) == 0.2
    assert matching_judgements.precision_shown_at([1, 2], fits, 5) == 0.5
    assert matching_judgements.precision_shown_at([], fits, 5) == 0.0
    assert matching_judgements.ndcg_at([1, 3], fits, 10) == 1.0
    assert matching_judgements.ndcg_at([3, 2, 1], fits, 10) == pytest.approx(
        (1 + 1 / 2) / (1 + 1 / 1.5849625007211563)
    )
