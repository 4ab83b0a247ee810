#!/usr/bin/env bash
# Seeds 1,000,000 decision records through the real audit path, then times full-text search over them through
# GET /decisions?q=... and streams GET /decisions/export of all of them, reporting the server's memory before and
# after the export (constant memory: the peak should not grow with the record count).
#
#   scripts/benchmarks/audit-scale.sh [records]
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-1000000}
PORT=18191
. scripts/lib.sh
build_release
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/audit.sqlite"
"$bin" migrate --database "$db" >/dev/null
key=$("$bin" keys create --role audit --database "$db")
/usr/bin/time -f "seeding: %e s, peak RSS %M KB" "$bin" bench seed-decisions --count "$COUNT" --database "$db" | tail -1
start_server $PORT "$db"
rss() { awk '/VmRSS|VmHWM/ {printf "%s %s kB  ", $1, $2}' "/proc/$server/status"; echo; }
for q in hikvision "northwind contoso" "alpine 4242"; do
    best=999
    for _ in 1 2 3 4 5; do
        t=$(curl -s -o "$work/page.json" -w '%{time_total}' "http://127.0.0.1:$PORT/decisions?q=$(echo "$q" | sed 's/ /%20/g')&limit=100" -H "Authorization: Bearer $key")
        best=$(echo "if ($t < $best) $t else $best" | bc -l)
    done
    printf 'full-text q="%s" over %d records, first page of 100: best of 5 %.1f ms (HTTP round trip)\n' "$q" "$COUNT" "$(echo "$best * 1000" | bc -l)"
done
printf 'server memory before export: '; rss
bytes=$(curl -s "http://127.0.0.1:$PORT/decisions/export?format=ndjson" -H "Authorization: Bearer $key" | wc -c)
printf 'exported %d bytes of NDJSON; server memory after: ' "$bytes"; rss
lines=$(curl -s "http://127.0.0.1:$PORT/decisions/export?format=csv" -H "Authorization: Bearer $key" | wc -l)
printf 'CSV export: %d lines; server memory after: ' "$lines"; rss
