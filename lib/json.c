/* JSON escapes and UTF-8; see json.h. */
#include "config.h"

#include "json.h"

#include "hex.h"

int cu_json_simple_escape(char c)
{
    switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return -1;
    }
}

/* the 4 hex digits of the \u at p; false if they are not */
static int hex4(const char *p, const char *end, uint32_t *v)
{
    if (end - p < 6)
        return 0;
    *v = 0;
    for (int k = 2; k < 6; k++) {
        int d = cu_hex_value((unsigned char)p[k]);
        if (d < 0)
            return -1;
        *v = *v << 4 | (uint32_t)d;
    }
    return 1;
}

size_t cu_json_unicode_escape(const char *p, const char *end, uint32_t *cp,
                              const char **why)
{
    int got = hex4(p, end, cp);
    if (got <= 0) {
        *why = got == 0 ? "truncated \\u escape"
                        : "bad \\u escape (4 hex digits expected)";
        return 0;
    }
    if (*cp >= 0xdc00 && *cp <= 0xdfff) {
        *why = "lone low surrogate";
        return 0;
    }
    if (*cp < 0xd800 || *cp > 0xdbff)
        return 6;
    uint32_t lo;
    if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
        hex4(p + 6, end, &lo) <= 0 || lo < 0xdc00 || lo > 0xdfff) {
        *why = "lone high surrogate";
        return 0;
    }
    *cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
    return 12;
}

size_t cu_utf8_encode(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}
