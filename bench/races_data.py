"""The database side of bench/races.py (Django, in this process): the data the races start from, and
reads of what they left."""

import collections
import datetime as dt
import random


# ---------------------------------------------------------------- the database side (Django, in-process)
def django_setup():
    import django

    django.setup()


SESSIONS_OF_A_DAY = [("am", dt.time(9, 30), dt.time(12, 0)), ("pm", dt.time(13, 30), dt.time(17, 0))]


def prepare(password, rounds_count):
    """This run's data on top of seed_demo; returns what the races need (ids, names, tokens) as a dict."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from matching.companies.models import Company
    from matching.companies.validators import brn_check_digit
    from matching.consultations.booking.models import Meeting, MeetingRequest
    from matching.consultations.events import services
    from matching.consultations.events.models import Event, Registration, Table, TimeSlot
    from matching.demands.models import BuyerOrganisation
    from matching.geo.models import City
    from matching.kernel.models import ApprovalStatus, Role, TradeCentre
    from portal.accounts.models import Invitation, User

    rng = random.Random(13)  # noqa: S311 (which slots a participant cannot attend; not a secret)
    centre = TradeCentre.objects.get(code="bangkok")
    thai_cities = list(City.objects.filter(country__iso_code="TH").order_by("pk"))
    hashed = make_password(password)
    today = timezone.localdate()
    soon = today + dt.timedelta(days=30)
    numbers = iter(range(1, 10_000))

    def brn(n):
        first_nine = f"61{n:07d}"
        return f"{first_nine}{brn_check_digit(first_nine)}"

    def companies(count):
        made = []
        for _ in range(count):
            n = next(numbers)
            made.append(
                Company.objects.create(
                    name_en=f"Race SME {n:03d}",
                    name_ko=f"경합 기업 {n:03d}",
                    business_registration_number=brn(n),
                    approval_status=ApprovalStatus.APPROVED,
                )
            )
        return made

    def buyers(count):
        made = []
        for _ in range(count):
            n = next(numbers)
            made.append(
                BuyerOrganisation.objects.create(
                    name=f"Race Buyer {n:03d}",
                    kind=BuyerOrganisation.Kind.CITY_GOVERNMENT,
                    city=thai_cities[n % len(thai_cities)],
                    approval_status=ApprovalStatus.APPROVED,
                )
            )
        return made

    def event(slug, start, days, table_count):
        made = Event.objects.create(
            name=f"Race {slug}",
            slug=f"race-{slug}",
            city=centre.city,
            venue="Race hall",
            start_date=start,
            end_date=start + dt.timedelta(days=days - 1),
            time_zone=centre.city.time_zone,
            organising_centre=centre,
        )
        sessions = [services.Session(kind, starts, ends) for kind, starts, ends in SESSIONS_OF_A_DAY]
        slots = TimeSlot.objects.bulk_create(
            TimeSlot(event=made, starts_at=starts, ends_at=ends, session=kind)
            for starts, ends, kind in services.slots_for(event=made, sessions=sessions)
        )
        tables = Table.objects.bulk_create(
            Table(event=made, name=f"T{n:02d}") for n in range(1, table_count + 1)
        )
        return made, slots, tables

    def register(made, organisations, **fields):
        side = "company" if isinstance(organisations[0], Company) else "buyer"
        return [Registration.objects.create(event=made, **{side: o}, **fields) for o in organisations]

    def scattered(made, slots, tables, smes, buyers_, cancelled_pair):
        """Every SME meets every buyer, two slots apart, so the scheduler has gaps to close; each
        participant cannot attend 3 other slots, and the tables are barely enough for the busiest slot
        (which keeps the solver busy for its whole time limit: with a table per SME it proved the optimum
        within a second, before the staff's changes could land)."""
        used = collections.defaultdict(set)
        taken = collections.Counter()  # tables used per slot
        meetings = []
        for i, sme in enumerate(smes):
            for j, buyer in enumerate(buyers_):
                slot = (i + 2 * j) % len(slots)
                used[sme.pk].add(slot)
                used[buyer.pk].add(slot)
                meetings.append(Meeting(slot=slots[slot], sme=sme, buyer=buyer, table=tables[taken[slot]]))
                taken[slot] += 1
        i, j = cancelled_pair
        meetings.append(
            Meeting(
                slot=slots[-1],
                sme=smes[i],
                buyer=buyers_[j],
                table=tables[0],  # a cancelled meeting holds no table (the constraints skip it)
                status=Meeting.Status.CANCELLED,
            )
        )
        for registration in [*smes, *buyers_]:
            free = [n for n in range(len(slots)) if n not in used[registration.pk]]
            registration.unavailable_slots.set([slots[n] for n in rng.sample(free, 3)])
        return Meeting.objects.bulk_create(meetings)

    def one_round(r):
        """Fresh data for one round of the short races: each round's writes must all be its own."""
        # Bookings by hand: one SME that may have one meeting; two SMEs to withdraw while booking.
        event_c, slots_c, tables_c = event(f"bookings-{r}", soon + dt.timedelta(days=7), 2, 12)
        (single,) = register(event_c, companies(1), max_meetings=1)
        withdrawn = register(event_c, companies(2))
        buyers_c = register(event_c, buyers(12))

        # Outcomes are recorded once a meeting has started: an event of ten days ago.
        event_p, slots_p, tables_p = event(f"outcomes-{r}", today - dt.timedelta(days=10), 1, 2)
        (sme_p,) = register(event_p, companies(1))
        (buyer_p,) = register(event_p, buyers(1))
        met = Meeting.objects.create(slot=slots_p[0], sme=sme_p, buyer=buyer_p, table=tables_p[0])

        # Invitations: one from an active member; one whose inviter the admin deactivates first.
        inviter_companies = companies(2)
        inviters = [
            User.objects.create(
                username=f"race-inviter-{r}-{n}",
                email=f"race-inviter-{r}-{n}@races.example",
                password=hashed,
                role=Role.SME_MEMBER,
                company=company,
            )
            for n, company in enumerate(inviter_companies, start=1)
        ]
        invitations = [
            Invitation.objects.create(
                invited_by=inviter, email=f"colleague-{r}-{n}@races.example", company=inviter.company
            )
            for n, inviter in enumerate(inviters, start=1)
        ]

        return {
            "tag": r,
            "c": {
                "event": event_c.pk,
                "single": single.pk,
                "withdrawn": [registration.pk for registration in withdrawn],
                "buyers": [registration.pk for registration in buyers_c],
                "slots": [slot.pk for slot in slots_c],
                "tables": [table.pk for table in tables_c],
            },
            "p": {"event": event_p.pk, "meeting": met.pk, "day": event_p.start_date.isoformat()},
            "invitations": [
                {"token": inv.token, "id": inv.pk, "inviter": inviter.pk, "inviter_name": inviter.username}
                for inv, inviter in zip(invitations, inviters, strict=True)
            ],
            "brns": [brn(n) for n in range(9000 + 30 * r, 9030 + 30 * r)],
        }

    with transaction.atomic():
        staff = [
            User.objects.create(
                username=f"race-staff-{n}",
                email=f"race-staff-{n}@races.example",
                password=hashed,
                role=Role.CENTRE_STAFF,
                trade_centre=centre,
            )
            for n in (1, 2, 3)
        ]
        admin = User.objects.create(
            username="race-admin",
            email="race-admin@races.example",
            password=hashed,
            role=Role.ADMIN,
            is_staff=True,
            is_superuser=True,
        )

        # The scheduler runs: A gets cancelled and locked meanwhile, B loses a registration meanwhile.
        event_a, slots_a, tables_a = event("scheduler-lock", soon, 2, 5)
        smes_a = register(event_a, companies(10))
        buyers_a = register(event_a, buyers(9))
        meetings_a = scattered(event_a, slots_a, tables_a, smes_a, buyers_a, cancelled_pair=(1, 1))
        event_b, slots_b, tables_b = event("scheduler-withdraw", soon, 2, 4)
        smes_b = register(event_b, companies(8))
        buyers_b = register(event_b, buyers(10))
        scattered(event_b, slots_b, tables_b, smes_b, buyers_b[:8], cancelled_pair=(2, 2))
        for buyer in buyers_b[8:]:
            buyer.unavailable_slots.set(rng.sample(slots_b, 3))
        requests_b = MeetingRequest.objects.bulk_create(
            MeetingRequest(
                event=event_b,
                sme=sme,
                buyer=buyer,
                requested_by_sme=True,
                priority=MeetingRequest.Priority.MUST_MEET,
                status=MeetingRequest.Status.ACCEPTED,
            )
            for sme in smes_b
            for buyer in buyers_b[8:]
        )

        rounds = [one_round(r) for r in range(rounds_count)]

        # A member for every other company and buyer: bookings, moves and cancellations e-mail them.
        members = [
            User(
                username=f"race-member-sme-{company.pk}",
                email=f"race-member-sme-{company.pk}@races.example",
                password=hashed,
                role=Role.SME_MEMBER,
                company=company,
            )
            for company in Company.objects.filter(name_en__startswith="Race SME", members=None)
        ]
        members += [
            User(
                username=f"race-member-buyer-{buyer.pk}",
                email=f"race-member-buyer-{buyer.pk}@races.example",
                password=hashed,
                role=Role.BUYER_MEMBER,
                buyer_organisation=buyer,
            )
            for buyer in BuyerOrganisation.objects.filter(name__startswith="Race Buyer", members=None)
        ]
        User.objects.bulk_create(members)

    return {
        "staff": [user.username for user in staff],
        "admin": admin.username,
        "a": {
            "event": event_a.pk,
            "cancel": meetings_a[0].pk,
            "cancelled_before": [m.pk for m in meetings_a if m.status == Meeting.Status.CANCELLED],
        },
        "b": {
            "event": event_b.pk,
            "withdraw": smes_b[0].pk,
            "withdrawn_requests": [r.pk for r in requests_b if r.sme_id == smes_b[0].pk],
        },
        "rounds": rounds,
        "member": rounds[0]["invitations"][0]["inviter_name"],
        "centre_city": centre.city_id,
        "thai_city": thai_cities[0].pk,
    }


def meeting_places(event_id):
    """{meeting id: (slot, table, status, locked)} of the event, as the database has them now."""
    from matching.consultations.booking.models import Meeting

    rows = Meeting.objects.filter(slot__event_id=event_id).values_list(
        "pk", "slot_id", "table_id", "status", "locked"
    )
    return {pk: (slot, table, status, locked) for pk, slot, table, status, locked in rows}


def latest_run(event_id):
    from matching.consultations.booking.models import SchedulerRun

    return SchedulerRun.objects.filter(event_id=event_id).order_by("-started_at").first()


def count(model_path, **lookups):
    """Rows of `app_label.Model` matching the lookups."""
    from django.apps import apps

    return apps.get_model(model_path).objects.filter(**lookups).count()


def active_meetings(**lookups):
    from matching.consultations.booking.models import Meeting

    return Meeting.objects.filter(**lookups).exclude(status=Meeting.Status.CANCELLED).count()
