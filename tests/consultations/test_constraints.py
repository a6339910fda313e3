"""The database itself refuses double bookings and out-of-range values, on every database we run on.

Each test runs once per alias in settings.DATABASES: "default" and, when the
default is PostgreSQL, the in-memory "sqlite" one as well. Each expected
violation also names the constraint that fired, so a test cannot pass on
the wrong one.
"""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, connections, models, transaction

from matching.companies.models import ReferenceDeployment
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Event, Registration
from matching.consultations.outcomes.models import Outcome
from matching.demands.models import Demand
from matching.kernel.models import Role
from portal.accounts.models import User
from tests import factories

ALIASES = list(settings.DATABASES)

pytestmark = pytest.mark.django_db(databases=ALIASES)


@pytest.fixture(params=ALIASES)
def alias(request):
    """The database under test; every factory writes to it for the length of the test."""
    with factories.using_database(request.param):
        yield request.param


def _constraint(name):
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    raise LookupError(name)


def _sqlite_message(name):
    model, constraint = _constraint(name)
    if isinstance(constraint, models.CheckConstraint):
        return f"CHECK constraint failed: {name}"
    columns = ", ".join(
        f"{model._meta.db_table}.{model._meta.get_field(f).column}" for f in constraint.fields
    )
    return f"UNIQUE constraint failed: {columns}"


@contextlib.contextmanager
def refuses(alias, name):
    """Expect the block to raise IntegrityError from constraint `name`, and roll back only the block."""
    with pytest.raises(IntegrityError) as raised, transaction.atomic(using=alias):
        yield
    if connections[alias].vendor == "postgresql":
        assert raised.value.__cause__.diag.constraint_name == name
    else:
        assert str(raised.value) == _sqlite_message(name)


@pytest.fixture
def booked(alias):
    """One in-person meeting with an interpreter, in an event where everything else is still free."""
    return factories.MeetingFactory(interpreted=True)


@pytest.fixture
def book(alias, booked):
    """Book another meeting in the same event: by default in a free slot, between a new SME and buyer,
    at a free table, so a test only names the one thing the two meetings share."""
    event = booked.slot.event

    def book(**shared):
        fields = {
            "slot": factories.TimeSlotFactory(event=event),
            "sme": factories.SmeRegistrationFactory(event=event),
            "buyer": factories.BuyerRegistrationFactory(event=event),
            "table": factories.TableFactory(event=event),
            **shared,
        }
        return Meeting.objects.using(alias).create(**fields)

    return book


# ---------------------------------------------------------------- double bookings
@pytest.mark.parametrize(
    ("shared", "constraint"),
    [
        (["slot", "sme"], "meeting_sme_once_per_slot"),
        (["slot", "buyer"], "meeting_buyer_once_per_slot"),
        (["slot", "table"], "meeting_table_once_per_slot"),
        (["slot", "interpreter"], "meeting_interpreter_once_per_slot"),
        (["sme", "buyer"], "meeting_pair_once"),
    ],
    ids=[
        "same-sme-twice-in-one-slot",
        "same-buyer-twice-in-one-slot",
        "same-table-twice-in-one-slot",
        "same-interpreter-twice-in-one-slot",
        "same-pair-twice-even-in-another-slot",
    ],
)
def test_database_refuses_a_double_booking(alias, booked, book, shared, constraint):
    with refuses(alias, constraint):
        book(**{field: getattr(booked, field) for field in shared})

    assert list(Meeting.objects.using(alias).values_list("pk", flat=True)) == [booked.pk]


def test_table_and_interpreter_are_free_again_in_the_next_slot(alias, booked, book):
    book(table=booked.table, interpreter=booked.interpreter)

    sharing = Meeting.objects.using(alias).filter(table=booked.table, interpreter=booked.interpreter)
    assert sharing.count() == 2


def test_two_online_meetings_in_one_slot_need_no_table(alias, booked):
    first = factories.MeetingFactory(online=True, slot=booked.slot)
    second = factories.MeetingFactory(online=True, slot=booked.slot)

    assert (first.table, second.table) == (None, None)
    assert Meeting.objects.using(alias).filter(slot=booked.slot).count() == 3


def test_cancelled_meeting_frees_slot_table_interpreter_and_pair(alias, booked, book):
    booked.status = Meeting.Status.CANCELLED
    booked.save(using=alias)

    everything = ["slot", "sme", "buyer", "table", "interpreter"]
    again = book(**{field: getattr(booked, field) for field in everything})

    assert list(Meeting.objects.using(alias).order_by("pk").values_list("pk", "status")) == [
        (booked.pk, "cancelled"),
        (again.pk, "scheduled"),
    ]


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.NO_SHOW])
def test_held_and_no_show_meetings_keep_the_slot(alias, booked, book, status):
    booked.status = status
    booked.save(using=alias)

    with refuses(alias, "meeting_sme_once_per_slot"):
        book(slot=booked.slot, sme=booked.sme)


# ---------------------------------------------------------------- meeting mode
def test_in_person_meeting_without_table_is_refused(alias, book):
    with refuses(alias, "meeting_in_person_needs_table"):
        book(mode=Meeting.Mode.IN_PERSON, table=None)


def test_online_meeting_with_a_table_is_refused(alias, book):
    with refuses(alias, "meeting_in_person_needs_table"):
        book(mode=Meeting.Mode.ONLINE, online_link="https://meet.example.com/room")


def test_online_meeting_without_link_is_refused(alias, book):
    with refuses(alias, "meeting_online_needs_link"):
        book(mode=Meeting.Mode.ONLINE, table=None, online_link="")


# ---------------------------------------------------------------- registrations
def test_registration_for_both_a_company_and_a_buyer_is_refused(alias):
    event = factories.EventFactory()

    with refuses(alias, "registration_is_company_xor_buyer"):
        Registration.objects.using(alias).create(
            event=event, company=factories.CompanyFactory(), buyer=factories.BuyerOrganisationFactory()
        )


def test_registration_for_neither_company_nor_buyer_is_refused(alias):
    event = factories.EventFactory()

    with refuses(alias, "registration_is_company_xor_buyer"):
        Registration.objects.using(alias).create(event=event, company=None, buyer=None)


def test_company_cannot_register_twice_for_one_event(alias):
    registration = factories.SmeRegistrationFactory()

    with refuses(alias, "registration_company_once_per_event"):
        Registration.objects.using(alias).create(event=registration.event, company=registration.company)


def test_buyer_cannot_register_twice_for_one_event(alias):
    registration = factories.BuyerRegistrationFactory()

    with refuses(alias, "registration_buyer_once_per_event"):
        Registration.objects.using(alias).create(event=registration.event, buyer=registration.buyer)


def test_company_may_register_for_two_events(alias):
    registration = factories.SmeRegistrationFactory()

    factories.SmeRegistrationFactory(company=registration.company)

    assert Registration.objects.using(alias).filter(company=registration.company).count() == 2


def test_registration_with_zero_maximum_meetings_is_refused(alias):
    with refuses(alias, "registration_max_meetings_range"):
        factories.SmeRegistrationFactory(max_meetings=0)


# ---------------------------------------------------------------- ranges
def test_event_ending_before_it_starts_is_refused(alias):
    with refuses(alias, "event_ends_after_start"):
        factories.EventFactory(start_date=dt.date(2022, 10, 6), end_date=dt.date(2022, 10, 5))


def test_one_day_event_is_accepted(alias):
    event = factories.EventFactory(start_date=dt.date(2022, 10, 6), end_date=dt.date(2022, 10, 6))

    assert Event.objects.using(alias).get(pk=event.pk).end_date == dt.date(2022, 10, 6)


@pytest.mark.parametrize("minutes", [0, 9, 181])
def test_slot_length_outside_ten_to_180_minutes_is_refused(alias, minutes):
    with refuses(alias, "event_slot_minutes_range"):
        factories.EventFactory(slot_minutes=minutes)


@pytest.mark.parametrize("minutes", [10, 180])
def test_slot_length_of_ten_and_180_minutes_is_accepted(alias, minutes):
    event = factories.EventFactory(slot_minutes=minutes)

    assert Event.objects.using(alias).get(pk=event.pk).slot_minutes == minutes


def test_slot_ending_before_it_starts_is_refused(alias):
    nine_in_bangkok = dt.datetime(2022, 10, 6, 2, 0, tzinfo=dt.UTC)

    with refuses(alias, "slot_ends_after_start"):
        factories.TimeSlotFactory(starts_at=nine_in_bangkok, ends_at=nine_in_bangkok)


def test_negative_estimated_value_is_refused(alias):
    with refuses(alias, "outcome_value_not_negative"):
        factories.OutcomeFactory(estimated_value_usd=Decimal("-1.00"))


def test_zero_estimated_value_is_accepted(alias):
    outcome = factories.OutcomeFactory(estimated_value_usd=Decimal("0.00"))

    assert Outcome.objects.using(alias).get(pk=outcome.pk).estimated_value_usd == Decimal("0.00")


def test_signed_mou_without_a_date_is_refused(alias):
    with refuses(alias, "outcome_mou_signed_has_date"):
        factories.OutcomeFactory(mou_signed=True, mou_signed_on=None)


def test_mou_date_without_a_signed_mou_is_refused(alias):
    with refuses(alias, "outcome_mou_signed_has_date"):
        factories.OutcomeFactory(mou_signed=False, mou_signed_on=dt.date(2022, 10, 7))


def test_signed_mou_with_its_date_is_accepted(alias):
    outcome = factories.OutcomeFactory(mou=True, meeting__slot__event__start_date=dt.date(2022, 10, 6))

    stored = Outcome.objects.using(alias).get(pk=outcome.pk)
    assert (stored.mou_signed, stored.mou_signed_on) == (True, dt.date(2022, 10, 7))


@pytest.mark.parametrize("year", [1800, 1989, 2101])
def test_reference_deployment_year_out_of_range_is_refused(alias, year):
    with refuses(alias, "reference_year_range"):
        factories.ReferenceDeploymentFactory(year=year)


def test_reference_deployment_year_1990_is_accepted(alias):
    reference = factories.ReferenceDeploymentFactory(year=1990)

    assert ReferenceDeployment.objects.using(alias).get(pk=reference.pk).year == 1990


# ---------------------------------------------------------------- accounts and demands
@pytest.mark.parametrize(
    "role", [Role.SME_MEMBER, Role.BUYER_MEMBER, Role.CENTRE_STAFF], ids=["sme", "buyer", "staff"]
)
def test_member_without_an_organisation_is_refused(alias, role):
    with refuses(alias, "user_role_matches_organisation"):
        User.objects.db_manager(alias).create_user(username="orphan", password=factories.PASSWORD, role=role)


def test_sme_member_with_a_trade_centre_as_well_is_refused(alias):
    with refuses(alias, "user_role_matches_organisation"):
        factories.SmeMemberFactory(trade_centre=factories.TradeCentreFactory())


def test_open_demand_without_publication_time_is_refused(alias):
    with refuses(alias, "demand_published_unless_draft"):
        factories.DemandFactory(status=Demand.Status.OPEN, published_at=None)


def test_country_code_must_be_two_capitals(alias):
    with refuses(alias, "country_iso_code_two_capitals"):
        factories.CountryFactory(iso_code="th")


# ---------------------------------------------------------------- proof that PostgreSQL ran
# The partial-index conditions exactly as pg_indexes shows them: a cancelled meeting is outside them.
ACTIVE = "WHERE (NOT ((status)::text = 'cancelled'::text))"
MEETING_INDEXES = {
    "meeting_sme_once_per_slot": (["slot_id", "sme_id"], ACTIVE),
    "meeting_buyer_once_per_slot": (["slot_id", "buyer_id"], ACTIVE),
    "meeting_table_once_per_slot": (
        ["slot_id", "table_id"],
        "WHERE ((NOT ((status)::text = 'cancelled'::text)) AND (table_id IS NOT NULL))",
    ),
    "meeting_interpreter_once_per_slot": (
        ["slot_id", "interpreter_id"],
        "WHERE ((NOT ((status)::text = 'cancelled'::text)) AND (interpreter_id IS NOT NULL))",
    ),
    "meeting_pair_once": (["sme_id", "buyer_id"], ACTIVE),
}


@pytest.mark.postgres
@pytest.mark.django_db
def test_default_database_is_postgresql_with_the_double_booking_indexes():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Meeting._meta.db_table)
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [Meeting._meta.db_table]
        )
        definitions = dict(cursor.fetchall())

    for name, (columns, where) in MEETING_INDEXES.items():
        assert constraints[name]["unique"] is True, name
        assert constraints[name]["columns"] == columns, name
        assert definitions[name].endswith(where), definitions[name]
    assert constraints["meeting_in_person_needs_table"]["check"] is True
    assert constraints["meeting_online_needs_link"]["check"] is True


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_model_constraint_exists_in_postgresql():
    missing = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model._meta.constraints:
                continue
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
            missing += [c.name for c in model._meta.constraints if c.name not in present]

    assert missing == []
