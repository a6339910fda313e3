"""A counter that moves whenever data the match index is built from changes (see signals.py)."""

from django.db import models


class IndexVersion(models.Model):
    """One row; its counter is bumped after every committed change of a company, solution or listing."""

    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "match index version"

    def __str__(self):
        return f"match index version {self.counter}"
