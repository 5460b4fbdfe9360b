/* SPDX-License-Identifier: GPL-3.0-or-later */

/* DigithekStore's reads: packs, items, the home listing, one item, a dataset's rows. */

#include "config.h"

#include <math.h>

#include <json-glib/json-glib.h>

#include "digithek-store-private.h"

/* ---- reads ---- */

char *
digithek_store_column_strdup (sqlite3_stmt *stmt,
               int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

DigithekItemKind
digithek_store_column_kind (sqlite3_stmt *stmt,
             int           column)
{
  DigithekItemKind kind = DIGITHEK_ITEM_DATASET;

  if (!digithek_item_kind_from_string ((const char *) sqlite3_column_text (stmt, column), &kind))
    g_debug ("unknown item kind “%s” in the store", sqlite3_column_text (stmt, column));
  return kind;
}

GStrv
digithek_store_json_to_strv (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *root;

  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *s = json_array_get_string_element (array, i);

          if (s != NULL)
            g_strv_builder_add (builder, s);
        }
    }
  return g_strv_builder_end (builder);
}

void
digithek_store_pack_info_free (DigithekStorePackInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->title);
  g_strfreev (info->languages);
  g_free (info->publisher);
  g_free (info);
}

void
digithek_store_item_info_free (DigithekStoreItemInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->pack_id);
  g_free (info->item_id);
  g_free (info->title);
  g_free (info->summary);
  g_free (info->image_sha256);
  g_free (info);
}

void
digithek_store_item_free (DigithekStoreItem *item)
{
  if (item == NULL)
    return;
  g_free (item->pack_id);
  g_free (item->item_id);
  g_free (item->language);
  g_free (item->title);
  g_free (item->summary);
  g_free (item->body);
  g_free (item->manifest_json);
  g_free (item);
}

void
digithek_store_dataset_free (DigithekStoreDataset *dataset)
{
  if (dataset == NULL)
    return;
  for (guint i = 0; i < dataset->n_columns; i++)
    {
      DigithekStoreColumn *column = &dataset->columns[i];

      g_free (column->name);
      g_free (column->numbers);
      if (column->texts != NULL)
        for (guint64 r = 0; r < dataset->n_rows; r++)
          g_free (column->texts[r]);
      g_free (column->texts);
    }
  g_free (dataset->columns);
  g_free (dataset->pack_id);
  g_free (dataset->item_id);
  g_free (dataset->chart_type);
  g_free (dataset->unit);
  g_free (dataset);
}

void
digithek_store_search_hit_free (DigithekStoreSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->pack_id);
  g_free (hit->item_id);
  g_free (hit->title);
  g_free (hit->summary);
  g_free (hit);
}

/* list packs */

static void
list_packs_job (DigithekStoreDb *db,
                GTask           *task,
                gpointer         task_data,
                GCancellable    *cancellable)
{
  DigithekStoreReadArgs *args = task_data;
  g_autoptr(GPtrArray) packs = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_store_pack_info_free);
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db,
      "SELECT p.id, p.version,"
      " coalesce ((SELECT q.version FROM packs q WHERE q.id = p.id AND q.state = 'previous'), 0),"
      " (SELECT count (*) FROM items i WHERE i.pack_id = p.id AND i.pack_version = p.version),"
      " (SELECT coalesce (sum (d.n_rows), 0) FROM datasets d JOIN items i ON i.id = d.item"
      "   WHERE i.pack_id = p.id AND i.pack_version = p.version),"
      " coalesce (json_extract (p.title, '$.\"' || ?1 || '\"'),"
      "           json_extract (p.title, '$.\"' || p.fallback || '\"')),"
      " p.languages, p.publisher"
      " FROM packs p WHERE p.state = 'active' ORDER BY p.id", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A language with a quote in it can only miss; keep it out of the JSON path. */
  if (args->a != NULL && strchr (args->a, '"') == NULL)
    sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DigithekStorePackInfo *info = g_new0 (DigithekStorePackInfo, 1);

      info->id = digithek_store_column_strdup (stmt, 0);
      info->version = sqlite3_column_int64 (stmt, 1);
      info->previous_version = sqlite3_column_int64 (stmt, 2);
      info->n_items = sqlite3_column_int (stmt, 3);
      info->n_rows = sqlite3_column_int64 (stmt, 4);
      info->title = digithek_store_column_strdup (stmt, 5);
      info->languages = digithek_store_json_to_strv ((const char *) sqlite3_column_text (stmt, 6));
      info->publisher = digithek_store_column_strdup (stmt, 7);
      g_ptr_array_add (packs, info);
    }
  if (rc != SQLITE_DONE)
    RETURN_SQLITE_ERROR (db, task, rc, "listing packs");
  g_task_return_pointer (task, g_steal_pointer (&packs), (GDestroyNotify) g_ptr_array_unref);
}

void
digithek_store_list_packs_async (DigithekStore       *self,
                                 const char          *language,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));

  digithek_store_read_async (self, digithek_store_list_packs_async, list_packs_job,
                             digithek_store_read_args_new (language, NULL, NULL, 0), cancellable, callback, user_data);
}

GPtrArray *
digithek_store_list_packs_finish (DigithekStore  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return digithek_store_read_finish (self, result, digithek_store_list_packs_async, error);
}


/* list items */

static void
list_items_job (DigithekStoreDb *db,
                GTask           *task,
                gpointer         task_data,
                GCancellable    *cancellable)
{
  DigithekStoreReadArgs *args = task_data;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_store_item_info_free);
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db,
      "SELECT i.pack_id, i.item_id, i.kind,"
      " coalesce (t.title, f.title), CASE WHEN t.id IS NULL THEN f.summary ELSE t.summary END,"
      " i.image, coalesce (d.last_time, 0)"
      " FROM packs p"
      " JOIN items i ON i.pack_id = p.id AND i.pack_version = p.version"
      " LEFT JOIN item_texts t ON t.item = i.id AND t.language = ?1"
      " LEFT JOIN item_texts f ON f.item = i.id AND f.language = p.fallback"
      " LEFT JOIN datasets d ON d.item = i.id"
      " WHERE p.state = 'active'"
      " ORDER BY p.id, i.position", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DigithekStoreItemInfo *info = g_new0 (DigithekStoreItemInfo, 1);

      info->pack_id = digithek_store_column_strdup (stmt, 0);
      info->item_id = digithek_store_column_strdup (stmt, 1);
      info->kind = digithek_store_column_kind (stmt, 2);
      info->title = digithek_store_column_strdup (stmt, 3);
      info->summary = digithek_store_column_strdup (stmt, 4);
      info->image_sha256 = digithek_store_column_strdup (stmt, 5);
      info->freshness = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (items, info);
    }
  if (rc != SQLITE_DONE)
    RETURN_SQLITE_ERROR (db, task, rc, "listing items");
  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

void
digithek_store_list_items_async (DigithekStore       *self,
                                 const char          *language,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (language != NULL);

  digithek_store_read_async (self, digithek_store_list_items_async, list_items_job,
                             digithek_store_read_args_new (language, NULL, NULL, 0), cancellable, callback, user_data);
}

GPtrArray *
digithek_store_list_items_finish (DigithekStore  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return digithek_store_read_finish (self, result, digithek_store_list_items_async, error);
}


/* list home */

/* The home's listing: one cheap scan for every item's kind in display order, and the
 * texts only for the first @limit of each kind (what the home shows first). Ten
 * thousand items cost ten thousand small allocations here, on the worker, and a handful
 * of text lookups, rather than ten thousand joined rows and five strings each. */
static void
list_home_job (DigithekStoreDb *db,
               GTask           *task,
               gpointer         task_data,
               GCancellable    *cancellable)
{
  DigithekStoreReadArgs *args = task_data;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_store_item_info_free);
  g_autoptr(DigithekStoreStmt) scan = NULL;
  DigithekStoreStmt *texts = NULL;
  guint n_full[DIGITHEK_ITEM_TOUR + 1] = { 0, };
  GError *error = NULL;
  int rc;

  scan = digithek_store_db_statement (db,
      "SELECT i.id, i.kind"
      " FROM packs p"
      " JOIN items i ON i.pack_id = p.id AND i.pack_version = p.version"
      " WHERE p.state = 'active'"
      " ORDER BY p.id, i.position", &error);
  if (scan != NULL)
    texts = digithek_store_db_statement (db,
        "SELECT i.pack_id, i.item_id,"
        " coalesce (t.title, f.title), CASE WHEN t.id IS NULL THEN f.summary ELSE t.summary END,"
        " i.image, coalesce (d.last_time, 0)"
        " FROM items i"
        " JOIN packs p ON p.id = i.pack_id AND p.version = i.pack_version"
        " LEFT JOIN item_texts t ON t.item = i.id AND t.language = ?2"
        " LEFT JOIN item_texts f ON f.item = i.id AND f.language = p.fallback"
        " LEFT JOIN datasets d ON d.item = i.id"
        " WHERE i.id = ?1", &error);
  if (scan == NULL || texts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  while ((rc = sqlite3_step (scan)) == SQLITE_ROW)
    {
      DigithekStoreItemInfo *info = g_new0 (DigithekStoreItemInfo, 1);

      info->kind = digithek_store_column_kind (scan, 1);
      g_ptr_array_add (items, info);
      if ((guint) info->kind >= G_N_ELEMENTS (n_full) || n_full[info->kind] >= args->limit)
        continue;
      n_full[info->kind]++;

      sqlite3_bind_int64 (texts, 1, sqlite3_column_int64 (scan, 0));
      sqlite3_bind_text (texts, 2, args->a, -1, SQLITE_STATIC);
      rc = sqlite3_step (texts);
      if (rc == SQLITE_ROW)
        {
          info->pack_id = digithek_store_column_strdup (texts, 0);
          info->item_id = digithek_store_column_strdup (texts, 1);
          info->title = digithek_store_column_strdup (texts, 2);
          info->summary = digithek_store_column_strdup (texts, 3);
          info->image_sha256 = digithek_store_column_strdup (texts, 4);
          info->freshness = sqlite3_column_int64 (texts, 5);
        }
      digithek_store_stmt_release (texts);
      if (rc != SQLITE_ROW)
        RETURN_SQLITE_ERROR (db, task, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "listing the home");
    }
  if (rc != SQLITE_DONE)
    RETURN_SQLITE_ERROR (db, task, rc, "listing the home");
  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

void
digithek_store_list_home_async (DigithekStore       *self,
                                const char          *language,
                                guint                per_kind,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (language != NULL);

  digithek_store_read_async (self, digithek_store_list_home_async, list_home_job,
                             digithek_store_read_args_new (language, NULL, NULL, per_kind), cancellable, callback,
                             user_data);
}

GPtrArray *
digithek_store_list_home_finish (DigithekStore  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return digithek_store_read_finish (self, result, digithek_store_list_home_async, error);
}


/* get item */

static void
get_item_job (DigithekStoreDb *db,
              GTask           *task,
              gpointer         task_data,
              GCancellable    *cancellable)
{
  DigithekStoreReadArgs *args = task_data;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  DigithekStoreItem *item;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db,
      "SELECT i.pack_id, i.pack_version, i.item_id, i.kind, t.language, t.title, t.summary,"
      " t.body, i.manifest"
      " FROM packs p"
      " JOIN items i ON i.pack_id = p.id AND i.pack_version = p.version"
      " JOIN item_texts t ON t.item = i.id"
      " WHERE p.state = 'active' AND p.id = ?1 AND i.item_id = ?2"
      "   AND t.language IN (?3, p.fallback)"
      " ORDER BY t.language = ?3 DESC LIMIT 1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, args->b, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, args->c, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_task_return_new_error (task, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND,
                               "no active item %s/%s in the store", args->a, args->b);
      return;
    }
  if (rc != SQLITE_ROW)
    RETURN_SQLITE_ERROR (db, task, rc, "reading an item");

  item = g_new0 (DigithekStoreItem, 1);
  item->pack_id = digithek_store_column_strdup (stmt, 0);
  item->pack_version = sqlite3_column_int64 (stmt, 1);
  item->item_id = digithek_store_column_strdup (stmt, 2);
  item->kind = digithek_store_column_kind (stmt, 3);
  item->language = digithek_store_column_strdup (stmt, 4);
  item->title = digithek_store_column_strdup (stmt, 5);
  item->summary = digithek_store_column_strdup (stmt, 6);
  item->body = digithek_store_column_strdup (stmt, 7);
  item->manifest_json = digithek_store_column_strdup (stmt, 8);
  g_task_return_pointer (task, item, (GDestroyNotify) digithek_store_item_free);
}

void
digithek_store_get_item_async (DigithekStore       *self,
                               const char          *pack_id,
                               const char          *item_id,
                               const char          *language,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (pack_id != NULL && item_id != NULL && language != NULL);

  digithek_store_read_async (self, digithek_store_get_item_async, get_item_job,
                             digithek_store_read_args_new (pack_id, item_id, language, 0),
                             cancellable, callback, user_data);
}

DigithekStoreItem *
digithek_store_get_item_finish (DigithekStore  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return digithek_store_read_finish (self, result, digithek_store_get_item_async, error);
}


/* get dataset */

static DigithekStoreColumnKind
column_kind_from_string (const char *kind)
{
  if (g_strcmp0 (kind, "time") == 0)
    return DIGITHEK_STORE_COLUMN_TIME;
  if (g_strcmp0 (kind, "year") == 0)
    return DIGITHEK_STORE_COLUMN_YEAR;
  if (g_strcmp0 (kind, "number") == 0)
    return DIGITHEK_STORE_COLUMN_NUMBER;
  return DIGITHEK_STORE_COLUMN_TEXT;
}

static DigithekCsvXKind
x_kind_from_string (const char *kind)
{
  if (g_strcmp0 (kind, "time") == 0)
    return DIGITHEK_CSV_X_TIME;
  if (g_strcmp0 (kind, "year") == 0)
    return DIGITHEK_CSV_X_YEAR;
  return DIGITHEK_CSV_X_CATEGORY;
}

static gboolean
read_dataset_rows (DigithekStoreDb       *db,
                   DigithekStoreDataset  *dataset,
                   const char            *table_name,
                   GCancellable          *cancellable,
                   GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  sqlite3_stmt *stmt = NULL;
  guint64 capacity = MAX (dataset->n_rows, 1);
  guint64 row = 0;
  int rc;

  for (guint i = 0; i < dataset->n_columns; i++)
    g_string_append_printf (sql, "%sc%u", i ? ", " : "", i);
  g_string_append_printf (sql, " FROM %s ORDER BY rowid", table_name);

  rc = sqlite3_prepare_v2 (digithek_store_db_get_handle (db), sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return digithek_store_db_set_error (db, rc, "reading a dataset", error);

  for (guint i = 0; i < dataset->n_columns; i++)
    {
      DigithekStoreColumn *column = &dataset->columns[i];

      if (column->kind == DIGITHEK_STORE_COLUMN_TEXT)
        column->texts = g_new0 (char *, capacity);
      else
        column->numbers = g_new (double, capacity);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* The metadata's count is a hint; never write past what was allocated. */
      if (row == capacity)
        {
          guint64 old = capacity;

          capacity *= 2;
          for (guint i = 0; i < dataset->n_columns; i++)
            {
              DigithekStoreColumn *column = &dataset->columns[i];

              if (column->texts != NULL)
                {
                  column->texts = g_renew (char *, column->texts, capacity);
                  memset (column->texts + old, 0, (capacity - old) * sizeof (char *));
                }
              else
                column->numbers = g_renew (double, column->numbers, capacity);
            }
        }

      for (guint i = 0; i < dataset->n_columns; i++)
        {
          DigithekStoreColumn *column = &dataset->columns[i];

          if (column->texts != NULL)
            column->texts[row] = digithek_store_column_strdup (stmt, i);
          else if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
            column->numbers[row] = NAN;
          else
            column->numbers[row] = sqlite3_column_double (stmt, i);
        }
      row++;

      if ((row & 0xffff) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  sqlite3_finalize (stmt);
  dataset->n_rows = row;
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return digithek_store_db_set_error (db, rc, "reading a dataset", error);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
get_dataset_job (DigithekStoreDb *db,
                 GTask           *task,
                 gpointer         task_data,
                 GCancellable    *cancellable)
{
  DigithekStoreReadArgs *args = task_data;
  g_autoptr(DigithekStoreDataset) dataset = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *table_name = NULL;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  JsonArray *columns;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db,
      "SELECT d.table_name, d.chart_type, d.unit, d.x_kind, d.columns, d.n_y, d.n_rows,"
      " coalesce (d.last_time, 0)"
      " FROM packs p"
      " JOIN items i ON i.pack_id = p.id AND i.pack_version = p.version"
      " JOIN datasets d ON d.item = i.id"
      " WHERE p.state = 'active' AND p.id = ?1 AND i.item_id = ?2", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, args->b, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_task_return_new_error (task, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND,
                               "no active dataset %s/%s in the store", args->a, args->b);
      return;
    }
  if (rc != SQLITE_ROW)
    RETURN_SQLITE_ERROR (db, task, rc, "reading a dataset");

  dataset = g_new0 (DigithekStoreDataset, 1);
  dataset->pack_id = g_strdup (args->a);
  dataset->item_id = g_strdup (args->b);
  table_name = digithek_store_column_strdup (stmt, 0);
  dataset->chart_type = digithek_store_column_strdup (stmt, 1);
  dataset->unit = digithek_store_column_strdup (stmt, 2);
  dataset->x_kind = x_kind_from_string ((const char *) sqlite3_column_text (stmt, 3));
  dataset->x_column = 0;
  dataset->n_y = sqlite3_column_int (stmt, 5);
  dataset->n_rows = sqlite3_column_int64 (stmt, 6);
  dataset->last_time = sqlite3_column_int64 (stmt, 7);

  if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 4), -1,
                                   &error) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_task_return_new_error (task, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_FAILED,
                               "%s: dataset %s/%s: unreadable column list", digithek_store_db_get_path (db),
                               args->a, args->b);
      g_clear_error (&error);
      return;
    }
  columns = json_node_get_array (json_parser_get_root (parser));
  dataset->n_columns = json_array_get_length (columns);
  dataset->columns = g_new0 (DigithekStoreColumn, dataset->n_columns);
  for (guint i = 0; i < dataset->n_columns; i++)
    {
      JsonObject *object = json_array_get_object_element (columns, i);

      dataset->columns[i].name = g_strdup (json_object_get_string_member_with_default (object, "name", ""));
      dataset->columns[i].kind =
        column_kind_from_string (json_object_get_string_member_with_default (object, "kind", "text"));
    }

  /* Release the metadata statement before a long read. */
  g_clear_pointer (&stmt, digithek_store_stmt_release);

  if (!read_dataset_rows (db, dataset, table_name, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&dataset),
                         (GDestroyNotify) digithek_store_dataset_free);
}

void
digithek_store_get_dataset_async (DigithekStore       *self,
                                  const char          *pack_id,
                                  const char          *item_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (pack_id != NULL && item_id != NULL);

  digithek_store_read_async (self, digithek_store_get_dataset_async, get_dataset_job,
                             digithek_store_read_args_new (pack_id, item_id, NULL, 0), cancellable, callback, user_data);
}

DigithekStoreDataset *
digithek_store_get_dataset_finish (DigithekStore  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return digithek_store_read_finish (self, result, digithek_store_get_dataset_async, error);
}


