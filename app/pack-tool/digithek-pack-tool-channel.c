/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `digithek-pack keygen` and `digithek-pack publish`: option parsing and printing only;
 * the work happens in content/channel/digithek-channel-publish.c. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "digithek-channel.h"
#include "digithek-channel-publish.h"
#include "digithek-pack.h"
#include "digithek-pack-tool.h"

#define KEYGEN_USAGE "digithek-pack keygen --out FILE [--force]"
#define PUBLISH_USAGE "digithek-pack publish DIR… --key FILE --out CHANNEL " \
                      "[--expires DAYS] [--prune] [--name NAME] [--refresh]"

/* Days before expiry from which re-publishing unchanged content suggests --refresh. */
#define EXPIRY_WARNING_DAYS 7

static int
usage_error (const char *command,
             const char *usage,
             const char *message)
{
  g_printerr ("digithek-pack %s: %s\n", command, message);
  g_printerr (_("Usage: %s\n"), usage);
  return DIGITHEK_PACK_TOOL_USAGE;
}

int
digithek_pack_tool_keygen (int    argc,
                           char **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *public_b64 = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write the secret key to FILE and the public key to FILE.pub"), N_("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace existing key files"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Create an Ed25519 key pair for signing channels. The "
                                  "public key is printed as the last line."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("keygen", KEYGEN_USAGE, error->message);
  if (argc > 1)
    return usage_error ("keygen", KEYGEN_USAGE, _("unexpected argument"));
  if (out == NULL || out[0] == '\0')
    return usage_error ("keygen", KEYGEN_USAGE, _("--out FILE is required"));

  if (!digithek_channel_keygen (out, force, &public_b64, &error))
    {
      g_printerr ("%s\n", error->message);
      return DIGITHEK_PACK_TOOL_INPUT_WRONG;
    }

  g_print (_("Secret key written to %s: keep it private, it signs what kiosks install.\n"),
           out);
  g_print (_("Public key written to %s.pub; kiosks trust it through their config or "
             "--trust:\n"), out);
  g_print ("%s\n", public_b64);
  return DIGITHEK_PACK_TOOL_OK;
}

static void
warn_about_key_mode (const char *key_path)
{
  struct stat st;

  if (g_stat (key_path, &st) == 0 && (st.st_mode & 077) != 0)
    g_printerr (_("warning: %s can be read by other users; run chmod 600 %s\n"),
                key_path, key_path);
}

int
digithek_pack_tool_publish (int    argc,
                            char **argv)
{
  g_autofree char *key = NULL;
  g_autofree char *out = NULL;
  g_autofree char *name = NULL;
  g_autofree char *expires_text = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) packs = NULL;
  g_auto(DigithekChannelPublishResult) result = { 0 };
  DigithekChannelPublishOptions options = { 0 };
  int expires_days = DIGITHEK_CHANNEL_DEFAULT_EXPIRES_DAYS;
  gboolean prune = FALSE;
  gboolean refresh = FALSE;
  gboolean invalid = FALSE;
  const GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key,
      N_("The secret key file written by keygen"), N_("FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      N_("The channel folder; created when missing"), N_("CHANNEL") },
    { "expires", 0, 0, G_OPTION_ARG_INT, &expires_days,
      N_("Kiosks refuse the index this many days after publishing (default 30)"),
      N_("DAYS") },
    { "prune", 0, 0, G_OPTION_ARG_NONE, &prune,
      N_("Remove objects the new index does not reference"), NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("The channel's name (default: the existing one, or “default”)"), N_("NAME") },
    { "refresh", 0, 0, G_OPTION_ARG_NONE, &refresh,
      N_("Sign a new index even when nothing changed, to extend its expiry"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("DIR…"));
  g_option_context_set_summary (context,
                                _("Validate pack folders and publish them, signed, into a "
                                  "channel folder that a web server or a USB stick carries."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("publish", PUBLISH_USAGE, error->message);

  if (key == NULL || key[0] == '\0')
    return usage_error ("publish", PUBLISH_USAGE, _("--key FILE is required"));
  if (out == NULL || out[0] == '\0')
    return usage_error ("publish", PUBLISH_USAGE, _("--out CHANNEL is required"));
  if (expires_days < 1 || expires_days > 3650)
    return usage_error ("publish", PUBLISH_USAGE,
                        _("--expires takes a number of days from 1 to 3650"));
  if (name != NULL && !digithek_channel_name_is_valid (name))
    return usage_error ("publish", PUBLISH_USAGE,
                        _("--name takes a name of the form [a-z0-9][a-z0-9-]{0,63}"));
  /* Without a pack, only re-signing or pruning an existing channel makes sense. */
  if (argc < 2 && !refresh && !prune)
    return usage_error ("publish", PUBLISH_USAGE, _("name at least one pack folder"));
  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '-')
      return usage_error ("publish", PUBLISH_USAGE, _("unknown option"));

  /* Every pack is validated, and every problem printed, before the channel is touched. */
  packs = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) load_error = NULL;
      DigithekPack *pack;

      pack = digithek_pack_load (argv[i], NULL, &problems, &load_error);
      if (pack == NULL)
        {
          if (problems != NULL && problems->len > 0)
            for (guint j = 0; j < problems->len; j++)
              g_printerr ("%s: %s\n", argv[i], (const char *) g_ptr_array_index (problems, j));
          else
            g_printerr ("%s: %s\n", argv[i], load_error->message);
          invalid = TRUE;
          continue;
        }
      g_ptr_array_add (packs, pack);
    }
  if (invalid)
    {
      g_printerr (_("Nothing was published: fix the problems above.\n"));
      return DIGITHEK_PACK_TOOL_INPUT_WRONG;
    }

  warn_about_key_mode (key);

  options.name = name;
  options.expires_days = (guint) expires_days;
  options.prune = prune;
  options.refresh = refresh;
  if (!digithek_channel_publish (out, packs, key, &options, &result, &error))
    {
      g_printerr ("%s\n", error->message);
      g_printerr (_("Nothing was published.\n"));
      return DIGITHEK_PACK_TOOL_INPUT_WRONG;
    }

  for (guint i = 0; i < result.report->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (result.report, i));
  expires_text = g_date_time_format (result.expires, "%Y-%m-%dT%H:%M:%SZ");

  if (result.unchanged)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan left = g_date_time_difference (result.expires, now);

      g_print (_("unchanged: channel %s stays at serial %lld, expiring %s\n"),
               result.name, (long long) result.serial, expires_text);
      if (left < EXPIRY_WARNING_DAYS * G_TIME_SPAN_DAY)
        g_printerr (_("warning: the index %s %s; publish with --refresh to extend it\n"),
                    left < 0 ? _("expired on") : _("expires on"), expires_text);
    }
  else
    g_print (_("published: channel %s serial %lld, expiring %s\n"),
             result.name, (long long) result.serial, expires_text);

  if (result.objects_written > 0)
    g_print (_("%u objects added (%llu bytes)\n"),
             result.objects_written, (unsigned long long) result.bytes_written);
  if (prune)
    g_print (_("%u objects pruned\n"), result.objects_pruned);

  return DIGITHEK_PACK_TOOL_OK;
}
