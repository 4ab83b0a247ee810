#!/usr/bin/env bash
# Connection soak: 100,000 connections (by default) opened and closed against a plain HTTP server, and a quarter as
# many against a TLS one, each in the mix scripts/soak/connection_churn.py describes (keep-alive, Connection: close,
# keyless, reset mid-head). Fails unless each server lives, its threads and resident memory stay flat, and keyed p99
# is unchanged. Both servers screen against every shared list.
#
#   scripts/soak/connections.sh [connections]        (needs ../shared/lists and openssl)
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-100000}
LISTS=${LISTS:-../shared/lists}
. scripts/lib.sh
prepare_shared_run || exit 0
trap 'kill "${server:-}" "${tls_server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
key=$("$bin" keys create --role screen --name soak --database "$db")
cp "$db" "$work/tls.sqlite"

start_server 18201 "$db"
python3 scripts/soak/connection_churn.py --port 18201 --pid "$server" --key "$key" --count "$COUNT"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
"$bin" serve --port 18202 --database "$work/tls.sqlite" --sync-interval 0 --log-level error \
    --tls-certificate "$work/cert.pem" --tls-key "$work/key.pem" 2>/dev/null &
tls_server=$!
for _ in $(seq 600); do curl -skf https://127.0.0.1:18202/readyz >/dev/null && break; sleep 0.1; done
python3 scripts/soak/connection_churn.py --port 18202 --pid "$tls_server" --key "$key" --tls --count $((COUNT / 4))
