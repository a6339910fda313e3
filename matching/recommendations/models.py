"""Built match indexes: the scoring core's index of every approved solution and open listing, stored
where every web process and task worker of every host reads it (see services.match_index_rebuild)."""

import uuid

from django.db import models


class MatchIndexBuild(models.Model):
    """One build of the match index. A row is written when a build starts and given its index when it
    finishes; pages read the latest finished one. A build reads the data after its row is committed, so
    it holds every write committed before a later-numbered row exists (the task's test for "already
    covered"). Old builds are deleted by the next one."""

    # Identifies the build a process holds in memory: ids may be reused after a rollback (SQLite), a key
    # never is.
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # The pickled matching.scoring.MatchIndex; written only by match_index_rebuild.
    index = models.BinaryField(null=True, editable=False)
    solutions = models.PositiveIntegerField(default=0)
    demands = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "match index build"

    def __str__(self):
        return f"match index build {self.pk}"
