/* lib/plot-cairo: the canvas on a real cairo image surface (pixels read
 * back), text measured and cut by pango. */
#include "config.h"

#include <cairo.h>
#include <stdlib.h>
#include <string.h>

#include "plot-cairo.h"
#include "tap.h"

enum { W = 200, H = 100 };

/* The pixel at (x, y) as 0xRRGGBB (the surface is opaque). */
static unsigned pixel(cairo_surface_t *s, int x, int y)
{
    cairo_surface_flush(s);
    const unsigned char *row =
        cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
    unsigned argb;
    memcpy(&argb, row + 4 * x, 4);
    return argb & 0xffffff;
}

static unsigned colour_of(enum cu_colour c)
{
    return (unsigned)strtoul(cu_plot_colour(c) + 1, NULL, 16);
}

/* Pixels in [x0, x1) x [y0, y1) that are not white. */
static int inked(cairo_surface_t *s, int x0, int y0, int x1, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            n += pixel(s, x, y) != 0xffffff;
    return n;
}

int main(void)
{
    plan(10);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    struct cu_canvas c;
    cu_cairo_canvas(&c, cr);

    c.rect(c.ctx, 10, 10, 20, 20, CU_C_OCC_RES);
    is_int(pixel(s, 20, 20), colour_of(CU_C_OCC_RES),
           "a rectangle is filled in its palette colour");
    is_int(pixel(s, 35, 20), 0xffffff, "and nothing outside it");

    double tri[] = {50, 10, 90, 10, 50, 50};
    c.polygon(c.ctx, tri, 3, CU_C_BAR);
    ok(pixel(s, 55, 15) == colour_of(CU_C_BAR) && pixel(s, 85, 45) == 0xffffff,
       "a polygon fills its inside only");

    double line[] = {100, 5, 190, 5};
    c.polyline(c.ctx, line, 2, CU_C_TOTAL, 2, 0);
    ok(pixel(s, 150, 5) == colour_of(CU_C_TOTAL) && pixel(s, 150, 9) == 0xffffff,
       "a polyline strokes its width");
    double dashed[] = {100, 20, 190, 20};
    c.polyline(c.ctx, dashed, 2, CU_C_TOTAL, 2, 1);
    int gaps = 0;
    for (int x = 100; x < 190; x++)
        gaps += pixel(s, x, 20) == 0xffffff;
    ok(gaps > 20 && gaps < 70, "a dashed line has gaps (%d of 90 pixels)",
       gaps);

    double wide = cu_cairo_text_width(cr, "WWWW", 10, 0);
    double narrow = cu_cairo_text_width(cr, "iiii", 10, 0);
    double bigger = cu_cairo_text_width(cr, "WWWW", 20, 0);
    ok(narrow > 0 && wide > narrow && bigger > 1.8 * wide &&
           bigger < 2.2 * wide,
       "text widths: W wider than i, twice the size twice as wide (%.1f, "
       "%.1f, %.1f)", wide, narrow, bigger);
    ok(cu_cairo_text_width(cr, "WWWW", 10, 1) > wide,
       "bold text is wider");

    double drawn = cu_cairo_text(cr, 190, 80, "Utilisation", 12, 'e', 0,
                                 CU_C_INK);
    ok(inked(s, (int)(190 - drawn), 65, 190, 83) > 30 &&
           inked(s, 0, 60, (int)(190 - drawn) - 2, H) == 0,
       "text anchored at its end ink left of x, and nowhere else (%.1f "
       "wide)", drawn);

    char buf[64];
    const char *t = "a project name far too long for its column";
    const char *fit = cu_cairo_fit(cr, t, 10, 0, 60, buf, sizeof buf);
    size_t n = strlen(fit);
    ok(fit == buf && n > 3 && !strcmp(fit + n - 3, "\xE2\x80\xA6") &&
           !strncmp(fit, t, n - 3) && cu_cairo_text_width(cr, fit, 10, 0) <= 60,
       "a long text is cut to fit with an ellipsis: '%s'", fit);
    const char *whole = "short";
    ok(cu_cairo_fit(cr, whole, 10, 0, 60, buf, sizeof buf) == whole,
       "a text that fits is given back whole");

    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return done_testing();
}
