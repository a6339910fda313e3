"""From a match to a conversation: a buyer contacts a Korean company (or a company a buyer), the other
side accepts or declines with a reason, the asker may withdraw while it waits, and contact details
appear only once the two are partners."""

import pytest
from django.core import mail

from matching.companies.models import Company
from matching.partnering.models import Conversation, Message, PartnerRequest
from tests import factories
from tests.partnering.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db

QUESTION = "Does your flood sensor work in tidal canals?"


@pytest.fixture(autouse=True)
def client(client, django_capture_on_commit_callbacks):
    """The test client, whose requests run what the services hand to the task queue after their commit
    (the e-mails), as the worker would once the request's transaction committed."""

    class Committing:
        def __getattr__(self, name):
            return getattr(client, name)

        def post(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(*args, **kwargs)

    return Committing()


def _ask(client, user, company, **data):
    client.force_login(user)
    fields = {"kind": "question", "message": QUESTION} | data
    return client.post(f"/partners/new/?company={company.pk}", fields)


def test_a_buyer_asks_a_company_a_question_and_the_company_hears_of_it(
    client, buyer, organisation, company, colleague
):
    response = _ask(client, buyer, company)

    asked = PartnerRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/partners/{asked.pk}/"
    assert (asked.company, asked.buyer, asked.from_company, asked.kind, asked.status) == (
        company,
        organisation,
        False,
        "question",
        "pending",
    )
    assert asked.requested_by == buyer
    conversation = Conversation.objects.get()
    assert list(conversation.messages.values_list("body", "from_company")) == [(QUESTION, False)]
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["sme_colleague@example.com", "sme_owner@example.com"]
    assert mail.outbox[0].subject == (
        "New request: Question (Seoul Traffic Systems ↔ Khon Kaen City Municipality)"
    )
    assert f"http://localhost:8000/partners/{asked.pk}/" in mail.outbox[0].body


def test_the_company_page_offers_a_buyer_the_three_ways_to_act(client, buyer, company):
    client.force_login(buyer)

    html = client.get(f"/companies/{company.pk}/").content.decode()

    for kind, label in [
        ("online", "Request a meeting"),
        ("interest", "Express interest"),
        ("question", "Ask a question"),
    ]:
        assert f'href="/partners/new/?company={company.pk}&amp;kind={kind}"' in html
        assert label in html


def test_a_listing_offers_a_korean_company_to_contact_its_buyer_about_it(client, sme_owner, organisation):
    demand = factories.DemandFactory(buyer=organisation, published=True)
    client.force_login(sme_owner)

    html = client.get(f"/demands/{demand.pk}/").content.decode()

    assert f'href="/partners/new/?buyer={organisation.pk}&amp;demand={demand.pk}&amp;kind=interest"' in html


def test_a_company_expresses_interest_in_a_listing_and_the_request_names_it(client, sme_owner, organisation):
    demand = factories.DemandFactory(buyer=organisation, published=True)
    client.force_login(sme_owner)

    client.post(
        f"/partners/new/?buyer={organisation.pk}&demand={demand.pk}",
        {"kind": "interest", "message": "Our sensors fit your flood listing."},
    )

    asked = PartnerRequest.objects.get()
    assert (asked.from_company, asked.demand, asked.kind) == (True, demand, "interest")
    assert mail.outbox[0].to == ["buyer@example.com"]


def test_the_company_accepts_and_both_then_see_each_others_contact_details(
    client, buyer, organisation, company, sme_owner
):
    asked = PartnerRequestFactory(company=company, buyer=organisation, requested_by=buyer)
    client.force_login(buyer)
    before = client.get(f"/partners/{asked.pk}/").content.decode()

    client.force_login(sme_owner)
    response = client.post(f"/partners/{asked.pk}/answer/", {"decision": "accept"})
    company_view = client.get(f"/partners/{asked.pk}/").content.decode()
    client.force_login(buyer)
    buyer_view = client.get(f"/partners/{asked.pk}/").content.decode()

    asked.refresh_from_db()
    assert response.status_code == 302
    assert (asked.status, asked.answered_by) == ("accepted", sme_owner)
    assert "sales@seoul-traffic.example" not in before
    assert "sales@seoul-traffic.example" in buyer_view
    assert "smartcity@khonkaen.example" in company_view
    assert mail.outbox[-1].to == ["buyer@example.com"]
    assert mail.outbox[-1].subject.startswith("Accepted: Question")


def test_declining_needs_a_reason_and_the_reason_reaches_the_asker(
    client, buyer, organisation, company, sme_owner
):
    asked = PartnerRequestFactory(company=company, buyer=organisation, requested_by=buyer)
    client.force_login(sme_owner)

    refused = client.post(
        f"/partners/{asked.pk}/answer/", {"decision": "decline", "note": "Maybe next year."}
    )
    done = client.post(
        f"/partners/{asked.pk}/answer/",
        {"decision": "decline", "reason": "have_partner", "note": "Maybe next year."},
    )

    asked.refresh_from_db()
    assert refused.status_code == 200
    assert refused.context["answer_form"].errors == {"reason": ["Choose a reason for declining."]}
    assert "Maybe next year." in refused.content.decode()
    assert done.status_code == 302
    assert (asked.status, asked.decline_reason, asked.decline_note) == (
        "declined",
        "have_partner",
        "Maybe next year.",
    )
    assert "We already work with someone for this" in mail.outbox[-1].body
    assert "Maybe next year." in mail.outbox[-1].body


def test_the_asker_withdraws_while_it_waits_but_not_after_an_answer(
    client, buyer, organisation, company, sme_owner
):
    waiting = PartnerRequestFactory(company=company, buyer=organisation)
    answered = PartnerRequestFactory(company=company, buyer=organisation, kind="interest", status="accepted")
    client.force_login(buyer)

    client.post(f"/partners/{waiting.pk}/withdraw/")
    late = client.post(f"/partners/{answered.pk}/withdraw/", follow=True)

    waiting.refresh_from_db()
    answered.refresh_from_db()
    assert (waiting.status, answered.status) == ("withdrawn", "accepted")
    assert "This request is already accepted." in late.content.decode()


def test_the_asked_side_cannot_withdraw_and_the_asker_cannot_answer(
    client, buyer, organisation, company, sme_owner
):
    asked = PartnerRequestFactory(company=company, buyer=organisation)
    client.force_login(sme_owner)
    withdraw = client.post(f"/partners/{asked.pk}/withdraw/", follow=True)
    client.force_login(buyer)
    answer = client.post(f"/partners/{asked.pk}/answer/", {"decision": "accept"}, follow=True)

    asked.refresh_from_db()
    assert asked.status == "pending"
    assert "Only the side that asked can withdraw a request." in withdraw.content.decode()
    assert "The other side answers this request." in answer.content.decode()


def test_a_double_submit_makes_one_request_and_shows_the_first(client, buyer, company):
    first = _ask(client, buyer, company)
    second = _ask(client, buyer, company)

    assert PartnerRequest.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"message": ""}, "message", "This field is required."),
        ({"message": "x" * 4001}, "message", "Ensure this value has at most 4000 characters (it has 4001)."),
        ({"kind": "in_person"}, "event", "Choose the roadshow where you would like to meet."),
        ({"kind": "online"}, "time_1", "Propose at least one time for the online meeting."),
        (
            {"kind": "telepathy"},
            "kind",
            "Select a valid choice. telepathy is not one of the available choices.",
        ),
        ({"message": "a\x00b"}, "message", "Null characters are not allowed."),
    ],
)
def test_bad_input_re_renders_the_form_with_what_was_typed_and_a_precise_error(
    client, buyer, company, data, field, error
):
    response = _ask(client, buyer, company, **data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert PartnerRequest.objects.count() == 0


def test_a_ten_megabyte_message_gets_a_clear_message_not_an_error_page(client, buyer, company):
    response = _ask(client, buyer, company, message="x" * (10 * 1024 * 1024))

    assert response.status_code == 200
    assert "That was far too long to send (over 2.5 MB)." in response.content.decode()
    assert PartnerRequest.objects.count() == 0


def test_html_in_a_message_is_shown_as_text(client, buyer, organisation, company, sme_owner):
    asked = PartnerRequestFactory(
        company=company, buyer=organisation, message="<script>alert(1)</script><b>hi</b>"
    )
    client.force_login(sme_owner)

    html = client.get(f"/partners/{asked.pk}/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;hi&lt;/b&gt;" in html


def test_a_member_whose_organisation_is_under_review_cannot_send_requests(client, company, bangkok_centre):
    pending = factories.BuyerMemberFactory(
        username="pending", buyer_organisation=factories.BuyerOrganisationFactory(approval_status="pending")
    )

    client.force_login(pending)
    page = client.get(f"/partners/new/?company={company.pk}")
    response = _ask(client, pending, company)

    assert "Your organisation is still under review." in page.content.decode()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Your organisation is still under review; requests open once it is approved."
    ]
    assert PartnerRequest.objects.count() == 0


def test_nobody_contacts_an_organisation_that_is_not_approved(client, buyer):
    hidden = factories.CompanyFactory(approval_status="pending")
    client.force_login(buyer)

    assert client.get(f"/partners/new/?company={hidden.pk}").status_code == 404
    assert client.get("/partners/new/?company=nonsense").status_code == 404
    assert client.get("/partners/new/").status_code == 404


@pytest.mark.parametrize("role", ["stranger", "centre_staff", "admin"])
def test_a_request_is_seen_only_by_the_members_of_its_two_organisations(
    client, request, buyer, company, role
):
    asked = PartnerRequestFactory(company=company, buyer=buyer.buyer_organisation)
    client.force_login(request.getfixturevalue(role))

    response = client.get(f"/partners/{asked.pk}/")

    assert response.status_code == (404 if role == "stranger" else 403)


def test_the_request_list_sorts_what_waits_for_the_member_from_what_they_sent(
    client, buyer, organisation, company
):
    to_buyer = PartnerRequestFactory(company=company, buyer=organisation, from_company=True, kind="interest")
    from_buyer = PartnerRequestFactory(company=company, buyer=organisation)
    PartnerRequestFactory(company=company, buyer=organisation, kind="online", status="withdrawn")
    client.force_login(buyer)

    response = client.get("/partners/")

    assert [r.pk for r in response.context["awaiting"]] == [to_buyer.pk]
    assert [r.pk for r in response.context["sent"]] == [from_buyer.pk]
    assert [r.status for r in response.context["answered"]] == ["withdrawn"]


def test_the_card_of_a_company_without_headquarters_shows_its_description_in_the_page_language(
    client, buyer, company
):
    Company.objects.filter(pk=company.pk).update(
        headquarters=None, description_en="Adaptive traffic signals.", description_ko="적응형 교통 신호."
    )
    client.force_login(buyer)
    buyer.language = "ko"
    buyer.save(update_fields=["language"])

    html = client.get(f"/partners/new/?company={company.pk}").content.decode()

    assert "적응형 교통 신호." in html
    assert "Adaptive traffic signals." not in html
    assert "None" not in html
