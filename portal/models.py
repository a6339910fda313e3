"""Portal-wide rows that belong to no domain app."""

from django.db import models


class CacheVersion(models.Model):
    """A number that goes up whenever what a cached page shows changes (portal.caching).

    Kept in the database, so every worker of every app server sees a change at once.
    """

    name = models.CharField(max_length=40, primary_key=True)
    number = models.BigIntegerField(default=1)

    def __str__(self):
        return f"{self.name} v{self.number}"
