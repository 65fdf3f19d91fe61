/* Error reporting, exit codes and checked allocation. */
#include "config.h"

#include "error.h"

#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *program_name = "cu";
static unsigned long warnings;

void cu_set_program_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    program_name = slash ? slash + 1 : argv0;
    /* libtool wrappers run the real binary as lt-NAME */
    if (strncmp(program_name, "lt-", 3) == 0)
        program_name += 3;
}

const char *cu_program_name(void) { return program_name; }

/* The fuzz harnesses read inputs in one process, where a data error must
 * return to the harness rather than end the process: see error.h. */
static void (*fatal_hook)(int status);

enum { MAX_EXIT_HOOKS = 8 };
static struct {
    void (*fn)(void *);
    void *ctx;
} exit_hooks[MAX_EXIT_HOOKS];
static size_t nexit_hooks;

static void run_exit_hooks(void)
{
    while (nexit_hooks > 0) {
        nexit_hooks--;
        exit_hooks[nexit_hooks].fn(exit_hooks[nexit_hooks].ctx);
    }
}

void cu_at_exit(void (*fn)(void *ctx), void *ctx)
{
    if (nexit_hooks == MAX_EXIT_HOOKS)
        cu_die(CU_EXIT_DATA, "internal error: too many exit hooks");
    if (nexit_hooks == 0 && atexit(run_exit_hooks) != 0)
        cu_die(CU_EXIT_DATA, "internal error: atexit failed");
    exit_hooks[nexit_hooks].fn = fn;
    exit_hooks[nexit_hooks].ctx = ctx;
    nexit_hooks++;
}

void cu_set_fatal_hook(void (*hook)(int status)) { fatal_hook = hook; }

static noreturn void die_exit(int status)
{
    if (fatal_hook)
        fatal_hook(status);
    exit(status);
}

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s: %s", program_name, prefix);
    vfprintf(stderr, fmt, ap);
}

void cu_die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    die_exit(status);
}

void cu_die_errno(int status, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
    fprintf(stderr, ": %s\n", strerror(errnum));
    die_exit(status);
}

void cu_warn(const char *fmt, ...)
{
    va_list ap;
    warnings++;
    va_start(ap, fmt);
    vmessage("warning: ", fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

unsigned long cu_warning_count(void) { return warnings; }

void cu_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cu_try_help();
}

void cu_try_help(void)
{
    fprintf(stderr, "Try '%s --help' for more information.\n", program_name);
    die_exit(CU_EXIT_USAGE);
}

/* Show a value so that a reader sees exactly what was there: control bytes
 * and quotes escaped, long values cut with "...". */
enum { SHOWN_VALUE_MAX = 80 };

static void print_value(const char *v, size_t len)
{
    size_t shown = len > SHOWN_VALUE_MAX ? SHOWN_VALUE_MAX : len;
    fputs(": '", stderr);
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)v[i];
        switch (c) {
        case '\t': fputs("\\t", stderr); break;
        case '\n': fputs("\\n", stderr); break;
        case '\r': fputs("\\r", stderr); break;
        case '\\': fputs("\\\\", stderr); break;
        case '\'': fputs("\\'", stderr); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(stderr, "\\x%02x", c);
            else
                fputc(c, stderr);
        }
    }
    fputs(shown < len ? "'..." : "'", stderr);
}

/* FILE:LINE: field N (name): message: 'value', after the program name and
 * kind ("" or "warning: "). */
static void vreport_at(const char *kind, const char *file, unsigned long line,
                       size_t field, const char *name, const char *value,
                       size_t value_len, const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s: %s", program_name, kind);
    if (file) {
        if (line)
            fprintf(stderr, "%s:%lu: ", file, line);
        else
            fprintf(stderr, "%s: ", file);
    }
    if (field) {
        fprintf(stderr, "field %zu", field);
        if (name)
            fprintf(stderr, " (%s)", name);
        fputs(": ", stderr);
    }
    vfprintf(stderr, fmt, ap);
    if (value)
        print_value(value, value_len);
    fputc('\n', stderr);
}

void cu_die_at(const char *file, unsigned long line, size_t field,
               const char *name, const char *value, size_t value_len,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport_at("", file, line, field, name, value, value_len, fmt, ap);
    va_end(ap);
    die_exit(CU_EXIT_DATA);
}

void cu_warn_at(const char *file, unsigned long line, size_t field,
                const char *name, const char *value, size_t value_len,
                const char *fmt, ...)
{
    va_list ap;
    warnings++;
    va_start(ap, fmt);
    vreport_at("warning: ", file, line, field, name, value, value_len, fmt,
               ap);
    va_end(ap);
}

static void *check_alloc(void *p, size_t n)
{
    if (!p && n)
        cu_die(CU_EXIT_DATA, "out of memory (%zu bytes)", n);
    return p;
}

void *cu_xmalloc(size_t n) { return check_alloc(malloc(n), n); }

void *cu_xcalloc(size_t n, size_t size)
{
    return check_alloc(calloc(n, size), n * size);
}

void *cu_xrealloc(void *p, size_t n) { return check_alloc(realloc(p, n), n); }

void *cu_xgrow(void *p, size_t *nmemb, size_t need, size_t size)
{
    size_t n = *nmemb ? *nmemb : 16;
    if (need <= *nmemb)
        return p;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size)
            cu_die(CU_EXIT_DATA, "out of memory (array of %zu)", need);
        n *= 2;
    }
    p = cu_xrealloc(p, n * size);
    *nmemb = n;
    return p;
}

void cu_free_each(void *const *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i]);
}

void cu_free_strings(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

char *cu_xstrdup(const char *s) { return cu_xstrndup(s, strlen(s)); }

char *cu_xstrndup(const char *s, size_t n)
{
    char *d = cu_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *cu_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        cu_die(CU_EXIT_DATA, "cannot format '%s'", fmt);
    char *s = cu_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}
