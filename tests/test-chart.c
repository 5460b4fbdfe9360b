/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include <gtk/gtk.h>

#include "digithek-chart.h"
#include "digithek-format.h"
#include "digithek-series.h"

/* ---- decimation against a brute-force reference ---- */

static double *
random_xs (GRand *rand,
           gsize  n)
{
  double *x = g_new (double, MAX (n, 1));
  double t = g_rand_double_range (rand, -1000, 1000);

  /* Irregular spacing with runs of equal x, as real measurements have. */
  for (gsize i = 0; i < n; i++)
    {
      if (g_rand_int_range (rand, 0, 10) != 0)
        t += g_rand_double_range (rand, 0, 3) * (g_rand_boolean (rand) ? 1 : 100);
      x[i] = t;
    }
  return x;
}

static double *
random_ys (GRand *rand,
           gsize  n)
{
  double *y = g_new (double, MAX (n, 1));
  int nan_percent = g_rand_int_range (rand, 0, 60);

  for (gsize i = 0; i < n; i++)
    {
      if (g_rand_int_range (rand, 0, 100) < nan_percent)
        y[i] = NAN;
      else if (g_rand_int_range (rand, 0, 500) == 0)
        y[i] = g_rand_double_range (rand, -1e6, 1e6);   /* a spike */
      else
        y[i] = g_rand_double_range (rand, -50, 50);
    }
  /* Long gaps too. */
  if (n > 100 && g_rand_boolean (rand))
    {
      gsize from = g_rand_int_range (rand, 0, (gint32) n - 50);

      for (gsize i = from; i < from + 40; i++)
        y[i] = NAN;
    }
  return y;
}

static void
check_decimation (const double         *x,
                  const double         *y,
                  gsize                 n,
                  const DigithekSeries *series,
                  double                x_min,
                  double                x_max,
                  guint                 width)
{
  g_autofree gsize *bounds = g_new (gsize, width + 1);
  g_autofree DigithekSeriesColumn *columns = g_new (DigithekSeriesColumn, width);
  g_autofree DigithekSeriesColumn *expected = g_new0 (DigithekSeriesColumn, width);

  for (guint c = 0; c < width; c++)
    {
      expected[c].min = expected[c].first = INFINITY;
      expected[c].max = expected[c].last = -INFINITY;
    }

  for (gsize i = 0; i < n; i++)
    {
      gint64 c = digithek_series_column_for_x (x[i], x_min, x_max, width);
      DigithekSeriesColumn *e;

      /* The column formula itself: floor of the relative position. */
      if (x[i] >= x_min && x[i] < x_max)
        g_assert_cmpint (c, ==, CLAMP ((gint64) floor ((x[i] - x_min) / (x_max - x_min) * width), 0, width - 1));
      if (c < 0 || c >= width)
        continue;
      e = &expected[c];
      if (isnan (y[i]))
        {
          e->has_missing = TRUE;
          continue;
        }
      if (e->n_values == 0)
        {
          e->first = y[i];
          e->first_index = i;
        }
      e->last = y[i];
      e->last_index = i;
      e->min = MIN (e->min, y[i]);
      e->max = MAX (e->max, y[i]);
      e->n_values++;
    }

  digithek_series_column_bounds (x, n, x_min, x_max, width, bounds);
  digithek_series_decimate (series, bounds, width, columns);

  for (guint c = 0; c < width; c++)
    {
      const DigithekSeriesColumn *e = &expected[c], *got = &columns[c];

      g_assert_cmpuint (got->n_values, ==, e->n_values);
      g_assert_cmpint (got->has_missing, ==, e->has_missing);
      if (e->n_values == 0)
        {
          g_assert_true (isnan (got->min) && isnan (got->max));
          continue;
        }
      /* Exact: every column keeps its true minimum and maximum. */
      g_assert_cmpfloat (got->min, ==, e->min);
      g_assert_cmpfloat (got->max, ==, e->max);
      g_assert_cmpfloat (got->first, ==, e->first);
      g_assert_cmpfloat (got->last, ==, e->last);
      g_assert_cmpuint (got->first_index, ==, e->first_index);
      g_assert_cmpuint (got->last_index, ==, e->last_index);
    }
}

static void
test_decimation_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261127);

  for (int round_ = 0; round_ < 120; round_++)
    {
      gsize n = round_ == 0 ? 0 : round_ < 100 ? (gsize) g_rand_int_range (rand, 1, 5000) : 200000;
      g_autofree double *x = random_xs (rand, n);
      g_autofree double *y = random_ys (rand, n);
      g_autoptr(DigithekSeries) series = digithek_series_new (y, n);
      double lo = n ? x[0] : 0, hi = n ? x[n - 1] : 1;

      g_assert_cmpuint (digithek_series_get_length (series), ==, n);

      for (int view = 0; view < 12; view++)
        {
          guint width = view == 0 ? 1 : (guint) g_rand_int_range (rand, 1, 2200);
          double span = hi - lo + 1;
          double a, b;

          if (view == 1)
            {
              /* The whole range at the benchmark's width. */
              a = lo;
              b = hi > lo ? hi : lo + 1;
              width = 1920;
            }
          else
            {
              /* Anywhere, also partly or wholly outside the data, zoomed very far in. */
              a = lo + g_rand_double_range (rand, -0.2, 1.1) * span;
              b = a + span * pow (10, g_rand_double_range (rand, -5, 0.3));
            }
          check_decimation (x, y, n, series, a, b, width);
        }
    }
}

static void
test_series_stats (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (int round_ = 0; round_ < 50; round_++)
    {
      gsize n = (gsize) g_rand_int_range (rand, 1, 3000);
      g_autofree double *y = random_ys (rand, n);
      g_autoptr(DigithekSeries) series = digithek_series_new (y, n);

      for (int q = 0; q < 50; q++)
        {
          gsize a = (gsize) g_rand_int_range (rand, 0, (gint32) n + 1);
          gsize b = (gsize) g_rand_int_range (rand, (gint32) a, (gint32) n + 2);
          DigithekSeriesStats stats;
          double min = INFINITY, max = -INFINITY, sum = 0;
          gsize count = 0;
          gssize first = -1, last = -1;

          for (gsize i = a; i < MIN (b, n); i++)
            if (!isnan (y[i]))
              {
                min = MIN (min, y[i]);
                max = MAX (max, y[i]);
                sum += y[i];
                if (first < 0)
                  first = (gssize) i;
                last = (gssize) i;
                count++;
              }

          digithek_series_get_stats (series, a, b, &stats);
          g_assert_cmpuint (stats.n_values, ==, count);
          g_assert_cmpfloat (stats.min, ==, min);
          g_assert_cmpfloat (stats.max, ==, max);
          g_assert_cmpfloat_with_epsilon (stats.sum, sum, 1e-6 * MAX (1, fabs (sum)) + 1e-3);
          g_assert_cmpint (digithek_series_first_value (series, a, b), ==, first);
          g_assert_cmpint (digithek_series_last_value (series, a, b), ==, last);
        }
    }
}

static void
test_series_non_finite (void)
{
  const double y[] = { 1, INFINITY, NAN, -INFINITY, 5 };
  const gsize rows[] = { 4, 3, 2, 1, 0 };
  g_autoptr(DigithekSeries) series = digithek_series_new (y, G_N_ELEMENTS (y));
  g_autoptr(DigithekSeries) reordered = digithek_series_new_reordered (y, rows, G_N_ELEMENTS (y));
  DigithekSeriesStats stats;

  /* Infinities are no measurement: they count as missing. */
  digithek_series_get_stats (series, 0, 5, &stats);
  g_assert_cmpuint (stats.n_values, ==, 2);
  g_assert_cmpfloat (stats.max, ==, 5);
  g_assert_cmpfloat (digithek_series_get_value (reordered, 0), ==, 5);
  g_assert_true (isnan (digithek_series_get_value (reordered, 1)));
}

/* ---- formatting ---- */

static gint64
berlin (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new (digithek_format_get_time_zone (), y, mo, d, h, mi, 0);

  return g_date_time_to_unix (dt);
}

#define assert_format(expr, expected) \
  G_STMT_START { g_autofree char *s_ = (expr); g_assert_cmpstr (s_, ==, (expected)); } G_STMT_END

static void
test_format_numbers (void)
{
  assert_format (digithek_format_number ("de", 1234.5, 1), "1.234,5");
  assert_format (digithek_format_number ("en", 1234.5, 1), "1,234.5");
  assert_format (digithek_format_number ("de", -1234567.891, 2), "\u22121.234.567,89");
  assert_format (digithek_format_number ("en", -1234567.891, 2), "\u22121,234,567.89");
  assert_format (digithek_format_number ("de", 999.999, 2), "1.000,00");
  assert_format (digithek_format_number ("en", 999, 0), "999");
  assert_format (digithek_format_number ("en", 1000, 0), "1,000");
  assert_format (digithek_format_number ("de", 0.05, 1), "0,1");
  assert_format (digithek_format_number ("de", -0.004, 2), "0,00");   /* no "−0,00" */
  assert_format (digithek_format_number ("de", -0.0, 0), "0");
  assert_format (digithek_format_number ("en", 0.125, 3), "0.125");
  assert_format (digithek_format_number ("de", NAN, 1), "\u2013");
  assert_format (digithek_format_number ("de", 1e20, 0), "1,000e+20");
  /* Language codes and the fallback. */
  assert_format (digithek_format_number ("de-x-easy", 1234.5, 1), "1.234,5");
  assert_format (digithek_format_number ("de_DE", 1234.5, 1), "1.234,5");
  assert_format (digithek_format_number ("fr", 1234.5, 1), "1,234.5");
  assert_format (digithek_format_number ("dex", 1234.5, 1), "1,234.5");
  assert_format (digithek_format_number (NULL, 1234.5, 1), "1,234.5");

  assert_format (digithek_format_number_auto ("de", 19.57), "19,6");
  assert_format (digithek_format_number_auto ("de", 20.0), "20");
  assert_format (digithek_format_number_auto ("en", 0.125), "0.13");
  assert_format (digithek_format_number_auto ("de", 83789), "83.789");
  assert_format (digithek_format_number_auto ("en", -2.5), "\u22122.5");

  g_assert_cmpint (digithek_format_decimals_for_step (0.25), ==, 2);
  g_assert_cmpint (digithek_format_decimals_for_step (0.1), ==, 1);
  g_assert_cmpint (digithek_format_decimals_for_step (2.5), ==, 1);
  g_assert_cmpint (digithek_format_decimals_for_step (5), ==, 0);
  g_assert_cmpint (digithek_format_decimals_for_step (1000), ==, 0);
  g_assert_cmpint (digithek_format_decimals_for_step (0.002), ==, 3);
}

static void
test_format_dates (void)
{
  gint64 t = berlin (2026, 11, 27, 14, 5);
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 11, 27, 13, 5, 0);

  /* November is winter time: UTC+1. */
  g_assert_cmpint (t, ==, g_date_time_to_unix (utc));

  assert_format (digithek_format_date ("de", t, FALSE), "27.11.");
  assert_format (digithek_format_date ("en", t, FALSE), "Nov 27");
  assert_format (digithek_format_date ("de", t, TRUE), "27.11.2026");
  assert_format (digithek_format_date ("en", t, TRUE), "Nov 27, 2026");
  assert_format (digithek_format_date ("de", berlin (2026, 3, 5, 0, 0), FALSE), "05.03.");
  assert_format (digithek_format_time ("de", t), "14:05");
  assert_format (digithek_format_time ("en", t), "14:05");
  assert_format (digithek_format_date_time ("de", t), "27.11.2026, 14:05");
  assert_format (digithek_format_date_time ("en", t), "Nov 27, 2026, 14:05");
  assert_format (digithek_format_month ("de", t, TRUE), "Nov. 2026");
  assert_format (digithek_format_month ("en", t, TRUE), "Nov 2026");
  assert_format (digithek_format_month ("de", berlin (2026, 3, 1, 0, 0), FALSE), "März");
  assert_format (digithek_format_month ("en", berlin (2026, 3, 1, 0, 0), FALSE), "Mar");
  assert_format (digithek_format_year ("de", 2026), "2026");
  assert_format (digithek_format_year ("en", 1927), "1927");
  assert_format (digithek_format_freshness ("de", t), "Stand: 27.11.2026");
  assert_format (digithek_format_freshness ("en", t), "as of Nov 27, 2026");
  assert_format (digithek_format_freshness ("fr", t), "as of Nov 27, 2026");
  /* Midnight in Berlin is still the previous day in UTC. */
  assert_format (digithek_format_date ("de", berlin (2026, 1, 1, 0, 30), TRUE), "01.01.2026");
}

static void
test_format_dst (void)
{
  g_autoptr(GDateTime) summer = g_date_time_new_utc (2026, 7, 1, 12, 0, 0);
  g_autoptr(GDateTime) before = g_date_time_new_utc (2026, 3, 29, 0, 59, 0);
  g_autoptr(GDateTime) after = g_date_time_new_utc (2026, 3, 29, 1, 0, 0);
  g_autoptr(GDateTime) back1 = g_date_time_new_utc (2026, 10, 25, 0, 30, 0);
  g_autoptr(GDateTime) back2 = g_date_time_new_utc (2026, 10, 25, 1, 30, 0);

  /* Summer time is UTC+2; the clocks jump from 02:00 to 03:00 and back from 03:00 to
   * 02:00, so 02:30 happens twice in October. */
  assert_format (digithek_format_time ("de", g_date_time_to_unix (summer)), "14:00");
  assert_format (digithek_format_time ("de", g_date_time_to_unix (before)), "01:59");
  assert_format (digithek_format_time ("de", g_date_time_to_unix (after)), "03:00");
  assert_format (digithek_format_time ("en", g_date_time_to_unix (back1)), "02:30");
  assert_format (digithek_format_time ("en", g_date_time_to_unix (back2)), "02:30");
}

/* ---- the widget ---- */

static DigithekChart *
new_chart_with (const double *x,
                const double *y,
                gsize         n,
                const char   *unit)
{
  DigithekChart *chart = DIGITHEK_CHART (g_object_ref_sink (digithek_chart_new ()));

  digithek_chart_set_x (chart, DIGITHEK_CSV_X_YEAR, x, NULL, n);
  digithek_chart_add_series (chart, "Wert", y, n);
  digithek_chart_set_unit (chart, unit);
  return chart;
}

static void
test_describe (void)
{
  const double x[] = { 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009 };
  const double up[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 1234 };
  const double down[] = { 9, 8, 7, 6, NAN, 4, 3, 2, 1, NAN };
  const double flat[] = { 5, 6, 5, 6, 5, 5, 6, 5, 6, 5 };
  DigithekChart *chart = new_chart_with (x, up, G_N_ELEMENTS (x), "t");
  g_autofree char *de = digithek_chart_describe (chart);
  g_autofree char *en = NULL, *zoomed = NULL, *falling = NULL, *steady = NULL, *empty = NULL;

  g_assert_cmpstr (de, ==, "Liniendiagramm, 2000 bis 2009. Wert: zuletzt 1.234 t, "
                           "niedrigster Wert 1 t, höchster Wert 1.234 t, steigend.");
  digithek_chart_set_language (chart, "en");
  en = digithek_chart_describe (chart);
  g_assert_cmpstr (en, ==, "Line chart, 2000 to 2009. Wert: latest 1,234 t, "
                           "lowest 1 t, highest 1,234 t, rising.");

  /* The visible range counts. */
  digithek_chart_set_visible_range (chart, 2000, 2004);
  zoomed = digithek_chart_describe (chart);
  g_assert_cmpstr (zoomed, ==, "Line chart, 2000 to 2004. Wert: latest 5 t, lowest 1 t, "
                               "highest 5 t, rising.");
  g_object_unref (chart);

  chart = new_chart_with (x, down, G_N_ELEMENTS (x), NULL);
  falling = digithek_chart_describe (chart);
  g_assert_cmpstr (falling, ==, "Liniendiagramm, 2000 bis 2009. Wert: zuletzt 1, "
                                "niedrigster Wert 1, höchster Wert 9, fallend.");
  g_object_unref (chart);

  chart = new_chart_with (x, flat, G_N_ELEMENTS (x), "°C");
  digithek_chart_set_chart_type (chart, DIGITHEK_CHART_BAR);
  steady = digithek_chart_describe (chart);
  g_assert_cmpstr (steady, ==, "Balkendiagramm, 2000 bis 2009. Wert: zuletzt 5 °C, "
                               "niedrigster Wert 5 °C, höchster Wert 6 °C, gleichbleibend.");
  g_object_unref (chart);

  chart = DIGITHEK_CHART (g_object_ref_sink (digithek_chart_new ()));
  empty = digithek_chart_describe (chart);
  g_assert_cmpstr (empty, ==, "Liniendiagramm ohne Daten.");
  g_assert_finalize_object (chart);
}

static void
test_categories_and_order (void)
{
  /* Out of order, one row without x: the chart sorts by x and keeps rows together. */
  const double x[] = { 3, 1, NAN, 2, 0 };
  const char * const labels[] = { "Egg", "Paradies", "Staad", "Altstadt", "Dettingen" };
  const double y[] = { 30, 10, 99, 20, 0 };
  DigithekChart *chart = DIGITHEK_CHART (g_object_ref_sink (digithek_chart_new ()));
  g_autofree char *text = NULL;

  digithek_chart_set_x (chart, DIGITHEK_CSV_X_CATEGORY, x, labels, G_N_ELEMENTS (x));
  digithek_chart_add_series (chart, "Einwohner", y, G_N_ELEMENTS (y));
  digithek_chart_set_chart_type (chart, DIGITHEK_CHART_BAR);
  text = digithek_chart_describe (chart);
  g_assert_cmpstr (text, ==, "Balkendiagramm, Dettingen bis Egg. Einwohner: zuletzt 30, "
                             "niedrigster Wert 0, höchster Wert 30, steigend.");
  g_assert_finalize_object (chart);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           int        *count)
{
  (*count)++;
}

static void
test_zoom_clamps (void)
{
  gsize n = 1000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  DigithekChart *chart = DIGITHEK_CHART (g_object_ref_sink (digithek_chart_new ()));
  double lo, hi, a, b;
  int notified = 0;

  for (gsize i = 0; i < n; i++)
    {
      x[i] = 1.7e9 + i * 3600.0;
      y[i] = sin (i / 10.0);
    }
  digithek_chart_set_x (chart, DIGITHEK_CSV_X_TIME, x, NULL, n);
  digithek_chart_add_series (chart, "s", y, n);
  g_signal_connect (chart, "notify::zoomed", G_CALLBACK (notify_cb), &notified);

  digithek_chart_get_data_range (chart, &lo, &hi);
  g_assert_cmpfloat (lo, ==, x[0]);
  g_assert_cmpfloat (hi, ==, x[n - 1]);
  digithek_chart_get_visible_range (chart, &a, &b);
  g_assert_cmpfloat (a, ==, lo);
  g_assert_cmpfloat (b, ==, hi);
  g_assert_false (digithek_chart_get_zoomed (chart));

  /* Zooming in keeps the anchor in place. */
  digithek_chart_zoom (chart, 4, x[500]);
  digithek_chart_get_visible_range (chart, &a, &b);
  g_assert_cmpfloat_with_epsilon (b - a, (hi - lo) / 4, 1e-3);
  g_assert_cmpfloat_with_epsilon ((x[500] - a) / (b - a), (x[500] - lo) / (hi - lo), 1e-9);
  g_assert_true (digithek_chart_get_zoomed (chart));
  g_assert_cmpint (notified, ==, 1);

  /* Panning stops at either end, keeping the span. */
  digithek_chart_pan (chart, -1e12);
  digithek_chart_get_visible_range (chart, &a, &b);
  g_assert_cmpfloat (a, ==, lo);
  g_assert_cmpfloat_with_epsilon (b - a, (hi - lo) / 4, 1e-3);
  digithek_chart_pan (chart, 1e12);
  digithek_chart_get_visible_range (chart, &a, &b);
  g_assert_cmpfloat (b, ==, hi);

  /* Zooming in without end stops at a few rows. */
  for (int i = 0; i < 100; i++)
    digithek_chart_zoom (chart, 10, x[700]);
  digithek_chart_get_visible_range (chart, &a, &b);
  g_assert_cmpfloat (b - a, >=, 4 * 3600.0 - 1e-6);
  g_assert_cmpfloat (a, >=, lo);
  g_assert_cmpfloat (b, <=, hi);

  /* Zooming out or asking for more than there is shows everything. */
  digithek_chart_set_visible_range (chart, lo - 1e9, hi + 1e9);
  digithek_chart_get_visible_range (chart, &a, &b);
  g_assert_cmpfloat (a, ==, lo);
  g_assert_cmpfloat (b, ==, hi);
  g_assert_false (digithek_chart_get_zoomed (chart));
  g_assert_cmpint (notified, ==, 2);

  digithek_chart_set_visible_range (chart, x[10], x[20]);
  g_assert_true (digithek_chart_get_zoomed (chart));
  digithek_chart_reset_zoom (chart);
  digithek_chart_get_visible_range (chart, &a, &b);
  g_assert_cmpfloat (a, ==, lo);
  g_assert_cmpfloat (b, ==, hi);
  g_assert_false (digithek_chart_get_zoomed (chart));

  /* Bars: half a slot of room either side. */
  digithek_chart_set_chart_type (chart, DIGITHEK_CHART_BAR);
  digithek_chart_get_data_range (chart, &lo, &hi);
  g_assert_cmpfloat (lo, ==, x[0] - 1800);
  g_assert_cmpfloat (hi, ==, x[n - 1] + 1800);

  g_assert_finalize_object (chart);
}

typedef struct
{
  int frames;
} FrameCount;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  ((FrameCount *) user_data)->frames++;
  return G_SOURCE_CONTINUE;
}

/* Counts pixels that differ from the background @bg (0: transparent). */
static gsize
count_ink (const guchar *data,
           gsize         stride,
           int           width,
           int           height,
           guint32       bg)
{
  gsize ink = 0;

  for (int row = 0; row < height; row++)
    {
      const guint32 *p = (const guint32 *) (gconstpointer) (data + row * stride);

      for (int col = 0; col < width; col++)
        ink += p[col] != bg;
    }
  return ink;
}

static DigithekChart *
big_chart (gsize n)
{
  g_autofree double *x = g_new (double, n);
  g_autofree double *a = g_new (double, n);
  g_autofree double *b = g_new (double, n);
  DigithekChart *chart = DIGITHEK_CHART (digithek_chart_new ());

  for (gsize i = 0; i < n; i++)
    {
      x[i] = 1.7e9 + i * 60.0;
      a[i] = i % 5000 < 40 ? NAN : 20 + 10 * sin (i / 3000.0) + (i % 777 == 0 ? 50 : 0);
      b[i] = -5 + 0.00003 * i;
    }
  digithek_chart_set_x (chart, DIGITHEK_CSV_X_TIME, x, NULL, n);
  digithek_chart_add_series (chart, "NO₂", a, n);
  digithek_chart_add_series (chart, "Temperatur", b, n);
  digithek_chart_set_unit (chart, "µg/m³");
  return chart;
}

static void
render_in_window (int width,
                  int height)
{
  GtkWidget *window = gtk_window_new ();
  DigithekChart *chart = big_chart (200000);
  FrameCount count = { 0 };
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double lo, hi;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_widget_add_tick_callback (GTK_WIDGET (chart), tick_cb, &count, NULL);
  gtk_window_present (GTK_WINDOW (window));

  /* Let GTK lay out and draw a few real frames (through the widget's snapshot). */
  while (count.frames < 3)
    g_main_context_iteration (NULL, TRUE);
  digithek_chart_get_data_range (chart, &lo, &hi);
  digithek_chart_zoom (chart, 8, (lo + hi) / 2);
  digithek_chart_set_readout (chart, (lo + hi) / 2);
  count.frames = 0;
  while (count.frames < 2)
    g_main_context_iteration (NULL, TRUE);

  /* The widget's own rendering, through the window's renderer into a texture. */
  paintable = gtk_widget_paintable_new (GTK_WIDGET (chart));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (GTK_WIDGET (chart)),
                          gtk_widget_get_height (GTK_WIDGET (chart)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, NULL);
  pixels = g_malloc (gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4);
  gdk_texture_download (texture, pixels, gdk_texture_get_width (texture) * 4);
  g_assert_cmpuint (count_ink (pixels, gdk_texture_get_width (texture) * 4,
                               gdk_texture_get_width (texture), gdk_texture_get_height (texture), 0),
                    >, 10000);

  /* The drawing function at exactly the asked size, line and bar. */
  for (int type = DIGITHEK_CHART_LINE; type <= DIGITHEK_CHART_BAR; type++)
    {
      digithek_chart_set_chart_type (chart, type);
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cr = cairo_create (surface);
      digithek_chart_draw (chart, cr, width, height);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      g_assert_cmpuint (count_ink (cairo_image_surface_get_data (surface),
                                   cairo_image_surface_get_stride (surface), width, height, 0),
                        >, (gsize) width * 20);
      cairo_surface_destroy (surface);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
}

static void
test_render_landscape (void)
{
  render_in_window (1920, 1080);
}

static void
test_render_portrait (void)
{
  render_in_window (1080, 1920);
}

static void
test_render_edge_cases (void)
{
  GtkWidget *window = gtk_window_new ();
  DigithekChart *chart = DIGITHEK_CHART (digithek_chart_new ());
  const double one_x[] = { 1.7e9 };
  const double one_y[] = { 3 };
  const double nan_y[] = { NAN };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 600);
  cairo_t *cr = cairo_create (surface);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));

  /* Empty, tiny, a single row, only missing values, a readout outside the data. */
  digithek_chart_draw (chart, cr, 800, 600);
  digithek_chart_draw (chart, cr, 10, 10);
  digithek_chart_set_x (chart, DIGITHEK_CSV_X_TIME, one_x, NULL, 1);
  digithek_chart_add_series (chart, "a", one_y, 1);
  digithek_chart_add_series (chart, "b", nan_y, 1);
  digithek_chart_set_readout (chart, 0);
  for (int type = DIGITHEK_CHART_LINE; type <= DIGITHEK_CHART_BAR; type++)
    {
      digithek_chart_set_chart_type (chart, type);
      digithek_chart_draw (chart, cr, 800, 600);
      digithek_chart_draw (chart, cr, 80, 60);
    }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/chart/decimation/random", test_decimation_random);
  g_test_add_func ("/ui/chart/series/stats", test_series_stats);
  g_test_add_func ("/ui/chart/series/non-finite", test_series_non_finite);
  g_test_add_func ("/ui/format/numbers", test_format_numbers);
  g_test_add_func ("/ui/format/dates", test_format_dates);
  g_test_add_func ("/ui/format/dst", test_format_dst);
  g_test_add_func ("/ui/chart/describe", test_describe);
  g_test_add_func ("/ui/chart/categories-and-order", test_categories_and_order);
  g_test_add_func ("/ui/chart/zoom-clamps", test_zoom_clamps);
  g_test_add_func ("/ui/chart/render/landscape", test_render_landscape);
  g_test_add_func ("/ui/chart/render/portrait", test_render_portrait);
  g_test_add_func ("/ui/chart/render/edge-cases", test_render_edge_cases);

  return g_test_run ();
}
