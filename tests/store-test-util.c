/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "digithek-store-wait.h"
#include "store-test-util.h"

char *
tu_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("digithek-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
tu_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          tu_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

void
tu_write (const char *dir,
          const char *relative,
          const char *contents,
          gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

void
tu_copy_realdata (const char *dir,
                  const char *relative,
                  const char *realdata_file)
{
  g_autoptr(GError) error = NULL;
  const char *realdata = g_getenv ("REALDATA_DIR");
  g_autofree char *source = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (realdata == NULL)
    source = g_test_build_filename (G_TEST_DIST, "data", "realdata", realdata_file, NULL);
  else
    source = g_build_filename (realdata, realdata_file, NULL);
  g_file_get_contents (source, &contents, &length, &error);
  g_assert_no_error (error);
  tu_write (dir, relative, contents, length);
}

DigithekPack *
tu_load_pack (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  DigithekPack *pack = digithek_pack_load (dir, NULL, &problems, &error);

  if (pack == NULL && problems != NULL)
    for (guint i = 0; i < problems->len; i++)
      g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));
  g_assert_no_error (error);
  g_assert_nonnull (pack);
  return pack;
}

DigithekStore *
tu_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  DigithekStore *store = tu_store_new (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (DIGITHEK_IS_STORE (store));
  return store;
}

/* The air-quality style CSV used by most tests: @n_rows hourly rows, values offset by
 * @version so that versions differ. */
char *
tu_make_csv (guint n_rows,
             gint64 version)
{
  GString *csv = g_string_new ("zeit;no2;o3\n");

  for (guint i = 0; i < n_rows; i++)
    {
      guint day = 1 + (i / 24) % 28, hour = i % 24;

      if (i % 7 == 3)
        g_string_append_printf (csv, "%02u.11.2025 %02u:00;;%u,5\n", day, hour, i);
      else
        g_string_append_printf (csv, "%02u.11.2025 %02u:00;%" G_GINT64_FORMAT ",25;%u,5\n",
                                day, hour, version * 1000 + i % 100, i);
    }
  return g_string_free (csv, FALSE);
}

/* A pack with a dataset, an explainer (de + en) and a guide (de only). */
void
tu_write_pack (const char *dir,
               const char *pack_id,
               gint64      version,
               guint       n_rows)
{
  g_autofree char *json = NULL;
  g_autofree char *csv = tu_make_csv (n_rows, version);

  json = g_strdup_printf (
    "{\n"
    "  \"format\": 1,\n"
    "  \"id\": \"%s\",\n"
    "  \"version\": %" G_GINT64_FORMAT ",\n"
    "  \"title\": {\"de\": \"Konstanz in Zahlen\", \"en\": \"Konstanz in numbers\"},\n"
    "  \"languages\": [\"de\", \"en\"],\n"
    "  \"publisher\": \"Stadt Konstanz\",\n"
    "  \"items\": [\n"
    "    {\"id\": \"luft\", \"kind\": \"dataset\",\n"
    "     \"title\": {\"de\": \"Luftqualität v%" G_GINT64_FORMAT "\", \"en\": \"Air quality\"},\n"
    "     \"summary\": {\"de\": \"Stickstoffdioxid und Ozon\"},\n"
    "     \"data\": \"data/luft.csv\",\n"
    "     \"csv\": {\"delimiter\": \";\", \"decimal\": \",\"},\n"
    "     \"chart\": {\"type\": \"line\", \"x\": \"zeit\", \"y\": [\"no2\", \"o3\"], \"unit\": \"µg/m³\"},\n"
    "     \"source\": {\"name\": \"LUBW\", \"license\": \"dl-de/by-2-0\"}},\n"
    "    {\"id\": \"sensoren\", \"kind\": \"explainer\",\n"
    "     \"title\": {\"de\": \"Parksensoren\", \"en\": \"Parking sensors\"},\n"
    "     \"summary\": {\"de\": \"Freie Plätze über LoRaWAN\", \"en\": \"Free spaces over LoRaWAN\"},\n"
    "     \"body\": {\"de\": \"texte/sensoren.de.md\", \"en\": \"texte/sensoren.en.md\"}},\n"
    "    {\"id\": \"ausweis\", \"kind\": \"guide\",\n"
    "     \"title\": {\"de\": \"Online-Ausweis nutzen\"},\n"
    "     \"steps\": [\n"
    "       {\"title\": {\"de\": \"App installieren\"}, \"body\": {\"de\": \"texte/schritt1.md\"}},\n"
    "       {\"title\": {\"de\": \"Geheimnummer\"}, \"body\": {\"de\": \"texte/schritt2-v%" G_GINT64_FORMAT ".md\"}}\n"
    "     ]}\n"
    "  ]\n"
    "}\n", pack_id, version, version, version);

  tu_write (dir, "pack.json", json, -1);
  tu_write (dir, "data/luft.csv", csv, -1);
  tu_write (dir, "texte/sensoren.de.md",
            "# Parksensoren\n\nSensoren im Boden melden freie Parkplätze über Funk.\n", -1);
  tu_write (dir, "texte/sensoren.en.md",
            "# Parking sensors\n\nSensors in the ground report free spaces by radio.\n", -1);
  tu_write (dir, "texte/schritt1.md", "Laden Sie die AusweisApp herunter.\n", -1);
  {
    g_autofree char *name = g_strdup_printf ("texte/schritt2-v%" G_GINT64_FORMAT ".md", version);
    g_autofree char *text = g_strdup_printf ("Geben Sie Ihre sechsstellige Geheimnummer ein "
                                             "(Fassung %" G_GINT64_FORMAT ").\n", version);

    tu_write (dir, name, text, -1);
  }
}

static int
tu_compare_strings (gconstpointer a,
                    gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Every table's schema and content, rows sorted, values typed: two dumps are equal
 * exactly when the databases hold the same data. */
char *
tu_dump (const char *db_path)
{
  GString *dump = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *tables = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name",
                                       -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (tables, 0);
      const char *name = (const char *) sqlite3_column_text (tables, 1);
      const char *sql = (const char *) sqlite3_column_text (tables, 2);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *select = NULL;
      sqlite3_stmt *stmt = NULL;

      g_string_append_printf (dump, "%s %s: %s\n", type, name, sql ? sql : "");
      if (!g_str_equal (type, "table") || (sql != NULL && g_str_has_prefix (sql, "CREATE VIRTUAL")))
        continue;

      select = g_strdup_printf ("SELECT * FROM \"%s\"", name);
      g_assert_cmpint (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          GString *row = g_string_new (NULL);

          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              int ctype = sqlite3_column_type (stmt, c);
              const guint8 *blob = sqlite3_column_blob (stmt, c);
              int n = sqlite3_column_bytes (stmt, c);

              g_string_append_printf (row, "|%d:", ctype);
              for (int b = 0; b < n && blob != NULL; b++)
                g_string_append_printf (row, "%02x", blob[b]);
            }
          g_ptr_array_add (rows, g_string_free (row, FALSE));
        }
      sqlite3_finalize (stmt);
      g_ptr_array_sort (rows, tu_compare_strings);
      for (guint i = 0; i < rows->len; i++)
        g_string_append_printf (dump, "  %s\n", (const char *) g_ptr_array_index (rows, i));
    }
  sqlite3_finalize (tables);
  sqlite3_close (db);
  return g_string_free (dump, FALSE);
}

/* ---- one store job at a time, waited for (digithek-store-wait.h) ---- */

DigithekStore *
tu_store_new (const char    *path,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_new_async (path, cancellable, digithek_store_wait_cb, wait);
  return digithek_store_new_finish (digithek_store_wait_end (wait), error);
}

gboolean
tu_store_import_pack (DigithekStore              *store,
                      DigithekPack               *pack,
                      DigithekStoreProgressFunc   progress,
                      gpointer                    progress_data,
                      DigithekImportOutcome      *out_outcome,
                      GCancellable               *cancellable,
                      GError                    **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_import_pack_async (store, pack, progress, progress_data, NULL, cancellable,
                                    digithek_store_wait_cb, wait);
  return digithek_store_import_pack_finish (store, digithek_store_wait_end (wait), out_outcome, error);
}

gboolean
tu_store_rollback_pack (DigithekStore  *store,
                        const char     *pack_id,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_rollback_pack_async (store, pack_id, cancellable, digithek_store_wait_cb, wait);
  return digithek_store_rollback_pack_finish (store, digithek_store_wait_end (wait), error);
}

GPtrArray *
tu_store_list_packs (DigithekStore  *store,
                     const char     *language,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_list_packs_async (store, language, cancellable, digithek_store_wait_cb, wait);
  return digithek_store_list_packs_finish (store, digithek_store_wait_end (wait), error);
}

GPtrArray *
tu_store_list_items (DigithekStore  *store,
                     const char     *language,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_list_items_async (store, language, cancellable, digithek_store_wait_cb, wait);
  return digithek_store_list_items_finish (store, digithek_store_wait_end (wait), error);
}

GPtrArray *
tu_store_list_home (DigithekStore  *store,
                    const char     *language,
                    guint           per_kind,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_list_home_async (store, language, per_kind, cancellable, digithek_store_wait_cb,
                                  wait);
  return digithek_store_list_home_finish (store, digithek_store_wait_end (wait), error);
}

DigithekStoreItem *
tu_store_get_item (DigithekStore  *store,
                   const char     *pack_id,
                   const char     *item_id,
                   const char     *language,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_get_item_async (store, pack_id, item_id, language, cancellable,
                                 digithek_store_wait_cb, wait);
  return digithek_store_get_item_finish (store, digithek_store_wait_end (wait), error);
}

DigithekStoreDataset *
tu_store_get_dataset (DigithekStore  *store,
                      const char     *pack_id,
                      const char     *item_id,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_get_dataset_async (store, pack_id, item_id, cancellable, digithek_store_wait_cb,
                                    wait);
  return digithek_store_get_dataset_finish (store, digithek_store_wait_end (wait), error);
}

GPtrArray *
tu_store_search (DigithekStore  *store,
                 const char     *query,
                 const char     *language,
                 guint           limit,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_search_async (store, query, language, limit, cancellable, digithek_store_wait_cb,
                               wait);
  return digithek_store_search_finish (store, digithek_store_wait_end (wait), error);
}

char *
tu_store_get_meta (DigithekStore  *store,
                   const char     *key,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_get_meta_async (store, key, cancellable, digithek_store_wait_cb, wait);
  return digithek_store_get_meta_finish (store, digithek_store_wait_end (wait), error);
}

gboolean
tu_store_set_meta (DigithekStore  *store,
                   const char     *key,
                   const char     *value,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_set_meta_async (store, key, value, cancellable, digithek_store_wait_cb, wait);
  return digithek_store_set_meta_finish (store, digithek_store_wait_end (wait), error);
}

gboolean
tu_store_has_asset (DigithekStore  *store,
                    const char     *sha256,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_has_asset_async (store, sha256, cancellable, digithek_store_wait_cb, wait);
  return digithek_store_has_asset_finish (store, digithek_store_wait_end (wait), error);
}

GBytes *
tu_store_get_asset (DigithekStore  *store,
                    const char     *sha256,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_store_get_asset_async (store, sha256, cancellable, digithek_store_wait_cb, wait);
  return digithek_store_get_asset_finish (store, digithek_store_wait_end (wait), error);
}
