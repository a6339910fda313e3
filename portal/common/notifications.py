"""E-mail to people and to the members of an organisation, sent by the task queue after the commit.

Each person reads the e-mail in their own language (`language_of`), whoever's action sent it."""

import contextlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from portal.common import dates, tasks
from portal.common.enqueue import after_commit

# The language of people who chose none: a Korean company's members and KOTRA staff read Korean, a
# buyer the language of its country, anyone else the portal's default (English).
LANGUAGE_BY_COUNTRY = {"KR": "ko", "TH": "th", "TR": "tr"}


def language_of(user):
    """The language the portal writes to `user` in: the one they chose, else their organisation's."""
    offered = dict(settings.LANGUAGES)
    if user.language in offered:
        return user.language
    if user.company_id or user.trade_centre_id:
        return "ko"
    if user.buyer_organisation_id:
        country = user.buyer_organisation.city.country.iso_code
        return LANGUAGE_BY_COUNTRY.get(country, settings.LANGUAGE_CODE)
    return settings.LANGUAGE_CODE


@contextlib.contextmanager
def written_in(language, *, buddhist_era=True):
    """Translations, formats and Buddhist-era years (on Thai text) for an e-mail or a file."""
    era = dates.buddhist_era.set(buddhist_era)
    try:
        with translation.override(language):
            yield
    finally:
        dates.buddhist_era.reset(era)


def written_for(user):
    """`written_in` as `user` reads: their language and their Buddhist-era choice."""
    return written_in(language_of(user), buddhist_era=user.buddhist_era)


def email_after_commit(*, subject, body, recipients):
    """Enqueue a plain-text e-mail; it goes out once the transaction commits, retried if the server
    fails, and never at all if the transaction rolls back."""
    # A subject is one line: a name typed with a line break in it would make the header refuse to send.
    after_commit(tasks.email_send, " ".join(str(subject).split()), body, list(recipients))


def members_notify(*, members, subject, template, context):
    """E-mail every active member with an address, each in their language: one message per language
    (and Buddhist-era choice), its body a rendered text template. `subject` is a function of no argument
    returning the subject, called in each language.

    Returns the number of messages enqueued (0 when nobody has an address).
    """
    if hasattr(members, "select_related"):  # in the order members joined: the To: line never reorders
        members = members.select_related("buyer_organisation__city__country").order_by("pk")
    groups = {}
    for member in members:
        if member.is_active and member.email:
            groups.setdefault((language_of(member), member.buddhist_era), (member, []))[1].append(
                member.email
            )
    for first, recipients in groups.values():
        with written_for(first):
            email_after_commit(
                subject=subject(), body=render_to_string(template, context), recipients=recipients
            )
    return len(groups)
