/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "digithek-format.h"
#include "digithek-i18n.h"
#include "digithek-series.h"
#include "digithek-chart-private.h"

/* ---- ticks ---- */

double
_digithek_chart_nice_step (double rough)
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

static void
tick_clear (gpointer data)
{
  g_free (((Tick *) data)->label);
}

GArray *
_digithek_chart_ticks_new (void)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (Tick));

  g_array_set_clear_func (ticks, tick_clear);
  return ticks;
}

void
_digithek_chart_add_tick (GArray *ticks,
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

int
_digithek_chart_text_width (PangoLayout *layout,
            const char  *text)
{
  int w;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, NULL);
  return w;
}

GArray *
_digithek_chart_x_ticks (DigithekChart *self,
         PangoLayout   *layout,
         double         plot_width)
{
  GArray *ticks = _digithek_chart_ticks_new ();
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
            double room = _digithek_chart_text_width (layout, sample) + 48;

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
              _digithek_chart_add_tick (ticks, g_date_time_to_unix (t), time_tick_label (self, step, t, ticks->len == 0));
            next = time_step_next (step, t);
            g_date_time_unref (t);
            t = next;
          }
        break;
      }

    case DIGITHEK_CSV_X_YEAR:
      {
        g_autofree char *sample = digithek_format_year (self->language, (int) self->x[0]);
        double room = _digithek_chart_text_width (layout, sample) + 40;
        double step = MAX (1, _digithek_chart_nice_step (span * room / plot_width));

        for (double v = ceil (self->view_min / step) * step; v <= self->view_max && ticks->len < MAX_TICKS; v += step)
          _digithek_chart_add_tick (ticks, v, digithek_format_year (self->language, (int) round (v)));
        break;
      }

    case DIGITHEK_CSV_X_CATEGORY:
    default:
      {
        gsize start, end;
        int widest = 0;
        gsize stride;

        _digithek_chart_visible_rows (self, &start, &end);
        for (gsize i = start; i < end && i < start + 400; i++)
          {
            g_autofree char *label = _digithek_chart_format_x (self, i, FALSE);

            widest = MAX (widest, MIN (_digithek_chart_text_width (layout, label), 240));
          }
        /* Crowded categories show every stride-th label, so none overlap. */
        stride = (gsize) ceil ((widest + 24) / MAX (plot_width / span * self->slot, 1e-9));
        stride = MAX (stride, 1);
        for (gsize i = start; i < end && ticks->len < MAX_TICKS; i++)
          if (i % stride == 0)
            _digithek_chart_add_tick (ticks, self->x[i], _digithek_chart_format_x (self, i, FALSE));
        break;
      }
    }

  return ticks;
}
