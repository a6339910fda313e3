"""Issue 13's races replayed as a black box: the portal in production mode, real sessions over HTTP.

    bench/races.sh                      (or .venv/bin/python -m bench.races, from the repository root)

What it does, in a few minutes and on the loopback only:
- PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth): a database of its own (RACES_DB, default
  portal_races) is dropped if left over, created, migrated and seeded (seed_demo for the geography and
  the trade centres, then this script's own data: events with slots, tables, registrations and meetings,
  three staff users of the Bangkok centre, members with passwords, invitations);
- the cache and the task broker in the machine's Redis, in a database number of the run's own
  (RACES_REDIS_DB, default 12, emptied before and after), tasks on a queue named for the run;
- gunicorn serves the portal in production mode (DEBUG=0, bench.load_settings: static files collected
  into a temporary folder) with 3 sync workers on a free loopback port, beside one `celery -A portal
  worker` (e-mails written to files in the temporary folder);
- each race is sent from threads released together by a barrier, every request with a real session
  (logged in through /accounts/login/ with its CSRF token, bench/portal_client.py), every form read from
  its page (fields, hidden token) and filled in as a browser would. The two scheduler runs go once (each
  solves for its whole time limit); the other races RACES_ROUNDS times (3), each round on data of its own;
- afterwards the database is read: one line per race with the answers by status and the rows that must
  be unique, or the meetings that must not move or come back; a final verdict line.

Exits 1 on any 5xx answer, any failed request, any broken invariant, a race that did not happen as
planned (the scheduler finished before staff changed the event) or a task that failed on the worker;
then prints the 5xx requests (gunicorn's access log) and the end of its log (the tracebacks). Stops gunicorn
and the worker and drops the database at the end, whatever happened (KEEP_WORK=1 keeps the logs).

Environment: RACES_DB, RACES_REDIS_DB, RACES_ROUNDS (3), RACES_TIMEOUT (seconds for the whole run, 420),
RACES_TIME_LIMIT (the scheduler runs' time limit, 20), WORKERS (gunicorn's, 3), KEEP_WORK.

The scheduler's staff changes go 1 s after the run has read the event (its SchedulerRun records how many
meetings it was given), so that they land while the solver works; the line says whether they did.

Sign-ups are rate limited per address and per e-mail (portal/common/security.py); all requests come from
127.0.0.1, so the run raises RATE_LIMIT_SIGNUP_PER_ADDRESS and RATE_LIMIT_SIGNUP_PER_EMAIL for its server
(the limits themselves have their own tests) rather than forging X-Forwarded-For addresses.
"""

import collections
import datetime as dt
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bench.portal_client import Session

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
PG = {"PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "postgres"}
QUIET = {"PGOPTIONS": "-c client_min_messages=warning"}  # for dropdb: no notice that there was none
DB = os.environ.get("RACES_DB", "portal_races")
REDIS_DB = int(os.environ.get("RACES_REDIS_DB", "12"))
TIMEOUT = int(os.environ.get("RACES_TIMEOUT", "420"))
TIME_LIMIT = int(os.environ.get("RACES_TIME_LIMIT", "20"))
WORKERS = int(os.environ.get("WORKERS", "3"))
ROUNDS = int(os.environ.get("RACES_ROUNDS", "3"))
HTTP_TIMEOUT = 90.0


# ---------------------------------------------------------------- forms as a browser sends them
class _Forms(HTMLParser):
    """Every <form> of a page with the fields a browser would send unchanged: text and hidden inputs,
    checked boxes and radios, each select's chosen options (the first when none is marked), textareas.
    Buttons, files and disabled fields are left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
            return
        name = attrs.get("name")
        if self._form is None or not name and tag != "option" or "disabled" in attrs:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value") or "on"))
                return
            self._form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": [], "chosen": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["chosen"].append(value)
        elif tag == "textarea":
            self._textarea = (name, [])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = select["chosen"]
            if not chosen and not select["multiple"] and select["options"]:
                chosen = select["options"][:1]
            if self._form is not None:
                self._form["fields"].extend((select["name"], value) for value in chosen)
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._textarea = None
            if self._form is not None:
                self._form["fields"].append((name, "".join(text).removeprefix("\n")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)


def form_fields(html, *, having):
    """The fields (name, value) of the page's first form that has a field named `having`."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == having for name, _ in form["fields"]):
            return list(form["fields"])
    raise RuntimeError(f"no form with a field {having!r} on the page")


def filled(fields, **values):
    """The form's fields with `values` replacing what the page had (None removes a field, a list gives
    several values, as a multiple select does)."""
    kept = [(name, value) for name, value in fields if name not in values]
    for name, value in values.items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            kept.append((name, str(item)))
    return kept


# ---------------------------------------------------------------- requests, alone and together
@dataclass
class Answer:
    status: int | None  # None: no answer (a network error, a timeout)
    error: str = ""
    body: str = ""
    location: str = ""
    request: str = ""


def send(session, method, path, fields=None):
    """One request; never raises for a network error (it becomes an Answer without a status)."""
    label = f"{method} {path}"
    try:
        response = session.post_form(path, fields or []) if method == "POST" else session.get(path)
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, error=f"{type(error).__name__}: {error}", request=label)
    return Answer(response.status, body=response.text, location=response.header("Location"), request=label)


def page(session, path, expected=200):
    """GET a page the race needs before it starts (a form); anything but `expected` stops the run."""
    answer = send(session, "GET", path)
    if answer.status != expected:
        raise RuntimeError(f"GET {path}: {answer.status or answer.error}, expected {expected}")
    return answer


def together(jobs):
    """Run the jobs (callables returning an Answer) in threads released at once; their answers in order."""
    barrier = threading.Barrier(len(jobs))
    answers = [Answer(None, error="never ran")] * len(jobs)

    def work(index, job):
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            answers[index] = Answer(None, error="the barrier broke")
            return
        answers[index] = job()

    threads = [threading.Thread(target=work, args=item, daemon=True) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HTTP_TIMEOUT + 30)
    return answers


def twin(session):
    """Another client with the session's cookies (one user's second tab): threads never share a cookie jar."""
    return Session(
        f"http://{session.host}:{session.port}", timeout=session.timeout, cookie=session.cookie_header()
    )


def job(session, method, path, fields=None):
    """A request for `together` to send later, from a client of its own with the session's cookies."""
    client = twin(session)
    return lambda: send(client, method, path, fields)


def refused_on_the_form(answer):
    """A 200 page that shows the form again with an error (Bootstrap's alert or a field's message)."""
    return answer.status == 200 and ("alert-danger" in answer.body or "invalid-feedback" in answer.body)


# ---------------------------------------------------------------- one race's figures
@dataclass
class Race:
    name: str
    answers: list = field(default_factory=list)
    checks: list = field(default_factory=list)  # (label, value, ok)
    notes: list = field(default_factory=list)
    round: int | None = None

    def check(self, label, value, ok):
        self.checks.append((label, value, bool(ok)))

    @property
    def server_errors(self):
        return [a for a in self.answers if a.status is not None and a.status >= 500]

    @property
    def failed_requests(self):
        return [a for a in self.answers if a.status is None]

    @property
    def ok(self):
        return not self.server_errors and not self.failed_requests and all(ok for *_, ok in self.checks)

    def line(self):
        checks = "; ".join(f"{label}: {value}{'' if ok else ' ✗'}" for label, value, ok in self.checks)
        notes = f" ({'; '.join(self.notes)})" if self.notes else ""
        where = f"round {self.round + 1}: " if self.round is not None else ""
        return (
            f"[{'PASS' if self.ok else 'FAIL'}] {where}{self.name}: {answers_by_status(self.answers)} | "
            f"{checks}{notes}"
        )


def answers_by_status(answers):
    """'12 requests (200×11 302×1; 2xx 11, 3xx 1, 4xx 0, 5xx 0)', with the requests that got no answer."""
    statuses = collections.Counter(a.status or "error" for a in answers)
    classes = collections.Counter(f"{a.status // 100}xx" if a.status else "error" for a in answers)
    by_status = " ".join(f"{status}×{count}" for status, count in sorted(statuses.items(), key=str))
    by_class = ", ".join(f"{name} {classes.get(name, 0)}" for name in ("2xx", "3xx", "4xx", "5xx"))
    if classes.get("error"):
        by_class += f", no answer {classes['error']}"
    return f"{len(answers)} requests ({by_status}; {by_class})"


def summary(races):
    """One line per race over all rounds: the answers added up, each invariant's value round by round."""
    lines = []
    for name in dict.fromkeys(race.name for race in races):
        same = [race for race in races if race.name == name]
        answers = [answer for race in same for answer in race.answers]
        values = collections.defaultdict(list)
        for race in same:
            for label, value, _ in race.checks:
                values[label].append(str(value))
        checks = "; ".join(f"{label}: {' / '.join(found)}" for label, found in values.items())
        verdict = "PASS" if all(race.ok for race in same) else "FAIL"
        lines.append(f"[{verdict}] {name} (×{len(same)}): {answers_by_status(answers)} | {checks}")
    return lines


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
        participant cannot attend 3 other slots (which keeps the solver busy for its whole time limit)."""
        used = collections.defaultdict(set)
        meetings = []
        for i, sme in enumerate(smes):
            for j, buyer in enumerate(buyers_):
                slot = (i + 2 * j) % len(slots)
                used[sme.pk].add(slot)
                used[buyer.pk].add(slot)
                meetings.append(Meeting(slot=slots[slot], sme=sme, buyer=buyer, table=tables[i]))
        i, j = cancelled_pair
        meetings.append(
            Meeting(
                slot=slots[-1],
                sme=smes[i],
                buyer=buyers_[j],
                table=tables[i],
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
        event_a, slots_a, tables_a = event("scheduler-lock", soon, 2, 10)
        smes_a = register(event_a, companies(10))
        buyers_a = register(event_a, buyers(9))
        meetings_a = scattered(event_a, slots_a, tables_a, smes_a, buyers_a, cancelled_pair=(1, 1))
        event_b, slots_b, tables_b = event("scheduler-withdraw", soon, 2, 8)
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


# ---------------------------------------------------------------- the races
class Portal:
    """The running portal: its address, and logged-in sessions by username."""

    def __init__(self, base, password):
        self.base = base
        self.password = password
        self.sessions = {}

    def anonymous(self):
        return Session(self.base, timeout=HTTP_TIMEOUT)

    def login(self, username):
        session = self.anonymous()
        if not session.login(username, self.password):
            raise RuntimeError(f"login as {username} failed")
        self.sessions[username] = session
        return session


def token_from(session, path="/accounts/login/"):
    """A CSRF token for the session (and its cookie), from any page with a form."""
    response = session.get(path)
    return session.csrf_token(response)


def wait_for(condition, *, timeout, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    return None


def race_scheduler(portal, data):
    """Two runs at once: on A, 1 s after the run read the event, staff cancel a meeting and lock them all;
    on B, staff withdraw a registration. Nothing staff did may be undone by the runs' write-back."""
    from matching.consultations.booking.models import Meeting, SchedulerRun

    a, b = data["a"], data["b"]
    lock_race = Race(f"scheduler run + cancel one + lock all ({TIME_LIMIT} s limit)")
    withdraw_race = Race(f"scheduler run + registration withdrawn ({TIME_LIMIT} s limit)")
    starter, changer, withdrawer = (portal.sessions[name] for name in data["staff"])
    before_a, before_b = meeting_places(a["event"]), meeting_places(b["event"])
    lock_race.notes.append(f"{sum(1 for p in before_a.values() if p[2] == 'scheduled')} unlocked meetings")
    withdraw_race.notes.append(
        f"{sum(1 for p in before_b.values() if p[2] == 'scheduled')} unlocked meetings, "
        f"{len(b['withdrawn_requests'])} accepted requests of the withdrawn registration"
    )

    token_a = token_from(changer, f"/events/{a['event']}/grid/")
    token_b = token_from(withdrawer, f"/events/{b['event']}/registrations/")
    runs = []
    for event_id, race in ((a["event"], lock_race), (b["event"], withdraw_race)):
        detail = page(starter, f"/events/{event_id}/")
        fields = filled(form_fields(detail.body, having="time_limit_seconds"), time_limit_seconds=TIME_LIMIT)
        answer = send(starter, "POST", f"/events/{event_id}/schedule/", fields)
        race.answers.append(answer)
        runs.append(event_id)

    def solving():
        """Both runs have read their event (the run records how many meetings it was given)."""
        latest = [latest_run(event_id) for event_id in runs]
        return all(run is not None and run.requested > 0 for run in latest)

    if not wait_for(solving, timeout=60):
        raise RuntimeError("the scheduler runs did not start on the worker within 60 s")
    time.sleep(1)

    def cancel_and_lock():
        cancelled = send(
            changer,
            "POST",
            f"/events/{a['event']}/meetings/{a['cancel']}/cancel/",
            {"csrfmiddlewaretoken": token_a},
        )
        lock_race.answers.append(cancelled)
        return send(changer, "POST", f"/events/{a['event']}/meetings/lock/", {"csrfmiddlewaretoken": token_a})

    def withdraw():
        path = f"/events/{b['event']}/registrations/{b['withdraw']}/withdraw/"
        return send(withdrawer, "POST", path, {"csrfmiddlewaretoken": token_b})

    locked, withdrawn = together([cancel_and_lock, withdraw])
    changed_at = time.time()
    lock_race.answers.append(locked)
    withdraw_race.answers.append(withdrawn)

    finished = wait_for(
        lambda: all(latest_run(e).status != SchedulerRun.Status.RUNNING for e in runs),
        timeout=TIME_LIMIT + 90,
    )
    if not finished:
        raise RuntimeError(f"the scheduler runs did not finish within {TIME_LIMIT + 90} s")

    for event_id, race in ((a["event"], lock_race), (b["event"], withdraw_race)):
        run = latest_run(event_id)
        solving = run.finished_at is not None and run.finished_at.timestamp() > changed_at
        race.check(
            "run",
            f"{run.status}, placed {run.placed}, kept {len(run.kept)}",
            run.status in {"optimal", "feasible"},
        )
        race.check(
            "staff's change landed while it solved", "yes" if solving else "NO (race not exercised)", solving
        )
        if run.status == SchedulerRun.Status.FAILED:
            race.notes.append(f"run failed: {run.message[:300]}")

    after_a = meeting_places(a["event"])
    cancelled = after_a[a["cancel"]][2] == Meeting.Status.CANCELLED
    lock_race.check("cancelled meeting still cancelled", "yes" if cancelled else "NO", cancelled)
    # Staff moved nothing: a locked meeting not where it was before the run was moved by the run.
    moved = sum(
        1 for pk, (slot, table, _, locked) in after_a.items() if locked and (slot, table) != before_a[pk][:2]
    )
    lock_race.check("locked meetings moved", moved, moved == 0)
    revived = sum(
        1 for pk in [*a["cancelled_before"], a["cancel"]] if after_a[pk][2] != Meeting.Status.CANCELLED
    )
    lock_race.check("cancelled meetings revived", revived, revived == 0)
    unlocked = sum(1 for p in after_a.values() if p[2] == Meeting.Status.SCHEDULED and not p[3])
    lock_race.check("scheduled meetings left unlocked", unlocked, unlocked == 0)

    after_b = meeting_places(b["event"])
    withdrawn_active = active_meetings(sme_id=b["withdraw"])
    withdraw_race.check(
        "active meetings of the withdrawn registration", withdrawn_active, withdrawn_active == 0
    )
    booked_requests = count("consultations.Meeting", request_id__in=b["withdrawn_requests"])
    withdraw_race.check("its accepted requests booked", booked_requests, booked_requests == 0)
    revived_b = sum(
        1
        for pk, p in before_b.items()
        if p[2] == Meeting.Status.CANCELLED and after_b[pk][2] != Meeting.Status.CANCELLED
    )
    withdraw_race.check("cancelled meetings revived", revived_b, revived_b == 0)
    moved_b = sum(
        1 for pk, p in before_b.items() if after_b[pk][:2] != p[:2] and after_b[pk][2] != "cancelled"
    )
    withdraw_race.notes.append(f"the run moved {moved_b} meetings of the others (it did re-optimise)")
    return [lock_race, withdraw_race]


def _booking_form(session, event_id):
    return form_fields(page(session, f"/events/{event_id}/meetings/new/").body, having="sme")


def race_max_meetings(portal, data):
    """12 bookings at once of one SME that may have one meeting, from 3 staff sessions."""
    c = data["c"]
    race = Race("12 bookings of a registration with max_meetings=1, 3 staff sessions")
    sessions = [portal.sessions[name] for name in data["staff"]]
    forms = {id(s): _booking_form(s, c["event"]) for s in sessions}
    jobs = []
    for n in range(12):
        session = sessions[n % 3]
        fields = filled(
            forms[id(session)],
            sme=c["single"],
            buyer=c["buyers"][n],
            slot=c["slots"][n],
            table=c["tables"][n],
        )
        jobs.append(job(session, "POST", f"/events/{c['event']}/meetings/new/", fields))
    race.answers = together(jobs)
    race.notes.append(f"refused on the form: {sum(refused_on_the_form(a) for a in race.answers)}")
    meetings = active_meetings(sme_id=c["single"])
    race.check("meetings of the registration", meetings, meetings <= 1)
    return race


def race_withdraw_while_booking(portal, data):
    """8 bookings of two SMEs in flight while staff withdraw both registrations."""
    c = data["c"]
    race = Race("2 withdrawals while 8 bookings are in flight")
    sessions = [portal.sessions[name] for name in data["staff"]]
    forms = {id(s): _booking_form(s, c["event"]) for s in sessions}
    jobs = []
    for n in range(8):
        session = sessions[n % 2]
        sme = c["withdrawn"][n // 4]
        fields = filled(
            forms[id(session)], sme=sme, buyer=c["buyers"][n], slot=c["slots"][12 + n], table=c["tables"][n]
        )
        jobs.append(job(session, "POST", f"/events/{c['event']}/meetings/new/", fields))
    withdrawer = sessions[2]
    token = token_from(withdrawer, f"/events/{c['event']}/registrations/")
    for registration in c["withdrawn"]:
        path = f"/events/{c['event']}/registrations/{registration}/withdraw/"
        jobs.insert(3, job(withdrawer, "POST", path, {"csrfmiddlewaretoken": token}))
    race.answers = together(jobs)
    booked = sum(1 for a in race.answers if a.status == 302 and "/grid/" in a.location)
    race.notes.append(f"booked before the withdrawal: {booked}")
    active = active_meetings(sme_id__in=c["withdrawn"])
    race.check("active meetings on withdrawn registrations", active, active == 0)
    statuses = count("consultations.Registration", pk__in=c["withdrawn"], status="withdrawn")
    race.check("registrations withdrawn", f"{statuses} of 2", statuses == 2)
    return race


def race_invitations(portal, data):
    """6 acceptances of one invitation at once; 6 of one whose inviter the admin deactivated meanwhile."""
    from portal.accounts.models import Invitation

    races = []
    usable, orphaned = data["invitations"]
    for invitation, deactivate in ((usable, False), (orphaned, True)):
        name = "6 acceptances of one invitation"
        if deactivate:
            name += " whose inviter was deactivated (admin) after the forms were opened"
        race = Race(name)
        path = f"/accounts/invitation/{invitation['token']}/"
        prepared = []
        for n in range(6):
            session = portal.anonymous()
            form = form_fields(page(session, path).body, having="password1")
            username = f"race-colleague-{invitation['id']}-{n}"
            password = secrets.token_urlsafe(12)
            fields = filled(
                form,
                first_name="Somchai",
                last_name=f"Race {n}",
                username=username,
                password1=password,
                password2=password,
            )
            prepared.append((session, fields, username))
        if deactivate:
            race.answers.append(_deactivate(portal.sessions[data["admin"]], invitation["inviter"]))
        race.answers += together([job(session, "POST", path, fields) for session, fields, _ in prepared])
        usernames = [username for *_, username in prepared]
        accounts = count("accounts.User", username__in=usernames)
        expected = 0 if deactivate else 1
        race.check("accounts created", accounts, accounts == expected)
        accepted = Invitation.objects.filter(pk=invitation["id"], accepted_by__isnull=False).count()
        race.check("invitation marked accepted", accepted, accepted == expected)
        if deactivate:
            inactive = count("accounts.User", pk=invitation["inviter"], is_active=False)
            race.check("inviter inactive", "yes" if inactive else "NO", inactive == 1)
        races.append(race)
    return races


def _deactivate(admin, user_id):
    """The admin unticks "active" on the user's change page and saves (every other field as it was)."""
    path = f"/admin/accounts/user/{user_id}/change/"
    fields = form_fields(page(admin, path).body, having="username")
    return send(admin, "POST", path, filled(fields, is_active=None, _save="Save"))


def race_outcomes(portal, data):
    """20 saves at once of the staff's record of one meeting (a signed MOU with it)."""
    p = data["p"]
    race = Race("20 simultaneous outcome saves, one meeting, staff side")
    path = f"/events/meetings/{p['meeting']}/outcome/"
    sessions = [portal.sessions[name] for name in data["staff"]]
    forms = {id(s): form_fields(page(s, path).body, having="attendance") for s in sessions}
    jobs = []
    for n in range(20):
        session = sessions[n % 3]
        fields = filled(
            forms[id(session)],
            attendance="held",
            interest="high",
            next_step="mou",
            estimated_value_usd=250000 + n,
            mou_signed="on",
            mou_signed_on=p["day"],
            notes=f"race save {n}",
        )
        jobs.append(job(session, "POST", path, fields))
    race.answers = together(jobs)
    outcomes = count("consultations.Outcome", meeting_id=p["meeting"], side="staff")
    race.check("outcome rows (meeting, staff)", outcomes, outcomes == 1)
    mous = count("consultations.Mou", meeting_id=p["meeting"])
    race.check("MOU records of the meeting", mous, mous == 1)
    history = count("consultations.HistoricalOutcome", meeting_id=p["meeting"])
    race.notes.append(f"history rows: {history}")
    return race


def race_signups(portal, data):
    """8 sign-ups at once, three times: one username; one buyer name in one city; one company number."""
    races, r = [], data["tag"]
    brns = iter(data["brns"])
    same_brn = next(brns)
    cases = [
        (
            "8 sign-ups, one username (8 companies)",
            "sme",
            lambda n: f"race-same-username-{r}",
            lambda n: next(brns),
        ),
        ("8 sign-ups, one buyer name in one city", "buyer", lambda n: f"race-buyer-{r}-{n}", None),
        (
            "8 sign-ups, one business registration number",
            "sme",
            lambda n: f"race-brn-{r}-{n}",
            lambda n: same_brn,
        ),
    ]
    for number, (name, kind, username_of, brn_of) in enumerate(cases):
        race = Race(name)
        prepared, usernames, numbers = [], set(), []
        for n in range(8):
            session = portal.anonymous()
            form = form_fields(page(session, "/accounts/signup/").body, having="account-username")
            username = username_of(n)
            password = secrets.token_urlsafe(12)
            values = {
                "account-kind": kind,
                "account-first_name": "Ji-woo",
                "account-last_name": f"Race {number}-{n}",
                "account-email": f"race-signup-{r}-{number}-{n}@races.example",
                "account-username": username,
                "account-password1": password,
                "account-password2": password,
            }
            if kind == "sme":
                numbers.append(brn_of(n))
                values |= {
                    "company-name_ko": f"경합 가입 {r}-{number}-{n}",
                    "company-name_en": f"Race Sign-up {r}-{number}-{n}",
                    "company-business_registration_number": numbers[-1],
                    "company-website": "",
                }
            else:
                values |= {
                    "buyer-name": f"Race Same Buyer {r}",
                    "buyer-name_local": "",
                    "buyer-kind": "city",
                    "buyer-city": data["thai_city"],
                    "buyer-website": "",
                }
            prepared.append((session, filled(form, **values)))
            usernames.add(username)
        race.answers = together(
            [job(session, "POST", "/accounts/signup/", fields) for session, fields in prepared]
        )
        race.notes.append(f"refused on the form: {sum(refused_on_the_form(a) for a in race.answers)}")
        accounts = count("accounts.User", username__in=usernames)
        race.check("accounts", accounts, accounts == 1)
        if kind == "sme":
            companies = count("companies.Company", business_registration_number__in=set(numbers))
            race.check("companies", companies, companies == 1)
        else:
            buyers = count(
                "demands.BuyerOrganisation", name=f"Race Same Buyer {r}", city_id=data["thai_city"]
            )
            race.check("buyer organisations", buyers, buyers == 1)
        races.append(race)
    return races


def _event_form(session, **values):
    form = form_fields(page(session, "/events/new/").body, having="form_token")
    start = dt.date.today() + dt.timedelta(days=60)
    return filled(
        form,
        **{
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=1)).isoformat(),
            "venue": "Race convention centre",
            "table_count": 6,
        }
        | values,
    )


def race_event_forms(portal, data):
    """6 posts of one new-event form (one token); then 4 forms (4 tokens) taking one slug."""
    staff, r = [portal.sessions[name] for name in data["staff"]], data["tag"]
    twice = Race("6 posts of one new-event form (one form_token)")
    fields = _event_form(staff[0], name=f"Race one form {r}", city=data["centre_city"])
    token = dict(fields)["form_token"]
    twice.answers = together([job(staff[0], "POST", "/events/new/", fields) for _ in range(6)])
    events = count("consultations.Event", form_token=token)
    twice.check("events with the form's token", events, events == 1)
    named = count("consultations.Event", name=f"Race one form {r}")
    twice.check("events of that name", named, named == 1)
    same_event = {a.location for a in twice.answers if a.status == 302}
    twice.notes.append(f"redirected to {len(same_event)} event page(s)")

    slug = Race("4 new-event forms taking one slug")
    jobs = []
    for n in range(4):
        session = staff[n % 3]
        form = _event_form(
            session, name=f"Race slug {r}-{n}", slug=f"race-one-slug-{r}", city=data["centre_city"]
        )
        jobs.append(job(session, "POST", "/events/new/", form))
    slug.answers = together(jobs)
    slug.notes.append(f"refused on the form: {sum(refused_on_the_form(a) for a in slug.answers)}")
    events = count("consultations.Event", slug=f"race-one-slug-{r}")
    slug.check("events with the slug", events, events == 1)
    return [twice, slug]


def race_nul(portal, data):
    """A NUL byte in the follow-up token (a 500 once): 404 for a logged-in staff member and a member."""
    race = Race("GET /events/follow-ups/%00/ logged in (staff, SME member), 2 threads each")
    member = portal.sessions[data["member"]]
    staff = portal.sessions[data["staff"][0]]
    jobs = [job(s, "GET", "/events/follow-ups/%00/") for s in (staff, member, staff, member)]
    race.answers = together(jobs)
    not_found = sum(1 for a in race.answers if a.status == 404)
    race.check("answered 404", f"{not_found} of {len(jobs)}", not_found == len(jobs))
    return race


# ---------------------------------------------------------------- processes
class Processes:
    """gunicorn and the Celery worker, each in a process group of its own, stopped by their ids."""

    def __init__(self, work):
        self.work = work
        self.children = []

    def start(self, name, command, env):
        log = open(self.work / f"{name}.log", "wb")  # kept open while the process runs
        process = subprocess.Popen(  # noqa: S603 (our own virtualenv's executables, fixed arguments)
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.children.append((name, process, log))
        return process

    def stop(self):
        for name, process, log in reversed(self.children):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    print(f"   {name} did not stop in 15 s: killed")
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=15)
            log.close()
        self.children = []


def run(command, env, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603 (fixed commands)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_errors_report(work, races):
    """The 5xx answers by request (gunicorn's access log), the requests without an answer, and the end of
    the server's log (DEBUG is off: Django logs each 500 there with its traceback)."""
    lines = []
    access = work / "access.log"
    if access.exists():
        for line in access.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split('"')
            if len(parts) > 2 and re.match(r"\s*5\d\d\s", parts[2]):
                lines.append(f"   access log: {parts[1]} -> {parts[2].split()[0]}")
    for race in races:
        for answer in race.server_errors + race.failed_requests:
            lines.append(f"   {race.name}: {answer.request} -> {answer.status or answer.error}")
    server_log = work / "gunicorn.log"
    text = server_log.read_text(encoding="utf-8", errors="replace") if server_log.exists() else ""
    logged = text.splitlines()
    first = next((n for n, line in enumerate(logged) if line.startswith("Internal Server Error")), 0)
    return lines, logged[first : first + 250] if lines else []


def worker_failures(work):
    log = work / "celery.log"
    if not log.exists():
        return []
    text = log.read_text(encoding="utf-8", errors="replace")
    return [
        line
        for line in text.splitlines()
        if re.search(r"raised unexpected|Task .* failed|Scheduler run \d+ failed", line)
    ]


# ---------------------------------------------------------------- main
def _out_of_time(*_):
    raise TimeoutError(f"the run took over {TIMEOUT} s")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(TIMEOUT)
    work = Path(tempfile.mkdtemp(prefix="portal-races."))
    password = secrets.token_urlsafe(16)
    queue = f"races-{uuid.uuid4().hex[:8]}"
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    env = (
        os.environ
        | PG
        | {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": queue,
            "CELERY_QUEUE": queue,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(work / "mail"),
            "MEDIA_ROOT": str(work / "media"),
            "BENCH_STATIC_ROOT": str(work / "static"),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(work / "beat-schedule"),
            "LOG_LEVEL": "WARNING",
            "RATE_LIMIT_SIGNUP_PER_ADDRESS": "1000/h",
            "RATE_LIMIT_SIGNUP_PER_EMAIL": "1000/h",
        }
    )
    os.environ.update(env)
    processes = Processes(work)
    races, problems = [], []
    started = time.monotonic()
    try:
        import redis

        cache = redis.Redis.from_url(redis_url)
        cache.flushdb()
        print(f"== database {DB}, Redis {redis_url} (queue {queue}), work folder {work}")
        run(["dropdb", "--if-exists", "--force", DB], env | QUIET)
        run(["createdb", DB], env)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "seed_demo"], env, stdout=subprocess.DEVNULL)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        django_setup()
        data = prepare(password, ROUNDS)
        print(f"   migrated, seeded and prepared in {time.monotonic() - started:.0f} s")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        gunicorn = [str(VENV_BIN / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}"]
        gunicorn += [
            "--workers",
            str(WORKERS),
            "--timeout",
            "120",
            "--access-logfile",
            str(work / "access.log"),
        ]
        gunicorn += ["--no-control-socket"]  # its default path is shared by every gunicorn of the machine
        processes.start("gunicorn", gunicorn, env)
        worker = [str(VENV_BIN / "celery"), "-A", "portal", "worker", "-Q", queue, "-n", f"{queue}@%h"]
        worker += ["--concurrency", "2", "--without-gossip", "--without-mingle", "--loglevel", "INFO"]
        processes.start("celery", worker, env | {"LOG_LEVEL": "INFO"})
        probe = Session(base, timeout=5)

        def healthy():
            try:
                return probe.get("/healthz").status == 200
            except (OSError, http.client.HTTPException):
                return False

        if not wait_for(healthy, timeout=60, every=0.5):
            raise RuntimeError("gunicorn did not answer /healthz within 60 s")

        def worker_ready():
            log = (work / "celery.log").read_text(errors="replace")
            return f"{queue}@" in log and " ready." in log

        if not wait_for(worker_ready, timeout=60, every=0.5):
            raise RuntimeError("the Celery worker did not report ready within 60 s")
        print(f"== gunicorn on {base} ({WORKERS} workers), Celery worker on {queue}; {os.cpu_count()} cores")

        portal = Portal(base, password)
        for username in [*data["staff"], data["admin"], data["member"]]:
            portal.login(username)

        print("== the scheduler runs (once)")
        for race in race_scheduler(portal, data):
            races.append(race)
            print(race.line(), flush=True)
        steps = [
            race_max_meetings,
            race_withdraw_while_booking,
            race_invitations,
            race_outcomes,
            race_signups,
            race_event_forms,
            race_nul,
        ]
        for round_data in data["rounds"]:
            print(f"== round {round_data['tag'] + 1} of {ROUNDS}")
            for step in steps:
                made = step(portal, data | round_data)
                for race in made if isinstance(made, list) else [made]:
                    race.round = round_data["tag"]
                    races.append(race)
                    print(race.line(), flush=True)

        # Let the worker send what the races enqueued, then look for tasks that failed.
        wait_for(lambda: cache.llen(queue) == 0, timeout=30, every=0.5)
        time.sleep(2)
        mails = len(list((work / "mail").glob("*"))) if (work / "mail").exists() else 0
        failures = worker_failures(work)
        print(f"   e-mails written by the worker: {mails}; failed tasks: {len(failures)}")
        for line in failures[:10]:
            print(f"     {line[:300]}")
        if failures:
            problems.append(f"{len(failures)} task(s) failed on the worker")
    except BaseException as error:  # noqa: BLE001 (reported, then the processes and database are cleaned up)
        problems.append(f"the run stopped: {type(error).__name__}: {error}")
    finally:
        signal.alarm(0)
        lines, server_log = server_errors_report(work, races)
        processes.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # noqa: BLE001 (Django may never have been set up)
            print(f"   closing the database connections: {error}")
        try:
            run(["dropdb", "--if-exists", "--force", DB], env | QUIET)
        except (OSError, subprocess.CalledProcessError) as error:
            print(f"   dropping the database {DB}: {error}")
        try:
            import redis

            redis.Redis.from_url(redis_url).flushdb()
        except Exception as error:  # noqa: BLE001 (Redis gone: nothing left to empty)
            print(f"   emptying Redis: {error}")

    five = sum(len(race.server_errors) for race in races)
    failed = sum(len(race.failed_requests) for race in races)
    broken = [
        f"{race.name}: {label} = {value}" for race in races for label, value, ok in race.checks if not ok
    ]
    if lines:
        print("== 5xx answers and requests without an answer")
        print("\n".join(lines))
        print("== the server's log from its first 500 (at most 250 lines)")
        print("\n".join(f"   | {line}" for line in server_log))
    if races:
        print("== all rounds")
        print("\n".join(summary(races)))
    verdict = "PASS" if races and not (five or failed or broken or problems) else "FAIL"
    print(
        f"== VERDICT {verdict}: {len(races)} races, {sum(len(r.answers) for r in races)} requests, "
        f"{five} answered 5xx, "
        f"{failed} without an answer, {len(broken)} invariants broken"
        + "".join(f"\n   broken: {item}" for item in broken)
        + "".join(f"\n   problem: {item}" for item in problems)
        + f"\n   ({time.monotonic() - started:.0f} s)"
    )
    if os.environ.get("KEEP_WORK") == "1":
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
