"""Check-in at the door: each participant's personal code, its QR code, and the arrivals staff record.

The QR code holds a URL to the event's check-in page with a token signed by django.core.signing (the
event's and the registration's ids and the registration's random code, salted for this use). A forged
or altered token fails the signature; one of another event names another event; the typed code is the
same random code, unique per event, for when scanning is not possible. Nothing is derived from ids, and
no second secret column is needed: the signature binds the token to the code, so a registration given a
new code would invalidate its old QR code as well.
"""

from dataclasses import dataclass

import segno
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from matching.consultations.events.models import (
    CHECK_IN_ALPHABET,
    CHECK_IN_CODE_LENGTH,
    Arrival,
    Registration,
)

SALT = "consultations.check-in"


class Result:
    RECORDED = "recorded"
    ALREADY = "already"
    REFUSED = "refused"


@dataclass
class CheckInOutcome:
    status: str  # Result.*
    message: str
    registration: Registration | None = None
    arrival: Arrival | None = None

    @property
    def recorded(self):
        return self.status == Result.RECORDED


def qr_token(registration):
    return signing.dumps([registration.event_id, registration.pk, registration.check_in_code], salt=SALT)


def qr_url(registration, request=None):
    path = reverse("consultations:check_in", args=[registration.event_id]) + "?code=" + qr_token(registration)
    return request.build_absolute_uri(path) if request is not None else path


def qr_svg(registration, request=None):
    """The QR code as inline SVG (no style attribute, so the page's CSP holds), drawn offline by segno."""
    qr = segno.make(qr_url(registration, request), error="m")
    svg = qr.svg_inline(scale=4, border=2, omitsize=False, svgclass="check-in-qr", lineclass=None)
    # segno's own markup: paths only; the URL is drawn as modules, never written out as text.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703


def display_code(code):
    """ABCD-EFGH: easier to read out and type."""
    return f"{code[:4]}-{code[4:]}" if code else ""


def normalised_code(typed):
    """The typed code upper-cased without spaces or hyphens, or None if it cannot be a code."""
    code = "".join(ch for ch in (typed or "").upper() if ch not in " -\t")
    if len(code) != CHECK_IN_CODE_LENGTH or any(ch not in CHECK_IN_ALPHABET for ch in code):
        return None
    return code


def _parse(event, value):
    """(code, registration id or None, refusal message): the code the value stands for in this event (and
    the registration its QR code named), or why it is refused."""
    value = (value or "").strip()
    if "?code=" in value:  # a scanned URL pasted or typed whole
        value = value.rsplit("?code=", 1)[1]
    if ":" in value:
        try:
            event_pk, registration_pk, code = signing.loads(value, salt=SALT)
        except (signing.BadSignature, ValueError, TypeError):
            return None, None, _("This QR code is not one of ours: nothing was recorded.")
        if event_pk != event.pk:
            return None, None, _("This QR code is for another event: nothing was recorded.")
        return code, registration_pk, None
    code = normalised_code(value)
    if code is None:
        return None, None, _("No participant has this code: check it and type it again.")
    return code, None, None


@transaction.atomic
def arrival_record(*, event, value, recorded_by, now=None):
    """Records the arrival of the participant whose code (typed, or the QR code's signed token) was given,
    today in the event's time zone. Refuses, recording nothing, a forged token, another event's code, an
    unknown code, a QR code replaced by a newer one, a withdrawn or pending registration, an unpublished
    event, and a code used before the event's first day or after its last (expired); a second arrival on
    the same day records nothing and says when the first was. Locks the registration first, and the
    unique (registration, day) constraint settles a double submit. Returns a CheckInOutcome; never raises
    on bad input."""
    now = now or timezone.now()
    if not event.is_published:
        return CheckInOutcome(
            Result.REFUSED, _("This event is not published, so no one can check in: nothing was recorded.")
        )
    code, named_pk, refusal = _parse(event, value)
    if refusal:
        return CheckInOutcome(Result.REFUSED, refusal)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("company", "buyer")
        .filter(event=event, check_in_code=code)
        .first()
    )
    if registration is None:
        if named_pk is not None and Registration.objects.filter(event=event, pk=named_pk).exists():
            return CheckInOutcome(
                Result.REFUSED,
                _(
                    "This QR code was replaced by a newer one: show the one on the participant's agenda now. "
                    "Nothing was recorded."
                ),
            )
        if Registration.objects.filter(check_in_code=code).exclude(event=event).exists():
            return CheckInOutcome(Result.REFUSED, _("This code is for another event: nothing was recorded."))
        return CheckInOutcome(Result.REFUSED, _("No participant has this code: check it and type it again."))
    if registration.status != Registration.Status.CONFIRMED:
        message = _("%(participant)s is not a confirmed participant (%(status)s): nothing was recorded.") % {
            "participant": registration,
            "status": registration.get_status_display(),
        }
        return CheckInOutcome(Result.REFUSED, message, registration)
    day = timezone.localtime(now, event.zone).date()
    if day > event.end_date:
        message = _("This code has expired: the event ended on %(date)s. Nothing was recorded.") % {
            "date": date_format(event.end_date)
        }
        return CheckInOutcome(Result.REFUSED, message, registration)
    if day < event.start_date:
        message = _("Check-in opens on the event's first day, %(date)s: nothing was recorded.") % {
            "date": date_format(event.start_date)
        }
        return CheckInOutcome(Result.REFUSED, message, registration)
    earlier = Arrival.objects.filter(registration=registration, day=day).first()
    if earlier is None:
        try:
            with transaction.atomic():
                arrival = Arrival.objects.create(
                    registration=registration, day=day, arrived_at=now, recorded_by=recorded_by
                )
        except IntegrityError:  # the other submit won between our read and write
            earlier = Arrival.objects.get(registration=registration, day=day)
        else:
            message = _("%(participant)s checked in at %(time)s.") % {
                "participant": registration,
                "time": _local_time(arrival.arrived_at, event),
            }
            return CheckInOutcome(Result.RECORDED, message, registration, arrival)
    message = _("%(participant)s already checked in at %(time)s.") % {
        "participant": registration,
        "time": _local_time(earlier.arrived_at, event),
    }
    return CheckInOutcome(Result.ALREADY, message, registration, earlier)


def _local_time(moment, event):
    return timezone.localtime(moment, event.zone).strftime("%H:%M")


def arrivals_of_day(event, day):
    """{registration id: arrival time} of the event's participants who arrived on that local day."""
    return dict(
        Arrival.objects.filter(registration__event=event, day=day).values_list(
            "registration_id", "arrived_at"
        )
    )


def recent_arrivals(event, day, limit=20):
    return list(
        Arrival.objects.filter(registration__event=event, day=day)
        .select_related("registration__company", "registration__buyer", "recorded_by")
        .order_by("-arrived_at", "-pk")[:limit]
    )


def local_day(event, moment):
    return timezone.localtime(moment, event.zone).date()
