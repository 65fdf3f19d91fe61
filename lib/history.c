/* History across snapshots (see history.h). */
#include "config.h"

#include "history.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "error.h"
#include "intern.h"
#include "stream.h"
#include "writer.h"

/* One header a table had in some archive. */
struct header {
    char **names;
    size_t n;
    long created_at; /* its column, or -1: a moved one is a conflict */
    long *to_newest; /* for the newest header's column i, this header's
                        column, or -1 */
};

/* One entity's newest version: its fields, each a 32-bit length (NULL:
 * UINT32_MAX) and the bytes. */
struct row {
    uint32_t hdr;  /* index into the table's headers */
    uint32_t seen; /* the last archive that had it */
    char *data;
    size_t len;
};

struct table {
    char *name; /* schema.table, nova's shadow_ taken off */
    cu_intern *keys; /* key -> row index (ids are dense, in order) */
    struct row *rows;
    size_t nrows, cap;
    struct header *hdrs;
    size_t nhdrs;
    bool *delivered; /* per archive */
};

struct merge {
    size_t narch;
    cu_time *snap;
    struct table *tables;
    size_t ntables;
    struct cu_history_stats *st;
    char *key;  /* scratch */
    size_t key_cap;
    char *data; /* scratch */
    size_t data_cap;
    char **status; /* "table\tstatus" of tables an archive did not deliver */
    size_t nstatus;
};

void cu_history_stats_free(struct cu_history_stats *st)
{
    for (size_t i = 0; i < st->ntables; i++)
        free(st->tables[i].table);
    free(st->tables);
    st->tables = NULL;
    st->ntables = 0;
}

cu_time cu_history_snapshot_time(const char *dir)
{
    char *path = cu_path_join(dir, "MANIFEST.tsv");
    const char *paths[1] = {path};
    cu_reader *m = cu_reader_open(paths, 1, CU_FMT_TSV);
    cu_time t = CU_TIME_NULL;
    long c = -1;
    enum cu_next k;
    while ((k = cu_reader_next(m)) != CU_EOF) {
        if (k == CU_SECTION) {
            c = cu_reader_col(m, "started");
            continue;
        }
        if (c < 0)
            continue;
        cu_time v = cu_reader_time(m, (size_t)c);
        if (v != CU_TIME_NULL && (t == CU_TIME_NULL || v < t))
            t = v;
    }
    cu_reader_close(m);
    if (t == CU_TIME_NULL)
        cu_die(CU_EXIT_DATA, "%s: no snapshot time (the manifest has no "
               "'started' time): not an archive cu-dump wrote", path);
    free(path);
    return t;
}

/* "nova.shadow_instances" is "nova.instances". */
static char *entity_table(const char *name)
{
    const char *part = cu_table_short_name(name);
    return cu_xasprintf("%.*s%s", (int)(part - name), name,
                        cu_table_entity_name(name));
}

static struct table *table_of(struct merge *mg, const char *name)
{
    char *t = entity_table(name);
    for (size_t i = 0; i < mg->ntables; i++)
        if (strcmp(mg->tables[i].name, t) == 0) {
            free(t);
            return &mg->tables[i];
        }
    mg->tables = cu_xrealloc(mg->tables,
                             (mg->ntables + 1) * sizeof *mg->tables);
    struct table *tb = &mg->tables[mg->ntables++];
    memset(tb, 0, sizeof *tb);
    tb->name = t;
    tb->keys = cu_intern_new();
    tb->delivered = cu_xcalloc(mg->narch, sizeof *tb->delivered);
    return tb;
}

/* The header of the current section, as a header of tb (a new one unless
 * the last one has the same names). */
static uint32_t header_of(struct table *tb, const cu_reader *r)
{
    size_t n = cu_reader_ncols(r);
    if (tb->nhdrs) {
        const struct header *h = &tb->hdrs[tb->nhdrs - 1];
        bool same = h->n == n;
        for (size_t i = 0; same && i < n; i++)
            same = strcmp(h->names[i], cu_reader_colname(r, i)) == 0;
        if (same)
            return (uint32_t)(tb->nhdrs - 1);
    }
    tb->hdrs = cu_xrealloc(tb->hdrs, (tb->nhdrs + 1) * sizeof *tb->hdrs);
    struct header *h = &tb->hdrs[tb->nhdrs++];
    h->n = n;
    h->names = cu_xcalloc(n ? n : 1, sizeof *h->names);
    h->to_newest = NULL;
    h->created_at = cu_reader_col(r, "created_at");
    for (size_t i = 0; i < n; i++)
        h->names[i] = cu_xstrdup(cu_reader_colname(r, i));
    return (uint32_t)(tb->nhdrs - 1);
}

/* The columns that name an entity of table name: see history.h. */
static void key_columns(const cu_reader *r, long *cols, size_t *ncols)
{
    const char *part = cu_table_entity_name(cu_reader_table(r));
    const char *key = strcmp(part, "instances") == 0 ||
                              strcmp(part, "container") == 0
                          ? "uuid"
                      : strcmp(part, "instance_extra") == 0 ||
                              strcmp(part, "request_specs") == 0
                          ? "instance_uuid"
                          : "id";
    long c = cu_reader_col(r, key);
    *ncols = 0;
    if (c >= 0) {
        cols[(*ncols)++] = c;
        return;
    }
    for (size_t i = 0; i < cu_reader_ncols(r); i++)
        cols[(*ncols)++] = (long)i;
}

static void put_bytes(char **buf, size_t *cap, size_t *len, const void *p,
                      size_t n)
{
    *buf = cu_xgrow(*buf, cap, *len + n, 1);
    memcpy(*buf + *len, p, n);
    *len += n;
}

/* A field as the row's data keeps it. */
static void put_field(char **buf, size_t *cap, size_t *len,
                      const cu_field *f)
{
    uint32_t n = cu_field_is_null(f) ? UINT32_MAX : (uint32_t)f->len;
    if (!cu_field_is_null(f) && f->len >= UINT32_MAX)
        cu_die(CU_EXIT_DATA, "a field of 4 GB or more");
    put_bytes(buf, cap, len, &n, sizeof n);
    if (n != UINT32_MAX)
        put_bytes(buf, cap, len, f->s, f->len);
}

/* Field i of a row's data: its bytes and length, or NULL for \N. */
static const char *data_field(const char *data, size_t i, uint32_t *len)
{
    uint32_t n;
    for (;;) {
        memcpy(&n, data, sizeof n);
        data += sizeof n;
        if (i == 0)
            break;
        if (n != UINT32_MAX)
            data += n;
        i--;
    }
    *len = n;
    return n == UINT32_MAX ? NULL : data;
}

/* created_at of a row's data, or NULL. */
static const char *created_at(const struct table *tb, const struct row *rw,
                              uint32_t *len)
{
    long c = tb->hdrs[rw->hdr].created_at;
    return c < 0 ? NULL : data_field(rw->data, (size_t)c, len);
}

static void take_row(struct merge *mg, struct table *tb, uint32_t hdr,
                     const cu_reader *r, const long *kc, size_t nk,
                     uint32_t arch)
{
    size_t klen = 0, dlen = 0;
    for (size_t i = 0; i < nk; i++)
        put_field(&mg->key, &mg->key_cap, &klen,
                  cu_reader_field(r, (size_t)kc[i]));
    for (size_t i = 0; i < cu_reader_ncols(r); i++)
        put_field(&mg->data, &mg->data_cap, &dlen, cu_reader_field(r, i));
    uint32_t id = cu_intern_add(tb->keys, mg->key, klen);
    mg->st->versions++;
    if (id == tb->nrows) {
        tb->rows = cu_xgrow(tb->rows, &tb->cap, tb->nrows + 1,
                            sizeof *tb->rows);
        tb->nrows++;
    } else {
        struct row *old = &tb->rows[id];
        struct row now = {hdr, arch, mg->data, dlen};
        uint32_t la, lb;
        const char *a = created_at(tb, old, &la), *b = created_at(tb, &now, &lb);
        if ((a == NULL) != (b == NULL) ||
            (a && (la != lb || memcmp(a, b, la) != 0)))
            mg->st->conflicts++;
        free(old->data);
    }
    struct row *rw = &tb->rows[id];
    rw->hdr = hdr;
    rw->seen = arch;
    rw->data = cu_xmalloc(dlen ? dlen : 1);
    memcpy(rw->data, mg->data, dlen);
    rw->len = dlen;
}

static void read_archive(struct merge *mg, const char *dir, uint32_t arch)
{
    const char *paths[1] = {dir};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_AUTO);
    struct table *tb = NULL;
    uint32_t hdr = 0;
    long *kc = NULL;
    size_t nk = 0;
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            tb = table_of(mg, cu_reader_table(r));
            tb->delivered[arch] = true;
            hdr = header_of(tb, r);
            free(kc);
            kc = cu_xcalloc(cu_reader_ncols(r) + 1, sizeof *kc);
            key_columns(r, kc, &nk);
            continue;
        }
        take_row(mg, tb, hdr, r, kc, nk, arch);
    }
    free(kc);
    const struct cu_table_status *ts;
    size_t nts = cu_reader_statuses(r, &ts);
    for (size_t i = 0; i < nts; i++) {
        mg->status = cu_xrealloc(mg->status,
                                 (mg->nstatus + 1) * sizeof *mg->status);
        mg->status[mg->nstatus++] =
            cu_xasprintf("%s\t%s", ts[i].table, ts[i].status);
    }
    cu_reader_close(r);
}

/* For each header of tb, where the newest header's columns are in it. */
static void map_headers(struct table *tb)
{
    const struct header *nw = &tb->hdrs[tb->nhdrs - 1];
    for (size_t h = 0; h < tb->nhdrs; h++) {
        struct header *hd = &tb->hdrs[h];
        hd->to_newest = cu_xcalloc(nw->n ? nw->n : 1, sizeof *hd->to_newest);
        for (size_t i = 0; i < nw->n; i++) {
            hd->to_newest[i] = -1;
            for (size_t j = 0; j < hd->n; j++)
                if (strcmp(nw->names[i], hd->names[j]) == 0) {
                    hd->to_newest[i] = (long)j;
                    break;
                }
        }
    }
}

/* The next archive after a that delivered tb, or narch. */
static size_t next_delivered(const struct merge *mg, const struct table *tb,
                             size_t a)
{
    for (size_t j = a + 1; j < mg->narch; j++)
        if (tb->delivered[j])
            return j;
    return mg->narch;
}

static void write_table(struct merge *mg, struct table *tb, cu_writer *w)
{
    struct cu_history_table *ht = &mg->st->tables[mg->st->ntables++];
    ht->table = cu_xstrdup(tb->name);
    ht->rows = tb->nrows;
    map_headers(tb);
    const struct header *nw = &tb->hdrs[tb->nhdrs - 1];
    const char **cols = cu_xcalloc(nw->n + 1, sizeof *cols);
    for (size_t i = 0; i < nw->n; i++)
        cols[i] = nw->names[i];
    cols[nw->n] = "_gone_at";
    cu_writer_section(w, tb->name, cols, nw->n + 1);
    free(cols);
    for (size_t k = 0; k < tb->nrows; k++) {
        const struct row *rw = &tb->rows[k];
        const struct header *h = &tb->hdrs[rw->hdr];
        for (size_t i = 0; i < nw->n; i++) {
            uint32_t len;
            const char *s = h->to_newest[i] < 0
                                ? NULL
                                : data_field(rw->data,
                                             (size_t)h->to_newest[i], &len);
            if (s)
                cu_writer_str(w, s, len);
            else
                cu_writer_null(w);
        }
        size_t j = next_delivered(mg, tb, rw->seen);
        if (j < mg->narch) {
            int64_t gap = mg->snap[j] - mg->snap[rw->seen];
            cu_writer_time(w, mg->snap[rw->seen]);
            mg->st->gone++;
            ht->gone++;
            if (gap > mg->st->max_gap)
                mg->st->max_gap = gap;
        } else {
            cu_writer_null(w);
        }
        cu_writer_end_row(w);
        mg->st->rows++;
    }
}

/* A table no archive delivered keeps the word of the last one that named
 * it (denied, missing, failed), so that a tool needing it fails as it
 * would on one archive; one some archive delivered is history, not a gap. */
static void pass_statuses_on(struct merge *mg, cu_writer *w)
{
    for (size_t i = mg->nstatus; i-- > 0;) {
        char *tab = strchr(mg->status[i], '\t');
        *tab = '\0';
        char *t = entity_table(mg->status[i]);
        bool known = false;
        for (size_t k = 0; k < mg->ntables && !known; k++)
            known = strcmp(mg->tables[k].name, t) == 0;
        size_t tl = strlen(mg->status[i]);
        for (size_t j = i + 1; j < mg->nstatus && !known; j++)
            known = strncmp(mg->status[j], mg->status[i], tl) == 0 &&
                    mg->status[j][tl] == '\t';
        if (!known)
            cu_writer_table_status(w, mg->status[i], tab + 1);
        free(t);
        *tab = '\t';
    }
}

static void free_table(struct table *tb)
{
    for (size_t k = 0; k < tb->nrows; k++)
        free(tb->rows[k].data);
    for (size_t h = 0; h < tb->nhdrs; h++) {
        cu_free_strings(tb->hdrs[h].names, tb->hdrs[h].n);
        free(tb->hdrs[h].to_newest);
    }
    cu_intern_free(tb->keys);
    cu_free_all(tb->hdrs, tb->rows, tb->delivered, tb->name);
}

char *cu_history_merge(const char *const *dirs, size_t n,
                       struct cu_history_stats *st)
{
    struct merge mg = {.narch = n, .st = st};
    memset(st, 0, sizeof *st);
    st->archives = n;
    mg.snap = cu_xcalloc(n ? n : 1, sizeof *mg.snap);
    for (size_t a = 0; a < n; a++) {
        if (!cu_is_archive_dir(dirs[a]))
            cu_usage_error("--history: '%s' is not an archive directory "
                           "(no MANIFEST.tsv)", dirs[a]);
        mg.snap[a] = cu_history_snapshot_time(dirs[a]);
        if (a > 0 && mg.snap[a] <= mg.snap[a - 1]) {
            char t1[CU_TIME_BUFSZ], t0[CU_TIME_BUFSZ];
            cu_time_format(mg.snap[a], t1);
            cu_time_format(mg.snap[a - 1], t0);
            cu_usage_error("--history: archives must come in time order: "
                           "%s (%s) is not after %s (%s)", dirs[a], t1,
                           dirs[a - 1], t0);
        }
    }
    for (size_t a = 0; a < n; a++)
        read_archive(&mg, dirs[a], (uint32_t)a);

    const char *tmpdir = getenv("TMPDIR");
    char *path = cu_xasprintf("%s/cu-history.XXXXXX",
                              tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path);
    cu_temp_begin(path); /* removed if the run ends early */
    cu_writer *w = cu_writer_fdopen(fd, path, CU_FMT_TSV, 0);
    st->tables = cu_xcalloc(mg.ntables ? mg.ntables : 1, sizeof *st->tables);
    for (size_t i = 0; i < mg.ntables; i++)
        write_table(&mg, &mg.tables[i], w);
    pass_statuses_on(&mg, w);
    cu_writer_close(w);
    if (close(fd) != 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path);
    for (size_t i = 0; i < mg.ntables; i++)
        free_table(&mg.tables[i]);
    free(mg.tables);
    free(mg.snap);
    cu_free_strings(mg.status, mg.nstatus);
    free(mg.key);
    free(mg.data);
    return path;
}
