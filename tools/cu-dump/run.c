/* The run: a stream on standard output or an archive directory. */
#include "config.h"

#include "cu-dump.h"

/* What the exit hook needs to leave an archive honest. */
struct archive_run {
    bool active; /* an archive run is under way */
    char *dir;
    struct job *jobs;
    size_t njobs;
    const struct session *se;
};

/* Archive members are zstd unless --compress says otherwise (a stream on
 * standard output is compressed only when asked). */
static enum cu_compress archive_compression(void)
{
    return opt.common.compress_given ? opt.common.compress
                                     : CU_COMPRESS_ZSTD;
}

/* MANIFEST.tsv (or MANIFEST.incomplete.tsv after a failure), through
 * lib/archive: no fatal error, so that the exit handler can use it too;
 * returns false on any error. */
static bool write_manifest(const char *dir, const char *name,
                           const struct job *jobs, size_t n,
                           const struct session *se)
{
    const char **cell = calloc(n ? n * CU_MANIFEST_NCOLS : 1, sizeof *cell);
    struct manifest_text *text = calloc(n ? n : 1, sizeof *text);
    bool ok = cell && text;
    for (size_t i = 0; ok && i < n; i++) {
        const struct job *j = &jobs[i];
        struct manifest_text *t = &text[i];
        const char **c = cell + i * CU_MANIFEST_NCOLS;
        bool dumped = j->status == S_OK;
        bool counted = dumped || j->status == S_FAILED;
        for (size_t k = 0; k < j->out.n; k++)
            sb_printf(&t->cols, "%s%s", k ? "," : "", j->out.v[k]);
        snprintf(t->rows, sizeof t->rows, "%" PRIu64, j->rows);
        snprintf(t->bytes, sizeof t->bytes, "%" PRIu64, j->bytes);
        snprintf(t->file_bytes, sizeof t->file_bytes, "%" PRIu64,
                 j->file_bytes);
        if (j->started != CU_TIME_NULL)
            cu_time_format(j->started, t->started);
        if (j->finished != CU_TIME_NULL)
            cu_time_format(j->finished, t->finished);
        const char *row[CU_MANIFEST_NCOLS] = {
            j->name,
            dumped ? j->file : NULL,
            status_names[j->status],
            counted ? t->rows : NULL,
            dumped ? t->bytes : NULL,
            dumped ? t->file_bytes : NULL,
            dumped ? cu_compress_name(archive_compression()) : NULL,
            dumped ? j->sha256 : NULL,
            t->cols.s ? t->cols.s : (j->out.n ? "" : NULL),
            j->started == CU_TIME_NULL ? NULL : t->started,
            j->finished == CU_TIME_NULL ? NULL : t->finished,
            site_label(se->site),
            se->server_version,
            PACKAGE_VERSION,
            j->notes.len ? j->notes.s : NULL};
        memcpy(c, row, sizeof row);
    }
    if (ok)
        ok = cu_manifest_write(dir, name, cu_manifest_cols, CU_MANIFEST_NCOLS,
                               cell, n);
    int err = errno;
    for (size_t i = 0; text && i < n; i++)
        sb_free(&text[i].cols);
    free(text);
    free(cell);
    errno = ok ? errno : (cell && text ? err : ENOMEM);
    return ok;
}

/* At exit during an archive run (a fatal error anywhere, in this file or in
 * the writer): remove the half-written file and say in
 * MANIFEST.incomplete.tsv how far we got. No MANIFEST.tsv is written, so
 * the directory does not look like a complete archive. */
static void leave_archive_honest(void *ctx)
{
    struct archive_run *run = ctx;
    if (!run->active) {
        free(run->dir);
        free(run);
        return;
    }
    run->active = false;
    cu_temp_remove(); /* before the manifest that says it is not there */
    for (size_t i = 0; i < run->njobs; i++) {
        if (run->jobs[i].status == S_PENDING)
            run->jobs[i].status = S_NOT_DUMPED;
    }
    if (write_manifest(run->dir, "MANIFEST.incomplete.tsv", run->jobs,
                       run->njobs, run->se))
        fprintf(stderr, "%s: %s: the archive is incomplete: see "
                        "MANIFEST.incomplete.tsv\n",
                cu_program_name(), run->dir);
    else
        fprintf(stderr, "%s: %s/MANIFEST.incomplete.tsv: %s: the archive is "
                        "incomplete (it has no MANIFEST.tsv)\n",
                cu_program_name(), run->dir, strerror(errno));
    free(run->dir);
    free(run);
}

/* Read one table into w (a section of the stream, or the archive file). */
static void dump_job(struct session *se, struct job *j, cu_writer *w,
                     const char *section, const struct job *jobs,
                     size_t njobs)
{
    struct sbuf q = {0};
    select_sql(&q, j, jobs, njobs);
    j->started = wall_now();
    if (mysql_real_query(se->m, q.s, q.len) != 0) {
        unsigned err = mysql_errno(se->m);
        if (is_denied(err)) {
            char msg[1024];
            snprintf(msg, sizeof msg, "access denied: %s", mysql_error(se->m));
            table_problem(se, j, S_DENIED, msg);
            j->started = CU_TIME_NULL;
            sb_free(&q);
            return;
        }
        j->status = S_FAILED;
        struct sbuf what = {0};
        sb_printf(&what, "%s: reading the table failed", j->name);
        die_sql(se, what.s);
    }
    sb_free(&q);
    MYSQL_RES *res = mysql_use_result(se->m);
    if (!res) {
        j->status = S_FAILED;
        die_sql(se, j->name);
    }
    unsigned nf = mysql_num_fields(res);
    MYSQL_FIELD *fields = mysql_fetch_fields(res);
    size_t nplain = j->blob_read ? nf - 1 : nf;
    enum conv *conv = cu_xmalloc(nf * sizeof *conv);
    unsigned long *zeros = cu_xcalloc(nf, sizeof *zeros);
    for (unsigned i = 0; i < nf; i++)
        conv[i] = conv_of(&fields[i]);

    struct jtargets targets = {0};
    struct jresult jres[JMAX_TARGETS];
    memset(jres, 0, sizeof jres);
    struct sbuf keybuf = {0};
    size_t nderived = 0;
    unsigned long bad_json = 0;
    char *first_bad = NULL;
    if (j->spec && j->spec->blob && !opt.all_columns) {
        jtargets_init(&targets, j->spec->derived);
        nderived = targets.n;
    }

    cu_writer_section(w, section, (const char *const *)j->out.v, j->out.n);
    struct progress pr = {opt.progress == 1, j->name, now_sec(), 0};
    pr.last = pr.t0;
    MYSQL_ROW row;
    j->rows = 0;
    while ((row = mysql_fetch_row(res))) {
        unsigned long *len = mysql_fetch_lengths(res);
        for (size_t i = 0; i < nplain; i++) {
            if (!row[i]) {
                cu_writer_null(w);
                continue;
            }
            switch (conv[i]) {
            case CV_STR: cu_writer_str(w, row[i], len[i]); break;
            case CV_NUM: put_number(w, row[i], len[i]); break;
            case CV_DATETIME:
                if (!put_datetime(w, row[i], len[i]))
                    zeros[i]++;
                break;
            case CV_DATE:
                if (is_zero_date(row[i], len[i])) {
                    cu_writer_null(w);
                    zeros[i]++;
                } else
                    cu_writer_str(w, row[i], len[i]);
                break;
            }
        }
        if (nderived) {
            bool parsed = false;
            if (j->blob_read && row[nf - 1] && len[nf - 1]) {
                parsed = json_extract(row[nf - 1], len[nf - 1], &targets,
                                      jres, &keybuf);
                if (!parsed) {
                    if (!bad_json++ && nplain && row[0])
                        first_bad = cu_xstrndup(row[0], len[0]);
                }
            }
            for (size_t d = 0; d < nderived; d++) {
                if (parsed)
                    write_jresult(w, &jres[d]);
                else
                    cu_writer_null(w);
            }
        }
        cu_writer_end_row(w);
        if ((++j->rows & 0xFFF) == 0)
            progress_show(&pr, j->rows, false);
    }
    if (mysql_errno(se->m)) {
        j->status = S_FAILED;
        add_note(j, "failed after %" PRIu64 " rows: %s", j->rows,
                 mysql_error(se->m));
        struct sbuf what = {0};
        sb_printf(&what, "%s: lost the server after %" PRIu64 " rows",
                  j->name, j->rows);
        die_sql(se, what.s);
    }
    mysql_free_result(res);
    progress_show(&pr, j->rows, true);
    j->finished = wall_now();
    j->status = S_OK;
    for (size_t i = 0; i < nplain; i++)
        if (zeros[i]) {
            add_note(j, "%lu zero dates in %s written as \\N", zeros[i],
                     j->sel.v[i]);
            cu_warn("%s: %lu zero dates in column %s written as \\N",
                    j->name, zeros[i], j->sel.v[i]);
        }
    if (bad_json) {
        add_note(j, "%lu rows with malformed %s JSON (derived columns \\N)",
                 bad_json, j->spec->blob);
        if (opt.strict)
            cu_die(CU_EXIT_DATA, "%s: column %s is not JSON (first: %s '%s')",
                   j->name, j->spec->blob, j->sel.v[0],
                   first_bad ? first_bad : "?");
        cu_warn("%s: %lu rows with malformed %s JSON, derived columns written "
                "as \\N (first: %s '%s')",
                j->name, bad_json, j->spec->blob, j->sel.v[0],
                first_bad ? first_bad : "?");
    }
    cu_free_all(first_bad, conv, zeros);
    for (size_t d = 0; d < JMAX_TARGETS; d++)
        sb_free(&jres[d].str);
    sb_free(&keybuf);
    jtargets_free(&targets);
}

void make_dir(const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", dir);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        cu_die(CU_EXIT_DATA, "%s: not a directory", dir);
}

/* --stats for an archive: its tables' rows and bytes in all. */
static void archive_stats(const char *dir, const struct job *jobs, size_t n)
{
    uint64_t rows = 0, bytes = 0, stored = 0;
    for (size_t i = 0; i < n; i++)
        if (jobs[i].status == S_OK) {
            rows += jobs[i].rows;
            bytes += jobs[i].bytes;
            stored += jobs[i].file_bytes;
        }
    cu_stats_wrote(dir, rows, bytes, stored);
}

void dump_archive(struct session *se, struct job *jobs, size_t n,
                  const char *dir)
{
    make_dir(dir);
    /* An old manifest would vouch for files this run is replacing. */
    const char *stale[] = {"MANIFEST.tsv", "MANIFEST.incomplete.tsv"};
    for (size_t i = 0; i < 2; i++) {
        char *p = cu_path_join(dir, stale[i]);
        if (unlink(p) != 0 && errno != ENOENT)
            cu_die_errno(CU_EXIT_DATA, errno, "%s", p);
        free(p);
    }
    /* (the hook owns it: a fatal error may come after this returns, while
       the jobs and the session still exist) */
    struct archive_run *run = cu_xcalloc(1, sizeof *run);
    *run = (struct archive_run){true, cu_xstrdup(dir), jobs, n, se};
    cu_at_exit(leave_archive_honest, run);
    /* what can be read is pending until its file is renamed into place */
    for (size_t i = 0; i < n; i++)
        if (jobs[i].status == S_OK)
            jobs[i].status = S_PENDING;
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (j->status != S_PENDING) /* missing, absent, denied */
            continue;
        struct sbuf fname = {0};
        sb_printf(&fname, "%s.tsv%s", j->name,
                  cu_compress_suffix(archive_compression()));
        j->file = fname.s;
        char *final = cu_path_join(dir, j->file);
        char *tmp = cu_temp_path(dir, j->file);
        cu_temp_begin(tmp); /* removed if the run fails or is killed */
        /* no trailers: the manifest vouches for the member (rows, sha256),
           and the file loads back with LOAD DATA as it is */
        cu_writer *w = cu_writer_open_path(
            tmp, CU_FMT_TSV,
            cu_write_compress_flag(archive_compression()) |
                CU_WRITE_NO_TRAILERS);
        dump_job(se, j, w, NULL, jobs, n);
        if (j->status == S_DENIED) { /* only when !--strict */
            cu_writer_close(w);
            unlink(tmp);
            cu_temp_forget();
            cu_free_all(tmp, final, j->file);
            j->file = NULL;
            continue;
        }
        j->status = S_PENDING; /* not complete until renamed */
        j->bytes = cu_writer_bytes(w);
        cu_writer_close(w);
        cu_sha256_file(tmp, j->sha256, &j->file_bytes);
        cu_temp_commit(final);
        j->status = S_OK;
        free(tmp);
        free(final);
    }
    cu_sync_dir(dir); /* the tables' renames, before the manifest's */
    /* nothing may fail once the manifest is there: its path comes first */
    char *manifest = cu_path_join(dir, "MANIFEST.tsv");
    if (!write_manifest(dir, "MANIFEST.tsv", jobs, n, se))
        cu_die_errno(CU_EXIT_DATA, errno, "%s/MANIFEST.tsv", dir);
    cu_sync_dir_published(dir, manifest);
    free(manifest);
    run->active = false;
    if (opt.common.stats)
        archive_stats(dir, jobs, n);
}

/* A stream says which tables it could not deliver (#status), as an
 * archive's manifest does, so that a tool needing one fails instead of
 * reading it as empty. */
void dump_stream(struct session *se, struct job *jobs, size_t n,
                 cu_writer *w)
{
    bool csv = opt.common.out_format == CU_FMT_CSV;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].status == S_OK) {
            /* A single-table CSV has no room for a section name. */
            dump_job(se, &jobs[i], w, csv ? NULL : jobs[i].name, jobs, n);
        }
        if (jobs[i].status != S_OK && !csv)
            cu_writer_table_status(w, jobs[i].name,
                                   status_names[jobs[i].status]);
    }
}
