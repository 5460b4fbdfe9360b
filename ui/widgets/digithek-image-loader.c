/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include "digithek-image-loader.h"

typedef struct
{
  GBytes           *bytes;
  DigithekImageFit  fit;
  int               width;
  int               height;
} DecodeData;

static void
decode_data_free (DecodeData *data)
{
  g_bytes_unref (data->bytes);
  g_free (data);
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  DecodeData *data = user_data;
  double fx, fy, factor;

  if (width <= 0 || height <= 0)
    return;
  fx = (double) data->width / width;
  fy = (double) data->height / height;
  factor = data->fit == DIGITHEK_IMAGE_FIT_COVER ? MAX (fx, fy) : MIN (fx, fy);
  if (factor < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX (1, (int) ceil (width * factor)),
                                MAX (1, (int) ceil (height * factor)));
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeData *data = task_data;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  /* Cancelled before a loader exists: an unclosed loader is a warning at its end. */
  if (g_task_return_error_if_cancelled (task))
    return;
  loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), data);
  /* A failed write closes the loader itself. */
  if (!gdk_pixbuf_loader_write_bytes (loader, data->bytes, &error) ||
      !gdk_pixbuf_loader_close (loader, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an image");
  else if (g_task_return_error_if_cancelled (task))
    return;
  else
    g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

void
digithek_image_decode_async (GBytes              *bytes,
                             DigithekImageFit     fit,
                             int                  width,
                             int                  height,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DecodeData *data;

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (width > 0 && height > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, digithek_image_decode_async);
  data = g_new0 (DecodeData, 1);
  data->bytes = g_bytes_ref (bytes);
  data->fit = fit;
  data->width = width;
  data->height = height;
  g_task_set_task_data (task, data, (GDestroyNotify) decode_data_free);
  g_task_run_in_thread (task, decode_thread);
}

GdkTexture *
digithek_image_decode_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_image_decode_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
