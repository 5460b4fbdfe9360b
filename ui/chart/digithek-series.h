/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * DigithekSeries:
 *
 * One y series of a chart (NAN = missing value) with a min/max pyramid built once, so
 * that the minimum, maximum and sum over any index range cost O(log n) and a frame can
 * be decimated to one exact min/max per pixel column whatever the zoom. Plain C and
 * GLib, no GTK: tested and benchmarked headless.
 */
typedef struct _DigithekSeries DigithekSeries;

/**
 * DigithekSeriesColumn:
 * @n_values: finite values in the column (0: the column is empty)
 * @min: smallest finite value (NAN when empty)
 * @max: largest finite value (NAN when empty)
 * @first: the first finite value in x order (NAN when empty)
 * @last: the last finite value in x order (NAN when empty)
 * @first_index: index of @first
 * @last_index: index of @last
 * @has_missing: a missing value lies inside the column's index range
 *
 * What one pixel column shows of a series.
 */
typedef struct
{
  gsize n_values;
  double min;
  double max;
  double first;
  double last;
  gsize first_index;
  gsize last_index;
  gboolean has_missing;
} DigithekSeriesColumn;

/**
 * DigithekSeriesStats:
 * @n_values: finite values in the range
 * @min: smallest finite value (+INFINITY when none)
 * @max: largest finite value (-INFINITY when none)
 * @sum: sum of the finite values
 */
typedef struct
{
  gsize n_values;
  double min;
  double max;
  double sum;
} DigithekSeriesStats;

DigithekSeries *digithek_series_new            (const double         *values,
                                                gsize                 n_values);
/* The same with values[rows[i]] as its i-th value (a reordering, e.g. by x). */
DigithekSeries *digithek_series_new_reordered  (const double         *values,
                                                const gsize          *rows,
                                                gsize                 n_values);
void            digithek_series_free           (DigithekSeries       *self);
gsize           digithek_series_get_length     (const DigithekSeries *self);
double          digithek_series_get_value      (const DigithekSeries *self,
                                                gsize                 index);

/**
 * digithek_series_get_stats:
 * @start: first index
 * @end: one past the last index (clamped to the length)
 * @out_stats: (out): minimum, maximum, sum and count of the finite values
 *
 * Exact statistics over [@start, @end) from the pyramid, in O(log n).
 */
void            digithek_series_get_stats      (const DigithekSeries *self,
                                                gsize                 start,
                                                gsize                 end,
                                                DigithekSeriesStats  *out_stats);
/* Number of finite values in [@start, @end), O(1). */
gsize           digithek_series_count_values   (const DigithekSeries *self,
                                                gsize                 start,
                                                gsize                 end);
/* Index of the first (last) finite value in [@start, @end), or -1, O(log n). */
gssize          digithek_series_first_value    (const DigithekSeries *self,
                                                gsize                 start,
                                                gsize                 end);
gssize          digithek_series_last_value     (const DigithekSeries *self,
                                                gsize                 start,
                                                gsize                 end);

/**
 * digithek_series_column_for_x:
 * @x: a position
 * @x_min: left edge of the visible range
 * @x_max: right edge of the visible range (greater than @x_min)
 * @n_columns: pixel columns
 *
 * The pixel column showing @x: floor ((@x - @x_min) / (@x_max - @x_min) * @n_columns),
 * with @x_max itself in the last column. Monotonic in @x, which makes the column
 * bounds a binary search.
 *
 * Returns: the column; negative or ≥ @n_columns outside the range
 */
gint64          digithek_series_column_for_x   (double                x,
                                                double                x_min,
                                                double                x_max,
                                                guint                 n_columns);

/**
 * digithek_series_column_bounds:
 * @x: (array length=n): sorted x positions shared by the series
 * @out_bounds: (array): @n_columns + 1 indices; column c holds the indices
 *   [@out_bounds[c], @out_bounds[c + 1])
 *
 * Splits the visible range into pixel columns with one binary search per column.
 */
void            digithek_series_column_bounds  (const double         *x,
                                                gsize                 n,
                                                double                x_min,
                                                double                x_max,
                                                guint                 n_columns,
                                                gsize                *out_bounds);

/**
 * digithek_series_decimate:
 * @bounds: (array): @n_columns + 1 indices from digithek_series_column_bounds()
 * @out_columns: (array): @n_columns columns
 *
 * One exact min/max (and first/last value) per pixel column: each column's index range
 * is covered by the largest aligned pyramid buckets that fit in it, so spikes never
 * vanish and the cost is O(n_columns · log n), independent of the zoom.
 */
void            digithek_series_decimate       (const DigithekSeries *self,
                                                const gsize          *bounds,
                                                guint                 n_columns,
                                                DigithekSeriesColumn *out_columns);

/* Index of the first x ≥ @value in sorted @x (n when none). */
gsize           digithek_series_lower_bound    (const double         *x,
                                                gsize                 n,
                                                double                value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekSeries, digithek_series_free)

G_END_DECLS
