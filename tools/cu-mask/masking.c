/* cu-mask: pseudonyms (keyed HMAC or salted SHA-256, through a cache),
 * and the masking of a section's rows. */
#include "config.h"

#include "mask.h"

static uint64_t hash_value(unsigned cls, const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)cls << 48) ^ len;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, len);
    h = (h ^ w) * 0x94d049bb133111ebULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

static void compute_pseudonym(struct masker *M, unsigned cls, const char *s,
                              size_t len, char *out)
{
    M->computed++;
    if (M->method == METHOD_HMAC)
        cu_hmac_hex(M->hmac, class_name(M, cls), s, len, out, M->hexlen);
    else
        cu_sha256_salted_hex(M->salt, M->saltlen, s, len, out, M->hexlen);
}

static const char hexdigits[] = "0123456789abcdef";

/* hexlen digits (even or odd) to and from the slot's digest bytes */
static void digest_from_hex(unsigned char *d, const char *hex, size_t hexlen)
{
    memset(d, 0, CACHE_DIGEST);
    for (size_t i = 0; i < hexlen; i++)
        d[i / 2] |= (unsigned char)(cu_hex_value((unsigned char)hex[i])
                                    << (i % 2 ? 0 : 4));
}

void init_hexpairs(struct masker *M)
{
    for (int i = 0; i < 256; i++) {
        M->hexpairs[i][0] = hexdigits[i >> 4];
        M->hexpairs[i][1] = hexdigits[i & 15];
    }
}

static void digest_to_hex(const struct masker *M, char *hex,
                          const unsigned char *d, size_t hexlen)
{
    for (size_t i = 0; i < (hexlen + 1) / 2; i++)
        memcpy(hex + 2 * i, M->hexpairs[d[i]], 2);
    hex[hexlen] = '\0';
}

static bool cacheable(const struct masker *M, size_t len)
{
    return M->cache != NULL && len <= CACHE_VALUE_MAX;
}

static struct slot *cache_slot(const struct masker *M, uint64_t h)
{
    return &M->cache[h & (CACHE_SLOTS - 1)];
}

/* The pseudonym of a non-empty value: M->hexlen hex digits, valid until the
 * next call. h is hash_value(cls, s, len) when cacheable(len). */
const char *pseudonym(struct masker *M, unsigned cls, const char *s,
                             size_t len, uint64_t h)
{
    M->masked++;
    if (!cacheable(M, len)) {
        compute_pseudonym(M, cls, s, len, M->scratch);
        return M->scratch;
    }
    struct slot *sl = cache_slot(M, h);
    if (sl->used && sl->hash == h && sl->cls == cls && sl->len == len &&
        memcmp(sl->value, s, len) == 0) {
        digest_to_hex(M, M->scratch, sl->digest, M->hexlen);
        return M->scratch;
    }
    compute_pseudonym(M, cls, s, len, M->scratch);
    sl->hash = h;
    sl->cls = (uint16_t)cls;
    sl->len = (uint8_t)len;
    sl->used = 1;
    memcpy(sl->value, s, len);
    digest_from_hex(sl->digest, M->scratch, M->hexlen);
    return M->scratch;
}

/* Key material must not outlive the run, also when a later error exits
 * (main's exit hook). */
void wipe_masker(struct masker *M)
{
    cu_hmac_free(M->hmac);
    M->hmac = NULL;
    if (M->salt) {
        cu_wipe(M->salt, M->saltlen);
        free(M->salt);
        M->salt = NULL;
    }
    if (M->cache) {
        cu_wipe(M->cache, sizeof *M->cache * CACHE_SLOTS);
        free(M->cache);
        M->cache = NULL;
    }
    cu_wipe(M->scratch, sizeof M->scratch);
    cu_intern_free(M->classes);
    M->classes = NULL;
}

unsigned char *parse_hex(const char *s, size_t *n, const char *opt)
{
    size_t len = strlen(s);
    if (len == 0 || len % 2)
        cu_usage_error("%s: need an even number of hex digits", opt);
    unsigned char *out = cu_xmalloc(len / 2);
    for (size_t i = 0; i < len / 2; i++) {
        int hi = cu_hex_value((unsigned char)s[2 * i]);
        int lo = cu_hex_value((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            cu_usage_error("%s: not a hex digit in '%s'", opt, s);
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    *n = len / 2;
    return out;
}



/* The class an item gives a column: its own, the preset's, or the
 * column's name. */
static void plan_column(struct masker *M, struct colplan *cp,
                        const struct item *it,
                        const char *table, bool spans,
                        const char *const *cols, size_t c)
{
    const char *cls = it ? it->class : NULL;
    if (cls == NULL)
        cls = preset_class(table, spans, cols[c]);
    if (cls == NULL)
        cls = cols[c];
    if (strcmp(cls, CLASS_BY_KIND) == 0) {
        cp->action = ACT_MASK_BY_KIND;
        cp->cls = 0;
    } else if (strcmp(cls, CLASS_RESERVATION_FLAVOR) == 0) {
        cp->action = ACT_MASK_FLAVOR;
        cp->cls = (uint16_t)class_id(M, "reservation");
    } else {
        cp->action = ACT_MASK;
        cp->cls = (uint16_t)class_id(M, cls);
    }
}

void plan_section(struct mask *X, struct section *sec,
                         const cu_reader *r, enum cu_format out_fmt)
{
    const char *table = cu_reader_table(r);
    size_t ncols = cu_reader_ncols(r);
    const char **cols = cu_xmalloc((ncols ? ncols : 1) * sizeof *cols);
    bool *sel = cu_xmalloc(ncols ? ncols : 1);
    for (size_t c = 0; c < ncols; c++)
        cols[c] = cu_reader_colname(r, c);

    sec->plan = cu_xgrow(sec->plan, &sec->plan_cap, ncols ? ncols : 1,
                         sizeof *sec->plan);
    memset(sec->plan, 0, ncols * sizeof *sec->plan);
    sec->ncols = ncols;
    bool spans = section_is_spans(table, cols, ncols);

    if (X->use_preset)
        for (size_t c = 0; c < ncols; c++)
            if (preset_class(table, spans, cols[c]))
                plan_column(&X->M, &sec->plan[c], NULL, table, spans, cols, c);
    /* Mask items first, in order (a later one overrides), then --keep. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < X->nitems; i++) {
            const struct item *it = &X->items[i];
            if (it->keep != (pass == 1))
                continue;
            memset(sel, 0, ncols);
            if (cu_fieldlist_select(it->fl, table, cols, ncols, sel) == 0)
                continue;
            for (size_t c = 0; c < ncols; c++) {
                if (!sel[c])
                    continue;
                if (it->keep)
                    sec->plan[c].action = ACT_PASS;
                else
                    plan_column(&X->M, &sec->plan[c], it, table, spans,
                                cols, c);
            }
        }

    sec->kind_col = cu_reader_col(r, "kind");
    sec->nmasked = 0;
    if (sec->scratch_cap < ncols) {
        sec->scratch_cap = ncols;
        sec->masked = cu_xrealloc(sec->masked, ncols * sizeof *sec->masked);
        sec->row_cls = cu_xrealloc(sec->row_cls, ncols * sizeof *sec->row_cls);
        sec->row_hash =
            cu_xrealloc(sec->row_hash, ncols * sizeof *sec->row_hash);
    }
    for (size_t c = 0; c < ncols; c++) {
        if (sec->plan[c].action == ACT_MASK_BY_KIND && sec->kind_col < 0)
            cu_die(CU_EXIT_DATA,
                   "%s:%lu: section %s: column '%s' is masked by kind, but "
                   "there is no kind column",
                   cu_reader_filename(r), cu_reader_lineno(r),
                   table ? table : "(unnamed)", cols[c]);
        if (sec->plan[c].action != ACT_PASS)
            sec->masked[sec->nmasked++] = c;
    }
    sec->host_cls = class_id(&X->M, "host");
    sec->instance_cls = class_id(&X->M, "instance");
    sec->reservation_cls = class_id(&X->M, "reservation");
    enum cu_format in_fmt = cu_reader_format(r);
    sec->raw = in_fmt == out_fmt && in_fmt != CU_FMT_CSV;
    sec->tsv_out = out_fmt == CU_FMT_TSV;
    free(cols);
    free(sel);
}

/* CSV read as TSV is one column whose name holds the commas: nothing
 * would match the preset, and the stream would pass through unmasked
 * with exit 0. A masking tool must not mask nothing silently. */
void refuse_unseen_csv(const cu_reader *r)
{
    const char *name = cu_reader_colname(r, 0);
    if (cu_reader_format(r) == CU_FMT_TSV && cu_reader_ncols(r) == 1 &&
        name && strchr(name, ','))
        cu_die_at(cu_reader_filename(r), cu_reader_lineno(r), 0, NULL, name,
                  strlen(name),
                  "a header of one column holding commas: CSV read as TSV "
                  "would pass unmasked (say --from csv, or --from tsv if "
                  "it is TSV)");
}

/* Tables the input could not deliver stay said in the output, so that a
 * tool after cu-mask still fails on a table it needs. */
void pass_statuses_on(cu_reader *r, cu_writer *w)
{
    const struct cu_table_status *st;
    size_t n = cu_reader_statuses(r, &st);
    for (size_t i = 0; i < n; i++)
        cu_writer_table_status(w, st[i].table, st[i].status);
}

/* The class of a span's id: a committed span's id is its reservation id,
 * masked as the reservation everywhere (so that it still joins with
 * request_specs.reservation and `reservation:<id>` flavor names). */
static unsigned class_by_kind(struct masker *M, const struct section *sec,
                              const cu_reader *r)
{
    const cu_field *k = cu_reader_field(r, (size_t)sec->kind_col);
    if (k->len == 8 && memcmp(k->s, "instance", 8) == 0)
        return sec->instance_cls;
    if ((k->len == 5 && memcmp(k->s, "total", 5) == 0) ||
        (k->len == 10 && memcmp(k->s, "reservable", 10) == 0))
        return sec->host_cls;
    if (k->len == 9 && memcmp(k->s, "committed", 9) == 0)
        return sec->reservation_cls;
    if (cu_field_is_null(k) || k->len == 0 || memchr(k->s, '\0', k->len))
        cu_reader_die_field(r, (size_t)sec->kind_col, "no span kind");
    return class_id(M, k->s);
}

/* Classes and cache hashes of the row's masked values first, with their
 * cache slots prefetched: the slots of one row are fetched from memory in
 * parallel instead of one stall per field. */
static bool is_reservation_flavor(const cu_field *f)
{
    return f->len > RESERVATION_PREFIX_LEN &&
           memcmp(f->s, RESERVATION_PREFIX, RESERVATION_PREFIX_LEN) == 0;
}

static void prepare_row(struct masker *M, const struct section *sec,
                        const cu_reader *r)
{
    for (size_t k = 0; k < sec->nmasked; k++) {
        size_t c = sec->masked[k];
        const cu_field *f = cu_reader_field(r, c);
        if (cu_field_is_null(f) || f->len == 0)
            continue;
        const char *v = f->s;
        size_t len = f->len;
        unsigned cls;
        switch (sec->plan[c].action) {
        case ACT_MASK: cls = sec->plan[c].cls; break;
        case ACT_MASK_FLAVOR:
            cls = is_reservation_flavor(f) ? sec->plan[c].cls : 0;
            v += RESERVATION_PREFIX_LEN;
            len -= RESERVATION_PREFIX_LEN;
            break;
        default: cls = class_by_kind(M, sec, r);
        }
        sec->row_cls[k] = cls;
        if (cls && cacheable(M, len)) {
            uint64_t h = hash_value(cls, v, len);
            sec->row_hash[k] = h;
            __builtin_prefetch(cache_slot(M, h));
        }
    }
}

void mask_row(struct masker *M, const struct section *sec,
                     const cu_reader *r, cu_writer *w)
{
    size_t k = 0;
    prepare_row(M, sec, r);
    for (size_t c = 0; c < sec->ncols; c++) {
        const cu_field *f = cu_reader_field(r, c);
        if (sec->plan[c].action == ACT_PASS) {
            if (sec->raw)
                cu_writer_raw(w, f->raw, f->raw_len);
            else
                cu_writer_field(w, f);
            continue;
        }
        if (cu_field_is_null(f)) {
            cu_writer_null(w);
        } else if (f->len == 0) {
            cu_writer_str(w, "", 0);
        } else if (sec->row_cls[k] == 0) { /* not masked in this row */
            if (sec->raw)
                cu_writer_raw(w, f->raw, f->raw_len);
            else
                cu_writer_field(w, f);
        } else if (sec->plan[c].action == ACT_MASK_FLAVOR) {
            char name[RESERVATION_PREFIX_LEN + CU_SHA256_HEX];
            memcpy(name, RESERVATION_PREFIX, RESERVATION_PREFIX_LEN);
            memcpy(name + RESERVATION_PREFIX_LEN,
                   pseudonym(M, sec->row_cls[k], f->s + RESERVATION_PREFIX_LEN,
                             f->len - RESERVATION_PREFIX_LEN,
                             sec->row_hash[k]),
                   M->hexlen);
            cu_writer_str(w, name, RESERVATION_PREFIX_LEN + M->hexlen);
        } else {
            const char *p =
                pseudonym(M, sec->row_cls[k], f->s, f->len, sec->row_hash[k]);
            if (sec->tsv_out)
                cu_writer_raw(w, p, M->hexlen);
            else
                cu_writer_str(w, p, M->hexlen);
        }
        k++;
    }
    cu_writer_end_row(w);
}

void free_section(struct section *sec)
{
    cu_free_all(sec->plan, sec->masked, sec->row_cls, sec->row_hash);
}
