"""Background tasks of outcomes: follow-up e-mails."""

import logging

from celery import shared_task

from matching.consultations.booking import emails
from matching.consultations.outcomes import services
from matching.consultations.outcomes.models import FollowUp
from portal.common.enqueue import EMAIL_RETRIES

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=EMAIL_RETRIES["max_retries"])
def follow_up_ask(self, follow_up_id):
    """E-mail the Korean company the follow-up's question (services.follow_ups_send marked it sent).

    With nobody to write to, or once every retry failed, it is marked unsent again, so the next daily
    run asks again.
    """
    follow_up = FollowUp.objects.select_related(
        "meeting__sme__company", "meeting__buyer__buyer", "meeting__slot__event"
    ).get(pk=follow_up_id)
    try:
        sent = emails.follow_up_ask(follow_up=follow_up)
    except OSError as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
        sent = 0
        logger.warning("Follow-up %s not sent: %s", follow_up_id, error)
    if not sent:
        FollowUp.objects.filter(pk=follow_up_id).update(sent_at=None)
    return sent


@shared_task
def follow_ups_send():
    """Daily: give held meetings their follow-ups and ask the companies whose follow-up is due."""
    services.follow_ups_plan()
    return services.follow_ups_send()
