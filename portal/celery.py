"""The task queue (Celery): scheduler runs, e-mails and periodic jobs run on workers, not in web requests.

Production and CI use Redis as the broker (REDIS_URL, or CELERY_BROKER_URL); `make run` uses a folder of
message files (`.queue/`), so a worker runs beside the development server with no server to install.
Tasks are found in each app's tasks.py and in portal/common/tasks.py (plain e-mails); the periodic ones
are listed in settings.CELERY_BEAT_SCHEDULE.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["portal.common"])

# Scheduler runs go to a queue of their own, "<default queue>-scheduler", for a worker with the solo pool
# (`make worker`, `make run`): a prefork pool's processes are daemonic, may not start children, and there
# the scheduler's MaxSAT stage runs without its second process, far weaker (matching/scheduling/solver.py).
SCHEDULER_TASKS = {"matching.consultations.booking.tasks.scheduler_run"}


def scheduler_queue(default_queue: str) -> str:
    """The scheduler's queue (the Makefile's SCHEDULER_QUEUE spells the same name for its worker)."""
    return f"{default_queue}-scheduler"


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router: scheduler runs to the scheduler queue (a queue given when sending still wins)."""
    if name in SCHEDULER_TASKS:
        return {"queue": scheduler_queue(app.conf.task_default_queue)}
    return None


app.conf.task_routes = (route_task,)
