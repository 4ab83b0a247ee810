#!/usr/bin/env bash
# Peak memory of importing a large XML list: the UN consolidated list repeated COPIES times (each copy's reference
# numbers made unique), imported with `clearance lists import`; prints the file size, entry count and the peak
# resident memory of the import beside that of importing the one real file (the baseline, same run).
#
#   scripts/benchmarks/xml-import-memory.sh [copies]      (default 20, about 40 MB; needs ../shared/lists)
set -euo pipefail
cd "$(dirname "$0")/../.."
COPIES=${1:-20}
LISTS=${LISTS:-../shared/lists}
[ -f "$LISTS/un/consolidated.xml" ] || { echo "skipped: $LISTS/un/consolidated.xml is not present"; exit 0; }
. scripts/lib.sh
build_release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$LISTS/un/consolidated.xml" "$work/big.xml" "$COPIES" <<'PY'
import re, sys
source, target, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(source, encoding="utf-8").read()
def block(tag):
    match = re.search(r"<%s>(.*)</%s>" % (tag, tag), text, re.S)
    return match.group(1) if match else ""
people, entities = block("INDIVIDUALS"), block("ENTITIES")
copy = lambda body, n: re.sub(r"<REFERENCE_NUMBER>([^<]*)</REFERENCE_NUMBER>", lambda m: "<REFERENCE_NUMBER>%s-%d</REFERENCE_NUMBER>" % (m.group(1), n), body)
with open(target, "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>')
    for n in range(copies): out.write(copy(people, n))
    out.write("</INDIVIDUALS>\n<ENTITIES>")
    for n in range(copies): out.write(copy(entities, n))
    out.write("</ENTITIES>\n</CONSOLIDATED_LIST>\n")
PY
peak() {  # peak resident memory (MB) of importing file $1 into a fresh database
    local db="$work/$RANDOM.sqlite"
    "$bin" migrate --database "$db" >/dev/null
    /usr/bin/time -f '%M' -o "$work/rss" "$bin" lists import --list un --format un-xml --database "$db" "$1" >/dev/null
    echo $(( $(tail -n 1 "$work/rss") / 1024 ))
}
one=$(peak "$LISTS/un/consolidated.xml")
big=$(peak "$work/big.xml")
printf 'un-xml import, peak resident memory: %s MB for the real file (%s KB), %s MB for %s copies (%s MB)\n' \
    "$one" "$(( $(stat -c %s "$LISTS/un/consolidated.xml") / 1024 ))" "$big" "$COPIES" "$(( $(stat -c %s "$work/big.xml") / 1048576 ))"
