#!/usr/bin/env bash
# 60 s of mixed reads and writes with a PostgreSQL restart at t=20 s; nothing acknowledged may be lost,
# and nothing may fail from 1 s after the database is back.
#
#   bench/db_restart.sh                (from the repository root, as root; see bench/README.md)
#
# Never touches the machine's PostgreSQL on 5432: a private cluster (initdb as the postgres OS user, trust
# auth) in a temporary directory, on PG_PORT (default 55432). migrate + seed_demo + an event with
# SMES x BUYERS pairs of confirmed participants (bench/db_restart_data.py prepare); gunicorn in production
# mode (DEBUG=0, 2 x cores + 1 sync workers, CONN_MAX_AGE/CONN_HEALTH_CHECKS from portal/settings.py;
# the cache in Redis, bench/redis.sh: database BENCH_REDIS_DB, default 14, emptied before and after);
# bench/db_restart_load.py for DURATION seconds; `pg_ctl restart -m RESTART_MODE` at RESTART_AT seconds,
# watched with pg_isready; then every acknowledged write is looked up by its id
# (bench/db_restart_data.py verify). Prints PASS/MISS per goal and exits 0 either way.
#
# Environment: PG_PORT (55432), DURATION (60), RESTART_AT (20), RESTART_MODE (fast; "immediate" is a
# crash-like stop), READERS (4), WRITERS (4), SMES (24), BUYERS (80), WORKERS (2 x cores + 1),
# KEEP_WORK=1 to keep the temporary directory's logs (the cluster is stopped either way).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55432}
DURATION=${DURATION:-60}
RESTART_AT=${RESTART_AT:-20}
RESTART_MODE=${RESTART_MODE:-fast}
WORKERS=${WORKERS:-$(($(nproc) * 2 + 1))}
REDIS_DB=${BENCH_REDIS_DB:-14}
# shellcheck source=bench/redis.sh
source "$ROOT/bench/redis.sh"
# shellcheck source=bench/production_env.sh
source "$ROOT/bench/production_env.sh"

make -s venv

WORK=$(mktemp -d /tmp/portal-db-restart.XXXXXX)
chmod 755 "$WORK"
PGDIR="$WORK/pg"  # owned by the postgres OS user: data, socket, log
PGDATA="$PGDIR/data"
GUNICORN_PID=""
LOAD_PID=""
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
cleanup() {
    for pid in "$LOAD_PID" "$GUNICORN_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [[ -f "$PGDATA/postmaster.pid" ]]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    redis_empty
    if [[ "${KEEP_WORK:-0}" == 1 ]]; then
        echo "kept $WORK (logs, participants, acknowledged ids)"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
    echo "db_restart: port $PG_PORT is taken; set PG_PORT" >&2
    exit 1
fi

echo "== private PostgreSQL cluster on 127.0.0.1:$PG_PORT ($WORK)"
mkdir -p "$PGDIR"
chown postgres "$PGDIR"
as_postgres "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDIR/postgres.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PGDIR" start >/dev/null
createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres portal

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/portal"
redis_up
production_env

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo >/dev/null
"$PY" -m bench.db_restart_data prepare --smes "${SMES:-24}" --buyers "${BUYERS:-80}" >"$WORK/participants.json"
"$PY" manage.py collectstatic --noinput -v0

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
echo "== gunicorn on $BASE, $WORKERS workers ($(nproc) cores, shared with the load generator and PostgreSQL)"
"$ROOT/.venv/bin/gunicorn" portal.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --access-logfile "$WORK/access.log" >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 60); do
    curl -sf -o /dev/null "$BASE/healthz" && break
    sleep 0.5
done
curl -sf -o /dev/null "$BASE/healthz" || { cat "$WORK/gunicorn.log"; exit 1; }

echo "== ${DURATION} s of reads and writes (${READERS:-4} readers, ${WRITERS:-4} writers); restart at t=${RESTART_AT} s"
"$PY" -m bench.db_restart_load "$BASE" "$WORK/participants.json" --duration "$DURATION" \
    --readers "${READERS:-4}" --writers "${WRITERS:-4}" --started "$WORK/started" \
    --restart "$WORK/restart.txt" --acknowledged "$WORK/acknowledged.txt" >"$WORK/load.out" &
LOAD_PID=$!

while [[ ! -s "$WORK/started" ]]; do
    kill -0 "$LOAD_PID" 2>/dev/null || { cat "$WORK/load.out"; exit 1; }
    sleep 0.05
done
STARTED=$(cat "$WORK/started")
sleep "$(awk -v s="$STARTED" -v at="$RESTART_AT" -v now="$(date +%s.%N)" 'BEGIN { d = s + at - now; print (d > 0 ? d : 0) }')"

# pg_isready every 50 ms from just before the restart: first "not accepting", then first "accepting".
(
    state=up
    while :; do
        if pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 1; then
            if [[ $state == down ]]; then
                echo "back $(date +%s.%N)"
                break
            fi
        elif [[ $state == up ]]; then
            echo "down $(date +%s.%N)"
            state=down
        fi
        sleep 0.05
    done
) >"$WORK/poll.txt" &
POLL_PID=$!
ISSUED=$(date +%s.%N)
as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDIR/postgres.log" -m "$RESTART_MODE" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PGDIR" restart >/dev/null
RETURNED=$(date +%s.%N)
for _ in $(seq 200); do
    kill -0 "$POLL_PID" 2>/dev/null || break
    sleep 0.05
done
kill "$POLL_PID" 2>/dev/null || true
wait "$POLL_PID" 2>/dev/null || true
{
    echo "issued $ISSUED"
    cat "$WORK/poll.txt"
    # pg_isready never saw it down (a very quick restart): down from the command until it returned.
    grep -q '^down ' "$WORK/poll.txt" || echo "down $ISSUED"
    grep -q '^back ' "$WORK/poll.txt" || echo "back $RETURNED"
} >"$WORK/restart.tmp"
mv "$WORK/restart.tmp" "$WORK/restart.txt"
echo "   pg_ctl restart -m $RESTART_MODE took $(awk -v a="$ISSUED" -v b="$RETURNED" 'BEGIN { printf "%.2f", b - a }') s"

wait "$LOAD_PID"
LOAD_PID=""
cat "$WORK/load.out"

echo "== acknowledged writes looked up by id"
VERIFY=$("$PY" -m bench.db_restart_data verify "$WORK/participants.json" "$WORK/acknowledged.txt")
echo "$VERIFY"

echo "== access log: 5xx answers by status and request"
awk '$9 ~ /^5/ { sub(/\?.*/, "", $7); print $9, $6, $7 }' "$WORK/access.log" | tr -d '"' | sort | uniq -c | sort -rn

echo "== server log: the exception that ended each failed request (first 110 characters), by count"
awk '/^(Internal Server Error|Service Unavailable|\[)/ { if (last) print last; last = ""; next }
     /^[A-Za-z_][A-Za-z0-9_.]*(Error|Exception): / { last = substr($0, 1, 110) }
     END { if (last) print last }' "$WORK/gunicorn.log" | sort | uniq -c | sort -rn | head -12

LOST=$(echo "$VERIFY" | sed -n 's/^LOST[^:]*: \([0-9]*\)$/\1/p')
AFTER=$(sed -n 's/^errors_from_1s_after_back=\([0-9]*\)$/\1/p' "$WORK/load.out")
echo
echo "goal: 0 acknowledged writes lost:                   lost $LOST -> $([[ "$LOST" == 0 ]] && echo PASS || echo MISS)"
echo "goal: 0 errors from 1 s after the database is back: $AFTER -> $([[ "$AFTER" == 0 ]] && echo PASS || echo MISS)"
