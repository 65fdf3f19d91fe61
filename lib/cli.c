/* Command-line pieces every tool shares. */
#include "config.h"

#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "writer.h"

void cu_init(const char *argv0, struct cu_common *common)
{
    cu_set_program_name(argv0);
    signal(SIGPIPE, SIG_DFL);
    common->out_format = CU_FMT_TSV;
    common->write_flags = 0;
    atexit(cu_close_stdout);
}

bool cu_common_option(int opt, struct cu_common *common, void (*usage)(void))
{
    switch (opt) {
    case CU_OPT_HELP:
        usage();
        exit(CU_EXIT_OK);
    case CU_OPT_VERSION:
        cu_print_version();
    case CU_OPT_TSV:
        common->out_format = CU_FMT_TSV;
        return true;
    case CU_OPT_JSONS:
        common->out_format = CU_FMT_JSONS;
        return true;
    case CU_OPT_CSV:
        common->out_format = CU_FMT_CSV;
        return true;
    case CU_OPT_LINE_BUFFERED:
        common->write_flags |= CU_WRITE_LINE_BUFFERED;
        return true;
    case CU_OPT_NO_TRAILERS:
        common->write_flags |= CU_WRITE_NO_TRAILERS;
        return true;
    default:
        return false;
    }
}

cu_time cu_time_option(const char *name, const char *arg)
{
    cu_time t;
    const char *why = NULL;
    switch (cu_time_parse(arg, strlen(arg), &t, &why)) {
    case CU_TIME_OK:
        return t;
    case CU_TIME_ZERO:
        cu_usage_error("--%s: a zero date is no time: '%s'", name, arg);
    default:
        cu_usage_error("--%s: %s: '%s'", name, why ? why : "invalid time",
                       arg);
    }
}

void cu_print_version(void)
{
    printf("%s (%s) %s\n"
           "Copyright (c) 2026 The cu authors.\n"
           "License MIT: the LICENSE file of the sources.\n"
           "This is free software: you are free to change and redistribute it.\n"
           "There is NO WARRANTY, to the extent permitted by law.\n",
           cu_program_name(), PACKAGE_NAME, PACKAGE_VERSION);
    exit(CU_EXIT_OK);
}
