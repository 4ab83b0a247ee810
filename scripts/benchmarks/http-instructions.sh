#!/usr/bin/env bash
# User-space instructions the server executes per `GET /healthz` (access log and metrics on), counted by callgrind.
# Unlike requests per second this figure does not move with other load on a shared machine, so it shows the effect
# of a change to the request path exactly; TOP=n also prints the n costliest functions (inclusive, per request).
#
#   scripts/benchmarks/http-instructions.sh            (needs: apt-get install -y valgrind wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=18189
command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install -y valgrind"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
. scripts/lib.sh
build_release
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
# Valgrind 3.19 cannot read the toolchain's DWARF 5 debug information; a copy without it keeps the symbol table.
strip --strip-debug -o "$work/clearance" "$bin"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.%p" "$work/clearance" serve --port $PORT \
    --database "$work/bench.sqlite" --sync-interval 0 2>/dev/null >/dev/null &
server=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
callgrind_control --zero "$server" >/dev/null 2>&1
requests=$(wrk -t1 -c4 -d8s "http://127.0.0.1:$PORT/healthz" | awk '/requests in/ {print $1}')
callgrind_control --dump "$server" >/dev/null 2>&1
python3 scripts/benchmarks/callgrind_costs.py "$work"/callgrind.*.1 "$requests" --top "${TOP:-0}"
