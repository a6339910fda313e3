"""Fictional demo data shaped like KOTRA's 2022 smart-city roadshows in Bangkok and Istanbul."""

import datetime as dt
import itertools
import random
import secrets
import zoneinfo
from collections import Counter, namedtuple
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from operator import attrgetter
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from matching.companies.models import Company, ReferenceDeployment, Solution
from matching.companies.services import company_search_refresh
from matching.companies.validators import brn_check_digit, normalise_brn
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Event, Interpreter, Registration, Table, TimeSlot
from matching.consultations.outcomes import services
from matching.consultations.outcomes.models import FollowUp, Mou, Outcome
from matching.demands.models import BuyerOrganisation, Demand
from matching.demands.services import demand_search_refresh
from matching.geo.models import City, Country, Language
from matching.kernel.models import ApprovalStatus, Category, Certification, Role, TradeCentre
from portal.accounts.models import Invitation, User

SEED = 2022
# Public demo logins: the command prints this password next to the usernames.
DEMO_PASSWORD = "demo-portal-2022"  # noqa: S105
UTC = dt.UTC
BKK, IST, SEL = "Asia/Bangkok", "Europe/Istanbul", "Asia/Seoul"
d = dt.date

# ------------------------------------------------------------------------------------ reference data
COUNTRIES = (  # iso_code, name_en, name_ko
    ("KR", "Korea", "대한민국"),
    ("TH", "Thailand", "태국"),
    ("TR", "Türkiye", "튀르키예"),
    ("ID", "Indonesia", "인도네시아"),
    ("VN", "Vietnam", "베트남"),
    ("SA", "Saudi Arabia", "사우디아라비아"),
)
LANGUAGES = (  # code, name_en, name_ko
    ("ko", "Korean", "한국어"),
    ("en", "English", "영어"),
    ("th", "Thai", "태국어"),
    ("tr", "Turkish", "튀르키예어"),
    ("id", "Indonesian", "인도네시아어"),
    ("vi", "Vietnamese", "베트남어"),
    ("ar", "Arabic", "아랍어"),
)
CITIES = (  # country, name_en, name_ko, name_local, kind, time zone
    ("TH", "Bangkok", "방콕", "กรุงเทพมหานคร", "city", BKK),
    ("TH", "Khon Kaen", "콘깬", "ขอนแก่น", "city", BKK),
    ("TH", "Phuket", "푸껫", "ภูเก็ต", "city", BKK),
    ("TH", "Chiang Mai", "치앙마이", "เชียงใหม่", "city", BKK),
    ("TH", "Banchang", "반창", "บ้านฉาง", "city", BKK),
    ("TH", "Eastern Economic Corridor", "동부경제회랑", "ระเบียงเศรษฐกิจพิเศษภาคตะวันออก", "region", BKK),
    ("TH", "Chonburi", "촌부리", "ชลบุรี", "province", BKK),
    ("TR", "Istanbul", "이스탄불", "İstanbul", "city", IST),
    ("TR", "Gaziantep", "가지안테프", "Gaziantep", "city", IST),
    ("TR", "Ankara", "앙카라", "Ankara", "city", IST),
    ("TR", "Bursa", "부르사", "Bursa", "city", IST),
    ("ID", "Jakarta", "자카르타", "Jakarta", "city", "Asia/Jakarta"),
    ("VN", "Da Nang", "다낭", "Đà Nẵng", "city", "Asia/Ho_Chi_Minh"),
    ("SA", "Riyadh", "리야드", "الرياض", "city", "Asia/Riyadh"),
    ("KR", "Seoul", "서울", "서울", "city", SEL),
    ("KR", "Busan", "부산", "부산", "city", SEL),
    ("KR", "Sejong", "세종", "세종", "city", SEL),
    ("KR", "Daejeon", "대전", "대전", "city", SEL),
    ("KR", "Incheon", "인천", "인천", "city", SEL),
    ("KR", "Hwaseong", "화성", "화성", "city", SEL),
    ("KR", "Seongnam", "성남", "성남", "city", SEL),
    ("KR", "Gwangju", "광주", "광주", "city", SEL),
    ("KR", "Daegu", "대구", "대구", "city", SEL),
)
CITY_COUNTRY = {row[1]: row[0] for row in CITIES}
CATEGORIES = (  # slug, name_en, name_ko (listed in display order)
    ("smart-mobility", "Smart mobility", "스마트 모빌리티"),
    ("smart-parking", "Smart parking", "스마트 주차"),
    ("ev-charging", "EV charging", "전기차 충전"),
    ("smart-home", "Smart home", "스마트홈"),
    ("security-sensors", "Security & sensors", "보안·센서"),
    ("disaster-response", "Disaster response", "재난 대응"),
    ("environment", "Environment & air quality", "환경·대기질"),
    ("energy", "Energy", "에너지"),
    ("health-care", "Health care", "헬스케어"),
    ("city-platform", "Integrated city platform", "통합 도시 플랫폼"),
    ("water-management", "Water management", "물관리"),
    ("smart-lighting", "Smart lighting", "스마트 조명"),
    ("smart-building", "Smart building", "스마트 빌딩"),
    ("drones-robotics", "Drones & robotics", "드론·로봇"),
)
CERTIFICATIONS = (  # code, name_en, name_ko
    ("iso-9001", "ISO 9001 (quality management)", "ISO 9001 (품질경영)"),
    ("iso-27001", "ISO/IEC 27001 (information security)", "ISO/IEC 27001 (정보보호)"),
    ("iso-14001", "ISO 14001 (environmental management)", "ISO 14001 (환경경영)"),
    ("ce", "CE marking", "CE 인증"),
    ("kc", "KC mark (Korea Certification)", "KC 인증"),
    ("ul", "UL listing", "UL 인증"),
    ("gs", "GS (Good Software) certification", "GS 인증 (우수 소프트웨어)"),
    ("innovative-product", "Innovative Product (Public Procurement Service)", "조달청 혁신제품"),
    ("nep", "NEP (New Excellent Product)", "NEP 신제품 인증"),
)
TRADE_CENTRES = (  # code, name_en, name_ko, city, countries covered
    ("bangkok", "KOTRA Bangkok", "KOTRA 방콕무역관", "Bangkok", ("TH",)),
    ("istanbul", "KOTRA Istanbul", "KOTRA 이스탄불무역관", "Istanbul", ("TR",)),
    ("jakarta", "KOTRA Jakarta", "KOTRA 자카르타무역관", "Jakarta", ("ID",)),
    ("da-nang", "KOTRA Da Nang", "KOTRA 다낭무역관", "Da Nang", ("VN",)),
    ("riyadh", "KOTRA Riyadh", "KOTRA 리야드무역관", "Riyadh", ("SA",)),
)


# ------------------------------------------------------------------------------------ Korean SMEs
class Ref(NamedTuple):
    city: str
    year: int
    client: str
    result: str


class SolutionSeed(NamedTuple):
    name_en: str
    name_ko: str
    categories: tuple
    problem: str
    readiness: str
    price_band: str
    references: tuple = ()


class CompanySeed(NamedTuple):
    domain: str  # website https://<domain>.example, e-mail export@<domain>.example
    name_ko: str
    name_en: str
    brn_prefix: str  # first nine digits; the check digit is computed
    size: str
    founded: int
    headquarters: str
    export_countries: tuple
    certifications: tuple
    languages: tuple
    description_en: str
    description_ko: str
    contact: str
    solutions: tuple
    approved: bool = True


# fmt: off
COMPANIES = (
    CompanySeed(
        "hanbit-parking", "한빛스마트파킹", "Hanbit Smart Parking", "101-86-5421", "small", 2013, "Seoul",
        ("TH", "VN"), ("iso-9001", "kc", "gs", "innovative-product"), ("ko", "en", "th"),
        "Parking guidance and enforcement for city car parks and kerbside spaces: sensors, cameras and "
        "one control room.",
        "센서와 카메라로 공영주차장과 노상주차면을 한 관제실에서 안내·단속하는 주차 관제 전문기업입니다.",
        "Kim Junho",
        (
            SolutionSeed(
                "Parking control centre", "통합 주차 관제 센터", ("smart-parking", "city-platform"),
                "Drivers circle for minutes looking for a space, adding to congestion; the city cannot see "
                "occupancy or enforce time limits.", "exported", "250k-1m",
                (Ref("Seoul", 2019, "District office", "1,200 kerbside spaces; search time down 30%"),
                 Ref("Chonburi", 2021, "Municipal car park operator", "6 car parks; turnover up 18%"))),
            SolutionSeed(
                "Geomagnetic parking sensor", "지자기 주차 센서", ("smart-parking", "security-sensors"),
                "Kerbside spaces cannot be counted without digging up the road.", "commercial", "50k-250k",
                (Ref("Incheon", 2020, "New-town car parks", "3,000 sensors with a five-year battery life"),)),
        ),
    ),
    CompanySeed(
        "dasom-safety", "다솜세이프티", "Dasom Safety IoT", "305-81-7790", "small", 2015, "Daejeon",
        ("TH", "TR", "ID"), ("iso-9001", "kc", "ce", "innovative-product"), ("ko", "en"),
        "IoT sensors and an alerting platform for floods, landslides and earthquakes, from the sensor "
        "to the siren.",
        "홍수·산사태·지진을 감지하는 IoT 센서와 경보 플랫폼을 센서부터 경보 방송까지 일괄 공급합니다.",
        "Lee Seoyeon",
        (
            SolutionSeed(
                "IoT flood early warning", "IoT 침수 조기경보", ("disaster-response", "water-management"),
                "Low-lying districts and underpasses flood within minutes of a cloudburst; residents are "
                "warned too late.", "exported", "250k-1m",
                (Ref("Daejeon", 2020, "City disaster office", "48 underpass sensors; 11 closures"),
                 Ref("Banchang", 2021, "Municipal pilot", "Canal alerts 25 minutes before overflow"))),
            SolutionSeed(
                "Seismic alert gateway", "지진 경보 게이트웨이", ("disaster-response", "security-sensors"),
                "Schools and public buildings receive national earthquake alerts too late to evacuate.",
                "commercial", "50k-250k",
                (Ref("Sejong", 2021, "Education office", "Alerts within 3 seconds at 120 schools"),)),
        ),
    ),
    CompanySeed(
        "purun-ev", "푸른이브이", "Purun EV Charging", "124-87-3310", "medium", 2012, "Hwaseong",
        ("TH", "TR", "VN"), ("kc", "ce", "ul", "iso-9001", "iso-14001"), ("ko", "en"),
        "Fast and slow EV chargers with a roaming-ready charging management system for car parks and fleets.",
        "공동주택·주차장·운수사용 급속·완속 전기차 충전기와 충전 관리 시스템(CSMS)을 제조합니다.",
        "Park Jiwon",
        (
            SolutionSeed(
                "100 kW fast charger", "100kW 급속 충전기", ("ev-charging", "energy"),
                "Electric taxis and buses must charge quickly between shifts, but grid connections are "
                "limited.", "exported", "250k-1m",
                (Ref("Hwaseong", 2019, "City bus depot", "40 chargers for 120 buses"),
                 Ref("Bangkok", 2022, "Taxi cooperative pilot", "12 chargers at 95% uptime"))),
            SolutionSeed(
                "Charging management system", "충전 관리 시스템", ("ev-charging", "city-platform"),
                "Operators cannot see chargers' status, bill users or balance load across sites.",
                "commercial", "50k-250k"),
        ),
    ),
    CompanySeed(
        "saebit-home", "새빛홈아이오티", "Saebit Home IoT", "131-86-2087", "small", 2016, "Incheon",
        ("VN",), ("kc", "gs", "iso-27001"), ("ko", "en"),
        "Wall-pad and app-based smart home systems for apartment complexes, integrated with building "
        "security.",
        "아파트 단지용 월패드·앱 기반 스마트홈 시스템과 단지 보안 연동 솔루션을 제공합니다.",
        "Choi Minji",
        (
            SolutionSeed(
                "Apartment smart home kit", "공동주택 스마트홈 키트", ("smart-home", "security-sensors"),
                "Residents of new condominiums expect app control of lighting, cooling and door entry; "
                "developers need one integrated system.", "commercial", "250k-1m",
                (Ref("Incheon", 2021, "Apartment complex", "1,850 households connected"),)),
        ),
    ),
    CompanySeed(
        "nuri-vision", "누리비전", "Nuri Vision", "129-86-6604", "medium", 2010, "Seongnam",
        ("TH", "TR", "SA"), ("kc", "ce", "gs", "iso-9001", "iso-27001"), ("ko", "en", "ar"),
        "AI video analytics for city CCTV: crowd, traffic incident and intrusion detection on existing "
        "cameras.",
        "기존 CCTV에 AI 영상분석을 더해 군중 밀집, 교통사고, 침입을 자동으로 감지합니다.",
        "Jung Hyunwoo",
        (
            SolutionSeed(
                "AI CCTV analytics", "AI CCTV 영상분석", ("security-sensors", "city-platform"),
                "Control rooms watch hundreds of camera feeds and miss incidents; operators need the system "
                "to point them to what matters.", "exported", "250k-1m",
                (Ref("Seongnam", 2018, "City control centre", "2,400 cameras; 70% fewer missed incidents"),
                 Ref("Riyadh", 2021, "Residential compound operator", "Intrusion alerts on 300 cameras"))),
            SolutionSeed(
                "Road-safety camera", "교통안전 카메라", ("security-sensors", "smart-mobility"),
                "Accidents at unsignalised crossings and school zones go unnoticed until someone reports "
                "them.", "commercial", "50k-250k"),
        ),
    ),
    CompanySeed(
        "gaon-mobility", "가온모빌리티", "Gaon Mobility", "320-86-1148", "small", 2017, "Sejong",
        ("TH",), ("gs", "innovative-product", "iso-9001"), ("ko", "en"),
        "Adaptive traffic signal control and bus priority that learn from live detector and camera data.",
        "실시간 검지기·영상 데이터로 신호를 최적화하는 적응형 신호제어와 버스 우선신호 시스템입니다.",
        "Han Sungmin",
        (
            SolutionSeed(
                "Adaptive signal control", "적응형 신호 제어", ("smart-mobility",),
                "Fixed-time signals cannot follow rush-hour peaks, so queues spill back across junctions.",
                "commercial", "1m-5m",
                (Ref("Sejong", 2020, "City transport bureau", "Average delay down 17% at 32 junctions"),)),
            SolutionSeed(
                "Bus priority signals", "버스 우선 신호", ("smart-mobility", "city-platform"),
                "Buses wait at red lights and lose their timetable, so people stay in their cars.",
                "pilot", "250k-1m"),
        ),
    ),
    CompanySeed(
        "malgeun-air", "맑은공기연구소", "Malgeun Air Lab", "605-86-9032", "startup", 2019, "Busan",
        ("VN",), ("kc", "ce"), ("ko", "en"),
        "Low-cost sensor networks that map PM2.5, NO2 and ozone street by street, with a public dashboard.",
        "PM2.5·이산화질소·오존을 골목 단위로 측정하는 저비용 센서 네트워크와 공개 대시보드를 운영합니다.",
        "Yoon Dahye",
        (
            SolutionSeed(
                "Street-level air quality network", "도시 대기질 측정망", ("environment", "city-platform"),
                "A handful of reference stations cannot show where haze and burning-season smoke reach "
                "schools and hospitals.", "commercial", "50k-250k",
                (Ref("Busan", 2021, "City environment bureau", "350 sensors; hourly public map"),)),
        ),
    ),
    CompanySeed(
        "haeoreum-energy", "해오름에너지", "Haeoreum Energy", "410-86-2275", "small", 2014, "Gwangju",
        ("TH", "VN"), ("iso-9001", "iso-14001", "kc", "nep"), ("ko", "en"),
        "Building energy management and rooftop solar with storage for public buildings and campuses.",
        "공공건물·캠퍼스용 건물에너지관리시스템(BEMS)과 지붕형 태양광·ESS를 구축합니다.",
        "Kang Dongmin",
        (
            SolutionSeed(
                "Building energy management system", "건물에너지관리시스템(BEMS)",
                ("energy", "smart-building"),
                "Public buildings run air conditioning at full power all day; nobody sees where the "
                "electricity goes.", "exported", "250k-1m",
                (Ref("Gwangju", 2019, "City hall", "Electricity use down 21%"),
                 Ref("Phuket", 2022, "Resort group pilot", "Chiller consumption down 15% in three months"))),
            SolutionSeed(
                "Solar microgrid", "태양광 마이크로그리드", ("energy",),
                "Islands and industrial estates pay for diesel back-up and still suffer outages.",
                "pilot", "1m-5m"),
        ),
    ),
    CompanySeed(
        "dasarang-care", "다사랑헬스케어", "Dasarang Health Care", "502-86-3319", "startup", 2018, "Daegu",
        (), ("kc", "gs"), ("ko", "en"),
        "Remote health monitoring for older people living alone: wearables, a home hub and a care-centre "
        "dashboard.",
        "독거 어르신을 위한 웨어러블·홈 허브·돌봄센터 대시보드 기반 원격 건강 모니터링 서비스입니다.",
        "Seo Yerin",
        (
            SolutionSeed(
                "Remote care for older people", "어르신 원격 돌봄", ("health-care", "smart-home"),
                "Older people living alone fall or fall ill unnoticed; care workers cannot visit every day.",
                "commercial", "50k-250k",
                (Ref("Daegu", 2021, "District public health centre", "600 homes; 14 emergencies caught"),)),
        ),
    ),
    CompanySeed(
        "hanul-citylab", "한울시티랩", "Hanul City Lab", "120-86-8841", "medium", 2011, "Seoul",
        ("TH", "ID", "VN"), ("gs", "iso-27001", "iso-9001", "innovative-product"), ("ko", "en"),
        "An integrated city operations platform that brings traffic, safety, environment and utility data "
        "into one control room.",
        "교통·안전·환경·시설 데이터를 하나의 관제실로 모으는 스마트시티 통합 플랫폼을 개발합니다.",
        "Oh Jaehyun",
        (
            SolutionSeed(
                "Integrated city operations platform", "스마트시티 통합 플랫폼",
                ("city-platform", "security-sensors", "disaster-response"),
                "City departments each run their own systems, so incidents are handled without a shared "
                "picture.", "exported", "1m-5m",
                (Ref("Seoul", 2018, "District control centre", "7 systems linked; response time down 25%"),
                 Ref("Jakarta", 2021, "Regional agency pilot", "Flood and traffic data on one dashboard"))),
            SolutionSeed(
                "City data hub", "도시 데이터 허브", ("city-platform",),
                "Open data sits in scattered spreadsheets; planners and start-ups cannot build on it.",
                "commercial", "250k-1m"),
        ),
    ),
    CompanySeed(
        "mulbit-watertech", "물빛워터테크", "Mulbit WaterTech", "314-81-5567", "small", 2012, "Daejeon",
        ("VN", "SA"), ("iso-9001", "kc", "nep"), ("ko", "en"),
        "Smart water meters and acoustic leak detection that cut non-revenue water in city networks.",
        "스마트 수도미터와 음향 누수탐지로 상수도 유수율을 높이는 솔루션입니다.",
        "Shin Hyejin",
        (
            SolutionSeed(
                "Acoustic leak detection", "음향 누수 탐지", ("water-management", "security-sensors"),
                "A third of treated water leaks from old pipes before it reaches a tap.",
                "exported", "250k-1m",
                (Ref("Daejeon", 2019, "City waterworks", "Non-revenue water down 6 points"),
                 Ref("Da Nang", 2022, "Water supply company pilot", "41 leaks found in 60 km of mains"))),
            SolutionSeed(
                "Smart water meter", "스마트 수도미터", ("water-management",),
                "Meters are read by hand once a quarter; bills are estimated and leaks in homes go unseen.",
                "commercial", "50k-250k"),
        ),
    ),
    CompanySeed(
        "byeolbit-lighting", "별빛라이팅", "Byeolbit Lighting", "131-81-9952", "small", 2009, "Incheon",
        ("TH", "TR"), ("kc", "ce", "iso-9001", "nep"), ("ko", "en"),
        "Networked LED street lights that dim on demand and carry sensors and Wi-Fi on the same pole.",
        "필요할 때만 밝아지는 네트워크형 LED 가로등과 센서·와이파이를 얹는 스마트폴을 만듭니다.",
        "Lim Taeyang",
        (
            SolutionSeed(
                "Networked LED street lighting", "네트워크형 LED 가로등", ("smart-lighting", "energy"),
                "Street lights burn at full power all night and failures are found only when residents "
                "complain.", "exported", "250k-1m",
                (Ref("Incheon", 2020, "District office", "4,800 lights; energy down 58%"),
                 Ref("Chonburi", 2021, "Industrial estate roads", "1,100 lights with fault alerts"))),
            SolutionSeed(
                "Smart pole", "스마트폴", ("smart-lighting", "security-sensors", "city-platform"),
                "Each agency puts up its own pole for cameras, Wi-Fi and signs, cluttering the street.",
                "pilot", "50k-250k"),
        ),
    ),
    CompanySeed(
        "deunden-structure", "든든구조안전", "Deunden Structural Safety", "621-86-1093", "small", 2014,
        "Busan", ("TR", "ID"), ("iso-9001", "kc", "ce"), ("ko", "en", "tr"),
        "Structural health monitoring for schools, bridges and hospitals, with damage reports within minutes "
        "of an earthquake.",
        "학교·교량·병원에 가속도·기울기 센서를 설치해 "
        "지진 직후 수 분 안에 손상 보고서를 내는 구조안전 기업입니다.",
        "Bae Sujin",
        (
            SolutionSeed(
                "Structural health monitoring", "구조물 건전성 모니터링",
                ("disaster-response", "security-sensors", "smart-building"),
                "After an earthquake, engineers need days to inspect every school and hospital before "
                "people can return.", "commercial", "250k-1m",
                (Ref("Busan", 2020, "Education office", "85 school buildings monitored"),
                 Ref("Sejong", 2022, "Government complex", "Damage report within 4 minutes of a tremor"))),
        ),
    ),
    CompanySeed(
        "areum-transit", "아름교통솔루션", "Areum Transit Solutions", "106-86-7320", "small", 2015, "Seoul",
        ("TR", "VN"), ("gs", "iso-9001"), ("ko", "en"),
        "Bus information systems and passenger counting: real-time arrival displays, apps and ridership "
        "analytics.",
        "실시간 버스도착 안내(BIS)와 승객 계수·수요 분석 시스템을 공급합니다.",
        "Kwon Nayeon",
        (
            SolutionSeed(
                "Bus information system", "버스정보시스템(BIS)", ("smart-mobility", "city-platform"),
                "Passengers do not know when the next bus comes, and operators plan routes without "
                "ridership data.", "exported", "1m-5m",
                (Ref("Seoul", 2017, "Bus operators' association", "Arrival accuracy 95% at 1,100 stops"),
                 Ref("Da Nang", 2020, "City transport department", "160 stop displays"))),
        ),
    ),
    CompanySeed(
        "chorok-ess", "초록에너지저장", "Chorok Energy Storage", "124-86-5578", "medium", 2013, "Hwaseong",
        ("TR", "SA"), ("kc", "ce", "ul", "iso-9001", "iso-14001"), ("ko", "en"),
        "Battery energy storage for peak shaving, solar smoothing and EV charging hubs.",
        "피크 저감·태양광 출력 안정화·전기차 충전소용 배터리 에너지저장장치(ESS)를 제조합니다.",
        "Moon Jisoo",
        (
            SolutionSeed(
                "Battery storage for peak shaving", "피크 저감용 ESS", ("energy", "ev-charging"),
                "Factories and charging hubs pay heavy demand charges at peak hours and cannot add load "
                "without a grid upgrade.", "exported", "1m-5m",
                (Ref("Hwaseong", 2019, "Industrial complex", "Peak demand down 22%"),
                 Ref("Riyadh", 2022, "Logistics park pilot", "2 MWh system paired with solar"))),
        ),
    ),
    CompanySeed(
        "ondo-building", "온도스마트빌딩", "Ondo Smart Building", "214-86-6615", "small", 2016, "Seoul",
        ("TR",), ("gs", "iso-27001", "kc"), ("ko", "en"),
        "Digital twin and facility management for public buildings: cooling, lifts, fire and access control "
        "in one view.",
        "공공건물의 냉난방·승강기·소방·출입 설비를 한 화면에서 관리하는 디지털 트윈 시설관리 솔루션입니다.",
        "Yang Eunji",
        (
            SolutionSeed(
                "Building digital twin", "건물 디지털 트윈", ("smart-building", "city-platform", "energy"),
                "Facility teams manage cooling, lifts and fire systems in separate tools and react only "
                "after failures.", "commercial", "250k-1m",
                (Ref("Seoul", 2021, "District office complex", "Maintenance call-outs down 30%"),)),
        ),
    ),
    # Two applications still waiting, so the admin review queue is not empty.
    CompanySeed(
        "saessak-robotics", "새싹로보틱스", "Saessak Robotics", "220-87-0412", "startup", 2020, "Seoul",
        (), ("kc",), ("ko",),
        "Sidewalk delivery robots for apartment complexes and campuses.",
        "아파트 단지·캠퍼스용 보도 배송 로봇을 개발합니다.",
        "Noh Jihoon",
        (
            SolutionSeed(
                "Sidewalk delivery robot", "보도 배송 로봇", ("drones-robotics", "smart-mobility"),
                "Last-mile deliveries clog narrow streets with motorbikes and vans.", "pilot", "50k-250k"),
        ),
        approved=False,
    ),
    CompanySeed(
        "eunha-drone", "은하드론웍스", "Eunha Drone Works", "137-86-2298", "startup", 2019, "Incheon",
        (), ("kc",), ("ko", "en"),
        "Drone inspection of bridges, dykes and solar farms with automatic defect reports.",
        "교량·제방·태양광 발전소를 드론으로 점검하고 결함 보고서를 자동으로 만듭니다.",
        "Ha Seungwoo",
        (
            SolutionSeed(
                "Drone inspection service", "드론 점검 서비스", ("drones-robotics", "disaster-response"),
                "Inspecting dykes and bridges by rope access is slow, dangerous and therefore rare.",
                "prototype", "lt50k"),
        ),
        approved=False,
    ),
)
# fmt: on


# ------------------------------------------------------------------------------------ foreign buyers
class BuyerSeed(NamedTuple):
    city: str
    kind: str
    name: str
    name_local: str
    languages: tuple


# fmt: off
THAI_BUYERS = tuple(BuyerSeed(*row) for row in (
    ("Bangkok", "agency", "Bangkok Urban Parking Management Office", "สำนักงานบริหารจัดการที่จอดรถกรุงเทพ",
     ("th", "en")),
    ("Bangkok", "agency", "Chao Phraya Flood Watch Centre", "ศูนย์เฝ้าระวังน้ำท่วมเจ้าพระยา", ("th",)),
    ("Bangkok", "agency", "Bangkok Digital City Agency", "สำนักงานเมืองดิจิทัลกรุงเทพ", ("th", "en")),
    ("Bangkok", "firm", "Rattanakosin Smart Building Co., Ltd.", "บริษัท รัตนโกสินทร์ สมาร์ท บิลดิ้ง จำกัด",
     ("th", "en")),
    ("Bangkok", "firm", "Siam Green Mobility Co., Ltd.", "บริษัท สยาม กรีน โมบิลิตี้ จำกัด", ("th", "en")),
    ("Bangkok", "firm", "Krungthep EV Network Co., Ltd.", "บริษัท กรุงเทพ อีวี เน็ตเวิร์ค จำกัด", ("th", "en")),
    ("Bangkok", "firm", "Sukhumvit Living Development Co., Ltd.", "บริษัท สุขุมวิท ลีฟวิ่ง ดีเวลลอปเมนท์ จำกัด",
     ("th", "en")),
    ("Khon Kaen", "city", "Khon Kaen Smart Mobility Office", "สำนักงานการเดินทางอัจฉริยะขอนแก่น", ("th", "en")),
    ("Khon Kaen", "agency", "Khon Kaen Provincial Disaster Prevention Office",
     "สำนักงานป้องกันภัยพิบัติจังหวัดขอนแก่น", ("th",)),
    ("Khon Kaen", "agency", "Isan Health Innovation Network", "เครือข่ายนวัตกรรมสุขภาพอีสาน", ("th", "en")),
    ("Khon Kaen", "firm", "Isan Smart City Development Co., Ltd.", "บริษัท อีสาน สมาร์ทซิตี้ ดีเวลลอปเมนท์ จำกัด",
     ("th", "en")),
    ("Khon Kaen", "firm", "Kaen Nakhon Energy Co., Ltd.", "บริษัท แก่นนคร เอนเนอร์ยี่ จำกัด", ("th",)),
    ("Phuket", "city", "Phuket Smart Tourism City Office", "สำนักงานเมืองท่องเที่ยวอัจฉริยะภูเก็ต", ("th", "en")),
    ("Phuket", "agency", "Andaman Coastal Safety Agency", "หน่วยงานความปลอดภัยชายฝั่งอันดามัน", ("th",)),
    ("Phuket", "firm", "Patong Resort Energy Co., Ltd.", "บริษัท ป่าตอง รีสอร์ท เอนเนอร์ยี่ จำกัด", ("th", "en")),
    ("Phuket", "firm", "Phuket Island Water Services Co., Ltd.", "บริษัท ภูเก็ต ไอส์แลนด์ วอเตอร์ เซอร์วิส จำกัด",
     ("th", "en")),
    ("Chiang Mai", "city", "Chiang Mai Clean Air Office", "สำนักงานอากาศสะอาดเชียงใหม่", ("th",)),
    ("Chiang Mai", "agency", "Lanna Heritage City Lighting Project", "โครงการแสงสว่างเมืองมรดกล้านนา", ("th",)),
    ("Chiang Mai", "firm", "Lanna Smart Transport Co., Ltd.", "บริษัท ล้านนา สมาร์ท ทรานสปอร์ต จำกัด",
     ("th", "en")),
    ("Chiang Mai", "firm", "Doi Suthep Digital Health Co., Ltd.", "บริษัท ดอยสุเทพ ดิจิทัล เฮลท์ จำกัด",
     ("th", "en")),
    ("Banchang", "city", "Banchang Smart City Unit", "หน่วยงานเมืองอัจฉริยะบ้านฉาง", ("th",)),
    ("Banchang", "firm", "Banchang Industrial Services Co., Ltd.", "บริษัท บ้านฉาง อินดัสเทรียล เซอร์วิส จำกัด",
     ("th", "en")),
    ("Eastern Economic Corridor", "agency", "EEC Smart Infrastructure Office",
     "สำนักงานโครงสร้างพื้นฐานอัจฉริยะอีอีซี", ("th", "en")),
    ("Eastern Economic Corridor", "firm", "Eastern Seaboard Logistics Co., Ltd.",
     "บริษัท อีสเทิร์น ซีบอร์ด โลจิสติกส์ จำกัด", ("th", "en")),
    ("Chonburi", "city", "Chonburi Provincial Traffic Office", "สำนักงานจราจรจังหวัดชลบุรี", ("th",)),
    ("Chonburi", "firm", "Pattaya Bay Smart Parking Co., Ltd.", "บริษัท พัทยา เบย์ สมาร์ท พาร์คกิ้ง จำกัด",
     ("th", "en")),
))
TURKISH_PUBLIC_BUYERS = tuple(BuyerSeed(*row) for row in (
    ("Istanbul", "city", "Istanbul Metropolitan Smart Transport Directorate",
     "İstanbul Büyükşehir Akıllı Ulaşım Müdürlüğü", ("tr", "en")),
    ("Istanbul", "agency", "Istanbul Earthquake Preparedness Agency", "İstanbul Deprem Hazırlık Ajansı",
     ("tr", "en")),
    ("Istanbul", "city", "Kadıköy Municipality Smart City Office", "Kadıköy Belediyesi Akıllı Şehir Ofisi",
     ("tr",)),
    ("Istanbul", "city", "Üsküdar Municipality Energy Unit", "Üsküdar Belediyesi Enerji Birimi", ("tr",)),
    ("Istanbul", "agency", "Marmara Urban Innovation Agency", "Marmara Kentsel İnovasyon Ajansı",
     ("tr", "en")),
    ("Gaziantep", "city", "Gaziantep Smart City Office", "Gaziantep Akıllı Şehir Ofisi", ("tr", "en")),
    ("Gaziantep", "agency", "Gaziantep Disaster Coordination Centre", "Gaziantep Afet Koordinasyon Merkezi",
     ("tr",)),
    ("Gaziantep", "city", "Şahinbey Municipality Traffic Unit", "Şahinbey Belediyesi Trafik Birimi", ("tr",)),
    ("Gaziantep", "agency", "Gaziantep Industrial Zone Energy Cooperative",
     "Gaziantep Sanayi Bölgesi Enerji Kooperatifi", ("tr", "en")),
    ("Ankara", "city", "Ankara Metropolitan Mobility Department", "Ankara Büyükşehir Mobilite Dairesi",
     ("tr", "en")),
    ("Ankara", "city", "Çankaya Municipality Smart Lighting Unit",
     "Çankaya Belediyesi Akıllı Aydınlatma Birimi", ("tr",)),
    ("Ankara", "agency", "Anatolian Public Health Technology Institute",
     "Anadolu Halk Sağlığı Teknoloji Enstitüsü", ("tr", "en")),
    ("Ankara", "agency", "Ankara Water Network Agency", "Ankara Su Şebekesi Ajansı", ("tr",)),
    ("Bursa", "city", "Bursa Smart Mobility Office", "Bursa Akıllı Mobilite Ofisi", ("tr", "en")),
    ("Bursa", "city", "Nilüfer Municipality Environment Unit", "Nilüfer Belediyesi Çevre Birimi", ("tr",)),
))
# Turkish local firms are composed from a name and a trade; 19 and 9 are coprime, so no name repeats.
# Turkish local firms are composed from a name and a trade; 19 and 9 are coprime, so no name repeats.
TURKISH_FIRM_NAMES = (
    "Boğaziçi", "Anadolu", "Yıldız", "Çınar", "Ilgaz", "Kartal", "Doğa", "Ege", "Kızılırmak", "Uludağ",
    "Toros", "Fırat", "Ayışığı", "Güneşli", "Köprü", "Yeşilvadi", "Işıklar", "Öncü", "Şimşek",
)
# fmt: on
TURKISH_FIRM_TRADES = (  # Turkish, English
    ("Akıllı Sistemler A.Ş.", "Smart Systems Inc."),
    ("Enerji Teknolojileri A.Ş.", "Energy Technologies Inc."),
    ("Mobilite Çözümleri Ltd. Şti.", "Mobility Solutions Ltd."),
    ("Güvenlik Teknolojileri A.Ş.", "Security Technologies Inc."),
    ("Yapı ve Altyapı A.Ş.", "Construction and Infrastructure Inc."),
    ("Su Teknolojileri Ltd. Şti.", "Water Technologies Ltd."),
    ("Sağlık Bilişim A.Ş.", "Health Informatics Inc."),
    ("Elektrik Taahhüt A.Ş.", "Electrical Contracting Inc."),
    ("Gayrimenkul Geliştirme A.Ş.", "Property Development Inc."),
)
TURKISH_FIRMS_PER_CITY = (("Istanbul", 15), ("Gaziantep", 8), ("Ankara", 6), ("Bursa", 6))


def turkish_firms():
    cities = itertools.chain.from_iterable(itertools.repeat(city, n) for city, n in TURKISH_FIRMS_PER_CITY)
    firms = []
    for index, city in enumerate(cities):
        name = TURKISH_FIRM_NAMES[index % len(TURKISH_FIRM_NAMES)]
        trade_tr, trade_en = TURKISH_FIRM_TRADES[index % len(TURKISH_FIRM_TRADES)]
        languages = ("tr",) if index % 3 == 0 else ("tr", "en")
        firms.append(BuyerSeed(city, "firm", f"{name} {trade_en}", f"{name} {trade_tr}", languages))
    return tuple(firms)


# A buyer still waiting for approval, so the review queue shows one; it registered for no event.
PENDING_BUYER = BuyerSeed(
    "Phuket", "firm", "Kata Bay Hospitality Group Co., Ltd.", "บริษัท กะตะ เบย์ ฮอสพิทาลิตี้ กรุ๊ป จำกัด", ("th", "en")
)
BUYERS = THAI_BUYERS + TURKISH_PUBLIC_BUYERS + turkish_firms()


# ------------------------------------------------------------------------------------ demand listings
class DemandSeed(NamedTuple):
    buyer: str
    title: str
    problem: str
    categories: tuple
    budget: str
    timeline: str
    procurement: str
    published: dt.date | None
    deadline: dt.date | None
    status: str = "open"
    certifications: tuple = ()


# fmt: off
DEMANDS = (
    DemandSeed(
        "Khon Kaen Smart Mobility Office", "Adaptive traffic signals for the Mittraphap Road corridor",
        "Morning and evening queues on Mittraphap Road back up through 14 signalised junctions, and city "
        "buses lose 20 minutes a trip. We want signals that adapt to live traffic and give buses priority.",
        ("smart-mobility",), "1m-5m", "6-12m", "tender", d(2022, 9, 1), d(2023, 1, 31),
        certifications=("iso-9001",)),
    DemandSeed(
        "Khon Kaen Provincial Disaster Prevention Office", "Flood early warning for low-lying districts",
        "Flash floods after monsoon storms reach homes in low-lying districts within an hour. We need "
        "water-level sensors on canals and roads, with sirens and SMS alerts for residents.",
        ("disaster-response", "water-management"), "250k-1m", "lt6m", "pilot",
        d(2022, 9, 5), d(2022, 12, 15)),
    DemandSeed(
        "Bangkok Urban Parking Management Office", "Parking guidance for 40 municipal car parks",
        "Drivers circle the old town looking for spaces, which adds to congestion. We want occupancy "
        "sensors, guidance signs and one control room for 40 municipal car parks.",
        ("smart-parking", "city-platform"), "250k-1m", "lt6m", "pilot", d(2022, 8, 29), d(2022, 12, 1)),
    DemandSeed(
        "Chao Phraya Flood Watch Centre", "Real-time water levels for the canal network",
        "Canal levels are read by hand twice a day; during heavy rain the centre cannot see which pumping "
        "stations to start first.",
        ("disaster-response", "water-management", "city-platform"), "1m-5m", "6-12m", "tender",
        d(2022, 9, 12), d(2023, 2, 28)),
    DemandSeed(
        "Chiang Mai Clean Air Office", "Street-level PM2.5 monitoring for the burning season",
        "Every spring, smoke from field burning pushes PM2.5 far above safe levels. Four reference stations "
        "cannot tell schools and hospitals when to keep people indoors.",
        ("environment",), "50k-250k", "lt6m", "pilot", d(2022, 9, 8), d(2022, 11, 30)),
    DemandSeed(
        "Phuket Smart Tourism City Office", "EV charging for tourist vans and tuk-tuks",
        "The island wants its tourist vans and tuk-tuks to go electric, but there are few chargers outside "
        "Phuket Town and the grid is weak near the beaches.",
        ("ev-charging", "energy"), "1m-5m", "1-2y", "ppp", d(2022, 9, 15), d(2023, 3, 31)),
    DemandSeed(
        "Isan Health Innovation Network", "Remote monitoring for older people living alone",
        "One in five people over 65 in rural Khon Kaen lives alone. Village health volunteers need an alert "
        "when someone falls or stops moving.",
        ("health-care", "smart-home"), "50k-250k", "6-12m", "pilot", d(2022, 9, 20), d(2023, 1, 15)),
    DemandSeed(
        "Sukhumvit Living Development Co., Ltd.", "Smart home and security for 600 condominium units",
        "Our next condominium tower needs app-controlled lighting, air conditioning and door entry, tied to "
        "building security and the car park.",
        ("smart-home", "security-sensors"), "250k-1m", "6-12m", "private", d(2022, 9, 2), d(2022, 12, 20),
        certifications=("ce",)),
    DemandSeed(
        "EEC Smart Infrastructure Office", "One operations platform for the corridor's new towns",
        "Each new town in the corridor buys its own traffic, CCTV and utility systems. We need one platform "
        "that links them and shares data with the province.",
        ("city-platform", "security-sensors"), "gt5m", "gt2y", "oda", d(2022, 9, 10), d(2023, 6, 30),
        certifications=("iso-27001",)),
    DemandSeed(
        "Chonburi Provincial Traffic Office", "AI camera analytics for accident hotspots",
        "Twelve junctions on the main coastal road account for a third of the province's road deaths. We "
        "want cameras that detect near-misses and wrong-way riders.",
        ("security-sensors", "smart-mobility"), "250k-1m", "6-12m", "tender", d(2022, 9, 18), d(2023, 1, 20)),
    DemandSeed(
        "Gaziantep Smart City Office", "Earthquake early warning for public buildings",
        "Gaziantep lies near the East Anatolian Fault. Schools and hospitals need seismic alerts that stop "
        "lifts, open doors and start evacuation before strong shaking arrives.",
        ("disaster-response", "security-sensors"), "1m-5m", "6-12m", "tender", d(2022, 9, 6), d(2023, 2, 15),
        certifications=("iso-9001", "ce")),
    DemandSeed(
        "Gaziantep Disaster Coordination Centre", "Rapid damage assessment of schools after an earthquake",
        "After a quake, engineers need days to inspect 600 school buildings before children can return. "
        "Sensors that report damage within minutes would let us reopen safe schools first.",
        ("disaster-response", "smart-building"), "250k-1m", "1-2y", "pilot", d(2022, 9, 22), d(2023, 3, 1)),
    DemandSeed(
        "Istanbul Metropolitan Smart Transport Directorate",
        "Bus priority at junctions on the Anatolian side",
        "Buses on the main Anatolian-side corridors spend a quarter of their trip at red lights. We want "
        "signal priority for late buses and live arrival times at stops.",
        ("smart-mobility", "city-platform"), "1m-5m", "1-2y", "tender", d(2022, 9, 14), d(2023, 4, 30)),
    DemandSeed(
        "Ankara Metropolitan Mobility Department", "Networked street lighting on the ring road",
        "The ring road's sodium lamps burn all night at full power. We are scoping a switch to "
        "networked LED lighting with fault reporting.",
        ("smart-lighting", "energy"), "1m-5m", "1-2y", "tender", None, None, status="draft"),
    DemandSeed(
        "Bursa Smart Mobility Office", "Parking occupancy sensors in the historic centre",
        "Visitors to the historic bazaar area circle narrow streets looking for parking. We piloted "
        "occupancy sensors on 300 kerbside spaces.",
        ("smart-parking",), "50k-250k", "lt6m", "pilot", d(2022, 6, 1), d(2022, 8, 31), status="closed"),
)
# fmt: on


# ------------------------------------------------------------------------------------ demo logins
class UserSeed(NamedTuple):
    username: str
    role: str
    first_name: str
    last_name: str
    email: str
    time_zone: str
    organisation: str | None  # trade centre code, company domain or buyer name, by role


# fmt: off
DEMO_USERS = (
    UserSeed("admin", Role.ADMIN, "Minseo", "Choi", "admin@k-smartcity.example", SEL, None),
    UserSeed("staff-bangkok", Role.CENTRE_STAFF, "Hyejin", "Park", "hyejin.park@kotra.example", BKK,
             "bangkok"),
    UserSeed("staff-istanbul", Role.CENTRE_STAFF, "Dongwook", "Lee", "dongwook.lee@kotra.example", IST,
             "istanbul"),
    UserSeed("sme", Role.SME_MEMBER, "Junho", "Kim", "junho.kim@hanbit-parking.example", SEL,
             "hanbit-parking"),
    UserSeed("buyer", Role.BUYER_MEMBER, "Nattaya", "Srisuk", "nattaya.srisuk@example.com", BKK,
             "Khon Kaen Smart Mobility Office"),
)
# fmt: on


# ------------------------------------------------------------------------------------ roadshows
class EventSeed(NamedTuple):
    slug: str
    name: str
    city: str
    venue: str
    start: dt.date
    end: dt.date
    time_zone: str
    centre: str
    smes: tuple  # company domains; each SME keeps its own table all day while buyers move
    buyer_country: str
    meetings: int  # meetings that took place or were missed (not cancelled)
    cancelled: int
    no_shows: int
    online: int
    pending: int  # requests nobody answered
    declined: int
    mous: tuple  # (company domain, buyer name, what was signed)
    interpreters: tuple  # (name, languages)
    sme_max_meetings: int
    description: str


SESSIONS = (("am", dt.time(9, 30), dt.time(12, 0)), ("pm", dt.time(13, 30), dt.time(17, 0)))
SLOT_MINUTES = 30
BUYER_MAX_MEETINGS = 6

EVENTS = (
    EventSeed(
        slug="bangkok-2022",
        name="Smart City Roadshow Bangkok 2022",
        city="Bangkok",
        venue="Sathorn Riverside Convention Hotel, Grand Ballroom",
        start=d(2022, 10, 6),
        end=d(2022, 10, 7),
        time_zone=BKK,
        centre="bangkok",
        smes=tuple(seed.domain for seed in COMPANIES[:12]),
        buyer_country="TH",
        meetings=80,
        cancelled=2,
        no_shows=2,
        online=2,
        pending=3,
        declined=4,
        mous=(
            (
                "hanbit-parking",
                "Bangkok Urban Parking Management Office",
                "MOU on a smart parking control pilot for 12 municipal car parks.",
            ),
            (
                "hanbit-parking",
                "Pattaya Bay Smart Parking Co., Ltd.",
                "MOU on parking guidance for the beach-road car parks.",
            ),
            (
                "dasom-safety",
                "Khon Kaen Provincial Disaster Prevention Office",
                "MOU on an IoT flood early-warning pilot in two districts.",
            ),
            (
                "dasom-safety",
                "Chao Phraya Flood Watch Centre",
                "MOU on IoT canal-level sensors linked to siren alerts.",
            ),
        ),
        interpreters=(
            ("Kim Ji-yeon", ("ko", "th")),
            ("Park Soo-ah", ("ko", "th")),
            ("Ratchanee Boonmee", ("ko", "th", "en")),
            ("Lee Dong-hyun", ("ko", "en")),
        ),
        sme_max_meetings=12,
        description="Two days of 1:1 consultations between Korean smart-city SMEs and Thai city "
        "governments, public agencies and local firms.",
    ),
    EventSeed(
        slug="istanbul-2022",
        name="Smart City Roadshow Istanbul 2022",
        city="Istanbul",
        venue="Haliç Bosphorus Congress Hotel, Marmara Hall",
        start=d(2022, 10, 10),
        end=d(2022, 10, 11),
        time_zone=IST,
        centre="istanbul",
        smes=(
            "dasom-safety",
            "purun-ev",
            "nuri-vision",
            "deunden-structure",
            "areum-transit",
            "chorok-ess",
            "ondo-building",
        ),
        buyer_country="TR",
        meetings=70,
        cancelled=1,
        no_shows=2,
        online=2,
        pending=2,
        declined=3,
        mous=(
            (
                "dasom-safety",
                "Istanbul Earthquake Preparedness Agency",
                "MOU on seismic alert gateways for 40 schools.",
            ),
            (
                "deunden-structure",
                "Gaziantep Disaster Coordination Centre",
                "MOU on structural health monitoring of public buildings.",
            ),
        ),
        interpreters=(
            ("Choi Yoon-seo", ("ko", "tr")),
            ("Zeynep Aydınlı", ("ko", "tr", "en")),
            ("Jang Min-jae", ("ko", "en")),
        ),
        sme_max_meetings=14,
        description="Two days of 1:1 consultations between Korean smart-city SMEs and Turkish "
        "municipalities, agencies and firms from Istanbul, Gaziantep, Ankara and Bursa.",
    ),
)

SME_MESSAGES = (
    "We would like to present our {solution} and our references in Korea.",
    "Our {solution} could fit your city's plans; may we show you a short demo?",
    "We are looking for a local partner for our {solution}.",
)
BUYER_MESSAGES = (
    "We are preparing a project in this field and would like to hear about your {solution}.",
    "Please bring prices and a reference list for your {solution}.",
)
INTEREST_WEIGHTS = {"high": 3, "medium": 5, "low": 2, "none": 1}
NEXT_STEPS = {
    "high": ("pilot", "site_visit", "quotation"),
    "medium": ("quotation", "site_visit", "none"),
    "low": ("none",),
    "none": ("none",),
}
VALUE_RANGE_K_USD = {"high": (150, 900), "medium": (30, 250)}
OUTCOME_NOTES = {
    "pilot": "Both sides will draft a pilot proposal for one district before the next budget round.",
    "site_visit": "The buyer invited the company to visit the site and see the current system.",
    "quotation": "The buyer asked for a quotation and a reference list in English.",
    "none": "Materials exchanged; no project planned in the coming year.",
}


# ==================================================================================== planning (pure)
@dataclass(frozen=True)
class SlotTime:
    starts_at: dt.datetime
    ends_at: dt.datetime
    session: str
    day: int  # 0 for the first day of the event


PlannedRequest = namedtuple("PlannedRequest", "sme buyer by_sme priority session status message")
PlannedMeeting = namedtuple("PlannedMeeting", "request slot interpreter mode status outcome")
PlannedOutcome = namedtuple("PlannedOutcome", "interest next_step value_usd notes mou")


@dataclass
class EventPlan:
    """Everything an event needs, by position in the seed lists, so it can be computed without a database."""

    slots: list
    unavailable: dict = field(default_factory=dict)  # ("sme" | "buyer", index) -> slot indices
    requests: list = field(default_factory=list)
    meetings: list = field(default_factory=list)


def event_slots(spec):
    """The event's slots in UTC, cut from the local sessions of each day."""
    zone = zoneinfo.ZoneInfo(spec.time_zone)
    length = dt.timedelta(minutes=SLOT_MINUTES)
    slots = []
    for offset in range((spec.end - spec.start).days + 1):
        day = spec.start + dt.timedelta(days=offset)
        for session, first, last in SESSIONS:
            start, close = (dt.datetime.combine(day, t, tzinfo=zone) for t in (first, last))
            while start + length <= close:
                slots.append(
                    SlotTime(start.astimezone(UTC), (start + length).astimezone(UTC), session, offset)
                )
                start += length
    return slots


def event_buyers(spec):
    return [seed for seed in BUYERS if CITY_COUNTRY[seed.city] == spec.buyer_country]


def event_smes(spec):
    by_domain = {seed.domain: seed for seed in COMPANIES}
    return [by_domain[domain] for domain in spec.smes]


def interpreter_language(buyer):
    """The language a buyer needs interpreted, or None when they speak Korean or English."""
    return None if {"ko", "en"} & set(buyer.languages) else buyer.languages[0]


def plan_event(spec, rng):
    smes, buyers = event_smes(spec), event_buyers(spec)
    plan = EventPlan(slots=event_slots(spec))
    plan.unavailable = plan_unavailability(rng, len(smes), len(buyers), plan.slots)
    fixed = [
        (spec.smes.index(domain), [b.name for b in buyers].index(buyer)) for domain, buyer, _ in spec.mous
    ]
    plan.requests = plan_requests(rng, spec, smes, len(buyers), fixed)
    booked = schedule(plan, spec, buyers)
    plan.meetings = plan_meeting_statuses(rng, spec, booked, len(fixed))
    return plan


def plan_unavailability(rng, n_smes, n_buyers, slots):
    """One SME and a few buyers who miss an hour of one session (a late flight, a council meeting)."""
    hours = [n for n in range(len(slots) - 1) if slots[n].ends_at == slots[n + 1].starts_at]
    people = [("sme", n) for n in rng.sample(range(n_smes), 1)]
    people += [("buyer", n) for n in rng.sample(range(n_buyers), 3)]
    return {person: (first, first + 1) for person, first in zip(people, rng.sample(hours, 4), strict=True)}


def plan_pairs(rng, n_smes, n_buyers, total, fixed):
    """Every buyer in turn asks for the least-requested SME it has not asked yet; ties broken by the seed."""
    pairs = list(fixed)
    load = Counter(sme for sme, _ in pairs)
    buyers = itertools.cycle(range(n_buyers))
    while len(pairs) < total:
        buyer = next(buyers)
        free = [sme for sme in range(n_smes) if (sme, buyer) not in pairs]
        fewest = min(load[sme] for sme in free)
        sme = rng.choice([s for s in free if load[s] == fewest])
        load[sme] += 1
        pairs.append((sme, buyer))
    return pairs


def plan_requests(rng, spec, smes, n_buyers, fixed):
    """Requests in booking order: the MOU pairs first, then the rest with shuffled answers."""
    accepted = spec.meetings + spec.cancelled
    answers = (
        ["accepted"] * (accepted - len(fixed)) + ["pending"] * spec.pending + ["declined"] * spec.declined
    )
    rng.shuffle(answers)
    answers = ["accepted"] * len(fixed) + answers
    pairs = plan_pairs(rng, len(smes), n_buyers, len(answers), fixed)
    requests = []
    for index, ((sme, buyer), status) in enumerate(zip(pairs, answers, strict=True)):
        by_sme = rng.random() < 0.6
        templates = SME_MESSAGES if by_sme else BUYER_MESSAGES
        message = rng.choice(templates).format(solution=smes[sme].solutions[0].name_en.lower())
        must = index < len(fixed) or rng.random() < 0.3
        session = "" if index < len(fixed) else rng.choices(("", "am", "pm"), weights=(7, 2, 1))[0]
        requests.append(
            PlannedRequest(sme, buyer, by_sme, "must" if must else "would", session, status, message)
        )
    return requests


class Board:
    """Who is busy in which slot, and how many meetings each side has per day, while the schedule is built."""

    def __init__(self, plan):
        self.slots = plan.slots
        self.busy = {(who, slot) for who, slots in plan.unavailable.items() for slot in slots}
        self.load = Counter()  # meetings per slot
        self.daily = Counter()  # meetings per (person, day)

    def free(self, slot, *people):
        return not any((who, slot) in self.busy for who in people)

    def preference(self, slot, sme, buyer):
        """Sort key: the day where both sides have the fewest meetings, then the emptiest slot.

        Rotating the last tie-break by SME keeps companies from all starting in the same slot.
        """
        day = self.slots[slot].day
        rotation = (slot - 5 * sme[1]) % len(self.slots)
        return (self.daily[sme, day] + self.daily[buyer, day], self.load[slot], rotation)

    def book(self, slot, *people):
        self.busy.update((who, slot) for who in people)
        self.daily.update((who, self.slots[slot].day) for who in people)
        self.load[slot] += 1


def schedule(plan, spec, buyers):
    """Greedy: each accepted request, in order, takes the best free slot that suits both sides.

    Returns (request index, slot index, interpreter index or None) for every booked meeting. The
    demo data is sized so that every accepted request fits; if one does not, that is a data bug.
    """
    board = Board(plan)
    booked = []
    for index, request in enumerate(plan.requests):
        if request.status != "accepted":
            continue
        sme, buyer = ("sme", request.sme), ("buyer", request.buyer)
        language = interpreter_language(buyers[request.buyer])
        for slot in sorted(range(len(plan.slots)), key=lambda n, s=sme, b=buyer: board.preference(n, s, b)):
            interpreter = free_interpreter(board, spec, slot, language)
            if request.session not in ("", plan.slots[slot].session) or interpreter is False:
                continue
            if board.free(slot, sme, buyer):
                board.book(
                    slot, sme, buyer, *([("interpreter", interpreter)] if interpreter is not None else [])
                )
                booked.append((index, slot, interpreter))
                break
        else:
            raise ValueError(f"Demo data: no slot left for request {index} of {spec.slug}.")
    check_meeting_limits(spec, plan, booked)
    return booked


def check_meeting_limits(spec, plan, booked):
    """The demo data must respect each registration's maximum number of meetings."""
    per_sme = Counter(plan.requests[index].sme for index, _, _ in booked)
    per_buyer = Counter(plan.requests[index].buyer for index, _, _ in booked)
    if max(per_sme.values()) > spec.sme_max_meetings or max(per_buyer.values()) > BUYER_MAX_MEETINGS:
        raise ValueError(f"Demo data: a participant of {spec.slug} has more meetings than allowed.")


def free_interpreter(board, spec, slot, language):
    """Index of a free interpreter for language, None if none is needed, False if all are busy."""
    if language is None:
        return None
    for index, (_, languages) in enumerate(spec.interpreters):
        if language in languages and board.free(slot, ("interpreter", index)):
            return index
    return False


def plan_meeting_statuses(rng, spec, booked, n_fixed):
    """The MOU meetings (first) were held; a few others were cancelled, missed or held online."""
    others = rng.sample(range(n_fixed, len(booked)), spec.cancelled + spec.no_shows + spec.online)
    cancelled = set(others[: spec.cancelled])
    no_shows = set(others[spec.cancelled : spec.cancelled + spec.no_shows])
    online = set(others[spec.cancelled + spec.no_shows :])
    meetings = []
    for position, (request, slot, interpreter) in enumerate(booked):
        status = "cancelled" if position in cancelled else "no_show" if position in no_shows else "held"
        mode = "online" if position in online else "in_person"
        mou = spec.mous[position][2] if position < n_fixed else None
        outcome = plan_outcome(rng, mou) if status == "held" else None
        meetings.append(PlannedMeeting(request, slot, interpreter, mode, status, outcome))
    return meetings


def plan_outcome(rng, mou):
    if mou:
        return PlannedOutcome("high", "mou", Decimal(rng.randrange(400, 1200) * 1000), mou, True)
    interest = rng.choices(list(INTEREST_WEIGHTS), weights=list(INTEREST_WEIGHTS.values()))[0]
    next_step = rng.choice(NEXT_STEPS[interest])
    value_range = VALUE_RANGE_K_USD.get(interest)
    value = Decimal(rng.randrange(*value_range) * 1000) if value_range else None
    return PlannedOutcome(interest, next_step, value, OUTCOME_NOTES[next_step], False)


# ==================================================================================== storing
def create_missing(queryset, objs, *key, **stamps):
    """Insert the objs whose natural key is not in queryset yet; return the stored row for each obj.

    Rows that exist are left untouched, so a second run writes nothing. stamps (created_at=...) put
    the new rows on the roadshow's timeline instead of the clock's.
    """
    key_of = attrgetter(*key)
    stored = {key_of(row): row for row in queryset}
    missing = [obj for obj in objs if key_of(obj) not in stored]
    queryset.model.objects.bulk_create(missing)
    if missing and stamps:
        queryset.model.objects.filter(pk__in=[obj.pk for obj in missing]).update(**stamps)
    stored.update((key_of(obj), obj) for obj in missing)
    return [stored[key_of(obj)] for obj in objs]


def link(descriptor, pairs):
    """Add the missing (owner, target) links of a many-to-many field in one insert."""
    through = descriptor.through
    source, target = descriptor.field.m2m_field_name(), descriptor.field.m2m_reverse_field_name()
    rows = [through(**{f"{source}_id": owner.pk, f"{target}_id": other.pk}) for owner, other in pairs]
    owners = {owner.pk for owner, _ in pairs}
    create_missing(
        through.objects.filter(**{f"{source}_id__in": owners}), rows, f"{source}_id", f"{target}_id"
    )


def by_key(rows, *key):
    key_of = attrgetter(*key)
    return {key_of(row): row for row in rows}


@dataclass
class Stored:
    """The rows seeded so far, by the natural keys the seed data uses."""

    countries: dict = field(default_factory=dict)
    languages: dict = field(default_factory=dict)
    cities: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    certifications: dict = field(default_factory=dict)
    centres: dict = field(default_factory=dict)
    companies: dict = field(default_factory=dict)
    buyers: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def store_reference_data(db):
    countries = [Country(iso_code=iso, name_en=en, name_ko=ko) for iso, en, ko in COUNTRIES]
    db.countries = by_key(create_missing(Country.objects.all(), countries, "iso_code"), "iso_code")
    languages = [Language(code=code, name_en=en, name_ko=ko) for code, en, ko in LANGUAGES]
    db.languages = by_key(create_missing(Language.objects.all(), languages, "code"), "code")
    cities = [
        City(country=db.countries[iso], name_en=en, name_ko=ko, name_local=local, kind=kind, time_zone=zone)
        for iso, en, ko, local, kind, zone in CITIES
    ]
    db.cities = by_key(create_missing(City.objects.all(), cities, "country_id", "name_en"), "name_en")
    categories = [
        Category(slug=slug, name_en=en, name_ko=ko, sort_order=10 * (n + 1))
        for n, (slug, en, ko) in enumerate(CATEGORIES)
    ]
    db.categories = by_key(create_missing(Category.objects.all(), categories, "slug"), "slug")
    certifications = [Certification(code=code, name_en=en, name_ko=ko) for code, en, ko in CERTIFICATIONS]
    db.certifications = by_key(create_missing(Certification.objects.all(), certifications, "code"), "code")


def store_trade_centres(db):
    centres = [
        TradeCentre(
            code=code, name_en=en, name_ko=ko, city=db.cities[city], email=f"smartcity.{code}@kotra.example"
        )
        for code, en, ko, city, _ in TRADE_CENTRES
    ]
    db.centres = by_key(create_missing(TradeCentre.objects.all(), centres, "code"), "code")
    link(
        TradeCentre.countries,
        [(db.centres[row[0]], db.countries[iso]) for row in TRADE_CENTRES for iso in row[4]],
    )


def full_brn(prefix):
    digits = normalise_brn(prefix)
    return f"{digits}{brn_check_digit(digits)}"


def store_companies(db):
    companies = [
        Company(
            name_ko=seed.name_ko,
            name_en=seed.name_en,
            business_registration_number=full_brn(seed.brn_prefix),
            website=f"https://{seed.domain}.example",
            size=seed.size,
            founded_year=seed.founded,
            headquarters=db.cities[seed.headquarters],
            description_ko=seed.description_ko,
            description_en=seed.description_en,
            contact_name=seed.contact,
            contact_email=f"export@{seed.domain}.example",
            contact_phone=f"+82-70-{4100 + index:04d}-{seed.brn_prefix[-4:]}",
            approval_status=ApprovalStatus.APPROVED if seed.approved else ApprovalStatus.PENDING,
        )
        for index, seed in enumerate(COMPANIES)
    ]
    stored = create_missing(Company.objects.all(), companies, "business_registration_number")
    db.companies = {seed.domain: company for seed, company in zip(COMPANIES, stored, strict=True)}
    pairs = [(db.companies[seed.domain], seed) for seed in COMPANIES]
    link(
        Company.export_countries,
        [(c, db.countries[iso]) for c, seed in pairs for iso in seed.export_countries],
    )
    link(
        Company.certifications,
        [(c, db.certifications[code]) for c, seed in pairs for code in seed.certifications],
    )
    link(Company.support_languages, [(c, db.languages[code]) for c, seed in pairs for code in seed.languages])
    store_solutions(db, pairs)


def store_solutions(db, companies):
    seeds = [(company, seed) for company, company_seed in companies for seed in company_seed.solutions]
    solutions = [
        Solution(
            company=company,
            name_en=seed.name_en,
            name_ko=seed.name_ko,
            problem_solved=seed.problem,
            readiness=seed.readiness,
            price_band=seed.price_band,
        )
        for company, seed in seeds
    ]
    stored = create_missing(Solution.objects.all(), solutions, "company_id", "name_en")
    pairs = list(zip(stored, (seed for _, seed in seeds), strict=True))
    link(Solution.categories, [(s, db.categories[slug]) for s, seed in pairs for slug in seed.categories])
    references = [
        ReferenceDeployment(
            solution=s, city=db.cities[ref.city], year=ref.year, client=ref.client, result=ref.result
        )
        for s, seed in pairs
        for ref in seed.references
    ]
    create_missing(ReferenceDeployment.objects.all(), references, "solution_id", "city_id", "year")


def store_buyers(db):
    seeds = [*BUYERS, PENDING_BUYER]
    buyers = []
    for seed in seeds:
        domain = slugify(seed.name)[:40].strip("-")
        approved = seed is not PENDING_BUYER
        buyers.append(
            BuyerOrganisation(
                name=seed.name,
                name_local=seed.name_local,
                kind=seed.kind,
                city=db.cities[seed.city],
                website=f"https://{domain}.example",
                contact_email=f"smartcity@{domain}.example",
                approval_status=ApprovalStatus.APPROVED if approved else ApprovalStatus.PENDING,
            )
        )
    stored = create_missing(BuyerOrganisation.objects.all(), buyers, "city_id", "name")
    db.buyers = {buyer.name: buyer for buyer in stored}
    link(
        BuyerOrganisation.languages,
        [(db.buyers[seed.name], db.languages[code]) for seed in seeds for code in seed.languages],
    )


def store_users(db):
    organisation_of = {
        Role.CENTRE_STAFF: ("trade_centre", db.centres),
        Role.SME_MEMBER: ("company", db.companies),
        Role.BUYER_MEMBER: ("buyer_organisation", db.buyers),
    }
    for seed in DEMO_USERS:
        fields = {
            "role": seed.role,
            "first_name": seed.first_name,
            "last_name": seed.last_name,
            "email": seed.email,
            "time_zone": seed.time_zone,
            "is_staff": seed.role == Role.ADMIN,
            "is_superuser": seed.role == Role.ADMIN,
            # A callable: hashed only when the user is created, never again on a re-run.
            "password": partial(make_password, DEMO_PASSWORD),
        }
        if seed.role in organisation_of:
            name, rows = organisation_of[seed.role]
            fields[name] = rows[seed.organisation]
        db.users[seed.username], _ = User.objects.get_or_create(username=seed.username, defaults=fields)


def store_invitation(db):
    """One open invitation, so the demo shows how a member brings in a colleague."""
    Invitation.objects.get_or_create(invited_by=db.users["sme"], email="jiwoo.park@hanbit-parking.example")


def store_demands(db):
    members = {user.buyer_organisation_id: user for user in db.users.values() if user.buyer_organisation_id}
    demands = []
    for seed in DEMANDS:
        buyer = db.buyers[seed.buyer]
        published = dt.datetime.combine(seed.published, dt.time(2, 0), tzinfo=UTC) if seed.published else None
        demands.append(
            Demand(
                buyer=buyer,
                city=buyer.city,
                title=seed.title,
                problem=seed.problem,
                budget_band=seed.budget,
                timeline=seed.timeline,
                procurement_type=seed.procurement,
                deadline=seed.deadline,
                status=seed.status,
                published_at=published,
                created_by=members.get(buyer.pk),
            )
        )
    drafted = dt.datetime(2022, 5, 20, 2, 0, tzinfo=UTC)  # before the first listing was published
    stored = create_missing(Demand.objects.all(), demands, "buyer_id", "title", created_at=drafted)
    pairs = list(zip(stored, DEMANDS, strict=True))
    link(Demand.categories, [(dm, db.categories[slug]) for dm, seed in pairs for slug in seed.categories])
    link(
        Demand.required_certifications,
        [(dm, db.certifications[code]) for dm, seed in pairs for code in seed.certifications],
    )


def store_event(db, spec, rng):
    plan = plan_event(spec, rng)
    event, _ = Event.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "city": db.cities[spec.city],
            "venue": spec.venue,
            "start_date": spec.start,
            "end_date": spec.end,
            "time_zone": spec.time_zone,
            "organising_centre": db.centres[spec.centre],
            "slot_minutes": SLOT_MINUTES,
            "online_meetings_allowed": True,
            "description": spec.description,
        },
    )
    slots = create_missing(
        event.slots.all(),
        [
            TimeSlot(event=event, starts_at=s.starts_at, ends_at=s.ends_at, session=s.session)
            for s in plan.slots
        ],
        "starts_at",
    )
    tables = [Table(event=event, name=f"T{n:02d}") for n in range(1, len(spec.smes) + 1)]
    tables = create_missing(event.tables.all(), tables, "name")
    interpreters = store_interpreters(db, spec, event)
    smes, buyers = store_registrations(db, spec, event, plan, slots)
    requests = store_requests(db, spec, event, plan, smes, buyers)
    meetings = store_meetings(spec, event, plan, slots, tables, interpreters, requests)
    outcomes = store_outcomes(db, spec, event, plan, slots, meetings)
    store_follow_ups(event, outcomes)
    return event


def store_interpreters(db, spec, event):
    rows = [
        Interpreter(event=event, name=name, email=f"{slugify(name)}@interpreters.example")
        for name, _ in spec.interpreters
    ]
    stored = create_missing(event.interpreters.all(), rows, "name")
    pairs = zip(stored, spec.interpreters, strict=True)
    link(Interpreter.languages, [(row, db.languages[code]) for row, (_, codes) in pairs for code in codes])
    return stored


def store_registrations(db, spec, event, plan, slots):
    sme_seeds, buyer_seeds = event_smes(spec), event_buyers(spec)
    rows = [
        Registration(event=event, company=db.companies[seed.domain], max_meetings=spec.sme_max_meetings)
        for seed in sme_seeds
    ] + [
        Registration(
            event=event,
            buyer=db.buyers[seed.name],
            max_meetings=BUYER_MAX_MEETINGS,
            needs_interpreter=interpreter_language(seed) is not None,
        )
        for seed in buyer_seeds
    ]
    registered = dt.datetime.combine(spec.start - dt.timedelta(days=30), dt.time(1, 0), tzinfo=UTC)
    stored = create_missing(event.registrations.all(), rows, "company_id", "buyer_id", created_at=registered)
    seeds = sme_seeds + buyer_seeds
    link(
        Registration.languages,
        [
            (row, db.languages[code])
            for row, seed in zip(stored, seeds, strict=True)
            for code in seed.languages
        ],
    )
    sides = {"sme": stored[: len(sme_seeds)], "buyer": stored[len(sme_seeds) :]}
    link(
        Registration.unavailable_slots,
        [
            (sides[side][index], slots[slot])
            for (side, index), taken in plan.unavailable.items()
            for slot in taken
        ],
    )
    return sides["sme"], sides["buyer"]


def store_requests(db, spec, event, plan, smes, buyers):
    members = {(user.company_id, user.buyer_organisation_id): user for user in db.users.values()}
    cancelled = {meeting.request for meeting in plan.meetings if meeting.status == "cancelled"}
    answered = dt.datetime.combine(spec.start - dt.timedelta(days=14), dt.time(3, 0), tzinfo=UTC)
    rows = []
    for index, planned in enumerate(plan.requests):
        sme, buyer = smes[planned.sme], buyers[planned.buyer]
        rows.append(
            MeetingRequest(
                event=event,
                sme=sme,
                buyer=buyer,
                requested_by_sme=planned.by_sme,
                requested_by=members.get(
                    (sme.company_id, None) if planned.by_sme else (None, buyer.buyer_id)
                ),
                priority=planned.priority,
                session_preference=planned.session,
                status="cancelled" if index in cancelled else planned.status,
                message=planned.message,
                answered_at=None
                if planned.status == "pending"
                else answered + dt.timedelta(minutes=13 * index),
            )
        )
    requested = answered - dt.timedelta(days=7)
    return create_missing(event.meeting_requests.all(), rows, "sme_id", "buyer_id", created_at=requested)


def store_meetings(spec, event, plan, slots, tables, interpreters, requests):
    rows = []
    for number, planned in enumerate(plan.meetings, start=1):
        request = requests[planned.request]
        online = planned.mode == "online"
        rows.append(
            Meeting(
                slot=slots[planned.slot],
                sme_id=request.sme_id,
                buyer_id=request.buyer_id,
                request=request,
                mode=planned.mode,
                # Each SME keeps one table all day (as at the real roadshows); buyers move between tables.
                table=None if online else tables[plan.requests[planned.request].sme],
                online_link=f"https://meet.k-smartcity.example/{spec.slug}/{number:03d}" if online else "",
                interpreter=None if planned.interpreter is None else interpreters[planned.interpreter],
                status=planned.status,
                locked=True,
            )
        )
    booked = dt.datetime.combine(spec.start - dt.timedelta(days=5), dt.time(3, 0), tzinfo=UTC)
    # Keyed by the pair (the database allows one active meeting per pair), so a meeting moved to
    # another slot in the admin is found again rather than booked twice.
    return create_missing(
        Meeting.objects.filter(slot__event=event), rows, "sme_id", "buyer_id", created_at=booked
    )


def store_outcomes(db, spec, event, plan, slots, meetings):
    zone = zoneinfo.ZoneInfo(spec.time_zone)
    day_of = {slot.pk: slot.starts_at.astimezone(zone).date() for slot in slots}
    recorder = next((u for u in db.users.values() if u.trade_centre_id == event.organising_centre_id), None)
    rows = [
        Outcome(
            meeting=meeting,
            interest=outcome.interest,
            next_step=outcome.next_step,
            estimated_value_usd=outcome.value_usd,
            mou_signed=outcome.mou,
            mou_signed_on=day_of[meeting.slot_id] if outcome.mou else None,
            notes=outcome.notes,
            recorded_by=recorder,
        )
        for planned, meeting in zip(plan.meetings, meetings, strict=True)
        if (outcome := planned.outcome)
    ]
    recorded = dt.datetime.combine(spec.end, dt.time(18, 0), tzinfo=zone)
    stored = create_missing(
        Outcome.objects.filter(meeting__slot__event=event), rows, "meeting_id", "side", recorded_at=recorded
    )
    # Bulk inserts send no signals: give each new outcome the first row of its history by hand.
    with_history = set(Outcome.history.filter(id__in=[o.pk for o in stored]).values_list("id", flat=True))
    Outcome.history.bulk_history_create(
        [o for o in stored if o.pk not in with_history],
        default_user=recorder,
        default_date=recorded,
        default_change_reason="Recorded at the roadshow (demo data)",
    )
    store_mous(event, [o for o in stored if o.mou_signed], recorder, recorded)
    return stored


# What the company answered a month later, by the next step agreed at the meeting.
FOLLOW_UP_ANSWERS = {
    Outcome.NextStep.MOU: (FollowUp.Progress.WON, "MOU signed at the roadshow; pilot scope being agreed."),
    Outcome.NextStep.PILOT_PROPOSAL: (FollowUp.Progress.MOVING, "Pilot proposal sent."),
    Outcome.NextStep.SITE_VISIT: (FollowUp.Progress.MOVING, "Site visit being arranged."),
    Outcome.NextStep.SEND_QUOTATION: (FollowUp.Progress.MOVING, "Quotation sent; waiting for their budget."),
    Outcome.NextStep.NONE: (FollowUp.Progress.DROPPED, "No further interest."),
}


def store_follow_ups(event, outcomes):
    """The 1-, 3- and 6-month follow-ups of the held meetings; the 1-month one asked and answered."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    meetings = Meeting.objects.select_related("slot", "sme__company").in_bulk(
        [o.meeting_id for o in outcomes]
    )
    members = {u.company_id: u for u in User.objects.filter(company__isnull=False).order_by("pk")}
    rows = []
    for outcome in outcomes:
        meeting = meetings[outcome.meeting_id]
        day = meeting.slot.starts_at.astimezone(zone).date()
        for months in FollowUp.MONTHS:
            due = services.months_later(day, months)
            answered = months == 1
            progress, notes = FOLLOW_UP_ANSWERS[outcome.next_step] if answered else ("", "")
            at = dt.datetime.combine(due, dt.time(9, 0), tzinfo=zone)
            rows.append(
                FollowUp(
                    meeting=meeting,
                    months=months,
                    due_on=due,
                    token=secrets.token_urlsafe(32),
                    sent_at=at if answered else None,
                    progress=progress,
                    notes=notes,
                    answered_by=members.get(meeting.sme.company_id) if answered else None,
                    answered_at=at + dt.timedelta(days=2) if answered else None,
                )
            )
    stored = create_missing(FollowUp.objects.filter(meeting__slot__event=event), rows, "meeting_id", "months")
    with_history = set(FollowUp.history.filter(id__in=[f.pk for f in stored]).values_list("id", flat=True))
    FollowUp.history.bulk_history_create(
        [f for f in stored if f.pk not in with_history],
        default_user=next((o.recorded_by for o in outcomes if o.recorded_by_id), None),
        default_change_reason="Planned after the roadshow (demo data)",
        default_date=dt.datetime.combine(event.end_date, dt.time(18, 0), tzinfo=zone),
    )


def store_mous(event, signed_outcomes, recorder, recorded):
    """One MOU record (company–company) per outcome that says an MOU was signed, with its history."""
    meetings = Meeting.objects.select_related("sme", "buyer").in_bulk([o.meeting_id for o in signed_outcomes])
    rows = [
        Mou(
            title=outcome.notes,
            kind=Mou.Kind.COMPANY,
            status=Mou.Status.SIGNED,
            event=event,
            meeting_id=outcome.meeting_id,
            company_id=meetings[outcome.meeting_id].sme.company_id,
            buyer_id=meetings[outcome.meeting_id].buyer.buyer_id,
            signed_on=outcome.mou_signed_on,
            recorded_by=recorder,
        )
        for outcome in signed_outcomes
    ]
    stored = create_missing(Mou.objects.filter(event=event), rows, "meeting_id")
    with_history = set(Mou.history.filter(id__in=[m.pk for m in stored]).values_list("id", flat=True))
    Mou.history.bulk_history_create(
        [m for m in stored if m.pk not in with_history],
        default_user=recorder,
        default_date=recorded,
        default_change_reason="Recorded at the roadshow (demo data)",
    )


# ==================================================================================== entry point
class EventFigures(NamedTuple):
    name: str
    smes: int
    buyers: int
    meetings: int
    mous: int


def event_figures(event):
    registrations = event.registrations.filter(status=Registration.Status.CONFIRMED)
    return EventFigures(
        name=event.name,
        smes=registrations.filter(company__isnull=False).count(),
        buyers=registrations.filter(buyer__isnull=False).count(),
        meetings=Meeting.objects.filter(slot__event=event).exclude(status=Meeting.Status.CANCELLED).count(),
        mous=Mou.objects.filter(event=event, status=Mou.Status.SIGNED).count(),
    )


def store_search_text():
    """Fill the directories' search text; unchanged rows are not written again."""
    for company in Company.objects.all():
        company_search_refresh(company=company)
    for demand in Demand.objects.select_related("buyer", "city__country").prefetch_related("categories"):
        demand_search_refresh(demand=demand)


def seed_demo():
    """Create whatever part of the demo data is missing, in one transaction.

    Side effects: rows in every domain table and five demo users; rows that already exist (found by
    their natural key) are left as they are. Returns (figures per event, demo users).
    """
    rng = random.Random(SEED)  # noqa: S311 (fixed-seed demo data, not a secret)
    db = Stored()
    with transaction.atomic():
        store_reference_data(db)
        store_trade_centres(db)
        store_companies(db)
        store_buyers(db)
        store_users(db)
        store_invitation(db)
        store_demands(db)
        store_search_text()
        events = [store_event(db, spec, rng) for spec in EVENTS]
        return [event_figures(event) for event in events], [db.users[seed.username] for seed in DEMO_USERS]
