#!/usr/bin/env bash
# Throughput and p95 latency of the busiest pages against a bare view, with wrk on the loopback.
#
#   bench/load.sh                      (from the repository root; see bench/README.md)
#
# PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth): a database of its own (BENCH_DB, default
# portal_load) is dropped and recreated, migrated, seeded (seed_demo) and filled by bench/load_data.py
# (10 000 companies, 5 000 open listings). gunicorn serves the portal in production mode (DEBUG=0,
# whitenoise, 2 x cores + 1 sync workers) with bench.load_settings, whose URLs add a bare /hello view.
# wrk measures each page after a warm-up. Goal per page: >= 25 % of the bare view's requests/s and
# p95 <= 5 x the bare view's p95. Prints PASS/MISS; exits 0 either way (a benchmark, not a test).
# Then bench/logout_reach.py: how long the gunicorn workers, which keep sessions in memory, go on
# answering an old session cookie after its logout (goal: 1 s).
#
# Environment: BENCH_DB, DURATION (20s), WARMUP (3s), THREADS (2), CONNECTIONS (16), WORKERS
# (2 x cores + 1), KEEP_DB=1 to keep the database afterwards (for profiling).
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
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres

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
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DJANGO_SETTINGS_MODULE=bench.load_settings
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0
export SECRET_KEY
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export BENCH_STATIC_ROOT="$WORK/static"
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export LOG_LEVEL=WARNING

echo "== database $DB"
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

# name | path | cookie
PAGES=(
    "hello|/hello|"
    "companies|/companies/|"
    "demands (filtered)|/demands/?country=TH&category=smart-mobility&q=traffic|"
    "companies (member)|/companies/|$MEMBER"
    "demands (f., member)|/demands/?country=TH&category=smart-mobility&q=traffic|$MEMBER"
    "agenda (member)|/events/registrations/$AGENDA/agenda/|$MEMBER"
    "dashboard (admin)|/dashboard/|$ADMIN"
)

echo "== pages (status, size)"
for page in "${PAGES[@]}"; do
    IFS='|' read -r _ path cookie <<<"$page"
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
: >"$WORK/results.tsv"
for page in "${PAGES[@]}"; do
    IFS='|' read -r name path cookie <<<"$page"
    args=(-t"$THREADS" -c"$CONNECTIONS" --timeout 10s -s "$WORK/report.lua")
    [[ -n "$cookie" ]] && args+=(-H "Cookie: $cookie")
    wrk "${args[@]}" -d"$WARMUP" "$BASE$path" >/dev/null
    result=$(wrk "${args[@]}" -d"$DURATION" "$BASE$path" | grep '^RESULT')
    echo "  $name: $result"
    printf '%s\t%s\n' "$name" "${result#RESULT }" >>"$WORK/results.tsv"
done

echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$WORK/results.tsv" <<'EOF'
import sys

rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    name, figures = line.rstrip("\n").split("\t")
    requests, seconds, p95, p50, *errors = figures.split()
    rows.append((name, int(requests) / float(seconds), float(p95), float(p50), [int(e) for e in errors]))
_, base_rps, base_p95, _, _ = rows[0]
print()
print(f"{'page':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'rps/bare':>9} {'p95/bare':>9}  errors  verdict")
for name, rps, p95, p50, errors in rows:
    ratio, slower = rps / base_rps, p95 / base_p95
    if name == rows[0][0]:
        verdict = "(baseline)"
    else:
        verdict = "PASS" if ratio >= 0.25 and slower <= 5 else "MISS"
    print(f"{name:<20} {rps:>8.1f} {p50:>8.1f} {p95:>8.1f} {ratio:>9.2f} {slower:>9.2f}  {sum(errors):>6}  {verdict}")
print()
print("goal: each page >= 0.25 x the bare view's requests/s and p95 <= 5 x the bare view's p95")
print("errors: wrk's connect + read + write + non-2xx/3xx status + timeout counts")
EOF

echo
echo "== a logout reaching every worker (bench/logout_reach.py)"
"$PY" -m bench.logout_reach "$BASE" sme demo-portal-2022 || true
