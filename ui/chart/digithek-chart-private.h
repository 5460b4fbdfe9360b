/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * DigithekChart's insides, shared by the files it is split into:
 *
 * - digithek-chart.c           the class, the data (x, series) and the view range
 * - digithek-chart-describe.c  numbers and dates as text, the summary of the visible
 *                              range, the accessible description, the data table's rows
 * - digithek-chart-ticks.c     axis ticks: nice steps, calendar steps for times
 * - digithek-chart-draw.c      one frame: axes, legend, lines, bars, readout
 * - digithek-chart-dense.c     lines with more values than pixel columns, as spans in
 *                              an A8 mask (the series' min/max pyramid gives the columns)
 * - digithek-chart-gestures.c  drag to scrub or pan, pinch and scroll to zoom, hover
 */

#include <math.h>

#include "digithek-chart.h"
#include "digithek-i18n.h"
#include "digithek-series.h"

G_BEGIN_DECLS

/* Sizes in pixels, chosen for a 24" touchscreen read at arm's length. */
#define LABEL_SIZE 20
#define LEGEND_SIZE 22
#define READOUT_SIZE 22
#define PADDING 16
#define LINE_WIDTH 3.5
#define TAP_SLOP 12
#define MAX_TICKS 200

/* The chart's texts follow its own language (the content's), like its numbers. */
#define TR(msgid) digithek_i18n_translate (self->language, (msgid))

typedef struct
{
  char *name;
  DigithekSeries *series;
} ChartSeries;

typedef enum
{
  DRAG_NONE,
  DRAG_PENDING,
  DRAG_SCRUB,
  DRAG_PAN,
} DragMode;

struct _DigithekChart
{
  GtkWidget parent_instance;

  /* owned: the data */
  DigithekCsvXKind x_kind;
  double *x;                    /* sorted, finite */
  gsize *rows;                  /* sorted position → caller's row; NULL when in order */
  gsize n_rows;                 /* caller's row count */
  gsize n;                      /* rows with a finite x */
  char **labels;                /* sorted like x; categories only */
  double slot;                  /* smallest x spacing: a bar's room */
  GPtrArray *series;            /* ChartSeries */
  DigithekChartType type;
  char *unit;
  char *language;
  double text_scale;            /* 1, 1.25 or 1.5: the window's text size, per frame */
  gboolean high_contrast;       /* the window's high contrast, per frame */
  char *summary;                /* digithek_chart_describe() of the visible range */

  /* owned: the view */
  double view_min;
  double view_max;
  double readout_x;             /* NAN: no readout */
  gboolean zoomed;

  /* owned: buffers reused from frame to frame */
  gsize *bounds;
  DigithekSeriesColumn *columns;
  float *span_top;              /* per column, in mask rows */
  float *span_bottom;
  guint8 *joined;               /* the line continues from the column on the left */
  guint n_columns_allocated;
  cairo_surface_t *mask;        /* A8: dense series are rasterised here */

  /* the plot area of the last frame, for mapping touches */
  double plot_left;
  double plot_width;

  /* interaction */
  DragMode drag_mode;
  double drag_start_x;
  double drag_view_min;
  double drag_view_max;
  gboolean pinching;
  double pinch_anchor;
  double pinch_span;
  double pointer_x;
};

typedef struct
{
  double x;
  char *label;
} Tick;

/* The plot area of a frame and its y range. */
typedef struct
{
  double left;
  double top;
  double width;
  double height;
  double y_min;
  double y_max;
} Plot;

static inline double
plot_x (DigithekChart *self,
        const Plot    *plot,
        double         x)
{
  return plot->left + (x - self->view_min) / (self->view_max - self->view_min) * plot->width;
}

static inline double
plot_y (const Plot *plot,
        double      y)
{
  return plot->top + plot->height - (y - plot->y_min) / (plot->y_max - plot->y_min) * plot->height;
}

/* digithek-chart.c */
void _digithek_chart_set_view (DigithekChart *self,
                               double         x_min,
                               double         x_max);
void _digithek_chart_visible_rows (DigithekChart *self,
                                   gsize         *out_start,
                                   gsize         *out_end);
gsize _digithek_chart_nearest_row (DigithekChart *self,
                                   double         x);

/* digithek-chart-describe.c */
char *_digithek_chart_format_x (DigithekChart *self,
                                 gsize          row,
                                 gboolean       long_form);
char *_digithek_chart_format_value (DigithekChart *self,
                                     double         value);
void _digithek_chart_update_accessible (DigithekChart *self);

/* digithek-chart-ticks.c */
double _digithek_chart_nice_step (double rough);
GArray *_digithek_chart_ticks_new (void);
void _digithek_chart_add_tick (GArray *ticks,
                               double  x,
                               char   *label);
int _digithek_chart_text_width (PangoLayout *layout,
                                const char  *text);
GArray *_digithek_chart_x_ticks (DigithekChart *self,
                                  PangoLayout   *layout,
                                  double         plot_width);

/* digithek-chart-dense.c */
void _digithek_chart_spans_reset (DigithekChart *self,
                                  guint          n_columns);
void _digithek_chart_span_extend (DigithekChart *self,
                                  gint64         c,
                                  double         y0,
                                  double         y1);
void _digithek_chart_spans_paint (DigithekChart *self,
                                  cairo_t       *cr,
                                  guint          n_columns,
                                  double         left,
                                  double         top,
                                  int            mask_height,
                                  double         pad,
                                  const GdkRGBA *colour,
                                  gboolean       widen);
void _digithek_chart_draw_line_dense (DigithekChart        *self,
                                      cairo_t              *cr,
                                      const Plot           *plot,
                                      const DigithekSeries *series,
                                      guint                 n_columns,
                                      const GdkRGBA        *colour);

/* digithek-chart-gestures.c */
void _digithek_chart_init_gestures (DigithekChart *self);

G_END_DECLS
