"""The demo roadshows' programmes: a morning seminar, IR pitches, a key-buyer and a bilateral meeting, and
no 1:1 meeting of anyone during a session they speak in or must attend."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q

from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Event, ProgrammeParticipant


@pytest.mark.django_db
def test_each_demo_roadshow_has_its_programme_and_nobody_meets_during_their_session():
    call_command("seed_demo", stdout=StringIO())

    programmes = {
        event.slug: [
            (f"{session.starts_at.astimezone(event.zone):%H:%M}", session.kind)
            for session in event.programme.all()
        ]
        for event in Event.objects.order_by("slug")
    }
    clashes = [
        (str(role), str(meeting))
        for role in ProgrammeParticipant.objects.select_related("session", "registration")
        for meeting in Meeting.objects.exclude(status=Meeting.Status.CANCELLED).filter(
            Q(sme=role.registration) | Q(buyer=role.registration),
            slot__starts_at__lt=role.session.ends_at,
            slot__ends_at__gt=role.session.starts_at,
        )
    ]
    day = [
        ("09:00", "seminar"),
        ("09:30", "seminar"),
        ("10:30", "ir_pitch"),
        ("11:30", "key_buyer"),
        ("14:00", "bilateral"),
    ]
    assert programmes == {"bangkok-2022": day, "istanbul-2022": day}
    assert (
        ProgrammeParticipant.objects.filter(role="speaker", registration__company__isnull=False).count() == 7
    )
    assert clashes == []
