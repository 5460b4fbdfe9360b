/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "digithek-pack.h"

G_BEGIN_DECLS

#define DIGITHEK_STORE_ERROR (digithek_store_error_quark ())

typedef enum
{
  DIGITHEK_STORE_ERROR_FAILED,        /* sqlite reported an error; the message says where */
  DIGITHEK_STORE_ERROR_CLOSED,        /* the store was closed */
  DIGITHEK_STORE_ERROR_SCHEMA,        /* the database was written by a newer schema */
  DIGITHEK_STORE_ERROR_NOT_FOUND,     /* no such pack, item, dataset or asset */
  DIGITHEK_STORE_ERROR_OLDER_VERSION, /* a pack version lower than the installed one */
  DIGITHEK_STORE_ERROR_NO_PREVIOUS,   /* rollback without a previous version */
  DIGITHEK_STORE_ERROR_INVALID_DATA,  /* a pack's file does not hold what its manifest says */
} DigithekStoreError;

GQuark digithek_store_error_quark (void);

/* The schema version this build writes (`PRAGMA user_version`). */
#define DIGITHEK_STORE_SCHEMA_VERSION 4

/* Datasets keep at most this many columns (chart columns first). */
#define DIGITHEK_STORE_MAX_COLUMNS 64

typedef enum
{
  DIGITHEK_IMPORT_INSTALLED, /* the version is now active */
  DIGITHEK_IMPORT_UNCHANGED, /* that version was already active: nothing was done */
} DigithekImportOutcome;

/**
 * DigithekStoreProgressFunc:
 * @rows: dataset rows imported so far in this import
 * @user_data: the data given with the function
 *
 * Called on the store's worker thread during an import, every few hundred rows. It may
 * cancel the import's #GCancellable; it must not call into the store.
 */
typedef void (*DigithekStoreProgressFunc) (guint64  rows,
                                           gpointer user_data);

/* ---- results; each has a free function and a g_autoptr cleanup ---- */

typedef struct
{
  char   *id;
  gint64  version;
  gint64  previous_version; /* 0 when there is none */
  guint   n_items;
  guint64 n_rows;           /* dataset rows stored for the active version */
  char   *title;            /* in the requested language, or the pack's first one */
  GStrv   languages;        /* fallback first */
  char   *publisher;        /* nullable */
} DigithekStorePackInfo;

typedef struct
{
  char            *pack_id;
  char            *item_id;
  DigithekItemKind kind;
  char            *title;
  char            *summary;       /* nullable */
  char            *image_sha256;  /* nullable */
  gint64           freshness;     /* datasets with a time axis: the last time, unix
                                     seconds; otherwise 0 */
} DigithekStoreItemInfo;

typedef struct
{
  char            *pack_id;
  gint64           pack_version;
  char            *item_id;
  DigithekItemKind kind;
  char            *language;      /* the language asked for when the pack has it, else
                                     the pack's first; missing texts fell back to it */
  char            *title;
  char            *summary;       /* nullable */
  char            *body;          /* nullable: explainer/guide Markdown, for search */
  char            *manifest_json; /* the item's manifest object, paths replaced by the
                                     assets' SHA-256 (lower-case hex) */
} DigithekStoreItem;

typedef enum
{
  DIGITHEK_STORE_COLUMN_TIME,     /* numbers: unix seconds */
  DIGITHEK_STORE_COLUMN_YEAR,     /* numbers: the year */
  DIGITHEK_STORE_COLUMN_NUMBER,   /* numbers */
  DIGITHEK_STORE_COLUMN_TEXT,     /* texts (also category axes) */
} DigithekStoreColumnKind;

typedef struct
{
  char                   *name;
  DigithekStoreColumnKind kind;
  /* Exactly one is set, with n_rows entries: numbers (NAN = missing) for time, year
   * and number columns; texts (%NULL = missing) for text columns. */
  double                 *numbers;
  char                  **texts;
} DigithekStoreColumn;

typedef struct
{
  char                *pack_id;
  char                *item_id;
  char                *chart_type;  /* "line" or "bar" */
  char                *unit;        /* nullable */
  DigithekCsvXKind     x_kind;
  guint                x_column;    /* index into columns: always 0 */
  guint                n_y;         /* columns 1 … n_y are the chart's y series */
  guint                n_columns;
  DigithekStoreColumn *columns;
  guint64              n_rows;
  gint64               last_time;   /* time axes: the latest time, else 0 */
} DigithekStoreDataset;

typedef struct
{
  char            *pack_id;
  char            *item_id;
  DigithekItemKind kind;
  char            *title;
  double           rank;          /* the hit's place in the results, from 0 */
  char            *summary;       /* nullable */
} DigithekStoreSearchHit;

void digithek_store_pack_info_free  (DigithekStorePackInfo  *info);
void digithek_store_item_info_free  (DigithekStoreItemInfo  *info);
void digithek_store_item_free       (DigithekStoreItem      *item);
void digithek_store_dataset_free    (DigithekStoreDataset   *dataset);
void digithek_store_search_hit_free (DigithekStoreSearchHit *hit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekStorePackInfo, digithek_store_pack_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekStoreItemInfo, digithek_store_item_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekStoreItem, digithek_store_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekStoreDataset, digithek_store_dataset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekStoreSearchHit, digithek_store_search_hit_free)

/* ---- the store ----
 *
 * All database work runs on the store's one worker thread; every operation is an
 * _async/_finish pair whose callback comes back to the caller's thread-default main
 * context. There is no blocking variant: the kiosk's main thread never waits on the
 * store. A headless caller (the command line, a thread of its own, a test) waits with
 * the private digithek-store-wait.h. */

#define DIGITHEK_TYPE_STORE (digithek_store_get_type ())
G_DECLARE_FINAL_TYPE (DigithekStore, digithek_store, DIGITHEK, STORE, GObject)

/**
 * digithek_store_new_async:
 * @path: the database file; created when missing
 *
 * Starts the store's worker thread and opens @path on it: `PRAGMA quick_check`, WAL,
 * schema migrations. A file that fails the check (or is no database) is moved aside to
 * `PATH.broken-YYYYMMDDTHHMMSS`, never deleted, and the store starts empty (see
 * digithek_store_was_reset()).
 */
void           digithek_store_new_async        (const char           *path,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/* Returns: (transfer full): the store, or %NULL with @error set. */
DigithekStore *digithek_store_new_finish       (GAsyncResult         *result,
                                                GError              **error);

const char    *digithek_store_get_path         (DigithekStore        *self);
/* %TRUE when opening found a broken file and moved it aside. */
gboolean       digithek_store_was_reset        (DigithekStore        *self);
/* (nullable): where the broken file went, when digithek_store_was_reset(). */
const char    *digithek_store_get_broken_path  (DigithekStore        *self);

/**
 * digithek_store_close:
 *
 * Finishes the jobs already queued, closes the database and joins the worker thread.
 * Later calls fail with %DIGITHEK_STORE_ERROR_CLOSED. Finalizing the store closes it too.
 */
void           digithek_store_close            (DigithekStore        *self);

/**
 * digithek_store_import_pack_async:
 * @pack: a loaded (validated) pack
 * @progress: (nullable) (scope notified): see #DigithekStoreProgressFunc; runs on the
 *   worker thread
 *
 * Imports @pack's version in one transaction: on any failure (bad data, I/O error,
 * cancellation, full disk) the store stays exactly as it was. The active version of
 * the pack becomes the previous one; the old previous one is deleted. The same version
 * again is a no-op (%DIGITHEK_IMPORT_UNCHANGED); a lower one fails with
 * %DIGITHEK_STORE_ERROR_OLDER_VERSION.
 */
void     digithek_store_import_pack_async  (DigithekStore              *self,
                                            DigithekPack               *pack,
                                            DigithekStoreProgressFunc   progress,
                                            gpointer                    progress_data,
                                            GDestroyNotify              progress_destroy,
                                            GCancellable               *cancellable,
                                            GAsyncReadyCallback         callback,
                                            gpointer                    user_data);
gboolean digithek_store_import_pack_finish (DigithekStore              *self,
                                            GAsyncResult               *result,
                                            DigithekImportOutcome      *out_outcome,
                                            GError                    **error);

/**
 * digithek_store_rollback_pack_async:
 * @pack_id: an installed pack
 *
 * Staff rollback: the previous version becomes active again and the active one is
 * removed (its assets are freed unless another version uses them).
 */
void     digithek_store_rollback_pack_async  (DigithekStore        *self,
                                              const char           *pack_id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean digithek_store_rollback_pack_finish (DigithekStore        *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/**
 * digithek_store_list_packs_async:
 * @language: (nullable): language of the titles; %NULL for each pack's first one
 *
 * The installed packs, by id, each with its active version.
 * Finish returns: (transfer full) (element-type DigithekStorePackInfo): the packs
 */
void       digithek_store_list_packs_async  (DigithekStore        *self,
                                             const char           *language,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray *digithek_store_list_packs_finish (DigithekStore        *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/**
 * digithek_store_list_items_async:
 * @language: wanted language; texts fall back to each pack's first language
 *
 * The items of every active pack version, by pack id, then in manifest order.
 * Finish returns: (transfer full) (element-type DigithekStoreItemInfo): the items
 */
void       digithek_store_list_items_async  (DigithekStore        *self,
                                             const char           *language,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray *digithek_store_list_items_finish (DigithekStore        *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/**
 * digithek_store_list_home_async:
 * @language: wanted language; texts fall back to each pack's first language
 * @per_kind: how many items of each kind to list in full
 *
 * What the home view needs to start: every item of digithek_store_list_items(), in
 * the same order, but only the first @per_kind of each kind in full. The others are
 * placeholders that carry their kind and nothing else (pack_id, item_id and the texts
 * are %NULL; see digithek_store_item_info_is_placeholder()): enough to count them, and
 * cheap, so that a store of thousands of items lists in a millisecond or two. Fetch
 * the full listing when they are needed.
 * Finish returns: (transfer full) (element-type DigithekStoreItemInfo): the items
 */
void       digithek_store_list_home_async   (DigithekStore        *self,
                                             const char           *language,
                                             guint                 per_kind,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray *digithek_store_list_home_finish  (DigithekStore        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* %TRUE for an item digithek_store_list_home_async() listed without its texts. */
static inline gboolean
digithek_store_item_info_is_placeholder (const DigithekStoreItemInfo *info)
{
  return info->item_id == NULL;
}

/* An active item with its texts in @language (falling back to the pack's first one).
 * Returns: (transfer full): the item, or %NULL with %DIGITHEK_STORE_ERROR_NOT_FOUND. */
void               digithek_store_get_item_async  (DigithekStore        *self,
                                                   const char           *pack_id,
                                                   const char           *item_id,
                                                   const char           *language,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
DigithekStoreItem *digithek_store_get_item_finish (DigithekStore        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* The rows of an active dataset item, by column: the x column first, then the chart's
 * y columns, then the others stored.
 * Returns: (transfer full): the dataset, or %NULL with %DIGITHEK_STORE_ERROR_NOT_FOUND. */
void                  digithek_store_get_dataset_async  (DigithekStore        *self,
                                                         const char           *pack_id,
                                                         const char           *item_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
DigithekStoreDataset *digithek_store_get_dataset_finish (DigithekStore        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/**
 * digithek_store_search_async:
 * @query: words as typed; each matches as a prefix, all must match
 * @language: texts searched and returned (falling back to the pack's first language)
 * @limit: most hits returned
 *
 * Full-text search over the titles, summaries and bodies of active items, best first:
 * items with every word in their titles, then in titles and summaries, then those
 * where some word is found only in the body; each group ranked by bm25. Words shorter than three
 * characters match titles and summaries only. An empty query (no letter or digit)
 * finds nothing; no input is ever read as FTS5 syntax.
 * Finish returns: (transfer full) (element-type DigithekStoreSearchHit): the hits
 */
void       digithek_store_search_async  (DigithekStore        *self,
                                         const char           *query,
                                         const char           *language,
                                         guint                 limit,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GPtrArray *digithek_store_search_finish (DigithekStore        *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* Key/value state (sync: last serial per channel, last sync time/ok/error).
 * get returns: (transfer full) (nullable): the value, %NULL when unset (no error).
 * set with a %NULL @value removes the key. */
void     digithek_store_get_meta_async  (DigithekStore        *self,
                                         const char           *key,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char    *digithek_store_get_meta_finish (DigithekStore        *self,
                                         GAsyncResult         *result,
                                         GError              **error);
void     digithek_store_set_meta_async  (DigithekStore        *self,
                                         const char           *key,
                                         const char           *value,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean digithek_store_set_meta_finish (DigithekStore        *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* Assets by SHA-256 (lower-case hex). has: %FALSE without error when absent.
 * get returns: (transfer full): the bytes, or %NULL with %DIGITHEK_STORE_ERROR_NOT_FOUND. */
void     digithek_store_has_asset_async  (DigithekStore        *self,
                                          const char           *sha256,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean digithek_store_has_asset_finish (DigithekStore        *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void     digithek_store_get_asset_async  (DigithekStore        *self,
                                          const char           *sha256,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GBytes  *digithek_store_get_asset_finish (DigithekStore        *self,
                                          GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
