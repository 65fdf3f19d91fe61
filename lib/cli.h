/* What every tool's command line shares: --help, --version, the output
 * format (--tsv, --jsons, --csv), --line-buffered, --no-trailers,
 * --compress, --stats, and the start-up every main() does. Tools number their own long-only options from
 * CU_OPT_TOOL_FIRST so they never collide with these. */
#ifndef CU_CLI_H
#define CU_CLI_H

#include <getopt.h>
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
    unsigned write_flags;      /* CU_WRITE_* for cu_writer_fdopen (with
                                  --compress's) */
    enum cu_compress compress; /* --compress, or NONE */
    bool compress_given;       /* (archives are zstd unless it was) */
    bool stats;                /* --stats */
};

/* Program name, SIGPIPE back to its default (a closed pipe ends us quietly,
 * whatever the parent ignored), cu_close_stdout() at exit. */
void cu_init(const char *argv0, struct cu_common *common);

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
