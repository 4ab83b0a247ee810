#!/usr/bin/env bash
# Fits the default review threshold on the labelled development sets and the supplier base's development half, with
# three rows in ten held back, through a live release server whose policy reviews from 0.6 (so lower scores are
# seen); prints the trade at every threshold and the fit.
#
#   scripts/eval/fit.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
[ -d "$SHARED/lists" ] || { echo "skipped: $SHARED/lists is not present"; exit 0; }
PORT=${PORT:-18320}
. scripts/lib.sh
serve_shared_lists "$PORT" "$SHARED/lists" --role screen --role admin
curl -sf -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"reviewThreshold": 0.6}' "http://127.0.0.1:$PORT/policy" >/dev/null
python3 scripts/eval/fit_review_threshold.py "http://127.0.0.1:$PORT" "$key" "$SHARED/eval"
