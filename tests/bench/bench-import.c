/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Quality bar "import": a 1,000,000-row CSV imports in ≤ 1.5× the time of the sqlite3
 * shell's `.import` of the same file, same run.
 *
 * Times the store's import of an already loaded (validated) pack, as the sync path
 * does after verifying hashes: validation is timed and printed separately. Each side
 * runs --repeat times (at least 3) into a fresh database, the two sides interleaved so
 * that both see the same machine load; the median of each side counts. The exit status
 * is 0 either way: the figure line says PASS or FAIL. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "digithek-pack.h"
#include "digithek-store.h"
#include "store-test-util.h"

#define BAR 1.5

static int n_rows = 1000000;
static int repeat = 5;
static char *sqlite3_program = NULL;

static GOptionEntry entries[] = {
  { "rows", 0, 0, G_OPTION_ARG_INT, &n_rows, "Rows in the CSV (1000000)", "N" },
  { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs of each side, interleaved; the median counts (5, at least 3)", "N" },
  { "sqlite3", 0, 0, G_OPTION_ARG_FILENAME, &sqlite3_program, "The sqlite3 shell (sqlite3)", "PATH" },
  { NULL },
};

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        int     n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      rm_rf (child);
    }
  g_rmdir (path);
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (journal);
}

/* Hourly readings of a weather station, formatted as LUBW publishes them: ISO 8601 with
 * the offset switching between +01:00 and +02:00, two decimals, gaps as empty cells. */
static void
write_csv (const char *path)
{
  FILE *file = fopen (path, "w");
  gint64 start = 1577833200; /* 2020-01-01T00:00:00+01:00 */
  guint32 seed = 12345;

  g_assert_nonnull (file);
  fputs ("startZeit,temperatur,feuchte,druck,wind\n", file);
  for (int i = 0; i < n_rows; i++)
    {
      gint64 t = start + (gint64) i * 3600;
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
      /* Central European summer time, close enough for the file's shape: April–October. */
      int month = g_date_time_get_month (utc);
      int offset = month >= 4 && month <= 10 ? 2 : 1;
      g_autoptr(GDateTime) local = g_date_time_add_hours (utc, offset);
      double values[4];

      for (int v = 0; v < 4; v++)
        {
          seed = seed * 1103515245 + 12345;
          values[v] = (seed >> 8) % 100000 / 100.0;
        }
      fprintf (file, "%04d-%02d-%02dT%02d:00:00+0%d:00,",
               g_date_time_get_year (local), g_date_time_get_month (local),
               g_date_time_get_day_of_month (local), g_date_time_get_hour (local), offset);
      if (i % 53 == 7)
        fprintf (file, ",%.2f,%.2f,%.2f\n", values[1], 900 + values[2] / 10, values[3] / 10);
      else
        fprintf (file, "%.2f,%.2f,%.2f,%.2f\n", values[0] / 20 - 10, values[1], 900 + values[2] / 10,
                 values[3] / 10);
    }
  g_assert_cmpint (fclose (file), ==, 0);
}

static double
time_sqlite3_import (const char *csv_path,
                     const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *import = g_strdup_printf (".import %s t", csv_path);
  const char *argv[] = { sqlite3_program, db_path, "-cmd", ".mode csv", import, NULL };
  g_autofree char *err = NULL;
  int status;
  gint64 start;

  remove_db (db_path);
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench-import: %s: %s %s\n", sqlite3_program, error->message, err ? err : "");
      exit (2);
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
time_store_import (DigithekPack *pack,
                   const char   *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekStore) store = NULL;
  DigithekImportOutcome outcome;
  gint64 start;
  double seconds;

  remove_db (db_path);
  store = tu_store_new (db_path, NULL, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  if (!tu_store_import_pack (store, pack, NULL, NULL, &outcome, NULL, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      exit (2);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_cmpint (outcome, ==, DIGITHEK_IMPORT_INSTALLED);
  digithek_store_close (store);
  return seconds;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— time a 1,000,000-row import");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pack_dir = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *shell_path = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  DigithekPackLimits limits;
  g_autofree double *ours_runs = NULL;
  g_autofree double *reference_runs = NULL;
  double ours, reference, validation;
  gint64 start;
  struct stat st;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 2;
    }
  if (sqlite3_program == NULL)
    sqlite3_program = g_strdup ("sqlite3");
  repeat = MAX (repeat, 3);
  ours_runs = g_new (double, repeat);
  reference_runs = g_new (double, repeat);

  dir = g_dir_make_tmp ("bench-import-XXXXXX", &error);
  g_assert_no_error (error);
  pack_dir = g_build_filename (dir, "pack", NULL);
  g_assert_cmpint (g_mkdir_with_parents (pack_dir, 0755), ==, 0);
  csv_path = g_build_filename (pack_dir, "messwerte.csv", NULL);
  store_path = g_build_filename (dir, "store.db", NULL);
  shell_path = g_build_filename (dir, "shell.db", NULL);

  write_csv (csv_path);
  g_assert_cmpint (g_stat (csv_path, &st), ==, 0);
  {
    g_autofree char *json_path = g_build_filename (pack_dir, "pack.json", NULL);
    const char *json =
      "{\"format\": 1, \"id\": \"bench\", \"version\": 1,"
      " \"title\": {\"de\": \"Messwerte\", \"en\": \"Readings\"}, \"languages\": [\"de\", \"en\"],"
      " \"items\": [{\"id\": \"wetter\", \"kind\": \"dataset\","
      "  \"title\": {\"de\": \"Wetter stündlich\", \"en\": \"Hourly weather\"},"
      "  \"data\": \"messwerte.csv\","
      "  \"chart\": {\"type\": \"line\", \"x\": \"startZeit\","
      "            \"y\": [\"temperatur\", \"feuchte\", \"druck\", \"wind\"]},"
      "  \"source\": {\"name\": \"Benchmark\", \"license\": \"CC-BY-4.0\"}}]}";

    g_file_set_contents (json_path, json, -1, &error);
    g_assert_no_error (error);
  }

  /* The generated file is bigger than a pack's default file limit allows. */
  digithek_pack_limits_init_default (&limits);
  limits.max_file_size = MAX (limits.max_file_size, (guint64) st.st_size);
  limits.max_pack_size = MAX (limits.max_pack_size, (guint64) st.st_size * 2);
  start = g_get_monotonic_time ();
  pack = digithek_pack_load (pack_dir, &limits, &problems, &error);
  validation = (g_get_monotonic_time () - start) / 1e6;
  if (pack == NULL)
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 2;
    }

  /* Interleaved, and alternating which side goes first, so that neither side is
   * systematically favoured by a warm page cache or a burst of load. */
  for (int i = 0; i < repeat; i++)
    {
      double r, o;

      if (i % 2 == 0)
        {
          r = time_sqlite3_import (csv_path, shell_path);
          o = time_store_import (pack, store_path);
        }
      else
        {
          o = time_store_import (pack, store_path);
          r = time_sqlite3_import (csv_path, shell_path);
        }
      printf ("# run %d: store %.3f s, sqlite3 .import %.3f s (%.2fx)\n", i + 1, o, r, o / r);
      fflush (stdout);
      ours_runs[i] = o;
      reference_runs[i] = r;
    }
  ours = median (ours_runs, repeat);
  reference = median (reference_runs, repeat);

  printf ("# %d rows, %.1f MB CSV; validation (digithek_pack_load, not in the figure) %.3f s\n",
          n_rows, st.st_size / 1e6, validation);
  printf ("import: %.2fx = %.3f s (reference: sqlite3 .import %.3f s, bar: <= %.1fx; "
          "medians of %d interleaved runs) %s\n",
          ours / reference, ours, reference, BAR, repeat, ours / reference <= BAR ? "PASS" : "FAIL");

  rm_rf (dir);
  g_free (sqlite3_program);
  return 0;
}
