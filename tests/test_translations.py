"""The Korean, Thai and Turkish catalogues are complete and their compiled .mo files match the .po files."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = ["ko", "th", "tr"]


def po_file(language):
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"


def _unquote(block):
    return (
        "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def po_entries(language="ko"):
    """(msgid, [msgstr...], flags) for every entry but the header."""
    entries = []
    for chunk in po_file(language).read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in chunk.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        text = "\n".join(line for line in lines if not line.startswith("#"))
        match = re.search(r"^msgid (.*?)^(?:msgid_plural|msgstr)", text, flags=re.S | re.M)
        if not match:
            continue
        msgid = _unquote(match.group(1))
        strings = [
            _unquote(s) for s in re.findall(r"^msgstr(?:\[\d\])? (.*?)(?=^msgstr|\Z)", text, re.S | re.M)
        ]
        if msgid:
            entries.append((msgid, strings, flags))
    return entries


def test_every_interface_language_has_a_catalogue():
    assert sorted(code for code, _name in settings.LANGUAGES if code != "en") == sorted(CATALOGUES)


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = po_entries(language)
    assert len(entries) > 300
    untranslated = [msgid for msgid, strings, _ in entries if not all(strings)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_compiled_catalogue_holds_every_message_of_the_po_file(language):
    with po_file(language).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    # Plural messages are stored under (msgid, 0).
    entries = po_entries(language)
    missing = [msgid for msgid, _, _ in entries if msgid not in compiled and (msgid, 0) not in compiled]
    assert missing == []


@pytest.mark.parametrize("language", ["th", "tr"])
def test_every_catalogue_holds_the_same_messages_as_the_korean_one(language):
    """All three are extracted together (makemessages -l ko -l th -l tr): none lags behind the code."""
    assert {msgid for msgid, _, _ in po_entries(language)} == {msgid for msgid, _, _ in po_entries("ko")}
