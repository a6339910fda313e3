"""Writes on events: creating one with its slots and tables, saving registrations, locking them."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.consultations.events.models import (
    Event,
    ProgrammeSession,
    Registration,
    ShortlistEntry,
    Table,
    TimeSlot,
)

READ_ONLY = gettext_lazy(
    "This event is over: its requests, registrations and meetings no longer change. "
    "Staff of the organising centre can reopen it from the event page."
)
# Reopening is for setting the record straight after the event, not for running it again.
LONGEST_REOPENING = dt.timedelta(days=30)


def event_refuse_if_read_only(event) -> None:
    """Raise ValidationError when the event is over and not reopened (requests, registrations, meetings,
    the scheduler all call this before they write)."""
    if event.is_read_only:
        raise ValidationError(READ_ONLY, code="event_over")


@transaction.atomic
def event_reopen(*, event, until, reopened_by) -> Event:
    """Open an event that is over to changes until the day `until` (included, in its time zone).

    Raises ValidationError when the event is not over yet, or `until` is in the past or more than 30
    days ahead. Records who reopened it and when. No e-mail.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_over:
        raise ValidationError(_("This event is not over yet: it is open to changes already."))
    today = event.local_today()
    if not today <= until <= today + LONGEST_REOPENING:
        raise ValidationError(
            {"until": _("Choose a day from today to %(last)s.") % {"last": today + LONGEST_REOPENING}}
        )
    event.reopened_until, event.reopened_by, event.reopened_at = until, reopened_by, timezone.now()
    event.save(update_fields=["reopened_until", "reopened_by", "reopened_at"])
    return event


@transaction.atomic
def event_reopening_end(*, event) -> Event:
    """Make a reopened event read-only again at once (who reopened it stays recorded). No e-mail."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_reopened:
        event.reopened_until = event.local_today() - dt.timedelta(days=1)
        event.save(update_fields=["reopened_until"])
    return event


@transaction.atomic
def event_publish(*, event, published: bool) -> Event:
    """Publish an event (on the home page, open to members' registrations) or take it back to draft.

    A draft keeps its registrations and meetings; members already registered still see their agenda.
    No e-mail.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    event.status = Event.Status.PUBLISHED if published else Event.Status.DRAFT
    event.save(update_fields=["status"])
    return event


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

    Raises ValidationError when the organisation is already registered, or the event is over. No e-mail.
    """
    event_refuse_if_read_only(event)
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


SCHEDULE_FIXED = gettext_lazy(
    "Meetings have been booked in this event's slots (a cancelled one keeps its slot, as history), so its "
    "days, time zone, slot length and sessions stay as they are."
)


def _table_names_to_add(names, count):
    """`count` new table names after the highest T-number in use (T13, T14, ... after T12)."""
    numbers = [
        int(name[1:]) for name in names if name[:1] == "T" and name[1:].isascii() and name[1:].isdigit()
    ]
    first = max(numbers, default=0) + 1
    return [f"T{number:02d}" for number in range(first, first + count)]


@transaction.atomic
def event_update(*, form, sessions, break_minutes, table_count) -> Event:
    """Save staff's edit of an event's details, its slots and its number of tables.

    Names, venue, description and the deadline change freely. The slots are made again from the days,
    time zone, slot length and sessions only while no meeting (even a cancelled one) uses them; the
    registrations' and interpreters' unavailable slots go with them. The country stays while buyers are
    registered (buyers take part in their own country's events); online meetings stay allowed while some
    are scheduled; tables are removed only when no meeting uses them; the days keep the programme's
    sessions within them. The event's row, its registrations (as every booking does, by id), slots and
    tables are locked first, so a meeting booked meanwhile is seen (or waits, and then finds its slot
    gone); a programme session added meanwhile waits for the event's row.
    Raises ValidationError naming the field. No e-mail.
    """
    event = form.instance
    before = Event.objects.select_for_update(no_key=True).select_related("city").get(pk=event.pk)
    # Every writer of meetings locks the registrations first (by id); taking all of the event's here
    # makes a booking at the same moment wait for this edit, or this edit for it, never both: the
    # booking then finds its slot gone, or this edit finds the meeting.
    registrations_lock(*Registration.objects.filter(event=event).only("pk"))
    slots = list(TimeSlot.objects.select_for_update().filter(event=event).order_by("pk"))
    used = TimeSlot.objects.filter(event=event, meetings__isnull=False).exists()
    wanted = sorted(slots_for(event=event, sessions=sessions, break_minutes=break_minutes))
    current = sorted((slot.starts_at, slot.ends_at, slot.session) for slot in slots)
    errors = {}
    if wanted != current and used:
        errors["start_date"] = SCHEDULE_FIXED
    if (
        event.city.country_id != before.city.country_id
        and before.registrations.filter(buyer__isnull=False).exists()
    ):
        errors["city"] = _(
            "Buyers are registered, and they take part in their own country: keep a city there."
        )
    online = TimeSlot.objects.filter(event=event, meetings__mode="online", meetings__status="scheduled")
    if before.online_meetings_allowed and not event.online_meetings_allowed and online.exists():
        errors["online_meetings_allowed"] = _("Online meetings are scheduled: cancel them first.")
    tables = list(Table.objects.select_for_update().filter(event=event).order_by("name"))
    removable = [table for table in tables if not table.meetings.exists()]
    if table_count < len(tables) and len(tables) - table_count > len(removable):
        errors["table_count"] = _("Meetings use %(used)d tables: keep at least that many.") % {
            "used": len(tables) - len(removable)
        }
    outside = _sessions_outside_days(event)
    if outside:
        message = _(
            "The programme has sessions outside these days (%(titles)s): move or delete them first."
        ) % {"titles": ", ".join(f"“{title}”" for title in outside)}
        errors["start_date"] = [errors["start_date"], message] if "start_date" in errors else message
    if errors:
        raise ValidationError(errors)
    # Only the form's fields: the status and the reopening may have changed since the form was read.
    event.save(update_fields=[name for name in form.Meta.fields if name != "form_token"])
    if wanted != current:
        TimeSlot.objects.filter(event=event).delete()
        TimeSlot.objects.bulk_create(
            TimeSlot(event=event, starts_at=starts, ends_at=ends, session=kind)
            for starts, ends, kind in wanted
        )
    if table_count < len(tables):
        doomed = removable[::-1][: len(tables) - table_count]
        Table.objects.filter(pk__in=[table.pk for table in doomed]).delete()
    elif table_count > len(tables):
        names = _table_names_to_add([table.name for table in tables], table_count - len(tables))
        Table.objects.bulk_create(Table(event=event, name=name) for name in names)
    return event


def _sessions_outside_days(event) -> list[str]:
    """The titles of the event's programme sessions that do not lie within its days (as edited)."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    first = dt.datetime.combine(event.start_date, dt.time(0), tzinfo=zone)
    after = dt.datetime.combine(event.end_date + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    sessions = ProgrammeSession.objects.filter(event=event).exclude(starts_at__gte=first, ends_at__lte=after)
    return list(sessions.order_by("starts_at").values_list("title", flat=True))


def event_schedule_initial(event) -> dict:
    """The edit form's session times, break and table count, read back from the event's slots."""
    zone = event.zone
    initial = {"table_count": event.tables.count()}
    first_day = None
    by_session = {}
    for slot in event.slots.order_by("starts_at"):
        starts, ends = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
        first_day = first_day or starts.date()
        if starts.date() == first_day:
            by_session.setdefault(slot.session, []).append((starts, ends))
    names = {TimeSlot.Session.MORNING: "morning", TimeSlot.Session.AFTERNOON: "afternoon"}
    for kind, times in by_session.items():
        initial[f"{names[kind]}_starts"] = times[0][0].time()
        initial[f"{names[kind]}_ends"] = times[-1][1].time()
        if len(times) > 1:
            initial["break_minutes"] = int((times[1][0] - times[0][1]).total_seconds() // 60)
    return initial


def _shortlist_check(*, user, registration) -> None:
    """Refuse a shortlist change on anything but a confirmed participant of the other side of an event
    where the member's organisation is confirmed."""
    own = Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.CONFIRMED,
        **({"company_id": user.company_id} if user.company_id else {"buyer_id": user.buyer_organisation_id}),
    )
    other_side = registration.is_company != bool(user.company_id)
    if not (user.company_id or user.buyer_organisation_id) or not own.exists() or not other_side:
        raise ValidationError(_("You can shortlist only the other side's participants of your events."))
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("This participant is no longer confirmed for the event."))


def shortlist_entry_add(*, user, registration) -> ShortlistEntry:
    """Put a participant on the member's shortlist for the event; adding it twice keeps one entry.

    Raises ValidationError for a participant the member may not shortlist. No e-mail: a shortlist is
    private to its member."""
    _shortlist_check(user=user, registration=registration)
    entry, _created = ShortlistEntry.objects.get_or_create(user=user, registration=registration)
    return entry


def shortlist_entry_remove(*, user, registration) -> None:
    """Take a participant off the member's shortlist; removing one that is not there does nothing."""
    ShortlistEntry.objects.filter(user=user, registration=registration).delete()
