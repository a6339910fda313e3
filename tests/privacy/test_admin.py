"""Consents in the admin: listed with filters by law, kind and state, each with its history; read only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.privacy import services
from portal.privacy.models import REQUIRED_KINDS, Consent
from tests import factories

CHANGELIST = "/admin/privacy/consent/"


def signed_up(user, law):
    services.consents_give(user=user, law=law, kinds=REQUIRED_KINDS, source="signup")
    return user


@pytest.mark.django_db
def test_consents_are_filtered_by_law_kind_and_state(admin_client, sme_owner, buyer):
    signed_up(sme_owner, "pipa")
    signed_up(buyer, "pdpa")
    services.consent_change(user=buyer, kind="transfer", granted=False)

    response = admin_client.get(CHANGELIST, {"law": "pdpa", "kind": "transfer", "granted__exact": "0"})

    assert [(c.user, c.kind, c.granted) for c in response.context["cl"].result_list] == [
        (buyer, "transfer", False)
    ]
    filters = [spec.title for spec in response.context["cl"].filter_specs]
    assert filters == ["law", "consent", "given"]


@pytest.mark.django_db
def test_a_consents_page_shows_its_history_and_cannot_be_saved(admin_client, sme_owner):
    signed_up(sme_owner, "pipa")
    services.consent_change(user=sme_owner, kind="transfer", granted=False)
    consent = Consent.objects.get(user=sme_owner, kind="transfer")

    response = admin_client.get(f"{CHANGELIST}{consent.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sign-up" in html and "Privacy page" in html
    assert 'name="_save"' not in html
    assert admin_client.post(f"{CHANGELIST}{consent.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert Consent.objects.filter(pk=consent.pk).exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_consent_list_asks_the_same_queries_with_one_member_or_five(admin_client):
    signed_up(factories.SmeMemberFactory(), "pipa")
    _queries(admin_client, CHANGELIST)
    with_one = _queries(admin_client, CHANGELIST)

    for _ in range(4):
        signed_up(factories.BuyerMemberFactory(), "general")

    assert _queries(admin_client, CHANGELIST) == with_one
