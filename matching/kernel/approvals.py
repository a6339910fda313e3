"""Review of new organisations (Korean companies and buyers) by admins and centre staff."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matching.kernel.models import ApprovalStatus
from portal.common.notifications import members_notify


@transaction.atomic
def organisation_review(*, organisation, approve: bool, reason: str = ""):
    """Approve or reject a Company or BuyerOrganisation; a rejection carries the reason members read.

    Raises ValidationError when a rejection has no reason. Side effects: e-mails the organisation's members.
    """
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the rejection; the organisation will see it.")}
        )
    organisation.approval_status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    organisation.rejection_reason = "" if approve else reason
    organisation.save()
    members_notify(
        members=organisation.members.all(),
        subject=lambda: (
            _("Your organisation on the K-Smart City export portal: %(status)s")
            % {"status": organisation.get_approval_status_display()}
        ),
        template="accounts/email/review_decision.txt",
        context={"organisation": organisation, "reason": organisation.rejection_reason},
    )
    return organisation
