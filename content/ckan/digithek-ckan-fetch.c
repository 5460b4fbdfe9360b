/* SPDX-License-Identifier: GPL-3.0-or-later */

/* HTTP for `digithek-pack ckan`: the dataset's metadata and the resource, bounded. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "digithek-ckan-private.h"

/* The Action API's answer is metadata; a portal sending more is not answering it. */
#define API_MAX_SIZE (16 * 1024 * 1024)

/* ---- HTTP ---- */

SoupSession *
digithek_ckan_session_new (guint timeout)
{
  return soup_session_new_with_options ("user-agent", "DigiThek-Kiosk/" PACKAGE_VERSION,
                                        "timeout", timeout,
                                        "idle-timeout", timeout,
                                        NULL);
}

static GInputStream *
http_send (SoupSession   *session,
           const char    *url,
           SoupMessage  **out_msg,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) local_error = NULL;
  GInputStream *in;

  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                   "%s is not a valid http or https address", url);
      return NULL;
    }
  in = soup_session_send (session, msg, cancellable, &local_error);
  if (in == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                   "cannot fetch %s: %s", url, local_error->message);
      return NULL;
    }
  *out_msg = g_steal_pointer (&msg);
  return in;
}

static char *
http_status_text (SoupMessage *msg)
{
  const char *reason = soup_message_get_reason_phrase (msg);
  guint status = soup_message_get_status (msg);

  if (reason == NULL || *reason == '\0')
    reason = soup_status_get_phrase (status);
  return g_strdup_printf ("HTTP %u%s%s", status, reason != NULL ? " " : "",
                          reason != NULL ? reason : "");
}

/* Reads at most @max bytes into memory; one more byte tells whether there was more. */
static GBytes *
read_limited (GInputStream  *in,
              gsize          max,
              gboolean      *out_too_big,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buf[16384];

  *out_too_big = FALSE;
  for (;;)
    {
      gsize want = MIN (sizeof buf, max - data->len);
      gssize n = g_input_stream_read (in, buf, want > 0 ? want : 1, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (want == 0)
        {
          *out_too_big = TRUE;
          break;
        }
      g_byte_array_append (data, buf, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

DigithekCkanDataset *
digithek_ckan_fetch_dataset (SoupSession   *session,
                             const char    *api_url,
                             const char    *dataset_id,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DigithekCkanDataset) dataset = NULL;
  g_autofree char *status_text = NULL;
  const char *content_type;
  gboolean too_big;
  guint status;

  in = http_send (session, api_url, &msg, cancellable, error);
  if (in == NULL)
    return NULL;
  status = soup_message_get_status (msg);
  status_text = http_status_text (msg);
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  body = read_limited (in, API_MAX_SIZE, &too_big, cancellable, &local_error);
  g_input_stream_close (in, NULL, NULL);
  if (body == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                   "cannot read the answer of %s: %s", api_url, local_error->message);
      return NULL;
    }
  if (too_big)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the answer of %s is larger than %d MiB, too large for a dataset's "
                   "description; is this the portal's base address?", api_url,
                   API_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  dataset = digithek_ckan_dataset_parse (dataset_id, content_type, body, &local_error);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* CKAN answers an unknown or private dataset with 404 or 403 and a JSON
       * `success: false` whose message says more than the status does. */
      if (g_error_matches (local_error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_FAILED))
        g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_FAILED,
                     "%s (%s from %s)", local_error->message, status_text, api_url);
      else
        g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                     "%s from %s", status_text, api_url);
      return NULL;
    }
  if (dataset == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s",
                   api_url, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&dataset);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len,
           GError      **error)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                       "cannot write: %s", g_strerror (saved_errno));
          return FALSE;
        }
      data += n;
      len -= n;
    }
  return TRUE;
}

/* "64 MiB", "100.5 MiB": plain spaces, so messages stay greppable. */
static char *
format_size (guint64 bytes)
{
  const guint64 mib = 1024 * 1024;

  if (bytes < mib)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", bytes);
  if (bytes % mib == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " MiB", bytes / mib);
  return g_strdup_printf ("%.1f MiB", (double) bytes / mib);
}

/* Streams the resource into @path, never holding or writing more than @max bytes. */
gboolean
digithek_ckan_download (SoupSession   *session,
                        const char    *url,
                        const char    *path,
                        guint64        max,
                        guint64       *out_bytes,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *max_text = format_size (max);
  SoupMessageHeaders *headers;
  const char *content_type;
  guint64 total = 0;
  guint8 buf[65536];
  gboolean ok = FALSE;
  int fd;

  in = http_send (session, url, &msg, cancellable, error);
  if (in == NULL)
    return FALSE;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_autofree char *status_text = http_status_text (msg);
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                   "%s from %s", status_text, url);
      return FALSE;
    }
  headers = soup_message_get_response_headers (msg);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (digithek_ckan_content_type_is_html (content_type))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_CSV,
                   "%s answered with an HTML page (%s), not a CSV file; the portal may "
                   "want a login, or the file has moved", url, content_type);
      return FALSE;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers) > max)
    {
      g_autofree char *size = format_size (soup_message_headers_get_content_length (headers));
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_TOO_BIG,
                   "the resource %s is %s, over the limit of %s for a pack's file",
                   url, size, max_text);
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                   "cannot create %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  for (;;)
    {
      /* Once at the limit, ask for a single byte: any byte means the server sends more
       * than it may, whatever its Content-Length said. */
      gsize want = (gsize) MIN ((guint64) sizeof buf, max - total);
      gssize n = g_input_stream_read (in, buf, want > 0 ? want : 1, cancellable, &local_error);

      if (n < 0)
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                       "cannot download %s: %s", url, local_error->message);
          goto out;
        }
      if (n == 0)
        break;
      if (want == 0)
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_TOO_BIG,
                       "the resource %s is larger than the limit of %s for a pack's file; "
                       "stopped reading there", url, max_text);
          goto out;
        }
      if (!write_all (fd, buf, n, &local_error))
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                       "%s: %s", path, local_error->message);
          goto out;
        }
      total += n;
    }
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                   "cannot write %s: %s", path, g_strerror (saved_errno));
      goto out;
    }
  *out_bytes = total;
  ok = TRUE;

out:
  /* Closing early drops the connection rather than reading the rest of a large body. */
  g_input_stream_close (in, NULL, NULL);
  close (fd);
  return ok;
}
