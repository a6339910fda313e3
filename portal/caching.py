"""Whole-page cache of the public directories for visitors who are not logged in.

The company directory and the city demands are the portal's busiest pages and the same for every
visitor without an account (per language and query string). For such a visitor (no session or
messages cookie) the rendered page is kept for VISITOR_PAGE_SECONDS and served without touching the
database. Members always get a fresh page.

Any save or delete of a company, solution, listing, buyer, category or city bumps a version that is
part of every key, so this process serves the change at once; other processes and app servers (each
has its own memory cache unless CACHES points at a shared one) within VISITOR_PAGE_SECONDS.
A response that sets a cookie (a CSRF token, say) is never kept.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

VISITOR_PAGE_SECONDS = 30
VERSION_KEY = "visitor-pages:version"
# Models whose rows the directories show: a change to any of them makes the kept pages old.
DIRECTORY_MODELS = [
    "companies.Company",
    "companies.Solution",
    "companies.Category",
    "demands.Demand",
    "demands.BuyerOrganisation",
    "geo.City",
    "geo.Country",
]


def _is_visitor(request):
    return request.method in {"GET", "HEAD"} and not (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
    )


def _key(request):
    version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"visitor-pages:{version}:{get_language()}:{path}"


def directory_changed(**kwargs):
    """Signal receiver: pages kept before this change are not served again."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing kept under one either
        cache.set(VERSION_KEY, 1, timeout=None)


def cached_for_visitors(view):
    """Keep `view`'s page for visitors who are not logged in (see the module's docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_visitor(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, (response.content, response["Content-Type"]), VISITOR_PAGE_SECONDS)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
