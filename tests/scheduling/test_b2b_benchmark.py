"""The published B2B instances: bench/b2b_schedule.py reaches their optimum (0 breaks), per verify.py."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT.parent / "shared" / "benchmarks" / "b2b"


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
