"""Rendering helpers shared by the portal's list pages."""

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_cookie

PAGE_SIZE = 20


def render_directory(request, template_name, make_directory, page_size=PAGE_SIZE):
    """Render a filtered, paginated directory; the filters stay in the URL for sharing.

    `make_directory()` returns the directory's filter set. The template caches its content ({% cache %}
    for PAGE_CACHE_SECONDS): the filter set is only made, and the page only counted and read, when
    the cached fragment is missing.
    """
    directory = SimpleLazyObject(make_directory)
    page = SimpleLazyObject(lambda: Paginator(directory.qs, page_size).get_page(request.GET.get("page")))
    context = {
        "filter": directory,
        "page_obj": page,
        "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
    }
    return render(request, template_name, context)


def cached_for_visitors(view):
    """Django's `cache_page` (PAGE_CACHE_SECONDS) for visitors who are not logged in.

    A request with a session cookie (or a message waiting) always gets a fresh page: a member's page names
    them, and one cached under their cookie would answer that cookie after a logout. The page varies on
    the cookies (vary_on_cookie, inside the cache so that its key does too): no browser or proxy serves a
    visitor's copy once they logged in.
    """
    cached_view = cache_page(settings.PAGE_CACHE_SECONDS)(vary_on_cookie(view))

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if {settings.SESSION_COOKIE_NAME, "messages"} & request.COOKIES.keys():
            return view(request, *args, **kwargs)
        return cached_view(request, *args, **kwargs)

    return wrapper


def path_on_this_site(request, url, default):
    """`url` when it is a path of this site (a form's or link's `next`), else `default`: never another
    host, and never text that redirect() would take for a URL name."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return url
    return default
