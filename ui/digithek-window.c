/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "digithek-dataset-view.h"
#include "digithek-display-menu.h"
#include "digithek-explainer-view.h"
#include "digithek-guide-view.h"
#include "digithek-home-view.h"
#include "digithek-qr-overlay.h"
#include "digithek-read-aloud-button.h"
#include "digithek-speech.h"
#include "digithek-tour-view.h"
#include "digithek-window.h"

struct _DigithekWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwToastOverlay  *toast_overlay;
  AdwHeaderBar     *header_bar;
  GtkButton        *back_button;
  AdwButtonContent *back_content;
  AdwButtonContent *home_content;
  GtkStack         *stack;
  DigithekHomeView *home_view;
  AdwBin           *item_bin;
  AdwStatusPage    *out_of_service_page;
  DigithekQrOverlay *link_overlay;
  DigithekDisplayMenu *display_menu;  /* a11y: text size and contrast */

  /* owned */
  DigithekStore    *store;
  GCancellable     *cancellable;   /* the item being opened */
  char             *language;
  GPtrArray        *back_stack;    /* "PACK/ITEM", oldest first */
  char             *current_item;  /* "PACK/ITEM" shown, or NULL */
  char             *opening;       /* "PACK/ITEM" being fetched, or NULL */
  gboolean          opening_pushes;
  gboolean          has_home;
  char             *view;
  guint             present_timeout_id;
  DigithekHandoff  *handoff;
  gboolean          prefer_local;

  /* a11y: read-aloud (created on first use) and the button that started it */
  DigithekSpeech   *speech;
  GtkWidget        *read_aloud_source;   /* weak */
  guint             refocus_id;
};

G_DEFINE_FINAL_TYPE (DigithekWindow, digithek_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LANGUAGE,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SESSION_BOUNDARY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void open_item_internal      (DigithekWindow *self,
                                     const char     *id,
                                     gboolean        push);
static void focus_widget_changed_cb (DigithekWindow *self);
static void display_changed_cb      (DigithekWindow *self);

/* The chrome follows the citizen's content language at run time, not the process
 * locale, so these few words are chosen here rather than through gettext. */
static gboolean
is_german (const char *language)
{
  return language == NULL || g_str_has_prefix (language, "de");
}

static void
update_actions (DigithekWindow *self)
{
  gboolean in_item = self->current_item != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.back", in_item);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.home", in_item);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.close-link",
                                 digithek_qr_overlay_get_is_open (self->link_overlay));
}

static void
close_link (DigithekWindow *self)
{
  digithek_qr_overlay_close (self->link_overlay);
}

static void
link_overlay_closed_cb (DigithekWindow *self)
{
  update_actions (self);
  /* The focus was on the overlay's button; it goes back to the bar. */
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->back_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->back_button));
}

static void
set_view (DigithekWindow *self,
          const char     *view)
{
  update_actions (self);
  if (g_strcmp0 (self->view, view) == 0)
    return;
  g_free (self->view);
  self->view = g_strdup (view);

  /* Waiting to be presented until there is something to show (see
   * digithek_window_present_when_ready()). */
  if (self->present_timeout_id != 0 && !g_str_equal (view, "loading"))
    {
      g_clear_handle_id (&self->present_timeout_id, g_source_remove);
      gtk_window_present (GTK_WINDOW (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

static void
update_chrome (DigithekWindow *self)
{
  gboolean de = is_german (self->language);

  adw_button_content_set_label (self->back_content, de ? "Zurück" : "Back");
  adw_button_content_set_label (self->home_content, de ? "Startseite" : "Home");
}

static void
show_home_page (DigithekWindow *self)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    digithek_home_view_get_n_items (self->home_view) > 0
                                      ? "home" : "empty");
  set_view (self, gtk_stack_get_visible_child_name (self->stack));
}

/* The view of @item by its kind; the tour view asks again for each of its stops. */
static GtkWidget *
create_item_view (DigithekStore     *store,
                  DigithekStoreItem *item,
                  gpointer           user_data)
{
  DigithekWindow *self = user_data;
  GtkWidget *view;

  switch (item->kind)
    {
    case DIGITHEK_ITEM_DATASET:
      view = digithek_dataset_view_new (store, item);
      digithek_dataset_view_set_handoff (DIGITHEK_DATASET_VIEW (view), self->handoff,
                                         self->prefer_local);
      return view;
    case DIGITHEK_ITEM_EXPLAINER:
      view = digithek_explainer_view_new (store, item);
      digithek_explainer_view_set_handoff (DIGITHEK_EXPLAINER_VIEW (view), self->handoff,
                                           self->prefer_local);
      return view;
    case DIGITHEK_ITEM_GUIDE:
      view = digithek_guide_view_new (store, item);
      digithek_guide_view_set_handoff (DIGITHEK_GUIDE_VIEW (view), self->handoff,
                                       self->prefer_local);
      return view;
    case DIGITHEK_ITEM_TOUR:
      return digithek_tour_view_new (store, item, create_item_view, user_data);
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
item_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DigithekWindow *self = user_data;
  g_autoptr(DigithekStoreItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *view = NULL;
  GtkWidget *widget;

  item = digithek_store_get_item_finish (DIGITHEK_STORE (source), result, &error);
  /* Cancelled: another item was asked for, or the window is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  id = g_steal_pointer (&self->opening);
  if (item == NULL)
    {
      g_debug ("Cannot open %s: %s", id, error->message);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (is_german (self->language)
                                                    ? "Dieser Inhalt ist hier nicht verfügbar."
                                                    : "This content is not available here."));
      return;
    }

  widget = create_item_view (self->store, item, self);
  if (self->opening_pushes && self->current_item != NULL)
    g_ptr_array_add (self->back_stack, g_steal_pointer (&self->current_item));
  g_free (self->current_item);
  self->current_item = g_steal_pointer (&id);

  /* The focus leaves the view being replaced first: GtkStack would otherwise move it
   * into the new view, and GTK 4.8 labels with links warn when they get the focus
   * while the window has none. The bar's Back button is always there for it. */
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->back_button));

  adw_bin_set_child (self->item_bin, widget);
  gtk_stack_set_visible_child_name (self->stack, "item");
  view = g_strdup_printf ("%s:%s", item->kind == DIGITHEK_ITEM_TOUR ? "tour" : "item",
                          self->current_item);
  set_view (self, view);
}

static gboolean
split_id (const char  *id,
          char       **out_pack,
          char       **out_item)
{
  const char *slash = id != NULL ? strchr (id, '/') : NULL;

  if (slash == NULL || slash == id || slash[1] == '\0' || strchr (slash + 1, '/') != NULL)
    return FALSE;
  *out_pack = g_strndup (id, slash - id);
  *out_item = g_strdup (slash + 1);
  return TRUE;
}

static void
open_item_internal (DigithekWindow *self,
                    const char     *id,
                    gboolean        push)
{
  g_autofree char *pack_id = NULL;
  g_autofree char *item_id = NULL;

  if (self->store == NULL || !split_id (id, &pack_id, &item_id))
    return;

  digithek_window_stop_read_aloud (self);
  close_link (self);
  /* The latest request wins: a second tap replaces the first. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->opening);
  self->opening = g_strdup (id);
  self->opening_pushes = push;

  digithek_store_get_item_async (self->store, pack_id, item_id, self->language,
                                 self->cancellable, item_loaded_cb, self);
}

static void
cancel_opening (DigithekWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->opening, g_free);
}

/* Swapping views drops the focus with the widget that held it; without a focus
 * widget, GTK 4.8 labels with links warn when they are given the focus. The focus
 * goes back to the bar, which is always there. */
static gboolean
refocus_cb (gpointer user_data)
{
  DigithekWindow *self = user_data;

  self->refocus_id = 0;
  if (gtk_root_get_focus (GTK_ROOT (self)) == NULL &&
      gtk_widget_is_sensitive (GTK_WIDGET (self->back_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->back_button));
  return G_SOURCE_REMOVE;
}

/* a11y: later, not at once: Tab's wrap-around unsets the focus and then moves it to
 * the first control (Back); taking it at once made Tab skip Back. */
static void
focus_widget_changed_cb (DigithekWindow *self)
{
  if (gtk_root_get_focus (GTK_ROOT (self)) == NULL && self->refocus_id == 0)
    self->refocus_id = g_idle_add (refocus_cb, self);
}

static void
open_item_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  digithek_window_open_item (DIGITHEK_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
show_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DigithekWindow *self = DIGITHEK_WINDOW (widget);
  const char *uri = NULL;
  const char *label = NULL;

  g_variant_get (parameter, "(&s&s)", &uri, &label);
  if (!digithek_qr_overlay_open (self->link_overlay, uri, label, self->language))
    g_debug ("Link %s has no code to show", uri);
  update_actions (self);
}

static void
close_link_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  close_link (DIGITHEK_WINDOW (widget));
}

static void
navigate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DigithekWindow *self = DIGITHEK_WINDOW (widget);

  if (g_str_equal (action_name, "view.back"))
    digithek_window_go_back (self);
  else if (g_str_equal (action_name, "view.home"))
    digithek_window_go_home (self);
  else if (g_str_equal (action_name, "view.next"))
    digithek_window_next (self);
  else if (g_str_equal (action_name, "view.previous"))
    digithek_window_previous (self);
}

static void
digithek_window_dispose (GObject *object)
{
  DigithekWindow *self = DIGITHEK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->handoff);
  g_clear_handle_id (&self->present_timeout_id, g_source_remove);
  if (self->speech != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->speech, self);
      digithek_speech_stop (self->speech);
      g_clear_object (&self->speech);
    }
  g_clear_weak_pointer (&self->read_aloud_source);
  g_clear_handle_id (&self->refocus_id, g_source_remove);

  G_OBJECT_CLASS (digithek_window_parent_class)->dispose (object);
}

static void
digithek_window_finalize (GObject *object)
{
  DigithekWindow *self = DIGITHEK_WINDOW (object);

  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->back_stack, g_ptr_array_unref);
  g_clear_pointer (&self->current_item, g_free);
  g_clear_pointer (&self->opening, g_free);
  g_clear_pointer (&self->view, g_free);

  G_OBJECT_CLASS (digithek_window_parent_class)->finalize (object);
}

static void
digithek_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DigithekWindow *self = DIGITHEK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_VIEW:
      g_value_set_string (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DigithekWindow *self = DIGITHEK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      digithek_window_set_store (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      digithek_window_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_window_class_init (DigithekWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_window_dispose;
  object_class->finalize = digithek_window_finalize;
  object_class->get_property = digithek_window_get_property;
  object_class->set_property = digithek_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DIGITHEK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "de",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, "loading",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DigithekWindow::session-boundary:
   *
   * The citizen went home: content that arrived meanwhile may be shown now.
   */
  signals[SESSION_BOUNDARY] =
    g_signal_new ("session-boundary", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (DIGITHEK_TYPE_HOME_VIEW);
  g_type_ensure (DIGITHEK_TYPE_QR_OVERLAY);
  g_type_ensure (DIGITHEK_TYPE_DISPLAY_MENU);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, back_content);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, home_content);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, home_view);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, item_bin);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, out_of_service_page);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, link_overlay);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, display_menu);
  gtk_widget_class_bind_template_callback (widget_class, link_overlay_closed_cb);

  gtk_widget_class_install_action (widget_class, "view.open-item", "s", open_item_action);
  gtk_widget_class_install_action (widget_class, "view.back", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "view.home", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "view.next", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "view.previous", NULL, navigate_action);
  /* A tapped Markdown link ("(uri, label)") shows its code; Escape closes it. */
  gtk_widget_class_install_action (widget_class, "view.show-link", "(ss)", show_link_action);
  gtk_widget_class_install_action (widget_class, "view.close-link", NULL, close_link_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "view.close-link", NULL);
}

static void
digithek_window_init (DigithekWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "digithek");

  self->cancellable = g_cancellable_new ();
  self->language = g_strdup ("de");
  self->back_stack = g_ptr_array_new_with_free_func (g_free);
  self->view = g_strdup ("loading");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.back", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.home", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.close-link", FALSE);
  update_chrome (self);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (focus_widget_changed_cb), NULL);
  g_signal_connect_swapped (self->display_menu, "notify::text-scale",
                            G_CALLBACK (display_changed_cb), self);
  g_signal_connect_swapped (self->display_menu, "notify::high-contrast",
                            G_CALLBACK (display_changed_cb), self);
}

DigithekWindow *
digithek_window_new (AdwApplication *application)
{
  return g_object_new (DIGITHEK_TYPE_WINDOW, "application", application, NULL);
}

void
digithek_window_set_kiosk_mode (DigithekWindow *self,
                                gboolean        kiosk_mode)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  /* Citizens get no close, minimize or maximize buttons. */
  adw_header_bar_set_show_start_title_buttons (self->header_bar, !kiosk_mode);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, !kiosk_mode);
  gtk_window_set_deletable (GTK_WINDOW (self), !kiosk_mode);
  if (kiosk_mode)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

static gboolean
present_timeout_cb (gpointer user_data)
{
  DigithekWindow *self = user_data;

  self->present_timeout_id = 0;
  gtk_window_present (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

void
digithek_window_present_when_ready (DigithekWindow *self,
                                    guint           max_wait_ms)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  if (!g_str_equal (self->view, "loading") || gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      gtk_window_present (GTK_WINDOW (self));
      return;
    }
  if (self->present_timeout_id == 0)
    self->present_timeout_id = g_timeout_add (max_wait_ms, present_timeout_cb, self);
}

void
digithek_window_show_loading (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->stack, "loading");
  set_view (self, "loading");
}

void
digithek_window_show_out_of_service (DigithekWindow *self,
                                     const char     *reason)
{
  g_autofree char *escaped = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  /* The reason may quote content or paths: never markup. */
  escaped = g_markup_escape_text (reason != NULL ? reason : "", -1);
  description = g_strdup_printf ("%s\n\n<small>%s</small>",
                                 _("Please try again later or ask our staff."), escaped);
  adw_status_page_set_description (self->out_of_service_page, description);

  close_link (self);
  cancel_opening (self);
  g_ptr_array_set_size (self->back_stack, 0);
  g_clear_pointer (&self->current_item, g_free);
  adw_bin_set_child (self->item_bin, NULL);
  gtk_stack_set_visible_child_name (self->stack, "out-of-service");
  set_view (self, "out-of-service");
}

void
digithek_window_set_store (DigithekWindow *self,
                           DigithekStore  *store)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  g_return_if_fail (store == NULL || DIGITHEK_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  digithek_home_view_set_store (self->home_view, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

DigithekStore *
digithek_window_get_store (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->store;
}

void
digithek_window_set_language (DigithekWindow *self,
                              const char     *language)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  if (language == NULL)
    language = "de";
  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  update_chrome (self);

  /* Re-render in place: the same item, the same place in the back stack. */
  if (self->current_item != NULL)
    {
      g_autofree char *current = g_strdup (self->current_item);

      open_item_internal (self, current, FALSE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

const char *
digithek_window_get_language (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->language;
}

void
digithek_window_show_home (DigithekWindow *self,
                           GPtrArray      *items)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  g_return_if_fail (items != NULL);

  digithek_home_view_set_items (self->home_view, items, self->language);
  self->has_home = TRUE;
  if (self->current_item == NULL)
    show_home_page (self);
}

gboolean
digithek_window_open_item (DigithekWindow *self,
                           const char     *id)
{
  g_autofree char *pack_id = NULL;
  g_autofree char *item_id = NULL;

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  if (!split_id (id, &pack_id, &item_id))
    return FALSE;
  open_item_internal (self, id, TRUE);
  return TRUE;
}

void
digithek_window_go_back (DigithekWindow *self)
{
  g_autofree char *previous = NULL;

  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  digithek_window_stop_read_aloud (self);
  close_link (self);
  if (self->back_stack->len == 0)
    {
      digithek_window_go_home (self);
      return;
    }
  previous = g_ptr_array_steal_index (self->back_stack, self->back_stack->len - 1);
  open_item_internal (self, previous, FALSE);
}

void
digithek_window_go_home (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  digithek_window_stop_read_aloud (self);
  close_link (self);
  cancel_opening (self);
  g_ptr_array_set_size (self->back_stack, 0);
  g_clear_pointer (&self->current_item, g_free);
  /* The item's view goes, and with it its loads (cancelled in its dispose). */
  adw_bin_set_child (self->item_bin, NULL);
  if (self->has_home)
    show_home_page (self);

  g_signal_emit (self, signals[SESSION_BOUNDARY], 0);
}

gboolean
digithek_window_next (DigithekWindow *self)
{
  GtkWidget *view;

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  digithek_window_stop_read_aloud (self);
  view = adw_bin_get_child (self->item_bin);
  if (DIGITHEK_IS_TOUR_VIEW (view))
    return digithek_tour_view_next (DIGITHEK_TOUR_VIEW (view));
  if (DIGITHEK_IS_GUIDE_VIEW (view))
    return digithek_guide_view_next (DIGITHEK_GUIDE_VIEW (view));
  return FALSE;
}

gboolean
digithek_window_previous (DigithekWindow *self)
{
  GtkWidget *view;

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  digithek_window_stop_read_aloud (self);
  view = adw_bin_get_child (self->item_bin);
  if (DIGITHEK_IS_TOUR_VIEW (view))
    return digithek_tour_view_previous (DIGITHEK_TOUR_VIEW (view));
  if (DIGITHEK_IS_GUIDE_VIEW (view))
    return digithek_guide_view_previous (DIGITHEK_GUIDE_VIEW (view));
  return FALSE;
}

const char *
digithek_window_get_view (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->view;
}

GtkWidget *
digithek_window_get_item_view (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->current_item != NULL ? adw_bin_get_child (self->item_bin) : NULL;
}

guint
digithek_window_get_back_depth (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), 0);
  return self->back_stack->len;
}

gboolean
digithek_window_get_busy (DigithekWindow *self)
{
  GtkWidget *view;
  gboolean loading = FALSE;

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  if (self->opening != NULL)
    return TRUE;
  view = self->current_item != NULL ? adw_bin_get_child (self->item_bin)
                                    : GTK_WIDGET (self->home_view);
  if (view != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (view), "loading") != NULL)
    g_object_get (view, "loading", &loading, NULL);
  return loading;
}

void
digithek_window_set_handoff (DigithekWindow  *self,
                             DigithekHandoff *handoff,
                             gboolean         prefer_local)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  g_return_if_fail (handoff == NULL || DIGITHEK_IS_HANDOFF (handoff));

  if (!g_set_object (&self->handoff, handoff) && self->prefer_local == prefer_local)
    return;
  self->prefer_local = prefer_local;

  /* The view shown gets its codes anew, in place. */
  if (self->current_item != NULL && self->opening == NULL)
    {
      g_autofree char *current = g_strdup (self->current_item);

      open_item_internal (self, current, FALSE);
    }
}

const char *
digithek_window_get_link_url (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return digithek_qr_overlay_get_url (self->link_overlay);
}

/* ---- a11y: text size, high contrast and read-aloud ---- */

/* Text size works by CSS classes on the window (style.css sizes every text relative to
 * the window's font size, and the chart reads the classes), not by GtkSettings'
 * gtk-xft-dpi: px font sizes and Cairo text ignore the DPI, and a compositor's
 * settings daemon may overwrite it at any time. */
static void
display_changed_cb (DigithekWindow *self)
{
  guint scale = digithek_display_menu_get_text_scale (self->display_menu);
  GtkWidget *widget = GTK_WIDGET (self);

  if (scale == 125)
    gtk_widget_add_css_class (widget, "text-125");
  else
    gtk_widget_remove_css_class (widget, "text-125");
  if (scale == 150)
    gtk_widget_add_css_class (widget, "text-150");
  else
    gtk_widget_remove_css_class (widget, "text-150");
  if (digithek_display_menu_get_high_contrast (self->display_menu))
    gtk_widget_add_css_class (widget, "high-contrast");
  else
    gtk_widget_remove_css_class (widget, "high-contrast");
}

void
digithek_window_set_text_scale (DigithekWindow *self,
                                guint           percent)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  digithek_display_menu_set_text_scale (self->display_menu, percent);
}

guint
digithek_window_get_text_scale (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), 100);
  return digithek_display_menu_get_text_scale (self->display_menu);
}

void
digithek_window_set_high_contrast (DigithekWindow *self,
                                   gboolean        high_contrast)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  digithek_display_menu_set_high_contrast (self->display_menu, high_contrast);
}

gboolean
digithek_window_get_high_contrast (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);
  return digithek_display_menu_get_high_contrast (self->display_menu);
}

void
digithek_window_reset_display (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  digithek_display_menu_set_open (self->display_menu, FALSE);
  digithek_display_menu_set_text_scale (self->display_menu, 100);
  digithek_display_menu_set_high_contrast (self->display_menu, FALSE);
}

GtkWidget *
digithek_window_get_display_menu (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->display_menu);
}

static void
set_read_aloud_source (DigithekWindow *self,
                       GtkWidget      *source)
{
  if (self->read_aloud_source == source)
    return;
  if (DIGITHEK_IS_READ_ALOUD_BUTTON (self->read_aloud_source))
    digithek_read_aloud_button_set_active (DIGITHEK_READ_ALOUD_BUTTON (self->read_aloud_source), FALSE);
  g_set_weak_pointer (&self->read_aloud_source, source);
  if (DIGITHEK_IS_READ_ALOUD_BUTTON (source))
    digithek_read_aloud_button_set_active (DIGITHEK_READ_ALOUD_BUTTON (source), TRUE);
}

static void
speaking_changed_cb (DigithekWindow *self)
{
  /* Read to the end (or failed): the button says "Read aloud" again. */
  if (!digithek_speech_get_speaking (self->speech))
    set_read_aloud_source (self, NULL);
}

static void
speech_failed_cb (DigithekWindow *self,
                  const GError   *error)
{
  const char *message;

  if (g_error_matches (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_AUDIO))
    message = _("Read-aloud is not available: this kiosk has no loudspeaker.");
  else
    message = _("Read-aloud is not available for this text.");
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
digithek_window_read_aloud (DigithekWindow *self,
                            const char     *text,
                            const char     *language,
                            GtkWidget      *source)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  if (self->speech == NULL)
    {
      /* DIGITHEK_SPEECH_DEVICE: an ALSA PCM for kiosks (and tests) that need one. */
      self->speech = digithek_speech_new (g_getenv ("DIGITHEK_SPEECH_DEVICE"));
      g_signal_connect_swapped (self->speech, "notify::speaking",
                                G_CALLBACK (speaking_changed_cb), self);
      g_signal_connect_swapped (self->speech, "failed", G_CALLBACK (speech_failed_cb), self);
    }
  digithek_speech_speak (self->speech, text, language != NULL ? language : self->language);
  set_read_aloud_source (self, source);
}

void
digithek_window_stop_read_aloud (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  if (self->speech != NULL)
    digithek_speech_stop (self->speech);
  set_read_aloud_source (self, NULL);
}

gboolean
digithek_window_get_reading_aloud (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);
  return self->speech != NULL && digithek_speech_get_speaking (self->speech);
}
