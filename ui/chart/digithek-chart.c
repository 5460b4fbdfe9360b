/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "digithek-chart.h"
#include <glib/gi18n.h>

#include "digithek-format.h"
#include "digithek-i18n.h"
#include "digithek-series.h"

/* Sizes in pixels, chosen for a 24" touchscreen read at arm's length. */
#define LABEL_SIZE 20
#define LEGEND_SIZE 22
#define READOUT_SIZE 22
#define PADDING 16
#define LINE_WIDTH 3.5
#define TAP_SLOP 12
#define MAX_TICKS 200

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

G_DEFINE_FINAL_TYPE (DigithekChart, digithek_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_ZOOMED,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Okabe–Ito hues, the light set darkened to reach 3:1 or more against white, the dark
 * set lightened for dark and high-contrast themes. Hue order is the same in both, so a
 * series keeps its colour family when the theme changes. */
static const GdkRGBA palette_light[] = {
  { 0.000, 0.447, 0.698, 1 },   /* blue #0072B2 */
  { 0.835, 0.369, 0.000, 1 },   /* vermillion #D55E00 */
  { 0.000, 0.478, 0.369, 1 },   /* bluish green #007A5E */
  { 0.667, 0.200, 0.467, 1 },   /* reddish purple #AA3377 */
  { 0.561, 0.396, 0.000, 1 },   /* ochre #8F6500 */
  { 0.400, 0.400, 0.400, 1 },   /* grey #666666 */
};

static const GdkRGBA palette_dark[] = {
  { 0.337, 0.706, 0.914, 1 },   /* sky blue #56B4E9 */
  { 1.000, 0.541, 0.239, 1 },   /* #FF8A3D */
  { 0.184, 0.827, 0.639, 1 },   /* #2FD3A3 */
  { 0.902, 0.608, 0.784, 1 },   /* #E69BC8 */
  { 0.941, 0.894, 0.259, 1 },   /* yellow #F0E442 */
  { 0.733, 0.733, 0.733, 1 },   /* grey #BBBBBB */
};

/* Pure, saturated hues for the high-contrast mode, each at least 7:1 against white. */
static const GdkRGBA palette_high_contrast[] = {
  { 0.000, 0.000, 0.600, 1 },   /* navy #000099 */
  { 0.600, 0.000, 0.000, 1 },   /* dark red #990000 */
  { 0.000, 0.333, 0.000, 1 },   /* dark green #005500 */
  { 0.400, 0.000, 0.400, 1 },   /* purple #660066 */
  { 0.333, 0.200, 0.000, 1 },   /* brown #553300 */
  { 0.000, 0.000, 0.000, 1 },   /* black */
};

G_STATIC_ASSERT (G_N_ELEMENTS (palette_high_contrast) == G_N_ELEMENTS (palette_light));

static void
chart_series_free (gpointer data)
{
  ChartSeries *cs = data;

  g_free (cs->name);
  digithek_series_free (cs->series);
  g_free (cs);
}

/* The chart's texts follow its own language (the content's), like its numbers. */
#define TR(msgid) digithek_i18n_translate (self->language, (msgid))

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

static void update_accessible (DigithekChart *self);

static void
set_view (DigithekChart *self,
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
  update_accessible (self);

  if (zoomed != self->zoomed)
    {
      self->zoomed = zoomed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOMED]);
    }
}

/* Visible rows: [start, end), including partly visible bars. */
static void
visible_rows (DigithekChart *self,
              gsize         *out_start,
              gsize         *out_end)
{
  double pad = self->type == DIGITHEK_CHART_BAR ? self->slot / 2 : 0;

  *out_start = digithek_series_lower_bound (self->x, self->n, self->view_min - pad);
  *out_end = digithek_series_lower_bound (self->x, self->n, nextafter (self->view_max + pad, INFINITY));
}

static gsize
nearest_row (DigithekChart *self,
             double         x)
{
  gsize i = digithek_series_lower_bound (self->x, self->n, x);

  if (i >= self->n)
    return self->n - 1;
  if (i > 0 && x - self->x[i - 1] < self->x[i] - x)
    return i - 1;
  return i;
}

/* ---- text ---- */

static char *
format_x (DigithekChart *self,
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

static char *
format_value (DigithekChart *self,
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

  visible_rows (self, &start, &end);
  if (self->n == 0 || self->series->len == 0 || start >= end)
    {
      g_string_append_printf (out, " %s", TR (N_("without data.")));
      return g_string_free (out, FALSE);
    }

  {
    /* Within a few days, the times matter. */
    gboolean times = self->x_kind == DIGITHEK_CSV_X_TIME && self->view_max - self->view_min < 3 * 86400;
    g_autofree char *from = format_x (self, start, times);
    g_autofree char *to = format_x (self, end - 1, times);

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

      latest = format_value (self, digithek_series_get_value (cs->series, (gsize) last));
      lowest = format_value (self, stats.min);
      highest = format_value (self, stats.max);
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
static void
update_accessible (DigithekChart *self)
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
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
  visible_rows (self, out_start, out_end);
}

char *
digithek_chart_format_row_x (DigithekChart *self,
                             gsize          position)
{
  g_return_val_if_fail (DIGITHEK_IS_CHART (self), NULL);
  g_return_val_if_fail (position < self->n, NULL);
  return format_x (self, position, TRUE);
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

/* ---- ticks ---- */

static double
nice_step (double rough)
{
  double magnitude, f;

  if (!(rough > 0) || !isfinite (rough))
    return 1;

  magnitude = pow (10, floor (log10 (rough)));
  f = rough / magnitude;
  if (f <= 1)
    return magnitude;
  if (f <= 2)
    return 2 * magnitude;
  if (f <= 5)
    return 5 * magnitude;
  return 10 * magnitude;
}

typedef enum
{
  UNIT_MINUTE,
  UNIT_HOUR,
  UNIT_DAY,
  UNIT_WEEK,
  UNIT_MONTH,
  UNIT_YEAR,
} TimeUnit;

typedef struct
{
  TimeUnit unit;
  int count;
  double seconds;               /* roughly, to pick the step */
} TimeStep;

static const TimeStep time_steps[] = {
  { UNIT_MINUTE, 1, 60 }, { UNIT_MINUTE, 5, 300 }, { UNIT_MINUTE, 10, 600 },
  { UNIT_MINUTE, 15, 900 }, { UNIT_MINUTE, 30, 1800 },
  { UNIT_HOUR, 1, 3600 }, { UNIT_HOUR, 2, 7200 }, { UNIT_HOUR, 3, 10800 },
  { UNIT_HOUR, 6, 21600 }, { UNIT_HOUR, 12, 43200 },
  { UNIT_DAY, 1, 86400 }, { UNIT_DAY, 2, 172800 }, { UNIT_WEEK, 1, 604800 },
  { UNIT_MONTH, 1, 2629800 }, { UNIT_MONTH, 2, 5259600 }, { UNIT_MONTH, 3, 7889400 },
  { UNIT_MONTH, 6, 15778800 },
  { UNIT_YEAR, 1, 31557600 }, { UNIT_YEAR, 2, 63115200 }, { UNIT_YEAR, 5, 157788000 },
  { UNIT_YEAR, 10, 315576000 }, { UNIT_YEAR, 20, 631152000 }, { UNIT_YEAR, 50, 1577880000 },
  { UNIT_YEAR, 100, 3155760000 },
};

typedef struct
{
  double x;
  char *label;
} Tick;

static void
tick_clear (gpointer data)
{
  g_free (((Tick *) data)->label);
}

static GArray *
ticks_new (void)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (Tick));

  g_array_set_clear_func (ticks, tick_clear);
  return ticks;
}

static void
add_tick (GArray *ticks,
          double  x,
          char   *label)
{
  Tick tick = { x, label };

  g_array_append_val (ticks, tick);
}

static GDateTime *
time_step_start (const TimeStep *step,
                 GDateTime      *t)
{
  GTimeZone *tz = digithek_format_get_time_zone ();
  int y, m, d;

  g_date_time_get_ymd (t, &y, &m, &d);
  switch (step->unit)
    {
    case UNIT_MINUTE:
      return g_date_time_new (tz, y, m, d, g_date_time_get_hour (t),
                              g_date_time_get_minute (t) / step->count * step->count, 0);
    case UNIT_HOUR:
      return g_date_time_new (tz, y, m, d, g_date_time_get_hour (t) / step->count * step->count, 0, 0);
    case UNIT_DAY:
      return g_date_time_new (tz, y, m, d, 0, 0, 0);
    case UNIT_WEEK:
      {
        g_autoptr(GDateTime) day = g_date_time_new (tz, y, m, d, 0, 0, 0);

        return g_date_time_add_days (day, 1 - g_date_time_get_day_of_week (day));
      }
    case UNIT_MONTH:
      return g_date_time_new (tz, y, (m - 1) / step->count * step->count + 1, 1, 0, 0, 0);
    case UNIT_YEAR:
    default:
      return g_date_time_new (tz, y / step->count * step->count, 1, 1, 0, 0, 0);
    }
}

static GDateTime *
time_step_next (const TimeStep *step,
                GDateTime      *t)
{
  switch (step->unit)
    {
    case UNIT_MINUTE:
      return g_date_time_add_minutes (t, step->count);
    case UNIT_HOUR:
      /* Absolute hours: a DST change shifts the labels rather than repeating a tick. */
      return g_date_time_add_hours (t, step->count);
    case UNIT_DAY:
      return g_date_time_add_days (t, step->count);
    case UNIT_WEEK:
      return g_date_time_add_weeks (t, step->count);
    case UNIT_MONTH:
      return g_date_time_add_months (t, step->count);
    case UNIT_YEAR:
    default:
      return g_date_time_add_years (t, step->count);
    }
}

static char *
time_tick_label (DigithekChart  *self,
                 const TimeStep *step,
                 GDateTime      *t,
                 gboolean        first)
{
  gint64 unix_time = g_date_time_to_unix (t);

  switch (step->unit)
    {
    case UNIT_MINUTE:
    case UNIT_HOUR:
      /* Midnight names its day, so hours never lose their date. */
      if (g_date_time_get_hour (t) == 0 && g_date_time_get_minute (t) == 0)
        return digithek_format_date (self->language, unix_time, FALSE);
      return digithek_format_time (self->language, unix_time);
    case UNIT_DAY:
    case UNIT_WEEK:
      return digithek_format_date (self->language, unix_time, FALSE);
    case UNIT_MONTH:
      return digithek_format_month (self->language, unix_time,
                                    first || g_date_time_get_month (t) == 1);
    case UNIT_YEAR:
    default:
      return digithek_format_year (self->language, g_date_time_get_year (t));
    }
}

static int
text_width (PangoLayout *layout,
            const char  *text)
{
  int w;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, NULL);
  return w;
}

static GArray *
x_ticks (DigithekChart *self,
         PangoLayout   *layout,
         double         plot_width)
{
  GArray *ticks = ticks_new ();
  double span = self->view_max - self->view_min;

  if (self->n == 0 || !(span > 0))
    return ticks;

  switch (self->x_kind)
    {
    case DIGITHEK_CSV_X_TIME:
      {
        const TimeStep *step = &time_steps[G_N_ELEMENTS (time_steps) - 1];
        g_autoptr(GDateTime) t = NULL;
        g_autoptr(GDateTime) start_utc = g_date_time_new_from_unix_utc ((gint64) floor (self->view_min));
        g_autoptr(GDateTime) start = NULL;
        int guard = 0;

        if (start_utc == NULL)
          return ticks;
        start = g_date_time_to_timezone (start_utc, digithek_format_get_time_zone ());

        for (guint i = 0; i < G_N_ELEMENTS (time_steps); i++)
          {
            g_autofree char *sample = time_tick_label (self, &time_steps[i], start, TRUE);
            double room = text_width (layout, sample) + 48;

            if (time_steps[i].seconds / span * plot_width >= room)
              {
                step = &time_steps[i];
                break;
              }
          }

        t = time_step_start (step, start);
        while (t != NULL && g_date_time_to_unix (t) <= self->view_max && guard++ < MAX_TICKS * 4)
          {
            GDateTime *next;

            if (g_date_time_to_unix (t) >= self->view_min)
              add_tick (ticks, g_date_time_to_unix (t), time_tick_label (self, step, t, ticks->len == 0));
            next = time_step_next (step, t);
            g_date_time_unref (t);
            t = next;
          }
        break;
      }

    case DIGITHEK_CSV_X_YEAR:
      {
        g_autofree char *sample = digithek_format_year (self->language, (int) self->x[0]);
        double room = text_width (layout, sample) + 40;
        double step = MAX (1, nice_step (span * room / plot_width));

        for (double v = ceil (self->view_min / step) * step; v <= self->view_max && ticks->len < MAX_TICKS; v += step)
          add_tick (ticks, v, digithek_format_year (self->language, (int) round (v)));
        break;
      }

    case DIGITHEK_CSV_X_CATEGORY:
    default:
      {
        gsize start, end;
        int widest = 0;
        gsize stride;

        visible_rows (self, &start, &end);
        for (gsize i = start; i < end && i < start + 400; i++)
          {
            g_autofree char *label = format_x (self, i, FALSE);

            widest = MAX (widest, MIN (text_width (layout, label), 240));
          }
        /* Crowded categories show every stride-th label, so none overlap. */
        stride = (gsize) ceil ((widest + 24) / MAX (plot_width / span * self->slot, 1e-9));
        stride = MAX (stride, 1);
        for (gsize i = start; i < end && ticks->len < MAX_TICKS; i++)
          if (i % stride == 0)
            add_tick (ticks, self->x[i], format_x (self, i, FALSE));
        break;
      }
    }

  return ticks;
}

/* ---- drawing ---- */

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

static void
set_font (DigithekChart *self,
          PangoLayout   *layout,
          int            size,
          gboolean       bold)
{
  g_autoptr(PangoFontDescription) desc = NULL;
  const PangoFontDescription *base = pango_context_get_font_description (pango_layout_get_context (layout));

  desc = base ? pango_font_description_copy (base) : pango_font_description_new ();
  pango_font_description_set_absolute_size (desc, round (size * self->text_scale) * PANGO_SCALE);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, desc);
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       align)       /* 0 left, 0.5 centre, 1 right of x */
{
  int w;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, NULL);
  cairo_move_to (cr, round (x - w * align), round (y));
  pango_cairo_show_layout (cr, layout);
}

static void
ensure_buffers (DigithekChart *self,
                guint          n_columns)
{
  if (n_columns <= self->n_columns_allocated)
    return;

  self->bounds = g_renew (gsize, self->bounds, n_columns + 1);
  self->columns = g_renew (DigithekSeriesColumn, self->columns, n_columns);
  self->span_top = g_renew (float, self->span_top, n_columns);
  self->span_bottom = g_renew (float, self->span_bottom, n_columns);
  self->joined = g_renew (guint8, self->joined, n_columns + 1);
  self->n_columns_allocated = n_columns;
}

/* ---- dense series: one antialiased vertical span per pixel column ----
 *
 * With more values than pixel columns a line chart is, column by column, a vertical
 * span from the column's minimum to its maximum (widened by the line width), joined to
 * its neighbours. Cairo's general scan converter costs scanlines × crossing edges, which
 * a zig-zag of a million points makes enormous; writing the spans into an A8 mask and
 * compositing it once costs only the pixels covered. */

static void
spans_reset (DigithekChart *self,
             guint          n_columns)
{
  for (guint c = 0; c < n_columns; c++)
    {
      self->span_top[c] = INFINITY;
      self->span_bottom[c] = -INFINITY;
      self->joined[c] = FALSE;
    }
  self->joined[n_columns] = FALSE;
}

static inline void
span_extend (DigithekChart *self,
             gint64         c,
             double         y0,
             double         y1)
{
  self->span_top[c] = MIN (self->span_top[c], MIN (y0, y1));
  self->span_bottom[c] = MAX (self->span_bottom[c], MAX (y0, y1));
}

/* Adds the straight line from (x0, y0) to (x1, y1), in column units, to the spans of
 * the columns it crosses, and joins those columns. */
static void
spans_add_segment (DigithekChart *self,
                   guint          n_columns,
                   double         x0,
                   double         y0,
                   double         x1,
                   double         y1)
{
  gint64 first = (gint64) floor (x0), last = (gint64) floor (x1);

  if (x1 <= x0)
    {
      if (first >= 0 && first < n_columns)
        span_extend (self, first, y0, y1);
      return;
    }

  for (gint64 c = MAX (first, 0); c <= MIN (last, (gint64) n_columns - 1); c++)
    {
      double xa = MAX (x0, (double) c), xb = MIN (x1, (double) c + 1);
      double ya = y0 + (y1 - y0) * (xa - x0) / (x1 - x0);
      double yb = y0 + (y1 - y0) * (xb - x0) / (x1 - x0);

      span_extend (self, c, ya, yb);
      if (c > first)
        self->joined[c] = TRUE;
    }
}

static cairo_surface_t *
ensure_mask (DigithekChart *self,
             int            width,
             int            height)
{
  if (self->mask == NULL ||
      cairo_image_surface_get_width (self->mask) < width ||
      cairo_image_surface_get_height (self->mask) < height)
    {
      g_clear_pointer (&self->mask, cairo_surface_destroy);
      self->mask = cairo_image_surface_create (CAIRO_FORMAT_A8, width, height);
    }
  return self->mask;
}

/* Writes the spans (widened by @pad above and below; with @widen, an isolated column
 * also to either side, so that a lone value shows as a dot) into the mask and paints
 * @colour through it at (@left, @top). */
static void
spans_paint (DigithekChart *self,
             cairo_t       *cr,
             guint          n_columns,
             double         left,
             double         top,
             int            mask_height,
             double         pad,
             const GdkRGBA *colour,
             gboolean       widen)
{
  cairo_surface_t *mask = ensure_mask (self, (int) n_columns + 2, mask_height);
  guchar *data;
  int stride, row_min = mask_height, row_max = -1;

  cairo_surface_flush (mask);
  data = cairo_image_surface_get_data (mask);
  stride = cairo_image_surface_get_stride (mask);
  memset (data, 0, (gsize) stride * mask_height);

  for (guint c = 0; c < n_columns; c++)
    {
      double y0, y1;
      gboolean isolated;
      int r0, r1;

      if (self->span_top[c] > self->span_bottom[c])
        continue;

      /* A steep line is wide horizontally too: take the neighbours' extent in. */
      y0 = self->span_top[c];
      y1 = self->span_bottom[c];
      if (c > 0 && self->joined[c])
        {
          y0 = MIN (y0, self->span_top[c - 1]);
          y1 = MAX (y1, self->span_bottom[c - 1]);
        }
      if (c + 1 < n_columns && self->joined[c + 1])
        {
          y0 = MIN (y0, self->span_top[c + 1]);
          y1 = MAX (y1, self->span_bottom[c + 1]);
        }
      isolated = widen && !(c > 0 && self->joined[c]) && !(c + 1 < n_columns && self->joined[c + 1]);
      y0 = CLAMP (y0 - pad, 0, mask_height);
      y1 = CLAMP (y1 + pad, 0, mask_height);
      r0 = (int) floor (y0);
      r1 = MIN ((int) ceil (y1), mask_height);
      row_min = MIN (row_min, r0);
      row_max = MAX (row_max, r1);

      for (int r = r0; r < r1; r++)
        {
          double cover = MIN (y1, r + 1.0) - MAX (y0, (double) r);
          guchar value = (guchar) CLAMP (cover * 255 + 0.5, 0, 255);

          /* Mask column c + 1 is pixel column c: one spare column on either side. */
          for (guint k = isolated ? c : c + 1; k <= (isolated ? c + 2 : c + 1); k++)
            {
              guchar *p = data + (gsize) r * stride + k;

              *p = MAX (*p, value);
            }
        }
    }

  cairo_surface_mark_dirty (mask);
  if (row_max < row_min)
    return;

  cairo_save (cr);
  cairo_rectangle (cr, left - 1, top + row_min, n_columns + 2, row_max - row_min);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_mask_surface (cr, mask, left - 1, top);
  cairo_restore (cr);
}

static void
draw_line_dense (DigithekChart        *self,
                 cairo_t              *cr,
                 const Plot           *plot,
                 const DigithekSeries *series,
                 guint                 n_columns,
                 const GdkRGBA        *colour)
{
  double pad = ceil (LINE_WIDTH);
  double top = plot->top - pad;
  int mask_height = (int) ceil (plot->height + 2 * pad);
  gsize first_row = self->bounds[0], end_row = self->bounds[n_columns];
  gboolean have_prev = FALSE;
  gsize prev = 0;
  double prev_x = 0, prev_y = 0;

#define COL_X(i) ((self->x[i] - self->view_min) / (self->view_max - self->view_min) * n_columns)
#define ROW_Y(v) (plot_y (plot, (v)) - top)

  spans_reset (self, n_columns);

  if (first_row > 0 && !isnan (digithek_series_get_value (series, first_row - 1)))
    {
      prev = first_row - 1;
      have_prev = TRUE;
      prev_x = COL_X (prev);
      prev_y = ROW_Y (digithek_series_get_value (series, prev));
    }

  for (guint c = 0; c < n_columns; c++)
    {
      const DigithekSeriesColumn *col = &self->columns[c];

      if (col->n_values == 0)
        {
          if (col->has_missing)
            have_prev = FALSE;
          continue;
        }

      span_extend (self, c, ROW_Y (col->max), ROW_Y (col->min));
      if (have_prev &&
          digithek_series_count_values (series, prev + 1, col->first_index) == col->first_index - prev - 1)
        spans_add_segment (self, n_columns, prev_x, prev_y, COL_X (col->first_index), ROW_Y (col->first));

      have_prev = TRUE;
      prev = col->last_index;
      prev_x = COL_X (prev);
      prev_y = ROW_Y (col->last);
    }

  if (have_prev && prev + 1 == end_row && end_row < self->n &&
      !isnan (digithek_series_get_value (series, end_row)))
    spans_add_segment (self, n_columns, prev_x, prev_y, COL_X (end_row),
                       ROW_Y (digithek_series_get_value (series, end_row)));

#undef COL_X
#undef ROW_Y

  spans_paint (self, cr, n_columns, plot->left, top, mask_height, LINE_WIDTH / 2, colour, TRUE);
}

static void
draw_line_series (DigithekChart        *self,
                  cairo_t              *cr,
                  const Plot           *plot,
                  const DigithekSeries *series,
                  guint                 n_columns)
{
  const DigithekSeriesColumn *columns = self->columns;
  gboolean have_prev = FALSE;
  gsize prev = 0;
  gsize first_row = self->bounds[0], end_row = self->bounds[n_columns];

  /* The row just left of the view continues the line to the edge. */
  if (first_row > 0 && !isnan (digithek_series_get_value (series, first_row - 1)))
    {
      prev = first_row - 1;
      have_prev = TRUE;
      cairo_move_to (cr, plot_x (self, plot, self->x[prev]),
                     plot_y (plot, digithek_series_get_value (series, prev)));
    }

  for (guint c = 0; c < n_columns; c++)
    {
      const DigithekSeriesColumn *col = &columns[c];
      double cx = plot->left + c + 0.5;
      gboolean connected;

      if (col->n_values == 0)
        {
          if (col->has_missing)
            have_prev = FALSE;
          continue;
        }

      /* A missing value between two drawn values is a gap. */
      connected = have_prev &&
                  digithek_series_count_values (series, prev + 1, col->first_index) ==
                  col->first_index - prev - 1;
      if (connected)
        cairo_line_to (cr, plot_x (self, plot, self->x[col->first_index]), plot_y (plot, col->first));
      else
        cairo_move_to (cr, plot_x (self, plot, self->x[col->first_index]), plot_y (plot, col->first));

      if (col->n_values == 1)
        {
          /* A lone value: a zero-length segment, which the round cap turns into a dot. */
          if (!connected)
            cairo_rel_line_to (cr, 0, 0);
        }
      else
        {
          /* The column's extremes as one vertical stroke: every spike stays visible. */
          cairo_line_to (cr, cx, plot_y (plot, col->min));
          cairo_line_to (cr, cx, plot_y (plot, col->max));
          cairo_line_to (cr, plot_x (self, plot, self->x[col->last_index]), plot_y (plot, col->last));
        }
      /* Values after a gap inside the column start a new piece. */
      have_prev = TRUE;
      prev = col->last_index;
    }

  if (have_prev && prev + 1 == end_row && end_row < self->n &&
      !isnan (digithek_series_get_value (series, end_row)))
    cairo_line_to (cr, plot_x (self, plot, self->x[end_row]),
                   plot_y (plot, digithek_series_get_value (series, end_row)));

  cairo_stroke (cr);
}

static void
draw_bars (DigithekChart *self,
           cairo_t       *cr,
           const Plot    *plot,
           const GdkRGBA *palette,
           guint          n_columns)
{
  guint n_series = self->series->len;
  double slot_px = self->slot / (self->view_max - self->view_min) * plot->width;
  double group = slot_px * 0.8;
  double bar = group / n_series;
  double base = plot_y (plot, CLAMP (0, plot->y_min, plot->y_max));

  if (bar >= 3)
    {
      gsize start, end;
      double gap = bar >= 12 ? 2 : 0;

      visible_rows (self, &start, &end);
      for (guint s = 0; s < n_series; s++)
        {
          ChartSeries *cs = g_ptr_array_index (self->series, s);

          gdk_cairo_set_source_rgba (cr, &palette[s % G_N_ELEMENTS (palette_light)]);
          for (gsize i = start; i < end; i++)
            {
              double v = digithek_series_get_value (cs->series, i);
              double left = plot_x (self, plot, self->x[i]) - group / 2 + s * bar;
              double top = plot_y (plot, v);

              if (isnan (v))
                continue;
              cairo_rectangle (cr, left + gap / 2, MIN (top, base), bar - gap, fabs (top - base));
            }
          cairo_fill (cr);
        }
      return;
    }

  /* Too many bars for the pixels: each column shows the envelope the bars would
   * cover, from the baseline to the column's extremes. */
  for (guint s = 0; s < n_series; s++)
    {
      ChartSeries *cs = g_ptr_array_index (self->series, s);
      GdkRGBA colour = palette[s % G_N_ELEMENTS (palette_light)];

      digithek_series_decimate (cs->series, self->bounds, n_columns, self->columns);
      colour.alpha = n_series > 1 ? 0.75 : 1;
      spans_reset (self, n_columns);
      for (guint c = 0; c < n_columns; c++)
        {
          const DigithekSeriesColumn *col = &self->columns[c];

          if (col->n_values == 0)
            continue;
          span_extend (self, c, plot_y (plot, MAX (col->max, 0)) - plot->top,
                       plot_y (plot, MIN (col->min, 0)) - plot->top);
        }
      /* Unjoined and not widened: bars stand side by side, each in its column. */
      spans_paint (self, cr, n_columns, plot->left, plot->top, (int) ceil (plot->height) + 1,
                   0, &colour, FALSE);
    }
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   w,
                   double   h,
                   double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_readout (DigithekChart *self,
              cairo_t       *cr,
              PangoLayout   *layout,
              const Plot    *plot,
              const GdkRGBA *fg,
              const GdkRGBA *palette,
              gboolean       dark)
{
  gsize row;
  double gx, box_w = 0, box_h, line_h, x, y;
  g_autofree char *header = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  int w, h;

  if (isnan (self->readout_x) || self->n == 0)
    return;

  row = nearest_row (self, self->readout_x);
  if (self->x[row] < self->view_min - self->slot || self->x[row] > self->view_max + self->slot)
    return;
  gx = round (plot_x (self, plot, self->x[row]));

  /* The guide line and a dot on each series. */
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.75);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, gx, plot->top);
  cairo_line_to (cr, gx, plot->top + plot->height);
  cairo_stroke (cr);

  for (guint s = 0; s < self->series->len; s++)
    {
      ChartSeries *cs = g_ptr_array_index (self->series, s);
      double v = digithek_series_get_value (cs->series, row);
      double dx = 0;

      if (isnan (v))
        continue;
      if (self->type == DIGITHEK_CHART_BAR)
        {
          double group = self->slot / (self->view_max - self->view_min) * plot->width * 0.8;

          dx = -group / 2 + (s + 0.5) * group / self->series->len;
        }
      cairo_arc (cr, gx + dx, plot_y (plot, v), 8, 0, 2 * G_PI);
      if (dark)
        cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      else
        cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &palette[s % G_N_ELEMENTS (palette_light)]);
      cairo_set_line_width (cr, 4);
      cairo_stroke (cr);
    }

  /* The box: the x value, then each series' value with its unit. */
  header = format_x (self, row, TRUE);
  set_font (self, layout, READOUT_SIZE, TRUE);
  pango_layout_set_text (layout, header, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  box_w = w;
  line_h = h + 6;

  set_font (self, layout, READOUT_SIZE, FALSE);
  for (guint s = 0; s < self->series->len; s++)
    {
      ChartSeries *cs = g_ptr_array_index (self->series, s);
      g_autofree char *value = format_value (self, digithek_series_get_value (cs->series, row));
      char *line = g_strdup_printf ("%s: %s", cs->name, value);

      box_w = MAX (box_w, text_width (layout, line) + 32);
      g_ptr_array_add (lines, line);
    }
  box_w += 2 * PADDING;
  box_h = 2 * PADDING + line_h * (1 + lines->len);

  x = gx + 20;
  if (x + box_w > plot->left + plot->width)
    x = gx - 20 - box_w;
  x = MAX (x, 0);
  y = plot->top + 8;

  rounded_rectangle (cr, x, y, box_w, box_h, 12);
  if (dark)
    cairo_set_source_rgba (cr, 0.12, 0.12, 0.12, 0.96);
  else
    cairo_set_source_rgba (cr, 1, 1, 1, 0.96);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.35);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);

  gdk_cairo_set_source_rgba (cr, fg);
  set_font (self, layout, READOUT_SIZE, TRUE);
  show_text (cr, layout, header, x + PADDING, y + PADDING, 0);
  set_font (self, layout, READOUT_SIZE, FALSE);
  for (guint s = 0; s < lines->len; s++)
    {
      double ly = y + PADDING + line_h * (s + 1);

      gdk_cairo_set_source_rgba (cr, &palette[s % G_N_ELEMENTS (palette_light)]);
      cairo_rectangle (cr, x + PADDING, ly + line_h / 2 - 9, 18, 18);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, fg);
      show_text (cr, layout, g_ptr_array_index (lines, s), x + PADDING + 32, ly, 0);
    }
}

void
digithek_chart_draw (DigithekChart *self,
                     cairo_t       *cr,
                     int            width,
                     int            height)
{
  GtkStyleContext *style;
  GdkRGBA fg;
  const GdkRGBA *palette;
  gboolean dark;
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GArray) y_ticks = NULL;
  g_autoptr(GArray) xt = NULL;
  Plot plot;
  double legend_bottom, cursor_x, cursor_y, y_step, y_lo = INFINITY, y_hi = -INFINITY;
  int label_h, legend_h, y_decimals, widest = 0;
  gsize start, end;
  guint n_columns;

  g_return_if_fail (DIGITHEK_IS_CHART (self));

  if (width <= 2 * PADDING || height <= 2 * PADDING)
    return;

  /* Text and axes take the theme's foreground, so dark and high-contrast themes work;
   * the series palette follows the theme's lightness. */
  style = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (style, &fg);
  dark = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
  palette = dark ? palette_dark : palette_light;

  /* The window's text size and high contrast are classes on it (see
   * digithek_window_set_text_scale()); a chart drawn elsewhere (a benchmark, a
   * screenshot) draws at 100 %. Changing them changes this widget's CSS font and
   * colour, which redraws it. */
  {
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

    self->text_scale = 1;
    self->high_contrast = FALSE;
    if (root != NULL)
      {
        if (gtk_widget_has_css_class (GTK_WIDGET (root), "text-150"))
          self->text_scale = 1.5;
        else if (gtk_widget_has_css_class (GTK_WIDGET (root), "text-125"))
          self->text_scale = 1.25;
        self->high_contrast = gtk_widget_has_css_class (GTK_WIDGET (root), "high-contrast");
      }
    if (self->high_contrast && !dark)
      {
        fg = (GdkRGBA) { 0, 0, 0, 1 };
        palette = palette_high_contrast;
      }
  }

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  set_font (self, layout, LABEL_SIZE, FALSE);
  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, NULL, &label_h);

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  if (self->n == 0 || self->series->len == 0)
    {
      gdk_cairo_set_source_rgba (cr, &fg);
      set_font (self, layout, LEGEND_SIZE, FALSE);
      show_text (cr, layout, TR (N_("No data")),
                 width / 2.0, height / 2.0 - label_h / 2.0, 0.5);
      cairo_restore (cr);
      return;
    }

  /* Legend, top left, wrapping into rows. */
  set_font (self, layout, LEGEND_SIZE, FALSE);
  pango_layout_set_text (layout, "Mg", -1);
  pango_layout_get_pixel_size (layout, NULL, &legend_h);
  cursor_x = PADDING;
  cursor_y = PADDING;
  for (guint s = 0; s < self->series->len; s++)
    {
      ChartSeries *cs = g_ptr_array_index (self->series, s);
      double item_w = 40 + text_width (layout, cs->name);

      if (cursor_x > PADDING && cursor_x + item_w > width - PADDING)
        {
          cursor_x = PADDING;
          cursor_y += legend_h + 8;
        }
      gdk_cairo_set_source_rgba (cr, &palette[s % G_N_ELEMENTS (palette_light)]);
      if (self->type == DIGITHEK_CHART_BAR)
        cairo_rectangle (cr, cursor_x, cursor_y + legend_h / 2.0 - 10, 24, 20);
      else
        cairo_rectangle (cr, cursor_x, cursor_y + legend_h / 2.0 - 3, 28, 6);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, &fg);
      show_text (cr, layout, cs->name, cursor_x + 38, cursor_y, 0);
      cursor_x += item_w + 32;
    }
  legend_bottom = cursor_y + legend_h + 12;

  /* The y range over the visible rows, straight from the pyramids. */
  visible_rows (self, &start, &end);
  for (guint s = 0; s < self->series->len; s++)
    {
      ChartSeries *cs = g_ptr_array_index (self->series, s);
      DigithekSeriesStats stats;

      digithek_series_get_stats (cs->series, start, end, &stats);
      if (stats.n_values == 0)
        continue;
      y_lo = MIN (y_lo, stats.min);
      y_hi = MAX (y_hi, stats.max);
    }
  if (!isfinite (y_lo))
    {
      y_lo = 0;
      y_hi = 1;
    }
  /* Bars always stand on zero; lines do when zero is near enough not to flatten them. */
  if (self->type == DIGITHEK_CHART_BAR || (y_lo > 0 && y_lo < y_hi * 0.5))
    y_lo = MIN (y_lo, 0);
  if (self->type == DIGITHEK_CHART_BAR || (y_hi < 0 && y_hi > y_lo * 0.5))
    y_hi = MAX (y_hi, 0);
  if (y_hi - y_lo < 1e-12 * MAX (fabs (y_hi), 1))
    {
      double pad = MAX (fabs (y_hi) * 0.1, 1);

      y_lo -= y_lo == 0 ? 0 : pad;
      y_hi += pad;
    }

  plot.top = legend_bottom + label_h + 12;   /* the unit sits above the y labels */
  plot.height = height - plot.top - PADDING - label_h - 16;
  if (plot.height < 20)
    plot.height = 20;
  y_step = nice_step ((y_hi - y_lo) / MAX (2, plot.height / 90));
  plot.y_min = floor (y_lo / y_step) * y_step;
  plot.y_max = ceil (y_hi / y_step) * y_step;
  y_decimals = digithek_format_decimals_for_step (y_step);

  set_font (self, layout, LABEL_SIZE, FALSE);
  y_ticks = ticks_new ();
  for (double v = plot.y_min; v <= plot.y_max + y_step * 1e-6 && y_ticks->len < MAX_TICKS; v += y_step)
    {
      char *label = digithek_format_number (self->language, fabs (v) < y_step * 1e-9 ? 0 : v, y_decimals);

      widest = MAX (widest, text_width (layout, label));
      add_tick (y_ticks, v, label);
    }

  plot.left = PADDING + widest + 16;
  plot.width = MAX (width - plot.left - PADDING - 8, 10);
  self->plot_left = plot.left;
  self->plot_width = plot.width;

  /* Grid and y labels. */
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < y_ticks->len; i++)
    {
      Tick *tick = &g_array_index (y_ticks, Tick, i);
      double py = round (plot_y (&plot, tick->x)) + 0.5;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
      cairo_move_to (cr, plot.left, py);
      cairo_line_to (cr, plot.left + plot.width, py);
      cairo_stroke (cr);
      gdk_cairo_set_source_rgba (cr, &fg);
      show_text (cr, layout, tick->label, plot.left - 12, py - label_h / 2.0, 1);
    }
  if (self->unit != NULL && *self->unit != '\0')
    {
      gdk_cairo_set_source_rgba (cr, &fg);
      show_text (cr, layout, self->unit, PADDING, legend_bottom, 0);
    }

  /* Zero line and x axis. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
  cairo_set_line_width (cr, 2);
  if (plot.y_min < 0 && plot.y_max > 0)
    {
      cairo_move_to (cr, plot.left, round (plot_y (&plot, 0)));
      cairo_line_to (cr, plot.left + plot.width, round (plot_y (&plot, 0)));
    }
  cairo_move_to (cr, plot.left, round (plot.top + plot.height));
  cairo_line_to (cr, plot.left + plot.width, round (plot.top + plot.height));
  cairo_stroke (cr);

  xt = x_ticks (self, layout, plot.width);
  {
    double last_right = -INFINITY;

    for (guint i = 0; i < xt->len; i++)
      {
        Tick *tick = &g_array_index (xt, Tick, i);
        double px = round (plot_x (self, &plot, tick->x));
        int w = text_width (layout, tick->label);
        double left = CLAMP (px - w / 2.0, 0, width - w);

        cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
        cairo_move_to (cr, px, plot.top + plot.height);
        cairo_line_to (cr, px, plot.top + plot.height + 8);
        cairo_stroke (cr);
        /* A label that would touch its neighbour (a long one) is left out. */
        if (left < last_right + 16)
          continue;
        gdk_cairo_set_source_rgba (cr, &fg);
        show_text (cr, layout, tick->label, left, plot.top + plot.height + 10, 0);
        last_right = left + w;
      }
  }

  /* The data, clipped to the plot (with room for the line's round caps). */
  n_columns = (guint) MAX (1, floor (plot.width));
  ensure_buffers (self, n_columns);
  digithek_series_column_bounds (self->x, self->n, self->view_min, self->view_max,
                                 n_columns, self->bounds);

  cairo_save (cr);
  cairo_rectangle (cr, plot.left, plot.top - LINE_WIDTH, plot.width, plot.height + 2 * LINE_WIDTH);
  cairo_clip (cr);
  if (self->type == DIGITHEK_CHART_BAR)
    draw_bars (self, cr, &plot, palette, n_columns);
  else
    {
      gsize n_visible = self->bounds[n_columns] - self->bounds[0];

      cairo_set_line_width (cr, LINE_WIDTH);
      /* Cairo's finest antialiasing costs a lot per crossing edge; with many short
       * segments the faster mode looks the same. */
      if (n_visible > n_columns / 8)
        cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
      for (guint s = 0; s < self->series->len; s++)
        {
          ChartSeries *cs = g_ptr_array_index (self->series, s);
          const GdkRGBA *colour = &palette[s % G_N_ELEMENTS (palette_light)];

          digithek_series_decimate (cs->series, self->bounds, n_columns, self->columns);
          if (n_visible > n_columns / 2)
            draw_line_dense (self, cr, &plot, cs->series, n_columns, colour);
          else
            {
              gdk_cairo_set_source_rgba (cr, colour);
              draw_line_series (self, cr, &plot, cs->series, n_columns);
            }
        }
    }
  cairo_restore (cr);

  draw_readout (self, cr, layout, &plot, &fg, palette, dark);

  cairo_restore (cr);
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

static double
x_at (DigithekChart *self,
      double         widget_x)
{
  double width = self->plot_width > 0 ? self->plot_width : gtk_widget_get_width (GTK_WIDGET (self));

  return self->view_min + (widget_x - self->plot_left) / width * (self->view_max - self->view_min);
}

static void
drag_begin_cb (DigithekChart  *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  if (self->pinching || self->n == 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_start_x = x;
  self->drag_view_min = self->view_min;
  self->drag_view_max = self->view_max;
  self->drag_mode = DRAG_PENDING;
  /* Unzoomed, a touch shows its value at once; zoomed, it may become a pan. */
  if (!self->zoomed)
    digithek_chart_set_readout (self, x_at (self, x));
}

static void
drag_update_cb (DigithekChart  *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  if (self->pinching || self->drag_mode == DRAG_NONE)
    return;

  if (self->drag_mode == DRAG_PENDING)
    {
      if (fabs (dx) < TAP_SLOP && fabs (dy) < TAP_SLOP)
        return;
      if (fabs (dy) > fabs (dx))
        {
          /* A vertical swipe belongs to the page around us: let it scroll. */
          self->drag_mode = DRAG_NONE;
          digithek_chart_set_readout (self, NAN);
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }
      self->drag_mode = self->zoomed ? DRAG_PAN : DRAG_SCRUB;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      if (self->drag_mode == DRAG_PAN)
        digithek_chart_set_readout (self, NAN);
    }

  if (self->drag_mode == DRAG_PAN)
    {
      double per_px = (self->drag_view_max - self->drag_view_min) / MAX (self->plot_width, 1);

      set_view (self, self->drag_view_min - dx * per_px, self->drag_view_max - dx * per_px);
    }
  else
    digithek_chart_set_readout (self, x_at (self, self->drag_start_x + dx));
}

static void
drag_end_cb (DigithekChart  *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  /* A tap, zoomed: show the value there. */
  if (self->drag_mode == DRAG_PENDING && !self->pinching)
    digithek_chart_set_readout (self, x_at (self, self->drag_start_x));
  self->drag_mode = DRAG_NONE;
}

static void
zoom_begin_cb (DigithekChart  *self,
               GdkEventSequence *sequence,
               GtkGestureZoom *gesture)
{
  double cx, cy;

  self->pinching = TRUE;
  self->drag_mode = DRAG_NONE;
  digithek_chart_set_readout (self, NAN);
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy);
  self->pinch_anchor = x_at (self, cx);
  self->pinch_span = self->view_max - self->view_min;
}

static void
zoom_scale_changed_cb (DigithekChart  *self,
                       double          scale,
                       GtkGestureZoom *gesture)
{
  double cx, cy, span, fraction;

  if (!self->pinching || !(scale > 0))
    return;

  /* The x under the fingers' centre stays under it: pinching zooms, moving both
   * fingers together pans. */
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy);
  span = self->pinch_span / scale;
  fraction = (cx - self->plot_left) / MAX (self->plot_width, 1);
  set_view (self, self->pinch_anchor - fraction * span, self->pinch_anchor + (1 - fraction) * span);
}

static void
zoom_end_cb (DigithekChart    *self,
             GdkEventSequence *sequence,
             GtkGestureZoom   *gesture)
{
  self->pinching = FALSE;
}

static gboolean
scroll_cb (DigithekChart            *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  if (self->n == 0)
    return FALSE;

  if (dy != 0)
    digithek_chart_zoom (self, exp (-dy * 0.15), x_at (self, self->pointer_x));
  if (dx != 0)
    digithek_chart_pan (self, dx * 0.05 * (self->view_max - self->view_min));

  return TRUE;
}

static void
motion_cb (DigithekChart            *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  self->pointer_x = x;
  if (self->drag_mode == DRAG_NONE && !self->pinching && self->n > 0)
    digithek_chart_set_readout (self, x_at (self, x));
}

static void
leave_cb (DigithekChart            *self,
          GtkEventControllerMotion *controller)
{
  if (self->drag_mode == DRAG_NONE)
    digithek_chart_set_readout (self, NAN);
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
  GtkGesture *drag, *zoom;
  GtkEventController *scroll, *motion;

  self->series = g_ptr_array_new_with_free_func (chart_series_free);
  self->language = g_strdup ("de");
  self->type = DIGITHEK_CHART_LINE;
  self->slot = 1;
  self->view_min = 0;
  self->view_max = 1;
  self->readout_x = NAN;
  self->text_scale = 1;

  drag = gtk_gesture_drag_new ();
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  g_signal_connect_swapped (zoom, "end", G_CALLBACK (zoom_end_cb), self);
  g_signal_connect_swapped (zoom, "cancel", G_CALLBACK (zoom_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  update_accessible (self);
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
  update_accessible (self);
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
  update_accessible (self);
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
  update_accessible (self);
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
  update_accessible (self);
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
  update_accessible (self);
}

void
digithek_chart_reset_zoom (DigithekChart *self)
{
  double lo, hi;

  g_return_if_fail (DIGITHEK_IS_CHART (self));

  get_data_range (self, &lo, &hi);
  set_view (self, lo, hi);
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

  set_view (self, x_min, x_max);
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
  set_view (self, lo, hi);
}

void
digithek_chart_pan (DigithekChart *self,
                    double         dx)
{
  g_return_if_fail (DIGITHEK_IS_CHART (self));

  set_view (self, self->view_min + dx, self->view_max + dx);
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
