/* Archives: paths, durable renames and temporary files, the manifest's
 * columns, and writing a manifest; see archive.h. */
#include "config.h"

#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "writer.h"

const char *const cu_manifest_cols[CU_MANIFEST_NCOLS] = {
    "table",   "file",     "status", "rows",           "bytes",
    "file_bytes", "compression", "sha256", "columns", "started",
    "finished", "site",    "server_version", "cu_version", "notes"};

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

/* 0, or the errno of what failed (the open or the fsync). */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int err = 0;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        err = errno;
    close(fd);
    return err;
}

void cu_sync_dir(const char *dir)
{
    int err = sync_dir(dir);
    if (err)
        cu_die_errno(CU_EXIT_DATA, err, "fsync %s", dir);
}

void cu_sync_dir_published(const char *dir, const char *published)
{
    int err = sync_dir(dir);
    if (!err)
        return;
    unlink(published); /* it must not vouch for what may not be on disk */
    cu_die_errno(CU_EXIT_DATA, err, "fsync %s (%s removed: the archive is "
                 "incomplete)", dir, published);
}

/* The path is copied into static storage: a signal handler may only look
 * at what async-signal-safe calls can use. */
static char temp_path[4096];
static volatile sig_atomic_t temp_set;

static void temp_on_signal(int sig)
{
    if (temp_set)
        unlink(temp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void temp_at_exit(void) { cu_temp_remove(); }

void cu_temp_begin(const char *path)
{
    static bool installed;
    size_t len = strlen(path);
    if (len >= sizeof temp_path)
        cu_die(CU_EXIT_DATA, "%s: path too long", path);
    if (!installed) {
        static const int sigs[] = {SIGHUP, SIGINT, SIGTERM};
        for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = temp_on_signal;
            sigemptyset(&sa.sa_mask);
            sigaction(sigs[i], &sa, NULL);
        }
        atexit(temp_at_exit);
        installed = true;
    }
    temp_set = 0;
    memcpy(temp_path, path, len + 1);
    temp_set = 1;
}

void cu_temp_forget(void) { temp_set = 0; }

void cu_temp_remove(void)
{
    if (temp_set) {
        temp_set = 0;
        unlink(temp_path);
    }
}

/* dir/.name.tmp into a new buffer, or NULL when out of memory */
static char *temp_name(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 7;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/.%s.tmp", dir, name);
    return p;
}

char *cu_temp_path(const char *dir, const char *name)
{
    char *p = temp_name(dir, name);
    if (!p)
        cu_die(CU_EXIT_DATA, "out of memory");
    return p;
}

void cu_temp_commit(const char *final)
{
    if (!temp_set)
        cu_die(CU_EXIT_DATA, "program error: %s: no temporary file", final);
    if (rename(temp_path, final) != 0)
        cu_die_errno(CU_EXIT_DATA, errno, "rename %s to %s", temp_path,
                     final);
    temp_set = 0;
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
    char *final = malloc(dl + nl + 2), *tmp = temp_name(dir, name);
    if (!final || !tmp) {
        free(final);
        free(tmp);
        errno = ENOMEM;
        return false;
    }
    snprintf(final, dl + nl + 2, "%s/%s", dir, name);
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
