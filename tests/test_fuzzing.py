"""Hypothesis drives every form and every list filter of the portal with generated inputs on PostgreSQL.

Each target is one form (or one list page's filters) submitted through the test client as the role
that uses it, in English or Korean. Every response must be below 500 and show no payload unescaped;
when a submission was stored, the pages that show it must show the payload escaped. E-mails a request
sends on commit are sent within it. Each example runs in a savepoint that is rolled back, so examples do
not depend on each other. The inputs actually sent are counted per target (each at least its budget)
and in total (at least 1000). The world's own names carry payloads and line breaks too.
"""

import datetime as dt
import io
import zoneinfo
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
)
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_filters import FilterSet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfWriter

from matching.companies import filters as company_filters
from matching.companies import forms as company_forms
from matching.companies.models import Solution
from matching.consultations.booking import forms as booking_forms
from matching.consultations.booking import scheduler_runs
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events import forms as event_forms
from matching.consultations.events.models import TimeSlot
from matching.consultations.outcomes import forms as outcome_forms
from matching.consultations.outcomes.models import FollowUp, Outcome
from matching.demands import filters as demand_filters
from matching.demands import forms as demand_forms
from matching.demands.models import BuyerOrganisation, Demand
from matching.kernel.models import ApprovalStatus, BudgetBand
from portal.accounts import forms as account_forms
from tests import factories
from tests import fuzzing as fz

pytestmark = pytest.mark.postgres

TOTAL_INPUTS = 1000
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


# ---------------------------------------------------------------- targets


@dataclass
class Submission:
    url: str
    fields: dict  # name -> fz.Field; drawn into `data` by the runner
    method: str = "post"
    # On success: [(page URL or response, [names of the submitted fields it shows])], or a callable
    # (response, data) -> that list.
    display: object = ()
    client: Client | None = None  # the client that sent it (set by the runner): it reads the pages too


@dataclass(frozen=True)
class Target:
    name: str
    role: str | None  # the world's user who submits, None for a visitor
    budget: int  # generated inputs per run
    build: object  # (world, draw, client) -> Submission
    covers: tuple = ()  # the form and filter classes it drives
    stores: bool = True  # some valid submissions must succeed (a redirect) and store data

    def __str__(self):
        return self.name


def _language(client):
    """The language the client's requests ask for ('en' or 'ko'): localised names follow it."""
    return client.defaults["HTTP_ACCEPT_LANGUAGE"]


def _ids(pks):
    return [str(pk) for pk in pks]


def _with_blank(values):
    return [*values, ""]


def _text_fields(fields):
    return [name for name, f in fields.items() if isinstance(f, fz.Text)]


def login_target(world, draw, client):
    fields = {
        "username": fz.Const("sme_owner", "buyer"),
        "password": fz.Const(factories.PASSWORD),
        "next": fz.Const("/accounts/", "/companies/?q=홍수"),
    }
    return Submission(reverse("login"), fields)


def signup_target(world, draw, client):
    kind = draw(st.sampled_from(["sme", "buyer"]))
    brn = factories.valid_brn(draw(st.integers(900_000, 999_999)))
    fields = {
        "account-kind": fz.Choice([kind]),
        "account-first_name": fz.Text(150),
        "account-last_name": fz.Text(150),
        "account-email": fz.Email(),
        "account-username": fz.Const("new-member", "김민수", "İpek.ış"),
        "account-password1": fz.Const(STRONG_PASSWORD),
        "account-password2": fz.Const(STRONG_PASSWORD),
        "company-name_ko": fz.Text(200),
        "company-name_en": fz.Text(200),
        "company-business_registration_number": fz.Const(brn, f"{brn[:3]}-{brn[3:5]}-{brn[5:]}"),
        "company-website": fz.URL(),
        "buyer-name": fz.Text(200),
        "buyer-name_local": fz.Text(200, required=False),
        "buyer-kind": fz.Choice(BuyerOrganisation.Kind.values),
        "buyer-city": fz.Choice(_ids(world.thai_cities)),
        "buyer-website": fz.URL(),
    }
    shown = [f"company-name_{_language(client)}"] if kind == "sme" else ["buyer-name"]
    shown += ["account-first_name", "account-last_name"]
    return Submission(reverse("accounts:signup"), fields, display=[(reverse("member_home"), shown)])


def invite_target(world, draw, client):
    return Submission(reverse("accounts:invite"), {"email": fz.Email()})


def invitation_accept_target(world, draw, client):
    invitation = factories.InvitationFactory(invited_by=world.users["sme_owner"])
    fields = {
        "first_name": fz.Text(150, required=False),
        "last_name": fz.Text(150, required=False),
        "email": fz.Email(),
        "username": fz.Const("colleague", "홍길동", "ığdır-ş"),
        "password1": fz.Const(STRONG_PASSWORD),
        "password2": fz.Const(STRONG_PASSWORD),
    }
    url = reverse("accounts:invitation_accept", args=[invitation.token])
    return Submission(url, fields, display=[(reverse("member_home"), ["first_name", "last_name"])])


def review_reject_target(world, draw, client):
    """Staff reject a pending Thai buyer; its member reads the reason on their organisation page."""
    pending = factories.BuyerOrganisationFactory(
        name="Udon Thani", city_id=world.thai_cities[1], approval_status=ApprovalStatus.PENDING
    )
    member = factories.BuyerMemberFactory(username="udon", buyer_organisation=pending)

    def display(response, data):
        reader = Client()
        reader.force_login(member)
        return [(reader.get(reverse("member_home")), ["reason"])]

    url = reverse("accounts:review_decide", args=["buyer", pending.pk, "reject"])
    return Submission(url, {"reason": fz.Text(2000)}, display=display)


def password_change_target(world, draw, client):
    fields = {
        "old_password": fz.Const(factories.PASSWORD),
        "new_password1": fz.Const(STRONG_PASSWORD),
        "new_password2": fz.Const(STRONG_PASSWORD),
    }
    return Submission(reverse("accounts:password_change"), fields)


def password_reset_target(world, draw, client):
    fields = {"email": fz.Const("sme_owner@example.com", "nobody@example.com")}
    return Submission(reverse("accounts:password_reset"), fields)


def password_reset_confirm_target(world, draw, client):
    # As stored: logging in (other examples, rolled back) changed last_login, which the token signs.
    user = type(world.users["sme_owner"]).objects.get(pk=world.users["sme_owner"].pk)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    set_password_url = client.get(link)["Location"]  # the token moves into the session
    fields = {"new_password1": fz.Const(STRONG_PASSWORD), "new_password2": fz.Const(STRONG_PASSWORD)}
    return Submission(set_password_url, fields)


def set_language_target(world, draw, client):
    fields = {"language": fz.Choice(["ko", "en"]), "next": fz.Const("/", "/companies/?q=İstanbul")}
    return Submission(reverse("set_language"), fields)


def company_edit_target(world, draw, client):
    company = world.company
    fields = {
        "name_ko": fz.Text(200),
        "name_en": fz.Text(200),
        "website": fz.URL(),
        "size": fz.Choice(["startup", "small", "medium", "mid"]),
        "founded_year": fz.Int(1900, 2100),
        "headquarters": fz.Choice(_with_blank([str(world.seoul.pk)])),
        "description_ko": fz.Text(5000, required=False),
        "description_en": fz.Text(5000, required=False),
        "export_countries": fz.Many(_ids([world.thailand.pk])),
        "certifications": fz.Many(_ids(c.pk for c in world.certifications)),
        "support_languages": fz.Many(_ids(world.languages)),
        "contact_name": fz.Text(100, required=False),
        "contact_email": fz.Email(),
        "contact_phone": fz.Text(40, required=False),
        "logo": fz.Upload("logo.png", _png()),
        "brochure": fz.Upload("brochure.pdf", _pdf()),
    }
    detail = reverse("companies:detail", args=[company.pk])
    edit = reverse("companies:edit", args=[company.pk])
    return Submission(
        edit,
        fields,
        display=[
            (
                detail,
                [
                    "name_en",
                    "name_ko",
                    f"description_{_language(client)}",
                    "contact_name",
                    "contact_phone",
                    "website",
                ],
            ),
            (edit, _text_fields(fields) + ["website"]),
        ],
    )


def _formset(prefix, initial_ids, extra, form_fields):
    """An inline formset's fields: its management form, a form per existing row and `extra` new ones."""
    total = len(initial_ids) + extra
    fields = {
        f"{prefix}-TOTAL_FORMS": fz.Const(str(total)),
        f"{prefix}-INITIAL_FORMS": fz.Const(str(len(initial_ids))),
        f"{prefix}-MIN_NUM_FORMS": fz.Const("0"),
        f"{prefix}-MAX_NUM_FORMS": fz.Const("1000"),
    }
    for index in range(total):
        if index < len(initial_ids):
            fields[f"{prefix}-{index}-id"] = fz.Const(str(initial_ids[index]))
            fields[f"{prefix}-{index}-DELETE"] = fz.Const("", "", "on")
        for name, form_field in form_fields.items():
            fields[f"{prefix}-{index}-{name}"] = form_field
    return fields


def solutions_target(world, draw, client):
    company = world.company
    form_fields = {
        "name_ko": fz.Text(200),
        "name_en": fz.Text(200),
        "categories": fz.Many(_ids(c.pk for c in world.categories), required=True),
        "problem_solved": fz.Text(5000),
        "description": fz.Text(5000, required=False),
        "readiness": fz.Choice(Solution.Readiness.values),
        "price_band": fz.Choice(_with_blank(BudgetBand.values)),
    }
    fields = _formset("solutions", [world.solution.pk], draw(st.integers(0, 2)), form_fields)
    edit = reverse("companies:solutions", args=[company.pk])

    def display(response, data):
        texts = _kept_texts(fields, data)
        shown_names = (f"name_{_language(client)}", "problem_solved", "-description")
        shown = [name for name in texts if name.endswith(shown_names)]
        return [(reverse("companies:detail", args=[company.pk]), shown), (edit, texts)]

    return Submission(edit, fields, display=display)


def references_target(world, draw, client):
    company, solution = world.company, world.solution
    form_fields = {
        "city": fz.Choice(_ids(world.thai_cities)),
        "year": fz.Int(1990, 2100),
        "client": fz.Text(200, required=False),
        "result": fz.Text(300, required=False),
    }
    initial = list(solution.references.values_list("pk", flat=True))
    fields = _formset("references", initial, draw(st.integers(0, 2)), form_fields)
    edit = reverse("companies:references", args=[company.pk, solution.pk])

    def display(response, data):
        texts = _kept_texts(fields, data)
        return [(reverse("companies:detail", args=[company.pk]), texts), (edit, texts)]

    return Submission(edit, fields, display=display)


def _kept_texts(fields, data):
    """The text fields of a formset's forms that were saved, not deleted."""
    kept = _values(data)
    deleted = {name.rsplit("-", 1)[0] for name, value in kept.items() if name.endswith("-DELETE") and value}
    return [
        name for name, f in fields.items() if isinstance(f, fz.Text) and name.rsplit("-", 1)[0] not in deleted
    ]


def _demand_fields(world, with_buyer):
    fields = {
        "title": fz.Text(200),
        "city": fz.Choice(_ids(world.thai_cities)),
        "problem": fz.Text(5000),
        "categories": fz.Many(_ids(c.pk for c in world.categories), required=True),
        "required_certifications": fz.Many(_ids(c.pk for c in world.certifications)),
        "budget_band": fz.Choice(_with_blank(BudgetBand.values)),
        "timeline": fz.Choice(_with_blank(Demand.Timeline.values)),
        "procurement_type": fz.Choice(Demand.ProcurementType.values),
        "deadline": fz.Date(),
    }
    if with_buyer:
        fields["buyer"] = fz.Choice(_ids(world.thai_buyers))
    return fields


def _demand_display(response, data):
    detail = response["Location"]
    edit = detail.rstrip("/") + "/edit/"
    return [(detail, ["title", "problem"]), (edit, ["title", "problem"])]


def demand_create_target(world, draw, client):
    fields = _demand_fields(world, with_buyer=False)
    return Submission(reverse("demands:create"), fields, display=_demand_display)


def demand_edit_target(world, draw, client):
    fields = _demand_fields(world, with_buyer=True)
    url = reverse("demands:edit", args=[world.draft_demand.pk])
    return Submission(url, fields, display=_demand_display)


def event_create_target(world, draw, client):
    # The first and last days of the calendar overflowed when slots were converted to UTC.
    edges = [dt.date(2030, 10, 6), dt.date(2000, 1, 1), dt.date(2100, 12, 31), dt.date.min, dt.date.max]
    start = draw(st.sampled_from(edges) | st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
    end = start + min(dt.timedelta(days=draw(st.integers(0, 6))), dt.date.max - start)
    zones = ["", "Asia/Bangkok", "Europe/Istanbul", "UTC", "Pacific/Kiritimati", "America/Adak"]
    fields = {
        "name": fz.Text(200),
        "slug": fz.Const("", "bangkok-2030", "방콕-로드쇼"),
        "city": fz.Choice(_ids(world.thai_cities)),
        "venue": fz.Text(200),
        "start_date": fz.Const(start.isoformat()),
        "end_date": fz.Const(end.isoformat()),
        "time_zone": fz.Choice(zones),
        "slot_minutes": fz.Int(10, 180),
        "online_meetings_allowed": fz.Bool(),
        "request_deadline": fz.DateTime(),
        "description": fz.Text(required=False),
        "morning_starts": fz.Time("09:00", "09:30", "00:00"),
        "morning_ends": fz.Time("12:00", "11:59:59"),
        "afternoon_starts": fz.Time("13:30", "12:00"),
        "afternoon_ends": fz.Time("17:00", "23:59"),
        "break_minutes": fz.Int(0, 60),
        "table_count": fz.Int(1, 60),
    }

    def display(response, data):
        return [(response["Location"], ["name", "venue"])]

    return Submission(reverse("consultations:create"), fields, display=display)


def schedule_target(world, draw, client):
    url = reverse("consultations:schedule", args=[world.event.pk])
    return Submission(url, {"time_limit_seconds": fz.Int(5, 300)})


def request_create_target(world, draw, client):
    fields = {
        "sme": fz.Choice(_ids([world.sme_registration_2.pk, world.sme_registration.pk])),
        "buyer": fz.Choice(_ids([world.buyer_registration_2.pk, world.buyer_registration.pk])),
        "next": fz.Const("", reverse("consultations:suggestions", args=[world.event.pk]), "//evil.example/"),
    }
    return Submission(reverse("consultations:request_create", args=[world.event.pk]), fields)


def _meeting_fields(world):
    return {
        "slot": fz.Choice(_ids(world.slots[1:])),
        "mode": fz.Choice(Meeting.Mode.values),
        "table": fz.Choice(_with_blank(_ids(world.tables))),
        "online_link": fz.URL(),
        "interpreter": fz.Choice(_with_blank(_ids([world.interpreter.pk]))),
        "locked": fz.Bool(),
    }


def _agenda_display(registration):
    def display(response, data):
        shown = ["online_link"] if data.get("mode") == Meeting.Mode.ONLINE else []
        return [(reverse("consultations:agenda", args=[registration.pk]), shown)]

    return display


def meeting_create_target(world, draw, client):
    fields = _meeting_fields(world) | {
        "sme": fz.Choice(_ids([world.sme_registration_2.pk])),
        "buyer": fz.Choice(_ids([world.buyer_registration_2.pk])),
    }
    url = reverse("consultations:meeting_create", args=[world.event.pk])
    return Submission(url, fields, display=_agenda_display(world.sme_registration_2))


def meeting_edit_target(world, draw, client):
    fields = _meeting_fields(world) | {"sme": fz.Const(str(world.sme_registration_2.pk))}
    url = reverse("consultations:meeting_edit", args=[world.event.pk, world.meeting.pk])
    return Submission(url, fields, display=_agenda_display(world.sme_registration))


def _registration_fields(world):
    return {
        "languages": fz.Many(_ids(world.languages)),
        "needs_interpreter": fz.Bool(),
        "max_meetings": fz.Int(1, 40),
        "unavailable_slots": fz.Many(_ids(world.slots)),
    }


def registration_create_target(world, draw, client):
    fields = _registration_fields(world) | {
        "company": fz.Choice(["", str(world.free_company.pk)]),
        "buyer": fz.Choice(["", str(world.free_buyer.pk)]),
    }
    return Submission(reverse("consultations:registration_create", args=[world.event.pk]), fields)


def registration_edit_target(world, draw, client):
    fields = _registration_fields(world) | {"company": fz.Const(str(world.free_company.pk))}
    url = reverse("consultations:registration_edit", args=[world.event.pk, world.sme_registration.pk])
    return Submission(url, fields)


def _interpreter_fields(world):
    return {
        "name": fz.Text(100),
        "email": fz.Email(),
        "languages": fz.Many(_ids(world.languages), required=True),
        "unavailable_slots": fz.Many(_ids(world.slots)),
    }


def interpreter_create_target(world, draw, client):
    url = reverse("consultations:interpreters", args=[world.event.pk])
    return Submission(url, _interpreter_fields(world), display=[(url, ["name"])])


def interpreter_edit_target(world, draw, client):
    event, interpreter = world.event, world.interpreter
    url = reverse("consultations:interpreter_edit", args=[event.pk, interpreter.pk])
    shown = [(reverse("consultations:interpreters", args=[event.pk]), ["name"]), (url, ["name"])]
    return Submission(url, _interpreter_fields(world), display=shown)


def join_target(world, draw, client):
    """A member of an approved company that is not registered yet registers it."""
    return Submission(reverse("consultations:join", args=[world.event.pk]), _registration_fields(world))


def meet_target(world, draw, client):
    fields = {
        "with": fz.Choice(_ids([world.buyer_registration_2.pk, world.buyer_registration.pk])),
        "priority": fz.Choice(MeetingRequest.Priority.values),
        "session_preference": fz.Choice(_with_blank(TimeSlot.Session.values)),
        "message": fz.Text(required=False),
    }
    return Submission(reverse("consultations:meet", args=[world.event.pk]), fields)


def _outcome_fields(prefix=""):
    return {
        f"{prefix}attendance": fz.Choice(Outcome.Attendance.values),
        f"{prefix}interest": fz.Choice(Outcome.Interest.values),
        f"{prefix}next_step": fz.Choice(Outcome.NextStep.values),
        f"{prefix}estimated_value_usd": fz.Decimal(10**11),
        f"{prefix}mou_signed": fz.Const("", "on"),
        f"{prefix}mou_signed_on": fz.Date("", "2030-10-07", "0001-01-01", "9999-12-31"),
        f"{prefix}notes": fz.Text(required=False),
    }


def outcome_target(world, draw, client):
    url = reverse("consultations:outcome", args=[world.past_meeting.pk])
    return Submission(url, _outcome_fields(), display=[(url, ["notes"])])


def log_target(world, draw, client):
    meeting = world.log_meeting
    day = meeting.slot.starts_at.astimezone(world.past.zone).date()
    url = reverse("consultations:log", args=[world.past.pk]) + f"?table={world.log_table.pk}&day={day}"
    fields = {"meeting": fz.Const(str(meeting.pk))} | _outcome_fields(f"m{meeting.pk}-")
    return Submission(url, fields, display=[(url, [f"m{meeting.pk}-notes"])])


def follow_up_target(world, draw, client):
    url = reverse("consultations:follow_up", args=[world.follow_up.token])
    fields = {"progress": fz.Choice(FollowUp.Progress.values), "notes": fz.Text(required=False)}
    return Submission(url, fields, display=[(url, ["notes"])])


# ---------------------------------------------------------------- list filters (GET)


def _get(url, fields):
    # The page itself echoes the search box: it must show what was typed, escaped.
    return Submission(url, fields, method="get", display=lambda response, data: [(response, ["q"])])


def companies_filter_target(world, draw, client):
    fields = {
        "q": fz.Text(200),
        "category": fz.Choice(_with_blank(c.slug for c in world.categories)),
        "country": fz.Choice(["", "TH", "KR", "th"]),
        "certification": fz.Choice(_with_blank(c.code for c in world.certifications)),
        "sort": fz.Choice(["name", "newest"]),
        "page": fz.Int(1, 3),
    }
    return _get(reverse("companies:list"), fields)


def demands_filter_target(world, draw, client):
    fields = {
        "q": fz.Text(200),
        "category": fz.Choice(_with_blank(c.slug for c in world.categories)),
        "country": fz.Choice(["", "TH", "TR"]),
        "city": fz.Choice(_with_blank(_ids(world.thai_cities))),
        "procurement_type": fz.Choice(_with_blank(Demand.ProcurementType.values)),
        "budget_band": fz.Choice(_with_blank(BudgetBand.values)),
        "sort": fz.Choice(["newest", "deadline"]),
        "page": fz.Int(1, 3),
    }
    return _get(reverse("demands:list"), fields)


def demands_mine_target(world, draw, client):
    return Submission(reverse("demands:mine"), {"page": fz.Int(1, 3)}, method="get")


def _event_choice(world):
    return fz.Choice(["", str(world.event.pk), str(world.past.pk)])


def dashboard_target(world, draw, client):
    return Submission(reverse("dashboard"), {"event": _event_choice(world)}, method="get")


def dashboard_export_target(world, draw, client):
    return Submission(reverse("dashboard_export"), {"event": _event_choice(world)}, method="get")


def grid_target(world, draw, client):
    fields = {"day": fz.Date(world.event.start_date.isoformat())}
    return Submission(reverse("consultations:grid", args=[world.event.pk]), fields, method="get")


def log_filter_target(world, draw, client):
    fields = {
        "table": fz.Choice(_ids([world.past_table.pk])),
        "day": fz.Date(world.past.start_date.isoformat()),
    }
    return Submission(reverse("consultations:log", args=[world.past.pk]), fields, method="get")


def meeting_prefill_target(world, draw, client):
    fields = {
        "slot": fz.Choice(_ids(world.slots)),
        "table": fz.Choice(_ids(world.tables)),
        "sme": fz.Choice(_ids([world.sme_registration_2.pk])),
        "buyer": fz.Choice(_ids([world.buyer_registration_2.pk])),
    }
    url = reverse("consultations:meeting_create", args=[world.event.pk])
    return Submission(url, fields, method="get")


def _admin_changelists():
    """(changelist URL, its filter parameters) for each of the portal's models in the admin."""
    lists = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        if not model.__module__.startswith(("matching.", "portal.")):
            continue
        names = ["q", "o", "p"]
        for item in model_admin.list_filter:
            path = item[0] if isinstance(item, tuple) else item
            if not isinstance(path, str):  # a SimpleListFilter
                names.append(path.parameter_name)
                continue
            last = get_fields_from_path(model, path)[-1]
            names += [f"{path}__id__exact", f"{path}__isnull"] if last.is_relation else [f"{path}__exact"]
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        lists.append((url, names))
    return lists


ADMIN_FILTER_VALUES = ["1", "2", "0", "True", "False", "yes", "no", "sme", "buyer", "am", "pending", "TH"]


def admin_filter_target(world, draw, client):
    url, names = draw(st.sampled_from(_admin_changelists()), label="changelist")
    fields = {name: fz.Text(200) if name == "q" else fz.Choice(ADMIN_FILTER_VALUES) for name in names}
    return Submission(url, fields, method="get")


# fmt: off
TARGETS = [
    Target("login", None, 50, login_target, (AuthenticationForm,)),
    Target("signup", None, 60, signup_target,
           (account_forms.AccountForm, account_forms.CompanySignupForm, account_forms.BuyerSignupForm)),
    Target("invite", "sme_owner", 30, invite_target, (account_forms.InvitationForm,)),
    Target("invitation_accept", None, 40, invitation_accept_target, (account_forms.InvitationAcceptForm,)),
    Target("review_reject", "centre_staff", 40, review_reject_target, (account_forms.RejectionForm,)),
    Target("password_change", "sme_owner", 30, password_change_target, (PasswordChangeForm,)),
    Target("password_reset", None, 30, password_reset_target, (account_forms.PasswordResetForm,)),
    Target("password_reset_confirm", None, 30, password_reset_confirm_target, (SetPasswordForm,)),
    Target("set_language", None, 30, set_language_target, stores=False),
    Target("company_edit", "sme_owner", 60, company_edit_target, (company_forms.CompanyProfileForm,)),
    Target("company_solutions", "sme_owner", 50, solutions_target,
           (company_forms.SolutionForm, company_forms.SolutionFormSet)),
    Target("solution_references", "sme_owner", 45, references_target,
           (company_forms.ReferenceDeploymentForm, company_forms.ReferenceDeploymentFormSet)),
    Target("demand_create", "buyer", 50, demand_create_target, (demand_forms.DemandForm,)),
    Target("demand_edit", "centre_staff", 50, demand_edit_target, (demand_forms.DemandForm,)),
    Target("event_create", "centre_staff", 60, event_create_target, (event_forms.EventForm,)),
    Target("schedule_run", "centre_staff", 30, schedule_target, (booking_forms.ScheduleForm,),
           stores=False),
    Target("request_create", "centre_staff", 30, request_create_target, stores=False),
    Target("meeting_create", "centre_staff", 50, meeting_create_target, (booking_forms.MeetingForm,)),
    Target("meeting_edit", "centre_staff", 45, meeting_edit_target, (booking_forms.MeetingForm,)),
    Target("registration_create", "centre_staff", 45, registration_create_target,
           (event_forms.RegistrationForm,)),
    Target("registration_edit", "centre_staff", 35, registration_edit_target,
           (event_forms.RegistrationForm,)),
    Target("interpreter_create", "centre_staff", 45, interpreter_create_target,
           (event_forms.InterpreterForm,)),
    Target("interpreter_edit", "centre_staff", 35, interpreter_edit_target,
           (event_forms.InterpreterForm,)),
    Target("event_join", "stranger", 40, join_target, (event_forms.RegistrationForm,)),
    Target("event_meet", "sme_owner", 45, meet_target, (booking_forms.MeetingRequestForm,)),
    Target("meeting_outcome", "sme_owner", 45, outcome_target, (outcome_forms.OutcomeForm,)),
    Target("consultation_log", "centre_staff", 45, log_target, (outcome_forms.OutcomeForm,)),
    Target("follow_up", "sme_owner", 40, follow_up_target, (outcome_forms.FollowUpForm,)),
    Target("companies_filter", None, 80, companies_filter_target, (company_filters.CompanyDirectoryFilter,),
           stores=False),
    Target("demands_filter", None, 80, demands_filter_target, (demand_filters.DemandDirectoryFilter,),
           stores=False),
    Target("demands_mine_page", "buyer", 30, demands_mine_target, stores=False),
    Target("dashboard_filter", "centre_staff", 40, dashboard_target, stores=False),
    Target("dashboard_export_filter", "centre_staff", 30, dashboard_export_target, stores=False),
    Target("grid_day", "centre_staff", 35, grid_target, stores=False),
    Target("log_table_day", "centre_staff", 35, log_filter_target, stores=False),
    Target("meeting_create_prefill", "centre_staff", 35, meeting_prefill_target, stores=False),
    Target("admin_changelists", "admin", 60, admin_filter_target, stores=False),
]
# fmt: on


@dataclass
class Driven:
    """What one target's run sent: every generated input, and those the portal accepted."""

    inputs: int = 0
    stored: int = 0


@pytest.fixture
def no_background_scheduler(monkeypatch):
    """A valid time limit would enqueue a run of CP-SAT for every generated input."""
    monkeypatch.setattr(scheduler_runs, "schedule_event_enqueue", lambda **kwargs: None)


def _values(data):
    """What Django keeps of each parameter: the last of a repeated one."""
    return {name: value[-1] if isinstance(value, list) and value else value for name, value in data.items()}


def _send(client, submission, data):
    if submission.method == "get":
        return client.get(submission.url, data)
    return client.post(submission.url, data)


def _check_display(target, submission, response, data):
    display = submission.display
    if callable(display):
        display = display(response, data)
    kept = _values(data)
    for page, names in display:
        if isinstance(page, str):
            page = submission.client.get(page)
            assert page.status_code == 200, (
                f"{target}: {page.request['PATH_INFO']} answered {page.status_code}"
            )
        fz.assert_no_raw_payload(page, f"{target} (display)")
        fz.assert_shown_escaped(
            page, fz.markers_in(kept[name] for name in names if name in kept), str(target)
        )


def _fuzz(target, world, capture_on_commit):
    """Run hypothesis on one target; every example is one request with generated inputs."""
    driven = Driven()
    user = world.users.get(target.role)

    @settings(
        max_examples=target.budget,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(st.data())
    def fuzz(data):
        mail.outbox = []
        language = data.draw(st.sampled_from(["en", "ko"]), label="language")
        # A savepoint per example, rolled back: examples neither see nor depend on each other's data.
        with translation.override("en"), transaction.atomic():
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            if user is not None:
                client.force_login(user)
            submission = target.build(world, data.draw, client)
            submission.client = client
            values = data.draw(fz.submissions(submission.fields), label="submitted")
            # E-mails go out when the request's transaction commits: run them as part of the request.
            with capture_on_commit(execute=True):
                response = _send(client, submission, values)
            driven.inputs += 1
            where = f"{target}: {submission.method.upper()} {submission.url}"
            assert response.status_code < 500, where
            if response.streaming:
                b"".join(response.streaming_content)
            fz.assert_no_raw_payload(response, where)
            accepted = 302 if submission.method == "post" else 200
            if response.status_code == accepted:
                driven.stored += 1
                if submission.display:
                    _check_display(target, submission, response, values)
            transaction.set_rollback(True)

    fuzz()
    return driven


def test_hypothesis_drives_every_form_and_filter_with_1000_inputs_without_a_server_error(
    subtests, world, no_background_scheduler, django_capture_on_commit_callbacks, settings
):
    """One test for all targets (a subtest each), so the total is counted in one process, with xdist too."""
    # Every input comes from one address: rate limits (tests/accounts/test_rate_limits.py) would answer
    # most sign-ups, resets and invitations with 429 instead of letting their forms judge them.
    settings.RATELIMIT_ENABLE = False
    sent = {}
    for target in TARGETS:
        with subtests.test(target=target.name):
            driven = _fuzz(target, world, django_capture_on_commit_callbacks)
            sent[target.name] = driven.inputs
            assert driven.inputs >= target.budget
            if target.stores:
                assert driven.stored > 0, (
                    f"{target}: no generated submission was accepted; the strategies are off"
                )

    assert set(sent) == {target.name for target in TARGETS}, "some targets failed: see their subtests"
    assert sum(sent.values()) >= TOTAL_INPUTS, sent


SEEDED_PAGES = {
    # page: (role, URL, the payloads of the world's names that it shows)
    "companies:list": (None, lambda w: reverse("companies:list"), [IMG]),
    "companies:detail": (
        None,
        lambda w: reverse("companies:detail", args=[w.free_company.pk]),
        [IMG, SCRIPT],
    ),
    "demands:list": (None, lambda w: reverse("demands:list"), [SCRIPT, IMG]),
    "demands:detail": (None, lambda w: reverse("demands:detail", args=[w.open_demand.pk]), [SCRIPT, IMG]),
    "consultations:meet": ("sme_owner", lambda w: reverse("consultations:meet", args=[w.event.pk]), [SCRIPT]),
    "consultations:registrations": (
        "centre_staff",
        lambda w: reverse("consultations:registrations", args=[w.event.pk]),
        [SCRIPT],
    ),
    "consultations:interpreters": (
        "centre_staff",
        lambda w: reverse("consultations:interpreters", args=[w.event.pk]),
        [ATTR],
    ),
    "consultations:meeting_create": (
        "centre_staff",
        lambda w: reverse("consultations:meeting_create", args=[w.event.pk]),
        [SCRIPT, ATTR],
    ),
    "consultations:detail": (
        "centre_staff",
        lambda w: reverse("consultations:detail", args=[w.event.pk]),
        [SCRIPT],
    ),
    "dashboard": ("centre_staff", lambda w: reverse("dashboard"), [IMG]),
}


@pytest.mark.parametrize("page", SEEDED_PAGES)
def test_payloads_in_stored_names_render_escaped_on_the_pages_that_show_them(client, world, page):
    role, url, payloads = SEEDED_PAGES[page]
    if role is not None:
        client.force_login(world.users[role])
    response = client.get(url(world))

    assert response.status_code == 200
    fz.assert_no_raw_payload(response, page)
    fz.assert_shown_escaped(response, payloads, page)


def _portal_forms():
    modules = [
        account_forms,
        company_forms,
        demand_forms,
        event_forms,
        booking_forms,
        outcome_forms,
        company_filters,
        demand_filters,
    ]
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseForm | BaseFormSet | FilterSet):
                if value.__module__ == module.__name__:
                    yield value


def test_every_form_and_filter_of_the_portal_has_a_fuzzing_target():
    covered = {form for target in TARGETS for form in target.covers}
    assert set(_portal_forms()) - covered == set()
