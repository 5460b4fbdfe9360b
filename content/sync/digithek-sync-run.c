/* SPDX-License-Identifier: GPL-3.0-or-later */

/* One run as named steps: the trusted keys, the index and its signature (rollback,
 * freeze, channel binding), then each newer pack, then the state kept in the store. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "digithek-sha256.h"

#include "digithek-sync-private.h"

/* A signature file is one line of base64 for 64 bytes; anything much longer is junk. */
#define MAX_SIG_SIZE 1024

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
        digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                          DIGITHEK_SYNC_ERROR_BAD_SIGNATURE, "trusted key");
      return FALSE;
    }
  index = digithek_channel_index_parse (index_bytes, &local_error);
  if (index == NULL)
    {
      digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                        DIGITHEK_SYNC_ERROR_INVALID,
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
      digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                        DIGITHEK_SYNC_ERROR_IO,
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
  if (digithek_sync_source_is_http (run))
    {
      digithek_store_wait_begin (run->wait);
      digithek_store_get_meta_async (self->store, etag_meta, run->cancellable,
                                     digithek_store_wait_cb, run->wait);
      etag = digithek_store_get_meta_finish (self->store, digithek_store_wait_end (run->wait),
                                             &local_error);
      if (local_error != NULL)
        {
          digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                            DIGITHEK_SYNC_ERROR_IO, "store");
          return FALSE;
        }
    }
  index_bytes = digithek_sync_fetch_small (run, "index.json", DIGITHEK_CHANNEL_MAX_INDEX_SIZE, etag,
                                           &not_modified, &new_etag, error);
  if (index_bytes == NULL)
    return FALSE;
  if (not_modified)
    {
      /* The ETag is stored only once an index is fully accepted, so 304 means done. */
      run->result->up_to_date = TRUE;
      return TRUE;
    }
  sig_bytes = digithek_sync_fetch_small (run, "index.json.sig", MAX_SIG_SIZE, NULL, NULL, NULL,
                                         error);
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
      index_bytes = digithek_sync_fetch_small (run, "index.json", DIGITHEK_CHANNEL_MAX_INDEX_SIZE,
                                               NULL,
                                               NULL, &new_etag, error);
      if (index_bytes == NULL)
        return FALSE;
      sig_bytes = digithek_sync_fetch_small (run, "index.json.sig", MAX_SIG_SIZE, NULL, NULL, NULL,
                                             error);
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
      digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                        DIGITHEK_SYNC_ERROR_IO,
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
      digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                        DIGITHEK_SYNC_ERROR_IO,
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
          digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                            DIGITHEK_SYNC_ERROR_IO,
                                            "store");
          return FALSE;
        }
      if (skip_text != NULL)
        skip_version = g_ascii_strtoll (skip_text, NULL, 10);
      if (entry->version == skip_version)
        continue;

      if (digithek_sync_pack (run, entry, installed_version, &pack_error))
        {
          /* A newer version than the one rolled back ends the skip. */
          if (skip_text != NULL && entry->version > skip_version
              && !set_meta (run, skip_meta, NULL, error))
            return FALSE;
          continue;
        }

      /* The network or the disk failing stops the run; one bad pack does not stop the
       * others, whose content is independent. */
      if (digithek_sync_is_cancelled (pack_error)
          || g_error_matches (pack_error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO)
          || g_error_matches (pack_error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_FAILED))
        {
          if (digithek_sync_is_cancelled (pack_error))
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
  return digithek_sync_remove_tree (self->staging_dir, error);
}

DigithekSyncResult *
digithek_sync_run_blocking (DigithekSync  *self,
                            GCancellable  *cancellable,
                            GError       **error)
{
  SyncRun run = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *time_text = digithek_sync_now_iso8601 ();
  DigithekSyncResult *result = NULL;
  gboolean ok;

  run.self = self;
  run.cancellable = cancellable;
  run.wait = digithek_store_wait_new ();
  run.result = g_new0 (DigithekSyncResult, 1);
  run.result->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_sync_change_free);

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
