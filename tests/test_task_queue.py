"""The task queue as in production: a separate Celery worker process takes work from Redis.

The worker runs the portal's own settings against this test's PostgreSQL database, on a queue of its
own (so parallel test workers never take each other's tasks), and writes its e-mails to files.
"""

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from matching.consultations.booking import scheduler_runs, tasks
from matching.consultations.booking.models import Meeting, MeetingRequest, SchedulerRun
from portal.celery import app as celery_app
from portal.celery import scheduler_queue as celery_scheduler_queue
from tests import factories
from tests.conftest import _required

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if _required("REQUIRE_POSTGRES"):
            pytest.fail("CI runs the task queue's tests on Redis: set REDIS_URL.")
        pytest.skip("needs Redis (set REDIS_URL)")
    return url


def _start_worker(*, queue, redis_url, folder, name, listen=None, pool="solo", **environment):
    """A `celery worker` process (one task at a time) with `queue` as its default queue, taking the tasks
    of `listen` (default: that queue), its e-mails written under `folder`."""
    database = connection.settings_dict
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "mail"),
        "CONN_MAX_AGE": "0",
        **environment,
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", pool, "--concurrency", "1"]
    command += ["--queues", listen or queue]
    command += ["--hostname", f"{name}@%h", "--without-heartbeat", "--without-mingle", "--without-gossip"]
    log = (folder / f"{name}.log").open("w")
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def _stop(process):
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture
def queue():
    """A queue of the test's own; the test settings run tasks in this process, so hand them over."""
    celery_app.conf.task_always_eager = False
    try:
        yield f"test-{uuid.uuid4().hex}"
    finally:
        celery_app.conf.task_always_eager = True


@pytest.fixture
def worker(redis_url, queue, tmp_path):
    """A worker process on the test's queue; yields (queue, folder of the e-mails it sent)."""
    process = _start_worker(queue=queue, redis_url=redis_url, folder=tmp_path, name="worker")
    try:
        yield queue, tmp_path / "mail"
    finally:
        _stop(process)


def _send(task, args, *, queue, redis_url):
    with celery_app.connection_for_write(redis_url) as broker:
        task.apply_async(args, connection=broker, queue=queue)


def _until(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def _finished(run):
    run.refresh_from_db()
    return run.status != SchedulerRun.Status.RUNNING


def test_a_worker_process_solves_a_run_writes_it_back_and_sends_the_e_mails(worker, redis_url):
    queue, mails = worker
    event = factories.EventFactory(name="Queue Roadshow")
    for _ in range(3):
        factories.TimeSlotFactory(event=event)
    factories.TableFactory(event=event, name="T1")
    asked = factories.MeetingRequestFactory(event=event, status=MeetingRequest.Status.ACCEPTED)
    factories.SmeMemberFactory(company=asked.sme.company, email="ceo@queue-sme.example")
    run = scheduler_runs.scheduler_run_start(event=event, time_limit_seconds=10, started_by=None)

    _send(tasks.scheduler_run, (run.pk,), queue=queue, redis_url=redis_url)

    assert _until(lambda: _finished(run)), "no worker finished the run"
    assert (run.status, run.placed, run.requested) == ("optimal", 1, 1)
    assert Meeting.objects.filter(request=asked).count() == 1
    # The booking's e-mail was enqueued by the worker's write-back and sent by the worker.
    assert _until(lambda: mails.exists() and any(mails.iterdir())), "no e-mail was sent"
    sent = "".join(path.read_text() for path in Path(mails).iterdir())
    assert "To: ceo@queue-sme.example" in sent
    assert "Meeting booked at Queue Roadshow" in sent


def test_a_run_delivered_twice_is_written_once(worker, redis_url):
    queue, _ = worker
    event = factories.EventFactory(name="Twice Roadshow")
    factories.TimeSlotFactory(event=event)
    factories.TableFactory(event=event, name="T1")
    asked = factories.MeetingRequestFactory(event=event, status=MeetingRequest.Status.ACCEPTED)
    run = scheduler_runs.scheduler_run_start(event=event, time_limit_seconds=10, started_by=None)
    # A request past its event's deadline: its expiry, sent last, shows that the worker has taken
    # everything before it (one process takes the queue's tasks in order).
    past = factories.EventFactory(
        name="Past Roadshow", request_deadline=timezone.now() - dt.timedelta(days=1)
    )
    sentinel = factories.MeetingRequestFactory(event=past)

    _send(tasks.scheduler_run, (run.pk,), queue=queue, redis_url=redis_url)
    _send(tasks.scheduler_run, (run.pk,), queue=queue, redis_url=redis_url)
    _send(tasks.meeting_requests_expire, (), queue=queue, redis_url=redis_url)

    assert _until(lambda: MeetingRequest.objects.get(pk=sentinel.pk).status == "expired")
    run.refresh_from_db()
    assert (run.status, run.placed) == ("optimal", 1)
    assert Meeting.objects.filter(request=asked).count() == 1
    assert SchedulerRun.objects.filter(event=event).count() == 1


def test_a_run_whose_worker_is_killed_mid_run_is_taken_over_by_another_worker(redis_url, queue, tmp_path):
    """The first worker is killed (SIGKILL, as the kernel's out-of-memory killer would) while CP-SAT
    solves; the task was not acknowledged, so once its visibility timeout passes Redis gives it to the
    second worker, which runs it again from the start. Never "running" forever."""
    event = _hard_event()
    run = scheduler_runs.scheduler_run_start(event=event, time_limit_seconds=8, started_by=None)
    quick = {"CELERY_VISIBILITY_TIMEOUT": "2"}
    first = _start_worker(queue=queue, redis_url=redis_url, folder=tmp_path, name="first", **quick)
    try:
        _send(tasks.scheduler_run, (run.pk,), queue=queue, redis_url=redis_url)
        # The run has read the event (its request count is saved) and the solver is at work.
        assert _until(lambda: SchedulerRun.objects.get(pk=run.pk).requested > 0)
        time.sleep(1)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        _stop(first)
    assert SchedulerRun.objects.get(pk=run.pk).status == SchedulerRun.Status.RUNNING

    second = _start_worker(queue=queue, redis_url=redis_url, folder=tmp_path, name="second", **quick)
    try:
        assert _until(lambda: _finished(run), seconds=90), "no worker took the run over"
    finally:
        _stop(second)
    assert run.status in {SchedulerRun.Status.OPTIMAL, SchedulerRun.Status.FEASIBLE}
    assert run.placed > 0
    assert Meeting.objects.filter(slot__event=event).exclude(status="cancelled").count() == run.placed


@pytest.mark.parametrize(
    ("pool", "second_process"), [("solo", True), ("prefork", False)], ids=["solo", "prefork"]
)
def test_a_run_started_by_staff_goes_to_the_schedulers_own_queue_and_its_solo_worker(
    redis_url, queue, tmp_path, pool, second_process
):
    """Sent as the event page sends it (no queue named), the run goes to "<default queue>-scheduler",
    and a worker on that queue alone solves it. With the solo pool (make run, make worker) the scheduler
    may start its second process; in a prefork pool's (daemonic) process it may not, and says so."""
    event = _hard_event()
    run = scheduler_runs.scheduler_run_start(event=event, time_limit_seconds=3, started_by=None)
    scheduler_queue = celery_scheduler_queue(queue)
    worker = _start_worker(
        queue=queue, redis_url=redis_url, folder=tmp_path, name="scheduler", listen=scheduler_queue, pool=pool
    )
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue  # as the worker's own settings have it
    try:
        with celery_app.connection_for_write(redis_url) as broker:
            tasks.scheduler_run.apply_async((run.pk,), connection=broker)
        assert _until(lambda: _finished(run), seconds=90), "no worker on the scheduler's queue took the run"
    finally:
        celery_app.conf.task_default_queue = default_queue
        _stop(worker)

    assert run.status in {SchedulerRun.Status.OPTIMAL, SchedulerRun.Status.FEASIBLE} and run.placed > 0
    log = (tmp_path / "scheduler.log").read_text()
    assert ("without its second process" not in log) == second_process, log[-2000:]


def _hard_event():
    """20 companies asking 8 of 20 buyers each into 12 slots and 14 tables: CP-SAT works for its whole
    time limit on it (about 8 s here) without proving the fewest breaks."""
    rng = random.Random(7)  # noqa: S311 (a fixed draw of test data)
    event = factories.EventFactory(name="Hard Roadshow")
    slots = [factories.TimeSlotFactory(event=event) for _ in range(12)]
    for number in range(1, 15):
        factories.TableFactory(event=event, name=f"T{number:02d}")
    smes = [factories.SmeRegistrationFactory(event=event) for _ in range(20)]
    buyers = [factories.BuyerRegistrationFactory(event=event) for _ in range(20)]
    for registration in smes + buyers:
        registration.unavailable_slots.set(rng.sample(slots, 2))
    for sme in smes:
        for buyer in rng.sample(buyers, 8):
            factories.MeetingRequestFactory(event=event, sme=sme, buyer=buyer, status="accepted")
    return event
