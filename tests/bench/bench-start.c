/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Quality bar "start": the first frame of the home view, with 10,000 items in the store,
 * comes at most 100 ms later than a bare GTK4/libadwaita window's first frame (same
 * renderer, same run).
 *
 * Setup (not timed): a pack of N items (a quarter of each kind, sharing one image, one
 * Markdown file and one small CSV) is imported into a temporary store. Then the program
 * runs itself as a child, alternately as the reference (an empty AdwWindow) and as the
 * kiosk's start (window with the loading page, store opened on its worker, items
 * listed, home tiles built), each a fresh process timed from main() to the end of the
 * first frame painted with what it should show. Medians count. GSK_RENDERER defaults to
 * cairo for both; without a display the benchmark runs itself under xvfb-run. The exit
 * status is 0 either way: the figure line says PASS or FAIL. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <adwaita.h>

#include "digithek-home-view.h"
#include "bench-store.h"
#include "digithek-pack.h"
#include "digithek-store.h"
#include "digithek-window.h"

#define BAR_MS 100.0

static gint64 start_time;
static int n_items = 10000;
static int n_runs = 7;
static char *child_mode;
static char *child_store;
static char *keep_dir;
static gboolean verbose;

static GOptionEntry entries[] = {
  { "items", 0, 0, G_OPTION_ARG_INT, &n_items, "Items in the store (10000)", "N" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs of each (7)", "N" },
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &keep_dir,
    "Keep the store in DIR and reuse it on the next run (default: a temporary one)", "DIR" },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print each start's phases", NULL },
  { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child_mode, NULL, NULL },
  { "store", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &child_store, NULL, NULL },
  { NULL },
};

/* ---- the children: print milliseconds from main() to the first frame ---- */

static void
phase (const char *what)
{
  if (verbose)
    fprintf (stderr, "#   %7.1f ms %s\n", (g_get_monotonic_time () - start_time) / 1000.0, what);
}

static void
after_paint_cb (GdkFrameClock *clock,
                GMainLoop     *loop)
{
  phase ("first frame");
  printf ("%.3f\n", (g_get_monotonic_time () - start_time) / 1000.0);
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, loop);
  g_main_loop_quit (loop);
}

static void
watch_first_frame (GtkWidget *window,
                   GMainLoop *loop)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), loop);
  gtk_widget_queue_draw (window);
}

static void
window_realized_cb (GtkWidget *window,
                    GMainLoop *loop)
{
  watch_first_frame (window, loop);
}

static int
run_reference (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GtkWidget *window;

  adw_init ();
  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  g_signal_connect (window, "realize", G_CALLBACK (window_realized_cb), loop);
  gtk_window_present (GTK_WINDOW (window));
  g_main_loop_run (loop);
  return 0;
}

typedef struct
{
  GMainLoop      *loop;
  DigithekWindow *window;
  DigithekStore  *store;
} Start;

static void
view_changed_cb (DigithekWindow *window,
                 GParamSpec     *pspec,
                 Start          *start)
{
  if (g_strcmp0 (digithek_window_get_view (window), "home") != 0)
    return;
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    watch_first_frame (GTK_WIDGET (window), start->loop);
  else
    g_signal_connect (window, "realize", G_CALLBACK (window_realized_cb), start->loop);
}

static void
items_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Start *start = user_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = digithek_store_list_home_finish (DIGITHEK_STORE (source), result, &error);
  if (items == NULL)
    g_error ("%s", error->message);
  phase ("items listed");
  digithek_window_set_store (start->window, start->store);
  digithek_window_show_home (start->window, items);
  phase ("home tiles built");
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Start *start = user_data;
  g_autoptr(GError) error = NULL;

  start->store = digithek_store_new_finish (result, &error);
  if (start->store == NULL)
    g_error ("%s", error->message);
  phase ("store open");
  /* As the kiosk lists its home: the first page of each kind in full, the rest
   * counted (digithek_store_list_home_async()). */
  digithek_store_list_home_async (start->store, "de", DIGITHEK_HOME_VIEW_TILES_PER_PAGE, NULL,
                                  items_listed_cb, start);
}

/* What the kiosk does from main() to home, without the D-Bus and option handling. */
static int
run_home (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  Start start = { 0, };

  start.loop = g_main_loop_new (NULL, FALSE);
  /* As the kiosk does: the store opens while GTK initialises. */
  digithek_store_new_async (child_store, NULL, store_opened_cb, &start);
  adw_init ();
  phase ("adw_init");
  gtk_css_provider_load_from_resource (css, "/org/digithek/Kiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  start.window = digithek_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (start.window), 1920, 1080);
  g_signal_connect (start.window, "notify::view", G_CALLBACK (view_changed_cb), &start);
  digithek_window_show_loading (start.window);
  phase ("window built");
  /* As the kiosk presents it. */
  digithek_window_present_when_ready (start.window, 400);
  g_main_loop_run (start.loop);
  return 0;
}

/* ---- setup ---- */

static double
run_child (const char *self,
           const char *mode,
           const char *store)
{
  const char *argv[] = { self, "--child", mode, "--store", store, verbose ? "-v" : NULL, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    g_error ("%s", error->message);
  if (verbose && err != NULL)
    fprintf (stderr, "# %s:\n%s", mode, err);
  if (!g_spawn_check_wait_status (status, &error) || out == NULL || *out == '\0')
    g_error ("the %s run failed: %s", mode, err != NULL ? err : "");
  return g_ascii_strtod (out, NULL);
}

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

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *store = NULL;
  g_autofree char *self = NULL;
  g_autofree double *reference = NULL;
  g_autofree double *home = NULL;
  double ref_ms, home_ms;
  gint64 setup_start;

  start_time = g_get_monotonic_time ();

  context = g_option_context_new ("- first frame of home against a bare window");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-start: %s\n", error->message);
      return 2;
    }

  if (child_mode != NULL)
    return g_str_equal (child_mode, "reference") ? run_reference () : run_home ();

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *xvfb = g_find_program_in_path ("xvfb-run");

      if (xvfb == NULL || g_getenv ("DIGITHEK_BENCH_UNDER_XVFB") != NULL)
        {
          fprintf (stderr, "bench-start: no display, and xvfb-run is not available\n");
          return 1;
        }
      g_setenv ("DIGITHEK_BENCH_UNDER_XVFB", "1", TRUE);
      g_ptr_array_add (args, g_strdup (xvfb));
      g_ptr_array_add (args, g_strdup ("-a"));
      g_ptr_array_add (args, g_strdup ("-s"));
      g_ptr_array_add (args, g_strdup ("-screen 0 1920x1080x24"));
      /* Resolved here: under xvfb-run, /proc/self/exe would be its shell. */
      g_ptr_array_add (args, g_file_read_link ("/proc/self/exe", NULL));
      g_ptr_array_add (args, g_strdup_printf ("--items=%d", n_items));
      g_ptr_array_add (args, g_strdup_printf ("--runs=%d", n_runs));
      if (keep_dir != NULL)
        g_ptr_array_add (args, g_strdup_printf ("--dir=%s", keep_dir));
      if (verbose)
        g_ptr_array_add (args, g_strdup ("--verbose"));
      g_ptr_array_add (args, NULL);
      execv (xvfb, (char **) args->pdata);
      fprintf (stderr, "bench-start: cannot run xvfb-run\n");
      return 1;
    }

  /* Both sides draw with the same renderer. */
  g_setenv ("GSK_RENDERER", g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "cairo",
            TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* No accessibility bus: it is not part of either start. */
  g_setenv ("GTK_A11Y", "none", TRUE);

  self = g_file_read_link ("/proc/self/exe", NULL);
  if (keep_dir != NULL)
    {
      dir = g_canonicalize_filename (keep_dir, NULL);
      g_mkdir_with_parents (dir, 0755);
    }
  else
    dir = g_dir_make_tmp ("digithek-bench-start-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  store = g_build_filename (dir, "store.db", NULL);
  if (keep_dir == NULL || !g_file_test (store, G_FILE_TEST_EXISTS))
    {
      g_clear_pointer (&store, g_free);
      setup_start = g_get_monotonic_time ();
      store = make_store (dir, n_items);
      printf ("# setup: %d items validated and imported in %.1f s\n", n_items,
              (g_get_monotonic_time () - setup_start) / 1e6);
    }

  reference = g_new (double, n_runs);
  home = g_new (double, n_runs);
  /* One of each first, unmeasured, so that both find the same warm file cache. */
  run_child (self, "reference", store);
  run_child (self, "home", store);
  for (int i = 0; i < n_runs; i++)
    {
      reference[i] = run_child (self, "reference", store);
      home[i] = run_child (self, "home", store);
    }
  ref_ms = median (reference, n_runs);
  home_ms = median (home, n_runs);

  printf ("start-first-frame: %.0f ms median from main() with %d items, renderer %s "
          "(reference: bare libadwaita window %.0f ms, +%.0f ms; bar: +%.0f ms) %s\n",
          home_ms, n_items, g_getenv ("GSK_RENDERER"), ref_ms, home_ms - ref_ms, BAR_MS,
          home_ms - ref_ms <= BAR_MS ? "PASS" : "FAIL");

  if (keep_dir == NULL)
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    if (system (cmd) != 0)
      fprintf (stderr, "bench-start: could not remove %s\n", dir);
  }
  return 0;
}
