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
serve_shared_lists "$PORT" "$SHARED/lists" --role screen --role audit
"$bin" eval --url "http://127.0.0.1:$PORT" --key "$key" --dataset "$DATASET" "$@"
