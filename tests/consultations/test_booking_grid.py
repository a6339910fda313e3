"""The staff's grid of an event: tables x slots in the event's local time, one day at a time."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.consultations.booking.models import Meeting
from tests import factories
from tests.consultations.conftest import FREE, grid_columns, grid_rows, grid_url
from tests.consultations.test_agendas import INTERPRETER, slot_at


def test_the_grid_shows_each_meeting_in_its_table_column_and_slot_row_in_bangkok_time(
    client, centre_staff, roadshow, grid
):
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event))

    assert response.status_code == 200
    assert grid_columns(response) == ["Slot", "T07", "T08"]
    assert grid_rows(response) == [
        ["09:30–10:00", f"Seoul Traffic Systems Khon Kaen City Municipality {INTERPRETER} locked", FREE],
        ["10:00–10:30", FREE, "Busan Water Tech Chiang Mai Smart City Office"],
    ]
    html = response.content.decode()
    edit = reverse("consultations:meeting_edit", args=[roadshow.event.pk, grid.second.pk])
    assert html.count(f'href="{edit}"') == 1


def test_an_empty_grid_cell_links_to_the_booking_form_for_its_slot_and_table(
    client, centre_staff, roadshow, grid
):
    client.force_login(centre_staff)

    html = client.get(grid_url(roadshow.event)).content.decode()

    new = reverse("consultations:meeting_create", args=[roadshow.event.pk])
    free_links = re.findall(r'class="grid-free[^"]*" href="([^"]*)"', html)
    assert free_links == [
        f"{new}?slot={roadshow.slot_0930.pk}&amp;table={roadshow.t08.pk}",
        f"{new}?slot={roadshow.slot_1000.pk}&amp;table={roadshow.t07.pk}",
    ]


def test_a_cancelled_meeting_leaves_its_grid_cell_free(client, centre_staff, roadshow, grid):
    Meeting.objects.filter(pk=grid.second.pk).update(status=Meeting.Status.CANCELLED)
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event))

    assert grid_rows(response)[1] == ["10:00–10:30", FREE, FREE]


def test_the_grid_shows_the_day_asked_for(client, centre_staff, roadshow, grid):
    factories.MeetingFactory(
        slot=roadshow.slot_day2, sme=roadshow.sme2, buyer=roadshow.buyer, table=roadshow.t07
    )
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event, "2031-10-07"))

    assert response.context["day"] == dt.date(2031, 10, 7)
    assert grid_rows(response) == [["09:30–10:00", "Busan Water Tech Khon Kaen City Municipality", FREE]]
    html = response.content.decode()
    assert 'class="nav-link active" aria-current="page" href="?day=2031-10-07"' in html
    assert 'class="nav-link" href="?day=2031-10-06"' in html


def test_an_early_bangkok_slot_is_on_its_local_day_though_in_utc_it_is_the_day_before(
    client, centre_staff, roadshow, grid
):
    early = slot_at(roadshow.event, 6, 30)
    assert early.starts_at == dt.datetime(2031, 10, 5, 23, 30, tzinfo=dt.UTC)
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event, "2031-10-06"))

    assert response.context["days"] == [dt.date(2031, 10, 6), dt.date(2031, 10, 7)]
    assert [row[0] for row in grid_rows(response)] == ["06:30–07:00", "09:30–10:00", "10:00–10:30"]


@pytest.mark.parametrize("day", ["2031-10-08", "not-a-day", ""])
def test_an_unknown_day_shows_the_first_day_of_the_grid(client, centre_staff, roadshow, grid, day):
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event, day))

    assert response.status_code == 200
    assert response.context["day"] == dt.date(2031, 10, 6)
    assert [row[0] for row in grid_rows(response)] == ["09:30–10:00", "10:00–10:30"]


def test_online_meetings_are_listed_in_their_own_column_where_the_event_allows_them(
    client, centre_staff, roadshow, grid
):
    roadshow.event.online_meetings_allowed = True
    roadshow.event.save(update_fields=["online_meetings_allowed"])
    factories.MeetingFactory(
        slot=roadshow.slot_0930,
        sme=roadshow.sme2,
        buyer=factories.BuyerRegistrationFactory(
            event=roadshow.event, buyer__name="Phuket Smart City Company", buyer__city=roadshow.event.city
        ),
        online=True,
    )
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event))

    assert grid_columns(response) == ["Slot", "T07", "T08", "Online"]
    assert grid_rows(response)[0][3] == "Busan Water Tech Phuket Smart City Company"


def test_the_grid_takes_the_same_number_of_queries_for_1_and_for_30_meetings(
    client, centre_staff, bangkok_centre, django_assert_num_queries
):
    event = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city)
    # Explicit times: the factory's own sequence could push some slots onto the next local day.
    slots = [slot_at(event, 9 + n // 2, 30 * (n % 2)) for n in range(6)]
    tables = [factories.TableFactory(event=event, name=f"T{n:02d}") for n in range(5)]
    factories.MeetingFactory(slot=slots[0], table=tables[0], interpreted=True, locked=True)
    client.force_login(centre_staff)
    url = grid_url(event)
    client.get(url)  # the session and the user's first load are not what is measured
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 30):
        factories.MeetingFactory(
            slot=slots[n % 6], table=tables[n // 6], interpreted=n % 2 == 0, locked=n % 3 == 0
        )

    with django_assert_num_queries(len(one)):
        response = client.get(url)

    filled = sum(1 for row in grid_rows(response) for cell in row[1:] if cell != FREE)
    assert filled == 30
