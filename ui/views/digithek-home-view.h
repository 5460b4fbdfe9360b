/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-store.h"

G_BEGIN_DECLS

#define DIGITHEK_TYPE_HOME_VIEW (digithek_home_view_get_type ())
G_DECLARE_FINAL_TYPE (DigithekHomeView, digithek_home_view, DIGITHEK, HOME_VIEW, AdwBin)

/* Tiles built per category at a time; "show more" adds as many again. */
#define DIGITHEK_HOME_VIEW_TILES_PER_PAGE 8

GtkWidget     *digithek_home_view_new          (void);

/* (nullable): where tile images come from. */
void           digithek_home_view_set_store    (DigithekHomeView *self,
                                                DigithekStore    *store);
DigithekStore *digithek_home_view_get_store    (DigithekHomeView *self);

/**
 * digithek_home_view_set_items:
 * @items: (element-type DigithekStoreItemInfo) (transfer none): the items, as the
 *   store lists them; the view keeps a reference, so the array must not change after
 * @language: the language the texts are in; freshness is formatted for it
 *
 * Replaces the tiles. Items are grouped by kind in the order Open data, Smart-city
 * projects, E-government guides, Tours; each tile activates `view.open-item` with
 * "PACK/ITEM". The first tiles of each kind are built at once, the rest when a citizen
 * asks for more; tile images load from the store afterwards.
 *
 * @items may come from digithek_store_list_home_async() with
 * %DIGITHEK_HOME_VIEW_TILES_PER_PAGE per kind: its placeholders count for the "show
 * more" buttons, and the view lists the store in full the first time a citizen asks
 * for more.
 */
void           digithek_home_view_set_items    (DigithekHomeView *self,
                                                GPtrArray        *items,
                                                const char       *language);
guint          digithek_home_view_get_n_items  (DigithekHomeView *self);

/* %TRUE while tile images are still loading. */
gboolean       digithek_home_view_get_loading  (DigithekHomeView *self);

/* Re-reads the headings and "show more" labels in the UI language now (after
 * digithek_i18n_set_language()); the tiles are content and come with set_items(). */
void           digithek_home_view_update_texts (DigithekHomeView *self);

/* The heading home groups items of @kind under ("Open data"…), in the UI language now;
 * search groups its results under the same. */
const char *digithek_home_view_kind_heading (DigithekItemKind kind);

G_END_DECLS
