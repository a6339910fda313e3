"""Every page of the permission matrix, in Korean, Thai and Turkish, shows no English word of the interface.

The pages are the matrix's own (tests/test_permission_matrix.py: its world, its URLs, its table): every GET a
role opens with a 200 and an HTML page, rendered with that role's language set to ko, th or tr. What a page
shows is read as a person or a screen reader meets it: the text outside scripts and styles, and the
attributes that are read out or shown (title, aria-label, placeholder, alt, the value of a button input).

An English word is an ASCII word of the English source text of the catalogue (locale/ko's msgids) that the
page's own catalogue never uses itself (a Turkish "not" or "form", a "PDF" or "Zoom" the translators kept).
What the page shows of the database is content, not interface: it is taken out before the words are read
(a listing written in English, a company's name, a person's; the factories' "Category 3"), and so is any
element whose `lang` attribute names another language than the page's (a text shown in English, marked).
"""

import functools
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from matching.geo import dataset
from portal.accounts.models import User
from tests.permission_table import EXPECTED
from tests.roles import ANON, ROLES
from tests.test_permission_matrix import REQUESTS, world  # noqa: F401 (the matrix's world fixture)

LANGUAGES = ["ko", "th", "tr"]

# Names kept as they are in every language, taken out of the pages and of the translations before their
# words are read (so that a "City" of the portal's name does not make "City" a Thai word).
ALLOWED_PHRASES = [
    "K-Smart City",  # the portal's name, as KOTRA writes it in every language
    "K-City Network",  # the Korean government's ODA programme, a proper name
]
# Words that are English in the catalogue but names or codes on any page, even where a translation happens
# not to use them yet (what the translations keep, "PDF", "Zoom", is allowed in their language already).
ALLOWED_WORDS = {
    "KOTRA",  # Korea Trade-Investment Promotion Agency: its own name in every language
    "MOU",  # memorandum of understanding: KOTRA's term in Korean, Thai and Turkish reports
    "IoT",  # the category's name as the industry writes it in every language
    "CCTV",  # the category's name as the industry writes it in every language
    "EV",  # electric vehicle: the charging category's name as the industry writes it
}

# Leaks seen and not fixed yet, per matrix label: the English runs a page shows (their first RUN_KEPT
# characters). Empty: a new leak fails the test; list one here only with the reason and an issue to fix it.
RUN_KEPT = 50
KNOWN_LEAKS = {}

# Elements whose text no one reads; and the elements that never close.
UNREAD = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
BUTTON_INPUTS = {"submit", "button", "reset"}

# A run of words in ASCII letters (with the punctuation inside a phrase): what a reader sees as English.
RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ \-–/&,.:()]+[A-Za-z][A-Za-z'’]*)*")
ASCII_WORD = re.compile(r"[A-Za-z]+")
ANY_WORD = re.compile(r"[^\W\d_]+")
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|\bwww\.\S+")
ZONE_LIKE = re.compile(r"[A-Za-z]+(?:/[A-Za-z0-9_+\-]+)+")
ZONES = zoneinfo.available_timezones()
PLACEHOLDERS = re.compile(r"%\(\w+\)[sdfi]|%[sdi]|\{\{.*?\}\}|\{%.*?%\}|<[^>]*>|&\w+;")


class ShownText(HTMLParser):
    """The pieces of text a page shows or reads out in its own language, in document order (not what is
    marked translate="no": codes such as the check-in code, random letters that may spell "WE")."""

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.open = []  # (tag, left out)
        self.pieces = []

    def _left_out(self):
        return bool(self.open) and self.open[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or self.language).split("-")[0]
        left_out = (
            self._left_out() or tag in UNREAD or lang != self.language or attributes.get("translate") == "no"
        )
        if not left_out:
            self.pieces += [attributes[name] for name in READ_ATTRIBUTES if attributes.get(name)]
            if tag == "input" and attributes.get("type") in BUTTON_INPUTS and attributes.get("value"):
                self.pieces.append(attributes["value"])
        if tag not in VOID:
            self.open.append((tag, left_out))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        if not self._left_out() and data.strip():
            self.pieces.append(data)


def _catalogue(language):
    """[(msgid, msgstr)] of locale/<language>/LC_MESSAGES/django.po, without its header."""
    entries, current, msgid, msgstr = [], None, [], []
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    for line in [*path.read_text(encoding="utf-8").splitlines(), "msgid END"]:
        if line.startswith("msgid "):
            if msgid or msgstr:
                entries.append((" ".join(msgid), " ".join(msgstr)))
            msgid, msgstr, current = [], [], "msgid"
            line = line[len("msgid ") :]
        elif line.startswith("msgid_plural "):
            current, line = "msgid", line[len("msgid_plural ") :]
        elif line.startswith("msgstr"):
            current, line = "msgstr", line.split(" ", 1)[1]
        elif line.startswith("msgctxt"):
            current = None
        if current and line.startswith('"'):
            (msgid if current == "msgid" else msgstr).append(line[1:-1].replace("\\n", " "))
    return [(source, translation) for source, translation in entries if source.strip()]


def _ascii_words(text):
    """The words of text that are written in ASCII letters only ("görüşme" is no English word)."""
    text = PLACEHOLDERS.sub(" ", text)
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    return {word.lower() for word in ANY_WORD.findall(text) if word.isascii() and len(word) > 1}


@functools.cache
def english_words():
    """Every word of the interface's English source text."""
    return frozenset().union(*(_ascii_words(source) for source, _translation in _catalogue("ko")))


@functools.cache
def words_of_the_translation(language):
    """The ASCII words the translators of `language` wrote themselves: that language's own or kept names."""
    return frozenset().union(*(_ascii_words(translation) for _source, translation in _catalogue(language)))


def stored_texts():
    """Every text the database holds in the portal's own tables (the pages' content), each line apart,
    longest first; choice codes ("city") are left out, as pages show their translated labels."""
    texts = set()
    ours = [config for config in apps.get_app_configs() if config.name.startswith(("matching.", "portal."))]
    for model in (model for config in ours for model in config.get_models()):
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField, models.FileField)) and not field.choices
        ]
        for row in model.objects.values_list(*fields) if fields else ():
            for value in row:
                texts.update(" ".join(line.split()) for line in str(value or "").splitlines())
    # The bundled data set's places are data too: a country the portal has no row of is named in English.
    texts.update(" ".join(country.name_en.split()) for country in dataset.countries().values())
    return sorted((text for text in texts if len(text) > 2), key=len, reverse=True)


@functools.cache
def place_names():
    """The bundled data set's city and country names and the IANA time zones: data a page may show in
    English (a city of no Korean name on a Korean page, a time zone select)."""
    cities = {city.name_en for code in dataset.countries() for city in dataset.cities_of(code)}
    countries = {country.name_en for country in dataset.countries().values()}
    return frozenset(" ".join(name.split()) for name in cities | countries)


@functools.lru_cache(maxsize=4)
def _phrases(phrases):
    """A pattern of these phrases as whole words ("Man" takes nothing out of "Isle of Mankind", but a Korean
    particle may follow: "Bangkok에서"), longest first."""
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")


def english_runs(html, language, content):
    """The runs of English words of the interface that a page in `language` shows."""
    parser = ShownText(language)
    parser.feed(html)
    text = "\n".join(" ".join(piece.split()) for piece in parser.pieces)
    text = ADDRESSES.sub("\n", text)
    text = ZONE_LIKE.sub(lambda match: "\n" if match.group() in ZONES else match.group(), text)
    text = _phrases(tuple(content) + tuple(ALLOWED_PHRASES)).sub("\n", text)
    # A word with a letter beyond ASCII is no English word, and none of it is ("sayısı" holds no "say").
    text = ANY_WORD.sub(lambda match: match.group() if match.group().isascii() else "\n", text)
    english, own = english_words(), words_of_the_translation(language)
    runs = set()
    for run in RUN.findall(text):
        name = run.strip(" -–/&,.:()")
        if name in place_names() or name in ZONES:
            continue
        words = [word for word in ASCII_WORD.findall(run) if len(word) > 1 and word not in ALLOWED_WORDS]
        if any(word.lower() in english and word.lower() not in own for word in words):
            runs.add(name)
    return runs


def test_text_marked_not_to_be_translated_is_not_read_as_the_pages_language():
    parser = ShownText("tr")
    parser.feed('<p translate="no">K7WE-3FQA</p><p>Kod: <b translate="no">WE</b> tamam</p>')

    assert parser.pieces == ["Kod: ", " tamam"]


def new_leaks(label, html, language, content):
    """The English runs of the page that KNOWN_LEAKS does not list for its matrix label."""
    known = KNOWN_LEAKS.get(label, ())
    return {run for run in english_runs(html, language, content) if run[:RUN_KEPT] not in known}


def matrix_pages(world, role):
    """(label, URL) of the matrix's GET requests that `role` opens with a 200, the requests that only
    read first (the others change the world as they are built)."""
    labels = [label for label in EXPECTED if getattr(REQUESTS[label], "reads_only", False)]
    labels += [label for label in EXPECTED if label not in labels]
    for label in labels:
        if EXPECTED[label][role] != 200:
            continue
        method, url, _ = REQUESTS[label](world)
        if method == "get":
            yield label, url


CASES = [(role, language) for role in ROLES for language in LANGUAGES]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "language"), CASES, ids=[f"{role}-{language}" for role, language in CASES])
def test_no_page_of_the_matrix_shows_english_words_in_another_language(client, world, role, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if role != ANON:
        user = world["users"][role]
        User.objects.filter(pk=user.pk).update(language=language)
        client.force_login(user)
    found, checked = {}, []
    content = stored_texts()
    for label, url in matrix_pages(world, role):
        response = client.get(url)
        if response.streaming or not response["Content-Type"].startswith("text/html"):
            if response.streaming:
                b"".join(response.streaming_content)
            continue  # a file: PDF, image, calendar, spreadsheet, JSON
        assert response.status_code == 200, f"{label}: {url}"
        assert response["Content-Language"] == language, f"{label}: {url}"
        checked.append(label)
        html = response.content.decode()
        leaks = new_leaks(label, html, language, content)
        if leaks:  # the request may have made what its page shows (a draft event): read the content again
            content = stored_texts()
            leaks = new_leaks(label, html, language, content)
        if leaks:
            found[f"{label} {url}"] = sorted(leaks)

    assert checked, "no page was checked"
    assert not found, f"English on {language} pages as {role}:\n" + "\n".join(
        f"  {where}: {' | '.join(runs)}" for where, runs in found.items()
    )


def test_english_runs_leave_out_content_marked_in_another_language_and_allowed_names():
    html = (
        '<html lang="th"><head><title>Demands · K-Smart City</title><style>.x{}</style></head><body>'
        '<p>ความต้องการ <span lang="en">Flood warning sirens</span> · KOTRA · Chiang Mai Municipality</p>'
        '<input type="submit" value="Search"><input type="text" value="typed by the user">'
        '<a href="/x" aria-label="Next page">»</a><script>const label = "Close";</script>'
        "<p>sales@example.com https://example.com/about</p></body></html>"
    )

    runs = english_runs(html, "th", content=["Chiang Mai Municipality"])

    assert runs == {"Demands", "Search", "Next page"}


def test_turkish_words_written_alike_in_english_are_not_taken_for_english():
    # "Not" (a note) and "form" are Turkish too; the Turkish catalogue itself uses them.
    html = '<html lang="tr"><body><p>Not</p><p>Form</p><p>Search</p></body></html>'

    assert english_runs(html, "tr", content=[]) == {"Search"}
