/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "digithek-handoff.h"
#include "digithek-qr.h"
#include "digithek-test-util.h"

/* Draws @qr as the paintable does (dark on white, quiet zone, whole pixels per module)
 * into a PNG, optionally inside a dark frame as a dark theme would surround it. */
static char *
render_png (DigithekQr *qr,
            guint       pixels_per_module,
            guint       dark_frame)
{
  guint size = digithek_qr_get_size (qr) * pixels_per_module + 2 * dark_frame;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) size,
                                                (int) size);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = dt_make_tmp_dir ();
  char *path = g_build_filename (dir, "code.png", NULL);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (guint y = 0; y < size; y++)
    for (guint x = 0; x < size; x++)
      {
        guint8 value;

        if (x < dark_frame || y < dark_frame || x >= size - dark_frame || y >= size - dark_frame)
          value = 0x24; /* the libadwaita dark window background, near black */
        else
          {
            int mx = (int) ((x - dark_frame) / pixels_per_module) - DIGITHEK_QR_QUIET_ZONE;
            int my = (int) ((y - dark_frame) / pixels_per_module) - DIGITHEK_QR_QUIET_ZONE;

            value = digithek_qr_get_module (qr, mx, my) ? 0x00 : 0xff;
          }
        memset (pixels + (gsize) y * (gsize) stride + x * 3, value, 3);
      }
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

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
  /* --raw ends each symbol with a newline; with -Sbinary the bytes are as encoded. */
  if (g_str_has_suffix (out, "\n"))
    out[strlen (out) - 1] = '\0';
  return g_steal_pointer (&out);
}

static void
assert_round_trip (const char *url,
                   guint       pixels_per_module,
                   guint       dark_frame)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekQr) qr = digithek_qr_new (url, &error);
  g_autofree char *png = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *decoded = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (digithek_qr_get_text (qr), ==, url);
  g_assert_cmpuint (digithek_qr_get_width (qr), ==, 17 + 4 * digithek_qr_get_version (qr));
  png = render_png (qr, pixels_per_module, dark_frame);
  decoded = zbar_decode (png);
  g_assert_cmpstr (decoded, ==, url);
  dir = g_path_get_dirname (png);
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
test_qr_ascii (void)
{
  if (!have_zbar ())
    return;
  assert_round_trip ("https://www.ausweisapp.bund.de/", 4, 0);
  assert_round_trip ("http://192.168.10.5:8088/i/e-government/online-ausweis?lang=en#step-2",
                     4, 0);
}

static void
test_qr_umlauts (void)
{
  g_autofree char *url = NULL;

  if (!have_zbar ())
    return;
  /* The URL decision escapes non-ASCII, so what is encoded is ASCII that every phone
   * reads the same way. */
  url = digithek_handoff_normalize_url ("https://www.konstanz.de/bürgerservice/"
                                        "umzug-ummelden?für=Größe#schritt-2");
  g_assert_cmpstr (url, ==, "https://www.konstanz.de/b%C3%BCrgerservice/"
                            "umzug-ummelden?f%C3%BCr=Gr%C3%B6%C3%9Fe#schritt-2");
  assert_round_trip (url, 4, 0);
}

static void
test_qr_long (void)
{
  g_autoptr(GString) url = g_string_new ("https://www.service-bw.de/zufi/leistungen/");
  g_autoptr(DigithekQr) qr = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_zbar ())
    return;
  while (url->len < 1000)
    g_string_append_printf (url, "%c", 'a' + (int) (url->len % 26));
  g_assert_cmpuint (url->len, ==, 1000);
  assert_round_trip (url->str, 4, 0);

  qr = digithek_qr_new (url->str, &error);
  g_assert_no_error (error);
  /* 1,000 bytes need version 26 at level M: 121 modules plus the quiet zone, 516 px
   * at 4 px per module, which still fits a card on a 1080p screen. */
  g_test_message ("1,000 characters: version %u, %u modules", digithek_qr_get_version (qr),
                  digithek_qr_get_width (qr));
  g_assert_cmpuint (digithek_qr_get_size (qr) * DIGITHEK_QR_MIN_PIXELS_PER_MODULE, <=, 540);
}

static void
test_qr_dark_surroundings (void)
{
  if (!have_zbar ())
    return;
  /* Inside a dark theme's window: the quiet zone is drawn, so the code still reads. */
  assert_round_trip ("https://offenedaten-konstanz.de/", 4, 40);
  assert_round_trip ("https://offenedaten-konstanz.de/", 6, 40);
}

static void
test_qr_too_long (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekQr) qr = NULL;

  while (text->len < 4000)
    g_string_append_c (text, 'x');
  qr = digithek_qr_new (text->str, &error);
  g_assert_null (qr);
  g_assert_error (error, DIGITHEK_QR_ERROR, DIGITHEK_QR_ERROR_TOO_LONG);
}

static void
test_qr_modules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekQr) qr = digithek_qr_new ("https://example.org/", &error);
  guint width;

  g_assert_no_error (error);
  width = digithek_qr_get_width (qr);
  g_assert_cmpuint (digithek_qr_get_size (qr), ==, width + 8);
  /* Finder patterns: dark corners at three sides, light outside the symbol. */
  g_assert_true (digithek_qr_get_module (qr, 0, 0));
  g_assert_true (digithek_qr_get_module (qr, (int) width - 1, 0));
  g_assert_true (digithek_qr_get_module (qr, 0, (int) width - 1));
  g_assert_false (digithek_qr_get_module (qr, -1, 0));
  g_assert_false (digithek_qr_get_module (qr, 0, (int) width));
  g_assert_false (digithek_qr_get_module (qr, -4, -4));
}

static void
test_qr_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekQr) first = NULL;
  g_autoptr(DigithekQr) again = NULL;
  g_autoptr(DigithekQr) fresh = NULL;

  digithek_qr_cache_clear ();
  first = digithek_qr_lookup ("https://example.org/1", &error);
  g_assert_no_error (error);
  again = digithek_qr_lookup ("https://example.org/1", &error);
  g_assert_true (first == again);

  /* Least recently used entries leave once more than a few dozen codes were shown. */
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://example.org/page/%u", i);
      g_autoptr(DigithekQr) qr = digithek_qr_lookup (url, &error);

      g_assert_no_error (error);
    }
  fresh = digithek_qr_lookup ("https://example.org/1", &error);
  g_assert_true (fresh != first);
  g_assert_cmpstr (digithek_qr_get_text (fresh), ==, digithek_qr_get_text (first));
  digithek_qr_cache_clear ();
}

static void
test_qr_short_address (void)
{
  const struct { const char *url; const char *shown; } cases[] = {
    { "https://www.ausweisapp.bund.de/", "ausweisapp.bund.de" },
    { "http://192.168.10.5:8088/i/e-government/online-ausweis?lang=en#step-2",
      "192.168.10.5:8088/i/e-government/online-ausweis?lang=en#step-2" },
    { "https://www.konstanz.de/b%C3%BCrgerservice/", "konstanz.de/bürgerservice" },
    { "https://example.org/%FF%FE", "example.org/%FF%FE" },
    { "https://example.org/a%0Ab", "example.org/a%0Ab" },
    { "HTTPS://WWW.Example.org", "Example.org" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = digithek_qr_short_address (cases[i].url);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/qr/ascii", test_qr_ascii);
  g_test_add_func ("/kiosk/qr/umlauts", test_qr_umlauts);
  g_test_add_func ("/kiosk/qr/long", test_qr_long);
  g_test_add_func ("/kiosk/qr/dark-surroundings", test_qr_dark_surroundings);
  g_test_add_func ("/kiosk/qr/too-long", test_qr_too_long);
  g_test_add_func ("/kiosk/qr/modules", test_qr_modules);
  g_test_add_func ("/kiosk/qr/cache", test_qr_cache);
  g_test_add_func ("/kiosk/qr/short-address", test_qr_short_address);
  return g_test_run ();
}
