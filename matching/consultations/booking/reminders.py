"""Meeting reminders: which are due, who gets them, and the corrections owed when a meeting changes after.

Two reminders, both to every active member with an address of both sides who keeps reminders on, and to
the meeting's interpreter:
- the day before: from DAY_BEFORE_FROM in the event's time zone on the eve of the event day (or at once
  when a meeting is booked later that evening), one e-mail per person and day listing their meetings of
  the day, with a .ics;
- SOON_BEFORE the meeting: its table, interpreter and the other side's card.

The beat task (tasks.meeting_reminders_send) runs every few minutes. reminders_claim() inserts a
MeetingReminder row per (meeting, kind, address) that has fallen due; the rows this run inserted are its
own to send, and the unique constraint makes another run's insert of the same reminder a no-op. Each
e-mail is a task of its own after the commit, which looks at the meeting again when it sends: a
cancelled meeting gets no reminder, a moved one shows where it is now (or waits for its new time), a
member who turned reminders off gets nothing. What a row's e-mail told (the meeting's revision and
details) is kept on it; corrections_claim() finds the rows whose meeting changed since and locks them
(SKIP LOCKED, so two runs correct each once), and the correction says what changed.
"""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from matching.companies.models import Solution
from matching.consultations.booking import emails, tasks
from matching.consultations.booking.agendas import meetings_with_relations
from matching.consultations.booking.models import Meeting, MeetingReminder
from matching.consultations.events import programme_selectors
from matching.consultations.events.models import Event
from matching.demands.models import Demand, DemandStatus
from portal.common.enqueue import after_commit
from portal.privacy.selectors import withheld_organisations

DAY_BEFORE = MeetingReminder.Kind.DAY_BEFORE
SOON = MeetingReminder.Kind.SOON
DAY_BEFORE_FROM = dt.time(18)  # the event's local time, the evening before
SOON_BEFORE = dt.timedelta(minutes=30)
# Far enough ahead to see every meeting whose evening-before window is open (18:00 to midnight the day
# before a meeting at 23:59 is 30 hours; a clock change adds one).
LOOK_AHEAD = dt.timedelta(hours=32)
CARD_ITEMS = 3  # solutions or listings named on a partner's card
# A reminder's record (it holds the address) serves corrections until the meeting; kept a while for staff.
RECORDS_KEPT = dt.timedelta(days=30)


# ---------------------------------------------------------------- when a reminder is due
def local_day(meeting):
    """The event day of the meeting: the date of its start in the event's time zone."""
    return meeting.slot.starts_at.astimezone(meeting.slot.event.zone).date()


def window(kind, meeting):
    """(opens, closes): the span in which the meeting's reminder of `kind` may go out.

    The day before: from DAY_BEFORE_FROM on the eve of its day until that day begins (a meeting booked
    on its own day gets the booking's e-mail and the reminder before it, not "the day before").
    Soon: from SOON_BEFORE its start until it starts.
    """
    starts = meeting.slot.starts_at
    if kind == SOON:
        return starts - SOON_BEFORE, starts
    zone = meeting.slot.event.zone
    day = local_day(meeting)
    opens = dt.datetime.combine(day - dt.timedelta(days=1), DAY_BEFORE_FROM, zone)
    return opens, min(dt.datetime.combine(day, dt.time(0), zone), starts)


def is_due(kind, meeting, now):
    opens, closes = window(kind, meeting)
    scheduled = meeting.status == Meeting.Status.SCHEDULED and meeting.slot.event.is_published
    return scheduled and opens <= now < closes


def described(meeting):
    """What a reminder or correction tells of the meeting, kept to say later what changed."""
    return {
        "status": meeting.status,
        "starts_at": meeting.slot.starts_at.isoformat(),
        "ends_at": meeting.slot.ends_at.isoformat(),
        "table": meeting.table.name if meeting.table_id else "",
        "online_link": meeting.online_link,
        "interpreter": meeting.interpreter.name if meeting.interpreter_id else "",
    }


# ---------------------------------------------------------------- who gets them
@dataclass(frozen=True)
class Addressee:
    email: str  # lower case: one reminder per address, however it is spelled
    user_id: int | None = None
    interpreter_id: int | None = None


def _addressees(meetings):
    """{meeting pk: [Addressee]}: both sides' active members with an address who keep reminders on, and
    the interpreter with an address; each address once per meeting. One query for the members."""
    company_ids = {meeting.sme.company_id for meeting in meetings}
    buyer_ids = {meeting.buyer.buyer_id for meeting in meetings}
    members = (
        get_user_model()
        .objects.filter(is_active=True, meeting_reminders=True)
        .filter(Q(company_id__in=company_ids) | Q(buyer_organisation_id__in=buyer_ids))
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email", "company_id", "buyer_organisation_id")
    )
    by_company, by_buyer = defaultdict(list), defaultdict(list)
    for pk, email, company_id, buyer_id in members:
        addressee = Addressee(email.lower(), user_id=pk)
        (by_company[company_id] if company_id else by_buyer[buyer_id]).append(addressee)
    result = {}
    for meeting in meetings:
        everyone = by_company[meeting.sme.company_id] + by_buyer[meeting.buyer.buyer_id]
        if meeting.interpreter_id and meeting.interpreter.email:
            everyone.append(
                Addressee(meeting.interpreter.email.lower(), interpreter_id=meeting.interpreter_id)
            )
        seen, result[meeting.pk] = set(), []
        for addressee in everyone:
            if addressee.email not in seen:
                seen.add(addressee.email)
                result[meeting.pk].append(addressee)
    return result


def _side(user, meeting):
    return emails.SME if user.company_id and user.company_id == meeting.sme.company_id else emails.BUYER


def _is_party(row, meeting):
    """Whether the row's person still takes part: a member of either side, or the meeting's interpreter."""
    if row.interpreter_id:
        interpreter = meeting.interpreter
        return meeting.interpreter_id == row.interpreter_id and interpreter.email.lower() == row.email
    user = row.user
    return user is not None and (
        (user.company_id is not None and user.company_id == meeting.sme.company_id)
        or (user.buyer_organisation_id is not None and user.buyer_organisation_id == meeting.buyer.buyer_id)
    )


def _recipient(row, meeting):
    """The row's person as an emails.Recipient, or None when they are to get nothing: a member who turned
    reminders off, left, or changed their address; an interpreter whose address was removed."""
    if row.interpreter_id:
        interpreter = row.interpreter
        if interpreter is None or interpreter.email.lower() != row.email:
            return None
        return emails.Recipient(interpreter.email, interpreter.name, emails.INTERPRETER)
    user = row.user
    if user is None or not (user.is_active and user.meeting_reminders) or user.email.lower() != row.email:
        return None
    return emails.recipient(user, _side(user, meeting))


# ---------------------------------------------------------------- claiming
def _message_groups(rows):
    """Rows per e-mail: one per soon reminder; one per address and event day for the day before."""
    groups = defaultdict(list)
    for row in rows:
        if row.kind == SOON:
            groups[("soon", row.pk)].append(row)
        else:
            groups[("day", row.email, row.meeting.slot.event_id, local_day(row.meeting))].append(row)
    return list(groups.values())


def reminders_claim(*, now=None) -> int:
    """Claim every reminder that has fallen due and enqueue its e-mail after the commit; how many rows.

    Two runs at once claim each reminder once: the second one's insert of a row the first holds waits
    for the first to commit, then is skipped (ON CONFLICT DO NOTHING); each run sends only the rows it
    inserted (its `claim`). Side effects: MeetingReminder rows; after commit, tasks.meeting_reminder_send
    per e-mail.
    """
    now = now or timezone.now()
    claim = uuid.uuid4()
    with transaction.atomic():
        upcoming = Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            slot__event__status=Event.Status.PUBLISHED,  # a draft's meetings are staff's rehearsal
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + LOOK_AHEAD,
        ).select_related("slot__event", "sme", "buyer", "interpreter")
        due = [
            (meeting, kind)
            for meeting in upcoming
            for kind in (DAY_BEFORE, SOON)
            if is_due(kind, meeting, now)
        ]
        if not due:
            return 0
        meetings = {meeting.pk: meeting for meeting, _kind in due}
        have = set(
            MeetingReminder.objects.filter(meeting__in=list(meetings)).values_list(
                "meeting_id", "kind", "email"
            )
        )
        addressees = _addressees(meetings.values())
        MeetingReminder.objects.bulk_create(
            [
                MeetingReminder(
                    meeting=meeting,
                    kind=kind,
                    email=addressee.email,
                    user_id=addressee.user_id,
                    interpreter_id=addressee.interpreter_id,
                    claim=claim,
                    claimed_at=now,
                    claimed_sequence=meeting.sequence,
                )
                for meeting, kind in due
                for addressee in addressees[meeting.pk]
                if (meeting.pk, kind, addressee.email) not in have
            ],
            ignore_conflicts=True,
        )
        claimed = list(MeetingReminder.objects.filter(claim=claim).order_by("pk"))
        for row in claimed:
            row.meeting = meetings[row.meeting_id]
        for group in _message_groups(claimed):
            after_commit(tasks.meeting_reminder_send, [row.pk for row in group])
    return len(claimed)


def corrections_claim(*, meeting_ids=None) -> int:
    """Claim the corrections owed: rows whose reminder went out and whose meeting changed or was cancelled
    since (its revision is above the one the row told or is being corrected to); of `meeting_ids` only,
    when given (the meeting's own e-mail task asks at once). Returns how many.

    Rows are locked with SKIP LOCKED and marked with the revision they are corrected to, so two runs at
    once correct each once. Side effects: after commit, tasks.meeting_reminder_correct per row.
    """
    with transaction.atomic():
        owed = MeetingReminder.objects.filter(
            sent_at__isnull=False, claimed_sequence__lt=F("meeting__sequence")
        ).select_related("meeting")
        if meeting_ids is not None:
            owed = owed.filter(meeting_id__in=meeting_ids)
        rows = list(owed.select_for_update(skip_locked=True, of=("self",)).order_by("pk"))
        for row in rows:
            MeetingReminder.objects.filter(pk=row.pk).update(claimed_sequence=row.meeting.sequence)
            after_commit(tasks.meeting_reminder_correct, row.pk)
    return len(rows)


def records_forget(*, now=None) -> int:
    """Delete the reminder records of meetings over for RECORDS_KEPT; returns how many."""
    now = now or timezone.now()
    deleted, _by_model = MeetingReminder.objects.filter(
        meeting__slot__ends_at__lt=now - RECORDS_KEPT
    ).delete()
    return deleted


# ---------------------------------------------------------------- sending
def partner_card(registration):
    """What a reminder shows of a registration's organisation: its name and contact (unless it withdrew
    its consent to be shown abroad), and a few of its solutions or open listings."""
    card = {"is_company": registration.company_id is not None, "contact_name": "", "contact_email": ""}
    if card["is_company"]:
        organisation = registration.company
        withheld = withheld_organisations("company").filter(company=organisation.pk).exists()
        items = Solution.objects.filter(company=organisation).order_by("pk")
    else:
        organisation = registration.buyer
        withheld = withheld_organisations("buyer_organisation").filter(buyer_organisation=organisation.pk)
        withheld = withheld.exists()
        items = Demand.objects.filter(buyer=organisation, status=DemandStatus.OPEN).order_by("-pk")
    card["organisation"] = organisation
    card["items"] = [] if withheld else list(items[:CARD_ITEMS])
    if not withheld:
        card["contact_name"] = organisation.contact_name
        card["contact_email"] = organisation.contact_email
        card["contact_phone"] = getattr(organisation, "contact_phone", "")
    return card


def _day_bounds(meeting):
    event, day = meeting.slot.event, local_day(meeting)
    return (
        dt.datetime.combine(day, dt.time(0), event.zone),
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), event.zone),
    )


def _day_sessions(row, meeting):
    """The programme sessions of the meeting's event day on the member's agenda (speaking, attending or
    open to all), as registration_programme gives them; none for the interpreter."""
    if not row.user_id:
        return []
    registration = meeting.sme if row.user.company_id else meeting.buyer
    begins, ends = _day_bounds(meeting)
    return [
        session
        for session in programme_selectors.registration_programme(registration)
        if begins <= session.starts_at < ends
    ]


def _day_meetings(row, meeting):
    """The row's person's scheduled meetings on the meeting's event day, in time order, each with
    `other_party` set for a member."""
    event = meeting.slot.event
    begins, ends = _day_bounds(meeting)
    meetings = Meeting.objects.filter(
        slot__event=event,
        status=Meeting.Status.SCHEDULED,
        slot__starts_at__gte=begins,
        slot__starts_at__lt=ends,
    )
    if row.interpreter_id:
        meetings = meetings.filter(interpreter_id=row.interpreter_id)
    elif row.user.company_id:
        meetings = meetings.filter(sme__company_id=row.user.company_id)
    else:
        meetings = meetings.filter(buyer__buyer_id=row.user.buyer_organisation_id)
    meetings = list(meetings_with_relations(meetings).order_by("slot__starts_at", "pk"))
    for each in meetings:
        each.other_party = each.buyer if row.user_id and row.user.company_id else each.sme
    return meetings


def _mark_told(row_pks, meeting, now, **fields):
    MeetingReminder.objects.filter(pk__in=row_pks).update(
        sequence=meeting.sequence, claimed_sequence=meeting.sequence, described=described(meeting), **fields
    )


def reminder_send(*, row_ids, now=None) -> int:
    """Send the e-mail of claimed rows (one address; one meeting, or one event day's); returns 0 or 1.

    The meeting is read again: rows whose meeting was cancelled, moved out of the reminder's window, or
    whose person no longer takes part or wants reminders are deleted unsent (a moved meeting is claimed
    again when its new time is due). The e-mail goes outside any transaction; the rows then record the
    revision and details it gave. Rows already sent (a retried task) are left alone.
    """
    now = now or timezone.now()
    rows = list(
        MeetingReminder.objects.filter(pk__in=row_ids, sent_at__isnull=True)
        .select_related("user__buyer_organisation__city__country", "interpreter")
        .order_by("pk")
    )
    meetings = {
        meeting.pk: meeting
        for meeting in meetings_with_relations(
            Meeting.objects.filter(pk__in={row.meeting_id for row in rows})
        )
    }
    keep = [
        row
        for row in rows
        if row.meeting_id in meetings
        and is_due(row.kind, meetings[row.meeting_id], now)
        and _is_party(row, meetings[row.meeting_id])
        and _recipient(row, meetings[row.meeting_id]) is not None
    ]
    MeetingReminder.objects.filter(
        pk__in=[row.pk for row in rows if row not in keep], sent_at__isnull=True
    ).delete()
    if not keep:
        return 0
    first, meeting = keep[0], meetings[keep[0].meeting_id]
    recipient = _recipient(first, meeting)
    if first.kind == SOON:
        if first.interpreter_id:
            partners = [partner_card(meeting.sme), partner_card(meeting.buyer)]
        else:
            partners = [partner_card(meeting.buyer if recipient.side == emails.SME else meeting.sme)]
        told = [meeting]
        message = emails.reminder_soon_message(meeting=meeting, recipient=recipient, partners=partners)
    else:
        told = _day_meetings(first, meeting)
        message = emails.reminder_day_message(
            meetings=told,
            sessions=_day_sessions(first, meeting),
            recipient=recipient,
            event=meeting.slot.event,
            day=local_day(meeting),
            now=now,
        )
    sent = emails.send([message])
    told_by_pk = {each.pk: each for each in told}
    for row in keep:
        _mark_told([row.pk], told_by_pk.get(row.meeting_id, meetings[row.meeting_id]), now, sent_at=now)
    # The day's other meetings the e-mail listed are reminded too: no second e-mail for them.
    listed = {row.meeting_id for row in keep}
    MeetingReminder.objects.bulk_create(
        [
            MeetingReminder(
                meeting=each,
                kind=first.kind,
                email=first.email,
                user_id=first.user_id,
                interpreter_id=first.interpreter_id,
                claim=first.claim,
                claimed_at=now,
                claimed_sequence=each.sequence,
                sent_at=now,
                sequence=each.sequence,
                described=described(each),
            )
            for each in told
            if each.pk not in listed
        ],
        ignore_conflicts=True,
    )
    return sent


def correction_send(*, row_id, now=None) -> int:
    """Send the correction of a reminder whose meeting changed since (corrections_claim); returns 0 or 1.

    Nothing when the row already tells the meeting's current revision (a retried task), its person no
    longer wants reminders (the meeting's own e-mail still told them) or left the organisation. After
    the correction the row goes when its person no longer takes part (an interpreter replaced: no further
    corrections) or when the moved meeting's reminder window lies ahead (the reminder goes again at its
    new time).
    """
    now = now or timezone.now()
    row = MeetingReminder.objects.select_related("user__buyer_organisation__city__country", "interpreter")
    row = row.filter(pk=row_id, sent_at__isnull=False).first()
    if row is None:
        return 0
    meeting = meetings_with_relations(Meeting.objects.filter(pk=row.meeting_id)).first()
    if meeting is None or (row.sequence is not None and row.sequence >= meeting.sequence):
        return 0
    still_party = _is_party(row, meeting)
    # A member who left the organisation is not written to about its meetings any more.
    recipient = _recipient(row, meeting) if still_party or row.interpreter_id else None
    sent = 0
    if recipient is not None:
        message = emails.reminder_correction_message(
            meeting=meeting, recipient=recipient, before=row.described, still_yours=still_party
        )
        sent = emails.send([message])
    opens, _closes = window(row.kind, meeting)
    if not still_party or (meeting.status == Meeting.Status.SCHEDULED and now < opens):
        # Someone taken off the meeting has heard the last of it; a meeting moved later is reminded anew.
        MeetingReminder.objects.filter(pk=row.pk, sequence=row.sequence).delete()
    else:
        _mark_told([row.pk], meeting, now, corrected_at=now)
    return sent
