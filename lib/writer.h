/* Writing cu streams: TSV (with the escapes and \N of cu(7)), JSONS and CSV,
 * to a file descriptor or a gzip file, block-buffered.
 *
 * Every write is checked. A write error (full disk, ...) is fatal with a
 * message naming the output (exit 1). EPIPE (the reader went away, e.g.
 * `| head`) ends the process quietly, as SIGPIPE would. */
#ifndef CU_WRITER_H
#define CU_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cutime.h"
#include "stream.h"

typedef struct cu_writer cu_writer;

enum cu_writer_flags {
    CU_WRITE_LINE_BUFFERED = 1 << 0, /* flush after every row */
    CU_WRITE_GZIP = 1 << 1,          /* compress (cu_writer_open_path only) */
};

/* Write to an open descriptor (e.g. STDOUT_FILENO). name is used in
 * messages ("(stdout)"). The writer does not close fd. */
cu_writer *cu_writer_fdopen(int fd, const char *name, enum cu_format fmt,
                            unsigned flags);
/* Create (truncate) path with mode 0666 & ~umask. */
cu_writer *cu_writer_open_path(const char *path, enum cu_format fmt,
                               unsigned flags);

/* Begin a section: table may be NULL (single-table stream: no directive /
 * no "_table" key). TSV writes `#table<TAB>name` (if named) and the header;
 * CSV writes the header (a second CSV section is a fatal usage error);
 * JSONS remembers the names for the keys. The header is flushed at once. */
void cu_writer_section(cu_writer *w, const char *table,
                       const char *const *cols, size_t ncols);

/* Fields of the current row, in column order. */
void cu_writer_null(cu_writer *w);
void cu_writer_str(cu_writer *w, const char *s, size_t len);
void cu_writer_cstr(cu_writer *w, const char *s); /* NULL pointer = NULL */
/* A number given as text (JSON: written bare; must be valid JSON number
 * text, which the caller guarantees). */
void cu_writer_num(cu_writer *w, const char *s, size_t len);
void cu_writer_int(cu_writer *w, int64_t v);
/* Shortest text that reads back to the same double (%.17g at worst);
 * integers print without a fraction. */
void cu_writer_double(cu_writer *w, double v);
void cu_writer_bool(cu_writer *w, bool v);
void cu_writer_time(cu_writer *w, cu_time t); /* CU_TIME_NULL = NULL */
/* A field as read, keeping its type (pass-through). */
void cu_writer_field(cu_writer *w, const cu_field *f);
/* Finish the row; checks that exactly ncols fields were written. */
void cu_writer_end_row(cu_writer *w);

/* Bytes and rows written so far (uncompressed). */
uint64_t cu_writer_bytes(const cu_writer *w);
uint64_t cu_writer_rows(const cu_writer *w);

void cu_writer_flush(cu_writer *w);
/* Flush, finish gzip, close the file if the writer opened it, free.
 * Any error is fatal. */
void cu_writer_close(cu_writer *w);

/* Call at the end of main() (or register with atexit): fails with exit 1
 * and a message if stdout could not be written or closed. */
void cu_close_stdout(void);

/* Escape s for a TSV field into a caller buffer (for tools that build lines
 * themselves); returns the bytes needed (write happens only if <= cap). */
size_t cu_tsv_escape(const char *s, size_t len, char *out, size_t cap);

#endif
