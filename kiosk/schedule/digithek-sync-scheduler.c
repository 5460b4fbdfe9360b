/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-sync.h"
#include "digithek-sync-scheduler.h"

struct _DigithekSyncScheduler
{
  GObject parent_instance;

  /* owned */
  DigithekClock *clock;
  guint          interval;          /* seconds */
  guint          timer_id;
  guint          failures;
  gboolean       running;
  gboolean       requested;         /* a request during a run: another one after it */
  gboolean       network_available;
  gboolean       stopped;
};

G_DEFINE_FINAL_TYPE (DigithekSyncScheduler, digithek_sync_scheduler, G_TYPE_OBJECT)

enum {
  SIGNAL_RUN,
  SIGNAL_SCHEDULED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
run_now (DigithekSyncScheduler *self)
{
  digithek_clock_clear (self->clock, &self->timer_id);
  self->requested = FALSE;
  if (self->stopped)
    return;
  /* Never two at once: a request during a run starts another one after it. */
  if (self->running)
    {
      self->requested = TRUE;
      return;
    }
  self->running = TRUE;
  g_signal_emit (self, signals[SIGNAL_RUN], 0);
}

static void
timer_cb (gpointer user_data)
{
  DigithekSyncScheduler *self = user_data;

  self->timer_id = 0;
  run_now (self);
}

static void
schedule (DigithekSyncScheduler *self)
{
  guint delay = digithek_sync_next_delay (self->interval, self->failures, g_random_int ());

  digithek_clock_clear (self->clock, &self->timer_id);
  self->timer_id = digithek_clock_add_deadline (self->clock,
                                                digithek_clock_get_time (self->clock) +
                                                (gint64) delay * G_USEC_PER_SEC,
                                                timer_cb, self, NULL);
  g_signal_emit (self, signals[SIGNAL_SCHEDULED], 0, delay);
}

void
digithek_sync_scheduler_start (DigithekSyncScheduler *self)
{
  g_return_if_fail (DIGITHEK_IS_SYNC_SCHEDULER (self));

  run_now (self);
}

void
digithek_sync_scheduler_request (DigithekSyncScheduler *self)
{
  g_return_if_fail (DIGITHEK_IS_SYNC_SCHEDULER (self));

  run_now (self);
}

void
digithek_sync_scheduler_set_network_available (DigithekSyncScheduler *self,
                                               gboolean               available)
{
  g_return_if_fail (DIGITHEK_IS_SYNC_SCHEDULER (self));

  /* The network came back: content may be waiting. */
  if (available && !self->network_available)
    run_now (self);
  self->network_available = available;
}

void
digithek_sync_scheduler_finished (DigithekSyncScheduler *self,
                                  DigithekSyncOutcome    outcome)
{
  g_return_if_fail (DIGITHEK_IS_SYNC_SCHEDULER (self));
  g_return_if_fail (self->running);

  self->running = FALSE;
  switch (outcome)
    {
    case DIGITHEK_SYNC_OUTCOME_CANCELLED:
      return;
    case DIGITHEK_SYNC_OUTCOME_FAILED:
      self->failures++;
      break;
    case DIGITHEK_SYNC_OUTCOME_SUCCEEDED:
    default:
      self->failures = 0;
      break;
    }

  if (self->stopped)
    return;
  if (self->requested)
    run_now (self);
  else
    schedule (self);
}

void
digithek_sync_scheduler_stop (DigithekSyncScheduler *self)
{
  g_return_if_fail (DIGITHEK_IS_SYNC_SCHEDULER (self));

  self->stopped = TRUE;
  self->requested = FALSE;
  digithek_clock_clear (self->clock, &self->timer_id);
}

gboolean
digithek_sync_scheduler_get_running (DigithekSyncScheduler *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SYNC_SCHEDULER (self), FALSE);

  return self->running;
}

guint
digithek_sync_scheduler_get_failures (DigithekSyncScheduler *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SYNC_SCHEDULER (self), 0);

  return self->failures;
}

static void
digithek_sync_scheduler_dispose (GObject *object)
{
  DigithekSyncScheduler *self = DIGITHEK_SYNC_SCHEDULER (object);

  if (self->clock != NULL)
    digithek_clock_clear (self->clock, &self->timer_id);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (digithek_sync_scheduler_parent_class)->dispose (object);
}

static void
digithek_sync_scheduler_class_init (DigithekSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = digithek_sync_scheduler_dispose;

  /**
   * DigithekSyncScheduler::run:
   *
   * Start a sync now; call digithek_sync_scheduler_finished() when it has ended.
   */
  signals[SIGNAL_RUN] =
    g_signal_new ("run", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DigithekSyncScheduler::scheduled:
   * @delay: seconds until the next run
   *
   * The next run is planned (the admin view and `--status` show when).
   */
  signals[SIGNAL_SCHEDULED] =
    g_signal_new ("scheduled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
digithek_sync_scheduler_init (DigithekSyncScheduler *self)
{
  self->network_available = TRUE;
}

DigithekSyncScheduler *
digithek_sync_scheduler_new (DigithekClock *clock,
                             guint          interval_seconds)
{
  DigithekSyncScheduler *self;

  g_return_val_if_fail (DIGITHEK_IS_CLOCK (clock), NULL);

  self = g_object_new (DIGITHEK_TYPE_SYNC_SCHEDULER, NULL);
  self->clock = g_object_ref (clock);
  self->interval = interval_seconds;
  return self;
}
