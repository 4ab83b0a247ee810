#!/usr/bin/env bash
# Evidence targets on a live release server loaded with every shared list: listed parties found by a strong
# identifier under a made-up name (OFAC SDN remarks and the CSL's ids column), and innocent common names screened
# name-only, none of which may be blocked.
#
#   scripts/eval/evidence-eval.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
[ -d "$SHARED/lists" ] || { echo "skipped: $SHARED/lists is not present"; exit 0; }
PORT=${PORT:-18310}
. scripts/lib.sh
serve_shared_lists "$PORT" "$SHARED/lists" --role screen
python3 - "$SHARED/lists" "$PORT" "$key" <<'PY'
import csv, json, re, sys, urllib.request
lists, port, key = sys.argv[1], sys.argv[2], sys.argv[3]
def screen(body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/screen", data=json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
def found(list_id, entry, label, value):
    record = screen({"name": "Northwind Holdings Example", "identifiers": [{"type": label, "value": value}]})
    return any(m["list"] == list_id and m["entryId"] == entry for m in record["matches"])
tally = {}
def count(key, ok):
    t = tally.setdefault(key, [0, 0]); t[0] += ok; t[1] += 1
labels = ["IMO", "ISIN", "Registration Number", "Unified Social Credit Code (USCC)", "Business Registration Number", "Tax ID No.", "MMSI", "SWIFT/BIC"]
for row in csv.reader(open(f"{lists}/ofac-sdn-2021/sdn.csv", encoding="latin-1")):
    if len(row) < 12: continue
    for label in labels:
        pattern = r"IMO (\d{7})" if label == "IMO" else re.escape(label) + r" ([A-Za-z0-9\-\. ]+?)(?: \(|;|\.$|$)"
        for match in re.finditer(pattern, row[11]):
            if label == "Registration Number" and "Business Registration Number " + match.group(1) in row[11]: continue
            count(("ofac-sdn", label), found("ofac-sdn", row[0], label, match.group(1).strip()))
types = {"Vessel Registration Identification": "IMO", "ISIN": "ISIN", "Registration Number": "Registration Number",
         "Unified Social Credit Code (USCC)": "Unified Social Credit Code (USCC)", "Tax ID No.": "Tax ID No.", "MMSI": "MMSI", "SWIFT/BIC": "SWIFT/BIC"}
for row in csv.DictReader(open(f"{lists}/us-csl/consolidated.csv", encoding="utf-8-sig")):
    for part in (row.get("ids") or "").split(";"):
        bits = [b.strip() for b in part.split(",")]
        if len(bits) < 2 or bits[-1] not in types: continue
        value = bits[-2] if len(bits) >= 3 else bits[0]
        count(("us-csl", types[bits[-1]]), found("us-csl", row["_id"], bits[-1], value))
print("identifier under another name        found / total")
for (list_id, label), (ok, total) in sorted(tally.items()):
    print(f"{list_id:10s} {label:36s} {ok:5d} / {total:5d}  {ok / total:.3f}")
ok = sum(v[0] for v in tally.values()); total = sum(v[1] for v in tally.values())
print(f"overall {ok} / {total} = {ok / total:.3f}")
names = ["Mohammed Ali", "Ali Hassan", "Abdul Rahman", "Zhang Wei", "Sergei Ivanov", "Mohammad Reza", "Ali Reza", "Ahmad Khan",
         "Muhammad Khan", "Abdullah Ahmed", "Hassan Ali", "Omar Hassan", "Ibrahim Mohamed", "Mustafa Ahmed", "Ali Mohammadi",
         "Hossein Ahmadi", "Wang Wei", "Li Na", "Zhang Min", "Liu Yang", "Chen Jie", "Wang Fang", "Li Qiang", "Zhao Lei",
         "Kim Min Jun", "Park Ji Hoon", "Lee Min Ho", "Kim Young Ho", "Ivan Petrov", "Alexander Smirnov", "Dmitry Kuznetsov",
         "Andrei Popov", "Vladimir Sokolov", "Sergey Volkov", "Olga Ivanova", "Jose Garcia", "Juan Rodriguez", "Carlos Martinez",
         "Luis Hernandez", "Jorge Lopez", "Maria Gonzalez", "Juan Carlos Perez", "Nguyen Van Anh", "Tran Van Minh",
         "Ahmed Mohamed Ali", "Mohamed Abdullah", "Yusuf Ahmed", "Abu Bakr", "Khalid Al Ahmad", "Said Hassan"]
blocked = [n for n in names if screen({"name": n})["decision"] == "block"]
print(f"common names blocked name-only: {len(blocked)} of {len(names)} {blocked}")
PY
