"""Writes on consents: those given at sign-up or on accepting an invitation, and changes on the privacy page.

Every change appends a ConsentRecord naming the exact notice text shown; nothing is ever edited or
deleted. No e-mail is sent.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.privacy.models import Consent, ConsentKind, ConsentRecord, Law, NoticeText, law_for_country
from portal.privacy.notices import notice

PROCESSING_NOT_WITHDRAWN_HERE = _(
    "The processing of your data is what your account needs: to withdraw this consent, ask for your account "
    "to be closed."
)


def law_for_user(user):
    """The law whose notices a member reads: that of their organisation's country (Korea for SMEs)."""
    if user.company_id is not None:
        return Law.PIPA
    if user.buyer_organisation_id is not None:
        return law_for_country(user.buyer_organisation.city.country.iso_code)
    if user.trade_centre_id is not None:
        return law_for_country(user.trade_centre.city.country.iso_code)
    return Law.GENERAL


def notice_text_for(*, law, kind) -> NoticeText:
    """The stored row of the current notice on `kind` under `law` in the active language (made on first
    use): its text exactly as shown, found again by its SHA-256."""
    shown = notice(law, kind)
    text = shown.text
    digest = hashlib.sha256(text.encode()).hexdigest()
    row, _created = NoticeText.objects.get_or_create(
        sha256=digest,
        defaults={
            "law": shown.law,
            "kind": shown.kind,
            "version": shown.version,
            "language": translation.get_language() or "",
            "text": text,
        },
    )
    return row


def _record(consent, *, granted, law, notice_row, source, now):
    consent.granted, consent.law, consent.notice, consent.changed_at = granted, law, notice_row, now
    consent.save(update_fields=["granted", "law", "notice", "changed_at"])
    ConsentRecord.objects.create(
        consent=consent, granted=granted, law=law, notice=notice_row, source=source, recorded_at=now
    )


@transaction.atomic
def consent_change(*, user, kind, granted, law=None, source=ConsentRecord.Source.PRIVACY_PAGE) -> bool:
    """Give or withdraw one of `user`'s consents under `law` (theirs by default); True if it changed.

    Locks the member's consent row first, so of a double submit one changes it and the other finds it
    changed and records nothing; the first grant of a kind is made once by the unique (member, kind)
    constraint. Processing cannot be withdrawn here (ValidationError): that is closing the account.
    Side effects: one ConsentRecord per change, with the notice text shown (the active language's).
    Withdrawing the transfer consent hides the member's organisation from the other side once no active
    colleague still consents (selectors.withheld_organisations); their meetings stay as they are.
    """
    kind = ConsentKind(kind)
    if kind == ConsentKind.PROCESSING and not granted:
        raise ValidationError(PROCESSING_NOT_WITHDRAWN_HERE, code="processing")
    law = Law(law or law_for_user(user))
    now = timezone.now()
    consent = Consent.objects.select_for_update().filter(user=user, kind=kind).first()
    if consent is None:
        if not granted:
            return False  # never given: nothing to withdraw
        notice_row = notice_text_for(law=law, kind=kind)
        try:
            with transaction.atomic():
                consent = Consent.objects.create(
                    user=user, kind=kind, law=law, granted=True, notice=notice_row, changed_at=now
                )
        except IntegrityError:
            # A parallel request gave it first (and committed): the same choice, so nothing changes.
            consent = Consent.objects.select_for_update().get(user=user, kind=kind)
        else:
            ConsentRecord.objects.create(
                consent=consent, granted=True, law=law, notice=notice_row, source=source, recorded_at=now
            )
            return True
    if consent.granted == granted:
        return False
    _record(
        consent,
        granted=granted,
        law=law,
        notice_row=notice_text_for(law=law, kind=kind),
        source=source,
        now=now,
    )
    return True


@transaction.atomic
def consents_give(*, user, law, kinds, source) -> None:
    """Record the consents a new member ticked at sign-up or on accepting an invitation (the caller's
    transaction: no account without its consents, no consents without the account).

    Side effects: one Consent and one ConsentRecord per kind, with the notice text shown.
    """
    for kind in ConsentKind.values:
        if kind in kinds:
            consent_change(user=user, kind=kind, granted=True, law=law, source=source)
