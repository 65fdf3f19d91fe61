/* Archives: a directory of table files (NAME.tsv.zst, .tsv.gz or .tsv, as
 * the manifest's compression column says) and the MANIFEST.tsv
 * that vouches for them (see cu-dump(1)): the paths in it, files written
 * under temporary names and renamed durably, the manifest's columns, and
 * the one way a manifest is written. cu-dump writes archives, cu-mask
 * rewrites them, the stream reader (stream.c) reads them. */
#ifndef CU_ARCHIVE_H
#define CU_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

/* Make the renames into directory dir durable (fsync of the directory),
 * after an archive's files have been renamed into place: until then a crash
 * may forget a rename though the file's bytes were synced. A file system
 * that cannot sync a directory (EINVAL, EROFS) is not an error; anything
 * else is fatal with a message naming dir. */
void cu_sync_dir(const char *dir);
/* The same after the file that makes an archive look complete (its
 * MANIFEST.tsv, at path published) was renamed into dir: when the sync
 * fails, that file is removed before the fatal error, so no archive that
 * looks complete is left behind. Call cu_sync_dir before renaming it too,
 * so the files it vouches for are durable first. */
void cu_sync_dir_published(const char *dir, const char *published);

/* The file a tool is writing under a temporary name (an archive's table or
 * manifest, before its rename): removed if the program ends before
 * cu_temp_forget, at exit (cu_die included) or on SIGHUP, SIGINT or
 * SIGTERM, of which the program then dies. One at a time. The first
 * cu_temp_begin installs the handlers. A path longer than PATH_MAX is
 * fatal. cu_temp_remove removes it at once, for an exit handler of the
 * tool's own that must do so before it writes anything else. */
void cu_temp_begin(const char *path);
void cu_temp_forget(void);
void cu_temp_remove(void);
/* The temporary name of file name in dir: dir/.name.tmp (hidden, and no
 * glob for the final names matches it). malloc'ed. */
char *cu_temp_path(const char *dir, const char *name);
/* Rename the file begun with cu_temp_begin to final and forget it; a
 * failure is fatal, naming both. */
void cu_temp_commit(const char *final);

/* dir/name, newly allocated; trailing slashes of dir are not doubled. */
char *cu_path_join(const char *dir, const char *name);

/* Is path a directory holding a MANIFEST.tsv? */
bool cu_is_archive_dir(const char *path);

/* The columns of a manifest, in cu-dump's order. */
enum { CU_MANIFEST_NCOLS = 15 };
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
