/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `digithek-pack ckan`: option parsing and printing only; the work happens in
 * content/ckan/digithek-ckan.c. */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "digithek-ckan.h"
#include "digithek-pack-tool.h"

#define CKAN_USAGE "digithek-pack ckan PORTAL-URL DATASET-ID --into DIR " \
                   "[--resource NAME-OR-ID] [--refresh]"

static int
usage_error (const char *message)
{
  g_printerr ("digithek-pack ckan: %s\n", message);
  g_printerr (_("Usage: %s\n"), CKAN_USAGE);
  return DIGITHEK_PACK_TOOL_USAGE;
}

static char *
quoted_list (const char * const *strv)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    g_string_append_printf (out, "%s“%s”", i > 0 ? ", " : "", strv[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
print_report (const char               *dir,
              const DigithekCkanReport *report)
{
  g_autofree char *size = g_format_size (report->n_bytes);
  g_autofree char *y = quoted_list ((const char * const *) report->chart_y);

  if (report->created_pack)
    printf (_("Created pack “%s” in %s with dataset item “%s”.\n"),
            report->pack_id, dir, report->item_id);
  else if (report->refreshed)
    printf (_("Refreshed the data of item “%s” in pack “%s” (%s); title, summary, chart, "
              "tags and the other fields you edited are kept.\n"),
            report->item_id, report->pack_id, dir);
  else
    printf (_("Added dataset item “%s” to pack “%s” (%s).\n"),
            report->item_id, report->pack_id, dir);

  printf (_("  title:    %s\n"), report->title != NULL ? report->title : "");
  printf (_("  data:     %s (%s from %s)\n"), report->data_path, size, report->resource_url);
  printf (_("  source:   %s, %s\n"), report->source_name, report->source_url);
  if (report->license_known)
    printf (_("  licence:  %s\n"), report->license);
  else
    printf (_("  licence:  %s (not a licence this tool knows: kept as the portal states "
              "it; check it and write its short id, e.g. dl-de/by-2-0 or CC-BY-4.0)\n"),
            report->license);
  printf (_("  modified: %s (as the portal states it; kept in \"_source_modified\")\n"),
          report->source_modified != NULL ? report->source_modified : _("not stated"));
  if (report->csv_settings != NULL)
    printf (_("  csv:      %s (written to \"csv\" so the kiosk does not depend on detection)\n"),
            report->csv_settings);
  if (report->chart_guessed)
    printf (_("  chart:    %s, x “%s”, y %s — guessed from the columns; adjust \"chart\" in "
              "pack.json if another view tells the story better\n"),
            report->chart_type, report->chart_x, y);
  else
    printf (_("  chart:    %s, x “%s”, y %s — as you set it\n"),
            report->chart_type, report->chart_x, y);
  for (guint i = 0; report->notes != NULL && i < report->notes->len; i++)
    printf (_("note: %s\n"), (const char *) g_ptr_array_index (report->notes, i));
  if (report->version_bumped)
    printf (_("The pack's version is now %lld (was %lld), so it can be published.\n"),
            (long long) report->pack_version, (long long) report->pack_version - 1);
  printf (_("Check it with: digithek --preview %s\n"), dir);
}

int
digithek_pack_tool_ckan (int    argc,
                         char **argv)
{
  g_autofree char *into = NULL;
  g_autofree char *resource = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(DigithekCkanReport) report = NULL;
  DigithekCkanImportOptions options = { NULL, DIGITHEK_CKAN_IMPORT_NONE, 0, 0 };
  gboolean refresh = FALSE;
  const char *portal;
  GOptionEntry entries[] = {
    { "into", 0, 0, G_OPTION_ARG_FILENAME, &into, N_("the pack folder (created when it has no pack.json)"), "DIR" },
    { "resource", 0, 0, G_OPTION_ARG_STRING, &resource, N_("the resource to take, by name or id"), "NAME-OR-ID" },
    { "refresh", 0, 0, G_OPTION_ARG_NONE, &refresh, N_("update the data of the item added before"), NULL },
    { NULL }
  };

  context = g_option_context_new ("PORTAL-URL DATASET-ID");
  g_option_context_set_summary (context,
                                _("Add a dataset of a CKAN or DKAN open-data portal to a pack."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc != 3)
    return usage_error (argc < 3 ? _("give the portal's address and the dataset's id")
                                 : _("too many arguments"));
  if (into == NULL)
    return usage_error (_("--into DIR is required"));
  portal = argv[1];
  if (g_ascii_strncasecmp (portal, "http://", 7) != 0
      && g_ascii_strncasecmp (portal, "https://", 8) != 0)
    return usage_error (_("PORTAL-URL must be an http:// or https:// address"));
  if (*argv[2] == '\0')
    return usage_error (_("DATASET-ID is empty"));

  options.resource = resource;
  options.flags = refresh ? DIGITHEK_CKAN_IMPORT_REFRESH : DIGITHEK_CKAN_IMPORT_NONE;

  report = digithek_ckan_import (portal, argv[2], into, &options, &problems, NULL, &error);
  if (report == NULL)
    {
      g_printerr ("digithek-pack ckan: %s\n", error->message);
      for (guint i = 0; problems != NULL && i < problems->len; i++)
        g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
      return DIGITHEK_PACK_TOOL_INPUT_WRONG;
    }

  print_report (into, report);
  return DIGITHEK_PACK_TOOL_OK;
}
