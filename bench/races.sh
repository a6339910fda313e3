#!/usr/bin/env bash
# Issue 13's concurrency races replayed over HTTP against the portal in production mode: gunicorn with 3
# workers and a Celery worker on a database of their own (bench/races.py says what it sends and checks).
#
#   bench/races.sh                     (from the repository root; see bench/README.md, "Races as a black box")
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and Redis on 127.0.0.1:6379 (started here
# if it is down, as .ci/run does; the run uses database RACES_REDIS_DB, default 12, and empties it before
# and after). A few minutes; exits non-zero on any 5xx answer, failed request or broken invariant.
# Environment: RACES_DB, RACES_REDIS_DB, RACES_TIMEOUT, RACES_TIME_LIMIT, WORKERS, KEEP_WORK=1.
set -euo pipefail

cd "$(dirname "$0")/.."
make -s venv

REDIS_DB=${RACES_REDIS_DB:-12}
# shellcheck source=bench/redis.sh
source bench/redis.sh
redis_up
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "races: PostgreSQL is not up on 127.0.0.1:5432" >&2; exit 1; }

exec .venv/bin/python -m bench.races "$@"
