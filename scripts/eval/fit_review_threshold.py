#!/usr/bin/env python3
"""Fits the review threshold on labelled data, with part held back: screens every labelled set through POST /screen
on a server whose policy reviews from a low score (so scores under the threshold are seen), takes each row's best
score (for a listed row, its expected entry's; for an innocent one, any entry's), and sweeps the threshold.

Rows are split by a hash of their id: seven in ten fit, three in ten are held back and only reported. The fitted
threshold is the highest at which the fitting rows keep the recall target (0.98) and flag every listed supplier:
above it recall falls, below it more innocent names are flagged for nothing. The default policy's threshold is set
from it by hand (docs/matching.md says how and why).

    fit_review_threshold.py URL KEY SHARED_EVAL
"""
import csv, hashlib, json, sys, urllib.request

url, key, shared = sys.argv[1:4]
formats = {"ofac-sdn": "ofac", "ofac-consolidated": "ofac", "us-csl": "csl", "un": "un"}
RECALL_TARGET = 0.98


def screen(body):
    request = urllib.request.Request(url + "/screen", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))


def entities(match):
    own = [f"{formats.get(match['list'], match['list'])}:{match['entryId']}"] + match.get("references", [])
    return own + [e for copy in match.get("alsoListed", []) for e in entities(copy)]


def held_back(qid):
    return int(hashlib.sha256(qid.encode()).hexdigest(), 16) % 10 >= 7


rows = []  # (kind, held back, best score): kind is "listed", "negative" (dev negatives) or "innocent" (suppliers)
for name in ["dev.tsv", "dev_evasion.tsv", "dev_registered_names.tsv"]:
    for row in csv.DictReader(open(f"{shared}/{name}", encoding="utf-8"), delimiter="\t"):
        body = {"name": row["query"]}
        if row["type"] != "unknown":
            body["type"] = row["type"]
        matches = screen(body)["matches"]
        if row["label"] == "pos":
            score = max([m["score"] for m in matches if row["expected"] in entities(m)], default=0)
            rows.append(("listed", held_back(row["qid"]), score))
        else:
            wrong = [m["score"] for m in matches if not row["expected"] or row["expected"] in entities(m)]
            rows.append(("negative", held_back(row["qid"]), max(wrong, default=0)))
labels = {r["qid"]: r["verdict"] for r in csv.DictReader(open(f"{shared}/dev_supplier_base_labels.tsv", encoding="utf-8"), delimiter="\t")}
for row in csv.DictReader(open(f"{shared}/dev_supplier_base.tsv", encoding="utf-8"), delimiter="\t"):
    verdict = labels.get(row["qid"], "false")
    if verdict == "related":
        continue
    body = {"name": row["name"], **{k: row[k] for k in ("type", "country", "dateOfBirth") if row.get(k)}}
    best = max([m["score"] for m in screen(body)["matches"]], default=0)
    rows.append(("supplier" if verdict == "true" else "innocent", held_back(row["qid"]), best))


def figures(threshold, held):
    part = [r for r in rows if r[1] == held]
    def share(kind):
        scores = [s for k, _, s in part if k == kind]
        return sum(s >= threshold for s in scores), len(scores)
    return {kind: share(kind) for kind in ["listed", "negative", "innocent", "supplier"]}


def line(threshold, held):
    f = figures(threshold, held)
    ratio = lambda n, d: n / d if d else 0
    return (f"recall {ratio(*f['listed']):.3f} ({f['listed'][0]}/{f['listed'][1]})  "
            f"false positives {ratio(*f['negative']):.4f} ({f['negative'][0]}/{f['negative'][1]})  "
            f"innocent flagged {ratio(*f['innocent']):.4f} ({f['innocent'][0]}/{f['innocent'][1]})  "
            f"listed suppliers {f['supplier'][0]}/{f['supplier'][1]}")


thresholds = [round(0.60 + 0.01 * i, 2) for i in range(36)]
print("threshold  fitting rows (7 in 10)  |  held back (3 in 10)")
for t in thresholds:
    print(f"{t:.2f}  {line(t, False)}  |  {line(t, True)}")
fitting = [t for t in thresholds if (lambda f: f["listed"][0] >= RECALL_TARGET * f["listed"][1] and f["supplier"][0] == f["supplier"][1])(figures(t, False))]
if not fitting:
    sys.exit("no threshold keeps the recall target on the fitting rows")
chosen = max(fitting)
print(f"\nfitted review threshold: {chosen:.2f}")
print(f"  fitting rows: {line(chosen, False)}")
print(f"  held back:    {line(chosen, True)}")
