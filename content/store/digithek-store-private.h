/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The worker side of DigithekStore, shared by its files. Everything here runs
 * on the store's worker thread only, and asserts it. */

#include <sqlite3.h>

#include "digithek-store.h"

G_BEGIN_DECLS

typedef struct _DigithekStoreDb DigithekStoreDb;

/* A statement handed out by digithek_store_db_statement(); the cleanup resets it and
 * clears its bindings rather than finalizing it, so it stays prepared. */
typedef sqlite3_stmt DigithekStoreStmt;
void digithek_store_stmt_release (DigithekStoreStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekStoreStmt, digithek_store_stmt_release)

void          digithek_store_db_assert_thread (DigithekStoreDb  *db);
sqlite3      *digithek_store_db_get_handle    (DigithekStoreDb  *db);
const char   *digithek_store_db_get_path      (DigithekStoreDb  *db);

/* A cached statement prepared once with SQLITE_PREPARE_PERSISTENT. (transfer none) */
DigithekStoreStmt *digithek_store_db_statement (DigithekStoreDb  *db,
                                                const char       *sql,
                                                GError          **error);
gboolean      digithek_store_db_exec          (DigithekStoreDb  *db,
                                               const char       *sql,
                                               GError          **error);
/* Steps @stmt expecting SQLITE_DONE. */
gboolean      digithek_store_db_step_done     (DigithekStoreDb  *db,
                                               sqlite3_stmt     *stmt,
                                               const char       *what,
                                               GError          **error);
/* Sets @error from the connection's last error, naming @what; returns %FALSE. */
gboolean      digithek_store_db_set_error     (DigithekStoreDb  *db,
                                               int               rc,
                                               const char       *what,
                                               GError          **error);

gboolean      digithek_store_db_begin         (DigithekStoreDb  *db,
                                               GError          **error);
gboolean      digithek_store_db_commit        (DigithekStoreDb  *db,
                                               GError          **error);
/* Rolls back the open transaction, if sqlite has not already done so. */
void          digithek_store_db_rollback      (DigithekStoreDb  *db);

/* Deletes one version of a pack with its items, texts, datasets (their tables) and
 * asset references; call digithek_store_db_collect_assets() afterwards. */
gboolean      digithek_store_db_delete_version (DigithekStoreDb *db,
                                                const char      *pack_id,
                                                gint64           version,
                                                GError         **error);
/* Deletes assets no pack version refers to any more. */
gboolean      digithek_store_db_collect_assets (DigithekStoreDb *db,
                                                GError         **error);


/* ---- the worker (digithek-store-db.c) ---- */

/* sqlite page cache sizes, in KiB when negative (PRAGMA cache_size). */
#define READ_CACHE_KIB   -4096
#define IMPORT_CACHE_KIB -32768

/* A job runs on the worker with the task's data and cancellable, and returns the task. */
typedef void (*DigithekStoreJobFunc) (DigithekStoreDb *db,
                                      GTask           *task,
                                      gpointer         task_data,
                                      GCancellable    *cancellable);

typedef struct
{
  DigithekStoreJobFunc  func;   /* %NULL: quit */
  GTask                *task;
  gboolean              opens;  /* the open job: runs before the database is */
} DigithekStoreJob;

typedef struct
{
  gboolean was_reset;
  char    *broken_path;
} DigithekStoreOpenResult;

/* Starts the worker thread, which pops jobs from @queue until a job without a function;
 * the worker owns the returned connection and frees it when it exits. */
DigithekStoreDb *digithek_store_db_start (const char               *path,
                                          GAsyncQueue              *queue,
                                          GThread                 **out_thread);
/* Opens the database (check, move aside, WAL, migrations). */
gboolean      digithek_store_db_open          (DigithekStoreDb          *db,
                                               DigithekStoreOpenResult  *result,
                                               GError                  **error);
/* Runs a PRAGMA and, when @expected is given, checks that its one result is that. */
gboolean      digithek_store_db_pragma        (DigithekStoreDb  *db,
                                               const char       *sql,
                                               const char       *expected,
                                               GError          **error);

/* ---- the object's side: queueing jobs (digithek-store.c) ---- */

/* Returns: (transfer full): a task with @source_tag */
GTask        *digithek_store_task_new         (DigithekStore        *self,
                                               gpointer              source_tag,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
/* Queues @func for @task on the worker (or fails the task when the store is closed). */
void          digithek_store_queue            (DigithekStore        *self,
                                               GTask                *task,
                                               DigithekStoreJobFunc  func);

/* Read jobs share one shape of task data. */
typedef struct
{
  char *a;
  char *b;
  char *c;
  guint limit;
} DigithekStoreReadArgs;

DigithekStoreReadArgs *digithek_store_read_args_new (const char *a,
                                                     const char *b,
                                                     const char *c,
                                                     guint       limit);
void          digithek_store_read_args_free   (DigithekStoreReadArgs *args);
/* Queues a read job taking @args; its finish returns the pointer the job returned. */
void          digithek_store_read_async       (DigithekStore         *self,
                                               gpointer               source_tag,
                                               DigithekStoreJobFunc   func,
                                               DigithekStoreReadArgs *args,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gpointer      digithek_store_read_finish      (DigithekStore         *self,
                                               GAsyncResult          *result,
                                               gpointer               source_tag,
                                               GError               **error);

/* Fails @task with the connection's last error and returns from the job. */
#define RETURN_SQLITE_ERROR(db, task, rc, what) \
  G_STMT_START { \
    GError *e_ = NULL; \
    digithek_store_db_set_error ((db), (rc), (what), &e_); \
    g_task_return_error ((task), e_); \
    return; \
  } G_STMT_END

/* ---- row helpers (digithek-store-read.c) ---- */

/* (transfer full) (nullable) */
char            *digithek_store_column_strdup (sqlite3_stmt *stmt,
                                               int           column);
DigithekItemKind digithek_store_column_kind   (sqlite3_stmt *stmt,
                                               int           column);
/* A JSON array of strings as a vector; empty when @json is none. (transfer full) */
GStrv            digithek_store_json_to_strv  (const char   *json);

/* ---- the importer (digithek-store-import.c) ---- */

/**
 * digithek_store_db_import_pack:
 * @pack: a loaded, validated pack
 * @progress: (nullable): runs on the worker thread every few hundred dataset rows
 * @cancellable: (nullable): checked between files and every few hundred rows
 * @out_outcome: (out) (optional): installed, or unchanged (same version already active)
 *
 * The importer (digithek-store-import.c): imports @pack's version in one transaction;
 * on failure everything is rolled back.
 */
gboolean      digithek_store_db_import_pack    (DigithekStoreDb            *db,
                                                DigithekPack               *pack,
                                                DigithekStoreProgressFunc   progress,
                                                gpointer                    progress_data,
                                                GCancellable               *cancellable,
                                                DigithekImportOutcome      *out_outcome,
                                                GError                    **error);

G_END_DECLS
