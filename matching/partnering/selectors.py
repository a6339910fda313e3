"""Reads of partner requests and conversations: who sees which, unread counts, who is whose partner."""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from matching.companies.models import Company
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Event, Registration
from matching.demands.models import BuyerOrganisation
from matching.kernel import permissions
from matching.kernel.models import ApprovalStatus
from matching.partnering.models import Conversation, ConversationRead, Message, PartnerRequest


def are_partners(company_id, buyer_id):
    """Partners: a request between the two was accepted, or they have a meeting at a roadshow."""
    accepted = PartnerRequest.objects.filter(
        company_id=company_id, buyer_id=buyer_id, status=PartnerRequest.Status.ACCEPTED
    )
    met = Meeting.objects.filter(sme__company_id=company_id, buyer__buyer_id=buyer_id).exclude(
        status=Meeting.Status.CANCELLED
    )
    return accepted.exists() or met.exists()


def own_side(user):
    """("company", id) or ("buyer", id) for a member; None for staff, admins and visitors."""
    if getattr(user, "company_id", None):
        return "company", user.company_id
    if getattr(user, "buyer_organisation_id", None):
        return "buyer", user.buyer_organisation_id
    return None


def _own_filter(user, prefix=""):
    side = own_side(user)
    if side is None:
        return None
    return Q(**{f"{prefix}{side[0]}_id": side[1]})


def requests_of(user):
    """The partner requests of the user's organisation, both ways, newest first (members only)."""
    own = _own_filter(user)
    if own is None:
        return PartnerRequest.objects.none()
    return PartnerRequest.objects.filter(own).select_related(
        "company__headquarters", "buyer__city__country", "event__city", "demand", "requested_by"
    )


def requests_by_state(user):
    """The member's requests in the three lists of the requests page: waiting for their answer, sent and
    waiting for the other side's, answered or withdrawn (one query)."""
    asked_of_company = own_side(user)[0] == "company"
    lists = {"awaiting": [], "sent": [], "answered": []}
    for request in requests_of(user):
        if request.status != PartnerRequest.Status.PENDING:
            lists["answered"].append(request)
        elif request.from_company == asked_of_company:
            lists["sent"].append(request)
        else:
            lists["awaiting"].append(request)
    return lists


def contacts_shown(user, request):
    """Whether the user sees the other side's contact details on a request of theirs: their organisation is
    still approved and the two are partners (the companies' rule, contact_access, says the same)."""
    return permissions.organisation_approved(user) and are_partners(request.company_id, request.buyer_id)


def request_for(user, pk):
    """One request of the user's organisation, with its proposed times; PartnerRequest.DoesNotExist else."""
    return requests_of(user).prefetch_related("proposed_times").get(pk=pk)


def _centre_participants(trade_centre_id):
    """Registrations at the events of one trade centre (any state but withdrawn)."""
    return Registration.objects.filter(event__organising_centre_id=trade_centre_id).exclude(
        status=Registration.Status.WITHDRAWN
    )


def conversations_visible_to(user):
    """Members: their organisation's conversations. Centre staff: those whose two sides both take part in
    one event of their centre (registered, not withdrawn). Nobody else (admins included: the messages are
    the two sides' own)."""
    if not user.is_authenticated:
        return Conversation.objects.none()
    own = _own_filter(user)
    if own is not None:
        return Conversation.objects.filter(own)
    if permissions.is_centre_staff(user):
        participants = _centre_participants(user.trade_centre_id)
        # The conversation's buyer registered at the event of one of the company's registrations.
        buyer_there = participants.filter(
            buyer_id=OuterRef(OuterRef("buyer_id")), event_id=OuterRef("event_id")
        )
        company_there = participants.filter(Exists(buyer_there), company_id=OuterRef("company_id"))
        return Conversation.objects.filter(Exists(company_there))
    return Conversation.objects.none()


def _unread(user):
    """Messages of the other side that came after the user last read their conversation."""
    read_until = ConversationRead.objects.filter(conversation=OuterRef("conversation"), user=user).values(
        "read_until"
    )[:1]
    side = own_side(user)
    return (
        Message.objects.filter(_own_filter(user, "conversation__"))
        .exclude(from_company=side[0] == "company")
        .annotate(read_until=Subquery(read_until))
        .filter(Q(read_until__isnull=True) | Q(created_at__gt=F("read_until")))
    )


def unread_count(user):
    """How many messages the user has not read yet, over all their conversations (one query)."""
    if own_side(user) is None:
        return 0
    return _unread(user).count()


def conversations_with_unread(user):
    """The user's visible conversations, newest first, each with `unread` (members) and both sides."""
    conversations = conversations_visible_to(user).select_related("company", "buyer__city")
    if own_side(user) is not None:
        unread = _unread(user).filter(conversation=OuterRef("pk"))
        conversations = conversations.annotate(has_unread=Exists(unread))
    return conversations


def conversations_waiting(user):
    """The member's conversations with a request to answer or a message not read yet."""
    side = own_side(user)
    if side is None:
        return Conversation.objects.none()
    awaiting = requests_awaiting(user).filter(company=OuterRef("company"), buyer=OuterRef("buyer"))
    unread = _unread(user).filter(conversation=OuterRef("pk"))
    return Conversation.objects.filter(_own_filter(user)).filter(Exists(awaiting) | Exists(unread))


def conversation_for(user, pk):
    return conversations_visible_to(user).select_related("company", "buyer__city__country").get(pk=pk)


def conversation_messages(conversation):
    return conversation.messages.select_related("author")


def conversation_requests(conversation):
    return PartnerRequest.objects.filter(
        company_id=conversation.company_id, buyer_id=conversation.buyer_id
    ).select_related("event", "demand")


def requests_awaiting(user):
    """Requests the other side sent that wait for the user's organisation's answer."""
    side = own_side(user)
    if side is None:
        return PartnerRequest.objects.none()
    return requests_of(user).filter(status=PartnerRequest.Status.PENDING, from_company=side[0] == "buyer")


def upcoming_roadshows():
    """Published roadshows still ahead, for a request to meet in person there (a draft is its staff's)."""
    return (
        Event.objects.published()
        .filter(end_date__gte=timezone.localdate())
        .select_related("city")
        .order_by("start_date")
    )


def counterpart_for(user, *, company_pk=None, buyer_pk=None):
    """The approved organisation of the other side a member may ask (a company for a buyer, a buyer for a
    company), or DoesNotExist."""
    side = own_side(user)
    if side is None:
        raise Company.DoesNotExist
    if side[0] == "buyer":
        return Company.objects.approved().get(pk=company_pk)
    return BuyerOrganisation.objects.filter(approval_status=ApprovalStatus.APPROVED).get(pk=buyer_pk)
