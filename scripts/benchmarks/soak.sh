#!/usr/bin/env bash
# Soak: mixed screening, history searches and list reads at 64 connections (wrk), with a list upload every 20 s
# (two CSL editions alternating), for DURATION seconds (30 minutes by default). Prints the server's resident memory
# and open descriptors every minute, then fails unless there were no errors, memory stayed flat (the lowest sample of
# the last third within 20% of the lowest of the middle third: caches and malloc arenas fill in the first minutes, a
# leak keeps lifting the low points) and the audit chain verifies.
#
#   scripts/benchmarks/soak.sh [seconds]        (needs: apt-get install -y wrk; ../shared/lists for the lists)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-1800}
LISTS=${LISTS:-../shared/lists}
PORT=18191
. scripts/lib.sh
prepare_load_run || exit 0
trap 'kill "${server:-}" "${uploader:-}" "${sampler:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
export KEY=$("$bin" keys create --role screen --role audit --role review --database "$db")
ADMIN=$("$bin" keys create --role admin --database "$db")
start_server $PORT "$db"
base="http://127.0.0.1:$PORT"

# Two CSL editions: the shared file, and the same without its last 50 rows.
csl_a="$LISTS/us-csl/consolidated.csv"
csl_b="$work/csl-b.csv"
head -n -50 "$csl_a" > "$csl_b"
(
    failures=0 uploads=0
    while true; do
        for file in "$csl_b" "$csl_a"; do
            sleep 20
            code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ADMIN" \
                --data-binary @"$file" "$base/lists/us-csl/versions?format=csl-csv")
            uploads=$((uploads + 1))
            case $code in 200|201) ;; *) failures=$((failures + 1)); echo "upload answered $code" >&2 ;; esac
            echo "$uploads $failures" > "$work/uploads"
        done
    done
) &
uploader=$!
(
    while true; do
        sleep 60
        echo "$(date +%T) rss_mb=$(awk '/VmRSS/ {printf "%d", $2 / 1024}' /proc/$server/status) fds=$(ls /proc/$server/fd | wc -l)"
    done
) | tee "$work/samples" &
sampler=$!

echo "soak: ${DURATION}s, wrk -t2 -c64, mixed requests, an upload every 20 s"
wrk -t2 -c64 -d"${DURATION}s" --timeout 10s -s scripts/benchmarks/soak.lua "$base" | tee "$work/wrk"
kill "$uploader" "$sampler" 2>/dev/null || true
read -r uploads upload_failures < "$work/uploads" || { uploads=0; upload_failures=0; }
verify=$(curl -s -H "Authorization: Bearer $KEY" "$base/audit/verify")
samples=$(wc -l < "$work/samples")
# The lowest sample of the middle third against the lowest of the last third: a sample can land on an index rebuild
# (tens of MB for a few seconds), the low points cannot; a leak lifts them.
low() { awk -F'rss_mb=' -v from="$1" -v to="$2" 'NR > from && NR <= to {split($2, a, " "); if (min == "" || a[1] + 0 < min) min = a[1] + 0} END {print min}' "$work/samples"; }
first=$(low $((samples / 3)) $((2 * samples / 3)))
last=$(low $((2 * samples / 3)) "$samples")
errors=$(awk '/^errors:/ {print $3 + $5 + $7 + $9 + $11}' "$work/wrk")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk")
echo "uploads: $uploads, failed: $upload_failures; wrk errors: ${errors:-0}; non-2xx answers: ${non2xx:-0}"
echo "rss low point, middle third: ${first:-?} MB, last third: ${last:-?} MB (samples: $(grep -o 'rss_mb=[0-9]*' "$work/samples" | cut -d= -f2 | tr '\n' ' '))"
echo "chain: $verify"
ok=1
[ "${errors:-0}" = 0 ] && [ -z "$non2xx" ] && [ "$upload_failures" = 0 ] || ok=0
echo "$verify" | grep -q '"valid":true' || ok=0
if [ -n "$first" ] && [ -n "$last" ] && [ "$last" -gt $((first * 12 / 10)) ]; then ok=0; fi
[ "$ok" = 1 ] && echo "soak passed" || { echo "soak FAILED"; exit 1; }
