#!/bin/sh
# scripts/cu-pipeline end to end on a small generated cloud in a throwaway
# MariaDB: the run directory appears only when complete, stage log lines,
# the lock against overlapping runs, a failing stage leaves nothing behind,
# masking with a key file.
set -u
. "$top_srcdir/tests/lib/testdb.sh"
testdb_available || { echo "1..0 # SKIP mariadbd not installed"; exit 0; }
echo "1..21"

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
check "the run has an archive, spans and timelines" \
    [ -f "$out/r1/s1/archive/MANIFEST.tsv" -a -s "$out/r1/s1/spans.tsv.gz" -a \
      -s "$out/r1/s1/timeline.tsv.gz" -a -s "$out/r1/s1/timeline-1d.tsv.gz" ]
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
spans=$(gzip -cd "$out/r1/s1/spans.tsv.gz" | grep -v '^#' | tail -n +2 | wc -l)
check "the log gives the span count ($spans)" \
    grep -q "site=s1 stage=spans rows=$spans seconds=" "$out/r1/pipeline.log"
check "the log has every stage and the end" \
    [ "$(grep -cE 'stage=(dump|spans|timeline|check)|complete' "$out/r1/pipeline.log")" -eq 5 ]
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

# A failing stage: the second site's database does not answer.
printf 's2\tSite two\t\t\t%s\t\\N\t\\N\n' "$scratch/nonexistent.cnf" >>"$sites"
printf '[client]\nsocket=%s/no.sock\nuser=root\n' "$scratch" >"$scratch/nonexistent.cnf"
cu-pipeline --sites "$sites" --out "$out" --run-id r3 >/dev/null 2>"$scratch/fail.err"
status=$?
check "a failing stage fails the run ($status)" [ "$status" -ne 0 ]
check "... and leaves no run directory nor partial one" \
    [ ! -e "$out/r3" -a -z "$(ls -A "$out" | grep partial)" -a "$(readlink "$out/latest")" = r1 ]

# Masking with a key file: no project id of the cloud survives in the spans.
cu-mask --new-key "$scratch/key" >/dev/null 2>&1
cu-pipeline --sites "$sites" --site s1 --out "$out" --run-id r4 --key-file "$scratch/key" \
    >/dev/null 2>"$scratch/mask.err"
status=$?
check "a masked run succeeds" [ "$status" -eq 0 -a -d "$out/r4/s1/masked" ]
[ "$status" -eq 0 ] || sed 's/^/# /' "$scratch/mask.err"
project=$(gzip -cd "$out/r1/s1/spans.tsv.gz" | awk -F'\t' '!/^#/ && ++r > 1 && $8 != "\\N" { print $8; exit }')
check "masked spans do not contain the project id '$project'" \
    sh -c "[ -n '$project' ] && [ -s '$out/r4/s1/spans.tsv.gz' ] && ! gzip -cd '$out/r4/s1/spans.tsv.gz' | grep -qF '$project'"
