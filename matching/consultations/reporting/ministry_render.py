"""The ministry's report (ministry.MinistryReport) rendered as a PDF (fpdf2, Debian's Noto Sans CJK KR
and TLWG Garuda embedded and subset, so Korean, Thai and Turkish names print) and as an Excel workbook
(openpyxl: numbers as numbers, dates as dates). Both in the language of translation.override(...).

Without the fonts the PDF is refused (ReportFontMissing) rather than printed with empty boxes; a name
with a character neither font has is refused the same way.
"""

import datetime as dt
import functools
import io
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fontTools.ttLib import TTCollection, TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from matching.consultations.outcomes.models import FollowUp, Mou
from portal.common.localised import localised

# (path, index in a font collection or None). Debian: fonts-noto-cjk, fonts-thai-tlwg (.ci/run installs them).
DEFAULT_FONTS = {
    "regular": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 1),  # 1: Noto Sans CJK KR
    "bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 1),
    "thai": ("/usr/share/fonts/truetype/tlwg/Garuda.ttf", None),
    # Turkish capitals with a dot (İ) and other Latin letters the CJK font lacks: fonts-dejavu-core.
    "latin": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", None),
}
PROGRESS = [choice.value for choice in FollowUp.Progress]
# fpdf2 subsets the fonts with fontTools, which logs every table it subsets at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


class ReportFontMissing(RuntimeError):
    """A font the PDF needs is not installed, or has no glyph for a character of the report."""


def _fonts():
    return getattr(settings, "MINISTRY_REPORT_FONTS", DEFAULT_FONTS)


@functools.cache
def _cmap(path, index):
    """The characters a font file has glyphs for."""
    font = TTCollection(path).fonts[index] if index is not None else TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


def _check_fonts(fonts):
    for role, (path, _index) in fonts.items():
        if not Path(path).is_file():
            raise ReportFontMissing(
                f"The ministry's report needs the {role} font {path} (Debian packages fonts-noto-cjk, "
                "fonts-thai-tlwg and fonts-dejavu-core); it is not installed, so no PDF is made."
            )


# ------------------------------------------------------------------ names in the report's language


def _korean():
    return (get_language() or "").startswith("ko")


def company_name(company):
    return company.name_ko if _korean() and company.name_ko else company.name_en


def buyer_name(buyer):
    return f"{buyer.name} ({buyer.name_local})" if buyer.name_local else buyer.name


def city_name(city):
    """The city in the report's language, with its local name (ขอนแก่น) beside it."""
    name = city["name_ko"] if _korean() else city["name_en"]
    return f"{name} ({city['name_local']})" if city["name_local"] and city["name_local"] != name else name


def scope_title(report):
    if report.year is not None:
        return _("Smart City roadshows of %(year)s") % {"year": report.year}
    return ", ".join(each.event.name for each in report.events)


def headline(report):
    """The press release's first sentence."""
    totals = report.totals
    return _(
        "%(smes)s Korean SMEs and %(buyers)s foreign participants held %(consultations)s consultations "
        "(%(held)s held, %(no_shows)s no-shows) and signed %(mous)s MOUs, with an estimated value of "
        "USD %(value)s."
    ) % {
        "smes": totals.smes,
        "buyers": totals.buyers,
        "consultations": totals.consultations,
        "held": totals.held,
        "no_shows": totals.no_shows,
        "mous": totals.mous,
        "value": f"{totals.value_usd:,.0f}",
    }


def _event_columns():
    return [
        _("Event"), _("City"), _("Dates"), _("Korean SMEs"), _("Foreign participants"), _("Consultations"),
        _("Held"), _("MOUs"), _("Estimated value (USD)"),
    ]  # fmt: skip


def _follow_up_columns():
    return [_("Months after"), _("Planned"), _("Asked"), _("Answered")] + [
        str(FollowUp.Progress(value).label) for value in PROGRESS
    ]


def _mou_columns():
    return [_("Signed on"), _("Event"), _("Korean company"), _("Foreign party"), _("Subject")]


# ------------------------------------------------------------------ PDF


class _Pdf(FPDF):
    def __init__(self, fonts):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.cmaps = [_cmap(path, index) for path, index in fonts.values()]
        for role, (path, index) in fonts.items():
            self.add_font(role, fname=path, collection_font_number=index or 0)
        self.set_fallback_fonts(["thai", "latin"], exact_match=False)
        self.set_text_shaping(True)
        self.set_auto_page_break(True, margin=15)
        self.set_margins(15, 15, 15)

    def checked(self, text):
        text = str(text)
        missing = sorted(
            {ch for ch in text if not ch.isspace() and not any(ord(ch) in c for c in self.cmaps)}
        )
        if missing:
            raise ReportFontMissing(f"No installed font has a glyph for {''.join(missing)!r} in {text!r}.")
        return text

    def heading(self, text, size=13):
        self.ln(3)
        self.set_font("bold", size=size)
        self.multi_cell(0, size * 0.55, self.checked(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("regular", size=9)
        self.ln(1)

    def paragraph(self, text):
        self.set_font("regular", size=10)
        self.multi_cell(0, 5.5, self.checked(text), new_x="LMARGIN", new_y="NEXT")

    def grid(self, columns, rows, widths=None, numeric_from=None):
        numeric_from = len(columns) if numeric_from is None else numeric_from
        self.set_font("regular", size=8)
        with self.table(
            col_widths=widths,
            text_align=["LEFT"] * numeric_from + ["RIGHT"] * (len(columns) - numeric_from),
            line_height=4.5,
            first_row_as_headings=True,
            headings_style=FontFace(family="bold", fill_color=(230, 236, 245)),
        ) as table:
            header = table.row()
            for column in columns:
                header.cell(self.checked(column))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(self.checked(value))


def _number(value):
    return f"{value:,.0f}" if not isinstance(value, int) else f"{value:,}"


def render_pdf(report):
    """The report as PDF bytes, in the active language."""
    fonts = _fonts()
    _check_fonts(fonts)
    pdf = _Pdf(fonts)
    pdf.set_title(str(_("The ministry's report")) + " · " + scope_title(report))
    pdf.set_creator("K-Smart City export portal")
    pdf.add_page()
    pdf.set_font("regular", size=9)
    pdf.cell(
        0, 5, pdf.checked(_("Press release · K-Smart City export portal")), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.heading(scope_title(report), size=16)
    pdf.paragraph(headline(report))

    pdf.heading(_("Participants and consultations"))
    rows = [
        [
            each.event.name,
            localised(each.event.city, "name"),
            f"{date_format(each.event.start_date, 'SHORT_DATE_FORMAT')} – "
            f"{date_format(each.event.end_date, 'SHORT_DATE_FORMAT')}",
            _number(each.smes),
            _number(each.buyers),
            _number(each.consultations),
            _number(each.held),
            _number(each.mous),
            _number(each.value_usd),
        ]  # fmt: skip
        for each in report.events
    ]
    totals = report.totals
    rows.append([
        _("Total"), "", "", _number(totals.smes), _number(totals.buyers), _number(totals.consultations),
        _number(totals.held), _number(totals.mous), _number(totals.value_usd),
    ])  # fmt: skip
    pdf.grid(_event_columns(), rows, widths=(34, 20, 26, 14, 18, 18, 12, 12, 26), numeric_from=3)

    pdf.heading(_("MOUs signed: company–company technical cooperation"))
    if report.company_mous:
        pdf.grid(_mou_columns(), [_mou_row(mou) for mou in report.company_mous], widths=(18, 30, 36, 40, 56))
    else:
        pdf.paragraph(_("None recorded."))
    pdf.heading(_("MOUs signed: association–association"))
    if report.association_mous:
        pdf.grid(
            [_("Signed on"), _("Event"), _("Parties"), _("Subject")],
            [
                [_day(mou.signed_on), mou.event.name, mou.parties, mou.title]
                for mou in report.association_mous
            ],
            widths=(18, 30, 76, 56),
        )
    else:
        pdf.paragraph(_("None recorded."))

    pdf.heading(_("Consultations by city"))
    pdf.grid(
        [_("Buyer's city"), _("Consultations"), _("Held")],
        [[city_name(city), _number(n), _number(held)] for city, n, held in report.by_city],
        widths=(110, 35, 35),
        numeric_from=1,
    )
    pdf.heading(_("Consultations by solution category"))
    pdf.grid(
        [_("Solution category"), _("Consultations"), _("Held")],
        [
            [localised(category, "name"), _number(n), _number(held)]
            for category, n, held in report.by_category
        ],
        widths=(110, 35, 35),
        numeric_from=1,
    )
    pdf.paragraph(_("A company with solutions in several categories counts in each of them."))

    pdf.heading(_("Follow-up of the held consultations"))
    pdf.grid(
        _follow_up_columns(),
        [_follow_up_row(status) for status in report.follow_ups],
        widths=(16, 16, 16, 18, 32, 28, 28, 26),
        numeric_from=0,
    )
    pdf.ln(4)
    pdf.set_font("regular", size=8)
    pdf.multi_cell(
        0,
        4,
        pdf.checked(
            _(
                "From the KOTRA staff's consultation log and MOU records (not the participants' own "
                "records). Made on %(date)s."
            )
            % {"date": date_format(timezone.localdate(), "DATE_FORMAT")}
        ),
    )
    return bytes(pdf.output())


def _day(day):
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _mou_row(mou):
    return [_day(mou.signed_on), mou.event.name, company_name(mou.company), buyer_name(mou.buyer), mou.title]


def _follow_up_row(status):
    return [
        str(status.months), _number(status.planned), _number(status.asked), _number(status.answered),
        *[_number(status.progress.get(value, 0)) for value in PROGRESS],
    ]  # fmt: skip


# ------------------------------------------------------------------ XLSX


def render_xlsx(report):
    """The report as an Excel workbook (bytes), one sheet per table, in the active language."""
    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(title, columns, rows, first=False):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title[:31]
        ws.append(columns)
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    # Text stays text, even "=SUM(...)": no name is ever run as a formula.
                    cell.value = ILLEGAL_CHARACTERS_RE.sub("", cell.value)
                    cell.data_type = "s"
        for index, _column in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = 22
        return ws

    columns = [
        _("Event"), _("City"), _("Starts"), _("Ends"), _("Korean SMEs"), _("Foreign participants"),
        _("Consultations"), _("Held"), _("No-shows"), _("MOUs"), _("Estimated value (USD)"),
    ]  # fmt: skip
    rows = [
        [
            each.event.name,
            localised(each.event.city, "name"),
            each.event.start_date,
            each.event.end_date,
            each.smes,
            each.buyers,
            each.consultations,
            each.held,
            each.no_shows,
            each.mous,
            each.value_usd,
        ]  # fmt: skip
        for each in report.events
    ]
    t = report.totals
    rows.append([_("Total"), None, None, None, t.smes, t.buyers, t.consultations, t.held, t.no_shows, t.mous,
                 t.value_usd])  # fmt: skip
    summary = sheet(str(_("Summary")), columns, rows, first=True)
    for row in summary.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    for row in summary.iter_rows(min_row=2, min_col=11, max_col=11):
        for cell in row:
            cell.number_format = "#,##0.00"
    summary.append([])
    summary.append([headline(report)])

    mou_sheet = sheet(
        str(_("MOUs")),
        [
            _("Type"),
            _("Signed on"),
            _("Event"),
            _("Korean company"),
            _("Foreign party"),
            _("Parties"),
            _("Subject"),
        ],
        [
            [
                str(Mou.Kind(mou.kind).label),
                mou.signed_on,
                mou.event.name,
                company_name(mou.company) if mou.company else None,
                buyer_name(mou.buyer) if mou.buyer else None,
                mou.parties or None,
                mou.title,
            ]  # fmt: skip
            for mou in report.mous
        ],
    )
    for row in mou_sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    sheet(
        str(_("By city")),
        [_("Buyer's city"), _("Consultations"), _("Held")],
        [[city_name(city), n, held] for city, n, held in report.by_city],
    )
    sheet(
        str(_("By category")),
        [_("Solution category"), _("Consultations"), _("Held")],
        [[localised(category, "name"), n, held] for category, n, held in report.by_category],
    )
    sheet(
        str(_("Follow-ups")),
        _follow_up_columns(),
        [
            [status.months, status.planned, status.asked, status.answered]
            + [status.progress.get(value, 0) for value in PROGRESS]
            for status in report.follow_ups
        ],
    )
    workbook.properties.title = scope_title(report)
    workbook.properties.created = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
