"""Public pages of Korean companies: the directory and the profile."""

from django.http import Http404
from django.shortcuts import render

from portal.pages import render_directory

from . import selectors
from .models import Company


def company_list(request):
    directory = selectors.company_directory(params=request.GET)
    return render_directory(request, "companies/company_list.html", directory)


def company_detail(request, pk):
    try:
        company = selectors.company_profile(user=request.user, pk=pk)
    except Company.DoesNotExist:
        raise Http404 from None
    context = {"company": company, "show_contacts": selectors.can_see_contacts(request.user, company)}
    return render(request, "companies/company_detail.html", context)
