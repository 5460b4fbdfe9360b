/* SPDX-License-Identifier: GPL-3.0-or-later */
/* digithek-pack init and validate: a pack folder. The work happens in content/. */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "digithek-pack.h"
#include "digithek-pack-tool.h"

#define INIT_TEMPLATE_RESOURCE "/org/digithek/pack/init-template"

static gboolean
copy_resource_tree (const char  *resource_path,
                    const char  *target_dir,
                    GError     **error)
{
  g_auto(GStrv) children = NULL;

  children = g_resources_enumerate_children (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (children == NULL)
    return FALSE;

  if (g_mkdir_with_parents (target_dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create folder %s: %s"), target_dir, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint i = 0; children[i] != NULL; i++)
    {
      g_autofree char *child_resource = g_build_path ("/", resource_path, children[i], NULL);
      g_autofree char *name = g_strdup (children[i]);
      g_autofree char *target = NULL;
      gsize len = strlen (name);

      /* Folders come back with a trailing slash. */
      if (len > 0 && name[len - 1] == '/')
        {
          name[len - 1] = '\0';
          target = g_build_filename (target_dir, name, NULL);
          if (!copy_resource_tree (child_resource, target, error))
            return FALSE;
        }
      else
        {
          g_autoptr(GBytes) bytes = NULL;

          target = g_build_filename (target_dir, name, NULL);
          bytes = g_resources_lookup_data (child_resource, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
          if (bytes == NULL)
            return FALSE;
          if (!g_file_set_contents_full (target,
                                         g_bytes_get_data (bytes, NULL),
                                         g_bytes_get_size (bytes),
                                         G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
dir_is_missing_or_empty (const char *path)
{
  g_autoptr(GDir) dir = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  dir = g_dir_open (path, 0, NULL);
  return dir != NULL && g_dir_read_name (dir) == NULL;
}

int
digithek_pack_tool_init (int    argc,
                         char **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc != 2 || argv[1][0] == '-')
    {
      fprintf (stderr, "%s\n", _("Usage: digithek-pack init DIR"));
      return DIGITHEK_PACK_TOOL_USAGE;
    }

  if (!dir_is_missing_or_empty (argv[1]))
    {
      fprintf (stderr, _("%s already exists and is not empty; choose a new folder.\n"), argv[1]);
      return DIGITHEK_PACK_TOOL_INPUT_WRONG;
    }

  if (!copy_resource_tree (INIT_TEMPLATE_RESOURCE, argv[1], &error))
    {
      fprintf (stderr, _("Cannot create the example pack: %s\n"), error->message);
      return DIGITHEK_PACK_TOOL_INPUT_WRONG;
    }

  printf (_("Created an example pack in %s.\n"
            "Edit %s/pack.json, then check it with: digithek-pack validate %s\n"),
          argv[1], argv[1], argv[1]);
  return DIGITHEK_PACK_TOOL_OK;
}

static void
print_lines (const char *prefix,
             GPtrArray  *lines)
{
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    printf ("%s%s\n", prefix, (const char *) g_ptr_array_index (lines, i));
}

int
digithek_pack_tool_validate (int    argc,
                             char **argv)
{
  int status = DIGITHEK_PACK_TOOL_OK;

  if (argc < 2)
    {
      fprintf (stderr, "%s\n", _("Usage: digithek-pack validate DIR…"));
      return DIGITHEK_PACK_TOOL_USAGE;
    }
  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '-')
      {
        fprintf (stderr, _("Unknown option %s\n"), argv[i]);
        fprintf (stderr, "%s\n", _("Usage: digithek-pack validate DIR…"));
        return DIGITHEK_PACK_TOOL_USAGE;
      }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(DigithekPack) pack = NULL;

      pack = digithek_pack_load_full (argv[i], NULL, &problems, &warnings, &error);
      print_lines ("", problems);
      /* Warnings do not make a pack invalid; say so on each line. */
      print_lines (_("warning: "), warnings);

      if (pack == NULL)
        {
          if (problems == NULL || problems->len == 0)
            printf ("%s: %s\n", argv[i], error->message);
          printf (ngettext ("%s: %u problem; the pack is not valid.\n",
                            "%s: %u problems; the pack is not valid.\n",
                            problems != NULL ? problems->len : 1),
                  argv[i], problems != NULL && problems->len > 0 ? problems->len : 1);
          status = DIGITHEK_PACK_TOOL_INPUT_WRONG;
          continue;
        }

      /* Translators: "%s" twice, then the version number and the count of items. */
      printf (_("%s: pack “%s” version %lld is valid (%u items).\n"),
              argv[i], digithek_pack_get_id (pack), (long long) digithek_pack_get_version (pack),
              digithek_pack_get_n_items (pack));
    }

  return status;
}
