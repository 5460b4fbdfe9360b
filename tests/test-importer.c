/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "digithek-store.h"
#include "store-test-util.h"

typedef struct
{
  char          *dir;
  char          *db_path;
  DigithekStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = tu_make_tmpdir ();
  fixture->db_path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = tu_open_store (fixture->db_path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  digithek_store_close (fixture->store);
  g_assert_finalize_object (fixture->store);
  tu_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

/* Writes the standard test pack at @version into its own folder and loads it. */
static DigithekPack *
make_pack (Fixture    *fixture,
           const char *pack_id,
           gint64      version,
           guint       n_rows)
{
  g_autofree char *name = g_strdup_printf ("%s-v%" G_GINT64_FORMAT, pack_id, version);
  g_autofree char *dir = g_build_filename (fixture->dir, name, NULL);

  tu_write_pack (dir, pack_id, version, n_rows);
  return tu_load_pack (dir);
}

static DigithekImportOutcome
import_ok (Fixture      *fixture,
           DigithekPack *pack)
{
  g_autoptr(GError) error = NULL;
  DigithekImportOutcome outcome = 99;

  g_assert_true (tu_store_import_pack (fixture->store, pack, NULL, NULL, &outcome,
                                       NULL, &error));
  g_assert_no_error (error);
  return outcome;
}

static DigithekStoreItemInfo *
find_item (GPtrArray  *items,
           const char *item_id)
{
  for (guint i = 0; i < items->len; i++)
    {
      DigithekStoreItemInfo *info = g_ptr_array_index (items, i);

      if (g_str_equal (info->item_id, item_id))
        return info;
    }
  return NULL;
}

static char *
sha256_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static void
test_import_and_list (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(DigithekPack) pack = make_pack (fixture, "konstanz-daten", 1, 100);
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GPtrArray) de = NULL;
  g_autoptr(GPtrArray) en = NULL;
  g_autoptr(GPtrArray) fr = NULL;
  g_autoptr(DigithekStoreItem) item = NULL;
  g_autoptr(DigithekStoreItem) guide = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *md_path = NULL;
  g_autofree char *md_sha = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv_sha = NULL;
  g_autoptr(GBytes) asset = NULL;
  DigithekStorePackInfo *info;
  JsonObject *manifest;

  g_assert_cmpint (import_ok (fixture, pack), ==, DIGITHEK_IMPORT_INSTALLED);

  packs = tu_store_list_packs (fixture->store, "en", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (packs->len, ==, 1);
  info = g_ptr_array_index (packs, 0);
  g_assert_cmpstr (info->id, ==, "konstanz-daten");
  g_assert_cmpint (info->version, ==, 1);
  g_assert_cmpint (info->previous_version, ==, 0);
  g_assert_cmpuint (info->n_items, ==, 3);
  g_assert_cmpuint (info->n_rows, ==, 100);
  g_assert_cmpstr (info->title, ==, "Konstanz in numbers");
  g_assert_cmpstr (info->publisher, ==, "Stadt Konstanz");
  g_assert_cmpstrv (info->languages, ((const char * const[]) { "de", "en", NULL }));
  g_clear_pointer (&packs, g_ptr_array_unref);
  packs = tu_store_list_packs (fixture->store, "fr", NULL, &error);
  g_assert_cmpstr (((DigithekStorePackInfo *) g_ptr_array_index (packs, 0))->title, ==, "Konstanz in Zahlen");

  /* German, English with fallback to German, and a language the pack lacks. */
  de = tu_store_list_items (fixture->store, "de", NULL, &error);
  g_assert_no_error (error);
  en = tu_store_list_items (fixture->store, "en", NULL, &error);
  fr = tu_store_list_items (fixture->store, "fr", NULL, &error);
  g_assert_cmpuint (de->len, ==, 3);
  g_assert_cmpuint (en->len, ==, 3);
  g_assert_cmpuint (fr->len, ==, 3);
  /* Manifest order. */
  g_assert_cmpstr (((DigithekStoreItemInfo *) g_ptr_array_index (de, 0))->item_id, ==, "luft");
  g_assert_cmpstr (((DigithekStoreItemInfo *) g_ptr_array_index (de, 2))->item_id, ==, "ausweis");

  g_assert_cmpstr (find_item (de, "luft")->title, ==, "Luftqualität v1");
  g_assert_cmpstr (find_item (en, "luft")->title, ==, "Air quality");
  g_assert_cmpstr (find_item (en, "luft")->summary, ==, "Stickstoffdioxid und Ozon");
  g_assert_cmpstr (find_item (en, "sensoren")->summary, ==, "Free spaces over LoRaWAN");
  g_assert_cmpstr (find_item (en, "ausweis")->title, ==, "Online-Ausweis nutzen");
  g_assert_null (find_item (en, "ausweis")->summary);
  g_assert_cmpstr (find_item (fr, "sensoren")->title, ==, "Parksensoren");
  g_assert_cmpint (find_item (de, "luft")->kind, ==, DIGITHEK_ITEM_DATASET);
  g_assert_cmpint (find_item (de, "sensoren")->kind, ==, DIGITHEK_ITEM_EXPLAINER);
  g_assert_cmpint (find_item (de, "ausweis")->kind, ==, DIGITHEK_ITEM_GUIDE);
  /* Freshness: the last row's time, 05.11.2025 03:00 Europe/Berlin (CET). */
  g_assert_cmpint (find_item (de, "luft")->freshness, ==, 1762308000);
  g_assert_cmpint (find_item (de, "sensoren")->freshness, ==, 0);

  /* The item: texts and the manifest with hashes instead of paths. */
  item = tu_store_get_item (fixture->store, "konstanz-daten", "sensoren", "en", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->language, ==, "en");
  g_assert_cmpstr (item->title, ==, "Parking sensors");
  g_assert_nonnull (strstr (item->body, "report free spaces by radio"));
  g_assert_true (json_parser_load_from_data (parser, item->manifest_json, -1, &error));
  manifest = json_node_get_object (json_parser_get_root (parser));
  md_path = g_build_filename (fixture->dir, "konstanz-daten-v1", "texte", "sensoren.de.md", NULL);
  md_sha = sha256_of_file (md_path);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (manifest, "body"), "de"),
                   ==, md_sha);

  guide = tu_store_get_item (fixture->store, "konstanz-daten", "ausweis", "en", NULL, &error);
  g_assert_no_error (error);
  /* A pack language: the row exists, its fields already fell back to German. */
  g_assert_cmpstr (guide->language, ==, "en");
  g_assert_cmpstr (guide->title, ==, "Online-Ausweis nutzen");
  g_assert_nonnull (strstr (guide->body, "## App installieren"));
  g_assert_nonnull (strstr (guide->body, "sechsstellige Geheimnummer"));

  /* Every referenced file is an asset, the CSV included. */
  csv_path = g_build_filename (fixture->dir, "konstanz-daten-v1", "data", "luft.csv", NULL);
  csv_sha = sha256_of_file (csv_path);
  g_assert_true (tu_store_has_asset (fixture->store, csv_sha, NULL, &error));
  g_assert_no_error (error);
  asset = tu_store_get_asset (fixture->store, md_sha, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (g_bytes_get_data (asset, NULL), "Parksensoren"));
  g_assert_false (tu_store_has_asset (fixture->store, "00", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (tu_store_get_asset (fixture->store, "00", NULL, &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (tu_store_get_item (fixture->store, "konstanz-daten", "nope", "de", NULL, &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND);
}

static void
test_dataset_generated (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(DigithekPack) pack = make_pack (fixture, "konstanz-daten", 1, 30);
  g_autoptr(DigithekStoreDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  import_ok (fixture, pack);
  dataset = tu_store_get_dataset (fixture->store, "konstanz-daten", "luft", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dataset->n_rows, ==, 30);
  g_assert_cmpuint (dataset->n_columns, ==, 3);
  g_assert_cmpuint (dataset->n_y, ==, 2);
  g_assert_cmpint (dataset->x_kind, ==, DIGITHEK_CSV_X_TIME);
  g_assert_cmpstr (dataset->unit, ==, "µg/m³");
  g_assert_cmpstr (dataset->chart_type, ==, "line");
  g_assert_cmpstr (dataset->columns[0].name, ==, "zeit");
  g_assert_cmpint (dataset->columns[0].kind, ==, DIGITHEK_STORE_COLUMN_TIME);
  g_assert_cmpint (dataset->columns[1].kind, ==, DIGITHEK_STORE_COLUMN_NUMBER);
  /* German date 01.11.2025 00:00 in Europe/Berlin (CET, +01:00). */
  g_assert_cmpfloat (dataset->columns[0].numbers[0], ==, 1761951600.0);
  /* German decimal comma. */
  g_assert_cmpfloat_with_epsilon (dataset->columns[1].numbers[0], 1000.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (dataset->columns[2].numbers[1], 1.5, 1e-9);
  /* Row 3 has an empty no2 cell: missing, not zero. */
  g_assert_true (isnan (dataset->columns[1].numbers[3]));
  g_assert_false (isnan (dataset->columns[2].numbers[3]));

  g_clear_pointer (&dataset, digithek_store_dataset_free);
  g_assert_null (tu_store_get_dataset (fixture->store, "konstanz-daten", "sensoren", NULL, &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND);
}

/* A pack around one real file, as published. */
static DigithekPack *
make_realdata_pack (Fixture    *fixture,
                    const char *realdata_file,
                    const char *csv_json,
                    const char *x,
                    const char *y_json)
{
  g_autofree char *dir = g_build_filename (fixture->dir, "real", NULL);
  g_autofree char *json = NULL;

  tu_copy_realdata (dir, "data/file.csv", realdata_file);
  json = g_strdup_printf (
    "{\"format\": 1, \"id\": \"real\", \"version\": 1, \"title\": {\"de\": \"Echt\"},"
    " \"languages\": [\"de\"], \"items\": [{\"id\": \"d\", \"kind\": \"dataset\","
    " \"title\": {\"de\": \"Daten\"}, \"data\": \"data/file.csv\", %s"
    " \"chart\": {\"type\": \"line\", \"x\": \"%s\", \"y\": %s},"
    " \"source\": {\"name\": \"Stadt\", \"license\": \"dl-de/by-2-0\"}}]}",
    csv_json, x, y_json);
  tu_write (dir, "pack.json", json, -1);
  return tu_load_pack (dir);
}

static DigithekStoreDataset *
import_realdata (Fixture    *fixture,
                 const char *realdata_file,
                 const char *csv_json,
                 const char *x,
                 const char *y_json)
{
  g_autoptr(DigithekPack) pack = make_realdata_pack (fixture, realdata_file, csv_json, x, y_json);
  g_autoptr(GError) error = NULL;
  DigithekStoreDataset *dataset;

  import_ok (fixture, pack);
  dataset = tu_store_get_dataset (fixture->store, "real", "d", NULL, &error);
  g_assert_no_error (error);
  return dataset;
}

static void
test_realdata_airquality (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(DigithekStoreDataset) dataset = NULL;
  g_autoptr(GPtrArray) items = NULL;

  /* ISO 8601 with offsets switching; empty cells for gaps. */
  dataset = import_realdata (fixture, "airquality/lubw_konstanz_Auszug_Stundenwerte.csv", "",
                             "startZeit", "[\"no2\", \"pm10\"]");
  g_assert_cmpuint (dataset->n_rows, ==, 168);
  g_assert_cmpint (dataset->x_kind, ==, DIGITHEK_CSV_X_TIME);
  g_assert_cmpuint (dataset->n_columns, ==, 5);
  g_assert_cmpstr (dataset->columns[1].name, ==, "no2");
  g_assert_cmpstr (dataset->columns[2].name, ==, "pm10");
  /* 2025-11-10T00:00:00+01:00 */
  g_assert_cmpfloat (dataset->columns[0].numbers[0], ==, 1762729200.0);
  g_assert_cmpfloat_with_epsilon (dataset->columns[1].numbers[0], 19.57, 1e-9);
  /* 2025-11-10T01:00:00+01:00,,,17.23,15.76 */
  g_assert_true (isnan (dataset->columns[1].numbers[1]));
  g_assert_cmpfloat_with_epsilon (dataset->columns[2].numbers[1], 17.23, 1e-9);
  /* Columns outside the chart are kept as text. */
  g_assert_cmpint (dataset->columns[3].kind, ==, DIGITHEK_STORE_COLUMN_TEXT);
  g_assert_cmpstr (dataset->columns[3].name, ==, "o3");
  g_assert_cmpstr (dataset->columns[3].texts[0], ==, "8.68");
  g_assert_null (dataset->columns[3].texts[1]);
  g_assert_cmpint (dataset->last_time, ==, (gint64) dataset->columns[0].numbers[dataset->n_rows - 1]);
}

static void
test_realdata_german_dates (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(DigithekStoreDataset) dataset = NULL;

  /* Open Bike Sensor: metadata line, header on line 2, `;`, DD.MM.YYYY, empty cells,
   * 125 columns (more than the store keeps). */
  dataset = import_realdata (fixture, "obs/zero-zero-bug.csv",
                             "\"csv\": {\"header_row\": 2},", "Date", "[\"Left\", \"Right\"]");
  g_assert_cmpuint (dataset->n_rows, ==, 6);
  g_assert_cmpint (dataset->x_kind, ==, DIGITHEK_CSV_X_TIME);
  g_assert_cmpuint (dataset->n_columns, ==, DIGITHEK_STORE_MAX_COLUMNS);
  /* 01.09.2021, midnight in Europe/Berlin (CEST, +02:00). */
  g_assert_cmpfloat (dataset->columns[0].numbers[0], ==, 1630447200.0);
  g_assert_cmpfloat (dataset->columns[1].numbers[0], ==, 10.0);
  g_assert_cmpfloat (dataset->columns[2].numbers[1], ==, 70.0);
  g_assert_true (isnan (dataset->columns[1].numbers[2]));
  g_assert_true (isnan (dataset->columns[1].numbers[5]));
  g_assert_cmpfloat (dataset->columns[2].numbers[5], ==, 110.0);
  /* The other columns in header order after the chart's. */
  g_assert_cmpstr (dataset->columns[3].name, ==, "Time");
  g_assert_cmpstr (dataset->columns[3].texts[0], ==, "17:22:53");
}

static void
test_realdata_decimal_comma (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(DigithekStoreDataset) dataset = NULL;

  /* Friedrichshafen: UTF-8 with BOM, `;`, decimal commas; ids as a category axis. */
  dataset = import_realdata (fixture, "parking/friedrichshafen_easypark.csv", "", "id", "[\"length\"]");
  g_assert_cmpuint (dataset->n_rows, ==, 1697);
  g_assert_cmpint (dataset->x_kind, ==, DIGITHEK_CSV_X_CATEGORY);
  g_assert_cmpint (dataset->columns[0].kind, ==, DIGITHEK_STORE_COLUMN_TEXT);
  /* Decided by the first cell ("1"); later ids such as "1234" stay labels. */
  g_assert_cmpstr (dataset->columns[0].texts[0], ==, "1");
  g_assert_cmpstr (dataset->columns[0].texts[1233], ==, "1234");
  g_assert_cmpfloat_with_epsilon (dataset->columns[1].numbers[0], 7.11523, 1e-9);
  g_assert_cmpstr (dataset->columns[2].name, ==, "name");
  g_assert_null (dataset->columns[2].texts[0]);
}

static void
test_realdata_years (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(DigithekStoreDataset) dataset = NULL;

  /* Integers mixed with `20696.0`, empty cells, a year axis. */
  dataset = import_realdata (fixture, "population/bevoelkerung_historisch_nach_stadtteilen.csv", "",
                             "jahr", "[\"altstadt\", \"paradies\"]");
  g_assert_cmpint (dataset->x_kind, ==, DIGITHEK_CSV_X_YEAR);
  g_assert_cmpint (dataset->columns[0].kind, ==, DIGITHEK_STORE_COLUMN_YEAR);
  g_assert_cmpfloat (dataset->columns[0].numbers[0], ==, 1927.0);
  g_assert_cmpfloat (dataset->columns[1].numbers[1], ==, 20696.0);
  g_assert_true (isnan (dataset->columns[2].numbers[0]));
  g_assert_cmpint (dataset->last_time, ==, 0);
}

static void
test_x_kind_widens (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->dir, "widen", NULL);
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(DigithekStoreDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  /* Starts like a year axis, then labels: stored as a category. */
  tu_write (dir, "data/d.csv", "wann,wert\n2020,1\ngestern,2\nheute,3\n", -1);
  tu_write (dir, "pack.json",
            "{\"format\": 1, \"id\": \"widen\", \"version\": 1, \"title\": {\"de\": \"W\"},"
            " \"languages\": [\"de\"], \"items\": [{\"id\": \"d\", \"kind\": \"dataset\","
            " \"title\": {\"de\": \"D\"}, \"data\": \"data/d.csv\","
            " \"chart\": {\"type\": \"bar\", \"x\": \"wann\", \"y\": [\"wert\"]},"
            " \"source\": {\"name\": \"S\", \"license\": \"CC-BY-4.0\"}}]}", -1);
  pack = tu_load_pack (dir);
  import_ok (fixture, pack);
  dataset = tu_store_get_dataset (fixture->store, "widen", "d", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dataset->n_rows, ==, 3);
  g_assert_cmpint (dataset->x_kind, ==, DIGITHEK_CSV_X_CATEGORY);
  g_assert_cmpstr (dataset->columns[0].texts[0], ==, "2020");
  g_assert_cmpstr (dataset->columns[0].texts[1], ==, "gestern");
  g_assert_cmpstr (dataset->columns[0].texts[2], ==, "heute");
  g_assert_cmpfloat (dataset->columns[1].numbers[2], ==, 3.0);
}

static void
test_same_version (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DigithekPack) pack = make_pack (fixture, "konstanz-daten", 4, 10);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpint (import_ok (fixture, pack), ==, DIGITHEK_IMPORT_INSTALLED);
  before = tu_dump (fixture->db_path);
  g_assert_cmpint (import_ok (fixture, pack), ==, DIGITHEK_IMPORT_UNCHANGED);
  after = tu_dump (fixture->db_path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_older_version (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DigithekPack) v4 = make_pack (fixture, "konstanz-daten", 4, 10);
  g_autoptr(DigithekPack) v3 = make_pack (fixture, "konstanz-daten", 3, 10);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  import_ok (fixture, v4);
  before = tu_dump (fixture->db_path);
  g_assert_false (tu_store_import_pack (fixture->store, v3, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_OLDER_VERSION);
  g_assert_cmpstr (error->message, ==, "pack konstanz-daten version 3 is older than installed version 4");
  after = tu_dump (fixture->db_path);
  g_assert_cmpstr (before, ==, after);
}

static guint
count_rows (const char *db_path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_previous_and_rollback (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(DigithekPack) v1 = make_pack (fixture, "konstanz-daten", 1, 10);
  g_autoptr(DigithekPack) v2 = make_pack (fixture, "konstanz-daten", 2, 20);
  g_autoptr(DigithekPack) v3 = make_pack (fixture, "konstanz-daten", 3, 30);
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v1_step = g_build_filename (fixture->dir, "konstanz-daten-v1", "texte", "schritt2-v1.md", NULL);
  g_autofree char *v1_step_sha = sha256_of_file (v1_step);
  g_autofree char *v2_step = g_build_filename (fixture->dir, "konstanz-daten-v2", "texte", "schritt2-v2.md", NULL);
  g_autofree char *v2_step_sha = sha256_of_file (v2_step);
  g_autofree char *shared = g_build_filename (fixture->dir, "konstanz-daten-v1", "texte", "schritt1.md", NULL);
  g_autofree char *shared_sha = sha256_of_file (shared);
  DigithekStorePackInfo *info;

  import_ok (fixture, v1);
  import_ok (fixture, v2);
  packs = tu_store_list_packs (fixture->store, "de", NULL, &error);
  info = g_ptr_array_index (packs, 0);
  g_assert_cmpint (info->version, ==, 2);
  g_assert_cmpint (info->previous_version, ==, 1);
  g_assert_cmpuint (info->n_rows, ==, 20);
  g_assert_true (tu_store_has_asset (fixture->store, v1_step_sha, NULL, &error));

  /* v3: v1 goes, with the assets only it used; shared ones stay. */
  import_ok (fixture, v3);
  g_clear_pointer (&packs, g_ptr_array_unref);
  packs = tu_store_list_packs (fixture->store, "de", NULL, &error);
  info = g_ptr_array_index (packs, 0);
  g_assert_cmpint (info->version, ==, 3);
  g_assert_cmpint (info->previous_version, ==, 2);
  g_assert_false (tu_store_has_asset (fixture->store, v1_step_sha, NULL, &error));
  g_assert_true (tu_store_has_asset (fixture->store, v2_step_sha, NULL, &error));
  g_assert_true (tu_store_has_asset (fixture->store, shared_sha, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (fixture->db_path, "SELECT count (*) FROM packs"), ==, 2);
  g_assert_cmpuint (count_rows (fixture->db_path,
                                "SELECT count (*) FROM sqlite_schema WHERE name LIKE 'dataset\\_%' ESCAPE '\\'"),
                    ==, 2);

  /* Staff rollback: v2 active again, v3 gone, its own assets freed. */
  g_assert_true (tu_store_rollback_pack (fixture->store, "konstanz-daten", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&packs, g_ptr_array_unref);
  packs = tu_store_list_packs (fixture->store, "de", NULL, &error);
  info = g_ptr_array_index (packs, 0);
  g_assert_cmpint (info->version, ==, 2);
  g_assert_cmpint (info->previous_version, ==, 0);
  g_assert_cmpuint (info->n_rows, ==, 20);
  items = tu_store_list_items (fixture->store, "de", NULL, &error);
  g_assert_cmpstr (find_item (items, "luft")->title, ==, "Luftqualität v2");
  g_assert_true (tu_store_has_asset (fixture->store, v2_step_sha, NULL, &error));
  g_assert_cmpuint (count_rows (fixture->db_path,
                                "SELECT count (*) FROM sqlite_schema WHERE name LIKE 'dataset\\_%' ESCAPE '\\'"),
                    ==, 1);

  g_assert_false (tu_store_rollback_pack (fixture->store, "konstanz-daten", NULL, &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NO_PREVIOUS);
  g_clear_error (&error);
  g_assert_false (tu_store_rollback_pack (fixture->store, "nicht-da", NULL, &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND);
}

/* ---- atomicity ---- */

typedef struct
{
  GCancellable *cancellable;
  guint64       cancel_at;
  guint64       last_seen;
} CancelState;

static void
cancel_progress (guint64  rows,
                 gpointer user_data)
{
  CancelState *state = user_data;

  state->last_seen = rows;
  if (rows >= state->cancel_at)
    g_cancellable_cancel (state->cancellable);
}

static void
test_atomic_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DigithekPack) v1 = make_pack (fixture, "konstanz-daten", 1, 300);
  g_autoptr(DigithekPack) v2 = make_pack (fixture, "konstanz-daten", 2, 300);
  g_autoptr(DigithekPack) v3 = make_pack (fixture, "konstanz-daten", 3, 2000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CancelState state = { cancellable, 500, 0 };

  /* An active and a previous version, so that the import would delete and demote. */
  import_ok (fixture, v1);
  import_ok (fixture, v2);
  before = tu_dump (fixture->db_path);

  g_assert_false (tu_store_import_pack (fixture->store, v3, cancel_progress, &state,
                                        NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (state.last_seen, >=, 500);
  g_assert_cmpuint (state.last_seen, <, 2000);

  after = tu_dump (fixture->db_path);
  g_assert_cmpstr (before, ==, after);

  /* And the store still takes the import afterwards. */
  g_cancellable_reset (cancellable);
  g_assert_cmpint (import_ok (fixture, v3), ==, DIGITHEK_IMPORT_INSTALLED);
}

static void
test_atomic_bad_row (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(DigithekPack) v1 = make_pack (fixture, "konstanz-daten", 1, 300);
  g_autoptr(DigithekPack) v2 = make_pack (fixture, "konstanz-daten", 2, 1000);
  g_autofree char *csv_path = g_build_filename (fixture->dir, "konstanz-daten-v2", "data", "luft.csv", NULL);
  g_autoptr(GString) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(GStrv) lines = NULL;

  import_ok (fixture, v1);
  before = tu_dump (fixture->db_path);

  /* The CSV changes after validation: line 501 (data row 500) no longer holds a number. */
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_free (lines[500]);
  lines[500] = g_strdup ("20.11.2025 08:00;kaputt;1,0");
  g_clear_pointer (&contents, g_free);
  contents = g_strjoinv ("\n", lines);
  g_assert_true (g_file_set_contents (csv_path, contents, -1, NULL));

  g_assert_false (tu_store_import_pack (fixture->store, v2, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "data/luft.csv"));
  g_assert_nonnull (strstr (error->message, "line 501"));
  g_assert_nonnull (strstr (error->message, "kaputt"));

  after = tu_dump (fixture->db_path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_atomic_missing_file (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(DigithekPack) v1 = make_pack (fixture, "konstanz-daten", 1, 50);
  g_autoptr(DigithekPack) v2 = make_pack (fixture, "konstanz-daten", 2, 50);
  g_autofree char *md = g_build_filename (fixture->dir, "konstanz-daten-v2", "texte", "schritt2-v2.md", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  import_ok (fixture, v1);
  before = tu_dump (fixture->db_path);

  /* An I/O error late in the import (the guide comes after the dataset). */
  g_assert_cmpint (g_unlink (md), ==, 0);
  g_assert_false (tu_store_import_pack (fixture->store, v2, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "schritt2-v2.md"));

  after = tu_dump (fixture->db_path);
  g_assert_cmpstr (before, ==, after);
}

/* ---- search ---- */

static gboolean
hits_contain (GPtrArray  *hits,
              const char *pack_id,
              const char *item_id)
{
  for (guint i = 0; i < hits->len; i++)
    {
      DigithekStoreSearchHit *hit = g_ptr_array_index (hits, i);

      if (g_str_equal (hit->pack_id, pack_id) && g_str_equal (hit->item_id, item_id))
        return TRUE;
    }
  return FALSE;
}

static GPtrArray *
search (Fixture    *fixture,
        const char *query,
        const char *language)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = tu_store_search (fixture->store, query, language, 20, NULL, &error);

  g_assert_no_error (error);
  return hits;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(DigithekPack) v1 = make_pack (fixture, "konstanz-daten", 1, 10);
  g_autoptr(DigithekPack) v2 = make_pack (fixture, "konstanz-daten", 2, 10);
  g_autoptr(DigithekPack) other = make_pack (fixture, "andere-stadt", 1, 10);
  g_autoptr(GPtrArray) hits = NULL;
  DigithekStoreSearchHit *hit;

  import_ok (fixture, v1);
  import_ok (fixture, other);

  /* German prefix, in the title. */
  hits = search (fixture, "parks", "de");
  g_assert_cmpuint (hits->len, ==, 2);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->item_id, ==, "sensoren");
  g_assert_cmpstr (hit->title, ==, "Parksensoren");
  g_assert_cmpint (hit->kind, ==, DIGITHEK_ITEM_EXPLAINER);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* English prefix in the body; not found in German texts. */
  hits = search (fixture, "rad", "en");
  g_assert_true (hits_contain (hits, "konstanz-daten", "sensoren"));
  g_assert_cmpstr (((DigithekStoreSearchHit *) g_ptr_array_index (hits, 0))->title, ==, "Parking sensors");
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture, "radio", "de");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Diacritics folded; two words both as prefixes; an English search falls back to
   * German texts for an item without English. */
  hits = search (fixture, "luftqualitat", "de");
  g_assert_true (hits_contain (hits, "konstanz-daten", "luft"));
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture, "gehei sechsst", "en");
  g_assert_true (hits_contain (hits, "konstanz-daten", "ausweis"));
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture, "gehei nirgendwo", "de");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* FTS syntax in the query is just text. */
  hits = search (fixture, "\"park* OR NEAR(", "de");
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture, "  ", "de");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Only active versions: v1's title word disappears when v2 is active. */
  hits = search (fixture, "v1", "de");
  g_assert_true (hits_contain (hits, "konstanz-daten", "luft"));
  g_clear_pointer (&hits, g_ptr_array_unref);
  import_ok (fixture, v2);
  hits = search (fixture, "v1", "de");
  g_assert_false (hits_contain (hits, "konstanz-daten", "luft"));
  g_assert_true (hits_contain (hits, "andere-stadt", "luft"));
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture, "v2", "de");
  g_assert_true (hits_contain (hits, "konstanz-daten", "luft"));
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* And back after a rollback. */
  g_assert_true (tu_store_rollback_pack (fixture->store, "konstanz-daten", NULL, NULL));
  hits = search (fixture, "v2", "de");
  g_assert_cmpuint (hits->len, ==, 0);
}

/* ---- async import from a main loop ---- */

typedef struct
{
  GMainLoop *loop;
  GThread   *main_thread;
  gboolean   done;
  gboolean   destroyed;
} AsyncImport;

static void
progress_noop (guint64  rows,
               gpointer user_data)
{
}

static void
progress_destroy (gpointer user_data)
{
  AsyncImport *state = user_data;

  state->destroyed = TRUE;
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncImport *state = user_data;
  g_autoptr(GError) error = NULL;
  DigithekImportOutcome outcome;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_true (digithek_store_import_pack_finish (DIGITHEK_STORE (object), result, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, DIGITHEK_IMPORT_INSTALLED);
  state->done = TRUE;
  g_main_loop_quit (state->loop);
}

static void
test_async_import (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DigithekPack) pack = make_pack (fixture, "konstanz-daten", 1, 1000);
  AsyncImport state = { g_main_loop_new (NULL, FALSE), g_thread_self (), FALSE, FALSE };

  digithek_store_import_pack_async (fixture->store, pack, progress_noop, &state, progress_destroy,
                                    NULL, imported_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_true (state.done);
  g_main_loop_unref (state.loop);
  /* The task and its data are released once the worker lets go of it. */
  digithek_store_close (fixture->store);
  g_assert_true (state.destroyed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/content/importer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("import-and-list", test_import_and_list);
  ADD ("dataset/generated", test_dataset_generated);
  ADD ("dataset/realdata-airquality", test_realdata_airquality);
  ADD ("dataset/realdata-german-dates", test_realdata_german_dates);
  ADD ("dataset/realdata-decimal-comma", test_realdata_decimal_comma);
  ADD ("dataset/realdata-years", test_realdata_years);
  ADD ("dataset/x-kind-widens", test_x_kind_widens);
  ADD ("same-version", test_same_version);
  ADD ("older-version", test_older_version);
  ADD ("previous-and-rollback", test_previous_and_rollback);
  ADD ("atomic/cancel", test_atomic_cancel);
  ADD ("atomic/bad-row", test_atomic_bad_row);
  ADD ("atomic/missing-file", test_atomic_missing_file);
  ADD ("search", test_search);
  ADD ("async", test_async_import);

  return g_test_run ();
}
