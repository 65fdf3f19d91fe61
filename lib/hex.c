/* Ids as numbers; see hex.h. */
#include "config.h"

#include "hex.h"

#include <string.h>

/* Eight lowercase hex digits to their value, all eight bytes at once:
 * each byte is tested for '0'..'9' and 'a'..'f' with carry-free additions
 * that set its top bit (bytes are below 0x80 once the top bits are known
 * clear). */
static bool hex8(const char *s, uint32_t *v)
{
    const uint64_t ones = 0x0101010101010101ULL, top = 0x8080808080808080ULL;
    uint64_t x;
    memcpy(&x, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    if (x & top)
        return false;
    uint64_t ge0 = x + ones * (0x80 - '0'), gt9 = x + ones * (0x7f - '9');
    uint64_t gea = x + ones * (0x80 - 'a'), gtf = x + ones * (0x7f - 'f');
    uint64_t digit = ge0 & ~gt9 & top, letter = gea & ~gtf & top;
    if ((digit | letter) != top)
        return false;
    /* '0' = 0x30 -> 0, 'a' = 0x61 -> 1 + 9 */
    uint64_t nib = (x & ones * 0x0f) + (letter >> 7) * 9;
    /* byte 0 holds the first (most significant) digit */
    nib = ((nib & 0x00ff00ff00ff00ffULL) << 4) | ((nib >> 8) & 0x00ff00ff00ff00ffULL);
    nib = (nib | (nib >> 8)) & 0x0000ffff0000ffffULL;
    nib = (nib | (nib >> 16)) & 0xffffffffULL;
    *v = __builtin_bswap32((uint32_t)nib);
    return true;
}

bool cu_hex32(const char *s, uint64_t *hi, uint64_t *lo)
{
    uint32_t a, b, c, d;
    if (!hex8(s, &a) || !hex8(s + 8, &b) || !hex8(s + 16, &c) ||
        !hex8(s + 24, &d))
        return false;
    *hi = (uint64_t)a << 32 | b;
    *lo = (uint64_t)c << 32 | d;
    return true;
}

bool cu_hex_id(const char *s, size_t len, uint64_t *hi, uint64_t *lo)
{
    if (len == 32)
        return cu_hex32(s, hi, lo);
    if (len != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' ||
        s[23] != '-')
        return false;
    char d[32];
    memcpy(d, s, 8);
    memcpy(d + 8, s + 9, 4);
    memcpy(d + 12, s + 14, 4);
    memcpy(d + 16, s + 19, 4);
    memcpy(d + 20, s + 24, 12);
    return cu_hex32(d, hi, lo);
}

static const char hexdigits[] = "0123456789abcdef";

void cu_hex32_format(uint64_t hi, uint64_t lo, char out[32])
{
    for (int i = 0; i < 16; i++) {
        out[15 - i] = hexdigits[hi & 15];
        out[31 - i] = hexdigits[lo & 15];
        hi >>= 4;
        lo >>= 4;
    }
}

void cu_hex_uuid_format(uint64_t hi, uint64_t lo, char out[36])
{
    char d[32];
    cu_hex32_format(hi, lo, d);
    memcpy(out, d, 8);
    out[8] = '-';
    memcpy(out + 9, d + 8, 4);
    out[13] = '-';
    memcpy(out + 14, d + 12, 4);
    out[18] = '-';
    memcpy(out + 19, d + 16, 4);
    out[23] = '-';
    memcpy(out + 24, d + 20, 12);
}

void cu_hex(const unsigned char *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdigits[in[i] >> 4];
        out[2 * i + 1] = hexdigits[in[i] & 0xf];
    }
    out[2 * n] = '\0';
}

int cu_hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
