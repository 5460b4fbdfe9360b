/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer target: the input is a pack.json, loaded from a folder that also holds a
 * small CSV, a Markdown file and a PNG, so that references to them resolve and the
 * deep checks (CSV columns and cells, image decoding, UTF-8) run too. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digithek-pack.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A 2×2 RGB PNG. */
static const guint8 png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
  0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd,
  0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x30,
  0x4e, 0x3b, 0x03, 0x44, 0x0c, 0x10, 0x0a, 0x00, 0x24, 0xb6, 0x05, 0x95, 0xce, 0xbb, 0xea,
  0x6a, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static char *pack_dir;
static char *manifest_path;

static void
write_or_die (const char *name,
              const char *contents,
              gssize      length)
{
  g_autofree char *path = g_build_filename (pack_dir, name, NULL);

  if (!g_file_set_contents (path, contents, length, NULL))
    abort ();
}

static void
setup_once (void)
{
  if (pack_dir != NULL)
    return;
  pack_dir = g_dir_make_tmp ("fuzz-pack-XXXXXX", NULL);
  if (pack_dir == NULL)
    abort ();
  manifest_path = g_build_filename (pack_dir, "pack.json", NULL);
  write_or_die ("data.csv",
                "Zeit;Wert;Name\n27.11.2026 14:00;1,5;a\n2026-11-27;;b\n31.02.2026;x;c\n", -1);
  write_or_die ("body.md", "# Titel\n\nText mit *Umlauten*: äöü.\n", -1);
  write_or_die ("image.png", (const char *) png, sizeof png);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  DigithekPackLimits limits;

  setup_once ();
  if (!g_file_set_contents (manifest_path, (const char *) data, size, NULL))
    abort ();

  digithek_pack_limits_init_default (&limits);
  pack = digithek_pack_load_full (pack_dir, &limits, &problems, &warnings, &error);

  /* The contract: a pack, or an error with at least one problem line. */
  if ((pack == NULL) == (error == NULL))
    abort ();
  if (pack == NULL && (problems == NULL || problems->len == 0))
    abort ();
  if (pack != NULL)
    {
      g_auto(GStrv) files = digithek_pack_list_files (pack);
      guint i;

      if (g_bytes_get_size (digithek_pack_get_manifest_bytes (pack)) != size)
        abort ();
      for (i = 0; files[i] != NULL && files[i + 1] != NULL; i++)
        if (strcmp (files[i], files[i + 1]) >= 0)
          abort ();
      for (i = 0; i < digithek_pack_get_n_items (pack); i++)
        {
          DigithekPackItem *item = digithek_pack_get_item (pack, i);

          if (digithek_pack_find_item (pack, item->id) != item)
            abort ();
        }
    }
  return 0;
}
