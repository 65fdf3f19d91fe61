/* Field lists, as given to -f/--keep style options: comma-separated names
 * (`host`, `nova.instances.host`, `instances.host`), 1-based numbers and
 * ranges (`3`, `2-4`, `5-` to the last column). A backslash escapes a comma,
 * dash or backslash inside a name. */
#ifndef CU_FIELDS_H
#define CU_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cu_fieldlist cu_fieldlist;

/* Parse spec; on a syntax error returns NULL and a message in errbuf. */
cu_fieldlist *cu_fieldlist_parse(const char *spec, char *errbuf,
                                 size_t errlen);
void cu_fieldlist_free(cu_fieldlist *fl);

/* Mark in selected[0..ncols) the columns of a section (table may be NULL)
 * that the list names. A name `c` matches column c of any table,
 * `t.c` matches table names ending in `t` (`instances` or
 * `nova.instances`), `s.t.c` the exact table; numbers match by position.
 * Returns the number of columns selected. */
size_t cu_fieldlist_select(cu_fieldlist *fl, const char *table,
                           const char *const *cols, size_t ncols,
                           bool *selected);

/* After all sections were seen: the first item of the list that never
 * matched any column (for "no such field" usage errors), or NULL. */
const char *cu_fieldlist_unmatched(const cu_fieldlist *fl);

#endif
