/* SPDX-License-Identifier: GPL-3.0-or-later */
/* digithek-pack: the staff tool. Wiring only; each subcommand is a function in
 * digithek-pack-tool-*.c, the work happens in content/. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "digithek-pack-tool.h"

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s",
           _("Usage: digithek-pack COMMAND [OPTIONS…]\n"
             "\n"
             "Commands:\n"
             "  init DIR                      create an example pack to start from\n"
             "  validate DIR…                 check pack folders and list every problem\n"
             "  keygen --out FILE             create a signing key pair\n"
             "  publish DIR… --key FILE --out CHANNEL [--expires DAYS] [--prune]\n"
             "                                sign and publish packs into a channel folder\n"
             "  ckan PORTAL-URL DATASET-ID --into DIR [--resource NAME-OR-ID] [--refresh]\n"
             "                                add a dataset from a CKAN or DKAN portal\n"
             "\n"
             "Exit status: 0 success, 1 the input is wrong (every problem is printed),\n"
             "2 usage error.\n"));
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return DIGITHEK_PACK_TOOL_USAGE;
    }

  command = argv[1];
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") || g_str_equal (command, "help"))
    {
      print_usage (stdout);
      return DIGITHEK_PACK_TOOL_OK;
    }
  if (g_str_equal (command, "--version"))
    {
      printf ("digithek-pack %s\n", PACKAGE_VERSION);
      return DIGITHEK_PACK_TOOL_OK;
    }

  if (g_str_equal (command, "init"))
    return digithek_pack_tool_init (argc - 1, argv + 1);
  if (g_str_equal (command, "validate"))
    return digithek_pack_tool_validate (argc - 1, argv + 1);
  if (g_str_equal (command, "keygen"))
    return digithek_pack_tool_keygen (argc - 1, argv + 1);
  if (g_str_equal (command, "publish"))
    return digithek_pack_tool_publish (argc - 1, argv + 1);
  if (g_str_equal (command, "ckan"))
    return digithek_pack_tool_ckan (argc - 1, argv + 1);

  fprintf (stderr, _("Unknown command “%s”.\n\n"), command);
  print_usage (stderr);
  return DIGITHEK_PACK_TOOL_USAGE;
}
