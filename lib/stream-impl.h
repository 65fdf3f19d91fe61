/* The stream reader's insides (stream.c), for the files of its TSV row
 * splitter's instruction-set variants (tsv-split-sse2.c, tsv-split-avx2.c):
 * the reader's state and the few helpers the splitter calls. Not for tools:
 * they use stream.h. */
#ifndef CU_STREAM_IMPL_H
#define CU_STREAM_IMPL_H

#include <csv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "compress.h"

#include "error.h"
#include "hmac.h"
#include "intern.h"
#include "stream.h"

/* The splitter variants this build has. */
#if defined(__SSE2__) && !defined(CU_NO_SSE2)
#define CU_SSE2_SPLIT 1
/* a second splitter for AVX2 CPUs, built with GCC's target pragma */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(CU_NO_AVX2)
#define CU_AVX2_SPLIT 1
#endif
#endif

enum {
    READ_BLOCK = 128 * 1024,  /* least free space offered to read/inflate */
    ZIN_SIZE = 128 * 1024,    /* compressed input block */
    MAX_REQUEST = 1 << 30,    /* inflate counts in unsigned int */
};

struct input {
    char *path;  /* NULL: standard input */
    char *name;  /* for messages */
    char *table; /* section name from an archive manifest, or NULL */
    int64_t rows; /* data rows the manifest promises, or -1 */
    bool detect;  /* archive member: TSV or JSONS, whatever was asked */
    const char *manifest; /* its path, for messages (owned by the reader) */
    char *sha256; /* hex digest the manifest promises for the file, or NULL */
};

/* A table the input said it could not deliver. */
struct status_entry {
    char *table, *status, *source;
};

/* CSV records queued by the libcsv callbacks: field bytes in data, fields
 * as offsets, records as runs of fields. */
struct csv_field {
    size_t off, len;
    bool null; /* unquoted empty field: NULL, as cu_writer writes it */
};
struct csv_record {
    size_t first, n;
    unsigned long line;
};

/* A member of a JSON object, as parsed. */
struct json_member {
    const char *key;
    size_t key_len;
    size_t column; /* 1-based byte column of the key, for messages */
    cu_field val;
};

struct cu_reader {
    struct input *inputs;
    size_t ninputs, next_input;
    char **manifests; /* paths of the archive manifests read */
    size_t nmanifests;
    uint64_t file_rows; /* data rows read from the current file */
    uint64_t section_rows; /* data rows read in the current section */
    struct status_entry *statuses; /* from manifests and #status */
    size_t nstatuses, statuses_cap;
    struct cu_table_status *status_view;
    /* Trailers (see writer.h): per file. */
    bool trailers;        /* the file began with #cu: it must end in #eof */
    bool eof_seen;        /* #eof read: nothing but a new stream may follow */
    bool section_ended;   /* the current section's #end was read */
    unsigned long cu_line; /* of the #cu directive */
    cu_sha256 *sha;       /* archive member: its digest as it is read */
    enum cu_format want; /* CU_FMT_AUTO: detect per file */
    bool done;

    /* The current file. */
    bool file_open;
    enum cu_format fmt;
    int fd;
    bool close_fd;
    const char *filename;
    enum cu_compress compressed; /* what the current file holds */
    cu_decoder *unz;    /* made at the first compressed file, kept */
    const unsigned char *znext; /* unread compressed bytes in zin */
    size_t zavail;
    bool member_done;   /* a gzip member or zstd frame ended; another may
                           follow */
    bool in_eof;        /* read(2) reported the end of the file */
    unsigned char *zin; /* compressed input (also the sniffing buffer) */
    bool eof;           /* no more decompressed bytes */
    char *buf;          /* unread bytes are buf[pos..end) */
    size_t cap, pos, end;
    size_t scanned;     /* buf[pos..pos+scanned) holds no newline */
    unsigned long lineno;   /* physical lines read from this file */
    bool crlf;              /* TSV: the file's first line ended in CRLF, so
                               its lines do; elsewhere a CR is data, and a
                               raw CR in a field is an error */
    unsigned long row_line; /* line of the current row or header */

    /* The current section. */
    bool need_header;
    const char *file_table; /* the manifest's name for this file, or NULL */
    unsigned long directive_line; /* of a #table still waiting for a header */
    char *table;
    size_t ncols;
    char **cols;
    size_t *col_len;
    size_t cols_cap;
    char *names; /* the column names, NUL-separated */
    size_t names_cap;
    cu_intern *col_ids;  /* the section's column names */
    size_t *col_of_id;   /* a name's first column */
    size_t col_of_id_cap;
    bool *zero_warned; /* per column: a MySQL zero date was reported */
    unsigned long header_line;

    /* The current row. */
    cu_field *fields;
    size_t fields_cap;
    char *dec; /* decoded values */
    size_t dec_cap;
    size_t *tab_at, *bs_at; /* TSV: offsets of the tabs and backslashes (and raw CRs) */
    size_t tab_cap, bs_cap; /* of a line (tsv_fast_row) */
    bool (*fast_row)(cu_reader *r); /* the splitter for this CPU */
    unsigned char *skip; /* by column: not asked for (cu_reader_only) */
    size_t skip_cap;
    size_t *wanted, nwanted, wanted_cap; /* the others, in column order */
    bool skipping;       /* skip applies to the current section */
    bool row_fast;       /* the row came from the splitter, which leaves
                            the fields not asked for as they were */

    /* JSONS */
    struct json_member *members;
    size_t nmembers, members_cap;
    unsigned char *seen; /* per column, for the key set check */
    bool pending_row;    /* the object that started a section is unread */

    /* CSV */
    struct csv_parser csv;
    bool csv_ready;    /* csv_init done */
    bool csv_finished; /* csv_fini called for this file */
    bool csv_in_record;
    unsigned long csv_record_line;
    char *csv_data;
    size_t csv_data_len, csv_data_cap;
    struct csv_field *csv_fields;
    size_t csv_nfields, csv_fields_cap, csv_partial; /* fields of the
                                                     unfinished record */
    struct csv_record *csv_records;
    size_t csv_nrecords, csv_records_cap, csv_head;
};

/* The type of a field not asked for (cu_reader_only): no value of the
 * enum, so that cu_reader_field can tell with the load it makes anyway. */
#define VAL_UNREAD ((enum cu_val_type)0x7f)

static inline void need_fields(cu_reader *r, size_t n)
{
    if (n > r->fields_cap)
        r->fields = cu_xgrow(r->fields, &r->fields_cap, n, sizeof *r->fields);
}

/* Fields not asked for read as such (after a row that set them all). */
static inline void mark_unread(cu_reader *r)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (r->skip[i])
            r->fields[i].type = VAL_UNREAD;
}

static inline void need_dec(cu_reader *r, size_t len)
{
    if (len + 16 > r->dec_cap)
        r->dec = cu_xgrow(r->dec, &r->dec_cap, len + 16, 1);
}

/* Decode field i, p[0..len), whose first backslash (or raw CR, an error)
 * is at bs, into *decp (stream.c). */
void cu__tsv_unescape(cu_reader *r, cu_field *f, size_t i, char *p,
                      size_t len, const char *bs, char **decp);

/* The next data row through a splitter variant, if it is the common case
 * (tsv-split.h says which); false having changed nothing otherwise. */
bool cu__tsv_fast_row_sse2(cu_reader *r);
bool cu__tsv_fast_row_avx2(cu_reader *r);

#endif
