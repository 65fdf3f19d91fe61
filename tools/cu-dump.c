/* cu-dump: read the tables of an OpenStack cloud's databases (nova, nova_api,
 * blazar, keystone, zun) as a cu stream on stdout or as an archive directory,
 * or the Star Compactor event trace.
 *
 * One connection per site, one consistent snapshot per connection, rows
 * streamed with mysql_use_result so memory stays flat whatever the table
 * size. Only the columns the pipeline needs are read (the list below is the
 * documented contract, see cu-dump(1)); JSON blobs are reduced to plain
 * columns here so that no identifier hides inside a blob that cu-mask cannot
 * see. */
#include "config.h"

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

/* ------------------------------------------------------------ strings */

struct sbuf {
    char *s;
    size_t len, cap;
};

static void sb_reserve(struct sbuf *b, size_t more)
{
    if (b->len + more + 1 > b->cap)
        b->s = cu_xgrow(b->s, &b->cap, b->len + more + 1, 1);
}

static void sb_addn(struct sbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_add(struct sbuf *b, const char *s) { sb_addn(b, s, strlen(s)); }

static void sb_addc(struct sbuf *b, char c) { sb_addn(b, &c, 1); }

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        cu_die(CU_EXIT_DATA, "internal error: bad format");
    sb_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void sb_clear(struct sbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

static const char *sb_str(const struct sbuf *b) { return b->s ? b->s : ""; }

static void sb_free(struct sbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* An SQL identifier in backquotes (a backquote inside is doubled). */
static void sb_ident(struct sbuf *b, const char *id)
{
    sb_addc(b, '`');
    for (const char *p = id; *p; p++) {
        if (*p == '`')
            sb_addc(b, '`');
        sb_addc(b, *p);
    }
    sb_addc(b, '`');
}

/* An SQL string literal in single quotes, escaped for any sql_mode. */
static void sb_literal(struct sbuf *b, const char *s)
{
    sb_addc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'' || *p == '\\')
            sb_addc(b, *p == '\'' ? '\'' : '\\');
        sb_addc(b, *p);
    }
    sb_addc(b, '\'');
}

struct strv {
    char **v;
    size_t n, cap;
};

static void strv_push(struct strv *a, const char *s)
{
    a->v = cu_xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
    a->v[a->n++] = cu_xstrdup(s);
}

/* Empty, keeping the array for reuse. */
static void strv_clear(struct strv *a)
{
    for (size_t k = 0; k < a->n; k++)
        free(a->v[k]);
    a->n = 0;
}

static void strv_free(struct strv *a)
{
    strv_clear(a);
    free(a->v);
    a->v = NULL;
    a->cap = 0;
}

/* ------------------------------------------------------------ the tables */

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

static const char *const instances_cols[] = {
    "uuid", "created_at", "updated_at", "deleted_at", "deleted",
    "launched_at", "terminated_at", "user_id", "project_id", "host", "node",
    "hostname", "display_name", "vm_state", "power_state", "task_state",
    "memory_mb", "vcpus", "root_gb", "ephemeral_gb", "instance_type_id",
    "availability_zone", NULL};
static const char *const instance_actions_cols[] = {
    "id", "instance_uuid", "action", "start_time", "finish_time", "message",
    "user_id", "project_id", "created_at", "updated_at", "deleted_at",
    "deleted", NULL};
static const char *const instance_actions_events_cols[] = {
    "id", "action_id", "event", "start_time", "finish_time", "result", "host",
    "created_at", "updated_at", "deleted_at", "deleted", NULL};
static const char *const compute_nodes_cols[] = {
    "id", "uuid?", "created_at", "updated_at", "deleted_at", "deleted",
    "host", "hypervisor_hostname", "hypervisor_type", "vcpus", "memory_mb",
    "local_gb", "cpu_allocation_ratio?", "ram_allocation_ratio?",
    "disk_allocation_ratio?", NULL};
static const char *const instance_extra_cols[] = {
    "instance_uuid", "created_at", "updated_at", "deleted_at", "deleted",
    NULL};
static const char *const request_specs_cols[] = {
    "instance_uuid", "created_at", "updated_at", NULL};
static const char *const flavors_cols[] = {
    "id", "flavorid", "name", "created_at", "updated_at", "vcpus",
    "memory_mb", "root_gb", "ephemeral_gb", "swap", "disabled", "is_public",
    NULL};
static const char *const leases_cols[] = {
    "id", "user_id", "project_id", "start_date", "end_date", "status",
    "degraded?", "created_at", "updated_at", "deleted?", "deleted_at?", NULL};
static const char *const reservations_cols[] = {
    "id", "lease_id", "resource_id", "resource_type", "status",
    "missing_resources?", "resources_changed?", "created_at", "updated_at",
    "deleted?", "deleted_at?", NULL};
static const char *const computehosts_cols[] = {
    "id", "hypervisor_hostname", "service_name", "vcpus", "memory_mb",
    "local_gb", "hypervisor_type", "availability_zone", "reservable",
    "disabled?", "status?", "created_at", "updated_at", "deleted?",
    "deleted_at?", NULL};
static const char *const computehost_allocations_cols[] = {
    "id", "compute_host_id", "reservation_id", "created_at", "updated_at",
    "deleted?", "deleted_at?", NULL};
static const char *const instance_reservations_cols[] = {
    "id", "reservation_id", "vcpus", "memory_mb", "disk_gb", "amount",
    "affinity", "flavor_id", "aggregate_id", "created_at", "updated_at",
    "deleted?", "deleted_at?", NULL};
static const char *const devices_cols[] = {
    "id", "name", "device_type", "device_driver", "reservable", "created_at",
    "updated_at", "deleted?", "deleted_at?", NULL};
static const char *const device_allocations_cols[] = {
    "id", "device_id", "reservation_id", "created_at", "updated_at",
    "deleted?", "deleted_at?", NULL};
static const char *const device_reservations_cols[] = {
    "id", "reservation_id", "count_range?", "before_end?", "created_at",
    "updated_at", "deleted?", "deleted_at?", NULL};
static const char *const flavor_extra_specs_cols[] = {
    "flavor_id", "key", "value", NULL};
static const char *const local_user_cols[] = {"user_id", "domain_id", "name",
                                              NULL};
static const char *const project_cols[] = {
    "id", "name", "domain_id", "parent_id", "is_domain", "enabled", NULL};
static const char *const container_cols[] = {
    "uuid", "created_at", "updated_at", "started_at?", "project_id",
    "user_id", "host", "cpu", "memory", "disk?", "status", "task_state",
    "container_type?", NULL};
static const char *const container_actions_cols[] = {
    "id", "container_uuid", "action", "start_time", "finish_time", "message",
    NULL};
static const char *const container_actions_events_cols[] = {
    "action_id", "event", "start_time", "finish_time", "result", NULL};

static const struct derived request_specs_derived[] = {
    {"flavor_name", "flavor.name"},
    {"flavor_flavorid", "flavor.flavorid"},
    {"vcpus", "flavor.vcpus"},
    {"memory_mb", "flavor.memory_mb"},
    {"root_gb", "flavor.root_gb"},
    {"ephemeral_gb", "flavor.ephemeral_gb"},
    {"reservation", "scheduler_hints.reservation"},
    {NULL, NULL}};
static const struct derived instance_extra_derived[] = {
    {"flavor_name", "cur.name"},
    {"flavor_flavorid", "cur.flavorid"},
    {"vcpus", "cur.vcpus"},
    {"memory_mb", "cur.memory_mb"},
    {"root_gb", "cur.root_gb"},
    {"ephemeral_gb", "cur.ephemeral_gb"},
    {NULL, NULL}};

static const struct tablespec catalog[] = {
    {R_NOVA, "instances", false, instances_cols, F_INSTANCE, NULL, NULL},
    {R_NOVA, "instance_actions", false, instance_actions_cols, F_BY_INSTANCE,
     NULL, NULL},
    {R_NOVA, "instance_actions_events", false, instance_actions_events_cols,
     F_BY_ACTION, NULL, NULL},
    {R_NOVA, "compute_nodes", false, compute_nodes_cols, F_EXISTS, NULL, NULL},
    /* rows nova-manage db archive_deleted_rows moved out of the tables
       above (absent where nova has no shadow tables): all of them, since
       they are history and few once purged */
    {R_NOVA, "shadow_instances", true, instances_cols, F_NONE, NULL, NULL},
    {R_NOVA, "shadow_instance_actions", true, instance_actions_cols, F_NONE,
     NULL, NULL},
    {R_NOVA, "shadow_instance_actions_events", true,
     instance_actions_events_cols, F_NONE, NULL, NULL},
    {R_NOVA, "shadow_instance_extra", true, instance_extra_cols, F_NONE,
     "flavor", instance_extra_derived},
    {R_NOVA, "instance_extra", false, instance_extra_cols, F_BY_INSTANCE,
     "flavor", instance_extra_derived},
    {R_NOVA_API, "request_specs", false, request_specs_cols,
     F_BY_CELL_INSTANCE, "spec", request_specs_derived},
    {R_NOVA_API, "flavors", false, flavors_cols, F_NONE, NULL, NULL},
    {R_NOVA_API, "flavor_extra_specs", false, flavor_extra_specs_cols,
     F_GPU_KEYS, NULL, NULL},
    {R_BLAZAR, "leases", false, leases_cols, F_LEASE, NULL, NULL},
    {R_BLAZAR, "reservations", false, reservations_cols, F_BY_LEASE, NULL,
     NULL},
    {R_BLAZAR, "computehosts", false, computehosts_cols, F_EXISTS, NULL, NULL},
    {R_BLAZAR, "computehost_allocations", false, computehost_allocations_cols,
     F_BY_RESERVATION, NULL, NULL},
    {R_BLAZAR, "instance_reservations", false, instance_reservations_cols,
     F_BY_RESERVATION, NULL, NULL},
    {R_BLAZAR, "devices", true, devices_cols, F_EXISTS, NULL, NULL},
    {R_BLAZAR, "device_allocations", true, device_allocations_cols,
     F_BY_RESERVATION, NULL, NULL},
    {R_BLAZAR, "device_reservations", true, device_reservations_cols,
     F_BY_RESERVATION, NULL, NULL},
    {R_ZUN, "container", true, container_cols, F_CREATED, NULL, NULL},
    /* few rows (edge devices), and hard-deleted with their container: all */
    {R_ZUN, "container_actions", true, container_actions_cols, F_NONE, NULL,
     NULL},
    {R_ZUN, "container_actions_events", true, container_actions_events_cols,
     F_NONE, NULL, NULL},
    {R_KEYSTONE, "project", false, project_cols, F_NONE, NULL, NULL},
    {R_KEYSTONE, "local_user", false, local_user_cols, F_NONE, NULL, NULL},
};
enum { NCATALOG = sizeof catalog / sizeof catalog[0] };

/* Trace mode reads these columns (and grants exactly these). */
static const char *const trace_instances_cols[] = {
    "uuid", "hostname", "user_id", "project_id", "host", "memory_mb",
    "root_gb", "vcpus", NULL};
static const char *const trace_actions_cols[] = {"id", "instance_uuid", NULL};
static const char *const trace_events_cols[] = {
    "id", "action_id", "event", "start_time", "finish_time", "result", NULL};

static const char *const trace_header[] = {
    "instance_uuid", "event", "start_time", "start_sec", "finish_time",
    "finish_sec", "duration", "result", "instance_name", "user_id",
    "project_id", "host", "memory_mb", "root_gb", "vcpus"};
/* The header of the CSV traces Chameleon published (Star Compactor). */
static const char *const starcompactor_header[] = {
    "INSTANCE_UUID", "EVENT", "START_TIME", "START_SEC", "FINISH_TIME",
    "FINISH_SEC", "EVENT_DURATION", "RESULT", "MEMORY_MB", "DISK_GB", "VCPUS",
    "INSTANCE_NAME", "USER_ID", "PROJECT_ID", "HOST_NAME (PHYSICAL)"};
enum { NTRACE = 15 };

/* ------------------------------------------------------------ options */

enum {
    OPT_START = CU_OPT_TOOL_FIRST,
    OPT_END,
    OPT_EPOCH,
    OPT_TRACE,
    OPT_STARCOMPACTOR,
    OPT_LIST,
    OPT_STRICT,
    OPT_ALL_COLUMNS,
    OPT_GRANT_SQL,
    OPT_SITES,
    OPT_SITE,
    OPT_ARCHIVE,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_DEFAULTS_FILE,
    OPT_DEFAULTS_EXTRA_FILE,
    OPT_SSL,
    OPT_SSL_CA,
    OPT_SSL_CAPATH,
    OPT_SSL_CERT,
    OPT_SSL_KEY,
    OPT_SSL_CIPHER,
    OPT_SSL_VERIFY,
    OPT_TLS_VERSION,
    OPT_CONNECT_TIMEOUT,
    OPT_NOVA_DB,
    OPT_NOVA_API_DB,
    OPT_BLAZAR_DB,
    OPT_KEYSTONE_DB,
    OPT_ZUN_DB,
};

static struct options {
    struct cu_common common;
    const char *defaults_file, *defaults_extra_file;
    const char *host, *user, *socket;
    unsigned port;
    bool prompt;
    bool ssl, ssl_verify;
    const char *ssl_ca, *ssl_capath, *ssl_cert, *ssl_key, *ssl_cipher;
    const char *tls_version;
    unsigned connect_timeout;

    struct strv nova_dbs;
    const char *nova_api_db, *blazar_db, *keystone_db, *zun_db;

    struct strv tables;
    bool all_columns;
    cu_time start, end, epoch;
    bool trace, starcompactor, list, strict, grant_sql;
    const char *outdir;
    bool archive;
    int progress; /* -1: when stderr is a terminal */
    const char *sites_file;
    struct strv site_keys;
} opt = {
    .start = CU_TIME_NULL,
    .end = CU_TIME_NULL,
    .epoch = CU_TIME_NULL,
    .progress = -1,
    .nova_api_db = "nova_api",
    .blazar_db = "blazar",
    .keystone_db = "keystone",
    .zun_db = "zun",
};

static void usage(void)
{
    printf(
"Usage: cu-dump [OPTION]...\n"
"Read the tables of an OpenStack cloud's databases (nova, nova_api, blazar,\n"
"keystone, zun) in one consistent snapshot, and write them as a cu stream on\n"
"stdout or as an archive directory (-o DIR); or write the instance event\n"
"trace (--trace).\n"
"\n"
"Connection (as the mariadb client: option files, then flags):\n"
"      --defaults-file=FILE        read only this option file\n"
"      --defaults-extra-file=FILE  read FILE after the global option files\n"
"  -h, --host=HOST       server host\n"
"  -P, --port=PORT       server TCP port\n"
"  -S, --socket=PATH     server unix socket\n"
"  -u, --user=USER       user name\n"
"  -p, --password        prompt for the password on the terminal (a password\n"
"                        is never taken from the command line)\n"
"      --ssl             require TLS\n"
"      --ssl-ca=FILE, --ssl-capath=DIR, --ssl-cert=FILE, --ssl-key=FILE,\n"
"      --ssl-cipher=LIST, --tls-version=LIST\n"
"                        TLS settings\n"
"      --ssl-verify-server-cert  verify the server's certificate and name\n"
"      --connect-timeout=SECONDS\n"
"  Option file groups read: [client], [client-server], [client-mariadb] and\n"
"  [cu-dump] (or a site's group). DATABASE_URI=mysql://USER:PASS@HOST:PORT in\n"
"  the environment is used for what no flag gives.\n"
"\n"
"Sites:\n"
"      --sites=FILE      TSV file: site, name, group, dir[, defaults_file]\n"
"      --site=KEY        dump this site (repeatable; default: every site)\n"
"      --archive         write each site to its dir from the sites file\n"
"\n"
"Databases (default names in brackets):\n"
"      --nova-db=DB      a nova cell database, repeatable [nova]\n"
"      --nova-api-db=DB  [nova_api]     --blazar-db=DB    [blazar]\n"
"      --keystone-db=DB  [keystone]     --zun-db=DB       [zun]\n"
"\n"
"What to read:\n"
"  -t, --table=[SCHEMA.]TABLE  read only this table (repeatable)\n"
"      --all-columns     read every column (also secrets such as user_data),\n"
"                        JSON blobs unreduced\n"
"      --start=TIME, --end=TIME  keep the rows relevant to [start, end)\n"
"      --list            list the tables with their status and row counts\n"
"      --strict          a missing database, table or column, or a denied\n"
"                        table, is an error rather than a warning\n"
"      --grant-sql       print the GRANT statements for what this run would\n"
"                        read, for the user given with -u/--user and the host\n"
"                        given with -h/--host (default '%%'); connects with\n"
"                        the option files and DATABASE_URI\n"
"\n"
"Trace mode:\n"
"      --trace           one row per instance action event over all cells\n"
"      --epoch=TIME      origin of start_sec/finish_sec (default: --start,\n"
"                        else the first event)\n"
"      --starcompactor   with --csv: the legacy header of Chameleon's\n"
"                        published traces\n"
"\n"
"Output:\n"
"  -o, --output=DIR      write an archive: DB.TABLE.tsv.zst per table and\n"
"                        MANIFEST.tsv (--compress gzip or none: .tsv.gz or\n"
"                        .tsv)\n"
"      --progress, --no-progress  rows and rows/s per table on stderr\n"
"                        (default: when stderr is a terminal)\n"
CU_COMMON_OPTIONS_HELP
"\n"
"Exit status: 0 success, 1 database, data or I/O error, 2 usage error.\n"
"See cu-dump(1) for the tables and columns read.\n");
}

static unsigned parse_uint_opt(const char *name, const char *s,
                               unsigned long max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > max || s[0] == '-')
        cu_usage_error("--%s: not a number in 0..%lu: '%s'", name, max, s);
    return (unsigned)v;
}

static void parse_options(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"host", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'P'},
        {"socket", required_argument, NULL, 'S'},
        {"user", required_argument, NULL, 'u'},
        {"password", optional_argument, NULL, 'p'},
        {"table", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"start", required_argument, NULL, OPT_START},
        {"end", required_argument, NULL, OPT_END},
        {"epoch", required_argument, NULL, OPT_EPOCH},
        {"trace", no_argument, NULL, OPT_TRACE},
        {"starcompactor", no_argument, NULL, OPT_STARCOMPACTOR},
        {"list", no_argument, NULL, OPT_LIST},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"all-columns", no_argument, NULL, OPT_ALL_COLUMNS},
        {"grant-sql", no_argument, NULL, OPT_GRANT_SQL},
        {"sites", required_argument, NULL, OPT_SITES},
        {"site", required_argument, NULL, OPT_SITE},
        {"archive", no_argument, NULL, OPT_ARCHIVE},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"defaults-file", required_argument, NULL, OPT_DEFAULTS_FILE},
        {"defaults-extra-file", required_argument, NULL,
         OPT_DEFAULTS_EXTRA_FILE},
        {"ssl", no_argument, NULL, OPT_SSL},
        {"ssl-ca", required_argument, NULL, OPT_SSL_CA},
        {"ssl-capath", required_argument, NULL, OPT_SSL_CAPATH},
        {"ssl-cert", required_argument, NULL, OPT_SSL_CERT},
        {"ssl-key", required_argument, NULL, OPT_SSL_KEY},
        {"ssl-cipher", required_argument, NULL, OPT_SSL_CIPHER},
        {"ssl-verify-server-cert", no_argument, NULL, OPT_SSL_VERIFY},
        {"tls-version", required_argument, NULL, OPT_TLS_VERSION},
        {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
        {"nova-db", required_argument, NULL, OPT_NOVA_DB},
        {"nova-api-db", required_argument, NULL, OPT_NOVA_API_DB},
        {"blazar-db", required_argument, NULL, OPT_BLAZAR_DB},
        {"keystone-db", required_argument, NULL, OPT_KEYSTONE_DB},
        {"zun-db", required_argument, NULL, OPT_ZUN_DB},
        CU_COMMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "h:P:S:u:p::t:o:", longopts, NULL)) !=
           -1) {
        if (cu_common_option(c, &opt.common, usage))
            continue;
        switch (c) {
        case 'h': opt.host = optarg; break;
        case 'P': opt.port = parse_uint_opt("port", optarg, 65535); break;
        case 'S': opt.socket = optarg; break;
        case 'u': opt.user = optarg; break;
        case 'p':
            /* The value is never echoed: it is a password. */
            if (optarg)
                cu_usage_error("a password on the command line is visible to "
                               "every user (ps): use -p alone to be prompted, "
                               "an option file, or DATABASE_URI");
            opt.prompt = true;
            break;
        case 't': strv_push(&opt.tables, optarg); break;
        case 'o': opt.outdir = optarg; break;
        case OPT_START: opt.start = cu_time_option("start", optarg); break;
        case OPT_END: opt.end = cu_time_option("end", optarg); break;
        case OPT_EPOCH: opt.epoch = cu_time_option("epoch", optarg); break;
        case OPT_TRACE: opt.trace = true; break;
        case OPT_STARCOMPACTOR: opt.starcompactor = true; break;
        case OPT_LIST: opt.list = true; break;
        case OPT_STRICT: opt.strict = true; break;
        case OPT_ALL_COLUMNS: opt.all_columns = true; break;
        case OPT_GRANT_SQL: opt.grant_sql = true; break;
        case OPT_SITES: opt.sites_file = optarg; break;
        case OPT_SITE: strv_push(&opt.site_keys, optarg); break;
        case OPT_ARCHIVE: opt.archive = true; break;
        case OPT_PROGRESS: opt.progress = 1; break;
        case OPT_NO_PROGRESS: opt.progress = 0; break;
        case OPT_DEFAULTS_FILE: opt.defaults_file = optarg; break;
        case OPT_DEFAULTS_EXTRA_FILE: opt.defaults_extra_file = optarg; break;
        case OPT_SSL: opt.ssl = true; break;
        case OPT_SSL_CA: opt.ssl_ca = optarg; break;
        case OPT_SSL_CAPATH: opt.ssl_capath = optarg; break;
        case OPT_SSL_CERT: opt.ssl_cert = optarg; break;
        case OPT_SSL_KEY: opt.ssl_key = optarg; break;
        case OPT_SSL_CIPHER: opt.ssl_cipher = optarg; break;
        case OPT_SSL_VERIFY: opt.ssl_verify = true; break;
        case OPT_TLS_VERSION: opt.tls_version = optarg; break;
        case OPT_CONNECT_TIMEOUT:
            opt.connect_timeout =
                parse_uint_opt("connect-timeout", optarg, 86400);
            break;
        case OPT_NOVA_DB: strv_push(&opt.nova_dbs, optarg); break;
        case OPT_NOVA_API_DB: opt.nova_api_db = optarg; break;
        case OPT_BLAZAR_DB: opt.blazar_db = optarg; break;
        case OPT_KEYSTONE_DB: opt.keystone_db = optarg; break;
        case OPT_ZUN_DB: opt.zun_db = optarg; break;
        default: cu_try_help();
        }
    }
    if (optind < argc) {
        /* `-p SECRET` or `--password SECRET` leaves the password as a
           stray argument: never echo what follows a password option. */
        if (opt.prompt)
            cu_usage_error("unexpected argument (not shown: it may be a "
                           "password; -p takes none, it prompts)");
        cu_usage_error("unexpected argument '%s'", argv[optind]);
    }
    if (opt.nova_dbs.n == 0)
        strv_push(&opt.nova_dbs, "nova");

    if (opt.start != CU_TIME_NULL && opt.end != CU_TIME_NULL &&
        opt.start >= opt.end)
        cu_usage_error("--start must be before --end");
    int modes = opt.trace + opt.list + opt.grant_sql;
    if (opt.list && modes > 1)
        cu_usage_error("--list excludes --trace and --grant-sql");
    if (opt.starcompactor &&
        (!opt.trace || opt.common.out_format != CU_FMT_CSV))
        cu_usage_error("--starcompactor needs --trace and --csv");
    if (opt.epoch != CU_TIME_NULL && !opt.trace)
        cu_usage_error("--epoch only applies to --trace");
    if (opt.defaults_file && opt.defaults_extra_file)
        cu_usage_error("--defaults-file and --defaults-extra-file exclude "
                       "each other");
    if (opt.outdir && opt.archive)
        cu_usage_error("-o and --archive exclude each other");
    if ((opt.outdir || opt.archive) && modes)
        cu_usage_error("-o/--archive only apply to a dump");
    if (opt.archive && !opt.sites_file)
        cu_usage_error("--archive needs --sites");
    if (opt.site_keys.n && !opt.sites_file)
        cu_usage_error("--site needs --sites");
    if ((opt.outdir || opt.archive) && opt.common.out_format != CU_FMT_TSV)
        cu_usage_error("an archive is always TSV: drop --jsons/--csv");
    if (opt.trace && opt.tables.n)
        cu_usage_error("-t does not apply to --trace");
}

/* ------------------------------------------------------------ sites */

struct site {
    char *key, *name, *group, *dir, *defaults_file;
};

static char *field_dup(const cu_reader *r, long col)
{
    if (col < 0)
        return NULL;
    const cu_field *f = cu_reader_field(r, (size_t)col);
    if (cu_field_is_null(f) || f->len == 0)
        return NULL;
    return cu_xstrndup(f->s, f->len);
}

static struct site *load_sites(const char *path, size_t *nout)
{
    cu_reader *r = cu_reader_open(&path, 1, CU_FMT_AUTO);
    struct site *all = NULL;
    size_t n = 0, cap = 0;
    enum cu_next nx;
    long ckey = -1, cname = -1, cgroup = -1, cdir = -1, cdf = -1;
    while ((nx = cu_reader_next(r)) != CU_EOF) {
        if (nx == CU_SECTION) {
            ckey = cu_reader_col(r, "site");
            if (ckey < 0) /* a configuration error: exit 2 */
                cu_die(CU_EXIT_USAGE, "%s: no column 'site' in the header "
                                      "(site, name, group, dir)",
                       path);
            cname = cu_reader_col(r, "name");
            cgroup = cu_reader_col(r, "group");
            cdir = cu_reader_col(r, "dir");
            cdf = cu_reader_col(r, "defaults_file");
            continue;
        }
        const cu_field *k = cu_reader_field(r, (size_t)ckey);
        if (cu_field_is_null(k) || k->len == 0)
            cu_reader_die_field(r, (size_t)ckey, "empty site key");
        for (size_t i = 0; i < n; i++)
            if (strcmp(all[i].key, k->s) == 0)
                cu_reader_die_field(r, (size_t)ckey, "duplicate site key");
        all = cu_xgrow(all, &cap, n + 1, sizeof *all);
        all[n].key = cu_xstrndup(k->s, k->len);
        all[n].name = field_dup(r, cname);
        all[n].group = field_dup(r, cgroup);
        all[n].dir = field_dup(r, cdir);
        all[n].defaults_file = field_dup(r, cdf);
        n++;
    }
    cu_reader_close(r);
    if (n == 0)
        cu_die(CU_EXIT_USAGE, "%s: no sites", path);
    *nout = n;
    return all;
}

/* The sites of the file (owned here) and the selection (copies of them). */
static struct site *all_sites;
static size_t nall_sites;

static struct site *select_sites(size_t *n)
{
    if (!opt.sites_file) {
        *n = 1;
        return cu_xcalloc(1, sizeof(struct site));
    }
    all_sites = load_sites(opt.sites_file, &nall_sites);
    struct site *all = all_sites;
    size_t nall = nall_sites;
    if (opt.site_keys.n == 0) {
        *n = nall;
        struct site *sel = cu_xcalloc(nall, sizeof *sel);
        memcpy(sel, all, nall * sizeof *sel);
        return sel;
    }
    struct site *sel = cu_xcalloc(opt.site_keys.n, sizeof *sel);
    for (size_t i = 0; i < opt.site_keys.n; i++) {
        size_t j = 0;
        while (j < nall && strcmp(all[j].key, opt.site_keys.v[i]) != 0)
            j++;
        if (j == nall) {
            free(sel);
            cu_usage_error("--site: no site '%s' in %s", opt.site_keys.v[i],
                           opt.sites_file);
        }
        sel[i] = all[j];
    }
    *n = opt.site_keys.n;
    return sel;
}

/* ------------------------------------------------------------ connecting */

/* DATABASE_URI=mysql://user:pass@host:port[/db] (also mysql+driver://, as
 * OpenStack configuration files write it). */
struct uri {
    char *user, *password, *host;
    unsigned port;
    char *masked; /* the URI with the password replaced, for messages */
};

static char *percent_decode(const char *s, size_t n)
{
    char *d = cu_xmalloc(n + 1), *o = d;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = cu_hex_value(s[i + 1])) >= 0 &&
            (lo = cu_hex_value(s[i + 2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else
            *o++ = s[i];
    }
    *o = '\0';
    return d;
}

static bool parse_uri(const char *s, struct uri *u)
{
    memset(u, 0, sizeof *u);
    const char *p = strstr(s, "://");
    if (!p || strncmp(s, "mysql", 5) != 0 || (s[5] != ':' && s[5] != '+'))
        return false;
    struct sbuf masked = {0};
    sb_addn(&masked, s, (size_t)(p + 3 - s));
    p += 3;
    const char *end = p + strcspn(p, "/?");
    const char *at = NULL;
    for (const char *q = p; q < end; q++)
        if (*q == '@')
            at = q;
    const char *hp = p;
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        if (colon) {
            u->user = percent_decode(p, (size_t)(colon - p));
            u->password = percent_decode(colon + 1, (size_t)(at - colon - 1));
            sb_addn(&masked, p, (size_t)(colon - p));
            sb_add(&masked, ":***");
        } else {
            u->user = percent_decode(p, (size_t)(at - p));
            sb_addn(&masked, p, (size_t)(at - p));
        }
        sb_addc(&masked, '@');
        hp = at + 1;
    }
    sb_add(&masked, hp);
    const char *colon = memchr(hp, ':', (size_t)(end - hp));
    const char *hend = colon ? colon : end;
    if (hend > hp)
        u->host = cu_xstrndup(hp, (size_t)(hend - hp));
    if (colon) {
        char *e;
        unsigned long port = strtoul(colon + 1, &e, 10);
        if (e != end || port == 0 || port > 65535) {
            u->masked = masked.s;
            return false;
        }
        u->port = (unsigned)port;
    }
    u->masked = masked.s;
    return true;
}

/* Read a password from the terminal with echo off. */
static char *prompt_password(const char *what)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        cu_die(CU_EXIT_USAGE, "-p: cannot prompt for the password: no "
                              "terminal (use an option file instead)");
    struct termios old, quiet;
    bool have_tty = tcgetattr(fd, &old) == 0;
    char msg[256];
    int ml = snprintf(msg, sizeof msg, "Enter password%s%s: ",
                      what ? " for " : "", what ? what : "");
    if (ml > 0 && write(fd, msg, (size_t)ml) < 0) { /* best effort */
    }
    if (have_tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    struct sbuf pw = {0};
    char c;
    ssize_t k;
    while ((k = read(fd, &c, 1)) == 1 && c != '\n' && c != '\r')
        sb_addc(&pw, c);
    if (have_tty)
        tcsetattr(fd, TCSAFLUSH, &old);
    if (write(fd, "\n", 1) < 0) { /* best effort */
    }
    close(fd);
    if (k < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "reading the password");
    if (!pw.s)
        sb_add(&pw, "");
    return pw.s;
}

/* The option files of --defaults-extra-file: the global files, then FILE,
 * then the user's ~/.my.cnf, the order the mariadb client reads them in.
 * Connector/C reads one file or the default set, so we give it a file of
 * !include lines (it ignores the ones that do not exist). */
static char *extra_file_includes(const char *extra)
{
    const char *tmpdir = getenv("TMPDIR");
    struct sbuf path = {0};
    sb_printf(&path, "%s/cu-dump-cnf.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(path.s);
    if (fd < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path.s);
    struct sbuf text = {0};
    sb_add(&text, "!include /etc/my.cnf\n!include /etc/mysql/my.cnf\n");
    const char *home = getenv("MARIADB_HOME");
    if (!home)
        home = getenv("MYSQL_HOME");
    if (home && *home)
        sb_printf(&text, "!include %s/my.cnf\n", home);
    sb_printf(&text, "!include %s\n", extra);
    const char *user_home = getenv("HOME");
    if (user_home && *user_home)
        sb_printf(&text, "!include %s/.my.cnf\n", user_home);
    if (write(fd, text.s, text.len) != (ssize_t)text.len || close(fd) != 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path.s);
    sb_free(&text);
    return path.s;
}

struct session {
    MYSQL *m;
    const struct site *site;
    char *server_version;
    char *current_user; /* user@host as the server sees us */
};

static const char *site_label(const struct site *s)
{
    return s && s->key ? s->key : NULL;
}

static noreturn void die_sql(struct session *se, const char *what)
{
    if (site_label(se->site))
        cu_die(CU_EXIT_DATA, "site %s: %s: %s (error %u)", se->site->key,
               what, mysql_error(se->m), mysql_errno(se->m));
    cu_die(CU_EXIT_DATA, "%s: %s (error %u)", what, mysql_error(se->m),
           mysql_errno(se->m));
}

static void run_sql(struct session *se, const char *sql)
{
    if (mysql_real_query(se->m, sql, strlen(sql)) != 0)
        die_sql(se, sql);
    MYSQL_RES *res = mysql_store_result(se->m);
    if (res)
        mysql_free_result(res);
    else if (mysql_field_count(se->m) != 0)
        die_sql(se, sql);
}

static void connect_site(struct session *se, const struct site *s)
{
    memset(se, 0, sizeof *se);
    se->site = s;
    MYSQL *m = mysql_init(NULL);
    if (!m)
        cu_die(CU_EXIT_DATA, "out of memory (mysql_init)");
    se->m = m;

    char *include_file = NULL;
    const char *dfile = opt.defaults_file ? opt.defaults_file
                                          : s->defaults_file;
    if (!opt.defaults_file && opt.defaults_extra_file)
        dfile = include_file = extra_file_includes(opt.defaults_extra_file);
    if (dfile) {
        if (access(dfile, R_OK) != 0)
            cu_die_errno(CU_EXIT_USAGE, errno, "option file %s", dfile);
        mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, dfile);
    }
    mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, s->group ? s->group : "cu-dump");
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (opt.connect_timeout)
        mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &opt.connect_timeout);
    if (opt.ssl_key || opt.ssl_cert || opt.ssl_ca || opt.ssl_capath ||
        opt.ssl_cipher)
        mysql_ssl_set(m, opt.ssl_key, opt.ssl_cert, opt.ssl_ca,
                      opt.ssl_capath, opt.ssl_cipher);
    if (opt.ssl) {
        my_bool on = 1;
        mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
    }
    if (opt.ssl_verify) {
        my_bool on = 1;
        mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
    }
    if (opt.tls_version)
        mysql_optionsv(m, MARIADB_OPT_TLS_VERSION, opt.tls_version);

    /* flag > environment > option files (what mysql_real_connect gets as
     * NULL comes from the option files) */
    struct uri u = {0};
    const char *env = getenv("DATABASE_URI");
    if (env && *env && !parse_uri(env, &u)) {
        /* A value that did not parse cannot be masked reliably (a password
           without the '@' after it reads as a port): show none of it. */
        free(u.masked);
        cu_die(CU_EXIT_USAGE,
               "DATABASE_URI: not mysql://USER:PASS@HOST[:PORT][/DB] (the "
               "value is not shown: it may hold a password)");
    }
    /* In --grant-sql mode -u/-h name the grantee, not us. */
    const char *host = opt.grant_sql ? NULL : opt.host;
    const char *user = opt.grant_sql ? NULL : opt.user;
    if (!host)
        host = u.host;
    if (!user)
        user = u.user;
    unsigned port = opt.port ? opt.port : u.port;
    char *password = NULL;
    if (opt.prompt)
        password = prompt_password(site_label(s));
    const char *pw = password ? password : u.password;

    bool connected =
        mysql_real_connect(m, host, user, pw, NULL, port, opt.socket, 0);
    if (include_file) { /* read at connect: not needed any more */
        unlink(include_file);
        free(include_file);
    }
    if (!connected) {
        struct sbuf where = {0};
        if (site_label(s))
            sb_printf(&where, "site %s: ", s->key);
        if (u.masked)
            sb_printf(&where, "%s: ", u.masked);
        cu_die(CU_EXIT_DATA, "%scannot connect: %s (error %u)", sb_str(&where),
               mysql_error(m), mysql_errno(m));
    }
    if (password) {
        memset(password, 0, strlen(password));
        free(password);
    }
    if (u.password)
        memset(u.password, 0, strlen(u.password));
    free(u.user);
    free(u.password);
    free(u.host);
    free(u.masked);

    /* An option file may name another character set: insist. */
    if (mysql_set_character_set(m, "utf8mb4") != 0)
        die_sql(se, "SET NAMES utf8mb4");
    se->server_version = cu_xstrdup(mysql_get_server_info(m));
    /* Naive DATETIMEs are UTC; TIMESTAMPs must come out in UTC too. A slow
     * reader downstream must not make the server drop us mid-table. */
    run_sql(se, "SET time_zone = '+00:00'");
    run_sql(se, "SET SESSION net_write_timeout = 7200");
    run_sql(se, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    run_sql(se, "SET SESSION TRANSACTION READ ONLY");
    run_sql(se, "START TRANSACTION WITH CONSISTENT SNAPSHOT");

    if (mysql_real_query(m, "SELECT CURRENT_USER()", 21) == 0) {
        MYSQL_RES *res = mysql_store_result(m);
        MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
        if (row && row[0])
            se->current_user = cu_xstrdup(row[0]);
        if (res)
            mysql_free_result(res);
    }
}

static void disconnect(struct session *se)
{
    if (se->m) {
        mysql_real_query(se->m, "COMMIT", 6);
        mysql_close(se->m);
    }
    free(se->server_version);
    free(se->current_user);
    memset(se, 0, sizeof *se);
}

/* ------------------------------------------------------------ jobs */

enum status {
    S_PENDING,
    S_OK,
    S_MISSING,    /* database, table: does not exist */
    S_ABSENT,     /* an optional table that this installation lacks */
    S_DENIED,     /* no SELECT privilege */
    S_FAILED,     /* an error while reading it */
    S_NOT_DUMPED, /* the run stopped before it */
};

static const char *const status_names[] = {
    "pending", "ok", "missing", "absent", "denied", "failed", "not_dumped"};

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

static const char *role_db(enum role r, size_t cell)
{
    switch (r) {
    case R_NOVA: return opt.nova_dbs.v[cell];
    case R_NOVA_API: return opt.nova_api_db;
    case R_BLAZAR: return opt.blazar_db;
    case R_KEYSTONE: return opt.keystone_db;
    case R_ZUN: return opt.zun_db;
    }
    return NULL;
}

static void job_init(struct job *j, const struct tablespec *spec,
                     const char *db, const char *table)
{
    memset(j, 0, sizeof *j);
    j->spec = spec;
    j->db = cu_xstrdup(db);
    j->table = cu_xstrdup(table);
    struct sbuf n = {0};
    sb_printf(&n, "%s.%s", db, table);
    j->name = n.s;
    j->started = j->finished = CU_TIME_NULL;
}

static void add_note(struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_note(struct job *j, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (j->notes.len)
        sb_add(&j->notes, "; ");
    sb_add(&j->notes, buf);
}

/* Does a -t argument select this job? `table`, `db.table`. */
static bool table_arg_matches(const char *arg, const struct job *j)
{
    return strcmp(arg, j->name) == 0 || strcmp(arg, j->table) == 0;
}

/* The jobs of a run: the catalog (every cell for nova tables), restricted
 * by -t; -t names outside the catalog need --all-columns. */
static struct job *plan_jobs(size_t *njobs)
{
    struct job *jobs = NULL;
    size_t n = 0, cap = 0;
    for (size_t c = 0; c < NCATALOG; c++) {
        const struct tablespec *t = &catalog[c];
        size_t ncells = t->role == R_NOVA ? opt.nova_dbs.n : 1;
        for (size_t cell = 0; cell < ncells; cell++) {
            jobs = cu_xgrow(jobs, &cap, n + 1, sizeof *jobs);
            job_init(&jobs[n], t, role_db(t->role, cell), t->table);
            n++;
        }
    }
    if (opt.tables.n == 0) {
        *njobs = n;
        return jobs;
    }
    /* keep the selected, in catalog order; then the extra tables */
    bool *used = cu_xcalloc(opt.tables.n, sizeof *used);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        bool sel = false;
        for (size_t a = 0; a < opt.tables.n; a++)
            if (table_arg_matches(opt.tables.v[a], &jobs[i]))
                sel = used[a] = true;
        if (sel)
            jobs[kept++] = jobs[i];
        else {
            free(jobs[i].db);
            free(jobs[i].table);
            free(jobs[i].name);
        }
    }
    n = kept;
    for (size_t a = 0; a < opt.tables.n; a++) {
        if (used[a])
            continue;
        const char *arg = opt.tables.v[a];
        const char *dot = strchr(arg, '.');
        if (!dot || dot == arg || !dot[1] || strchr(dot + 1, '.'))
            cu_usage_error("-t %s: not a table cu-dump knows; give "
                           "SCHEMA.TABLE with --all-columns to read any "
                           "table",
                           arg);
        if (!opt.all_columns)
            cu_usage_error("-t %s: cu-dump has no column list for this "
                           "table: add --all-columns to read all its "
                           "columns",
                           arg);
        char *db = cu_xstrndup(arg, (size_t)(dot - arg));
        jobs = cu_xgrow(jobs, &cap, n + 1, sizeof *jobs);
        job_init(&jobs[n++], NULL, db, dot + 1);
        free(db);
    }
    free(used);
    *njobs = n;
    return jobs;
}

/* ------------------------------------------------------------ discovery */

struct catcol {
    char *schema, *table, *column;
};

struct catalog_seen {
    struct catcol *cols;
    size_t n;
};

static void query_columns(struct session *se, struct job *jobs, size_t n,
                          struct catalog_seen *seen)
{
    struct sbuf q = {0};
    sb_add(&q, "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM "
               "information_schema.COLUMNS WHERE TABLE_SCHEMA IN (");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&q, ',');
        sb_literal(&q, jobs[i].db);
    }
    sb_add(&q, ") AND TABLE_NAME IN (");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&q, ',');
        sb_literal(&q, jobs[i].table);
    }
    sb_add(&q, ") ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION");
    if (mysql_real_query(se->m, q.s, q.len) != 0)
        die_sql(se, "reading information_schema.COLUMNS");
    MYSQL_RES *res = mysql_store_result(se->m);
    if (!res)
        die_sql(se, "reading information_schema.COLUMNS");
    size_t cap = 0;
    seen->n = 0;
    seen->cols = NULL;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res))) {
        seen->cols = cu_xgrow(seen->cols, &cap, seen->n + 1, sizeof *seen->cols);
        struct catcol *c = &seen->cols[seen->n++];
        c->schema = cu_xstrdup(row[0]);
        c->table = cu_xstrdup(row[1]);
        c->column = cu_xstrdup(row[2]);
    }
    mysql_free_result(res);
    sb_free(&q);
}

static void free_seen(struct catalog_seen *seen)
{
    for (size_t i = 0; i < seen->n; i++) {
        free(seen->cols[i].schema);
        free(seen->cols[i].table);
        free(seen->cols[i].column);
    }
    free(seen->cols);
}

static bool seen_has(const struct catalog_seen *seen, const struct job *j,
                     const char *col)
{
    for (size_t i = 0; i < seen->n; i++)
        if (strcmp(seen->cols[i].schema, j->db) == 0 &&
            strcmp(seen->cols[i].table, j->table) == 0 &&
            (!col || strcmp(seen->cols[i].column, col) == 0))
            return true;
    return false;
}

/* Ask the server what stops us reading db.table(col): 0 if nothing. */
static unsigned probe(struct session *se, const struct job *j,
                      const char *col)
{
    struct sbuf q = {0};
    sb_add(&q, "SELECT ");
    if (col)
        sb_ident(&q, col);
    else
        sb_addc(&q, '1');
    sb_add(&q, " FROM ");
    sb_ident(&q, j->db);
    sb_addc(&q, '.');
    sb_ident(&q, j->table);
    sb_add(&q, " LIMIT 0");
    unsigned err = 0;
    if (mysql_real_query(se->m, q.s, q.len) != 0)
        err = mysql_errno(se->m);
    else {
        MYSQL_RES *res = mysql_store_result(se->m);
        if (res)
            mysql_free_result(res);
    }
    sb_free(&q);
    if (err == CR_SERVER_LOST || err == CR_SERVER_GONE_ERROR)
        die_sql(se, "probing tables");
    return err;
}

static bool is_denied(unsigned err)
{
    return err == ER_TABLEACCESS_DENIED_ERROR ||
           err == ER_COLUMNACCESS_DENIED_ERROR ||
           err == ER_DBACCESS_DENIED_ERROR || err == ER_ACCESS_DENIED_ERROR;
}

/* 'user'@'host' for a GRANT, from CURRENT_USER()'s user@host. */
static void grantee(struct sbuf *b, const char *user, const char *host)
{
    sb_literal(b, user);
    sb_addc(b, '@');
    sb_literal(b, host ? host : "%");
}

static void grant_statement(struct sbuf *b, const struct job *j,
                            const char *const *cols, size_t ncols,
                            const char *user, const char *host)
{
    sb_add(b, "GRANT SELECT");
    if (cols) {
        sb_add(b, " (");
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                sb_add(b, ", ");
            sb_ident(b, cols[i]);
        }
        sb_addc(b, ')');
    }
    sb_add(b, " ON ");
    sb_ident(b, j->db);
    sb_addc(b, '.');
    sb_ident(b, j->table);
    sb_add(b, " TO ");
    grantee(b, user, host);
    sb_addc(b, ';');
}

/* The GRANT that would let us read what this job wants. */
static char *needed_grant(const struct session *se, const struct job *j,
                          const struct strv *cols)
{
    char *cu = cu_xstrdup(se->current_user ? se->current_user : "USER@%");
    char *at = strrchr(cu, '@');
    const char *host = "%";
    if (at) {
        *at = '\0';
        host = at + 1;
    }
    struct sbuf b = {0};
    grant_statement(&b, j, cols && cols->n ? (const char *const *)cols->v
                                           : NULL,
                    cols ? cols->n : 0, cu, host);
    free(cu);
    return b.s;
}

/* A problem with a table: a warning recorded in the manifest, or with
 * --strict (and for what is not optional) an error. */
static void table_problem(const struct session *se, struct job *j,
                          enum status st, const char *what)
{
    j->status = st;
    add_note(j, "%s", what);
    const char *site = site_label(se->site);
    if (opt.strict)
        cu_die(CU_EXIT_DATA, "%s%s%s%s: %s", site ? "site " : "",
               site ? site : "", site ? ": " : "", j->name, what);
    cu_warn("%s%s%s%s: %s", site ? "site " : "", site ? site : "",
            site ? ": " : "", j->name, what);
}

static bool db_is_optional(const struct job *j)
{
    return j->spec && j->spec->role == R_ZUN;
}

static bool schema_exists(struct session *se, const char *db)
{
    struct sbuf q = {0};
    sb_add(&q, "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ");
    sb_literal(&q, db);
    if (mysql_real_query(se->m, q.s, q.len) != 0)
        die_sql(se, "reading information_schema.SCHEMATA");
    sb_free(&q);
    MYSQL_RES *res = mysql_store_result(se->m);
    if (!res)
        die_sql(se, "reading information_schema.SCHEMATA");
    bool found = mysql_num_rows(res) > 0;
    mysql_free_result(res);
    return found;
}

static void reset_job(struct job *j)
{
    j->status = S_PENDING;
    sb_clear(&j->notes);
    strv_clear(&j->sel);
    strv_clear(&j->out);
    j->blob_read = false;
}

static bool job_is_optional(const struct job *j)
{
    return (j->spec && j->spec->optional) || db_is_optional(j);
}

/* The documented columns of a job (without the '?' marks), and its blob. */
static void documented_columns(const struct job *j, struct strv *want)
{
    if (!j->spec || opt.all_columns)
        return;
    for (const char *const *c = j->spec->cols; *c; c++) {
        size_t l = strlen(*c);
        char *name = cu_xstrndup(*c, l - ((*c)[l - 1] == '?'));
        strv_push(want, name);
        free(name);
    }
    if (j->spec->blob)
        strv_push(want, j->spec->blob);
}

/* A table information_schema does not show us: ask the server why. Returns
 * true when it can be read after all. */
static bool resolve_invisible_table(struct session *se, struct job *j)
{
    unsigned err = probe(se, j, NULL);
    if (err == 0) /* readable but invisible: the query will tell */
        return true;
    if (is_denied(err) && job_is_optional(j) && !opt.tables.n) {
        /* The server says "denied" for tables that do not exist in a
         * database we may not see: an optional table that --grant-sql did
         * not grant because it was absent. */
        j->status = S_ABSENT;
        add_note(j, "absent or not granted");
    } else if (is_denied(err)) {
        struct strv want = {0};
        documented_columns(j, &want);
        char *g = needed_grant(se, j, &want);
        char msg[2048];
        snprintf(msg, sizeof msg, "access denied (%s); needed: %s",
                 mysql_error(se->m), g);
        free(g);
        strv_free(&want);
        table_problem(se, j, S_DENIED, msg);
    } else if (err == ER_BAD_DB_ERROR || err == ER_NO_SUCH_TABLE) {
        char msg[512];
        if (err == ER_BAD_DB_ERROR || !schema_exists(se, j->db))
            snprintf(msg, sizeof msg, "database %s does not exist", j->db);
        else
            snprintf(msg, sizeof msg, "table does not exist");
        if (job_is_optional(j) && !opt.tables.n) {
            j->status = S_ABSENT;
            add_note(j, "%s", msg);
        } else
            table_problem(se, j, S_MISSING, msg);
    } else
        die_sql(se, j->name);
    return false;
}

/* What is wrong with a job's columns, collected for one message each. */
struct column_trouble {
    struct sbuf missing, denied;
    struct strv denied_cols;
};

/* Can column name of j be read? Records why not in t (optional columns
 * that are absent are no trouble). */
static bool column_readable(struct session *se,
                            const struct catalog_seen *seen, struct job *j,
                            const char *name, bool optional,
                            struct column_trouble *t)
{
    if (seen_has(seen, j, name))
        return true;
    if (optional)
        return false;
    unsigned err = probe(se, j, name);
    if (err == 0) /* visible to the query after all */
        return true;
    if (is_denied(err)) {
        sb_printf(&t->denied, "%s%s", t->denied.len ? "," : "", name);
        strv_push(&t->denied_cols, name);
    } else
        sb_printf(&t->missing, "%s%s", t->missing.len ? "," : "", name);
    return false;
}

static void select_spec_columns(struct session *se,
                                const struct catalog_seen *seen,
                                struct job *j)
{
    struct column_trouble t = {{0}, {0}, {0}};
    for (const char *const *c = j->spec->cols; *c; c++) {
        size_t l = strlen(*c);
        bool optional = (*c)[l - 1] == '?';
        char *name = cu_xstrndup(*c, l - optional);
        if (column_readable(se, seen, j, name, optional, &t)) {
            strv_push(&j->sel, name);
            strv_push(&j->out, name);
        }
        free(name);
    }
    if (j->spec->blob) {
        /* read last: dump_job takes the last column as the blob */
        if (column_readable(se, seen, j, j->spec->blob, false, &t)) {
            strv_push(&j->sel, j->spec->blob);
            j->blob_read = true;
        }
        for (const struct derived *d = j->spec->derived; d->name; d++)
            strv_push(&j->out, d->name);
    }
    j->status = S_OK;
    if (t.missing.len) {
        char msg[1024];
        snprintf(msg, sizeof msg, "missing columns: %s%s", t.missing.s,
                 j->spec->blob && !j->blob_read
                     ? " (derived columns written as \\N)"
                     : "");
        table_problem(se, j, S_OK, msg);
    }
    if (t.denied.len) {
        char *g = needed_grant(se, j, &t.denied_cols);
        char msg[2048];
        snprintf(msg, sizeof msg, "access denied to columns %s; needed: %s",
                 t.denied.s, g);
        free(g);
        table_problem(se, j, S_OK, msg);
    }
    if (j->sel.n == 0)
        table_problem(se, j, S_DENIED, "no column can be read");
    sb_free(&t.missing);
    sb_free(&t.denied);
    strv_free(&t.denied_cols);
}

/* Decide, for every job, whether it can be read and which columns. */
static void resolve_jobs(struct session *se, struct job *jobs, size_t n)
{
    struct catalog_seen seen;
    query_columns(se, jobs, n, &seen);
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        reset_job(j);
        if (!seen_has(&seen, j, NULL) && !resolve_invisible_table(se, j))
            continue;
        j->has_deleted_at = seen_has(&seen, j, "deleted_at");
        if (j->spec && !opt.all_columns) {
            select_spec_columns(se, &seen, j);
            continue;
        }
        for (size_t k = 0; k < seen.n; k++)
            if (strcmp(seen.cols[k].schema, j->db) == 0 &&
                strcmp(seen.cols[k].table, j->table) == 0) {
                strv_push(&j->sel, seen.cols[k].column);
                strv_push(&j->out, seen.cols[k].column);
            }
        j->status = S_OK;
        if (j->sel.n == 0)
            table_problem(se, j, S_DENIED, "no column can be read");
    }
    free_seen(&seen);
}

/* ------------------------------------------------------------ windows */

static void sb_time_literal(struct sbuf *b, cu_time t)
{
    char buf[CU_TIME_BUFSZ];
    size_t n = cu_time_format(t, buf);
    /* 2024-03-01T12:00:00[.ffffff]Z -> 2024-03-01 12:00:00[.ffffff] */
    buf[10] = ' ';
    buf[n - 1] = '\0';
    sb_literal(b, buf);
}

/* col < end (unknown and zero dates are kept) */
static void cond_before_end(struct sbuf *b, const char *alias, const char *col)
{
    if (opt.end == CU_TIME_NULL) {
        sb_add(b, "TRUE");
        return;
    }
    sb_add(b, "(");
    if (alias)
        sb_printf(b, "%s.", alias);
    sb_ident(b, col);
    sb_add(b, " IS NULL OR ");
    if (alias)
        sb_printf(b, "%s.", alias);
    sb_ident(b, col);
    sb_add(b, " < ");
    sb_time_literal(b, opt.end);
    sb_add(b, ")");
}

/* col > start, NULL (still open) and zero dates kept */
static void cond_after_start(struct sbuf *b, const char *alias,
                             const char *col)
{
    if (opt.start == CU_TIME_NULL) {
        sb_add(b, "TRUE");
        return;
    }
    struct sbuf c = {0};
    if (alias)
        sb_printf(&c, "%s.", alias);
    sb_ident(&c, col);
    sb_printf(b, "(%s IS NULL OR %s < '0001-01-01' OR %s > ", c.s, c.s, c.s);
    sb_time_literal(b, opt.start);
    sb_add(b, ")");
    sb_free(&c);
}

static bool have_window(void)
{
    return opt.start != CU_TIME_NULL || opt.end != CU_TIME_NULL;
}

static void cond_instance(struct sbuf *b, const char *alias)
{
    cond_before_end(b, alias, "created_at");
    sb_add(b, " AND ");
    cond_after_start(b, alias, "deleted_at");
    sb_add(b, " AND ");
    cond_after_start(b, alias, "terminated_at");
}

static void sb_table(struct sbuf *b, const char *db, const char *table)
{
    sb_ident(b, db);
    sb_addc(b, '.');
    sb_ident(b, table);
}

/* The subqueries below select the ids of db's rows of one table that the
 * window keeps. */
typedef void subquery(struct sbuf *b, const char *db);

/* " WHERE `col` IN (subquery)" */
static void where_in(struct sbuf *b, const char *col, subquery *sub,
                     const char *db)
{
    sb_printf(b, " WHERE `%s` IN (", col);
    sub(b, db);
    sb_addc(b, ')');
}

static void sub_instances(struct sbuf *b, const char *db)
{
    sb_add(b, "SELECT i.`uuid` FROM ");
    sb_table(b, db, "instances");
    sb_add(b, " i WHERE ");
    cond_instance(b, "i");
}

static void sub_actions(struct sbuf *b, const char *db)
{
    sb_add(b, "SELECT a.`id` FROM ");
    sb_table(b, db, "instance_actions");
    sb_add(b, " a WHERE a.`instance_uuid` IN (");
    sub_instances(b, db);
    sb_addc(b, ')');
}

static void cond_lease(struct sbuf *b, const char *alias)
{
    bool both = opt.start != CU_TIME_NULL && opt.end != CU_TIME_NULL;
    if (opt.end != CU_TIME_NULL) {
        sb_printf(b, "%s.`start_date` < ", alias);
        sb_time_literal(b, opt.end);
    }
    if (both)
        sb_add(b, " AND ");
    if (opt.start != CU_TIME_NULL) {
        sb_printf(b, "%s.`end_date` > ", alias);
        sb_time_literal(b, opt.start);
    }
}

static void sub_leases(struct sbuf *b, const char *db)
{
    sb_add(b, "SELECT l.`id` FROM ");
    sb_table(b, db, "leases");
    sb_add(b, " l WHERE ");
    cond_lease(b, "l");
}

static void sub_reservations(struct sbuf *b, const char *db)
{
    sb_add(b, "SELECT r.`id` FROM ");
    sb_table(b, db, "reservations");
    sb_add(b, " r WHERE r.`lease_id` IN (");
    sub_leases(b, db);
    sb_addc(b, ')');
}

/* The WHERE clause of a job under --start/--end (empty: every row). The
 * filters err on the side of keeping: a consumer clips, it cannot invent.
 * Flavor extra specs are cut to the keys that count GPUs, window or not:
 * the others hold reservation ids and scheduler hints no report reads. */
static void window_filter(struct sbuf *b, const struct job *j,
                          const struct job *jobs, size_t njobs)
{
    if (j->spec && j->spec->filter == F_GPU_KEYS) {
        sb_add(b, " WHERE `key` IN ('pci_passthrough:alias', "
                  "'resources:VGPU')");
        return;
    }
    if (!have_window() || !j->spec)
        return;
    switch (j->spec->filter) {
    case F_NONE:
        return;
    case F_INSTANCE:
        sb_add(b, " WHERE ");
        cond_instance(b, NULL);
        return;
    case F_BY_INSTANCE:
        where_in(b, "instance_uuid", sub_instances, j->db);
        return;
    case F_BY_ACTION:
        where_in(b, "action_id", sub_actions, j->db);
        return;
    case F_BY_CELL_INSTANCE: {
        sb_add(b, " WHERE `instance_uuid` IN (");
        bool any = false;
        for (size_t k = 0; k < njobs; k++)
            if (jobs[k].spec && jobs[k].spec->role == R_NOVA &&
                strcmp(jobs[k].table, "instances") == 0 &&
                (jobs[k].status == S_OK || jobs[k].status == S_PENDING)) {
                if (any)
                    sb_add(b, " UNION ALL ");
                sub_instances(b, jobs[k].db);
                any = true;
            }
        if (!any) { /* -t request_specs alone: every cell named */
            for (size_t c = 0; c < opt.nova_dbs.n; c++) {
                if (c)
                    sb_add(b, " UNION ALL ");
                sub_instances(b, opt.nova_dbs.v[c]);
            }
        }
        sb_add(b, ")");
        return;
    }
    case F_EXISTS:
        sb_add(b, " WHERE ");
        cond_before_end(b, NULL, "created_at");
        if (j->has_deleted_at) {
            sb_add(b, " AND ");
            cond_after_start(b, NULL, "deleted_at");
        }
        return;
    case F_LEASE:
        sb_add(b, " WHERE ");
        cond_lease(b, "`leases`");
        return;
    case F_BY_LEASE:
        where_in(b, "lease_id", sub_leases, j->db);
        return;
    case F_BY_RESERVATION:
        where_in(b, "reservation_id", sub_reservations, j->db);
        return;
    case F_CREATED:
        sb_add(b, " WHERE ");
        cond_before_end(b, NULL, "created_at");
        return;
    case F_GPU_KEYS: /* above */
        return;
    }
}

static void select_sql(struct sbuf *b, const struct job *j,
                       const struct job *jobs, size_t njobs)
{
    sb_add(b, "SELECT ");
    for (size_t i = 0; i < j->sel.n; i++) {
        if (i)
            sb_addc(b, ',');
        sb_ident(b, j->sel.v[i]);
    }
    sb_add(b, " FROM ");
    sb_table(b, j->db, j->table);
    window_filter(b, j, jobs, njobs);
}

/* ------------------------------------------------------------ JSON */

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

static void jtargets_init(struct jtargets *t, const struct derived *d)
{
    memset(t, 0, sizeof *t);
    for (; d->name && t->n < JMAX_TARGETS; d++, t->n++) {
        const char *p = d->path;
        while (*p && t->ncomp[t->n] < JMAX_COMP) {
            size_t l = strcspn(p, ".");
            t->comp[t->n][t->ncomp[t->n]++] = cu_xstrndup(p, l);
            p += l;
            if (*p == '.')
                p++;
        }
    }
}

static void jtargets_free(struct jtargets *t)
{
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < t->ncomp[i]; k++)
            free(t->comp[i][k]);
}

static void j_ws(struct jparse *j)
{
    while (j->p < j->end &&
           (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

/* Step over c if it comes next. */
static bool j_eat(struct jparse *j, char c)
{
    if (j->p < j->end && *j->p == c) {
        j->p++;
        return true;
    }
    return false;
}

/* A string at j->p (the opening quote); decoded into out unless NULL. */
static bool j_string(struct jparse *j, struct sbuf *out)
{
    if (j->p >= j->end || *j->p != '"')
        return false;
    j->p++;
    if (out)
        sb_clear(out);
    for (;;) {
        const char *start = j->p;
        while (j->p < j->end && *j->p != '"' && *j->p != '\\' &&
               (unsigned char)*j->p >= 0x20)
            j->p++;
        if (out && j->p > start)
            sb_addn(out, start, (size_t)(j->p - start));
        if (j->p >= j->end || (unsigned char)*j->p < 0x20)
            return false;
        if (*j->p == '"') {
            j->p++;
            if (out && !out->s)
                sb_add(out, "");
            return true;
        }
        if (j->p + 1 >= j->end)
            return false;
        int c = cu_json_simple_escape(j->p[1]);
        if (c >= 0) {
            j->p += 2;
            if (out)
                sb_addc(out, (char)c);
            continue;
        }
        if (j->p[1] != 'u')
            return false;
        uint32_t cp;
        const char *why;
        size_t used = cu_json_unicode_escape(j->p, j->end, &cp, &why);
        if (!used)
            return false;
        j->p += used;
        if (out) {
            char u[4];
            sb_addn(out, u, cu_utf8_encode(cp, u));
        }
    }
}

/* One or more decimal digits from *p. */
static bool j_digits(const char **p, const char *end)
{
    if (*p >= end || **p < '0' || **p > '9')
        return false;
    while (*p < end && **p >= '0' && **p <= '9')
        (*p)++;
    return true;
}

static bool j_number(struct jparse *j)
{
    const char *p = j->p;
    if (p < j->end && *p == '-')
        p++;
    if (p >= j->end)
        return false;
    if (*p == '0')
        p++;
    else if (*p < '1' || *p > '9' || !j_digits(&p, j->end))
        return false;
    if (p < j->end && *p == '.') {
        p++;
        if (!j_digits(&p, j->end))
            return false;
    }
    if (p < j->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < j->end && (*p == '+' || *p == '-'))
            p++;
        if (!j_digits(&p, j->end))
            return false;
    }
    j->p = p;
    return true;
}

static bool j_literal(struct jparse *j, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
        return false;
    j->p += n;
    return true;
}

static bool j_value(struct jparse *j, uint32_t alive, size_t level, int depth);

/* The value of target ti: scalars as they are; of an array, its first
 * element (Nova keeps scheduler hints as lists). */
static bool j_record(struct jparse *j, size_t ti, int depth)
{
    struct jresult *r = &j->res[ti];
    j_ws(j);
    if (j->p >= j->end)
        return false;
    const char *start = j->p;
    switch (*j->p) {
    case '"':
        r->type = J_STRING;
        return j_string(j, &r->str);
    case 'n':
        r->type = J_NULL;
        return j_literal(j, "null");
    case 't':
        r->type = J_TRUE;
        return j_literal(j, "true");
    case 'f':
        r->type = J_FALSE;
        return j_literal(j, "false");
    case '[': {
        j->p++;
        j_ws(j);
        r->type = J_NULL;
        if (j_eat(j, ']'))
            return true;
        bool first = true;
        for (;;) {
            if (first) {
                if (!j_record(j, ti, depth + 1))
                    return false;
                first = false;
            } else if (!j_value(j, 0, 0, depth + 1))
                return false;
            j_ws(j);
            if (!j_eat(j, ','))
                return j_eat(j, ']');
        }
    }
    case '{':
        if (!j_value(j, 0, 0, depth + 1))
            return false;
        r->type = J_OTHER;
        r->raw = start;
        r->rawlen = (size_t)(j->p - start);
        return true;
    default:
        if (!j_number(j))
            return false;
        r->type = J_NUMBER;
        r->raw = start;
        r->rawlen = (size_t)(j->p - start);
        return true;
    }
}

static bool j_value(struct jparse *j, uint32_t alive, size_t level, int depth)
{
    if (depth > JMAX_DEPTH)
        return false;
    j_ws(j);
    if (j->p >= j->end)
        return false;
    for (size_t t = 0; t < j->t->n; t++)
        if ((alive >> t & 1) && j->t->ncomp[t] == level)
            return j_record(j, t, depth);
    switch (*j->p) {
    case '{': {
        j->p++;
        j_ws(j);
        if (j_eat(j, '}'))
            return true;
        for (;;) {
            j_ws(j);
            uint32_t child = 0;
            size_t clevel = level + 1;
            if (alive) {
                if (!j_string(j, &j->key))
                    return false;
                if (strcmp(sb_str(&j->key), "nova_object.data") == 0) {
                    child = alive;
                    clevel = level;
                } else
                    for (size_t t = 0; t < j->t->n; t++)
                        if ((alive >> t & 1) && j->t->ncomp[t] > level &&
                            strcmp(j->t->comp[t][level], sb_str(&j->key)) == 0)
                            child |= UINT32_C(1) << t;
            } else if (!j_string(j, NULL))
                return false;
            j_ws(j);
            if (!j_eat(j, ':'))
                return false;
            if (!j_value(j, child, clevel, depth + 1))
                return false;
            j_ws(j);
            if (!j_eat(j, ','))
                return j_eat(j, '}');
        }
    }
    case '[': {
        j->p++;
        j_ws(j);
        if (j_eat(j, ']'))
            return true;
        for (;;) {
            if (!j_value(j, 0, 0, depth + 1))
                return false;
            j_ws(j);
            if (!j_eat(j, ','))
                return j_eat(j, ']');
        }
    }
    case '"': return j_string(j, NULL);
    case 'n': return j_literal(j, "null");
    case 't': return j_literal(j, "true");
    case 'f': return j_literal(j, "false");
    default: return j_number(j);
    }
}

/* Parse a whole document; false if it is not JSON. */
static bool json_extract(const char *s, size_t len, const struct jtargets *t,
                         struct jresult *res, struct sbuf *keybuf)
{
    for (size_t i = 0; i < t->n; i++) {
        res[i].type = J_UNSET;
        sb_clear(&res[i].str);
    }
    struct jparse j = {s, s + len, t, res, *keybuf};
    uint32_t all = t->n >= 32 ? UINT32_MAX : (UINT32_C(1) << t->n) - 1;
    bool ok = j_value(&j, all, 0, 0);
    if (ok) {
        j_ws(&j);
        ok = j.p == j.end;
    }
    *keybuf = j.key;
    return ok;
}

static void write_jresult(cu_writer *w, const struct jresult *r)
{
    switch (r->type) {
    case J_UNSET:
    case J_NULL: cu_writer_null(w); break;
    case J_TRUE: cu_writer_bool(w, true); break;
    case J_FALSE: cu_writer_bool(w, false); break;
    case J_NUMBER: cu_writer_num(w, r->raw, r->rawlen); break;
    case J_STRING: cu_writer_str(w, sb_str(&r->str), r->str.len); break;
    case J_OTHER: cu_writer_str(w, r->raw, r->rawlen); break;
    }
}

/* ------------------------------------------------------------ values */

enum conv { CV_STR, CV_NUM, CV_DATETIME, CV_DATE };

static enum conv conv_of(const MYSQL_FIELD *f)
{
    switch (f->type) {
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
        return CV_DATETIME;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
        return CV_DATE;
    case MYSQL_TYPE_NULL:
        return CV_STR;
    default:
        return IS_NUM(f->type) ? CV_NUM : CV_STR;
    }
}

static bool is_zero_date(const char *s, size_t len)
{
    /* 0000-00-00, and the partial zeros MySQL allows: 2024-00-00 */
    if (len < 10)
        return true;
    return memcmp(s, "0000", 4) == 0 || memcmp(s + 5, "00", 2) == 0 ||
           memcmp(s + 8, "00", 2) == 0;
}

/* Values that never need escaping (numbers and times from the server) go
 * to the writer already encoded when its format allows: this skips the
 * escape scan, the hot spot of a dump. */
static enum cu_format out_fmt;

/* YYYY-MM-DD HH:MM:SS[.ffffff] -> YYYY-MM-DDTHH:MM:SS[.ffffff]Z; an all-zero
 * fraction (DATETIME(6) of a whole second) is dropped. */
static bool put_datetime(cu_writer *w, const char *s, size_t len)
{
    char buf[48];
    if (is_zero_date(s, len)) {
        cu_writer_null(w);
        return false;
    }
    if (len < 19 || len > 40 || s[10] != ' ') {
        cu_writer_str(w, s, len); /* not what the server sends: keep it */
        return true;
    }
    if (len > 19 && s[19] == '.') {
        size_t k = 20;
        while (k < len && s[k] == '0')
            k++;
        if (k == len)
            len = 19;
    }
    bool quote = out_fmt == CU_FMT_JSONS;
    char *b = buf + quote;
    buf[0] = '"';
    memcpy(b, s, len);
    b[10] = 'T';
    b[len] = 'Z';
    b[len + 1] = '"';
    if (out_fmt == CU_FMT_CSV)
        cu_writer_str(w, b, len + 1);
    else
        cu_writer_raw(w, buf, len + 1 + 2 * quote);
    return true;
}

static void put_number(cu_writer *w, const char *s, size_t len)
{
    if (out_fmt == CU_FMT_TSV)
        cu_writer_raw(w, s, len);
    else
        cu_writer_num(w, s, len); /* JSONS: validated, written bare */
}

/* ------------------------------------------------------------ progress */

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static cu_time wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (cu_time)ts.tv_sec * CU_USEC_PER_SEC + ts.tv_nsec / 1000;
}

struct progress {
    bool on;
    const char *name;
    double t0, last;
};

static void progress_show(struct progress *p, uint64_t rows, bool final)
{
    if (!p->on)
        return;
    double t = now_sec();
    if (!final && t - p->last < 0.5)
        return;
    p->last = t;
    double dt = t - p->t0;
    fprintf(stderr, "\r%s: %" PRIu64 " rows, %.0f rows/s%s", p->name, rows,
            dt > 0 ? (double)rows / dt : 0.0, final ? "\n" : "\033[K");
}

/* ------------------------------------------------------------ the run */

/* State the exit handler needs to leave an archive honest. */
static struct run {
    bool active;     /* an archive run is under way */
    char *dir;
    struct job *jobs;
    size_t njobs;
    const struct session *se;
} run;

/* The text of a manifest row's numbers, times and column list. */
struct manifest_text {
    char rows[24], bytes[24], file_bytes[24];
    char started[CU_TIME_BUFSZ], finished[CU_TIME_BUFSZ];
    struct sbuf cols;
};

/* Archive members are zstd unless --compress says otherwise (a stream on
 * standard output is compressed only when asked). */
static enum cu_compress archive_compression(void)
{
    return opt.common.compress_given ? opt.common.compress
                                     : CU_COMPRESS_ZSTD;
}

/* MANIFEST.tsv (or MANIFEST.incomplete.tsv after a failure), through
 * lib/archive: no fatal error, so that the exit handler can use it too;
 * returns false on any error. */
static bool write_manifest(const char *dir, const char *name,
                           const struct job *jobs, size_t n,
                           const struct session *se)
{
    const char **cell = calloc(n ? n * CU_MANIFEST_NCOLS : 1, sizeof *cell);
    struct manifest_text *text = calloc(n ? n : 1, sizeof *text);
    bool ok = cell && text;
    for (size_t i = 0; ok && i < n; i++) {
        const struct job *j = &jobs[i];
        struct manifest_text *t = &text[i];
        const char **c = cell + i * CU_MANIFEST_NCOLS;
        bool dumped = j->status == S_OK;
        bool counted = dumped || j->status == S_FAILED;
        for (size_t k = 0; k < j->out.n; k++)
            sb_printf(&t->cols, "%s%s", k ? "," : "", j->out.v[k]);
        snprintf(t->rows, sizeof t->rows, "%" PRIu64, j->rows);
        snprintf(t->bytes, sizeof t->bytes, "%" PRIu64, j->bytes);
        snprintf(t->file_bytes, sizeof t->file_bytes, "%" PRIu64,
                 j->file_bytes);
        if (j->started != CU_TIME_NULL)
            cu_time_format(j->started, t->started);
        if (j->finished != CU_TIME_NULL)
            cu_time_format(j->finished, t->finished);
        const char *row[CU_MANIFEST_NCOLS] = {
            j->name,
            dumped ? j->file : NULL,
            status_names[j->status],
            counted ? t->rows : NULL,
            dumped ? t->bytes : NULL,
            dumped ? t->file_bytes : NULL,
            dumped ? cu_compress_name(archive_compression()) : NULL,
            dumped ? j->sha256 : NULL,
            t->cols.s ? t->cols.s : (j->out.n ? "" : NULL),
            j->started == CU_TIME_NULL ? NULL : t->started,
            j->finished == CU_TIME_NULL ? NULL : t->finished,
            site_label(se->site),
            se->server_version,
            PACKAGE_VERSION,
            j->notes.len ? j->notes.s : NULL};
        memcpy(c, row, sizeof row);
    }
    if (ok)
        ok = cu_manifest_write(dir, name, cu_manifest_cols, CU_MANIFEST_NCOLS,
                               cell, n);
    int err = errno;
    for (size_t i = 0; text && i < n; i++)
        sb_free(&text[i].cols);
    free(text);
    free(cell);
    errno = ok ? errno : (cell && text ? err : ENOMEM);
    return ok;
}

/* At exit during an archive run (a fatal error anywhere, in this file or in
 * the writer): remove the half-written file and say in
 * MANIFEST.incomplete.tsv how far we got. No MANIFEST.tsv is written, so
 * the directory does not look like a complete archive. */
static void leave_archive_honest(void)
{
    if (!run.active)
        return;
    run.active = false;
    cu_temp_remove(); /* before the manifest that says it is not there */
    for (size_t i = 0; i < run.njobs; i++) {
        if (run.jobs[i].status == S_PENDING)
            run.jobs[i].status = S_NOT_DUMPED;
    }
    if (write_manifest(run.dir, "MANIFEST.incomplete.tsv", run.jobs,
                       run.njobs, run.se))
        fprintf(stderr, "%s: %s: the archive is incomplete: see "
                        "MANIFEST.incomplete.tsv\n",
                cu_program_name(), run.dir);
    else
        fprintf(stderr, "%s: %s/MANIFEST.incomplete.tsv: %s: the archive is "
                        "incomplete (it has no MANIFEST.tsv)\n",
                cu_program_name(), run.dir, strerror(errno));
}

/* Read one table into w (a section of the stream, or the archive file). */
static void dump_job(struct session *se, struct job *j, cu_writer *w,
                     const char *section, const struct job *jobs,
                     size_t njobs)
{
    struct sbuf q = {0};
    select_sql(&q, j, jobs, njobs);
    j->started = wall_now();
    if (mysql_real_query(se->m, q.s, q.len) != 0) {
        unsigned err = mysql_errno(se->m);
        if (is_denied(err)) {
            char msg[1024];
            snprintf(msg, sizeof msg, "access denied: %s", mysql_error(se->m));
            table_problem(se, j, S_DENIED, msg);
            j->started = CU_TIME_NULL;
            sb_free(&q);
            return;
        }
        j->status = S_FAILED;
        struct sbuf what = {0};
        sb_printf(&what, "%s: reading the table failed", j->name);
        die_sql(se, what.s);
    }
    sb_free(&q);
    MYSQL_RES *res = mysql_use_result(se->m);
    if (!res) {
        j->status = S_FAILED;
        die_sql(se, j->name);
    }
    unsigned nf = mysql_num_fields(res);
    MYSQL_FIELD *fields = mysql_fetch_fields(res);
    size_t nplain = j->blob_read ? nf - 1 : nf;
    enum conv *conv = cu_xmalloc(nf * sizeof *conv);
    unsigned long *zeros = cu_xcalloc(nf, sizeof *zeros);
    for (unsigned i = 0; i < nf; i++)
        conv[i] = conv_of(&fields[i]);

    struct jtargets targets = {0};
    struct jresult jres[JMAX_TARGETS];
    memset(jres, 0, sizeof jres);
    struct sbuf keybuf = {0};
    size_t nderived = 0;
    unsigned long bad_json = 0;
    char *first_bad = NULL;
    if (j->spec && j->spec->blob && !opt.all_columns) {
        jtargets_init(&targets, j->spec->derived);
        nderived = targets.n;
    }

    cu_writer_section(w, section, (const char *const *)j->out.v, j->out.n);
    struct progress pr = {opt.progress == 1, j->name, now_sec(), 0};
    pr.last = pr.t0;
    MYSQL_ROW row;
    j->rows = 0;
    while ((row = mysql_fetch_row(res))) {
        unsigned long *len = mysql_fetch_lengths(res);
        for (size_t i = 0; i < nplain; i++) {
            if (!row[i]) {
                cu_writer_null(w);
                continue;
            }
            switch (conv[i]) {
            case CV_STR: cu_writer_str(w, row[i], len[i]); break;
            case CV_NUM: put_number(w, row[i], len[i]); break;
            case CV_DATETIME:
                if (!put_datetime(w, row[i], len[i]))
                    zeros[i]++;
                break;
            case CV_DATE:
                if (is_zero_date(row[i], len[i])) {
                    cu_writer_null(w);
                    zeros[i]++;
                } else
                    cu_writer_str(w, row[i], len[i]);
                break;
            }
        }
        if (nderived) {
            bool parsed = false;
            if (j->blob_read && row[nf - 1] && len[nf - 1]) {
                parsed = json_extract(row[nf - 1], len[nf - 1], &targets,
                                      jres, &keybuf);
                if (!parsed) {
                    if (!bad_json++ && nplain && row[0])
                        first_bad = cu_xstrndup(row[0], len[0]);
                }
            }
            for (size_t d = 0; d < nderived; d++) {
                if (parsed)
                    write_jresult(w, &jres[d]);
                else
                    cu_writer_null(w);
            }
        }
        cu_writer_end_row(w);
        if ((++j->rows & 0xFFF) == 0)
            progress_show(&pr, j->rows, false);
    }
    if (mysql_errno(se->m)) {
        j->status = S_FAILED;
        add_note(j, "failed after %" PRIu64 " rows: %s", j->rows,
                 mysql_error(se->m));
        struct sbuf what = {0};
        sb_printf(&what, "%s: lost the server after %" PRIu64 " rows",
                  j->name, j->rows);
        die_sql(se, what.s);
    }
    mysql_free_result(res);
    progress_show(&pr, j->rows, true);
    j->finished = wall_now();
    j->status = S_OK;
    for (size_t i = 0; i < nplain; i++)
        if (zeros[i]) {
            add_note(j, "%lu zero dates in %s written as \\N", zeros[i],
                     j->sel.v[i]);
            cu_warn("%s: %lu zero dates in column %s written as \\N",
                    j->name, zeros[i], j->sel.v[i]);
        }
    if (bad_json) {
        add_note(j, "%lu rows with malformed %s JSON (derived columns \\N)",
                 bad_json, j->spec->blob);
        if (opt.strict)
            cu_die(CU_EXIT_DATA, "%s: column %s is not JSON (first: %s '%s')",
                   j->name, j->spec->blob, j->sel.v[0],
                   first_bad ? first_bad : "?");
        cu_warn("%s: %lu rows with malformed %s JSON, derived columns written "
                "as \\N (first: %s '%s')",
                j->name, bad_json, j->spec->blob, j->sel.v[0],
                first_bad ? first_bad : "?");
    }
    free(first_bad);
    free(conv);
    free(zeros);
    for (size_t d = 0; d < JMAX_TARGETS; d++)
        sb_free(&jres[d].str);
    sb_free(&keybuf);
    jtargets_free(&targets);
}

static void make_dir(const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", dir);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        cu_die(CU_EXIT_DATA, "%s: not a directory", dir);
}

/* --stats for an archive: its tables' rows and bytes in all. */
static void archive_stats(const char *dir, const struct job *jobs, size_t n)
{
    uint64_t rows = 0, bytes = 0, stored = 0;
    for (size_t i = 0; i < n; i++)
        if (jobs[i].status == S_OK) {
            rows += jobs[i].rows;
            bytes += jobs[i].bytes;
            stored += jobs[i].file_bytes;
        }
    cu_stats_wrote(dir, rows, bytes, stored);
}

static void dump_archive(struct session *se, struct job *jobs, size_t n,
                         const char *dir)
{
    make_dir(dir);
    /* An old manifest would vouch for files this run is replacing. */
    const char *stale[] = {"MANIFEST.tsv", "MANIFEST.incomplete.tsv"};
    for (size_t i = 0; i < 2; i++) {
        char *p = cu_path_join(dir, stale[i]);
        if (unlink(p) != 0 && errno != ENOENT)
            cu_die_errno(CU_EXIT_DATA, errno, "%s", p);
        free(p);
    }
    run.active = true;
    run.dir = cu_xstrdup(dir);
    run.jobs = jobs;
    run.njobs = n;
    run.se = se;
    /* what can be read is pending until its file is renamed into place */
    for (size_t i = 0; i < n; i++)
        if (jobs[i].status == S_OK)
            jobs[i].status = S_PENDING;
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (j->status != S_PENDING) /* missing, absent, denied */
            continue;
        struct sbuf fname = {0};
        sb_printf(&fname, "%s.tsv%s", j->name,
                  cu_compress_suffix(archive_compression()));
        j->file = fname.s;
        char *final = cu_path_join(dir, j->file);
        char *tmp = cu_temp_path(dir, j->file);
        cu_temp_begin(tmp); /* removed if the run fails or is killed */
        /* no trailers: the manifest vouches for the member (rows, sha256),
           and the file loads back with LOAD DATA as it is */
        cu_writer *w = cu_writer_open_path(
            tmp, CU_FMT_TSV,
            cu_write_compress_flag(archive_compression()) |
                CU_WRITE_NO_TRAILERS);
        dump_job(se, j, w, NULL, jobs, n);
        if (j->status == S_DENIED) { /* only when !--strict */
            cu_writer_close(w);
            unlink(tmp);
            cu_temp_forget();
            free(tmp);
            free(final);
            free(j->file);
            j->file = NULL;
            continue;
        }
        j->status = S_PENDING; /* not complete until renamed */
        j->bytes = cu_writer_bytes(w);
        cu_writer_close(w);
        cu_sha256_file(tmp, j->sha256, &j->file_bytes);
        cu_temp_commit(final);
        j->status = S_OK;
        free(tmp);
        free(final);
    }
    cu_sync_dir(dir); /* the tables' renames, before the manifest's */
    /* nothing may fail once the manifest is there: its path comes first */
    char *manifest = cu_path_join(dir, "MANIFEST.tsv");
    if (!write_manifest(dir, "MANIFEST.tsv", jobs, n, se))
        cu_die_errno(CU_EXIT_DATA, errno, "%s/MANIFEST.tsv", dir);
    cu_sync_dir_published(dir, manifest);
    free(manifest);
    run.active = false;
    free(run.dir);
    run.dir = NULL;
    if (opt.common.stats)
        archive_stats(dir, jobs, n);
}

/* A stream says which tables it could not deliver (#status), as an
 * archive's manifest does, so that a tool needing one fails instead of
 * reading it as empty. */
static void dump_stream(struct session *se, struct job *jobs, size_t n,
                        cu_writer *w)
{
    bool csv = opt.common.out_format == CU_FMT_CSV;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].status == S_OK) {
            /* A single-table CSV has no room for a section name. */
            dump_job(se, &jobs[i], w, csv ? NULL : jobs[i].name, jobs, n);
        }
        if (jobs[i].status != S_OK && !csv)
            cu_writer_table_status(w, jobs[i].name,
                                   status_names[jobs[i].status]);
    }
}

/* ------------------------------------------------------------ --list */

static void list_tables(struct session *se, struct job *jobs, size_t n,
                        cu_writer *w, bool with_site)
{
    const char *with[] = {"site", "table", "status", "rows"};
    static bool header_done;
    if (!header_done) {
        cu_writer_section(w, NULL, with_site ? with : with + 1,
                          with_site ? 4 : 3);
        header_done = true;
    }
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        bool counted = false;
        char num[32] = "";
        if (j->status == S_OK) {
            struct sbuf q = {0};
            sb_add(&q, "SELECT COUNT(*) FROM ");
            sb_table(&q, j->db, j->table);
            window_filter(&q, j, jobs, n);
            if (mysql_real_query(se->m, q.s, q.len) != 0) {
                if (!is_denied(mysql_errno(se->m)))
                    die_sql(se, j->name);
                j->status = S_DENIED;
            } else {
                MYSQL_RES *res = mysql_store_result(se->m);
                MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
                if (!row || !row[0])
                    die_sql(se, j->name);
                snprintf(num, sizeof num, "%s", row[0]);
                counted = true;
                mysql_free_result(res);
            }
            sb_free(&q);
        }
        if (with_site)
            cu_writer_cstr(w, site_label(se->site));
        cu_writer_cstr(w, j->name);
        cu_writer_cstr(w, status_names[j->status]);
        if (counted)
            cu_writer_num(w, num, strlen(num));
        else
            cu_writer_null(w);
        cu_writer_end_row(w);
    }
}

/* ------------------------------------------------------------ --grant-sql */

static void print_grants(struct session *se, struct job *jobs, size_t n,
                         cu_writer *w)
{
    (void)se;
    const char *user = opt.user;
    const char *host = opt.host ? opt.host : "%";
    struct sbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        const struct job *j = &jobs[i];
        sb_clear(&b);
        if (j->status != S_OK) {
            sb_printf(&b, "-- %s: %s, not granted", j->name,
                      status_names[j->status]);
        } else
            grant_statement(&b, j,
                            opt.all_columns ? NULL
                                            : (const char *const *)j->sel.v,
                            opt.all_columns ? 0 : j->sel.n, user, host);
        if (fprintf(stdout, "%s\n", b.s) < 0)
            cu_die_errno(CU_EXIT_DATA, errno, "(stdout)");
    }
    sb_free(&b);
    (void)w;
}

/* ------------------------------------------------------------ --trace */

/* Seconds between two instants as a number: whole seconds bare, otherwise
 * with the microseconds (trailing zeros dropped). legacy: Python's float
 * text ("47.0") as the published traces have it. */
static size_t seconds_text(cu_time d, bool legacy, char *buf, size_t cap)
{
    int64_t s = d / CU_USEC_PER_SEC, us = d % CU_USEC_PER_SEC;
    bool neg = d < 0;
    if (neg) {
        s = -s;
        us = -us;
    }
    int n;
    if (us == 0)
        n = snprintf(buf, cap, "%s%" PRId64 "%s", neg ? "-" : "", s,
                     legacy ? ".0" : "");
    else {
        n = snprintf(buf, cap, "%s%" PRId64 ".%06" PRId64, neg ? "-" : "", s,
                     us);
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = '\0';
    }
    return n > 0 ? (size_t)n : 0;
}

static cu_time parse_db_time(const char *s, size_t len)
{
    cu_time t;
    const char *why;
    if (!s || is_zero_date(s, len))
        return CU_TIME_NULL;
    if (cu_time_parse(s, len, &t, &why) != CU_TIME_OK)
        return CU_TIME_NULL;
    return t;
}

static void trace_from(struct sbuf *q, const char *db)
{
    sb_add(q, " FROM ");
    sb_table(q, db, "instance_actions_events");
    sb_add(q, " e JOIN ");
    sb_table(q, db, "instance_actions");
    sb_add(q, " a ON a.`id` = e.`action_id` JOIN ");
    sb_table(q, db, "instances");
    sb_add(q, " i ON i.`uuid` = a.`instance_uuid`");
    if (have_window()) {
        sb_add(q, " WHERE e.`start_time` >= ");
        if (opt.start != CU_TIME_NULL)
            sb_time_literal(q, opt.start);
        else
            sb_add(q, "'0000-00-00'");
        if (opt.end != CU_TIME_NULL) {
            sb_add(q, " AND e.`start_time` < ");
            sb_time_literal(q, opt.end);
        }
    }
}

/* Trace jobs: the three tables of each cell, with the trace's columns. */
static struct job *plan_trace_jobs(size_t *njobs)
{
    size_t n = 3 * opt.nova_dbs.n;
    struct job *jobs = cu_xcalloc(n, sizeof *jobs);
    static struct tablespec specs[3];
    specs[0] = (struct tablespec){R_NOVA, "instances", false,
                                  trace_instances_cols, F_NONE, NULL, NULL};
    specs[1] = (struct tablespec){R_NOVA, "instance_actions", false,
                                  trace_actions_cols, F_NONE, NULL, NULL};
    specs[2] = (struct tablespec){R_NOVA, "instance_actions_events", false,
                                  trace_events_cols, F_NONE, NULL, NULL};
    for (size_t c = 0; c < opt.nova_dbs.n; c++)
        for (size_t k = 0; k < 3; k++)
            job_init(&jobs[3 * c + k], &specs[k], opt.nova_dbs.v[c],
                     specs[k].table);
    *njobs = n;
    return jobs;
}

static size_t spec_ncols(const struct tablespec *t)
{
    size_t n = 0;
    while (t->cols[n])
        n++;
    return n;
}

static void dump_trace(struct session *se, struct job *jobs, size_t njobs,
                       cu_writer *w)
{
    /* Every cell's three tables must be readable in full: a trace without
     * a cell, or with a column missing, would look complete and be short. */
    struct strv cells = {0};
    for (size_t c = 0; c + 2 < njobs; c += 3) {
        for (size_t k = 0; k < 3; k++) {
            const struct job *j = &jobs[c + k];
            if (j->status != S_OK || j->sel.n != spec_ncols(j->spec))
                cu_die(CU_EXIT_DATA,
                       "--trace: %s cannot be read in full (%s%s%s): no "
                       "trace written",
                       j->name, status_names[j->status],
                       j->notes.len ? ": " : "", sb_str(&j->notes));
        }
        strv_push(&cells, jobs[c].db);
    }
    bool legacy = opt.starcompactor;
    cu_writer_section(w, NULL, legacy ? starcompactor_header : trace_header,
                      NTRACE);

    cu_time epoch = opt.epoch != CU_TIME_NULL ? opt.epoch : opt.start;
    struct sbuf q = {0};
    if (epoch == CU_TIME_NULL) {
        sb_add(&q, "SELECT MIN(m) FROM (");
        for (size_t c = 0; c < cells.n; c++) {
            if (c)
                sb_add(&q, " UNION ALL ");
            sb_add(&q, "SELECT MIN(e.`start_time`) AS m");
            trace_from(&q, cells.v[c]);
        }
        sb_add(&q, ") t");
        if (mysql_real_query(se->m, q.s, q.len) != 0)
            die_sql(se, "trace: first event");
        MYSQL_RES *res = mysql_store_result(se->m);
        MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
        if (row && row[0])
            epoch = parse_db_time(row[0], strlen(row[0]));
        if (res)
            mysql_free_result(res);
        sb_clear(&q);
    }

    for (size_t c = 0; c < cells.n; c++) {
        if (c)
            sb_add(&q, " UNION ALL ");
        sb_add(&q, "SELECT i.`uuid`, e.`event`, e.`start_time`, "
                   "e.`finish_time`, e.`result`, i.`hostname`, i.`user_id`, "
                   "i.`project_id`, i.`host`, i.`memory_mb`, i.`root_gb`, "
                   "i.`vcpus`, ");
        sb_printf(&q, "%zu AS cell, e.`id` AS event_id", c);
        trace_from(&q, cells.v[c]);
    }
    sb_add(&q, " ORDER BY 3, 1, 13, 14");
    if (mysql_real_query(se->m, q.s, q.len) != 0)
        die_sql(se, "trace query");
    sb_free(&q);
    MYSQL_RES *res = mysql_use_result(se->m);
    if (!res)
        die_sql(se, "trace query");
    struct progress pr = {opt.progress == 1, "trace", now_sec(), 0};
    uint64_t rows = 0;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res))) {
        unsigned long *len = mysql_fetch_lengths(res);
        cu_time st = parse_db_time(row[2], row[2] ? len[2] : 0);
        cu_time ft = parse_db_time(row[3], row[3] ? len[3] : 0);
        char sbuf[48], fbuf[48], dbuf[48], ts[CU_TIME_BUFSZ], tf[CU_TIME_BUFSZ];
        size_t sl = 0, fl = 0, dl = 0, tsl = 0, tfl = 0;
        if (st != CU_TIME_NULL) {
            tsl = cu_time_format(st, ts);
            if (epoch != CU_TIME_NULL)
                sl = seconds_text(st - epoch, legacy, sbuf, sizeof sbuf);
        }
        if (ft != CU_TIME_NULL) {
            tfl = cu_time_format(ft, tf);
            if (epoch != CU_TIME_NULL)
                fl = seconds_text(ft - epoch, legacy, fbuf, sizeof fbuf);
        }
        if (st != CU_TIME_NULL && ft != CU_TIME_NULL)
            dl = seconds_text(ft - st, legacy, dbuf, sizeof dbuf);
        if (legacy) { /* Python isoformat(): no zone letter */
            if (tsl)
                tsl--;
            if (tfl)
                tfl--;
        }
#define PUT_OPT(buf, l) ((l) ? cu_writer_num(w, buf, l) : cu_writer_null(w))
#define PUT_STR(i) (row[i] ? cu_writer_str(w, row[i], len[i]) : cu_writer_null(w))
#define PUT_NUM(i) (row[i] ? cu_writer_num(w, row[i], len[i]) : cu_writer_null(w))
        PUT_STR(0);
        PUT_STR(1);
        tsl ? cu_writer_str(w, ts, tsl) : cu_writer_null(w);
        PUT_OPT(sbuf, sl);
        tfl ? cu_writer_str(w, tf, tfl) : cu_writer_null(w);
        PUT_OPT(fbuf, fl);
        PUT_OPT(dbuf, dl);
        PUT_STR(4);
        if (legacy) {
            PUT_NUM(9);
            PUT_NUM(10);
            PUT_NUM(11);
        }
        PUT_STR(5);
        PUT_STR(6);
        PUT_STR(7);
        PUT_STR(8);
        if (!legacy) {
            PUT_NUM(9);
            PUT_NUM(10);
            PUT_NUM(11);
        }
#undef PUT_OPT
#undef PUT_STR
#undef PUT_NUM
        cu_writer_end_row(w);
        if ((++rows & 0xFFF) == 0)
            progress_show(&pr, rows, false);
    }
    if (mysql_errno(se->m)) {
        struct sbuf what = {0};
        sb_printf(&what, "trace: lost the server after %" PRIu64 " rows",
                  rows);
        die_sql(se, what.s);
    }
    mysql_free_result(res);
    progress_show(&pr, rows, true);
    for (size_t k = 0; k < cells.n; k++)
        free(cells.v[k]);
    free(cells.v);
}

/* ------------------------------------------------------------ main */

static void free_jobs(struct job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        free(j->db);
        free(j->table);
        free(j->name);
        free(j->file);
        strv_free(&j->sel);
        strv_free(&j->out);
        sb_free(&j->notes);
    }
    free(jobs);
}

static char *site_outdir(const struct site *s, size_t nsites)
{
    if (opt.archive) {
        if (!s->dir)
            cu_die(CU_EXIT_USAGE, "%s: site %s has no dir for --archive",
                   opt.sites_file, s->key);
        return cu_xstrdup(s->dir);
    }
    if (!opt.outdir)
        return NULL;
    if (nsites > 1) {
        make_dir(opt.outdir);
        return cu_path_join(opt.outdir, s->key);
    }
    return cu_xstrdup(opt.outdir);
}

static void run_site(const struct site *site, size_t nsites, bool to_stdout,
                     cu_writer *w)
{
    struct session se;
    connect_site(&se, site);
    size_t njobs;
    struct job *jobs = opt.trace ? plan_trace_jobs(&njobs) : plan_jobs(&njobs);
    resolve_jobs(&se, jobs, njobs);
    if (opt.common.out_format == CU_FMT_CSV && !opt.trace && !opt.list) {
        size_t ok = 0;
        for (size_t i = 0; i < njobs; i++)
            ok += jobs[i].status == S_OK;
        if (ok != 1)
            cu_usage_error("--csv writes one table: select it with -t "
                           "(%zu tables selected)",
                           ok);
    }
    if (opt.list)
        list_tables(&se, jobs, njobs, w, opt.sites_file != NULL);
    else if (opt.grant_sql)
        print_grants(&se, jobs, njobs, w);
    else if (opt.trace)
        dump_trace(&se, jobs, njobs, w);
    else if (to_stdout)
        dump_stream(&se, jobs, njobs, w);
    else {
        char *dir = site_outdir(site, nsites);
        dump_archive(&se, jobs, njobs, dir);
        free(dir);
    }
    free_jobs(jobs, njobs);
    disconnect(&se);
}

int main(int argc, char **argv)
{
    cu_init(argv[0], &opt.common);
    atexit(leave_archive_honest);
    parse_options(argc, argv);
    if (opt.grant_sql && !opt.user)
        cu_usage_error("--grant-sql needs --user USER (the grantee)");

    if (!opt.trace) { /* -t errors are usage errors: before connecting */
        size_t nplan = 0;
        struct job *plan = plan_jobs(&nplan);
        free_jobs(plan, nplan);
    }
    size_t nsites;
    struct site *sites = select_sites(&nsites);
    bool to_stdout = !opt.outdir && !opt.archive;
    if (to_stdout && nsites > 1 && !opt.list && !opt.grant_sql) {
        free(sites);
        cu_usage_error("several sites need -o DIR or --archive (a stream "
                       "holds one site)");
    }
    if (opt.progress == -1)
        opt.progress = isatty(STDERR_FILENO) ? 1 : 0;

    out_fmt = opt.common.out_format;
    cu_writer *w = NULL;
    if (to_stdout && !opt.grant_sql)
        w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", opt.common.out_format,
                             opt.common.write_flags);

    /* Archives of several sites: each site in a child process, one after
     * the other, so that a site that fails (cannot connect, server lost)
     * leaves the others' archives complete; the exit status is the worst. */
    bool isolate = !to_stdout && nsites > 1;
    int worst = CU_EXIT_OK;
    for (size_t s = 0; s < nsites; s++) {
        if (isolate) {
            fflush(NULL);
            pid_t pid = fork();
            if (pid < 0)
                cu_die_errno(CU_EXIT_DATA, errno, "fork");
            if (pid > 0) {
                int st;
                while (waitpid(pid, &st, 0) < 0)
                    if (errno != EINTR)
                        cu_die_errno(CU_EXIT_DATA, errno, "waitpid");
                int code = WIFEXITED(st) ? WEXITSTATUS(st) : CU_EXIT_DATA;
                if (code != CU_EXIT_OK)
                    fprintf(stderr, "%s: site %s: failed (exit %d)\n",
                            cu_program_name(), sites[s].key, code);
                if (code > worst)
                    worst = code;
                continue;
            }
        }
        run_site(&sites[s], nsites, to_stdout, w);
        if (isolate)
            exit(CU_EXIT_OK);
    }
    if (w) {
        struct cu_write_counts c;
        cu_writer_close_counted(w, &c);
        if (opt.common.stats)
            cu_stats_wrote("(stdout)", c.rows, c.bytes, c.stored);
    }
    free(sites);
    for (size_t i = 0; i < nall_sites; i++) {
        free(all_sites[i].key);
        free(all_sites[i].name);
        free(all_sites[i].group);
        free(all_sites[i].dir);
        free(all_sites[i].defaults_file);
    }
    free(all_sites);
    mysql_library_end();
    return worst;
}
