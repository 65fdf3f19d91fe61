/* Time: UTC instants as microseconds since the Unix epoch, parsed from and
 * formatted to RFC 3339 and MySQL DATETIME without the C library's local-time
 * functions, so nothing depends on TZ. */
#ifndef CU_CUTIME_H
#define CU_CUTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t cu_time; /* microseconds since 1970-01-01T00:00:00Z */

#define CU_TIME_NULL INT64_MIN /* SQL NULL / no time */
#define CU_USEC_PER_SEC INT64_C(1000000)
/* Longest text cu_time_format writes, with the terminating NUL:
 * "9999-12-31T23:59:59.999999Z" */
#define CU_TIME_BUFSZ 32

enum cu_time_status {
    CU_TIME_OK = 0,
    CU_TIME_ZERO = 1,   /* MySQL zero date 0000-00-00 00:00:00: treat as NULL */
    CU_TIME_ERROR = -1, /* *why says what is wrong */
};

/* Parse s[0..len) (no NUL needed; nothing after len is read): RFC 3339
 * (`2024-03-01T12:00:00Z`, `...T12:00:00.5+02:00`, lower-case t/z accepted),
 * MySQL DATETIME (`2024-03-01 12:00:00[.ffffff]`), or a bare date
 * `2024-03-01` (midnight UTC). A time without a zone is taken as UTC (Nova
 * and Blazar store naive UTC); a zone (Z, +hh:mm, -hh:mm) is allowed after
 * either separator and is normalised to UTC. Years 0001-9999, also after
 * applying the offset. Impossible dates (2023-02-29, 24:00:01, month 13,
 * day 00) are errors; so is the leap second 23:59:60 (an epoch count has no
 * place for it). 1 to 6 fractional digits; more is an error rather than
 * silently truncated. `0000-00-00` and `0000-00-00 00:00:00[.000000]`
 * return CU_TIME_ZERO and leave *out alone. On error returns CU_TIME_ERROR,
 * leaves *out alone and sets *why (if why is not NULL) to a static message
 * that reads as the "what is wrong" part of a data error, e.g.
 * "invalid date: month out of range (01-12)". */
enum cu_time_status cu_time_parse(const char *s, size_t len, cu_time *out,
                                  const char **why);

/* Write t as RFC 3339 UTC `YYYY-MM-DDTHH:MM:SSZ`; when t has a fractional
 * part, `.ffffff` (6 digits) before the Z. Returns the length written
 * (buf must hold CU_TIME_BUFSZ). Years outside 0001-9999 (never from
 * cu_time_parse) are written in ISO 8601's expanded form, e.g. `+10000-...`;
 * every int64 value fits. CU_TIME_NULL is the caller's to handle. */
size_t cu_time_format(cu_time t, char *buf);

/* Calendar helpers (proleptic Gregorian, UTC). */
int64_t cu_days_from_civil(int64_t y, unsigned m, unsigned d);
void cu_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
bool cu_valid_date(int64_t y, unsigned m, unsigned d);

/* A duration: a calendar part (months; a year is 12) and a fixed part
 * (microseconds). Exactly one of them is non-zero for parsed durations. */
typedef struct cu_duration {
    int64_t months;
    int64_t usec;
} cu_duration;

/* Parse `30s 15m 1h 1d 7d 1w 1mo 1y`, also `90s`, `2h`, a bare number of
 * seconds `3600`: a whole number then one of s m h d w mo y. Zero, negative,
 * fractional and over 10000-year durations are errors. Returns 0, or -1 with
 * a static message in *why (if why is not NULL); *out is set only on success. */
int cu_duration_parse(const char *s, cu_duration *out, const char **why);

/* t + n * d, calendar-correct for months (the day is clamped to the end of a
 * shorter month: Jan 31 + 1mo = Feb 28/29; the time of day is kept); n may
 * be negative. A duration with both parts adds the months first. NULL stays
 * NULL. */
cu_time cu_time_add(cu_time t, cu_duration d, int64_t n);

/* Start of the bucket of width d containing t, buckets aligned to origin
 * (CU_TIME_NULL: the epoch; for month steps, the origin's day-of-month and
 * time of day are the alignment, i.e. 1mo from the epoch = calendar months,
 * 1y = calendar years). Works on both sides of the origin and of 1970. With
 * month steps bucket j starts at cu_time_add(origin, d, j), so an origin on
 * the 31st gives Jan 31, Feb 29, Mar 31, ... NULL stays NULL. d must be a
 * positive duration (as from cu_duration_parse); otherwise t is returned. */
cu_time cu_time_floor(cu_time t, cu_duration d, cu_time origin);

#endif
