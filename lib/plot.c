/* Charts laid out once, drawn on a canvas (SVG here, cairo elsewhere);
 * plot.h says why this is written by hand. */
#include "config.h"

#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- numbers and ticks ------------------------------------------------- */

size_t cu_nice_ticks(double lo, double hi, size_t max_ticks, double *first,
                     double *step)
{
    if (max_ticks < 2)
        max_ticks = 2;
    if (!(hi > lo))
        hi = lo + (lo != 0 ? fabs(lo) : 1);
    double k = pow(10, floor(log10((hi - lo) / (double)max_ticks)));
    static const double mult[] = {1, 2, 5};
    for (;; k *= 10)
        for (int m = 0; m < 3; m++) {
            double s = mult[m] * k;
            double f = ceil(lo / s - 1e-9) * s;
            size_t count = (size_t)(floor(hi / s + 1e-9) - ceil(lo / s - 1e-9)) + 1;
            if (count <= max_ticks) {
                *first = f == 0 ? 0 : f; /* no -0 */
                *step = s;
                return count;
            }
        }
}

static const int64_t usec_day = 86400 * INT64_C(1000000);

size_t cu_time_ticks(cu_time t0, cu_time t1, size_t max_ticks, cu_time *out,
                     size_t cap, char *kind)
{
    static const struct {
        cu_duration d;
        char kind;
    } steps[] = {
        {{0, 86400 * INT64_C(1000000)}, 'd'},
        {{0, 2 * 86400 * INT64_C(1000000)}, 'd'},
        {{0, 7 * 86400 * INT64_C(1000000)}, 'd'},
        {{1, 0}, 'm'},
        {{3, 0}, 'm'},
        {{6, 0}, 'm'},
        {{12, 0}, 'y'},
        {{60, 0}, 'y'},
    };
    size_t nsteps = sizeof steps / sizeof *steps;
    for (size_t s = 0; s < nsteps; s++) {
        /* weeks from Monday (1970-01-05 was one) */
        cu_time origin = s == 2 ? 4 * usec_day : CU_TIME_NULL;
        cu_time t = cu_time_floor(t0, steps[s].d, origin);
        if (t < t0)
            t = cu_time_add(t, steps[s].d, 1);
        size_t n = 0;
        for (cu_time u = t; u <= t1; u = cu_time_add(u, steps[s].d, 1))
            n++;
        if (n > max_ticks && s + 1 < nsteps)
            continue;
        n = 0;
        for (cu_time u = t; u <= t1 && n < cap; u = cu_time_add(u, steps[s].d, 1))
            out[n++] = u;
        *kind = steps[s].kind;
        return n;
    }
    return 0;
}

void cu_time_tick_label(cu_time t, char kind, char *buf)
{
    static const char *const month[] = {"Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"};
    int64_t days = t >= 0 ? t / usec_day : -((-t + usec_day - 1) / usec_day);
    int64_t y;
    unsigned m, d;
    cu_civil_from_days(days, &y, &m, &d);
    if (kind == 'd')
        snprintf(buf, 32, "%s %u", month[m - 1], d);
    else if (kind == 'm')
        snprintf(buf, 32, "%s %lld", month[m - 1], (long long)y);
    else
        snprintf(buf, 32, "%lld", (long long)y);
}

void cu_human_number(double v, char *buf)
{
    char digits[40];
    int decimals = fabs(v) < 1e5 ? 1 : 0;
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
    if (decimals && strcmp(digits + strlen(digits) - 2, ".0") == 0)
        digits[strlen(digits) - 2] = '\0';
    char *dot = strchr(digits, '.');
    size_t intlen = dot ? (size_t)(dot - digits) : strlen(digits);
    char *p = buf;
    if (v < 0 && strcmp(digits, "0") != 0)
        *p++ = '-';
    for (size_t i = 0; i < intlen; i++) {
        if (i && (intlen - i) % 3 == 0)
            *p++ = ',';
        *p++ = digits[i];
    }
    strcpy(p, dot ? dot : "");
}

const char *cu_plot_colour(enum cu_colour c)
{
    /* reservation blue, on demand orange (lighter when stopped), errors
     * red, idle a light teal (reserved, unused), available greys; lines
     * dark */
    static const char *const palette[CU_NCOLOURS] = {
        "#1f5fa8", "#e0822a", "#9fd3c7", "#d9d9d9", "#efefef",
        "#222222", "#1f5fa8", "#1f5fa8", "#e0822a", "#222222", "#b0b0b0",
        "#6b9bd6", "#f3b77c", "#a82020", "#e06060"};
    return palette[c];
}

/* ---- SVG --------------------------------------------------------------- */

void cu_xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
                putc(*s, f);
        }
    }
}

static void svg_rect(void *ctx, double x, double y, double w, double h,
                     enum cu_colour fill)
{
    fprintf(ctx, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                 "fill=\"%s\"/>\n", x, y, w, h, cu_plot_colour(fill));
}

static void svg_points(FILE *f, const double *xy, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%.1f,%.1f", i ? " " : "", xy[2 * i], xy[2 * i + 1]);
}

static void svg_polygon(void *ctx, const double *xy, size_t n,
                        enum cu_colour fill)
{
    fputs("<polygon points=\"", ctx);
    svg_points(ctx, xy, n);
    fprintf(ctx, "\" fill=\"%s\"/>\n", cu_plot_colour(fill));
}

static void svg_polyline(void *ctx, const double *xy, size_t n,
                         enum cu_colour stroke, double width, int dashed)
{
    fputs("<polyline points=\"", ctx);
    svg_points(ctx, xy, n);
    fprintf(ctx, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
            cu_plot_colour(stroke), width,
            dashed ? " stroke-dasharray=\"4 3\"" : "");
}

static void svg_text(void *ctx, double x, double y, const char *s, double size,
                     char anchor, int bold, enum cu_colour colour)
{
    fprintf(ctx, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\"%s%s "
                 "fill=\"%s\">", x, y, size,
            anchor == 'm'   ? " text-anchor=\"middle\""
            : anchor == 'e' ? " text-anchor=\"end\""
                            : "",
            bold ? " font-weight=\"bold\"" : "", cu_plot_colour(colour));
    cu_xml_text(ctx, s);
    fputs("</text>\n", ctx);
}

void cu_svg_canvas(struct cu_canvas *c, FILE *f)
{
    *c = (struct cu_canvas){f, svg_rect, svg_polygon, svg_polyline, svg_text};
}

void cu_svg_begin(FILE *f, double width, double height, const char *title)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
               "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
               "font-family=\"DejaVu Sans, Verdana, sans-serif\">\n<title>",
            width, height, width, height);
    cu_xml_text(f, title);
    fputs("</title>\n", f);
}

void cu_svg_end(FILE *f) { fputs("</svg>\n", f); }

/* ---- layout ------------------------------------------------------------ */

/* a UTF-8 continuation byte is not a character */
double cu_plot_text_width(const char *s, double size)
{
    size_t chars = 0;
    for (; *s; s++)
        chars += ((unsigned char)*s & 0xC0) != 0x80;
    return 0.58 * size * (double)chars;
}

const char *cu_plot_fit(const char *s, double size, double width, char *buf,
                        size_t cap)
{
    if (cu_plot_text_width(s, size) <= width)
        return s;
    size_t keep = (size_t)(width / (0.58 * size));
    keep = keep > 1 ? keep - 1 : 0;
    size_t i = 0, chars = 0;
    while (s[i] && i + 4 < cap) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == keep)
            break;
        i++;
    }
    memcpy(buf, s, i);
    strcpy(buf + i, "\xE2\x80\xA6"); /* … */
    return buf;
}

static const double title_size = 13, label_size = 9;

static double value_max(const struct cu_area_chart *a)
{
    double top = 0;
    for (size_t i = 0; i < a->npoints; i++) {
        double sum = 0;
        for (size_t l = 0; l < a->nlayers; l++) {
            double v = a->layers[l].v[i];
            if (a->layers[l].line)
                top = v > top ? v : top;
            else
                sum += v;
        }
        top = sum > top ? sum : top;
    }
    return top;
}

struct frame { /* the plot area and its scales */
    double x0, y0, w, h;
    cu_time t0, t1;
    double vmax;
};

static double fx(const struct frame *f, cu_time t)
{
    return f->x0 + f->w * (double)(t - f->t0) / (double)(f->t1 - f->t0);
}

static double fy(const struct frame *f, double v)
{
    return f->y0 + f->h - f->h * v / f->vmax;
}

static void draw_axes(const struct cu_canvas *c, const struct cu_area_chart *a,
                      const struct frame *f)
{
    double first, step;
    size_t n = cu_nice_ticks(0, f->vmax, 6, &first, &step);
    for (size_t i = 0; i < n; i++) {
        double v = first + step * (double)i, y = fy(f, v);
        double grid[4] = {f->x0, y, f->x0 + f->w, y};
        c->polyline(c->ctx, grid, 2, CU_C_GRID, 0.5, i != 0);
        char label[40];
        cu_human_number(v, label);
        c->text(c->ctx, f->x0 - 4, y + 3, label, label_size, 'e', 0, CU_C_INK);
    }
    c->text(c->ctx, f->x0 - 4, f->y0 - 6, a->y_unit, label_size, 'e', 1,
            CU_C_INK);
    cu_time ticks[64];
    char kind;
    size_t max_ticks = (size_t)(f->w / 60);
    size_t nt = cu_time_ticks(f->t0, f->t1, max_ticks ? max_ticks : 1, ticks,
                              64, &kind);
    for (size_t i = 0; i < nt; i++) {
        double x = fx(f, ticks[i]);
        double mark[4] = {x, f->y0 + f->h, x, f->y0 + f->h + 4};
        c->polyline(c->ctx, mark, 2, CU_C_GRID, 0.8, 0);
        char label[32];
        cu_time_tick_label(ticks[i], kind, label);
        c->text(c->ctx, x, f->y0 + f->h + 14, label, label_size, 'm', 0,
                CU_C_INK);
    }
}

/* The steps of v: each value held from t[i] to the next point, as x, y
 * pairs into xy; returns how many pairs. */
static size_t steps(const struct frame *f, const struct cu_area_chart *a,
                    const double *v, double *xy)
{
    size_t n = a->npoints, k = 0;
    for (size_t i = 0; i < n; i++) {
        cu_time e = i + 1 < n ? a->t[i + 1] : a->t_end;
        xy[k++] = fx(f, a->t[i]);
        xy[k++] = fy(f, v[i]);
        xy[k++] = fx(f, e);
        xy[k++] = fy(f, v[i]);
    }
    return k / 2;
}

/* A layer's band: its top's steps, then its floor's backwards. */
static void draw_band(const struct cu_canvas *c, const struct frame *f,
                      const struct cu_area_chart *a, const double *floor,
                      const double *top, enum cu_colour colour, double *xy)
{
    size_t n = steps(f, a, top, xy), m = steps(f, a, floor, xy + 2 * n);
    for (size_t i = 0; i < m / 2; i++) { /* the floor runs right to left */
        double *p = xy + 2 * (n + i), *q = xy + 2 * (n + m - 1 - i);
        double x = p[0], y = p[1];
        p[0] = q[0];
        p[1] = q[1];
        q[0] = x;
        q[1] = y;
    }
    c->polygon(c->ctx, xy, n + m, colour);
}

static void draw_line(const struct cu_canvas *c, const struct frame *f,
                      const struct cu_area_chart *a, const double *v,
                      enum cu_colour colour, double *xy)
{
    c->polyline(c->ctx, xy, steps(f, a, v, xy), colour, 1.5,
                colour == CU_C_RESERVABLE);
}

static void draw_legend(const struct cu_canvas *c,
                        const struct cu_area_chart *a, double x, double y,
                        double w)
{
    double cx = x;
    for (size_t l = 0; l < a->nlayers; l++) {
        double need = 16 + cu_plot_text_width(a->layers[l].name, label_size) + 14;
        if (cx > x && cx + need > x + w) {
            cx = x;
            y += 14;
        }
        if (a->layers[l].line) {
            double seg[4] = {cx, y - 3, cx + 11, y - 3};
            c->polyline(c->ctx, seg, 2, a->layers[l].colour, 1.5,
                        a->layers[l].colour == CU_C_RESERVABLE);
        } else {
            c->rect(c->ctx, cx, y - 8, 11, 9, a->layers[l].colour);
        }
        c->text(c->ctx, cx + 15, y, a->layers[l].name, label_size, 's', 0,
                CU_C_INK);
        cx += need;
    }
}

void cu_draw_area_chart(const struct cu_canvas *c, const struct cu_area_chart *a,
                        double x, double y, double w, double h)
{
    char buf[256];
    c->text(c->ctx, x, y + title_size,
            cu_plot_fit(a->title, title_size, w, buf, sizeof buf), title_size, 's', 1,
            CU_C_INK);
    struct frame f = {x + 56, y + title_size + 22, w - 56 - 12, 0,
                      a->npoints ? a->t[0] : 0, a->t_end, 0};
    f.h = h - (f.y0 - y) - 52;
    if (f.t1 <= f.t0)
        f.t1 = f.t0 + 1;
    double first, step, vmax = value_max(a);
    size_t n = cu_nice_ticks(0, vmax, 6, &first, &step);
    f.vmax = first + step * (double)(n - 1);
    if (f.vmax < vmax) /* the top tick above the highest value */
        f.vmax += step;
    if (f.vmax <= 0)
        f.vmax = 1;
    size_t np = a->npoints;
    double floor_[np ? np : 1], top[np ? np : 1], xy[8 * (np ? np : 1)];
    for (size_t i = 0; i < np; i++)
        floor_[i] = 0;
    for (size_t l = 0; l < a->nlayers; l++) {
        if (a->layers[l].line)
            continue;
        for (size_t i = 0; i < np; i++)
            top[i] = floor_[i] + a->layers[l].v[i];
        if (np)
            draw_band(c, &f, a, floor_, top, a->layers[l].colour, xy);
        memcpy(floor_, top, np * sizeof *top);
    }
    draw_axes(c, a, &f);
    for (size_t l = 0; l < a->nlayers; l++)
        if (a->layers[l].line && np)
            draw_line(c, &f, a, a->layers[l].v, a->layers[l].colour, xy);
    draw_legend(c, a, f.x0, f.y0 + f.h + 34, f.w);
}

/* ---- bars -------------------------------------------------------------- */

static const double bar_row = 16;

double cu_bar_chart_height(const struct cu_bar_chart *b)
{
    return title_size + 14 + bar_row * (double)b->n + 8;
}

void cu_draw_bar_chart(const struct cu_canvas *c, const struct cu_bar_chart *b,
                       double x, double y, double w)
{
    char buf[256];
    c->text(c->ctx, x, y + title_size,
            cu_plot_fit(b->title, title_size, w, buf, sizeof buf), title_size, 's', 1,
            CU_C_INK);
    double label_w = w * 0.34, value_w = 96;
    double bx = x + label_w + 6, bw = w - label_w - 6 - value_w;
    double vmax = 0;
    for (size_t i = 0; i < b->n; i++)
        vmax = b->v[i] > vmax ? b->v[i] : vmax;
    double top = y + title_size + 14;
    for (size_t i = 0; i < b->n; i++) {
        double ry = top + bar_row * (double)i;
        c->text(c->ctx, x + label_w, ry + 11,
                cu_plot_fit(b->labels[i], label_size, label_w, buf, sizeof buf),
                label_size, 'e', 0, CU_C_INK);
        double len = vmax > 0 ? bw * b->v[i] / vmax : 0;
        c->rect(c->ctx, bx, ry + 3, len > 0.5 ? len : 0.5, bar_row - 5,
                CU_C_BAR);
        char num[40], text[80];
        cu_human_number(b->v[i], num);
        snprintf(text, sizeof text, "%s %s", num, b->unit);
        c->text(c->ctx, bx + len + 4, ry + 11, text, label_size, 's', 0,
                CU_C_INK);
    }
}
