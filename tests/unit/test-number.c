/* lib/number: integers against printf; doubles read back exactly and in
 * the fewest digits (checked against every shorter %g) where they are
 * normal. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "tap.h"

static const char *int_text(int64_t v, char *buf)
{
    size_t n = cu_format_int(v, buf);
    buf[n] = '\0';
    return buf;
}

static const char *double_text(double v, char *buf)
{
    size_t n = cu_format_double(v, buf);
    buf[n] = '\0';
    return buf;
}

/* A random double of any magnitude cu writes: mantissa and exponent. */
static double random_double(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    double m = (double)(*state >> 11) / (double)(1ULL << 53);
    int e = (int)(*state % 61) - 30;
    double v = m;
    for (; e > 0; e--)
        v *= 10;
    for (; e < 0; e++)
        v /= 10;
    return (*state >> 7 & 1) ? -v : v;
}

/* The text reads back to v, and no %g with fewer digits does. */
static bool shortest_round_trip(double v, const char *text)
{
    if (strtod(text, NULL) != v)
        return false;
    size_t digits = 0;
    for (const char *p = text; *p && *p != 'e'; p++)
        digits += *p >= '0' && *p <= '9';
    for (int prec = 1; prec < (int)digits && prec < 17; prec++) {
        char shorter[40];
        snprintf(shorter, sizeof shorter, "%.*g", prec, v);
        if (strtod(shorter, NULL) == v && strlen(shorter) < strlen(text))
            return false;
    }
    return true;
}

int main(void)
{
    char buf[CU_NUMBER_BUFSZ + 1], want[40];
    plan(16);

    static const int64_t ints[] = {0,        1,         -1,     9,
                                   10,       99,        100,    -100,
                                   12345678, INT64_MAX, INT64_MIN};
    bool same = true;
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        snprintf(want, sizeof want, "%" PRId64, ints[i]);
        if (strcmp(int_text(ints[i], buf), want) != 0) {
            same = false;
            diag("%s for %s", buf, want);
        }
    }
    ok(same, "cu_format_int writes what printf does, the extremes too");
    uint64_t state = 42;
    same = true;
    for (int i = 0; i < 100000 && same; i++) {
        state = state * 6364136223846793005ULL + 1;
        int64_t v = (int64_t)state >> (state % 63);
        snprintf(want, sizeof want, "%" PRId64, v);
        same = strcmp(int_text(v, buf), want) == 0;
    }
    ok(same, "cu_format_int agrees with printf on 100,000 random integers");

    is_str(double_text(0.0, buf), "0", "0.0 is 0");
    is_str(double_text(-0.0, buf), "0", "negative zero is 0");
    is_str(double_text(3.0, buf), "3", "an integral double has no point");
    is_str(double_text(-1e16, buf), "-10000000000000000",
           "integral doubles below 1e17 are plain digits");
    is_str(double_text(0.1, buf), "0.1", "0.1 is 0.1, not 0.10000000000000001");
    is_str(double_text(2.5, buf), "2.5", "2.5");
    is_str(double_text(-0.000125, buf), "-0.000125",
           "six decimals and a sign, without printf");
    is_str(double_text(123456.789, buf), "123456.789", "123456.789");
    is_str(double_text(1.0 / 3, buf), "0.3333333333333333",
           "a third: 16 digits read back");
    is_str(double_text(1e300, buf), "1e+300", "large: %g's exponent");
    is_str(double_text(5e-324, buf), "4.94065645841247e-324",
           "the smallest subnormal: 15 digits read back (shorter ones do "
           "too: 15 is where the search starts)");
    ok(strtod(double_text(0.1 + 0.2, buf), NULL) == 0.1 + 0.2 &&
           strcmp(buf, "0.30000000000000004") == 0,
       "0.1 + 0.2 keeps its last digit: %s", buf);

    same = true;
    state = 7;
    for (int i = 0; i < 200000 && same; i++) {
        double v = random_double(&state);
        same = shortest_round_trip(v, double_text(v, buf));
        if (!same)
            diag("%.17g written as %s", v, buf);
    }
    ok(same, "200,000 random doubles from 1e-30 to 1e30 read back exactly "
       "and no %%g with fewer digits does");

    size_t longest = 0;
    state = 9;
    for (int i = 0; i < 100000; i++) {
        size_t n = cu_format_double(random_double(&state) * 1e280, buf);
        longest = n > longest ? n : longest;
    }
    ok(longest <= CU_NUMBER_BUFSZ,
       "no text is longer than CU_NUMBER_BUFSZ (longest %zu)", longest);
    return done_testing();
}
