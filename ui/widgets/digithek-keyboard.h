/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An on-screen keyboard for the search field: a kiosk has no physical keyboard, and
 * its compositor (cage) provides none. German QWERTZ or English QWERTY, large keys,
 * no input-method learning, no history, no suggestions. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DIGITHEK_TYPE_KEYBOARD (digithek_keyboard_get_type ())

G_DECLARE_FINAL_TYPE (DigithekKeyboard, digithek_keyboard, DIGITHEK, KEYBOARD, GtkWidget)

GtkWidget   *digithek_keyboard_new          (void);
void         digithek_keyboard_set_target   (DigithekKeyboard *self,
                                             GtkEditable      *target);
GtkEditable *digithek_keyboard_get_target   (DigithekKeyboard *self);
void         digithek_keyboard_set_language (DigithekKeyboard *self,
                                             const char       *language);
const char  *digithek_keyboard_get_language (DigithekKeyboard *self);

G_END_DECLS
