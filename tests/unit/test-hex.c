/* lib/hex: ids to 128 bits and back, on every input, valid or not. */
#include "config.h"

#include <string.h>

#include "hex.h"
#include "tap.h"

static uint64_t state = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(void)
{
    plan(0);
    uint64_t hi, lo;
    ok(cu_hex32("0123456789abcdef0123456789abcdef", &hi, &lo) &&
           hi == 0x0123456789abcdefULL && lo == 0x0123456789abcdefULL,
       "32 digits");
    ok(cu_hex_id("b06ed1f2-a1cc-48cd-8b1f-85f0d804ff4c", 36, &hi, &lo) &&
           hi == 0xb06ed1f2a1cc48cdULL && lo == 0x8b1f85f0d804ff4cULL,
       "a UUID");
    char out[32];
    cu_hex32_format(hi, lo, out);
    ok(memcmp(out, "b06ed1f2a1cc48cd8b1f85f0d804ff4c", 32) == 0,
       "formatted back");
    ok(!cu_hex32("0123456789ABCDEF0123456789abcdef", &hi, &lo),
       "uppercase is not read");
    ok(!cu_hex_id("b06ed1f2-a1cc-48cd-8b1f_85f0d804ff4c", 36, &hi, &lo),
       "a UUID needs its dashes");
    ok(!cu_hex_id("b06ed1f2a1cc48cd8b1f85f0d804ff4", 31, &hi, &lo),
       "31 digits are no id");
    /* every byte value in every position, and random valid ids */
    static const char alphabet[] = "0123456789abcdef";
    size_t disagree = 0, n = 0;
    for (int round = 0; round < 20000; round++) {
        char s[32];
        for (int i = 0; i < 32; i++)
            s[i] = alphabet[rnd() & 15];
        if (round >= 10000) /* one byte changed to anything */
            s[rnd() % 32] = (char)(rnd() & 255);
        uint64_t h1 = 0, l1 = 0;
        bool a = cu_hex32(s, &h1, &l1);
        char back[32];
        if (a) {
            cu_hex32_format(h1, l1, back);
            disagree += memcmp(back, s, 32) != 0;
        }
        /* a string decodes exactly when all its bytes are digits */
        bool digits = true;
        for (int i = 0; i < 32; i++)
            digits &= strchr(alphabet, s[i]) != NULL && s[i] != '\0';
        disagree += a != digits;
        n++;
    }
    ok(disagree == 0, "%zu inputs: decoded exactly when digits, and the "
                      "digits come back (%zu differences)", n, disagree);
    for (int c = 0; c < 256; c++) {
        char s[32];
        memset(s, '7', 32);
        s[c % 32] = (char)c;
        bool valid = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        uint64_t h, l;
        if (cu_hex32(s, &h, &l) != valid)
            disagree++;
    }
    ok(disagree == 0, "every byte value: a digit exactly when it is one");
    char u[37] = {0};
    cu_hex_uuid_format(UINT64_C(0x0123456789abcdef), UINT64_C(0xfedcba9876543210),
                       u);
    is_str(u, "01234567-89ab-cdef-fedc-ba9876543210", "a UUID spelled");
    uint64_t h2, l2;
    ok(cu_hex_id(u, 36, &h2, &l2) && h2 == UINT64_C(0x0123456789abcdef) &&
           l2 == UINT64_C(0xfedcba9876543210),
       "and read back");
    return done_testing();
}
