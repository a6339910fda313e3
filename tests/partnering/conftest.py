"""The world of the partner-request tests: a Korean company (sme_owner's) and a Thai buyer, both
approved, each with a member who has an e-mail address."""

import pytest

from matching.companies.models import Company
from tests import factories


@pytest.fixture
def company(sme_owner):
    Company.objects.filter(pk=sme_owner.company_id).update(
        contact_name="Kim Min-jun",
        contact_email="sales@seoul-traffic.example",
        contact_phone="+82 2 555 0100",
    )
    korea = factories.CountryFactory(iso_code="KR", name_en="Korea", name_ko="한국")
    seoul = factories.CityFactory(country=korea, name_en="Seoul", name_ko="서울", time_zone="Asia/Seoul")
    Company.objects.filter(pk=sme_owner.company_id).update(headquarters=seoul)
    return Company.objects.get(pk=sme_owner.company_id)


@pytest.fixture
def organisation(buyer):
    organisation = buyer.buyer_organisation
    organisation.contact_name = "Somchai Wong"
    organisation.contact_email = "smartcity@khonkaen.example"
    organisation.save()
    return organisation


@pytest.fixture
def colleague(company):
    """A second member of the company: both members hear of a request."""
    return factories.SmeMemberFactory(username="sme_colleague", company=company)


@pytest.fixture
def race_pair(db):
    """A company with two members and a buyer with one, for the races (tests/races.py)."""
    company = factories.CompanyFactory(name_en="Race Sensors")
    buyer = factories.BuyerOrganisationFactory(name="Race City")
    members = [factories.SmeMemberFactory(company=company) for _ in range(2)]
    asker = factories.BuyerMemberFactory(buyer_organisation=buyer)
    return company, buyer, members, asker
