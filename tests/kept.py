"""Real caches for the tests of what the portal keeps (the test settings keep nothing)."""

from contextlib import contextmanager

from django.core.cache import caches
from django.test import override_settings

from portal import caching

LOCAL_MEMORY = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept-pages"},
    "identities": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept-identities"},
}


def _forget_everything():
    for alias in LOCAL_MEMORY:
        caches[alias].clear()
    caching.forget_versions()


@contextmanager
def real_caches(version_seconds):
    """Each worker's memory as in production, empty; the versions read again after `version_seconds`."""
    with override_settings(CACHES=LOCAL_MEMORY, CACHE_VERSION_SECONDS=version_seconds):
        _forget_everything()
        try:
            yield
        finally:
            _forget_everything()
