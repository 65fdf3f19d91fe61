#!/bin/sh
# cu-mask end to end: pseudonyms checked against independently computed
# HMACs (openssl dgst) and salted hashes (sha256sum), joins that survive,
# no identifier left, keys, escaping, formats, archives, usage errors.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/tap.sh"
data="$top_srcdir/tests/data/cu-mask"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-mask-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 99
umask 022

tab=$(printf '\t')
KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
(umask 077 && echo "$KEY" > key)

# The reference: HMAC-SHA256(key, class || 0x00 || value), as documented in
# lib/hmac.h, computed by openssl; printf's %b turns \t, \n, \\ into bytes.
hmac() { # hmac CLASS VALUE-WITH-%b-ESCAPES [DIGITS]
    { printf '%s' "$1"; printf '\000'; printf '%b' "$2"; } |
        openssl dgst -r -sha256 -mac HMAC -macopt "hexkey:$KEY" |
        cut -c1-"${3:-32}"
}
# Column COL (by header name) of section TABLE of a TSV stream, raw.
col() { # col FILE TABLE COL
    awk -F '\t' -v t="$2" -v c="$3" '
        /^#table\t/ { cur = $2; hdr = 1; next }
        hdr { hdr = 0; if (cur == t) for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
        cur == t && k { print $k }' "$1"
}

echo "1..55"

# 1-4: a masked value equals the HMAC computed by openssl, per class.
cu-mask --no-trailers --key-file key "$data/cloud.tsv" > m.tsv
check "masks the cloud stream" test -s m.tsv
is "host pseudonym = openssl HMAC" \
    "$(col m.tsv nova.compute_nodes hypervisor_hostname | head -1)" \
    "$(hmac host kvm-c01.tacc.chameleoncloud.org)"
is "user pseudonym = openssl HMAC" \
    "$(col m.tsv nova.instances user_id | head -1)" \
    "$(hmac user 6c1f2ae0a3b54b1f9a8c0d1e2f3a4b5c)"
is "instance uuid pseudonym = openssl HMAC" \
    "$(col m.tsv nova.instances uuid | head -1)" \
    "$(hmac instance 3f2b8c1e-9d4a-4c7e-8b1a-0e2d3c4b5a61)"

# 5-7: one host, one pseudonym in three (here four) tables.
h=$(hmac host kvm-c01.tacc.chameleoncloud.org)
is "node in instances" "$(col m.tsv nova.instances node | head -1)" "$h"
is "hypervisor_hostname in blazar computehosts" \
    "$(col m.tsv blazar.computehosts hypervisor_hostname | sed -n 2p)" "$h"
p=$(hmac project a1b2c3d4e5f60718293a4b5c6d7e8f90)
is "project in instances, leases and keystone alike" \
    "$(col m.tsv nova.instances project_id | head -1) $(col m.tsv blazar.leases project_id | sed -n 2p) $(col m.tsv keystone.project id | sed -n 2p)" \
    "$p $p $p"

# 8-9: joins keep their row counts (instances x compute_nodes on node, and
# instance_actions x instances x keystone.project on uuid and project).
join3() { # rows of actions JOIN instances JOIN project
    col "$1" nova.instances uuid > ju; col "$1" nova.instances project_id > jp
    paste ju jp > inst
    col "$1" keystone.project id > proj
    col "$1" nova.instance_actions instance_uuid |
        awk -F '\t' 'FILENAME == ARGV[1] { p[$1]; next }
                     FILENAME == ARGV[2] { if ($2 in p) i[$1]; next }
                     $1 in i { n++ } END { print n + 0 }' proj inst -
}
is "3-table join row count unchanged" "$(join3 m.tsv)" "$(join3 "$data/cloud.tsv")"
join2() {
    col "$1" nova.compute_nodes hypervisor_hostname > hh
    col "$1" nova.instances node | awk 'NR == FNR { h[$0]; next } $0 in h { n++ } END { print n + 0 }' hh -
}
is "instances x compute_nodes row count unchanged" "$(join2 m.tsv)" "$(join2 "$data/cloud.tsv")"

# 10: no original identifier survives anywhere in the output.
leaks=""
for id in 6c1f2ae0a3b54b1f9a8c0d1e2f3a4b5c 0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a \
    a1b2c3d4e5f60718293a4b5c6d7e8f90 ffeeddccbbaa99887766554433221100 \
    3f2b8c1e-9d4a-4c7e-8b1a-0e2d3c4b5a61 7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c22 \
    c0ffee00-1234-4abc-8def-0123456789ab kvm-c01 kvm-c02 ironic-compute \
    bm-node-0417 alice-ml-run 'alice ML' bob-s-box 'bob\\ts' 'back' \
    bob-gpu-week 'alice\\tlease' 9b1c2d3e-4f50 1a2b3c4d-5e6f climate \
    genomics Default; do
    grep -F -q -e "$id" m.tsv && leaks="$leaks $id"
done
is "no original identifier in the masked stream" "$leaks" ""

# 11-12: pass-through is byte for byte: the unmasked columns are unchanged.
is "unmasked columns identical (compute_nodes created/deleted)" \
    "$(col m.tsv nova.compute_nodes vcpus) $(col m.tsv nova.instances vm_state)" \
    "$(col "$data/cloud.tsv" nova.compute_nodes vcpus) $(col "$data/cloud.tsv" nova.instances vm_state)"
is "line and section structure kept" \
    "$(grep -c '' m.tsv) $(grep '^#' m.tsv | md5sum)" \
    "$(grep -c '' "$data/cloud.tsv") $(grep '^#' "$data/cloud.tsv" | md5sum)"

# 13-14: keys: a fresh key per run, a key file gives stable pseudonyms.
cu-mask "$data/cloud.tsv" > r1.tsv
cu-mask "$data/cloud.tsv" > r2.tsv
check "two runs without a key file differ" sh -c '! cmp -s r1.tsv r2.tsv'
cu-mask --no-trailers --key-file key "$data/cloud.tsv" > m2.tsv
check "two runs with one key file are identical" cmp -s m.tsv m2.tsv

# 15-17: compatibility mode = sha256(salt || value), first 32 hex digits.
ref=$(printf '%s%s' s3cr3t kvm-c01.tacc.chameleoncloud.org | sha256sum | cut -c1-32)
cu-mask --method sha256-salted --salt s3cr3t "$data/cloud.tsv" > s.tsv
is "sha256-salted equals printf salt value | sha256sum" \
    "$(col s.tsv nova.compute_nodes hypervisor_hostname | head -1)" "$ref"
is "sha256-salted has no classes (host = same string as node)" \
    "$(col s.tsv nova.instances node | head -1)" "$ref"
ref=$(printf '\001\002\377kvm-c01.tacc' | sha256sum | cut -c1-32)
cu-mask --method sha256-salted --salt-hex 0102ff "$data/cloud.tsv" > s2.tsv
is "--salt-hex takes a binary salt" \
    "$(col s2.tsv nova.compute_nodes host | head -1)" "$ref"

# 18-23: escaping: the decoded value is hashed; NULL and empty survive.
is "tab and newline in a value hash as the bytes" \
    "$(col m.tsv nova.instances display_name | sed -n 2p)" \
    "$(hmac name 'bob\ts box\nline2')"
is "non-ASCII and a backslash hash as the bytes" \
    "$(col m.tsv nova.instances display_name | sed -n 3p)" \
    "$(hmac name 'Ünïcødé-名前 \\ back')"
is "a tab in a lease name" "$(col m.tsv blazar.leases name | sed -n 2p)" \
    "$(hmac lease 'alice\tlease')"
is "NULL stays NULL" "$(col m.tsv nova.instances host | sed -n 3p)" '\N'
is "empty stays empty" "[$(col m.tsv nova.instances hostname | sed -n 3p)]" "[]"
printf 'a\tb\tc\n\\N\t\tx\\ty\\\\z\\nw\n' > esc.tsv
is "escapes of unmasked fields copied byte for byte" \
    "$(cu-mask --no-trailers --key-file key -f a esc.tsv | sed -n 2p | cut -f2,3)" \
    "$(sed -n 2p esc.tsv | cut -f2,3)"

# 24-26: domain separation and --length.
printf 'host\tuser_id\nsame\tsame\n' > dom.tsv
cu-mask --no-trailers --key-file key dom.tsv > dom.out
is "equal strings in different classes differ" \
    "$(sed -n 2p dom.out)" "$(hmac host same)$tab$(hmac user same)"
is "--length 12" "$(cu-mask --no-trailers --key-file key -l 12 dom.tsv | sed -n 2p)" \
    "$(hmac host same 12)$tab$(hmac user same 12)"
is "--length 64" "$(cu-mask --no-trailers --key-file key --length 64 -f host dom.tsv | sed -n 2p | cut -f1)" \
    "$(hmac host same 64)"

# 27-29: -f with classes, --keep, numbers.
printf 'owner\tnote\nalice\thello\n' > f.tsv
is "-f col:class" "$(cu-mask --no-trailers --key-file key -f owner:user f.tsv | sed -n 2p)" \
    "$(hmac user alice)${tab}hello"
is "-f col without class: class named after the column" \
    "$(cu-mask --no-trailers --key-file key -f 2 f.tsv | sed -n 2p)" "alice$tab$(hmac note hello)"
is "--keep exempts a preset column" \
    "$(cu-mask --no-trailers --key-file key --keep host dom.tsv | sed -n 2p)" "same$tab$(hmac user same)"

# 30-33: usage errors.
cu-mask --no-trailers --key-file key -f nosuch "$data/cloud.tsv" > /dev/null 2> err
is "a missing named field is a usage error" "$?" 2
check "  ...and the message names it" grep -q "nosuch" err
cu-mask --no-trailers --key-file key -f instances.nosuch,host "$data/cloud.tsv" > /dev/null 2>&1
is "a missing table.column is a usage error" "$?" 2
cu-mask --no-trailers --key-file key --keep nosuch "$data/cloud.tsv" > /dev/null 2>&1
is "a missing --keep field is a usage error" "$?" 2

# 34-38: key files.
echo "$KEY" > openkey; chmod 644 openkey
cu-mask --no-trailers --key-file openkey dom.tsv > /dev/null 2> err
is "a world-readable key file is refused" "$?" 2
chmod 640 openkey
cu-mask --no-trailers --key-file openkey dom.tsv > /dev/null 2>&1
is "a group-readable key file is refused" "$?" 2
cu-mask --no-trailers --new-key nk dom.tsv > nk1.out
is "--new-key creates a 0600 file" "$?:$(stat -c %a nk)" "0:600"
cu-mask --no-trailers --key-file nk dom.tsv > nk2.out
check "  ...whose pseudonyms are those of the run that made it" cmp -s nk1.out nk2.out
cu-mask --new-key nk dom.tsv > /dev/null 2>&1
is "--new-key refuses to overwrite" "$?:$(cmp -s nk1.out nk2.out && echo same)" "2:same"

# 39-41: JSONS and CSV in: the same pseudonyms as TSV.
cu-mask --no-trailers --key-file key --jsons "$data/cloud.tsv" > m.jsons
cu-mask --no-trailers --key-file key --jsons --keep 1- "$data/cloud.tsv" > plain.jsons 2>/dev/null
cu-mask --no-trailers --key-file key --tsv plain.jsons > fromjsons.tsv
check "JSONS in gives the TSV pseudonyms" cmp -s m.tsv fromjsons.tsv
cu-mask --no-trailers --key-file key --from csv "$data/trace.csv" > t.csv
is "CSV in, CSV out, legacy trace header masked" \
    "$(sed -n 3p t.csv | tr -d '\r')" \
    "$(hmac instance 7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c22),compute__do_build_and_run_instance,2024-02-02T11:30:05Z,91805,2024-02-02T11:45:00Z,92700,895,Success,196608,240,48,$(hmac name 'bob, the builder'),$(hmac user 0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a),$(hmac project ffeeddccbbaa99887766554433221100),$(hmac host ironic-compute)"
is "span stream: id by kind, host, project, user, lease" \
    "$(cu-mask --no-trailers --key-file key "$data/spans.tsv" | awk -F '\t' 'NR == 4 || NR == 5 { print $4, $7, $8, $9, $11 }' | tr '\n' ' ')" \
    "$(hmac instance 3f2b8c1e-9d4a-4c7e-8b1a-0e2d3c4b5a61) $h $p $(hmac user 6c1f2ae0a3b54b1f9a8c0d1e2f3a4b5c) \\N $(hmac instance 7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c22) $(hmac host bm-node-0417) $(hmac project ffeeddccbbaa99887766554433221100) $(hmac user 0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a) $(hmac lease 9b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9) "

# 42-43: an archive out, read back as an archive.
cu-mask --no-trailers --key-file key -o arch "$data/cloud.tsv"
is "archive: manifest and one file per table" \
    "$(cut -f1 arch/MANIFEST.tsv | tr '\n' ' ')" \
    "table nova.compute_nodes nova.instances nova.instance_actions nova.instance_actions_events blazar.computehosts blazar.leases keystone.project "
cu-mask --no-trailers --key-file key --keep 1- arch > fromarch.tsv 2>/dev/null
check "archive read back equals the stream output" cmp -s m.tsv fromarch.tsv

# 44-45: an archive in: a new archive whose manifest carries the old rows
# over (a missing table, extra columns), and whose files are re-hashed.
mkdir in
printf 'table\tfile\tstatus\trows\tbytes\tfile_bytes\tsha256\tcolumns\tserver_version\n' > in/MANIFEST.tsv
printf 'host\tvcpus\nkvm-c01.tacc\t48\nkvm-c02.tacc\t24\n' | gzip > in/nova.compute_nodes.tsv.gz
printf 'nova.compute_nodes\tnova.compute_nodes.tsv.gz\tok\t2\t1\t1\t%s\thost,vcpus\t10.11.6-MariaDB\n' "$(sha256sum < in/nova.compute_nodes.tsv.gz | cut -c1-64)" >> in/MANIFEST.tsv
printf 'nova_cell1.instances\t\\N\tmissing\t\\N\t\\N\t\\N\t\\N\t\\N\t10.11.6-MariaDB\n' >> in/MANIFEST.tsv
cu-mask --no-trailers --key-file key -o out in 2> err
is "archive in: manifest rows carried over and updated" \
    "$(cut -f1-4,8,9 out/MANIFEST.tsv | tr '\t\n' ' |')" \
    "table file status rows columns server_version|nova.compute_nodes nova.compute_nodes.tsv.zst ok 2 host,vcpus 10.11.6-MariaDB|nova_cell1.instances \\N missing \\N \\N 10.11.6-MariaDB|"
is "archive in: bytes, file_bytes and sha256 are those of the new file" \
    "$(awk -F '\t' 'NR == 2 { print $5, $6, $7 }' out/MANIFEST.tsv)" \
    "$(zstd -dc out/nova.compute_nodes.tsv.zst | wc -c | tr -d ' ') $(wc -c < out/nova.compute_nodes.tsv.zst | tr -d ' ') $(sha256sum < out/nova.compute_nodes.tsv.zst | cut -c1-64)"
is "archive in: the table is masked" \
    "$(zstd -dc out/nova.compute_nodes.tsv.zst | sed -n 2p)" "$(hmac host kvm-c01.tacc)${tab}48"
cu-mask --no-trailers --key-file key -o out in > /dev/null 2>&1
is "-o refuses a directory that holds an archive" "$?" 2

# 48: JSONS through JSONS: unmasked tokens are copied as they are.
printf '{"_table":"a.b","host":"h","s":"caf\\u00e9\\/x","n":1.50,"z":null}\n' > raw.jsons
is "JSONS tokens copied byte for byte" "$(cu-mask --no-trailers --key-file key raw.jsons)" \
    "{\"_table\":\"a.b\",\"host\":\"$(hmac host h)\",\"s\":\"caf\\u00e9\\/x\",\"n\":1.50,\"z\":null}"

# 49-50: the cache: a repeated value comes from it, also for odd lengths.
printf 'host\nsame\nsame\nother\nsame\n' > rep.tsv
is "odd --length, computed and cached alike" \
    "$(cu-mask --no-trailers --key-file key -l 7 rep.tsv | tr '\n' ' ')" \
    "host $(hmac host same 7) $(hmac host same 7) $(hmac host other 7) $(hmac host same 7) "
is "--stats: 4 masked, 2 computed, and the line every tool ends with" \
    "$(cu-mask --no-trailers --key-file key --stats rep.tsv 2>&1 > /dev/null | sed -E 's/seconds=[0-9.]+ cpu=[0-9.]+/W/')" \
    "cu-mask: 4 values masked, 2 pseudonyms computed (50.0% from the cache)
cu-mask: stats: wrote rows=4 bytes=137 stored=137 W to=(stdout)"

# 51-52: a failed run leaves no archive that looks complete.
printf '#table\ta.b\nhost\nh1\n#table\ta.c\nhost\tn\nh2\t1\nh3\n' > bad.tsv
cu-mask --no-trailers --key-file key -o fail1 bad.tsv > /dev/null 2>&1
is "bad data with -o: exit 1, no manifest, no temporary file" \
    "$?:$(ls fail1 | tr '\n' ' ')" "1:a.b.tsv.zst "
cu-mask --no-trailers --key-file key -f nosuch -o fail2 "$data/cloud.tsv" > /dev/null 2>&1
is "a missing field with -o: exit 2, no manifest, no temporary file" \
    "$?:$(ls fail2 | grep -c -e MANIFEST -e tmp)" "2:0"

# 53: killed while writing an archive: the temporary file goes too.

# A wide section (20,000 columns, one of them a host): the preset's plan is
# made once per section, not once per column per column.
awk 'BEGIN { for (i = 1; i <= 20000; i++) { h = h (i > 1 ? "\t" : "") (i == 777 ? "host" : "c" i); v = v (i > 1 ? "\t" : "") "v" i }; print h; print v }' > wide.tsv
cu-mask --no-trailers --key-file key wide.tsv > wide.out 2> wide.err
is "wide section: exit 0, 20,000 columns kept" \
    "$?:$(awk -F '\t' '!/^#/ && ++k == 2 { print NF }' wide.out)" "0:20000"
is "wide section: only the host column is masked" \
    "$(awk -F '\t' '!/^#/ && ++k == 2 { for (i = 1; i <= NF; i++) if ($i != "v" i) print i ":" $i }' wide.out)" \
    "777:$(hmac host v777)"

mkfifo fifo
{ printf '#table\ta.b\nhost\nh1\n'; exec sleep 30; } > fifo &
feeder=$!
cu-mask --no-trailers --key-file key -o killed fifo 2> /dev/null &
masker=$!
i=0
while [ ! -e killed/.a.b.tsv.zst.tmp ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
had_tmp=$(ls -A killed 2> /dev/null)
kill -TERM $masker; wait $masker; status=$?
kill $feeder 2> /dev/null; wait $feeder 2> /dev/null
is "SIGTERM during -o removes the temporary file" \
    "$had_tmp:$status:$(ls -A killed)" ".a.b.tsv.zst.tmp:143:"

[ "$n" -eq 55 ] || echo "# ran $n tests, planned 55"
exit 0
