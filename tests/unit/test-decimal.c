/* lib/decimal: powers, rounding of halves both ways, the text of fixed
 * values (no trailing zeros, no exponent, 128-bit range) and the parser
 * (forms, rounding beyond the digits kept, errors). */
#include "config.h"

#include <string.h>

#include "decimal.h"
#include "tap.h"

static void text_is(cu_i128 v, int digits, const char *want, const char *name)
{
    char buf[64];
    size_t n = cu_format_fixed(v, digits, buf);
    ok(n == strlen(want) && strcmp(buf, want) == 0, "%s: '%s' (want '%s')",
       name, buf, want);
}

static void parses(const char *s, int digits, int64_t want, const char *name)
{
    int64_t v = -1;
    const char *why = cu_parse_fixed(s, strlen(s), digits, &v);
    ok(!why && v == want, "%s: %s -> %lld%s%s", name, s, (long long)v,
       why ? ": " : "", why ? why : "");
}

static void refuses(const char *s, const char *want_why)
{
    int64_t v;
    const char *why = cu_parse_fixed(s, strlen(s), 6, &v);
    ok(why && strcmp(why, want_why) == 0, "parse '%s': %s", s,
       why ? why : "(accepted)");
}

int main(void)
{
    plan(0);
    ok(cu_pow10(0) == 1 && cu_pow10(18) == (cu_i128)1000000000000000000LL,
       "pow10 0 and 18");
    ok(cu_pow10(38) / cu_pow10(37) == 10, "pow10 38");
    is_int((int64_t)cu_div_round(5, 2), 3, "5/2 rounds half away: 3");
    is_int((int64_t)cu_div_round(-5, 2), -3, "-5/2 rounds half away: -3");
    is_int((int64_t)cu_div_round(7, 3), 2, "7/3: 2");
    is_int((int64_t)cu_div_round(8, 3), 3, "8/3: 3");
    text_is(0, 6, "0", "zero");
    text_is(1500000, 6, "1.5", "trailing zeros dropped");
    text_is(2000000, 6, "2", "whole: no fraction");
    text_is(1, 6, "0.000001", "smallest unit");
    text_is(-1234567, 3, "-1234.567", "negative");
    text_is(42, 0, "42", "no digits");
    text_is(cu_pow10(38), 9, "100000000000000000000000000000", "10^38 at 9 digits");
    parses("12", 6, 12000000, "whole");
    parses("0.25", 6, 250000, "fraction");
    parses("1e-05", 6, 10, "exponent");
    parses("2.5E3", 0, 2500, "upper-case exponent");
    parses("0.0000015", 6, 2, "rounded to nearest beyond the digits");
    parses("0.16666666666666666", 15, 166666666666667, "a node share");
    refuses("", "not a number");
    refuses("1x", "not a number");
    refuses("1e40", "value too large");
    refuses("9999999999999999999", "value too large");
    return done_testing();
}
