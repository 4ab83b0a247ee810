# Shared by the benchmark and evaluation scripts: a release build and a database loaded with the shared lists.

# Builds the release binary (with the package traits in $TRAITS, if set) and sets $bin; with $CLEARANCE_BIN set,
# uses that binary instead (scripts/eval/all.sh measures another revision's build that way).
build_release() {
    if [ -n "${CLEARANCE_BIN:-}" ]; then bin=$CLEARANCE_BIN; return; fi
    swift build -c release ${TRAITS:+--traits "$TRAITS"} --product clearance >/dev/null
    bin=.build/release/clearance
}

# Migrates database $1 (a file or a postgres:// URL) and imports every list in $2 (../shared/lists): OFAC SDN 2021, OFAC consolidated, US CSL, UN
# (and an own list in $2/pairs/entries.json, if there is one).
load_shared_lists() {
    local db=$1 lists=$2
    "$bin" migrate --database "$db" >/dev/null
    "$bin" lists import --list ofac-sdn --format ofac-csv --database "$db" "$lists"/ofac-sdn-2021/*.csv
    "$bin" lists import --list ofac-consolidated --format ofac-csv --database "$db" "$lists"/ofac-consolidated/*.csv
    "$bin" lists import --list us-csl --format csl-csv --database "$db" "$lists"/us-csl/consolidated.csv
    "$bin" lists import --list un --format un-xml --database "$db" "$lists"/un/consolidated.xml
    # An own list beside them, when the folder has one (scripts/eval/pairs-eval.sh).
    if [ -f "$lists/pairs/entries.json" ]; then
        "$bin" lists import --list pairs --format clearance-json --database "$db" "$lists/pairs/entries.json"
    fi
}

# Starts `clearance serve` on port $1 with database $2 (and further flags; no list sync), sets $server, waits until
# ready. The corpus is the shared lists alone, as the measurements in docs/ were taken; BUILT_IN_LISTS=1 adds the
# built-in procurement lists as `serve` installs them by default. The log
# goes to $SERVER_LOG (discarded by default) at $LOG_LEVEL (error by default; info logs every request).
start_server() {
    local port=$1 db=$2
    shift 2
    local builtin=--without-built-in-lists
    # A build from before the built-in lists has neither them nor the flag.
    if [ "${BUILT_IN_LISTS:-0}" = 1 ] || ! "$bin" serve --help 2>/dev/null | grep -q without-built-in-lists; then builtin=; fi
    "$bin" serve --port "$port" --database "$db" --sync-interval 0 --log-level "${LOG_LEVEL:-error}" $builtin "$@" 2>"${SERVER_LOG:-/dev/null}" &
    server=$!
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0; sleep 0.1; done
    echo "the server on port $port did not become ready" >&2
    return 1
}

# For the load scripts: needs wrk and the shared lists ($LISTS); raises the descriptor limit, builds, and sets $work
# (a temporary folder) and $db (in it, loaded with the shared lists). Says why and returns 1 without the lists.
prepare_load_run() {
    command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
    prepare_shared_run
}

# As prepare_load_run, without wrk (the soak and abuse scripts drive the server from Python).
prepare_shared_run() {
    [ -d "$LISTS" ] || { echo "skipped: $LISTS is not present"; return 1; }
    ulimit -n "$(ulimit -Hn)"
    build_release
    work=$(mktemp -d)
    db="$work/bench.sqlite"
    load_shared_lists "$db" "$LISTS" >/dev/null
}

# For the evaluation scripts: builds, loads the shared lists in $2 into a temporary database, creates a key with the
# roles given after it, and serves on port $1; sets $work, $db, $key and $server, and cleans up on exit.
serve_shared_lists() {
    local port=$1 lists=$2
    shift 2
    build_release
    work=$(mktemp -d)
    trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
    db="$work/eval.sqlite"
    load_shared_lists "$db" "$lists" >&2
    key=$("$bin" keys create "$@" --name eval --database "$db")
    start_server "$port" "$db"
}

# Starts nginx answering `return 200` on port $1, plus any server blocks given in $2, with its files in $work;
# stop_nginx stops it.
start_nginx() {
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is missing: apt-get install -y nginx-light"; exit 1; }
    cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/error.log;
daemon on;
events { worker_connections 20000; }
http {
    access_log off;
    server { listen 127.0.0.1:$1; location / { return 200 '{"status":"ok"}'; } }
    ${2:-}
}
NGINX
    /usr/sbin/nginx -p "$work" -c "$work/nginx.conf"
}

stop_nginx() { /usr/sbin/nginx -p "$work" -c "$work/nginx.conf" -s stop 2>/dev/null || true; }

# Starts a throwaway PostgreSQL cluster in $work/pg on port $1 with its default durability (fsync and
# synchronous_commit on), creates database $2, and sets $pg (its URL); stop_postgres stops it. PostgreSQL refuses to
# run as root: run as root, the cluster is the postgres user's.
start_postgres() {
    local port=$1 name=$2
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    pgdir="$work/pg"
    mkdir -p "$pgdir"
    as_postgres=()
    if [ "$(id -u)" = 0 ]; then
        chmod 755 "$work"
        chown postgres "$pgdir"
        as_postgres=(runuser -u postgres --)
    fi
    "${as_postgres[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U clearance >/dev/null
    "${as_postgres[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" -l "$pgdir/server.log" -w start >/dev/null
    psql -q -h 127.0.0.1 -p "$port" -U clearance -d postgres -c "CREATE DATABASE $name"
    pg="postgres://clearance@127.0.0.1:$port/$name"
}

stop_postgres() { [ -n "${pgdir:-}" ] || return 0; "${as_postgres[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null || true; }

# The median of the numbers given (the ratio of alternating pairs).
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# wrk -t2 at $CONNECTIONS (64) for $DURATION seconds on URL $1 (further wrk arguments after it); prints requests/s,
# p99 in ms, and errors (non-2xx answers and socket errors).
wrk_load() {
    local url=$1
    shift
    wrk --latency -t2 -c"${CONNECTIONS:-64}" -d"${DURATION}s" --timeout 10s "$@" "$url" | awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec/ { rps = $2 } / 99%/ { p99 = ms($2) } /Non-2xx/ { errors += $NF }
        /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
        END { printf "%.0f %.1f %d\n", rps, p99, errors }'
}
