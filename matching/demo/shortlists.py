"""The demo's shortlists: each member login has put the two best-known participants of the other side on
its shortlist at the latest roadshow its organisation is confirmed for (through the events' service;
entries that exist stay as they are)."""

from matching.consultations.events import services
from matching.consultations.events.models import Registration

SHORTLISTED = 2


def seed_shortlists(users):
    """Shortlist entries for the member logins among `users`; returns how many exist afterwards."""
    count = 0
    for user in users:
        if not (user.company_id or user.buyer_organisation_id):
            continue
        own = (
            Registration.objects.filter(
                status=Registration.Status.CONFIRMED,
                **(
                    {"company_id": user.company_id}
                    if user.company_id
                    else {"buyer_id": user.buyer_organisation_id}
                ),
            )
            .order_by("-event__start_date")
            .first()
        )
        if own is None:
            continue
        others = Registration.objects.filter(
            event_id=own.event_id,
            status=Registration.Status.CONFIRMED,
            company__isnull=user.company_id is not None,
        ).order_by("pk")[:SHORTLISTED]
        for other in others:
            services.shortlist_entry_add(user=user, registration=other)
            count += 1
    return count
