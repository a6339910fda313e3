"""The Korean business registration number: its checksum, its normal form, and how forms report it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import translation

from matching.companies.models import Company
from matching.companies.validators import brn_check_digit, format_brn, is_valid_brn, validate_brn
from tests import factories

FORMAT_MESSAGE = "A business registration number has 10 digits, written as 123-45-67891."


def checksum_message(formatted):
    return (
        f"“{formatted}” is not a valid business registration number: its check digit does not match. "
        "Please check the number on your certificate."
    )


@pytest.mark.parametrize(
    "number",
    ["220-81-62517", "2208162517", "220 81 62517", " 220-81-62517 ", "124-81-00998", "1248100998"],
)
def test_validator_accepts_a_valid_number_with_or_without_dashes_and_spaces(number):
    assert validate_brn(number) is None
    assert is_valid_brn(number) is True


def test_check_digit_is_the_national_tax_service_one():
    assert brn_check_digit("220816251") == 7
    assert brn_check_digit("124810099") == 8


def test_the_examples_people_are_shown_pass_the_check_themselves():
    help_text = str(Company._meta.get_field("business_registration_number").help_text)

    examples = re.findall(r"[0-9]{3}-[0-9]{2}-[0-9]{5}", help_text + FORMAT_MESSAGE)

    assert examples == ["123-45-67891", "123-45-67891"]
    assert all(is_valid_brn(example) for example in examples)


def test_number_is_formatted_with_dashes_for_display():
    assert format_brn("2208162517") == "220-81-62517"
    assert format_brn(" 220 81 62517") == "220-81-62517"


@pytest.mark.parametrize(
    ("number", "formatted"),
    [("220-81-62518", "220-81-62518"), ("2208162510", "220-81-62510"), ("124 81 00999", "124-81-00999")],
)
def test_validator_rejects_a_wrong_check_digit_and_names_the_number(number, formatted):
    with pytest.raises(ValidationError) as raised:
        validate_brn(number)

    assert raised.value.code == "brn_checksum"
    assert raised.value.messages == [checksum_message(formatted)]
    assert is_valid_brn(number) is False


@pytest.mark.parametrize(
    "number",
    [
        "220-81-6251",
        "220816251",
        "220-81-625170",
        "22081625170",
        "220-81-6251A",
        "ABC-DE-FGHIJ",
        "",
        "220_81_62517",
    ],
    ids=[
        "9-digits-dashed",
        "9-digits",
        "11-digits-dashed",
        "11-digits",
        "letter",
        "letters",
        "empty",
        "underscores",
    ],
)
def test_validator_rejects_anything_but_ten_digits_with_the_format_message(number):
    with pytest.raises(ValidationError) as raised:
        validate_brn(number)

    assert raised.value.code == "brn_format"
    assert raised.value.messages == [FORMAT_MESSAGE]
    assert is_valid_brn(number) is False


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (
            "220-81-62518",
            "“220-81-62518”은(는) 유효한 사업자등록번호가 아닙니다. "
            "검증 번호가 맞지 않으니 사업자등록증의 번호를 확인해 주세요.",
        ),
        ("220-81-6251", "사업자등록번호는 10자리 숫자입니다(예: 123-45-67891)."),
    ],
)
def test_validator_messages_are_in_korean_for_korean_users(number, message):
    with pytest.raises(ValidationError) as raised, translation.override("ko"):
        validate_brn(number)
    # The message is lazy: it is translated when read, so read it in Korean.
    with translation.override("ko"):
        assert raised.value.messages == [message]


@pytest.mark.django_db
def test_company_factory_numbers_pass_the_validator():
    numbers = [factories.CompanyFactory().business_registration_number for _ in range(12)]

    assert all(is_valid_brn(number) for number in numbers)
    assert len(set(numbers)) == 12
    assert all(len(number) == 10 and number.isdigit() for number in numbers)


@pytest.mark.django_db
def test_full_clean_stores_the_normalised_ten_digits():
    company = Company(
        name_ko="스마트교통", name_en="Smart Traffic", business_registration_number="220-81-62517"
    )

    company.full_clean()
    company.save()

    company.refresh_from_db()
    assert company.business_registration_number == "2208162517"
    assert company.formatted_brn == "220-81-62517"


@pytest.mark.django_db
def test_full_clean_rejects_a_wrong_check_digit_on_the_field():
    company = Company(
        name_ko="스마트교통", name_en="Smart Traffic", business_registration_number="220-81-62518"
    )

    with pytest.raises(ValidationError) as raised:
        company.full_clean()

    assert raised.value.message_dict == {"business_registration_number": [checksum_message("220-81-62518")]}


CompanyForm = modelform_factory(
    Company, fields=["name_ko", "name_en", "business_registration_number", "size", "approval_status"]
)


def company_form_data(number):
    return {
        "name_ko": "스마트교통",
        "name_en": "Smart Traffic",
        "business_registration_number": number,
        "size": "small",
        "approval_status": "pending",
    }


@pytest.mark.django_db
def test_model_form_accepts_the_dashed_number_and_saves_the_digits():
    form = CompanyForm(data=company_form_data("124-81-00998"))

    assert form.is_valid(), form.errors
    company = form.save()

    assert Company.objects.get(pk=company.pk).business_registration_number == "1248100998"


@pytest.mark.django_db
def test_model_form_reports_a_wrong_check_digit_on_the_number_field():
    form = CompanyForm(data=company_form_data("124-81-00999"))

    assert form.is_valid() is False
    assert form.errors == {"business_registration_number": [checksum_message("124-81-00999")]}


@pytest.mark.django_db
def test_model_form_sees_a_differently_written_duplicate_number():
    factories.CompanyFactory(business_registration_number="2208162517")

    form = CompanyForm(data=company_form_data("220 81 62517"))

    assert form.is_valid() is False
    assert form.errors == {
        "business_registration_number": [
            "Korean company with this Business registration number already exists."
        ]
    }


def admin_company_data(number):
    return {
        **company_form_data(number),
        "website": "",
        "founded_year": "",
        "headquarters": "",
        "description_ko": "",
        "description_en": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "rejection_reason": "",
        # The SolutionInline's empty formset.
        "solutions-TOTAL_FORMS": "0",
        "solutions-INITIAL_FORMS": "0",
        "solutions-MIN_NUM_FORMS": "0",
        "solutions-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.django_db
def test_admin_add_form_re_renders_with_the_checksum_error_and_keeps_the_input(admin_client):
    response = admin_client.post(reverse("admin:companies_company_add"), admin_company_data("220-81-62518"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"business_registration_number": [checksum_message("220-81-62518")]}
    assert form["business_registration_number"].value() == "220-81-62518"
    html = response.content.decode()
    assert checksum_message("220-81-62518") in html
    assert 'value="220-81-62518"' in html
    assert 'value="Smart Traffic"' in html
    assert Company.objects.count() == 0


@pytest.mark.django_db
def test_admin_add_form_saves_a_valid_dashed_number_as_digits(admin_client):
    response = admin_client.post(reverse("admin:companies_company_add"), admin_company_data("220-81-62517"))

    assert response.status_code == 302
    assert response.url == reverse("admin:companies_company_changelist")
    assert list(Company.objects.values_list("name_en", "business_registration_number")) == [
        ("Smart Traffic", "2208162517")
    ]
