# Throwaway MariaDB server for tests, the demo and benchmarks (POSIX sh,
# sourced, not run):
#
#   . "$top_srcdir/tests/lib/testdb.sh"
#   testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }
#   testdb_start [blazar|blazar-chameleon|none]   # default: blazar
#   testdb_sql "SELECT COUNT(*) FROM nova.instances"
#   mariadb --defaults-file="$TESTDB_CNF" nova < file.sql
#   testdb_stop                                    # optional: the trap does it
#
# testdb_start makes a fresh temp dir, creates a data dir in it with
# mariadb-install-db, starts mariadbd on a unix socket there (no TCP), waits
# until it answers, loads the OpenStack schema fixtures (nova, nova_api,
# keystone and the chosen blazar variant; "none" loads no schema) and exports
#   TESTDB_DIR     the temp dir (removed on stop)
#   TESTDB_SOCKET  the server's unix socket
#   TESTDB_CNF     a client option file: [client] socket=..., user=root
# Grants work normally: root connects over the socket without a password, and
# a test may create least-privilege users.
#
# Cleanup: testdb_start installs a trap on EXIT (and HUP/INT/TERM, which exit
# with 128+signal) that stops every server this shell started and removes
# their dirs, also when the test fails or is interrupted. A caller that needs
# its own EXIT trap must call testdb_cleanup from it. Calling testdb_start again
# starts another, independent server (e.g. one per site); TESTDB_* then
# describe the newest one, so save them before the second call.
#
# Tunables (environment): TESTDB_BUFFER_POOL (default 512M), TESTDB_LOG_SIZE
# (InnoDB redo log, default 128M),
# TESTDB_START_TIMEOUT seconds (default 30), TESTDB_TMPDIR (default $TMPDIR
# or /tmp; keep it short: a unix socket path has ~100 bytes at most),
# TESTDB_SCHEMA_DIR (default $top_srcdir/tests/fixtures/openstack-schema).
# TESTDB_ZUN=1 loads the zun schema too (CHI@Edge containers).

TESTDB_ALL_DIRS=${TESTDB_ALL_DIRS-}

# Find an executable in PATH or in the sbin dirs a distribution puts
# mariadbd in (not always in a user's PATH).
testdb__find() {
    for _tdb_name in "$@"; do
        for _tdb_d in $(printf '%s' "$PATH" | tr ':' ' ') /usr/sbin /usr/local/sbin \
                /usr/libexec /usr/local/mysql/bin; do
            if [ -x "$_tdb_d/$_tdb_name" ] && [ ! -d "$_tdb_d/$_tdb_name" ]; then
                printf '%s\n' "$_tdb_d/$_tdb_name"
                return 0
            fi
        done
    done
    return 1
}

testdb_available() {
    testdb__find mariadbd mysqld >/dev/null 2>&1 &&
        testdb__find mariadb-install-db mysql_install_db >/dev/null 2>&1 &&
        testdb__find mariadb mysql >/dev/null 2>&1
}

testdb__schema_dir() {
    if [ -n "${TESTDB_SCHEMA_DIR-}" ]; then
        printf '%s\n' "$TESTDB_SCHEMA_DIR"
    elif [ -n "${top_srcdir-}" ]; then
        printf '%s\n' "$top_srcdir/tests/fixtures/openstack-schema"
    else
        # sourced from a script that did not set top_srcdir: this file is in
        # tests/lib; $0 is the sourcing script, often in tests/.
        printf '%s\n' "$(cd "$(dirname "$0")" && pwd)/fixtures/openstack-schema"
    fi
}

testdb__fail() {
    echo "testdb: $*" >&2
    return 1
}

# Stop the server whose dir is $1 (shutdown, then TERM, then KILL).
testdb__stop_one() {
    _tdb_dir=$1
    [ -d "$_tdb_dir" ] || return 0
    _tdb_pid=
    [ -f "$_tdb_dir/mariadbd.pid" ] && _tdb_pid=$(cat "$_tdb_dir/mariadbd.pid" 2>/dev/null)
    [ -z "$_tdb_pid" ] && [ -f "$_tdb_dir/server.pid" ] && _tdb_pid=$(cat "$_tdb_dir/server.pid")
    if [ -n "$_tdb_pid" ] && kill -0 "$_tdb_pid" 2>/dev/null; then
        "$(testdb__find mariadb-admin mysqladmin)" --defaults-file="$_tdb_dir/client.cnf" \
            --connect-timeout=5 shutdown >/dev/null 2>&1 || kill "$_tdb_pid" 2>/dev/null
        _tdb_i=0
        while kill -0 "$_tdb_pid" 2>/dev/null && [ $_tdb_i -lt 100 ]; do
            sleep 0.1
            _tdb_i=$((_tdb_i + 1))
        done
        if kill -0 "$_tdb_pid" 2>/dev/null; then
            kill -9 "$_tdb_pid" 2>/dev/null
            sleep 0.2
        fi
    fi
    rm -rf "$_tdb_dir"
}

testdb_stop() {
    if [ -n "${TESTDB_DIR-}" ]; then
        testdb__stop_one "$TESTDB_DIR"
        _tdb_rest=
        for _tdb_x in $TESTDB_ALL_DIRS; do
            [ "$_tdb_x" = "$TESTDB_DIR" ] || _tdb_rest="$_tdb_rest $_tdb_x"
        done
        TESTDB_ALL_DIRS=$_tdb_rest
        unset TESTDB_DIR TESTDB_SOCKET TESTDB_CNF
    fi
}

testdb_cleanup() {
    for _tdb_x in $TESTDB_ALL_DIRS; do
        testdb__stop_one "$_tdb_x"
    done
    TESTDB_ALL_DIRS=
}

testdb__on_exit() {
    _tdb_status=$?
    testdb_cleanup
    exit $_tdb_status
}

testdb_start() {
    _tdb_variant=${1:-blazar}
    case $_tdb_variant in
    blazar | blazar-chameleon | none) ;;
    *) testdb__fail "unknown schema variant '$_tdb_variant' (blazar, blazar-chameleon, none)"
       return 1 ;;
    esac
    testdb_available || { testdb__fail "mariadbd not installed"; return 1; }
    _tdb_mariadbd=$(testdb__find mariadbd mysqld)
    _tdb_install=$(testdb__find mariadb-install-db mysql_install_db)
    _tdb_client=$(testdb__find mariadb mysql)
    _tdb_admin=$(testdb__find mariadb-admin mysqladmin)
    _tdb_schema=$(testdb__schema_dir)
    if [ "$_tdb_variant" != none ] && [ ! -f "$_tdb_schema/nova.sql" ]; then
        testdb__fail "schema fixtures not found in $_tdb_schema"
        return 1
    fi

    _tdb_dir=$(mktemp -d "${TESTDB_TMPDIR:-${TMPDIR:-/tmp}}/cu-db.XXXXXX") ||
        { testdb__fail "mktemp failed"; return 1; }
    TESTDB_ALL_DIRS="$TESTDB_ALL_DIRS $_tdb_dir"
    trap testdb__on_exit EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM

    _tdb_user=
    [ "$(id -u)" = 0 ] && _tdb_user=--user=root
    # One option set for install-db and the server: small and fast, durability
    # traded for speed (this data lives for one test).
    cat >"$_tdb_dir/server.cnf" <<EOF
[mariadbd]
datadir=$_tdb_dir/data
socket=$_tdb_dir/mysql.sock
pid-file=$_tdb_dir/mariadbd.pid
log-error=$_tdb_dir/error.log
tmpdir=$_tdb_dir
skip-networking
skip-name-resolve
skip-log-bin
local-infile=1
secure-file-priv=$_tdb_dir
character-set-server=utf8mb3
collation-server=utf8mb3_general_ci
innodb-buffer-pool-size=${TESTDB_BUFFER_POOL:-512M}
innodb-log-file-size=${TESTDB_LOG_SIZE:-128M}
innodb-log-buffer-size=32M
innodb-flush-log-at-trx-commit=0
innodb-flush-method=nosync
innodb-doublewrite=0
sync-binlog=0
performance-schema=0
max-allowed-packet=256M
max-connections=50
EOF
    cat >"$_tdb_dir/client.cnf" <<EOF
[client]
socket=$_tdb_dir/mysql.sock
user=root
default-character-set=utf8mb4
[mariadb-client]
local-infile=1
EOF
    if ! "$_tdb_install" --defaults-file="$_tdb_dir/server.cnf" $_tdb_user \
            --auth-root-authentication-method=normal --skip-test-db \
            >"$_tdb_dir/install.log" 2>&1; then
        cat "$_tdb_dir/install.log" >&2
        testdb__fail "mariadb-install-db failed"
        return 1
    fi
    "$_tdb_mariadbd" --defaults-file="$_tdb_dir/server.cnf" $_tdb_user \
        </dev/null >>"$_tdb_dir/error.log" 2>&1 &
    echo $! >"$_tdb_dir/server.pid"

    _tdb_limit=$(( ${TESTDB_START_TIMEOUT:-30} * 10 ))
    _tdb_i=0
    until "$_tdb_admin" --defaults-file="$_tdb_dir/client.cnf" --connect-timeout=2 \
            ping >/dev/null 2>&1; do
        _tdb_i=$((_tdb_i + 1))
        if [ $_tdb_i -ge $_tdb_limit ] || ! kill -0 "$(cat "$_tdb_dir/server.pid")" 2>/dev/null; then
            echo "testdb: mariadbd did not start; its error log:" >&2
            cat "$_tdb_dir/error.log" >&2
            return 1
        fi
        sleep 0.1
    done

    TESTDB_DIR=$_tdb_dir
    TESTDB_SOCKET=$_tdb_dir/mysql.sock
    TESTDB_CNF=$_tdb_dir/client.cnf
    export TESTDB_DIR TESTDB_SOCKET TESTDB_CNF

    if [ "$_tdb_variant" != none ]; then
        _tdb_zun=
        [ "${TESTDB_ZUN:-0}" = 0 ] || _tdb_zun=zun
        for _tdb_f in nova nova_api "$_tdb_variant" keystone $_tdb_zun; do
            "$_tdb_client" --defaults-file="$TESTDB_CNF" <"$_tdb_schema/$_tdb_f.sql" ||
                { testdb__fail "loading $_tdb_f.sql failed"; return 1; }
        done
    fi
    return 0
}

# testdb_sql "SQL" [mariadb options...]: run SQL, tab-separated output with
# a header line (--batch); add -N to drop the header.
testdb_sql() {
    _tdb_q=$1
    shift
    "$(testdb__find mariadb mysql)" --defaults-file="$TESTDB_CNF" --batch "$@" -e "$_tdb_q"
}

# testdb_load DIR: load one site written by cu-testcloud (DIR/load.sql and
# its LOAD DATA files) into the current server. The tables are loaded by
# TESTDB_LOAD_JOBS parallel sessions (default: the number of CPUs, at most
# 4), the biggest files first, each session with load.sql's settings; any
# warning (a truncated or invalid value) makes the load fail.
testdb_load() {
    _tdb_src=$1
    [ -f "$_tdb_src/load.sql" ] || { testdb__fail "$_tdb_src/load.sql not found"; return 1; }
    _tdb_jobs=${TESTDB_LOAD_JOBS:-$(nproc 2>/dev/null || echo 2)}
    [ "$_tdb_jobs" -gt 4 ] && _tdb_jobs=4
    [ "$_tdb_jobs" -lt 1 ] && _tdb_jobs=1
    _tdb_w=$(mktemp -d "$TESTDB_DIR/load.XXXXXX") || return 1
    awk '/^LOAD DATA/ { exit } /^SET / { print }' "$_tdb_src/load.sql" >"$_tdb_w/head.sql"
    # size<TAB>statement, biggest first; each goes to the least loaded job
    grep '^LOAD DATA' "$_tdb_src/load.sql" | while IFS= read -r _tdb_l; do
        _tdb_f=$(printf '%s\n' "$_tdb_l" | sed "s/^LOAD DATA LOCAL INFILE '\([^']*\)'.*/\1/")
        printf '%s\t%s\n' "$(wc -c <"$_tdb_src/$_tdb_f")" "$_tdb_l"
    done | sort -t "$(printf '\t')" -k1,1nr | awk -F'\t' -v n="$_tdb_jobs" -v w="$_tdb_w" '
        { best = 0; for (j = 1; j < n; j++) if (load[j] < load[best]) best = j
          load[best] += $1; print $2 >> (w "/job" best ".sql") }'
    _tdb_pids=
    for _tdb_j in "$_tdb_w"/job*.sql; do
        [ -f "$_tdb_j" ] || continue
        (cd "$_tdb_src" && { cat "$_tdb_w/head.sql" "$_tdb_j"; echo "COMMIT;"; } |
            "$(testdb__find mariadb mysql)" --defaults-file="$TESTDB_CNF" --local-infile=1 \
                --batch --show-warnings >"$_tdb_j.out" 2>&1) &
        _tdb_pids="$_tdb_pids $!"
    done
    _tdb_ok=0
    for _tdb_p in $_tdb_pids; do
        wait "$_tdb_p" || _tdb_ok=1
    done
    for _tdb_j in "$_tdb_w"/job*.sql.out; do
        if [ -s "$_tdb_j" ]; then
            head -5 "$_tdb_j" >&2
            _tdb_ok=1
        fi
    done
    rm -rf "$_tdb_w"
    [ $_tdb_ok = 0 ] || testdb__fail "loading $_tdb_src failed"
}
