"""Every URL of the portal (but set_language) as every role, against one written table.

The admin site's table is in test_permission_matrix_admin.py; the check that no URL is missing covers both.

A stranger gets 404 for another organisation's editable things (no leak that they exist), a member
without the right 403, an anonymous visitor of a members' page a redirect to the login page. Each
(URL, role) case builds its own data: the POST endpoints approve, publish and close things.
A named URL that is missing from the table fails `test_every_named_url_of_the_portal_is_in_the_matrix`.
"""

import datetime as dt
import functools
import io

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image
from pypdf import PdfWriter

from matching.companies.models import Company
from matching.consultations.booking.models import Meeting, MeetingChangeRequest, MeetingRequest
from matching.consultations.events.models import Event, ProgrammeSession, ShortlistEntry
from matching.demands.models import BuyerOrganisation, Demand
from matching.kernel.models import ApprovalStatus
from matching.partnering.models import Message, PartnerRequest
from portal.accounts.models import Invitation
from portal.privacy.models import ConsentRecord
from tests import factories
from tests.csp import assert_page_works_under_the_policy
from tests.partnering import factories as partnering_factories
from tests.permission_table import EXPECTED
from tests.roles import ADMIN, ANON, BKK, BUYER, BUYER2, IST, ROLES, SME, STRANGER, users_by_role
from tests.test_permission_matrix_admin import EXPECTED as ADMIN_EXPECTED

# Anonymous 302s that are not "log in first".
NOT_A_LOGIN_REDIRECT = {"logout", "accounts:password_reset_confirm", "language"}


@functools.cache
def tiny_png():
    """The bytes of a 1 x 1 PNG."""
    output = io.BytesIO()
    Image.new("RGBA", (1, 1), (11, 61, 145, 255)).save(output, format="PNG")
    return output.getvalue()


@functools.cache
def tiny_pdf():
    """The bytes of a valid one-page PDF."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.fixture
def world(sme_owner, stranger, buyer, centre_staff, other_centre_staff, admin, bangkok_centre):
    """A user of every role and one object of every kind the URLs name."""
    thailand = bangkok_centre.city.country
    company = sme_owner.company
    company.brochure.save("seoul-traffic.pdf", ContentFile(tiny_pdf()), save=True)
    company.logo.save("seoul-traffic.png", ContentFile(tiny_png()), save=True)
    solution = factories.SolutionFactory(company=company, name_en="Adaptive signals", name_ko="적응형 신호")

    pending_company = factories.CompanyFactory(
        name_en="Gwangju Parking Grid", name_ko="광주파킹그리드", approval_status=ApprovalStatus.PENDING
    )
    pending_company.logo.save("gwangju.png", ContentFile(tiny_png()), save=True)
    pending_member = factories.SmeMemberFactory(username="gwangju", company=pending_company)

    chiang_mai = factories.CityFactory(country=thailand, name_en="Chiang Mai", name_ko="치앙마이")
    other_buyer = factories.BuyerMemberFactory(
        username="other_buyer",
        buyer_organisation=factories.BuyerOrganisationFactory(
            name="Chiang Mai Municipality", city=chiang_mai
        ),
    )
    pending_buyer = factories.BuyerOrganisationFactory(
        name="Udon Thani Municipality",
        city=factories.CityFactory(country=thailand, name_en="Udon Thani", name_ko="우돈타니"),
        approval_status=ApprovalStatus.PENDING,
    )
    factories.BuyerMemberFactory(username="udon", buyer_organisation=pending_buyer)

    khon_kaen = buyer.buyer_organisation
    users = users_by_role(sme_owner, stranger, buyer, other_buyer, centre_staff, other_centre_staff, admin)
    return {
        "users": users,
        "company": company,
        "solution": solution,
        "pending_company": pending_company,
        "pending_buyer": pending_buyer,
        "open_demand": factories.DemandFactory(buyer=khon_kaen, title="Flood warning", published=True),
        "draft_demand": factories.DemandFactory(buyer=khon_kaen, title="Draft: flood sirens"),
        "invitation": factories.InvitationFactory(invited_by=sme_owner),
        **_bangkok_event(bangkok_centre, company, khon_kaen),
        **_partner_requests(company, khon_kaen, buyer),
        "used_invitation": factories.InvitationFactory(invited_by=sme_owner, accepted_by=pending_member),
    }


def _bangkok_event(centre, company, buyer):
    event = factories.EventFactory(
        name="Smart City Roadshow Bangkok",
        city=centre.city,
        organising_centre=centre,
        start_date=timezone.localdate() + dt.timedelta(days=30),  # upcoming: members may register
    )
    sme_registration = factories.SmeRegistrationFactory(event=event, company=company)
    buyer_registration = factories.BuyerRegistrationFactory(event=event, buyer=buyer)
    meeting = factories.MeetingFactory(
        slot=factories.TimeSlotFactory(event=event),
        sme=sme_registration,
        buyer=buyer_registration,
        table=factories.TableFactory(event=event, name="T01"),
    )
    return {
        "event": event,
        "sme_registration": sme_registration,
        "buyer_registration": buyer_registration,
        "meeting": meeting,
        "interpreter": factories.InterpreterFactory(event=event, name="Somchai"),
        "programme_session": ProgrammeSession.objects.create(
            event=event,
            title="Opening remarks",
            starts_at=meeting.slot.starts_at - dt.timedelta(hours=1),
            ends_at=meeting.slot.starts_at,
            room="Grand Ballroom",
        ),
        "mou": factories.MouFactory(
            meeting=meeting, document=ContentFile(tiny_pdf(), name="signed.pdf"), title="Parking pilot"
        ),
    }


def _partner_requests(company, buyer_organisation, buyer):
    """Khon Kaen asks the company a question (waiting), and the two agreed an online meeting."""
    asked = partnering_factories.PartnerRequestFactory(
        company=company, buyer=buyer_organisation, requested_by=buyer
    )
    agreed = partnering_factories.PartnerRequestFactory(
        company=company,
        buyer=buyer_organisation,
        kind="online",
        status="accepted",
        agreed_start=timezone.now() + dt.timedelta(days=3),
        video_link="https://meet.example.com/khon-kaen",
    )
    conversation = partnering_factories.ConversationFactory(company=company, buyer=buyer_organisation)
    partnering_factories.MessageFactory(conversation=conversation, author=buyer, body=asked.message)
    return {"partner_request": asked, "agreed_request": agreed, "conversation": conversation}


def _answer_request(world):
    request = factories.MeetingRequestFactory(
        event=world["event"],
        sme=world["sme_registration"],
        buyer=world["buyer_registration"],
        requested_by_sme=False,
    )
    return "post", reverse("consultations:request_answer", args=[request.pk, "accept"]), {}


def _meeting_request(world):
    url = reverse("consultations:request_create", args=[world["event"].pk])
    data = {"sme": world["sme_registration"].pk, "buyer": world["buyer_registration"].pk}
    return "post", url, data


def _book_taken_table(world):
    """Staff book another pair at the world's meeting's table and slot: refused, the form re-rendered."""
    event, meeting = world["event"], world["meeting"]
    sme = factories.SmeRegistrationFactory(event=event)
    buyer = factories.BuyerRegistrationFactory(event=event)
    data = {"sme": sme.pk, "buyer": buyer.pk, "slot": meeting.slot_id, "table": meeting.table_id}
    return "post", reverse("consultations:meeting_create", args=[event.pk]), data


def _walk_in(method="get"):
    """The walk-in page of table T02 in the world's meeting's slot (free: the meeting is at T01); the POST
    asks for the world's pair, who have not checked in."""

    def build(world):
        event, meeting = world["event"], world["meeting"]
        table = factories.TableFactory(event=event, name="T02")
        url = reverse("consultations:walk_in", args=[event.pk]) + f"?slot={meeting.slot_id}&table={table.pk}"
        data = {"sme": world["sme_registration"].pk, "buyer": world["buyer_registration"].pk}
        return method, url, data if method == "post" else {}

    build.reads_only = method == "get"
    return build


def _change_request(world):
    """The company asks KOTRA to cancel the world's meeting (once: the accessibility test builds several
    of these requests on one world)."""
    waiting = MeetingChangeRequest.objects.filter(meeting=world["meeting"], status="pending").first()
    return waiting or MeetingChangeRequest.objects.create(
        meeting=world["meeting"],
        kind=MeetingChangeRequest.Kind.CANCEL,
        reason=MeetingChangeRequest.Reason.CLASH,
        asked_by=world["users"][SME],
        asking_side=MeetingChangeRequest.Side.SME,
    )


def _change_request_url(name, method="get", data=None):
    def build(world):
        change_request = _change_request(world)
        if name == "consultations:meeting_change_answer":
            url = reverse(name, args=[world["event"].pk, change_request.pk])
        else:
            url = reverse(name, args=[change_request.pk])
        return method, url, data or {}

    return build


def _decide_registration(world):
    registration = factories.SmeRegistrationFactory(event=world["event"], status="pending")
    url = reverse("consultations:registration_decide", args=[world["event"].pk, registration.pk, "confirm"])
    return "post", url, {}


def _review(kind, decision):
    def build(world):
        organisation = world["pending_company" if kind == "company" else "pending_buyer"]
        url = reverse("accounts:review_decide", args=[kind, organisation.pk, decision])
        data = {"reason": "The registration certificate does not match."} if decision == "reject" else {}
        return "post", url, data

    return build


def _draft_event_programme(world):
    """The public page of a draft event of the Bangkok centre: its staff's (and admins') only."""
    draft = factories.EventFactory(
        name="Smart City Roadshow Chiang Mai",
        city=world["event"].city,
        organising_centre=world["event"].organising_centre,
        status=Event.Status.DRAFT,
    )
    return "get", reverse("consultations:programme", args=[draft.pk]), {}


def _add_programme_session(world):
    """Staff add a seminar talk to the world's event in the afternoon of its first day."""
    event = world["event"]
    data = {
        "kind": "seminar",
        "title": "Smart-city policy talk",
        "day": event.start_date.isoformat(),
        "starts": "15:00",
        "ends": "15:30",
        "room": "Hall B",
        "languages": [factories.LanguageFactory(code="en", name_en="English").pk],
        "open_to_all": "on",
    }
    return "post", reverse("consultations:programme_sessions", args=[event.pk]), data


def _password_reset_link(world):
    user = world["users"][SME]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return "get", reverse("accounts:password_reset_confirm", args=[uid, token]), {}


def _own_company_pending(world):
    company = world["company"]
    company.approval_status = ApprovalStatus.PENDING
    company.save(update_fields=["approval_status"])
    return "get", reverse("companies:detail", args=[company.pk]), {}


def _get(name, *objects):
    """A GET of `name` with the primary keys (or tokens) of the world's `objects` as arguments."""

    def build(world):
        args = [world[key].token if key.endswith("invitation") else world[key].pk for key in objects]
        return "get", reverse(name, args=args), {}

    build.reads_only = True
    return build


def _ministry_report(language, extension, year=False):
    """The ministry's report of the world's (Bangkok) event, or of its year."""

    def build(world):
        event = world["event"]
        kwargs = {"language": language, "extension": extension}
        if year:
            return "get", reverse("ministry_report_year", kwargs=kwargs | {"year": event.start_date.year}), {}
        return "get", reverse("ministry_report", kwargs=kwargs | {"pk": event.pk}), {}

    build.reads_only = True
    return build


def _post(name, *objects, data=None):
    def build(world):
        return "post", reverse(name, args=[world[key].pk for key in objects]), data or {}

    return build


REQUESTS = {
    "home": _get("home"),
    "language": lambda world: ("get", reverse("language", args=["ko"]) + "?next=/demands/", {}),
    "language (unknown)": lambda world: ("get", reverse("language", args=["xx"]), {}),
    "healthz": _get("healthz"),
    "login": _get("login"),
    "logout": _post("logout"),
    "logout (GET)": _get("logout"),
    "member_home": _get("member_home"),
    "accounts:signup": _get("accounts:signup"),
    "accounts:preferences": _get("accounts:preferences"),
    "privacy:consents": _get("privacy:consents"),
    "privacy:consents (withdraw marketing)": _post(
        "privacy:consents", data={"kind": "marketing", "decision": "withdraw"}
    ),
    "privacy:consents (an unknown consent)": _post(
        "privacy:consents", data={"kind": "newsletter", "decision": "give"}
    ),
    "privacy:my_data": _get("privacy:my_data"),
    "privacy:my_data_json": _get("privacy:my_data_json"),
    "privacy:deletion_request": _get("privacy:deletion_request"),
    "privacy:deletion_request (wrong password)": _post("privacy:deletion_request", data={"password": "nope"}),
    "privacy:deletion_request_withdraw": _post("privacy:deletion_request_withdraw"),
    "privacy:deletion_request_withdraw (GET)": _get("privacy:deletion_request_withdraw"),
    "accounts:invite": _post("accounts:invite", data={"email": "colleague@example.com"}),
    "accounts:invite (invalid e-mail)": _post("accounts:invite", data={"email": "not an address"}),
    "accounts:invite (GET)": _get("accounts:invite"),
    "accounts:invitation_accept": _get("accounts:invitation_accept", "invitation"),
    "accounts:invitation_accept (used)": _get("accounts:invitation_accept", "used_invitation"),
    "accounts:review_queue": _get("accounts:review_queue"),
    "accounts:review_decide (company, approve)": _review("company", "approve"),
    "accounts:review_decide (company, reject)": _review("company", "reject"),
    "accounts:review_decide (buyer, approve)": _review("buyer", "approve"),
    "accounts:review_decide (buyer, reject)": _review("buyer", "reject"),
    "accounts:password_change": _get("accounts:password_change"),
    "accounts:password_change_done": _get("accounts:password_change_done"),
    "accounts:password_reset": _get("accounts:password_reset"),
    "accounts:password_reset_done": _get("accounts:password_reset_done"),
    "accounts:password_reset_confirm": _password_reset_link,
    "accounts:password_reset_complete": _get("accounts:password_reset_complete"),
    "companies:list": _get("companies:list"),
    "companies:detail (approved)": _get("companies:detail", "company"),
    "companies:detail (another company, pending)": _get("companies:detail", "pending_company"),
    "companies:detail (own company, pending)": _own_company_pending,
    "companies:brochure": _get("companies:brochure", "company"),
    "companies:logo": _get("companies:logo", "company"),
    "companies:logo (another company, pending)": _get("companies:logo", "pending_company"),
    "companies:edit": _get("companies:edit", "company"),
    "companies:solutions": _get("companies:solutions", "company"),
    "companies:references": _get("companies:references", "company", "solution"),
    "demands:list": _get("demands:list"),
    "demands:mine": _get("demands:mine"),
    "demands:create": _get("demands:create"),
    "demands:detail (open)": _get("demands:detail", "open_demand"),
    "demands:detail (draft)": _get("demands:detail", "draft_demand"),
    "demands:edit": _get("demands:edit", "draft_demand"),
    "demands:publish": _post("demands:publish", "draft_demand"),
    "demands:publish (GET)": _get("demands:publish", "draft_demand"),
    "demands:close": _post("demands:close", "open_demand"),
    "demands:close (draft)": _post("demands:close", "draft_demand"),
    "company_matches": _get("company_matches", "company"),
    "demand_matches": _get("demand_matches", "open_demand"),
    "dashboard": _get("dashboard"),
    "dashboard_export": _get("dashboard_export"),
    "dashboard_export_xlsx": _get("dashboard_export_xlsx"),
    "ministry_report": _ministry_report("ko", "pdf"),
    "ministry_report (Excel, English)": _ministry_report("en", "xlsx"),
    "ministry_report_year": _ministry_report("ko", "pdf", year=True),
    "consultations:events": _get("consultations:events"),
    "consultations:my_agenda": _get("consultations:my_agenda"),
    "consultations:agenda": _get("consultations:agenda", "sme_registration"),
    "consultations:agenda_ics": _get("consultations:agenda_ics", "sme_registration"),
    "consultations:meeting_ics": _get("consultations:meeting_ics", "meeting"),
    "consultations:outcome": _get("consultations:outcome", "meeting"),
    "consultations:mou_document": _get("consultations:mou_document", "mou"),
    "consultations:follow_up": lambda world: (
        "get",
        reverse("consultations:follow_up", args=[factories.FollowUpFactory(meeting=world["meeting"]).token]),
        {},
    ),
    "consultations:log": _get("consultations:log", "event"),
    "consultations:check_in": _get("consultations:check_in", "event"),
    "consultations:check_in (typed code)": _post(
        "consultations:check_in", "event", data={"code": "AAAA-AAAA"}
    ),
    "consultations:check_in (at a table)": lambda world: (
        "get",
        reverse("consultations:check_in", args=[world["event"].pk]) + f"?table={world['meeting'].table_id}",
        {},
    ),
    "consultations:table_check_in": lambda world: (
        "get",
        reverse("consultations:table_check_in", args=[world["event"].pk, world["meeting"].table_id]),
        {},
    ),
    "consultations:table_check_in (typed code)": lambda world: (
        "post",
        reverse("consultations:table_check_in", args=[world["event"].pk, world["meeting"].table_id]),
        {"code": "AAAA-AAAA"},
    ),
    "consultations:board": _get("consultations:board", "event"),
    "consultations:walk_in": _walk_in(),
    "consultations:walk_in (nobody checked in)": _walk_in("post"),
    "consultations:schedule": _post("consultations:schedule", "event", data={"time_limit_seconds": "abc"}),
    "consultations:create": _get("consultations:create"),
    "consultations:detail": _get("consultations:detail", "event"),
    "consultations:edit": _get("consultations:edit", "event"),
    "consultations:publish": lambda world: (
        "post",
        reverse("consultations:publish", args=[world["event"].pk, "unpublish"]),
        {},
    ),
    "consultations:reopen": _post(
        "consultations:reopen", "event", data={"until": "2031-01-01", "confirm": "on"}
    ),
    "consultations:reopening_end": _post("consultations:reopening_end", "event"),
    "consultations:request_answer": _answer_request,
    "consultations:suggestions": _get("consultations:suggestions", "event"),
    "consultations:request_create": _meeting_request,
    "consultations:grid": _get("consultations:grid", "event"),
    "consultations:meeting_create": _get("consultations:meeting_create", "event"),
    "consultations:meeting_create (slot taken)": _book_taken_table,
    "consultations:meetings_lock": lambda world: (
        "post",
        reverse("consultations:meetings_lock", args=[world["event"].pk, "lock"]),
        {},
    ),
    "consultations:meeting_edit": _get("consultations:meeting_edit", "event", "meeting"),
    "consultations:meeting_cancel": _get("consultations:meeting_cancel", "event", "meeting"),
    "consultations:meeting_cancel (with a reason)": _post(
        "consultations:meeting_cancel", "event", "meeting", data={"reason": "The venue closed."}
    ),
    "consultations:meeting_change_ask": _get("consultations:meeting_change_ask", "meeting"),
    "consultations:meeting_change_ask (send)": _post(
        "consultations:meeting_change_ask", "meeting", data={"kind": "cancel", "reason": "clash"}
    ),
    "consultations:meeting_change_withdraw": _change_request_url(
        "consultations:meeting_change_withdraw", "post"
    ),
    "consultations:meeting_change_withdraw (GET)": _change_request_url(
        "consultations:meeting_change_withdraw"
    ),
    "consultations:meeting_change_answer": _change_request_url("consultations:meeting_change_answer"),
    "consultations:meeting_change_answer (approve)": _change_request_url(
        "consultations:meeting_change_answer", "post", {"decision": "approve"}
    ),
    "consultations:registrations": _get("consultations:registrations", "event"),
    "consultations:registration_create": _get("consultations:registration_create", "event"),
    "consultations:registration_edit": _get("consultations:registration_edit", "event", "sme_registration"),
    "consultations:registration_decide": _decide_registration,
    "consultations:interpreters": _get("consultations:interpreters", "event"),
    "consultations:interpreter_edit": _get("consultations:interpreter_edit", "event", "interpreter"),
    "consultations:programme": _get("consultations:programme", "event"),
    "consultations:programme (draft)": _draft_event_programme,
    "consultations:programme_sessions": _get("consultations:programme_sessions", "event"),
    "consultations:programme_sessions (add)": _add_programme_session,
    "consultations:programme_session_edit": _get(
        "consultations:programme_session_edit", "event", "programme_session"
    ),
    "consultations:programme_session_delete": _post(
        "consultations:programme_session_delete", "event", "programme_session"
    ),
    "consultations:programme_session_delete (GET)": _get(
        "consultations:programme_session_delete", "event", "programme_session"
    ),
    "consultations:join_list": _get("consultations:join_list"),
    "consultations:meet": _get("consultations:meet", "event"),
    "consultations:shortlist": lambda world: (
        "post",
        reverse("consultations:shortlist", args=[world["event"].pk, "add"]),
        {"with": world["buyer_registration"].pk},
    ),
    "consultations:join": _get("consultations:join", "event"),
    "partnering:requests": _get("partnering:requests"),
    "partnering:new (a company)": lambda world: (
        "get",
        reverse("partnering:new") + f"?company={world['company'].pk}",
        {},
    ),
    "partnering:request": _get("partnering:request", "partner_request"),
    "partnering:answer": _post("partnering:answer", "partner_request", data={"decision": "accept"}),
    "partnering:answer (GET)": _get("partnering:answer", "partner_request"),
    "partnering:withdraw": _post("partnering:withdraw", "partner_request"),
    "partnering:move": lambda world: (
        "post",
        reverse("partnering:move", args=[world["agreed_request"].pk]),
        {"time_1": f"{timezone.localdate() + dt.timedelta(days=10):%Y-%m-%d}T11:00"},
    ),
    "partnering:move_answer": _post("partnering:move_answer", "agreed_request", data={"start": ""}),
    "partnering:ics": _get("partnering:ics", "agreed_request"),
    "partnering:ics (no time agreed)": _get("partnering:ics", "partner_request"),
    "partnering:inbox_count": _get("partnering:inbox_count"),
    "partnering:conversations": _get("partnering:conversations"),
    "partnering:conversation": _get("partnering:conversation", "conversation"),
    "partnering:conversation (write)": _post(
        "partnering:conversation", "conversation", data={"body": "Hello"}
    ),
    "geo:city_options": lambda world: ("get", reverse("geo:city_options") + "?country=VN", {}),
    "geo:city_options (unknown country)": lambda world: (
        "get",
        reverse("geo:city_options") + "?country=XX",
        {},
    ),
}


def _state(world):
    """What the POST endpoints change, read again from the database."""
    return (
        Company.objects.get(pk=world["pending_company"].pk).approval_status,
        BuyerOrganisation.objects.get(pk=world["pending_buyer"].pk).approval_status,
        Demand.objects.get(pk=world["open_demand"].pk).status,
        Demand.objects.get(pk=world["draft_demand"].pk).status,
        Invitation.objects.count(),
        MeetingRequest.objects.count(),
        len(mail.outbox),
        list(PartnerRequest.objects.order_by("pk").values_list("status", flat=True)),
        Message.objects.count(),
        ShortlistEntry.objects.count(),
        list(MeetingChangeRequest.objects.order_by("pk").values_list("status", flat=True)),
        list(Meeting.objects.order_by("pk").values_list("status", flat=True)),
        ConsentRecord.objects.count(),
        list(ProgrammeSession.objects.order_by("pk").values_list("title", flat=True)),
    )


def url_name(label):
    """'companies:detail (approved)' -> 'companies:detail'."""
    return label.split(" (")[0]


CASES = [(label, role) for label in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("label", "role"), CASES, ids=[f"{label} as {role}" for label, role in CASES])
def test_every_role_gets_the_expected_status_from_every_url(client, world, label, role):
    if role != ANON:
        client.force_login(world["users"][role])
    method, url, data = REQUESTS[label](world)
    before = _state(world)

    response = getattr(client, method)(url, data)
    if response.streaming:  # a file: reading it to the end lets the client close it
        assert b"".join(response.streaming_content).startswith((b"%PDF-", b"\x89PNG"))

    assert response.status_code == EXPECTED[label][role], f"{method.upper()} {url} as {role}"
    assert_page_works_under_the_policy(response)
    if response.status_code == 302:
        to_login = response["Location"].startswith(reverse("login") + "?next=")
        assert to_login == (role == ANON and label not in NOT_A_LOGIN_REDIRECT), response["Location"]
    if response.status_code >= 400:
        assert _state(world) == before, "a refused request changed something"


# The pages' reads, asked by every role in turn on one worker with the cache as in production (the test
# settings' real cache, emptied before each test): what one role's page left in the cache (a directory's
# fragment, a visitor's page, a session) must never answer another role. The roles who see most go first.
READS = [label for label in EXPECTED if getattr(REQUESTS[label], "reads_only", False)]
MOST_FIRST = [ADMIN, BKK, IST, SME, BUYER, STRANGER, BUYER2, ANON]


@pytest.mark.parametrize("label", READS)
def test_with_the_cache_every_role_in_turn_still_gets_its_own_status(client, world, label):
    _, url, _ = REQUESTS[label](world)
    statuses = {}
    for role in MOST_FIRST:
        if role == ANON:
            client.logout()
        else:
            client.force_login(world["users"][role])
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        statuses[role] = response.status_code

    assert statuses == {role: EXPECTED[label][role] for role in MOST_FIRST}, url


def test_the_matrix_has_every_role_for_every_label_and_a_request_for_each():
    assert list(REQUESTS) == list(EXPECTED)
    assert {label: sorted(statuses) for label, statuses in EXPECTED.items()} == {
        label: sorted(ROLES) for label in EXPECTED
    }


def _named_patterns(patterns, namespace=""):
    """The full names ('demands:detail') of the named URL patterns, through every include."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "i18n/":  # Django's set_language
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if namespace == "admin:" and not pattern.name:  # the admin's old-style redirect to a change page
                continue
            assert pattern.name, f"unnamed URL pattern {pattern.pattern}: name it and add it to the matrix"
            yield namespace + pattern.name


def test_every_named_url_of_the_portal_is_in_the_matrix():
    named = set(_named_patterns(get_resolver().url_patterns))
    in_matrix = {url_name(label) for label in [*EXPECTED, *ADMIN_EXPECTED]}

    assert named - in_matrix == set(), "add these URLs to EXPECTED in tests/test_permission_matrix.py"
    assert in_matrix - named == set(), "these matrix entries name no URL"
