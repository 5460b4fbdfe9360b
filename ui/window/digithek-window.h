/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-handoff.h"
#include "digithek-language-switch.h"
#include "digithek-store.h"

G_BEGIN_DECLS

/*
 * DigithekWindow: the kiosk's one window. This header holds the window and its
 * navigation; the rest of its API, by concern as its .c files:
 * digithek-window-session.h (idle reset, attract loop, guided tours, PIN requests),
 * digithek-window-staff.h (the hidden corner, PIN pad and admin view) and
 * digithek-window-a11y.h (text size, contrast, read-aloud). Including this header
 * includes them.
 */

#define DIGITHEK_TYPE_WINDOW (digithek_window_get_type ())
G_DECLARE_FINAL_TYPE (DigithekWindow, digithek_window, DIGITHEK, WINDOW, AdwApplicationWindow)

DigithekWindow *digithek_window_new              (AdwApplication  *application);

/* --kiosk: fullscreen without window buttons, locked down (see DigithekLockdown). */
void            digithek_window_set_kiosk_mode   (DigithekWindow  *self,
                                                  gboolean         kiosk_mode);
/**
 * digithek_window_present_when_ready:
 * @max_wait_ms: how long a start may take before the loading page shows
 *
 * Presents the window as soon as it shows something other than the loading page, or
 * after @max_wait_ms. A store that opens quickly so goes straight to the home view:
 * the first frame a citizen sees is home, not a spinner replaced a moment later.
 */
void            digithek_window_present_when_ready (DigithekWindow *self,
                                                    guint           max_wait_ms);
/* Shows a spinner while the store opens or the demo packs import. */
void            digithek_window_show_loading     (DigithekWindow  *self);
/* The friendly out-of-service screen; @reason is for staff and shown small. */
void            digithek_window_show_out_of_service (DigithekWindow *self,
                                                     const char     *reason);

/* (nullable): where the views read items, datasets and assets. */
void            digithek_window_set_store        (DigithekWindow  *self,
                                                  DigithekStore   *store);
DigithekStore  *digithek_window_get_store        (DigithekWindow  *self);

/* The language of the content and of the UI strings ("de", "en", "de-x-easy"…);
 * default "de". Changing it (also through the bar's language switch) re-renders the
 * window's texts at once and opens the item shown again in the new language at the
 * same step or stop; the caller lists the home items again with
 * digithek_window_show_home() on notify::language. */
void            digithek_window_set_language     (DigithekWindow  *self,
                                                  const char      *language);
const char     *digithek_window_get_language     (DigithekWindow  *self);

/**
 * digithek_window_show_home:
 * @items: (element-type DigithekStoreItemInfo): the store's items in the window's
 *   language, as digithek_store_list_items_finish() returns them; kept by reference,
 *   so the array must not change after
 *
 * Replaces the home view's tiles. The window switches to them when it shows no item
 * (a citizen in an item keeps it until they go home).
 */
void            digithek_window_show_home        (DigithekWindow  *self,
                                                  GPtrArray       *items);

/**
 * digithek_window_open_item:
 * @id: "PACK/ITEM"
 *
 * Opens the item in its view (dataset, explainer, guide or tour) once the store has
 * returned it; the view shown before goes onto the back stack. An unknown item leaves
 * the view as it is and shows a short notice.
 *
 * Returns: %FALSE when @id is not of the form PACK/ITEM (nothing happens)
 */
gboolean        digithek_window_open_item        (DigithekWindow  *self,
                                                  const char      *id);
/* Back to the view before (home when the back stack is empty). */
void            digithek_window_go_back          (DigithekWindow  *self);
/* Home: clears the back stack and emits #DigithekWindow::session-boundary. */
void            digithek_window_go_home          (DigithekWindow  *self);
/* A guide's next or previous step, a tour's next or previous stop; elsewhere nothing.
 * Returns: %TRUE when something moved. */
gboolean        digithek_window_next             (DigithekWindow  *self);
gboolean        digithek_window_previous         (DigithekWindow  *self);

/* What a citizen sees now: "loading", "out-of-service", "empty", "home", "search",
 * "item:PACK/ITEM" or "tour:PACK/ITEM"; staff: "pin" or "admin". Notified as #DigithekWindow:view. */
const char     *digithek_window_get_view         (DigithekWindow  *self);
/* (nullable) (transfer none): the view of the item shown (a DigithekDatasetView,
 * DigithekExplainerView, DigithekGuideView or DigithekTourView). */
GtkWidget      *digithek_window_get_item_view    (DigithekWindow  *self);
/* How many views "back" would go through before home. */
guint           digithek_window_get_back_depth   (DigithekWindow  *self);
/**
 * digithek_window_set_handoff:
 * @handoff: (nullable): the kiosk's running phone page server, or %NULL
 * @prefer_local: %TRUE when the config says `handoff = local`
 *
 * Where the "continue on your phone" codes of the item views point (see
 * digithek_handoff_url_for_item()). Without a call: the items' web URLs only.
 */
void            digithek_window_set_handoff      (DigithekWindow  *self,
                                                  DigithekHandoff *handoff,
                                                  gboolean         prefer_local);
/* (nullable): the address of the link whose code the window shows over everything
 * (`view.show-link`), or %NULL while none is shown. Back, home, opening an item,
 * Escape, the Close button and a tap outside close it. */
const char     *digithek_window_get_link_url     (DigithekWindow  *self);
/* %TRUE while an item opens or anything in the view shown still loads. */
gboolean        digithek_window_get_busy         (DigithekWindow  *self);

/* (transfer none): the language buttons in the bar; they set #DigithekWindow:language,
 * which is also the UI language (see digithek_i18n_set_language()). */
DigithekLanguageSwitch *digithek_window_get_language_switch (DigithekWindow *self);

/* ---- search ---- */
/* Opens the search view with @text (nullable: keeps the field's text) and its results;
 * the view before goes onto the back stack. See digithek-window.c. */
void            digithek_window_search           (DigithekWindow  *self,
                                                  const char      *text);
/* (transfer none): the window's DigithekSearchView. */
GtkWidget      *digithek_window_get_search_view  (DigithekWindow  *self);

G_END_DECLS

/* The rest of the window's API, by concern. */
#include "digithek-window-session.h"
#include "digithek-window-staff.h"
#include "digithek-window-a11y.h"
