"""Reads of consents: a member's privacy page, and who is withheld from the other side or from marketing."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch

from portal.privacy.models import Consent, ConsentKind, ConsentRecord


@dataclass
class ConsentRow:
    """One kind of consent on the privacy page: its state (None: never given) and its history."""

    kind: str
    label: str
    consent: Consent | None
    records: list

    @property
    def granted(self):
        return self.consent is not None and self.consent.granted


def consent_rows(user):
    """Every kind of consent with `user`'s present state and records (newest first): two queries."""
    records = ConsentRecord.objects.select_related("notice").order_by("-recorded_at", "-pk")
    consents = {
        consent.kind: consent
        for consent in Consent.objects.filter(user=user)
        .select_related("notice")
        .prefetch_related(Prefetch("records", queryset=records))
    }
    return [
        ConsentRow(
            kind=kind,
            label=label,
            consent=consents.get(kind),
            records=list(consents[kind].records.all()) if kind in consents else [],
        )
        for kind, label in ConsentKind.choices
    ]


def _withdrew_transfer():
    return Consent.objects.filter(user=OuterRef("pk"), kind=ConsentKind.TRANSFER, granted=False)


def withheld_organisations(link):
    """Ids of the organisations not to show to the other side: `link` "company" (Korean SMEs) or
    "buyer_organisation" (buyers abroad).

    An organisation is withheld when an active member withdrew their consent to the transfer abroad and
    no active member still has it. Members who never answered (accounts older than the consents) count
    as consenting; an organisation without members (registered by staff) is shown. Use it as a subquery:
    `queryset.exclude(pk__in=withheld_organisations("company"))`, or through `shown_abroad`.
    """
    members = get_user_model().objects.filter(is_active=True, **{f"{link}__isnull": False})
    consenting = members.exclude(Exists(_withdrew_transfer())).values(link)
    withdrawing = members.filter(Exists(_withdrew_transfer()))
    return withdrawing.exclude(**{f"{link}__in": consenting}).values(link)


def shown_abroad(queryset, *, company=None, buyer=None):
    """`queryset` less the rows whose Korean company (at the lookup path `company`, e.g. "pk" or
    "company") or buyer organisation (at `buyer`) is withheld from the other side. One filter, no
    extra query: the directories, the listings and an event's catalogue call it."""
    if company is not None:
        queryset = queryset.exclude(**{f"{company}__in": withheld_organisations("company")})
    if buyer is not None:
        queryset = queryset.exclude(**{f"{buyer}__in": withheld_organisations("buyer_organisation")})
    return queryset


def marketing_recipients():
    """Active members whose consent to marketing e-mails stands. (The portal sends none yet: whatever
    sends them must pick its recipients here.)"""
    given = Consent.objects.filter(user=OuterRef("pk"), kind=ConsentKind.MARKETING, granted=True)
    return get_user_model().objects.filter(is_active=True).filter(Exists(given))
