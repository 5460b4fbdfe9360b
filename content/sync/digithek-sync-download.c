/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Objects into staging: each downloaded to a .part, hashed while it arrives (on a
 * thread of its own for big files), checked against its size and SHA-256, or taken
 * from the store or from staging when already there. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "digithek-sha256.h"

#include "digithek-sync-private.h"

/* Objects smaller than this are hashed and written in line: a thread would cost more. */
#define PIPELINE_MIN (2 * READ_CHUNK)

/* ---- objects in staging ---- */

gboolean
digithek_sync_write_file_bytes (const char  *path,
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
  g_autofree char *sha = digithek_sync_short_sha (ref->sha256);
  g_autofree char *size_text = digithek_sync_format_size (ref->size);
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

      if (!digithek_sync_source_open (run, rel, offset, NULL, &body, out_transient, error))
        return FALSE;

      /* Refuse before reading when the source already says it holds too much. */
      if (body.length >= 0 && (guint64) (body.start + body.length) > ref->size)
        {
          *out_transient = digithek_sync_source_is_http (run);
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
          digithek_sync_source_read_failed (run, rel, g_steal_pointer (&local_error), out_transient,
                                            error);
          return FALSE;
        }
      if (ended)
        {
          g_autofree char *got = digithek_sync_format_size (offset);

          *out_transient = digithek_sync_source_is_http (run);
          g_set_error (error, DIGITHEK_SYNC_ERROR,
                       digithek_sync_source_is_http (run) ? DIGITHEK_SYNC_ERROR_FAILED
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
            *out_transient = digithek_sync_source_is_http (run);
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
char *
digithek_sync_ensure_object (SyncRun                  *run,
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
              if (!digithek_sync_write_file_bytes (final_path, bytes, error))
                return NULL;
              return g_steal_pointer (&final_path);
            }
        }
      if (store_error != NULL && digithek_sync_is_cancelled (store_error))
        {
          g_propagate_error (error, g_steal_pointer (&store_error));
          return NULL;
        }
      /* Otherwise the store cannot help: download it. */
    }

  for (guint attempt = 0; attempt < run->self->max_attempts; attempt++)
    {
      gboolean transient = FALSE;

      if (attempt > 0 && !digithek_sync_backoff_sleep (run, attempt - 1, error))
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
