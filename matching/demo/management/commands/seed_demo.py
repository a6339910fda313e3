"""`manage.py seed_demo`: load the fictional 2022 roadshows and one demo login per role (safe to re-run)."""

from django.core.management.base import BaseCommand

from matching.demo import data
from matching.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo data (Bangkok and Istanbul 2022 roadshows, companies, buyers, demands) and one "
        "login per role. Running it again adds only what is missing and changes nothing else."
    )

    def handle(self, *args, **options):
        figures, users = seed_demo()
        for event in figures:
            self.stdout.write(
                f"{event.name}: {event.smes} SMEs, {event.buyers} buyers, "
                f"{event.meetings} meetings, {event.mous} MOUs"
            )
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        rows = [("username", "role", "password", "acts for")]
        rows += [
            (user.username, str(user.get_role_display()), data.password(), str(user.organisation or "-"))
            for user in users
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
