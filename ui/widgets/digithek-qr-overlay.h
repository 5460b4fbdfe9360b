/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The QR code of a tapped Markdown link, over the whole window: a dimmed layer with a
 * big card (the link's text, its QR card with the short address, a large "Schließen /
 * Close" button). A kiosk never opens a link; a citizen takes it along on a phone.
 * Tapping outside the card or the button closes it; the window adds Escape, Back and
 * Home. Hidden while closed.
 */
#define DIGITHEK_TYPE_QR_OVERLAY (digithek_qr_overlay_get_type ())
G_DECLARE_FINAL_TYPE (DigithekQrOverlay, digithek_qr_overlay, DIGITHEK, QR_OVERLAY, GtkWidget)

GtkWidget  *digithek_qr_overlay_new          (void);

/**
 * digithek_qr_overlay_open:
 * @uri: the link's address as the Markdown has it
 * @label: (nullable): the link's text
 * @language: (nullable): the words' language ("de" when %NULL)
 *
 * Shows the code of @uri (an http(s) address, normalised as the item codes are).
 *
 * Returns: %FALSE (and stays closed) when @uri is nothing a phone could open
 */
gboolean    digithek_qr_overlay_open         (DigithekQrOverlay *self,
                                              const char        *uri,
                                              const char        *label,
                                              const char        *language);
void        digithek_qr_overlay_close        (DigithekQrOverlay *self);
/* (nullable): the address the code shows while open, %NULL while closed. */
const char *digithek_qr_overlay_get_url      (DigithekQrOverlay *self);
gboolean    digithek_qr_overlay_get_is_open  (DigithekQrOverlay *self);

/* Signal "closed": the overlay closed (by a tap, the button or digithek_qr_overlay_close()). */

G_END_DECLS
