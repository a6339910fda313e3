"""Mark pending meeting requests of events past their answering deadline as expired (run from cron)."""

from django.core.management.base import BaseCommand

from matching.consultations.booking.services import meeting_requests_expire


class Command(BaseCommand):
    help = "Expire meeting requests still unanswered after their event's deadline."

    def handle(self, *args, **options):
        count = meeting_requests_expire()
        self.stdout.write(f"{count} meeting request(s) expired.")
