/* Field lists: parsing `a,t.c,s.t.c,3,2-4,5-` and matching them against
 * the columns of a section. */
#include "config.h"

#include "fields.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

enum item_kind { ITEM_NAME, ITEM_RANGE };

struct item {
    char *text; /* as written in the list, for messages */
    enum item_kind kind;
    /* ITEM_NAME */
    char *table;      /* NULL: any table */
    bool table_exact; /* table must equal, else be the part after a dot */
    char *col;
    /* ITEM_RANGE: 1-based, inclusive; hi == SIZE_MAX: to the last column */
    size_t lo, hi;
    bool matched;
};

struct cu_fieldlist {
    struct item *items;
    size_t n;
};

/* ---- parsing ---- */

struct parse {
    const char *spec;
    char *errbuf;
    size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static bool parse_error(struct parse *p, const char *item, const char *fmt,
                        ...)
{
    va_list ap;
    int n = 0;
    if (!p->errbuf || p->errlen == 0)
        return false;
    if (item)
        n = snprintf(p->errbuf, p->errlen, "'%s' in '%s': ", item, p->spec);
    if (n < 0 || (size_t)n >= p->errlen)
        return false;
    va_start(ap, fmt);
    vsnprintf(p->errbuf + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

/* Digits and dashes only, nothing escaped: meant as a number or range. */
static bool looks_like_range(const char *s)
{
    for (; *s; s++)
        if (*s != '-' && (*s < '0' || *s > '9'))
            return false;
    return true;
}

/* Digits s[0..n) as a field number (0 when n == 0). */
static bool parse_number(struct parse *p, const char *item, const char *s,
                         size_t n, size_t *out)
{
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (SIZE_MAX / 2 - d) / 10)
            return parse_error(p, item, "field number too large");
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool parse_range(struct parse *p, struct item *it)
{
    const char *s = it->text, *dash = strchr(s, '-');
    size_t lo = 0, hi = 0;
    it->kind = ITEM_RANGE;
    if (dash && strchr(dash + 1, '-'))
        return parse_error(p, s, "a range has one dash (escape a dash in a "
                           "name: \\-)");
    if (!dash) {
        if (!parse_number(p, s, s, strlen(s), &lo))
            return false;
        hi = lo;
    } else {
        if (dash == s && dash[1] == '\0')
            return parse_error(p, s, "a range needs a number on at least "
                               "one side");
        if (!parse_number(p, s, s, (size_t)(dash - s), &lo) ||
            !parse_number(p, s, dash + 1, strlen(dash + 1), &hi))
            return false;
        if (dash == s)
            lo = 1;
        if (dash[1] == '\0')
            hi = SIZE_MAX;
    }
    if (lo == 0 || hi == 0)
        return parse_error(p, s, "field numbers start at 1");
    if (hi < lo)
        return parse_error(p, s, "the range decreases");
    it->lo = lo;
    it->hi = hi;
    return true;
}

/* Split a name at its unescaped dots, removing the escapes. parts[] gets
 * pointers into buf (NUL-separated); returns the number of parts. */
static size_t split_name(const char *text, char *buf, char **parts,
                         size_t maxparts)
{
    size_t n = 0;
    char *o = buf;
    parts[n++] = o;
    for (const char *s = text; *s; s++) {
        if (*s == '\\' && s[1])
            *o++ = *++s;
        else if (*s == '.' && n < maxparts) {
            *o++ = '\0';
            parts[n++] = o;
        } else if (*s == '.') {
            *o++ = '.';
        } else
            *o++ = *s;
    }
    *o = '\0';
    return n;
}

static size_t count_unescaped_dots(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s == '\\' && s[1])
            s++;
        else if (*s == '.')
            n++;
    }
    return n;
}

static bool parse_name(struct parse *p, struct item *it)
{
    size_t ndots = count_unescaped_dots(it->text), nparts, len;
    char **parts = cu_xcalloc(ndots + 1, sizeof *parts);
    char *buf = cu_xmalloc(strlen(it->text) + 1);
    bool good = true;
    it->kind = ITEM_NAME;
    nparts = split_name(it->text, buf, parts, ndots + 1);
    for (size_t i = 0; i < nparts && good; i++)
        if (parts[i][0] == '\0')
            good = parse_error(p, it->text, "empty %s name",
                               i + 1 == nparts ? "column" : "table");
    if (good) {
        it->col = cu_xstrdup(parts[nparts - 1]);
        if (nparts == 2)
            it->table = cu_xstrdup(parts[0]);
        else if (nparts > 2) {
            /* join the qualifier back: the exact table name */
            len = (size_t)(parts[nparts - 1] - parts[0]) - 1;
            for (size_t i = 1; i + 1 < nparts; i++)
                parts[i][-1] = '.';
            it->table = cu_xstrndup(parts[0], len);
            it->table_exact = true;
        }
    }
    free(parts);
    free(buf);
    return good;
}

static bool has_escape(const char *s) { return strchr(s, '\\') != NULL; }

static bool parse_item(struct parse *p, struct item *it)
{
    size_t len = strlen(it->text);
    size_t backslashes = 0;
    /* a backslash at the end escapes nothing */
    while (backslashes < len && it->text[len - 1 - backslashes] == '\\')
        backslashes++;
    if (backslashes % 2)
        return parse_error(p, it->text, "backslash at the end");
    if (!has_escape(it->text) && looks_like_range(it->text))
        return parse_range(p, it);
    return parse_name(p, it);
}

/* The next item's text: from s to the next unescaped comma. */
static const char *item_end(const char *s)
{
    for (; *s && *s != ','; s++)
        if (*s == '\\' && s[1])
            s++;
    return s;
}

static void free_items(struct item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cu_free_all(items[i].text, items[i].table, items[i].col);
    }
    free(items);
}

cu_fieldlist *cu_fieldlist_parse(const char *spec, char *errbuf,
                                 size_t errlen)
{
    struct parse p = {spec, errbuf, errlen};
    struct item *items = NULL;
    size_t n = 0, cap = 0;
    const char *s = spec;
    cu_fieldlist *fl;

    if (*spec == '\0') {
        parse_error(&p, NULL, "empty field list");
        return NULL;
    }
    for (;;) {
        const char *end = item_end(s);
        if (end == s) {
            parse_error(&p, NULL, "%s in '%s'",
                        n == 0 ? "leading comma"
                        : *end == '\0' ? "trailing comma" : "empty item",
                        spec);
            free_items(items, n);
            return NULL;
        }
        items = cu_xgrow(items, &cap, n + 1, sizeof *items);
        memset(&items[n], 0, sizeof items[n]);
        items[n].text = cu_xstrndup(s, (size_t)(end - s));
        if (!parse_item(&p, &items[n++])) {
            free_items(items, n);
            return NULL;
        }
        if (*end == '\0')
            break;
        s = end + 1;
    }
    fl = cu_xmalloc(sizeof *fl);
    fl->items = items;
    fl->n = n;
    return fl;
}

void cu_fieldlist_free(cu_fieldlist *fl)
{
    if (!fl)
        return;
    free_items(fl->items, fl->n);
    free(fl);
}

size_t cu_fieldlist_count(const cu_fieldlist *fl) { return fl->n; }

/* ---- matching ---- */

static bool table_matches(const struct item *it, const char *table)
{
    size_t tl, il;
    if (!it->table)
        return true;
    if (!table)
        return false;
    if (strcmp(table, it->table) == 0)
        return true;
    if (it->table_exact)
        return false;
    tl = strlen(table);
    il = strlen(it->table);
    return tl > il && table[tl - il - 1] == '.' &&
           strcmp(table + tl - il, it->table) == 0;
}

/* Append column i to idx unless already taken. */
static void take(size_t i, bool *taken, size_t *idx, size_t *n)
{
    if (!taken[i]) {
        taken[i] = true;
        idx[(*n)++] = i;
    }
}

size_t cu_fieldlist_select_order(cu_fieldlist *fl, const char *table,
                                 const char *const *cols, size_t ncols,
                                 size_t *idx)
{
    bool *taken = cu_xcalloc(ncols ? ncols : 1, sizeof *taken);
    size_t n = 0;
    for (size_t k = 0; k < fl->n; k++) {
        struct item *it = &fl->items[k];
        if (it->kind == ITEM_RANGE) {
            for (size_t c = it->lo; c <= it->hi && c <= ncols; c++) {
                take(c - 1, taken, idx, &n);
                it->matched = true;
            }
        } else if (table_matches(it, table)) {
            for (size_t c = 0; c < ncols; c++)
                if (strcmp(cols[c], it->col) == 0) {
                    take(c, taken, idx, &n);
                    it->matched = true;
                }
        }
    }
    free(taken);
    return n;
}

size_t cu_fieldlist_select(cu_fieldlist *fl, const char *table,
                           const char *const *cols, size_t ncols,
                           bool *selected)
{
    size_t *idx = cu_xcalloc(ncols ? ncols : 1, sizeof *idx);
    size_t n = cu_fieldlist_select_order(fl, table, cols, ncols, idx);
    memset(selected, 0, ncols * sizeof *selected);
    for (size_t i = 0; i < n; i++)
        selected[idx[i]] = true;
    free(idx);
    return n;
}

const char *cu_fieldlist_unmatched(const cu_fieldlist *fl)
{
    for (size_t k = 0; k < fl->n; k++)
        if (!fl->items[k].matched)
            return fl->items[k].text;
    return NULL;
}
