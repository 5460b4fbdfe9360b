/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The importer's shared parts: digithek-store-import.c runs one import (assets, items,
 * the transaction), digithek-store-import-dataset.c writes a dataset's rows. Worker
 * thread only. */

#include <json-glib/json-glib.h>

#include "digithek-store-private.h"

G_BEGIN_DECLS

/* How often (in rows) the cancellable is checked and progress reported. */
#define PROGRESS_INTERVAL 128

/* Small files (Markdown) are kept for the import's duration: several languages may fall
 * back to the same one. */
#define CACHE_LIMIT (256 * 1024)

/* One import: the pack being written and what this run stored so far. Lives on the
 * worker's stack for the duration of digithek_store_db_import_pack(). */
typedef struct
{
  /* borrowed */
  DigithekStoreDb           *db;
  DigithekPack              *pack;
  GCancellable              *cancellable;
  DigithekStoreProgressFunc  progress;
  gpointer                   progress_data;

  /* owned */
  char         *pack_id;
  gint64        version;
  GHashTable   *shas;    /* relative path → sha256 of what this run stored */
  GHashTable   *cache;   /* relative path → GBytes, small files only */
  guint64       n_rows;
} DigithekStoreImport;

gboolean digithek_store_import_set_invalid (GError     **error,
                                            const char  *format,
                                            ...) G_GNUC_PRINTF (2, 3);

/* SHA-256 of a file computed beside the import, on a helper thread for big files. */
typedef struct _DigithekStoreHashJob DigithekStoreHashJob;
DigithekStoreHashJob *digithek_store_hash_job_start  (GBytes               *bytes);
/* Waits for the hash. (transfer full) */
char                 *digithek_store_hash_job_finish (DigithekStoreHashJob *job);
void                  digithek_store_hash_job_free   (DigithekStoreHashJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekStoreHashJob, digithek_store_hash_job_free)

/* Stores @bytes of @path (relative to the pack) as an asset, once per run; takes
 * @sha256_owned when it is known. @out_sha256: (transfer none). */
gboolean digithek_store_import_store_file        (DigithekStoreImport  *self,
                                                  const char           *path,
                                                  GBytes               *bytes,
                                                  char                 *sha256_owned,
                                                  const char          **out_sha256,
                                                  GError              **error);
/* The item's manifest object with its paths replaced by the stored assets' SHA-256.
 * (transfer full) */
char    *digithek_store_import_item_manifest_json (DigithekStoreImport *self,
                                                  JsonArray           *items,
                                                  const char          *item_id);

/* Writes a dataset item's rows into a table of their own and records the dataset. */
gboolean digithek_store_import_dataset           (DigithekStoreImport   *self,
                                                  gint64                 item_rowid,
                                                  DigithekPackItem      *item,
                                                  GBytes                *csv_bytes,
                                                  DigithekStoreHashJob  *csv_hash,
                                                  const char            *sha256,
                                                  JsonArray             *manifest_items,
                                                  const char            *manifest,
                                                  GError               **error);

G_END_DECLS
