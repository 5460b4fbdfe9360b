/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "digithek-lockdown.h"
#include "digithek-session.h"
#include "digithek-window.h"

G_BEGIN_DECLS

/* The window's session (digithek-window-session.c): lockdown, idle warning and reset,
 * attract loop, guided tours. */

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

G_END_DECLS
