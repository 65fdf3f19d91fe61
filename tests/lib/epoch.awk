# epoch(s): the Unix seconds of a time written YYYY-MM-DDTHH:MM:SS (UTC;
# what follows the seconds is ignored), from the civil date by the days-
# from-civil algorithm, so no awk extension or local time is involved.
# Paste before a program: awk "$(cat "$top_srcdir/tests/lib/epoch.awk")"'...'
function epoch(s,   y, m, d, era, yoe, doy, doe) {
    y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
    if (m <= 2) y--
    era = int(y / 400); yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return ((era * 146097 + doe - 719468) * 86400 + substr(s, 12, 2) * 3600 \
            + substr(s, 15, 2) * 60 + substr(s, 18, 2))
}
