/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "digithek-metrics.h"
#include "digithek-test-util.h"

#define OLD_TEXT "# an old metrics file\ndigithek_up 1\n"

static const char expected_empty[] =
  "# HELP digithek_up Whether the DigiThek kiosk is running.\n"
  "# TYPE digithek_up gauge\n"
  "digithek_up 1\n"
  "# HELP digithek_sync_last_success_timestamp_seconds Unix time of the last successful content sync, 0 if none yet.\n"
  "# TYPE digithek_sync_last_success_timestamp_seconds gauge\n"
  "digithek_sync_last_success_timestamp_seconds 0\n"
  "# HELP digithek_sync_failures_total Content syncs that failed since the kiosk started.\n"
  "# TYPE digithek_sync_failures_total counter\n"
  "digithek_sync_failures_total 0\n"
  "# HELP digithek_pack_version Installed version of each content pack.\n"
  "# TYPE digithek_pack_version gauge\n"
  "# HELP digithek_store_bytes Size of the content store and its write-ahead log in bytes.\n"
  "# TYPE digithek_store_bytes gauge\n"
  "digithek_store_bytes 0\n"
  "# HELP digithek_sessions_total Citizen sessions that ended since the kiosk started.\n"
  "# TYPE digithek_sessions_total counter\n"
  "digithek_sessions_total 0\n";

static const char expected_full[] =
  "# HELP digithek_up Whether the DigiThek kiosk is running.\n"
  "# TYPE digithek_up gauge\n"
  "digithek_up 1\n"
  "# HELP digithek_sync_last_success_timestamp_seconds Unix time of the last successful content sync, 0 if none yet.\n"
  "# TYPE digithek_sync_last_success_timestamp_seconds gauge\n"
  "digithek_sync_last_success_timestamp_seconds 1795786200\n"
  "# HELP digithek_sync_failures_total Content syncs that failed since the kiosk started.\n"
  "# TYPE digithek_sync_failures_total counter\n"
  "digithek_sync_failures_total 2\n"
  "# HELP digithek_pack_version Installed version of each content pack.\n"
  "# TYPE digithek_pack_version gauge\n"
  "digithek_pack_version{pack=\"konstanz-daten\"} 12\n"
  "digithek_pack_version{pack=\"verwaltung-online\"} 3\n"
  "# HELP digithek_store_bytes Size of the content store and its write-ahead log in bytes.\n"
  "# TYPE digithek_store_bytes gauge\n"
  "digithek_store_bytes 5368709120\n"
  "# HELP digithek_sessions_total Citizen sessions that ended since the kiosk started.\n"
  "# TYPE digithek_sessions_total counter\n"
  "digithek_sessions_total 3\n";

static DigithekMetrics *
make_full_metrics (void)
{
  DigithekMetrics *metrics = digithek_metrics_new ();

  /* 2026-11-27 13:30:00 UTC. */
  digithek_metrics_set_sync_last_success (metrics, 1795786200);
  digithek_metrics_add_sync_failure (metrics);
  digithek_metrics_add_sync_failure (metrics);
  /* Set out of order and once replaced: the output is sorted, one line per pack. */
  digithek_metrics_set_pack_version (metrics, "verwaltung-online", 3);
  digithek_metrics_set_pack_version (metrics, "konstanz-daten", 11);
  digithek_metrics_set_pack_version (metrics, "konstanz-daten", 12);
  /* Beyond 32 bits, as a store with large datasets can be. */
  digithek_metrics_set_store_bytes (metrics, G_GUINT64_CONSTANT (5368709120));
  for (guint i = 0; i < 3; i++)
    digithek_metrics_add_session (metrics);
  return metrics;
}

static void
test_metrics_exact (void)
{
  g_autoptr(DigithekMetrics) metrics = digithek_metrics_new ();
  g_autofree char *empty = digithek_metrics_to_string (metrics);
  g_autofree char *full = NULL;

  g_assert_cmpstr (empty, ==, expected_empty);

  g_clear_object (&metrics);
  metrics = make_full_metrics ();
  full = digithek_metrics_to_string (metrics);
  g_assert_cmpstr (full, ==, expected_full);
  g_assert_cmpuint (digithek_metrics_get_sync_failures (metrics), ==, 2);
  g_assert_cmpuint (digithek_metrics_get_sessions (metrics), ==, 3);

  /* A pack removed from the store disappears. */
  digithek_metrics_clear_packs (metrics);
  g_clear_pointer (&full, g_free);
  full = digithek_metrics_to_string (metrics);
  g_assert_null (strstr (full, "digithek_pack_version{"));

  g_assert_finalize_object (g_steal_pointer (&metrics));
}

static void
test_metrics_label_escaping (void)
{
  g_autoptr(DigithekMetrics) metrics = digithek_metrics_new ();
  g_autofree char *text = NULL;

  /* Pack ids are validated long before they get here, but the writer must not rely on
   * that: one stray quote would make node-exporter drop the whole file. */
  digithek_metrics_set_pack_version (metrics, "say \"hi\"\\now\nnext ü", 1);
  text = digithek_metrics_to_string (metrics);
  g_assert_nonnull (strstr (text, "\ndigithek_pack_version{pack=\"say \\\"hi\\\"\\\\now\\nnext ü\"} 1\n"));
}

static void
test_metrics_measure_store (void)
{
  g_autoptr(DigithekMetrics) metrics = digithek_metrics_new ();
  g_autofree char *dir = dt_make_tmp_dir ();
  g_autofree char *store = g_build_filename (dir, "store.db", NULL);
  g_autofree char *wal = g_build_filename (dir, "store.db-wal", NULL);
  g_autofree char *shm = g_build_filename (dir, "store.db-shm", NULL);
  g_autoptr(GError) error = NULL;

  digithek_metrics_measure_store (metrics, store);
  g_assert_cmpuint (digithek_metrics_get_store_bytes (metrics), ==, 0);

  g_file_set_contents (store, "0123456789", 10, &error);
  g_assert_no_error (error);
  digithek_metrics_measure_store (metrics, store);
  g_assert_cmpuint (digithek_metrics_get_store_bytes (metrics), ==, 10);

  /* The shared-memory index is not data, and is not counted. */
  g_file_set_contents (wal, "01234", 5, &error);
  g_assert_no_error (error);
  g_file_set_contents (shm, "0123456789012345", 16, &error);
  g_assert_no_error (error);
  digithek_metrics_measure_store (metrics, store);
  g_assert_cmpuint (digithek_metrics_get_store_bytes (metrics), ==, 15);

  dt_remove_tree (dir);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  /* g_ptr_array_sort() passes pointers to the elements. */
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The names in @dir, sorted, joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
test_metrics_write (void)
{
  g_autoptr(DigithekMetrics) metrics = make_full_metrics ();
  g_autofree char *dir = dt_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "digithek.prom", NULL);
  g_autofree char *text = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  mode_t old_umask;

  /* A strict umask, as a hardened unit may set: the file must still be world-readable. */
  old_umask = umask (077);
  g_assert_true (digithek_metrics_write (metrics, path, &error));
  umask (old_umask);
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0644);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, expected_full);

  /* Replacing works, and leaves no temporary file behind. */
  digithek_metrics_add_session (metrics);
  g_assert_true (digithek_metrics_write (metrics, path, &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "\ndigithek_sessions_total 4\n"));
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "digithek.prom");

  dt_remove_tree (dir);
}

/* A folder holding the metrics file with OLD_TEXT, for the failure tests; the child
 * process finds it through the environment. */
static char *
make_old_file (char **out_path)
{
  char *dir = dt_make_tmp_dir ();
  g_autoptr(GError) error = NULL;

  *out_path = g_build_filename (dir, "digithek.prom", NULL);
  g_file_set_contents (*out_path, OLD_TEXT, -1, &error);
  g_assert_no_error (error);
  g_setenv ("DIGITHEK_TEST_METRICS_FILE", *out_path, TRUE);
  return dir;
}

static void
assert_old_file_intact (const char *dir,
                        const char *path)
{
  g_autofree char *text = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, OLD_TEXT);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "digithek.prom");
}

static void
test_metrics_write_read_only_dir (void)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(DigithekMetrics) metrics = make_full_metrics ();
      g_autoptr(GError) error = NULL;
      const char *file = g_getenv ("DIGITHEK_TEST_METRICS_FILE");

      /* Root writes into a read-only folder regardless, so be somebody else. */
      if (geteuid () == 0)
        {
          g_assert_cmpint (setgroups (0, NULL), ==, 0);
          g_assert_cmpint (setgid (65534), ==, 0);
          g_assert_cmpint (setuid (65534), ==, 0);
        }

      g_assert_false (digithek_metrics_write (metrics, file, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
      g_assert_nonnull (strstr (error->message, file));
      return;
    }

  dir = make_old_file (&path);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_test_trap_assert_passed ();

  assert_old_file_intact (dir, path);
  dt_remove_tree (dir);
}

static void
test_metrics_write_partial (void)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(DigithekMetrics) metrics = make_full_metrics ();
      g_autoptr(GError) error = NULL;
      struct rlimit limit;

      /* A file size limit makes the write fail half-way, as a full disk would, and binds
       * root too. */
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      limit.rlim_cur = 64;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_assert_false (digithek_metrics_write (metrics, g_getenv ("DIGITHEK_TEST_METRICS_FILE"),
                                              &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_FILE_ERROR);
      return;
    }

  dir = make_old_file (&path);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  assert_old_file_intact (dir, path);
  dt_remove_tree (dir);
}

static void
check_with_promtool (const char *promtool,
                     const char *text)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, promtool, "check", "metrics", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, text, NULL, &out, &err, &error);
  g_assert_no_error (error);

  /* promtool prints lint problems (missing HELP, counters without _total…) and exits
   * non-zero; the file must pass without a single remark. */
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_metrics_promtool (void)
{
  g_autofree char *promtool = g_find_program_in_path ("promtool");
  g_autoptr(DigithekMetrics) metrics = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *full = NULL;

  if (promtool == NULL)
    {
      g_test_skip ("promtool is not installed (Debian package prometheus)");
      return;
    }

  metrics = digithek_metrics_new ();
  empty = digithek_metrics_to_string (metrics);
  check_with_promtool (promtool, empty);

  g_clear_object (&metrics);
  metrics = make_full_metrics ();
  digithek_metrics_set_pack_version (metrics, "say \"hi\"\\now\nnext ü", 1);
  full = digithek_metrics_to_string (metrics);
  check_with_promtool (promtool, full);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/metrics/exact", test_metrics_exact);
  g_test_add_func ("/kiosk/metrics/label-escaping", test_metrics_label_escaping);
  g_test_add_func ("/kiosk/metrics/measure-store", test_metrics_measure_store);
  g_test_add_func ("/kiosk/metrics/write", test_metrics_write);
  g_test_add_func ("/kiosk/metrics/write-read-only-dir", test_metrics_write_read_only_dir);
  g_test_add_func ("/kiosk/metrics/write-partial", test_metrics_write_partial);
  g_test_add_func ("/kiosk/metrics/promtool", test_metrics_promtool);

  return g_test_run ();
}
