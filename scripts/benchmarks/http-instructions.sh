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
python3 - "$requests" "${TOP:-0}" "$work"/callgrind.*.1 <<'PY'
import collections, re, sys
requests, top, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
names, exclusive, inclusive = {}, collections.Counter(), collections.Counter()
function, after_call = None, False
def ident(text):
    number, _, name = text.partition(" ")
    if name: names[number] = name
    return number
for line in open(path):
    if line.startswith("fn="): function, after_call = ident(line[3:].strip()), False
    elif line.startswith("cfn="): ident(line[4:].strip())
    elif line.startswith("calls="): after_call = True
    elif line[:1].isdigit() or line[:1] in "+-*":
        fields = line.split()
        cost = int(fields[1]) if len(fields) > 1 else 0
        inclusive[function] += cost
        if after_call: after_call = False
        else: exclusive[function] += cost
print(f"{requests} requests, {sum(exclusive.values()) / requests:.0f} instructions per request")
for function, cost in inclusive.most_common(top):
    print(f"{cost / requests:9.0f}  {names.get(function, function)[:150]}")
PY
