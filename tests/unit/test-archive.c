/* lib/archive: paths, archive directories, and a manifest written whole
 * (escaped, \N for NULL) or not at all. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "tap.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

int main(void)
{
    plan(0);
    char *p = cu_path_join("dir//", "MANIFEST.tsv");
    ok(strcmp(p, "dir/MANIFEST.tsv") == 0, "join: %s", p);
    free(p);
    p = cu_path_join("/", "x");
    ok(strcmp(p, "/x") == 0, "join at the root: %s", p);
    free(p);

    char dir[] = "/tmp/cu-archive-test.XXXXXX";
    if (!mkdtemp(dir))
        return 99;
    ok(!cu_is_archive_dir(dir), "an empty directory is no archive");
    static const char *const cols[] = {"table", "rows", "notes"};
    static const char *const cells[] = {"nova.instances", "3", NULL,
                                        "blazar.leases", "0", "a\ttab"};
    ok(cu_manifest_write(dir, "MANIFEST.tsv", cols, 3, cells, 2),
       "a manifest written");
    ok(cu_is_archive_dir(dir), "then it is an archive");
    char *m = cu_path_join(dir, "MANIFEST.tsv");
    const char *text = slurp(m);
    ok(text && strcmp(text, "table\trows\tnotes\n"
                            "nova.instances\t3\t\\N\n"
                            "blazar.leases\t0\ta\\ttab\n") == 0,
       "its text: a header, \\N for NULL, escapes");
    char *tmp = cu_path_join(dir, ".MANIFEST.tsv.tmp");
    ok(access(tmp, F_OK) != 0, "no temporary file left");
    ok(!cu_manifest_write("/nonexistent/dir", "MANIFEST.tsv", cols, 3, cells,
                          2),
       "a directory that is not there: false, not a crash");
    unlink(m);
    rmdir(dir);
    free(m);
    free(tmp);
    return done_testing();
}
