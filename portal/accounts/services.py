"""Writes on accounts: sign-up of an SME or a buyer with its organisation, invitations, notices.

Every function sends its e-mails through Django's e-mail backend (the console by default).
"""

import datetime as dt
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Company
from matching.companies.services import company_search_refresh
from matching.demands.models import BuyerOrganisation
from matching.kernel import permissions
from matching.kernel.models import Role
from portal.accounts import tasks
from portal.accounts.models import Invitation, User
from portal.common.enqueue import after_commit
from portal.privacy.models import ConsentRecord, law_for_country
from portal.privacy.services import consents_give

INVITATION_USED = _("This invitation was already used or has expired. Ask your colleague to send a new one.")
INVITATION_NO_LONGER_VALID = _(
    "This invitation is no longer valid. Ask a member of the organisation to send you a new one."
)
# Only when a clash the database refused cannot be named (it never should); says nothing of what exists.
REGISTRATION_REFUSED = _("This could not be registered. Please check the form and submit it again.")


class InvitationUnusable(ValidationError):
    """The invitation cannot be accepted: used, expired, or its inviter is no longer a member."""


@contextmanager
def _refused_as_the_forms_would(*instances):
    """Insert these new rows inside the block, in a savepoint.

    A parallel request (a double submit) can commit the same username or organisation after this
    request's checks passed; the database then refuses the INSERT. That refusal becomes the
    ValidationError the checks give now, the same message a later submit gets, never an
    IntegrityError (a 500).
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        errors = {}
        for instance in instances:
            # Only the rules on other rows: a user's own constraint needs an organisation rolled back here.
            checks = [instance.validate_unique]
            if not isinstance(instance, User):
                checks.append(instance.validate_constraints)
            for check in checks:
                try:
                    check()
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
        raise ValidationError(errors or {NON_FIELD_ERRORS: [REGISTRATION_REFUSED]}) from None


def _user(*, username, email, password, first_name, last_name, **organisation):
    user = User(username=username, email=email, first_name=first_name, last_name=last_name, **organisation)
    user.set_password(password)
    return user


def _user_create(**fields):
    user = _user(**fields)
    user.full_clean(exclude=["password"])
    with _refused_as_the_forms_would(user):
        user.save()
    return user


def _signup(*, organisation, link, account, role, after_save=None):
    """Create the organisation and its first member; either both or, with a clash, neither."""
    organisation.full_clean()
    user = _user(**account, role=role)
    with _refused_as_the_forms_would(organisation, user):
        organisation.save()
        if after_save is not None:
            after_save()
        setattr(user, link, organisation)
        user.full_clean(exclude=["password"])
        user.save()
    return user


def signup_law(*, country_code):
    """The law whose privacy notices a new member reads: that of their organisation's country."""
    return law_for_country(country_code)


@transaction.atomic
def sme_signup(*, account, company_fields, consents) -> User:
    """Create a Korean company (pending review) and its first member, with the consents they gave.

    `account`: username, email, password, first_name, last_name; `company_fields`: Company fields;
    `consents`: the kinds ticked under the Korean (PIPA) notices. Raises ValidationError, keyed by field,
    when the username or the business registration number was registered meanwhile (a double submit).
    Side effects: the consents and their records (portal.privacy); admins review pending companies in
    the approval queue.
    """
    company = Company(**company_fields)
    user = _signup(
        organisation=company,
        link="company",
        account=account,
        role=Role.SME_MEMBER,
        after_save=lambda: company_search_refresh(company=company),
    )
    consents_give(
        user=user, law=signup_law(country_code="KR"), kinds=consents, source=ConsentRecord.Source.SIGNUP
    )
    return user


@transaction.atomic
def buyer_signup(*, account, buyer_fields, consents) -> User:
    """Create a buyer organisation (pending review) and its first member, with the consents they gave
    under the notices of the buyer's country.

    Raises ValidationError, keyed by field, when the username or the buyer's name in its city was
    registered meanwhile (a double submit). Side effects: the consents and their records.
    """
    buyer = BuyerOrganisation(**buyer_fields)
    user = _signup(organisation=buyer, link="buyer_organisation", account=account, role=Role.BUYER_MEMBER)
    law = signup_law(country_code=buyer.city.country.iso_code)
    consents_give(user=user, law=law, kinds=consents, source=ConsentRecord.Source.SIGNUP)
    return user


# A second invitation to the same address within this time is the first one sent twice (a double click).
INVITATION_RESEND_AFTER = dt.timedelta(minutes=2)


@transaction.atomic
def invitation_send(*, invited_by: User, email: str, accept_url_base: str) -> Invitation:
    """Invite a colleague to the inviter's organisation, recorded with the invitation.

    Locks the organisation's row, so that the same invitation sent twice at once (a double click, two
    tabs) makes one: an open invitation to the same address made within INVITATION_RESEND_AFTER is
    returned as it is, with no second e-mail. Later, sending again is a new invitation (the first e-mail
    was lost). Side effects: one e-mail with the link.
    """
    organisation = invited_by.company or invited_by.buyer_organisation
    type(organisation).objects.select_for_update().get(pk=organisation.pk)
    link = {"company": invited_by.company, "buyer_organisation": invited_by.buyer_organisation}
    just_sent = (
        Invitation.objects.filter(
            **link,
            email__iexact=email,
            accepted_by__isnull=True,
            created_at__gte=timezone.now() - INVITATION_RESEND_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    if just_sent is not None:
        return just_sent
    invitation = Invitation.objects.create(invited_by=invited_by, email=email, **link)
    after_commit(tasks.invitation_email, invitation.pk, accept_url_base, translation.get_language())
    return invitation


def _inviter_still_member(invitation, inviter):
    if not inviter.is_active:
        return False
    if invitation.company_id is not None:
        return permissions.is_sme_member(inviter) and inviter.company_id == invitation.company_id
    if invitation.buyer_organisation_id is not None:
        return (
            permissions.is_buyer_member(inviter)
            and inviter.buyer_organisation_id == invitation.buyer_organisation_id
        )
    return False


def invitation_refusal(*, invitation: Invitation, inviter: User | None = None):
    """Why the invitation cannot be accepted now (a message), or None if it can.

    It is used up once accepted, ends with its 14 days, and dies with its inviter's membership: the
    inviter must still be an active member, with the same role, of the organisation it was sent for.
    """
    if not invitation.is_usable:
        return INVITATION_USED
    if not _inviter_still_member(invitation, inviter or invitation.invited_by):
        return INVITATION_NO_LONGER_VALID
    return None


def invitation_law(invitation):
    """The law whose privacy notices an invited colleague reads: that of the organisation's country."""
    if invitation.buyer_organisation_id is not None:
        return signup_law(country_code=invitation.buyer_organisation.city.country.iso_code)
    return signup_law(country_code="KR")


@transaction.atomic
def invitation_accept(*, invitation: Invitation, account, consents) -> User:
    """Create the invited colleague's account in the organisation the invitation was sent for.

    Locks the invitation, then its inviter (always in that order), and checks both again: of parallel
    acceptances one creates an account, the others wait and are refused; an inviter deactivated or moved
    meanwhile is seen. Raises InvitationUnusable when it cannot be accepted, ValidationError (by field)
    when the username was taken meanwhile. Side effects: the user, the invitation marked accepted, the
    consents given (`consents`, under the notices of the organisation's country) and their records.
    """
    invitation = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    inviter = None
    if invitation is not None:
        inviter = User.objects.select_for_update().filter(pk=invitation.invited_by_id).first()
    if invitation is None or inviter is None:
        raise InvitationUnusable(INVITATION_NO_LONGER_VALID, code="no_longer_valid")
    refusal = invitation_refusal(invitation=invitation, inviter=inviter)
    if refusal is not None:
        raise InvitationUnusable(refusal, code="unusable")
    user = _user_create(
        **account,
        role=inviter.role,
        company=invitation.company,
        buyer_organisation=invitation.buyer_organisation,
    )
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_by"])
    consents_give(
        user=user, law=invitation_law(invitation), kinds=consents, source=ConsentRecord.Source.INVITATION
    )
    return user


def user_preferences_save(*, user, language, time_zone, buddhist_era, meeting_reminders) -> User:
    """Save a user's own settings. No e-mail; the next page is in the chosen language. Reminders turned
    off stop at once: the reminder task checks the choice again when it sends."""
    user.language, user.time_zone, user.buddhist_era = language, time_zone, buddhist_era
    user.meeting_reminders = meeting_reminders
    user.save(update_fields=["language", "time_zone", "buddhist_era", "meeting_reminders"])
    return user
