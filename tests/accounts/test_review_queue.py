"""The review queue (/accounts/reviews/): admins and trade-centre staff approve or reject new organisations.

Admins review Korean companies and every buyer; centre staff only the buyers in their
centre's countries. A decision e-mails the organisation's members; a rejection needs a reason.
"""

import pytest
from django.core import mail

from matching.kernel.models import ApprovalStatus
from tests import factories

QUEUE = "/accounts/reviews/"
REASON = "The business registration certificate you uploaded belongs to another company."


def decide(kind, organisation, decision):
    return f"/accounts/reviews/{kind}/{organisation.pk}/{decision}/"


def decide_as(client, user, kind, organisation, decision, *args, **kwargs):
    """Log in as `user` and post the decision (with the reason, if given)."""
    client.force_login(user)
    return client.post(decide(kind, organisation, decision), *args, **kwargs)


def assert_approval(organisation, status):
    """The organisation's approval status, as the database has it now."""
    organisation.refresh_from_db()
    assert organisation.approval_status == status


@pytest.fixture
def pending_company(db):
    company = factories.CompanyFactory(
        name_en="Hanbit Signal Control", name_ko="한빛신호제어", approval_status=ApprovalStatus.PENDING
    )
    factories.SmeMemberFactory(username="jiwoo", email="jiwoo@hanbit.example", company=company)
    factories.SmeMemberFactory(username="minjun", email="minjun@hanbit.example", company=company)
    return company


def _pending_buyer(centre, city, name, member_email):
    """Buyer `name` awaiting review, in a new city (English, Korean, time zone) of the centre's country,
    with one member whose username is the e-mail's local part."""
    name_en, name_ko, time_zone = city
    city = factories.CityFactory(
        country=centre.city.country, name_en=name_en, name_ko=name_ko, time_zone=time_zone
    )
    buyer = factories.BuyerOrganisationFactory(name=name, city=city, approval_status=ApprovalStatus.PENDING)
    username = member_email.split("@")[0]
    factories.BuyerMemberFactory(username=username, email=member_email, buyer_organisation=buyer)
    return buyer


@pytest.fixture
def pending_thai_buyer(bangkok_centre):
    udon_thani = ("Udon Thani", "우돈타니", "Asia/Bangkok")
    return _pending_buyer(bangkok_centre, udon_thani, "Udon Thani City Municipality", "somchai@udon.example")


@pytest.fixture
def pending_turkish_buyer(istanbul_centre):
    gaziantep = ("Gaziantep", "가지안테프", "Europe/Istanbul")
    return _pending_buyer(
        istanbul_centre, gaziantep, "Gaziantep Metropolitan Municipality", "ayse@gaziantep.example"
    )


@pytest.fixture
def queue(pending_company, pending_thai_buyer, pending_turkish_buyer):
    return {"company": pending_company, "thai": pending_thai_buyer, "turkish": pending_turkish_buyer}


# ---------------------------------------------------------------- who sees what
@pytest.mark.django_db
def test_admin_sees_pending_companies_and_all_pending_buyers(client, admin, queue, buyer):
    client.force_login(admin)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert list(response.context["companies"]) == [queue["company"]]
    assert list(response.context["buyers"]) == [queue["thai"], queue["turkish"]]
    content = response.content.decode()
    assert "Hanbit Signal Control" in content
    assert "Udon Thani City Municipality" in content
    assert "Gaziantep Metropolitan Municipality" in content
    assert "Khon Kaen City Municipality" not in content  # buyer fixture: approved already
    assert 'id="companies-heading"' in content


@pytest.mark.django_db
def test_bangkok_staff_see_only_pending_buyers_of_thailand(client, centre_staff, queue):
    client.force_login(centre_staff)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert list(response.context["buyers"]) == [queue["thai"]]
    assert list(response.context["companies"]) == []
    content = response.content.decode()
    assert "Udon Thani City Municipality" in content
    assert "Gaziantep Metropolitan Municipality" not in content
    assert "Hanbit Signal Control" not in content
    assert 'id="companies-heading"' not in content


@pytest.mark.django_db
def test_istanbul_staff_see_only_pending_buyers_of_turkiye(client, other_centre_staff, queue):
    client.force_login(other_centre_staff)

    response = client.get(QUEUE)

    assert list(response.context["buyers"]) == [queue["turkish"]]
    assert list(response.context["companies"]) == []


@pytest.mark.parametrize("role", ["sme_owner", "buyer"])
@pytest.mark.django_db
def test_members_of_organisations_are_forbidden_the_queue(client, request, role, queue):
    client.force_login(request.getfixturevalue(role))

    assert client.get(QUEUE).status_code == 403
    assert client.post(decide("buyer", queue["thai"], "approve")).status_code == 403
    assert_approval(queue["thai"], ApprovalStatus.PENDING)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, queue):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/reviews/"
    response = client.post(decide("company", queue["company"], "approve"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert_approval(queue["company"], ApprovalStatus.PENDING)


@pytest.mark.django_db
def test_a_decision_must_be_posted(client, admin, queue):
    client.force_login(admin)

    assert client.get(decide("company", queue["company"], "approve")).status_code == 405
    assert_approval(queue["company"], ApprovalStatus.PENDING)


# ---------------------------------------------------------------- approve
@pytest.mark.django_db
def test_admin_approves_a_company_and_its_members_are_emailed(client, admin, queue):
    response = decide_as(client, admin, "company", queue["company"], "approve")

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert_approval(queue["company"], ApprovalStatus.APPROVED)
    assert queue["company"].rejection_reason == ""
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Your organisation on the K-Smart City export portal: Approved"
    assert sorted(message.to) == ["jiwoo@hanbit.example", "minjun@hanbit.example"]
    assert message.from_email == "portal@k-smartcity.example"
    assert (
        "The review of Hanbit Signal Control on the K-Smart City export portal is done: Approved."
        in message.body
    )
    assert "Reason:" not in message.body


@pytest.mark.django_db
def test_an_approved_company_leaves_the_queue_with_a_confirmation(client, admin, queue):
    response = decide_as(client, admin, "company", queue["company"], "approve", follow=True)

    assert list(response.context["companies"]) == []
    assert "Hanbit Signal Control is approved." in response.content.decode()


@pytest.mark.django_db
def test_bangkok_staff_approve_a_thai_buyer(client, centre_staff, queue):
    response = decide_as(client, centre_staff, "buyer", queue["thai"], "approve")

    assert response.status_code == 302
    assert_approval(queue["thai"], ApprovalStatus.APPROVED)
    assert [message.to for message in mail.outbox] == [["somchai@udon.example"]]


@pytest.mark.django_db
def test_members_without_an_email_address_or_inactive_get_no_mail(client, admin, queue):
    company = queue["company"]
    company.members.filter(username="jiwoo").update(email="")
    company.members.filter(username="minjun").update(is_active=False)
    client.force_login(admin)

    client.post(decide("company", company, "approve"))

    assert_approval(company, ApprovalStatus.APPROVED)
    assert mail.outbox == []


# ---------------------------------------------------------------- reject
@pytest.mark.django_db
def test_admin_rejects_a_company_with_a_reason_that_is_stored_and_emailed(client, admin, queue):
    response = decide_as(client, admin, "company", queue["company"], "reject", {"reason": f"  {REASON}  "})

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert_approval(queue["company"], ApprovalStatus.REJECTED)
    assert queue["company"].rejection_reason == REASON
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Your organisation on the K-Smart City export portal: Rejected"
    assert sorted(message.to) == ["jiwoo@hanbit.example", "minjun@hanbit.example"]
    assert f"Reason: {REASON}" in message.body


@pytest.mark.django_db
def test_centre_staff_reject_a_buyer_of_their_country_with_a_reason(client, centre_staff, queue):
    client.force_login(centre_staff)

    client.post(decide("buyer", queue["thai"], "reject"), {"reason": "Not a public body."})

    queue["thai"].refresh_from_db()
    assert (queue["thai"].approval_status, queue["thai"].rejection_reason) == (
        ApprovalStatus.REJECTED,
        "Not a public body.",
    )
    assert mail.outbox[0].to == ["somchai@udon.example"]
    assert "Reason: Not a public body." in mail.outbox[0].body


@pytest.mark.parametrize("reason", ["", "   \n  "])
@pytest.mark.django_db
def test_a_rejection_without_reason_is_refused_with_400_and_changes_nothing(client, admin, queue, reason):
    response = decide_as(client, admin, "company", queue["company"], "reject", {"reason": reason})

    assert response.status_code == 400
    content = response.content.decode()
    assert "Give the reason for rejecting Hanbit Signal Control." in content
    assert response.context["rejecting"] == queue["company"]
    assert response.context["rejection_form"].errors == {"reason": ["This field is required."]}
    assert '<div class="invalid-feedback">This field is required.</div>' in content
    assert list(response.context["companies"]) == [queue["company"]]
    assert_approval(queue["company"], ApprovalStatus.PENDING)
    assert queue["company"].rejection_reason == ""
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_rejection_reason_over_two_thousand_characters_is_refused(client, admin, queue):
    response = decide_as(client, admin, "buyer", queue["thai"], "reject", {"reason": "x" * 2001})

    assert response.status_code == 400
    assert response.context["rejection_form"].errors == {
        "reason": ["Ensure this value has at most 2000 characters (it has 2001)."]
    }
    assert_approval(queue["thai"], ApprovalStatus.PENDING)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_rejection_reason_with_a_nul_byte_is_refused_cleanly(client, admin, queue):
    response = decide_as(client, admin, "buyer", queue["thai"], "reject", {"reason": "No\x00"})

    assert response.status_code == 400
    assert response.context["rejection_form"].errors == {"reason": ["Null characters are not allowed."]}
    assert_approval(queue["thai"], ApprovalStatus.PENDING)


# ---------------------------------------------------------------- out of reach
@pytest.mark.django_db
def test_istanbul_staff_approving_a_thai_buyer_get_404(client, other_centre_staff, queue):
    response = decide_as(client, other_centre_staff, "buyer", queue["thai"], "approve")

    assert response.status_code == 404
    assert_approval(queue["thai"], ApprovalStatus.PENDING)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("staff", "kind", "organisation", "decision", "data"),
    [
        pytest.param(
            "other_centre_staff", "buyer", "thai", "reject", {"reason": REASON}, id="istanbul-on-thai"
        ),
        pytest.param("centre_staff", "company", "company", "approve", {}, id="bangkok-on-korean-company"),
    ],
)
@pytest.mark.django_db
def test_centre_staff_deciding_beyond_their_countries_get_404(
    client, request, queue, staff, kind, organisation, decision, data
):
    user = request.getfixturevalue(staff)

    response = decide_as(client, user, kind, queue[organisation], decision, data)

    assert response.status_code == 404
    assert_approval(queue[organisation], ApprovalStatus.PENDING)


@pytest.mark.django_db
def test_an_unknown_organisation_is_404(client, admin, db):
    client.force_login(admin)

    assert client.post("/accounts/reviews/company/999999/approve/").status_code == 404
    assert client.post("/accounts/reviews/buyer/99999999999999999999999/approve/").status_code == 404


# ---------------------------------------------------------------- what the member sees
@pytest.mark.django_db
def test_a_rejected_member_sees_the_reason_on_my_organisation(client, admin, queue):
    client.force_login(admin)
    client.post(decide("company", queue["company"], "reject"), {"reason": REASON})
    member = queue["company"].members.get(username="jiwoo")
    client.force_login(member)

    response = client.get("/accounts/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Rejected" in content
    assert REASON in content
    assert "Pending review" not in content


@pytest.mark.django_db
def test_an_approved_member_sees_approved_on_my_organisation(client, centre_staff, queue):
    client.force_login(centre_staff)
    client.post(decide("buyer", queue["thai"], "approve"))
    client.force_login(queue["thai"].members.get())

    response = client.get("/accounts/")

    content = response.content.decode()
    assert "Approved" in content
    assert "Pending review" not in content
    assert "Reason:" not in content


@pytest.mark.django_db
def test_a_rejected_organisation_approved_later_loses_its_old_reason(client, admin, queue):
    client.force_login(admin)
    client.post(decide("buyer", queue["turkish"], "reject"), {"reason": REASON})

    client.post(decide("buyer", queue["turkish"], "approve"))

    queue["turkish"].refresh_from_db()
    assert (queue["turkish"].approval_status, queue["turkish"].rejection_reason) == (
        ApprovalStatus.APPROVED,
        "",
    )
