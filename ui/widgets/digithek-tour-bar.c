/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-tour-bar.h"

#include <glib/gi18n.h>

#include "digithek-i18n.h"

struct _DigithekTourBar
{
  AdwBin parent_instance;

  /* template widgets */
  GtkLabel         *progress_label;
  AdwButtonContent *back_content;
  AdwButtonContent *next_content;
  AdwButtonContent *end_content;

  /* owned */
  char             *language;
  guint             stop;
  guint             n_stops;
};

G_DEFINE_FINAL_TYPE (DigithekTourBar, digithek_tour_bar, ADW_TYPE_BIN)

/* The pilot's words follow the session's language, as the tour view's do. */
#define TR(msgid) digithek_i18n_translate (self->language, msgid)

static void
update (DigithekTourBar *self)
{
  g_autofree char *text = NULL;

  if (self->n_stops > 0)
    text = g_strdup_printf (TR (N_("Stop %u of %u")), self->stop + 1, self->n_stops);
  gtk_label_set_label (self->progress_label, text != NULL ? text : "");
  adw_button_content_set_label (self->back_content, TR (N_("Back")));
  adw_button_content_set_label (self->next_content, TR (N_("Next")));
  adw_button_content_set_label (self->end_content, TR (N_("End")));
}

static void
digithek_tour_bar_finalize (GObject *object)
{
  DigithekTourBar *self = DIGITHEK_TOUR_BAR (object);

  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (digithek_tour_bar_parent_class)->finalize (object);
}

static void
digithek_tour_bar_class_init (DigithekTourBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = digithek_tour_bar_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-tour-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekTourBar, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourBar, back_content);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourBar, next_content);
  gtk_widget_class_bind_template_child (widget_class, DigithekTourBar, end_content);
  gtk_widget_class_set_css_name (widget_class, "tour-presenter-bar");
}

static void
digithek_tour_bar_init (DigithekTourBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->language = g_strdup ("de");
  update (self);
}

GtkWidget *
digithek_tour_bar_new (void)
{
  return g_object_new (DIGITHEK_TYPE_TOUR_BAR, NULL);
}

void
digithek_tour_bar_set_progress (DigithekTourBar *self,
                                guint            stop,
                                guint            n_stops)
{
  g_return_if_fail (DIGITHEK_IS_TOUR_BAR (self));

  self->stop = stop;
  self->n_stops = n_stops;
  update (self);
}

void
digithek_tour_bar_set_language (DigithekTourBar *self,
                                const char      *language)
{
  g_return_if_fail (DIGITHEK_IS_TOUR_BAR (self));

  g_free (self->language);
  self->language = g_strdup (language);
  update (self);
}

const char *
digithek_tour_bar_get_text (DigithekTourBar *self)
{
  g_return_val_if_fail (DIGITHEK_IS_TOUR_BAR (self), NULL);
  return gtk_label_get_label (self->progress_label);
}
