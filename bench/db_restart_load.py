"""Mixed reads and writes against a running portal for a fixed time; classifies every answer by when it
came relative to a database restart (bench/db_restart.sh). Standard library only.

    .venv/bin/python -m bench.db_restart_load BASE_URL participants.json --duration 60 \
        --started FILE --restart FILE --acknowledged FILE [--readers 4] [--writers 4]

Readers (anonymous) cycle through /companies/, /demands/, /demands/?q=flood and /healthz. Writers are SME
members (logged in through /accounts/login/ before the clock starts) asking buyers for meetings at the
participants' event: GET /events/<id>/meet/ for the form's CSRF token, then POST it with a fresh unique id
in the request's message. A write is acknowledged only when the server answers the POST with its redirect
back to the meet page (what it does after saving); every pair is asked once, whatever the answer, because
an unanswered write may still have been saved. After an error a client waits 0.1 s before its next request.

The clock starts once every writer is logged in: its epoch goes to --started (the shell script restarts
the database 20 s later). At the end, the restart's times are read from --restart ("issued", "down",
"back" lines with epochs, written by the shell script) and the answers are counted per window, by the time
each answer (or network error) came: before the restart, during it (issued until back), after it, and
from 1 s after the database was back. The ids of the acknowledged writes go to --acknowledged, one a
line, for `bench.db_restart_data verify`.
"""

import argparse
import collections
import http.client
import json
import threading
import time
import uuid

from bench.portal_client import Session

READ_PATHS = ["/companies/", "/demands/", "/demands/?q=flood", "/healthz"]
MARK = "bench-write "
BACKOFF = 0.1


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.records = []  # (epoch the answer came, or the error, kind, outcome)
        self.acknowledged = []

    def add(self, kind, outcome):
        with self.lock:
            self.records.append((time.time(), kind, outcome))

    def ack(self, write_id):
        with self.lock:
            self.acknowledged.append(write_id)


def fetch(session, method, path, fields=None):
    """(response or None, outcome): outcome is "ok", "http NNN" or "error <exception name>"."""
    try:
        if method == "GET":
            response = session.get(path)
        else:
            response = session.post_form(path, fields)
    except (OSError, http.client.HTTPException) as error:
        return None, f"error {type(error).__name__}"
    return response, "ok" if response.status < 400 else f"http {response.status}"


def reader(base, stop_at, log, offset):
    session = Session(base)
    n = offset
    while time.time() < stop_at:
        path = READ_PATHS[n % len(READ_PATHS)]
        n += 1
        response, outcome = fetch(session, "GET", path)
        if response is not None and response.status != 200:
            outcome = f"http {response.status}"
        log.add("read", outcome)
        if outcome != "ok":
            time.sleep(BACKOFF)


def writer(event, sessions, buyers, stop_at, log, out_of_pairs):
    meet = f"/events/{event}/meet/"
    pairs = ((session, buyer) for buyer in buyers for session in sessions)
    for session, buyer in pairs:
        while True:
            if time.time() >= stop_at:
                return
            page, outcome = fetch(session, "GET", meet)
            if page is not None and page.status != 200:
                outcome = f"http {page.status}"
            log.add("form", outcome)
            if outcome == "ok":
                break
            time.sleep(BACKOFF)
        write_id = uuid.uuid4().hex
        fields = {
            "csrfmiddlewaretoken": session.csrf_token(page),
            "with": buyer,
            "priority": "would",
            "session_preference": "",
            "message": f"{MARK}{write_id}",
        }
        answer, outcome = fetch(session, "POST", meet, fields)
        if answer is not None:
            if answer.status == 302 and answer.header("Location").endswith(meet):
                outcome = "ok"
                log.ack(write_id)
            elif answer.status < 400:
                outcome = f"refused {answer.status}"  # the form came back with an error
        log.add("write", outcome)
        if outcome != "ok":
            time.sleep(BACKOFF)
    out_of_pairs.set()


def read_restart(path):
    times = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                name, _, value = line.partition(" ")
                times.setdefault(name.strip(), float(value))
    except (OSError, ValueError):
        pass
    return times


def report(log, started, restart, duration):
    issued, back = restart.get("issued"), restart.get("back")
    down = restart.get("down", issued)
    if issued is None or back is None:
        print("no restart times: every answer counts as 'before'")
        issued = back = started + duration + 1

    def rel(epoch):
        return epoch - started

    print(
        f"restart issued at t={rel(issued):.2f} s; pg_isready: not accepting from t={rel(down):.2f} s, "
        f"accepting again at t={rel(back):.2f} s (unavailable {back - down:.2f} s)"
    )
    windows = [
        ("before", started, issued),
        ("during", issued, back),
        ("after", back, started + duration + 30),
        ("from back+1s", back + 1, started + duration + 30),
    ]
    columns = "{:<13} {:>7} {:>6} {:>8} {:>7} {:>6} {:>9} {:>6}"
    print(columns.format("window", "t from", "t to", "answers", "ok", "5xx", "conn err", "other"))
    summary = {}
    for name, low, high in windows:
        rows = [(kind, outcome) for answered, kind, outcome in log.records if low <= answered < high]
        ok = sum(outcome == "ok" for _, outcome in rows)
        fivexx = sum(outcome.startswith("http 5") for _, outcome in rows)
        network = sum(outcome.startswith("error") for _, outcome in rows)
        other = len(rows) - ok - fivexx - network
        summary[name] = fivexx + network + other
        end = min(high, started + duration)
        times = f"{rel(low):.2f}", f"{rel(end):.2f}"
        print(columns.format(name, *times, len(rows), ok, fivexx, network, other))
        kinds = collections.Counter(f"{kind} {outcome}" for kind, outcome in rows if outcome != "ok")
        if kinds:
            print("    " + ", ".join(f"{what}: {n}" for what, n in sorted(kinds.items())))
    writes = [outcome for _, kind, outcome in log.records if kind == "write"]
    print(
        f"writes: {len(writes)} attempted, {len(log.acknowledged)} acknowledged, "
        f"{len(writes) - len(log.acknowledged)} not acknowledged"
    )
    print(f"errors_from_1s_after_back={summary['from back+1s']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("participants")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--started", required=True, help="file to write the start epoch to")
    parser.add_argument("--restart", required=True, help="file the restart times are read from")
    parser.add_argument("--acknowledged", required=True, help="file to write acknowledged ids to")
    args = parser.parse_args()

    with open(args.participants, encoding="utf-8") as handle:
        participants = json.load(handle)
    sessions = []
    for username in participants["smes"]:
        session = Session(args.base_url, timeout=15.0)
        if not session.login(username, participants["password"]):
            raise SystemExit(f"db_restart_load: login as {username} failed")
        sessions.append(session)

    log = Log()
    out_of_pairs = threading.Event()
    started = time.time()
    stop_at = started + args.duration
    threads = [
        threading.Thread(
            target=writer,
            args=(
                participants["event"],
                sessions[k :: args.writers],
                participants["buyers"],
                stop_at,
                log,
                out_of_pairs,
            ),
        )
        for k in range(args.writers)
    ]
    threads += [
        threading.Thread(target=reader, args=(args.base_url, stop_at, log, k)) for k in range(args.readers)
    ]
    with open(args.started, "w", encoding="utf-8") as handle:
        handle.write(f"{started:.6f}\n")
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if out_of_pairs.is_set():
        print("note: a writer ran out of pairs before the end (raise --smes/--buyers of prepare)")

    with open(args.acknowledged, "w", encoding="utf-8") as handle:
        handle.writelines(f"{write_id}\n" for write_id in log.acknowledged)
    # The restart is long over by now (it starts at 20 s); wait a little in case the file is late.
    for _ in range(50):
        restart = read_restart(args.restart)
        if "back" in restart:
            break
        time.sleep(0.2)
    report(log, started, restart, args.duration)


if __name__ == "__main__":
    main()
