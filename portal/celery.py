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
