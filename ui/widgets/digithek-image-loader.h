/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * The one place that decodes pictures (tile images, attract slides): on a worker
 * thread, never on the main thread, and no larger than they are shown.
 */

typedef enum
{
  /* The whole picture fits inside the box (attract slides). */
  DIGITHEK_IMAGE_FIT_CONTAIN,
  /* The picture covers the box, as GTK_CONTENT_FIT_COVER shows it (tiles). */
  DIGITHEK_IMAGE_FIT_COVER,
} DigithekImageFit;

/**
 * digithek_image_decode_async:
 * @bytes: an encoded picture (PNG, JPEG…)
 * @fit: how the decoded size relates to @width × @height
 * @width: the box, in device pixels
 * @height: the box, in device pixels
 *
 * Decodes @bytes on a worker thread, scaled down (never up) to the smallest size that
 * still fits or covers the box.
 */
void        digithek_image_decode_async  (GBytes              *bytes,
                                          DigithekImageFit     fit,
                                          int                  width,
                                          int                  height,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* Returns: (transfer full): the texture, or %NULL with @error (G_IO_ERROR_CANCELLED
 * when cancelled, also when cancelled after decoding). */
GdkTexture *digithek_image_decode_finish (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
