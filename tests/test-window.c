/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window without a store: home tiles, the fixed screens and the navigation state. */

#include <adwaita.h>

#include "digithek-home-view.h"
#include "digithek-i18n.h"
#include "digithek-window.h"

static guint
count_tiles (GtkWidget *widget)
{
  guint n = gtk_widget_has_css_class (widget, "tile") ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_tiles (child);
  return n;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
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

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
add_info (GPtrArray       *items,
          DigithekItemKind kind,
          const char      *pack_id,
          const char      *item_id,
          const char      *title,
          const char      *summary,
          gint64           freshness)
{
  DigithekStoreItemInfo *info = g_new0 (DigithekStoreItemInfo, 1);

  info->kind = kind;
  info->pack_id = g_strdup (pack_id);
  info->item_id = g_strdup (item_id);
  info->title = g_strdup (title);
  info->summary = g_strdup (summary);
  info->freshness = freshness;
  g_ptr_array_add (items, info);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_window_home_tiles (void)
{
  DigithekWindow *window = digithek_window_new (NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_store_item_info_free);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  guint notified = 0;

  g_object_ref_sink (window);
  g_signal_connect (window, "notify::view", G_CALLBACK (count_notify_cb), &notified);
  g_assert_cmpstr (digithek_window_get_view (window), ==, "loading");

  digithek_window_show_home (window, empty);
  g_assert_cmpstr (digithek_window_get_view (window), ==, "empty");
  g_assert_cmpuint (notified, ==, 1);

  add_info (items, DIGITHEK_ITEM_GUIDE, "e-government", "online-ausweis",
            "Online-Ausweis einrichten", "In fünf Schritten", 0);
  /* Pack text is never markup: this must not warn or break the tile. */
  add_info (items, DIGITHEK_ITEM_DATASET, "daten", "luft", "Luft <b>& Klima", NULL,
            1795795200 /* 2026-11-27 */);
  digithek_window_show_home (window, items);
  g_assert_cmpstr (digithek_window_get_view (window), ==, "home");
  g_assert_cmpuint (count_tiles (GTK_WIDGET (window)), ==, 2);
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Luft <b>& Klima"));
  /* Datasets show their freshness, in the window's language (German by default). */
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Stand: 27.11.2026"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Offene Daten"));

  /* Rebuilding replaces, never appends. */
  g_clear_pointer (&items, g_ptr_array_unref);
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_store_item_info_free);
  add_info (items, DIGITHEK_ITEM_TOUR, "p", "t", "Rundgang", NULL, 0);
  digithek_window_show_home (window, items);
  g_assert_cmpuint (count_tiles (GTK_WIDGET (window)), ==, 1);

  /* At home there is nowhere to go back to; without a store nothing opens. */
  gtk_widget_activate_action (GTK_WIDGET (window), "view.back", NULL);
  g_assert_cmpstr (digithek_window_get_view (window), ==, "home");
  g_assert_true (digithek_window_open_item (window, "p/t"));
  g_assert_false (digithek_window_open_item (window, "no-slash"));
  g_assert_false (digithek_window_open_item (window, "a/b/c"));
  g_assert_false (digithek_window_open_item (window, "/b"));
  g_assert_cmpstr (digithek_window_get_view (window), ==, "home");
  g_assert_null (digithek_window_get_item_view (window));

  digithek_window_show_out_of_service (window, "store <broken>");
  g_assert_cmpstr (digithek_window_get_view (window), ==, "out-of-service");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_home_pages (void)
{
  DigithekWindow *window = digithek_window_new (NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_store_item_info_free);

  g_object_ref_sink (window);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *id = g_strdup_printf ("item-%u", i);

      add_info (items, i % 2 ? DIGITHEK_ITEM_GUIDE : DIGITHEK_ITEM_EXPLAINER, "p", id, id, id, 0);
    }
  digithek_window_show_home (window, items);
  /* A thousand items: a first page of each kind, and a way to the rest. */
  g_assert_cmpuint (count_tiles (GTK_WIDGET (window)), ==, 16);
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Weitere anzeigen (492)"));
  /* As the "show more" button does it. */
  g_assert_true (gtk_widget_activate_action (find_type (GTK_WIDGET (window), DIGITHEK_TYPE_HOME_VIEW),
                                             "home.show-more", "i", (int) DIGITHEK_ITEM_GUIDE));
  g_assert_cmpuint (count_tiles (GTK_WIDGET (window)), ==, 24);
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Weitere anzeigen (484)"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_language (void)
{
  DigithekWindow *window = digithek_window_new (NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_store_item_info_free);

  g_object_ref_sink (window);
  g_assert_cmpstr (digithek_window_get_language (window), ==, "de");
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Startseite"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Zurück"));

  digithek_window_set_language (window, "en");
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Home"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Back"));
  add_info (items, DIGITHEK_ITEM_DATASET, "daten", "luft", "Air", NULL, 1795795200);
  digithek_window_show_home (window, items);
  g_assert_nonnull (find_label (GTK_WIDGET (window), "as of Nov 27, 2026"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Open data"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int    argc,
      char **argv)
{
  /* Before any thread, as main() does: the German catalog for the German texts. */
  digithek_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/window/home-tiles", test_window_home_tiles);
  g_test_add_func ("/ui/window/home-pages", test_window_home_pages);
  g_test_add_func ("/ui/window/language", test_window_language);

  return g_test_run ();
}
