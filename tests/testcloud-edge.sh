#!/bin/sh
# CHI@Edge against the generator's truth, through a real MariaDB with the
# zun schema: devices, their leases and about 10^3 Zun containers (capsules,
# failures, containers never scheduled, Docker's status sync, Blazar's cleanup
# at a lease's end). One dump: cu-spans' device, committed and container
# spans are the truth's, exactly; cu-timeline's check holds on the site.
# Five nightly snapshots of the zun tables with hard deletes between them,
# and nova archiving and purging its deleted instances: cu-spans --history
# gives every container that was never deleted exactly, every deleted one up
# to the last snapshot that saw it, within one snapshot interval of its true
# end, and every instance exactly.
set -u
. "$top_srcdir/tests/lib/testdb.sh"
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }
echo "1..10"
n=0
check() { # check DESCRIPTION COMMAND...
    desc=$1; shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cu-edge.XXXXXX")
TESTDB_ZUN=1 testdb_start blazar-chameleon || { echo "Bail out! cannot start MariaDB"; exit 1; }
trap 'testdb_cleanup; rm -rf "$scratch"' EXIT

cloud=$scratch/cloud
cu-testcloud --seed 11 -n 300 --start 2025-01-01 --end 2025-04-01 \
    --edge-devices 40 --snapshots 5 --out "$cloud" >/dev/null 2>&1
testdb_load "$cloud/site1" || { echo "Bail out! cannot load the cloud"; exit 1; }

# ---- one dump
cu-dump --defaults-file="$TESTDB_CNF" --no-progress -o "$scratch/arch" 2>/dev/null
cu-spans --site site1 --stats "$scratch/arch" >"$scratch/spans.tsv" 2>"$scratch/stats"
edge() { awk -F'\t' '!/^#/ && ++r > 1 && ($2 == "container" || $7 ~ /-dev-/)' "$1" | sort; }
edge "$cloud/truth/spans.tsv" >"$scratch/truth-edge"
edge "$scratch/spans.tsv" >"$scratch/got-edge"
containers=$(awk -F'\t' 'NR > 1 { print $4 }' "$cloud/truth/containers-site1.tsv" | sort -u | wc -l)
check "the history has about 10^3 containers ($containers)" [ "$containers" -ge 800 ]
check "one dump: device, committed and container spans are the truth's ($(wc -l <"$scratch/truth-edge") spans)" \
    sh -c "[ -s '$scratch/truth-edge' ] && cmp -s '$scratch/truth-edge' '$scratch/got-edge'"
[ $n -gt 0 ] && ! cmp -s "$scratch/truth-edge" "$scratch/got-edge" &&
    diff "$scratch/truth-edge" "$scratch/got-edge" | head -10 | sed 's/^/# /'
check "one dump: every container state occurs (active, stopped, error)" \
    sh -c "for s in active stopped error; do awk -F'\t' -v s=\$s '\$2 == \"container\" && \$3 == s' '$scratch/got-edge' | grep -q . || exit 1; done"
members=$(zstd -dc "$scratch/arch/zun.container.tsv.zst" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "container_type") c = i; next } $c == 2 || $c == 3' | wc -l)
capsules=$(awk -F'\t' '$2 == "container" && $15 + 0 > 0' "$scratch/got-edge" | wc -l)
check "one dump: capsules are counted, their $members containers dropped" \
    sh -c "[ $members -gt 0 ] && grep -q '^dropped	container	container of a capsule (the capsule is counted)	$members\$' '$scratch/stats'"
check "cu-timeline --check holds on the edge site (nodes, containers)" \
    cu-timeline --check --resources nodes,containers "$scratch/spans.tsv"
occupied=$(cu-timeline --step 1mo --agg max --resources nodes --metrics occupied_reservation \
    --start 2025-01-01 --end 2025-04-01 "$scratch/spans.tsv" 2>/dev/null |
    awk -F'\t' '!/^#/ && ++r > 1 && $5 > m { m = $5 } END { print m + 0 }')
check "containers occupy reserved nodes ($occupied at most)" [ "$occupied" != 0 ]

# ---- nightly snapshots of the zun tables; their times as the manifests'.
# Between the nights nova archives its deleted instances into the shadow
# tables (nova-manage db archive_deleted_rows) and later purges them:
# each deleted instance is in some night, live or archived, with its
# deleted_at, so the history gives every instance span exactly.
sql() { mariadb --defaults-file="$TESTDB_CNF" -D nova -N -e "$1"; }
for t in instances instance_actions instance_actions_events instance_extra; do
    sql "CREATE TABLE nova.shadow_$t LIKE nova.$t"
done
archive() { # archive TIME: move instances deleted before TIME into the shadow tables
    sql "SET foreign_key_checks = 0;
        INSERT INTO nova.shadow_instance_actions_events SELECT e.* FROM nova.instance_actions_events e
            JOIN nova.instance_actions a ON e.action_id = a.id JOIN nova.instances i ON a.instance_uuid = i.uuid
            WHERE i.deleted_at < '$1';
        INSERT INTO nova.shadow_instance_actions SELECT a.* FROM nova.instance_actions a
            JOIN nova.instances i ON a.instance_uuid = i.uuid WHERE i.deleted_at < '$1';
        INSERT INTO nova.shadow_instance_extra SELECT x.* FROM nova.instance_extra x
            JOIN nova.instances i ON x.instance_uuid = i.uuid WHERE i.deleted_at < '$1';
        INSERT INTO nova.shadow_instances SELECT * FROM nova.instances WHERE deleted_at < '$1';
        DELETE e FROM nova.instance_actions_events e JOIN nova.instance_actions a ON e.action_id = a.id
            JOIN nova.instances i ON a.instance_uuid = i.uuid WHERE i.deleted_at < '$1';
        DELETE a FROM nova.instance_actions a JOIN nova.instances i ON a.instance_uuid = i.uuid
            WHERE i.deleted_at < '$1';
        DELETE x FROM nova.instance_extra x JOIN nova.instances i ON x.instance_uuid = i.uuid
            WHERE i.deleted_at < '$1';
        DELETE FROM nova.instances WHERE deleted_at < '$1'"
}
live0=$(sql "SELECT COUNT(*) FROM nova.instances")
prev=""
for k in 1 2 3 4 5; do
    (cd "$cloud/site1/snap-$k" && mariadb --defaults-file="$TESTDB_CNF" --local-infile=1 <load.sql) ||
        echo "# loading snapshot $k failed"
    t=$(cat "$cloud/site1/snap-$k/time")
    case $k in
    2 | 3 | 5) archive "$(echo "$prev" | sed 's/T/ /; s/Z//')" ;;
    4) sql "DELETE FROM nova.shadow_instance_actions_events; DELETE FROM nova.shadow_instance_actions;
            DELETE FROM nova.shadow_instance_extra; DELETE FROM nova.shadow_instances" # purge
       archive "$(echo "$prev" | sed 's/T/ /; s/Z//')" ;;
    esac
    prev=$t
    cu-dump --defaults-file="$TESTDB_CNF" --no-progress -o "$scratch/night-$k" 2>/dev/null
    # the dumps run seconds apart; each stands for the night it models
    awk -F'\t' -v OFS='\t' -v t="$t" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "started") c = i }
        NR > 1 && c && $c != "\\N" { $c = t } { print }' "$scratch/night-$k/MANIFEST.tsv" >"$scratch/m" &&
        mv "$scratch/m" "$scratch/night-$k/MANIFEST.tsv"
done
live5=$(sql "SELECT COUNT(*) FROM nova.instances")
shadow5=$(sql "SELECT COUNT(*) FROM nova.shadow_instances")
cu-spans --history --site site1 --kinds container,instance --stats "$scratch"/night-1 "$scratch"/night-2 \
    "$scratch"/night-3 "$scratch"/night-4 "$scratch"/night-5 >"$scratch/hist.tsv" 2>"$scratch/hist.err"
check "--history over the five nights runs" [ -s "$scratch/hist.tsv" ]
python3 "$top_srcdir/tests/lib/history-truth.py" "$cloud/truth/containers-site1.tsv" \
    "$scratch/hist.tsv" "$cloud/site1" 5 >"$scratch/cmp" 2>&1
status=$?
sed 's/^/# /' "$scratch/cmp"
check "never-deleted containers exactly, deleted ones within a night of their end" [ "$status" -eq 0 ]
# (against the first dump, taken before nova archived anything, whose
# instance spans tests/cu-spans-testcloud.sh holds to the truth)
grep -v '^#' "$scratch/spans.tsv" | awk -F'\t' '$2 == "instance"' | sort >"$scratch/truth-inst"
grep -v '^#' "$scratch/hist.tsv" | awk -F'\t' '$2 == "instance"' | sort >"$scratch/hist-inst"
check "nova archived then purged $((live0 - live5)) deleted instances ($shadow5 still in shadow_instances): the five nights give every instance span of the first dump exactly ($(wc -l <"$scratch/truth-inst"))" \
    sh -c "[ $live0 -gt $live5 ] && [ -s '$scratch/truth-inst' ] && cmp -s '$scratch/truth-inst' '$scratch/hist-inst'"
! cmp -s "$scratch/truth-inst" "$scratch/hist-inst" && diff "$scratch/truth-inst" "$scratch/hist-inst" | head -6 | cut -f2-6,10,13,18 | sed "s/^/# /"
gone=$(sed -n 's/^history	gone	zun.container	//p' "$scratch/hist.err")
check "--stats counts the zun.container rows gone between nights ($gone), as the snapshots show" \
    grep -q "^rows gone: $gone$" "$scratch/cmp"
