/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "digithek-qr.h"

G_BEGIN_DECLS

/*
 * A QR code as a GdkPaintable: always dark modules on white with the quiet zone, whatever
 * the theme (phones read dark-on-light codes best, and a dark theme's background must
 * never become the quiet zone), in whole pixels per module, centred in the size given.
 * Its intrinsic size is the smallest it may be drawn at: DIGITHEK_QR_MIN_PIXELS_PER_MODULE
 * pixels per module, quiet zone included. Immutable.
 */
#define DIGITHEK_TYPE_QR_PAINTABLE (digithek_qr_paintable_get_type ())
G_DECLARE_FINAL_TYPE (DigithekQrPaintable, digithek_qr_paintable, DIGITHEK, QR_PAINTABLE, GObject)

/**
 * digithek_qr_paintable_new_for_url:
 * @url: the text to encode
 * @error: return location for a #GError (%DIGITHEK_QR_ERROR)
 *
 * A paintable for @url from a small LRU cache keyed by the URL (main thread only):
 * flipping back and forth between guide steps neither encodes nor rebuilds anything.
 *
 * Returns: (transfer full): the paintable, or %NULL with @error set when @url does not
 *   fit into a QR code
 */
DigithekQrPaintable *digithek_qr_paintable_new_for_url (const char          *url,
                                                        GError             **error);
DigithekQrPaintable *digithek_qr_paintable_new         (DigithekQr          *qr);

DigithekQr          *digithek_qr_paintable_get_qr      (DigithekQrPaintable *self);
/* The smallest side, in pixels, the code may be drawn at. */
int                  digithek_qr_paintable_get_min_size (DigithekQrPaintable *self);
/* Empties the cache (tests). */
void                 digithek_qr_paintable_cache_clear (void);

G_END_DECLS
