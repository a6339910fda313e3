# The Celery app is loaded with Django, so that tasks enqueued from requests use its settings.
from portal.celery import app as celery_app

__all__ = ["celery_app"]
