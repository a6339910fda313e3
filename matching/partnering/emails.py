"""E-mails about partner requests and messages, to the members of the side that should hear of them."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from matching.partnering.models import PartnerRequest
from portal.common.notifications import members_notify

REQUEST_CHANGES = ("asked", "accepted", "declined", "withdrawn")


def _subject(change, request):
    names = {"kind": request.get_kind_display(), "company": request.company, "buyer": request.buyer}
    return {
        "asked": _("New request: %(kind)s (%(company)s ↔ %(buyer)s)"),
        "accepted": _("Accepted: %(kind)s (%(company)s ↔ %(buyer)s)"),
        "declined": _("Declined: %(kind)s (%(company)s ↔ %(buyer)s)"),
        "withdrawn": _("Withdrawn: %(kind)s (%(company)s ↔ %(buyer)s)"),
    }[change] % names


def partner_request_notify(*, request: PartnerRequest, change):
    """E-mail the side that should act or hear: the asked side of a new or withdrawn request, the asking
    side of an answer. Returns the number of messages enqueued (0 or 1)."""
    if change not in REQUEST_CHANGES:
        raise ValueError(f"change must be one of {REQUEST_CHANGES}, not {change!r}")
    to_asker = change in ("accepted", "declined")
    to_company = request.from_company == to_asker
    organisation = request.company if to_company else request.buyer
    link = settings.PORTAL_BASE_URL + reverse("partnering:request", args=[request.pk])
    return members_notify(
        members=organisation.members.all(),
        subject=_subject(change, request),
        template=f"partnering/email/request_{change}.txt",
        context={"request": request, "link": link, "to_company": to_company},
    )


def message_notify(*, message):
    """E-mail the other side's members that a message is waiting (the text stays in the portal)."""
    conversation = message.conversation
    organisation = conversation.buyer if message.from_company else conversation.company
    sender = conversation.company if message.from_company else conversation.buyer
    link = settings.PORTAL_BASE_URL + reverse("partnering:conversation", args=[conversation.pk])
    return members_notify(
        members=organisation.members.all(),
        subject=_("New message from %(sender)s") % {"sender": sender},
        template="partnering/email/message.txt",
        context={"message": message, "sender": sender, "link": link},
    )
