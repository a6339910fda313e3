"""Centre staff register buyers only from the countries their centre covers (the countries whose buyers
they review); admins register anyone. The form offers only those buyers, and a forged POST of another is
refused on the form: no row, no server error.
"""

import pytest

from matching.consultations.events.forms import RegistrationForm
from matching.consultations.events.models import Registration
from tests import factories
from tests.consultations.test_registrations import options, registration_form, url

pytestmark = pytest.mark.django_db

OUTSIDE_BANGKOK = (
    "Staff of KOTRA Bangkok register buyers from Thailand only: choose an approved buyer from the list "
    "that is not registered yet."
)


@pytest.fixture
def bangkok_event(bangkok_centre):
    return factories.EventFactory(
        name="Bangkok Smart City Roadshow", city=bangkok_centre.city, organising_centre=bangkok_centre
    )


@pytest.fixture
def thai_buyer(buyer):
    return buyer.buyer_organisation  # Khon Kaen City Municipality


@pytest.fixture
def turkish_buyer(istanbul_centre):
    return factories.BuyerOrganisationFactory(
        name="Istanbul Metropolitan Municipality", city=istanbul_centre.city
    )


def test_bangkok_staff_are_offered_only_the_buyers_of_the_countries_their_centre_covers(
    client, centre_staff, bangkok_event, thai_buyer, turkish_buyer
):
    client.force_login(centre_staff)

    response = client.get(url("registration_create", bangkok_event))

    assert options(response, "buyer") == ["---------", "Khon Kaen City Municipality"]


def test_a_forged_post_of_a_turkish_buyer_gets_a_form_error_and_no_registration(
    client, centre_staff, bangkok_event, thai_buyer, turkish_buyer
):
    client.force_login(centre_staff)

    response = client.post(
        url("registration_create", bangkok_event), registration_form(buyer=turkish_buyer.pk)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"buyer": [OUTSIDE_BANGKOK]}
    assert OUTSIDE_BANGKOK in response.content.decode()
    assert Registration.objects.exists() is False


def test_bangkok_staff_still_register_a_thai_buyer(
    client, centre_staff, bangkok_event, thai_buyer, turkish_buyer
):
    client.force_login(centre_staff)

    response = client.post(url("registration_create", bangkok_event), registration_form(buyer=thai_buyer.pk))

    assert response.status_code == 302
    assert list(Registration.objects.values_list("event", "buyer")) == [(bangkok_event.pk, thai_buyer.pk)]


def test_a_centre_that_covers_two_countries_offers_the_buyers_of_both(
    client, centre_staff, bangkok_centre, bangkok_event, thai_buyer, turkish_buyer
):
    laos = factories.CountryFactory(iso_code="LA", name_en="Laos", name_ko="라오스")
    vientiane = factories.CityFactory(country=laos, name_en="Vientiane", time_zone="Asia/Vientiane")
    factories.BuyerOrganisationFactory(name="Vientiane Capital", city=vientiane)
    bangkok_centre.countries.add(laos)
    client.force_login(centre_staff)

    response = client.get(url("registration_create", bangkok_event))
    refused = client.post(
        url("registration_create", bangkok_event), registration_form(buyer=turkish_buyer.pk)
    )

    assert options(response, "buyer") == ["---------", "Khon Kaen City Municipality", "Vientiane Capital"]
    assert refused.context["form"].errors == {
        "buyer": [
            "Staff of KOTRA Bangkok register buyers from Laos, Thailand only: choose an approved buyer "
            "from the list that is not registered yet."
        ]
    }


def test_an_admin_registers_a_buyer_from_any_country(client, admin, bangkok_event, thai_buyer, turkish_buyer):
    client.force_login(admin)

    page = client.get(url("registration_create", bangkok_event))
    response = client.post(
        url("registration_create", bangkok_event), registration_form(buyer=turkish_buyer.pk)
    )

    assert options(page, "buyer") == [
        "---------",
        "Istanbul Metropolitan Municipality",
        "Khon Kaen City Municipality",
    ]
    assert response.status_code == 302
    assert list(Registration.objects.values_list("buyer", flat=True)) == [turkish_buyer.pk]


def test_the_form_refuses_a_buyer_outside_the_centre_without_any_view(
    centre_staff, bangkok_event, turkish_buyer
):
    form = RegistrationForm(
        registration_form(buyer=turkish_buyer.pk), event=bangkok_event, registered_by=centre_staff
    )

    assert form.is_valid() is False
    assert form.errors == {"buyer": [OUTSIDE_BANGKOK]}
