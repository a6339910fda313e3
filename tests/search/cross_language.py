"""The listings and companies the cross-language directory tests search (SQLite and PostgreSQL)."""

import datetime as dt

import pytest

from matching.companies.models import Company
from matching.companies.services import company_search_refresh
from matching.demands.models import Demand
from matching.demands.services import demand_search_refresh
from tests import factories

THAI_FLOOD = "ระบบเตือนภัยน้ำท่วม ตลาดโต้รุ่งขอนแก่น / Flood warning for the night market"
ISTANBUL_FLOOD = "Ayamama Deresi su baskını erken uyarı"
ISTANBUL_TRAFFIC = "Kavşaklarda trafik sıkışıklığı ve otopark sorunu"
BANGKOK_PARKING = "Parking guidance for 40 municipal car parks"
KOREAN_FLOOD = "Nakdong Water Sensing"
KOREAN_PARKING = "Hanbit Parking"

# Query -> listings found (newest first), companies found (by English name).
CROSS_LANGUAGE = [
    ("홍수", [ISTANBUL_FLOOD, THAI_FLOOD], [KOREAN_FLOOD]),
    ("홍수를", [ISTANBUL_FLOOD, THAI_FLOOD], [KOREAN_FLOOD]),
    ("sel", [ISTANBUL_FLOOD, THAI_FLOOD], [KOREAN_FLOOD]),
    ("trafik", [BANGKOK_PARKING, ISTANBUL_TRAFFIC], []),
    ("otopark", [BANGKOK_PARKING, ISTANBUL_TRAFFIC], [KOREAN_PARKING]),
    ("น้ำท่วม", [ISTANBUL_FLOOD, THAI_FLOOD], [KOREAN_FLOOD]),
    ("ที่จอดรถ", [BANGKOK_PARKING, ISTANBUL_TRAFFIC], [KOREAN_PARKING]),
    ("flooding", [ISTANBUL_FLOOD, THAI_FLOOD], [KOREAN_FLOOD]),
    ("akıllı otopark", [BANGKOK_PARKING, ISTANBUL_TRAFFIC], [KOREAN_PARKING]),
]


def _published(day):
    return dt.datetime(2025, 3, day, 9, tzinfo=dt.UTC)


@pytest.fixture
def cross_language(db):
    """Flood listings in Thai and English and in Turkish, a Turkish traffic and parking listing, an English
    parking one; a Korean flood company written in Korean only, a parking company in English."""
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand", name_ko="태국")
    turkiye = factories.CountryFactory(iso_code="TR", name_en="Türkiye", name_ko="튀르키예")
    khon_kaen = factories.CityFactory(
        country=thailand, name_en="Khon Kaen", name_ko="콘깬", name_local="ขอนแก่น"
    )
    bangkok = factories.CityFactory(
        country=thailand, name_en="Bangkok", name_ko="방콕", name_local="กรุงเทพมหานคร"
    )
    istanbul = factories.CityFactory(
        country=turkiye,
        name_en="Istanbul",
        name_ko="이스탄불",
        name_local="İstanbul",
        time_zone="Europe/Istanbul",
    )
    listings = [
        (
            khon_kaen,
            "เทศบาลนครขอนแก่น",
            THAI_FLOOD,
            "น้ำหลากเข้าตลาดก่อนที่ใครจะได้รับแจ้ง Flash floods reach the stalls.",
        ),
        (
            istanbul,
            "İBB Afet Koordinasyon Merkezi",
            ISTANBUL_FLOOD,
            "Yağışta dere taşıyor, evleri sel basıyor.",
        ),
        (
            istanbul,
            "İBB Ulaşım Daire Başkanlığı",
            ISTANBUL_TRAFFIC,
            "Sürücüler park yeri ararken kavşakları tıkıyor.",
        ),
        (
            bangkok,
            "Bangkok Urban Parking Office",
            BANGKOK_PARKING,
            "Drivers circle the old town; traffic backs up.",
        ),
    ]
    for day, (city, buyer, title, problem) in enumerate(listings, start=1):
        factories.DemandFactory(
            buyer=factories.BuyerOrganisationFactory(name=buyer, city=city),
            title=title,
            problem=problem,
            status=Demand.Status.OPEN,
            published_at=_published(day),
        )
    flood = factories.CompanyFactory(
        name_en=KOREAN_FLOOD, name_ko="낙동워터센싱", description_ko="하천 범람 감지"
    )
    factories.SolutionFactory(
        company=flood,
        name_en="Water sensing",
        name_ko="홍수 조기경보",
        # Its flood words are Korean only: English must be there, and says nothing of floods.
        problem_solved_en="Sensors along rivers and roads.",
        description_ko="침수 감지 센서",
    )
    parking = factories.CompanyFactory(
        name_en=KOREAN_PARKING, name_ko="한빛파킹", description_en="Car park guidance."
    )
    factories.SolutionFactory(
        company=parking, name_en="Kerbside guidance", problem_solved="Drivers circle for a space."
    )
    for demand in Demand.objects.all():
        demand_search_refresh(demand=demand)
    for company in Company.objects.all():
        company_search_refresh(company=company)
