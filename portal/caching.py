"""Caching of the public directories (/companies/, /demands/), which are the same for every user.

Two levels, both keyed on the language, the query string and the directories' version:
- for every user, the directory's content (filter form, count, result cards) is kept as an HTML
  fragment (`directory_fragment_key`, used by the list templates' {% cache %}); the navigation around
  it is still rendered per user;
- for a visitor who is not logged in (no session or messages cookie), the whole page is kept
  (`cached_for_visitors`) and served without rendering anything.

The version is a row in the database (portal.CacheVersion) that any save or delete of a row the
directories show (DIRECTORY_MODELS) bumps once it is committed. The worker that made the change serves
it at once; every other worker of every app server reads the version again at most
DIRECTORY_VERSION_SECONDS (1 s) later, so no directory is ever more than a second old. Each worker keeps
pages in its own memory (CACHES); KEPT_SECONDS bounds that memory, not freshness.

With a dummy cache (the test settings) nothing is kept and no version is read or written.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from portal.models import CacheVersion

KEPT_SECONDS = 300
DIRECTORIES = "directories"
# Models whose rows the directories show, in their cards or their filters' options: a change to any of
# them makes the kept pages old.
DIRECTORY_MODELS = [
    "companies.Company",
    "companies.Solution",
    "companies.Category",
    "companies.Certification",
    "demands.Demand",
    "demands.BuyerOrganisation",
    "geo.City",
    "geo.Country",
]


def caching_enabled():
    return not isinstance(caches["default"], DummyCache)


# The version this worker read last, and when: read again after settings.DIRECTORY_VERSION_SECONDS.
_known_version = {"number": None, "read_at": 0.0}


def directory_version():
    if not caching_enabled():
        return 0
    now = time.monotonic()
    if (
        _known_version["number"] is None
        or now - _known_version["read_at"] >= settings.DIRECTORY_VERSION_SECONDS
    ):
        number = CacheVersion.objects.filter(name=DIRECTORIES).values_list("number", flat=True).first()
        _known_version.update(number=number or 0, read_at=now)
    return _known_version["number"]


def directory_changed(**kwargs):
    """Signal receiver: once the change is committed, the kept pages and fragments are not served again.

    After the commit, in its own short statement: bumping inside the writer's transaction would hold the
    version row's lock until the commit, making every writer wait on the others (and able to deadlock).
    """
    if caching_enabled():
        transaction.on_commit(_bump_directory_version)


def _bump_directory_version():
    if not CacheVersion.objects.filter(name=DIRECTORIES).update(number=F("number") + 1):
        CacheVersion.objects.get_or_create(name=DIRECTORIES, defaults={"number": 2})
    _known_version["number"] = None  # this worker reads the new version on its next page


def directory_fragment_key(request):
    """What the directory's content depends on: the version, the language and the query string."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{directory_version()}:{get_language()}:{path}"


def _is_visitor(request):
    logged_in_or_told_something = {settings.SESSION_COOKIE_NAME, "messages"} & request.COOKIES.keys()
    return request.method in {"GET", "HEAD"} and not logged_in_or_told_something


def cached_for_visitors(view):
    """Keep `view`'s whole page for visitors who are not logged in (see the module's docstring).

    A response that sets a cookie (a CSRF token, say) is never kept.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not caching_enabled() or not _is_visitor(request):
            return view(request, *args, **kwargs)
        key = f"visitor-page:{directory_fragment_key(request)}"
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, (response.content, response["Content-Type"]), KEPT_SECONDS)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
