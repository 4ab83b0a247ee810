#!/usr/bin/env bash
# An organisation list of N synthetic names (scripts/benchmarks/synthetic_list.py, fixed seed, words of the shared
# SDN list) uploaded over HTTP beside the shared lists: the time from upload to the index serving it, the server's
# resident memory then, and POST /screen latency at one connection (the screen.lua names) before, at once after, and
# once the activation's work has settled.
# Targets for 5,000,000 names (docs/performance.md): under 3 minutes, under 4 GB, p99 under 10 ms.
#
#   scripts/benchmarks/large-list.sh [names] [seconds]      (needs: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-1000000}
DURATION=${2:-10}
LISTS=${LISTS:-../shared/lists}
PORT=18197
. scripts/lib.sh
prepare_load_run || exit 0
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 scripts/benchmarks/synthetic_list.py "$LISTS"/ofac-sdn-2021/sdn.csv "$COUNT" "$work/synthetic.json"
export KEY=$("$bin" keys create --role screen --role admin --database "$db")
start_server $PORT "$db" --max-upload-bytes $((2 * 1024 * 1024 * 1024))
rss() { awk '/VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$server/status"; }
latency() {
    wrk --latency -t1 -c1 -d"${DURATION}s" -s scripts/benchmarks/screen.lua "http://127.0.0.1:$PORT" |
        awk '/ 50%/ {p50 = $2} / 99%/ {p99 = $2} /Requests\/sec/ {rps = $2} END {printf "p50 %s  p99 %s  (%s req/s)", p50, p99, rps}'
}
entries() { curl -sf "http://127.0.0.1:$PORT/readyz" | python3 -c 'import json, re, sys; print(re.search(r"(\d+) entries", json.load(sys.stdin)["checks"]["matching_index"]).group(1))'; }
printf '%d synthetic names, %d MB of JSON\n' "$COUNT" "$(( $(stat -c %s "$work/synthetic.json") / 1024 / 1024 ))"
printf 'shared lists only: %s entries, RSS %s; POST /screen at one connection %s\n' "$(entries)" "$(rss)" "$(latency)"
before=$(entries)
started=$(date +%s.%N)
curl -sf -o "$work/upload.json" -w 'upload answered %{http_code} after %{time_total} s\n' -X POST \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary @"$work/synthetic.json" \
    "http://127.0.0.1:$PORT/lists/synthetic/versions?format=clearance-json&activate=true"
until [ "$(entries)" -gt "$before" ] 2>/dev/null; do sleep 1; done
printf 'upload to serving: %.1f s; RSS %s\n' "$(echo "$(date +%s.%N) - $started" | bc -l)" "$(rss)"
printf 'with the synthetic list: %s entries; POST /screen at one connection at once %s; RSS %s\n' "$(entries)" "$(latency)" "$(rss)"
# The work an activation sets off (re-screening, freeing the old index, the WAL's checkpoint) settles within seconds.
sleep 20
printf 'and 20 s later: POST /screen at one connection %s; RSS %s\n' "$(latency)" "$(rss)"
