"""Who may do what: the portal's one place for it.

Named predicates (django-rules) on a user and, where it matters, the thing they act on. Views, forms,
selectors, templates (`{% load rules %}{% test_rule "run_event" user event as can %}`), the admin and
the permission matrix test ask these, never `user.role` themselves. The rules are a rule set of their
own, not Django's permission backend: asking one costs no query (Django's backend would load the user's
permission rows first).

Querysets that list what a user may see (`events_visible_to`, `demands_editable_by`, ...) stay in each
app's selectors, because they filter in the database; they branch on the role predicates defined here.
"""

import rules

from matching.kernel import partners
from matching.kernel.models import ApprovalStatus, Role


def _role(role):
    @rules.predicate(name=f"is_{role.name.lower()}")
    def has_role(user):
        return user.is_authenticated and user.role == role

    return has_role


# ------------------------------------------------------------------------------------------------- who
is_admin = _role(Role.ADMIN)
is_centre_staff = _role(Role.CENTRE_STAFF)
is_sme_member = _role(Role.SME_MEMBER)
is_buyer_member = _role(Role.BUYER_MEMBER)
is_member = is_sme_member | is_buyer_member
is_organiser = is_centre_staff | is_admin


@rules.predicate
def organisation_approved(user):
    """The user's company or buyer organisation passed the review (staff and admins have none)."""
    if not user.is_authenticated:
        return False
    organisation = user.company if user.company_id else user.buyer_organisation
    return organisation is not None and organisation.approval_status == ApprovalStatus.APPROVED


@rules.predicate
def buyer_organisation_approved(user):
    return bool(getattr(user, "buyer_organisation_id", None)) and (
        user.buyer_organisation.approval_status == ApprovalStatus.APPROVED
    )


# ---------------------------------------------------------------------------------- relation to a thing
# A visitor (AnonymousUser) has none of these ids: every predicate here answers False for one.
@rules.predicate
def member_of_company(user, company):
    company_id = getattr(user, "company_id", None)
    return company_id is not None and company_id == company.pk


@rules.predicate
def partner_of_company(user, company):
    """The user's buyer organisation and the company accepted a request or meet at a roadshow."""
    return partners.are_partners(company.pk, getattr(user, "buyer_organisation_id", None))


@rules.predicate
def member_of_meeting(user, meeting):
    """The user's company or buyer organisation is one of the roadshow meeting's two sides."""
    company_id = getattr(user, "company_id", None)
    buyer_id = getattr(user, "buyer_organisation_id", None)
    return (company_id is not None and company_id == meeting.sme.company_id) or (
        buyer_id is not None and buyer_id == meeting.buyer.buyer_id
    )


@rules.predicate
def staff_of_organising_centre(user, event):
    trade_centre_id = getattr(user, "trade_centre_id", None)
    return trade_centre_id is not None and trade_centre_id == event.organising_centre_id


# ------------------------------------------------------------------------------------------- the rules
RULES = {
    # Events: the events menu, creating events and the results dashboard.
    "run_events": is_organiser,
    # One event's pages: its organising centre's staff and admins.
    "run_event": is_admin | (is_centre_staff & staff_of_organising_centre),
    # Taking part in events (registering, requesting meetings): approved companies and buyers.
    "take_part_in_events": is_member & organisation_approved,
    # A member's own agendas: only companies' and buyers' members meet people themselves.
    "have_own_agendas": is_member,
    # Every event, every centre's (the results dashboard's "all events").
    "see_all_events": is_admin,
    # Demand listings: buyers write their own, staff their countries', admins any.
    "write_demands": is_buyer_member | is_organiser,
    # "My listings": the buyers and staff who publish listings day to day.
    "keep_demand_listings": is_buyer_member | is_centre_staff,
    # Approving or rejecting new organisations.
    "review_organisations": is_organiser,
    # Korean companies are reviewed by admins only: no trade centre covers Korea.
    "review_companies": is_admin,
    # Inviting colleagues: members of a company or buyer; staff accounts are made by admins.
    "invite_colleagues": is_member,
    # A company's contact person, e-mail and phone (matching.companies.selectors.contact_access says why
    # not): its own members, staff, admins, and the members of an approved buyer that is its partner (a
    # request between them was accepted, or they meet at a roadshow). Until then the portal carries
    # their conversation.
    "see_company_contacts": is_organiser
    | member_of_company
    | (is_buyer_member & buyer_organisation_approved & partner_of_company),
    # Editing a company's profile and solutions.
    "edit_company": is_admin | member_of_company,
    # The listings recommended to a company.
    "see_company_matches": is_organiser | member_of_company,
    # Partner requests (meetings, interest, questions) between a company and a buyer: their members.
    "ask_partners": is_member,
    # Conversations: the two sides' members; staff read those of their events' participants.
    "read_conversations": is_member | is_centre_staff,
    # Asking to reschedule or cancel a booked roadshow meeting: the members of its two sides.
    "ask_meeting_change": is_member & member_of_meeting,
    # Approving or refusing such a change (on an event): whoever runs the event.
    "answer_meeting_change": is_admin | (is_centre_staff & staff_of_organising_centre),
}
for _name, _predicate in RULES.items():
    rules.set_rule(_name, _predicate)


def may(user, rule, thing=None):
    """Whether `user` may do `rule` (a name in RULES), on `thing` where the rule is about one."""
    return rules.test_rule(rule, user, thing)
