/* Unit tests of lib/cutime: parsing, formatting, the calendar, durations,
 * calendar arithmetic and bucket alignment. Expected epoch values were worked
 * out by hand (days since 1970-01-01 times 86400) and cross-checked with
 * `date -u -d ... +%s`; the exhaustive round trip compares with a day counter
 * that walks the calendar one day at a time, independently of lib/cutime. */
#include "config.h"

#include "cutime.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(x) ((cu_time)(x) * CU_USEC_PER_SEC)

/* ---- helpers -------------------------------------------------------- */

static enum cu_time_status parse(const char *s, cu_time *t, const char **why)
{
    *why = NULL;
    return cu_time_parse(s, strlen(s), t, why);
}

static void parses_to(const char *s, cu_time expected)
{
    cu_time t = 12345;
    const char *why;
    enum cu_time_status st = parse(s, &t, &why);
    if (st != CU_TIME_OK) {
        ok(false, "parse '%s'", s);
        diag("error: %s", why ? why : "(none)");
        return;
    }
    if (!ok(t == expected, "parse '%s' = %lld", s, (long long)expected))
        diag("got %lld", (long long)t);
}

/* s with control characters shown as \xHH, for test names. */
static const char *shown(const char *s)
{
    static char buf[128];
    size_t n = 0;
    for (; *s && n + 5 < sizeof buf; s++) {
        if ((unsigned char)*s < 0x20)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x",
                                  (unsigned char)*s);
        else
            buf[n++] = *s;
    }
    buf[n] = '\0';
    return buf;
}

static void rejects(const char *s, const char *msg)
{
    cu_time t = 777;
    const char *why;
    enum cu_time_status st = parse(s, &t, &why);
    bool good = st == CU_TIME_ERROR && why && strstr(why, msg) && t == 777;
    if (!ok(good, "reject '%s': %s", shown(s), msg))
        diag("status %d, why '%s', t %lld", (int)st, why ? why : "(null)",
             (long long)t);
}

static void formats_as(cu_time t, const char *expected)
{
    char buf[CU_TIME_BUFSZ];
    size_t n = cu_time_format(t, buf);
    if (!is_str(buf, expected, expected))
        return;
    if (n != strlen(expected))
        ok(false, "length of %s: got %zu", expected, n);
}

static cu_time P(const char *s)
{
    cu_time t;
    const char *why;
    if (parse(s, &t, &why) != CU_TIME_OK) {
        fprintf(stderr, "test bug: cannot parse %s: %s\n", s, why);
        exit(99);
    }
    return t;
}

static cu_duration D(const char *s)
{
    cu_duration d;
    const char *why;
    if (cu_duration_parse(s, &d, &why) != 0) {
        fprintf(stderr, "test bug: cannot parse duration %s: %s\n", s, why);
        exit(99);
    }
    return d;
}

static void time_is(cu_time got, const char *expected, const char *name)
{
    char buf[CU_TIME_BUFSZ];
    cu_time_format(got, buf);
    if (!ok(strcmp(buf, expected) == 0, "%s = %s", name, expected))
        diag("got %s", buf);
}

static void floor_is(const char *t, const char *dur, const char *origin,
                     const char *expected)
{
    char name[160];
    snprintf(name, sizeof name, "floor(%s, %s, origin %s)", t, dur,
             origin ? origin : "epoch");
    time_is(cu_time_floor(P(t), D(dur), origin ? P(origin) : CU_TIME_NULL),
            expected, name);
}

static void add_is(const char *t, const char *dur, int64_t n,
                   const char *expected)
{
    char name[160];
    snprintf(name, sizeof name, "%s + %lld * %s", t, (long long)n, dur);
    time_is(cu_time_add(P(t), D(dur), n), expected, name);
}

/* A small deterministic generator for the sampled checks. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#define T_MIN S(INT64_C(-62135596800))           /* 0001-01-01T00:00:00Z */
#define T_MAX (S(INT64_C(253402300800)) - 1)     /* 9999-12-31T23:59:59.999999Z */

static cu_time random_time(void)
{
    return T_MIN + (cu_time)(rng() % (uint64_t)(T_MAX - T_MIN + 1));
}

/* ---- parsing -------------------------------------------------------- */

static void test_known_instants(void)
{
    parses_to("1970-01-01T00:00:00Z", 0);
    parses_to("1970-01-01", 0);
    parses_to("1970-01-01 00:00:00", 0);
    parses_to("1970-01-01T00:00:00", 0);
    parses_to("1970-01-02T00:00:00Z", S(86400));
    parses_to("1969-12-31T23:59:59Z", S(-1));
    parses_to("1969-12-31T23:59:59.5Z", -500000);
    parses_to("1969-12-31T23:59:59.999999Z", -1);
    parses_to("2038-01-19T03:14:07Z", S(INT64_C(2147483647)));
    parses_to("2038-01-19T03:14:08Z", S(INT64_C(2147483648)));
    parses_to("9999-12-31T23:59:59.999999Z", T_MAX);
    parses_to("9999-12-31", S(INT64_C(253402214400)));
    parses_to("0001-01-01T00:00:00Z", T_MIN);
    parses_to("0001-01-01", T_MIN);
    parses_to("2024-03-01T12:00:00Z", S(1709294400));
    parses_to("2024-03-01 12:00:00", S(1709294400));
    parses_to("2024-03-01t12:00:00z", S(1709294400));
    parses_to("1900-03-01", S(INT64_C(-2203891200)));
}

static void test_leap_days(void)
{
    parses_to("2024-02-29", S(1709164800));
    parses_to("2024-02-29T23:59:59Z", S(1709164800 + 86399));
    parses_to("2000-02-29", S(951782400));
    parses_to("1600-02-29", S(INT64_C(-11670998400)));
    rejects("2023-02-29", "February 29 in a year that is not a leap year");
    rejects("1900-02-29", "February 29 in a year that is not a leap year");
    rejects("2100-02-29 00:00:00", "February 29 in a year that is not a leap year");
    rejects("2024-02-30", "day out of range for the month");
    parses_to("2023-02-28", S(1677542400));
    parses_to("2023-03-01", S(1677628800));
}

static void test_fractions(void)
{
    cu_time base = S(1709294400); /* 2024-03-01T12:00:00Z */
    parses_to("2024-03-01T12:00:00.5Z", base + 500000);
    parses_to("2024-03-01T12:00:00.12Z", base + 120000);
    parses_to("2024-03-01T12:00:00.123Z", base + 123000);
    parses_to("2024-03-01T12:00:00.1234Z", base + 123400);
    parses_to("2024-03-01T12:00:00.12345Z", base + 123450);
    parses_to("2024-03-01T12:00:00.123456Z", base + 123456);
    parses_to("2024-03-01 12:00:00.000001", base + 1);
    parses_to("2024-03-01 12:00:00.000000", base);
    parses_to("2024-03-01T12:00:00.000001+01:00", base - S(3600) + 1);
    rejects("2024-03-01T12:00:00.1234567Z", "more than 6 fractional digits");
    rejects("2024-03-01 12:00:00.0000000", "more than 6 fractional digits");
    rejects("2024-03-01T12:00:00.Z", "expected digits after the decimal point");
    rejects("2024-03-01T12:00:00.", "expected digits after the decimal point");
    rejects("2024-03-01T12:00:00,5Z", "expected Z, +hh:mm or -hh:mm");
}

static void test_offsets(void)
{
    cu_time noon = S(1709294400); /* 2024-03-01T12:00:00Z */
    parses_to("2024-03-01T14:00:00+02:00", noon);
    parses_to("2024-03-01T06:30:00-05:30", noon);
    parses_to("2024-03-01T12:00:00+00:00", noon);
    parses_to("2024-03-01T12:00:00-00:00", noon);
    parses_to("2024-03-01 14:00:00+02:00", noon);
    parses_to("2024-03-02T11:59:00+23:59", noon);
    parses_to("2024-02-29T12:01:00-23:59", noon);
    /* Crossing midnight, a month end and a leap day. */
    parses_to("2024-03-01T00:30:00+01:00", S(1709164800 + 23 * 3600 + 1800));
    parses_to("1970-01-01T00:00:00+00:01", S(-60));
    parses_to("0001-01-01T00:00:00-00:01", T_MIN + S(60));
    rejects("0001-01-01T00:00:00+00:01", "out of range once converted to UTC");
    rejects("9999-12-31T23:59:59-00:01", "out of range once converted to UTC");
    rejects("2024-03-01T12:00:00+24:00", "UTC offset out of range");
    rejects("2024-03-01T12:00:00+02:60", "UTC offset out of range");
    rejects("2024-03-01T12:00:00+0200", "malformed UTC offset");
    rejects("2024-03-01T12:00:00+02", "malformed UTC offset");
    rejects("2024-03-01T12:00:00+02:00:00", "malformed UTC offset");
    rejects("2024-03-01T12:00:00+2:00", "malformed UTC offset");
    rejects("2024-03-01T12:00:00+ab:cd", "malformed UTC offset");
    rejects("2024-03-01T12:00:00 UTC", "expected Z, +hh:mm or -hh:mm");
    rejects("2024-03-01T12:00:00Zx", "trailing characters");
    rejects("2024-03-01T12:00:00ZZ", "trailing characters");
}

static void test_zero_dates(void)
{
    cu_time t = 42;
    const char *why = NULL;
    is_int(parse("0000-00-00 00:00:00", &t, &why), CU_TIME_ZERO,
           "MySQL zero DATETIME is CU_TIME_ZERO");
    is_int(parse("0000-00-00", &t, &why), CU_TIME_ZERO,
           "MySQL zero DATE is CU_TIME_ZERO");
    is_int(parse("0000-00-00 00:00:00.000000", &t, &why), CU_TIME_ZERO,
           "MySQL zero DATETIME(6) is CU_TIME_ZERO");
    is_int(parse("0000-00-00T00:00:00", &t, &why), CU_TIME_ZERO,
           "zero date with a T is CU_TIME_ZERO");
    is_int(t, 42, "a zero date leaves *out alone");
    rejects("0000-00-00 12:00:00", "zero date 0000-00-00 with a time");
    rejects("0000-00-00 00:00:00.5", "zero date 0000-00-00 with a time");
    rejects("0000-00-00 00:00:00Z", "zero date 0000-00-00 with a time");
    rejects("0000-00-00x", "zero date 0000-00-00 with a time");
    rejects("0000-01-01", "year 0000");
    rejects("2024-00-00", "month out of range");
    rejects("2024-01-00", "day out of range for the month");
}

static void test_errors(void)
{
    rejects("", "invalid timestamp: empty");
    rejects("2024", "expected YYYY-MM-DD");
    rejects("2024-3-01", "expected YYYY-MM-DD");
    rejects("2024-03-1", "expected YYYY-MM-DD");
    rejects("24-03-01", "expected YYYY-MM-DD");
    rejects("2024/03/01", "expected YYYY-MM-DD");
    rejects("abcd-01-01", "expected YYYY-MM-DD");
    rejects("20240301T120000Z", "expected YYYY-MM-DD");
    rejects(" 2024-03-01", "expected YYYY-MM-DD");
    rejects("+2024-03-01", "expected YYYY-MM-DD");
    rejects("12024-03-01", "expected YYYY-MM-DD");
    rejects("2024-13-01", "invalid date: month out of range (01-12)");
    rejects("2024-00-10", "invalid date: month out of range (01-12)");
    rejects("2024-01-32", "invalid date: day out of range for the month");
    rejects("2024-04-31", "invalid date: day out of range for the month");
    rejects("2024-06-31 00:00:00", "invalid date: day out of range for the month");
    rejects("2024-01-00", "invalid date: day out of range for the month");
    rejects("2024-03-01X12:00:00", "expected 'T' or a space");
    rejects("2024-03-01 ", "expected HH:MM:SS after the date");
    rejects("2024-03-01T", "expected HH:MM:SS after the date");
    rejects("2024-03-01T12:00", "expected HH:MM:SS after the date");
    rejects("2024-03-01T12:00Z", "expected HH:MM:SS after the date");
    rejects("2024-03-01T1:00:00Z", "expected HH:MM:SS after the date");
    rejects("2024-03-01T12-00-00Z", "expected HH:MM:SS after the date");
    rejects("2024-03-01T12:0a:00Z", "expected HH:MM:SS after the date");
    rejects("2024-03-01T24:00:00Z", "invalid time: hour out of range (00-23)");
    rejects("2024-03-01 24:00:01", "invalid time: hour out of range (00-23)");
    rejects("2024-03-01T99:00:00Z", "invalid time: hour out of range (00-23)");
    rejects("2024-03-01T12:60:00Z", "invalid time: minute out of range (00-59)");
    rejects("2024-12-31T23:59:60Z", "leap second :60 is not supported");
    rejects("2016-12-31 23:59:60", "leap second :60 is not supported");
    rejects("2024-03-01T12:00:61Z", "invalid time: second out of range (00-59)");
    rejects("2024-03-01T12:00:99Z", "invalid time: second out of range (00-59)");
    rejects("2024-03-01T12:00:00 ", "expected Z, +hh:mm or -hh:mm");
    rejects("2024-03-01T12:00:00\n", "expected Z, +hh:mm or -hh:mm");
    rejects("2024-03-01x", "expected 'T' or a space");

    /* A NULL why is allowed. */
    cu_time t;
    is_int(cu_time_parse("2024-13-01", 10, &t, NULL), CU_TIME_ERROR,
           "error with why == NULL");
}

/* The two common forms take a fast path: it must agree with the general
 * parser (reached through the +00:00 spelling) on every instant, and leave
 * every bad value to it, messages included. */
static void test_common_forms(void)
{
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        cu_time t = random_time() / CU_USEC_PER_SEC * CU_USEC_PER_SEC;
        char z[64], space[64], offset[64];
        size_t n = cu_time_format(t, z);
        z[n] = '\0';
        snprintf(space, sizeof space, "%.10s %.8s", z, z + 11);
        snprintf(offset, sizeof offset, "%.19s+00:00", z);
        cu_time a = 1, b = 2, c = 3;
        const char *why;
        if (n != 20 || parse(z, &a, &why) != CU_TIME_OK ||
            parse(space, &b, &why) != CU_TIME_OK ||
            parse(offset, &c, &why) != CU_TIME_OK || a != t || b != t ||
            c != t) {
            if (bad++ < 5)
                diag("%s / %s / %s: %lld %lld %lld, want %lld", z, space,
                     offset, (long long)a, (long long)b, (long long)c,
                     (long long)t);
        }
    }
    ok(bad == 0, "20000 random instants: both common forms agree with "
       "the general parser");
    parses_to("0001-01-01T00:00:00Z", P("0001-01-01T00:00:00+00:00"));
    parses_to("9999-12-31 23:59:59", P("9999-12-31T23:59:59+00:00"));
    parses_to("2024-02-29T12:34:56Z", P("2024-02-29T12:34:56+00:00"));
    cu_time t = 5;
    const char *why;
    is_int(parse("0000-00-00 00:00:00", &t, &why), CU_TIME_ZERO,
           "zero DATETIME in the common form is still NULL");
    rejects("2023-02-29 00:00:00", "February 29 in a year that is not a leap");
    rejects("0000-01-01T00:00:00Z", "year 0000");
    parses_to("2024-01-01t00:00:00z", P("2024-01-01T00:00:00Z")); /* slow */
    rejects("2024-01-0a 00:00:00", "expected YYYY-MM-DD");
    rejects("2024-01-01 00:00:0/", "expected HH:MM:SS after the date");

    /* The fast path remembers the last date: values of one day in a row,
     * then bad times and dates next to a remembered one. */
    int wrong = 0;
    cu_time day = P("2031-07-15T00:00:00Z");
    for (int i = 0; i < 5000; i++) {
        cu_time u = day + (cu_time)(i * 53 % 86400) * CU_USEC_PER_SEC +
                    (cu_time)(i / 1000) * 86400 * CU_USEC_PER_SEC;
        char z[64];
        cu_time a = 0, c = 1;
        size_t n = cu_time_format(u, z);
        z[n] = '\0';
        char offset[64];
        snprintf(offset, sizeof offset, "%.19s+00:00", z);
        if (parse(z, &a, &why) != CU_TIME_OK || a != u ||
            parse(offset, &c, &why) != CU_TIME_OK || c != u)
            wrong++;
    }
    ok(wrong == 0, "5000 instants over five days in a row parse right");
    parses_to("2031-07-15T23:59:59Z", P("2031-07-15T23:59:59+00:00"));
    rejects("2031-07-15T24:00:00Z", "hour out of range");
    rejects("2031-07-15T23:60:00Z", "minute out of range");
    rejects("2031-07-15 23:59:60", "leap second");
    rejects("2031-07-15x23:59:59Z", "expected 'T' or a space");
    parses_to("2031-07-16 00:00:00", P("2031-07-16T00:00:00Z"));
    rejects("2031-07-32 00:00:00", "day out of range");
    parses_to("2024-02-29 10:00:00", P("2024-02-29T10:00:00Z"));
    rejects("2023-02-29 10:00:00", "February 29 in a year that is not a leap");
    parses_to("2024-02-29 10:00:01", P("2024-02-29T10:00:01Z"));
}

static void test_length_bounds(void)
{
    /* Only s[0..len) is read: the buffer holds no NUL (ASan checks). */
    const char *text = "2024-03-01T12:00:00.25Z";
    size_t n = strlen(text);
    char *exact = malloc(n);
    cu_time t = 0;
    const char *why = NULL;
    memcpy(exact, text, n);
    is_int(cu_time_parse(exact, n, &t, &why), CU_TIME_OK,
           "parse a buffer without a NUL");
    is_int(t, S(1709294400) + 250000, "... to the right instant");
    is_int(cu_time_parse(exact, 10, &t, &why), CU_TIME_OK,
           "the first 10 bytes are a bare date");
    is_int(t, S(1709251200), "... midnight of that date");
    is_int(cu_time_parse(exact, 19, &t, &why), CU_TIME_OK,
           "the first 19 bytes are a naive time");
    is_int(cu_time_parse(exact, 16, &t, &why), CU_TIME_ERROR,
           "a prefix cut inside the time is an error");
    is_int(cu_time_parse(exact, 9, &t, &why), CU_TIME_ERROR,
           "a prefix cut inside the date is an error");
    free(exact);
    is_int(cu_time_parse("2024-03-01T12:00:00Zjunk", 20, &t, &why), CU_TIME_OK,
           "bytes after len are ignored");
}

/* ---- formatting ----------------------------------------------------- */

static void test_format(void)
{
    formats_as(0, "1970-01-01T00:00:00Z");
    formats_as(1, "1970-01-01T00:00:00.000001Z");
    formats_as(500000, "1970-01-01T00:00:00.500000Z");
    formats_as(S(1) + 120000, "1970-01-01T00:00:01.120000Z");
    formats_as(-1, "1969-12-31T23:59:59.999999Z");
    formats_as(S(-1), "1969-12-31T23:59:59Z");
    formats_as(-500000, "1969-12-31T23:59:59.500000Z");
    formats_as(S(-86400), "1969-12-31T00:00:00Z");
    formats_as(S(INT64_C(2147483647)), "2038-01-19T03:14:07Z");
    formats_as(S(INT64_C(2147483648)), "2038-01-19T03:14:08Z");
    formats_as(S(1709164800), "2024-02-29T00:00:00Z");
    formats_as(S(951782400), "2000-02-29T00:00:00Z");
    formats_as(T_MAX, "9999-12-31T23:59:59.999999Z");
    formats_as(T_MIN, "0001-01-01T00:00:00Z");
    formats_as(S(1709294400) + 123456, "2024-03-01T12:00:00.123456Z");
    /* Beyond four-digit years (not produced by parsing): expanded form. */
    formats_as(T_MIN - S(86400), "0000-12-31T00:00:00Z");
    formats_as(T_MAX + 1, "+10000-01-01T00:00:00Z");
    formats_as(T_MIN - S(INT64_C(366) * 86400 + 86400), "-0001-12-31T00:00:00Z");
    char buf[CU_TIME_BUFSZ];
    size_t n = cu_time_format(INT64_MIN, buf);
    ok(n < CU_TIME_BUFSZ && strlen(buf) == n,
       "the most negative instant fits CU_TIME_BUFSZ (%s)", buf);
    n = cu_time_format(INT64_MAX, buf);
    ok(n < CU_TIME_BUFSZ && strlen(buf) == n,
       "the most positive instant fits CU_TIME_BUFSZ (%s)", buf);
    is_int(cu_time_format(T_MAX, buf), 27, "the longest in-range text is 27");
}

/* ---- the calendar, exhaustively ------------------------------------- */

static int independent_month_days(long y, int m)
{
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

/* Walk every day from 0001-01-01 to 9999-12-31 with a plain counter: the
 * parser, the formatter and the calendar helpers must agree with it. */
static void test_every_day(void)
{
    long day = -719162; /* 0001-01-01, from the known 1970 anchor */
    long parse_bad = 0, format_bad = 0, helper_bad = 0, valid_bad = 0;
    char text[40], want[64], got[CU_TIME_BUFSZ];

    for (long y = 1; y <= 9999; y++)
        for (int m = 1; m <= 12; m++) {
            int dim = independent_month_days(y, m);
            for (int d = 1; d <= dim; d++, day++) {
                cu_time t = -1;
                snprintf(text, sizeof text, "%04ld-%02d-%02d", y, m, d);
                if (cu_time_parse(text, 10, &t, NULL) != CU_TIME_OK ||
                    t != (cu_time)day * 86400 * CU_USEC_PER_SEC) {
                    if (parse_bad++ == 0)
                        diag("parse %s: got %lld, want day %ld", text,
                             (long long)t, day);
                }
                cu_time_format((cu_time)day * 86400 * CU_USEC_PER_SEC, got);
                snprintf(want, sizeof want, "%sT00:00:00Z", text);
                if (strcmp(got, want) != 0 && format_bad++ == 0)
                    diag("format day %ld: got %s want %s", day, got, want);
                int64_t cy;
                unsigned cm, cd;
                cu_civil_from_days(day, &cy, &cm, &cd);
                if ((cy != y || cm != (unsigned)m || cd != (unsigned)d ||
                     cu_days_from_civil(y, (unsigned)m, (unsigned)d) != day) &&
                    helper_bad++ == 0)
                    diag("helpers disagree on %s", text);
                if (!cu_valid_date(y, (unsigned)m, (unsigned)d) && valid_bad++ == 0)
                    diag("cu_valid_date rejects %s", text);
            }
            /* The day after the month's last is never valid. */
            if (cu_valid_date(y, (unsigned)m, (unsigned)dim + 1) && valid_bad++ == 0)
                diag("cu_valid_date accepts %04ld-%02d-%02d", y, m, dim + 1);
        }
    is_int(day, 2932897, "the walk ends on 10000-01-01 (day 2932897)");
    is_int(parse_bad, 0, "every date 0001-01-01..9999-12-31 parses to its day");
    is_int(format_bad, 0, "every day formats to its date");
    is_int(helper_bad, 0, "cu_days_from_civil / cu_civil_from_days agree");
    is_int(valid_bad, 0, "cu_valid_date agrees on every date and month end");
}

/* The helpers beyond four-digit years (proleptic, negative years). */
static void test_helpers_wide(void)
{
    long bad = 0;
    int64_t day = cu_days_from_civil(-2000, 1, 1);
    for (int64_t y = -2000; y <= 12000; y++)
        for (unsigned m = 1; m <= 12; m++) {
            unsigned dim = (unsigned)independent_month_days((long)y, (int)m);
            for (unsigned d = 1; d <= dim; d++, day++) {
                int64_t cy;
                unsigned cm, cd;
                cu_civil_from_days(day, &cy, &cm, &cd);
                if ((cy != y || cm != m || cd != d ||
                     cu_days_from_civil(y, m, d) != day) && bad++ == 0)
                    diag("helpers disagree at %lld-%u-%u", (long long)y, m, d);
            }
        }
    is_int(bad, 0, "calendar helpers consistent from year -2000 to 12000");
    is_int(cu_days_from_civil(1970, 1, 1), 0, "1970-01-01 is day 0");
    is_int(cu_days_from_civil(2000, 3, 1), 11017, "2000-03-01 is day 11017");
    is_int(cu_days_from_civil(0, 3, 1), -719468, "0000-03-01 is day -719468");
    ok(cu_valid_date(2000, 2, 29) && cu_valid_date(0, 2, 29) &&
           !cu_valid_date(1900, 2, 29) && !cu_valid_date(2024, 13, 1) &&
           !cu_valid_date(2024, 0, 1) && !cu_valid_date(2024, 1, 0),
       "cu_valid_date edge cases");
}

/* Random instants (with fractions) survive format -> parse. */
static void test_round_trip_sampled(void)
{
    long bad = 0;
    char buf[CU_TIME_BUFSZ];
    for (int i = 0; i < 200000; i++) {
        cu_time t = random_time(), back = 0;
        if (i % 2)
            t -= t % CU_USEC_PER_SEC; /* whole seconds half the time */
        size_t n = cu_time_format(t, buf);
        if ((cu_time_parse(buf, n, &back, NULL) != CU_TIME_OK || back != t) &&
            bad++ == 0)
            diag("round trip of %lld via %s gave %lld", (long long)t, buf,
                 (long long)back);
    }
    is_int(bad, 0, "200000 random instants round-trip through the text form");

    /* Every second of a day, against an hand-built string. */
    bad = 0;
    for (int s = 0; s < 86400; s++) {
        char text[40];
        cu_time t;
        snprintf(text, sizeof text, "1999-12-31 %02d:%02d:%02d", s / 3600,
                 s / 60 % 60, s % 60);
        if ((cu_time_parse(text, strlen(text), &t, NULL) != CU_TIME_OK ||
             t != S(946598400 + s)) && bad++ == 0)
            diag("%s gave %lld", text, (long long)t);
    }
    is_int(bad, 0, "every second of 1999-12-31 parses to its instant");
}

/* ---- durations ------------------------------------------------------ */

static void duration_is(const char *s, int64_t months, int64_t usec)
{
    cu_duration d = {-1, -1};
    const char *why = NULL;
    int rc = cu_duration_parse(s, &d, &why);
    if (!ok(rc == 0 && d.months == months && d.usec == usec,
            "duration '%s' = %lld months + %lld us", s, (long long)months,
            (long long)usec))
        diag("rc %d, months %lld, usec %lld, why %s", rc, (long long)d.months,
             (long long)d.usec, why ? why : "(null)");
}

static void duration_rejects(const char *s, const char *msg)
{
    cu_duration d = {-1, -1};
    const char *why = NULL;
    int rc = cu_duration_parse(s, &d, &why);
    if (!ok(rc == -1 && why && strstr(why, msg) && d.months == -1 &&
                d.usec == -1,
            "duration '%s' rejected: %s", s, msg))
        diag("rc %d, why %s", rc, why ? why : "(null)");
}

static void test_durations(void)
{
    duration_is("30s", 0, S(30));
    duration_is("15m", 0, S(900));
    duration_is("1h", 0, S(3600));
    duration_is("2h", 0, S(7200));
    duration_is("90s", 0, S(90));
    duration_is("1d", 0, S(86400));
    duration_is("7d", 0, S(604800));
    duration_is("1w", 0, S(604800));
    duration_is("2w", 0, S(1209600));
    duration_is("1mo", 1, 0);
    duration_is("3mo", 3, 0);
    duration_is("1y", 12, 0);
    duration_is("2y", 24, 0);
    duration_is("3600", 0, S(3600));
    duration_is("1", 0, S(1));
    duration_is("007s", 0, S(7));
    duration_is("10000y", 120000, 0);
    duration_rejects("", "invalid duration: empty");
    duration_rejects("0", "must be positive");
    duration_rejects("0s", "must be positive");
    duration_rejects("0mo", "must be positive");
    duration_rejects("-1h", "must be positive");
    duration_rejects("1x", "unknown unit");
    duration_rejects("1H", "unknown unit");
    duration_rejects("1min", "unknown unit");
    duration_rejects("1hh", "unknown unit");
    duration_rejects("1 h", "unknown unit");
    duration_rejects("1h ", "unknown unit");
    duration_rejects("1.5h", "fractions are not supported");
    duration_rejects("h", "expected a whole number and a unit");
    duration_rejects(" 1h", "expected a whole number and a unit");
    duration_rejects("+1h", "expected a whole number and a unit");
    duration_rejects("10001y", "too large");
    duration_rejects("120001mo", "too large");
    duration_rejects("3660001d", "too large");
    duration_is("3660000d", 0, S(INT64_C(3660000) * 86400));
    duration_rejects("99999999999999999999s", "too large");
    duration_rejects("9223372036854775807", "too large");
    cu_duration d;
    ok(cu_duration_parse("1q", &d, NULL) == -1, "error with why == NULL");
}

/* ---- calendar arithmetic -------------------------------------------- */

static void test_add(void)
{
    add_is("2024-01-31T00:00:00Z", "1mo", 1, "2024-02-29T00:00:00Z");
    add_is("2023-01-31T00:00:00Z", "1mo", 1, "2023-02-28T00:00:00Z");
    add_is("2024-01-31T00:00:00Z", "1mo", 2, "2024-03-31T00:00:00Z");
    add_is("2024-01-31T00:00:00Z", "1mo", 3, "2024-04-30T00:00:00Z");
    add_is("2024-03-31T00:00:00Z", "1mo", -1, "2024-02-29T00:00:00Z");
    add_is("2024-01-31T13:45:00.25Z", "1mo", 1, "2024-02-29T13:45:00.250000Z");
    add_is("2024-12-15T00:00:00Z", "1mo", 1, "2025-01-15T00:00:00Z");
    add_is("2024-01-15T00:00:00Z", "1mo", -1, "2023-12-15T00:00:00Z");
    add_is("2024-01-15T00:00:00Z", "1mo", -13, "2022-12-15T00:00:00Z");
    add_is("2024-02-29T00:00:00Z", "1y", 1, "2025-02-28T00:00:00Z");
    add_is("2024-02-29T00:00:00Z", "1y", 4, "2028-02-29T00:00:00Z");
    add_is("2024-02-29T00:00:00Z", "1y", -100, "1924-02-29T00:00:00Z");
    add_is("2000-02-29T00:00:00Z", "1y", 100, "2100-02-28T00:00:00Z");
    add_is("1969-12-31T23:00:00Z", "1mo", 1, "1970-01-31T23:00:00Z");
    add_is("1969-12-31T23:59:59.5Z", "1h", 1, "1970-01-01T00:59:59.500000Z");
    add_is("1970-01-01T00:00:00Z", "1d", -1, "1969-12-31T00:00:00Z");
    add_is("2024-03-01T12:00:00Z", "15m", 4, "2024-03-01T13:00:00Z");
    add_is("2024-03-01T12:00:00Z", "7d", 0, "2024-03-01T12:00:00Z");
    add_is("0001-03-31T00:00:00Z", "1mo", -1, "0001-02-28T00:00:00Z");
    add_is("9999-11-30T00:00:00Z", "1mo", 1, "9999-12-30T00:00:00Z");
    /* A duration with both parts: months first, then the fixed part. */
    cu_duration both = {1, S(3600)};
    time_is(cu_time_add(P("2024-01-31T00:00:00Z"), both, 1),
            "2024-02-29T01:00:00Z", "Jan 31 + (1mo + 1h)");
    is_int(cu_time_add(CU_TIME_NULL, D("1d"), 1), CU_TIME_NULL,
           "NULL + 1d is NULL");
    is_int(cu_time_add(CU_TIME_NULL, D("1mo"), 1), CU_TIME_NULL,
           "NULL + 1mo is NULL");
}

static void test_floor(void)
{
    /* Calendar buckets from the epoch: months and years in UTC. */
    floor_is("2024-03-15T10:20:30Z", "1mo", NULL, "2024-03-01T00:00:00Z");
    floor_is("2024-03-01T00:00:00Z", "1mo", NULL, "2024-03-01T00:00:00Z");
    floor_is("2024-02-29T23:59:59.999999Z", "1mo", NULL, "2024-02-01T00:00:00Z");
    floor_is("2024-03-15T10:20:30Z", "1y", NULL, "2024-01-01T00:00:00Z");
    floor_is("2024-12-31T23:59:59Z", "1y", NULL, "2024-01-01T00:00:00Z");
    floor_is("2025-01-01T00:00:00Z", "1y", NULL, "2025-01-01T00:00:00Z");
    floor_is("2024-05-20T00:00:00Z", "3mo", NULL, "2024-04-01T00:00:00Z");
    floor_is("2024-03-31T00:00:00Z", "3mo", NULL, "2024-01-01T00:00:00Z");
    floor_is("2025-06-01T00:00:00Z", "2y", NULL, "2024-01-01T00:00:00Z");
    /* Before 1970. */
    floor_is("1969-12-31T23:59:59Z", "1mo", NULL, "1969-12-01T00:00:00Z");
    floor_is("1969-12-31T23:59:59Z", "1y", NULL, "1969-01-01T00:00:00Z");
    floor_is("1969-06-01T00:00:00Z", "2y", NULL, "1968-01-01T00:00:00Z");
    floor_is("1960-06-15T00:00:00Z", "1y", NULL, "1960-01-01T00:00:00Z");
    floor_is("1900-02-15T12:00:00Z", "1mo", NULL, "1900-02-01T00:00:00Z");
    floor_is("1969-12-31T23:59:59.5Z", "1d", NULL, "1969-12-31T00:00:00Z");
    floor_is("1969-12-31T23:59:59.5Z", "1h", NULL, "1969-12-31T23:00:00Z");
    floor_is("1969-12-31T23:59:59.5Z", "1s", NULL, "1969-12-31T23:59:59Z");
    floor_is("0001-01-01T00:00:00Z", "1mo", NULL, "0001-01-01T00:00:00Z");
    floor_is("0001-01-01T05:00:00Z", "1d", NULL, "0001-01-01T00:00:00Z");
    floor_is("0001-01-01T05:00:00Z", "1y", NULL, "0001-01-01T00:00:00Z");
    floor_is("9999-12-31T23:59:59.999999Z", "1mo", NULL, "9999-12-01T00:00:00Z");
    /* Fixed buckets. 1970-01-01 was a Thursday. */
    floor_is("2024-03-15T10:20:30Z", "1d", NULL, "2024-03-15T00:00:00Z");
    floor_is("2024-03-15T10:20:30Z", "1h", NULL, "2024-03-15T10:00:00Z");
    floor_is("2024-03-15T10:20:30Z", "15m", NULL, "2024-03-15T10:15:00Z");
    floor_is("2024-03-15T10:20:30Z", "7d", NULL, "2024-03-14T00:00:00Z");
    floor_is("1969-12-31T00:00:00Z", "7d", NULL, "1969-12-25T00:00:00Z");
    /* 7d buckets aligned to a Monday origin, on either side of it. */
    floor_is("2024-03-15T10:20:30Z", "7d", "2024-01-01", "2024-03-11T00:00:00Z");
    floor_is("2024-03-11T00:00:00Z", "7d", "2024-01-01", "2024-03-11T00:00:00Z");
    floor_is("2024-03-10T23:59:59Z", "1w", "2024-01-01", "2024-03-04T00:00:00Z");
    floor_is("2023-12-31T23:00:00Z", "7d", "2024-01-01", "2023-12-25T00:00:00Z");
    floor_is("1969-12-31T23:00:00Z", "7d", "2024-01-01", "1969-12-29T00:00:00Z");
    floor_is("2024-03-15T05:00:00Z", "1d", "1970-01-01T06:00:00Z",
             "2024-03-14T06:00:00Z");
    floor_is("2024-03-15T07:00:00Z", "1d", "1970-01-01T06:00:00Z",
             "2024-03-15T06:00:00Z");
    /* Month buckets aligned to an origin's day and time. */
    floor_is("2024-03-15T00:00:00Z", "1y", "2020-07-01", "2023-07-01T00:00:00Z");
    floor_is("2024-07-01T00:00:00Z", "1y", "2020-07-01", "2024-07-01T00:00:00Z");
    floor_is("2019-03-15T00:00:00Z", "1y", "2020-07-01", "2018-07-01T00:00:00Z");
    floor_is("2024-03-14T23:00:00Z", "1mo", "2024-01-15T12:00:00Z",
             "2024-02-15T12:00:00Z");
    floor_is("2024-03-15T12:00:00Z", "1mo", "2024-01-15T12:00:00Z",
             "2024-03-15T12:00:00Z");
    /* An origin on the 31st: bucket j starts at origin + j months, clamped. */
    floor_is("2024-02-29T12:00:00Z", "1mo", "2024-01-31", "2024-02-29T00:00:00Z");
    floor_is("2024-03-30T12:00:00Z", "1mo", "2024-01-31", "2024-02-29T00:00:00Z");
    floor_is("2024-03-31T00:00:00Z", "1mo", "2024-01-31", "2024-03-31T00:00:00Z");
    floor_is("2024-04-30T00:00:00Z", "1mo", "2024-01-31", "2024-04-30T00:00:00Z");
    floor_is("2023-12-30T00:00:00Z", "1mo", "2024-01-31", "2023-11-30T00:00:00Z");
    floor_is("2023-12-31T00:00:00Z", "1mo", "2024-01-31", "2023-12-31T00:00:00Z");
    is_int(cu_time_floor(CU_TIME_NULL, D("1d"), CU_TIME_NULL), CU_TIME_NULL,
           "floor of NULL is NULL");
}

/* Properties of floor over random instants, durations and origins: the
 * bucket contains t, and starts on the origin's grid. */
static void test_floor_sampled(void)
{
    static const char *const fixed[] = {"1s", "90s", "15m", "1h", "1d", "7d"};
    static const char *const cal[] = {"1mo", "3mo", "1y", "5y"};
    long bad = 0;
    for (int i = 0; i < 100000; i++) {
        cu_time t = random_time() / 2; /* roughly years 985..5984 */
        cu_time origin = i % 3 ? random_time() / 2 : CU_TIME_NULL;
        cu_duration d = D(fixed[rng() % 6]);
        cu_time b = cu_time_floor(t, d, origin);
        cu_time o = origin == CU_TIME_NULL ? 0 : origin;
        if (!(b <= t && t < b + d.usec && (b - o) % d.usec == 0) && bad++ == 0)
            diag("fixed floor of %lld by %lld from %lld gave %lld",
                 (long long)t, (long long)d.usec, (long long)o, (long long)b);
    }
    is_int(bad, 0, "fixed buckets: start <= t < start + width, on the grid");

    bad = 0;
    for (int i = 0; i < 100000; i++) {
        cu_time t = random_time() / 2;
        /* Origins on days 1..28 so that every bucket is origin + k months
         * exactly, without clamping. */
        cu_time origin = cu_time_floor(random_time() / 2, D("1mo"), CU_TIME_NULL) +
                         (cu_time)(rng() % 28) * S(86400) +
                         (cu_time)(rng() % (uint64_t)S(86400));
        if (i % 4 == 0)
            origin = CU_TIME_NULL;
        cu_duration d = D(cal[rng() % 4]);
        cu_time b = cu_time_floor(t, d, origin);
        cu_time next = cu_time_add(b, d, 1);
        cu_time o = origin == CU_TIME_NULL ? 0 : origin;
        char bs[CU_TIME_BUFSZ], os[CU_TIME_BUFSZ];
        cu_time_format(b, bs);
        cu_time_format(o, os);
        /* On the grid: the origin's day of month and time of day (the text
         * from the day on is equal), a whole number of steps away. */
        long by = strtol(bs, NULL, 10), bm = strtol(bs + 5, NULL, 10);
        long oy = strtol(os, NULL, 10), om = strtol(os + 5, NULL, 10);
        bool on_grid = strcmp(bs + 8, os + 8) == 0 &&
                       ((by * 12 + bm) - (oy * 12 + om)) % d.months == 0;
        if (!(b <= t && t < next && on_grid) && bad++ == 0)
            diag("calendar floor of %lld by %lld months from %s gave %s",
                 (long long)t, (long long)d.months, os, bs);
    }
    is_int(bad, 0, "calendar buckets: start <= t < start + 1 step, on the grid");
}

int main(void)
{
    plan(0);
    test_known_instants();
    test_leap_days();
    test_fractions();
    test_offsets();
    test_zero_dates();
    test_errors();
    test_common_forms();
    test_length_bounds();
    test_format();
    test_every_day();
    test_helpers_wide();
    test_round_trip_sampled();
    test_durations();
    test_add();
    test_floor();
    test_floor_sampled();
    return done_testing();
}
