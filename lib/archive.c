/* Archives: paths, the manifest's columns, and writing a manifest; see
 * archive.h. */
#include "config.h"

#include "archive.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "writer.h"

const char *const cu_manifest_cols[CU_MANIFEST_NCOLS] = {
    "table",   "file",     "status", "rows",           "bytes",
    "file_bytes", "sha256", "columns", "started",      "finished",
    "site",    "server_version", "cu_version", "notes"};

char *cu_path_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    bool slash = dl == 0 || dir[dl - 1] != '/'; /* the root has its own */
    char *p = cu_xmalloc(dl + nl + 2);
    memcpy(p, dir, dl);
    if (slash)
        p[dl++] = '/';
    memcpy(p + dl, name, nl + 1);
    return p;
}

bool cu_is_archive_dir(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return false;
    char *m = cu_path_join(path, "MANIFEST.tsv");
    bool yes = access(m, F_OK) == 0;
    free(m);
    return yes;
}

static bool put_cell(FILE *f, const char *s, bool last)
{
    bool ok = true;
    if (!s) {
        ok = fputs("\\N", f) >= 0;
    } else {
        size_t len = strlen(s);
        char small[512];
        size_t need = cu_tsv_escape(s, len, small, sizeof small);
        char *buf = need <= sizeof small ? small : malloc(need);
        if (!buf)
            return false;
        if (buf != small)
            cu_tsv_escape(s, len, buf, need);
        ok = fwrite(buf, 1, need, f) == need;
        if (buf != small)
            free(buf);
    }
    return putc(last ? '\n' : '\t', f) != EOF && ok;
}

bool cu_manifest_write(const char *dir, const char *name,
                       const char *const *cols, size_t ncols,
                       const char *const *cells, size_t nrows)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *final = malloc(dl + nl + 2), *tmp = malloc(dl + nl + 8);
    if (!final || !tmp) {
        free(final);
        free(tmp);
        errno = ENOMEM;
        return false;
    }
    snprintf(final, dl + nl + 2, "%s/%s", dir, name);
    snprintf(tmp, dl + nl + 8, "%s/.%s.tmp", dir, name);
    FILE *f = fopen(tmp, "w");
    bool ok = f != NULL;
    if (f) {
        for (size_t c = 0; c < ncols; c++)
            ok &= put_cell(f, cols[c], c + 1 == ncols);
        for (size_t r = 0; r < nrows; r++)
            for (size_t c = 0; c < ncols; c++)
                ok &= put_cell(f, cells[r * ncols + c], c + 1 == ncols);
        ok &= !ferror(f);
        ok &= fflush(f) == 0 && fsync(fileno(f)) == 0;
        ok &= fclose(f) == 0;
        ok &= ok && rename(tmp, final) == 0;
        if (!ok) {
            int err = errno; /* for the caller's message */
            unlink(tmp);
            errno = err;
        }
    }
    free(final);
    free(tmp);
    return ok;
}
