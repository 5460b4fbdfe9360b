/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "digithek-json.h"
#include "digithek-item-view.h"
#include "digithek-tour-view.h"

struct _DigithekTourView
{
  AdwBin                parent_instance;

  /* template widgets */
  GtkLabel             *title_label;
  GtkLabel             *progress_label;
  GtkLabel             *previous_content;
  GtkLabel             *next_content;
  GtkWidget            *guided_button;
  GtkStack             *stop_stack;
  AdwBin               *stop_bin;
  AdwStatusPage        *missing_page;

  /* borrowed */
  DigithekTourViewFunc  view_func;
  gpointer              view_func_data;

  /* owned */
  DigithekStore        *store;
  GCancellable         *cancellable;   /* the stop being fetched */
  char                 *language;
  GPtrArray            *stops;         /* "PACK/ITEM" */
  guint                 stop;
  gboolean              fetching;
  gboolean              loading;
};

static void item_view_iface_init (DigithekItemViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DigithekTourView, digithek_tour_view, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (DIGITHEK_TYPE_ITEM_VIEW, item_view_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_STOP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_loading (DigithekTourView *self)
{
  GtkWidget *view = adw_bin_get_child (self->stop_bin);
  gboolean view_loading = FALSE;
  gboolean loading;

  if (DIGITHEK_IS_ITEM_VIEW (view))
    view_loading = digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (view));
  loading = self->fetching || view_loading;
  if (loading == self->loading)
    return;
  self->loading = loading;
  g_object_notify (G_OBJECT (self), "loading");
}

static void
update_progress (DigithekTourView *self)
{
  g_autofree char *text = NULL;
  guint n_stops = self->stops->len;

  /* TRANSLATORS: where a group is in a guided tour ("Station 2 von 6") */
  text = g_strdup_printf (_("Stop %u of %u"), n_stops > 0 ? self->stop + 1 : 0, n_stops);
  gtk_label_set_label (self->progress_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tour.previous", self->stop > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tour.next", self->stop + 1 < n_stops);
}

static void
stop_view_loading_cb (DigithekTourView *self)
{
  update_loading (self);
}

static void
stop_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DigithekTourView *self = user_data;
  g_autoptr(DigithekStoreItem) item = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *view;

  item = digithek_store_get_item_finish (DIGITHEK_STORE (source), result, &error);
  /* Cancelled: another stop was chosen, or the view is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->fetching = FALSE;
  if (item == NULL)
    {
      /* A stop in a pack this kiosk does not have (yet): say so, keep the tour going. */
      g_debug ("Tour stop %s: %s",
               (const char *) g_ptr_array_index (self->stops, self->stop), error->message);
      adw_status_page_set_title (self->missing_page,
                                 _("This stop is not available here right now."));
      gtk_stack_set_visible_child_name (self->stop_stack, "missing");
      update_loading (self);
      return;
    }

  view = self->view_func (self->store, item, self->view_func_data);
  if (view != NULL)
    {
      g_signal_connect_object (view, "notify::loading", G_CALLBACK (stop_view_loading_cb),
                               self, G_CONNECT_SWAPPED);
      adw_bin_set_child (self->stop_bin, view);
      gtk_stack_set_visible_child_name (self->stop_stack, "stop");
    }
  update_loading (self);
}

static void
load_stop (DigithekTourView *self)
{
  g_auto(GStrv) parts = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  adw_bin_set_child (self->stop_bin, NULL);
  update_progress (self);
  if (self->stops->len == 0)
    {
      self->fetching = FALSE;
      update_loading (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->stop_stack, "loading");
  self->fetching = TRUE;
  update_loading (self);
  parts = g_strsplit (g_ptr_array_index (self->stops, self->stop), "/", 2);
  digithek_store_get_item_async (self->store, parts[0], parts[1], self->language,
                                 self->cancellable, stop_loaded_cb, self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DigithekTourView *self = DIGITHEK_TOUR_VIEW (widget);

  if (g_str_equal (action_name, "tour.next"))
    digithek_tour_view_next (self);
  else
    digithek_tour_view_previous (self);
}

static void
digithek_tour_view_dispose (GObject *object)
{
  DigithekTourView *self = DIGITHEK_TOUR_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (digithek_tour_view_parent_class)->dispose (object);
}

static void
digithek_tour_view_finalize (GObject *object)
{
  DigithekTourView *self = DIGITHEK_TOUR_VIEW (object);

  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->stops, g_ptr_array_unref);

  G_OBJECT_CLASS (digithek_tour_view_parent_class)->finalize (object);
}

static void
digithek_tour_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DigithekTourView *self = DIGITHEK_TOUR_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_STOP:
      g_value_set_uint (value, self->stop);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_tour_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DigithekTourView *self = DIGITHEK_TOUR_VIEW (object);

  switch (prop_id)
    {
    case PROP_STOP:
      digithek_tour_view_set_stop (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_tour_view_class_init (DigithekTourViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_tour_view_dispose;
  object_class->finalize = digithek_tour_view_finalize;
  object_class->get_property = digithek_tour_view_get_property;
  object_class->set_property = digithek_tour_view_set_property;

  g_object_class_override_property (object_class, PROP_LOADING, "loading");
  properties[PROP_STOP] =
    g_param_spec_uint ("stop", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_property (object_class, PROP_STOP, properties[PROP_STOP]);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-tour-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekTourView, title_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourView, guided_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourView, previous_content);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourView, next_content);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourView, stop_stack);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourView, stop_bin);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourView, missing_page);

  gtk_widget_class_install_action (widget_class, "tour.previous", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "tour.next", NULL, stop_action);
}

static void
digithek_tour_view_init (DigithekTourView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->stops = g_ptr_array_new_with_free_func (g_free);
}

GtkWidget *
digithek_tour_view_new (DigithekStore        *store,
                        DigithekStoreItem    *item,
                        JsonObject           *manifest,
                        DigithekTourViewFunc  view_func,
                        gpointer              user_data)
{
  DigithekTourView *self;
  JsonArray *stops = digithek_json_get_array (manifest, "stops");

  g_return_val_if_fail (DIGITHEK_IS_STORE (store), NULL);
  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (view_func != NULL, NULL);

  self = g_object_new (DIGITHEK_TYPE_TOUR_VIEW, NULL);
  self->store = g_object_ref (store);
  self->language = g_strdup (item->language);
  self->view_func = view_func;
  self->view_func_data = user_data;

  gtk_label_set_label (self->title_label, item->title);
  gtk_label_set_label (self->previous_content, _("Previous stop"));
  gtk_label_set_label (self->next_content, _("Next stop"));
  /* The buttons' names for screen readers (their labels sit inside a box). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_ancestor (GTK_WIDGET (self->previous_content), GTK_TYPE_BUTTON)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Previous stop"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_ancestor (GTK_WIDGET (self->next_content), GTK_TYPE_BUTTON)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Next stop"), -1);
  gtk_widget_set_tooltip_text (self->guided_button, _("Start guided tour"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->guided_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Start guided tour"), -1);

  for (guint i = 0; stops != NULL && i < json_array_get_length (stops); i++)
    {
      const char *stop = json_node_get_string (json_array_get_element (stops, i));

      if (stop == NULL || *stop == '\0')
        continue;
      /* A bare id is an item of the tour's own pack. */
      if (strchr (stop, '/') != NULL)
        g_ptr_array_add (self->stops, g_strdup (stop));
      else
        g_ptr_array_add (self->stops, g_strdup_printf ("%s/%s", item->pack_id, stop));
    }

  load_stop (self);
  return GTK_WIDGET (self);
}

gboolean
digithek_tour_view_get_loading (DigithekTourView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_TOUR_VIEW (self), FALSE);
  return self->loading;
}

guint
digithek_tour_view_get_n_stops (DigithekTourView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_TOUR_VIEW (self), 0);
  return self->stops->len;
}

guint
digithek_tour_view_get_stop (DigithekTourView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_TOUR_VIEW (self), 0);
  return self->stop;
}

const char *
digithek_tour_view_get_stop_id (DigithekTourView *self,
                                guint             index)
{
  g_return_val_if_fail (DIGITHEK_IS_TOUR_VIEW (self), NULL);
  return index < self->stops->len ? g_ptr_array_index (self->stops, index) : NULL;
}

void
digithek_tour_view_set_stop (DigithekTourView *self,
                             guint             index)
{
  g_return_if_fail (DIGITHEK_IS_TOUR_VIEW (self));

  if (self->stops->len == 0)
    return;
  index = MIN (index, self->stops->len - 1);
  if (index == self->stop)
    return;
  self->stop = index;
  load_stop (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOP]);
}

gboolean
digithek_tour_view_next (DigithekTourView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_TOUR_VIEW (self), FALSE);

  if (self->stop + 1 >= self->stops->len)
    return FALSE;
  digithek_tour_view_set_stop (self, self->stop + 1);
  return TRUE;
}

gboolean
digithek_tour_view_previous (DigithekTourView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_TOUR_VIEW (self), FALSE);

  if (self->stop == 0)
    return FALSE;
  digithek_tour_view_set_stop (self, self->stop - 1);
  return TRUE;
}

const char *
digithek_tour_view_get_progress_text (DigithekTourView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_TOUR_VIEW (self), NULL);
  return gtk_label_get_label (self->progress_label);
}

GtkWidget *
digithek_tour_view_get_stop_view (DigithekTourView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_TOUR_VIEW (self), NULL);
  return adw_bin_get_child (self->stop_bin);
}

/* ---- DigithekItemView: a tour passes what is asked of its stop on to the stop's view ---- */

static gboolean
item_view_get_loading (DigithekItemView *view)
{
  return DIGITHEK_TOUR_VIEW (view)->loading;
}

static void
item_view_set_handoff (DigithekItemView *view,
                       DigithekHandoff  *handoff,
                       gboolean          prefer_local)
{
  /* Each stop's view gets its handoff from the window as it is made. */
}

static guint
item_view_get_position (DigithekItemView *view)
{
  return digithek_tour_view_get_stop (DIGITHEK_TOUR_VIEW (view));
}

static guint
item_view_get_n_positions (DigithekItemView *view)
{
  return digithek_tour_view_get_n_stops (DIGITHEK_TOUR_VIEW (view));
}

static void
item_view_set_position (DigithekItemView *view,
                        guint             position)
{
  digithek_tour_view_set_stop (DIGITHEK_TOUR_VIEW (view), position);
}

static gboolean
item_view_next (DigithekItemView *view)
{
  return digithek_tour_view_next (DIGITHEK_TOUR_VIEW (view));
}

static gboolean
item_view_previous (DigithekItemView *view)
{
  return digithek_tour_view_previous (DIGITHEK_TOUR_VIEW (view));
}

static DigithekItemView *
item_view_get_inner_view (DigithekItemView  *view,
                          const char       **out_id)
{
  DigithekTourView *self = DIGITHEK_TOUR_VIEW (view);
  GtkWidget *stop_view = adw_bin_get_child (self->stop_bin);

  if (!DIGITHEK_IS_ITEM_VIEW (stop_view))
    return NULL;
  *out_id = digithek_tour_view_get_stop_id (self, self->stop);
  return DIGITHEK_ITEM_VIEW (stop_view);
}

static const char *
item_view_get_language (DigithekItemView *view)
{
  return DIGITHEK_TOUR_VIEW (view)->language;
}

static char *
item_view_get_read_aloud_text (DigithekItemView *view)
{
  const char *id;
  DigithekItemView *stop_view = item_view_get_inner_view (view, &id);

  return stop_view != NULL ? digithek_item_view_get_read_aloud_text (stop_view) : NULL;
}

static void
item_view_iface_init (DigithekItemViewInterface *iface)
{
  iface->get_loading = item_view_get_loading;
  iface->set_handoff = item_view_set_handoff;
  iface->get_position = item_view_get_position;
  iface->get_n_positions = item_view_get_n_positions;
  iface->set_position = item_view_set_position;
  iface->next = item_view_next;
  iface->previous = item_view_previous;
  iface->get_inner_view = item_view_get_inner_view;
  iface->get_language = item_view_get_language;
  iface->get_read_aloud_text = item_view_get_read_aloud_text;
}
