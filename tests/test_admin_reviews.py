"""The admin never writes around the reviews of organisations or the publication of demand listings.

A Korean company's or buyer's approval status and rejection reason are written by
matching.approvals.organisation_review (it records the decision and e-mails the members after the commit):
the admin shows them read-only, approves through an action and sends rejections (a reason each) to the
review queue. A listing's status and publication date are written by demand_publish and demand_close: the
admin shows them read-only and publishes or closes through actions. Every other field stays editable.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.utils import timezone

from matching.companies.models import Company
from matching.demands.models import BuyerOrganisation, Demand
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.accounts.test_review_queue import pending_company, pending_thai_buyer  # noqa: F401
from tests.test_admin_writes import (
    actions_offered,
    assert_no_actions_offered,
    history_of,
    log_in_as_viewer,
    messages_of,
)

pytestmark = pytest.mark.django_db

COMPANIES = "/admin/companies/company/"
BUYERS = "/admin/demands/buyerorganisation/"
DEMANDS = "/admin/demands/demand/"
REJECTED = "Your business registration certificate names another company."


def posted_unchanged(response):
    """What the admin change (or add) page would post if nothing were touched: the main form's values and
    every inline's management form and rows."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
        )
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                value = [str(item) for item in value]
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


@pytest.fixture
def hanbit(pending_company):  # noqa: F811
    """Hanbit Signal Control, a pending Korean company; members jiwoo@ and minjun@hanbit.example."""
    return pending_company


@pytest.fixture
def udon_thani(pending_thai_buyer):  # noqa: F811
    """Udon Thani City Municipality, a pending Thai buyer; member somchai@udon.example."""
    return pending_thai_buyer


# ---------------------------------------------------------------- organisations: no status by hand
def test_a_company_posted_to_its_admin_page_keeps_its_review_but_saves_its_other_fields(admin_client, hanbit):
    data = posted_unchanged(admin_client.get(f"{COMPANIES}{hanbit.pk}/change/"))
    data.update(approval_status="approved", rejection_reason="", contact_phone="+82 2 555 0100")

    response = admin_client.post(f"{COMPANIES}{hanbit.pk}/change/", data)

    assert response.status_code == 302
    hanbit.refresh_from_db()
    assert (hanbit.approval_status, hanbit.rejection_reason, hanbit.contact_phone) == (
        ApprovalStatus.PENDING,
        "",
        "+82 2 555 0100",
    )
    assert mail.outbox == []


def test_a_rejected_company_cannot_be_approved_or_its_reason_cleared_by_editing_it(admin_client, hanbit):
    Company.objects.filter(pk=hanbit.pk).update(
        approval_status=ApprovalStatus.REJECTED, rejection_reason=REJECTED
    )
    data = posted_unchanged(admin_client.get(f"{COMPANIES}{hanbit.pk}/change/"))
    data.update(approval_status="approved", rejection_reason="")

    admin_client.post(f"{COMPANIES}{hanbit.pk}/change/", data)

    hanbit.refresh_from_db()
    assert (hanbit.approval_status, hanbit.rejection_reason) == (ApprovalStatus.REJECTED, REJECTED)


def test_a_buyer_posted_to_its_admin_page_keeps_its_review_and_its_listings_their_status(
    admin_client, udon_thani
):
    draft = factories.DemandFactory(buyer=udon_thani, title="Flood sensors on the Pao river")
    data = posted_unchanged(admin_client.get(f"{BUYERS}{udon_thani.pk}/change/"))
    data.update(
        {
            "approval_status": "approved",
            "name_local": "เทศบาลนครอุดรธานี",
            "demands-0-status": "open",
            "demands-0-title_en": "Flood sensors on the Pao and Luang rivers",
        }
    )

    response = admin_client.post(f"{BUYERS}{udon_thani.pk}/change/", data)

    assert response.status_code == 302
    udon_thani.refresh_from_db()
    draft.refresh_from_db()
    assert (udon_thani.approval_status, udon_thani.name_local) == (ApprovalStatus.PENDING, "เทศบาลนครอุดรธานี")
    assert (draft.status, draft.published_at, draft.title) == (
        Demand.Status.DRAFT,
        None,
        "Flood sensors on the Pao and Luang rivers",
    )


def test_a_company_added_in_the_admin_waits_for_review(admin_client, db):
    data = posted_unchanged(admin_client.get(f"{COMPANIES}add/"))
    data.update(
        name_ko="누리스마트",
        name_en="Nuri Smart",
        business_registration_number=factories.valid_brn(900),
        approval_status="approved",
    )

    response = admin_client.post(f"{COMPANIES}add/", data)

    assert response.status_code == 302
    company = Company.objects.get(name_en="Nuri Smart")
    assert (company.approval_status, company.rejection_reason) == (ApprovalStatus.PENDING, "")


def test_a_buyer_added_in_the_admin_waits_for_review(admin_client, db):
    city = factories.CityFactory(name_en="Nakhon Ratchasima")
    data = posted_unchanged(admin_client.get(f"{BUYERS}add/"))
    data.update(name="Nakhon Ratchasima City", kind="city", city=city.pk, approval_status="approved")

    response = admin_client.post(f"{BUYERS}add/", data)

    assert response.status_code == 302
    assert (
        BuyerOrganisation.objects.get(name="Nakhon Ratchasima City").approval_status == ApprovalStatus.PENDING
    )


def test_the_change_page_of_a_pending_company_sends_its_rejection_to_the_review_queue(admin_client, hanbit):
    response = admin_client.get(f"{COMPANIES}{hanbit.pk}/change/")

    adminform = response.context["adminform"]
    assert {"approval_status", "rejection_reason"} & set(adminform.form.fields) == set()
    assert adminform.readonly_fields == ["approval_status", "rejection_reason", "review"]
    queue = f"/accounts/reviews/#company-{hanbit.pk}-reason"
    assert f'<a href="{queue}">Approve or reject it in the review queue</a>' in response.content.decode()


def test_the_change_page_of_an_approved_buyer_says_how_it_was_decided(admin_client, udon_thani):
    BuyerOrganisation.objects.filter(pk=udon_thani.pk).update(approval_status=ApprovalStatus.APPROVED)

    response = admin_client.get(f"{BUYERS}{udon_thani.pk}/change/")

    assert response.context["adminform"].readonly_fields == ["approval_status", "rejection_reason", "review"]
    assert "/accounts/reviews/" not in response.content.decode()


# ---------------------------------------------------------------- organisations: approve through the review
def test_the_admin_offers_approve_on_companies_and_buyers(admin_client, hanbit, udon_thani):
    assert actions_offered(admin_client, COMPANIES) == ["delete_selected", "approve_selected"]
    assert actions_offered(admin_client, BUYERS) == ["delete_selected", "approve_selected"]


def test_approving_companies_in_the_admin_e_mails_their_members_and_skips_approved_ones(
    admin_client, admin, hanbit, django_capture_on_commit_callbacks
):
    rejected = factories.CompanyFactory(
        name_en="Daehan Smart Lighting", approval_status=ApprovalStatus.REJECTED, rejection_reason=REJECTED
    )
    factories.SmeMemberFactory(username="seoyeon", email="seoyeon@daehan.example", company=rejected)
    approved = factories.CompanyFactory(name_en="Seoul Traffic Systems")
    factories.SmeMemberFactory(username="hyunwoo", email="hyunwoo@seoul-traffic.example", company=approved)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            COMPANIES,
            {"action": "approve_selected", "_selected_action": [hanbit.pk, rejected.pk, approved.pk]},
        )

    assert response.status_code == 302
    assert messages_of(response) == ["2 Korean companies approved; their members are e-mailed."]
    assert list(Company.objects.order_by("pk").values_list("approval_status", "rejection_reason")) == [
        ("approved", ""),
        ("approved", ""),
        ("approved", ""),
    ]
    assert sorted((message.subject, *message.to) for message in mail.outbox) == [
        (
            "Your organisation on the K-Smart City export portal: Approved",
            "jiwoo@hanbit.example",
            "minjun@hanbit.example",
        ),
        ("Your organisation on the K-Smart City export portal: Approved", "seoyeon@daehan.example"),
    ]
    assert history_of(hanbit) == [(CHANGE, "Approved; its members are e-mailed.")]
    assert history_of(rejected) == [(CHANGE, "Approved; its members are e-mailed.")]
    assert history_of(approved) == []
    assert set(LogEntry.objects.values_list("user", flat=True)) == {admin.pk}


def test_approving_a_buyer_in_the_admin_e_mails_its_members(
    admin_client, udon_thani, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            BUYERS, {"action": "approve_selected", "_selected_action": [udon_thani.pk]}
        )

    assert messages_of(response) == ["1 buyer organisation approved; its members are e-mailed."]
    udon_thani.refresh_from_db()
    assert udon_thani.approval_status == ApprovalStatus.APPROVED
    assert [(message.subject, message.to) for message in mail.outbox] == [
        ("Your organisation on the K-Smart City export portal: Approved", ["somchai@udon.example"])
    ]
    assert history_of(udon_thani) == [(CHANGE, "Approved; its members are e-mailed.")]


def test_an_admin_who_may_only_view_companies_gets_no_approve_action(client, hanbit):
    log_in_as_viewer(client, "view_company")

    assert_no_actions_offered(client, COMPANIES)
    client.post(COMPANIES, {"action": "approve_selected", "_selected_action": [hanbit.pk]})
    hanbit.refresh_from_db()
    assert hanbit.approval_status == ApprovalStatus.PENDING
    assert mail.outbox == []


# ---------------------------------------------------------------- demand listings: no status by hand
def test_a_listing_posted_to_its_admin_page_keeps_its_status_but_saves_its_other_fields(admin_client, buyer):
    demand = factories.DemandFactory(
        buyer=buyer.buyer_organisation, title="Smart parking for the night market"
    )
    data = posted_unchanged(admin_client.get(f"{DEMANDS}{demand.pk}/change/"))
    data.update(status="open", published_at_0="2025-09-01", published_at_1="09:00:00", deadline="2025-12-31")

    response = admin_client.post(f"{DEMANDS}{demand.pk}/change/", data)

    assert response.status_code == 302
    demand.refresh_from_db()
    assert (demand.status, demand.published_at, str(demand.deadline)) == (
        Demand.Status.DRAFT,
        None,
        "2025-12-31",
    )


def test_a_listing_added_in_the_admin_is_a_draft_recorded_as_written_by_the_admin(admin_client, admin, buyer):
    organisation = buyer.buyer_organisation
    category = factories.CategoryFactory()
    data = posted_unchanged(admin_client.get(f"{DEMANDS}add/"))
    data.update(
        buyer=organisation.pk,
        city=organisation.city_id,
        title_en="Air quality sensors near schools",
        problem_en="Parents cannot see the smoke season's air at the school gate.",
        categories=[category.pk],
        procurement_type=Demand._meta.get_field("procurement_type").default,
        status="open",
    )

    response = admin_client.post(f"{DEMANDS}add/", data)

    assert response.status_code == 302
    demand = Demand.objects.get(title_en="Air quality sensors near schools")
    assert (demand.status, demand.published_at, demand.created_by) == (Demand.Status.DRAFT, None, admin)
    assert "air quality sensors near schools" in demand.search_text


def test_the_status_of_a_listing_is_not_a_field_of_its_admin_form(admin_client, buyer):
    demand = factories.DemandFactory(buyer=buyer.buyer_organisation)

    response = admin_client.get(f"{DEMANDS}{demand.pk}/change/")

    assert {"status", "published_at"} & set(response.context["adminform"].form.fields) == set()


# ---------------------------------------------------------------- demand listings: publish and close
def test_the_admin_offers_publish_and_close_on_listings(admin_client, buyer):
    factories.DemandFactory(buyer=buyer.buyer_organisation)

    assert actions_offered(admin_client, DEMANDS) == ["delete_selected", "publish_selected", "close_selected"]


def test_publishing_in_the_admin_opens_drafts_and_closed_listings_through_the_service(admin_client, buyer):
    organisation = buyer.buyer_organisation
    first_published = timezone.now() - timezone.timedelta(days=40)
    draft = factories.DemandFactory(buyer=organisation, title="Draft")
    closed = factories.DemandFactory(
        buyer=organisation, title="Closed", status=Demand.Status.CLOSED, published_at=first_published
    )
    already_open = factories.DemandFactory(buyer=organisation, title="Open", published=True)
    before = timezone.now()

    response = admin_client.post(
        DEMANDS, {"action": "publish_selected", "_selected_action": [draft.pk, closed.pk, already_open.pk]}
    )

    assert response.status_code == 302
    assert messages_of(response) == ["2 listings published."]
    for demand in (draft, closed):
        demand.refresh_from_db()
    assert (draft.status, closed.status, closed.published_at) == ("open", "open", first_published)
    assert draft.published_at >= before
    assert history_of(draft) == [(CHANGE, "Published.")]
    assert history_of(closed) == [(CHANGE, "Published.")]
    assert history_of(already_open) == []


def test_a_listing_of_a_buyer_not_yet_approved_is_not_published_and_the_admin_says_why(
    admin_client, udon_thani
):
    demand = factories.DemandFactory(buyer=udon_thani, title="Pao river flood sensors")

    response = admin_client.post(DEMANDS, {"action": "publish_selected", "_selected_action": [demand.pk]})

    assert response.status_code == 302
    assert messages_of(response) == [
        "Pao river flood sensors: The buyer is not approved yet; the listing stays a draft until it is."
    ]
    demand.refresh_from_db()
    assert (demand.status, demand.published_at) == (Demand.Status.DRAFT, None)
    assert history_of(demand) == []


def test_closing_in_the_admin_closes_open_listings_and_says_why_a_draft_is_not_closed(admin_client, buyer):
    organisation = buyer.buyer_organisation
    draft = factories.DemandFactory(buyer=organisation, title="Draft")
    open_one = factories.DemandFactory(buyer=organisation, title="Open", published=True)
    published_at = open_one.published_at

    response = admin_client.post(
        DEMANDS, {"action": "close_selected", "_selected_action": [draft.pk, open_one.pk]}
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Draft: Only an open listing can be closed.", "1 listing closed."]
    draft.refresh_from_db()
    open_one.refresh_from_db()
    assert (draft.status, open_one.status, open_one.published_at) == ("draft", "closed", published_at)
    assert history_of(open_one) == [(CHANGE, "Closed.")]
    assert history_of(draft) == []
