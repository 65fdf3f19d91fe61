#!/bin/sh
# cu-dump as a least-privilege user created from its own --grant-sql output:
# the dump works and equals root's; nothing else is readable; a missing
# grant gives a warning with the GRANT needed (an error with --strict).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/testdb.sh"
. "$top_srcdir/tests/lib/tap.sh"
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }

testdb_start blazar || bail_out "no test database"
tmp=$TESTDB_DIR/t
mkdir -p "$tmp"
# the hand-written cloud minus what the upstream Blazar schema lacks
sed -e '/^-- cell 1/,/^-- blazar/d' -e '/^INSERT INTO blazar/,/;$/d' \
    "$top_srcdir/tests/data/cu-dump/cloud.sql" |
    mariadb --defaults-file="$TESTDB_CNF" || bail_out cloud.sql
R="cu-dump --defaults-file=$TESTDB_CNF --no-progress"
U="cu-dump --defaults-file=/dev/null -S $TESTDB_SOCKET -u cu_ro --no-progress"

$R --grant-sql -u cu_ro -h localhost >"$tmp/grants.sql" 2>"$tmp/grants.err"
check "--grant-sql exits 0" [ $? -eq 0 ]
check "--grant-sql: column-level grant for instances, without user_data" \
    sh -c "grep -q '^GRANT SELECT (\`uuid\`, \`created_at\`.*) ON \`nova\`.\`instances\` TO '\\''cu_ro'\\''@'\\''localhost'\\'';\$' '$tmp/grants.sql' && ! grep -q user_data '$tmp/grants.sql'"
check "--grant-sql: the JSON blob column is granted (it is read)" \
    has "$tmp/grants.sql" '(`instance_uuid`, `created_at`, `updated_at`, `spec`) ON `nova_api`.`request_specs`'
check "--grant-sql: upstream Blazar has no soft-delete columns: not granted" \
    sh -c "grep 'ON \`blazar\`.\`leases\`' '$tmp/grants.sql' | grep -v -q deleted"
check "--grant-sql: absent optional tables are comments" \
    has "$tmp/grants.sql" '^-- blazar.devices: absent, not granted$'

testdb_sql "CREATE USER 'cu_ro'@'localhost'" >/dev/null
mariadb --defaults-file="$TESTDB_CNF" <"$tmp/grants.sql"
check "the GRANT statements apply" [ $? -eq 0 ]

$R >"$tmp/root.tsv" 2>/dev/null
$U >"$tmp/ro.tsv" 2>"$tmp/ro.err"
check "least-privilege user: dump exits 0" [ $? -eq 0 ]
check "least-privilege user: same stream as root" cmp -s "$tmp/root.tsv" "$tmp/ro.tsv"
check "least-privilege user: no warnings but the zero date and the bad JSON" \
    [ "$(grep -c warning "$tmp/ro.err")" -eq 3 ]
$U --start 2024-01-01 --end 2024-02-01 >/dev/null 2>&1
check "least-privilege user: window filters need nothing more" [ $? -eq 0 ]
$R --trace --grant-sql -u cu_ro -h localhost | mariadb --defaults-file="$TESTDB_CNF"
$U --trace --no-trailers >"$tmp/trace.tsv" 2>&1
check "least-privilege user: trace with --trace --grant-sql's grants" \
    [ "$(wc -l <"$tmp/trace.tsv")" -eq 6 ]

secret() { mariadb --defaults-file=/dev/null -S "$TESTDB_SOCKET" -u cu_ro -N -e "$1" 2>/dev/null; }
check "least-privilege user cannot read instances.user_data" [ -z "$(secret 'SELECT user_data FROM nova.instances')" ]
check "least-privilege user cannot read request_specs beyond the grant" [ -z "$(secret 'SELECT id FROM nova_api.request_specs')" ]
check "least-privilege user cannot read keystone.user" [ -z "$(secret 'SELECT id FROM keystone.user')" ]
check "least-privilege user cannot write" \
    sh -c "! mariadb --defaults-file=/dev/null -S '$TESTDB_SOCKET' -u cu_ro -e \"UPDATE nova.instances SET host = 'x'\" 2>/dev/null"

testdb_sql "REVOKE SELECT (\`node\`) ON nova.instances FROM 'cu_ro'@'localhost'; REVOKE ALL ON keystone.project FROM 'cu_ro'@'localhost'" >/dev/null
$U -o "$tmp/arch" 2>"$tmp/denied.err"
check "denied table/column: exit 0 without --strict" [ $? -eq 0 ]
check "denied table: the warning names the GRANT needed" \
    has "$tmp/denied.err" "keystone.project: access denied.*needed: GRANT SELECT (\`id\`, \`name\`, \`domain_id\`, \`parent_id\`, \`is_domain\`, \`enabled\`) ON \`keystone\`.\`project\` TO 'cu_ro'@'localhost';"
check "denied column: the warning names it and the GRANT needed" \
    has "$tmp/denied.err" "nova.instances: access denied to columns node; needed: GRANT SELECT (\`node\`) ON \`nova\`.\`instances\` TO 'cu_ro'@'localhost';"
check "denied table: manifest status denied" \
    sh -c "grep -q '^keystone.project	\\\\N	denied	' '$tmp/arch/MANIFEST.tsv'"
$U -t keystone.project --strict >/dev/null 2>"$tmp/strict.err"
check "denied table with --strict: exit 1" [ $? -eq 1 ]
check "denied table with --strict: the error names the table" \
    has "$tmp/strict.err" "^cu-dump: keystone.project: access denied"
# a denied table reaches cu-spans, through cu-mask, as a stream and as an
# archive: an error unless allowed, never spans that are silently short
testdb_sql "GRANT SELECT (\`node\`) ON nova.instances TO 'cu_ro'@'localhost'; REVOKE ALL ON nova.instance_actions FROM 'cu_ro'@'localhost'" >/dev/null
$U >"$tmp/denied-stream.tsv" 2>/dev/null
check "denied table in a stream: said with #status" \
    has "$tmp/denied-stream.tsv" "^#status	nova.instance_actions	denied$"
cu-mask "$tmp/denied-stream.tsv" 2>/dev/null | cu-spans --skip-bad >/dev/null 2>"$tmp/spans-denied.err"
check "denied table through cu-mask: cu-spans exits 1 naming it" \
    sh -c "[ $? -eq 1 ] && grep -q 'table nova.instance_actions is denied, and cu-spans needs it' '$tmp/spans-denied.err'"
$U -o "$tmp/arch-denied" 2>/dev/null
cu-spans --skip-bad "$tmp/arch-denied" >/dev/null 2>"$tmp/spans-denied2.err"
check "denied table in an archive: cu-spans exits 1 naming the manifest" \
    sh -c "[ $? -eq 1 ] && grep -q 'arch-denied/MANIFEST.tsv: table nova.instance_actions is denied' '$tmp/spans-denied2.err'"
cu-spans --skip-bad --allow-missing instance_actions --stats "$tmp/arch-denied" >"$tmp/spans-allowed.tsv" 2>"$tmp/spans-allowed.err"
check "--allow-missing: exit 0, a warning and a missing line in --stats" \
    sh -c "[ $? -eq 0 ] && grep -q 'going on without it' '$tmp/spans-allowed.err' && grep -q '^missing	nova.instance_actions	denied$' '$tmp/spans-allowed.err'"
testdb_sql "GRANT SELECT ON nova.instance_actions TO 'cu_ro'@'localhost'" >/dev/null
testdb_sql "REVOKE SELECT (\`vcpus\`) ON nova.instances FROM 'cu_ro'@'localhost'" >/dev/null
$U --trace >"$tmp/trace-denied.tsv" 2>"$tmp/trace-denied.err"
check "trace with a denied column: exit 1 and no trace written" \
    sh -c "[ $? -eq 1 ] && [ ! -s '$tmp/trace-denied.tsv' ]"
check "trace with a denied column: the error names the table and column" \
    has "$tmp/trace-denied.err" "nova.instances cannot be read in full.*vcpus"

# -p: the password read from the terminal with echo off (script(1) gives us
# a terminal)
testdb_sql "CREATE USER 'pw'@'localhost' IDENTIFIED BY 'pw-Secret1'; GRANT SELECT ON keystone.* TO 'pw'@'localhost'" >/dev/null
if command -v script >/dev/null 2>&1; then
    (sleep 1; printf 'pw-Secret1\n') | script -qec "cu-dump --defaults-file=/dev/null -S '$TESTDB_SOCKET' -u pw -p -t keystone.project --no-progress" /dev/null >"$tmp/p.out" 2>&1
    check "-p: prompts on the terminal and connects with what was typed" \
        sh -c "grep -q '^Enter password: ' '$tmp/p.out' && grep -q '^#table	keystone.project' '$tmp/p.out'"
    check "-p: the typed password is not echoed" sh -c "! grep -q pw-Secret1 '$tmp/p.out'"
    (sleep 1; printf 'wrong\n') | script -qec "cu-dump --defaults-file=/dev/null -S '$TESTDB_SOCKET' -u pw -p -t keystone.project --no-progress; echo status=\$?" /dev/null >"$tmp/p2.out" 2>&1
    check "-p: a wrong password is an error (exit 1)" \
        sh -c "grep -q 'Access denied for user' '$tmp/p2.out' && grep -q 'status=1' '$tmp/p2.out'"
else
    for x in 1 2 3; do skip "script(1) not installed"; done
fi
DATABASE_URI='mysql+pymysql://pw:pw%2DSecret1@localhost/keystone' \
    cu-dump --defaults-file=/dev/null -S "$TESTDB_SOCKET" -t keystone.project --no-progress >"$tmp/uri.out" 2>&1
check "DATABASE_URI (mysql+pymysql://, percent-escapes): user and password from it" \
    sh -c "[ $? -eq 0 ] && grep -q '^#table	keystone.project' '$tmp/uri.out'"
setsid cu-dump --defaults-file=/dev/null -S "$TESTDB_SOCKET" -u pw -p --list </dev/null >/dev/null 2>"$tmp/notty.err"
check "-p without a terminal: a clear error, exit 2" \
    sh -c "[ $? -eq 2 ] && grep -q 'no terminal' '$tmp/notty.err'"

tap_done
