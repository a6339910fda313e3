"""Consents at sign-up and on accepting an invitation: three boxes, none ticked, each beside the notice
of the law of the organisation's country; the two required ones refused precisely when missing; each
given one recorded with the notice's version, the time and the exact text shown."""

import hashlib
import re

import pytest
from django.utils import translation

from matching.companies.models import Company
from matching.demands.models import BuyerOrganisation
from portal.accounts.models import User
from portal.privacy.models import Consent, ConsentRecord, NoticeText
from portal.privacy.notices import notice
from tests import factories
from tests.accounts.test_invitations import accept_data, accept_url
from tests.accounts.test_signup import SIGNUP, buyer_data, sme_data

MISSING_PROCESSING = "The portal cannot open an account without your consent to processing."
MISSING_TRANSFER = (
    "Matchmaking sends your details to the other side abroad: the portal cannot open an account without "
    "this consent."
)
NOTICE_CHANGED = (
    "The privacy notice for your organisation&#x27;s country is shown now: read it and tick the consents "
    "again."
)


def without(data, *names):
    return {key: value for key, value in data.items() if key not in names}


def checkboxes(html):
    """{name: whether ticked} of the consent boxes on a page."""
    boxes = re.findall(r'<input type="checkbox" name="(consent-\w+)"([^>]*)>', html)
    return {name: " checked" in attributes for name, attributes in boxes}


@pytest.fixture
def istanbul_district(istanbul_centre):
    return factories.CityFactory(country=istanbul_centre.city.country, name_en="Kadıköy", name_ko="카디쾨이")


@pytest.fixture
def hanoi(db):
    vietnam = factories.CountryFactory(iso_code="VN", name_en="Viet Nam", name_ko="베트남")
    return factories.CityFactory(country=vietnam, name_en="Hanoi", name_ko="하노이", time_zone="Asia/Bangkok")


@pytest.fixture
def udon_thani(bangkok_centre):
    return factories.CityFactory(
        country=bangkok_centre.city.country, name_en="Udon Thani", name_ko="우돈타니"
    )


# ---------------------------------------------------------------- the page
@pytest.mark.django_db
def test_the_signup_page_asks_for_three_consents_none_ticked(client):
    html = client.get(SIGNUP).content.decode()

    assert checkboxes(html) == {
        "consent-processing": False,
        "consent-transfer": False,
        "consent-marketing": False,
    }
    assert 'name="consent-law" value="pipa"' in html


@pytest.mark.django_db
def test_a_korean_company_reads_the_pipa_notices_and_the_others_are_hidden_for_the_script(client):
    html = client.get(SIGNUP).content.decode()

    assert html.count('data-law="pipa" tabindex="0" role="region"') == 3
    for law in ("pdpa", "kvkk", "general"):
        assert html.count(f'data-law="{law}" tabindex="0" role="region" aria-label') == 3
    assert html.count('role="region" aria-label="Processing of your personal data" hidden>') == 3
    assert "Korea&#x27;s Personal Information Protection Act (PIPA)" in html


# ---------------------------------------------------------------- recorded
@pytest.mark.django_db
def test_a_korean_companys_consents_are_recorded_under_pipa_with_version_time_and_text(client):
    client.post(SIGNUP, sme_data())

    user = User.objects.get()
    records = ConsentRecord.objects.filter(consent__user=user).select_related("consent", "notice")
    assert sorted((r.consent.kind, r.granted, r.law, r.source) for r in records) == [
        ("processing", True, "pipa", "signup"),
        ("transfer", True, "pipa", "signup"),
    ]
    with translation.override("en"):
        expected = {kind: notice("pipa", kind).text for kind in ("processing", "transfer")}
    for record in records:
        assert record.notice.text == expected[record.consent.kind]
        assert record.notice.sha256 == hashlib.sha256(expected[record.consent.kind].encode()).hexdigest()
        assert (record.notice.version, record.notice.language) == ("1", "en")
        assert record.recorded_at == record.consent.changed_at
    assert not Consent.objects.filter(kind="marketing").exists()


@pytest.mark.django_db
def test_marketing_is_recorded_only_when_ticked(client):
    client.post(SIGNUP, sme_data(**{"consent-marketing": "on"}))

    assert Consent.objects.get(kind="marketing").granted is True


@pytest.mark.django_db
def test_a_thai_buyer_consents_under_pdpa(client, udon_thani):
    client.post(SIGNUP, buyer_data(udon_thani))

    user = User.objects.get()
    assert sorted(user.privacy_consents.values_list("kind", "law")) == [
        ("processing", "pdpa"),
        ("transfer", "pdpa"),
    ]


@pytest.mark.django_db
def test_a_turkish_buyer_consents_under_kvkk(client, istanbul_district):
    client.post(SIGNUP, buyer_data(istanbul_district, **{"consent-law": "kvkk"}))

    assert set(User.objects.get().privacy_consents.values_list("law", flat=True)) == {"kvkk"}


@pytest.mark.django_db
def test_a_buyer_of_another_country_consents_under_the_general_notice(client, hanoi):
    client.post(SIGNUP, buyer_data(hanoi, **{"consent-law": "general"}))

    assert set(User.objects.get().privacy_consents.values_list("law", flat=True)) == {"general"}


@pytest.mark.django_db
def test_a_korean_page_records_the_notice_read_in_korean(client):
    client.post(SIGNUP, sme_data(), HTTP_ACCEPT_LANGUAGE="ko")

    with translation.override("ko"):
        expected = notice("pipa", "processing").text
    shown = NoticeText.objects.get(kind="processing")
    assert (shown.language, shown.text) == ("ko", expected)


@pytest.mark.django_db
def test_two_members_who_read_the_same_notice_share_its_stored_text(client, sme_owner):
    client.post(SIGNUP, sme_data())
    invitation = factories.InvitationFactory(invited_by=User.objects.get(username="jiwoo"))
    client.logout()
    client.post(accept_url(invitation), accept_data())

    assert ConsentRecord.objects.count() == 4
    assert NoticeText.objects.count() == 2


# ---------------------------------------------------------------- refused
@pytest.mark.django_db
def test_signing_up_without_the_processing_consent_is_refused_precisely_and_keeps_what_was_typed(client):
    response = client.post(SIGNUP, without(sme_data(**{"consent-marketing": "on"}), "consent-processing"))

    assert response.status_code == 200
    assert response.context["consent_form"].errors == {"processing": [MISSING_PROCESSING]}
    html = response.content.decode()
    assert checkboxes(html) == {
        "consent-processing": False,
        "consent-transfer": True,
        "consent-marketing": True,
    }
    assert 'value="Hanbit Signal Control"' in html
    assert 'value="jiwoo.park@hanbit.example"' in html
    assert not User.objects.exists() and not Company.objects.exists() and not Consent.objects.exists()


@pytest.mark.django_db
def test_signing_up_without_the_transfer_consent_is_refused_precisely(client, udon_thani):
    response = client.post(SIGNUP, without(buyer_data(udon_thani), "consent-transfer"))

    assert response.context["consent_form"].errors == {"transfer": [MISSING_TRANSFER]}
    assert 'value="Udon Thani City Municipality"' in response.content.decode()
    assert not BuyerOrganisation.objects.exists() and not ConsentRecord.objects.exists()


@pytest.mark.django_db
def test_a_buyer_whose_page_showed_another_countrys_notices_ticks_again_under_its_own(client, udon_thani):
    response = client.post(SIGNUP, buyer_data(udon_thani, **{"consent-law": "pipa"}))

    html = response.content.decode()
    assert response.context["consent_form"].errors == {"__all__": [NOTICE_CHANGED.replace("&#x27;", "'")]}
    assert NOTICE_CHANGED in html
    assert checkboxes(html) == {
        "consent-processing": False,
        "consent-transfer": False,
        "consent-marketing": False,
    }
    assert 'name="consent-law" value="pdpa"' in html
    assert not User.objects.exists()


# ---------------------------------------------------------------- invitations
@pytest.mark.django_db
def test_the_invitation_page_shows_the_notices_of_the_organisations_country_none_ticked(client, buyer):
    invitation = factories.InvitationFactory(invited_by=buyer)

    html = client.get(accept_url(invitation)).content.decode()

    assert checkboxes(html) == {
        "consent-processing": False,
        "consent-transfer": False,
        "consent-marketing": False,
    }
    assert html.count('data-law="pdpa" tabindex="0"') == 3
    assert 'data-law="pipa"' not in html


@pytest.mark.django_db
def test_an_invited_colleague_consents_under_the_law_of_the_organisations_country(client, buyer):
    invitation = factories.InvitationFactory(invited_by=buyer)

    client.post(accept_url(invitation), accept_data(**{"consent-law": "pdpa", "consent-marketing": "on"}))

    colleague = User.objects.get(username="seoyeon")
    assert sorted(
        ConsentRecord.objects.filter(consent__user=colleague).values_list("consent__kind", "law", "source")
    ) == [
        ("marketing", "pdpa", "invitation"),
        ("processing", "pdpa", "invitation"),
        ("transfer", "pdpa", "invitation"),
    ]


@pytest.mark.django_db
def test_accepting_without_a_required_consent_is_refused_and_the_invitation_stays_usable(client, sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner)

    response = client.post(accept_url(invitation), without(accept_data(), "consent-processing"))

    assert response.context["consent_form"].errors == {"processing": [MISSING_PROCESSING]}
    assert 'value="seoyeon"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_by is None
    assert not User.objects.filter(username="seoyeon").exists()


# ---------------------------------------------------------------- without script
@pytest.mark.django_db
def test_without_script_showing_a_countrys_cities_keeps_the_ticks_under_the_same_notices(client, udon_thani):
    data = buyer_data(udon_thani, **{"buyer-city_show": "1", "buyer-city_country": "TH"})

    html = client.post(SIGNUP, data).content.decode()

    assert checkboxes(html) == {
        "consent-processing": True,
        "consent-transfer": True,
        "consent-marketing": False,
    }
    assert 'name="consent-law" value="pdpa"' in html
    assert not User.objects.exists()


@pytest.mark.django_db
def test_without_script_ticks_given_under_another_countrys_notices_are_dropped(client, udon_thani):
    data = buyer_data(
        udon_thani, **{"buyer-city_show": "1", "buyer-city_country": "TH", "consent-law": "pipa"}
    )

    html = client.post(SIGNUP, data).content.decode()

    assert checkboxes(html) == {
        "consent-processing": False,
        "consent-transfer": False,
        "consent-marketing": False,
    }
    assert 'name="consent-law" value="pdpa"' in html
