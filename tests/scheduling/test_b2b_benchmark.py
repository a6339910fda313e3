"""The published B2B instances (bench/b2b/): bench/b2b_schedule.py reaches their optimum (0 breaks), per
their checker, bench/b2b/verify.py."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "bench" / "b2b"
# The published files, byte for byte (bench/b2b/README.md lists the same digests).
PUBLISHED = {
    "forum-13.json": "f5b08a6902a0f504096c7f2aa2ce1c97abf95a468761813775e06115bc47a788",
    "tic-12.json": "c21c48f9dd34870cfa4410e22b9c4cfab1d05028c0b89dfa54cd3d26dd3c29c8",
    "verify.py": "0fbaf962d8968f85e4322ad47af126a6bd8fbfcffce9225afc40ae6a6551ab32",
}


def test_the_instances_and_their_checker_are_the_published_files_unchanged():
    digests = {name: hashlib.sha256((BENCHMARKS / name).read_bytes()).hexdigest() for name in PUBLISHED}

    assert digests == PUBLISHED


@pytest.mark.parametrize("instance", ["tic-12", "forum-13"])
def test_the_benchmark_script_schedules_the_published_instance_with_zero_breaks(instance, tmp_path):
    problem = BENCHMARKS / f"{instance}.json"
    run = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, "bench/b2b_schedule.py", str(problem), "--time-limit", "60"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    schedule = json.loads(run.stdout)  # stdout holds the schedule and nothing else
    assert schedule["instance"] == instance
    schedule_file = tmp_path / "schedule.json"
    schedule_file.write_text(run.stdout)

    verdict = subprocess.run(  # noqa: S603
        [sys.executable, str(BENCHMARKS / "verify.py"), str(problem), str(schedule_file)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    report = json.loads(verdict.stdout)
    assert verdict.returncode == 0
    assert (report["feasible"], report["breaks"], report["errors"]) == (True, 0, [])
    assert report["scheduled"] == report["requested"] == len(json.loads(problem.read_text())["meetings"])


def test_an_instance_with_precedences_and_stray_slots_is_still_scheduled_with_a_warning():
    from bench.b2b_format import problem_from_instance, unsupported
    from matching.scheduling import solve

    data = {
        "name": "tiny",
        "participants": 3,
        "slots": 3,
        "morning_slots": 2,
        "tables": 1,
        "meetings": [[1, 2, "any"], [2, 3, "pm"], [1, 4, "am"]],
        "forbidden_slots": {"1": [0, 9], "3": [1]},
        "fixed_slots": {"1": 2, "3": 7},
        "precedences": {"1": [2]},
        "fairness": 2,
    }

    problem = problem_from_instance(data)
    result = solve(problem, time_limit_seconds=5, workers=1)

    assert unsupported(data) == ["precedences between meetings are ignored"]
    assert [p.id for p in problem.participants] == [1, 2, 3, 4]  # 4 is named by a meeting only
    assert (problem.participant(1).unavailable, problem.participant(3).unavailable) == (
        frozenset(),
        frozenset({1}),
    )
    assert {m.id: m.fixed_slot for m in problem.meetings} == {1: 2, 2: None, 3: None}
    assert sorted((p.meeting_id, p.slot) for p in result.placements) == [(1, 2), (2, 3), (3, 1)]


def test_a_relabelled_day_is_the_same_day_with_other_numbers_and_another_order():
    from collections import Counter

    from bench.b2b_format import problem_from_instance
    from bench.b2b_hard import instance, relabelled
    from matching.scheduling import solve

    day = instance("forum-13-t12")  # optimum 1, proven in a second
    day = {**day, "fixed_slots": {"1": 3, "40": 12}}  # meetings 1 and 40 (from 1) fixed in slots 3 and 12

    other = relabelled(day, 1)

    def profiles(data):  # what a renumbering keeps of each meeting, in the order of the file
        meets = Counter(who for a, b, _ in data["meetings"] for who in (a, b))
        forbidden = data["forbidden_slots"]
        return [
            (kind, tuple(sorted((meets[who], tuple(forbidden.get(str(who), []))) for who in (a, b))))
            for a, b, kind in data["meetings"]
        ]

    assert other["name"] == "forum-13-t12-r1"
    assert [m[:2] for m in other["meetings"]] != [m[:2] for m in day["meetings"]]
    assert Counter(profiles(other)) == Counter(profiles(day))
    assert sorted(other["fixed_slots"].values()) == [3, 12]
    for number, slot in other["fixed_slots"].items():
        original = next(n for n, s in day["fixed_slots"].items() if s == slot)
        assert profiles(other)[int(number) - 1] == profiles(day)[int(original) - 1]
    # The same day: the same proven optimum.
    results = [solve(problem_from_instance(d), time_limit_seconds=30, workers=2) for d in (day, other)]
    assert [(r.placed, r.proven_optimal) for r in results] == [(154, True), (154, True)]
    assert results[0].total_breaks == results[1].total_breaks
