/* lib/error: message shapes, exit codes, checked allocation. */
#include "config.h"

#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "tap.h"

static void die_plain(void *arg)
{
    (void)arg;
    cu_die(CU_EXIT_DATA, "cannot open %s", "x.tsv");
}

static void die_errno(void *arg)
{
    (void)arg;
    cu_die_errno(CU_EXIT_DATA, 2, "cannot open %s", "x.tsv");
}

static void die_at_field(void *arg)
{
    (void)arg;
    cu_die_at("in.tsv", 12, 3, "start", "2023-02-29", 10, "bad time");
}

static void die_at_escaped(void *arg)
{
    (void)arg;
    cu_die_at("in.tsv", 1, 2, NULL, "a\tb\nc'\\\x01", 8, "bad value");
}

static void die_at_long_value(void *arg)
{
    char v[300];
    (void)arg;
    memset(v, 'x', sizeof v);
    cu_die_at("-", 5, 0, NULL, v, sizeof v, "too long");
}

static void die_at_no_line(void *arg)
{
    (void)arg;
    cu_die_at("in.tsv", 0, 0, NULL, NULL, 0, "truncated gzip");
}

static void usage_error(void *arg)
{
    (void)arg;
    cu_usage_error("unknown option '%s'", "--frobnicate");
}

static void warn_twice(void *arg)
{
    (void)arg;
    cu_warn("first");
    cu_warn("second %d", 2);
    exit((int)cu_warning_count());
}

static void warn_at_field(void *arg)
{
    (void)arg;
    cu_warn_at("in.tsv", 7, 2, "end", "0000-00-00", 10, "zero date");
    exit((int)cu_warning_count());
}

static void huge_alloc(void *arg)
{
    (void)arg;
    (void)cu_xmalloc(SIZE_MAX / 2);
}

static void program_name_from_path(void *arg)
{
    (void)arg;
    cu_set_program_name("/usr/local/bin/lt-cu-spans");
    cu_die(CU_EXIT_USAGE, "x");
}

static void say_hook(void *ctx)
{
    fprintf(stderr, "hook %s\n", (const char *)ctx);
}

static void exit_hooks_run(void *arg)
{
    (void)arg;
    cu_set_program_name("cu-test");
    cu_at_exit(say_hook, "a");
    cu_at_exit(say_hook, "b");
    cu_die(CU_EXIT_DATA, "fatal");
}

int main(void)
{
    plan(18);
    cu_set_program_name("cu-test");

    dies_with(die_plain, NULL, 1, "cu-test: cannot open x.tsv\n",
              "cu_die: program name, message, status");
    dies_with(die_errno, NULL, 1, "cu-test: cannot open x.tsv: No such file",
              "cu_die_errno appends strerror");
    dies_with(die_at_field, NULL, 1,
              "cu-test: in.tsv:12: field 3 (start): bad time: '2023-02-29'\n",
              "cu_die_at: file:line: field N (name): what: 'value'");
    dies_with(die_at_escaped, NULL, 1,
              "in.tsv:1: field 2: bad value: 'a\\tb\\nc\\'\\\\\\x01'",
              "cu_die_at escapes control bytes, quotes and backslashes");
    dies_with(die_at_long_value, NULL, 1, "'...",
              "cu_die_at cuts long values");
    dies_with(die_at_no_line, NULL, 1, "cu-test: in.tsv: truncated gzip\n",
              "cu_die_at without line or field");
    dies_with(usage_error, NULL, 2,
              "unknown option '--frobnicate'\nTry 'cu-test --help'",
              "cu_usage_error exits 2 with a hint");
    dies_with(warn_twice, NULL, 2, "cu-test: warning: second 2\n",
              "warnings are counted and never fatal");
    dies_with(warn_at_field, NULL, 1,
              "cu-test: warning: in.tsv:7: field 2 (end): zero date: "
              "'0000-00-00'\n",
              "cu_warn_at: cu_die_at's shape, counted, not fatal");
    dies_with(huge_alloc, NULL, 1, "out of memory",
              "allocation failure is fatal with a message");
    dies_with(program_name_from_path, NULL, 2, "cu-spans: x\n",
              "program name is the basename without libtool's lt-");

    dies_with(exit_hooks_run, NULL, 1, "cu-test: fatal\nhook b\nhook a\n",
              "cu_at_exit: hooks run at a fatal exit, the last first");

    size_t cap = 0;
    int *a = cu_xgrow(NULL, &cap, 100, sizeof *a);
    ok(cap >= 100, "cu_xgrow reaches the size asked for (%zu)", cap);
    a[99] = 7;
    size_t before = cap;
    a = cu_xgrow(a, &cap, 50, sizeof *a);
    ok(cap == before && a[99] == 7, "cu_xgrow keeps a large enough array");
    free(a);

    char *s = cu_xstrndup("abcdef", 3);
    is_str(s, "abc", "cu_xstrndup copies n bytes and terminates");
    free(s);
    s = cu_xstrdup("");
    is_str(s, "", "cu_xstrdup of the empty string");
    free(s);

    char **v = cu_xcalloc(3, sizeof *v);
    v[0] = cu_xstrdup("a");
    v[2] = cu_xstrdup("c"); /* v[1] NULL: free(NULL) */
    cu_free_strings(v, 3);
    cu_free_strings(NULL, 5);
    ok(true, "cu_free_strings frees each string and the array (the "
       "sanitizer build checks), and takes NULL");

    /* cu_free_all: what was in use before the blocks is in use after
       them (glibc's count; blocks too large for its thread cache, which
       counts as in use; the sanitizer build has its own allocator and
       checks leaks itself) */
    size_t in_use = mallinfo2().uordblks;
    char *b1 = cu_xmalloc(4000), *b2 = cu_xmalloc(8000), *b3 = NULL;
    size_t during = mallinfo2().uordblks;
    cu_free_all(b1, b2, b3);
    size_t after = mallinfo2().uordblks;
#if defined(__SANITIZE_ADDRESS__)
    (void)in_use, (void)during, (void)after; /* its own allocator */
    ok(true, "cu_free_all frees each pointer (the sanitizer checks)");
#else
    ok(during >= in_use + 12000 && after == in_use,
       "cu_free_all frees each pointer listed, NULL too (in use %zu, "
       "%zu with the blocks, %zu after)", in_use, during, after);
#endif
    return done_testing();
}
