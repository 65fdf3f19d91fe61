#!/bin/sh
# Every long option a tool's --help lists is documented in its man page, and
# every tool answers --version with the package version.
set -u
tools="cu-dump cu-mask cu-spans cu-timeline cu-report cu-replay"
echo "1..$(( $(echo $tools | wc -w) * 3 + 1 ))"
n=0
result() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

for t in $tools; do
    page="$top_srcdir/man/$t.1"
    # the page as plain text: roff's \- is a dash, font escapes go
    text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(em/-/g' "$page")
    missing=""
    for opt in $("$t" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
        printf '%s\n' "$text" | grep -qe "$opt" || missing="$missing $opt"
    done
    result "$([ -z "$missing" ]; echo $?)" "$t: every option of --help is in $t(1)${missing:+ (missing:$missing)}"
    v=$("$t" --version | head -1)
    result "$([ "$v" = "$t (cu) $(sed -n 's/^AC_INIT(\[cu\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")" ]; echo $?)" "$t --version: '$v'"
    result "$("$t" --version | grep -q '^License MIT'; echo $?)" "$t --version states the license"
done
pipeline_missing=""
text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$top_srcdir/man/cu-pipeline.1")
for opt in $(cu-pipeline --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
    printf '%s\n' "$text" | grep -qe "$opt" || pipeline_missing="$pipeline_missing $opt"
done
result "$([ -z "$pipeline_missing" ]; echo $?)" "cu-pipeline: every option of --help is in cu-pipeline(1)${pipeline_missing:+ (missing:$pipeline_missing)}"
