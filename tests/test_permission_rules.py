"""Every rule of matching.kernel.permissions as every role of the permission matrix, against one table.

The URL matrix (test_permission_matrix.py) shows what each role gets from each page; this table shows the
named rules those pages, their templates and the admin ask. A rule missing from the table fails
`test_every_rule_is_in_the_table`.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from matching.kernel import permissions
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.roles import ADMIN, ANON, BKK, BUYER, BUYER2, IST, ROLES, SME, STRANGER
from tests.test_permission_matrix import world  # noqa: F401 (a fixture)

ORGANISERS = {BKK, IST, ADMIN}
MEMBERS = {SME, STRANGER, BUYER, BUYER2}

# rule: (the world's object it is asked about, or None; the roles it allows)
EXPECTED = {
    "run_events": (None, ORGANISERS),
    "run_event": ("event", {BKK, ADMIN}),
    "take_part_in_events": (None, MEMBERS),
    "have_own_agendas": (None, MEMBERS),
    "see_all_events": (None, {ADMIN}),
    "write_demands": (None, {BUYER, BUYER2, BKK, IST, ADMIN}),
    "keep_demand_listings": (None, {BUYER, BUYER2, BKK, IST}),
    "review_organisations": (None, ORGANISERS),
    "review_companies": (None, {ADMIN}),
    "invite_colleagues": (None, MEMBERS),
    # BUYER meets the company at the world's roadshow; BUYER2 is not its partner.
    "see_company_contacts": ("company", {SME, BUYER, BKK, IST, ADMIN}),
    "edit_company": ("company", {SME, ADMIN}),
    "see_company_matches": ("company", {SME, BKK, IST, ADMIN}),
    "ask_partners": (None, MEMBERS),
    "read_conversations": (None, {SME, STRANGER, BUYER, BUYER2, BKK, IST}),
    # The world's meeting is between SME's company and BUYER's organisation.
    "ask_meeting_change": ("meeting", {SME, BUYER}),
    "answer_meeting_change": ("event", {BKK, ADMIN}),
}


def test_every_rule_is_in_the_table():
    assert sorted(EXPECTED) == sorted(permissions.RULES)


@pytest.mark.parametrize("rule", sorted(EXPECTED))
@pytest.mark.django_db
def test_each_role_gets_the_expected_answer_from_each_rule(world, rule):  # noqa: F811
    thing_key, allowed = EXPECTED[rule]
    thing = world[thing_key] if thing_key else None
    users = world["users"] | {ANON: AnonymousUser()}

    answers = {role: permissions.may(users[role], rule, thing) for role in ROLES}

    assert answers == {role: role in allowed for role in ROLES}


@pytest.mark.django_db
def test_members_of_an_organisation_under_review_do_not_take_part_or_see_contacts(world):  # noqa: F811
    pending = factories.BuyerMemberFactory(
        username="pending_buyer",
        buyer_organisation=factories.BuyerOrganisationFactory(approval_status=ApprovalStatus.PENDING),
    )

    assert not permissions.may(pending, "take_part_in_events")
    assert not permissions.may(pending, "see_company_contacts", world["company"])
    assert permissions.may(pending, "invite_colleagues")


def test_asking_a_rule_costs_no_query(django_assert_num_queries, world):  # noqa: F811
    staff = world["users"][BKK]
    with django_assert_num_queries(0):
        assert permissions.may(staff, "run_event", world["event"])
        assert permissions.may(staff, "see_company_contacts", world["company"])
