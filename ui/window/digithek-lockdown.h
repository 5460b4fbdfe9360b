/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * DigithekLockdown: what `--kiosk` does to a window so that a stranger at the touchscreen
 * can only use the kiosk, never leave it. The one part of the policy layer that touches
 * GTK (it lives with the window in ui/window/; the key policy, which needs no widgets,
 * is kiosk/digithek-key-policy.c): it watches a GtkWindow and
 *
 * - keeps it fullscreen, undecorated and not deletable, re-fullscreening and
 *   re-presenting it when a window manager takes fullscreen away or minimizes it;
 * - refuses every close request (Alt+F4, the window manager's Close);
 * - swallows, in the capture phase before any widget sees them, every key combination
 *   that could quit, close, open, save, print, open the inspector or a menu, or reach
 *   the window manager (see digithek_key_policy_is_blocked());
 * - swallows right clicks and disables touch long-press on text fields, so that no
 *   context menu opens;
 * - hides the pointer while a touchscreen is used and shows it again on real mouse
 *   motion.
 *
 * The GTK inspector is kept shut by digithek_lockdown_prepare_environment() (before GTK
 * initialises) and digithek_lockdown_disable_inspector() (after).
 */

#define DIGITHEK_TYPE_LOCKDOWN (digithek_lockdown_get_type ())
G_DECLARE_FINAL_TYPE (DigithekLockdown, digithek_lockdown, DIGITHEK, LOCKDOWN, GObject)

/**
 * digithek_lockdown_new:
 * @window: the kiosk's window; the lockdown holds it weakly and ends with it
 *
 * Locks @window down at once (fullscreen included).
 *
 * Returns: (transfer full): the lockdown; keep it as long as the window (disposing it
 *   unlocks the window)
 */
DigithekLockdown *digithek_lockdown_new (GtkWindow *window);

/* The window it locks, or %NULL once the window is gone. */
GtkWindow        *digithek_lockdown_get_window (DigithekLockdown *self);

/* How many key presses and right clicks it swallowed (for tests and debugging). */
guint             digithek_lockdown_get_n_blocked (DigithekLockdown *self);

/* Removes GTK_DEBUG (which can open the inspector) from the environment. Call it before
 * GTK initialises, while the process has one thread. */
void              digithek_lockdown_prepare_environment (void);

/* Turns interactive debugging (the inspector) off after GTK initialised. */
void              digithek_lockdown_disable_inspector (void);

G_END_DECLS
