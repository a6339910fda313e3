"""Reads of events and registrations, scoped to who may see them."""

import uuid
import zoneinfo

from django.db.models import Case, Count, Q, When
from django.utils import timezone

from matching.consultations.events.models import Event, Registration
from matching.demands.models import BuyerOrganisation
from matching.kernel import permissions


def events_visible_to(user):
    """Centre staff see their centre's events; admins all; everyone else none (yet)."""
    if permissions.is_admin(user):
        return Event.objects.all()
    if permissions.is_centre_staff(user):
        return Event.objects.filter(organising_centre=user.trade_centre_id)
    return Event.objects.none()


def event_made_by_form(user, form_token):
    """The event that the new-event form with this token created, if the user may see it, else None."""
    try:
        token = uuid.UUID(str(form_token))
    except ValueError:
        return None
    return events_visible_to(user).filter(form_token=token).first()


def confirmed_registrations(event):
    registrations = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    return registrations.select_related("company", "buyer")


def slots_by_local_day(event):
    """[(local date, [(slot, local start, local end), ...]), ...] in the event's time zone."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    days = {}
    for slot in event.slots.all():
        starts, ends = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
        days.setdefault(starts.date(), []).append((slot, starts, ends))
    return list(days.items())


def event_registrations(event):
    """The event's registrations, SMEs first, with their languages and unavailable-slot counts."""
    return (
        Registration.objects.filter(event=event)
        .select_related("company", "buyer")
        .prefetch_related("languages")
        .annotate(unavailable_count=Count("unavailable_slots", distinct=True))
        .annotate(
            is_buyer=Case(When(buyer__isnull=False, then=1), default=0),
            status_order=Case(
                When(status=Registration.Status.PENDING, then=0),
                When(status=Registration.Status.CONFIRMED, then=1),
                default=2,
            ),
        )
        .order_by("is_buyer", "status_order", "company__name_en", "buyer__name")
    )


def events_open_to(user):
    """Upcoming published events a member's organisation can register for: an SME any; a buyer those in
    its country.

    Each event carries `own_registration` (the organisation's registration, or None).
    """
    if user.company_id:
        events = Event.objects.published()
        own = Q(company_id=user.company_id)
    elif user.buyer_organisation_id:
        country = BuyerOrganisation.objects.filter(pk=user.buyer_organisation_id).values("city__country_id")
        events = Event.objects.published().filter(city__country_id__in=country)
        own = Q(buyer_id=user.buyer_organisation_id)
    else:
        return []
    events = list(
        events.filter(end_date__gte=timezone.localdate())
        .select_related("city__country")
        .order_by("start_date")
    )
    registrations = {r.event_id: r for r in Registration.objects.filter(own, event__in=events)}
    for event in events:
        event.own_registration = registrations.get(event.pk)
    return events


def own_registration(user, event):
    """The user's organisation's registration for the event, or None."""
    if user.company_id:
        return Registration.objects.filter(event=event, company_id=user.company_id).first()
    if user.buyer_organisation_id:
        return Registration.objects.filter(event=event, buyer_id=user.buyer_organisation_id).first()
    return None
