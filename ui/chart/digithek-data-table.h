/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "digithek-chart.h"

G_BEGIN_DECLS

/* At most this many rows: a table of a million rows would freeze the kiosk and help
 * nobody; larger ranges show rows picked evenly, and say so. */
#define DIGITHEK_DATA_TABLE_MAX_ROWS 500

#define DIGITHEK_TYPE_DATA_TABLE (digithek_data_table_get_type ())
G_DECLARE_FINAL_TYPE (DigithekDataTable, digithek_data_table, DIGITHEK, DATA_TABLE, GtkWidget)

/*
 * A chart's data as a table, for those who cannot read the chart: the x (date and time,
 * year or category) and each series, over the chart's visible range, formatted for the
 * chart's language. It scrolls by itself.
 */
GtkWidget *digithek_data_table_new          (void);
/* Fills the table from @chart's visible range in @language ("de", "en"…). */
void       digithek_data_table_fill         (DigithekDataTable *self,
                                             DigithekChart     *chart,
                                             const char        *language);
/* Rows shown (without the header) and rows in the visible range. */
guint      digithek_data_table_get_n_rows   (DigithekDataTable *self);
gsize      digithek_data_table_get_n_range_rows (DigithekDataTable *self);
/* (nullable): the text of a cell, row 0 being the header; for tests. */
const char *digithek_data_table_get_cell    (DigithekDataTable *self,
                                             guint              row,
                                             guint              column);

G_END_DECLS
