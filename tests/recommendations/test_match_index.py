"""How the match index is kept: built by a task after the commits that change its data, stored in the
database, read by pages with one query and never rebuilt in a request (but on a fresh database).

The rebuild task is eager in tests; `committed()` runs the on_commit callbacks of the writes inside it,
as a real commit would.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.demands.models import Demand
from matching.kernel.models import ApprovalStatus
from matching.recommendations import services, tasks
from matching.recommendations.models import MatchIndexBuild
from matching.recommendations.selectors import match_index
from tests import factories
from tests.recommendations import (
    FLOOD_SOLUTION_PROBLEM,
    card_names,
    flood_company,
    flood_listing,
    reset_match_index,
    traffic_company,
)


@pytest.fixture
def enqueued(monkeypatch):
    """The rebuilds asked of the task queue, as (args, countdown); none is run."""
    calls = []
    fake = SimpleNamespace(
        name=tasks.match_index_rebuild.name,
        apply_async=lambda args, countdown: calls.append((args, countdown)),
    )
    monkeypatch.setattr(tasks, "match_index_rebuild", fake)
    return calls


def refuse_to_build(**kwargs):
    raise AssertionError("the match index was rebuilt")


def listing_page(listing):
    return f"/demands/{listing.pk}/matches/"


def builds():
    """[(id, "finished" or "running")] of the stored builds."""
    return [
        (pk, "running" if finished_at is None else "finished")
        for pk, finished_at in MatchIndexBuild.objects.order_by("pk").values_list("pk", "finished_at")
    ]


# ---------------------------------------------------------------- a fresh database
@pytest.mark.django_db
def test_the_first_match_page_on_a_fresh_database_builds_the_index_and_later_pages_read_it(
    client, buyer, listing, words, monkeypatch
):
    flood_company(words)
    client.force_login(buyer)
    assert MatchIndexBuild.objects.count() == 0

    assert card_names(client.get(listing_page(listing))) == ["Hanriver Flood Alert"]
    [build] = MatchIndexBuild.objects.all()
    assert (build.solutions, build.demands, build.finished_at is not None) == (1, 1, True)

    # Another process (nothing held in memory) reads that build; nobody builds again.
    reset_match_index()
    monkeypatch.setattr(services, "match_index_rebuild", refuse_to_build)
    assert card_names(client.get(listing_page(listing))) == ["Hanriver Flood Alert"]
    assert MatchIndexBuild.objects.count() == 1


# ---------------------------------------------------------------- requests never rebuild
@pytest.mark.django_db
def test_a_match_page_shows_the_latest_build_and_never_rebuilds_for_a_write_it_has_not_seen(
    client, buyer, listing, words, monkeypatch
):
    company = traffic_company(words)
    tasks.match_index_rebuild(services.latest_build_id())
    monkeypatch.setattr(services, "match_index_rebuild", refuse_to_build)
    client.force_login(buyer)
    assert card_names(client.get(listing_page(listing))) == []

    solution = company.solutions.get()
    solution.problem_solved = FLOOD_SOLUTION_PROBLEM
    solution.save()  # not committed: no rebuild asked, so the page still shows the last build

    assert card_names(client.get(listing_page(listing))) == []


@pytest.mark.django_db
def test_a_write_shows_on_the_next_page_through_the_task_not_the_request(
    client, buyer, listing, words, committed, monkeypatch
):
    company = traffic_company(words)
    client.force_login(buyer)
    assert card_names(client.get(listing_page(listing))) == []  # the fresh database's build
    in_request = []
    real = services.match_index_rebuild

    def watched(**kwargs):
        in_request.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "match_index_rebuild", watched)

    solution = company.solutions.get()
    solution.problem_solved = FLOOD_SOLUTION_PROBLEM
    with committed():
        solution.save()
    assert len(in_request) == 1  # the task, run on commit
    assert in_request[0]["after"] > 0

    assert card_names(client.get(listing_page(listing))) == ["Seoul Traffic Systems"]
    assert len(in_request) == 1  # the page read the task's build


# ---------------------------------------------------------------- what a page reads
@pytest.mark.django_db
def test_reading_the_index_it_holds_costs_a_process_one_query_and_a_new_build_two(listing, words):
    flood_company(words)
    services.match_index_rebuild()

    with CaptureQueriesContext(connection) as loading:
        first = match_index()
    with CaptureQueriesContext(connection) as holding:
        assert match_index() is first
    services.match_index_rebuild()
    with CaptureQueriesContext(connection) as reloading:
        second = match_index()

    assert (len(loading), len(holding), len(reloading)) == (2, 1, 2)
    assert second is not first
    assert [m.company_id for m in second.top_companies_for_demand(listing.pk, k=10)] == [
        m.company_id for m in first.top_companies_for_demand(listing.pk, k=10)
    ]


# ---------------------------------------------------------------- which writes ask for a rebuild
def _company_rejected(listing, words, company):
    company.approval_status = ApprovalStatus.REJECTED
    company.rejection_reason = "Wrong registration number."
    company.save()


def _solution_text(listing, words, company):
    solution = company.solutions.get()
    solution.problem_solved = "Street lights that dim themselves."
    solution.save()


def _listing_closed(listing, words, company):
    listing.status = Demand.Status.CLOSED
    listing.save()


def _buyer_sent_back_to_review(listing, words, company):
    listing.buyer.approval_status = ApprovalStatus.PENDING
    listing.buyer.save()


def _renamed(name):
    def rename(listing, words, company):
        getattr(words, name).save()

    return rename


# Every kind of row and link recommendations.profiles reads.
WRITES = {
    "company rejected": _company_rejected,
    "solution text": _solution_text,
    "solution category": lambda listing, words, company: company.solutions.get().categories.add(
        words.traffic
    ),
    "reference added": lambda listing, words, company: factories.ReferenceDeploymentFactory(
        solution=company.solutions.get(), city=words.chonburi, year=2020
    ),
    "reference removed": lambda listing, words, company: company.solutions.get().references.get().delete(),
    "company language": lambda listing, words, company: company.support_languages.add(words.english),
    "company certification": lambda listing, words, company: company.certifications.clear(),
    "solution deleted": lambda listing, words, company: company.solutions.get().delete(),
    "listing closed": _listing_closed,
    "listing category": lambda listing, words, company: listing.categories.add(words.traffic),
    "listing certification": lambda listing, words, company: listing.required_certifications.remove(
        words.iso
    ),
    "buyer language": lambda listing, words, company: listing.buyer.languages.add(words.english),
    "buyer sent back to review": _buyer_sent_back_to_review,
    "category": _renamed("disaster"),
    "certification": _renamed("iso"),
    "language": _renamed("thai"),
    "city": _renamed("chonburi"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_the_index_reads_asks_for_one_rebuild_after_its_commit(
    listing, words, committed, enqueued, write
):
    company = flood_company(words)
    services.match_index_rebuild()
    latest = services.latest_build_id()

    with committed():
        WRITES[write](listing, words, company)
        assert enqueued == []  # not before the commit

    assert enqueued == [([latest], tasks.REBUILD_DELAY)]


@pytest.mark.django_db
def test_a_transaction_of_many_writes_asks_for_one_rebuild(buyer, words, committed, enqueued):
    with committed(), transaction.atomic():
        for n in range(5):
            flood_company(words, name_en=f"Flood Alert {n}", name_ko=f"홍수경보 {n}")
        flood_listing(buyer.buyer_organisation, words)

    assert enqueued == [([0], tasks.REBUILD_DELAY)]


@pytest.mark.django_db
def test_a_savepoint_rolled_back_does_not_drop_the_rebuild_of_the_writes_that_commit(
    listing, words, committed, enqueued
):
    company = flood_company(words)

    with committed(), transaction.atomic():
        try:
            with transaction.atomic():
                company.save()
                raise RuntimeError("form invalid")
        except RuntimeError:
            pass
        listing.save()

    assert len(enqueued) == 1


@pytest.mark.django_db
def test_a_write_that_rolls_back_asks_for_nothing(listing, committed, enqueued):
    with committed():
        try:
            with transaction.atomic():
                listing.save()
                raise RuntimeError("refused")
        except RuntimeError:
            pass

    assert enqueued == []


@pytest.mark.django_db
def test_a_broker_that_cannot_be_reached_does_not_fail_the_write(listing, committed, monkeypatch, caplog):
    def unreachable(args, countdown):
        raise OSError("Connection refused")

    monkeypatch.setattr(tasks.match_index_rebuild, "apply_async", unreachable)

    with committed():
        listing.save()

    assert Demand.objects.get(pk=listing.pk).title == listing.title
    assert "Connection refused" in caplog.text


# ---------------------------------------------------------------- the task
@pytest.mark.django_db
def test_the_task_is_idempotent_a_second_run_for_the_same_writes_does_nothing(listing, words):
    flood_company(words)
    after = services.latest_build_id()

    first = tasks.match_index_rebuild(after)
    again = tasks.match_index_rebuild(after)

    assert (first, again) == (services.latest_build_id(), None)
    assert builds() == [(first, "finished")]


@pytest.mark.django_db
def test_a_burst_of_writes_is_read_by_one_build(listing, words):
    """Each commit of the burst read the same latest build before the task ran (REBUILD_DELAY): the first
    task builds, the others find it."""
    after = services.latest_build_id()
    for n in range(5):
        flood_company(words, name_en=f"Flood Alert {n}", name_ko=f"홍수경보 {n}")

    results = [tasks.match_index_rebuild(after) for _ in range(5)]

    assert results == [services.latest_build_id(), None, None, None, None]
    assert MatchIndexBuild.objects.get().solutions == 5


@pytest.mark.django_db
def test_a_write_after_a_build_started_gets_a_build_of_its_own_and_the_older_one_is_deleted(listing, words):
    first = tasks.match_index_rebuild(services.latest_build_id())
    flood_company(words)

    second = tasks.match_index_rebuild(first)

    assert second > first
    assert builds() == [(second, "finished")]
    assert MatchIndexBuild.objects.get().solutions == 1


@pytest.mark.django_db
def test_a_running_build_covers_the_writes_before_it_started(listing):
    running = MatchIndexBuild.objects.create(started_at=timezone.now())

    assert tasks.match_index_rebuild(running.pk - 1) is None
    assert builds() == [(running.pk, "running")]


@pytest.mark.django_db
def test_a_build_whose_worker_went_away_covers_nothing_and_is_deleted_by_the_next(listing):
    lost = MatchIndexBuild.objects.create(
        started_at=timezone.now() - services.BUILD_TIMEOUT - dt.timedelta(seconds=1)
    )

    built = tasks.match_index_rebuild(lost.pk - 1)

    assert builds() == [(built, "finished")]


@pytest.mark.django_db
def test_a_build_that_fails_leaves_no_row_and_the_last_good_build_stays(listing, words, monkeypatch):
    good = tasks.match_index_rebuild(None)
    flood_company(words)

    def broken(solutions, demands):
        raise MemoryError

    monkeypatch.setattr(services, "MatchIndex", broken)
    with pytest.raises(MemoryError):
        tasks.match_index_rebuild(good)

    assert builds() == [(good, "finished")]
