"""Writes on an event's programme: staff add, change and delete its sessions (seminar talks, IR pitches,
key-buyer and bilateral meetings) besides its 1:1 slots."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from matching.consultations.events.models import Event, ProgrammeParticipant, ProgrammeSession, Registration
from matching.consultations.events.programme_emails import SessionState, programme_notify
from matching.consultations.events.services import event_refuse_if_read_only


@dataclass
class SessionData:
    """What a session is made of, as staff typed it (times aware, in any zone)."""

    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str = ""
    speakers: str = ""
    description: str = ""
    open_to_all: bool = True
    languages: list = field(default_factory=list)  # Language rows
    speaking: list = field(default_factory=list)  # Registration rows of the event
    attending: list = field(default_factory=list)


def local_time_range(event, starts_at, ends_at):
    """'14:00–14:30' in the event's zone: how a refusal names another session's time."""
    zone = event.zone
    return f"{starts_at.astimezone(zone):%H:%M}–{ends_at.astimezone(zone):%H:%M}"


def _errors(event, session, data) -> dict:
    """Form errors of `data` for a session of `event` (the event's row is locked by the caller)."""
    errors = {}
    zone = event.zone
    starts, ends = data.starts_at, data.ends_at
    if ends <= starts:
        errors["ends"] = _("A session must end after it starts.")
        return errors
    first, last = (
        starts.astimezone(zone).date(),
        (ends - dt.timedelta(microseconds=1)).astimezone(zone).date(),
    )
    if first < event.start_date or last > event.end_date:
        errors["day"] = _("Choose a day of the event, from %(first)s to %(last)s.") % {
            "first": event.start_date.isoformat(),
            "last": event.end_date.isoformat(),
        }
        return errors
    others = ProgrammeSession.objects.filter(event=event, starts_at__lt=ends, ends_at__gt=starts)
    if session is not None:
        others = others.exclude(pk=session.pk)
    room = data.room.strip()
    if room:
        clash = others.filter(room__iexact=room).order_by("starts_at").first()
        if clash is not None:
            errors["room"] = _("%(room)s is taken by “%(title)s” from %(times)s.") % {
                "room": clash.room,
                "title": clash.title,
                "times": local_time_range(event, clash.starts_at, clash.ends_at),
            }
    both = {r.pk for r in data.speaking} & {r.pk for r in data.attending}
    if both:
        names = ", ".join(sorted(str(r) for r in data.speaking if r.pk in both))
        errors["attending"] = _("%(names)s already speak in this session: choose them once.") % {
            "names": names
        }
    people = [*data.speaking, *data.attending]
    wrong = [r for r in people if r.event_id != event.pk or r.status == Registration.Status.WITHDRAWN]
    if wrong:
        errors["speaking"] = _("Choose participants of this event who have not withdrawn.")
    elif people:
        busy = (
            ProgrammeParticipant.objects.filter(session__in=others, registration__in=people)
            .select_related("session", "registration__company", "registration__buyer")
            .order_by("session__starts_at", "registration_id")
            .first()
        )
        if busy is not None:
            errors["speaking"] = _("%(name)s takes part in “%(title)s” from %(times)s.") % {
                "name": busy.registration,
                "title": busy.session.title,
                "times": local_time_range(event, busy.session.starts_at, busy.session.ends_at),
            }
    return errors


def _write(session, data):
    session.kind, session.title = data.kind, data.title.strip()
    session.starts_at, session.ends_at = data.starts_at, data.ends_at
    session.room, session.speakers = data.room.strip(), data.speakers.strip()
    session.description, session.open_to_all = data.description.strip(), data.open_to_all


def _write_participants(session, data):
    session.roles.all().delete()
    ProgrammeParticipant.objects.bulk_create(
        [ProgrammeParticipant(session=session, registration=r, role="speaker") for r in data.speaking]
        + [ProgrammeParticipant(session=session, registration=r, role="attendee") for r in data.attending]
    )
    session.languages.set(data.languages)


@transaction.atomic
def programme_session_create(*, event, data: SessionData, form_token=None) -> tuple[ProgrammeSession, bool]:
    """Add a session to the event's programme. Returns (session, created).

    The event's row is locked first, so two staff members adding sessions at once see each other's (no
    two sessions in one room at one time). The form carries a token made when it was shown: sent twice,
    the second sending returns the first's session with created False. Raises ValidationError naming the
    field (end before start, outside the event's days, the room taken, a participant busy in another
    session, the event over). Side effects: an e-mail to the participants it names (programme_emails).
    """
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if form_token is not None:
        earlier = ProgrammeSession.objects.filter(event=event, form_token=form_token).first()
        if earlier is not None:
            return earlier, False
    event_refuse_if_read_only(event)
    errors = _errors(event, None, data)
    if errors:
        raise ValidationError(errors)
    session = ProgrammeSession(event=event, form_token=form_token)
    _write(session, data)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:  # the token of another event's form (a forged one): nothing to return
        raise ValidationError(_("This form was already used; open the page again.")) from None
    _write_participants(session, data)
    programme_notify(session=session, before=None, after=SessionState.of(session))
    return session, True


@transaction.atomic
def programme_session_update(*, session: ProgrammeSession, data: SessionData) -> ProgrammeSession:
    """Change a session of the programme; the same rules as programme_session_create. Raises its
    calendar revision, so an agenda's .ics imported again replaces the session. Side effects: an e-mail
    to each participant named before or after whose part changed (time, room, title, role)."""
    event = Event.objects.select_for_update(no_key=True).get(pk=session.event_id)
    session = ProgrammeSession.objects.select_for_update().filter(pk=session.pk).first()
    if session is None:
        raise ValidationError(_("This session was deleted meanwhile."))
    event_refuse_if_read_only(event)
    errors = _errors(event, session, data)
    if errors:
        raise ValidationError(errors)
    before = SessionState.of(session)
    _write(session, data)
    session.sequence += 1
    session.save()
    _write_participants(session, data)
    programme_notify(session=session, before=before, after=SessionState.of(session))
    return session


@transaction.atomic
def programme_session_delete(*, session: ProgrammeSession) -> bool:
    """Take a session off the programme. Returns False when it was gone already (a double submit).
    Raises ValidationError when the event is over. Side effects: an e-mail to the participants it named."""
    event = Event.objects.select_for_update(no_key=True).get(pk=session.event_id)
    event_refuse_if_read_only(event)
    session = ProgrammeSession.objects.select_for_update().filter(pk=session.pk).first()
    if session is None:
        return False
    before = SessionState.of(session)
    session.delete()
    session.event = event
    programme_notify(session=session, before=before, after=None)
    return True
