/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A store of N generated items for the benchmarks (bench-start, bench-memory): a pack
 * of a quarter of each kind, sharing one image, one Markdown file and one small CSV
 * so that validation stays quick, imported into DIR/store.db. */

#include <adwaita.h>

#include "digithek-pack.h"
#include "digithek-store.h"
#include "store-test-util.h"

static inline void
write_file (const char *dir,
            const char *name,
            const void *data,
            gssize      size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, data, size, &error))
    g_error ("%s", error->message);
}

/* A pack of n items, all kinds, sharing their files so that validation stays quick. */
static inline char *
make_pack (const char *dir,
           int         n_items)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *pack = g_build_filename (dir, "pack", NULL);
  g_autofree char *image = g_build_filename (DEMO_SOURCE_DIR, "smart-city-konstanz", "images",
                                             "simra.png", NULL);
  g_autofree char *png = NULL;
  gsize png_size;

  g_mkdir_with_parents (pack, 0755);
  if (!g_file_get_contents (image, &png, &png_size, NULL))
    g_error ("no demo image at %s", image);
  write_file (pack, "tile.png", png, png_size);
  write_file (pack, "body.md", "# Titel\n\nEin Absatz mit **fettem** Text.\n", -1);
  write_file (pack, "data.csv", "Datum;Wert\n01.11.2026;1,5\n02.11.2026;2,5\n03.11.2026;3\n", -1);

  g_string_append (json, "{\"format\": 1, \"id\": \"bench\", \"version\": 1,"
                         " \"title\": {\"de\": \"Bench\"}, \"languages\": [\"de\"], \"items\": [");
  for (int i = 0; i < n_items; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_printf (json, "{\"id\": \"i%d\", \"title\": {\"de\": \"Eintrag Nummer %d\"},"
                                    " \"summary\": {\"de\": \"Eine kurze Zusammenfassung für Eintrag %d\"},"
                                    " \"image\": \"tile.png\", ", i, i, i);
      switch (i % 4)
        {
        case 0:
          g_string_append (json, "\"kind\": \"dataset\", \"data\": \"data.csv\","
                                 " \"chart\": {\"type\": \"line\", \"x\": \"Datum\", \"y\": [\"Wert\"]},"
                                 " \"source\": {\"name\": \"Bench\", \"license\": \"CC0-1.0\"}}");
          break;
        case 1:
          g_string_append (json, "\"kind\": \"explainer\", \"body\": {\"de\": \"body.md\"}}");
          break;
        case 2:
          g_string_append (json, "\"kind\": \"guide\", \"steps\": [{\"title\": {\"de\": \"Schritt\"},"
                                 " \"body\": {\"de\": \"body.md\"}}]}");
          break;
        default:
          g_string_append (json, "\"kind\": \"tour\", \"stops\": [\"i0\"]}");
          break;
        }
    }
  g_string_append (json, "]}");
  write_file (pack, "pack.json", json->str, json->len);
  return g_steal_pointer (&pack);
}

static inline char *
make_store (const char *dir,
            int         n_items)
{
  g_autofree char *pack_dir = make_pack (dir, n_items);
  char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  pack = digithek_pack_load (pack_dir, NULL, &problems, &error);
  if (pack == NULL)
    g_error ("%s: %s", error->message,
             problems != NULL && problems->len > 0 ? (char *) problems->pdata[0] : "");
  store = tu_store_new (path, NULL, &error);
  if (store == NULL || !tu_store_import_pack (store, pack, NULL, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  digithek_store_close (store);
  return path;
}

