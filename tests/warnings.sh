#!/bin/sh
# lib/ and tools/ compile clean with -Wall -Wextra -Wshadow -Wconversion
# (-Wsign-conversion too, in C): the build itself keeps -Werror on the
# usual set; this holds the stricter set for the code the tools run, one
# file at a time, so that a warning names its file.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/lib/tap.sh"
cc=${CC:-cc}
flags="-std=c11 -Wall -Wextra -Wshadow -Wconversion -Werror -fsyntax-only"
incs="-I$top_srcdir/lib -I$top_builddir $(pkg-config --cflags cairo pangocairo libmariadb 2>/dev/null)"
for dir in lib tools; do
    bad=""
    count=0
    for f in $(find "$top_srcdir/$dir" -name '*.c' | sort); do
        count=$((count + 1))
        # shellcheck disable=SC2086
        $cc $flags $incs "$f" >"warnings.out" 2>&1 || bad="$bad ${f#"$top_srcdir"/}"
    done
    if [ -z "$bad" ]; then ok "$dir/: $count files, no warning with -Wconversion -Wshadow"
    else not_ok "$dir/: warnings in$bad"; sed 's/^/# /' warnings.out | head -10; fi
done
rm -f warnings.out
tap_done
