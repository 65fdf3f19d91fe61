/* lib/plot's canvas on cairo (PDF and PNG surfaces), text through pango
 * in DejaVu Sans: the charts of the HTML page, drawn as vectors. */
#ifndef CU_PLOT_CAIRO_H
#define CU_PLOT_CAIRO_H

#include <cairo.h>

#include "plot.h"

void cu_cairo_canvas(struct cu_canvas *c, cairo_t *cr);
/* Text at (x, baseline y) in the canvas's font; returns its width. */
double cu_cairo_text(cairo_t *cr, double x, double y, const char *s,
                     double size, char anchor, int bold, enum cu_colour colour);
/* A text's width at size, without drawing it. */
double cu_cairo_text_width(cairo_t *cr, const char *s, double size, int bold);
/* s cut to fit width (measured) with an ellipsis, into buf of cap bytes
 * when it must be cut. */
const char *cu_cairo_fit(cairo_t *cr, const char *s, double size, int bold,
                         double width, char *buf, size_t cap);

#endif
