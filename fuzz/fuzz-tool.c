/* libFuzzer target: a whole filter (its main, compiled in with
 * -Dmain=cu_tool_main and the tool's options in FUZZ_ARGS) reading one
 * input on standard input, in a child process: the tools keep their state
 * in process-wide variables and end by exit(), so each input gets a fresh
 * process. The child's crash, sanitizer report (abort_on_error) or an exit
 * status other than 0, 1 or 2 is a finding. Coverage of the child does not
 * reach libFuzzer: this target mutates its seed corpus blindly; the reader
 * targets are the guided ones. */
#include "config.h"

/* The tool's main is renamed by -Dmain=cu_tool_main; this file's is not. */
#undef main

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "writer.h"

#include "harness.h"

int cu_tool_main(int argc, char **argv);

/* Sanitizer reports end the child by SIGABRT, which the parent can tell
 * from the tool's own exit status 1. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "abort_on_error=1"; }
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:abort_on_error=1:print_stacktrace=1";
}

/* Under libFuzzer, whose own exit handler calls an exit() of the target a
 * finding, the child leaves by _exit (and without a leak check: forked
 * from the fuzzer's threads, LeakSanitizer cannot stop them and reports
 * false leaks). The replay build leaves by exit(), so its children get
 * the leak check of an ASan build. */
static void child_exit(int status)
{
#ifdef FUZZ_LIBFUZZER
    fflush(NULL);
    _exit(status);
#else
    exit(status);
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_file(data, size);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        int in = open(path, O_RDONLY), nul = open("/dev/null", O_WRONLY);
        if (in < 0 || nul < 0)
            _exit(125);
        dup2(in, STDIN_FILENO);
        dup2(nul, STDOUT_FILENO);
        if (!getenv("CU_FUZZ_VERBOSE"))
            dup2(nul, STDERR_FILENO);
        char *argv[] = {FUZZ_ARGS, NULL};
        cu_set_fatal_hook(child_exit);
        int rc = cu_tool_main((int)(sizeof argv / sizeof *argv) - 1, argv);
        cu_close_stdout();
        child_exit(rc);
    }
    int st;
    pid_t got;
    while ((got = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ; /* libFuzzer's -timeout alarm */
    if (got != pid)
        abort();
    if (WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) > 2)) {
        fprintf(stderr, "cu-fuzz: %s: %s %d\n", FUZZ_NAME,
                WIFSIGNALED(st) ? "killed by signal" : "exit status",
                WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
        abort();
    }
    return 0;
}
