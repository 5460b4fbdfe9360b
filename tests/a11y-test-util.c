/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo packs in a window, shared by test-a11y and test-text-scale. */

#include "a11y-test-util.h"
#include "store-test-util.h"

static gboolean
a11y_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
a11y_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, a11y_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
a11y_wait_for_view (A11yFixture *fixture,
                    const char  *view)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (20, a11y_timeout_cb, &timed_out);

  while (!timed_out &&
         (digithek_window_get_busy (fixture->window) ||
          (view != NULL && g_strcmp0 (digithek_window_get_view (fixture->window), view) != 0)))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_false (timed_out);
  /* The stack's crossfade and a few frames of layout. */
  a11y_spin (400);
}

void
a11y_show_home (A11yFixture *fixture,
                const char  *language)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  /* The home view shows only when no item is open. */
  digithek_window_go_home (fixture->window);
  digithek_window_set_language (fixture->window, language);
  items = tu_store_list_items (fixture->store, language, NULL, &error);
  g_assert_no_error (error);
  digithek_window_show_home (fixture->window, items);
  a11y_wait_for_view (fixture, "home");
}

void
a11y_open (A11yFixture *fixture,
           const char  *id)
{
  g_autofree char *view = NULL;

  g_assert_true (digithek_window_open_item (fixture->window, id));
  a11y_wait_for_view (fixture, NULL);
  view = g_strdup_printf ("item:%s", id);
  if (g_strcmp0 (digithek_window_get_view (fixture->window), view) != 0)
    {
      g_free (view);
      view = g_strdup_printf ("tour:%s", id);
    }
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, view);
}

void
a11y_fixture_set_up (A11yFixture *fixture,
                     int          width,
                     int          height)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = dt_make_tmp_dir ();
  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = tu_store_new (path, NULL, &error);
  g_assert_no_error (error);
  dt_import_demo_packs (fixture->store);

  fixture->window = g_object_ref_sink (digithek_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  digithek_window_set_store (fixture->window, fixture->store);
  gtk_window_present (GTK_WINDOW (fixture->window));
  a11y_show_home (fixture, "de");
}

void
a11y_fixture_tear_down (A11yFixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  digithek_store_close (fixture->store);
  g_assert_finalize_object (fixture->store);
  dt_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

GPtrArray *
a11y_list_item_ids (A11yFixture *fixture)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  items = tu_store_list_items (fixture->store, "de", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      DigithekStoreItemInfo *info = g_ptr_array_index (items, i);

      g_ptr_array_add (ids, g_strdup_printf ("%s/%s", info->pack_id, info->item_id));
    }
  return ids;
}

void
a11y_load_style (void)
{
  const char *resources[] = { "/org/digithek/Kiosk/style.css" };

  /* Views switch at once: a crossfade would show two views to the checks. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (resources); i++)
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (css, resources[i]);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
}
