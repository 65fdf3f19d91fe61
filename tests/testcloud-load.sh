#!/bin/sh
# cu-testcloud into the throwaway database: both Blazar schemas load without
# warnings, row counts match the generator's, identifying values survive
# escaping, quirks are in the rows, and the JSON blobs have nova's shape.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/lib/testdb.sh"
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }
gen=$top_builddir/cu-testcloud

work=$(mktemp -d "${TMPDIR:-/tmp}/cu-tc-load.XXXXXX") || exit 99
trap 'testdb_cleanup; rm -rf "$work"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
q() { testdb_sql "$1" -N; }
quirk() { awk -F'\t' -v s="$1" -v k="$2" '$1==s && $2==k{print $4}' "$work/c/truth/quirks.tsv"; }

# Compare every table's row count with counts.tsv; prints mismatches.
count_mismatches() {
    while IFS="$(printf '\t')" read -r table rows; do
        [ "$table" = table ] && continue
        got=$(q "SELECT COUNT(*) FROM $table")
        [ "$got" = "$rows" ] || echo "$table: $got rows, generator wrote $rows"
    done <"$1/counts.tsv"
}

# Load a site; any warning (truncation, bad value) fails the load.
load_clean() {
    (cd "$1" && mariadb --defaults-file="$TESTDB_CNF" --local-infile=1 --show-warnings \
        <load.sql >"$work/load.out" 2>&1) && [ ! -s "$work/load.out" ]
}

echo "1..30"

"$gen" --out "$work/c" --seed 21 --sites 2 --site-names uc,tacc -n 1200 --quirks all \
    --start 2024-01-01 --end 2024-05-01 || { echo "Bail out! cu-testcloud failed"; exit 1; }

# Site uc: Chameleon Blazar, all quirks.
testdb_start blazar-chameleon || { echo "Bail out! testdb_start failed"; exit 1; }
cnf_uc=$TESTDB_CNF
check "site uc loads into the chameleon schema without warnings" 'load_clean "$work/c/uc"'
[ -s "$work/load.out" ] && sed 's/^/# /' "$work/load.out" | head -5
mism=$(count_mismatches "$work/c/uc")
check "site uc: every table has the generator's row count" '[ -z "$mism" ]'
[ -z "$mism" ] || echo "$mism" | sed 's/^/# /'
check "the instances are there" '[ "$(q "SELECT COUNT(*) FROM nova.instances")" = 1200 ]'

# Foreign keys hold although the load switched their checks off.
orph=$(q "SELECT (SELECT COUNT(*) FROM nova.instance_actions_events e LEFT JOIN nova.instance_actions a ON a.id = e.action_id WHERE a.id IS NULL)
  + (SELECT COUNT(*) FROM nova.instance_actions a LEFT JOIN nova.instances i ON i.uuid = a.instance_uuid WHERE i.uuid IS NULL)
  + (SELECT COUNT(*) FROM nova.instance_extra x LEFT JOIN nova.instances i ON i.uuid = x.instance_uuid WHERE i.uuid IS NULL)
  + (SELECT COUNT(*) FROM blazar.reservations r LEFT JOIN blazar.leases l ON l.id = r.lease_id WHERE l.id IS NULL)
  + (SELECT COUNT(*) FROM blazar.computehost_allocations a LEFT JOIN blazar.computehosts h ON h.id = a.compute_host_id WHERE h.id IS NULL)
  + (SELECT COUNT(*) FROM keystone.project p LEFT JOIN keystone.project d ON d.id = p.domain_id WHERE d.id IS NULL)")
check "no row points at a missing parent" '[ "$orph" = 0 ]'

# Escaping: the odd identifying values arrive byte for byte.
check "a user id with a tab" '[ "$(q "SELECT COUNT(*) FROM keystone.user WHERE id = '"'"'user\tid-tab'"'"'")" = 1 ]'
check "a local user name with a newline" '[ "$(q "SELECT COUNT(*) FROM keystone.local_user WHERE name = '"'"'user\nid-nl'"'"'")" = 1 ]'
check "a project name with a backslash" '[ "$(q "SELECT COUNT(*) FROM keystone.project WHERE name = '"'"'proj\\\\back'"'"'")" = 1 ]'
check "a non-ASCII project name keeps its characters" \
  '[ "$(q "SELECT CHAR_LENGTH(name) FROM keystone.project WHERE name LIKE '"'"'proj%ñandú'"'"'")" = 11 ]'
check "a non-ASCII hypervisor hostname" \
  '[ "$(q "SELECT HEX(hypervisor_hostname) FROM nova.compute_nodes WHERE hypervisor_hostname LIKE '"'"'uc-n%ud-0001'"'"'")" = "$(printf "uc-n\305\223ud-0001" | od -An -tx1 | tr -d " \n" | tr a-f A-F)" ]'
check "a display name with tabs" \
  '[ "$(q "SELECT COUNT(*) FROM nova.instances WHERE display_name = '"'"'vm\twith\ttabs'"'"' AND id = 8")" = 1 ]'

# Quirks, counted in the rows.
zd=$(q "SELECT (SELECT COUNT(*) FROM nova.instances WHERE deleted_at = '0000-00-00 00:00:00')
  + (SELECT COUNT(*) FROM nova.compute_nodes WHERE deleted_at = '0000-00-00 00:00:00')")
check "zero-dates: as many zero deleted_at as reported" '[ "$zd" = "$(quirk uc zero-dates)" ] && [ "$zd" -gt 0 ]'
nf=$(q "SELECT COUNT(*) FROM nova.instance_actions_events WHERE finish_time IS NULL")
check "null-finish: as many events without finish_time as reported" '[ "$nf" = "$(quirk uc null-finish)" ] && [ "$nf" -gt 0 ]'
lr=$(q "SELECT COUNT(*) FROM nova.instances i WHERE i.created_at < (SELECT MIN(c.created_at) FROM nova.compute_nodes c WHERE c.host = i.launched_on)")
check "late-host-record: instances older than their first host record" '[ "$lr" = "$(quirk uc late-host-record)" ] && [ "$lr" -gt 0 ]'
nn=$(q "SELECT COUNT(*) FROM nova.instances WHERE deleted = 0 AND node IS NULL AND vm_state IN ('active','stopped','paused','suspended')")
check "null-node: live instances on a host with node and host NULL" '[ "$nn" -gt 0 ]'
nnh=$(q "SELECT COUNT(*) FROM nova.instances i WHERE deleted = 0 AND node IS NULL AND vm_state IN ('active','stopped','paused','suspended')
  AND NOT EXISTS (SELECT 1 FROM nova.instance_actions a JOIN nova.instance_actions_events e ON e.action_id = a.id
                  WHERE a.instance_uuid = i.uuid AND e.event LIKE 'compute\_%' AND e.host IS NOT NULL)")
check "null-node: their host is in compute_* events" '[ "$nnh" = 0 ]'
ao=$(q "SELECT COUNT(*) FROM blazar.computehost_allocations a JOIN blazar.reservations r ON r.id = a.reservation_id
  JOIN blazar.leases l ON l.id = r.lease_id JOIN blazar.computehosts h ON h.id = a.compute_host_id
  WHERE GREATEST(l.start_date, l.created_at) < h.created_at")
check "alloc-outside: allocations starting before their host was reservable" '[ "$ao" = "$(quirk uc alloc-outside)" ] && [ "$ao" -gt 0 ]'

# JSON blobs: valid, nova's envelopes, agreeing with the instance rows.
bad=$(q "SELECT COUNT(*) FROM nova_api.request_specs r JOIN nova.instances i ON i.uuid = r.instance_uuid
  WHERE NOT JSON_VALID(r.spec)
     OR JSON_VALUE(r.spec, '$.\"nova_object.name\"') <> 'RequestSpec'
     OR JSON_VALUE(r.spec, '$.\"nova_object.data\".flavor.\"nova_object.data\".vcpus') <> i.vcpus
     OR JSON_VALUE(r.spec, '$.\"nova_object.data\".flavor.\"nova_object.data\".memory_mb') <> i.memory_mb
     OR JSON_VALUE(r.spec, '$.\"nova_object.data\".instance_uuid') <> i.uuid")
check "request_specs: valid RequestSpec JSON, flavor agrees with the instance" '[ "$bad" = 0 ]'
bad=$(q "SELECT COUNT(*) FROM nova.instance_extra x JOIN nova.instances i ON i.uuid = x.instance_uuid
  WHERE NOT JSON_VALID(x.flavor) OR JSON_VALUE(x.flavor, '$.cur.\"nova_object.data\".root_gb') <> i.root_gb
     OR JSON_TYPE(JSON_EXTRACT(x.flavor, '$.old')) <> 'NULL'")
check "instance_extra.flavor: cur/old/new envelope agreeing with the instance" '[ "$bad" = 0 ]'
hinted=$(q "SELECT COUNT(*) FROM nova_api.request_specs WHERE JSON_VALUE(spec, '$.\"nova_object.data\".scheduler_hints.reservation[0]') IS NOT NULL
   OR JSON_VALUE(spec, '$.\"nova_object.data\".flavor.\"nova_object.data\".name') LIKE 'reservation:%'")
want=$(awk -F'\t' '$1=="uc" && $5=="reservation"' "$work/c/truth/instance_seconds.tsv" | wc -l)
check "reserved instances in the rows = reserved instances in the truth" '[ "$hinted" -eq "$want" ] && [ "$want" -gt 0 ]'
rt=$(q "SELECT GROUP_CONCAT(DISTINCT resource_type ORDER BY resource_type) FROM blazar.reservations")
check "both Blazar reservation types" '[ "$rt" = "flavor:instance,physical:host" ]'
sd=$(q "SELECT COUNT(*) FROM blazar.computehost_allocations WHERE deleted_at IS NOT NULL")
check "chameleon: ended allocations are soft-deleted" '[ "$sd" -gt 0 ]'

# Site tacc in its own server alongside.
testdb_start blazar-chameleon || { echo "Bail out! second testdb_start failed"; exit 1; }
check "site tacc loads into a second server" 'load_clean "$work/c/tacc"'
mism=$(count_mismatches "$work/c/tacc")
check "site tacc: every table has the generator's row count" '[ -z "$mism" ]'
[ -z "$mism" ] || echo "$mism" | sed 's/^/# /'
a=$(mariadb --defaults-file="$cnf_uc" -N -e "SELECT MIN(hypervisor_hostname) FROM nova.compute_nodes WHERE hypervisor_type = 'QEMU'")
b=$(q "SELECT MIN(hypervisor_hostname) FROM nova.compute_nodes WHERE hypervisor_type = 'QEMU'")
check "the two sites are separate clouds" '[ "${a%%-*}" = uc ] && [ "${b%%-*}" = tacc ]'
testdb_stop

# Upstream Blazar: hard deletes, no soft-delete columns.
"$gen" --out "$work/u" --seed 22 -n 800 --blazar upstream --start 2024-01-01 --end 2024-04-01
testdb_start blazar || { echo "Bail out! testdb_start blazar failed"; exit 1; }
check "upstream blazar loads without warnings" 'load_clean "$work/u/site1"'
[ -s "$work/load.out" ] && sed 's/^/# /' "$work/load.out" | head -5
mism=$(count_mismatches "$work/u/site1")
check "upstream: every table has the generator's row count" '[ -z "$mism" ]'
[ -z "$mism" ] || echo "$mism" | sed 's/^/# /'
ended=$(q "SELECT COUNT(*) FROM blazar.computehost_allocations a JOIN blazar.reservations r ON r.id = a.reservation_id
  JOIN blazar.leases l ON l.id = r.lease_id WHERE l.end_date <= '2024-04-01'")
check "upstream: no allocation of an ended lease is left" '[ "$ended" = 0 ]'

testdb_stop

# scripts/cu-testdb: one command, one server per site, COMMAND's status.
out=$(CU_TESTCLOUD=$gen "$top_srcdir/scripts/cu-testdb" -n 60 --sites 2 --site-names east,west-2 --seed 5 -- \
    sh -c 'for s in $CU_TESTDB_SITES; do v=CU_TESTDB_CNF_$(echo $s | tr a-z- A-Z_); eval "c=\$$v";
           mariadb --defaults-file="$c" -N -e "SELECT COUNT(*) FROM nova.instances"; done;
           test -f "$CU_TESTCLOUD_DIR/truth/spans.tsv" && echo truth' 2>"$work/testdb.err")
check "cu-testdb: a loaded server per site, and the truth, for COMMAND" '[ "$(echo $out)" = "60 60 truth" ]'
grep -q "site west-2: 60 instances" "$work/testdb.err"
check "cu-testdb: reports what it loaded and how long it took" '[ $? = 0 ] && grep -q "started and loaded in" "$work/testdb.err"'
CU_TESTCLOUD=$gen "$top_srcdir/scripts/cu-testdb" -n 20 -- \
    sh -c 'echo "$TESTDB_DIR" >"$0"; echo "$CU_TESTCLOUD_DIR" >>"$0"; exit 7' "$work/dir" 2>/dev/null
s=$?
left=$(while read -r d; do [ -e "$d" ] && echo "$d"; done <"$work/dir")
check "cu-testdb: COMMAND's exit status; server dir and generated files removed" \
  '[ $s = 7 ] && [ "$(wc -l <"$work/dir")" -eq 2 ] && [ -z "$left" ]'
[ -z "$left" ] || echo "# left behind: $left"
