/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-language-switch.h"

struct _DigithekLanguageSwitch
{
  AdwBin           parent_instance;

  /* template widgets */
  GtkWidget       *box;
  GtkToggleButton *easy_button;

  /* owned */
  char            *language;
  gboolean         offer_easy;
};

G_DEFINE_FINAL_TYPE (DigithekLanguageSwitch, digithek_language_switch, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LANGUAGE,
  PROP_OFFER_EASY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_easy (DigithekLanguageSwitch *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->easy_button),
                          self->offer_easy || g_strcmp0 (self->language, "de-x-easy") == 0);
}

static void
digithek_language_switch_finalize (GObject *object)
{
  DigithekLanguageSwitch *self = DIGITHEK_LANGUAGE_SWITCH (object);

  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (digithek_language_switch_parent_class)->finalize (object);
}

static void
digithek_language_switch_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  DigithekLanguageSwitch *self = DIGITHEK_LANGUAGE_SWITCH (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_OFFER_EASY:
      g_value_set_boolean (value, self->offer_easy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_language_switch_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  DigithekLanguageSwitch *self = DIGITHEK_LANGUAGE_SWITCH (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      digithek_language_switch_set_language (self, g_value_get_string (value));
      break;
    case PROP_OFFER_EASY:
      digithek_language_switch_set_offer_easy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_language_switch_class_init (DigithekLanguageSwitchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = digithek_language_switch_finalize;
  object_class->get_property = digithek_language_switch_get_property;
  object_class->set_property = digithek_language_switch_set_property;

  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "de",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OFFER_EASY] =
    g_param_spec_boolean ("offer-easy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-language-switch.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekLanguageSwitch, box);
  gtk_widget_class_bind_template_child (widget_class, DigithekLanguageSwitch, easy_button);

  /* Stateful: the button whose target is the language shows as pressed. */
  gtk_widget_class_install_property_action (widget_class, "language-switch.language", "language");
}

static void
digithek_language_switch_init (DigithekLanguageSwitch *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->language = g_strdup ("de");
  digithek_language_switch_update_texts (self);
}

GtkWidget *
digithek_language_switch_new (void)
{
  return g_object_new (DIGITHEK_TYPE_LANGUAGE_SWITCH, NULL);
}

const char *
digithek_language_switch_get_language (DigithekLanguageSwitch *self)
{
  g_return_val_if_fail (DIGITHEK_IS_LANGUAGE_SWITCH (self), NULL);
  return self->language;
}

void
digithek_language_switch_set_language (DigithekLanguageSwitch *self,
                                       const char             *language)
{
  g_return_if_fail (DIGITHEK_IS_LANGUAGE_SWITCH (self));

  if (language == NULL)
    language = "de";
  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  update_easy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

gboolean
digithek_language_switch_get_offer_easy (DigithekLanguageSwitch *self)
{
  g_return_val_if_fail (DIGITHEK_IS_LANGUAGE_SWITCH (self), FALSE);
  return self->offer_easy;
}

void
digithek_language_switch_set_offer_easy (DigithekLanguageSwitch *self,
                                         gboolean                offer_easy)
{
  g_return_if_fail (DIGITHEK_IS_LANGUAGE_SWITCH (self));

  offer_easy = !!offer_easy;
  if (self->offer_easy == offer_easy)
    return;
  self->offer_easy = offer_easy;
  update_easy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFER_EASY]);
}

gboolean
digithek_language_switch_get_easy_visible (DigithekLanguageSwitch *self)
{
  g_return_val_if_fail (DIGITHEK_IS_LANGUAGE_SWITCH (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->easy_button));
}

void
digithek_language_switch_update_texts (DigithekLanguageSwitch *self)
{
  g_return_if_fail (DIGITHEK_IS_LANGUAGE_SWITCH (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Language"),
                                  -1);
}
