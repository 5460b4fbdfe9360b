/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Quality bar "memory": proportional set size after 1,000 opened items at most 60 MB
 * above a bare GTK4/libadwaita window's (same renderer, same run), and at most a third
 * of a Chromium kiosk showing the same home page; at most 5 MB growth from the 1,000th
 * item opened to the 10,000th.
 *
 * Setup (not measured): N generated items (bench-store.h) in a store. Then, one after
 * the other, in the same X server and with the same renderer:
 *  - the reference: this program as a bare AdwWindow at 1920×1080, PSS once it drew;
 *  - the kiosk, `digithek --store STORE`: items opened through its exported actions
 *    (org.gtk.Actions.Activate "open-item", cycling through the store's items, then
 *    "home", from this one process), PSS after the 1,000th and the 10,000th;
 *  - Debian's Chromium in --kiosk showing a static HTML page of the same home (the
 *    same headings, the first 8 tiles of each kind with the same image and texts),
 *    PSS summed over all its processes.
 * PSS comes from /proc/PID/smaps_rollup. Without a display the benchmark runs itself
 * under xvfb-run and dbus-run-session. The exit status is 0 either way: the figure
 * lines say PASS or FAIL. */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-store.h"
#include "digithek-home-view.h"

#define BAR_ABOVE_BARE_MB 60.0
#define BAR_CHROMIUM_RATIO (1.0 / 3.0)
#define BAR_GROWTH_MB 5.0

static int n_items = 10000;
static int n_opens = 10000;
static int first_mark = 1000;
static char *keep_dir;
static char *child_mode;
static gboolean no_chromium;

static GOptionEntry entries[] = {
  { "items", 0, 0, G_OPTION_ARG_INT, &n_items, "Items in the store (10000)", "N" },
  { "opens", 0, 0, G_OPTION_ARG_INT, &n_opens, "Items opened in all (10000)", "N" },
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &keep_dir,
    "Keep the store in DIR and reuse it on the next run", "DIR" },
  { "no-chromium", 0, 0, G_OPTION_ARG_NONE, &no_chromium, "Skip the Chromium reference", NULL },
  { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child_mode, NULL, NULL },
  { NULL },
};

/* ---- PSS ---- */

/* kB, or -1 when the process is gone. */
static gint64
read_pss_kb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/smaps_rollup", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  line = strstr (text, "\nPss:");
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("\nPss:"), NULL, 10);
}

static GPid
parent_of (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      (line = strstr (text, "\nPPid:")) == NULL)
    return 0;
  return (GPid) g_ascii_strtoll (line + strlen ("\nPPid:"), NULL, 10);
}

/* Sums PSS over @root and all its descendants; counts them in @n_processes. */
static gint64
read_tree_pss_kb (GPid  root,
                  guint *n_processes)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  gint64 total = 0;

  *n_processes = 0;
  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      GPid pid = (GPid) g_ascii_strtoll (name, NULL, 10);
      GPid p;
      gint64 pss;

      if (pid <= 0)
        continue;
      for (p = pid; p > 1 && p != root; p = parent_of (p))
        ;
      if (p != root || (pss = read_pss_kb (pid)) < 0)
        continue;
      total += pss;
      (*n_processes)++;
    }
  return total;
}

static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
}

static void
stop (GPid pid)
{
  int status;

  kill (pid, SIGTERM);
  for (int i = 0; i < 300 && waitpid (pid, &status, WNOHANG) == 0; i++)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  if (waitpid (pid, &status, WNOHANG) == 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
    }
  g_spawn_close_pid (pid);
}

static GPid
spawn (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  GPid pid;

  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    g_error ("%s: %s", argv[0], error->message);
  return pid;
}

/* ---- the reference: a bare window, kept open ---- */

static int
run_bare (void)
{
  GtkWidget *window;

  adw_init ();
  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  gtk_window_present (GTK_WINDOW (window));
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static double
measure_bare (const char *self)
{
  const char *argv[] = { self, "--child", "bare", NULL };
  GPid pid = spawn (argv);
  gint64 pss;

  settle (3000);
  pss = read_pss_kb (pid);
  stop (pid);
  if (pss < 0)
    g_error ("the bare window exited early");
  return pss / 1024.0;
}

/* ---- the kiosk ---- */

static void
activate (GDBusConnection *bus,
          const char      *action,
          GVariant        *parameter)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder params;

  g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
  if (parameter != NULL)
    g_variant_builder_add (&params, "v", parameter);
  reply = g_dbus_connection_call_sync (bus, "org.digithek.Kiosk", "/org/digithek/Kiosk",
                                       "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", action, &params, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  if (reply == NULL)
    g_error ("activating %s: %s", action, error->message);
}

static gboolean
wait_for_name (GDBusConnection *bus,
               const char      *name,
               guint            timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean has_owner = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &has_owner);
      if (has_owner)
        return TRUE;
      g_usleep (50 * G_TIME_SPAN_MILLISECOND);
    }
  return FALSE;
}

static void
measure_kiosk (const char *store,
               double     *at_first_mark,
               double     *at_end)
{
  const char *bin = g_getenv ("DIGITHEK_BIN");
  const char *argv[] = { bin, "--store", store, NULL };
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  GPid pid;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    g_error ("%s", error->message);
  pid = spawn (argv);
  if (!wait_for_name (bus, "org.digithek.Kiosk", 30000))
    g_error ("the kiosk did not come up on the session bus");
  settle (2000);

  for (int i = 1; i <= n_opens; i++)
    {
      g_autofree char *id = g_strdup_printf ("bench/i%d", (i - 1) % n_items);

      activate (bus, "open-item", g_variant_new_string (id));
      /* Let the item load and draw, as a citizen would, now and then. */
      if (i % 50 == 0)
        settle (100);
      if (i % 10 == 0)
        activate (bus, "home", NULL);
      if (i == first_mark || i == n_opens)
        {
          settle (2000);
          if (i == first_mark)
            *at_first_mark = read_pss_kb (pid) / 1024.0;
          else
            *at_end = read_pss_kb (pid) / 1024.0;
          if (read_pss_kb (pid) < 0)
            g_error ("the kiosk exited");
          fprintf (stderr, "# after %d opens: %.1f MB\n", i, read_pss_kb (pid) / 1024.0);
        }
    }
  stop (pid);
}

/* ---- Chromium ---- */

static const char * const kind_headings[] = {
  "Offene Daten", "Projekte der smarten Stadt", "Verwaltung online: Schritt für Schritt",
  "Rundgänge",
};

static char *
write_home_html (const char *dir)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, "home.html", NULL);
  g_autoptr(GError) error = NULL;

  g_string_append (html,
      "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>DigiThek</title>"
      "<style>body{margin:0;font-family:Cantarell,sans-serif;background:#fafafa}"
      "header{display:flex;gap:12px;padding:12px;background:#fff;border-bottom:1px solid #ddd}"
      "header button{min-height:64px;font-size:20px;padding:0 24px}"
      "main{padding:24px 48px}h2{font-size:28px}"
      ".tiles{display:flex;flex-wrap:wrap;gap:24px}"
      ".tile{width:360px;border-radius:12px;background:#fff;box-shadow:0 1px 3px #0003;"
      "overflow:hidden;border:0;padding:0;text-align:left}"
      ".tile img{width:360px;height:200px;object-fit:cover;display:block}"
      ".tile h3{font-size:22px;margin:12px}.tile p{font-size:20px;margin:0 12px 12px;"
      "white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
      ".more{min-height:64px;font-size:20px;margin:24px 0}</style></head><body>"
      "<header><button>Zurück</button><button>Startseite</button></header><main>");
  for (int kind = 0; kind < 4; kind++)
    {
      int shown = 0;

      g_string_append_printf (html, "<h2>%s</h2><div class=\"tiles\">", kind_headings[kind]);
      for (int i = kind; i < n_items && shown < DIGITHEK_HOME_VIEW_TILES_PER_PAGE; i += 4, shown++)
        {
          g_string_append_printf (html,
              "<button class=\"tile\"><img src=\"pack/tile.png\" alt=\"\">"
              "<h3>Eintrag Nummer %d</h3><p>Eine kurze Zusammenfassung für Eintrag %d</p>", i, i);
          if (kind == 0)
            g_string_append (html, "<p>Stand: 03.11.2026</p>");
          g_string_append (html, "</button>");
        }
      g_string_append_printf (html, "</div><button class=\"more\">Weitere anzeigen (%d)</button>",
                              (n_items + 3 - kind) / 4 - shown);
    }
  g_string_append (html, "</main></body></html>\n");
  if (!g_file_set_contents (path, html->str, html->len, &error))
    g_error ("%s", error->message);
  return g_steal_pointer (&path);
}

/* MB, or a negative number when Chromium is not there. */
static double
measure_chromium (const char *dir,
                  guint      *n_processes)
{
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autofree char *html = write_home_html (dir);
  g_autofree char *url = g_filename_to_uri (html, NULL, NULL);
  g_autofree char *profile = g_build_filename (dir, "chromium-profile", NULL);
  g_autofree char *profile_arg = g_strdup_printf ("--user-data-dir=%s", profile);
  const char *argv[] = {
    chromium, "--kiosk", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1920,1080", profile_arg, url, NULL,
  };
  GPid pid;
  gint64 pss;

  if (chromium == NULL)
    return -1;
  pid = spawn (argv);
  /* Chromium starts its helpers over several seconds. */
  settle (10000);
  pss = read_tree_pss_kb (pid, n_processes);
  stop (pid);
  return pss / 1024.0;
}

/* ---- main ---- */

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *store = NULL;
  g_autofree char *self = NULL;
  double bare, at_mark = 0, at_end = 0, chromium = -1;
  guint n_chromium = 0;

  context = g_option_context_new ("- proportional set size against a bare window and Chromium");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-memory: %s\n", error->message);
      return 2;
    }
  if (child_mode != NULL)
    return run_bare ();

  if (g_getenv ("DIGITHEK_BIN") == NULL)
    {
      fprintf (stderr, "bench-memory: set DIGITHEK_BIN to the built app/digithek (tests/bench/run does)\n");
      return 1;
    }
  first_mark = MIN (first_mark, n_opens);

  if ((g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL) ||
      g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *xvfb = g_find_program_in_path ("xvfb-run");
      g_autofree char *dbus = g_find_program_in_path ("dbus-run-session");

      if (xvfb == NULL || dbus == NULL || g_getenv ("DIGITHEK_BENCH_UNDER_XVFB") != NULL)
        {
          fprintf (stderr, "bench-memory: no display or session bus, and xvfb-run or "
                           "dbus-run-session is not available\n");
          return 1;
        }
      g_setenv ("DIGITHEK_BENCH_UNDER_XVFB", "1", TRUE);
      g_ptr_array_add (args, g_strdup (xvfb));
      g_ptr_array_add (args, g_strdup ("-a"));
      g_ptr_array_add (args, g_strdup ("-s"));
      g_ptr_array_add (args, g_strdup ("-screen 0 1920x1080x24"));
      g_ptr_array_add (args, g_strdup (dbus));
      g_ptr_array_add (args, g_strdup ("--"));
      g_ptr_array_add (args, g_file_read_link ("/proc/self/exe", NULL));
      for (int i = 1; i < argc; i++)
        g_ptr_array_add (args, g_strdup (argv[i]));
      g_ptr_array_add (args, g_strdup_printf ("--items=%d", n_items));
      g_ptr_array_add (args, g_strdup_printf ("--opens=%d", n_opens));
      if (keep_dir != NULL)
        g_ptr_array_add (args, g_strdup_printf ("--dir=%s", keep_dir));
      if (no_chromium)
        g_ptr_array_add (args, g_strdup ("--no-chromium"));
      g_ptr_array_add (args, NULL);
      execv (xvfb, (char **) args->pdata);
      fprintf (stderr, "bench-memory: cannot run xvfb-run\n");
      return 1;
    }

  /* Both sides draw with the same renderer. */
  g_setenv ("GSK_RENDERER", g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "cairo",
            TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  self = g_file_read_link ("/proc/self/exe", NULL);
  if (keep_dir != NULL)
    {
      dir = g_canonicalize_filename (keep_dir, NULL);
      g_mkdir_with_parents (dir, 0755);
    }
  else
    dir = g_dir_make_tmp ("digithek-bench-memory-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  store = g_build_filename (dir, "store.db", NULL);
  if (keep_dir == NULL || !g_file_test (store, G_FILE_TEST_EXISTS))
    {
      g_clear_pointer (&store, g_free);
      store = make_store (dir, n_items);
    }

  bare = measure_bare (self);
  measure_kiosk (store, &at_mark, &at_end);
  if (!no_chromium)
    chromium = measure_chromium (dir, &n_chromium);

  printf ("memory-above-bare: %.1f MB PSS after %d opened items, renderer %s "
          "(reference: bare libadwaita window %.1f MB, +%.1f MB; bar: +%.0f MB) %s\n",
          at_mark, first_mark, g_getenv ("GSK_RENDERER"), bare, at_mark - bare,
          BAR_ABOVE_BARE_MB, at_mark - bare <= BAR_ABOVE_BARE_MB ? "PASS" : "FAIL");
  if (chromium > 0)
    printf ("memory-against-chromium: %.1f MB PSS after %d opened items "
            "(reference: Chromium kiosk with the same home, %.1f MB over %u processes, ratio %.2f; "
            "bar: ≤ %.2f) %s\n",
            at_mark, first_mark, chromium, n_chromium, at_mark / chromium, BAR_CHROMIUM_RATIO,
            at_mark / chromium <= BAR_CHROMIUM_RATIO ? "PASS" : "FAIL");
  else
    printf ("memory-against-chromium: skipped (no chromium)\n");
  printf ("memory-growth: %+.1f MB PSS from the %dth opened item to the %dth "
          "(%.1f → %.1f MB; bar: +%.0f MB) %s\n",
          at_end - at_mark, first_mark, n_opens, at_mark, at_end, BAR_GROWTH_MB,
          at_end - at_mark <= BAR_GROWTH_MB ? "PASS" : "FAIL");

  if (keep_dir == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

      if (system (cmd) != 0)
        fprintf (stderr, "bench-memory: could not remove %s\n", dir);
    }
  return 0;
}
