#!/bin/sh
# scripts/cu-pipeline end to end on a small generated cloud in a throwaway
# MariaDB: the run directory appears only when complete, stage log lines
# whose counts are the outputs', the lock against overlapping runs, sites in
# parallel where a failing one leaves nothing of its own behind and stops
# no other, gzip and the full timeline on request, masking with a key file.
set -u
. "$top_srcdir/tests/lib/testdb.sh"
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }
echo "1..37"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cu-pipe.XXXXXX")
testdb_start blazar-chameleon || { echo "Bail out! cannot start MariaDB"; exit 1; }
trap 'testdb_cleanup; rm -rf "$scratch"' EXIT

n=0
check() { # check DESCRIPTION COMMAND...
    desc=$1; shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi
}

cu-testcloud --seed 7 --sites 1 --site-names s1 -n 150 --start 2025-01-01 \
    --end 2025-03-01 --out "$scratch/cloud" >/dev/null 2>&1
testdb_load "$scratch/cloud/s1"
sites="$scratch/sites.tsv"
cp "$top_srcdir/examples/rates.tsv" "$scratch/rates.tsv"
printf 'site\tname\tgroup\tdir\tdefaults_file\trates\tinstitutions\ns1\tSite one\t\t\t%s\trates.tsv\t%s\n' \
    "$TESTDB_CNF" "$scratch/cloud/institutions.tsv" >"$sites"
out="$scratch/out"

cu-pipeline --sites "$sites" --out "$out" --run-id r1 --step 1d \
    --start 2025-01-01 --end 2025-03-01 >"$scratch/stdout" 2>"$scratch/stderr"
status=$?
check "a run succeeds" [ "$status" -eq 0 ]
[ "$status" -eq 0 ] || sed 's/^/# /' "$scratch/stderr"
check "it prints the run directory" [ "$(cat "$scratch/stdout")" = "$out/r1" ]
check "latest points at the run" [ "$(readlink "$out/latest")" = r1 ]
check "the run has a zstd archive, zstd spans and the daily timeline" \
    [ -f "$out/r1/s1/archive/MANIFEST.tsv" -a -s "$out/r1/s1/archive/nova.instances.tsv.zst" -a \
      -s "$out/r1/s1/spans.tsv.zst" -a -s "$out/r1/s1/timeline-1d.tsv.zst" ]
check "... and not the full-resolution timeline, unless asked" [ ! -e "$out/r1/s1/timeline.tsv.zst" ]
check "the run has monthly usage, sessions and utilisation reports" \
    [ -s "$out/r1/s1/usage-month.tsv" -a -s "$out/r1/s1/sessions-month.tsv" -a \
      -s "$out/r1/s1/utilisation-month.tsv" ]
# (reconciled with the spans by --check inside the pipeline)
report_hours=$(awk -F '\t' '/^#/ { next } !h++ { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $(c["project"]) == "(total)" { print $(c["hours"]) }' "$out/r1/s1/usage-month.tsv")
check "the usage report has a total row ($report_hours hours)" [ -n "$report_hours" ]
check "the usage report names projects from the archive" \
    grep -q 'project_name' "$out/r1/s1/usage-month.tsv"
check "the sites file's institutions give usage per institution" \
    grep -q '(total)' "$out/r1/s1/usage-institution-month.tsv"
inv="$out/r1/s1/invoice.csv"
check "the sites file's rates give the last complete month's invoice, CSV in NERC's columns" \
    [ "$(head -1 "$inv" | tr -d '\r')" = "Invoice Month,Report Start Time,Report End Time,Project - Allocation,Project - Allocation ID,Manager (PI),Cluster Name,Invoice Email,Invoice Address,Institution,Institution - Specific Code,SU Hours (GBhr or SUhr),SU Type,Rate,Cost,Generated At" ]
months=$(tail -n +2 "$inv" | cut -d, -f1 | sort -u | tr '\n' ' ')
check "the invoice is February's ($(tail -n +2 "$inv" | wc -l) rows, months: $months)" \
    [ "$months" = "2025-02 " ]
check "the run has February's site report as a page and a PDF" \
    sh -c "grep -q '<title>Cloud usage of site s1, 2025-02-01 to 2025-03-01 (UTC)</title>' '$out/r1/s1/report.html' && pdfinfo '$out/r1/s1/report.pdf' >/dev/null"
# the log's counts are the outputs' rows, read from the tools' --stats
rows_of() { case $1 in *.gz) gzip -dc "$1" ;; *) zstd -dc "$1" ;; esac | awk '/^#/ { next } h++ { k++ } END { print k + 0 }'; }
logged() { sed -n "s/.*site=s1 stage=$1 rows=\([0-9]*\) .*/\1/p" "$out/r1/pipeline.log"; }
spans=$(rows_of "$out/r1/s1/spans.tsv.zst")
check "the log gives the span count ($spans)" [ "$spans" -gt 0 -a "$(logged spans)" = "$spans" ]
tl=$(rows_of "$out/r1/s1/timeline-1d.tsv.zst")
check "the log gives the timeline's rows ($tl)" [ "$(logged timeline)" = "$tl" ]
dumped=$(awk -F'\t' 'NR > 1 && $3 == "ok" { r += $4 } END { print r }' "$out/r1/s1/archive/MANIFEST.tsv")
check "the log gives the archive's rows ($dumped)" [ "$(logged dump)" = "$dumped" ]
check "the log has every stage with rows, bytes, stored bytes and the tools' seconds" \
    [ "$(grep -cE 'site=s1 stage=(dump|spans|timeline|check|reports|overview) rows=[0-9]+ bytes=[0-9]+ stored=[0-9]+ seconds=[0-9.]+$' "$out/r1/pipeline.log")" -eq 6 ]
check "the run ends complete" grep -q 'run r1 complete' "$out/r1/pipeline.log"
check "the site's log holds its tools' messages" grep -q 'cu-spans: stats: wrote' "$out/r1/s1/site.log"
check "no partial directory is left" [ -z "$(ls -A "$out" | grep partial)" ]

cu-pipeline --sites "$sites" --out "$out" --run-id r1 >/dev/null 2>&1
check "an existing run id is a usage error" [ $? -eq 2 ]

# Overlapping runs: hold the lock as a running pipeline would.
(exec 8>"$out/.lock"; flock 8; exec sleep 20) &
holder=$!
sleep 1
cu-pipeline --sites "$sites" --out "$out" --run-id r2 >/dev/null 2>"$scratch/lock.err"
status=$?
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
check "a second run exits 75 while the lock is held" [ "$status" -eq 75 ]
check "... and creates no run directory" [ ! -e "$out/r2" ]

# Three sites at once, the second one failing (its database does not
# answer): the others complete, the run exits non-zero and is not latest,
# and the failed site leaves only its log.
printf 's2\tSite two\t\t\t%s\t\\N\t\\N\n' "$scratch/nonexistent.cnf" >>"$sites"
printf 's3\tSite three\t\t\t%s\t\\N\t\\N\n' "$TESTDB_CNF" >>"$sites"
printf '[client]\nsocket=%s/no.sock\nuser=root\n' "$scratch" >"$scratch/nonexistent.cnf"
cu-pipeline --sites "$sites" --out "$out" --run-id r3 -j 3 --step 1d \
    --start 2025-01-01 --end 2025-03-01 >/dev/null 2>"$scratch/fail.err"
status=$?
check "-j 3 with a failing site: the run fails ($status)" [ "$status" -eq 1 ]
check "... the other two sites are complete" \
    sh -c "[ -s '$out/r3/s1/report.pdf' -a -s '$out/r3/s3/report.pdf' ] && grep -q 'site=s1 stage=overview' '$out/r3/pipeline.log' && grep -q 'site=s3 stage=reports' '$out/r3/pipeline.log'"
check "... and hold the same spans (one database)" \
    sh -c "[ \"\$(zstd -dc '$out/r3/s1/spans.tsv.zst' | cut -f2- | md5sum)\" = \"\$(zstd -dc '$out/r3/s3/spans.tsv.zst' | cut -f2- | md5sum)\" ]"
check "... the failed site leaves only its log, named in FAILED" \
    sh -c "[ ! -e '$out/r3/s2' -a -s '$out/r3/s2.failed.log' ] && [ \"\$(cat '$out/r3/FAILED')\" = s2 ] && grep -q 'site=s2 stage=dump FAILED' '$out/r3/pipeline.log'"
check "... latest still points at the last complete run, no partial directory" \
    [ "$(readlink "$out/latest")" = r1 -a -z "$(ls -A "$out" | grep partial)" ]
check "... every log line is whole (a time, then site= or run)" \
    sh -c "! grep -vE '^20[0-9-]+T[0-9:]+Z (site=s[123] stage=[a-z]+ |run r3)' '$out/r3/pipeline.log'"
check "... the sites ran at once: s3 began before s1 ended" \
    sh -c "[ \$(grep -n 'site=s3 stage=dump ' '$out/r3/pipeline.log' | cut -d: -f1) -lt \$(grep -n 'site=s1 stage=reports ' '$out/r3/pipeline.log' | cut -d: -f1) ]"

# Every site failing: nothing is published.
cu-pipeline --sites "$sites" --site s2 --out "$out" --run-id r5 >/dev/null 2>&1
status=$?
check "a run whose every site fails exits 1 and leaves no run directory ($status)" \
    [ "$status" -eq 1 -a ! -e "$out/r5" -a -z "$(ls -A "$out" | grep partial)" ]

# gzip on request, and the full-resolution timeline
cu-pipeline --sites "$sites" --site s1 --out "$out" --run-id r6 --compress gzip \
    --full-timeline --step none --start 2025-01-01 --end 2025-03-01 >/dev/null 2>"$scratch/gz.err"
status=$?
check "--compress gzip --full-timeline --step none: gzip archive, spans and full timeline only" \
    sh -c "[ $status -eq 0 -a -s '$out/r6/s1/archive/nova.instances.tsv.gz' -a -s '$out/r6/s1/spans.tsv.gz' -a -s '$out/r6/s1/timeline.tsv.gz' ] && ! ls '$out/r6/s1' | grep -q 'timeline-'"
check "... the gzip spans are the zstd spans" \
    sh -c "[ \"\$(gzip -dc '$out/r6/s1/spans.tsv.gz' | md5sum)\" = \"\$(zstd -dc '$out/r1/s1/spans.tsv.zst' | md5sum)\" ]"
check "... the full timeline's rows are logged ($(rows_of "$out/r6/s1/timeline.tsv.gz"))" \
    grep -q "site=s1 stage=timeline rows=$(rows_of "$out/r6/s1/timeline.tsv.gz") " "$out/r6/pipeline.log"

# History: this run's archive and those of the earlier runs of s1 (r1, r3
# and r6, whose archive is gzip; latest is a link to r1, not a run).
cu-pipeline --sites "$sites" --site s1 --out "$out" --run-id r7 --history 9 \
    --start 2025-01-01 --end 2025-03-01 >/dev/null 2>"$scratch/hist.err"
status=$?
check "--history: the spans come from four archives ($status)" \
    sh -c "[ $status -eq 0 ] && grep -q '^history	archives	4\$' '$out/r7/s1/site.log'"
check "... and are the single archive's, as no row was deleted in between" \
    sh -c "[ \"\$(zstd -dc '$out/r7/s1/spans.tsv.zst' | md5sum)\" = \"\$(zstd -dc '$out/r1/s1/spans.tsv.zst' | md5sum)\" ]"

# Masking with a key file: no project id of the cloud survives in the spans.
cu-mask --new-key "$scratch/key" >/dev/null 2>&1
cu-pipeline --sites "$sites" --site s1 --out "$out" --run-id r4 --key-file "$scratch/key" \
    >/dev/null 2>"$scratch/mask.err"
status=$?
check "a masked run succeeds" [ "$status" -eq 0 -a -d "$out/r4/s1/masked" ]
[ "$status" -eq 0 ] || sed 's/^/# /' "$scratch/mask.err"
project=$(zstd -dc "$out/r1/s1/spans.tsv.zst" | awk -F'\t' '!/^#/ && ++r > 1 && $8 != "\\N" { print $8; exit }')
check "masked spans do not contain the project id '$project'" \
    sh -c "[ -n '$project' ] && [ -s '$out/r4/s1/spans.tsv.zst' ] && ! zstd -dc '$out/r4/s1/spans.tsv.zst' | grep -qF '$project'"
