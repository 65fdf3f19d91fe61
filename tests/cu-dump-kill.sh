#!/bin/sh
# The connection killed from another session (KILL) in the middle of a
# table (and, with the same set-up, the snapshot isolation of a run): cu-dump exits 1 naming the table and the rows read so far, and an
# archive run leaves nothing that looks complete (no MANIFEST.tsv, no file
# for the table, no temporary file; MANIFEST.incomplete.tsv says why).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/testdb.sh"
. "$top_srcdir/tests/lib/tap.sh"
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }

testdb_start blazar || bail_out "no test database"
tmp=$TESTDB_DIR/t
mkdir -p "$tmp"
# 300000 events: far more than the socket buffers hold, so the server is
# still sending when we stop the client.
testdb_sql "SET SESSION foreign_key_checks = 0; USE nova;
    INSERT INTO instance_actions_events (id, action_id, event, start_time, finish_time, result, host)
    SELECT seq, seq, 'compute_stop_instance', '2024-01-01 00:00:00' + INTERVAL seq SECOND,
           '2024-01-01 00:00:05' + INTERVAL seq SECOND, 'Success', CONCAT('host-', seq % 97)
    FROM seq_1_to_300000" >/dev/null || bail_out data

# Wait (up to 1000 polls) for cu-dump's query on the events table; its
# connection id in _id, empty if it never showed.
wait_for_events_query() {
    _id=
    _i=0
    while [ $_i -lt 1000 ] && [ -z "$_id" ]; do
        _id=$(testdb_sql "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE 'SELECT %FROM \`nova\`.\`instance_actions_events\`%'" -N)
        [ -n "$_id" ] || sleep 0.01
        _i=$((_i + 1))
    done
}

# Start cu-dump, stop it (SIGSTOP) as soon as its query on the events table
# is running, KILL its connection, let it go on.
kill_mid_table() { # kill_mid_table PID
    wait_for_events_query
    kill -STOP "$1"
    [ -n "$_id" ] && testdb_sql "KILL $_id" >/dev/null
    kill -CONT "$1"
    [ -n "$_id" ]
}

cu-dump --defaults-file="$TESTDB_CNF" --no-progress -o "$tmp/arch" 2>"$tmp/arch.err" &
pid=$!
kill_mid_table $pid
check "archive: the dump's query was found and killed" [ $? -eq 0 ]
wait $pid
check "archive: exit status 1" [ $? -eq 1 ]
check "archive: the message names the table and the rows read so far" \
    has "$tmp/arch.err" "nova.instance_actions_events: lost the server after [1-9][0-9]* rows"
check "archive: no MANIFEST.tsv" [ ! -e "$tmp/arch/MANIFEST.tsv" ]
check "archive: no file for the killed table, no temporary file" \
    sh -c "! ls -A '$tmp/arch' | grep -q -e instance_actions_events -e '^\\.'"
check "archive: MANIFEST.incomplete.tsv: the table failed, with its row count" \
    sh -c "grep '^nova.instance_actions_events	' '$tmp/arch/MANIFEST.incomplete.tsv' | cut -f3,4 | grep -q '^failed	[1-9][0-9]*\$'"
check "archive: MANIFEST.incomplete.tsv: later tables not dumped" \
    sh -c "grep -q '^keystone.project	\\\\N	not_dumped	' '$tmp/arch/MANIFEST.incomplete.tsv'"
check "archive: tables finished before stay, with their files" \
    sh -c "grep -q '^nova.instances	nova.instances.tsv.zst	ok	0	' '$tmp/arch/MANIFEST.incomplete.tsv' && [ -f '$tmp/arch/nova.instances.tsv.zst' ]"

# a good run into the same directory, then a killed one: the old manifest
# must not survive to vouch for a half-replaced archive
cu-dump --defaults-file="$TESTDB_CNF" --no-progress -o "$tmp/arch2" -t nova.instance_actions_events 2>/dev/null
check "archive rerun: first run complete" [ -f "$tmp/arch2/MANIFEST.tsv" ]
cu-dump --defaults-file="$TESTDB_CNF" --no-progress -o "$tmp/arch2" 2>/dev/null &
pid=$!
kill_mid_table $pid
wait $pid
check "archive rerun killed: exit 1 and the old MANIFEST.tsv is gone" \
    sh -c "[ $? -eq 1 ] && [ ! -e '$tmp/arch2/MANIFEST.tsv' ] && [ -e '$tmp/arch2/MANIFEST.incomplete.tsv' ]"

# SIGTERM in the middle of a table: the half-written file goes too
cu-dump --defaults-file="$TESTDB_CNF" --no-progress -o "$tmp/arch3" 2>/dev/null &
pid=$!
_i=0
until [ -n "$(ls -A "$tmp/arch3" 2>/dev/null | grep instance_actions_events)" ] || [ $_i -ge 1000 ]; do
    sleep 0.01; _i=$((_i + 1))
done
kill -TERM $pid
wait $pid
check "archive, SIGTERM mid-table: killed by the signal, no temporary file, no manifest" \
    sh -c "[ $? -eq 143 ] && [ -z \"\$(ls -A '$tmp/arch3' | grep -e '^\\.' -e MANIFEST)\" ]"

cu-dump --defaults-file="$TESTDB_CNF" --no-progress >"$tmp/stream.tsv" 2>"$tmp/stream.err" &
pid=$!
kill_mid_table $pid
wait $pid
check "stream: exit status 1" [ $? -eq 1 ]
check "stream: the message names the table and the rows so far" \
    has "$tmp/stream.err" "nova.instance_actions_events: lost the server after [1-9][0-9]* rows"
rows=$(sed -n "s/.*after \([0-9]*\) rows.*/\1/p" "$tmp/stream.err")
got=$(sed -n '/^#table	nova.instance_actions_events$/,$p' "$tmp/stream.tsv" | sed '1,2d' | wc -l)
check "stream: no more rows written ($got) than counted ($rows), fewer than 300000" \
    sh -c "[ '$got' -le '$rows' ] && [ '$rows' -lt 300000 ]"

# One snapshot for the whole run: a row committed by another session while
# cu-dump is in the middle of an earlier table is not in a later table.
cu-dump --defaults-file="$TESTDB_CNF" --no-progress -o "$tmp/snap" 2>/dev/null &
pid=$!
wait_for_events_query
kill -STOP $pid
testdb_sql "INSERT INTO keystone.project (id, name, domain_id, is_domain) VALUES ('<<keystone.domain.root>>', 'root', '<<keystone.domain.root>>', 1), ('late', 'Late', '<<keystone.domain.root>>', 0)" >/dev/null
kill -CONT $pid
wait $pid
check "snapshot: the run completes" [ $? -eq 0 ]
check "snapshot: a project committed mid-run is not in the dump (but is in the table)" \
    sh -c "! zstd -dc '$tmp/snap/keystone.project.tsv.zst' | grep -q '^late	' && [ \"\$(grep '^keystone.project	' '$tmp/snap/MANIFEST.tsv' | cut -f4)\" = 0 ] && [ \"\$(mariadb --defaults-file='$TESTDB_CNF' -N -e 'SELECT COUNT(*) FROM keystone.project')\" = 2 ]"

tap_done
