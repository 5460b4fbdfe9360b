/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session between two citizens, in the window, on a fake clock: the "Sind Sie noch
 * da?" warning 15 s before the reset with its countdown, Continue, the privacy reset
 * (home, empty back stack, default language, QR overlay closed, clipboard emptied), the
 * attract loop and a touch on it; guided tours with the presenter bar, the idle reset
 * suspended, the PIN gate and the feedback poll whose answers are counted. */

#include <adwaita.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "digithek-attract-view.h"
#include "digithek-feedback.h"
#include "digithek-feedback-poll.h"
#include "digithek-idle-overlay.h"
#include "digithek-key-policy.h"
#include "digithek-pack.h"
#include "digithek-pin.h"
#include "digithek-pin-pad.h"
#include "digithek-store.h"
#include "demo-test-util.h"
#include "digithek-test-util.h"
#include "digithek-tour-bar.h"
#include "digithek-window.h"
#include "digithek-store-wait.h"
#include "store-test-util.h"

#define TOUR "smart-city-konstanz/rundgang-smarte-stadt"

typedef struct
{
  char            *dir;
  DigithekStore   *store;
  DigithekWindow  *window;
  DigithekClock   *clock;
  DigithekSession *session;
  guint            resets;
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

static DigithekFeedback *
feedback_load (DigithekStore  *store,
               GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_feedback_load_async (store, NULL, digithek_store_wait_cb, wait);
  return digithek_feedback_load_finish (store, digithek_store_wait_end (wait), error);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
drain (void)
{
  for (guint i = 0; i < 20 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop until the window shows @view and nothing in it loads any more. */
static void
wait_for_view (Fixture    *fixture,
               const char *view)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (!timed_out &&
         (digithek_window_get_busy (fixture->window) ||
          (view != NULL && g_strcmp0 (digithek_window_get_view (fixture->window), view) != 0)))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  if (timed_out)
    g_test_message ("waiting for %s, the window shows %s", view,
                    digithek_window_get_view (fixture->window));
  g_assert_false (timed_out);
  drain ();
}

static void
show_home (Fixture    *fixture,
           const char *language)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = tu_store_list_items (fixture->store, language, NULL, &error);
  g_assert_no_error (error);
  digithek_window_show_home (fixture->window, items);
  wait_for_view (fixture, "home");
}

static void
reset_cb (DigithekSession *session,
          Fixture         *fixture)
{
  fixture->resets++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = dt_make_tmp_dir ();
  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = tu_store_new (path, NULL, &error);
  g_assert_no_error (error);
  dt_import_demo_packs (fixture->store);

  fixture->clock = digithek_fake_clock_new ();
  fixture->session = digithek_session_new (fixture->clock, 90);
  g_signal_connect (fixture->session, "reset", G_CALLBACK (reset_cb), fixture);

  fixture->window = g_object_ref_sink (digithek_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1920, 1080);
  digithek_window_set_store (fixture->window, fixture->store);
  digithek_window_set_default_language (fixture->window, "de");
  digithek_window_set_session (fixture->window, fixture->session);
  gtk_window_present (GTK_WINDOW (fixture->window));
  show_home (fixture, "de");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->clock);
  /* Cancelled loads (the attract loop's) still return through the main loop. */
  timeout_id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (!timed_out && G_OBJECT (fixture->store)->ref_count > 1)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  digithek_store_close (fixture->store);
  g_assert_finalize_object (fixture->store);
  dt_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
advance (Fixture *fixture,
         guint    seconds)
{
  digithek_fake_clock_advance_seconds (DIGITHEK_FAKE_CLOCK (fixture->clock), seconds);
  drain ();
}

static void
open_and_wait (Fixture    *fixture,
               const char *id,
               const char *view)
{
  g_assert_true (digithek_window_open_item (fixture->window, id));
  wait_for_view (fixture, view);
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
text_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  if (*out == NULL)
    *out = g_strdup ("");
}

/* What a paste would give. */
static char *
read_clipboard (GdkClipboard *clipboard)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, text_read_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  return text;
}

/* A click where a citizen would touch @window, through the X server as a real one
 * comes; the window is raised first, since other tests may share the screen. Returns
 * FALSE (nothing done) without X11 or xdotool. */
static gboolean
click_window (GtkWidget *window,
              int        x,
              int        y)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (xdotool == NULL || !GDK_IS_X11_SURFACE (surface))
    return FALSE;
  command = g_strdup_printf ("%s windowraise %lu mousemove --window %lu --sync %d %d click 1",
                             xdotool, (gulong) gdk_x11_surface_get_xid (surface),
                             (gulong) gdk_x11_surface_get_xid (surface), x, y);
  g_spawn_command_line_sync (command, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
#else
  return FALSE;
#endif
}

static void
test_warning_continue_reset_attract (Fixture       *fixture,
                                     gconstpointer  data)
{
  DigithekIdleOverlay *overlay = DIGITHEK_IDLE_OVERLAY (digithek_window_get_idle_overlay (fixture->window));
  GtkWidget *attract = digithek_window_get_attract_view (fixture->window);
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (fixture->window));
  g_autofree char *clipboard = NULL;
  g_autofree char *primary = NULL;
  GtkWidget *button;
  gint64 start;

  /* A citizen in English, two items deep, a link's QR code open, something copied. */
  digithek_window_set_language (fixture->window, "en");
  show_home (fixture, "en");
  open_and_wait (fixture, "e-government/online-ausweis", "item:e-government/online-ausweis");
  open_and_wait (fixture, "offene-daten-konstanz/temperatur-konstanz",
                 "item:offene-daten-konstanz/temperatur-konstanz");
  g_assert_cmpuint (digithek_window_get_back_depth (fixture->window), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.show-link",
                                             "(ss)", "https://www.konstanz.de/", "Konstanz"));
  g_assert_nonnull (digithek_window_get_link_url (fixture->window));
  gdk_clipboard_set_text (gdk_display_get_clipboard (display), "CANARY-clipboard");
  gdk_clipboard_set_text (gdk_display_get_primary_clipboard (display), "CANARY-primary");

  /* 74 s of stillness: nothing yet. */
  advance (fixture, 74);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_cmpint (digithek_session_get_state (fixture->session), ==, DIGITHEK_SESSION_STATE_ACTIVE);

  /* 15 s before the reset the warning shows, counting down. */
  advance (fixture, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (overlay)));
  g_assert_cmpstr (digithek_idle_overlay_get_countdown_text (overlay), ==, "15");
  advance (fixture, 5);
  g_assert_cmpstr (digithek_idle_overlay_get_countdown_text (overlay), ==, "10");

  /* Continue, as the big button does: the citizen's session goes on untouched. */
  button = find_type (GTK_WIDGET (overlay), GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  drain ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_cmpint (digithek_session_get_state (fixture->session), ==, DIGITHEK_SESSION_STATE_ACTIVE);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==,
                   "item:offene-daten-konstanz/temperatur-konstanz");
  g_assert_cmpuint (digithek_window_get_back_depth (fixture->window), ==, 1);
  g_assert_cmpuint (fixture->resets, ==, 0);

  /* A fresh 90 s from Continue: the warning again at 75 s, the reset at 90 s. */
  advance (fixture, 74);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  advance (fixture, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  advance (fixture, 14);
  g_assert_cmpstr (digithek_idle_overlay_get_countdown_text (overlay), ==, "1");
  g_assert_cmpuint (fixture->resets, ==, 0);

  start = g_get_monotonic_time ();
  advance (fixture, 1);
  /* The reset itself is quick: well under the 2 s a citizen may wait. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (fixture->resets, ==, 1);

  /* Nothing of the citizen is left: home, no back stack, German, no QR code, the
   * clipboard and the primary selection empty; the attract loop lies over it. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_cmpint (digithek_session_get_state (fixture->session), ==, DIGITHEK_SESSION_STATE_ATTRACT);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "attract");
  g_assert_true (gtk_widget_get_visible (attract));
  g_assert_null (digithek_window_get_item_view (fixture->window));
  g_assert_cmpuint (digithek_window_get_back_depth (fixture->window), ==, 0);
  g_assert_cmpstr (digithek_window_get_language (fixture->window), ==, "de");
  g_assert_null (digithek_window_get_link_url (fixture->window));
  clipboard = read_clipboard (gdk_display_get_clipboard (display));
  primary = read_clipboard (gdk_display_get_primary_clipboard (display));
  g_assert_cmpstr (clipboard, ==, "");
  g_assert_cmpstr (primary, ==, "");

  /* The loop shows the items that have images, and moves on. */
  {
    gboolean timed_out = FALSE;
    guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
    DigithekAttractView *view = DIGITHEK_ATTRACT_VIEW (attract);

    while (!timed_out && digithek_attract_view_get_n_slides (view) < 2)
      g_main_context_iteration (NULL, TRUE);
    if (!timed_out)
      g_source_remove (id);
    g_assert_cmpuint (digithek_attract_view_get_n_slides (view), >=, 2);
    g_assert_cmpuint (digithek_attract_view_get_position (view), ==, 0);
    /* Laid out, as after the first interval. */
    timed_out = FALSE;
    g_timeout_add (300, timeout_cb, &timed_out);
    while (!timed_out)
      g_main_context_iteration (NULL, TRUE);
    digithek_attract_view_advance (view);
    timed_out = FALSE;
    id = g_timeout_add_seconds (5, timeout_cb, &timed_out);
    while (!timed_out && digithek_attract_view_get_position (view) != 1)
      g_main_context_iteration (NULL, TRUE);
    if (!timed_out)
      g_source_remove (id);
    g_assert_cmpuint (digithek_attract_view_get_position (view), ==, 1);
  }

  /* A touch anywhere starts a fresh session at home, and reaches nothing underneath. */
  if (click_window (GTK_WIDGET (fixture->window), 400, 500))
    {
      gboolean timed_out = FALSE;
      guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

      while (!timed_out && gtk_widget_get_visible (attract))
        g_main_context_iteration (NULL, TRUE);
      if (!timed_out)
        g_source_remove (id);
      drain ();
    }
  else
    {
      g_test_message ("xdotool missing: starting the session as the window's input handler does");
      digithek_session_touch_attract (fixture->session);
    }
  g_assert_false (gtk_widget_get_visible (attract));
  g_assert_cmpint (digithek_session_get_state (fixture->session), ==, DIGITHEK_SESSION_STATE_ACTIVE);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "home");

  /* And a new idle timer runs for the new citizen. */
  advance (fixture, 75);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
}

static void
test_reset_now (Fixture       *fixture,
                gconstpointer  data)
{
  open_and_wait (fixture, "e-government/online-ausweis", "item:e-government/online-ausweis");
  /* The "reset-session" action. */
  digithek_session_reset_now (fixture->session);
  drain ();
  g_assert_cmpuint (fixture->resets, ==, 1);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "attract");
  g_assert_null (digithek_window_get_item_view (fixture->window));
}

static void
pin_grant (DigithekWindow            *window,
           DigithekWindowPinCallback  callback,
           gpointer                   callback_data,
           gpointer                   user_data)
{
  (*(guint *) user_data)++;
  callback (window, TRUE, callback_data);
}

typedef struct
{
  char *tour;
  guint satisfaction;
  int   again;
  guint n;
} Answer;

static void
feedback_cb (DigithekWindow *window,
             const char     *tour,
             guint           satisfaction,
             int             again,
             Fixture        *fixture)
{
  Answer *answer = g_object_get_data (G_OBJECT (window), "answer");
  g_autoptr(GError) error = NULL;

  g_free (answer->tour);
  answer->tour = g_strdup (tour);
  answer->satisfaction = satisfaction;
  answer->again = again;
  answer->n++;
  /* As the application does. */
  g_assert_true (feedback_record (fixture->store, tour, satisfaction,
                                  (DigithekFeedbackAgain) again, &error));
  g_assert_no_error (error);
}

static GtkWidget *
find_face (GtkWidget *widget,
           guint      satisfaction)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "face-button") &&
      GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "satisfaction")) == satisfaction)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_face (child, satisfaction);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_guided_tour (Fixture       *fixture,
                  gconstpointer  data)
{
  DigithekTourBar *bar = DIGITHEK_TOUR_BAR (digithek_window_get_tour_bar (fixture->window));
  GtkWidget *poll = digithek_window_get_feedback_poll (fixture->window);
  Answer answer = { 0 };
  g_autoptr(DigithekFeedback) counts = NULL;
  g_autofree char *today = digithek_feedback_day (NULL);
  DigithekFeedbackCounts c;
  g_autoptr(GError) error = NULL;
  guint pin_asked = 0;

  g_object_set_data (G_OBJECT (fixture->window), "answer", &answer);
  g_signal_connect (fixture->window, "feedback", G_CALLBACK (feedback_cb), fixture);

  /* The tour view's "Start guided tour" asks for the PIN; without a PIN pad, no. */
  open_and_wait (fixture, TOUR, "tour:" TOUR);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "view.start-guided-tour", NULL));
  drain ();
  g_assert_null (digithek_window_get_guided_tour (fixture->window));
  g_assert_cmpint (digithek_session_get_state (fixture->session), ==, DIGITHEK_SESSION_STATE_ACTIVE);

  /* With the PIN granted: the presenter bar, stop 1. */
  digithek_window_set_pin_handler (fixture->window, pin_grant, &pin_asked);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "view.start-guided-tour", NULL));
  wait_for_view (fixture, "tour:" TOUR);
  g_assert_cmpuint (pin_asked, ==, 1);
  g_assert_cmpstr (digithek_window_get_guided_tour (fixture->window), ==, TOUR);
  g_assert_cmpint (digithek_session_get_state (fixture->session), ==, DIGITHEK_SESSION_STATE_TOUR);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_cmpstr (digithek_tour_bar_get_text (bar), ==, "Station 1 von 6");

  /* The idle reset is suspended: ten minutes of a pilot talking change nothing. */
  advance (fixture, 600);
  g_assert_cmpint (digithek_session_get_state (fixture->session), ==, DIGITHEK_SESSION_STATE_TOUR);
  g_assert_false (gtk_widget_get_visible (digithek_window_get_idle_overlay (fixture->window)));

  /* Next and back, as the bar's buttons do. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.next", NULL));
  wait_for_view (fixture, "tour:" TOUR);
  g_assert_cmpstr (digithek_tour_bar_get_text (bar), ==, "Station 2 von 6");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.next", NULL));
  wait_for_view (fixture, "tour:" TOUR);
  g_assert_cmpstr (digithek_tour_bar_get_text (bar), ==, "Station 3 von 6");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.previous", NULL));
  wait_for_view (fixture, "tour:" TOUR);
  g_assert_cmpstr (digithek_tour_bar_get_text (bar), ==, "Station 2 von 6");
  digithek_window_set_language (fixture->window, "en");
  wait_for_view (fixture, "tour:" TOUR);
  g_assert_true (g_str_has_prefix (digithek_tour_bar_get_text (bar), "Stop "));
  g_assert_true (g_str_has_suffix (digithek_tour_bar_get_text (bar), " of 6"));

  /* End: the poll, and the idle timer is back (ACTIVE). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.end-tour", NULL));
  drain ();
  g_assert_true (gtk_widget_get_visible (poll));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "feedback");
  g_assert_cmpint (digithek_session_get_state (fixture->session), ==, DIGITHEK_SESSION_STATE_ACTIVE);
  g_assert_cmpstr (digithek_feedback_poll_get_page (DIGITHEK_FEEDBACK_POLL (poll)), ==, "satisfaction");

  /* Four of five, then yes. */
  g_assert_nonnull (find_face (poll, 1));
  g_assert_nonnull (find_face (poll, 5));
  g_signal_emit_by_name (find_face (poll, 4), "clicked");
  g_assert_cmpstr (digithek_feedback_poll_get_page (DIGITHEK_FEEDBACK_POLL (poll)), ==, "again");
  g_assert_cmpuint (answer.n, ==, 0);
  g_signal_emit_by_name (find_button_labelled (poll, "Ja · Yes"), "clicked");
  g_assert_cmpuint (answer.n, ==, 1);
  g_assert_cmpstr (answer.tour, ==, TOUR);
  g_assert_cmpuint (answer.satisfaction, ==, 4);
  g_assert_cmpint (answer.again, ==, DIGITHEK_FEEDBACK_AGAIN_YES);
  g_assert_cmpstr (digithek_feedback_poll_get_page (DIGITHEK_FEEDBACK_POLL (poll)), ==, "thanks");

  /* The thank-you, then home. */
  digithek_feedback_poll_finish (DIGITHEK_FEEDBACK_POLL (poll));
  wait_for_view (fixture, "home");
  g_assert_false (gtk_widget_get_visible (poll));
  g_assert_null (digithek_window_get_guided_tour (fixture->window));

  /* Counted per tour and day. */
  counts = feedback_load (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_true (digithek_feedback_get_counts (counts, TOUR, today, &c));
  g_assert_cmpuint (c.satisfaction[3], ==, 1);
  g_assert_cmpuint (c.satisfaction[0] + c.satisfaction[1] + c.satisfaction[2] + c.satisfaction[4], ==, 0);
  g_assert_cmpuint (c.again_yes, ==, 1);
  g_assert_cmpuint (c.again_no, ==, 0);

  g_free (answer.tour);
}

static void
type_pin (Fixture    *fixture,
          const char *pin)
{
  DigithekPinPad *pad = digithek_window_get_pin_pad (fixture->window);
  gboolean timed_out = FALSE;
  guint id;

  for (const char *p = pin; *p != '\0'; p++)
    gtk_widget_activate_action (GTK_WIDGET (pad), "pin.digit", "i", (int) (*p - '0'));
  gtk_widget_activate_action (GTK_WIDGET (pad), "pin.ok", NULL);
  id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (!timed_out && digithek_pin_pad_get_busy (pad))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
  drain ();
}

/* "Start guided tour" through the staff PIN pad: a wrong PIN starts nothing, leaving
 * the pad refuses, the right PIN starts the tour and leaves the admin session locked. */
static void
test_guided_tour_pin_pad (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = digithek_pin_hash ("2468", &error);
  g_autoptr(DigithekPin) pin = NULL;

  g_assert_no_error (error);
  pin = digithek_pin_new (fixture->clock, hash);
  digithek_window_set_pin (fixture->window, pin, NULL);

  open_and_wait (fixture, TOUR, "tour:" TOUR);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "view.start-guided-tour", NULL));
  drain ();
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "pin");

  /* Wrong: the pad stays, no tour. */
  type_pin (fixture, "1111");
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "pin");
  g_assert_null (digithek_window_get_guided_tour (fixture->window));

  /* Home instead: refused, no tour. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "view.home", NULL));
  wait_for_view (fixture, "home");
  g_assert_null (digithek_window_get_guided_tour (fixture->window));

  /* Again, with the right PIN: the guided tour, and no open admin session. */
  open_and_wait (fixture, TOUR, "tour:" TOUR);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "view.start-guided-tour", NULL));
  drain ();
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "pin");
  type_pin (fixture, "2468");
  wait_for_view (fixture, "tour:" TOUR);
  g_assert_cmpstr (digithek_window_get_guided_tour (fixture->window), ==, TOUR);
  g_assert_cmpint (digithek_session_get_state (fixture->session), ==, DIGITHEK_SESSION_STATE_TOUR);
  g_assert_true (gtk_widget_get_visible (digithek_window_get_tour_bar (fixture->window)));
  g_assert_false (digithek_pin_get_unlocked (pin));

  digithek_window_set_pin (fixture->window, NULL, NULL);
}

static void
test_tour_reset_by_safety_limit (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_assert_true (digithek_window_start_tour (fixture->window, TOUR));
  wait_for_view (fixture, "tour:" TOUR);
  g_assert_true (gtk_widget_get_visible (digithek_window_get_tour_bar (fixture->window)));
  /* A tour left running resets after its 30-minute safety limit. */
  advance (fixture, 30 * 60);
  g_assert_cmpuint (fixture->resets, ==, 1);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "attract");
  g_assert_null (digithek_window_get_guided_tour (fixture->window));
  g_assert_false (gtk_widget_get_visible (digithek_window_get_tour_bar (fixture->window)));
}

/* The key policy of --kiosk: every shortcut out, typing in. */
static void
test_lockdown_keys (void)
{
  static const struct { guint keyval; GdkModifierType state; } blocked[] = {
    { GDK_KEY_F4, GDK_ALT_MASK }, { GDK_KEY_q, GDK_CONTROL_MASK }, { GDK_KEY_w, GDK_CONTROL_MASK },
    { GDK_KEY_n, GDK_CONTROL_MASK }, { GDK_KEY_o, GDK_CONTROL_MASK }, { GDK_KEY_p, GDK_CONTROL_MASK },
    { GDK_KEY_s, GDK_CONTROL_MASK }, { GDK_KEY_I, GDK_CONTROL_MASK | GDK_SHIFT_MASK },
    { GDK_KEY_D, GDK_CONTROL_MASK | GDK_SHIFT_MASK }, { GDK_KEY_F1, 0 }, { GDK_KEY_F10, 0 },
    { GDK_KEY_F11, 0 }, { GDK_KEY_F10, GDK_SHIFT_MASK }, { GDK_KEY_Super_L, 0 },
    { GDK_KEY_Menu, 0 }, { GDK_KEY_Print, 0 }, { GDK_KEY_Tab, GDK_ALT_MASK },
    { GDK_KEY_space, GDK_ALT_MASK }, { GDK_KEY_BackSpace, GDK_CONTROL_MASK | GDK_ALT_MASK },
    { GDK_KEY_Delete, GDK_CONTROL_MASK | GDK_ALT_MASK }, { GDK_KEY_Up, GDK_SUPER_MASK },
    { GDK_KEY_c, GDK_CONTROL_MASK }, { GDK_KEY_v, GDK_CONTROL_MASK },
  };
  static const struct { guint keyval; GdkModifierType state; } typing[] = {
    { GDK_KEY_a, 0 }, { GDK_KEY_A, GDK_SHIFT_MASK }, { GDK_KEY_udiaeresis, 0 },
    { GDK_KEY_ssharp, 0 }, { GDK_KEY_5, 0 }, { GDK_KEY_space, 0 }, { GDK_KEY_BackSpace, 0 },
    { GDK_KEY_Return, 0 }, { GDK_KEY_Left, 0 }, { GDK_KEY_Tab, 0 }, { GDK_KEY_Escape, 0 },
    { GDK_KEY_at, 0 /* AltGr+Q on a German keyboard: no Alt in the state */ },
    { GDK_KEY_Control_L, 0 }, { GDK_KEY_Shift_L, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (blocked); i++)
    if (!digithek_key_policy_is_blocked (blocked[i].keyval, blocked[i].state))
      g_error ("%s with state 0x%x passes", gdk_keyval_name (blocked[i].keyval), blocked[i].state);
  for (guint i = 0; i < G_N_ELEMENTS (typing); i++)
    if (digithek_key_policy_is_blocked (typing[i].keyval, typing[i].state))
      g_error ("%s with state 0x%x is blocked", gdk_keyval_name (typing[i].keyval), typing[i].state);
}

/* A close request (the window manager's Close, Alt+F4) leaves a locked window open. */
static void
test_lockdown_close (void)
{
  DigithekWindow *window = g_object_ref_sink (digithek_window_new (NULL));
  gboolean timed_out = FALSE;

  digithek_window_set_kiosk_mode (window, TRUE);
  g_assert_nonnull (digithek_window_get_lockdown (window));
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_close (GTK_WINDOW (window));
  g_timeout_add (300, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_false (gtk_window_get_decorated (GTK_WINDOW (window)));
  g_assert_false (gtk_window_get_deletable (GTK_WINDOW (window)));

  /* Staff leave kiosk mode in the admin view: closable again. */
  digithek_window_set_kiosk_mode (window, FALSE);
  g_assert_null (digithek_window_get_lockdown (window));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Slides move at once, rather than with an animation a headless frame clock may not
   * run through. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/ui/kiosk-session/warning-continue-reset-attract", Fixture, NULL, fixture_set_up,
              test_warning_continue_reset_attract, fixture_tear_down);
  g_test_add ("/ui/kiosk-session/reset-now", Fixture, NULL, fixture_set_up, test_reset_now,
              fixture_tear_down);
  g_test_add ("/ui/kiosk-session/guided-tour", Fixture, NULL, fixture_set_up, test_guided_tour,
              fixture_tear_down);
  g_test_add ("/ui/kiosk-session/guided-tour-pin-pad", Fixture, NULL, fixture_set_up,
              test_guided_tour_pin_pad, fixture_tear_down);
  g_test_add ("/ui/kiosk-session/tour-safety-limit", Fixture, NULL, fixture_set_up,
              test_tour_reset_by_safety_limit, fixture_tear_down);

  g_test_add_func ("/ui/kiosk-session/lockdown-keys", test_lockdown_keys);
  g_test_add_func ("/ui/kiosk-session/lockdown-close", test_lockdown_close);

  return g_test_run ();
}
