/* lib/cli: a table of options parsed into a struct (every kind, the given
 * flags, short letters, the common options, operands), and the usage
 * errors a bad argument gets (exit 2, the option named). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "tap.h"

enum colour { RED, GREEN, BLUE };
static const char *const fruit[] = {"apple", "pear", "plum"};

struct opts {
    bool flag, flag_given;
    const char *str;
    struct cu_args list;
    cu_time t;
    cu_duration d;
    int64_t count;
    enum colour colour;
    bool fruit[3], fruit_given;
    int set;
    int calls;
    const char *called_with;
};

static void take_call(void *options, const struct cu_option *row,
                      const char *arg)
{
    struct opts *o = options;
    o->calls++;
    o->called_with = arg ? arg : row->name;
}

static const struct cu_choice colours[] = {
    {"red", RED}, {"green", GREEN}, {"blue", BLUE}, {"crimson", RED},
    {NULL, 0}};

#define OPTION(name, kind, field) CU_OPTION(struct opts, name, kind, field)

static const struct cu_option table[] = {
    {OPTION("flag", CU_ARG_FLAG, flag), .letter = 'f',
     .given = CU_GIVEN(struct opts, flag_given)},
    {OPTION("str", CU_ARG_STRING, str), .letter = 's'},
    {OPTION("list", CU_ARG_LIST, list)},
    {OPTION("time", CU_ARG_TIME, t)},
    {OPTION("every", CU_ARG_DURATION, d)},
    {OPTION("count", CU_ARG_COUNT, count), .letter = 'j', .min = 1,
     .max = 8},
    {OPTION("colour", CU_ARG_CHOICE, colour), .choices = colours},
    {OPTION("fruit", CU_ARG_NAMES, fruit), .names = fruit, .max = 3,
     .given = CU_GIVEN(struct opts, fruit_given)},
    {OPTION("loud", CU_ARG_SET, set), .min = 2},
    {OPTION("quiet", CU_ARG_SET, set), .min = -1},
    {.name = "call", .arg = CU_ARG_CALL, .call = take_call, .optional = true},
    {.name = "ping", .arg = CU_ARG_CALL, .call = take_call, .no_arg = true},
    {OPTION("size", CU_ARG_COUNT, count), .max = 64,
     .bad = "want 0 to 64 bytes, not '%s'"},
};

static void no_usage(void) { puts("usage"); }

static void parse(char **argv, struct opts *o, struct cu_common *common)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    memset(o, 0, sizeof *o);
    memset(common, 0, sizeof *common);
    optind = 0; /* GNU getopt: start afresh */
    cu_parse_options(argc, argv, table, sizeof table / sizeof *table, o,
                     common, no_usage);
}

static void parse_in_child(void *arg)
{
    struct opts o;
    struct cu_common common;
    parse(arg, &o, &common);
    exit(0);
}

int main(void)
{
    struct opts o;
    struct cu_common common;
    plan(26);
    cu_set_program_name("test-cli");

    char *all[] = {"prog",         "--flag",      "-s",
                   "text",         "in1",         "--list=a",
                   "--list",       "b",           "--time",
                   "2024-03-01",   "--every=1h",  "-j3",
                   "--colour",     "crimson",     "--fruit=plum,apple",
                   "--fruit=plum", "--loud",      "--quiet",
                   "--call",       "--call=x",    "--ping",
                   "--csv",        "in2",         NULL};
    parse(all, &o, &common);
    ok(o.flag && o.flag_given, "a flag is set, and its given flag too");
    is_str(o.str, "text", "a short option's separate argument");
    ok(o.list.n == 2 && !strcmp(o.list.v[0], "a") && !strcmp(o.list.v[1], "b"),
       "a list keeps a repeated option's arguments in order");
    free(o.list.v);
    is_int(o.t, 1709251200LL * 1000000, "a time, as cu_time_parse reads it");
    ok(o.d.usec == 3600LL * 1000000 && o.d.months == 0,
       "a duration, as cu_duration_parse reads it");
    is_int(o.count, 3, "a count from an attached short argument (-j3)");
    is_int(o.colour, RED, "a choice's value, by another name of it");
    ok(o.fruit[0] && !o.fruit[1] && o.fruit[2] && o.fruit_given,
       "a name set: each name of each occurrence marked, once");
    is_int(o.set, -1, "the last of two options setting one field wins");
    ok(o.calls == 3 && !strcmp(o.called_with, "ping"),
       "a call, with and without its optional argument, and one that takes "
       "none");
    ok(common.out_format == CU_FMT_CSV && common.format_given,
       "a common option (--csv) lands in the common struct");
    ok(optind == 21 && !strcmp(all[optind], "in1") &&
           !strcmp(all[optind + 1], "in2"),
       "the operands are left after the options, in order");

    char *none[] = {"prog", NULL};
    parse(none, &o, &common);
    ok(!o.flag_given && !o.fruit_given && o.str == NULL && o.list.n == 0,
       "nothing given: nothing set, no given flags");

    static const struct {
        const char *args[2];
        const char *message, *name;
    } bad[] = {
        {{"-j", "0"},
         "test-cli: --count: '0' is not a whole number from 1 to 8",
         "a count below its range"},
        {{"--count=3x"},
         "--count: '3x' is not a whole number from 1 to 8",
         "a count with trailing text"},
        {{"--count=99999999999999999999"},
         "is not a whole number from 1 to 8",
         "a count past int64"},
        {{"--size=65"},
         "test-cli: --size: want 0 to 64 bytes, not '65'",
         "a row's own words for a bad argument"},
        {{"--colour=mauve"},
         "--colour: 'mauve' is not red, green, blue or crimson",
         "an unknown choice lists the names"},
        {{"--fruit=apple,kiwi"},
         "--fruit: unknown name 'kiwi'",
         "an unknown name in a set is named"},
        {{"--fruit=apple,"},
         "--fruit: unknown name ''",
         "an empty name in a set is refused"},
        {{"--time=yesterday"}, "--time: ", "a bad time names its option"},
        {{"--every=1.5h"}, "--every: ", "a bad duration names its option"},
        {{"--nonesuch"}, "Try 'test-cli --help'", "an unknown option"},
        {{"--str"}, "Try 'test-cli --help'", "an option without its argument"},
        {{"--ping=1"},
         "Try 'test-cli --help'",
         "an argument to an option that takes none"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *argv[] = {"prog", (char *)bad[i].args[0], (char *)bad[i].args[1],
                        NULL};
        dies_with(parse_in_child, argv, CU_EXIT_USAGE, bad[i].message,
                  bad[i].name);
    }
    char *help[] = {"prog", "--help", NULL};
    struct child_result r = run_child(parse_in_child, help);
    ok(r.status == 0 && !strcmp(r.out, "usage\n"),
       "--help calls the tool's usage and exits 0");
    child_result_free(&r);
    return done_testing();
}
