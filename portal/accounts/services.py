"""Writes on accounts: sign-up of an SME or a buyer with its organisation, invitations, notices.

Every function sends its e-mails through Django's e-mail backend (the console by default).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from matching.companies.models import Company
from matching.companies.services import company_search_refresh
from matching.demands.models import BuyerOrganisation

from .models import Invitation, Role, User


def _user_create(*, username, email, password, first_name, last_name, **organisation):
    user = User(username=username, email=email, first_name=first_name, last_name=last_name, **organisation)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def sme_signup(*, account, company_fields) -> User:
    """Create a Korean company (pending review) and its first member.

    `account`: username, email, password, first_name, last_name; `company_fields`: Company fields.
    Side effects: none beyond the two rows; admins review pending companies in the approval queue.
    """
    company = Company(**company_fields)
    company.full_clean()
    company.save()
    company_search_refresh(company=company)
    return _user_create(**account, role=Role.SME_MEMBER, company=company)


@transaction.atomic
def buyer_signup(*, account, buyer_fields) -> User:
    """Create a buyer organisation (pending review) and its first member. Side effects: none more."""
    buyer = BuyerOrganisation(**buyer_fields)
    buyer.full_clean()
    buyer.save()
    return _user_create(**account, role=Role.BUYER_MEMBER, buyer_organisation=buyer)


@transaction.atomic
def invitation_send(*, invited_by: User, email: str, accept_url_base: str) -> Invitation:
    """Invite a colleague to the inviter's organisation. Side effects: one e-mail with the link."""
    invitation = Invitation.objects.create(invited_by=invited_by, email=email)
    link = accept_url_base + reverse("accounts:invitation_accept", args=[invitation.token])
    context = {"invitation": invitation, "organisation": invited_by.organisation, "link": link}
    body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(
        str(translation.gettext("Invitation to the K-Smart City export portal")),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, account) -> User:
    """Create the invited colleague's account in the inviter's organisation, with the inviter's role."""
    inviter = invitation.invited_by
    user = _user_create(
        **account,
        role=inviter.role,
        company=inviter.company,
        buyer_organisation=inviter.buyer_organisation,
        trade_centre=inviter.trade_centre,
    )
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_by"])
    return user
