#!/bin/sh
# cu-report's documents, checked with the real parts: the overview of a
# generated cloud as HTML (well-formed XML, nothing to fetch, rendered by
# headless Chromium with the network off: not blank, and its text holds the
# figures of the TSV report), as PDF (poppler reads it, its text holds the
# same figures, page 1 renders, pages grow with the tables) and as PNG.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
. "$top_srcdir/tests/lib/tap.sh"
for t in xmllint chromium pdfinfo pdftotext pdftoppm python3; do
    command -v "$t" >/dev/null || bail_out "$t is needed (scripts/install-deps installs it)"
done
testcloud="$top_builddir/cu-testcloud"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cu-render.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 99
pngstat() { python3 "$top_srcdir/tests/lib/pngstat.py" "$1"; }

"$testcloud" -o cloud --sites 2 --site-names uc,tacc -n 3000 --start 2024-01-01 \
    --end 2025-01-01 > gen.log 2>&1 || bail_out "cu-testcloud failed"
spans=cloud/truth/spans.tsv
sed 's/\t2025-\(0[17]\)$/\t2024-\1/' "$top_srcdir/examples/rates.tsv" > rates.tsv
month="--start 2024-06-01 --end 2024-07-01"
cu-report overview $month --check --institutions cloud/institutions.tsv \
    --rates rates.tsv --html -o o.html --pdf o.pdf --png o.png "$spans" 2> o.err
check "overview --html --pdf --png --check on the generator's cloud" [ $? -eq 0 ]

# HTML: well-formed, self-contained
check "the page is well-formed (xmllint)" xmllint --noout o.html
is "nothing on the page would be fetched (no script, link, image, url())" \
    "$(grep -ciE '<(script|link|img|iframe|object|embed)[ >]|url\(|@import|src=' o.html)" "0"
is "the only addresses are the XHTML and SVG namespaces" \
    "$(grep -oE 'https?://[^"]*' o.html | sort -u | tr '\n' ' ')" \
    "http://www.w3.org/1999/xhtml http://www.w3.org/2000/svg "
nsvg=$(grep -c '<svg ' o.html)
check "charts: two utilisation stacks per site, projects, institutions, sessions ($nsvg)" [ "$nsvg" -eq 7 ]
check "the title names the sites and the window" \
    grep -q '<title>Cloud usage of sites tacc, uc, 2024-06-01 to 2024-07-01 (UTC)</title>' o.html

# Chromium, offline: every name resolves nowhere, no proxy answers
chrome() {
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --no-first-run --disable-background-networking --disable-sync \
        --host-resolver-rules='MAP * ~NOTFOUND' --proxy-server='127.0.0.1:9' \
        --user-data-dir="$tmp/profile" "$@" 2>> chrome.log
}
chrome --window-size=1100,2000 --screenshot="$tmp/shot.png" "file://$tmp/o.html" > /dev/null
set -- $(pngstat shot.png 2>/dev/null || echo 0 0 0 0)
check "Chromium renders the page: not blank ($3 % of pixels drawn, deviation $4)" \
    sh -c "[ '$1' = 1100 ] && awk 'BEGIN { exit !($3 > 5 && $4 > 20) }'"
chrome --dump-dom "file://$tmp/o.html" > dom.html
total=$(cu-report usage $month --by project --total --no-trailers "$spans" |
    awk -F '\t' '$3 == "(total)" { print $7 }')
check "the rendered page holds the report's vCPU-hours total ($total)" \
    grep -q ">$total<" dom.html
inst=$(cu-report usage $month --by institution --institutions cloud/institutions.tsv \
    --no-trailers "$spans" | awk -F '\t' 'NR == 2 { print $3 "|" $7 }')
check "and an institution's figure ($inst)" \
    grep -q ">${inst#*|}<" dom.html
cu-report invoice $month --rates rates.tsv --no-trailers --tsv "$spans" |
    awk -F '\t' 'NR > 1 { split($15, c, "."); t[$13] += c[1] * 100 + c[2] }
        END { for (k in t) printf "%s|%d.%02d\n", k, t[k] / 100, t[k] % 100 }' | sort > inv.want
first=$(head -1 inv.want)
check "and the invoice total of an SU type ($first)" \
    grep -q "<b>${first#*|}</b>" dom.html

# PDF
pages=$(pdfinfo o.pdf 2>/dev/null | awk '/^Pages:/ { print $2 }')
check "poppler reads the PDF ($pages pages, A4)" \
    sh -c "[ '${pages:-0}' -ge 4 ] && pdfinfo o.pdf | grep -q 'A4'"
pdftotext -layout o.pdf o.txt
check "the PDF's text holds the vCPU-hours total ($total)" grep -q -- "$total" o.txt
check "and the headline" grep -q 'Reserved but idle' o.txt
pdftoppm -r 50 -f 1 -l 1 -png o.pdf p1
set -- $(pngstat p1-*1.png 2>/dev/null || echo 0 0 0 0)
check "page 1 renders, not blank ($3 % drawn)" awk "BEGIN { exit !($3 > 3) }"
cu-report usage $month --by project,user --period day --pdf long.pdf "$spans"
cu-report usage $month --by project --pdf short.pdf "$spans"
long=$(pdfinfo long.pdf | awk '/^Pages:/ { print $2 }')
short=$(pdfinfo short.pdf | awk '/^Pages:/ { print $2 }')
check "pages grow with the table ($short pages for projects, $long per day and user)" \
    [ "$long" -gt "$short" ]
check "a long table repeats its header on every page it is on" \
    sh -c "[ \$(pdftotext long.pdf - | grep -c 'period_start') -ge $((long - 1)) ]"

# PNG
set -- $(pngstat o.png 2>/dev/null || echo 0 0 0 0)
check "--png draws the utilisation stack, 1920 pixels wide, not blank ($3 % drawn)" \
    sh -c "[ '$1' = 1920 ] && awk 'BEGIN { exit !($3 > 20 && $4 > 20) }'"

# standard input: copied once, read by every part; the same page
cu-report overview $month --check --html < "$spans" > stdin.html
cu-report overview $month --check --html "$spans" > file.html
check "the overview of standard input is the overview of the file" cmp -s stdin.html file.html
tap_done
