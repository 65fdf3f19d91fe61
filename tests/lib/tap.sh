# TAP output for the shell tests: `. "$top_srcdir/tests/lib/tap.sh"`.
# Every helper that asserts prints one numbered "ok" or "not ok" line, and
# after a failure "# " lines that show why. The test numbers run in $n, the
# failures in $failed; a test whose count depends on what ran ends with
# tap_done, which prints the plan and fails when any test failed.
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

check() { # check DESCRIPTION COMMAND...: ok when COMMAND succeeds
    _tap_desc=$1
    shift
    if "$@"; then ok "$_tap_desc"; else not_ok "$_tap_desc"; fi
}

is() { # is DESCRIPTION GOT WANT: ok when the strings are equal
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1"; echo "#   got:  '$2'"; echo "#   want: '$3'"; fi
}

same() { # same DESCRIPTION EXPECTED-FILE ACTUAL-FILE: ok when equal
    if cmp -s "$2" "$3"; then ok "$1"; else
        not_ok "$1"; diff -u "$2" "$3" | sed 's/^/# /' | head -40; fi
}

has() { grep -q -- "$2" "$1"; } # has FILE PATTERN (a command for check)

bail_out() { echo "Bail out! $1"; exit 1; }

tap_done() { echo "1..$n"; [ "$failed" -eq 0 ]; }
