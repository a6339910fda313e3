"""Rendering helpers shared by the portal's list pages."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from portal.caching import KEPT_SECONDS, directory_fragment_key

PAGE_SIZE = 20


def render_directory(request, template_name, make_directory, page_size=PAGE_SIZE):
    """Render a filtered, paginated directory; the filters stay in the URL for sharing.

    `make_directory()` returns the directory's filter set. It is only made, and the page only counted and
    read, when the template's kept fragment (`directory_cache`) is missing.
    """
    directory = SimpleLazyObject(make_directory)
    page = SimpleLazyObject(lambda: Paginator(directory.qs, page_size).get_page(request.GET.get("page")))
    context = {
        "filter": directory,
        "page_obj": page,
        "directory_cache": directory_fragment_key(request),
        "directory_cache_seconds": KEPT_SECONDS,
    }
    return render(request, template_name, context)


def path_on_this_site(request, url, default):
    """`url` when it is a path of this site (a form's or link's `next`), else `default`: never another
    host, and never text that redirect() would take for a URL name."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return url
    return default
