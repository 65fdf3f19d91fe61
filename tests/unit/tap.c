#include "config.h"

#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static int planned = -1, current, failed;

void plan(int n)
{
    planned = n;
    if (n > 0)
        printf("1..%d\n", n);
    fflush(stdout);
}

int done_testing(void)
{
    if (planned <= 0)
        printf("1..%d\n", current);
    else if (planned != current) {
        printf("# planned %d tests but ran %d\n", planned, current);
        failed++;
    }
    fflush(stdout);
    return failed ? 1 : 0;
}

static bool vok(bool cond, const char *fmt, va_list ap)
{
    current++;
    printf("%s %d - ", cond ? "ok" : "not ok", current);
    vprintf(fmt, ap);
    putchar('\n');
    fflush(stdout);
    if (!cond)
        failed++;
    return cond;
}

bool ok(bool cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vok(cond, fmt, ap);
    va_end(ap);
    return cond;
}

void diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

void skip(const char *why)
{
    current++;
    printf("ok %d # SKIP %s\n", current, why);
    fflush(stdout);
}

static void diag_mem(const char *label, const void *p, size_t n)
{
    const unsigned char *s = p;
    printf("#   %s: '", label);
    for (size_t i = 0; i < n && i < 400; i++) {
        if (s[i] == '\n')
            fputs("\\n", stdout);
        else if (s[i] == '\t')
            fputs("\\t", stdout);
        else if (s[i] < 0x20 || s[i] == 0x7f)
            printf("\\x%02x", s[i]);
        else
            putchar(s[i]);
    }
    puts(n > 400 ? "'..." : "'");
}

bool is_mem(const void *got, size_t got_len, const void *exp, size_t exp_len,
            const char *name)
{
    bool same = got && got_len == exp_len && memcmp(got, exp, exp_len) == 0;
    ok(same, "%s", name);
    if (!same) {
        if (got)
            diag_mem("got", got, got_len);
        else
            printf("#   got: NULL\n");
        diag_mem("expected", exp, exp_len);
    }
    return same;
}

bool is_str(const char *got, const char *expected, const char *name)
{
    if (!got || !expected) {
        bool same = got == expected;
        ok(same, "%s", name);
        if (!same)
            diag("got %s, expected %s", got ? got : "NULL",
                 expected ? expected : "NULL");
        return same;
    }
    return is_mem(got, strlen(got), expected, strlen(expected), name);
}

bool is_int(int64_t got, int64_t expected, const char *name)
{
    bool same = got == expected;
    ok(same, "%s", name);
    if (!same)
        diag("got %lld, expected %lld", (long long)got, (long long)expected);
    return same;
}

bool is_double(double got, double expected, double tolerance,
               const char *name)
{
    bool same = fabs(got - expected) <= tolerance;
    ok(same, "%s", name);
    if (!same)
        diag("got %.17g, expected %.17g", got, expected);
    return same;
}

static char *slurp_fd(int fd)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    if (!buf)
        abort();
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            cap *= 2;
            if (!(buf = realloc(buf, cap)))
                abort();
        }
    }
    buf[len] = '\0';
    return buf;
}

static int anon_file(void)
{
    char path[] = "/tmp/cu-tap-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(99);
    }
    unlink(path);
    return fd;
}

struct child_result run_child(void (*fn)(void *), void *arg)
{
    struct child_result r = {0};
    int out = anon_file(), err = anon_file(), st;
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(99);
    }
    if (pid == 0) {
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        fn(arg);
        fflush(stdout);
        _exit(0);
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = slurp_fd(out);
    r.err = slurp_fd(err);
    close(out);
    close(err);
    return r;
}

void child_result_free(struct child_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

bool dies_with(void (*fn)(void *), void *arg, int status,
               const char *err_substring, const char *name)
{
    struct child_result r = run_child(fn, arg);
    bool good = r.status == status && strstr(r.err, err_substring) != NULL;
    ok(good, "%s", name);
    if (!good) {
        diag("exit status %d (expected %d)", r.status, status);
        diag_mem("stderr", r.err, strlen(r.err));
        diag("expected stderr to contain '%s'", err_substring);
    }
    child_result_free(&r);
    return good;
}

/* Temporary files live in one directory removed at exit. Only by the
 * process that made it: a child of run_child() that exits (as every fatal
 * error path does) inherits the atexit handler and must not remove the
 * files the parent still uses. */
static char *tmp_root;
static unsigned tmp_count;
static pid_t tmp_owner;

static void tmp_cleanup(void)
{
    if (tmp_root && getpid() == tmp_owner) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmp_root);
        free(tmp_root);
        tmp_root = NULL;
    }
}

static const char *tmp_base(void)
{
    if (!tmp_root) {
        char tmpl[] = "/tmp/cu-test-XXXXXX";
        if (!mkdtemp(tmpl)) {
            perror("mkdtemp");
            exit(99);
        }
        tmp_root = strdup(tmpl);
        tmp_owner = getpid();
        atexit(tmp_cleanup);
    }
    return tmp_root;
}

static char *tmp_name(const char *suffix)
{
    size_t n = strlen(tmp_base()) + strlen(suffix) + 32;
    char *p = malloc(n);
    if (!p)
        abort();
    snprintf(p, n, "%s/f%u%s", tmp_base(), ++tmp_count, suffix);
    return p;
}

char *tmpfile_with(const void *data, size_t len, const char *suffix)
{
    char *path = tmp_name(suffix ? suffix : "");
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(99);
    }
    return path;
}

char *tmpfile_gz(const void *data, size_t len)
{
    char *path = tmp_name(".gz");
    gzFile gz = gzopen(path, "wb");
    if (!gz || (len && gzwrite(gz, data, (unsigned)len) != (int)len) ||
        gzclose(gz) != Z_OK) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(99);
    }
    return path;
}

char *tmpdir_make(void)
{
    char *path = tmp_name("");
    if (mkdir(path, 0700) != 0) {
        perror(path);
        exit(99);
    }
    return path;
}
