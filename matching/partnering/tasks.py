"""Background tasks of partnering: its e-mails."""

from celery import shared_task

from matching.partnering import emails
from matching.partnering.models import Message, PartnerRequest
from portal.common.enqueue import EMAIL_RETRIES


@shared_task(**EMAIL_RETRIES)
def partner_request_notice(request_id, change, to_company=None):
    """E-mail the side that should hear that a request was made, answered, withdrawn or its time moved."""
    request = PartnerRequest.objects.select_related("company", "buyer").get(pk=request_id)
    return emails.partner_request_notify(request=request, change=change, to_company=to_company)


@shared_task(**EMAIL_RETRIES)
def message_notice(message_id):
    """E-mail the other side's members that a message is waiting for them."""
    message = Message.objects.select_related("conversation__company", "conversation__buyer").get(
        pk=message_id
    )
    return emails.message_notify(message=message)
