"""Reminder runs raced by real threads on PostgreSQL (each with its own connection): two beats at once
(two beat processes, or a beat and a late one) send each reminder and each correction once."""

from unittest import mock

import pytest
from django.core import mail

from matching.consultations.booking import reminders, tasks
from matching.consultations.booking.models import Meeting, MeetingReminder
from tests.consultations.conftest import SOYEON, utc
from tests.races import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = ["buyer@example.com", "sme_owner@example.com", SOYEON]


def test_two_runs_at_once_send_each_reminder_once(booked):
    with mock.patch("django.utils.timezone.now", return_value=utc(5, 12)):
        claimed = at_once(lambda _n: tasks.meeting_reminders_send(), range(4))

    assert sorted(claimed) == [0, 0, 0, 3]
    assert sorted(message.to[0] for message in mail.outbox) == PEOPLE
    assert MeetingReminder.objects.filter(sent_at__isnull=False).count() == 3


def test_two_runs_at_once_send_each_correction_once(booked):
    with mock.patch("django.utils.timezone.now", return_value=utc(5, 12)):
        tasks.meeting_reminders_send()
    mail.outbox.clear()
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.CANCELLED, sequence=1)

    with mock.patch("django.utils.timezone.now", return_value=utc(5, 13)):
        claimed = at_once(lambda _n: reminders.corrections_claim(), range(4))

    assert sum(claimed) == 3  # however SKIP LOCKED shared the rows out
    assert sorted(message.to[0] for message in mail.outbox) == PEOPLE
    assert {message.subject.split(":")[0] for message in mail.outbox} == {"Correction"}
