"""iCalendar (.ics) files of meetings and agendas, built with icalendar, never by hand.

Times are written in the event's zone (DTSTART;TZID=Asia/Bangkok:...) with the zone's VTIMEZONE, so
a calendar shows the meeting at the right instant wherever its owner lives. A meeting keeps one UID
for life; its SEQUENCE only grows, so a later file (a change, a cancellation) replaces an earlier one.
"""

import datetime as dt
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, vCalAddress
from icalendar import Event as VEvent

UID_DOMAIN = "k-smartcity.example"
PRODID = "-//KOTRA//K-Smart City export portal//EN"

# iTIP methods (RFC 5546) of the e-mailed files; a downloaded file has none (plain RFC 5545 data).
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def one_line(text):
    """Text for a one-line field (an e-mail subject, a calendar parameter): each run of line breaks and
    spaces becomes one space. Forms keep a line break typed inside a name; those fields refuse one."""
    return " ".join(str(text).split())


def meeting_uid(meeting):
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def meeting_sequence(meeting):
    """The meeting's revision: 0 at booking, raised by every change and by the cancellation.

    A calendar replaces an event by one with the same UID and a higher SEQUENCE and ignores a lower
    one, so the file of a change or a cancellation replaces the booking's.
    """
    return meeting.sequence


def _location(meeting, event):
    if meeting.table_id:
        return _("Table %(table)s, %(venue)s, %(city)s") % {
            "table": meeting.table.name,
            "venue": event.venue,
            "city": event.city,
        }
    return meeting.online_link


def _description(meeting, event):
    lines = [
        _("Event: %(event)s") % {"event": event.name},
        _("Korean company: %(sme)s") % {"sme": meeting.sme},
        _("Buyer: %(buyer)s") % {"buyer": meeting.buyer},
    ]
    if meeting.table_id:
        lines.append(_("Table: %(table)s") % {"table": meeting.table.name})
    else:
        lines.append(_("Online meeting: %(link)s") % {"link": meeting.online_link})
    if meeting.interpreter_id:
        lines.append(_("Interpreter: %(name)s") % {"name": meeting.interpreter.name})
    else:
        lines.append(_("Interpreter: none"))
    return "\n".join(lines)


def meeting_summary(meeting):
    return _("1:1 consultation: %(sme)s – %(buyer)s") % {"sme": meeting.sme, "buyer": meeting.buyer}


def meeting_vevent(meeting, *, now, cancelled=False, organizer=None, attendees=()):
    """The VEVENT of one meeting; `organizer` and `attendees` are (e-mail, name) pairs for e-mailed files.

    Needs meeting.slot.event.city, table, interpreter, sme.company and buyer.buyer (select_related).
    """
    event = meeting.slot.event
    zone = zoneinfo.ZoneInfo(event.time_zone)
    is_cancelled = cancelled or meeting.status == meeting.Status.CANCELLED
    vevent = VEvent.new(
        uid=meeting_uid(meeting),
        stamp=now,
        created=meeting.created_at,
        sequence=meeting_sequence(meeting),
        start=meeting.slot.starts_at.astimezone(zone),
        end=meeting.slot.ends_at.astimezone(zone),
        summary=meeting_summary(meeting),
        location=_location(meeting, event),
        description=_description(meeting, event),
        status="CANCELLED" if is_cancelled else "CONFIRMED",
        url=meeting.online_link or None,
    )
    if organizer:
        email, name = organizer
        vevent.add("organizer", vCalAddress.new(email, cn=one_line(name)))
    for email, name in attendees:
        vevent.add("attendee", vCalAddress.new(email, cn=one_line(name), role="REQ-PARTICIPANT", rsvp=False))
    return vevent


def _calendar(event, vevents, *, name, uid, method=None):
    """A VCALENDAR holding the event's VTIMEZONE (always, so even an empty agenda is a valid file)."""
    calendar = Calendar.new(prodid=PRODID, name=one_line(name), uid=uid, method=method)
    # A few years around the event: enough for every instant in the file, without decades of rules.
    first = dt.date(event.start_date.year - 1, 1, 1)
    last = dt.date(event.end_date.year + 2, 1, 1)
    calendar.add_component(
        Timezone.from_tzinfo(zoneinfo.ZoneInfo(event.time_zone), first_date=first, last_date=last)
    )
    for vevent in vevents:
        calendar.add_component(vevent)
    return calendar


def meeting_calendar(meeting, *, method=None, organizer=None, attendees=(), now=None):
    """The .ics of one meeting: a download (no method) or an e-mailed REQUEST or CANCEL."""
    now = now or timezone.now()
    vevent = meeting_vevent(
        meeting, now=now, cancelled=method == CANCEL, organizer=organizer, attendees=attendees
    )
    event = meeting.slot.event
    return _calendar(
        event,
        [vevent],
        name=f"{meeting_summary(meeting)} · {event.name}",
        uid=f"meeting-{meeting.pk}-calendar@{UID_DOMAIN}",
        method=method,
    )


def meetings_calendar(event, meetings, *, sessions=(), name, uid, now=None):
    """The .ics of some of the event's meetings and programme sessions (a day's, in a reminder): one
    VEVENT each, no method, so a calendar adds or updates them by their UIDs as from an agenda's download."""
    now = now or timezone.now()
    vevents = [meeting_vevent(meeting, now=now) for meeting in meetings]
    vevents += [session_vevent(session, event, now=now) for session in sessions]
    return _calendar(event, vevents, name=name, uid=uid)


def session_uid(session):
    return f"programme-session-{session.pk}@{UID_DOMAIN}"


def session_summary(session):
    """The session's title, and what it asks of the participant: speaking, attending, or nothing."""
    if session.part == "speaker":
        return _("%(title)s (you speak)") % {"title": session.title}
    if session.part == "attendee":
        return _("%(title)s (you must attend)") % {"title": session.title}
    return _("%(title)s (open to all)") % {"title": session.title}


def _session_description(session, event):
    parts = {
        "speaker": _("Your part: speaker"),
        "attendee": _("Your part: you must attend"),
    }
    lines = [
        _("Event: %(event)s") % {"event": event.name},
        _("Programme: %(kind)s") % {"kind": session.get_kind_display()},
        parts.get(session.part, _("Open to all participants")),
    ]
    speakers = [session.speakers] if session.speakers else []
    speakers += [str(registration) for registration in session.speaking]
    if speakers:
        lines.append(_("Speakers: %(names)s") % {"names": "; ".join(speakers)})
    languages = ", ".join(str(language) for language in session.languages.all())
    if languages:
        lines.append(_("Languages: %(languages)s") % {"languages": languages})
    if session.description:
        lines += ["", session.description]
    return "\n".join(lines)


def session_vevent(session, event, *, now):
    """The VEVENT of a programme session as one participant's agenda shows it (`session.part` set by
    programme_selectors.registration_programme; languages and `speaking` prefetched)."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    where = [session.room] if session.room else []
    vevent = VEvent.new(
        uid=session_uid(session),
        stamp=now,
        sequence=session.sequence,
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone),
        summary=one_line(session_summary(session)),
        location=", ".join([*where, event.venue, str(event.city)]),
        description=_session_description(session, event),
        status="CONFIRMED",
    )
    vevent.add("categories", [str(session.get_kind_display()), str(_("Programme"))])
    return vevent


def agenda_calendar(registration, meetings, *, sessions=(), now=None):
    """The .ics of a registration's agenda: one VEVENT per meeting (cancelled ones as CANCELLED) and one
    per programme session it shows (programme_selectors.registration_programme).

    `meetings` comes from agendas.agenda_meetings(registration, include_cancelled=True), so that
    importing the file again takes cancelled meetings out of the calendar too.
    """
    now = now or timezone.now()
    event = registration.event
    return _calendar(
        event,
        [meeting_vevent(meeting, now=now) for meeting in meetings]
        + [session_vevent(session, event, now=now) for session in sessions],
        name=_("%(participant)s · %(event)s") % {"participant": registration, "event": event.name},
        uid=f"registration-{registration.pk}-agenda@{UID_DOMAIN}",
    )


def to_bytes(calendar):
    return calendar.to_ical()
