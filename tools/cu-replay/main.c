/* cu-replay: a trace in time. Parse options -> replay the records (write
 * them at their due times, run a command or feed a worker per record, or
 * place a span stream's instances on a model cloud) -> close. */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "replay.h"

static void usage(void)
{
    printf("Usage: %s [OPTION]... [FILE|-]...\n", cu_program_name());
    fputs(
        "Write the records of a cu stream each at its due time, run a command\n"
        "or feed a worker per record, or place a span stream's instances on a\n"
        "model cloud. With no FILE, or when FILE is -, read standard input.\n"
        "\n"
        "Pacing and selection:\n"
        "      --time-field NAME  the records' time (default: the first of\n"
        "                        start_time, start, time, created_at)\n"
        "      --speed X         trace seconds per second (default 1; 3600: an\n"
        "                        hour a second)\n"
        "      --rate N          N records a second, whatever their times\n"
        "      --fast            no waiting\n"
        "      --from T, --until T  trace time [T, T') only\n"
        "      --limit N         N records at most\n"
        "      --duration D      from the first record kept for D (90s, 15m, 2h,\n"
        "                        1d, 1mo)\n"
        "      --loop N          the trace N times, each shifted by its span\n"
        "      --sort            sort the input by time first (else a record\n"
        "                        earlier than the one before is an error)\n"
        "      --stamp           add replay_time and lag_ms columns\n"
        "Driving a system:\n"
        "      --exec CMD        run sh -c CMD per record (fields in CU_<NAME>,\n"
        "                        the record as a TSV line on its stdin)\n"
        "      --pipe CMD        feed records as lines to -j long-lived workers\n"
        "  -j, --jobs N          commands in flight, or workers (default 1)\n"
        "      --route FIELD     --pipe: one value of FIELD, one worker\n"
        "      --results FILE    a TSV row per record: seq due_time start_time\n"
        "                        end_time latency_ms late exit_status\n"
        "      --progress S      a summary on stderr every S seconds\n"
        "      --slack MS        later than this is late (default 10)\n"
        "Simulating a cloud:\n"
        "      --simulate HOSTS  place the instances of a span stream on the\n"
        "                        hosts of HOSTS (TSV host vcpus memory_mb disk_gb\n"
        "                        count) and write the simulated span stream\n"
        "      --placement P     best-fit (by vCPUs, the default), first-fit,\n"
        "                        spread\n"
        CU_COMMON_OPTIONS_HELP
        "\n"
        "Exit status: 0 ok, 1 bad input or a command or worker that failed,\n"
        "2 usage error.\n",
        stdout);
}

/* --speed, --rate, --progress: a positive number (not money: a pace). */
static void take_positive(void *options, const struct cu_option *row,
                          const char *arg)
{
    char *end;
    double v = strtod(arg, &end);
    if (!*arg || *end || !(v > 0) || !isfinite(v))
        cu_usage_error("--%s: '%s' is not a positive number", row->name, arg);
    *(double *)cu_option_field(options, row) = v;
}

static void take_slack(void *options, const struct cu_option *row,
                       const char *arg)
{
    char *end;
    double v = strtod(arg, &end);
    if (!*arg || *end || !(v >= 0) || !isfinite(v))
        cu_usage_error("--%s: '%s' is not a number of ms", row->name, arg);
    *(double *)cu_option_field(options, row) = v;
}

static const struct cu_option option_table[] = {
    {CU_OPT("time-field", CU_ARG_STRING, time_field)},
    {CU_OPT("speed", CU_ARG_CALL, speed), .call = take_positive,
     .given = CU_OPT_GIVEN(paced)},
    {CU_OPT("rate", CU_ARG_CALL, rate), .call = take_positive,
     .given = CU_OPT_GIVEN(paced)},
    {CU_OPT("fast", CU_ARG_FLAG, fast)},
    {CU_OPT("from", CU_ARG_TIME, from)},
    {CU_OPT("until", CU_ARG_TIME, until)},
    {CU_OPT("limit", CU_ARG_COUNT, limit), .min = 1, .max = INT64_MAX},
    {CU_OPT("duration", CU_ARG_DURATION, duration)},
    {CU_OPT("loop", CU_ARG_COUNT, loop), .min = 1, .max = 1000000},
    {CU_OPT("sort", CU_ARG_FLAG, sort)},
    {CU_OPT("stamp", CU_ARG_FLAG, stamp)},
    {CU_OPT("exec", CU_ARG_STRING, exec_cmd)},
    {CU_OPT("pipe", CU_ARG_STRING, pipe_cmd)},
    {CU_OPT("jobs", CU_ARG_COUNT, jobs), .letter = 'j', .min = 1, .max = 1024},
    {CU_OPT("route", CU_ARG_STRING, route)},
    {CU_OPT("results", CU_ARG_STRING, results)},
    {CU_OPT("progress", CU_ARG_CALL, progress), .call = take_positive},
    {CU_OPT("slack", CU_ARG_CALL, slack_ms), .call = take_slack},
    {CU_OPT("simulate", CU_ARG_STRING, hosts)},
    {CU_OPT("placement", CU_ARG_CHOICE, placement),
     .choices =
         CU_CHOICES({"best-fit", PLACE_BEST_FIT},
                    {"first-fit", PLACE_FIRST_FIT}, {"spread", PLACE_SPREAD})},
};

static void parse_options(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    cu_init(argv[0], &o->common);
    o->speed = 1;
    o->from = o->until = CU_TIME_NULL;
    o->loop = 1;
    o->jobs = 1;
    o->slack_ms = 10;
    cu_parse_options(argc, argv, option_table,
                     sizeof option_table / sizeof *option_table, o,
                     &o->common, usage);
    if (o->exec_cmd && o->pipe_cmd)
        cu_usage_error("--exec or --pipe, not both");
    if ((o->fast && o->paced) || (o->rate > 0 && o->speed != 1))
        cu_usage_error("one of --speed, --rate and --fast");
    if (o->route && !o->pipe_cmd)
        cu_usage_error("--route sends records to --pipe workers");
    if ((o->results || o->jobs != 1) && !o->exec_cmd && !o->pipe_cmd)
        cu_usage_error("--results and -j apply to --exec and --pipe");
    if (o->hosts && (o->exec_cmd || o->pipe_cmd || o->stamp || o->loop > 1))
        cu_usage_error("--simulate reads spans and writes spans: no --exec, "
                       "--pipe, --stamp or --loop");
    if (o->stamp && (o->exec_cmd || o->pipe_cmd))
        cu_usage_error("--stamp marks the records written: not with --exec "
                       "or --pipe (see --results)");
    if (o->from != CU_TIME_NULL && o->until != CU_TIME_NULL &&
        o->until <= o->from)
        cu_usage_error("--until must be later than --from");
}

int main(int argc, char **argv)
{
    struct options o;
    parse_options(argc, argv, &o);
    char **files = argv + optind;
    size_t nfiles = (size_t)(argc - optind);
    if (o.hosts)
        simulate(&o, files, nfiles);
    else if (o.exec_cmd || o.pipe_cmd)
        drive(&o, files, nfiles);
    else
        pace_records(&o, files, nfiles);
    return CU_EXIT_OK;
}
