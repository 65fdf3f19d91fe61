/* lib/history: archives merged into one stream, each entity once in its
 * newest version, with _gone_at for rows a later snapshot lacks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
#include "stream.h"
#include "tap.h"

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        abort();
}

/* An archive of two tables: t.items (TEXT) and t.denied, denied. */
static void archive(const char *dir, const char *started, const char *items)
{
    char manifest[512];
    if (mkdir(dir, 0700) != 0)
        abort();
    put(dir, "t.items.tsv", items);
    snprintf(manifest, sizeof manifest,
             "table\tfile\tstatus\tstarted\n"
             "t.items\tt.items.tsv\tok\t%s\n"
             "t.denied\t\\N\tdenied\t%s\n",
             started, started);
    put(dir, "MANIFEST.tsv", manifest);
}

/* The merged stream as "table: id|...|_gone_at" lines. */
static char *transcript(const char *path, const char **status)
{
    static char out[4096];
    size_t n = 0;
    const char *paths[1] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_TSV);
    enum cu_next k;
    out[0] = '\0';
    while ((k = cu_reader_next(r)) != CU_EOF) {
        if (k == CU_SECTION) {
            n += (size_t)snprintf(out + n, sizeof out - n, "[%s:",
                                  cu_reader_table(r));
            for (size_t i = 0; i < cu_reader_ncols(r); i++)
                n += (size_t)snprintf(out + n, sizeof out - n, " %s",
                                      cu_reader_colname(r, i));
            n += (size_t)snprintf(out + n, sizeof out - n, "]\n");
            continue;
        }
        for (size_t i = 0; i < cu_reader_ncols(r); i++) {
            const cu_field *f = cu_reader_field(r, i);
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s",
                                  i ? "|" : "",
                                  cu_field_is_null(f) ? "-" : f->s);
        }
        n += (size_t)snprintf(out + n, sizeof out - n, "\n");
    }
    const struct cu_table_status *st;
    size_t nst = cu_reader_statuses(r, &st);
    *status = nst == 1 && strcmp(st[0].table, "t.denied") == 0 &&
                      strcmp(st[0].status, "denied") == 0
                  ? "t.denied denied"
                  : "other";
    cu_reader_close(r);
    return out;
}

int main(void)
{
    plan(0);
    char top[] = "/tmp/cu-history-test.XXXXXX";
    if (!mkdtemp(top))
        return 99;
    char a1[600], a2[600], a3[600];
    snprintf(a1, sizeof a1, "%s/a1", top);
    snprintf(a2, sizeof a2, "%s/a2", top);
    snprintf(a3, sizeof a3, "%s/a3", top);
    /* 1 stays, 2 vanishes after a1, 3 appears in a2 and moves its
       created_at in a3; a3 adds a column; 5 is archived into a shadow table
       of a3 */
    archive(a1, "2000-01-01 00:00:00",
            "id\tcreated_at\tsize\n1\t2000\t10\n2\t2000\t20\n5\t2000\t50\n");
    archive(a2, "2000-01-02 00:00:00",
            "id\tcreated_at\tsize\n1\t2000\t11\n3\t2001\t30\n5\t2000\t50\n");
    archive(a3, "2000-01-04 00:00:00",
            "id\tcreated_at\tsize\tnote\n1\t2000\t12\tx\n3\t2002\t30\ty\n");
    put(a3, "t.shadow_items.tsv", "id\tcreated_at\tsize\tnote\n5\t2000\t50\tarchived\n");
    put(a3, "MANIFEST.tsv",
        "table\tfile\tstatus\tstarted\n"
        "t.items\tt.items.tsv\tok\t2000-01-04 00:00:00\n"
        "t.shadow_items\tt.shadow_items.tsv\tok\t2000-01-04 00:00:00\n"
        "t.denied\t\\N\tdenied\t2000-01-04 00:00:00\n");

    is_int(cu_history_snapshot_time(a2), 946771200000000,
           "the snapshot time is the manifest's earliest start");

    const char *dirs[3] = {a1, a2, a3};
    struct cu_history_stats st;
    char *merged = cu_history_merge(dirs, 3, &st);
    const char *status;
    char *t = transcript(merged, &status);
    is_str(t,
           "[t.items: id created_at size note _gone_at]\n"
           "1|2000|12|x|-\n"
           "2|2000|20|-|2000-01-01T00:00:00Z\n"
           "5|2000|50|archived|-\n"
           "3|2002|30|y|-\n",
           "each entity once, newest version, newest columns, shadow rows "
           "are the table's, _gone_at where a later snapshot lacks it");
    is_str(status, "t.denied denied",
           "a table no archive delivered keeps its status");
    ok(st.archives == 3 && st.rows == 4 && st.versions == 9 &&
           st.gone == 1 && st.conflicts == 1,
       "stats: %zu archives, %llu rows, %llu versions, %llu gone, %llu "
       "conflicts", st.archives, (unsigned long long)st.rows,
       (unsigned long long)st.versions, (unsigned long long)st.gone,
       (unsigned long long)st.conflicts);
    is_int(st.max_gap, 86400000000, "the largest gap: a day");
    ok(st.ntables == 1 && strcmp(st.tables[0].table, "t.items") == 0 &&
           st.tables[0].rows == 4 && st.tables[0].gone == 1,
       "per table: t.items, 4 rows, 1 gone");
    cu_history_stats_free(&st);
    unlink(merged);
    free(merged);

    /* a table an archive did not deliver is no evidence of deletion */
    put(a3, "MANIFEST.tsv",
        "table\tfile\tstatus\tstarted\n"
        "t.items\t\\N\tfailed\t2000-01-04 00:00:00\n");
    merged = cu_history_merge(dirs, 3, &st);
    t = transcript(merged, &status);
    ok(strstr(t, "1|2000|11|-\n") && strstr(t, "2|2000|20|2000-01-01T00:00:00Z\n") &&
           strstr(t, "3|2001|30|-\n"),
       "rows the last archive could not deliver are not gone");
    cu_history_stats_free(&st);
    unlink(merged);
    free(merged);

    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
    if (system(cmd) != 0)
        return 99;
    return done_testing();
}
