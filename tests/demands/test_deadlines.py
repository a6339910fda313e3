"""Listings past their deadline for proposals: out of the directory and the matches, never (re)opened."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching.demands.forms import DemandForm
from matching.demands.models import Demand
from matching.demands.services import demand_save
from matching.recommendations.profiles import demand_profiles
from tests import factories
from tests.demands.test_writing import listing_data

PAST_DEADLINE = "The deadline for proposals has passed: give a date from today on, or close the listing."


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def flood_category(db):
    return factories.CategoryFactory(slug="flood-prevention", name_en="Flood prevention", name_ko="홍수 방재")


@pytest.fixture
def as_buyer(client, buyer):
    client.force_login(buyer)
    return client


@pytest.fixture
def own_listing(buyer):
    return factories.DemandFactory(buyer=buyer.buyer_organisation, title="Night market flood warning")


@pytest.mark.django_db
def test_an_open_listing_past_its_deadline_leaves_the_directory_before_the_daily_job_runs(client, today):
    factories.DemandFactory(published=True, title="Passed", deadline=today - dt.timedelta(days=1))
    factories.DemandFactory(published=True, title="Due today", deadline=today)
    factories.DemandFactory(published=True, title="Open-ended", deadline=None)

    response = client.get("/demands/")

    assert sorted(demand.title for demand in response.context["page_obj"]) == ["Due today", "Open-ended"]


@pytest.mark.django_db
def test_an_open_listing_past_its_deadline_is_not_matched(today):
    passed = factories.DemandFactory(published=True, deadline=today - dt.timedelta(days=1))
    current = factories.DemandFactory(published=True, deadline=today + dt.timedelta(days=3))
    for demand in (passed, current):
        demand.buyer.approval_status = "approved"
        demand.buyer.save()

    assert [profile.demand_id for profile in demand_profiles()] == [current.pk]


@pytest.mark.django_db
def test_a_visitor_cannot_open_a_listing_past_its_deadline(client, today):
    passed = factories.DemandFactory(published=True, deadline=today - dt.timedelta(days=1))

    assert client.get(f"/demands/{passed.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_draft_past_its_deadline_cannot_be_published(as_buyer, own_listing, today):
    own_listing.deadline = today - dt.timedelta(days=1)
    own_listing.save()

    response = as_buyer.post(f"/demands/{own_listing.pk}/publish/", follow=True)

    own_listing.refresh_from_db()
    assert own_listing.status == Demand.Status.DRAFT
    assert own_listing.published_at is None
    assert [str(message) for message in response.context["messages"]] == [PAST_DEADLINE]


@pytest.mark.django_db
def test_a_closed_listing_past_its_deadline_cannot_be_reopened(as_buyer, own_listing, today):
    own_listing.status, own_listing.published_at = Demand.Status.CLOSED, timezone.now()
    own_listing.deadline = today - dt.timedelta(days=10)
    own_listing.save()

    as_buyer.post(f"/demands/{own_listing.pk}/publish/")

    own_listing.refresh_from_db()
    assert own_listing.status == Demand.Status.CLOSED


@pytest.mark.django_db
def test_a_draft_due_today_can_be_published(as_buyer, own_listing, today):
    own_listing.deadline = today
    own_listing.save()

    as_buyer.post(f"/demands/{own_listing.pk}/publish/")

    own_listing.refresh_from_db()
    assert own_listing.status == Demand.Status.OPEN


@pytest.mark.django_db
def test_an_open_listing_cannot_be_saved_with_a_past_deadline(as_buyer, own_listing, today, flood_category):
    own_listing.status, own_listing.published_at = Demand.Status.OPEN, timezone.now()
    own_listing.deadline = today + dt.timedelta(days=5)
    own_listing.save()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    data = listing_data(own_listing.city, flood_category, title="Edited", deadline=yesterday)

    response = as_buyer.post(f"/demands/{own_listing.pk}/edit/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"deadline": [PAST_DEADLINE]}
    assert response.context["form"]["title_en"].value() == "Edited"
    own_listing.refresh_from_db()
    assert own_listing.title == "Night market flood warning"
    assert own_listing.deadline == today + dt.timedelta(days=5)


@pytest.mark.django_db
def test_a_draft_can_be_saved_with_a_past_deadline(as_buyer, own_listing, today, flood_category):
    yesterday = today - dt.timedelta(days=1)
    data = listing_data(own_listing.city, flood_category, deadline=yesterday.isoformat())

    response = as_buyer.post(f"/demands/{own_listing.pk}/edit/", data)

    assert response.status_code == 302
    own_listing.refresh_from_db()
    assert own_listing.deadline == yesterday
    assert own_listing.status == Demand.Status.DRAFT


@pytest.mark.django_db
def test_the_service_refuses_an_open_listing_published_meanwhile_with_a_past_deadline(
    buyer, own_listing, today, flood_category
):
    """The form was shown while the listing was a draft; it was published before the form came back."""
    data = listing_data(own_listing.city, flood_category, deadline=(today - dt.timedelta(days=1)).isoformat())
    form = DemandForm(data, instance=Demand.objects.get(pk=own_listing.pk), user=buyer)
    assert form.is_valid()
    Demand.objects.filter(pk=own_listing.pk).update(status=Demand.Status.OPEN, published_at=timezone.now())

    with pytest.raises(ValidationError) as refused:
        demand_save(form=form, user=buyer)

    assert refused.value.message_dict == {"deadline": [PAST_DEADLINE]}
    assert Demand.objects.get(pk=own_listing.pk).deadline is None
