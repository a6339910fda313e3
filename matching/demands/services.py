"""Writes on demand listings: saving, publishing, closing, and their search text."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.demands.models import Demand
from matching.kernel.models import ApprovalStatus
from matching.search import search_document
from portal.common.localised import texts_in_every_language
from portal.common.querysets import search_text_store


def demand_search_text(demand: Demand) -> str:
    """The folded text a directory search looks in: title and problem in every language they are written
    in, buyer, city, categories."""
    city, buyer = demand.city, demand.buyer
    parts = [*texts_in_every_language(demand, "title", "problem"), buyer.name, buyer.name_local]
    parts += [city.name_en, city.name_ko, city.name_local, city.country.name_en, city.country.name_ko]
    for category in demand.categories.all():
        parts += [category.name_en, category.name_ko]
    return search_document(*parts)


def demand_search_refresh(*, demand: Demand) -> None:
    """Rebuild the listing's search text after an edit of it, its buyer or city.

    Side effects: one UPDATE when the text changed, none otherwise.
    """
    search_text_store(demand, demand_search_text(demand))


PAST_DEADLINE = gettext_lazy(
    "The deadline for proposals has passed: give a date from today on, or close the listing."
)


def _refuse_past_deadline(demand, field=None):
    if demand.deadline_passed:
        raise ValidationError({field: PAST_DEADLINE} if field else PAST_DEADLINE, code="deadline_passed")


@transaction.atomic
def demand_save(*, form, user) -> Demand:
    """Save a DemandForm (new or edited listing) and refresh its search text. Side effects: none more.

    Raises ValidationError (on the deadline) when an open listing would keep a deadline already passed;
    the status is read locked, so a listing published meanwhile is checked as open.
    """
    demand = form.save(commit=False)
    if demand.pk is None:
        demand.created_by = user
    else:
        demand.status = Demand.objects.select_for_update().values_list("status", flat=True).get(pk=demand.pk)
    if demand.status == Demand.Status.OPEN:
        _refuse_past_deadline(demand, "deadline")
    demand.save()
    form.save_m2m()
    demand_search_refresh(demand=demand)
    return demand


@transaction.atomic
def demand_publish(*, demand: Demand) -> Demand:
    """Open a draft or closed listing to the public. Only approved buyers' listings whose deadline for
    proposals has not passed can be published. The row is locked and read again, so a deadline edited
    meanwhile is the one checked."""
    Demand.objects.select_for_update().filter(pk=demand.pk).first()
    demand.refresh_from_db(fields=["status", "deadline", "published_at", "buyer"])
    if demand.buyer.approval_status != ApprovalStatus.APPROVED:
        raise ValidationError(_("The buyer is not approved yet; the listing stays a draft until it is."))
    _refuse_past_deadline(demand)
    demand.status = Demand.Status.OPEN
    demand.published_at = demand.published_at or timezone.now()
    demand.save(update_fields=["status", "published_at", "updated_at"])
    return demand


@transaction.atomic
def demand_close(*, demand: Demand) -> Demand:
    """Close an open listing: it leaves the public list, its page stays for the buyer and staff."""
    if demand.status != Demand.Status.OPEN:
        raise ValidationError(_("Only an open listing can be closed."))
    demand.status = Demand.Status.CLOSED
    demand.save(update_fields=["status", "updated_at"])
    return demand


def demands_expire(*, today) -> int:
    """Close the open listings whose deadline for proposals has passed; returns how many.

    Each goes through demand_close (saved one by one, so what listens to a listing's save sees it).
    """
    closed = 0
    expired = Demand.objects.filter(status=Demand.Status.OPEN, deadline__lt=today).order_by("pk")
    for demand_id in expired.values_list("pk", flat=True):
        with transaction.atomic():
            demand = Demand.objects.select_for_update().get(pk=demand_id)
            if demand.status == Demand.Status.OPEN:
                demand_close(demand=demand)
                closed += 1
    return closed
