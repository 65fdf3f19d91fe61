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

/* Parse s[0..len): RFC 3339 (`2024-03-01T12:00:00Z`, `...T12:00:00.5+02:00`,
 * lower-case t/z accepted) or MySQL DATETIME (`2024-03-01 12:00:00[.ffffff]`,
 * taken as UTC) or a bare date `2024-03-01` (midnight UTC). Years 0001-9999.
 * Impossible dates (2023-02-29, 24:00:01, month 13) are errors. Fractions
 * beyond microseconds are an error rather than silently truncated.
 * On error returns CU_TIME_ERROR and sets *why to a static message. */
enum cu_time_status cu_time_parse(const char *s, size_t len, cu_time *out,
                                  const char **why);

/* Write t as RFC 3339 UTC `YYYY-MM-DDTHH:MM:SSZ`; when t has a fractional
 * part, `.ffffff` (6 digits) before the Z. Returns the length written
 * (buf must hold CU_TIME_BUFSZ). */
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
 * seconds `3600`. Zero and negative durations are errors. */
int cu_duration_parse(const char *s, cu_duration *out, const char **why);

/* t + n * d, calendar-correct for months (the day is clamped to the end of a
 * shorter month: Jan 31 + 1mo = Feb 28/29). */
cu_time cu_time_add(cu_time t, cu_duration d, int64_t n);

/* Start of the bucket of width d containing t, buckets aligned to origin
 * (CU_TIME_NULL: the epoch; for month steps, the origin's day-of-month and
 * time of day are the alignment, i.e. 1mo from the epoch = calendar months). */
cu_time cu_time_floor(cu_time t, cu_duration d, cu_time origin);

/* Seconds as a double, for reports. */
static inline double cu_time_seconds(cu_time t) { return (double)t / 1e6; }

#endif
