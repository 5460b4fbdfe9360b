/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-chart.h"
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
 *
 * The chart of @item's series with its title, summary, freshness, source and licence,
 * in @item's language. The rows load from @store afterwards (see #DigithekDatasetView:loading).
 */
GtkWidget     *digithek_dataset_view_new         (DigithekStore       *store,
                                                  DigithekStoreItem   *item);
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

G_END_DECLS
