/* JSON text: cu's one JSON scanner, whose pieces both of cu's JSON readers
 * are made of (the JSONS reader in stream.c, cu-dump's reducer of Nova's
 * JSON blobs): white space, numbers in JSON's grammar, literals, strings
 * with their escapes decoded to UTF-8 (surrogate pairs joined, lone ones
 * refused). Hand-written rather than a library's: bench/json-bench.sh
 * measures jansson at about 11 times the CPU of this scanner for both
 * readers (bench/README.md), where the rule is 1.2 at most. Callers walk
 * the structure themselves: a JSONS line is one flat object, a blob is
 * searched for a few paths without building a tree. */
#ifndef CU_JSON_H
#define CU_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The byte a one-character escape stands for (the character after the
 * backslash: " \ / b f n r t), or -1. */
int cu_json_simple_escape(char c);

/* A \u escape at p (on its backslash; end: the end of the text): its code
 * point in *cp, a high surrogate joined with the \u low surrogate after it.
 * Returns the bytes used (6, or 12 for a pair), or 0 with *why saying what
 * is wrong (*cp is then the first unit, for the message). */
size_t cu_json_unicode_escape(const char *p, const char *end, uint32_t *cp,
                              const char **why);

/* cp as UTF-8 into o (room for 4 bytes); returns the bytes written. */
size_t cu_utf8_encode(uint32_t cp, char *o);

/* The first byte at or after p that is not JSON white space (in line:
 * both readers skip it between every two tokens). */
static inline const char *cu_json_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* One or more digits at p: the byte after them, or NULL. */
static inline const char *cu_json_digits(const char *p, const char *end)
{
    if (p >= end || *p < '0' || *p > '9')
        return NULL;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p;
}

/* The number in JSON's grammar at p: the byte after it, or NULL when p
 * holds none or it runs on into a letter, digit, '.', '+' or '-' ("01",
 * "1.2.3", "12abc"). In line, as cu_json_ws. */
static inline const char *cu_json_number(const char *p, const char *end)
{
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (!(p = cu_json_digits(p, end)))
        return NULL;
    if (p < end && *p == '.' && !(p = cu_json_digits(p + 1, end)))
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!(p = cu_json_digits(p, end)))
            return NULL;
    }
    if (p < end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= 'A' && *p <= 'Z') || *p == '.' || *p == '+' ||
                    *p == '-'))
        return NULL;
    return p;
}

/* The literal word (true, false, null) at p: the byte after it, or NULL. */
static inline const char *cu_json_literal(const char *p, const char *end,
                                          const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - p) < n || memcmp(p, word, n) != 0)
        return NULL;
    return p + n;
}

/* What is wrong with a string, and where. */
struct cu_json_error {
    const char *at;
    char msg[96];
};

/* The string at p (on its opening quote), decoded into out (room for
 * end - p bytes; not NUL-terminated; NULL: only scanned), its length in
 * *outlen: returns the byte after the closing quote, or NULL with *err.
 * Bytes other than escapes pass through (UTF-8 is not validated). */
const char *cu_json_string_decode(const char *p, const char *end, char *out,
                                  size_t *outlen, struct cu_json_error *err);

/* cu_json_string_decode, with the common string (no escape) copied in
 * line: both readers decode millions of them. */
static inline const char *cu_json_string(const char *p, const char *end,
                                         char *out, size_t *outlen,
                                         struct cu_json_error *err)
{
    const char *q = p + 1;
    if (p < end && *p == '"') {
        while (q < end && *q != '"' && *q != '\\' &&
               (unsigned char)*q >= 0x20)
            q++;
        if (q < end && *q == '"') {
            size_t n = (size_t)(q - p - 1);
            if (out)
                memcpy(out, p + 1, n);
            *outlen = out ? n : 0;
            return q + 1;
        }
    }
    return cu_json_string_decode(p, end, out, outlen, err);
}

#endif
