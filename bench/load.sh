#!/usr/bin/env bash
# Throughput and p95 latency of the busiest pages against a bare view, with wrk on the loopback.
#
#   bench/load.sh                      (from the repository root; see bench/README.md)
#
# PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth): a database of its own (BENCH_DB, default
# portal_load) is dropped and recreated, migrated, seeded (seed_demo) and filled by bench/load_data.py
# (10 000 companies, 5 000 open listings). gunicorn serves the portal in production mode (DEBUG=0,
# whitenoise, 2 x cores + 1 sync workers) with bench.load_settings, whose URLs add a bare /hello view,
# and the cache in Redis (bench/redis.sh: database BENCH_REDIS_DB, default 15, emptied before and after).
# wrk measures each page after a warm-up. Goal per page: requests/s at least 0.5 x the bare view's for
# visitors' pages and 0.15 x for members' pages, and p95 <= 5 x the bare view's p95. Prints PASS/MISS;
# exits 0 either way (a benchmark, not a test). Then bench/logout_reach.py: does any worker still answer
# an old session cookie after its logout (goal: none).
#
# Environment: BENCH_DB, BENCH_REDIS_DB, DURATION (20s), WARMUP (3s), THREADS (2), CONNECTIONS (16),
# WORKERS (2 x cores + 1), PAIRED (1: the bare view measured again before each page; 0: only first),
# KEEP_DB=1 to keep the database afterwards (for profiling).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"

DB=${BENCH_DB:-portal_load}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-3s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
WORKERS=${WORKERS:-$(($(nproc) * 2 + 1))}
REDIS_DB=${BENCH_REDIS_DB:-15}
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
# shellcheck source=bench/redis.sh
source "$ROOT/bench/redis.sh"
# shellcheck source=bench/production_env.sh
source "$ROOT/bench/production_env.sh"

if ! command -v wrk >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk
fi
make -s venv

WORK=$(mktemp -d /tmp/portal-load.XXXXXX)
GUNICORN_PID=""
cleanup() {
    if [[ -n "$GUNICORN_PID" ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    if [[ "${KEEP_DB:-0}" != 1 ]]; then
        dropdb --if-exists "$DB" 2>/dev/null || true
    fi
    redis_empty
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
production_env
export LOG_LEVEL=WARNING

redis_up
echo "== database $DB, cache $REDIS_URL"
dropdb --if-exists "$DB"
createdb "$DB"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo >/dev/null
LOADED=$("$PY" -m bench.load_data)
echo "$LOADED" | sed 's/^/  /'
AGENDA=$(echo "$LOADED" | sed -n 's/^agenda=\([0-9]*\).*/\1/p')
# Statistics and the visibility map as autovacuum would have them on a live database.
psql -q -d "$DB" -c "VACUUM ANALYZE"
"$PY" manage.py collectstatic --noinput -v0

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
echo "== gunicorn on $BASE, $WORKERS workers ($(nproc) cores, shared with wrk)"
"$ROOT/.venv/bin/gunicorn" portal.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 60); do
    curl -sf -o /dev/null "$BASE/healthz" && break
    sleep 0.5
done
curl -sf -o /dev/null "$BASE/healthz" || { cat "$WORK/gunicorn.log"; exit 1; }

MEMBER=$("$PY" -m bench.portal_client cookie "$BASE" sme demo-portal-2022)
ADMIN=$("$PY" -m bench.portal_client cookie "$BASE" admin demo-portal-2022)

# name | path | cookie | goal (requests/s as a share of the bare view's)
PAGES=(
    "hello|/hello||"
    "companies|/companies/||0.5"
    "demands (filtered)|/demands/?country=TH&category=smart-mobility&q=traffic||0.5"
    "companies (member)|/companies/|$MEMBER|0.15"
    "demands (f., member)|/demands/?country=TH&category=smart-mobility&q=traffic|$MEMBER|0.15"
    "agenda (member)|/events/registrations/$AGENDA/agenda/|$MEMBER|0.15"
    "dashboard (admin)|/dashboard/|$ADMIN|0.15"
)

echo "== pages (status, size)"
for page in "${PAGES[@]}"; do
    IFS='|' read -r _ path cookie _ <<<"$page"
    "$PY" -m bench.portal_client check "$BASE" "$cookie" "$path"
done

cat >"$WORK/report.lua" <<'EOF'
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT %d %.6f %.3f %.3f %d %d %d %d %d\n",
        summary.requests, summary.duration / 1e6, latency:percentile(95) / 1000,
        latency:percentile(50) / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
EOF

echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up) per page; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# measure PATH COOKIE: one wrk run after its warm-up; prints wrk's figures (see report.lua).
measure() {
    local args=(-t"$THREADS" -c"$CONNECTIONS" --timeout 10s -s "$WORK/report.lua")
    [[ -n "$2" ]] && args+=(-H "Cookie: $2")
    wrk "${args[@]}" -d"$WARMUP" "$BASE$1" >/dev/null
    wrk "${args[@]}" -d"$DURATION" "$BASE$1" | grep '^RESULT' | sed 's/^RESULT //'
}
: >"$WORK/results.tsv"
for page in "${PAGES[@]}"; do
    IFS='|' read -r name path cookie goal <<<"$page"
    # With PAIRED=1 (the default) the bare view is measured again just before each page: on a machine
    # shared with other work the load moves from page to page, and a page is then compared with the
    # bare view measured under about the same load.
    bare=-
    if [[ -n "$goal" && "${PAIRED:-1}" == 1 ]]; then
        bare=$(measure /hello "")
    fi
    result=$(measure "$path" "$cookie")
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "  $name: $result (bare just before: $bare; load $load)"
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "${goal:--}" "$result" "$bare" "$load" >>"$WORK/results.tsv"
done

echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$WORK/results.tsv" <<'EOF'
import sys


def figures(text):
    requests, seconds, p95, p50, *errors = text.split()
    return int(requests) / float(seconds), float(p95), float(p50), sum(int(e) for e in errors)


rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
first_rps, first_p95, _, _ = figures(rows[0][2])
print()
print(
    f"{'page':<20} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'load':>5} {'÷ bare':>7} {'p95 ÷':>6}"
    f" {'÷ paired':>9} {'p95 ÷':>6} {'goal':>5} errors  verdict"
)
for name, goal, result, bare, load in rows:
    rps, p95, p50, errors = figures(result)
    ratio, slower = rps / first_rps, p95 / first_p95
    if bare != "-":
        bare_rps, bare_p95, _, bare_errors = figures(bare)
        paired, paired_slower = rps / bare_rps, p95 / bare_p95
        errors += bare_errors
    else:
        paired, paired_slower = ratio, slower
    if goal == "-":
        verdict = "(baseline)"
    else:
        verdict = "PASS" if paired >= float(goal) and paired_slower <= 5 else "MISS"
    print(
        f"{name:<20} {rps:>7.0f} {p50:>7.1f} {p95:>7.1f} {load:>5} {ratio:>7.2f} {slower:>6.2f}"
        f" {paired:>9.2f} {paired_slower:>6.2f} {goal:>5} {errors:>6}  {verdict}"
    )
print()
print("÷ bare: against the bare view measured first; ÷ paired: against the bare view measured just before")
print("the page (PAIRED=1; the same as ÷ bare with PAIRED=0), which the verdict uses. load: the 1-minute")
print("load average after the page. goal: requests/s >= goal x the bare view's (visitors 0.5, members 0.15)")
print("and p95 <= 5 x the bare view's. errors: wrk's connect + read + write + non-2xx/3xx + timeout counts")
EOF

echo
echo "== the old session cookie after a logout, on every worker (bench/logout_reach.py)"
"$PY" -m bench.logout_reach "$BASE" sme demo-portal-2022 || true
