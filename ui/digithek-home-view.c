/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-format.h"
#include "digithek-home-view.h"

#define N_KINDS 4

/* Four tiles a row at 1920 px, two at 1080 px. */
#define TILE_WIDTH        360
#define TILE_IMAGE_HEIGHT 200

struct _DigithekHomeView
{
  AdwBin         parent_instance;

  /* template widgets */
  GtkScrolledWindow *scrolled_window;
  GtkLabel      *headings[N_KINDS];
  GtkFlowBox    *boxes[N_KINDS];

  /* owned */
  DigithekStore *store;
  GCancellable  *cancellable;   /* the image loads of the current tiles */
  guint          n_items;
  guint          n_pending;
};

G_DEFINE_FINAL_TYPE (DigithekHomeView, digithek_home_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The chrome follows the citizen's content language at run time, not the process
 * locale, so these few words are chosen here rather than through gettext. */
static gboolean
is_german (const char *language)
{
  return language == NULL || g_str_has_prefix (language, "de");
}

static const char *
kind_heading (DigithekItemKind kind,
              const char      *language)
{
  gboolean de = is_german (language);

  switch (kind)
    {
    case DIGITHEK_ITEM_DATASET:
      return de ? "Offene Daten" : "Open data";
    case DIGITHEK_ITEM_EXPLAINER:
      return de ? "Projekte der smarten Stadt" : "Smart-city projects";
    case DIGITHEK_ITEM_GUIDE:
      return de ? "Verwaltung online: Schritt für Schritt" : "E-government guides";
    case DIGITHEK_ITEM_TOUR:
      return de ? "Rundgänge" : "Tours";
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
set_loading (DigithekHomeView *self,
             gboolean          begin)
{
  gboolean was_loading = self->n_pending > 0;

  if (begin)
    self->n_pending++;
  else if (self->n_pending > 0)
    self->n_pending--;
  if (was_loading != (self->n_pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
asset_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  DigithekHomeView *self;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, &error);
  /* Cancelled: the tiles were replaced and the view may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DIGITHEK_HOME_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (picture),
                                                      DIGITHEK_TYPE_HOME_VIEW));
  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
  else
    g_debug ("No tile image: %s", error->message);

  if (self != NULL)
    set_loading (self, FALSE);
}

static GtkWidget *
create_tile (DigithekHomeView      *self,
             DigithekStoreItemInfo *info,
             const char            *language)
{
  g_autofree char *target = g_strdup_printf ("%s/%s", info->pack_id, info->item_id);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *frame = gtk_overlay_new ();
  GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *title = gtk_label_new (info->title != NULL ? info->title : info->item_id);

  /* A tile is one big button: the whole card is the touch target. */
  gtk_widget_add_css_class (button, "tile");
  gtk_widget_add_css_class (button, "card");
  gtk_widget_set_name (button, info->item_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "view.open-item");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (GTK_LABEL (title)),
                                  -1);

  /* The picture is an overlay over a fixed-size box so that its large natural size
   * (the image's pixels) does not decide how many tiles fit in a row. */
  gtk_widget_add_css_class (frame, "tile-image");
  gtk_widget_set_size_request (spacer, TILE_WIDTH, TILE_IMAGE_HEIGHT);
  gtk_overlay_set_child (GTK_OVERLAY (frame), spacer);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_overlay_add_overlay (GTK_OVERLAY (frame), picture);
  gtk_widget_set_overflow (frame, GTK_OVERFLOW_HIDDEN);
  gtk_box_append (GTK_BOX (box), frame);

  gtk_widget_add_css_class (text_box, "tile-text");
  gtk_widget_set_vexpand (text_box, TRUE);
  /* Pack texts are never markup. */
  gtk_label_set_use_markup (GTK_LABEL (title), FALSE);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (title), 2);
  /* Long texts must not widen the tiles: the row decides their width. */
  gtk_label_set_max_width_chars (GTK_LABEL (title), 20);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_yalign (GTK_LABEL (title), 0.0);
  gtk_widget_add_css_class (title, "tile-title");
  gtk_box_append (GTK_BOX (text_box), title);

  if (info->summary != NULL)
    {
      GtkWidget *summary = gtk_label_new (info->summary);

      gtk_label_set_single_line_mode (GTK_LABEL (summary), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (summary), 20);
      gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (summary), 0.0);
      gtk_widget_add_css_class (summary, "tile-summary");
      gtk_box_append (GTK_BOX (text_box), summary);
    }

  if (info->kind == DIGITHEK_ITEM_DATASET && info->freshness > 0)
    {
      g_autofree char *text = digithek_format_freshness (language, info->freshness);
      GtkWidget *freshness = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (freshness), 0.0);
      gtk_widget_set_valign (freshness, GTK_ALIGN_END);
      gtk_widget_set_vexpand (freshness, TRUE);
      gtk_widget_add_css_class (freshness, "tile-freshness");
      gtk_box_append (GTK_BOX (text_box), freshness);
    }

  gtk_box_append (GTK_BOX (box), text_box);
  gtk_button_set_child (GTK_BUTTON (button), box);

  if (self->store != NULL && info->image_sha256 != NULL)
    {
      set_loading (self, TRUE);
      digithek_store_get_asset_async (self->store, info->image_sha256, self->cancellable,
                                      asset_loaded_cb, g_object_ref (picture));
    }
  else
    gtk_widget_add_css_class (frame, "no-image");

  return button;
}

static void
clear_tiles (DigithekHomeView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->n_pending > 0)
    {
      self->n_pending = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }

  for (guint i = 0; i < N_KINDS; i++)
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->boxes[i]))) != NULL)
        gtk_flow_box_remove (self->boxes[i], child);
      gtk_widget_set_visible (GTK_WIDGET (self->boxes[i]), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->headings[i]), FALSE);
    }
  self->n_items = 0;
}

static void
digithek_home_view_dispose (GObject *object)
{
  DigithekHomeView *self = DIGITHEK_HOME_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (digithek_home_view_parent_class)->dispose (object);
}

static void
digithek_home_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DigithekHomeView *self = DIGITHEK_HOME_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, digithek_home_view_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_home_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DigithekHomeView *self = DIGITHEK_HOME_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      digithek_home_view_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_home_view_class_init (DigithekHomeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_home_view_dispose;
  object_class->get_property = digithek_home_view_get_property;
  object_class->set_property = digithek_home_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DIGITHEK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-home-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekHomeView, scrolled_window);
  gtk_widget_class_bind_template_child_full (widget_class, "dataset_heading", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, headings[DIGITHEK_ITEM_DATASET]));
  gtk_widget_class_bind_template_child_full (widget_class, "explainer_heading", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, headings[DIGITHEK_ITEM_EXPLAINER]));
  gtk_widget_class_bind_template_child_full (widget_class, "guide_heading", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, headings[DIGITHEK_ITEM_GUIDE]));
  gtk_widget_class_bind_template_child_full (widget_class, "tour_heading", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, headings[DIGITHEK_ITEM_TOUR]));
  gtk_widget_class_bind_template_child_full (widget_class, "dataset_box", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, boxes[DIGITHEK_ITEM_DATASET]));
  gtk_widget_class_bind_template_child_full (widget_class, "explainer_box", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, boxes[DIGITHEK_ITEM_EXPLAINER]));
  gtk_widget_class_bind_template_child_full (widget_class, "guide_box", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, boxes[DIGITHEK_ITEM_GUIDE]));
  gtk_widget_class_bind_template_child_full (widget_class, "tour_box", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, boxes[DIGITHEK_ITEM_TOUR]));
}

static void
digithek_home_view_init (DigithekHomeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < N_KINDS; i++)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->boxes[i]),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    gtk_label_get_text (self->headings[i]),
                                    -1);
}

GtkWidget *
digithek_home_view_new (void)
{
  return g_object_new (DIGITHEK_TYPE_HOME_VIEW, NULL);
}

void
digithek_home_view_set_store (DigithekHomeView *self,
                              DigithekStore    *store)
{
  g_return_if_fail (DIGITHEK_IS_HOME_VIEW (self));
  g_return_if_fail (store == NULL || DIGITHEK_IS_STORE (store));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

DigithekStore *
digithek_home_view_get_store (DigithekHomeView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_HOME_VIEW (self), NULL);
  return self->store;
}

void
digithek_home_view_set_items (DigithekHomeView *self,
                              GPtrArray        *items,
                              const char       *language)
{
  g_return_if_fail (DIGITHEK_IS_HOME_VIEW (self));
  g_return_if_fail (items != NULL);

  clear_tiles (self);

  for (guint i = 0; i < N_KINDS; i++)
    {
      const char *heading = kind_heading (i, language);

      gtk_label_set_label (self->headings[i], heading);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->boxes[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                      -1);
    }

  for (guint i = 0; i < items->len; i++)
    {
      DigithekStoreItemInfo *info = g_ptr_array_index (items, i);
      GtkFlowBox *box;
      GtkWidget *child;

      if ((guint) info->kind >= N_KINDS)
        continue;
      box = self->boxes[info->kind];
      gtk_flow_box_append (box, create_tile (self, info, language));
      /* The tile's button takes focus and clicks; its flow box child need not. */
      child = gtk_widget_get_last_child (GTK_WIDGET (box));
      gtk_widget_set_focusable (child, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (box), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->headings[info->kind]), TRUE);
      self->n_items++;
    }

  /* New content starts at the top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

guint
digithek_home_view_get_n_items (DigithekHomeView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_HOME_VIEW (self), 0);
  return self->n_items;
}

gboolean
digithek_home_view_get_loading (DigithekHomeView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_HOME_VIEW (self), FALSE);
  return self->n_pending > 0;
}
