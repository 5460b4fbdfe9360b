/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "digithek-read-aloud-button.h"

struct _DigithekReadAloudButton
{
  GtkButton                  parent_instance;

  AdwButtonContent          *content;

  DigithekReadAloudTextFunc  func;
  gpointer                   user_data;
  char                      *language;
  gboolean                   active;

  /* While active: the window that reads, watched for the end of the reading. */
  GtkRoot                   *reader;     /* weak */
  gulong                     reader_handler;
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

/* Reading is the window's: a tap activates its "view.read-aloud" (text, language) or
 * "view.stop-read-aloud" action, so that this widget needs nothing of the window but
 * the action names and its boolean "reading-aloud" property. */
static gboolean
root_reading_aloud (GtkRoot *root)
{
  gboolean reading = FALSE;

  if (root != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (root), "reading-aloud") != NULL)
    g_object_get (root, "reading-aloud", &reading, NULL);
  return reading;
}

static void
digithek_read_aloud_button_clicked (GtkButton *button)
{
  DigithekReadAloudButton *self = DIGITHEK_READ_ALOUD_BUTTON (button);
  g_autofree char *text = NULL;

  if (self->active)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "view.stop-read-aloud", NULL);
      return;
    }
  text = digithek_read_aloud_button_get_text (self);
  if (text == NULL || *text == '\0')
    return;
  if (gtk_widget_activate_action (GTK_WIDGET (self), "view.read-aloud", "(ss)", text,
                                  self->language != NULL ? self->language : "de") &&
      root_reading_aloud (gtk_widget_get_root (GTK_WIDGET (self))))
    digithek_read_aloud_button_set_active (self, TRUE);
}

static void
unwatch_reader (DigithekReadAloudButton *self)
{
  if (self->reader != NULL)
    {
      g_clear_signal_handler (&self->reader_handler, self->reader);
      g_clear_weak_pointer (&self->reader);
    }
  self->reader_handler = 0;
}

static void
reader_changed_cb (GObject                 *reader,
                   GParamSpec              *pspec,
                   DigithekReadAloudButton *self)
{
  /* Read to the end, stopped, or another text started: "Read aloud" again. */
  digithek_read_aloud_button_set_active (self, FALSE);
}

static void
digithek_read_aloud_button_dispose (GObject *object)
{
  unwatch_reader (DIGITHEK_READ_ALOUD_BUTTON (object));
  G_OBJECT_CLASS (digithek_read_aloud_button_parent_class)->dispose (object);
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

  object_class->dispose = digithek_read_aloud_button_dispose;
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
  unwatch_reader (self);
  if (active)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      if (root != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (root), "reading-aloud") != NULL)
        {
          g_set_weak_pointer (&self->reader, root);
          self->reader_handler = g_signal_connect (root, "notify::reading-aloud",
                                                   G_CALLBACK (reader_changed_cb), self);
        }
    }
  relabel (self);
}

gboolean
digithek_read_aloud_button_get_active (DigithekReadAloudButton *self)
{
  g_return_val_if_fail (DIGITHEK_IS_READ_ALOUD_BUTTON (self), FALSE);
  return self->active;
}
