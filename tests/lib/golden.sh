#!/bin/sh
# Golden transcripts: run every case of a tool and compare with what it must
# print. Usage: golden.sh TOOL  (cases in $top_srcdir/tests/cases/TOOL/)
#
# A case is a directory holding
#   cmd     the command line, run by sh in a scratch copy of the case dir
#   stdin   (optional) fed to the command, else /dev/null
#   out     expected stdout, compared byte for byte
#   err     (optional) expected stderr; absent means stderr must be empty
#   status  (optional) expected exit status, default 0
# Output files a command writes stay in the scratch dir, which is removed.
# Prints TAP: one test per case.
set -u
tool=$1
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
cases="$top_srcdir/tests/cases/$tool"
[ -d "$cases" ] || { echo "1..0 # SKIP no cases for $tool"; exit 0; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cu-golden.XXXXXX") || exit 99
trap 'rm -rf "$scratch"' EXIT HUP INT TERM

n=0
for c in "$cases"/*/; do [ -f "$c/cmd" ] && n=$((n + 1)); done
echo "1..$n"

i=0
for c in "$cases"/*/; do
    c=${c%/}
    [ -f "$c/cmd" ] || continue
    i=$((i + 1))
    name=${c##*/}
    work="$scratch/$name"
    cp -R "$c" "$work"
    chmod -R u+w "$work"
    input=/dev/null
    [ -f "$c/stdin" ] && input="$work/stdin"
    (cd "$work" && sh ./cmd <"$input" >"$scratch/out" 2>"$scratch/err")
    status=$?
    want_status=0
    [ -f "$c/status" ] && want_status=$(cat "$c/status")
    want_err=/dev/null
    [ -f "$c/err" ] && want_err="$c/err"
    problems=""
    [ "$status" = "$want_status" ] ||
        problems="$problems exit status $status, expected $want_status;"
    cmp -s "$scratch/out" "$c/out" || problems="$problems stdout differs;"
    cmp -s "$scratch/err" "$want_err" || problems="$problems stderr differs;"
    if [ -z "$problems" ]; then
        echo "ok $i - $tool $name"
    else
        echo "not ok $i - $tool $name:$problems"
        echo "# command: $(cat "$c/cmd")"
        diff -u "$c/out" "$scratch/out" | sed 's/^/# /' | head -40
        diff -u "$want_err" "$scratch/err" | sed 's/^/# /' | head -20
    fi
done
