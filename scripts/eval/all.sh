#!/usr/bin/env bash
# Every matching and decision measure in one table: the development sets (dev.tsv, disguised names, registered
# names), real spelling variants, the real supplier base, name pairs, and in-process matching latency, each through
# a live release server as the single scripts measure them. With --before REV, the same measures of that revision's
# build (checked out in a temporary worktree) stand beside them.
#
#   scripts/eval/all.sh [--before REV]
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
[ -d "$SHARED/lists" ] || { echo "skipped: $SHARED/lists is not present"; exit 0; }
before=
if [ "${1:-}" = --before ]; then before=${2:?--before needs a revision}; fi
out=$(mktemp -d)
trap 'rm -rf "$out"; [ -n "${tree:-}" ] && git worktree remove --force "$tree" >/dev/null 2>&1 || true' EXIT

# Runs every measure with binary $1, writing their outputs under $out/$2.
measure() {
    local bin=$1 label=$2
    mkdir -p "$out/$label"
    CLEARANCE_BIN=$bin scripts/eval/dev-eval.sh > "$out/$label/dev.txt" 2>&1
    CLEARANCE_BIN=$bin scripts/eval/dev-eval.sh "$SHARED/eval/dev_evasion.tsv" > "$out/$label/evasion.txt" 2>&1
    CLEARANCE_BIN=$bin scripts/eval/dev-eval.sh "$SHARED/eval/dev_registered_names.tsv" > "$out/$label/registered.txt" 2>&1
    CLEARANCE_BIN=$bin scripts/eval/real-variants-eval.sh > "$out/$label/variants.txt" 2>&1
    CLEARANCE_BIN=$bin scripts/eval/supplier-base-eval.sh > "$out/$label/suppliers.txt" 2>&1
    CLEARANCE_BIN=$bin scripts/eval/pairs-eval.sh > "$out/$label/pairs.txt" 2>&1
    "$bin" bench matching --rounds 3 > "$out/$label/bench.txt" 2>&1
}

swift build -c release --product clearance >/dev/null
after=$(mktemp -d)/clearance
cp .build/release/clearance "$after"
labels=(after)
if [ -n "$before" ]; then
    tree=$(mktemp -d)/before
    git worktree add --detach "$tree" "$before" >/dev/null 2>&1
    (cd "$tree" && swift build -c release --product clearance >/dev/null)
    measure "$tree/.build/release/clearance" before
    labels=(before after)
fi
measure "$after" after
python3 scripts/eval/all_table.py "$out" "${labels[@]}"
