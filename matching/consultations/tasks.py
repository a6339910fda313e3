"""The consultations app's background tasks, for Celery's autodiscovery: each lives in its subpackage."""

from matching.consultations.booking import tasks as booking_tasks
from matching.consultations.outcomes import tasks as outcome_tasks

__all__ = ["booking_tasks", "outcome_tasks"]
