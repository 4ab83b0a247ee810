#!/usr/bin/env bash
# Durable POST /screen throughput of two replicas on one PostgreSQL database against one replica, alternating in one
# run (all shared lists loaded; a throwaway cluster on loopback with its default durability). The same load both
# ways: two wrk processes of 32 connections each, both at the one replica or one at each of the two. Prints
# decisions/s per run, decisions per audit commit, and the ratio of two replicas to one, with the cores the machine
# has: replicas on one machine share its cores with each other, PostgreSQL and wrk, so the ratio says how far one
# replica is from using the machine, not what replicas on machines of their own reach.
#
#   scripts/benchmarks/postgres-replicas.sh [seconds-per-run]     (needs: apt-get install -y wrk postgresql libpq-dev)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
LISTS=${LISTS:-../shared/lists}
PORTS=(18192 18193)
PGPORT=${PGPORT:-55492}
TRAITS=PostgreSQL
. scripts/lib.sh
prepare_load_run || exit 0
servers=()
trap 'kill "${servers[@]}" 2>/dev/null || true; stop_postgres; rm -rf "$work"' EXIT
start_postgres "$PGPORT" bench
load_shared_lists "$pg" "$LISTS" >/dev/null
export KEY
KEY=$("$bin" keys create --role screen --database "$pg")

# Two wrk processes at the given ports (the first twice when one is given); prints the summed decisions/s, then the
# audit records per commit summed over the servers' /metrics.
load() {
    local targets=("$@")
    [ ${#targets[@]} = 2 ] || targets=("$1" "$1")
    local out=("$work/wrk.0" "$work/wrk.1")
    wrk -t1 -c32 -d"${DURATION}s" -s scripts/benchmarks/screen.lua "http://127.0.0.1:${targets[0]}" >"${out[0]}" &
    local first=$!
    wrk -t1 -c32 -d"${DURATION}s" -s scripts/benchmarks/screen.lua "http://127.0.0.1:${targets[1]}" >"${out[1]}"
    wait "$first"
    local errors
    errors=$(cat "${out[@]}" | awk '/Non-2xx|Socket errors/ {print}')
    [ -z "$errors" ] || echo "errors: $errors" >&2
    local rps
    rps=$(awk '/Requests\/sec/ {sum += $2} END {printf "%.0f", sum}' "${out[@]}")
    for port in $(printf '%s\n' "$@" | sort -u); do curl -s "http://127.0.0.1:$port/metrics"; done | awk -v rps="$rps" '
        /^clearance_audit_records_total / { records += $2 }
        /^clearance_audit_commits_total / { commits += $2 }
        END { printf "%s %.1f\n", rps, records / commits }'
}

# Starts `count` replicas on the shared database; stops them after one load.
run() {
    local count=$1
    servers=()
    for port in "${PORTS[@]:0:$count}"; do
        start_server "$port" "$pg"
        servers+=("$server")
    done
    load "${PORTS[@]:0:$count}"
    kill "${servers[@]}"
    wait "${servers[@]}" 2>/dev/null || true
    servers=()
}

PAIRS=${PAIRS:-3}
ratios=()
printf '%s cores; 2 x wrk -t1 -c32 -d%ss POST /screen, all shared lists, %d alternating pairs\n' "$(nproc)" "$DURATION" "$PAIRS"
for pair in $(seq "$PAIRS"); do
    read -r one one_batch < <(run 1)
    read -r two two_batch < <(run 2)
    ratio=$(echo "$two / $one" | bc -l)
    ratios+=("$ratio")
    printf 'pair %d: one replica %6.0f decisions/s (%5.1f per commit)  two replicas %6.0f decisions/s (%5.1f per commit)  ratio %.2f\n' \
        "$pair" "$one" "$one_batch" "$two" "$two_batch" "$ratio"
done
median=$(median "${ratios[@]}")
printf 'median ratio two replicas / one: %.2f\n' "$median"
