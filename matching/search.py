"""Text normalisation for the directory search: one folding for stored text and for queries.

Pure Python, no Django. Stored text and query terms are folded the same way, so a
plain substring match finds words whatever the case, Turkish dotted or dotless i,
Latin accents, or Korean particles typed after a noun.

Across languages (matching.thesaurus): the stored text ends with a line of concept tokens
('⟨flood⟩') for the concepts whose terms it holds, and a query word that names a concept is
searched as "the word, or the concept's token" (query_groups), so 홍수, sel and น้ำท่วม find a
listing written in English. Thai query words are segmented (PyThaiNLP newmm).
"""

import re
import unicodedata
from typing import NamedTuple

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


def search_document(*parts, concepts=True):
    """The folded text stored for searching: every part on its own line, then (with `concepts`) a line
    of the thesaurus concepts found in them ('⟨flood⟩ ⟨early_warning⟩'), when any is."""
    from matching import thesaurus  # it imports fold and words from here

    lines = [_without_token_marks(fold(part)) for part in parts if part]
    if concepts:
        found = sorted({concept for line in lines for concept in thesaurus.concepts_in(line)})
        if found:
            lines.append(" ".join(thesaurus.token(concept) for concept in found))
    return "\n".join(lines)


def search_document_reindex(document):
    """A stored search text with its concept line rebuilt for the current thesaurus (the text itself is
    already folded, and folding again changes nothing)."""
    lines = [line for line in (document or "").split("\n") if line and not _is_token_line(line)]
    return search_document(*lines)


def _without_token_marks(text):
    # Whatever an author types, only search_document writes a concept token.
    return text.replace("\u27e8", " ").replace("\u27e9", " ")


def _is_token_line(line):
    from matching import thesaurus

    return all(thesaurus.TOKENS.fullmatch(part) for part in line.split(" "))


class Group(NamedTuple):
    """One word (or phrase) of a query: a text matches it when it holds every string of one of the
    `alternatives`, or the token of one of the `concepts`."""

    alternatives: tuple  # of tuples of folded strings
    concepts: tuple  # concept names (matching.thesaurus)

    def tokens(self):
        from matching import thesaurus

        return tuple(thesaurus.token(concept) for concept in self.concepts)

    def matches(self, document):
        """The same test as the directories' SQL (portal.common.querysets), on a stored search text."""
        return any(all(part in document for part in alternative) for alternative in self.alternatives) or any(
            each in document for each in self.tokens()
        )


def query_groups(query, limit=8, thesaurus=True):
    """The groups a query's text must match, at most `limit`.

    Without the thesaurus: one group per query_terms() word, as the search was before it. With it:
    Thai words segmented (newmm) and their function words dropped; each word or phrase that is a
    thesaurus term also matches the token of its concept; Korean compounds give a group per term
    inside them ('홍수방재': 홍수, 방재); and words that say nothing of the problem (smart, ระบบ,
    akıllı: thesaurus 'generic') are dropped when another word names a concept.
    """
    if not thesaurus:
        return [Group(((term,),), ()) for term in query_terms(query, limit)]
    from matching import thesaurus as data

    tokens = _query_tokens(query)
    groups = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if data.HANGUL.search(token):
            # '교통 혼잡' typed with a space is the term 교통혼잡: Korean words are joined when a term
            # spans them.
            joined, used = _joined_hangul(tokens, position, data)
            found = data.outermost(data.find_hangul(joined))
            inside = _inside_groups(joined, found if _covered(joined, found, data.load().generic) else [])
            if used > 1:
                # The words as typed still match as before: each of them anywhere in the text.
                parts = tuple(tokens[position : position + used])
                inside = [Group((*group.alternatives, parts), group.concepts) for group in inside]
                position += used - 1
            groups += inside
        elif data.THAI.search(token):
            groups += _thai_groups(token, data)
        else:
            found = [hit for hit in data.find_latin(tokens[position : position + 6]) if hit.start == 0]
            if found:
                end = max(hit.end for hit in found)
                concepts = sorted({hit.concept for hit in found if hit.end == end})
                groups.append(Group((tuple(tokens[position : position + end]),), tuple(concepts)))
                position += end
                continue
            groups.append(Group(((token,),), ()))
        position += 1
    if any(group.concepts for group in groups):
        generic = data.load().generic
        groups = [
            group
            for group in groups
            if group.concepts or not all(part in generic for part in group.alternatives[0])
        ]
    unique = []
    for group in groups:
        if group not in unique:
            unique.append(group)
    return unique[:limit]


def _joined_hangul(tokens, position, data):
    """(the Korean words from `position` joined, how many) when a term crosses their boundaries."""
    for count in (2, 3):
        parts = tokens[position : position + count]
        if len(parts) < count or not all(data.HANGUL.search(part) for part in parts):
            continue
        joined = "".join(parts)
        bounds = [sum(len(part) for part in parts[:n]) for n in range(1, count)]
        found = data.outermost(data.find_hangul(joined))
        if any(hit.start < bound < hit.end for hit in found for bound in bounds):
            return joined, count
    return tokens[position], 1


def _covered(token, found, generic):
    """Whether the terms found in a Korean word, with generic words (스마트, 시스템), make up all of it:
    '스마트주차' and '홍수조기경보' are about their terms, a name like '울산주차로보틱스' is not."""
    rest, position = [], 0
    for hit in sorted(found, key=lambda hit: hit.start):
        if hit.start > position:
            rest.append(token[position : hit.start])
        position = max(position, hit.end)
    rest.append(token[position:])
    return bool(found) and all(not piece or piece in generic for piece in rest)


def _inside_groups(token, found):
    """Groups for the terms found inside one Korean or Thai word; the word itself when none is."""
    if not found:
        return [Group(((token,),), ())]
    spans = {}
    for hit in found:
        spans.setdefault((hit.start, hit.end), set()).add(hit.concept)
    return [
        Group(((token[start:end],),), tuple(sorted(concepts)))
        for (start, end), concepts in sorted(spans.items())
    ]


def _thai_groups(token, data):
    """Groups for a Thai query word: one per thesaurus term in it (overlapping terms are one group, 'any
    of them'), and one per other Thai word (newmm), function words left out unless nothing else is left."""
    from matching.thesaurus import thai

    groups, plain = [], []
    position = 0
    for match in thai.THAI.finditer(token):
        plain += _plain_words(token[position : match.start()], thai)
        run, spans = match.group(), []
        for hit in sorted(data.outermost(data.find_thai(run)), key=lambda hit: hit.start):
            if spans and hit.start < spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], hit.end)
                spans[-1][2].append(hit)
            else:
                spans.append([hit.start, hit.end, [hit]])
        covered = 0
        for start, end, hits in spans:
            plain += _plain_words(run[covered:start], thai)
            alternatives = tuple(dict.fromkeys((run[hit.start : hit.end],) for hit in hits))
            groups.append(Group(alternatives, tuple(sorted({hit.concept for hit in hits}))))
            covered = end
        plain += _plain_words(run[covered:], thai)
        position = match.end()
    plain += _plain_words(token[position:], thai)
    content = [word for word in plain if not thai.is_stop_word(word)]
    if not content and not groups:
        content = plain
    return groups + [Group(((word,),), ()) for word in content]


def _plain_words(text, thai):
    if not text:
        return []
    return list(thai.segment(text)) if thai.THAI.search(text) else [text]


def _query_tokens(query):
    """The folded words of a query, Korean particles stripped, duplicates dropped."""
    tokens = []
    for word in words(fold(query)):
        word = strip_korean_particle(word)
        if word not in tokens:
            tokens.append(word)
    return tokens


def document_matches(document, groups):
    """Whether a stored search text matches every group of a query (what the directories' SQL does)."""
    return all(group.matches(document) for group in groups)
