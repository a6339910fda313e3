"""The demo's partner requests and conversations, made through the partnering services.

The `sme` login finds an online meeting request from the `buyer` login's office in its inbox, with two
proposed times in the coming days; the `sme` login has shown interest in a Bangkok buyer's car parks.
Requests that exist (same pair, same kind, waiting) are left as they are.
"""

import datetime as dt
import zoneinfo

from django.utils import timezone

from matching.demo.data import load
from matching.partnering import services
from matching.partnering.models import PartnerRequest


def _times(asker, proposed):
    zone = zoneinfo.ZoneInfo(asker.time_zone)
    today = timezone.localdate(timezone=zone)
    times = []
    for row in proposed:
        hour, minute = (int(part) for part in row["time"].split(":"))
        day = today + dt.timedelta(days=row["days"])
        times.append(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone))
    return times


def seed_partner_requests(people):
    """Create the data file's requests and replies that are missing; returns how many requests it made."""
    made = 0
    for row in load("partner_requests.json")["requests"]:
        asker = people.users[row["asker"]]
        if "company" in row:
            company, buyer = people.companies[row["company"]], asker.buyer_organisation
        else:
            company, buyer = asker.company, people.buyers[row["buyer"]]
        if PartnerRequest.objects.filter(company=company, buyer=buyer, kind=row["kind"]).exists():
            continue
        services.partner_request_create(
            requested_by=asker,
            company=company,
            buyer=buyer,
            kind=row["kind"],
            message=row["message"],
            video_link=row.get("video_link", ""),
            proposed_times=_times(asker, row.get("proposed", [])),
        )
        conversation = services.conversation_open(company=company, buyer=buyer)
        for reply in row.get("replies", []):
            services.message_send(
                conversation=conversation, author=people.users[reply["from"]], body=reply["message"]
            )
        made += 1
    return made
