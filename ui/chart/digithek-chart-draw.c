/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "digithek-format.h"
#include "digithek-i18n.h"
#include "digithek-series.h"
#include "digithek-chart-private.h"

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

/* ---- drawing ---- */
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

      _digithek_chart_visible_rows (self, &start, &end);
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
      _digithek_chart_spans_reset (self, n_columns);
      for (guint c = 0; c < n_columns; c++)
        {
          const DigithekSeriesColumn *col = &self->columns[c];

          if (col->n_values == 0)
            continue;
          _digithek_chart_span_extend (self, c, plot_y (plot, MAX (col->max, 0)) - plot->top,
                       plot_y (plot, MIN (col->min, 0)) - plot->top);
        }
      /* Unjoined and not widened: bars stand side by side, each in its column. */
      _digithek_chart_spans_paint (self, cr, n_columns, plot->left, plot->top, (int) ceil (plot->height) + 1,
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

  row = _digithek_chart_nearest_row (self, self->readout_x);
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
  header = _digithek_chart_format_x (self, row, TRUE);
  set_font (self, layout, READOUT_SIZE, TRUE);
  pango_layout_set_text (layout, header, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  box_w = w;
  line_h = h + 6;

  set_font (self, layout, READOUT_SIZE, FALSE);
  for (guint s = 0; s < self->series->len; s++)
    {
      ChartSeries *cs = g_ptr_array_index (self->series, s);
      g_autofree char *value = _digithek_chart_format_value (self, digithek_series_get_value (cs->series, row));
      char *line = g_strdup_printf ("%s: %s", cs->name, value);

      box_w = MAX (box_w, _digithek_chart_text_width (layout, line) + 32);
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
      double item_w = 40 + _digithek_chart_text_width (layout, cs->name);

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
  _digithek_chart_visible_rows (self, &start, &end);
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
  y_step = _digithek_chart_nice_step ((y_hi - y_lo) / MAX (2, plot.height / 90));
  plot.y_min = floor (y_lo / y_step) * y_step;
  plot.y_max = ceil (y_hi / y_step) * y_step;
  y_decimals = digithek_format_decimals_for_step (y_step);

  set_font (self, layout, LABEL_SIZE, FALSE);
  y_ticks = _digithek_chart_ticks_new ();
  for (double v = plot.y_min; v <= plot.y_max + y_step * 1e-6 && y_ticks->len < MAX_TICKS; v += y_step)
    {
      char *label = digithek_format_number (self->language, fabs (v) < y_step * 1e-9 ? 0 : v, y_decimals);

      widest = MAX (widest, _digithek_chart_text_width (layout, label));
      _digithek_chart_add_tick (y_ticks, v, label);
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

  xt = _digithek_chart_x_ticks (self, layout, plot.width);
  {
    double last_right = -INFINITY;

    for (guint i = 0; i < xt->len; i++)
      {
        Tick *tick = &g_array_index (xt, Tick, i);
        double px = round (plot_x (self, &plot, tick->x));
        int w = _digithek_chart_text_width (layout, tick->label);
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
            _digithek_chart_draw_line_dense (self, cr, &plot, cs->series, n_columns, colour);
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
