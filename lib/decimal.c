/* lib/decimal: see decimal.h. */
#include "config.h"

#include <stdbool.h>

#include "decimal.h"

cu_i128 cu_pow10(int k)
{
    cu_i128 p = 1;
    while (k-- > 0)
        p *= 10;
    return p;
}

cu_i128 cu_div_round(cu_i128 n, cu_i128 d)
{
    cu_i128 q = n / d, r = n % d;
    if (r < 0)
        r = -r;
    if (2 * r >= d)
        q += n < 0 ? -1 : 1;
    return q;
}

size_t cu_format_fixed(cu_i128 v, int digits, char *buf)
{
    char tmp[64];
    size_t n = 0, len = 0;
    bool neg = v < 0;
    __extension__ unsigned __int128 u = neg ? -(unsigned __int128)v
                                            : (unsigned __int128)v;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    while (n <= (size_t)digits)
        tmp[n++] = '0';
    /* tmp holds the digits least significant first */
    size_t frac = 0;
    while (frac < (size_t)digits && tmp[frac] == '0')
        frac++;
    if (neg)
        buf[len++] = '-';
    for (size_t i = n; i-- > (size_t)digits;)
        buf[len++] = tmp[i];
    if (frac < (size_t)digits) {
        buf[len++] = '.';
        for (size_t i = (size_t)digits; i-- > frac;)
            buf[len++] = tmp[i];
    }
    buf[len] = '\0';
    return len;
}

const char *cu_parse_fixed(const char *s, size_t len, int digits,
                           int64_t *out)
{
    const char *p = s, *end = s + len;
    cu_i128 m = 0;
    int exp10 = 0, sig = 0;
    bool any = false;

    /* the common case: a whole number of up to 12 digits */
    if (len && len <= 12) {
        int64_t v = 0;
        size_t i = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            v = v * 10 + (s[i++] - '0');
        static const int64_t scale[] = {1, 10, 100, 1000, 10000, 100000,
                                        1000000, 10000000, 100000000,
                                        1000000000, 10000000000,
                                        100000000000, 1000000000000,
                                        10000000000000, 100000000000000,
                                        1000000000000000};
        if (i == len && v <= INT64_MAX / scale[digits]) {
            *out = v * scale[digits];
            return NULL;
        }
    }

    if (p < end && *p == '+')
        p++;
    if (p < end && *p == '-')
        return "negative value";
    for (; p < end && *p >= '0' && *p <= '9'; p++) {
        any = true;
        if (sig < 36) {
            m = m * 10 + (*p - '0');
            sig += m != 0;
        } else {
            exp10++; /* digits beyond 36 significant ones are dropped */
        }
    }
    if (p < end && *p == '.') {
        for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
            any = true;
            if (sig < 36) {
                m = m * 10 + (*p - '0');
                sig += m != 0;
                exp10--;
            }
        }
    }
    if (!any)
        return "not a number";
    if (p < end && (*p == 'e' || *p == 'E')) {
        int esign = 1, e = 0;
        bool edigits = false;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            esign = *p++ == '-' ? -1 : 1;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
            edigits = true;
            if (e < 10000)
                e = e * 10 + (*p - '0');
        }
        if (!edigits)
            return "not a number";
        exp10 += esign * e;
    }
    if (p != end)
        return "not a number";

    int k = exp10 + digits;
    if (m == 0) {
        *out = 0;
        return NULL;
    }
    if (k >= 0) {
        if (k > 38)
            return "value too large";
        cu_i128 f = cu_pow10(k);
        if (m > (cu_i128)INT64_MAX / f)
            return "value too large";
        m *= f;
    } else if (k < -38) {
        m = 0;
    } else {
        m = cu_div_round(m, cu_pow10(-k));
    }
    if (m > INT64_MAX)
        return "value too large";
    *out = (int64_t)m;
    return NULL;
}
