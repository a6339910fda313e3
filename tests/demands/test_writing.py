"""Writing demand listings: drafts, publishing and closing by buyers and trade-centre staff.

A buyer writes for its own organisation in its own country; centre staff for buyers in
their centre's countries. A listing is public only while open; only an approved buyer's
listing can be published.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.demands.models import Demand
from matching.kernel.models import ApprovalStatus
from tests import factories

INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."
REQUIRED = "This field is required."
REQUIRED_IN_ENGLISH = "Required: write this in English."
TITLE = "Flood early warning for the night market"


def listing_data(city, category, **changes):
    """The form as the browser posts it; `title` and `problem` change the English texts."""
    for text in ("title", "problem"):
        if text in changes:
            changes[f"{text}_en"] = changes.pop(text)
    data = {
        "title_en": TITLE,
        "city": city.pk,
        "problem_en": "Flash floods reach the market stalls before anyone is warned.",
        "categories": [category.pk],
        "required_certifications": [],
        "budget_band": "50k-250k",
        "timeline": Demand.Timeline.WITHIN_A_YEAR,
        "procurement_type": Demand.ProcurementType.PILOT,
        "deadline": "2031-03-31",
    }
    return data | changes


def titles(response):
    assert response.status_code == 200
    return [demand.title for demand in response.context["page_obj"]]


@pytest.fixture
def flood(db):
    return factories.CategoryFactory(slug="flood-prevention", name_en="Flood prevention", name_ko="홍수 방재")


@pytest.fixture
def khon_kaen(buyer):
    return buyer.buyer_organisation.city


@pytest.fixture
def bangkok(bangkok_centre):
    return bangkok_centre.city


@pytest.fixture
def istanbul(istanbul_centre):
    return istanbul_centre.city


@pytest.fixture
def turkish_buyer(istanbul):
    return factories.BuyerOrganisationFactory(name="Istanbul Metropolitan Municipality", city=istanbul)


@pytest.fixture
def as_buyer(client, buyer):
    client.force_login(buyer)
    return client


@pytest.fixture
def draft(buyer, flood):
    return factories.DemandFactory(
        buyer=buyer.buyer_organisation, title=TITLE, categories=[flood], created_by=buyer
    )


# ---------------------------------------------------------------- a buyer's draft
@pytest.mark.django_db
def test_a_buyer_creates_a_draft_for_its_own_organisation(as_buyer, buyer, khon_kaen, flood):
    response = as_buyer.post("/demands/new/", listing_data(khon_kaen, flood))

    demand = Demand.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/demands/{demand.pk}/"
    assert demand.buyer == buyer.buyer_organisation
    assert demand.created_by == buyer
    assert demand.status == Demand.Status.DRAFT
    assert demand.published_at is None
    assert demand.city == khon_kaen
    assert list(demand.categories.all()) == [flood]
    assert demand.deadline == dt.date(2031, 3, 31)
    assert "flood early warning" in demand.search_text


@pytest.mark.django_db
def test_a_buyer_cannot_write_for_another_organisation(as_buyer, buyer, khon_kaen, flood, bangkok):
    other = factories.BuyerOrganisationFactory(name="Bangkok Metropolitan Administration", city=bangkok)

    as_buyer.post("/demands/new/", listing_data(khon_kaen, flood, buyer=other.pk))

    assert Demand.objects.get().buyer == buyer.buyer_organisation
    assert not other.demands.exists()


@pytest.mark.django_db
def test_the_new_listing_form_offers_no_buyer_field_and_starts_on_the_buyers_city(as_buyer, khon_kaen):
    response = as_buyer.get("/demands/new/")

    assert response.status_code == 200
    form = response.context["form"]
    assert "buyer" not in form.fields
    assert form["city"].value() == khon_kaen.pk


@pytest.mark.django_db
def test_a_draft_is_not_in_the_public_list_nor_visible_to_others(
    client, as_buyer, khon_kaen, flood, stranger
):
    as_buyer.post("/demands/new/", listing_data(khon_kaen, flood))
    demand = Demand.objects.get()
    assert as_buyer.get(f"/demands/{demand.pk}/").status_code == 200
    as_buyer.logout()

    assert titles(client.get("/demands/")) == []
    assert titles(client.get("/demands/", {"q": "flood"})) == []
    assert client.get(f"/demands/{demand.pk}/").status_code == 404
    client.force_login(stranger)
    assert client.get(f"/demands/{demand.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_buyer_edits_its_draft(as_buyer, draft, khon_kaen, flood):
    response = as_buyer.post(
        f"/demands/{draft.pk}/edit/", listing_data(khon_kaen, flood, title="Flood sirens")
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Flood sirens"
    assert draft.status == Demand.Status.DRAFT
    assert "flood sirens" in draft.search_text


# ---------------------------------------------------------------- publish and close
@pytest.mark.django_db
def test_publishing_opens_the_listing_and_it_is_found_in_the_public_list(client, as_buyer, khon_kaen, flood):
    as_buyer.post("/demands/new/", listing_data(khon_kaen, flood))
    demand = Demand.objects.get()

    response = as_buyer.post(f"/demands/{demand.pk}/publish/", follow=True)

    assert response.redirect_chain == [(f"/demands/{demand.pk}/", 302)]
    assert "The listing is open: companies can find it now." in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN
    assert demand.published_at is not None
    client.logout()
    assert titles(client.get("/demands/")) == [TITLE]
    assert titles(client.get("/demands/", {"q": "night market"})) == [TITLE]
    assert titles(client.get("/demands/", {"q": "khon kaen"})) == [TITLE]
    assert client.get(f"/demands/{demand.pk}/").status_code == 200


@pytest.mark.django_db
def test_closing_takes_the_listing_out_of_public_view_but_keeps_it_for_the_buyer(client, buyer, draft):
    client.force_login(buyer)
    client.post(f"/demands/{draft.pk}/publish/")
    draft.refresh_from_db()
    published_at = draft.published_at

    response = client.post(f"/demands/{draft.pk}/close/", follow=True)

    assert "The listing is closed and no longer public." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Demand.Status.CLOSED
    assert draft.published_at == published_at
    detail = client.get(f"/demands/{draft.pk}/")
    assert detail.status_code == 200
    assert "This listing is not public: Closed." in detail.content.decode()
    client.logout()
    assert titles(client.get("/demands/")) == []
    assert client.get(f"/demands/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_republishing_a_closed_listing_keeps_its_first_publication_date(as_buyer, draft):
    as_buyer.post(f"/demands/{draft.pk}/publish/")
    draft.refresh_from_db()
    first = draft.published_at
    as_buyer.post(f"/demands/{draft.pk}/close/")

    as_buyer.post(f"/demands/{draft.pk}/publish/")

    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Demand.Status.OPEN, first)


@pytest.mark.django_db
def test_a_pending_buyer_cannot_publish_and_the_listing_stays_a_draft(client, khon_kaen, flood):
    pending = factories.BuyerOrganisationFactory(
        name="Udon Thani City Municipality", city=khon_kaen, approval_status=ApprovalStatus.PENDING
    )
    member = factories.BuyerMemberFactory(buyer_organisation=pending)
    client.force_login(member)
    client.post("/demands/new/", listing_data(khon_kaen, flood))
    demand = Demand.objects.get()

    response = client.post(f"/demands/{demand.pk}/publish/", follow=True)

    assert response.redirect_chain == [(f"/demands/{demand.pk}/", 302)]
    assert (
        "The buyer is not approved yet; the listing stays a draft until it is." in response.content.decode()
    )
    demand.refresh_from_db()
    assert (demand.status, demand.published_at) == (Demand.Status.DRAFT, None)
    client.logout()
    assert titles(client.get("/demands/")) == []


@pytest.mark.django_db
def test_closing_a_draft_leaves_it_a_draft_with_a_message(as_buyer, draft):
    response = as_buyer.post(f"/demands/{draft.pk}/close/", follow=True)

    assert response.redirect_chain == [(f"/demands/{draft.pk}/", 302)]
    assert "Only an open listing can be closed." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Demand.Status.DRAFT, None)


@pytest.mark.django_db
def test_publish_and_close_must_be_posted(as_buyer, draft):
    assert as_buyer.get(f"/demands/{draft.pk}/publish/").status_code == 405
    assert as_buyer.get(f"/demands/{draft.pk}/close/").status_code == 405
    draft.refresh_from_db()
    assert draft.status == Demand.Status.DRAFT


@pytest.mark.django_db
def test_others_cannot_publish_or_close_a_buyers_listing(client, draft, stranger, other_centre_staff):
    for user in [stranger, other_centre_staff]:
        client.force_login(user)
        assert client.post(f"/demands/{draft.pk}/publish/").status_code == 404
    client.logout()
    response = client.post(f"/demands/{draft.pk}/publish/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    draft.refresh_from_db()
    assert draft.status == Demand.Status.DRAFT


# ---------------------------------------------------------------- bad input
@pytest.mark.django_db
def test_a_buyer_is_offered_only_cities_of_its_own_country(as_buyer, khon_kaen, bangkok, istanbul):
    offered = set(as_buyer.get("/demands/new/").context["form"].fields["city"].queryset)

    assert offered == {khon_kaen, bangkok}


@pytest.mark.django_db
def test_a_buyer_posting_a_city_in_another_country_gets_a_form_error(as_buyer, istanbul, flood):
    response = as_buyer.post("/demands/new/", listing_data(istanbul, flood))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "city": ["Istanbul is in Türkiye, not in Thailand: choose a city of Thailand."]
    }
    content = response.content.decode()
    assert "Please correct the fields marked below; nothing you typed is lost." in content
    assert f'value="{TITLE}"' in content
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_a_listing_without_title_problem_or_category_is_refused(as_buyer, khon_kaen, flood):
    data = listing_data(khon_kaen, flood, title="", problem="", categories=[])

    response = as_buyer.post("/demands/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title_en": [REQUIRED_IN_ENGLISH],
        "problem_en": [REQUIRED_IN_ENGLISH],
        "categories": [REQUIRED],
    }
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_an_overlong_title_a_nul_byte_and_a_bad_date_get_clean_errors(as_buyer, khon_kaen, flood):
    data = listing_data(khon_kaen, flood, title="T" * 10_000, problem="Floods\x00", deadline="2031-02-30")

    response = as_buyer.post("/demands/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title_en": ["Ensure this value has at most 200 characters (it has 10000)."],
        "problem_en": ["Null characters are not allowed."],
        "deadline": ["Enter a valid date."],
    }
    assert not Demand.objects.exists()


# ---------------------------------------------------------------- centre staff
@pytest.mark.django_db
def test_bangkok_staff_create_a_listing_for_a_thai_buyer(client, centre_staff, buyer, khon_kaen, flood):
    client.force_login(centre_staff)

    response = client.post("/demands/new/", listing_data(khon_kaen, flood, buyer=buyer.buyer_organisation.pk))

    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.buyer == buyer.buyer_organisation
    assert demand.created_by == centre_staff
    assert demand.status == Demand.Status.DRAFT


@pytest.mark.django_db
def test_bangkok_staff_are_offered_only_thai_buyers_and_cities(
    client, centre_staff, buyer, turkish_buyer, bangkok
):
    client.force_login(centre_staff)

    form = client.get("/demands/new/").context["form"]

    assert list(form.fields["buyer"].queryset) == [buyer.buyer_organisation]
    assert set(form.fields["city"].queryset) == {bangkok, buyer.buyer_organisation.city}


@pytest.mark.django_db
def test_bangkok_staff_cannot_pick_a_turkish_buyer(
    client, centre_staff, turkish_buyer, istanbul, khon_kaen, flood
):
    client.force_login(centre_staff)

    response = client.post("/demands/new/", listing_data(istanbul, flood, buyer=turkish_buyer.pk))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "buyer": [INVALID_CHOICE],
        "city": ["Istanbul is in Türkiye, not in Thailand: choose a city of Thailand."],
    }
    response = client.post("/demands/new/", listing_data(khon_kaen, flood, buyer=turkish_buyer.pk))
    assert response.context["form"].errors == {"buyer": [INVALID_CHOICE]}
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_an_admin_choosing_a_city_outside_the_buyers_country_gets_the_reason(
    client, admin, buyer, istanbul, flood
):
    client.force_login(admin)

    response = client.post("/demands/new/", listing_data(istanbul, flood, buyer=buyer.buyer_organisation.pk))

    assert response.status_code == 200
    assert response.context["form"].errors == {"city": ["Choose a city in the buyer's country."]}
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_bangkok_staff_edit_and_publish_a_thai_listing(client, centre_staff, draft, khon_kaen, flood):
    client.force_login(centre_staff)

    response = client.post(
        f"/demands/{draft.pk}/edit/",
        listing_data(khon_kaen, flood, buyer=draft.buyer_id, title="Flood sirens for the market"),
    )
    client.post(f"/demands/{draft.pk}/publish/")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Flood sirens for the market", Demand.Status.OPEN)
    assert draft.created_by.username == "buyer"


@pytest.mark.django_db
def test_istanbul_staff_get_404_on_a_thai_listing(client, other_centre_staff, draft, khon_kaen, flood):
    client.force_login(other_centre_staff)

    assert client.get(f"/demands/{draft.pk}/edit/").status_code == 404
    response = client.post(f"/demands/{draft.pk}/edit/", listing_data(khon_kaen, flood, title="Hijacked"))
    assert response.status_code == 404
    assert client.post(f"/demands/{draft.pk}/close/").status_code == 404
    draft.refresh_from_db()
    assert (draft.title, draft.status) == (TITLE, Demand.Status.DRAFT)


@pytest.mark.django_db
def test_another_buyer_gets_404_on_a_buyers_listing(client, draft, istanbul):
    other = factories.BuyerMemberFactory(
        buyer_organisation=factories.BuyerOrganisationFactory(name="Istanbul Municipality", city=istanbul)
    )
    client.force_login(other)

    assert client.get(f"/demands/{draft.pk}/edit/").status_code == 404
    assert client.get(f"/demands/{draft.pk}/").status_code == 404


# ---------------------------------------------------------------- SME members and anonymous visitors
@pytest.mark.django_db
def test_an_sme_member_is_forbidden_to_write_listings(client, sme_owner, khon_kaen, flood):
    client.force_login(sme_owner)

    assert client.get("/demands/new/").status_code == 403
    assert client.post("/demands/new/", listing_data(khon_kaen, flood)).status_code == 403
    assert client.get("/demands/mine/").status_code == 403
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_an_sme_member_gets_404_editing_a_listing(client, sme_owner, draft):
    client.force_login(sme_owner)

    assert client.get(f"/demands/{draft.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_from_the_writing_pages(client, draft):
    for url in ["/demands/new/", "/demands/mine/", f"/demands/{draft.pk}/edit/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}"


# ---------------------------------------------------------------- my listings
@pytest.mark.django_db
def test_my_listings_shows_exactly_the_listings_the_buyer_may_edit(client, buyer, bangkok, istanbul, flood):
    own = buyer.buyer_organisation
    open_one = factories.DemandFactory(buyer=own, title="Open one", published=True, categories=[flood])
    closed_one = factories.DemandFactory(
        buyer=own, title="Closed one", status=Demand.Status.CLOSED, published_at=open_one.published_at
    )
    draft_one = factories.DemandFactory(buyer=own, title="Draft one")
    neighbour = factories.BuyerOrganisationFactory(name="Bangkok Metropolitan Administration", city=bangkok)
    factories.DemandFactory(buyer=neighbour, title="Neighbour's", published=True)
    factories.DemandFactory(buyer__city=istanbul, title="Turkish")
    client.force_login(buyer)

    response = client.get("/demands/mine/")

    assert response.status_code == 200
    assert set(response.context["page_obj"]) == {open_one, closed_one, draft_one}
    content = response.content.decode()
    assert "Neighbour&#x27;s" not in content
    assert "Turkish" not in content


@pytest.mark.django_db
def test_centre_staff_see_the_listings_of_their_centres_countries(
    client, centre_staff, other_centre_staff, buyer, bangkok, istanbul
):
    thai = factories.DemandFactory(buyer=buyer.buyer_organisation, title="Khon Kaen")
    bangkok_listing = factories.DemandFactory(buyer__city=bangkok, title="Bangkok", published=True)
    turkish = factories.DemandFactory(buyer__city=istanbul, title="Istanbul")

    client.force_login(centre_staff)
    assert set(client.get("/demands/mine/").context["page_obj"]) == {thai, bangkok_listing}
    client.force_login(other_centre_staff)
    assert list(client.get("/demands/mine/").context["page_obj"]) == [turkish]


@pytest.mark.django_db
def test_my_listings_is_empty_for_a_new_buyer(as_buyer):
    response = as_buyer.get("/demands/mine/")

    assert list(response.context["page_obj"]) == []
    assert "No listing yet." in response.content.decode()


def _queries_for_my_listings(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/demands/mine/")
    assert response.status_code == 200
    return len(queries), len(response.context["page_obj"])


@pytest.mark.django_db
def test_my_listings_runs_the_same_number_of_queries_for_1_and_30_listings(client, buyer, bangkok):
    own = buyer.buyer_organisation
    factories.DemandFactory(buyer=own, published=True)
    client.force_login(buyer)
    one, shown_one = _queries_for_my_listings(client)

    for n in range(29):
        city = bangkok if n % 2 else own.city
        factories.DemandFactory(buyer=own, city=city, published=n % 3 == 0, deadline=dt.date(2031, 1, 1 + n))
    many, shown_many = _queries_for_my_listings(client)

    assert (shown_one, shown_many) == (1, 20)
    assert many == one
