"""Reads of an event's programme: the public page's, a participant's agenda's, and the times it keeps
participants away from 1:1 meetings."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, Subquery

from matching.consultations.events.models import ProgrammeParticipant, ProgrammeSession


def _with_people(sessions):
    """Sessions with their languages and their participants' names, in two more queries whatever their
    number; each gets `speaking` and `attending` (lists of registrations)."""
    roles = ProgrammeParticipant.objects.select_related("registration__company", "registration__buyer")
    sessions = list(sessions.prefetch_related("languages", Prefetch("roles", queryset=roles.order_by("pk"))))
    for session in sessions:
        roles = list(session.roles.all())
        session.speaking = [
            role.registration for role in roles if role.role == ProgrammeParticipant.Role.SPEAKER
        ]
        session.attending = [
            role.registration for role in roles if role.role == ProgrammeParticipant.Role.ATTENDEE
        ]
    return sessions


def event_programme(event):
    """Every session of the event in time order, with languages and participants."""
    return _with_people(ProgrammeSession.objects.filter(event=event).order_by("starts_at", "room", "pk"))


def registration_programme(registration):
    """The sessions a participant's agenda shows: those it speaks in or must attend, and those open to
    all. Each carries `part`: "speaker", "attendee", or None (open to all, nothing asked of them)."""
    part = ProgrammeParticipant.objects.filter(session=OuterRef("pk"), registration=registration).values(
        "role"
    )
    sessions = (
        ProgrammeSession.objects.filter(event_id=registration.event_id)
        .filter(Q(open_to_all=True) | Q(roles__registration=registration))
        .annotate(part=Subquery(part[:1]))
        .distinct()
        .order_by("starts_at", "room", "pk")
    )
    return _with_people(sessions)


@dataclass(frozen=True)
class Busy:
    """A session that keeps a participant from 1:1 meetings, as a booking's refusal names it."""

    registration_id: int
    session: ProgrammeSession
    role: str


def busy_during(registrations, starts_at, ends_at):
    """The first session (by start) each of `registrations` speaks in or must attend that overlaps
    [starts_at, ends_at): {registration id: Busy}. One query."""
    roles = (
        ProgrammeParticipant.objects.filter(
            registration__in=[r.pk for r in registrations],
            session__starts_at__lt=ends_at,
            session__ends_at__gt=starts_at,
        )
        .select_related("session")
        .order_by("-session__starts_at", "-pk")
    )
    return {role.registration_id: Busy(role.registration_id, role.session, role.role) for role in roles}


def busy_slots(event, slots):
    """{registration id: ids of the `slots` (TimeSlot rows of the event) overlapping a session the
    registration speaks in or must attend}: the scheduler's extra unavailability. One query."""
    busy = {}
    roles = ProgrammeParticipant.objects.filter(session__event=event).values_list(
        "registration_id", "session__starts_at", "session__ends_at"
    )
    for registration_id, starts_at, ends_at in roles:
        for slot in slots:
            if slot.starts_at < ends_at and starts_at < slot.ends_at:
                busy.setdefault(registration_id, set()).add(slot.pk)
    return busy


def sessions_by_local_day(sessions, zone):
    """[(local date, [(session, local start, local end), ...]), ...] in `zone` (the event's)."""
    days = {}
    for session in sessions:
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        days.setdefault(starts.date(), []).append((session, starts, ends))
    return list(days.items())
