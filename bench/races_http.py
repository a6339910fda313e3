"""HTTP for bench/races.py: its settings, forms as a browser sends them, requests alone and together, and
each race's figures."""

import collections
import http.client
import os
import threading
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
