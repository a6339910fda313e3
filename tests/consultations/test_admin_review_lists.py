"""The admin that admins review in: the lists of meetings, outcomes and MOUs show attendance, interest, next
step and reviewer in short columns; a meeting's label is short; history pages name people (never
"Deleted user (pk=None)"); the programme and the arrivals are listed; the admin carries the portal's name
and speaks the admin's language."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.consultations.booking.models import Meeting
from matching.consultations.outcomes import services as outcome_services
from matching.consultations.outcomes.models import Mou, Outcome
from portal.privacy import erasure
from tests import factories
from tests.consultations.conftest import past_bangkok_roadshow

pytestmark = pytest.mark.django_db

MEETINGS = "/admin/consultations/meeting/"
OUTCOMES = "/admin/consultations/outcome/"
MOUS = "/admin/consultations/mou/"
ARRIVALS = "/admin/consultations/arrival/"
SESSIONS = "/admin/consultations/programmesession/"
REVIEWED_AT = dt.datetime(2022, 10, 8, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def reviewer(admin):
    """The admin the tests log in as, named Soo-ah Park."""
    admin.first_name, admin.last_name = "Soo-ah", "Park"
    admin.save()
    return admin


def bangkok_meeting(event, company="Hanbit Smart Parking", buyer="Khon Kaen City", hour_utc=7, table="T3"):
    """A held meeting of the Bangkok roadshow at `table`, 14:00 Bangkok time by default."""
    return factories.MeetingFactory(
        slot=factories.TimeSlotFactory(
            event=event, starts_at=dt.datetime(2022, 10, 6, hour_utc, 0, tzinfo=dt.UTC)
        ),
        table=factories.TableFactory(event=event, name=table),
        sme=factories.SmeRegistrationFactory(event=event, company=factories.CompanyFactory(name_en=company)),
        buyer=factories.BuyerRegistrationFactory(
            event=event, buyer=factories.BuyerOrganisationFactory(name=buyer)
        ),
        status="held",
    )


def reviewed_outcome(meeting, reviewer, **fields):
    outcome = factories.OutcomeFactory(meeting=meeting, next_step=Outcome.NextStep.SITE_VISIT, **fields)
    Outcome.objects.filter(pk=outcome.pk).update(reviewed_by=reviewer, reviewed_at=REVIEWED_AT)
    return outcome


@pytest.fixture
def event(bangkok_centre):
    return past_bangkok_roadshow(bangkok_centre)


def cells(response, column, prefix="field-"):
    """The text of each row's cell of `column` in a changelist (a history page's: prefix="history-")."""
    found = re.findall(rf'class="{prefix}{column}[^"]*">(.*?)</t[dh]>', response.content.decode())
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in found]


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# ---------------------------------------------------------------- the meeting's label
def test_a_meetings_label_says_its_table_its_local_start_and_both_sides(event):
    meeting = bangkok_meeting(event)
    online = factories.MeetingFactory(slot=meeting.slot, online=True)

    assert str(meeting) == "T3 · 14:00 · Hanbit Smart Parking – Khon Kaen City"
    assert str(online).startswith("Online · 14:00 · ")


# ---------------------------------------------------------------- the lists
def test_the_meeting_list_shows_the_staffs_outcome_and_its_reviewer(admin_client, reviewer, event):
    reviewed_outcome(bangkok_meeting(event), reviewer)
    factories.OutcomeFactory(meeting=bangkok_meeting(event, "Daehan Lighting", "Udon Thani", 3, "T4"))

    response = admin_client.get(MEETINGS)

    assert response.context["cl"].list_display == [
        "action_checkbox", "__str__", "day", "event", "status", "attendance", "interest", "next_step",
        "reviewer", "mou_signed",
    ]  # fmt: skip
    assert cells(response, "__str__") == [
        "T4 · 10:00 · Daehan Lighting – Udon Thani",
        "T3 · 14:00 · Hanbit Smart Parking – Khon Kaen City",
    ]
    assert cells(response, "attendance") == ["Held", "Held"]
    assert cells(response, "interest") == ["High", "High"]
    assert cells(response, "next_step") == ["Send quotation", "Site visit"]
    assert cells(response, "reviewer") == ["-", "Soo-ah Park"]


def test_the_outcome_list_shows_attendance_interest_next_step_and_reviewer_by_name(
    admin_client, reviewer, event
):
    reviewed_outcome(bangkok_meeting(event), reviewer, interest=Outcome.Interest.MEDIUM)

    response = admin_client.get(OUTCOMES)

    assert response.context["cl"].list_display == [
        "action_checkbox", "meeting", "event", "side", "attendance", "interest", "next_step", "value",
        "mou_signed", "reviewer",
    ]  # fmt: skip
    assert cells(response, "meeting") == ["T3 · 14:00 · Hanbit Smart Parking – Khon Kaen City"]
    assert (cells(response, "side"), cells(response, "attendance")) == (["KOTRA staff"], ["Held"])
    assert (cells(response, "interest"), cells(response, "next_step")) == (["Medium"], ["Site visit"])
    assert (cells(response, "value"), cells(response, "reviewer")) == (["125000.00"], ["Soo-ah Park"])
    assert "site_visit</td>" not in response.content.decode()


def test_the_mou_list_names_its_parties_and_reviewer(admin_client, reviewer, event):
    mou = factories.MouFactory(meeting=bangkok_meeting(event), title="Smart parking pilot")
    Mou.objects.filter(pk=mou.pk).update(reviewed_by=reviewer, reviewed_at=REVIEWED_AT)
    factories.MouFactory(
        meeting=None, event=event, company=None, buyer=None, kind=Mou.Kind.ASSOCIATION,
        parties="Korea Smart City Association – Thai Smart City Association", title="Associations",
        signed_on=dt.date(2022, 10, 7),
    )  # fmt: skip

    response = admin_client.get(MOUS)

    assert cells(response, "signed_by") == [
        "Korea Smart City Association – Thai Smart City Association",
        "Hanbit Smart Parking – Khon Kaen City",
    ]
    assert cells(response, "reviewer") == ["-", "Soo-ah Park"]
    assert cells(response, "kind")[1] == "Company–company technical cooperation"


def test_an_mous_page_names_who_recorded_and_reviewed_it(admin_client, reviewer, event):
    recorder = factories.AdminFactory(username="kim-mj", first_name="Min-jun", last_name="Kim")
    mou = factories.MouFactory(meeting=bangkok_meeting(event), recorded_by=recorder)
    Mou.objects.filter(pk=mou.pk).update(reviewed_by=reviewer, reviewed_at=REVIEWED_AT)

    html = admin_client.get(f"{MOUS}{mou.pk}/change/").content.decode()

    assert re.search(r"Min-jun Kim\s*</div>", html) and re.search(r"Soo-ah Park\s*</div>", html)
    assert "kim-mj" not in html


@pytest.mark.parametrize("url", [MEETINGS, OUTCOMES, MOUS, "/admin/consultations/followup/"])
def test_the_review_lists_ask_as_many_queries_for_five_reviewed_meetings_as_for_one(
    admin_client, reviewer, event, url
):
    def add(n):
        meeting = bangkok_meeting(event, f"Company {n}", f"Buyer {n}", hour_utc=2 + n, table=f"T{n}")
        reviewed_outcome(meeting, reviewer)
        mou = factories.MouFactory(meeting=meeting)
        Mou.objects.filter(pk=mou.pk).update(reviewed_by=reviewer, reviewed_at=REVIEWED_AT)
        factories.FollowUpFactory(meeting=meeting)

    add(1)
    _queries(admin_client, url)  # warm the session and content-type caches
    with_one = _queries(admin_client, url)
    for n in range(2, 6):
        add(n)

    assert _queries(admin_client, url) == with_one


# ---------------------------------------------------------------- history names people
def test_the_history_of_an_outcome_names_the_reviewer_and_never_a_deleted_user(admin_client, reviewer, event):
    outcome = factories.OutcomeFactory(meeting=bangkok_meeting(event))
    outcome_services.reviewed_mark(records=Outcome.objects.filter(pk=outcome.pk), reviewer=reviewer)

    response = admin_client.get(f"{OUTCOMES}{outcome.pk}/history/")

    html = response.content.decode()
    assert "pk=None" not in html and "Deleted user" not in html
    # The newest first; the factory saved the outcome outside a request, so nobody made it.
    assert cells(response, "changed-by", prefix="history-") == ["Soo-ah Park", "System"]
    assert "<strong>Reviewed by:</strong> – &rarr; Soo-ah Park" in html
    history = html[html.index('id="change-history"') :]
    assert re.findall(r'<th scope="col">([^<]*)</th>', history)[1:7] == [
        "Attendance", "Interest", "Next step", "Estimated value (USD)", "MOU signed", "Reviewed by",
    ]  # fmt: skip
    assert "<td>High</td>" in html and "<td>Send quotation</td>" in html and "<td>No</td>" in html


def test_the_history_of_an_mou_reviewed_by_an_erased_account_says_deleted_member(admin_client, event):
    former = factories.AdminFactory(username="ji-ho", first_name="Ji-ho", last_name="Lee")
    mou = factories.MouFactory(meeting=bangkok_meeting(event))
    outcome_services.reviewed_mark(records=Mou.objects.filter(pk=mou.pk), reviewer=former)
    erasure.account_erase(user=former)

    response = admin_client.get(f"{MOUS}{mou.pk}/history/")

    html = response.content.decode()
    assert cells(response, "changed-by", prefix="history-") == ["Deleted member", "System"]
    assert "Ji-ho" not in html and "ji-ho" not in html and "pk=None" not in html
    assert "<td>Deleted member</td>" in html  # the "reviewed by" column


# ---------------------------------------------------------------- the programme and the arrivals
def test_arrivals_are_listed_by_event_and_day_and_found_by_participant(admin_client, reviewer, event):
    hanbit = factories.SmeRegistrationFactory(event=event, company=factories.CompanyFactory(name_en="Hanbit"))
    khon_kaen = factories.BuyerRegistrationFactory(
        event=event, buyer=factories.BuyerOrganisationFactory(name="Khon Kaen City")
    )
    factories.ArrivalFactory(registration=hanbit, recorded_by=reviewer)
    factories.ArrivalFactory(registration=khon_kaen, day=dt.date(2022, 10, 7))
    factories.ArrivalFactory()  # another event's

    by_day = admin_client.get(ARRIVALS, {"registration__event__id__exact": event.pk, "day": "2022-10-06"})
    found = admin_client.get(ARRIVALS, {"q": "Khon Kaen"})

    assert [a.registration for a in by_day.context["cl"].result_list] == [hanbit]
    assert (cells(by_day, "local_time"), cells(by_day, "recorder")) == (["09:05"], ["Soo-ah Park"])
    assert [a.registration for a in found.context["cl"].result_list] == [khon_kaen]
    assert admin_client.get(f"{ARRIVALS}add/").status_code == 403


def test_programme_sessions_are_listed_read_only_with_a_link_to_the_programme_page(admin_client, event):
    session = factories.ProgrammeSessionFactory(event=event, title="IR pitches")

    response = admin_client.get(SESSIONS)
    change = admin_client.get(f"{SESSIONS}{session.pk}/change/")

    assert cells(response, "local_start") == ["2022-10-06 10:00"]
    assert f'href="/events/{event.pk}/sessions/"' in response.content.decode()
    assert 'name="_save"' not in change.content.decode()


# ---------------------------------------------------------------- the portal's name, in the admin's language
def test_the_admin_carries_the_portals_name(admin_client):
    html = admin_client.get("/admin/").content.decode()

    assert "K-Smart City export portal · administration" in html
    assert "<title>Run the roadshows | K-Smart City admin</title>" in html


def test_a_korean_admin_gets_the_admin_in_korean(admin_client, reviewer, event):
    reviewer.language = "ko"
    reviewer.save()
    factories.OutcomeFactory(meeting=bangkok_meeting(event))

    index = admin_client.get("/admin/").content.decode()
    outcomes = admin_client.get(OUTCOMES)

    assert '<html lang="ko"' in index
    assert "K-스마트시티 수출 포털 · 관리" in index and "로그아웃" in index
    assert cells(outcomes, "interest") == ["높음"]
    assert cells(outcomes, "side") == ["KOTRA 직원"]


@pytest.mark.parametrize(
    ("language", "header", "log_out"),
    [
        ("th", "พอร์ทัลส่งออก K-Smart City · การดูแลระบบ", "ออกจากระบบ"),
        ("tr", "K-Smart City ihracat portalı · yönetim", "Çıkış yap"),
    ],
)
def test_a_thai_or_turkish_admin_gets_the_admin_in_their_language(
    admin_client, reviewer, language, header, log_out
):
    reviewer.language = language
    reviewer.save()

    html = admin_client.get("/admin/").content.decode()

    assert f'<html lang="{language}"' in html
    assert header in html and log_out in html


def test_every_admin_column_of_ours_has_a_header_in_words():
    """A column that is no model field needs a description, else the admin makes one of its name
    ("Formatted brn") and it is never translated. django-axes' own admins are not ours."""
    from django.contrib import admin
    from django.contrib.admin.utils import label_for_field
    from django.core.exceptions import FieldDoesNotExist

    unnamed = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "axes":
            continue
        for name in [*model_admin.list_display, *getattr(model_admin, "history_list_display", [])]:
            if name in ("__str__", "action_checkbox"):
                continue
            try:
                model._meta.get_field(name)
                continue
            except FieldDoesNotExist:
                pass
            attribute = getattr(model_admin, name, None) or getattr(model, name, None)
            if getattr(attribute, "short_description", None) is None:
                unnamed.append(f"{model._meta.label}.{name}: {label_for_field(name, model, model_admin)}")
    assert unnamed == []


def test_the_company_list_heads_its_number_column_in_words(admin_client, reviewer):
    factories.CompanyFactory()
    reviewer.language = "ko"
    reviewer.save()

    html = admin_client.get("/admin/companies/company/").content.decode()

    assert "사업자등록번호" in html and "Formatted brn" not in html


def test_admins_filter_meetings_by_walk_in_and_by_started_at_the_table(admin_client, event):
    planned = bangkok_meeting(event, company="Planned Co", table="T1")
    walk_in = bangkok_meeting(event, company="Walk-in Co", table="T2", hour_utc=8)
    started = bangkok_meeting(event, company="Started Co", table="T3", hour_utc=9)
    Meeting.objects.filter(pk=walk_in.pk).update(walk_in=True)
    Meeting.objects.filter(pk=started.pk).update(started_at=started.slot.starts_at)

    walk_ins = admin_client.get(MEETINGS, {"walk_in__exact": "1"})
    scanned = admin_client.get(MEETINGS, {"started_at__isempty": "0"})

    assert [row.pk for row in walk_ins.context["cl"].result_list] == [walk_in.pk]
    assert [row.pk for row in scanned.context["cl"].result_list] == [started.pk]
    assert planned.pk not in {row.pk for row in scanned.context["cl"].result_list}
