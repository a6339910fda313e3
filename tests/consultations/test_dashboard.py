"""/dashboard/ and /dashboard/export.csv: the roadshows' results for staff (their centre) and admins (all),
equal to the database's counts on the demo data, in a fixed number of queries."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Registration
from matching.consultations.outcomes.models import Mou
from matching.consultations.reporting import exports
from portal.accounts.models import User
from tests import factories
from tests.conftest import empty_cache
from tests.spreadsheets import sheet_rows, workbook_sheet


def _seed():
    call_command("seed_demo", stdout=io.StringIO())


def _by_event(response):
    return {
        e.slug: (
            e.figures.smes,
            e.figures.buyers,
            e.figures.meetings,
            e.figures.held,
            e.figures.no_shows,
            e.figures.mous,
        )
        for e in response.context["results"]["events"]
    }


@pytest.mark.django_db
def test_on_the_demo_data_the_admin_sees_both_roadshows_as_the_database_counts_them(client):
    _seed()
    client.force_login(User.objects.get(username="admin"))

    response = client.get("/dashboard/")

    expected = {}
    for slug in ("bangkok-2022", "istanbul-2022"):
        registrations = Registration.objects.filter(event__slug=slug, status="confirmed")
        meetings = Meeting.objects.filter(slot__event__slug=slug).exclude(status="cancelled")
        expected[slug] = (
            registrations.filter(company__isnull=False).count(),
            registrations.filter(buyer__isnull=False).count(),
            meetings.count(),
            meetings.filter(status="held").count(),
            meetings.filter(status="no_show").count(),
            Mou.objects.filter(event__slug=slug, status="signed").count(),
        )
    assert _by_event(response) == expected
    assert (expected["bangkok-2022"][0:3], expected["bangkok-2022"][5]) == ((12, 26, 80), 4)
    assert (expected["istanbul-2022"][0:3], expected["istanbul-2022"][5]) == ((7, 50, 70), 2)
    assert response.context["results"]["totals"].mous == 6


@pytest.mark.django_db
def test_centre_staff_see_only_their_centres_events_and_its_csv(client):
    _seed()
    client.force_login(User.objects.get(username="staff-bangkok"))

    page = client.get("/dashboard/")
    export = client.get("/dashboard/export.csv")

    assert list(_by_event(page)) == ["bangkok-2022"]
    rows = list(csv.DictReader(io.StringIO(export.content.decode().lstrip("\ufeff"))))
    assert len(rows) == Meeting.objects.filter(slot__event__slug="bangkok-2022").count()
    assert {row["Event"] for row in rows} == {"Smart City Roadshow Bangkok 2022"}
    assert all(row["Starts (event's local time)"].endswith("+07:00") for row in rows)
    assert sum(row["MOU signed"] == "Yes" for row in rows) == 4


@pytest.fixture
def khon_kaen_day(bangkok_centre):
    """A Bangkok centre event with one held meeting, its outcome valued at USD 50 000."""
    event = factories.EventFactory(
        name="Khon Kaen Day", city=bangkok_centre.city, organising_centre=bangkok_centre
    )
    meeting = factories.MeetingFactory(slot=factories.TimeSlotFactory(event=event), status="held")
    factories.OutcomeFactory(meeting=meeting, estimated_value_usd="50000")
    return event


@pytest.mark.django_db
def test_the_csv_has_one_row_per_meeting_with_the_agreed_columns(client, centre_staff, khon_kaen_day):
    event = khon_kaen_day
    client.force_login(centre_staff)

    response = client.get(f"/dashboard/export.csv?event={event.pk}")

    assert response["Content-Disposition"] == f'attachment; filename="meetings-{event.slug}.csv"'
    header = response.content.decode().lstrip("\ufeff").splitlines()[0]
    assert header == (
        "Event,City,Korean company,Buyer,Starts (event's local time),Status,Attendance,Interest,Next step,"
        "Estimated value (USD),MOU signed"
    )
    row = next(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert (row["Status"], row["Attendance"], row["Estimated value (USD)"], row["MOU signed"]) == (
        "Held",
        "Held",
        "50000.00",
        "No",
    )


@pytest.mark.django_db
def test_the_excel_download_has_the_csvs_rows_for_the_staffs_own_centre_only(
    client, centre_staff, other_centre_staff, khon_kaen_day
):
    event = khon_kaen_day
    client.force_login(centre_staff)

    response = client.get(f"/dashboard/export.xlsx?event={event.pk}")
    client.force_login(other_centre_staff)
    other = client.get(f"/dashboard/export.xlsx?event={event.pk}")

    sheet = workbook_sheet(response)
    assert response["Content-Disposition"] == f'attachment; filename="meetings-{event.slug}.xlsx"'
    assert [cell.value for cell in next(sheet.iter_rows())] == [
        str(c.header) for c in exports.MEETING_COLUMNS
    ]
    (row,) = sheet_rows(sheet)
    assert (row["Event"].value, row["Status"].value, row["Estimated value (USD)"].value) == (
        "Khon Kaen Day",
        "Held",
        50000,
    )
    assert row["Starts (event's local time)"].is_date
    assert sheet_rows(workbook_sheet(other)) == []  # Istanbul's staff: their own (no) events


@pytest.mark.django_db
def test_the_downloads_are_in_the_language_the_staff_member_chose(client, centre_staff, khon_kaen_day):
    centre_staff.language = "ko"
    centre_staff.save()
    client.force_login(centre_staff)

    workbook = client.get(f"/dashboard/export.xlsx?event={khon_kaen_day.pk}")
    text = client.get(f"/dashboard/export.csv?event={khon_kaen_day.pk}").content.decode().lstrip("\ufeff")

    sheet = workbook_sheet(workbook)
    assert [cell.value for cell in next(sheet.iter_rows())][:4] == ["행사", "도시", "한국 기업", "바이어"]
    (row,) = sheet_rows(sheet)
    assert (row["상태"].value, row["관심도"].value) == ("진행 완료", "높음")
    header, values = list(csv.reader(io.StringIO(text)))
    assert header[:4] == ["행사", "도시", "한국 기업", "바이어"]
    assert "held" not in values and "high" not in values


def _roadshow(centre, n):
    event = factories.EventFactory(name=f"Roadshow {n}", city=centre.city, organising_centre=centre)
    meeting = factories.MeetingFactory(slot=factories.TimeSlotFactory(event=event), status="held")
    factories.OutcomeFactory(meeting=meeting)
    factories.MouFactory(meeting=meeting)
    factories.MeetingRequestFactory(event=event)


@pytest.mark.django_db
def test_the_dashboard_query_count_does_not_grow_with_events(client, centre_staff, bangkok_centre):
    _roadshow(bangkok_centre, 1)
    client.force_login(centre_staff)
    client.get("/dashboard/")
    empty_cache()  # the figures as computed when their cached copy expired
    with CaptureQueriesContext(connection) as one:
        client.get("/dashboard/")
    for n in range(2, 6):
        _roadshow(bangkok_centre, n)

    empty_cache()
    with CaptureQueriesContext(connection) as five:
        response = client.get("/dashboard/")

    assert len(response.context["results"]["events"]) == 5
    assert len(five) == len(one)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/export.csv"])
def test_members_cannot_see_the_dashboard(client, sme_owner, url):
    client.force_login(sme_owner)

    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_admins_see_the_figures_per_centre(client):
    _seed()
    client.force_login(User.objects.get(username="admin"))

    response = client.get("/dashboard/")

    centres = response.context["results"]["centres"]
    per_centre = {str(centre): (f.smes, f.meetings, f.mous) for centre, f in centres}
    assert per_centre == {"KOTRA Bangkok": (12, 80, 4), "KOTRA Istanbul": (7, 70, 2)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, note",
    [
        ("en", "the rows can add up to more than the totals"),
        ("ko", "각 행의 합이 전체 수보다 클 수 있습니다"),
    ],
)
def test_the_category_table_says_why_its_rows_can_add_up_to_more_than_the_totals(
    client, centre_staff, language, note
):
    User.objects.update(language="")  # nobody chose a language: the browser's (or cookie's) decides
    client.force_login(centre_staff)

    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    section = page.split('id="category-table-heading"', 1)[1].split("</section>", 1)[0]
    assert note in section
