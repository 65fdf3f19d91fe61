/* JSON blobs (instance_extra.flavor, request_specs.spec) reduced to
 * plain columns. */
#include "config.h"

#include "cu-dump.h"

void jtargets_init(struct jtargets *t, const struct derived *d)
{
    memset(t, 0, sizeof *t);
    for (; d->name && t->n < JMAX_TARGETS; d++, t->n++) {
        const char *p = d->path;
        while (*p && t->ncomp[t->n] < JMAX_COMP) {
            size_t l = strcspn(p, ".");
            t->comp[t->n][t->ncomp[t->n]++] = cu_xstrndup(p, l);
            p += l;
            if (*p == '.')
                p++;
        }
    }
}

void jtargets_free(struct jtargets *t)
{
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < t->ncomp[i]; k++)
            free(t->comp[i][k]);
}

static void j_ws(struct jparse *j) { j->p = cu_json_ws(j->p, j->end); }

/* Step over c if it comes next. */
static bool j_eat(struct jparse *j, char c)
{
    if (j->p < j->end && *j->p == c) {
        j->p++;
        return true;
    }
    return false;
}

/* Past the opening bracket of an object or array: true when close
 * follows at once (it is empty). */
static bool j_empty(struct jparse *j, char close)
{
    j->p++;
    j_ws(j);
    return j_eat(j, close);
}

/* After a member or element: true when a comma says another follows;
 * otherwise *ok says whether close ended the object or array. */
static bool j_another(struct jparse *j, char close, bool *ok)
{
    j_ws(j);
    if (j_eat(j, ','))
        return true;
    *ok = j_eat(j, close);
    return false;
}

/* A string at j->p (the opening quote); decoded into out unless NULL. */
static bool j_string(struct jparse *j, struct sbuf *out)
{
    struct cu_json_error err;
    size_t len = 0;
    if (out) {
        sb_clear(out);
        sb_reserve(out, (size_t)(j->end - j->p));
    }
    const char *after =
        cu_json_string(j->p, j->end, out ? out->s : NULL, &len, &err);
    if (!after)
        return false;
    if (out) {
        out->len = len;
        out->s[len] = '\0';
    }
    j->p = after;
    return true;
}

static bool j_number(struct jparse *j)
{
    const char *after = cu_json_number(j->p, j->end);
    if (after)
        j->p = after;
    return after != NULL;
}

static bool j_literal(struct jparse *j, const char *lit)
{
    const char *after = cu_json_literal(j->p, j->end, lit);
    if (after)
        j->p = after;
    return after != NULL;
}

static bool j_value(struct jparse *j, uint32_t alive, size_t level, int depth);

/* The value of target ti: scalars as they are; of an array, its first
 * element (Nova keeps scheduler hints as lists). */
static bool j_record(struct jparse *j, size_t ti, int depth)
{
    struct jresult *r = &j->res[ti];
    j_ws(j);
    if (j->p >= j->end)
        return false;
    const char *start = j->p;
    switch (*j->p) {
    case '"':
        r->type = J_STRING;
        return j_string(j, &r->str);
    case 'n':
        r->type = J_NULL;
        return j_literal(j, "null");
    case 't':
        r->type = J_TRUE;
        return j_literal(j, "true");
    case 'f':
        r->type = J_FALSE;
        return j_literal(j, "false");
    case '[': {
        j->p++;
        j_ws(j);
        r->type = J_NULL;
        if (j_eat(j, ']'))
            return true;
        bool first = true;
        for (;;) {
            if (first) {
                if (!j_record(j, ti, depth + 1))
                    return false;
                first = false;
            } else if (!j_value(j, 0, 0, depth + 1))
                return false;
            j_ws(j);
            if (!j_eat(j, ','))
                return j_eat(j, ']');
        }
    }
    case '{':
        if (!j_value(j, 0, 0, depth + 1))
            return false;
        r->type = J_OTHER;
        r->raw = start;
        r->rawlen = (size_t)(j->p - start);
        return true;
    default:
        if (!j_number(j))
            return false;
        r->type = J_NUMBER;
        r->raw = start;
        r->rawlen = (size_t)(j->p - start);
        return true;
    }
}

static bool j_value(struct jparse *j, uint32_t alive, size_t level, int depth)
{
    if (depth > JMAX_DEPTH)
        return false;
    j_ws(j);
    if (j->p >= j->end)
        return false;
    for (size_t t = 0; t < j->t->n; t++)
        if ((alive >> t & 1) && j->t->ncomp[t] == level)
            return j_record(j, t, depth);
    switch (*j->p) {
    case '{': {
        if (j_empty(j, '}'))
            return true;
        bool ok;
        do {
            j_ws(j);
            uint32_t child = 0;
            size_t clevel = level + 1;
            if (alive) {
                if (!j_string(j, &j->key))
                    return false;
                if (strcmp(sb_str(&j->key), "nova_object.data") == 0) {
                    child = alive;
                    clevel = level;
                } else
                    for (size_t t = 0; t < j->t->n; t++)
                        if ((alive >> t & 1) && j->t->ncomp[t] > level &&
                            strcmp(j->t->comp[t][level], sb_str(&j->key)) == 0)
                            child |= UINT32_C(1) << t;
            } else if (!j_string(j, NULL))
                return false;
            j_ws(j);
            if (!j_eat(j, ':'))
                return false;
            if (!j_value(j, child, clevel, depth + 1))
                return false;
        } while (j_another(j, '}', &ok));
        return ok;
    }
    case '[': {
        if (j_empty(j, ']'))
            return true;
        bool ok;
        do {
            if (!j_value(j, 0, 0, depth + 1))
                return false;
        } while (j_another(j, ']', &ok));
        return ok;
    }
    case '"': return j_string(j, NULL);
    case 'n': return j_literal(j, "null");
    case 't': return j_literal(j, "true");
    case 'f': return j_literal(j, "false");
    default: return j_number(j);
    }
}

/* Parse a whole document; false if it is not JSON. */
bool json_extract(const char *s, size_t len, const struct jtargets *t,
                  struct jresult *res, struct sbuf *keybuf)
{
    for (size_t i = 0; i < t->n; i++) {
        res[i].type = J_UNSET;
        sb_clear(&res[i].str);
    }
    struct jparse j = {s, s + len, t, res, *keybuf};
    uint32_t all = t->n >= 32 ? UINT32_MAX : (UINT32_C(1) << t->n) - 1;
    bool ok = j_value(&j, all, 0, 0);
    if (ok) {
        j_ws(&j);
        ok = j.p == j.end;
    }
    *keybuf = j.key;
    return ok;
}

void write_jresult(cu_writer *w, const struct jresult *r)
{
    switch (r->type) {
    case J_UNSET:
    case J_NULL: cu_writer_null(w); break;
    case J_TRUE: cu_writer_bool(w, true); break;
    case J_FALSE: cu_writer_bool(w, false); break;
    case J_NUMBER: cu_writer_num(w, r->raw, r->rawlen); break;
    case J_STRING: cu_writer_str(w, sb_str(&r->str), r->str.len); break;
    case J_OTHER: cu_writer_str(w, r->raw, r->rawlen); break;
    }
}
