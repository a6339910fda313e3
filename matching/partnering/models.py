"""Partner requests between a Korean company and a buyer, with or without a roadshow, and their conversation.

Either side asks the other for a meeting (in person at an upcoming roadshow, or online), shows interest or
asks a question; the other side accepts or declines with a reason; the asker may withdraw while it waits.
Every request opens (or joins) the one conversation of the two organisations, where their members write
to each other. The database keeps one waiting request of a kind per pair and one conversation per pair.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Company
from matching.consultations.events.models import Event
from matching.demands.models import BuyerOrganisation, Demand

MESSAGE_MAX_LENGTH = 4000  # characters of one message or request note: a page of text
MAX_PROPOSED_TIMES = 3


class PartnerRequest(models.Model):
    class Kind(models.TextChoices):
        MEETING_IN_PERSON = "in_person", _("Meeting in person at a roadshow")
        MEETING_ONLINE = "online", _("Online meeting")
        INTEREST = "interest", _("Expression of interest")
        QUESTION = "question", _("Question")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class DeclineReason(models.TextChoices):
        NOT_RELEVANT = "not_relevant", _("Not relevant to our needs")
        NOT_NOW = "not_now", _("Not the right time")
        NO_BUDGET = "no_budget", _("No budget for this")
        HAVE_PARTNER = "have_partner", _("We already work with someone for this")
        OTHER = "other", _("Another reason")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="partner_requests", verbose_name=_("Korean company")
    )
    buyer = models.ForeignKey(
        BuyerOrganisation, on_delete=models.CASCADE, related_name="partner_requests", verbose_name=_("buyer")
    )
    from_company = models.BooleanField(
        _("asked by the company"), help_text=_("Unticked: the buyer asked the company.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    kind = models.CharField(_("what is asked"), max_length=10, choices=Kind)
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    demand = models.ForeignKey(
        Demand,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_requests",
        verbose_name=_("about the listing"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_requests",
        verbose_name=_("roadshow"),
    )
    video_link = models.URLField(_("video call link"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    decline_reason = models.CharField(_("reason"), max_length=12, choices=DeclineReason, blank=True)
    decline_note = models.TextField(_("note"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    agreed_start = models.DateTimeField(_("agreed time"), null=True, blank=True)
    time_revision = models.PositiveSmallIntegerField(
        _("time revision"), default=0, help_text=_("Raised by each move: the calendar file's SEQUENCE.")
    )
    move_asked_by_company = models.BooleanField(
        _("new time asked by the company"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: no new time is asked. Otherwise the side that proposed new times; the other picks."
        ),
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner request")
        verbose_name_plural = _("partner requests")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "buyer", "kind"],
                condition=Q(status="pending"),
                name="partner_request_one_waiting_per_pair_and_kind",
                violation_error_message=_(
                    "The same request between these two is already waiting for an answer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="in_person", event__isnull=False)
                | (~Q(kind="in_person") & Q(event__isnull=True)),
                name="partner_request_roadshow_only_in_person",
                violation_error_message=_("A meeting in person names its roadshow; nothing else does."),
            ),
            models.CheckConstraint(
                condition=Q(kind="online") | Q(video_link="", agreed_start__isnull=True),
                name="partner_request_call_only_online",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="partner_request_declined_with_reason",
                violation_error_message=_("Choose a reason for declining."),
            ),
            models.CheckConstraint(
                condition=Q(agreed_start__isnull=True) | Q(status="accepted"),
                name="partner_request_time_agreed_only_when_accepted",
            ),
            models.CheckConstraint(
                condition=Q(move_asked_by_company__isnull=True) | Q(agreed_start__isnull=False),
                name="partner_request_move_only_of_an_agreed_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.company} ↔ {self.buyer}"

    @property
    def is_meeting(self):
        return self.kind in (self.Kind.MEETING_IN_PERSON, self.Kind.MEETING_ONLINE)


class ProposedTime(models.Model):
    """One of up to three times the asker proposes for an online meeting; the other side picks one."""

    request = models.ForeignKey(
        PartnerRequest, on_delete=models.CASCADE, related_name="proposed_times", verbose_name=_("request")
    )
    starts_at = models.DateTimeField(_("starts"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("proposed time")
        verbose_name_plural = _("proposed times")
        constraints = [
            models.UniqueConstraint(fields=["request", "starts_at"], name="proposed_time_once_per_request")
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"


class Conversation(models.Model):
    """The one conversation between a company and a buyer, opened by their first request."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("Korean company")
    )
    buyer = models.ForeignKey(
        BuyerOrganisation, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("buyer")
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)

    class Meta:
        ordering = [models.F("last_message_at").desc(nulls_last=True), "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["company", "buyer"], name="conversation_one_per_pair"),
        ]

    def __str__(self):
        return f"{self.company} ↔ {self.buyer}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", verbose_name=_("conversation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    from_company = models.BooleanField(_("written by the company's side"))
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="message_not_empty"),
        ]

    def __str__(self):
        return self.body[:60]


class ConversationRead(models.Model):
    """Until when a user has read a conversation: what came after is unread."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_until = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conversation_read_once_per_user"),
        ]

    def __str__(self):
        return f"{self.user} read {self.conversation} until {self.read_until:%Y-%m-%d %H:%M}"
