/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-clock.h"

G_DEFINE_INTERFACE (DigithekClock, digithek_clock, G_TYPE_OBJECT)

static void
digithek_clock_default_init (DigithekClockInterface *iface)
{
}

gint64
digithek_clock_get_time (DigithekClock *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CLOCK (self), 0);

  return DIGITHEK_CLOCK_GET_IFACE (self)->get_time (self);
}

guint
digithek_clock_add_deadline (DigithekClock     *self,
                             gint64             ready_time,
                             DigithekClockFunc  func,
                             gpointer           user_data,
                             GDestroyNotify     notify)
{
  g_return_val_if_fail (DIGITHEK_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  return DIGITHEK_CLOCK_GET_IFACE (self)->add_deadline (self, ready_time, func,
                                                        user_data, notify);
}

void
digithek_clock_remove (DigithekClock *self,
                       guint          id)
{
  g_return_if_fail (DIGITHEK_IS_CLOCK (self));

  if (id != 0)
    DIGITHEK_CLOCK_GET_IFACE (self)->remove (self, id);
}

void
digithek_clock_clear (DigithekClock *self,
                      guint         *id)
{
  g_return_if_fail (id != NULL);

  if (*id != 0)
    digithek_clock_remove (self, *id);
  *id = 0;
}

/* One pending timer, shared by both clocks. */
typedef struct
{
  guint              id;
  gint64             ready_time;
  guint64            seq;        /* fake clock: keeps ties in the order they were added */
  DigithekClockFunc  func;
  gpointer           user_data;
  GDestroyNotify     notify;
} Timer;

static void
timer_free (Timer *timer)
{
  if (timer->notify != NULL)
    timer->notify (timer->user_data);
  g_free (timer);
}

static Timer *
timer_new (guint              id,
           gint64             ready_time,
           DigithekClockFunc  func,
           gpointer           user_data,
           GDestroyNotify     notify)
{
  Timer *timer = g_new0 (Timer, 1);

  timer->id = id;
  timer->ready_time = ready_time;
  timer->func = func;
  timer->user_data = user_data;
  timer->notify = notify;
  return timer;
}

static guint
next_id (guint *counter)
{
  if (++*counter == 0)
    ++*counter;
  return *counter;
}

/* ------------------------------------------------------------------------------------ */

struct _DigithekSystemClock
{
  GObject parent_instance;

  /* owned */
  GMainContext *context;
  GHashTable   *sources;   /* id → GSource */
  guint         last_id;
};

static void digithek_system_clock_iface_init (DigithekClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DigithekSystemClock, digithek_system_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DIGITHEK_TYPE_CLOCK,
                                                      digithek_system_clock_iface_init))

typedef struct
{
  DigithekSystemClock *clock;  /* borrowed: the clock destroys its sources in dispose */
  Timer               *timer;
} SystemTimer;

static void
system_timer_free (gpointer data)
{
  SystemTimer *st = data;

  timer_free (st->timer);
  g_free (st);
}

static gboolean
deadline_source_dispatch (GSource     *source,
                          GSourceFunc  callback,
                          gpointer     user_data)
{
  return callback (user_data);
}

/* A source with nothing but a ready time: GLib wakes the loop for it at that monotonic
 * time with microsecond precision, unlike g_timeout_source_new()'s relative milliseconds. */
static GSourceFuncs deadline_source_funcs = {
  NULL, NULL, deadline_source_dispatch, NULL, NULL, NULL,
};

static gboolean
system_timer_cb (gpointer data)
{
  SystemTimer *st = data;
  gpointer source = NULL;

  /* Forget the source first, so the callback may add or remove timers freely; the main
   * context keeps its own reference until this returns G_SOURCE_REMOVE, and only then
   * frees @st. */
  if (g_hash_table_steal_extended (st->clock->sources, GUINT_TO_POINTER (st->timer->id),
                                   NULL, &source))
    g_source_unref (source);
  st->timer->func (st->timer->user_data);
  return G_SOURCE_REMOVE;
}

static gint64
digithek_system_clock_get_time (DigithekClock *clock)
{
  return g_get_monotonic_time ();
}

static guint
digithek_system_clock_add_deadline (DigithekClock     *clock,
                                    gint64             ready_time,
                                    DigithekClockFunc  func,
                                    gpointer           user_data,
                                    GDestroyNotify     notify)
{
  DigithekSystemClock *self = DIGITHEK_SYSTEM_CLOCK (clock);
  guint id = next_id (&self->last_id);
  SystemTimer *st = g_new0 (SystemTimer, 1);
  GSource *source = g_source_new (&deadline_source_funcs, sizeof (GSource));

  st->clock = self;
  st->timer = timer_new (id, ready_time, func, user_data, notify);
  g_source_set_name (source, "[digithek] clock deadline");
  g_source_set_ready_time (source, MAX (ready_time, 0));
  g_source_set_callback (source, system_timer_cb, st, system_timer_free);
  g_source_attach (source, self->context);
  /* The table keeps the reference g_source_new() gave us. */
  g_hash_table_insert (self->sources, GUINT_TO_POINTER (id), source);
  return id;
}

static void
digithek_system_clock_remove (DigithekClock *clock,
                              guint          id)
{
  DigithekSystemClock *self = DIGITHEK_SYSTEM_CLOCK (clock);
  GSource *source = g_hash_table_lookup (self->sources, GUINT_TO_POINTER (id));

  if (source == NULL)
    return;
  g_source_destroy (source);
  g_hash_table_remove (self->sources, GUINT_TO_POINTER (id));
}

static void
digithek_system_clock_iface_init (DigithekClockInterface *iface)
{
  iface->get_time = digithek_system_clock_get_time;
  iface->add_deadline = digithek_system_clock_add_deadline;
  iface->remove = digithek_system_clock_remove;
}

static void
destroy_source (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

static void
digithek_system_clock_dispose (GObject *object)
{
  DigithekSystemClock *self = DIGITHEK_SYSTEM_CLOCK (object);

  /* No callback may run on a clock that is gone. */
  g_hash_table_remove_all (self->sources);

  G_OBJECT_CLASS (digithek_system_clock_parent_class)->dispose (object);
}

static void
digithek_system_clock_finalize (GObject *object)
{
  DigithekSystemClock *self = DIGITHEK_SYSTEM_CLOCK (object);

  g_clear_pointer (&self->sources, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (digithek_system_clock_parent_class)->finalize (object);
}

static void
digithek_system_clock_class_init (DigithekSystemClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = digithek_system_clock_dispose;
  object_class->finalize = digithek_system_clock_finalize;
}

static void
digithek_system_clock_init (DigithekSystemClock *self)
{
  self->sources = g_hash_table_new_full (NULL, NULL, NULL, destroy_source);
}

DigithekClock *
digithek_system_clock_new (GMainContext *context)
{
  DigithekSystemClock *self = g_object_new (DIGITHEK_TYPE_SYSTEM_CLOCK, NULL);

  self->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  return DIGITHEK_CLOCK (self);
}

/* ------------------------------------------------------------------------------------ */

struct _DigithekFakeClock
{
  GObject parent_instance;

  /* owned */
  GPtrArray *timers;    /* Timer, unsorted: tests keep only a handful */
  gint64     now;
  guint      last_id;
  guint64    last_seq;
};

static void digithek_fake_clock_iface_init (DigithekClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DigithekFakeClock, digithek_fake_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DIGITHEK_TYPE_CLOCK,
                                                      digithek_fake_clock_iface_init))

static gint64
digithek_fake_clock_get_time (DigithekClock *clock)
{
  return DIGITHEK_FAKE_CLOCK (clock)->now;
}

static guint
digithek_fake_clock_add_deadline (DigithekClock     *clock,
                                  gint64             ready_time,
                                  DigithekClockFunc  func,
                                  gpointer           user_data,
                                  GDestroyNotify     notify)
{
  DigithekFakeClock *self = DIGITHEK_FAKE_CLOCK (clock);
  Timer *timer = timer_new (next_id (&self->last_id), ready_time, func, user_data, notify);

  timer->seq = ++self->last_seq;
  g_ptr_array_add (self->timers, timer);
  return timer->id;
}

static void
digithek_fake_clock_remove (DigithekClock *clock,
                            guint          id)
{
  DigithekFakeClock *self = DIGITHEK_FAKE_CLOCK (clock);

  for (guint i = 0; i < self->timers->len; i++)
    {
      Timer *timer = g_ptr_array_index (self->timers, i);

      if (timer->id == id)
        {
          g_ptr_array_remove_index (self->timers, i);
          return;
        }
    }
}

static void
digithek_fake_clock_iface_init (DigithekClockInterface *iface)
{
  iface->get_time = digithek_fake_clock_get_time;
  iface->add_deadline = digithek_fake_clock_add_deadline;
  iface->remove = digithek_fake_clock_remove;
}

static void
digithek_fake_clock_dispose (GObject *object)
{
  DigithekFakeClock *self = DIGITHEK_FAKE_CLOCK (object);

  g_ptr_array_set_size (self->timers, 0);

  G_OBJECT_CLASS (digithek_fake_clock_parent_class)->dispose (object);
}

static void
digithek_fake_clock_finalize (GObject *object)
{
  DigithekFakeClock *self = DIGITHEK_FAKE_CLOCK (object);

  g_clear_pointer (&self->timers, g_ptr_array_unref);

  G_OBJECT_CLASS (digithek_fake_clock_parent_class)->finalize (object);
}

static void
digithek_fake_clock_class_init (DigithekFakeClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = digithek_fake_clock_dispose;
  object_class->finalize = digithek_fake_clock_finalize;
}

static void
digithek_fake_clock_init (DigithekFakeClock *self)
{
  self->timers = g_ptr_array_new_with_free_func ((GDestroyNotify) timer_free);
  /* An arbitrary day's worth of microseconds. */
  self->now = G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;
}

DigithekClock *
digithek_fake_clock_new (void)
{
  return g_object_new (DIGITHEK_TYPE_FAKE_CLOCK, NULL);
}

/* The index of the earliest timer due at or before @limit, or -1. */
static int
find_due (DigithekFakeClock *self,
          gint64             limit)
{
  int best = -1;

  for (guint i = 0; i < self->timers->len; i++)
    {
      Timer *timer = g_ptr_array_index (self->timers, i);
      Timer *best_timer;

      if (timer->ready_time > limit)
        continue;
      if (best < 0)
        {
          best = (int) i;
          continue;
        }
      best_timer = g_ptr_array_index (self->timers, best);
      if (timer->ready_time < best_timer->ready_time
          || (timer->ready_time == best_timer->ready_time && timer->seq < best_timer->seq))
        best = (int) i;
    }
  return best;
}

void
digithek_fake_clock_advance (DigithekFakeClock *self,
                             gint64             usec)
{
  g_autoptr(DigithekFakeClock) hold = NULL;
  gint64 target;
  int due;

  g_return_if_fail (DIGITHEK_IS_FAKE_CLOCK (self));
  g_return_if_fail (usec >= 0);

  /* A callback may drop the last reference to whatever owns this clock. */
  hold = g_object_ref (self);
  target = self->now + usec;
  while ((due = find_due (self, target)) >= 0)
    {
      Timer *timer = g_ptr_array_steal_index (self->timers, (guint) due);

      self->now = MAX (self->now, timer->ready_time);
      timer->func (timer->user_data);
      timer_free (timer);
    }
  self->now = target;
}

void
digithek_fake_clock_advance_seconds (DigithekFakeClock *self,
                                     guint              seconds)
{
  digithek_fake_clock_advance (self, (gint64) seconds * G_USEC_PER_SEC);
}

guint
digithek_fake_clock_get_n_pending (DigithekFakeClock *self)
{
  g_return_val_if_fail (DIGITHEK_IS_FAKE_CLOCK (self), 0);

  return self->timers->len;
}
