"""The privacy page (consents to give or withdraw) and the download of everything held about a member."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.privacy import erasure, export, selectors, services
from portal.privacy.forms import ConsentChangeForm, DeletionRequestForm
from portal.privacy.models import ConsentKind, DeletionRequest
from portal.privacy.notices import notice


@login_required
def consents(request):
    form = ConsentChangeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        kind, give = form.cleaned_data["kind"], form.cleaned_data["decision"] == "give"
        try:
            changed = services.consent_change(user=request.user, kind=kind, granted=give)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            _say(request, kind, give, changed)
        return redirect("privacy:consents")
    law = services.law_for_user(request.user)
    rows = selectors.consent_rows(request.user)
    for row in rows:
        row.notice = notice(law, row.kind)
    context = {
        "rows": rows,
        "law": law,
        "withdrawable": {ConsentKind.TRANSFER, ConsentKind.MARKETING},
        "deletion_days": settings.PRIVACY_DELETION_DEADLINE_DAYS,
    }
    return render(request, "privacy/consents.html", context, status=400 if form.is_bound else 200)


def _say(request, kind, give, changed):
    label = ConsentKind(kind).label
    if not changed:
        messages.info(
            request, _("Nothing changed: %(consent)s was already as you asked.") % {"consent": label}
        )
    elif give:
        messages.success(request, _("Your consent is recorded: %(consent)s.") % {"consent": label})
    elif kind == ConsentKind.TRANSFER:
        messages.success(
            request,
            _(
                "Your consent to sending your data abroad is withdrawn: the other side no longer sees your "
                "organisation unless a colleague still consents. Your meetings are kept."
            ),
        )
    else:
        messages.success(request, _("Your consent is withdrawn: %(consent)s.") % {"consent": label})


@never_cache
@login_required
def my_data(request):
    """Everything the portal holds about the member, as a page to read, print or save."""
    return render(request, "privacy/my_data.html", {"sections": export.personal_data(request.user)})


@never_cache
@login_required
def my_data_json(request):
    """The same as a JSON file to download."""
    response = JsonResponse(
        export.personal_data_json(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="k-smartcity-my-data-{day}.json"'
    return response


@never_cache
@login_required
def deletion_request(request):
    """What deleting the account erases and keeps; the request, confirmed with the member's password."""
    form = DeletionRequestForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        deletion, created = erasure.deletion_request_open(user=request.user)
        day = date_format(timezone.localtime(deletion.deadline).date(), "DATE_FORMAT")
        if created:
            messages.success(
                request,
                _("Your request is recorded: your account will be deleted by %(day)s.") % {"day": day},
            )
        else:
            messages.info(
                request, _("You have already asked: your account will be deleted by %(day)s.") % {"day": day}
            )
        return redirect("privacy:deletion_request")
    open_request = DeletionRequest.objects.filter(user=request.user, state=DeletionRequest.State.OPEN).first()
    context = {"form": form, "open_request": open_request, "warning": erasure.ERASURE_WARNING}
    return render(request, "privacy/deletion_request.html", context, status=400 if form.is_bound else 200)


@never_cache
@login_required
@require_POST
def deletion_request_withdraw(request):
    """The member takes back their open request (the button on the deletion page)."""
    if erasure.deletion_request_withdraw(user=request.user):
        messages.success(request, _("Your request is withdrawn: your account stays as it is."))
    else:
        messages.info(request, _("You have no open request to delete your account."))
    return redirect("privacy:deletion_request")
