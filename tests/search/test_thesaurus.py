"""The thesaurus data (matching/thesaurus/concepts.json) and how its terms are found: pure, no database."""

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from matching import thesaurus
from matching.search import (
    Group,
    document_matches,
    fold,
    query_groups,
    query_terms,
    search_document,
    search_document_reindex,
)
from matching.thesaurus import thai

DATA = thesaurus.load()
TERMS = [pytest.param(term, id=f"{term.concept}:{term.language}:{term.text}") for term in DATA.terms]


# ---------------------------------------------------------------- the data
def test_the_thesaurus_has_at_least_sixty_concepts():
    assert len(DATA.concepts) >= 60


@pytest.mark.parametrize("concept", sorted(DATA.concepts))
def test_every_concept_has_at_least_two_terms_in_each_language(concept):
    terms = DATA.concepts[concept]
    assert {language: len(terms[language]) >= 2 for language in thesaurus.LANGUAGES} == dict.fromkeys(
        thesaurus.LANGUAGES, True
    )
    # In the language's own script: Latin acronyms (CCTV, IoT) do not count as Korean or Thai terms.
    assert len([term for term in terms["ko"] if thesaurus.HANGUL.search(term)]) >= 2
    assert len([term for term in terms["th"] if thesaurus.THAI.search(term)]) >= 2


@pytest.mark.parametrize("term", TERMS)
def test_every_term_folds_to_a_non_empty_string(term):
    assert term.folded.strip() != ""


def test_no_term_is_written_twice_in_one_language_of_a_concept():
    repeated = [
        (concept, language, text)
        for concept, by_language in DATA.concepts.items()
        for language, texts in by_language.items()
        for text in texts
        if [fold(other) for other in texts].count(fold(text)) > 1
    ]
    assert repeated == []


def test_no_term_belongs_to_two_concepts_unless_listed_as_shared():
    owners = defaultdict(set)
    for term in DATA.terms:
        owners[term.folded].add(term.concept)
    shared = {term: concepts for term, concepts in owners.items() if len(concepts) > 1}
    assert {term: sorted(concepts) for term, concepts in shared.items()} == {
        term: sorted(concepts) for term, concepts in DATA.shared.items()
    }


@pytest.mark.parametrize("term", TERMS)
def test_every_term_is_found_as_its_own_concept(term):
    assert term.concept in thesaurus.concepts_in(term.text)


# ---------------------------------------------------------------- finding terms in a text
@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Seasonal flooding of the markets", "flood"),
        ("İstanbul'da sel baskınları", "flood"),
        ("Yağışta evleri selden korumak", "flood"),
        ("Kavşaklarda trafiği rahatlatmak", "traffic"),
        ("Otoparkları dolu", "parking"),
        ("SU BASKINI riski", "flood"),
        ("홍수를 미리 알리는", "flood"),
        ("교통 혼잡 해소", "traffic_congestion"),
        ("ปัญหาน้ำท่วมขังในเขตเทศบาล", "flood"),
        ("แก้ปัญหาการจราจรติดขัดในเมือง", "traffic_congestion"),
        ("street lights that dim at night", "street_lighting"),
        ("recycled plastics", "recycling"),
        ("utilities", None),
    ],
)
def test_a_term_is_found_in_its_inflected_or_compound_forms(text, concept):
    found = thesaurus.concepts_in(text)
    if concept is None:
        assert found == ()
    else:
        assert concept in found


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("The seller ships in a week", "flood"),  # sel + ler, but English
        ("ยุ่งมาก", "disease_control"),  # ยุ่ง (busy) is not ยุง (mosquito)
        ("business hours", "public_transport"),  # bus is a whole word
        ("울산주차로보틱스 본사", "iot_sensors"),
    ],
)
def test_a_term_is_not_found_inside_another_word(text, concept):
    assert concept not in thesaurus.concepts_in(text)


# ---------------------------------------------------------------- Thai segmentation
def test_thai_text_is_segmented_into_words_with_the_dictionary_tokenizer():
    assert thai.segment("ปัญหาน้ำท่วมในเขตเทศบาล") == ("ปัญหา", "น้ำท่วม", "ใน", "เขตเทศบาล")
    # A thesaurus term is one word: the tokenizer's dictionary has it.
    assert thai.segment("ระบบเตือนภัยน้ำท่วม") == ("ระบบเตือนภัย", "น้ำท่วม")
    assert thai.segment("") == ()


def test_a_compound_of_the_dictionary_is_split_where_a_thesaurus_term_starts_inside_it():
    # สัญญาณจราจร is one word of PyThaiNLP's dictionary; the thesaurus needs จราจร to start a word.
    assert "จราจร" in thai.segment("สัญญาณจราจร")


def test_thai_words_start_where_the_segmentation_says():
    assert thai.word_starts("ปัญหาน้ำท่วมในเขตเทศบาล") == [0, 5, 12, 14]


def test_a_thai_query_word_is_split_and_its_function_words_dropped():
    assert query_groups("ระบบเตือนภัยน้ำท่วมของเทศบาล") == [
        Group((("ระบบเตือนภัย",),), ("early_warning",)),
        Group((("น้ำท่วม",),), ("flood",)),
        Group((("เทศบาล",),), ()),
    ]


def test_pythainlp_segments_offline_without_writing_to_the_home_directory(tmp_path):
    script = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network')\n"
        "socket.socket.connect = socket.create_connection = socket.getaddrinfo = refuse\n"
        "from matching.thesaurus import thai\n"
        "print('|'.join(thai.segment('น้ำท่วมที่จอดรถ')))\n"
    )
    environment = {**os.environ, "HOME": str(tmp_path)}
    environment.pop("PYTHAINLP_DATA", None)
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        check=True,
    )
    assert result.stdout.strip() == "น้ำท่วม|ที่จอดรถ"
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- query expansion
@pytest.mark.parametrize(
    ("query", "groups"),
    [
        ("홍수를", [Group((("홍수",),), ("flood",))]),
        ("sel", [Group((("sel",),), ("flood",))]),
        ("su baskını", [Group((("su", "baskini"),), ("flood",))]),
        ("trafik", [Group((("trafik",),), ("traffic",))]),
        ("otopark", [Group((("otopark",),), ("parking",))]),
        ("น้ำท่วม", [Group((("น้ำท่วม",),), ("flood",))]),
        ("교통체증", [Group((("교통체증",),), ("traffic_congestion",))]),
        ("홍수방재", [Group((("홍수",),), ("flood",)), Group((("방재",),), ("disaster_management",))]),
        ("smart parking", [Group((("parking",),), ("parking",))]),
        ("akıllı otopark sistemi", [Group((("otopark",),), ("parking",))]),
        ("smart", [Group((("smart",),), ())]),
        ("Ferry BRIDGE", [Group((("ferry",),), ()), Group((("bridge",),), ())]),
        ("울산주차로보틱스", [Group((("울산주차로보틱스",),), ())]),
    ],
)
def test_a_query_word_that_names_a_concept_also_matches_its_token(query, groups):
    assert query_groups(query) == groups


@pytest.mark.parametrize(
    "query", ["홍수를 flood", "İstanbul ISTANBUL", "smart parking", "a b c d e f g h i j"]
)
def test_without_the_thesaurus_a_query_is_searched_as_before(query):
    assert query_groups(query, thesaurus=False) == [Group(((term,),), ()) for term in query_terms(query)]


def test_a_document_matches_when_every_group_has_its_word_or_token():
    document = search_document("Flood early warning for the night market")
    assert document_matches(document, query_groups("sel uyarı sistemi"))
    assert document_matches(document, query_groups("น้ำท่วม"))
    assert not document_matches(document, query_groups("otopark"))
    assert not document_matches(document, query_groups("sel", thesaurus=False))


# ---------------------------------------------------------------- stored text
def test_the_stored_text_ends_with_the_tokens_of_its_concepts():
    assert search_document("Sel baskını", "홍수 조기경보") == (
        "sel baskini\n홍수 조기경보\n⟨early_warning⟩ ⟨flood⟩"
    )
    assert search_document("Sel baskını", concepts=False) == "sel baskini"


def test_a_token_typed_by_an_author_is_not_stored_as_one():
    assert search_document("⟨xyz⟩ nothing else") == " xyz  nothing else"


def test_reindexing_a_stored_text_rebuilds_its_concept_line_only():
    old = "flood sensors on the canal\n⟨old_concept⟩"
    assert search_document_reindex(old) == "flood sensors on the canal\n⟨canal_river⟩ ⟨flood⟩ ⟨iot_sensors⟩"
    assert search_document_reindex(search_document_reindex(old)) == search_document_reindex(old)
    assert search_document_reindex("") == ""


def test_with_the_thesaurus_no_query_of_the_recall_set_finds_less_than_before():
    from bench.search_recall import LANGUAGES, parts_of_rows

    corpus, demands, companies = parts_of_rows()
    rows = [*demands.values(), *companies.values()]
    before_documents = [search_document(*parts, concepts=False) for parts in rows]
    after_documents = [search_document(*parts) for parts in rows]
    lost = [
        (query, n)
        for language in LANGUAGES
        for query, _ in corpus["queries"][language]
        for n, (before, after) in enumerate(zip(before_documents, after_documents, strict=True))
        if document_matches(before, query_groups(query, thesaurus=False))
        and not document_matches(after, query_groups(query))
    ]
    assert lost == []
