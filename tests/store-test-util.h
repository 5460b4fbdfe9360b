/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Helpers shared by the store, importer, search and view tests: small packs written into
 * a temporary folder, a byte-exact dump of a database for atomicity checks, and the
 * store's jobs run one at a time and waited for (a test is a headless caller: see
 * digithek-store-wait.h). */

#include "digithek-pack.h"
#include "digithek-store.h"

G_BEGIN_DECLS

char          *tu_make_tmpdir   (void);
void           tu_rm_rf         (const char *path);
void           tu_write         (const char *dir,
                                 const char *relative,
                                 const char *contents,
                                 gssize      length);
void           tu_copy_realdata (const char *dir,
                                 const char *relative,
                                 const char *realdata_file);
DigithekPack  *tu_load_pack     (const char *dir);
DigithekStore *tu_open_store    (const char *path);
/* The air-quality style CSV used by most tests. */
char          *tu_make_csv      (guint       n_rows,
                                 gint64      version);
void           tu_write_pack    (const char *dir,
                                 const char *pack_id,
                                 gint64      version,
                                 guint       n_rows);
/* Every table's schema and content, rows sorted: equal dumps, equal data. */
char          *tu_dump          (const char *db_path);

/* The store's operations, each run and waited for; arguments as the _async ones. */
DigithekStore        *tu_store_new           (const char *path, GCancellable *cancellable,
                                              GError **error);
gboolean              tu_store_import_pack   (DigithekStore *store, DigithekPack *pack,
                                              DigithekStoreProgressFunc progress,
                                              gpointer progress_data,
                                              DigithekImportOutcome *out_outcome,
                                              GCancellable *cancellable, GError **error);
gboolean              tu_store_rollback_pack (DigithekStore *store, const char *pack_id,
                                              GCancellable *cancellable, GError **error);
GPtrArray            *tu_store_list_packs    (DigithekStore *store, const char *language,
                                              GCancellable *cancellable, GError **error);
GPtrArray            *tu_store_list_items    (DigithekStore *store, const char *language,
                                              GCancellable *cancellable, GError **error);
GPtrArray            *tu_store_list_home     (DigithekStore *store, const char *language,
                                              guint per_kind, GCancellable *cancellable,
                                              GError **error);
DigithekStoreItem    *tu_store_get_item      (DigithekStore *store, const char *pack_id,
                                              const char *item_id, const char *language,
                                              GCancellable *cancellable, GError **error);
DigithekStoreDataset *tu_store_get_dataset   (DigithekStore *store, const char *pack_id,
                                              const char *item_id,
                                              GCancellable *cancellable, GError **error);
GPtrArray            *tu_store_search        (DigithekStore *store, const char *query,
                                              const char *language, guint limit,
                                              GCancellable *cancellable, GError **error);
char                 *tu_store_get_meta      (DigithekStore *store, const char *key,
                                              GCancellable *cancellable, GError **error);
gboolean              tu_store_set_meta      (DigithekStore *store, const char *key,
                                              const char *value, GCancellable *cancellable,
                                              GError **error);
gboolean              tu_store_has_asset     (DigithekStore *store, const char *sha256,
                                              GCancellable *cancellable, GError **error);
GBytes               *tu_store_get_asset     (DigithekStore *store, const char *sha256,
                                              GCancellable *cancellable, GError **error);

G_END_DECLS
