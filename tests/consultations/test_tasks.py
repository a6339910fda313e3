"""Background work on the task queue: what each periodic job does, and that an e-mail that cannot be sent
changes no data and shows nobody an error."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.consultations.booking import tasks
from matching.consultations.booking.models import Meeting, MeetingRequest, SchedulerRun
from matching.demands import tasks as demand_tasks
from matching.demands.models import Demand
from portal.celery import app as celery_app
from tests import factories
from tests.consultations.conftest import meeting_form


def test_every_periodic_job_names_a_task_the_workers_know():
    celery_app.loader.import_default_modules()

    jobs = {name: job["task"] for name, job in celery_app.conf.beat_schedule.items()}

    assert sorted(jobs.values()) == [
        "matching.consultations.booking.tasks.meeting_reminders_send",
        "matching.consultations.booking.tasks.meeting_requests_expire",
        "matching.consultations.booking.tasks.scheduler_runs_reap",
        "matching.consultations.outcomes.tasks.follow_ups_send",
        "matching.demands.tasks.demands_expire",
        "portal.privacy.tasks.inactive_accounts_anonymise",
    ]
    assert all(task in celery_app.tasks for task in jobs.values())


def test_a_run_whose_worker_went_away_is_marked_failed_by_the_periodic_job(db):
    event = factories.EventFactory()
    left = SchedulerRun.objects.create(event=event, time_limit_seconds=600)
    fresh = SchedulerRun.objects.create(event=factories.EventFactory(), time_limit_seconds=600)
    SchedulerRun.objects.filter(pk=left.pk).update(
        taken_at=timezone.now() - SchedulerRun.ABANDONED_AFTER - dt.timedelta(seconds=1)
    )

    reaped = tasks.scheduler_runs_reap.delay().get()

    left.refresh_from_db()
    fresh.refresh_from_db()
    assert reaped == 1
    assert (left.status, left.message) == ("failed", "Stopped: the worker running it went away.")
    assert fresh.status == "running"


def test_a_run_waiting_for_the_schedulers_worker_is_failed_only_once_none_took_it_for_two_hours(db):
    """One scheduler worker takes one run at a time: a run queued behind others is not abandoned."""
    queued = SchedulerRun.objects.create(event=factories.EventFactory(), time_limit_seconds=600)
    forgotten = SchedulerRun.objects.create(event=factories.EventFactory(), time_limit_seconds=600)
    now = timezone.now()
    SchedulerRun.objects.filter(pk=queued.pk).update(started_at=now - SchedulerRun.ABANDONED_AFTER * 2)
    SchedulerRun.objects.filter(pk=forgotten.pk).update(
        started_at=now - SchedulerRun.NEVER_TAKEN_AFTER - dt.timedelta(seconds=1)
    )

    reaped = tasks.scheduler_runs_reap.delay().get()

    queued.refresh_from_db()
    forgotten.refresh_from_db()
    assert reaped == 1
    assert queued.status == "running"
    assert (forgotten.status, forgotten.message) == (
        "failed",
        "Not started: no scheduler worker took it within two hours.",
    )


def test_a_run_task_for_a_run_that_is_no_longer_running_does_nothing(db):
    event = factories.EventFactory()
    factories.TimeSlotFactory(event=event)
    factories.TableFactory(event=event, name="T1")
    asked = factories.MeetingRequestFactory(event=event, status=MeetingRequest.Status.ACCEPTED)
    reaped = SchedulerRun.objects.create(event=event, status=SchedulerRun.Status.FAILED)

    tasks.scheduler_run.delay(reaped.pk)

    reaped.refresh_from_db()
    assert reaped.status == "failed"
    assert not Meeting.objects.filter(request=asked).exists()


def test_listings_past_their_deadline_are_closed_by_the_daily_job(db):
    today = timezone.localdate()
    past = factories.DemandFactory(published=True, deadline=today - dt.timedelta(days=1))
    due_today = factories.DemandFactory(published=True, deadline=today)
    open_ended = factories.DemandFactory(published=True, deadline=None)

    closed = demand_tasks.demands_expire.delay().get()

    assert closed == 1
    statuses = dict(Demand.objects.values_list("pk", "status"))
    assert statuses == {past.pk: "closed", due_today.pk: "open", open_ended.pk: "open"}


def test_requests_past_their_events_deadline_expire_with_the_periodic_job(db):
    past = factories.EventFactory(request_deadline=timezone.now() - dt.timedelta(hours=1))
    future = factories.EventFactory(request_deadline=timezone.now() + dt.timedelta(days=1))
    late = factories.MeetingRequestFactory(event=past)
    in_time = factories.MeetingRequestFactory(event=future)

    assert tasks.meeting_requests_expire.delay().get() == 1

    assert MeetingRequest.objects.get(pk=late.pk).status == "expired"
    assert MeetingRequest.objects.get(pk=in_time.pk).status == "pending"


def test_a_booking_is_kept_and_answered_normally_when_its_e_mail_cannot_be_sent(
    client,
    centre_staff,
    roadshow,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    def refused(backend, messages):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refused)
    client.force_login(centre_staff)
    data = meeting_form(roadshow, sme=roadshow.sme.pk, buyer=roadshow.buyer.pk, slot=roadshow.slot_0930.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consultations:meeting_create", args=[roadshow.event.pk]), data)

    assert response.status_code == 302
    assert Meeting.objects.filter(sme=roadshow.sme, buyer=roadshow.buyer, status="scheduled").count() == 1
    assert mail.outbox == []
