"""Logs never hold passwords, tokens or e-mail bodies: every record written during a sign-up, a password
reset and an e-mail send, printed with all its fields as a JSON formatter would, after the portal's filter."""

import io
import logging
import re

import pytest
from django.conf import settings
from django.core import mail

from portal.common.enqueue import after_commit
from portal.common.tasks import email_send
from portal.privacy.logging import NoSecrets
from tests.accounts.test_signup import PASSWORD, SIGNUP, sme_data


class EverythingFormatter(logging.Formatter):
    """The message and every extra of the record (Celery's `data` included)."""

    def format(self, record):
        return f"{record.getMessage()} {record.__dict__!r}"


@pytest.fixture
def printed():
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(EverythingFormatter())
    handler.addFilter(NoSecrets())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(level)


def test_every_handler_of_the_settings_has_the_filter():
    handlers = settings.LOGGING["handlers"]

    assert all("no_secrets" in handler.get("filters", []) for handler in handlers.values())


@pytest.mark.django_db
def test_a_signup_logs_no_password(client, printed):
    response = client.post(SIGNUP, sme_data())

    assert response.status_code == 302
    assert PASSWORD not in printed.getvalue()


@pytest.mark.django_db
def test_a_password_reset_logs_neither_the_token_nor_the_email_body(
    client, sme_owner, printed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": sme_owner.email})

    body = mail.outbox[0].body
    token = re.search(r"/reset/[^/]+/([^/\s]+)/", body).group(1)
    logged = printed.getvalue()
    assert token not in logged
    assert body not in logged


@pytest.mark.django_db
def test_an_email_send_logs_no_body_even_with_the_task_arguments_attached(
    printed, django_capture_on_commit_callbacks
):
    body = "Your link: https://portal.example/accounts/reset/MQ/cz4k-abcdef0123456789/\nThanks"

    with django_capture_on_commit_callbacks(execute=True):
        after_commit(email_send, "Your password", body, ["someone@example.com"])
    # What a Celery worker logs about a task, its arguments attached as `data` (celery.app.trace).
    logging.getLogger("celery.app.trace").info(
        "Task %(name)s succeeded", {"name": "email_send"}, extra={"data": {"args": repr(body), "id": "1"}}
    )
    logging.getLogger("portal").warning("Sending failed for %s", body)

    assert len(mail.outbox) == 1
    logged = printed.getvalue()
    assert "cz4k-abcdef0123456789" not in logged
    assert "Thanks" in logged  # the message itself still says what happened, without its secret
    assert "Your link: https://portal.example/accounts/reset/[hidden]/" in logged


def test_password_and_token_pairs_are_masked(printed):
    logging.getLogger("portal").info("login password=hunter2 token: abc123 secret='s3'")

    assert "hunter2" not in printed.getvalue()
    assert "abc123" not in printed.getvalue()
    assert "s3'" not in printed.getvalue()
