/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "digithek-store.h"

G_BEGIN_DECLS

/**
 * DigithekTourViewFunc:
 * @store: the tour's store
 * @item: the stop's item, in the tour's language
 * @user_data: the data given with the function
 *
 * Creates the view of one stop (the same views the window shows for the item).
 *
 * Returns: (transfer floating): the view
 */
typedef GtkWidget *(*DigithekTourViewFunc) (DigithekStore     *store,
                                            DigithekStoreItem *item,
                                            gpointer           user_data);

#define DIGITHEK_TYPE_TOUR_VIEW (digithek_tour_view_get_type ())
G_DECLARE_FINAL_TYPE (DigithekTourView, digithek_tour_view, DIGITHEK, TOUR_VIEW, AdwBin)

/**
 * digithek_tour_view_new:
 * @store: where the stops come from
 * @item: a tour item from digithek_store_get_item_finish(); copied from
 * @manifest: (nullable): @item's manifest, parsed (digithek_json_parse_object())
 * @view_func: (scope call): makes each stop's view; called while the tour view lives
 *
 * A tour through @item's stops in order (`item` in the tour's pack or `pack/item`),
 * showing each stop's view with Next and Back between stops and "Station 2 von 6".
 * It starts at the first stop, which loads from @store afterwards.
 */
GtkWidget  *digithek_tour_view_new               (DigithekStore        *store,
                                                  DigithekStoreItem    *item,
                                                  JsonObject           *manifest,
                                                  DigithekTourViewFunc  view_func,
                                                  gpointer              user_data);
/* %TRUE while the stop shown, or anything in its view, is loading. */
gboolean    digithek_tour_view_get_loading       (DigithekTourView     *self);
guint       digithek_tour_view_get_n_stops       (DigithekTourView     *self);
/* The stop shown, counting from 0. */
guint       digithek_tour_view_get_stop          (DigithekTourView     *self);
/* "PACK/ITEM" of stop @index, or %NULL beyond the last. */
const char *digithek_tour_view_get_stop_id       (DigithekTourView     *self,
                                                  guint                 index);
/* Shows stop @index, clamped to the stops there are. */
void        digithek_tour_view_set_stop          (DigithekTourView     *self,
                                                  guint                 index);
/* Returns: %TRUE when there was a next (previous) stop to go to. */
gboolean    digithek_tour_view_next              (DigithekTourView     *self);
gboolean    digithek_tour_view_previous          (DigithekTourView     *self);
/* "Station 2 von 6" or "Stop 2 of 6", in the tour's language. */
const char *digithek_tour_view_get_progress_text (DigithekTourView     *self);
/* (nullable) (transfer none): the view of the stop shown, once it loaded. */
GtkWidget  *digithek_tour_view_get_stop_view     (DigithekTourView     *self);

G_END_DECLS
