/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The search view in the window: typed on the on-screen keyboard, results grouped by
 * kind, the keyboard there only while the field has the focus, a result opening its
 * item, Back and Home, clearing, and the language. */

#include <adwaita.h>

#include "digithek-keyboard.h"
#include "digithek-pack.h"
#include "digithek-search-view.h"
#include "digithek-store.h"
#include "digithek-test-util.h"
#include "digithek-window.h"
#include "store-test-util.h"

typedef struct
{
  char               *dir;
  DigithekStore      *store;
  DigithekWindow     *window;
  DigithekSearchView *view;
} Fixture;

/* "Stra…" in an explainer's title, a dataset's summary and a guide's body. */
static void
write_pack (const char *dir)
{
  dt_write_file (dir, "pack.json",
    "{\"format\": 1, \"id\": \"stadt\", \"version\": 1,\n"
    " \"title\": {\"de\": \"Stadt\", \"en\": \"City\"}, \"languages\": [\"de\", \"en\"],\n"
    " \"items\": [\n"
    "  {\"id\": \"strasse\", \"kind\": \"explainer\",\n"
    "   \"title\": {\"de\": \"Straßenbeleuchtung\", \"en\": \"Street lighting\"},\n"
    "   \"summary\": {\"de\": \"Wann die Laternen leuchten\", \"en\": \"When the lamps are lit\"},\n"
    "   \"body\": {\"de\": \"licht.de.md\", \"en\": \"licht.en.md\"}},\n"
    "  {\"id\": \"abstand\", \"kind\": \"dataset\",\n"
    "   \"title\": {\"de\": \"Überholabstände\", \"en\": \"Overtaking distances\"},\n"
    "   \"summary\": {\"de\": \"Gemessen am Straßenrand\", \"en\": \"Measured at the kerb\"},\n"
    "   \"data\": \"abstand.csv\",\n"
    "   \"chart\": {\"type\": \"bar\", \"x\": \"monat\", \"y\": [\"cm\"]},\n"
    "   \"source\": {\"name\": \"OBS\", \"license\": \"CC-BY-4.0\"}},\n"
    "  {\"id\": \"ausweis\", \"kind\": \"guide\",\n"
    "   \"title\": {\"de\": \"Online-Ausweis\", \"en\": \"Online ID\"},\n"
    "   \"summary\": {\"de\": \"Ohne Wartezeit\", \"en\": \"No waiting\"},\n"
    "   \"steps\": [{\"title\": {\"de\": \"Adresse\", \"en\": \"Address\"},\n"
    "               \"body\": {\"de\": \"adresse.md\", \"en\": \"adresse.md\"}}]},\n"
    "  {\"id\": \"rundgang\", \"kind\": \"tour\",\n"
    "   \"title\": {\"de\": \"Rundgang\", \"en\": \"Tour\"},\n"
    "   \"stops\": [\"strasse\", \"abstand\"]}\n"
    " ]}\n");
  dt_write_file (dir, "licht.de.md", "# Licht\n\nNachts wird es dunkler.\n");
  dt_write_file (dir, "licht.en.md", "# Light\n\nAt night it gets darker.\n");
  dt_write_file (dir, "adresse.md", "Tragen Sie Ihre Straße und Hausnummer ein.\n");
  dt_write_file (dir, "abstand.csv", "monat,cm\n2026-01,120\n2026-02,131\n");
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so (or 20 s pass, which fails). */
static void
wait_until (gboolean (*done) (Fixture *fixture, const char *arg),
            Fixture   *fixture,
            const char *arg)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (!timed_out && !done (fixture, arg))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_false (timed_out);
  for (guint i = 0; i < 5 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
view_is (Fixture    *fixture,
         const char *view)
{
  return !digithek_window_get_busy (fixture->window) &&
         g_strcmp0 (digithek_window_get_view (fixture->window), view) == 0;
}

static gboolean
window_is_active (Fixture    *fixture,
                  const char *unused)
{
  return gtk_window_is_active (GTK_WINDOW (fixture->window));
}

static gboolean
search_state_is (Fixture    *fixture,
                 const char *state)
{
  return !digithek_search_view_get_busy (fixture->view) &&
         g_strcmp0 (digithek_search_view_get_state (fixture->view), state) == 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *pack_dir = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = dt_make_tmp_dir ();
  pack_dir = g_build_filename (fixture->dir, "stadt", NULL);
  write_pack (pack_dir);
  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = tu_store_new (path, NULL, &error);
  g_assert_no_error (error);
  pack = digithek_pack_load (pack_dir, NULL, NULL, &error);
  g_assert_no_error (error);
  tu_store_import_pack (fixture->store, pack, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (digithek_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1920, 1080);
  digithek_window_set_store (fixture->window, fixture->store);
  fixture->view = DIGITHEK_SEARCH_VIEW (digithek_window_get_search_view (fixture->window));
  gtk_window_present (GTK_WINDOW (fixture->window));
  items = tu_store_list_items (fixture->store, "de", NULL, &error);
  g_assert_no_error (error);
  digithek_window_show_home (fixture->window, items);
  wait_until (view_is, fixture, "home");
  /* Focus (and with it the keyboard) needs the window to be the active one, which a
   * loaded machine may make it only a moment after it is shown. */
  wait_until (window_is_active, fixture, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  digithek_store_close (fixture->store);
  g_assert_finalize_object (fixture->store);
  dt_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* The button under @widget whose accessible name is @name, or NULL. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *name)
{
  if (GTK_IS_BUTTON (widget))
    {
      g_autofree char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                      name);
      if (mismatch == NULL)
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A tap on the key named @name of the view's keyboard. */
static void
press (Fixture    *fixture,
       const char *name)
{
  GtkWidget *key = find_button (digithek_search_view_get_keyboard (fixture->view), name);

  if (key == NULL)
    g_error ("no key named “%s”", name);
  g_signal_emit_by_name (key, "clicked");
}

static gboolean
keyboard_shown (Fixture *fixture)
{
  return gtk_widget_get_visible (digithek_search_view_get_keyboard (fixture->view));
}

/* The kinds of the result groups, in order, and their item ids: "explainer:strasse
 * dataset:abstand". */
static char *
describe_results (Fixture *fixture)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GtkWidget *stack = gtk_widget_get_first_child (GTK_WIDGET (fixture->view));
  GPtrArray *groups = g_ptr_array_new ();

  /* The groups are the boxes named after a kind; find them wherever they are. */
  {
    GPtrArray *todo = g_ptr_array_new ();

    g_ptr_array_add (todo, stack);
    while (todo->len > 0)
      {
        GtkWidget *w = g_ptr_array_steal_index (todo, 0);

        if (gtk_widget_has_css_class (w, "search-group"))
          {
            g_ptr_array_add (groups, w);
            continue;
          }
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (todo, c);
      }
    g_ptr_array_unref (todo);
  }

  for (guint g = 0; g < groups->len; g++)
    {
      GtkWidget *group = g_ptr_array_index (groups, g);

      for (GtkWidget *c = gtk_widget_get_first_child (group); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (GTK_IS_BUTTON (c))
          g_string_append_printf (out, "%s%s:%s", out->len ? " " : "",
                                  gtk_widget_get_name (group), gtk_widget_get_name (c));
    }
  g_ptr_array_unref (groups);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GtkWidget *
find_result (Fixture    *fixture,
             const char *item_id)
{
  GPtrArray *todo = g_ptr_array_new ();
  GtkWidget *found = NULL;

  g_ptr_array_add (todo, GTK_WIDGET (fixture->view));
  while (todo->len > 0 && found == NULL)
    {
      GtkWidget *w = g_ptr_array_steal_index (todo, 0);

      if (gtk_widget_has_css_class (w, "search-result") &&
          g_str_equal (gtk_widget_get_name (w), item_id))
        found = w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (todo, c);
    }
  g_ptr_array_unref (todo);
  return found;
}

static void
test_type_on_keyboard (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *entry = digithek_search_view_get_entry (fixture->view);
  g_autofree char *results = NULL;

  /* The bar's Search button opens the view with the focus in the field, and the
   * keyboard with it. */
  g_assert_false (keyboard_shown (fixture));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.search", NULL));
  wait_until (view_is, fixture, "search");
  g_assert_cmpstr (digithek_search_view_get_state (fixture->view), ==, "empty");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry)))));
  g_assert_true (keyboard_shown (fixture));

  /* Typed on the keyboard, results come as the letters do. */
  press (fixture, "Umschalttaste");
  press (fixture, "S");
  press (fixture, "t");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "St");
  wait_until (search_state_is, fixture, "results");
  press (fixture, "r");
  press (fixture, "a");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Stra");
  wait_until (search_state_is, fixture, "results");
  /* Grouped by kind, the group of the best hit first: "Stra…" in a title, then in a
   * summary, then in a body. */
  results = describe_results (fixture);
  g_assert_cmpstr (results, ==, "explainer:strasse dataset:abstand guide:ausweis");
  g_assert_cmpuint (digithek_search_view_get_n_results (fixture->view), ==, 3);
  /* Still typing: the focus and the keyboard stayed. */
  g_assert_true (keyboard_shown (fixture));

  press (fixture, "ß");
  press (fixture, "e");
  press (fixture, "n");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Straßen");
  wait_until (search_state_is, fixture, "results");
  g_clear_pointer (&results, g_free);
  results = describe_results (fixture);
  g_assert_cmpstr (results, ==, "explainer:strasse dataset:abstand");

  /* Nothing found: the state says so, with a hint. */
  press (fixture, "x");
  wait_until (search_state_is, fixture, "no-results");
  g_assert_cmpuint (digithek_search_view_get_n_results (fixture->view), ==, 0);
  press (fixture, "Rücktaste");
  wait_until (search_state_is, fixture, "results");

  /* The focus leaves the field: the keyboard goes; it comes back with the focus. */
  gtk_widget_grab_focus (find_result (fixture, "strasse"));
  g_assert_false (keyboard_shown (fixture));
  digithek_search_view_focus_entry (fixture->view);
  g_assert_true (keyboard_shown (fixture));
  /* Its own hide key hides it while the field keeps the focus. */
  press (fixture, "Tastatur ausblenden");
  g_assert_false (keyboard_shown (fixture));
  /* "Suchen" on the keyboard hands the screen to the results. */
  digithek_search_view_focus_entry (fixture->view);
  g_assert_true (keyboard_shown (fixture));
  press (fixture, "Suchen");
  g_assert_false (keyboard_shown (fixture));
  g_assert_true (gtk_widget_has_focus (find_result (fixture, "strasse")));

  /* Emptied by hand: back to the empty state. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_until (search_state_is, fixture, "empty");
}

static void
test_open_result (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *result;

  /* "Strasse" finds "Straße". */
  digithek_window_search (fixture->window, "Strasse");
  wait_until (view_is, fixture, "search");
  wait_until (search_state_is, fixture, "results");
  result = find_result (fixture, "strasse");
  g_assert_nonnull (result);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (result),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Straßenbeleuchtung"));

  /* A tap opens the item as a home tile does; the keyboard goes with the focus. */
  g_signal_emit_by_name (result, "clicked");
  wait_until (view_is, fixture, "item:stadt/strasse");
  g_assert_false (keyboard_shown (fixture));
  g_assert_cmpuint (digithek_window_get_back_depth (fixture->window), ==, 1);

  /* Back returns to the search as it was left. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.back", NULL));
  wait_until (view_is, fixture, "search");
  g_assert_cmpstr (digithek_search_view_get_query (fixture->view), ==, "Strasse");
  g_assert_nonnull (find_result (fixture, "strasse"));

  /* Search from an item: Back goes to the item. */
  g_signal_emit_by_name (find_result (fixture, "strasse"), "clicked");
  wait_until (view_is, fixture, "item:stadt/strasse");
  digithek_window_search (fixture->window, "Rundg");
  wait_until (view_is, fixture, "search");
  wait_until (search_state_is, fixture, "results");
  g_assert_nonnull (find_result (fixture, "rundgang"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.back", NULL));
  wait_until (view_is, fixture, "item:stadt/strasse");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.back", NULL));
  wait_until (view_is, fixture, "search");

  /* Home starts over: the search is gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.home", NULL));
  wait_until (view_is, fixture, "home");
  g_assert_cmpstr (digithek_search_view_get_query (fixture->view), ==, "");
  g_assert_cmpuint (digithek_search_view_get_n_results (fixture->view), ==, 0);
  g_assert_cmpuint (digithek_window_get_back_depth (fixture->window), ==, 0);
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  digithek_window_search (fixture->window, "Uberhol");
  wait_until (search_state_is, fixture, "results");
  g_assert_nonnull (find_result (fixture, "abstand"));
  g_assert_true (keyboard_shown (fixture));
  press (fixture, "Englische Tastatur");
  g_assert_cmpstr (digithek_keyboard_get_language (DIGITHEK_KEYBOARD (digithek_search_view_get_keyboard (fixture->view))),
                   ==, "en");

  /* The session reset: nothing typed or found is left, the keyboard is hidden and
   * back to the kiosk's layout. */
  digithek_search_view_clear (fixture->view);
  g_assert_cmpstr (digithek_search_view_get_query (fixture->view), ==, "");
  g_assert_cmpstr (digithek_search_view_get_state (fixture->view), ==, "empty");
  g_assert_cmpuint (digithek_search_view_get_n_results (fixture->view), ==, 0);
  g_assert_null (find_result (fixture, "abstand"));
  g_assert_false (keyboard_shown (fixture));
  g_assert_cmpstr (digithek_keyboard_get_language (DIGITHEK_KEYBOARD (digithek_search_view_get_keyboard (fixture->view))),
                   ==, "de");
  /* And it stays so: no late result of the cleared query arrives. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (50000);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (digithek_search_view_get_state (fixture->view), ==, "empty");
}

static void
test_hostile_and_stale (Fixture       *fixture,
                        gconstpointer  data)
{
  /* FTS5 syntax is only text; without a letter or a digit nothing is found. */
  static const char * const queries[] = {
    "\"", "NEAR(Stra", "Stra*) OR (", "-", "'; DROP TABLE items; --", "title:Stra",
  };

  digithek_window_search (fixture->window, NULL);
  wait_until (view_is, fixture, "search");
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      digithek_search_view_set_query (fixture->view, queries[i]);
      wait_until (search_state_is, fixture, "no-results");
    }

  /* Many queries at once: only the last one's results show. */
  digithek_search_view_set_query (fixture->view, "S");
  digithek_search_view_set_query (fixture->view, "St");
  digithek_search_view_set_query (fixture->view, "Online");
  wait_until (search_state_is, fixture, "results");
  {
    g_autofree char *results = describe_results (fixture);

    g_assert_cmpstr (results, ==, "guide:ausweis");
  }
}

static void
test_language (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *keyboard = digithek_search_view_get_keyboard (fixture->view);

  digithek_window_search (fixture->window, "Street");
  wait_until (search_state_is, fixture, "no-results");
  g_assert_cmpstr (digithek_keyboard_get_language (DIGITHEK_KEYBOARD (keyboard)), ==, "de");

  /* A language switch searches the same words in the other texts, with the other
   * keyboard. */
  digithek_window_set_language (fixture->window, "en");
  g_assert_cmpstr (digithek_search_view_get_language (fixture->view), ==, "en");
  wait_until (search_state_is, fixture, "results");
  g_assert_cmpstr (digithek_keyboard_get_language (DIGITHEK_KEYBOARD (keyboard)), ==, "en");
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (find_result (fixture, "strasse")),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Street lighting"));
  g_assert_nonnull (find_button (keyboard, "Backspace"));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/digithek/Kiosk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

#define ADD(path, func) \
  g_test_add ("/ui/search-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("type-on-keyboard", test_type_on_keyboard);
  ADD ("open-result", test_open_result);
  ADD ("clear", test_clear);
  ADD ("hostile-and-stale", test_hostile_and_stale);
  ADD ("language", test_language);
#undef ADD

  return g_test_run ();
}
