"""The ministry's report: the press release's figures from the staff's log and the MOU records, per event
and per year, as a PDF (fonts embedded, read back as text and rendered to an image) and an Excel workbook."""

import datetime as dt
import io
from decimal import Decimal

import pypdfium2
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from matching.consultations.events.models import Event
from matching.consultations.outcomes.models import Mou, Outcome
from matching.consultations.reporting import exports, ministry, ministry_render
from portal.accounts.models import User
from tests import factories
from tests.consultations.conftest import past_bangkok_roadshow
from tests.consultations.test_agendas import slot_at

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", stdout=io.StringIO())


def _press_release(report):
    t = report.totals
    return t.smes, t.buyers, t.consultations, t.mous


def _pdf_text(content):
    document = pypdfium2.PdfDocument(content)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_on_the_demo_data_each_event_says_the_press_releases_figures_from_the_staff_log():
    _seed()
    bangkok = ministry.ministry_report(Event.objects.filter(slug="bangkok-2022"))
    istanbul = ministry.ministry_report(Event.objects.filter(slug="istanbul-2022"))

    assert _press_release(bangkok) == (12, 26, 80, 4)
    assert _press_release(istanbul) == (7, 50, 70, 2)
    # Of the staff's 80 and 70 records, 2 each are no-shows; a cancelled meeting has no record.
    assert (bangkok.totals.held, bangkok.totals.no_shows) == (78, 2)
    assert (istanbul.totals.held, istanbul.totals.no_shows) == (68, 2)
    assert bangkok.totals.value_usd == Decimal("20012000.00")
    assert istanbul.totals.value_usd == Decimal("13872000.00")
    assert [mou.kind for mou in bangkok.mous] == ["company"] * 4
    assert bangkok.association_mous == []
    assert sum(n for _city, n, _held in bangkok.by_city) == 80
    assert sum(n for _city, n, _held in istanbul.by_city) == 70
    assert bangkok.by_city[0][0]["name_en"] == "Bangkok"
    assert bangkok.by_city[0][1:] == (27, 27)
    assert [(s.months, s.planned, s.asked, s.answered) for s in bangkok.follow_ups] == [
        (1, 78, 78, 78),
        (3, 78, 0, 0),
        (6, 78, 0, 0),
    ]
    assert bangkok.follow_ups[0].progress == {"moving": 52, "won": 4, "dropped": 22}


def test_the_year_report_adds_up_both_roadshows_of_2022():
    _seed()
    report = ministry.ministry_report(Event.objects.filter(start_date__year=2022), year=2022)

    assert _press_release(report) == (19, 76, 150, 6)
    assert [each.event.slug for each in report.events] == ["bangkok-2022", "istanbul-2022"]


def test_members_own_records_do_not_count_only_the_staffs(bangkok_centre):
    event = past_bangkok_roadshow(bangkok_centre)
    meeting = factories.MeetingFactory(slot=slot_at(event, 9, 30))
    factories.OutcomeFactory(meeting=meeting, side=Outcome.Side.SME, estimated_value_usd=Decimal("999"))

    report = ministry.ministry_report(Event.objects.filter(pk=event.pk))

    assert (report.totals.consultations, report.totals.value_usd) == (0, Decimal())


def _held_meeting(event, hour, minute=0):
    meeting = factories.MeetingFactory(slot=slot_at(event, hour, minute), status="held")
    factories.SolutionFactory(company=meeting.sme.company)  # in a category of its own
    factories.OutcomeFactory(meeting=meeting, side=Outcome.Side.STAFF, estimated_value_usd=Decimal("1000"))
    factories.MouFactory(meeting=meeting)
    factories.FollowUpFactory(meeting=meeting, months=1)
    return meeting


def test_the_report_takes_eight_queries_however_many_meetings_and_mous(bangkok_centre):
    event = past_bangkok_roadshow(bangkok_centre)
    _held_meeting(event, 9, 30)
    events = Event.objects.filter(pk=event.pk)
    with CaptureQueriesContext(connection) as one:
        ministry.ministry_report(events)
    for hour in (10, 11, 13, 14, 15):
        _held_meeting(event, hour)

    with CaptureQueriesContext(connection) as six:
        report = ministry.ministry_report(events)

    assert (report.totals.consultations, report.totals.mous) == (6, 6)
    assert len(report.by_category) == 6
    assert report.totals.value_usd == Decimal("6000")
    assert len(one) == len(six) == 8


def test_staff_download_the_korean_pdf_with_the_figures_and_korean_and_thai_names(client):
    _seed()
    client.force_login(User.objects.get(username="staff-bangkok"))
    event = Event.objects.get(slug="bangkok-2022")

    response = client.get(f"/dashboard/events/{event.pk}/ministry-report-ko.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ministry-report-bangkok-2022-ko.pdf"'
    text = _pdf_text(response.content)
    words = " ".join(text.split())
    assert "한국 중소기업 12개사와 해외 참가 기관 26곳이 상담 80건(진행 완료 78건, 불참 2건)" in words
    assert "MOU 4건을 체결했습니다" in words  # the press release's sentence, in Korean
    assert "방콕" in text  # Bangkok, in Korean
    assert "กรุงเทพมหานคร" in text  # and as written in Thailand
    assert "한빛스마트파킹" in text  # the Korean company of an MOU
    page = pypdfium2.PdfDocument(response.content)[0].render(scale=1).to_pil().convert("L")
    assert page.size == (596, 842)  # A4 (595.3 x 841.9 points) at 72 dpi
    assert page.getextrema() == (0, 255)  # ink on paper, not a blank page


def test_the_fonts_are_embedded_in_the_pdf(client):
    _seed()
    client.force_login(User.objects.get(username="admin"))

    content = client.get("/dashboard/2022/ministry-report-en.pdf").content

    assert b"/FontFile2" in content or b"/FontFile3" in content
    assert b"NotoSansCJK" in content.replace(b"#20", b"") or b"Noto" in content
    assert b"Garuda" in content


def test_the_excel_report_has_numbers_and_real_dates(client):
    _seed()
    client.force_login(User.objects.get(username="admin"))

    response = client.get("/dashboard/2022/ministry-report-en.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Summary", "MOUs", "By city", "By category", "Follow-ups"]
    summary = list(workbook["Summary"].iter_rows(min_row=2, max_row=4, values_only=True))
    assert summary[0][:10] == (
        "Smart City Roadshow Bangkok 2022", "Bangkok", dt.datetime(2022, 10, 6), dt.datetime(2022, 10, 7),
        12, 26, 80, 78, 2, 4,
    )  # fmt: skip
    assert summary[2][4:10] == (19, 76, 150, 146, 4, 6)
    assert summary[2][10] == 33884000
    signed = [row[1] for row in workbook["MOUs"].iter_rows(min_row=2, values_only=True)]
    assert len(signed) == 6
    assert all(isinstance(day, dt.datetime) for day in signed)


def test_istanbul_staff_get_their_own_year_report_and_not_bangkoks_event(client):
    _seed()
    client.force_login(User.objects.get(username="staff-istanbul"))
    bangkok = Event.objects.get(slug="bangkok-2022")

    year = client.get("/dashboard/2022/ministry-report-en.pdf")

    assert client.get(f"/dashboard/events/{bangkok.pk}/ministry-report-en.pdf").status_code == 404
    assert client.get("/dashboard/2019/ministry-report-en.pdf").status_code == 404
    text = " ".join(_pdf_text(year.content).split())
    assert "7 Korean SMEs and 50 foreign participants held 70 consultations" in text
    assert "Bangkok" not in text


def test_without_its_fonts_the_pdf_is_refused_with_a_clear_message(
    client, centre_staff, bangkok_centre, settings
):
    event = past_bangkok_roadshow(bangkok_centre)
    settings.MINISTRY_REPORT_FONTS = ministry_render.DEFAULT_FONTS | {
        "thai": ("/usr/share/fonts/truetype/tlwg/Missing.ttf", None)
    }
    client.force_login(centre_staff)

    response = client.get(f"/dashboard/events/{event.pk}/ministry-report-ko.pdf")

    assert response.status_code == 503
    assert response.content.decode() == (
        "The ministry's report needs the thai font /usr/share/fonts/truetype/tlwg/Missing.ttf "
        "(Debian packages fonts-noto-cjk, fonts-thai-tlwg and fonts-dejavu-core); it is not installed, "
        "so no PDF is made."
    )


def test_a_name_no_font_can_print_is_refused_rather_than_printed_as_a_box(bangkok_centre):
    event = past_bangkok_roadshow(bangkok_centre)
    meeting = _held_meeting(event, 9, 30)
    Mou.objects.filter(meeting=meeting).update(title="MOU \U00013000")  # an Egyptian hieroglyph
    report = ministry.ministry_report(Event.objects.filter(pk=event.pk))

    with translation.override("en"), pytest.raises(ministry_render.ReportFontMissing, match="glyph"):
        ministry_render.render_pdf(report)
