/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-handoff.h"

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

/**
 * digithek_qr_card_show_item:
 * @handoff: (nullable): the kiosk's phone page server, or %NULL when there is none
 * @manifest: (nullable): the item's manifest object
 * @step: a guide's step counting from 1, or 0
 * @prefer_local: %TRUE when the config says `handoff = local`
 *
 * Points the card at where @pack_id/@item_id continues on a phone (see
 * digithek_handoff_url_for_item()) and sets its language; hides it when there is no
 * such place.
 */
void        digithek_qr_card_show_item    (DigithekQrCard  *self,
                                           DigithekHandoff *handoff,
                                           JsonObject      *manifest,
                                           const char      *pack_id,
                                           const char      *item_id,
                                           guint            step,
                                           const char      *language,
                                           gboolean         prefer_local);

/*
 * DigithekQrCardLayout: an item view's content with its QR card beside it on a wide
 * screen (a side column at #DigithekQrCardLayout:wide-width and more, e.g. a 1920×1080
 * landscape kiosk) and under it otherwise (a 1080×1920 portrait kiosk). The content
 * takes everything the card leaves; a hidden card leaves everything.
 */
#define DIGITHEK_TYPE_QR_CARD_LAYOUT (digithek_qr_card_layout_get_type ())
G_DECLARE_FINAL_TYPE (DigithekQrCardLayout, digithek_qr_card_layout, DIGITHEK, QR_CARD_LAYOUT, GtkWidget)

GtkWidget  *digithek_qr_card_layout_new         (void);
void        digithek_qr_card_layout_set_content (DigithekQrCardLayout *self,
                                                 GtkWidget            *content);
GtkWidget  *digithek_qr_card_layout_get_content (DigithekQrCardLayout *self);
void        digithek_qr_card_layout_set_card    (DigithekQrCardLayout *self,
                                                 GtkWidget            *card);
GtkWidget  *digithek_qr_card_layout_get_card    (DigithekQrCardLayout *self);
/* %TRUE when the last allocation put the card beside the content. */
gboolean    digithek_qr_card_layout_get_side_by_side (DigithekQrCardLayout *self);

G_END_DECLS
