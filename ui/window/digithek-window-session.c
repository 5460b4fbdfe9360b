/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-attract-view.h"
#include "digithek-feedback-poll.h"
#include "digithek-idle-overlay.h"
#include "digithek-tour-bar.h"

#include "digithek-window-private.h"

static guint feedback_signal;

/* --- Session: lockdown, idle warning and reset, attract loop, guided tours ---------
 *
 * Everything between two citizens lives here: the window feeds the idle state machine
 * (DigithekSession) with input and shows what it asks for. The overlays lie over the
 * whole window, the bar included; the presenter bar of a guided tour sits under it. */

static gboolean
is_session_state (DigithekWindow       *self,
                  DigithekSessionState  state)
{
  return self->session != NULL && digithek_session_get_state (self->session) == state;
}

/* Every scrolled area back at its start, so the next citizen starts at the top. */
static void
reset_scroll (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));
      GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (widget));

      gtk_adjustment_set_value (v, gtk_adjustment_get_lower (v));
      gtk_adjustment_set_value (h, gtk_adjustment_get_lower (h));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    reset_scroll (child);
}

static void
clear_clipboards (DigithekWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));

  /* Set to empty text rather than released, so that nothing copied earlier, by us or
   * anyone, stays to be pasted. */
  gdk_clipboard_set_text (gdk_display_get_clipboard (display), "");
  gdk_clipboard_set_text (gdk_display_get_primary_clipboard (display), "");
}

void
_digithek_window_update_tour_bar (DigithekWindow *self)
{
  GtkWidget *view;
  gboolean guided = self->guided_tour != NULL &&
                    !gtk_widget_get_visible (self->feedback_poll);

  if (self->tour_bar == NULL)
    return;
  gtk_widget_set_visible (self->tour_bar, guided);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.end-tour", self->guided_tour != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.start-guided-tour",
                                 self->guided_tour == NULL);
  if (!guided)
    return;
  digithek_tour_bar_set_language (DIGITHEK_TOUR_BAR (self->tour_bar), self->language);
  view = adw_bin_get_child (self->item_bin);
  if (self->current_item != NULL && DIGITHEK_IS_ITEM_VIEW (view) &&
      self->current_kind == DIGITHEK_ITEM_TOUR)
    digithek_tour_bar_set_progress (DIGITHEK_TOUR_BAR (self->tour_bar),
                                    digithek_item_view_get_position (DIGITHEK_ITEM_VIEW (view)),
                                    digithek_item_view_get_n_positions (DIGITHEK_ITEM_VIEW (view)));
  else
    digithek_tour_bar_set_progress (DIGITHEK_TOUR_BAR (self->tour_bar), 0, 0);
}

static void
show_attract (DigithekWindow *self,
              gboolean        show)
{
  if (gtk_widget_get_visible (self->attract_view) == show)
    return;
  gtk_widget_set_visible (self->attract_view, show);
  if (show)
    {
      digithek_attract_view_set_store (DIGITHEK_ATTRACT_VIEW (self->attract_view), self->store);
      digithek_attract_view_start (DIGITHEK_ATTRACT_VIEW (self->attract_view), self->language);
      _digithek_window_set_view (self, "attract");
    }
  else
    {
      digithek_attract_view_stop (DIGITHEK_ATTRACT_VIEW (self->attract_view));
      /* The reset left the window at home (or a tour started meanwhile). */
      if (self->current_item == NULL && self->has_home)
        _digithek_window_show_home_page (self);
      else if (self->current_item == NULL)
        _digithek_window_set_view (self, gtk_stack_get_visible_child_name (self->stack));
    }
}

static void
session_state_changed_cb (DigithekSession *session,
                          GParamSpec      *pspec,
                          DigithekWindow  *self)
{
  DigithekSessionState state = digithek_session_get_state (session);

  if (state == DIGITHEK_SESSION_STATE_WARNING)
    {
      digithek_idle_overlay_set_seconds_left (DIGITHEK_IDLE_OVERLAY (self->idle_overlay),
                                              digithek_session_get_seconds_left (session));
      gtk_widget_set_visible (self->idle_overlay, TRUE);
      gtk_widget_grab_focus (self->idle_overlay);
    }
  else if (gtk_widget_get_visible (self->idle_overlay))
    {
      gtk_widget_set_visible (self->idle_overlay, FALSE);
      _digithek_window_focus_changed (self);
    }

  show_attract (self, state == DIGITHEK_SESSION_STATE_ATTRACT);
}

static void
session_countdown_cb (DigithekSession *session,
                      guint            seconds_left,
                      DigithekWindow  *self)
{
  digithek_idle_overlay_set_seconds_left (DIGITHEK_IDLE_OVERLAY (self->idle_overlay),
                                          seconds_left);
}

static void
session_reset_cb (DigithekSession *session,
                  DigithekWindow  *self)
{
  digithek_window_reset_session (self);
}

static void
idle_continue_cb (DigithekIdleOverlay *overlay,
                  DigithekWindow      *self)
{
  if (self->session != NULL)
    digithek_session_continue (self->session);
}

/* Input, seen in the capture phase before any widget. In ATTRACT a touch starts a fresh
 * session and goes no further, so that it does not also open what lies underneath. */
static gboolean
activity_event_cb (GtkEventControllerLegacy *controller,
                   GdkEvent                 *event,
                   DigithekWindow           *self)
{
  GdkEventType type = gdk_event_get_event_type (event);
  gboolean press = FALSE;
  gboolean input = FALSE;
  double x, y;

  if (self->session == NULL)
    return GDK_EVENT_PROPAGATE;

  if (type == GDK_KEY_PRESS || type == GDK_BUTTON_PRESS || type == GDK_TOUCH_BEGIN)
    press = input = TRUE;
  else if (type == GDK_KEY_RELEASE || type == GDK_BUTTON_RELEASE || type == GDK_TOUCH_UPDATE ||
           type == GDK_TOUCH_END || type == GDK_SCROLL || type == GDK_TOUCHPAD_SWIPE ||
           type == GDK_TOUCHPAD_PINCH)
    input = TRUE;
  else if (type == GDK_MOTION_NOTIFY)
    {
      /* Only a pointer that really moved: windows appearing under a resting pointer
       * must not count as a citizen. */
      if (gdk_event_get_position (event, &x, &y) &&
          (ABS (x - self->pointer_x) >= 1 || ABS (y - self->pointer_y) >= 1))
        {
          self->pointer_x = x;
          self->pointer_y = y;
          input = !is_session_state (self, DIGITHEK_SESSION_STATE_ATTRACT);
        }
    }

  if (is_session_state (self, DIGITHEK_SESSION_STATE_RESETTING))
    return input ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
  if (is_session_state (self, DIGITHEK_SESSION_STATE_ATTRACT) ||
      gtk_widget_get_visible (self->attract_view))
    {
      if (press)
        digithek_session_touch_attract (self->session);
      return input ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
    }
  if (input)
    digithek_session_activity (self->session);
  return GDK_EVENT_PROPAGATE;
}

static void
poll_answered_cb (DigithekFeedbackPoll *poll,
                  guint                 satisfaction,
                  int                   again,
                  DigithekWindow       *self)
{
  if (self->guided_tour != NULL)
    g_signal_emit (self, feedback_signal, 0, self->guided_tour, satisfaction, again);
}

static void
poll_done_cb (DigithekFeedbackPoll *poll,
              DigithekWindow       *self)
{
  gtk_widget_set_visible (self->feedback_poll, FALSE);
  g_clear_pointer (&self->guided_tour, g_free);
  digithek_window_go_home (self);
  _digithek_window_update_tour_bar (self);
}

void
_digithek_window_class_session_init (GtkWidgetClass *widget_class)
{
  /**
   * DigithekWindow::feedback:
   * @tour: "PACK/ITEM" of the tour
   * @satisfaction: 1 to 5, 0 when skipped
   * @again: a DigithekFeedbackAgain value (0 unanswered, 1 yes, 2 no)
   *
   * A group answered the poll at the end of a guided tour. The window keeps nothing;
   * the application counts it (digithek_feedback_record()).
   */
  feedback_signal =
    g_signal_new ("feedback", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_INT);

  g_type_ensure (DIGITHEK_TYPE_IDLE_OVERLAY);
  g_type_ensure (DIGITHEK_TYPE_ATTRACT_VIEW);
  g_type_ensure (DIGITHEK_TYPE_TOUR_BAR);
  g_type_ensure (DIGITHEK_TYPE_FEEDBACK_POLL);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, main_overlay);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, main_box);
}

void
_digithek_window_session_init (DigithekWindow *self)
{
  GtkEventController *controller;

  self->default_language = g_strdup ("de");

  /* Over everything: the poll, then the idle warning, then the attract loop on top
   * (the warning never shows in ATTRACT). */
  self->feedback_poll = digithek_feedback_poll_new ();
  gtk_widget_set_visible (self->feedback_poll, FALSE);
  gtk_widget_add_css_class (self->feedback_poll, "session-overlay");
  g_signal_connect (self->feedback_poll, "answered", G_CALLBACK (poll_answered_cb), self);
  g_signal_connect (self->feedback_poll, "done", G_CALLBACK (poll_done_cb), self);
  gtk_overlay_add_overlay (self->main_overlay, self->feedback_poll);

  self->idle_overlay = digithek_idle_overlay_new ();
  gtk_widget_set_visible (self->idle_overlay, FALSE);
  gtk_widget_add_css_class (self->idle_overlay, "session-overlay");
  g_signal_connect (self->idle_overlay, "continue", G_CALLBACK (idle_continue_cb), self);
  gtk_overlay_add_overlay (self->main_overlay, self->idle_overlay);

  self->attract_view = digithek_attract_view_new ();
  gtk_widget_set_visible (self->attract_view, FALSE);
  gtk_overlay_add_overlay (self->main_overlay, self->attract_view);

  self->tour_bar = digithek_tour_bar_new ();
  gtk_widget_set_visible (self->tour_bar, FALSE);
  gtk_box_append (self->main_box, self->tour_bar);
  _digithek_window_update_tour_bar (self);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_name (controller, "digithek-session-activity");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (activity_event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

void
_digithek_window_session_dispose (DigithekWindow *self)
{
  /* A guided_pin_cb's data must be freed. */
  if (self->pin_request_cb != NULL)
    {
      DigithekWindowPinCallback callback = self->pin_request_cb;

      self->pin_request_cb = NULL;
      callback (self, FALSE, self->pin_request_data);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->lockdown);
}

DigithekLockdown *
digithek_window_get_lockdown (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->lockdown;
}

void
digithek_window_set_session (DigithekWindow  *self,
                             DigithekSession *session)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  g_return_if_fail (session == NULL || DIGITHEK_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session == NULL)
    return;
  g_signal_connect (session, "notify::state", G_CALLBACK (session_state_changed_cb), self);
  g_signal_connect (session, "warning", G_CALLBACK (session_countdown_cb), self);
  g_signal_connect (session, "countdown", G_CALLBACK (session_countdown_cb), self);
  g_signal_connect (session, "reset", G_CALLBACK (session_reset_cb), self);
  session_state_changed_cb (session, NULL, self);
}

DigithekSession *
digithek_window_get_session (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->session;
}

void
digithek_window_set_default_language (DigithekWindow *self,
                                      const char     *language)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  g_free (self->default_language);
  self->default_language = g_strdup (language != NULL ? language : "de");
}

void
digithek_window_reset_session (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  /* Overlays first: nothing of the last citizen stays on top. */
  gtk_widget_set_visible (self->idle_overlay, FALSE);
  gtk_widget_set_visible (self->feedback_poll, FALSE);
  digithek_feedback_poll_restart (DIGITHEK_FEEDBACK_POLL (self->feedback_poll));
  g_clear_pointer (&self->guided_tour, g_free);
  _digithek_window_close_link (self);

  /* The back stack and the item go; home shows in the default language (the
   * application re-lists home on notify::language). */
  _digithek_window_cancel_opening (self);
  g_ptr_array_set_size (self->back_stack, 0);
  g_clear_pointer (&self->current_item, g_free);
  adw_bin_set_child (self->item_bin, NULL);
  digithek_window_set_language (self, self->default_language);

  digithek_window_stop_read_aloud (self);
  digithek_window_reset_display (self);
  if (self->search_view != NULL)
    digithek_search_view_clear (self->search_view);

  reset_scroll (GTK_WIDGET (self->home_view));
  clear_clipboards (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->back_button));
  _digithek_window_update_tour_bar (self);

  /* Home, and with it the session boundary: pending content shows now. */
  digithek_window_go_home (self);
  if (!self->has_home)
    _digithek_window_set_view (self, gtk_stack_get_visible_child_name (self->stack));
}

gboolean
digithek_window_start_tour (DigithekWindow *self,
                            const char     *id)
{
  g_autofree char *pack_id = NULL;
  g_autofree char *item_id = NULL;

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  if (!_digithek_window_split_id (id, &pack_id, &item_id))
    return FALSE;
  g_free (self->guided_tour);
  self->guided_tour = g_strdup (id);
  gtk_widget_set_visible (self->feedback_poll, FALSE);
  if (self->session != NULL)
    digithek_session_start_tour (self->session);
  if (g_strcmp0 (self->current_item, id) != 0)
    _digithek_window_open_item_internal (self, id, TRUE);
  _digithek_window_update_tour_bar (self);
  return TRUE;
}

void
digithek_window_end_tour (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  if (self->guided_tour == NULL || gtk_widget_get_visible (self->feedback_poll))
    return;
  if (self->session != NULL)
    digithek_session_end_tour (self->session);
  _digithek_window_close_link (self);
  digithek_feedback_poll_restart (DIGITHEK_FEEDBACK_POLL (self->feedback_poll));
  gtk_widget_set_visible (self->feedback_poll, TRUE);
  _digithek_window_update_tour_bar (self);
  _digithek_window_set_view (self, "feedback");
}

const char *
digithek_window_get_guided_tour (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->guided_tour;
}

/* Answers a request waiting on the PIN pad, if any. A granted one closes the pad and
 * locks the admin session again: the pilot needed the PIN, not the admin view. */
gboolean
_digithek_window_answer_pin_request (DigithekWindow *self,
                    gboolean        granted)
{
  DigithekWindowPinCallback callback = self->pin_request_cb;
  gpointer data = self->pin_request_data;

  if (callback == NULL)
    return FALSE;
  self->pin_request_cb = NULL;
  self->pin_request_data = NULL;
  if (granted)
    {
      _digithek_window_leave_staff_pages (self);
      if (self->has_home)
        _digithek_window_show_home_page (self);
    }
  callback (self, granted, data);
  return TRUE;
}

void
digithek_window_set_pin_handler (DigithekWindow        *self,
                                 DigithekWindowPinFunc  func,
                                 gpointer               user_data)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  self->pin_func = func;
  self->pin_data = user_data;
}

void
digithek_window_request_pin (DigithekWindow            *self,
                             DigithekWindowPinCallback  callback,
                             gpointer                   user_data)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  g_return_if_fail (callback != NULL);

  if (self->pin_func != NULL)
    {
      self->pin_func (self, callback, user_data, self->pin_data);
      return;
    }
  /* The staff PIN pad (digithek_window_set_pin()): the answer comes when it unlocks or
   * is left. */
  if (self->pin != NULL)
    {
      _digithek_window_answer_pin_request (self, FALSE);
      self->pin_request_cb = callback;
      self->pin_request_data = user_data;
      /* Asked again for each request, even within an open admin session. */
      digithek_pin_lock (self->pin);
      digithek_window_show_pin_pad (self);
      return;
    }
  /* No PIN pad: staff functions stay shut. */
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Please ask our staff.")));
  callback (self, FALSE, user_data);
}

GtkWidget *
digithek_window_get_idle_overlay (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->idle_overlay;
}

GtkWidget *
digithek_window_get_attract_view (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->attract_view;
}

GtkWidget *
digithek_window_get_tour_bar (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->tour_bar;
}

GtkWidget *
digithek_window_get_feedback_poll (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->feedback_poll;
}
