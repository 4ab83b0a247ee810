#!/usr/bin/env python3
"""Writes a synthetic organisation list in the clearance-json format: N entries whose names are drawn, with a fixed
seed, from the words of the shared SDN list's names (people as `SURNAME, Given Given`, organisations as two to four
words and a legal form), so word rarity and name shapes resemble a real aggregated list's.

    synthetic_list.py SDN.csv N OUT.json [seed]
"""
import csv, json, random, re, sys

sdn, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 20261207)
surnames, given, words = [], [], []
for row in csv.reader(open(sdn, encoding="latin-1")):
    if len(row) < 3:
        continue
    name, kind = row[1], row[2].strip()
    if kind == "individual" and "," in name:
        last, first = name.split(",", 1)
        surnames += re.findall(r"[A-Za-z'-]{2,}", last)
        given += re.findall(r"[A-Za-z'-]{2,}", first)
    else:
        words += [w for w in re.findall(r"[A-Za-z'-]{3,}", name) if w.upper() not in {"LTD", "LLC", "INC", "CO", "SA", "THE"}]
forms = ["LTD", "LLC", "GMBH", "S.A.", "CO., LTD.", "JSC", "FZE", "INC."]
countries = ["CN", "RU", "IR", "AE", "TR", "HK", "KP", "SY", "VE", "BY"]
with open(out, "w") as f:
    f.write('{"entries": [\n')
    for i in range(count):
        if rng.random() < 0.4:
            name = f"{rng.choice(surnames).upper()}, {' '.join(rng.choice(given) for _ in range(rng.randint(1, 2)))}"
            entry = {"id": f"syn-{i}", "name": name, "type": "person", "countries": [rng.choice(countries)]}
        else:
            name = " ".join(rng.choice(words) for _ in range(rng.randint(2, 4))).upper() + " " + rng.choice(forms)
            entry = {"id": f"syn-{i}", "name": name, "type": "organization", "countries": [rng.choice(countries)]}
        f.write(("," if i else "") + json.dumps(entry) + "\n")
    f.write("]}\n")
