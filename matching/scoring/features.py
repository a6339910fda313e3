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

With `lexicon` (the current model), a word of the smart-city problems in Turkish, Indonesian, Korean or
Thai also gives the English word's feature (CONCEPTS), so a Turkish listing about 'taşkın' meets a
solution about floods written in English; and each term of the thesaurus (matching.thesaurus: Korean,
English, Thai, Turkish, Thai segmented with PyThaiNLP) gives its concept's feature ('⟨flood⟩'), so
'น้ำท่วมขัง', 'su baskını', '침수' and 'inundation' meet as one problem.
"""

import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from matching import thesaurus
from matching.search import fold, strip_korean_particle, words
from matching.thesaurus import thai as thai_words

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


# English word: its Turkish and Indonesian words (folded, stemmed like English), then Korean and Thai
# words (found inside a run, since Korean compounds and Thai are written without spaces). Only words
# that name a problem or a thing of the smart city, each with one meaning in the city's language.
CONCEPTS = {
    "flood": ("taşkın sel banjir", "홍수 침수", "น้ำท่วม"),
    "warning": ("uyarı peringatan", "경보", "เตือน"),
    "early": ("erken dini", "조기", ""),
    "alert": ("", "알림", "แจ้งเตือน"),
    "sensor": ("sensör", "센서", "เซ็นเซอร์"),
    "siren": ("sirene", "사이렌", "ไซเรน"),
    "earthquake": ("deprem gempa", "지진", "แผ่นดินไหว"),
    "traffic": ("trafik", "교통", "จราจร"),
    "signal": ("sinyal", "신호", "สัญญาณ"),
    "bus": ("otobüs bis", "버스", "รถเมล์ รถบัส"),
    "parking": ("otopark parkir", "주차", "ที่จอดรถ"),
    "charging": ("şarj pengisian", "충전", "ชาร์จ"),
    "electric": ("elektrikli listrik", "전기", ""),
    "pollution": ("kirlilik polusi", "오염", "มลพิษ"),
    "dust": ("toz debu", "먼지", "ฝุ่น"),
    "smoke": ("duman asap", "연기", "ควัน"),
    "camera": ("kamera", "카메라", "กล้อง"),
    "accident": ("kaza kecelakaan", "사고", "อุบัติเหตุ"),
    "lighting": ("aydınlatma penerangan", "조명", ""),
    "streetlight": ("", "가로등", "ไฟถนน"),
    "leak": ("sızıntı kebocoran", "누수", "รั่ว"),
    "energy": ("enerji energi", "에너지", "พลังงาน"),
    "solar": ("güneş surya", "태양광", "แสงอาทิตย์"),
    "building": ("bina gedung", "건물", "อาคาร"),
    "school": ("okul sekolah", "학교", "โรงเรียน"),
    "hospital": ("hastane", "병원", "โรงพยาบาล"),
    "elderly": ("yaşlı lansia", "노인", "ผู้สูงอายุ"),
    "health": ("sağlık kesehatan", "건강", "สุขภาพ"),
    "security": ("güvenlik keamanan", "보안", ""),
    "canal": ("kanal", "수로", "คลอง"),
    "rain": ("yağmur hujan", "강우", ""),
    "waste": ("atık sampah", "쓰레기", "ขยะ"),
}


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


def runs(text, lexicon=False):
    """The text's runs of one script, each as the tuple of its terms (empty runs left out)."""
    # words() splits at white space too, so splitting there first changes nothing. The pieces
    # repeat across thousands of texts: each distinct one is folded, split and stemmed once.
    chunk_runs = tuple(run for chunk in (text or "").split() for run in _chunk(chunk, lexicon)[0])
    if not lexicon:
        return chunk_runs
    # A thesaurus term may span words ('su baskını'): one run of its own, showing the words that named it.
    return chunk_runs + tuple((Term(feature, piece, 0, len(piece)),) for feature, piece in _concepts(text))


def feature_counts(text, lexicon=False):
    """How often each feature occurs in a text."""
    found = []
    for chunk in (text or "").split():
        found.extend(_chunk(chunk, lexicon)[1])
    if lexicon:
        found.extend(feature for feature, _ in _concepts(text))
    return Counter(found)


# A thesaurus concept's feature starts with this mark. It weighs this share of a word as rare (see
# MatchIndex._build_text): on the labelled set (bench/matching.py) 0.4 to 0.8 all keep precision@5 and
# raise nDCG@10 to 1.0; at 1.0 a parking company passes into a condominium listing's top 3 on 'car park'.
# The highest of those, so a concept named in two languages counts nearly as a shared word.
CONCEPT_MARK = thesaurus.TOKEN_OPEN
CONCEPT_WEIGHT = 0.8


@lru_cache(maxsize=1 << 16)  # every text of a 10 000-company market, so a rebuild finds them again
def _concepts(text):
    """(concept feature, folded words) for each thesaurus term in the text."""
    return tuple((thesaurus.token(concept), piece) for concept, piece in thesaurus.terms_in(text or ""))


def _stemmed(word):
    folded = fold(word)
    return stem(folded) if len(folded) > 1 else folded


def _lexicon():
    """(stem of a Latin-script word -> English stem, Korean or Thai word -> English stem)."""
    latin, inside = {}, {}
    for english, (latin_words, korean, thai) in CONCEPTS.items():
        concept = _stemmed(english)
        latin.update((_stemmed(word), concept) for word in latin_words.split())
        inside.update((word, concept) for word in f"{korean} {thai}".split())
    return latin, inside


_LATIN_CONCEPTS, _INSIDE_CONCEPTS = _lexicon()
# Every start of a Korean or Thai lexicon word in a run, the longest one at each start (a lookahead,
# so words inside longer ones are found too: 'เตือน' in 'แจ้งเตือน').
_INSIDE = re.compile(
    "(?=(" + "|".join(sorted(map(re.escape, _INSIDE_CONCEPTS), key=len, reverse=True)) + "))"
)


@lru_cache(maxsize=1 << 16)
def _chunk(chunk, lexicon=False):
    """(runs, features) of a piece of text between white space."""
    chunk_runs = tuple(run for token in words(fold(chunk)) for run in _token_runs(token, lexicon))
    return chunk_runs, tuple(term.feature for run in chunk_runs for term in run)


def _token_runs(token, lexicon):
    result = []
    for match in _RUNS.finditer(token):
        bigram, thai, other = match.groups()
        if bigram:
            run = strip_korean_particle(bigram)
            result.append(_with_concepts(_ngrams(run, 2), run, lexicon))
        elif thai:
            terms = _thai_words(thai) if lexicon else _ngrams(thai, 3)
            result.append(_with_concepts(terms, thai, lexicon))
        elif len(other) > 1 and not other.isdigit() and other not in STOPWORDS:
            feature = stem(other)
            if lexicon:
                feature = _LATIN_CONCEPTS.get(feature, feature)
            result.append((Term(feature, other, 0, len(other)),))
    return tuple(result)


def _thai_words(run):
    """A run of Thai as its words (PyThaiNLP newmm, matching.thesaurus.thai), function words left out."""
    result = []
    for word, start in zip(thai_words.segment(run), thai_words.word_starts(run), strict=False):
        if not thai_words.is_stop_word(word):
            result.append(Term(word, run, start, start + len(word)))
    return tuple(result) or _ngrams(run, 3)


def _with_concepts(terms, run, lexicon):
    """A Korean or Thai run's n-grams and, with the lexicon, the English features of the words inside it,
    in order of start."""
    if not lexicon:
        return terms
    found = [
        Term(_INSIDE_CONCEPTS[match.group(1)], run, match.start(), match.start() + len(match.group(1)))
        for match in _INSIDE.finditer(run)
    ]
    return tuple(sorted((*terms, *found), key=lambda term: term.start)) if found else terms


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
    # A thesaurus term's piece ('early warning') is shown only where no word of the text already says
    # it ('early', 'warning'): it names the words that met a solution in another language.
    words_shown = [piece for key, (_, _, piece) in pieces.items() if not _only_concepts(key)]
    for key in [key for key in pieces if _only_concepts(key)]:
        piece = pieces[key][2]
        if any(piece in shown or shown in piece for shown in words_shown):
            del pieces[key]
    ranked = sorted(pieces.values(), key=lambda piece: (-piece[0], piece[1]))
    return tuple(piece for worth, _, piece in ranked[:limit] if worth > 0)


def _only_concepts(features):
    return all(feature.startswith(CONCEPT_MARK) for feature in features)


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


def best_sentence(text, pieces, limit=90):
    """The sentence of a text (a title line, or a sentence of the problem) that holds the most of the
    matched pieces (matched_words), first on a tie, cut to `limit` characters at a word: the problem in
    its author's words, not a list of tokens."""
    best, found = "", 0
    for sentence in _SENTENCE_END.split(text or ""):
        sentence = sentence.strip()
        folded = fold(sentence)
        held = sum(piece in folded for piece in pieces)
        if held > found:
            best, found = sentence, held
    if len(best) > limit:
        best = best[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return best.rstrip(".")
