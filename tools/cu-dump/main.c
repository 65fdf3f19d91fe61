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

#include "cu-dump.h"

struct options opt = {
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

/* -p takes no value: it prompts. The value is never echoed: it is a
 * password. */
static void take_password(void *options, const struct cu_option *row,
                          const char *arg)
{
    if (arg)
        cu_usage_error("a password on the command line is visible to "
                       "every user (ps): use -p alone to be prompted, "
                       "an option file, or DATABASE_URI");
    ((struct options *)options)->prompt = true;
    (void)row;
}


static const struct cu_option option_table[] = {
    {CU_OPT("host", CU_ARG_STRING, host), .letter = 'h'},
    {CU_OPT("port", CU_ARG_COUNT, port), .letter = 'P', .max = 65535},
    {CU_OPT("socket", CU_ARG_STRING, socket), .letter = 'S'},
    {CU_OPT("user", CU_ARG_STRING, user), .letter = 'u'},
    {.name = "password", .letter = 'p', .arg = CU_ARG_CALL,
     .call = take_password, .optional = true},
    {CU_OPT("table", CU_ARG_LIST, tables), .letter = 't'},
    {CU_OPT("output", CU_ARG_STRING, outdir), .letter = 'o'},
    {CU_OPT("start", CU_ARG_TIME, start)},
    {CU_OPT("end", CU_ARG_TIME, end)},
    {CU_OPT("epoch", CU_ARG_TIME, epoch)},
    {CU_OPT("trace", CU_ARG_FLAG, trace)},
    {CU_OPT("starcompactor", CU_ARG_FLAG, starcompactor)},
    {CU_OPT("list", CU_ARG_FLAG, list)},
    {CU_OPT("strict", CU_ARG_FLAG, strict)},
    {CU_OPT("all-columns", CU_ARG_FLAG, all_columns)},
    {CU_OPT("grant-sql", CU_ARG_FLAG, grant_sql)},
    {CU_OPT("sites", CU_ARG_STRING, sites_file)},
    {CU_OPT("site", CU_ARG_LIST, site_keys)},
    {CU_OPT("archive", CU_ARG_FLAG, archive)},
    {CU_OPT("progress", CU_ARG_SET, progress), .min = 1},
    {CU_OPT("no-progress", CU_ARG_SET, progress), .min = 0},
    {CU_OPT("defaults-file", CU_ARG_STRING, defaults_file)},
    {CU_OPT("defaults-extra-file", CU_ARG_STRING, defaults_extra_file)},
    {CU_OPT("ssl", CU_ARG_FLAG, ssl)},
    {CU_OPT("ssl-ca", CU_ARG_STRING, ssl_ca)},
    {CU_OPT("ssl-capath", CU_ARG_STRING, ssl_capath)},
    {CU_OPT("ssl-cert", CU_ARG_STRING, ssl_cert)},
    {CU_OPT("ssl-key", CU_ARG_STRING, ssl_key)},
    {CU_OPT("ssl-cipher", CU_ARG_STRING, ssl_cipher)},
    {CU_OPT("ssl-verify-server-cert", CU_ARG_FLAG, ssl_verify)},
    {CU_OPT("tls-version", CU_ARG_STRING, tls_version)},
    {CU_OPT("connect-timeout", CU_ARG_COUNT, connect_timeout),
     .max = 86400},
    {CU_OPT("nova-db", CU_ARG_LIST, nova_dbs)},
    {CU_OPT("nova-api-db", CU_ARG_STRING, nova_api_db)},
    {CU_OPT("blazar-db", CU_ARG_STRING, blazar_db)},
    {CU_OPT("keystone-db", CU_ARG_STRING, keystone_db)},
    {CU_OPT("zun-db", CU_ARG_STRING, zun_db)},
};

static void parse_options(int argc, char **argv)
{
    cu_parse_options(argc, argv, option_table,
                     sizeof option_table / sizeof *option_table, &opt,
                     &opt.common, usage);
    if (optind < argc) {
        /* `-p SECRET` or `--password SECRET` leaves the password as a
           stray argument: never echo what follows a password option. */
        if (opt.prompt)
            cu_usage_error("unexpected argument (not shown: it may be a "
                           "password; -p takes none, it prompts)");
        cu_usage_error("unexpected argument '%s'", argv[optind]);
    }
    static const char *nova[] = {"nova"};
    if (opt.nova_dbs.n == 0)
        opt.nova_dbs = (struct cu_args){nova, 1};

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

static void free_jobs(struct job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        cu_free_all(j->db, j->table, j->name, j->file);
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
    parse_options(argc, argv);
    if (opt.grant_sql && !opt.user)
        cu_usage_error("--grant-sql needs --user USER (the grantee)");

    if (!opt.trace) { /* -t errors are usage errors: before connecting */
        size_t nplan = 0;
        struct job *plan = plan_jobs(&nplan);
        free_jobs(plan, nplan);
    }
    size_t nsites, nall_sites = 0;
    struct site *all_sites = NULL;
    struct site *sites = select_sites(&all_sites, &nall_sites, &nsites);
    bool to_stdout = !opt.outdir && !opt.archive;
    if (to_stdout && nsites > 1 && !opt.list && !opt.grant_sql) {
        free(sites);
        cu_usage_error("several sites need -o DIR or --archive (a stream "
                       "holds one site)");
    }
    if (opt.progress == -1)
        opt.progress = isatty(STDERR_FILENO) ? 1 : 0;

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
        cu_free_all(all_sites[i].key, all_sites[i].name, all_sites[i].group,
                    all_sites[i].dir, all_sites[i].defaults_file);
    }
    free(all_sites);
    mysql_library_end();
    return worst;
}
