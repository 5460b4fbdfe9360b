/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-sync.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "digithek-channel.h"
#include "digithek-pack.h"
#include "digithek-sha256.h"
#include "digithek-store-wait.h"

/* A signature file is one line of base64 for 64 bytes; anything much longer is junk. */
#define MAX_SIG_SIZE 1024
/* Bytes per read from a body stream or a file, and per write to a .part: large enough
 * that the per-call cost of the stream layers (libsoup's body, client and filter streams
 * over the socket) and of the system calls vanishes beside the bytes themselves. */
#define READ_CHUNK   (256 * 1024)
/* Chunks in flight between the network and the hashing and writing thread. */
#define PIPELINE_CHUNKS 4
/* Objects smaller than this are hashed and written in line: a thread would cost more. */
#define PIPELINE_MIN (2 * READ_CHUNK)

G_DEFINE_QUARK (digithek-sync-error-quark, digithek_sync_error)

struct _DigithekSync
{
  GObject parent_instance;

  /* owned */
  char          *channel;
  GStrv          trusted_keys;
  DigithekStore *store;
  char          *staging_dir;
  guint          timeout;
  guint          max_attempts;
  guint          backoff_ms;
  gint           running;   /* atomic */
};

G_DEFINE_FINAL_TYPE (DigithekSync, digithek_sync, G_TYPE_OBJECT)

/* The state of one run; lives on the worker thread only. */
typedef struct
{
  DigithekSync       *self;
  GCancellable       *cancellable;
  SoupSession        *session;     /* NULL for a local folder */
  GFile              *local_root;  /* NULL for HTTP */
  char               *base_url;    /* the channel URL ending in "/" */
  GStrv               keys;        /* normalized base64 keys */
  DigithekSyncResult *result;
  guint8             *chunk_buffers[PIPELINE_CHUNKS]; /* READ_CHUNK each, made on first use */
  DigithekStoreWait  *wait;        /* this thread waits for the store's worker */
} SyncRun;

void
digithek_sync_result_free (DigithekSyncResult *result)
{
  if (result == NULL)
    return;
  g_free (result->channel_name);
  g_clear_pointer (&result->changes, g_ptr_array_unref);
  g_free (result);
}

static void
sync_change_free (DigithekSyncChange *change)
{
  g_free (change->id);
  g_free (change);
}

/* ---- small helpers ---- */

/* "1,203": sizes in messages read better grouped, and are exact. */
static char *
format_size (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
short_sha (const char *sha256)
{
  return g_strdup_printf ("%.8s…", sha256);
}

static gboolean
is_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Moves @src into @error, keeping the cancellation code so callers can tell. */
static void
propagate_prefixed (GError    **error,
                    GError     *src,
                    gint        code,
                    const char *prefix)
{
  if (is_cancelled (src))
    {
      g_propagate_error (error, src);
      return;
    }
  g_set_error (error, DIGITHEK_SYNC_ERROR, code, "%s: %s", prefix, src->message);
  g_error_free (src);
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- the source: an HTTP server or a local folder, read the same way ---- */

typedef struct
{
  GInputStream *stream;
  goffset       start;         /* where the body starts in the file */
  gint64        length;        /* body bytes announced, -1 unknown */
  gboolean      not_modified;  /* HTTP 304 */
  char         *etag;
} SourceBody;

static void
source_body_clear (SourceBody *body)
{
  g_clear_object (&body->stream);
  g_clear_pointer (&body->etag, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SourceBody, source_body_clear)

/*
 * Opens @rel of the channel, from @offset on when the source can. @out_transient says
 * whether another attempt might succeed (dropped connection, stall, 5xx).
 */
static gboolean
source_open (SyncRun     *run,
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
          propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_IO,
                              rel);
          return FALSE;
        }
      info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                             run->cancellable, &local_error);
      if (info == NULL)
        {
          propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_IO,
                              rel);
          return FALSE;
        }
      if (offset > 0 && offset <= g_file_info_get_size (info))
        {
          if (!g_seekable_seek (G_SEEKABLE (in), offset, G_SEEK_SET, run->cancellable,
                                &local_error))
            {
              propagate_prefixed (error, g_steal_pointer (&local_error),
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
          *out_transient = !is_cancelled (local_error);
          propagate_prefixed (error, g_steal_pointer (&local_error),
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

static gboolean
source_is_http (SyncRun *run)
{
  return run->session != NULL;
}

/* Reads a read error from the source: network trouble is worth another attempt. */
static void
source_read_failed (SyncRun     *run,
                    const char  *what,
                    GError      *src,
                    gboolean    *out_transient,
                    GError     **error)
{
  *out_transient = source_is_http (run) && !is_cancelled (src);
  propagate_prefixed (error, src,
                      source_is_http (run) ? DIGITHEK_SYNC_ERROR_FAILED
                                           : DIGITHEK_SYNC_ERROR_IO,
                      what);
}

static gboolean
backoff_sleep (SyncRun *run,
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
static GBytes *
fetch_small (SyncRun     *run,
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

      if (attempt > 0 && !backoff_sleep (run, attempt - 1, error))
        return NULL;
      g_clear_error (&last_error);

      if (!source_open (run, rel, 0, etag, &body, &transient, &last_error))
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
          g_autofree char *max_text = format_size (max);

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
              source_read_failed (run, rel, g_steal_pointer (&read_error), &transient,
                                  &last_error);
              failed = TRUE;
              break;
            }
          if (n == 0)
            break;
          run->result->bytes_downloaded += n;
          if (data->len + (gsize) n > max)
            {
              g_autofree char *max_text = format_size (max);

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

/* ---- objects in staging ---- */

static gboolean
write_file_bytes (const char  *path,
                  GBytes      *bytes,
                  GError     **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, data != NULL ? data : "", len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Feeds the first @length bytes of @path into @sha (resuming a .part). */
static gboolean
hash_file_prefix (const char      *path,
                  goffset          length,
                  DigithekSha256  *sha,
                  GError         **error)
{
  g_autofree guint8 *buf = NULL;
  int saved_errno = 0;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      saved_errno = errno;
      goto failed;
    }
  buf = g_malloc (READ_CHUNK);
  while (length > 0)
    {
      ssize_t n = read (fd, buf, MIN (length, READ_CHUNK));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          goto failed;
        }
      if (n == 0)
        {
          close (fd);
          g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO,
                       "%s: shorter than expected", path);
          return FALSE;
        }
      digithek_sha256_update (sha, buf, n);
      length -= n;
    }
  close (fd);
  return TRUE;

failed:
  g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", path,
               g_strerror (saved_errno));
  return FALSE;
}

static gboolean
file_matches (const char               *path,
              const DigithekChannelRef *ref)
{
  GStatBuf st;
  DigithekSha256 sha;
  char hex[DIGITHEK_SHA256_HEX_SIZE];

  if (g_stat (path, &st) != 0 || (guint64) st.st_size != ref->size)
    return FALSE;
  digithek_sha256_init (&sha);
  if (!hash_file_prefix (path, st.st_size, &sha, NULL))
    return FALSE;
  digithek_sha256_finish_hex (&sha, hex);
  return g_str_equal (hex, ref->sha256);
}

/* ---- the download sink: bytes from the source, hashed and appended to a .part ----
 *
 * Receiving, hashing and writing each cost about as much per byte. For an object of some
 * size they run as a pipeline: this thread reads the next chunk from the network while a
 * helper thread hashes the previous one and writes it, in order, with one write() each.
 * The .part is not fsynced: a verified object is renamed into place and checked again
 * (size and SHA-256) whenever a later run reuses it, and a .part is re-hashed when
 * resumed and refused whole when its hash does not match, so a power loss costs a
 * download, never a wrong file; and the store makes its own copy durable. */

typedef struct
{
  guint8 *data;
  gsize   len;
} SinkChunk;

typedef struct
{
  int             fd;
  const char     *path;
  DigithekSha256 *sha;
  SinkChunk       chunks[PIPELINE_CHUNKS];  /* their buffers belong to the run */
  guint           n_chunks;
  SinkChunk       stop;        /* pushed to @full to end the thread */
  GThread        *thread;      /* NULL: hashed and written in line */
  GAsyncQueue    *full;        /* chunks to hash and write, in order */
  GAsyncQueue    *empty;       /* chunks free to fill */
  gint            write_errno; /* atomic: the first write error, 0 if none */
} DownloadSink;

static gboolean
write_all_fd (int          fd,
              const guint8 *data,
              gsize        len,
              int         *out_errno)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          *out_errno = errno;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static void
sink_consume (DownloadSink *sink,
              SinkChunk    *chunk)
{
  int saved_errno = 0;

  if (chunk->len == 0 || g_atomic_int_get (&sink->write_errno) != 0)
    return;
  digithek_sha256_update (sink->sha, chunk->data, chunk->len);
  if (!write_all_fd (sink->fd, chunk->data, chunk->len, &saved_errno))
    g_atomic_int_set (&sink->write_errno, saved_errno);
}

static gpointer
sink_thread (gpointer data)
{
  DownloadSink *sink = data;

  for (;;)
    {
      SinkChunk *chunk = g_async_queue_pop (sink->full);

      if (chunk == &sink->stop)
        break;
      sink_consume (sink, chunk);
      g_async_queue_push (sink->empty, chunk);
    }
  return NULL;
}

/* Starts a sink writing to @fd (owned from now on) and hashing into @sha; @remaining is
 * how many bytes are still to come. The chunks' buffers are the run's, made once: fresh
 * memory for every object would be faulted in again for every object. */
static void
sink_start (DownloadSink   *sink,
            SyncRun        *run,
            int             fd,
            const char     *path,
            DigithekSha256 *sha,
            guint64         remaining)
{
  memset (sink, 0, sizeof *sink);
  sink->fd = fd;
  sink->path = path;
  sink->sha = sha;
  sink->n_chunks = remaining >= PIPELINE_MIN ? PIPELINE_CHUNKS : 1;
  for (guint i = 0; i < sink->n_chunks; i++)
    {
      if (run->chunk_buffers[i] == NULL)
        run->chunk_buffers[i] = g_malloc (READ_CHUNK);
      sink->chunks[i].data = run->chunk_buffers[i];
    }
  if (sink->n_chunks > 1)
    {
      sink->full = g_async_queue_new ();
      sink->empty = g_async_queue_new ();
      for (guint i = 0; i < sink->n_chunks; i++)
        g_async_queue_push (sink->empty, &sink->chunks[i]);
      /* Without a thread, the same chunks are hashed and written in line. */
      sink->thread = g_thread_try_new ("digithek-download", sink_thread, sink, NULL);
    }
}

/* A chunk to fill, of up to READ_CHUNK bytes. */
static SinkChunk *
sink_get_chunk (DownloadSink *sink)
{
  SinkChunk *chunk;

  if (sink->empty != NULL)
    chunk = g_async_queue_pop (sink->empty);
  else
    chunk = &sink->chunks[0];
  chunk->len = 0;
  return chunk;
}

/* Hands a filled chunk over, to be hashed and written in order. */
static void
sink_put_chunk (DownloadSink *sink,
                SinkChunk    *chunk)
{
  if (sink->thread != NULL)
    {
      g_async_queue_push (sink->full, chunk);
      return;
    }
  sink_consume (sink, chunk);
  if (sink->empty != NULL)
    g_async_queue_push (sink->empty, chunk);
}

static gboolean
sink_failed (DownloadSink *sink)
{
  return g_atomic_int_get (&sink->write_errno) != 0;
}

/* Waits until every chunk handed over is hashed and written, closes the file and frees
 * the sink. Returns %FALSE with @error set if a write or the close failed. */
static gboolean
sink_finish (DownloadSink  *sink,
             GError       **error)
{
  int saved_errno;

  if (sink->thread != NULL)
    {
      g_async_queue_push (sink->full, &sink->stop);
      g_thread_join (g_steal_pointer (&sink->thread));
    }
  saved_errno = g_atomic_int_get (&sink->write_errno);
  if (close (sink->fd) != 0 && saved_errno == 0)
    saved_errno = errno;
  sink->fd = -1;
  g_clear_pointer (&sink->full, g_async_queue_unref);
  g_clear_pointer (&sink->empty, g_async_queue_unref);
  if (saved_errno != 0)
    {
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", sink->path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/*
 * One attempt at completing `objects/<sha>.part`. Appends to what the .part holds, asks
 * the source for the rest only, never stores more bytes than @ref declares, and renames
 * the .part once its hash matches.
 */
static gboolean
download_attempt (SyncRun                  *run,
                  const DigithekChannelRef *ref,
                  const char               *part_path,
                  const char               *final_path,
                  gboolean                 *out_transient,
                  GError                  **error)
{
  DigithekSha256 sha_state;
  char hex[DIGITHEK_SHA256_HEX_SIZE];
  g_autofree char *rel = digithek_channel_object_path (ref->sha256);
  g_autofree char *sha = short_sha (ref->sha256);
  g_autofree char *size_text = format_size (ref->size);
  g_autoptr(GError) local_error = NULL;
  g_auto(SourceBody) body = { 0 };
  GStatBuf st;
  goffset offset = 0;

  *out_transient = FALSE;
  digithek_sha256_init (&sha_state);

  if (g_stat (part_path, &st) == 0)
    offset = st.st_size;
  if ((guint64) offset > ref->size)
    {
      g_unlink (part_path);
      offset = 0;
    }
  if (offset > 0 && !hash_file_prefix (part_path, offset, &sha_state, error))
    return FALSE;

  if ((guint64) offset < ref->size)
    {
      DownloadSink sink;
      gboolean ended = FALSE;
      int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW;
      int fd;

      if (!source_open (run, rel, offset, NULL, &body, out_transient, error))
        return FALSE;

      /* Refuse before reading when the source already says it holds too much. */
      if (body.length >= 0 && (guint64) (body.start + body.length) > ref->size)
        {
          *out_transient = source_is_http (run);
          g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                       "object %s is longer than the %s bytes the manifest says",
                       sha, size_text);
          return FALSE;
        }

      if (body.start != offset)
        {
          /* The server ignored the range (200): the body starts over. */
          digithek_sha256_init (&sha_state);
          offset = 0;
          flags |= O_TRUNC;
        }
      else
        {
          flags |= O_APPEND;
        }
      fd = g_open (part_path, flags, 0644);
      if (fd < 0)
        {
          int saved = errno;

          g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s",
                       part_path, g_strerror (saved));
          return FALSE;
        }

      /* Each chunk is filled (several reads, as the socket delivers) before it is handed
       * to the sink: fewer, larger hash updates and writes. What arrived before an error
       * is kept: the next attempt resumes after it. */
      sink_start (&sink, run, fd, part_path, &sha_state, ref->size - offset);
      while ((guint64) offset < ref->size && !ended && local_error == NULL
             && !sink_failed (&sink))
        {
          SinkChunk *chunk = sink_get_chunk (&sink);
          gsize want = MIN ((guint64) READ_CHUNK, ref->size - offset);

          while (chunk->len < want)
            {
              gssize n = g_input_stream_read (body.stream, chunk->data + chunk->len,
                                              want - chunk->len, run->cancellable,
                                              &local_error);
              if (n <= 0)
                {
                  ended = n == 0;
                  break;
                }
              chunk->len += n;
            }
          run->result->bytes_downloaded += chunk->len;
          offset += chunk->len;
          sink_put_chunk (&sink, chunk);
        }
      if (!sink_finish (&sink, error))
        return FALSE;

      if (local_error != NULL)
        {
          source_read_failed (run, rel, g_steal_pointer (&local_error), out_transient,
                              error);
          return FALSE;
        }
      if (ended)
        {
          g_autofree char *got = format_size (offset);

          *out_transient = source_is_http (run);
          g_set_error (error, DIGITHEK_SYNC_ERROR,
                       source_is_http (run) ? DIGITHEK_SYNC_ERROR_FAILED
                                            : DIGITHEK_SYNC_ERROR_INVALID,
                       "object %s is shorter than the %s bytes the manifest says "
                       "(ended after %s)", sha, size_text, got);
          return FALSE;
        }

      /* One byte more tells a longer body apart; it is never stored. */
      {
        guint8 extra;
        gssize n = g_input_stream_read (body.stream, &extra, 1, run->cancellable, NULL);

        if (n > 0)
          {
            run->result->bytes_downloaded += n;
            /* The .part holds the declared bytes; the next attempt only checks its hash. */
            *out_transient = source_is_http (run);
            g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                         "object %s is longer than the %s bytes the manifest says",
                         sha, size_text);
            return FALSE;
          }
      }
    }

  digithek_sha256_finish_hex (&sha_state, hex);
  if (!g_str_equal (hex, ref->sha256))
    {
      /* Bad bytes somewhere: resuming from them would never succeed. */
      g_unlink (part_path);
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                   "object %s does not match its SHA-256", sha);
      return FALSE;
    }
  if (g_rename (part_path, final_path) != 0)
    {
      int saved = errno;

      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", final_path,
                   g_strerror (saved));
      return FALSE;
    }
  run->result->objects_downloaded++;
  return TRUE;
}

/* Makes `objects/<sha>` in staging hold the verified object; returns its path. */
static char *
ensure_object (SyncRun                  *run,
               const DigithekChannelRef *ref,
               gboolean                  try_store,
               GError                  **error)
{
  g_autofree char *objects = g_build_filename (run->self->staging_dir, "objects", NULL);
  g_autofree char *final_path = g_build_filename (objects, ref->sha256, NULL);
  g_autofree char *part_name = g_strconcat (ref->sha256, ".part", NULL);
  g_autofree char *part_path = g_build_filename (objects, part_name, NULL);
  g_autoptr(GError) last_error = NULL;

  if (g_mkdir_with_parents (objects, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", objects,
                   g_strerror (saved));
      return NULL;
    }

  /* Verified before, kept from an earlier run: check again, disks rot too. */
  if (g_file_test (final_path, G_FILE_TEST_EXISTS))
    {
      if (file_matches (final_path, ref))
        return g_steal_pointer (&final_path);
      g_unlink (final_path);
    }

  if (try_store)
    {
      g_autoptr(GError) store_error = NULL;

      digithek_store_wait_begin (run->wait);
      digithek_store_has_asset_async (run->self->store, ref->sha256, run->cancellable,
                                      digithek_store_wait_cb, run->wait);
      if (digithek_store_has_asset_finish (run->self->store, digithek_store_wait_end (run->wait),
                                           &store_error))
        {
          g_autoptr(GBytes) bytes = NULL;

          digithek_store_wait_begin (run->wait);
          digithek_store_get_asset_async (run->self->store, ref->sha256, run->cancellable,
                                          digithek_store_wait_cb, run->wait);
          bytes = digithek_store_get_asset_finish (run->self->store,
                                                   digithek_store_wait_end (run->wait),
                                                   &store_error);
          if (bytes != NULL && g_bytes_get_size (bytes) == ref->size)
            {
              if (!write_file_bytes (final_path, bytes, error))
                return NULL;
              return g_steal_pointer (&final_path);
            }
        }
      if (store_error != NULL && is_cancelled (store_error))
        {
          g_propagate_error (error, g_steal_pointer (&store_error));
          return NULL;
        }
      /* Otherwise the store cannot help: download it. */
    }

  for (guint attempt = 0; attempt < run->self->max_attempts; attempt++)
    {
      gboolean transient = FALSE;

      if (attempt > 0 && !backoff_sleep (run, attempt - 1, error))
        return NULL;
      g_clear_error (&last_error);
      if (download_attempt (run, ref, part_path, final_path, &transient, &last_error))
        return g_steal_pointer (&final_path);
      g_debug ("attempt %u at %s: %s", attempt + 1, ref->sha256, last_error->message);
      if (!transient)
        break;
    }
  g_propagate_error (error, g_steal_pointer (&last_error));
  return NULL;
}

static gboolean
link_or_copy (const char  *src,
              const char  *dest,
              GError     **error)
{
  g_autoptr(GFile) src_file = NULL;
  g_autoptr(GFile) dest_file = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Staging objects and pack folders share a file system: a hard link costs nothing. */
  if (link (src, dest) == 0)
    return TRUE;
  src_file = g_file_new_for_path (src);
  dest_file = g_file_new_for_path (dest);
  if (!g_file_copy (src_file, dest_file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL,
                    &local_error))
    {
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", dest,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
remove_tree (const char  *path,
             GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_unlink (path) == 0)
    return TRUE;
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!remove_tree (child, error))
            return FALSE;
        }
    }
  if (g_rmdir (path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* ---- one pack ---- */

static gboolean
sync_pack (SyncRun                        *run,
           const DigithekChannelPackEntry *entry,
           gint64                          installed,
           GError                        **error)
{
  g_autofree char *manifest_path = NULL;
  g_autofree char *manifest_text = NULL;
  g_autofree char *pack_dir = NULL;
  g_autofree char *files_dir = NULL;
  g_autofree char *pack_json = NULL;
  g_autofree char *dir_name = NULL;
  g_autoptr(GBytes) manifest_bytes = NULL;
  g_autoptr(DigithekChannelManifest) manifest = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) local_error = NULL;
  DigithekImportOutcome outcome;
  DigithekSyncChange *change;
  gsize manifest_len = 0;

  if (entry->manifest.size > DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE)
    {
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                   "manifest is larger than %d bytes", DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE);
      return FALSE;
    }
  manifest_path = ensure_object (run, &entry->manifest, FALSE, error);
  if (manifest_path == NULL)
    return FALSE;
  if (!g_file_get_contents (manifest_path, &manifest_text, &manifest_len, &local_error))
    {
      propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_IO,
                          manifest_path);
      return FALSE;
    }
  manifest_bytes = g_bytes_new_take (g_steal_pointer (&manifest_text), manifest_len);
  manifest = digithek_channel_manifest_parse (manifest_bytes, &local_error);
  if (manifest == NULL)
    {
      propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_INVALID,
                          "manifest");
      return FALSE;
    }
  if (g_strcmp0 (manifest->id, entry->id) != 0 || manifest->version != entry->version)
    {
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                   "the manifest is for %s version %" G_GINT64_FORMAT
                   ", the index says version %" G_GINT64_FORMAT,
                   manifest->id, manifest->version, entry->version);
      return FALSE;
    }

  /* Assemble the pack folder afresh: a leftover from a failed run may be incomplete. */
  dir_name = g_strdup_printf ("%s-%" G_GINT64_FORMAT, entry->id, entry->version);
  pack_dir = g_build_filename (run->self->staging_dir, "packs", dir_name, NULL);
  files_dir = g_build_filename (pack_dir, "files", NULL);
  if (!remove_tree (pack_dir, error))
    return FALSE;
  if (g_mkdir_with_parents (files_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", files_dir,
                   g_strerror (saved));
      return FALSE;
    }

  for (guint i = 0; i < manifest->files->len; i++)
    {
      const DigithekChannelFile *file = g_ptr_array_index (manifest->files, i);
      g_autofree char *object_path = ensure_object (run, &file->ref, TRUE, error);
      g_autofree char *dest = NULL;

      if (object_path == NULL)
        return FALSE;
      dest = g_build_filename (pack_dir, file->path, NULL);
      if (!link_or_copy (object_path, dest, error))
        return FALSE;
    }

  pack_json = g_build_filename (pack_dir, "pack.json", NULL);
  if (!write_file_bytes (pack_json, manifest->pack_json, error))
    return FALSE;

  /* The publisher validated it, but the kiosk trusts only what it checks itself. */
  pack = digithek_pack_load (pack_dir, NULL, &problems, &local_error);
  if (pack == NULL)
    {
      const char *first = problems != NULL && problems->len > 0
                          ? g_ptr_array_index (problems, 0) : local_error->message;

      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                   "invalid pack: %s", first);
      return FALSE;
    }
  digithek_store_wait_begin (run->wait);
  digithek_store_import_pack_async (run->self->store, pack, NULL, NULL, NULL, run->cancellable,
                                    digithek_store_wait_cb, run->wait);
  if (!digithek_store_import_pack_finish (run->self->store, digithek_store_wait_end (run->wait),
                                          &outcome, &local_error))
    {
      propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_IO,
                          "import");
      return FALSE;
    }

  if (outcome == DIGITHEK_IMPORT_INSTALLED)
    {
      change = g_new0 (DigithekSyncChange, 1);
      change->id = g_strdup (entry->id);
      change->old_version = installed;
      change->new_version = entry->version;
      g_ptr_array_add (run->result->changes, change);
    }
  return remove_tree (pack_dir, error);
}

/* ---- the run ---- */

static gboolean
check_index (SyncRun               *run,
             GBytes                *index_bytes,
             GBytes                *sig_bytes,
             DigithekChannelIndex **out_index,
             GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DigithekChannelIndex) index = NULL;

  if (!digithek_channel_verify_index (index_bytes, sig_bytes,
                                      (const char * const *) run->keys, &local_error))
    {
      if (g_error_matches (local_error, DIGITHEK_CHANNEL_ERROR,
                           DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE))
        g_set_error_literal (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_BAD_SIGNATURE,
                             "index signature does not match any trusted key");
      else
        propagate_prefixed (error, g_steal_pointer (&local_error),
                            DIGITHEK_SYNC_ERROR_BAD_SIGNATURE, "trusted key");
      return FALSE;
    }
  index = digithek_channel_index_parse (index_bytes, &local_error);
  if (index == NULL)
    {
      propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_INVALID,
                          "index.json");
      return FALSE;
    }
  *out_index = g_steal_pointer (&index);
  return TRUE;
}

static char *
serial_key (const char *name)
{
  return g_strconcat ("sync.serial:", name, NULL);
}

static char *
etag_key (SyncRun *run)
{
  return g_strconcat ("sync.etag:", run->self->channel, NULL);
}

static gboolean
load_keys (SyncRun  *run,
           GError  **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; run->self->trusted_keys[i] != NULL; i++)
    {
      g_autoptr(GError) key_error = NULL;
      g_autofree char *key = digithek_channel_load_public_key (run->self->trusted_keys[i],
                                                                &key_error);

      if (key == NULL)
        {
          g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_BAD_SIGNATURE,
                       "trusted key %s: %s", run->self->trusted_keys[i], key_error->message);
          return FALSE;
        }
      g_strv_builder_add (builder, key);
    }
  if (run->self->trusted_keys[0] == NULL)
    {
      g_set_error_literal (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_BAD_SIGNATURE,
                           "no trusted key configured");
      return FALSE;
    }
  run->keys = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
set_meta (SyncRun     *run,
          const char  *key,
          const char  *value,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  digithek_store_wait_begin (run->wait);
  digithek_store_set_meta_async (run->self->store, key, value, NULL, digithek_store_wait_cb,
                                 run->wait);
  if (!digithek_store_set_meta_finish (run->self->store, digithek_store_wait_end (run->wait),
                                       &local_error))
    {
      propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_IO,
                          "store");
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_steps (SyncRun  *run,
           GError  **error)
{
  DigithekSync *self = run->self;
  g_autofree char *etag_meta = etag_key (run);
  g_autofree char *etag = NULL;
  g_autofree char *new_etag = NULL;
  g_autofree char *serial_meta = NULL;
  g_autofree char *installed_serial_text = NULL;
  g_autofree char *serial_text = NULL;
  g_autoptr(GBytes) index_bytes = NULL;
  g_autoptr(GBytes) sig_bytes = NULL;
  g_autoptr(DigithekChannelIndex) index = NULL;
  g_autoptr(GPtrArray) installed = NULL;
  g_autoptr(GHashTable) versions = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) first_error = NULL;
  gboolean not_modified = FALSE;
  gint64 installed_serial = 0;
  guint n_failed = 0;

  if (!load_keys (run, error))
    return FALSE;

  /* 1. The index and its signature. */
  if (source_is_http (run))
    {
      digithek_store_wait_begin (run->wait);
      digithek_store_get_meta_async (self->store, etag_meta, run->cancellable,
                                     digithek_store_wait_cb, run->wait);
      etag = digithek_store_get_meta_finish (self->store, digithek_store_wait_end (run->wait),
                                             &local_error);
      if (local_error != NULL)
        {
          propagate_prefixed (error, g_steal_pointer (&local_error),
                              DIGITHEK_SYNC_ERROR_IO, "store");
          return FALSE;
        }
    }
  index_bytes = fetch_small (run, "index.json", DIGITHEK_CHANNEL_MAX_INDEX_SIZE, etag,
                             &not_modified, &new_etag, error);
  if (index_bytes == NULL)
    return FALSE;
  if (not_modified)
    {
      /* The ETag is stored only once an index is fully accepted, so 304 means done. */
      run->result->up_to_date = TRUE;
      return TRUE;
    }
  sig_bytes = fetch_small (run, "index.json.sig", MAX_SIG_SIZE, NULL, NULL, NULL, error);
  if (sig_bytes == NULL)
    return FALSE;

  /* 2. Signature, then serial, then expiry. */
  if (!check_index (run, index_bytes, sig_bytes, &index, &local_error))
    {
      if (!g_error_matches (local_error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_BAD_SIGNATURE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* A publisher renames the signature before the index: we may have caught the
       * moment between the two. Both once more, then refuse. */
      g_clear_error (&local_error);
      g_clear_pointer (&index_bytes, g_bytes_unref);
      g_clear_pointer (&sig_bytes, g_bytes_unref);
      g_clear_pointer (&new_etag, g_free);
      index_bytes = fetch_small (run, "index.json", DIGITHEK_CHANNEL_MAX_INDEX_SIZE, NULL,
                                 NULL, &new_etag, error);
      if (index_bytes == NULL)
        return FALSE;
      sig_bytes = fetch_small (run, "index.json.sig", MAX_SIG_SIZE, NULL, NULL, NULL, error);
      if (sig_bytes == NULL)
        return FALSE;
      if (!check_index (run, index_bytes, sig_bytes, &index, error))
        return FALSE;
    }

  run->result->channel_name = g_strdup (index->name);
  run->result->serial = index->serial;

  serial_meta = serial_key (index->name);
  digithek_store_wait_begin (run->wait);
  digithek_store_get_meta_async (self->store, serial_meta, run->cancellable,
                                 digithek_store_wait_cb, run->wait);
  installed_serial_text = digithek_store_get_meta_finish (self->store,
                                                          digithek_store_wait_end (run->wait),
                                                          &local_error);
  if (local_error != NULL)
    {
      propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_IO,
                          "store");
      return FALSE;
    }
  if (installed_serial_text != NULL)
    installed_serial = g_ascii_strtoll (installed_serial_text, NULL, 10);
  if (index->serial < installed_serial)
    {
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_ROLLBACK,
                   "index serial %" G_GINT64_FORMAT " is older than installed %"
                   G_GINT64_FORMAT, index->serial, installed_serial);
      return FALSE;
    }
  if (index->serial == installed_serial)
    {
      run->result->up_to_date = TRUE;
      if (new_etag != NULL && !set_meta (run, etag_meta, new_etag, error))
        return FALSE;
      return TRUE;
    }

  now = g_date_time_new_now_utc ();
  if (g_date_time_compare (index->expires, now) < 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (index->expires);
      g_autofree char *when = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_EXPIRED,
                   "index expired on %s", when);
      return FALSE;
    }

  /* 3. and 4. Each newer pack: download, assemble, validate, import. */
  digithek_store_wait_begin (run->wait);
  digithek_store_list_packs_async (self->store, NULL, run->cancellable, digithek_store_wait_cb,
                                   run->wait);
  installed = digithek_store_list_packs_finish (self->store, digithek_store_wait_end (run->wait),
                                                &local_error);
  if (installed == NULL)
    {
      propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_IO,
                          "store");
      return FALSE;
    }
  versions = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < installed->len; i++)
    {
      DigithekStorePackInfo *info = g_ptr_array_index (installed, i);

      g_hash_table_insert (versions, info->id, &info->version);
    }

  for (guint i = 0; i < index->packs->len; i++)
    {
      const DigithekChannelPackEntry *entry = g_ptr_array_index (index->packs, i);
      const gint64 *have = g_hash_table_lookup (versions, entry->id);
      gint64 installed_version = have != NULL ? *have : 0;
      g_autoptr(GError) pack_error = NULL;

      g_autofree char *skip_meta = NULL;
      g_autofree char *skip_text = NULL;
      gint64 skip_version = 0;

      /* A kiosk never replaces a pack with a lower or equal version. */
      if (entry->version <= installed_version)
        continue;

      /* Nor reinstalls the version staff rolled back (digithek_sync_rollback_pack()). */
      skip_meta = digithek_sync_skip_key (entry->id);
      digithek_store_wait_begin (run->wait);
      digithek_store_get_meta_async (self->store, skip_meta, run->cancellable,
                                     digithek_store_wait_cb, run->wait);
      skip_text = digithek_store_get_meta_finish (self->store, digithek_store_wait_end (run->wait),
                                                  &local_error);
      if (local_error != NULL)
        {
          propagate_prefixed (error, g_steal_pointer (&local_error), DIGITHEK_SYNC_ERROR_IO,
                              "store");
          return FALSE;
        }
      if (skip_text != NULL)
        skip_version = g_ascii_strtoll (skip_text, NULL, 10);
      if (entry->version == skip_version)
        continue;

      if (sync_pack (run, entry, installed_version, &pack_error))
        {
          /* A newer version than the one rolled back ends the skip. */
          if (skip_text != NULL && entry->version > skip_version
              && !set_meta (run, skip_meta, NULL, error))
            return FALSE;
          continue;
        }

      /* The network or the disk failing stops the run; one bad pack does not stop the
       * others, whose content is independent. */
      if (is_cancelled (pack_error)
          || g_error_matches (pack_error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO)
          || g_error_matches (pack_error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_FAILED))
        {
          if (is_cancelled (pack_error))
            g_propagate_error (error, g_steal_pointer (&pack_error));
          else
            g_set_error (error, DIGITHEK_SYNC_ERROR, pack_error->code, "%s: %s",
                         entry->id, pack_error->message);
          return FALSE;
        }
      if (n_failed++ == 0)
        g_set_error (&first_error, DIGITHEK_SYNC_ERROR, pack_error->code, "%s: %s",
                     entry->id, pack_error->message);
    }

  if (n_failed > 0)
    {
      if (n_failed > 1)
        g_prefix_error (&first_error, "%u packs failed; ", n_failed);
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }

  /* 5. Only now does the serial count as accepted. */
  serial_text = g_strdup_printf ("%" G_GINT64_FORMAT, index->serial);
  if (!set_meta (run, serial_meta, serial_text, error)
      || !set_meta (run, "sync.serial", serial_text, error))
    return FALSE;
  if (new_etag != NULL && !set_meta (run, etag_meta, new_etag, error))
    return FALSE;

  run->result->up_to_date = run->result->changes->len == 0;
  return remove_tree (self->staging_dir, error);
}

static DigithekSyncResult *
run_blocking (DigithekSync  *self,
              GCancellable  *cancellable,
              GError       **error)
{
  SyncRun run = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *time_text = now_iso8601 ();
  DigithekSyncResult *result = NULL;
  gboolean ok;

  run.self = self;
  run.cancellable = cancellable;
  run.wait = digithek_store_wait_new ();
  run.result = g_new0 (DigithekSyncResult, 1);
  run.result->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) sync_change_free);

  if (g_str_has_prefix (self->channel, "http://") || g_str_has_prefix (self->channel, "https://"))
    {
      /* One session per run, created on the thread that uses it (libsoup 3 sessions
       * belong to one thread); it keeps its connections for all files of the run. */
      run.session = soup_session_new_with_options ("user-agent", "digithek/" PACKAGE_VERSION,
                                                   "timeout", self->timeout,
                                                   "idle-timeout", 60,
                                                   NULL);
      run.base_url = g_str_has_suffix (self->channel, "/")
                     ? g_strdup (self->channel)
                     : g_strconcat (self->channel, "/", NULL);
    }
  else if (g_str_has_prefix (self->channel, "file://"))
    run.local_root = g_file_new_for_uri (self->channel);
  else
    run.local_root = g_file_new_for_path (self->channel);

  ok = run_steps (&run, &local_error);

  /* What --status shows; written whatever happened, but never hiding the run's error. */
  {
    g_autoptr(GError) meta_error = NULL;

    if (!set_meta (&run, "sync.last-time", time_text, &meta_error)
        || !set_meta (&run, "sync.last-ok", ok ? "true" : "false", &meta_error)
        || !set_meta (&run, "sync.last-error", ok ? NULL : local_error->message, &meta_error)
        || !set_meta (&run, "sync.channel", self->channel, &meta_error))
      {
        if (ok)
          {
            ok = FALSE;
            local_error = g_steal_pointer (&meta_error);
          }
        else
          g_debug ("could not record the sync's outcome: %s", meta_error->message);
      }
  }

  if (ok)
    result = g_steal_pointer (&run.result);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));

  g_clear_pointer (&run.result, digithek_sync_result_free);
  g_clear_object (&run.session);
  g_clear_object (&run.local_root);
  g_clear_pointer (&run.base_url, g_free);
  g_clear_pointer (&run.keys, g_strfreev);
  g_clear_pointer (&run.wait, digithek_store_wait_free);
  for (guint i = 0; i < PIPELINE_CHUNKS; i++)
    g_free (run.chunk_buffers[i]);
  return result;
}

/* ---- the object ---- */

static void
digithek_sync_finalize (GObject *object)
{
  DigithekSync *self = DIGITHEK_SYNC (object);

  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->trusted_keys, g_strfreev);
  g_clear_pointer (&self->staging_dir, g_free);

  G_OBJECT_CLASS (digithek_sync_parent_class)->finalize (object);
}

static void
digithek_sync_dispose (GObject *object)
{
  DigithekSync *self = DIGITHEK_SYNC (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (digithek_sync_parent_class)->dispose (object);
}

static void
digithek_sync_class_init (DigithekSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = digithek_sync_dispose;
  object_class->finalize = digithek_sync_finalize;
}

static void
digithek_sync_init (DigithekSync *self)
{
  self->timeout = DIGITHEK_SYNC_DEFAULT_TIMEOUT_SECONDS;
  self->max_attempts = DIGITHEK_SYNC_DEFAULT_MAX_ATTEMPTS;
  self->backoff_ms = 500;
}

DigithekSync *
digithek_sync_new (const char         *channel,
                   const char * const *trusted_keys,
                   DigithekStore      *store,
                   const char         *staging_dir)
{
  DigithekSync *self;

  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (trusted_keys != NULL, NULL);
  g_return_val_if_fail (DIGITHEK_IS_STORE (store), NULL);

  self = g_object_new (DIGITHEK_TYPE_SYNC, NULL);
  self->channel = g_strdup (channel);
  self->trusted_keys = g_strdupv ((char **) trusted_keys);
  self->store = g_object_ref (store);
  if (staging_dir != NULL)
    self->staging_dir = g_strdup (staging_dir);
  else
    self->staging_dir = g_strconcat (digithek_store_get_path (store), ".staging", NULL);
  return self;
}

void
digithek_sync_set_timeout (DigithekSync *self,
                           guint         seconds)
{
  g_return_if_fail (DIGITHEK_IS_SYNC (self));
  self->timeout = seconds;
}

void
digithek_sync_set_retry_policy (DigithekSync *self,
                                guint         max_attempts,
                                guint         backoff_ms)
{
  g_return_if_fail (DIGITHEK_IS_SYNC (self));
  self->max_attempts = MAX (max_attempts, 1);
  self->backoff_ms = backoff_ms;
}

const char *
digithek_sync_get_channel (DigithekSync *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SYNC (self), NULL);
  return self->channel;
}

const char *
digithek_sync_get_staging_dir (DigithekSync *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SYNC (self), NULL);
  return self->staging_dir;
}

static gboolean
begin_run (DigithekSync  *self,
           GError       **error)
{
  if (!g_atomic_int_compare_and_exchange (&self->running, 0, 1))
    {
      g_set_error_literal (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_BUSY,
                           "a sync is already running");
      return FALSE;
    }
  return TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  DigithekSync *self = source_object;
  GError *error = NULL;
  DigithekSyncResult *result = run_blocking (self, cancellable, &error);

  g_atomic_int_set (&self->running, 0);
  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) digithek_sync_result_free);
  else
    g_task_return_error (task, error);
}

void
digithek_sync_run_async (DigithekSync        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (DIGITHEK_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, digithek_sync_run_async);
  /* The run checks the cancellable itself and keeps what it verified in staging. */
  g_task_set_return_on_cancel (task, FALSE);

  if (!begin_run (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, run_thread);
}

DigithekSyncResult *
digithek_sync_run_finish (DigithekSync  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_sync_run_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

DigithekSyncResult *
digithek_sync_run_sync (DigithekSync  *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  DigithekSyncResult *result;

  g_return_val_if_fail (DIGITHEK_IS_SYNC (self), NULL);

  if (!begin_run (self, error))
    return NULL;
  result = run_blocking (self, cancellable, error);
  g_atomic_int_set (&self->running, 0);
  return result;
}

/* ---- `digithek --sync-once` ---- */

DigithekSyncResult *
digithek_sync_run_headless (const char         *store_path,
                            const char         *channel,
                            const char * const *trusted_keys,
                            GError            **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(DigithekSync) sync = NULL;
  DigithekSyncResult *result;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (channel != NULL, NULL);

  digithek_store_wait_begin (wait);
  digithek_store_new_async (store_path, NULL, digithek_store_wait_cb, wait);
  store = digithek_store_new_finish (digithek_store_wait_end (wait), error);
  if (store == NULL)
    return NULL;
  sync = digithek_sync_new (channel, trusted_keys, store, NULL);
  result = digithek_sync_run_sync (sync, NULL, error);
  digithek_store_close (store);
  return result;
}

char *
digithek_sync_result_describe (const DigithekSyncResult *result)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; i < result->changes->len; i++)
    {
      const DigithekSyncChange *change = g_ptr_array_index (result->changes, i);

      if (change->old_version > 0)
        g_string_append_printf (text, "%s: %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT "\n",
                                change->id, change->old_version, change->new_version);
      else
        g_string_append_printf (text, "%s: %" G_GINT64_FORMAT " (new)\n", change->id,
                                change->new_version);
    }
  if (result->changes->len == 0)
    g_string_append (text, "up to date\n");
  return g_string_free (text, FALSE);
}

/* ---- staff rollback ---- */

char *
digithek_sync_skip_key (const char *pack_id)
{
  return g_strconcat ("sync.skip:", pack_id, NULL);
}

gboolean
digithek_sync_rollback_pack (DigithekStore  *store,
                             const char     *pack_id,
                             gint64         *out_version,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *skip_meta = NULL;
  g_autofree char *old_skip = NULL;
  g_autofree char *skip_text = NULL;
  const DigithekStorePackInfo *found = NULL;
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  g_return_val_if_fail (DIGITHEK_IS_STORE (store), FALSE);
  g_return_val_if_fail (pack_id != NULL, FALSE);

  digithek_store_wait_begin (wait);
  digithek_store_list_packs_async (store, NULL, cancellable, digithek_store_wait_cb, wait);
  packs = digithek_store_list_packs_finish (store, digithek_store_wait_end (wait), error);
  if (packs == NULL)
    return FALSE;
  for (guint i = 0; i < packs->len && found == NULL; i++)
    {
      const DigithekStorePackInfo *info = g_ptr_array_index (packs, i);

      if (g_str_equal (info->id, pack_id))
        found = info;
    }
  if (found == NULL)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND,
                   "pack %s is not installed", pack_id);
      return FALSE;
    }
  if (found->previous_version <= 0)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NO_PREVIOUS,
                   "pack %s has no previous version", pack_id);
      return FALSE;
    }

  /* The skip first: a crash between the two steps leaves a skip of a version that is
   * still active, which changes nothing, rather than a rollback the next sync undoes. */
  skip_meta = digithek_sync_skip_key (pack_id);
  digithek_store_wait_begin (wait);
  digithek_store_get_meta_async (store, skip_meta, cancellable, digithek_store_wait_cb, wait);
  old_skip = digithek_store_get_meta_finish (store, digithek_store_wait_end (wait), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  skip_text = g_strdup_printf ("%" G_GINT64_FORMAT, found->version);
  digithek_store_wait_begin (wait);
  digithek_store_set_meta_async (store, skip_meta, skip_text, cancellable,
                                 digithek_store_wait_cb, wait);
  if (!digithek_store_set_meta_finish (store, digithek_store_wait_end (wait), error))
    return FALSE;
  digithek_store_wait_begin (wait);
  digithek_store_rollback_pack_async (store, pack_id, cancellable, digithek_store_wait_cb, wait);
  if (!digithek_store_rollback_pack_finish (store, digithek_store_wait_end (wait), &local_error))
    {
      /* Put the skip back as it was; the rollback's error is the one to report. */
      digithek_store_wait_begin (wait);
      digithek_store_set_meta_async (store, skip_meta, old_skip, NULL, digithek_store_wait_cb,
                                     wait);
      if (!digithek_store_set_meta_finish (store, digithek_store_wait_end (wait), NULL))
        g_debug ("could not restore %s", skip_meta);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (out_version != NULL)
    *out_version = found->previous_version;
  return TRUE;
}

static void
rollback_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  gint64 version = 0;

  if (digithek_sync_rollback_pack (source_object, task_data, &version, cancellable, &error))
    g_task_return_int (task, version);
  else
    g_task_return_error (task, error);
}

void
digithek_sync_rollback_pack_async (DigithekStore       *store,
                                   const char          *pack_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DIGITHEK_IS_STORE (store));
  g_return_if_fail (pack_id != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, digithek_sync_rollback_pack_async);
  g_task_set_task_data (task, g_strdup (pack_id), g_free);
  g_task_run_in_thread (task, rollback_thread);
}

gboolean
digithek_sync_rollback_pack_finish (DigithekStore  *store,
                                    GAsyncResult   *result,
                                    gint64         *out_version,
                                    GError        **error)
{
  gint64 version;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == digithek_sync_rollback_pack_async, FALSE);

  version = g_task_propagate_int (G_TASK (result), error);
  if (version <= 0)
    return FALSE;
  if (out_version != NULL)
    *out_version = version;
  return TRUE;
}

/* ---- scheduling ---- */

guint
digithek_sync_next_delay (guint   interval_seconds,
                          guint   failures,
                          guint32 random)
{
  guint64 delay = MAX (interval_seconds, 1u);
  guint64 jitter;

  /* After failures: exponential backoff from a minute, capped at an hour, so a fleet
   * does not hammer a broken server and still heals within the hour. */
  if (failures > 0)
    delay = MIN ((guint64) 3600, (guint64) 60 << MIN (failures - 1, 20u));

  /* random maps onto [-10 %, +10 %] of the delay. */
  jitter = delay / 5 * random / G_MAXUINT32;
  delay = delay - delay / 10 + jitter;
  return (guint) CLAMP (delay, 1, G_MAXUINT);
}
