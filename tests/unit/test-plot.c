/* lib/plot: the tick choice (nice steps, calendar ticks and their labels)
 * and numbers for people. The drawing itself is checked by a golden SVG
 * (tests/cases/cu-report/html-*) and in a browser (tests/cu-report-render.sh). */
#include "config.h"

#include <string.h>

#include "plot.h"
#include "tap.h"

static void ticks_are(double lo, double hi, size_t max, size_t want_n,
                      double want_first, double want_step)
{
    double first = -1, step = -1;
    size_t n = cu_nice_ticks(lo, hi, max, &first, &step);
    ok(n == want_n && first == want_first && step == want_step,
       "ticks %g..%g (max %zu): %zu from %g by %g", lo, hi, max, n, first,
       step);
}

static void human_is(double v, const char *want)
{
    char buf[40];
    cu_human_number(v, buf);
    ok(strcmp(buf, want) == 0, "human %g: '%s' (want '%s')", v, buf, want);
}

static cu_time day(int y, unsigned m, unsigned d)
{
    return cu_days_from_civil(y, m, d) * 86400 * INT64_C(1000000);
}

int main(void)
{
    plan(0);
    ticks_are(0, 1037, 6, 6, 0, 200);
    ticks_are(0, 1037, 11, 11, 0, 100);
    ticks_are(0, 1, 6, 6, 0, 0.2);
    ticks_are(0, 48.5, 6, 5, 0, 10);
    ticks_are(0, 0, 6, 6, 0, 0.2);
    ticks_are(120, 180, 4, 4, 120, 20);

    cu_time t[64];
    char kind = 0, label[32];
    size_t n = cu_time_ticks(day(2025, 3, 1), day(2025, 4, 1), 40, t, 64, &kind);
    ok(n == 32 && kind == 'd' && t[0] == day(2025, 3, 1) &&
           t[31] == day(2025, 4, 1),
       "a month of days: %zu daily ticks", n);
    n = cu_time_ticks(day(2025, 3, 1), day(2025, 4, 1), 8, t, 64, &kind);
    ok(n == 5 && kind == 'd' && t[0] == day(2025, 3, 3),
       "a month in 8 ticks: weeks from Monday March 3 (%zu)", n);
    cu_time_tick_label(t[0], kind, label);
    ok(strcmp(label, "Mar 3") == 0, "its label: '%s'", label);
    n = cu_time_ticks(day(2025, 1, 1), day(2026, 1, 1), 13, t, 64, &kind);
    ok(n == 13 && kind == 'm' && t[12] == day(2026, 1, 1),
       "a year of months: %zu", n);
    cu_time_tick_label(t[1], kind, label);
    ok(strcmp(label, "Feb 2025") == 0, "its label: '%s'", label);
    n = cu_time_ticks(day(2020, 1, 1), day(2026, 1, 1), 8, t, 64, &kind);
    cu_time_tick_label(t[0], kind, label);
    ok(n == 7 && kind == 'y' && strcmp(label, "2020") == 0,
       "six years: %zu yearly ticks from %s", n, label);

    human_is(0, "0");
    human_is(12345.67, "12,345.7");
    human_is(53.25, "53.2");
    human_is(1234567.4, "1,234,567");
    human_is(-1500, "-1,500");
    human_is(999.96, "1,000");
    ok(strcmp(cu_plot_colour(CU_C_OCC_RES), cu_plot_colour(CU_C_OCC_OD)) != 0,
       "reservation and on demand have colours of their own");
    return done_testing();
}
