"""Fill a benchmark database with a directory-sized market, on top of `manage.py seed_demo`.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.load_data [--companies 10000] [--demands 5000]

Run from the repository root after `migrate` and `seed_demo` (it needs their countries, cities,
categories, certifications and languages). Adds approved companies (3 solutions each, 1-2 categories per
solution, export countries, certifications, support languages) and open demand listings of approved
buyers (1-2 categories each), with their search text, all with bulk_create: a few seconds on PostgreSQL.
Deterministic (--seed). Prints what it added and the agenda used by bench/load.sh (`agenda=<pk>`).
"""

import argparse
import contextlib
import datetime as dt
import os
import random
import sys
import time

import django

BATCH = 2000

# A few real words per seed category (English, Korean, Turkish, Thai), so searches find something.
WORDS = {
    "smart-mobility": "traffic signal bus congestion 교통 신호 버스 혼잡 trafik sinyal จราจร",
    "smart-parking": "parking space occupancy 주차 주차장 otopark ที่จอดรถ",
    "ev-charging": "charger electric vehicle charging 충전기 전기차 şarj สถานีชาร์จ",
    "smart-home": "home appliance apartment 가정 가전 아파트 konut บ้านอัจฉริยะ",
    "security-sensors": "camera intrusion surveillance 카메라 감시 kamera güvenlik กล้องวงจรปิด",
    "disaster-response": "flood warning earthquake 홍수 경보 지진 sel uyarı deprem น้ำท่วม",
    "environment": "air quality dust pollution 대기질 미세먼지 hava kirlilik มลพิษทางอากาศ",
    "energy": "energy solar meter 에너지 태양광 enerji güneş พลังงาน",
    "health-care": "patient clinic elderly 환자 노인 sağlık hasta สุขภาพ",
    "city-platform": "platform dashboard integration 플랫폼 통합 관제 platform veri แพลตฟอร์ม",
    "water-management": "water leak pipe pressure 상수도 누수 su sızıntı น้ำประปา",
    "smart-lighting": "streetlight lamp dimming 가로등 조명 sokak aydınlatma ไฟถนน",
    "smart-building": "building hvac facility 빌딩 공조 bina tesis อาคาร",
    "drones-robotics": "drone robot inspection 드론 로봇 denetim โดรน",
}


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()


@contextlib.contextmanager
def stamped_as_given(model):
    """bulk_create keeps the created_at/updated_at it is given (auto_now_add/auto_now off meanwhile)."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def pick_words(rng, slugs, n):
    pool = [word for slug in slugs for word in WORDS.get(slug, "").split()]
    return " ".join(rng.sample(pool, min(n, len(pool))))


def load(n_companies, n_demands, seed):
    from django.db import transaction
    from django.utils import timezone

    from matching.companies.models import Company, Solution
    from matching.companies.validators import brn_check_digit
    from matching.demands.models import BuyerOrganisation, Demand
    from matching.geo.models import City, Country, Language
    from matching.kernel.models import ApprovalStatus, BudgetBand, Category, Certification
    from matching.search import search_document

    rng = random.Random(seed)  # noqa: S311 (synthetic benchmark data, not a secret)
    categories = list(Category.objects.all())
    certifications = list(Certification.objects.all())
    languages = list(Language.objects.all())
    foreign = list(Country.objects.exclude(iso_code="KR"))
    korean_cities = list(City.objects.filter(country__iso_code="KR"))
    foreign_cities = list(City.objects.exclude(country__iso_code="KR").select_related("country"))
    if not (categories and certifications and languages and foreign and korean_cities and foreign_cities):
        sys.exit("load_data: run `manage.py migrate` and `manage.py seed_demo` first")
    now = timezone.now()
    started = time.perf_counter()

    with transaction.atomic(), stamped_as_given(Company):
        # ---------------------------------------------------------------- companies and solutions
        taken = set(Company.objects.values_list("business_registration_number", flat=True))
        companies, solutions, solution_cats = [], [], []
        for n in range(n_companies):
            first_nine = f"59{n:07d}"
            brn = f"{first_nine}{brn_check_digit(first_nine)}"
            if brn in taken:
                continue
            cats = rng.sample(categories, rng.randint(1, 3))
            company = Company(
                name_en=f"Bench {cats[0].name_en} Co {n:05d}",
                name_ko=f"벤치 {cats[0].name_ko} {n:05d}",
                business_registration_number=brn,
                size=rng.choice(Company.Size.values),
                founded_year=rng.randint(1995, 2021),
                headquarters=rng.choice(korean_cities),
                description_en=f"We build {pick_words(rng, [c.slug for c in cats], 6)} systems for cities.",
                contact_email=f"export{n}@bench-company.example",
                approval_status=ApprovalStatus.APPROVED,
                # Spread over two years, for the "newest first" order.
                created_at=now - dt.timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60)),
                updated_at=now,
            )
            # Search text as services.company_search_text builds it: names, descriptions, solutions,
            # their categories.
            parts = [company.name_ko, company.name_en, company.description_ko, company.description_en]
            for k in range(3):
                own = [cats[k % len(cats)]] + ([rng.choice(categories)] if rng.random() < 0.5 else [])
                own = list({c.pk: c for c in own}.values())
                solution = Solution(
                    company=company,
                    name_en=f"{own[0].name_en} solution {k + 1}",
                    name_ko=f"{own[0].name_ko} 솔루션 {k + 1}",
                    problem_solved_en=f"Cities struggle with {pick_words(rng, [c.slug for c in own], 5)}.",
                    readiness=rng.choice(Solution.Readiness.values),
                    price_band=rng.choice(BudgetBand.values),
                )
                solutions.append(solution)
                solution_cats.append(own)
                parts += [solution.name_ko, solution.name_en, solution.problem_solved_en]
                parts += [name for c in own for name in (c.name_en, c.name_ko)]
            company.search_text = search_document(*parts)
            companies.append(company)
        Company.objects.bulk_create(companies, batch_size=BATCH)
        Solution.objects.bulk_create(solutions, batch_size=BATCH)
        through = Solution.categories.through
        through.objects.bulk_create(
            [
                through(solution_id=s.pk, category_id=c.pk)
                for s, cats in zip(solutions, solution_cats, strict=True)
                for c in cats
            ],
            batch_size=BATCH,
        )
        links = [
            (Company.export_countries.through, "country_id", foreign, 1, 3),
            (Company.certifications.through, "certification_id", certifications, 0, 2),
            (Company.support_languages.through, "language_id", languages, 1, 3),
        ]
        for model, column, choices, low, high in links:
            model.objects.bulk_create(
                [
                    model(company_id=company.pk, **{column: chosen.pk})
                    for company in companies
                    for chosen in rng.sample(choices, rng.randint(low, high))
                ],
                batch_size=BATCH,
            )

        # ---------------------------------------------------------------- buyers and demands
        kinds = BuyerOrganisation.Kind.values
        buyers = [
            BuyerOrganisation(
                name=f"Bench Smart City Office {n:04d}",
                kind=rng.choice(kinds),
                city=rng.choice(foreign_cities),
                contact_email=f"office{n}@bench-buyer.example",
                approval_status=ApprovalStatus.APPROVED,
            )
            for n in range(max(1, n_demands // 10))
        ]
        BuyerOrganisation.objects.bulk_create(buyers, batch_size=BATCH)
        demands, demand_cats = [], []
        for n in range(n_demands):
            buyer = rng.choice(buyers)
            cats = rng.sample(categories, rng.randint(1, 2))
            slugs = [c.slug for c in cats]
            published = now - dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            demand = Demand(
                buyer=buyer,
                city=buyer.city,
                title_en=f"{cats[0].name_en} for {buyer.city.name_en}: {pick_words(rng, slugs, 3)} {n}",
                problem_en=f"Our city needs help with {pick_words(rng, slugs, 8)}.",
                budget_band=rng.choice(BudgetBand.values),
                timeline=rng.choice(Demand.Timeline.values),
                procurement_type=rng.choice(Demand.ProcurementType.values),
                deadline=(published + dt.timedelta(days=rng.randint(30, 365))).date(),
                status=Demand.Status.OPEN,
                published_at=published,
            )
            # Search text as services.demand_search_text builds it: title, problem, buyer, city, categories.
            city = buyer.city
            parts = [demand.title_en, demand.problem_en, buyer.name, buyer.name_local]
            parts += [city.name_en, city.name_ko, city.name_local, city.country.name_en, city.country.name_ko]
            parts += [name for c in cats for name in (c.name_en, c.name_ko)]
            demand.search_text = search_document(*parts)
            demands.append(demand)
            demand_cats.append(cats)
        Demand.objects.bulk_create(demands, batch_size=BATCH)
        through = Demand.categories.through
        through.objects.bulk_create(
            [
                through(demand_id=d.pk, category_id=c.pk)
                for d, cats in zip(demands, demand_cats, strict=True)
                for c in cats
            ],
            batch_size=BATCH,
        )

    print(
        f"load_data: {len(companies)} companies, {len(solutions)} solutions, {len(buyers)} buyers, "
        f"{len(demands)} open demands in {time.perf_counter() - started:.1f} s"
    )


def busiest_agenda(username):
    """The registration of `username`'s organisation with the most meetings (the agenda load.sh asks for)."""
    from django.db.models import Count, Q

    from matching.consultations.events.models import Registration
    from portal.accounts.models import User

    user = User.objects.get(username=username)
    if user.company_id:
        rows = Registration.objects.filter(company_id=user.company_id)
        booked = Count("sme_meetings", filter=~Q(sme_meetings__status="cancelled"))
    else:
        rows = Registration.objects.filter(buyer_id=user.buyer_organisation_id)
        booked = Count("buyer_meetings", filter=~Q(buyer_meetings__status="cancelled"))
    registration = rows.annotate(n=booked).order_by("-n", "pk").first()
    return registration.pk, registration.n


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--demands", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--agenda-of", default="sme", help="user whose busiest agenda to print")
    args = parser.parse_args()
    setup_django()
    load(args.companies, args.demands, args.seed)
    pk, meetings = busiest_agenda(args.agenda_of)
    print(f"agenda={pk} meetings={meetings}")


if __name__ == "__main__":
    main()
