"""`manage.py seed_demo`: idempotent, shaped like the 2022 roadshows, with one working login per role."""

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from matching.companies.models import Company
from matching.companies.validators import is_valid_brn
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Event
from matching.consultations.outcomes.models import Outcome
from matching.kernel.models import ApprovalStatus

APP_LABELS = ("geo", "accounts", "companies", "demands", "consultations", "partnering")
PASSWORD = "demo-portal-2022"


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def domain_models(include_auto_created=False):
    for label in APP_LABELS:
        yield from apps.get_app_config(label).get_models(include_auto_created=include_auto_created)


def row_counts():
    """Rows of every model of the project apps, many-to-many link tables included."""
    return {model._meta.label: model.objects.count() for model in domain_models(include_auto_created=True)}


def roadshow(slug):
    """What the demo holds for one event; meetings leave out cancelled ones."""
    event = Event.objects.select_related("organising_centre").get(slug=slug)
    registrations = event.registrations.filter(status="confirmed")
    mous = Outcome.objects.filter(meeting__slot__event=event, mou_signed=True)
    return {
        "name": event.name,
        "days": (event.start_date, event.end_date),
        "time_zone": event.time_zone,
        "centre": event.organising_centre.code,
        "smes": registrations.filter(company__isnull=False).count(),
        "buyers": registrations.filter(buyer__isnull=False).count(),
        "mous": mous.count(),
        "mou_companies": set(mous.values_list("meeting__sme__company__name_en", flat=True)),
        "meetings": Meeting.objects.filter(slot__event=event)
        .exclude(status=Meeting.Status.CANCELLED)
        .count(),
    }


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_counts():
    seed()
    first = row_counts()
    seed()
    assert row_counts() == first


@pytest.mark.django_db
def test_seed_demo_survives_midnight_where_the_roadshow_took_place(monkeypatch):
    """A seed run that starts just before midnight in Istanbul or Bangkok ends after it: each event's day
    moves on right after it is reopened, and the seeding still writes the whole event, then closes it."""
    real_local_today = Event.local_today
    calls = []

    def local_today_after_midnight(event):
        calls.append(event.pk)
        # event_reopen asks twice (is it over? which day is today?); from then on it is the next day.
        return real_local_today(event) + dt.timedelta(days=1 if len(calls) > 2 else 0)

    monkeypatch.setattr(Event, "local_today", local_today_after_midnight)
    seed()
    assert roadshow("istanbul-2022")["meetings"] > 0
    assert len(calls) > 2
    assert all(event.is_read_only for event in Event.objects.all())


@pytest.mark.django_db
def test_seed_demo_second_run_writes_nothing():
    seed()
    with CaptureQueriesContext(connection) as queries:
        seed()
    statements = [query["sql"].lstrip().upper() for query in queries]
    assert any(sql.startswith("SELECT") for sql in statements)
    assert [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))] == []


# Records of what staff and the portal's tasks did with it, not data a roadshow starts from.
RUN_RECORDS = {"consultations.SchedulerRun", "consultations.MeetingReminder"}


@pytest.mark.django_db
def test_seed_demo_fills_every_table_of_the_domain():
    seed()
    empty = [model._meta.label for model in domain_models() if not model.objects.exists()]
    assert [label for label in empty if label not in RUN_RECORDS] == []


@pytest.mark.django_db
def test_bangkok_roadshow_has_12_smes_26_buyers_about_80_meetings_and_4_mous():
    seed()
    figures = roadshow("bangkok-2022")

    assert 76 <= figures.pop("meetings") <= 84
    assert figures == {
        "name": "Smart City Roadshow Bangkok 2022",
        "days": (dt.date(2022, 10, 6), dt.date(2022, 10, 7)),
        "time_zone": "Asia/Bangkok",
        "centre": "bangkok",
        "smes": 12,
        "buyers": 26,
        "mous": 4,
        "mou_companies": {"Hanbit Smart Parking", "Dasom Safety IoT"},
    }


@pytest.mark.django_db
def test_istanbul_roadshow_has_7_smes_50_buyers_about_70_meetings_and_2_mous():
    seed()
    figures = roadshow("istanbul-2022")

    assert 66 <= figures.pop("meetings") <= 74
    assert figures == {
        "name": "Smart City Roadshow Istanbul 2022",
        "days": (dt.date(2022, 10, 10), dt.date(2022, 10, 11)),
        "time_zone": "Europe/Istanbul",
        "centre": "istanbul",
        "smes": 7,
        "buyers": 50,
        "mous": 2,
        "mou_companies": {"Dasom Safety IoT", "Deunden Structural Safety"},
    }


@pytest.mark.django_db
def test_every_demo_meeting_is_inside_its_roadshow_days_in_local_time():
    seed()
    outside = []
    for meeting in Meeting.objects.select_related("slot__event"):
        event = meeting.slot.event
        local = meeting.slot.starts_at.astimezone(zoneinfo.ZoneInfo(event.time_zone))
        inside_days = event.start_date <= local.date() <= event.end_date
        if not (inside_days and dt.time(9, 30) <= local.time() < dt.time(17, 0)):
            outside.append(str(meeting))
    assert outside == []


@pytest.mark.django_db
def test_demo_meetings_respect_unavailable_slots():
    seed()
    clashes = [
        str(meeting)
        for meeting in Meeting.objects.exclude(status=Meeting.Status.CANCELLED).select_related("slot")
        for registration in (meeting.sme, meeting.buyer)
        if registration.unavailable_slots.filter(pk=meeting.slot_id).exists()
    ]
    assert Meeting.objects.count() > 0
    assert clashes == []


@pytest.mark.django_db
def test_demo_accounts_log_in_with_the_shared_password():
    seed()
    usernames = ("admin", "staff-bangkok", "staff-istanbul", "sme", "buyer")
    login_request = RequestFactory().post("/accounts/login/")
    users = {name: authenticate(login_request, username=name, password=PASSWORD) for name in usernames}

    assert (users["admin"].role, users["admin"].is_superuser, users["admin"].organisation) == (
        "admin",
        True,
        None,
    )
    assert (users["staff-bangkok"].role, users["staff-bangkok"].trade_centre.code) == ("staff", "bangkok")
    assert (users["staff-istanbul"].role, users["staff-istanbul"].trade_centre.code) == ("staff", "istanbul")
    assert users["sme"].role == "sme"
    assert users["sme"].company.registrations.filter(event__slug="bangkok-2022").exists()
    assert users["buyer"].role == "buyer"
    assert users["buyer"].buyer_organisation.city.name_en in {"Khon Kaen", "Bangkok"}


@pytest.mark.django_db
def test_seed_demo_prints_the_figures_and_the_logins():
    output = seed()

    assert "Smart City Roadshow Bangkok 2022: 12 SMEs, 26 buyers, 80 meetings, 4 MOUs" in output
    assert "Smart City Roadshow Istanbul 2022: 7 SMEs, 50 buyers, 70 meetings, 2 MOUs" in output
    for username in ("admin", "staff-bangkok", "staff-istanbul", "sme", "buyer"):
        assert f"  {username} " in output
    assert output.count(PASSWORD) == 5


@pytest.mark.django_db
def test_every_demo_company_has_a_valid_business_registration_number():
    seed()
    numbers = list(Company.objects.values_list("business_registration_number", flat=True))

    assert len(numbers) == 18
    assert [number for number in numbers if not is_valid_brn(number)] == []
    assert Company.objects.filter(approval_status=ApprovalStatus.PENDING).count() == 2


@pytest.mark.django_db
def test_every_demo_row_passes_model_validation():
    seed()
    invalid = {}
    for model in domain_models():
        for row in model.objects.all():
            try:
                row.full_clean()
            except ValidationError as error:
                invalid[f"{model._meta.label} {row.pk}"] = error.message_dict
    assert invalid == {}
