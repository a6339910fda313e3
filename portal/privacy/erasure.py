"""Account deletion: the member's request, its erasure by an admin, and the retention job's anonymisation.

The user row is never deleted: meetings, outcomes, MOUs, messages and their history point at it and are
the organisations' records. Its personal fields are erased instead and its username becomes a stable
pseudonym (``deleted-member-<id>``), its name "Deleted member", so history and admin pages name a pseudonym,
never the person (nor simple_history's "Deleted user (pk=None)").

Kept: the consents and their records (proof of what was agreed, under which notice), the time zone, the
organisation link (the records stay with the organisation), the deletion request itself.
Erased: first and last name, e-mail, username, password (made unusable), language, the account is
deactivated; sessions are ended; django-axes login records of the old username are deleted; pending
invitations to the old e-mail are deleted and the e-mail on the accepted one is blanked; the records of
the meeting reminders sent to them (which hold the address) are deleted.
An erased member who was their organisation's last active member leaves it in place, set back to
"pending review" so that an admin decides whether it stays listed, is handed to a new contact, or is
rejected; its meetings, outcomes and listings are untouched.
"""

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.common.notifications import email_after_commit, written_for
from portal.privacy.models import PSEUDONYM_PREFIX, DeletionRequest

# The stored name, for whatever reads first_name directly; get_full_name() says it in the reader's language.
DELETED_NAME = "Deleted member"


def pseudonym(user) -> str:
    """The stable name of an erased account: the same on every run, unique, telling nothing about them."""
    return f"{PSEUDONYM_PREFIX}{user.pk}"


def deletion_deadline(now):
    return now + dt.timedelta(days=settings.PRIVACY_DELETION_DEADLINE_DAYS)


@transaction.atomic
def deletion_request_open(*, user) -> tuple[DeletionRequest, bool]:
    """Record that `user` asks for their account to be erased; (request, created).

    Locks the member's row so a double submit makes one request: the second finds the first open one
    (and the one-open-request constraint backs this up). The caller has checked the password.
    Side effects: one DeletionRequest with its deadline and a history row; an e-mail confirming it, with
    its deadline and how to withdraw it.
    """
    get_user_model().objects.select_for_update().get(pk=user.pk)
    open_request = DeletionRequest.objects.filter(user=user, state=DeletionRequest.State.OPEN).first()
    if open_request is not None:
        return open_request, False
    now = timezone.now()
    try:
        with transaction.atomic():
            request = DeletionRequest.objects.create(
                user=user, requested_at=now, deadline=deletion_deadline(now)
            )
    except IntegrityError:
        return DeletionRequest.objects.get(user=user, state=DeletionRequest.State.OPEN), False
    _tell(
        user,
        _("We received your request to delete your account"),
        "privacy/email/deletion_asked.txt",
        request,
    )
    return request, True


def _tell(user, subject, template, request):
    """E-mail the member about their request, in their language (sent after the commit)."""
    if not user.email:
        return
    context = {
        "user": user,
        "deletion": request,
        "page": settings.PORTAL_BASE_URL + reverse("privacy:deletion_request"),
    }
    with written_for(user):
        email_after_commit(
            subject=str(subject), body=render_to_string(template, context), recipients=[user.email]
        )


def _end_sessions(user_id):
    """Delete every stored session of the user (database and cache); the unusable password already makes
    any other session fail its hash check on the next request."""
    from importlib import import_module

    engine = import_module(settings.SESSION_ENGINE)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            engine.SessionStore(session_key=session.session_key).delete()


def _forget_logins(username):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()


def _organisation_to_review(user):
    """The company or buyer organisation whose last active member this was goes back to review."""
    from matching.kernel.models import ApprovalStatus

    organisation = user.company or user.buyer_organisation
    if organisation is None:
        return None
    if organisation.members.filter(is_active=True).exclude(pk=user.pk).exists():
        return None
    type(organisation).objects.filter(pk=organisation.pk).update(approval_status=ApprovalStatus.PENDING)
    return organisation


@transaction.atomic
def account_erase(*, user, by=None, source=DeletionRequest.Source.MEMBER) -> bool:
    """Erase `user`'s personal fields (module docstring); True if erased now, False if it already was.

    Locks the user row, then their open request; idempotent: a second run (a double click on the admin
    action, the retention job after an admin) changes nothing. Carries out the member's open request, or
    records a carried-out one (`source`) when there was none.
    Side effects: sessions deleted, django-axes records of the old username deleted, pending invitations to
    the old e-mail deleted, the organisation set to pending review if nobody active is left in it.
    """
    # The accounts app sits above privacy (its sign-up records consents here), so its model is looked up
    # by name, as get_user_model() looks up the user's.
    Invitation = apps.get_model("accounts", "Invitation")

    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    done = DeletionRequest.objects.filter(user=user, state=DeletionRequest.State.DONE).exists()
    request = (
        DeletionRequest.objects.select_for_update()
        .filter(user=user, state=DeletionRequest.State.OPEN)
        .first()
    )
    if done and request is None:
        return False
    if request is None:
        request = DeletionRequest(user=user, source=source, requested_at=now, deadline=now)
    request.state, request.carried_out_at, request.carried_out_by = DeletionRequest.State.DONE, now, by
    request.save()
    if done:
        return False

    old_username, old_email = user.username, user.email
    if source == DeletionRequest.Source.MEMBER:
        # Written before the address and language are erased: the last e-mail the member gets from us.
        _tell(user, _("Your account was deleted"), "privacy/email/deletion_done.txt", request)
    if old_email:
        Invitation.objects.filter(accepted_by__isnull=True, email__iexact=old_email).delete()
    Invitation.objects.filter(accepted_by=user).update(email="")
    # Consultations sit above privacy too: their reminder records are looked up by name, like Invitation.
    apps.get_model("consultations", "MeetingReminder").objects.filter(user=user).delete()
    user.username = pseudonym(user)
    user.first_name, user.last_name, user.email, user.language = DELETED_NAME, "", "", ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    _organisation_to_review(user)
    if user.last_login and user.last_login > now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE):
        # Only a recent login can have a live session (the retention job's accounts have none to look for).
        transaction.on_commit(lambda: _end_sessions(user.pk))
    _forget_logins(old_username)
    return True


@transaction.atomic
def deletion_request_carry_out(*, request, by) -> bool:
    """An admin carries out a member's request: the erasure above. True if the account was erased now;
    False if the request was withdrawn (or carried out) since the admin's page showed it open."""
    get_user_model().objects.select_for_update().get(pk=request.user_id)  # account_erase's lock, first
    if not DeletionRequest.objects.filter(pk=request.pk, state=DeletionRequest.State.OPEN).exists():
        return False
    return account_erase(user=request.user, by=by, source=request.source)


@transaction.atomic
def deletion_request_withdraw(*, user) -> bool:
    """The member takes back their open request before it is carried out. True if one was withdrawn now;
    False if none was open (a double click, or an admin carried it out first).

    Locks the member's row, as asking and erasing do, so a withdrawal and an erasure happen one after the
    other. Side effects: the request's state and a history row; no e-mail (the page says it).
    """
    get_user_model().objects.select_for_update().get(pk=user.pk)
    request = DeletionRequest.objects.filter(user=user, state=DeletionRequest.State.OPEN).first()
    if request is None:
        return False
    request.state, request.withdrawn_at = DeletionRequest.State.WITHDRAWN, timezone.now()
    request.save()
    return True


def inactive_accounts(*, now):
    """Accounts with no login (or, never logged in, no sign-up) within PRIVACY_INACTIVE_DAYS, not yet erased.

    Superusers are left alone: erasing the last one would lock the portal's owners out.
    """
    cutoff = now - dt.timedelta(days=settings.PRIVACY_INACTIVE_DAYS)
    return (
        get_user_model()
        .objects.annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff, is_superuser=False)
        .exclude(Q(deletion_requests__state=DeletionRequest.State.DONE))
        .order_by("pk")
    )


def inactive_accounts_anonymise(*, now) -> int:
    """The retention job: erase every inactive account (one transaction each); how many were erased."""
    erased = 0
    for user_id in list(inactive_accounts(now=now).values_list("pk", flat=True)):
        user = get_user_model().objects.get(pk=user_id)
        erased += account_erase(user=user, source=DeletionRequest.Source.RETENTION)
    return erased


ERASURE_WARNING = _(
    "Your name, e-mail address, username and password are erased and you can no longer sign in. Your "
    'meetings, outcomes and MOUs stay with your organisation, shown as "Deleted member". Your consents '
    "and their history are kept as proof of what you agreed to."
)
