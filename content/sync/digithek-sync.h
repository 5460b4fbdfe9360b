/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The kiosk side of a channel (see digithek-channel.h): fetch the signed index, check it
 * (signature, serial, expiry), download what the store lacks into a staging folder,
 * validate each pack folder again and import it into the store.
 *
 * A channel is an `http://` or `https://` URL or a local folder (a USB stick); both go
 * through the same code and the same checks. The store's meta keys written after every
 * run: "sync.last-time" (ISO 8601, UTC), "sync.last-ok" ("true"/"false"),
 * "sync.last-error" (one line; removed on success), "sync.channel"; once an index's content
 * is imported: "sync.serial:<channel-name>", "sync.serial" and, for HTTP, the index's ETag
 * in "sync.etag:<channel>" (the next run sends it as If-None-Match; 304 = up to date).
 * "sync.skip:<pack-id>" holds a version staff rolled back (digithek_sync_rollback_pack()):
 * runs never install exactly that version of that pack again; a newer one installs and
 * removes the key.
 *
 * Staging holds `objects/<sha256>` (verified) and `objects/<sha256>.part` (being
 * downloaded; resumed with a Range request) and `packs/<id>-<version>/` (the pack folder
 * assembled for validation and import). It is removed after a successful run and kept
 * after a failed one, so the next run resumes.
 */

#include <gio/gio.h>

#include "digithek-store.h"

G_BEGIN_DECLS

#define DIGITHEK_SYNC_ERROR (digithek_sync_error_quark ())

typedef enum
{
  DIGITHEK_SYNC_ERROR_FAILED,        /* network or server trouble that retries did not fix */
  DIGITHEK_SYNC_ERROR_IO,            /* a local file (staging, channel folder) failed */
  DIGITHEK_SYNC_ERROR_BAD_SIGNATURE, /* the index is signed by no trusted key */
  DIGITHEK_SYNC_ERROR_ROLLBACK,      /* the index's serial is older than the accepted one */
  DIGITHEK_SYNC_ERROR_EXPIRED,       /* the index has expired */
  DIGITHEK_SYNC_ERROR_INVALID,       /* an index, manifest, object or pack was refused */
  DIGITHEK_SYNC_ERROR_BUSY,          /* a run is already going on */
} DigithekSyncError;

GQuark digithek_sync_error_quark (void);

/* Defaults of the tunables. */
#define DIGITHEK_SYNC_DEFAULT_TIMEOUT_SECONDS 30
#define DIGITHEK_SYNC_DEFAULT_MAX_ATTEMPTS    4

/* One pack a run installed: @old_version is 0 for a pack new to the store. */
typedef struct
{
  char   *id;
  gint64  old_version;
  gint64  new_version;
} DigithekSyncChange;

/**
 * DigithekSyncResult:
 * @up_to_date: the channel had nothing newer (304, equal serial or no newer pack)
 * @channel_name: (nullable): the channel's name from its index (%NULL after a 304)
 * @serial: the serial accepted, 0 after a 304
 * @changes: (element-type DigithekSyncChange): the packs installed, by id
 * @bytes_downloaded: body bytes read from the channel in this run, retries included
 * @objects_downloaded: objects (manifests and files) completed by download
 */
typedef struct
{
  gboolean   up_to_date;
  char      *channel_name;
  gint64     serial;
  GPtrArray *changes;
  guint64    bytes_downloaded;
  guint      objects_downloaded;
} DigithekSyncResult;

void digithek_sync_result_free (DigithekSyncResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekSyncResult, digithek_sync_result_free)

#define DIGITHEK_TYPE_SYNC (digithek_sync_get_type ())
G_DECLARE_FINAL_TYPE (DigithekSync, digithek_sync, DIGITHEK, SYNC, GObject)

/**
 * digithek_sync_new:
 * @channel: an `http(s)://` URL (the channel's root) or a local folder
 * @trusted_keys: %NULL-terminated public keys, each base64 text or the path of a `.pub`
 *   file (see digithek_channel_load_public_key())
 * @store: the store to install into
 * @staging_dir: (nullable): where downloads wait until they are imported; %NULL for
 *   `STORE.staging` beside the store's file
 *
 * Returns: (transfer full): a sync for that channel; nothing happens until
 *   digithek_sync_run_async()
 */
DigithekSync *digithek_sync_new (const char         *channel,
                                 const char * const *trusted_keys,
                                 DigithekStore      *store,
                                 const char         *staging_dir);

/* Network read/write stall timeout, seconds (default 30); for tests mostly. */
void digithek_sync_set_timeout      (DigithekSync *self,
                                     guint         seconds);
/* Attempts per file for dropped connections, stalls and 5xx (default 4), and the first
 * backoff between them in milliseconds (doubling each time; default 500). */
void digithek_sync_set_retry_policy (DigithekSync *self,
                                     guint         max_attempts,
                                     guint         backoff_ms);

const char *digithek_sync_get_channel     (DigithekSync *self);
const char *digithek_sync_get_staging_dir (DigithekSync *self);

/**
 * digithek_sync_run_async:
 * @cancellable: (nullable): cancels the run; what is verified stays in staging
 *
 * Runs one sync on a worker thread. Nothing installed is lost on any failure: each pack
 * is imported in one store transaction, and the serial counts as accepted only once every
 * pack of the index is installed. The meta keys (see the top of this file) are written
 * whatever the outcome. One run at a time: a second fails with %DIGITHEK_SYNC_ERROR_BUSY.
 */
void                digithek_sync_run_async  (DigithekSync         *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* Returns: (transfer full): what changed, or %NULL with @error set (one line). */
DigithekSyncResult *digithek_sync_run_finish (DigithekSync         *self,
                                              GAsyncResult         *result,
                                              GError              **error);
/* Blocking variant, for `--sync-once` and tests. Never call it on the store's worker. */
DigithekSyncResult *digithek_sync_run_sync   (DigithekSync         *self,
                                              GCancellable         *cancellable,
                                              GError              **error);

/**
 * digithek_sync_run_headless:
 * @store_path: the store's database file
 * @channel: the channel's URL or folder
 * @trusted_keys: %NULL-terminated keys as `--trust` takes them
 * @error: return location for a #GError
 *
 * `digithek --sync-once`: opens the store, syncs once and closes it; blocks. The
 * command line prints digithek_sync_result_describe() of the result.
 *
 * Returns: (transfer full): what changed, or %NULL with @error set (one line)
 */
DigithekSyncResult *digithek_sync_run_headless    (const char               *store_path,
                                                   const char               *channel,
                                                   const char * const       *trusted_keys,
                                                   GError                  **error);
/* What changed, one line per pack ("e-government: 1 → 2", "e-government: 1 (new)"),
 * or "up to date"; each line ends in a newline. (transfer full) */
char               *digithek_sync_result_describe (const DigithekSyncResult *result);

/**
 * digithek_sync_next_delay:
 * @interval_seconds: the regular sync interval (from the config)
 * @failures: runs that failed in a row since the last success
 * @random: a random 32-bit number (g_random_int()), for the jitter
 *
 * When the running kiosk should sync next: @interval_seconds after a success; after
 * failures an exponential backoff, 60 s doubling with each failure in a row, capped at
 * one hour. Either way ±10 % jitter, so kiosks booted together spread out.
 *
 * Returns: the delay in seconds, at least 1
 */
guint digithek_sync_next_delay (guint   interval_seconds,
                                guint   failures,
                                guint32 random);

/* The meta key "sync.skip:<pack-id>" (see the top of this file). */
char    *digithek_sync_skip_key             (const char           *pack_id);

/**
 * digithek_sync_rollback_pack:
 * @store: the store
 * @pack_id: an installed pack with a previous version
 * @out_version: (out) (optional): the version active after the rollback
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Staff rollback that sticks: records the active version N in "sync.skip:<pack-id>",
 * then makes the previous version active (digithek_store_rollback_pack_async()). Later
 * syncs do not reinstall N; N+1 installs as usual. Blocks on the store's worker: never
 * call it on that thread; from the UI use the _async variant (a GTask thread).
 *
 * Returns: %TRUE, or %FALSE with a #DIGITHEK_STORE_ERROR (%DIGITHEK_STORE_ERROR_NOT_FOUND,
 *   %DIGITHEK_STORE_ERROR_NO_PREVIOUS, …); then the skip is as it was
 */
gboolean digithek_sync_rollback_pack        (DigithekStore        *store,
                                             const char           *pack_id,
                                             gint64               *out_version,
                                             GCancellable         *cancellable,
                                             GError              **error);
void     digithek_sync_rollback_pack_async  (DigithekStore        *store,
                                             const char           *pack_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean digithek_sync_rollback_pack_finish (DigithekStore        *store,
                                             GAsyncResult         *result,
                                             gint64               *out_version,
                                             GError              **error);

G_END_DECLS
