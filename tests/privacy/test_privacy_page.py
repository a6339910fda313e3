"""The privacy page (/accounts/privacy/): a member's consents with versions and dates, to give or withdraw;
withdrawing the transfer abroad hides the member's organisation from the other side, never their meetings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.companies.selectors import company_directory
from matching.consultations.booking import catalogue
from matching.consultations.booking.models import Meeting
from matching.demands.selectors import demand_directory
from portal.privacy import selectors, services
from portal.privacy.models import REQUIRED_KINDS, Consent, ConsentRecord
from tests import factories
from tests.races import race

PAGE = "/accounts/privacy/"
PROCESSING_REFUSED = (
    "The processing of your data is what your account needs: to withdraw this consent, ask for your account "
    "to be closed."
)


def signed_up(user, *kinds, law="pipa"):
    services.consents_give(user=user, law=law, kinds=kinds or REQUIRED_KINDS, source="signup")
    return user


def withdraw(client, kind):
    return client.post(PAGE, {"kind": kind, "decision": "withdraw"}, follow=True)


def give(client, kind):
    return client.post(PAGE, {"kind": kind, "decision": "give"}, follow=True)


def history(user, kind):
    return list(
        ConsentRecord.objects.filter(consent__user=user, consent__kind=kind)
        .order_by("pk")
        .values_list("granted", "source")
    )


# ---------------------------------------------------------------- the page
@pytest.mark.django_db
def test_the_page_lists_each_consent_with_its_state_version_and_date(client, sme_owner):
    signed_up(sme_owner)
    client.force_login(sme_owner)

    response = client.get(PAGE)

    html = response.content.decode()
    rows = {row.kind: (row.granted, row.consent is not None) for row in response.context["rows"]}
    assert rows == {"processing": (True, True), "transfer": (True, True), "marketing": (False, False)}
    assert response.context["law"] == "pipa"
    assert html.count("under notice version 1: PIPA (Korea).") == 2
    assert html.count("Withdraw this consent") == 1  # transfer; processing is closing the account
    assert html.count("Give this consent") == 1  # marketing
    assert "Your account needs this consent: to withdraw it, ask for your account to be closed." in html


@pytest.mark.django_db
def test_a_member_who_never_answered_may_give_every_consent(client, buyer):
    client.force_login(buyer)

    html = client.get(PAGE).content.decode()

    assert html.count("Not given") == 3
    assert html.count("Give this consent") == 3
    assert "PDPA (Thailand)" in html


@pytest.mark.django_db
def test_the_account_menu_and_the_settings_page_link_to_it(client, sme_owner):
    client.force_login(sme_owner)

    for url in ("/accounts/", "/accounts/settings/"):
        assert f'href="{PAGE}"' in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_the_page_asks_the_same_queries_with_one_change_or_many(client, sme_owner):
    signed_up(sme_owner)
    client.force_login(sme_owner)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as one:
        client.get(PAGE)
    for _ in range(4):
        services.consent_change(user=sme_owner, kind="transfer", granted=False)
        services.consent_change(user=sme_owner, kind="transfer", granted=True)
        services.consent_change(user=sme_owner, kind="marketing", granted=True)
        services.consent_change(user=sme_owner, kind="marketing", granted=False)

    with CaptureQueriesContext(connection) as many:
        response = client.get(PAGE)

    assert len(response.context["rows"][1].records) == 9
    assert len(many) == len(one)


# ---------------------------------------------------------------- changes
@pytest.mark.django_db
def test_withdrawing_the_transfer_consent_is_recorded_with_its_notice_and_time(client, sme_owner):
    signed_up(sme_owner)
    client.force_login(sme_owner)
    before = timezone.now()

    response = withdraw(client, "transfer")

    assert response.redirect_chain == [(PAGE, 302)]
    assert (
        "Your consent to sending your data abroad is withdrawn: the other side no longer sees your "
        "organisation unless a colleague still consents. Your meetings are kept."
    ) in response.content.decode()
    consent = Consent.objects.get(user=sme_owner, kind="transfer")
    assert consent.granted is False
    record = consent.records.order_by("pk").last()
    assert (record.granted, record.law, record.source, record.notice.version) == (False, "pipa", "page", "1")
    assert record.recorded_at >= before
    assert record.notice.text.startswith("Sending your personal data abroad\n\n")
    assert history(sme_owner, "transfer") == [(True, "signup"), (False, "page")]


@pytest.mark.django_db
def test_giving_marketing_then_withdrawing_it_is_audited_in_order(client, sme_owner):
    signed_up(sme_owner)
    client.force_login(sme_owner)

    give(client, "marketing")
    assert list(selectors.marketing_recipients()) == [sme_owner]
    withdraw(client, "marketing")

    assert history(sme_owner, "marketing") == [(True, "page"), (False, "page")]
    assert list(selectors.marketing_recipients()) == []


@pytest.mark.django_db
def test_processing_cannot_be_withdrawn_on_the_page_and_nothing_is_recorded(client, sme_owner):
    signed_up(sme_owner)
    client.force_login(sme_owner)

    response = withdraw(client, "processing")

    assert PROCESSING_REFUSED in response.content.decode()
    assert history(sme_owner, "processing") == [(True, "signup")]


@pytest.mark.django_db
def test_an_unknown_consent_is_refused_with_400_and_changes_nothing(client, sme_owner):
    client.force_login(sme_owner)

    response = client.post(PAGE, {"kind": "newsletter", "decision": "give"})

    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()


@pytest.mark.django_db
def test_a_double_submit_of_the_page_records_one_change(client, sme_owner):
    signed_up(sme_owner)
    client.force_login(sme_owner)

    withdraw(client, "transfer")
    second = withdraw(client, "transfer")

    assert "Nothing changed: Transfer abroad was already as you asked." in second.content.decode()
    assert history(sme_owner, "transfer") == [(True, "signup"), (False, "page")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_record_one_change_each_way(sme_owner):
    signed_up(sme_owner)

    withdrawn = race(*[lambda: services.consent_change(user=sme_owner, kind="transfer", granted=False)] * 6)
    given = race(*[lambda: services.consent_change(user=sme_owner, kind="marketing", granted=True)] * 6)

    assert connection.vendor == "postgresql"
    assert sorted(withdrawn) == [False] * 5 + [True]
    assert sorted(given) == [False] * 5 + [True]
    assert history(sme_owner, "transfer") == [(True, "signup"), (False, "page")]
    assert history(sme_owner, "marketing") == [(True, "page")]


# ---------------------------------------------------------------- the other side
@pytest.mark.django_db
def test_a_company_whose_member_withdrew_the_transfer_leaves_the_directory(client, sme_owner, stranger):
    signed_up(sme_owner)
    client.force_login(sme_owner)

    withdraw(client, "transfer")

    assert list(company_directory(params={}).qs) == [stranger.company]
    client.force_login(factories.BuyerMemberFactory())
    html = client.get("/companies/").content.decode()
    assert "Busan Water Tech" in html
    assert "Seoul Traffic Systems" not in html


@pytest.mark.django_db
def test_a_company_stays_shown_while_an_active_colleague_still_consents(sme_owner):
    colleague = signed_up(factories.SmeMemberFactory(company=sme_owner.company))
    signed_up(sme_owner)
    services.consent_change(user=sme_owner, kind="transfer", granted=False)
    assert list(company_directory(params={}).qs) == [sme_owner.company]

    colleague.is_active = False
    colleague.save(update_fields=["is_active"])

    assert list(company_directory(params={}).qs) == []


@pytest.mark.django_db
def test_members_who_never_answered_and_companies_without_members_stay_shown(sme_owner):
    unmanned = factories.CompanyFactory(name_en="Added by staff")

    assert set(company_directory(params={}).qs) == {sme_owner.company, unmanned}


@pytest.mark.django_db
def test_a_buyer_who_withdrew_the_transfer_has_its_listings_hidden_and_given_again_shown(buyer):
    listing = factories.DemandFactory(buyer=buyer.buyer_organisation, published=True)
    signed_up(buyer, law="pdpa")

    services.consent_change(user=buyer, kind="transfer", granted=False)
    assert list(demand_directory(params={}).qs) == []
    services.consent_change(user=buyer, kind="transfer", granted=True)

    assert list(demand_directory(params={}).qs) == [listing]


@pytest.mark.django_db
def test_the_event_catalogue_hides_the_other_side_who_withdrew_and_their_meeting_is_kept(sme_owner, buyer):
    meeting = factories.MeetingFactory(sme__company=sme_owner.company, buyer__buyer=buyer.buyer_organisation)
    own, theirs = meeting.sme, meeting.buyer
    signed_up(buyer, law="pdpa")
    assert [card.registration for card in catalogue.catalogue(own, sme_owner)[1]] == [theirs]

    services.consent_change(user=buyer, kind="transfer", granted=False)

    assert catalogue.catalogue(own, sme_owner)[1] == []
    assert [card.registration for card in catalogue.catalogue(theirs, buyer)[1]] == [own]
    assert Meeting.objects.get() == meeting
    assert (meeting.sme_id, meeting.buyer_id) == (own.pk, theirs.pk)


@pytest.mark.django_db
def test_the_withheld_organisations_are_one_subquery_and_no_extra_query(sme_owner, stranger):
    signed_up(sme_owner)
    services.consent_change(user=sme_owner, kind="transfer", granted=False)

    with CaptureQueriesContext(connection) as queries:
        companies = list(company_directory(params={}).qs)

    assert companies == [stranger.company]
    assert len(queries) == 4  # the companies, then their export countries, certifications, solutions
