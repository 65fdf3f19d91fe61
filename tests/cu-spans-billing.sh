#!/bin/sh
# cu-spans against the billing sequences of issue 6: seconds per state inside
# the window 2000-01-01..2000-02-01, summed from the span stream, must be
# exactly what established billing tools give.
set -u
: "${top_srcdir:?}"
cases="$top_srcdir/tests/cases/cu-spans"
W='--start 2000-01-01T00:00:00Z --end 2000-02-01T00:00:00Z'

# "state=seconds ..." for the instance spans of a stream, states sorted.
seconds_by_state() {
    awk -F '\t' '
    function epoch(s,   y, m, d, era, yoe, doy, doe) {
        y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
        if (m <= 2) y--
        era = int(y / 400); yoe = y - era * 400
        doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
        doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
        return ((era * 146097 + doe - 719468) * 86400 + substr(s, 12, 2) * 3600 \
                + substr(s, 15, 2) * 60 + substr(s, 18, 2))
    }
    NR > 1 && $2 == "instance" { sec[$3] += epoch($6) - epoch($5) }
    END { for (s in sec) print s "=" sec[s] }' | sort | tr '\n' ' ' | sed 's/ $//'
}

n=0
check() { # name expected command...
    name=$1 want=$2
    shift 2
    n=$((n + 1))
    got=$("$@" | seconds_by_state)
    if [ "$got" = "$want" ]; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name: got '$got', expected '$want'"
    fi
}

echo 1..6
# create, stop +40 min, start +1 d, delete +1 d 40 min: 80 min active,
# 1 d - 40 min stopped
check "stop/start" "active=4800 stopped=84000" \
    cu-spans $W "$cases/billing-stop-start/input.tsv"
# create, shelve +40 min, unshelve +1 d, deleted_at +1 d 40 min and no
# delete action: 80 min active, nothing stopped
check "shelve/unshelve, deleted_at only" "active=4800 shelved=84000" \
    cu-spans $W "$cases/billing-shelve-deleted-at/input.tsv"
# create, stop +45 min, failed start +1 h, delete +1 h 10 min:
# 45 min active, 15 min stopped, 10 min error
check "failed start" "active=2700 error=600 stopped=900" \
    cu-spans $W "$cases/billing-failed-start/input.tsv"
# a failed create (by message, by event result) is never active
check "failed create" "error=18000" \
    cu-spans $W "$cases/billing-failed-create/input.tsv"
# a window ending inside the stopped stretch: only the seconds inside count
check "window clips" "active=2400 stopped=40800" \
    cu-spans --start 2000-01-01T00:00:00Z --end 2000-01-10T12:00:00Z \
    "$cases/billing-stop-start/input.tsv"
# a window starting inside it: the open end of nothing, the second active
check "window starts late" "active=2400 stopped=43200" \
    cu-spans --start 2000-01-10T12:00:00Z --end 2000-02-01T00:00:00Z \
    "$cases/billing-stop-start/input.tsv"
