/* A document as PDF (A4, vector charts, tables paginated with their header
 * on every page) and its first chart as PNG, through cairo and pango. */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "plot-cairo.h"
#include "report.h"

static const double a4_short = 595.28, a4_long = 841.89, margin = 40;

struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    double y; /* the next free line */
    int page;
    double page_w, page_h; /* of the current page */
};

/* A new page, portrait, or landscape for a table too wide for portrait. */
static void new_page_as(struct pdf *p, bool landscape)
{
    if (p->page)
        cairo_show_page(p->cr);
    p->page++;
    p->page_w = landscape ? a4_long : a4_short;
    p->page_h = landscape ? a4_short : a4_long;
    cairo_pdf_surface_set_size(p->surface, p->page_w, p->page_h);
    p->y = margin;
    char num[32];
    snprintf(num, sizeof num, "%d", p->page);
    cu_cairo_text(p->cr, p->page_w - margin, p->page_h - 20, num, 8, 'e', 0,
                  CU_C_GRID);
}

static void new_page(struct pdf *p)
{
    new_page_as(p, p->page_w > p->page_h);
}

static void need(struct pdf *p, double h)
{
    if (p->y + h > p->page_h - margin)
        new_page(p);
}

/* Wrapped text as lines of the estimated width. */
static void paragraph(struct pdf *p, const char *s, double size)
{
    double width = p->page_w - 2 * margin;
    size_t per_line = (size_t)(width / (0.58 * size));
    const char *q = s;
    while (*q) {
        size_t len = strlen(q), cut = len;
        if (len > per_line) {
            cut = per_line;
            while (cut > 0 && q[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = per_line;
        }
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(cut < 511 ? cut : 511), q);
        need(p, size * 1.5);
        cu_cairo_text(p->cr, margin, p->y + size, line, size, 's', 0, CU_C_INK);
        p->y += size * 1.5;
        q += cut;
        while (*q == ' ')
            q++;
    }
}

static void kpis(struct pdf *p, const struct section *s)
{
    double w = (p->page_w - 2 * margin - 10 * 3) / 4, h = 50;
    for (size_t k = 0; k < s->nkpis; k++) {
        size_t col = k % 4;
        if (col == 0) {
            need(p, h + 10);
            if (k)
                p->y += h + 10;
        }
        double x = margin + (double)col * (w + 10);
        cairo_set_source_rgb(p->cr, 0.96, 0.96, 0.96);
        cairo_rectangle(p->cr, x, p->y, w, h);
        cairo_fill(p->cr);
        char buf[128];
        cu_cairo_text(p->cr, x + 6, p->y + 12,
                      cu_plot_fit(s->kpis[k].label, 7.5, w - 12, buf, sizeof buf),
                      7.5, 's', 0, CU_C_INK);
        cu_cairo_text(p->cr, x + 6, p->y + 30, s->kpis[k].value, 15, 's', 1,
                      CU_C_INK);
        cu_cairo_text(p->cr, x + 6, p->y + 43,
                      cu_plot_fit(s->kpis[k].note, 7, w - 12, buf, sizeof buf),
                      7, 's', 0, CU_C_INK);
    }
    if (s->nkpis)
        p->y += h + 14;
}

static void chart(struct pdf *p, const struct chart_data *c)
{
    struct cu_canvas canvas;
    cu_cairo_canvas(&canvas, p->cr);
    double w = p->page_w - 2 * margin;
    if (c->is_bars) {
        double h = cu_bar_chart_height(&c->bars);
        need(p, h);
        cu_draw_bar_chart(&canvas, &c->bars, margin, p->y, w);
        p->y += h + 10;
    } else {
        double h = 260;
        need(p, h);
        cu_draw_area_chart(&canvas, &c->area, margin, p->y, w, h);
        p->y += h + 10;
    }
}

/* ---- tables ------------------------------------------------------------ */

/* A table too wide for the page is printed in column groups, each with
 * the leading text columns (period, site, group) again, so that every
 * figure is printed whole, in a font that stays readable. */
static const double cell_size = 6.5, cell_pad = 6, text_max = 190;

struct columns {
    size_t n, col[MAXCOLS]; /* the table's columns in this group */
    double x[MAXCOLS + 1];
};

static const char *cell_text(const struct section *s, size_t i, size_t c)
{
    const char *v = i == (size_t)-1 ? s->t.names[c] : tt_cell(&s->tt, &s->t, i, c);
    return v ? v : "\\N";
}

static void natural_widths(cairo_t *cr, const struct section *s, double *w)
{
    for (size_t c = 0; c < s->t.ncols; c++) {
        w[c] = cu_cairo_text_width(cr, cell_text(s, (size_t)-1, c), cell_size, 1);
        for (size_t i = 0; i < s->tt.nrows; i++) {
            double v = cu_cairo_text_width(cr, cell_text(s, i, c), cell_size, 0);
            w[c] = v > w[c] ? v : w[c];
        }
        if (!s->t.numeric[c] && w[c] > text_max)
            w[c] = text_max; /* a long name is cut, with an ellipsis */
        w[c] += cell_pad;
    }
}

/* The groups: the leading text columns in each, the rest filled in order
 * while they fit avail. Returns how many. */
static size_t column_groups(const struct section *s, const double *w,
                            double avail, struct columns *g)
{
    size_t keys = 0, ng = 0;
    double key_w = 0;
    while (keys < s->t.ncols && !s->t.numeric[keys])
        key_w += w[keys++];
    if (keys == s->t.ncols || key_w > avail / 2) { /* no keys to repeat */
        keys = 0;
        key_w = 0;
    }
    size_t c = keys;
    do {
        struct columns *grp = &g[ng++];
        grp->n = 0;
        for (size_t k = 0; k < keys; k++)
            grp->col[grp->n++] = k;
        double used = key_w;
        while (c < s->t.ncols && (grp->n == keys || used + w[c] <= avail)) {
            used += w[c];
            grp->col[grp->n++] = c++;
        }
        grp->x[0] = margin;
        for (size_t k = 0; k < grp->n; k++)
            grp->x[k + 1] = grp->x[k] + w[grp->col[k]];
    } while (c < s->t.ncols);
    return ng;
}

static void table_row(struct pdf *p, const struct section *s,
                      const struct columns *g, size_t i)
{
    double h = cell_size * 1.55;
    bool head = i == (size_t)-1;
    if (head) {
        cairo_set_source_rgb(p->cr, 0.94, 0.94, 0.94);
        cairo_rectangle(p->cr, margin, p->y, g->x[g->n] - margin, h);
        cairo_fill(p->cr);
    }
    double base = p->y + cell_size * 1.15;
    for (size_t k = 0; k < g->n; k++) {
        size_t c = g->col[k];
        if (s->t.numeric[c]) { /* a figure is never cut */
            cu_cairo_text(p->cr, g->x[k + 1] - 3, base, cell_text(s, i, c),
                          cell_size, 'e', head, CU_C_INK);
            continue;
        }
        char buf[256];
        const char *v = cu_cairo_fit(p->cr, cell_text(s, i, c), cell_size,
                                     head, g->x[k + 1] - g->x[k] - cell_pad,
                                     buf, sizeof buf);
        cu_cairo_text(p->cr, g->x[k] + 3, base, v, cell_size, 's', head,
                      CU_C_INK);
    }
    p->y += h;
}

static bool needs_landscape(const struct section *s, const double *w)
{
    double total = 0;
    for (size_t c = 0; c < s->t.ncols; c++)
        total += w[c];
    return total > a4_short - 2 * margin;
}

/* The table, in columns of widths w (natural_widths). */
static void table(struct pdf *p, const struct section *s, const double *w)
{
    bool landscape = needs_landscape(s, w);
    if (landscape != (p->page_w > p->page_h))
        new_page_as(p, landscape);
    struct columns g[MAXCOLS];
    size_t ng = column_groups(s, w, p->page_w - 2 * margin, g);
    double h = cell_size * 1.55;
    for (size_t k = 0; k < ng; k++) {
        if (ng > 1) {
            char label[64];
            snprintf(label, sizeof label, "columns, part %zu of %zu", k + 1, ng);
            need(p, 4 * h);
            cu_cairo_text(p->cr, margin, p->y + 8, label, 7, 's', 0, CU_C_INK);
            p->y += 12;
        }
        need(p, 3 * h);
        table_row(p, s, &g[k], (size_t)-1);
        for (size_t i = 0; i < s->tt.nrows; i++) {
            if (p->y + h > p->page_h - margin) {
                new_page(p);
                table_row(p, s, &g[k], (size_t)-1); /* the header again */
            }
            table_row(p, s, &g[k], i);
        }
        p->y += 10;
    }
}

/* ---- files ------------------------------------------------------------- */

static cairo_status_t to_file(void *closure, const unsigned char *data,
                              unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
                                                : CAIRO_STATUS_WRITE_ERROR;
}

static FILE *open_out(const char *path)
{
    if (strcmp(path, "-") == 0) {
        if (isatty(STDOUT_FILENO))
            cu_usage_error("PDF and PNG are binary: give a file, or send "
                           "standard output to a file or a pipe");
        return stdout;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path);
    return f;
}

/* Close, and remove a file left half written. */
static void close_out(FILE *f, const char *path, cairo_status_t st)
{
    if (f == stdout) {
        if (st != CAIRO_STATUS_SUCCESS)
            cu_die(CU_EXIT_DATA, "writing to standard output: %s",
                   cairo_status_to_string(st));
        return;
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || st != CAIRO_STATUS_SUCCESS) {
        unlink(path);
        cu_die(CU_EXIT_DATA, "%s: %s", path,
               st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st)
                                          : "write error");
    }
}

void doc_write_pdf(const struct doc *d, const char *path)
{
    FILE *f = open_out(path);
    struct pdf p = {0};
    p.surface = cairo_pdf_surface_create_for_stream(to_file, f, a4_short,
                                                    a4_long);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE,
                                   d->title);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR,
                                   "cu-report (cu " PACKAGE_VERSION ")");
    p.cr = cairo_create(p.surface);
    new_page(&p);
    char cut[512];
    cu_cairo_text(p.cr, margin, p.y + 18,
                  cu_cairo_fit(p.cr, d->title, 18, 1, p.page_w - 2 * margin,
                               cut, sizeof cut),
                  18, 's', 1, CU_C_INK);
    p.y += 28;
    if (d->subtitle)
        paragraph(&p, d->subtitle, 9.5);
    for (size_t i = 0; i < d->n; i++) {
        const struct section *s = &d->sections[i];
        double w[MAXCOLS]; /* every cell measured once */
        if (s->has_table)
            natural_widths(p.cr, s, w);
        /* a section starts on a page of its table's orientation (charts
         * are portrait), never at a page's foot */
        bool landscape = s->has_table && !s->ncharts && !s->nkpis &&
                         needs_landscape(s, w);
        if (landscape != (p.page_w > p.page_h))
            new_page_as(&p, landscape);
        else
            need(&p, s->ncharts ? 340 : s->nkpis ? 110 : 80);
        p.y += 14;
        cu_cairo_text(p.cr, margin, p.y + 13,
                      cu_cairo_fit(p.cr, s->heading, 13, 1,
                                   p.page_w - 2 * margin, cut, sizeof cut),
                      13, 's', 1, CU_C_INK);
        p.y += 22;
        if (s->note)
            paragraph(&p, s->note, 8.5);
        kpis(&p, s);
        for (size_t c = 0; c < s->ncharts; c++)
            chart(&p, s->charts[c]);
        if (s->has_table)
            table(&p, s, w);
    }
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    cairo_status_t st = cairo_surface_status(p.surface);
    cairo_surface_destroy(p.surface);
    close_out(f, path, st);
}

void doc_write_png(const struct doc *d, const char *path)
{
    const struct chart_data *c = NULL;
    for (size_t i = 0; i < d->n && !c; i++)
        for (size_t k = 0; k < d->sections[i].ncharts && !c; k++)
            c = d->sections[i].charts[k];
    if (!c)
        cu_die(CU_EXIT_DATA, "%s: this report has no chart to draw", path);
    double w = 960, h = c->is_bars ? cu_bar_chart_height(&c->bars) : 340;
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                     (int)(2 * w), (int)(2 * h));
    cairo_t *cr = cairo_create(sf);
    cairo_scale(cr, 2, 2);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    struct cu_canvas canvas;
    cu_cairo_canvas(&canvas, cr);
    if (c->is_bars)
        cu_draw_bar_chart(&canvas, &c->bars, 10, 6, w - 20);
    else
        cu_draw_area_chart(&canvas, &c->area, 10, 6, w - 20, h - 12);
    cairo_destroy(cr);
    FILE *f = open_out(path);
    cairo_status_t st = cairo_surface_write_to_png_stream(sf, to_file, f);
    cairo_surface_destroy(sf);
    close_out(f, path, st);
}
