"""What the booking tests share (test_staff_booking, test_booking_grid, test_booking_pages, and others that
import from here): a Bangkok roadshow with its registrations, slots, tables and interpreters, one booked
meeting, the grid, and small readers of e-mails, calendars and pages."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from matching.consultations.booking import services
from matching.consultations.booking.models import Meeting
from tests import factories
from tests.consultations.test_agendas import INTERPRETER, bangkok_2025, slot_at

SOYEON = "soyeon@interpret.example"


JISOO = "jisoo@interpret.example"


PARTIES = ["buyer@example.com", "sme_owner@example.com"]


PAIR = "Seoul Traffic Systems and Khon Kaen City Municipality"


def past_bangkok_roadshow(bangkok_centre, name="Bangkok Roadshow"):
    """The Bangkok centre's roadshow of 6-7 October 2022, long over: its outcomes can be recorded."""
    return factories.EventFactory(
        name=name,
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=dt.date(2022, 10, 6),
    )


def meeting_at_t01(event, company, buyer_organisation):
    """The company's meeting with the buyer organisation at 09:30 at table T01: (table, meeting)."""
    table = factories.TableFactory(event=event, name="T01")
    meeting = factories.MeetingFactory(
        slot=slot_at(event, 9, 30),
        table=table,
        sme=factories.SmeRegistrationFactory(event=event, company=company),
        buyer=factories.BuyerRegistrationFactory(event=event, buyer=buyer_organisation),
    )
    return table, meeting


@pytest.fixture
def roadshow(bangkok_centre, sme_owner, buyer):
    """The Bangkok roadshow with two confirmed SMEs and two confirmed buyers, nobody booked yet.

    Only the first pair has members (sme_owner, buyer), so only they and the interpreters get e-mails.
    """
    event = bangkok_2025(bangkok_centre)
    return SimpleNamespace(
        event=event,
        slot_0930=slot_at(event, 9, 30),
        slot_1000=slot_at(event, 10),
        slot_day2=slot_at(event, 9, 30, day=1),
        t07=factories.TableFactory(event=event, name="T07"),
        t08=factories.TableFactory(event=event, name="T08"),
        soyeon=factories.InterpreterFactory(event=event, name=INTERPRETER, email=SOYEON),
        jisoo=factories.InterpreterFactory(event=event, name="Lee Jisoo", email=JISOO),
        sme=factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
        buyer=factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        sme2=factories.SmeRegistrationFactory(
            event=event, company=factories.CompanyFactory(name_en="Busan Water Tech")
        ),
        buyer2=factories.BuyerRegistrationFactory(
            event=event,
            buyer=factories.BuyerOrganisationFactory(
                name="Chiang Mai Smart City Office", city=bangkok_centre.city
            ),
        ),
    )


@pytest.fixture
def booked(roadshow):
    """The first pair's meeting at 09:30 at T07 with Kim Soyeon, as the services leave a booking."""
    return factories.MeetingFactory(
        slot=roadshow.slot_0930,
        sme=roadshow.sme,
        buyer=roadshow.buyer,
        table=roadshow.t07,
        interpreter=roadshow.soyeon,
    )


def book(roadshow, *, sme=None, buyer=None, slot=None, table=None, **kwargs):
    """meeting_book with the first pair at 09:30 at T07 unless told otherwise."""
    return services.meeting_book(
        slot=slot or roadshow.slot_0930,
        sme=sme or roadshow.sme,
        buyer=buyer or roadshow.buyer,
        table=table or roadshow.t07,
        booked_by=None,
        **kwargs,
    )


def by_recipient():
    assert all(len(message.to) == 1 for message in mail.outbox), "one recipient per message"
    return {message.to[0]: message for message in mail.outbox}


def calendar_of(message):
    [part] = message.attachments
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    [vevent] = calendar.events
    return calendar, vevent


def utc(day, hour, minute=0):
    return dt.datetime(2031, 10, day, hour, minute, tzinfo=dt.UTC)


# ================================================================ the grid
def grid_url(event, day=None):
    url = reverse("consultations:grid", args=[event.pk])
    return f"{url}?day={day}" if day else url


def body_rows(response, cell=r"<t[hd][^>]*>(.*?)</t[hd]>"):
    """The page's table body rows, each a list of its cells' (as `cell` matches them) collapsed text."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in re.findall(cell, row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def grid_rows(response):
    """The grid's body rows, each a list of its cells' whitespace-collapsed text."""
    return body_rows(response)


def grid_columns(response):
    head = response.content.decode().split("<thead", 1)[1].split("</thead>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    ]


def selected(response, name):
    """The label of the selected option of the form's <select name=...>, or None."""
    html = response.content.decode()
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    chosen = re.findall(r"<option[^>]* selected>([^<]*)</option>", select)
    return chosen[0] if chosen else None


FREE = "Book here"


@pytest.fixture
def grid(roadshow, booked):
    """Two meetings on the first day: the locked first pair at 09:30 at T07, the second at 10:00 at T08."""
    Meeting.objects.filter(pk=booked.pk).update(locked=True)
    second = factories.MeetingFactory(
        slot=roadshow.slot_1000, sme=roadshow.sme2, buyer=roadshow.buyer2, table=roadshow.t08
    )
    return SimpleNamespace(first=booked, second=second)


# ---------------------------------------------------------------- booking form
def meeting_form(roadshow, **changes):
    data = {
        "sme": roadshow.sme2.pk,
        "buyer": roadshow.buyer2.pk,
        "slot": roadshow.slot_0930.pk,
        "table": roadshow.t07.pk,
        "interpreter": roadshow.jisoo.pk,
        "locked": "on",
    }
    return data | changes


# ---------------------------------------------------------------- moving and cancelling from the grid
def edit_url(event, meeting):
    return reverse("consultations:meeting_edit", args=[event.pk, meeting.pk])
