"""Pages of partner requests and conversations: ask, answer, withdraw, write. Members of the two sides
act; staff of the organising centre may read the conversations of their events' participants."""

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matching.companies.models import Company
from matching.companies.selectors import contact_access
from matching.consultations.booking.agendas import zone_or
from matching.demands.models import BuyerOrganisation, Demand
from matching.kernel import permissions
from matching.partnering import ics, selectors, services
from matching.partnering.forms import (
    AnswerForm,
    MessageForm,
    MoveAnswerForm,
    MoveForm,
    PartnerRequestForm,
)
from matching.partnering.inbox import inbox_count
from matching.partnering.models import Conversation, PartnerRequest
from portal.common.forms import add_service_errors

TOO_BIG = gettext_lazy("That was far too long to send (over 2.5 MB). Keep a message under 4000 characters.")


def _post_or_error(request):
    """request.POST, or None when the body is larger than Django reads (the page then says so)."""
    try:
        return request.POST
    except RequestDataTooBig:
        return None


def _member(request):
    """The member's ("company" | "buyer", organisation id); 403 for staff and admins."""
    if not permissions.may(request.user, "ask_partners"):
        raise PermissionDenied
    return selectors.own_side(request.user)


KOREA = "Asia/Seoul"


def zones(company, buyer):
    """The two sides' time zones, the company's first: each side's city's (Korea's without one)."""
    company_zone = company.headquarters.time_zone if company.headquarters_id else KOREA
    return [zone_or(company_zone, zoneinfo.ZoneInfo(KOREA)), zone_or(buyer.city.time_zone, dt.UTC)]


def own_zone(user):
    """The user's time zone, UTC if theirs is empty or unknown (forms read times in it)."""
    return zone_or(user.time_zone, dt.UTC)


def in_zones(moment, company, buyer):
    """'15 Oct 10:00 Asia/Seoul · 08:00 Asia/Bangkok': one moment in both sides' zones."""
    parts = []
    for zone in dict.fromkeys(zones(company, buyer)):
        local = timezone.localtime(moment, zone)
        parts.append(f"{local:%Y-%m-%d %H:%M} ({zone.key})")
    return " · ".join(parts)


@login_required
def request_new(request):
    side, _own_id = _member(request)
    try:
        other = selectors.counterpart_for(
            request.user, company_pk=request.GET.get("company"), buyer_pk=request.GET.get("buyer")
        )
    except (Company.DoesNotExist, BuyerOrganisation.DoesNotExist, ValueError):
        raise Http404 from None
    company, buyer = (
        (other, request.user.buyer_organisation) if side == "buyer" else (request.user.company, other)
    )
    demand_pk = request.GET.get("demand", "")
    demand = (
        Demand.objects.open().filter(buyer=buyer, pk=demand_pk).first()
        if demand_pk.isascii() and demand_pk.isdigit()
        else None
    )
    initial = {"kind": request.GET.get("kind") or PartnerRequest.Kind.MEETING_ONLINE}
    data = _post_or_error(request) if request.method == "POST" else None
    with timezone.override(own_zone(request.user)):
        form = PartnerRequestForm(data, initial=initial, events=selectors.upcoming_roadshows())
        if data is not None and form.is_valid():
            try:
                made = services.partner_request_create(
                    requested_by=request.user,
                    company=company,
                    buyer=buyer,
                    kind=form.cleaned_data["kind"],
                    message=form.cleaned_data["message"],
                    demand=demand,
                    event=form.cleaned_data["event"],
                    video_link=form.cleaned_data["video_link"],
                    proposed_times=form.proposed_times,
                )
            except services.AlreadyWaiting as waiting:
                messages.info(request, waiting.messages[0])
                return redirect("partnering:request", pk=waiting.existing.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your request is sent to %(name)s.") % {"name": other})
                return redirect("partnering:request", pk=made.pk)
    context = {
        "form": form,
        "too_big": request.method == "POST" and data is None,
        "too_big_message": TOO_BIG,
        "other": other,
        "demand": demand,
        "approved": permissions.organisation_approved(request.user),
        "own_zone": request.user.time_zone,
    }
    return render(request, "partnering/request_form.html", context)


@login_required
def request_list(request):
    _member(request)
    context = selectors.requests_by_state(request.user) | {"side": selectors.own_side(request.user)[0]}
    return render(request, "partnering/request_list.html", context)


def _own_request(request, pk):
    _member(request)
    try:
        return selectors.request_for(request.user, pk)
    except PartnerRequest.DoesNotExist:
        raise Http404 from None


def _time_choices(partner_request):
    return [
        (proposed.starts_at, in_zones(proposed.starts_at, partner_request.company, partner_request.buyer))
        for proposed in partner_request.proposed_times.all()
    ]


def _move_forms(partner_request, side, move_form, move_answer_form):
    """(propose new times, answer the other side's) forms of an agreed online meeting, where they apply."""
    if partner_request.agreed_start is None:
        return None, None
    asked_by = partner_request.move_asked_by_company
    if asked_by is None or asked_by == (side == "company"):
        return move_form or MoveForm(), None
    return None, move_answer_form or MoveAnswerForm(time_choices=_time_choices(partner_request))


def _detail(request, partner_request, answer_form=None, move_form=None, move_answer_form=None):
    side = selectors.own_side(request.user)[0]
    asked_side = (side == "company") != partner_request.from_company
    pending = partner_request.status == PartnerRequest.Status.PENDING
    proposed = _time_choices(partner_request)
    if answer_form is None and asked_side and pending:
        answer_form = AnswerForm(time_choices=proposed)
    move_form, move_answer_form = _move_forms(partner_request, side, move_form, move_answer_form)
    context = {
        "move_form": move_form,
        "move_answer_form": move_answer_form,
        "move_waiting": partner_request.move_asked_by_company is not None,
        "partner_request": partner_request,
        "side": side,
        "asked_side": asked_side,
        "answer_form": answer_form if asked_side and pending else None,
        "can_withdraw": not asked_side and pending,
        "proposed": proposed,
        "agreed": in_zones(partner_request.agreed_start, partner_request.company, partner_request.buyer)
        if partner_request.agreed_start
        else "",
        "conversation": Conversation.objects.filter(
            company=partner_request.company, buyer=partner_request.buyer
        ).first(),
        "show_contacts": selectors.contacts_shown(request.user, partner_request),
        "company_contact_access": contact_access(request.user, partner_request.company),
    }
    return render(request, "partnering/request_detail.html", context)


def _submit(request, partner_request, form, form_name, act):
    """Validate `form`, then `act()`: a service call that returns the success message. Done, or refused as
    a whole (no agreed time, the wrong side): back to the request's page with the message. Wrong fields:
    the page again with the form, as `form_name`, holding what the user typed."""
    if form.is_valid():
        try:
            done = act()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                messages.error(request, error.messages[0])
                return redirect("partnering:request", pk=partner_request.pk)
        else:
            messages.success(request, done)
            return redirect("partnering:request", pk=partner_request.pk)
    partner_request.refresh_from_db()
    return _detail(request, partner_request, **{form_name: form})


@login_required
def request_detail(request, pk):
    return _detail(request, _own_request(request, pk))


@login_required
@require_POST
def request_answer(request, pk):
    partner_request = _own_request(request, pk)
    form = AnswerForm(_post_or_error(request) or {}, time_choices=_time_choices(partner_request))

    def answer():
        accept = form.cleaned_data["decision"] == "accept"
        services.partner_request_answer(
            request=partner_request,
            answered_by=request.user,
            accept=accept,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            start=form.chosen_start,
        )
        if accept:
            return _("Accepted. You now see each other's contact details.")
        return _("Declined; they will be told your reason.")

    return _submit(request, partner_request, form, "answer_form", answer)


@login_required
@require_POST
def request_move(request, pk):
    """Propose new times for an agreed online meeting (read in the proposer's time zone)."""
    partner_request = _own_request(request, pk)
    form = MoveForm(_post_or_error(request) or {})

    def propose():
        services.online_meeting_move_propose(
            request=partner_request, proposed_by=request.user, proposed_times=form.proposed_times
        )
        return _("The new times are sent; the agreed time holds until they pick one.")

    with timezone.override(own_zone(request.user)):
        return _submit(request, partner_request, form, "move_form", propose)


@login_required
@require_POST
def request_move_answer(request, pk):
    partner_request = _own_request(request, pk)
    form = MoveAnswerForm(_post_or_error(request) or {}, time_choices=_time_choices(partner_request))

    def pick():
        services.online_meeting_move_answer(
            request=partner_request, answered_by=request.user, start=form.chosen_start
        )
        return _("Your answer is sent.")

    return _submit(request, partner_request, form, "move_answer_form", pick)


@login_required
@require_POST
def request_withdraw(request, pk):
    partner_request = _own_request(request, pk)
    try:
        services.partner_request_withdraw(request=partner_request, withdrawn_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("partnering:request", pk=partner_request.pk)


@login_required
def request_ics(request, pk):
    partner_request = _own_request(request, pk)
    if partner_request.agreed_start is None:
        raise Http404
    response = HttpResponse(
        ics.online_meeting_ics(partner_request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="online-meeting-{partner_request.pk}.ics"'
    return response


@login_required
@never_cache
def inbox_count_json(request):
    """{"count": n}: what the menu's inbox badge shows (static/js/inbox.js); 0 for staff and admins."""
    return JsonResponse({"count": inbox_count(request.user)})


@login_required
def conversation_list(request):
    if not permissions.may(request.user, "read_conversations"):
        raise PermissionDenied
    conversations = selectors.conversations_with_unread(request.user)
    return render(request, "partnering/conversation_list.html", {"conversations": conversations})


@login_required
def conversation_detail(request, pk):
    try:
        conversation = selectors.conversation_for(request.user, pk)
    except Conversation.DoesNotExist:
        raise Http404 from None
    member = selectors.own_side(request.user) is not None
    form, data = MessageForm(), {}
    if request.method == "POST":
        if not member:
            raise PermissionDenied
        data = _post_or_error(request)
        form = MessageForm(data)
        if data is not None and form.is_valid():
            try:
                services.message_send(
                    conversation=conversation, author=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("partnering:conversation", pk=conversation.pk)
    thread = list(selectors.conversation_messages(conversation))
    if member and thread:
        services.conversation_mark_read(
            conversation=conversation, user=request.user, until=thread[-1].created_at
        )
    context = {
        "conversation": conversation,
        "thread": thread,
        "requests": selectors.conversation_requests(conversation),
        "form": form if member else None,
        "too_big": request.method == "POST" and data is None,
        "too_big_message": TOO_BIG,
        "own_side": (selectors.own_side(request.user) or ("", None))[0],
    }
    return render(request, "partnering/conversation_detail.html", context)
