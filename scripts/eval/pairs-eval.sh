#!/usr/bin/env bash
# Name pairs that must or must not match, measured as the open-source peers' test pairs are: each candidate is loaded
# as an entry of an organisation's own list ("pairs") beside every shared list, each query screened through
# POST /screen on a live release server. A must-match pair counts when its candidate is among the matches of a
# decision that is not clear; a must-not pair counts against when it is.
#
#   scripts/eval/pairs-eval.sh [pairs.tsv] [--show N]
#
# pairs.tsv: query, candidate, type (person, organization, unknown), label (match or nomatch); tab-separated, with a
# header row. scripts/eval/pairs-sample.tsv holds pairs of each kind the engine handles (our own, not the peers').
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
PAIRS=${1:-scripts/eval/pairs-sample.tsv}
shift || true
[ -d "$SHARED/lists" ] || { echo "skipped: $SHARED/lists is not present"; exit 0; }
PORT=${PORT:-18302}
lists=$(mktemp -d)
for source in ofac-sdn-2021 ofac-consolidated us-csl un; do ln -s "$(cd "$SHARED/lists" && pwd)/$source" "$lists/$source"; done
python3 - "$PAIRS" "$lists" <<'PY'
import csv, json, os, sys
pairs, out = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(pairs, encoding="utf-8"), delimiter="\t"))
entries, dataset = [], ["qid\tclass\tlabel\ttype\tquery\texpected\tlisted_name"]
for n, row in enumerate(rows):
    kind = row["type"] if row["type"] in ("person", "organization") else "organization"
    entries.append({"id": f"p{n:04d}", "name": row["candidate"], "type": kind})
    label = "pos" if row["label"] == "match" else "neg"
    dataset.append("\t".join([f"q{n:04d}", "must_" + row["label"], label, row["type"], row["query"], f"pairs:p{n:04d}", row["candidate"]]))
os.makedirs(os.path.join(out, "pairs"))
json.dump({"entries": entries}, open(os.path.join(out, "pairs", "entries.json"), "w"), ensure_ascii=False)
open(os.path.join(out, "dataset.tsv"), "w", encoding="utf-8").write("\n".join(dataset) + "\n")
PY
. scripts/lib.sh
serve_shared_lists "$PORT" "$lists" --role screen --role audit
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work" "$lists"' EXIT
"$bin" eval --url "http://127.0.0.1:$PORT" --key "$key" --dataset "$lists/dataset.tsv" "$@"
