"""A mail server that does not answer changes no data and shows nobody an error: the e-mail waits on the
task queue (retried there), the decision or invitation stands."""

import pytest
from django.core import mail

from matching.kernel.models import ApprovalStatus
from portal.accounts.models import Invitation
from portal.celery import app as celery_app
from tests.accounts.test_review_queue import (  # noqa: F401 (fixtures)
    decide,
    pending_company,
    pending_thai_buyer,
    pending_turkish_buyer,
    queue,
)


@pytest.fixture
def mail_server_down(monkeypatch):
    """Every send is refused; eager retries are recorded, not raised, as a worker would."""
    attempts = []

    def refused(backend, messages):
        attempts.append(len(messages))
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refused)
    celery_app.conf.task_eager_propagates = False
    try:
        yield attempts
    finally:
        celery_app.conf.task_eager_propagates = True


def test_an_approval_stands_when_its_e_mail_cannot_be_sent(client, admin, queue, mail_server_down):  # noqa: F811
    client.force_login(admin)

    response = client.post(decide("company", queue["company"], "approve"))

    assert response.status_code == 302
    queue["company"].refresh_from_db()
    assert queue["company"].approval_status == ApprovalStatus.APPROVED
    assert mail_server_down == [1] * 9  # the first try and eight retries, on the queue
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_invitation_stands_when_its_e_mail_cannot_be_sent(client, sme_owner, mail_server_down):
    client.force_login(sme_owner)

    response = client.post("/accounts/invite/", {"email": "seoyeon@seoul-traffic.example"})

    assert response.status_code == 302
    assert Invitation.objects.get().email == "seoyeon@seoul-traffic.example"
    assert len(mail_server_down) == 9
