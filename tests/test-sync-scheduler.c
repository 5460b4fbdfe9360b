/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "digithek-clock.h"
#include "digithek-sync-scheduler.h"

#define INTERVAL 3600

/* What the scheduler asked for, in order: "run", "scheduled:DELAY". */
typedef struct
{
  GString *log;
  guint    runs;
  guint    last_delay;
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
run_cb (DigithekSyncScheduler *scheduler,
        Recorder              *rec)
{
  g_assert_true (digithek_sync_scheduler_get_running (scheduler));
  rec->runs++;
  record (rec, "run");
}

static void
scheduled_cb (DigithekSyncScheduler *scheduler,
              guint                  delay,
              Recorder              *rec)
{
  g_assert_false (digithek_sync_scheduler_get_running (scheduler));
  rec->last_delay = delay;
  record (rec, "scheduled");
}

static void
recorder_clear (Recorder *rec)
{
  g_string_truncate (rec->log, 0);
  rec->runs = 0;
  rec->last_delay = 0;
}

static DigithekSyncScheduler *
new_scheduler (DigithekClock *clock,
               Recorder      *rec)
{
  DigithekSyncScheduler *scheduler = digithek_sync_scheduler_new (clock, INTERVAL);

  rec->log = g_string_new (NULL);
  g_signal_connect (scheduler, "run", G_CALLBACK (run_cb), rec);
  g_signal_connect (scheduler, "scheduled", G_CALLBACK (scheduled_cb), rec);
  return scheduler;
}

static void
advance (DigithekClock *clock,
         guint          seconds)
{
  digithek_fake_clock_advance_seconds (DIGITHEK_FAKE_CLOCK (clock), seconds);
}

static guint
n_pending (DigithekClock *clock)
{
  return digithek_fake_clock_get_n_pending (DIGITHEK_FAKE_CLOCK (clock));
}

/* A run at start, then one every interval (±10 %) after each success. */
static void
test_interval (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  Recorder rec = { 0 };
  DigithekSyncScheduler *scheduler = new_scheduler (clock, &rec);

  g_assert_cmpuint (n_pending (clock), ==, 0);
  digithek_sync_scheduler_start (scheduler);
  g_assert_cmpstr (rec.log->str, ==, "run");
  g_assert_cmpuint (n_pending (clock), ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      guint delay;

      recorder_clear (&rec);
      digithek_sync_scheduler_finished (scheduler, DIGITHEK_SYNC_OUTCOME_SUCCEEDED);
      g_assert_cmpstr (rec.log->str, ==, "scheduled");
      delay = rec.last_delay;
      g_assert_cmpuint (delay, >=, INTERVAL - INTERVAL / 10);
      g_assert_cmpuint (delay, <=, INTERVAL + INTERVAL / 10);
      g_assert_cmpuint (n_pending (clock), ==, 1);

      advance (clock, delay - 1);
      g_assert_cmpuint (rec.runs, ==, 0);
      advance (clock, 1);
      g_assert_cmpstr (rec.log->str, ==, "scheduled run");
      g_assert_cmpuint (n_pending (clock), ==, 0);
    }
  g_assert_cmpuint (digithek_sync_scheduler_get_failures (scheduler), ==, 0);

  g_string_free (rec.log, TRUE);
  g_assert_finalize_object (scheduler);
}

/* Failures back off from a minute, doubling, capped at an hour; a success resets. */
static void
test_backoff (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  Recorder rec = { 0 };
  DigithekSyncScheduler *scheduler = new_scheduler (clock, &rec);
  const guint expected[] = { 60, 120, 240, 480, 960, 1920, 3600, 3600 };

  digithek_sync_scheduler_start (scheduler);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      recorder_clear (&rec);
      digithek_sync_scheduler_finished (scheduler, DIGITHEK_SYNC_OUTCOME_FAILED);
      g_assert_cmpuint (digithek_sync_scheduler_get_failures (scheduler), ==, i + 1);
      g_assert_cmpuint (rec.last_delay, >=, expected[i] - expected[i] / 10);
      g_assert_cmpuint (rec.last_delay, <=, expected[i] + expected[i] / 10);
      advance (clock, rec.last_delay);
      g_assert_cmpuint (rec.runs, ==, 1);
    }

  recorder_clear (&rec);
  digithek_sync_scheduler_finished (scheduler, DIGITHEK_SYNC_OUTCOME_SUCCEEDED);
  g_assert_cmpuint (digithek_sync_scheduler_get_failures (scheduler), ==, 0);
  g_assert_cmpuint (rec.last_delay, >=, INTERVAL - INTERVAL / 10);

  g_string_free (rec.log, TRUE);
  g_assert_finalize_object (scheduler);
}

/* sync-now: at once when idle (the planned run goes), after the running one otherwise,
 * and never two at once however often it is asked. */
static void
test_request (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  Recorder rec = { 0 };
  DigithekSyncScheduler *scheduler = new_scheduler (clock, &rec);

  digithek_sync_scheduler_start (scheduler);
  digithek_sync_scheduler_finished (scheduler, DIGITHEK_SYNC_OUTCOME_SUCCEEDED);
  g_assert_cmpuint (n_pending (clock), ==, 1);

  recorder_clear (&rec);
  digithek_sync_scheduler_request (scheduler);
  g_assert_cmpstr (rec.log->str, ==, "run");
  g_assert_cmpuint (n_pending (clock), ==, 0);

  digithek_sync_scheduler_request (scheduler);
  digithek_sync_scheduler_request (scheduler);
  g_assert_cmpuint (rec.runs, ==, 1);

  recorder_clear (&rec);
  digithek_sync_scheduler_finished (scheduler, DIGITHEK_SYNC_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (rec.log->str, ==, "run");
  g_assert_cmpuint (n_pending (clock), ==, 0);

  recorder_clear (&rec);
  digithek_sync_scheduler_finished (scheduler, DIGITHEK_SYNC_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (rec.log->str, ==, "scheduled");

  g_string_free (rec.log, TRUE);
  g_assert_finalize_object (scheduler);
  /* The planned run went with the scheduler. */
  g_assert_cmpuint (n_pending (clock), ==, 0);
}

/* The network coming back starts a run; staying up or going down does not. */
static void
test_network (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  Recorder rec = { 0 };
  DigithekSyncScheduler *scheduler = new_scheduler (clock, &rec);

  digithek_sync_scheduler_set_network_available (scheduler, TRUE);
  g_assert_cmpuint (rec.runs, ==, 0);
  digithek_sync_scheduler_start (scheduler);
  digithek_sync_scheduler_finished (scheduler, DIGITHEK_SYNC_OUTCOME_FAILED);

  recorder_clear (&rec);
  digithek_sync_scheduler_set_network_available (scheduler, TRUE);
  digithek_sync_scheduler_set_network_available (scheduler, FALSE);
  digithek_sync_scheduler_set_network_available (scheduler, FALSE);
  g_assert_cmpuint (rec.runs, ==, 0);
  digithek_sync_scheduler_set_network_available (scheduler, TRUE);
  g_assert_cmpstr (rec.log->str, ==, "run");
  g_assert_cmpuint (n_pending (clock), ==, 0);

  g_string_free (rec.log, TRUE);
  g_assert_finalize_object (scheduler);
}

/* Shutting down: a cancelled run plans nothing, and after stop nothing runs. */
static void
test_stop (void)
{
  g_autoptr(DigithekClock) clock = digithek_fake_clock_new ();
  Recorder rec = { 0 };
  DigithekSyncScheduler *scheduler = new_scheduler (clock, &rec);

  digithek_sync_scheduler_start (scheduler);
  digithek_sync_scheduler_request (scheduler);
  digithek_sync_scheduler_stop (scheduler);
  g_assert_true (digithek_sync_scheduler_get_running (scheduler));

  recorder_clear (&rec);
  digithek_sync_scheduler_finished (scheduler, DIGITHEK_SYNC_OUTCOME_CANCELLED);
  g_assert_false (digithek_sync_scheduler_get_running (scheduler));
  g_assert_cmpstr (rec.log->str, ==, "");
  g_assert_cmpuint (n_pending (clock), ==, 0);

  digithek_sync_scheduler_request (scheduler);
  digithek_sync_scheduler_set_network_available (scheduler, FALSE);
  digithek_sync_scheduler_set_network_available (scheduler, TRUE);
  advance (clock, 2 * INTERVAL);
  g_assert_cmpstr (rec.log->str, ==, "");

  g_string_free (rec.log, TRUE);
  g_assert_finalize_object (scheduler);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/sync-scheduler/interval", test_interval);
  g_test_add_func ("/kiosk/sync-scheduler/backoff", test_backoff);
  g_test_add_func ("/kiosk/sync-scheduler/request", test_request);
  g_test_add_func ("/kiosk/sync-scheduler/network", test_network);
  g_test_add_func ("/kiosk/sync-scheduler/stop", test_stop);

  return g_test_run ();
}
