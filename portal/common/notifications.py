"""E-mail to people and to the members of an organisation, sent by the task queue after the commit."""

from django.template.loader import render_to_string

from portal.common import tasks
from portal.common.enqueue import after_commit


def email_after_commit(*, subject, body, recipients):
    """Enqueue a plain-text e-mail; it goes out once the transaction commits, retried if the server
    fails, and never at all if the transaction rolls back."""
    after_commit(tasks.email_send, str(subject), body, list(recipients))


def members_notify(*, members, subject, template, context):
    """E-mail every active member with an address; the body is a rendered text template.

    Returns the number of messages enqueued (0 when nobody has an address).
    """
    recipients = [member.email for member in members if member.is_active and member.email]
    if not recipients:
        return 0
    email_after_commit(subject=subject, body=render_to_string(template, context), recipients=recipients)
    return 1
