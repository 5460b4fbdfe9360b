/* SPDX-License-Identifier: GPL-3.0-or-later */
/* USB media and channel folders, with DIGITHEK_USB_ROOTS standing in for mounted sticks. */

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "digithek-test-util.h"
#include "digithek-usb.h"

static void
make_channel (const char *dir)
{
  dt_write_file (dir, "index.json", "{}");
  dt_write_file (dir, "index.json.sig", "x");
}

static void
test_usb_find_channels (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *a = g_build_filename (tmp, "stick-a", NULL);
  g_autofree char *b = g_build_filename (tmp, "stick-b", NULL);
  g_autofree char *missing = g_build_filename (tmp, "not-mounted", NULL);
  g_autofree char *roots = g_strjoin (":", missing, b, a, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) media = NULL;
  g_auto(GStrv) channels = NULL;

  /* Nothing mounted. */
  g_setenv (DIGITHEK_USB_ROOTS_ENV, missing, TRUE);
  media = digithek_usb_list_media ();
  g_assert_cmpuint (g_strv_length (media), ==, 0);
  g_clear_pointer (&media, g_strfreev);
  g_assert_null (digithek_usb_find_channels (&error));
  g_assert_error (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_NO_MEDIA);
  g_clear_error (&error);

  /* Sticks without a channel: an index without its signature is none, and neither is
   * one two levels down. */
  dt_write_file (a, "fotos/urlaub.txt", "x");
  dt_write_file (a, "halb/index.json", "{}");
  {
    g_autofree char *deep = g_build_filename (a, "tief", "kanal", NULL);
    make_channel (deep);
  }
  g_assert_cmpint (g_mkdir_with_parents (b, 0755), ==, 0);
  g_setenv (DIGITHEK_USB_ROOTS_ENV, roots, TRUE);
  media = digithek_usb_list_media ();
  /* In the order given; folders that do not exist are no media. */
  g_assert_cmpuint (g_strv_length (media), ==, 2);
  g_assert_cmpstr (media[0], ==, b);
  g_assert_cmpstr (media[1], ==, a);
  g_assert_null (digithek_usb_find_channels (&error));
  g_assert_error (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_NO_CHANNEL);
  g_assert_nonnull (strstr (error->message, a));
  g_clear_error (&error);

  /* At a root and one level down, sorted; hidden folders are skipped. */
  make_channel (a);
  {
    g_autofree char *z = g_build_filename (a, "z-kanal", NULL);
    g_autofree char *c = g_build_filename (a, "c-kanal", NULL);
    g_autofree char *hidden = g_build_filename (a, ".Trash-1000", NULL);

    make_channel (z);
    make_channel (c);
    make_channel (hidden);
    channels = digithek_usb_find_channels (&error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (channels), ==, 3);
    g_assert_cmpstr (channels[0], ==, a);
    g_assert_cmpstr (channels[1], ==, c);
    g_assert_cmpstr (channels[2], ==, z);
  }

  g_unsetenv (DIGITHEK_USB_ROOTS_ENV);
  dt_remove_tree (tmp);
}

static void
test_usb_write_file (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *a = g_build_filename (tmp, "stick-a", NULL);
  g_autofree char *b = g_build_filename (tmp, "stick-b", NULL);
  g_autofree char *roots = g_strjoin (":", a, b, NULL);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (0);
  g_autoptr(GDateTime) when = g_date_time_new (tz, 2026, 11, 27, 10, 0, 0);

  name = digithek_usb_feedback_file_name (when);
  g_assert_cmpstr (name, ==, "digithek-feedback-2026-11-27.csv");

  g_setenv (DIGITHEK_USB_ROOTS_ENV, roots, TRUE);
  g_assert_null (digithek_usb_write_file (name, "x", -1, &error));
  g_assert_error (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_NO_MEDIA);
  g_clear_error (&error);

  /* The first medium; an older file of that name is replaced. */
  g_assert_cmpint (g_mkdir_with_parents (a, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (b, 0755), ==, 0);
  dt_write_file (a, name, "old");
  path = digithek_usb_write_file (name, "tour,day\r\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, a));
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "tour,day\r\n");

  /* A medium that cannot be written: the message names the file. */
  if (getuid () != 0)
    {
      g_autofree char *none = NULL;

      g_assert_cmpint (g_chmod (a, 0555), ==, 0);
      none = digithek_usb_write_file ("other.csv", "x", -1, &error);
      g_assert_null (none);
      g_assert_error (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "other.csv"));
      g_clear_error (&error);
      g_chmod (a, 0755);
    }

  g_unsetenv (DIGITHEK_USB_ROOTS_ENV);
  dt_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/usb/find-channels", test_usb_find_channels);
  g_test_add_func ("/kiosk/usb/write-file", test_usb_write_file);
  return g_test_run ();
}
