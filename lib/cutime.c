#include "config.h"

#include "cutime.h"

#include <string.h>

/* The calendar is the proleptic Gregorian one, counted in days from the
 * epoch with plain integer arithmetic (the days_from_civil method: shift the
 * year to start in March so the leap day is the last day of a year, then
 * count 400-year eras of 146097 days). Nothing here calls mktime, timegm or
 * strptime, so neither TZ nor the locale can change a result. */

#define USEC_PER_DAY (INT64_C(86400) * CU_USEC_PER_SEC)
#define USEC_PER_MIN (INT64_C(60) * CU_USEC_PER_SEC)

/* Division rounding towards minus infinity: times before the epoch (and
 * before a bucket origin) must land in the bucket that contains them. */
static inline int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Split t into days since the epoch and microseconds into that day, without
 * overflow even for INT64_MIN. */
static inline int64_t split_day(cu_time t, int64_t *in_day)
{
    int64_t days = t / USEC_PER_DAY, r = t % USEC_PER_DAY;
    if (r < 0) {
        r += USEC_PER_DAY;
        days--;
    }
    *in_day = r;
    return days;
}

static inline bool is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30,
                                            31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29u : mdays[m - 1];
}

int64_t cu_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                /* [0, 399] */
    int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;       /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;          /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* [0, 146096] */
    return era * 146097 + doe - 719468; /* 719468: 0000-03-01 to 1970-01-01 */
}

/* Days 0001-01-01 .. 9999-12-31 (every parsed time) in unsigned 32-bit
 * arithmetic, where every division by a constant is a multiply: counted
 * from 0000-03-01, so that the leap day ends the year; centuries of
 * 36524.25 days and years of 365.25 days are divided out on four times
 * the day count (+3) to keep it integral. Checked against the general
 * version on every day of the range in the unit tests. */
static bool civil_from_days_fast(int64_t days, int64_t *y, unsigned *m,
                                 unsigned *d)
{
    if (days < -719162 || days > 2932896)
        return false;
    uint32_t z = (uint32_t)(days + 719468);        /* since 0000-03-01 */
    uint32_t n1 = 4 * z + 3;
    uint32_t century = n1 / 146097, of_century = n1 % 146097 / 4;
    uint32_t n2 = 4 * of_century + 3;
    uint32_t year = n2 / 1461, doy = n2 % 1461 / 4; /* doy: from March 1 */
    uint32_t mp = (5 * doy + 2) / 153;              /* March = 0 */
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)(100 * century + year) + (*m <= 2);
    return true;
}

void cu_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    if (civil_from_days_fast(days, y, m, d))
        return;
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);         /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                              /* [0, 11] */
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

bool cu_valid_date(int64_t y, unsigned m, unsigned d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* ---- parsing ---------------------------------------------------------- */

/* The earliest and latest instants a four-digit year can name. */
#define TIME_MIN (INT64_C(-719162) * USEC_PER_DAY) /* 0001-01-01T00:00:00Z */
#define TIME_MAX (INT64_C(2932897) * USEC_PER_DAY - 1) /* 9999-12-31T23:59:59.999999Z */

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* n decimal digits at p (the caller has checked the length). */
static inline bool digits(const char *p, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(p[i]))
            return false;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return true;
}

static enum cu_time_status fail(const char **why, const char *msg)
{
    if (why)
        *why = msg;
    return CU_TIME_ERROR;
}

/* What follows the seconds: an optional fraction and an optional zone. */
struct tail {
    int64_t usec;   /* fraction in microseconds */
    int64_t offset; /* zone offset east of UTC, in microseconds */
};

static const char *parse_fraction(const char **pp, const char *end,
                                  int64_t *usec)
{
    static const int64_t scale[7] = {0, 100000, 10000, 1000, 100, 10, 1};
    const char *p = *pp;
    int64_t v = 0;
    int n = 0;

    if (p == end || *p != '.') {
        *usec = 0;
        return NULL;
    }
    p++;
    while (p < end && is_digit(*p)) {
        if (++n > 6)
            return "invalid time: more than 6 fractional digits "
                   "(finer than a microsecond)";
        v = v * 10 + (*p++ - '0');
    }
    if (n == 0)
        return "invalid time: expected digits after the decimal point";
    *usec = v * scale[n];
    *pp = p;
    return NULL;
}

static const char *parse_zone(const char *p, const char *end, int64_t *offset)
{
    unsigned hh, mm;

    *offset = 0;
    if (p == end)
        return NULL; /* no zone: naive times are UTC (MySQL DATETIME) */
    if (*p == 'Z' || *p == 'z')
        return p + 1 == end ? NULL : "invalid timestamp: trailing characters";
    if (*p != '+' && *p != '-')
        return "invalid timestamp: expected Z, +hh:mm or -hh:mm after the time";
    if (end - p != 6 || p[3] != ':' || !digits(p + 1, 2, &hh) ||
        !digits(p + 4, 2, &mm))
        return "invalid timestamp: malformed UTC offset (expected +hh:mm or -hh:mm)";
    if (hh > 23 || mm > 59)
        return "invalid timestamp: UTC offset out of range (-23:59 to +23:59)";
    *offset = (int64_t)(hh * 60 + mm) * USEC_PER_MIN;
    if (*p == '-')
        *offset = -*offset;
    return NULL;
}

static bool is_zero_time(const char *p, const char *end)
{
    /* "00:00:00" then an optional all-zero fraction (DATETIME(6)). */
    if (end - p < 8 || memcmp(p, "00:00:00", 8) != 0)
        return false;
    p += 8;
    if (p == end)
        return true;
    if (*p++ != '.' || p == end)
        return false;
    while (p < end && *p == '0')
        p++;
    return p == end;
}

/* Two ASCII digits at s, or -1. */
static inline int two_digits(const char *s)
{
    unsigned a = (unsigned)(unsigned char)s[0] - '0',
             b = (unsigned)(unsigned char)s[1] - '0';
    return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/* The two forms nearly every value comes in: YYYY-MM-DDTHH:MM:SSZ (what cu
 * writes) and YYYY-MM-DD HH:MM:SS (MySQL DATETIME). Anything else,
 * including any out-of-range field, is left to the general parser, which
 * words the message. Rows come roughly in time order, so the last date
 * seen (its ten bytes, and its day number) is kept: most values repeat it,
 * and only their time of day is parsed. */
static bool parse_common_form(const char *s, size_t len, cu_time *out)
{
    static _Thread_local uint64_t last_ymd; /* "YYYY-MM-" as bytes; 0 = none */
    static _Thread_local uint16_t last_dd;
    static _Thread_local int64_t last_days;
    if (len == 20 ? s[19] != 'Z' : len != 19)
        return false;
    if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        return false;
    uint64_t ymd;
    uint16_t dd;
    int64_t days;
    memcpy(&ymd, s, sizeof ymd);
    memcpy(&dd, s + 8, sizeof dd);
    if (ymd == last_ymd && dd == last_dd)
        days = last_days;
    else {
        int y1 = two_digits(s), y2 = two_digits(s + 2), mo = two_digits(s + 5),
            d = two_digits(s + 8);
        if (s[4] != '-' || s[7] != '-' || y1 < 0 || y2 < 0 || mo < 1 ||
            mo > 12 || d < 1)
            return false;
        unsigned y = (unsigned)(y1 * 100 + y2);
        if (y == 0 || (unsigned)d > days_in_month(y, (unsigned)mo))
            return false;
        days = cu_days_from_civil(y, (unsigned)mo, (unsigned)d);
        last_ymd = ymd;
        last_dd = dd;
        last_days = days;
    }
    int hh = two_digits(s + 11), mi = two_digits(s + 14),
        ss = two_digits(s + 17);
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59)
        return false;
    *out = days * USEC_PER_DAY +
           (int64_t)(hh * 3600 + mi * 60 + ss) * CU_USEC_PER_SEC;
    return true;
}

enum cu_time_status cu_time_parse(const char *s, size_t len, cu_time *out,
                                  const char **why)
{
    const char *p = s, *end = s + len;
    unsigned y, mo, d, hh = 0, mi = 0, ss = 0;
    int64_t frac = 0, offset = 0;
    const char *msg;

    if (parse_common_form(s, len, out))
        return CU_TIME_OK;
    if (len == 0)
        return fail(why, "invalid timestamp: empty");
    if (len < 10 || p[4] != '-' || p[7] != '-' || !digits(p, 4, &y) ||
        !digits(p + 5, 2, &mo) || !digits(p + 8, 2, &d))
        return fail(why, "invalid timestamp: expected YYYY-MM-DD "
                         "[HH:MM:SS[.ffffff]][Z|+hh:mm|-hh:mm]");
    p += 10;

    if (y == 0 && mo == 0 && d == 0) {
        /* MySQL's zero date stands for "no date" (NULL). */
        if (p == end || ((*p == ' ' || *p == 'T' || *p == 't') &&
                         is_zero_time(p + 1, end)))
            return CU_TIME_ZERO;
        return fail(why, "invalid timestamp: zero date 0000-00-00 with a time "
                         "other than 00:00:00");
    }
    if (y == 0)
        return fail(why, "invalid date: year 0000 (years run from 0001 to 9999)");
    if (mo < 1 || mo > 12)
        return fail(why, "invalid date: month out of range (01-12)");
    if (d < 1 || d > days_in_month(y, mo))
        return fail(why, mo == 2 && d == 29
                             ? "invalid date: February 29 in a year that is "
                               "not a leap year"
                             : "invalid date: day out of range for the month");

    if (p < end) {
        if (*p != 'T' && *p != 't' && *p != ' ')
            return fail(why, "invalid timestamp: expected 'T' or a space "
                             "between the date and the time");
        p++;
        if (end - p < 8 || p[2] != ':' || p[5] != ':' || !digits(p, 2, &hh) ||
            !digits(p + 3, 2, &mi) || !digits(p + 6, 2, &ss))
            return fail(why, "invalid time: expected HH:MM:SS after the date");
        if (hh > 23)
            return fail(why, "invalid time: hour out of range (00-23)");
        if (mi > 59)
            return fail(why, "invalid time: minute out of range (00-59)");
        if (ss == 60)
            return fail(why, "invalid time: leap second :60 is not supported "
                             "(UTC instants here have no leap seconds)");
        if (ss > 59)
            return fail(why, "invalid time: second out of range (00-59)");
        p += 8;
        if ((msg = parse_fraction(&p, end, &frac)) != NULL ||
            (msg = parse_zone(p, end, &offset)) != NULL)
            return fail(why, msg);
    }

    cu_time t = cu_days_from_civil(y, mo, d) * USEC_PER_DAY +
                (int64_t)(hh * 3600 + mi * 60 + ss) * CU_USEC_PER_SEC + frac -
                offset;
    if (t < TIME_MIN || t > TIME_MAX)
        return fail(why, "invalid timestamp: out of range once converted to "
                         "UTC (0001-01-01 to 9999-12-31)");
    *out = t;
    return CU_TIME_OK;
}

/* ---- formatting ------------------------------------------------------- */

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static inline char *put2(char *p, unsigned v)
{
    memcpy(p, digit_pairs + 2 * v, 2);
    return p + 2;
}

static char *put_year(char *p, int64_t y)
{
    if (y >= 0 && y <= 9999) {
        p = put2(p, (unsigned)(y / 100));
        return put2(p, (unsigned)(y % 100));
    }
    /* Outside four digits (never for a parsed time): ISO 8601's expanded
     * form, a sign and as many digits as needed. */
    char tmp[24];
    int n = 0;
    uint64_t u = y < 0 ? (uint64_t)0 - (uint64_t)y : (uint64_t)y;
    *p++ = y < 0 ? '-' : '+';
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n < 4)
        tmp[n++] = '0';
    while (n)
        *p++ = tmp[--n];
    return p;
}

size_t cu_time_format(cu_time t, char *buf)
{
    int64_t in_day;
    int64_t days = split_day(t, &in_day);
    unsigned secs = (unsigned)(in_day / CU_USEC_PER_SEC);
    unsigned usec = (unsigned)(in_day % CU_USEC_PER_SEC);
    int64_t y;
    unsigned m, d;
    char *p = buf;

    cu_civil_from_days(days, &y, &m, &d);
    p = put_year(p, y);
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p++ = 'T';
    p = put2(p, secs / 3600);
    *p++ = ':';
    p = put2(p, secs / 60 % 60);
    *p++ = ':';
    p = put2(p, secs % 60);
    if (usec) {
        *p++ = '.';
        p = put2(p, usec / 10000);
        p = put2(p, usec / 100 % 100);
        p = put2(p, usec % 100);
    }
    *p++ = 'Z';
    *p = '\0';
    return (size_t)(p - buf);
}

/* ---- durations -------------------------------------------------------- */

static int dur_fail(const char **why, const char *msg)
{
    if (why)
        *why = msg;
    return -1;
}

int cu_duration_parse(const char *s, cu_duration *out, const char **why)
{
    static const char *const bad =
        "invalid duration: expected a whole number and a unit "
        "(s, m, h, d, w, mo, y), e.g. 30s 15m 1h 7d 1mo, or bare seconds";
    const char *p = s;
    int64_t n = 0;

    if (!s || !*s)
        return dur_fail(why, "invalid duration: empty");
    if (*p == '-')
        return dur_fail(why, "invalid duration: must be positive");
    if (!is_digit(*p))
        return dur_fail(why, bad);
    for (; is_digit(*p); p++) {
        if (n > (INT64_MAX - 9) / 10)
            return dur_fail(why, "invalid duration: too large");
        n = n * 10 + (*p - '0');
    }

    int64_t months = 0, unit = 0;
    if (*p == '\0' || strcmp(p, "s") == 0)
        unit = CU_USEC_PER_SEC;
    else if (strcmp(p, "m") == 0)
        unit = USEC_PER_MIN;
    else if (strcmp(p, "h") == 0)
        unit = 60 * USEC_PER_MIN;
    else if (strcmp(p, "d") == 0)
        unit = USEC_PER_DAY;
    else if (strcmp(p, "w") == 0)
        unit = 7 * USEC_PER_DAY;
    else if (strcmp(p, "mo") == 0)
        months = 1;
    else if (strcmp(p, "y") == 0)
        months = 12;
    else if (*p == '.')
        return dur_fail(why, "invalid duration: fractions are not "
                             "supported; use a smaller unit (90m, not 1.5h)");
    else
        return dur_fail(why, "invalid duration: unknown unit (use s, m, h, "
                             "d, w, mo or y)");

    if (n == 0)
        return dur_fail(why, "invalid duration: must be positive");
    /* Beyond 10000 years nothing a four-digit year can name fits anyway. */
    if ((months && n > 12 * 10000 / months) ||
        (unit && n > INT64_C(10000) * 366 * USEC_PER_DAY / unit))
        return dur_fail(why, "invalid duration: too large");
    out->months = n * months;
    out->usec = n * unit;
    return 0;
}

/* ---- calendar arithmetic ---------------------------------------------- */

/* t plus a whole number of months, the day clamped to the target month's
 * length, the time of day kept. */
static cu_time add_months(cu_time t, int64_t months)
{
    int64_t in_day;
    int64_t days = split_day(t, &in_day);
    int64_t y;
    unsigned m, d;

    cu_civil_from_days(days, &y, &m, &d);
    int64_t mi = y * 12 + (m - 1) + months; /* months since 0000-01 */
    int64_t ny = floor_div(mi, 12);
    unsigned nm = (unsigned)(mi - ny * 12) + 1;
    unsigned dim = days_in_month(ny, nm);
    return cu_days_from_civil(ny, nm, d > dim ? dim : d) * USEC_PER_DAY +
           in_day;
}

cu_time cu_time_add(cu_time t, cu_duration d, int64_t n)
{
    if (t == CU_TIME_NULL)
        return CU_TIME_NULL;
    if (d.months)
        t = add_months(t, d.months * n);
    return t + d.usec * n;
}

/* Months since 0000-01 of the month containing t. */
static int64_t month_index(cu_time t)
{
    int64_t y, in_day;
    unsigned m, d;
    cu_civil_from_days(split_day(t, &in_day), &y, &m, &d);
    return y * 12 + (m - 1);
}

cu_time cu_time_floor(cu_time t, cu_duration d, cu_time origin)
{
    if (t == CU_TIME_NULL)
        return CU_TIME_NULL;
    if (origin == CU_TIME_NULL)
        origin = 0;
    if (d.months > 0) {
        /* Bucket j starts at origin + j*months (clamped, computed from the
         * origin each time so a 31st origin keeps returning to the 31st).
         * The calendar month of t gives j or j+1; one comparison settles it. */
        int64_t j = floor_div(month_index(t) - month_index(origin), d.months);
        cu_time start = add_months(origin, j * d.months);
        if (start > t)
            start = add_months(origin, (j - 1) * d.months);
        return start;
    }
    if (d.usec > 0)
        return origin + floor_div(t - origin, d.usec) * d.usec;
    return t; /* not a duration cu_duration_parse returns */
}
