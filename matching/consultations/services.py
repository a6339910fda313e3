"""Writes on consultations: meeting requests (more to come: booking, scheduling, outcomes)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.notifications import members_notify

from .models import Meeting, MeetingRequest, Registration


@transaction.atomic
def meeting_request_create(
    *,
    event,
    sme: Registration,
    buyer: Registration,
    requested_by,
    priority=MeetingRequest.Priority.WOULD_LIKE,
) -> MeetingRequest:
    """Ask for a meeting between a registered SME and a registered buyer of the event.

    Staff ask on either side's behalf; an SME member asks for its company; a buyer member for its buyer.
    Raises ValidationError when the pair is wrong or already has an open request.
    Side effects: e-mails the members of the side that did not ask.
    """
    request = MeetingRequest(
        event=event,
        sme=sme,
        buyer=buyer,
        requested_by=requested_by,
        requested_by_sme=requested_by.company_id is not None and requested_by.company_id == sme.company_id,
        priority=priority,
    )
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(_("These two already have an open meeting request.")) from None
    other_side = buyer.buyer if request.requested_by_sme else sme.company
    members_notify(
        members=other_side.members.all(),
        subject=_("Meeting request at %(event)s") % {"event": event},
        template="consultations/email/meeting_request.txt",
        context={"request": request, "event": event},
    )
    return request


def _booking_errors(meeting):
    """What stops this meeting from being booked, as form errors (empty when it can be booked)."""
    errors = []
    for registration in (meeting.sme, meeting.buyer):
        if registration.unavailable_slots.filter(pk=meeting.slot_id).exists():
            errors.append(_("%(name)s cannot attend in this slot.") % {"name": registration})
        booked = registration.sme_meetings if registration.company_id else registration.buyer_meetings
        if booked.exclude(status=Meeting.Status.CANCELLED).count() >= registration.max_meetings:
            errors.append(_("%(name)s already has the maximum number of meetings.") % {"name": registration})
    return errors


@transaction.atomic
def meeting_book(
    *,
    slot,
    sme: Registration,
    buyer: Registration,
    booked_by,
    table=None,
    mode=Meeting.Mode.IN_PERSON,
    online_link="",
    interpreter=None,
    request: MeetingRequest | None = None,
) -> Meeting:
    """Book a meeting into a slot (and a table or an online link), refusing any double booking.

    The database's unique constraints decide races: of simultaneous bookings of one participant,
    table or interpreter in one slot exactly one succeeds; the others get the constraint's message.
    Raises ValidationError with a clear message. Side effects: marks the request accepted.
    """
    meeting = Meeting(
        slot=slot,
        sme=sme,
        buyer=buyer,
        table=table,
        mode=mode,
        online_link=online_link,
        interpreter=interpreter,
        request=request,
    )
    meeting.full_clean(exclude=["request"], validate_constraints=False)
    errors = _booking_errors(meeting)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        # Someone else took the slot between our checks and our insert: say what is taken.
        meeting.validate_constraints()
        raise ValidationError(_("This slot was just taken; please choose another.")) from None
    if request is not None and request.status != MeetingRequest.Status.ACCEPTED:
        request.status = MeetingRequest.Status.ACCEPTED
        request.save(update_fields=["status"])
    return meeting
