/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "digithek-bar-layout.h"
#include "digithek-dataset-view.h"
#include "digithek-explainer-view.h"
#include "digithek-guide-view.h"
#include "digithek-i18n.h"
#include "digithek-json.h"
#include "digithek-tour-view.h"
#include "digithek-window-private.h"

G_DEFINE_FINAL_TYPE (DigithekWindow, digithek_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LANGUAGE,
  PROP_VIEW,
  PROP_READING_ALOUD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SESSION_BOUNDARY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_digithek_window_update_actions (DigithekWindow *self)
{
  gboolean in_item = self->current_item != NULL || self->staff_page;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.back", in_item);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.home", in_item);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.close-link",
                                 digithek_qr_overlay_get_is_open (self->link_overlay));
}

void
_digithek_window_close_link (DigithekWindow *self)
{
  digithek_qr_overlay_close (self->link_overlay);
}

static void
link_overlay_closed_cb (DigithekWindow *self)
{
  _digithek_window_update_actions (self);
  /* The focus was on the overlay's button; it goes back to the bar. */
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->back_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->back_button));
}

void
_digithek_window_set_view (DigithekWindow *self,
          const char     *view)
{
  _digithek_window_update_actions (self);
  _digithek_window_update_tour_bar (self);
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

/* Every text of the window's own, looked up now: a language switch calls it again. */
static void
update_chrome (DigithekWindow *self)
{
  adw_button_content_set_label (self->back_content, _("Back"));
  adw_button_content_set_label (self->home_content, _("Home"));
  adw_status_page_set_title (self->loading_page, _("Loading content…"));
  adw_status_page_set_title (self->empty_page, _("No content yet"));
  adw_status_page_set_description (self->empty_page,
                                   _("This kiosk has not received any content packs. It will "
                                     "show them as soon as they arrive."));
  _digithek_window_update_out_of_service_texts (self);
  digithek_language_switch_update_texts (self->language_switch);
  digithek_display_menu_relabel (self->display_menu);
  digithek_home_view_update_texts (self->home_view);
  adw_button_content_set_label (self->search_content, _("Search"));   /* search */
}

void
_digithek_window_show_home_page (DigithekWindow *self)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    digithek_home_view_get_n_items (self->home_view) > 0
                                      ? "home" : "empty");
  _digithek_window_set_view (self, gtk_stack_get_visible_child_name (self->stack));
}

static GtkWidget *create_item_view (DigithekStore     *store,
                                    DigithekStoreItem *item,
                                    gpointer           user_data);

/* The view of @item by its kind, given @item's parsed manifest. */
static GtkWidget *
make_item_view (DigithekWindow    *self,
                DigithekStore     *store,
                DigithekStoreItem *item,
                JsonObject        *manifest)
{
  GtkWidget *view;

  /* The one place that knows the kinds: after it, the window only talks to the view
   * through DigithekItemView. */
  switch (item->kind)
    {
    case DIGITHEK_ITEM_DATASET:
      view = digithek_dataset_view_new (store, item, manifest);
      break;
    case DIGITHEK_ITEM_EXPLAINER:
      view = digithek_explainer_view_new (store, item, manifest);
      break;
    case DIGITHEK_ITEM_GUIDE:
      view = digithek_guide_view_new (store, item, manifest);
      break;
    case DIGITHEK_ITEM_TOUR:
      view = digithek_tour_view_new (store, item, manifest, create_item_view, self);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  digithek_item_view_set_handoff (DIGITHEK_ITEM_VIEW (view), self->handoff, self->prefer_local);

  /* A tour's stop re-rendered in another language keeps its step. */
  if (self->restore_stop != NULL && item->kind != DIGITHEK_ITEM_TOUR)
    {
      g_autofree char *id = g_strdup_printf ("%s/%s", item->pack_id, item->item_id);

      if (g_str_equal (id, self->restore_stop))
        {
          digithek_item_view_set_position (DIGITHEK_ITEM_VIEW (view), self->restore_stop_step);
          g_clear_pointer (&self->restore_stop, g_free);
        }
    }
  return view;
}

/* A tour's stop: the tour view asks for each of its stops. */
static GtkWidget *
create_item_view (DigithekStore     *store,
                  DigithekStoreItem *item,
                  gpointer           user_data)
{
  g_autoptr(JsonObject) manifest = digithek_json_parse_object (item->manifest_json);

  return make_item_view (DIGITHEK_WINDOW (user_data), store, item, manifest);
}

static void
item_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DigithekWindow *self = user_data;
  g_autoptr(DigithekStoreItem) item = NULL;
  g_autoptr(JsonObject) manifest = NULL;
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
                                   adw_toast_new (_("This content is not available here.")));
      return;
    }

  /* The manifest is parsed here, once, for the view and the language switch. */
  manifest = digithek_json_parse_object (item->manifest_json);
  widget = make_item_view (self, self->store, item, manifest);
  _digithek_window_leave_staff_pages (self);
  _digithek_window_restore_position (self, widget, id);
  self->item_has_easy = _digithek_window_item_has_easy_texts (manifest);
  self->current_kind = item->kind;
  if (self->opening_pushes && self->current_item != NULL)
    g_ptr_array_add (self->back_stack, g_steal_pointer (&self->current_item));
  g_free (self->current_item);
  self->current_item = g_steal_pointer (&id);
  _digithek_window_update_language_switch (self);

  /* The focus leaves the view being replaced first: GtkStack would otherwise move it
   * into the new view, and GTK 4.8 labels with links warn when they get the focus
   * while the window has none. The bar's Back button is always there for it. */
  _digithek_window_update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->back_button));

  adw_bin_set_child (self->item_bin, widget);
  gtk_stack_set_visible_child_name (self->stack, "item");
  view = g_strdup_printf ("%s:%s", item->kind == DIGITHEK_ITEM_TOUR ? "tour" : "item",
                          self->current_item);
  _digithek_window_set_view (self, view);
}

gboolean
_digithek_window_split_id (const char  *id,
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

void
_digithek_window_open_item_internal (DigithekWindow *self,
                    const char     *id,
                    gboolean        push)
{
  g_autofree char *pack_id = NULL;
  g_autofree char *item_id = NULL;

  if (self->store == NULL || !_digithek_window_split_id (id, &pack_id, &item_id))
    return;

  digithek_window_stop_read_aloud (self);
  _digithek_window_close_link (self);
  /* Only a re-render in place goes back to where the citizen was. */
  if (g_strcmp0 (id, self->restore_item) != 0)
    {
      g_clear_pointer (&self->restore_item, g_free);
      g_clear_pointer (&self->restore_stop, g_free);
    }
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

void
_digithek_window_cancel_opening (DigithekWindow *self)
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
void
_digithek_window_focus_changed (DigithekWindow *self)
{
  if (gtk_root_get_focus (GTK_ROOT (self)) == NULL && self->refocus_id == 0)
    self->refocus_id = g_idle_add (refocus_cb, self);
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
  _digithek_window_session_dispose (self);
  if (self->pin != NULL)
    g_signal_handlers_disconnect_by_data (self->pin, self);
  g_clear_object (&self->pin);
  g_clear_object (&self->staff_entry);
  g_cancellable_cancel (self->packs_cancellable);
  g_clear_object (&self->packs_cancellable);
  if (self->speech != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->speech, self);
      digithek_speech_stop (self->speech);
      g_clear_object (&self->speech);
    }
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
  g_clear_pointer (&self->out_of_service_reason, g_free);
  g_clear_pointer (&self->restore_item, g_free);
  g_clear_pointer (&self->restore_stop, g_free);
  g_clear_pointer (&self->default_language, g_free);
  g_clear_pointer (&self->guided_tour, g_free);

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
    case PROP_READING_ALOUD:
      g_value_set_boolean (value, self->reading_aloud);
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
  /**
   * DigithekWindow:reading-aloud:
   *
   * %TRUE while the window's speech engine reads ("view.read-aloud"); the read-aloud
   * buttons watch it to say "Stop" or "Read aloud".
   */
  properties[PROP_READING_ALOUD] =
    g_param_spec_boolean ("reading-aloud", NULL, NULL, FALSE,
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
  g_type_ensure (DIGITHEK_TYPE_PIN_PAD);
  g_type_ensure (DIGITHEK_TYPE_ADMIN_VIEW);
  g_type_ensure (DIGITHEK_TYPE_LANGUAGE_SWITCH);
  g_type_ensure (DIGITHEK_TYPE_SEARCH_VIEW);   /* search */
  g_type_ensure (DIGITHEK_TYPE_DISPLAY_MENU);
  g_type_ensure (DIGITHEK_TYPE_BAR_LAYOUT);
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
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, admin_view);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, language_switch);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, search_content); /* search */
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, display_menu);
  gtk_widget_class_bind_template_callback (widget_class, link_overlay_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, digithek_window_go_home);

  _digithek_window_class_actions_init (widget_class);
  _digithek_window_class_session_init (widget_class);
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
  /* The switch's buttons set the window's language; D-Bus sets it through the window. */
  g_object_bind_property (self, "language", self->language_switch, "language",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  digithek_i18n_set_language (self->language);
  update_chrome (self);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (_digithek_window_focus_changed), NULL);
  _digithek_window_session_init (self);
  self->staff_entry = digithek_staff_entry_new (GTK_WIDGET (self), NULL);
  g_signal_connect_swapped (self->staff_entry, "activated",
                            G_CALLBACK (digithek_window_show_pin_pad), self);
  g_signal_connect_swapped (self->display_menu, "notify::text-scale",
                            G_CALLBACK (_digithek_window_display_changed), self);
  g_signal_connect_swapped (self->display_menu, "notify::high-contrast",
                            G_CALLBACK (_digithek_window_display_changed), self);
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
  if (kiosk_mode && self->lockdown == NULL)
    self->lockdown = digithek_lockdown_new (GTK_WINDOW (self));
  else if (!kiosk_mode)
    {
      g_clear_object (&self->lockdown);
      gtk_window_set_deletable (GTK_WINDOW (self), TRUE);
      gtk_window_set_decorated (GTK_WINDOW (self), TRUE);
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
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
  _digithek_window_set_view (self, "loading");
}

void
digithek_window_show_out_of_service (DigithekWindow *self,
                                     const char     *reason)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  g_free (self->out_of_service_reason);
  self->out_of_service_reason = g_strdup (reason != NULL ? reason : "");
  _digithek_window_update_out_of_service_texts (self);

  _digithek_window_close_link (self);
  _digithek_window_cancel_opening (self);
  _digithek_window_leave_staff_pages (self);
  g_ptr_array_set_size (self->back_stack, 0);
  g_clear_pointer (&self->current_item, g_free);
  adw_bin_set_child (self->item_bin, NULL);
  gtk_stack_set_visible_child_name (self->stack, "out-of-service");
  _digithek_window_set_view (self, "out-of-service");
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
  digithek_admin_view_set_store (self->admin_view, store);
  _digithek_window_update_home_has_easy (self);
  if (self->search_view != NULL)
    digithek_search_view_set_store (self->search_view, store);   /* search */
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
  /* UI strings and content switch together: the chrome now, the item as it reloads. */
  digithek_i18n_set_language (language);
  update_chrome (self);
  if (self->search_view != NULL)
    digithek_search_view_set_language (self->search_view, language);   /* search */

  /* Re-render in place: the same item, the same place in the back stack, the same
   * step or stop. */
  if (self->current_item != NULL)
    {
      g_autofree char *current = g_strdup (self->current_item);

      _digithek_window_remember_position (self);
      _digithek_window_open_item_internal (self, current, FALSE);
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
  /* New content may bring (or take) easy-language texts. */
  _digithek_window_update_home_has_easy (self);
  if (self->current_item == NULL && !self->staff_page)
    _digithek_window_show_home_page (self);
}

gboolean
digithek_window_open_item (DigithekWindow *self,
                           const char     *id)
{
  g_autofree char *pack_id = NULL;
  g_autofree char *item_id = NULL;

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  if (!_digithek_window_split_id (id, &pack_id, &item_id))
    return FALSE;
  _digithek_window_open_item_internal (self, id, TRUE);
  return TRUE;
}

void
digithek_window_go_back (DigithekWindow *self)
{
  g_autofree char *previous = NULL;

  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  digithek_window_stop_read_aloud (self);
  _digithek_window_close_link (self);
  if (self->back_stack->len == 0)
    {
      digithek_window_go_home (self);
      return;
    }
  previous = g_ptr_array_steal_index (self->back_stack, self->back_stack->len - 1);
  if (g_str_equal (previous, SEARCH_ENTRY))   /* search */
    {
      _digithek_window_show_search_page (self, FALSE);
      return;
    }
  _digithek_window_open_item_internal (self, previous, FALSE);
}

void
digithek_window_go_home (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  digithek_window_stop_read_aloud (self);
  _digithek_window_close_link (self);
  _digithek_window_cancel_opening (self);
  g_ptr_array_set_size (self->back_stack, 0);
  g_clear_pointer (&self->current_item, g_free);
  /* The item's view goes, and with it its loads (cancelled in its dispose). */
  adw_bin_set_child (self->item_bin, NULL);
  if (self->staff_page)
    {
      _digithek_window_leave_staff_pages (self);
      if (!self->has_home)
        {
          gtk_stack_set_visible_child_name (self->stack, "loading");
          _digithek_window_set_view (self, "loading");
        }
    }
  _digithek_window_update_language_switch (self);
  /* Home starts over: what was searched goes. */
  if (self->search_view != NULL)
    digithek_search_view_clear (self->search_view);   /* search */
  if (self->has_home)
    _digithek_window_show_home_page (self);

  g_signal_emit (self, signals[SESSION_BOUNDARY], 0);
}

gboolean
digithek_window_next (DigithekWindow *self)
{
  GtkWidget *view;
  gboolean moved;

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  digithek_window_stop_read_aloud (self);
  view = adw_bin_get_child (self->item_bin);
  if (!DIGITHEK_IS_ITEM_VIEW (view))
    return FALSE;
  moved = digithek_item_view_next (DIGITHEK_ITEM_VIEW (view));
  _digithek_window_update_tour_bar (self);
  return moved;
}

gboolean
digithek_window_previous (DigithekWindow *self)
{
  GtkWidget *view;
  gboolean moved;

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  digithek_window_stop_read_aloud (self);
  view = adw_bin_get_child (self->item_bin);
  if (!DIGITHEK_IS_ITEM_VIEW (view))
    return FALSE;
  moved = digithek_item_view_previous (DIGITHEK_ITEM_VIEW (view));
  _digithek_window_update_tour_bar (self);
  return moved;
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

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  if (self->opening != NULL)
    return TRUE;
  if (self->current_item == NULL)
    return digithek_home_view_get_loading (self->home_view);
  view = adw_bin_get_child (self->item_bin);
  return DIGITHEK_IS_ITEM_VIEW (view) && digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (view));
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

      _digithek_window_open_item_internal (self, current, FALSE);
    }
}

const char *
digithek_window_get_link_url (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return digithek_qr_overlay_get_url (self->link_overlay);
}

/* ---- search ------------------------------------------------------------------- */

/* Shows the search view as it was left. @push: the view shown now goes onto the back
 * stack (an item; home needs no entry, the stack's bottom is home anyway). */
/* Made at the first search: fifty keyboard keys most citizens never open would cost
 * every start. */
static void
ensure_search_view (DigithekWindow *self)
{
  if (self->search_view != NULL)
    return;
  self->search_view = DIGITHEK_SEARCH_VIEW (digithek_search_view_new ());
  digithek_search_view_set_language (self->search_view, self->language);
  if (self->store != NULL)
    digithek_search_view_set_store (self->search_view, self->store);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->search_view), "search");
}

void
_digithek_window_show_search_page (DigithekWindow *self,
                  gboolean        push)
{
  ensure_search_view (self);
  _digithek_window_close_link (self);
  _digithek_window_cancel_opening (self);
  if (push && self->current_item != NULL && !g_str_equal (self->current_item, SEARCH_ENTRY))
    g_ptr_array_add (self->back_stack, g_steal_pointer (&self->current_item));
  g_free (self->current_item);
  self->current_item = g_strdup (SEARCH_ENTRY);
  /* The item view goes, and with it its loads; Back opens it again. */
  adw_bin_set_child (self->item_bin, NULL);
  gtk_stack_set_visible_child_name (self->stack, "search");
  _digithek_window_set_view (self, "search");
}

/**
 * digithek_window_search:
 * @text: (nullable): what to search; %NULL keeps what the field holds
 *
 * Opens the search view (view "search"), the view shown before going onto the back
 * stack, with @text in the field and its results, and puts the focus in the field,
 * which shows the on-screen keyboard.
 */
void
digithek_window_search (DigithekWindow *self,
                        const char     *text)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  _digithek_window_show_search_page (self, TRUE);
  if (text != NULL)
    digithek_search_view_set_query (self->search_view, text);
  digithek_search_view_focus_entry (self->search_view);
}

/* (transfer none): the search view, for tests. */
GtkWidget *
digithek_window_get_search_view (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  ensure_search_view (self);
  return GTK_WIDGET (self->search_view);
}
