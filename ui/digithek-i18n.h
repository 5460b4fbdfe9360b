/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * digithek_i18n_init:
 *
 * Binds the "digithek" text domain to the installed catalogs, or to the build tree's
 * when none is installed (so `build/app/digithek` speaks German uninstalled), in
 * UTF-8, and forgets $LANGUAGE: the kiosk's own language switch decides. Call it once,
 * early in main(), before any thread starts (it changes the environment); later calls
 * do nothing.
 */
void        digithek_i18n_init          (void);

/**
 * digithek_i18n_set_language:
 * @language: (nullable): a content language: "de", "de-x-easy" and any "de-…" give
 *   the German catalog, anything else (and %NULL) English
 *
 * Switches the UI strings of the calling thread (the GTK main thread): `_()` returns
 * the new language's texts from now on, so a view re-rendered afterwards speaks it.
 * Without any German locale installed, one warning names the fix and the strings stay
 * English.
 *
 * Returns: %TRUE when the UI strings are now in @language's catalog
 */
gboolean    digithek_i18n_set_language  (const char *language);

/* "de" or "en": the catalog `_()` uses now on the calling thread. */
const char *digithek_i18n_get_language  (void);

/* %TRUE for "de" and "de-…" ("de-x-easy", "de-AT"). */
gboolean    digithek_i18n_is_german     (const char *language);

/**
 * digithek_i18n_translate:
 * @language: (nullable): as for digithek_i18n_set_language()
 * @msgid: an English message, marked with N_() where it is written
 *
 * @msgid in @language's catalog, whatever the UI language is: for widgets with a
 * language of their own (the keyboard's layout, a chart's summary, a QR card).
 *
 * Returns: (transfer none): the translation, or @msgid
 */
const char *digithek_i18n_translate     (const char *language,
                                         const char *msgid) G_GNUC_FORMAT (2);

G_END_DECLS
