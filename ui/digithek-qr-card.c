/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

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

/* The kiosk switches language per session, not per process locale, so the heading
 * follows the card's language rather than gettext. */
static const char *
heading_for (const char *language)
{
  if (language == NULL || g_str_equal (language, "de") || g_str_has_prefix (language, "de-"))
    return "Weiter auf dem Handy";
  return "Continue on your phone";
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
  name = g_strdup_printf ("QR code: %s", self->url);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}
