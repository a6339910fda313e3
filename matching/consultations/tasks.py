"""Background work of the consultations, run by Celery workers: scheduler runs, e-mails, periodic jobs.

Tasks take ids, not objects, and read the database again when they run. Services enqueue them with
`delay_on_commit`, so nothing is sent about a write that rolled back, and a failing e-mail never undoes
one. E-mails are retried with growing, jittered delays when the mail server does not answer.
"""

import logging

from celery import shared_task
from django.utils import timezone

from portal.enqueue import EMAIL_RETRIES

from . import emails, scheduling, services
from .agendas import meeting_with_relations
from .models import FollowUp, Interpreter, Meeting, MeetingRequest

logger = logging.getLogger(__name__)


@shared_task
def scheduler_run(run_id):
    """Solve and write back a run that staff started (services: scheduling.schedule_event_enqueue)."""
    scheduling.scheduler_run_continue(run_id=run_id)


@shared_task(**EMAIL_RETRIES)
def meeting_notice(meeting_id, change, former_interpreter_id=None):
    """E-mail both sides and the interpreter that the meeting was booked, changed or cancelled."""
    meeting = meeting_with_relations(Meeting.objects.all(), meeting_id)
    former = Interpreter.objects.filter(pk=former_interpreter_id).first() if former_interpreter_id else None
    return emails.meeting_notify(meeting=meeting, change=change, former_interpreter=former)


@shared_task(**EMAIL_RETRIES)
def meeting_request_notice(meeting_request_id, change):
    """E-mail both sides that a meeting was requested, or the request accepted or declined."""
    meeting_request = MeetingRequest.objects.select_related(
        "event__organising_centre", "sme__company", "buyer__buyer"
    ).get(pk=meeting_request_id)
    return emails.meeting_request_notify(meeting_request=meeting_request, change=change)


@shared_task(bind=True, max_retries=EMAIL_RETRIES["max_retries"])
def follow_up_ask(self, follow_up_id):
    """E-mail the Korean company the follow-up's question (services.follow_ups_send marked it sent).

    With nobody to write to, or once every retry failed, it is marked unsent again, so the next daily
    run asks again.
    """
    follow_up = FollowUp.objects.select_related(
        "meeting__sme__company", "meeting__buyer__buyer", "meeting__slot__event"
    ).get(pk=follow_up_id)
    try:
        sent = emails.follow_up_ask(follow_up=follow_up)
    except OSError as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
        sent = 0
        logger.warning("Follow-up %s not sent: %s", follow_up_id, error)
    if not sent:
        FollowUp.objects.filter(pk=follow_up_id).update(sent_at=None)
    return sent


@shared_task
def follow_ups_send():
    """Daily: give held meetings their follow-ups and ask the companies whose follow-up is due."""
    services.follow_ups_plan()
    return services.follow_ups_send()


@shared_task
def meeting_requests_expire():
    """Expire pending requests of events whose answering deadline has passed."""
    return services.meeting_requests_expire()


@shared_task
def scheduler_runs_reap():
    """Mark failed the runs still 'running' long after their time limit: their worker went away."""
    return scheduling.scheduler_runs_reap(now=timezone.now())
