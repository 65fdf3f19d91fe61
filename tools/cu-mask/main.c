/* cu-mask: options and main (the rest: mask.h). */
#include "config.h"

#include "mask.h"

/* ------------------------------------------------------------ options */

static void usage(void)
{
    printf(
        "Usage: %s [OPTION]... [FILE|DIR|-]...\n"
        "Replace identifying values in a cu stream (table stream, archive,\n"
        "trace, spans) by keyed pseudonyms. The same value maps to the same\n"
        "pseudonym wherever it appears within its class, so joins survive.\n"
        "With no FILE, or when FILE is -, read standard input.\n"
        "\n"
        "What to mask (default: the preset, see --list-preset):\n"
        "  -f, --fields=LIST       mask exactly these fields instead of the "
        "preset;\n"
        "                          items are names (col, table.col, "
        "schema.table.col)\n"
        "                          or numbers, each optionally :CLASS "
        "(host:host)\n"
        "  -a, --add=LIST          mask these fields as well as the preset\n"
        "  -k, --keep=LIST         never mask these fields\n"
        "      --list-preset       print the preset (table, column, class) "
        "and exit\n"
        "\n"
        "Keys and pseudonyms:\n"
        "      --key-file=FILE     HMAC key from FILE (64 hex digits; mode "
        "0600)\n"
        "      --new-key=FILE      create FILE with a fresh key (mode 0600, "
        "never\n"
        "                          overwritten) and use it\n"
        "  -l, --length=N          pseudonyms of N hex digits, 1..64 "
        "(default 32)\n"
        "      --method=METHOD     hmac (default) or sha256-salted: "
        "sha256(salt||value),\n"
        "                          as in published Chameleon traces\n"
        "      --salt=S            the salt for sha256-salted (the bytes of "
        "S)\n"
        "      --salt-hex=HEX      the salt for sha256-salted, in hex\n"
        "\n"
        "Input and output:\n"
        "      --from=FORMAT       input format: auto (default), tsv, jsons, "
        "csv\n"
        "  -o, --output=DIR        write an archive directory (one .tsv.zst "
        "per table\n"
        "                          and MANIFEST.tsv; --compress gzip or none "
        "for\n"
        "                          .tsv.gz or .tsv) instead of standard "
        "output\n"
        CU_COMMON_OPTIONS_HELP
        "Without --tsv, --jsons or --csv the output has the input's format "
        "(not TSV\nby default as in other cu tools).\n"
        "\n"
        "Without --key-file a fresh 256-bit key is drawn for the run and "
        "wiped at\n"
        "exit: pseudonyms then differ from run to run. NULL stays NULL and "
        "the\n"
        "empty string stays empty. Everything not masked is copied byte for "
        "byte.\n"
        "\n"
        "Exit status: 0 ok, 1 data or runtime error, 2 usage error (also a "
        "field\n"
        "named with -f, -a or -k that no section has).\n"
        "See cu-mask(1) and cu(7).\n",
        cu_program_name());
}

struct options {
    struct mask *run; /* --fields, --add, --keep go to its items */
    const char *key_file;
    const char *new_key;
    enum method method;
    int64_t hexlen; /* --length */
    const char *salt;
    unsigned char *salt_hex;
    size_t salt_hex_len;
    const char *out_dir;
    enum cu_format in_fmt;
    bool list;
};

/* --fields, --add and --keep in the order given: a later item may name
 * what an earlier one did. --fields replaces the preset; --keep's fields
 * are copied as they are. */
static void take_items(void *options, const struct cu_option *row,
                       const char *arg)
{
    struct options *o = options;
    char option[16];
    snprintf(option, sizeof option, "--%s", row->name);
    if (row->letter == 'f')
        o->run->use_preset = false;
    add_items(o->run, arg, row->letter == 'k', option);
}

static void take_salt_hex(void *options, const struct cu_option *row,
                          const char *arg)
{
    struct options *o = options;
    free(o->salt_hex);
    o->salt_hex = parse_hex(arg, &o->salt_hex_len, "--salt-hex");
    (void)row;
}

#define STR(x) #x
#define DIGITS(n) STR(n) /* CU_SHA256_HEX as text, for a message */

static const struct cu_option option_table[] = {
    {.name = "fields", .letter = 'f', .arg = CU_ARG_CALL, .call = take_items},
    {.name = "add", .letter = 'a', .arg = CU_ARG_CALL, .call = take_items},
    {.name = "keep", .letter = 'k', .arg = CU_ARG_CALL, .call = take_items},
    {CU_OPT("list-preset", CU_ARG_FLAG, list)},
    {CU_OPT("key-file", CU_ARG_STRING, key_file)},
    {CU_OPT("new-key", CU_ARG_STRING, new_key)},
    {CU_OPT("length", CU_ARG_COUNT, hexlen), .letter = 'l', .min = 1,
     .max = CU_SHA256_HEX,
     .bad = "want a number of hex digits from 1 to " DIGITS(
         CU_SHA256_HEX) ", not '%s'"},
    {CU_OPT("method", CU_ARG_CHOICE, method),
     .choices = CU_CHOICES({"hmac", METHOD_HMAC}, {"hmac-sha256", METHOD_HMAC},
                           {"sha256-salted", METHOD_SALTED}),
     .bad = "unknown method '%s' (hmac, sha256-salted)"},
    {CU_OPT("salt", CU_ARG_STRING, salt)},
    {.name = "salt-hex", .arg = CU_ARG_CALL, .call = take_salt_hex},
    {CU_OPT("from", CU_ARG_CHOICE, in_fmt),
     .choices = CU_CHOICES({"auto", CU_FMT_AUTO}, {"tsv", CU_FMT_TSV},
                           {"jsons", CU_FMT_JSONS}, {"csv", CU_FMT_CSV}),
     .bad = "unknown format '%s' (auto, tsv, jsons, csv)"},
    {CU_OPT("output", CU_ARG_STRING, out_dir), .letter = 'o'},
};

static void setup_key(struct masker *M, const struct options *o)
{
    unsigned char key[CU_KEY_BYTES];
    char err[512];
    if (o->new_key) {
        if (!cu_key_file_create(o->new_key, err, sizeof err))
            cu_usage_error("--new-key: %s", err);
    }
    const char *file = o->new_key ? o->new_key : o->key_file;
    if (file) {
        if (!cu_key_file_read(file, key, err, sizeof err))
            cu_usage_error("%s: %s",
                           o->new_key ? "--new-key" : "--key-file", err);
    } else {
        cu_random_bytes(key, sizeof key);
    }
    M->hmac = cu_hmac_new(key, sizeof key);
    cu_wipe(key, sizeof key);
}

static void setup_masker(struct masker *M, const struct options *o,
                         size_t hexlen)
{
    M->hexlen = hexlen;
    init_hexpairs(M);
    if (hexlen <= 2 * CACHE_DIGEST) {
        M->cache = aligned_alloc(CACHE_LINE, CACHE_SLOTS * sizeof *M->cache);
        if (M->cache == NULL)
            cu_die(CU_EXIT_DATA, "out of memory");
        memset(M->cache, 0, CACHE_SLOTS * sizeof *M->cache);
    }
    if (M->method == METHOD_HMAC) {
        if (o->salt || o->salt_hex)
            cu_usage_error("--salt needs --method sha256-salted");
        setup_key(M, o);
        return;
    }
    if (o->key_file || o->new_key)
        cu_usage_error("--key-file and --new-key need --method hmac");
    if (o->salt && o->salt_hex)
        cu_usage_error("--salt and --salt-hex exclude each other");
    if (o->salt) {
        M->saltlen = strlen(o->salt);
        M->salt = (unsigned char *)cu_xstrndup(o->salt, M->saltlen);
    } else if (o->salt_hex) {
        M->saltlen = o->salt_hex_len;
        M->salt = cu_xmalloc(M->saltlen);
        memcpy(M->salt, o->salt_hex, M->saltlen);
    } else {
        /* like the published traces: a random salt, never stored */
        M->saltlen = CU_KEY_BYTES;
        M->salt = cu_xmalloc(M->saltlen);
        cu_random_bytes(M->salt, M->saltlen);
    }
}

static void check_unmatched(const struct mask *X)
{
    for (size_t i = 0; i < X->nitems; i++)
        if (cu_fieldlist_unmatched(X->items[i].fl))
            cu_usage_error("%s: no such field in any section: '%s'",
                           X->items[i].keep ? "--keep" : "--fields",
                           X->items[i].spec);
}

/* ------------------------------------------------------------ main */

/* At exit: the key material wiped, the run's memory freed. */
static void end_run(void *ctx)
{
    struct mask *X = ctx;
    wipe_masker(&X->M);
    free_items(X);
    free_archive(&X->A, &X->MI);
    free(X);
}

int main(int argc, char **argv)
{
    struct cu_common common;
    cu_init(argv[0], &common);
    /* the run ends with the process, whichever way it ends: key material
       is wiped then, and what the run holds freed (end_run) */
    struct mask *X = cu_xcalloc(1, sizeof *X);
    cu_at_exit(end_run, X);
    X->use_preset = true;
    struct masker *M = &X->M;
    struct options o = {
        .run = X, .in_fmt = CU_FMT_AUTO, .method = METHOD_HMAC, .hexlen = 32};
    cu_parse_options(argc, argv, option_table,
                     sizeof option_table / sizeof *option_table, &o, &common,
                     usage);
    M->method = o.method;
    if (o.list) {
        list_preset();
        free(o.salt_hex);
        return CU_EXIT_OK;
    }
    if (o.key_file && o.new_key)
        cu_usage_error("--key-file and --new-key exclude each other");
    if (o.out_dir && common.format_given && common.out_format != CU_FMT_TSV)
        cu_usage_error("-o writes an archive of TSV files; drop "
                       "--jsons/--csv");
    setup_masker(M, &o, (size_t)o.hexlen);
    free(o.salt_hex);
    o.salt_hex = NULL;
    /* `cu-mask --new-key F` typed at a terminal: just make the key */
    if (o.new_key && optind == argc && isatty(STDIN_FILENO))
        return CU_EXIT_OK;
    if (o.out_dir) {
        X->A.compress = common.compress_given ? common.compress
                                           : CU_COMPRESS_ZSTD;
        prepare_archive_dir(&X->A, o.out_dir);
        /* one archive in: carry its manifest over */
        if (argc - optind == 1 && cu_is_archive_dir(argv[optind]))
            read_input_manifest(&X->MI, argv[optind]);
    }

    cu_reader *r = cu_reader_open((const char *const *)argv + optind,
                                  (size_t)(argc - optind), o.in_fmt);
    cu_writer *w = NULL;
    struct section sec = {0};
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) != CU_EOF) {
        if (nx == CU_ROW) {
            mask_row(M, &sec, r, w);
            continue;
        }
        size_t ncols = cu_reader_ncols(r);
        if (o.in_fmt == CU_FMT_AUTO)
            refuse_unseen_csv(r);
        const char **cols = cu_xmalloc((ncols ? ncols : 1) * sizeof *cols);
        for (size_t c = 0; c < ncols; c++)
            cols[c] = cu_reader_colname(r, c);
        enum cu_format out_fmt;
        if (o.out_dir) {
            if (w)
                archive_end(&X->A, w);
            w = archive_begin(&X->A, r);
            out_fmt = CU_FMT_TSV;
            cu_writer_section(w, NULL, cols, ncols);
        } else {
            if (w == NULL) {
                out_fmt = common.format_given ? common.out_format
                                          : cu_reader_format(r);
                w = cu_writer_fdopen(STDOUT_FILENO, "(stdout)", out_fmt,
                                     common.write_flags);
                common.out_format = out_fmt;
            }
            out_fmt = common.out_format;
            cu_writer_section(w, cu_reader_table(r), cols, ncols);
        }
        plan_section(X, &sec, r, out_fmt);
        free(cols);
    }
    if (!o.out_dir && w)
        pass_statuses_on(r, w);
    cu_reader_close(r);
    free_section(&sec);
    /* Before the output is finished: a named field that matched nothing
     * means the command line is wrong, and the output must not look
     * complete (an archive gets no manifest). */
    check_unmatched(X);
    struct cu_write_counts written = {0, 0, 0};
    if (o.out_dir) {
        if (w)
            archive_end(&X->A, w);
        archive_manifest(&X->A, &X->MI);
        for (size_t i = 0; i < X->A.n; i++) {
            written.rows += X->A.tables[i].rows;
            written.bytes += X->A.tables[i].bytes;
            written.stored += X->A.tables[i].file_bytes;
        }
        free_archive(&X->A, &X->MI);
    } else if (w) {
        cu_writer_close_counted(w, &written);
    }
    if (common.stats) {
        fprintf(stderr,
                "%s: %llu values masked, %llu pseudonyms computed "
                "(%.1f%% from the cache)\n",
                cu_program_name(), (unsigned long long)M->masked,
                (unsigned long long)M->computed,
                M->masked ? 100.0 * (double)(M->masked - M->computed) /
                               (double)M->masked
                         : 0.0);
        cu_stats_wrote(o.out_dir ? o.out_dir : "(stdout)", written.rows,
                       written.bytes, written.stored);
    }
    return CU_EXIT_OK;
}
