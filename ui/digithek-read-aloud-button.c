/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-read-aloud-button.h"
#include "digithek-window.h"

struct _DigithekReadAloudButton
{
  GtkButton                  parent_instance;

  AdwButtonContent          *content;

  DigithekReadAloudTextFunc  func;
  gpointer                   user_data;
  char                      *language;
  gboolean                   active;
};

G_DEFINE_FINAL_TYPE (DigithekReadAloudButton, digithek_read_aloud_button, GTK_TYPE_BUTTON)

static void
relabel (DigithekReadAloudButton *self)
{
  const char *label = self->active ? _("Stop reading") : _("Read aloud");

  adw_button_content_set_label (self->content, label);
  adw_button_content_set_icon_name (self->content,
                                    self->active ? "media-playback-stop-symbolic"
                                                 : "audio-volume-high-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_PRESSED,
                               self->active ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                            : GTK_ACCESSIBLE_TRISTATE_FALSE,
                               -1);
}

static void
digithek_read_aloud_button_clicked (GtkButton *button)
{
  DigithekReadAloudButton *self = DIGITHEK_READ_ALOUD_BUTTON (button);
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), DIGITHEK_TYPE_WINDOW);
  g_autofree char *text = NULL;

  if (window == NULL)
    return;
  if (self->active)
    {
      digithek_window_stop_read_aloud (DIGITHEK_WINDOW (window));
      return;
    }
  text = digithek_read_aloud_button_get_text (self);
  if (text != NULL && *text != '\0')
    digithek_window_read_aloud (DIGITHEK_WINDOW (window), text,
                                self->language != NULL ? self->language : "de",
                                GTK_WIDGET (self));
}

static void
digithek_read_aloud_button_finalize (GObject *object)
{
  DigithekReadAloudButton *self = DIGITHEK_READ_ALOUD_BUTTON (object);

  g_clear_pointer (&self->language, g_free);
  G_OBJECT_CLASS (digithek_read_aloud_button_parent_class)->finalize (object);
}

static void
digithek_read_aloud_button_class_init (DigithekReadAloudButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkButtonClass *button_class = GTK_BUTTON_CLASS (klass);

  object_class->finalize = digithek_read_aloud_button_finalize;
  button_class->clicked = digithek_read_aloud_button_clicked;
}

static void
digithek_read_aloud_button_init (DigithekReadAloudButton *self)
{
  self->content = ADW_BUTTON_CONTENT (adw_button_content_new ());
  gtk_button_set_child (GTK_BUTTON (self), GTK_WIDGET (self->content));
  gtk_widget_add_css_class (GTK_WIDGET (self), "touch-button");
  gtk_widget_add_css_class (GTK_WIDGET (self), "read-aloud-button");
  relabel (self);
}

GtkWidget *
digithek_read_aloud_button_new (void)
{
  return g_object_new (DIGITHEK_TYPE_READ_ALOUD_BUTTON, NULL);
}

void
digithek_read_aloud_button_set_text_func (DigithekReadAloudButton   *self,
                                          DigithekReadAloudTextFunc  func,
                                          gpointer                   user_data)
{
  g_return_if_fail (DIGITHEK_IS_READ_ALOUD_BUTTON (self));

  self->func = func;
  self->user_data = user_data;
}

void
digithek_read_aloud_button_set_language (DigithekReadAloudButton *self,
                                         const char              *language)
{
  g_return_if_fail (DIGITHEK_IS_READ_ALOUD_BUTTON (self));

  g_free (self->language);
  self->language = g_strdup (language);
}

const char *
digithek_read_aloud_button_get_language (DigithekReadAloudButton *self)
{
  g_return_val_if_fail (DIGITHEK_IS_READ_ALOUD_BUTTON (self), NULL);
  return self->language;
}

char *
digithek_read_aloud_button_get_text (DigithekReadAloudButton *self)
{
  g_return_val_if_fail (DIGITHEK_IS_READ_ALOUD_BUTTON (self), NULL);
  return self->func != NULL ? self->func (self->user_data) : NULL;
}

void
digithek_read_aloud_button_set_active (DigithekReadAloudButton *self,
                                       gboolean                 active)
{
  g_return_if_fail (DIGITHEK_IS_READ_ALOUD_BUTTON (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  relabel (self);
}

gboolean
digithek_read_aloud_button_get_active (DigithekReadAloudButton *self)
{
  g_return_val_if_fail (DIGITHEK_IS_READ_ALOUD_BUTTON (self), FALSE);
  return self->active;
}
