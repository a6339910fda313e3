"""The world the fuzzed forms act on: users of every role, organisations of each kind, an event with its
meetings; their names carry the escaping payloads."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from matching.consultations.events.models import TimeSlot
from tests import factories
from tests import fuzzing as fz

# The world's names carry these payloads too, so every page that lists them is checked for escaping.
SCRIPT, IMG, ATTR = fz.MARKERS
STRONG_PASSWORD = "Roadshow-2030-홍수경보!"

# ---------------------------------------------------------------- the world the forms act on


def _png():
    output = io.BytesIO()
    Image.new("RGB", (4, 3), "navy").save(output, format="PNG")
    return output.getvalue()


def _pdf():
    writer, output = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(output)
    return output.getvalue()


def _longest(text, length=200):
    """`text` repeated to a name of the longest length the model allows."""
    return (text * (length // len(text) + 1))[:length]


class World(dict):
    """Objects by name, and `users` by role."""

    def __getattr__(self, name):
        return self[name]


def _slot(event, day, hour):
    zone = zoneinfo.ZoneInfo(event.time_zone)
    starts = dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)
    session = TimeSlot.Session.MORNING if hour < 12 else TimeSlot.Session.AFTERNOON
    return factories.TimeSlotFactory(
        event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30), session=session
    )


@pytest.fixture
def world(sme_owner, stranger, buyer, centre_staff, admin, bangkok_centre):
    """A user of every role, an upcoming Bangkok event with registrations, a meeting and an interpreter,
    a past event with meetings to record, and listings; many names hold payloads or line breaks."""
    thailand = bangkok_centre.city.country
    korea = factories.CountryFactory(iso_code="KR", name_en="Korea", name_ko="대한민국")
    seoul = factories.CityFactory(country=korea, name_en="Seoul", name_ko="서울", time_zone="Asia/Seoul")
    chiang_mai = factories.CityFactory(
        country=thailand, name_en="Chiang Mai", name_ko="치앙마이", name_local=f"เชียงใหม่ {IMG}"
    )
    categories = [factories.CategoryFactory(name_en=n) for n in ("Mobility", f"Water {SCRIPT}")]
    certifications = [factories.CertificationFactory(name_en=n) for n in ("GS", f"ISO 9001 {ATTR}")]
    languages = [factories.LanguageFactory(code=c, name_en=c) for c in ("ko", "th", "en")]
    company, khon_kaen = sme_owner.company, buyer.buyer_organisation
    solution = factories.SolutionFactory(
        company=company, name_en="Adaptive signals", categories=categories[:1]
    )
    factories.ReferenceDeploymentFactory(solution=solution, city=khon_kaen.city)
    other_buyer = factories.BuyerOrganisationFactory(name=f"Chiang Mai {SCRIPT}", city=chiang_mai)
    free_company = factories.CompanyFactory(name_en=f"Daegu {IMG} Grid", name_ko=f"대구 {SCRIPT}")
    free_buyer = factories.BuyerOrganisationFactory(name=f"Phuket {ATTR}", city=chiang_mai)

    today = timezone.localdate()
    event = factories.EventFactory(
        name="Fuzzing roadshow",
        venue=f"Hall B {SCRIPT}",
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=today + dt.timedelta(days=30),
        online_meetings_allowed=True,
    )
    slots = [_slot(event, event.start_date, hour) for hour in (9, 10, 14, 15)]
    tables = [factories.TableFactory(event=event, name=name) for name in ("T01", "T02")]
    sme_registration = factories.SmeRegistrationFactory(event=event, company=company)
    buyer_registration = factories.BuyerRegistrationFactory(event=event, buyer=khon_kaen)
    # Forms take a line break inside a one-line name; the e-mails about the meetings carry these names.
    daejeon = factories.CompanyFactory(name_en=f"Daejeon\r\nSignals {ATTR}", name_ko="대전\n신호")
    factories.SmeMemberFactory(username="daejeon", company=daejeon, first_name="Ji-woo\r\n", last_name=IMG)
    factories.BuyerMemberFactory(username="chiang-mai", buyer_organisation=other_buyer, first_name="Somsak\n")
    sme_registration_2 = factories.SmeRegistrationFactory(event=event, company=daejeon)
    buyer_registration_2 = factories.BuyerRegistrationFactory(event=event, buyer=other_buyer)
    meeting = factories.MeetingFactory(
        slot=slots[0], sme=sme_registration, buyer=buyer_registration, table=tables[0]
    )
    interpreter = factories.InterpreterFactory(
        event=event, name=f"Somchai {ATTR}", email="somchai@example.com", languages=languages[1:2]
    )

    past = factories.EventFactory(
        name=f"Past roadshow {IMG}",
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=today - dt.timedelta(days=10),
    )
    past_slot = _slot(past, past.start_date, 10)
    past_table = factories.TableFactory(event=past, name="T01")
    past_meeting = factories.MeetingFactory(
        slot=past_slot,
        sme=factories.SmeRegistrationFactory(event=past, company=company),
        buyer=factories.BuyerRegistrationFactory(event=past, buyer=khon_kaen),
        table=past_table,
    )
    follow_up = factories.FollowUpFactory(meeting=past_meeting, token="fuzz-follow-up")
    # The staff's log records a meeting of two organisations with the longest names there can be.
    log_table = factories.TableFactory(event=past, name="T02")
    log_meeting = factories.MeetingFactory(
        slot=past_slot,
        sme=factories.SmeRegistrationFactory(
            event=past, company=factories.CompanyFactory(name_en=_longest(f"Gyeonggi Smart Water {IMG} "))
        ),
        buyer=factories.BuyerRegistrationFactory(
            event=past,
            buyer=factories.BuyerOrganisationFactory(name=_longest(f"เทศบาล {SCRIPT} "), city=chiang_mai),
        ),
        table=log_table,
    )

    return World(
        users={"sme_owner": sme_owner, "stranger": stranger, "buyer": buyer, "centre_staff": centre_staff,
               "admin": admin},
        thailand=thailand,
        thai_cities=[bangkok_centre.city.pk, khon_kaen.city.pk, chiang_mai.pk],
        seoul=seoul,
        categories=categories,
        certifications=certifications,
        languages=[language.pk for language in languages],
        company=company,
        solution=solution,
        khon_kaen=khon_kaen,
        thai_buyers=[khon_kaen.pk, other_buyer.pk, free_buyer.pk],
        free_company=free_company,
        free_buyer=free_buyer,
        open_demand=factories.DemandFactory(
            buyer=khon_kaen, title=f"Flood warning {SCRIPT}", problem=f"Markets flood {IMG}", published=True
        ),
        draft_demand=factories.DemandFactory(buyer=khon_kaen, title="Flood sirens"),
        event=event,
        slots=[slot.pk for slot in slots],
        tables=[table.pk for table in tables],
        sme_registration=sme_registration,
        buyer_registration=buyer_registration,
        sme_registration_2=sme_registration_2,
        buyer_registration_2=buyer_registration_2,
        meeting=meeting,
        interpreter=interpreter,
        past=past,
        past_table=past_table,
        past_meeting=past_meeting,
        follow_up=follow_up,
        log_table=log_table,
        log_meeting=log_meeting,
    )  # fmt: skip


def _values(data):
    """What Django keeps of each parameter: the last of a repeated one."""
    return {name: value[-1] if isinstance(value, list) and value else value for name, value in data.items()}
