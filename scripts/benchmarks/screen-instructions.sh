#!/usr/bin/env bash
# User-space instructions the server executes per durable `POST /screen`, all shared lists loaded, counted by
# callgrind, in total and per part of the request (reading and parsing the head, authenticating, decoding the body,
# normalising, matching, deciding, encoding the record, committing it), each against its baseline in
# scripts/benchmarks/screen-instructions.tsv. Counts do not move with other load, so a part that grows by more than
# a tenth fails the run (exit 1). UPDATE=1 writes the figures as the new baselines; TOP=n prints the costliest
# functions too; KEEP=DIR keeps the callgrind output there, for callgrind_annotate. The same 150 requests every run (screen_requests.py), after 30 unmeasured ones.
#
#   scripts/benchmarks/screen-instructions.sh            (needs: apt-get install -y valgrind)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=18198
LISTS=${LISTS:-../shared/lists}
command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install -y valgrind"; exit 1; }
. scripts/lib.sh
prepare_shared_run || exit 0
trap 'kill "${server:-}" 2>/dev/null || true; if [ -n "${KEEP:-}" ]; then cp "$work"/callgrind.* "$KEEP"/; fi; rm -rf "$work"' EXIT
key=$("$bin" keys create --role screen --database "$db")
# Valgrind 3.19 cannot read the toolchain's DWARF 5 debug information; a copy without it keeps the symbol table.
strip --strip-debug -o "$work/clearance" "$bin"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.%p" "$work/clearance" serve --port $PORT --database "$db" \
    --sync-interval 0 --log-level error --without-built-in-lists 2>/dev/null >/dev/null &
server=$!
# Ready, and the lists' first re-screens done (one job per list loaded), so no job runs while counting.
settled() {
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 || return 1
    local metrics
    metrics=$(curl -sf "http://127.0.0.1:$PORT/metrics") || return 1
    grep -q 'clearance_rescreen_jobs{state="done"} [1-9]' <<<"$metrics" && ! grep -Eq 'clearance_rescreen_jobs\{state="(pending|running)"\} [1-9]' <<<"$metrics"
}
for _ in $(seq 2400); do settled && break; sleep 0.5; done
python3 scripts/benchmarks/screen_requests.py $PORT "$key" 30 >/dev/null
callgrind_control --zero "$server" >/dev/null 2>&1
answered=$(python3 scripts/benchmarks/screen_requests.py $PORT "$key" 150)
callgrind_control --dump "$server" >/dev/null 2>&1
[ "$answered" = 150 ] || { echo "only $answered of 150 requests were answered 200"; exit 1; }
python3 scripts/benchmarks/callgrind_costs.py "$work"/callgrind.*.1 150 --top "${TOP:-0}" \
    --parts scripts/benchmarks/screen-instructions.tsv ${UPDATE:+--update}
