"""Rendering helpers shared by the portal's list pages."""

from django.core.paginator import Paginator
from django.shortcuts import render

PAGE_SIZE = 20


def render_directory(request, template_name, directory, page_size=PAGE_SIZE):
    """Render a filtered, paginated directory; the filters stay in the URL for sharing."""
    page = Paginator(directory.qs, page_size).get_page(request.GET.get("page"))
    return render(request, template_name, {"filter": directory, "page_obj": page})
