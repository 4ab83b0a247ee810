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
. scripts/lib.sh
build_release
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/eval.sqlite"
load_shared_lists "$db" "$SHARED/lists"
key=$("$bin" keys create --role screen --role audit --name eval --database "$db")
start_server "$PORT" "$db"
"$bin" eval --url "http://127.0.0.1:$PORT" --key "$key" --dataset "$DATASET" "$@"
