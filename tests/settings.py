"""Test settings: the portal's own, plus a second SQLite database when the default is PostgreSQL.

The second alias lets the constraint tests prove the same invariants on both
databases in one run (`pytest.mark.django_db(databases=...)`).
"""

from portal.settings import *  # noqa: F403
from portal.settings import DATABASES

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

# No cache between tests: a page or session kept by one test must not answer the next.
# tests/test_visitor_cache.py and tests/test_kept_pages.py turn real caches on for themselves.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "identities": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}

# Tasks run at once in the process that enqueues them, after the commit as in production
# (tests/test_task_queue.py runs a real worker against Redis).
CELERY_TASK_ALWAYS_EAGER = True
# Tasks a test hands to a real worker stay in this process (tests/e2e: celery's in-thread test worker).
CELERY_BROKER_URL = "memory://"
