/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "digithek-guide-view.h"
#include "digithek-json.h"
#include "digithek-item-view.h"
#include "digithek-markdown.h"
#include "digithek-qr-card.h"
#include "digithek-read-aloud-button.h"

struct _DigithekGuideView
{
  AdwBin            parent_instance;

  /* template widgets */
  GtkLabel         *title_label;
  GtkLabel         *progress_label;
  AdwCarousel      *carousel;
  GtkLabel         *previous_content;
  GtkLabel         *next_content;
  DigithekQrCard   *qr_card;

  /* owned */
  DigithekStore    *store;
  GCancellable     *cancellable;
  char             *language;
  char             *pack_id;
  char             *item_id;
  JsonObject       *manifest;  /* the item's, parsed once by the window */
  DigithekHandoff  *handoff;
  gboolean          prefer_local;
  guint             n_steps;
  guint             step;
  gboolean          scroll_pending;  /* set_step() before the carousel could scroll */
};

static void item_view_iface_init (DigithekItemViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DigithekGuideView, digithek_guide_view, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (DIGITHEK_TYPE_ITEM_VIEW, item_view_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The code follows the step shown: a phone continues exactly there. */
static void
update_qr_card (DigithekGuideView *self)
{
  digithek_qr_card_show_item (self->qr_card, self->handoff, self->manifest,
                              self->pack_id, self->item_id,
                              self->n_steps > 0 ? self->step + 1 : 0, self->language,
                              self->prefer_local);
}

static void
update_step (DigithekGuideView *self)
{
  g_autofree char *text = NULL;

  update_qr_card (self);

  /* TRANSLATORS: where a citizen is in a step-by-step guide */
  text = g_strdup_printf (_("Step %u of %u"), self->n_steps > 0 ? self->step + 1 : 0,
                          self->n_steps);
  gtk_label_set_label (self->progress_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guide.previous", self->step > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guide.next", self->step + 1 < self->n_steps);

  /* a11y: Tab stays on the step shown; the other pages lie outside the screen. */
  for (guint i = 0; i < adw_carousel_get_n_pages (self->carousel); i++)
    gtk_widget_set_can_focus (adw_carousel_get_nth_page (self->carousel, i), i == self->step);
}

static void
page_changed_cb (DigithekGuideView *self,
                 guint              index)
{
  /* A swipe landed on a page; steps through the buttons already set it. A carousel
   * not yet shown reports its first page until it scrolls to the step. */
  if (self->scroll_pending || index == self->step || index >= self->n_steps)
    return;
  self->step = index;
  update_step (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static void
body_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DigithekMarkdown) markdown = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  DigithekGuideView *self;
  const char *data;
  gsize size;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, &error);
  /* Cancelled in dispose: the view is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL)
    g_debug ("Cannot load a step's text: %s", error->message);
  else
    {
      /* The importer checked it, but a view never trusts bytes to be text. */
      data = g_bytes_get_data (bytes, &size);
      if (g_utf8_validate_len (data, size, NULL))
        {
          g_autofree char *text = g_strndup (data, size);

          digithek_markdown_set_text (markdown, digithek_markdown_skip_title_heading (text));
        }
    }

  self = DIGITHEK_GUIDE_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (markdown),
                                                       DIGITHEK_TYPE_GUIDE_VIEW));
  if (self != NULL)
    digithek_item_view_end_load (DIGITHEK_ITEM_VIEW (self));
}

static void
image_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  DigithekGuideView *self;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
      gtk_widget_set_visible (GTK_WIDGET (picture), TRUE);
    }
  else
    g_debug ("Cannot load a step's image: %s", error->message);

  self = DIGITHEK_GUIDE_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (picture),
                                                       DIGITHEK_TYPE_GUIDE_VIEW));
  if (self != NULL)
    digithek_item_view_end_load (DIGITHEK_ITEM_VIEW (self));
}

/* Markdown images: see the explainer view; authors give pictures through `image`. */
static GdkPaintable *
markdown_image_cb (const char *path,
                   gpointer    user_data)
{
  return NULL;
}

static void
link_activated_cb (DigithekMarkdown *markdown,
                   const char       *uri,
                   const char       *label,
                   gpointer          user_data)
{
  /* A kiosk never opens a browser: the window shows the link's own QR code. */
  if (!gtk_widget_activate_action (GTK_WIDGET (markdown), "view.show-link", "(ss)",
                                   uri, label != NULL ? label : ""))
    g_debug ("Link %s tapped; not opened", uri);
}

/* a11y: a step's read-aloud text, its heading and its body without markup. */
static char *
step_read_aloud_text (gpointer user_data)
{
  GtkWidget *box = user_data;
  GtkLabel *heading = g_object_get_data (G_OBJECT (box), "digithek-step-heading");
  DigithekMarkdown *markdown = g_object_get_data (G_OBJECT (box), "digithek-step-markdown");
  g_autofree char *body = digithek_markdown_get_plain_text (markdown);

  return g_strdup_printf ("%s.\n%s", gtk_label_get_label (heading), body != NULL ? body : "");
}

/* One page per step, built here because the number of steps comes with the content. */
static void
add_step_page (DigithekGuideView *self,
               JsonObject        *step,
               guint              index)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *viewport = gtk_viewport_new (NULL, NULL);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 20);
  GtkWidget *heading;
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *markdown = digithek_markdown_new ();
  g_autofree char *heading_text = NULL;
  const char *title = digithek_json_text_map_lookup (digithek_json_get_object (step, "title"),
                                                     self->language, NULL);
  const char *body = digithek_json_text_map_lookup (digithek_json_get_object (step, "body"),
                                                    self->language, NULL);
  const char *image = digithek_json_get_string (step, "image");

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_hexpand (scrolled, TRUE);
  gtk_widget_set_vexpand (scrolled, TRUE);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1100);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 900);
  gtk_widget_set_margin_start (box, 32);
  gtk_widget_set_margin_end (box, 32);
  gtk_widget_set_margin_top (box, 16);
  gtk_widget_set_margin_bottom (box, 32);

  heading_text = g_strdup_printf ("%u. %s", index + 1, title != NULL ? title : "");
  heading = gtk_label_new (heading_text);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_widget_add_css_class (heading, "step-title");
  gtk_box_append (GTK_BOX (box), heading);

  {
    GtkWidget *read_aloud = digithek_read_aloud_button_new ();

    gtk_widget_set_halign (read_aloud, GTK_ALIGN_START);
    g_object_set_data (G_OBJECT (box), "digithek-step-heading", heading);
    g_object_set_data (G_OBJECT (box), "digithek-step-markdown", markdown);
    digithek_read_aloud_button_set_text_func (DIGITHEK_READ_ALOUD_BUTTON (read_aloud),
                                              step_read_aloud_text, box);
    digithek_read_aloud_button_set_language (DIGITHEK_READ_ALOUD_BUTTON (read_aloud),
                                             self->language);
    gtk_box_append (GTK_BOX (box), read_aloud);
    g_object_set_data (G_OBJECT (scrolled), "digithek-read-aloud-button", read_aloud);
  }

  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_size_request (picture, -1, 320);
  gtk_widget_set_visible (picture, FALSE);
  gtk_widget_add_css_class (picture, "step-image");
  gtk_box_append (GTK_BOX (box), picture);

  digithek_markdown_set_image_func (DIGITHEK_MARKDOWN (markdown), markdown_image_cb, NULL, NULL);
  g_signal_connect (markdown, "link-activated", G_CALLBACK (link_activated_cb), NULL);
  gtk_widget_add_css_class (markdown, "body-text");
  gtk_box_append (GTK_BOX (box), markdown);

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  /* Touch needs no scrolling to the focus; GTK 4.8 viewports also warn when they try
   * it while the window has no focus widget. */
  gtk_viewport_set_scroll_to_focus (GTK_VIEWPORT (viewport), FALSE);
  gtk_viewport_set_child (GTK_VIEWPORT (viewport), clamp);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), viewport);
  adw_carousel_append (self->carousel, scrolled);

  if (body != NULL)
    {
      digithek_item_view_begin_load (DIGITHEK_ITEM_VIEW (self));
      digithek_store_get_asset_async (self->store, body, self->cancellable, body_loaded_cb,
                                      g_object_ref (markdown));
    }
  if (image != NULL)
    {
      digithek_item_view_begin_load (DIGITHEK_ITEM_VIEW (self));
      digithek_store_get_asset_async (self->store, image, self->cancellable, image_loaded_cb,
                                      g_object_ref (picture));
    }
}

static gboolean
scroll_to_step_cb (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  DigithekGuideView *self = DIGITHEK_GUIDE_VIEW (widget);

  /* After the first layout: the pages have their places. */
  if (gtk_widget_get_width (GTK_WIDGET (self->carousel)) == 0)
    return G_SOURCE_CONTINUE;
  if (self->scroll_pending && self->step < self->n_steps)
    adw_carousel_scroll_to (self->carousel, adw_carousel_get_nth_page (self->carousel, self->step),
                            FALSE);
  self->scroll_pending = FALSE;
  return G_SOURCE_REMOVE;
}

static void
digithek_guide_view_map (GtkWidget *widget)
{
  DigithekGuideView *self = DIGITHEK_GUIDE_VIEW (widget);

  GTK_WIDGET_CLASS (digithek_guide_view_parent_class)->map (widget);
  if (self->scroll_pending)
    gtk_widget_add_tick_callback (widget, scroll_to_step_cb, NULL, NULL);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DigithekGuideView *self = DIGITHEK_GUIDE_VIEW (widget);

  if (g_str_equal (action_name, "guide.next"))
    digithek_guide_view_next (self);
  else
    digithek_guide_view_previous (self);
}

static void
digithek_guide_view_dispose (GObject *object)
{
  DigithekGuideView *self = DIGITHEK_GUIDE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->handoff);

  G_OBJECT_CLASS (digithek_guide_view_parent_class)->dispose (object);
}

static void
digithek_guide_view_finalize (GObject *object)
{
  DigithekGuideView *self = DIGITHEK_GUIDE_VIEW (object);

  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->pack_id, g_free);
  g_clear_pointer (&self->item_id, g_free);
  g_clear_pointer (&self->manifest, json_object_unref);

  G_OBJECT_CLASS (digithek_guide_view_parent_class)->finalize (object);
}

static void
digithek_guide_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DigithekGuideView *self = DIGITHEK_GUIDE_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (self)));
      break;
    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_guide_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DigithekGuideView *self = DIGITHEK_GUIDE_VIEW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      digithek_guide_view_set_step (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_guide_view_class_init (DigithekGuideViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_guide_view_dispose;
  object_class->finalize = digithek_guide_view_finalize;
  object_class->get_property = digithek_guide_view_get_property;
  object_class->set_property = digithek_guide_view_set_property;
  widget_class->map = digithek_guide_view_map;

  g_object_class_override_property (object_class, PROP_LOADING, "loading");
  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_property (object_class, PROP_STEP, properties[PROP_STEP]);

  g_type_ensure (DIGITHEK_TYPE_MARKDOWN);
  g_type_ensure (DIGITHEK_TYPE_QR_CARD);
  g_type_ensure (DIGITHEK_TYPE_QR_CARD_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-guide-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekGuideView, qr_card);
  gtk_widget_class_bind_template_child (widget_class, DigithekGuideView, title_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekGuideView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekGuideView, carousel);
  gtk_widget_class_bind_template_child (widget_class, DigithekGuideView, previous_content);
  gtk_widget_class_bind_template_child (widget_class, DigithekGuideView, next_content);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);

  gtk_widget_class_install_action (widget_class, "guide.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "guide.next", NULL, step_action);
}

static void
digithek_guide_view_init (DigithekGuideView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
digithek_guide_view_new (DigithekStore     *store,
                         DigithekStoreItem *item,
                         JsonObject        *manifest)
{
  DigithekGuideView *self;
  JsonArray *steps = digithek_json_get_array (manifest, "steps");

  g_return_val_if_fail (DIGITHEK_IS_STORE (store), NULL);
  g_return_val_if_fail (item != NULL, NULL);

  self = g_object_new (DIGITHEK_TYPE_GUIDE_VIEW, NULL);
  self->store = g_object_ref (store);
  self->language = g_strdup (item->language);
  self->pack_id = g_strdup (item->pack_id);
  self->item_id = g_strdup (item->item_id);
  self->manifest = manifest != NULL ? json_object_ref (manifest) : NULL;

  gtk_label_set_label (self->title_label, item->title);
  gtk_label_set_label (self->previous_content, _("Previous step"));
  gtk_label_set_label (self->next_content, _("Next step"));
  /* The buttons' names for screen readers (their labels sit inside a box). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_ancestor (GTK_WIDGET (self->previous_content), GTK_TYPE_BUTTON)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Previous step"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_ancestor (GTK_WIDGET (self->next_content), GTK_TYPE_BUTTON)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Next step"), -1);

  for (guint i = 0; steps != NULL && i < json_array_get_length (steps); i++)
    {
      JsonNode *step = json_array_get_element (steps, i);

      if (JSON_NODE_HOLDS_OBJECT (step))
        add_step_page (self, json_node_get_object (step), self->n_steps++);
    }

  update_step (self);
  return GTK_WIDGET (self);
}

gboolean
digithek_guide_view_get_loading (DigithekGuideView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_GUIDE_VIEW (self), FALSE);
  return digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (self));
}

guint
digithek_guide_view_get_n_steps (DigithekGuideView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_GUIDE_VIEW (self), 0);
  return self->n_steps;
}

guint
digithek_guide_view_get_step (DigithekGuideView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_GUIDE_VIEW (self), 0);
  return self->step;
}

void
digithek_guide_view_set_step (DigithekGuideView *self,
                              guint              step)
{
  g_return_if_fail (DIGITHEK_IS_GUIDE_VIEW (self));

  if (self->n_steps == 0)
    return;
  step = MIN (step, self->n_steps - 1);
  if (step == self->step)
    return;

  self->step = step;
  /* A carousel scrolls only once it has a size: a guide re-rendered in another
   * language gets its step before it is shown. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    adw_carousel_scroll_to (self->carousel, adw_carousel_get_nth_page (self->carousel, step),
                            TRUE);
  else
    self->scroll_pending = TRUE;
  update_step (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

gboolean
digithek_guide_view_next (DigithekGuideView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_GUIDE_VIEW (self), FALSE);

  if (self->step + 1 >= self->n_steps)
    return FALSE;
  digithek_guide_view_set_step (self, self->step + 1);
  return TRUE;
}

gboolean
digithek_guide_view_previous (DigithekGuideView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_GUIDE_VIEW (self), FALSE);

  if (self->step == 0)
    return FALSE;
  digithek_guide_view_set_step (self, self->step - 1);
  return TRUE;
}

const char *
digithek_guide_view_get_progress_text (DigithekGuideView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_GUIDE_VIEW (self), NULL);
  return gtk_label_get_label (self->progress_label);
}

void
digithek_guide_view_set_handoff (DigithekGuideView *self,
                                 DigithekHandoff   *handoff,
                                 gboolean           prefer_local)
{
  g_return_if_fail (DIGITHEK_IS_GUIDE_VIEW (self));
  g_return_if_fail (handoff == NULL || DIGITHEK_IS_HANDOFF (handoff));

  g_set_object (&self->handoff, handoff);
  self->prefer_local = prefer_local;
  update_qr_card (self);
}

DigithekQrCard *
digithek_guide_view_get_qr_card (DigithekGuideView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_GUIDE_VIEW (self), NULL);
  return self->qr_card;
}

/* ---- a11y ---- */

GtkWidget *
digithek_guide_view_get_read_aloud_button (DigithekGuideView *self)
{
  GtkWidget *page;

  g_return_val_if_fail (DIGITHEK_IS_GUIDE_VIEW (self), NULL);

  if (self->n_steps == 0)
    return NULL;
  page = adw_carousel_get_nth_page (self->carousel, MIN (self->step, self->n_steps - 1));
  return g_object_get_data (G_OBJECT (page), "digithek-read-aloud-button");
}

char *
digithek_guide_view_get_read_aloud_text (DigithekGuideView *self)
{
  GtkWidget *button;

  g_return_val_if_fail (DIGITHEK_IS_GUIDE_VIEW (self), NULL);

  button = digithek_guide_view_get_read_aloud_button (self);
  return button != NULL ? digithek_read_aloud_button_get_text (DIGITHEK_READ_ALOUD_BUTTON (button)) : NULL;
}

/* ---- DigithekItemView ---- */

static void
item_view_set_handoff (DigithekItemView *view,
                       DigithekHandoff  *handoff,
                       gboolean          prefer_local)
{
  digithek_guide_view_set_handoff (DIGITHEK_GUIDE_VIEW (view), handoff, prefer_local);
}

static guint
item_view_get_position (DigithekItemView *view)
{
  return digithek_guide_view_get_step (DIGITHEK_GUIDE_VIEW (view));
}

static guint
item_view_get_n_positions (DigithekItemView *view)
{
  return digithek_guide_view_get_n_steps (DIGITHEK_GUIDE_VIEW (view));
}

static void
item_view_set_position (DigithekItemView *view,
                        guint             position)
{
  digithek_guide_view_set_step (DIGITHEK_GUIDE_VIEW (view), position);
}

static gboolean
item_view_next (DigithekItemView *view)
{
  return digithek_guide_view_next (DIGITHEK_GUIDE_VIEW (view));
}

static gboolean
item_view_previous (DigithekItemView *view)
{
  return digithek_guide_view_previous (DIGITHEK_GUIDE_VIEW (view));
}

static const char *
item_view_get_language (DigithekItemView *view)
{
  return DIGITHEK_GUIDE_VIEW (view)->language;
}

static char *
item_view_get_read_aloud_text (DigithekItemView *view)
{
  return digithek_guide_view_get_read_aloud_text (DIGITHEK_GUIDE_VIEW (view));
}

static void
item_view_iface_init (DigithekItemViewInterface *iface)
{
  iface->set_handoff = item_view_set_handoff;
  iface->get_position = item_view_get_position;
  iface->get_n_positions = item_view_get_n_positions;
  iface->set_position = item_view_set_position;
  iface->next = item_view_next;
  iface->previous = item_view_previous;
  iface->get_language = item_view_get_language;
  iface->get_read_aloud_text = item_view_get_read_aloud_text;
}
