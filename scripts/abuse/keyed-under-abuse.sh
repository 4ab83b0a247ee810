#!/usr/bin/env bash
# Keyed p99 while 100 clients abuse the server (scripts/abuse/pipeline_flood.py): pipelining without reading the
# answers, and exports read one byte a second. Fails when keyed p99 rises past five times its value alone (or 50 ms
# more), or a keyed request fails.
#
#   scripts/abuse/keyed-under-abuse.sh        (needs ../shared/lists)
set -euo pipefail
cd "$(dirname "$0")/../.."
LISTS=${LISTS:-../shared/lists}
. scripts/lib.sh
prepare_shared_run || exit 0
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
key=$("$bin" keys create --role screen --role audit --name abuse --database "$db")
start_server 18211 "$db"
# Decisions to export: enough that an export outlasts its slow reader.
for _ in $(seq 20); do
    curl -s -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        --data "[$(printf '{"name":"Supplier %s"},' $(seq 500) | sed 's/,$//')]" http://127.0.0.1:18211/screen/batch
done
status=0
python3 scripts/abuse/pipeline_flood.py --port 18211 --key "$key" --mode pipeline || status=1
python3 scripts/abuse/pipeline_flood.py --port 18211 --key "$key" --mode export || status=1
exit $status
