/* lib/plot's canvas on cairo; see plot-cairo.h. */
#include "config.h"

#include "plot-cairo.h"

#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

static void set_colour(cairo_t *cr, enum cu_colour c)
{
    unsigned rgb = (unsigned)strtoul(cu_plot_colour(c) + 1, NULL, 16);
    cairo_set_source_rgb(cr, (rgb >> 16) / 255.0, (rgb >> 8 & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0);
}

static void c_rect(void *ctx, double x, double y, double w, double h,
                   enum cu_colour fill)
{
    cairo_t *cr = ctx;
    set_colour(cr, fill);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
}

static void path(cairo_t *cr, const double *xy, size_t n)
{
    cairo_new_path(cr);
    for (size_t i = 0; i < n; i++)
        cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
}

static void c_polygon(void *ctx, const double *xy, size_t n,
                      enum cu_colour fill)
{
    cairo_t *cr = ctx;
    set_colour(cr, fill);
    path(cr, xy, n);
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void c_polyline(void *ctx, const double *xy, size_t n,
                       enum cu_colour stroke, double width, int dashed)
{
    cairo_t *cr = ctx;
    static const double dash[] = {4, 3};
    set_colour(cr, stroke);
    cairo_set_line_width(cr, width);
    cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
    path(cr, xy, n);
    cairo_stroke(cr);
    cairo_set_dash(cr, dash, 0, 0);
}

static PangoLayout *layout_of(cairo_t *cr, const char *s, double size,
                              int bold)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans");
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, s, -1);
    return l;
}

double cu_cairo_text_width(cairo_t *cr, const char *s, double size, int bold)
{
    PangoLayout *l = layout_of(cr, s, size, bold);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    g_object_unref(l);
    return (double)w / PANGO_SCALE;
}

const char *cu_cairo_fit(cairo_t *cr, const char *s, double size, int bold,
                         double width, char *buf, size_t cap)
{
    if (cu_cairo_text_width(cr, s, size, bold) <= width)
        return s;
    size_t len = strlen(s);
    if (len + 4 > cap)
        len = cap - 4;
    /* the longest prefix (whole UTF-8 characters) that fits with the "…" */
    for (; len > 0; len--) {
        if (((unsigned char)s[len] & 0xC0) == 0x80)
            continue;
        memcpy(buf, s, len);
        strcpy(buf + len, "\xE2\x80\xA6");
        if (cu_cairo_text_width(cr, buf, size, bold) <= width)
            return buf;
    }
    strcpy(buf, "\xE2\x80\xA6");
    return buf;
}

double cu_cairo_text(cairo_t *cr, double x, double y, const char *s,
                     double size, char anchor, int bold, enum cu_colour colour)
{
    PangoLayout *l = layout_of(cr, s, size, bold);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double width = (double)w / PANGO_SCALE;
    double baseline = (double)pango_layout_get_baseline(l) / PANGO_SCALE;
    double left = anchor == 'm' ? x - width / 2 : anchor == 'e' ? x - width : x;
    set_colour(cr, colour);
    cairo_move_to(cr, left, y - baseline);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return width;
}

static void c_text(void *ctx, double x, double y, const char *s, double size,
                   char anchor, int bold, enum cu_colour colour)
{
    cu_cairo_text(ctx, x, y, s, size, anchor, bold, colour);
}

void cu_cairo_canvas(struct cu_canvas *c, cairo_t *cr)
{
    *c = (struct cu_canvas){cr, c_rect, c_polygon, c_polyline, c_text};
}
