#!/usr/bin/env bash
# Durable POST /screen throughput at 64 connections of a previous binary against this build, alternating in pairs on
# one database (all shared lists loaded), so drift on a shared machine hits both alike; prints each pair and the
# median ratio this/before. speed.sh measures each build once; this is the figure to quote for a change.
#
#   scripts/benchmarks/screen-before-after.sh BIN [seconds-per-run]      (needs: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
BEFORE=${1:?the previous binary to compare with}
DURATION=${2:-10}
LISTS=${LISTS:-../shared/lists}
PORT=18189
. scripts/lib.sh
prepare_load_run || exit 0
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
export KEY=$("$bin" keys create --role screen --database "$db")
this=$bin

# Decisions/s, p99 ms and errors of binary $1.
measure() {
    bin=$1
    start_server $PORT "$db"
    wrk_load "http://127.0.0.1:$PORT" -s scripts/benchmarks/screen.lua
    kill "$server"; wait "$server" 2>/dev/null || true
}

PAIRS=${PAIRS:-3}
ratios=()
printf 'wrk -t2 -c64 -d%ss POST /screen, all shared lists, %d alternating pairs\n' "$DURATION" "$PAIRS"
for pair in $(seq "$PAIRS"); do
    read -r before before_p99 before_errors < <(measure "$BEFORE")
    read -r after after_p99 after_errors < <(measure "$this")
    ratio=$(echo "$after / $before" | bc -l)
    ratios+=("$ratio")
    printf 'pair %d: before %6.0f decisions/s (p99 %s ms, errors %d)  this build %6.0f decisions/s (p99 %s ms, errors %d)  ratio %.2f\n' \
        "$pair" "$before" "$before_p99" "$before_errors" "$after" "$after_p99" "$after_errors" "$ratio"
done
printf 'median ratio this build / before: %.2f\n' "$(median "${ratios[@]}")"
