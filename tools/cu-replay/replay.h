/* cu-replay: the parts of the tool over one options struct (main.c):
 * records read and selected (records.c), written at their due times
 * (pace.c), given to commands and workers (drive.c), or placed on a model
 * cloud (simulate.c). */
#ifndef CU_REPLAY_H
#define CU_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "cutime.h"
#include "stream.h"

enum placement { PLACE_BEST_FIT, PLACE_FIRST_FIT, PLACE_SPREAD };

struct options {
    const char *time_field; /* NULL: start_time, start, time, created_at */
    double speed;           /* trace seconds per wall second */
    double rate;            /* records per second (0: by the trace) */
    bool fast;
    bool paced;             /* --speed or --rate given */
    cu_time from, until;    /* CU_TIME_NULL: not given */
    int64_t limit;          /* 0: no limit */
    cu_duration duration;   /* months and usec 0: none */
    int64_t loop;           /* times through the trace (>= 1) */
    bool sort, stamp;
    const char *exec_cmd, *pipe_cmd, *route, *results;
    int64_t jobs;
    double progress;        /* seconds between summaries (0: none) */
    double slack_ms;        /* later than this is late */
    const char *hosts;      /* --simulate HOSTS */
    enum placement placement;
    struct cu_common common;
};

/* ---- records (records.c) ------------------------------------------------ */

/* A section of the input: its table and columns, and where its time is. */
struct section {
    char *table; /* NULL: unnamed */
    char **cols;
    size_t ncols;
    size_t time_col;
};

/* One record: its fields as read (copied when records are kept), its
 * trace time and where it came from. */
struct record {
    uint32_t section;
    cu_time t;
    cu_field *f; /* ncols of its section */
    const char *file;
    unsigned long line;
    bool tsv_raw; /* the fields' raw bytes are TSV, escaped as they go out */
};

struct records;
/* What the replay does with each selected record, in order; ctx is the
 * caller's. */
typedef void (*record_fn)(void *ctx, const struct records *rs,
                          const struct record *r, uint64_t seq);

/* Read, check the order (or sort), select (--from, --until, --duration,
 * --limit) and loop: each record goes to fn at its trace time (shifted by
 * the loop). Records stream through unless --sort or --loop keep them. */
void records_replay(const struct options *o, char **paths, size_t n,
                    record_fn fn, void *ctx);
const struct section *records_section(const struct records *rs, uint32_t i);

/* ---- pacing (pace.c) ---------------------------------------------------- */

/* The clock the replay keeps: due times on CLOCK_MONOTONIC from the first
 * record's, slept to with clock_nanosleep at absolute times. */
struct pacer {
    const struct options *o;
    bool started;
    cu_time t0;      /* trace time of the first record */
    int64_t w0_ns;   /* monotonic time it was due */
};
int64_t now_ns(void);
/* The due time (monotonic ns) of the seq-th record at trace time t. */
int64_t pacer_due(struct pacer *p, cu_time t, uint64_t seq);
/* Sleep until due (no sleep when it has passed or with --fast). */
void pacer_wait(const struct pacer *p, int64_t due);

/* Writing the records themselves (no --exec, --pipe, --simulate). */
void pace_records(const struct options *o, char **paths, size_t n);

/* ---- driving a system (drive.c) ----------------------------------------- */

void drive(const struct options *o, char **paths, size_t n);

/* ---- the simulator (simulate.c) ----------------------------------------- */

void simulate(const struct options *o, char **paths, size_t n);

/* ---- statistics (drive.c) ----------------------------------------------- */

struct stats {
    uint64_t records, ok, failed, late;
    uint64_t *latency_ns; /* one per record */
    size_t nlat, lat_cap;
    int64_t first_due_ns, last_due_ns, start_ns;
    cu_time first_t, last_t;
};
void stats_add(struct stats *s, int64_t latency_ns, bool ok, bool late);
/* The summary line(s) on stderr. */
void stats_print(const struct stats *s, const struct options *o, bool final);
void stats_free(struct stats *s);

#endif
