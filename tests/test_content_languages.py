"""Listings, company profiles and solutions written in more than one language.

English is required; Korean, Thai and Turkish as the author chooses. A page shows the viewer's language,
else English, else whichever exists, and marks text shown in another language than the page's.
"""

import pytest
from django.db import IntegrityError, transaction

from matching.companies.forms import CompanyProfileForm
from matching.demands.forms import DemandForm
from matching.demands.models import Demand
from portal.common.localised import ShownText, localised_text, texts_shown
from tests import factories

THAI_TITLE = "ระบบเตือนภัยน้ำท่วมสำหรับตลาดกลางคืน"
THAI_PROBLEM = "น้ำท่วมฉับพลันไหลเข้าถึงแผงค้าในตลาดก่อนที่ใครจะได้รับการเตือน ต้องการเซนเซอร์วัดระดับน้ำในคลอง"
ENGLISH_TITLE = "Flood warning for the night market"
ENGLISH_PROBLEM = "Flash floods reach the market stalls before anyone is warned."
REQUIRED_IN_ENGLISH = "Required: write this in English."
THAI_INCOMPLETE = "Write this in Thai too, or clear the other Thai text."


@pytest.fixture
def flood(db):
    return factories.CategoryFactory(slug="flood-prevention", name_en="Flood prevention", name_ko="홍수 방재")


@pytest.fixture
def thai_buyer(buyer):
    buyer.language = "th"
    buyer.save(update_fields=["language"])
    return buyer


def listing_data(buyer, category, **texts):
    data = {
        "city": buyer.buyer_organisation.city_id,
        "categories": [category.pk],
        "required_certifications": [],
        "budget_band": "",
        "timeline": "",
        "procurement_type": Demand.ProcurementType.PILOT,
        "deadline": "",
    }
    for field in ("title", "problem"):
        for code in ("ko", "en", "th", "tr"):
            data[f"{field}_{code}"] = ""
    return data | texts


@pytest.fixture
def bilingual_listing(buyer, flood):
    return factories.DemandFactory(
        buyer=buyer.buyer_organisation,
        published=True,
        categories=[flood],
        title_en=ENGLISH_TITLE,
        problem_en=ENGLISH_PROBLEM,
        title_th=THAI_TITLE,
        problem_th=THAI_PROBLEM,
    )


# ---------------------------------------------------------------- which text a page shows
@pytest.mark.parametrize(
    ("language", "shown"),
    [("th", ("th", THAI_TITLE)), ("en", ("en", ENGLISH_TITLE)), ("ko", ("en", ENGLISH_TITLE))],
)
def test_a_listing_reads_in_the_page_language_else_in_english(bilingual_listing, language, shown):
    text = localised_text(bilingual_listing, "title", language)

    assert isinstance(text, ShownText)
    assert (text.language, str(text)) == shown


def test_a_text_written_only_in_thai_is_shown_in_thai_on_a_korean_page(db):
    company = factories.CompanyFactory(description_en="", description_ko="", description_th="ไทย")

    text = localised_text(company, "description", "ko")

    assert (text.language, str(text)) == ("th", "ไทย")


def test_the_property_reads_the_active_language_and_writes_english(bilingual_listing):
    from django.utils import translation

    with translation.override("th"):
        assert bilingual_listing.title == THAI_TITLE
    with translation.override("tr"):
        assert bilingual_listing.title == ENGLISH_TITLE
    bilingual_listing.title = "New English title"
    assert bilingual_listing.title_en == "New English title"
    assert bilingual_listing.title_th == THAI_TITLE


def test_a_reader_may_ask_for_another_written_language_but_not_for_a_missing_one(bilingual_listing):
    asked = texts_shown(bilingual_listing, ("title", "problem"), "en")
    missing = texts_shown(bilingual_listing, ("title", "problem"), "tr")

    assert (asked.language, asked.texts["problem"]) == ("en", ENGLISH_PROBLEM)
    assert asked.languages == ["en", "th"]
    assert missing.language in {"en", "th"}  # the page's language decides; never an empty Turkish text
    assert missing.texts["title"] in {ENGLISH_TITLE, THAI_TITLE}


@pytest.mark.django_db
def test_a_thai_page_shows_the_thai_text_marked_thai(client, bilingual_listing):
    response = client.get(f"/demands/{bilingual_listing.pk}/", HTTP_ACCEPT_LANGUAGE="th")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<span lang="th">{THAI_TITLE}</span>' in html
    assert f'lang="th">{THAI_PROBLEM}</p>' in html
    assert ENGLISH_PROBLEM not in html
    assert "shown-language" not in html


@pytest.mark.django_db
def test_a_korean_page_shows_the_english_text_marked_as_english(client, bilingual_listing):
    response = client.get(f"/demands/{bilingual_listing.pk}/", HTTP_ACCEPT_LANGUAGE="ko")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<span lang="en">{ENGLISH_TITLE}</span>' in html
    assert "shown-language" in html
    assert "영어" in html  # "in English", said in Korean
    assert 'href="?text=th" lang="th" hreflang="th"' in html  # the Thai version is one click away


@pytest.mark.django_db
def test_the_text_link_switches_the_language_of_the_text_only(client, bilingual_listing):
    response = client.get(f"/demands/{bilingual_listing.pk}/", {"text": "th"}, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert f'lang="th">{THAI_PROBLEM}</p>' in html


@pytest.mark.django_db
def test_an_unknown_text_language_is_ignored(client, bilingual_listing):
    response = client.get(
        f"/demands/{bilingual_listing.pk}/", {"text": "xx<script>"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert f'lang="en">{ENGLISH_PROBLEM}</p>' in response.content.decode()


# ---------------------------------------------------------------- writing in several languages
@pytest.mark.django_db
def test_a_thai_buyer_saves_a_listing_in_thai_and_english(client, thai_buyer, flood):
    client.force_login(thai_buyer)
    data = listing_data(
        thai_buyer,
        flood,
        title_en=ENGLISH_TITLE,
        problem_en=ENGLISH_PROBLEM,
        title_th=THAI_TITLE,
        problem_th=THAI_PROBLEM,
    )

    response = client.post("/demands/new/", data)

    assert response.status_code == 302
    demand = Demand.objects.get()
    assert (demand.title_en, demand.title_th, demand.problem_th) == (ENGLISH_TITLE, THAI_TITLE, THAI_PROBLEM)
    assert (demand.title_ko, demand.title_tr) == ("", "")
    assert "คลอง" in demand.search_text  # Thai words are searchable


@pytest.mark.django_db
def test_the_thai_buyers_form_puts_thai_first_and_folds_korean_and_turkish(client, thai_buyer):
    client.force_login(thai_buyer)

    response = client.get("/demands/new/")

    groups = response.context["form"].language_groups()
    assert [(g.code, g.required, g.is_open) for g in groups] == [
        ("th", False, True),
        ("en", True, True),
        ("ko", False, False),
        ("tr", False, False),
    ]
    html = response.content.decode()
    assert html.count("<details") == 2
    assert 'name="title_th"' in html and 'lang="th"' in html


@pytest.mark.django_db
def test_a_thai_title_without_its_problem_is_refused_and_everything_typed_is_kept(client, thai_buyer, flood):
    client.force_login(thai_buyer)
    data = listing_data(
        thai_buyer, flood, title_en=ENGLISH_TITLE, problem_en=ENGLISH_PROBLEM, title_th=THAI_TITLE
    )

    response = client.post("/demands/new/", data)

    assert response.status_code == 200
    form = response.context["form"]
    with_english_messages = {field: [str(e) for e in errors] for field, errors in form.errors.items()}
    assert list(with_english_messages) == ["problem_th"]
    assert form["title_th"].value() == THAI_TITLE
    assert THAI_TITLE in response.content.decode()
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_the_half_written_language_error_names_the_language(thai_buyer, flood):
    data = listing_data(
        thai_buyer, flood, title_en=ENGLISH_TITLE, problem_en=ENGLISH_PROBLEM, problem_th=THAI_PROBLEM
    )

    form = DemandForm(data, user=thai_buyer)

    assert not form.is_valid()
    assert form.errors == {"title_th": [THAI_INCOMPLETE]}
    thai = next(group for group in form.language_groups() if group.code == "th")
    assert thai.is_open


@pytest.mark.django_db
def test_a_listing_without_english_gets_the_english_message_and_keeps_the_thai(client, buyer, flood):
    client.force_login(buyer)  # reads English (tests.factories): the message is checked word for word
    data = listing_data(buyer, flood, title_th=THAI_TITLE, problem_th=THAI_PROBLEM)

    response = client.post("/demands/new/", data)

    form = response.context["form"]
    assert form.errors == {"title_en": [REQUIRED_IN_ENGLISH], "problem_en": [REQUIRED_IN_ENGLISH]}
    assert form["problem_th"].value() == THAI_PROBLEM
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_a_hundred_kilobyte_thai_text_gets_the_length_error(client, thai_buyer, flood):
    client.force_login(thai_buyer)
    data = listing_data(
        thai_buyer,
        flood,
        title_en=ENGLISH_TITLE,
        problem_en=ENGLISH_PROBLEM,
        title_th=THAI_TITLE,
        problem_th="น" * 100_000,
    )

    response = client.post("/demands/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "problem_th": ["Ensure this value has at most 5000 characters (it has 100000)."]
    }
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_language_with_a_title_but_no_problem(bilingual_listing):
    bilingual_listing.problem_th = ""

    with pytest.raises(IntegrityError), transaction.atomic():
        bilingual_listing.save()


@pytest.mark.django_db
def test_the_database_refuses_a_listing_without_english(bilingual_listing):
    bilingual_listing.title_en = ""

    with pytest.raises(IntegrityError), transaction.atomic():
        bilingual_listing.save()


# ---------------------------------------------------------------- companies and solutions
@pytest.mark.django_db
def test_a_company_adds_a_turkish_description_and_keeps_korean_and_english_required(sme_owner):
    company = sme_owner.company
    data = {
        "name_ko": company.name_ko,
        "name_en": "",
        "description_tr": "Sel ve deprem için IoT sensörleri.",
        "size": company.size,
    }

    form = CompanyProfileForm(data, instance=company)

    assert not form.is_valid()
    assert form.errors["name_en"] == [REQUIRED_IN_ENGLISH]
    turkish = next(group for group in form.language_groups() if group.code == "tr")
    assert (turkish.is_open, turkish.fields[1].value()) == (True, "Sel ve deprem için IoT sensörleri.")


@pytest.mark.django_db
def test_a_thai_reader_sees_a_companys_thai_description_and_solution(client, sme_owner):
    company = sme_owner.company
    company.description_th = "เซนเซอร์ IoT สำหรับเตือนภัยน้ำท่วม"
    company.approval_status = "approved"
    company.save()
    factories.SolutionFactory(
        company=company,
        problem_solved_en="Floods come unannounced.",
        problem_solved_th="น้ำท่วมมาโดยไม่มีใครเตือน",
    )

    html = client.get(f"/companies/{company.pk}/", HTTP_ACCEPT_LANGUAGE="th").content.decode()

    assert 'lang="th">เซนเซอร์ IoT สำหรับเตือนภัยน้ำท่วม' in html
    assert '<span lang="th">น้ำท่วมมาโดยไม่มีใครเตือน</span>' in html
    assert "Floods come unannounced." not in html
