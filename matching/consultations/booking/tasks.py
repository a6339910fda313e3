"""Background tasks of booking: scheduler runs, meeting e-mails and reminders, expiring requests, reaping
runs."""

from celery import shared_task
from django.utils import timezone

from matching.consultations.booking import emails, reminders, scheduler_runs, services
from matching.consultations.booking.agendas import meeting_with_relations
from matching.consultations.booking.models import Meeting, MeetingChangeRequest, MeetingRequest
from matching.consultations.events.models import Interpreter
from portal.common.enqueue import EMAIL_RETRIES


@shared_task
def scheduler_run(run_id):
    """Solve and write back a run that staff started (services: scheduler_runs.schedule_event_enqueue)."""
    scheduler_runs.scheduler_run_continue(run_id=run_id)


@shared_task(**EMAIL_RETRIES)
def meeting_notice(meeting_id, change, former_interpreter_id=None):
    """E-mail both sides and the interpreter that the meeting was booked, changed or cancelled."""
    meeting = meeting_with_relations(Meeting.objects.all(), meeting_id)
    former = Interpreter.objects.filter(pk=former_interpreter_id).first() if former_interpreter_id else None
    sent = emails.meeting_notify(meeting=meeting, change=change, former_interpreter=former)
    if change != "booked":  # whoever was reminded of it hears at once, not at the next beat
        reminders.corrections_claim(meeting_ids=[meeting_id])
    return sent


@shared_task
def meeting_reminders_send():
    """Every few minutes: claim the reminders that fell due and the corrections owed (each e-mail is a
    task of its own, below), and forget the records of meetings long over."""
    claimed = reminders.reminders_claim() + reminders.corrections_claim()
    reminders.records_forget()
    return claimed


@shared_task(**EMAIL_RETRIES)
def meeting_reminder_send(reminder_ids):
    """E-mail one claimed reminder (the day's meetings of one person, or one meeting 30 minutes ahead)."""
    return reminders.reminder_send(row_ids=reminder_ids)


@shared_task(**EMAIL_RETRIES)
def meeting_reminder_correct(reminder_id):
    """E-mail the correction of a reminder whose meeting moved or was cancelled after it went."""
    return reminders.correction_send(row_id=reminder_id)


@shared_task(**EMAIL_RETRIES)
def meeting_request_notice(meeting_request_id, change):
    """E-mail both sides that a meeting was requested, or the request accepted or declined."""
    meeting_request = (
        MeetingRequest.objects.with_on_behalf()
        .select_related("event__organising_centre", "sme__company", "buyer__buyer")
        .get(pk=meeting_request_id)
    )
    return emails.meeting_request_notify(meeting_request=meeting_request, change=change)


@shared_task(**EMAIL_RETRIES)
def meeting_change_request_notice(change_request_id, change):
    """E-mail that a change of a meeting was asked or withdrawn (the other side, staff) or answered."""
    change_request = MeetingChangeRequest.objects.get(pk=change_request_id)
    change_request.meeting = meeting_with_relations(Meeting.objects.all(), change_request.meeting_id)
    return emails.meeting_change_request_notify(change_request=change_request, change=change)


@shared_task
def meeting_requests_expire():
    """Expire pending requests of events whose answering deadline has passed."""
    return services.meeting_requests_expire()


@shared_task
def scheduler_runs_reap():
    """Mark failed the runs still 'running' long after their time limit: their worker went away."""
    return scheduler_runs.scheduler_runs_reap(now=timezone.now())
