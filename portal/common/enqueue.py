"""Hand work to the task queue once the current transaction has committed (at once outside one)."""

import contextvars
import logging
from contextlib import contextmanager

from django.db import transaction

logger = logging.getLogger(__name__)

# Names of the tasks that after_commit drops instead of enqueueing, inside `held_back()`.
_held_back = contextvars.ContextVar("tasks_held_back", default=frozenset())

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

    if task.name in _held_back.get():
        logger.debug("%s held back, not enqueued", task.name)
        return

    def enqueue():
        task.delay(*args)

    enqueue.__qualname__ = f"enqueue({task.name})"
    transaction.on_commit(enqueue, robust=True)


@contextmanager
def held_back(*tasks):
    """Inside this block, after_commit drops these tasks instead of enqueueing them.

    For writes that record the past (the demo's roadshows of 2022): the services' e-mails about them must
    never go out. Every other task is enqueued as usual.
    """
    token = _held_back.set(_held_back.get() | {task.name for task in tasks})
    try:
        yield
    finally:
        _held_back.reset(token)
