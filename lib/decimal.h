/* Exact decimal arithmetic for usage figures: fixed-point values as
 * integers in units of 10^-digits, in 128-bit integers so that a size
 * times microseconds over years cannot overflow a sum; their text, exact
 * and without an exponent (valid JSON number text). No binary floating
 * point touches a figure someone reads or is billed on. */
#ifndef CU_DECIMAL_H
#define CU_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 cu_i128;

/* 10^k, 0 <= k <= 38. */
cu_i128 cu_pow10(int k);
/* n / d rounded to nearest, halves away from zero; d > 0. */
cu_i128 cu_div_round(cu_i128 n, cu_i128 d);
/* Decimal text of v * 10^-digits into buf (64 bytes are enough): no
 * fraction for whole numbers, no trailing zeros; NUL-terminated; returns
 * its length. */
size_t cu_format_fixed(cu_i128 v, int digits, char *buf);
/* Read a non-negative decimal number (`12`, `0.25`, `1e-05`, `2.5E3`) into
 * units of 10^-digits, rounding to nearest beyond that, within int64.
 * Returns NULL, or what is wrong ("not a number", "value too large"). */
const char *cu_parse_fixed(const char *s, size_t len, int digits,
                           int64_t *out);

#endif
