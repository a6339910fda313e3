"""Writes on partner requests and conversations: ask, answer, withdraw, write, read.

Each service checks who may act and locks the rows it checks before it writes, so two people answering
at once, or a double click, end in one answer and a clear message. E-mails go through the task queue after
the commit.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.consultations.booking import services as booking
from matching.consultations.booking.models import MeetingRequest
from matching.consultations.events.models import Registration
from matching.kernel.models import ApprovalStatus
from matching.partnering import tasks
from matching.partnering.inbox import inbox_forget, inbox_forget_user
from matching.partnering.models import (
    MAX_PROPOSED_TIMES,
    MESSAGE_MAX_LENGTH,
    Conversation,
    ConversationRead,
    Message,
    PartnerRequest,
    ProposedTime,
)
from portal.common.enqueue import after_commit
from portal.common.text import typed_text

Kind = PartnerRequest.Kind
Status = PartnerRequest.Status


# How far ahead a meeting may be proposed: a year, which also keeps every time far from the calendar's end.
PROPOSAL_HORIZON = dt.timedelta(days=366)


class AlreadyWaiting(ValidationError):
    """The same request between the two already waits for an answer (a double submit lands here)."""

    def __init__(self, existing):
        super().__init__(_("The same request between your organisations is already waiting for an answer."))
        self.existing = existing


def _text(value, field, *, required=True):
    return typed_text(
        value,
        field=field,
        limit=MESSAGE_MAX_LENGTH,
        required=required,
        empty_message=_("Write a short message."),
    )


def _member_side(user, company, buyer):
    """'company' or 'buyer' when the user is an active member of that side; ValidationError else."""
    if user.company_id and user.company_id == company.pk:
        organisation, side = company, "company"
    elif user.buyer_organisation_id and user.buyer_organisation_id == buyer.pk:
        organisation, side = buyer, "buyer"
    else:
        raise ValidationError(_("Only the members of the two organisations can do this."))
    if organisation.approval_status != ApprovalStatus.APPROVED:
        raise ValidationError(
            _("Your organisation is still under review; requests open once it is approved.")
        )
    return side


def _proposed_times(kind, times, now):
    times = sorted({t for t in times if t is not None})
    if kind != Kind.MEETING_ONLINE:
        return []
    if not times:
        raise ValidationError({"proposed_times": _("Propose at least one time for the online meeting.")})
    if len(times) > MAX_PROPOSED_TIMES:
        raise ValidationError({"proposed_times": _("Propose at most three times.")})
    if any(t <= now for t in times):
        raise ValidationError({"proposed_times": _("Propose times in the future.")})
    if any(t > now + PROPOSAL_HORIZON for t in times):
        raise ValidationError({"proposed_times": _("Propose times within the next year.")})
    return times


def conversation_open(*, company, buyer) -> Conversation:
    """The two organisations' conversation, made on first use (two at once make one: a unique pair)."""
    conversation, _created = Conversation.objects.get_or_create(company=company, buyer=buyer)
    return conversation


def _post(conversation, author, from_company, body):
    message = Message.objects.create(
        conversation=conversation, author=author, from_company=from_company, body=body
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    ConversationRead.objects.update_or_create(
        conversation=conversation, user=author, defaults={"read_until": message.created_at}
    )
    return message


@transaction.atomic
def partner_request_create(
    *,
    requested_by,
    company,
    buyer,
    kind,
    message,
    demand=None,
    event=None,
    video_link="",
    proposed_times=(),
) -> PartnerRequest:
    """A member asks the other side for a meeting (in person at a roadshow, or online), shows interest or
    asks a question.

    Raises ValidationError when the asker is not an approved member of one side, the other side is not
    approved, the message is empty or too long, the roadshow is past, the times are wrong, or the same
    request already waits (AlreadyWaiting, with the waiting one). Side effects: opens the two
    organisations' conversation with the message; after commit, e-mails the other side's members.
    """
    side = _member_side(requested_by, company, buyer)
    other = buyer if side == "company" else company
    if other.approval_status != ApprovalStatus.APPROVED:
        raise ValidationError(_("%(name)s is not open to requests.") % {"name": other})
    text = _text(message, "message")
    if kind == Kind.MEETING_IN_PERSON:
        if event is None:
            raise ValidationError({"event": _("Choose the roadshow where you would like to meet.")})
        if event.end_date < timezone.localdate():
            raise ValidationError({"event": _("This roadshow is over; choose one still ahead.")})
        if event.status != event.Status.PUBLISHED:
            raise ValidationError({"event": _("This roadshow is not open yet; choose a published one.")})
    else:
        event = None
    times = _proposed_times(kind, proposed_times, timezone.now())
    request = PartnerRequest(
        company=company,
        buyer=buyer,
        from_company=side == "company",
        requested_by=requested_by,
        kind=kind,
        message=text,
        demand=demand,
        event=event,
        video_link=video_link if kind == Kind.MEETING_ONLINE else "",
    )
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        existing = PartnerRequest.objects.filter(
            company=company, buyer=buyer, kind=kind, status=Status.PENDING
        ).first()
        raise AlreadyWaiting(existing) from None
    ProposedTime.objects.bulk_create(ProposedTime(request=request, starts_at=t) for t in times)
    conversation = conversation_open(company=company, buyer=buyer)
    _post(conversation, requested_by, request.from_company, text)
    transaction.on_commit(lambda: inbox_forget(company_id=company.pk, buyer_id=buyer.pk))
    after_commit(tasks.partner_request_notice, request.pk, "asked")
    return request


def _locked(request):
    return PartnerRequest.objects.select_for_update().get(pk=request.pk)


def _book_at_roadshow(request, answered_by):
    """An accepted meeting in person becomes an accepted meeting request of the roadshow, for the
    scheduler, when both organisations are confirmed there; returns whether it did."""
    confirmed = Registration.objects.filter(
        Q(company=request.company) | Q(buyer=request.buyer),
        event=request.event,
        status=Registration.Status.CONFIRMED,
    )
    registrations = {("company" if r.company_id else "buyer"): r for r in confirmed}
    if len(registrations) < 2:
        return False
    asker = request.requested_by or answered_by
    try:
        with transaction.atomic():
            event_request = booking.meeting_request_create(
                event=request.event,
                sme=registrations["company"],
                buyer=registrations["buyer"],
                requested_by=asker,
                message=request.message[:MESSAGE_MAX_LENGTH],
            )
            booking.meeting_request_answer(request=event_request, accept=True, answered_by=answered_by)
    except ValidationError:
        return MeetingRequest.objects.filter(
            event=request.event,
            sme=registrations["company"],
            buyer=registrations["buyer"],
            status=MeetingRequest.Status.ACCEPTED,
        ).exists()
    return True


@transaction.atomic
def partner_request_answer(
    *, request, answered_by, accept: bool, reason="", note="", start: dt.datetime | None = None
) -> PartnerRequest:
    """The asked side accepts or declines (with a reason from the list, and a note if they like).

    Accepting an online meeting picks one of the proposed times. Accepting a meeting in person at a
    roadshow where both are confirmed asks the roadshow's scheduler for it. Raises ValidationError when
    the user is not a member of the asked side, the request was already answered or withdrawn, or the
    reason or time is missing. Side effects: after commit, e-mails the asker's members (with the .ics of
    an agreed online meeting).
    """
    request = _locked(request)
    side = _member_side(answered_by, request.company, request.buyer)
    if (side == "company") == request.from_company:
        raise ValidationError(_("The other side answers this request."))
    if request.status != Status.PENDING:
        raise ValidationError(
            _("This request is already %(status)s.") % {"status": request.get_status_display().lower()}
        )
    if accept:
        if request.kind == Kind.MEETING_ONLINE:
            proposed = set(request.proposed_times.values_list("starts_at", flat=True))
            if start not in proposed:
                raise ValidationError({"start": _("Pick one of the proposed times.")})
            if start <= timezone.now():
                raise ValidationError({"start": _("That time has passed; decline and ask for new times.")})
            request.agreed_start = start
        request.status = Status.ACCEPTED
    else:
        if reason not in PartnerRequest.DeclineReason.values:
            raise ValidationError({"reason": _("Choose a reason for declining.")})
        request.status = Status.DECLINED
        request.decline_reason = reason
        request.decline_note = _text(note, "note", required=False)
    request.answered_by = answered_by
    request.answered_at = timezone.now()
    request.save()
    if accept and request.kind == Kind.MEETING_IN_PERSON:
        _book_at_roadshow(request, answered_by)
    transaction.on_commit(lambda: inbox_forget(company_id=request.company_id, buyer_id=request.buyer_id))
    after_commit(tasks.partner_request_notice, request.pk, "accepted" if accept else "declined")
    return request


@transaction.atomic
def partner_request_withdraw(*, request, withdrawn_by) -> PartnerRequest:
    """The asking side takes back a request that still waits. Raises ValidationError otherwise.
    Side effects: after commit, e-mails the other side's members."""
    request = _locked(request)
    side = _member_side(withdrawn_by, request.company, request.buyer)
    if (side == "company") != request.from_company:
        raise ValidationError(_("Only the side that asked can withdraw a request."))
    if request.status != Status.PENDING:
        raise ValidationError(
            _("This request is already %(status)s.") % {"status": request.get_status_display().lower()}
        )
    request.status = Status.WITHDRAWN
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    transaction.on_commit(lambda: inbox_forget(company_id=request.company_id, buyer_id=request.buyer_id))
    after_commit(tasks.partner_request_notice, request.pk, "withdrawn")
    return request


def _agreed_online(request, user):
    """The locked request, when it is an online meeting with an agreed time the user's side takes part in."""
    request = _locked(request)
    side = _member_side(user, request.company, request.buyer)
    if request.agreed_start is None:
        raise ValidationError(_("Only an online meeting with an agreed time can be moved."))
    return request, side


@transaction.atomic
def online_meeting_move_propose(*, request, proposed_by, proposed_times) -> PartnerRequest:
    """Either side proposes up to three new times for an agreed online meeting; the agreed time holds
    until the other side picks one. Raises ValidationError for anyone else, for times that are not in
    the future, or while the other side's own proposal waits. Side effects: after commit, e-mails the
    other side's members."""
    request, side = _agreed_online(request, proposed_by)
    if request.move_asked_by_company is not None and request.move_asked_by_company != (side == "company"):
        raise ValidationError(_("The other side has proposed new times: answer them first."))
    times = _proposed_times(Kind.MEETING_ONLINE, proposed_times, timezone.now())
    request.proposed_times.all().delete()
    ProposedTime.objects.bulk_create(ProposedTime(request=request, starts_at=t) for t in times)
    request.move_asked_by_company = side == "company"
    request.save(update_fields=["move_asked_by_company"])
    transaction.on_commit(lambda: inbox_forget(company_id=request.company_id, buyer_id=request.buyer_id))
    after_commit(tasks.partner_request_notice, request.pk, "move_asked", side != "company")
    return request


@transaction.atomic
def online_meeting_move_answer(*, request, answered_by, start: dt.datetime | None) -> PartnerRequest:
    """The other side picks one of the new times (`start`), or keeps the agreed one (`start=None`).
    Raises ValidationError when no move waits, the user is on the side that asked, or the time was not
    proposed or has passed. Side effects: after commit, e-mails the side that asked."""
    request, side = _agreed_online(request, answered_by)
    if request.move_asked_by_company is None:
        raise ValidationError(_("No new time is waiting for an answer."))
    if request.move_asked_by_company == (side == "company"):
        raise ValidationError(_("The other side picks one of the times you proposed."))
    if start is not None:
        if start not in set(request.proposed_times.values_list("starts_at", flat=True)):
            raise ValidationError({"start": _("Pick one of the proposed times.")})
        if start <= timezone.now():
            raise ValidationError(
                {"start": _("That time has passed; keep the agreed one or propose others.")}
            )
        request.agreed_start = start
        request.time_revision += 1
    request.move_asked_by_company = None
    request.save(update_fields=["agreed_start", "time_revision", "move_asked_by_company"])
    request.proposed_times.exclude(starts_at=request.agreed_start).delete()
    transaction.on_commit(lambda: inbox_forget(company_id=request.company_id, buyer_id=request.buyer_id))
    change = "moved" if start is not None else "move_declined"
    after_commit(tasks.partner_request_notice, request.pk, change, side != "company")
    return request


@transaction.atomic
def message_send(*, conversation, author, body) -> Message:
    """A member of either side writes in the conversation. Raises ValidationError for anyone else, or for
    an empty or too long message. Side effects: after commit, e-mails the other side's members."""
    side = _member_side(author, conversation.company, conversation.buyer)
    text = _text(body, "body")
    message = _post(conversation, author, side == "company", text)
    transaction.on_commit(
        lambda: inbox_forget(company_id=conversation.company_id, buyer_id=conversation.buyer_id)
    )
    after_commit(tasks.message_notice, message.pk)
    return message


def conversation_mark_read(*, conversation, user, until) -> None:
    """Everything in the conversation up to `until` is read by `user` (a later mark never goes back)."""
    updated = ConversationRead.objects.filter(
        conversation=conversation, user=user, read_until__lt=until
    ).update(read_until=until)
    if not updated:
        _read, updated = ConversationRead.objects.get_or_create(
            conversation=conversation, user=user, defaults={"read_until": until}
        )
    if updated:
        inbox_forget_user(user)
