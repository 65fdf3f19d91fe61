/* A document as one self-contained HTML page: inline CSS and SVG, no
 * scripts, fonts, images or links to fetch, so it opens offline, on a
 * phone, and prints (a page per section, table headers repeated). */
#include "config.h"

#include <string.h>

#include "error.h"
#include "report.h"

static const char style[] =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#222;margin:0 auto;"
    "max-width:1040px;padding:16px;line-height:1.4}\n"
    "h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 6px;"
    "border-bottom:1px solid #ccc;padding-bottom:2px}\n"
    ".sub{color:#555;margin:0 0 12px}.note{color:#444;font-size:.92em}\n"
    ".kpis{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}\n"
    ".kpi{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:140px}\n"
    ".kpi b{display:block;font-size:1.5em}.kpi span{color:#555;font-size:.85em}\n"
    "figure{margin:10px 0;overflow-x:auto}svg{width:100%;height:auto;max-width:960px}\n"
    /* a phone: charts keep a readable size and scroll sideways */
    "@media (max-width:700px){svg{width:700px;max-width:none}}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;font-size:.8em;margin:8px 0}\n"
    "th,td{border-bottom:1px solid #e4e4e4;padding:2px 8px;white-space:nowrap}\n"
    "th{text-align:left;background:#f4f4f4}td.n,th.n{text-align:right;"
    "font-variant-numeric:tabular-nums}td.null{color:#aaa}\n"
    "@media print{body{max-width:none}section+section{break-before:page}"
    "thead{display:table-header-group}tr{break-inside:avoid}"
    ".scroll{overflow:visible}}\n";

static void write_chart(FILE *f, const struct chart_data *c)
{
    struct cu_canvas canvas;
    cu_svg_canvas(&canvas, f);
    double w = 960;
    fputs("<figure>\n", f);
    if (c->is_bars) {
        double h = cu_bar_chart_height(&c->bars);
        cu_svg_begin(f, w, h, c->bars.title);
        cu_draw_bar_chart(&canvas, &c->bars, 0, 0, w);
    } else {
        double h = 340;
        cu_svg_begin(f, w, h, c->area.title);
        cu_draw_area_chart(&canvas, &c->area, 0, 0, w, h);
    }
    cu_svg_end(f);
    fputs("</figure>\n", f);
}

/* open, the text escaped, close: an element of text. */
static void put_text(FILE *f, const char *open, const char *text,
                     const char *close)
{
    fputs(open, f);
    cu_xml_text(f, text);
    fputs(close, f);
}

static void write_table(FILE *f, const struct section *s)
{
    const struct table *t = &s->t;
    fputs("<div class=\"scroll\"><table>\n<thead><tr>", f);
    for (size_t c = 0; c < t->ncols; c++) {
        put_text(f, t->numeric[c] ? "<th class=\"n\">" : "<th>", t->names[c],
                 "</th>");
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < s->tt.nrows; i++) {
        fputs("<tr>", f);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = tt_cell(&s->tt, t, i, c);
            if (!v) {
                fputs("<td class=\"null\">\\N</td>", f);
                continue;
            }
            put_text(f, t->numeric[c] ? "<td class=\"n\">" : "<td>", v,
                     "</td>");
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
}

static void write_section(FILE *f, const struct section *s)
{
    put_text(f, "<section>\n<h2>", s->heading, "</h2>\n");
    if (s->note)
        put_text(f, "<p class=\"note\">", s->note, "</p>\n");
    if (s->nkpis) {
        fputs("<div class=\"kpis\">\n", f);
        for (size_t k = 0; k < s->nkpis; k++) {
            put_text(f, "<div class=\"kpi\"><span>", s->kpis[k].label,
                     "</span>");
            put_text(f, "<b>", s->kpis[k].value, "</b>");
            put_text(f, "<span>", s->kpis[k].note, "</span></div>\n");
        }
        fputs("</div>\n", f);
    }
    for (size_t c = 0; c < s->ncharts; c++)
        write_chart(f, s->charts[c]);
    if (s->has_table)
        write_table(f, s);
    fputs("</section>\n", f);
}

void doc_write_html(const struct doc *d, FILE *f)
{
    fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\"/>\n<title>", f);
    cu_xml_text(f, d->title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", style);
    cu_xml_text(f, d->title);
    fputs("</h1>\n", f);
    if (d->subtitle)
        put_text(f, "<p class=\"sub\">", d->subtitle, "</p>\n");
    for (size_t i = 0; i < d->n; i++)
        write_section(f, &d->sections[i]);
    fputs("<footer class=\"note\">Made by cu-report (cu " PACKAGE_VERSION
          "); every figure comes from the same code as its TSV report.</footer>\n"
          "</body>\n</html>\n", f);
}
