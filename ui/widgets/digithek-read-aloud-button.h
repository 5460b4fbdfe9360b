/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Returns: (transfer full) (nullable): the plain text to read, in the view's language. */
typedef char *(*DigithekReadAloudTextFunc) (gpointer user_data);

#define DIGITHEK_TYPE_READ_ALOUD_BUTTON (digithek_read_aloud_button_get_type ())
G_DECLARE_FINAL_TYPE (DigithekReadAloudButton, digithek_read_aloud_button, DIGITHEK, READ_ALOUD_BUTTON, GtkButton)

/*
 * "Vorlesen" / "Read aloud", "Stop" while it reads. A tap activates the window's
 * "view.read-aloud" action with the text its view provides and its language (a tap on
 * "Stop": "view.stop-read-aloud"); the window's one speech engine reads. The button
 * shows "Stop" until the window's boolean "reading-aloud" property next changes
 * (reading ended, stopped, or another text started). It never includes the window.
 */
GtkWidget *digithek_read_aloud_button_new           (void);
/* @func gives the text when the button is tapped; @user_data is not referenced (the
 * view owning the button passes itself). */
void       digithek_read_aloud_button_set_text_func (DigithekReadAloudButton   *self,
                                                     DigithekReadAloudTextFunc  func,
                                                     gpointer                   user_data);
/* The content language the text is in ("de", "en", "de-x-easy"…). */
void       digithek_read_aloud_button_set_language  (DigithekReadAloudButton   *self,
                                                     const char                *language);
const char *digithek_read_aloud_button_get_language (DigithekReadAloudButton   *self);
/* (transfer full) (nullable): the text a tap would read now. */
char      *digithek_read_aloud_button_get_text      (DigithekReadAloudButton   *self);
/* Shows "Stop" (@active, until the window's "reading-aloud" next changes) or
 * "Read aloud". */
void       digithek_read_aloud_button_set_active    (DigithekReadAloudButton   *self,
                                                     gboolean                   active);
gboolean   digithek_read_aloud_button_get_active    (DigithekReadAloudButton   *self);

G_END_DECLS
