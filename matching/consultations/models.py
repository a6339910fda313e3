"""Roadshow events and their 1:1 business consultations.

An event has time slots and tables; SMEs and buyers register for it; they
request meetings with each other; a meeting books one slot (and, in person,
one table); its outcome records what came of it. The database refuses a
participant, a table or an interpreter twice in one slot.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from matching.companies.models import LONG_TEXT, Company
from matching.demands.models import BuyerOrganisation
from matching.geo.models import City, Language, validate_time_zone
from portal.accounts.models import TradeCentre

# An event's days and deadline lie in these years: anything else is a typo (0001 for 2025), and at the
# edges of the calendar a slot's local time overflows when it is converted to UTC.
FIRST_EVENT_DAY, LAST_EVENT_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def validate_event_day(value):
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_EVENT_DAY <= day <= LAST_EVENT_DAY:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s."),
            params={"first": FIRST_EVENT_DAY.isoformat(), "last": LAST_EVENT_DAY.isoformat()},
            code="out_of_range",
        )


class Event(models.Model):
    """One roadshow stop, e.g. the Bangkok smart-city roadshow of 6–7 October 2022."""

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
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)


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
        ]

    def __str__(self):
        return str(self.company or self.buyer)

    @property
    def is_company(self):
        return self.company_id is not None


def pair_errors(pair, event_id):
    """Form errors when pair.sme is not a company's or pair.buyer not a buyer's registration of the event."""
    errors = {}
    sides = [
        ("sme", "company_id", _("Choose a Korean company's registration on this side.")),
        ("buyer", "buyer_id", _("Choose a buyer's registration on this side.")),
    ]
    for side, kind_field, wrong_kind in sides:
        if not getattr(pair, f"{side}_id"):
            continue
        registration = getattr(pair, side)
        if getattr(registration, kind_field) is None:
            errors[side] = wrong_kind
        elif event_id and registration.event_id != event_id:
            errors[side] = _("This registration belongs to another event.")
    return errors


class MeetingRequest(models.Model):
    class Priority(models.TextChoices):
        MUST_MEET = "must", _("Must meet")
        WOULD_LIKE = "would", _("Would like to meet")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meeting_requests", verbose_name=_("event")
    )
    sme = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Korean company"),
        limit_choices_to={"company__isnull": False},
    )
    buyer = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("buyer"),
        limit_choices_to={"buyer__isnull": False},
    )
    requested_by_sme = models.BooleanField(
        _("requested by the company"), help_text=_("Unticked: the buyer (or staff for the buyer) asked.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    priority = models.CharField(_("priority"), max_length=6, choices=Priority, default=Priority.WOULD_LIKE)
    session_preference = models.CharField(
        _("session"),
        max_length=2,
        choices=TimeSlot.Session,
        blank=True,
        help_text=_("Leave empty if morning and afternoon are both fine."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    message = models.TextField(_("message"), max_length=LONG_TEXT, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["event", "-created_at"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(
                fields=["sme", "buyer"],
                condition=Q(status__in=["pending", "accepted"]),
                name="meeting_request_one_open_per_pair",
                violation_error_message=_("These two already have an open meeting request."),
            ),
        ]

    def __str__(self):
        return f"{self.sme} ↔ {self.buyer}"

    def clean(self):
        """Both registrations belong to the request's event, one company and one buyer."""
        errors = pair_errors(self, self.event_id)
        if errors:
            raise ValidationError(errors)


# A cancelled meeting frees its slot, table and interpreter; every other status holds them.
ACTIVE_MEETING = ~Q(status="cancelled")


class Meeting(models.Model):
    """A booked 1:1 consultation between one SME and one buyer in one time slot."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    slot = models.ForeignKey(
        TimeSlot, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("slot")
    )
    sme = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="sme_meetings",
        verbose_name=_("Korean company"),
        limit_choices_to={"company__isnull": False},
    )
    buyer = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="buyer_meetings",
        verbose_name=_("buyer"),
        limit_choices_to={"buyer__isnull": False},
    )
    request = models.OneToOneField(
        MeetingRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting",
        verbose_name=_("request"),
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode, default=Mode.IN_PERSON)
    table = models.ForeignKey(
        Table,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("table"),
    )
    online_link = models.URLField(_("online meeting link"), blank=True)
    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("interpreter"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SCHEDULED)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Confirmed with both parties: the auto-scheduler keeps it.")
    )
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    # Raised by every change and the cancellation: the .ics SEQUENCE, so calendars take the newest file.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    class Meta:
        ordering = ["slot__starts_at", "table__name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "sme"],
                condition=ACTIVE_MEETING,
                name="meeting_sme_once_per_slot",
                violation_error_message=_("This company already has a meeting in this slot."),
            ),
            models.UniqueConstraint(
                fields=["slot", "buyer"],
                condition=ACTIVE_MEETING,
                name="meeting_buyer_once_per_slot",
                violation_error_message=_("This buyer already has a meeting in this slot."),
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=ACTIVE_MEETING & Q(table__isnull=False),
                name="meeting_table_once_per_slot",
                violation_error_message=_("This table is already taken in this slot."),
            ),
            models.UniqueConstraint(
                fields=["slot", "interpreter"],
                condition=ACTIVE_MEETING & Q(interpreter__isnull=False),
                name="meeting_interpreter_once_per_slot",
                violation_error_message=_("This interpreter is already busy in this slot."),
            ),
            models.UniqueConstraint(
                fields=["sme", "buyer"],
                condition=ACTIVE_MEETING,
                name="meeting_pair_once",
                violation_error_message=_("These two already have a meeting."),
            ),
            models.CheckConstraint(
                condition=Q(mode="online", table__isnull=True) | Q(mode="in_person", table__isnull=False),
                name="meeting_in_person_needs_table",
                violation_error_message=_("An in-person meeting needs a table; an online one has none."),
            ),
            models.CheckConstraint(
                condition=Q(mode="in_person") | ~Q(online_link=""),
                name="meeting_online_needs_link",
                violation_error_message=_("An online meeting needs its link."),
            ),
        ]

    def __str__(self):
        return f"{self.sme} ↔ {self.buyer} @ {self.slot}"

    @property
    def has_started(self):
        """Outcomes are recorded once a meeting has started (the agenda's button, the service's rule)."""
        return self.slot.starts_at <= timezone.now()

    def clean(self):
        """Everything a meeting uses belongs to its slot's event, and each side is the right kind."""
        event_id = self.slot.event_id if self.slot_id else None
        errors = pair_errors(self, event_id)
        for name in ["table", "interpreter"]:
            if event_id and getattr(self, f"{name}_id") and getattr(self, name).event_id != event_id:
                errors[name] = _("This belongs to another event than the slot.")
        if errors:
            raise ValidationError(errors)


class Reviewed(models.Model):
    """What admins review (outcomes, MOUs): who marked it reviewed and when (services.reviewed_mark)."""

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        abstract = True


class Outcome(Reviewed):
    """What came of a meeting, recorded on the day and followed up."""

    class Interest(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")
        NONE = "none", _("None")

    class NextStep(models.TextChoices):
        NONE = "none", _("No next step")
        SEND_QUOTATION = "quotation", _("Send quotation")
        SITE_VISIT = "site_visit", _("Site visit")
        PILOT_PROPOSAL = "pilot", _("Pilot proposal")
        MOU = "mou", _("MOU")

    class Side(models.TextChoices):
        SME = "sme", _("Korean company")
        BUYER = "buyer", _("Buyer")
        STAFF = "staff", _("KOTRA staff")

    class Attendance(models.TextChoices):
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("meeting")
    )
    side = models.CharField(
        _("recorded by side"),
        max_length=5,
        choices=Side,
        default=Side.STAFF,
        help_text=_("Each side keeps its own record of the meeting; the staff's is the official one."),
    )
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance, default=Attendance.HELD)
    interest = models.CharField(_("interest"), max_length=6, choices=Interest, default=Interest.MEDIUM)
    next_step = models.CharField(_("next step"), max_length=10, choices=NextStep, default=NextStep.NONE)
    estimated_value_usd = models.DecimalField(
        _("estimated value (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    mou_signed = models.BooleanField(_("MOU signed"), default=False)
    mou_signed_on = models.DateField(_("MOU signed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=LONG_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    # Every change (form, admin, admin action) leaves a row: who, when, the values before and after.
    history = HistoricalRecords(verbose_name=_("historical outcome"), excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value_usd__isnull=True) | Q(estimated_value_usd__gte=0),
                name="outcome_value_not_negative",
                violation_error_message=_("The estimated value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(mou_signed=False, mou_signed_on__isnull=True)
                | Q(mou_signed=True, mou_signed_on__isnull=False),
                name="outcome_mou_signed_has_date",
                violation_error_message=_("Give the date the MOU was signed (and only for a signed MOU)."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "side"],
                name="outcome_once_per_side",
                violation_error_message=_("This side has already recorded the outcome of this meeting."),
            ),
            models.CheckConstraint(
                condition=Q(side__in=["sme", "buyer", "staff"]),
                name="outcome_side_valid",
                violation_error_message=_("Unknown side."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} ({self.get_side_display()})"


class Mou(Reviewed):
    """A memorandum of understanding that came of the roadshow: who signed what, when, with the scan."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company–company technical cooperation")
        ASSOCIATION = "association", _("Association–association")

    class Status(models.TextChoices):
        NEGOTIATING = "negotiating", _("Under negotiation")
        SIGNED = "signed", _("Signed")
        ENDED = "ended", _("Ended")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind, default=Kind.COMPANY)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SIGNED)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="mous", verbose_name=_("event"))
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mous",
        verbose_name=_("meeting it came from"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="mous",
        verbose_name=_("Korean company"),
    )  # fmt: skip
    buyer = models.ForeignKey(
        BuyerOrganisation, on_delete=models.PROTECT, null=True, blank=True, related_name="mous",
        verbose_name=_("buyer"),
    )  # fmt: skip
    parties = models.CharField(
        _("parties"),
        max_length=300,
        blank=True,
        help_text=_("For an association–association MOU: the signing associations."),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    document = models.FileField(_("signed document (PDF)"), upload_to="mous/", blank=True)
    notes = models.TextField(_("notes"), max_length=LONG_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    history = HistoricalRecords(verbose_name=_("historical MOU"))

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("MOU")
        verbose_name_plural = _("MOUs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_on__isnull=False),
                name="mou_signed_has_date",
                violation_error_message=_("Give the date a signed MOU was signed."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="company") | Q(company__isnull=False, buyer__isnull=False),
                name="mou_company_kind_has_both_parties",
                violation_error_message=_("A company–company MOU names the Korean company and the buyer."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="association") | ~Q(parties=""),
                name="mou_association_kind_names_parties",
                violation_error_message=_("An association–association MOU names the signing associations."),
            ),
        ]

    def __str__(self):
        return self.title


class FollowUp(models.Model):
    """The portal asks the Korean company 1, 3 and 6 months after a held meeting whether the deal moved."""

    class Progress(models.TextChoices):
        MOVING = "moving", _("Moving forward (quotation, visit or pilot under way)")
        WON = "won", _("Contract or MOU signed")
        STALLED = "stalled", _("Stalled, still in contact")
        DROPPED = "dropped", _("Dropped")

    MONTHS = (1, 3, 6)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("meeting")
    )
    months = models.PositiveSmallIntegerField(_("months after the meeting"), choices=[(m, m) for m in MONTHS])
    due_on = models.DateField(_("due on"))
    token = models.CharField(_("link token"), max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("asked"), null=True, blank=True)
    progress = models.CharField(_("progress"), max_length=8, choices=Progress, blank=True)
    notes = models.TextField(_("notes"), max_length=LONG_TEXT, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("answered by"),
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    history = HistoricalRecords(verbose_name=_("historical follow-up"))

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "months"], name="follow_up_once_per_month_mark"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(progress=""),
                name="follow_up_answer_has_progress",
                violation_error_message=_("Say how the deal moved."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.months}"


class SchedulerRun(models.Model):
    """One run of the auto-scheduler on an event: its progress while it runs, its result after."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        OPTIMAL = "optimal", _("Optimal")
        FEASIBLE = "feasible", _("Best found in the time limit")
        INFEASIBLE = "infeasible", _("Impossible (locked meetings clash)")
        FAILED = "failed", _("Failed")

    # A run stops at its time limit (at most 600 s) plus the time to read and write the event; one still
    # "running" this long after it started lost its server (a restart, a deploy) and is marked failed.
    ABANDONED_AFTER = dt.timedelta(minutes=15)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="scheduler_runs", verbose_name=_("event")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=30)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RUNNING)
    requested = models.PositiveIntegerField(_("meetings to place"), default=0)
    placed = models.PositiveIntegerField(_("meetings placed"), default=0)
    total_breaks = models.PositiveIntegerField(_("breaks"), null=True, blank=True)
    proven_optimal = models.BooleanField(_("proven optimal"), default=False)
    # [{"sme": name, "buyer": name, "code": ..., "reason": ...}] for meetings left out.
    unplaced = models.JSONField(_("left out"), default=list, blank=True)
    # Same shape: meetings and requests staff changed while the run was solving, kept as staff left them.
    kept = models.JSONField(_("kept as changed during the run"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_seconds__range=(1, 600)),
                name="scheduler_run_time_limit_range",
                violation_error_message=_("The time limit is between 1 and 600 seconds."),
            ),
            # Several app servers share the database: one of them runs an event's scheduler at a time.
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status="running"),
                name="one_running_scheduler_run_per_event",
                violation_error_message=_("The scheduler is already running on this event."),
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.started_at:%Y-%m-%d %H:%M}"
