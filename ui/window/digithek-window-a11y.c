/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-read-aloud-button.h"

#include "digithek-window-private.h"



/* ---- a11y: text size, high contrast and read-aloud ---- */

/* Text size works by CSS classes on the window (style.css sizes every text relative to
 * the window's font size, and the chart reads the classes), not by GtkSettings'
 * gtk-xft-dpi: px font sizes and Cairo text ignore the DPI, and a compositor's
 * settings daemon may overwrite it at any time. */
void
_digithek_window_display_changed (DigithekWindow *self)
{
  guint scale = digithek_display_menu_get_text_scale (self->display_menu);
  GtkWidget *widget = GTK_WIDGET (self);

  if (scale == 125)
    gtk_widget_add_css_class (widget, "text-125");
  else
    gtk_widget_remove_css_class (widget, "text-125");
  if (scale == 150)
    gtk_widget_add_css_class (widget, "text-150");
  else
    gtk_widget_remove_css_class (widget, "text-150");
  if (digithek_display_menu_get_high_contrast (self->display_menu))
    gtk_widget_add_css_class (widget, "high-contrast");
  else
    gtk_widget_remove_css_class (widget, "high-contrast");
}

void
digithek_window_set_text_scale (DigithekWindow *self,
                                guint           percent)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  digithek_display_menu_set_text_scale (self->display_menu, percent);
}

guint
digithek_window_get_text_scale (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), 100);
  return digithek_display_menu_get_text_scale (self->display_menu);
}

void
digithek_window_set_high_contrast (DigithekWindow *self,
                                   gboolean        high_contrast)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  digithek_display_menu_set_high_contrast (self->display_menu, high_contrast);
}

gboolean
digithek_window_get_high_contrast (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);
  return digithek_display_menu_get_high_contrast (self->display_menu);
}

void
digithek_window_reset_display (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  digithek_display_menu_set_open (self->display_menu, FALSE);
  digithek_display_menu_set_text_scale (self->display_menu, 100);
  digithek_display_menu_set_high_contrast (self->display_menu, FALSE);
}

GtkWidget *
digithek_window_get_display_menu (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->display_menu);
}

static void
speaking_changed_cb (DigithekWindow *self)
{
  gboolean reading = digithek_speech_get_speaking (self->speech);

  /* Read to the end, stopped or failed; or started. The read-aloud buttons watch it. */
  if (self->reading_aloud == reading)
    return;
  self->reading_aloud = reading;
  g_object_notify (G_OBJECT (self), "reading-aloud");
}

static void
speech_failed_cb (DigithekWindow *self,
                  const GError   *error)
{
  const char *message;

  if (g_error_matches (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_AUDIO))
    message = _("Read-aloud is not available: this kiosk has no loudspeaker.");
  else
    message = _("Read-aloud is not available for this text.");
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
digithek_window_read_aloud (DigithekWindow *self,
                            const char     *text,
                            const char     *language,
                            GtkWidget      *source)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  if (self->speech == NULL)
    {
      /* DIGITHEK_SPEECH_DEVICE: an ALSA PCM for kiosks (and tests) that need one. */
      self->speech = digithek_speech_new (g_getenv ("DIGITHEK_SPEECH_DEVICE"));
      g_signal_connect_swapped (self->speech, "notify::speaking",
                                G_CALLBACK (speaking_changed_cb), self);
      g_signal_connect_swapped (self->speech, "failed", G_CALLBACK (speech_failed_cb), self);
    }
  /* Stops what was read before ("reading-aloud" goes FALSE: its button says "Read
   * aloud" again), then reads. */
  digithek_speech_speak (self->speech, text, language != NULL ? language : self->language);
  if (DIGITHEK_IS_READ_ALOUD_BUTTON (source) && self->reading_aloud)
    digithek_read_aloud_button_set_active (DIGITHEK_READ_ALOUD_BUTTON (source), TRUE);
}

void
digithek_window_stop_read_aloud (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  if (self->speech != NULL)
    digithek_speech_stop (self->speech);
}

gboolean
digithek_window_get_reading_aloud (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), FALSE);
  return self->reading_aloud;
}
