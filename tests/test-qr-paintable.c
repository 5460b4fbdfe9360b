/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "digithek-qr-card.h"
#include "digithek-qr-paintable.h"
#include "digithek-test-util.h"

static char *
zbar_decode (const char *png)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { zbarimg, "-q", "--raw", "-Sbinary", png, NULL };

  g_assert_nonnull (zbarimg);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  if (g_str_has_suffix (out, "\n"))
    out[strlen (out) - 1] = '\0';
  return g_steal_pointer (&out);
}

/* Renders @paintable at @width × @height with the cairo renderer, as on a kiosk
 * without GL, into a texture. */
static GdkTexture *
render (GdkPaintable *paintable,
        int           width,
        int           height)
{
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);
  return texture;
}

static guint32
pixel_at (GdkTexture *texture,
          int         x,
          int         y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *data = g_new (guint32, (gsize) width * (gsize) height);

  gdk_texture_download (texture, (guchar *) data, (gsize) width * 4);
  return data[(gsize) y * (gsize) width + (gsize) x] & 0xffffff;
}

static void
assert_decodes (GdkTexture *texture,
                const char *expected,
                const char *name)
{
  g_autofree char *dir = dt_make_tmp_dir ();
  g_autofree char *png = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                           ? g_getenv ("G_TEST_BUILDDIR") : dir, name, NULL);
  g_autofree char *decoded = NULL;

  g_assert_true (gdk_texture_save_to_png (texture, png));
  decoded = zbar_decode (png);
  g_assert_cmpstr (decoded, ==, expected);
  dt_remove_tree (dir);
}

static gboolean
have_zbar (void)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");

  if (zbarimg == NULL)
    g_test_skip ("zbarimg is not installed (zbar-tools)");
  return zbarimg != NULL;
}

static void
test_paintable_sizes (void)
{
  const char *url = "https://www.ausweisapp.bund.de/";
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekQrPaintable) paintable = digithek_qr_paintable_new_for_url (url, &error);
  g_autoptr(DigithekQrPaintable) again = digithek_qr_paintable_new_for_url (url, &error);
  DigithekQr *qr;
  int size;

  g_assert_no_error (error);
  g_assert_true (paintable == again);
  qr = digithek_qr_paintable_get_qr (paintable);
  size = (int) digithek_qr_get_size (qr);
  g_assert_cmpint (digithek_qr_paintable_get_min_size (paintable), ==, size * 4);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)), ==, size * 4);

  if (!have_zbar ())
    return;
  /* At its minimum size, and at an odd size that leaves a margin: whole pixels per
   * module, centred, white around the symbol. */
  {
    g_autoptr(GdkTexture) texture = render (GDK_PAINTABLE (paintable), size * 4, size * 4);

    assert_decodes (texture, url, "qr-paintable-min.png");
    g_assert_cmphex (pixel_at (texture, 0, 0), ==, 0xffffff);
    /* The top left finder pattern starts after the 4-module quiet zone. */
    g_assert_cmphex (pixel_at (texture, 15, 15), ==, 0xffffff);
    g_assert_cmphex (pixel_at (texture, 16, 16), ==, 0x000000);
  }
  {
    g_autoptr(GdkTexture) texture = render (GDK_PAINTABLE (paintable), 333, 401);

    assert_decodes (texture, url, "qr-paintable-odd.png");
  }
}

static void
test_paintable_long (void)
{
  g_autoptr(GString) url = g_string_new ("https://www.service-bw.de/zufi/leistungen/");
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekQrPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int min;

  if (!have_zbar ())
    return;
  while (url->len < 1000)
    g_string_append_c (url, 'a' + (char) (url->len % 26));
  paintable = digithek_qr_paintable_new_for_url (url->str, &error);
  g_assert_no_error (error);
  min = digithek_qr_paintable_get_min_size (paintable);
  texture = render (GDK_PAINTABLE (paintable), min, min);
  assert_decodes (texture, url->str, "qr-paintable-1000.png");
}

static GtkWidget *
find_child (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_card_dark_theme (void)
{
  const char *url = "https://www.konstanz.de/b%C3%BCrgerservice/umzug";
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window;
  GtkWidget *card = digithek_qr_card_new ();
  GtkWidget *picture;
  GtkWidget *label;
  g_autoptr(GdkPaintable) shot = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int min_width = 0;
  int width, height;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_false (gtk_widget_get_visible (card));
  digithek_qr_card_set_url (DIGITHEK_QR_CARD (card), url);
  g_assert_true (gtk_widget_get_visible (card));

  picture = find_child (card, GTK_TYPE_PICTURE);
  g_assert_nonnull (picture);
  /* Screen readers hear the card's language too. */
  g_assert_cmpstr (gtk_picture_get_alternative_text (GTK_PICTURE (picture)), ==,
                   "QR-Code: https://www.konstanz.de/b%C3%BCrgerservice/umzug");
  label = find_child (card, GTK_TYPE_LABEL);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "Weiter auf dem Handy");
  digithek_qr_card_set_language (DIGITHEK_QR_CARD (card), "en");
  picture = find_child (card, GTK_TYPE_PICTURE);
  g_assert_cmpstr (gtk_picture_get_alternative_text (GTK_PICTURE (picture)), ==,
                   "QR code: https://www.konstanz.de/b%C3%BCrgerservice/umzug");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "Continue on your phone");
  /* The address for people who cannot scan: short and readable. */
  label = gtk_widget_get_last_child (gtk_widget_get_first_child (card));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "konstanz.de/bürgerservice/umzug");

  /* The picture never shrinks below 4 px per module. */
  gtk_widget_measure (picture, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, >=, digithek_qr_paintable_get_min_size (
                     DIGITHEK_QR_PAINTABLE (gtk_picture_get_paintable (GTK_PICTURE (picture)))));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 700);
  gtk_window_set_child (GTK_WINDOW (window), card);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < 200 && gtk_widget_get_width (picture) == 0; i++)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  if (!have_zbar ())
    {
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  /* The whole window, dark theme and all, as a camera would see the screen. */
  shot = gtk_widget_paintable_new (window);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  texture = render (shot, width, height);
  assert_decodes (texture, url, "qr-card-dark.png");
  /* The window around the card is dark; the code's quiet zone is white. */
  {
    guint32 corner = pixel_at (texture, 2, height - 3);
    graphene_rect_t bounds;

    g_assert_cmpuint (corner & 0xff, <, 0x60);
    g_assert_true (gtk_widget_compute_bounds (picture, window, &bounds));
    g_assert_cmphex (pixel_at (texture, (int) bounds.origin.x + 2,
                               (int) bounds.origin.y + 2), ==, 0xffffff);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/qr-paintable/sizes", test_paintable_sizes);
  g_test_add_func ("/ui/qr-paintable/long", test_paintable_long);
  g_test_add_func ("/ui/qr-paintable/card-dark-theme", test_card_dark_theme);
  return g_test_run ();
}
