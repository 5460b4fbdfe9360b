/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include "digithek-series.h"

/* The pyramid starts with buckets of 2^BASE_LEVEL values: below that, scanning the raw
 * values is as fast as a lookup, and skipping the small levels keeps the pyramid at a
 * quarter of the series' size. */
#define BASE_LEVEL 3

typedef struct
{
  double min;
  double max;
  double sum;
} Node;

struct _DigithekSeries
{
  double *values;        /* non-finite values stored as NAN */
  gsize n_values;
  /* finite_before[i]: finite values in [0, i); n_values + 1 entries. */
  guint32 *finite_before;
  /* levels[k - BASE_LEVEL]: floor (n >> k) buckets of 2^k values, k up to top_level. */
  Node **levels;
  guint top_level;
};

static void
build (DigithekSeries *self)
{
  gsize n = self->n_values;
  guint32 count = 0;
  guint n_levels = 0;

  self->finite_before = g_new (guint32, n + 1);
  for (gsize i = 0; i < n; i++)
    {
      self->finite_before[i] = count;
      count += !isnan (self->values[i]);
    }
  self->finite_before[n] = count;

  self->top_level = BASE_LEVEL - 1;
  while ((n >> (self->top_level + 1)) > 0)
    self->top_level++;
  if (self->top_level >= BASE_LEVEL)
    n_levels = self->top_level - BASE_LEVEL + 1;
  self->levels = g_new0 (Node *, n_levels + 1);

  for (guint k = BASE_LEVEL; k <= self->top_level; k++)
    {
      gsize n_nodes = n >> k;
      Node *level = g_new (Node, n_nodes);

      if (k == BASE_LEVEL)
        {
          for (gsize b = 0; b < n_nodes; b++)
            {
              const double *v = self->values + (b << BASE_LEVEL);
              Node node = { INFINITY, -INFINITY, 0 };

              for (guint j = 0; j < (1u << BASE_LEVEL); j++)
                {
                  /* Comparisons with NAN are false, so gaps never win. */
                  if (v[j] < node.min)
                    node.min = v[j];
                  if (v[j] > node.max)
                    node.max = v[j];
                  if (!isnan (v[j]))
                    node.sum += v[j];
                }
              level[b] = node;
            }
        }
      else
        {
          const Node *below = self->levels[k - 1 - BASE_LEVEL];

          for (gsize b = 0; b < n_nodes; b++)
            {
              const Node *l = &below[2 * b], *r = &below[2 * b + 1];

              level[b].min = MIN (l->min, r->min);
              level[b].max = MAX (l->max, r->max);
              level[b].sum = l->sum + r->sum;
            }
        }
      self->levels[k - BASE_LEVEL] = level;
    }
}

/**
 * digithek_series_new_reordered:
 * @values: (array length=n_values): the values; NAN (or any non-finite value) is missing
 * @rows: (nullable) (array length=n_values): the source index of each value, or %NULL
 *   to take @values in order
 * @n_values: number of values (at most G_MAXUINT32)
 *
 * Copies the values and builds the pyramid, in O(n).
 *
 * Returns: (transfer full): a new series
 */
DigithekSeries *
digithek_series_new_reordered (const double *values,
                               const gsize  *rows,
                               gsize         n_values)
{
  DigithekSeries *self;

  g_return_val_if_fail (values != NULL || n_values == 0, NULL);
  g_return_val_if_fail (n_values <= G_MAXUINT32, NULL);

  self = g_new0 (DigithekSeries, 1);
  self->n_values = n_values;
  self->values = g_new (double, MAX (n_values, 1));
  for (gsize i = 0; i < n_values; i++)
    {
      double v = values[rows ? rows[i] : i];

      self->values[i] = isfinite (v) ? v : NAN;
    }
  build (self);

  return self;
}

/**
 * digithek_series_new:
 * @values: (array length=n_values): the values; NAN (or any non-finite value) is missing
 * @n_values: number of values (at most G_MAXUINT32)
 *
 * Returns: (transfer full): a new series holding a copy of @values
 */
DigithekSeries *
digithek_series_new (const double *values,
                     gsize         n_values)
{
  return digithek_series_new_reordered (values, NULL, n_values);
}

void
digithek_series_free (DigithekSeries *self)
{
  if (self == NULL)
    return;

  if (self->levels != NULL)
    for (guint i = 0; self->levels[i] != NULL; i++)
      g_free (self->levels[i]);
  g_free (self->levels);
  g_free (self->finite_before);
  g_free (self->values);
  g_free (self);
}

gsize
digithek_series_get_length (const DigithekSeries *self)
{
  return self->n_values;
}

double
digithek_series_get_value (const DigithekSeries *self,
                           gsize                 index)
{
  g_return_val_if_fail (index < self->n_values, NAN);

  return self->values[index];
}

static guint
floor_log2 (gsize v)
{
  return (guint) (sizeof (gsize) * 8 - 1) - (guint) __builtin_clzl (v);
}

void
digithek_series_get_stats (const DigithekSeries *self,
                           gsize                 start,
                           gsize                 end,
                           DigithekSeriesStats  *out_stats)
{
  double min = INFINITY, max = -INFINITY, sum = 0;

  end = MIN (end, self->n_values);
  out_stats->n_values = digithek_series_count_values (self, start, end);

  while (start < end)
    {
      /* The largest bucket that starts at @start (aligned) and ends before @end. */
      guint k = floor_log2 (end - start);

      if (start != 0)
        k = MIN (k, (guint) __builtin_ctzl (start));

      if (k < BASE_LEVEL)
        {
          double v = self->values[start];

          if (v < min)
            min = v;
          if (v > max)
            max = v;
          if (!isnan (v))
            sum += v;
          start++;
        }
      else
        {
          const Node *node;

          k = MIN (k, self->top_level);
          node = &self->levels[k - BASE_LEVEL][start >> k];
          min = MIN (min, node->min);
          max = MAX (max, node->max);
          sum += node->sum;
          start += (gsize) 1 << k;
        }
    }

  out_stats->min = min;
  out_stats->max = max;
  out_stats->sum = sum;
}

gsize
digithek_series_count_values (const DigithekSeries *self,
                              gsize                 start,
                              gsize                 end)
{
  end = MIN (end, self->n_values);
  if (start >= end)
    return 0;

  return self->finite_before[end] - self->finite_before[start];
}

/* The index in [start, end) of the finite value with the given rank (0 = the first
 * finite value of the whole series), found by bisecting the prefix counts. */
static gsize
find_rank (const DigithekSeries *self,
           gsize                 start,
           gsize                 end,
           guint32               rank)
{
  gsize lo = start, hi = end - 1;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (self->finite_before[mid + 1] > rank)
        hi = mid;
      else
        lo = mid + 1;
    }

  return lo;
}

gssize
digithek_series_first_value (const DigithekSeries *self,
                             gsize                 start,
                             gsize                 end)
{
  end = MIN (end, self->n_values);
  if (digithek_series_count_values (self, start, end) == 0)
    return -1;

  return (gssize) find_rank (self, start, end, self->finite_before[start]);
}

gssize
digithek_series_last_value (const DigithekSeries *self,
                            gsize                 start,
                            gsize                 end)
{
  end = MIN (end, self->n_values);
  if (digithek_series_count_values (self, start, end) == 0)
    return -1;

  return (gssize) find_rank (self, start, end, self->finite_before[end] - 1);
}

gint64
digithek_series_column_for_x (double x,
                              double x_min,
                              double x_max,
                              guint  n_columns)
{
  double c = floor ((x - x_min) / (x_max - x_min) * n_columns);

  /* Clamping before the cast keeps far-away values (and NAN) defined; it does not
   * break monotonicity. */
  if (!(c >= -1))
    c = -1;
  if (c > n_columns)
    c = n_columns;
  if (x <= x_max && c > n_columns - 1.0)
    c = n_columns - 1.0;

  return (gint64) c;
}

gsize
digithek_series_lower_bound (const double *x,
                             gsize         n,
                             double        value)
{
  gsize lo = 0, hi = n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (x[mid] < value)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

void
digithek_series_column_bounds (const double *x,
                               gsize         n,
                               double        x_min,
                               double        x_max,
                               guint         n_columns,
                               gsize        *out_bounds)
{
  gsize lo = 0;

  g_return_if_fail (n_columns > 0);
  g_return_if_fail (x_max > x_min);

  /* bounds[c]: the first index whose column is c or later; the same column formula as
   * digithek_series_column_for_x(), so no value lands in a neighbouring column through
   * rounding. */
  for (guint c = 0; c <= n_columns; c++)
    {
      gsize hi = n;

      while (lo < hi)
        {
          gsize mid = lo + (hi - lo) / 2;

          if (digithek_series_column_for_x (x[mid], x_min, x_max, n_columns) < (gint64) c)
            lo = mid + 1;
          else
            hi = mid;
        }
      out_bounds[c] = lo;
    }
}

void
digithek_series_decimate (const DigithekSeries *self,
                          const gsize          *bounds,
                          guint                 n_columns,
                          DigithekSeriesColumn *out_columns)
{
  for (guint c = 0; c < n_columns; c++)
    {
      DigithekSeriesColumn *col = &out_columns[c];
      gsize start = MIN (bounds[c], self->n_values);
      gsize end = MIN (bounds[c + 1], self->n_values);
      DigithekSeriesStats stats;

      if (start >= end)
        {
          *col = (DigithekSeriesColumn) { 0, NAN, NAN, NAN, NAN, 0, 0, FALSE };
          continue;
        }

      digithek_series_get_stats (self, start, end, &stats);
      col->n_values = stats.n_values;
      col->has_missing = stats.n_values < end - start;
      if (stats.n_values == 0)
        {
          col->min = col->max = col->first = col->last = NAN;
          col->first_index = col->last_index = start;
          continue;
        }

      col->min = stats.min;
      col->max = stats.max;
      if (stats.n_values == end - start)
        {
          /* No gap in the column: the ends are the first and last values. */
          col->first_index = start;
          col->last_index = end - 1;
        }
      else
        {
          col->first_index = find_rank (self, start, end, self->finite_before[start]);
          col->last_index = find_rank (self, start, end, self->finite_before[end] - 1);
        }
      col->first = self->values[col->first_index];
      col->last = self->values[col->last_index];
    }
}
