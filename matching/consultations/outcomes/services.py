"""Writes on outcomes: recording one, MOUs from outcomes, follow-ups planned, sent and answered."""

import calendar
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from matching.consultations.booking.models import Meeting
from matching.consultations.outcomes import tasks
from matching.consultations.outcomes.models import FollowUp, Mou, Outcome
from portal.common.enqueue import after_commit

RECORDED_FIELDS = [
    "attendance", "interest", "next_step", "estimated_value_usd", "mou_signed", "mou_signed_on", "notes",
]  # fmt: skip


@transaction.atomic
def outcome_record(*, meeting: Meeting, side, recorded_by, **values) -> Outcome:
    """Create or update one side's record of a meeting (`values` from RECORDED_FIELDS).

    Refused before the meeting starts and for a cancelled meeting. The staff's attendance is the
    official one: it sets the meeting's status (held or no-show). Side effects: a history row (who,
    when, before and after) for every save; a staff record of a signed MOU creates the meeting's MOU
    record (company–company, signed) for admins to review and complete with the scan.
    """
    unknown = set(values) - set(RECORDED_FIELDS)
    if unknown:
        raise TypeError(f"cannot record {sorted(unknown)}")
    # Locked first: of two saves of one side at once (a double click), the second waits and then
    # updates the record the first created instead of creating another (a unique constraint, a 500).
    current = Meeting.objects.select_for_update().only("status").get(pk=meeting.pk)
    meeting.status = current.status
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if not meeting.has_started:
        raise ValidationError(_("This meeting has not started yet; record it once it has."))
    outcome = Outcome.objects.filter(meeting=meeting, side=side).first() or Outcome(
        meeting=meeting, side=side
    )
    for name, value in values.items():
        setattr(outcome, name, value)
    outcome.recorded_by = recorded_by
    outcome._history_user = recorded_by
    outcome.full_clean(exclude=["meeting"])
    outcome.save()
    if side == Outcome.Side.STAFF and outcome.mou_signed and not meeting.mous.exists():
        _mou_from_outcome(outcome, recorded_by)
    if side == Outcome.Side.STAFF:
        status = (
            Meeting.Status.HELD if outcome.attendance == Outcome.Attendance.HELD else Meeting.Status.NO_SHOW
        )
        if meeting.status != status:
            meeting.status = status
            meeting.save(update_fields=["status"])
    return outcome


def months_later(day, months):
    """The same day `months` later, or that month's last day when it is shorter."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def follow_ups_plan() -> int:
    """Give every held meeting its follow-ups at 1, 3 and 6 months (in the event's calendar); returns how
    many were created. Existing ones are left as they are."""
    held = Meeting.objects.filter(status=Meeting.Status.HELD).select_related("slot__event")
    have = set(FollowUp.objects.values_list("meeting_id", "months"))
    new = []
    for meeting in held:
        day = meeting.slot.starts_at.astimezone(meeting.slot.event.zone).date()
        for months in FollowUp.MONTHS:
            if (meeting.pk, months) not in have:
                new.append(
                    FollowUp(
                        meeting=meeting,
                        months=months,
                        due_on=months_later(day, months),
                        token=secrets.token_urlsafe(32),
                    )
                )
    FollowUp.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def follow_ups_send(*, today=None) -> int:
    """Ask the Korean company of each follow-up that is due and not asked yet; returns how many.

    Each is marked sent here, in one statement (two daily runs at once ask once), and its e-mail is
    enqueued after the commit (tasks.follow_up_ask, which marks it unsent again if nobody could be asked).
    """
    today = today or timezone.localdate()
    due = FollowUp.objects.filter(sent_at__isnull=True, due_on__lte=today)
    ids = list(due.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True))
    FollowUp.objects.filter(pk__in=ids).update(sent_at=timezone.now())
    for follow_up_id in ids:
        after_commit(tasks.follow_up_ask, follow_up_id)
    return len(ids)


@transaction.atomic
def follow_up_answer(*, follow_up, progress, notes, answered_by) -> FollowUp:
    """Record (or correct) the company's answer. Side effects: a history row."""
    follow_up.progress, follow_up.notes = progress, notes
    follow_up.answered_by, follow_up.answered_at = answered_by, timezone.now()
    follow_up._history_user = answered_by
    follow_up.full_clean(exclude=["meeting", "token"])
    follow_up.save()
    return follow_up


def _mou_from_outcome(outcome, recorded_by):
    meeting = outcome.meeting
    title = _("MOU: %(sme)s and %(buyer)s") % {"sme": meeting.sme, "buyer": meeting.buyer}
    mou = Mou(
        # Two long names make a title longer than the column; its end is the least telling part.
        title=Truncator(title).chars(Mou._meta.get_field("title").max_length),
        kind=Mou.Kind.COMPANY,
        status=Mou.Status.SIGNED,
        event=meeting.slot.event,
        meeting=meeting,
        company_id=meeting.sme.company_id,
        buyer_id=meeting.buyer.buyer_id,
        signed_on=outcome.mou_signed_on,
        recorded_by=recorded_by,
    )
    mou._history_user = recorded_by
    mou.full_clean()
    mou.save()
    return mou


def reviewed_mark(*, records, reviewer) -> int:
    """Mark outcomes or MOUs (`records`, a queryset) reviewed by `reviewer` now; returns how many were not
    reviewed before.

    Each record is saved on its own (not a bulk update) so that its history keeps a row naming the
    reviewer. Records already reviewed are left as they are.
    """
    now = timezone.now()
    count = 0
    with transaction.atomic():
        # No joins under FOR UPDATE: PostgreSQL refuses to lock the nullable side of an outer join.
        for record in records.select_related(None).filter(reviewed_at__isnull=True).select_for_update():
            record.reviewed_at, record.reviewed_by = now, reviewer
            record._history_user = reviewer
            record.save(update_fields=["reviewed_at", "reviewed_by"])
            count += 1
    return count
