/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The run's source: an HTTP server or a local folder, read the same way, with retries
 * and backoff; small files (index, signature, manifests) read whole and bounded. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "digithek-sha256.h"

#include "digithek-sync-private.h"

void
digithek_sync_source_body_clear (SourceBody *body)
{
  g_clear_object (&body->stream);
  g_clear_pointer (&body->etag, g_free);
}

/*
 * Opens @rel of the channel, from @offset on when the source can. @out_transient says
 * whether another attempt might succeed (dropped connection, stall, 5xx).
 */
gboolean
digithek_sync_source_open (SyncRun     *run,
                           const char  *rel,
                           goffset      offset,
                           const char  *etag,
                           SourceBody  *body,
                           gboolean    *out_transient,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *out_transient = FALSE;
  body->start = 0;
  body->length = -1;

  if (run->local_root != NULL)
    {
      g_autoptr(GFile) file = g_file_resolve_relative_path (run->local_root, rel);
      g_autoptr(GFileInputStream) in = g_file_read (file, run->cancellable, &local_error);
      g_autoptr(GFileInfo) info = NULL;

      if (in == NULL)
        {
          digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                            DIGITHEK_SYNC_ERROR_IO,
                                            rel);
          return FALSE;
        }
      info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                             run->cancellable, &local_error);
      if (info == NULL)
        {
          digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                            DIGITHEK_SYNC_ERROR_IO,
                                            rel);
          return FALSE;
        }
      if (offset > 0 && offset <= g_file_info_get_size (info))
        {
          if (!g_seekable_seek (G_SEEKABLE (in), offset, G_SEEK_SET, run->cancellable,
                                &local_error))
            {
              digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                                DIGITHEK_SYNC_ERROR_IO, rel);
              return FALSE;
            }
          body->start = offset;
        }
      body->length = g_file_info_get_size (info) - body->start;
      body->stream = G_INPUT_STREAM (g_steal_pointer (&in));
      return TRUE;
    }
  else
    {
      g_autofree char *url = g_strconcat (run->base_url, rel, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
      g_autoptr(GInputStream) in = NULL;
      SoupMessageHeaders *headers;
      guint status;

      if (msg == NULL)
        {
          g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_FAILED,
                       "%s: not a valid URL", url);
          return FALSE;
        }
      headers = soup_message_get_request_headers (msg);
      if (offset > 0)
        soup_message_headers_set_range (headers, offset, -1);
      if (etag != NULL)
        soup_message_headers_replace (headers, "If-None-Match", etag);
      /* Objects are immutable and verified by hash; intermediaries may not transform
       * them, and a compressed body would break Range offsets. */
      soup_message_headers_replace (headers, "Accept-Encoding", "identity");

      in = soup_session_send (run->session, msg, run->cancellable, &local_error);
      if (in == NULL)
        {
          *out_transient = !digithek_sync_is_cancelled (local_error);
          digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                            DIGITHEK_SYNC_ERROR_FAILED, rel);
          return FALSE;
        }

      status = soup_message_get_status (msg);
      headers = soup_message_get_response_headers (msg);
      if (status == SOUP_STATUS_NOT_MODIFIED && etag != NULL)
        {
          body->not_modified = TRUE;
          return TRUE;
        }
      if (status == SOUP_STATUS_PARTIAL_CONTENT && offset > 0)
        {
          goffset start = 0, end = 0, total = 0;

          if (!soup_message_headers_get_content_range (headers, &start, &end, &total)
              || start != offset)
            {
              /* A range we did not ask for: try again from scratch. */
              *out_transient = TRUE;
              g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_FAILED,
                           "%s: the server answered another range than asked", rel);
              return FALSE;
            }
          body->start = offset;
        }
      else if (status != SOUP_STATUS_OK)
        {
          *out_transient = status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT
                           || status == 429;
          g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_FAILED,
                       "%s: HTTP %u %s", rel, status,
                       soup_message_get_reason_phrase (msg) != NULL
                       ? soup_message_get_reason_phrase (msg) : "");
          return FALSE;
        }

      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
        body->length = soup_message_headers_get_content_length (headers);
      body->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
      body->stream = g_steal_pointer (&in);
      return TRUE;
    }
}

gboolean
digithek_sync_source_is_http (SyncRun *run)
{
  return run->session != NULL;
}

/* Reads a read error from the source: network trouble is worth another attempt. */
void
digithek_sync_source_read_failed (SyncRun     *run,
                                  const char  *what,
                                  GError      *src,
                                  gboolean    *out_transient,
                                  GError     **error)
{
  *out_transient = digithek_sync_source_is_http (run) && !digithek_sync_is_cancelled (src);
  digithek_sync_propagate_prefixed (error, src,
                                    digithek_sync_source_is_http (run) ? DIGITHEK_SYNC_ERROR_FAILED
                                                         : DIGITHEK_SYNC_ERROR_IO,
                                    what);
}

gboolean
digithek_sync_backoff_sleep (SyncRun *run,
                             guint    attempt,
                             GError **error)
{
  guint64 ms = (guint64) run->self->backoff_ms << MIN (attempt, 8u);

  /* Sleep in slices so cancelling does not wait for the whole backoff. */
  while (ms > 0)
    {
      guint64 slice = MIN (ms, 50u);

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      g_usleep (slice * 1000);
      ms -= slice;
    }
  return !g_cancellable_set_error_if_cancelled (run->cancellable, error);
}

/*
 * Fetches a small file whole (index.json, its signature), at most @max bytes. With @etag,
 * a 304 sets @out_not_modified.
 */
GBytes *
digithek_sync_fetch_small (SyncRun     *run,
                           const char  *rel,
                           gsize        max,
                           const char  *etag,
                           gboolean    *out_not_modified,
                           char       **out_etag,
                           GError     **error)
{
  g_autoptr(GError) last_error = NULL;

  for (guint attempt = 0; attempt < run->self->max_attempts; attempt++)
    {
      g_auto(SourceBody) body = { 0 };
      g_autoptr(GByteArray) data = g_byte_array_new ();
      gboolean transient = FALSE;
      gboolean failed = FALSE;

      if (attempt > 0 && !digithek_sync_backoff_sleep (run, attempt - 1, error))
        return NULL;
      g_clear_error (&last_error);

      if (!digithek_sync_source_open (run, rel, 0, etag, &body, &transient, &last_error))
        {
          if (!transient)
            break;
          continue;
        }
      if (body.not_modified)
        {
          if (out_not_modified != NULL)
            *out_not_modified = TRUE;
          return g_bytes_new (NULL, 0);
        }
      if (body.length > (gint64) max)
        {
          g_autofree char *max_text = digithek_sync_format_size (max);

          g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                       "%s is larger than %s bytes", rel, max_text);
          return NULL;
        }

      while (!failed)
        {
          guint8 buf[8192];
          g_autoptr(GError) read_error = NULL;
          /* Never read more than one byte past the limit: enough to tell it is over. */
          gsize want = MIN (sizeof buf, max + 1 - data->len);
          gssize n = g_input_stream_read (body.stream, buf, want, run->cancellable,
                                          &read_error);

          if (n < 0)
            {
              digithek_sync_source_read_failed (run, rel, g_steal_pointer (&read_error), &transient,
                                                &last_error);
              failed = TRUE;
              break;
            }
          if (n == 0)
            break;
          run->result->bytes_downloaded += n;
          if (data->len + (gsize) n > max)
            {
              g_autofree char *max_text = digithek_sync_format_size (max);

              g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                           "%s is larger than %s bytes", rel, max_text);
              return NULL;
            }
          g_byte_array_append (data, buf, n);
        }
      if (failed)
        {
          if (!transient)
            break;
          continue;
        }
      if (body.length >= 0 && (gint64) data->len != body.length)
        {
          g_set_error (&last_error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_FAILED,
                       "%s: connection closed after %u of %" G_GINT64_FORMAT " bytes",
                       rel, data->len, body.length);
          continue;
        }
      if (out_etag != NULL)
        *out_etag = g_steal_pointer (&body.etag);
      return g_byte_array_free_to_bytes (g_steal_pointer (&data));
    }

  g_propagate_error (error, g_steal_pointer (&last_error));
  return NULL;
}
