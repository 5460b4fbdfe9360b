/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk program from outside, as operators and staff meet it. */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include "digithek-pack.h"
#include "digithek-store.h"
#include "digithek-test-util.h"
#include "store-test-util.h"

static JsonObject *
parse_status (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_status_missing_store (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *store = g_build_filename (tmp, "store.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) status = NULL;

  g_assert_cmpint (dt_run_kiosk (&out, &err, "--status", "--store", store, NULL), ==, 0);
  status = parse_status (out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "packs")), ==, 0);
  g_assert_true (json_object_get_null_member (status, "view"));
  g_assert_true (json_object_has_member (status, "channel"));
  g_assert_true (json_object_has_member (status, "serial"));
  g_assert_true (json_object_has_member (status, "last_sync"));
  /* Reporting never creates a store. */
  g_assert_false (g_file_test (store, G_FILE_TEST_EXISTS));

  dt_remove_tree (tmp);
}

static void
test_status_reports_packs (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *store_path = g_build_filename (tmp, "store.db", NULL);
  g_autofree char *pack_dir = g_build_filename (tmp, "pack", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *pack;

  dt_write_file (pack_dir, "data.csv", "Datum;Wert\n27.11.2026;1,5\n28.11.2026;\n29.11.2026;3\n");
  dt_write_file (pack_dir, "pack.json",
                 "{\"format\": 1, \"id\": \"status-pack\", \"version\": 3,"
                 " \"title\": {\"de\": \"Status\"}, \"languages\": [\"de\"],"
                 " \"items\": [{\"id\": \"werte\", \"kind\": \"dataset\","
                 "   \"title\": {\"de\": \"Werte\"}, \"data\": \"data.csv\","
                 "   \"chart\": {\"type\": \"line\", \"x\": \"Datum\", \"y\": [\"Wert\"]},"
                 "   \"source\": {\"name\": \"Test\", \"license\": \"CC0-1.0\"}}]}");
  {
    g_autoptr(DigithekPack) pack_obj = digithek_pack_load (pack_dir, NULL, NULL, &error);
    g_autoptr(DigithekStore) store = NULL;

    g_assert_no_error (error);
    store = tu_store_new (store_path, NULL, &error);
    g_assert_no_error (error);
    tu_store_import_pack (store, pack_obj, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    digithek_store_close (store);
  }

  g_assert_cmpint (dt_run_kiosk (&out, &err, "--status", "--store", store_path, NULL), ==, 0);
  status = parse_status (out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "packs")), ==, 1);
  pack = json_array_get_object_element (json_object_get_array_member (status, "packs"), 0);
  g_assert_cmpstr (json_object_get_string_member (pack, "id"), ==, "status-pack");
  g_assert_cmpint (json_object_get_int_member (pack, "version"), ==, 3);
  g_assert_true (json_object_get_null_member (pack, "previous_version"));
  g_assert_cmpint (json_object_get_int_member (pack, "items"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (pack, "rows"), ==, 3);

  dt_remove_tree (tmp);
}

static void
test_preview_refuses_invalid_pack (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  dt_write_file (tmp, "pack.json", "{\"format\": 1, \"id\": \"x\", \"version\": 1,");
  g_assert_cmpint (dt_run_kiosk (&out, &err, "--preview", tmp, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "pack.json"));
  g_assert_nonnull (strstr (err, "cannot be previewed"));

  dt_remove_tree (tmp);
}

static void
test_demo_and_preview_conflict (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (dt_run_kiosk (&out, &err, "--demo", "--preview", "/tmp", NULL), ==, 2);
}

/* Starts the kiosk with @args, its output going to @log. */
static GPid
spawn_kiosk (const char  *log,
             const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_ptr_array_add (argv, (char *) "/bin/sh");
  g_ptr_array_add (argv, (char *) "-c");
  g_ptr_array_add (argv, (char *) "log=$1; shift; exec \"$@\" >\"$log\" 2>&1");
  g_ptr_array_add (argv, (char *) "sh");
  g_ptr_array_add (argv, (char *) log);
  g_ptr_array_add (argv, (char *) g_getenv ("DIGITHEK_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_async (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                 &pid, &error);
  g_assert_no_error (error);
  return pid;
}

/* Polls `digithek --status` until the running kiosk shows home with @n_packs packs;
 * on a timeout prints the kiosk's log and fails. */
static JsonObject *
wait_for_home (const char *log,
               guint       min_packs)
{
  g_autoptr(JsonObject) status = NULL;
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (dt_run_kiosk (&out, &err, "--status", NULL), ==, 0);
      g_clear_pointer (&status, json_object_unref);
      status = parse_status (out);
      if (json_array_get_length (json_object_get_array_member (status, "packs")) >= min_packs &&
          !json_object_get_null_member (status, "view") &&
          g_strcmp0 (json_object_get_string_member (status, "view"), "home") == 0)
        return g_steal_pointer (&status);
      g_usleep (200 * 1000);
    }

  {
    g_autofree char *text = NULL;

    g_file_get_contents (log, &text, NULL, NULL);
    g_test_message ("kiosk log:\n%s", text != NULL ? text : "(none)");
  }
  g_assert_not_reached ();
  return NULL;
}

/* Starts `digithek --demo`, waits until --status shows its home view, then stops it
 * with SIGTERM and checks the temporary store is gone. */
static void
test_demo_shows_home (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *log = g_build_filename (tmp, "kiosk.log", NULL);
  const char *args[] = { "--demo", NULL };
  g_autoptr(JsonObject) status = NULL;
  g_autofree char *store_path = NULL;
  GPid pid;
  int wait_status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("needs a display (run under xvfb-run)");
      return;
    }
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs a session bus (run under dbus-run-session)");
      return;
    }

  pid = spawn_kiosk (log, args);
  status = wait_for_home (log, 3);

  /* Every demo pack is there. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "packs")), >=, 3);
  store_path = g_strdup (json_object_get_string_member (status, "store"));
  g_assert_true (g_file_test (store_path, G_FILE_TEST_EXISTS));

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  /* The demo's temporary store leaves no trace. */
  g_assert_false (g_file_test (store_path, G_FILE_TEST_EXISTS));
  dt_remove_tree (tmp);
}

/* Publishes the demo packs into a fresh channel; returns the public key. */
static char *
publish_demo_channel (const char *tmp,
                      const char *channel)
{
  g_autofree char *key = g_build_filename (tmp, "key", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *e_gov = g_build_filename (g_getenv ("DEMO_DIR"), "e-government", NULL);
  g_auto(GStrv) lines = NULL;
  guint n;

  g_assert_cmpint (dt_run_tool (&out, &err, "keygen", "--out", key, NULL), ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >, 0);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_tool (&out, &err, "publish", e_gov, "--key", key, "--out", channel,
                                NULL), ==, 0);
  return g_strdup (lines[n - 1]);
}

static void
test_sync_once (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *channel = g_build_filename (tmp, "channel", NULL);
  g_autofree char *store = g_build_filename (tmp, "store.db", NULL);
  g_autofree char *pub = publish_demo_channel (tmp, channel);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autofree char *config = g_build_filename (tmp, "empty.ini", NULL);
  const char *foreign = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

  /* No trusted key: a usage error, nothing touched. */
  dt_write_file (tmp, "empty.ini", "");
  g_assert_cmpint (dt_run_kiosk (&out, &err, "--sync-once", "--store", store,
                                 "--channel", channel, "--config", config, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "trusted"));

  /* A key that did not sign the index: refused with a one-line reason. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_kiosk (&out, &err, "--sync-once", "--store", store,
                                 "--channel", channel, "--trust", foreign, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "index signature does not match any trusted key"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_kiosk (&out, &err, "--sync-once", "--store", store,
                                 "--channel", channel, "--trust", pub, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "e-government"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_kiosk (&out, &err, "--sync-once", "--store", store,
                                 "--channel", channel, "--trust", pub, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "up to date"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_kiosk (&out, &err, "--status", "--store", store, NULL), ==, 0);
  status = parse_status (out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "packs")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (status, "serial"), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (status, "last_sync"),
                                                 "ok"));

  dt_remove_tree (tmp);
}

/* The running kiosk syncs by itself at start and shows what arrived. */
static void
test_kiosk_background_sync (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *channel = g_build_filename (tmp, "channel", NULL);
  g_autofree char *store = g_build_filename (tmp, "store.db", NULL);
  g_autofree char *log = g_build_filename (tmp, "kiosk.log", NULL);
  g_autofree char *pub = publish_demo_channel (tmp, channel);
  g_autofree char *config = g_build_filename (tmp, "empty.ini", NULL);
  const char *args[] = { "--store", store, "--channel", channel, "--trust", pub,
                         "--config", config, NULL };
  g_autoptr(JsonObject) status = NULL;
  GPid pid;
  int wait_status;

  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs a display and a session bus");
      return;
    }

  dt_write_file (tmp, "empty.ini", "");
  pid = spawn_kiosk (log, args);
  status = wait_for_home (log, 1);
  g_assert_cmpstr (json_object_get_string_member (status, "store"), ==, store);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "packs")), ==, 1);

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  dt_remove_tree (tmp);
}

/* Reads @path until it holds every one of the NULL-terminated @needles (90 s). */
static char *
wait_for_file_with (const char *path,
                    const char *log,
                    ...)
{
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  g_autofree char *text = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      gboolean all = TRUE;
      const char *needle;
      va_list args;

      g_clear_pointer (&text, g_free);
      if (g_file_get_contents (path, &text, NULL, NULL))
        {
          va_start (args, log);
          while ((needle = va_arg (args, const char *)) != NULL)
            all = all && strstr (text, needle) != NULL;
          va_end (args);
          if (all)
            return g_steal_pointer (&text);
        }
      g_usleep (200 * 1000);
    }

  {
    g_autofree char *log_text = NULL;

    g_file_get_contents (log, &log_text, NULL, NULL);
    g_test_message ("%s:\n%s\nkiosk log:\n%s", path, text != NULL ? text : "(none)",
                    log_text != NULL ? log_text : "(none)");
  }
  g_assert_not_reached ();
  return NULL;
}

static void
activate_kiosk_action (const char *action)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (bus);
  reply = g_dbus_connection_call_sync (bus, "org.digithek.Kiosk", "/org/digithek/Kiosk",
                                       "org.gtk.Actions", "Activate",
                                       g_variant_new ("(s@av@a{sv})", action,
                                                      g_variant_new_array (G_VARIANT_TYPE_VARIANT, NULL, 0),
                                                      g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                                       NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, &error);
  g_assert_no_error (error);
}

/* Activates @action with a string parameter on the running kiosk. */
static void
activate_kiosk_action_s (const char *action,
                         const char *parameter)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *value = g_variant_new_variant (g_variant_new_string (parameter));

  g_assert_nonnull (bus);
  reply = g_dbus_connection_call_sync (bus, "org.digithek.Kiosk", "/org/digithek/Kiosk",
                                       "org.gtk.Actions", "Activate",
                                       g_variant_new ("(s@av@a{sv})", action,
                                                      g_variant_new_array (G_VARIANT_TYPE_VARIANT, &value, 1),
                                                      g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                                       NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, &error);
  g_assert_no_error (error);
}

/* Polls --status until the running kiosk's view is @view; returns the seconds it took,
 * or fails after @max_seconds. */
static double
wait_for_view_status (const char *log,
                      const char *view,
                      double      max_seconds)
{
  gint64 start = g_get_monotonic_time ();
  g_autofree char *last = NULL;

  while (g_get_monotonic_time () - start < max_seconds * G_USEC_PER_SEC)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(JsonObject) status = NULL;

      g_assert_cmpint (dt_run_kiosk (&out, &err, "--status", NULL), ==, 0);
      status = parse_status (out);
      g_free (last);
      last = json_object_get_null_member (status, "view")
               ? g_strdup ("null") : g_strdup (json_object_get_string_member (status, "view"));
      if (g_strcmp0 (last, view) == 0)
        return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      g_usleep (100 * 1000);
    }
  {
    g_autofree char *text = NULL;

    g_file_get_contents (log, &text, NULL, NULL);
    g_test_message ("waited for view %s, last %s; kiosk log:\n%s", view, last,
                    text != NULL ? text : "(none)");
  }
  g_assert_not_reached ();
  return 0;
}

/* The idle reset through the real main loop: with --idle-timeout 3 an untouched kiosk
 * goes to the attract loop; an action starts a session; reset-session ends it at once;
 * each reset counts in digithek_sessions_total. */
static void
test_kiosk_idle_reset (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *log = g_build_filename (tmp, "kiosk.log", NULL);
  g_autofree char *metrics = g_build_filename (tmp, "digithek.prom", NULL);
  g_autofree char *config = g_build_filename (tmp, "kiosk.ini", NULL);
  const char *args[] = { "--demo", "--idle-timeout", "3", "--config", config,
                         "--metrics-file", metrics, NULL };
  g_autoptr(JsonObject) status = NULL;
  g_autofree char *text = NULL;
  double took;
  GPid pid;
  int wait_status;

  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs a display and a session bus");
      return;
    }

  dt_write_file (tmp, "kiosk.ini", "[kiosk]\nlanguage = de\n");
  pid = spawn_kiosk (log, args);
  status = wait_for_home (log, 3);

  /* Untouched, home gives way to the attract loop after about 3 s. */
  took = wait_for_view_status (log, "attract", 15);
  g_test_message ("attract after %.1f s", took);

  /* A D-Bus action is input: the session starts, the item opens. */
  activate_kiosk_action_s ("open-item", "e-government/online-ausweis");
  wait_for_view_status (log, "item:e-government/online-ausweis", 10);

  /* reset-session: at once (well before the 3 s timeout would), the attract loop. */
  activate_kiosk_action ("reset-session");
  took = wait_for_view_status (log, "attract", 2);
  g_assert_cmpfloat (took, <, 2.0);

  /* Both resets count as sessions. */
  text = wait_for_file_with (metrics, log, "digithek_sessions_total 2\n", NULL);

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  dt_remove_tree (tmp);
}

/* Publishes the demo's e-government pack again as version 2 into @channel. */
static void
publish_version_2 (const char *tmp,
                   const char *channel)
{
  g_autofree char *key = g_build_filename (tmp, "key", NULL);
  g_autofree char *src = g_build_filename (g_getenv ("DEMO_DIR"), "e-government", NULL);
  g_autofree char *copy = g_build_filename (tmp, "e-government-2", NULL);
  g_autofree char *manifest = g_build_filename (copy, "pack.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *cp[] = { "cp", "-r", src, copy, NULL };
  int status;
  char *version;

  g_spawn_sync (NULL, (char **) cp, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_file_get_contents (manifest, &text, NULL, &error);
  g_assert_no_error (error);
  version = strstr (text, "\"version\": 1,");
  g_assert_nonnull (version);
  version[strlen ("\"version\": ")] = '2';
  g_file_set_contents (manifest, text, -1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (dt_run_tool (&out, &err, "publish", copy, "--key", key, "--out", channel,
                                NULL), ==, 0);
}

/* Polls the running kiosk's status until e-government has version 2 over 1. */
static void
wait_for_version_2 (const char *log)
{
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(JsonObject) status = NULL;
      JsonArray *packs;

      g_assert_cmpint (dt_run_kiosk (&out, &err, "--status", NULL), ==, 0);
      status = parse_status (out);
      packs = json_object_get_array_member (status, "packs");
      for (guint i = 0; i < json_array_get_length (packs); i++)
        {
          JsonObject *pack = json_array_get_object_element (packs, i);

          if (g_strcmp0 (json_object_get_string_member (pack, "id"), "e-government") == 0 &&
              json_object_get_int_member (pack, "version") == 2 &&
              !json_object_get_null_member (pack, "previous_version") &&
              json_object_get_int_member (pack, "previous_version") == 1)
            return;
        }
      g_usleep (200 * 1000);
    }
  {
    g_autofree char *text = NULL;

    g_file_get_contents (log, &text, NULL, NULL);
    g_test_message ("kiosk log:\n%s", text != NULL ? text : "(none)");
  }
  g_assert_not_reached ();
}

/* Metrics after the start-up sync, then sync-now over D-Bus installs a version 2. */
static void
test_kiosk_metrics_and_sync_now (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *channel = g_build_filename (tmp, "channel", NULL);
  g_autofree char *store = g_build_filename (tmp, "store.db", NULL);
  g_autofree char *log = g_build_filename (tmp, "kiosk.log", NULL);
  g_autofree char *metrics = g_build_filename (tmp, "digithek.prom", NULL);
  g_autofree char *pub = publish_demo_channel (tmp, channel);
  g_autofree char *config = g_build_filename (tmp, "empty.ini", NULL);
  const char *args[] = { "--store", store, "--channel", channel, "--trust", pub,
                         "--config", config, "--metrics-file", metrics, NULL };
  g_autoptr(JsonObject) status = NULL;
  g_autofree char *text = NULL;
  GPid pid;
  int wait_status;

  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs a display and a session bus");
      return;
    }

  dt_write_file (tmp, "empty.ini", "");
  pid = spawn_kiosk (log, args);
  status = wait_for_home (log, 1);

  text = wait_for_file_with (metrics, log, "digithek_up 1\n",
                             "digithek_pack_version{pack=\"e-government\"} 1\n",
                             "digithek_sync_failures_total 0\n", NULL);
  g_assert_null (strstr (text, "digithek_sync_last_success_timestamp_seconds 0\n"));
  g_assert_nonnull (strstr (text, "digithek_store_bytes "));
  g_assert_null (strstr (text, "digithek_store_bytes 0\n"));

  /* Staff publish a new version and ask the kiosk to fetch it now. */
  publish_version_2 (tmp, channel);
  activate_kiosk_action ("sync-now");
  wait_for_version_2 (log);
  g_free (text);
  text = wait_for_file_with (metrics, log, "digithek_pack_version{pack=\"e-government\"} 2\n", NULL);

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  dt_remove_tree (tmp);
}

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* One plain HTTP/1.0 GET; returns the whole response, or NULL when nobody listens. */
static char *
http_get (guint16     port,
          const char *path)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GByteArray) response = g_byte_array_new ();
  GOutputStream *out;
  GInputStream *in;
  guint8 buffer[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  if (connection == NULL)
    return NULL;
  request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: 127.0.0.1:%u\r\n\r\n", path, port);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  if (!g_output_stream_write_all (out, request, strlen (request), NULL, NULL, NULL))
    return NULL;
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (response, buffer, n);
  g_byte_array_append (response, (const guint8 *) "", 1);
  return g_strdup ((const char *) response->data);
}

/* handoff_listen in the config: the running kiosk serves its items to phones. */
static void
test_kiosk_handoff (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *log = g_build_filename (tmp, "kiosk.log", NULL);
  g_autofree char *config = g_build_filename (tmp, "kiosk.ini", NULL);
  g_autofree char *ini = NULL;
  g_autofree char *page = NULL;
  g_autofree char *missing = NULL;
  const char *args[] = { "--demo", "--config", config, NULL };
  g_autoptr(JsonObject) status = NULL;
  guint16 port;
  gint64 deadline;
  GPid pid;
  int wait_status;

  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs a display and a session bus");
      return;
    }

  port = free_port ();
  ini = g_strdup_printf ("[kiosk]\nhandoff_listen = 127.0.0.1:%u\n", port);
  dt_write_file (tmp, "kiosk.ini", ini);
  pid = spawn_kiosk (log, args);
  status = wait_for_home (log, 3);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (page == NULL && g_get_monotonic_time () < deadline)
    {
      page = http_get (port, "/i/e-government/online-ausweis");
      if (page == NULL)
        g_usleep (200 * 1000);
    }
  g_assert_nonnull (page);
  g_assert_true (g_str_has_prefix (page, "HTTP/1.0 200") || g_str_has_prefix (page, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (page, "id=\"step-1\""));
  missing = http_get (port, "/status");
  g_assert_nonnull (missing);
  g_assert_nonnull (strstr (missing, " 404 "));

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  /* Stopped with the kiosk. */
  g_assert_null (http_get (port, "/i/e-government/online-ausweis"));
  dt_remove_tree (tmp);
}

/* `digithek --set-pin` asks twice and stores only an Argon2id hash in the config,
 * keeping what else the file says. */
static void
test_set_pin (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *config = g_build_filename (tmp, "kiosk.ini", NULL);
  g_autofree char *text = NULL;
  const char *bin = g_getenv ("DIGITHEK_BIN");
  const struct { const char *input; int status; } cases[] = {
    { "12\n12\n", 1 },          /* too short */
    { "2468\n1357\n", 1 },      /* the two differ */
    { "", 1 },                   /* nothing typed */
    { "482913\n482913\n", 0 },
  };

  dt_write_file (tmp, "kiosk.ini", "[kiosk]\n# Konstanz, Stadtbibliothek\nlanguage = de\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                               bin, "--set-pin", "--config", config, NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, cases[i].input, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, cases[i].status);
      /* The PIN itself is never echoed or printed. */
      g_assert_null (strstr (out, "482913"));
      g_assert_null (strstr (err, "482913"));

      g_file_get_contents (config, &text, NULL, &error);
      g_assert_no_error (error);
      if (cases[i].status != 0)
        g_assert_null (strstr (text, "pin_hash"));
      g_clear_pointer (&text, g_free);
    }

  g_file_get_contents (config, &text, NULL, NULL);
  g_assert_nonnull (strstr (text, "# Konstanz, Stadtbibliothek"));
  g_assert_nonnull (strstr (text, "language = de"));
  g_assert_nonnull (strstr (text, "pin_hash = $argon2id$"));
  g_assert_null (strstr (text, "482913"));
  dt_remove_tree (tmp);
}

/* ---- search ---- */

/* The running kiosk's view, as `digithek --status` reports it (NULL when none). */
static char *
status_view (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) status = NULL;

  g_assert_cmpint (dt_run_kiosk (&out, &err, "--status", NULL), ==, 0);
  status = parse_status (out);
  if (json_object_get_null_member (status, "view"))
    return NULL;
  return g_strdup (json_object_get_string_member (status, "view"));
}

static void
wait_for_status_view (const char *view)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autofree char *current = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_free (current);
      current = status_view ();
      if (g_strcmp0 (current, view) == 0)
        return;
      g_usleep (200 * 1000);
    }
  g_assert_cmpstr (current, ==, view);
}

static void
activate_app_action (const char *action,
                     const char *parameter)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder params;

  g_assert_nonnull (bus);
  g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
  if (parameter != NULL)
    g_variant_builder_add (&params, "v", g_variant_new_string (parameter));
  reply = g_dbus_connection_call_sync (bus, "org.digithek.Kiosk", "/org/digithek/Kiosk",
                                       "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", action, &params, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, &error);
  g_assert_no_error (error);
}

/* search('Rad') on D-Bus, as DESIGN.md has it: the search view ("search" in --status);
 * an item opened from there goes back to it. */
static void
test_kiosk_search_action (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *log = g_build_filename (tmp, "kiosk.log", NULL);
  const char *args[] = { "--demo", NULL };
  g_autoptr(JsonObject) status = NULL;
  GPid pid;
  int wait_status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("needs a display (run under xvfb-run)");
      return;
    }
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs a session bus (run under dbus-run-session)");
      return;
    }

  pid = spawn_kiosk (log, args);
  status = wait_for_home (log, 3);
  activate_app_action ("search", "Rad");
  wait_for_status_view ("search");
  activate_app_action ("open-item", "smart-city-konstanz/simra");
  wait_for_status_view ("item:smart-city-konstanz/simra");
  activate_app_action ("back", NULL);
  wait_for_status_view ("search");
  /* Quotes and FTS5 operators are only text; the kiosk stays up. */
  activate_app_action ("search", "\"Rad\" NEAR(* OR -");
  activate_app_action ("home", NULL);
  wait_for_status_view ("home");

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
  dt_remove_tree (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/kiosk/status-missing-store", test_status_missing_store);
  g_test_add_func ("/app/kiosk/status-reports-packs", test_status_reports_packs);
  g_test_add_func ("/app/kiosk/preview-refuses-invalid", test_preview_refuses_invalid_pack);
  g_test_add_func ("/app/kiosk/demo-preview-conflict", test_demo_and_preview_conflict);
  g_test_add_func ("/app/kiosk/demo-shows-home", test_demo_shows_home);
  g_test_add_func ("/app/kiosk/sync-once", test_sync_once);
  g_test_add_func ("/app/kiosk/set-pin", test_set_pin);
  g_test_add_func ("/app/kiosk/background-sync", test_kiosk_background_sync);
  g_test_add_func ("/app/kiosk/metrics-and-sync-now", test_kiosk_metrics_and_sync_now);
  g_test_add_func ("/app/kiosk/handoff", test_kiosk_handoff);
  g_test_add_func ("/app/kiosk/search-action", test_kiosk_search_action);
  g_test_add_func ("/app/kiosk/idle-reset", test_kiosk_idle_reset);

  return g_test_run ();
}
