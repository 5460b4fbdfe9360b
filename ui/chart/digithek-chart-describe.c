/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "digithek-format.h"
#include "digithek-i18n.h"
#include "digithek-series.h"
#include "digithek-chart-private.h"

/* ---- text ---- */

char *
_digithek_chart_format_x (DigithekChart *self,
          gsize          row,
          gboolean       long_form)
{
  double x = self->x[row];

  switch (self->x_kind)
    {
    case DIGITHEK_CSV_X_TIME:
      {
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) x);
        g_autoptr(GDateTime) local = dt ? g_date_time_to_timezone (dt, digithek_format_get_time_zone ()) : NULL;

        /* Whole days (daily data) read better without a midnight time. */
        if (!long_form || (local != NULL && g_date_time_get_hour (local) == 0 &&
                           g_date_time_get_minute (local) == 0 && self->slot >= 86400))
          return digithek_format_date (self->language, (gint64) x, TRUE);
        return digithek_format_date_time (self->language, (gint64) x);
      }
    case DIGITHEK_CSV_X_YEAR:
      return digithek_format_year (self->language, (int) round (x));
    case DIGITHEK_CSV_X_CATEGORY:
    default:
      if (self->labels != NULL && self->labels[row] != NULL)
        return g_strdup (self->labels[row]);
      return digithek_format_number (self->language, x, 0);
    }
}

char *
_digithek_chart_format_value (DigithekChart *self,
              double         value)
{
  g_autofree char *number = NULL;

  if (isnan (value))
    return g_strdup (TR (N_("no data")));

  number = digithek_format_number_auto (self->language, value);
  if (self->unit == NULL || *self->unit == '\0')
    return g_steal_pointer (&number);

  return g_strdup_printf ("%s %s", number, self->unit);
}

/**
 * digithek_chart_describe:
 * @self: a #DigithekChart
 *
 * Returns: (transfer full): one paragraph for screen readers: the chart's kind, the
 *   visible range, and per series the latest value, the lowest, the highest and the
 *   trend over the visible range, in the chart's language
 */
char *
digithek_chart_describe (DigithekChart *self)
{
  GString *out;
  gsize start, end;

  g_return_val_if_fail (DIGITHEK_IS_CHART (self), NULL);

  out = g_string_new (self->type == DIGITHEK_CHART_BAR ? TR (N_("Bar chart"))
                                                       : TR (N_("Line chart")));

  _digithek_chart_visible_rows (self, &start, &end);
  if (self->n == 0 || self->series->len == 0 || start >= end)
    {
      g_string_append_printf (out, " %s", TR (N_("without data.")));
      return g_string_free (out, FALSE);
    }

  {
    /* Within a few days, the times matter. */
    gboolean times = self->x_kind == DIGITHEK_CSV_X_TIME && self->view_max - self->view_min < 3 * 86400;
    g_autofree char *from = _digithek_chart_format_x (self, start, times);
    g_autofree char *to = _digithek_chart_format_x (self, end - 1, times);

    if (g_strcmp0 (from, to) == 0)
      g_string_append_printf (out, ", %s.", from);
    else
      {
        /* TRANSLATORS: the range of a chart's axis, e.g. "2000 to 2009" */
        g_autofree char *range = g_strdup_printf (TR (N_("%s to %s")), from, to);

        g_string_append_printf (out, ", %s.", range);
      }
  }

  for (guint s = 0; s < self->series->len; s++)
    {
      ChartSeries *cs = g_ptr_array_index (self->series, s);
      DigithekSeriesStats stats, head, tail;
      gssize last = digithek_series_last_value (cs->series, start, end);
      gsize third = MAX ((end - start) / 3, 1);
      g_autofree char *latest = NULL, *lowest = NULL, *highest = NULL;
      const char *trend;

      digithek_series_get_stats (cs->series, start, end, &stats);
      if (stats.n_values == 0)
        {
          g_string_append_printf (out, " %s: %s.", cs->name, TR (N_("no data")));
          continue;
        }

      /* The trend compares the mean of the first third with that of the last third,
       * against the spread of the values: robust to single spikes, O(log n). */
      digithek_series_get_stats (cs->series, start, start + third, &head);
      digithek_series_get_stats (cs->series, end - third, end, &tail);
      if (stats.n_values < 2 || head.n_values == 0 || tail.n_values == 0 || stats.max == stats.min)
        trend = TR (N_("steady"));
      else
        {
          double change = (tail.sum / tail.n_values - head.sum / head.n_values) / (stats.max - stats.min);

          if (change > 0.1)
            trend = TR (N_("rising"));
          else if (change < -0.1)
            trend = TR (N_("falling"));
          else
            trend = TR (N_("steady"));
        }

      latest = _digithek_chart_format_value (self, digithek_series_get_value (cs->series, (gsize) last));
      lowest = _digithek_chart_format_value (self, stats.min);
      highest = _digithek_chart_format_value (self, stats.max);
      g_string_append (out, " ");
      /* TRANSLATORS: a chart series for screen readers: its name, latest value,
       * lowest, highest and trend ("rising", "falling", "steady") */
      g_string_append_printf (out, TR (N_("%s: latest %s, lowest %s, highest %s, %s.")),
                              cs->name, latest, lowest, highest, trend);
    }

  return g_string_free (out, FALSE);
}

/* The name says what it is; the description is the summary of the visible range, which
 * a view also shows as text under the chart (#DigithekChart:summary). */
void
_digithek_chart_update_accessible (DigithekChart *self)
{
  g_autofree char *text = digithek_chart_describe (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->type == DIGITHEK_CHART_BAR ? TR (N_("Bar chart"))
                                                                   : TR (N_("Line chart")),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  if (g_strcmp0 (self->summary, text) != 0)
    {
      g_free (self->summary);
      self->summary = g_steal_pointer (&text);
      g_object_notify (G_OBJECT (self), "summary");
    }
}

const char *
digithek_chart_get_summary (DigithekChart *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CHART (self), NULL);
  return self->summary;
}

guint
digithek_chart_get_n_series (DigithekChart *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CHART (self), 0);
  return self->series->len;
}

const char *
digithek_chart_get_series_name (DigithekChart *self,
                                guint          series)
{
  g_return_val_if_fail (DIGITHEK_IS_CHART (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);
  return ((ChartSeries *) g_ptr_array_index (self->series, series))->name;
}

const char *
digithek_chart_get_unit (DigithekChart *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CHART (self), NULL);
  return self->unit;
}

void
digithek_chart_get_visible_rows (DigithekChart *self,
                                 gsize         *out_start,
                                 gsize         *out_end)
{
  g_return_if_fail (DIGITHEK_IS_CHART (self));

  if (self->n == 0)
    {
      *out_start = *out_end = 0;
      return;
    }
  _digithek_chart_visible_rows (self, out_start, out_end);
}

char *
digithek_chart_format_row_x (DigithekChart *self,
                             gsize          position)
{
  g_return_val_if_fail (DIGITHEK_IS_CHART (self), NULL);
  g_return_val_if_fail (position < self->n, NULL);
  return _digithek_chart_format_x (self, position, TRUE);
}

char *
digithek_chart_format_row_value (DigithekChart *self,
                                 guint          series,
                                 gsize          position)
{
  ChartSeries *cs;
  double value;

  g_return_val_if_fail (DIGITHEK_IS_CHART (self), NULL);
  g_return_val_if_fail (series < self->series->len && position < self->n, NULL);

  cs = g_ptr_array_index (self->series, series);
  value = digithek_series_get_value (cs->series, position);
  if (isnan (value))
    return g_strdup ("–");
  return digithek_format_number_auto (self->language, value);
}
