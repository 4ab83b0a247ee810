#!/usr/bin/env bash
# Fuzzes a fresh `clearance serve` against openapi.yaml with random seeds (the suite runs one fixed seed): RUNS runs
# (3 by default) of scripts/fuzz/schemathesis.sh, each with a new seed and EXAMPLES examples an operation. Prints the
# seed of every failing run, so it can be replayed with SEED=... scripts/fuzz/schemathesis.sh.
#
#   scripts/fuzz/schemathesis-random.sh [runs] [examples]        (needs: pip install schemathesis)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
EXAMPLES=${2:-100}
command -v schemathesis >/dev/null || { echo "schemathesis is missing: pip install schemathesis"; exit 1; }
. scripts/lib.sh
build_release
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/fuzz.sqlite"
"$bin" migrate --database "$db" >/dev/null
cat > "$work/consolidated.csv" <<'CSV'
_id,source,entity_number,type,programs,name,title,addresses,alt_names,citizenships,dates_of_birth,nationalities,ids,remarks
30946,Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department,30946,Entity,CMIC-EO13959,"HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",,"555 Qianmo Road, Hangzhou, CN",HIKVISION,,,,"CNE100000PM8, ISIN",
f095626c,Entity List (EL) - Bureau of Industry and Security,,,,"Hangzhou Hikvision Digital Technology Co., Ltd.",,"No. 555 Qianmo Road, Hangzhou, CN",Hikvision,,,,,
CSV
"$bin" lists import --list us-csl --format csl-csv --database "$db" "$work/consolidated.csv" >/dev/null
keys=()
for role in screen admin audit review; do keys+=("$("$bin" keys create --role "$role" --name "fuzz-$role" --owner "fuzz-$role" --database "$db")"); done
start_server 18221 "$db"
failed=()
for _ in $(seq "$RUNS"); do
    seed=$RANDOM$RANDOM
    echo "== seed $seed"
    SEED=$seed scripts/fuzz/schemathesis.sh http://127.0.0.1:18221 "${keys[@]}" "$EXAMPLES" || failed+=("$seed")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "failing seeds: ${failed[*]} (replay: SEED=<seed> scripts/fuzz/schemathesis.sh URL KEYS...)"
    exit 1
fi
echo "schemathesis: $RUNS random seeds passed"
