#!/bin/sh
# The throwaway database (tests/lib/testdb.sh): starts, loads the schema,
# keeps grants working, loads local files, and cleans up on exit, failure and
# interrupt.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/testdb.sh"
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }

echo "1..14"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

testdb_start || { echo "Bail out! testdb_start failed"; exit 1; }
check "server answers on its socket" '[ -S "$TESTDB_SOCKET" ] && [ -f "$TESTDB_CNF" ]'

dbs=$(testdb_sql "SHOW DATABASES" -N | grep -E '^(nova|nova_api|blazar|keystone)$' | sort | tr '\n' ' ')
check "four schemas loaded" '[ "$dbs" = "blazar keystone nova nova_api " ]'

tables=$(testdb_sql "SELECT CONCAT(table_schema,'.',table_name) FROM information_schema.tables
  WHERE table_schema IN ('nova','nova_api','blazar','keystone')" -N | LC_ALL=C sort | tr '\n' ' ')
want="blazar.computehost_allocations blazar.computehost_extra_capabilities blazar.computehost_reservations blazar.computehosts blazar.instance_reservations blazar.leases blazar.reservations blazar.resource_properties keystone.local_user keystone.project keystone.user nova.compute_nodes nova.instance_actions nova.instance_actions_events nova.instance_extra nova.instance_types nova.instances nova_api.flavor_extra_specs nova_api.flavors nova_api.request_specs "
check "upstream blazar: exactly the fixture tables" '[ "$tables" = "$want" ]'
[ "$tables" = "$want" ] || echo "# got: $tables"

cols=$(testdb_sql "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema='blazar' AND column_name='deleted'" -N)
check "upstream blazar has no soft-delete columns" '[ "$cols" = 0 ]'

# Grants work: a read-only user can read nova but not write it.
testdb_sql "CREATE USER 'ro'@'localhost' IDENTIFIED BY 'pw'; GRANT SELECT ON nova.* TO 'ro'@'localhost'"
check "read-only user can SELECT" \
  '[ "$(mariadb --defaults-file="$TESTDB_CNF" -u ro -ppw -N -e "SELECT COUNT(*) FROM nova.instances" 2>&1)" = 0 ]'
check "read-only user cannot INSERT" \
  '! mariadb --defaults-file="$TESTDB_CNF" -u ro -ppw -e "INSERT INTO nova.instance_types (name,memory_mb,vcpus,swap) VALUES (\"x\",1,1,0)" 2>/dev/null'
check "a wrong password is refused" \
  '! mariadb --defaults-file="$TESTDB_CNF" -u ro -pwrong -e "SELECT 1" 2>/dev/null'

# LOAD DATA LOCAL INFILE (the generator's bulk path) with escapes and UTF-8.
printf 'a\\tb\tr\303\251sum\303\251\n' >"$TESTDB_DIR/in.tsv"
testdb_sql "CREATE DATABASE scratch; CREATE TABLE scratch.t (x VARCHAR(20), y VARCHAR(20)) CHARSET utf8mb3;
  LOAD DATA LOCAL INFILE '$TESTDB_DIR/in.tsv' INTO TABLE scratch.t CHARACTER SET utf8mb4"
got=$(testdb_sql "SELECT HEX(x), CHAR_LENGTH(y) FROM scratch.t" -N)
check "LOAD DATA LOCAL INFILE keeps escapes and UTF-8" '[ "$got" = "$(printf "610962\t6")" ]'
[ "$got" = "$(printf '610962\t6')" ] || echo "# got: $got"

dir1=$TESTDB_DIR
testdb_stop
check "testdb_stop removes the dir" '[ ! -e "$dir1" ] && [ -z "${TESTDB_DIR-}" ]'

testdb_start blazar-chameleon || { echo "Bail out! testdb_start blazar-chameleon failed"; exit 1; }
got=$(testdb_sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='blazar' AND table_name LIKE 'device%'" -N)
check "chameleon variant has the four device tables" '[ "$got" = 4 ]'
got=$(testdb_sql "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema='blazar' AND table_name='computehosts' AND column_name IN ('deleted','deleted_at','disabled')" -N)
check "chameleon computehosts has soft-delete columns" '[ "$got" = 3 ]'

# A second server alongside (one per site): independent data.
cnf1=$TESTDB_CNF
testdb_start none || { echo "Bail out! second testdb_start failed"; exit 1; }
got=$(testdb_sql "SHOW DATABASES LIKE 'nova'" -N)
got1=$(mariadb --defaults-file="$cnf1" -N -e "SHOW DATABASES LIKE 'nova'")
check "a second server runs alongside, empty (variant none)" '[ "$cnf1" != "$TESTDB_CNF" ] && [ -z "$got" ] && [ "$got1" = nova ]'

# The trap: a failing test and an interrupted test leave nothing behind.
out=$(top_srcdir=$top_srcdir sh -c '. "$top_srcdir/tests/lib/testdb.sh"; testdb_start none >/dev/null || exit 3
  echo "$TESTDB_DIR $(cat "$TESTDB_DIR/mariadbd.pid")"; exit 1')
status=$?
d=${out% *}; pid=${out#* }
check "failing test: exit status kept, dir removed, server gone" \
  '[ $status = 1 ] && [ -n "$d" ] && [ ! -e "$d" ] && ! kill -0 "$pid" 2>/dev/null'
out=$(top_srcdir=$top_srcdir sh -c '. "$top_srcdir/tests/lib/testdb.sh"; testdb_start none >/dev/null || exit 3
  echo "$TESTDB_DIR $(cat "$TESTDB_DIR/mariadbd.pid")"; kill -TERM $$; sleep 30')
status=$?
d=${out% *}; pid=${out#* }
check "interrupted test (TERM): dir removed, server gone" \
  '[ $status = 143 ] && [ -n "$d" ] && [ ! -e "$d" ] && ! kill -0 "$pid" 2>/dev/null'
