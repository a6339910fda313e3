"""E-mails of accounts that carry a secret link (password reset, invitation), rendered by the worker.

The task's message names ids only: the link's token is made (reset) or read from the database
(invitation) by the worker as it sends, so no secret waits in the broker's queue or its logs.
"""

from celery import shared_task
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.accounts.models import Invitation, User
from portal.common.enqueue import EMAIL_RETRIES
from portal.common.notifications import written_for

RESET_SUBJECT_TEMPLATE = "accounts/email/password_reset_subject.txt"
RESET_BODY_TEMPLATE = "accounts/email/password_reset.txt"
INVITATION_BODY_TEMPLATE = "accounts/email/invitation.txt"


@shared_task(**EMAIL_RETRIES)
def password_reset_email(user_id, domain, site_name, use_https):
    """E-mail `user_id` a link to choose a new password, in their language. Sends nothing (returns 0)
    when the account was closed or lost its address meanwhile."""
    user = (
        User.objects.filter(pk=user_id, is_active=True)
        .exclude(email="")
        .select_related("buyer_organisation__city__country")
        .first()
    )
    if user is None:
        return 0
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": site_name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    with written_for(user):
        subject = "".join(render_to_string(RESET_SUBJECT_TEMPLATE, context).splitlines())
        body = render_to_string(RESET_BODY_TEMPLATE, context)
    return send_mail(subject, body, None, [user.email])


@shared_task(**EMAIL_RETRIES)
def invitation_email(invitation_id, accept_url_base, language):
    """E-mail an invitation its link, in `language` (the inviter's page's). Sends nothing (returns 0)
    when the invitation was accepted meanwhile."""
    invitation = (
        Invitation.objects.filter(pk=invitation_id, accepted_by__isnull=True)
        .select_related("company", "buyer_organisation", "invited_by")
        .first()
    )
    if invitation is None:
        return 0
    link = accept_url_base + reverse("accounts:invitation_accept", args=[invitation.token])
    context = {"invitation": invitation, "organisation": invitation.organisation, "link": link}
    with translation.override(language):
        subject = translation.gettext("Invitation to the K-Smart City export portal")
        body = render_to_string(INVITATION_BODY_TEMPLATE, context)
    return send_mail(subject, body, None, [invitation.email])
