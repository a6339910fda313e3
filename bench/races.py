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
  worker` (e-mails written to files in the temporary folder) and the scheduler's solo-pool worker;
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

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.portal_client import Session
from bench.races_cases import (
    Portal,
    race_event_forms,
    race_invitations,
    race_max_meetings,
    race_nul,
    race_outcomes,
    race_scheduler,
    race_signups,
    race_withdraw_while_booking,
    wait_for,
)
from bench.races_data import django_setup, prepare
from bench.races_http import (
    DB,
    PG,
    PYTHON,
    QUIET,
    REDIS_DB,
    ROOT,
    ROUNDS,
    TIMEOUT,
    VENV_BIN,
    WORKERS,
    summary,
)


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
    failures = []
    for log in (work / "celery.log", work / "celery-scheduler.log"):
        if log.exists():
            text = log.read_text(encoding="utf-8", errors="replace")
            failures += [
                line
                for line in text.splitlines()
                if re.search(r"raised unexpected|Task .* failed|Scheduler run \d+ failed", line)
            ]
    return failures


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
        # Scheduler runs have their own queue and a solo-pool worker, as in production (portal/celery.py).
        from portal.celery import scheduler_queue

        scheduler = [str(VENV_BIN / "celery"), "-A", "portal", "worker", "--pool", "solo"]
        scheduler += ["-Q", scheduler_queue(queue), "-n", f"{scheduler_queue(queue)}@%h"]
        scheduler += ["--without-gossip", "--without-mingle", "--loglevel", "INFO"]
        processes.start("celery-scheduler", scheduler, env | {"LOG_LEVEL": "INFO"})
        probe = Session(base, timeout=5)

        def healthy():
            try:
                return probe.get("/healthz").status == 200
            except (OSError, http.client.HTTPException):
                return False

        if not wait_for(healthy, timeout=60, every=0.5):
            raise RuntimeError("gunicorn did not answer /healthz within 60 s")

        def worker_ready():
            names = ("celery", "celery-scheduler")
            return all(" ready." in (work / f"{name}.log").read_text(errors="replace") for name in names)

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
