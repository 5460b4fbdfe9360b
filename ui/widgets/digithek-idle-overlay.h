/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The full-screen "Sind Sie noch da? / Are you still there?" warning before an idle
 * reset, in both languages at once (the next citizen may speak either), with the
 * seconds left and a big Continue button that emits DigithekIdleOverlay::continue.
 */

#define DIGITHEK_TYPE_IDLE_OVERLAY (digithek_idle_overlay_get_type ())
G_DECLARE_FINAL_TYPE (DigithekIdleOverlay, digithek_idle_overlay, DIGITHEK, IDLE_OVERLAY, AdwBin)

GtkWidget *digithek_idle_overlay_new              (void);
/* The countdown shown: "15", "14", … */
void       digithek_idle_overlay_set_seconds_left (DigithekIdleOverlay *self,
                                                   guint                seconds);
guint      digithek_idle_overlay_get_seconds_left (DigithekIdleOverlay *self);
/* The countdown label's text, for tests. */
const char *digithek_idle_overlay_get_countdown_text (DigithekIdleOverlay *self);

G_END_DECLS
