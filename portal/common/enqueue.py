"""Hand work to the task queue once the current transaction has committed (at once outside one)."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

# How e-mail tasks retry when the mail server does not answer (smtplib's errors and refused connections
# are OSErrors): after about 30 s, 60 s, 120 s ... at most an hour apart, jittered, 8 times.
EMAIL_RETRIES = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 60 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}


def after_commit(task, *args):
    """Enqueue the Celery `task` with `args` after the commit.

    Nothing is enqueued for a write that rolls back. Robust: should the broker be unreachable at that
    moment, the error is logged (with the task's name) and the committed write still answers as it
    should, never with a 500.
    """

    def enqueue():
        task.delay(*args)

    enqueue.__qualname__ = f"enqueue({task.name})"
    transaction.on_commit(enqueue, robust=True)
