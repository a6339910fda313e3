"""The public company directory (/companies/) and company profiles (/companies/<pk>/).

Filters, multilingual search, pagination, sorting, bad input, query counts, the Korean
interface, and who may see which profile and its contact details.
"""

import datetime as dt
import functools
import re

import pytest
from django.conf import settings

from matching.companies.models import Company
from matching.companies.services import company_search_refresh
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.conftest import empty_cache, html_in
from tests.directories import (
    NO_CHOICE,
    NUL,
    WITH_LOGGED_IN_QUERIES,
    assert_lists_exactly,
    assert_query_count_does_not_grow,
    assert_refused_and_lists_everything,
    categories_in_order,
    listed,
)

APPROVED = ["Daejeon Mobility Lab", "Hanbit Signal Control", "Incheon Smart Parking", "Nakdong Flood Sensing"]


def shown(response):
    """The English names of the companies on the page, in order."""
    return listed(response, "name_en")


def _refresh_all():
    for company in Company.objects.all():
        company_search_refresh(company=company)


@pytest.fixture
def categories(db):
    return categories_in_order(traffic="smart-traffic", parking="smart-parking", water="water-management")


@pytest.fixture
def directory(categories):
    """Four approved companies, one pending and one rejected, with their search text built."""
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand", name_ko="태국")
    turkiye = factories.CountryFactory(iso_code="TR", name_en="Türkiye", name_ko="튀르키예")
    vietnam = factories.CountryFactory(iso_code="VN", name_en="Viet Nam", name_ko="베트남")
    factories.CountryFactory(iso_code="KR", name_en="Republic of Korea", name_ko="대한민국")
    iso = factories.CertificationFactory(code="iso-9001", name_en="ISO 9001", name_ko="ISO 9001 품질경영")
    gs = factories.CertificationFactory(code="gs-certified", name_en="GS certification", name_ko="GS 인증")
    khon_kaen = factories.CityFactory(
        country=thailand, name_en="Khon Kaen", name_ko="콘깬", name_local="ขอนแก่น", time_zone="Asia/Bangkok"
    )
    traffic, parking, water = categories["traffic"], categories["parking"], categories["water"]

    hanbit = factories.CompanyFactory(
        name_en="Hanbit Signal Control",
        name_ko="한빛신호제어",
        description_en="Adaptive traffic signals for congested junctions.",
        export_countries=[thailand],
        certifications=[iso],
    )
    factories.SolutionFactory(
        company=hanbit,
        name_en="Adaptive signal control",
        name_ko="적응형 신호 제어",
        problem_solved="Junctions jam at rush hour.",
        categories=[traffic],
    )
    incheon = factories.CompanyFactory(
        name_en="Incheon Smart Parking",
        name_ko="인천스마트파킹",
        export_countries=[thailand, vietnam],
        certifications=[gs],
    )
    factories.SolutionFactory(
        company=incheon,
        name_en="Parking guidance",
        name_ko="공영 주차장 안내",
        problem_solved="Drivers circle the block looking for a space.",
        categories=[parking],
    )
    nakdong = factories.CompanyFactory(
        name_en="Nakdong Flood Sensing",
        name_ko="낙동홍수센싱",
        export_countries=[turkiye],
        certifications=[iso, gs],
    )
    sensors = factories.SolutionFactory(
        company=nakdong,
        name_en="Flood sensors",
        name_ko="홍수 감지 센서",
        problem_solved="Flash floods reach markets before anyone is warned.",
        categories=[water],
    )
    factories.ReferenceDeploymentFactory(solution=sensors, city=khon_kaen, client="Khon Kaen municipality")
    daejeon = factories.CompanyFactory(
        name_en="Daejeon Mobility Lab",
        name_ko="대전모빌리티랩",
        description_en="Signal timing and kerbside parking, running in İstanbul since 2021.",
        export_countries=[turkiye],
    )
    factories.SolutionFactory(
        company=daejeon,
        name_en="Kerbside parking sensors",
        name_ko="노상 주차 센서",
        problem_solved="Delivery vans block bus lanes.",
        categories=[parking],
    )
    factories.SolutionFactory(
        company=daejeon,
        name_en="Parking payments",
        name_ko="주차 요금 결제",
        problem_solved="Cash meters are emptied by hand.",
        categories=[parking, traffic],
    )
    gwangju = factories.CompanyFactory(
        name_en="Gwangju Energy Grid",
        name_ko="광주에너지그리드",
        description_en="Parking and signals in İstanbul, flood sensors in ขอนแก่น.",
        approval_status=ApprovalStatus.PENDING,
        export_countries=[thailand, turkiye, vietnam],
        certifications=[iso, gs],
    )
    factories.SolutionFactory(
        company=gwangju,
        name_en="Grid parking",
        name_ko="주차장 전력망",
        problem_solved="Adaptive signal control and flood warning.",
        categories=[parking, traffic, water],
    )
    ulsan = factories.CompanyFactory(
        name_en="Ulsan Parking Robotics",
        name_ko="울산주차로보틱스",
        approval_status=ApprovalStatus.REJECTED,
        rejection_reason="Incomplete documents.",
        export_countries=[thailand],
        certifications=[gs],
    )
    factories.SolutionFactory(
        company=ulsan,
        name_en="Parking robot",
        name_ko="주차 로봇",
        problem_solved="Flood of cars at the stadium.",
        categories=[parking],
    )
    _refresh_all()
    return {"hanbit": hanbit, "incheon": incheon, "nakdong": nakdong, "daejeon": daejeon}


# ---------------------------------------------------------------- list and filters
def test_directory_lists_only_approved_companies_by_name(client, directory):
    response = client.get("/companies/")

    assert shown(response) == APPROVED
    assert response.context["page_obj"].paginator.count == 4
    html = response.content.decode()
    assert "Gwangju Energy Grid" not in html
    assert "Ulsan Parking Robotics" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=smart-parking", ["Daejeon Mobility Lab", "Incheon Smart Parking"]),
        ("category=smart-traffic", ["Daejeon Mobility Lab", "Hanbit Signal Control"]),
        ("category=water-management", ["Nakdong Flood Sensing"]),
        ("country=TH", ["Hanbit Signal Control", "Incheon Smart Parking"]),
        ("country=VN", ["Incheon Smart Parking"]),
        ("country=TR", ["Daejeon Mobility Lab", "Nakdong Flood Sensing"]),
        ("certification=gs-certified", ["Incheon Smart Parking", "Nakdong Flood Sensing"]),
        ("certification=iso-9001", ["Hanbit Signal Control", "Nakdong Flood Sensing"]),
        ("category=smart-parking&country=TH", ["Incheon Smart Parking"]),
        ("category=smart-traffic&q=signal", ["Daejeon Mobility Lab", "Hanbit Signal Control"]),
        ("category=smart-traffic&q=signal&certification=iso-9001", ["Hanbit Signal Control"]),
        ("category=water-management&country=TH", []),
    ],
)
def test_each_filter_narrows_the_directory_to_exactly_the_matching_companies(
    client, directory, query, expected
):
    assert_lists_exactly(client.get(f"/companies/?{query}"), shown, expected)


def test_a_company_with_two_solutions_in_the_category_is_listed_once(client, directory):
    response = client.get("/companies/?category=smart-parking")

    assert shown(response) == ["Daejeon Mobility Lab", "Incheon Smart Parking"]
    assert response.content.decode().count(">Daejeon Mobility Lab</a>") == 1


def test_the_chosen_filters_stay_selected_in_the_form(client, directory):
    html = client.get("/companies/?category=smart-parking&country=TR&sort=newest").content.decode()

    assert '<option value="smart-parking" selected>Smart parking</option>' in html
    assert '<option value="TR" selected>Türkiye</option>' in html
    assert '<option value="newest" selected>Newest first</option>' in html


# ---------------------------------------------------------------- search
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Korean: the particle typed after the noun is ignored; 주차 is in Daejeon's and Incheon's text.
        ("주차를", ["Daejeon Mobility Lab", "Incheon Smart Parking"]),
        # 주차장 (car park) names the parking concept of the thesaurus: Daejeon's kerbside parking too.
        ("주차장에서", ["Daejeon Mobility Lab", "Incheon Smart Parking"]),
        ("홍수", ["Nakdong Flood Sensing"]),
        ("신호", ["Hanbit Signal Control"]),
        # English, whatever the case; every word must match.
        ("flood", ["Nakdong Flood Sensing"]),
        ("FLOOD Sensors", ["Nakdong Flood Sensing"]),
        ("signal", ["Daejeon Mobility Lab", "Hanbit Signal Control"]),
        ("Adaptive SIGNAL", ["Hanbit Signal Control"]),
        ("Khon Kaen", ["Nakdong Flood Sensing"]),
        # Thai: the local name of a reference city.
        ("ขอนแก่น", ["Nakdong Flood Sensing"]),
        # Turkish: İstanbul in a description, typed without the dot or in capitals.
        ("istanbul", ["Daejeon Mobility Lab"]),
        ("ISTANBUL", ["Daejeon Mobility Lab"]),
        ("İstanbul", ["Daejeon Mobility Lab"]),
        ("nothing-like-this", []),
    ],
)
def test_search_finds_companies_in_korean_english_thai_and_turkish(client, directory, q, expected):
    response = client.get("/companies/", {"q": q})

    assert shown(response) == expected


@pytest.mark.parametrize("q", ["Gwangju", "광주에너지그리드", "Ulsan", "울산주차로보틱스"])
def test_search_never_finds_unapproved_companies(client, directory, q):
    response = client.get("/companies/", {"q": q})

    assert shown(response) == []
    assert "Gwangju Energy Grid" not in response.content.decode()


def test_search_sees_a_solution_added_after_the_refresh(client, directory):
    factories.SolutionFactory(
        company=directory["hanbit"],
        name_en="Smart crossings",
        name_ko="스마트 횡단보도",
        problem_solved="Pedestrians cross against the light.",
    )
    assert shown(client.get("/companies/", {"q": "횡단보도를"})) == []

    company_search_refresh(company=directory["hanbit"])
    empty_cache()  # the cached page expired (PAGE_CACHE_SECONDS)

    assert shown(client.get("/companies/", {"q": "횡단보도를"})) == ["Hanbit Signal Control"]


# ---------------------------------------------------------------- sorting
def _set_created(company, day):
    Company.objects.filter(pk=company.pk).update(created_at=dt.datetime(2024, 1, day, tzinfo=dt.UTC))


def test_newest_first_sorts_by_registration_date(client, directory):
    _set_created(directory["hanbit"], 3)
    _set_created(directory["incheon"], 9)
    _set_created(directory["nakdong"], 5)
    _set_created(directory["daejeon"], 1)

    response = client.get("/companies/?sort=newest")

    assert shown(response) == [
        "Incheon Smart Parking",
        "Nakdong Flood Sensing",
        "Hanbit Signal Control",
        "Daejeon Mobility Lab",
    ]


def test_name_sort_is_alphabetical_and_is_the_default(client, directory):
    _set_created(directory["daejeon"], 9)

    assert shown(client.get("/companies/?sort=name")) == APPROVED
    assert shown(client.get("/companies/")) == APPROVED


# ---------------------------------------------------------------- pagination
@pytest.fixture
def many_traffic_companies(categories):
    """23 approved companies with a traffic solution and 2 with a water one."""
    for n in range(1, 24):
        company = factories.CompanyFactory(name_en=f"Traffic Company {n:02d}", name_ko=f"교통기업 {n:02d}")
        factories.SolutionFactory(company=company, categories=[categories["traffic"]])
    for n in range(1, 3):
        company = factories.CompanyFactory(name_en=f"Water Company {n:02d}", name_ko=f"물기업 {n:02d}")
        factories.SolutionFactory(company=company, categories=[categories["water"]])
    _refresh_all()


def test_pagination_links_keep_the_category_filter(client, many_traffic_companies):
    first = client.get("/companies/?category=smart-traffic")

    assert shown(first) == [f"Traffic Company {n:02d}" for n in range(1, 21)]
    assert first.context["page_obj"].paginator.num_pages == 2
    html = first.content.decode()
    assert 'href="?category=smart-traffic&amp;page=2"' in html
    assert 'href="?category=smart-traffic&amp;page=2" rel="next"' in html

    second = client.get("/companies/?category=smart-traffic&page=2")

    assert shown(second) == ["Traffic Company 21", "Traffic Company 22", "Traffic Company 23"]
    assert 'href="?category=smart-traffic&amp;page=1" rel="prev"' in second.content.decode()


def test_pagination_links_keep_a_korean_search_and_the_sort(client, many_traffic_companies):
    html = client.get("/companies/", {"q": "교통기업", "sort": "name"}).content.decode()

    assert 'href="?q=%EA%B5%90%ED%86%B5%EA%B8%B0%EC%97%85&amp;sort=name&amp;page=2"' in html


def test_a_page_that_is_not_a_number_shows_the_first_page(client, many_traffic_companies):
    response = client.get("/companies/?page=abc")

    assert response.context["page_obj"].number == 1
    assert shown(response)[0] == "Traffic Company 01"


@pytest.mark.parametrize("page", ["99999", "0", "-1"])
def test_a_page_out_of_range_shows_the_last_page(client, many_traffic_companies, page):
    response = client.get(f"/companies/?page={page}")

    assert response.context["page_obj"].number == 2
    assert shown(response) == ["Traffic Company 21", "Traffic Company 22", "Traffic Company 23"] + [
        "Water Company 01",
        "Water Company 02",
    ]


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "q=%00%00%00"])
def test_a_nul_byte_in_the_search_is_refused_with_a_message_not_a_server_error(client, directory, query):
    response = client.get(f"/companies/?{query}")

    # An invalid search is left out; the other filters still apply.
    assert_refused_and_lists_everything(response, "q", NUL, shown, APPROVED)


def test_a_ten_thousand_character_search_is_refused_with_a_clear_message(client, directory):
    response = client.get("/companies/", {"q": "x" * 10_000})

    message = "Ensure this value has at most 200 characters (it has 10000)."
    assert_refused_and_lists_everything(response, "q", message, shown, APPROVED)


def test_the_search_box_tells_the_browser_its_two_hundred_character_limit(client, directory):
    html = client.get("/companies/").content.decode()

    search_box = re.search(r'<input type="text" name="q"[^>]*>', html).group(0)
    assert 'maxlength="200"' in search_box


def test_a_search_of_exactly_two_hundred_characters_is_accepted(client, directory):
    response = client.get("/companies/", {"q": "flood " + "x" * 194})

    assert response.context["filter"].errors == {}
    assert shown(response) == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("category=no-such-category", "category", NO_CHOICE),
        ("country=ZZ", "country", NO_CHOICE),
        ("country=th", "country", NO_CHOICE),
        # Korea is left out of the choices: Korean companies export to other countries.
        ("country=KR", "country", NO_CHOICE),
        ("certification=no-such-certificate", "certification", NO_CHOICE),
        ("category=%00", "category", NUL),
        ("country=T%00", "country", NUL),
        ("certification=%00", "certification", NUL),
    ],
)
def test_an_unknown_filter_value_shows_an_error_and_lists_everything(
    client, directory, query, field, message
):
    response = client.get(f"/companies/?{query}")

    assert_refused_and_lists_everything(response, field, message, shown, APPROVED)


def test_an_unknown_sort_shows_an_error_and_keeps_the_name_order(client, directory):
    response = client.get("/companies/?sort=best")

    message = "Select a valid choice. best is not one of the available choices."
    assert response.context["filter"].errors == {"sort": [message]}
    assert message in response.content.decode()
    assert shown(response) == APPROVED


def test_html_in_the_search_is_echoed_escaped(client, directory):
    response = client.get("/companies/", {"q": '<script>alert(1)</script>"><img src=x onerror=alert(2)>'})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"' in html


def test_html_in_an_unknown_sort_is_escaped_in_the_error_message(client, directory):
    html = client.get("/companies/", {"sort": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)" not in html
    assert "Select a valid choice. &lt;script&gt;alert(1)&lt;/script&gt; is not one of the available" in html


# ---------------------------------------------------------------- query counts
@pytest.fixture
def descriptions(categories):
    """What every company in the query-count tests has: two countries, two certifications, two categories."""
    return {
        "categories": [categories["traffic"], categories["water"]],
        "countries": [
            factories.CountryFactory(iso_code="TH", name_en="Thailand"),
            factories.CountryFactory(iso_code="VN", name_en="Viet Nam"),
        ],
        "certifications": [
            factories.CertificationFactory(code="iso-9001", name_en="ISO 9001"),
            factories.CertificationFactory(code="gs-certified", name_en="GS certification"),
        ],
    }


def _fully_described_companies(count, descriptions):
    """Approved companies, each with 2 solutions in 2 categories, 2 export countries and 2 certifications."""
    for _ in range(count):
        company = factories.CompanyFactory(
            export_countries=descriptions["countries"], certifications=descriptions["certifications"]
        )
        for _ in range(2):
            factories.SolutionFactory(company=company, categories=descriptions["categories"])
        company_search_refresh(company=company)


# count, 3 filter selects, companies, export countries, certifications, solutions, categories;
# a logged-in user adds the user (with their organisation, for the menu; the session comes from the cache);
# each chosen category, country or certification is looked up once to validate the form.
@WITH_LOGGED_IN_QUERIES
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/companies/", 9),
        ("/companies/?sort=newest&q=smart", 9),
        ("/companies/?category=smart-traffic&country=TH&certification=iso-9001", 12),
    ],
)
def test_directory_query_count_does_not_grow_with_the_number_of_companies(
    client, request, descriptions, role, logged_in_queries, url, queries
):
    add_rows = functools.partial(_fully_described_companies, descriptions=descriptions)

    assert_query_count_does_not_grow(client, request, role, url, add_rows, queries + logged_in_queries)


def test_directory_query_count_is_pinned_for_a_page_of_twenty(
    client, descriptions, django_assert_num_queries
):
    _fully_described_companies(25, descriptions)

    with django_assert_num_queries(9):
        response = client.get("/companies/?page=2")

    assert len(response.context["page_obj"]) == 5


# ---------------------------------------------------------------- Korean interface
def test_directory_in_korean_shows_korean_names_of_categories_and_companies(client, directory):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    html = html_in(client.get("/companies/"), "ko")

    assert '<option value="smart-parking">스마트 주차</option>' in html
    assert '<option value="water-management">물관리</option>' in html
    assert '<option value="TH">태국</option>' in html
    # The category badge on Daejeon's and Incheon's cards.
    assert html.count(">스마트 주차</span>") == 2
    assert 'class="stretched-link text-decoration-none" lang="ko">인천스마트파킹</a>' in html
    # The other language's name is the secondary line.
    assert (
        '<p class="small text-body-secondary mb-2"><span lang="en">Incheon Smart Parking</span></p>' in html
    )


def test_directory_follows_a_korean_browser(client, directory):
    response = client.get("/companies/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9")

    html = response.content.decode()
    assert response["Content-Language"] == "ko"
    assert '<html lang="ko">' in html
    assert '<option value="smart-traffic">스마트 교통</option>' in html
