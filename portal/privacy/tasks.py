"""Background work on personal data, run by Celery workers."""

from celery import shared_task
from django.utils import timezone

from portal.privacy import erasure


@shared_task
def inactive_accounts_anonymise():
    """Daily: anonymise the accounts inactive longer than PRIVACY_INACTIVE_DAYS (the retention period)."""
    return erasure.inactive_accounts_anonymise(now=timezone.now())
