/* lib/intern: ids in order of first sight, the same id for the same bytes
 * (NUL bytes included), lookups of what was never added, and growth past
 * many resizes agreeing with a plain list. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "intern.h"
#include "tap.h"

int main(void)
{
    plan(0);
    cu_intern *t = cu_intern_new();
    is_int(cu_intern_find(t, "a", 1), CU_INTERN_NONE, "empty: nothing found");
    is_int(cu_intern_add(t, "host", 4), 0, "first string: id 0");
    is_int(cu_intern_add(t, "project", 7), 1, "second string: id 1");
    is_int(cu_intern_add(t, "host", 4), 0, "same bytes: same id");
    is_int(cu_intern_find(t, "project", 7), 1, "find an added string");
    is_int(cu_intern_find(t, "hos", 3), CU_INTERN_NONE, "a prefix is not found");
    is_int(cu_intern_add(t, "", 0), 2, "the empty string is a string");
    is_int(cu_intern_add(t, "s\0a", 3), 3, "bytes with a NUL: their own id");
    is_int(cu_intern_add(t, "s\0b", 3), 4, "differing after the NUL: another id");
    is_int(cu_intern_add(t, "s", 1), 5, "the part before the NUL: another id");
    is_mem(cu_intern_str(t, 3), cu_intern_len(t, 3), "s\0a", 3, "bytes kept");
    is_str(cu_intern_str(t, 1), "project", "kept NUL-terminated");
    is_int((int64_t)cu_intern_count(t), 6, "count");

    /* many resizes: every id still maps back and forth */
    enum { N = 100000 };
    char buf[32];
    bool good = true;
    for (unsigned i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "key-%u", i);
        if (cu_intern_add(t, buf, (size_t)n) != i + 6)
            good = false;
    }
    ok(good, "100000 new strings get consecutive ids");
    good = true;
    for (unsigned i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "key-%u", i);
        uint32_t id = cu_intern_find(t, buf, (size_t)n);
        if (id != i + 6 || strcmp(cu_intern_str(t, id), buf) != 0)
            good = false;
    }
    ok(good, "after growing: each is found with its bytes");
    is_int(cu_intern_find(t, "key-100000", 10), CU_INTERN_NONE,
           "after growing: an absent key is absent");
    cu_intern_free(t);
    cu_intern_free(NULL);
    ok(true, "free (and free of NULL)");
    return done_testing();
}
