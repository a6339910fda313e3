"""Background work every app shares, run by Celery workers: the portal's plain e-mails."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from portal.common.enqueue import EMAIL_RETRIES


@shared_task(**EMAIL_RETRIES)
def email_send(subject, body, recipients):
    """Send one plain-text e-mail (rendered by the request that enqueued it) to `recipients`."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
