"""Every registered admin page renders for an administrator, with real rows; others go to the admin login."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.kernel.models import Role
from portal.accounts.models import User
from tests import factories

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label_lower)
# Rows the portal creates itself (meetings, requests, outcomes and follow-ups by its services, login
# attempts by django-axes): no add page. tests/test_admin_writes.py has the consultations' rules.
NOT_ADDED_BY_HAND = {
    "consultations.meeting",
    "consultations.meetingrequest",
    "consultations.outcome",
    "consultations.followup",
    "consultations.meetingreminder",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    # Evidence of consent, written by portal.privacy.services only.
    "privacy.consent",
    "privacy.noticetext",
    # Opened by the member on the privacy page, carried out by the admin's action (portal.privacy.erasure).
    "privacy.deletionrequest",
    # Programme sessions are kept on the event's programme page; arrivals are recorded at the door.
    "consultations.programmesession",
    "consultations.arrival",
}
ADDABLE = [model for model in REGISTERED if model._meta.label_lower not in NOT_ADDED_BY_HAND]


def _ids(model):
    return model._meta.label_lower


def _url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.fixture
def rows(admin, sme_owner, buyer, centre_staff):
    factories.admin_rows(sme_owner)


def test_admin_fixture_is_an_administrator_without_organisation(admin):
    assert admin.role == Role.ADMIN
    assert (admin.is_staff, admin.is_superuser, admin.organisation) == (True, True, None)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=_ids)
def test_admin_changelist_lists_real_rows(admin_client, rows, model):
    count = model._default_manager.count()

    response = admin_client.get(_url(model, "changelist"))

    assert count > 0, f"add rows of {model._meta.label} to the `rows` fixture"
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=_ids)
def test_admin_changelist_search_answers(admin_client, rows, model):
    response = admin_client.get(_url(model, "changelist"), {"q": "Smart"})

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADDABLE, ids=_ids)
def test_admin_add_page_answers(admin_client, rows, model):
    response = admin_client.get(_url(model, "add"))

    assert response.status_code == 200
    assert response.context["add"] is True


@pytest.mark.django_db
def test_follow_ups_cannot_be_added_by_hand(admin_client):
    assert admin_client.get("/admin/consultations/followup/add/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=_ids)
def test_admin_change_page_shows_the_object(admin_client, rows, model):
    obj = model._default_manager.order_by("pk").last()

    response = admin_client.get(_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.django_db
def test_meeting_changelist_filters_by_event(admin_client, rows):
    meeting = factories.MeetingFactory()

    response = admin_client.get(
        _url(meeting._meta.model, "changelist"), {"slot__event__id__exact": meeting.slot.event_id}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [meeting]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/consultations/meeting/", "/admin/companies/company/add/"]
)
def test_sme_member_is_sent_to_the_admin_login(client, sme_owner, path):
    client.force_login(sme_owner)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"/admin/login/?next={path}"


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/consultations/meeting/")

    assert response.status_code == 302
    assert response.url == "/admin/login/?next=/admin/consultations/meeting/"


FACTORY_FOR = {
    factory._meta.model: factory
    for factory in [
        factories.CountryFactory,
        factories.CityFactory,
        factories.LanguageFactory,
        factories.CategoryFactory,
        factories.CertificationFactory,
        factories.CompanyFactory,
        factories.SolutionFactory,
        factories.ReferenceDeploymentFactory,
        factories.TradeCentreFactory,
        factories.BuyerOrganisationFactory,
        factories.SmeMemberFactory,
        factories.InvitationFactory,
        factories.DemandFactory,
        factories.EventFactory,
        factories.TimeSlotFactory,
        factories.TableFactory,
        factories.InterpreterFactory,
        factories.SmeRegistrationFactory,
        factories.MeetingRequestFactory,
        factories.MeetingFactory,
        factories.OutcomeFactory,
        factories.MouFactory,
        factories.FollowUpFactory,
        factories.ProgrammeSessionFactory,
        factories.ArrivalFactory,
    ]
}


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in REGISTERED if m in FACTORY_FOR], ids=_ids)
def test_admin_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    url = _url(model, "changelist")
    FACTORY_FOR[model]()
    _queries(admin_client, url)  # warm the session and content-type caches
    with_one = _queries(admin_client, url)

    FACTORY_FOR[model].create_batch(4)
    with_five = _queries(admin_client, url)

    assert with_five == with_one


@pytest.mark.django_db
def test_admin_user_form_explains_a_role_without_its_organisation(admin_client):
    response = admin_client.post(
        _url(User, "add"),
        {
            "username": "new-sme-member",
            "usable_password": "true",
            "password1": "Roadshow-Bangkok-2022",
            "password2": "Roadshow-Bangkok-2022",
            "role": Role.SME_MEMBER,
            "company": "",
            "buyer_organisation": "",
            "trade_centre": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "An SME member needs a company, a buyer member a buyer organisation, "
        "centre staff a trade centre, and an administrator none of them."
    ]
    assert User.objects.filter(username="new-sme-member").exists() is False
