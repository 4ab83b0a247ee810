#!/usr/bin/env bash
# Matching quality on the labelled development set, through POST /screen on a live release server loaded with
# every list in ../shared/lists (OFAC SDN 2021, OFAC consolidated, US CSL, UN).
#
#   scripts/eval/dev-eval.sh [dataset.tsv] [--show N]
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
DATASET=${1:-$SHARED/eval/dev.tsv}
shift || true
[ -d "$SHARED/lists" ] || { echo "skipped: $SHARED/lists is not present"; exit 0; }
PORT=${PORT:-18300}
swift build -c release --product clearance >/dev/null
bin=.build/release/clearance
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/eval.sqlite"
"$bin" migrate --database "$db" >/dev/null
key=$("$bin" keys create --role screen --role audit --name eval --database "$db")
"$bin" lists import --list ofac-sdn --format ofac-csv --database "$db" "$SHARED"/lists/ofac-sdn-2021/*.csv
"$bin" lists import --list ofac-consolidated --format ofac-csv --database "$db" "$SHARED"/lists/ofac-consolidated/*.csv
"$bin" lists import --list us-csl --format csl-csv --database "$db" "$SHARED"/lists/us-csl/consolidated.csv
"$bin" lists import --list un --format un-xml --database "$db" "$SHARED"/lists/un/consolidated.xml
"$bin" serve --port "$PORT" --database "$db" 2>"$work/server.log" &
server=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
grep -h '"matching index built"' "$work/server.log" || true
"$bin" eval --url "http://127.0.0.1:$PORT" --key "$key" --dataset "$DATASET" "$@"
