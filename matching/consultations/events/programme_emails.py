"""E-mails about the programme to the participants it names: a session they speak in or attend was added,
changed (time, room, title or their part) or taken off the programme, or they were taken off it.

Only for a published event's sessions still to come: a draft is staff's work in progress, and the past
(the demo's 2022 roadshows) is not news. Each organisation's members read it in their own language
(portal.common.notifications.members_notify); nothing here writes to the database.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.consultations.events.models import Registration
from portal.common.notifications import members_notify

ADDED, CHANGED, CANCELLED, REMOVED = "added", "changed", "cancelled", "removed"


@dataclass(frozen=True)
class SessionState:
    """What a participant reads of a session: enough to tell whether it changed for them."""

    title: str
    starts_at: object
    ends_at: object
    room: str
    roles: dict  # registration id -> "speaker" / "attendee"

    @classmethod
    def of(cls, session):
        roles = {role.registration_id: role.role for role in session.roles.all()}
        return cls(session.title, session.starts_at, session.ends_at, session.room, roles)


def changes(before: SessionState | None, after: SessionState | None) -> dict:
    """{registration id: change} for everyone named before or after (None: the session is new or gone)."""
    if after is None:
        return dict.fromkeys(before.roles, CANCELLED)
    if before is None:
        return dict.fromkeys(after.roles, ADDED)
    moved = (before.title, before.starts_at, before.ends_at, before.room) != (
        after.title,
        after.starts_at,
        after.ends_at,
        after.room,
    )
    result = {}
    for registration_id in before.roles.keys() | after.roles.keys():
        was, now = before.roles.get(registration_id), after.roles.get(registration_id)
        if was is None:
            result[registration_id] = ADDED
        elif now is None:
            result[registration_id] = REMOVED
        elif moved or was != now:
            result[registration_id] = CHANGED
    return result


def _subject(change, session):
    names = {"event": session.event.name, "session": session.title}
    return {
        ADDED: _("Programme of %(event)s: you are in %(session)s"),
        CHANGED: _("Programme of %(event)s: %(session)s changed"),
        CANCELLED: _("Programme of %(event)s: %(session)s is cancelled"),
        REMOVED: _("Programme of %(event)s: you are no longer in %(session)s"),
    }[change] % names


def programme_notify(*, session, before: SessionState | None, after: SessionState | None) -> int:
    """E-mail each participant whose part in `session` changed (see `changes`); returns the number of
    messages enqueued. `session` holds the session's current fields (its last ones when deleted)."""
    event = session.event
    if not event.is_published or session.ends_at <= timezone.now():
        return 0
    to_tell = changes(before, after)
    if not to_tell:
        return 0
    members = get_user_model().objects.filter(is_active=True).exclude(email="")
    members = members.select_related("buyer_organisation__city__country").order_by("pk")
    registrations = (
        event.registrations.filter(pk__in=to_tell)
        .exclude(status=Registration.Status.WITHDRAWN)  # out of the event: not to be told of its programme
        .select_related("company", "buyer")
        .prefetch_related(Prefetch("company__members", members), Prefetch("buyer__members", members))
    )
    link = settings.PORTAL_BASE_URL + reverse("consultations:programme", args=[event.pk])
    sent = 0
    for registration in registrations:
        change = to_tell[registration.pk]
        organisation = registration.company or registration.buyer
        sent += members_notify(
            members=list(organisation.members.all()),
            subject=lambda change=change: _subject(change, session),
            template="consultations/email/programme_session.txt",
            context={
                "change": change,
                "session": session,
                "event": event,
                "participant": organisation,
                "part": (after.roles if after is not None else {}).get(registration.pk, ""),
                "link": link,
            },
        )
    return sent
