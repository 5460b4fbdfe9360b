/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "digithek-window.h"

G_BEGIN_DECLS

/* The window's text size, high contrast and read-aloud (digithek-window-a11y.c). */

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
