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

enum {
    OPT_TIME_FIELD = CU_OPT_TOOL_FIRST,
    OPT_SPEED,
    OPT_RATE,
    OPT_FAST,
    OPT_FROM,
    OPT_UNTIL,
    OPT_LIMIT,
    OPT_DURATION,
    OPT_LOOP,
    OPT_SORT,
    OPT_STAMP,
    OPT_EXEC,
    OPT_PIPE,
    OPT_ROUTE,
    OPT_RESULTS,
    OPT_PROGRESS,
    OPT_SLACK,
    OPT_SIMULATE,
    OPT_PLACEMENT,
};

static double positive(const char *option, const char *arg)
{
    char *end;
    double v = strtod(arg, &end);
    if (!*arg || *end || !(v > 0) || !isfinite(v))
        cu_usage_error("--%s: '%s' is not a positive number", option, arg);
    return v;
}

static int64_t count(const char *option, const char *arg, int64_t max)
{
    char *end;
    long long v = strtoll(arg, &end, 10);
    if (!*arg || *end || v < 1 || v > max)
        cu_usage_error("--%s: '%s' is not a whole number from 1 to %lld",
                       option, arg, (long long)max);
    return v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"time-field", required_argument, NULL, OPT_TIME_FIELD},
        {"speed", required_argument, NULL, OPT_SPEED},
        {"rate", required_argument, NULL, OPT_RATE},
        {"fast", no_argument, NULL, OPT_FAST},
        {"from", required_argument, NULL, OPT_FROM},
        {"until", required_argument, NULL, OPT_UNTIL},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"duration", required_argument, NULL, OPT_DURATION},
        {"loop", required_argument, NULL, OPT_LOOP},
        {"sort", no_argument, NULL, OPT_SORT},
        {"stamp", no_argument, NULL, OPT_STAMP},
        {"exec", required_argument, NULL, OPT_EXEC},
        {"pipe", required_argument, NULL, OPT_PIPE},
        {"jobs", required_argument, NULL, 'j'},
        {"route", required_argument, NULL, OPT_ROUTE},
        {"results", required_argument, NULL, OPT_RESULTS},
        {"progress", required_argument, NULL, OPT_PROGRESS},
        {"slack", required_argument, NULL, OPT_SLACK},
        {"simulate", required_argument, NULL, OPT_SIMULATE},
        {"placement", required_argument, NULL, OPT_PLACEMENT},
        CU_COMMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    cu_init(argv[0], &o->common);
    o->speed = 1;
    o->from = o->until = CU_TIME_NULL;
    o->loop = 1;
    o->jobs = 1;
    o->slack_ms = 10;
    bool paced = false;
    int c;
    while ((c = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
        if (cu_common_option(c, &o->common, usage))
            continue;
        switch (c) {
        case OPT_TIME_FIELD: o->time_field = optarg; break;
        case OPT_SPEED: o->speed = positive("speed", optarg); paced = true; break;
        case OPT_RATE: o->rate = positive("rate", optarg); paced = true; break;
        case OPT_FAST: o->fast = true; break;
        case OPT_FROM: o->from = cu_time_option("from", optarg); break;
        case OPT_UNTIL: o->until = cu_time_option("until", optarg); break;
        case OPT_LIMIT: o->limit = (uint64_t)count("limit", optarg, INT64_MAX); break;
        case OPT_DURATION: {
            const char *why;
            if (cu_duration_parse(optarg, &o->duration, &why) != 0)
                cu_usage_error("--duration: '%s': %s", optarg, why);
            break;
        }
        case OPT_LOOP: o->loop = count("loop", optarg, 1000000); break;
        case OPT_SORT: o->sort = true; break;
        case OPT_STAMP: o->stamp = true; break;
        case OPT_EXEC: o->exec_cmd = optarg; break;
        case OPT_PIPE: o->pipe_cmd = optarg; break;
        case 'j': o->jobs = (int)count("jobs", optarg, 1024); break;
        case OPT_ROUTE: o->route = optarg; break;
        case OPT_RESULTS: o->results = optarg; break;
        case OPT_PROGRESS: o->progress = positive("progress", optarg); break;
        case OPT_SLACK: {
            char *end;
            o->slack_ms = strtod(optarg, &end);
            if (!*optarg || *end || o->slack_ms < 0)
                cu_usage_error("--slack: '%s' is not a number of ms", optarg);
            break;
        }
        case OPT_SIMULATE: o->hosts = optarg; break;
        case OPT_PLACEMENT:
            if (strcmp(optarg, "best-fit") == 0)
                o->placement = PLACE_BEST_FIT;
            else if (strcmp(optarg, "first-fit") == 0)
                o->placement = PLACE_FIRST_FIT;
            else if (strcmp(optarg, "spread") == 0)
                o->placement = PLACE_SPREAD;
            else
                cu_usage_error("--placement: '%s' is not best-fit, first-fit "
                               "or spread", optarg);
            break;
        default: cu_try_help();
        }
    }
    if (o->exec_cmd && o->pipe_cmd)
        cu_usage_error("--exec or --pipe, not both");
    if ((o->fast && paced) || (o->rate > 0 && o->speed != 1))
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
