/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The time source of the kiosk's state machines (idle session, PIN lockout, admin
 * auto-lock). They never call g_get_monotonic_time() or g_timeout_add() themselves but
 * ask a DigithekClock, so that the kiosk runs them on the real monotonic clock and the
 * main loop, and tests run them on a DigithekFakeClock that only moves when the test
 * says so.
 *
 * Times are monotonic microseconds, as g_get_monotonic_time() counts them. Timers are
 * one-shot and absolute: a state machine computes when its next event is due and asks to
 * be called then, which keeps a countdown free of drift however late a callback runs.
 */

#define DIGITHEK_TYPE_CLOCK (digithek_clock_get_type ())
G_DECLARE_INTERFACE (DigithekClock, digithek_clock, DIGITHEK, CLOCK, GObject)

typedef void (*DigithekClockFunc) (gpointer user_data);

struct _DigithekClockInterface
{
  GTypeInterface parent_iface;

  gint64 (*get_time)     (DigithekClock     *self);
  guint  (*add_deadline) (DigithekClock     *self,
                          gint64             ready_time,
                          DigithekClockFunc  func,
                          gpointer           user_data,
                          GDestroyNotify     notify);
  void   (*remove)       (DigithekClock     *self,
                          guint              id);
};

/* The current monotonic time in microseconds. */
gint64 digithek_clock_get_time     (DigithekClock     *self);

/**
 * digithek_clock_add_deadline:
 * @self: the clock
 * @ready_time: the monotonic time, in microseconds, at which to call @func; a time in
 *   the past means "as soon as possible"
 * @func: called once, at or after @ready_time, never from inside this call
 * @user_data: passed to @func
 * @notify: (nullable): frees @user_data after @func has run or the timer was removed
 *
 * Returns: a timer id, never 0, for digithek_clock_remove()
 */
guint  digithek_clock_add_deadline (DigithekClock     *self,
                                    gint64             ready_time,
                                    DigithekClockFunc  func,
                                    gpointer           user_data,
                                    GDestroyNotify     notify);

/* Cancels a timer that has not run yet; an id of 0, or of a timer that ran, is ignored. */
void   digithek_clock_remove       (DigithekClock     *self,
                                    guint              id);

/* Removes the timer *@id points at, if any, and sets *@id to 0. */
void   digithek_clock_clear        (DigithekClock     *self,
                                    guint             *id);


/* The real clock: g_get_monotonic_time() and sources on a GMainContext. */
#define DIGITHEK_TYPE_SYSTEM_CLOCK (digithek_system_clock_get_type ())
G_DECLARE_FINAL_TYPE (DigithekSystemClock, digithek_system_clock, DIGITHEK, SYSTEM_CLOCK, GObject)

/**
 * digithek_system_clock_new:
 * @context: (nullable): where timers run; %NULL for the thread-default main context
 *   at the time of this call
 *
 * Returns: (transfer full): a clock on g_get_monotonic_time()
 */
DigithekClock *digithek_system_clock_new (GMainContext *context);


/* The test clock: stands still until digithek_fake_clock_advance() moves it. */
#define DIGITHEK_TYPE_FAKE_CLOCK (digithek_fake_clock_get_type ())
G_DECLARE_FINAL_TYPE (DigithekFakeClock, digithek_fake_clock, DIGITHEK, FAKE_CLOCK, GObject)

/* A clock that starts at an arbitrary, positive time (not 0, so no code can mistake
 * "now" for "never"). */
DigithekClock *digithek_fake_clock_new             (void);

/**
 * digithek_fake_clock_advance:
 * @self: the fake clock
 * @usec: how far to move, in microseconds
 *
 * Moves the clock forward, running every timer that falls due on the way in the order
 * of their ready times (ties in the order they were added), with the clock set to each
 * timer's ready time while it runs. Timers that those callbacks add run too if they
 * fall due before the end of the step.
 */
void           digithek_fake_clock_advance         (DigithekFakeClock *self,
                                                    gint64             usec);
/* digithek_fake_clock_advance() in whole seconds. */
void           digithek_fake_clock_advance_seconds (DigithekFakeClock *self,
                                                    guint              seconds);
/* The number of timers waiting, for tests that check nothing is left behind. */
guint          digithek_fake_clock_get_n_pending   (DigithekFakeClock *self);

G_END_DECLS
