#!/usr/bin/env bash
# The real supplier base (../shared/eval/dev_supplier_base.tsv and its labels) through POST /screen on a live release
# server loaded with every shared list: listed suppliers flagged, innocent suppliers reviewed and blocked.
#
#   scripts/eval/supplier-base-eval.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
[ -d "$SHARED/lists" ] || { echo "skipped: $SHARED/lists is not present"; exit 0; }
PORT=${PORT:-18310}
. scripts/lib.sh
serve_shared_lists "$PORT" "$SHARED/lists" --role screen
python3 scripts/eval/supplier_base.py "http://127.0.0.1:$PORT" "$key" "$SHARED/eval/dev_supplier_base.tsv" "$SHARED/eval/dev_supplier_base_labels.tsv"
