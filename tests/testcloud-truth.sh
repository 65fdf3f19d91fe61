#!/bin/sh
# cu-testcloud without a database: options, determinism, quirk switches, and
# the internal consistency of its ground truth (testcloud/check-truth.py).
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
gen=$top_builddir/cu-testcloud
check=$top_srcdir/testcloud/check-truth.py
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 not installed"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cu-tc-truth.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT HUP INT TERM

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
# run the truth checker; on failure show its report
truth_ok() {
    if python3 "$check" "$@" >"$work/check.out" 2>&1; then
        return 0
    fi
    grep -v '^ok' "$work/check.out" | sed 's/^/# /'
    return 1
}

echo "1..22"

"$gen" --help >"$work/help" 2>&1
check "--help exits 0 and documents every option" \
  'grep -q -- --quirks "$work/help" && grep -q -- --truth-step "$work/help" && grep -q -- --blazar "$work/help"'
"$gen" --out "$work/x" --blazar nova 2>"$work/err"; s=$?
check "--blazar with an unknown variant is a usage error (exit 2)" '[ $s = 2 ] && grep -q "upstream or chameleon" "$work/err"'
"$gen" --out "$work/x" --quirks zero-dates,bogus 2>"$work/err"; s=$?
check "an unknown quirk is a usage error naming it" '[ $s = 2 ] && grep -q "bogus" "$work/err"'
"$gen" -n 10 2>/dev/null; s=$?
check "--out is required" '[ $s = 2 ]'
"$gen" --out "$work/x" --truth-start 2024-05-01 --truth-end 2024-04-01 2>/dev/null; s=$?
check "an empty truth window is a usage error" '[ $s = 2 ]'
"$gen" --out "$work/x" --start 2023-02-29 2>/dev/null; s=$?
check "an impossible date is a usage error" '[ $s = 2 ]'

# Chameleon Blazar, two sites, no quirks: every consistency rule holds.
"$gen" --out "$work/a" --seed 11 --sites 2 -n 1500 --start 2024-01-01 --end 2024-07-01
check "two sites, chameleon blazar: truth is consistent" 'truth_ok "$work/a"'
check "the files of both sites and the truth are there" \
  '[ -f "$work/a/site1/load.sql" ] && [ -f "$work/a/site2/nova.instances.tsv" ] && [ -f "$work/a/truth/timeline.tsv" ] && [ -f "$work/a/institutions.tsv" ]'
rows=$(awk -F'\t' '$1=="nova.instances"{print $2}' "$work/a/site1/counts.tsv")
lines=$(wc -l <"$work/a/site1/nova.instances.tsv")
secs=$(awk -F'\t' '$1=="site2"' "$work/a/truth/instance_seconds.tsv" | wc -l)
check "counts.tsv agrees with the files; one truth row per instance" \
  '[ "$rows" = 1500 ] && [ "$lines" -eq 1500 ] && [ "$secs" -eq 1500 ]'
kinds=$(awk -F'\t' 'NR>1{print $2"/"$3}' "$work/a/truth/spans.tsv" | sort -u | tr '\n' ' ')
check "spans cover every kind and instance state" \
  '[ "$kinds" = "committed/committed instance/active instance/error instance/shelved instance/stopped reservable/reservable total/total " ]'
[ "$kinds" = "committed/committed instance/active instance/error instance/shelved instance/stopped reservable/reservable total/total " ] || echo "# kinds: $kinds"
books=$(awk -F'\t' 'NR>1 && $2=="instance"{print $13}' "$work/a/truth/spans.tsv" | sort -u | tr '\n' ' ')
check "both bookings occur" '[ "$books" = "ondemand reservation " ]'
acts=$(cut -f5 "$work/a/site1/nova.instance_actions.tsv" | sort -u | tr '\n' ' ')
check "all nova actions occur" '[ "$acts" = "confirmResize create delete live-migration migrate pause reboot rebuild resize resume shelve shelveOffload start stop suspend unpause unshelve " ]'
[ "$acts" = "confirmResize create delete live-migration migrate pause reboot rebuild resize resume shelve shelveOffload start stop suspend unpause unshelve " ] || echo "# actions: $acts"

# Upstream Blazar, a window inside the history, calendar-month buckets.
"$gen" --out "$work/b" --seed 12 --blazar upstream -n 1500 --truth-start 2024-02-10 \
    --truth-end 2024-06-01T12:00:00Z --truth-step 1mo
check "upstream blazar, sub-window, monthly buckets: truth is consistent" 'truth_ok "$work/b"'
bt=$(awk -F'\t' 'NR>1{print $2}' "$work/b/truth/timeline.tsv" | uniq | tr '\n' ' ')
check "monthly buckets are calendar months cut to the window" \
  '[ "$bt" = "2024-02-10T00:00:00Z 2024-03-01T00:00:00Z 2024-04-01T00:00:00Z 2024-05-01T00:00:00Z 2024-06-01T00:00:00Z " ]'
orphans=$(awk -F'\t' '$18=="orphan" && $13=="reservation"' "$work/b/truth/spans.tsv" | wc -l)
check "upstream: reserved instances of ended leases are orphans" '[ "$orphans" -gt 0 ]'
maxlife=$(awk -F'\t' 'NR>1 && $14>m{m=$14} END{print m+0}' "$work/b/truth/instance_seconds.tsv")
# 2024-02-10 .. 2024-06-01T12:00 = 112 days + 12 h
check "no lifetime exceeds the window" '[ "$maxlife" -le $((112 * 86400 + 43200)) ] && [ "$maxlife" -gt 0 ]'

# Quirks: each one is present when enabled, absent when not.
"$gen" --out "$work/q" --seed 13 --sites 2 -n 1500 --quirks all --truth-step 6h
check "all quirks: truth is consistent apart from the stack" 'truth_ok "$work/q" --no-stack'
missing=$(awk -F'\t' 'NR>1 && ($3!=1 || $4<1){print $1":"$2}' "$work/q/truth/quirks.tsv" | tr '\n' ' ')
check "each quirk occurs on both sites when enabled" '[ -z "$missing" ] && [ "$(wc -l <"$work/q/truth/quirks.tsv")" -eq 13 ]'
[ -z "$missing" ] || echo "# missing: $missing"
present=$(awk -F'\t' 'NR>1 && ($3!=0 || $4!=0)' "$work/a/truth/quirks.tsv" | wc -l)
check "no quirk occurs when none is enabled" '[ "$present" -eq 0 ]'
"$gen" --out "$work/q1" --seed 13 -n 1500 --quirks null-finish
only=$(awk -F'\t' 'NR>1 && $4>0{print $2}' "$work/q1/truth/quirks.tsv" | tr '\n' ' ')
nullfin=$(awk -F'\t' '$8=="\\N"' "$work/q1/site1/nova.instance_actions_events.tsv" | wc -l)
want=$(awk -F'\t' '$2=="null-finish"{print $4}' "$work/q1/truth/quirks.tsv")
check "one quirk alone: only it occurs, as often as reported" '[ "$only" = "null-finish " ] && [ "$nullfin" -eq "$want" ]'

# Determinism: same seed, same bytes; another seed, another cloud.
"$gen" --out "$work/a2" --seed 11 --sites 2 -n 1500 --start 2024-01-01 --end 2024-07-01
"$gen" --out "$work/c" --seed 99 --sites 2 -n 1500 --start 2024-01-01 --end 2024-07-01
check "same seed: identical files" 'diff -r "$work/a" "$work/a2" >/dev/null'
check "different seed: different rows and truth" \
  '! cmp -s "$work/a/site1/nova.instances.tsv" "$work/c/site1/nova.instances.tsv" && ! cmp -s "$work/a/truth/spans.tsv" "$work/c/truth/spans.tsv"'
