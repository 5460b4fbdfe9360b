/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-key-policy.h"
#include "digithek-lockdown.h"

struct _DigithekLockdown
{
  GObject parent_instance;

  /* borrowed (weak) */
  GtkWindow  *window;
  GdkSurface *surface;

  /* owned */
  GtkEventController *controller;
  guint               refullscreen_id;
  gboolean            cursor_hidden;
  guint               n_blocked;
};

G_DEFINE_FINAL_TYPE (DigithekLockdown, digithek_lockdown, G_TYPE_OBJECT)

/* The key policy names GDK's values without GTK: they must be GDK's. */
G_STATIC_ASSERT (DIGITHEK_KEY_SHIFT_MASK == GDK_SHIFT_MASK);
G_STATIC_ASSERT (DIGITHEK_KEY_CONTROL_MASK == GDK_CONTROL_MASK);
G_STATIC_ASSERT (DIGITHEK_KEY_ALT_MASK == GDK_ALT_MASK);
G_STATIC_ASSERT (DIGITHEK_KEY_SUPER_MASK == GDK_SUPER_MASK);
G_STATIC_ASSERT (DIGITHEK_KEY_HYPER_MASK == GDK_HYPER_MASK);
G_STATIC_ASSERT (DIGITHEK_KEY_META_MASK == GDK_META_MASK);
#define CHECK_KEY(name) G_STATIC_ASSERT (DIGITHEK_KEY_##name == GDK_KEY_##name)
CHECK_KEY (Pause);
CHECK_KEY (Sys_Req);
CHECK_KEY (Print);
CHECK_KEY (Execute);
CHECK_KEY (Undo);
CHECK_KEY (Redo);
CHECK_KEY (Menu);
CHECK_KEY (Find);
CHECK_KEY (Cancel);
CHECK_KEY (Help);
CHECK_KEY (Break);
CHECK_KEY (Num_Lock);
CHECK_KEY (F1);
CHECK_KEY (F35);
CHECK_KEY (Shift_L);
CHECK_KEY (Shift_R);
CHECK_KEY (Control_L);
CHECK_KEY (Control_R);
CHECK_KEY (Caps_Lock);
CHECK_KEY (Meta_L);
CHECK_KEY (Meta_R);
CHECK_KEY (Alt_L);
CHECK_KEY (Alt_R);
CHECK_KEY (Super_L);
CHECK_KEY (Super_R);
CHECK_KEY (Hyper_L);
CHECK_KEY (Hyper_R);
CHECK_KEY (ISO_Level3_Shift);
CHECK_KEY (Terminate_Server);
CHECK_KEY (Switch_VT_1);
CHECK_KEY (Switch_VT_12);
#undef CHECK_KEY

void
digithek_lockdown_prepare_environment (void)
{
  /* GTK_DEBUG=interactive opens the inspector with the first window. */
  g_unsetenv ("GTK_DEBUG");
}

void
digithek_lockdown_disable_inspector (void)
{
  gtk_window_set_interactive_debugging (FALSE);
}

/* --- window state ----------------------------------------------------------------- */

static gboolean
refullscreen_cb (gpointer user_data)
{
  DigithekLockdown *self = user_data;

  self->refullscreen_id = 0;
  if (self->window == NULL)
    return G_SOURCE_REMOVE;
  if (!gtk_window_is_fullscreen (self->window))
    gtk_window_fullscreen (self->window);
  if (self->surface != NULL &&
      ((gdk_toplevel_get_state (GDK_TOPLEVEL (self->surface)) &
        (GDK_TOPLEVEL_STATE_MINIMIZED | GDK_TOPLEVEL_STATE_FOCUSED)) != GDK_TOPLEVEL_STATE_FOCUSED ||
       !gdk_surface_get_mapped (self->surface)))
    gtk_window_present (self->window);
  return G_SOURCE_REMOVE;
}

/* A window manager may take fullscreen away (F11 in its own bindings, a menu),
 * minimize the window or unmap it ("show desktop"); the kiosk takes it back a moment
 * later, once per burst. */
static void
schedule_refullscreen (DigithekLockdown *self)
{
  if (self->refullscreen_id == 0)
    self->refullscreen_id = g_timeout_add (100, refullscreen_cb, self);
}

static void
fullscreened_changed_cb (GtkWindow        *window,
                         GParamSpec       *pspec,
                         DigithekLockdown *self)
{
  if (!gtk_window_is_fullscreen (window))
    schedule_refullscreen (self);
}

static void
surface_state_changed_cb (GdkToplevel      *toplevel,
                          GParamSpec       *pspec,
                          DigithekLockdown *self)
{
  GdkToplevelState state = gdk_toplevel_get_state (toplevel);

  g_debug ("Lockdown: window state 0x%x", state);
  /* Losing the focus counts too: with a window manager's "show desktop" the window
   * is unmapped while GDK still reports it mapped, but its focus goes. */
  if ((state & GDK_TOPLEVEL_STATE_MINIMIZED) || !(state & GDK_TOPLEVEL_STATE_FULLSCREEN) ||
      !(state & GDK_TOPLEVEL_STATE_FOCUSED))
    schedule_refullscreen (self);
}

static void
surface_mapped_changed_cb (GdkSurface       *surface,
                           GParamSpec       *pspec,
                           DigithekLockdown *self)
{
  if (!gdk_surface_get_mapped (surface) && gtk_widget_get_visible (GTK_WIDGET (self->window)))
    schedule_refullscreen (self);
}

static void
watch_surface (DigithekLockdown *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self->window));

  if (surface == self->surface)
    return;
  if (self->surface != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->surface, self);
      g_object_remove_weak_pointer (G_OBJECT (self->surface), (gpointer *) &self->surface);
    }
  self->surface = surface;
  if (surface != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (surface), (gpointer *) &self->surface);
      g_signal_connect (surface, "notify::state", G_CALLBACK (surface_state_changed_cb), self);
      g_signal_connect (surface, "notify::mapped", G_CALLBACK (surface_mapped_changed_cb), self);
    }
}

static void
window_realize_cb (GtkWidget        *widget,
                   DigithekLockdown *self)
{
  watch_surface (self);
}

static gboolean
close_request_cb (GtkWindow        *window,
                  DigithekLockdown *self)
{
  g_debug ("Lockdown: close request refused");
  return TRUE;
}

/* --- context menus ---------------------------------------------------------------- */

/* Text fields open a menu on a touch long-press and on "menu.popup" (Menu,
 * Shift+F10); right clicks are swallowed before they reach them. */
static void
disable_text_menus (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = NULL;

  if (!GTK_IS_TEXT (widget) || g_object_get_data (G_OBJECT (widget), "digithek-locked") != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), "digithek-locked", GINT_TO_POINTER (TRUE));

  controllers = gtk_widget_observe_controllers (widget);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_LONG_PRESS (controller))
        gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_NONE);
    }
  gtk_widget_action_set_enabled (widget, "menu.popup", FALSE);
}

static void
focus_widget_changed_cb (GtkWindow        *window,
                         GParamSpec       *pspec,
                         DigithekLockdown *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  if (focus != NULL)
    disable_text_menus (focus);
}

/* --- input ------------------------------------------------------------------------ */

static void
set_cursor_hidden (DigithekLockdown *self,
                   gboolean          hidden)
{
  if (self->cursor_hidden == hidden)
    return;
  self->cursor_hidden = hidden;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->window), hidden ? "none" : NULL);
}

static gboolean
event_cb (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          DigithekLockdown         *self)
{
  GdkEventType type = gdk_event_get_event_type (event);
  GdkDevice *device = gdk_event_get_device (event);
  gboolean touchscreen = device != NULL &&
                         gdk_device_get_source (device) == GDK_SOURCE_TOUCHSCREEN;

  if (type == GDK_KEY_PRESS || type == GDK_KEY_RELEASE)
    {
      if (!digithek_key_policy_is_blocked (gdk_key_event_get_keyval (event),
                                           gdk_event_get_modifier_state (event)))
        return GDK_EVENT_PROPAGATE;
      if (type == GDK_KEY_PRESS)
        {
          self->n_blocked++;
          g_debug ("Lockdown: key %s swallowed",
                   gdk_keyval_name (gdk_key_event_get_keyval (event)));
        }
      return GDK_EVENT_STOP;
    }

  if (type == GDK_TOUCH_BEGIN || type == GDK_TOUCH_UPDATE)
    set_cursor_hidden (self, TRUE);
  else if (type == GDK_MOTION_NOTIFY && !touchscreen && !gdk_event_get_pointer_emulated (event))
    set_cursor_hidden (self, FALSE);
  else if (type == GDK_BUTTON_PRESS || type == GDK_BUTTON_RELEASE)
    {
      guint button = gdk_button_event_get_button (event);

      if (touchscreen || gdk_event_get_pointer_emulated (event))
        set_cursor_hidden (self, TRUE);
      /* Right: context menus. Middle: pasting the last citizen's selection. */
      if (button == GDK_BUTTON_SECONDARY || button == GDK_BUTTON_MIDDLE)
        {
          if (type == GDK_BUTTON_PRESS)
            self->n_blocked++;
          return GDK_EVENT_STOP;
        }
    }
  return GDK_EVENT_PROPAGATE;
}

/* --- GObject ---------------------------------------------------------------------- */

static void
digithek_lockdown_dispose (GObject *object)
{
  DigithekLockdown *self = DIGITHEK_LOCKDOWN (object);

  g_clear_handle_id (&self->refullscreen_id, g_source_remove);
  if (self->surface != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->surface, self);
      g_object_remove_weak_pointer (G_OBJECT (self->surface), (gpointer *) &self->surface);
      self->surface = NULL;
    }
  /* The window's owner keeps the lockdown as long as the window: this only runs when
   * both go, or when a test unlocks a window on purpose. */
  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->window, self);
      gtk_widget_remove_controller (GTK_WIDGET (self->window), self->controller);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  g_clear_object (&self->controller);

  G_OBJECT_CLASS (digithek_lockdown_parent_class)->dispose (object);
}

static void
digithek_lockdown_class_init (DigithekLockdownClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = digithek_lockdown_dispose;
}

static void
digithek_lockdown_init (DigithekLockdown *self)
{
}

DigithekLockdown *
digithek_lockdown_new (GtkWindow *window)
{
  DigithekLockdown *self;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  self = g_object_new (DIGITHEK_TYPE_LOCKDOWN, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);

  gtk_window_set_decorated (window, FALSE);
  gtk_window_set_deletable (window, FALSE);
  gtk_window_fullscreen (window);

  g_signal_connect (window, "close-request", G_CALLBACK (close_request_cb), self);
  g_signal_connect (window, "notify::fullscreened", G_CALLBACK (fullscreened_changed_cb), self);
  g_signal_connect (window, "notify::focus-widget", G_CALLBACK (focus_widget_changed_cb), self);
  g_signal_connect (window, "realize", G_CALLBACK (window_realize_cb), self);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    watch_surface (self);

  /* Capture phase: the window sees every key and click before any widget in it, and
   * before its own key bindings (the inspector's among them). */
  self->controller = g_object_ref (gtk_event_controller_legacy_new ());
  gtk_event_controller_set_name (self->controller, "digithek-lockdown");
  gtk_event_controller_set_propagation_phase (self->controller, GTK_PHASE_CAPTURE);
  g_signal_connect (self->controller, "event", G_CALLBACK (event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (window), self->controller);

  return self;
}

GtkWindow *
digithek_lockdown_get_window (DigithekLockdown *self)
{
  g_return_val_if_fail (DIGITHEK_IS_LOCKDOWN (self), NULL);
  return self->window;
}

guint
digithek_lockdown_get_n_blocked (DigithekLockdown *self)
{
  g_return_val_if_fail (DIGITHEK_IS_LOCKDOWN (self), 0);
  return self->n_blocked;
}
