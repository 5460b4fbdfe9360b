/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "digithek-format.h"
#include "digithek-i18n.h"
#include "digithek-series.h"
#include "digithek-chart-private.h"

G_DEFINE_FINAL_TYPE (DigithekChart, digithek_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_ZOOMED,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
chart_series_free (gpointer data)
{
  ChartSeries *cs = data;

  g_free (cs->name);
  digithek_series_free (cs->series);
  g_free (cs);
}


/* ---- ranges ---- */

static void
get_data_range (DigithekChart *self,
                double        *out_min,
                double        *out_max)
{
  double lo, hi;

  if (self->n == 0)
    {
      *out_min = 0;
      *out_max = 1;
      return;
    }

  lo = self->x[0];
  hi = self->x[self->n - 1];
  /* Bars need half a slot on either side; a single point needs some room. */
  if (self->type == DIGITHEK_CHART_BAR || self->n == 1)
    {
      lo -= self->slot / 2;
      hi += self->slot / 2;
    }
  *out_min = lo;
  *out_max = hi;
}

static double
get_min_span (DigithekChart *self)
{
  double lo, hi;

  get_data_range (self, &lo, &hi);
  /* At least a few rows stay visible however far a finger zooms. */
  return MIN (hi - lo, MAX (self->slot * 4, (hi - lo) * 1e-7));
}


void
_digithek_chart_set_view (DigithekChart *self,
          double         x_min,
          double         x_max)
{
  double lo, hi, span, min_span;
  gboolean zoomed;

  get_data_range (self, &lo, &hi);
  min_span = get_min_span (self);
  if (!(x_max - x_min >= min_span))
    {
      double mid = isfinite (x_min + x_max) ? (x_min + x_max) / 2 : (lo + hi) / 2;

      x_min = mid - min_span / 2;
      x_max = mid + min_span / 2;
    }
  span = MIN (x_max - x_min, hi - lo);
  if (x_min < lo)
    x_min = lo;
  if (x_min + span > hi)
    x_min = hi - span;
  x_max = x_min + span;

  if (x_min == self->view_min && x_max == self->view_max)
    return;

  self->view_min = x_min;
  self->view_max = x_max;
  zoomed = span < (hi - lo) * (1 - 1e-9);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  _digithek_chart_update_accessible (self);

  if (zoomed != self->zoomed)
    {
      self->zoomed = zoomed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOMED]);
    }
}

/* Visible rows: [start, end), including partly visible bars. */
void
_digithek_chart_visible_rows (DigithekChart *self,
              gsize         *out_start,
              gsize         *out_end)
{
  double pad = self->type == DIGITHEK_CHART_BAR ? self->slot / 2 : 0;

  *out_start = digithek_series_lower_bound (self->x, self->n, self->view_min - pad);
  *out_end = digithek_series_lower_bound (self->x, self->n, nextafter (self->view_max + pad, INFINITY));
}

gsize
_digithek_chart_nearest_row (DigithekChart *self,
             double         x)
{
  gsize i = digithek_series_lower_bound (self->x, self->n, x);

  if (i >= self->n)
    return self->n - 1;
  if (i > 0 && x - self->x[i - 1] < self->x[i] - x)
    return i - 1;
  return i;
}

/* ---- GtkWidget ---- */

static void
digithek_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  digithek_chart_draw (DIGITHEK_CHART (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
digithek_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 240;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 960 : 540;
}

static void
digithek_chart_finalize (GObject *object)
{
  DigithekChart *self = DIGITHEK_CHART (object);

  g_clear_pointer (&self->x, g_free);
  g_clear_pointer (&self->rows, g_free);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->unit, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->bounds, g_free);
  g_clear_pointer (&self->columns, g_free);
  g_clear_pointer (&self->span_top, g_free);
  g_clear_pointer (&self->span_bottom, g_free);
  g_clear_pointer (&self->joined, g_free);
  g_clear_pointer (&self->mask, cairo_surface_destroy);

  G_OBJECT_CLASS (digithek_chart_parent_class)->finalize (object);
}

static void
digithek_chart_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DigithekChart *self = DIGITHEK_CHART (object);

  switch (prop_id)
    {
    case PROP_ZOOMED:
      g_value_set_boolean (value, self->zoomed);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_chart_class_init (DigithekChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = digithek_chart_finalize;
  object_class->get_property = digithek_chart_get_property;

  widget_class->snapshot = digithek_chart_snapshot;
  widget_class->measure = digithek_chart_measure;

  /**
   * DigithekChart:zoomed:
   *
   * Whether the chart shows less than its whole x range.
   */
  properties[PROP_ZOOMED] =
    g_param_spec_boolean ("zoomed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * DigithekChart:summary:
   *
   * digithek_chart_describe() of the visible range, updated on every zoom, pan and
   * reset; also the chart's accessible description.
   */
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
digithek_chart_init (DigithekChart *self)
{
  self->series = g_ptr_array_new_with_free_func (chart_series_free);
  self->language = g_strdup ("de");
  self->type = DIGITHEK_CHART_LINE;
  self->slot = 1;
  self->view_min = 0;
  self->view_max = 1;
  self->readout_x = NAN;
  self->text_scale = 1;

  _digithek_chart_init_gestures (self);

  _digithek_chart_update_accessible (self);
}

/* ---- public API ---- */

/**
 * digithek_chart_new:
 *
 * Returns: (transfer floating): a new, empty line chart in German
 */
GtkWidget *
digithek_chart_new (void)
{
  return g_object_new (DIGITHEK_TYPE_CHART, NULL);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const double *x = user_data;
  gsize ra = *(const gsize *) a, rb = *(const gsize *) b;

  if (x[ra] != x[rb])
    return x[ra] < x[rb] ? -1 : 1;
  return ra < rb ? -1 : ra > rb;
}

void
digithek_chart_set_x (DigithekChart      *self,
                      DigithekCsvXKind    x_kind,
                      const double       *x_values,
                      const char * const *x_labels,
                      gsize               n_rows)
{
  gboolean in_order = TRUE;
  gsize n = 0;

  g_return_if_fail (DIGITHEK_IS_CHART (self));
  g_return_if_fail (x_values != NULL || n_rows == 0);

  g_ptr_array_set_size (self->series, 0);
  g_clear_pointer (&self->x, g_free);
  g_clear_pointer (&self->rows, g_free);
  g_clear_pointer (&self->labels, g_strfreev);

  self->x_kind = x_kind;
  self->n_rows = n_rows;

  /* Rows without an x cannot be placed; rows out of order are sorted (stably), and
   * the permutation is kept to reorder each series the same way. */
  for (gsize i = 0; i < n_rows; i++)
    {
      if (!isfinite (x_values[i]))
        in_order = FALSE;
      else if (i > 0 && isfinite (x_values[i - 1]) && x_values[i] < x_values[i - 1])
        in_order = FALSE;
    }

  if (in_order)
    {
      self->x = g_memdup2 (x_values, MAX (n_rows, 1) * sizeof (double));
      n = n_rows;
    }
  else
    {
      self->rows = g_new (gsize, MAX (n_rows, 1));
      for (gsize i = 0; i < n_rows; i++)
        if (isfinite (x_values[i]))
          self->rows[n++] = i;
      g_qsort_with_data (self->rows, (int) n, sizeof (gsize), compare_rows, (gpointer) x_values);
      self->x = g_new (double, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        self->x[i] = x_values[self->rows[i]];
    }
  self->n = n;

  if (x_labels != NULL)
    {
      self->labels = g_new0 (char *, n + 1);
      for (gsize i = 0; i < n; i++)
        self->labels[i] = g_strdup (x_labels[self->rows ? self->rows[i] : i]);
    }

  /* A bar's room: the smallest spacing between rows; a default for a single row. */
  self->slot = INFINITY;
  for (gsize i = 1; i < n; i++)
    if (self->x[i] > self->x[i - 1])
      self->slot = MIN (self->slot, self->x[i] - self->x[i - 1]);
  if (!isfinite (self->slot))
    self->slot = x_kind == DIGITHEK_CSV_X_TIME ? 86400 : 1;

  self->readout_x = NAN;
  self->view_min = self->view_max = 0;
  digithek_chart_reset_zoom (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  _digithek_chart_update_accessible (self);
}

void
digithek_chart_add_series (DigithekChart *self,
                           const char    *name,
                           const double  *y_values,
                           gsize          n_rows)
{
  ChartSeries *cs;
  g_autofree double *padded = NULL;

  g_return_if_fail (DIGITHEK_IS_CHART (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (y_values != NULL || n_rows == 0);

  /* A series shorter than the x axis is missing its last values. */
  if (n_rows < self->n_rows)
    {
      padded = g_new (double, self->n_rows);
      for (gsize i = 0; i < self->n_rows; i++)
        padded[i] = i < n_rows ? y_values[i] : NAN;
      y_values = padded;
    }

  cs = g_new0 (ChartSeries, 1);
  cs->name = g_strdup (name);
  cs->series = digithek_series_new_reordered (y_values, self->rows, self->n);
  g_ptr_array_add (self->series, cs);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  _digithek_chart_update_accessible (self);
}

void
digithek_chart_set_chart_type (DigithekChart     *self,
                               DigithekChartType  type)
{
  g_return_if_fail (DIGITHEK_IS_CHART (self));

  if (self->type == type)
    return;

  self->type = type;
  /* Bars change the data range (half a slot either side). */
  digithek_chart_reset_zoom (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  _digithek_chart_update_accessible (self);
}

void
digithek_chart_set_unit (DigithekChart *self,
                         const char    *unit)
{
  g_return_if_fail (DIGITHEK_IS_CHART (self));

  if (g_strcmp0 (self->unit, unit) == 0)
    return;

  g_free (self->unit);
  self->unit = g_strdup (unit);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  _digithek_chart_update_accessible (self);
}

void
digithek_chart_set_language (DigithekChart *self,
                             const char    *language)
{
  g_return_if_fail (DIGITHEK_IS_CHART (self));

  if (language == NULL)
    language = "de";
  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  _digithek_chart_update_accessible (self);
}

void
digithek_chart_reset_zoom (DigithekChart *self)
{
  double lo, hi;

  g_return_if_fail (DIGITHEK_IS_CHART (self));

  get_data_range (self, &lo, &hi);
  _digithek_chart_set_view (self, lo, hi);
}

void
digithek_chart_get_data_range (DigithekChart *self,
                               double        *out_min,
                               double        *out_max)
{
  double lo, hi;

  g_return_if_fail (DIGITHEK_IS_CHART (self));

  get_data_range (self, &lo, &hi);
  if (out_min)
    *out_min = lo;
  if (out_max)
    *out_max = hi;
}

void
digithek_chart_get_visible_range (DigithekChart *self,
                                  double        *out_min,
                                  double        *out_max)
{
  g_return_if_fail (DIGITHEK_IS_CHART (self));

  if (out_min)
    *out_min = self->view_min;
  if (out_max)
    *out_max = self->view_max;
}

void
digithek_chart_set_visible_range (DigithekChart *self,
                                  double         x_min,
                                  double         x_max)
{
  g_return_if_fail (DIGITHEK_IS_CHART (self));

  _digithek_chart_set_view (self, x_min, x_max);
}

void
digithek_chart_zoom (DigithekChart *self,
                     double         factor,
                     double         anchor_x)
{
  double lo, hi;

  g_return_if_fail (DIGITHEK_IS_CHART (self));
  g_return_if_fail (factor > 0);

  lo = anchor_x - (anchor_x - self->view_min) / factor;
  hi = anchor_x + (self->view_max - anchor_x) / factor;
  _digithek_chart_set_view (self, lo, hi);
}

void
digithek_chart_pan (DigithekChart *self,
                    double         dx)
{
  g_return_if_fail (DIGITHEK_IS_CHART (self));

  _digithek_chart_set_view (self, self->view_min + dx, self->view_max + dx);
}

gboolean
digithek_chart_get_zoomed (DigithekChart *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CHART (self), FALSE);

  return self->zoomed;
}

void
digithek_chart_set_readout (DigithekChart *self,
                            double         x)
{
  g_return_if_fail (DIGITHEK_IS_CHART (self));

  if (isnan (x) && isnan (self->readout_x))
    return;

  self->readout_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
