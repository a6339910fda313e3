"""The races of bench/races.py: each sends its requests at once over HTTP and reads what the database kept."""

import datetime as dt
import secrets
import time

from bench.portal_client import Session
from bench.races_data import active_meetings, count, latest_run, meeting_places
from bench.races_http import (
    HTTP_TIMEOUT,
    TIME_LIMIT,
    Race,
    filled,
    form_fields,
    job,
    page,
    refused_on_the_form,
    send,
    together,
)


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


# The two consents without which the portal opens no account, ticked as a member would.
CONSENTS = {"consent-processing": "on", "consent-transfer": "on"}


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
            {"csrfmiddlewaretoken": token_a, "reason": "The buyer's delegation changed its flight."},
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
                **CONSENTS,  # the page's hidden consent-law (the inviter's country's notice) is kept
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
                **CONSENTS,
                # The law whose notice the page shows for the organisation's country (its script switches
                # it when a buyer picks a country; Korean companies read PIPA's, Thai buyers PDPA's).
                "consent-law": "pipa" if kind == "sme" else "pdpa",
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
