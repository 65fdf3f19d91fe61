/* --institutions: which institutions a project belongs to, and with what
 * share (the MOC reporting model: many to many). A TSV with the header
 * project, institution, share (percent, up to 2 decimals); a project's
 * shares must sum to exactly 100.00, so that splitting its usage loses and
 * invents nothing. Shares are kept in hundredths of a percent: usage split
 * by them stays an exact integer (scaled by 10000) until it is printed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "error.h"
#include "report.h"
#include "stream.h"

struct membership {
    struct text *names; /* owned copies */
    int64_t *shares;
    size_t n, names_cap, shares_cap;
    unsigned long line; /* of the project's first row */
};

struct institutions {
    cu_intern *projects; /* project id -> of[] */
    struct membership *of;
    size_t of_cap;
};

static const struct text unassigned_name = {"unassigned", 10};
static const int64_t whole = 10000;

static void add_row(struct institutions *in, const cu_reader *r,
                    const size_t col[3])
{
    const cu_field *project = cu_reader_field(r, col[0]);
    const cu_field *inst = cu_reader_field(r, col[1]);
    const cu_field *share = cu_reader_field(r, col[2]);
    if (cu_field_is_null(project) || project->len == 0)
        cu_reader_die_field(r, col[0], "a project is needed");
    if (cu_field_is_null(inst) || inst->len == 0)
        cu_reader_die_field(r, col[1], "an institution is needed");
    int64_t v;
    const char *bad = cu_field_is_null(share)
                          ? "a share is needed"
                          : cu_parse_fixed(share->s, share->len, 2, &v);
    if (!bad && (v <= 0 || v > whole))
        bad = "a share is more than 0 and at most 100 (percent)";
    if (bad)
        cu_reader_die_field(r, col[2], "%s", bad);
    size_t before = cu_intern_count(in->projects);
    uint32_t i = cu_intern_add(in->projects, project->s, project->len);
    if (i == before) {
        in->of = cu_xgrow(in->of, &in->of_cap, i + 1, sizeof *in->of);
        memset(&in->of[i], 0, sizeof *in->of);
        in->of[i].line = cu_reader_lineno(r);
    }
    struct membership *m = &in->of[i];
    for (size_t k = 0; k < m->n; k++)
        if (cu_field_equals_n(inst, m->names[k].s, m->names[k].len))
            cu_reader_die_field(r, col[1], "the project's institution is "
                                           "named twice");
    m->names = cu_xgrow(m->names, &m->names_cap, m->n + 1, sizeof *m->names);
    m->shares = cu_xgrow(m->shares, &m->shares_cap, m->n + 1,
                         sizeof *m->shares);
    m->names[m->n] = (struct text){cu_xstrndup(inst->s, inst->len), inst->len};
    m->shares[m->n++] = v;
}

static void check_sums(const struct institutions *in, const char *path)
{
    for (size_t i = 0; i < cu_intern_count(in->projects); i++) {
        const struct membership *m = &in->of[i];
        int64_t sum = 0;
        for (size_t k = 0; k < m->n; k++)
            sum += m->shares[k];
        if (sum == whole)
            continue;
        char text[64];
        cu_format_fixed(sum, 2, text);
        cu_die(CU_EXIT_USAGE, "%s:%lu: project %s: its shares sum to %s %%, "
               "not 100", path, m->line, cu_intern_str(in->projects, (uint32_t)i),
               text);
    }
}

void institutions_read(struct institutions **out, const char *path)
{
    struct institutions *in = *out = cu_xcalloc(1, sizeof *in);
    in->projects = cu_intern_new();
    const char *paths[] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_AUTO);
    size_t col[3] = {0};
    enum cu_next k;
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            col[0] = cu_reader_need_col(r, "project");
            col[1] = cu_reader_need_col(r, "institution");
            col[2] = cu_reader_need_col(r, "share");
        } else {
            add_row(in, r, col);
        }
    }
    cu_reader_close(r);
    check_sums(in, path);
}

void institutions_free(struct institutions *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < cu_intern_count(in->projects); i++) {
        for (size_t k = 0; k < in->of[i].n; k++)
            free((char *)in->of[i].names[k].s);
        free(in->of[i].names);
        free(in->of[i].shares);
    }
    free(in->of);
    cu_intern_free(in->projects);
    free(in);
}

static const struct membership *membership_of(const struct institutions *in,
                                              struct text project)
{
    uint32_t i = project.s ? cu_intern_find(in->projects, project.s,
                                            project.len)
                           : CU_INTERN_NONE;
    return i == CU_INTERN_NONE ? NULL : &in->of[i];
}

size_t institutions_of(const struct institutions *in, struct text project,
                       const struct text **names, const int64_t **shares)
{
    const struct membership *m = membership_of(in, project);
    if (!m) {
        *names = &unassigned_name;
        *shares = &whole;
        return 1;
    }
    *names = m->names;
    *shares = m->shares;
    return m->n;
}

const char *institution_main(const struct institutions *in,
                             struct text project)
{
    const struct membership *m = in ? membership_of(in, project) : NULL;
    if (!m)
        return NULL;
    size_t best = 0;
    for (size_t k = 1; k < m->n; k++)
        if (m->shares[k] > m->shares[best])
            best = k;
    return m->names[best].s;
}
