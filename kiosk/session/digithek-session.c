/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-session.h"

struct _DigithekSession
{
  GObject parent_instance;

  /* owned */
  DigithekClock        *clock;
  DigithekSessionState  state;
  gboolean              in_tour;
  guint                 idle_timeout;    /* seconds */
  guint                 warning_lead;    /* seconds */
  guint                 tour_timeout;    /* seconds */
  gint64                last_activity;   /* monotonic µs */
  guint                 announced;       /* the seconds left last told in WARNING */
  guint                 timer_id;
  gint64                timer_due;
};

G_DEFINE_FINAL_TYPE (DigithekSession, digithek_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_STATE,
  PROP_IN_TOUR,
  PROP_IDLE_TIMEOUT,
  PROP_WARNING_LEAD,
  PROP_TOUR_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_WARNING,
  SIGNAL_COUNTDOWN,
  SIGNAL_RESET,
  SIGNAL_ATTRACT,
  SIGNAL_SESSION_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update (DigithekSession *self);

GType
digithek_session_state_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { DIGITHEK_SESSION_STATE_ACTIVE, "DIGITHEK_SESSION_STATE_ACTIVE", "active" },
    { DIGITHEK_SESSION_STATE_WARNING, "DIGITHEK_SESSION_STATE_WARNING", "warning" },
    { DIGITHEK_SESSION_STATE_RESETTING, "DIGITHEK_SESSION_STATE_RESETTING", "resetting" },
    { DIGITHEK_SESSION_STATE_ATTRACT, "DIGITHEK_SESSION_STATE_ATTRACT", "attract" },
    { DIGITHEK_SESSION_STATE_TOUR, "DIGITHEK_SESSION_STATE_TOUR", "tour" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    {
      GType id = g_enum_register_static (g_intern_static_string ("DigithekSessionState"),
                                         values);
      g_once_init_leave (&type, id);
    }
  return type;
}

const char *
digithek_session_state_to_string (DigithekSessionState state)
{
  switch (state)
    {
    case DIGITHEK_SESSION_STATE_ACTIVE:
      return "active";
    case DIGITHEK_SESSION_STATE_WARNING:
      return "warning";
    case DIGITHEK_SESSION_STATE_RESETTING:
      return "resetting";
    case DIGITHEK_SESSION_STATE_ATTRACT:
      return "attract";
    case DIGITHEK_SESSION_STATE_TOUR:
      return "tour";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* --- time ---------------------------------------------------------------------------- */

static guint
timeout_seconds (DigithekSession *self)
{
  return self->in_tour ? self->tour_timeout : self->idle_timeout;
}

/* A lead as long as the timeout would warn right after every touch: keep at most half. */
static gint64
lead_usec (DigithekSession *self)
{
  return (gint64) MIN (self->warning_lead, timeout_seconds (self) / 2) * G_USEC_PER_SEC;
}

static gint64
deadline (DigithekSession *self)
{
  return self->last_activity + (gint64) timeout_seconds (self) * G_USEC_PER_SEC;
}

/* Whole seconds until the reset, rounded up, so the overlay never shows 0 before it. */
static guint
seconds_until (gint64 now,
               gint64 until)
{
  if (until <= now)
    return 0;
  return (guint) ((until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static void
timer_cb (gpointer user_data)
{
  DigithekSession *self = user_data;
  /* A handler may drop the last reference to the session. */
  g_autoptr(DigithekSession) hold = g_object_ref (self);

  self->timer_id = 0;
  update (self);
}

/* Input re-arms nothing: a touch only moves last_activity, and a timer that fires
 * before the new due time simply arms the next one. A swipe sends dozens of events a
 * second, and none of them needs to touch the main loop. */
static void
arm (DigithekSession *self,
     gint64           due)
{
  if (self->timer_id != 0 && self->timer_due <= due)
    return;
  digithek_clock_clear (self->clock, &self->timer_id);
  self->timer_due = due;
  self->timer_id = digithek_clock_add_deadline (self->clock, due, timer_cb, self, NULL);
}

/* --- transitions --------------------------------------------------------------------- */

static void
set_state (DigithekSession      *self,
           DigithekSessionState  state)
{
  if (self->state == state)
    return;
  g_debug ("Session: %s -> %s", digithek_session_state_to_string (self->state),
           digithek_session_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_in_tour (DigithekSession *self,
             gboolean         in_tour)
{
  if (self->in_tour == in_tour)
    return;
  self->in_tour = in_tour;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_TOUR]);
}

static DigithekSessionState
running_state (DigithekSession *self)
{
  return self->in_tour ? DIGITHEK_SESSION_STATE_TOUR : DIGITHEK_SESSION_STATE_ACTIVE;
}

static void
do_reset (DigithekSession *self)
{
  g_autoptr(DigithekSession) hold = g_object_ref (self);

  digithek_clock_clear (self->clock, &self->timer_id);
  set_in_tour (self, FALSE);
  set_state (self, DIGITHEK_SESSION_STATE_RESETTING);
  g_signal_emit (self, signals[SIGNAL_RESET], 0);
  /* Input is ignored while RESETTING, so nothing a handler did moved the state on. */
  set_state (self, DIGITHEK_SESSION_STATE_ATTRACT);
  g_signal_emit (self, signals[SIGNAL_ATTRACT], 0);
}

static void
start_session (DigithekSession *self,
               gboolean         tour)
{
  self->last_activity = digithek_clock_get_time (self->clock);
  set_in_tour (self, tour);
  set_state (self, running_state (self));
  g_signal_emit (self, signals[SIGNAL_SESSION_STARTED], 0);
}

/* Runs every transition the current time calls for, emitting signals on the way, then
 * arms the timer for the next one. Handlers may call back into the session; each step
 * re-reads the state afterwards, and the announced count keeps a second from being told
 * twice. */
static void
update (DigithekSession *self)
{
  gint64 now = digithek_clock_get_time (self->clock);
  gint64 end;
  guint left;

  switch (self->state)
    {
    case DIGITHEK_SESSION_STATE_ATTRACT:
    case DIGITHEK_SESSION_STATE_RESETTING:
      digithek_clock_clear (self->clock, &self->timer_id);
      return;

    case DIGITHEK_SESSION_STATE_ACTIVE:
    case DIGITHEK_SESSION_STATE_TOUR:
      end = deadline (self);
      if (now < end - lead_usec (self))
        {
          arm (self, end - lead_usec (self));
          return;
        }
      if (now >= end)
        {
          /* The timer ran very late (a blocked main loop): no time left for a warning. */
          do_reset (self);
          return;
        }
      left = seconds_until (now, end);
      self->announced = left;
      set_state (self, DIGITHEK_SESSION_STATE_WARNING);
      g_signal_emit (self, signals[SIGNAL_WARNING], 0, left);
      update (self);
      return;

    case DIGITHEK_SESSION_STATE_WARNING:
      end = deadline (self);
      if (now >= end)
        {
          do_reset (self);
          return;
        }
      if (now < end - lead_usec (self))
        {
          /* The timeout grew under the warning. */
          set_state (self, running_state (self));
          update (self);
          return;
        }
      left = seconds_until (now, end);
      if (left < self->announced)
        {
          self->announced = left;
          g_signal_emit (self, signals[SIGNAL_COUNTDOWN], 0, left);
          update (self);
          return;
        }
      arm (self, end - (gint64) (left - 1) * G_USEC_PER_SEC);
      return;

    default:
      g_assert_not_reached ();
    }
}

/* --- GObject ------------------------------------------------------------------------- */

static void
digithek_session_dispose (GObject *object)
{
  DigithekSession *self = DIGITHEK_SESSION (object);

  if (self->clock != NULL)
    digithek_clock_clear (self->clock, &self->timer_id);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (digithek_session_parent_class)->dispose (object);
}

static void
digithek_session_constructed (GObject *object)
{
  DigithekSession *self = DIGITHEK_SESSION (object);

  G_OBJECT_CLASS (digithek_session_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = digithek_system_clock_new (NULL);
  self->last_activity = digithek_clock_get_time (self->clock);
  update (self);
}

static void
digithek_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DigithekSession *self = DIGITHEK_SESSION (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_IN_TOUR:
      g_value_set_boolean (value, self->in_tour);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    case PROP_WARNING_LEAD:
      g_value_set_uint (value, self->warning_lead);
      break;
    case PROP_TOUR_TIMEOUT:
      g_value_set_uint (value, self->tour_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_session_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DigithekSession *self = DIGITHEK_SESSION (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      break;
    case PROP_IDLE_TIMEOUT:
      digithek_session_set_idle_timeout (self, g_value_get_uint (value));
      break;
    case PROP_WARNING_LEAD:
      digithek_session_set_warning_lead (self, g_value_get_uint (value));
      break;
    case PROP_TOUR_TIMEOUT:
      digithek_session_set_tour_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_session_class_init (DigithekSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = digithek_session_dispose;
  object_class->constructed = digithek_session_constructed;
  object_class->get_property = digithek_session_get_property;
  object_class->set_property = digithek_session_set_property;

  /* Construct-only; %NULL means the system clock. */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         DIGITHEK_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       DIGITHEK_TYPE_SESSION_STATE, DIGITHEK_SESSION_STATE_ACTIVE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IN_TOUR] =
    g_param_spec_boolean ("in-tour", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL,
                       2, G_MAXUINT / 2, DIGITHEK_SESSION_DEFAULT_IDLE_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WARNING_LEAD] =
    g_param_spec_uint ("warning-lead", NULL, NULL,
                       0, G_MAXUINT / 2, DIGITHEK_SESSION_DEFAULT_WARNING_LEAD,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOUR_TIMEOUT] =
    g_param_spec_uint ("tour-timeout", NULL, NULL,
                       2, G_MAXUINT / 2, DIGITHEK_SESSION_DEFAULT_TOUR_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DigithekSession::warning:
   * @seconds_left: seconds until the reset
   *
   * Show the "Sind Sie noch da? / Are you still there?" overlay. It hides again when
   * #DigithekSession:state leaves %DIGITHEK_SESSION_STATE_WARNING.
   */
  signals[SIGNAL_WARNING] =
    g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * DigithekSession::countdown:
   * @seconds_left: seconds until the reset, at least 1
   *
   * Once a second during the warning, to update its countdown.
   */
  signals[SIGNAL_COUNTDOWN] =
    g_signal_new ("countdown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * DigithekSession::reset:
   *
   * Do the privacy reset now, synchronously: home view, default language, text size
   * and contrast, search text and keyboard, back stack, scroll positions, QR overlays,
   * read-aloud, clipboard; activate pending content updates. Input during the handlers
   * is ignored.
   */
  signals[SIGNAL_RESET] =
    g_signal_new ("reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DigithekSession::attract:
   *
   * Show the attract loop; follows every #DigithekSession::reset.
   */
  signals[SIGNAL_ATTRACT] =
    g_signal_new ("attract", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DigithekSession::session-started:
   *
   * A citizen (or a pilot) started a session from the attract loop: hide the loop and
   * count the session.
   */
  signals[SIGNAL_SESSION_STARTED] =
    g_signal_new ("session-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
digithek_session_init (DigithekSession *self)
{
  self->state = DIGITHEK_SESSION_STATE_ACTIVE;
  self->idle_timeout = DIGITHEK_SESSION_DEFAULT_IDLE_TIMEOUT;
  self->warning_lead = DIGITHEK_SESSION_DEFAULT_WARNING_LEAD;
  self->tour_timeout = DIGITHEK_SESSION_DEFAULT_TOUR_TIMEOUT;
}

/* --- public -------------------------------------------------------------------------- */

DigithekSession *
digithek_session_new (DigithekClock *clock,
                      guint          idle_timeout)
{
  g_return_val_if_fail (clock == NULL || DIGITHEK_IS_CLOCK (clock), NULL);

  return g_object_new (DIGITHEK_TYPE_SESSION,
                       "clock", clock,
                       "idle-timeout", idle_timeout != 0 ? idle_timeout
                                                         : DIGITHEK_SESSION_DEFAULT_IDLE_TIMEOUT,
                       NULL);
}

DigithekSessionState
digithek_session_get_state (DigithekSession *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SESSION (self), DIGITHEK_SESSION_STATE_ACTIVE);

  return self->state;
}

gboolean
digithek_session_get_in_tour (DigithekSession *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SESSION (self), FALSE);

  return self->in_tour;
}

guint
digithek_session_get_idle_timeout (DigithekSession *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SESSION (self), 0);

  return self->idle_timeout;
}

/* The setters run during construction too, before there is a clock to arm. */
static void
update_if_constructed (DigithekSession *self)
{
  if (self->clock != NULL)
    update (self);
}

void
digithek_session_set_idle_timeout (DigithekSession *self,
                                   guint            seconds)
{
  g_return_if_fail (DIGITHEK_IS_SESSION (self));

  seconds = CLAMP (seconds, 2, G_MAXUINT / 2);
  if (self->idle_timeout == seconds)
    return;
  self->idle_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
  update_if_constructed (self);
}

guint
digithek_session_get_warning_lead (DigithekSession *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SESSION (self), 0);

  return self->warning_lead;
}

void
digithek_session_set_warning_lead (DigithekSession *self,
                                   guint            seconds)
{
  g_return_if_fail (DIGITHEK_IS_SESSION (self));

  seconds = MIN (seconds, G_MAXUINT / 2);
  if (self->warning_lead == seconds)
    return;
  self->warning_lead = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING_LEAD]);
  update_if_constructed (self);
}

guint
digithek_session_get_tour_timeout (DigithekSession *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SESSION (self), 0);

  return self->tour_timeout;
}

void
digithek_session_set_tour_timeout (DigithekSession *self,
                                   guint            seconds)
{
  g_return_if_fail (DIGITHEK_IS_SESSION (self));

  seconds = CLAMP (seconds, 2, G_MAXUINT / 2);
  if (self->tour_timeout == seconds)
    return;
  self->tour_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOUR_TIMEOUT]);
  update_if_constructed (self);
}

guint
digithek_session_get_seconds_left (DigithekSession *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SESSION (self), 0);

  if (self->state != DIGITHEK_SESSION_STATE_WARNING)
    return 0;
  return seconds_until (digithek_clock_get_time (self->clock), deadline (self));
}

void
digithek_session_activity (DigithekSession *self)
{
  g_autoptr(DigithekSession) hold = NULL;

  g_return_if_fail (DIGITHEK_IS_SESSION (self));

  hold = g_object_ref (self);
  switch (self->state)
    {
    case DIGITHEK_SESSION_STATE_RESETTING:
      return;
    case DIGITHEK_SESSION_STATE_ATTRACT:
      start_session (self, FALSE);
      break;
    case DIGITHEK_SESSION_STATE_WARNING:
      self->last_activity = digithek_clock_get_time (self->clock);
      set_state (self, running_state (self));
      break;
    case DIGITHEK_SESSION_STATE_ACTIVE:
    case DIGITHEK_SESSION_STATE_TOUR:
      self->last_activity = digithek_clock_get_time (self->clock);
      break;
    default:
      g_assert_not_reached ();
    }
  update (self);
}

void
digithek_session_continue (DigithekSession *self)
{
  digithek_session_activity (self);
}

void
digithek_session_start_tour (DigithekSession *self)
{
  g_autoptr(DigithekSession) hold = NULL;

  g_return_if_fail (DIGITHEK_IS_SESSION (self));

  hold = g_object_ref (self);
  switch (self->state)
    {
    case DIGITHEK_SESSION_STATE_RESETTING:
      return;
    case DIGITHEK_SESSION_STATE_ATTRACT:
      start_session (self, TRUE);
      break;
    case DIGITHEK_SESSION_STATE_ACTIVE:
    case DIGITHEK_SESSION_STATE_WARNING:
    case DIGITHEK_SESSION_STATE_TOUR:
      self->last_activity = digithek_clock_get_time (self->clock);
      set_in_tour (self, TRUE);
      set_state (self, DIGITHEK_SESSION_STATE_TOUR);
      break;
    default:
      g_assert_not_reached ();
    }
  update (self);
}

void
digithek_session_end_tour (DigithekSession *self)
{
  g_autoptr(DigithekSession) hold = NULL;

  g_return_if_fail (DIGITHEK_IS_SESSION (self));

  if (!self->in_tour || self->state == DIGITHEK_SESSION_STATE_RESETTING)
    return;
  hold = g_object_ref (self);
  self->last_activity = digithek_clock_get_time (self->clock);
  set_in_tour (self, FALSE);
  set_state (self, DIGITHEK_SESSION_STATE_ACTIVE);
  update (self);
}

void
digithek_session_reset_now (DigithekSession *self)
{
  g_return_if_fail (DIGITHEK_IS_SESSION (self));

  switch (self->state)
    {
    case DIGITHEK_SESSION_STATE_ACTIVE:
    case DIGITHEK_SESSION_STATE_WARNING:
    case DIGITHEK_SESSION_STATE_TOUR:
      do_reset (self);
      break;
    case DIGITHEK_SESSION_STATE_RESETTING:
    case DIGITHEK_SESSION_STATE_ATTRACT:
      break;
    default:
      g_assert_not_reached ();
    }
}

void
digithek_session_touch_attract (DigithekSession *self)
{
  /* In ATTRACT this starts a session; a touch that races a state change (the overlay
   * was already gone) is ordinary input. */
  digithek_session_activity (self);
}

const char *
digithek_session_get_view_name (DigithekSession *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SESSION (self), NULL);

  switch (self->state)
    {
    case DIGITHEK_SESSION_STATE_ATTRACT:
      return "attract";
    case DIGITHEK_SESSION_STATE_RESETTING:
      return "home";
    case DIGITHEK_SESSION_STATE_ACTIVE:
    case DIGITHEK_SESSION_STATE_WARNING:
    case DIGITHEK_SESSION_STATE_TOUR:
      return NULL;
    default:
      g_return_val_if_reached (NULL);
    }
}
