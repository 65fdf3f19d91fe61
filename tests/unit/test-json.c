/* lib/json: escapes and UTF-8, as both JSON readers decode them. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "tap.h"

static void escape_is(const char *text, uint32_t want, size_t want_used)
{
    uint32_t cp = 0;
    const char *why = NULL;
    size_t used = cu_json_unicode_escape(text, text + strlen(text), &cp, &why);
    ok(used == want_used && cp == want, "%s: U+%04X in %zu bytes%s%s", text,
       (unsigned)cp, used, why ? ": " : "", why ? why : "");
}

static void refused(const char *text, const char *want_why)
{
    uint32_t cp;
    const char *why = NULL;
    size_t used = cu_json_unicode_escape(text, text + strlen(text), &cp, &why);
    ok(used == 0 && why && strcmp(why, want_why) == 0, "%s refused: %s", text,
       why ? why : "(accepted)");
}

/* cu_json_number on text: the length taken, or -1 for none. */
static long number_len(const char *text)
{
    const char *end = text + strlen(text);
    const char *after = cu_json_number(text, end);
    return after ? (long)(after - text) : -1;
}

static void numbers(void)
{
    static const struct {
        const char *text;
        long len;
    } cases[] = {
        {"0", 1},      {"-12", 3},   {"3.25", 4},  {"1e5", 3},
        {"-0.5E-3", 7}, {"7,", 1},   {"8}", 1},    {"9 ", 1},
        {"01", -1},    {"1.", -1},   {".5", -1},   {"-", -1},
        {"1e", -1},    {"1.2.3", -1}, {"12abc", -1}, {"+1", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ok(number_len(cases[i].text) == cases[i].len,
           "cu_json_number('%s') takes %ld", cases[i].text, cases[i].len);
}

/* cu_json_string on text: the decoded value (or "ERR column: message")
 * and what follows it. */
static void string_is(const char *text, const char *want, const char *rest)
{
    const char *end = text + strlen(text);
    char out[64];
    size_t len = 0;
    struct cu_json_error err;
    const char *after = cu_json_string(text, end, out, &len, &err);
    char got[160];
    if (after)
        snprintf(got, sizeof got, "%.*s|%s", (int)len, out, after);
    else
        snprintf(got, sizeof got, "ERR %ld: %s", (long)(err.at - text),
                 err.msg);
    char expected[160];
    snprintf(expected, sizeof expected, rest ? "%s|%s" : "%s", want,
             rest ? rest : "");
    is_str(got, expected, text);
    size_t n = 99;
    const char *skipped = cu_json_string(text, end, NULL, &n, &err);
    ok(skipped == after && (!after || n == 0),
       "scanned without decoding: the same end");
}

static void strings(void)
{
    string_is("\"plain\", 1", "plain", ", 1");
    string_is("\"\"", "", "");
    string_is("\"a\\tb\\\"c\\u00e9\"x", "a\tb\"c\xc3\xa9", "x");
    string_is("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", "");
    string_is("\"open", "ERR 0: unterminated string", NULL);
    string_is("\"ab\\", "ERR 3: unterminated string", NULL);
    string_is("\"a\\qb\"", "ERR 2: unknown escape '\\q'", NULL);
    string_is("\"a\\\x01\"", "ERR 2: unknown escape '\\' followed by byte 0x01",
              NULL);
    string_is("\"a\x02" "b\"", "ERR 2: control character 0x02 in a string",
              NULL);
    string_is("\"\\ude00\"", "ERR 1: lone low surrogate \\uDE00", NULL);
    string_is("\"\\u12\"", "ERR 1: truncated \\u escape", NULL);
    string_is("\"\\u12x4\"", "ERR 1: bad \\u escape (4 hex digits expected)",
              NULL);
    string_is("x", "ERR 0: string expected", NULL);
    const char *ws = " \t\r\n x";
    ok(cu_json_ws(ws, ws + strlen(ws)) == ws + 5, "white space skipped");
    const char *t = "true,";
    ok(cu_json_literal(t, t + 5, "true") == t + 4 &&
           cu_json_literal(t, t + 3, "true") == NULL &&
           cu_json_literal(t, t + 5, "null") == NULL,
       "literals");
}

int main(void)
{
    plan(0);
    ok(cu_json_simple_escape('n') == '\n' && cu_json_simple_escape('/') == '/' &&
           cu_json_simple_escape('x') == -1,
       "one-character escapes");
    escape_is("\\u00e9", 0xe9, 6);
    escape_is("\\u20AC rest", 0x20ac, 6);
    escape_is("\\ud83d\\ude00", 0x1f600, 12);
    refused("\\u00", "truncated \\u escape");
    refused("\\u00g9", "bad \\u escape (4 hex digits expected)");
    refused("\\ude00", "lone low surrogate");
    refused("\\ud83d", "lone high surrogate");
    refused("\\ud83d\\u0041", "lone high surrogate");
    char o[4];
    ok(cu_utf8_encode(0x41, o) == 1 && o[0] == 'A', "ASCII in a byte");
    ok(cu_utf8_encode(0xe9, o) == 2 && memcmp(o, "\xc3\xa9", 2) == 0, "é in 2");
    ok(cu_utf8_encode(0x20ac, o) == 3 && memcmp(o, "\xe2\x82\xac", 3) == 0,
       "€ in 3");
    ok(cu_utf8_encode(0x1f600, o) == 4 && memcmp(o, "\xf0\x9f\x98\x80", 4) == 0,
       "an emoji in 4");
    numbers();
    strings();
    return done_testing();
}
