/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "digithek-format.h"
#include "digithek-home-view.h"
#include "digithek-image-loader.h"

#define N_KINDS 4

/* Four tiles a row at 1920 px, two at 1080 px. */
#define TILE_WIDTH        360
#define TILE_IMAGE_HEIGHT 200
/* Tile images are decoded at the smallest size that still covers this box (at the
 * view's scale factor), never larger than the file: a 1280×720 picture need not hold
 * 3.5 MB of pixels. The box leaves room for tiles the flow box stretches beyond
 * TILE_WIDTH (up to about 480 px with two a row at 1080 px). */
#define TILE_DECODE_WIDTH  540
#define TILE_DECODE_HEIGHT 300
/* Tiles built per category at a time; "show more" adds as many again. A home with
 * thousands of items starts as fast as one with a dozen. */
#define TILES_PER_PAGE    DIGITHEK_HOME_VIEW_TILES_PER_PAGE
/* Decoded tile images kept beyond the tiles shown: decoded to cover the box above
 * each holds about 0.65 MB (16:9), so the cache stays under ~32 MB whatever the store
 * holds. */
#define MAX_TEXTURES      48

struct _DigithekHomeView
{
  AdwBin         parent_instance;

  /* template widgets */
  GtkScrolledWindow *scrolled_window;
  GtkLabel      *headings[N_KINDS];
  GtkFlowBox    *boxes[N_KINDS];
  GtkWidget     *more_buttons[N_KINDS];
  AdwButtonContent *more_contents[N_KINDS];

  /* owned */
  DigithekStore *store;
  GCancellable  *cancellable;   /* the image loads of the current tiles, and the listing */
  char          *language;
  GPtrArray     *items;         /* DigithekStoreItemInfo, as given */
  GArray        *by_kind[N_KINDS]; /* indices into items */
  guint          n_shown[N_KINDS];
  gboolean       more_wanted[N_KINDS]; /* asked for while the full listing loads */
  gboolean       listing;       /* the full listing is being fetched */
  GHashTable    *textures;      /* sha256 → GdkTexture, at tile size */
  GHashTable    *waiting;       /* sha256 → GPtrArray of GtkPicture waiting for it */
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

/* Looked up at each call: a language switch re-renders with the new catalog. */
const char *
digithek_home_view_kind_heading (DigithekItemKind kind)
{
  switch (kind)
    {
    case DIGITHEK_ITEM_DATASET:
      return _("Open data");
    case DIGITHEK_ITEM_EXPLAINER:
      return _("Smart-city projects");
    case DIGITHEK_ITEM_GUIDE:
      return _("E-government guides");
    case DIGITHEK_ITEM_TOUR:
      return _("Tours");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void update_more_label (DigithekHomeView *self,
                               DigithekItemKind  kind);

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

typedef struct
{
  DigithekHomeView *self;   /* not a reference: the load is cancelled in dispose */
  char             *sha256;
} ImageLoad;

static void
image_load_free (ImageLoad *load)
{
  g_free (load->sha256);
  g_free (load);
}

static void
image_decoded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ImageLoad *load = user_data;
  DigithekHomeView *self = load->self;
  const char *sha256 = load->sha256;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *pictures;

  texture = digithek_image_decode_finish (result, &error);
  /* Cancelled: the tiles were replaced, or the view is being disposed (and may be
   * gone). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      image_load_free (load);
      return;
    }

  if (texture == NULL)
    g_debug ("No tile image %s: %s", sha256, error->message);
  else
    {
      if (g_hash_table_size (self->textures) >= MAX_TEXTURES)
        g_hash_table_remove_all (self->textures);
      g_hash_table_insert (self->textures, g_strdup (sha256), g_object_ref (texture));
    }

  pictures = g_hash_table_lookup (self->waiting, sha256);
  for (guint i = 0; texture != NULL && pictures != NULL && i < pictures->len; i++)
    gtk_picture_set_paintable (g_ptr_array_index (pictures, i), GDK_PAINTABLE (texture));
  g_hash_table_remove (self->waiting, sha256);
  set_loading (self, FALSE);
  image_load_free (load);
}

static void
asset_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ImageLoad *load = user_data;
  DigithekHomeView *self = load->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  int scale;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, &error);
  /* Cancelled: the tiles were replaced and the view may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      image_load_free (load);
      return;
    }
  if (bytes == NULL)
    {
      g_debug ("No tile image %s: %s", load->sha256, error->message);
      g_hash_table_remove (self->waiting, load->sha256);
      set_loading (self, FALSE);
      image_load_free (load);
      return;
    }

  /* Decoding a picture takes milliseconds: never on the main thread. */
  scale = MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  digithek_image_decode_async (bytes, DIGITHEK_IMAGE_FIT_COVER, TILE_DECODE_WIDTH * scale,
                               TILE_DECODE_HEIGHT * scale, self->cancellable,
                               image_decoded_cb, load);
}

/* Shows the image @sha256 in @picture: from the cache, or once it is loaded (one load
 * per image, however many tiles show it). */
static void
request_image (DigithekHomeView *self,
               GtkPicture       *picture,
               const char       *sha256)
{
  GdkTexture *texture = g_hash_table_lookup (self->textures, sha256);
  GPtrArray *pictures;
  ImageLoad *load;

  if (texture != NULL)
    {
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
      return;
    }

  pictures = g_hash_table_lookup (self->waiting, sha256);
  if (pictures != NULL)
    {
      g_ptr_array_add (pictures, g_object_ref (picture));
      return;
    }

  pictures = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (pictures, g_object_ref (picture));
  g_hash_table_insert (self->waiting, g_strdup (sha256), pictures);

  load = g_new0 (ImageLoad, 1);
  load->self = self;
  load->sha256 = g_strdup (sha256);
  set_loading (self, TRUE);
  digithek_store_get_asset_async (self->store, sha256, self->cancellable, asset_loaded_cb, load);
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
    request_image (self, GTK_PICTURE (picture), info->image_sha256);
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
  g_hash_table_remove_all (self->waiting);
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
      gtk_widget_set_visible (self->more_buttons[i], FALSE);
      g_array_set_size (self->by_kind[i], 0);
      self->n_shown[i] = 0;
      self->more_wanted[i] = FALSE;
    }
  self->listing = FALSE;
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->n_items = 0;
}

static void show_more (DigithekHomeView *self,
                       DigithekItemKind  kind);

static void
index_items (DigithekHomeView *self)
{
  self->n_items = 0;
  for (guint k = 0; k < N_KINDS; k++)
    g_array_set_size (self->by_kind[k], 0);
  for (guint i = 0; i < self->items->len; i++)
    {
      DigithekStoreItemInfo *info = g_ptr_array_index (self->items, i);

      if ((guint) info->kind >= N_KINDS)
        continue;
      g_array_append_val (self->by_kind[info->kind], i);
      self->n_items++;
    }
}

static void
full_listing_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DigithekHomeView *self;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = digithek_store_list_items_finish (DIGITHEK_STORE (source), result, &error);
  /* Cancelled: the tiles were replaced, or the view is being disposed. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = DIGITHEK_HOME_VIEW (user_data);
  self->listing = FALSE;
  set_loading (self, FALSE);
  if (items == NULL)
    {
      g_warning ("Listing the items for “show more”: %s", error->message);
      return;
    }

  /* The tiles built so far stay; the store may have changed since, so the pages
   * continue from the same counts in the new listing. */
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_steal_pointer (&items);
  index_items (self);
  for (guint k = 0; k < N_KINDS; k++)
    {
      self->n_shown[k] = MIN (self->n_shown[k], self->by_kind[k]->len);
      if (self->more_wanted[k])
        {
          self->more_wanted[k] = FALSE;
          show_more (self, k);
        }
      else
        gtk_widget_set_visible (self->more_buttons[k], self->n_shown[k] < self->by_kind[k]->len);
    }
}

/* Builds the next page of tiles of @kind. When that page holds placeholders (the
 * items came from digithek_store_list_home_async()), lists the store in full first. */
static void
show_more (DigithekHomeView *self,
           DigithekItemKind  kind)
{
  GArray *indices = self->by_kind[kind];
  guint end = MIN (indices->len, self->n_shown[kind] + TILES_PER_PAGE);
  guint remaining;

  for (guint i = self->n_shown[kind]; i < end; i++)
    {
      DigithekStoreItemInfo *info = g_ptr_array_index (self->items, g_array_index (indices, guint, i));

      if (!digithek_store_item_info_is_placeholder (info))
        continue;
      self->more_wanted[kind] = TRUE;
      if (!self->listing && self->store != NULL)
        {
          self->listing = TRUE;
          set_loading (self, TRUE);
          digithek_store_list_items_async (self->store, self->language != NULL ? self->language : "de",
                                           self->cancellable, full_listing_cb, self);
        }
      /* Only what is complete now; the rest when the listing is in. */
      end = i;
      break;
    }

  for (guint i = self->n_shown[kind]; i < end; i++)
    {
      DigithekStoreItemInfo *info = g_ptr_array_index (self->items, g_array_index (indices, guint, i));
      GtkWidget *child;

      gtk_flow_box_append (self->boxes[kind], create_tile (self, info, self->language));
      /* The tile's button takes focus and clicks; its flow box child need not. */
      child = gtk_widget_get_last_child (GTK_WIDGET (self->boxes[kind]));
      gtk_widget_set_focusable (child, FALSE);
    }
  self->n_shown[kind] = end;

  gtk_widget_set_visible (GTK_WIDGET (self->boxes[kind]), end > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->headings[kind]), end > 0);
  remaining = indices->len - end;
  gtk_widget_set_visible (self->more_buttons[kind], remaining > 0);
  update_more_label (self, kind);
}

static void
update_more_label (DigithekHomeView *self,
                   DigithekItemKind  kind)
{
  guint remaining = self->by_kind[kind]->len - MIN (self->n_shown[kind], self->by_kind[kind]->len);
  g_autofree char *label = NULL;

  if (remaining == 0)
    return;
  /* TRANSLATORS: a button under a group of tiles; the number is how many more there are */
  label = g_strdup_printf (_("Show more (%u)"), remaining);
  adw_button_content_set_label (self->more_contents[kind], label);
}

static void
show_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DigithekHomeView *self = DIGITHEK_HOME_VIEW (widget);
  int kind = g_variant_get_int32 (parameter);

  if (kind >= 0 && kind < N_KINDS && self->items != NULL)
    show_more (self, kind);
}

static void
digithek_home_view_dispose (GObject *object)
{
  DigithekHomeView *self = DIGITHEK_HOME_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_hash_table_remove_all (self->waiting);
  g_hash_table_remove_all (self->textures);

  G_OBJECT_CLASS (digithek_home_view_parent_class)->dispose (object);
}

static void
digithek_home_view_finalize (GObject *object)
{
  DigithekHomeView *self = DIGITHEK_HOME_VIEW (object);

  for (guint i = 0; i < N_KINDS; i++)
    g_clear_pointer (&self->by_kind[i], g_array_unref);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (digithek_home_view_parent_class)->finalize (object);
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
  object_class->finalize = digithek_home_view_finalize;
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
  gtk_widget_class_bind_template_child_full (widget_class, "dataset_more", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, more_buttons[DIGITHEK_ITEM_DATASET]));
  gtk_widget_class_bind_template_child_full (widget_class, "dataset_more_content", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, more_contents[DIGITHEK_ITEM_DATASET]));
  gtk_widget_class_bind_template_child_full (widget_class, "explainer_more", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, more_buttons[DIGITHEK_ITEM_EXPLAINER]));
  gtk_widget_class_bind_template_child_full (widget_class, "explainer_more_content", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, more_contents[DIGITHEK_ITEM_EXPLAINER]));
  gtk_widget_class_bind_template_child_full (widget_class, "guide_more", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, more_buttons[DIGITHEK_ITEM_GUIDE]));
  gtk_widget_class_bind_template_child_full (widget_class, "guide_more_content", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, more_contents[DIGITHEK_ITEM_GUIDE]));
  gtk_widget_class_bind_template_child_full (widget_class, "tour_more", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, more_buttons[DIGITHEK_ITEM_TOUR]));
  gtk_widget_class_bind_template_child_full (widget_class, "tour_more_content", FALSE,
                                             G_STRUCT_OFFSET (DigithekHomeView, more_contents[DIGITHEK_ITEM_TOUR]));

  gtk_widget_class_install_action (widget_class, "home.show-more", "i", show_more_action);
}

static void
digithek_home_view_init (DigithekHomeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < N_KINDS; i++)
    self->by_kind[i] = g_array_new (FALSE, FALSE, sizeof (guint));
  digithek_home_view_update_texts (self);
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
  digithek_home_view_update_texts (self);

  g_free (self->language);
  self->language = g_strdup (language);
  self->items = g_ptr_array_ref (items);
  index_items (self);
  for (guint k = 0; k < N_KINDS; k++)
    show_more (self, k);

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

void
digithek_home_view_update_texts (DigithekHomeView *self)
{
  g_return_if_fail (DIGITHEK_IS_HOME_VIEW (self));

  for (guint i = 0; i < N_KINDS; i++)
    {
      const char *heading = digithek_home_view_kind_heading (i);

      gtk_label_set_label (self->headings[i], heading);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->boxes[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                      -1);
      update_more_label (self, i);
    }
}
