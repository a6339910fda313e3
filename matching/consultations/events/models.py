"""Roadshow events: their days, time slots, tables, interpreters and registrations.

An event has time slots and tables; SMEs and buyers register for it. The database refuses a
registration twice per organisation and event, and one that is neither or both kinds."""

import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Company
from matching.demands.models import BuyerOrganisation
from matching.geo.models import City, Language, validate_time_zone
from matching.kernel.models import LONG_TEXT, TradeCentre

# An event's days and deadline lie in these years: anything else is a typo (0001 for 2025), and at the
# edges of the calendar a slot's local time overflows when it is converted to UTC.
FIRST_EVENT_DAY, LAST_EVENT_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)

# Check-in codes: typed at the door when a QR code cannot be scanned. No 0/O, 1/I/L, 2/Z, 5/S, 8/B;
# 8 characters of 26 give about 2 * 10^11 codes, drawn at random (never from ids).
CHECK_IN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CHECK_IN_CODE_LENGTH = 8


def new_check_in_code():
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))


def validate_event_day(value):
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_EVENT_DAY <= day <= LAST_EVENT_DAY:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s."),
            params={"first": FIRST_EVENT_DAY.isoformat(), "last": LAST_EVENT_DAY.isoformat()},
            code="out_of_range",
        )


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)


class Event(models.Model):
    """One roadshow stop, e.g. the Bangkok smart-city roadshow of 6–7 October 2022.

    A draft is seen by its staff only. Once its last day is over (in its own time zone) its requests,
    registrations and meetings are read-only, unless staff reopen it for a few days to set the record
    straight (a meeting held that nobody booked, a late withdrawal).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="events", verbose_name=_("city"))
    venue = models.CharField(_("venue"), max_length=200)
    start_date = models.DateField(_("first day"), validators=[validate_event_day])
    end_date = models.DateField(_("last day"), validators=[validate_event_day])
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("Slots are shown in this zone, e.g. Asia/Bangkok."),
    )
    organising_centre = models.ForeignKey(
        TradeCentre, on_delete=models.PROTECT, related_name="events", verbose_name=_("organising centre")
    )
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    online_meetings_allowed = models.BooleanField(_("online meetings allowed"), default=False)
    request_deadline = models.DateTimeField(
        _("deadline for answering requests"),
        validators=[validate_event_day],
        null=True,
        blank=True,
        help_text=_("Meeting requests still unanswered then expire."),
    )
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    # The new-event form's own id: the same form sent twice (a double click, two tabs) makes one event.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PUBLISHED)
    reopened_until = models.DateField(
        _("reopened until"),
        null=True,
        blank=True,
        help_text=_("Over, but open to changes of requests, registrations and meetings until this day."),
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__range=(10, 180)), name="event_slot_minutes_range"
            ),
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="event_status_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def local_today(self):
        return timezone.localdate(timezone=self.zone)

    @property
    def is_over(self):
        """Its last day has ended where it takes place."""
        return self.end_date < self.local_today()

    @property
    def is_reopened(self):
        return self.is_over and self.reopened_until is not None and self.reopened_until >= self.local_today()

    @property
    def is_read_only(self):
        """Over and not reopened: requests, registrations and meetings stay as they are."""
        return self.is_over and not self.is_reopened


class TimeSlot(models.Model):
    class Session(models.TextChoices):
        MORNING = "am", _("Morning")
        AFTERNOON = "pm", _("Afternoon")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots", verbose_name=_("event"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    session = models.CharField(_("session"), max_length=2, choices=Session)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="slot_start_unique_per_event"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="slot_ends_after_start",
                violation_error_message=_("A slot must end after it starts."),
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at, zoneinfo.ZoneInfo(self.event.time_zone))
        return f"{local:%Y-%m-%d %H:%M} ({self.get_session_display()})"


class Table(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=30)

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="table_name_unique_per_event"),
        ]

    def __str__(self):
        return self.name


class Interpreter(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="interpreters", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    languages = models.ManyToManyField(Language, related_name="+", verbose_name=_("languages"))
    email = models.EmailField(_("e-mail"), blank=True)
    unavailable_slots = models.ManyToManyField(
        TimeSlot, blank=True, related_name="+", verbose_name=_("unavailable slots")
    )

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="interpreter_name_unique_per_event"),
        ]

    def __str__(self):
        return self.name


class Registration(models.Model):
    """An SME or a buyer taking part in an event (exactly one of the two)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("Korean company"),
    )
    buyer = models.ForeignKey(
        BuyerOrganisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("buyer"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.CONFIRMED)
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages"))
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    max_meetings = models.PositiveSmallIntegerField(
        _("maximum meetings"), default=12, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    unavailable_slots = models.ManyToManyField(
        TimeSlot, blank=True, related_name="+", verbose_name=_("unavailable slots")
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    check_in_code = models.CharField(
        _("check-in code"), max_length=CHECK_IN_CODE_LENGTH, default=new_check_in_code, editable=False
    )

    class Meta:
        ordering = ["event", "company__name_en", "buyer__name"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(company__isnull=False, buyer__isnull=True)
                    | Q(company__isnull=True, buyer__isnull=False)
                ),
                name="registration_is_company_xor_buyer",
                violation_error_message=_("A registration is for a Korean company or for a buyer, not both."),
            ),
            models.UniqueConstraint(
                fields=["event", "company"],
                condition=Q(company__isnull=False),
                name="registration_company_once_per_event",
                violation_error_message=_("This company is already registered for the event."),
            ),
            models.UniqueConstraint(
                fields=["event", "buyer"],
                condition=Q(buyer__isnull=False),
                name="registration_buyer_once_per_event",
                violation_error_message=_("This buyer is already registered for the event."),
            ),
            models.CheckConstraint(
                condition=Q(max_meetings__range=(1, 40)),
                name="registration_max_meetings_range",
                violation_error_message=_("The maximum number of meetings is between 1 and 40."),
            ),
            models.UniqueConstraint(
                fields=["event", "check_in_code"], name="registration_check_in_code_unique_per_event"
            ),
        ]

    def __str__(self):
        return str(self.company or self.buyer)

    @property
    def is_company(self):
        return self.company_id is not None


class ShortlistEntry(models.Model):
    """A member's bookmark on a participant of the other side at an event: their shortlist for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shortlist_entries",
        verbose_name=_("member"),
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        constraints = [
            models.UniqueConstraint(fields=["user", "registration"], name="shortlist_entry_once_per_member"),
        ]

    def __str__(self):
        return f"{self.user} → {self.registration}"


class ProgrammeSession(models.Model):
    """A session of an event's programme besides its 1:1 slots: a seminar talk, IR pitches by Korean
    SMEs, a key-buyer meeting, a bilateral government meeting.

    Its speakers are names as printed (a minister, a city's deputy governor) and, optionally, the
    registrations that speak in it or must attend it: the auto-scheduler and staff's bookings keep
    those participants' 1:1 meetings out of its time. Open to all, it is on every participant's agenda.
    """

    class Kind(models.TextChoices):
        SEMINAR = "seminar", _("Seminar talk")
        IR_PITCH = "ir_pitch", _("IR pitch")
        KEY_BUYER = "key_buyer", _("Key-buyer meeting")
        BILATERAL = "bilateral", _("Bilateral government meeting")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="programme", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.SEMINAR)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    speakers = models.CharField(
        _("speakers"),
        max_length=500,
        blank=True,
        help_text=_("Names as the programme prints them, e.g. Kim Min-jun (MOLIT), Somchai P. (BMA)."),
    )
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    languages = models.ManyToManyField(Language, related_name="+", verbose_name=_("languages"))
    open_to_all = models.BooleanField(
        _("open to all participants"),
        default=True,
        help_text=_("Shown on every participant's agenda and calendar; otherwise only on those taking part."),
    )
    participants = models.ManyToManyField(
        Registration,
        through="ProgrammeParticipant",
        related_name="programme_sessions",
        verbose_name=_("participants"),
    )
    # Raised by every change: a calendar replaces the session's earlier VEVENT by the higher SEQUENCE.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The new-session form's own id: the same form sent twice (a double click, two tabs) makes one session.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["starts_at", "room", "pk"]
        verbose_name = _("programme session")
        verbose_name_plural = _("programme sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="programme_session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["seminar", "ir_pitch", "key_buyer", "bilateral"]),
                name="programme_session_kind_valid",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at, zoneinfo.ZoneInfo(self.event.time_zone))
        return f"{local:%Y-%m-%d %H:%M} {self.title}"


class ProgrammeParticipant(models.Model):
    """A registration's part in a programme session: it speaks in it, or must attend it."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        ATTENDEE = "attendee", _("Must attend")

    session = models.ForeignKey(
        ProgrammeSession, on_delete=models.CASCADE, related_name="roles", verbose_name=_("session")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="programme_roles", verbose_name=_("participant")
    )
    role = models.CharField(_("part"), max_length=10, choices=Role)

    class Meta:
        ordering = ["session", "role", "pk"]
        verbose_name = _("programme participant")
        verbose_name_plural = _("programme participants")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="programme_participant_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["speaker", "attendee"]), name="programme_participant_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.registration} · {self.get_role_display()}"


class Arrival(models.Model):
    """A participant's arrival at the event on one of its days, recorded by staff at the door."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="arrivals", verbose_name=_("participant")
    )
    day = models.DateField(_("day"))  # the event's local day
    arrived_at = models.DateTimeField(_("arrived at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["arrived_at", "pk"]
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "day"], name="arrival_once_per_participant_and_day"
            ),
        ]

    def __str__(self):
        return f"{self.registration} · {self.arrived_at:%Y-%m-%d %H:%M}"
