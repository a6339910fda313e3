"""Test settings: the portal's own, plus a second SQLite database when the default is PostgreSQL.

The second alias lets the constraint tests prove the same invariants on both
databases in one run (`pytest.mark.django_db(databases=...)`).
"""

import os
import uuid

from portal.settings import *  # noqa: F403
from portal.settings import CACHES, DATABASES, REDIS_URL

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["sqlite"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {"NAME": ":memory:"},
    }

# Fast hashing: tests create many users; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# DEBUG is off under pytest; let WhiteNoise serve from the finders instead of a collected STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True

# A real cache, as in production: Redis when REDIS_URL is set (CI), this process's memory otherwise.
# tests/conftest.py empties it around every test. On Redis each test process has a key prefix of its own
# and only its own keys are deleted: Redis's clear() is FLUSHDB, which would also empty the keys of the
# other xdist workers, and of any other run sharing the server.
if REDIS_URL:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    CACHES["default"]["KEY_PREFIX"] = f"tests-{worker}-{uuid.uuid4().hex[:12]}"

# Tasks run at once in the process that enqueues them, after the commit as in production
# (tests/test_task_queue.py runs a real worker against Redis).
CELERY_TASK_ALWAYS_EAGER = True
# Tasks a test hands to a real worker stay in this process (tests/e2e: celery's in-thread test worker).
CELERY_BROKER_URL = "memory://"
