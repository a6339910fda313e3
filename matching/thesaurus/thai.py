"""Thai word segmentation for search and matching: PyThaiNLP's dictionary tokenizer (newmm), offline.

Thai writes no spaces between words. newmm splits a run of Thai by maximal matching against the
dictionary bundled with PyThaiNLP (no download, no network: PYTHAINLP_OFFLINE and PYTHAINLP_READ_ONLY
are set before it is imported, so it neither fetches a corpus nor creates ~/pythainlp-data). The
dictionary gets the thesaurus's Thai terms, and loses its compounds that hold a term after their
first letter ('ฝั่งคลอง', 'สัญญาณจราจร'), so every term starts a word wherever it is written.
"""

import os
import re
from functools import lru_cache

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

THAI = re.compile("[\u0e00-\u0e7f]+")


@lru_cache(maxsize=1)
def _tokenizer(terms):
    """(word_tokenize, the dictionary as a Trie, the stop words); PyThaiNLP is imported on first use."""
    from pythainlp.corpus import thai_stopwords, thai_words
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import Trie

    inside = re.compile("|".join(sorted(map(re.escape, terms), key=len, reverse=True))) if terms else None
    dictionary = {
        word for word in thai_words() if word in terms or inside is None or inside.search(word, 1) is None
    }
    return word_tokenize, Trie(dictionary | set(terms)), frozenset(thai_stopwords())


def _terms():
    from matching.thesaurus import thai_terms

    return thai_terms()


@lru_cache(maxsize=1 << 15)
def segment(run):
    """The words of a run of Thai text, in order, without white space: 'ระบบเตือนภัยน้ำท่วม' ->
    ('ระบบ', 'เตือนภัย', 'น้ำท่วม')."""
    if not run:
        return ()
    tokenize, trie, _ = _tokenizer(_terms())
    return tuple(word for word in tokenize(run, custom_dict=trie, engine="newmm") if word.strip())


def word_starts(run):
    """The offsets in `run` where its Thai words begin (0 first)."""
    starts, offset = [], 0
    for word in segment(run):
        found = run.find(word, offset)
        if found < 0:  # newmm keeps every character; be safe if a later version normalises some
            break
        starts.append(found)
        offset = found + len(word)
    return starts


def is_stop_word(word):
    """A Thai function word (และ, ที่, การ...): no evidence of what a query is about."""
    return word in _tokenizer(_terms())[2]


def split_thai(token):
    """A query token with Thai in it, as its Thai words (and whatever else it held, between them)."""
    pieces = []
    position = 0
    for match in THAI.finditer(token):
        if match.start() > position:
            pieces.append(token[position : match.start()])
        pieces.extend(segment(match.group()))
        position = match.end()
    if position < len(token):
        pieces.append(token[position:])
    return pieces
