"""The text folding behind the directory search (matching.search): pure functions, no database."""

import unicodedata

import pytest

from matching.search import fold, query_terms, search_document, strip_korean_particle, words


# ---------------------------------------------------------------- fold
@pytest.mark.parametrize(
    "text",
    ["İstanbul", "ISTANBUL", "istanbul", "Istanbul", "İSTANBUL", "ıstanbul"],
)
def test_fold_gives_every_spelling_of_istanbul_the_same_key(text):
    assert fold(text) == "istanbul"


def test_fold_turns_turkish_dotless_and_dotted_i_and_breve_into_plain_letters():
    assert fold("Iğdır") == "igdir"
    assert fold("IĞDIR") == "igdir"
    assert fold("Şanlıurfa") == "sanliurfa"
    assert fold("Çanakkale") == "canakkale"


def test_fold_drops_latin_accents():
    assert fold("Türkiye") == "turkiye"
    assert fold("São Paulo") == "sao paulo"
    assert fold("Hà Nội") == "ha noi"
    assert fold("Straße") == "strasse"


def test_fold_drops_an_accent_typed_as_a_separate_combining_mark():
    assert fold("Tu\u0308rkiye") == "turkiye"


def test_fold_leaves_hangul_unchanged():
    assert fold("홍수 경보 시스템") == "홍수 경보 시스템"
    assert fold("서울교통시스템") == "서울교통시스템"


def test_fold_keeps_hangul_composed_so_it_matches_text_typed_on_a_korean_keyboard():
    folded = fold("주차장")
    assert folded == "주차장"
    assert len(folded) == 3
    assert unicodedata.is_normalized("NFC", folded)


def test_fold_leaves_thai_unchanged_including_vowels_and_tone_marks():
    assert fold("ขอนแก่น") == "ขอนแก่น"
    assert fold("น้ำท่วม") == "น้ำท่วม"
    assert fold("เทศบาลนครขอนแก่น") == "เทศบาลนครขอนแก่น"


def test_fold_keeps_the_thai_tone_marks_as_code_points():
    # ่ (MAI EK, U+0E48) and ้ (MAI THO, U+0E49) are combining marks; after a Thai letter they stay.
    assert "\u0e48" in fold("ขอนแก่น")
    assert [hex(ord(char)) for char in fold("น้ำ")] == ["0xe19", "0xe49", "0xe33"]


def test_fold_removes_nul_characters():
    assert fold("a\x00b") == "ab"
    assert fold("\x00") == ""
    assert fold("홍\x00수") == "홍수"


def test_fold_of_nothing_is_an_empty_string():
    assert fold(None) == ""
    assert fold("") == ""


def test_fold_is_stable_when_applied_twice():
    text = "İstanbul Büyükşehir · 홍수를 · ขอนแก่น · Iğdır"
    assert fold(fold(text)) == fold(text)


# ---------------------------------------------------------------- words
def test_words_split_on_spaces_punctuation_and_symbols():
    assert words("smart-parking, 홍수/flood (pilot)") == ["smart", "parking", "홍수", "flood", "pilot"]
    assert words("price $100+tax") == ["price", "100", "tax"]
    assert words("a\tb\nc") == ["a", "b", "c"]


def test_words_keep_thai_vowels_and_tone_marks_inside_the_word():
    assert words("น้ำท่วม ขอนแก่น") == ["น้ำท่วม", "ขอนแก่น"]


def test_words_of_only_separators_are_none():
    assert words("  ,;  - ") == []
    assert words("") == []


# ---------------------------------------------------------------- Korean particles
@pytest.mark.parametrize(
    ("token", "stem"),
    [
        ("홍수를", "홍수"),
        ("주차장에서", "주차장"),
        ("서울에서는", "서울"),
        ("도시의", "도시"),
        ("교통으로", "교통"),
        ("신호등이", "신호등"),
    ],
)
def test_strip_korean_particle_removes_the_particle_after_a_noun(token, stem):
    assert strip_korean_particle(token) == stem


def test_strip_korean_particle_strips_the_longest_particle_first():
    # "으로" before "로": "교통으" would be no word at all.
    assert strip_korean_particle("교통으로") == "교통"
    assert strip_korean_particle("주차장에서") == "주차장"


@pytest.mark.parametrize("token", ["국가", "도로", "물을", "에서", "를"])
def test_strip_korean_particle_keeps_at_least_two_syllables(token):
    assert strip_korean_particle(token) == token


@pytest.mark.parametrize("token", ["parking", "istanbul", "ขอนแก่น", "2024"])
def test_strip_korean_particle_leaves_words_without_hangul_alone(token):
    assert strip_korean_particle(token) == token


# ---------------------------------------------------------------- query terms
def test_query_terms_fold_split_and_strip_particles():
    assert query_terms("Smart 주차장에서 İstanbul") == ["smart", "주차장", "istanbul"]


def test_query_terms_drop_duplicates_keeping_the_first_order():
    assert query_terms("İstanbul ISTANBUL istanbul") == ["istanbul"]
    assert query_terms("홍수를 flood 홍수가 FLOOD 홍수") == ["홍수", "flood"]


def test_query_terms_keep_at_most_eight_words():
    assert query_terms("a b c d e f g h i j") == ["a", "b", "c", "d", "e", "f", "g", "h"]


def test_query_terms_count_the_limit_after_dropping_duplicates():
    assert query_terms("x X x a b c d e f g h") == ["x", "a", "b", "c", "d", "e", "f", "g"]


def test_query_terms_take_a_custom_limit():
    assert query_terms("one two three", limit=2) == ["one", "two"]


def test_query_terms_of_an_empty_or_punctuation_only_query_are_none():
    assert query_terms("") == []
    assert query_terms(" %_ ,. ") == []


def test_query_terms_ignore_nul_characters():
    assert query_terms("a\x00b") == ["ab"]
    assert query_terms("\x00") == []


# ---------------------------------------------------------------- stored document
def test_search_document_folds_each_part_on_its_own_line_and_skips_empty_ones():
    assert search_document("İstanbul", "", None, "Türkiye", "홍수", "ขอนแก่น", concepts=False) == (
        "istanbul\nturkiye\n홍수\nขอนแก่น"
    )


def test_search_document_ends_with_the_tokens_of_the_thesaurus_concepts_it_names():
    assert search_document("İstanbul", "홍수", "ขอนแก่น") == "istanbul\n홍수\nขอนแก่น\n⟨flood⟩"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("홍수를", "홍수 조기경보 시스템"),
        ("주차장에서", "스마트 주차장 안내"),
        ("ISTANBUL", "İstanbul Büyükşehir Belediyesi"),
        ("buyuksehir", "İstanbul Büyükşehir Belediyesi"),
        ("ขอนแก่น", "เทศบาลนครขอนแก่น"),
        ("Türkiye", "TURKIYE"),
    ],
)
def test_every_query_term_is_found_in_the_folded_text_it_was_typed_for(typed, stored):
    document = search_document(stored)
    assert all(term in document for term in query_terms(typed))
    assert query_terms(typed) != []
