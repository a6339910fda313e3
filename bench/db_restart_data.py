"""The database side of bench/db_restart.sh: participants to write with before, the check by id after.

    .venv/bin/python -m bench.db_restart_data prepare [--smes 16] [--buyers 150] > participants.json
    .venv/bin/python -m bench.db_restart_data verify participants.json acknowledged.txt

`prepare` (after migrate and seed_demo) adds an upcoming event with SMES approved Korean companies and
BUYERS approved buyers, all confirmed, and one SME member login per company: SMES x BUYERS pairs, each
of which can hold one open meeting request, so the load generator never needs a pair twice. Prints JSON
(event id, password, usernames, the buyers' registration ids).

`verify` reads the ids of the writes the server acknowledged (one a line) and looks each up in the
meeting requests' messages; prints the counts and exits 0 (the benchmark's shell script reports them).
"""

import argparse
import datetime as dt
import json
import os
import sys

import django

PASSWORD = "bench-restart-2022"  # noqa: S105 (a throw-away login in a throw-away cluster)
MARK = "bench-write "


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()


def prepare(n_smes, n_buyers):
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from matching.companies.models import Company
    from matching.companies.validators import brn_check_digit
    from matching.consultations.events.models import Event, Registration
    from matching.demands.models import BuyerOrganisation
    from matching.geo.models import City
    from matching.kernel.models import ApprovalStatus, Role, TradeCentre
    from portal.accounts.models import User

    centre = TradeCentre.objects.get(code="bangkok")
    thai_cities = list(City.objects.filter(country__iso_code="TH"))
    start = timezone.localdate() + dt.timedelta(days=30)
    hashed = make_password(PASSWORD)  # once: hashing is slow on purpose
    with transaction.atomic():
        event = Event.objects.create(
            name="Restart benchmark roadshow",
            slug="restart-benchmark",
            city=centre.city,
            venue="Benchmark hall",
            start_date=start,
            end_date=start + dt.timedelta(days=1),
            time_zone=centre.city.time_zone,
            organising_centre=centre,
        )
        companies = Company.objects.bulk_create(
            Company(
                name_en=f"Restart Bench SME {n:03d}",
                name_ko=f"재시작 벤치 {n:03d}",
                business_registration_number=f"58{n:07d}{brn_check_digit(f'58{n:07d}')}",
                approval_status=ApprovalStatus.APPROVED,
            )
            for n in range(n_smes)
        )
        users = User.objects.bulk_create(
            User(
                username=f"restart-sme-{n:03d}",
                email=f"restart-sme-{n:03d}@bench.example",
                password=hashed,
                role=Role.SME_MEMBER,
                company=company,
            )
            for n, company in enumerate(companies)
        )
        buyers = BuyerOrganisation.objects.bulk_create(
            BuyerOrganisation(
                name=f"Restart Bench Buyer {n:04d}",
                kind=BuyerOrganisation.Kind.CITY_GOVERNMENT,
                city=thai_cities[n % len(thai_cities)],
                approval_status=ApprovalStatus.APPROVED,
            )
            for n in range(n_buyers)
        )
        confirmed = Registration.Status.CONFIRMED
        Registration.objects.bulk_create(
            Registration(event=event, company=company, status=confirmed) for company in companies
        )
        buyer_registrations = Registration.objects.bulk_create(
            Registration(event=event, buyer=buyer, status=confirmed) for buyer in buyers
        )
    json.dump(
        {
            "event": event.pk,
            "password": PASSWORD,
            "smes": [user.username for user in users],
            "buyers": [registration.pk for registration in buyer_registrations],
        },
        sys.stdout,
    )
    print()


def verify(participants_file, acknowledged_file):
    from matching.consultations.booking.models import MeetingRequest

    with open(participants_file, encoding="utf-8") as handle:
        event = json.load(handle)["event"]
    with open(acknowledged_file, encoding="utf-8") as handle:
        acknowledged = {line.strip() for line in handle if line.strip()}
    stored = {
        message.removeprefix(MARK).strip()
        for message in MeetingRequest.objects.filter(event_id=event, message__startswith=MARK).values_list(
            "message", flat=True
        )
    }
    lost = acknowledged - stored
    print(f"acknowledged writes: {len(acknowledged)}")
    print(f"found in the database by id: {len(acknowledged & stored)}")
    print(f"LOST (acknowledged, not in the database): {len(lost)}")
    print(f"stored without an acknowledgement (the answer did not arrive): {len(stored - acknowledged)}")
    for write_id in sorted(lost)[:20]:
        print(f"  lost: {write_id}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("prepare")
    p.add_argument("--smes", type=int, default=16)
    p.add_argument("--buyers", type=int, default=150)
    v = commands.add_parser("verify")
    v.add_argument("participants")
    v.add_argument("acknowledged")
    args = parser.parse_args()
    setup_django()
    if args.command == "prepare":
        prepare(args.smes, args.buyers)
    else:
        verify(args.participants, args.acknowledged)


if __name__ == "__main__":
    main()
