/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "digithek-chart.h"
#include "digithek-data-table.h"
#include "digithek-handoff.h"
#include "digithek-qr-card.h"
#include "digithek-store.h"

G_BEGIN_DECLS

#define DIGITHEK_TYPE_DATASET_VIEW (digithek_dataset_view_get_type ())
G_DECLARE_FINAL_TYPE (DigithekDatasetView, digithek_dataset_view, DIGITHEK, DATASET_VIEW, AdwBin)

/**
 * digithek_dataset_view_new:
 * @store: where the rows come from
 * @item: a dataset item from digithek_store_get_item_finish(); copied from
 * @manifest: (nullable): @item's manifest, parsed (digithek_json_parse_object())
 *
 * The chart of @item's series with its title, summary, freshness, source and licence,
 * in @item's language. The rows load from @store afterwards (see #DigithekDatasetView:loading).
 */
GtkWidget     *digithek_dataset_view_new         (DigithekStore       *store,
                                                  DigithekStoreItem   *item,
                                                  JsonObject          *manifest);
/* %TRUE until the rows are in the chart (or failed to load). */
gboolean       digithek_dataset_view_get_loading (DigithekDatasetView *self);
DigithekChart *digithek_dataset_view_get_chart   (DigithekDatasetView *self);
/* The line under the chart: "Quelle: … · Lizenz: …". */
const char    *digithek_dataset_view_get_source_text (DigithekDatasetView *self);
/* Where the "continue on your phone" code points: see
 * digithek_explainer_view_set_handoff(). */
void           digithek_dataset_view_set_handoff (DigithekDatasetView *self,
                                                  DigithekHandoff     *handoff,
                                                  gboolean             prefer_local);
DigithekQrCard *digithek_dataset_view_get_qr_card (DigithekDatasetView *self);

/* ---- a11y ---- */
/* (transfer full): what "Read aloud" reads: title, summary and the chart's summary. */
char              *digithek_dataset_view_get_read_aloud_text   (DigithekDatasetView *self);
/* The data table instead of the chart ("Tabelle" / "Table"). */
gboolean           digithek_dataset_view_get_table_shown       (DigithekDatasetView *self);
void               digithek_dataset_view_set_table_shown       (DigithekDatasetView *self,
                                                                gboolean             shown);
DigithekDataTable *digithek_dataset_view_get_data_table        (DigithekDatasetView *self);
GtkWidget         *digithek_dataset_view_get_read_aloud_button (DigithekDatasetView *self);

G_END_DECLS
