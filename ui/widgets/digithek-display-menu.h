/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DIGITHEK_TYPE_DISPLAY_MENU (digithek_display_menu_get_type ())
G_DECLARE_FINAL_TYPE (DigithekDisplayMenu, digithek_display_menu, DIGITHEK, DISPLAY_MENU, AdwBin)

/*
 * The "Aa" button of the top bar: a popover with three text sizes (100, 125, 150 %)
 * and a high-contrast switch. It only holds the choice (#DigithekDisplayMenu:text-scale,
 * #DigithekDisplayMenu:high-contrast); the window applies it.
 */
GtkWidget *digithek_display_menu_new               (void);
/* 100, 125 or 150; other values are rounded to the nearest of these. */
void       digithek_display_menu_set_text_scale    (DigithekDisplayMenu *self,
                                                    guint                percent);
guint      digithek_display_menu_get_text_scale    (DigithekDisplayMenu *self);
void       digithek_display_menu_set_high_contrast (DigithekDisplayMenu *self,
                                                    gboolean             high_contrast);
gboolean   digithek_display_menu_get_high_contrast (DigithekDisplayMenu *self);
/* Sets the words (visible and accessible) again in the current gettext language. */
void       digithek_display_menu_relabel           (DigithekDisplayMenu *self);
/* The "Aa" button itself (for tests and focus). */
GtkWidget *digithek_display_menu_get_button        (DigithekDisplayMenu *self);
/* Opens or closes the popover. */
void       digithek_display_menu_set_open          (DigithekDisplayMenu *self,
                                                    gboolean             open);

G_END_DECLS
