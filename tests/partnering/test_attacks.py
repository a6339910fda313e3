"""Partnering attacked as an intruder or a careless user would: forged ids in every URL and form, forged
form values, HTML and NUL bytes in every text field, contact details looked for where they must not show,
and races of real threads on PostgreSQL. Each asserts what must hold (the faults it found are fixed)."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from matching.partnering import services
from matching.partnering.models import Conversation, Message, PartnerRequest, ProposedTime
from tests import factories
from tests.partnering.factories import ConversationFactory, MessageFactory, PartnerRequestFactory
from tests.races import race

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
XSS = '<script>alert("x")</script>'
XSS_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
CONTACTS = ("sales@seoul-traffic.example", "+82 2 555 0100", "smartcity@khonkaen.example")


def _next_week_at(hour, zone=SEOUL):
    day = timezone.localdate() + dt.timedelta(days=7)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)


def _local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run what the services hand to the task queue after their commit (the e-mails) inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def asked(company, organisation, buyer):
    """The buyer's online meeting request to the company, at two proposed times next week."""
    return services.partner_request_create(
        requested_by=buyer,
        company=company,
        buyer=organisation,
        kind="online",
        message="Shall we meet online?",
        proposed_times=[_next_week_at(10), _next_week_at(14)],
    )


@pytest.fixture
def agreed(asked, sme_owner):
    """The same request, accepted at 10:00 Seoul time next week."""
    return services.partner_request_answer(
        request=asked, answered_by=sme_owner, accept=True, start=_next_week_at(10)
    )


@pytest.fixture
def intruder(db):
    """A member of a third, approved buyer organisation that has nothing to do with the two."""
    return factories.BuyerMemberFactory(username="intruder")


# ------------------------------------------------------------------------------------------ forged ids
FORGED = [
    ("get", "/partners/{pk}/", {}),
    ("get", "/partners/{pk}/meeting.ics", {}),
    ("post", "/partners/{pk}/answer/", {"decision": "decline", "reason": "not_now"}),
    ("post", "/partners/{pk}/withdraw/", {}),
    ("post", "/partners/{pk}/move/", {"time_1": "2031-01-01T10:00"}),
    ("post", "/partners/{pk}/move/answer/", {"start": ""}),
]


@pytest.mark.parametrize(("method", "url", "data"), FORGED, ids=[u for _m, u, _d in FORGED])
@pytest.mark.parametrize("who", ["stranger", "intruder"])
def test_another_organisations_request_id_is_not_found_in_every_url_and_changes_nothing(
    client, agreed, method, url, data, who, request
):
    client.force_login(request.getfixturevalue(who))

    response = getattr(client, method)(url.format(pk=agreed.pk), data)

    assert response.status_code == 404
    before = (agreed.status, agreed.agreed_start, agreed.move_asked_by_company)
    agreed.refresh_from_db()
    assert (agreed.status, agreed.agreed_start, agreed.move_asked_by_company) == before


@pytest.mark.parametrize("pk", ["999999", "2147483647"])
def test_a_request_id_that_does_not_exist_is_not_found(client, buyer, pk):
    client.force_login(buyer)

    assert client.get(f"/partners/{pk}/").status_code == 404
    assert client.post(f"/partners/{pk}/withdraw/").status_code == 404


def test_an_id_beyond_the_database_integer_is_not_found_rather_than_an_error(client, buyer):
    client.force_login(buyer)

    assert client.get(f"/partners/{10**30}/").status_code == 404
    assert client.get(f"/partners/messages/{10**30}/").status_code == 404


def test_negative_and_non_numeric_ids_in_the_path_do_not_route(client, buyer):
    client.force_login(buyer)

    assert client.get("/partners/-1/").status_code == 404
    assert client.get("/partners/abc/").status_code == 404


@pytest.mark.parametrize("who", ["stranger", "intruder", "other_centre_staff", "admin"])
def test_a_third_organisation_other_centres_staff_and_admins_neither_read_nor_write_a_conversation(
    client, asked, who, request
):
    conversation = Conversation.objects.get()
    client.force_login(request.getfixturevalue(who))

    read = client.get(f"/partners/messages/{conversation.pk}/")
    write = client.post(f"/partners/messages/{conversation.pk}/", {"body": "Let me in"})
    listed = client.get("/partners/messages/")

    assert read.status_code == 404
    assert write.status_code == 404
    assert "Shall we meet online?" not in read.content.decode()
    assert Message.objects.filter(body="Let me in").count() == 0
    assert listed.status_code == 403 or conversation not in list(listed.context["conversations"])


def test_staff_of_the_organising_centre_cannot_post_a_message_even_by_forging_the_form(
    client, asked, company, organisation, centre_staff, bangkok_centre
):
    event = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city)
    factories.SmeRegistrationFactory(event=event, company=company)
    factories.BuyerRegistrationFactory(event=event, buyer=organisation)
    conversation = Conversation.objects.get()
    client.force_login(centre_staff)

    response = client.post(f"/partners/messages/{conversation.pk}/", {"body": "Staff writes"})

    assert response.status_code == 403
    assert not Message.objects.filter(body="Staff writes").exists()


def test_staff_and_admins_have_no_request_pages_at_all(client, asked, centre_staff, admin):
    for user in (centre_staff, admin):
        client.force_login(user)
        assert client.get(f"/partners/{asked.pk}/").status_code == 403
        assert client.get("/partners/").status_code == 403
        assert client.get(f"/partners/new/?company={asked.company_id}").status_code == 403


def test_the_asker_cannot_answer_its_own_request_by_posting_the_answer_form(client, asked, buyer):
    client.force_login(buyer)

    client.post(
        f"/partners/{asked.pk}/answer/",
        {"decision": "accept", "start": _next_week_at(10).astimezone(dt.UTC).isoformat()},
    )

    asked.refresh_from_db()
    assert asked.status == "pending"


def test_the_proposer_of_new_times_cannot_pick_one_by_posting_the_move_answer_form(client, agreed, sme_owner):
    client.force_login(sme_owner)
    new = _next_week_at(16) + dt.timedelta(days=1)
    client.post(f"/partners/{agreed.pk}/move/", {"time_1": _local(new)})

    client.post(f"/partners/{agreed.pk}/move/answer/", {"start": new.astimezone(dt.UTC).isoformat()})

    agreed.refresh_from_db()
    assert agreed.agreed_start == _next_week_at(10)
    assert agreed.move_asked_by_company is True


# ------------------------------------------------------------------------------ forged /partners/new/
@pytest.mark.parametrize("value", ["abc", "-1", "0", "1.5", "", "999999999", str(2**31), str(10**30)])
def test_a_forged_company_id_in_the_new_request_url_is_not_found(client, buyer, value):
    client.force_login(buyer)

    assert client.get(f"/partners/new/?company={value}").status_code == 404


def test_a_pending_or_rejected_company_cannot_be_asked_even_by_its_id(client, buyer):
    pending = factories.CompanyFactory(approval_status="pending")
    rejected = factories.CompanyFactory(approval_status="rejected", rejection_reason="Not a Korean SME.")
    client.force_login(buyer)

    for company in (pending, rejected):
        page = client.get(f"/partners/new/?company={company.pk}")
        sent = client.post(f"/partners/new/?company={company.pk}", {"kind": "question", "message": "Hi"})
        assert (page.status_code, sent.status_code) == (404, 404)
    assert not PartnerRequest.objects.exists()


def test_a_buyer_member_cannot_use_the_buyer_query_nor_an_sme_the_company_query(
    client, buyer, sme_owner, company, organisation
):
    client.force_login(buyer)
    as_buyer = client.get(f"/partners/new/?buyer={organisation.pk}")
    client.force_login(sme_owner)
    as_sme = client.get(f"/partners/new/?company={company.pk}")

    assert (as_buyer.status_code, as_sme.status_code) == (404, 404)


@pytest.mark.parametrize("value", ["abc", "1.5", "0x10", "[]"])
def test_a_non_numeric_demand_id_is_ignored_rather_than_an_error_page(client, sme_owner, organisation, value):
    client.force_login(sme_owner)

    response = client.get(f"/partners/new/?buyer={organisation.pk}&demand={value}")

    assert response.status_code in (200, 404)


@pytest.mark.parametrize("value", ["-1", "0", "999999999", str(10**30)])
def test_a_numeric_demand_id_that_is_no_listing_of_theirs_is_ignored(client, sme_owner, organisation, value):
    client.force_login(sme_owner)

    response = client.get(f"/partners/new/?buyer={organisation.pk}&demand={value}")

    assert response.status_code == 200
    assert response.context["demand"] is None


def test_a_listing_of_another_buyer_or_a_draft_listing_is_not_attached_to_the_request(
    client, sme_owner, organisation, company
):
    someone_elses = factories.DemandFactory(published=True, title="Another city's secret tender")
    draft = factories.DemandFactory(buyer=organisation, title="Khon Kaen draft tender")
    client.force_login(sme_owner)

    for demand in (someone_elses, draft):
        page = client.get(f"/partners/new/?buyer={organisation.pk}&demand={demand.pk}")
        assert demand.title not in page.content.decode()
        client.post(
            f"/partners/new/?buyer={organisation.pk}&demand={demand.pk}",
            {"kind": "interest", "message": f"About {demand.pk}"},
        )
    assert list(PartnerRequest.objects.values_list("demand", flat=True)) == [None]


def test_a_forged_kind_in_the_query_is_neither_reflected_nor_an_error(client, buyer, company):
    client.force_login(buyer)

    response = client.get(f"/partners/new/?company={company.pk}&kind=%3Cscript%3Ealert(1)%3C/script%3E")

    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


# ----------------------------------------------------------------------------------- forged form values
def _ask(client, user, company, **data):
    client.force_login(user)
    return client.post(f"/partners/new/?company={company.pk}", {"kind": "question", "message": "Hi"} | data)


def test_a_kind_not_in_the_list_is_refused(client, buyer, company):
    response = _ask(client, buyer, company, kind="contract")

    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not PartnerRequest.objects.exists()


def test_a_past_event_cannot_be_named_by_id(client, buyer, company, bangkok_centre):
    past = factories.EventFactory(
        organising_centre=bangkok_centre,
        start_date=timezone.localdate() - dt.timedelta(days=10),
    )

    response = _ask(client, buyer, company, kind="in_person", event=past.pk)

    assert "event" in response.context["form"].errors
    assert not PartnerRequest.objects.exists()


def test_a_draft_roadshow_is_neither_offered_nor_accepted(client, buyer, company, bangkok_centre):
    draft = factories.EventFactory(
        organising_centre=bangkok_centre, status="draft", name="Secret Draft Roadshow Phuket"
    )
    client.force_login(buyer)

    page = client.get(f"/partners/new/?company={company.pk}").content.decode()
    response = _ask(client, buyer, company, kind="in_person", event=draft.pk)

    assert "Secret Draft Roadshow Phuket" not in page
    assert "event" in response.context["form"].errors
    assert not PartnerRequest.objects.exists()


def test_a_non_numeric_or_unknown_event_is_refused_on_the_form(client, buyer, company):
    for value in ("abc", "999999", "-3", str(10**30)):
        response = _ask(client, buyer, company, kind="in_person", event=value)
        assert response.status_code == 200
        assert "event" in response.context["form"].errors
    assert not PartnerRequest.objects.exists()


def test_an_event_sent_with_a_question_is_dropped(client, buyer, company, bangkok_centre):
    event = factories.EventFactory(organising_centre=bangkok_centre)

    _ask(client, buyer, company, kind="question", event=event.pk)

    assert PartnerRequest.objects.get().event is None


def test_times_in_the_past_are_refused_on_the_form_not_with_an_error_page(client, buyer, company):
    yesterday = timezone.now() - dt.timedelta(days=1)

    response = _ask(client, buyer, company, kind="online", time_1=_local(yesterday))

    assert response.status_code == 200
    assert "Propose times in the future." in response.content.decode()
    assert not PartnerRequest.objects.exists()


def test_a_time_in_year_one_is_refused_as_past_on_the_form(client, buyer, company):
    buyer.time_zone = "Asia/Bangkok"
    buyer.save()

    response = _ask(client, buyer, company, kind="online", time_1="0001-01-01T00:00")

    assert response.status_code == 200
    assert "Propose times in the future." in response.content.decode()
    assert not PartnerRequest.objects.exists()


def test_a_calendar_file_is_only_for_an_agreed_time(client, asked, buyer):
    client.force_login(buyer)

    assert client.get(f"/partners/{asked.pk}/meeting.ics").status_code == 404


def test_a_fourth_and_fifth_time_are_ignored_and_duplicates_count_once(client, buyer, company):
    times = [_local(_next_week_at(h)) for h in (9, 10, 11, 12, 13)]

    _ask(
        client,
        buyer,
        company,
        kind="online",
        time_1=times[0],
        time_2=times[0],
        time_3=times[1],
        time_4=times[2],
        time_5=times[3],
    )

    made = PartnerRequest.objects.get()
    assert made.proposed_times.count() == 2


@pytest.mark.parametrize(
    "value", ["tomorrow", "2031-13-45T10:00", "31/12/2031 10:00", "2031-03-04T25:00", "\x00", "9" * 400]
)
def test_a_time_in_a_bad_format_is_refused_on_the_form(client, buyer, company, value):
    response = _ask(client, buyer, company, kind="online", time_1=value)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not PartnerRequest.objects.exists()


def test_a_time_at_the_end_of_year_9999_is_refused_rather_than_breaking_the_request_page(
    client, buyer, company
):
    buyer.time_zone = "Asia/Bangkok"
    buyer.save()

    response = _ask(client, buyer, company, kind="online", time_1="9999-12-31T23:00")
    made = PartnerRequest.objects.first()
    page = client.get(f"/partners/{made.pk}/") if made else None

    assert response.status_code == 200
    assert made is None, f"the request page answered {page.status_code}"


def test_a_javascript_video_link_is_refused(client, buyer, company):
    response = _ask(
        client,
        buyer,
        company,
        kind="online",
        time_1=_local(_next_week_at(10)),
        video_link="javascript:alert(1)",
    )

    assert "video_link" in response.context["form"].errors
    assert not PartnerRequest.objects.exists()


def test_a_start_time_not_among_the_proposals_is_refused(client, asked, sme_owner):
    client.force_login(sme_owner)

    for start in (_next_week_at(11).astimezone(dt.UTC).isoformat(), "garbage", "\x00"):
        response = client.post(f"/partners/{asked.pk}/answer/", {"decision": "accept", "start": start})
        assert response.status_code == 200
        assert "start" in response.context["answer_form"].errors

    asked.refresh_from_db()
    assert (asked.status, asked.agreed_start) == ("pending", None)


def test_a_proposed_time_that_has_passed_cannot_be_accepted(client, asked, sme_owner):
    past = timezone.now() - dt.timedelta(hours=1)
    first = ProposedTime.objects.filter(request=asked).first()
    ProposedTime.objects.filter(pk=first.pk).update(starts_at=past)
    client.force_login(sme_owner)
    kept = ProposedTime.objects.get(pk=first.pk).starts_at

    response = client.post(
        f"/partners/{asked.pk}/answer/", {"decision": "accept", "start": kept.astimezone(dt.UTC).isoformat()}
    )

    asked.refresh_from_db()
    assert response.status_code == 200
    assert asked.status == "pending"


@pytest.mark.parametrize("reason", ["because", "", "OTHER", "not_now\x00"])
def test_a_decline_reason_not_in_the_list_is_refused(client, asked, sme_owner, reason):
    client.force_login(sme_owner)

    response = client.post(f"/partners/{asked.pk}/answer/", {"decision": "decline", "reason": reason})

    asked.refresh_from_db()
    assert response.status_code == 200
    assert asked.status == "pending"


@pytest.mark.parametrize("decision", ["maybe", "", "ACCEPT"])
def test_a_decision_not_in_the_list_is_refused(client, asked, sme_owner, decision):
    client.force_login(sme_owner)

    response = client.post(f"/partners/{asked.pk}/answer/", {"decision": decision, "reason": "not_now"})

    asked.refresh_from_db()
    assert response.status_code == 200
    assert asked.status == "pending"


def test_new_times_in_the_past_or_in_bad_formats_are_refused_on_the_move_form(client, agreed, sme_owner):
    client.force_login(sme_owner)

    for value in (_local(timezone.now() - dt.timedelta(days=2)), "soon", ""):
        response = client.post(f"/partners/{agreed.pk}/move/", {"time_1": value})
        assert response.status_code == 200
        assert response.context["move_form"].errors

    agreed.refresh_from_db()
    assert agreed.move_asked_by_company is None


def test_a_move_of_a_request_that_was_never_accepted_is_refused_with_a_message(client, asked, buyer):
    client.force_login(buyer)

    response = client.post(f"/partners/{asked.pk}/move/", {"time_1": _local(_next_week_at(12))})

    asked.refresh_from_db()
    assert response.status_code == 302
    assert asked.move_asked_by_company is None


def test_a_forged_time_in_the_move_answer_is_refused(client, agreed, sme_owner, buyer):
    client.force_login(sme_owner)
    client.post(f"/partners/{agreed.pk}/move/", {"time_1": _local(_next_week_at(16))})
    client.force_login(buyer)

    response = client.post(
        f"/partners/{agreed.pk}/move/answer/", {"start": _next_week_at(20).astimezone(dt.UTC).isoformat()}
    )

    agreed.refresh_from_db()
    assert response.status_code == 200
    assert agreed.agreed_start == _next_week_at(10)


# ------------------------------------------------------------------------------ bodies, NUL bytes, size
TEN_MB = "x" * (10 * 1024 * 1024)


def test_a_ten_megabyte_body_on_every_form_is_never_an_error_page(client, agreed, asked, sme_owner, buyer):
    conversation = Conversation.objects.get()
    client.force_login(sme_owner)
    urls = [
        f"/partners/new/?buyer={agreed.buyer_id}",
        f"/partners/messages/{conversation.pk}/",
        f"/partners/{agreed.pk}/answer/",
        f"/partners/{agreed.pk}/move/",
        f"/partners/{agreed.pk}/move/answer/",
    ]

    statuses = {
        url: client.post(url, {"message": TEN_MB, "body": TEN_MB, "note": TEN_MB}).status_code for url in urls
    }

    assert all(status in (200, 302, 400) for status in statuses.values()), statuses
    assert not Message.objects.filter(body__startswith="xxxx").exists()


def test_nul_bytes_are_refused_in_a_request_message_a_decline_note_and_a_conversation_message(
    client, asked, sme_owner, buyer, company
):
    conversation = Conversation.objects.get()
    client.force_login(sme_owner)

    note = client.post(
        f"/partners/{asked.pk}/answer/", {"decision": "decline", "reason": "other", "note": "a\x00b"}
    )
    body = client.post(f"/partners/messages/{conversation.pk}/", {"body": "a\x00b"})
    request = _ask(client, buyer, company, kind="interest", message="a\x00b")

    asked.refresh_from_db()
    assert (note.status_code, body.status_code, request.status_code) == (200, 200, 200)
    assert asked.status == "pending"
    assert not [body for body in Message.objects.values_list("body", flat=True) if "\x00" in body]
    assert not PartnerRequest.objects.filter(kind="interest").exists()


def test_a_message_of_only_spaces_is_refused(client, asked, sme_owner):
    conversation = Conversation.objects.get()
    client.force_login(sme_owner)

    response = client.post(f"/partners/messages/{conversation.pk}/", {"body": "   \n\t "})

    assert response.status_code == 200
    assert Message.objects.count() == 1


# ------------------------------------------------------------------------------------------ HTML and JS
@pytest.fixture
def poisoned(company, organisation, buyer, sme_owner, committing):
    """Every text field of partnering holding a script: a request's message and link, a decline's note
    and a conversation's message; the e-mails they sent are in mail.outbox."""
    with committing():
        made = services.partner_request_create(
            requested_by=buyer,
            company=company,
            buyer=organisation,
            kind="question",
            message=f"Question {XSS}",
        )
        services.partner_request_answer(
            request=made, answered_by=sme_owner, accept=False, reason="other", note=f"Note {XSS}"
        )
        conversation = Conversation.objects.get()
        services.message_send(conversation=conversation, author=sme_owner, body=f"Body {XSS}")
        online = services.partner_request_create(
            requested_by=buyer,
            company=company,
            buyer=organisation,
            kind="online",
            message=f"Online {XSS}",
            video_link='https://meet.example/"><script>alert(1)</script>',
            proposed_times=[_next_week_at(10)],
        )
        services.partner_request_answer(
            request=online, answered_by=sme_owner, accept=True, start=_next_week_at(10)
        )
    return made, online, conversation


def test_a_script_in_every_text_field_is_escaped_on_every_page_that_shows_it(
    client, poisoned, buyer, sme_owner
):
    made, online, conversation = poisoned
    pages = {
        "request (buyer)": (buyer, f"/partners/{made.pk}/"),
        "request (company)": (sme_owner, f"/partners/{made.pk}/"),
        "online request": (buyer, f"/partners/{online.pk}/"),
        "list (buyer)": (buyer, "/partners/"),
        "list (company)": (sme_owner, "/partners/"),
        "conversation": (buyer, f"/partners/messages/{conversation.pk}/"),
        "conversations": (buyer, "/partners/messages/"),
        "own page (company)": (sme_owner, "/accounts/"),
        "own page (buyer)": (buyer, "/accounts/"),
    }

    for name, (user, url) in pages.items():
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, name

    client.force_login(sme_owner)
    assert f"Question {XSS_ESCAPED}" in client.get(f"/partners/{made.pk}/").content.decode()
    assert f"Note {XSS_ESCAPED}" in client.get(f"/partners/{made.pk}/").content.decode()
    assert f"Body {XSS_ESCAPED}" in client.get(f"/partners/messages/{conversation.pk}/").content.decode()


def test_the_e_mails_are_plain_text_that_carry_the_message_as_written_and_no_html_part(poisoned):
    asked_mail = next(m for m in mail.outbox if f"Question {XSS}" in m.body)

    assert all(not getattr(m, "alternatives", None) for m in mail.outbox)
    assert asked_mail.content_subtype == "plain"
    assert any(f"Note {XSS}" in m.body for m in mail.outbox)
    assert not any(f"Body {XSS}" in m.body for m in mail.outbox)  # the portal keeps the conversation


def test_a_calendar_file_cannot_be_split_by_lines_in_the_message(client, agreed, buyer):
    PartnerRequest.objects.filter(pk=agreed.pk).update(
        message="Hello\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected\r\nDTSTART:20300101T000000Z"
    )
    client.force_login(buyer)

    body = client.get(f"/partners/{agreed.pk}/meeting.ics").content.decode()

    lines = body.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1
    assert not [line for line in lines if line.startswith(("SUMMARY:Injected", "DTSTART:2030"))]


# ---------------------------------------------------------------------------------------------- privacy
def test_contact_details_never_show_to_a_non_partner_on_any_partnering_page(
    client, asked, company, organisation, sme_owner, buyer
):
    conversation = Conversation.objects.get()
    MessageFactory(conversation=conversation, author=sme_owner, from_company=True, body="Reply")
    urls = [
        f"/partners/{asked.pk}/",
        "/partners/",
        "/partners/messages/",
        f"/partners/messages/{conversation.pk}/",
        "/accounts/",
    ]

    for user in (buyer, sme_owner):
        client.force_login(user)
        for url in urls:
            html = client.get(url).content.decode()
            assert not [c for c in CONTACTS if c in html], (user.username, url)
    client.force_login(buyer)
    html = client.get(f"/partners/new/?company={company.pk}").content.decode()
    assert not [c for c in CONTACTS if c in html]


def test_a_declined_or_withdrawn_request_does_not_make_partners(client, asked, company, buyer, sme_owner):
    services.partner_request_answer(request=asked, answered_by=sme_owner, accept=False, reason="not_now")
    other = services.partner_request_create(
        requested_by=buyer, company=company, buyer=asked.buyer, kind="interest", message="Still keen"
    )
    services.partner_request_withdraw(request=other, withdrawn_by=buyer)

    for user in (buyer, sme_owner):
        client.force_login(user)
        for pk in (asked.pk, other.pk):
            html = client.get(f"/partners/{pk}/").content.decode()
            assert not [c for c in CONTACTS if c in html]
        html = client.get(f"/companies/{company.pk}/").content.decode()
        assert not [c for c in CONTACTS if c in html] or user == sme_owner


def test_once_accepted_each_side_sees_the_other_and_a_third_organisation_still_sees_nothing(
    client, agreed, company, intruder, stranger
):
    for user in (intruder, stranger):
        client.force_login(user)
        for url in (f"/companies/{company.pk}/", "/partners/", "/accounts/", "/partners/messages/"):
            html = client.get(url).content.decode()
            assert not [c for c in CONTACTS if c in html], (user.username, url)


def test_a_buyer_whose_organisation_was_rejected_later_no_longer_sees_the_company_contacts(
    client, agreed, organisation, buyer
):
    organisation.approval_status = "rejected"
    organisation.rejection_reason = "Not a public body."
    organisation.save()
    client.force_login(buyer)

    html = client.get(f"/partners/{agreed.pk}/").content.decode()

    assert "sales@seoul-traffic.example" not in html
    assert "+82 2 555 0100" not in html


def test_a_company_rejected_later_no_longer_sees_the_buyer_contacts(client, agreed, company, sme_owner):
    company.approval_status = "rejected"
    company.rejection_reason = "Not a Korean SME."
    company.save()
    client.force_login(sme_owner)

    html = client.get(f"/partners/{agreed.pk}/").content.decode()

    assert "smartcity@khonkaen.example" not in html


def test_the_company_sees_the_buyer_contacts_once_accepted(client, agreed, sme_owner):
    client.force_login(sme_owner)

    html = client.get(f"/partners/{agreed.pk}/").content.decode()

    assert "smartcity@khonkaen.example" in html


def test_the_inbox_count_of_a_stranger_is_not_moved_by_the_pair(client, asked, stranger, intruder):
    for user in (stranger, intruder):
        client.force_login(user)
        assert client.get("/partners/inbox.json").json() == {"count": 0}


# ------------------------------------------------------------------------------------------ user zones
def test_a_member_with_a_broken_time_zone_still_gets_the_new_request_form(client, buyer, company):
    type(buyer).objects.filter(pk=buyer.pk).update(time_zone="")
    client.force_login(buyer)

    response = client.get(f"/partners/new/?company={company.pk}")

    assert response.status_code == 200


# --------------------------------------------------------------------------------------------- races
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_messages_written_at_once_all_land_in_the_one_conversation(race_pair):
    company, buyer, (kim, lee), asker = race_pair
    conversation = ConversationFactory(company=company, buyer=buyer)
    authors = [kim, lee, asker, kim, lee, asker, kim, lee]

    results = race(
        *[
            (lambda a=a, n=n: services.message_send(conversation=conversation, author=a, body=f"Message {n}"))
            for n, a in enumerate(authors)
        ]
    )

    assert all(isinstance(r, Message) for r in results), results
    assert Message.objects.filter(conversation=conversation).count() == 8
    conversation.refresh_from_db()
    assert conversation.last_message_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_withdrawing_twice_at_once_withdraws_once_and_refuses_the_other(race_pair):
    company, buyer, _members, asker = race_pair
    asked = PartnerRequestFactory(company=company, buyer=buyer, requested_by=asker)

    results = race(
        lambda: services.partner_request_withdraw(request=asked, withdrawn_by=asker),
        lambda: services.partner_request_withdraw(request=asked, withdrawn_by=asker),
    )

    assert sum(isinstance(r, PartnerRequest) for r in results) == 1
    assert "This request is already withdrawn." in results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_both_sides_proposing_new_times_at_once_leave_one_proposal(race_pair):
    company, buyer, (kim, _lee), asker = race_pair
    start = timezone.now() + dt.timedelta(days=3)
    agreed = PartnerRequestFactory(
        company=company,
        buyer=buyer,
        requested_by=asker,
        kind="online",
        status="accepted",
        agreed_start=start,
    )
    ours, theirs = start + dt.timedelta(days=1), start + dt.timedelta(days=2)

    results = race(
        lambda: services.online_meeting_move_propose(request=agreed, proposed_by=kim, proposed_times=[ours]),
        lambda: services.online_meeting_move_propose(
            request=agreed, proposed_by=asker, proposed_times=[theirs]
        ),
    )

    agreed.refresh_from_db()
    assert sum(isinstance(r, PartnerRequest) for r in results) == 1
    assert "The other side has proposed new times: answer them first." in results
    assert agreed.proposed_times.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_members_answering_new_times_at_once_move_the_meeting_once(race_pair):
    company, buyer, (kim, lee), asker = race_pair
    start = timezone.now() + dt.timedelta(days=3)
    agreed = PartnerRequestFactory(
        company=company, buyer=buyer, requested_by=asker, kind="online", status="accepted", agreed_start=start
    )
    new = start + dt.timedelta(days=1)
    services.online_meeting_move_propose(request=agreed, proposed_by=asker, proposed_times=[new])

    results = race(
        lambda: services.online_meeting_move_answer(request=agreed, answered_by=kim, start=new),
        lambda: services.online_meeting_move_answer(request=agreed, answered_by=lee, start=None),
    )

    agreed.refresh_from_db()
    assert sum(isinstance(r, PartnerRequest) for r in results) == 1
    assert "No new time is waiting for an answer." in results
    assert agreed.time_revision in (0, 1)
    assert agreed.move_asked_by_company is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_message_and_the_first_read_at_once_do_not_break_the_read_mark(race_pair):
    company, buyer, (kim, _lee), asker = race_pair
    conversation = ConversationFactory(company=company, buyer=buyer)
    MessageFactory(conversation=conversation, author=asker, body="First")
    until = timezone.now()

    results = race(
        lambda: services.conversation_mark_read(conversation=conversation, user=kim, until=until),
        lambda: services.conversation_mark_read(conversation=conversation, user=kim, until=until),
        lambda: services.message_send(conversation=conversation, author=kim, body="Reply"),
    )

    assert not any(str(r).startswith("error") for r in results), results
    assert Message.objects.filter(conversation=conversation).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_both_sides_asking_each_other_at_once_share_one_conversation(race_pair):
    company, buyer, (kim, _lee), asker = race_pair

    results = race(
        lambda: services.partner_request_create(
            requested_by=kim, company=company, buyer=buyer, kind="interest", message="We are keen"
        ),
        lambda: services.partner_request_create(
            requested_by=asker, company=company, buyer=buyer, kind="question", message="Tidal canals?"
        ),
    )

    assert all(isinstance(r, PartnerRequest) for r in results), results
    assert Conversation.objects.count() == 1
    assert Message.objects.filter(conversation__company=company).count() == 2
