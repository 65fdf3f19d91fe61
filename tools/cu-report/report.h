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

enum resource { R_NODES, R_VCPUS, R_MEMORY, R_DISK, R_INSTANCES, NRES };

enum period { P_DAY, P_WEEK, P_MONTH, P_QUARTER, P_YEAR, P_ALL };

struct options {
    cu_time start, end; /* CU_TIME_NULL: not given */
    enum period period;
    enum group_col by[NGROUP];
    size_t nby;
    bool states[NSTATE]; /* counted toward hours and resource-hours */
    enum report { REPORT_USAGE, REPORT_UTILISATION, REPORT_SESSIONS } report;
    bool resources[NRES]; /* utilisation: the resources written */
    bool total, check, text;
    const char *catalog_path;   /* --catalog */
    cu_intern *project_ids;     /* from the catalog: id -> project_names[] */
    char **project_names;
    struct cu_common common;
};

/* The span stream's columns the reports read (spans.c). */
enum span_col { SC_SITE, SC_KIND, SC_STATE, SC_ID, SC_START, SC_END, SC_HOST,
                SC_PROJECT, SC_USER, SC_FLAVOR, SC_BOOKING, SC_NODES,
                SC_VCPUS, SC_MEMORY, SC_DISK, SC_AUDIT, NSPANCOL };
extern const char *const span_col_name[NSPANCOL];
struct cu_reader;
/* After a CU_SECTION: the columns' indices (a missing one is fatal). */
void span_columns(struct cu_reader *r, size_t col[NSPANCOL]);
/* Does the row's audit count (ok, clipped, fallback, inferred)? An
 * unknown audit value is fatal. */
bool span_counts(const struct cu_reader *r, const size_t col[NSPANCOL]);
/* The row's instance state; an unknown one is fatal. */
int span_state(const struct cu_reader *r, const size_t col[NSPANCOL]);
/* start and end (CU_TIME_NULL: open) of the row, checked; *input_tmax
 * becomes the latest time seen. */
void span_times(const struct cu_reader *r, const size_t col[NSPANCOL],
                cu_time *s, cu_time *e, cu_time *input_tmax);
/* Clip [s, e) to the window (an open end becomes --end); false when
 * nothing is left. */
bool span_clip(const struct options *o, cu_time *s, cu_time *e);
/* The period holding t (P_ALL: one period, start 0), and the next one's
 * start. */
cu_time period_start(enum period p, cu_time t);
cu_time period_next(enum period p, cu_time start);

/* The group (the --by values) of the current row, interned in groups. */
uint32_t group_id(cu_intern *groups, const struct options *o,
                  const struct cu_reader *r, const size_t col[NSPANCOL]);
/* The group's value of --by column k (NULL for \N) and its length. */
const char *group_value(const cu_intern *groups, uint32_t group, size_t k,
                        size_t *len);

/* The catalog (--catalog: a cu-dump stream or archive): the names of
 * projects from keystone.project, kept in the options. */
void catalog_read(struct options *o);
void catalog_free(struct options *o);
/* Append the group columns' names to names (a project column is followed
 * by project_name when a catalog is given); returns how many. */
size_t group_column_names(const struct options *o, const char **names);
/* The cells of those columns for a group (or the total row, group NULL:
 * "(total)" and no names); returns how many. */
size_t group_cells(const cu_intern *groups, const struct options *o,
                   const uint32_t *group, const char **cell, size_t *len);

/* Groups a and b in the order rows are written: value by value, NULL
 * first, bytes compared. */
int compare_groups(const cu_intern *groups, size_t nby, uint32_t a,
                   uint32_t b);

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
    uint64_t nulls; /* sizes of counted spans that were \N */
};

void usage_read(struct usage *u, const struct options *o, char **paths,
                size_t n);
void usage_free(struct usage *u);

/* The utilisation report (utilisation.c): per site and period, the
 * integral of each class of each resource, value x microseconds, in units
 * of 10^-resource_digits. */
extern const char *const resource_name[NRES];
extern const int resource_digits[NRES];
enum util_class { U_TOTAL, U_RESERVABLE, U_COMMITTED, U_OCC_RES, U_OCC_OD,
                  NUCLASS };

struct util_acc {
    uint32_t slot;        /* id in util.slots: (period start, site) */
    cu_time pstart, pend;
    i128 integral[NRES][NUCLASS];
};

struct util {
    const struct options *o;
    cu_intern *slots;
    struct util_acc *acc;
    size_t nacc, acc_cap;
    cu_time tmin, tmax;
    i128 check[NRES][NUCLASS]; /* --check: each span once, unsplit */
};

void util_read(struct util *u, const struct options *o, char **paths,
               size_t n);
void util_free(struct util *u);
/* The site of an accumulator (NULL for \N) and its length. */
const char *util_site(const struct util *u, const struct util_acc *a,
                      size_t *len);

/* sessions.c: the whole sessions report, read and written. */
void sessions_report(const struct options *o, char **paths, size_t n);

/* table.c: a table's columns and where its rows go. */
enum { MAXCOLS = 20 }; /* the widest table: utilisation's 17 */
struct table {
    const char *names[MAXCOLS];
    bool numeric[MAXCOLS];
    size_t ncols;
};
struct text_table {
    char **cells; /* row-major, ncols a row; NULL for \N */
    size_t nrows, cap;
};
/* Where a report's rows go: a cu stream in the chosen format, or aligned
 * text (--text) once all rows are known. */
struct table_out {
    const struct table *t;
    struct cu_writer *w; /* NULL: text */
    struct text_table tt;
};
void table_out_begin(struct table_out *out, const struct table *t,
                     const struct options *o);
/* One row: ncols cells, NULL for \N. */
void table_out_row(struct table_out *out, const char *const *cell,
                   const size_t *len);
void table_out_end(struct table_out *out);

void write_usage(const struct usage *u, const struct options *o);
void write_utilisation(const struct util *u, const struct options *o);

#endif
