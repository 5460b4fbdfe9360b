/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Staff admin in the window, on a fake clock: the hidden corner, the PIN pad's lockout,
 * the admin view's auto-lock, a rollback that sticks, USB import from a channel published
 * by the real `digithek-pack publish`, and the feedback CSV export onto the "stick". */

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "demo-test-util.h"
#include "digithek-admin-view.h"
#include "digithek-clock.h"
#include "digithek-feedback.h"
#include "digithek-pin.h"
#include "digithek-pin-pad.h"
#include "digithek-staff-entry.h"
#include "digithek-store.h"
#include "digithek-sync.h"
#include "digithek-test-util.h"
#include "digithek-usb.h"
#include "digithek-window.h"
#include "digithek-store-wait.h"
#include "store-test-util.h"

#define GOOD_PIN "2468"
#define BAD_PIN  "1357"

static char *pin_hash;   /* of GOOD_PIN, made once: hashing takes a while on purpose */

typedef struct
{
  char           *dir;
  char           *usb;        /* DIGITHEK_USB_ROOTS */
  char           *channel;    /* a channel folder published with the CLI */
  char           *key;        /* its secret key file */
  char           *key_pub;    /* its public key file */
  DigithekStore  *store;
  DigithekClock  *clock;
  DigithekPin    *pin;
  DigithekWindow *window;
} Fixture;

/* The kiosk records feedback asynchronously; a test waits for it. */
static gboolean
feedback_record (DigithekStore          *store,
                 const char             *tour,
                 guint                   satisfaction,
                 DigithekFeedbackAgain   again,
                 GError                **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_feedback_record_async (store, tour, satisfaction, again, NULL,
                                  digithek_store_wait_cb, wait);
  return digithek_feedback_record_finish (store, digithek_store_wait_end (wait), error);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *fixture);

static void
wait_until (Fixture   *fixture,
            Condition  done)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (!timed_out && !done (fixture))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_false (timed_out);
}

static gboolean
pad_idle (Fixture *fixture)
{
  return !digithek_pin_pad_get_busy (digithek_window_get_pin_pad (fixture->window));
}

static gboolean
admin_idle (Fixture *fixture)
{
  return !digithek_admin_view_get_busy (digithek_window_get_admin_view (fixture->window));
}

static DigithekFakeClock *
fake (Fixture *fixture)
{
  return DIGITHEK_FAKE_CLOCK (fixture->clock);
}

/* --- packs and channels made with the real tool -------------------------------------- */

static char *
make_pack (Fixture    *fixture,
           const char *id,
           gint64      version)
{
  g_autofree char *name = g_strdup_printf ("src/%s-%" G_GINT64_FORMAT, id, version);
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  char *dir = g_build_filename (fixture->dir, name, NULL);

  json = g_strdup_printf ("{\"format\": 1, \"id\": \"%s\", \"version\": %" G_GINT64_FORMAT ","
                          " \"title\": {\"de\": \"Paket %s\"}, \"languages\": [\"de\"],"
                          " \"items\": [{\"id\": \"thema\", \"kind\": \"explainer\","
                          " \"title\": {\"de\": \"Thema\"}, \"body\": {\"de\": \"texts/thema.md\"}}]}\n",
                          id, version, id);
  text = g_strdup_printf ("# Thema\n\nFassung %" G_GINT64_FORMAT " des Pakets %s.\n", version, id);
  dt_write_file (dir, "pack.json", json);
  dt_write_file (dir, "texts/thema.md", text);
  return dir;
}

static void
publish (Fixture    *fixture,
         const char *channel,
         const char *id,
         gint64      version)
{
  g_autofree char *pack = make_pack (fixture, id, version);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = dt_run_tool (&out, &err, "publish", pack, "--key", fixture->key, "--out",
                            channel, NULL);

  if (status != 0)
    g_printerr ("%s%s", out, err);
  g_assert_cmpint (status, ==, 0);
}

static DigithekSyncResult *
sync_folder (Fixture    *fixture,
             const char *channel)
{
  const char *keys[] = { fixture->key_pub, NULL };
  g_autoptr(DigithekSync) sync = digithek_sync_new (channel, keys, fixture->store, NULL);
  g_autoptr(GError) error = NULL;
  DigithekSyncResult *result = digithek_sync_run_sync (sync, NULL, &error);

  g_assert_no_error (error);
  return result;
}

static char *
installed (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) packs = tu_store_list_packs (fixture->store, NULL, NULL,
                                                    &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < packs->len; i++)
    {
      DigithekStorePackInfo *info = g_ptr_array_index (packs, i);

      g_string_append_printf (out, "%s%s=%" G_GINT64_FORMAT, i > 0 ? "," : "", info->id,
                              info->version);
    }
  return g_string_free (out, FALSE);
}

/* --- the fixture --------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = dt_make_tmp_dir ();
  fixture->usb = g_build_filename (fixture->dir, "usb", NULL);
  fixture->channel = g_build_filename (fixture->dir, "channel", NULL);
  fixture->key = g_build_filename (fixture->dir, "keys", "channel.key", NULL);
  fixture->key_pub = g_strconcat (fixture->key, ".pub", NULL);
  g_setenv (DIGITHEK_USB_ROOTS_ENV, fixture->usb, TRUE);
  {
    g_autofree char *keys = g_path_get_dirname (fixture->key);
    g_assert_cmpint (g_mkdir_with_parents (keys, 0700), ==, 0);
  }
  g_assert_cmpint (dt_run_tool (&out, &err, "keygen", "--out", fixture->key, NULL), ==, 0);

  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = tu_store_new (path, NULL, &error);
  g_assert_no_error (error);

  fixture->clock = digithek_fake_clock_new ();
  fixture->pin = digithek_pin_new (fixture->clock, pin_hash);
  fixture->window = g_object_ref_sink (digithek_window_new (NULL));
  /* The expected texts are the English msgids. */
  digithek_window_set_language (fixture->window, "en");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1920, 1080);
  digithek_window_set_store (fixture->window, fixture->store);
  digithek_window_set_pin (fixture->window, fixture->pin, fixture->clock);
  {
    const char *keys[] = { fixture->key_pub, NULL };

    digithek_admin_view_set_sync_config (digithek_window_get_admin_view (fixture->window),
                                         NULL, keys);
  }
  gtk_window_present (GTK_WINDOW (fixture->window));
  digithek_window_show_home (fixture->window, items);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "empty");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  wait_until (fixture, admin_idle);
  wait_until (fixture, pad_idle);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->pin);
  g_assert_finalize_object (fixture->clock);
  digithek_store_close (fixture->store);
  /* Cancelled listings give their store reference back from the main loop. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->store);
  g_unsetenv (DIGITHEK_USB_ROOTS_ENV);
  dt_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->usb);
  g_free (fixture->channel);
  g_free (fixture->key);
  g_free (fixture->key_pub);
}

/* --- driving the pad ----------------------------------------------------------------- */

/* Every label under @widget; none may ever show the digits typed. */
static void
assert_no_label_contains (GtkWidget  *widget,
                          const char *text)
{
  if (GTK_IS_LABEL (widget))
    g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (widget)), text));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_no_label_contains (child, text);
}

static void
type_pin (Fixture    *fixture,
          const char *pin)
{
  DigithekPinPad *pad = digithek_window_get_pin_pad (fixture->window);

  for (const char *p = pin; *p != '\0'; p++)
    gtk_widget_activate_action (GTK_WIDGET (pad), "pin.digit", "i", (int) (*p - '0'));
  g_assert_cmpuint (digithek_pin_pad_get_n_digits (pad), ==, strlen (pin));
  /* Dots only. */
  assert_no_label_contains (GTK_WIDGET (fixture->window), pin);
  gtk_widget_activate_action (GTK_WIDGET (pad), "pin.ok", NULL);
  /* Wiped as soon as the try is on its way. */
  g_assert_cmpuint (digithek_pin_pad_get_n_digits (pad), ==, 0);
  wait_until (fixture, pad_idle);
}

static const char *
pad_message (Fixture *fixture)
{
  return digithek_pin_pad_get_message (digithek_window_get_pin_pad (fixture->window));
}

static void
open_admin (Fixture *fixture)
{
  digithek_window_show_pin_pad (fixture->window);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "pin");
  type_pin (fixture, GOOD_PIN);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "admin");
  g_assert_true (digithek_pin_get_unlocked (fixture->pin));
  wait_until (fixture, admin_idle);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
click (Fixture    *fixture,
       const char *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (digithek_window_get_admin_view (fixture->window)),
                                   label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  wait_until (fixture, admin_idle);
}

static const char *
admin_message (Fixture *fixture)
{
  return digithek_admin_view_get_message (digithek_window_get_admin_view (fixture->window));
}

static gboolean
label_exists (GtkWidget  *widget,
              const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_exists (child, text))
      return TRUE;
  return FALSE;
}

/* --- tests --------------------------------------------------------------------------- */

static void
test_admin_corner (Fixture       *fixture,
                   gconstpointer  data)
{
  DigithekStaffEntry *entry = digithek_window_get_staff_entry (fixture->window);

  /* Two seconds of holding do nothing. */
  g_assert_true (digithek_staff_entry_press (entry, 10, 10));
  digithek_fake_clock_advance_seconds (fake (fixture), 2);
  digithek_staff_entry_release (entry);
  digithek_fake_clock_advance_seconds (fake (fixture), 10);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "empty");

  /* Outside the corner: nothing either. */
  g_assert_false (digithek_staff_entry_press (entry, 200, 10));
  g_assert_false (digithek_staff_entry_press (entry, 10, 90));
  digithek_fake_clock_advance_seconds (fake (fixture), 10);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "empty");

  /* Almost five seconds, then five: the PIN pad. */
  g_assert_true (digithek_staff_entry_press (entry, 10, 10));
  digithek_fake_clock_advance (fake (fixture), 5 * G_USEC_PER_SEC - 1);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "empty");
  digithek_fake_clock_advance (fake (fixture), 1);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "pin");
  g_assert_false (digithek_staff_entry_get_holding (entry));
  digithek_staff_entry_release (entry);

  /* Cancel goes back, locked. */
  gtk_widget_activate_action (GTK_WIDGET (digithek_window_get_pin_pad (fixture->window)),
                              "pin.cancel", NULL);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "empty");
  g_assert_false (digithek_pin_get_unlocked (fixture->pin));
}

static void
test_admin_lockout (Fixture       *fixture,
                    gconstpointer  data)
{
  DigithekPinPad *pad = digithek_window_get_pin_pad (fixture->window);

  digithek_window_show_pin_pad (fixture->window);
  g_assert_cmpstr (pad_message (fixture), ==, "");

  /* Too short: refused without counting. */
  gtk_widget_activate_action (GTK_WIDGET (pad), "pin.digit", "i", 1);
  gtk_widget_activate_action (GTK_WIDGET (pad), "pin.ok", NULL);
  g_assert_cmpstr (pad_message (fixture), ==, "A PIN has 4 to 8 digits.");
  gtk_widget_activate_action (GTK_WIDGET (pad), "pin.delete", NULL);
  g_assert_cmpuint (digithek_pin_get_failures (fixture->pin), ==, 0);

  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *expected = g_strdup_printf (i == 4 ? "Wrong PIN – %u try left"
                                                          : "Wrong PIN – %u tries left",
                                                   5 - i);

      type_pin (fixture, BAD_PIN);
      g_assert_cmpstr (pad_message (fixture), ==, expected);
      g_assert_false (digithek_pin_get_locked_out (fixture->pin));
    }
  type_pin (fixture, BAD_PIN);
  g_assert_true (digithek_pin_get_locked_out (fixture->pin));
  g_assert_cmpstr (pad_message (fixture), ==,
                   "Too many wrong tries. The pad takes a PIN again in 1:00.");

  /* Locked: the keys do nothing, not even the right PIN gets through. */
  gtk_widget_activate_action (GTK_WIDGET (pad), "pin.digit", "i", 2);
  g_assert_cmpuint (digithek_pin_pad_get_n_digits (pad), ==, 0);

  digithek_fake_clock_advance_seconds (fake (fixture), 59);
  g_assert_true (digithek_pin_get_locked_out (fixture->pin));
  digithek_fake_clock_advance_seconds (fake (fixture), 1);
  g_assert_false (digithek_pin_get_locked_out (fixture->pin));
  g_assert_cmpstr (pad_message (fixture), ==, "Enter the PIN again.");

  /* The next wrong try locks again, twice as long. */
  type_pin (fixture, BAD_PIN);
  g_assert_true (digithek_pin_get_locked_out (fixture->pin));
  g_assert_cmpstr (pad_message (fixture), ==,
                   "Too many wrong tries. The pad takes a PIN again in 2:00.");
  digithek_fake_clock_advance_seconds (fake (fixture), 119);
  g_assert_true (digithek_pin_get_locked_out (fixture->pin));
  digithek_fake_clock_advance_seconds (fake (fixture), 1);
  g_assert_false (digithek_pin_get_locked_out (fixture->pin));

  /* The right PIN opens the admin view, as --status reports it. */
  type_pin (fixture, GOOD_PIN);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "admin");
  g_assert_cmpuint (digithek_pin_get_failures (fixture->pin), ==, 0);
}

static void
test_admin_no_pin (Fixture       *fixture,
                   gconstpointer  data)
{
  DigithekPinPad *pad = digithek_window_get_pin_pad (fixture->window);

  digithek_pin_set_hash (fixture->pin, NULL);
  digithek_window_show_pin_pad (fixture->window);
  g_assert_nonnull (strstr (pad_message (fixture), "No PIN set"));
  g_assert_nonnull (strstr (pad_message (fixture), "digithek --set-pin"));
  gtk_widget_activate_action (GTK_WIDGET (pad), "pin.digit", "i", 2);
  g_assert_cmpuint (digithek_pin_pad_get_n_digits (pad), ==, 0);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "pin");
}

static void
test_admin_autolock (Fixture       *fixture,
                     gconstpointer  data)
{
  open_admin (fixture);

  /* Input keeps it open: 110 s, a tap, 110 s more. */
  digithek_fake_clock_advance_seconds (fake (fixture), 110);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "admin");
  click (fixture, "Sync now");
  /* Without a channel, it says why nothing happens. */
  g_assert_nonnull (strstr (admin_message (fixture), "No channel is configured"));
  digithek_fake_clock_advance_seconds (fake (fixture), 110);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "admin");

  /* Two minutes without input: locked, home. */
  digithek_fake_clock_advance_seconds (fake (fixture), 10);
  g_assert_false (digithek_pin_get_unlocked (fixture->pin));
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "empty");

  /* The Lock button, and Home, lock too. */
  open_admin (fixture);
  click (fixture, "Lock");
  g_assert_false (digithek_pin_get_unlocked (fixture->pin));
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "empty");
  open_admin (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.home", NULL));
  g_assert_false (digithek_pin_get_unlocked (fixture->pin));
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "empty");
  open_admin (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.back", NULL));
  g_assert_false (digithek_pin_get_unlocked (fixture->pin));
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "empty");
}

static void
test_admin_rollback (Fixture       *fixture,
                     gconstpointer  data)
{
  DigithekAdminView *admin = digithek_window_get_admin_view (fixture->window);
  GtkWidget *button;

  publish (fixture, fixture->channel, "e-government", 1);
  digithek_sync_result_free (sync_folder (fixture, fixture->channel));
  publish (fixture, fixture->channel, "e-government", 2);
  digithek_sync_result_free (sync_folder (fixture, fixture->channel));

  open_admin (fixture);
  g_assert_true (label_exists (GTK_WIDGET (admin),
                               "e-government · version 2 · previous version 1"));
  button = digithek_admin_view_get_rollback_button (admin, "e-government");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Roll back to 1");
  click (fixture, "Roll back to 1");
  g_assert_nonnull (strstr (admin_message (fixture), "Pack e-government is back at version 1"));
  {
    g_autofree char *packs = installed (fixture);
    g_assert_cmpstr (packs, ==, "e-government=1");
  }
  /* Shown again: version 1, nothing to roll back to. */
  g_assert_true (label_exists (GTK_WIDGET (admin),
                               "e-government · version 1 · no previous version"));
  g_assert_null (digithek_admin_view_get_rollback_button (admin, "e-government"));

  /* A newer index that still lists version 2: not reinstalled. */
  publish (fixture, fixture->channel, "smart-city", 1);
  {
    g_autoptr(DigithekSyncResult) result = sync_folder (fixture, fixture->channel);
    g_autofree char *packs = installed (fixture);

    g_assert_cmpstr (packs, ==, "e-government=1,smart-city=1");
  }
  /* Version 3 installs. */
  publish (fixture, fixture->channel, "e-government", 3);
  {
    g_autoptr(DigithekSyncResult) result = sync_folder (fixture, fixture->channel);
    g_autofree char *packs = installed (fixture);

    g_assert_cmpstr (packs, ==, "e-government=3,smart-city=1");
  }
}

static void
test_admin_usb_import (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *stick_channel = g_build_filename (fixture->usb, "digithek", NULL);
  g_autofree char *index_path = g_build_filename (stick_channel, "index.json", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *index = NULL;
  g_autoptr(GError) error = NULL;
  gsize index_len = 0;
  char *pos;

  open_admin (fixture);

  /* No stick. */
  click (fixture, "Import from USB");
  g_assert_nonnull (strstr (admin_message (fixture), "No USB stick found"));

  /* A stick without a channel. */
  g_assert_cmpint (g_mkdir_with_parents (fixture->usb, 0755), ==, 0);
  dt_write_file (fixture->usb, "Urlaub/foto.txt", "kein Kanal");
  click (fixture, "Import from USB");
  g_assert_nonnull (strstr (admin_message (fixture), "No channel on the USB stick"));
  g_assert_nonnull (strstr (admin_message (fixture), fixture->usb));

  /* A channel one level down, published by the real tool. */
  publish (fixture, stick_channel, "e-government", 1);
  click (fixture, "Import from USB");
  expected = g_strdup_printf ("Installed from the USB stick in %s: e-government 1.",
                              stick_channel);
  g_assert_cmpstr (admin_message (fixture), ==, expected);
  {
    g_autofree char *packs = installed (fixture);
    g_assert_cmpstr (packs, ==, "e-government=1");
  }
  g_assert_true (label_exists (GTK_WIDGET (digithek_window_get_admin_view (fixture->window)),
                               "e-government · version 1 · no previous version"));

  /* Again: nothing newer. */
  click (fixture, "Import from USB");
  g_assert_nonnull (strstr (admin_message (fixture), "Nothing newer on the USB stick"));

  /* A newer version, tampered with on the stick: refused, nothing lost. */
  publish (fixture, stick_channel, "e-government", 2);
  g_file_get_contents (index_path, &index, &index_len, &error);
  g_assert_no_error (error);
  pos = strstr (index, "\"e-government\"");
  g_assert_nonnull (pos);
  pos[1] = 'E';
  g_file_set_contents (index_path, index, (gssize) index_len, &error);
  g_assert_no_error (error);
  click (fixture, "Import from USB");
  g_assert_nonnull (strstr (admin_message (fixture), "is not signed by a trusted key"));
  g_assert_nonnull (strstr (admin_message (fixture), stick_channel));
  {
    g_autofree char *packs = installed (fixture);
    g_assert_cmpstr (packs, ==, "e-government=1");
  }
}

static void
test_admin_feedback_export (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = digithek_usb_feedback_file_name (NULL);
  g_autofree char *path = g_build_filename (fixture->usb, name, NULL);
  g_autofree char *day = digithek_feedback_day (NULL);
  g_autofree char *expected_csv = NULL;
  g_autofree char *expected_message = NULL;
  g_autofree char *csv = NULL;

  g_assert_true (feedback_record (fixture->store, "p/rundgang", 5,
                                  DIGITHEK_FEEDBACK_AGAIN_YES, &error));
  g_assert_true (feedback_record (fixture->store, "p/rundgang", 4,
                                  DIGITHEK_FEEDBACK_AGAIN_NO, &error));
  g_assert_no_error (error);

  open_admin (fixture);
  /* The table: the tour, today, counts of 1 to 5, yes and no. */
  g_assert_true (label_exists (GTK_WIDGET (digithek_window_get_admin_view (fixture->window)),
                               "p/rundgang"));
  g_assert_true (label_exists (GTK_WIDGET (digithek_window_get_admin_view (fixture->window)),
                               day));

  click (fixture, "Export CSV to USB");
  g_assert_nonnull (strstr (admin_message (fixture), "No USB stick found"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_cmpint (g_mkdir_with_parents (fixture->usb, 0755), ==, 0);
  click (fixture, "Export CSV to USB");
  expected_message = g_strdup_printf ("Feedback counts saved to %s.", path);
  g_assert_cmpstr (admin_message (fixture), ==, expected_message);
  g_file_get_contents (path, &csv, NULL, &error);
  g_assert_no_error (error);
  expected_csv = g_strdup_printf ("tour,day,satisfaction_1,satisfaction_2,satisfaction_3,"
                                  "satisfaction_4,satisfaction_5,again_yes,again_no\r\n"
                                  "p/rundgang,%s,0,0,0,1,1,1,1\r\n", day);
  g_assert_cmpstr (csv, ==, expected_csv);
}

static void
count_activate_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  (*(guint *) user_data)++;
}

static void
record_tour_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_free (*(char **) user_data);
  *(char **) user_data = g_variant_dup_string (parameter, NULL);
}

/* A pilot starts a guided tour from the admin view: the installed tours, each with a
 * Start button that goes to the application's start-tour action. */
static void
test_admin_start_tour (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("DEMO_DIR"), "smart-city-konstanz", NULL);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) start = g_simple_action_new ("start-tour", G_VARIANT_TYPE_STRING);
  g_autofree char *started = NULL;

  open_admin (fixture);
  g_assert_null (find_button (GTK_WIDGET (digithek_window_get_admin_view (fixture->window)),
                              "Start tour"));

  dt_import_pack_dir (fixture->store, path);
  g_signal_connect (start, "activate", G_CALLBACK (record_tour_cb), &started);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (start));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "app", G_ACTION_GROUP (group));
  digithek_admin_view_refresh (digithek_window_get_admin_view (fixture->window));
  wait_until (fixture, admin_idle);

  g_assert_true (label_exists (GTK_WIDGET (digithek_window_get_admin_view (fixture->window)),
                               "Guided tours"));
  click (fixture, "Start tour");
  g_assert_cmpstr (started, ==, "smart-city-konstanz/rundgang-smarte-stadt");
}

/* Sync now and Leave kiosk mode go to the application's actions; a finished sync's
 * result shows once the run has written it. */
static void
test_admin_app_actions (Fixture       *fixture,
                        gconstpointer  data)
{
  DigithekAdminView *admin = digithek_window_get_admin_view (fixture->window);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) sync_now = g_simple_action_new ("sync-now", NULL);
  g_autoptr(GSimpleAction) leave = g_simple_action_new ("leave-kiosk", NULL);
  g_autoptr(GError) error = NULL;
  const char *keys[] = { fixture->key_pub, NULL };
  guint n_sync = 0;
  guint n_leave = 0;

  g_signal_connect (sync_now, "activate", G_CALLBACK (count_activate_cb), &n_sync);
  g_signal_connect (leave, "activate", G_CALLBACK (count_activate_cb), &n_leave);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (sync_now));
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (leave));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "app", G_ACTION_GROUP (group));
  digithek_admin_view_set_sync_config (admin, "https://inhalte.example.org/kanal/", keys);

  open_admin (fixture);
  g_assert_true (label_exists (GTK_WIDGET (admin), "https://inhalte.example.org/kanal/"));
  g_assert_true (label_exists (GTK_WIDGET (admin), "Never"));

  click (fixture, "Sync now");
  g_assert_cmpuint (n_sync, ==, 1);
  g_assert_cmpstr (admin_message (fixture), ==,
                   "Sync from https://inhalte.example.org/kanal/ started. Its result shows "
                   "here when it is done.");

  /* The run ends (as the application's sync writes it) and the view is refreshed. */
  g_assert_true (tu_store_set_meta (fixture->store, "sync.last-time",
                                    "2026-11-27T10:00:00Z", NULL, &error));
  g_assert_true (tu_store_set_meta (fixture->store, "sync.last-ok", "false", NULL,
                                    &error));
  g_assert_true (tu_store_set_meta (fixture->store, "sync.last-error",
                                    "index expired on 2026-11-01T00:00:00Z", NULL,
                                    &error));
  g_assert_true (tu_store_set_meta (fixture->store, "sync.channel",
                                    "https://inhalte.example.org/kanal/", NULL,
                                    &error));
  g_assert_true (tu_store_set_meta (fixture->store, DIGITHEK_ADMIN_NEXT_SYNC_KEY,
                                    "2026-11-27T10:15:00Z", NULL, &error));
  g_assert_no_error (error);
  digithek_admin_view_refresh (admin);
  wait_until (fixture, admin_idle);
  g_assert_nonnull (strstr (admin_message (fixture),
                            "index expired on 2026-11-01T00:00:00Z. The installed content "
                            "stays."));
  g_assert_false (label_exists (GTK_WIDGET (admin), "Never"));
  g_assert_false (label_exists (GTK_WIDGET (admin), "None planned"));

  click (fixture, "Leave kiosk mode");
  g_assert_cmpuint (n_leave, ==, 1);
  g_assert_nonnull (strstr (admin_message (fixture), "Kiosk mode is off"));
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "admin");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* The English msgids are what the assertions read. */
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Any critical or warning fails the test, whatever G_DEBUG says. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/digithek/Kiosk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  pin_hash = digithek_pin_hash (GOOD_PIN, &error);
  g_assert_no_error (error);

  g_test_add ("/admin/corner", Fixture, NULL, fixture_set_up, test_admin_corner,
              fixture_tear_down);
  g_test_add ("/admin/lockout", Fixture, NULL, fixture_set_up, test_admin_lockout,
              fixture_tear_down);
  g_test_add ("/admin/no-pin", Fixture, NULL, fixture_set_up, test_admin_no_pin,
              fixture_tear_down);
  g_test_add ("/admin/autolock", Fixture, NULL, fixture_set_up, test_admin_autolock,
              fixture_tear_down);
  g_test_add ("/admin/rollback", Fixture, NULL, fixture_set_up, test_admin_rollback,
              fixture_tear_down);
  g_test_add ("/admin/usb-import", Fixture, NULL, fixture_set_up, test_admin_usb_import,
              fixture_tear_down);
  g_test_add ("/admin/app-actions", Fixture, NULL, fixture_set_up, test_admin_app_actions,
              fixture_tear_down);
  g_test_add ("/admin/start-tour", Fixture, NULL, fixture_set_up, test_admin_start_tour,
              fixture_tear_down);
  g_test_add ("/admin/feedback-export", Fixture, NULL, fixture_set_up,
              test_admin_feedback_export, fixture_tear_down);

  status = g_test_run ();
  g_free (pin_hash);
  return status;
}
