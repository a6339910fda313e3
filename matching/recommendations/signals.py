"""Ask for a rebuild of the match index after each committed write of the data it is built from.

Signals rather than calls from the services, because those rows are written from many places (forms,
formsets, the admin and its inlines, reviews) in apps below this one, which may not import it; a missed
write would leave the index stale until the next one. Writes that send no signals (QuerySet.update,
bulk_create, loaddata) must call tasks.rebuild_after_commit themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from matching.companies.models import Company, ReferenceDeployment, Solution
from matching.demands.models import BuyerOrganisation, Demand
from matching.geo.models import City, Language
from matching.kernel.models import Category, Certification
from matching.recommendations.tasks import rebuild_after_commit

# Every model the profiles read (recommendations.profiles): the rows, and the slugs, codes and countries
# that stand for categories, certifications, languages and reference cities in them.
SOURCES = (Company, Solution, ReferenceDeployment, BuyerOrganisation, Demand, Category, Certification)
SOURCES += (Language, City)
MANY_TO_MANY = (
    Company.certifications.through,
    Company.support_languages.through,
    Solution.categories.through,
    BuyerOrganisation.languages.through,
    Demand.categories.through,
    Demand.required_certifications.through,
)


def _on_change(sender, raw=False, using=None, action=None, **kwargs):
    if raw:  # fixtures being loaded
        return
    if action is not None and not action.startswith("post_"):  # m2m_changed: pre_add, pre_clear ...
        return
    rebuild_after_commit(using=using)


def connect():
    for model in SOURCES:
        label = model._meta.label
        post_save.connect(_on_change, sender=model, dispatch_uid=f"match-index-save-{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"match-index-delete-{label}")
    for through in MANY_TO_MANY:
        label = through._meta.label
        m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"match-index-m2m-{label}")
