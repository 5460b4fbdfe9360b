/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <adwaita.h>

#include "digithek-window.h"

static guint
count_rows (GtkWidget *widget)
{
  guint n = ADW_IS_ACTION_ROW (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);
  return n;
}

static void
test_window_home_groups (void)
{
  DigithekWindow *window = digithek_window_new (NULL);

  g_assert_cmpstr (digithek_window_get_view (window), ==, "loading");

  digithek_window_begin_home (window);
  digithek_window_end_home (window);
  g_assert_cmpstr (digithek_window_get_view (window), ==, "empty");

  digithek_window_begin_home (window);
  digithek_window_add_home_item (window, DIGITHEK_ITEM_GUIDE, "e-government", "online-ausweis",
                                 "Online-Ausweis einrichten", "In fünf Schritten");
  /* Pack text is never markup: this must not warn or break the row. */
  digithek_window_add_home_item (window, DIGITHEK_ITEM_DATASET, "daten", "luft",
                                 "Luft <b>& Klima", NULL);
  digithek_window_end_home (window);
  g_assert_cmpstr (digithek_window_get_view (window), ==, "home");
  g_assert_cmpuint (count_rows (GTK_WIDGET (window)), ==, 2);

  /* Rebuilding replaces, never appends. */
  digithek_window_begin_home (window);
  digithek_window_add_home_item (window, DIGITHEK_ITEM_TOUR, "p", "t", "Rundgang", NULL);
  digithek_window_end_home (window);
  g_assert_cmpuint (count_rows (GTK_WIDGET (window)), ==, 1);

  digithek_window_show_out_of_service (window, "store broken");
  g_assert_cmpstr (digithek_window_get_view (window), ==, "out-of-service");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/window/home-groups", test_window_home_groups);

  return g_test_run ();
}
