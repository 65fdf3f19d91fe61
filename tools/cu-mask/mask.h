#ifndef CU_MASK_H
#define CU_MASK_H

/* cu-mask: replace identifying values in any cu stream by keyed pseudonyms.
 *
 * Values, not columns, are masked: a value maps to the same pseudonym
 * wherever it appears within one class (host, project, user, ...), so joins
 * between tables survive; the class is hashed in front of the value, so
 * equal strings of different classes do not link. Everything not masked is
 * copied byte for byte. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "cli.h"
#include "error.h"
#include "hex.h"
#include "fields.h"
#include "hmac.h"
#include "intern.h"
#include "stream.h"
#include "writer.h"
/* The default preset: identifying columns of what cu-dump (table and trace
 * mode) and cu-spans write. A rule with table NULL applies to a column of
 * that name in any section; a table rule matches the part of the section
 * name after its last dot and wins over a generic rule. The class
 * CLASS_BY_KIND means: per row, `instance` when the row's kind column says
 * so, `host` for total/reservable/committed, else the kind itself. */
#define CLASS_BY_KIND "@kind"
/* A flavor name: Blazar's `reservation:<id>` has the reservation id masked
 * (class reservation) after its prefix, so cu-spans still sees a reserved
 * flavor and joins it to the masked reservation; other names are kept. */
#define CLASS_RESERVATION_FLAVOR "@reservation-flavor"
#define RESERVATION_PREFIX "reservation:"
#define RESERVATION_PREFIX_LEN (sizeof RESERVATION_PREFIX - 1)

/* One item of -f/--add/--keep: its own field list, so that an item that
 * never matches can be named, and an optional class. */
struct item {
    char *spec;   /* as given, for messages */
    char *class;  /* NULL: the preset's class, else the column's name */
    cu_fieldlist *fl;
    bool keep;
};
/* ------------------------------------------------------------ masking */

enum method { METHOD_HMAC, METHOD_SALTED };

/* A direct-mapped cache of (class, value) -> pseudonym: ids repeat a lot
 * (every event of an instance names its user, project and host), and a
 * lookup is much cheaper than two SHA-256 compressions. A slot is one cache
 * line (the table is 4 MB: in L3), so it keeps the digest in
 * binary and values up to CACHE_VALUE_MAX bytes (uuids are 36); longer
 * values, and pseudonyms longer than 32 hex digits, are hashed every time. */
enum {
    CACHE_VALUE_MAX = 36,
    CACHE_DIGEST = 16,
    CACHE_SLOTS = 1 << 16,
    CACHE_LINE = 64,
};

struct slot {
    uint64_t hash;
    uint16_t cls;
    uint8_t len;
    uint8_t used;
    unsigned char digest[CACHE_DIGEST];
    char value[CACHE_VALUE_MAX];
};
_Static_assert(sizeof(struct slot) == CACHE_LINE, "a slot is a cache line");

struct masker {
    enum method method;
    cu_hmac *hmac;
    unsigned char *salt;
    size_t saltlen;
    size_t hexlen;
    struct slot *cache; /* NULL: no caching (hexlen > 2 * CACHE_DIGEST) */
    cu_intern *classes; /* the HMAC domains (class_id) */
    char hexpairs[256][2]; /* two hex digits per byte: for every cache hit */
    char scratch[CU_SHA256_HEX + 1];
    uint64_t masked, computed;
};
/* ------------------------------------------------------------ sections */

enum action { ACT_PASS = 0, ACT_MASK, ACT_MASK_BY_KIND, ACT_MASK_FLAVOR };

struct colplan {
    uint8_t action;
    uint16_t cls;
};

struct section {
    struct colplan *plan;
    size_t ncols, plan_cap;
    long kind_col;   /* for ACT_MASK_BY_KIND */
    unsigned host_cls, instance_cls, reservation_cls;
    bool raw;        /* input and output share an encoding: copy raw bytes */
    bool tsv_out;    /* pseudonyms need no escaping: write them raw */
    size_t nmasked;  /* columns masked */
    size_t *masked;  /* their indexes */
    unsigned *row_cls;  /* per masked column: this row's class, */
    uint64_t *row_hash; /* and its value's cache hash */
    size_t scratch_cap;
};

/* An archive out (-o DIR): one TSV file per section (zstd unless
 * --compress says otherwise), written under a
 * temporary name and renamed when complete, then MANIFEST.tsv the same way.
 * Until then an exit removes the temporary files, so a failed run leaves
 * nothing that looks complete. */
struct out_table {
    char *table;
    char *file;      /* final name inside the directory */
    char *columns;   /* comma-separated, as in the manifest */
    uint64_t rows;
    uint64_t bytes;      /* written, uncompressed (as cu-dump counts) */
    uint64_t file_bytes; /* of the file, compressed */
    char sha256[CU_SHA256_HEX + 1];
};

struct archive_out {
    const char *dir;
    enum cu_compress compress;
    struct out_table *tables;
    size_t n, cap;
    /* being written; removed at exit or on a signal unless renamed
     * (cu_temp_begin) */
    char *tmp_path;
};

/* The manifest of an archive given as input, kept to carry over what the
 * new archive cannot know (tables that were missing, dump times, server
 * and cu versions): its rows are copied, with file, rows, bytes,
 * file_bytes and sha256 replaced for the tables written again. */
struct manifest_in {
    char **cols;
    size_t ncols;
    char **cells; /* nrows * ncols, NULL = NULL */
    size_t nrows, cap;
};

/* A run: the masker, the items of the command line, the archives. */
struct mask {
    struct masker M;
    struct item *items;
    size_t nitems, items_cap;
    bool use_preset; /* no -f: the preset says what is masked */
    struct archive_out A;
    struct manifest_in MI;
};

/* ---- what the files offer each other */

unsigned class_id(struct masker *M, const char *name);
const char *class_name(const struct masker *M, unsigned cls);
bool section_is_spans(const char *table, const char *const *cols,
                      size_t ncols);
const char *preset_class(const char *table, bool spans,
                         const char *column);
void list_preset(void);
void add_items(struct mask *X, const char *spec, bool keep,
               const char *option);
void free_items(struct mask *X);
void init_hexpairs(struct masker *M);
const char *pseudonym(struct masker *M, unsigned cls, const char *s,
                      size_t len, uint64_t h);
void wipe_masker(struct masker *M);
unsigned char *parse_hex(const char *s, size_t *n, const char *opt);
void plan_section(struct mask *X, struct section *sec,
                  const cu_reader *r, enum cu_format out_fmt);
void refuse_unseen_csv(const cu_reader *r);
void pass_statuses_on(cu_reader *r, cu_writer *w);
void mask_row(struct masker *M, const struct section *sec,
              const cu_reader *r, cu_writer *w);
void free_section(struct section *sec);
cu_writer *archive_begin(struct archive_out *A, const cu_reader *r);
void archive_end(struct archive_out *A, cu_writer *w);
void read_input_manifest(struct manifest_in *MI, const char *dir);
void archive_manifest(struct archive_out *A,
                      const struct manifest_in *MI);
void free_archive(struct archive_out *A, struct manifest_in *MI);
void prepare_archive_dir(struct archive_out *A, const char *dir);

#endif
