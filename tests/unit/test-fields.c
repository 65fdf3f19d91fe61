/* lib/fields: field-list syntax, ranges, name matching across sections,
 * unmatched items and every syntax error. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "tap.h"

/* Selection of spec against (table, cols) as the 1-based numbers of the
 * selected columns, e.g. "1,3" ("" for none), in a static buffer. */
static const char *sel_of(cu_fieldlist *fl, const char *table,
                          const char *const *cols, size_t ncols)
{
    static char out[256];
    bool selected[64];
    size_t n = 0, count;
    out[0] = '\0';
    count = cu_fieldlist_select(fl, table, cols, ncols, selected);
    for (size_t i = 0; i < ncols; i++)
        if (selected[i]) {
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%zu",
                                  n ? "," : "", i + 1);
        }
    /* the count returned must agree with the mask */
    {
        size_t marked = 0;
        for (size_t i = 0; i < ncols; i++)
            marked += selected[i];
        if (marked != count)
            snprintf(out, sizeof out, "count %zu != marked %zu", count,
                     marked);
    }
    return out;
}

static const char *const inst_cols[] = {"uuid", "host", "project_id",
                                        "created_at", "deleted_at"};
static const size_t inst_n = 5;

/* Parse spec and select against one section; the result as sel_of. */
static void check_select(const char *spec, const char *table,
                         const char *expected, const char *name)
{
    char err[200] = "";
    cu_fieldlist *fl = cu_fieldlist_parse(spec, err, sizeof err);
    if (!fl) {
        ok(false, "%s", name);
        diag("parse error: %s", err);
        return;
    }
    is_str(sel_of(fl, table, inst_cols, inst_n), expected, name);
    cu_fieldlist_free(fl);
}

static void check_error(const char *spec, const char *expected,
                        const char *name)
{
    char err[200] = "";
    cu_fieldlist *fl = cu_fieldlist_parse(spec, err, sizeof err);
    ok(fl == NULL, "%s: refused", name);
    is_str(err, expected, name);
    cu_fieldlist_free(fl);
}

static void test_numbers_and_ranges(void)
{
    check_select("1", NULL, "1", "a single number");
    check_select("3,1", NULL, "1,3", "numbers in any order");
    check_select("2-4", NULL, "2,3,4", "a closed range");
    check_select("4-", NULL, "4,5", "an open range to the last column");
    check_select("-2", NULL, "1,2", "a range from the first column");
    check_select("2-2", NULL, "2", "a range of one");
    check_select("03", NULL, "3", "leading zeros");
    check_select("1-3,2-5", NULL, "1,2,3,4,5", "overlapping ranges");
    check_select("9", NULL, "", "a number beyond the columns selects none");
    check_select("4-9", NULL, "4,5", "a range cut at the last column");
}

static void test_names(void)
{
    check_select("host", NULL, "2", "a bare name, unnamed section");
    check_select("host", "nova.instances", "2", "a bare name, any table");
    check_select("instances.host", "nova.instances", "2",
                 "table.col matches the table part");
    check_select("instances.host", "nova_cell1.instances", "2",
                 "table.col matches every cell's table");
    check_select("instances.host", "instances", "2",
                 "table.col matches an unqualified table name");
    check_select("instances.host", "nova.shadow_instances", "",
                 "table.col does not match a mere suffix of the table part");
    check_select("instances.host", "nova.compute_nodes", "",
                 "table.col does not match another table");
    check_select("instances.host", NULL, "",
                 "a qualified name never matches an unnamed section");
    check_select("nova.instances.host", "nova.instances", "2",
                 "schema.table.col matches the exact table");
    check_select("nova.instances.host", "nova_cell1.instances", "",
                 "schema.table.col does not match another schema");
    check_select("nova.instances.host", "instances", "",
                 "schema.table.col needs the schema");
    check_select("Host", NULL, "", "names are case-sensitive");
    check_select("deleted_at,uuid,host", "nova.instances", "1,2,5",
                 "several names");
    check_select("uuid,1,1-2,host", NULL, "1,2", "a column named twice "
                 "is selected once");
    check_select("3,host,created_at-", NULL, "2,3",
                 "a name with a dash is a name");
}

static void test_escapes(void)
{
    static const char *const odd[] = {"a,b", "2-4", "x.y", "back\\slash",
                                      "3", "t"};
    static const size_t odd_n = 6;
    struct {
        const char *spec, *expected, *name;
    } cases[] = {
        {"a\\,b", "1", "\\, is a comma inside a name"},
        {"2\\-4", "2", "\\- makes a range-looking item a name"},
        {"x\\.y", "3", "\\. is a dot inside a name"},
        {"back\\\\slash", "4", "\\\\ is a backslash"},
        {"\\3", "5", "an escaped digit is a name, not a number"},
        {"3", "3", "the same digit unescaped is a number"},
        {"\\t", "6", "an escaped letter is the letter"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char err[200] = "";
        cu_fieldlist *fl = cu_fieldlist_parse(cases[i].spec, err, sizeof err);
        if (!fl) {
            ok(false, "%s (parse error: %s)", cases[i].name, err);
            continue;
        }
        is_str(sel_of(fl, NULL, odd, odd_n), cases[i].expected,
               cases[i].name);
        cu_fieldlist_free(fl);
    }
    /* an escaped dot inside a table part */
    {
        cu_fieldlist *fl = cu_fieldlist_parse("my\\.db.t.host", NULL, 0);
        ok(fl != NULL, "escaped dot in the schema parses");
        is_str(sel_of(fl, "my.db.t", inst_cols, inst_n), "2",
               "my\\.db.t.host matches table my.db.t exactly");
        is_str(sel_of(fl, "other.my.db.t", inst_cols, inst_n), "",
               "...and not other.my.db.t");
        cu_fieldlist_free(fl);
    }
}

static void test_order(void)
{
    size_t idx[8];
    cu_fieldlist *fl = cu_fieldlist_parse("deleted_at,2-3,uuid,host", NULL,
                                          0);
    size_t n = cu_fieldlist_select_order(fl, "nova.instances", inst_cols,
                                         inst_n, idx);
    is_int((int64_t)n, 4, "select_order: 4 distinct columns");
    ok(n == 4 && idx[0] == 4 && idx[1] == 1 && idx[2] == 2 && idx[3] == 0,
       "select_order: list order, ranges ascending, first mention wins "
       "(got %zu %zu %zu %zu)", idx[0], idx[1], idx[2], idx[3]);
    is_int((int64_t)cu_fieldlist_count(fl), 4, "count of items");
    cu_fieldlist_free(fl);
}

static void test_unmatched(void)
{
    static const char *const nodes[] = {"hypervisor_hostname", "vcpus",
                                        "host"};
    cu_fieldlist *fl = cu_fieldlist_parse(
        "host,instances.uuid,compute_nodes.vcpus,nova.leases.id,7,3-,4-",
        NULL, 0);
    ok(fl != NULL, "a mixed list parses");
    is_str(cu_fieldlist_unmatched(fl), "host",
           "before any section every item is unmatched");
    sel_of(fl, "nova.instances", inst_cols, inst_n);
    is_str(cu_fieldlist_unmatched(fl), "compute_nodes.vcpus",
           "after instances: compute_nodes.vcpus is the first unmatched");
    sel_of(fl, "nova.compute_nodes", nodes, 3);
    is_str(cu_fieldlist_unmatched(fl), "nova.leases.id",
           "after compute_nodes: nova.leases.id");
    sel_of(fl, "nova.leases", nodes, 3);
    is_str(cu_fieldlist_unmatched(fl), "nova.leases.id",
           "a table without the column does not match");
    {
        static const char *const lease[] = {"id", "a", "b", "c", "d", "e",
                                            "f"};
        sel_of(fl, "nova.leases", lease, 7);
    }
    is_str(cu_fieldlist_unmatched(fl), NULL,
           "everything matched after a 7-column leases section");
    cu_fieldlist_free(fl);

    fl = cu_fieldlist_parse("uuid,a\\,b,9-", NULL, 0);
    sel_of(fl, NULL, inst_cols, inst_n);
    is_str(cu_fieldlist_unmatched(fl), "a\\,b",
           "an unmatched item is reported as written (escapes kept)");
    cu_fieldlist_free(fl);

    fl = cu_fieldlist_parse("9-", NULL, 0);
    sel_of(fl, NULL, inst_cols, inst_n);
    is_str(cu_fieldlist_unmatched(fl), "9-",
           "an open range past the last column is unmatched");
    cu_fieldlist_free(fl);
}

static void test_errors(void)
{
    check_error("", "empty field list", "empty list");
    check_error(",a", "leading comma in ',a'", "leading comma");
    check_error("a,", "trailing comma in 'a,'", "trailing comma");
    check_error("a,,b", "empty item in 'a,,b'", "double comma");
    check_error(",", "leading comma in ','", "a lone comma");
    check_error("0", "'0' in '0': field numbers start at 1", "zero");
    check_error("1,0-3", "'0-3' in '1,0-3': field numbers start at 1",
                "a range from zero");
    check_error("4-2", "'4-2' in '4-2': the range decreases",
                "a decreasing range");
    check_error("-", "'-' in '-': a range needs a number on at least one "
                "side", "a lone dash");
    check_error("1-2-3", "'1-2-3' in '1-2-3': a range has one dash (escape "
                "a dash in a name: \\-)", "two dashes");
    check_error("99999999999999999999999",
                "'99999999999999999999999' in '99999999999999999999999': "
                "field number too large", "a huge number");
    check_error("a\\", "'a\\' in 'a\\': backslash at the end",
                "a backslash at the end");
    check_error("x,a\\\\\\", "'a\\\\\\' in 'x,a\\\\\\': backslash at the end",
                "an odd run of backslashes at the end");
    check_error("t.", "'t.' in 't.': empty column name", "t.");
    check_error(".c", "'.c' in '.c': empty table name", ".c");
    check_error("a..c", "'a..c' in 'a..c': empty table name", "a..c");
    {
        cu_fieldlist *fl = cu_fieldlist_parse("a\\\\", NULL, 0);
        ok(fl != NULL, "an escaped backslash at the end is fine");
        cu_fieldlist_free(fl);
    }
    {
        char err[8] = "zzzzzzz";
        ok(cu_fieldlist_parse("4-2", err, sizeof err) == NULL &&
               strlen(err) == 7,
           "a short error buffer is cut and terminated ('%s')", err);
        ok(cu_fieldlist_parse("4-2", NULL, 0) == NULL,
           "no error buffer is fine");
    }
}

int main(void)
{
    plan(0);
    test_numbers_and_ranges();
    test_names();
    test_escapes();
    test_order();
    test_unmatched();
    test_errors();
    return done_testing();
}
