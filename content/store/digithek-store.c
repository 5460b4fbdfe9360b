/* SPDX-License-Identifier: GPL-3.0-or-later */

/* DigithekStore: the object and its queue to the worker, opening, import, rollback,
 * key/value state and assets. The reads are in digithek-store-read.c, search in
 * digithek-store-search.c, the worker side in digithek-store-db.c. */

#include "config.h"

#include "digithek-store-private.h"

G_DEFINE_QUARK (digithek-store-error-quark, digithek_store_error)

/* ------------------------------------------------------------------------------------ */
/* The object                                                                           */
/* ------------------------------------------------------------------------------------ */

struct _DigithekStore
{
  GObject parent_instance;

  /* owned */
  char        *path;
  char        *broken_path;
  gboolean     was_reset;
  gboolean     closed;
  GThread     *thread;
  GAsyncQueue *queue;   /* our reference; the worker holds its own */
};

G_DEFINE_FINAL_TYPE (DigithekStore, digithek_store, G_TYPE_OBJECT)

void
digithek_store_close (DigithekStore *self)
{
  DigithekStoreJob *quit;

  g_return_if_fail (DIGITHEK_IS_STORE (self));

  if (self->closed)
    return;
  self->closed = TRUE;

  /* The worker finishes every job queued before this one, then exits. */
  quit = g_new0 (DigithekStoreJob, 1);
  g_async_queue_push (self->queue, quit);

  /* The last reference can go away on the worker itself, when a finished task held it;
   * a thread cannot join itself, so let it exit on its own. */
  if (g_thread_self () == self->thread)
    g_thread_unref (g_steal_pointer (&self->thread));
  else
    g_thread_join (g_steal_pointer (&self->thread));
}

static void
digithek_store_finalize (GObject *object)
{
  DigithekStore *self = DIGITHEK_STORE (object);

  digithek_store_close (self);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->broken_path, g_free);

  G_OBJECT_CLASS (digithek_store_parent_class)->finalize (object);
}

static void
digithek_store_class_init (DigithekStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = digithek_store_finalize;
}

static void
digithek_store_init (DigithekStore *self)
{
}

static DigithekStore *
digithek_store_new_internal (const char *path)
{
  DigithekStore *self = g_object_new (DIGITHEK_TYPE_STORE, NULL);

  self->path = g_strdup (path);
  self->queue = g_async_queue_new ();
  digithek_store_db_start (path, self->queue, &self->thread);
  return self;
}

static void open_job (DigithekStoreDb *db,
                      GTask           *task,
                      gpointer         task_data,
                      GCancellable    *cancellable);

void
digithek_store_queue (DigithekStore *self,
             GTask         *task,
             DigithekStoreJobFunc        func)
{
  DigithekStoreJob *job;

  if (self->closed)
    {
      g_task_return_new_error (task, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_CLOSED,
                               "%s: the store is closed", self->path);
      return;
    }
  job = g_new0 (DigithekStoreJob, 1);
  job->func = func;
  job->opens = func == open_job;
  job->task = g_object_ref (task);
  g_async_queue_push (self->queue, job);
}

GTask *
digithek_store_task_new (DigithekStore       *self,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/* ---- open ---- */

static void
open_job (DigithekStoreDb *db,
          GTask           *task,
          gpointer         task_data,
          GCancellable    *cancellable)
{
  DigithekStore *self = g_task_get_source_object (task);
  DigithekStoreOpenResult result = { FALSE, NULL };
  GError *error = NULL;

  if (!digithek_store_db_open (db, &result, &error))
    {
      g_free (result.broken_path);
      g_task_return_error (task, error);
      return;
    }
  /* Written before the task returns, read only after: the return synchronizes. */
  self->was_reset = result.was_reset;
  self->broken_path = result.broken_path;
  g_task_return_boolean (task, TRUE);
}

void
digithek_store_new_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(DigithekStore) self = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  self = digithek_store_new_internal (path);
  task = digithek_store_task_new (self, digithek_store_new_async, cancellable, callback, user_data);
  digithek_store_queue (self, task, open_job);
}

DigithekStore *
digithek_store_new_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(DigithekStore) self = NULL;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_new_async, NULL);

  self = g_object_ref (g_task_get_source_object (G_TASK (result)));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_steal_pointer (&self);
}


const char *
digithek_store_get_path (DigithekStore *self)
{
  g_return_val_if_fail (DIGITHEK_IS_STORE (self), NULL);
  return self->path;
}

gboolean
digithek_store_was_reset (DigithekStore *self)
{
  g_return_val_if_fail (DIGITHEK_IS_STORE (self), FALSE);
  return self->was_reset;
}

const char *
digithek_store_get_broken_path (DigithekStore *self)
{
  g_return_val_if_fail (DIGITHEK_IS_STORE (self), NULL);
  return self->broken_path;
}

/* ---- import ---- */

typedef struct
{
  DigithekPack              *pack;
  DigithekStoreProgressFunc  progress;
  gpointer                   progress_data;
  GDestroyNotify             progress_destroy;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->pack);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_free (data);
}

static void
import_job (DigithekStoreDb *db,
            GTask           *task,
            gpointer         task_data,
            GCancellable    *cancellable)
{
  ImportData *data = task_data;
  DigithekImportOutcome outcome;
  GError *error = NULL;
  gboolean ok;

  /* Enough page cache for an import's index pages to stay in memory; back to the
   * small reading cache afterwards, which frees the pages beyond it. */
  if (!digithek_store_db_pragma (db, "PRAGMA cache_size = " G_STRINGIFY (IMPORT_CACHE_KIB), NULL,
                                 &error))
    {
      g_task_return_error (task, error);
      return;
    }
  ok = digithek_store_db_import_pack (db, data->pack, data->progress, data->progress_data,
                                      cancellable, &outcome, &error);
  if (!digithek_store_db_pragma (db, "PRAGMA cache_size = " G_STRINGIFY (READ_CACHE_KIB), NULL,
                                 NULL))
    g_warning ("%s: could not shrink the page cache after an import",
               digithek_store_db_get_path (db));
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, outcome);
}

void
digithek_store_import_pack_async (DigithekStore             *self,
                                  DigithekPack              *pack,
                                  DigithekStoreProgressFunc  progress,
                                  gpointer                   progress_data,
                                  GDestroyNotify             progress_destroy,
                                  GCancellable              *cancellable,
                                  GAsyncReadyCallback        callback,
                                  gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (DIGITHEK_IS_PACK (pack));

  task = digithek_store_task_new (self, digithek_store_import_pack_async, cancellable, callback,
                                  user_data);
  /* Report what happened to the database, even when cancelled after the commit. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (ImportData, 1);
  data->pack = g_object_ref (pack);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  digithek_store_queue (self, task, import_job);
}

gboolean
digithek_store_import_pack_finish (DigithekStore          *self,
                                   GAsyncResult           *result,
                                   DigithekImportOutcome  *out_outcome,
                                   GError                **error)
{
  GError *local_error = NULL;
  gssize outcome;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_import_pack_async, FALSE);

  outcome = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_outcome != NULL)
    *out_outcome = (DigithekImportOutcome) outcome;
  return TRUE;
}


/* ---- rollback ---- */

static gboolean
rollback_pack (DigithekStoreDb  *db,
               const char       *pack_id,
               GError          **error)
{
  gint64 active = 0, previous = 0;
  int rc;

  {
    g_autoptr(DigithekStoreStmt) stmt = digithek_store_db_statement (db,
        "SELECT version, state FROM packs WHERE id = ?1", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, pack_id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        if (g_str_equal ((const char *) sqlite3_column_text (stmt, 1), "active"))
          active = sqlite3_column_int64 (stmt, 0);
        else
          previous = sqlite3_column_int64 (stmt, 0);
      }
    if (rc != SQLITE_DONE)
      return digithek_store_db_set_error (db, rc, "reading pack versions", error);
  }

  if (active == 0)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND,
                   "pack %s is not installed", pack_id);
      return FALSE;
    }
  if (previous == 0)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NO_PREVIOUS,
                   "pack %s version %" G_GINT64_FORMAT " has no previous version to roll "
                   "back to", pack_id, active);
      return FALSE;
    }

  if (!digithek_store_db_delete_version (db, pack_id, active, error))
    return FALSE;
  {
    g_autoptr(DigithekStoreStmt) stmt = digithek_store_db_statement (db,
        "UPDATE packs SET state = 'active' WHERE id = ?1 AND version = ?2", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, pack_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, previous);
    if (!digithek_store_db_step_done (db, stmt, "activating the previous version", error))
      return FALSE;
  }
  return digithek_store_db_collect_assets (db, error);
}

static void
rollback_job (DigithekStoreDb *db,
              GTask           *task,
              gpointer         task_data,
              GCancellable    *cancellable)
{
  GError *error = NULL;

  if (!digithek_store_db_begin (db, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!rollback_pack (db, task_data, &error) || !digithek_store_db_commit (db, &error))
    {
      digithek_store_db_rollback (db);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
digithek_store_rollback_pack_async (DigithekStore       *self,
                                    const char          *pack_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (pack_id != NULL);

  task = digithek_store_task_new (self, digithek_store_rollback_pack_async, cancellable, callback,
                                  user_data);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_strdup (pack_id), g_free);
  digithek_store_queue (self, task, rollback_job);
}

gboolean
digithek_store_rollback_pack_finish (DigithekStore  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_rollback_pack_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}


/* ---- read plumbing ---- */

void
digithek_store_read_args_free (DigithekStoreReadArgs *args)
{
  g_free (args->a);
  g_free (args->b);
  g_free (args->c);
  g_free (args);
}

DigithekStoreReadArgs *
digithek_store_read_args_new (const char *a,
               const char *b,
               const char *c,
               guint       limit)
{
  DigithekStoreReadArgs *args = g_new0 (DigithekStoreReadArgs, 1);

  args->a = g_strdup (a);
  args->b = g_strdup (b);
  args->c = g_strdup (c);
  args->limit = limit;
  return args;
}

void
digithek_store_read_async (DigithekStore       *self,
                  gpointer             source_tag,
                  DigithekStoreJobFunc              func,
                  DigithekStoreReadArgs            *args,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = digithek_store_task_new (self, source_tag, cancellable, callback,
                                                   user_data);

  g_task_set_task_data (task, args, (GDestroyNotify) digithek_store_read_args_free);
  digithek_store_queue (self, task, func);
}

gpointer
digithek_store_read_finish (DigithekStore  *self,
                   GAsyncResult   *result,
                   gpointer        source_tag,
                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/* meta */

static void
get_meta_job (DigithekStoreDb *db,
              GTask           *task,
              gpointer         task_data,
              GCancellable    *cancellable)
{
  DigithekStoreReadArgs *args = task_data;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db, "SELECT value FROM meta WHERE key = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    g_task_return_pointer (task, digithek_store_column_strdup (stmt, 0), g_free);
  else if (rc == SQLITE_DONE)
    g_task_return_pointer (task, NULL, NULL);
  else
    RETURN_SQLITE_ERROR (db, task, rc, "reading meta");
}

void
digithek_store_get_meta_async (DigithekStore       *self,
                               const char          *key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (key != NULL);

  digithek_store_read_async (self, digithek_store_get_meta_async, get_meta_job,
                             digithek_store_read_args_new (key, NULL, NULL, 0), cancellable, callback, user_data);
}

char *
digithek_store_get_meta_finish (DigithekStore  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return digithek_store_read_finish (self, result, digithek_store_get_meta_async, error);
}


static void
set_meta_job (DigithekStoreDb *db,
              GTask           *task,
              gpointer         task_data,
              GCancellable    *cancellable)
{
  DigithekStoreReadArgs *args = task_data;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;

  if (args->b != NULL)
    stmt = digithek_store_db_statement (db,
        "INSERT INTO meta (key, value) VALUES (?1, ?2)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value", &error);
  else
    stmt = digithek_store_db_statement (db, "DELETE FROM meta WHERE key = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  if (args->b != NULL)
    sqlite3_bind_text (stmt, 2, args->b, -1, SQLITE_STATIC);
  if (!digithek_store_db_step_done (db, stmt, "writing meta", &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
digithek_store_set_meta_async (DigithekStore       *self,
                               const char          *key,
                               const char          *value,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (key != NULL);

  task = digithek_store_task_new (self, digithek_store_set_meta_async, cancellable, callback,
                                  user_data);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, digithek_store_read_args_new (key, value, NULL, 0),
                        (GDestroyNotify) digithek_store_read_args_free);
  digithek_store_queue (self, task, set_meta_job);
}

gboolean
digithek_store_set_meta_finish (DigithekStore  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_set_meta_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}


/* assets */

static void
has_asset_job (DigithekStoreDb *db,
               GTask           *task,
               gpointer         task_data,
               GCancellable    *cancellable)
{
  DigithekStoreReadArgs *args = task_data;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db, "SELECT 1 FROM assets WHERE sha256 = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    RETURN_SQLITE_ERROR (db, task, rc, "looking up an asset");
  g_task_return_boolean (task, rc == SQLITE_ROW);
}

void
digithek_store_has_asset_async (DigithekStore       *self,
                                const char          *sha256,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (sha256 != NULL);

  digithek_store_read_async (self, digithek_store_has_asset_async, has_asset_job,
                             digithek_store_read_args_new (sha256, NULL, NULL, 0), cancellable, callback, user_data);
}

gboolean
digithek_store_has_asset_finish (DigithekStore  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_has_asset_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}


static void
get_asset_job (DigithekStoreDb *db,
               GTask           *task,
               gpointer         task_data,
               GCancellable    *cancellable)
{
  DigithekStoreReadArgs *args = task_data;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db, "SELECT data FROM assets WHERE sha256 = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_task_return_new_error (task, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND,
                               "no asset %s in the store", args->a);
      return;
    }
  if (rc != SQLITE_ROW)
    RETURN_SQLITE_ERROR (db, task, rc, "reading an asset");
  g_task_return_pointer (task,
                         g_bytes_new (sqlite3_column_blob (stmt, 0),
                                      sqlite3_column_bytes (stmt, 0)),
                         (GDestroyNotify) g_bytes_unref);
}

void
digithek_store_get_asset_async (DigithekStore       *self,
                                const char          *sha256,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (sha256 != NULL);

  digithek_store_read_async (self, digithek_store_get_asset_async, get_asset_job,
                             digithek_store_read_args_new (sha256, NULL, NULL, 0), cancellable, callback, user_data);
}

GBytes *
digithek_store_get_asset_finish (DigithekStore  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return digithek_store_read_finish (self, result, digithek_store_get_asset_async, error);
}


