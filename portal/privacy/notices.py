"""The privacy notices shown beside each consent: their words, by law and kind, and their versions.

The words are English source strings translated like the rest of the portal; a member reads them in
their language and the exact text read is stored with their consent (services.notice_text_for).
Changing the words of a notice needs a new version here (tests/privacy/test_notices.py pins the English
text of every version), so no consent ever points at words that were not the ones shown.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from portal.privacy.models import ConsentKind, Law

VERSIONS = {(law, kind): "1" for law in Law.values for kind in ConsentKind.values}


def _law_name(law):
    return {
        Law.PIPA: _("Korea's Personal Information Protection Act (PIPA)"),
        Law.PDPA: _("Thailand's Personal Data Protection Act B.E. 2562 (PDPA)"),
        Law.KVKK: _("Türkiye's Law No. 6698 on the Protection of Personal Data (KVKK)"),
    }.get(law)


def _authority(law):
    return {
        Law.PIPA: _("Korea's Personal Information Protection Commission"),
        Law.PDPA: _("Thailand's Personal Data Protection Committee"),
        Law.KVKK: _("Türkiye's Personal Data Protection Authority"),
    }.get(law)


def _law_and_contact(law):
    name = _law_name(law)
    if name is None:
        under = _(
            "This notice describes how the portal handles personal data; the data protection law of your "
            "country may give you further rights, and you may complain to its data protection authority."
        )
    else:
        under = _("This notice is given under %(law)s. You may complain to %(authority)s.") % {
            "law": name,
            "authority": _authority(law),
        }
    contact = _(
        "The K-Smart City export portal and the KOTRA (Korea Trade-Investment Promotion Agency) trade "
        "centres that run its roadshows handle your data. Contact: %(email)s."
    ) % {"email": settings.PRIVACY_CONTACT_EMAIL}
    return [under, contact]


def _processing(law):
    return [
        _(
            "What we collect: your name, e-mail address and username; the organisation you act for; your "
            "language and time zone; and what you enter on the portal (profiles, listings, meeting requests, "
            "messages and meeting records)."
        ),
        _(
            "Why: to run your account, to match your organisation with partners, to arrange and record "
            "meetings at the roadshows, and to send you the e-mails these need."
        ),
        _(
            "Who sees it: the portal's administrators and the KOTRA trade centre staff who run the events "
            "you take part in. Sending it abroad is asked for separately."
        ),
        _(
            "How long: while your account is open. When it is closed, your name and contact details are "
            "erased; records of meetings you took part in are kept without your name, as records of the "
            "roadshows."
        ),
        _(
            "You may refuse this consent, but the portal cannot open an account without it. You may withdraw "
            "it by asking for your account to be closed, and you may ask to see, correct or delete your data "
            "at any time."
        ),
    ]


def _transfer(law):
    if law == Law.PIPA:
        recipients = _(
            "To whom and where: the buyers registered on the portal outside Korea (cities, public agencies "
            "and firms, notably in Thailand, Türkiye, Indonesia, Viet Nam and Saudi Arabia, where KOTRA runs "
            "roadshows) and the KOTRA trade centres in those countries."
        )
        other_side = _("buyers abroad")
    else:
        recipients = _(
            "To whom and where: the Korean smart-city companies registered on the portal and KOTRA's staff, "
            "in the Republic of Korea."
        )
        other_side = _("Korean companies")
    return [
        _(
            "What is sent: your name, your organisation, your e-mail address once you are partners, and what "
            "you write to partners or record about your meetings."
        ),
        recipients,
        _(
            "When and how: whenever they open your organisation's page, exchange messages with you or meet "
            "you, through the portal and its e-mails."
        ),
        _(
            "Why and for how long: so that they can find you, write to you and meet you; the portal keeps it "
            "as the notice on processing says."
        ),
        _(
            "You may refuse or withdraw this consent at any time on your Privacy page. Without it you are "
            "not shown to %(other_side)s and cannot take part in matchmaking; your past meeting records are "
            "kept."
        )
        % {"other_side": other_side},
    ]


def _marketing(law):
    return [
        _(
            "With this consent, the portal and KOTRA may e-mail you news of roadshows, programmes and "
            "services, in your language."
        ),
        _("It is optional: without it you get only the e-mails your account and your meetings need."),
        _("You may withdraw it at any time on your Privacy page."),
    ]


TITLES = {
    ConsentKind.PROCESSING: lambda: _("Processing of your personal data"),
    ConsentKind.TRANSFER: lambda: _("Sending your personal data abroad"),
    ConsentKind.MARKETING: lambda: _("Marketing e-mails (optional)"),
}
BODIES = {
    ConsentKind.PROCESSING: _processing,
    ConsentKind.TRANSFER: _transfer,
    ConsentKind.MARKETING: _marketing,
}


@dataclass(frozen=True)
class Notice:
    """One notice in the active language: its title and paragraphs, and the text stored with a consent."""

    law: str
    kind: str
    version: str
    title: str
    paragraphs: tuple

    @property
    def text(self):
        return "\n\n".join([self.title, *self.paragraphs])


def notice(law, kind):
    """The current notice on `kind` under `law`, in the active language."""
    law, kind = Law(law), ConsentKind(kind)
    paragraphs = (*BODIES[kind](law), *_law_and_contact(law))
    return Notice(
        law=law, kind=kind, version=VERSIONS[(law, kind)], title=TITLES[kind](), paragraphs=paragraphs
    )


def notices(law):
    """The current notices under `law`, one per kind, in the order the forms ask for them."""
    return [notice(law, kind) for kind in ConsentKind.values]
