#!/usr/bin/env bash
# Import time and peak memory (max RSS) of `clearance lists import` for each real list file in ../shared/lists,
# each into a fresh database, release build. Targets: under 2 s and under 300 MB each; the whole SDN list in the
# ADVANCED model (121 MB of XML) under 30 s and 500 MB, after which a Cyrillic query must find its Russian entries.
#
#   scripts/benchmarks/list-import.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
LISTS=${LISTS:-../shared/lists}
[ -d "$LISTS" ] || { echo "skipped: $LISTS is not present"; exit 0; }
swift build -c release --product clearance >/dev/null
bin=.build/release/clearance
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {
    local name=$1 format=$2; shift 2
    local db="$work/$name.sqlite"
    "$bin" migrate --database "$db" >/dev/null
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" lists import --list "$name" --format "$format" --database "$db" "$@" >/dev/null
    read -r seconds kb < "$work/time"
    printf '%-20s %6.2f s  %6.0f MB peak RSS\n' "$name" "$seconds" "$(echo "$kb / 1024" | bc -l)"
}
run ofac-sdn-2019 ofac-csv "$LISTS"/ofac-sdn-2019/*.csv
run ofac-sdn-2021 ofac-csv "$LISTS"/ofac-sdn-2021/*.csv
run ofac-consolidated ofac-csv "$LISTS"/ofac-consolidated/*.csv
run ofac-xml-2025 ofac-xml "$LISTS"/ofac-xml/consolidated_nonSDN_2025-03-28.xml
run ofac-xml-2018 ofac-xml "$LISTS"/ofac-xml/consolidated_nonSDN_2018-04-06.xml
run us-csl csl-csv "$LISTS"/us-csl/consolidated.csv
run un un-xml "$LISTS"/un/consolidated.xml
run ca-sema-2025 ca-sema-xml "$LISTS"/ca-sema/sema-lmes_2025.xml
run au-dfat au-dfat-xlsx "$LISTS"/au-dfat/regulation8_consolidated.xlsx
run ofac-enhanced ofac-enhanced-xml "$LISTS"/ofac-enhanced/CONS_ENHANCED.ZIP
run ofac-advanced-2020 ofac-advanced-xml "$LISTS"/ofac-advanced/cons_advanced_2020-03-17.xml
run uk-ofsi-2025 uk-ofsi-conlist "$LISTS"/uk-ofsi/ConList_2025-04-14.xlsx
run uk-ofsi-2018 uk-ofsi-conlist "$LISTS"/uk-ofsi/sanctionsconlist_2018-04-13.csv
bzip2 -dc "$LISTS"/ofac-sdn-advanced/sdn_advanced_2025-11-19.xml.bz2 > "$work/sdn_advanced.xml"
run sdn-advanced-2025 ofac-advanced-xml "$work/sdn_advanced.xml"

# A Cyrillic query against that database: the listed Russian entries answer in their own script.
port=18231
"$bin" serve --database "$work/sdn-advanced-2025.sqlite" --port $port --sync-interval 0 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
key=$("$bin" keys create --role screen --database "$work/sdn-advanced-2025.sqlite")
for _ in $(seq 120); do curl -fs "localhost:$port/readyz" >/dev/null && break; sleep 0.5; done
printf 'Cyrillic query "Лукашенко Александр Григорьевич": '
curl -s "localhost:$port/screen" -H "Authorization: Bearer $key" -d '{"name": "Лукашенко Александр Григорьевич", "type": "person"}' \
    | python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["decision"], [(m["entryId"], m["name"], m["matchedName"]) for m in b["matches"][:3]])'
