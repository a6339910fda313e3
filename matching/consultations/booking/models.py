"""Meeting requests, meetings and scheduler runs of an event.

SMEs and buyers request meetings with each other; a meeting books one slot (and, in person, one
table). The database refuses a participant, a table or an interpreter twice in one slot."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.consultations.events.models import Event, Interpreter, Registration, Table, TimeSlot
from matching.kernel.models import LONG_TEXT, Role


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


class MeetingRequestQuerySet(models.QuerySet):
    def with_on_behalf(self):
        """Joined with what `on_behalf_centre` reads, so a list of requests costs no query per row."""
        return self.select_related("requested_by", "event__organising_centre")


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

    objects = MeetingRequestQuerySet.as_manager()

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

    @property
    def on_behalf_centre(self):
        """The KOTRA centre that asked for this meeting on the participants' behalf, or None when one of
        them asked. Pages and e-mails then say "Requested for you by KOTRA Bangkok" rather than let it
        look like the other side's own request. Staff (and admins) of the event ask for its organising
        centre. Use MeetingRequest.objects.with_on_behalf() for lists."""
        asker = self.requested_by
        if asker is None or asker.role not in (Role.CENTRE_STAFF, Role.ADMIN):
            return None
        return self.event.organising_centre

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
    cancellation_reason = models.TextField(_("reason for cancelling"), max_length=1000, blank=True)
    # Booked on the day from the live board for a pair who had both checked in: the report and the board
    # tell these from the planned ones.
    walk_in = models.BooleanField(
        _("walk-in"), default=False, help_text=_("Booked on the day for two participants who had checked in.")
    )
    # Set when the staff at its table scan a participant's code (booking.meeting_starts): the board shows
    # the meeting running from then on, and held once its slot is over.
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)

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
        """Short, for admin lists and messages: "T3 · 14:00 · Hanbit Smart Parking – Khon Kaen City" (where,
        the start in the event's time, the two sides). Lists select slot__event, table, sme__company and
        buyer__buyer with it."""
        where = self.table.name if self.table_id else self.Mode.ONLINE.label
        start = timezone.localtime(self.slot.starts_at, self.slot.event.zone)
        return f"{where} · {start:%H:%M} · {self.sme} – {self.buyer}"

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


CHANGE_NOTE_MAX_LENGTH = 1000  # characters of a change request's note or of staff's answer
PREFERRED_TIME_MAX_LENGTH = 200


class MeetingChangeRequest(models.Model):
    """A participant asks the organising centre to reschedule or cancel a booked roadshow meeting.

    Staff approve (moving the meeting to the slot they choose, or cancelling it) or refuse; the asker
    may withdraw while it waits. The database keeps one waiting request per meeting.
    """

    class Kind(models.TextChoices):
        RESCHEDULE = "reschedule", _("Reschedule")
        CANCEL = "cancel", _("Cancel")

    class Reason(models.TextChoices):
        CLASH = "clash", _("Another appointment at that time")
        TRAVEL = "travel", _("Travel plans changed")
        ATTENDEE = "attendee", _("The person meeting them cannot come")
        NOT_RELEVANT = "not_relevant", _("The meeting is no longer relevant")
        OTHER = "other", _("Another reason")

    class Side(models.TextChoices):
        SME = "sme", _("Korean company")
        BUYER = "buyer", _("Buyer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for KOTRA")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("meeting")
    )
    kind = models.CharField(_("what is asked"), max_length=10, choices=Kind)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason)
    note = models.TextField(_("note"), max_length=CHANGE_NOTE_MAX_LENGTH, blank=True)
    preferred_time = models.CharField(
        _("preferred time"),
        max_length=PREFERRED_TIME_MAX_LENGTH,
        blank=True,
        help_text=_("For a new time: when would suit you, e.g. the afternoon of the second day."),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    asking_side = models.CharField(_("asked by the side of"), max_length=5, choices=Side)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    answer_note = models.TextField(_("KOTRA's answer"), max_length=CHANGE_NOTE_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered or withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meeting change request")
        verbose_name_plural = _("meeting change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status="pending"),
                name="meeting_change_request_one_pending_per_meeting",
                violation_error_message=_("A change of this meeting is already waiting for KOTRA's answer."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["reschedule", "cancel"])
                & Q(reason__in=["clash", "travel", "attendee", "not_relevant", "other"])
                & Q(asking_side__in=["sme", "buyer"])
                & Q(status__in=["pending", "approved", "refused", "withdrawn"]),
                name="meeting_change_request_known_values",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", answered_at__isnull=True)
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="meeting_change_request_answered_when_closed",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.meeting}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class SchedulerRun(models.Model):
    """One run of the auto-scheduler on an event: its progress while it runs, its result after."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        OPTIMAL = "optimal", _("Optimal")
        FEASIBLE = "feasible", _("Best found in the time limit")
        INFEASIBLE = "infeasible", _("Impossible (locked meetings clash)")
        FAILED = "failed", _("Failed")

    # A run stops at its time limit (at most 600 s) plus the time to read and write the event; one still
    # "running" this long after a worker took it lost its server (a restart, a deploy) and is marked failed.
    ABANDONED_AFTER = dt.timedelta(minutes=15)
    # Runs wait in their queue for the scheduler's worker, one run at a time (portal/celery.py); one that
    # no worker has taken this long after staff started it is marked failed too.
    NEVER_TAKEN_AFTER = dt.timedelta(hours=2)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="scheduler_runs", verbose_name=_("event")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    # When a worker took it (again, when a second worker took over from one that died); None while queued.
    taken_at = models.DateTimeField(_("taken by a worker"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=30)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RUNNING)
    requested = models.PositiveIntegerField(_("meetings to place"), default=0)
    placed = models.PositiveIntegerField(_("meetings placed"), default=0)
    total_breaks = models.PositiveIntegerField(_("breaks"), null=True, blank=True)
    proven_optimal = models.BooleanField(_("proven optimal"), default=False)
    # Proven while the run goes and at its end: no schedule placing as much has fewer breaks.
    breaks_lower_bound = models.PositiveIntegerField(_("fewest breaks possible"), null=True, blank=True)
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

    @property
    def is_queued(self) -> bool:
        """Running, but no worker has taken it yet: it waits behind other runs and has read nothing."""
        return self.status == self.Status.RUNNING and self.taken_at is None


class MeetingReminder(models.Model):
    """A reminder of a meeting owed to, or e-mailed to, one address: what that person was last told.

    The day before (one e-mail per person and event day, listing that day's meetings: a row per meeting)
    and 30 minutes before each meeting. A beat task claims the rows that fall due; the unique constraint
    makes two runs at once (or a retried task) claim each reminder once. `sequence` and `described` are
    the meeting's revision and details as the last reminder or correction told them: when the meeting
    changes after that, the recipient gets a correction (booking.reminders).
    """

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", _("The day before")
        SOON = "soon", _("30 minutes before")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("meeting")
    )
    kind = models.CharField(_("reminder"), max_length=10, choices=Kind)
    email = models.EmailField(_("sent to"))
    # The member it goes to, or the meeting's interpreter (who has no account): whose language, time zone
    # and choice apply. Kept (empty) if either goes, until the meeting's row goes.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_reminders_received",
        verbose_name=_("member"),
    )
    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interpreter"),
    )
    claim = models.UUIDField(_("claimed by run"), db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    # The revision a reminder or correction is under way for: a second run does not claim it again.
    claimed_sequence = models.PositiveIntegerField(_("revision claimed"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("revision told"), null=True, blank=True)
    described = models.JSONField(_("details told"), default=dict, blank=True)
    corrected_at = models.DateTimeField(_("last corrected"), null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at", "pk"]
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "email"], name="meeting_reminder_once_per_address"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["day_before", "soon"]), name="meeting_reminder_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(interpreter__isnull=True),
                name="meeting_reminder_member_or_interpreter",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(sequence__isnull=False),
                name="meeting_reminder_sent_with_revision",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.meeting_id} → {self.email}"
