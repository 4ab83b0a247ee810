#!/usr/bin/env bash
# Runs the test suite under strace and prints every close() of a descriptor that was not open (EBADF) in the test
# process, with its stack: a double close also closes whatever the number was reused for meanwhile (another test's
# socket or SQLite file), which shows up as rare, unrelated-looking failures. Closes made by posix_spawn in a child
# before exec are left out. Slow (timing-sensitive tests may time out under strace; that is not what this checks).
#
#   scripts/double-close.sh            (needs: apt-get install -y strace)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v strace >/dev/null || { echo "strace is missing: apt-get install -y strace"; exit 1; }
swift build --build-tests >/dev/null
trace=$(mktemp)
trap 'rm -f "$trace"' EXIT
strace -f -qq -k -Z -e trace=close -e signal=none -o "$trace" \
    .build/debug/ClearancePackageTests.xctest --testing-library swift-testing >/dev/null 2>&1 || true
python3 - "$trace" <<'PY'
import collections, re, sys
lines = open(sys.argv[1]).read().split("\n")
stacks = collections.Counter()
for i, line in enumerate(lines):
    if "EBADF" not in line:
        continue
    frames = []
    for frame in lines[i + 1:]:
        if not frame.startswith(" > "):
            break
        match = re.search(r"\(([^)+]+)\+", frame)
        frames.append(match.group(1) if match else frame.strip())
    if any("posix_spawn" in f for f in frames):
        continue
    stacks[" <- ".join(f for f in frames[:8] if not f.startswith("__close"))] += 1
for stack, count in stacks.most_common():
    print(f"{count} double close: {stack}\n")
print("no double close" if not stacks else f"{sum(stacks.values())} double closes")
sys.exit(1 if stacks else 0)
PY
