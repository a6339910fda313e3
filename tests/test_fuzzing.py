"""Hypothesis drives every form and every list filter of the portal with generated inputs on PostgreSQL.

Each target is one form (or one list page's filters) submitted through the test client as the role
that uses it, in English or Korean. Every response must be below 500 and show no payload unescaped;
when a submission was stored, the pages that show it must show the payload escaped. E-mails a request
sends on commit are sent within it. Each example runs in a savepoint that is rolled back, so examples do
not depend on each other. The inputs actually sent are counted per target (each at least its budget)
and in total (at least 1000). The world's own names carry payloads and line breaks too.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
)
from django.core import mail
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_filters import FilterSet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.companies import filters as company_filters
from matching.companies import forms as company_forms
from matching.consultations.booking import forms as booking_forms
from matching.consultations.booking import scheduler_runs
from matching.consultations.events import forms as event_forms
from matching.consultations.outcomes import forms as outcome_forms
from matching.demands import filters as demand_filters
from matching.demands import forms as demand_forms
from portal.accounts import forms as account_forms
from tests import fuzzing as fz
from tests.fuzz_event_targets import (
    admin_filter_target,
    companies_filter_target,
    dashboard_export_target,
    dashboard_target,
    demands_filter_target,
    demands_mine_target,
    event_create_target,
    event_edit_target,
    event_reopen_target,
    follow_up_target,
    grid_target,
    interpreter_create_target,
    interpreter_edit_target,
    join_target,
    log_filter_target,
    log_target,
    meet_target,
    meeting_cancel_target,
    meeting_change_answer_target,
    meeting_change_ask_target,
    meeting_create_target,
    meeting_edit_target,
    meeting_prefill_target,
    outcome_target,
    programme_session_create_target,
    programme_session_edit_target,
    registration_create_target,
    registration_edit_target,
    request_create_target,
    schedule_target,
    walk_in_target,
)
from tests.fuzz_targets import (
    Target,
    company_edit_target,
    demand_create_target,
    demand_edit_target,
    invitation_accept_target,
    invite_target,
    login_target,
    password_change_target,
    password_reset_confirm_target,
    password_reset_target,
    references_target,
    review_reject_target,
    set_language_target,
    signup_target,
    solutions_target,
)
from tests.fuzz_world import (
    ATTR,
    IMG,
    SCRIPT,
    _values,
    world,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.postgres

TOTAL_INPUTS = 1000
# fmt: off
TARGETS = [
    Target("login", None, 50, login_target, (AuthenticationForm,)),
    Target("signup", None, 60, signup_target,
           (account_forms.AccountForm, account_forms.CompanySignupForm, account_forms.BuyerSignupForm)),
    Target("invite", "sme_owner", 30, invite_target, (account_forms.InvitationForm,)),
    Target("invitation_accept", None, 40, invitation_accept_target, (account_forms.InvitationAcceptForm,)),
    Target("review_reject", "centre_staff", 40, review_reject_target, (account_forms.RejectionForm,)),
    Target("password_change", "sme_owner", 30, password_change_target, (PasswordChangeForm,)),
    Target("password_reset", None, 30, password_reset_target, (account_forms.PasswordResetForm,)),
    Target("password_reset_confirm", None, 30, password_reset_confirm_target, (SetPasswordForm,)),
    Target("set_language", None, 30, set_language_target, stores=False),
    Target("company_edit", "sme_owner", 60, company_edit_target, (company_forms.CompanyProfileForm,)),
    Target("company_solutions", "sme_owner", 50, solutions_target,
           (company_forms.SolutionForm, company_forms.SolutionFormSet)),
    Target("solution_references", "sme_owner", 45, references_target,
           (company_forms.ReferenceDeploymentForm, company_forms.ReferenceDeploymentFormSet)),
    Target("demand_create", "buyer", 50, demand_create_target, (demand_forms.DemandForm,)),
    Target("demand_edit", "centre_staff", 50, demand_edit_target, (demand_forms.DemandForm,)),
    Target("event_create", "centre_staff", 60, event_create_target, (event_forms.EventForm,)),
    Target("schedule_run", "centre_staff", 30, schedule_target, (booking_forms.ScheduleForm,),
           stores=False),
    Target("request_create", "centre_staff", 30, request_create_target, stores=False),
    Target("meeting_create", "centre_staff", 50, meeting_create_target, (booking_forms.MeetingForm,)),
    Target("meeting_edit", "centre_staff", 45, meeting_edit_target, (booking_forms.MeetingForm,)),
    Target("walk_in", "centre_staff", 35, walk_in_target, (outcome_forms.WalkInForm,)),
    Target("meeting_cancel", "centre_staff", 30, meeting_cancel_target, (booking_forms.MeetingCancelForm,)),
    Target("meeting_change_ask", "sme_owner", 40, meeting_change_ask_target,
           (booking_forms.MeetingChangeRequestForm,)),
    Target("meeting_change_answer", "centre_staff", 40, meeting_change_answer_target,
           (booking_forms.MeetingChangeAnswerForm,)),
    Target("event_edit", "centre_staff", 30, event_edit_target, (event_forms.EventEditForm,), stores=False),
    Target("event_reopen", "centre_staff", 30, event_reopen_target, (event_forms.ReopenForm,)),
    Target("registration_create", "centre_staff", 45, registration_create_target,
           (event_forms.RegistrationForm,)),
    Target("registration_edit", "centre_staff", 35, registration_edit_target,
           (event_forms.RegistrationForm,)),
    Target("interpreter_create", "centre_staff", 45, interpreter_create_target,
           (event_forms.InterpreterForm,)),
    Target("interpreter_edit", "centre_staff", 35, interpreter_edit_target,
           (event_forms.InterpreterForm,)),
    Target("programme_session_create", "centre_staff", 45, programme_session_create_target,
           (event_forms.ProgrammeSessionForm,)),
    Target("programme_session_edit", "centre_staff", 30, programme_session_edit_target,
           (event_forms.ProgrammeSessionForm,)),
    Target("event_join", "stranger", 40, join_target, (event_forms.RegistrationForm,)),
    Target("event_meet", "sme_owner", 45, meet_target, (booking_forms.MeetingRequestForm,)),
    Target("meeting_outcome", "sme_owner", 45, outcome_target, (outcome_forms.OutcomeForm,)),
    Target("consultation_log", "centre_staff", 45, log_target, (outcome_forms.OutcomeForm,)),
    Target("follow_up", "sme_owner", 40, follow_up_target, (outcome_forms.FollowUpForm,)),
    Target("companies_filter", None, 80, companies_filter_target, (company_filters.CompanyDirectoryFilter,),
           stores=False),
    Target("demands_filter", None, 80, demands_filter_target, (demand_filters.DemandDirectoryFilter,),
           stores=False),
    Target("demands_mine_page", "buyer", 30, demands_mine_target, stores=False),
    Target("dashboard_filter", "centre_staff", 40, dashboard_target, stores=False),
    Target("dashboard_export_filter", "centre_staff", 30, dashboard_export_target, stores=False),
    Target("grid_day", "centre_staff", 35, grid_target, stores=False),
    Target("log_table_day", "centre_staff", 35, log_filter_target, stores=False),
    Target("meeting_create_prefill", "centre_staff", 35, meeting_prefill_target, stores=False),
    Target("admin_changelists", "admin", 60, admin_filter_target, stores=False),
]
# fmt: on


@dataclass
class Driven:
    """What one target's run sent: every generated input, and those the portal accepted."""

    inputs: int = 0
    stored: int = 0


@pytest.fixture
def no_background_scheduler(monkeypatch):
    """A valid time limit would enqueue a run of CP-SAT for every generated input."""
    monkeypatch.setattr(scheduler_runs, "schedule_event_enqueue", lambda **kwargs: None)


def _send(client, submission, data):
    if submission.method == "get":
        return client.get(submission.url, data)
    return client.post(submission.url, data)


def _check_display(target, submission, response, data):
    display = submission.display
    if callable(display):
        display = display(response, data)
    kept = _values(data)
    for page, names in display:
        if isinstance(page, str):
            page = submission.client.get(page)
            assert page.status_code == 200, (
                f"{target}: {page.request['PATH_INFO']} answered {page.status_code}"
            )
        fz.assert_no_raw_payload(page, f"{target} (display)")
        fz.assert_shown_escaped(
            page, fz.markers_in(kept[name] for name in names if name in kept), str(target)
        )


def _fuzz(target, world, capture_on_commit):
    """Run hypothesis on one target; every example is one request with generated inputs."""
    driven = Driven()
    user = world.users.get(target.role)

    @settings(
        max_examples=target.budget,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(st.data())
    def fuzz(data):
        mail.outbox = []
        language = data.draw(st.sampled_from(["en", "ko"]), label="language")
        # A savepoint per example, rolled back: examples neither see nor depend on each other's data.
        with translation.override("en"), transaction.atomic():
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            if user is not None:
                client.force_login(user)
            submission = target.build(world, data.draw, client)
            submission.client = client
            values = data.draw(fz.submissions(submission.fields), label="submitted")
            # E-mails go out when the request's transaction commits: run them as part of the request.
            with capture_on_commit(execute=True):
                response = _send(client, submission, values)
            driven.inputs += 1
            where = f"{target}: {submission.method.upper()} {submission.url}"
            assert response.status_code < 500, where
            if response.streaming:
                b"".join(response.streaming_content)
            fz.assert_no_raw_payload(response, where)
            accepted = 302 if submission.method == "post" else 200
            if response.status_code == accepted:
                driven.stored += 1
                if submission.display:
                    _check_display(target, submission, response, values)
            transaction.set_rollback(True)

    fuzz()
    return driven


def test_hypothesis_drives_every_form_and_filter_with_1000_inputs_without_a_server_error(
    subtests, world, no_background_scheduler, django_capture_on_commit_callbacks, settings
):
    """One test for all targets (a subtest each), so the total is counted in one process, with xdist too."""
    # Every input comes from one address: rate limits (tests/accounts/test_rate_limits.py) would answer
    # most sign-ups, resets and invitations with 429 instead of letting their forms judge them.
    settings.RATELIMIT_ENABLE = False
    sent = {}
    for target in TARGETS:
        with subtests.test(target=target.name):
            driven = _fuzz(target, world, django_capture_on_commit_callbacks)
            sent[target.name] = driven.inputs
            assert driven.inputs >= target.budget
            if target.stores:
                assert driven.stored > 0, (
                    f"{target}: no generated submission was accepted; the strategies are off"
                )

    assert set(sent) == {target.name for target in TARGETS}, "some targets failed: see their subtests"
    assert sum(sent.values()) >= TOTAL_INPUTS, sent


SEEDED_PAGES = {
    # page: (role, URL, the payloads of the world's names that it shows)
    "companies:list": (None, lambda w: reverse("companies:list"), [IMG]),
    "companies:detail": (
        None,
        lambda w: reverse("companies:detail", args=[w.free_company.pk]),
        [IMG, SCRIPT],
    ),
    "demands:list": (None, lambda w: reverse("demands:list"), [SCRIPT, IMG]),
    "demands:detail": (None, lambda w: reverse("demands:detail", args=[w.open_demand.pk]), [SCRIPT, IMG]),
    "consultations:meet": ("sme_owner", lambda w: reverse("consultations:meet", args=[w.event.pk]), [SCRIPT]),
    "consultations:registrations": (
        "centre_staff",
        lambda w: reverse("consultations:registrations", args=[w.event.pk]),
        [SCRIPT],
    ),
    "consultations:interpreters": (
        "centre_staff",
        lambda w: reverse("consultations:interpreters", args=[w.event.pk]),
        [ATTR],
    ),
    "consultations:meeting_create": (
        "centre_staff",
        lambda w: reverse("consultations:meeting_create", args=[w.event.pk]),
        [SCRIPT, ATTR],
    ),
    "consultations:detail": (
        "centre_staff",
        lambda w: reverse("consultations:detail", args=[w.event.pk]),
        [SCRIPT],
    ),
    "dashboard": ("centre_staff", lambda w: reverse("dashboard"), [IMG]),
}


@pytest.mark.parametrize("page", SEEDED_PAGES)
def test_payloads_in_stored_names_render_escaped_on_the_pages_that_show_them(client, world, page):
    role, url, payloads = SEEDED_PAGES[page]
    if role is not None:
        client.force_login(world.users[role])
    response = client.get(url(world))

    assert response.status_code == 200
    fz.assert_no_raw_payload(response, page)
    fz.assert_shown_escaped(response, payloads, page)


def _portal_forms():
    modules = [
        account_forms,
        company_forms,
        demand_forms,
        event_forms,
        booking_forms,
        outcome_forms,
        company_filters,
        demand_filters,
    ]
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseForm | BaseFormSet | FilterSet):
                if value.__module__ == module.__name__:
                    yield value


def test_every_form_and_filter_of_the_portal_has_a_fuzzing_target():
    covered = {form for target in TARGETS for form in target.covers}
    assert set(_portal_forms()) - covered == set()
