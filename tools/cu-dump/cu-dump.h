/* cu-dump's pieces (see main.c): the tables it reads, the sites, one
 * connection per site, the jobs (one per table), windows, JSON blobs,
 * values, the archive or stream run, --list, --grant-sql and --trace. The
 * options are the one piece of state every file reads. */
#ifndef CU_DUMP_H
#define CU_DUMP_H


#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <stdnoreturn.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "archive.h"
#include "cli.h"
#include "cutime.h"
#include "error.h"
#include "hex.h"
#include "json.h"
#include "hmac.h"
#include "stream.h"
#include "writer.h"

struct sbuf {
    char *s;
    size_t len, cap;
};

struct strv {
    char **v;
    size_t n, cap;
};

enum role { R_NOVA, R_NOVA_API, R_BLAZAR, R_KEYSTONE, R_ZUN };

/* Which rows --start/--end keep (the window is [start, end)). */
enum filter {
    F_NONE,
    F_INSTANCE,         /* instances overlapping the window */
    F_BY_INSTANCE,      /* rows of those instances (instance_uuid) */
    F_BY_ACTION,        /* events of their actions (action_id) */
    F_BY_CELL_INSTANCE, /* nova_api rows of instances in any cell */
    F_EXISTS,           /* hosts existing in the window */
    F_LEASE,            /* leases overlapping the window */
    F_BY_LEASE,         /* reservations of those leases */
    F_BY_RESERVATION,   /* allocations, instance/device reservations */
    F_CREATED,          /* created before the window's end */
    F_GPU_KEYS,         /* always: only the extra specs that count GPUs */
};

/* A column derived from a JSON blob: path components separated by dots;
 * "nova_object.data" envelopes are looked through at any level. */
struct derived {
    const char *name;
    const char *path;
};

struct tablespec {
    enum role role;
    const char *table;
    bool optional; /* absent in some releases or forks: no warning */
    /* Columns read and written as they are. A trailing '?' marks a column
     * that only some releases have (e.g. Blazar's soft-delete columns,
     * which only the Chameleon fork has): no warning when it is absent. */
    const char *const *cols;
    enum filter filter;
    const char *blob; /* column holding JSON to reduce, or NULL */
    const struct derived *derived;
};

enum { NTRACE = 15 };


struct options {
    struct cu_common common;
    const char *defaults_file, *defaults_extra_file;
    const char *host, *user, *socket;
    int64_t port;
    bool prompt;
    bool ssl, ssl_verify;
    const char *ssl_ca, *ssl_capath, *ssl_cert, *ssl_key, *ssl_cipher;
    const char *tls_version;
    int64_t connect_timeout;

    struct cu_args nova_dbs;
    const char *nova_api_db, *blazar_db, *keystone_db, *zun_db;

    struct cu_args tables;
    bool all_columns;
    cu_time start, end, epoch;
    bool trace, starcompactor, list, strict, grant_sql;
    const char *outdir;
    bool archive;
    int progress; /* -1: when stderr is a terminal */
    const char *sites_file;
    struct cu_args site_keys;
};

struct site {
    char *key, *name, *group, *dir, *defaults_file;
};

/* DATABASE_URI=mysql://user:pass@host:port[/db] (also mysql+driver://, as
 * OpenStack configuration files write it). */
struct uri {
    char *user, *password, *host;
    unsigned port;
    char *masked; /* the URI with the password replaced, for messages */
};

struct session {
    MYSQL *m;
    const struct site *site;
    char *server_version;
    char *current_user; /* user@host as the server sees us */
};

enum status {
    S_PENDING,
    S_OK,
    S_MISSING,    /* database, table: does not exist */
    S_ABSENT,     /* an optional table that this installation lacks */
    S_DENIED,     /* no SELECT privilege */
    S_FAILED,     /* an error while reading it */
    S_NOT_DUMPED, /* the run stopped before it */
};

struct column {
    char *name;
    bool optional;
};

struct job {
    const struct tablespec *spec; /* NULL: a table outside the catalog */
    char *db, *table, *name;      /* name = db.table */
    enum status status;
    struct strv sel;              /* columns read (SQL) */
    struct strv out;              /* header written */
    bool blob_read;               /* the last selected column is the blob */
    bool has_deleted_at;
    struct sbuf notes;
    uint64_t rows, bytes, file_bytes;
    char sha256[CU_SHA256_HEX + 1];
    char *file;
    cu_time started, finished;
};

struct catcol {
    char *schema, *table, *column;
};

struct catalog_seen {
    struct catcol *cols;
    size_t n;
};

/* What is wrong with a job's columns, collected for one message each. */
struct column_trouble {
    struct sbuf missing, denied;
    struct strv denied_cols;
};

/* The subqueries below select the ids of db's rows of one table that the
 * window keeps. */

/* A small JSON reader for the blobs Nova writes: one pass over the text,
 * validating it, remembering the values found at a few paths. Subtrees no
 * path goes into are skipped without decoding. */

enum jtype { J_UNSET, J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_OTHER };

struct jresult {
    enum jtype type;
    const char *raw; /* numbers and J_OTHER: the text as written */
    size_t rawlen;
    struct sbuf str; /* strings: decoded */
};

enum { JMAX_TARGETS = 16, JMAX_COMP = 6, JMAX_DEPTH = 512 };

struct jtargets {
    size_t n;
    size_t ncomp[JMAX_TARGETS];
    char *comp[JMAX_TARGETS][JMAX_COMP];
};

struct jparse {
    const char *p, *end;
    const struct jtargets *t;
    struct jresult *res;
    struct sbuf key;
};

enum conv { CV_STR, CV_NUM, CV_DATETIME, CV_DATE };

struct progress {
    bool on;
    const char *name;
    double t0, last;
};

/* The text of a manifest row's numbers, times and column list. */
struct manifest_text {
    char rows[24], bytes[24], file_bytes[24];
    char started[CU_TIME_BUFSZ], finished[CU_TIME_BUFSZ];
    struct sbuf cols;
};

enum { NCATALOG = 25 };

/* catalog.c */
extern const struct tablespec catalog[];
extern const char *const trace_instances_cols[];
extern const char *const trace_actions_cols[];
extern const char *const trace_events_cols[];
extern const char *const trace_header[];
extern const char *const starcompactor_header[];

/* main.c */
extern struct options opt; /* the parsed options */

/* sites.c */

/* jobs.c */
extern const char *const status_names[];

/* values.c */

/* strings.c */
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_add(struct sbuf *b, const char *s);
void sb_addc(struct sbuf *b, char c);
__attribute__((format(printf, 2, 3)))
void sb_printf(struct sbuf *b, const char *fmt, ...);
void sb_clear(struct sbuf *b);
/* Room for more bytes and a NUL after b->len. */
void sb_reserve(struct sbuf *b, size_t more);
const char *sb_str(const struct sbuf *b);
void sb_free(struct sbuf *b);
void sb_ident(struct sbuf *b, const char *id);
void sb_literal(struct sbuf *b, const char *s);
void strv_push(struct strv *a, const char *s);
void strv_clear(struct strv *a);
void strv_free(struct strv *a);

/* sites.c */
struct site *select_sites(struct site **all_sites, size_t *nall_sites,
                          size_t *n);

/* connect.c */
const char *site_label(const struct site *s);
noreturn void die_sql(struct session *se, const char *what);
/* Run the query in q (freed) and return its result, stored whole or, with
 * stream, read row by row (mysql_use_result); a failure dies naming what. */
MYSQL_RES *query_result(struct session *se, struct sbuf *q, bool stream,
                        const char *what);
void connect_site(struct session *se, const struct site *s);
void disconnect(struct session *se);

/* jobs.c */
void job_init(struct job *j, const struct tablespec *spec,
              const char *db, const char *table);
void add_note(struct job *j, const char *fmt, ...);
struct job *plan_jobs(size_t *njobs);
bool is_denied(unsigned err);
void grant_statement(struct sbuf *b, const struct job *j,
                     const char *const *cols, size_t ncols,
                     const char *user, const char *host);
void table_problem(const struct session *se, struct job *j,
                   enum status st, const char *what);
void resolve_jobs(struct session *se, struct job *jobs, size_t n);

/* window.c */
void sb_time_literal(struct sbuf *b, cu_time t);
bool have_window(void);
void sb_table(struct sbuf *b, const char *db, const char *table);
void window_filter(struct sbuf *b, const struct job *j,
                   const struct job *jobs, size_t njobs);
void select_sql(struct sbuf *b, const struct job *j,
                const struct job *jobs, size_t njobs);

/* json.c */
/* The columns cu-dump derives from nova_api.request_specs' spec blob
 * (catalog.c; bench/json-bench reduces blobs by them too). */
extern const struct derived request_specs_derived[];
void jtargets_init(struct jtargets *t, const struct derived *d);
void jtargets_free(struct jtargets *t);
bool json_extract(const char *s, size_t len, const struct jtargets *t,
                  struct jresult *res, struct sbuf *keybuf);
void write_jresult(cu_writer *w, const struct jresult *r);

/* values.c */
enum conv conv_of(const MYSQL_FIELD *f);
bool is_zero_date(const char *s, size_t len);
bool put_datetime(cu_writer *w, const char *s, size_t len);
void put_number(cu_writer *w, const char *s, size_t len);
double now_sec(void);
cu_time wall_now(void);
void progress_show(struct progress *p, uint64_t rows, bool final);

/* run.c */
void make_dir(const char *dir);
void dump_archive(struct session *se, struct job *jobs, size_t n,
                  const char *dir);
void dump_stream(struct session *se, struct job *jobs, size_t n,
                 cu_writer *w);

/* admin.c */
void list_tables(struct session *se, struct job *jobs, size_t n,
                 cu_writer *w, bool with_site);
void print_grants(struct session *se, struct job *jobs, size_t n,
                  cu_writer *w);

/* trace.c */
struct job *plan_trace_jobs(size_t *njobs);
void dump_trace(struct session *se, struct job *jobs, size_t njobs,
                cu_writer *w);

#endif
