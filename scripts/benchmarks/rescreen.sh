#!/usr/bin/env bash
# Re-screening at scale: 100,000 monitored counterparties over all shared lists, then a new OFAC SDN version that
# adds 500 entries (the 2021 edition plus 500 parties first listed in 2022). Reports how long the re-screen takes
# from the upload to its end (target: under 30 s), and POST /screen's p99 latency while it runs next to its p99
# just before, under the same load.
#
#   scripts/benchmarks/rescreen.sh [counterparties] [seconds-of-load]      (needs: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-100000}
DURATION=${2:-20}
LISTS=${LISTS:-../shared/lists}
PORT=18191
. scripts/lib.sh
# All shared lists loaded, the 2021 SDN edition as ofac-sdn version 1.
prepare_load_run || exit 0
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# Version 2: the 2021 files, sdn.csv with the first 500 entries of 2022 that 2021 lacks appended.
mkdir -p "$work/v2"
cp "$LISTS"/ofac-sdn-2021/*.csv "$work/v2/"
python3 - "$LISTS" "$work" "$COUNT" <<'PY'
import csv, io, json, random, sys
lists, work, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
def rows(path):
    return list(csv.reader(io.open(path, encoding="latin-1", newline="")))
old = {r[0] for r in rows(f"{lists}/ofac-sdn-2021/sdn.csv") if len(r) > 3}
added = [r for r in rows(f"{lists}/ofac-sdn-2022/sdn.csv") if len(r) > 3 and r[0] not in old][:500]
with io.open(f"{work}/v2/sdn.csv", "a", encoding="latin-1", newline="") as out:
    writer = csv.writer(out, lineterminator="\r\n")
    for r in added: writer.writerow(r)
# Counterparties: 200 of the newly listed parties under their own names, the rest ordinary suppliers.
random.seed(7)
a = "Acme Apex Atlas Beacon Birch Bright Cedar Clear Coastal Crest Delta Eagle Echo Falcon Fern Forge Granite Harbor Hawk Iron Juniper Keystone Lake Lumen Maple Meadow Metro Nova Oak Orbit Pine Pioneer Prairie Quartz Raven Ridge River Rock Sage Sierra Silver Sky Spruce Stone Summit Sun Timber Union Valley Vista West Willow".split()
b = "Office Supplies|Packaging|Catering|Printing|Cleaning|Furniture|Stationery|Courier|Joinery|Glazing|Plumbing|Electrical|Logistics|Engineering|Software|Consulting|Textiles|Foods|Chemicals|Plastics|Metals|Tools|Paper|Media|Security".split("|")
c = ["Ltd", "GmbH", "LLC", "Inc", "SA", "BV", "AB", "Oy", "SRL", "Pty Ltd"]
with open(f"{work}/counterparties.ndjson", "w") as out:
    for i, r in enumerate(added[:200]):
        out.write(json.dumps({"counterpartyId": f"listed-{r[0]}", "name": r[1]}) + "\n")
    for i in range(count - 200):
        name = f"{random.choice(a)} {random.choice(a)} {random.choice(b)} {i} {random.choice(c)}"
        out.write(json.dumps({"counterpartyId": f"supplier-{i:06d}", "name": name, "type": "organization", "country": random.choice(["DE", "US", "FR", "GB", "CN", "IN", "BR"])}) + "\n")
PY
admin=$("$bin" keys create --role admin --database "$db")
export KEY=$("$bin" keys create --role screen --role audit --database "$db")
start_server $PORT "$db"

# The supplier master, in four imports at once (one per core and then some).
split -n l/4 "$work/counterparties.ndjson" "$work/part-"
started=$(date +%s.%N)
imports=()
for part in "$work"/part-*; do
    curl -sf -X POST "http://127.0.0.1:$PORT/counterparties/import" -H "Authorization: Bearer $KEY" -H "Content-Type: application/x-ndjson" \
        --data-binary @"$part" -o "$part.out" &
    imports+=($!)
done
for pid in "${imports[@]}"; do wait "$pid"; done
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'; }
echo "imported $COUNT counterparties in $(elapsed "$started") s"
for part in "$work"/part-*.out; do tail -1 "$part"; done

p99() { awk '/^ +99%/ {print $2}'; }
baseline=$(wrk -t2 -c8 -d"${DURATION}s" --latency -s scripts/benchmarks/screen.lua "http://127.0.0.1:$PORT" | p99)

# The new version, with the same load running beside its re-screen.
wrk -t2 -c8 -d"${DURATION}s" --latency -s scripts/benchmarks/screen.lua "http://127.0.0.1:$PORT" > "$work/during.txt" &
load=$!
uploaded=$(date +%s.%N)
( cd "$work/v2" && curl -sf -X POST "http://127.0.0.1:$PORT/lists/ofac-sdn/versions" -H "Authorization: Bearer $admin" \
    -F sdn.csv=@sdn.csv -F alt.csv=@alt.csv -F add.csv=@add.csv -F sdn_comments.csv=@sdn_comments.csv ) >/dev/null
job='{}'
for _ in $(seq 1200); do
    job=$(curl -sf "http://127.0.0.1:$PORT/lists/ofac-sdn/versions/2" -H "Authorization: Bearer $admin" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin).get("rescreens", [{}])[-1]))')
    [ "$(echo "$job" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("state"))')" = done ] && break
    sleep 0.1
done
took=$(elapsed "$uploaded")
wait "$load"
during=$(p99 < "$work/during.txt")
echo "re-screen job: $job"
echo "re-screen of $COUNT counterparties after +500 entries: $took s from upload to done (target under 30 s)"
printf 'POST /screen p99 at 8 connections: %s without a re-screen, %s during it\n' "$baseline" "$during"
echo "RSS after: $(awk '/VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$server/status")"
