/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "digithek-clock.h"
#include "digithek-session.h"

/* Every signal and state change of a session, in order, as one line:
 * "warning:15 countdown:14 … reset attract". */
typedef struct
{
  GString *log;
  DigithekSessionState state_during_reset;
  const char *view_during_reset;
} Recorder;

static void
record (Recorder   *rec,
        const char *event)
{
  if (rec->log->len > 0)
    g_string_append_c (rec->log, ' ');
  g_string_append (rec->log, event);
}

static void
warning_cb (DigithekSession *session,
            guint            seconds,
            Recorder        *rec)
{
  g_autofree char *event = g_strdup_printf ("warning:%u", seconds);

  g_assert_cmpint (digithek_session_get_state (session), ==, DIGITHEK_SESSION_STATE_WARNING);
  g_assert_cmpuint (digithek_session_get_seconds_left (session), ==, seconds);
  record (rec, event);
}

static void
countdown_cb (DigithekSession *session,
              guint            seconds,
              Recorder        *rec)
{
  g_autofree char *event = g_strdup_printf ("countdown:%u", seconds);

  g_assert_cmpuint (digithek_session_get_seconds_left (session), ==, seconds);
  record (rec, event);
}

static void
reset_cb (DigithekSession *session,
          Recorder        *rec)
{
  rec->state_during_reset = digithek_session_get_state (session);
  rec->view_during_reset = digithek_session_get_view_name (session);
  /* The reset's own navigation must not count as a citizen's input. */
  digithek_session_activity (session);
  digithek_session_touch_attract (session);
  g_assert_cmpint (digithek_session_get_state (session), ==, DIGITHEK_SESSION_STATE_RESETTING);
  record (rec, "reset");
}

static void
attract_cb (DigithekSession *session,
            Recorder        *rec)
{
  record (rec, "attract");
}

static void
started_cb (DigithekSession *session,
            Recorder        *rec)
{
  record (rec, "started");
}

static void
fixture_connect (DigithekSession *session,
                 Recorder        *rec)
{
  rec->log = g_string_new (NULL);
  rec->state_during_reset = DIGITHEK_SESSION_STATE_ACTIVE;
  g_signal_connect (session, "warning", G_CALLBACK (warning_cb), rec);
  g_signal_connect (session, "countdown", G_CALLBACK (countdown_cb), rec);
  g_signal_connect (session, "reset", G_CALLBACK (reset_cb), rec);
  g_signal_connect (session, "attract", G_CALLBACK (attract_cb), rec);
  g_signal_connect (session, "session-started", G_CALLBACK (started_cb), rec);
}

/* Returns the log so far and starts a new one. */
static char *
take_log (Recorder *rec)
{
  char *text = g_strdup (rec->log->str);

  g_string_truncate (rec->log, 0);
  return text;
}

#define assert_log(rec, expected) \
  G_STMT_START { \
    g_autofree char *_log = take_log (rec); \
    g_assert_cmpstr (_log, ==, expected); \
  } G_STMT_END

#define assert_state(session, expected) \
  g_assert_cmpstr (digithek_session_state_to_string (digithek_session_get_state (session)), \
                   ==, digithek_session_state_to_string (expected))

#define advance(clock, seconds) \
  digithek_fake_clock_advance_seconds (DIGITHEK_FAKE_CLOCK (clock), seconds)

static const char COUNTDOWN_FROM_14[] =
  "countdown:14 countdown:13 countdown:12 countdown:11 countdown:10 countdown:9 "
  "countdown:8 countdown:7 countdown:6 countdown:5 countdown:4 countdown:3 countdown:2 "
  "countdown:1";

/* --- the clocks ---------------------------------------------------------------------- */

static void
append_cb (gpointer user_data)
{
  GString *log = user_data;

  g_string_append_c (log, 'x');
}

typedef struct
{
  DigithekClock *clock;
  GString       *log;
  const char    *name;
} Step;

static void
step_cb (gpointer user_data)
{
  Step *step = user_data;

  g_string_append_printf (step->log, "%s@%" G_GINT64_FORMAT " ", step->name,
                          digithek_clock_get_time (step->clock) / G_USEC_PER_SEC);
}

static void
test_clock_fake (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  gint64 t0 = digithek_clock_get_time (clock);
  Step a = { clock, log, "a" }, b = { clock, log, "b" }, c = { clock, log, "c" };
  guint id;

  g_assert_cmpint (t0, >, 0);
  /* Run in due order, ties in the order added, each at its own time. */
  digithek_clock_add_deadline (clock, t0 + 3 * G_USEC_PER_SEC, step_cb, &a, NULL);
  digithek_clock_add_deadline (clock, t0 + 1 * G_USEC_PER_SEC, step_cb, &b, NULL);
  digithek_clock_add_deadline (clock, t0 + 1 * G_USEC_PER_SEC, step_cb, &c, NULL);
  id = digithek_clock_add_deadline (clock, t0 + 2 * G_USEC_PER_SEC, append_cb, log, NULL);
  g_assert_cmpuint (id, !=, 0);
  digithek_clock_remove (clock, id);
  g_assert_cmpuint (digithek_fake_clock_get_n_pending (DIGITHEK_FAKE_CLOCK (clock)), ==, 3);

  advance (clock, 2);
  g_assert_cmpstr (log->str, ==, "b@86401 c@86401 ");
  g_assert_cmpint (digithek_clock_get_time (clock), ==, t0 + 2 * G_USEC_PER_SEC);
  advance (clock, 5);
  g_assert_cmpstr (log->str, ==, "b@86401 c@86401 a@86403 ");
  g_assert_cmpuint (digithek_fake_clock_get_n_pending (DIGITHEK_FAKE_CLOCK (clock)), ==, 0);
  /* Removing a timer that already ran, or id 0, is harmless. */
  digithek_clock_remove (clock, id);
  digithek_clock_remove (clock, 0);
}

static void
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
}

static void
test_clock_system (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(DigithekClock) clock = digithek_system_clock_new (NULL);
  g_autoptr(GString) log = g_string_new (NULL);
  gint64 start = digithek_clock_get_time (clock);
  guint removed;

  removed = digithek_clock_add_deadline (clock, start + 10 * 1000, append_cb, log, NULL);
  digithek_clock_add_deadline (clock, start + 50 * 1000, quit_cb, loop, NULL);
  digithek_clock_remove (clock, removed);
  g_main_loop_run (loop);
  /* Never early: the deadline is absolute monotonic time. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50 * 1000);
  g_assert_cmpstr (log->str, ==, "");

  /* A clock that goes away takes its pending timers with it. */
  digithek_clock_add_deadline (clock, start, append_cb, log, NULL);
  g_clear_object (&clock);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (log->str, ==, "");
}

/* --- the session --------------------------------------------------------------------- */

static void
test_session_idle_reset (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekSession) session = digithek_session_new (clock, 0);
  g_autofree char *expected = g_strconcat ("warning:15 ", COUNTDOWN_FROM_14, NULL);
  Recorder rec;

  fixture_connect (session, &rec);
  g_assert_cmpuint (digithek_session_get_idle_timeout (session), ==, 90);
  assert_state (session, DIGITHEK_SESSION_STATE_ACTIVE);
  g_assert_null (digithek_session_get_view_name (session));

  /* Quiet until 15 s before the timeout… */
  advance (clock, 74);
  assert_log (&rec, "");
  assert_state (session, DIGITHEK_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (digithek_session_get_seconds_left (session), ==, 0);

  /* …then the warning and a countdown each second… */
  advance (clock, 1);
  assert_state (session, DIGITHEK_SESSION_STATE_WARNING);
  assert_log (&rec, "warning:15");
  advance (clock, 14);
  assert_log (&rec, COUNTDOWN_FROM_14);
  assert_state (session, DIGITHEK_SESSION_STATE_WARNING);
  g_assert_cmpuint (digithek_session_get_seconds_left (session), ==, 1);

  /* …and at the timeout the reset, then the attract loop. */
  advance (clock, 1);
  assert_log (&rec, "reset attract");
  g_assert_cmpint (rec.state_during_reset, ==, DIGITHEK_SESSION_STATE_RESETTING);
  g_assert_cmpstr (rec.view_during_reset, ==, "home");
  assert_state (session, DIGITHEK_SESSION_STATE_ATTRACT);
  g_assert_cmpstr (digithek_session_get_view_name (session), ==, "attract");

  /* Nothing runs in the attract loop, however long it shows. */
  g_assert_cmpuint (digithek_fake_clock_get_n_pending (DIGITHEK_FAKE_CLOCK (clock)), ==, 0);
  advance (clock, 3600);
  assert_log (&rec, "");

  /* One big step of the clock tells every second all the same. */
  digithek_session_touch_attract (session);
  assert_log (&rec, "started");
  advance (clock, 200);
  {
    g_autofree char *all = g_strconcat (expected, " reset attract", NULL);
    assert_log (&rec, all);
  }
  g_string_free (rec.log, TRUE);
}

static void
test_session_activity (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekSession) session = digithek_session_new (clock, 90);
  Recorder rec;

  fixture_connect (session, &rec);

  /* Input while ACTIVE pushes the warning back. */
  advance (clock, 60);
  digithek_session_activity (session);
  advance (clock, 74);
  assert_log (&rec, "");
  advance (clock, 1);
  assert_log (&rec, "warning:15");

  /* Input during the warning cancels it, and the timer starts over from that input. */
  advance (clock, 5);
  assert_log (&rec, "countdown:14 countdown:13 countdown:12 countdown:11 countdown:10");
  digithek_session_activity (session);
  assert_state (session, DIGITHEK_SESSION_STATE_ACTIVE);
  advance (clock, 74);
  assert_log (&rec, "");
  assert_state (session, DIGITHEK_SESSION_STATE_ACTIVE);
  advance (clock, 1);
  assert_log (&rec, "warning:15");

  /* So does the Continue button. */
  advance (clock, 14);
  digithek_session_continue (session);
  assert_state (session, DIGITHEK_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (digithek_session_get_seconds_left (session), ==, 0);
  g_string_truncate (rec.log, 0);
  advance (clock, 75);
  assert_log (&rec, "warning:15");
  g_string_free (rec.log, TRUE);
}

static void
test_session_attract (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekSession) session = digithek_session_new (clock, 30);
  g_autoptr(GString) expected = g_string_new (NULL);
  Recorder rec;

  fixture_connect (session, &rec);
  advance (clock, 30);
  g_string_printf (expected, "warning:15 %s reset attract", COUNTDOWN_FROM_14);
  assert_log (&rec, expected->str);

  /* A touch in the attract loop starts a fresh session, with a fresh timer. */
  advance (clock, 10);
  digithek_session_touch_attract (session);
  assert_log (&rec, "started");
  assert_state (session, DIGITHEK_SESSION_STATE_ACTIVE);
  g_assert_null (digithek_session_get_view_name (session));
  advance (clock, 14);
  assert_log (&rec, "");
  advance (clock, 1);
  assert_log (&rec, "warning:15");

  /* Any input in the attract loop (a D-Bus action, say) does the same. */
  digithek_session_reset_now (session);
  assert_log (&rec, "reset attract");
  digithek_session_activity (session);
  assert_log (&rec, "started");
  assert_state (session, DIGITHEK_SESSION_STATE_ACTIVE);
  g_string_free (rec.log, TRUE);
}

static void
test_session_reset_now (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekSession) session = digithek_session_new (clock, 90);
  Recorder rec;

  fixture_connect (session, &rec);

  /* From ACTIVE… */
  advance (clock, 5);
  digithek_session_reset_now (session);
  assert_log (&rec, "reset attract");
  assert_state (session, DIGITHEK_SESSION_STATE_ATTRACT);

  /* …not again in the attract loop: there is nothing left to reset… */
  digithek_session_reset_now (session);
  assert_log (&rec, "");

  /* …from WARNING… */
  digithek_session_touch_attract (session);
  advance (clock, 80);
  assert_state (session, DIGITHEK_SESSION_STATE_WARNING);
  digithek_session_reset_now (session);
  g_assert_cmpuint (digithek_session_get_seconds_left (session), ==, 0);
  assert_state (session, DIGITHEK_SESSION_STATE_ATTRACT);
  g_string_truncate (rec.log, 0);

  /* …and from a tour, which it ends. */
  digithek_session_touch_attract (session);
  digithek_session_start_tour (session);
  g_assert_true (digithek_session_get_in_tour (session));
  digithek_session_reset_now (session);
  g_assert_false (digithek_session_get_in_tour (session));
  assert_log (&rec, "started reset attract");
  g_assert_cmpuint (digithek_fake_clock_get_n_pending (DIGITHEK_FAKE_CLOCK (clock)), ==, 0);
  g_string_free (rec.log, TRUE);
}

static void
test_session_tour (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekSession) session = digithek_session_new (clock, 90);
  Recorder rec;

  fixture_connect (session, &rec);

  /* A tour suspends the idle reset: a pilot talks for minutes without a touch. */
  advance (clock, 10);
  digithek_session_start_tour (session);
  assert_state (session, DIGITHEK_SESSION_STATE_TOUR);
  g_assert_true (digithek_session_get_in_tour (session));
  advance (clock, 20 * 60);
  assert_log (&rec, "");
  assert_state (session, DIGITHEK_SESSION_STATE_TOUR);

  /* "Next" is input: the 30-minute limit counts from it. */
  digithek_session_activity (session);
  advance (clock, 30 * 60 - 16);
  assert_log (&rec, "");
  advance (clock, 1);
  assert_log (&rec, "warning:15");
  assert_state (session, DIGITHEK_SESSION_STATE_WARNING);
  g_assert_true (digithek_session_get_in_tour (session));

  /* The pilot is still there: Continue goes back to the tour. */
  digithek_session_continue (session);
  assert_state (session, DIGITHEK_SESSION_STATE_TOUR);

  /* A tour left running after the pilot walked away resets after all. */
  advance (clock, 30 * 60);
  {
    g_autofree char *expected = g_strconcat ("warning:15 ", COUNTDOWN_FROM_14,
                                             " reset attract", NULL);
    assert_log (&rec, expected);
  }
  g_assert_false (digithek_session_get_in_tour (session));
  assert_state (session, DIGITHEK_SESSION_STATE_ATTRACT);

  /* A tour started from the attract loop (remotely) starts a session. */
  digithek_session_start_tour (session);
  assert_log (&rec, "started");
  assert_state (session, DIGITHEK_SESSION_STATE_TOUR);

  /* Ending the tour brings back the ordinary idle timer, counted from the end. */
  advance (clock, 10 * 60);
  digithek_session_end_tour (session);
  assert_state (session, DIGITHEK_SESSION_STATE_ACTIVE);
  g_assert_false (digithek_session_get_in_tour (session));
  advance (clock, 74);
  assert_log (&rec, "");
  advance (clock, 1);
  assert_log (&rec, "warning:15");

  /* Ending no tour changes nothing. */
  digithek_session_end_tour (session);
  assert_state (session, DIGITHEK_SESSION_STATE_WARNING);
  g_string_free (rec.log, TRUE);
}

static void
notify_state_cb (DigithekSession *session,
                 GParamSpec      *pspec,
                 GString         *states)
{
  g_string_append_printf (states, "%s ",
                          digithek_session_state_to_string (digithek_session_get_state (session)));
}

static void
test_session_notify (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekSession) session = digithek_session_new (clock, 90);
  g_autoptr(GString) states = g_string_new (NULL);
  DigithekSessionState state;

  g_signal_connect (session, "notify::state", G_CALLBACK (notify_state_cb), states);
  advance (clock, 90);
  digithek_session_touch_attract (session);
  digithek_session_start_tour (session);
  digithek_session_activity (session);     /* no change: no notification */
  digithek_session_end_tour (session);
  g_assert_cmpstr (states->str, ==, "warning resetting attract active tour active ");

  g_object_get (session, "state", &state, NULL);
  g_assert_cmpint (state, ==, DIGITHEK_SESSION_STATE_ACTIVE);
}

static void
test_session_config (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekSession) session = digithek_session_new (clock, 300);
  Recorder rec;

  fixture_connect (session, &rec);

  /* A shorter timeout takes effect at once, counted from the last input. */
  advance (clock, 60);
  digithek_session_set_idle_timeout (session, 90);
  advance (clock, 14);
  assert_log (&rec, "");
  advance (clock, 1);
  assert_log (&rec, "warning:15");
  digithek_session_continue (session);

  /* A short timeout keeps half of it for use: 10 s means 5 s, then a 5 s warning. */
  g_object_set (session, "idle-timeout", 10, NULL);
  advance (clock, 4);
  assert_log (&rec, "");
  advance (clock, 1);
  assert_log (&rec, "warning:5");
  advance (clock, 5);
  assert_log (&rec, "countdown:4 countdown:3 countdown:2 countdown:1 reset attract");

  /* No warning at all. */
  digithek_session_touch_attract (session);
  digithek_session_set_warning_lead (session, 0);
  g_string_truncate (rec.log, 0);
  advance (clock, 10);
  assert_log (&rec, "reset attract");

  digithek_session_set_tour_timeout (session, 60);
  g_assert_cmpuint (digithek_session_get_tour_timeout (session), ==, 60);
  g_assert_cmpuint (digithek_session_get_warning_lead (session), ==, 0);
  g_string_free (rec.log, TRUE);
}

static void
continue_on_warning_cb (DigithekSession *session,
                        guint            seconds,
                        gpointer         user_data)
{
  digithek_session_continue (session);
}

static void
test_session_reentrant (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  g_autoptr(DigithekSession) session = digithek_session_new (clock, 90);
  Recorder rec;

  /* A handler that answers the warning at once (as a remote test might). */
  fixture_connect (session, &rec);
  g_signal_connect (session, "warning", G_CALLBACK (continue_on_warning_cb), NULL);
  advance (clock, 75);
  assert_log (&rec, "warning:15");
  assert_state (session, DIGITHEK_SESSION_STATE_ACTIVE);
  advance (clock, 74);
  assert_log (&rec, "");
  advance (clock, 1);
  assert_log (&rec, "warning:15");
  g_string_free (rec.log, TRUE);
}

static void
finalize_on_reset_cb (DigithekSession *session,
                      gpointer         user_data)
{
  g_object_unref (session);
}

static void
test_session_unref_in_handler (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  DigithekSession *session = digithek_session_new (clock, 10);

  /* The owner may drop the session from a handler, as an application shutting down. */
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  g_signal_connect (session, "reset", G_CALLBACK (finalize_on_reset_cb), NULL);
  advance (clock, 10);
  g_assert_null (session);
  g_assert_cmpuint (digithek_fake_clock_get_n_pending (DIGITHEK_FAKE_CLOCK (clock)), ==, 0);
}

static void
quit_on_attract_cb (DigithekSession *session,
                    GMainLoop       *loop)
{
  g_main_loop_quit (loop);
}

static gboolean
give_up_cb (gpointer user_data)
{
  g_error ("The session did not reset on the real clock");
  return G_SOURCE_REMOVE;
}

/* The same machine on the real clock and main loop: 2 s timeout, 1 s warning. */
static void
test_session_system_clock (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(DigithekSession) session = digithek_session_new (NULL, 2);
  gint64 start = g_get_monotonic_time ();
  Recorder rec;
  guint give_up;

  fixture_connect (session, &rec);
  g_signal_connect (session, "attract", G_CALLBACK (quit_on_attract_cb), loop);
  give_up = g_timeout_add_seconds (20, give_up_cb, NULL);
  g_main_loop_run (loop);
  g_source_remove (give_up);

  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
  assert_log (&rec, "warning:1 reset attract");
  g_string_free (rec.log, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/clock/fake", test_clock_fake);
  g_test_add_func ("/kiosk/clock/system", test_clock_system);
  g_test_add_func ("/kiosk/session/idle-reset", test_session_idle_reset);
  g_test_add_func ("/kiosk/session/activity", test_session_activity);
  g_test_add_func ("/kiosk/session/attract", test_session_attract);
  g_test_add_func ("/kiosk/session/reset-now", test_session_reset_now);
  g_test_add_func ("/kiosk/session/tour", test_session_tour);
  g_test_add_func ("/kiosk/session/notify", test_session_notify);
  g_test_add_func ("/kiosk/session/config", test_session_config);
  g_test_add_func ("/kiosk/session/reentrant", test_session_reentrant);
  g_test_add_func ("/kiosk/session/unref-in-handler", test_session_unref_in_handler);
  g_test_add_func ("/kiosk/session/system-clock", test_session_system_clock);

  return g_test_run ();
}
