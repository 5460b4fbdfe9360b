/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DIGITHEK_QR_ERROR (digithek_qr_error_quark ())

typedef enum
{
  DIGITHEK_QR_ERROR_TOO_LONG, /* more than a version 40 code holds at level M */
  DIGITHEK_QR_ERROR_FAILED,   /* libqrencode failed otherwise (out of memory, bad input) */
} DigithekQrError;

GQuark digithek_qr_error_quark (void);

/* Light modules around the code that every rendering must draw, as ISO/IEC 18004 asks:
 * phones fail to find codes that touch dark surroundings. */
#define DIGITHEK_QR_QUIET_ZONE 4

/* Codes drawn for phones need at least this many device pixels per module. */
#define DIGITHEK_QR_MIN_PIXELS_PER_MODULE 4

/**
 * DigithekQr:
 *
 * An immutable QR code symbol (error correction M, smallest version that fits): a
 * square of @width × @width modules, without the quiet zone. Reference counted; safe to
 * share between threads.
 */
typedef struct _DigithekQr DigithekQr;

#define DIGITHEK_TYPE_QR (digithek_qr_get_type ())
GType        digithek_qr_get_type     (void) G_GNUC_CONST;

/**
 * digithek_qr_new:
 * @text: the text to encode, usually a URL (encoded as its UTF-8 bytes)
 * @error: return location for a #GError
 *
 * Encodes @text afresh, bypassing the cache. Prefer digithek_qr_lookup().
 *
 * Returns: (transfer full): the code, or %NULL with @error set
 */
DigithekQr  *digithek_qr_new          (const char *text,
                                       GError    **error);

/**
 * digithek_qr_lookup:
 * @text: the text to encode
 * @error: return location for a #GError
 *
 * digithek_qr_new() through a small process-wide LRU cache keyed by @text, so that
 * re-opening an item or flipping through a guide does not encode again. Thread-safe.
 *
 * Returns: (transfer full): the code, or %NULL with @error set
 */
DigithekQr  *digithek_qr_lookup       (const char *text,
                                       GError    **error);
/* Empties the cache (tests and benchmarks). */
void         digithek_qr_cache_clear  (void);

DigithekQr  *digithek_qr_ref          (DigithekQr *self);
void         digithek_qr_unref        (DigithekQr *self);

/* The encoded text. */
const char  *digithek_qr_get_text     (DigithekQr *self);
/* Modules per side, without the quiet zone (21 for version 1, 177 for version 40). */
guint        digithek_qr_get_width    (DigithekQr *self);
/* Modules per side with the quiet zone on both sides: width + 2 × DIGITHEK_QR_QUIET_ZONE. */
guint        digithek_qr_get_size     (DigithekQr *self);
guint        digithek_qr_get_version  (DigithekQr *self);

/**
 * digithek_qr_get_module:
 * @x: column, 0 at the left of the symbol (without the quiet zone)
 * @y: row, 0 at the top
 *
 * Returns: %TRUE for a dark module; %FALSE for a light one and for any position
 *   outside the symbol (so the quiet zone reads as light)
 */
gboolean     digithek_qr_get_module   (DigithekQr *self,
                                       int         x,
                                       int         y);

/**
 * digithek_qr_short_address:
 * @url: a URL
 *
 * The address as printed under a code for people who cannot scan: without the scheme,
 * a leading "www." and a trailing "/", percent-escapes decoded when they decode to
 * UTF-8 ("https://www.konstanz.de/b%C3%BCrger/" → "konstanz.de/bürger").
 *
 * Returns: (transfer full): the short address
 */
char        *digithek_qr_short_address (const char *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekQr, digithek_qr_unref)

G_END_DECLS
