"""Recommendation page of a company: the open listings that fit it (a listing's page: portal/views.py)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from matching.companies.models import Company
from matching.kernel import permissions
from matching.kernel.models import ApprovalStatus
from matching.recommendations import selectors


@login_required
def company_matches(request, pk):
    """For the company's members, centre staff (the matchmakers) and admins."""
    company = Company.objects.filter(pk=pk).first()
    if company is None or not permissions.may(request.user, "see_company_matches", company):
        raise Http404
    ranked = company.approval_status == ApprovalStatus.APPROVED
    matches = selectors.demands_for_company(company) if ranked else selectors.Matches(fits=[], weaker=[])
    context = {"company": company, "ranked": ranked, "about": "listing"} | selectors.page_context(matches)
    return render(request, "recommendations/company_matches.html", context)
