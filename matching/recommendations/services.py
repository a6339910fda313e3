"""Builds of the match index: read the profiles, build the scoring core's index, store it in the database.

The database, not the cache or a process's memory, because every web process and task worker of every
host must read the same build, `make run`'s local-memory cache is not shared with its worker, and a
build survives a Redis restart.
"""

import logging
import pickle
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from matching.recommendations.models import MatchIndexBuild
from matching.recommendations.profiles import demand_profiles, solution_profiles
from matching.scoring import MatchIndex

logger = logging.getLogger(__name__)

# A build still unfinished this long after it started lost its worker: it no longer covers the writes
# after it, and the next build deletes it. Far longer than a build of 30 000 solutions (a few seconds).
BUILD_TIMEOUT = timedelta(minutes=10)


def latest_build_id():
    """The id of the latest build, started or finished (0 when there is none)."""
    return MatchIndexBuild.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _covered(after, now):
    """Whether a build later than `after` holds every write committed before `after` was read: it started
    (and so reads the data) after that, and it finished or is still alive."""
    alive = Q(finished_at__isnull=False) | Q(started_at__gte=now - BUILD_TIMEOUT)
    return MatchIndexBuild.objects.filter(alive, pk__gt=after).exists()


def match_index_rebuild(*, after=None):
    """Build the match index from the database and store it as the latest build.

    `after`: the latest build's id (services.latest_build_id) read after the writes to show had committed;
    when a later build that is finished or still running exists, it already reads those writes and
    nothing is done (a burst of writes asks for many rebuilds; one runs). None builds regardless.

    Returns (the MatchIndexBuild, its MatchIndex), or None when already covered. Side effects: a build
    row written when the build starts and given the pickled index when it ends; the builds before it
    that finished or lost their worker deleted.
    """
    with transaction.atomic():
        # Two tasks for the same writes: the second waits here until the first's row is committed, then
        # finds it (PostgreSQL; SQLite runs one writer at a time anyway).
        list(MatchIndexBuild.objects.select_for_update().order_by("-pk").values_list("pk")[:1])
        now = timezone.now()
        if after is not None and _covered(after, now):
            return None
        build = MatchIndexBuild.objects.create(started_at=now)
    try:
        # Read after the row is committed: whoever reads a higher latest id knows this build sees its write.
        index = MatchIndex(list(solution_profiles()), list(demand_profiles()))
        payload = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        MatchIndexBuild.objects.filter(pk=build.pk).delete()
        raise
    finished = timezone.now()
    stored = MatchIndexBuild.objects.filter(pk=build.pk).update(
        index=payload,
        finished_at=finished,
        solutions=len(index.solutions),
        demands=len(index.demands),
    )
    if not stored:  # it outlived BUILD_TIMEOUT and a later build deleted it
        logger.warning("Match index build %s took longer than %s and was dropped.", build.pk, BUILD_TIMEOUT)
        return None
    MatchIndexBuild.objects.filter(pk__lt=build.pk).filter(
        Q(finished_at__isnull=False) | Q(started_at__lt=finished - BUILD_TIMEOUT)
    ).delete()
    build.finished_at = finished
    logger.info(
        "Match index build %s: %d solutions, %d listings, %d bytes, %.2f s.",
        build.pk,
        len(index.solutions),
        len(index.demands),
        len(payload),
        (finished - now).total_seconds(),
    )
    return build, index
