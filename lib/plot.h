/* Charts for people: a stacked-area chart over time and a horizontal bar
 * chart, laid out once and drawn on a canvas, which is SVG text (this
 * file) or cairo (plot-cairo.c, for PDF and PNG), so that the HTML page
 * and the PDF show the same picture. Written here rather than taken from
 * a library: no C plotting library in Debian writes both self-contained
 * SVG and cairo from one layout without a runtime (gnuplot, matplotlib).
 *
 * One palette, the same meaning everywhere (cu_plot_colour): what is
 * occupied under a reservation, occupied on demand, reserved but idle, and
 * available. Numbers shown are for reading (12,345.6); the exact figures
 * are in the tables beside the charts. */
#ifndef CU_PLOT_H
#define CU_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cutime.h"

/* Nice ticks for [lo, hi]: a step of 1, 2 or 5 x 10^k giving at most
 * max_ticks ticks from the first multiple of step >= lo. Returns the
 * number of ticks; *first and *step set. 0..1037 -> 0, 200, ..., 1000. */
size_t cu_nice_ticks(double lo, double hi, size_t max_ticks, double *first,
                     double *step);

/* Time ticks for [t0, t1]: at most max_ticks calendar-aligned instants
 * (days, weeks from Monday, months, quarters or years, UTC) into out[],
 * and the label format's kind: 'd' (Mar 4), 'm' (Mar 2024), 'y' (2024). */
size_t cu_time_ticks(cu_time t0, cu_time t1, size_t max_ticks, cu_time *out,
                     size_t cap, char *kind);
/* A tick's label into buf (32 bytes). */
void cu_time_tick_label(cu_time t, char kind, char *buf);

/* 12345.67 -> "12,345.7" (digits after the point: 1 under 10^5, else 0;
 * "0" for 0); into buf (40 bytes). */
void cu_human_number(double v, char *buf);

/* An estimate of a text's width in points at size (DejaVu Sans averages
 * 0.58 em a character), and s cut to fit width with an ellipsis (into buf
 * of cap bytes when it must be cut). */
double cu_plot_text_width(const char *s, double size);
const char *cu_plot_fit(const char *s, double size, double width, char *buf,
                        size_t cap);

/* The palette. */
enum cu_colour {
    CU_C_OCC_RES,   /* occupied under a reservation (active) */
    CU_C_OCC_OD,    /* occupied on demand (active) */
    CU_C_IDLE,      /* reserved but idle */
    CU_C_AVAIL_RES, /* reservable, not reserved */
    CU_C_AVAIL_OD,  /* on-demand capacity, free */
    CU_C_TOTAL,     /* the total line */
    CU_C_RESERVABLE,/* the reservable line */
    CU_C_BAR,       /* bars */
    CU_C_BAR2,      /* a second series of bars */
    CU_C_INK,       /* text */
    CU_C_GRID,      /* grid and axes */
    CU_C_RES_STOPPED, /* occupied under a reservation, stopped */
    CU_C_OD_STOPPED,  /* occupied on demand, stopped */
    CU_C_RES_ERROR,   /* occupied under a reservation, in error */
    CU_C_OD_ERROR,    /* occupied on demand, in error */
    CU_NCOLOURS
};
/* "#rrggbb" */
const char *cu_plot_colour(enum cu_colour c);

/* The drawing operations a chart needs, in points (1/72 in), y down. */
struct cu_canvas {
    void *ctx;
    void (*rect)(void *ctx, double x, double y, double w, double h,
                 enum cu_colour fill);
    void (*polygon)(void *ctx, const double *xy, size_t n,
                    enum cu_colour fill);
    void (*polyline)(void *ctx, const double *xy, size_t n,
                     enum cu_colour stroke, double width, int dashed);
    /* anchor: 's' start, 'm' middle, 'e' end; x, y the baseline */
    void (*text)(void *ctx, double x, double y, const char *s, double size,
                 char anchor, int bold, enum cu_colour colour);
};

/* An SVG canvas writing to f; cu_svg_begin writes the <svg> element's
 * start (width, height in points, a title for screen readers),
 * cu_svg_end its end. Text is escaped. Write errors are the stream's. */
void cu_svg_canvas(struct cu_canvas *c, FILE *f);
/* s as XML text: & < > " escaped, control characters but tab and newline
 * left out (XML 1.0 cannot hold them). */
void cu_xml_text(FILE *f, const char *s);
void cu_svg_begin(FILE *f, double width, double height, const char *title);
void cu_svg_end(FILE *f);

/* A stacked-area chart over time: layers stacked from the bottom in order,
 * lines drawn over them; values per point (level in units, e.g. nodes). */
struct cu_area_layer {
    const char *name;
    enum cu_colour colour;
    const double *v; /* npoints values */
    int line;        /* 1: a line, not a layer of the stack */
};
struct cu_area_chart {
    const char *title;  /* what and when */
    const char *y_unit; /* "nodes", "vCPUs" */
    size_t npoints;
    const cu_time *t;   /* npoints: each value holds from t[i] to t[i+1] */
    cu_time t_end;      /* the last value's end */
    const struct cu_area_layer *layers;
    size_t nlayers;
};
/* Draw at (x, y) in a box of w x h. */
void cu_draw_area_chart(const struct cu_canvas *c, const struct cu_area_chart *a,
                        double x, double y, double w, double h);

/* Horizontal bars, largest first as given, with their values at the end
 * (labels cut with an ellipsis when too long). */
struct cu_bar_chart {
    const char *title;
    const char *unit; /* "vCPU-h" */
    size_t n;
    const char *const *labels;
    const double *v;
};
/* The height the bars need at width w. */
double cu_bar_chart_height(const struct cu_bar_chart *b);
void cu_draw_bar_chart(const struct cu_canvas *c, const struct cu_bar_chart *b,
                       double x, double y, double w);

#endif
