/* Error reporting and exit codes shared by every cu tool.
 *
 * Messages follow one shape so that scripts and people can find the culprit:
 *   cu-x: FILE:LINE: field N (name): what is wrong: 'value'
 * Every fatal error exits with one of the codes below. */
#ifndef CU_ERROR_H
#define CU_ERROR_H

#include <stddef.h>
#include <stdnoreturn.h>

enum cu_exit {
    CU_EXIT_OK = 0,    /* success */
    CU_EXIT_DATA = 1,  /* bad data, I/O or runtime error */
    CU_EXIT_USAGE = 2, /* bad options or configuration */
};

/* Set once from main(): the name printed before every message. */
void cu_set_program_name(const char *argv0);
const char *cu_program_name(void);

/* "cu-x: message\n" on stderr, then exit(status). */
noreturn void cu_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Like cu_die, with ": strerror(errnum)" appended. */
noreturn void cu_die_errno(int status, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "cu-x: warning: message\n" on stderr; counted, never fatal. */
void cu_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned long cu_warning_count(void);

/* The standard data error: FILE:LINE: field N (name): what: 'value'.
 * field is 1-based; 0 omits the field part; name may be NULL; value may be
 * NULL (omitted). The value is shown with control characters escaped and is
 * cut to a readable length. Exits with CU_EXIT_DATA. */
noreturn void cu_die_at(const char *file, unsigned long line, size_t field,
                        const char *name, const char *value, size_t value_len,
                        const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* cu_die_at's message as a counted warning ("cu-x: warning: FILE:LINE:
 * field N (name): what: 'value'"); never fatal. */
void cu_warn_at(const char *file, unsigned long line, size_t field,
                const char *name, const char *value, size_t value_len,
                const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* "cu-x: usage message\nTry 'cu-x --help' for more information.\n", exit 2. */
noreturn void cu_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Just "Try 'cu-x --help' for more information.\n" and exit 2: after a
 * message someone else printed, such as getopt's. */
noreturn void cu_try_help(void);

/* For in-process fuzzing only: hook(status) is called by every fatal error
 * above before it exits; a hook that longjmps back to the harness turns a
 * clean rejection of an input into a return. Tools never set it. */
void cu_set_fatal_hook(void (*hook)(int status));

/* Run fn(ctx) when the process exits, by exit() or a fatal error above
 * (the last registered first): for what must not outlive the run, such as
 * key material, without the tool keeping it in a file-scope variable. At
 * most 8 hooks; more is a fatal program error. */
void cu_at_exit(void (*fn)(void *ctx), void *ctx);

/* Allocation that never returns NULL: out of memory is fatal (exit 1). */
void *cu_xmalloc(size_t n);
void *cu_xcalloc(size_t n, size_t size);
void *cu_xrealloc(void *p, size_t n);
/* Grow an array of nmemb elements of size bytes to at least need elements,
 * doubling; *nmemb is updated. */
void *cu_xgrow(void *p, size_t *nmemb, size_t need, size_t size);
char *cu_xstrdup(const char *s);
/* Free v[0..n) and v (NULL: nothing). */
void cu_free_strings(char **v, size_t n);
/* Free each of the n pointers of p: a struct's arrays at the end of its
 * life, in one statement (cu_free_all). */
void cu_free_each(void *const *p, size_t n);
#define cu_free_all(...)                                                     \
    cu_free_each((void *const[]){__VA_ARGS__},                               \
                 sizeof((void *const[]){__VA_ARGS__}) / sizeof(void *))
char *cu_xstrndup(const char *s, size_t n);
/* printf into a fresh allocation. */
char *cu_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
