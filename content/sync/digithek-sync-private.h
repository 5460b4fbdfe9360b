/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to sync/: one run's state and the steps' functions. A run (digithek-sync-run.c)
 * checks the index, then syncs each newer pack (digithek-sync-pack.c), whose objects
 * are downloaded and verified (digithek-sync-download.c) from the source, an HTTP server
 * or a folder read the same way (digithek-sync-source.c). The object, its API and the
 * staff rollback are in digithek-sync.c. A run lives on one GTask thread; it waits for
 * the store's worker through digithek-store-wait.h. */

#include <libsoup/soup.h>

#include "digithek-channel.h"
#include "digithek-pack.h"
#include "digithek-store-wait.h"
#include "digithek-sync.h"

G_BEGIN_DECLS

/* Bytes per read from a body stream or a file, and per write to a .part: large enough
 * that the per-call cost of the stream layers (libsoup's body, client and filter streams
 * over the socket) and of the system calls vanishes beside the bytes themselves. */
#define READ_CHUNK   (256 * 1024)
/* Chunks in flight between the network and the hashing and writing thread. */
#define PIPELINE_CHUNKS 4
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
/* ---- the source: an HTTP server or a local folder, read the same way ---- */

typedef struct
{
  GInputStream *stream;
  goffset       start;         /* where the body starts in the file */
  gint64        length;        /* body bytes announced, -1 unknown */
  gboolean      not_modified;  /* HTTP 304 */
  char         *etag;
} SourceBody;

void digithek_sync_source_body_clear (SourceBody *body);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SourceBody, digithek_sync_source_body_clear)

void digithek_sync_change_free (DigithekSyncChange *change);

/* ---- small helpers ---- */

/* "1,203": sizes in messages read better grouped, and are exact. */
char * digithek_sync_format_size (guint64 n);

char * digithek_sync_short_sha (const char *sha256);

gboolean digithek_sync_is_cancelled (GError *error);

/* Moves @src into @error, keeping the cancellation code so callers can tell. */
void digithek_sync_propagate_prefixed (GError    **error,
                                       GError     *src,
                                       gint        code,
                                       const char *prefix);

char * digithek_sync_now_iso8601 (void);

/*
 * Opens @rel of the channel, from @offset on when the source can. @out_transient says
 * whether another attempt might succeed (dropped connection, stall, 5xx).
 */
gboolean digithek_sync_source_open (SyncRun     *run,
                                    const char  *rel,
                                    goffset      offset,
                                    const char  *etag,
                                    SourceBody  *body,
                                    gboolean    *out_transient,
                                    GError     **error);

gboolean digithek_sync_source_is_http (SyncRun *run);

/* Reads a read error from the source: network trouble is worth another attempt. */
void digithek_sync_source_read_failed (SyncRun     *run,
                                       const char  *what,
                                       GError      *src,
                                       gboolean    *out_transient,
                                       GError     **error);

gboolean digithek_sync_backoff_sleep (SyncRun *run,
                                      guint    attempt,
                                      GError **error);

/*
 * Fetches a small file whole (index.json, its signature), at most @max bytes. With @etag,
 * a 304 sets @out_not_modified.
 */
GBytes * digithek_sync_fetch_small (SyncRun     *run,
                                    const char  *rel,
                                    gsize        max,
                                    const char  *etag,
                                    gboolean    *out_not_modified,
                                    char       **out_etag,
                                    GError     **error);

/* ---- objects in staging ---- */
gboolean digithek_sync_write_file_bytes (const char  *path,
                                         GBytes      *bytes,
                                         GError     **error);

/* Makes `objects/<sha>` in staging hold the verified object; returns its path. */
char * digithek_sync_ensure_object (SyncRun                  *run,
                                    const DigithekChannelRef *ref,
                                    gboolean                  try_store,
                                    GError                  **error);

gboolean digithek_sync_remove_tree (const char  *path,
                                    GError     **error);

/* ---- one pack ---- */
gboolean digithek_sync_pack (SyncRun                        *run,
                             const DigithekChannelPackEntry *entry,
                             gint64                          installed,
                             GError                        **error);

DigithekSyncResult * digithek_sync_run_blocking (DigithekSync  *self,
                                                 GCancellable  *cancellable,
                                                 GError       **error);

G_END_DECLS
