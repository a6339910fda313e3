"""A company's public profile page: who sees it in each approval state, and who sees its contact details."""

import pytest

from matching.companies.models import Company
from tests.directories import ROLES, login_as


# ---------------------------------------------------------------- profile visibility
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 200),
        ("sme_owner", 200),
        ("stranger", 200),
        ("buyer", 200),
        ("centre_staff", 200),
        ("other_centre_staff", 200),
        ("admin", 200),
    ],
)
def test_an_approved_company_profile_is_public(client, request, sme_owner, role, status):
    login_as(client, request, role)

    response = client.get(f"/companies/{sme_owner.company_id}/")

    assert response.status_code == status
    assert response.context["company"].name_en == "Seoul Traffic Systems"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("sme_owner", 200),
        ("stranger", 404),
        ("buyer", 404),
        ("centre_staff", 200),
        ("other_centre_staff", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("approval", ["pending", "rejected"])
def test_an_unapproved_company_profile_is_seen_only_by_its_members_centre_staff_and_admins(
    client, request, sme_owner, role, status, approval
):
    Company.objects.filter(pk=sme_owner.company_id).update(
        approval_status=approval, rejection_reason="Missing export licence." if approval == "rejected" else ""
    )
    login_as(client, request, role)

    response = client.get(f"/companies/{sme_owner.company_id}/")

    assert response.status_code == status
    if status == 404:
        assert "Seoul Traffic Systems" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_company_that_does_not_exist_is_not_found_for_anyone(client, request, db, role):
    login_as(client, request, role)

    assert client.get("/companies/999999/").status_code == 404


# ---------------------------------------------------------------- contact details
@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("anonymous", False),
        ("sme_owner", True),
        ("stranger", False),
        ("buyer", False),  # not the company's partner yet: tests/test_contact_details.py
        ("centre_staff", True),
        ("other_centre_staff", True),
        ("admin", True),
    ],
)
def test_contact_details_are_for_partners_kotra_staff_admins_and_the_company_itself(
    client, request, sme_owner, role, visible
):
    Company.objects.filter(pk=sme_owner.company_id).update(
        contact_name="Kim Min-jun",
        contact_email="sales@seoul-traffic.example",
        contact_phone="+82 2 555 0100",
    )
    login_as(client, request, role)

    response = client.get(f"/companies/{sme_owner.company_id}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["show_contacts"] is visible
    assert ("sales@seoul-traffic.example" in html) is visible
    assert ('href="mailto:sales@seoul-traffic.example"' in html) is visible
    assert ("+82 2 555 0100" in html) is visible
    assert ("Kim Min-jun" in html) is visible


def test_an_anonymous_visitor_is_offered_a_log_in_that_returns_to_the_profile(client, sme_owner):
    html = client.get(f"/companies/{sme_owner.company_id}/").content.decode()

    assert f'href="/accounts/login/?next=/companies/{sme_owner.company_id}/"' in html
