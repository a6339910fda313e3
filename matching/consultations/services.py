"""Writes on consultations: meeting requests (more to come: booking, scheduling, outcomes)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.notifications import members_notify

from .models import MeetingRequest, Registration


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
