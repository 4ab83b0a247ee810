#!/usr/bin/env python3
"""Writes Sources/ClearanceService/BuiltInLists/Data/us-dod-1260h.json from a transcription of the DoD section 1260H
list (the layout of ../shared/lists/us-procurement/dod_1260h_chinese_military_companies.csv: one row per entity and
edition, with aliases, former names and parent names).

    python3 scripts/lists/build-us-dod-1260h.py ../shared/lists/us-procurement/dod_1260h_chinese_military_companies.csv

An entity keeps one id across editions: rows are the same entity when their names agree once case, punctuation,
spacing and a parenthesised acronym are set aside (`Addsino Co. Ltd.` and `Addsino Co., Ltd.`), or when a row names
the other as its previous name (a renaming). A parent that an edition names but does not list is written as an entry
of its own, marked as named only as a parent. The output is reviewed like code (docs/procurement-lists.md).
"""
import csv
import json
import re
import sys
from collections import OrderedDict

# The editions the transcription holds: the earlier ones as rows with a start and an end date and no source URL,
# the 2025 and 2026 ones as full editions with the publication's URL.
EDITIONS = [
    ("2021-06-03", "DoD list of Chinese military companies, as of 3 June 2021 (section 1260H, NDAA FY2021)"),
    ("2022-10-05", "DoD section 1260H list, 5 October 2022"),
    ("2024-01-31", "DoD section 1260H list, 31 January 2024 (89 FR 6092)"),
    ("2025-01-07", "DoD section 1260H list, 7 January 2025 (90 FR 3834)"),
    ("2026-06-08", "DoD section 1260H list, 8 June 2026"),
]
TRANSCRIPTION = "https://github.com/opensanctions/opensanctions/blob/main/datasets/us/dod_chinese_milcorps/sanctions.csv"
LISTED = "DoD 1260H Chinese military company"
PARENT_ONLY = "DoD 1260H parent (not itself listed)"


LEGAL_FORMS = {"co", "company", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "llc", "plc"}


def key(name):
    """Names compared without case, punctuation, spacing, a trailing parenthesised acronym or trailing legal forms
    (`China Communications Construction Group (Limited)` is `China Communications Construction Group Limited`)."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"\([^)]*\)?\s*\*?$", "", name.lower()))
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return "".join(words)


def one_edit_apart(a, b):
    """A previous name as the transcription spells it may differ by a letter (`Chen Du` for `Cheng Du`)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if a[:i] == b[:i]:
            if a[i:] == b[i + 1:] or (len(a) == len(b) and a[i + 1:] == b[i + 1:]):
                return True
    return False


def acronym(name):
    found = re.search(r"\(([^)]*)\)\s*\*?$", name)
    return found.group(1).strip() if found else None


def clean(name):
    return re.sub(r"\s*\([^)]*\)\s*\*?$", "", name).strip().rstrip("*").strip()


def slug(name):
    return "1260h-" + re.sub(r"[^a-z0-9]+", "-", clean(name).lower()).strip("-")


def in_edition(row, edition):
    if row["Source Url"]:
        return row["Start date"] == edition
    # The earlier editions: listed from the start date until the end date, and not past 2024 (the later editions
    # have rows of their own).
    if edition >= "2025-01-07":
        return False
    return row["Start date"] <= edition and (not row["End date"] or row["End date"] > edition)


def main(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    entities = OrderedDict()  # id -> entity
    by_key = {}
    for edition, _ in EDITIONS:
        for row in (r for r in rows if in_edition(r, edition)):
            name = clean(row["Clean Name"] or row["Name"])
            previous = [p.strip() for p in row["Previous Name"].split(";") if p.strip()]
            known = next((by_key[k] for k in [key(name)] + [key(p) for p in previous] if k in by_key), None)
            if known is None:
                known = next((by_key[k] for p in previous for k in by_key if one_edit_apart(key(p), k)), None)
            if known is None:
                known = slug(name)
                entities[known] = {"id": known, "name": name, "aliases": [], "formerNames": [], "parents": [],
                                   "editions": [], "sources": [], "notes": []}
            entity = entities[known]
            by_key[key(name)] = known
            if key(entity["name"]) != key(name):
                entity["formerNames"].append(entity["name"])  # renamed: the latest edition's name leads
            entity["name"] = name
            for alias in [a.strip() for a in row["Alias"].split(";")] + [acronym(row["Name"]) or ""]:
                if alias and alias not in entity["aliases"]:
                    entity["aliases"].append(alias)
            for former in previous:
                by_key[key(former)] = known
                if former not in entity["formerNames"]:
                    entity["formerNames"].append(former)
            if row["Parent Name"]:
                parent = clean(row["Parent Name"])
                if key(parent) not in [key(p) for p in entity["parents"]]:
                    entity["parents"].append(parent)
            if edition not in entity["editions"]:
                entity["editions"].append(edition)
            if row["Source Url"] and row["Source Url"] not in entity["sources"]:
                entity["sources"].append(row["Source Url"])
            if row["Note"] and row["Note"] not in entity["notes"]:
                entity["notes"].append(row["Note"])
            if row["End date"] and row["Source Url"]:
                entity["notes"].append(f"Removed from the list on {row['End date']} (transcription's end date).")
    # Parents an edition names without listing them, and the relations to parents that are listed.
    parent_only = OrderedDict()
    for entity in entities.values():
        relations = []
        for parent in entity["parents"]:
            target = by_key.get(key(parent))
            if target is not None and target != entity["id"]:
                relations.append({"type": "Parent company", "entryId": target, "name": entities[target]["name"]})
                # Named as a parent in an edition that does not list it: reported as such there.
                missing = [e for e in entity["editions"] if e not in entities[target]["editions"]]
            else:
                target = "1260h-parent-" + slug(parent)[6:]
                relations.append({"type": "Parent company", "entryId": target, "name": parent})
                missing = entity["editions"]
            for edition in missing:
                holder = parent_only.setdefault((target, parent), {"editions": [], "children": []})
                if edition not in holder["editions"]:
                    holder["editions"].append(edition)
                if entity["id"] not in holder["children"]:
                    holder["children"].append(entity["id"])
        entity["relations"] = relations
    out = []
    for entity in entities.values():
        out.append({
            "id": entity["id"], "name": entity["name"], "type": "organization",
            "aliases": entity["aliases"], "formerNames": entity["formerNames"], "programs": [LISTED],
            "relations": entity["relations"], "editions": entity["editions"],
            "source": entity["sources"][-1] if entity["sources"] else TRANSCRIPTION,
            "remarks": " ".join(entity["notes"]) or None,
        })
    for (target, parent), holder in parent_only.items():
        # A listed entity that an earlier or later edition names as a parent only: a separate entry for those
        # editions, so a supplier matching it reads that it was named, not listed, then.
        entry_id = target if target.startswith("1260h-parent-") else "1260h-parent-" + target[6:]
        children = ", ".join(entities[c]["name"] for c in holder["children"])
        out.append({
            "id": entry_id, "name": parent, "type": "organization", "aliases": [], "formerNames": [],
            "programs": [PARENT_ONLY],
            "relations": [{"type": "Parent of", "entryId": c, "name": entities[c]["name"]} for c in holder["children"]],
            "editions": sorted(holder["editions"]), "source": TRANSCRIPTION,
            "remarks": f"Named in the list only as the parent of {children}; not itself identified as a Chinese military company in these editions.",
        })
    # Relations to a parent in an edition that names it only as a parent point at the parent-only entry.
    ids = {e["id"] for e in out}
    for entry in out:
        for relation in entry["relations"]:
            if relation["entryId"] not in ids:
                relation["entryId"] = "1260h-parent-" + relation["entryId"][6:]
    document = {
        "list": "us-dod-1260h",
        "title": "Entities identified as Chinese military companies operating in the United States (section 1260H, NDAA FY2021)",
        "authority": "US Department of Defense",
        "sourceList": "DoD 1260H Chinese Military Companies",
        "editions": [{"edition": e, "title": t} for e, t in EDITIONS],
        "entries": [{k: v for k, v in e.items() if v not in (None, [])} for e in out],
    }
    target = "Sources/ClearanceService/BuiltInLists/Data/us-dod-1260h.json"
    with open(target, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for edition, _ in EDITIONS:
        listed = sum(1 for e in out if edition in e["editions"] and e["programs"] == [LISTED])
        parents = sum(1 for e in out if edition in e["editions"] and e["programs"] == [PARENT_ONLY])
        print(f"{edition}: {listed} listed, {parents} named only as parents")
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/lists/us-procurement/dod_1260h_chinese_military_companies.csv")
