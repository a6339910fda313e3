"""The admin site in the permission matrix: every admin URL as every role, against one written table.

Only administrators (is_staff) use the admin; trade-centre staff work in the portal. Everyone else is
sent to the admin's login page. `test_every_named_url_of_the_portal_is_in_the_matrix` (in
test_permission_matrix.py) fails when an admin URL is missing here.
"""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from matching.companies.models import Company
from tests import factories
from tests.csp import assert_page_works_under_the_policy
from tests.roles import ADMIN, ANON, ROLES, users_by_role


def _row(admin_status, others=302):
    """Everyone but the administrator gets `others` (the redirect to the admin login)."""
    return {**{role: others for role in ROLES if role != ADMIN}, ADMIN: admin_status}


ADMIN_ONLY = _row(200)
# Login records django-axes writes itself: administrators read (and may delete) them but do not add them.
NOT_ADDED_BY_HAND = _row(403)
# Rows the portal's services write (booking rules, e-mails, the calendar revision, history): administrators
# read them and change them through the changelist's actions only, never by the add or delete page.
NOT_WRITTEN_BY_HAND = _row(403)
# No request parameters: the admin refuses the autocomplete query itself.
REFUSED = _row(403)
# Django sends a non-administrator's logout to the admin index (and so to its login); the administrator
# is logged out and goes to the portal's home page (LOGOUT_REDIRECT_URL).
LOGOUT = _row(302)
# The login page shows to everyone; an administrator already logged in goes on to the index.
LOGIN = {**{role: 200 for role in ROLES if role != ADMIN}, ADMIN: 302}
# No model has a public page of its own.
NOT_FOUND = _row(404)

# The models' pages, in the admin's order: list, add, change, history and delete (a confirmation page).
MODEL_PAGES = ["changelist", "add", "change", "history", "delete"]
LOGS = {"axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
# Their change page shows the row read-only (200).
SERVICE_WRITTEN_MODELS = {
    "consultations_meetingrequest",
    "consultations_meeting",
    "consultations_outcome",
    "consultations_followup",
    "consultations_meetingreminder",
    "privacy_consent",
    "privacy_noticetext",
    "privacy_deletionrequest",
    "consultations_programmesession",
}
# Recorded at the door by the check-in service: never added by hand; a mistaken one may be deleted.
ARRIVALS = {"consultations_arrival"}
MODELS = [
    "auth_group",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "kernel_tradecentre",
    "accounts_user",
    "accounts_invitation",
    "privacy_consent",
    "privacy_noticetext",
    "privacy_deletionrequest",
    "geo_country",
    "geo_city",
    "geo_language",
    "kernel_category",
    "kernel_certification",
    "companies_company",
    "companies_solution",
    "companies_referencedeployment",
    "demands_buyerorganisation",
    "demands_demand",
    "consultations_event",
    "consultations_timeslot",
    "consultations_table",
    "consultations_interpreter",
    "consultations_registration",
    "consultations_meetingrequest",
    "consultations_meeting",
    "consultations_outcome",
    "consultations_mou",
    "consultations_followup",
    "consultations_meetingreminder",
    "consultations_programmesession",
    "consultations_arrival",
]
APP_LABELS = ["auth", "axes", "accounts", "privacy", "geo", "kernel", "companies", "demands", "consultations"]


def _model_page(model, page):
    if model in SERVICE_WRITTEN_MODELS and page in ("add", "delete"):
        return NOT_WRITTEN_BY_HAND
    if model in (LOGS | ARRIVALS) and page == "add":
        return NOT_ADDED_BY_HAND
    return ADMIN_ONLY


# fmt: off
EXPECTED = {
    "admin:index": ADMIN_ONLY,
    "admin:login": LOGIN,
    "admin:logout": LOGOUT,
    "admin:password_change": ADMIN_ONLY,
    "admin:password_change_done": ADMIN_ONLY,
    "admin:autocomplete": REFUSED,
    "admin:jsi18n": ADMIN_ONLY,
    "admin:view_on_site": NOT_FOUND,
    **{f"admin:app_list ({label})": ADMIN_ONLY for label in APP_LABELS},
    **{
        f"admin:{model}_{page}": _model_page(model, page)
        for model in MODELS
        for page in MODEL_PAGES
    },
    "admin:auth_user_password_change": ADMIN_ONLY,
    # One past version of an outcome, an MOU and a follow-up (django-simple-history).
    "admin:consultations_outcome_simple_history": ADMIN_ONLY,
    "admin:consultations_mou_simple_history": ADMIN_ONLY,
    "admin:consultations_followup_simple_history": ADMIN_ONLY,
}
# fmt: on


def _model(name):
    app_label, model_name = name.split("_", 1)
    return apps.get_model(app_label, model_name)


def _first(name):
    return _model(name)._default_manager.order_by("pk").first()


def admin_request(label):
    """(method, url) of an admin matrix label, with the first row of the model where one is needed."""
    name = label.split(" (")[0].removeprefix("admin:")
    if name == "app_list":
        return "get", reverse("admin:app_list", args=[label.split("(")[1].rstrip(")")])
    if name == "logout":
        return "post", reverse("admin:logout")
    if name == "view_on_site":
        company = Company.objects.order_by("pk").first()
        return "get", reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(Company).pk, company.pk]
        )
    if name == "auth_user_password_change":
        return "get", reverse(f"admin:{name}", args=[_first("accounts_user").pk])
    if name.endswith("_simple_history"):
        row = _first(name.removesuffix("_simple_history"))
        version = row.history.order_by("history_id").first()
        return "get", reverse(f"admin:{name}", args=[row.pk, version.history_id])
    for page in ("change", "history", "delete"):
        if name.endswith(f"_{page}") and name.removesuffix(f"_{page}") in MODELS:
            return "get", reverse(f"admin:{name}", args=[_first(name.removesuffix(f"_{page}")).pk])
    return "get", reverse(f"admin:{name}")


@pytest.fixture
def users(sme_owner, stranger, buyer, centre_staff, other_centre_staff, admin, bangkok_centre):
    other_buyer = factories.BuyerMemberFactory(username="other_buyer")
    factories.admin_rows(sme_owner)
    return users_by_role(sme_owner, stranger, buyer, other_buyer, centre_staff, other_centre_staff, admin)


@pytest.mark.parametrize("label", list(EXPECTED))
def test_every_role_gets_the_expected_status_from_every_admin_url(users, label):
    """One label, all roles: the rows are built once per admin URL (the admin pages are the slow ones)."""
    method, url = admin_request(label)
    statuses = {}
    for role in ROLES:
        client = Client()
        if role != ANON:
            client.force_login(users[role])
        response = getattr(client, method)(url)
        statuses[role] = response.status_code
        if response.status_code == 302:
            assert response["Location"] == _redirect(label, role, url), role
        # django-simple-history's history list draws its paginator without a top border in a style
        # attribute; the policy blocks it and the page only gains a line.
        tolerated = {"style attribute on <p>"} if label.endswith("_history") else set()
        assert_page_works_under_the_policy(response, tolerated)

    assert statuses == EXPECTED[label], f"{method.upper()} {url}"


def _redirect(label, role, url):
    if label == "admin:logout":
        return reverse("home") if role == ADMIN else reverse("admin:index")
    if label == "admin:login":
        return reverse("admin:index")
    return f"{reverse('admin:login')}?next={url}"


def test_every_model_in_the_admin_is_in_the_table():
    from django.contrib import admin

    registered = {f"{model._meta.app_label}_{model._meta.model_name}" for model in admin.site._registry}

    assert registered == set(MODELS)
