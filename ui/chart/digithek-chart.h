/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "digithek-csv.h"

G_BEGIN_DECLS

typedef enum
{
  DIGITHEK_CHART_LINE,
  DIGITHEK_CHART_BAR,
} DigithekChartType;

#define DIGITHEK_TYPE_CHART (digithek_chart_get_type ())
G_DECLARE_FINAL_TYPE (DigithekChart, digithek_chart, DIGITHEK, CHART, GtkWidget)

GtkWidget  *digithek_chart_new            (void);

/**
 * digithek_chart_set_x:
 * @x_kind: how the x values are meant: times (unix seconds), years, or categories
 * @x_values: (array length=n_rows): x positions; for categories the row index
 * @x_labels: (nullable) (array length=n_rows): category labels (only for categories)
 * @n_rows: rows
 *
 * Replaces the x axis. Series added before are dropped. The data is copied; large
 * series are decimated once (per pixel column min and max at every zoom level), so
 * drawing stays cheap whatever the size.
 */
void        digithek_chart_set_x          (DigithekChart      *self,
                                           DigithekCsvXKind    x_kind,
                                           const double       *x_values,
                                           const char * const *x_labels,
                                           gsize               n_rows);
/* Adds a y series (NAN = missing value, drawn as a gap) with its legend name. */
void        digithek_chart_add_series     (DigithekChart      *self,
                                           const char         *name,
                                           const double       *y_values,
                                           gsize               n_rows);
void        digithek_chart_set_chart_type (DigithekChart      *self,
                                           DigithekChartType   type);
/* (nullable): the unit shown at the y axis, e.g. "µg/m³". */
void        digithek_chart_set_unit       (DigithekChart      *self,
                                           const char         *unit);
/* "de" or "en" (or any language code): number and date formats follow it. */
void        digithek_chart_set_language   (DigithekChart      *self,
                                           const char         *language);
/* Shows the whole x range again after zooming or panning. */
void        digithek_chart_reset_zoom     (DigithekChart      *self);

/* A sentence for screen readers and the data table: latest, min, max and trend over
 * the visible range, in the chart's language. */
char       *digithek_chart_describe       (DigithekChart      *self);

/* (nullable): the summary of the visible range as digithek_chart_describe() gives it,
 * kept up to date (#DigithekChart:summary, also the accessible description). */
const char *digithek_chart_get_summary    (DigithekChart      *self);

/* For a data table: the series, and the rows of the visible range as positions in x
 * order, [@out_start, @out_end). */
guint       digithek_chart_get_n_series   (DigithekChart      *self);
const char *digithek_chart_get_series_name (DigithekChart     *self,
                                            guint              series);
/* (nullable): the unit given with digithek_chart_set_unit(). */
const char *digithek_chart_get_unit       (DigithekChart      *self);
void        digithek_chart_get_visible_rows (DigithekChart    *self,
                                             gsize            *out_start,
                                             gsize            *out_end);
/* The x of a row (date and time, year or category) and a value ("–" when missing),
 * formatted for the chart's language. */
char       *digithek_chart_format_row_x     (DigithekChart    *self,
                                             gsize             position);
char       *digithek_chart_format_row_value (DigithekChart    *self,
                                             guint             series,
                                             gsize             position);

/* The x range a chart shows, in x units (unix seconds, years or row indices). */
void        digithek_chart_get_data_range    (DigithekChart *self,
                                              double        *out_min,
                                              double        *out_max);
void        digithek_chart_get_visible_range (DigithekChart *self,
                                              double        *out_min,
                                              double        *out_max);
/* Shows [@x_min, @x_max], clamped to the data range and to a smallest span of a few
 * rows. */
void        digithek_chart_set_visible_range (DigithekChart *self,
                                              double         x_min,
                                              double         x_max);
/* Zooms by @factor (> 1 zooms in) keeping @anchor_x where it is on the screen. */
void        digithek_chart_zoom              (DigithekChart *self,
                                              double         factor,
                                              double         anchor_x);
/* Moves the visible range by @dx x units (positive: later), clamped to the data. */
void        digithek_chart_pan               (DigithekChart *self,
                                              double         dx);
/* Whether the visible range is narrower than the data (the "zoomed" property): a view
 * binds its reset button's sensitivity to it. */
gboolean    digithek_chart_get_zoomed        (DigithekChart *self);
/* Shows the readout (guide line and values) at the row nearest to @x; NAN hides it. */
void        digithek_chart_set_readout       (DigithekChart *self,
                                              double         x);

/**
 * digithek_chart_draw:
 * @cr: where to draw, in the chart's coordinates
 * @width: width in pixels
 * @height: height in pixels
 *
 * Draws the chart as the widget shows it (its visible range, readout, colours and
 * fonts) into any cairo context: the widget's snapshot, a benchmark's image surface or a
 * screenshot. The chart must have been created after GTK was initialised.
 */
void        digithek_chart_draw              (DigithekChart *self,
                                              cairo_t       *cr,
                                              int            width,
                                              int            height);

G_END_DECLS
