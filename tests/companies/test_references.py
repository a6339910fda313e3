"""A member keeps the company's reference deployments: adding, listing, deleting, and what is refused."""

import pytest

from matching.companies.models import Company, ReferenceDeployment
from tests import factories
from tests.companies.test_editing import (  # noqa: F401 (fixtures and helpers)
    REQUIRED,
    YEAR_RANGE,
    assert_formset_shows,
    categories,
    company,
    khon_kaen,
    management,
    member,
    reference_fields,
    references_url,
    signals,
    small_integer_overflow,
    solution_fields,
    solutions_url,
)


# ---------------------------------------------------------------- reference deployments
@pytest.mark.django_db
def test_a_member_adds_a_reference_deployment(member, company, signals, khon_kaen):
    data = management("references", 2, 0)
    data |= reference_fields(
        0, city=khon_kaen.pk, year="2022", client="Khon Kaen municipality", result="-12 %"
    )
    data |= reference_fields(1)

    response = member.post(references_url(company, signals), data)

    assert response.status_code == 302
    assert response["Location"] == solutions_url(company)
    reference = ReferenceDeployment.objects.get()
    assert (reference.solution, reference.city, reference.year, reference.client, reference.result) == (
        signals,
        khon_kaen,
        2022,
        "Khon Kaen municipality",
        "-12 %",
    )
    company.refresh_from_db()
    assert "khon kaen" in company.search_text


@pytest.mark.django_db
def test_the_references_page_lists_existing_deployments_and_two_empty_forms(
    member, company, signals, khon_kaen
):
    reference = factories.ReferenceDeploymentFactory(solution=signals, city=khon_kaen)

    response = member.get(references_url(company, signals))

    assert_formset_shows(response, [reference], 2)


@pytest.mark.django_db
def test_a_member_deletes_a_reference_deployment(member, company, signals, khon_kaen):
    reference = factories.ReferenceDeploymentFactory(solution=signals, city=khon_kaen)
    data = management("references", 1, 1) | reference_fields(0, reference, DELETE="on")

    response = member.post(references_url(company, signals), data)

    assert response.status_code == 302
    assert not ReferenceDeployment.objects.exists()


@pytest.mark.parametrize(
    ("year", "errors"),
    [
        ("1800", {"__all__": [YEAR_RANGE]}),
        ("2101", {"__all__": [YEAR_RANGE]}),
        ("-5", {"year": ["Ensure this value is greater than or equal to 0."]}),
        ("twenty", {"year": ["Enter a whole number."]}),
        ("", {"year": [REQUIRED]}),
    ],
)
@pytest.mark.django_db
def test_an_impossible_deployment_year_is_refused_with_a_message(
    member, company, signals, khon_kaen, year, errors
):
    data = management("references", 1, 0)
    data |= reference_fields(0, city=khon_kaen.pk, year=year, client="Khon Kaen municipality")

    response = member.post(references_url(company, signals), data)

    assert response.status_code == 200
    assert response.context["formset"].errors == [errors]
    assert 'value="Khon Kaen municipality"' in response.content.decode()
    assert not ReferenceDeployment.objects.exists()


@pytest.mark.django_db
def test_more_than_thirty_reference_deployments_are_refused(member, company, signals, khon_kaen):
    data = management("references", 31, 0)
    for index in range(31):
        data |= reference_fields(index, city=khon_kaen.pk, year="2020", client=f"District {index}")

    response = member.post(references_url(company, signals), data)

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == ["Please submit at most 30 forms."]
    assert not ReferenceDeployment.objects.exists()


@pytest.mark.django_db
def test_a_deployment_year_beyond_a_small_integer_is_refused_not_a_database_error(
    member, company, signals, khon_kaen
):
    data = management("references", 1, 0) | reference_fields(0, city=khon_kaen.pk, year="40000")

    response = member.post(references_url(company, signals), data)

    assert response.status_code == 200
    assert response.context["formset"].errors == [small_integer_overflow("year", YEAR_RANGE)]
    assert not ReferenceDeployment.objects.exists()


@pytest.mark.django_db
def test_a_solution_id_of_another_company_is_404(member, company, stranger):
    theirs = factories.SolutionFactory(company=stranger.company)

    assert member.get(references_url(company, theirs)).status_code == 404
    assert member.post(references_url(company, theirs), management("references", 0, 0)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_solution_id_is_404(member, company):
    assert member.get(f"/companies/{company.pk}/solutions/999999/references/").status_code == 404


@pytest.mark.django_db
def test_a_company_deleted_solution_keeps_no_references(member, company, signals, khon_kaen):
    factories.ReferenceDeploymentFactory(solution=signals, city=khon_kaen)
    data = management("solutions", 1, 1) | solution_fields(0, signals, DELETE="on")

    member.post(solutions_url(company), data)

    assert not Company.objects.get(pk=company.pk).solutions.exists()
    assert not ReferenceDeployment.objects.exists()
