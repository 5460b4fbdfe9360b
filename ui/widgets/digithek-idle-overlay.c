/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-idle-overlay.h"

struct _DigithekIdleOverlay
{
  AdwBin parent_instance;

  /* template widgets */
  GtkLabel  *countdown_label;
  GtkButton *continue_button;

  guint      seconds_left;
};

G_DEFINE_FINAL_TYPE (DigithekIdleOverlay, digithek_idle_overlay, ADW_TYPE_BIN)

enum {
  CONTINUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
continue_clicked_cb (DigithekIdleOverlay *self)
{
  g_signal_emit (self, signals[CONTINUE], 0);
}

static void
digithek_idle_overlay_class_init (DigithekIdleOverlayClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * DigithekIdleOverlay::continue:
   *
   * The citizen is still there: the session goes on.
   */
  signals[CONTINUE] = g_signal_new ("continue", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-idle-overlay.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekIdleOverlay, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekIdleOverlay, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "idle-overlay");
}

static void
digithek_idle_overlay_init (DigithekIdleOverlay *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  digithek_idle_overlay_set_seconds_left (self, 15);
}

GtkWidget *
digithek_idle_overlay_new (void)
{
  return g_object_new (DIGITHEK_TYPE_IDLE_OVERLAY, NULL);
}

void
digithek_idle_overlay_set_seconds_left (DigithekIdleOverlay *self,
                                        guint                seconds)
{
  g_autofree char *text = NULL;

  g_return_if_fail (DIGITHEK_IS_IDLE_OVERLAY (self));

  self->seconds_left = seconds;
  text = g_strdup_printf ("%u", seconds);
  gtk_label_set_label (self->countdown_label, text);
  /* Screen readers hear the number with its meaning, in both languages. */
  {
    g_autofree char *spoken = g_strdup_printf ("Neustart in %u Sekunden. Restart in %u seconds.",
                                               seconds, seconds);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->countdown_label),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  }
}

guint
digithek_idle_overlay_get_seconds_left (DigithekIdleOverlay *self)
{
  g_return_val_if_fail (DIGITHEK_IS_IDLE_OVERLAY (self), 0);
  return self->seconds_left;
}

const char *
digithek_idle_overlay_get_countdown_text (DigithekIdleOverlay *self)
{
  g_return_val_if_fail (DIGITHEK_IS_IDLE_OVERLAY (self), NULL);
  return gtk_label_get_label (self->countdown_label);
}
