"""Recording what came of meetings: each side's own record, and the staff's consultation log per table."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from matching.consultations.booking import agendas
from matching.consultations.events import selectors as event_selectors
from matching.consultations.events.views import visible_event
from matching.consultations.outcomes import selectors as outcome_selectors
from matching.consultations.outcomes import services
from matching.consultations.outcomes.forms import FollowUpForm, OutcomeForm
from matching.consultations.outcomes.models import FollowUp, Mou, Outcome
from matching.kernel import permissions
from portal.common.forms import add_service_errors


def _side_of(user, meeting):
    """The side the user records for: their organisation's in the meeting, or the staff's."""
    if permissions.may(user, "run_events"):
        return Outcome.Side.STAFF
    if user.company_id and user.company_id == meeting.sme.company_id:
        return Outcome.Side.SME
    if user.buyer_organisation_id and user.buyer_organisation_id == meeting.buyer.buyer_id:
        return Outcome.Side.BUYER
    raise PermissionDenied


def _save(request, form, meeting, side):
    """The outcome saved through the service, or None with the reason on the form."""
    try:
        return services.outcome_record(
            meeting=meeting, side=side, recorded_by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        add_service_errors(form, error)
    return None


@login_required
def meeting_outcome(request, pk):
    """One side's record of one meeting (members from their agenda, staff from anywhere)."""
    meeting = agendas.visible_meeting_or_404(request.user, pk)
    side = _side_of(request.user, meeting)
    outcome = Outcome.objects.filter(meeting=meeting, side=side).first()
    form = OutcomeForm(request.POST or None, instance=outcome)
    if request.method == "POST" and form.is_valid() and _save(request, form, meeting, side):
        messages.success(request, _("The outcome is recorded."))
        return redirect(_back(request.user, meeting))
    context = {"meeting": meeting, "event": meeting.slot.event, "form": form, "side": side}
    return render(request, "consultations/meeting_outcome.html", context)


def _back(user, meeting):
    if permissions.may(user, "run_events"):
        return reverse("consultations:log", args=[meeting.slot.event_id]) + f"?table={meeting.table_id or ''}"
    registration = meeting.sme if user.company_id else meeting.buyer
    return reverse("consultations:agenda", args=[registration.pk])


@login_required
def consultation_log(request, pk):
    """상담일지: one table's meetings of one day, each with a short form the staff fill in as they go."""
    event = visible_event(request, pk)
    tables = list(event.tables.all())
    table = next((t for t in tables if str(t.pk) == request.GET.get("table")), tables[0] if tables else None)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    days, day, rows = outcome_selectors.table_log(event, table, day)
    now = outcome_selectors.now()
    for row in rows:
        # Both sides checked in, nothing recorded: the form starts at "held" (saved when the staff save).
        initial = {"attendance": Outcome.Attendance.HELD} if row.held_by_check_in else None
        row.form = OutcomeForm(instance=row.outcome, prefix=f"m{row.meeting.pk}", initial=initial)
        row.flag_no_show = row.likely_no_show(now)
    if request.method == "POST":
        rows_by_meeting = {row.meeting.pk: row for row in rows}
        row = rows_by_meeting.get(_int(request.POST.get("meeting")))
        if row is None:
            raise Http404
        row.form = OutcomeForm(request.POST, instance=row.outcome, prefix=f"m{row.meeting.pk}")
        if row.form.is_valid() and _save(request, row.form, row.meeting, Outcome.Side.STAFF):
            messages.success(request, _("Saved: %(meeting)s.") % {"meeting": row.meeting})
            return redirect(request.get_full_path())
    context = {"event": event, "tables": tables, "table": table, "days": days, "day": day, "rows": rows}
    return render(request, "consultations/consultation_log.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def mou_document(request, pk):
    """The signed MOU's scan, as a download, for the organising centre's staff and admins."""
    mou = get_object_or_404(Mou.objects, pk=pk, event__in=event_selectors.events_visible_to(request.user))
    if not mou.document:
        raise Http404
    response = FileResponse(
        mou.document.open("rb"),
        as_attachment=True,
        filename=f"mou-{mou.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def follow_up(request, token):
    """The Korean company answers a follow-up from the link in its e-mail (members of that company only)."""
    found = FollowUp.objects.select_related(
        "meeting__slot__event", "meeting__sme__company", "meeting__buyer__buyer"
    )
    follow_up = found.filter(token=token, meeting__sme__company_id=request.user.company_id or 0).first()
    if follow_up is None:
        raise Http404
    form = FollowUpForm(request.POST or None, instance=follow_up)
    if request.method == "POST" and form.is_valid():
        services.follow_up_answer(
            follow_up=follow_up,
            progress=form.cleaned_data["progress"],
            notes=form.cleaned_data["notes"],
            answered_by=request.user,
        )
        messages.success(request, _("Thank you: your answer is recorded."))
        return redirect("consultations:follow_up", token=token)
    context = {
        "follow_up": follow_up,
        "meeting": follow_up.meeting,
        "event": follow_up.meeting.slot.event,
        "form": form,
    }
    return render(request, "consultations/follow_up.html", context)
