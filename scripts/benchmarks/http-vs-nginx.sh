#!/usr/bin/env bash
# GET /healthz throughput of Clearance against nginx `return 200`, measured in the same run, then again while
# 5,000 idle keep-alive connections are held open. Prints requests/s, the ratio to nginx and the server's memory.
#
#   scripts/benchmarks/http-vs-nginx.sh [seconds-per-run]     (needs: apt-get install -y wrk nginx-light)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
CONNECTIONS=64
IDLE=5000
CLEARANCE_PORT=18181
NGINX_PORT=18182
NGINX_LOGGED_PORT=18183
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
ulimit -n "$(ulimit -Hn)"
. scripts/lib.sh

work=$(mktemp -d)
trap 'kill "${server_pid:-}" "${idle_pid:-}" 2>/dev/null || true; stop_nginx; rm -rf "$work"' EXIT

swift build -c release --product clearance >/dev/null
.build/release/clearance serve --port $CLEARANCE_PORT --database "$work/bench.sqlite" --max-connections 20000 --max-connections-per-address 0 --sync-interval 0 2>/dev/null &
server_pid=$!

# The same, with a buffered access log as Clearance keeps one (like for like; reported second).
start_nginx $NGINX_PORT "server {
        listen 127.0.0.1:$NGINX_LOGGED_PORT;
        access_log $work/access.log combined buffer=64k flush=1s;
        location / { return 200 '{\"status\":\"ok\"}'; }
    }"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$CLEARANCE_PORT/healthz" >/dev/null && break; sleep 0.2; done

rps() { wrk -t2 -c$CONNECTIONS -d"${DURATION}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$server_pid/status"; }

# Alternate the two servers so drift on a shared machine hits both alike.
c1=$(rps "http://127.0.0.1:$CLEARANCE_PORT/healthz"); n1=$(rps "http://127.0.0.1:$NGINX_PORT/")
c2=$(rps "http://127.0.0.1:$CLEARANCE_PORT/healthz"); n2=$(rps "http://127.0.0.1:$NGINX_PORT/")
clearance=$(echo "($c1 + $c2) / 2" | bc -l); nginx=$(echo "($n1 + $n2) / 2" | bc -l)
printf 'wrk -t2 -c%d -d%ss, two alternating runs each\n' $CONNECTIONS "$DURATION"
printf 'clearance GET /healthz : %10.0f req/s  (%s, %s)\n' "$clearance" "$c1" "$c2"
printf 'nginx return 200       : %10.0f req/s  (%s, %s)\n' "$nginx" "$n1" "$n2"
printf 'ratio clearance/nginx  : %.2f\n' "$(echo "$clearance / $nginx" | bc -l)"
l1=$(rps "http://127.0.0.1:$NGINX_LOGGED_PORT/"); c4=$(rps "http://127.0.0.1:$CLEARANCE_PORT/healthz"); l2=$(rps "http://127.0.0.1:$NGINX_LOGGED_PORT/")
logged=$(echo "($l1 + $l2) / 2" | bc -l)
printf 'nginx return 200 with a buffered access log: %10.0f req/s  (%s, %s); clearance meanwhile %s\n' "$logged" "$l1" "$l2" "$c4"
printf 'ratio clearance/nginx with access log       : %.2f  (clearance: mean of its three runs)\n' "$(echo "(2 * $clearance + $c4) / 3 / $logged" | bc -l)"
printf 'server RSS before idle : %s\n' "$(rss)"

python3 scripts/benchmarks/hold_idle.py 127.0.0.1 $CLEARANCE_PORT $IDLE > "$work/idle.log" &
idle_pid=$!
for _ in $(seq 120); do grep -q holding "$work/idle.log" 2>/dev/null && break; sleep 0.5; done
cat "$work/idle.log"
c3=$(rps "http://127.0.0.1:$CLEARANCE_PORT/healthz")
printf 'with %d idle keep-alive connections: %10.0f req/s (%.2f of the run without them)\n' $IDLE "$c3" "$(echo "$c3 / $clearance" | bc -l)"
printf 'server RSS with idle connections   : %s\n' "$(rss)"
open=$(curl -s "http://127.0.0.1:$CLEARANCE_PORT/metrics" | awk '/^clearance_http_open_connections/ {print $2}')
printf 'open connections reported by /metrics: %s\n' "$open"
