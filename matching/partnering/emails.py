"""E-mails about partner requests and messages, to the members of the side that should hear of them."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from matching.partnering.models import PartnerRequest
from portal.common.notifications import members_notify

REQUEST_CHANGES = ("asked", "accepted", "declined", "withdrawn", "move_asked", "moved", "move_declined")
# The changes the side that asked hears of; the side it was asked of hears of the others.
TO_ASKER = {"accepted", "declined"}


def _subject(change, request):
    names = {"kind": request.get_kind_display(), "company": request.company, "buyer": request.buyer}
    return {
        "asked": _("New request: %(kind)s (%(company)s ↔ %(buyer)s)"),
        "accepted": _("Accepted: %(kind)s (%(company)s ↔ %(buyer)s)"),
        "declined": _("Declined: %(kind)s (%(company)s ↔ %(buyer)s)"),
        "withdrawn": _("Withdrawn: %(kind)s (%(company)s ↔ %(buyer)s)"),
        "move_asked": _("New times proposed: online meeting (%(company)s ↔ %(buyer)s)"),
        "moved": _("New time agreed: online meeting (%(company)s ↔ %(buyer)s)"),
        "move_declined": _("The agreed time stays: online meeting (%(company)s ↔ %(buyer)s)"),
    }[change] % names


def partner_request_notify(*, request: PartnerRequest, change, to_company=None):
    """E-mail the side that should act or hear: the asked side of a new or withdrawn request, the asking
    side of an answer; for a move of an agreed online meeting, the side `to_company` names (the services
    know who proposed it). Returns the number of messages enqueued (0 or 1)."""
    if change not in REQUEST_CHANGES:
        raise ValueError(f"change must be one of {REQUEST_CHANGES}, not {change!r}")
    if to_company is None:
        to_company = request.from_company == (change in TO_ASKER)
    organisation = request.company if to_company else request.buyer
    link = settings.PORTAL_BASE_URL + reverse("partnering:request", args=[request.pk])
    return members_notify(
        members=organisation.members.all(),
        subject=lambda: _subject(change, request),
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
        subject=lambda: _("New message from %(sender)s") % {"sender": sender},
        template="partnering/email/message.txt",
        context={"message": message, "sender": sender, "link": link},
    )
