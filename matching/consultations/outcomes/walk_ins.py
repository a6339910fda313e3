"""Walk-ins on the day: who can fill a freed place of the live board (a table in a slot not yet over that
no live meeting holds). Pairs who both checked in, are both free then and asked for each other come
first; then the best fits among the other free checked-in pairs; staff may also pick any two by hand.

A participant is free in the slot when they are a confirmed participant who checked in on its day, with
no other meeting in it, not unavailable in it, in no programme session they speak in or must attend at
that time, and below their maximum of meetings: the booking's own rules, read for the whole day at once.
A fixed number of queries whatever the number of participants, meetings and requests."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Solution
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events import programme_selectors
from matching.consultations.events.models import Interpreter, Registration, ShortlistEntry, TimeSlot
from matching.demands.models import Demand
from matching.recommendations.selectors import match_index

SUGGESTIONS = 10  # the best fits shown after the pairs who asked


class Asked:
    """Why a pair is offered first, strongest first (the panel's order)."""

    ACCEPTED = 0  # a request both sides agreed to, waiting for a slot
    REQUESTED = 1  # a request still waiting for an answer (or left unanswered at the deadline)
    SHORTLISTED = 2  # each on the other's shortlist

    LABELS = {
        ACCEPTED: _("Request accepted by both"),
        REQUESTED: _("Asked for a meeting"),
        SHORTLISTED: _("On each other's shortlist"),
    }


@dataclass
class WalkInPair:
    sme: Registration
    buyer: Registration
    score: float | None = None  # the best fit of the company's solutions to the buyer's open listings
    asked: int | None = None  # Asked.*, None for a suggestion
    must_meet: bool = False

    @property
    def reason(self):
        return Asked.LABELS.get(self.asked, "")

    @property
    def needs_interpreter(self):
        return self.sme.needs_interpreter or self.buyer.needs_interpreter


@dataclass
class WalkInPanel:
    slot: TimeSlot
    table: object
    day: dt.date
    over: bool
    taken: Meeting | None = None  # the live meeting holding the place, if any
    checked_in: int = 0
    asked: list = field(default_factory=list)  # WalkInPair, asked first
    suggested: list = field(default_factory=list)  # WalkInPair, best fit first
    smes: list = field(default_factory=list)  # free checked-in companies, for picking by hand
    buyers: list = field(default_factory=list)
    interpreters: list = field(default_factory=list)  # free in the slot
    free_tables: list = field(default_factory=list)  # other free tables of the slot, when this one is not

    @property
    def is_free(self):
        return not self.over and self.taken is None


def _live(meetings):
    return meetings.exclude(status=Meeting.Status.CANCELLED)


def walk_in_panel(event, slot, table, now) -> WalkInPanel:
    """Who can fill `table` in `slot` of `event` at `now`."""
    day = slot.starts_at.astimezone(event.zone).date()
    panel = WalkInPanel(slot=slot, table=table, day=day, over=slot.ends_at <= now)
    panel.taken = (
        _live(Meeting.objects.filter(slot=slot, table=table))
        .select_related("sme__company", "buyer__buyer")
        .first()
    )
    if not panel.is_free:
        if not panel.over:
            held = _live(Meeting.objects.filter(slot=slot)).exclude(table=None).values("table")
            panel.free_tables = list(event.tables.exclude(pk__in=held).order_by("name"))
        return panel
    checked_in = list(
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED, arrivals__day=day)
        .select_related("company", "buyer")
        .order_by("company__name_en", "buyer__name", "pk")
    )
    panel.checked_in = len(checked_in)
    meetings = list(
        _live(Meeting.objects.filter(slot__event=event)).values_list(
            "slot_id", "sme_id", "buyer_id", "interpreter_id"
        )
    )
    met = {(sme, buyer) for _slot, sme, buyer, _interpreter in meetings}
    count = {}
    for _slot, sme, buyer, _interpreter in meetings:
        count[sme] = count.get(sme, 0) + 1
        count[buyer] = count.get(buyer, 0) + 1
    busy = {pk for slot_id, sme, buyer, _i in meetings if slot_id == slot.pk for pk in (sme, buyer)}
    unavailable = set(
        Registration.unavailable_slots.through.objects.filter(
            timeslot=slot, registration__in=[r.pk for r in checked_in]
        ).values_list("registration_id", flat=True)
    )
    busy |= unavailable | set(programme_selectors.busy_during(checked_in, slot.starts_at, slot.ends_at))
    free = [r for r in checked_in if r.pk not in busy and count.get(r.pk, 0) < r.max_meetings]
    panel.smes = [r for r in free if r.company_id]
    panel.buyers = [r for r in free if r.buyer_id]
    interpreters_busy = {i for slot_id, _s, _b, i in meetings if slot_id == slot.pk and i}
    panel.interpreters = [
        interpreter
        for interpreter in Interpreter.objects.filter(event=event)
        .exclude(unavailable_slots=slot)
        .order_by("name")
        if interpreter.pk not in interpreters_busy
    ]
    pairs = [(sme, buyer) for sme in panel.smes for buyer in panel.buyers if (sme.pk, buyer.pk) not in met]
    if not pairs:
        return panel
    asked, declined = _asked(event, panel.smes, panel.buyers)
    scores = _scores(panel.smes, panel.buyers)
    for sme, buyer in pairs:
        key = (sme.pk, buyer.pk)
        pair = WalkInPair(sme, buyer, score=scores.get(key))
        if key in asked:
            pair.asked, pair.must_meet = asked[key]
            panel.asked.append(pair)
        elif pair.score is not None and key not in declined:
            panel.suggested.append(pair)
    panel.asked.sort(key=lambda p: (p.asked, not p.must_meet, -(p.score or 0), str(p.sme), str(p.buyer)))
    panel.suggested.sort(key=lambda p: (-p.score, str(p.sme), str(p.buyer)))
    panel.suggested = panel.suggested[:SUGGESTIONS]
    return panel


def _asked(event, smes, buyers):
    """({(sme id, buyer id): (Asked.*, must meet)}, {declined pairs}) among these participants, from the
    latest meeting request of each pair and the members' shortlists. Two queries."""
    latest = {}
    requests = MeetingRequest.objects.filter(event=event, sme__in=smes, buyer__in=buyers).order_by(
        "created_at", "pk"
    )
    for sme, buyer, status, priority in requests.values_list("sme_id", "buyer_id", "status", "priority"):
        latest[sme, buyer] = (status, priority)
    asked, declined = {}, set()
    for key, (status, priority) in latest.items():
        must = priority == MeetingRequest.Priority.MUST_MEET
        if status == MeetingRequest.Status.ACCEPTED:
            asked[key] = (Asked.ACCEPTED, must)
        elif status in (MeetingRequest.Status.PENDING, MeetingRequest.Status.EXPIRED):
            asked[key] = (Asked.REQUESTED, must)
        elif status == MeetingRequest.Status.DECLINED:
            declined.add(key)
    # A member's shortlist names registrations of the other side; its owner is the member's organisation.
    sme_of_company = {r.company_id: r.pk for r in smes}
    buyer_of_organisation = {r.buyer_id: r.pk for r in buyers}
    wanted = set()  # (who, whom) registration ids
    entries = ShortlistEntry.objects.filter(registration__in=[*smes, *buyers]).filter(
        Q(user__company__in=list(sme_of_company))
        | Q(user__buyer_organisation__in=list(buyer_of_organisation))
    )
    for company, organisation, registration in entries.values_list(
        "user__company_id", "user__buyer_organisation_id", "registration_id"
    ):
        who = sme_of_company.get(company) if company else buyer_of_organisation.get(organisation)
        if who is not None:
            wanted.add((who, registration))
    for sme in smes:
        for buyer in buyers:
            key = (sme.pk, buyer.pk)
            if (
                key not in asked
                and key not in declined
                and (sme.pk, buyer.pk) in wanted
                and (buyer.pk, sme.pk) in wanted
            ):
                asked[key] = (Asked.SHORTLISTED, False)
    return asked, declined


def _scores(smes, buyers):
    """{(sme id, buyer id): best relevant score} of the companies' solutions for the buyers' open
    listings (pairs without a relevant fit are left out). Three queries (one when the index is held)."""
    solutions = {}
    for pk, company in Solution.objects.filter(company__in=[r.company_id for r in smes]).values_list(
        "pk", "company_id"
    ):
        solutions.setdefault(company, []).append(pk)
    listings = {}
    for pk, organisation in (
        Demand.objects.open().filter(buyer__in=[r.buyer_id for r in buyers]).values_list("pk", "buyer_id")
    ):
        listings.setdefault(organisation, []).append(pk)
    index = match_index()
    scores = {}
    for sme in smes:
        for buyer in buyers:
            best = None
            for demand in listings.get(buyer.buyer_id, []):
                for solution in solutions.get(sme.company_id, []):
                    try:
                        match = index.score(solution, demand)
                    except KeyError:  # not in the index: company not approved or listing not open
                        continue
                    if match.relevant and (best is None or match.score > best):
                        best = match.score
            if best is not None:
                scores[sme.pk, buyer.pk] = best
    return scores
