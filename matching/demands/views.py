"""Public pages of city demand listings: the list and the detail."""

from django.http import Http404
from django.shortcuts import render

from portal.pages import render_directory

from . import selectors
from .models import Demand


def demand_list(request):
    directory = selectors.demand_directory(params=request.GET)
    return render_directory(request, "demands/demand_list.html", directory)


def demand_detail(request, pk):
    try:
        demand = selectors.demand_detail(user=request.user, pk=pk)
    except Demand.DoesNotExist:
        raise Http404 from None
    context = {"demand": demand, "companies": selectors.companies_for_demand(demand)}
    return render(request, "demands/demand_detail.html", context)
