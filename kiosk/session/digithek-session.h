/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "digithek-clock.h"

G_BEGIN_DECLS

/*
 * DigithekSession: the idle and privacy state machine of the kiosk. It owns no widget; the
 * application feeds it input (every touch, key and D-Bus action) and acts on its signals
 * (show the "Sind Sie noch da?" overlay, reset everything, show the attract loop).
 *
 *   ──> ACTIVE ─────────── start-tour ───────────> TOUR
 *        │  ^  ^ <──────────── end-tour ─────────────  │  ^
 *        │  │  │                                       │  │
 *        │  │  └ activity,      tour timeout − lead    │  │ activity, continue
 *        │  │    continue   ┌──────────────────────────┘  │ (in a tour)
 *        │  │               v                             │
 *        │  └────────── WARNING ──────────────────────────┘
 *        │ idle timeout    ^  │ "warning", then "countdown" each second
 *        │ − lead          │  │ 0 s left
 *        └─────────────────┘  v
 *                         RESETTING <── reset-now (from ACTIVE, TOUR, WARNING)
 *                             │ "reset", then at once
 *                             v
 *                          ATTRACT ("attract")
 *                             │ touch-attract, activity ──> ACTIVE  ┐ both emit
 *                             │ start-tour ──────────────> TOUR    ┘ "session-started"
 *
 *   event \ state   ACTIVE     TOUR       WARNING            ATTRACT
 *   activity        re-arm     re-arm     → ACTIVE or TOUR    → ACTIVE, session-started
 *   continue        re-arm     re-arm     → ACTIVE or TOUR    → ACTIVE, session-started
 *   start-tour      → TOUR     re-arm     → TOUR              → TOUR, session-started
 *   end-tour        —          → ACTIVE   → ACTIVE (in tour)  —
 *   reset-now       → RESET    → RESET    → RESET             —
 *   timer           → WARNING  → WARNING  countdown; → RESET  —
 *   (RESETTING ignores every input; it passes to ATTRACT as soon as "reset" returns.)
 *
 * In words:
 * - ACTIVE: a citizen uses the kiosk. After idle-timeout seconds without input the
 *   session resets; warning-lead seconds before that it enters WARNING.
 * - WARNING: the overlay with its countdown shows. "warning" is emitted once with the
 *   seconds left, "countdown" each following second (lead − 1 … 1). Any input or the
 *   Continue button returns to ACTIVE (or TOUR) with a fresh timer; at 0 the reset runs.
 * - RESETTING: "reset" is emitted; handlers do the privacy reset synchronously. Input is
 *   ignored in this state so that the reset's own navigation does not count as use.
 *   Then the session moves on to ATTRACT and emits "attract".
 * - ATTRACT: the attract loop shows; no timer runs. A touch (or any input, or a tour
 *   started remotely) starts a fresh session: "session-started", then ACTIVE (or TOUR).
 * - TOUR: a pilot guides a group. The idle reset is suspended: instead of idle-timeout
 *   the much longer tour-timeout (30 minutes) applies, counted like the idle timeout from
 *   the last input, so a tour left running after the pilot walked away still warns and
 *   resets. end-tour returns to ACTIVE with a fresh idle timer.
 * - reset-now (the "reset-session" action) resets from ACTIVE, TOUR or WARNING at once;
 *   in ATTRACT there is nothing to reset and it does nothing.
 */

typedef enum
{
  DIGITHEK_SESSION_STATE_ACTIVE,
  DIGITHEK_SESSION_STATE_WARNING,
  DIGITHEK_SESSION_STATE_RESETTING,
  DIGITHEK_SESSION_STATE_ATTRACT,
  DIGITHEK_SESSION_STATE_TOUR,
} DigithekSessionState;

#define DIGITHEK_TYPE_SESSION_STATE (digithek_session_state_get_type ())
GType digithek_session_state_get_type (void);

/* Defaults, in seconds. */
#define DIGITHEK_SESSION_DEFAULT_IDLE_TIMEOUT 90
#define DIGITHEK_SESSION_DEFAULT_WARNING_LEAD 15
#define DIGITHEK_SESSION_DEFAULT_TOUR_TIMEOUT (30 * 60)

#define DIGITHEK_TYPE_SESSION (digithek_session_get_type ())
G_DECLARE_FINAL_TYPE (DigithekSession, digithek_session, DIGITHEK, SESSION, GObject)

/**
 * digithek_session_new:
 * @clock: the time source (a #DigithekFakeClock in tests)
 * @idle_timeout: seconds without input before the reset; 0 for the default (90)
 *
 * The session starts ACTIVE, its idle timer running from now; it emits no
 * "session-started" for this first session, which the caller counts itself if it wants.
 *
 * Returns: (transfer full): a new session
 */
DigithekSession      *digithek_session_new           (DigithekClock   *clock,
                                                      guint            idle_timeout);

DigithekSessionState  digithek_session_get_state     (DigithekSession *self);
/* Whether a tour is running, also while its WARNING shows. */
gboolean              digithek_session_get_in_tour   (DigithekSession *self);

guint                 digithek_session_get_idle_timeout (DigithekSession *self);
/* Changing it re-arms a running idle timer from the last input. At least 2 seconds. */
void                  digithek_session_set_idle_timeout (DigithekSession *self,
                                                         guint            seconds);
/* The warning shows this many seconds before a reset (default 15), but never for more
 * than half of the timeout, so that a short timeout leaves time to use the kiosk. */
guint                 digithek_session_get_warning_lead (DigithekSession *self);
void                  digithek_session_set_warning_lead (DigithekSession *self,
                                                         guint            seconds);
guint                 digithek_session_get_tour_timeout (DigithekSession *self);
void                  digithek_session_set_tour_timeout (DigithekSession *self,
                                                         guint            seconds);

/* Seconds until the reset while in WARNING (rounded up), otherwise 0. */
guint                 digithek_session_get_seconds_left (DigithekSession *self);

/* Input: a touch, a key, a D-Bus action. Cancels a WARNING; in ATTRACT starts a session. */
void                  digithek_session_activity      (DigithekSession *self);
/* The Continue button of the warning overlay; elsewhere the same as activity. */
void                  digithek_session_continue      (DigithekSession *self);
/* A pilot starts a guided tour: idle reset suspended, tour-timeout applies. */
void                  digithek_session_start_tour    (DigithekSession *self);
/* The tour is over: back to ACTIVE with a fresh idle timer. Outside a tour a no-op. */
void                  digithek_session_end_tour      (DigithekSession *self);
/* The "reset-session" action: reset now, then ATTRACT. No-op in ATTRACT. */
void                  digithek_session_reset_now     (DigithekSession *self);
/* A touch on the attract loop: a fresh session starts (at home, where the reset left
 * the window). */
void                  digithek_session_touch_attract (DigithekSession *self);

/**
 * digithek_session_get_view_name:
 * @self: the session
 *
 * For `--status`: the view the session puts in front of every other, or %NULL when the
 * window's own current view (`home`, `item:PACK/ITEM`, …) is what a citizen sees.
 *
 * Returns: (nullable): `attract` in ATTRACT, `home` in RESETTING (the reset is on its
 *   way there), otherwise %NULL
 */
const char           *digithek_session_get_view_name (DigithekSession *self);

/* A short name of @state for logs and tests: `active`, `warning`, `resetting`,
 * `attract`, `tour`. */
const char           *digithek_session_state_to_string (DigithekSessionState state);

G_END_DECLS
