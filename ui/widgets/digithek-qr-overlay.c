/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-handoff.h"
#include "digithek-i18n.h"
#include "digithek-qr-card.h"
#include "digithek-qr-overlay.h"

struct _DigithekQrOverlay
{
  GtkWidget       parent_instance;

  GtkWidget      *card;        /* the box in the middle; taps outside it close */
  GtkLabel       *title;
  DigithekQrCard *qr_card;
  GtkButton      *close_button;
  AdwButtonContent *close_content;
};

G_DEFINE_FINAL_TYPE (DigithekQrOverlay, digithek_qr_overlay, GTK_TYPE_WIDGET)

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
close_clicked_cb (DigithekQrOverlay *self)
{
  digithek_qr_overlay_close (self);
}

/* A tap on the dimmed layer, not on the card, closes. */
static void
layer_released_cb (GtkGestureClick   *gesture,
                   int                n_press,
                   double             x,
                   double             y,
                   DigithekQrOverlay *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  if (picked != NULL && picked != self->card && !gtk_widget_is_ancestor (picked, self->card))
    digithek_qr_overlay_close (self);
}

static void
digithek_qr_overlay_dispose (GObject *object)
{
  DigithekQrOverlay *self = DIGITHEK_QR_OVERLAY (object);

  g_clear_pointer (&self->card, gtk_widget_unparent);

  G_OBJECT_CLASS (digithek_qr_overlay_parent_class)->dispose (object);
}

static void
digithek_qr_overlay_class_init (DigithekQrOverlayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_qr_overlay_dispose;

  /**
   * DigithekQrOverlay::closed:
   *
   * The overlay closed.
   */
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "qroverlay");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DIALOG);
}

static void
digithek_qr_overlay_init (DigithekQrOverlay *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "qr-overlay");

  self->card = box;
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (box, 32);
  gtk_widget_set_margin_end (box, 32);
  gtk_widget_set_margin_top (box, 32);
  gtk_widget_set_margin_bottom (box, 32);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "link-card");

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->title, TRUE);
  gtk_label_set_wrap_mode (self->title, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (self->title, GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (self->title, 32);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "link-title");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->title));

  self->qr_card = DIGITHEK_QR_CARD (digithek_qr_card_new ());
  gtk_widget_set_halign (GTK_WIDGET (self->qr_card), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->qr_card));

  self->close_content = ADW_BUTTON_CONTENT (adw_button_content_new ());
  adw_button_content_set_icon_name (self->close_content, "window-close-symbolic");
  self->close_button = GTK_BUTTON (gtk_button_new ());
  gtk_button_set_child (self->close_button, GTK_WIDGET (self->close_content));
  gtk_widget_set_halign (GTK_WIDGET (self->close_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->close_button), "touch-button");
  gtk_widget_add_css_class (GTK_WIDGET (self->close_button), "suggested-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->close_button), "close-button");
  g_signal_connect_swapped (self->close_button, "clicked", G_CALLBACK (close_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->close_button));

  gtk_widget_set_parent (box, GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "released", G_CALLBACK (layer_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
digithek_qr_overlay_new (void)
{
  return g_object_new (DIGITHEK_TYPE_QR_OVERLAY, NULL);
}

gboolean
digithek_qr_overlay_open (DigithekQrOverlay *self,
                          const char        *uri,
                          const char        *label,
                          const char        *language)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (DIGITHEK_IS_QR_OVERLAY (self), FALSE);

  url = uri != NULL ? digithek_handoff_normalize_url (uri) : NULL;
  if (url == NULL)
    return FALSE;

  gtk_label_set_label (self->title, label != NULL && *label != '\0' ? label : url);
  digithek_qr_card_set_language (self->qr_card, language);
  digithek_qr_card_set_url (self->qr_card, url);
  /* A URL too long for any code: nothing to show. */
  if (!gtk_widget_get_visible (GTK_WIDGET (self->qr_card)))
    {
      digithek_qr_card_set_url (self->qr_card, NULL);
      return FALSE;
    }
  adw_button_content_set_label (self->close_content,
                                digithek_i18n_translate (language, N_("Close")));
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->close_button));
  return TRUE;
}

void
digithek_qr_overlay_close (DigithekQrOverlay *self)
{
  g_return_if_fail (DIGITHEK_IS_QR_OVERLAY (self));

  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  digithek_qr_card_set_url (self->qr_card, NULL);
  g_signal_emit (self, signals[CLOSED], 0);
}

const char *
digithek_qr_overlay_get_url (DigithekQrOverlay *self)
{
  g_return_val_if_fail (DIGITHEK_IS_QR_OVERLAY (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self)) ? digithek_qr_card_get_url (self->qr_card)
                                                    : NULL;
}

gboolean
digithek_qr_overlay_get_is_open (DigithekQrOverlay *self)
{
  g_return_val_if_fail (DIGITHEK_IS_QR_OVERLAY (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self));
}
