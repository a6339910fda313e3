"""Writes on events: creating one with its slots and tables, saving registrations, locking them."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from matching.consultations.events.models import Event, Registration, Table, TimeSlot


def registrations_lock(*registrations) -> dict[int, Registration]:
    """Lock the registrations' rows until the transaction ends and return them as they are now, by id.

    Every write that checks a registration's rules (confirmed, maximum meetings) locks it first, so
    two bookings of one company wait for each other instead of both seeing room for one more. The
    fixed order (registrations by id, then meetings) keeps concurrent writers from deadlocking.
    FOR NO KEY UPDATE: rows that merely point at a registration (a new request) need not wait.
    """
    ids = sorted({registration.pk for registration in registrations})
    rows = Registration.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    return {registration.pk: registration for registration in rows}


@transaction.atomic
def registration_save(*, form, event, status=None) -> Registration:
    """Save a registration form of the event (staff registering someone, or editing a registration).

    Raises ValidationError when the organisation is already registered. No e-mail.
    """
    registration = form.save(commit=False)
    registration.event = event
    if status is not None:
        registration.status = status
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        registration.validate_constraints()
        raise
    form.save_m2m()
    return registration


@dataclass(frozen=True)
class Session:
    """A block of consecutive slots in one day, in the event's local time."""

    kind: str  # TimeSlot.Session value
    starts: dt.time
    ends: dt.time


def slots_for(*, event, sessions, break_minutes=0):
    """The (starts_at, ends_at, session) of every slot of the event's days, as aware UTC datetimes."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    length = dt.timedelta(minutes=event.slot_minutes)
    gap = dt.timedelta(minutes=break_minutes)
    day = event.start_date
    while day <= event.end_date:
        for session in sessions:
            start = dt.datetime.combine(day, session.starts, tzinfo=zone)
            end = dt.datetime.combine(day, session.ends, tzinfo=zone)
            while start + length <= end:
                yield start.astimezone(dt.UTC), (start + length).astimezone(dt.UTC), session.kind
                start += length + gap
        day += dt.timedelta(days=1)


@transaction.atomic
def event_create(*, form, organising_centre, sessions, break_minutes, table_count) -> tuple[Event, bool]:
    """Create an event from its form, with its slots generated from the sessions and its named tables.

    Returns (event, created). The form carries a token made when it was shown: sent again (a double
    click, a second tab), it returns the event the first sending made, with created False. Raises
    ValidationError when another event took the slug meanwhile. Side effects: TimeSlot and Table rows
    (tables named T01, T02, ...).
    """
    event = form.save(commit=False)
    event.organising_centre = organising_centre
    event.form_token = form.cleaned_data.get("form_token")
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        earlier = Event.objects.filter(form_token=event.form_token).first() if event.form_token else None
        if earlier is not None:
            return earlier, False
        raise ValidationError(
            {"slug": _("Another event has just taken this slug; choose another.")}
        ) from None
    TimeSlot.objects.bulk_create(
        TimeSlot(event=event, starts_at=starts, ends_at=ends, session=kind)
        for starts, ends, kind in slots_for(event=event, sessions=sessions, break_minutes=break_minutes)
    )
    Table.objects.bulk_create(
        Table(event=event, name=f"T{number:02d}") for number in range(1, table_count + 1)
    )
    return event, True
