/* lib/intern: ids in order of first sight, the same id for the same bytes
 * (NUL bytes included), lookups of what was never added, and growth past
 * many resizes agreeing with a plain list. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "intern.h"
#include "tap.h"

/* Ids (UUIDs, 32 hex digits) through the id index: the same ids as by
 * their spelling, added by value, spelled back; other strings apart. */
static void ids(void)
{
    cu_intern *t = cu_intern_new();
    const char *uuid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    const char *hex = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    uint32_t a = cu_intern_add(t, "host-1", 6);
    uint32_t u = cu_intern_add(t, uuid, 36);
    uint32_t h = cu_intern_add(t, hex, 32);
    ok(a == 0 && u == 1 && h == 2, "a UUID and its digits: two strings, ids "
       "in order of first sight");
    ok(!cu_intern_is_id(t, a) && cu_intern_is_id(t, u) && cu_intern_is_id(t, h),
       "ids are told from other strings");
    uint64_t hi = UINT64_C(0x0f1e2d3c4b5a6978), lo = UINT64_C(0x8796a5b4c3d2e1f0);
    cu_intern_prefetch_id(t, hi, lo, 36);
    is_int(cu_intern_add_id(t, hi, lo, 36), u, "a UUID by value: its id");
    is_int(cu_intern_add_id(t, hi, lo, 32), h, "the digits by value: theirs");
    uint32_t n = cu_intern_add_id(t, lo, hi, 36);
    is_int(n, 3, "a new id by value: the next id");
    is_str(cu_intern_str(t, n), "8796a5b4-c3d2-e1f0-0f1e-2d3c4b5a6978",
           "spelled as a canonical UUID");
    is_int(cu_intern_find(t, "8796a5b4-c3d2-e1f0-0f1e-2d3c4b5a6978", 36), n,
           "and found by its spelling");
    is_int(cu_intern_add(t, "0F1E2D3C4B5A69788796A5B4C3D2E1F0", 32), 4,
           "uppercase digits: another string, not an id");
    ok(!cu_intern_is_id(t, 4), "(kept as a string)");
    /* the bytes stay where they are while the table grows */
    const char *kept = cu_intern_str(t, u);
    char buf[40];
    for (unsigned i = 0; i < 200000; i++) {
        int k = snprintf(buf, sizeof buf, "%08x-0000-0000-0000-%012x", i, i);
        cu_intern_add(t, buf, (size_t)k);
    }
    ok(kept == cu_intern_str(t, u) && strcmp(kept, uuid) == 0,
       "a string's bytes never move (200,000 ids later)");
    cu_intern_drop_index(t);
    is_str(cu_intern_str(t, u), uuid, "after dropping the index: the strings "
           "stay");
    cu_intern_free(t);
}

static void add_after_drop(void *arg)
{
    (void)arg;
    cu_intern *t = cu_intern_new();
    cu_intern_drop_index(t);
    cu_intern_add(t, "x", 1);
}

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
    ids();
    dies_with(add_after_drop, NULL, 1, "after its index was dropped",
              "adding after the index was dropped is a program error");
    return done_testing();
}
