#!/usr/bin/env python3
"""Reads a callgrind output file and prints instructions per request: the total, the costliest functions (inclusive),
and, given a parts file, each part's inclusive instructions against a baseline.

    callgrind_costs.py CALLGRIND.OUT REQUESTS [--top N] [--parts PARTS.tsv [--update]]

A parts file has a line per part: its name, a tab, the substrings of the (mangled) function names it covers, each
separated by `|`, a tab, and its baseline instructions per request. A part's cost is the inclusive cost of the
outermost functions it names. Instructions are counted, not timed, so they do not move with other load on a
shared machine. A part more than a tenth over its baseline fails the run (exit 1); --update writes the figures
measured as the new baselines.
"""
import collections, sys

path, requests = sys.argv[1], int(sys.argv[2])
top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 0
parts_path = sys.argv[sys.argv.index("--parts") + 1] if "--parts" in sys.argv else None
update = "--update" in sys.argv

names, exclusive, inclusive = {}, collections.Counter(), collections.Counter()
function, after_call = None, False


def ident(text):
    number, _, name = text.partition(" ")
    if name:
        names[number] = name
    return number


for line in open(path):
    if line.startswith("fn="):
        function, after_call = ident(line[3:].strip()), False
    elif line.startswith("cfn="):
        ident(line[4:].strip())
    elif line.startswith("calls="):
        after_call = True
    elif line[:1].isdigit() or line[:1] in "+-*":
        fields = line.split()
        cost = int(fields[1]) if len(fields) > 1 else 0
        inclusive[function] += cost
        if after_call:
            after_call = False
        else:
            exclusive[function] += cost

print(f"{requests} requests, {sum(exclusive.values()) / requests:.0f} instructions per request")
for function, cost in inclusive.most_common(top):
    print(f"{cost / requests:11.0f}  {names.get(function, function)[:150]}")
if not parts_path:
    sys.exit(0)

parts = [line.rstrip("\n").split("\t") for line in open(parts_path) if line.strip() and not line.startswith("#")]
failed, rows = False, []
for name, patterns, baseline in parts:
    matching = {f: c for f, c in inclusive.items() if any(p in names.get(f, "") for p in patterns.split("|"))}
    # Recursion and nesting count a function's cost in its callers too: the part is its costliest function.
    cost = max(matching.values(), default=0) / requests
    ratio = cost / float(baseline) if float(baseline) else 0
    failed |= ratio > 1.10
    rows.append((name, patterns, cost))
    print(f"{name:<28} {cost:11.0f} instructions per request  (baseline {float(baseline):11.0f}, ratio {ratio:.2f}{'  OVER' if ratio > 1.10 else ''})")
if update:
    header = [line for line in open(parts_path) if line.startswith("#")]
    with open(parts_path, "w") as f:
        f.writelines(header)
        f.writelines(f"{name}\t{patterns}\t{cost:.0f}\n" for name, patterns, cost in rows)
    print(f"baselines written to {parts_path}")
elif failed:
    sys.exit("a part grew by more than a tenth over its baseline")
