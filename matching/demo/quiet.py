"""Seeding writes history (roadshows of 2022): the services' e-mails about it are never sent.

The services hand their e-mails to the task queue after the commit (portal.common.enqueue.after_commit).
Inside `e_mails_held_back()` (portal.common.enqueue.held_back) those hand-offs are dropped, so neither
the eager tasks of the tests nor the worker of `make run` mails the demo's addresses. Every other
after-commit hook (the recommendations' index, file clean-up) still runs.
"""

from contextlib import contextmanager

from matching.consultations.booking import tasks as booking_tasks
from matching.consultations.outcomes import tasks as outcome_tasks
from matching.partnering import tasks as partnering_tasks
from portal.accounts import tasks as account_tasks
from portal.common import tasks as common_tasks
from portal.common.enqueue import held_back

E_MAIL_TASKS = (
    booking_tasks.meeting_notice,
    booking_tasks.meeting_request_notice,
    booking_tasks.meeting_change_request_notice,
    booking_tasks.meeting_reminder_send,
    booking_tasks.meeting_reminder_correct,
    outcome_tasks.follow_up_ask,
    partnering_tasks.partner_request_notice,
    partnering_tasks.message_notice,
    common_tasks.email_send,
    account_tasks.invitation_email,
    account_tasks.password_reset_email,
)


@contextmanager
def e_mails_held_back():
    """Drop the e-mail tasks the services enqueue for after the commit inside this block."""
    with held_back(*E_MAIL_TASKS):
        yield
