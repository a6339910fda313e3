"""The curated multilingual thesaurus of smart-city problems and solution kinds (concepts.json), and
how its terms are found in a text: pure Python, no Django.

A concept ('flood') has terms in Korean, English, Thai and Turkish (홍수/침수, flood/inundation,
น้ำท่วม/อุทกภัย, sel/su baskını). A term is found, after matching.search.fold:
- Korean (a term with Hangul): inside a run of Hangul, spaces between Hangul ignored, so compounds
  written without spaces ('홍수조기경보') and particles after a noun ('홍수를') are found;
- Thai: where a Thai word begins (thai.segment, PyThaiNLP newmm), so 'น้ำท่วม' is found in
  'ปัญหาน้ำท่วมขัง' but 'ยุง' is not found inside 'ยุ่ง';
- English and Turkish (any other term): as whole words, the last letters free for the language's
  inflections: flood/floods/flooding, sel/selde/selden, trafik/trafiği, otopark/otoparkları.
The directory search stores a token per concept found (`token`) beside the text, and searches a query
word that names a concept as "the word or the concept's token" (matching.search.query_groups). The
match ranking counts the same tokens among its text features (matching.scoring.features).
"""

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from matching.search import fold, words

DATA = Path(__file__).with_name("concepts.json")
LANGUAGES = ("ko", "en", "th", "tr")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
THAI = re.compile("[\u0e00-\u0e7f]")
_HANGUL_GAP = re.compile(r"(?<=[\uac00-\ud7a3])\s+(?=[\uac00-\ud7a3])")
TOKEN_OPEN, TOKEN_CLOSE = "⟨", "⟩"


def _inflections():
    """Folded endings a whole English or Turkish word may carry after a term, by language."""
    english = {"", "s", "es", "ed", "ing"}
    cases = ["", "i", "u", "a", "e", "yi", "yu", "ya", "ye", "da", "de", "ta", "te", "dan", "den", "tan"]
    cases += ["ten", "in", "un", "nin", "nun", "la", "le", "yla", "yle", "daki", "deki", "taki", "teki"]
    after_possessive = ["", "n", "ni", "nu", "na", "ne", "nda", "nde", "ndan", "nden", "nin", "nun"]
    after_possessive += ["yla", "yle", "ndaki", "ndeki"]
    turkish = set(cases)
    for plural in ("lar", "ler"):
        turkish.update(plural + case for case in cases)
        turkish.update(plural + "i" + ending for ending in after_possessive)
    for possessive in ("i", "u", "si", "su"):
        turkish.update(possessive + ending for ending in after_possessive)
    return {"en": frozenset(english), "tr": frozenset(turkish), "ko": frozenset(english)}


INFLECTIONS = _inflections()
_LONGEST_ENDING = max(len(ending) for endings in INFLECTIONS.values() for ending in endings)
# Turkish hardens a final k, p, t before a vowel into ğ, b, d (trafik -> trafiği), folded g, b, d.
_SOFTENED = {"k": "g", "p": "b", "t": "d"}


class Term(NamedTuple):
    concept: str
    language: str
    text: str  # as written in the data
    folded: str  # fold(text); for Korean, without spaces between Hangul
    script: str  # "hangul", "thai" or "latin"
    words: tuple  # latin: the folded words


class Thesaurus(NamedTuple):
    concepts: dict  # concept -> {language: (term text, ...)}
    terms: tuple  # every Term
    generic: frozenset  # folded words that say nothing of the problem (smart, ระบบ, akıllı)
    not_inflections: frozenset  # words that look like a term and an ending but are not ('seller')
    shared: dict  # folded term -> concepts it deliberately belongs to


def _script(folded):
    if HANGUL.search(folded):
        return "hangul"
    if THAI.search(folded):
        return "thai"
    return "latin"


def _term(concept, language, text):
    folded = fold(text)
    script = _script(folded)
    if script == "hangul":
        folded = _HANGUL_GAP.sub("", folded)
    return Term(concept, language, text, folded, script, tuple(words(folded)) if script == "latin" else ())


@lru_cache(maxsize=1)
def load(path=DATA):
    """The thesaurus in `path` (concepts.json next to this module)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    concepts = {
        concept: {language: tuple(by_language.get(language, ())) for language in LANGUAGES}
        for concept, by_language in data["concepts"].items()
    }
    terms = tuple(
        _term(concept, language, text)
        for concept, by_language in concepts.items()
        for language, texts in by_language.items()
        for text in texts
    )
    generic = frozenset(
        word for texts in data.get("generic", {}).values() for text in texts for word in words(fold(text))
    )
    return Thesaurus(
        concepts=concepts,
        terms=terms,
        generic=generic,
        not_inflections=frozenset(fold(word) for word in data.get("not_inflections", ())),
        shared={fold(term): tuple(owners) for term, owners in data.get("shared", {}).items()},
    )


def token(concept):
    """What the search text holds for a concept found in it: '⟨flood⟩'. No query word holds the
    brackets (matching.search.words splits at them), so only a query for the concept finds it."""
    return f"{TOKEN_OPEN}{concept}{TOKEN_CLOSE}"


TOKENS = re.compile(f"{TOKEN_OPEN}[a-z0-9_]+{TOKEN_CLOSE}")


@lru_cache(maxsize=1)
def thai_terms():
    """The folded Thai terms (thai.py adds them to the tokenizer's dictionary)."""
    return frozenset(term.folded for term in load().terms if term.script == "thai")


@lru_cache(maxsize=1)
def _index():
    """(Korean terms, Thai terms by first letter, Latin terms by first word)."""
    hangul, thai, latin = [], {}, {}
    for term in load().terms:
        if term.script == "hangul":
            hangul.append(term)
        elif term.script == "thai":
            thai.setdefault(term.folded[0], []).append(term)
        elif term.words:
            latin.setdefault(term.words[0], []).append(term)
    return tuple(hangul), thai, latin


class Found(NamedTuple):
    """A term found in a text: where (in the folded piece searched), and which concept."""

    concept: str
    start: int
    end: int
    term: Term


def _word_forms(word):
    """The term words a folded word can be an inflection of, with the language of each ending."""
    forms = {(word, "en"), (word, "tr")}
    for language, endings in INFLECTIONS.items():
        for size in range(1, min(_LONGEST_ENDING, len(word) - 2) + 1):
            ending = word[-size:]
            if ending in endings:
                stem = word[:-size]
                forms.add((stem, language))
                if language == "tr" and ending[0] in "aeiu" and stem[-1] in _SOFTENED.values():
                    hard = {value: key for key, value in _SOFTENED.items()}[stem[-1]]
                    forms.add((stem[:-1] + hard, language))
                if language == "en" and ending in ("ed", "ing", "es"):
                    forms.add((stem + "e", language))
    # In a Turkish compound the possessive ending gives way to the plural one: sokak lambası, sokak
    # lambaları; su baskını, su baskınları.
    for plural in ("lari", "leri"):
        at = word.rfind(plural)
        if at >= 2 and word[at:] in INFLECTIONS["tr"]:
            stem = word[:at]
            forms.update((stem + possessive, "tr") for possessive in ("si", "su", "i", "u"))
    if word.endswith("ies") and len(word) > 4:
        forms.add((word[:-3] + "y", "en"))
    return forms


@lru_cache(maxsize=1 << 16)
def _word_matches(word):
    """{term word: languages} that the folded `word` is, or is an inflection of."""
    if word in load().not_inflections:
        return {word: frozenset(LANGUAGES)}
    matches = {}
    for stem, language in _word_forms(word):
        matches.setdefault(stem, set()).add(language)
    matches[word] = set(LANGUAGES)
    return {stem: frozenset(languages) for stem, languages in matches.items()}


def _latin_word_is(word, term_word, language):
    languages = _word_matches(word).get(term_word)
    if not languages:
        return False
    # An English term takes English endings; a Turkish term Turkish ones; Korean lists hold Latin
    # acronyms (CCTV, IoT), inflected as English.
    return (language if language in ("en", "tr") else "en") in languages


_LATIN_PIECES = re.compile(r"[a-z0-9]+|[^a-z0-9]+")


def latin_words(folded):
    """The words of a folded text, each cut where Latin letters meet another script ('ess를' -> 'ess',
    '를'), so an acronym followed by a Korean particle is still a word."""
    return [piece for word in words(folded) for piece in _LATIN_PIECES.findall(word)]


@lru_cache(maxsize=1 << 16)
def _starting_with(word):
    """The Latin terms whose first word `word` is (or inflects): (one-word terms, longer terms)."""
    _, _, latin = _index()
    single, longer = [], []
    for stem in _word_matches(word):
        for term in latin.get(stem, ()):
            if _latin_word_is(word, term.words[0], term.language):
                (single if len(term.words) == 1 else longer).append(term)
    return tuple(single), tuple(longer)


def find_latin(text_words):
    """Terms found among a text's folded words: Found(concept, first word, after last word, term)."""
    found = []
    for position, word in enumerate(text_words):
        single, longer = _starting_with(word)
        found.extend(Found(term.concept, position, position + 1, term) for term in single)
        for term in longer:
            end = position + len(term.words)
            if end <= len(text_words) and all(
                _latin_word_is(text_words[position + n], term_word, term.language)
                for n, term_word in enumerate(term.words[1:], start=1)
            ):
                found.append(Found(term.concept, position, end, term))
    return found


def squeeze_hangul(text):
    """The text without the spaces between two Hangul letters ('교통 혼잡' -> '교통혼잡')."""
    return _HANGUL_GAP.sub("", text)


_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]{2,}")


@lru_cache(maxsize=1)
def _hangul_by_start():
    """(Korean terms that start with two Hangul letters, by those two; the others ('3d 공간정보'))."""
    by_start, others = {}, []
    for term in _index()[0]:
        if _HANGUL_RUN.match(term.folded):
            by_start.setdefault(term.folded[:2], []).append(term)
        else:
            others.append(term)
    return by_start, tuple(others)


def find_hangul(squeezed):
    """Korean terms found in a folded text whose Hangul gaps are squeezed (squeeze_hangul)."""
    by_start, others = _hangul_by_start()
    found = []
    for run in _HANGUL_RUN.finditer(squeezed):
        for start in range(run.start(), run.end() - 1):
            for term in by_start.get(squeezed[start : start + 2], ()):
                if squeezed.startswith(term.folded, start):
                    found.append(Found(term.concept, start, start + len(term.folded), term))
    for term in others:
        start = squeezed.find(term.folded)
        while start >= 0:
            found.append(Found(term.concept, start, start + len(term.folded), term))
            start = squeezed.find(term.folded, start + 1)
    return found


def find_thai(run):
    """Thai terms found in a run of Thai (folded), each at the start of a Thai word."""
    from matching.thesaurus import thai

    _, by_first, _ = _index()
    found = []
    for start in thai.word_starts(run):
        for term in by_first.get(run[start], ()):
            if run.startswith(term.folded, start):
                found.append(Found(term.concept, start, start + len(term.folded), term))
    return found


def concepts_in(text):
    """The concepts whose terms occur in `text` (any language; folded here), sorted."""
    folded = fold(text)
    if not folded:
        return ()
    found = {hit.concept for hit in find_latin(latin_words(folded))}
    if HANGUL.search(folded):
        found.update(hit.concept for hit in find_hangul(squeeze_hangul(folded)))
    for match in thai_runs(folded):
        found.update(hit.concept for hit in find_thai(match))
    return tuple(sorted(found))


def thai_runs(folded):
    from matching.thesaurus.thai import THAI as THAI_RUN

    return [match.group() for match in THAI_RUN.finditer(folded)]


def tokens_line(text):
    """The concept tokens of a text, as the line the search text ends with ('' when none)."""
    return " ".join(token(concept) for concept in concepts_in(text))


def outermost(found):
    """The hits not inside a longer hit (교통 inside 교통체증 names the congestion, not traffic alone)."""
    kept = []
    for hit in found:
        inside = any(
            other is not hit
            and other.start <= hit.start
            and hit.end <= other.end
            and (other.end - other.start) > (hit.end - hit.start)
            for other in found
        )
        if not inside:
            kept.append(hit)
    return kept


@lru_cache(maxsize=1 << 16)
def _folded_chunk(chunk):
    folded = fold(chunk)
    return folded, tuple(latin_words(folded))


def terms_in(text):
    """(concept, the folded words that named it) for each term found in `text`, a term inside a longer
    one left out ('교통' inside '교통체증'), in order of script then position."""
    # The match ranking reads thousands of texts made of the same words: each is folded once.
    chunks = [_folded_chunk(chunk) for chunk in (text or "").split()]
    folded = " ".join(folded for folded, _ in chunks)
    if not folded:
        return []
    text_words = [word for _, pieces in chunks for word in pieces]
    found = [
        (hit.concept, " ".join(text_words[hit.start : hit.end])) for hit in outermost(find_latin(text_words))
    ]
    if HANGUL.search(folded):
        squeezed = squeeze_hangul(folded)
        found += [(hit.concept, squeezed[hit.start : hit.end]) for hit in outermost(find_hangul(squeezed))]
    for run in thai_runs(folded):
        found += [(hit.concept, run[hit.start : hit.end]) for hit in outermost(find_thai(run))]
    return found
