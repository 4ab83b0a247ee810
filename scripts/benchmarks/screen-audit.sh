#!/usr/bin/env bash
# POST /screen throughput at 64 connections with the durable audit trail, against the same server with the audit
# write switched off (a benchmark-only flag), alternating in one run; prints the ratio. All shared lists loaded.
#
#   scripts/benchmarks/screen-audit.sh [seconds-per-run]      (needs: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
LISTS=${LISTS:-../shared/lists}
PORT=18190
[ -d "$LISTS" ] || { echo "skipped: $LISTS is not present"; exit 0; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
ulimit -n "$(ulimit -Hn)"
. scripts/lib.sh
build_release
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/bench.sqlite"
load_shared_lists "$db" "$LISTS" >/dev/null
export KEY=$("$bin" keys create --role screen --database "$db")

measure() {
    start_server $PORT "$db" "$@"
    wrk -t2 -c64 -d"${DURATION}s" -s scripts/benchmarks/screen.lua "http://127.0.0.1:$PORT" | awk '/Requests\/sec/ {print $2}'
    kill "$server"; wait "$server" 2>/dev/null || true
}
d1=$(measure); n1=$(measure --unsafe-disable-audit-for-benchmark)
d2=$(measure); n2=$(measure --unsafe-disable-audit-for-benchmark)
durable=$(echo "($d1 + $d2) / 2" | bc -l); none=$(echo "($n1 + $n2) / 2" | bc -l)
printf 'wrk -t2 -c64 -d%ss POST /screen, all shared lists, alternating runs\n' "$DURATION"
printf 'durable audit (group commit, synchronous=FULL): %8.0f req/s  (%s, %s)\n' "$durable" "$d1" "$d2"
printf 'audit write disabled (benchmark only)         : %8.0f req/s  (%s, %s)\n' "$none" "$n1" "$n2"
printf 'ratio durable/disabled: %.2f (target at least 0.80)\n' "$(echo "$durable / $none" | bc -l)"
printf 'decisions recorded: %s\n' "$(sqlite3 "$db" 'select count(*) from decisions' 2>/dev/null || echo '?')"
