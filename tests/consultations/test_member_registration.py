"""Members register their own company or buyer organisation for an upcoming roadshow."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.consultations.events.models import Registration
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.consultations.test_agendas import slot_at
from tests.consultations.test_registrations import (  # noqa: F401 (fixtures and helpers)
    checked,
    languages,
    messages_of,
    options,
    registration_form,
    table_rows,
    url,
)


# ================================================================ members register themselves
@pytest.fixture
def upcoming(bangkok_centre, istanbul_centre, languages):
    """Events relative to today: one in Bangkok next month, one in Istanbul in two months, one in
    Bangkok last month, one in Bangkok ending today."""
    today = timezone.localdate()

    def event(name, centre, starts, days=2):
        return factories.EventFactory(
            name=name,
            city=centre.city,
            organising_centre=centre,
            start_date=today + dt.timedelta(days=starts),
            end_date=today + dt.timedelta(days=starts + days - 1),
        )

    bangkok = event("Bangkok Smart City Day", bangkok_centre, 30)
    return SimpleNamespace(
        bangkok=bangkok,
        istanbul=event("Istanbul Smart City Day", istanbul_centre, 60),
        past=event("Bangkok Last Month", bangkok_centre, -30),
        today=event("Bangkok Ending Today", bangkok_centre, -1),
        slots=[slot_at(bangkok, 9, 30), slot_at(bangkok, 10)],
        languages=languages,
    )


def event_names(response):
    return re.findall(r'<h2 class="h5 mb-1"><a href="[^"]*">([^<]*)</a></h2>', response.content.decode())


def test_an_sme_member_sees_every_upcoming_event_soonest_first(client, sme_owner, upcoming):
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:join_list"))

    assert response.status_code == 200
    assert event_names(response) == [
        "Bangkok Ending Today",
        "Bangkok Smart City Day",
        "Istanbul Smart City Day",
    ]


def test_a_buyer_member_sees_the_upcoming_events_in_its_country_only(client, buyer, upcoming):
    client.force_login(buyer)

    response = client.get(reverse("consultations:join_list"))

    assert event_names(response) == ["Bangkok Ending Today", "Bangkok Smart City Day"]


def test_a_buyer_cannot_open_the_registration_of_an_event_in_another_country(client, buyer, upcoming):
    client.force_login(buyer)

    assert client.get(reverse("consultations:join", args=[upcoming.istanbul.pk])).status_code == 404


def test_a_past_event_cannot_be_joined(client, sme_owner, upcoming):
    client.force_login(sme_owner)

    response = client.post(reverse("consultations:join", args=[upcoming.past.pk]), {"max_meetings": 5})

    assert response.status_code == 404
    assert Registration.objects.count() == 0


def test_an_sme_member_registers_its_own_company_pending_whatever_it_posts(
    client, sme_owner, stranger, buyer, upcoming
):
    client.force_login(sme_owner)
    data = {
        "company": stranger.company.pk,
        "buyer": buyer.buyer_organisation.pk,
        "status": "confirmed",
        "languages": [upcoming.languages.ko.pk, upcoming.languages.en.pk],
        "needs_interpreter": "on",
        "max_meetings": 8,
        "unavailable_slots": [upcoming.slots[1].pk],
    }

    response = client.post(reverse("consultations:join", args=[upcoming.bangkok.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:join_list")
    registration = Registration.objects.get()
    assert (registration.event, registration.company, registration.buyer, registration.status) == (
        upcoming.bangkok,
        sme_owner.company,
        None,
        Registration.Status.PENDING,
    )
    assert (registration.needs_interpreter, registration.max_meetings) == (True, 8)
    assert list(registration.languages.all()) == [upcoming.languages.en, upcoming.languages.ko]
    assert list(registration.unavailable_slots.all()) == [upcoming.slots[1]]
    assert messages_of(response) == ["Your registration is sent; the KOTRA centre will confirm it."]


def test_a_buyer_member_registers_its_own_organisation_pending(client, buyer, sme_owner, upcoming):
    client.force_login(buyer)

    response = client.post(
        reverse("consultations:join", args=[upcoming.bangkok.pk]),
        {"company": sme_owner.company.pk, "max_meetings": 10},
    )

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.company, registration.buyer, registration.status) == (
        None,
        buyer.buyer_organisation,
        Registration.Status.PENDING,
    )


def test_a_pending_registration_shows_on_the_list_and_can_be_edited(client, sme_owner, upcoming):
    registration = factories.SmeRegistrationFactory(
        event=upcoming.bangkok,
        company=sme_owner.company,
        status=Registration.Status.PENDING,
        max_meetings=12,
        languages=[upcoming.languages.ko],
    )
    client.force_login(sme_owner)
    join = reverse("consultations:join", args=[upcoming.bangkok.pk])

    listed = client.get(reverse("consultations:join_list")).content.decode()
    form = client.get(join)
    response = client.post(join, {"max_meetings": 5, "languages": [upcoming.languages.th.pk]})

    assert f'<a class="btn btn-outline-primary btn-sm ms-2" href="{join}">Edit my registration</a>' in listed
    assert checked(form, "languages") == [str(upcoming.languages.ko.pk)]
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.max_meetings) == (Registration.Status.PENDING, 5)
    assert list(registration.languages.all()) == [upcoming.languages.th]
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "label"),
    [(Registration.Status.CONFIRMED, "Confirmed"), (Registration.Status.WITHDRAWN, "Withdrawn")],
)
def test_a_decided_registration_sends_the_member_back_with_its_state(
    client, sme_owner, upcoming, status, label
):
    registration = factories.SmeRegistrationFactory(
        event=upcoming.bangkok, company=sme_owner.company, status=status, max_meetings=12
    )
    client.force_login(sme_owner)

    response = client.post(reverse("consultations:join", args=[upcoming.bangkok.pk]), {"max_meetings": 3})

    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:join_list")
    assert messages_of(response) == [f"Your registration's state: {label}."]
    registration.refresh_from_db()
    assert (registration.status, registration.max_meetings) == (status, 12)


def test_the_member_form_offers_neither_an_organisation_nor_a_status(client, sme_owner, upcoming):
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:join", args=[upcoming.bangkok.pk]))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "languages",
        "needs_interpreter",
        "max_meetings",
        "unavailable_slots",
    ]


def assert_member_pages_forbidden(client, event):
    """The list of roadshows open to join and the event's join page both answer 403."""
    assert client.get(reverse("consultations:join_list")).status_code == 403
    assert client.get(reverse("consultations:join", args=[event.pk])).status_code == 403


def assert_joining_forbidden(client, event):
    """Posting the join form answers 403 and registers no one."""
    response = client.post(reverse("consultations:join", args=[event.pk]), {"max_meetings": 5})
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_a_member_of_a_company_awaiting_approval_gets_403(client, upcoming):
    member = factories.SmeMemberFactory(
        company=factories.CompanyFactory(
            name_en="Daegu Pending Robotics", approval_status=ApprovalStatus.PENDING
        )
    )
    client.force_login(member)

    assert_member_pages_forbidden(client, upcoming.bangkok)
    assert_joining_forbidden(client, upcoming.bangkok)


def test_a_member_of_a_buyer_awaiting_approval_gets_403(client, upcoming, bangkok_centre):
    member = factories.BuyerMemberFactory(
        buyer_organisation=factories.BuyerOrganisationFactory(
            city=bangkok_centre.city, approval_status=ApprovalStatus.PENDING
        )
    )
    client.force_login(member)

    assert_member_pages_forbidden(client, upcoming.bangkok)


@pytest.mark.parametrize("role", ["centre_staff", "admin"])
def test_staff_get_403_on_the_member_pages(client, upcoming, role, request):
    client.force_login(request.getfixturevalue(role))

    assert_member_pages_forbidden(client, upcoming.bangkok)
    assert_joining_forbidden(client, upcoming.bangkok)


def test_members_get_404_on_the_staff_registration_pages(client, sme_owner, upcoming):
    registration = factories.SmeRegistrationFactory(
        event=upcoming.bangkok, company=sme_owner.company, status=Registration.Status.PENDING
    )
    client.force_login(sme_owner)

    assert client.get(url("registrations", upcoming.bangkok)).status_code == 404
    response = client.post(url("registration_decide", upcoming.bangkok, registration.pk, "confirm"))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


@pytest.mark.parametrize("limit", [0, 41])
def test_a_member_form_with_a_limit_out_of_range_says_so_on_the_limit(client, sme_owner, upcoming, limit):
    client.force_login(sme_owner)

    response = client.post(
        reverse("consultations:join", args=[upcoming.bangkok.pk]),
        {"max_meetings": limit, "languages": [upcoming.languages.ko.pk]},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["max_meetings"]
    assert not Registration.objects.exists()
