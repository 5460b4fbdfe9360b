/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "digithek-clock.h"

G_BEGIN_DECLS

/*
 * When the running kiosk syncs: at start, every interval after a success, with a backoff
 * after failures (digithek_sync_next_delay()), at once when staff ask (sync-now) or the
 * network comes back, and never two runs at once. It runs nothing itself: it emits
 * #DigithekSyncScheduler::run, its owner starts the sync and reports the end with
 * digithek_sync_scheduler_finished(). Timers run on a #DigithekClock, so tests drive it
 * with a fake one.
 */

typedef enum
{
  DIGITHEK_SYNC_OUTCOME_SUCCEEDED,
  DIGITHEK_SYNC_OUTCOME_FAILED,
  DIGITHEK_SYNC_OUTCOME_CANCELLED, /* the owner shut down: nothing more is planned */
} DigithekSyncOutcome;

#define DIGITHEK_TYPE_SYNC_SCHEDULER (digithek_sync_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (DigithekSyncScheduler, digithek_sync_scheduler, DIGITHEK, SYNC_SCHEDULER,
                      GObject)

/**
 * digithek_sync_scheduler_new:
 * @clock: the time source
 * @interval_seconds: the regular interval between successful runs (the config's)
 *
 * Returns: (transfer full): a scheduler that waits for digithek_sync_scheduler_start()
 */
DigithekSyncScheduler *digithek_sync_scheduler_new (DigithekClock *clock,
                                                    guint          interval_seconds);

/* The first run, at once. */
void     digithek_sync_scheduler_start                 (DigithekSyncScheduler *self);
/* A run at once, or right after the one running now. */
void     digithek_sync_scheduler_request               (DigithekSyncScheduler *self);
/* The network monitor's state; coming back (not available before) requests a run.
 * A new scheduler takes the network as available. */
void     digithek_sync_scheduler_set_network_available (DigithekSyncScheduler *self,
                                                        gboolean               available);
/* The run that ::run asked for has ended; plans the next one unless cancelled. */
void     digithek_sync_scheduler_finished              (DigithekSyncScheduler *self,
                                                        DigithekSyncOutcome    outcome);
/* No run is planned or started from now on; one running still ends with _finished(). */
void     digithek_sync_scheduler_stop                  (DigithekSyncScheduler *self);

/* %TRUE between ::run and digithek_sync_scheduler_finished(). */
gboolean digithek_sync_scheduler_get_running           (DigithekSyncScheduler *self);
/* Failed runs in a row since the last success. */
guint    digithek_sync_scheduler_get_failures          (DigithekSyncScheduler *self);

G_END_DECLS
