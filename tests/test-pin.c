/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "digithek-clock.h"
#include "digithek-config.h"
#include "digithek-pin.h"

/* Hashing costs a good fraction of a second: the tests share one hash of this PIN. */
#define GOOD_PIN "2468"
static char *good_hash;

#define advance(clock, seconds) \
  digithek_fake_clock_advance_seconds (DIGITHEK_FAKE_CLOCK (clock), seconds)

static void
test_pin_rules (void)
{
  const char *good[] = { "0000", "1234", "12345678", "00000000" };
  const char *bad[] = { "", "123", "123456789", "12a4", "12 34", " 1234", "-123",
                        "１２３４" /* full-width digits */, "12.4" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (digithek_pin_check_rules (good[i], &error));
      g_assert_no_error (error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (digithek_pin_check_rules (bad[i], &error));
      g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_RULES);
      g_assert_nonnull (strstr (error->message, "4 to 8 digits"));
      /* The message says what a PIN must be, never what was typed. */
      if (strlen (bad[i]) >= 3)
        g_assert_null (strstr (error->message, bad[i]));
    }
  g_assert_false (digithek_pin_check_rules (NULL, NULL));

  /* Hashing refuses the same PINs. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *hash = digithek_pin_hash ("12a4", &error);

    g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_RULES);
    g_assert_null (hash);
  }
}

static void
test_pin_hash_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  double hash_seconds;
  double verify_seconds;

  g_assert_true (g_str_has_prefix (good_hash, "$argon2id$v=19$"));
  /* libsodium's "interactive" limits: 64 MiB, two passes. */
  g_assert_nonnull (strstr (good_hash, "$m=65536,t=2,p=1$"));
  g_assert_null (strstr (good_hash, GOOD_PIN));

  g_timer_start (timer);
  again = digithek_pin_hash (GOOD_PIN, &error);
  hash_seconds = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);
  /* A fresh salt every time. */
  g_assert_cmpstr (again, !=, good_hash);

  g_timer_start (timer);
  g_assert_true (digithek_pin_verify (good_hash, GOOD_PIN, &error));
  verify_seconds = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);
  g_assert_true (digithek_pin_verify (again, GOOD_PIN, &error));
  g_assert_no_error (error);
  g_test_message ("Argon2id (interactive): hash %.0f ms, verify %.0f ms",
                  hash_seconds * 1000, verify_seconds * 1000);

  g_assert_false (digithek_pin_verify (good_hash, "2469", &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_WRONG);
  g_clear_error (&error);
  g_assert_false (digithek_pin_verify (good_hash, "24680", &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_WRONG);
  g_clear_error (&error);
  g_assert_false (digithek_pin_verify (good_hash, "abcd", &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_WRONG);
  g_clear_error (&error);

  /* A stored hash that is not Argon2id is a config problem, not a wrong PIN. */
  g_assert_false (digithek_pin_verify ("2468", GOOD_PIN, &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_HASH);
  g_clear_error (&error);
  g_assert_false (digithek_pin_verify ("$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA",
                                       GOOD_PIN, &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_HASH);
  g_clear_error (&error);
  /* A damaged Argon2id string never matches. */
  g_assert_false (digithek_pin_verify ("$argon2id$v=19$m=65536,t=2,p=1$broken", GOOD_PIN,
                                       &error));
  g_assert_nonnull (error);
}

static void
store_result_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_pin_async (void)
{
  g_autoptr(GAsyncResult) hashed = NULL;
  g_autoptr(GAsyncResult) right = NULL;
  g_autoptr(GAsyncResult) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  digithek_pin_hash_async ("13579", NULL, store_result_cb, &hashed);
  hash = digithek_pin_hash_finish (wait_for (&hashed), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));

  digithek_pin_verify_async (hash, "13579", NULL, store_result_cb, &right);
  digithek_pin_verify_async (hash, "97531", NULL, store_result_cb, &wrong);
  g_assert_true (digithek_pin_verify_finish (wait_for (&right), &error));
  g_assert_no_error (error);
  g_assert_false (digithek_pin_verify_finish (wait_for (&wrong), &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_WRONG);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* A wrong try that the verifier checks, so the real path is counted. */
static void
assert_wrong (DigithekPin *pin,
              const char  *attempt)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (digithek_pin_try (pin, attempt, &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_WRONG);
}

static void
assert_locked (DigithekPin *pin,
               guint        seconds)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (digithek_pin_get_locked_out (pin));
  g_assert_cmpuint (digithek_pin_get_lock_remaining (pin), ==, seconds);
  /* While locked even the right PIN is refused, without being checked. */
  g_assert_false (digithek_pin_try (pin, GOOD_PIN, &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_LOCKED);
  g_assert_false (digithek_pin_get_unlocked (pin));
}

static void
test_pin_lockout (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekPin) pin = digithek_pin_new (clock, good_hash);
  g_autoptr(GError) error = NULL;
  const guint expected[] = { 120, 240, 480, 960, 1920, 3600, 3600 };
  guint notified = 0;

  g_signal_connect (pin, "notify::locked-out", G_CALLBACK (count_notify_cb), &notified);

  /* Four wrong tries are free… */
  assert_wrong (pin, "1111");
  assert_wrong (pin, "2222");
  assert_wrong (pin, "3333");
  assert_wrong (pin, "abc");   /* not even a PIN: counts all the same */
  g_assert_cmpuint (digithek_pin_get_failures (pin), ==, 4);
  g_assert_false (digithek_pin_get_locked_out (pin));
  g_assert_cmpuint (digithek_pin_get_lock_remaining (pin), ==, 0);

  /* …the fifth locks the pad for 60 s. */
  assert_wrong (pin, "4444");
  g_assert_cmpuint (notified, ==, 1);
  assert_locked (pin, 60);
  advance (clock, 59);
  assert_locked (pin, 1);
  g_assert_cmpuint (digithek_pin_get_failures (pin), ==, 5);
  advance (clock, 1);
  g_assert_false (digithek_pin_get_locked_out (pin));
  g_assert_cmpuint (notified, ==, 2);

  /* After that each wrong try locks again, twice as long, up to an hour. */
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      assert_wrong (pin, i == 0 ? "5555" : "x");
      assert_locked (pin, expected[i]);
      advance (clock, expected[i] - 1);
      g_assert_true (digithek_pin_get_locked_out (pin));
      advance (clock, 1);
      g_assert_false (digithek_pin_get_locked_out (pin));
    }

  /* The right PIN resets it all: five free tries again, then 60 s. */
  g_assert_true (digithek_pin_try (pin, GOOD_PIN, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (digithek_pin_get_failures (pin), ==, 0);
  g_assert_true (digithek_pin_get_unlocked (pin));
  digithek_pin_lock (pin);
  for (guint i = 0; i < 4; i++)
    assert_wrong (pin, "x");
  g_assert_false (digithek_pin_get_locked_out (pin));
  assert_wrong (pin, "9999");
  assert_locked (pin, 60);
  g_assert_cmpuint (digithek_fake_clock_get_n_pending (DIGITHEK_FAKE_CLOCK (clock)), >=, 1);
}

static void
test_pin_admin_auto_lock (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekPin) pin = digithek_pin_new (clock, good_hash);
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_signal_connect (pin, "notify::unlocked", G_CALLBACK (count_notify_cb), &notified);
  g_assert_false (digithek_pin_get_unlocked (pin));

  /* Input while locked changes nothing. */
  digithek_pin_activity (pin);
  g_assert_false (digithek_pin_get_unlocked (pin));

  g_assert_true (digithek_pin_try (pin, GOOD_PIN, &error));
  g_assert_no_error (error);
  g_assert_true (digithek_pin_get_unlocked (pin));
  g_assert_cmpuint (notified, ==, 1);

  /* Two minutes without input lock it; input starts the two minutes over. */
  advance (clock, 119);
  g_assert_true (digithek_pin_get_unlocked (pin));
  digithek_pin_activity (pin);
  advance (clock, 119);
  g_assert_true (digithek_pin_get_unlocked (pin));
  advance (clock, 1);
  g_assert_false (digithek_pin_get_unlocked (pin));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (digithek_fake_clock_get_n_pending (DIGITHEK_FAKE_CLOCK (clock)), ==, 0);

  /* Leaving the admin view locks at once. */
  g_assert_true (digithek_pin_try (pin, GOOD_PIN, &error));
  g_assert_true (digithek_pin_get_unlocked (pin));
  digithek_pin_lock (pin);
  g_assert_false (digithek_pin_get_unlocked (pin));
  g_assert_cmpuint (notified, ==, 4);
  g_assert_cmpuint (digithek_fake_clock_get_n_pending (DIGITHEK_FAKE_CLOCK (clock)), ==, 0);
}

static void
test_pin_try_async (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekPin) pin = digithek_pin_new (clock, NULL);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) no_pin = NULL;
  g_autoptr(GError) error = NULL;

  /* Without a PIN in the config the admin view cannot be opened. */
  digithek_pin_try_async (pin, GOOD_PIN, NULL, store_result_cb, &no_pin);
  g_assert_false (digithek_pin_try_finish (pin, wait_for (&no_pin), &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_NO_PIN);
  g_clear_error (&error);

  /* One try at a time. */
  digithek_pin_set_hash (pin, good_hash);
  g_assert_cmpstr (digithek_pin_get_hash (pin), ==, good_hash);
  digithek_pin_try_async (pin, GOOD_PIN, NULL, store_result_cb, &first);
  digithek_pin_try_async (pin, GOOD_PIN, NULL, store_result_cb, &second);
  g_assert_false (digithek_pin_try_finish (pin, wait_for (&second), &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (digithek_pin_try_finish (pin, wait_for (&first), &error));
  g_assert_no_error (error);
  g_assert_true (digithek_pin_get_unlocked (pin));
  g_assert_cmpuint (digithek_pin_get_failures (pin), ==, 0);
}

static char *
write_temp (const char *name,
            const char *text,
            int         mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("digithek-pin-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  if (text != NULL)
    {
      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_chmod (path, mode), ==, 0);
    }
  return path;
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (dir);
}

static const char CONFIG_TEXT[] =
  "# SPDX-License-Identifier: GPL-3.0-or-later\n"
  "# DigiThek kiosk configuration.\n"
  "\n"
  "[kiosk]\n"
  "\n"
  "# Where content comes from.\n"
  "channel = https://inhalte.example.org/digithek/channel\n"
  "\n"
  "# Seconds without a touch.\n"
  "idle_timeout = 120\n"
  "\n"
  "# The staff PIN. Do not write it by hand.\n"
  "#pin_hash =\n"
  "\n"
  "[other]\n"
  "# A group the kiosk does not know.\n"
  "key = value\n";

static void
test_pin_config (void)
{
  g_autofree char *path = write_temp ("kiosk.ini", CONFIG_TEXT, 0640);
  g_autofree char *second_hash = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(DigithekConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) listing = NULL;
  struct stat st;
  guint n_files = 0;

  g_assert_true (digithek_pin_set_in_config (path, good_hash, &error));
  g_assert_no_error (error);

  /* Every comment and every other key is still there… */
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "# DigiThek kiosk configuration.\n"));
  g_assert_nonnull (strstr (text, "# Where content comes from.\n"
                                  "channel = https://inhalte.example.org/digithek/channel\n"));
  g_assert_nonnull (strstr (text, "# Seconds without a touch.\n"));
  g_assert_nonnull (strstr (text, "# The staff PIN. Do not write it by hand.\n#pin_hash =\n"));
  g_assert_nonnull (strstr (text, "# A group the kiosk does not know.\nkey = value\n"));
  /* The hash goes right under its commented-out placeholder, in [kiosk]. */
  g_assert_nonnull (strstr (text, "#pin_hash =\npin_hash = $argon2id$"));
  g_assert_cmpuint (strlen (text), ==, strlen (CONFIG_TEXT) + strlen ("pin_hash = \n")
                                       + strlen (good_hash));

  /* …the hash is in [kiosk]… */
  g_key_file_load_from_data (file, text, -1, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  stored = g_key_file_get_string (file, "kiosk", "pin_hash", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, good_hash);
  g_assert_true (g_key_file_has_key (file, "kiosk", "idle_timeout", NULL));
  g_assert_true (g_key_file_has_key (file, "other", "key", NULL));

  /* …the kiosk still reads the file… */
  config = digithek_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (digithek_config_get_idle_timeout (config), ==, 120);

  /* …its mode is kept, and no temporary file is left behind. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);

  /* A new PIN replaces the old hash instead of adding a second key. */
  second_hash = digithek_pin_hash ("97531", &error);
  g_assert_no_error (error);
  g_assert_true (digithek_pin_set_in_config (path, second_hash, &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  g_file_get_contents (path, &text, NULL, NULL);
  g_assert_null (strstr (text, good_hash));
  g_assert_nonnull (strstr (text, second_hash));
  g_assert_null (strstr (strstr (text, "\npin_hash = ") + 1, "\npin_hash = "));

  /* Never anything but an Argon2id hash, so a PIN cannot end up there by mistake. */
  g_assert_false (digithek_pin_set_in_config (path, GOOD_PIN, &error));
  g_assert_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_HASH);
  g_clear_error (&error);

  remove_temp (path);
}

static void
test_pin_config_new_and_linked (void)
{
  g_autofree char *path = write_temp ("kiosk.ini", NULL, 0);
  g_autofree char *link = NULL;
  g_autofree char *target = write_temp ("real.ini", "[kiosk]\n# keep me\nlanguage = en\n",
                                        0644);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  /* A config that does not exist yet is created, not readable by others. */
  g_assert_true (digithek_pin_set_in_config (path, good_hash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_file_get_contents (path, &text, NULL, NULL);
  g_assert_true (g_str_has_prefix (text, "[kiosk]\npin_hash = $argon2id$"));

  /* A symlink stays a link; the file it points at gets the hash, and keeps its mode. */
  link = g_build_filename (dir, "link.ini", NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_true (digithek_pin_set_in_config (link, good_hash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0644);
  g_clear_pointer (&text, g_free);
  g_file_get_contents (target, &text, NULL, NULL);
  g_assert_nonnull (strstr (text, "# keep me\nlanguage = en\n"));
  g_assert_nonnull (strstr (text, good_hash));

  /* A folder that does not exist is an error naming it. */
  g_assert_false (digithek_pin_set_in_config ("/nonexistent/digithek/kiosk.ini", good_hash,
                                              &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/digithek"));

  remove_temp (path);
  remove_temp (target);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  good_hash = digithek_pin_hash (GOOD_PIN, &error);
  g_assert_no_error (error);

  g_test_add_func ("/kiosk/pin/rules", test_pin_rules);
  g_test_add_func ("/kiosk/pin/hash-verify", test_pin_hash_verify);
  g_test_add_func ("/kiosk/pin/async", test_pin_async);
  g_test_add_func ("/kiosk/pin/lockout", test_pin_lockout);
  g_test_add_func ("/kiosk/pin/admin-auto-lock", test_pin_admin_auto_lock);
  g_test_add_func ("/kiosk/pin/try-async", test_pin_try_async);
  g_test_add_func ("/kiosk/pin/config", test_pin_config);
  g_test_add_func ("/kiosk/pin/config-new-and-linked", test_pin_config_new_and_linked);

  status = g_test_run ();
  g_free (good_hash);
  return status;
}
