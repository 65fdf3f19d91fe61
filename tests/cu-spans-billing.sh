#!/bin/sh
# cu-spans against the billing sequences of issue 6: seconds per state inside
# the window 2000-01-01..2000-02-01, summed from the span stream, must be
# exactly what established billing tools give.
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/lib/tap.sh"
cases="$top_srcdir/tests/cases/cu-spans"
W='--start 2000-01-01T00:00:00Z --end 2000-02-01T00:00:00Z'

# "state=seconds ..." for the instance spans of a stream, states sorted.
seconds_by_state() {
    awk -F '\t' "$(cat "$top_srcdir/tests/lib/epoch.awk")"'
    NR > 1 && $2 == "instance" { sec[$3] += epoch($6) - epoch($5) }
    END { for (s in sec) print s "=" sec[s] }' | sort | tr '\n' ' ' | sed 's/ $//'
}

seconds_are() { # seconds_are DESCRIPTION EXPECTED COMMAND...
    _desc=$1 _want=$2
    shift 2
    is "$_desc" "$("$@" | seconds_by_state)" "$_want"
}

echo 1..6
# create, stop +40 min, start +1 d, delete +1 d 40 min: 80 min active,
# 1 d - 40 min stopped
seconds_are "stop/start" "active=4800 stopped=84000" \
    cu-spans $W "$cases/billing-stop-start/input.tsv"
# create, shelve +40 min, unshelve +1 d, deleted_at +1 d 40 min and no
# delete action: 80 min active, nothing stopped
seconds_are "shelve/unshelve, deleted_at only" "active=4800 shelved=84000" \
    cu-spans $W "$cases/billing-shelve-deleted-at/input.tsv"
# create, stop +45 min, failed start +1 h, delete +1 h 10 min:
# 45 min active, 15 min stopped, 10 min error
seconds_are "failed start" "active=2700 error=600 stopped=900" \
    cu-spans $W "$cases/billing-failed-start/input.tsv"
# a failed create (by message, by event result) is never active
seconds_are "failed create" "error=18000" \
    cu-spans $W "$cases/billing-failed-create/input.tsv"
# a window ending inside the stopped stretch: only the seconds inside count
seconds_are "window clips" "active=2400 stopped=40800" \
    cu-spans --start 2000-01-01T00:00:00Z --end 2000-01-10T12:00:00Z \
    "$cases/billing-stop-start/input.tsv"
# a window starting inside it: the open end of nothing, the second active
seconds_are "window starts late" "active=2400 stopped=43200" \
    cu-spans --start 2000-01-10T12:00:00Z --end 2000-02-01T00:00:00Z \
    "$cases/billing-stop-start/input.tsv"
