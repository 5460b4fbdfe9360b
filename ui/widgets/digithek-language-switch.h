/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DIGITHEK_TYPE_LANGUAGE_SWITCH (digithek_language_switch_get_type ())
G_DECLARE_FINAL_TYPE (DigithekLanguageSwitch, digithek_language_switch, DIGITHEK, LANGUAGE_SWITCH, AdwBin)

/* Big toggle buttons "Deutsch", "English" and "Leichte Sprache" (each name in its own
 * language, never translated); the one of #DigithekLanguageSwitch:language is active,
 * and a tap sets that property. */
GtkWidget  *digithek_language_switch_new             (void);

/* "de", "en", "de-x-easy"… */
const char *digithek_language_switch_get_language    (DigithekLanguageSwitch *self);
void        digithek_language_switch_set_language    (DigithekLanguageSwitch *self,
                                                      const char             *language);

/* Whether "Leichte Sprache" is offered (the content shown has de-x-easy texts). It
 * also shows while it is the language chosen, so a citizen can always see and leave
 * their choice. */
gboolean    digithek_language_switch_get_offer_easy  (DigithekLanguageSwitch *self);
void        digithek_language_switch_set_offer_easy  (DigithekLanguageSwitch *self,
                                                      gboolean                offer_easy);
/* %TRUE when the "Leichte Sprache" button shows. */
gboolean    digithek_language_switch_get_easy_visible (DigithekLanguageSwitch *self);

/* Re-reads the translated texts (the group's accessible name) after a UI language
 * change. */
void        digithek_language_switch_update_texts    (DigithekLanguageSwitch *self);

G_END_DECLS
