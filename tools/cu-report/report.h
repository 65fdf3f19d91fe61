/* cu-report: the parts of the tool, over one options struct (main.c),
 * the usage aggregation (usage.c) and the output of its table (table.c). */
#ifndef CU_REPORT_H
#define CU_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "cli.h"
#include "plot.h"
#include "cutime.h"
#include "decimal.h"
#include "intern.h"

typedef cu_i128 i128;

/* What --by can group on: the span stream's text columns (the first
 * NTEXT, in the order of enum span_text), then an institution (from
 * --institutions). */
enum group_col { G_SITE, G_PROJECT, G_USER, G_FLAVOR, G_HOST, G_INSTANCE,
                 G_BOOKING, G_INSTITUTION, NGROUP };
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
    enum report { REPORT_USAGE, REPORT_UTILISATION, REPORT_SESSIONS,
                  REPORT_INVOICE, REPORT_OVERVIEW } report;
    bool resources[NRES]; /* utilisation: the resources written */
    bool total, check, text, tree, bill_stopped;
    enum rounding { ROUND_CEIL, ROUND_NONE } rounding; /* --rounding */
    bool html;          /* --html */
    const char *output; /* -o: the --html page's file */
    bool period_given, states_given, resources_given, rounding_given;
    const char *catalog_path;      /* --catalog */
    const char *institutions_path; /* --institutions */
    const char *rates_path;        /* --rates */
    const char *outages_path;      /* --outages */
    struct catalog *catalog;           /* NULL: no --catalog */
    struct institutions *institutions; /* NULL: no --institutions */
    struct rates *rates;               /* NULL: no --rates */
    struct outages *outages;           /* NULL: no --outages */
    struct doc *doc;       /* --html, --pdf, --png: tables go here */
    const char *html_path; /* --html: - for stdout, or -o FILE */
    const char *pdf_path, *png_path;
    struct cu_common common;
};

/* The span stream's columns the reports read (spans.c): its text columns
 * first, in the order of enum group_col. */
enum span_col { SC_SITE, SC_KIND, SC_STATE, SC_ID, SC_START, SC_END, SC_HOST,
                SC_PROJECT, SC_USER, SC_FLAVOR, SC_BOOKING, SC_NODES,
                SC_VCPUS, SC_MEMORY, SC_DISK, SC_AUDIT, NSPANCOL };
extern const char *const span_col_name[NSPANCOL];
struct cu_reader;
struct catalog;
struct institutions;
struct rates;
struct outages;
/* After a CU_SECTION: the columns' indices (a missing one is fatal). */
void span_columns(struct cu_reader *r, size_t col[NSPANCOL]);
enum { NTEXT = G_INSTITUTION }; /* site, project, ... booking */
/* A text value of a span: s NULL for \N. */
struct text {
    const char *s;
    size_t len;
};
/* An instance span as the usage and invoice reports see it: counted,
 * clipped to the window, its text pointing into the row (or into a copy
 * for a span whose end was open). */
struct span {
    struct text text[NTEXT]; /* by enum group_col, up to G_BOOKING */
    enum state state;
    cu_time start, end;
    int64_t vcpus, memory_mb, disk_gb;
    /* The instance's run: the spans of one instance that come together
     * share a seq (from 1); in_order while every run so far came in
     * increasing (site, id) order, as cu-spans writes them, so that no
     * instance can come back. */
    uint64_t seq;
    bool in_order;
    void *memo; /* an open span's: what set_aside returned */
};
/* The text columns of the current row. */
void span_text(const struct cu_reader *r, const size_t col[NSPANCOL],
               struct text text[NTEXT]);
/* Read the instance spans of the input that count (the audit rule), in a
 * state of states[], clipped to the window; each goes to count(ctx, sp).
 * Spans still open end where the input ends (or at --end): they are
 * counted after the rest, and set_aside (if not NULL) is called when one
 * is read; what it returns comes back in sp->memo, and is freed. A size
 * that is \N counts as 0, with a warning. */
struct span_reader {
    void (*count)(void *ctx, const struct span *sp);
    void *(*set_aside)(void *ctx, const struct span *sp);
    void *ctx;
    bool containers; /* Zun containers' spans too (usage), not only
                        instances' (invoices bill instances) */
};
void spans_each(const struct options *o, char **paths, size_t n,
                const bool states[NSTATE], const struct span_reader *to);
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

/* The group (the --by values) of a span's text, interned in groups; an
 * institution column takes institution, a project column project when it
 * is not NULL (the tree's ancestors) or the span's own. */
uint32_t group_id(cu_intern *groups, const struct options *o,
                  const struct text text[NTEXT], const struct text *project,
                  const struct text *institution);
/* The group's value of --by column k (NULL for \N) and its length. */
const char *group_value(const cu_intern *groups, uint32_t group, size_t k,
                        size_t *len);

/* The catalog (catalog.c; --catalog: a cu-dump stream or archive): names
 * of projects (keystone.project) and users (keystone.local_user), the
 * project tree (parent_id), and the GPUs of flavors (nova_api flavor extra
 * specs pci_passthrough:alias and resources:VGPU), by flavor name. */
/* *out is set first, so that what is read stays reachable on an error. */
void catalog_read(struct catalog **out, const char *path);
void catalog_free(struct catalog *c);
/* A project's or user's name, or NULL. */
const char *catalog_project_name(const struct catalog *c, const char *id,
                                 size_t len);
const char *catalog_user_name(const struct catalog *c, const char *id,
                              size_t len);
/* The GPUs of a flavor, by name (0 when not known). */
int64_t catalog_flavor_gpus(const struct catalog *c, const char *name,
                            size_t len);
/* The project and its ancestors up to the top (a domain is not one), in
 * out[0..return): out[0] is the project itself; ids point into the
 * catalog (or are the project as given, for one it does not know). */
size_t catalog_lineage(const struct catalog *c, struct text project,
                       struct text **out, size_t *cap);
/* The project's path, root/child/grandchild, by name where known; the
 * caller frees it. */
char *catalog_path(const struct catalog *c, struct text project);

/* --institutions (institutions.c): TSV project institution share. */
void institutions_read(struct institutions **out, const char *path);
void institutions_free(struct institutions *in);
/* A project's institutions and their shares in hundredths of a percent
 * (summing to 10000); the project's own "unassigned" when it has none.
 * Returns how many. */
size_t institutions_of(const struct institutions *in, struct text project,
                       const struct text **names, const int64_t **shares);
/* The name of the institution with the largest share, or NULL. */
const char *institution_main(const struct institutions *in,
                             struct text project);

/* Append the group columns' names to names (a project column is followed
 * by project_name when a catalog is given and by path with --tree, a
 * user column by user_name); returns how many. */
size_t group_column_names(const struct options *o, const char **names);
/* The cells of those columns for a group (or the total row, group NULL:
 * "(total)" and no names); returns how many. *owned is a cell the caller
 * frees after use (the tree's path), or NULL. */
size_t group_cells(const cu_intern *groups, const struct options *o,
                   const uint32_t *group, const char **cell, size_t *len,
                   char **owned);

/* Which group and period an accumulator counts: its first member. */
struct period_key {
    uint32_t group;
    cu_time pstart, pend;
};

/* The accumulator of key.group in the period starting at key.pstart in
 * array (the address of a report's pointer to elements of size bytes, *n
 * of them, room for *cap), each beginning with its struct period_key:
 * found through slots, or appended zeroed with its key. The array moves
 * as it grows. */
void *period_acc(cu_intern *slots, void *array, size_t *n, size_t *cap,
                 size_t size, struct period_key key);
/* Keys in the order rows are written: period, then group. */
int compare_period_keys(const cu_intern *groups, size_t nby,
                        const struct period_key *a,
                        const struct period_key *b);

/* Groups a and b in the order rows are written: value by value, NULL
 * first, bytes compared. */
int compare_groups(const cu_intern *groups, size_t nby, uint32_t a,
                   uint32_t b);

/* --rates and --outages (rates.c). */
const char *rates_su_name(const struct rates *rt, int su_type);
size_t rates_ntypes(const struct rates *rt);
/* SUs of one instance of these sizes: floor(max(vcpus / V, memory_mb / M,
 * gpus / G)) over the resources the type counts. */
int64_t rates_su_count(const struct rates *rt, int su_type, int64_t vcpus,
                       int64_t memory_mb, int64_t gpus);
/* The rate of a type in the month starting at t: in units of
 * 10^-RATE_DIGITS, and as the rates file wrote it. Fatal when no row of
 * the type applies yet. */
enum { RATE_DIGITS = 9 };
int64_t rates_rate(const struct rates *rt, int su_type, cu_time month,
                   const char **text);
void rates_read(struct rates **out, const char *path);
void rates_free(struct rates *rt);
/* Outages: the microseconds of [s, e) inside any of them. */
void outages_read(struct outages **out, const char *path);
void outages_free(struct outages *ot);
cu_time outages_overlap(const struct outages *ot, cu_time s, cu_time e);

/* The SUs of a span (0 for a flavor no SU type matches, with a warning
 * once per flavor), for usage's su_hours and the invoice. */
int64_t span_sus(const struct options *o, const struct span *sp, int *type);

/* invoice.c: the whole invoice report. */
void invoice_report(const struct options *o, char **paths, size_t n);

/* distinct.c: distinct instances per accumulator slot, exact; in bounded
 * memory for input in cu-spans order. */
struct distinct {
    bool in_order; /* every span so far in cu-spans order: runs and seqs */
    bool recorded; /* the sets hold every pair so far */
    cu_intern *pairs, *all; /* (slot, instance) and instance, when kept */
    uint64_t *last_seq;     /* by slot: the run it last counted */
    size_t nslots;
    uint32_t *touched; /* the slots the current run counted in */
    size_t ntouched, touched_cap;
    uint64_t touched_seq;
    uint64_t total; /* runs, in order */
};
void distinct_init(struct distinct *d);
void distinct_free(struct distinct *d);
/* Each counted span first, then each slot it adds to: true when the
 * instance is new there. */
void distinct_span(struct distinct *d, const struct span *sp);
bool distinct_add(struct distinct *d, uint32_t slot, const struct span *sp);
/* For an open span, when it is read (spans_each's set_aside). */
void *distinct_set_aside(struct distinct *d, const struct span *sp);
/* The distinct instances of all spans. */
uint64_t distinct_total(const struct distinct *d);

/* One row of the usage table: a group in a period. */
struct usage_acc {
    struct period_key key;    /* group: id in usage.groups; the period */
    uint64_t instances;       /* distinct instances with counted time */
    i128 usec[NSTATE];        /* instance-microseconds per state */
    i128 vcpu_usec, mem_usec, disk_usec; /* size x microseconds, counted */
    i128 su_usec;                        /* SUs x microseconds (--rates) */
};

struct usage {
    const struct options *o;
    cu_intern *groups;   /* the --by values of a group, encoded */
    cu_intern *slots;    /* (group, period start) -> accumulator */
    struct distinct distinct; /* the instances columns */
    struct usage_acc *acc;
    size_t nacc, acc_cap;
    struct text *line; /* --tree: a project and its ancestors */
    size_t line_cap;
    cu_time tmin, tmax;  /* the counted time (period all, open spans) */
    /* Each span adds weight x its figures to a group: a project's share of
     * an institution in hundredths of a percent (scale 10000), else 1. */
    int64_t scale;
    /* the independent totals of --check */
    i128 check_usec[NSTATE], check_vcpu, check_mem, check_disk, check_su;
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
    /* the occupied classes by the instances' state: [reservation, on
     * demand][active, stopped, error] (shelved holds no host) */
    i128 occupied[NRES][2][3];
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
enum { MAXCOLS = 24 }; /* the widest: usage by all 8 groups and names */
struct table {
    const char *names[MAXCOLS];
    bool numeric[MAXCOLS];
    size_t ncols;
};
struct text_table {
    char **cells; /* row-major, ncols a row; NULL for \N */
    size_t nrows, cap;
};
/* Where a report's rows go: a cu stream in the chosen format, aligned
 * text (--text) once all rows are known, or a section of a document
 * (--html, --pdf, the overview) when the options hold one. */
struct table_out {
    const struct table *t;
    const struct options *o;
    struct cu_writer *w; /* NULL: text or a document */
    struct text_table tt;
    struct doc *doc;
};
void table_out_begin(struct table_out *out, const struct table *t,
                     const struct options *o);
/* One row: ncols cells, NULL for \N. */
void table_out_row(struct table_out *out, const char *const *cell,
                   const size_t *len);
void table_out_end(struct table_out *out);

void write_usage(const struct usage *u, const struct options *o);
/* The cells of a text table: row i, column c (NULL for \N). */
static inline const char *tt_cell(const struct text_table *tt,
                                  const struct table *t, size_t i, size_t c)
{
    return tt->cells[i * t->ncols + c];
}
void text_table_free(struct text_table *tt, const struct table *t);

/* ---- documents (doc.c): what --html, --pdf and the overview show ------ */

struct kpi {
    char label[64], value[64], note[96];
};
struct chart_data { /* a chart and the arrays it points into */
    bool is_bars;
    struct cu_area_chart area;
    struct cu_area_layer layers[12];
    cu_time *t;
    double *v[12];
    struct cu_bar_chart bars;
    char **labels;
    double *bv;
};
struct section {
    char *heading;
    char *note; /* a sentence under the heading, or NULL */
    struct kpi *kpis;
    size_t nkpis;
    struct chart_data **charts;
    size_t ncharts;
    bool has_table;
    struct table t;
    struct text_table tt;
};
struct doc {
    char *title, *subtitle;
    struct section *sections;
    size_t n, cap;
    const char *next_heading; /* for the next captured table */
};
struct doc *doc_new(const char *title, const char *subtitle);
void doc_free(struct doc *d);
struct section *doc_section(struct doc *d, const char *heading);
void section_note(struct section *s, const char *note);
void section_kpi(struct section *s, const char *label, const char *value,
                 const char *note);
struct chart_data *section_chart(struct section *s);
/* A report's captured table becomes a section of its own. */
void doc_take_table(struct doc *d, const struct table *t,
                    struct text_table *tt);
/* Render: HTML to a stream (html.c); PDF or PNG to a file (pdf.c). */
void doc_write_html(const struct doc *d, FILE *f);
void doc_write_pdf(const struct doc *d, const char *path);
void doc_write_png(const struct doc *d, const char *path);
/* overview.c: the monthly site report, and the charts the single reports
 * show too: the utilisation stack of each site and resource, and the top
 * groups of a usage report by vCPU-hours as bars. */
void add_util_charts(struct doc *d, const struct util *u,
                     const struct options *o, const char *window);
void add_usage_bars(struct section *sec, const struct usage *u, size_t top,
                    const char *title);
/* "2025-12-01 to 2026-01-01 (UTC)" (times where they are not midnight) */
void window_text(cu_time s, cu_time e, char *buf, size_t cap);
void overview_report(const struct options *o, char **paths, size_t n);
void write_utilisation(const struct util *u, const struct options *o);

#endif
