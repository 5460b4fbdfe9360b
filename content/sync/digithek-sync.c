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
#include "digithek-sync-private.h"

G_DEFINE_QUARK (digithek-sync-error-quark, digithek_sync_error)

G_DEFINE_FINAL_TYPE (DigithekSync, digithek_sync, G_TYPE_OBJECT)

void
digithek_sync_result_free (DigithekSyncResult *result)
{
  if (result == NULL)
    return;
  g_free (result->channel_name);
  g_clear_pointer (&result->changes, g_ptr_array_unref);
  g_free (result);
}

void
digithek_sync_change_free (DigithekSyncChange *change)
{
  g_free (change->id);
  g_free (change);
}

/* ---- small helpers ---- */

/* "1,203": sizes in messages read better grouped, and are exact. */
char *
digithek_sync_format_size (guint64 n)
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

char *
digithek_sync_short_sha (const char *sha256)
{
  return g_strdup_printf ("%.8s…", sha256);
}

gboolean
digithek_sync_is_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Moves @src into @error, keeping the cancellation code so callers can tell. */
void
digithek_sync_propagate_prefixed (GError    **error,
                                  GError     *src,
                                  gint        code,
                                  const char *prefix)
{
  if (digithek_sync_is_cancelled (src))
    {
      g_propagate_error (error, src);
      return;
    }
  g_set_error (error, DIGITHEK_SYNC_ERROR, code, "%s: %s", prefix, src->message);
  g_error_free (src);
}

char *
digithek_sync_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
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
  DigithekSyncResult *result = digithek_sync_run_blocking (self, cancellable, &error);

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
  result = digithek_sync_run_blocking (self, cancellable, error);
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
