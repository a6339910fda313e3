"""Settings for the HTTP benchmarks (bench/load.sh, bench/db_restart.sh): the portal's own settings, plus
a bare `hello` view (bench/load_urls.py) as the baseline, and static files collected into a directory of
the benchmark's own (BENCH_STATIC_ROOT) so that a run does not touch the checkout's staticfiles/."""

import os
from pathlib import Path

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
