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
. scripts/lib.sh
prepare_load_run || exit 0
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
export KEY=$("$bin" keys create --role screen --database "$db")

measure() {
    start_server $PORT "$db" "$@"
    rps=$(wrk -t2 -c64 -d"${DURATION}s" -s scripts/benchmarks/screen.lua "http://127.0.0.1:$PORT" | awk '/Requests\/sec/ {print $2}')
    # Resident memory after the run: it must not grow with the number of decisions (a leak once did, ~1 KB each).
    echo "$rps $(awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$server/status")"
    kill "$server"; wait "$server" 2>/dev/null || true
}
# Alternate the two servers in pairs, so drift on a shared machine hits both alike; the median pair ratio is the figure.
PAIRS=${PAIRS:-3}
ratios=()
printf 'wrk -t2 -c64 -d%ss POST /screen, all shared lists, %d alternating pairs\n' "$DURATION" "$PAIRS"
for pair in $(seq "$PAIRS"); do
    read -r durable durable_rss < <(measure); read -r none none_rss < <(measure --unsafe-disable-audit-for-benchmark)
    ratio=$(echo "$durable / $none" | bc -l)
    ratios+=("$ratio")
    printf 'pair %d: durable audit (group commit, synchronous=FULL) %8.0f req/s (RSS %d MB), audit write disabled (benchmark only) %8.0f req/s (RSS %d MB), ratio %.2f\n' \
        "$pair" "$durable" "$durable_rss" "$none" "$none_rss" "$ratio"
done
median=$(median "${ratios[@]}")
printf 'median ratio durable/disabled: %.2f (target at least 0.80)\n' "$median"
