/* History across snapshots: archives of one cloud taken at different times
 * (cu-pipeline's nightly runs) merged into one table stream, so that rows a
 * later snapshot no longer has (Zun and upstream Blazar delete rows; nova
 * archives and purges old soft-deleted ones) still count.
 *
 * Each archive's snapshot time is the earliest `started` of its manifest
 * (cu-dump reads every table in one consistent snapshot taken then); the
 * archives must come in that order. A row is one entity by its table and
 * key (uuid for instances and containers, instance_uuid for instance_extra
 * and request_specs, id for the tables that have one, else the whole row);
 * nova's shadow_X tables are X (an archived row is the same entity). Each
 * entity is written once, in its newest version, with the columns of the
 * table's newest header (a column an older version lacks is \N) and one
 * column more, `_gone_at`: \N while the newest archive that delivered the
 * table still has the row, else the snapshot time of the last archive that
 * had it (the earliest time it can have been deleted: a span ended there
 * never counts time it did not exist). A row whose created_at differs
 * between versions keeps the newest and is counted as a conflict. */
#ifndef CU_HISTORY_H
#define CU_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "cutime.h"

struct cu_history_stats {
    size_t archives;
    uint64_t rows;      /* entities written */
    uint64_t versions;  /* rows read in all */
    uint64_t gone;      /* entities absent from a later snapshot */
    uint64_t conflicts; /* entities whose created_at moved */
    int64_t max_gap;    /* the longest time between a gone entity's last
                           snapshot and the next one, in microseconds */
    struct cu_history_table {
        char *table;
        uint64_t rows, gone;
    } *tables;          /* per table, in the order first seen */
    size_t ntables;
};

/* Free what cu_history_merge allocated in st. */
void cu_history_stats_free(struct cu_history_stats *st);

/* Merge the archive directories dirs[0..n) into a new temporary TSV stream
 * file (in $TMPDIR or /tmp) and return its path, for the caller to read and
 * unlink. Archives out of time order, a directory that is no archive and
 * any read error are fatal, with the archive named. */
char *cu_history_merge(const char *const *dirs, size_t n,
                       struct cu_history_stats *st);

/* The snapshot time of an archive directory (see above). */
cu_time cu_history_snapshot_time(const char *dir);

#endif
