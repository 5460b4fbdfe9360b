/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-data-table.h"

#include "digithek-i18n.h"

struct _DigithekDataTable
{
  GtkWidget       parent_instance;

  GtkWidget      *box;        /* note + scrolled grid */
  GtkLabel       *note;
  GtkWidget      *scrolled;
  GtkGrid        *grid;

  guint           n_rows;
  gsize           n_range_rows;
};

G_DEFINE_FINAL_TYPE (DigithekDataTable, digithek_data_table, GTK_TYPE_WIDGET)

static void
add_cell (DigithekDataTable *self,
          const char        *text,
          guint              row,
          guint              column,
          gboolean           header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, header ? "data-table-header" : "data-table-cell");
  gtk_grid_attach (self->grid, label, (int) column, (int) row, 1, 1);
}

static void
clear (DigithekDataTable *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  self->n_rows = 0;
  self->n_range_rows = 0;
}

/* The table's few words follow the content language it is filled in. */
#define TR(msgid) digithek_i18n_translate (language, msgid)

void
digithek_data_table_fill (DigithekDataTable *self,
                          DigithekChart     *chart,
                          const char        *language)
{
  gsize start, end, n;
  guint n_series, n_shown;
  const char *unit;

  g_return_if_fail (DIGITHEK_IS_DATA_TABLE (self));
  g_return_if_fail (DIGITHEK_IS_CHART (chart));

  clear (self);
  digithek_chart_get_visible_rows (chart, &start, &end);
  n_series = digithek_chart_get_n_series (chart);
  unit = digithek_chart_get_unit (chart);
  n = end > start ? end - start : 0;
  self->n_range_rows = n;

  /* The words follow the content language, as the rest of the dataset view. */
  add_cell (self, TR (N_("Value")), 0, 0, TRUE);
  for (guint s = 0; s < n_series; s++)
    {
      g_autofree char *header = NULL;

      if (unit != NULL && *unit != '\0')
        header = g_strdup_printf ("%s (%s)", digithek_chart_get_series_name (chart, s), unit);
      else
        header = g_strdup (digithek_chart_get_series_name (chart, s));
      add_cell (self, header, 0, s + 1, TRUE);
    }

  n_shown = (guint) MIN (n, DIGITHEK_DATA_TABLE_MAX_ROWS);
  for (guint i = 0; i < n_shown; i++)
    {
      /* Evenly picked, first and last included. */
      gsize position = n_shown < 2 ? start
                                   : start + (gsize) ((double) i * (double) (n - 1) / (double) (n_shown - 1) + 0.5);
      g_autofree char *x = digithek_chart_format_row_x (chart, position);

      add_cell (self, x, i + 1, 0, FALSE);
      for (guint s = 0; s < n_series; s++)
        {
          g_autofree char *value = digithek_chart_format_row_value (chart, s, position);

          add_cell (self, value, i + 1, s + 1, FALSE);
        }
    }
  self->n_rows = n_shown;

  if (n > n_shown)
    {
      g_autofree char *all = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
      g_autofree char *text = NULL;

      /* TRANSLATORS: rows shown of all rows in the visible range */
      text = g_strdup_printf (TR (N_("%u of %s rows, evenly spread. Zoom into the chart to see every row.")),
                              n_shown, all);
      gtk_label_set_label (self->note, text);
      gtk_widget_set_visible (GTK_WIDGET (self->note), TRUE);
    }
  else if (n == 0)
    {
      gtk_label_set_label (self->note, TR (N_("No data.")));
      gtk_widget_set_visible (GTK_WIDGET (self->note), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
}

guint
digithek_data_table_get_n_rows (DigithekDataTable *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DATA_TABLE (self), 0);
  return self->n_rows;
}

gsize
digithek_data_table_get_n_range_rows (DigithekDataTable *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DATA_TABLE (self), 0);
  return self->n_range_rows;
}

const char *
digithek_data_table_get_cell (DigithekDataTable *self,
                              guint              row,
                              guint              column)
{
  GtkWidget *child;

  g_return_val_if_fail (DIGITHEK_IS_DATA_TABLE (self), NULL);

  child = gtk_grid_get_child_at (self->grid, (int) column, (int) row);
  return GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child)) : NULL;
}

static void
digithek_data_table_dispose (GObject *object)
{
  DigithekDataTable *self = DIGITHEK_DATA_TABLE (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (digithek_data_table_parent_class)->dispose (object);
}

static void
digithek_data_table_class_init (DigithekDataTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_data_table_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "datatable");
}

static void
digithek_data_table_init (DigithekDataTable *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->note = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->note, TRUE);
  gtk_label_set_xalign (self->note, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->note), "data-table-note");
  gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->note));

  self->grid = g_object_new (GTK_TYPE_GRID,
                             "accessible-role", GTK_ACCESSIBLE_ROLE_TABLE,
                             "column-spacing", 0,
                             "row-spacing", 0,
                             NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->grid), "data-table");

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->scrolled), 240);
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_widget_add_css_class (self->scrolled, "data-table-frame");
  {
    /* As in the item views: touch needs no scrolling to the focus. */
    GtkWidget *viewport = gtk_viewport_new (NULL, NULL);

    gtk_viewport_set_scroll_to_focus (GTK_VIEWPORT (viewport), FALSE);
    gtk_viewport_set_child (GTK_VIEWPORT (viewport), GTK_WIDGET (self->grid));
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), viewport);
  }
  gtk_box_append (GTK_BOX (self->box), self->scrolled);
}

GtkWidget *
digithek_data_table_new (void)
{
  return g_object_new (DIGITHEK_TYPE_DATA_TABLE, NULL);
}
