/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The "Weiter auf dem Handy / Continue on your phone" card: a heading, the QR code of
 * #DigithekQrCard:url (dark on white whatever the theme, at least 4 px per module) and,
 * for people who cannot scan, the short address under it. Empty (and hidden) while the
 * URL is %NULL or does not fit into a code.
 */
#define DIGITHEK_TYPE_QR_CARD (digithek_qr_card_get_type ())
G_DECLARE_FINAL_TYPE (DigithekQrCard, digithek_qr_card, DIGITHEK, QR_CARD, AdwBin)

GtkWidget  *digithek_qr_card_new          (void);

/* (nullable): the URL the code encodes; use digithek_handoff_url_for_item() to pick it. */
const char *digithek_qr_card_get_url      (DigithekQrCard *self);
void        digithek_qr_card_set_url      (DigithekQrCard *self,
                                           const char     *url);
/* The heading's language: "de" (default) or "en"; others read the English heading. */
const char *digithek_qr_card_get_language (DigithekQrCard *self);
void        digithek_qr_card_set_language (DigithekQrCard *self,
                                           const char     *language);

G_END_DECLS
