/* lib/json: escapes and UTF-8, as both JSON readers decode them. */
#include "config.h"

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
    return done_testing();
}
