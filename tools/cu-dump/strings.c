/* Growing strings and string lists for SQL and notes. */
#include "config.h"

#include "cu-dump.h"

void sb_reserve(struct sbuf *b, size_t more)
{
    if (b->len + more + 1 > b->cap)
        b->s = cu_xgrow(b->s, &b->cap, b->len + more + 1, 1);
}

void sb_addn(struct sbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_add(struct sbuf *b, const char *s) { sb_addn(b, s, strlen(s)); }

void sb_addc(struct sbuf *b, char c) { sb_addn(b, &c, 1); }

__attribute__((format(printf, 2, 3)))
void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        cu_die(CU_EXIT_DATA, "internal error: bad format");
    sb_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sb_clear(struct sbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

const char *sb_str(const struct sbuf *b) { return b->s ? b->s : ""; }

void sb_free(struct sbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* An SQL identifier in backquotes (a backquote inside is doubled). */
void sb_ident(struct sbuf *b, const char *id)
{
    sb_addc(b, '`');
    for (const char *p = id; *p; p++) {
        if (*p == '`')
            sb_addc(b, '`');
        sb_addc(b, *p);
    }
    sb_addc(b, '`');
}

/* An SQL string literal in single quotes, escaped for any sql_mode. */
void sb_literal(struct sbuf *b, const char *s)
{
    sb_addc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'' || *p == '\\')
            sb_addc(b, *p == '\'' ? '\'' : '\\');
        sb_addc(b, *p);
    }
    sb_addc(b, '\'');
}

void strv_push(struct strv *a, const char *s)
{
    a->v = cu_xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
    a->v[a->n++] = cu_xstrdup(s);
}

/* Empty, keeping the array for reuse. */
void strv_clear(struct strv *a)
{
    for (size_t k = 0; k < a->n; k++)
        free(a->v[k]);
    a->n = 0;
}

void strv_free(struct strv *a)
{
    strv_clear(a);
    free(a->v);
    a->v = NULL;
    a->cap = 0;
}
