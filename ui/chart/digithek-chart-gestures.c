/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "digithek-format.h"
#include "digithek-i18n.h"
#include "digithek-series.h"
#include "digithek-chart-private.h"

static double
x_at (DigithekChart *self,
      double         widget_x)
{
  double width = self->plot_width > 0 ? self->plot_width : gtk_widget_get_width (GTK_WIDGET (self));

  return self->view_min + (widget_x - self->plot_left) / width * (self->view_max - self->view_min);
}

static void
drag_begin_cb (DigithekChart  *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  if (self->pinching || self->n == 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_start_x = x;
  self->drag_view_min = self->view_min;
  self->drag_view_max = self->view_max;
  self->drag_mode = DRAG_PENDING;
  /* Unzoomed, a touch shows its value at once; zoomed, it may become a pan. */
  if (!self->zoomed)
    digithek_chart_set_readout (self, x_at (self, x));
}

static void
drag_update_cb (DigithekChart  *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  if (self->pinching || self->drag_mode == DRAG_NONE)
    return;

  if (self->drag_mode == DRAG_PENDING)
    {
      if (fabs (dx) < TAP_SLOP && fabs (dy) < TAP_SLOP)
        return;
      if (fabs (dy) > fabs (dx))
        {
          /* A vertical swipe belongs to the page around us: let it scroll. */
          self->drag_mode = DRAG_NONE;
          digithek_chart_set_readout (self, NAN);
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }
      self->drag_mode = self->zoomed ? DRAG_PAN : DRAG_SCRUB;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      if (self->drag_mode == DRAG_PAN)
        digithek_chart_set_readout (self, NAN);
    }

  if (self->drag_mode == DRAG_PAN)
    {
      double per_px = (self->drag_view_max - self->drag_view_min) / MAX (self->plot_width, 1);

      _digithek_chart_set_view (self, self->drag_view_min - dx * per_px, self->drag_view_max - dx * per_px);
    }
  else
    digithek_chart_set_readout (self, x_at (self, self->drag_start_x + dx));
}

static void
drag_end_cb (DigithekChart  *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  /* A tap, zoomed: show the value there. */
  if (self->drag_mode == DRAG_PENDING && !self->pinching)
    digithek_chart_set_readout (self, x_at (self, self->drag_start_x));
  self->drag_mode = DRAG_NONE;
}

static void
zoom_begin_cb (DigithekChart  *self,
               GdkEventSequence *sequence,
               GtkGestureZoom *gesture)
{
  double cx, cy;

  self->pinching = TRUE;
  self->drag_mode = DRAG_NONE;
  digithek_chart_set_readout (self, NAN);
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy);
  self->pinch_anchor = x_at (self, cx);
  self->pinch_span = self->view_max - self->view_min;
}

static void
zoom_scale_changed_cb (DigithekChart  *self,
                       double          scale,
                       GtkGestureZoom *gesture)
{
  double cx, cy, span, fraction;

  if (!self->pinching || !(scale > 0))
    return;

  /* The x under the fingers' centre stays under it: pinching zooms, moving both
   * fingers together pans. */
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy);
  span = self->pinch_span / scale;
  fraction = (cx - self->plot_left) / MAX (self->plot_width, 1);
  _digithek_chart_set_view (self, self->pinch_anchor - fraction * span, self->pinch_anchor + (1 - fraction) * span);
}

static void
zoom_end_cb (DigithekChart    *self,
             GdkEventSequence *sequence,
             GtkGestureZoom   *gesture)
{
  self->pinching = FALSE;
}

static gboolean
scroll_cb (DigithekChart            *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  if (self->n == 0)
    return FALSE;

  if (dy != 0)
    digithek_chart_zoom (self, exp (-dy * 0.15), x_at (self, self->pointer_x));
  if (dx != 0)
    digithek_chart_pan (self, dx * 0.05 * (self->view_max - self->view_min));

  return TRUE;
}

static void
motion_cb (DigithekChart            *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  self->pointer_x = x;
  if (self->drag_mode == DRAG_NONE && !self->pinching && self->n > 0)
    digithek_chart_set_readout (self, x_at (self, x));
}

static void
leave_cb (DigithekChart            *self,
          GtkEventControllerMotion *controller)
{
  if (self->drag_mode == DRAG_NONE)
    digithek_chart_set_readout (self, NAN);
}

/* Drag to scrub the readout or pan, pinch and scroll to zoom, hover for the readout. */
void
_digithek_chart_init_gestures (DigithekChart *self)
{
  GtkGesture *drag, *zoom;
  GtkEventController *scroll, *motion;

  drag = gtk_gesture_drag_new ();
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  g_signal_connect_swapped (zoom, "end", G_CALLBACK (zoom_end_cb), self);
  g_signal_connect_swapped (zoom, "cancel", G_CALLBACK (zoom_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}
