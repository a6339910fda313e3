"""E-mails about meeting requests and meetings to both parties and the interpreter, with the .ics attached.

Each recipient gets a message of their own, in their language (portal.common.notifications.language_of):
the body shows the meeting in the event's time zone and in theirs, the attached calendar names them alone
as attendee, and nobody sees the others' addresses.
The services call these after their writes, and booking.reminders to build its reminders and corrections;
nothing here writes to the database.
"""

import contextlib
import datetime as dt
from dataclasses import dataclass
from email.mime.text import MIMEText

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.consultations.booking import ics
from matching.consultations.booking.agendas import meeting_times, times_between
from matching.kernel.models import Role
from portal.common import dates
from portal.common.notifications import language_of, written_in

REQUEST_CHANGES = ("requested", "accepted", "declined")
MEETING_CHANGES = ("booked", "changed", "cancelled")
CHANGE_REQUEST_CHANGES = ("asked", "withdrawn", "approved", "refused")

SME = "sme"
BUYER = "buyer"
INTERPRETER = "interpreter"
STAFF = "staff"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    side: str  # SME, BUYER or INTERPRETER
    time_zone: str = ""  # empty: show the event's zone only (the interpreter has no account)
    language: str = settings.LANGUAGE_CODE  # the interpreter's and a centre's mailbox: the portal's default
    buddhist_era: bool = True


def recipient(user, side):
    """The member `user` as a Recipient on `side`: their address, name, time zone, language and era."""
    name = user.get_full_name() or user.get_username()
    return Recipient(user.email, name, side, user.time_zone, language_of(user), user.buddhist_era)


@contextlib.contextmanager
def _written_for(recipient):
    """Translations, formats and years as the recipient reads them, for their subject, body and .ics."""
    with written_in(recipient.language, buddhist_era=recipient.buddhist_era):
        yield


def _members(organisation, side):
    members = organisation.members.filter(is_active=True).exclude(email="").order_by("pk")
    return [recipient(member, side) for member in members.select_related("buyer_organisation__city__country")]


def _parties(sme, buyer):
    """The active members with an address of both sides, each address once."""
    seen = set()
    recipients = []
    for recipient in _members(sme.company, SME) + _members(buyer.buyer, BUYER):
        if recipient.email.lower() not in seen:
            seen.add(recipient.email.lower())
            recipients.append(recipient)
    return recipients


def _centre_staff(event):
    """The organising centre's active staff with an address, and its own mailbox (each address once)."""
    centre = event.organising_centre
    staff = (
        get_user_model()
        .objects.filter(role=Role.CENTRE_STAFF, trade_centre_id=centre.pk, is_active=True)
        .exclude(email="")
    )
    recipients = [recipient(user, STAFF) for user in staff.order_by("pk")]
    if centre.email and centre.email.lower() not in {r.email.lower() for r in recipients}:
        recipients.append(Recipient(centre.email, str(centre), STAFF, language="ko"))
    return recipients


def _reply_to(event):
    centre_email = event.organising_centre.email
    return [centre_email] if centre_email else []


def send(messages):
    """Send the built messages over one connection; returns how many were sent."""
    if not messages:
        return 0
    for message in messages:  # names in subjects may hold a line break, which a header refuses
        message.subject = ics.one_line(message.subject)
    return get_connection().send_messages(messages) or 0


# ---------------------------------------------------------------- meeting requests
def _request_subject(change, meeting_request):
    names = {"event": meeting_request.event, "sme": meeting_request.sme, "buyer": meeting_request.buyer}
    if change == "requested":
        return _("Meeting request at %(event)s: %(sme)s and %(buyer)s") % names
    if change == "accepted":
        return _("Meeting request accepted at %(event)s: %(sme)s and %(buyer)s") % names
    return _("Meeting request declined at %(event)s: %(sme)s and %(buyer)s") % names


def meeting_request_notify(*, meeting_request, change):
    """E-mail both parties' members that a meeting was requested, or the request accepted or declined.

    No calendar file: a request has no time yet (the booking's e-mail brings it). Returns the number
    of messages sent.
    """
    if change not in REQUEST_CHANGES:
        raise ValueError(f"change must be one of {REQUEST_CHANGES}, not {change!r}")
    event = meeting_request.event
    asking_side = SME if meeting_request.requested_by_sme else BUYER
    messages = []
    for recipient in _parties(meeting_request.sme, meeting_request.buyer):
        context = {
            "meeting_request": meeting_request,
            "event": event,
            "recipient": recipient,
            "asked_by_own_side": recipient.side == asking_side,
            "on_behalf_centre": meeting_request.on_behalf_centre,
        }
        with _written_for(recipient):
            subject = _request_subject(change, meeting_request)
            body = render_to_string(f"consultations/email/request_{change}.txt", context)
        messages.append(
            EmailMessage(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [recipient.email],
                reply_to=_reply_to(event),
            )
        )
    return send(messages)


# ---------------------------------------------------------------- meetings
def _meeting_subject(change, meeting, event):
    names = {
        "sme": meeting.sme,
        "buyer": meeting.buyer,
        "event": event.name,
        "date": meeting_times(meeting).event.date,
    }
    if change == "booked":
        return _("Meeting booked at %(event)s: %(sme)s and %(buyer)s, %(date)s") % names
    if change == "changed":
        return _("Meeting changed at %(event)s: %(sme)s and %(buyer)s, %(date)s") % names
    return _("Meeting cancelled at %(event)s: %(sme)s and %(buyer)s, %(date)s") % names


def _calendar_part(meeting, *, method, recipient, organizer, now):
    """The text/calendar attachment (method=REQUEST or CANCEL) naming the recipient as attendee."""
    calendar = ics.meeting_calendar(
        meeting,
        method=method,
        organizer=organizer,
        attendees=[(recipient.email, recipient.name)],
        now=now,
    )
    return _ics_part(calendar, method=method, filename=f"meeting-{meeting.pk}.ics")


def _ics_part(calendar, *, method, filename):
    part = MIMEText(ics.to_bytes(calendar).decode(), "calendar", "utf-8")
    if method:
        part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _meeting_message(meeting, *, recipient, subject, template, method, organizer, now):
    """One recipient's message; `subject` is a function of no argument, called in their language."""
    event = meeting.slot.event
    context = {
        "meeting": meeting,
        "event": event,
        "recipient": recipient,
        "times": meeting_times(meeting, recipient.time_zone),
    }
    with _written_for(recipient):
        message = EmailMessage(
            subject(),
            render_to_string(template, context),
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
            reply_to=_reply_to(event),
        )
        calendar = _calendar_part(meeting, method=method, recipient=recipient, organizer=organizer, now=now)
    message.attach(calendar)
    return message


def meeting_notify(*, meeting, change, former_interpreter=None):
    """E-mail both parties' members and the interpreter that a meeting was booked, changed or cancelled.

    Each message carries the meeting's .ics: METHOD:REQUEST (booked, changed) or METHOD:CANCEL, with
    the same UID every time, so calendars update or remove the entry they already hold. Pass
    `former_interpreter` when a change took the meeting's interpreter off it: they get a CANCEL.
    Needs meeting.slot.event (with city and organising_centre), table, interpreter, sme.company and
    buyer.buyer; agendas.meeting_with_relations() fetches them in one query. Returns the number of
    messages sent.
    """
    if change not in MEETING_CHANGES:
        raise ValueError(f"change must be one of {MEETING_CHANGES}, not {change!r}")
    event = meeting.slot.event
    centre = event.organising_centre
    organizer = (centre.email or settings.DEFAULT_FROM_EMAIL, str(centre))
    method = ics.CANCEL if change == "cancelled" else ics.REQUEST
    now = timezone.now()
    recipients = _parties(meeting.sme, meeting.buyer)
    if meeting.interpreter_id and meeting.interpreter.email:
        recipients.append(Recipient(meeting.interpreter.email, meeting.interpreter.name, INTERPRETER))
    messages = [
        _meeting_message(
            meeting,
            recipient=recipient,
            subject=lambda: _meeting_subject(change, meeting, event),
            template=f"consultations/email/meeting_{change}.txt",
            method=method,
            organizer=organizer,
            now=now,
        )
        for recipient in recipients
    ]
    released = former_interpreter
    if released is not None and released.email and released.pk != meeting.interpreter_id:
        messages.append(
            _meeting_message(
                meeting,
                recipient=Recipient(released.email, released.name, INTERPRETER),
                subject=lambda: (
                    _("You no longer interpret at %(event)s: %(sme)s and %(buyer)s")
                    % {"event": event.name, "sme": meeting.sme, "buyer": meeting.buyer}
                ),
                template="consultations/email/meeting_interpreter_released.txt",
                method=ics.CANCEL,
                organizer=organizer,
                now=now,
            )
        )
    return send(messages)


# ---------------------------------------------------------------- change requests
def _change_request_subject(change, change_request, meeting, event):
    names = {
        "sme": meeting.sme,
        "buyer": meeting.buyer,
        "event": event.name,
        "date": meeting_times(meeting).event.date,
    }
    if change == "asked" and change_request.kind == change_request.Kind.CANCEL:
        return _("Cancellation asked at %(event)s: %(sme)s and %(buyer)s, %(date)s") % names
    if change == "asked":
        return _("New time asked at %(event)s: %(sme)s and %(buyer)s, %(date)s") % names
    if change == "withdrawn":
        return _("Change request withdrawn at %(event)s: %(sme)s and %(buyer)s, %(date)s") % names
    if change == "approved":
        return _("Change request approved at %(event)s: %(sme)s and %(buyer)s, %(date)s") % names
    return _("Change request refused at %(event)s: %(sme)s and %(buyer)s, %(date)s") % names


def meeting_change_request_notify(*, change_request, change):
    """E-mail that a participant asked to reschedule or cancel a meeting, withdrew that request, or that
    staff approved or refused it.

    Asked and withdrawn: the other side's members and the organising centre's staff (who answer).
    Approved and refused: both sides' members, with staff's note. (An approval also sends the meeting's
    own e-mail with the updated or cancelled .ics.) Needs change_request.meeting with what meeting_notify
    needs. Returns the number of messages sent.
    """
    if change not in CHANGE_REQUEST_CHANGES:
        raise ValueError(f"change must be one of {CHANGE_REQUEST_CHANGES}, not {change!r}")
    meeting = change_request.meeting
    event = meeting.slot.event
    asker = meeting.sme if change_request.asking_side == SME else meeting.buyer
    recipients = _parties(meeting.sme, meeting.buyer)
    if change in ("asked", "withdrawn"):
        recipients = [r for r in recipients if r.side != change_request.asking_side] + _centre_staff(event)
    agenda_of = {SME: meeting.sme_id, BUYER: meeting.buyer_id}
    messages = []
    for recipient in recipients:
        if recipient.side == STAFF:
            path = reverse("consultations:detail", args=[event.pk])
        else:
            path = reverse("consultations:agenda", args=[agenda_of[recipient.side]])
        context = {
            "change": change,
            "change_request": change_request,
            "meeting": meeting,
            "event": event,
            "asker": asker,
            "recipient": recipient,
            "own_side_asked": recipient.side == change_request.asking_side,
            "times": meeting_times(meeting, recipient.time_zone),
            "link": settings.PORTAL_BASE_URL + path,
        }
        with _written_for(recipient):
            subject = _change_request_subject(change, change_request, meeting, event)
            body = render_to_string("consultations/email/change_request.txt", context)
        messages.append(
            EmailMessage(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [recipient.email],
                reply_to=_reply_to(event),
            )
        )
    return send(messages)


# ---------------------------------------------------------------- follow-ups
def follow_up_ask(*, follow_up):
    """Ask the Korean company's members whether the deal moved, with a link to answer. Returns the
    number of messages sent (0 when the company has no member with an address)."""
    meeting = follow_up.meeting
    event = meeting.slot.event
    link = settings.PORTAL_BASE_URL + reverse("consultations:follow_up", args=[follow_up.token])
    messages = []
    for recipient in _members(meeting.sme.company, SME):
        context = {
            "follow_up": follow_up,
            "meeting": meeting,
            "event": event,
            "link": link,
            "recipient": recipient,
        }
        with _written_for(recipient):
            subject = ngettext(
                "%(months)d month after %(event)s: how is it going with %(buyer)s?",
                "%(months)d months after %(event)s: how is it going with %(buyer)s?",
                follow_up.months,
            ) % {"months": follow_up.months, "event": event.name, "buyer": meeting.buyer}
            body = render_to_string("consultations/email/follow_up.txt", context)
        messages.append(
            EmailMessage(
                subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email], reply_to=_reply_to(event)
            )
        )
    return send(messages)


# ---------------------------------------------------------------- reminders
def _reminder_footer_context(recipient):
    """Where a member turns reminders off (their settings); the interpreter, who has no account, replies."""
    if recipient.side == INTERPRETER:
        return {"settings_link": ""}
    return {"settings_link": settings.PORTAL_BASE_URL + reverse("accounts:preferences")}


def _reminder_message(event, recipient, subject, template, context):
    context = {"event": event, "recipient": recipient, **_reminder_footer_context(recipient), **context}
    with _written_for(recipient):
        return EmailMessage(
            subject(),
            render_to_string(template, context),
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
            reply_to=_reply_to(event),
        )


def reminder_day_message(*, meetings, sessions=(), recipient, event, day, now):
    """The evening-before reminder: `recipient`'s meetings of the event `day` (a local date) in time
    order, each with its table, interpreter and both sides, the day's programme `sessions` on their
    agenda, and one .ics holding them all.

    `meetings` have what meeting_notify needs; `sessions` come from registration_programme."""
    context = {
        "day": day,
        "rows": [{"meeting": m, "times": meeting_times(m, recipient.time_zone)} for m in meetings],
        "sessions": [
            {
                "session": s,
                "times": times_between(s.starts_at, s.ends_at, event.time_zone, recipient.time_zone),
            }
            for s in sessions
        ],
    }

    def names():
        return {"event": event.name, "date": dates.date_format(day, "DATE_FORMAT")}

    message = _reminder_message(
        event,
        recipient,
        lambda: _("Reminder: your meetings at %(event)s on %(date)s") % names(),
        "consultations/email/reminder_day_before.txt",
        context,
    )
    with _written_for(recipient):
        calendar = ics.meetings_calendar(
            event,
            meetings,
            sessions=sessions,
            name=_("%(event)s · %(date)s") % names(),
            uid=f"reminder-{day.isoformat()}-{event.pk}@{ics.UID_DOMAIN}",
            now=now,
        )
    message.attach(_ics_part(calendar, method=None, filename=f"meetings-{day.isoformat()}.ics"))
    return message


def reminder_soon_message(*, meeting, recipient, partners):
    """The reminder 30 minutes before: the meeting's table (or link), interpreter, and `partners`: the
    card of the other side (both sides' for the interpreter), see reminders.partner_card."""
    event = meeting.slot.event
    context = {"meeting": meeting, "times": meeting_times(meeting, recipient.time_zone), "partners": partners}
    return _reminder_message(
        event,
        recipient,
        lambda: (
            _("Starting soon at %(event)s: %(sme)s and %(buyer)s, %(time)s")
            % {
                "event": event.name,
                "sme": meeting.sme,
                "buyer": meeting.buyer,
                "time": meeting_times(meeting, recipient.time_zone).viewer.time_range,
            }
        ),
        "consultations/email/reminder_soon.txt",
        context,
    )


def _changes(before, meeting, recipient):
    """[(label, before, after)] of what a reminder said (`before`, a reminders.described dict) and what
    holds now, in the recipient's language and time zone; called inside _written_for."""
    event = meeting.slot.event
    changes = []
    old = times_between(
        dt.datetime.fromisoformat(before["starts_at"]),
        dt.datetime.fromisoformat(before["ends_at"]),
        event.time_zone,
        recipient.time_zone,
    )
    new = meeting_times(meeting, recipient.time_zone)
    if (old.event.starts, old.event.ends) != (new.event.starts, new.event.ends):
        changes.append((_("When"), str(old.viewer), str(new.viewer)))

    def place(table, link):
        return (
            _("Table %(table)s") % {"table": table}
            if table
            else _("Online meeting: %(link)s") % {"link": link}
        )

    before_place = place(before.get("table", ""), before.get("online_link", ""))
    after_place = place(meeting.table.name if meeting.table_id else "", meeting.online_link)
    if before_place != after_place:
        changes.append((_("Where"), before_place, after_place))
    before_interpreter = before.get("interpreter") or _("none")
    after_interpreter = meeting.interpreter.name if meeting.interpreter_id else _("none")
    if before_interpreter != after_interpreter:
        changes.append((_("Interpreter"), before_interpreter, after_interpreter))
    return changes


def reminder_correction_message(*, meeting, recipient, before, still_yours):
    """The correction to a reminder `recipient` got of a meeting that has since been cancelled or moved:
    what changed since `before` (the details the reminder gave) and what holds now. `still_yours` is
    False for an interpreter taken off the meeting."""
    event = meeting.slot.event
    cancelled = meeting.status == meeting.Status.CANCELLED
    with _written_for(recipient):
        changes = [] if cancelled else _changes(before, meeting, recipient)
    context = {
        "meeting": meeting,
        "times": meeting_times(meeting, recipient.time_zone),
        "cancelled": cancelled,
        "changes": changes,
        "still_yours": still_yours,
    }

    def subject():
        names = {"event": event.name, "sme": meeting.sme, "buyer": meeting.buyer}
        if cancelled:
            return _("Correction: cancelled at %(event)s: %(sme)s and %(buyer)s") % names
        return _("Correction: changed at %(event)s: %(sme)s and %(buyer)s") % names

    return _reminder_message(
        event, recipient, subject, "consultations/email/reminder_correction.txt", context
    )
