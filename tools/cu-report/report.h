/* cu-report: the parts of the tool, over one options struct (main.c),
 * the usage aggregation (usage.c) and the output of its table (table.c). */
#ifndef CU_REPORT_H
#define CU_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "cutime.h"
#include "decimal.h"
#include "intern.h"

typedef cu_i128 i128;

/* What --by can group on: span stream columns. */
enum group_col { G_SITE, G_PROJECT, G_USER, G_FLAVOR, G_HOST, G_INSTANCE,
                 G_BOOKING, NGROUP };
extern const char *const group_col_name[NGROUP];

/* Instance states, as the span stream writes them. */
enum state { ST_ACTIVE, ST_STOPPED, ST_ERROR, ST_SHELVED, NSTATE };
extern const char *const state_name[NSTATE];

enum period { P_DAY, P_WEEK, P_MONTH, P_QUARTER, P_YEAR, P_ALL };

struct options {
    cu_time start, end; /* CU_TIME_NULL: not given */
    enum period period;
    enum group_col by[NGROUP];
    size_t nby;
    bool states[NSTATE]; /* counted toward hours and resource-hours */
    bool total, check, text;
    struct cu_common common;
};

/* One row of the usage table: a group in a period. */
struct usage_acc {
    uint32_t group;           /* id in usage.groups */
    cu_time pstart, pend;     /* the period */
    uint64_t instances;       /* distinct instances with counted time */
    i128 usec[NSTATE];        /* instance-microseconds per state */
    i128 vcpu_usec, mem_usec, disk_usec; /* size x microseconds, counted */
};

struct usage {
    const struct options *o;
    cu_intern *groups;   /* the --by values of a group, encoded */
    cu_intern *slots;    /* (group, period start) -> accumulator */
    cu_intern *seen;     /* (slot, instance) pairs, for distinct counts */
    cu_intern *all_seen; /* instances, for the total row */
    struct usage_acc *acc;
    size_t nacc, acc_cap;
    cu_time tmin, tmax;  /* the counted time (period all, open spans) */
    /* the independent totals of --check */
    i128 check_usec[NSTATE], check_vcpu, check_mem, check_disk;
    uint64_t rows, counted, nulls;
};

void usage_read(struct usage *u, const struct options *o, char **paths,
                size_t n);
void usage_free(struct usage *u);
/* The group's value of --by column k (NULL for \N) and its length. */
const char *usage_group_value(const struct usage *u, uint32_t group,
                              size_t k, size_t *len);

/* table.c */
void write_usage(const struct usage *u, const struct options *o);

#endif
