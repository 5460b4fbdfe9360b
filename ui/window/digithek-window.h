/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-admin-view.h"
#include "digithek-handoff.h"
#include "digithek-lockdown.h"
#include "digithek-session.h"
#include "digithek-pin-pad.h"
#include "digithek-staff-entry.h"
#include "digithek-language-switch.h"
#include "digithek-store.h"

G_BEGIN_DECLS

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

/* --- Session: lockdown, idle warning and reset, attract loop, guided tours ------- */

/* (nullable): the lockdown of --kiosk, or %NULL outside kiosk mode. */
DigithekLockdown *digithek_window_get_lockdown (DigithekWindow *self);

/**
 * digithek_window_set_session:
 * @session: (nullable): the idle state machine
 *
 * The window feeds @session every touch, click, key, scroll and pointer motion (in
 * the capture phase, before any widget), and acts on it: the "Sind Sie noch da?"
 * overlay in WARNING, digithek_window_reset_session() on "reset", the attract loop in
 * ATTRACT (where a touch starts a fresh session and reaches nothing else).
 */
void             digithek_window_set_session   (DigithekWindow  *self,
                                                DigithekSession *session);
DigithekSession *digithek_window_get_session   (DigithekWindow  *self);
/* The language a fresh session starts in (the config's `language`); default "de". */
void             digithek_window_set_default_language (DigithekWindow *self,
                                                       const char     *language);
/**
 * digithek_window_reset_session:
 *
 * The privacy reset between two citizens: overlays closed (idle warning, QR code,
 * feedback poll, tour bar), back stack emptied, home at the top of its scroll, default
 * language, clipboard and primary selection emptied; then
 * #DigithekWindow::session-boundary, at which pending content shows.
 */
void             digithek_window_reset_session (DigithekWindow  *self);

/**
 * digithek_window_start_tour:
 * @id: "PACK/ITEM" of a tour
 *
 * A pilot's guided tour: opens the tour, shows the presenter bar and suspends the idle
 * reset (digithek_session_start_tour()). Ask for the staff PIN first where a citizen
 * could start it (digithek_window_request_pin()).
 *
 * Returns: %FALSE when @id is not of the form PACK/ITEM
 */
gboolean         digithek_window_start_tour    (DigithekWindow  *self,
                                                const char      *id);
/* Ends the guided tour: the feedback poll shows, then home. */
void             digithek_window_end_tour      (DigithekWindow  *self);
/* (nullable): "PACK/ITEM" of the guided tour running, also during its poll. */
const char      *digithek_window_get_guided_tour (DigithekWindow *self);

/* Called once with whether the staff PIN was entered correctly. */
typedef void (*DigithekWindowPinCallback) (DigithekWindow *window,
                                           gboolean        granted,
                                           gpointer        user_data);
/* Asks for the staff PIN (the admin's PIN pad) and calls @callback with the outcome. */
typedef void (*DigithekWindowPinFunc)     (DigithekWindow            *window,
                                           DigithekWindowPinCallback  callback,
                                           gpointer                   callback_data,
                                           gpointer                   user_data);
/* Installs what digithek_window_request_pin() asks. Without one, the staff PIN pad of
 * digithek_window_set_pin() asks (each time, even while the admin view is unlocked; the
 * right PIN closes the pad and locks the admin session again, leaving it refuses);
 * without either, every request is refused (a citizen must never start what needs
 * staff). */
void             digithek_window_set_pin_handler (DigithekWindow        *self,
                                                  DigithekWindowPinFunc  func,
                                                  gpointer               user_data);
void             digithek_window_request_pin   (DigithekWindow            *self,
                                                DigithekWindowPinCallback  callback,
                                                gpointer                   user_data);

/* The session's widgets, for tests: a DigithekIdleOverlay, DigithekAttractView,
 * DigithekTourBar and DigithekFeedbackPoll. */
GtkWidget       *digithek_window_get_idle_overlay  (DigithekWindow *self);
GtkWidget       *digithek_window_get_attract_view  (DigithekWindow *self);
GtkWidget       *digithek_window_get_tour_bar      (DigithekWindow *self);
GtkWidget       *digithek_window_get_feedback_poll (DigithekWindow *self);

/* --- staff admin --- */

/**
 * digithek_window_set_pin:
 * @pin: (nullable): the staff PIN policy (from the config's pin_hash); %NULL: the hidden
 *   corner does nothing
 * @clock: (nullable): times the corner's 5 s hold; %NULL keeps the real clock
 *
 * Enables the hidden staff entry (hold the top-left corner for 5 s: the PIN pad, view
 * "pin"; the right PIN: the admin view, view "admin"). Home and Back from either, Lock
 * and the admin auto-lock lock the session and go home.
 */
void                digithek_window_set_pin         (DigithekWindow *self,
                                                     DigithekPin    *pin,
                                                     DigithekClock  *clock);
/* What the corner's hold does: the PIN pad (or the admin view while unlocked). */
void                digithek_window_show_pin_pad    (DigithekWindow *self);
DigithekPinPad     *digithek_window_get_pin_pad     (DigithekWindow *self);
DigithekAdminView  *digithek_window_get_admin_view  (DigithekWindow *self);
DigithekStaffEntry *digithek_window_get_staff_entry (DigithekWindow *self);
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
/* ---- a11y: text size, high contrast and read-aloud ---- */

/* All text at 100, 125 or 150 % (other values round to the nearest), charts and
 * Markdown included; the top bar's "Aa" menu shows and changes the same setting. */
void            digithek_window_set_text_scale    (DigithekWindow *self,
                                                   guint           percent);
guint           digithek_window_get_text_scale    (DigithekWindow *self);
/* Black on white with thick borders and focus rings, and high-contrast chart colours.
 * (libadwaita 1.2's own high contrast follows the system only.) */
void            digithek_window_set_high_contrast (DigithekWindow *self,
                                                   gboolean        high_contrast);
gboolean        digithek_window_get_high_contrast (DigithekWindow *self);
/* Session reset: 100 %, normal contrast, the menu closed. */
void            digithek_window_reset_display     (DigithekWindow *self);
/* (transfer none): the DigithekDisplayMenu in the top bar. */
GtkWidget      *digithek_window_get_display_menu  (DigithekWindow *self);
/**
 * digithek_window_read_aloud:
 * @text: plain text
 * @language: (nullable): its language; %NULL: the window's
 * @source: (nullable): the DigithekReadAloudButton that asked; it shows "Stop" until
 *   the reading ends
 *
 * Reads @text with the window's one speech engine (created on first use), stopping
 * what was read before. No audio device: a short notice, no crash.
 */
void            digithek_window_read_aloud        (DigithekWindow *self,
                                                   const char     *text,
                                                   const char     *language,
                                                   GtkWidget      *source);
/* Stops reading; navigation (open, back, home, next, previous) calls it, and so must
 * a session reset. */
void            digithek_window_stop_read_aloud   (DigithekWindow *self);
gboolean        digithek_window_get_reading_aloud (DigithekWindow *self);

G_END_DECLS
