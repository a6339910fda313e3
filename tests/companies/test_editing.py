"""A company's members edit its profile (/companies/<pk>/edit/), solutions and reference deployments.

Only the company's own members (and admins) reach these pages; anyone else gets 404, an
anonymous visitor the login page. Every save rebuilds the company's search text.
"""

import pytest

from matching.companies.models import Solution
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.conftest import on_postgres

REQUIRED = "This field is required."
REQUIRED_IN_ENGLISH = "Required: write this in English."
FOUNDED_RANGE = "The founding year must be between 1900 and 2100."
YEAR_RANGE = "The year must be between 1990 and 2100."


def small_integer_overflow(field, constraint_message):
    """PostgreSQL checks the smallint range on the field; SQLite has none, so the check constraint speaks."""
    if on_postgres():
        return {field: ["Ensure this value is less than or equal to 32767."]}
    return {"__all__": [constraint_message]}


def edit_url(company):
    return f"/companies/{company.pk}/edit/"


def solutions_url(company):
    return f"/companies/{company.pk}/solutions/"


def references_url(company, solution):
    return f"/companies/{company.pk}/solutions/{solution.pk}/references/"


def profile_data(company, **changes):
    data = {
        "name_ko": company.name_ko,
        "name_en": company.name_en,
        "website": "",
        "size": company.size,
        "founded_year": "",
        "description_ko": "",
        "description_en": "",
        "contact_name": "",
        "contact_email": company.contact_email,
        "contact_phone": "",
    }
    return data | changes


def management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_fields(prefix, index, fields):
    """The fields of the formset's form number `index`, named as the browser posts them."""
    return {f"{prefix}-{index}-{name}": value for name, value in fields.items()}


def assert_formset_shows(response, instances, extra):
    """The formset page opens with a form for each of `instances` and `extra` empty ones."""
    assert response.status_code == 200
    formset = response.context["formset"]
    assert [form.instance for form in formset.initial_forms] == instances
    assert len(formset.extra_forms) == extra


def solution_fields(index, solution=None, **values):
    """One solution form of the formset, as the browser posts it."""
    fields = {
        "id": solution.pk if solution else "",
        "name_ko": "",
        "name_en": "",
        "categories": [],
        "problem_solved_en": "",
        "description_en": "",
        "readiness": Solution.Readiness.COMMERCIAL,
        "price_band": "",
    }
    if solution is not None:
        fields |= {
            "name_ko": solution.name_ko,
            "name_en": solution.name_en,
            "categories": [category.pk for category in solution.categories.all()],
            "problem_solved_en": solution.problem_solved_en,
            "description_en": solution.description_en,
            "readiness": solution.readiness,
            "price_band": solution.price_band,
        }
    return form_fields("solutions", index, fields | values)


def reference_fields(index, reference=None, **values):
    fields = {"id": reference.pk if reference else "", "city": "", "year": "", "client": "", "result": ""}
    if reference is not None:
        fields |= {
            "city": reference.city_id,
            "year": reference.year,
            "client": reference.client,
            "result": reference.result,
        }
    return form_fields("references", index, fields | values)


@pytest.fixture
def categories(db):
    return {
        "traffic": factories.CategoryFactory(
            slug="smart-traffic", name_en="Smart traffic", name_ko="스마트 교통"
        ),
        "parking": factories.CategoryFactory(
            slug="smart-parking", name_en="Smart parking", name_ko="스마트 주차"
        ),
    }


@pytest.fixture
def company(sme_owner):
    return sme_owner.company


@pytest.fixture
def member(client, sme_owner):
    client.force_login(sme_owner)
    return client


@pytest.fixture
def signals(company, categories):
    return factories.SolutionFactory(
        company=company,
        name_en="Adaptive signal control",
        name_ko="적응형 신호 제어",
        problem_solved="Junctions jam at rush hour.",
        categories=[categories["traffic"]],
    )


@pytest.fixture
def khon_kaen(buyer):
    return buyer.buyer_organisation.city


def directory_names(client, query):
    response = client.get("/companies/", {"q": query})
    assert response.status_code == 200
    return [company.name_en for company in response.context["page_obj"]]


# ---------------------------------------------------------------- profile
@pytest.mark.django_db
def test_a_member_edits_the_company_profile(member, company):
    data = profile_data(
        company,
        name_en="Seoul Traffic Systems Co.",
        description_en="Amphibious shuttle buses for flooded districts.",
        founded_year="2014",
        contact_phone="+82 2 1234 5678",
    )

    response = member.post(edit_url(company), data)

    assert response.status_code == 302
    assert response["Location"] == f"/companies/{company.pk}/"
    company.refresh_from_db()
    assert company.name_en == "Seoul Traffic Systems Co."
    assert company.description_en == "Amphibious shuttle buses for flooded districts."
    assert company.founded_year == 2014
    assert company.contact_phone == "+82 2 1234 5678"
    assert "amphibious" in company.search_text


@pytest.mark.django_db
def test_the_edit_page_shows_the_current_profile(member, company):
    response = member.get(edit_url(company))

    assert response.status_code == 200
    assert response.context["form"].instance == company
    assert 'value="Seoul Traffic Systems"' in response.content.decode()


@pytest.mark.django_db
def test_an_edited_pending_company_is_found_by_its_new_word_once_approved(client, admin):
    pending = factories.CompanyFactory(
        name_en="Hanbit Signal Control", name_ko="한빛신호제어", approval_status=ApprovalStatus.PENDING
    )
    client.force_login(factories.SmeMemberFactory(company=pending))
    client.post(edit_url(pending), profile_data(pending, description_en="Amphibious shuttles for floods."))
    assert directory_names(client, "amphibious") == []

    client.force_login(admin)
    client.post(f"/accounts/reviews/company/{pending.pk}/approve/")

    client.logout()
    assert directory_names(client, "amphibious") == ["Hanbit Signal Control"]
    assert directory_names(client, "Amphibious shuttles") == ["Hanbit Signal Control"]


@pytest.mark.django_db
def test_an_edit_replaces_the_old_words_in_the_search(member, company):
    member.post(edit_url(company), profile_data(company, description_en="Amphibious shuttles."))

    member.post(edit_url(company), profile_data(company, description_en="Hydrogen trams."))

    assert directory_names(member, "hydrogen") == ["Seoul Traffic Systems"]
    assert directory_names(member, "amphibious") == []


@pytest.mark.django_db
def test_a_founding_year_outside_1900_to_2100_is_refused(member, company):
    response = member.post(edit_url(company), profile_data(company, founded_year="1800"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["The founding year must be between 1900 and 2100."]
    }
    assert "The founding year must be between 1900 and 2100." in response.content.decode()
    company.refresh_from_db()
    assert company.founded_year is None


@pytest.mark.django_db
def test_a_founding_year_beyond_a_small_integer_is_refused_not_a_database_error(member, company):
    response = member.post(edit_url(company), profile_data(company, founded_year="40000"))

    assert response.status_code == 200
    assert response.context["form"].errors == small_integer_overflow("founded_year", FOUNDED_RANGE)


@pytest.mark.django_db
def test_an_invalid_profile_keeps_what_the_member_typed(member, company):
    data = profile_data(
        company, name_en="", description_en="Amphibious shuttles.", contact_email="not an address"
    )

    response = member.post(edit_url(company), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name_en": [REQUIRED_IN_ENGLISH],
        "contact_email": ["Enter a valid email address."],
    }
    content = response.content.decode()
    assert "Amphibious shuttles." in content
    assert 'value="not an address"' in content
    company.refresh_from_db()
    assert company.name_en == "Seoul Traffic Systems"


@pytest.mark.django_db
def test_a_korean_city_is_the_only_headquarters_offered_and_a_foreign_one_is_refused(
    member, company, khon_kaen
):
    korea = factories.CountryFactory(iso_code="KR", name_en="Republic of Korea", name_ko="대한민국")
    seoul = factories.CityFactory(country=korea, name_en="Seoul", name_ko="서울", time_zone="Asia/Seoul")

    offered = list(member.get(edit_url(company)).context["form"].fields["headquarters"].queryset)
    response = member.post(edit_url(company), profile_data(company, headquarters=khon_kaen.pk))

    assert offered == [seoul]
    assert response.context["form"].errors == {
        "headquarters": [
            "Khon Kaen is in Thailand, not in Republic of Korea: choose a city of Republic of Korea."
        ]
    }


# ---------------------------------------------------------------- who may edit
@pytest.mark.parametrize("role", ["stranger", "buyer", "centre_staff"])
@pytest.mark.django_db
def test_others_get_404_on_the_editing_pages_of_someone_elses_company(
    client, request, role, company, signals
):
    client.force_login(request.getfixturevalue(role))

    for url in [edit_url(company), solutions_url(company), references_url(company, signals)]:
        assert client.get(url).status_code == 404, url
    assert client.post(edit_url(company), profile_data(company, name_en="Hijacked")).status_code == 404
    assert client.post(solutions_url(company), management("solutions", 0, 0)).status_code == 404
    assert client.post(references_url(company, signals), management("references", 0, 0)).status_code == 404
    company.refresh_from_db()
    assert company.name_en == "Seoul Traffic Systems"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_from_the_editing_pages(client, company, signals):
    for url in [edit_url(company), solutions_url(company), references_url(company, signals)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}"
    response = client.post(edit_url(company), profile_data(company, name_en="Hijacked"))
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name_en == "Seoul Traffic Systems"


@pytest.mark.django_db
def test_an_admin_may_edit_any_company(client, admin, company):
    client.force_login(admin)

    response = client.post(edit_url(company), profile_data(company, description_en="Checked by KOTRA."))

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.description_en == "Checked by KOTRA."


@pytest.mark.django_db
def test_a_member_of_a_pending_company_can_edit_it(client):
    pending = factories.CompanyFactory(approval_status=ApprovalStatus.PENDING)
    client.force_login(factories.SmeMemberFactory(company=pending))

    assert client.get(edit_url(pending)).status_code == 200
    assert client.get(solutions_url(pending)).status_code == 200


@pytest.mark.django_db
def test_an_unknown_company_is_404(member):
    assert member.get("/companies/999999/edit/").status_code == 404


# ---------------------------------------------------------------- solutions
@pytest.mark.django_db
def test_a_member_adds_two_solutions_at_once(member, company, categories):
    data = management("solutions", 2, 0)
    data |= solution_fields(
        0,
        name_ko="적응형 신호 제어",
        name_en="Adaptive signal control",
        categories=[categories["traffic"].pk],
        problem_solved_en="Junctions jam at rush hour.",
        price_band="50k-250k",
    )
    data |= solution_fields(
        1,
        name_ko="주차 안내",
        name_en="Parking guidance",
        categories=[categories["parking"].pk, categories["traffic"].pk],
        problem_solved_en="Drivers circle the block looking for a space.",
        readiness=Solution.Readiness.EXPORTED,
    )

    response = member.post(solutions_url(company), data)

    assert response.status_code == 302
    assert response["Location"] == solutions_url(company)
    solutions = list(company.solutions.order_by("name_en"))
    assert [(s.name_en, s.name_ko, s.readiness, s.price_band) for s in solutions] == [
        ("Adaptive signal control", "적응형 신호 제어", "commercial", "50k-250k"),
        ("Parking guidance", "주차 안내", "exported", ""),
    ]
    assert {c.slug for c in solutions[1].categories.all()} == {"smart-parking", "smart-traffic"}
    company.refresh_from_db()
    assert "parking guidance" in company.search_text
    assert "스마트 주차" in company.search_text


@pytest.mark.django_db
def test_the_solutions_page_lists_existing_solutions_and_one_empty_form(member, company, signals):
    response = member.get(solutions_url(company))

    assert_formset_shows(response, [signals], 1)


@pytest.mark.django_db
def test_a_member_edits_one_solution_and_deletes_another(member, company, categories, signals):
    parking = factories.SolutionFactory(
        company=company, name_en="Parking guidance", name_ko="주차 안내", categories=[categories["parking"]]
    )
    data = management("solutions", 3, 2)
    data |= solution_fields(
        0, signals, name_en="Adaptive signals", problem_solved_en="Gridlock at junctions."
    )
    data |= solution_fields(1, parking, DELETE="on")
    data |= solution_fields(2)

    response = member.post(solutions_url(company), data)

    assert response.status_code == 302
    assert list(company.solutions.all()) == [signals]
    signals.refresh_from_db()
    assert (signals.name_en, signals.problem_solved) == ("Adaptive signals", "Gridlock at junctions.")
    assert not Solution.objects.filter(pk=parking.pk).exists()
    company.refresh_from_db()
    assert "adaptive signals" in company.search_text
    assert "parking guidance" not in company.search_text


@pytest.mark.django_db
def test_a_solution_without_categories_or_problem_is_refused_and_keeps_the_input(member, company):
    data = management("solutions", 1, 0)
    data |= solution_fields(
        0, name_ko="홍수 센서", name_en="Flood sensors", description_en="Ultrasonic gauges."
    )

    response = member.post(solutions_url(company), data)

    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.errors == [{"categories": [REQUIRED], "problem_solved_en": [REQUIRED_IN_ENGLISH]}]
    content = response.content.decode()
    assert "Please correct the fields marked below; nothing you typed is lost." in content
    assert 'value="Flood sensors"' in content
    assert 'value="홍수 센서"' in content
    assert "Ultrasonic gauges." in content
    assert not company.solutions.exists()


@pytest.mark.django_db
def test_one_invalid_solution_saves_none_of_the_others(member, company, categories, signals):
    data = management("solutions", 2, 1)
    data |= solution_fields(0, signals, name_en="Renamed signals")
    data |= solution_fields(
        1, name_en="Flood sensors", name_ko="홍수 센서", categories=[categories["traffic"].pk]
    )

    response = member.post(solutions_url(company), data)

    assert response.status_code == 200
    assert response.context["formset"].errors == [{}, {"problem_solved_en": [REQUIRED_IN_ENGLISH]}]
    signals.refresh_from_db()
    assert signals.name_en == "Adaptive signal control"
    assert company.solutions.count() == 1


@pytest.mark.django_db
def test_two_solutions_with_the_same_english_name_are_refused(member, company, categories, signals):
    data = management("solutions", 2, 1)
    data |= solution_fields(0, signals)
    data |= solution_fields(
        1,
        name_en="Adaptive signal control",
        name_ko="또 다른 신호",
        categories=[categories["traffic"].pk],
        problem_solved_en="Same name again.",
    )

    response = member.post(solutions_url(company), data)

    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.non_form_errors() == ["Please correct the duplicate data for name_en."]
    assert company.solutions.count() == 1


@pytest.mark.django_db
def test_a_ten_thousand_character_solution_name_gets_the_length_error(member, company, categories):
    data = management("solutions", 1, 0)
    data |= solution_fields(
        0,
        name_ko="긴 이름",
        name_en="S" * 10_000,
        categories=[categories["traffic"].pk],
        problem_solved_en="x",
    )

    response = member.post(solutions_url(company), data)

    assert response.status_code == 200
    assert response.context["formset"].errors == [
        {"name_en": ["Ensure this value has at most 200 characters (it has 10000)."]}
    ]


@pytest.mark.django_db
def test_more_than_twenty_solutions_are_refused(member, company, categories):
    data = management("solutions", 21, 0)
    for index in range(21):
        data |= solution_fields(
            index,
            name_ko=f"솔루션 {index}",
            name_en=f"Solution {index}",
            categories=[categories["traffic"].pk],
            problem_solved_en="Gridlock.",
        )

    response = member.post(solutions_url(company), data)

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == ["Please submit at most 20 forms."]
    assert not company.solutions.exists()


@pytest.mark.django_db
def test_a_post_without_the_management_form_is_refused_not_a_server_error(member, company, signals):
    response = member.post(solutions_url(company), {"solutions-0-name_en": "Tampered"})

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [
        "ManagementForm data is missing or has been tampered with. "
        "Missing fields: solutions-TOTAL_FORMS, solutions-INITIAL_FORMS. "
        "You may need to file a bug report if the issue persists."
    ]
    signals.refresh_from_db()
    assert signals.name_en == "Adaptive signal control"


@pytest.mark.django_db
def test_a_solution_of_another_company_cannot_be_edited_through_the_members_formset(
    member, company, stranger, categories
):
    theirs = factories.SolutionFactory(company=stranger.company, name_en="Water meters")
    data = management("solutions", 1, 1)
    data |= solution_fields(0, theirs, name_en="Stolen water meters", categories=[categories["traffic"].pk])

    member.post(solutions_url(company), data)

    theirs.refresh_from_db()
    assert (theirs.name_en, theirs.company) == ("Water meters", stranger.company)
    assert list(Solution.objects.values_list("name_en", flat=True)) == ["Water meters"]
