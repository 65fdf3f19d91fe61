/* JSON text, the pieces both of cu's JSON readers need (the JSONS reader
 * in stream.c, cu-dump's reducer of Nova's JSON blobs): escapes decoded to
 * UTF-8 the same way, surrogate pairs joined and lone ones refused. */
#ifndef CU_JSON_H
#define CU_JSON_H

#include <stddef.h>
#include <stdint.h>

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

#endif
