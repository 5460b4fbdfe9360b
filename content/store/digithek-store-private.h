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
