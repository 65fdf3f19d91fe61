/* A small TAP producer for the unit tests, with a helper that runs code in
 * a child process to test the fatal error paths (exit status and message). */
#ifndef CU_TAP_H
#define CU_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void plan(int n);                 /* 1..n; 0 = count at done_testing() */
int done_testing(void);           /* prints plan if needed; exit status */
bool ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void skip(const char *why);

bool is_str(const char *got, const char *expected, const char *name);
bool is_mem(const void *got, size_t got_len, const void *exp, size_t exp_len,
            const char *name);
bool is_int(int64_t got, int64_t expected, const char *name);
bool is_double(double got, double expected, double tolerance,
               const char *name);

/* Run fn(arg) in a child with stdout and stderr captured. The child's exit
 * status (128 + signal if killed) and what it wrote are returned; the
 * returned strings are malloc'ed (free them), NUL-terminated. */
struct child_result {
    int status;
    char *out;
    char *err;
};
struct child_result run_child(void (*fn)(void *), void *arg);
void child_result_free(struct child_result *r);

/* The common case: fn must exit with status and its stderr must contain
 * err_substring. */
bool dies_with(void (*fn)(void *), void *arg, int status,
               const char *err_substring, const char *name);

/* Write data to a fresh temporary file; returns its malloc'ed path. The file
 * is removed by tmpfile_cleanup() (registered atexit on first use). */
char *tmpfile_with(const void *data, size_t len, const char *suffix);
/* gzip-compress data into a fresh temporary file (zlib). */
char *tmpfile_gz(const void *data, size_t len);
char *tmpdir_make(void);

#endif
