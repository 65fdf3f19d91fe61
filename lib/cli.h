/* What every tool's command line shares: its options as a table parsed by
 * cu_parse_options, the common options (--help, --version, the output
 * format --tsv, --jsons, --csv, --line-buffered, --no-trailers,
 * --compress, --stats), and the start-up every main() does. A table's
 * long-only options are numbered from CU_OPT_TOOL_FIRST, so they never
 * collide with the common ones. */
#ifndef CU_CLI_H
#define CU_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "compress.h"
#include "cutime.h"
#include "stream.h"

enum cu_common_opt {
    CU_OPT_HELP = 0x1000,
    CU_OPT_VERSION,
    CU_OPT_TSV,
    CU_OPT_JSONS,
    CU_OPT_CSV,
    CU_OPT_LINE_BUFFERED,
    CU_OPT_NO_TRAILERS,
    CU_OPT_COMPRESS,
    CU_OPT_STATS,
    CU_OPT_TOOL_FIRST = 0x1100,
};

/* Put these in a tool's struct option array (before its terminator). */
#define CU_COMMON_LONG_OPTIONS                                   \
    {"help", no_argument, NULL, CU_OPT_HELP},                    \
    {"version", no_argument, NULL, CU_OPT_VERSION},              \
    {"tsv", no_argument, NULL, CU_OPT_TSV},                      \
    {"jsons", no_argument, NULL, CU_OPT_JSONS},                  \
    {"csv", no_argument, NULL, CU_OPT_CSV},                      \
    {"line-buffered", no_argument, NULL, CU_OPT_LINE_BUFFERED},           \
    {"no-trailers", no_argument, NULL, CU_OPT_NO_TRAILERS},              \
    {"compress", required_argument, NULL, CU_OPT_COMPRESS},              \
    {"stats", no_argument, NULL, CU_OPT_STATS}

/* --help's sentence on the times options take (cu_time_option). */
#define CU_TIME_HELP                                                          \
    "T is RFC 3339 (2024-03-01T00:00:00Z), a MySQL DATETIME or a date.\n"

/* Text for --help describing the options above. */
#define CU_COMMON_OPTIONS_HELP                                                \
    "      --tsv             write TSV (the default)\n"                        \
    "      --jsons           write JSONS, one JSON object per line\n"          \
    "      --csv             write CSV (RFC 4180)\n"                           \
    "      --line-buffered   flush output after every row\n"                   \
    "      --no-trailers     no #cu, #end and #eof lines (plain TSV for tools\n" \
    "                        that cannot skip them; a cut is then unseen)\n"  \
    "      --compress=KIND   compress what is written: zstd, gzip or none\n"  \
    "                        (default: none on standard output)\n"           \
    "      --stats           say on stderr what was done, ending with the\n"  \
    "                        line 'PROG: stats: wrote rows=R bytes=B\n"       \
    "                        stored=S seconds=W cpu=C to=NAME'\n"            \
    "      --help            display this help and exit\n"                     \
    "      --version         output version information and exit\n"

struct cu_common {
    enum cu_format out_format; /* CU_FMT_TSV unless asked otherwise */
    bool format_given;         /* --tsv, --jsons or --csv was given */
    unsigned write_flags;      /* CU_WRITE_* for cu_writer_fdopen (with
                                  --compress's) */
    enum cu_compress compress; /* --compress, or NONE */
    bool compress_given;       /* (archives are zstd unless it was) */
    bool stats;                /* --stats */
};

/* Program name, SIGPIPE back to its default (a closed pipe ends us quietly,
 * whatever the parent ignored), cu_close_stdout() at exit. */
void cu_init(const char *argv0, struct cu_common *common);

/* A tool's options as a table: each row says what the option stores
 * where in the tool's options struct, and cu_parse_options does the
 * getopt loop, the checking and the messages every tool would otherwise
 * write again. What a table cannot say (options that exclude each other,
 * defaults that depend on others) stays in the tool, after the parse. */
enum cu_arg {
    CU_ARG_FLAG,     /* no argument: the bool at .at becomes true */
    CU_ARG_SET,      /* no argument: the int at .at becomes .min */
    CU_ARG_STRING,   /* the const char * at .at is the argument */
    CU_ARG_LIST,     /* the struct cu_args at .at gets the argument
                        (the option may be repeated) */
    CU_ARG_TIME,     /* the cu_time at .at (cu_time_option) */
    CU_ARG_DURATION, /* the cu_duration at .at (cu_duration_parse) */
    CU_ARG_COUNT,    /* the int64_t at .at: a whole number in .min..max */
    CU_ARG_CHOICE,   /* the int (or enum) at .at: the value of the
                        argument's name in .choices */
    CU_ARG_NAMES,    /* the bool array at .at: each comma-separated name
                        of the argument marks its index in .names (of
                        .max names); a repeated option adds to the set */
    CU_ARG_CALL,     /* .call(options, row, argument) does it all (the
                        row's field: cu_option_field) */
};

/* One name of a CU_ARG_CHOICE; a list ends with a NULL name. */
struct cu_choice {
    const char *name;
    int value;
};
/* A choice list in the option's row: .choices = CU_CHOICES({"day", P_DAY},
 * {"week", P_WEEK}) (a compound literal: static at file scope). */
#define CU_CHOICES(...)                                                     \
    ((const struct cu_choice[]){__VA_ARGS__, {NULL, 0}})

/* The arguments of a repeatable option, in the order given. */
struct cu_args {
    const char **v;
    size_t n;
};

struct cu_option {
    const char *name; /* the long name, without "--" */
    char letter;      /* the short option, or 0 */
    enum cu_arg arg;
    size_t at;        /* the field's offset (CU_OPTION, CU_OPT) */
    int64_t min, max; /* CU_ARG_COUNT's range; CU_ARG_SET's value */
    const struct cu_choice *choices;             /* CU_ARG_CHOICE */
    const char *const *names;                    /* CU_ARG_NAMES */
    void (*call)(void *options, const struct cu_option *o, const char *arg);
    bool optional;    /* CU_ARG_CALL: the argument may be absent (NULL) */
    bool no_arg;      /* CU_ARG_CALL: the option takes no argument */
    size_t given;     /* CU_GIVEN(struct options, flag): a bool set when
                         the option is given; 0 for none */
    const char *bad;  /* the usage error for a bad argument, one %s for
                         it; NULL for the general one */
};

/* A row's start: {CU_OPTION(struct options, "start", CU_ARG_TIME, start),
 * .given = ...}. Rows name their fields (designated initializers). */
#define CU_OPTION(type, long_name, kind, field)                              \
    .name = (long_name), .arg = (kind), .at = offsetof(type, field)
/* Offset plus one, so that 0 can mean "no flag". */
#define CU_GIVEN(type, field) (offsetof(type, field) + 1)
/* The same for a tool's struct options (every tool names it so). */
#define CU_OPT(long_name, kind, field)                                       \
    CU_OPTION(struct options, long_name, kind, field)
#define CU_OPT_GIVEN(field) CU_GIVEN(struct options, field)

/* Where row o's field is in the options struct. */
static inline void *cu_option_field(void *options, const struct cu_option *o)
{
    return (char *)options + o->at;
}

/* The index of name[0..len) in row o's .names (of .max), for a
 * CU_ARG_CALL that reads names its own way; an unknown one is the row's
 * usage error ("--NAME: unknown name 'X'", or its .bad). */
size_t cu_option_name(const struct cu_option *o, const char *name,
                      size_t len);

/* Parse argv by the n options of table into options (a tool's struct)
 * and common (the options every tool has, handled as by
 * cu_common_option), leaving optind at the first operand. An unknown
 * option or a bad argument is a usage error naming the option. */
void cu_parse_options(int argc, char **argv, const struct cu_option *table,
                      size_t n, void *options, struct cu_common *common,
                      void (*usage)(void));

/* Handle opt if it is a common option: returns true when consumed. --help
 * calls usage(), which prints the tool's help, and exits 0; --version
 * prints and exits. (An unknown option is the tool's getopt default case:
 * cu_try_help().) */
bool cu_common_option(int opt, struct cu_common *common, void (*usage)(void));

/* The time given to option --name: RFC 3339, a MySQL DATETIME or a date
 * (cu_time_parse). Anything else, a zero date included, is a usage error
 * "--name: what is wrong: 'arg'". */
cu_time cu_time_option(const char *name, const char *arg);

/* --stats's last line, the same in every tool, for scripts (cu-pipeline
 * logs it): "PROG: stats: wrote rows=R bytes=B stored=S seconds=W cpu=C
 * to=NAME" with the data rows and bytes written (uncompressed), the bytes
 * stored (compressed, as they went to the file), the wall-clock and CPU
 * seconds since cu_init, and the output's name last (it may hold spaces). */
void cu_stats_wrote(const char *to, uint64_t rows, uint64_t bytes,
                    uint64_t stored);

/* cu_writer_close, then --stats's line for it when common->stats. */
struct cu_writer;
void cu_close_output(struct cu_writer *w, const struct cu_common *common);

/* "cu-x (cu) VERSION" and exit 0. */
void cu_print_version(void) __attribute__((__noreturn__));

#endif
