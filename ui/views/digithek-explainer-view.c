/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "digithek-explainer-view.h"
#include "digithek-json.h"
#include "digithek-item-view.h"
#include "digithek-qr-card.h"
#include "digithek-read-aloud-button.h"

struct _DigithekExplainerView
{
  AdwBin            parent_instance;

  /* template widgets */
  GtkLabel         *title_label;
  GtkLabel         *summary_label;
  GtkPicture       *picture;
  DigithekMarkdown *markdown;
  DigithekQrCard   *qr_card;
  GtkWidget        *read_aloud_button;   /* a11y */

  /* owned */
  DigithekStore    *store;
  GCancellable     *cancellable;
  char             *pack_id;
  char             *item_id;
  char             *language;
  JsonObject       *manifest;  /* the item's, parsed once by the window */
  DigithekHandoff  *handoff;
  gboolean          prefer_local;
};

static void item_view_iface_init (DigithekItemViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DigithekExplainerView, digithek_explainer_view, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (DIGITHEK_TYPE_ITEM_VIEW, item_view_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static void
body_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DigithekExplainerView *self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize size;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, &error);
  /* Cancelled in dispose: self is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL)
    g_debug ("Cannot load the explainer's body: %s", error->message);
  else
    {
      /* The importer checked it, but a view never trusts bytes to be text. */
      data = g_bytes_get_data (bytes, &size);
      if (g_utf8_validate_len (data, size, NULL))
        {
          g_autofree char *text = g_strndup (data, size);

          digithek_markdown_set_text (self->markdown, digithek_markdown_skip_title_heading (text));
        }
    }
  digithek_item_view_end_load (DIGITHEK_ITEM_VIEW (self));
}

static void
image_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DigithekExplainerView *self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
      gtk_widget_set_visible (GTK_WIDGET (self->picture), TRUE);
    }
  else
    g_debug ("Cannot load the explainer's image: %s", error->message);
  digithek_item_view_end_load (DIGITHEK_ITEM_VIEW (self));
}

/* Markdown image paths are relative to the pack folder, and the store keeps assets by
 * hash only: authors give pictures through `image` fields (AUTHORING.md), so an image
 * inside the text shows its alt text. */
static GdkPaintable *
markdown_image_cb (const char *path,
                   gpointer    user_data)
{
  return NULL;
}

static void
link_activated_cb (DigithekExplainerView *self,
                   const char            *uri,
                   const char            *label)
{
  /* A kiosk never opens a browser: the window shows the link's own QR code. */
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "view.show-link", "(ss)",
                                   uri, label != NULL ? label : ""))
    g_debug ("Link %s tapped; not opened", uri);
}

/* ---- a11y ---- */

char *
digithek_explainer_view_get_read_aloud_text (DigithekExplainerView *self)
{
  GString *text;
  g_autofree char *body = NULL;

  g_return_val_if_fail (DIGITHEK_IS_EXPLAINER_VIEW (self), NULL);

  text = g_string_new (gtk_label_get_label (self->title_label));
  g_string_append (text, ".\n");
  if (gtk_widget_get_visible (GTK_WIDGET (self->summary_label)))
    g_string_append_printf (text, "%s\n", gtk_label_get_label (self->summary_label));
  body = digithek_markdown_get_plain_text (self->markdown);
  if (body != NULL)
    g_string_append (text, body);
  return g_string_free (text, FALSE);
}

GtkWidget *
digithek_explainer_view_get_read_aloud_button (DigithekExplainerView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_EXPLAINER_VIEW (self), NULL);
  return self->read_aloud_button;
}

static char *
read_aloud_text (gpointer user_data)
{
  return digithek_explainer_view_get_read_aloud_text (DIGITHEK_EXPLAINER_VIEW (user_data));
}

static void
update_qr_card (DigithekExplainerView *self)
{
  digithek_qr_card_show_item (self->qr_card, self->handoff, self->manifest,
                              self->pack_id, self->item_id, 0, self->language,
                              self->prefer_local);
}

static void
digithek_explainer_view_dispose (GObject *object)
{
  DigithekExplainerView *self = DIGITHEK_EXPLAINER_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->handoff);

  G_OBJECT_CLASS (digithek_explainer_view_parent_class)->dispose (object);
}

static void
digithek_explainer_view_finalize (GObject *object)
{
  DigithekExplainerView *self = DIGITHEK_EXPLAINER_VIEW (object);

  g_free (self->pack_id);
  g_free (self->item_id);
  g_free (self->language);
  g_clear_pointer (&self->manifest, json_object_unref);

  G_OBJECT_CLASS (digithek_explainer_view_parent_class)->finalize (object);
}

static void
digithek_explainer_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DigithekExplainerView *self = DIGITHEK_EXPLAINER_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (self)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_explainer_view_class_init (DigithekExplainerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_explainer_view_dispose;
  object_class->finalize = digithek_explainer_view_finalize;
  object_class->get_property = digithek_explainer_view_get_property;

  g_object_class_override_property (object_class, PROP_LOADING, "loading");

  g_type_ensure (DIGITHEK_TYPE_MARKDOWN);
  g_type_ensure (DIGITHEK_TYPE_QR_CARD);
  g_type_ensure (DIGITHEK_TYPE_QR_CARD_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-explainer-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekExplainerView, qr_card);
  gtk_widget_class_bind_template_child (widget_class, DigithekExplainerView, title_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekExplainerView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekExplainerView, picture);
  gtk_widget_class_bind_template_child (widget_class, DigithekExplainerView, markdown);
  gtk_widget_class_bind_template_callback (widget_class, link_activated_cb);
}

static void
digithek_explainer_view_init (DigithekExplainerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* a11y: "Read aloud" under the summary. */
  self->read_aloud_button = digithek_read_aloud_button_new ();
  gtk_widget_set_halign (self->read_aloud_button, GTK_ALIGN_START);
  digithek_read_aloud_button_set_text_func (DIGITHEK_READ_ALOUD_BUTTON (self->read_aloud_button),
                                            read_aloud_text, self);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->summary_label))),
                              self->read_aloud_button, GTK_WIDGET (self->summary_label));
  self->cancellable = g_cancellable_new ();
  digithek_markdown_set_image_func (self->markdown, markdown_image_cb, NULL, NULL);
}

GtkWidget *
digithek_explainer_view_new (DigithekStore     *store,
                             DigithekStoreItem *item,
                             JsonObject        *manifest)
{
  DigithekExplainerView *self;
  const char *image = digithek_json_get_string (manifest, "image");
  JsonObject *body_map = digithek_json_get_object (manifest, "body");
  const char *body = NULL;

  g_return_val_if_fail (DIGITHEK_IS_STORE (store), NULL);
  g_return_val_if_fail (item != NULL, NULL);

  self = g_object_new (DIGITHEK_TYPE_EXPLAINER_VIEW, NULL);
  self->store = g_object_ref (store);
  self->pack_id = g_strdup (item->pack_id);
  self->item_id = g_strdup (item->item_id);
  self->language = g_strdup (item->language);
  self->manifest = manifest != NULL ? json_object_ref (manifest) : NULL;
  update_qr_card (self);

  gtk_label_set_label (self->title_label, item->title);
  gtk_label_set_label (self->summary_label, item->summary != NULL ? item->summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), item->summary != NULL);
  digithek_read_aloud_button_set_language (DIGITHEK_READ_ALOUD_BUTTON (self->read_aloud_button),
                                           self->language);

  if (body_map != NULL)
    body = digithek_json_text_map_lookup (body_map, item->language, NULL);

  if (body != NULL)
    {
      digithek_item_view_begin_load (DIGITHEK_ITEM_VIEW (self));
      digithek_store_get_asset_async (store, body, self->cancellable, body_loaded_cb, self);
    }
  else if (item->body != NULL)
    /* No manifest map (an older store): the searchable text is the best there is. */
    digithek_markdown_set_text (self->markdown, item->body);

  if (image != NULL)
    {
      digithek_item_view_begin_load (DIGITHEK_ITEM_VIEW (self));
      digithek_store_get_asset_async (store, image, self->cancellable, image_loaded_cb, self);
    }

  return GTK_WIDGET (self);
}

gboolean
digithek_explainer_view_get_loading (DigithekExplainerView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_EXPLAINER_VIEW (self), FALSE);
  return digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (self));
}

DigithekMarkdown *
digithek_explainer_view_get_markdown (DigithekExplainerView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_EXPLAINER_VIEW (self), NULL);
  return self->markdown;
}

void
digithek_explainer_view_set_handoff (DigithekExplainerView *self,
                                     DigithekHandoff       *handoff,
                                     gboolean               prefer_local)
{
  g_return_if_fail (DIGITHEK_IS_EXPLAINER_VIEW (self));
  g_return_if_fail (handoff == NULL || DIGITHEK_IS_HANDOFF (handoff));

  g_set_object (&self->handoff, handoff);
  self->prefer_local = prefer_local;
  update_qr_card (self);
}

DigithekQrCard *
digithek_explainer_view_get_qr_card (DigithekExplainerView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_EXPLAINER_VIEW (self), NULL);
  return self->qr_card;
}

/* ---- DigithekItemView ---- */

static void
item_view_set_handoff (DigithekItemView *view,
                       DigithekHandoff  *handoff,
                       gboolean          prefer_local)
{
  digithek_explainer_view_set_handoff (DIGITHEK_EXPLAINER_VIEW (view), handoff, prefer_local);
}

static const char *
item_view_get_language (DigithekItemView *view)
{
  return DIGITHEK_EXPLAINER_VIEW (view)->language;
}

static char *
item_view_get_read_aloud_text (DigithekItemView *view)
{
  return digithek_explainer_view_get_read_aloud_text (DIGITHEK_EXPLAINER_VIEW (view));
}

static void
item_view_iface_init (DigithekItemViewInterface *iface)
{
  iface->set_handoff = item_view_set_handoff;
  iface->get_language = item_view_get_language;
  iface->get_read_aloud_text = item_view_get_read_aloud_text;
}
