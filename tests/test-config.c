/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <glib/gstdio.h>

#include "digithek-config.h"

static char *
write_config (const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("digithek-config-XXXXXX.ini", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_config_defaults (void)
{
  g_autoptr(DigithekConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  /* An explicit path that does not exist is an error; the default path is not. */
  config = digithek_config_load ("/nonexistent/kiosk.ini", &error);
  g_assert_error (error, DIGITHEK_CONFIG_ERROR, DIGITHEK_CONFIG_ERROR_INVALID);
  g_assert_null (config);
  g_assert_nonnull (strstr (error->message, "/nonexistent/kiosk.ini"));

  config = digithek_config_new_default ();
  g_assert_cmpuint (digithek_config_get_idle_timeout (config), ==, 90);
  g_assert_cmpuint (digithek_config_get_sync_interval (config), ==, 15);
  g_assert_cmpstr (digithek_config_get_language (config), ==, "de");
  g_assert_null (digithek_config_get_channel (config));
  g_assert_cmpuint (g_strv_length ((char **) digithek_config_get_trusted_keys (config)), ==, 0);
}

static void
test_config_values (void)
{
  g_autofree char *path = write_config ("[kiosk]\n"
                                        "channel = https://example.org/channel\n"
                                        "trusted_keys = AAAA;BBBB ; \n"
                                        "idle_timeout = 120\n"
                                        "language = en\n"
                                        "store = /var/lib/digithek/store.db\n"
                                        "sync_interval = 5\n"
                                        "metrics_file = /var/lib/node-exporter/digithek.prom\n"
                                        "handoff = local\n"
                                        "handoff_listen = [::]:8088\n"
                                        "handoff_base_url = http://10.0.0.5:8088\n");
  g_autoptr(DigithekConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *keys;

  config = digithek_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digithek_config_get_channel (config), ==, "https://example.org/channel");
  keys = digithek_config_get_trusted_keys (config);
  g_assert_cmpuint (g_strv_length ((char **) keys), ==, 2);
  g_assert_cmpstr (keys[0], ==, "AAAA");
  g_assert_cmpstr (keys[1], ==, "BBBB");
  g_assert_cmpuint (digithek_config_get_idle_timeout (config), ==, 120);
  g_assert_cmpstr (digithek_config_get_language (config), ==, "en");
  g_assert_cmpstr (digithek_config_get_store_path (config), ==, "/var/lib/digithek/store.db");
  g_assert_cmpuint (digithek_config_get_sync_interval (config), ==, 5);
  g_assert_cmpstr (digithek_config_get_metrics_file (config), ==,
                   "/var/lib/node-exporter/digithek.prom");
  g_assert_cmpint (digithek_config_get_handoff_mode (config), ==, DIGITHEK_HANDOFF_MODE_LOCAL);
  g_assert_cmpstr (digithek_config_get_handoff_listen (config), ==, "[::]:8088");
  g_assert_cmpstr (digithek_config_get_handoff_base_url (config), ==, "http://10.0.0.5:8088");
  g_unlink (path);
}

static void
test_config_bad_number (void)
{
  g_autofree char *path = write_config ("[kiosk]\nidle_timeout = soon\n");
  g_autoptr(DigithekConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = digithek_config_load (path, &error);
  g_assert_null (config);
  g_assert_error (error, DIGITHEK_CONFIG_ERROR, DIGITHEK_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "idle_timeout = “soon” is not a whole number"));
  g_unlink (path);
}

static void
test_config_bad_handoff (void)
{
  g_autofree char *path = write_config ("[kiosk]\nhandoff = maybe\n");
  g_autoptr(DigithekConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = digithek_config_load (path, &error);
  g_assert_null (config);
  g_assert_nonnull (strstr (error->message, "handoff = “maybe” must be “web” or “local”"));
  g_unlink (path);
}

static void
test_config_syntax_error (void)
{
  g_autofree char *path = write_config ("[kiosk\nchannel = x\n");
  g_autoptr(DigithekConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = digithek_config_load (path, &error);
  g_assert_null (config);
  g_assert_error (error, DIGITHEK_CONFIG_ERROR, DIGITHEK_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, path));
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/config/defaults", test_config_defaults);
  g_test_add_func ("/kiosk/config/values", test_config_values);
  g_test_add_func ("/kiosk/config/bad-number", test_config_bad_number);
  g_test_add_func ("/kiosk/config/syntax-error", test_config_syntax_error);
  g_test_add_func ("/kiosk/config/bad-handoff", test_config_bad_handoff);

  return g_test_run ();
}
