/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Screen readers and keyboards: every control of every view has an accessible name;
 * Tab reaches every control and Enter/Space activate them; charts describe the visible
 * range in words and as a table; read-aloud reads each view's text in its language and
 * stops on navigation.
 *
 * How a name is checked: GTK 4.8 has no public getter for accessible properties, and
 * walking our own process over AT-SPI from the same thread would deadlock (libatspi
 * calls are synchronous D-Bus calls the GTK side answers from this main loop). The
 * test computes the name as GTK 4.8's AT-SPI backend does (gtk_at_context_get_name():
 * the `label` property, else the names of the `labelled-by` widgets) using the public
 * test API gtk_test_accessible_check_property()/_check_relation(), whose mismatch
 * message is the value set. A control whose name would be empty on AT-SPI fails. */

#include <math.h>
#include <string.h>
#include <adwaita.h>

#include "a11y-test-util.h"
#include "digithek-chart.h"
#include "digithek-data-table.h"
#include "digithek-dataset-view.h"
#include "digithek-display-menu.h"
#include "digithek-explainer-view.h"
#include "digithek-guide-view.h"
#include "digithek-keyboard.h"
#include "digithek-read-aloud-button.h"
#include "digithek-speech.h"
#include "digithek-tour-view.h"

/* ---- accessible names, as AT-SPI sees them ---- */

static void
collect (GtkWidget  *widget,
         GHashTable *all)
{
  g_hash_table_add (all, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, all);
}

static char *accessible_name (GtkWidget *widget, GHashTable *all, guint depth);

/* The widgets of a `labelled-by` relation: its printed value lists them as
 * "Type<0xADDRESS>"; only widgets of the walked tree are trusted. */
static char *
labelled_by_name (GtkWidget  *widget,
                  GHashTable *all,
                  guint       depth)
{
  g_autofree char *printed = NULL;
  GString *name = g_string_new (NULL);
  const char *p;

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return g_string_free (name, FALSE);
  /* Compared against no widget at all: never equal, so the value comes back. */
  printed = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                                GTK_ACCESSIBLE_RELATION_LABELLED_BY, NULL);
  for (p = printed != NULL ? strstr (printed, "<0x") : NULL; p != NULL; p = strstr (p + 1, "<0x"))
    {
      gpointer target = GSIZE_TO_POINTER (g_ascii_strtoull (p + 3, NULL, 16));

      if (target != widget && g_hash_table_contains (all, target))
        {
          g_autofree char *part = accessible_name (target, all, depth + 1);

          if (part != NULL && *part != '\0')
            g_string_append_printf (name, "%s%s", name->len > 0 ? " " : "", part);
        }
    }
  return g_string_free (name, FALSE);
}

static char *
accessible_name (GtkWidget  *widget,
                 GHashTable *all,
                 guint       depth)
{
  if (depth > 4)
    return NULL;
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      /* Compared with a value no label has: the message is the label set. */
      char *label = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                        GTK_ACCESSIBLE_PROPERTY_LABEL, "\x01");
      if (label != NULL && *g_strstrip (label) != '\0')
        return label;
      g_free (label);
    }
  return labelled_by_name (widget, all, depth);
}

/* Something a finger, a key or a switch device acts on. */
static gboolean
is_control (GtkWidget *widget)
{
  /* Scroll areas take the focus for keyboard scrolling; a screen reader reads what is
   * in them, and their scrollbars' ranges are GTK's own. */
  if (GTK_IS_SCROLLED_WINDOW (widget) || GTK_IS_SCROLLBAR (gtk_widget_get_parent (widget)))
    return FALSE;
  if (GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_CHECK_BUTTON (widget) ||
      GTK_IS_EDITABLE (widget) || GTK_IS_RANGE (widget))
    return TRUE;
  /* Other focusable widgets, except texts (a label's name is its text, checked too). */
  return gtk_widget_get_focusable (widget) && !GTK_IS_WINDOW (widget) &&
         !GTK_IS_POPOVER (widget);
}

static gboolean
is_reachable (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_child_visible (widget);
}

typedef struct
{
  GHashTable *all;
  GPtrArray  *problems;
  guint       n_controls;
} Walk;

static void
walk_names (GtkWidget *widget,
            Walk      *walk)
{
  if (!is_reachable (widget))
    return;
  if (is_control (widget))
    {
      g_autofree char *name = accessible_name (widget, walk->all, 0);

      walk->n_controls++;
      if (name == NULL || *name == '\0')
        {
          GtkWidget *parent = gtk_widget_get_parent (widget);

          g_ptr_array_add (walk->problems,
                           g_strdup_printf ("%s (role %d, in %s) has no accessible name",
                                            G_OBJECT_TYPE_NAME (widget),
                                            gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)),
                                            parent != NULL ? G_OBJECT_TYPE_NAME (parent) : "-"));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_names (child, walk);
}

/* Walks @root and every popover open in it. Returns: problems; @out_n: controls seen. */
static GPtrArray *
check_names (GtkWidget *root,
             guint     *out_n)
{
  Walk walk = { g_hash_table_new (NULL, NULL), g_ptr_array_new_with_free_func (g_free), 0 };

  collect (root, walk.all);
  walk_names (root, &walk);
  g_hash_table_unref (walk.all);
  if (out_n != NULL)
    *out_n = walk.n_controls;
  return walk.problems;
}

static void
assert_names (A11yFixture *fixture,
              const char  *where)
{
  g_autoptr(GPtrArray) problems = NULL;
  guint n = 0;

  problems = check_names (GTK_WIDGET (fixture->window), &n);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", where, (const char *) g_ptr_array_index (problems, i));
  g_test_message ("%s: %u controls", where, n);
  g_assert_cmpuint (n, >, 2);
  if (problems->len > 0)
    g_test_fail_printf ("%s: %s", where, (const char *) g_ptr_array_index (problems, 0));
}

/* The popover of the Aa menu is its own surface: walked on its own. */
static void
assert_popover_names (A11yFixture *fixture)
{
  GtkWidget *menu = digithek_window_get_display_menu (fixture->window);
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (digithek_display_menu_get_button (DIGITHEK_DISPLAY_MENU (menu)))));
  g_autoptr(GPtrArray) problems = NULL;
  guint n = 0;

  digithek_display_menu_set_open (DIGITHEK_DISPLAY_MENU (menu), TRUE);
  a11y_spin (200);
  g_assert_true (gtk_widget_get_mapped (popover));
  problems = check_names (popover, &n);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("display menu: %s", (const char *) g_ptr_array_index (problems, i));
  /* Three sizes and the contrast switch. */
  g_assert_cmpuint (n, >=, 4);
  g_assert_cmpuint (problems->len, ==, 0);
  digithek_display_menu_set_open (DIGITHEK_DISPLAY_MENU (menu), FALSE);
  a11y_spin (200);
}

static void
test_a11y_names (void)
{
  A11yFixture fixture;
  g_autoptr(GPtrArray) ids = NULL;
  const char *languages[] = { "de", "en" };

  a11y_fixture_set_up (&fixture, 1920, 1080);
  ids = a11y_list_item_ids (&fixture);
  assert_popover_names (&fixture);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      a11y_show_home (&fixture, languages[l]);
      assert_names (&fixture, "home");
      for (guint i = 0; i < ids->len; i++)
        {
          const char *id = g_ptr_array_index (ids, i);
          g_autofree char *where = g_strdup_printf ("%s (%s)", id, languages[l]);
          GtkWidget *view;

          a11y_open (&fixture, id);
          assert_names (&fixture, where);
          view = digithek_window_get_item_view (fixture.window);
          if (DIGITHEK_IS_DATASET_VIEW (view))
            {
              /* The chart has a name and a description; so has the table view. */
              GtkWidget *chart = GTK_WIDGET (digithek_dataset_view_get_chart (DIGITHEK_DATASET_VIEW (view)));
              g_autoptr(GHashTable) all = g_hash_table_new (NULL, NULL);
              g_autofree char *name = NULL;

              collect (GTK_WIDGET (fixture.window), all);
              name = accessible_name (chart, all, 0);
              g_assert_nonnull (name);
              g_assert_cmpstr (name, !=, "");
              g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (chart),
                                                               GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
              digithek_dataset_view_set_table_shown (DIGITHEK_DATASET_VIEW (view), TRUE);
              a11y_spin (100);
              assert_names (&fixture, where);
            }
          while (digithek_window_next (fixture.window))
            {
              a11y_wait_for_view (&fixture, NULL);
              assert_names (&fixture, where);
            }
          /* The QR overlay of a link. */
          if (i == 0 && l == 0)
            {
              g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "view.show-link", "(ss)",
                                                         "https://www.konstanz.de/", "Konstanz"));
              a11y_spin (200);
              g_assert_nonnull (digithek_window_get_link_url (fixture.window));
              assert_names (&fixture, "link overlay");
              gtk_widget_activate_action (GTK_WIDGET (fixture.window), "view.close-link", NULL);
            }
          digithek_window_go_home (fixture.window);
          a11y_wait_for_view (&fixture, "home");
        }
    }
  a11y_fixture_tear_down (&fixture);
}

/* The check fails on an unnamed control: an icon-only button, and a named control
 * whose label is taken away. */
static void
test_a11y_detects_missing_name (void)
{
  A11yFixture fixture;
  GtkWidget *button = gtk_button_new_from_icon_name ("go-home-symbolic");
  GtkWidget *aa;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) icon = NULL;

  a11y_fixture_set_up (&fixture, 1920, 1080);
  before = check_names (GTK_WIDGET (fixture.window), NULL);
  g_assert_cmpuint (before->len, ==, 0);

  /* The Aa button without its label: only an "Aa" text and an arrow are left. */
  aa = gtk_widget_get_first_child (digithek_display_menu_get_button (DIGITHEK_DISPLAY_MENU (digithek_window_get_display_menu (fixture.window))));
  gtk_accessible_reset_property (GTK_ACCESSIBLE (aa), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (aa), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  after = check_names (GTK_WIDGET (fixture.window), NULL);
  g_assert_cmpuint (after->len, ==, 1);
  digithek_display_menu_relabel (DIGITHEK_DISPLAY_MENU (digithek_window_get_display_menu (fixture.window)));

  /* An icon-only button: named by the image, which has no name. */
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (digithek_window_get_display_menu (fixture.window))),
                  button);
  a11y_spin (100);
  icon = check_names (GTK_WIDGET (fixture.window), NULL);
  g_assert_cmpuint (icon->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (icon, 0), "GtkButton"));
  a11y_fixture_tear_down (&fixture);
}

/* The on-screen keyboard's keys: every one named (letters, umlauts, Shift, Enter…). */
static void
test_a11y_keyboard_keys (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *keyboard = digithek_keyboard_new ();
  g_autoptr(GPtrArray) problems = NULL;
  guint n = 0;

  gtk_window_set_child (GTK_WINDOW (window), keyboard);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 500);
  gtk_window_present (GTK_WINDOW (window));
  a11y_spin (200);
  problems = check_names (window, &n);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("keyboard: %s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (n, >=, 30);
  g_assert_cmpuint (problems->len, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- keyboard ---- */

static void
collect_controls (GtkWidget *widget,
                  GPtrArray *out)
{
  /* can-focus off: the widget and all in it are out of the focus chain on purpose
   * (a guide's steps other than the one shown). */
  if (!is_reachable (widget) || !gtk_widget_is_sensitive (widget) || !gtk_widget_get_can_focus (widget))
    return;
  if (gtk_widget_get_focusable (widget) && is_control (widget) && !GTK_IS_WINDOW (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_controls (child, out);
}

/* Presses Tab until the focus comes back to where it started; every control of the
 * view and the bar must have had it. */
static void
assert_tab_cycle (A11yFixture *fixture,
                  const char  *where)
{
  g_autoptr(GPtrArray) controls = g_ptr_array_new ();
  g_autoptr(GHashTable) visited = g_hash_table_new (NULL, NULL);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *first = NULL;
  guint presses = 0;

  collect_controls (window, controls);
  g_assert_cmpuint (controls->len, >, 2);
  for (presses = 0; presses < 4 * controls->len + 8; presses++)
    {
      GtkWidget *focus;

      g_signal_emit_by_name (window, "move-focus", GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      g_test_message ("%s: Tab → %s in %s", where, G_OBJECT_TYPE_NAME (focus),
                      G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)));
      if (first == NULL)
        first = focus;
      else if (focus == first)
        break;
      /* A focus inside a control (a label in a button) counts for the control. */
      for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
        g_hash_table_add (visited, w);
    }
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == first);
  for (guint i = 0; i < controls->len; i++)
    if (!g_hash_table_contains (visited, g_ptr_array_index (controls, i)) &&
        g_ptr_array_index (controls, i) != first)
      {
        g_autoptr(GHashTable) all = g_hash_table_new (NULL, NULL);
        g_autofree char *name = NULL;

        collect (window, all);
        name = accessible_name (g_ptr_array_index (controls, i), all, 0);
        g_test_fail_printf ("%s: Tab never reaches the %s \"%s\"", where,
                            G_OBJECT_TYPE_NAME (g_ptr_array_index (controls, i)), name);
      }
  g_test_message ("%s: Tab cycles through %u controls in %u presses", where, controls->len, presses);
}

static void
test_a11y_keyboard (void)
{
  A11yFixture fixture;
  GtkWidget *view, *focus;

  a11y_fixture_set_up (&fixture, 1920, 1080);
  assert_tab_cycle (&fixture, "home");

  /* Enter (the activate signal its binding emits) opens the focused tile. */
  focus = NULL;
  for (guint i = 0; i < 50 && (focus == NULL || !gtk_widget_has_css_class (focus, "tile")); i++)
    {
      g_signal_emit_by_name (fixture.window, "move-focus", GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (fixture.window));
    }
  g_assert_true (gtk_widget_has_css_class (focus, "tile"));
  g_assert_true (gtk_widget_activate (focus));
  /* The item opens (on a loaded machine a moment later than the activation). */
  for (guint i = 0; i < 200 && !g_str_has_prefix (digithek_window_get_view (fixture.window), "item:") &&
                    !g_str_has_prefix (digithek_window_get_view (fixture.window), "tour:"); i++)
    a11y_spin (100);
  a11y_wait_for_view (&fixture, NULL);
  g_assert_true (g_str_has_prefix (digithek_window_get_view (fixture.window), "item:") ||
                 g_str_has_prefix (digithek_window_get_view (fixture.window), "tour:"));

  a11y_open (&fixture, "e-government/online-ausweis");
  view = digithek_window_get_item_view (fixture.window);
  g_assert_true (DIGITHEK_IS_GUIDE_VIEW (view));
  assert_tab_cycle (&fixture, "guide");
  a11y_fixture_tear_down (&fixture);
}

/* ---- charts ---- */

static void
test_a11y_chart_summary (void)
{
  A11yFixture fixture;
  DigithekDatasetView *view;
  DigithekChart *chart;
  g_autofree char *whole = NULL;
  double lo, hi;

  a11y_fixture_set_up (&fixture, 1920, 1080);
  a11y_open (&fixture, "offene-daten-konstanz/luftqualitaet-konstanz");
  view = DIGITHEK_DATASET_VIEW (digithek_window_get_item_view (fixture.window));
  chart = digithek_dataset_view_get_chart (view);

  whole = g_strdup (digithek_chart_get_summary (chart));
  g_assert_nonnull (whole);
  g_test_message ("%s", whole);
  /* German: latest, lowest, highest, the trend, German numbers and dates with units. */
  g_assert_nonnull (strstr (whole, "zuletzt"));
  g_assert_nonnull (strstr (whole, "niedrigster Wert"));
  g_assert_nonnull (strstr (whole, "höchster Wert"));
  g_assert_nonnull (strstr (whole, "µg/m³"));
  g_assert_true (strstr (whole, "steigend") || strstr (whole, "fallend") || strstr (whole, "gleichbleibend"));
  g_assert_true (g_regex_match_simple ("[0-9],[0-9]", whole, 0, 0));
  g_assert_true (g_regex_match_simple ("[0-9]{2}\\.[0-9]{2}\\.20[0-9]{2}", whole, 0, 0));

  /* Zooming changes it (the visible range), and the text under the chart follows. */
  digithek_chart_get_data_range (chart, &lo, &hi);
  digithek_chart_set_visible_range (chart, lo, lo + (hi - lo) / 10);
  g_assert_cmpstr (digithek_chart_get_summary (chart), !=, whole);
  digithek_chart_reset_zoom (chart);
  g_assert_cmpstr (digithek_chart_get_summary (chart), ==, whole);

  /* English. */
  a11y_show_home (&fixture, "en");
  a11y_open (&fixture, "offene-daten-konstanz/luftqualitaet-konstanz");
  view = DIGITHEK_DATASET_VIEW (digithek_window_get_item_view (fixture.window));
  chart = digithek_dataset_view_get_chart (view);
  g_assert_nonnull (strstr (digithek_chart_get_summary (chart), "latest"));
  g_assert_nonnull (strstr (digithek_chart_get_summary (chart), "highest"));
  a11y_fixture_tear_down (&fixture);
}

static void
test_a11y_data_table (void)
{
  A11yFixture fixture;
  DigithekDatasetView *view;
  DigithekDataTable *table;
  GtkWidget *big_table;
  GtkWidget *chart;
  const gsize n = 1000000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  gint64 start;

  a11y_fixture_set_up (&fixture, 1920, 1080);
  a11y_open (&fixture, "offene-daten-konstanz/temperatur-konstanz");
  view = DIGITHEK_DATASET_VIEW (digithek_window_get_item_view (fixture.window));
  digithek_dataset_view_set_table_shown (view, TRUE);
  a11y_spin (100);
  table = digithek_dataset_view_get_data_table (view);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (table)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (digithek_dataset_view_get_chart (view))));
  /* Every year, the first one first, with a German decimal comma. */
  g_assert_cmpuint (digithek_data_table_get_n_rows (table), ==, digithek_data_table_get_n_range_rows (table));
  g_assert_cmpuint (digithek_data_table_get_n_rows (table), >, 40);
  g_assert_cmpstr (digithek_data_table_get_cell (table, 1, 0), ==, "1973");
  g_assert_true (g_regex_match_simple ("^−?[0-9]+,[0-9]+$", digithek_data_table_get_cell (table, 1, 1), 0, 0));
  digithek_dataset_view_set_table_shown (view, FALSE);
  a11y_spin (100);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (digithek_dataset_view_get_chart (view))));
  a11y_fixture_tear_down (&fixture);

  /* A million rows: 500 of them, quickly, and a note saying so. */
  for (gsize i = 0; i < n; i++)
    {
      x[i] = 1700000000.0 + 60.0 * i;
      y[i] = sin (i / 1000.0);
    }
  chart = g_object_ref_sink (digithek_chart_new ());
  digithek_chart_set_x (DIGITHEK_CHART (chart), DIGITHEK_CSV_X_TIME, x, NULL, n);
  digithek_chart_add_series (DIGITHEK_CHART (chart), "Wert", y, n);
  big_table = g_object_ref_sink (digithek_data_table_new ());
  start = g_get_monotonic_time ();
  digithek_data_table_fill (DIGITHEK_DATA_TABLE (big_table), DIGITHEK_CHART (chart), "de");
  g_test_message ("1,000,000 rows → table in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (digithek_data_table_get_n_rows (DIGITHEK_DATA_TABLE (big_table)), ==, DIGITHEK_DATA_TABLE_MAX_ROWS);
  g_assert_cmpuint (digithek_data_table_get_n_range_rows (DIGITHEK_DATA_TABLE (big_table)), ==, n);
  g_assert_cmpstr (digithek_data_table_get_cell (DIGITHEK_DATA_TABLE (big_table), 0, 1), ==, "Wert");
  g_object_unref (big_table);
  g_object_unref (chart);
}

/* ---- read-aloud ---- */

/* Common short words decide the language of a text well enough for a test. */
static int
language_score (const char *text)
{
  const char *de[] = { " der ", " die ", " und ", " das ", " ist ", " nicht ", " mit ", " den " };
  const char *en[] = { " the ", " and ", " is ", " of ", " to ", " with ", " you ", " not " };
  g_autofree char *lower = g_utf8_strdown (text, -1);
  int score = 0;

  for (guint i = 0; i < G_N_ELEMENTS (de); i++)
    for (const char *p = strstr (lower, de[i]); p != NULL; p = strstr (p + 1, de[i]))
      score++;
  for (guint i = 0; i < G_N_ELEMENTS (en); i++)
    for (const char *p = strstr (lower, en[i]); p != NULL; p = strstr (p + 1, en[i]))
      score--;
  return score;
}

static void
assert_audio (const char *text,
              const char *language)
{
  g_autofree char *dir = dt_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "read-aloud.wav", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  guint32 rate, n_samples;
  double peak = 0;

  /* The first 400 characters: enough to hear, quick to synthesise. */
  {
    g_autofree char *part = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 400));

    g_assert_true (digithek_speech_render_wav (part, language, path, &error));
  }
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpuint (length, >, 44);
  rate = GUINT32_FROM_LE (*(guint32 *) (contents + 24));
  n_samples = (length - 44) / 2;
  for (guint i = 0; i < n_samples; i++)
    peak = MAX (peak, ABS ((gint16) GUINT16_FROM_LE (*(guint16 *) (contents + 44 + 2 * i)) / 32768.0));
  g_assert_cmpfloat ((double) n_samples / rate, >, 0.5);
  g_assert_cmpfloat (peak, >, 0.1);
  dt_remove_tree (dir);
}

static GtkWidget *
read_aloud_button_of (GtkWidget *view)
{
  if (DIGITHEK_IS_DATASET_VIEW (view))
    return digithek_dataset_view_get_read_aloud_button (DIGITHEK_DATASET_VIEW (view));
  if (DIGITHEK_IS_EXPLAINER_VIEW (view))
    return digithek_explainer_view_get_read_aloud_button (DIGITHEK_EXPLAINER_VIEW (view));
  if (DIGITHEK_IS_GUIDE_VIEW (view))
    return digithek_guide_view_get_read_aloud_button (DIGITHEK_GUIDE_VIEW (view));
  return NULL;
}

static void
test_a11y_read_aloud (void)
{
  A11yFixture fixture;
  const char *items[] = {
    "offene-daten-konstanz/luftqualitaet-konstanz",
    "smart-city-konstanz/open-bike-sensor",
    "e-government/online-ausweis",
  };
  const char *languages[] = { "de", "en" };

  a11y_fixture_set_up (&fixture, 1920, 1080);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      a11y_show_home (&fixture, languages[l]);
      for (guint i = 0; i < G_N_ELEMENTS (items); i++)
        {
          GtkWidget *view, *button;
          g_autofree char *text = NULL;
          int score;

          a11y_open (&fixture, items[i]);
          view = digithek_window_get_item_view (fixture.window);
          button = read_aloud_button_of (view);
          g_assert_nonnull (button);
          g_assert_true (gtk_widget_get_mapped (button));
          text = digithek_read_aloud_button_get_text (DIGITHEK_READ_ALOUD_BUTTON (button));
          g_assert_nonnull (text);
          g_assert_cmpuint (strlen (text), >, 80);
          /* Plain text: no Markdown left. */
          g_assert_null (strstr (text, "**"));
          g_assert_null (strstr (text, "]("));
          g_assert_cmpstr (digithek_read_aloud_button_get_language (DIGITHEK_READ_ALOUD_BUTTON (button)), ==, languages[l]);
          score = language_score (text);
          g_test_message ("%s (%s): language score %d: %.80s…", items[i], languages[l], score, text);
          if (l == 0)
            g_assert_cmpint (score, >, 0);
          else
            g_assert_cmpint (score, <, 0);
          assert_audio (text, languages[l]);

          /* A tap reads (the button says Stop); navigation stops it. */
          gtk_widget_activate (button);
          g_assert_true (digithek_window_get_reading_aloud (fixture.window) ||
                         !digithek_read_aloud_button_get_active (DIGITHEK_READ_ALOUD_BUTTON (button)));
          if (i == 2)
            {
              /* Guides: the next step stops it too. */
              g_assert_true (digithek_window_next (fixture.window));
              g_assert_false (digithek_window_get_reading_aloud (fixture.window));
              g_assert_false (digithek_read_aloud_button_get_active (DIGITHEK_READ_ALOUD_BUTTON (button)));
              a11y_wait_for_view (&fixture, NULL);
              g_assert_nonnull (strstr (digithek_guide_view_get_read_aloud_text (DIGITHEK_GUIDE_VIEW (view)), "2."));
              gtk_widget_activate (digithek_guide_view_get_read_aloud_button (DIGITHEK_GUIDE_VIEW (view)));
            }
          digithek_window_go_home (fixture.window);
          g_assert_false (digithek_window_get_reading_aloud (fixture.window));
          a11y_wait_for_view (&fixture, "home");
        }
    }

  /* Reading, then the session's reset path. */
  a11y_open (&fixture, items[1]);
  digithek_window_read_aloud (fixture.window, "Ein Test.", "de", NULL);
  g_assert_true (digithek_window_get_reading_aloud (fixture.window));
  digithek_window_stop_read_aloud (fixture.window);
  g_assert_false (digithek_window_get_reading_aloud (fixture.window));
  a11y_fixture_tear_down (&fixture);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  a11y_load_style ();
  /* Read-aloud plays into the void: tests need no loudspeaker. */
  g_setenv ("DIGITHEK_SPEECH_DEVICE", "null", TRUE);

  g_test_add_func ("/ui/a11y/detects-missing-name", test_a11y_detects_missing_name);
  g_test_add_func ("/ui/a11y/names", test_a11y_names);
  g_test_add_func ("/ui/a11y/keyboard", test_a11y_keyboard);
  g_test_add_func ("/ui/a11y/keyboard-keys", test_a11y_keyboard_keys);
  g_test_add_func ("/ui/a11y/chart-summary", test_a11y_chart_summary);
  g_test_add_func ("/ui/a11y/data-table", test_a11y_data_table);
  g_test_add_func ("/ui/a11y/read-aloud", test_a11y_read_aloud);
  return g_test_run ();
}
