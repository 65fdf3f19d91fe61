/* cu-spans: the output. The spans in the order of cu(7), each written as
 * one TSV row built in place (write_span_row) or, for the other formats,
 * field by field through the writer (write_span_fields); --stats; and
 * what a run frees. */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "error.h"
#include "radix.h"
#include "spans.h"

const char *const kind_name[K_N] = {"committed", "container", "instance",
                                    "reservable", "total"};
const char *const state_name[ST_N - 1] = {"active", "stopped", "error",
                                          "shelved"};
const char *const audit_name[A_N] = {"ok",     "clipped",  "orphan",
                                     "null_key", "fallback", "inferred"};
const char *const drop_name[D_N] = {
    "span with start >= end",
    "allocation of an unknown reservation",
    "reservation of an unknown lease",
    "action or spec of an unknown instance",
    "event of an unknown action",
    "failed action of no state effect (ignored)",
    "span outside the window",
    "device not reservable",
    "action or event of an unknown container",
    "container of a capsule (the capsule is counted)",
};

/* Once every span is made, only the spans and the strings are needed:
 * what was read goes, and the output's sort reuses its pages. The tables
 * that find strings go too: nothing is interned after this. */
void free_build_state(struct run *R)
{
    struct idmap *maps[] = {
        &R->ix.cn_first,    &R->ix.cn_count,     &R->ix.svc_host,
        &R->ix.chost_by_id, &R->ix.device_by_id, &R->ix.lease_by_id,
        &R->ix.resv_by_id,  &R->ix.ires_by_resv, &R->ix.resv_hfirst,
        &R->ix.resv_hcount, &R->ix.inst_by_uuid, &R->ix.extra_by_uuid,
        &R->ix.spec_by_uuid};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
        idmap_free(maps[i]);
    FREE_ARRAY(R->in.cnodes);
    FREE_ARRAY(R->in.insts);
    FREE_ARRAY(R->in.extras);
    FREE_ARRAY(R->in.rspecs);
    FREE_ARRAY(R->in.actions);
    FREE_ARRAY(R->in.leases);
    FREE_ARRAY(R->in.resvs);
    FREE_ARRAY(R->in.chosts);
    FREE_ARRAY(R->in.allocs);
    FREE_ARRAY(R->in.ireses);
    FREE_ARRAY(R->ix.parents_resv);
    FREE_ARRAY(R->ix.parents_commit);
    FREE_ARRAY(R->in.containers);
    FREE_ARRAY(R->in.cactions);
    FREE_ARRAY(R->in.cfailed);
    FREE_ARRAY(R->ix.resv_hosts);
    strings_end_interning(&R->str);
}

/* ------------------------------------------------------------ output */

/* The output order is kind, id, start, host, end, state, with ids and hosts
 * in string order. Comparing strings in the pool for each pair of spans
 * would cost cache misses n log n times; instead the strings in use are
 * ranked once, the spans radix-sorted by (kind, id rank), and each run of
 * one id sorted by the rest. Ties keep the order spans were made in, so the
 * output never depends on the sort. */
struct output {
    const struct run *R;
    const struct strings *S;
    uint32_t *rank; /* by sid: place in string order + 1; 0 = NULL */
    /* the fixed names' lengths, once: a strlen per field of millions of
       rows is measurable; site_tsv: the site as a TSV row's first field */
    size_t kind[K_N], state[ST_N - 1], audit[A_N];
    size_t site_len;
    char *site_tsv;
    size_t site_tsv_len;
};

static uint64_t prefix_of(const struct strings *S, sid s)
{
    unsigned char b[8] = {0};
    size_t len = len_of(S, s);
    memcpy(b, str_of(S, s), len < 8 ? len : 8);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

static int sid_value_cmp(const void *pa, const void *pb, void *ctx)
{
    return sid_cmp(ctx, (sid)((const struct cu_radix_pair *)pa)->value,
                   (sid)((const struct cu_radix_pair *)pb)->value);
}

/* Ranks by a radix sort on the first 8 bytes (big-endian, so in byte
 * order); strings that share them are put in order by the rest. */
static void rank_span_strings(struct output *out)
{
    const struct run *R = out->R;
    uint32_t *rank = out->rank =
        cu_table_calloc(strings_count(out->S) + 1, sizeof *out->rank);
    struct cu_radix_pair *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < R->spans.n; i++) {
        sid two[2] = {R->spans.v[i].id, R->spans.v[i].host};
        for (int k = 0; k < 2; k++)
            if (two[k] && !rank[two[k]]) {
                rank[two[k]] = 1;
                v = cu_big_grow(v, &cap, n + 1, sizeof *v);
                v[n++] = (struct cu_radix_pair){prefix_of(out->S, two[k]),
                                                two[k]};
            }
    }
    struct cu_radix_pair *tmp = cu_xmalloc((n ? n : 1) * sizeof *tmp);
    struct cu_radix_pair *sorted = cu_radix_sort_pairs(v, tmp, n, 64);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && sorted[j].key == sorted[i].key; j++)
            ;
        sort_array(sorted + i, j - i, sizeof *sorted, sid_value_cmp,
                   (void *)out->S);
    }
    for (size_t i = 0; i < n; i++)
        rank[sorted[i].value] = (uint32_t)(i + 1);
    cu_big_free(v, cap, sizeof *v);
    free(tmp);
}

static int span_cmp(const void *pa, const void *pb, void *ctx)
{
    const struct output *out = ctx;
    const struct run *R = out->R;
    const uint32_t *rank = out->rank;
    const struct span *x = &R->spans.v[*(const size_t *)pa],
                      *y = &R->spans.v[*(const size_t *)pb];
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->id != y->id)
        return rank[x->id] < rank[y->id] ? -1 : 1;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->host != y->host)
        return rank[x->host] < rank[y->host] ? -1 : 1;
    if (x->e != y->e)
        return x->e < y->e ? -1 : 1;
    if (x->state != y->state)
        return x->state < y->state ? -1 : 1;
    return x < y ? -1 : x > y;
}

static uint64_t span_key(const struct output *out, const struct span *sp,
                         unsigned rank_bits)
{
    return (uint64_t)sp->kind << rank_bits | out->rank[sp->id];
}

/* The indices of the spans in output order. */
static size_t *span_order(struct output *out)
{
    const struct run *R = out->R;
    size_t n = R->spans.n, *order = cu_xmalloc((n ? n : 1) * sizeof *order);
    rank_span_strings(out);
    unsigned rank_bits = cu_bit_length(strings_count(out->S) + 1);
    unsigned key_bits = cu_bit_length((uint64_t)(K_N - 1) << rank_bits |
                                      ((UINT64_C(1) << rank_bits) - 1));
    unsigned index_bits = cu_bit_length(n);
    if (key_bits + index_bits > 64) { /* never in practice */
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        sort_array(order, n, sizeof *order, span_cmp, out);
        return order;
    }
    uint64_t *w = cu_xmalloc((n ? 2 * n : 1) * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = span_key(out, &R->spans.v[i], rank_bits) << index_bits | i;
    uint64_t *sorted = cu_radix_sort_words(w, w + n, n, index_bits,
                                           key_bits);
    uint64_t index_mask = (UINT64_C(1) << index_bits) - 1;
    for (size_t i = 0; i < n; i++)
        order[i] = (size_t)(sorted[i] & index_mask);
    for (size_t i = 0, j; i < n; i = j) {
        uint64_t k = sorted[i] >> index_bits;
        for (j = i + 1; j < n && sorted[j] >> index_bits == k; j++)
            ;
        sort_few(order + i, j - i, sizeof *order, span_cmp, out);
    }
    free(w);
    return order;
}

/* The flavor Blazar creates for a flavor:instance reservation. */
static void write_resv_flavor(const struct strings *S, cu_writer *w, sid resv)
{
    const size_t plen = RESV_FLAVOR_PREFIX_LEN;
    char small[128], *buf = small;
    size_t n = len_of(S, resv), total = plen + n;
    if (total > sizeof small)
        buf = cu_xmalloc(total);
    memcpy(buf, RESV_FLAVOR_PREFIX, plen);
    memcpy(buf + plen, str_of(S, resv), n);
    if (is_plain(S, resv))
        cu_writer_plain(w, buf, total);
    else
        cu_writer_str(w, buf, total);
    if (buf != small)
        free(buf);
}

static void write_sid(const struct strings *S, cu_writer *w, sid s)
{
    if (!s)
        cu_writer_null(w);
    else if (is_plain(S, s))
        cu_writer_plain(w, str_of(S, s), len_of(S, s));
    else
        cu_writer_str(w, str_of(S, s), len_of(S, s));
}

static void write_int(cu_writer *w, int64_t v)
{
    if (v == NO_INT)
        cu_writer_null(w);
    else
        cu_writer_int(w, v);
}

/* The fixed names' lengths, once: a strlen per field of millions of rows
 * is measurable. site_tsv: the site as a TSV row's first field. */
static void names_init(struct output *out)
{
    for (int k = 0; k < K_N; k++)
        out->kind[k] = strlen(kind_name[k]);
    for (int k = 0; k < ST_N - 1; k++)
        out->state[k] = strlen(state_name[k]);
    for (int k = 0; k < A_N; k++)
        out->audit[k] = strlen(audit_name[k]);
    const char *site = out->R->opt->site;
    size_t len = site ? strlen(site) : 0, at = 0;
    out->site_len = len;
    out->site_tsv = cu_xmalloc(2 * len + 3);
    if (site && site[0] == '#') { /* a row must not read as a directive */
        memcpy(out->site_tsv, "\\#", 2);
        at = 2;
        site++;
        len--;
    }
    out->site_tsv_len =
        at + cu_tsv_escape(site, len, out->site_tsv + at, 2 * len + 2);
}

/* One span, field by field (any output format). */
static void write_span_fields(const struct output *out, cu_writer *w,
                              const struct span *sp)
{
    const struct strings *S = out->S;
    const char *site = out->R->opt->site;
    if (site)
        cu_writer_str(w, site, out->site_len);
    else
        cu_writer_null(w);
    cu_writer_plain(w, kind_name[sp->kind], out->kind[sp->kind]);
    if (sp->state == ST_KIND)
        cu_writer_plain(w, kind_name[sp->kind], out->kind[sp->kind]);
    else
        cu_writer_plain(w, state_name[sp->state], out->state[sp->state]);
    write_sid(S, w, sp->id);
    cu_writer_time(w, sp->s);
    cu_writer_time(w, sp->e == T_OPEN ? CU_TIME_NULL : sp->e);
    write_sid(S, w, sp->host);
    write_sid(S, w, sp->project);
    write_sid(S, w, sp->user);
    write_sid(S, w, sp->resv);
    write_sid(S, w, sp->lease);
    if (sp->flavor_is_resv)
        write_resv_flavor(S, w, sp->resv);
    else
        write_sid(S, w, sp->flavor);
    if (sp->booking == B_NONE)
        cu_writer_null(w);
    else if (sp->booking == B_RESERVATION)
        cu_writer_plain(w, "reservation", 11);
    else
        cu_writer_plain(w, "ondemand", 8);
    if (isnan(sp->nodes))
        cu_writer_null(w);
    else
        cu_writer_double(w, sp->nodes);
    write_int(w, sp->vcpus);
    write_int(w, sp->mem);
    write_int(w, sp->disk);
    cu_writer_plain(w, audit_name[sp->audit], out->audit[sp->audit]);
    cu_writer_end_row(w);
}

/* The pieces of a TSV row built in place; each returns the end, and the
 * caller puts the tab. */
static char *put_bytes(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

static char *put_null(char *o)
{
    o[0] = '\\';
    o[1] = 'N';
    return o + 2;
}

static char *put_sid(const struct strings *S, char *o, sid s)
{
    if (!s)
        return put_null(o);
    size_t n = len_of(S, s);
    if (is_plain(S, s))
        return put_bytes(o, str_of(S, s), n);
    return o + cu_tsv_escape(str_of(S, s), n, o, 2 * n);
}

static char *put_time(char *o, cu_time t)
{
    return t == CU_TIME_NULL ? put_null(o) : o + cu_time_format(t, o);
}

static char *put_int(char *o, int64_t v)
{
    return v == NO_INT ? put_null(o) : o + cu_format_int(v, o);
}

/* The bytes a sid's field may take at most. */
static size_t sid_room(const struct strings *S, sid s)
{
    return s ? 2 * len_of(S, s) : 2;
}

/* One span as a whole TSV row, byte for byte what write_span_fields
 * writes, without a call per field; false when the writer cannot take a
 * whole row (another format). */
static bool write_span_row(const struct output *out, cu_writer *w,
                           const struct span *sp)
{
    const struct strings *S = out->S;
    /* names, times, numbers and tabs take less than 256 bytes */
    size_t max = 256 + out->site_tsv_len + sid_room(S, sp->id) +
                 sid_room(S, sp->host) + sid_room(S, sp->project) +
                 sid_room(S, sp->user) + 2 * sid_room(S, sp->resv) +
                 sid_room(S, sp->lease) + sid_room(S, sp->flavor);
    char *o = cu_writer_tsv_row(w, max);
    if (!o)
        return false;
    o = out->R->opt->site ? put_bytes(o, out->site_tsv, out->site_tsv_len)
                 : put_null(o);
    *o++ = '\t';
    o = put_bytes(o, kind_name[sp->kind], out->kind[sp->kind]);
    *o++ = '\t';
    if (sp->state == ST_KIND)
        o = put_bytes(o, kind_name[sp->kind], out->kind[sp->kind]);
    else
        o = put_bytes(o, state_name[sp->state], out->state[sp->state]);
    *o++ = '\t';
    o = put_sid(S, o, sp->id);
    *o++ = '\t';
    o = put_time(o, sp->s);
    *o++ = '\t';
    o = put_time(o, sp->e == T_OPEN ? CU_TIME_NULL : sp->e);
    *o++ = '\t';
    o = put_sid(S, o, sp->host);
    *o++ = '\t';
    o = put_sid(S, o, sp->project);
    *o++ = '\t';
    o = put_sid(S, o, sp->user);
    *o++ = '\t';
    o = put_sid(S, o, sp->resv);
    *o++ = '\t';
    o = put_sid(S, o, sp->lease);
    *o++ = '\t';
    if (sp->flavor_is_resv) {
        o = put_bytes(o, RESV_FLAVOR_PREFIX, RESV_FLAVOR_PREFIX_LEN);
        o = put_sid(S, o, sp->resv);
    } else
        o = put_sid(S, o, sp->flavor);
    *o++ = '\t';
    if (sp->booking == B_NONE)
        o = put_null(o);
    else if (sp->booking == B_RESERVATION)
        o = put_bytes(o, "reservation", 11);
    else
        o = put_bytes(o, "ondemand", 8);
    *o++ = '\t';
    o = isnan(sp->nodes) ? put_null(o) : o + cu_format_double(sp->nodes, o);
    *o++ = '\t';
    o = put_int(o, sp->vcpus);
    *o++ = '\t';
    o = put_int(o, sp->mem);
    *o++ = '\t';
    o = put_int(o, sp->disk);
    *o++ = '\t';
    o = put_bytes(o, audit_name[sp->audit], out->audit[sp->audit]);
    *o++ = '\n';
    cu_writer_tsv_row_end(w, o);
    return true;
}

void write_spans(struct run *R)
{
    static const char *const cols[] = {
        "site", "kind", "state", "id", "start", "end", "host", "project",
        "user", "reservation", "lease", "flavor", "booking", "nodes",
        "vcpus", "memory_mb", "disk_gb", "audit"};
    const struct strings *S = &R->str;
    strings_mark_plain(&R->str);
    struct output out_ = {.R = R, .S = S}, *out = &out_;
    size_t *order = span_order(out);
    names_init(out);
    cu_writer *w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)",
                                    R->opt->common.out_format,
                                    R->opt->common.write_flags);
    cu_writer_section(w, NULL, cols, sizeof cols / sizeof *cols);
    for (size_t i = 0; i < R->spans.n; i++) {
        /* In output order the spans and their strings are all over
         * memory: each is fetched ahead, the span 16 spans ahead, the
         * entries of its strings 8 ahead and the strings themselves 4
         * ahead, once their entries have arrived. (Written out here: GCC
         * drops a call to a function that only prefetches.) */
        if (i + 16 < R->spans.n)
            __builtin_prefetch(&R->spans.v[order[i + 16]]);
        for (size_t k = i + 4; k <= i + 8 && k < R->spans.n; k += 4) {
            const struct span *ahead = &R->spans.v[order[k]];
            sid ids[] = {ahead->id, ahead->host, ahead->project,
                         ahead->user, ahead->resv, ahead->lease};
            for (size_t j = 0; j < sizeof ids / sizeof *ids; j++) {
                if (!ids[j])
                    continue;
                if (k == i + 8)
                    cu_intern_prefetch(R->str.t, ids[j] - 1);
                else
                    __builtin_prefetch(str_of(S, ids[j]));
            }
        }
        const struct span *sp = &R->spans.v[order[i]];
        if (!write_span_row(out, w, sp))
            write_span_fields(out, w, sp);
    }
    cu_writer_close_counted(w, &R->st.written);
    free(order);
    free(out->site_tsv);
    cu_table_free(out->rank, strings_count(&R->str) + 1, sizeof *out->rank);
}

/* --stats: what was read, made, dropped and skipped, as TSV on stderr. */
void write_stats(const struct run *R)
{
    const struct stats *st = &R->st;
    const struct strings *S = &R->str;
    const struct cu_history_stats *hist = &st->hist;
    fflush(stdout);
    FILE *e = stderr;
    fprintf(e, "#stats\tcu-spans\n");
    for (size_t i = 0; i < st->nmissing; i++)
        fprintf(e, "missing\t%s\n", st->missing_tables[i]);
    for (size_t i = 0; i < st->ntcounts; i++)
        fprintf(e, "rows\t%s\t%lu\t%s\n", str_of(S, st->tcounts[i].table),
                st->tcounts[i].rows, st->tcounts[i].used ? "read" : "ignored");
    unsigned long count[K_N][ST_N][A_N] = {{{0}}};
    for (size_t i = 0; i < R->spans.n; i++)
        count[R->spans.v[i].kind][R->spans.v[i].state][R->spans.v[i].audit]++;
    for (int k = 0; k < K_N; k++)
        for (int s = 0; s < ST_N; s++)
            for (int a = 0; a < A_N; a++)
                if (count[k][s][a])
                    fprintf(e, "spans\t%s\t%s\t%s\t%lu\n", kind_name[k],
                            s == ST_KIND ? kind_name[k] : state_name[s],
                            audit_name[a], count[k][s][a]);
    for (int d = 0; d < D_N; d++)
        for (int k = 0; k <= K_N; k++)
            if (R->st.drops[d][k])
                fprintf(e, "dropped\t%s\t%s\t%lu\n",
                        k == K_N ? "-" : kind_name[k], drop_name[d],
                        R->st.drops[d][k]);
    for (size_t i = 0; i < st->ntcounts; i++)
        if (st->tcounts[i].skipped)
            fprintf(e, "skipped\t%s\t%lu\n", str_of(S, st->tcounts[i].table),
                    st->tcounts[i].skipped);
    if (hist->archives) {
        fprintf(e, "history\tarchives\t%zu\n", hist->archives);
        fprintf(e, "history\trows\t%" PRIu64 "\n", hist->rows);
        fprintf(e, "history\tversions\t%" PRIu64 "\n", hist->versions);
        fprintf(e, "history\tgone\t%" PRIu64 "\n", hist->gone);
        fprintf(e, "history\tlargest_gap_seconds\t%" PRId64 "\n",
                hist->max_gap / 1000000);
        fprintf(e, "history\tconflicts\t%" PRIu64 "\n", hist->conflicts);
        for (size_t i = 0; i < hist->ntables; i++)
            if (hist->tables[i].gone)
                fprintf(e, "history\tgone\t%s\t%" PRIu64 "\n",
                        hist->tables[i].table, hist->tables[i].gone);
    }
    for (size_t i = 0; i < st->nskip_msgs; i++)
        fprintf(e, "skip\t%s\n", st->skip_msgs[i]);
    if (st->nskipped > st->nskip_msgs)
        fprintf(e, "skip\t(%lu more not shown)\n",
                st->nskipped - st->nskip_msgs);
}

void run_free(struct run *R)
{
    struct stats *st = &R->st;
    FREE_ARRAY(R->spans);
    strings_free(&R->str);
    cu_free_strings(st->missing_tables, st->nmissing);
    free(st->tcounts);
    cu_free_strings(st->skip_msgs, st->nskip_msgs);
    cu_history_stats_free(&st->hist);
}
