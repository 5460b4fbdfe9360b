/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "digithek-i18n.h"
#include "digithek-qr-card.h"
#include "digithek-qr-paintable.h"
#include "digithek-qr.h"

struct _DigithekQrCard
{
  AdwBin      parent_instance;

  /* template widgets */
  GtkLabel   *heading;
  GtkPicture *picture;
  GtkLabel   *address;

  /* owned */
  char       *url;
  char       *language;
};

G_DEFINE_FINAL_TYPE (DigithekQrCard, digithek_qr_card, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_URL,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The card speaks its own language (the item's): it is the content's, and the UI's. */
static const char *
heading_for (const char *language)
{
  return digithek_i18n_translate (language, N_("Continue on your phone"));
}

static void
update_url (DigithekQrCard *self)
{
  g_autoptr(DigithekQrPaintable) paintable = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *short_address = NULL;
  g_autofree char *name = NULL;

  if (self->url != NULL)
    {
      paintable = digithek_qr_paintable_new_for_url (self->url, &error);
      if (paintable == NULL)
        g_warning ("no QR code for a %zu-byte URL: %s", strlen (self->url), error->message);
    }
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (paintable));
  gtk_widget_set_visible (GTK_WIDGET (self), paintable != NULL);
  if (paintable == NULL)
    {
      gtk_label_set_label (self->address, "");
      return;
    }

  short_address = digithek_qr_short_address (self->url);
  gtk_label_set_label (self->address, short_address);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->address), short_address);
  /* Screen readers announce what the code opens, not "image". */
  /* TRANSLATORS: what a screen reader says for a QR code; %s is the address */
  name = g_strdup_printf (digithek_i18n_translate (self->language, N_("QR code: %s")), self->url);
  gtk_picture_set_alternative_text (self->picture, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

static void
digithek_qr_card_finalize (GObject *object)
{
  DigithekQrCard *self = DIGITHEK_QR_CARD (object);

  g_free (self->url);
  g_free (self->language);

  G_OBJECT_CLASS (digithek_qr_card_parent_class)->finalize (object);
}

static void
digithek_qr_card_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DigithekQrCard *self = DIGITHEK_QR_CARD (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_qr_card_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DigithekQrCard *self = DIGITHEK_QR_CARD (object);

  switch (prop_id)
    {
    case PROP_URL:
      digithek_qr_card_set_url (self, g_value_get_string (value));
      break;
    case PROP_LANGUAGE:
      digithek_qr_card_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_qr_card_class_init (DigithekQrCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = digithek_qr_card_finalize;
  object_class->get_property = digithek_qr_card_get_property;
  object_class->set_property = digithek_qr_card_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "de",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-qr-card.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekQrCard, heading);
  gtk_widget_class_bind_template_child (widget_class, DigithekQrCard, picture);
  gtk_widget_class_bind_template_child (widget_class, DigithekQrCard, address);
}

static void
digithek_qr_card_init (DigithekQrCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->language = g_strdup ("de");
  gtk_label_set_label (self->heading, heading_for (self->language));
}

GtkWidget *
digithek_qr_card_new (void)
{
  return g_object_new (DIGITHEK_TYPE_QR_CARD, NULL);
}

const char *
digithek_qr_card_get_url (DigithekQrCard *self)
{
  g_return_val_if_fail (DIGITHEK_IS_QR_CARD (self), NULL);
  return self->url;
}

void
digithek_qr_card_set_url (DigithekQrCard *self,
                          const char     *url)
{
  g_return_if_fail (DIGITHEK_IS_QR_CARD (self));

  if (g_strcmp0 (self->url, url) == 0)
    return;
  g_free (self->url);
  self->url = g_strdup (url);
  update_url (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

const char *
digithek_qr_card_get_language (DigithekQrCard *self)
{
  g_return_val_if_fail (DIGITHEK_IS_QR_CARD (self), NULL);
  return self->language;
}

void
digithek_qr_card_set_language (DigithekQrCard *self,
                               const char     *language)
{
  g_return_if_fail (DIGITHEK_IS_QR_CARD (self));

  if (language == NULL)
    language = "de";
  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  gtk_label_set_label (self->heading, heading_for (self->language));
  if (self->url != NULL)
    update_url (self);   /* the code's accessible name */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

void
digithek_qr_card_show_item (DigithekQrCard  *self,
                            DigithekHandoff *handoff,
                            JsonObject      *manifest,
                            const char      *pack_id,
                            const char      *item_id,
                            guint            step,
                            const char      *language,
                            gboolean         prefer_local)
{
  g_autofree char *url = NULL;

  g_return_if_fail (DIGITHEK_IS_QR_CARD (self));
  g_return_if_fail (handoff == NULL || DIGITHEK_IS_HANDOFF (handoff));

  if (manifest != NULL && pack_id != NULL && item_id != NULL)
    url = digithek_handoff_url_for_item (handoff, manifest, pack_id, item_id, step,
                                         language, prefer_local);
  digithek_qr_card_set_language (self, language);
  digithek_qr_card_set_url (self, url);
}

/* DigithekQrCardLayout ------------------------------------------------------- */

#define LAYOUT_SPACING 24
#define DEFAULT_WIDE_WIDTH 1400

struct _DigithekQrCardLayout
{
  GtkWidget  parent_instance;

  GtkWidget *content;
  GtkWidget *card;
  int        wide_width;
  gboolean   side_by_side;
};

G_DEFINE_FINAL_TYPE (DigithekQrCardLayout, digithek_qr_card_layout, GTK_TYPE_WIDGET)

enum {
  LAYOUT_PROP_0,
  LAYOUT_PROP_CONTENT,
  LAYOUT_PROP_CARD,
  LAYOUT_PROP_WIDE_WIDTH,
  LAYOUT_N_PROPS
};

static GParamSpec *layout_properties[LAYOUT_N_PROPS];

static gboolean
has_child (GtkWidget *child)
{
  return child != NULL && gtk_widget_should_layout (child);
}

/* The card's column: its natural width, but never more than a third of the screen. */
static int
card_column_width (DigithekQrCardLayout *self,
                   int                   width)
{
  int min = 0, nat = 0;

  gtk_widget_measure (self->card, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return MAX (min, MIN (nat, width / 3));
}

/* Under the content the card keeps its natural width: measured for the whole width, a
 * picture would ask for a height as large as that width. */
static int
card_row_width (DigithekQrCardLayout *self,
                int                   width)
{
  int min = 0, nat = 0;

  gtk_widget_measure (self->card, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return width < 0 ? nat : MAX (min, MIN (nat, width));
}

static void
digithek_qr_card_layout_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  DigithekQrCardLayout *self = DIGITHEK_QR_CARD_LAYOUT (widget);
  int c_min = 0, c_nat = 0, k_min = 0, k_nat = 0;
  gboolean content = has_child (self->content);
  gboolean card = has_child (self->card);

  if (!card)
    {
      if (content)
        gtk_widget_measure (self->content, orientation, for_size, minimum, natural, NULL, NULL);
      return;
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      if (content)
        gtk_widget_measure (self->content, orientation, -1, &c_min, &c_nat, NULL, NULL);
      gtk_widget_measure (self->card, orientation, -1, &k_min, &k_nat, NULL, NULL);
      /* Narrow screens stack: only the wider of the two is needed. */
      *minimum = MAX (c_min, k_min);
      *natural = c_nat + LAYOUT_SPACING + k_nat;
      return;
    }

  if (for_size >= self->wide_width)
    {
      int card_width = card_column_width (self, for_size);

      if (content)
        gtk_widget_measure (self->content, orientation,
                            MAX (0, for_size - card_width - LAYOUT_SPACING),
                            &c_min, &c_nat, NULL, NULL);
      gtk_widget_measure (self->card, orientation, card_width, &k_min, &k_nat, NULL, NULL);
      *minimum = MAX (c_min, k_min);
      *natural = MAX (c_nat, k_nat);
    }
  else
    {
      if (content)
        gtk_widget_measure (self->content, orientation, for_size, &c_min, &c_nat, NULL, NULL);
      gtk_widget_measure (self->card, orientation, card_row_width (self, for_size),
                          &k_min, &k_nat, NULL, NULL);
      *minimum = c_min + LAYOUT_SPACING + k_min;
      *natural = c_nat + LAYOUT_SPACING + k_nat;
    }
}

static void
digithek_qr_card_layout_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  DigithekQrCardLayout *self = DIGITHEK_QR_CARD_LAYOUT (widget);
  gboolean content = has_child (self->content);

  self->side_by_side = FALSE;
  if (!has_child (self->card))
    {
      if (content)
        gtk_widget_allocate (self->content, width, height, -1, NULL);
      return;
    }

  if (width >= self->wide_width)
    {
      int card_width = card_column_width (self, width);
      int content_width = MAX (0, width - card_width - LAYOUT_SPACING);

      self->side_by_side = TRUE;
      if (content)
        gtk_widget_allocate (self->content, content_width, height, -1, NULL);
      gtk_widget_allocate (self->card, card_width, height, -1,
                           gsk_transform_translate (NULL,
                                                    &GRAPHENE_POINT_INIT (width - card_width, 0)));
    }
  else
    {
      int card_min = 0, card_nat = 0, card_height;

      gtk_widget_measure (self->card, GTK_ORIENTATION_VERTICAL, card_row_width (self, width),
                          &card_min, &card_nat, NULL, NULL);
      card_height = MIN (card_nat, MAX (card_min, height / 2));
      if (content)
        gtk_widget_allocate (self->content, width,
                             MAX (0, height - card_height - LAYOUT_SPACING), -1, NULL);
      gtk_widget_allocate (self->card, width, card_height, -1,
                           gsk_transform_translate (NULL,
                                                    &GRAPHENE_POINT_INIT (0, height - card_height)));
    }
}

static GtkSizeRequestMode
digithek_qr_card_layout_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
set_layout_child (DigithekQrCardLayout  *self,
                  GtkWidget            **slot,
                  GtkWidget             *child,
                  guint                  prop)
{
  if (*slot == child)
    return;
  if (child != NULL)
    g_return_if_fail (gtk_widget_get_parent (child) == NULL);
  g_clear_pointer (slot, gtk_widget_unparent);
  *slot = child;
  if (child != NULL)
    {
      /* The content first: the focus chain and read order go content, then card. */
      if (slot == &self->content)
        gtk_widget_insert_after (child, GTK_WIDGET (self), NULL);
      else
        gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), layout_properties[prop]);
}

static void
digithek_qr_card_layout_dispose (GObject *object)
{
  DigithekQrCardLayout *self = DIGITHEK_QR_CARD_LAYOUT (object);

  g_clear_pointer (&self->content, gtk_widget_unparent);
  g_clear_pointer (&self->card, gtk_widget_unparent);

  G_OBJECT_CLASS (digithek_qr_card_layout_parent_class)->dispose (object);
}

static void
digithek_qr_card_layout_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DigithekQrCardLayout *self = DIGITHEK_QR_CARD_LAYOUT (object);

  switch (prop_id)
    {
    case LAYOUT_PROP_CONTENT:
      g_value_set_object (value, self->content);
      break;
    case LAYOUT_PROP_CARD:
      g_value_set_object (value, self->card);
      break;
    case LAYOUT_PROP_WIDE_WIDTH:
      g_value_set_int (value, self->wide_width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_qr_card_layout_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  DigithekQrCardLayout *self = DIGITHEK_QR_CARD_LAYOUT (object);

  switch (prop_id)
    {
    case LAYOUT_PROP_CONTENT:
      digithek_qr_card_layout_set_content (self, g_value_get_object (value));
      break;
    case LAYOUT_PROP_CARD:
      digithek_qr_card_layout_set_card (self, g_value_get_object (value));
      break;
    case LAYOUT_PROP_WIDE_WIDTH:
      self->wide_width = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_qr_card_layout_class_init (DigithekQrCardLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_qr_card_layout_dispose;
  object_class->get_property = digithek_qr_card_layout_get_property;
  object_class->set_property = digithek_qr_card_layout_set_property;
  widget_class->measure = digithek_qr_card_layout_measure;
  widget_class->size_allocate = digithek_qr_card_layout_size_allocate;
  widget_class->get_request_mode = digithek_qr_card_layout_get_request_mode;

  layout_properties[LAYOUT_PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  layout_properties[LAYOUT_PROP_CARD] =
    g_param_spec_object ("card", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  layout_properties[LAYOUT_PROP_WIDE_WIDTH] =
    g_param_spec_int ("wide-width", NULL, NULL, 0, G_MAXINT, DEFAULT_WIDE_WIDTH,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, LAYOUT_N_PROPS, layout_properties);

  gtk_widget_class_set_css_name (widget_class, "qrcardlayout");
}

static void
digithek_qr_card_layout_init (DigithekQrCardLayout *self)
{
  self->wide_width = DEFAULT_WIDE_WIDTH;
}

GtkWidget *
digithek_qr_card_layout_new (void)
{
  return g_object_new (DIGITHEK_TYPE_QR_CARD_LAYOUT, NULL);
}

void
digithek_qr_card_layout_set_content (DigithekQrCardLayout *self,
                                     GtkWidget            *content)
{
  g_return_if_fail (DIGITHEK_IS_QR_CARD_LAYOUT (self));
  set_layout_child (self, &self->content, content, LAYOUT_PROP_CONTENT);
}

GtkWidget *
digithek_qr_card_layout_get_content (DigithekQrCardLayout *self)
{
  g_return_val_if_fail (DIGITHEK_IS_QR_CARD_LAYOUT (self), NULL);
  return self->content;
}

void
digithek_qr_card_layout_set_card (DigithekQrCardLayout *self,
                                  GtkWidget            *card)
{
  g_return_if_fail (DIGITHEK_IS_QR_CARD_LAYOUT (self));
  set_layout_child (self, &self->card, card, LAYOUT_PROP_CARD);
}

GtkWidget *
digithek_qr_card_layout_get_card (DigithekQrCardLayout *self)
{
  g_return_val_if_fail (DIGITHEK_IS_QR_CARD_LAYOUT (self), NULL);
  return self->card;
}

gboolean
digithek_qr_card_layout_get_side_by_side (DigithekQrCardLayout *self)
{
  g_return_val_if_fail (DIGITHEK_IS_QR_CARD_LAYOUT (self), FALSE);
  return self->side_by_side;
}
