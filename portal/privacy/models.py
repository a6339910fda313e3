"""Consents to the handling of personal data under PIPA (Korea), PDPA (Thailand) and KVKK (Türkiye).

A member's consent of one kind stands in one `Consent` row (its present state); every grant and every
withdrawal is also appended as a `ConsentRecord`, never edited, that names the exact notice text shown
(`NoticeText`, stored once per distinct text and found again by its SHA-256).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Law(models.TextChoices):
    PIPA = "pipa", _("PIPA (Korea)")
    PDPA = "pdpa", _("PDPA (Thailand)")
    KVKK = "kvkk", _("KVKK (Türkiye)")
    GENERAL = "general", _("General notice")


# The law whose notice a member reads: the country of their organisation at sign-up.
COUNTRY_LAWS = {"KR": Law.PIPA, "TH": Law.PDPA, "TR": Law.KVKK}


# The username of an erased account starts with this (portal.privacy.erasure.pseudonym).
PSEUDONYM_PREFIX = "deleted-member-"


def law_for_country(iso_code):
    return COUNTRY_LAWS.get((iso_code or "").upper(), Law.GENERAL)


class ConsentKind(models.TextChoices):
    PROCESSING = "processing", _("Processing of personal data")
    TRANSFER = "transfer", _("Transfer abroad")
    MARKETING = "marketing", _("Marketing e-mails")


# Without these, no account: the portal exists to match organisations across borders.
REQUIRED_KINDS = (ConsentKind.PROCESSING, ConsentKind.TRANSFER)


class NoticeText(models.Model):
    """The words of one privacy notice exactly as a member read them, in their language; stored once."""

    law = models.CharField(_("law"), max_length=10, choices=Law)
    kind = models.CharField(_("consent"), max_length=12, choices=ConsentKind)
    version = models.CharField(_("version"), max_length=20)
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("text shown"))
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("first shown"), auto_now_add=True)

    class Meta:
        ordering = ["law", "kind", "-version", "language"]
        verbose_name = _("privacy notice text")
        verbose_name_plural = _("privacy notice texts")
        constraints = [
            models.CheckConstraint(condition=Q(law__in=Law.values), name="notice_law_valid"),
            models.CheckConstraint(condition=Q(kind__in=ConsentKind.values), name="notice_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_law_display()} · {self.get_kind_display()} · v{self.version} · {self.language}"


class Consent(models.Model):
    """A member's consent of one kind as it stands now; `records` hold every change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="privacy_consents",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("consent"), max_length=12, choices=ConsentKind)
    law = models.CharField(_("law"), max_length=10, choices=Law)
    granted = models.BooleanField(_("given"))
    notice = models.ForeignKey(
        NoticeText, on_delete=models.PROTECT, related_name="+", verbose_name=_("notice shown last")
    )
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["user_id", "kind"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="consent_one_per_member_and_kind"),
            models.CheckConstraint(condition=Q(law__in=Law.values), name="consent_law_valid"),
            models.CheckConstraint(condition=Q(kind__in=ConsentKind.values), name="consent_kind_valid"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"


class ConsentRecord(models.Model):
    """One grant or withdrawal, appended by portal.privacy.services and never changed."""

    class Source(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        INVITATION = "invitation", _("Invitation accepted")
        PRIVACY_PAGE = "page", _("Privacy page")

    consent = models.ForeignKey(
        Consent, on_delete=models.CASCADE, related_name="records", verbose_name=_("consent")
    )
    granted = models.BooleanField(_("given"), help_text=_("Given, or withdrawn."))
    law = models.CharField(_("law"), max_length=10, choices=Law)
    notice = models.ForeignKey(
        NoticeText, on_delete=models.PROTECT, related_name="records", verbose_name=_("notice shown")
    )
    source = models.CharField(_("where"), max_length=10, choices=Source)
    recorded_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        constraints = [
            models.CheckConstraint(condition=Q(law__in=Law.values), name="consent_record_law_valid"),
            models.CheckConstraint(
                condition=Q(source__in=["signup", "invitation", "page"]), name="consent_record_source_valid"
            ),
            # A sign-up or an invitation only ever gives consents; withdrawing happens on the privacy page.
            models.CheckConstraint(
                condition=Q(granted=True) | Q(source="page"), name="consent_record_withdrawn_on_the_page"
            ),
        ]

    def __str__(self):
        change = _("given") if self.granted else _("withdrawn")
        return f"{self.consent} · {change} · {self.recorded_at:%Y-%m-%d}"


class DeletionRequest(models.Model):
    """A member's request to have their account erased, or an erasure for inactivity (retention).

    One open request per member (a database constraint). An admin carries it out before its deadline
    through portal.privacy.erasure.deletion_request_carry_out; the erased account stays as a pseudonym so
    that meetings, outcomes and MOUs keep their counterpart. Until then the member may withdraw it.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Carried out")
        WITHDRAWN = "withdrawn", _("Withdrawn by the member")

    class Source(models.TextChoices):
        MEMBER = "member", _("Asked by the member")
        RETENTION = "retention", _("Inactive account (retention)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deletion_requests",
        verbose_name=_("member"),
    )
    source = models.CharField(_("why"), max_length=10, choices=Source, default=Source.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    requested_at = models.DateTimeField(_("asked"))
    deadline = models.DateTimeField(_("deadline"))
    carried_out_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried out by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    history = HistoricalRecords(verbose_name=_("historical deletion request"))

    class Meta:
        ordering = ["state", "deadline", "pk"]
        verbose_name = _("account deletion request")
        verbose_name_plural = _("account deletion requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(state="open"), name="deletion_request_one_open_per_member"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "done", "withdrawn"]), name="deletion_request_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["member", "retention"]), name="deletion_request_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="open", carried_out_at__isnull=True, withdrawn_at__isnull=True)
                | Q(state="done", carried_out_at__isnull=False, withdrawn_at__isnull=True)
                | Q(state="withdrawn", carried_out_at__isnull=True, withdrawn_at__isnull=False),
                name="deletion_request_closed_has_a_time",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("requested_at")), name="deletion_request_deadline_after"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_state_display()} · {self.deadline:%Y-%m-%d}"

    @property
    def overdue(self):
        from django.utils import timezone

        return self.state == self.State.OPEN and self.deadline < timezone.now()
