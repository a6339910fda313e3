"""One conversation per pair of organisations: their members write, the other side hears of it and
sees what is unread; staff of the organising centre read the threads of their events' participants."""

import pytest
from django.core import mail

from matching.partnering import selectors
from matching.partnering.models import Message
from tests import factories
from tests.partnering.factories import ConversationFactory, MessageFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(company, organisation, buyer):
    conversation = ConversationFactory(company=company, buyer=organisation)
    MessageFactory(conversation=conversation, author=buyer, body="Does it work in tidal canals?")
    return conversation


def test_a_member_answers_and_the_other_side_is_e_mailed(
    client, conversation, sme_owner, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/partners/messages/{conversation.pk}/", {"body": "Yes, since 2021 in Busan."}
        )

    assert response.status_code == 302
    assert list(conversation.messages.values_list("body", "from_company")) == [
        ("Does it work in tidal canals?", False),
        ("Yes, since 2021 in Busan.", True),
    ]
    assert mail.outbox[0].to == ["buyer@example.com"]
    assert mail.outbox[0].subject == "New message from Seoul Traffic Systems"
    assert "Yes, since 2021" not in mail.outbox[0].body  # the text stays in the portal


def test_unread_messages_are_counted_until_the_member_opens_the_conversation(
    client, conversation, sme_owner, buyer
):
    before = selectors.unread_count(sme_owner)
    client.force_login(sme_owner)
    listed = client.get("/partners/messages/")
    client.get(f"/partners/messages/{conversation.pk}/")

    assert (before, selectors.unread_count(sme_owner)) == (1, 0)
    assert [c.has_unread for c in listed.context["conversations"]] == [True]
    assert selectors.unread_count(buyer) == 0  # one's own message is never unread


def test_a_new_message_after_reading_is_unread_again(client, conversation, sme_owner, buyer):
    client.force_login(sme_owner)
    client.get(f"/partners/messages/{conversation.pk}/")

    MessageFactory(conversation=conversation, author=buyer, body="And in salt water?")

    assert selectors.unread_count(sme_owner) == 1


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 4001, "Ensure this value has at most 4000 characters (it has 4001)."),
    ],
)
def test_an_empty_or_too_long_message_is_refused_with_a_precise_error(
    client, conversation, sme_owner, body, error
):
    client.force_login(sme_owner)

    response = client.post(f"/partners/messages/{conversation.pk}/", {"body": body})

    assert response.status_code == 200
    assert response.context["form"].errors == {"body": [error]}
    assert Message.objects.count() == 1


def test_a_ten_megabyte_message_is_refused_with_a_clear_message(client, conversation, sme_owner):
    client.force_login(sme_owner)

    response = client.post(f"/partners/messages/{conversation.pk}/", {"body": "x" * (10 * 1024 * 1024)})

    assert response.status_code == 200
    assert "That was far too long to send (over 2.5 MB)." in response.content.decode()
    assert Message.objects.count() == 1


def test_html_in_a_message_is_escaped(client, conversation, sme_owner, buyer):
    MessageFactory(conversation=conversation, author=buyer, body='<img src=x onerror="alert(1)">')
    client.force_login(sme_owner)

    html = client.get(f"/partners/messages/{conversation.pk}/").content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_staff_of_the_organising_centre_read_but_do_not_write(
    client, conversation, company, organisation, centre_staff, bangkok_centre
):
    event = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city)
    factories.SmeRegistrationFactory(event=event, company=company)
    factories.BuyerRegistrationFactory(event=event, buyer=organisation)
    client.force_login(centre_staff)

    page = client.get(f"/partners/messages/{conversation.pk}/")
    write = client.post(f"/partners/messages/{conversation.pk}/", {"body": "Staff here"})

    assert page.status_code == 200
    assert "Does it work in tidal canals?" in page.content.decode()
    assert page.context["form"] is None
    assert write.status_code == 403


def test_staff_do_not_read_the_threads_of_organisations_outside_their_events(
    client, conversation, centre_staff, admin, stranger
):
    for user in (centre_staff, admin, stranger):
        client.force_login(user)
        assert client.get(f"/partners/messages/{conversation.pk}/").status_code == 404


def test_the_inbox_counts_each_conversation_waiting_for_the_member_once(
    client, conversation, sme_owner, buyer
):
    """Khon Kaen's request and its unread message are one thing to look at; Phuket's message another."""
    PartnerRequestFactory(company=conversation.company, buyer=conversation.buyer, requested_by=buyer)
    phuket = ConversationFactory(company=conversation.company, buyer=factories.BuyerOrganisationFactory())
    MessageFactory(conversation=phuket, body="Hello from Phuket.")
    client.force_login(sme_owner)

    before = client.get("/partners/inbox.json").json()
    client.get(f"/partners/messages/{phuket.pk}/")
    read_phuket = client.get("/partners/inbox.json").json()
    client.get(f"/partners/messages/{conversation.pk}/")
    read_both = client.get("/partners/inbox.json").json()  # the request still waits for an answer
    client.force_login(buyer)
    asker = client.get("/partners/inbox.json").json()

    assert [before, read_phuket, read_both, asker] == [{"count": 2}, {"count": 1}, {"count": 1}, {"count": 0}]


def test_a_message_written_after_the_count_was_read_shows_in_it_at_once(
    client, conversation, sme_owner, buyer, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)
    client.get(f"/partners/messages/{conversation.pk}/")
    read = client.get("/partners/inbox.json").json()  # cached from now on
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/partners/messages/{conversation.pk}/", {"body": "And in salt water?"})
    client.force_login(sme_owner)

    assert (read, client.get("/partners/inbox.json").json()) == ({"count": 0}, {"count": 1})


def test_every_page_of_a_member_carries_the_inbox_badge_and_its_script(client, sme_owner):
    client.force_login(sme_owner)

    html = client.get("/companies/").content.decode()

    assert 'data-url="/partners/inbox.json"' in html
    assert '<script src="/static/js/inbox.js" defer></script>' in html


def test_staff_do_not_read_a_pair_that_takes_part_in_different_events_of_their_centre(
    client, conversation, company, organisation, centre_staff, bangkok_centre
):
    first = factories.EventFactory(name="Bangkok spring", organising_centre=bangkok_centre)
    second = factories.EventFactory(name="Bangkok autumn", organising_centre=bangkok_centre)
    factories.SmeRegistrationFactory(event=first, company=company)
    factories.BuyerRegistrationFactory(event=second, buyer=organisation)
    client.force_login(centre_staff)

    assert client.get(f"/partners/messages/{conversation.pk}/").status_code == 404
