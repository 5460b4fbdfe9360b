/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "digithek-admin-view.h"
#include "digithek-clock.h"
#include "digithek-pin.h"
#include "digithek-pin-pad.h"
#include "digithek-staff-entry.h"
#include "digithek-window.h"

G_BEGIN_DECLS

/* The window's staff admin (digithek-window-staff.c): the hidden corner opens the PIN
 * pad, the right PIN the admin view. */

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

G_END_DECLS
