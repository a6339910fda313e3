"""Text features that let a listing's problem find a solution's text in Korean, Thai, Turkish or English.

Each word is folded as the directory search folds text (matching.search), then split into runs of
one script:
- Hangul (and Han, kana): Korean particles stripped, then character bigrams, so '홍수를' and
  '홍수 조기 경보' share '홍수', and compounds written without spaces ('홍수조기경보') still meet
  their spaced spelling;
- Thai: character trigrams, since Thai writes no spaces between words;
- anything else (Latin, Cyrillic, digits): the folded word, stop words dropped, through a light
  English and Turkish suffix stemmer ('flooding' -> 'flood', 'taşkınları' -> 'taskin').
Each feature remembers where it came from, so a match can show the words behind it, never n-grams.
"""

import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from matching.search import fold, strip_korean_particle, words

_BIGRAM_SCRIPTS = "\uac00-\ud7a3\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_THAI = "\u0e00-\u0e7f"
_RUNS = re.compile(f"([{_BIGRAM_SCRIPTS}]+)|([{_THAI}]+)|([^{_BIGRAM_SCRIPTS}{_THAI}]+)")

# Folded (no accents, Turkish ı -> i), so they are compared after fold().
STOPWORDS = frozenset(
    # English
    "a an and are as at be been but by can could do does for from has have how in into is it its "
    "more most much no not of on or our over per so such than that the their them then there these "
    "they this those to too up us use used using very via was we were what when where which while "
    "who will with within without would you your also all any each other only out new".split()
    # Turkish
    + "acaba ama ancak bazi bir biz bu cok da daha de defa diye en gibi hem hep her hic icin ile ise "
    "kez ki kim mi mu nasil ne neden nerede o olan olarak oldu olmak ve veya ya yani sey siz su".split()
)

# Tried longest first. English plural and verb endings; Turkish plural, case and possessive endings,
# folded (-ları is 'lari', -ün is 'un'). A bare -in/-un genitive is left alone: too many English and
# Turkish stems end in it (train, taşkın).
_SUFFIXES = sorted(
    [
        *("ies", "ing", "ed", "s"),
        *("larindan", "lerinden", "larinda", "lerinde", "larina", "lerine", "larin", "lerin"),
        *("lari", "leri", "larla", "lerle", "lar", "ler"),
        *("dan", "den", "tan", "ten", "nin", "nun", "yla", "yle", "da", "de", "ta", "te"),
        *("si", "su", "i", "u"),
    ],
    key=len,
    reverse=True,
)
# Not the -s of stress or status: their plurals lose -s, then the final -e (stresses -> stress).
_NO_S_AFTER = ("s", "u")
# Before a vowel Turkish softens a final k to ğ (trafik, trafiği): undo it when such a suffix goes.
_SOFTENING_SUFFIXES = frozenset({"i", "u"})
MIN_STEM = 3
MAX_STRIPS = 3


class Term(NamedTuple):
    """One feature of a text and the characters of `word` (start to end) it came from."""

    feature: str
    word: str
    start: int
    end: int


def stem(word):
    """A light English and Turkish stemmer for folded words: up to three endings, then a final -e."""
    for _ in range(MAX_STRIPS):
        for suffix in _SUFFIXES:
            if not word.endswith(suffix) or len(word) - len(suffix) < MIN_STEM:
                continue
            if suffix == "s" and word[:-1].endswith(_NO_S_AFTER):
                continue
            word = word[: -len(suffix)]
            if suffix == "ies":
                word += "y"
            elif suffix in _SOFTENING_SUFFIXES and word.endswith("g") and word[-2] in "aeiou":
                word = word[:-1] + "k"
            break
        else:
            break
    # charge, charging, charges; bus, buses; line, lines: one stem.
    if word.endswith("e") and len(word) > MIN_STEM:
        word = word[:-1]
    return word


def _ngrams(run, size):
    if len(run) <= size:
        return (Term(run, run, 0, len(run)),)
    return tuple(Term(run[i : i + size], run, i, i + size) for i in range(len(run) - size + 1))


def runs(text):
    """The text's runs of one script, each as the tuple of its terms (empty runs left out)."""
    # words() splits at white space too, so splitting there first changes nothing. The pieces
    # repeat across thousands of texts: each distinct one is folded, split and stemmed once.
    return tuple(run for chunk in (text or "").split() for run in _chunk(chunk)[0])


def feature_counts(text):
    """How often each feature occurs in a text."""
    found = []
    for chunk in (text or "").split():
        found.extend(_chunk(chunk)[1])
    return Counter(found)


@lru_cache(maxsize=1 << 16)
def _chunk(chunk):
    """(runs, features) of a piece of text between white space."""
    chunk_runs = tuple(run for token in words(fold(chunk)) for run in _token_runs(token))
    return chunk_runs, tuple(term.feature for run in chunk_runs for term in run)


def _token_runs(token):
    result = []
    for match in _RUNS.finditer(token):
        bigram, thai, other = match.groups()
        if bigram:
            result.append(_ngrams(strip_korean_particle(bigram), 2))
        elif thai:
            result.append(_ngrams(thai, 3))
        elif len(other) > 1 and not other.isdigit() and other not in STOPWORDS:
            result.append((Term(stem(other), other, 0, len(other)),))
    return tuple(result)


def term_frequency(count):
    """Sublinear: a word said five times is not five times as much about the problem (numbers or arrays)."""
    return 1.0 + np.log(count)


def inverse_document_frequency(document_frequency, documents):
    """Smoothed, so a feature no solution has still gets a finite (the largest) weight."""
    return np.log((1 + documents) / (1 + document_frequency)) + 1.0


def matched_words(text_runs, contributions, limit=5):
    """The words of a text (given by its runs) behind the shared features, most informative first.

    `contributions` maps each shared feature to its share of the cosine. Within a word, the
    characters covered by overlapping shared n-grams form one matched piece ('홍수' out of
    '홍수조기경보'), worth the sum of its distinct features. Pieces made of the same features
    ('sensor' and 'sensors') are shown once, as first written.
    """
    pieces = {}  # features -> (worth, position in text, piece)
    position = 0
    for run in text_runs:
        merged = []
        for feature, _, start, end in run:  # in order of start
            if feature not in contributions:
                continue
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2].add(feature)
            else:
                merged.append([start, end, {feature}])
        for start, end, found in merged:
            key = frozenset(found)
            if key not in pieces:
                worth = sum(contributions[feature] for feature in sorted(found))
                pieces[key] = (worth, position, run[0].word[start:end])
            position += 1
    ranked = sorted(pieces.values(), key=lambda piece: (-piece[0], piece[1]))
    return tuple(piece for worth, _, piece in ranked[:limit] if worth > 0)
