"""Sign-up (/accounts/signup/): an SME or a buyer registers its organisation and its first member.

Good input creates a pending organisation and logs the member in; bad input re-renders
the page with what the user typed and a precise message, never a server error.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from matching.companies.models import Company
from matching.companies.validators import format_brn
from matching.demands.models import BuyerOrganisation
from matching.kernel.models import ApprovalStatus, Role
from tests import factories

SIGNUP = "/accounts/signup/"
PASSWORD = "Khon-Kaen-floods-2024"
BRN = factories.valid_brn(424_242)  # ten digits, valid check digit
REQUIRED = "This field is required."
INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."
User = get_user_model()
# The two consents an account needs, ticked (the law: that of the notices the page showed).
CONSENTS = {"consent-processing": "on", "consent-transfer": "on"}


def sme_data(**changes):
    data = {
        "account-kind": "sme",
        "account-first_name": "Ji-woo",
        "account-last_name": "Park",
        "account-email": "jiwoo.park@hanbit.example",
        "account-username": "jiwoo",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
        "company-name_ko": "한빛신호제어",
        "company-name_en": "Hanbit Signal Control",
        "company-business_registration_number": format_brn(BRN),
        "company-website": "hanbit.example",
        **CONSENTS,
        "consent-law": "pipa",
    }
    return data | changes


def buyer_data(city, **changes):
    data = {
        "account-kind": "buyer",
        "account-first_name": "Somchai",
        "account-last_name": "Wongsakul",
        "account-email": "somchai@udon.example",
        "account-username": "somchai",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
        "buyer-name": "Udon Thani City Municipality",
        "buyer-name_local": "เทศบาลนครอุดรธานี",
        "buyer-kind": BuyerOrganisation.Kind.CITY_GOVERNMENT,
        "buyer-city": city.pk,
        "buyer-website": "",
        **CONSENTS,
        "consent-law": "pdpa",
    }
    return data | changes


@pytest.fixture
def udon_thani(bangkok_centre):
    return factories.CityFactory(
        country=bangkok_centre.city.country,
        name_en="Udon Thani",
        name_ko="우돈타니",
        time_zone="Asia/Bangkok",
    )


@pytest.fixture
def seoul(db):
    korea = factories.CountryFactory(iso_code="KR", name_en="Republic of Korea", name_ko="대한민국")
    return factories.CityFactory(country=korea, name_en="Seoul", name_ko="서울", time_zone="Asia/Seoul")


def logged_in_user(client):
    return User.objects.get(pk=client.session["_auth_user_id"])


def nothing_created():
    return (
        not User.objects.exists() and not Company.objects.exists() and not BuyerOrganisation.objects.exists()
    )


# ---------------------------------------------------------------- success
@pytest.mark.django_db
def test_sme_signup_creates_a_pending_company_with_the_brn_as_ten_digits(client):
    response = client.post(SIGNUP, sme_data())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    company = Company.objects.get()
    assert company.name_en == "Hanbit Signal Control"
    assert company.name_ko == "한빛신호제어"
    assert company.business_registration_number == BRN
    assert company.website == "https://hanbit.example"
    assert company.approval_status == ApprovalStatus.PENDING
    assert "hanbit signal control" in company.search_text


@pytest.mark.django_db
def test_sme_signup_creates_the_first_member_and_logs_them_in(client):
    client.post(SIGNUP, sme_data())

    user = User.objects.get()
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "jiwoo",
        "jiwoo.park@hanbit.example",
        "Ji-woo",
        "Park",
    )
    assert user.role == Role.SME_MEMBER
    assert user.company == Company.objects.get()
    assert user.buyer_organisation is None
    assert user.check_password(PASSWORD)
    assert logged_in_user(client) == user


@pytest.mark.django_db
def test_sme_signup_lands_on_my_organisation_showing_pending_review(client):
    response = client.post(SIGNUP, sme_data(), follow=True)

    assert response.redirect_chain == [("/accounts/", 302)]
    assert response.context["organisation"] == Company.objects.get()
    content = response.content.decode()
    assert "Pending review" in content
    assert "Welcome! Your organisation is registered and waits for review." in content
    assert "Hanbit Signal Control" in content


@pytest.mark.django_db
def test_sme_signup_accepts_the_brn_without_dashes(client):
    client.post(SIGNUP, sme_data(**{"company-business_registration_number": f" {BRN} "}))

    assert Company.objects.get().business_registration_number == BRN


@pytest.mark.django_db
def test_buyer_signup_creates_a_pending_buyer_in_the_chosen_city(client, udon_thani):
    response = client.post(SIGNUP, buyer_data(udon_thani))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    buyer = BuyerOrganisation.objects.get()
    assert buyer.name == "Udon Thani City Municipality"
    assert buyer.name_local == "เทศบาลนครอุดรธานี"
    assert buyer.kind == BuyerOrganisation.Kind.CITY_GOVERNMENT
    assert buyer.city == udon_thani
    assert buyer.approval_status == ApprovalStatus.PENDING
    assert not Company.objects.exists()
    user = logged_in_user(client)
    assert user.username == "somchai"
    assert user.role == Role.BUYER_MEMBER
    assert user.buyer_organisation == buyer
    assert user.company is None


@pytest.mark.django_db
def test_buyer_signup_ignores_the_company_fields(client, udon_thani):
    data = buyer_data(
        udon_thani, **{"company-name_en": "x" * 10_000, "company-business_registration_number": "1"}
    )

    response = client.post(SIGNUP, data)

    assert response.status_code == 302
    assert BuyerOrganisation.objects.count() == 1
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_a_logged_in_user_visiting_signup_is_sent_to_my_organisation(client, sme_owner):
    client.force_login(sme_owner)

    response = client.get(SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"


@pytest.mark.django_db
def test_a_logged_in_user_posting_signup_creates_nothing(client, sme_owner):
    client.force_login(sme_owner)

    response = client.post(SIGNUP, sme_data())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    assert Company.objects.count() == 1  # sme_owner's own


@pytest.mark.django_db
def test_the_signup_page_offers_both_kinds_of_organisation(client):
    response = client.get(SIGNUP)

    assert response.status_code == 200
    assert response.context["account_form"]["kind"].value() == "sme"
    content = response.content.decode()
    assert 'name="company-business_registration_number"' in content
    assert 'name="buyer-city"' in content


# ---------------------------------------------------------------- bad input
@pytest.mark.django_db
def test_a_brn_with_a_wrong_check_digit_is_refused_with_the_number_and_the_reason(client):
    wrong = BRN[:9] + str((int(BRN[9]) + 1) % 10)

    response = client.post(SIGNUP, sme_data(**{"company-business_registration_number": wrong}))

    assert response.status_code == 200
    message = (
        f"“{format_brn(wrong)}” is not a valid business registration number: "
        "its check digit does not match. Please check the number on your certificate."
    )
    assert response.context["company_form"].errors == {"business_registration_number": [message]}
    assert message in response.content.decode()
    assert nothing_created()


@pytest.mark.django_db
def test_a_brn_that_is_not_ten_digits_is_refused_with_the_format(client):
    response = client.post(SIGNUP, sme_data(**{"company-business_registration_number": "123-45-678"}))

    assert response.context["company_form"].errors == {
        "business_registration_number": [
            "A business registration number has 10 digits, written as 123-45-67891."
        ]
    }
    assert nothing_created()


@pytest.mark.django_db
def test_a_brn_already_registered_is_refused_even_typed_with_dashes(client):
    factories.CompanyFactory(business_registration_number=BRN)

    response = client.post(SIGNUP, sme_data(**{"company-business_registration_number": format_brn(BRN)}))

    assert response.status_code == 200
    assert response.context["company_form"].errors == {
        "business_registration_number": [
            "Korean company with this Business registration number already exists."
        ]
    }
    assert Company.objects.count() == 1
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_brn_typed_in_full_width_digits_is_caught_as_the_same_number(client):
    factories.CompanyFactory(business_registration_number=BRN)
    full_width = BRN.translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    client.post(SIGNUP, sme_data(**{"company-business_registration_number": full_width}))

    assert list(Company.objects.values_list("business_registration_number", flat=True)) == [BRN]


@pytest.mark.django_db
def test_mismatched_passwords_are_refused_and_nothing_is_created(client):
    response = client.post(SIGNUP, sme_data(**{"account-password2": PASSWORD + "!"}))

    assert response.status_code == 200
    assert response.context["account_form"].errors == {"password2": ["The two password fields didn’t match."]}
    assert response.context["company_form"].errors == {}
    assert nothing_created()


@pytest.mark.django_db
def test_a_taken_username_is_refused(client):
    factories.SmeMemberFactory(username="jiwoo")

    response = client.post(SIGNUP, sme_data())

    assert response.context["account_form"].errors == {
        "username": ["A user with that username already exists."]
    }
    assert Company.objects.count() == 1


@pytest.mark.django_db
def test_name_and_email_are_required_of_the_person_signing_up(client):
    data = sme_data(**{"account-first_name": "", "account-last_name": "", "account-email": ""})

    response = client.post(SIGNUP, data)

    assert response.context["account_form"].errors == {
        "first_name": [REQUIRED],
        "last_name": [REQUIRED],
        "email": [REQUIRED],
    }
    assert nothing_created()


@pytest.mark.django_db
def test_an_sme_without_a_company_name_gets_that_error_on_the_company_form_only(client):
    data = sme_data(**{"company-name_ko": "", "company-name_en": ""})

    response = client.post(SIGNUP, data)

    assert response.status_code == 200
    assert response.context["company_form"].errors == {"name_ko": [REQUIRED], "name_en": [REQUIRED]}
    assert response.context["account_form"].errors == {}
    assert nothing_created()


@pytest.mark.django_db
def test_an_sme_signup_with_errors_shows_no_errors_on_the_buyer_fields_it_left_empty(client):
    response = client.post(SIGNUP, sme_data(**{"company-name_en": ""}))

    content = response.content.decode()
    assert 'id="error_1_id_company-name_en"' in content
    assert 'id="error_1_id_buyer-name"' not in content
    assert 'id="error_1_id_buyer-city"' not in content


@pytest.mark.django_db
def test_a_buyer_without_organisation_fields_gets_errors_on_the_buyer_form(client, udon_thani):
    data = buyer_data(udon_thani, **{"buyer-name": "", "buyer-kind": "", "buyer-city": ""})

    response = client.post(SIGNUP, data)

    assert response.status_code == 200
    assert response.context["buyer_form"].errors == {
        "name": [REQUIRED],
        "kind": [REQUIRED],
        "city": ["Choose a country, then its city."],
    }
    assert nothing_created()


@pytest.mark.django_db
def test_a_korean_city_is_not_offered_to_buyers(client, udon_thani, seoul):
    response = client.get(SIGNUP)

    offered = list(response.context["buyer_form"].fields["city"].queryset)
    assert udon_thani in offered
    assert seoul not in offered
    content = response.content.decode()
    assert f'<option value="{udon_thani.pk}">' in content
    assert f'<option value="{seoul.pk}">' not in content


@pytest.mark.django_db
def test_a_buyer_posting_a_korean_city_is_refused(client, udon_thani, seoul):
    response = client.post(SIGNUP, buyer_data(seoul))

    assert response.status_code == 200
    assert response.context["buyer_form"].errors == {
        "city": ["Republic of Korea is not one of the countries offered here: choose one from the list."]
    }
    assert nothing_created()


@pytest.mark.django_db
def test_a_second_buyer_of_the_same_name_in_the_same_city_is_refused(client, udon_thani):
    factories.BuyerOrganisationFactory(name="Udon Thani City Municipality", city=udon_thani)

    response = client.post(SIGNUP, buyer_data(udon_thani))

    assert response.status_code == 200
    assert response.context["buyer_form"].errors == {
        "__all__": ["Buyer organisation with this City and Name (English) already exists."]
    }
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_ten_thousand_character_company_name_gets_the_length_error(client):
    response = client.post(SIGNUP, sme_data(**{"company-name_en": "K" * 10_000}))

    assert response.status_code == 200
    assert response.context["company_form"].errors == {
        "name_en": ["Ensure this value has at most 200 characters (it has 10000)."]
    }
    assert nothing_created()


@pytest.mark.django_db
def test_ten_thousand_character_brn_and_username_get_clean_errors(client):
    data = sme_data(
        **{"company-business_registration_number": "1" * 10_000, "account-username": "u" * 10_000}
    )

    response = client.post(SIGNUP, data)

    assert response.status_code == 200
    assert response.context["company_form"].errors == {
        "business_registration_number": [
            "A business registration number has 10 digits, written as 123-45-67891.",
            "Ensure this value has at most 10 characters (it has 10000).",
        ]
    }
    assert response.context["account_form"].errors["username"] == [
        "Ensure this value has at most 150 characters (it has 10000)."
    ]
    assert nothing_created()


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ("company_form", "name_en"),
        ("company_form", "business_registration_number"),
        ("account_form", "username"),
        ("account_form", "first_name"),
    ],
)
@pytest.mark.django_db
def test_a_nul_byte_in_a_field_gets_a_clean_error_not_a_server_error(client, form, field):
    prefix = "company" if form == "company_form" else "account"
    data = sme_data(**{f"{prefix}-{field}": "Hanbit\x00Signal"})

    response = client.post(SIGNUP, data)

    assert response.status_code == 200
    assert response.context[form].errors[field] == ["Null characters are not allowed."]
    assert nothing_created()


@pytest.mark.django_db
def test_a_nul_byte_in_the_email_or_the_buyer_name_gets_a_clean_error(client, udon_thani):
    data = buyer_data(udon_thani, **{"buyer-name": "Udon\x00", "account-email": "somchai\x00@udon.example"})

    response = client.post(SIGNUP, data)

    assert response.status_code == 200
    assert response.context["buyer_form"].errors["name"] == ["Null characters are not allowed."]
    assert "Null characters are not allowed." in response.context["account_form"].errors["email"]
    assert nothing_created()


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_with_a_choice_error(client, udon_thani):
    response = client.post(SIGNUP, buyer_data(udon_thani, **{"account-kind": "government"}))

    assert response.status_code == 200
    assert response.context["account_form"].errors == {
        "kind": ["Select a valid choice. government is not one of the available choices."]
    }
    assert nothing_created()


@pytest.mark.django_db
def test_a_refused_signup_keeps_everything_the_user_typed_except_passwords(client):
    wrong = BRN[:9] + str((int(BRN[9]) + 1) % 10)

    response = client.post(SIGNUP, sme_data(**{"company-business_registration_number": wrong}))

    content = response.content.decode()
    for name, value in [
        ("account-first_name", "Ji-woo"),
        ("account-last_name", "Park"),
        ("account-email", "jiwoo.park@hanbit.example"),
        ("account-username", "jiwoo"),
        ("company-name_ko", "한빛신호제어"),
        ("company-name_en", "Hanbit Signal Control"),
        ("company-business_registration_number", wrong),
    ]:
        assert f'name="{name}" value="{value}"' in content, name
    assert PASSWORD not in content
    assert re.search(r'<input[^>]*name="account-kind" value="sme"[^>]*checked>', content)
    assert not re.search(r'<input[^>]*name="account-kind" value="buyer"[^>]*checked>', content)


@pytest.mark.django_db
def test_a_refused_buyer_signup_keeps_the_buyer_kind_and_city_chosen(client, udon_thani):
    response = client.post(SIGNUP, buyer_data(udon_thani, **{"account-password2": "other"}))

    content = response.content.decode()
    assert re.search(r'<input[^>]*name="account-kind" value="buyer"[^>]*checked>', content)
    assert f'<option value="{udon_thani.pk}" selected>' in content
    assert 'name="buyer-name" value="Udon Thani City Municipality"' in content
