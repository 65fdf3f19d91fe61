/* Numbers as text, for the writer and for tools that build rows by hand:
 * integers without printf, doubles as the shortest text that reads back
 * to the same value. */
#include "config.h"

#include "number.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decimal digits of u at the end of buf; returns where they start. Two
 * digits a step, from a table: millions of numbers are written. */
static char *digits_backwards(uint64_t u, char *end)
{
    static const char pairs[201] =
        "0001020304050607080910111213141516171819"
        "2021222324252627282930313233343536373839"
        "4041424344454647484950515253545556575859"
        "6061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    while (u >= 100) {
        end -= 2;
        memcpy(end, pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10) {
        end -= 2;
        memcpy(end, pairs + 2 * u, 2);
    } else
        *--end = (char)('0' + u);
    return end;
}

size_t cu_format_int(int64_t v, char *buf)
{
    char tmp[24], *end = tmp + sizeof tmp, *p;
    p = digits_backwards(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, end);
    if (v < 0)
        *--p = '-';
    memcpy(buf, p, (size_t)(end - p));
    return (size_t)(end - p);
}

/* The common case without printf: |v| in [1e-4, 1e9) with at most six
 * decimals. If m / 1e6 (one correctly rounded division) equals v, the
 * decimal m * 10^-6 reads back to v, and no shorter decimal can: any other
 * one within half an ulp (< 1e-7 here) of v is also a multiple of 1e-6 and
 * so the same number. %.15g would print the same text. Returns 0 when it
 * does not apply. */
static size_t format_double_fixed6(double v, char *buf)
{
    double a = fabs(v);
    long long m;
    uint64_t u, frac;
    char tmp[32], *end = tmp + sizeof tmp, *p = end;
    int fd = 6;
    if (!(a >= 1e-4 && a < 1e9))
        return 0;
    m = (long long)(v < 0 ? v * 1e6 - 0.5 : v * 1e6 + 0.5);
    if ((double)m / 1e6 != v)
        return 0;
    u = (uint64_t)(m < 0 ? -m : m);
    frac = u % 1000000;
    if (frac) {
        while (frac % 10 == 0) {
            frac /= 10;
            fd--;
        }
        for (int i = 0; i < fd; i++, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    p = digits_backwards(u / 1000000, p);
    if (m < 0)
        *--p = '-';
    memcpy(buf, p, (size_t)(end - p));
    return (size_t)(end - p);
}

/* Shortest round-trip text for a finite v into buf (>= 32 bytes): plain
 * digits, six decimals, or the first of %.15g, %.16g, %.17g that reads
 * back (the shortest for normal doubles; a subnormal, with fewer digits
 * of its own, may have a shorter text still). */
static size_t format_double(double v, char *buf, size_t cap)
{
    int n = 0;
    size_t k;
    /* (no libm: fabs is a compiler builtin, the rest is conversion) */
    if (fabs(v) < 1e17 && v == (double)(int64_t)v) {
        /* integral: plain digits, negative zero as 0 */
        char tmp[24], *end = tmp + sizeof tmp, *p;
        int64_t i = (int64_t)v;
        p = digits_backwards(i < 0 ? (uint64_t)-i : (uint64_t)i, end);
        if (i < 0)
            *--p = '-';
        memcpy(buf, p, (size_t)(end - p));
        return (size_t)(end - p);
    }
    if ((k = format_double_fixed6(v, buf)) > 0)
        return k;
    for (int precision = 15; precision <= 16; precision++) {
        n = snprintf(buf, cap, "%.*g", precision, v);
        if (strtod(buf, NULL) == v)
            return (size_t)n;
    }
    /* 17 significant digits always read back (IEEE 754 binary64) */
    return (size_t)snprintf(buf, cap, "%.17g", v);
}

_Static_assert(CU_NUMBER_BUFSZ >= 32, "format_double needs 32 bytes");

size_t cu_format_double(double v, char *buf)
{
    return format_double(v, buf, CU_NUMBER_BUFSZ);
}

