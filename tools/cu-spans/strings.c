/* cu-spans: its strings in lib/intern's table, as sids (the table's id
 * + 1, so that 0 is NULL), and the queue that lets the readers intern the
 * ids of millions of rows at the speed of memory. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hex.h"
#include "spans.h"

void strings_init(struct strings *S) { S->t = cu_intern_new(); }

sid intern(struct strings *S, const char *s, size_t len)
{
    return cu_intern_add(S->t, s, len) + 1;
}

static void lag_resolve_oldest(struct lagq *q)
{
    const struct lagitem *it = &q->q[q->head];
    sid id = cu_intern_add_id(q->S->t, it->hi, it->lo, it->form) + 1;
    memcpy((char *)*q->base + it->idx * q->elem + it->off, &id, sizeof id);
    q->head = (q->head + 1) % LAG;
    q->n--;
}

void lag_push(struct lagq *q, uint64_t hi, uint64_t lo, uint32_t form,
              size_t idx, size_t off)
{
    if (q->n == LAG)
        lag_resolve_oldest(q);
    cu_intern_prefetch_id(q->S->t, hi, lo, form);
    q->q[(q->head + q->n++) % LAG] =
        (struct lagitem){hi, lo, idx, form, (uint32_t)off};
}

/* Forget the ids queued for element idx (a row that was not kept); they
 * are the newest, since a row queues fewer than LAG ids. */
void lag_forget(struct lagq *q, size_t idx)
{
    while (q->n && q->q[(q->head + q->n - 1) % LAG].idx == idx)
        q->n--;
}

void lag_flush(struct lagq *q)
{
    while (q->n)
        lag_resolve_oldest(q);
}

sid intern_cstr(struct strings *S, const char *s)
{
    return intern(S, s, strlen(s));
}

int sid_cmp(const struct strings *S, sid a, sid b)
{
    if (a == b)
        return 0;
    if (!a || !b)
        return a ? 1 : -1; /* NULL first */
    size_t la = len_of(S, a), lb = len_of(S, b);
    int c = memcmp(str_of(S, a), str_of(S, b), la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

struct idmap idmap_new(const struct strings *S)
{
    size_t n = strings_count(S) + 1;
    return (struct idmap){cu_table_calloc(n, sizeof(uint32_t)), n};
}

void idmap_free(struct idmap *m)
{
    cu_table_free(m->v, m->n, sizeof *m->v);
    *m = (struct idmap){NULL, 0};
}

struct idmap idmap_index(const struct strings *S, const void *v, size_t n,
                         size_t size, size_t off)
{
    struct idmap m = idmap_new(S);
    for (size_t i = 0; i < n; i++) {
        sid s;
        memcpy(&s, (const char *)v + i * size + off, sizeof s);
        idset(&m, s, (uint32_t)i + 1);
    }
    return m;
}

void idset(struct idmap *m, sid s, uint32_t v)
{
    if (s >= m->n)
        cu_die(CU_EXIT_DATA, "internal error: id %u beyond map", s);
    m->v[s] = v;
}

sid intern_cached(struct strings *S, const char *s, size_t len, sid *last)
{
    if (*last && len_of(S, *last) == len &&
        memcmp(str_of(S, *last), s, len) == 0)
        return *last;
    return *last = intern(S, s, len);
}

void sort_array(void *v, size_t n, size_t size, sort_cmp *cmp, void *ctx)
{
    if (n > 1)
        qsort_r(v, n, size, cmp, ctx);
}

void strings_end_interning(struct strings *S)
{
    cu_intern_drop_index(S->t);
}

void strings_mark_plain(struct strings *S)
{
    size_t n = strings_count(S);
    S->plain = cu_xmalloc(n + 1);
    S->plain[0] = 1;
    for (sid id = 1; id <= n; id++) {
        size_t len = len_of(S, id);
        /* an id is hex digits; else the lib's escaper says whether
           anything would be escaped */
        S->plain[id] = cu_intern_is_id(S->t, id - 1) ||
                       cu_tsv_escape(str_of(S, id), len, NULL, 0) == len;
    }
}

void strings_free(struct strings *S)
{
    cu_intern_free(S->t);
    free(S->plain);
    *S = (struct strings){0};
}
