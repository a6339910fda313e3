"""Downloading everything the portal holds about me: JSON and a readable page, mine only, no secrets."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from matching.consultations.events.models import ShortlistEntry
from portal.privacy import export, services
from portal.privacy.models import REQUIRED_KINDS
from tests import factories
from tests.partnering import factories as partnering_factories

PAGE = "/accounts/privacy/my-data/"
JSON = "/accounts/privacy/my-data.json"


@pytest.fixture
def khon_kaen(buyer, sme_owner, stranger):
    """The buyer's consents, a question to Seoul Traffic Systems, two messages and a shortlisted company."""
    services.consents_give(user=buyer, law="pdpa", kinds=REQUIRED_KINDS, source="signup")
    company = sme_owner.company
    partnering_factories.PartnerRequestFactory(
        company=company,
        buyer=buyer.buyer_organisation,
        requested_by=buyer,
        message="Do you do flood sensors?",
    )
    conversation = partnering_factories.ConversationFactory(company=company, buyer=buyer.buyer_organisation)
    partnering_factories.MessageFactory(
        conversation=conversation, author=buyer, body="Sawasdee from Khon Kaen"
    )
    partnering_factories.MessageFactory(
        conversation=conversation, author=sme_owner, from_company=True, body="Annyeong from Seoul"
    )
    registration = factories.SmeRegistrationFactory(company=company)
    ShortlistEntry.objects.create(user=buyer, registration=registration)
    return conversation


def download(user):
    client = Client()
    client.force_login(user)
    response = client.get(JSON)
    return response, json.loads(response.content)


@pytest.mark.django_db
def test_the_json_holds_my_account_consents_and_records_that_name_me(buyer, khon_kaen):
    response, data = download(buyer)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="k-smartcity-my-data-')
    assert "no-store" in response["Cache-Control"]
    account = data["account"]
    assert (account["username"], account["email"], account["role"]) == (
        buyer.username,
        buyer.email,
        "Buyer member",
    )
    assert account["organisation"] == "Khon Kaen City Municipality"
    assert [(c["consent"], c["given"], c["law"], c["where"]) for c in data["consents"]] == [
        ("Processing of personal data", True, "PDPA (Thailand)", "Sign-up"),
        ("Transfer abroad", True, "PDPA (Thailand)", "Sign-up"),
    ]
    assert data["consents"][0]["notice_text"].startswith("Processing of your personal data\n\n")
    assert [m["body"] for m in data["partnering.message.author"]] == ["Sawasdee from Khon Kaen"]
    assert data["partnering.message.author"][0]["conversation"] == str(khon_kaen)
    assert [r["message"] for r in data["partnering.partnerrequest.requested_by"]] == [
        "Do you do flood sensors?"
    ]
    assert [s["registration"] for s in data["consultations.shortlistentry.user"]] == ["Seoul Traffic Systems"]


@pytest.mark.django_db
def test_the_json_holds_no_password_token_or_other_members_words(buyer, sme_owner, khon_kaen):
    factories.InvitationFactory(invited_by=buyer)

    response, data = download(buyer)

    text = response.content.decode()
    assert "Annyeong from Seoul" not in text
    assert buyer.password not in text
    assert '"password"' not in text and '"token"' not in text
    assert [list(row) for row in data["accounts.invitation.invited_by"]] == [
        ["company", "buyer_organisation", "email", "created_at", "expires_at", "accepted_by"]
    ]


@pytest.mark.django_db
def test_every_foreign_key_to_a_person_is_exported_but_consents_which_have_their_own_section():
    labels = {f"{model._meta.label_lower}.{key.name}" for model, key in export.user_relations()}

    assert {
        "partnering.message.author",
        "consultations.historicaloutcome.history_user",
        "consultations.meetingreminder.user",
    } <= labels
    assert "privacy.consent.user" not in labels
    assert "privacy.deletionrequest.user" in labels
    assert len(labels) == 31


@pytest.mark.django_db
def test_the_page_shows_the_same_in_tables_with_the_json_link(client, buyer, khon_kaen):
    client.force_login(buyer)

    response = client.get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Everything the portal holds about you" in html
    assert f'href="{JSON}" download' in html
    assert "Sawasdee from Khon Kaen" in html
    assert "Annyeong from Seoul" not in html
    titles = [section.title for section in response.context["sections"]]
    assert titles[:2] == ["Your account", "Consents"]


@pytest.mark.django_db
def test_the_privacy_page_links_to_both(client, buyer):
    client.force_login(buyer)

    html = client.get("/accounts/privacy/").content.decode()

    assert f'href="{PAGE}"' in html and f'href="{JSON}" download' in html


@pytest.mark.django_db
def test_the_download_asks_the_same_queries_with_one_message_or_many(buyer, khon_kaen):
    client = Client()
    client.force_login(buyer)
    client.get(JSON)
    with CaptureQueriesContext(connection) as one:
        client.get(JSON)
    for n in range(6):
        partnering_factories.MessageFactory(conversation=khon_kaen, author=buyer, body=f"Follow-up {n}")

    with CaptureQueriesContext(connection) as many:
        response = client.get(JSON)

    assert len(json.loads(response.content)["partnering.message.author"]) == 7
    assert len(many) == len(one)
