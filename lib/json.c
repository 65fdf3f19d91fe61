/* JSON escapes and UTF-8; see json.h. */
#include "config.h"

#include "json.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

__attribute__((format(printf, 3, 4)))
static const char *string_error(struct cu_json_error *err, const char *at,
                                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->at = at;
    return NULL;
}

/* The escape at p (on its backslash) into *op (unless NULL): the byte
 * after it, or NULL with *err. */
static const char *escape(const char *p, const char *end, char **op,
                          struct cu_json_error *err)
{
    if (p + 1 >= end)
        return string_error(err, p, "unterminated string");
    int c = cu_json_simple_escape(p[1]);
    if (c >= 0) {
        if (*op)
            *(*op)++ = (char)c;
        return p + 2;
    }
    if (p[1] != 'u') {
        if (isprint((unsigned char)p[1]))
            return string_error(err, p, "unknown escape '\\%c'", p[1]);
        return string_error(err, p,
                            "unknown escape '\\' followed by byte 0x%02x",
                            (unsigned char)p[1]);
    }
    uint32_t cp;
    const char *why;
    size_t used = cu_json_unicode_escape(p, end, &cp, &why);
    if (!used) {
        if (why[0] == 'l') /* a lone surrogate: say which */
            return string_error(err, p, "%s \\u%04X", why, (unsigned)cp);
        return string_error(err, p, "%s", why);
    }
    if (*op)
        *op += cu_utf8_encode(cp, *op);
    return p + used;
}

const char *cu_json_string_decode(const char *p, const char *end, char *out,
                                  size_t *outlen, struct cu_json_error *err)
{
    const char *open = p;
    char *o = out;
    if (p >= end || *p != '"')
        return string_error(err, p, "string expected");
    p++;
    for (;;) {
        const char *q = p;
        while (q < end && *q != '"' && *q != '\\' &&
               (unsigned char)*q >= 0x20)
            q++;
        if (o) {
            memcpy(o, p, (size_t)(q - p));
            o += q - p;
        }
        p = q;
        if (p == end)
            return string_error(err, open, "unterminated string");
        if (*p == '"')
            break;
        if (*p != '\\')
            return string_error(err, p, "control character 0x%02x in a string",
                                (unsigned char)*p);
        if (!(p = escape(p, end, &o, err)))
            return NULL;
    }
    if (outlen)
        *outlen = out ? (size_t)(o - out) : 0;
    return p + 1;
}
