/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The top bar's layout: its children side by side where they fit, else one below the
 * other. A portrait kiosk (1080 px) or 150 % text must never make the window wider
 * than the screen, so the bar's minimum width is its widest child's, not their sum. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DIGITHEK_TYPE_BAR_LAYOUT (digithek_bar_layout_get_type ())
G_DECLARE_FINAL_TYPE (DigithekBarLayout, digithek_bar_layout, DIGITHEK, BAR_LAYOUT,
                      GtkLayoutManager)

GtkLayoutManager *digithek_bar_layout_new          (void);

G_END_DECLS
