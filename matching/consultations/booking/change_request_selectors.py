"""Reads of meeting change requests: those waiting on an event's page, and a meeting's own."""

from matching.consultations.booking.models import Meeting, MeetingChangeRequest


def change_requests_waiting(event):
    """The event's change requests waiting for staff, oldest first, with what the event's page shows of
    them and of their meeting in the same query."""
    return (
        MeetingChangeRequest.objects.filter(
            meeting__slot__event=event,
            meeting__status=Meeting.Status.SCHEDULED,
            status=MeetingChangeRequest.Status.PENDING,
        )
        .select_related(
            "meeting__slot__event",
            "meeting__table",
            "meeting__sme__company",
            "meeting__buyer__buyer",
            "asked_by",
        )
        .order_by("created_at", "pk")
    )


def change_request_waiting(meeting):
    """The meeting's change request waiting for staff, or None."""
    waiting = meeting.change_requests.filter(status=MeetingChangeRequest.Status.PENDING)
    return waiting.select_related("asked_by").first()


def change_requests_of_event(event):
    """All change requests of the event's meetings (staff open one by its id on the event's page)."""
    return MeetingChangeRequest.objects.filter(meeting__slot__event=event).select_related(
        "meeting__slot__event", "meeting__table", "meeting__sme__company", "meeting__buyer__buyer", "asked_by"
    )
