/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The importer's dataset step: a dataset item's CSV rows into a table of their own,
 * typed by column, with the x kind decided from the data. Worker thread only. */

#include "config.h"

#include <math.h>

#include "digithek-store-import-private.h"

/* ---- datasets ---- */

/* The x kind before the first x cell is seen. */
#define X_UNDECIDED (-1)

typedef struct
{
  char       *name;        /* owned: the reader's header goes away with it */
  const char *kind;        /* "time", "year", "number", "text" */
  guint       source;      /* index in the CSV header */
} StoredColumn;

static void
stored_column_clear (gpointer data)
{
  StoredColumn *column = data;

  g_clear_pointer (&column->name, g_free);
}

static const char *
x_kind_to_string (DigithekCsvXKind kind)
{
  switch (kind)
    {
    case DIGITHEK_CSV_X_TIME:
      return "time";
    case DIGITHEK_CSV_X_YEAR:
      return "year";
    case DIGITHEK_CSV_X_CATEGORY:
    default:
      return "category";
    }
}

static DigithekCsvXKind
guess_x_kind (const char *cell)
{
  gint64 unix_time;
  int year;

  if (digithek_csv_parse_year (cell, &year))
    return DIGITHEK_CSV_X_YEAR;
  if (digithek_csv_parse_time (cell, &unix_time))
    return DIGITHEK_CSV_X_TIME;
  return DIGITHEK_CSV_X_CATEGORY;
}

/* Rows per multi-row INSERT (fewer when the columns would pass sqlite's limit on
 * parameters). */
#define ROW_BATCH 64

/* One cell of a batch, held until the batch is bound. */
typedef struct
{
  int type;          /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT or SQLITE_TEXT */
  union
  {
    gint64 i;
    double d;
    struct
    {
      gsize offset;  /* in the batch's text buffer, which may move while it fills */
      gsize length;
    } text;
  } v;
} BatchCell;

static inline void
batch_cell_set_text (BatchCell  *cell,
                     GString    *texts,
                     const char *text)
{
  gsize length = strlen (text);

  cell->type = SQLITE_TEXT;
  cell->v.text.offset = texts->len;
  cell->v.text.length = length;
  g_string_append_len (texts, text, length);
}

/* Binds @n_rows rows of @cells to @stmt, steps it and resets it. The texts are bound in
 * place (SQLITE_STATIC): @texts is not touched until the statement is reset. */
static int
batch_insert (sqlite3_stmt    *stmt,
              const BatchCell *cells,
              int              n_rows,
              guint            n_columns,
              GString         *texts)
{
  int n = n_rows * (int) n_columns;
  int rc;

  for (int p = 0; p < n; p++)
    {
      const BatchCell *cell = &cells[p];

      switch (cell->type)
        {
        case SQLITE_INTEGER:
          sqlite3_bind_int64 (stmt, p + 1, cell->v.i);
          break;
        case SQLITE_FLOAT:
          sqlite3_bind_double (stmt, p + 1, cell->v.d);
          break;
        case SQLITE_TEXT:
          sqlite3_bind_text64 (stmt, p + 1, texts->str + cell->v.text.offset,
                               cell->v.text.length, SQLITE_STATIC, SQLITE_UTF8);
          break;
        case SQLITE_NULL:
        default:
          sqlite3_bind_null (stmt, p + 1);
          break;
        }
    }
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc;
}

typedef enum
{
  ROWS_OK,
  ROWS_FAILED,
  ROWS_X_MISMATCH,  /* an x cell does not fit the kind chosen: retry with a wider one */
} RowsResult;

/* Writes the rows of one dataset into @table (created here). @x_kind is the kind to
 * use, or X_UNDECIDED to decide from the first x cell; it returns the kind used. */
static RowsResult
import_rows (DigithekStoreImport  *self,
             DigithekPackItem  *item,
             GBytes            *csv_bytes,
             const char        *table,
             int               *x_kind,
             GArray            *columns,
             guint             *out_n_y,
             guint64           *out_n_rows,
             gint64            *out_last_time,
             GError           **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (csv_bytes);
  g_autoptr(DigithekCsv) csv = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) sql = NULL;
  g_autofree guint *sources = NULL;
  g_autofree char *what = NULL;
  sqlite3_stmt *insert_one = NULL;
  sqlite3_stmt *insert_many = NULL;
  g_autofree BatchCell *cells = NULL;
  g_autoptr(GString) texts = NULL;
  guint64 reported = 0;
  int batch, in_batch = 0;
  const char * const *header;
  guint n_header, n_stored, n_y;
  guint64 n_rows = 0;
  gint64 last_time = G_MININT64;
  gboolean have_time = FALSE;
  RowsResult result = ROWS_FAILED;
  char decimal;
  int x, rc;

  csv = digithek_csv_new_for_stream (stream, &item->csv, &local_error);
  if (csv == NULL)
    {
      digithek_store_import_set_invalid (error, "pack %s: %s: %s", self->pack_id, item->data,
                                         local_error->message);
      return ROWS_FAILED;
    }
  header = digithek_csv_get_header (csv);
  n_header = digithek_csv_get_n_columns (csv);
  decimal = digithek_csv_get_decimal (csv);
  if (decimal == 0)
    decimal = '.';

  /* Chart columns first, then the others in header order, up to the cap. */
  g_array_set_size (columns, 0);
  x = item->chart_x != NULL ? digithek_csv_find_column (csv, item->chart_x) : -1;
  if (x < 0)
    {
      digithek_store_import_set_invalid (error,
                                         "pack %s: items: %s: chart.x: column “%s” is not in the header of %s",
                                         self->pack_id, item->id, item->chart_x ? item->chart_x : "", item->data);
      return ROWS_FAILED;
    }
  g_array_append_val (columns, ((StoredColumn) { g_strdup (header[x]), NULL, (guint) x }));
  n_y = item->chart_y != NULL ? g_strv_length (item->chart_y) : 0;
  for (guint i = 0; i < n_y && columns->len < DIGITHEK_STORE_MAX_COLUMNS; i++)
    {
      int y = digithek_csv_find_column (csv, item->chart_y[i]);

      if (y < 0)
        {
          digithek_store_import_set_invalid (error,
                                             "pack %s: items: %s: chart.y[%u]: column “%s” is not in the "
                                             "header of %s", self->pack_id, item->id, i, item->chart_y[i], item->data);
          return ROWS_FAILED;
        }
      g_array_append_val (columns, ((StoredColumn) { g_strdup (header[y]), "number", (guint) y }));
    }
  n_y = columns->len - 1;
  for (guint c = 0; c < n_header && columns->len < DIGITHEK_STORE_MAX_COLUMNS; c++)
    {
      gboolean used = FALSE;

      for (guint j = 0; j < columns->len && !used; j++)
        used = g_array_index (columns, StoredColumn, j).source == c;
      if (!used)
        g_array_append_val (columns, ((StoredColumn) { g_strdup (header[c]), "text", c }));
    }
  n_stored = columns->len;
  sources = g_new (guint, n_stored);
  for (guint j = 0; j < n_stored; j++)
    sources[j] = g_array_index (columns, StoredColumn, j).source;

  /* The x column has no declared type, so what we bind (integer time or year, or
   * text) is stored as it is; y columns are REAL, the rest TEXT. */
  sql = g_string_new (NULL);
  g_string_append_printf (sql, "CREATE TABLE %s (c0", table);
  for (guint j = 1; j < n_stored; j++)
    g_string_append_printf (sql, ", c%u %s", j, j <= n_y ? "REAL" : "TEXT");
  g_string_append (sql, ")");
  if (!digithek_store_db_exec (self->db, sql->str, error))
    return ROWS_FAILED;

  /* Rows go in ROW_BATCH at a time through one multi-row INSERT: a statement step
   * costs about as much again as a row's own work (a cursor opened, the last rowid
   * sought, the statement halted and reset), and this pays it once per batch. A batch's
   * cells are held as values (texts copied into one buffer, no allocation per cell)
   * until it is full; the last, partial batch goes through the single-row statement. */
  {
    sqlite3 *handle = digithek_store_db_get_handle (self->db);
    int max_vars = sqlite3_limit (handle, SQLITE_LIMIT_VARIABLE_NUMBER, -1);

    batch = CLAMP (max_vars / (int) n_stored, 1, ROW_BATCH);
    for (int pass = 0; pass < 2; pass++)
      {
        int n = pass == 0 ? 1 : batch;

        if (pass == 1 && batch == 1)
          break;
        g_string_printf (sql, "INSERT INTO %s VALUES ", table);
        for (int k = 0; k < n; k++)
          {
            g_string_append (sql, k == 0 ? "(?" : ", (?");
            for (guint j = 1; j < n_stored; j++)
              g_string_append (sql, ", ?");
            g_string_append_c (sql, ')');
          }
        rc = sqlite3_prepare_v3 (handle, sql->str, -1, SQLITE_PREPARE_PERSISTENT,
                                 pass == 0 ? &insert_one : &insert_many, NULL);
        if (rc != SQLITE_OK)
          {
            digithek_store_db_set_error (self->db, rc, "preparing the row insert", error);
            goto out;
          }
      }
  }
  cells = g_new (BatchCell, (gsize) batch * n_stored);
  texts = g_string_sized_new (4096);

  what = g_strdup_printf ("storing rows of %s", item->data);

  /* The hot loop: no allocation per row or cell. */
  while (digithek_csv_next_row (csv, &local_error))
    {
      BatchCell *row = cells + (gsize) in_batch * n_stored;

      for (guint j = 0; j < n_stored; j++)
        {
          const char *cell = digithek_csv_get_field (csv, sources[j]);
          BatchCell *out = &row[j];

          if (digithek_csv_is_missing (cell))
            {
              out->type = SQLITE_NULL;
            }
          else if (j == 0)
            {
              gint64 unix_time;
              int year;

              if (*x_kind == X_UNDECIDED)
                *x_kind = guess_x_kind (cell);
              switch ((DigithekCsvXKind) *x_kind)
                {
                case DIGITHEK_CSV_X_TIME:
                  if (!digithek_csv_parse_time (cell, &unix_time))
                    {
                      result = ROWS_X_MISMATCH;
                      goto out;
                    }
                  out->type = SQLITE_INTEGER;
                  out->v.i = unix_time;
                  if (!have_time || unix_time > last_time)
                    last_time = unix_time;
                  have_time = TRUE;
                  break;
                case DIGITHEK_CSV_X_YEAR:
                  if (!digithek_csv_parse_year (cell, &year))
                    {
                      result = ROWS_X_MISMATCH;
                      goto out;
                    }
                  out->type = SQLITE_INTEGER;
                  out->v.i = year;
                  break;
                case DIGITHEK_CSV_X_CATEGORY:
                default:
                  batch_cell_set_text (out, texts, cell);
                  break;
                }
            }
          else if (j <= n_y)
            {
              double value;

              if (!digithek_csv_parse_number (cell, decimal, &value))
                {
                  digithek_store_import_set_invalid (error,
                                                     "pack %s: %s: line %" G_GUINT64_FORMAT ": column “%s”: "
                                                     "“%s” is not a number", self->pack_id, item->data,
                                                     digithek_csv_get_line (csv),
                                                     g_array_index (columns, StoredColumn, j).name, cell);
                  goto out;
                }
              out->type = SQLITE_FLOAT;
              out->v.d = value;
            }
          else
            {
              batch_cell_set_text (out, texts, cell);
            }
        }

      n_rows++;
      if (++in_batch < batch)
        continue;

      rc = batch_insert (insert_many != NULL ? insert_many : insert_one, cells, batch, n_stored,
                         texts);
      in_batch = 0;
      g_string_truncate (texts, 0);
      if (rc != SQLITE_DONE)
        {
          digithek_store_db_set_error (self->db, rc, what, error);
          goto out;
        }

      if (n_rows / PROGRESS_INTERVAL != reported / PROGRESS_INTERVAL)
        {
          reported = n_rows;
          if (self->progress != NULL)
            self->progress (self->n_rows + n_rows, self->progress_data);
          if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
            goto out;
        }
    }
  for (int k = 0; local_error == NULL && k < in_batch; k++)
    {
      rc = batch_insert (insert_one, cells + (gsize) k * n_stored, 1, n_stored, texts);
      if (rc != SQLITE_DONE)
        {
          digithek_store_db_set_error (self->db, rc, what, error);
          goto out;
        }
    }
  if (local_error != NULL)
    {
      digithek_store_import_set_invalid (error, "pack %s: %s: %s", self->pack_id, item->data,
                                         local_error->message);
      goto out;
    }

  if (*x_kind == X_UNDECIDED)
    *x_kind = DIGITHEK_CSV_X_CATEGORY;
  g_array_index (columns, StoredColumn, 0).kind = x_kind_to_string (*x_kind);
  if (*x_kind == DIGITHEK_CSV_X_CATEGORY)
    g_array_index (columns, StoredColumn, 0).kind = "text";
  *out_n_y = n_y;
  *out_n_rows = n_rows;
  *out_last_time = have_time ? last_time : 0;
  self->n_rows += n_rows;
  result = ROWS_OK;

out:
  sqlite3_finalize (insert_one);
  sqlite3_finalize (insert_many);
  return result;
}

static char *
columns_to_json (GArray *columns)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint j = 0; j < columns->len; j++)
    {
      StoredColumn *column = &g_array_index (columns, StoredColumn, j);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, column->name);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, column->kind);
      json_builder_set_member_name (builder, "source");
      json_builder_add_int_value (builder, column->source);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
digithek_store_import_dataset (DigithekStoreImport  *self,
                gint64             item_rowid,
                DigithekPackItem  *item,
                GBytes            *csv_bytes,
                DigithekStoreHashJob           *csv_hash,
                const char        *sha256,
                JsonArray         *manifest_items,
                const char        *manifest,
                GError           **error)
{
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (StoredColumn));
  g_autofree char *table = g_strdup_printf ("dataset_%" G_GINT64_FORMAT, item_rowid);
  g_autofree char *columns_json = NULL;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  int x_kind = X_UNDECIDED;
  guint n_y = 0;
  guint64 n_rows = 0;
  gint64 last_time = 0;
  RowsResult result;

  g_array_set_clear_func (columns, stored_column_clear);

  /* The x kind is decided from the first cell; a later cell that does not fit it (a
   * year column with a date in it, a time column with a label) makes us start over with
   * the next wider kind. Rare, and it keeps the common case to one pass. */
  while ((result = import_rows (self, item, csv_bytes, table, &x_kind, columns,
                                &n_y, &n_rows, &last_time, error)) == ROWS_X_MISMATCH)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TABLE %s", table);

      g_debug ("%s: x column “%s” is not all %s; importing it as %s", item->data,
               item->chart_x, x_kind_to_string (x_kind),
               x_kind == DIGITHEK_CSV_X_YEAR ? "time" : "category");
      if (!digithek_store_db_exec (self->db, drop, error))
        return FALSE;
      x_kind = x_kind == DIGITHEK_CSV_X_YEAR ? DIGITHEK_CSV_X_TIME : DIGITHEK_CSV_X_CATEGORY;
    }
  if (result == ROWS_FAILED)
    return FALSE;

  /* The CSV's hash, computed meanwhile: store the asset, and name it in the item's
   * manifest, written before the hash was known. */
  if (csv_hash != NULL)
    {
      g_autofree char *new_manifest = NULL;

      if (!digithek_store_import_store_file (self, item->data, csv_bytes,
                                             digithek_store_hash_job_finish (csv_hash), &sha256, error))
        return FALSE;
      new_manifest = digithek_store_import_item_manifest_json (self, manifest_items, item->id);
      if (!g_str_equal (new_manifest, manifest))
        {
          g_autoptr(DigithekStoreStmt) update = NULL;

          update = digithek_store_db_statement (self->db,
              "UPDATE items SET manifest = ?2 WHERE id = ?1", error);
          if (update == NULL)
            return FALSE;
          sqlite3_bind_int64 (update, 1, item_rowid);
          sqlite3_bind_text (update, 2, new_manifest, -1, SQLITE_STATIC);
          if (!digithek_store_db_step_done (self->db, update, "storing the item manifest", error))
            return FALSE;
        }
    }

  columns_json = columns_to_json (columns);
  stmt = digithek_store_db_statement (self->db,
      "INSERT INTO datasets (item, table_name, chart_type, unit, x_kind, columns, n_y,"
      " n_rows, last_time, csv_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item_rowid);
  sqlite3_bind_text (stmt, 2, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, item->chart_type != NULL ? item->chart_type : "line", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, item->chart_unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, x_kind_to_string (x_kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, columns_json, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, n_y);
  sqlite3_bind_int64 (stmt, 8, n_rows);
  if (x_kind == DIGITHEK_CSV_X_TIME && n_rows > 0)
    sqlite3_bind_int64 (stmt, 9, last_time);
  sqlite3_bind_text (stmt, 10, sha256, -1, SQLITE_STATIC);
  return digithek_store_db_step_done (self->db, stmt, "recording a dataset", error);
}

