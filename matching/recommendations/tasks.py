"""The match index is rebuilt by a worker after the writes that change it, never in a web request."""

import threading

from celery import shared_task
from django.db import DEFAULT_DB_ALIAS, transaction

from matching.recommendations import services

# Seconds a rebuild waits after the commit that asked for it. The writes of the next moments (a member
# saving a profile and then its solutions, an admin approving a page of companies) are then read by that
# one build, and the tasks they enqueued find themselves covered and return.
REBUILD_DELAY = 2


@shared_task
def match_index_rebuild(after=None):
    """Rebuild the match index unless a build started after build `after` already covers the writes.
    Idempotent: run twice, the second finds the first's build and does nothing."""
    built = services.match_index_rebuild(after=after)
    return built[0].pk if built else None


class _Request:
    """A transaction's request for a rebuild, shared by the callbacks of its writes: the first of them to
    run after the commit enqueues the task, the others find it done."""

    done = False


# The open request of each connection (connections are per thread, so this is too).
_open = threading.local()


def rebuild_after_commit(using=DEFAULT_DB_ALIAS):
    """Ask for a rebuild of the match index once the current transaction commits (at once outside one);
    one task per commit however many rows it wrote.

    Like portal.common.enqueue.after_commit, but the task's argument is read after the commit and it runs
    REBUILD_DELAY seconds later. A broker that cannot be reached is logged, and the write still succeeds.
    Every write registers a callback of its own, so a savepoint rolled back, or a transaction rolled back
    with its request, never drops the request of a write that commits.
    """
    request = getattr(_open, using, None)
    if request is None or request.done:
        request = _Request()
        setattr(_open, using, request)

    def enqueue():
        if request.done:
            return
        request.done = True
        # Read after the commit: a build with a higher id started after these writes were visible.
        after = services.latest_build_id()
        match_index_rebuild.apply_async(args=[after], countdown=REBUILD_DELAY)

    enqueue.__qualname__ = f"enqueue({match_index_rebuild.name})"
    transaction.on_commit(enqueue, using=using, robust=True)
