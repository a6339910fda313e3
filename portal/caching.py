"""What the portal keeps in each worker's memory, and how every worker of every app server learns that it
is old.

Kept:
- the public directories (/companies/, /demands/), the same for every user: their content (filter form,
  count, result cards) as an HTML fragment for everyone (`directory_fragment_key`, used by the list
  templates' {% cache %}), and the whole page for a visitor who is not logged in (no session or messages
  cookie; `cached_for_visitors`);
- who is logged in: the session's data and the user with their organisation (portal.accounts.sessions,
  portal.accounts.backends), so a member's page reads neither from the database;
- parts of pages that are expensive to build (an agenda, the results dashboard; `kept`).

Each kind of kept thing depends on a few *versions* (VERSIONS): a row per name in the database
(portal.CacheVersion) that goes up once a change to any model the version covers is committed. Whatever
was kept under an older version is not served again. The worker that made the change serves it at once;
every other worker of every app server reads the versions again (all in one query) at most
CACHE_VERSION_SECONDS (1 s) later, so nothing kept is ever more than a second old. A logout, a password
change or a deactivated account therefore takes effect everywhere within that second. Each worker keeps
things in its own memory (CACHES); KEPT_SECONDS and IDENTITY_SECONDS bound that memory (and freshness
only should raising a version fail).

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
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from portal.models import CacheVersion

# How long a worker keeps a page or a part of a page, and a session or a user: these bound its memory,
# and freshness only should a version fail to go up (raise_after_commit).
KEPT_SECONDS = 300
IDENTITY_SECONDS = 60

DIRECTORIES = "directories"
IDENTITIES = "identities"
# Raised by the sessions themselves (portal.accounts.sessions), not by a model's signals: a logout makes
# every worker read sessions again, but not users, agendas or the dashboard.
SESSIONS = "sessions"
CONSULTATIONS = "consultations"

# Each version, and the models whose saves and deletes (and many-to-many changes) raise it. A model label
# without a dot stands for every model of that app. Only signals raise a version: a queryset's update()
# or bulk_create() raises none, so it may only change what no kept page shows (a meeting's lock, a
# request's expiry, a scheduler run's progress), or it must call raise_after_commit() itself.
VERSIONS = {
    # Rows the directories show, in their cards or their filters' options.
    DIRECTORIES: [
        "companies.Company",
        "companies.Solution",
        "companies.Category",
        "companies.Certification",
        "demands.Demand",
        "demands.BuyerOrganisation",
        "geo.City",
        "geo.Country",
    ],
    # Who a logged-in user is, what they may do and what their navigation shows.
    IDENTITIES: [
        "accounts.User",
        "accounts.TradeCentre",
        "companies.Company",
        "demands.BuyerOrganisation",
    ],
    # Events and everything in them: registrations, requests, slots, tables, meetings, outcomes, MOUs.
    CONSULTATIONS: ["consultations"],
}


def caching_enabled():
    return not isinstance(caches["default"], DummyCache)


def identities_cache():
    """Where sessions and users are kept: small entries, many more of them than pages."""
    return caches["identities"]


# The versions this worker read last (a dict, or None to read them again), and when.
_known_versions = {"numbers": None, "read_at": 0.0}


def version(name):
    """The version `name` as this worker knows it: read again at most every CACHE_VERSION_SECONDS."""
    if not caching_enabled():
        return 0
    # One read of the dict: another thread of this worker (a scheduler run) may forget it meanwhile.
    numbers = _known_versions["numbers"]
    now = time.monotonic()
    if numbers is None or now - _known_versions["read_at"] >= settings.CACHE_VERSION_SECONDS:
        numbers = dict(CacheVersion.objects.values_list("name", "number"))
        _known_versions.update(numbers=numbers, read_at=now)
    return numbers.get(name, 0)


def forget_versions():
    """Read the versions again on the next page (after this worker changed one; and in tests)."""
    _known_versions["numbers"] = None


def raise_after_commit(name):
    """Once the current transaction commits (at once outside one), raise the version `name`.

    After the commit, in its own short statement: raising it inside the writer's transaction would hold
    the version row's lock until the commit, making every writer wait on the others (and able to
    deadlock), and would tell other workers of a change they cannot read yet.
    """
    if caching_enabled():
        # Robust: the change is committed whatever happens here, so its page must not fail. Should the
        # raise fail (the database gone the moment after the commit), other workers see the change when
        # what they kept expires: IDENTITY_SECONDS for sessions and users, KEPT_SECONDS for pages.
        # A named function, not a functools.partial: Django names the callback when it logs its failure.
        def raise_version():
            _raise_version(name)

        transaction.on_commit(raise_version, robust=True)


def _raise_version(name):
    if not CacheVersion.objects.filter(name=name).update(number=F("number") + 1):
        # The first change of its kind: a new row is 1, above the 0 that a missing row reads as.
        _, created = CacheVersion.objects.get_or_create(name=name)
        if not created:  # another worker made the row meanwhile
            CacheVersion.objects.filter(name=name).update(number=F("number") + 1)
    forget_versions()  # this worker reads the new version on its next page


def changed(name, sender=None, update_fields=None, action=None, **kwargs):
    """Signal receiver (connected per version in portal.apps): a covered row changed."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login's timestamp changes nothing anybody is shown or allowed
    if action is not None and action.startswith("pre_"):
        return  # a many-to-many change signals before and after: the "post_" signal is enough
    raise_after_commit(name)


def directory_fragment_key(request):
    """What the directory's content depends on: the version, the language and the query string."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{version(DIRECTORIES)}:{get_language()}:{path}"


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


def kept(key, depends_on, build):
    """What `build()` makes (parts of a page: HTML, titles), kept under `key` and the language until one
    of the versions named in `depends_on` goes up.

    `build()` returns (value, valid_until). `valid_until`, a datetime or None, is when the value goes old
    by the clock alone, with no change to any row (on an agenda, a meeting that starts gains its Outcome
    button). The versions are read before building, so a change committed while building is never kept
    as current. HTML stays safe HTML: the cache keeps its type.
    """
    if not caching_enabled():
        return build()[0]
    versions = ".".join(str(version(name)) for name in depends_on)
    full_key = f"kept:{key}:{get_language()}:{versions}"
    found = cache.get(full_key)
    if found is not None:
        value, valid_until = found
        if valid_until is None or timezone.now() < valid_until:
            return value
    value, valid_until = build()
    cache.set(full_key, (value, valid_until), KEPT_SECONDS)
    return value
