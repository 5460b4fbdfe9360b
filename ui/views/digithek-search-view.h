/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-store.h"

G_BEGIN_DECLS

#define DIGITHEK_TYPE_SEARCH_VIEW (digithek_search_view_get_type ())
G_DECLARE_FINAL_TYPE (DigithekSearchView, digithek_search_view, DIGITHEK, SEARCH_VIEW, AdwBin)

/* Most results shown for one query. */
#define DIGITHEK_SEARCH_VIEW_LIMIT 60

GtkWidget     *digithek_search_view_new          (void);

/* (nullable): the store searched. */
void           digithek_search_view_set_store    (DigithekSearchView *self,
                                                  DigithekStore      *store);
DigithekStore *digithek_search_view_get_store    (DigithekSearchView *self);

/* The language searched and shown ("de", "en", "de-x-easy"…), which also picks the
 * keyboard's layout; re-renders the words and runs the query again. Default "de". */
void           digithek_search_view_set_language (DigithekSearchView *self,
                                                  const char         *language);
const char    *digithek_search_view_get_language (DigithekSearchView *self);

/* Puts @text in the search field (as if typed) and searches it at once. */
void           digithek_search_view_set_query    (DigithekSearchView *self,
                                                  const char         *text);
const char    *digithek_search_view_get_query    (DigithekSearchView *self);

/* Empties the field and the results and hides the keyboard: the session reset. Nothing
 * typed is kept anywhere. */
void           digithek_search_view_clear        (DigithekSearchView *self);

/* Gives the search field the focus, which shows the keyboard. */
void           digithek_search_view_focus_entry  (DigithekSearchView *self);

/* What the view shows below the field: "empty" (nothing typed), "no-results" or
 * "results". Notified as #DigithekSearchView:state when a search completes. */
const char    *digithek_search_view_get_state    (DigithekSearchView *self);
/* How many result buttons are shown. */
guint          digithek_search_view_get_n_results (DigithekSearchView *self);
/* %TRUE while a search runs. */
gboolean       digithek_search_view_get_busy     (DigithekSearchView *self);

/* (transfer none): the search field and the on-screen keyboard, for tests. */
GtkWidget     *digithek_search_view_get_entry    (DigithekSearchView *self);
GtkWidget     *digithek_search_view_get_keyboard (DigithekSearchView *self);

G_END_DECLS
