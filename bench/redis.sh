# Sourced by the HTTP benchmarks: the portal's cache in the machine's Redis (127.0.0.1:6379, started if it
# is down, as .ci/run does), in a database number of the benchmark's own (REDIS_DB), emptied first.
# Sets REDIS_URL for gunicorn and everything the benchmark runs; `redis_empty` empties it again.
redis_up() {
    if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
        for _ in $(seq 40); do
            redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
            sleep 0.25
        done
    fi
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null
    export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
    redis_empty
}

redis_empty() {
    redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB" flushdb >/dev/null 2>&1 || true
}
