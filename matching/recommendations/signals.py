"""Bump the match index version after each committed write of the data the index is built from.

Signals rather than services, because profiles and listings are written from many places (forms,
formsets, the admin and its inlines, reviews) and a missed write would leave the index stale.
The bump runs on commit, so a server process never reads the new version before the data.
"""

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from matching.companies.models import Company, ReferenceDeployment, Solution
from matching.demands.models import BuyerOrganisation, Demand
from matching.recommendations.models import IndexVersion

SOURCES = (Company, Solution, ReferenceDeployment, BuyerOrganisation, Demand)
MANY_TO_MANY = (
    Company.certifications.through,
    Company.support_languages.through,
    Solution.categories.through,
    BuyerOrganisation.languages.through,
    Demand.categories.through,
    Demand.required_certifications.through,
)


def bump_index_version():
    if not IndexVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        IndexVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def _on_change(sender, **kwargs):
    if kwargs.get("raw"):  # fixtures being loaded
        return
    transaction.on_commit(bump_index_version, using=kwargs.get("using"))


def connect():
    for model in SOURCES:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"match-index-save-{model._meta.label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"match-index-delete-{model._meta.label}")
    for through in MANY_TO_MANY:
        m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"match-index-m2m-{through._meta.label}")
