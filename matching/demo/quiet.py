"""Seeding writes history (roadshows of 2022): the services' e-mails about it are never sent.

The services hand their e-mails to the task queue after the commit (portal.common.enqueue.after_commit).
Inside `e_mails_held_back()` those hand-offs are dropped before the commit, so neither the eager tasks
of the tests nor the worker of `make run` mails the demo's addresses. Every other after-commit hook (the
recommendations' index version, file clean-up) still runs.
"""

from contextlib import contextmanager

from django.db import transaction

from matching.consultations.booking import tasks as booking_tasks
from matching.consultations.outcomes import tasks as outcome_tasks
from portal.common import tasks as common_tasks

E_MAIL_TASKS = (
    booking_tasks.meeting_notice,
    booking_tasks.meeting_request_notice,
    outcome_tasks.follow_up_ask,
    common_tasks.email_send,
)


@contextmanager
def e_mails_held_back():
    """Drop the e-mail tasks enqueued for after the commit inside this block (which must be atomic)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("e_mails_held_back() needs a transaction: without one e-mails go out at once.")
    before = {id(entry) for entry in connection.run_on_commit}
    yield
    # after_commit names each hand-off after its task; Django keeps the hooks in run_on_commit.
    held_back = {f"enqueue({task.name})" for task in E_MAIL_TASKS}
    connection.run_on_commit[:] = [
        entry
        for entry in connection.run_on_commit
        if id(entry) in before or getattr(entry[1], "__qualname__", "") not in held_back
    ]
