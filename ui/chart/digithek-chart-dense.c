/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "digithek-format.h"
#include "digithek-i18n.h"
#include "digithek-series.h"
#include "digithek-chart-private.h"

/* ---- dense series: one antialiased vertical span per pixel column ----
 *
 * With more values than pixel columns a line chart is, column by column, a vertical
 * span from the column's minimum to its maximum (widened by the line width), joined to
 * its neighbours. Cairo's general scan converter costs scanlines × crossing edges, which
 * a zig-zag of a million points makes enormous; writing the spans into an A8 mask and
 * compositing it once costs only the pixels covered. */

void
_digithek_chart_spans_reset (DigithekChart *self,
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

void
_digithek_chart_span_extend (DigithekChart *self,
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
        _digithek_chart_span_extend (self, first, y0, y1);
      return;
    }

  for (gint64 c = MAX (first, 0); c <= MIN (last, (gint64) n_columns - 1); c++)
    {
      double xa = MAX (x0, (double) c), xb = MIN (x1, (double) c + 1);
      double ya = y0 + (y1 - y0) * (xa - x0) / (x1 - x0);
      double yb = y0 + (y1 - y0) * (xb - x0) / (x1 - x0);

      _digithek_chart_span_extend (self, c, ya, yb);
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
void
_digithek_chart_spans_paint (DigithekChart *self,
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

void
_digithek_chart_draw_line_dense (DigithekChart        *self,
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

  _digithek_chart_spans_reset (self, n_columns);

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

      _digithek_chart_span_extend (self, c, ROW_Y (col->max), ROW_Y (col->min));
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

  _digithek_chart_spans_paint (self, cr, n_columns, plot->left, top, mask_height, LINE_WIDTH / 2, colour, TRUE);
}
