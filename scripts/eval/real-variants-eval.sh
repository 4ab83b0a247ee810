#!/usr/bin/env bash
# Matching quality on spellings OFAC itself records as aliases (dev_real_variants.tsv): the lists are loaded with
# those aliases removed (the eval folder's strip_aliases.py), so each query is a variant the engine has never seen,
# then screened through POST /screen on a live release server.
#
#   scripts/eval/real-variants-eval.sh [--show N]
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
[ -d "$SHARED/lists" ] || { echo "skipped: $SHARED/lists is not present"; exit 0; }
PORT=${PORT:-18301}
stripped=$(mktemp -d)
python3 "$SHARED/eval/strip_aliases.py" "$SHARED/eval/dev_real_variants_removed.tsv" "$stripped"
# UN and OFAC consolidated as they are, beside the stripped SDN and CSL.
ln -s "$(cd "$SHARED/lists" && pwd)/un" "$stripped/un"
ln -s "$(cd "$SHARED/lists" && pwd)/ofac-consolidated" "$stripped/ofac-consolidated"
. scripts/lib.sh
serve_shared_lists "$PORT" "$stripped" --role screen --role audit
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work" "$stripped"' EXIT
"$bin" eval --url "http://127.0.0.1:$PORT" --key "$key" --dataset "$SHARED/eval/dev_real_variants.tsv" "$@"
