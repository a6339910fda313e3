"""Text normalisation for the directory search: one folding for stored text and for queries.

Pure Python, no Django. Stored text and query terms are folded the same way, so a
plain substring match finds words whatever the case, Turkish dotted or dotless i,
Latin accents, or Korean particles typed after a noun.
"""

import re
import unicodedata

# Korean particles (조사) that people type after a noun: "홍수를", "주차장에서", "도시의".
# Longest first so "에서" is stripped before "서".
KOREAN_PARTICLES = sorted(
    [
        "에서는",
        "으로는",
        "에게서",
        "까지는",
        "에서",
        "으로",
        "에게",
        "까지",
        "부터",
        "처럼",
        "보다",
        "이나",
        "과의",
        "와의",
        "만의",
        "을",
        "를",
        "이",
        "가",
        "은",
        "는",
        "의",
        "에",
        "로",
        "와",
        "과",
        "도",
        "만",
        "나",
    ],
    key=len,
    reverse=True,
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN_END = 0x250  # Combining marks after a Latin letter are accents; after Thai they are vowels.


def fold(text):
    """Lower-case, fold Turkish i forms and Latin accents; keep Hangul and Thai intact."""
    text = unicodedata.normalize("NFD", (text or "").replace("\x00", ""))
    kept = []
    base = ""
    for char in text:
        if unicodedata.combining(char):
            if base and ord(base) < LATIN_END:
                continue
        else:
            base = char
        kept.append(char)
    folded = unicodedata.normalize("NFC", "".join(kept)).casefold()
    return folded.replace("ı", "i")


def words(text):
    """Split on spaces, punctuation and symbols; combining marks (Thai vowels, tones) stay in words."""
    spaced = "".join(" " if unicodedata.category(char)[0] in "PSZC" else char for char in text)
    return spaced.split()


def strip_korean_particle(token):
    """'홍수를' -> '홍수'; keeps at least two syllables so '국가' stays '국가'."""
    if not HANGUL.search(token):
        return token
    for particle in KOREAN_PARTICLES:
        if token.endswith(particle) and len(token) - len(particle) >= 2:
            return token[: -len(particle)]
    return token


def query_terms(query, limit=8):
    """The folded words of a search query, particles removed, duplicates dropped, at most `limit`."""
    terms = []
    for token in words(fold(query)):
        term = strip_korean_particle(token)
        if term not in terms:
            terms.append(term)
    return terms[:limit]


def search_document(*parts):
    """The folded text stored for searching: every part on its own line."""
    return "\n".join(fold(part) for part in parts if part)
