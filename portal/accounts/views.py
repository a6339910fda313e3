"""Sign-up, the member's own organisation page, invitations and the review queue."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.kernel import permissions
from matching.kernel.approvals import organisation_review
from portal.accounts import selectors, services
from portal.accounts.forms import (
    SME,
    AccountForm,
    BuyerSignupForm,
    CompanySignupForm,
    InvitationAcceptForm,
    InvitationForm,
    RejectionForm,
)
from portal.accounts.models import Invitation
from portal.common.forms import add_service_errors
from portal.common.security import rate_limited
from portal.privacy.forms import LAW_FIELD, ConsentForm


def signup(request):
    if request.user.is_authenticated:
        return redirect("member_home")
    if request.method == "POST":
        refused = rate_limited(request, group="signup", email_field="account-email")
        if refused is not None:
            return refused
    data = request.POST if request.method == "POST" else None
    if data is not None and "buyer-city_show" in data:
        # A country chosen without script: the same page again with its cities, what was typed kept.
        return _signup_page(request, data)
    account_form = AccountForm(data, prefix="account")
    is_sme = account_form["kind"].value() == SME
    # Only the chosen kind's organisation form is validated; the other keeps what was typed, unjudged.
    company_form = CompanySignupForm(
        data if is_sme else None, prefix="company", initial=_typed(data, "company")
    )
    buyer_form = BuyerSignupForm(None if is_sme else data, prefix="buyer", initial=_typed(data, "buyer"))
    # The notices are those of the organisation's country (a buyer's, once its city is valid).
    law = _signup_law(data, is_sme, buyer_form)
    consent_form = ConsentForm(data, prefix="consent", law=law, every_law=True)
    if data is not None:
        organisation_form = company_form if is_sme else buyer_form
        if account_form.is_valid() & organisation_form.is_valid() & consent_form.is_valid():
            account, consents = account_form.account_fields(), consent_form.given()
            try:
                if is_sme:
                    user = services.sme_signup(
                        account=account, company_fields=organisation_form.cleaned_data, consents=consents
                    )
                else:
                    user = services.buyer_signup(
                        account=account, buyer_fields=organisation_form.cleaned_data, consents=consents
                    )
            except ValidationError as error:
                _add_signup_errors(account_form, organisation_form, error)
            else:
                login(request, user, backend="portal.accounts.backends.PortalBackend")
                messages.success(request, _("Welcome! Your organisation is registered and waits for review."))
                return redirect("member_home")
    context = {
        "account_form": account_form,
        "company_form": company_form,
        "buyer_form": buyer_form,
        "consent_form": consent_form,
    }
    return render(request, "accounts/signup.html", context)


def _signup_law(data, is_sme, buyer_form):
    """The law of the sign-up's organisation: Korea's for a company; for a buyer, its city's country once
    the buyer's fields are valid, else the country chosen so far."""
    if is_sme:
        return services.signup_law(country_code="KR")
    if buyer_form.is_bound and buyer_form.is_valid():
        return services.signup_law(country_code=buyer_form.cleaned_data["city"].country.iso_code)
    return services.signup_law(country_code=(data or {}).get("buyer-city_country"))


def _signup_page(request, data):
    """The sign-up page with unbound forms holding what was typed (no errors shown yet). Ticked consents
    are kept only while the notices shown stay those of the same country."""
    account_form = AccountForm(prefix="account", initial=_typed(data, "account"))
    buyer_form = BuyerSignupForm(prefix="buyer", initial=_typed(data, "buyer"))
    law = _signup_law(data, account_form["kind"].value() == SME, buyer_form)
    ticked = _typed(data, "consent") if data.get(f"consent-{LAW_FIELD}") == law else None
    context = {
        "account_form": account_form,
        "company_form": CompanySignupForm(prefix="company", initial=_typed(data, "company")),
        "buyer_form": buyer_form,
        "consent_form": ConsentForm(prefix="consent", law=law, every_law=True, initial=ticked),
    }
    return render(request, "accounts/signup.html", context)


def _add_signup_errors(account_form, organisation_form, error):
    """A sign-up service's refusal (a name registered meanwhile): the person's fields on the account form,
    the rest on the organisation's."""
    if not hasattr(error, "error_dict"):
        account_form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form = account_form if field in account_form.fields else organisation_form
        add_service_errors(form, ValidationError({field: field_errors}))


def _typed(data, prefix):
    """What was typed in a form with this prefix, as initial values for an unbound copy of it."""
    if data is None:
        return None
    start = f"{prefix}-"
    return {key[len(start) :]: value for key, value in data.items() if key.startswith(start)}


@login_required
@require_POST
def invite(request):
    if not permissions.may(request.user, "invite_colleagues"):
        raise PermissionDenied
    refused = rate_limited(request, group="invitation")
    if refused is not None:
        return refused
    form = InvitationForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        base = request.build_absolute_uri("/")[:-1]
        services.invitation_send(invited_by=request.user, email=email, accept_url_base=base)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
        return redirect("member_home")
    organisation = request.user.organisation
    context = {
        "organisation": organisation,
        "members": organisation.members.order_by("username"),
        "invitation_form": form,
    }
    return render(request, "accounts/home.html", context, status=400)


def invitation_accept(request, token):
    if request.user.is_authenticated:
        messages.info(request, _("You are logged in already: log out first to accept an invitation."))
        return redirect("member_home")
    invitation = get_object_or_404(
        Invitation.objects.select_related("invited_by", "company", "buyer_organisation__city__country"),
        token=token,
    )
    refusal = services.invitation_refusal(invitation=invitation)
    if refusal is not None:
        return _invitation_gone(request, refusal)
    data = request.POST if request.method == "POST" else None
    form = InvitationAcceptForm(data, initial={"email": invitation.email})
    consent_form = ConsentForm(data, prefix="consent", law=services.invitation_law(invitation))
    if form.is_valid() & consent_form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, account=form.account_fields(), consents=consent_form.given()
            )
        except services.InvitationUnusable as error:
            # Accepted (or its inviter gone) between this page's check and the service's lock.
            return _invitation_gone(request, error.messages[0])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="portal.accounts.backends.PortalBackend")
            messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": user.organisation})
            return redirect("member_home")
    context = {
        "form": form,
        "consent_form": consent_form,
        "invitation": invitation,
        "organisation": invitation.organisation,
    }
    return render(request, "accounts/invitation_accept.html", context)


def _invitation_gone(request, reason):
    return render(request, "accounts/invitation_used.html", {"reason": reason}, status=410)


@login_required
def review_queue(request):
    if not permissions.may(request.user, "review_organisations"):
        raise PermissionDenied
    context = selectors.review_queue(request.user)
    return render(request, "accounts/review_queue.html", context)


@login_required
@require_POST
def review_decide(request, kind, pk, decision):
    """Approve or reject one pending company (kind 'company') or buyer (kind 'buyer')."""
    if not permissions.may(request.user, "review_organisations"):
        raise PermissionDenied
    reviewable = {"company": selectors.reviewable_companies, "buyer": selectors.reviewable_buyers}
    organisation = get_object_or_404(reviewable[kind](request.user), pk=pk)
    if decision == "approve":
        organisation_review(organisation=organisation, approve=True)
        messages.success(request, _("%(name)s is approved.") % {"name": organisation})
        return redirect("accounts:review_queue")
    form = RejectionForm(request.POST)
    if form.is_valid():
        try:
            organisation_review(organisation=organisation, approve=False, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is rejected.") % {"name": organisation})
            return redirect("accounts:review_queue")
    messages.error(request, _("Give the reason for rejecting %(name)s.") % {"name": organisation})
    context = selectors.review_queue(request.user) | {"rejection_form": form, "rejecting": organisation}
    return render(request, "accounts/review_queue.html", context, status=400)
