/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "digithek-clock.h"

G_BEGIN_DECLS

/*
 * The hidden way in for staff: press and hold the top-left corner of a widget (the
 * window) for DIGITHEK_STAFF_ENTRY_HOLD_SECONDS, then "activated" is emitted.
 *
 * The corner is a DIGITHEK_STAFF_ENTRY_SIZE square target with nothing drawn. It is not
 * a widget laid over the window, because that would swallow taps on what lies beneath
 * (the Back button): a gesture in the capture phase watches the corner and lets every
 * press through, until the hold completes; only then does it claim the touch, so the
 * button under the finger is not clicked too.
 *
 * The hold is timed on a #DigithekClock, so tests hold with a fake clock; they press and
 * release through digithek_staff_entry_press() and digithek_staff_entry_release(), the
 * functions the gesture calls.
 */
#define DIGITHEK_STAFF_ENTRY_SIZE          80  /* px */
#define DIGITHEK_STAFF_ENTRY_HOLD_SECONDS  5

#define DIGITHEK_TYPE_STAFF_ENTRY (digithek_staff_entry_get_type ())
G_DECLARE_FINAL_TYPE (DigithekStaffEntry, digithek_staff_entry, DIGITHEK, STAFF_ENTRY, GObject)

/**
 * digithek_staff_entry_new:
 * @widget: where the corner is (its top-left)
 * @clock: (nullable): times the hold; %NULL for the real clock
 *
 * Returns: (transfer full): the entry; it stays attached to @widget while it lives
 */
DigithekStaffEntry *digithek_staff_entry_new     (GtkWidget          *widget,
                                                  DigithekClock      *clock);
void                digithek_staff_entry_set_clock (DigithekStaffEntry *self,
                                                    DigithekClock      *clock);
/* A touch went down at (@x, @y) in the widget's coordinates; outside the corner it is
 * ignored. Returns: %TRUE when a hold started. */
gboolean            digithek_staff_entry_press   (DigithekStaffEntry *self,
                                                  double              x,
                                                  double              y);
/* The touch lifted (or was taken by another gesture): a hold not yet complete ends. */
void                digithek_staff_entry_release (DigithekStaffEntry *self);
/* %TRUE while a hold is running. */
gboolean            digithek_staff_entry_get_holding (DigithekStaffEntry *self);

/* Signal "activated": a hold lasted DIGITHEK_STAFF_ENTRY_HOLD_SECONDS. */

G_END_DECLS
