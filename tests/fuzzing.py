"""Hypothesis strategies and checks for fuzzing the portal's forms and filters through the test client.

A form is described as {field name: Field}; `submissions(fields)` draws whole submissions that are
mostly valid (so some succeed and store data), valid but for one field, or chaos (any field nasty,
missing or repeated). Text mixes Hangul, Thai, Turkish i forms, emoji with ZWJ sequences, HTML and
script payloads and SQL; nasty values add NUL bytes, 10 000+ character strings, whitespace only,
numbers out of range, malformed dates and invalid choices.
"""

import datetime as dt
import html
import string
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

HANGUL = ("스마트시티 홍수 경보", "홍수를", "교통 혼잡", "서울교통시스템", "ㄱㄴㄷ", "뷁", "사업자등록번호")
THAI = ("กรุงเทพมหานคร", "น้ำท่วม", "เทศบาลนครขอนแก่น", "ก็", "ภาษาไทย")
TURKISH = ("İstanbul", "ıIiİ", "şŞğĞüÜöÖçÇ", "DİYARBAKIR", "Iğdır", "i̇")
EMOJI = ("🚦", "🏙️", "👩‍💻", "👨‍👩‍👧‍👦", "🇰🇷🇹🇭🇹🇷", "🏳️‍🌈", "🫠", "👍🏽")
# Every payload holds one of MARKERS whole; a page that shows it raw is open to script injection.
MARKERS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" autofocus onfocus=alert(1) x="',
)
XSS = (
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    '" autofocus onfocus=alert(1) x="',
    "</textarea><script>alert(1)</script>",
    "<b>bold</b>&amp;",
    "{{ request }}{% debug %}",
)
SQL = ("'; DROP TABLE companies_company; --", "1' OR '1'='1", "%_\\", "$$; SELECT pg_sleep(1); --")
ODD = (
    "\u202eevil\u202c",
    "a\u0301",
    "zero\u200bwidth",
    "line\r\nbreak",
    "tab\there",
    "\x1b[31m",
    "\ufeffbom",
)
PLAIN = ("Smart parking", "Flood warning", "Adaptive signals", "Khon Kaen", "Seoul")
FRAGMENTS = HANGUL + THAI + TURKISH + EMOJI + XSS + SQL + ODD + PLAIN
WHITESPACE = ("", " ", "   ", "\t\n", "\u3000", "\u00a0\u00a0", "\r\n\r\n")
# Numbers and ids: "²" and "١" pass str.isdigit(), int() refuses "²" and more than 4300 digits.
BAD_NUMBERS = (
    "²", "9" * 5_000, "99999999999999999999", "-1", "0", "1e400", "NaN", "١٢", "１２", "0x10", " 7 ", "1.5",
    "-0", "inf", "+5", "1_000",
)  # fmt: skip
BAD_DATES = (
    "2024-02-30", "2024-13-01", "31/12/2024", "99999-01-01", "0000-01-01", "2024-10-06T25:00",
    "yesterday", "-2024-01-01", "2024-1-1", "1e3", "２０２４-１０-０６", "2024-10-06\x00",
)  # fmt: skip
BAD_TIMES = ("24:00", "25:61", "-1:00", "9h30", "noon", "09:30:60", "０９:３０", "99999999")

# Any character hypothesis likes but a NUL (kept for the nasty values) or a lone surrogate (not UTF-8).
_characters = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
fragment = st.one_of(st.sampled_from(FRAGMENTS), st.text(_characters, min_size=1, max_size=12))


def _long(text, length):
    return (text * (length // max(len(text), 1) + 1))[:length]


long_text = st.builds(_long, st.sampled_from(FRAGMENTS), st.integers(10_000, 12_000))
with_nul = st.builds(lambda a, b: f"{a}\x00{b}", fragment | st.just(""), fragment | st.just(""))
repeated = st.lists(fragment | with_nul | st.sampled_from(BAD_NUMBERS), min_size=2, max_size=3)
# One branch per kind of trouble, so each kind comes up in every few nasty values.
nasty = st.one_of(
    with_nul,
    long_text,
    st.sampled_from(WHITESPACE),
    st.sampled_from(XSS + SQL),
    st.sampled_from(BAD_NUMBERS),
    st.sampled_from(BAD_DATES),
    repeated,
)


def text(max_length=None, required=True):
    """Valid-looking text: 1-4 fragments joined, cut to max_length, never blank when required."""

    def build(parts):
        value = " ".join(parts)
        if max_length is not None:
            value = value[:max_length]
        if required and not value.strip():
            value = "x"
        return value

    return st.lists(fragment, min_size=1, max_size=4).map(build)


class Field:
    """One form field: valid-looking values, and values its form must refuse (or clean) without a 500."""

    def valid(self):
        raise NotImplementedError

    def invalid(self):
        return nasty


class Text(Field):
    def __init__(self, max_length=None, required=True):
        self.max_length, self.required = max_length, required

    def valid(self):
        strategy = text(self.max_length, self.required)
        if self.max_length is None:  # unbounded: very long text is valid here
            return strategy | long_text
        return strategy

    def invalid(self):
        too_long = [long_text]
        if self.max_length is not None:
            too_long.append(st.builds(_long, st.sampled_from(FRAGMENTS), st.just(self.max_length + 1)))
        blank = [st.sampled_from(WHITESPACE)] if self.required else []
        return st.one_of(with_nul, *too_long, *blank, nasty)


class Const(Field):
    """A field whose valid value is fixed (a password the user has, a management form count)."""

    def __init__(self, *values):
        self.values = values

    def valid(self):
        return st.sampled_from(self.values)


class Email(Field):
    def valid(self):
        local = st.text(string.ascii_lowercase + string.digits + "._+-", min_size=1, max_size=20).map(
            lambda s: s.strip(".") or "x"
        )
        return st.builds(lambda name, domain: f"{name}@{domain}", local, st.sampled_from(EMAIL_DOMAINS))

    def invalid(self):
        bad = ("not an address", "a@b", "<script>alert(1)</script>@example.com", "홍수@", "x@-.com")
        return st.sampled_from(bad) | nasty


EMAIL_DOMAINS = ("example.com", "khonkaen.go.th", "ibb.istanbul", "스마트.kr", "xn--9n2bp8q.kr")


class URL(Field):
    def valid(self):
        paths = ("", "/", "/ko/소개", "/<script>alert(1)</script>", "/?q=İstanbul&x=1", "/ขอนแก่น#top")
        hosts = ("example.com", "www.khonkaen.go.th", "스마트시티.kr", "ibb.istanbul")
        return st.builds(lambda h, p: f"https://{h}{p}", st.sampled_from(hosts), st.sampled_from(paths))

    def invalid(self):
        bad = ("javascript:alert(1)", "http://", "https://exa mple.com", "ftp//x", "data:text/html,<script>")
        return st.sampled_from(bad) | nasty


class Choice(Field):
    """A choice among `values` (strings); invalid ones are near misses and nasty text."""

    def __init__(self, values):
        self.values = [str(value) for value in values]

    def valid(self):
        return st.sampled_from(self.values)

    def invalid(self):
        near = [value.upper() for value in self.values] + [value + " " for value in self.values]
        return st.sampled_from(near + ["İ", "ı", "other"]) | st.sampled_from(BAD_NUMBERS) | nasty


class Many(Field):
    """A multiple choice (check boxes): a repeated parameter."""

    def __init__(self, values, required=False):
        self.values, self.required = [str(value) for value in values], required

    def valid(self):
        return st.lists(st.sampled_from(self.values), min_size=int(self.required), unique=True)

    def invalid(self):
        return st.lists(st.sampled_from(self.values) | st.sampled_from(BAD_NUMBERS) | with_nul, min_size=1)


class Int(Field):
    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def valid(self):
        return st.integers(self.lo, self.hi).map(str)

    def invalid(self):
        outside = st.one_of(
            st.integers(max_value=self.lo - 1), st.integers(min_value=self.hi + 1), st.integers()
        ).map(str)
        return outside | st.sampled_from(BAD_NUMBERS) | nasty


class Decimal(Field):
    def __init__(self, hi):
        self.hi = hi

    def valid(self):
        return st.decimals(0, self.hi, places=2).map(str)

    def invalid(self):
        huge = ("1e400", "-5", "123456789012345678901234567890", "0.001", "1,000", "NaN", "-Infinity")
        return st.sampled_from(huge) | nasty


class Date(Field):
    def __init__(self, *valid):
        self.values = valid or ("2030-10-06", "2030-10-07", "0001-01-01", "9999-12-31")

    def valid(self):
        return st.sampled_from(self.values) | st.dates().map(str)

    def invalid(self):
        return st.sampled_from(BAD_DATES) | nasty


EDGE_DATETIMES = ("0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59", "2101-01-01T00:00")


class DateTime(Field):
    def valid(self):
        years = st.datetimes(dt.datetime(2000, 1, 2), dt.datetime(2100, 12, 30))
        return st.sampled_from(("", "2030-10-01T18:00")) | years.map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))

    def invalid(self):
        return st.sampled_from(EDGE_DATETIMES + BAD_DATES + BAD_TIMES) | nasty


class Time(Field):
    def __init__(self, *valid):
        self.values = valid

    def valid(self):
        return st.sampled_from(self.values)

    def invalid(self):
        return st.sampled_from(BAD_TIMES) | nasty


class Bool(Field):
    def valid(self):
        return st.sampled_from(["on", "true", "1", "", "false"])


def png_header(width, height):
    """The first bytes of a PNG that claims to be width x height pixels (and has no pixels)."""
    header = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + header + struct.pack(">I", zlib.crc32(header))
    return b"\x89PNG\r\n\x1a\n" + chunk


class Upload(Field):
    """A file: good bytes of the kind, or anything else under a hostile name."""

    def __init__(self, good_name, good_bytes):
        self.good_name, self.good_bytes = good_name, good_bytes

    def valid(self):
        return st.builds(lambda: SimpleUploadedFile(self.good_name, self.good_bytes))

    def invalid(self):
        names = st.sampled_from(
            ("logo.png", "brochure.pdf", "<script>alert(1)</script>.pdf", "홍수.pdf", "x" * 300 + ".pdf")
        )
        contents = st.sampled_from(
            (
                b"",
                b"%PDF-1.7 broken",
                b"\x89PNG\r\n\x1a\n broken",
                png_header(50_000, 50_000),
                b"GIF89a",
                b"<svg onload=alert(1)>",
            )
        ) | st.binary(max_size=64)
        return st.builds(SimpleUploadedFile, names, contents)


MODES = ("valid", "valid", "valid", "one_bad", "one_bad", "one_bad", "chaos", "chaos")


@st.composite
def submissions(draw, fields):
    """A dict of parameters for `fields` (values are strings, lists of strings or uploads)."""
    mode = draw(st.sampled_from(MODES))
    bad = draw(st.sampled_from(sorted(fields))) if mode == "one_bad" and fields else None
    data = {}
    for name, field in fields.items():
        if mode == "chaos":
            how = draw(st.sampled_from(("valid", "invalid", "nasty", "missing")))
        elif name == bad:
            how = draw(st.sampled_from(("invalid", "invalid", "invalid", "nasty", "nasty", "missing")))
        else:
            how = "valid"
        if how == "missing":
            continue
        strategy = {"valid": field.valid, "invalid": field.invalid, "nasty": lambda: nasty}[how]()
        data[name] = draw(strategy)
    return data


# ---------------------------------------------------------------- checks
RAW_SIGNS = [marker.encode() for marker in MARKERS] + [b"<script>alert(", b"<img src=x onerror"]


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def assert_no_raw_payload(response, where):
    """No page shows a payload unescaped, whatever it came from (a stored value or the query)."""
    if not is_html(response) or getattr(response, "streaming", False):
        return
    content = response.content
    for sign in RAW_SIGNS:
        assert sign not in content, f"{where} shows {sign!r} unescaped"


def markers_in(values):
    """The payload markers held whole by any of `values` (strings or lists of strings)."""
    found = set()
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                found.update(marker for marker in MARKERS if marker in item)
    return found


def assert_shown_escaped(response, markers, where):
    """Each stored marker is on the page escaped (so it was stored and rendered as text), never raw."""
    content = response.content.decode()
    for marker in markers:
        assert marker not in content, f"{where} shows the stored {marker!r} unescaped"
        assert html.escape(marker) in content, f"{where} does not show the stored {marker!r} (escaped)"
