#!/usr/bin/env python3
"""Reads the outputs scripts/eval/all.sh collected (one folder per build) and prints one table of every measure.

    all_table.py OUT LABEL...
"""
import os, re, sys

out, labels = sys.argv[1], sys.argv[2:]


def read(label, name):
    path = os.path.join(out, label, name)
    return open(path, encoding="utf-8").read() if os.path.exists(path) else ""


def find(pattern, text, group=1):
    found = re.search(pattern, text)
    return found.group(group) if found else "?"


def recall(text):
    return find(r"overall recall\s+([\d.]+)\s+\((\d+/\d+)\)", text) + " (" + find(r"overall recall\s+[\d.]+\s+\((\d+/\d+)\)", text) + ")"


def false_positives(text):
    return find(r"false positives\s+[\d.]+\s+\((\d+/\d+)", text)


def pairs(text):
    right = re.search(r"overall recall\s+[\d.]+\s+\((\d+)/(\d+)\)", text)
    wrong = re.search(r"false positives\s+[\d.]+\s+\((\d+)/(\d+)", text)
    if not right or not wrong:
        return "?"
    correct = int(right.group(1)) + int(wrong.group(2)) - int(wrong.group(1))
    total = int(right.group(2)) + int(wrong.group(2))
    return f"{correct / total:.3f} ({correct}/{total})"


rows = [
    ("dev.tsv recall", lambda l: recall(read(l, "dev.txt"))),
    ("dev.tsv false positives", lambda l: false_positives(read(l, "dev.txt"))),
    ("disguised names recall", lambda l: recall(read(l, "evasion.txt"))),
    ("registered names recall", lambda l: recall(read(l, "registered.txt"))),
    ("real spelling variants recall", lambda l: recall(read(l, "variants.txt"))),
    ("supplier base: listed flagged", lambda l: find(r"listed suppliers flagged: (.*)", read(l, "suppliers.txt"))),
    ("supplier base: innocent reviews", lambda l: find(r"innocent suppliers sent to review: (.*)", read(l, "suppliers.txt"))),
    ("supplier base: innocent blocked", lambda l: find(r"innocent suppliers blocked: (\d+)", read(l, "suppliers.txt"))),
    ("name pairs right", lambda l: pairs(read(l, "pairs.txt"))),
    ("HTTP round trip p50 / p99 ms (dev.tsv)", lambda l: find(r"p50 ([\d.]+)", read(l, "dev.txt")) + " / " + find(r"p99 ([\d.]+)", read(l, "dev.txt"))),
    ("matching in process p50 / p99 ms", lambda l: find(r"query latency.*p50 ([\d.]+) ms", read(l, "bench.txt")) + " / "
        + find(r"query latency.*p99 ([\d.]+) ms", read(l, "bench.txt"))),
]
print("| measure | " + " | ".join(labels) + " |")
print("|---|" + "---|" * len(labels))
for name, value in rows:
    print(f"| {name} | " + " | ".join(value(label) for label in labels) + " |")
