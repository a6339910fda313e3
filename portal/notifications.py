"""E-mail to the members of an organisation, through Django's e-mail backend."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def members_notify(*, members, subject, template, context):
    """E-mail every active member with an address; the body is a rendered text template.

    Returns the number of messages sent (0 when nobody has an address).
    """
    recipients = [member.email for member in members if member.is_active and member.email]
    if not recipients:
        return 0
    body = render_to_string(template, context)
    return send_mail(str(subject), body, settings.DEFAULT_FROM_EMAIL, recipients)
