"""The calendar file of an agreed online meeting, built with icalendar."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from matching.consultations.booking.ics import PRODID, UID_DOMAIN, one_line

ONLINE_MEETING_LENGTH = dt.timedelta(minutes=45)


def online_meeting_ics(partner_request) -> bytes:
    """One VEVENT in UTC: calendars show it in their owner's zone. Its UID stays the request's."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    event = VEvent()
    event.add("uid", f"partner-request-{partner_request.pk}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("sequence", partner_request.time_revision)
    event.add("dtstart", partner_request.agreed_start)
    event.add("dtend", partner_request.agreed_start + ONLINE_MEETING_LENGTH)
    event.add(
        "summary",
        one_line(
            _("Online meeting: %(company)s ↔ %(buyer)s")
            % {"company": partner_request.company, "buyer": partner_request.buyer}
        ),
    )
    if partner_request.video_link:
        event.add("location", partner_request.video_link)
        event.add("url", partner_request.video_link)
    event.add("description", partner_request.message)
    calendar.add_component(event)
    return calendar.to_ical()
