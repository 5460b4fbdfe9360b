/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "digithek-attract-view.h"
#include "digithek-admin-view.h"
#include "digithek-dataset-view.h"
#include "digithek-display-menu.h"
#include "digithek-explainer-view.h"
#include "digithek-feedback-poll.h"
#include "digithek-guide-view.h"
#include "digithek-home-view.h"
#include "digithek-idle-overlay.h"
#include "digithek-qr-overlay.h"
#include "digithek-tour-bar.h"
#include "digithek-pin-pad.h"
#include "digithek-i18n.h"
#include "digithek-language-switch.h"
#include "digithek-qr-overlay.h"
#include "digithek-staff-entry.h"
#include "digithek-search-view.h"
#include "digithek-bar-layout.h"
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
  DigithekPinPad   *pin_pad;
  DigithekAdminView *admin_view;
  /* languages: the switch and the status pages re-rendered on a switch */
  DigithekLanguageSwitch *language_switch;
  AdwStatusPage    *loading_page;
  AdwStatusPage    *empty_page;
  DigithekSearchView *search_view;      /* search */
  AdwButtonContent *search_content;     /* search */
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

  /* session: lockdown, idle, attract, guided tours (the block at the end) */
  GtkOverlay       *main_overlay;    /* template */
  GtkBox           *main_box;        /* template */
  GtkWidget        *idle_overlay;    /* borrowed: children of main_overlay and main_box */
  GtkWidget        *attract_view;
  GtkWidget        *feedback_poll;
  GtkWidget        *tour_bar;
  DigithekLockdown *lockdown;        /* owned */
  DigithekSession  *session;         /* owned */
  char             *default_language;
  char             *guided_tour;     /* "PACK/ITEM", or NULL */
  DigithekWindowPinFunc pin_func;
  gpointer          pin_data;
  DigithekWindowPinCallback pin_request_cb;   /* a request waiting on the PIN pad */
  gpointer          pin_request_data;
  double            pointer_x;
  double            pointer_y;
  /* staff admin (see the block at the end) */
  DigithekPin        *pin;
  DigithekStaffEntry *staff_entry;
  gboolean            staff_page;   /* the PIN pad or the admin view is shown */

  /* languages (owned) */
  char             *out_of_service_reason;
  GCancellable     *packs_cancellable;  /* the listing that finds easy-language packs */
  gboolean          home_has_easy;      /* an installed pack has de-x-easy texts */
  gboolean          item_has_easy;      /* the item shown has */
  char             *restore_item;       /* "PACK/ITEM" re-rendered in another language… */
  guint             restore_position;   /* …at this guide step or tour stop */
  char             *restore_stop;       /* a tour's stop re-rendered… */
  guint             restore_stop_step;  /* …at this guide step */
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
  FEEDBACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void open_item_internal      (DigithekWindow *self,
                                     const char     *id,
                                     gboolean        push);
static void focus_widget_changed_cb (DigithekWindow *self);
static void session_init            (DigithekWindow *self);
static void session_class_init      (GtkWidgetClass *widget_class);
static void session_dispose         (DigithekWindow *self);
static void update_tour_bar         (DigithekWindow *self);
static gboolean answer_pin_request  (DigithekWindow *self,
                                     gboolean        granted);
static void leave_staff_pages       (DigithekWindow *self);
static void pin_pad_unlocked_cb     (DigithekWindow *self);
static void show_search_page        (DigithekWindow *self,
                                     gboolean        push);
static void display_changed_cb      (DigithekWindow *self);

/* search: the search view's entry in current_item and the back stack, where the
 * others hold "PACK/ITEM" (which it can never be). */
#define SEARCH_ENTRY "search"

static void update_out_of_service_texts (DigithekWindow *self);
static void update_language_switch      (DigithekWindow *self);
static void restore_position            (DigithekWindow *self,
                                         GtkWidget      *view,
                                         const char     *id);
static gboolean item_has_easy_texts     (DigithekStoreItem *item);
static void update_home_has_easy        (DigithekWindow *self);
static void remember_position           (DigithekWindow *self);

static void
update_actions (DigithekWindow *self)
{
  gboolean in_item = self->current_item != NULL || self->staff_page;

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
  update_tour_bar (self);
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
  update_out_of_service_texts (self);
  digithek_language_switch_update_texts (self->language_switch);
  digithek_display_menu_relabel (self->display_menu);
  digithek_home_view_update_texts (self->home_view);
  adw_button_content_set_label (self->search_content, _("Search"));   /* search */
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
      /* A tour's stop re-rendered in another language keeps its step. */
      if (self->restore_stop != NULL)
        {
          g_autofree char *id = g_strdup_printf ("%s/%s", item->pack_id, item->item_id);

          if (g_str_equal (id, self->restore_stop))
            {
              digithek_guide_view_set_step (DIGITHEK_GUIDE_VIEW (view), self->restore_stop_step);
              g_clear_pointer (&self->restore_stop, g_free);
            }
        }
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
                                   adw_toast_new (_("This content is not available here.")));
      return;
    }

  widget = create_item_view (self->store, item, self);
  leave_staff_pages (self);
  restore_position (self, widget, id);
  self->item_has_easy = item_has_easy_texts (item);
  if (self->opening_pushes && self->current_item != NULL)
    g_ptr_array_add (self->back_stack, g_steal_pointer (&self->current_item));
  g_free (self->current_item);
  self->current_item = g_steal_pointer (&id);
  update_language_switch (self);

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

/* search */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  digithek_window_search (DIGITHEK_WINDOW (widget), NULL);
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
  session_dispose (self);
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

  gtk_widget_class_install_action (widget_class, "view.open-item", "s", open_item_action);
  gtk_widget_class_install_action (widget_class, "view.back", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "view.home", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "view.next", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "view.previous", NULL, navigate_action);
  /* A tapped Markdown link ("(uri, label)") shows its code; Escape closes it. */
  gtk_widget_class_install_action (widget_class, "view.show-link", "(ss)", show_link_action);
  gtk_widget_class_install_action (widget_class, "view.close-link", NULL, close_link_action);
  gtk_widget_class_install_action (widget_class, "view.search", NULL, search_action);   /* search */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "view.close-link", NULL);

  session_class_init (widget_class);
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
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (focus_widget_changed_cb), NULL);
  session_init (self);
  self->staff_entry = digithek_staff_entry_new (GTK_WIDGET (self), NULL);
  g_signal_connect_swapped (self->staff_entry, "activated",
                            G_CALLBACK (digithek_window_show_pin_pad), self);
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
  set_view (self, "loading");
}

void
digithek_window_show_out_of_service (DigithekWindow *self,
                                     const char     *reason)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  g_free (self->out_of_service_reason);
  self->out_of_service_reason = g_strdup (reason != NULL ? reason : "");
  update_out_of_service_texts (self);

  close_link (self);
  cancel_opening (self);
  leave_staff_pages (self);
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
  digithek_admin_view_set_store (self->admin_view, store);
  update_home_has_easy (self);
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

      remember_position (self);
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
  /* New content may bring (or take) easy-language texts. */
  update_home_has_easy (self);
  if (self->current_item == NULL && !self->staff_page)
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
  if (g_str_equal (previous, SEARCH_ENTRY))   /* search */
    {
      show_search_page (self, FALSE);
      return;
    }
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
  if (self->staff_page)
    {
      leave_staff_pages (self);
      if (!self->has_home)
        {
          gtk_stack_set_visible_child_name (self->stack, "loading");
          set_view (self, "loading");
        }
    }
  update_language_switch (self);
  /* Home starts over: what was searched goes. */
  if (self->search_view != NULL)
    digithek_search_view_clear (self->search_view);   /* search */
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
    {
      gboolean moved = digithek_tour_view_next (DIGITHEK_TOUR_VIEW (view));

      update_tour_bar (self);
      return moved;
    }
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
    {
      gboolean moved = digithek_tour_view_previous (DIGITHEK_TOUR_VIEW (view));

      update_tour_bar (self);
      return moved;
    }
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

static void
update_tour_bar (DigithekWindow *self)
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
  if (self->current_item != NULL && DIGITHEK_IS_TOUR_VIEW (view))
    digithek_tour_bar_set_progress (DIGITHEK_TOUR_BAR (self->tour_bar),
                                    digithek_tour_view_get_stop (DIGITHEK_TOUR_VIEW (view)),
                                    digithek_tour_view_get_n_stops (DIGITHEK_TOUR_VIEW (view)));
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
      set_view (self, "attract");
    }
  else
    {
      digithek_attract_view_stop (DIGITHEK_ATTRACT_VIEW (self->attract_view));
      /* The reset left the window at home (or a tour started meanwhile). */
      if (self->current_item == NULL && self->has_home)
        show_home_page (self);
      else if (self->current_item == NULL)
        set_view (self, gtk_stack_get_visible_child_name (self->stack));
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
      focus_widget_changed_cb (self);
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
    g_signal_emit (self, signals[FEEDBACK], 0, self->guided_tour, satisfaction, again);
}

static void
poll_done_cb (DigithekFeedbackPoll *poll,
              DigithekWindow       *self)
{
  gtk_widget_set_visible (self->feedback_poll, FALSE);
  g_clear_pointer (&self->guided_tour, g_free);
  digithek_window_go_home (self);
  update_tour_bar (self);
}

static void
end_tour_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  digithek_window_end_tour (DIGITHEK_WINDOW (widget));
}

static void
guided_pin_cb (DigithekWindow *self,
               gboolean        granted,
               gpointer        user_data)
{
  g_autofree char *id = user_data;

  if (granted)
    digithek_window_start_tour (self, id);
}

/* The tour view's "Start guided tour": only with the staff PIN. */
static void
start_guided_tour_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DigithekWindow *self = DIGITHEK_WINDOW (widget);

  if (self->current_item == NULL || self->guided_tour != NULL)
    return;
  digithek_window_request_pin (self, guided_pin_cb, g_strdup (self->current_item));
}

static void
session_class_init (GtkWidgetClass *widget_class)
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
  signals[FEEDBACK] =
    g_signal_new ("feedback", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_INT);

  g_type_ensure (DIGITHEK_TYPE_IDLE_OVERLAY);
  g_type_ensure (DIGITHEK_TYPE_ATTRACT_VIEW);
  g_type_ensure (DIGITHEK_TYPE_TOUR_BAR);
  g_type_ensure (DIGITHEK_TYPE_FEEDBACK_POLL);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, main_overlay);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, main_box);
  gtk_widget_class_install_action (widget_class, "view.end-tour", NULL, end_tour_action);
  gtk_widget_class_install_action (widget_class, "view.start-guided-tour", NULL,
                                   start_guided_tour_action);
}

static void
session_init (DigithekWindow *self)
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
  update_tour_bar (self);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_name (controller, "digithek-session-activity");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (activity_event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
session_dispose (DigithekWindow *self)
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
  close_link (self);

  /* The back stack and the item go; home shows in the default language (the
   * application re-lists home on notify::language). */
  cancel_opening (self);
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
  update_tour_bar (self);

  /* Home, and with it the session boundary: pending content shows now. */
  digithek_window_go_home (self);
  if (!self->has_home)
    set_view (self, gtk_stack_get_visible_child_name (self->stack));
}

gboolean
digithek_window_start_tour (DigithekWindow *self,
                            const char     *id)
{
  g_autofree char *pack_id = NULL;
  g_autofree char *item_id = NULL;

  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);

  if (!split_id (id, &pack_id, &item_id))
    return FALSE;
  g_free (self->guided_tour);
  self->guided_tour = g_strdup (id);
  gtk_widget_set_visible (self->feedback_poll, FALSE);
  if (self->session != NULL)
    digithek_session_start_tour (self->session);
  if (g_strcmp0 (self->current_item, id) != 0)
    open_item_internal (self, id, TRUE);
  update_tour_bar (self);
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
  close_link (self);
  digithek_feedback_poll_restart (DIGITHEK_FEEDBACK_POLL (self->feedback_poll));
  gtk_widget_set_visible (self->feedback_poll, TRUE);
  update_tour_bar (self);
  set_view (self, "feedback");
}

const char *
digithek_window_get_guided_tour (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->guided_tour;
}

/* Answers a request waiting on the PIN pad, if any. A granted one closes the pad and
 * locks the admin session again: the pilot needed the PIN, not the admin view. */
static gboolean
answer_pin_request (DigithekWindow *self,
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
      leave_staff_pages (self);
      if (self->has_home)
        show_home_page (self);
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
      answer_pin_request (self, FALSE);
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

/* --- staff admin --------------------------------------------------------------------- */
/* The hidden corner opens the PIN pad; the right PIN opens the admin view; Home, Back,
 * Lock and the auto-lock all leave it locked. */

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
static void
leave_staff_pages (DigithekWindow *self)
{
  if (!self->staff_page)
    return;
  /* A guided tour's PIN request left without the right PIN: refused. */
  answer_pin_request (self, FALSE);
  self->staff_page = FALSE;
  if (self->pin_pad != NULL)
    digithek_pin_pad_reset (self->pin_pad);
  if (self->pin != NULL)
    digithek_pin_lock (self->pin);
  update_actions (self);
}

static void
show_staff_page (DigithekWindow *self,
                 const char     *name)
{
  close_link (self);
  cancel_opening (self);
  g_ptr_array_set_size (self->back_stack, 0);
  g_clear_pointer (&self->current_item, g_free);
  adw_bin_set_child (self->item_bin, NULL);
  self->staff_page = TRUE;
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, name);
  set_view (self, name);
}

static void
pin_pad_unlocked_cb (DigithekWindow *self)
{
  if (!self->staff_page || self->pin == NULL || !digithek_pin_get_unlocked (self->pin))
    return;
  /* The PIN was asked for a guided tour, not for the admin view. */
  if (answer_pin_request (self, TRUE))
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

/* Languages ----------------------------------------------------------------- */

static void
update_out_of_service_texts (DigithekWindow *self)
{
  g_autofree char *escaped = NULL;
  g_autofree char *description = NULL;

  adw_status_page_set_title (self->out_of_service_page, _("Temporarily out of service"));
  /* The reason may quote content or paths: never markup. */
  escaped = g_markup_escape_text (self->out_of_service_reason != NULL
                                    ? self->out_of_service_reason : "", -1);
  description = g_strdup_printf ("%s\n\n<small>%s</small>",
                                 _("Please try again later or ask our staff."), escaped);
  adw_status_page_set_description (self->out_of_service_page, description);
}

/* "Leichte Sprache" is offered where the content shown has it: the item's texts, or
 * on home any installed pack's. */
static void
update_language_switch (DigithekWindow *self)
{
  digithek_language_switch_set_offer_easy (self->language_switch,
                                           self->current_item != NULL ? self->item_has_easy
                                                                      : self->home_has_easy);
}

static gboolean
item_has_easy_texts (DigithekStoreItem *item)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest;
  JsonNode *title;

  if (item->manifest_json == NULL ||
      !json_parser_load_from_data (parser, item->manifest_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  manifest = json_node_get_object (json_parser_get_root (parser));
  title = json_object_get_member (manifest, "title");
  return title != NULL && JSON_NODE_HOLDS_OBJECT (title) &&
         json_object_has_member (json_node_get_object (title), "de-x-easy");
}

static void
packs_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DigithekWindow *self = user_data;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;

  packs = digithek_store_list_packs_finish (DIGITHEK_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (packs == NULL)
    {
      g_debug ("Cannot list the packs' languages: %s", error->message);
      return;
    }
  self->home_has_easy = FALSE;
  for (guint i = 0; i < packs->len; i++)
    {
      DigithekStorePackInfo *info = g_ptr_array_index (packs, i);

      if (info->languages != NULL &&
          g_strv_contains ((const char * const *) info->languages, "de-x-easy"))
        self->home_has_easy = TRUE;
    }
  update_language_switch (self);
}

static void
update_home_has_easy (DigithekWindow *self)
{
  g_cancellable_cancel (self->packs_cancellable);
  g_clear_object (&self->packs_cancellable);
  if (self->store == NULL)
    {
      self->home_has_easy = FALSE;
      update_language_switch (self);
      return;
    }
  self->packs_cancellable = g_cancellable_new ();
  digithek_store_list_packs_async (self->store, NULL, self->packs_cancellable,
                                   packs_listed_cb, self);
}

/* Where the citizen is in the item shown, for its re-render in another language. */
static void
remember_position (DigithekWindow *self)
{
  GtkWidget *view = adw_bin_get_child (self->item_bin);

  g_clear_pointer (&self->restore_item, g_free);
  g_clear_pointer (&self->restore_stop, g_free);
  if (self->current_item == NULL || view == NULL)
    return;

  self->restore_item = g_strdup (self->current_item);
  if (DIGITHEK_IS_GUIDE_VIEW (view))
    self->restore_position = digithek_guide_view_get_step (DIGITHEK_GUIDE_VIEW (view));
  else if (DIGITHEK_IS_TOUR_VIEW (view))
    {
      DigithekTourView *tour = DIGITHEK_TOUR_VIEW (view);
      GtkWidget *stop_view = digithek_tour_view_get_stop_view (tour);

      self->restore_position = digithek_tour_view_get_stop (tour);
      if (stop_view != NULL && DIGITHEK_IS_GUIDE_VIEW (stop_view))
        {
          self->restore_stop = g_strdup (digithek_tour_view_get_stop_id (tour, self->restore_position));
          self->restore_stop_step = digithek_guide_view_get_step (DIGITHEK_GUIDE_VIEW (stop_view));
        }
    }
  else
    self->restore_position = 0;
}

static void
restore_position (DigithekWindow *self,
                  GtkWidget      *view,
                  const char     *id)
{
  if (self->restore_item == NULL || g_strcmp0 (id, self->restore_item) != 0)
    return;
  g_clear_pointer (&self->restore_item, g_free);
  if (DIGITHEK_IS_GUIDE_VIEW (view))
    digithek_guide_view_set_step (DIGITHEK_GUIDE_VIEW (view), self->restore_position);
  else if (DIGITHEK_IS_TOUR_VIEW (view))
    digithek_tour_view_set_stop (DIGITHEK_TOUR_VIEW (view), self->restore_position);
}

DigithekLanguageSwitch *
digithek_window_get_language_switch (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->language_switch;
}

/* ---- search ---- */

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

static void
show_search_page (DigithekWindow *self,
                  gboolean        push)
{
  ensure_search_view (self);
  close_link (self);
  cancel_opening (self);
  if (push && self->current_item != NULL && !g_str_equal (self->current_item, SEARCH_ENTRY))
    g_ptr_array_add (self->back_stack, g_steal_pointer (&self->current_item));
  g_free (self->current_item);
  self->current_item = g_strdup (SEARCH_ENTRY);
  /* The item view goes, and with it its loads; Back opens it again. */
  adw_bin_set_child (self->item_bin, NULL);
  gtk_stack_set_visible_child_name (self->stack, "search");
  set_view (self, "search");
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

  show_search_page (self, TRUE);
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
