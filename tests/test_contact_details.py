"""A Korean company's contact person, e-mail and phone are for its partners (members of approved buyer
organisations whose request it accepted, or that meet it at a roadshow), KOTRA centre staff, admins and
the company itself; never for visitors, other Korean companies, buyers it has not accepted yet, or buyers
whose organisation is still under review or was rejected (anyone can sign up as a buyer). Those get a
note that says why and what to do next. The rule is one selector: companies.selectors.contact_access.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from matching.companies.models import Company
from matching.companies.selectors import ContactAccess, contact_access
from matching.consultations.booking.models import Meeting
from matching.kernel.approvals import organisation_review
from matching.kernel.models import ApprovalStatus
from matching.partnering.models import PartnerRequest
from portal.accounts.models import User
from tests import factories
from tests.partnering import factories as partnering_factories

pytestmark = pytest.mark.django_db

PERSON, EMAIL, PHONE = "Kim Min-jun", "sales@seoul-traffic.example", "+82 2 555 0100"
UNDER_REVIEW = "Your organisation is under review; contact details appear once it is approved."
REJECTED = (
    "Your organisation was not approved, so contact details are not shown. The reason is on your "
    "organisation's page; the KOTRA trade centre for your country can help."
)
FOR_BUYERS = "Contact details are shown to the company's partners and KOTRA staff."
NOT_YET = (
    "Contact details appear once the company accepts a request from you, or you meet at a roadshow. "
    "Until then, write to them through the portal."
)


@pytest.fixture
def company(sme_owner):
    Company.objects.filter(pk=sme_owner.company_id).update(
        contact_name=PERSON, contact_email=EMAIL, contact_phone=PHONE
    )
    return Company.objects.get(pk=sme_owner.company_id)


def _accepted_request(company, buyer_user):
    return partnering_factories.PartnerRequestFactory(
        company=company, buyer=buyer_user.buyer_organisation, status=PartnerRequest.Status.ACCEPTED
    )


@pytest.fixture
def partner_buyer(bangkok_centre, company):
    """A buyer whose request the company accepted."""
    user = factories.BuyerMemberFactory(
        username="partner_buyer",
        buyer_organisation=factories.BuyerOrganisationFactory(name="Phuket City Municipality"),
    )
    _accepted_request(company, user)
    return user


@pytest.fixture
def roadshow_buyer(company):
    """A buyer with a meeting booked with the company at a roadshow."""
    meeting = factories.MeetingFactory(sme__company=company)
    return factories.BuyerMemberFactory(username="roadshow_buyer", buyer_organisation=meeting.buyer.buyer)


@pytest.fixture
def pending_buyer(bangkok_centre):
    """A buyer who has just signed up: the organisation waits for review."""
    organisation = factories.BuyerOrganisationFactory(
        name="Udon Thani Smart City Office", city=bangkok_centre.city, approval_status=ApprovalStatus.PENDING
    )
    return factories.BuyerMemberFactory(username="pending_buyer", buyer_organisation=organisation)


@pytest.fixture
def rejected_buyer(bangkok_centre):
    organisation = factories.BuyerOrganisationFactory(
        name="Not A Real Agency",
        city=bangkok_centre.city,
        approval_status=ApprovalStatus.REJECTED,
        rejection_reason="We could not confirm this agency exists.",
    )
    return factories.BuyerMemberFactory(username="rejected_buyer", buyer_organisation=organisation)


def _texts(response):
    html = response.content.decode()
    return {text for text in (PERSON, EMAIL, PHONE) if text in html}


def _page(client, request, role, company):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(f"/companies/{company.pk}/")
    assert response.status_code == 200
    return response


ROLES = [
    ("anonymous", ContactAccess.LOG_IN),
    ("pending_buyer", ContactAccess.UNDER_REVIEW),
    ("rejected_buyer", ContactAccess.REJECTED),
    ("stranger", ContactAccess.NOT_FOR_ROLE),
    ("buyer", ContactAccess.NOT_YET_PARTNERS),
    ("partner_buyer", ContactAccess.SHOWN),
    ("roadshow_buyer", ContactAccess.SHOWN),
    ("sme_owner", ContactAccess.SHOWN),
    ("centre_staff", ContactAccess.SHOWN),
    ("other_centre_staff", ContactAccess.SHOWN),
    ("admin", ContactAccess.SHOWN),
]


@pytest.mark.parametrize(("role", "access"), ROLES)
def test_contact_details_show_only_to_partners_staff_admins_and_the_company_itself(
    client, request, company, role, access
):
    response = _page(client, request, role, company)

    html = response.content.decode()
    shown = access == ContactAccess.SHOWN
    assert response.context["contact_access"] == access
    assert response.context["show_contacts"] is shown
    assert (PERSON in html, EMAIL in html, PHONE in html) == (shown, shown, shown)


@pytest.mark.parametrize(("role", "access"), ROLES)
def test_the_rule_is_one_selector_that_says_why_details_are_withheld(request, company, role, access):
    user = request.getfixturevalue(role) if role != "anonymous" else AnonymousUser()

    assert contact_access(user, company) == access


def test_a_buyer_whose_organisation_is_pending_is_told_the_details_come_with_the_approval(
    client, request, company
):
    html = _page(client, request, "pending_buyer", company).content.decode()

    assert UNDER_REVIEW in html
    assert '<a href="/accounts/">See its review state</a>' in html
    assert FOR_BUYERS not in html


def test_a_buyer_whose_organisation_was_rejected_is_sent_to_the_reason(client, request, company):
    html = _page(client, request, "rejected_buyer", company).content.decode()

    assert REJECTED in html
    assert '<a href="/accounts/">See the reason</a>' in html
    assert UNDER_REVIEW not in html


def test_a_visitor_is_offered_a_log_in_and_another_korean_company_is_not(client, request, company):
    visitor = _page(client, request, "anonymous", company).content.decode()
    other_company = _page(client, request, "stranger", company).content.decode()

    assert FOR_BUYERS in visitor
    assert f'href="/accounts/login/?next=/companies/{company.pk}/"' in visitor
    assert FOR_BUYERS in other_company
    assert "/accounts/login/" not in other_company


def test_the_details_appear_once_the_buyer_is_approved_and_the_company_accepts_its_request(
    client, company, pending_buyer
):
    client.force_login(pending_buyer)
    before = client.get(f"/companies/{company.pk}/").content.decode()

    organisation_review(organisation=pending_buyer.buyer_organisation, approve=True)
    approved = client.get(f"/companies/{company.pk}/").content.decode()
    _accepted_request(company, pending_buyer)
    partners = client.get(f"/companies/{company.pk}/").content.decode()

    assert (EMAIL in before, EMAIL in approved, EMAIL in partners) == (False, False, True)
    assert (UNDER_REVIEW in before, NOT_YET in approved, NOT_YET in partners) == (True, True, False)


@pytest.mark.parametrize(
    "status", [PartnerRequest.Status.PENDING, PartnerRequest.Status.DECLINED, PartnerRequest.Status.WITHDRAWN]
)
def test_a_request_that_is_not_accepted_shows_no_details(client, company, buyer, status):
    partnering_factories.PartnerRequestFactory(company=company, buyer=buyer.buyer_organisation, status=status)
    client.force_login(buyer)

    html = client.get(f"/companies/{company.pk}/").content.decode()

    assert EMAIL not in html
    assert NOT_YET in html


def test_a_cancelled_roadshow_meeting_shows_no_details(client, company, roadshow_buyer):
    Meeting.objects.update(status=Meeting.Status.CANCELLED)
    client.force_login(roadshow_buyer)

    html = client.get(f"/companies/{company.pk}/").content.decode()

    assert EMAIL not in html


def test_the_note_for_a_pending_buyer_is_in_korean_too(client, company, pending_buyer):
    User.objects.update(language="")  # nobody chose a language: the browser's (or cookie's) decides
    client.force_login(pending_buyer)

    html = client.get(f"/companies/{company.pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "소속 기관이 심사 중입니다. 승인되면 연락처가 표시됩니다." in html
    assert EMAIL not in html


def test_no_page_a_pending_buyer_opens_shows_a_companys_e_mail_or_phone(client, company, pending_buyer):
    """Every page that names Korean companies to a buyer: the profile, the directory, the listings, the
    buyer's own pages (their listings' matches need approval; events, agendas and meet pages refuse
    an organisation under review)."""
    demand = factories.DemandFactory(buyer=pending_buyer.buyer_organisation)
    client.force_login(pending_buyer)
    paths = [
        f"/companies/{company.pk}/",
        "/companies/",
        "/demands/",
        "/demands/mine/",
        f"/demands/{demand.pk}/",
        f"/demands/{demand.pk}/matches/",
        "/accounts/",
        "/",
    ]

    pages = {path: client.get(path) for path in paths}

    assert {path: response.status_code for path, response in pages.items()} == dict.fromkeys(paths, 200)
    leaks = [path for path, response in pages.items() if {EMAIL, PHONE} & _texts(response)]
    assert leaks == []
