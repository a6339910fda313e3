"""seed_demo(): create whatever part of the demo is missing, in one transaction, without e-mails."""

from typing import NamedTuple

from django.db import transaction

from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Registration
from matching.consultations.outcomes.models import Mou
from matching.demo import data
from matching.demo.listings import seed_demands
from matching.demo.organisations import seed_organisations
from matching.demo.outcomes import seed_follow_ups
from matching.demo.partners import seed_partner_requests
from matching.demo.quiet import e_mails_held_back
from matching.demo.reference import seed_reference
from matching.demo.roadshows import seed_event
from matching.demo.shortlists import seed_shortlists


class EventFigures(NamedTuple):
    name: str
    smes: int
    buyers: int
    meetings: int
    mous: int


def event_figures(event):
    registrations = event.registrations.filter(status=Registration.Status.CONFIRMED)
    return EventFigures(
        name=event.name,
        smes=registrations.filter(company__isnull=False).count(),
        buyers=registrations.filter(buyer__isnull=False).count(),
        meetings=Meeting.objects.filter(slot__event=event).exclude(status=Meeting.Status.CANCELLED).count(),
        mous=Mou.objects.filter(event=event, status=Mou.Status.SIGNED).count(),
    )


def seed_demo():
    """Create whatever part of the demo data is missing, in one transaction.

    Side effects: rows in every domain table and five demo logins, written through the services
    (their e-mails held back, see quiet.py); rows that exist (found by their natural key, an event by
    its slug) are left as they are. Returns (figures per event, demo users).
    """
    with transaction.atomic(), e_mails_held_back():
        vocab = seed_reference()
        people = seed_organisations(vocab)
        seed_demands(people, vocab)
        seeded = [seed_event(spec, vocab, people) for spec in data.events()]
        created = [event for event, new in seeded if new]
        if created:
            seed_follow_ups(created, people)
        seed_partner_requests(people)
        users = [people.users[row["username"]] for row in data.load("users.json")["users"]]
        seed_shortlists(users)
        return [event_figures(event) for event, _ in seeded], users
