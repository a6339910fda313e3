"""Users, the organisation each belongs to, and the KOTRA trade centres that run events.

A user's role says which kind of organisation they act for: an SME member
belongs to a Korean company, a buyer member to a buyer organisation, centre
staff to one KOTRA trade centre; admins belong to none. The database refuses
any other combination.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.geo.models import validate_time_zone
from matching.kernel.models import Role, TradeCentre
from portal.privacy.models import PSEUDONYM_PREFIX

INVITATION_LIFETIME = datetime.timedelta(days=14)


def language_choices():
    """The interface languages (settings.LANGUAGES), read when a form or check asks."""
    return settings.LANGUAGES


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=10, choices=Role)
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("company"),
    )
    buyer_organisation = models.ForeignKey(
        "demands.BuyerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("buyer organisation"),
    )
    trade_centre = models.ForeignKey(
        TradeCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("trade centre"),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Seoul",
        validators=[validate_time_zone],
        help_text=_("Agendas show meeting times in this zone beside the event's."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=language_choices,
        help_text=_("Pages and e-mails in this language. Empty: the language of your browser."),
    )
    buddhist_era = models.BooleanField(
        _("Buddhist-era years on Thai pages"),
        default=True,
        help_text=_("On pages in Thai, years are shown in the Buddhist era (2569 rather than 2026)."),
    )
    meeting_reminders = models.BooleanField(
        _("Meeting reminders by e-mail"),
        default=True,
        help_text=_(
            "The evening before each event day, an e-mail with that day's meetings and a calendar file; "
            "30 minutes before each meeting, one with its table, interpreter and who you meet. "
            "E-mails about bookings, changes and cancellations come either way."
        ),
    )
    matches_seen_at = models.DateTimeField(
        _("matches last seen"),
        null=True,
        blank=True,
        help_text=_("When the member last opened their own page: matches that came later are marked new."),
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role=Role.SME_MEMBER,
                        company__isnull=False,
                        buyer_organisation__isnull=True,
                        trade_centre__isnull=True,
                    )
                    | Q(
                        role=Role.BUYER_MEMBER,
                        company__isnull=True,
                        buyer_organisation__isnull=False,
                        trade_centre__isnull=True,
                    )
                    | Q(
                        role=Role.CENTRE_STAFF,
                        company__isnull=True,
                        buyer_organisation__isnull=True,
                        trade_centre__isnull=False,
                    )
                    | Q(
                        role=Role.ADMIN,
                        company__isnull=True,
                        buyer_organisation__isnull=True,
                        trade_centre__isnull=True,
                    )
                ),
                name="user_role_matches_organisation",
                violation_error_message=_(
                    "An SME member needs a company, a buyer member a buyer organisation, "
                    "centre staff a trade centre, and an administrator none of them."
                ),
            ),
        ]

    @property
    def organisation(self):
        """The company, buyer organisation or trade centre this user acts for (None for admins)."""
        return self.company or self.buyer_organisation or self.trade_centre

    @property
    def erased(self):
        """Whether the member's personal fields were erased on their request or by the retention job
        (an erased account is inactive: an active one that chose such a username keeps its own name)."""
        return not self.is_active and self.username.startswith(PSEUDONYM_PREFIX)

    def get_full_name(self):
        """The name pages and e-mails show; an erased member's reads "Deleted member" in the reader's
        language."""
        if self.erased:
            return str(_("Deleted member"))
        return super().get_full_name()


def new_invitation_token():
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + INVITATION_LIFETIME


class Invitation(models.Model):
    """A member's invitation for a colleague to join the same organisation with the same role.

    The organisation is recorded when the invitation is sent: it is accepted only while the inviter is
    still an active member of that organisation (accounts.services.invitation_accept).
    """

    invited_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations_sent", verbose_name=_("invited by")
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
    )
    buyer_organisation = models.ForeignKey(
        "demands.BuyerOrganisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer organisation"),
    )
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=invitation_expiry)
    accepted_by = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=True) | Q(buyer_organisation__isnull=True),
                name="invitation_for_one_organisation",
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def organisation(self):
        """The company or buyer organisation the colleague was invited to."""
        return self.company or self.buyer_organisation

    @property
    def is_usable(self):
        return self.accepted_by_id is None and self.expires_at > timezone.now()
