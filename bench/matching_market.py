"""The synthetic market that bench/matching.py ranks: Korean companies, their solutions and city listings
with a planted truth (the category and subtopic each is about), in Korean, English, Thai and Turkish."""

import itertools
import random
from dataclasses import dataclass, field

from matching.scoring import (
    DemandProfile,
    Reference,
    SolutionProfile,
)

# ------------------------------------------------------------------------------ vocabulary
# slug: English words, Korean words, Turkish words, Thai words (real words shared by the category).
CATEGORIES = {
    "smart-mobility": (
        "traffic signal bus congestion junction",
        "교통 신호 버스 혼잡 교차로",
        "trafik sinyal otobüs",
        "จราจร รถเมล์",
    ),
    "smart-parking": (
        "parking space occupancy kerbside",
        "주차 주차면 점유 주차장",
        "otopark park yeri",
        "ที่จอดรถ",
    ),
    "ev-charging": (
        "charger electric vehicle charging grid",
        "충전기 전기차 충전 전력망",
        "şarj elektrikli araç",
        "สถานีชาร์จ",
    ),
    "smart-home": (
        "home appliance apartment resident",
        "가정 가전 아파트 주민",
        "ev konut sakin",
        "บ้านอัจฉริยะ",
    ),
    "security-sensors": (
        "camera intrusion surveillance alarm",
        "카메라 침입 감시 경보",
        "kamera güvenlik alarm",
        "กล้องวงจรปิด",
    ),
    "disaster-response": (
        "flood warning earthquake landslide",
        "홍수 경보 지진 산사태",
        "sel uyarı deprem",
        "น้ำท่วม เตือนภัย",
    ),
    "environment": (
        "air quality dust pollution smoke",
        "대기질 미세먼지 오염 연기",
        "hava kalitesi kirlilik",
        "มลพิษทางอากาศ",
    ),
    "energy": ("energy solar meter consumption", "에너지 태양광 계량기 소비", "enerji güneş sayaç", "พลังงาน"),
    "health-care": (
        "patient clinic elderly health",
        "환자 진료소 노인 건강",
        "sağlık hasta yaşlı",
        "สุขภาพ ผู้ป่วย",
    ),
    "city-platform": (
        "platform dashboard integration control",
        "플랫폼 대시보드 통합 관제",
        "platform veri kontrol",
        "แพลตฟอร์ม",
    ),
    "water-management": (
        "water leak pipe pressure canal",
        "상수도 누수 배관 수압",
        "su sızıntı boru",
        "น้ำประปา",
    ),
    "smart-lighting": (
        "streetlight lamp dimming lighting",
        "가로등 램프 조명 디밍",
        "sokak aydınlatma lamba",
        "ไฟถนน",
    ),
    "smart-building": (
        "building hvac facility maintenance",
        "빌딩 공조 시설 유지보수",
        "bina tesis bakım",
        "อาคาร",
    ),
    "drones-robotics": (
        "drone robot inspection delivery",
        "드론 로봇 점검 배송",
        "drone robot denetim",
        "โดรน หุ่นยนต์",
    ),
}
SUBTOPICS_PER_CATEGORY = 3
# Everyday words of smart-city writing, drawn with a Zipf law so a few are in nearly every text.
COMMON = {
    "en": (
        "city citizens safety efficiency operation cost reduce install deploy integrated analysis prediction "
        "automatic remote control sensor network cloud platform mobile app real time data monitoring "
        "management service system smart public infrastructure urban district government agency maintenance "
        "accuracy alert report dashboard device wireless battery power installation users operators staff "
        "hours minutes daily annual savings reliable scalable open standard interface security privacy "
        "local national project budget supply support training warranty years experience customers "
        "partners quality certified tested proven low fast easy simple flexible modular compact durable "
        "outdoor indoor weather rain heat night peak demand response coverage area zone road street "
        "station centre office residents schools hospitals emergency information communication"
    ).split(),
    "ko": (
        "도시 시민 안전 효율 운영 비용 절감 설치 구축 통합 분석 예측 자동 원격 제어 센서 네트워크 클라우드 "
        "플랫폼 모바일 실시간 데이터 모니터링 관리 서비스 시스템 스마트 공공 인프라 지자체 정부 기관 "
        "유지보수 정확도 알림 보고서 대시보드 장치 무선 배터리 전력 사용자 운영자 직원 시간 신뢰성 확장성 "
        "표준 인터페이스 보안 개인정보 지역 국가 사업 예산 공급 지원 교육 보증 경험 고객 협력 품질 인증 "
        "검증 고성능 신속 간편 유연 모듈 내구성 실외 실내 기상 강우 폭염 야간 주간 수요 대응 구역 도로 "
        "거리 건물 센터 사무소 주민 학교 병원 비상 정보 통신"
    ).split(),
    "tr": (
        "belediye şehir vatandaş güvenlik verimlilik maliyet kurulum sistem akıllı izleme yönetim hizmet "
        "altyapı bölge proje bütçe destek eğitim kalite yerel ulusal ağ sensör veri platform uygulama "
        "gerçek zamanlı bakım acil bilgi iletişim okul hastane sakinler"
    ).split(),
    "th": (
        "ระบบ เมือง ประชาชน ความปลอดภัย ข้อมูล การจัดการ บริการ โครงการ งบประมาณ เทศบาล พื้นที่ ติดตั้ง "
        "ตรวจสอบ อัจฉริยะ ถนน โรงเรียน โรงพยาบาล ฉุกเฉิน"
    ).split(),
}
FUNCTION_WORDS = {
    "en": "the and of to in for with our we a is that by on from this".split(),
    "tr": "ve ile bir bu için da de olarak gibi daha".split(),
}
PARTICLES = ["", "", "을", "를", "이", "가", "의", "에서", "으로", "와", "는"]
CERTIFICATIONS = ["iso-9001", "iso-27001", "iso-14001", "ce", "kc", "ul", "gs", "innovative-product", "nep"]
BANDS = ["lt50k", "50k-250k", "250k-1m", "1m-5m", "gt5m"]
READINESS = ["prototype", "pilot", "commercial", "exported"]
PROCUREMENT = ["pilot", "tender", "ppp", "oda", "private"]
# Foreign country: its language; listings there are written in it (when we can) or in English.
COUNTRIES = {
    "TH": "th", "TR": "tr", "ID": "id", "VN": "vi", "SA": "ar", "MY": "ms",
    "PH": "en", "AE": "ar", "KZ": "ru", "UZ": "uz", "MN": "mn", "KE": "sw",
}  # fmt: skip
TEXT_LANGUAGE = {"th": "th", "tr": "tr"}  # other countries write in English (or Korean for ODA)


class Words:
    """Invented words in each script, never the same twice: subtopic terms and product names."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set()

    def _unique(self, make):
        while True:
            word = make()
            if word not in self.used:
                self.used.add(word)
                return word

    def latin(self):
        consonants, vowels = "bdfgklmnprstvz", "aeiou"

        def make():
            syllables = self.rng.randint(2, 3)
            return "".join(self.rng.choice(consonants) + self.rng.choice(vowels) for _ in range(syllables))

        return self._unique(make)

    def hangul(self):
        def syllable():
            initial = self.rng.randrange(19)
            medial = self.rng.choice([0, 4, 8, 13, 18, 20])
            final = self.rng.choice([0, 0, 4, 8, 21])
            return chr(0xAC00 + (initial * 21 + medial) * 28 + final)

        return self._unique(lambda: "".join(syllable() for _ in range(self.rng.randint(2, 3))))

    def thai(self):
        consonants = [chr(c) for c in range(0x0E01, 0x0E2F)]
        marks = ["", "", "\u0e32", "\u0e34", "\u0e35", "\u0e38", "\u0e48"]

        def make():
            return "".join(
                self.rng.choice(consonants) + self.rng.choice(marks) for _ in range(self.rng.randint(2, 3))
            )

        return self._unique(make)


@dataclass
class Subtopic:
    category: str
    number: int
    en: list
    ko: list
    tr: list
    th: list
    products: list  # Latin product and technology names, written the same in every language


@dataclass
class Company:
    company_id: int
    languages: set
    certifications: set
    solutions: list = field(default_factory=list)


@dataclass
class Solution:
    solution_id: int
    company: Company
    categories: set
    subtopic: Subtopic
    text: str
    references: list
    price_band: str
    readiness: str


@dataclass
class Demand:
    demand_id: int
    categories: set
    subtopic: Subtopic
    text: str
    city_id: int
    country: str
    languages: set
    required: set
    budget_band: str
    procurement: str


class Market:
    """A synthetic market; `truth` knows which category and subtopic every solution and listing is about."""

    def __init__(self, seed, companies, solutions, demands, planted):
        self.rng = rng = random.Random(seed)  # noqa: S311 (fixed-seed synthetic data, not a secret)
        self.words = Words(rng)
        self.subtopics = {
            slug: [
                Subtopic(
                    slug,
                    n,
                    [self.words.latin() for _ in range(3)],
                    [self.words.hangul() for _ in range(3)],
                    [self.words.latin() for _ in range(3)],
                    [self.words.thai() for _ in range(3)],
                    [self.words.latin() for _ in range(2)],
                )
                for n in range(SUBTOPICS_PER_CATEGORY)
            ]
            for slug in CATEGORIES
        }
        self.products = [self.words.latin() for _ in range(20000)]
        self.common_weights = {
            language: list(itertools.accumulate(1.0 / (rank + 2) for rank in range(len(words))))
            for language, words in COMMON.items()
        }
        self.product_weights = list(
            itertools.accumulate(1.0 / (rank + 10) for rank in range(len(self.products)))
        )
        self.cities = {}  # city_id -> country
        city_id = 1
        for country in ["KR", *COUNTRIES]:
            for _ in range(20 if country == "KR" else 15):
                self.cities[city_id] = country
                city_id += 1
        self.cities_in = {}
        for city, country in self.cities.items():
            self.cities_in.setdefault(country, []).append(city)

        self.companies = [self._company(n + 1) for n in range(companies)]
        counts = [solutions // companies] * companies
        for n in range(solutions - sum(counts)):
            counts[n % companies] += 1
        for _ in range(companies // 3):  # 1 to 5 solutions a company, same total
            a, b = rng.randrange(companies), rng.randrange(companies)
            if counts[a] > 1 and counts[b] < 5:
                counts[a] -= 1
                counts[b] += 1
        solution_id = 1
        for company, count in zip(self.companies, counts, strict=True):
            for _ in range(count):
                company.solutions.append(self._solution(solution_id, company))
                solution_id += 1
        self.demands = [self._demand(n + 1) for n in range(demands)]
        self.roles = {}  # planted solution_id -> best, relevant, context or text
        self.planted = self._plant(planted)

    # ------------------------------------------------------------------ random parts
    def _company(self, company_id):
        rng = self.rng
        languages = {"ko"} | ({"en"} if rng.random() < 0.9 else set())
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            languages.add(rng.choice(list(COUNTRIES.values())))
        certifications = set(rng.sample(CERTIFICATIONS, rng.choice([0, 1, 2, 3, 4])))
        return Company(company_id, languages, certifications)

    def _subtopic(self, category=None):
        category = category or self.rng.choice(list(CATEGORIES))
        return self.rng.choice(self.subtopics[category])

    def _pick(self, words, low, high):
        return self.rng.sample(words, self.rng.randint(low, min(high, len(words))))

    def _products(self, low, high):
        return self.rng.choices(
            self.products, cum_weights=self.product_weights, k=self.rng.randint(low, high)
        )

    def _common(self, language, low, high):
        words = COMMON[language]
        weights = self.common_weights[language]
        return self.rng.choices(words, cum_weights=weights, k=self.rng.randint(low, high))

    def _sentence(self, language, subtopic, extra=(), topic=(2, 3)):
        """One sentence about the subtopic in a language: its words among everyday ones, product names."""
        rng = self.rng
        en, ko, tr, th = CATEGORIES[subtopic.category]
        own = {"en": subtopic.en, "ko": subtopic.ko, "tr": subtopic.tr, "th": subtopic.th}[language]
        shared = {"en": en, "ko": ko, "tr": tr, "th": th}[language].split()
        words = [*self._pick(own, *topic), *self._pick(shared, 1, 2)]
        if language in ("en", "tr"):  # the topic's words in a few grammatical forms
            endings = ["", "ları", "leri", "de", "nin", "i", "den"] if language == "tr" else ["", "s", "ing"]
            words = [word + rng.choice(endings) for word in words]
        words += [*self._common(language, 6, 12), *self._pick(subtopic.products, 0, 1), *extra]
        rng.shuffle(words)
        if language == "ko":
            return " ".join(word + rng.choice(PARTICLES) for word in words) + " 해결합니다."
        if language == "th":  # no spaces inside a clause; product names stand apart
            thai = [word for word in words if not word.isascii()]
            clauses = ["".join(thai[i : i + 4]) for i in range(0, len(thai), 4)]
            return " ".join(clauses + [word for word in words if word.isascii()])
        function = FUNCTION_WORDS[language]
        for _ in range(len(words) // 3):
            words.insert(rng.randrange(len(words)), rng.choice(function))
        return " ".join(words).capitalize() + "."

    def _solution_text(self, subtopic, languages, extra=(), local=None):
        """Names, problem solved and description, as SolutionProfile.text joins them."""
        rng = self.rng
        _, ko, _, _ = CATEGORIES[subtopic.category]
        problem_language = rng.choice(["ko", "ko", "en"])
        parts = [
            f"{subtopic.ko[0]} {ko.split()[0]} {rng.choice(COMMON['ko'][:20])}",  # name_ko
            f"{subtopic.en[0].title()} {rng.choice(COMMON['en'][:20])} platform",  # name_en
            " ".join(self._sentence(problem_language, subtopic, extra) for _ in range(2)),  # problem solved
        ]
        description = [self._sentence("en", subtopic, topic=(0, 2)) for _ in range(rng.randint(2, 5))]
        description.append(" ".join(self._products(3, 6)))
        parts.append(" ".join(description))
        for language in sorted(languages & {"th", "tr"}):
            if language == local or rng.random() < 0.5:
                parts.append(self._sentence(language, subtopic, extra))
        return "\n".join(parts)

    def _references(self):
        rng = self.rng
        references = []
        for _ in range(rng.choices([0, 1, 2, 3], [35, 35, 20, 10])[0]):
            country = "KR" if rng.random() < 0.5 else rng.choice(list(COUNTRIES))
            references.append((rng.choice(self.cities_in[country]), country, rng.randint(2015, 2025)))
        return references

    def _solution(self, solution_id, company):
        rng = self.rng
        subtopic = self._subtopic()
        categories = {subtopic.category}
        if rng.random() < 0.3:
            categories.add(rng.choice(list(CATEGORIES)))
        return Solution(
            solution_id,
            company,
            categories,
            subtopic,
            self._solution_text(subtopic, company.languages),
            self._references(),
            rng.choice([*BANDS, ""]),
            rng.choices(READINESS, [1, 2, 4, 3])[0],
        )

    def _demand(self, demand_id, subtopic=None, country=None, extra=()):
        rng = self.rng
        subtopic = subtopic or self._subtopic()
        country = country or rng.choice(list(COUNTRIES))
        local = COUNTRIES[country]
        procurement = rng.choices(PROCUREMENT, [4, 3, 1, 1, 2])[0]
        language = TEXT_LANGUAGE.get(local) if rng.random() < 0.6 else None
        if language is None:
            language = "ko" if procurement == "oda" and rng.random() < 0.5 else "en"
        categories = {subtopic.category}
        if rng.random() < 0.2:
            categories.add(rng.choice(list(CATEGORIES)))
        en, _, _, _ = CATEGORIES[subtopic.category]
        title = (
            f"{subtopic.en[0]} {en.split()[0]}" if language == "en" else self._sentence(language, subtopic)
        )
        problem = " ".join(self._sentence(language, subtopic, extra) for _ in range(rng.randint(1, 3)))
        return Demand(
            demand_id,
            categories,
            subtopic,
            title + "\n" + problem,
            rng.choice(self.cities_in[country]),
            country,
            {local} | ({"en"} if rng.random() < 0.7 else set()),
            set(rng.sample(CERTIFICATIONS, rng.choices([0, 1, 2], [6, 3, 1])[0])),
            rng.choice([*BANDS, BANDS[2], ""]),
            procurement,
        )

    # ------------------------------------------------------------------ planted listings
    def _plant(self, count):
        """Listings whose best solution is known: on their problem, naming their niche products, with a
        reference in their city, their language, their certification, budget and readiness. Among them:
        9 more solutions to the same problem with any fit; 10 context decoys (same category, another
        problem, perfect fit); 5 text decoys (another category, naming the same niche products)."""
        rng = self.rng
        free = [c for c in self.companies if c.solutions]
        rng.shuffle(free)
        planted = []
        listing_ids = rng.sample([d.demand_id for d in self.demands], count)
        for demand_id in listing_ids:
            subtopic = self._subtopic()
            niche = [self.words.latin() for _ in range(3)]
            country = rng.choice(["TH", "TR", "TH", "TR", "VN", "ID", "SA"])
            demand = self._demand(demand_id, subtopic, country, extra=niche)
            demand.required = {rng.choice(CERTIFICATIONS)}
            demand.budget_band = rng.choice(BANDS)
            self.demands[demand_id - 1] = demand
            local = COUNTRIES[country]
            others = [s for s in self.subtopics[subtopic.category] if s is not subtopic]
            roles = ["best"] + ["relevant"] * 9 + ["context"] * 10 + ["text"] * 5
            best = None
            for role in roles:
                company = free.pop()
                solution = company.solutions[0]
                self.roles[solution.solution_id] = role
                if role in ("best", "relevant"):
                    solution.subtopic = subtopic
                    solution.categories = {subtopic.category}
                    if role == "best":
                        words, best = niche, company.company_id
                    else:
                        words = rng.sample(niche, rng.randint(1, 2))
                elif role == "context":
                    solution.subtopic = rng.choice(others)
                    solution.categories = {subtopic.category}
                    words = []
                else:
                    other = rng.choice([c for c in CATEGORIES if c != subtopic.category])
                    solution.subtopic = self._subtopic(other)
                    solution.categories = {other}
                    words = niche
                if role in ("best", "context"):
                    self._fit(solution, demand)
                solution.text = self._solution_text(solution.subtopic, company.languages, words, local)
            planted.append((demand_id, best))
        return planted

    @staticmethod
    def _fit(solution, demand):
        """Everything but the text as the listing wants it: a reference in its city last year, its
        language, its certifications, its budget, a readiness any procurement takes."""
        solution.company.languages.add(COUNTRIES[demand.country])
        solution.company.certifications |= demand.required
        solution.references = [(demand.city_id, demand.country, 2025), *solution.references]
        solution.price_band = demand.budget_band
        solution.readiness = "exported"

    # ------------------------------------------------------------------ profiles for the scoring core
    def profiles(self):
        solutions = [
            SolutionProfile(
                solution_id=s.solution_id,
                company_id=c.company_id,
                categories=frozenset(s.categories),
                text=s.text,
                references=tuple(Reference(city, country, year) for city, country, year in s.references),
                languages=frozenset(c.languages),
                certifications=frozenset(c.certifications),
                price_band=s.price_band,
                readiness=s.readiness,
            )
            for c in self.companies
            for s in c.solutions
        ]
        demands = [
            DemandProfile(
                demand_id=d.demand_id,
                categories=frozenset(d.categories),
                text=d.text,
                city_id=d.city_id,
                country=d.country,
                languages=frozenset(d.languages),
                required_certifications=frozenset(d.required),
                budget_band=d.budget_band,
                procurement_type=d.procurement,
            )
            for d in self.demands
        ]
        return solutions, demands
