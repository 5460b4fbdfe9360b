/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Languages: the German catalog loads, the language switch re-renders the window in
 * place (bar, home, a guide's step, a tour's stop), "Leichte Sprache" shows only where
 * there are easy texts, and content falls back per text map to a pack's first
 * language. */

#include <adwaita.h>
#include <glib/gi18n.h>

#include "digithek-application.h"
#include "digithek-guide-view.h"
#include "digithek-home-view.h"
#include "digithek-i18n.h"
#include "digithek-language-switch.h"
#include "digithek-pack.h"
#include "digithek-store.h"
#include "demo-test-util.h"
#include "digithek-test-util.h"
#include "digithek-tour-view.h"
#include "digithek-window.h"
#include "store-test-util.h"

typedef struct
{
  char           *dir;
  DigithekStore  *store;
  DigithekWindow *window;
  guint           home_lists;
} Fixture;

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Also in widgets not shown (a window never presented). */
static GtkWidget *
find_label_any (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_any (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
shows (Fixture    *fixture,
       const char *text)
{
  return find_label (GTK_WIDGET (fixture->window), text) != NULL;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done or 20 s. */
static void
wait_until (gboolean (*done) (Fixture *fixture, gconstpointer data),
            Fixture      *fixture,
            gconstpointer data)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (!timed_out && !done (fixture, data))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_false (timed_out);
  for (guint i = 0; i < 5 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
view_ready (Fixture      *fixture,
            gconstpointer view)
{
  return !digithek_window_get_busy (fixture->window) &&
         g_strcmp0 (digithek_window_get_view (fixture->window), view) == 0;
}

static gboolean
label_shown (Fixture      *fixture,
             gconstpointer text)
{
  return !digithek_window_get_busy (fixture->window) && shows (fixture, text);
}

static void
wait_for_view (Fixture    *fixture,
               const char *view)
{
  wait_until (view_ready, fixture, view);
}

static void
wait_for_label (Fixture    *fixture,
                const char *text)
{
  wait_until (label_shown, fixture, text);
}

/* As the application does: home lists anew in the window's language. */
static void
list_home (Fixture *fixture)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = tu_store_list_items (fixture->store,
                               digithek_window_get_language (fixture->window),
                               NULL, &error);
  g_assert_no_error (error);
  digithek_window_show_home (fixture->window, items);
  fixture->home_lists++;
}

static void
language_changed_cb (DigithekWindow *window,
                     GParamSpec     *pspec,
                     Fixture        *fixture)
{
  list_home (fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = dt_make_tmp_dir ();
  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = tu_store_new (path, NULL, &error);
  g_assert_no_error (error);
  dt_import_demo_packs (fixture->store);

  fixture->window = g_object_ref_sink (digithek_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1920, 1080);
  digithek_window_set_store (fixture->window, fixture->store);
  g_signal_connect (fixture->window, "notify::language", G_CALLBACK (language_changed_cb), fixture);
  gtk_window_present (GTK_WINDOW (fixture->window));
  list_home (fixture);
  wait_for_view (fixture, "home");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  digithek_store_close (fixture->store);
  /* Cancelled listings give their store reference back from the main loop. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->store);
  dt_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A tap on one of the bar's language buttons. */
static void
tap_language (Fixture    *fixture,
              const char *language)
{
  GtkWidget *language_switch = GTK_WIDGET (digithek_window_get_language_switch (fixture->window));

  g_assert_true (gtk_widget_activate_action (language_switch, "language-switch.language", "s",
                                             language));
  g_assert_cmpstr (digithek_window_get_language (fixture->window), ==, language);
}

static void
open_item (Fixture    *fixture,
           const char *id,
           const char *view)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.open-item",
                                             "s", id));
  wait_for_view (fixture, view);
}

static gboolean
offers_easy (Fixture *fixture)
{
  DigithekLanguageSwitch *language_switch = digithek_window_get_language_switch (fixture->window);

  return digithek_language_switch_get_easy_visible (language_switch);
}

/* ---- tests ---- */

static void
test_i18n_catalog (void)
{
  /* CI installs de_DE.UTF-8 and builds the catalog: both missing is a failure here. */
  g_assert_true (digithek_i18n_set_language ("de"));
  g_assert_cmpstr (digithek_i18n_get_language (), ==, "de");
  g_assert_cmpstr (_("Home"), ==, "Startseite");
  g_assert_cmpstr (_("Step %u of %u"), ==, "Schritt %u von %u");

  g_assert_true (digithek_i18n_set_language ("en"));
  g_assert_cmpstr (digithek_i18n_get_language (), ==, "en");
  g_assert_cmpstr (_("Home"), ==, "Home");
  /* Another language's text, whatever the UI's. */
  g_assert_cmpstr (digithek_i18n_translate ("de", "Close"), ==, "Schließen");
  g_assert_cmpstr (_("Close"), ==, "Close");

  /* Easy German and any other German take the German catalog; others English. */
  g_assert_true (digithek_i18n_set_language ("de-x-easy"));
  g_assert_cmpstr (_("Home"), ==, "Startseite");
  g_assert_true (digithek_i18n_set_language ("fr"));
  g_assert_cmpstr (_("Home"), ==, "Home");
  g_assert_true (digithek_i18n_set_language ("de-AT"));
  g_assert_cmpstr (_("Back"), ==, "Zurück");
}

static void
test_i18n_switch_home (Fixture       *fixture,
                       gconstpointer  data)
{
  g_assert_true (shows (fixture, "Startseite"));
  g_assert_true (shows (fixture, "Offene Daten"));
  g_assert_true (shows (fixture, "Deutsch"));
  g_assert_true (shows (fixture, "English"));
  /* The e-government demo pack has easy texts. */
  g_assert_true (offers_easy (fixture));
  g_assert_true (shows (fixture, "Verwaltung online: Schritt für Schritt"));
  g_assert_true (shows (fixture, "Den Online-Ausweis einrichten"));

  tap_language (fixture, "en");
  /* The bar, the headings and the tiles, at once. */
  g_assert_true (shows (fixture, "Home"));
  g_assert_true (shows (fixture, "Back"));
  g_assert_true (shows (fixture, "Open data"));
  g_assert_true (shows (fixture, "E-government guides"));
  g_assert_true (shows (fixture, "Set up the online ID"));
  g_assert_false (shows (fixture, "Startseite"));
  g_assert_false (shows (fixture, "Offene Daten"));
  /* The language names never translate. */
  g_assert_true (shows (fixture, "Deutsch"));
  g_assert_true (shows (fixture, "Leichte Sprache"));
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "home");

  tap_language (fixture, "de-x-easy");
  g_assert_true (shows (fixture, "Startseite"));
  g_assert_true (shows (fixture, "Den Online-Ausweis benutzen"));

  tap_language (fixture, "de");
  g_assert_true (shows (fixture, "Startseite"));
  g_assert_true (shows (fixture, "Offene Daten"));
  g_assert_true (shows (fixture, "Den Online-Ausweis einrichten"));
  g_assert_cmpuint (fixture->home_lists, ==, 4);
}

static void
test_i18n_switch_guide (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *guide;

  open_item (fixture, "e-government/online-ausweis", "item:e-government/online-ausweis");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.next", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.next", NULL));
  wait_for_label (fixture, "Schritt 3 von 5");
  g_assert_true (shows (fixture, "Nächster Schritt"));
  g_assert_true (offers_easy (fixture));

  tap_language (fixture, "en");
  /* The bar at once, the guide as soon as it is in: the same step. */
  g_assert_true (shows (fixture, "Back"));
  wait_for_label (fixture, "Step 3 of 5");
  guide = digithek_window_get_item_view (fixture->window);
  g_assert_true (DIGITHEK_IS_GUIDE_VIEW (guide));
  g_assert_cmpuint (digithek_guide_view_get_step (DIGITHEK_GUIDE_VIEW (guide)), ==, 2);
  g_assert_true (shows (fixture, "Next step"));
  g_assert_true (shows (fixture, "Set up the online ID"));
  g_assert_true (shows (fixture, "Continue on your phone"));
  g_assert_false (shows (fixture, "Schritt 3 von 5"));
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==,
                   "item:e-government/online-ausweis");
  /* Re-rendered in place: nothing to go back to but home. */
  g_assert_cmpuint (digithek_window_get_back_depth (fixture->window), ==, 0);

  tap_language (fixture, "de");
  g_assert_true (shows (fixture, "Zurück"));
  wait_for_label (fixture, "Schritt 3 von 5");
  g_assert_true (shows (fixture, "Weiter auf dem Handy"));
  g_assert_true (shows (fixture, "Den Online-Ausweis einrichten"));

  tap_language (fixture, "de-x-easy");
  wait_for_label (fixture, "Den Online-Ausweis benutzen");
  g_assert_true (shows (fixture, "Schritt 3 von 5"));
}

static void
test_i18n_switch_tour (Fixture       *fixture,
                       gconstpointer  data)
{
  open_item (fixture, "smart-city-konstanz/rundgang-smarte-stadt",
             "tour:smart-city-konstanz/rundgang-smarte-stadt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.next", NULL));
  wait_for_label (fixture, "Station 2 von 6");
  g_assert_true (shows (fixture, "Nächste Station"));
  g_assert_false (offers_easy (fixture));

  tap_language (fixture, "en");
  wait_for_label (fixture, "Stop 2 of 6");
  g_assert_true (shows (fixture, "Next stop"));
  g_assert_true (shows (fixture, "Home"));
  g_assert_false (shows (fixture, "Station 2 von 6"));
  g_assert_cmpuint (digithek_tour_view_get_stop (DIGITHEK_TOUR_VIEW (
                      digithek_window_get_item_view (fixture->window))), ==, 1);

  tap_language (fixture, "de");
  wait_for_label (fixture, "Station 2 von 6");
  g_assert_true (shows (fixture, "Startseite"));
}

/* Only the e-government demo pack has de-x-easy texts. */
static void
test_i18n_easy_offered (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint n_easy = 0;

  items = tu_store_list_items (fixture->store, "de", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >, 5);
  for (guint i = 0; i < items->len; i++)
    {
      DigithekStoreItemInfo *info = g_ptr_array_index (items, i);
      g_autofree char *id = g_strdup_printf ("%s/%s", info->pack_id, info->item_id);
      g_autofree char *view = g_strdup_printf ("%s:%s",
                                               info->kind == DIGITHEK_ITEM_TOUR ? "tour" : "item",
                                               id);

      open_item (fixture, id, view);
      g_test_message ("%s offers easy German: %d", id, offers_easy (fixture));
      g_assert_cmpint (offers_easy (fixture), ==, g_str_equal (info->pack_id, "e-government"));
      n_easy += offers_easy (fixture);
    }
  g_assert_cmpuint (n_easy, >=, 3);

  /* Home: any pack with easy texts. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.home", NULL));
  wait_for_view (fixture, "home");
  g_assert_true (offers_easy (fixture));
}

/* The window's fixed screens re-render too: here the out-of-service one. */
static void
test_i18n_out_of_service (void)
{
  DigithekWindow *window = g_object_ref_sink (digithek_window_new (NULL));

  digithek_window_show_out_of_service (window, "store <broken>");
  g_assert_nonnull (find_label_any (GTK_WIDGET (window), "Vorübergehend außer Betrieb"));
  digithek_window_set_language (window, "en");
  g_assert_nonnull (find_label_any (GTK_WIDGET (window), "Temporarily out of service"));
  g_assert_null (find_label_any (GTK_WIDGET (window), "Vorübergehend außer Betrieb"));
  g_assert_nonnull (find_label_any (GTK_WIDGET (window), "Please try again later or ask our staff."
                                                         "\n\n<small>store &lt;broken&gt;</small>"));
  digithek_window_set_language (window, "de");
  g_assert_nonnull (find_label_any (GTK_WIDGET (window), "Vorübergehend außer Betrieb"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* A text missing in the wanted language comes in the pack's first one, per text map:
 * an English title may stand beside a German summary. */
static void
test_i18n_content_fallback (void)
{
  g_autofree char *dir = dt_make_tmp_dir ();
  g_autofree char *pack_dir = g_build_filename (dir, "pack", NULL);
  g_autofree char *store_path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(DigithekStoreItem) en = NULL;
  g_autoptr(DigithekStoreItem) easy = NULL;
  g_autoptr(DigithekStoreItem) fr = NULL;
  g_autoptr(GError) error = NULL;

  dt_write_file (pack_dir, "pack.json",
                 "{\"format\": 1, \"id\": \"fallback\", \"version\": 1,"
                 " \"title\": {\"de\": \"Rückfall\", \"en\": \"Fallback\"},"
                 " \"languages\": [\"de\", \"en\"],"
                 " \"items\": [{\"id\": \"erklaert\", \"kind\": \"explainer\","
                 "   \"title\": {\"de\": \"Nur auf Deutsch\"},"
                 "   \"summary\": {\"de\": \"Kurz gesagt\", \"en\": \"In short\"},"
                 "   \"body\": {\"de\": \"texte/a.de.md\", \"en\": \"texte/a.en.md\"}}]}");
  dt_write_file (pack_dir, "texte/a.de.md", "Hallo\n");
  dt_write_file (pack_dir, "texte/a.en.md", "Hello\n");
  store = tu_store_new (store_path, NULL, &error);
  g_assert_no_error (error);
  dt_import_pack_dir (store, pack_dir);

  en = tu_store_get_item (store, "fallback", "erklaert", "en", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (en->language, ==, "en");
  g_assert_cmpstr (en->title, ==, "Nur auf Deutsch");
  g_assert_cmpstr (en->summary, ==, "In short");

  /* Easy German where a pack has none: German, its base language. */
  easy = tu_store_get_item (store, "fallback", "erklaert", "de-x-easy", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (easy->title, ==, "Nur auf Deutsch");
  g_assert_cmpstr (easy->summary, ==, "Kurz gesagt");

  /* A language the pack lacks: its first one throughout. */
  fr = tu_store_get_item (store, "fallback", "erklaert", "fr", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fr->language, ==, "de");
  g_assert_cmpstr (fr->summary, ==, "Kurz gesagt");

  digithek_store_close (store);
  dt_remove_tree (dir);
}

/* The kiosk in this process, driven through its exported actions on the session bus
 * as staff tooling drives it: set-language switches the UI strings, not only the
 * content. */

#define TEST_APP_ID "org.digithek.Kiosk.I18nTest"
#define TEST_APP_PATH "/org/digithek/Kiosk/I18nTest"

typedef struct
{
  GApplication    *app;
  GDBusConnection *bus;
  guint            stage;
  gint64           deadline;
  gboolean         done;
  gboolean         stuck;   /* the deadline passed; the step source is gone */
} DbusRun;

static void
bus_activate (DbusRun    *run,
              const char *action,
              const char *parameter)
{
  GVariantBuilder params;

  g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
  if (parameter != NULL)
    g_variant_builder_add (&params, "v", g_variant_new_string (parameter));
  /* Asynchronous: the call comes back to this very main loop. */
  g_dbus_connection_call (run->bus, TEST_APP_ID, TEST_APP_PATH, "org.gtk.Actions", "Activate",
                          g_variant_new ("(sava{sv})", action, &params, NULL),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, NULL, NULL);
}

static DigithekWindow *
app_window (DbusRun *run)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (run->app)); l != NULL; l = l->next)
    if (DIGITHEK_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
window_shows (DigithekWindow *window,
              const char     *view,
              const char     *text)
{
  return !digithek_window_get_busy (window) &&
         g_strcmp0 (digithek_window_get_view (window), view) == 0 &&
         find_label (GTK_WIDGET (window), text) != NULL;
}

static gboolean
dbus_step_cb (gpointer user_data)
{
  DbusRun *run = user_data;
  DigithekWindow *window = app_window (run);

  if (g_get_monotonic_time () > run->deadline)
    {
      g_test_message ("stuck at stage %u", run->stage);
      run->stuck = TRUE;
      g_application_quit (run->app);
      return G_SOURCE_REMOVE;
    }
  if (window == NULL)
    return G_SOURCE_CONTINUE;

  switch (run->stage)
    {
    case 0:
      if (!window_shows (window, "home", "Offene Daten") || !window_shows (window, "home", "Startseite"))
        return G_SOURCE_CONTINUE;
      bus_activate (run, "set-language", "en");
      break;
    case 1:
      /* The bar and the headings (UI strings), and the tiles (content). */
      if (!window_shows (window, "home", "Home") || !window_shows (window, "home", "Open data") ||
          !window_shows (window, "home", "Set up the online ID"))
        return G_SOURCE_CONTINUE;
      g_assert_cmpstr (digithek_i18n_get_language (), ==, "en");
      bus_activate (run, "open-item", "e-government/online-ausweis");
      break;
    case 2:
      if (!window_shows (window, "item:e-government/online-ausweis", "Step 1 of 5"))
        return G_SOURCE_CONTINUE;
      bus_activate (run, "next", NULL);
      break;
    case 3:
      if (!window_shows (window, "item:e-government/online-ausweis", "Step 2 of 5"))
        return G_SOURCE_CONTINUE;
      bus_activate (run, "set-language", "de");
      break;
    case 4:
      if (!window_shows (window, "item:e-government/online-ausweis", "Schritt 2 von 5") ||
          !window_shows (window, "item:e-government/online-ausweis", "Zurück"))
        return G_SOURCE_CONTINUE;
      /* Not a language: nothing changes. */
      bus_activate (run, "set-language", "not a language");
      bus_activate (run, "home", NULL);
      break;
    case 5:
      if (!window_shows (window, "home", "Offene Daten"))
        return G_SOURCE_CONTINUE;
      g_assert_cmpstr (digithek_window_get_language (window), ==, "de");
      run->done = TRUE;
      g_application_quit (run->app);
      return G_SOURCE_REMOVE;
    default:
      g_assert_not_reached ();
    }
  run->stage++;
  return G_SOURCE_CONTINUE;
}

static void
test_i18n_dbus_set_language (void)
{
  g_autofree char *config_dir = dt_make_tmp_dir ();
  g_autofree char *config = g_build_filename (config_dir, "kiosk.ini", NULL);
  const char *argv_config[] = { "digithek", "--demo", "--config", config, NULL };
  g_autoptr(GError) error = NULL;
  DbusRun run = { 0 };
  guint step_id;
  int status;

  run.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (run.bus == NULL)
    {
      g_test_skip_printf ("no session bus: %s", error->message);
      return;
    }
  /* The kiosk's own config defaults, whatever this machine has in /etc. */
  dt_write_file (config_dir, "kiosk.ini", "[kiosk]\nlanguage = de\n");

  run.app = G_APPLICATION (digithek_application_new ());
  /* Its own name: other suites run kiosks on the same bus. */
  g_application_set_application_id (run.app, TEST_APP_ID);
  run.deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  step_id = g_timeout_add (50, dbus_step_cb, &run);
  status = g_application_run (run.app, G_N_ELEMENTS (argv_config) - 1, (char **) argv_config);
  if (!run.done && !run.stuck)
    g_source_remove (step_id);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.done);

  g_object_unref (run.app);
  g_object_unref (run.bus);
  dt_remove_tree (config_dir);
}

int
main (int    argc,
      char **argv)
{
  /* Before any thread, as main() does. */
  digithek_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  g_test_add_func ("/ui/i18n/catalog", test_i18n_catalog);
  g_test_add_func ("/ui/i18n/content-fallback", test_i18n_content_fallback);
  g_test_add_func ("/ui/i18n/out-of-service", test_i18n_out_of_service);
  g_test_add_func ("/ui/i18n/dbus-set-language", test_i18n_dbus_set_language);
  g_test_add ("/ui/i18n/switch-home", Fixture, NULL,
              fixture_set_up, test_i18n_switch_home, fixture_tear_down);
  g_test_add ("/ui/i18n/switch-guide", Fixture, NULL,
              fixture_set_up, test_i18n_switch_guide, fixture_tear_down);
  g_test_add ("/ui/i18n/switch-tour", Fixture, NULL,
              fixture_set_up, test_i18n_switch_tour, fixture_tear_down);
  g_test_add ("/ui/i18n/easy-offered", Fixture, NULL,
              fixture_set_up, test_i18n_easy_offered, fixture_tear_down);

  return g_test_run ();
}
