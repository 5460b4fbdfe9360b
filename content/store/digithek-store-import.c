/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <json-glib/json-glib.h>

#include "digithek-sha256.h"
#include "digithek-pack-paths.h"
#include "digithek-store-import-private.h"

gboolean
digithek_store_import_set_invalid (GError     **error,
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
write_blob (DigithekStoreImport  *self,
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

struct _DigithekStoreHashJob
{
  GBytes  *bytes;
  GThread *thread;
  char    *sha256;   /* set when the hash was computed without a thread */
};

static gpointer
hash_job_run (gpointer data)
{
  DigithekStoreHashJob *job = data;

  return digithek_sha256_hex_bytes (job->bytes);
}

DigithekStoreHashJob *
digithek_store_hash_job_start (GBytes *bytes)
{
  DigithekStoreHashJob *job = g_new0 (DigithekStoreHashJob, 1);

  job->bytes = g_bytes_ref (bytes);
  if (g_bytes_get_size (bytes) >= HASH_THREAD_MIN)
    job->thread = g_thread_try_new ("digithek-sha256", hash_job_run, job, NULL);
  if (job->thread == NULL)
    job->sha256 = hash_job_run (job);
  return job;
}

/* Waits for the hash. (transfer full) */
char *
digithek_store_hash_job_finish (DigithekStoreHashJob *job)
{
  if (job->thread != NULL)
    {
      job->sha256 = g_thread_join (g_steal_pointer (&job->thread));
    }
  return g_steal_pointer (&job->sha256);
}

void
digithek_store_hash_job_free (DigithekStoreHashJob *job)
{
  g_free (digithek_store_hash_job_finish (job));
  g_bytes_unref (job->bytes);
  g_free (job);
}


/* Reads @path (relative to the pack) once, or returns the bytes kept from this run with
 * their hash in @out_known_sha256 (else %NULL). */
static GBytes *
read_file (DigithekStoreImport  *self,
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
gboolean
digithek_store_import_store_file (DigithekStoreImport  *self,
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
          return digithek_store_import_set_invalid (error, "pack %s: %s changed during the import",
                                                    self->pack_id, path);
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
load_file (DigithekStoreImport  *self,
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
  if (!digithek_store_import_store_file (self, path, bytes,
                                         digithek_sha256_hex_bytes (bytes), out_sha256, error))
    return NULL;
  return g_steal_pointer (&bytes);
}

static gboolean
register_file (DigithekStoreImport  *self,
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
append_markdown (DigithekStoreImport  *self,
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
    return digithek_store_import_set_invalid (error, "pack %s: %s: not valid UTF-8", self->pack_id,
                                              path);
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

static gboolean
replace_path_cb (JsonObject  *parent,
                 const char  *member,
                 const char  *where,
                 gpointer     user_data,
                 GError     **error)
{
  replace_path (parent, member, user_data);
  return TRUE;
}

/* The item's manifest object with every file path replaced by the file's SHA-256, so
 * that views fetch assets by hash. */
char *
digithek_store_import_item_manifest_json (DigithekStoreImport *self,
                                          JsonArray           *items,
                                          const char          *item_id)
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

  /* A validated pack's items are all of known kinds: the walk cannot fail. */
  if (!digithek_pack_walk_item_paths (object, item_id, "pack.json", DIGITHEK_STORE_ERROR,
                                      DIGITHEK_STORE_ERROR_INVALID_DATA, replace_path_cb,
                                      self->shas, NULL))
    g_debug ("%s: item %s: not every path replaced", self->pack_id, item_id);
  return json_to_string (copy, FALSE);
}

/* ---- items ---- */

static gboolean
import_item (DigithekStoreImport  *self,
             DigithekPackItem  *item,
             guint              position,
             JsonArray         *manifest_items,
             GError           **error)
{
  const char * const *languages = digithek_pack_get_languages (self->pack);
  const char *fallback = languages[0];
  g_autofree char *manifest = NULL;
  g_autoptr(GBytes) csv_bytes = NULL;
  g_autoptr(DigithekStoreHashJob) csv_hash = NULL;
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
          return digithek_store_import_set_invalid (error, "pack %s: item %s: no data file",
                                                    self->pack_id, item->id);
        /* Hashed beside the rows' import; stored by import_dataset(). */
        csv_bytes = read_file (self, item->data, &csv_sha256, error);
        if (csv_bytes == NULL)
          return FALSE;
        if (csv_sha256 == NULL)
          csv_hash = digithek_store_hash_job_start (csv_bytes);
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

    manifest = digithek_store_import_item_manifest_json (self, manifest_items, item->id);
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
          !append_markdown (self, body, digithek_text_map_lookup (item->body, language, fallback),
                            error))
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
          if (!append_markdown (self, body,
                                digithek_text_map_lookup (step->body, language, fallback), error))
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
    return digithek_store_import_dataset (self, item_rowid, item, csv_bytes, csv_hash, csv_sha256,
                                          manifest_items, manifest, error);
  return TRUE;
}

/* ---- the transaction ---- */

static gboolean
import_in_transaction (DigithekStoreImport       *self,
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

static void
import_clear (DigithekStoreImport *self)
{
  g_clear_pointer (&self->pack_id, g_free);
  g_clear_pointer (&self->shas, g_hash_table_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DigithekStoreImport, import_clear)

gboolean
digithek_store_db_import_pack (DigithekStoreDb            *db,
                               DigithekPack               *pack,
                               DigithekStoreProgressFunc   progress,
                               gpointer                    progress_data,
                               GCancellable               *cancellable,
                               DigithekImportOutcome      *out_outcome,
                               GError                    **error)
{
  g_auto(DigithekStoreImport) import = { 0, };
  DigithekStoreImport *self = &import;
  DigithekImportOutcome outcome = DIGITHEK_IMPORT_UNCHANGED;
  g_autoptr(GError) local_error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (DIGITHEK_IS_PACK (pack), FALSE);
  digithek_store_db_assert_thread (db);

  self->db = db;
  self->pack = pack;
  self->pack_id = g_strdup (digithek_pack_get_id (pack));
  self->version = digithek_pack_get_version (pack);
  self->progress = progress;
  self->progress_data = progress_data;
  self->cancellable = cancellable;
  self->shas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_bytes_unref);

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
