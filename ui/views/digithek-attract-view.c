/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include "digithek-attract-view.h"
#include "digithek-image-loader.h"

/* Slides are decoded no larger than this (a portrait 1080×1920 screen covered). */
#define DECODE_SIZE 1920

struct _DigithekAttractView
{
  AdwBin parent_instance;

  /* template widgets */
  AdwCarousel  *carousel;

  /* owned */
  DigithekStore *store;
  GCancellable  *cancellable;
  guint          advance_id;
  gboolean       running;
};

G_DEFINE_FINAL_TYPE (DigithekAttractView, digithek_attract_view, ADW_TYPE_BIN)

typedef struct
{
  GtkPicture *picture;   /* owned reference */
} SlideLoad;

static void
slide_load_free (SlideLoad *load)
{
  g_clear_object (&load->picture);
  g_free (load);
}

static void
decoded_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SlideLoad *load = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = digithek_image_decode_finish (result, &error);
  if (texture != NULL)
    gtk_picture_set_paintable (load->picture, GDK_PAINTABLE (texture));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No attract image: %s", error->message);
  slide_load_free (load);
}

static void
asset_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SlideLoad *load = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  DigithekAttractView *self;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No attract image: %s", error->message);
      slide_load_free (load);
      return;
    }
  self = DIGITHEK_ATTRACT_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (load->picture),
                                                         DIGITHEK_TYPE_ATTRACT_VIEW));
  if (self == NULL)
    {
      slide_load_free (load);
      return;
    }
  /* Decoding a large picture takes a while: never on the main thread. */
  digithek_image_decode_async (bytes, DIGITHEK_IMAGE_FIT_CONTAIN, DECODE_SIZE, DECODE_SIZE,
                               self->cancellable, decoded_cb, load);
}

static GtkWidget *
create_slide (DigithekAttractView   *self,
              DigithekStoreItemInfo *info)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *title = gtk_label_new (info->title);
  SlideLoad *load;

  gtk_widget_set_hexpand (overlay, TRUE);
  gtk_widget_set_vexpand (overlay, TRUE);
  /* The whole illustration: cropped to a portrait screen's shape, a landscape picture
   * showed only a fragment. */
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);

  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_justify (GTK_LABEL (title), GTK_JUSTIFY_CENTER);
  gtk_widget_set_halign (title, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (title, GTK_ALIGN_START);
  gtk_widget_add_css_class (title, "attract-title");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), title);

  load = g_new0 (SlideLoad, 1);
  load->picture = g_object_ref (GTK_PICTURE (picture));
  digithek_store_get_asset_async (self->store, info->image_sha256, self->cancellable,
                                  asset_loaded_cb, load);
  return overlay;
}

static void
clear_slides (DigithekAttractView *self)
{
  while (adw_carousel_get_n_pages (self->carousel) > 0)
    adw_carousel_remove (self->carousel, adw_carousel_get_nth_page (self->carousel, 0));
}

static void
items_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DigithekAttractView *self = user_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  items = digithek_store_list_items_finish (DIGITHEK_STORE (source), result, &error);
  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Cannot list the attract loop's items: %s", error->message);
      return;
    }

  clear_slides (self);
  for (guint i = 0; i < items->len && n < DIGITHEK_ATTRACT_VIEW_MAX_SLIDES; i++)
    {
      DigithekStoreItemInfo *info = g_ptr_array_index (items, i);

      if (info->image_sha256 == NULL || info->title == NULL)
        continue;
      adw_carousel_append (self->carousel, create_slide (self, info));
      n++;
    }
}

static gboolean
advance_cb (gpointer user_data)
{
  digithek_attract_view_advance (DIGITHEK_ATTRACT_VIEW (user_data));
  return G_SOURCE_CONTINUE;
}

/* Moving on only while someone can see it. */
static void
update_timer (DigithekAttractView *self)
{
  gboolean want = self->running && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->advance_id == 0)
    self->advance_id = g_timeout_add_seconds (DIGITHEK_ATTRACT_VIEW_INTERVAL, advance_cb, self);
  else if (!want)
    g_clear_handle_id (&self->advance_id, g_source_remove);
}

static void
digithek_attract_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (digithek_attract_view_parent_class)->map (widget);
  update_timer (DIGITHEK_ATTRACT_VIEW (widget));
}

static void
digithek_attract_view_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (digithek_attract_view_parent_class)->unmap (widget);
  update_timer (DIGITHEK_ATTRACT_VIEW (widget));
}

static void
digithek_attract_view_dispose (GObject *object)
{
  DigithekAttractView *self = DIGITHEK_ATTRACT_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->advance_id, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (digithek_attract_view_parent_class)->dispose (object);
}

static void
digithek_attract_view_class_init (DigithekAttractViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_attract_view_dispose;
  widget_class->map = digithek_attract_view_map;
  widget_class->unmap = digithek_attract_view_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-attract-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekAttractView, carousel);
  gtk_widget_class_set_css_name (widget_class, "attract-view");
}

static void
digithek_attract_view_init (DigithekAttractView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
digithek_attract_view_new (void)
{
  return g_object_new (DIGITHEK_TYPE_ATTRACT_VIEW, NULL);
}

void
digithek_attract_view_set_store (DigithekAttractView *self,
                                 DigithekStore       *store)
{
  g_return_if_fail (DIGITHEK_IS_ATTRACT_VIEW (self));

  if (!g_set_object (&self->store, store))
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  clear_slides (self);
}

void
digithek_attract_view_start (DigithekAttractView *self,
                             const char          *language)
{
  g_return_if_fail (DIGITHEK_IS_ATTRACT_VIEW (self));

  self->running = TRUE;
  update_timer (self);
  if (self->store == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  digithek_store_list_items_async (self->store, language != NULL ? language : "de",
                                   self->cancellable, items_listed_cb, self);
}

void
digithek_attract_view_stop (DigithekAttractView *self)
{
  g_return_if_fail (DIGITHEK_IS_ATTRACT_VIEW (self));

  self->running = FALSE;
  update_timer (self);
}

guint
digithek_attract_view_get_n_slides (DigithekAttractView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ATTRACT_VIEW (self), 0);
  return adw_carousel_get_n_pages (self->carousel);
}

guint
digithek_attract_view_get_position (DigithekAttractView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ATTRACT_VIEW (self), 0);
  return (guint) round (adw_carousel_get_position (self->carousel));
}

void
digithek_attract_view_advance (DigithekAttractView *self)
{
  guint n;

  g_return_if_fail (DIGITHEK_IS_ATTRACT_VIEW (self));

  n = adw_carousel_get_n_pages (self->carousel);
  if (n < 2)
    return;
  adw_carousel_scroll_to (self->carousel,
                          adw_carousel_get_nth_page (self->carousel,
                                                     (digithek_attract_view_get_position (self) + 1) % n),
                          gtk_widget_get_mapped (GTK_WIDGET (self)));
}
