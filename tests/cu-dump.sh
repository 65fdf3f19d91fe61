#!/bin/sh
# cu-dump against a throwaway MariaDB with the real OpenStack schema and the
# small hand-written cloud of tests/data/cu-dump/cloud.sql (two nova cells).
# Every expected value below was worked out by hand from that file.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/testdb.sh"
. "$top_srcdir/tests/lib/tap.sh"
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }

testdb_start blazar-chameleon || bail_out "no test database"
tmp=$TESTDB_DIR/t
mkdir -p "$tmp"
# the second cell: the nova schema under another name
sed -e 's/^CREATE DATABASE IF NOT EXISTS `nova`/CREATE DATABASE IF NOT EXISTS `nova_cell1`/' \
    -e 's/^USE `nova`;/USE `nova_cell1`;/' \
    "$top_srcdir/tests/fixtures/openstack-schema/nova.sql" |
    mariadb --defaults-file="$TESTDB_CNF" || bail_out cell1
mariadb --defaults-file="$TESTDB_CNF" <"$top_srcdir/tests/data/cu-dump/cloud.sql" ||
    bail_out "loading cloud.sql"
D="cu-dump --defaults-file=$TESTDB_CNF --no-progress --no-trailers" # outputs checked by content; the trailers have checks of their own
T=$(printf '\t')

# ---------------------------------------------------------------- stream
$D >"$tmp/all.tsv" 2>"$tmp/all.err"
check "default dump exits 0" [ $? -eq 0 ]
check "stream names sections db.table" has "$tmp/all.tsv" "^#table${T}nova.instances\$"
check "keystone and blazar sections present" \
    sh -c "grep -q '^#table${T}keystone.project\$' '$tmp/all.tsv' && grep -q '^#table${T}blazar.devices\$' '$tmp/all.tsv'"
check "secrets are never read (user_data, key_data, traceback, trust_id, extra)" \
    sh -c "! grep -q -e SECRET -e c2VjcmV0 -e secret@ '$tmp/all.tsv'"
check "absent zun is not a warning" sh -c "! grep -q zun '$tmp/all.err'"

# the instances section, exactly
sed -n "/^#table${T}nova.instances\$/,/^#table/p" "$tmp/all.tsv" | sed '$d' >"$tmp/inst.tsv"
cat >"$tmp/inst.want" <<'EOF'
#table	nova.instances
uuid	created_at	updated_at	deleted_at	deleted	launched_at	terminated_at	user_id	project_id	host	node	hostname	display_name	vm_state	power_state	task_state	memory_mb	vcpus	root_gb	ephemeral_gb	instance_type_id	availability_zone
inst-1	2024-01-01T10:00:00Z	\N	\N	0	2024-01-01T10:01:00Z	\N	u-alice	p-one	cmp-1	cmp-1	vm-one	tab\tname	active	\N	\N	2048	2	20	0	\N	\N
inst-2	2024-01-05T00:00:00Z	\N	2024-01-06T12:00:00Z	2	2024-01-05T00:01:00Z	2024-01-06T12:00:00Z	u-bob	p-two	cmp-1	cmp-1	Zürich-北京	line1\nline2 back\\slash	deleted	\N	\N	4096	4	40	0	\N	\N
inst-3	2023-12-01T00:00:00Z	\N	2023-12-15T00:00:00Z	3	2023-12-01T00:01:00Z	2023-12-15T00:00:00Z	u-alice	p-one	cmp-1	cmp-1	old	old	deleted	\N	\N	1024	1	10	0	\N	\N
inst-4	2024-03-01T00:00:00Z	\N	\N	0	\N	\N	u-bob	p-two	cmp-1	cmp-1	later	later	building	\N	\N	1024	1	10	0	\N	\N
inst-5	\N	\N	\N	0	\N	\N	u-bob		\N	\N			error	\N	\N	512	1	1	0	\N	\N
EOF
same "instances: escapes, NULL vs empty, non-ASCII, zero date as \\N" "$tmp/inst.want" "$tmp/inst.tsv"
check "zero date warned with its count and column" \
    has "$tmp/all.err" "nova.instances: 1 zero dates in column created_at"

# JSON blobs reduced to plain columns
sed -n "/^#table${T}nova_api.request_specs\$/,/^#table/p" "$tmp/all.tsv" | sed '$d' >"$tmp/rs.tsv"
cat >"$tmp/rs.want" <<'EOF'
#table	nova_api.request_specs
instance_uuid	created_at	updated_at	flavor_name	flavor_flavorid	vcpus	memory_mb	root_gb	ephemeral_gb	reservation
inst-1	2024-01-01T10:00:00Z	\N	m1.small	2	2	2048	20	0	res-1
inst-2	2024-01-05T00:00:00Z	\N	reservation:res-é\t1	f-r	4	4096	40	0	\N
inst-3	2023-12-01T00:00:00Z	\N	\N	\N	\N	\N	\N	\N	\N
inst-6	2024-01-03T00:00:00Z	\N	m1.large	4	4	4096	40	0	res-plain
EOF
same "request_specs: flavor and scheduler_hints.reservation from spec" "$tmp/rs.want" "$tmp/rs.tsv"
check "malformed spec JSON warned, naming the row" \
    has "$tmp/all.err" "request_specs: 1 rows with malformed spec JSON.*inst-3"
sed -n "/^#table${T}nova.instance_extra\$/,/^#table/p" "$tmp/all.tsv" | sed '$d' >"$tmp/ie.tsv"
cat >"$tmp/ie.want" <<'EOF'
#table	nova.instance_extra
instance_uuid	created_at	updated_at	deleted_at	deleted	flavor_name	flavor_flavorid	vcpus	memory_mb	root_gb	ephemeral_gb
inst-1	2024-01-01T10:00:00Z	\N	\N	0	m1.small	2	2	2048	20	0
inst-2	2024-01-05T00:00:00Z	\N	\N	0	reservation:res-é\t1	f-r	4	4096	40	0
inst-3	2023-12-01T00:00:00Z	\N	\N	0	\N	\N	\N	\N	\N	\N
EOF
same "instance_extra: the cur flavor, not old, not extra_specs" "$tmp/ie.want" "$tmp/ie.tsv"

# JSONS: numbers are numbers, NULL is null, _table names the section
$D --jsons -t nova_api.flavors >"$tmp/fl.jsons" 2>/dev/null
cat >"$tmp/fl.want" <<'EOF'
{"_table":"nova_api.flavors","id":1,"flavorid":"2","name":"m1.small","created_at":null,"updated_at":null,"vcpus":2,"memory_mb":2048,"root_gb":20,"ephemeral_gb":0,"swap":0,"disabled":0,"is_public":1}
{"_table":"nova_api.flavors","id":2,"flavorid":"4","name":"m1.large","created_at":null,"updated_at":null,"vcpus":4,"memory_mb":4096,"root_gb":40,"ephemeral_gb":0,"swap":0,"disabled":0,"is_public":1}
EOF
same "--jsons: numeric columns as JSON numbers" "$tmp/fl.want" "$tmp/fl.jsons"
$D --jsons -t nova.compute_nodes 2>/dev/null | head -1 >"$tmp/cn.jsons"
check "--jsons: float column as a number" has "$tmp/cn.jsons" '"cpu_allocation_ratio":1.5,'

# --csv writes one table
$D --csv -t keystone.project >"$tmp/p.csv" 2>/dev/null
cu-dump --defaults-file="$TESTDB_CNF" --no-progress -t keystone.project -t blazar.leases >"$tmp/trailers.tsv"
check "a stream ends each section with #end ROWS and itself with #eof" \
    sh -c "head -1 '$tmp/trailers.tsv' | grep -qx '#cu	1' && tail -1 '$tmp/trailers.tsv' | grep -qx '#eof' && [ \$(grep -c '^#end	[0-9]*\$' '$tmp/trailers.tsv') -eq 2 ]"
head -n -1 "$tmp/trailers.tsv" | cu-mask >/dev/null 2>"$tmp/trailers.err"
check "a dump cut before its #eof: cu-mask reading it exits 1" \
    sh -c "[ $? -eq 1 ] && grep -q 'truncated stream' '$tmp/trailers.err'"
check "--csv -t: a single-table CSV with its header, CRLF line ends" \
    sh -c "head -1 '$tmp/p.csv' | grep -qx 'id,name,domain_id,parent_id,is_domain,enabled.'"
$D --csv >/dev/null 2>"$tmp/csv.err"
check "--csv of several tables is a usage error (exit 2)" [ $? -eq 2 ]

# ---------------------------------------------------------------- cells
$D --nova-db nova --nova-db nova_cell1 -t instances >"$tmp/cells.tsv" 2>/dev/null
check "two cells: two instances sections" \
    sh -c "[ \$(grep -c '^#table${T}nova.*\.instances\$' '$tmp/cells.tsv') -eq 2 ]"
check "two cells: cell1's instance under nova_cell1.instances" \
    sh -c "sed -n '/^#table${T}nova_cell1.instances/,\$p' '$tmp/cells.tsv' | grep -q '^inst-6${T}'"

# ---------------------------------------------------------------- window
$D --nova-db nova --nova-db nova_cell1 --start 2024-01-01 --end 2024-02-01 >"$tmp/win.tsv" 2>/dev/null
check "window dump exits 0" [ $? -eq 0 ]
keys() { # keys SECTION: first column of the section's rows
    sed -n "/^#table${T}$1\$/,/^#table/p" "$tmp/win.tsv" | sed '1,2d;/^#table/d' | cut -f1 | tr '\n' ' '
}
check "window: instances overlapping [2024-01-01, 2024-02-01) (+ unknown created_at)" \
    [ "$(keys nova.instances)" = "inst-1 inst-2 inst-5 " ]
check "window: all actions of those instances" [ "$(keys nova.instance_actions)" = "1 2 3 4 " ]
check "window: all events of those actions" [ "$(keys nova.instance_actions_events)" = "1 2 3 4 " ]
check "window: cell1's instance" [ "$(keys nova_cell1.instances)" = "inst-6 " ]
check "window: request_specs of kept instances in every cell" \
    [ "$(keys nova_api.request_specs)" = "inst-1 inst-2 inst-6 " ]
check "window: instance_extra of kept instances" [ "$(keys nova.instance_extra)" = "inst-1 inst-2 " ]
check "window: hosts existing in it (compute_nodes)" [ "$(keys nova.compute_nodes)" = "1 " ]
check "window: Blazar hosts existing in it (soft-deleted and later ones out)" \
    [ "$(keys blazar.computehosts)" = "h-1 " ]
check "window: leases overlapping it" [ "$(keys blazar.leases)" = "lease-1 " ]
check "window: reservations of those leases" [ "$(keys blazar.reservations)" = "res-1 " ]
check "window: allocations of those reservations" [ "$(keys blazar.computehost_allocations)" = "alloc-1 " ]
check "window: flavors and projects unfiltered" \
    [ "$(keys nova_api.flavors)$(keys keystone.project)" = "1 2 <<keystone.domain.root>> default p-one " ]

# ---------------------------------------------------------------- --list
$D --nova-db nova --nova-db nova_cell1 --start 2024-01-01 --end 2024-02-01 --list >"$tmp/list.tsv" 2>/dev/null
check "--list: row counts under the window" \
    sh -c "grep -qx 'nova.instances${T}ok${T}3' '$tmp/list.tsv' && grep -qx 'blazar.leases${T}ok${T}1' '$tmp/list.tsv' && grep -qx 'nova_cell1.instances${T}ok${T}1' '$tmp/list.tsv'"
check "--list: absent optional database" has "$tmp/list.tsv" "^zun.container${T}absent${T}\\\\N\$"

# ---------------------------------------------------------------- trace
$D --trace --nova-db nova --nova-db nova_cell1 --start 2024-01-01 --end 2024-02-01 >"$tmp/trace.tsv" 2>"$tmp/trace.err"
cat >"$tmp/trace.want" <<'EOF'
instance_uuid	event	start_time	start_sec	finish_time	finish_sec	duration	result	instance_name	user_id	project_id	host	memory_mb	root_gb	vcpus
inst-1	compute__do_build_and_run_instance	2024-01-01T10:00:05Z	36005	2024-01-01T10:00:50Z	36050	45	Success	vm-one	u-alice	p-one	cmp-1	2048	20	2
inst-1	compute_stop_instance	2024-01-02T08:00:01Z	115201	2024-01-02T08:00:11Z	115211	10	Success	vm-one	u-alice	p-one	cmp-1	2048	20	2
inst-6	compute__do_build_and_run_instance	2024-01-03T00:00:05Z	172805	2024-01-03T00:00:35Z	172835	30	Success	vm-six	u-carol	p-one	cmp-3	4096	40	4
inst-2	compute__do_build_and_run_instance	2024-01-05T00:00:02Z	345602	2024-01-05T00:01:02Z	345662	60	Success	Zürich-北京	u-bob	p-two	cmp-1	4096	40	4
inst-2	compute_terminate_instance	2024-01-06T12:00:00Z	475200	\N	\N	\N	\N	Zürich-北京	u-bob	p-two	cmp-1	4096	40	4
EOF
same "--trace: events of both cells in time order, seconds from --start, NULL finish kept" \
    "$tmp/trace.want" "$tmp/trace.tsv"
$D --trace >"$tmp/trace2.tsv" 2>/dev/null
check "--trace: default epoch is the first event (2023-12-01T00:00:10Z)" \
    sh -c "sed -n 2p '$tmp/trace2.tsv' | grep -q '^inst-3${T}compute__do_build_and_run_instance${T}2023-12-01T00:00:10Z${T}0${T}2023-12-01T00:00:20Z${T}10${T}10${T}'"
check "--trace: one cell by default, 5 events + header" [ "$(wc -l <"$tmp/trace2.tsv")" -eq 6 ]
$D --trace --epoch 2024-01-06T11:59:00Z --start 2024-01-06 >"$tmp/trace3.tsv" 2>/dev/null
check "--trace --epoch: seconds from the given epoch (60)" \
    sh -c "sed -n 2p '$tmp/trace3.tsv' | cut -f4 | grep -qx 60"
$D --trace --csv --starcompactor --start 2024-01-01 --end 2024-02-01 2>/dev/null | tr -d '\r' >"$tmp/sc.csv"
cat >"$tmp/sc.want" <<'EOF'
INSTANCE_UUID,EVENT,START_TIME,START_SEC,FINISH_TIME,FINISH_SEC,EVENT_DURATION,RESULT,MEMORY_MB,DISK_GB,VCPUS,INSTANCE_NAME,USER_ID,PROJECT_ID,HOST_NAME (PHYSICAL)
inst-1,compute__do_build_and_run_instance,2024-01-01T10:00:05,36005.0,2024-01-01T10:00:50,36050.0,45.0,Success,2048,20,2,vm-one,u-alice,p-one,cmp-1
inst-1,compute_stop_instance,2024-01-02T08:00:01,115201.0,2024-01-02T08:00:11,115211.0,10.0,Success,2048,20,2,vm-one,u-alice,p-one,cmp-1
inst-2,compute__do_build_and_run_instance,2024-01-05T00:00:02,345602.0,2024-01-05T00:01:02,345662.0,60.0,Success,4096,40,4,Zürich-北京,u-bob,p-two,cmp-1
inst-2,compute_terminate_instance,2024-01-06T12:00:00,475200.0,,,,,4096,40,4,Zürich-北京,u-bob,p-two,cmp-1
EOF
same "--csv --starcompactor: the legacy header and value shapes" "$tmp/sc.want" "$tmp/sc.csv"

# ---------------------------------------------------------------- archive
$D --nova-db nova --nova-db nova_cell1 -o "$tmp/arch" 2>"$tmp/arch.err"
check "archive: exit 0" [ $? -eq 0 ]
check "archive: a file per table and MANIFEST.tsv, no temporary files left" \
    sh -c "[ -f '$tmp/arch/MANIFEST.tsv' ] && [ -f '$tmp/arch/nova_cell1.instances.tsv.zst' ] && [ -z \"\$(ls -A '$tmp/arch' | grep '^\\.')\" ]"
check "archive: manifest header" \
    sh -c "head -1 '$tmp/arch/MANIFEST.tsv' | grep -q '^table${T}file${T}status${T}rows${T}bytes${T}file_bytes${T}compression${T}sha256${T}columns${T}started${T}finished${T}site${T}server_version${T}cu_version${T}notes\$'"
row=$(grep "^nova.instances${T}" "$tmp/arch/MANIFEST.tsv")
sum=$(sha256sum "$tmp/arch/nova.instances.tsv.zst" | cut -d' ' -f1)
check "archive: manifest rows, zstd, sha256 of the file, status ok" \
    [ "$(echo "$row" | cut -f2-4,7,8)" = "nova.instances.tsv.zst${T}ok${T}5${T}zstd${T}$sum" ]
check "archive: manifest bytes = uncompressed size" \
    [ "$(echo "$row" | cut -f5)" = "$(zstd -dc "$tmp/arch/nova.instances.tsv.zst" | wc -c | tr -d ' ')" ]
check "archive: manifest file_bytes = size of the file" \
    [ "$(echo "$row" | cut -f6)" = "$(wc -c < "$tmp/arch/nova.instances.tsv.zst" | tr -d ' ')" ]
check "archive: zero dates noted in the manifest" sh -c "echo '$row' | cut -f15 | grep -q 'zero dates in created_at'"
check "archive: file holds the header and rows, no directive" \
    sh -c "zstd -dc '$tmp/arch/nova.instances.tsv.zst' | head -1 | grep -q '^uuid${T}created_at'"
check "archive: absent optional table recorded" \
    sh -c "grep -q '^zun.container${T}\\\\N${T}absent${T}' '$tmp/arch/MANIFEST.tsv'"

# ---------------------------------------------------------------- compression
# The same rows through zstd (the default), gzip and none: each member
# decompresses to the same bytes, the manifest says which, every cu reader
# reads the three alike, and a second dump is byte-identical.
$D --nova-db nova --nova-db nova_cell1 -o "$tmp/arch-gz" --compress gzip 2>/dev/null
$D --nova-db nova --nova-db nova_cell1 -o "$tmp/arch-none" --compress none 2>/dev/null
$D --nova-db nova --nova-db nova_cell1 -o "$tmp/arch-again" 2>/dev/null
same_members=0 identical=0 members=0
for f in "$tmp"/arch/*.tsv.zst; do
    t=$(basename "$f" .tsv.zst)
    members=$((members + 1))
    zstd -dc "$f" >"$tmp/m.zst.txt"
    gzip -dc "$tmp/arch-gz/$t.tsv.gz" >"$tmp/m.gz.txt"
    cmp -s "$tmp/m.zst.txt" "$tmp/m.gz.txt" && cmp -s "$tmp/m.zst.txt" "$tmp/arch-none/$t.tsv" &&
        same_members=$((same_members + 1))
    cmp -s "$f" "$tmp/arch-again/$t.tsv.zst" && identical=$((identical + 1))
done
check "compression: zstd, gzip and none members hold the same bytes ($same_members of $members)" \
    [ "$members" -gt 5 -a "$same_members" -eq "$members" ]
check "compression: a second dump's zstd members are byte-identical ($identical of $members)" \
    [ "$identical" -eq "$members" ]
check "compression: the manifest names each compression" \
    sh -c "grep '^nova.instances${T}' '$tmp/arch-gz/MANIFEST.tsv' | cut -f2,7 | grep -qx 'nova.instances.tsv.gz${T}gzip' &&
           grep '^nova.instances${T}' '$tmp/arch-none/MANIFEST.tsv' | cut -f2,7 | grep -qx 'nova.instances.tsv${T}none'"
cu-mask --new-key "$tmp/mask.key" </dev/null >/dev/null 2>&1
for a in zst gz none; do
    dir="$tmp/arch"; [ $a = zst ] || dir="$tmp/arch-$a"
    cu-mask --key-file "$tmp/mask.key" "$dir" >"$tmp/sp-$a" 2>/dev/null
done
check "compression: the stream reader reads the three archives alike ($(grep -vc '^#' "$tmp/sp-zst") lines)" \
    sh -c "[ -s '$tmp/sp-zst' ] && cmp -s '$tmp/sp-zst' '$tmp/sp-gz' && cmp -s '$tmp/sp-zst' '$tmp/sp-none'"
$D --nova-db nova --nova-db nova_cell1 -o "$tmp/arch-st" --stats 2>"$tmp/st.err" >/dev/null
check "compression: --stats gives the archive's rows and size as the manifest does" \
    [ "$(sed -n 's/.*stats: wrote rows=\([0-9]*\) bytes=\([0-9]*\) stored=\([0-9]*\) .*/\1 \2 \3/p' "$tmp/st.err")" = \
      "$(awk -F'\t' 'NR > 1 && $3 == "ok" { r += $4; b += $5; f += $6 } END { print r, b, f }' "$tmp/arch-st/MANIFEST.tsv")" ]

# ---------------------------------------------------------------- round trip
# Load the archive back into empty copies of the dumped columns and compare
# CHECKSUM TABLE with the originals (zero dates are NULL in both).
rt_ok=0
rt_tables="nova.instances nova.instance_actions nova.instance_actions_events nova.compute_nodes nova_api.flavors blazar.leases blazar.reservations blazar.computehosts blazar.computehost_allocations keystone.project nova_cell1.instances"
testdb_sql "CREATE DATABASE rt" >/dev/null
for t in $rt_tables; do
    db=${t%%.*}; tb=${t#*.}; name=$(echo "$t" | tr . _)
    cols=$(grep "^$t${T}" "$tmp/arch/MANIFEST.tsv" | cut -f9)
    qcols=$(echo "$cols" | sed 's/[^,]*/`&`/g')
    zstd -dc "$tmp/arch/$t.tsv.zst" |
        sed 's/\([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\)T\([0-9:.]*\)Z/\1 \2/g' >"$tmp/$name.load"
    dtcols=$(testdb_sql "SELECT GROUP_CONCAT(COLUMN_NAME) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='$db' AND TABLE_NAME='$tb' AND DATA_TYPE='datetime' AND FIND_IN_SET(COLUMN_NAME, '$cols')" -N)
    fix=""
    for c in $(echo "$dtcols" | tr , ' '); do
        [ "$c" = NULL ] && continue
        fix="$fix UPDATE rt.${name}_orig SET \`$c\` = NULL WHERE \`$c\` < '0001-01-01';"
    done
    sums=$(testdb_sql "SET SESSION sql_mode='';
        CREATE TABLE rt.${name}_orig AS SELECT $qcols FROM \`$db\`.\`$tb\`;
        $fix
        CREATE TABLE rt.${name}_load LIKE rt.${name}_orig;
        LOAD DATA LOCAL INFILE '$tmp/$name.load' INTO TABLE rt.${name}_load
            CHARACTER SET utf8mb4 IGNORE 1 LINES ($qcols);
        CHECKSUM TABLE rt.${name}_orig, rt.${name}_load;" -N | cut -f2 | sort -u | wc -l)
    if [ "$sums" -eq 1 ]; then rt_ok=$((rt_ok + 1)); else echo "# round trip differs: $t"; fi
done
check "round trip: LOAD DATA of the archive gives equal CHECKSUM TABLE for 11 tables" [ "$rt_ok" -eq 11 ]
check "round trip: the tab/newline/backslash/non-ASCII row survived" \
    [ "$(testdb_sql "SELECT COUNT(*) FROM rt.nova_instances_load WHERE display_name = 'line1\nline2 back\\\\slash' AND hostname = 'Zürich-北京' AND project_id = 'p-two'" -N)" = 1 ]
check "round trip: NULL stays NULL, empty stays empty" \
    [ "$(testdb_sql "SELECT CONCAT(host IS NULL, project_id = '', display_name = '') FROM rt.nova_instances_load WHERE uuid = 'inst-5'" -N)" = 111 ]

# ---------------------------------------------------------------- missing
$D --blazar-db nosuch -t leases -t keystone.project >"$tmp/miss.tsv" 2>"$tmp/miss.err"
check "missing database: exit 0 with a warning naming it" \
    sh -c "[ $? -eq 0 ] && grep -q 'nosuch.leases: database nosuch does not exist' '$tmp/miss.err'"
$D --blazar-db nosuch -t leases -t keystone.project --strict >/dev/null 2>"$tmp/strict.err"
check "missing database with --strict: exit 1" [ $? -eq 1 ]
testdb_sql "ALTER TABLE nova_cell1.instances DROP COLUMN node; DROP TABLE nova_cell1.instance_extra" >/dev/null
$D --nova-db nova_cell1 -o "$tmp/arch2" 2>"$tmp/miss2.err"
check "missing column: exit 0" [ $? -eq 0 ]
check "missing column: warning names table and column" \
    has "$tmp/miss2.err" "nova_cell1.instances: missing columns: node"
check "missing column: the file lacks it, the manifest notes it" \
    sh -c "zstd -dc '$tmp/arch2/nova_cell1.instances.tsv.zst' | head -1 | grep -v -q node && grep '^nova_cell1.instances${T}' '$tmp/arch2/MANIFEST.tsv' | grep -q 'missing columns: node'"
check "missing table: manifest status missing, no file" \
    sh -c "grep -q '^nova_cell1.instance_extra${T}\\\\N${T}missing${T}' '$tmp/arch2/MANIFEST.tsv' && [ ! -e '$tmp/arch2/nova_cell1.instance_extra.tsv.zst' ]"
$D --nova-db nova_cell1 -t instances --strict >/dev/null 2>"$tmp/strict2.err"
check "missing column with --strict: exit 1" [ $? -eq 1 ]
check "missing column with --strict: the error names table and column" \
    has "$tmp/strict2.err" "^cu-dump: nova_cell1.instances: missing columns: node"

# ---------------------------------------------------------------- connecting
# [cu-dump] group read, [other] not; flags beat option files
cat >"$tmp/my.cnf" <<EOF
[client]
socket=$TESTDB_SOCKET
user=root
[cu-dump]
user=nosuchuser
[mysqldump]
user=otheruser
EOF
cu-dump --defaults-file="$tmp/my.cnf" --list >/dev/null 2>"$tmp/cnf.err"
check "option file: [cu-dump] group is read" has "$tmp/cnf.err" "nosuchuser"
cu-dump --defaults-file="$tmp/my.cnf" -u root --list >/dev/null 2>&1
check "option file: -u beats the option file" [ $? -eq 0 ]
printf '[client]\nsocket=%s\nuser=root\n' "$TESTDB_SOCKET" >"$tmp/extra.cnf"
HOME=$tmp/nohome cu-dump --defaults-extra-file="$tmp/extra.cnf" --list >/dev/null 2>&1
check "--defaults-extra-file is read" [ $? -eq 0 ]
mkdir -p "$tmp/tmpdir"
printf '[client]\nsocket=/nonexistent\n' >"$tmp/bad.cnf"
TMPDIR=$tmp/tmpdir cu-dump --defaults-extra-file="$tmp/bad.cnf" --list >/dev/null 2>&1
check "--defaults-extra-file: a failed connection exits 1 and leaves no file behind" \
    sh -c "[ $? -eq 1 ] && [ -z \"\$(ls -A '$tmp/tmpdir')\" ]"
DATABASE_URI='mysql://root:s3cr%40t@127.0.0.1:1/nova' cu-dump --defaults-file=/dev/null --list >/dev/null 2>"$tmp/uri.err"
check "DATABASE_URI: connection error exits 1" [ $? -eq 1 ]
check "DATABASE_URI: the password is masked in messages" \
    sh -c "grep -q 'mysql://root:\\*\\*\\*@127.0.0.1:1/nova' '$tmp/uri.err' && ! grep -q s3cr '$tmp/uri.err'"
DATABASE_URI='mysql://nosuch@localhost' cu-dump --defaults-file="$TESTDB_CNF" -u root --list >/dev/null 2>&1
check "DATABASE_URI: flags win over the environment" [ $? -eq 0 ]

printf 'site\tname\tgroup\tdir\ndc1\tData centre 1\tcu-dump-dc1\t%s\ndc2\tData centre 2\tcu-dump-dc2\t%s\n' \
    "$tmp/s1" "$tmp/s2" >"$tmp/sites.tsv"
printf '[client]\nsocket=%s\nuser=root\n[cu-dump-dc2]\nuser=nosuchuser\n' "$TESTDB_SOCKET" >"$tmp/sites.cnf"
cu-dump --defaults-file="$tmp/sites.cnf" --sites "$tmp/sites.tsv" --site dc1 --archive -t keystone.project 2>/dev/null
check "sites: --site dc1 --archive writes the site's dir with its key" \
    sh -c "grep -q '${T}dc1${T}' '$tmp/s1/MANIFEST.tsv' && [ ! -e '$tmp/s2' ]"
cu-dump --defaults-file="$tmp/sites.cnf" --sites "$tmp/sites.tsv" --site dc2 -t keystone.project >/dev/null 2>"$tmp/site2.err"
check "sites: a site's option group is read" has "$tmp/site2.err" "site dc2.*nosuchuser"

cu-dump --defaults-file="$tmp/sites.cnf" --sites "$tmp/sites.tsv" -o "$tmp/multi" -t keystone.project 2>"$tmp/multi.err"
check "sites: several sites with -o DIR go to DIR/KEY (dc2 fails to connect: exit 1)" \
    sh -c "[ $? -eq 1 ] && grep -q '${T}dc1${T}' '$tmp/multi/dc1/MANIFEST.tsv'"
printf 'dc3\tData centre 3\tcu-dump-dc3\t\\N\n' >>"$tmp/sites.tsv"
cu-dump --defaults-file="$tmp/sites.cnf" --sites "$tmp/sites.tsv" -o "$tmp/multi3" -t keystone.project 2>"$tmp/multi3.err"
check "sites: a failing site does not stop the next ones; exit 1 names it" \
    sh -c "[ $? -eq 1 ] && [ -f '$tmp/multi3/dc1/MANIFEST.tsv' ] && [ -f '$tmp/multi3/dc3/MANIFEST.tsv' ] && [ ! -f '$tmp/multi3/dc2/MANIFEST.tsv' ] && grep -q 'site dc2: failed (exit 1)' '$tmp/multi3.err'"
cu-dump --defaults-file="$tmp/sites.cnf" --sites "$tmp/sites.tsv" -t keystone.project >/dev/null 2>"$tmp/multi2.err"
check "sites: several sites to one stream is a usage error" [ $? -eq 2 ]

# ---------------------------------------------------------------- JSON edges
deep=$(awk 'BEGIN { for (i = 0; i < 300; i++) printf "["; for (i = 0; i < 300; i++) printf "]" }')
cat >"$tmp/json.sql" <<EOF
SET NAMES utf8mb4;
CREATE DATABASE j; CREATE TABLE j.request_specs LIKE nova_api.request_specs;
INSERT INTO j.request_specs (instance_uuid, spec) VALUES
 ('a', '{"nova_object.data": {"fl\\\\u0061vor": {"nova_object.data": {"name": "esc-key", "vcpus": -0.5e+10, "memory_mb": 0}}}}'),
 ('b', ' { "flavor" : { "name" : "\\\\ud83d\\\\ude00" } , "scheduler_hints" : { "reservation" : [ 1 , "x" ] } } '),
 ('c', '{"flavor": {"name": "ok"}, "x": $deep, "scheduler_hints": {"reservation": null}}'),
 ('d', '{"flavor": {"name": "\\\\udc00"}}'),
 ('e', '{"flavor": {"name": "x"}} trailing'),
 ('f', '{"scheduler_hints": {"reservation": ""}, "flavor": {"flavorid": {"nested": [1]}}}'),
 ('g', '');
EOF
mariadb --defaults-file="$TESTDB_CNF" <"$tmp/json.sql"
$D --nova-api-db j -t request_specs --jsons 2>"$tmp/json.err" |
    sed 's/"created_at":null,"updated_at":null,//' >"$tmp/json.out"
cat >"$tmp/json.want" <<'EOF'
{"_table":"j.request_specs","instance_uuid":"a","flavor_name":"esc-key","flavor_flavorid":null,"vcpus":-0.5e+10,"memory_mb":0,"root_gb":null,"ephemeral_gb":null,"reservation":null}
{"_table":"j.request_specs","instance_uuid":"b","flavor_name":"😀","flavor_flavorid":null,"vcpus":null,"memory_mb":null,"root_gb":null,"ephemeral_gb":null,"reservation":1}
{"_table":"j.request_specs","instance_uuid":"c","flavor_name":"ok","flavor_flavorid":null,"vcpus":null,"memory_mb":null,"root_gb":null,"ephemeral_gb":null,"reservation":null}
{"_table":"j.request_specs","instance_uuid":"d","flavor_name":null,"flavor_flavorid":null,"vcpus":null,"memory_mb":null,"root_gb":null,"ephemeral_gb":null,"reservation":null}
{"_table":"j.request_specs","instance_uuid":"e","flavor_name":null,"flavor_flavorid":null,"vcpus":null,"memory_mb":null,"root_gb":null,"ephemeral_gb":null,"reservation":null}
{"_table":"j.request_specs","instance_uuid":"f","flavor_name":null,"flavor_flavorid":"{\"nested\": [1]}","vcpus":null,"memory_mb":null,"root_gb":null,"ephemeral_gb":null,"reservation":""}
{"_table":"j.request_specs","instance_uuid":"g","flavor_name":null,"flavor_flavorid":null,"vcpus":null,"memory_mb":null,"root_gb":null,"ephemeral_gb":null,"reservation":null}
EOF
same "JSON: escaped keys, surrogate pairs, numbers as numbers, lists, deep nesting, objects kept as text" \
    "$tmp/json.want" "$tmp/json.out"
check "JSON: a lone surrogate and trailing garbage are malformed (2 rows)" \
    has "$tmp/json.err" "j.request_specs: 2 rows with malformed spec JSON.*first: instance_uuid 'd'"

# ---------------------------------------------------------------- zun
testdb_sql "CREATE DATABASE zun; CREATE TABLE zun.container (id INT PRIMARY KEY,
    uuid VARCHAR(36), created_at DATETIME, updated_at DATETIME, project_id VARCHAR(255),
    user_id VARCHAR(255), host VARCHAR(255), cpu FLOAT, memory VARCHAR(255),
    status VARCHAR(20), task_state VARCHAR(20), environment TEXT, websocket_token VARCHAR(255));
    INSERT INTO zun.container VALUES (1, 'c-1', '2024-01-02 03:04:05', NULL, 'p-one', 'u-alice',
    'cmp-1', 0.5, '512M', 'Running', NULL, '{\"PASSWORD\": \"SECRET\"}', 'SECRET')" >/dev/null
$D -t container --jsons >"$tmp/zun.jsons" 2>"$tmp/zun.err"
cat >"$tmp/zun.want" <<'EOF'
{"_table":"zun.container","uuid":"c-1","created_at":"2024-01-02T03:04:05Z","updated_at":null,"project_id":"p-one","user_id":"u-alice","host":"cmp-1","cpu":0.5,"memory":"512M","status":"Running","task_state":null}
EOF
same "zun.container when present: documented columns, optional ones absent quietly, no secrets" \
    "$tmp/zun.want" "$tmp/zun.jsons"
check "zun.container: no warning for its optional columns" [ ! -s "$tmp/zun.err" ]

# ---------------------------------------------------------------- the rest
$D --progress -t nova.instances >/dev/null 2>"$tmp/progress.err"
check "--progress: rows and rows/s per table on stderr" \
    has "$tmp/progress.err" "nova.instances: 5 rows, [0-9]* rows/s"
$D --all-columns -t nova.instances -t keystone.user >"$tmp/allcols.tsv" 2>/dev/null
check "--all-columns: secrets only when asked for, any table by SCHEMA.TABLE" \
    sh -c "grep -q 'c2VjcmV0LXVzZXItZGF0YQ==' '$tmp/allcols.tsv' && grep -q '^#table${T}keystone.user\$' '$tmp/allcols.tsv'"
$D --ssl-verify-server-cert --list >/dev/null 2>"$tmp/tls.err"
check "--ssl-verify-server-cert against a server without TLS: exit 1" \
    sh -c "[ $? -eq 1 ] && grep -q 'cannot connect: TLS' '$tmp/tls.err'"
$D -t request_specs --nova-db nova --nova-db nova_cell1 --start 2024-01-03T00:00:00Z --end 2024-01-04 >"$tmp/rs-win.tsv" 2>/dev/null
check "window with -t request_specs alone: instances of every named cell" \
    [ "$(sed '1,2d' "$tmp/rs-win.tsv" | cut -f1 | tr '\n' ' ')" = "inst-1 inst-6 " ]

# ---------------------------------------------------------------- shadow tables
# nova-manage db archive_deleted_rows moves soft-deleted rows into shadow_X
# tables: cu-dump dumps them when they exist (absent otherwise, as above),
# and cu-spans reads them as the rows of X.
check "shadow tables: absent while nova has none" \
    sh -c "grep -q '^nova.shadow_instances${T}\\\\N${T}absent${T}' '$tmp/arch/MANIFEST.tsv'"
testdb_sql "CREATE TABLE nova.shadow_instances LIKE nova.instances;
    INSERT INTO nova.shadow_instances SELECT * FROM nova.instances WHERE uuid = 'inst-1';
    UPDATE nova.shadow_instances SET uuid = 'inst-archived', id = id + 1000,
        deleted_at = '2024-01-03 00:00:00', deleted = id" >/dev/null
$D --nova-db nova -o "$tmp/arch-shadow" 2>/dev/null
check "shadow tables: dumped when present, with their rows" \
    sh -c "grep '^nova.shadow_instances${T}' '$tmp/arch-shadow/MANIFEST.tsv' | cut -f2-4 | grep -qx 'nova.shadow_instances.tsv.zst${T}ok${T}1'"
check "shadow tables: cu-spans makes the archived instance's spans, ended at its deleted_at" \
    sh -c "cu-spans --kinds instance --skip-bad '$tmp/arch-shadow' 2>/dev/null | awk -F'\t' '\$4 == \"inst-archived\" { e = \$6 } END { exit e != \"2024-01-03T00:00:00Z\" }'"

tap_done
