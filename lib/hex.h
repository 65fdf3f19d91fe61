/* Ids as numbers: 32 lowercase hex digits (a Keystone id, a UUID without
 * its dashes) to 128 bits and back, so that a table of millions of ids
 * keys on two integers instead of strings. Uppercase digits are not read:
 * such an id stays a string where it is used.
 *
 * Eight digits at a time in a 64-bit word. An SSE2 decoder (all 32 at
 * once) was measured and dropped: 2.3 % of a cu-spans run's instructions,
 * below the 5 % a fast path must earn (bench/README.md). */
#ifndef CU_HEX_H
#define CU_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes to lower-case hex: 2*n digits plus NUL. */
void cu_hex(const unsigned char *in, size_t n, char *out);
/* The value 0..15 of a hex digit (either case), or -1 for anything else. */
int cu_hex_value(int c);

/* s[0..32): the first digit is the most significant of hi. */
bool cu_hex32(const char *s, uint64_t *hi, uint64_t *lo);
/* A canonical lowercase UUID (8-4-4-4-12, len 36) or 32 hex digits. */
bool cu_hex_id(const char *s, size_t len, uint64_t *hi, uint64_t *lo);
/* The 32 digits of hi, lo into out (not NUL-terminated). */
void cu_hex32_format(uint64_t hi, uint64_t lo, char out[32]);
/* The same as a canonical UUID, 8-4-4-4-12 (not NUL-terminated). */
void cu_hex_uuid_format(uint64_t hi, uint64_t lo, char out[36]);

#endif
