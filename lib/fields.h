/* Field lists, as given to -f/--keep style options: comma-separated names
 * (`host`, `nova.instances.host`, `instances.host`), 1-based numbers and
 * ranges (`3`, `2-4`, `5-` to the last column, `-3` from the first).
 *
 * A backslash makes the next character literal: `\,` a comma, `\.` a dot,
 * `\\` a backslash, `\-` a dash inside a name; an item with any escape is
 * always a name, never a number (`\3` is the column named "3"). An item of
 * digits and dashes is a number or range (one dash at most); anything else
 * is a name.
 * Names split at their unescaped dots: `c` names column c of any table,
 * `t.c` column c of a table whose name is `t` or ends in `.t`, and
 * `s.t.c` (more dots: everything before the last one) column c of exactly
 * the table `s.t`. Names match exactly (case matters); a qualified name never
 * matches in an unnamed section. Numbers match by position in every section.
 *
 * Syntax errors: an empty list, an empty item (leading, trailing or double
 * comma), `0`, a decreasing range (`4-2`), a lone `-`, two dashes (`1-2-3`), a
 * number too large, a backslash at the end, an empty part of a dotted name
 * (`t.`, `.c`, `a..c`).
 */
#ifndef CU_FIELDS_H
#define CU_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cu_fieldlist cu_fieldlist;

/* Parse spec; on a syntax error returns NULL and a message in errbuf
 * (e.g. "'4-2' in '1,4-2': the range decreases"), ready for
 * cu_usage_error("-f: %s", errbuf). errbuf may be NULL. */
cu_fieldlist *cu_fieldlist_parse(const char *spec, char *errbuf,
                                 size_t errlen);
void cu_fieldlist_free(cu_fieldlist *fl);

/* Number of items in the list (`a,2-4` has 2). */
size_t cu_fieldlist_count(const cu_fieldlist *fl);

/* Set selected[0..ncols) to whether the list names each column of a section
 * (table may be NULL); every entry is written. A name `c` matches column c
 * of any table, `t.c` matches table names ending in `t` (`instances` or
 * `nova.instances`), `s.t.c` the exact table; numbers match by position.
 * Returns the number of columns selected. */
size_t cu_fieldlist_select(cu_fieldlist *fl, const char *table,
                           const char *const *cols, size_t ncols,
                           bool *selected);

/* The same selection as column indexes in the order of the list (`c,a`
 * gives c's index first; a range gives its columns in increasing order),
 * each column once, at its first mention. idx must hold ncols entries.
 * Returns how many were stored. */
size_t cu_fieldlist_select_order(cu_fieldlist *fl, const char *table,
                                 const char *const *cols, size_t ncols,
                                 size_t *idx);

/* After all sections were seen: the first item of the list that never
 * matched any column, as it was written in the list (for "no such field"
 * usage errors), or NULL. A range counts as matched when it selected at
 * least one column. */
const char *cu_fieldlist_unmatched(const cu_fieldlist *fl);

#endif
