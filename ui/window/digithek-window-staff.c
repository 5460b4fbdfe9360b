/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"


#include "digithek-window-private.h"



/* --- staff admin --------------------------------------------------------------------- */
/* The hidden corner opens the PIN pad; the right PIN opens the admin view; Home, Back,
 * Lock and the auto-lock all leave it locked. */

static void pin_pad_unlocked_cb (DigithekWindow *self);

/* Made when staff first hold the corner. */
static void
ensure_pin_pad (DigithekWindow *self)
{
  if (self->pin_pad != NULL)
    return;
  self->pin_pad = DIGITHEK_PIN_PAD (digithek_pin_pad_new ());
  g_signal_connect_swapped (self->pin_pad, "unlocked", G_CALLBACK (pin_pad_unlocked_cb), self);
  g_signal_connect_swapped (self->pin_pad, "cancelled", G_CALLBACK (digithek_window_go_home),
                            self);
  digithek_pin_pad_set_pin (self->pin_pad, self->pin);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->pin_pad), "pin");
}

/* Leaving the PIN pad or the admin view by any way locks the admin session. */
void
_digithek_window_leave_staff_pages (DigithekWindow *self)
{
  if (!self->staff_page)
    return;
  /* A guided tour's PIN request left without the right PIN: refused. */
  _digithek_window_answer_pin_request (self, FALSE);
  self->staff_page = FALSE;
  if (self->pin_pad != NULL)
    digithek_pin_pad_reset (self->pin_pad);
  if (self->pin != NULL)
    digithek_pin_lock (self->pin);
  _digithek_window_update_actions (self);
}

static void
show_staff_page (DigithekWindow *self,
                 const char     *name)
{
  _digithek_window_close_link (self);
  _digithek_window_cancel_opening (self);
  g_ptr_array_set_size (self->back_stack, 0);
  g_clear_pointer (&self->current_item, g_free);
  adw_bin_set_child (self->item_bin, NULL);
  self->staff_page = TRUE;
  _digithek_window_update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, name);
  _digithek_window_set_view (self, name);
}

static void
pin_pad_unlocked_cb (DigithekWindow *self)
{
  if (!self->staff_page || self->pin == NULL || !digithek_pin_get_unlocked (self->pin))
    return;
  /* The PIN was asked for a guided tour, not for the admin view. */
  if (_digithek_window_answer_pin_request (self, TRUE))
    return;
  show_staff_page (self, "admin");
  digithek_admin_view_refresh (self->admin_view);
  gtk_widget_grab_focus (GTK_WIDGET (self->back_button));
}

static void
pin_unlocked_changed_cb (DigithekWindow *self)
{
  /* Auto-lock after two minutes without input, or Lock: back to home. */
  if (!digithek_pin_get_unlocked (self->pin) && self->staff_page
      && g_strcmp0 (self->view, "admin") == 0)
    digithek_window_go_home (self);
}

void
digithek_window_set_pin (DigithekWindow *self,
                         DigithekPin    *pin,
                         DigithekClock  *clock)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  g_return_if_fail (pin == NULL || DIGITHEK_IS_PIN (pin));
  g_return_if_fail (clock == NULL || DIGITHEK_IS_CLOCK (clock));

  if (self->pin != NULL)
    g_signal_handlers_disconnect_by_data (self->pin, self);
  g_set_object (&self->pin, pin);
  if (pin != NULL)
    g_signal_connect_swapped (pin, "notify::unlocked", G_CALLBACK (pin_unlocked_changed_cb),
                              self);
  if (self->pin_pad != NULL)
    digithek_pin_pad_set_pin (self->pin_pad, pin);
  digithek_admin_view_set_pin (self->admin_view, pin);
  if (clock != NULL)
    digithek_staff_entry_set_clock (self->staff_entry, clock);
}

void
digithek_window_show_pin_pad (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  if (self->pin == NULL)
    return;
  if (digithek_pin_get_unlocked (self->pin))
    {
      self->staff_page = TRUE;
      pin_pad_unlocked_cb (self);
      return;
    }
  ensure_pin_pad (self);
  digithek_pin_pad_reset (self->pin_pad);
  show_staff_page (self, "pin");
  /* Into the pad (its first key), so a staff keyboard types there. */
  gtk_widget_child_focus (GTK_WIDGET (self->pin_pad), GTK_DIR_TAB_FORWARD);
}

DigithekPinPad *
digithek_window_get_pin_pad (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  ensure_pin_pad (self);
  return self->pin_pad;
}

DigithekAdminView *
digithek_window_get_admin_view (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->admin_view;
}

DigithekStaffEntry *
digithek_window_get_staff_entry (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->staff_entry;
}
