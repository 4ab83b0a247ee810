#!/usr/bin/env python3
"""Screens a supplier base (../shared/eval/dev_supplier_base.tsv) through POST /screen as a buyer would, with the
country and date of birth a buyer holds, and scores it against its labels: every listed supplier (`true`) flagged,
no innocent supplier blocked, as few innocent suppliers as possible sent to review (`related`: a different entity of
the same group, where a review is reasonable).

    supplier_base.py URL KEY SUPPLIERS.tsv LABELS.tsv   (VERBOSE=1 prints each innocent supplier sent to review)
"""
import csv, json, os, sys, urllib.request

url, key, suppliers_path, labels_path = sys.argv[1:5]
labels = {row["qid"]: row["verdict"] for row in csv.DictReader(open(labels_path, encoding="utf-8"), delimiter="\t")}
counts = {"true": 0, "true_flagged": 0, "true_blocked": 0, "innocent": 0, "innocent_review": 0, "innocent_block": 0, "related": 0}
blocked = []
for row in csv.DictReader(open(suppliers_path, encoding="utf-8"), delimiter="\t"):
    body = {"name": row["name"]}
    if row.get("type"): body["type"] = row["type"]
    if row.get("country"): body["country"] = row["country"]
    if row.get("dateOfBirth"): body["dateOfBirth"] = row["dateOfBirth"]
    request = urllib.request.Request(url + "/screen", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    record = json.load(urllib.request.urlopen(request))
    decision = record["decision"]
    verdict = labels.get(row["qid"], "false")
    if verdict == "true":
        counts["true"] += 1
        counts["true_flagged"] += decision != "clear"
        counts["true_blocked"] += decision == "block"
    elif verdict == "related":
        counts["related"] += 1
    else:
        counts["innocent"] += 1
        counts["innocent_review"] += decision == "review"
        if decision == "review" and os.environ.get("VERBOSE"):
            top = record["matches"][0] if record["matches"] else {}
            print(f"review: {row['name']} ~ {top.get('name')} ({top.get('list')}, {top.get('score')})")
        counts["innocent_block"] += decision == "block"
        if decision == "block":
            blocked.append(row["name"])
print(f"listed suppliers flagged: {counts['true_flagged']} of {counts['true']} ({counts['true_blocked']} blocked)")
print(f"innocent suppliers sent to review: {counts['innocent_review']} of {counts['innocent']} "
      f"({100 * counts['innocent_review'] / max(1, counts['innocent']):.2f}%)")
print(f"innocent suppliers blocked: {counts['innocent_block']}" + (f" ({'; '.join(blocked)})" if blocked else ""))
