/* Distinct instances per accumulator (usage's instances column), exact,
 * in memory that does not grow with the input when it comes in cu-spans
 * order (each instance's spans together, instances by site and id).
 *
 * In that order an instance never comes back once the next one begins, so
 * an accumulator only needs the run (seq) of the last instance it counted.
 * The one exception is a span still open at the end of the input, counted
 * after all the rest: it carries the accumulators its instance had already
 * touched (set aside when it was read).
 *
 * Any other order needs the set of (accumulator, instance) pairs. The sets
 * are kept from the start, for the first RECORD_LIMIT instances: an input
 * out of order early (a hand-made file, a concatenation) switches to them
 * and stays exact. One that leaves the order later is refused: exactness
 * would have cost memory for every instance before it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"

enum { RECORD_LIMIT = 65536 };

struct memo { /* an open span's instance, when it was read */
    bool total_counted;
    size_t n;
    uint32_t slots[];
};

void distinct_init(struct distinct *d)
{
    memset(d, 0, sizeof *d);
    d->in_order = d->recorded = true;
    d->pairs = cu_intern_new();
    d->all = cu_intern_new();
}

void distinct_free(struct distinct *d)
{
    cu_intern_free(d->pairs);
    cu_intern_free(d->all);
    free(d->touched);
    free(d->last_seq);
}

uint64_t distinct_total(const struct distinct *d)
{
    return d->in_order ? d->total : cu_intern_count(d->all);
}

static void stop_recording(struct distinct *d)
{
    cu_intern_free(d->pairs);
    cu_intern_free(d->all);
    d->pairs = cu_intern_new();
    d->all = cu_intern_new();
    d->recorded = false;
}

void distinct_span(struct distinct *d, const struct span *sp)
{
    const struct memo *m = sp->memo;
    if (d->in_order && !sp->in_order) {
        if (!d->recorded)
            cu_die(CU_EXIT_DATA,
                   "the instance spans leave cu-spans order (by site and id, "
                   "each instance's together) after more than %d instances: "
                   "the instances column cannot be counted exactly in "
                   "bounded memory; sort the input or read cu-spans' output",
                   RECORD_LIMIT);
        d->in_order = false;
    }
    if (sp->seq != d->touched_seq) { /* the first span of a run */
        d->ntouched = 0;
        d->touched_seq = sp->seq;
        if (!(m && m->total_counted))
            d->total++;
        if (d->recorded && d->in_order && d->total > RECORD_LIMIT)
            stop_recording(d);
    }
    if (d->recorded || !d->in_order)
        cu_intern_add(d->all, sp->text[G_INSTANCE].s, sp->text[G_INSTANCE].len);
}

static bool in_memo(const struct memo *m, uint32_t slot)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (m->slots[i] == slot)
            return true;
    return false;
}

static void touch(struct distinct *d, uint32_t slot)
{
    for (size_t i = 0; i < d->ntouched; i++)
        if (d->touched[i] == slot)
            return;
    d->touched = cu_xgrow(d->touched, &d->touched_cap, d->ntouched + 1,
                          sizeof *d->touched);
    d->touched[d->ntouched++] = slot;
}

/* Is the pair new in the sets? (and add it) */
static bool add_pair(struct distinct *d, uint32_t slot, const struct text *id)
{
    char buf[256], *key = id->len + 4 <= sizeof buf ? buf
                                                     : cu_xmalloc(id->len + 4);
    memcpy(key, &slot, 4);
    memcpy(key + 4, id->s, id->len);
    size_t before = cu_intern_count(d->pairs);
    cu_intern_add(d->pairs, key, 4 + id->len);
    if (key != buf)
        free(key);
    return cu_intern_count(d->pairs) != before;
}

bool distinct_add(struct distinct *d, uint32_t slot, const struct span *sp)
{
    bool fresh_pair = d->recorded || !d->in_order
                          ? add_pair(d, slot, &sp->text[G_INSTANCE])
                          : false;
    if (!d->in_order)
        return fresh_pair;
    if (slot >= d->nslots) {
        size_t old = d->nslots;
        d->last_seq = cu_xgrow(d->last_seq, &d->nslots, slot + 1,
                               sizeof *d->last_seq);
        memset(d->last_seq + old, 0, (d->nslots - old) * sizeof *d->last_seq);
    }
    touch(d, slot);
    if (d->last_seq[slot] == sp->seq)
        return false;
    d->last_seq[slot] = sp->seq;
    return !in_memo(sp->memo, slot);
}

void *distinct_set_aside(struct distinct *d, const struct span *sp)
{
    bool same = d->touched_seq == sp->seq;
    size_t n = same ? d->ntouched : 0;
    struct memo *m = cu_xmalloc(sizeof *m + n * sizeof *m->slots);
    m->total_counted = same;
    m->n = n;
    if (n)
        memcpy(m->slots, d->touched, n * sizeof *m->slots);
    return m;
}
