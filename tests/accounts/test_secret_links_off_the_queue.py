"""E-mails with a secret link (password reset, invitation) reach the task queue as ids only.

The worker makes the reset token, or reads the invitation's from the database, as it sends: a message
waiting in the broker (Redis) holds no token and no e-mail body, yet the link in the e-mail works.
(The client of tests/accounts commits each request, so the e-mails go out.)
"""

import re

import pytest
from django.core import mail

from portal.accounts import forms, services, tasks
from portal.accounts.models import Invitation
from portal.common.enqueue import after_commit
from tests import factories

RESET_LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def enqueued(monkeypatch):
    """What the account e-mails hand the task queue, as the broker would hold it; the task is still
    enqueued (and runs eagerly) so the e-mail goes out."""
    sent = []

    def recording(task, *args):
        sent.append((task.name, repr(args)))
        after_commit(task, *args)

    monkeypatch.setattr(forms, "after_commit", recording)
    monkeypatch.setattr(services, "after_commit", recording)
    return sent


@pytest.mark.django_db
def test_a_password_reset_enqueues_no_token_and_its_link_works(client, sme_owner, enqueued):
    response = client.post("/accounts/password/reset/", {"email": sme_owner.email})

    assert response.status_code == 302
    ((name, args),) = enqueued
    assert name.endswith("password_reset_email")
    (message,) = mail.outbox
    assert message.to == [sme_owner.email]
    path = RESET_LINK.search(message.body).group(1)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in args
    assert "reset" not in args
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.content.decode()


@pytest.mark.django_db
def test_a_reset_for_an_account_closed_before_the_worker_ran_sends_nothing(sme_owner):
    sme_owner.is_active = False
    sme_owner.save(update_fields=["is_active"])

    sent = tasks.password_reset_email(sme_owner.pk, "testserver", "testserver", False)

    assert sent == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_invitation_enqueues_no_token_and_its_e_mail_has_the_link(client, sme_owner, enqueued):
    client.force_login(sme_owner)

    client.post("/accounts/invite/", {"email": "seoyeon@seoul-traffic.example"})

    invitation = Invitation.objects.get()
    ((name, args),) = enqueued
    assert name.endswith("invitation_email")
    assert invitation.token not in args
    (message,) = mail.outbox
    assert f"http://testserver/accounts/invitation/{invitation.token}/" in message.body


@pytest.mark.django_db
def test_an_invitation_accepted_before_the_worker_ran_is_not_sent_again(sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner, email="seoyeon@seoul-traffic.example")
    invitation.accepted_by = factories.SmeMemberFactory(company=sme_owner.company)
    invitation.save(update_fields=["accepted_by"])

    assert tasks.invitation_email(invitation.pk, "http://testserver", "en") == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_invitation_is_written_in_the_inviters_language(client, sme_owner):
    sme_owner.language = "ko"
    sme_owner.save(update_fields=["language"])
    client.force_login(sme_owner)

    client.post("/accounts/invite/", {"email": "seoyeon@seoul-traffic.example"})

    (message,) = mail.outbox
    assert message.subject != "Invitation to the K-Smart City export portal"
    assert re.search("[\uac00-\ud7a3]", message.subject)
