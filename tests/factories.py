"""factory-boy factories for every model, valid by default (the database refuses anything else).

Build on a second database with `with using_database("sqlite"): ...`: every factory
here then writes through that alias, sub-factories included.
"""

import contextlib
import datetime as dt
import sys
import uuid
import zoneinfo
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from matching.companies.models import Company, ReferenceDeployment, Solution
from matching.companies.validators import brn_check_digit
from matching.consultations.booking.models import Meeting, MeetingReminder, MeetingRequest
from matching.consultations.events.models import (
    Arrival,
    Event,
    Interpreter,
    ProgrammeSession,
    Registration,
    Table,
    TimeSlot,
)
from matching.consultations.outcomes.models import FollowUp, Mou, Outcome
from matching.demands.models import BuyerOrganisation, Demand
from matching.geo.models import City, Country, Language
from matching.kernel.models import ApprovalStatus, Category, Certification, Role, TradeCentre
from portal.accounts.models import Invitation, User

PASSWORD = "k-smart-city-roadshow"


def valid_brn(n):
    """A valid business registration number (10 digits, no dashes) for sequence number n."""
    first_nine = f"220{n % 1_000_000:06d}"
    return f"{first_nine}{brn_check_digit(first_nine)}"


def _iso_code(n):
    # Two capitals, as the country_iso_code_two_capitals constraint asks; starts at "QA"
    # (user-assigned codes) so sequences rarely meet a real country's code.
    n += 16 * 26
    return chr(65 + (n // 26) % 26) + chr(65 + n % 26)


def _names(english, korean):
    """name_en and name_ko sequences: f"{english} {n}", f"{korean} {n}"."""
    return factory.Sequence(lambda n: f"{english} {n}"), factory.Sequence(lambda n: f"{korean} {n}")


def _add_many(field, default=None):
    """A post-generation hook that adds the given objects to many-to-many `field`;
    when none are given, `default(obj)`'s (if there is a default)."""

    def hook(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None and default is not None:
            extracted = default(obj)
        if extracted:
            getattr(obj, field).add(*extracted)

    hook.__name__ = field
    return factory.PostGeneration(hook)


# ---------------------------------------------------------------- geo
class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso_code",)

    iso_code = factory.Sequence(_iso_code)
    name_en, name_ko = _names("Country", "국가")


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("country", "name_en")

    country = factory.SubFactory(CountryFactory)
    name_en, name_ko = _names("City", "도시")
    kind = City.Kind.CITY
    time_zone = "Asia/Bangkok"


class LanguageFactory(DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"q{n}")
    name_en, name_ko = _names("Language", "언어")


# ---------------------------------------------------------------- companies
class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name_en, name_ko = _names("Category", "분야")
    slug = factory.LazyAttribute(lambda o: slugify(o.name_en))


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("code",)

    name_en, name_ko = _names("Certification", "인증")
    code = factory.LazyAttribute(lambda o: slugify(o.name_en))


class CompanyFactory(DjangoModelFactory):
    """An approved company: most tests want one that buyers can see."""

    class Meta:
        model = Company
        skip_postgeneration_save = True
        django_get_or_create = ("business_registration_number",)

    name_en, name_ko = _names("Smart Company", "스마트기업")
    business_registration_number = factory.Sequence(valid_brn)
    size = Company.Size.SMALL
    approval_status = ApprovalStatus.APPROVED
    contact_email = factory.LazyAttribute(lambda o: f"contact@{slugify(o.name_en)}.example")
    export_countries = _add_many("export_countries")
    certifications = _add_many("certifications")
    support_languages = _add_many("support_languages")


class SolutionFactory(DjangoModelFactory):
    class Meta:
        model = Solution
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    name_en, name_ko = _names("Solution", "솔루션")
    problem_solved_en = "Congested junctions waste commuters' time."
    readiness = Solution.Readiness.COMMERCIAL
    categories = _add_many("categories", default=lambda obj: [CategoryFactory()])


class ReferenceDeploymentFactory(DjangoModelFactory):
    class Meta:
        model = ReferenceDeployment

    solution = factory.SubFactory(SolutionFactory)
    city = factory.SubFactory(CityFactory)
    year = 2021
    client = "Metropolitan transport office"
    result = "Travel time down 12 %"


# ---------------------------------------------------------------- accounts
class TradeCentreFactory(DjangoModelFactory):
    class Meta:
        model = TradeCentre
        skip_postgeneration_save = True
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"centre-{n}")
    name_en, name_ko = _names("KOTRA Centre", "KOTRA 무역관")
    city = factory.SubFactory(CityFactory)
    countries = _add_many("countries", default=lambda obj: [obj.city.country])


# ---------------------------------------------------------------- demands
class BuyerOrganisationFactory(DjangoModelFactory):
    """An approved buyer organisation."""

    class Meta:
        model = BuyerOrganisation
        skip_postgeneration_save = True
        django_get_or_create = ("city", "name")

    name = factory.Sequence(lambda n: f"City Authority {n}")
    kind = BuyerOrganisation.Kind.CITY_GOVERNMENT
    city = factory.SubFactory(CityFactory)
    approval_status = ApprovalStatus.APPROVED
    languages = _add_many("languages")


class UserFactory(DjangoModelFactory):
    """An administrator; use the role factories below for everyone else."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(PASSWORD)
    # Chose English in their settings: pages and e-mails in English whatever their organisation's country
    # (tests of the other languages set language="" for the organisation's, or their own).
    language = "en"
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


AdminFactory = UserFactory


class _NotStaffFactory(UserFactory):
    """A user who is not an administrator: no Django admin, no superuser."""

    is_staff = False
    is_superuser = False


class SmeMemberFactory(_NotStaffFactory):
    role = Role.SME_MEMBER
    company = factory.SubFactory(CompanyFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    invited_by = factory.SubFactory(SmeMemberFactory)
    email = factory.Sequence(lambda n: f"colleague{n}@example.com")
    # The inviter's organisation when it was sent, as accounts.services.invitation_send records it.
    company = factory.SelfAttribute("invited_by.company")
    buyer_organisation = factory.SelfAttribute("invited_by.buyer_organisation")


class BuyerMemberFactory(_NotStaffFactory):
    role = Role.BUYER_MEMBER
    buyer_organisation = factory.SubFactory(BuyerOrganisationFactory)


class CentreStaffFactory(_NotStaffFactory):
    role = Role.CENTRE_STAFF
    trade_centre = factory.SubFactory(TradeCentreFactory)


class DemandFactory(DjangoModelFactory):
    """A draft demand; `DemandFactory(published=True)` gives an open one with published_at."""

    class Meta:
        model = Demand
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Demand.Status.OPEN,
            published_at=factory.LazyFunction(timezone.now),
        )

    buyer = factory.SubFactory(BuyerOrganisationFactory)
    city = factory.SelfAttribute("buyer.city")
    title_en = factory.Sequence(lambda n: f"Flood warning for district {n}")
    problem_en = "Flash floods reach the market before anyone is warned."
    status = Demand.Status.DRAFT
    required_certifications = _add_many("required_certifications")
    categories = _add_many("categories", default=lambda obj: [CategoryFactory()])


# ---------------------------------------------------------------- consultations
class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Smart City Roadshow {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    city = factory.SubFactory(CityFactory)
    venue = "Convention centre, hall B"
    # Upcoming, so open to requests, registrations and meetings (an event that is over is read-only).
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=1))
    time_zone = factory.SelfAttribute("city.time_zone")
    organising_centre = factory.SubFactory(TradeCentreFactory)
    slot_minutes = 30


def _slot_start(slot, n):
    """Consecutive slots from 09:00 on the event's first day, local time, stored in UTC."""
    zone = zoneinfo.ZoneInfo(slot.event.time_zone)
    first = dt.datetime.combine(slot.event.start_date, dt.time(9), tzinfo=zone)
    return (first + dt.timedelta(minutes=slot.event.slot_minutes * n)).astimezone(dt.UTC)


class TimeSlotFactory(DjangoModelFactory):
    class Meta:
        model = TimeSlot

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyAttributeSequence(_slot_start)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=o.event.slot_minutes))
    session = factory.LazyAttribute(
        lambda o: (
            TimeSlot.Session.MORNING
            if o.starts_at.astimezone(zoneinfo.ZoneInfo(o.event.time_zone)).hour < 12
            else TimeSlot.Session.AFTERNOON
        )
    )


def event_today(centre, **fields):
    """An event of `centre`'s city and centre that takes place today, by the date where it is."""
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(centre.city.time_zone))
    return EventFactory(
        city=centre.city, organising_centre=centre, start_date=today, end_date=today, **fields
    )


def slot_running_now(event, minutes_ago=5, minutes=30):
    """A slot of the event that began `minutes_ago` (not before the local midnight, so it stays today)."""
    now = timezone.localtime(timezone=event.zone).replace(second=0, microsecond=0)
    starts = max(now - dt.timedelta(minutes=minutes_ago), now.replace(hour=0, minute=0))
    return TimeSlotFactory(event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=minutes))


class TableFactory(DjangoModelFactory):
    class Meta:
        model = Table
        django_get_or_create = ("event", "name")

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"T{n}")


class InterpreterFactory(DjangoModelFactory):
    class Meta:
        model = Interpreter
        skip_postgeneration_save = True
        django_get_or_create = ("event", "name")

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Interpreter {n}")

    languages = _add_many("languages")


class RegistrationFactory(DjangoModelFactory):
    """Abstract: a registration is a company's or a buyer's, never both."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True
        abstract = True

    event = factory.SubFactory(EventFactory)
    status = Registration.Status.CONFIRMED
    languages = _add_many("languages")
    unavailable_slots = _add_many("unavailable_slots")


class SmeRegistrationFactory(RegistrationFactory):
    company = factory.SubFactory(CompanyFactory)
    buyer = None


class BuyerRegistrationFactory(RegistrationFactory):
    company = None
    buyer = factory.SubFactory(BuyerOrganisationFactory)


class MeetingRequestFactory(DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.SubFactory(EventFactory)
    sme = factory.SubFactory(SmeRegistrationFactory, event=factory.SelfAttribute("..event"))
    buyer = factory.SubFactory(BuyerRegistrationFactory, event=factory.SelfAttribute("..event"))
    requested_by_sme = True
    priority = MeetingRequest.Priority.WOULD_LIKE
    message = "We would like to present our adaptive signal control."


class MeetingFactory(DjangoModelFactory):
    """An in-person meeting at a table, all in one event.

    `online=True` gives an online one; `interpreted=True` adds an interpreter of the event.
    """

    class Meta:
        model = Meeting

    class Params:
        online = factory.Trait(
            mode=Meeting.Mode.ONLINE,
            table=None,
            online_link=factory.Sequence(lambda n: f"https://meet.example.com/room-{n}"),
        )
        interpreted = factory.Trait(
            interpreter=factory.SubFactory(InterpreterFactory, event=factory.SelfAttribute("..slot.event"))
        )

    slot = factory.SubFactory(TimeSlotFactory)
    sme = factory.SubFactory(SmeRegistrationFactory, event=factory.SelfAttribute("..slot.event"))
    buyer = factory.SubFactory(BuyerRegistrationFactory, event=factory.SelfAttribute("..slot.event"))
    mode = Meeting.Mode.IN_PERSON
    table = factory.SubFactory(TableFactory, event=factory.SelfAttribute("..slot.event"))
    status = Meeting.Status.SCHEDULED


class OutcomeFactory(DjangoModelFactory):
    """A recorded outcome; `OutcomeFactory(mou=True)` gives a signed MOU with its date."""

    class Meta:
        model = Outcome

    class Params:
        mou = factory.Trait(
            next_step=Outcome.NextStep.MOU,
            mou_signed=True,
            mou_signed_on=factory.LazyAttribute(lambda o: o.meeting.slot.event.end_date),
        )

    meeting = factory.SubFactory(MeetingFactory, status=Meeting.Status.HELD)
    interest = Outcome.Interest.HIGH
    next_step = Outcome.NextStep.SEND_QUOTATION
    estimated_value_usd = Decimal("125000.00")


# ---------------------------------------------------------------- helpers
def _factories():
    for value in vars(sys.modules[__name__]).values():
        if isinstance(value, type) and issubclass(value, DjangoModelFactory):
            if value.__module__ == __name__:
                yield value


@contextlib.contextmanager
def using_database(alias):
    """Let every factory here (sub-factories included) write to database `alias`."""
    factories = set(_factories())
    saved = {f: f._meta.database for f in factories}
    try:
        for f in factories:
            f._meta.database = alias
        yield
    finally:
        for f, database in saved.items():
            f._meta.database = database


class MouFactory(DjangoModelFactory):
    """A signed company–company MOU from a held meeting."""

    class Meta:
        model = Mou

    meeting = factory.SubFactory(MeetingFactory, status=Meeting.Status.HELD)
    event = factory.SelfAttribute("meeting.slot.event")
    company = factory.SelfAttribute("meeting.sme.company")
    buyer = factory.SelfAttribute("meeting.buyer.buyer")
    title = factory.Sequence(lambda n: f"Smart parking pilot MOU {n}")
    kind = Mou.Kind.COMPANY
    status = Mou.Status.SIGNED
    signed_on = factory.LazyAttribute(lambda o: o.meeting.slot.event.end_date)


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    meeting = factory.SubFactory(MeetingFactory, status=Meeting.Status.HELD)
    months = 1
    due_on = factory.LazyAttribute(lambda o: o.meeting.slot.event.start_date + dt.timedelta(days=30))
    token = factory.Sequence(lambda n: f"follow-up-token-{n}")


class MeetingReminderFactory(DjangoModelFactory):
    """A day-before reminder sent to a member of the meeting's company."""

    class Meta:
        model = MeetingReminder

    meeting = factory.SubFactory(MeetingFactory)
    kind = MeetingReminder.Kind.DAY_BEFORE
    user = factory.SubFactory(SmeMemberFactory, company=factory.SelfAttribute("..meeting.sme.company"))
    email = factory.LazyAttribute(lambda o: o.user.email.lower())
    claim = factory.LazyFunction(uuid.uuid4)
    claimed_sequence = 0
    sent_at = factory.LazyFunction(timezone.now)
    sequence = 0


class ProgrammeSessionFactory(DjangoModelFactory):
    """A seminar talk of an hour on the event's first morning (10:00 in its time zone), open to all."""

    class Meta:
        model = ProgrammeSession

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Smart mobility in ASEAN cities, part {n}")
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.event.start_date, dt.time(10), zoneinfo.ZoneInfo(o.event.time_zone))
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    room = "Ballroom A"
    speakers = "Kim Min-jun (MOLIT)"


class ArrivalFactory(DjangoModelFactory):
    """A participant's arrival at 09:05 on the event's first day (its time zone)."""

    class Meta:
        model = Arrival

    registration = factory.SubFactory(SmeRegistrationFactory)
    day = factory.LazyAttribute(lambda o: o.registration.event.start_date)
    arrived_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.day, dt.time(9, 5), zoneinfo.ZoneInfo(o.registration.event.time_zone))
    )


def admin_rows(sme_owner):
    """A few rows of every model registered in the admin, linked the way real data is."""
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.urls import reverse

    language = LanguageFactory(code="th", name_en="Thai", name_ko="태국어")
    certification = CertificationFactory(code="iso-37122", name_en="ISO 37122")
    for _ in range(2):
        company = CompanyFactory(certifications=[certification], support_languages=[language])
        solution = SolutionFactory(company=company)
        ReferenceDeploymentFactory(solution=solution)
        DemandFactory(published=True)
    DemandFactory()
    MeetingRequestFactory()
    InterpreterFactory(languages=[language])
    OutcomeFactory(mou=True)
    MouFactory(title="Smart parking control pilot")
    FollowUpFactory()
    MeetingReminderFactory()
    ProgrammeSessionFactory()
    ArrivalFactory()
    OutcomeFactory()
    MeetingFactory(online=True)
    MeetingFactory(status="cancelled")
    SmeRegistrationFactory(languages=[language])
    InvitationFactory(invited_by=sme_owner)
    from portal.privacy.services import consent_change, consents_give

    consents_give(user=sme_owner, law="pipa", kinds=["processing", "transfer"], source="signup")
    consent_change(user=sme_owner, kind="transfer", granted=False)
    from portal.privacy.erasure import deletion_request_open

    deletion_request_open(user=sme_owner)
    Group.objects.get_or_create(name="Trade centre editors")
    # django-axes records a failed login (attempt and failure log) and a successful one (access log).
    sme_owner.set_password("Roadshow-Bangkok-2022")
    sme_owner.save()
    login = Client()
    login.post(reverse("login"), {"username": "sme-owner-typo", "password": "wrong"})
    login.post(reverse("login"), {"username": sme_owner.username, "password": "Roadshow-Bangkok-2022"})
