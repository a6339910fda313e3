"""What came of the meetings: outcomes per side, MOUs, follow-ups, and their review."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from matching.companies.models import Company
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Event
from matching.demands.models import BuyerOrganisation
from matching.kernel.models import LONG_TEXT


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
