"""Invitations: an SME or buyer member invites a colleague to the same organisation, with the same role.

The e-mail carries a one-time link valid for 14 days; a used or expired link is gone (410),
an unknown one never existed (404). Staff and administrators do not invite (403).
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from matching.kernel.models import Role
from portal.accounts import services
from portal.accounts.models import Invitation
from portal.privacy.models import REQUIRED_KINDS
from tests import factories

INVITE = "/accounts/invite/"
PASSWORD = "Khon-Kaen-floods-2024"
LINK = re.compile(r"http://testserver/accounts/invitation/([\w-]+)/")
User = get_user_model()


def accept_data(**changes):
    data = {
        "first_name": "Seo-yeon",
        "last_name": "Choi",
        "email": "seoyeon@seoul-traffic.example",
        "username": "seoyeon",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent-processing": "on",
        "consent-transfer": "on",
        "consent-law": "pipa",
    }
    return data | changes


def accept_url(invitation):
    return f"/accounts/invitation/{invitation.token}/"


def logged_in_user(client):
    return User.objects.get(pk=client.session["_auth_user_id"])


@pytest.mark.django_db
def test_a_member_invites_a_colleague_by_email_with_a_link(client, sme_owner):
    client.force_login(sme_owner)

    response = client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    invitation = Invitation.objects.get()
    assert invitation.invited_by == sme_owner
    assert invitation.company == sme_owner.company
    assert invitation.buyer_organisation is None
    assert invitation.email == "seoyeon@seoul-traffic.example"
    assert invitation.accepted_by is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["seoyeon@seoul-traffic.example"]
    assert message.subject == "Invitation to the K-Smart City export portal"
    assert "to join Seoul Traffic Systems on the K-Smart City export portal" in message.body
    assert LINK.findall(message.body) == [invitation.token]


@pytest.mark.django_db
def test_the_inviter_sees_a_confirmation(client, sme_owner):
    client.force_login(sme_owner)

    response = client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"}, follow=True)

    assert "Invitation sent to seoyeon@seoul-traffic.example." in response.content.decode()


@pytest.mark.django_db
def test_following_the_link_shows_the_form_with_the_invited_email(client, sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner, email="seoyeon@seoul-traffic.example")

    response = client.get(accept_url(invitation))

    assert response.status_code == 200
    assert response.context["organisation"] == sme_owner.company
    assert response.context["form"]["email"].value() == "seoyeon@seoul-traffic.example"
    assert "Join Seoul Traffic Systems" in response.content.decode()


@pytest.mark.django_db
def test_accepting_joins_the_inviters_company_as_an_sme_member_and_logs_in(client, sme_owner):
    client.force_login(sme_owner)
    client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"})
    (token,) = LINK.findall(mail.outbox[0].body)
    client.logout()

    response = client.post(f"/accounts/invitation/{token}/", accept_data())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    colleague = User.objects.get(username="seoyeon")
    assert colleague.role == Role.SME_MEMBER
    assert colleague.company == sme_owner.company
    assert colleague.buyer_organisation is None
    assert colleague.trade_centre is None
    assert colleague.email == "seoyeon@seoul-traffic.example"
    assert colleague.check_password(PASSWORD)
    assert logged_in_user(client) == colleague
    assert Invitation.objects.get().accepted_by == colleague


@pytest.mark.django_db
def test_the_new_colleague_lands_on_the_shared_organisation_page(client, sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner)

    response = client.post(accept_url(invitation), accept_data(), follow=True)

    assert response.context["organisation"] == sme_owner.company
    assert [member.username for member in response.context["members"]] == ["seoyeon", "sme_owner"]
    assert "Welcome to Seoul Traffic Systems." in response.content.decode()


@pytest.mark.django_db
def test_a_buyer_members_colleague_joins_the_same_buyer_organisation(client, buyer):
    invitation = factories.InvitationFactory(invited_by=buyer)

    client.post(accept_url(invitation), accept_data(**{"consent-law": "pdpa"}))

    colleague = User.objects.get(username="seoyeon")
    assert colleague.role == Role.BUYER_MEMBER
    assert colleague.buyer_organisation == buyer.buyer_organisation
    assert colleague.company is None


@pytest.mark.parametrize("role", ["centre_staff", "admin"])
@pytest.mark.django_db
def test_staff_and_administrators_are_forbidden_to_invite(client, request, role):
    """Staff accounts are created by administrators, never by invitation."""
    client.force_login(request.getfixturevalue(role))

    response = client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_centre_staff_see_their_trade_centre_and_colleagues_without_an_invitation_form(client, centre_staff):
    factories.CentreStaffFactory(username="anong", trade_centre=centre_staff.trade_centre)
    client.force_login(centre_staff)

    response = client.get("/accounts/")

    assert response.status_code == 200
    assert response.context["organisation"] == centre_staff.trade_centre
    assert [member.username for member in response.context["members"]] == ["anong", "centre_staff"]
    assert response.context["invitation_form"] is None
    assert 'action="/accounts/invite/"' not in response.content.decode()


@pytest.mark.django_db
def test_a_logged_in_user_following_an_invitation_link_is_sent_home_and_nothing_is_created(
    client, sme_owner, stranger
):
    invitation = factories.InvitationFactory(invited_by=sme_owner)
    client.force_login(stranger)

    response = client.post(accept_url(invitation), accept_data(), follow=True)

    assert response.redirect_chain == [("/accounts/", 302)]
    assert "You are logged in already: log out first to accept an invitation." in response.content.decode()
    assert not User.objects.filter(username="seoyeon").exists()
    invitation.refresh_from_db()
    assert invitation.is_usable


@pytest.mark.django_db
def test_a_used_invitation_is_gone(client, sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner)
    client.post(accept_url(invitation), accept_data())
    client.logout()

    response = client.get(accept_url(invitation))

    assert response.status_code == 410
    assert "This invitation was already used or has expired." in response.content.decode()
    response = client.post(accept_url(invitation), accept_data(username="intruder"))
    assert response.status_code == 410
    assert not User.objects.filter(username="intruder").exists()


@pytest.mark.django_db
def test_an_expired_invitation_is_gone(client, sme_owner):
    invitation = factories.InvitationFactory(
        invited_by=sme_owner, expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    assert client.get(accept_url(invitation)).status_code == 410
    assert client.post(accept_url(invitation), accept_data()).status_code == 410
    assert not User.objects.filter(username="seoyeon").exists()


@pytest.mark.django_db
def test_a_new_invitation_is_valid_for_fourteen_days(sme_owner):
    before = timezone.now()

    invitation = factories.InvitationFactory(invited_by=sme_owner)

    assert before + dt.timedelta(days=14) <= invitation.expires_at <= timezone.now() + dt.timedelta(days=14)
    assert invitation.is_usable


@pytest.mark.parametrize("token", ["no-such-token", "x" * 500, "%E2%80%AE", "..%2F..%2Fadmin"])
@pytest.mark.django_db
def test_an_unknown_token_is_404(client, token):
    assert client.get(f"/accounts/invitation/{token}/").status_code == 404


@pytest.mark.django_db
def test_a_token_with_a_nul_byte_is_404(client):
    assert client.get("/accounts/invitation/%00/").status_code == 404
    assert client.post("/accounts/invitation/abc%00def/", accept_data()).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_cannot_invite(client, db):
    response = client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/invite/"
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_inviting_must_be_posted(client, sme_owner):
    client.force_login(sme_owner)

    assert client.get(INVITE).status_code == 405


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("not-an-address", "Enter a valid email address."),
        ("", "This field is required."),
        ("seoyeon\x00@seoul-traffic.example", "Null characters are not allowed."),
    ],
)
@pytest.mark.django_db
def test_an_invalid_email_re_renders_the_page_with_400_and_the_error(client, sme_owner, email, error):
    client.force_login(sme_owner)

    response = client.post(INVITE, {"email": email})

    assert response.status_code == 400
    assert error in response.context["invitation_form"].errors["email"]
    assert response.context["organisation"] == sme_owner.company
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_invalid_email_is_kept_in_the_form(client, sme_owner):
    client.force_login(sme_owner)

    response = client.post(INVITE, {"email": "seoyeon at seoul"})

    content = response.content.decode()
    assert 'value="seoyeon at seoul"' in content
    assert "Enter a valid email address." in content


@pytest.mark.django_db
def test_accepting_with_mismatched_passwords_re_renders_and_keeps_the_invitation_usable(client, sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner)

    response = client.post(accept_url(invitation), accept_data(password2="something-else-entirely"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"password2": ["The two password fields didn’t match."]}
    assert 'value="seoyeon"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_usable
    assert not User.objects.filter(username="seoyeon").exists()


@pytest.mark.django_db
def test_accepting_with_a_taken_username_is_refused(client, sme_owner, stranger):
    invitation = factories.InvitationFactory(invited_by=sme_owner)

    response = client.post(accept_url(invitation), accept_data(username="stranger"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"username": ["A user with that username already exists."]}
    invitation.refresh_from_db()
    assert invitation.accepted_by is None


# ------------------------------------------------ an invitation dies with its inviter's membership
NO_LONGER_VALID = (
    "This invitation is no longer valid. Ask a member of the organisation to send you a new one."
)


def _deactivate(inviter):
    inviter.is_active = False
    inviter.save()


def _move_to_another_company(inviter):
    inviter.company = factories.CompanyFactory(name_en="Daegu Smart Grid")
    inviter.save()


def _make_buyer(inviter):
    inviter.role = Role.BUYER_MEMBER
    inviter.company = None
    inviter.buyer_organisation = factories.BuyerOrganisationFactory(
        name="Bangkok Metropolitan Administration"
    )
    inviter.save()


@pytest.mark.parametrize("change", [_deactivate, _move_to_another_company, _make_buyer])
@pytest.mark.django_db
def test_an_invitation_whose_inviter_left_the_organisation_is_gone_and_creates_nobody(
    client, sme_owner, change
):
    invitation = factories.InvitationFactory(invited_by=sme_owner)
    change(sme_owner)

    page = client.get(accept_url(invitation))
    response = client.post(accept_url(invitation), accept_data())

    assert page.status_code == 410
    assert NO_LONGER_VALID in page.content.decode()
    assert response.status_code == 410
    assert NO_LONGER_VALID in response.content.decode()
    assert not User.objects.filter(username="seoyeon").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by is None


@pytest.mark.django_db
def test_an_invitation_from_a_buyer_member_moved_to_another_buyer_is_gone(client, buyer):
    invitation = factories.InvitationFactory(invited_by=buyer)
    buyer.buyer_organisation = factories.BuyerOrganisationFactory(name="Chiang Mai Municipality")
    buyer.save()

    response = client.post(accept_url(invitation), accept_data())

    assert response.status_code == 410
    assert not User.objects.filter(username="seoyeon").exists()


@pytest.mark.django_db
def test_an_invitation_joins_the_organisation_it_was_sent_for_and_names_it(client, sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner)

    page = client.get(accept_url(invitation))

    assert page.context["organisation"] == sme_owner.company
    assert "Join Seoul Traffic Systems" in page.content.decode()


@pytest.mark.django_db
def test_an_invitation_recorded_for_no_organisation_is_refused(client, sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner, company=None)

    response = client.post(accept_url(invitation), accept_data())

    assert response.status_code == 410
    assert NO_LONGER_VALID in response.content.decode()
    assert not User.objects.filter(username="seoyeon").exists()


@pytest.mark.django_db
def test_a_staff_members_invitation_made_in_the_admin_creates_nobody(client, centre_staff):
    """Staff do not invite; an invitation added in the admin in their name makes no staff account."""
    invitation = factories.InvitationFactory(invited_by=centre_staff)

    response = client.post(accept_url(invitation), accept_data())

    assert response.status_code == 410
    assert not User.objects.filter(username="seoyeon").exists()


@pytest.mark.django_db
def test_an_invitation_accepted_between_the_page_and_the_submit_gives_the_gone_page_not_an_error(
    client, sme_owner, monkeypatch
):
    """The page's own check passed, then another acceptance won: the service's refusal is the 410 page."""
    invitation = factories.InvitationFactory(invited_by=sme_owner)
    accept = services.invitation_accept

    def another_acceptance_first(**kwargs):
        accept(
            invitation=invitation, account=accept_data_as_account(username="first"), consents=REQUIRED_KINDS
        )
        return accept(**kwargs)

    monkeypatch.setattr(services, "invitation_accept", another_acceptance_first)

    response = client.post(accept_url(invitation), accept_data())

    assert response.status_code == 410
    assert (
        "This invitation was already used or has expired. Ask your colleague to send a new one."
        in response.content.decode()
    )
    assert list(User.objects.exclude(pk=sme_owner.pk).values_list("username", flat=True)) == ["first"]


def accept_data_as_account(**changes):
    data = accept_data(**changes)
    return {name: data[name] for name in ["username", "email", "first_name", "last_name"]} | {
        "password": data["password1"]
    }


@pytest.mark.django_db
def test_the_service_refuses_a_used_invitation_with_the_message_the_page_shows(sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner)
    services.invitation_accept(
        invitation=invitation, account=accept_data_as_account(username="first"), consents=REQUIRED_KINDS
    )

    with pytest.raises(services.InvitationUnusable) as refused:
        services.invitation_accept(
            invitation=invitation, account=accept_data_as_account(username="second"), consents=REQUIRED_KINDS
        )

    assert refused.value.messages == [
        "This invitation was already used or has expired. Ask your colleague to send a new one."
    ]
    assert not User.objects.filter(username="second").exists()


@pytest.mark.django_db
def test_the_gone_page_is_in_korean_for_a_korean_browser(client, sme_owner):
    invitation = factories.InvitationFactory(invited_by=sme_owner)
    _deactivate(sme_owner)

    response = client.get(accept_url(invitation), HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 410
    assert (
        "더 이상 유효하지 않은 초대입니다. 기관 구성원에게 새 초대를 요청해 주세요."
        in response.content.decode()
    )


# ---------------------------------------------------------------- sent twice
@pytest.mark.django_db
def test_a_double_click_on_invite_makes_one_invitation_and_one_e_mail(client, sme_owner):
    client.force_login(sme_owner)

    first = client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"}, follow=True)
    second = client.post(INVITE, {"email": "Seoyeon@Seoul-Traffic.example"}, follow=True)

    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "Invitation sent to" in first.content.decode()
    assert "Invitation sent to" in second.content.decode()


@pytest.mark.django_db
def test_sending_again_later_makes_a_new_invitation(client, sme_owner):
    client.force_login(sme_owner)
    client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"})
    Invitation.objects.update(created_at=timezone.now() - services.INVITATION_RESEND_AFTER)

    client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"})

    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_invitation_sent_four_times_at_once_makes_one(sme_owner):
    from tests.races import at_once

    sent = at_once(
        lambda _n: (
            services.invitation_send(
                invited_by=sme_owner,
                email="seoyeon@seoul-traffic.example",
                accept_url_base="http://testserver",
            ).pk
        ),
        list(range(4)),
    )

    assert len(set(sent)) == 1
    assert Invitation.objects.count() == 1
