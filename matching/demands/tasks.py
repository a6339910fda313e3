"""Background work of the demand listings, run by Celery workers."""

from celery import shared_task
from django.utils import timezone

from matching.demands import services


@shared_task
def demands_expire():
    """Daily: close the open listings whose deadline for proposals has passed."""
    return services.demands_expire(today=timezone.localdate())
