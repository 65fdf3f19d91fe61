/* cu-mask: an archive out (-o DIR), and the manifest of an archive in. */
#include "config.h"

#include "mask.h"

static void begin_tmp_path(struct archive_out *A, char *path)
{
    A->tmp_path = path;
    cu_temp_begin(path);
}

static void forget_tmp_path(struct archive_out *A)
{
    cu_temp_forget();
    free(A->tmp_path);
    A->tmp_path = NULL;
}

static bool safe_table_name(const char *t)
{
    if (t == NULL || *t == '\0' || *t == '.' || strchr(t, '/'))
        return false;
    return true;
}

cu_writer *archive_begin(struct archive_out *A, const cu_reader *r)
{
    const char *table = cu_reader_table(r);
    if (!safe_table_name(table))
        cu_die(CU_EXIT_DATA,
               "%s:%lu: -o needs named sections (#table schema.table); "
               "this one is %s",
               cu_reader_filename(r), cu_reader_lineno(r),
               table ? table : "unnamed");
    for (size_t i = 0; i < A->n; i++)
        if (strcmp(A->tables[i].table, table) == 0)
            cu_die(CU_EXIT_DATA, "%s:%lu: table %s appears twice in the input",
                   cu_reader_filename(r), cu_reader_lineno(r), table);
    A->tables = cu_xgrow(A->tables, &A->cap, A->n + 1, sizeof *A->tables);
    struct out_table *t = &A->tables[A->n++];
    memset(t, 0, sizeof *t);
    t->table = cu_xstrdup(table);
    t->file = cu_xasprintf("%s.tsv%s", table, cu_compress_suffix(A->compress));

    size_t ncols = cu_reader_ncols(r), clen = 1;
    for (size_t c = 0; c < ncols; c++)
        clen += strlen(cu_reader_colname(r, c)) + 1;
    t->columns = cu_xmalloc(clen);
    t->columns[0] = '\0';
    for (size_t c = 0; c < ncols; c++) {
        if (c)
            strcat(t->columns, ",");
        strcat(t->columns, cu_reader_colname(r, c));
    }

    begin_tmp_path(A, cu_temp_path(A->dir, t->file));
    /* no trailers: the manifest vouches for the member */
    return cu_writer_open_path(A->tmp_path, CU_FMT_TSV,
                               cu_write_compress_flag(A->compress) |
                                   CU_WRITE_NO_TRAILERS);
}

void archive_end(struct archive_out *A, cu_writer *w)
{
    struct out_table *t = &A->tables[A->n - 1];
    t->rows = cu_writer_rows(w);
    t->bytes = cu_writer_bytes(w);
    cu_writer_close(w);
    char *final = cu_path_join(A->dir, t->file);
    cu_sha256_file(A->tmp_path, t->sha256, &t->file_bytes);
    cu_temp_commit(final);
    free(final);
    forget_tmp_path(A);
}

void read_input_manifest(struct manifest_in *MI, const char *dir)
{
    char *path = cu_path_join(dir, "MANIFEST.tsv");
    const char *paths[1] = {path};
    cu_reader *m = cu_reader_open(paths, 1, CU_FMT_TSV);
    enum cu_next k;
    while ((k = cu_reader_next(m)) != CU_EOF) {
        if (k == CU_SECTION) {
            if (MI->cols)
                cu_die(CU_EXIT_DATA, "%s: more than one section", path);
            MI->ncols = cu_reader_ncols(m);
            MI->cols = cu_xcalloc(MI->ncols ? MI->ncols : 1, sizeof *MI->cols);
            for (size_t c = 0; c < MI->ncols; c++)
                MI->cols[c] = cu_xstrdup(cu_reader_colname(m, c));
            continue;
        }
        MI->cells = cu_xgrow(MI->cells, &MI->cap, (MI->nrows + 1) * MI->ncols,
                            sizeof *MI->cells);
        for (size_t c = 0; c < MI->ncols; c++) {
            const cu_field *f = cu_reader_field(m, c);
            MI->cells[MI->nrows * MI->ncols + c] =
                cu_field_is_null(f) ? NULL : cu_xstrndup(f->s, f->len);
        }
        MI->nrows++;
    }
    cu_reader_close(m);
    free(path);
}

static void free_input_manifest(struct manifest_in *MI)
{
    for (size_t i = 0; i < MI->nrows * MI->ncols; i++)
        free(MI->cells[i]);
    for (size_t c = 0; c < MI->ncols; c++)
        free(MI->cols[c]);
    free(MI->cells);
    free(MI->cols);
    memset(MI, 0, sizeof *MI);
}

static const struct out_table *written_table(const struct archive_out *A,
                                             const char *name)
{
    for (size_t i = 0; name && i < A->n; i++)
        if (strcmp(A->tables[i].table, name) == 0)
            return &A->tables[i];
    return NULL;
}

/* One manifest cell for a table written by this run. */
/* A manifest cell of a table written again: what this run knows, else
 * the input manifest's (old); numbers go to num. */
static const char *table_cell(const struct archive_out *A, const char *col,
                              const struct out_table *t, const char *old,
                              char num[24])
{
    if (strcmp(col, "table") == 0)
        return t->table;
    if (strcmp(col, "file") == 0)
        return t->file;
    if (strcmp(col, "columns") == 0)
        return old ? old : t->columns;
    if (strcmp(col, "sha256") == 0)
        return t->sha256;
    if (strcmp(col, "compression") == 0)
        return cu_compress_name(A->compress);
    if (strcmp(col, "status") == 0)
        return "ok";
    const uint64_t *v = strcmp(col, "rows") == 0         ? &t->rows
                        : strcmp(col, "bytes") == 0      ? &t->bytes
                        : strcmp(col, "file_bytes") == 0 ? &t->file_bytes
                                                         : NULL;
    if (!v)
        return old;
    snprintf(num, 24, "%" PRIu64, *v);
    return num;
}

void archive_manifest(struct archive_out *A,
                             const struct manifest_in *MI)
{
    /* without an input manifest, cu-dump's first columns */
    const char *const *cols = cu_manifest_cols;
    size_t ncols = 9; /* table file status rows bytes file_bytes
                         compression sha256 columns */
    long tcol = 0;
    if (MI->cols) {
        cols = (const char *const *)MI->cols;
        ncols = MI->ncols;
        tcol = -1;
        for (size_t c = 0; c < ncols; c++)
            if (strcmp(cols[c], "table") == 0)
                tcol = (long)c;
    }
    size_t nrows = MI->nrows + A->n; /* at most */
    const char **cell = cu_xcalloc(nrows * ncols + 1, sizeof *cell);
    char (*num)[24] = cu_xcalloc(nrows * ncols + 1, sizeof *num);
    bool *done = cu_xcalloc(A->n ? A->n : 1, sizeof *done);
    size_t r = 0;
    for (size_t i = 0; i < MI->nrows; i++, r++) {
        char **row = MI->cells + i * MI->ncols;
        const struct out_table *t =
            tcol >= 0 ? written_table(A, row[tcol]) : NULL;
        for (size_t c = 0; c < ncols; c++)
            cell[r * ncols + c] =
                t ? table_cell(A, cols[c], t, row[c], num[r * ncols + c])
                  : row[c];
        if (t)
            done[t - A->tables] = true;
    }
    for (size_t i = 0; i < A->n; i++) {
        if (done[i])
            continue;
        for (size_t c = 0; c < ncols; c++)
            cell[r * ncols + c] =
                table_cell(A, cols[c], &A->tables[i], NULL,
                           num[r * ncols + c]);
        r++;
    }
    cu_sync_dir(A->dir); /* the tables' renames, before the manifest's */
    /* nothing may fail once the manifest is there: its path comes first */
    char *final = cu_path_join(A->dir, "MANIFEST.tsv");
    if (!cu_manifest_write(A->dir, "MANIFEST.tsv", cols, ncols, cell, r))
        cu_die_errno(CU_EXIT_DATA, errno, "%s/MANIFEST.tsv", A->dir);
    cu_sync_dir_published(A->dir, final);
    cu_free_all(final, done, num, cell);
}

void free_archive(struct archive_out *A, struct manifest_in *MI)
{
    for (size_t i = 0; i < A->n; i++) {
        cu_free_all(A->tables[i].table, A->tables[i].file,
                    A->tables[i].columns);
    }
    free(A->tables);
    A->tables = NULL;
    A->n = A->cap = 0;
    free(A->tmp_path); /* (lib/archive keeps its own copy) */
    A->tmp_path = NULL;
    free_input_manifest(MI);
}

void prepare_archive_dir(struct archive_out *A, const char *dir)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0) {
        if (errno != EEXIST)
            cu_die_errno(CU_EXIT_DATA, errno, "mkdir %s", dir);
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            cu_usage_error("-o %s: exists and is not a directory", dir);
        char *m = cu_path_join(dir, "MANIFEST.tsv");
        bool exists = access(m, F_OK) == 0;
        free(m);
        if (exists)
            cu_usage_error("-o %s: already holds an archive (MANIFEST.tsv); "
                           "refusing to overwrite",
                           dir);
    }
    A->dir = dir;
}
