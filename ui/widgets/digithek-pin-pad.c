/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>

#include "digithek-pin-pad.h"

struct _DigithekPinPad
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkLabel  *title_label;
  GtkLabel  *dots_label;
  GtkLabel  *message_label;
  GtkButton *delete_button;
  GtkButton *ok_button;
  GtkButton *cancel_button;

  /* owned */
  DigithekPin  *pin;
  GCancellable *cancellable;     /* the try being checked */
  guint         countdown_id;    /* a second's tick while locked out */
  gboolean      busy;
  char          digits[DIGITHEK_PIN_MAX_DIGITS + 1];
  guint         n_digits;
};

G_DEFINE_FINAL_TYPE (DigithekPinPad, digithek_pin_pad, GTK_TYPE_WIDGET)

enum {
  UNLOCKED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  MESSAGE_INFO,
  MESSAGE_ERROR,
} MessageKind;

/* The digits go as soon as they are not needed: after a try, on Cancel, on reset. */
static void
wipe (DigithekPinPad *self)
{
  sodium_memzero (self->digits, sizeof self->digits);
  self->n_digits = 0;
}

static void
set_message (DigithekPinPad *self,
             MessageKind     kind,
             const char     *text)
{
  GtkWidget *label = GTK_WIDGET (self->message_label);

  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  if (kind == MESSAGE_ERROR)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static void
update_dots (DigithekPinPad *self)
{
  g_autoptr(GString) dots = g_string_new (NULL);
  guint shown = MAX (self->n_digits, (guint) DIGITHEK_PIN_MIN_DIGITS);

  /* Filled for each digit typed, hollow up to the shortest PIN: the length shows, the
   * digits never do. */
  for (guint i = 0; i < shown; i++)
    {
      if (i > 0)
        g_string_append (dots, " ");
      g_string_append (dots, i < self->n_digits ? "●" : "○");
    }
  gtk_label_set_text (self->dots_label, dots->str);
}

static gboolean
has_pin (DigithekPinPad *self)
{
  return self->pin != NULL && digithek_pin_get_hash (self->pin) != NULL;
}

static gboolean
locked_out (DigithekPinPad *self)
{
  return self->pin != NULL && digithek_pin_get_locked_out (self->pin);
}

/* Keys turned insensitive during a try drop the focus; it comes back to the pad, so a
 * staff keyboard keeps typing here (and Enter does not press a button elsewhere). */
static void
refocus (DigithekPinPad *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (gtk_widget_get_mapped (GTK_WIDGET (self))
      && (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self))))
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

static void
update_actions (DigithekPinPad *self)
{
  gboolean typing = has_pin (self) && !locked_out (self) && !self->busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.digit",
                                 typing && self->n_digits < DIGITHEK_PIN_MAX_DIGITS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.delete", typing && self->n_digits > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.ok", typing && self->n_digits > 0);
}

static void
show_no_pin (DigithekPinPad *self)
{
  set_message (self, MESSAGE_ERROR,
               _("No PIN set. Staff set one on the kiosk's command line with "
                 "“digithek --set-pin”; the admin view stays closed until then."));
}

static void
show_lockout (DigithekPinPad *self)
{
  guint remaining = self->pin != NULL ? digithek_pin_get_lock_remaining (self->pin) : 0;
  g_autofree char *when = g_strdup_printf ("%u:%02u", remaining / 60, remaining % 60);
  g_autofree char *text = NULL;

  /* TRANSLATORS: %s is minutes:seconds, e.g. 1:00 */
  text = g_strdup_printf (_("Too many wrong tries. The pad takes a PIN again in %s."), when);
  set_message (self, MESSAGE_ERROR, text);
}

static gboolean
countdown_cb (gpointer user_data)
{
  DigithekPinPad *self = user_data;

  if (!locked_out (self))
    {
      self->countdown_id = 0;
      return G_SOURCE_REMOVE;
    }
  show_lockout (self);
  return G_SOURCE_CONTINUE;
}

static void
locked_out_changed_cb (DigithekPinPad *self)
{
  if (locked_out (self))
    {
      wipe (self);
      update_dots (self);
      show_lockout (self);
      if (self->countdown_id == 0)
        self->countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
    }
  else
    {
      g_clear_handle_id (&self->countdown_id, g_source_remove);
      if (has_pin (self) && !self->busy)
        set_message (self, MESSAGE_INFO, _("Enter the PIN again."));
    }
  update_actions (self);
  refocus (self);
}

static void
try_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DigithekPinPad) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = digithek_pin_try_finish (DIGITHEK_PIN (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (self), "busy");

  if (ok)
    {
      set_message (self, MESSAGE_INFO, NULL);
      update_actions (self);
      g_signal_emit (self, signals[UNLOCKED], 0);
      return;
    }

  if (locked_out (self) || g_error_matches (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_LOCKED))
    locked_out_changed_cb (self);
  else if (g_error_matches (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_WRONG))
    {
      guint failures = digithek_pin_get_failures (self->pin);
      guint left = failures < DIGITHEK_PIN_FREE_TRIES ? DIGITHEK_PIN_FREE_TRIES - failures : 0;
      g_autofree char *text = NULL;

      text = g_strdup_printf (ngettext ("Wrong PIN – %u try left",
                                     "Wrong PIN – %u tries left", left), left);
      set_message (self, MESSAGE_ERROR, text);
    }
  else if (g_error_matches (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_NO_PIN))
    show_no_pin (self);
  else if (g_error_matches (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_HASH))
    set_message (self, MESSAGE_ERROR,
                 _("The PIN in the config file is not valid. Set it again with "
                   "“digithek --set-pin”."));
  else
    {
      g_autofree char *text = NULL;

      /* Errors of the PIN module never contain the PIN. */
      text = g_strdup_printf (_("The PIN could not be checked: %s"), error->message);
      set_message (self, MESSAGE_ERROR, text);
    }
  update_actions (self);
  refocus (self);
}

static void
press_ok (DigithekPinPad *self)
{
  if (self->pin == NULL || self->busy)
    return;
  if (!has_pin (self))
    {
      wipe (self);
      update_dots (self);
      show_no_pin (self);
      update_actions (self);
      return;
    }
  if (self->n_digits < DIGITHEK_PIN_MIN_DIGITS)
    {
      /* The rules are no secret: a short entry is not worth a counted try. */
      set_message (self, MESSAGE_ERROR, _("A PIN has 4 to 8 digits."));
      return;
    }

  self->busy = TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "busy");
  set_message (self, MESSAGE_INFO, _("Checking…"));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* The PIN module copies the digits (and wipes its copies); ours go at once. */
  digithek_pin_try_async (self->pin, self->digits, self->cancellable, try_done_cb,
                          g_object_ref (self));
  wipe (self);
  update_dots (self);
  update_actions (self);
}

static void
press_digit (DigithekPinPad *self,
             int             digit)
{
  if (!has_pin (self) || locked_out (self) || self->busy || digit < 0 || digit > 9
      || self->n_digits >= DIGITHEK_PIN_MAX_DIGITS)
    return;
  self->digits[self->n_digits++] = (char) ('0' + digit);
  self->digits[self->n_digits] = '\0';
  update_dots (self);
  update_actions (self);
}

static void
press_delete (DigithekPinPad *self)
{
  if (self->n_digits == 0 || self->busy)
    return;
  self->digits[--self->n_digits] = '\0';
  update_dots (self);
  update_actions (self);
}

static void
press_cancel (DigithekPinPad *self)
{
  wipe (self);
  update_dots (self);
  update_actions (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
pad_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  DigithekPinPad *self = DIGITHEK_PIN_PAD (widget);

  if (g_str_equal (action_name, "pin.digit"))
    press_digit (self, g_variant_get_int32 (parameter));
  else if (g_str_equal (action_name, "pin.delete"))
    press_delete (self);
  else if (g_str_equal (action_name, "pin.ok"))
    press_ok (self);
  else if (g_str_equal (action_name, "pin.cancel"))
    press_cancel (self);
}

/* A keyboard, when one is attached for staff: digits, Backspace, Enter, Escape. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                DigithekPinPad        *self)
{
  guint32 c = gdk_keyval_to_unicode (keyval);

  if (c >= '0' && c <= '9')
    press_digit (self, (int) (c - '0'));
  else if (keyval == GDK_KEY_BackSpace || keyval == GDK_KEY_Delete)
    press_delete (self);
  else if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter)
    press_ok (self);
  else if (keyval == GDK_KEY_Escape)
    press_cancel (self);
  else
    return GDK_EVENT_PROPAGATE;
  return GDK_EVENT_STOP;
}

static void
update_texts (DigithekPinPad *self)
{
  gtk_label_set_text (self->title_label, _("Staff PIN"));
  gtk_button_set_label (self->ok_button, _("OK"));
  gtk_button_set_label (self->cancel_button, _("Cancel"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->delete_button), _("Delete the last digit"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete the last digit"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dots_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Digits entered"), -1);
}

static void
digithek_pin_pad_dispose (GObject *object)
{
  DigithekPinPad *self = DIGITHEK_PIN_PAD (object);

  wipe (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->pin != NULL)
    g_signal_handlers_disconnect_by_data (self->pin, self);
  g_clear_object (&self->pin);
  gtk_widget_dispose_template (GTK_WIDGET (self), DIGITHEK_TYPE_PIN_PAD);
  /* The template's root is not a bound child: unparent it by hand. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (digithek_pin_pad_parent_class)->dispose (object);
}

static void
digithek_pin_pad_class_init (DigithekPinPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_pin_pad_dispose;

  /**
   * DigithekPinPad::unlocked:
   *
   * The PIN was right: the admin session is open.
   */
  signals[UNLOCKED] = g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DigithekPinPad::cancelled:
   *
   * Cancel was pressed.
   */
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pinpad");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-pin-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekPinPad, title_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekPinPad, dots_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekPinPad, message_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekPinPad, delete_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekPinPad, ok_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekPinPad, cancel_button);

  gtk_widget_class_install_action (widget_class, "pin.digit", "i", pad_action);
  gtk_widget_class_install_action (widget_class, "pin.delete", NULL, pad_action);
  gtk_widget_class_install_action (widget_class, "pin.ok", NULL, pad_action);
  gtk_widget_class_install_action (widget_class, "pin.cancel", NULL, pad_action);
}

static void
digithek_pin_pad_init (DigithekPinPad *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  keys = gtk_event_controller_key_new ();
  /* Before the focused key button, which would take Enter as a press of itself. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  digithek_pin_pad_reset (self);
}

GtkWidget *
digithek_pin_pad_new (void)
{
  return g_object_new (DIGITHEK_TYPE_PIN_PAD, NULL);
}

void
digithek_pin_pad_set_pin (DigithekPinPad *self,
                          DigithekPin    *pin)
{
  g_return_if_fail (DIGITHEK_IS_PIN_PAD (self));
  g_return_if_fail (pin == NULL || DIGITHEK_IS_PIN (pin));

  if (self->pin == pin)
    return;
  if (self->pin != NULL)
    g_signal_handlers_disconnect_by_data (self->pin, self);
  g_set_object (&self->pin, pin);
  if (pin != NULL)
    g_signal_connect_swapped (pin, "notify::locked-out", G_CALLBACK (locked_out_changed_cb),
                              self);
  digithek_pin_pad_reset (self);
}

DigithekPin *
digithek_pin_pad_get_pin (DigithekPinPad *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PIN_PAD (self), NULL);
  return self->pin;
}

void
digithek_pin_pad_reset (DigithekPinPad *self)
{
  g_return_if_fail (DIGITHEK_IS_PIN_PAD (self));

  wipe (self);
  update_texts (self);
  update_dots (self);
  if (self->pin != NULL && !has_pin (self))
    show_no_pin (self);
  else if (locked_out (self))
    locked_out_changed_cb (self);
  else if (!self->busy)
    set_message (self, MESSAGE_INFO, NULL);
  update_actions (self);
}

guint
digithek_pin_pad_get_n_digits (DigithekPinPad *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PIN_PAD (self), 0);
  return self->n_digits;
}

const char *
digithek_pin_pad_get_message (DigithekPinPad *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PIN_PAD (self), NULL);
  return gtk_label_get_text (self->message_label);
}

gboolean
digithek_pin_pad_get_busy (DigithekPinPad *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PIN_PAD (self), FALSE);
  return self->busy;
}
