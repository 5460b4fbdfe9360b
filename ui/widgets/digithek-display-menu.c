/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-display-menu.h"

struct _DigithekDisplayMenu
{
  AdwBin          parent_instance;

  /* template widgets */
  GtkMenuButton  *button;
  GtkPopover     *popover;
  GtkLabel       *size_heading;
  GtkWidget      *size_100;
  GtkWidget      *size_125;
  GtkWidget      *size_150;
  GtkLabel       *size_100_label;
  GtkLabel       *size_125_label;
  GtkLabel       *size_150_label;
  GtkLabel       *contrast_label;
  GtkWidget      *contrast_switch;

  guint           text_scale;
  gboolean        high_contrast;
};

G_DEFINE_FINAL_TYPE (DigithekDisplayMenu, digithek_display_menu, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TEXT_SCALE,
  PROP_HIGH_CONTRAST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
nearest_scale (guint percent)
{
  if (percent < 113)
    return 100;
  if (percent < 138)
    return 125;
  return 150;
}

static void
set_size_label (GtkWidget  *toggle,
                GtkLabel   *label,
                guint       percent,
                const char *name)
{
  g_autofree char *markup = NULL;
  g_autofree char *accessible = NULL;

  /* The "A" is drawn at the size it stands for, so the choice is visible, not read. */
  markup = g_strdup_printf ("<span size='%u%%' weight='bold'>A</span>\n%u %%", percent, percent);
  gtk_label_set_markup (label, markup);
  /* TRANSLATORS: a text size choice for screen readers, e.g. "Text size 125 percent, larger" */
  accessible = g_strdup_printf (_("Text size %u percent, %s"), percent, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

void
digithek_display_menu_relabel (DigithekDisplayMenu *self)
{
  const char *title;

  g_return_if_fail (DIGITHEK_IS_DISPLAY_MENU (self));

  title = _("Text size and contrast");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  /* GtkMenuButton keeps its own toggle button inside: that is what gets the focus. */
  if (gtk_widget_get_first_child (GTK_WIDGET (self->button)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->button))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  gtk_label_set_label (self->size_heading, _("Text size"));
  set_size_label (self->size_100, self->size_100_label, 100, _("normal"));
  set_size_label (self->size_125, self->size_125_label, 125, _("larger"));
  set_size_label (self->size_150, self->size_150_label, 150, _("largest"));
  gtk_label_set_label (self->contrast_label, _("High contrast"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->contrast_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("High contrast"), -1);
}

static void
digithek_display_menu_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DigithekDisplayMenu *self = DIGITHEK_DISPLAY_MENU (object);

  switch (prop_id)
    {
    case PROP_TEXT_SCALE:
      g_value_set_uint (value, self->text_scale);
      break;
    case PROP_HIGH_CONTRAST:
      g_value_set_boolean (value, self->high_contrast);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_display_menu_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DigithekDisplayMenu *self = DIGITHEK_DISPLAY_MENU (object);

  switch (prop_id)
    {
    case PROP_TEXT_SCALE:
      digithek_display_menu_set_text_scale (self, g_value_get_uint (value));
      break;
    case PROP_HIGH_CONTRAST:
      digithek_display_menu_set_high_contrast (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_display_menu_class_init (DigithekDisplayMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = digithek_display_menu_get_property;
  object_class->set_property = digithek_display_menu_set_property;

  properties[PROP_TEXT_SCALE] =
    g_param_spec_uint ("text-scale", NULL, NULL, 100, 150, 100,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HIGH_CONTRAST] =
    g_param_spec_boolean ("high-contrast", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-display-menu.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, button);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, popover);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, size_heading);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, size_100);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, size_125);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, size_150);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, size_100_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, size_125_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, size_150_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, contrast_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekDisplayMenu, contrast_switch);

  /* The toggles and the switch are GtkActionables on these stateful actions: the radio
   * behaviour and the checked state come with them. */
  gtk_widget_class_install_property_action (widget_class, "display.text-scale", "text-scale");
  gtk_widget_class_install_property_action (widget_class, "display.high-contrast", "high-contrast");
}

static void
digithek_display_menu_init (DigithekDisplayMenu *self)
{
  self->text_scale = 100;
  gtk_widget_init_template (GTK_WIDGET (self));
  digithek_display_menu_relabel (self);
}

GtkWidget *
digithek_display_menu_new (void)
{
  return g_object_new (DIGITHEK_TYPE_DISPLAY_MENU, NULL);
}

void
digithek_display_menu_set_text_scale (DigithekDisplayMenu *self,
                                      guint                percent)
{
  g_return_if_fail (DIGITHEK_IS_DISPLAY_MENU (self));

  percent = nearest_scale (percent);
  if (self->text_scale == percent)
    return;
  self->text_scale = percent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_SCALE]);
}

guint
digithek_display_menu_get_text_scale (DigithekDisplayMenu *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DISPLAY_MENU (self), 100);
  return self->text_scale;
}

void
digithek_display_menu_set_high_contrast (DigithekDisplayMenu *self,
                                         gboolean             high_contrast)
{
  g_return_if_fail (DIGITHEK_IS_DISPLAY_MENU (self));

  high_contrast = !!high_contrast;
  if (self->high_contrast == high_contrast)
    return;
  self->high_contrast = high_contrast;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGH_CONTRAST]);
}

gboolean
digithek_display_menu_get_high_contrast (DigithekDisplayMenu *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DISPLAY_MENU (self), FALSE);
  return self->high_contrast;
}

GtkWidget *
digithek_display_menu_get_button (DigithekDisplayMenu *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DISPLAY_MENU (self), NULL);
  return GTK_WIDGET (self->button);
}

void
digithek_display_menu_set_open (DigithekDisplayMenu *self,
                                gboolean             open)
{
  g_return_if_fail (DIGITHEK_IS_DISPLAY_MENU (self));

  if (open)
    gtk_menu_button_popup (self->button);
  else
    gtk_menu_button_popdown (self->button);
}
