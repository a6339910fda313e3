"""Pages of city demand listings: the public list and detail, and the writers' pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.demands import selectors, services
from matching.demands.forms import DemandForm
from matching.demands.models import Demand
from matching.kernel import permissions
from portal.common.forms import add_service_errors
from portal.common.localised import texts_shown
from portal.common.pages import PAGE_SIZE, cached_for_visitors, render_directory


def _editable_demand(request, pk):
    return get_object_or_404(
        selectors.demands_editable_by(request.user).select_related("buyer", "city"), pk=pk
    )


@cached_for_visitors
def demand_list(request):
    return render_directory(
        request, "demands/demand_list.html", lambda: selectors.demand_directory(params=request.GET)
    )


def demand_detail(request, pk):
    try:
        demand = selectors.demand_detail(user=request.user, pk=pk)
    except Demand.DoesNotExist:
        raise Http404 from None
    shown = texts_shown(demand, ("title", "problem"), request.GET.get("text"))
    context = {
        "demand": demand,
        "title": shown.texts["title"],
        "problem": shown.texts["problem"],
        "text_versions": shown,
        "companies": selectors.companies_for_demand(demand),
        "can_edit": selectors.demands_editable_by(request.user).filter(pk=demand.pk).exists(),
    }
    return render(request, "demands/demand_detail.html", context)


@login_required
def demand_mine(request):
    """The listings this user writes for, in every state, newest first."""
    if not permissions.may(request.user, "write_demands"):
        raise PermissionDenied
    listings = (
        selectors.demands_editable_by(request.user)
        .select_related("buyer", "city__country")
        .order_by("status", "-updated_at")
    )
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "demands/demand_mine.html", {"page_obj": page})


@login_required
def demand_create(request):
    if not permissions.may(request.user, "write_demands"):
        raise PermissionDenied
    return _demand_form_page(request, Demand())


@login_required
def demand_edit(request, pk):
    return _demand_form_page(request, _editable_demand(request, pk))


def _demand_form_page(request, demand):
    form = DemandForm(request.POST or None, instance=demand, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.demand_save(form=form, user=request.user)
        except ValidationError as error:  # published meanwhile, with a deadline that has passed
            add_service_errors(form, error)
        else:
            messages.success(request, _("The listing “%(title)s” is saved.") % {"title": demand.title})
            return redirect("demands:detail", pk=demand.pk)
    return render(request, "demands/demand_form.html", {"form": form, "demand": demand})


@login_required
@require_POST
def demand_publish(request, pk):
    done = _("The listing is open: companies can find it now.")
    return _status_change(request, pk, services.demand_publish, done)


@login_required
@require_POST
def demand_close(request, pk):
    done = _("The listing is closed and no longer public.")
    return _status_change(request, pk, services.demand_close, done)


def _status_change(request, pk, service, done):
    """Publish or close one of the user's listings through `service`; a refusal is shown as it says."""
    demand = _editable_demand(request, pk)
    try:
        service(demand=demand)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("demands:detail", pk=demand.pk)
