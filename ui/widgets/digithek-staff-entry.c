/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-staff-entry.h"

struct _DigithekStaffEntry
{
  GObject parent_instance;

  /* owned */
  DigithekClock *clock;
  GtkGesture    *gesture;     /* a ref: the widget owns the controller */
  guint          deadline_id;

  /* borrowed (weak) */
  GtkWidget     *widget;
};

G_DEFINE_FINAL_TYPE (DigithekStaffEntry, digithek_staff_entry, G_TYPE_OBJECT)

enum {
  ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
hold_done_cb (gpointer user_data)
{
  DigithekStaffEntry *self = user_data;

  self->deadline_id = 0;
  /* The touch is ours now: whatever lies under the corner gets no click on release. */
  if (self->gesture != NULL && gtk_gesture_is_active (self->gesture))
    gtk_gesture_set_state (self->gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[ACTIVATED], 0);
}

gboolean
digithek_staff_entry_press (DigithekStaffEntry *self,
                            double              x,
                            double              y)
{
  g_return_val_if_fail (DIGITHEK_IS_STAFF_ENTRY (self), FALSE);

  digithek_clock_clear (self->clock, &self->deadline_id);
  if (x < 0 || y < 0 || x >= DIGITHEK_STAFF_ENTRY_SIZE || y >= DIGITHEK_STAFF_ENTRY_SIZE)
    return FALSE;
  self->deadline_id = digithek_clock_add_deadline (self->clock,
                                                   digithek_clock_get_time (self->clock)
                                                   + DIGITHEK_STAFF_ENTRY_HOLD_SECONDS
                                                     * G_USEC_PER_SEC,
                                                   hold_done_cb, self, NULL);
  return TRUE;
}

void
digithek_staff_entry_release (DigithekStaffEntry *self)
{
  g_return_if_fail (DIGITHEK_IS_STAFF_ENTRY (self));

  digithek_clock_clear (self->clock, &self->deadline_id);
}

gboolean
digithek_staff_entry_get_holding (DigithekStaffEntry *self)
{
  g_return_val_if_fail (DIGITHEK_IS_STAFF_ENTRY (self), FALSE);
  return self->deadline_id != 0;
}

static void
drag_begin_cb (GtkGestureDrag     *gesture,
               double              x,
               double              y,
               DigithekStaffEntry *self)
{
  digithek_staff_entry_press (self, x, y);
}

static void
drag_update_cb (GtkGestureDrag     *gesture,
                double              offset_x,
                double              offset_y,
                DigithekStaffEntry *self)
{
  double x = 0, y = 0;

  /* A finger that slides out of the corner is not holding it. */
  if (gtk_gesture_drag_get_start_point (gesture, &x, &y)
      && (x + offset_x >= DIGITHEK_STAFF_ENTRY_SIZE || y + offset_y >= DIGITHEK_STAFF_ENTRY_SIZE
          || x + offset_x < 0 || y + offset_y < 0))
    digithek_staff_entry_release (self);
}

static void
drag_end_cb (GtkGestureDrag     *gesture,
             double              offset_x,
             double              offset_y,
             DigithekStaffEntry *self)
{
  digithek_staff_entry_release (self);
}

static void
cancel_cb (GtkGesture         *gesture,
           GdkEventSequence   *sequence,
           DigithekStaffEntry *self)
{
  digithek_staff_entry_release (self);
}

static void
digithek_staff_entry_dispose (GObject *object)
{
  DigithekStaffEntry *self = DIGITHEK_STAFF_ENTRY (object);

  if (self->clock != NULL)
    digithek_clock_clear (self->clock, &self->deadline_id);
  if (self->gesture != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->gesture, self);
      if (self->widget != NULL)
        gtk_widget_remove_controller (self->widget, GTK_EVENT_CONTROLLER (self->gesture));
    }
  g_clear_object (&self->gesture);
  if (self->widget != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
  self->widget = NULL;
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (digithek_staff_entry_parent_class)->dispose (object);
}

static void
digithek_staff_entry_class_init (DigithekStaffEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = digithek_staff_entry_dispose;

  /**
   * DigithekStaffEntry::activated:
   *
   * The corner was held long enough: show the PIN pad.
   */
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
digithek_staff_entry_init (DigithekStaffEntry *self)
{
}

DigithekStaffEntry *
digithek_staff_entry_new (GtkWidget     *widget,
                          DigithekClock *clock)
{
  DigithekStaffEntry *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (clock == NULL || DIGITHEK_IS_CLOCK (clock), NULL);

  self = g_object_new (DIGITHEK_TYPE_STAFF_ENTRY, NULL);
  self->clock = clock != NULL ? g_object_ref (clock) : digithek_system_clock_new (NULL);
  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);

  /* Capture phase, never claiming on its own: see the header. Touch and mouse alike. */
  self->gesture = g_object_ref (gtk_gesture_drag_new ());
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (self->gesture), FALSE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->gesture),
                                              GTK_PHASE_CAPTURE);
  g_signal_connect (self->gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (self->gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (self->gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  g_signal_connect (self->gesture, "cancel", G_CALLBACK (cancel_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (self->gesture));
  return self;
}

void
digithek_staff_entry_set_clock (DigithekStaffEntry *self,
                                DigithekClock      *clock)
{
  g_return_if_fail (DIGITHEK_IS_STAFF_ENTRY (self));
  g_return_if_fail (DIGITHEK_IS_CLOCK (clock));

  digithek_clock_clear (self->clock, &self->deadline_id);
  g_set_object (&self->clock, clock);
}
