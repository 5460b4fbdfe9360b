/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <json-glib/json-glib.h>

#include "digithek-importer.h"
#include "digithek-sha256.h"
#include "digithek-store-private.h"

/* How often (in rows) the cancellable is checked and progress reported. */
#define PROGRESS_INTERVAL 128

/* Small files (Markdown) are kept for the import's duration: several languages may fall
 * back to the same one. */
#define CACHE_LIMIT (256 * 1024)

struct _DigithekImporter
{
  GObject parent_instance;

  /* borrowed */
  DigithekStoreDb           *db;
  GCancellable              *cancellable;   /* during run() */
  DigithekStoreProgressFunc  progress;
  gpointer                   progress_data;

  /* owned */
  DigithekPack *pack;
  char         *pack_id;
  gint64        version;
  GHashTable   *shas;    /* relative path → sha256 of what this run stored */
  GHashTable   *cache;   /* relative path → GBytes, small files only */
  guint64       n_rows;
};

G_DEFINE_FINAL_TYPE (DigithekImporter, digithek_importer, G_TYPE_OBJECT)

static void
digithek_importer_finalize (GObject *object)
{
  DigithekImporter *self = DIGITHEK_IMPORTER (object);

  g_clear_object (&self->pack);
  g_clear_pointer (&self->pack_id, g_free);
  g_clear_pointer (&self->shas, g_hash_table_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);

  G_OBJECT_CLASS (digithek_importer_parent_class)->finalize (object);
}

static void
digithek_importer_class_init (DigithekImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = digithek_importer_finalize;
}

static void
digithek_importer_init (DigithekImporter *self)
{
  self->shas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_bytes_unref);
}

DigithekImporter *
digithek_importer_new (DigithekStoreDb *db,
                       DigithekPack    *pack)
{
  DigithekImporter *self;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (DIGITHEK_IS_PACK (pack), NULL);
  digithek_store_db_assert_thread (db);

  self = g_object_new (DIGITHEK_TYPE_IMPORTER, NULL);
  self->db = db;
  self->pack = g_object_ref (pack);
  self->pack_id = g_strdup (digithek_pack_get_id (pack));
  self->version = digithek_pack_get_version (pack);
  return self;
}

void
digithek_importer_set_progress (DigithekImporter          *self,
                                DigithekStoreProgressFunc  func,
                                gpointer                   user_data)
{
  g_return_if_fail (DIGITHEK_IS_IMPORTER (self));

  self->progress = func;
  self->progress_data = user_data;
}

guint64
digithek_importer_get_n_rows (DigithekImporter *self)
{
  g_return_val_if_fail (DIGITHEK_IS_IMPORTER (self), 0);

  return self->n_rows;
}

static gboolean
set_invalid (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_INVALID_DATA, message);
  return FALSE;
}

/* ---- assets ---- */

static gboolean
write_blob (DigithekImporter  *self,
            gint64             rowid,
            GBytes            *bytes,
            const char        *what,
            GError           **error)
{
  sqlite3 *handle = digithek_store_db_get_handle (self->db);
  sqlite3_blob *blob = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  const gsize chunk = 1024 * 1024;
  int rc;

  if (length == 0)
    return TRUE;
  rc = sqlite3_blob_open (handle, "main", "assets", "data", rowid, 1, &blob);
  for (gsize offset = 0; rc == SQLITE_OK && offset < length; offset += chunk)
    rc = sqlite3_blob_write (blob, data + offset, MIN (chunk, length - offset), offset);
  if (blob != NULL)
    {
      int close_rc = sqlite3_blob_close (blob);

      if (rc == SQLITE_OK)
        rc = close_rc;
    }
  if (rc != SQLITE_OK)
    return digithek_store_db_set_error (self->db, rc, what, error);
  return TRUE;
}

/* ---- hashing beside the import ----
 *
 * SHA-256 of a dataset's CSV costs about a third of its rows' import. A helper thread
 * computes it while the worker parses and inserts the rows; the asset is stored once
 * the hash is known. */

/* Files smaller than this are hashed in place: a thread would cost more than it saves. */
#define HASH_THREAD_MIN (1024 * 1024)

typedef struct
{
  GBytes  *bytes;
  GThread *thread;
  char    *sha256;   /* set when the hash was computed without a thread */
} HashJob;

static gpointer
hash_job_run (gpointer data)
{
  HashJob *job = data;

  return digithek_sha256_hex_bytes (job->bytes);
}

static HashJob *
hash_job_start (GBytes *bytes)
{
  HashJob *job = g_new0 (HashJob, 1);

  job->bytes = g_bytes_ref (bytes);
  if (g_bytes_get_size (bytes) >= HASH_THREAD_MIN)
    job->thread = g_thread_try_new ("digithek-sha256", hash_job_run, job, NULL);
  if (job->thread == NULL)
    job->sha256 = hash_job_run (job);
  return job;
}

/* Waits for the hash. (transfer full) */
static char *
hash_job_finish (HashJob *job)
{
  if (job->thread != NULL)
    {
      job->sha256 = g_thread_join (g_steal_pointer (&job->thread));
    }
  return g_steal_pointer (&job->sha256);
}

static void
hash_job_free (HashJob *job)
{
  g_free (hash_job_finish (job));
  g_bytes_unref (job->bytes);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HashJob, hash_job_free)

/* Reads @path (relative to the pack) once, or returns the bytes kept from this run with
 * their hash in @out_known_sha256 (else %NULL). */
static GBytes *
read_file (DigithekImporter  *self,
           const char        *path,
           const char       **out_known_sha256,
           GError           **error)
{
  g_autofree char *full_path = NULL;
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;
  GBytes *cached = g_hash_table_lookup (self->cache, path);

  *out_known_sha256 = NULL;
  if (cached != NULL)
    {
      *out_known_sha256 = g_hash_table_lookup (self->shas, path);
      return g_bytes_ref (cached);
    }

  full_path = g_build_filename (digithek_pack_get_dir (self->pack), path, NULL);
  if (!g_file_get_contents (full_path, &contents, &length, &local_error))
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_INVALID_DATA,
                   "pack %s: %s: %s", self->pack_id, path, local_error->message);
      return NULL;
    }
  return g_bytes_new_take (contents, length);
}

/* Stores @bytes, read from @path and hashing to @sha256, as an asset unless the store
 * has it, and records the pack version's reference. Each file is read once and what is
 * parsed is exactly what is stored, even if the folder changes under us; a second read
 * that differs fails the import. */
static gboolean
store_file (DigithekImporter  *self,
            const char        *path,
            GBytes            *bytes,
            char              *sha256_owned,
            const char       **out_sha256,
            GError           **error)
{
  g_autofree char *sha256 = sha256_owned;
  const char *known;
  gsize length = g_bytes_get_size (bytes);

  known = g_hash_table_lookup (self->shas, path);
  if (known != NULL)
    {
      if (!g_str_equal (known, sha256))
        {
          return set_invalid (error, "pack %s: %s changed during the import", self->pack_id, path);
        }
      *out_sha256 = known;
      return TRUE;
    }

  {
    g_autoptr(DigithekStoreStmt) stmt = NULL;
    int rc;

    stmt = digithek_store_db_statement (self->db, "SELECT 1 FROM assets WHERE sha256 = ?1", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      {
        digithek_store_db_set_error (self->db, rc, "looking up an asset", error);
        return FALSE;
      }

    if (rc == SQLITE_DONE)
      {
        g_autoptr(DigithekStoreStmt) insert = NULL;
        g_autofree char *what = g_strdup_printf ("storing %s of pack %s", path, self->pack_id);

        insert = digithek_store_db_statement (self->db,
            "INSERT INTO assets (sha256, size, data) VALUES (?1, ?2, ?3)", error);
        if (insert == NULL)
          return FALSE;
        sqlite3_bind_text (insert, 1, sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (insert, 2, length);
        /* Reserve the blob, then write it in pieces: binding a large blob makes sqlite
         * copy all of it into one record buffer first, which costs as much again. */
        sqlite3_bind_zeroblob64 (insert, 3, length);
        if (!digithek_store_db_step_done (self->db, insert, what, error) ||
            !write_blob (self, sqlite3_last_insert_rowid (digithek_store_db_get_handle (self->db)),
                         bytes, what, error))
          return FALSE;
      }
  }

  {
    g_autoptr(DigithekStoreStmt) stmt = NULL;

    stmt = digithek_store_db_statement (self->db,
        "INSERT OR IGNORE INTO pack_assets (pack_id, pack_version, path, sha256)"
        " VALUES (?1, ?2, ?3, ?4)", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, self->pack_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, self->version);
    sqlite3_bind_text (stmt, 3, path, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, sha256, -1, SQLITE_STATIC);
    if (!digithek_store_db_step_done (self->db, stmt, "recording an asset reference", error))
      return FALSE;
  }

  *out_sha256 = sha256;
  g_hash_table_insert (self->shas, g_strdup (path), g_steal_pointer (&sha256));
  if (length <= CACHE_LIMIT)
    g_hash_table_insert (self->cache, g_strdup (path), g_bytes_ref (bytes));
  return TRUE;
}

/* Reads @path, stores it (see store_file()) and returns its bytes and hash. */
static GBytes *
load_file (DigithekImporter  *self,
           const char        *path,
           const char       **out_sha256,
           GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *known;

  bytes = read_file (self, path, &known, error);
  if (bytes == NULL)
    return NULL;
  if (known != NULL)
    {
      *out_sha256 = known;
      return g_steal_pointer (&bytes);
    }
  if (!store_file (self, path, bytes,
                   digithek_sha256_hex_bytes (bytes), out_sha256, error))
    return NULL;
  return g_steal_pointer (&bytes);
}

static gboolean
register_file (DigithekImporter  *self,
               const char        *path,
               GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *sha256;

  if (path == NULL || g_hash_table_contains (self->shas, path))
    return TRUE;
  bytes = load_file (self, path, &sha256, error);
  return bytes != NULL;
}

/* The searchable text (item_texts.body, indexed by FTS5) kept per item and language.
 * Indexing costs about 0.2 s per MB, so a 40 MB Markdown body would take most of a minute
 * to import, for a search that only ever needs to find the item: the first 256 KiB hold
 * its headings and opening and are plenty. The asset itself is stored whole and is what
 * the views show; only the search text is capped. */
#define SEARCH_TEXT_MAX (256 * 1024)

/* Appends @length bytes of valid UTF-8 at @data to @body as far as SEARCH_TEXT_MAX
 * allows, cut before a character, never inside one. */
static void
append_search_text (GString    *body,
                    const char *data,
                    gsize       length)
{
  gsize room = body->len < SEARCH_TEXT_MAX ? SEARCH_TEXT_MAX - body->len : 0;

  if (length > room)
    {
      length = room;
      /* data[length] exists: back over continuation bytes to a character's start. */
      while (length > 0 && ((guchar) data[length] & 0xC0) == 0x80)
        length--;
    }
  g_string_append_len (body, data, length);
}

/* Appends the Markdown file @path to @body (up to SEARCH_TEXT_MAX). */
static gboolean
append_markdown (DigithekImporter  *self,
                 GString           *body,
                 const char        *path,
                 GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *sha256;
  const char *data;
  gsize length;

  if (path == NULL)
    return TRUE;
  bytes = load_file (self, path, &sha256, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  if (!g_utf8_validate_len (data, length, NULL))
    return set_invalid (error, "pack %s: %s: not valid UTF-8", self->pack_id, path);
  if (body->len > 0)
    append_search_text (body, "\n\n", 2);
  append_search_text (body, data, length);
  return TRUE;
}

/* ---- texts and manifests ---- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
text_map_to_json (DigithekTextMap *map)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree const char **keys = NULL;
  guint n_keys = 0;

  json_builder_begin_object (builder);
  if (map != NULL)
    {
      /* Sorted, so that the same pack always gives the same bytes. */
      keys = (const char **) g_hash_table_get_keys_as_array (map, &n_keys);
      qsort (keys, n_keys, sizeof (char *), compare_strings);
      for (guint i = 0; i < n_keys; i++)
        {
          json_builder_set_member_name (builder, keys[i]);
          json_builder_add_string_value (builder, g_hash_table_lookup (map, keys[i]));
        }
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
strv_to_json (const char * const *strv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
replace_path (JsonObject *object,
              const char *member,
              GHashTable *shas)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *sha256;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return;
  sha256 = g_hash_table_lookup (shas, json_node_get_string (node));
  if (sha256 != NULL)
    json_object_set_string_member (object, member, sha256);
}

static void
replace_path_map (JsonObject *object,
                  const char *member,
                  GHashTable *shas)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GList) members = NULL;
  JsonObject *map;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  map = json_node_get_object (node);
  members = json_object_get_members (map);
  for (GList *l = members; l != NULL; l = l->next)
    replace_path (map, l->data, shas);
}

/* The item's manifest object with every file path replaced by the file's SHA-256, so
 * that views fetch assets by hash. */
static char *
item_manifest_json (DigithekImporter *self,
                    JsonArray        *items,
                    const char       *item_id)
{
  g_autoptr(JsonNode) copy = NULL;
  JsonObject *object = NULL;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node),
                                                                 "id", NULL), item_id) == 0)
        {
          copy = json_node_copy (node);
          object = json_node_get_object (copy);
          break;
        }
    }
  if (object == NULL)
    return g_strdup ("{}");

  replace_path (object, "image", self->shas);
  replace_path (object, "data", self->shas);
  replace_path_map (object, "body", self->shas);
  if (json_object_has_member (object, "steps") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "steps")))
    {
      JsonArray *steps = json_object_get_array_member (object, "steps");

      for (guint i = 0; i < json_array_get_length (steps); i++)
        {
          JsonNode *step = json_array_get_element (steps, i);

          if (!JSON_NODE_HOLDS_OBJECT (step))
            continue;
          replace_path (json_node_get_object (step), "image", self->shas);
          replace_path_map (json_node_get_object (step), "body", self->shas);
        }
    }
  return json_to_string (copy, FALSE);
}

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
import_rows (DigithekImporter  *self,
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
      set_invalid (error, "pack %s: %s: %s", self->pack_id, item->data, local_error->message);
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
      set_invalid (error, "pack %s: items: %s: chart.x: column “%s” is not in the header of %s",
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
          set_invalid (error, "pack %s: items: %s: chart.y[%u]: column “%s” is not in the "
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
                  set_invalid (error, "pack %s: %s: line %" G_GUINT64_FORMAT ": column “%s”: "
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

      rc = batch_insert (insert_many != NULL ? insert_many : insert_one, cells, batch, n_stored, texts);
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
      set_invalid (error, "pack %s: %s: %s", self->pack_id, item->data, local_error->message);
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

static gboolean
import_dataset (DigithekImporter  *self,
                gint64             item_rowid,
                DigithekPackItem  *item,
                GBytes            *csv_bytes,
                HashJob           *csv_hash,
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

      if (!store_file (self, item->data, csv_bytes, hash_job_finish (csv_hash), &sha256, error))
        return FALSE;
      new_manifest = item_manifest_json (self, manifest_items, item->id);
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
  sqlite3_bind_text (stmt, 3, item->chart_type != NULL ? item->chart_type : "line", -1, SQLITE_STATIC);
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

/* ---- items ---- */

static gboolean
import_item (DigithekImporter  *self,
             DigithekPackItem  *item,
             guint              position,
             JsonArray         *manifest_items,
             GError           **error)
{
  const char * const *languages = digithek_pack_get_languages (self->pack);
  const char *fallback = languages[0];
  g_autofree char *manifest = NULL;
  g_autoptr(GBytes) csv_bytes = NULL;
  g_autoptr(HashJob) csv_hash = NULL;
  const char *csv_sha256 = NULL;
  const char *image_sha256 = NULL;
  gint64 item_rowid;

  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return FALSE;

  /* Store every file of the item first: the manifest refers to them by hash. */
  if (item->image != NULL)
    {
      if (!register_file (self, item->image, error))
        return FALSE;
      image_sha256 = g_hash_table_lookup (self->shas, item->image);
    }
  for (guint s = 0; item->steps != NULL && s < item->steps->len; s++)
    {
      DigithekPackStep *step = g_ptr_array_index (item->steps, s);

      if (!register_file (self, step->image, error))
        return FALSE;
    }

  {
    g_autoptr(DigithekStoreStmt) stmt = NULL;
    g_autofree char *what = g_strdup_printf ("storing item %s", item->id);

    /* Data and bodies are stored before the manifest is written: it names their
     * hashes. The CSV is kept for the rows, read once. */
    if (item->kind == DIGITHEK_ITEM_DATASET)
      {
        if (item->data == NULL)
          return set_invalid (error, "pack %s: item %s: no data file", self->pack_id, item->id);
        /* Hashed beside the rows' import; stored by import_dataset(). */
        csv_bytes = read_file (self, item->data, &csv_sha256, error);
        if (csv_bytes == NULL)
          return FALSE;
        if (csv_sha256 == NULL)
          csv_hash = hash_job_start (csv_bytes);
      }
    if (item->body != NULL)
      {
        GHashTableIter iter;
        gpointer path;

        g_hash_table_iter_init (&iter, item->body);
        while (g_hash_table_iter_next (&iter, NULL, &path))
          if (!register_file (self, path, error))
            return FALSE;
      }
    for (guint s = 0; item->steps != NULL && s < item->steps->len; s++)
      {
        DigithekPackStep *step = g_ptr_array_index (item->steps, s);
        GHashTableIter iter;
        gpointer path;

        if (step->body == NULL)
          continue;
        g_hash_table_iter_init (&iter, step->body);
        while (g_hash_table_iter_next (&iter, NULL, &path))
          if (!register_file (self, path, error))
            return FALSE;
      }

    manifest = item_manifest_json (self, manifest_items, item->id);
    stmt = digithek_store_db_statement (self->db,
        "INSERT INTO items (pack_id, pack_version, item_id, position, kind, image, manifest)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, self->pack_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, self->version);
    sqlite3_bind_text (stmt, 3, item->id, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 4, position);
    sqlite3_bind_text (stmt, 5, digithek_item_kind_to_string (item->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 6, image_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 7, manifest, -1, SQLITE_STATIC);
    if (!digithek_store_db_step_done (self->db, stmt, what, error))
      return FALSE;
    item_rowid = sqlite3_last_insert_rowid (digithek_store_db_get_handle (self->db));
  }

  /* One text row per pack language, with the fallback already applied, so that search
   * and listing need no per-field fallback. */
  for (guint l = 0; languages[l] != NULL; l++)
    {
      const char *language = languages[l];
      g_autoptr(GString) body = g_string_new (NULL);
      g_autoptr(DigithekStoreStmt) stmt = NULL;
      const char *title = digithek_text_map_lookup (item->title, language, fallback);
      const char *summary = digithek_text_map_lookup (item->summary, language, fallback);

      if (item->kind == DIGITHEK_ITEM_EXPLAINER &&
          !append_markdown (self, body, digithek_text_map_lookup (item->body, language, fallback), error))
        return FALSE;
      for (guint s = 0; item->kind == DIGITHEK_ITEM_GUIDE && item->steps != NULL && s < item->steps->len; s++)
        {
          DigithekPackStep *step = g_ptr_array_index (item->steps, s);
          const char *step_title = digithek_text_map_lookup (step->title, language, fallback);

          if (step_title != NULL)
            {
              g_autofree char *heading = g_strdup_printf ("%s## %s", body->len ? "\n\n" : "",
                                                          step_title);

              append_search_text (body, heading, strlen (heading));
            }
          if (!append_markdown (self, body, digithek_text_map_lookup (step->body, language, fallback), error))
            return FALSE;
        }

      stmt = digithek_store_db_statement (self->db,
          "INSERT INTO item_texts (item, language, title, summary, body)"
          " VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, item_rowid);
      sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, title != NULL ? title : item->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, summary, -1, SQLITE_STATIC);
      if (body->len > 0)
        sqlite3_bind_text (stmt, 5, body->str, body->len, SQLITE_STATIC);
      if (!digithek_store_db_step_done (self->db, stmt, "storing item texts", error))
        return FALSE;
    }

  if (item->kind == DIGITHEK_ITEM_DATASET)
    return import_dataset (self, item_rowid, item, csv_bytes, csv_hash, csv_sha256,
                           manifest_items, manifest, error);
  return TRUE;
}

/* ---- the transaction ---- */

static gboolean
import_in_transaction (DigithekImporter       *self,
                       DigithekImportOutcome  *outcome,
                       GError                **error)
{
  const char * const *languages = digithek_pack_get_languages (self->pack);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) manifest = g_bytes_ref (digithek_pack_get_manifest_bytes (self->pack));
  g_auto(GStrv) files = NULL;
  JsonArray *manifest_items = NULL;
  gint64 active = 0, previous = 0;
  int rc;

  {
    g_autoptr(DigithekStoreStmt) stmt = digithek_store_db_statement (self->db,
        "SELECT version, state FROM packs WHERE id = ?1", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, self->pack_id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        if (g_str_equal ((const char *) sqlite3_column_text (stmt, 1), "active"))
          active = sqlite3_column_int64 (stmt, 0);
        else
          previous = sqlite3_column_int64 (stmt, 0);
      }
    if (rc != SQLITE_DONE)
      return digithek_store_db_set_error (self->db, rc, "reading pack versions", error);
  }

  if (active == self->version)
    {
      *outcome = DIGITHEK_IMPORT_UNCHANGED;
      return TRUE;
    }
  if (active > self->version)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_OLDER_VERSION,
                   "pack %s version %" G_GINT64_FORMAT " is older than installed version %"
                   G_GINT64_FORMAT, self->pack_id, self->version, active);
      return FALSE;
    }

  if (previous != 0 && !digithek_store_db_delete_version (self->db, self->pack_id, previous, error))
    return FALSE;
  if (active != 0)
    {
      g_autoptr(DigithekStoreStmt) stmt = digithek_store_db_statement (self->db,
          "UPDATE packs SET state = 'previous' WHERE id = ?1 AND state = 'active'", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, self->pack_id, -1, SQLITE_STATIC);
      if (!digithek_store_db_step_done (self->db, stmt, "keeping the active version", error))
        return FALSE;
    }

  {
    g_autoptr(DigithekStoreStmt) stmt = NULL;
    g_autofree char *title = text_map_to_json (digithek_pack_get_title (self->pack));
    g_autofree char *languages_json = strv_to_json (languages);
    gsize manifest_size;
    gconstpointer manifest_data = g_bytes_get_data (manifest, &manifest_size);

    stmt = digithek_store_db_statement (self->db,
        "INSERT INTO packs (id, version, state, title, languages, fallback, publisher,"
        " manifest, imported_at) VALUES (?1, ?2, 'active', ?3, ?4, ?5, ?6, ?7, ?8)", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, self->pack_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, self->version);
    sqlite3_bind_text (stmt, 3, title, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, languages_json, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, languages[0], -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 6, digithek_pack_get_publisher (self->pack), -1, SQLITE_STATIC);
    sqlite3_bind_blob64 (stmt, 7, manifest_data, manifest_size, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 8, g_get_real_time () / G_USEC_PER_SEC);
    if (!digithek_store_db_step_done (self->db, stmt, "storing the pack", error))
      return FALSE;
  }

  /* The manifest as published, to copy each item's object from. */
  {
    gsize size;
    const char *data = g_bytes_get_data (manifest, &size);
    JsonNode *root;

    if (json_parser_load_from_data (parser, data, size, NULL) &&
        (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
        json_object_has_member (json_node_get_object (root), "items") &&
        JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "items")))
      manifest_items = json_object_get_array_member (json_node_get_object (root), "items");
  }

  for (guint i = 0; i < digithek_pack_get_n_items (self->pack); i++)
    if (!import_item (self, digithek_pack_get_item (self->pack, i), i, manifest_items, error))
      return FALSE;

  /* Anything the manifest references that no item field covered. */
  files = digithek_pack_list_files (self->pack);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    if (!register_file (self, files[i], error))
      return FALSE;

  if (!digithek_store_db_collect_assets (self->db, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return FALSE;

  *outcome = DIGITHEK_IMPORT_INSTALLED;
  return TRUE;
}

gboolean
digithek_importer_run (DigithekImporter       *self,
                       GCancellable           *cancellable,
                       DigithekImportOutcome  *out_outcome,
                       GError                **error)
{
  DigithekImportOutcome outcome = DIGITHEK_IMPORT_UNCHANGED;
  g_autoptr(GError) local_error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (DIGITHEK_IS_IMPORTER (self), FALSE);
  digithek_store_db_assert_thread (self->db);

  self->cancellable = cancellable;
  self->n_rows = 0;
  g_hash_table_remove_all (self->shas);
  g_hash_table_remove_all (self->cache);

  if (!digithek_store_db_begin (self->db, error))
    {
      self->cancellable = NULL;
      return FALSE;
    }

  if (!import_in_transaction (self, &outcome, &local_error) ||
      (outcome == DIGITHEK_IMPORT_INSTALLED && !digithek_store_db_commit (self->db, &local_error)))
    {
      digithek_store_db_rollback (self->db);
      self->cancellable = NULL;
      g_hash_table_remove_all (self->cache);
      /* Our own messages name the pack already; sqlite's and cancellation's do not. */
      if (g_error_matches (local_error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_OLDER_VERSION) ||
          g_error_matches (local_error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_INVALID_DATA))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    "Importing pack %s version %" G_GINT64_FORMAT ": ",
                                    self->pack_id, self->version);
      return FALSE;
    }
  /* Nothing was written for an unchanged version; just end the transaction. */
  if (outcome == DIGITHEK_IMPORT_UNCHANGED)
    digithek_store_db_rollback (self->db);

  self->cancellable = NULL;
  g_hash_table_remove_all (self->cache);
  g_debug ("imported pack %s version %" G_GINT64_FORMAT " (%s, %" G_GUINT64_FORMAT
           " rows) in %.3f s", self->pack_id, self->version,
           outcome == DIGITHEK_IMPORT_INSTALLED ? "installed" : "unchanged",
           self->n_rows, (g_get_monotonic_time () - start) / 1e6);
  if (out_outcome != NULL)
    *out_outcome = outcome;
  return TRUE;
}
