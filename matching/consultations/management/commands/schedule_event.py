"""Run the auto-scheduler on one event from the command line and print its progress and result."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from matching.consultations.booking.scheduler_runs import schedule_event
from matching.consultations.events.models import Event


class Command(BaseCommand):
    help = "Place the event's accepted requests and re-optimise its unlocked meetings, fewest breaks first."

    def add_arguments(self, parser):
        parser.add_argument("event", help="the event's slug, e.g. bangkok-2022")
        parser.add_argument("--time-limit", type=int, default=30, help="seconds (1-600), default 30")

    def handle(self, *args, event, time_limit, **options):
        if not 1 <= time_limit <= 600:
            raise CommandError("--time-limit must be between 1 and 600 seconds.")
        try:
            event = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"No event with the slug {event!r}.") from None

        def report(progress):
            placed = f"{progress.placed}/{progress.requested} placed, breaks {progress.total_breaks}"
            self.stdout.write(f"[{progress.seconds:6.1f}s] {progress.phase}: {placed}")

        try:
            run = schedule_event(event=event, time_limit_seconds=time_limit, on_progress=report)
        except ValidationError as error:  # a run of this event is going on (here or on another server)
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"{run.get_status_display()}: {run.placed}/{run.requested} placed, {run.total_breaks} breaks, "
            f"proven optimal: {'yes' if run.proven_optimal else 'no'}"
        )
        for row in run.unplaced:
            self.stdout.write(f"  left out: {row['sme']} - {row['buyer']}: {row['reason']}")
