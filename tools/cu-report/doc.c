/* Documents: the sections --html and --pdf render (a heading, a note,
 * headline figures, charts, a table). A report's table comes here whole,
 * as the same cells its TSV would hold, so the page shows exactly the
 * figures of the stream. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"

struct doc *doc_new(const char *title, const char *subtitle)
{
    struct doc *d = cu_xcalloc(1, sizeof *d);
    d->title = cu_xstrndup(title, strlen(title));
    d->subtitle = subtitle ? cu_xstrndup(subtitle, strlen(subtitle)) : NULL;
    return d;
}

static void chart_free(struct chart_data *c)
{
    free(c->t);
    for (int i = 0; i < 12; i++)
        free(c->v[i]);
    for (size_t i = 0; c->labels && i < c->bars.n; i++)
        free(c->labels[i]);
    free(c->labels);
    free(c->bv);
    free((char *)c->area.title);
    free((char *)c->bars.title);
    free(c);
}

void doc_free(struct doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        struct section *s = &d->sections[i];
        cu_free_all(s->heading, s->note, s->kpis);
        for (size_t c = 0; c < s->ncharts; c++)
            chart_free(s->charts[c]);
        free(s->charts);
        if (s->has_table)
            text_table_free(&s->tt, &s->t);
    }
    cu_free_all(d->sections, d->title, d->subtitle, d);
}

struct section *doc_section(struct doc *d, const char *heading)
{
    d->sections = cu_xgrow(d->sections, &d->cap, d->n + 1, sizeof *d->sections);
    struct section *s = &d->sections[d->n++];
    memset(s, 0, sizeof *s);
    s->heading = cu_xstrndup(heading, strlen(heading));
    return s;
}

void section_note(struct section *s, const char *note)
{
    free(s->note);
    s->note = cu_xstrndup(note, strlen(note));
}

void section_kpi(struct section *s, const char *label, const char *value,
                 const char *note)
{
    size_t cap = s->nkpis;
    s->kpis = cu_xgrow(s->kpis, &cap, s->nkpis + 1, sizeof *s->kpis);
    struct kpi *k = &s->kpis[s->nkpis++];
    snprintf(k->label, sizeof k->label, "%s", label);
    snprintf(k->value, sizeof k->value, "%s", value);
    snprintf(k->note, sizeof k->note, "%s", note ? note : "");
}

struct chart_data *section_chart(struct section *s)
{
    size_t cap = s->ncharts;
    s->charts = cu_xgrow(s->charts, &cap, s->ncharts + 1, sizeof *s->charts);
    return s->charts[s->ncharts++] = cu_xcalloc(1, sizeof(struct chart_data));
}

void doc_take_table(struct doc *d, const struct table *t,
                    struct text_table *tt)
{
    struct section *s = doc_section(d, d->next_heading ? d->next_heading
                                                       : "Table");
    d->next_heading = NULL;
    s->has_table = true;
    s->t = *t;
    s->tt = *tt;
    memset(tt, 0, sizeof *tt);
}
