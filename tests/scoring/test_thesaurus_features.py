"""The match ranking credits a listing and a solution that name the same thesaurus concept in different
languages (matching.scoring.features with matching.thesaurus): pure, no database."""

import pytest

from matching.scoring import BASELINE, CURRENT, MatchIndex
from matching.scoring.features import CONCEPT_MARK, feature_counts, runs
from tests.scoring.test_scoring import demand, solution

OTHERS = [solution(2, text="Kiln lantern repair"), solution(3, text="Tuk-tuk fare cards")]


def text_reason(solution_text, demand_text, model=CURRENT):
    index = MatchIndex([solution(1, text=solution_text), *OTHERS], [demand(text=demand_text)], model)
    return next((reason for reason in index.score(1, 1).reasons if reason.kind == "text"), None)


def test_a_listings_text_holds_the_features_of_its_thesaurus_concepts():
    counts = feature_counts("Su baskını ve sel riski", lexicon=True)
    assert counts[f"{CONCEPT_MARK}flood⟩"] == 2


def test_without_the_lexicon_no_concept_feature_is_counted():
    assert not any(
        feature.startswith(CONCEPT_MARK) for feature in feature_counts("Su baskını", lexicon=False)
    )


@pytest.mark.parametrize(
    ("listing", "solution_text", "shown"),
    [
        # Thai อุทกภัย and Korean 침수: no shared word, no shared n-gram; one concept.
        ("อุทกภัยทุกปี", "침수 감지", "อุทกภัย"),
        ("อุทกภัยในชุมชน", "Inundation sensing", "อุทกภัย"),
        # Turkish 'su baskını' and English 'inundation'.
        ("Alt geçitlerde su baskını", "Inundation sensing for underpasses", "su baskini"),
        # Thai 'ไฟถนน' and Turkish 'sokak lambaları'.
        ("ไฟถนนดับ", "sokak lambaları", "ไฟถนน"),
    ],
)
def test_a_listing_and_a_solution_naming_one_concept_in_two_languages_earn_text_points(
    listing, solution_text, shown
):
    reason = text_reason(solution_text, listing)
    assert reason is not None
    assert reason.points > 0
    assert shown in reason.detail
    assert text_reason(solution_text, listing, BASELINE) is None


def test_thai_text_is_matched_by_its_words_not_only_by_character_trigrams():
    # ที่จอดรถ (car park) in both: one shared word, as an English word would be.
    assert text_reason("ระบบนำทางที่จอดรถ", "ที่จอดรถเต็ม").detail[0] == "ที่จอดรถ"


def test_a_concept_term_is_shown_once_beside_the_words_that_say_it():
    reason = text_reason("Flood early warning sirens", "We need an early warning before floods")
    assert "early warning" not in reason.detail
    assert {"early", "warning"} <= set(reason.detail)


def test_the_runs_of_a_text_show_the_words_of_a_term_spanning_two_words():
    concept_runs = [
        run for run in runs("Alt geçitte su baskını", lexicon=True) if run[0].feature.startswith("⟨")
    ]
    assert [(run[0].feature, run[0].word) for run in concept_runs] == [("⟨flood⟩", "su baskini")]
