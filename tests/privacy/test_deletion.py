"""Account deletion: the member's request, the erasure an admin carries out, and the retention job."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from matching.consultations.models import Meeting
from matching.consultations.outcomes.models import Outcome
from portal.accounts.models import Invitation, User
from portal.privacy import erasure, services
from portal.privacy.models import REQUIRED_KINDS, ConsentRecord, DeletionRequest
from portal.privacy.tasks import inactive_accounts_anonymise
from tests import factories
from tests.races import at_once, race

PAGE = "/accounts/privacy/delete-account/"
CHANGELIST = "/admin/privacy/deletionrequest/"
WITHDRAW = "/accounts/privacy/delete-account/withdraw/"


def _failed_login(username):
    Client().post(reverse("login"), {"username": username, "password": "wrong"})


@pytest.mark.django_db
def test_asking_with_the_right_password_records_one_open_request_with_its_deadline(client, buyer):
    client.force_login(buyer)

    response = client.post(PAGE, {"password": factories.PASSWORD})
    again = client.post(PAGE, {"password": factories.PASSWORD})

    request = DeletionRequest.objects.get()
    assert (response.status_code, again.status_code) == (302, 302)
    assert (request.user, request.state, request.source) == (buyer, "open", "member")
    assert request.deadline - request.requested_at == dt.timedelta(days=30)
    page = client.get(PAGE).content.decode()
    assert 'id="deletion-pending"' in page
    assert 'id="deletion-form"' not in page


@pytest.mark.django_db
def test_a_wrong_password_records_nothing_and_says_why(client, buyer):
    client.force_login(buyer)

    response = client.post(PAGE, {"password": "not-mine"})

    assert response.status_code == 400
    assert "This is not your password." in response.content.decode()
    assert DeletionRequest.objects.count() == 0


@pytest.mark.django_db
def test_the_page_warns_what_is_erased_and_what_is_kept(client, buyer):
    client.force_login(buyer)

    page = client.get(PAGE).content.decode()

    assert "Erased: your name, e-mail address, username, password and language" in page
    assert "your meetings, outcomes and MOUs, which belong to your organisation." in page


@pytest.mark.django_db
def test_the_deadline_follows_the_setting(client, buyer, settings):
    settings.PRIVACY_DELETION_DEADLINE_DAYS = 14

    request, created = erasure.deletion_request_open(user=buyer)

    assert created is True
    assert request.deadline - request.requested_at == dt.timedelta(days=14)


@pytest.mark.django_db
def test_erasure_clears_personal_fields_and_keeps_time_zone_and_organisation(buyer, admin):
    buyer.time_zone, buyer.language, buyer.first_name = "Asia/Bangkok", "th", "Somchai"
    buyer.save()
    organisation = buyer.buyer_organisation

    assert erasure.account_erase(user=buyer, by=admin) is True

    buyer.refresh_from_db()
    assert (buyer.username, buyer.first_name, buyer.last_name, buyer.email) == (
        f"deleted-member-{buyer.pk}",
        "Deleted member",
        "",
        "",
    )
    assert (buyer.language, buyer.time_zone, buyer.is_active) == ("", "Asia/Bangkok", False)
    assert buyer.has_usable_password() is False
    assert buyer.buyer_organisation == organisation
    assert buyer.get_full_name() == "Deleted member"
    request = DeletionRequest.objects.get()
    assert (request.state, request.carried_out_by) == ("done", admin)


@pytest.mark.django_db
def test_erasure_is_idempotent(buyer, admin):
    first = erasure.account_erase(user=buyer, by=admin)
    erased = User.objects.get(pk=buyer.pk)
    second = erasure.account_erase(user=buyer, by=admin)

    assert (first, second) == (True, False)
    assert DeletionRequest.objects.count() == 1
    assert User.objects.get(pk=buyer.pk).username == erased.username


@pytest.mark.django_db
def test_erasure_keeps_meetings_and_their_history_under_the_pseudonym(buyer):
    meeting = factories.MeetingFactory(
        buyer=factories.BuyerRegistrationFactory(buyer=buyer.buyer_organisation), status=Meeting.Status.HELD
    )
    outcome = Outcome(meeting=meeting, side=Outcome.Side.BUYER, recorded_by=buyer, interest="high")
    outcome._history_user = buyer
    outcome.save()

    erasure.account_erase(user=buyer)

    outcome.refresh_from_db()
    assert Meeting.objects.filter(pk=meeting.pk, buyer__buyer=buyer.buyer_organisation).exists()
    assert str(outcome.recorded_by) == f"deleted-member-{buyer.pk}"
    assert str(outcome.history.get().history_user) == f"deleted-member-{buyer.pk}"


@pytest.mark.django_db
def test_erasure_keeps_consents_as_proof(buyer):
    services.consents_give(user=buyer, law="pdpa", kinds=REQUIRED_KINDS, source="signup")

    erasure.account_erase(user=buyer)

    assert ConsentRecord.objects.filter(consent__user=buyer).count() == 2


@pytest.mark.django_db
def test_erasure_ends_sessions_and_forgets_login_records_of_the_username(buyer, sme_owner):
    member, other = Client(), Client()
    member.force_login(buyer)
    other.force_login(sme_owner)
    _failed_login("buyer")
    _failed_login("sme_owner")

    with TestCase.captureOnCommitCallbacks(execute=True):
        erasure.account_erase(user=buyer)

    assert member.get("/accounts/privacy/").status_code == 302
    assert other.get("/accounts/privacy/").status_code == 200
    assert Session.objects.count() == 1
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"sme_owner"}
    assert set(AccessFailureLog.objects.values_list("username", flat=True)) == {"sme_owner"}


@pytest.mark.django_db
def test_pending_invitations_to_the_old_address_are_deleted(buyer, stranger):
    factories.InvitationFactory(invited_by=stranger, email=buyer.email)

    erasure.account_erase(user=buyer)

    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_the_last_active_member_leaves_the_organisation_for_review(buyer, sme_owner):
    colleague = factories.SmeMemberFactory(company=sme_owner.company)
    buyer.buyer_organisation.approval_status = "approved"
    buyer.buyer_organisation.save()
    sme_owner.company.approval_status = "approved"
    sme_owner.company.save()

    erasure.account_erase(user=buyer)
    erasure.account_erase(user=sme_owner)

    buyer.buyer_organisation.refresh_from_db()
    sme_owner.company.refresh_from_db()
    assert buyer.buyer_organisation.approval_status == "pending"
    assert sme_owner.company.approval_status == "approved"
    assert colleague.company == sme_owner.company


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_double_submit_at_once_makes_one_request(buyer):
    results = at_once(lambda _n: erasure.deletion_request_open(user=buyer)[1], list(range(6)))

    assert sorted(results) == [False] * 5 + [True]
    assert DeletionRequest.objects.filter(user=buyer, state="open").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_admins_carrying_out_at_once_erase_once(buyer, admin):
    erasure.deletion_request_open(user=buyer)

    results = at_once(lambda _n: erasure.account_erase(user=buyer, by=admin), list(range(4)))

    assert sorted(results) == [False, False, False, True]
    assert DeletionRequest.objects.get().state == "done"


@pytest.mark.django_db
def test_the_admin_lists_overdue_requests_first(admin_client, buyer, sme_owner, stranger):
    now = timezone.now()
    later, _ = erasure.deletion_request_open(user=buyer)
    late, _ = erasure.deletion_request_open(user=sme_owner)
    DeletionRequest.objects.filter(pk=late.pk).update(
        requested_at=now - dt.timedelta(days=40), deadline=now - dt.timedelta(days=10)
    )
    erasure.account_erase(user=stranger)

    response = admin_client.get(CHANGELIST)
    overdue = admin_client.get(CHANGELIST, {"overdue": "yes"})

    assert [row.pk for row in response.context["cl"].result_list] == [
        late.pk,
        later.pk,
        DeletionRequest.objects.get(user=stranger).pk,
    ]
    assert [row.pk for row in overdue.context["cl"].result_list] == [late.pk]


@pytest.mark.django_db
def test_the_admin_list_asks_the_same_queries_with_one_request_or_five(admin_client):
    erasure.deletion_request_open(user=factories.BuyerMemberFactory())
    with CaptureQueriesContext(connection) as one:
        admin_client.get(CHANGELIST)
    for _ in range(4):
        erasure.deletion_request_open(user=factories.BuyerMemberFactory())
    with CaptureQueriesContext(connection) as five:
        admin_client.get(CHANGELIST)

    assert len(five) == len(one)


@pytest.mark.django_db
def test_the_admin_action_erases_the_selected_accounts(admin_client, admin, buyer):
    request, _ = erasure.deletion_request_open(user=buyer)

    response = admin_client.post(
        CHANGELIST, {"action": "carry_out_selected", "_selected_action": [request.pk]}, follow=True
    )

    request.refresh_from_db()
    assert (request.state, request.carried_out_by) == ("done", admin)
    assert User.objects.get(pk=buyer.pk).username == f"deleted-member-{buyer.pk}"
    assert "1 account erased." in response.content.decode()


@pytest.mark.django_db
def test_the_retention_job_erases_only_accounts_inactive_past_the_period(settings, admin):
    settings.PRIVACY_INACTIVE_DAYS = 3 * 365
    now = timezone.now()
    old_login = factories.BuyerMemberFactory(last_login=now - dt.timedelta(days=3 * 365 + 1))
    never_since_joining = factories.SmeMemberFactory(
        date_joined=now - dt.timedelta(days=4 * 365), last_login=None
    )
    recent_login = factories.BuyerMemberFactory(
        date_joined=now - dt.timedelta(days=5 * 365), last_login=now - dt.timedelta(days=30)
    )
    joined_recently = factories.SmeMemberFactory(last_login=None)
    admin.last_login = now - dt.timedelta(days=5 * 365)
    admin.save()

    assert inactive_accounts_anonymise() == 2
    assert inactive_accounts_anonymise() == 0

    erased = set(User.objects.filter(username__startswith="deleted-member-").values_list("pk", flat=True))
    assert erased == {old_login.pk, never_since_joining.pk}
    assert set(DeletionRequest.objects.values_list("source", "state")) == {("retention", "done")}
    assert recent_login.pk not in erased and joined_recently.pk not in erased


def test_the_retention_job_is_scheduled_daily(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "portal.privacy.tasks.inactive_accounts_anonymise" in tasks


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"o": "4"}, {"o": "-5.1"}, {"overdue": "no"}, {"overdue": "2"}, {"state__exact": "pending"}, {"q": "x"}],
)
def test_the_admin_list_answers_any_sort_or_filter(admin_client, buyer, params):
    erasure.deletion_request_open(user=buyer)

    assert admin_client.get(CHANGELIST, params).status_code == 200


@pytest.mark.django_db
def test_an_erased_members_name_reads_in_the_readers_language(buyer, admin):
    erasure.account_erase(user=buyer, by=admin)
    buyer.refresh_from_db()

    with translation.override("ko"):
        korean = buyer.get_full_name()
    with translation.override("th"):
        thai = buyer.get_full_name()

    assert buyer.get_full_name() == "Deleted member"
    assert korean == "탈퇴한 회원"
    assert thai == "สมาชิกที่ลบบัญชีแล้ว"


@pytest.mark.django_db
def test_an_active_member_who_chose_a_pseudonym_like_username_keeps_their_name():
    member = factories.BuyerMemberFactory(username="deleted-member-7", first_name="Somchai", last_name="")

    assert member.get_full_name() == "Somchai"


# ---------------------------------------------------------------- confirmation, withdrawal
@pytest.mark.django_db
def test_asking_e_mails_a_confirmation_with_the_deadline_and_the_way_back(
    client, buyer, django_capture_on_commit_callbacks
):
    client.force_login(buyer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE, {"password": factories.PASSWORD})

    (message,) = mail.outbox
    assert message.to == [buyer.email]
    assert message.subject == "We received your request to delete your account"
    assert "http://localhost:8000/accounts/privacy/delete-account/" in message.body
    assert "withdraw the request" in message.body


@pytest.mark.django_db
def test_the_member_withdraws_the_request_and_keeps_the_account(client, buyer, admin):
    client.force_login(buyer)
    client.post(PAGE, {"password": factories.PASSWORD})

    response = client.post(WITHDRAW, follow=True)
    again = client.post(WITHDRAW, follow=True)

    request = DeletionRequest.objects.get()
    assert (request.state, request.carried_out_at) == ("withdrawn", None)
    assert request.withdrawn_at is not None
    assert "Your request is withdrawn" in response.content.decode()
    assert "You have no open request" in again.content.decode()
    assert erasure.deletion_request_carry_out(request=request, by=admin) is False
    buyer.refresh_from_db()
    assert buyer.is_active and buyer.username != f"deleted-member-{buyer.pk}"
    # ... and may ask again later.
    client.post(PAGE, {"password": factories.PASSWORD})
    assert DeletionRequest.objects.filter(state="open").count() == 1


@pytest.mark.django_db
def test_a_carried_out_request_tells_the_member_at_their_old_address_in_their_language(
    buyer, admin, django_capture_on_commit_callbacks
):
    buyer.language = "th"
    buyer.save(update_fields=["language"])
    address = buyer.email
    request, _ = erasure.deletion_request_open(user=buyer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        erasure.deletion_request_carry_out(request=request, by=admin)

    (message,) = mail.outbox
    assert message.to == [address]
    with translation.override("th"):
        assert message.subject == translation.gettext("Your account was deleted")
    assert message.subject != "Your account was deleted"


@pytest.mark.django_db
def test_the_retention_job_sends_no_deletion_e_mail(buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        erasure.account_erase(user=buyer, source=DeletionRequest.Source.RETENTION)

    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_withdrawal_and_an_erasure_at_once_end_in_one_of_them_whole(buyer, admin):
    request, _ = erasure.deletion_request_open(user=buyer)

    withdrawn, erased = race(
        lambda: erasure.deletion_request_withdraw(user=buyer),
        lambda: erasure.deletion_request_carry_out(request=request, by=admin),
    )

    request.refresh_from_db()
    buyer.refresh_from_db()
    assert {withdrawn, erased} == {True, False}
    if withdrawn:
        assert (request.state, buyer.is_active) == ("withdrawn", True)
    else:
        assert (request.state, buyer.is_active) == ("done", False)


@pytest.mark.django_db
def test_admins_see_withdrawn_requests_by_their_state_with_the_time(admin_client, buyer, sme_owner):
    erasure.deletion_request_open(user=buyer)
    erasure.deletion_request_withdraw(user=buyer)
    erasure.deletion_request_open(user=sme_owner)

    response = admin_client.get(CHANGELIST, {"state__exact": "withdrawn"})

    rows = list(response.context["cl"].result_list)
    assert [row.user for row in rows] == [buyer]
    assert "Withdrawn by the member" in response.content.decode()
    assert "column-withdrawn_at" in response.content.decode()


@pytest.mark.django_db
def test_the_deadline_in_the_confirmation_message_reads_as_a_date_in_the_members_language(client, buyer):
    buyer.language = "ko"
    buyer.save(update_fields=["language"])
    client.force_login(buyer)

    response = client.post(PAGE, {"password": factories.PASSWORD}, follow=True)

    (message,) = [str(m) for m in response.context["messages"]]
    assert "년" in message and "월" in message


@pytest.mark.django_db
def test_the_admin_action_neither_counts_nor_logs_a_request_withdrawn_since_the_list(rf, admin, buyer):
    from django.contrib import admin as django_admin
    from django.contrib.admin.models import LogEntry
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.cookie import CookieStorage

    from portal.privacy.admin import DeletionRequestAdmin

    request_row, _created = erasure.deletion_request_open(user=buyer)
    shown_open = list(DeletionRequest.objects.filter(state="open"))  # what the admin's list showed
    erasure.deletion_request_withdraw(user=buyer)  # the member withdraws before the action runs
    http = rf.post(CHANGELIST)
    http.user, http._messages = admin, CookieStorage(rf.get("/"))
    model_admin = DeletionRequestAdmin(DeletionRequest, django_admin.site)

    done = model_admin.apply_service(
        http,
        shown_open,
        lambda row: erasure.deletion_request_carry_out(request=row, by=admin),
        lambda count: "%(count)d accounts erased.",
        "Carried out.",
    )

    buyer.refresh_from_db()
    assert done == 0
    assert buyer.is_active
    assert LogEntry.objects.count() == 0
    assert [str(m) for m in get_messages(http)] == []
