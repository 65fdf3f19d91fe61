/* cu-timeline: reading the spans into events, and sorting them. */
#include "config.h"

#include "timeline.h"

/* A span type's index: its bytes interned (the struct has no padding:
 * NRES int64 values, then two uint32). */
_Static_assert(sizeof(struct span_type) == (NRES + 1) * 8,
               "span_type is its bytes");

static uint32_t type_intern(struct input *in, const struct span_type *ty)
{
    uint32_t i = cu_intern_add(in->type_ids, (const char *)ty, sizeof *ty);
    if (i == in->ntypes) {
        if (in->ntypes >= UINT32_MAX / 2)
            cu_die(CU_EXIT_DATA, "too many different spans (%zu)", in->ntypes);
        in->types = cu_xgrow(in->types, &in->typecap, in->ntypes + 1,
                             sizeof *in->types);
        in->types[in->ntypes++] = *ty;
    }
    return i;
}

static void add_event(struct input *in, cu_time t, uint64_t what)
{
    if (in->nev == in->evcap)
        in->ev = cu_xgrow(in->ev, &in->evcap, in->nev + 1, sizeof *in->ev);
    in->ev[in->nev].key = (uint64_t)t;
    in->ev[in->nev].value = what;
    in->nev++;
    if (!in->any_time || t < in->tmin)
        in->tmin = t;
    if (!in->any_time || t > in->tmax)
        in->tmax = t;
    in->any_time = true;
    if (t % CU_USEC_PER_SEC != 0) {
        in->whole_seconds = false;
        if (t % 1000 != 0)
            in->whole_millis = false;
    }
}

#define field_is_lit(f, lit) cu_field_equals_n((f), lit, sizeof lit - 1)

/* The columns read, found; the reader need not decode the others (ids,
 * projects, users, reservations, leases, flavors). */
static void resolve_cols(cu_reader *r, struct cols *c)
{
    c->site = cu_reader_need_col(r, "site");
    c->kind = cu_reader_need_col(r, "kind");
    c->state = cu_reader_need_col(r, "state");
    c->start = cu_reader_need_col(r, "start");
    c->end = cu_reader_need_col(r, "end");
    c->host = cu_reader_need_col(r, "host");
    c->booking = cu_reader_need_col(r, "booking");
    c->audit = cu_reader_need_col(r, "audit");
    for (int i = 0; i < NVALUE_COLS; i++)
        c->val[i] = cu_reader_need_col(r, resource_name[i]);
    long used[8 + NVALUE_COLS] = {
        (long)c->site, (long)c->kind,    (long)c->state, (long)c->start,
        (long)c->end,  (long)c->host, (long)c->booking, (long)c->audit};
    for (int i = 0; i < NVALUE_COLS; i++)
        used[8 + i] = (long)c->val[i];
    cu_reader_only(r, used, sizeof used / sizeof *used);
}

/* Counted audits: 1; left out unless --include-invalid: 0. */
static int audit_counts(const cu_reader *r, const struct cols *c)
{
    const cu_field *f = cu_reader_field(r, c->audit);
    /* cu(7): ok, clipped, fallback and inferred count; the others stay
       visible for audit (inferred: a hard delete's end taken from a later
       snapshot; rejected: cu-replay --simulate found no room) */
    if (field_is_lit(f, "ok") || field_is_lit(f, "clipped") ||
        field_is_lit(f, "fallback") || field_is_lit(f, "inferred"))
        return 1;
    if (field_is_lit(f, "orphan") || field_is_lit(f, "null_key") ||
        field_is_lit(f, "rejected"))
        return 0;
    cu_reader_die_field(r, c->audit,
                        "unknown audit (ok, clipped, fallback, inferred, "
                        "orphan, null_key, rejected)");
}

/* The class a span adds to, or -1 for a span that holds nothing (shelved);
 * *container says whether the occupant is a Zun container (an instance
 * otherwise). */
static int span_base(const cu_reader *r, const struct cols *c, bool *container)
{
    const cu_field *kind = cu_reader_field(r, c->kind);
    const cu_field *state = cu_reader_field(r, c->state);
    static const char *const host_kinds[] = {"total", "reservable",
                                             "committed"};
    for (int b = 0; b < 3; b++) {
        if (cu_field_equals(kind, host_kinds[b])) {
            if (!cu_field_equals(state, host_kinds[b]))
                cu_reader_die_field(r, c->state,
                                    "state differs from kind '%s'",
                                    host_kinds[b]);
            return b;
        }
    }
    *container = field_is_lit(kind, "container");
    if (!*container && !field_is_lit(kind, "instance"))
        cu_reader_die_field(r, c->kind, "unknown kind (total, reservable, "
                                        "committed, instance, container)");
    int s;
    if (field_is_lit(state, "active"))
        s = 0;
    else if (field_is_lit(state, "stopped"))
        s = 1;
    else if (field_is_lit(state, "error"))
        s = 2;
    else if (field_is_lit(state, "shelved"))
        return -1;
    else
        cu_reader_die_field(r, c->state, "unknown instance state (active, "
                                         "stopped, error, shelved)");
    const cu_field *booking = cu_reader_field(r, c->booking);
    if (field_is_lit(booking, "reservation"))
        return B_ACTIVE_RES + s;
    if (field_is_lit(booking, "ondemand"))
        return B_ACTIVE_OD + s;
    cu_reader_die_field(r, c->booking,
                        "unknown booking (reservation, ondemand)");
}

static bool site_selected(struct options *o, const cu_field *site)
{
    if (!o->nsites)
        return true;
    for (size_t i = 0; i < o->nsites; i++) {
        if (cu_field_equals(site, o->sites[i])) {
            o->site_seen[i] = true;
            return true;
        }
    }
    return false;
}

/* The site's index; rows come in runs of one site, so the last one is
 * tried first. */
static uint32_t site_id(struct input *in, const cu_field *site)
{
    if (cu_field_is_null(site)) {
        if (in->null_site == UINT32_MAX)
            in->null_site = cu_intern_add(in->sites, "", 1);
        return in->null_site;
    }
    const char *last = cu_intern_count(in->sites)
                           ? cu_intern_str(in->sites, in->last_site)
                           : NULL;
    if (last && site->len == in->last_site_len &&
        memcmp(site->s, last, site->len) == 0)
        return in->last_site;
    in->last_site = cu_intern_add(in->sites, site->s, site->len);
    in->last_site_len = site->len;
    return in->last_site;
}

static void note_unknown_capacity(struct input *in, uint32_t site, int res)
{
    if (site >= in->cap_unknown_n) {
        size_t n = in->cap_unknown_n;
        in->cap_unknown = cu_xgrow(in->cap_unknown, &in->cap_unknown_n,
                                   (size_t)site + 1, 1);
        memset(in->cap_unknown + n, 0, in->cap_unknown_n - n);
    }
    in->cap_unknown[site] |= (unsigned char)(1u << res);
}

static void read_span(const cu_reader *r, const struct cols *c,
                      struct options *o, struct input *in)
{
    in->rows++;
    if (!audit_counts(r, c) && !o->include_invalid) {
        in->invalid++;
        return;
    }
    const cu_field *site = cu_reader_field(r, c->site);
    /* site names are C strings from here on: two names that differ only
       after a NUL would be merged into one series */
    if (memchr(site->s, '\0', site->len))
        cu_reader_die_field(r, c->site, "NUL byte in a site name");
    if (!site_selected(o, site)) {
        in->other_site++;
        return;
    }
    bool container = false;
    int base = span_base(r, c, &container);
    if (base < 0) {
        in->shelved++;
        return;
    }
    /* an instance that never got a host (failed scheduling) holds nothing */
    if (base >= B_ACTIVE_RES &&
        cu_field_is_null(cu_reader_field(r, c->host))) {
        in->no_host++;
        return;
    }
    cu_time start = cu_reader_time(r, c->start);
    if (start == CU_TIME_NULL)
        cu_reader_die_field(r, c->start, "a span needs a start");
    cu_time end = cu_reader_time(r, c->end);
    if (end != CU_TIME_NULL && end < start)
        cu_reader_die_field(r, c->end, "end before start");
    if (end == start) {
        in->empty++;
        return;
    }

    struct span_type ty;
    uint32_t sid = site_id(in, site);
    for (int i = 0; i < NVALUE_COLS; i++) {
        const cu_field *f = cu_reader_field(r, c->val[i]);
        if (cu_field_is_null(f)) {
            in->nulls[i]++;
            ty.v[i] = 0;
            if (base <= B_COMMITTED)
                note_unknown_capacity(in, sid, i);
            continue;
        }
        const char *why = cu_parse_fixed(f->s, f->len, resource_digits[i],
                                      &ty.v[i]);
        if (why)
            cu_reader_die_field(r, c->val[i], "%s", why);
    }
    ty.v[R_INSTANCES] = base >= B_ACTIVE_RES && !container;
    ty.v[R_CONTAINERS] = container;
    in->containers += container;
    ty.site = sid;
    ty.base = (uint32_t)base;
    uint64_t type = type_intern(in, &ty);

    in->counted++;
    add_event(in, start, type << 1);
    if (end != CU_TIME_NULL)
        add_event(in, end, type << 1 | 1);
    else
        in->open++;
}

void read_input(char **paths, size_t npaths, struct options *o,
                       struct input *in)
{
    cu_reader *r = cu_reader_open((const char *const *)paths, npaths,
                                  CU_FMT_AUTO);
    struct cols c;
    bool have_cols = false;
    enum cu_next next;

    in->whole_seconds = in->whole_millis = true;
    while ((next = cu_reader_next(r)) != CU_EOF) {
        if (next == CU_SECTION) {
            resolve_cols(r, &c);
            have_cols = true;
            continue;
        }
        if (!have_cols) {
            resolve_cols(r, &c);
            have_cols = true;
        }
        read_span(r, &c, o, in);
    }
    cu_reader_close(r);
}

/* ------------------------------------------------------------- sorting */


/* Turn the times into keys from 0 and sort. The input's event array is
 * taken over. */
void sort_events(struct input *in, struct sorted *s)
{
    size_t n = in->nev;
    cu_time unit = in->whole_seconds  ? CU_USEC_PER_SEC
                   : in->whole_millis ? 1000
                                      : 1;
    uint64_t maxkey = 0;

    s->n = n;
    s->tmin = in->tmin;
    s->unit = unit;
    if (n)
        maxkey = (uint64_t)(in->tmax - in->tmin) / (uint64_t)unit;
    for (size_t i = 0; i < n; i++)
        in->ev[i].key = (uint64_t)((cu_time)in->ev[i].key - in->tmin) /
                        (uint64_t)unit;

    s->packed = maxkey <= UINT32_MAX && (uint64_t)in->ntypes * 2 <= UINT32_MAX;
    if (s->packed) {
        /* In place: word i lands in bytes [8i, 8i+8), which event i has
         * already been read from; the digit histograms are counted on the
         * way. The second half of the event array is then free, and is
         * the radix sort's scratch buffer. */
        struct cu_radix_plan p = cu_radix_plan(cu_bit_length(maxkey));
        size_t nb = (size_t)1 << p.width;
        size_t *count = cu_xcalloc(p.passes * nb + 1, sizeof *count);
        uint64_t *w = (uint64_t *)in->ev;
        for (size_t i = 0; i < n; i++) {
            struct cu_radix_pair e = in->ev[i];
            w[i] = e.key << 32 | e.value;
            for (unsigned d = 0; d < p.passes; d++)
                count[d * nb + cu_radix_digit(e.key, 0, p, d)]++;
        }
        uint64_t *res =
            n ? cu_radix_scatter_words(w, w + n, n, 32, p, count) : w;
        free(count);
        s->words = res;
        s->mem = in->ev;
    } else {
        struct cu_radix_pair *tmp = cu_xmalloc((n ? n : 1) * sizeof *tmp);
        struct cu_radix_pair *res =
            n ? cu_radix_sort_pairs(in->ev, tmp, n, cu_bit_length(maxkey))
              : in->ev;
        if (res == tmp) {
            free(in->ev);
            s->mem = tmp;
        } else {
            free(tmp);
            s->mem = in->ev;
        }
        s->events = res;
    }
    in->ev = NULL;
    in->nev = in->evcap = 0;
}
