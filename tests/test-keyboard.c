/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <adwaita.h>

#include "digithek-keyboard.h"

/* The key whose accessible name is @name, or NULL. */
static GtkWidget *
find_key (GtkWidget  *widget,
          const char *name)
{
  g_autofree char *mismatch = NULL;

  if (GTK_IS_BUTTON (widget))
    {
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      return mismatch == NULL ? widget : NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_key (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
press (GtkWidget  *keyboard,
       const char *name)
{
  GtkWidget *key = find_key (keyboard, name);

  if (key == NULL)
    g_error ("no key named “%s”", name);
  /* What a tap does; gtk_widget_activate() would wait for a realized button. */
  g_signal_emit_by_name (key, "clicked");
}

static void
collect_buttons (GtkWidget *widget,
                 GPtrArray *buttons)
{
  if (GTK_IS_BUTTON (widget))
    g_ptr_array_add (buttons, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_buttons (child, buttons);
}

static GtkWidget *
new_keyboard (void)
{
  GtkWidget *keyboard = digithek_keyboard_new ();

  g_object_ref_sink (keyboard);
  return keyboard;
}

static void
test_keyboard_typing (void)
{
  GtkWidget *keyboard = new_keyboard ();
  GtkWidget *entry = g_object_ref_sink (gtk_entry_new ());

  digithek_keyboard_set_target (DIGITHEK_KEYBOARD (keyboard), GTK_EDITABLE (entry));
  g_assert_true (digithek_keyboard_get_target (DIGITHEK_KEYBOARD (keyboard)) ==
                 GTK_EDITABLE (entry));
  g_assert_cmpstr (digithek_keyboard_get_language (DIGITHEK_KEYBOARD (keyboard)), ==, "de");

  /* Shift holds for one character only. */
  press (keyboard, "Umschalttaste");
  press (keyboard, "S");
  press (keyboard, "t");
  press (keyboard, "r");
  press (keyboard, "a");
  press (keyboard, "ß");
  press (keyboard, "e");
  press (keyboard, "Leertaste");
  press (keyboard, "ü");
  press (keyboard, "b");
  press (keyboard, "e");
  press (keyboard, "r");
  press (keyboard, "Leertaste");
  press (keyboard, "Umschalttaste");
  press (keyboard, "Ä");
  press (keyboard, "ö");
  press (keyboard, "Bindestrich");
  press (keyboard, "1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Straße über Äö-1");

  /* Caps lock holds until released; shift under caps lock gives one lower case letter;
   * ß stays ß. */
  press (keyboard, "Feststelltaste");
  press (keyboard, "Leertaste");
  press (keyboard, "Z");
  press (keyboard, "Ü");
  press (keyboard, "ß");
  press (keyboard, "Umschalttaste");
  press (keyboard, "g");
  press (keyboard, "G");
  press (keyboard, "Feststelltaste");
  press (keyboard, "x");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==,
                   "Straße über Äö-1 ZÜßgGx");

  /* Typing goes to the cursor, and replaces a selection. */
  gtk_editable_set_position (GTK_EDITABLE (entry), 0);
  press (keyboard, "q");
  gtk_editable_select_region (GTK_EDITABLE (entry), 1, 7);
  press (keyboard, "w");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "qw über Äö-1 ZÜßgGx");
  g_assert_cmpint (gtk_editable_get_position (GTK_EDITABLE (entry)), ==, 2);

  /* With its target gone the keyboard types nowhere. */
  g_assert_finalize_object (entry);
  g_assert_null (digithek_keyboard_get_target (DIGITHEK_KEYBOARD (keyboard)));
  press (keyboard, "a");
  press (keyboard, "Rücktaste");

  g_assert_finalize_object (keyboard);
}

static void
test_keyboard_backspace (void)
{
  GtkWidget *keyboard = new_keyboard ();
  GtkWidget *entry = g_object_ref_sink (gtk_entry_new ());

  digithek_keyboard_set_target (DIGITHEK_KEYBOARD (keyboard), GTK_EDITABLE (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Größe");
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);

  press (keyboard, "Rücktaste");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Größ");
  press (keyboard, "Rücktaste");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Grö");

  gtk_editable_set_position (GTK_EDITABLE (entry), 1);
  press (keyboard, "Rücktaste");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "rö");
  g_assert_cmpint (gtk_editable_get_position (GTK_EDITABLE (entry)), ==, 0);
  press (keyboard, "Rücktaste");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "rö");

  gtk_editable_select_region (GTK_EDITABLE (entry), 0, -1);
  press (keyboard, "Rücktaste");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  g_assert_finalize_object (keyboard);
  g_assert_finalize_object (entry);
}

static gboolean
quit_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static int
text_length (GtkWidget *entry)
{
  return (int) g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (entry)), -1);
}

/* Holding backspace repeats: the press is driven through the key's own gesture, as
 * a finger would. */
static void
test_keyboard_backspace_repeat (void)
{
  GtkWidget *keyboard = new_keyboard ();
  GtkWidget *entry = g_object_ref_sink (gtk_entry_new ());
  GtkWidget *key = find_key (keyboard, "Rücktaste");
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (gtk_widget_get_parent (key));
  GtkGesture *gesture = NULL;
  int length;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "backspace-repeat") == 0)
        gesture = GTK_GESTURE (controller);
    }
  g_assert_nonnull (gesture);

  digithek_keyboard_set_target (DIGITHEK_KEYBOARD (keyboard), GTK_EDITABLE (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Fahrradzählstellen in Konstanz");
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
  length = text_length (entry);

  g_signal_emit_by_name (gesture, "pressed", 1, 10.0, 10.0);
  g_assert_cmpint (text_length (entry), ==, length - 1);
  iterate_for (300);
  g_assert_cmpint (text_length (entry), ==, length - 1);
  iterate_for (600);
  g_assert_cmpint (text_length (entry), <=, length - 3);
  g_signal_emit_by_name (gesture, "end", NULL);
  length = text_length (entry);
  iterate_for (300);
  g_assert_cmpint (text_length (entry), ==, length);
  g_assert_cmpint (length, >, 0);

  g_clear_object (&controllers);
  g_assert_finalize_object (keyboard);
  g_assert_finalize_object (entry);
}

static void
count_cb (gpointer user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_keyboard_layouts (void)
{
  GtkWidget *keyboard = new_keyboard ();
  GtkWidget *entry = g_object_ref_sink (gtk_entry_new ());
  guint language_notifies = 0;
  guint activates = 0;
  guint hides = 0;

  digithek_keyboard_set_target (DIGITHEK_KEYBOARD (keyboard), GTK_EDITABLE (entry));
  g_signal_connect_swapped (keyboard, "notify::language", G_CALLBACK (count_cb),
                            &language_notifies);
  g_signal_connect_swapped (keyboard, "activate", G_CALLBACK (count_cb), &activates);
  g_signal_connect_swapped (keyboard, "hide-requested", G_CALLBACK (count_cb), &hides);

  /* German: QWERTZ with umlauts and ß on their own keys. */
  g_assert_nonnull (find_key (keyboard, "ü"));
  g_assert_nonnull (find_key (keyboard, "ß"));
  press (keyboard, "z");
  press (keyboard, "y");

  /* The language key switches to English QWERTY, names and all. */
  press (keyboard, "Englische Tastatur");
  g_assert_cmpstr (digithek_keyboard_get_language (DIGITHEK_KEYBOARD (keyboard)), ==, "en");
  g_assert_cmpuint (language_notifies, ==, 1);
  g_assert_null (find_key (keyboard, "ü"));
  g_assert_null (find_key (keyboard, "ß"));
  g_assert_null (find_key (keyboard, "Rücktaste"));
  g_assert_nonnull (find_key (keyboard, "Caps Lock"));
  press (keyboard, "Shift");
  press (keyboard, "Y");
  press (keyboard, "z");
  press (keyboard, "Comma");
  press (keyboard, "Space");
  press (keyboard, "Backspace");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "zyYz,");

  press (keyboard, "Search");
  g_assert_cmpuint (activates, ==, 1);
  press (keyboard, "Hide keyboard");
  g_assert_cmpuint (hides, ==, 1);

  press (keyboard, "German keyboard");
  g_assert_cmpstr (digithek_keyboard_get_language (DIGITHEK_KEYBOARD (keyboard)), ==, "de");
  press (keyboard, "Suchen");
  press (keyboard, "Tastatur ausblenden");
  g_assert_cmpuint (activates, ==, 2);
  g_assert_cmpuint (hides, ==, 2);

  /* Content languages map to a layout; setting the same one changes nothing. */
  digithek_keyboard_set_language (DIGITHEK_KEYBOARD (keyboard), "de-x-easy");
  g_assert_cmpstr (digithek_keyboard_get_language (DIGITHEK_KEYBOARD (keyboard)), ==, "de");
  g_assert_cmpuint (language_notifies, ==, 2);
  g_object_set (keyboard, "language", "en-GB", NULL);
  g_assert_cmpstr (digithek_keyboard_get_language (DIGITHEK_KEYBOARD (keyboard)), ==, "en");
  g_assert_cmpuint (language_notifies, ==, 3);

  g_assert_finalize_object (keyboard);
  g_assert_finalize_object (entry);
}

/* What a screen reader announces for @widget: its accessible label, or its visible
 * label when it has only text. */
static gboolean
has_name (GtkWidget *widget)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  if (GTK_IS_BUTTON (widget))
    {
      const char *label = gtk_button_get_label (GTK_BUTTON (widget));

      return label != NULL && *label != '\0';
    }
  return FALSE;
}

static void
assert_all_named (GtkWidget *widget,
                  guint     *n_focusable)
{
  if (gtk_widget_get_focusable (widget) && gtk_widget_get_can_focus (widget))
    {
      if (!has_name (widget))
        g_error ("focusable %s without an accessible name", G_OBJECT_TYPE_NAME (widget));
      (*n_focusable)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_all_named (child, n_focusable);
}

static void
test_keyboard_accessible_names (void)
{
  GtkWidget *keyboard = new_keyboard ();
  static const char *german[] = {
    "Umschalttaste", "Feststelltaste", "Rücktaste", "Leertaste", "Suchen",
    "Tastatur ausblenden", "Englische Tastatur", "Komma", "Punkt", "Bindestrich",
  };
  static const char *english[] = {
    "Shift", "Caps Lock", "Backspace", "Space", "Search", "Hide keyboard",
    "German keyboard", "Comma", "Full stop", "Hyphen",
  };
  guint n_focusable = 0;

  gtk_test_accessible_assert_role (keyboard, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_test_accessible_assert_property (keyboard, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Bildschirmtastatur");
  for (guint i = 0; i < G_N_ELEMENTS (german); i++)
    g_assert_nonnull (find_key (keyboard, german[i]));
  assert_all_named (keyboard, &n_focusable);
  g_assert_cmpuint (n_focusable, ==, 12 + 11 + 12 + 11 + 4);

  /* Shift and caps lock tell whether they are engaged. */
  g_object_set (keyboard, "caps-lock", TRUE, NULL);
  gtk_test_accessible_assert_state (find_key (keyboard, "Feststelltaste"),
                                    GTK_ACCESSIBLE_STATE_PRESSED, GTK_ACCESSIBLE_TRISTATE_TRUE);
  g_assert_nonnull (find_key (keyboard, "Ä"));
  g_object_set (keyboard, "caps-lock", FALSE, NULL);
  gtk_test_accessible_assert_state (find_key (keyboard, "Feststelltaste"),
                                    GTK_ACCESSIBLE_STATE_PRESSED, GTK_ACCESSIBLE_TRISTATE_FALSE);

  digithek_keyboard_set_language (DIGITHEK_KEYBOARD (keyboard), "en");
  gtk_test_accessible_assert_property (keyboard, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "On-screen keyboard");
  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    g_assert_nonnull (find_key (keyboard, english[i]));
  n_focusable = 0;
  assert_all_named (keyboard, &n_focusable);
  g_assert_cmpuint (n_focusable, ==, 11 + 10 + 10 + 11 + 4);

  g_assert_finalize_object (keyboard);
}

/* Every key can be reached with Tab from the first one, as switch access and staff
 * with a keyboard need. */
static void
test_keyboard_focus_chain (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *keyboard = digithek_keyboard_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  GtkWidget *first;

  gtk_window_set_child (GTK_WINDOW (window), keyboard);
  gtk_window_present (GTK_WINDOW (window));
  collect_buttons (keyboard, buttons);
  first = g_ptr_array_index (buttons, 0);
  gtk_widget_grab_focus (first);
  g_assert_true (gtk_widget_has_focus (first));

  for (guint i = 0; i < buttons->len * 2; i++)
    {
      GtkWidget *focus;

      g_hash_table_add (reached, gtk_root_get_focus (GTK_ROOT (window)));
      gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus == first)
        break;
    }
  for (guint i = 0; i < buttons->len; i++)
    g_assert_true (g_hash_table_contains (reached, g_ptr_array_index (buttons, i)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static double
label_pixel_size (GtkWidget *label)
{
  PangoContext *context = gtk_widget_get_pango_context (label);
  PangoFontDescription *font = pango_context_get_font_description (context);
  double size = (double) pango_font_description_get_size (font) / PANGO_SCALE;

  if (!pango_font_description_get_size_is_absolute (font))
    size = size * 96.0 / 72.0;
  return size;
}

/* The widest and the narrowest screens a kiosk has: landscape full HD, and portrait. */
static void
assert_renders_at (int width)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *keyboard = digithek_keyboard_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  graphene_rect_t area;
  int minimum, keyboard_height;

  /* Styled as on screen, but laid out at @width whatever the size of the (virtual)
   * screen the test runs on. */
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), keyboard);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (keyboard))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the keyboard was never shown");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  /* Fits a portrait full HD screen. */
  gtk_widget_measure (keyboard, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 1080);
  gtk_widget_measure (keyboard, GTK_ORIENTATION_VERTICAL, width, NULL, &keyboard_height,
                      NULL, NULL);
  gtk_widget_size_allocate (keyboard,
                            &(GtkAllocation) { 0, 0, width, keyboard_height }, -1);
  /* Its border box, padding included, is what was given. */
  g_assert_true (gtk_widget_compute_bounds (keyboard, keyboard, &area));
  g_assert_cmpfloat (area.size.width, ==, width);

  collect_buttons (keyboard, buttons);
  g_assert_cmpuint (buttons->len, ==, 50);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *key = g_ptr_array_index (buttons, i);
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (key));
      graphene_rect_t bounds;
      int child_minimum;

      /* Inside the keyboard, touch-sized, and its label or icons not cut off. */
      g_assert_true (gtk_widget_compute_bounds (key, keyboard, &bounds));
      g_assert_true (graphene_rect_contains_rect (&area, &bounds));
      g_assert_cmpfloat (bounds.size.height, >=, 64);
      g_assert_cmpfloat (bounds.size.width, >=, 64);

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_minimum, NULL, NULL, NULL);
      g_assert_cmpint (child_minimum, <=, gtk_widget_get_width (child));
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (child),
                          &child_minimum, NULL, NULL, NULL);
      g_assert_cmpint (child_minimum, <=, gtk_widget_get_height (child));
      if (GTK_IS_LABEL (child))
        g_assert_cmpfloat (label_pixel_size (child), >=, 24);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_keyboard_render_1920 (void)
{
  assert_renders_at (1920);
}

static void
test_keyboard_render_1080 (void)
{
  assert_renders_at (1080);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/keyboard/typing", test_keyboard_typing);
  g_test_add_func ("/ui/keyboard/backspace", test_keyboard_backspace);
  g_test_add_func ("/ui/keyboard/backspace-repeat", test_keyboard_backspace_repeat);
  g_test_add_func ("/ui/keyboard/layouts", test_keyboard_layouts);
  g_test_add_func ("/ui/keyboard/accessible-names", test_keyboard_accessible_names);
  g_test_add_func ("/ui/keyboard/focus-chain", test_keyboard_focus_chain);
  g_test_add_func ("/ui/keyboard/render-1920", test_keyboard_render_1920);
  g_test_add_func ("/ui/keyboard/render-1080", test_keyboard_render_1080);

  return g_test_run ();
}
