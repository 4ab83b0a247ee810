#!/usr/bin/env bash
# Durable POST /screen throughput of one replica on PostgreSQL against one on SQLite, alternating in one run (all
# shared lists loaded in both), and what serialising the audit chain costs on PostgreSQL: decisions per commit and
# time per commit (lock wait included), read from each server's /metrics. PostgreSQL runs as a throwaway cluster
# on loopback with its default durability (fsync on, synchronous_commit on).
#
#   scripts/benchmarks/postgres-vs-sqlite.sh [seconds-per-run]     (needs: apt-get install -y wrk postgresql libpq-dev)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
LISTS=${LISTS:-../shared/lists}
PORT=18191
PGPORT=${PGPORT:-55491}
TRAITS=PostgreSQL
. scripts/lib.sh
prepare_load_run || exit 0
trap 'kill "${server:-}" 2>/dev/null || true; stop_postgres; rm -rf "$work"' EXIT
start_postgres "$PGPORT" bench
load_shared_lists "$pg" "$LISTS" >/dev/null
sqlite_key=$("$bin" keys create --role screen --database "$db")
pg_key=$("$bin" keys create --role screen --database "$pg")

# Prints: requests/s, decisions per commit, mean commit milliseconds.
measure() {
    local database=$1
    export KEY=$2
    start_server $PORT "$database"
    rps=$(wrk -t2 -c64 -d"${DURATION}s" -s scripts/benchmarks/screen.lua "http://127.0.0.1:$PORT" | awk '/Requests\/sec/ {print $2}')
    curl -s "http://127.0.0.1:$PORT/metrics" | awk -v rps="$rps" '
        /^clearance_audit_records_total /  { records = $2 }
        /^clearance_audit_commits_total /  { commits = $2 }
        /^clearance_audit_commit_seconds_sum / { seconds = $2 }
        END { printf "%s %.1f %.2f\n", rps, records / commits, 1000 * seconds / commits }'
    kill "$server"; wait "$server" 2>/dev/null || true
}

PAIRS=${PAIRS:-3}
ratios=()
printf 'wrk -t2 -c64 -d%ss POST /screen, all shared lists, %d alternating pairs\n' "$DURATION" "$PAIRS"
for pair in $(seq "$PAIRS"); do
    read -r s_rps s_batch s_ms < <(measure "$db" "$sqlite_key")
    read -r p_rps p_batch p_ms < <(measure "$pg" "$pg_key")
    ratio=$(echo "$p_rps / $s_rps" | bc -l)
    ratios+=("$ratio")
    printf 'pair %d: SQLite %7.0f req/s (%5.1f decisions/commit, %5.2f ms/commit)  PostgreSQL %7.0f req/s (%5.1f decisions/commit, %5.2f ms/commit)  ratio %.2f\n' \
        "$pair" "$s_rps" "$s_batch" "$s_ms" "$p_rps" "$p_batch" "$p_ms" "$ratio"
done
median=$(median "${ratios[@]}")
printf 'median ratio PostgreSQL/SQLite durable decisions per second: %.2f\n' "$median"
