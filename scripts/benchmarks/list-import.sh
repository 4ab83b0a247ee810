#!/usr/bin/env bash
# Import time and peak memory (max RSS) of `clearance lists import` for each real list file in ../shared/lists,
# each into a fresh database, release build. Targets: under 2 s and under 300 MB each.
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
