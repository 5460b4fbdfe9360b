/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>
#include <libintl.h>
#include <glib/gi18n.h>

#include "digithek-i18n.h"

/* glibc's gettext follows the calling thread's LC_MESSAGES locale (uselocale()), and
 * ignores catalogs (and $LANGUAGE) while that is C or C.UTF-8: German needs a German
 * locale installed. Only LC_MESSAGES changes; numbers and dates are formatted by
 * digithek-format for the content language, never by the C library. */

static gboolean initialized;
static locale_t german_locale;    /* (nullable) created once, kept for the process */
static locale_t english_locale;   /* (nullable) idem */
static gboolean german_missing;   /* tried and warned */
static const char *ui_language = "en";

void
digithek_i18n_init (void)
{
  g_autofree char *installed = NULL;
  const char *dir = LOCALEDIR;

  if (initialized)
    return;
  initialized = TRUE;

  /* An installed catalog wins; uninstalled, the one meson built beside the binary. */
  installed = g_build_filename (LOCALEDIR, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    dir = BUILD_LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* GLib decides once, at its first g_dgettext(), whether libraries translate at all,
   * and says no under C.UTF-8 once the default domain is ours without a catalog for
   * it: asked now, before textdomain(), it says yes, so GTK's and libadwaita's own
   * strings switch with ours. */
  g_dgettext (GETTEXT_PACKAGE, "");
  textdomain (GETTEXT_PACKAGE);

  /* $LANGUAGE would override the switch for every non-C locale. */
  g_unsetenv ("LANGUAGE");
}

/* A copy of the process locale with LC_MESSAGES from the first of @names installed. */
static locale_t
new_messages_locale (const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      locale_t base = duplocale (LC_GLOBAL_LOCALE);
      locale_t result;

      if (base == (locale_t) 0)
        return (locale_t) 0;
      result = newlocale (LC_MESSAGES_MASK, names[i], base);
      if (result != (locale_t) 0)
        {
          g_debug ("UI strings through the %s locale", names[i]);
          return result;   /* newlocale() took @base over */
        }
      freelocale (base);
    }
  return (locale_t) 0;
}

static locale_t
get_german_locale (void)
{
  /* Any German will do: the catalog is the same, only LC_MESSAGES is used. */
  static const char * const names[] = {
    "de_DE.UTF-8", "de_AT.UTF-8", "de_CH.UTF-8", "de_LU.UTF-8", "de_BE.UTF-8",
    "de_LI.UTF-8", "de_IT.UTF-8", "de_DE", "de_DE@euro", "de_AT", "de_CH", NULL
  };

  if (german_locale == (locale_t) 0 && !german_missing)
    {
      german_locale = new_messages_locale (names);
      if (german_locale == (locale_t) 0)
        {
          german_missing = TRUE;
          g_warning ("No German locale is installed, so the kiosk's buttons and headings stay "
                     "in English (content still switches). Fix: generate de_DE.UTF-8 "
                     "(Debian: apt install locales; uncomment it in /etc/locale.gen; run "
                     "locale-gen)");
        }
    }
  return german_locale;
}

static locale_t
get_english_locale (void)
{
  static const char * const names[] = { "C.UTF-8", "C.utf8", "C", NULL };

  if (english_locale == (locale_t) 0)
    english_locale = new_messages_locale (names);
  return english_locale;
}

gboolean
digithek_i18n_is_german (const char *language)
{
  return language != NULL &&
         g_ascii_strncasecmp (language, "de", 2) == 0 &&
         (language[2] == '\0' || language[2] == '-' || language[2] == '_');
}

gboolean
digithek_i18n_set_language (const char *language)
{
  gboolean german = digithek_i18n_is_german (language);
  locale_t wanted;

  digithek_i18n_init ();
  wanted = german ? get_german_locale () : get_english_locale ();
  if (wanted == (locale_t) 0)
    {
      /* No German: English, as the msgids are. */
      wanted = get_english_locale ();
      if (wanted != (locale_t) 0)
        uselocale (wanted);
      ui_language = "en";
      return !digithek_i18n_is_german (language);
    }
  uselocale (wanted);
  ui_language = german ? "de" : "en";
  return TRUE;
}

const char *
digithek_i18n_get_language (void)
{
  return ui_language;
}

const char *
digithek_i18n_translate (const char *language,
                         const char *msgid)
{
  locale_t wanted;
  locale_t previous;
  const char *text;

  g_return_val_if_fail (msgid != NULL, NULL);

  /* English is the source language. */
  if (!digithek_i18n_is_german (language))
    return msgid;
  digithek_i18n_init ();
  wanted = get_german_locale ();
  if (wanted == (locale_t) 0)
    return msgid;
  previous = uselocale (wanted);
  text = gettext (msgid);
  uselocale (previous);
  return text;
}
