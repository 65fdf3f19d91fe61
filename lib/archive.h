/* Archives: a directory of table files (NAME.tsv.gz) and the MANIFEST.tsv
 * that vouches for them (see cu-dump(1)): the paths in it, the manifest's
 * columns, and the one way a manifest is written. cu-dump writes archives,
 * cu-mask rewrites them, the stream reader (stream.c) reads them. */
#ifndef CU_ARCHIVE_H
#define CU_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

/* dir/name, newly allocated; trailing slashes of dir are not doubled. */
char *cu_path_join(const char *dir, const char *name);

/* Is path a directory holding a MANIFEST.tsv? */
bool cu_is_archive_dir(const char *path);

/* The columns of a manifest, in cu-dump's order. */
enum { CU_MANIFEST_NCOLS = 14 };
extern const char *const cu_manifest_cols[CU_MANIFEST_NCOLS];

/* Write dir/name (MANIFEST.tsv, or MANIFEST.incomplete.tsv after a failure):
 * a header of cols and nrows rows of ncols cells (row-major; NULL is \N),
 * TSV-escaped, without trailers (the manifest is what vouches), to a
 * temporary name, fsynced, then renamed. Plain stdio and no fatal error,
 * so that an exit handler can use it: returns false on any error, with
 * errno saying why and no temporary file left. */
bool cu_manifest_write(const char *dir, const char *name,
                       const char *const *cols, size_t ncols,
                       const char *const *cells, size_t nrows);

#endif
