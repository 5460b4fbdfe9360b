/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "digithek-pack.h"
#include "digithek-store.h"

G_BEGIN_DECLS

typedef struct _DigithekStoreDb DigithekStoreDb;

#define DIGITHEK_TYPE_IMPORTER (digithek_importer_get_type ())
G_DECLARE_FINAL_TYPE (DigithekImporter, digithek_importer, DIGITHEK, IMPORTER, GObject)

/**
 * digithek_importer_new:
 * @db: the store's worker-side connection (see digithek-store-private.h)
 * @pack: a loaded, validated pack
 *
 * An importer of one pack version. Create and run it on the store's worker thread;
 * DigithekStore does this for digithek_store_import_pack_async().
 *
 * Returns: (transfer full): the importer
 */
DigithekImporter *digithek_importer_new          (DigithekStoreDb           *db,
                                                  DigithekPack              *pack);
/* @func runs on the worker thread every few hundred dataset rows. */
void              digithek_importer_set_progress (DigithekImporter          *self,
                                                  DigithekStoreProgressFunc  func,
                                                  gpointer                   user_data);

/**
 * digithek_importer_run:
 * @cancellable: (nullable): checked between files and every few hundred rows
 * @out_outcome: (out) (optional): installed, or unchanged (same version already active)
 *
 * Imports the pack in one transaction; on failure everything is rolled back.
 *
 * Returns: %TRUE on success
 */
gboolean          digithek_importer_run          (DigithekImporter          *self,
                                                  GCancellable              *cancellable,
                                                  DigithekImportOutcome     *out_outcome,
                                                  GError                   **error);
/* Dataset rows written by the last run. */
guint64           digithek_importer_get_n_rows   (DigithekImporter          *self);

G_END_DECLS
