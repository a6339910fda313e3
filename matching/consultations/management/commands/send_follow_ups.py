"""Plan the 1-, 3- and 6-month follow-ups of held meetings and e-mail the ones that are due (run daily)."""

from django.core.management.base import BaseCommand

from matching.consultations.outcomes import services


class Command(BaseCommand):
    help = "Create missing follow-ups of held meetings and ask the Korean companies whose follow-up is due."

    def handle(self, *args, **options):
        planned = services.follow_ups_plan()
        asked = services.follow_ups_send()
        self.stdout.write(f"{planned} follow-ups planned, {asked} asked.")
