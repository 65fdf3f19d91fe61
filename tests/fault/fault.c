/* An LD_PRELOAD shim that makes the Nth call of one function fail, the way
 * jq's tests inject faults: CU_FAULT=FUNC:N with FUNC one of write, read,
 * fsync, rename, malloc. write counts every descriptor but stderr (so the
 * message about the failure still gets out); the failed call sets errno
 * (ENOSPC for write, EIO for read and fsync, EXDEV for rename, ENOMEM for
 * malloc). When it fires it creates the file CU_FAULT_FIRED, so a test
 * loops N upwards until a run no longer reaches the Nth call: every call
 * site of that run has then failed once. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long target = -1; /* the call to fail, 1-based; -1: none */
static char which[16];
static long calls;

static void setup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    /* only in cu's programs: a test's own commands (sh, cut, mv) run
       with the same environment */
    extern char *program_invocation_short_name;
    if (strncmp(program_invocation_short_name, "cu-", 3) != 0)
        return;
    const char *spec = getenv("CU_FAULT");
    const char *colon = spec ? strchr(spec, ':') : NULL;
    if (!colon || (size_t)(colon - spec) >= sizeof which)
        return;
    memcpy(which, spec, (size_t)(colon - spec));
    target = atol(colon + 1);
}

/* Is this the call that fails? */
static int fail_now(const char *func)
{
    setup();
    if (target < 0 || strcmp(func, which) != 0 || ++calls != target)
        return 0;
    const char *fired = getenv("CU_FAULT_FIRED");
    if (fired) {
        int fd = open(fired, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0)
            close(fd);
    }
    return 1;
}

#define NEXT(type, name, args) \
    static type(*real) args;   \
    if (!real)                 \
        real = (type(*) args)dlsym(RTLD_NEXT, name)

ssize_t write(int fd, const void *buf, size_t n)
{
    NEXT(ssize_t, "write", (int, const void *, size_t));
    if (fd != 2 && fail_now("write")) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, buf, n);
}

ssize_t read(int fd, void *buf, size_t n)
{
    NEXT(ssize_t, "read", (int, void *, size_t));
    if (fail_now("read")) {
        errno = EIO;
        return -1;
    }
    return real(fd, buf, n);
}

int fsync(int fd)
{
    NEXT(int, "fsync", (int));
    if (fail_now("fsync")) {
        errno = EIO;
        return -1;
    }
    return real(fd);
}

int rename(const char *from, const char *to)
{
    NEXT(int, "rename", (const char *, const char *));
    if (fail_now("rename")) {
        errno = EXDEV;
        return -1;
    }
    return real(from, to);
}

/* malloc: only where no sanitizer owns it (tests skip it under ASan), and
 * only calls made by the program itself (cu's code, linked in statically),
 * not by the libraries under it, whose handling of a failed allocation is
 * theirs. The real one comes from glibc's own name, so dlsym, which
 * allocates, is never needed here. */
extern void *__libc_malloc(size_t);

static int called_by_program(const void *caller)
{
    Dl_info info;
    if (!dladdr(caller, &info) || !info.dli_fname)
        return 0;
    const char *slash = strrchr(info.dli_fname, '/');
    const char *base = slash ? slash + 1 : info.dli_fname;
    return *base == '\0' || strncmp(base, "cu-", 3) == 0;
}

void *malloc(size_t n)
{
    setup(); /* getenv and atol: nothing that allocates */
    if (target >= 0 && strcmp(which, "malloc") == 0 &&
        called_by_program(__builtin_return_address(0)) &&
        fail_now("malloc")) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(n);
}
