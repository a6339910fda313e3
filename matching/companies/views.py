"""Pages of Korean companies: the directory, the profile, and the members' editing pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matching.companies import selectors, services
from matching.companies.forms import CompanyProfileForm, ReferenceDeploymentFormSet, SolutionFormSet
from matching.companies.models import Company
from matching.kernel import permissions
from portal.common.localised import texts_shown
from portal.common.pages import cached_for_visitors, render_directory


def _editable_company(request, pk):
    try:
        return selectors.company_for_editing(request.user, pk)
    except Company.DoesNotExist:
        raise Http404 from None


@cached_for_visitors
def company_list(request):
    return render_directory(
        request, "companies/company_list.html", lambda: selectors.company_directory(params=request.GET)
    )


def company_detail(request, pk):
    try:
        company = selectors.company_profile(user=request.user, pk=pk)
    except Company.DoesNotExist:
        raise Http404 from None
    contact_access = selectors.contact_access(request.user, company)
    shown = texts_shown(company, ("description",), request.GET.get("text"))
    context = {
        "company": company,
        "description": shown.texts["description"],
        "description_versions": shown,
        "contact_access": contact_access,
        "show_contacts": contact_access == selectors.ContactAccess.SHOWN,
        "can_edit": permissions.may(request.user, "edit_company", company),
        "can_see_matches": permissions.may(request.user, "see_company_matches", company),
    }
    return render(request, "companies/company_detail.html", context)


def company_brochure(request, pk):
    """The brochure as a download, never shown inline (it is the company's file, not ours)."""
    company = get_object_or_404(selectors.companies_visible_to(request.user).distinct(), pk=pk)
    if not company.brochure:
        raise Http404
    filename = f"{slugify(company.name_en) or 'company'}-brochure.pdf"
    response = FileResponse(
        company.brochure.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def company_logo(request, pk):
    """The logo, from the upload storage (shared by every app server), to whoever may see the company.

    Logos were re-encoded as PNG on upload, so they are served as images, but still never sniffed.
    """
    company = get_object_or_404(selectors.companies_visible_to(request.user).distinct(), pk=pk)
    if not company.logo:
        raise Http404
    response = FileResponse(company.logo.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def company_edit(request, pk):
    company = _editable_company(request, pk)
    form = CompanyProfileForm(request.POST or None, request.FILES or None, instance=company)
    if request.method == "POST" and form.is_valid():
        services.company_profile_save(form=form)
        messages.success(request, _("Your company profile is saved."))
        return redirect("companies:detail", pk=company.pk)
    return render(request, "companies/company_form.html", {"company": company, "form": form})


@login_required
def company_solutions(request, pk):
    company = _editable_company(request, pk)
    formset = SolutionFormSet(request.POST or None, instance=company, prefix="solutions")
    if request.method == "POST" and formset.is_valid():
        services.company_solutions_save(company=company, formset=formset)
        messages.success(request, _("Your solutions are saved."))
        return redirect("companies:solutions", pk=company.pk)
    return render(request, "companies/solution_formset.html", {"company": company, "formset": formset})


@login_required
def solution_references(request, pk, solution_pk):
    company = _editable_company(request, pk)
    solution = get_object_or_404(company.solutions, pk=solution_pk)
    formset = ReferenceDeploymentFormSet(request.POST or None, instance=solution, prefix="references")
    if request.method == "POST" and formset.is_valid():
        services.solution_references_save(solution=solution, formset=formset)
        messages.success(
            request, _("Reference deployments of %(solution)s are saved.") % {"solution": solution}
        )
        return redirect("companies:solutions", pk=company.pk)
    context = {"company": company, "solution": solution, "formset": formset}
    return render(request, "companies/reference_formset.html", context)
