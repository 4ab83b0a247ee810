#!/usr/bin/env bash
# Every speed figure of the service in one run, beside its baselines: GET /healthz against nginx `return 200`,
# durable POST /screen at 64 connections (kept alive, and with `Connection: close` on every request), POST
# /screen/batch of 100 subjects, and matching in process; all shared lists loaded, the durable audit trail on. With
# --before BIN, a previous release's binary is measured the same way in the same run, first, and nginx again beside
# each, so the ratios compare like with like on a shared machine. Prints a table with the targets of
# docs/performance.md.
#
#   scripts/benchmarks/speed.sh [--before BIN] [seconds-per-run]     (needs: apt-get install -y wrk nginx-light)
set -euo pipefail
cd "$(dirname "$0")/../.."
before=
if [ "${1:-}" = --before ]; then before=${2:?--before needs a binary}; shift 2; fi
DURATION=${1:-10}
LISTS=${LISTS:-../shared/lists}
PORT=18195
NGINX_PORT=18196
. scripts/lib.sh
prepare_load_run || exit 0
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is missing: apt-get install -y nginx-light"; exit 1; }
trap 'kill "${server:-}" 2>/dev/null || true; stop_nginx; rm -rf "$work"' EXIT
export KEY=$("$bin" keys create --role screen --database "$db")
start_nginx $NGINX_PORT

# Every figure of binary $1, into results/$2.
measure() {
    local binary=$1 label=$2 out=$work/results/$2
    mkdir -p "$out"
    bin=$binary start_server $PORT "$db"
    wrk_load "http://127.0.0.1:$PORT/healthz" > "$out/healthz"
    wrk_load "http://127.0.0.1:$NGINX_PORT/" > "$out/nginx"
    wrk_load "http://127.0.0.1:$PORT" -s scripts/benchmarks/screen.lua > "$out/screen"
    CLOSE=1 wrk_load "http://127.0.0.1:$PORT" -s scripts/benchmarks/screen.lua > "$out/close"
    # A batch is a few hundred milliseconds of work: eight callers at a time keep both cores busy.
    BATCH=100 CONNECTIONS=8 wrk_load "http://127.0.0.1:$PORT" -s scripts/benchmarks/screen.lua > "$out/batch"
    kill "$server"; wait "$server" 2>/dev/null || true
    "$binary" bench matching --rounds 3 | awk '/query latency/ { for (i = 1; i <= NF; i++) if ($i == "p99") print $(i + 1) }' > "$out/matching"
}

labels=(this)
[ -n "$before" ] && labels=(before this)
for label in "${labels[@]}"; do
    if [ "$label" = before ]; then measure "$before" before; else measure "$bin" this; fi
done
python3 - "$work/results" "${labels[@]}" <<'PY'
import sys
root, labels = sys.argv[1], sys.argv[2:]
def figures(label, name): return open(f"{root}/{label}/{name}").read().split()
rows = []
for label in labels:
    health, nginx = figures(label, "healthz"), figures(label, "nginx")
    screen, close, batch = figures(label, "screen"), figures(label, "close"), figures(label, "batch")
    rows.append({
        "GET /healthz, ratio to nginx (≥ 0.95)": f"{int(health[0]) / max(int(nginx[0]), 1):.2f} ({health[0]} / {nginx[0]} req/s)",
        "POST /screen, 64 kept-alive connections, decisions/s (≥ 5,000)": f"{screen[0]} (errors {screen[2]})",
        "  its p99 ms (≤ 25)": screen[1],
        "POST /screen, Connection: close, decisions/s (≥ half the above)": f"{close[0]} (errors {close[2]})",
        "POST /screen/batch of 100, 8 connections, subjects/s (≥ 10,000)": f"{int(batch[0]) * 100} (errors {batch[2]})",
        "matching in process, p99 ms (< 1)": figures(label, "matching")[0],
    })
width = max(len(k) for k in rows[0])
print(f"{'measure (target)':<{width}}  " + "  ".join(f"{l:>28}" for l in labels))
for key in rows[0]:
    print(f"{key:<{width}}  " + "  ".join(f"{r[key]:>28}" for r in rows))
PY
