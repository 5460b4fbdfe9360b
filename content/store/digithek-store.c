/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <math.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "digithek-fold.h"
#include "digithek-store-private.h"

G_DEFINE_QUARK (digithek-store-error-quark, digithek_store_error)

/* ------------------------------------------------------------------------------------ */
/* Schema                                                                               */
/* ------------------------------------------------------------------------------------ */

/* Migration N brings a database from user_version N to N + 1. Never edit a released
 * entry: append a new one and raise DIGITHEK_STORE_SCHEMA_VERSION. */
static const char * const migrations[] = {
  /* 0 → 1: packs, items and their texts, assets, datasets. */
  "CREATE TABLE packs ("
  "  id          TEXT NOT NULL,"
  "  version     INTEGER NOT NULL,"
  "  state       TEXT NOT NULL CHECK (state IN ('active', 'previous')),"
  "  title       TEXT NOT NULL,"      /* JSON text map */
  "  languages   TEXT NOT NULL,"      /* JSON array, fallback first */
  "  fallback    TEXT NOT NULL,"      /* languages[0], for joins */
  "  publisher   TEXT,"
  "  manifest    BLOB NOT NULL,"      /* pack.json as published */
  "  imported_at INTEGER NOT NULL,"
  "  PRIMARY KEY (id, version)"
  ");"
  "CREATE UNIQUE INDEX packs_state ON packs (id, state);"
  "CREATE TABLE items ("
  "  id           INTEGER PRIMARY KEY,"
  "  pack_id      TEXT NOT NULL,"
  "  pack_version INTEGER NOT NULL,"
  "  item_id      TEXT NOT NULL,"
  "  position     INTEGER NOT NULL,"
  "  kind         TEXT NOT NULL,"
  "  image        TEXT,"              /* asset sha256 */
  "  manifest     TEXT NOT NULL,"     /* item JSON, paths replaced by sha256 */
  "  UNIQUE (pack_id, pack_version, item_id),"
  "  FOREIGN KEY (pack_id, pack_version) REFERENCES packs (id, version) ON DELETE CASCADE"
  ");"
  "CREATE INDEX items_position ON items (pack_id, pack_version, position);"
  "CREATE TABLE item_texts ("
  "  id       INTEGER PRIMARY KEY,"
  "  item     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  language TEXT NOT NULL,"
  "  title    TEXT NOT NULL,"
  "  summary  TEXT,"
  "  body     TEXT,"
  "  UNIQUE (item, language)"
  ");"
  "CREATE TABLE assets ("
  "  id     INTEGER PRIMARY KEY,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  size   INTEGER NOT NULL,"
  "  data   BLOB NOT NULL"            /* last: it spills into overflow pages */
  ");"
  "CREATE TABLE pack_assets ("
  "  pack_id      TEXT NOT NULL,"
  "  pack_version INTEGER NOT NULL,"
  "  path         TEXT NOT NULL,"
  "  sha256       TEXT NOT NULL,"
  "  PRIMARY KEY (pack_id, pack_version, path),"
  "  FOREIGN KEY (pack_id, pack_version) REFERENCES packs (id, version) ON DELETE CASCADE"
  ");"
  "CREATE INDEX pack_assets_sha256 ON pack_assets (sha256);"
  /* One row per dataset item; its rows live in the table named table_name. */
  "CREATE TABLE datasets ("
  "  item       INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,"
  "  table_name TEXT NOT NULL UNIQUE,"
  "  chart_type TEXT NOT NULL,"
  "  unit       TEXT,"
  "  x_kind     TEXT NOT NULL CHECK (x_kind IN ('time', 'year', 'category')),"
  "  columns    TEXT NOT NULL,"       /* JSON [{name, kind, source}], stored order */
  "  n_y        INTEGER NOT NULL,"
  "  n_rows     INTEGER NOT NULL,"
  "  last_time  INTEGER,"             /* freshness: latest x for time axes */
  "  csv_sha256 TEXT NOT NULL"
  ");",

  /* 1 → 2: full-text search and the key/value table for sync state. */
  "CREATE VIRTUAL TABLE item_fts USING fts5 ("
  "  title, summary, body,"
  "  content = 'item_texts', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "CREATE TRIGGER item_texts_ai AFTER INSERT ON item_texts BEGIN"
  "  INSERT INTO item_fts (rowid, title, summary, body)"
  "    VALUES (new.id, new.title, new.summary, new.body);"
  "END;"
  "CREATE TRIGGER item_texts_ad AFTER DELETE ON item_texts BEGIN"
  "  INSERT INTO item_fts (item_fts, rowid, title, summary, body)"
  "    VALUES ('delete', old.id, old.title, old.summary, old.body);"
  "END;"
  "CREATE TRIGGER item_texts_au AFTER UPDATE ON item_texts BEGIN"
  "  INSERT INTO item_fts (item_fts, rowid, title, summary, body)"
  "    VALUES ('delete', old.id, old.title, old.summary, old.body);"
  "  INSERT INTO item_fts (rowid, title, summary, body)"
  "    VALUES (new.id, new.title, new.summary, new.body);"
  "END;"
  "INSERT INTO item_fts (item_fts) VALUES ('rebuild');"
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");",

  /* 2 → 3: the home's listing (every active item's kind in display order) reads an
   * index of a few pages instead of the items' rows with their manifests; it leads
   * with the same columns as items_position, which it replaces. IF (NOT) EXISTS: a
   * store whose version was set back by hand may hold it already. */
  /* Parenthesised: clang takes adjacent literals in an array for a missing comma. */
  ("CREATE INDEX IF NOT EXISTS items_listing ON items (pack_id, pack_version, position, kind);"
   "DROP INDEX IF EXISTS items_position;"),

  /* 3 → 4: the index holds folded text (digithek_fold_index_text(), through the SQL
   * function digithek_fold_index() every connection of the store registers), so that
   * "Strasse" finds "Straße" and "Uberholen" finds "Überholen". Two contentless
   * indexes: item_fts over titles, summaries and bodies, and item_fts_head over titles
   * and summaries alone, small enough that the first letters typed, which match most
   * rows, rank in a millisecond or two. Each has a column `lang` holding one token
   * made of the text's language ('l' and its bytes in hex), so that a search ranks
   * only the texts of the languages it may show. The texts themselves stay in
   * item_texts, and the triggers compute the same values again for a delete (from the
   * text row alone: the pack row may be gone by then). columnsize = 0: bm25 reading
   * every matching row's sizes from a table of their own cost most of a search's
   * time. Without them bm25 has no length normalisation (a contentless table reports
   * every column's size as -1) and barely tells a title from a summary, so the search
   * ranks in passes: titles, then titles and summaries, then bodies (search_job()).
   * Installed texts are indexed again, folded. A delete from a contentless index
   * must give the very tokens the insert gave: a later change to the folding needs a
   * migration that builds both indexes anew, as this one does. */
  ("DROP TRIGGER IF EXISTS item_texts_ai;"
   "DROP TRIGGER IF EXISTS item_texts_ad;"
   "DROP TRIGGER IF EXISTS item_texts_au;"
   "DROP TABLE IF EXISTS item_fts;"
   "DROP TABLE IF EXISTS item_fts_head;"
   "CREATE VIRTUAL TABLE item_fts USING fts5 ("
   "  title, summary, body, lang,"
   "  content = '', columnsize = 0, prefix = '3',"
   "  tokenize = 'unicode61 remove_diacritics 0'"
   ");"
   "CREATE VIRTUAL TABLE item_fts_head USING fts5 ("
   "  title, summary, lang,"
   "  content = '', columnsize = 0, prefix = '1 2 3',"
   "  tokenize = 'unicode61 remove_diacritics 0'"
   ");"
   "CREATE TRIGGER item_texts_ai AFTER INSERT ON item_texts BEGIN"
   "  INSERT INTO item_fts (rowid, title, summary, body, lang)"
   "    VALUES (new.id, digithek_fold_index (new.title), digithek_fold_index (new.summary),"
   "            digithek_fold_index (new.body), 'l' || lower (hex (new.language)));"
   "  INSERT INTO item_fts_head (rowid, title, summary, lang)"
   "    VALUES (new.id, digithek_fold_index (new.title), digithek_fold_index (new.summary),"
   "            'l' || lower (hex (new.language)));"
   "END;"
   "CREATE TRIGGER item_texts_ad AFTER DELETE ON item_texts BEGIN"
   "  INSERT INTO item_fts (item_fts, rowid, title, summary, body, lang)"
   "    VALUES ('delete', old.id, digithek_fold_index (old.title),"
   "            digithek_fold_index (old.summary), digithek_fold_index (old.body),"
   "            'l' || lower (hex (old.language)));"
   "  INSERT INTO item_fts_head (item_fts_head, rowid, title, summary, lang)"
   "    VALUES ('delete', old.id, digithek_fold_index (old.title),"
   "            digithek_fold_index (old.summary), 'l' || lower (hex (old.language)));"
   "END;"
   "CREATE TRIGGER item_texts_au AFTER UPDATE ON item_texts BEGIN"
   "  INSERT INTO item_fts (item_fts, rowid, title, summary, body, lang)"
   "    VALUES ('delete', old.id, digithek_fold_index (old.title),"
   "            digithek_fold_index (old.summary), digithek_fold_index (old.body),"
   "            'l' || lower (hex (old.language)));"
   "  INSERT INTO item_fts_head (item_fts_head, rowid, title, summary, lang)"
   "    VALUES ('delete', old.id, digithek_fold_index (old.title),"
   "            digithek_fold_index (old.summary), 'l' || lower (hex (old.language)));"
   "  INSERT INTO item_fts (rowid, title, summary, body, lang)"
   "    VALUES (new.id, digithek_fold_index (new.title), digithek_fold_index (new.summary),"
   "            digithek_fold_index (new.body), 'l' || lower (hex (new.language)));"
   "  INSERT INTO item_fts_head (rowid, title, summary, lang)"
   "    VALUES (new.id, digithek_fold_index (new.title), digithek_fold_index (new.summary),"
   "            'l' || lower (hex (new.language)));"
   "END;"
   "INSERT INTO item_fts (rowid, title, summary, body, lang)"
   "  SELECT id, digithek_fold_index (title), digithek_fold_index (summary),"
   "         digithek_fold_index (body), 'l' || lower (hex (language)) FROM item_texts;"
   "INSERT INTO item_fts_head (rowid, title, summary, lang)"
   "  SELECT id, digithek_fold_index (title), digithek_fold_index (summary),"
   "         'l' || lower (hex (language)) FROM item_texts;"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == DIGITHEK_STORE_SCHEMA_VERSION);

/* How long a statement waits for another connection's lock (another process with the
 * same store) before it fails with SQLITE_BUSY. */
#define BUSY_TIMEOUT_MS 5000
/* sqlite page cache sizes, in KiB when negative (PRAGMA cache_size). */
#define READ_CACHE_KIB   -4096
#define IMPORT_CACHE_KIB -32768

/* ------------------------------------------------------------------------------------ */
/* The worker side                                                                      */
/* ------------------------------------------------------------------------------------ */

struct _DigithekStoreDb
{
  GThread     *thread;      /* the worker; set by the worker itself */
  GAsyncQueue *queue;       /* of Job */
  char        *path;
  sqlite3     *handle;
  GHashTable  *statements;  /* SQL text → sqlite3_stmt, persistent */
};

typedef void (*JobFunc) (DigithekStoreDb *db,
                         GTask           *task,
                         gpointer         task_data,
                         GCancellable    *cancellable);

typedef struct
{
  JobFunc  func;   /* %NULL: quit */
  GTask   *task;
} Job;

void
digithek_store_db_assert_thread (DigithekStoreDb *db)
{
  g_assert (db != NULL);
  g_assert (g_thread_self () == db->thread);
}

sqlite3 *
digithek_store_db_get_handle (DigithekStoreDb *db)
{
  digithek_store_db_assert_thread (db);
  return db->handle;
}

const char *
digithek_store_db_get_path (DigithekStoreDb *db)
{
  return db->path;
}

gboolean
digithek_store_db_set_error (DigithekStoreDb  *db,
                             int               rc,
                             const char       *what,
                             GError          **error)
{
  const char *message = db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc);

  /* The connection's message can be stale for some codes; prefer the code's text. */
  if (db->handle == NULL || sqlite3_errcode (db->handle) != rc)
    message = sqlite3_errstr (rc);
  g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_FAILED,
               "%s: %s: %s (sqlite error %d)", db->path, what, message, rc);
  return FALSE;
}

void
digithek_store_stmt_release (DigithekStoreStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

DigithekStoreStmt *
digithek_store_db_statement (DigithekStoreDb  *db,
                             const char       *sql,
                             GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  digithek_store_db_assert_thread (db);

  stmt = g_hash_table_lookup (db->statements, sql);
  if (stmt != NULL)
    return stmt;

  /* Persistent: these live as long as the connection and run many times. */
  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("preparing “%s”", sql);
      digithek_store_db_set_error (db, rc, what, error);
      return NULL;
    }
  g_hash_table_insert (db->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
digithek_store_db_exec (DigithekStoreDb  *db,
                        const char       *sql,
                        GError          **error)
{
  g_autofree char *message = NULL;
  int rc;

  digithek_store_db_assert_thread (db);

  rc = sqlite3_exec (db->handle, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_FAILED,
                   "%s: running “%.60s”: %s (sqlite error %d)", db->path, sql,
                   message != NULL ? message : sqlite3_errstr (rc), rc);
      sqlite3_free (g_steal_pointer (&message));
      return FALSE;
    }
  return TRUE;
}

gboolean
digithek_store_db_step_done (DigithekStoreDb  *db,
                             sqlite3_stmt     *stmt,
                             const char       *what,
                             GError          **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return digithek_store_db_set_error (db, rc, what, error);
  return TRUE;
}

gboolean
digithek_store_db_begin (DigithekStoreDb  *db,
                         GError          **error)
{
  /* IMMEDIATE: take the write lock now rather than fail half-way. */
  return digithek_store_db_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
digithek_store_db_commit (DigithekStoreDb  *db,
                          GError          **error)
{
  return digithek_store_db_exec (db, "COMMIT", error);
}

void
digithek_store_db_rollback (DigithekStoreDb *db)
{
  g_autoptr(GError) error = NULL;

  digithek_store_db_assert_thread (db);

  /* After SQLITE_FULL, IOERR or NOMEM sqlite may already have rolled back. */
  if (sqlite3_get_autocommit (db->handle))
    return;
  if (!digithek_store_db_exec (db, "ROLLBACK", &error))
    g_warning ("%s", error->message);
}

gboolean
digithek_store_db_delete_version (DigithekStoreDb  *db,
                                  const char       *pack_id,
                                  gint64            version,
                                  GError          **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  DigithekStoreStmt *stmt;
  int rc;

  stmt = digithek_store_db_statement (db,
      "SELECT d.table_name FROM datasets d JOIN items i ON i.id = d.item"
      " WHERE i.pack_id = ?1 AND i.pack_version = ?2", error);
  if (stmt == NULL)
    return FALSE;
  {
    G_GNUC_UNUSED g_autoptr(DigithekStoreStmt) guard = stmt;

    sqlite3_bind_text (stmt, 1, pack_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, version);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    if (rc != SQLITE_DONE)
      return digithek_store_db_set_error (db, rc, "listing dataset tables", error);
  }

  /* Dropping a table is much cheaper than deleting a million rows one by one. */
  for (guint i = 0; i < tables->len; i++)
    {
      const char *name = g_ptr_array_index (tables, i);
      g_autofree char *sql = NULL;

      /* We made these names; refuse anything else rather than quote it into SQL. */
      if (!g_str_has_prefix (name, "dataset_") || strspn (name + 8, "0123456789") != strlen (name + 8))
        {
          g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_FAILED,
                       "%s: unexpected dataset table name “%s”", db->path, name);
          return FALSE;
        }
      sql = g_strdup_printf ("DROP TABLE IF EXISTS %s", name);
      if (!digithek_store_db_exec (db, sql, error))
        return FALSE;
    }

  /* Items, texts (and through a trigger their index entries), datasets and asset
   * references go with the pack row: ON DELETE CASCADE. */
  stmt = digithek_store_db_statement (db, "DELETE FROM packs WHERE id = ?1 AND version = ?2",
                                      error);
  if (stmt == NULL)
    return FALSE;
  {
    G_GNUC_UNUSED g_autoptr(DigithekStoreStmt) guard = stmt;
    g_autofree char *what = g_strdup_printf ("deleting pack %s version %" G_GINT64_FORMAT,
                                             pack_id, version);

    sqlite3_bind_text (stmt, 1, pack_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, version);
    return digithek_store_db_step_done (db, stmt, what, error);
  }
}

gboolean
digithek_store_db_collect_assets (DigithekStoreDb  *db,
                                  GError          **error)
{
  g_autoptr(DigithekStoreStmt) stmt = NULL;

  stmt = digithek_store_db_statement (db,
      "DELETE FROM assets WHERE NOT EXISTS"
      " (SELECT 1 FROM pack_assets r WHERE r.sha256 = assets.sha256)", error);
  if (stmt == NULL)
    return FALSE;
  return digithek_store_db_step_done (db, stmt, "deleting unused assets", error);
}

/* Runs a PRAGMA and, when @expected is given, checks its one result: sqlite ignores
 * unknown or impossible settings silently, so reading the value back is the only way
 * to know it took. */
static gboolean
db_pragma (DigithekStoreDb  *db,
           const char       *sql,
           const char       *expected,
           GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *value = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db->handle, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return digithek_store_db_set_error (db, rc, sql, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (value == NULL && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
      value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return digithek_store_db_set_error (db, rc, sql, error);

  if (expected != NULL && g_ascii_strcasecmp (value != NULL ? value : "", expected) != 0)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_FAILED,
                   "%s: “%s” gave “%s”, expected “%s”", db->path, sql,
                   value != NULL ? value : "(nothing)", expected);
      return FALSE;
    }
  return TRUE;
}

/* Returns %TRUE when the file passed the check; %FALSE with @broken_reason set when it is
 * corrupt or no database; %FALSE with @error set when the check could not run at all
 * (locked, unreadable…), in which case the file must be left alone. */
static gboolean
db_quick_check (DigithekStoreDb  *db,
                char            **broken_reason,
                GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  rc = sqlite3_prepare_v2 (db->handle, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *line = (const char *) sqlite3_column_text (stmt, 0);

          if (g_strcmp0 (line, "ok") != 0)
            g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", line);
        }
      sqlite3_finalize (stmt);
    }

  switch (rc & 0xff)
    {
    case SQLITE_OK:
    case SQLITE_DONE:
      if (problems->len == 0)
        return TRUE;
      *broken_reason = g_string_free (g_steal_pointer (&problems), FALSE);
      return FALSE;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      *broken_reason = g_strdup (sqlite3_errstr (rc));
      return FALSE;
    default:
      return digithek_store_db_set_error (db, rc, "PRAGMA quick_check", error);
    }
}

static void
db_close_handle (DigithekStoreDb *db)
{
  int rc;

  g_hash_table_remove_all (db->statements);
  if (db->handle == NULL)
    return;
  rc = sqlite3_close (db->handle);
  if (rc != SQLITE_OK)
    g_warning ("%s: closing: %s", db->path, sqlite3_errstr (rc));
  db->handle = NULL;
}

static gboolean
move_aside (const char  *path,
            char       **out_broken_path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.broken-%s", path, stamp);
  static const char * const suffixes[] = { "-wal", "-shm" };

  /* Never overwrite an earlier broken file: it may be all that is left. */
  for (guint n = 2; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.broken-%s-%u", path, stamp, n);
    }

  if (g_rename (path, target) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: cannot move the broken store aside to %s: %s",
                   path, target, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);

      if (g_rename (from, to) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "%s: cannot move %s aside: %s", path, from, g_strerror (saved_errno));
          return FALSE;
        }
    }

  *out_broken_path = g_steal_pointer (&target);
  return TRUE;
}

/* digithek_fold_index (TEXT): what the search index holds for a text; NULL stays NULL.
 * The index's triggers call it, so every connection that writes item_texts needs it. */
static void
sql_fold_index (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  const char *text;
  char *folded;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  text = (const char *) sqlite3_value_text (argv[0]);
  if (text == NULL)
    {
      sqlite3_result_error_nomem (context);
      return;
    }
  folded = digithek_fold_index_text (text);
  sqlite3_result_text (context, folded, -1, g_free);
}

static gboolean
db_open_handle (DigithekStoreDb  *db,
                GError          **error)
{
  int rc;

  /* NOMUTEX: only the worker thread ever touches the connection. */
  rc = sqlite3_open_v2 (db->path, &db->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      digithek_store_db_set_error (db, rc, "opening", error);
      db_close_handle (db);
      return FALSE;
    }
  sqlite3_extended_result_codes (db->handle, 1);
  /* Before anything else touches the file: another process (the kiosk and `digithek
   * --status`, say) may be creating or writing the same store right now, and every
   * statement from the check on must wait for its lock rather than fail with
   * "database is locked". */
  rc = sqlite3_busy_timeout (db->handle, BUSY_TIMEOUT_MS);
  if (rc != SQLITE_OK)
    {
      digithek_store_db_set_error (db, rc, "setting the busy timeout", error);
      db_close_handle (db);
      return FALSE;
    }
  rc = sqlite3_create_function_v2 (db->handle, "digithek_fold_index", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, sql_fold_index, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      digithek_store_db_set_error (db, rc, "registering digithek_fold_index()", error);
      db_close_handle (db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
db_user_version (DigithekStoreDb  *db,
                 gint64           *version,
                 GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db->handle, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return digithek_store_db_set_error (db, rc, "PRAGMA user_version", error);
  rc = sqlite3_step (stmt);
  *version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return digithek_store_db_set_error (db, rc, "PRAGMA user_version", error);
  if (*version > DIGITHEK_STORE_SCHEMA_VERSION || *version < 0)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_SCHEMA,
                   "%s: schema version %" G_GINT64_FORMAT " is newer than this program "
                   "knows (%d)", db->path, *version, DIGITHEK_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

/* Two processes may open the same new store at once (the kiosk creating it while
 * `digithek --status` looks at it): the version read and the migrations that follow
 * from it must be one transaction, or both would run migration 0 and the second fail
 * on "table packs already exists". A store that is up to date needs no write lock:
 * the version only ever grows, so reading the current one outside a transaction is
 * enough to know there is nothing to do. */
static gboolean
db_migrate (DigithekStoreDb  *db,
            GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 version;

  if (!db_user_version (db, &version, error))
    return FALSE;
  if (version == DIGITHEK_STORE_SCHEMA_VERSION)
    return TRUE;

  /* IMMEDIATE: the write lock first (waiting for it), then the version it protects. */
  if (!digithek_store_db_begin (db, &local_error) ||
      !db_user_version (db, &version, &local_error))
    goto failed;

  for (; version < DIGITHEK_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = NULL;

      g_debug ("%s: migrating schema %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT,
               db->path, version, version + 1);
      set_version = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version + 1);
      if (!digithek_store_db_exec (db, migrations[version], &local_error) ||
          !db_pragma (db, set_version, NULL, &local_error))
        {
          g_prefix_error (&local_error,
                          "Migrating the schema to version %" G_GINT64_FORMAT ": ",
                          version + 1);
          goto failed;
        }
    }
  if (!digithek_store_db_commit (db, &local_error))
    goto failed;
  return TRUE;

failed:
  digithek_store_db_rollback (db);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Switching a new file to WAL takes an exclusive lock for a moment; sqlite does not
 * always call the busy handler for it (it cannot while another connection is in the
 * middle of creating the file), so a second process opening the same new store can
 * get SQLITE_BUSY at once. Retry for as long as the busy timeout would wait. */
static gboolean
db_set_wal (DigithekStoreDb  *db,
            GError          **error)
{
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      int rc;

      if (db_pragma (db, "PRAGMA journal_mode = WAL", "wal", &local_error))
        return TRUE;
      rc = sqlite3_errcode (db->handle) & 0xff;
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || g_get_monotonic_time () > deadline)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
}

static gboolean
db_configure (DigithekStoreDb  *db,
              GError          **error)
{
  /* The busy timeout is set as the handle opens (db_open_handle()). */
  /* WAL: readers (the status command) never block the worker, and a crash leaves the
   * last committed state. synchronous = FULL makes each commit durable: in WAL mode it
   * costs one fsync per transaction, and an import is a single transaction. */
  /* Large pages: a dataset's CSV is stored as one blob of tens of megabytes, and its
   * rows by the million; 64 KiB pages make both cost a fraction of the page-by-page
   * work (and the checkpoint) of the default 4 KiB. It only takes effect when the file
   * is created, before WAL is switched on. */
  return db_pragma (db, "PRAGMA page_size = 65536", NULL, error) &&
         db_set_wal (db, error) &&
         db_pragma (db, "PRAGMA synchronous = FULL", NULL, error) &&
         db_pragma (db, "PRAGMA synchronous", "2", error) &&
         db_pragma (db, "PRAGMA foreign_keys = ON", NULL, error) &&
         db_pragma (db, "PRAGMA foreign_keys", "1", error) &&
         /* A small page cache for reading: the kiosk opens one item at a time and the
          * OS keeps the file's pages anyway, while a 32 MB cache filled page by page
          * over thousands of opened items (64 KiB pages, on the worker's malloc arena).
          * Imports get the large one for their duration (import_job()). */
         db_pragma (db, "PRAGMA cache_size = " G_STRINGIFY (READ_CACHE_KIB), NULL, error) &&
         db_pragma (db, "PRAGMA temp_store = MEMORY", NULL, error) &&
         /* Do not let a big import leave a WAL file of its size behind. */
         db_pragma (db, "PRAGMA journal_size_limit = 67108864", "67108864", error);
}

typedef struct
{
  gboolean was_reset;
  char    *broken_path;
} OpenResult;

/* %FALSE with @reason when @path exists, is not empty, and does not start like an
 * SQLite database. A missing or empty file is a fresh store. */
static gboolean
db_header_ok (const char  *path,
              char       **reason)
{
  static const char magic[16] = "SQLite format 3";
  char header[16];
  gssize n;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return TRUE;
  n = read (fd, header, sizeof header);
  g_close (fd, NULL);
  if (n == 0 || n < 0)
    return TRUE;
  if (n < (gssize) sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      *reason = g_strdup ("not an SQLite database");
      return FALSE;
    }
  return TRUE;
}

static gboolean
db_open (DigithekStoreDb  *db,
         OpenResult       *result,
         GError          **error)
{
  g_autofree char *broken_reason = NULL;
  g_autoptr(GError) check_error = NULL;

  /* Look at the header before sqlite does: opening a file that is no database makes
   * sqlite delete a -wal file beside it, which may be all that is left of the data. */
  if (!db_header_ok (db->path, &broken_reason))
    {
      if (!move_aside (db->path, &result->broken_path, error))
        return FALSE;
      result->was_reset = TRUE;
      g_warning ("Store %s failed its check (%s); moved it aside to %s and starting empty",
                 db->path, broken_reason, result->broken_path);
      g_clear_pointer (&broken_reason, g_free);
    }

  if (!db_open_handle (db, error))
    return FALSE;

  if (!result->was_reset && !db_quick_check (db, &broken_reason, &check_error))
    {
      if (check_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&check_error));
          db_close_handle (db);
          return FALSE;
        }

      db_close_handle (db);
      if (!move_aside (db->path, &result->broken_path, error))
        return FALSE;
      result->was_reset = TRUE;
      g_warning ("Store %s failed its check (%s); moved it aside to %s and starting empty",
                 db->path, broken_reason, result->broken_path);
      if (!db_open_handle (db, error))
        return FALSE;
    }

  if (!db_configure (db, error) || !db_migrate (db, error))
    {
      db_close_handle (db);
      return FALSE;
    }
  return TRUE;
}

static void open_job (DigithekStoreDb *db,
                      GTask           *task,
                      gpointer         task_data,
                      GCancellable    *cancellable);

static gpointer
worker_main (gpointer data)
{
  DigithekStoreDb *db = data;
  Job *job;

  db->thread = g_thread_self ();

  while ((job = g_async_queue_pop (db->queue))->func != NULL)
    {
      GTask *task = job->task;

      if (g_task_return_error_if_cancelled (task))
        {
          /* Cancelled before it started: nothing to do. */
        }
      else if (db->handle == NULL && job->func != open_job)
        g_task_return_new_error (task, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_CLOSED,
                                 "%s: the store is not open", db->path);
      else
        job->func (db, task, g_task_get_task_data (task), g_task_get_cancellable (task));
      g_object_unref (task);
      g_free (job);
    }
  g_free (job);

  db_close_handle (db);
  g_hash_table_unref (db->statements);
  g_async_queue_unref (db->queue);
  g_free (db->path);
  g_free (db);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* The object                                                                           */
/* ------------------------------------------------------------------------------------ */

struct _DigithekStore
{
  GObject parent_instance;

  /* owned */
  char        *path;
  char        *broken_path;
  gboolean     was_reset;
  gboolean     closed;
  GThread     *thread;
  GAsyncQueue *queue;   /* our reference; the worker holds its own */
};

G_DEFINE_FINAL_TYPE (DigithekStore, digithek_store, G_TYPE_OBJECT)

void
digithek_store_close (DigithekStore *self)
{
  Job *quit;

  g_return_if_fail (DIGITHEK_IS_STORE (self));

  if (self->closed)
    return;
  self->closed = TRUE;

  /* The worker finishes every job queued before this one, then exits. */
  quit = g_new0 (Job, 1);
  g_async_queue_push (self->queue, quit);

  /* The last reference can go away on the worker itself, when a finished task held it;
   * a thread cannot join itself, so let it exit on its own. */
  if (g_thread_self () == self->thread)
    g_thread_unref (g_steal_pointer (&self->thread));
  else
    g_thread_join (g_steal_pointer (&self->thread));
}

static void
digithek_store_finalize (GObject *object)
{
  DigithekStore *self = DIGITHEK_STORE (object);

  digithek_store_close (self);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->broken_path, g_free);

  G_OBJECT_CLASS (digithek_store_parent_class)->finalize (object);
}

static void
digithek_store_class_init (DigithekStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = digithek_store_finalize;
}

static void
digithek_store_init (DigithekStore *self)
{
}

static DigithekStore *
digithek_store_new_internal (const char *path)
{
  DigithekStore *self = g_object_new (DIGITHEK_TYPE_STORE, NULL);
  DigithekStoreDb *db = g_new0 (DigithekStoreDb, 1);

  self->path = g_strdup (path);
  self->queue = g_async_queue_new ();

  db->path = g_strdup (path);
  db->queue = g_async_queue_ref (self->queue);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) sqlite3_finalize);
  self->thread = g_thread_new ("digithek-store", worker_main, db);
  return self;
}

static void
store_queue (DigithekStore *self,
             GTask         *task,
             JobFunc        func)
{
  Job *job;

  if (self->closed)
    {
      g_task_return_new_error (task, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_CLOSED,
                               "%s: the store is closed", self->path);
      return;
    }
  job = g_new0 (Job, 1);
  job->func = func;
  job->task = g_object_ref (task);
  g_async_queue_push (self->queue, job);
}

/* The blocking variants run the asynchronous operation with a private main context and
 * iterate it until the worker answers: one code path for both. */
typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} SyncWait;

static void
sync_wait_begin (SyncWait *wait)
{
  wait->context = g_main_context_new ();
  wait->result = NULL;
  g_main_context_push_thread_default (wait->context);
}

static void
sync_wait_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static void
sync_wait_end (SyncWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (wait->context, TRUE);
  g_main_context_pop_thread_default (wait->context);
  g_clear_pointer (&wait->context, g_main_context_unref);
}

static GTask *
store_task_new (DigithekStore       *self,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/* ---- open ---- */

static void
open_job (DigithekStoreDb *db,
          GTask           *task,
          gpointer         task_data,
          GCancellable    *cancellable)
{
  DigithekStore *self = g_task_get_source_object (task);
  OpenResult result = { FALSE, NULL };
  GError *error = NULL;

  if (!db_open (db, &result, &error))
    {
      g_free (result.broken_path);
      g_task_return_error (task, error);
      return;
    }
  /* Written before the task returns, read only after: the return synchronizes. */
  self->was_reset = result.was_reset;
  self->broken_path = result.broken_path;
  g_task_return_boolean (task, TRUE);
}

void
digithek_store_new_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(DigithekStore) self = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  self = digithek_store_new_internal (path);
  task = store_task_new (self, digithek_store_new_async, cancellable, callback, user_data);
  store_queue (self, task, open_job);
}

DigithekStore *
digithek_store_new_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(DigithekStore) self = NULL;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_new_async, NULL);

  self = g_object_ref (g_task_get_source_object (G_TASK (result)));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_steal_pointer (&self);
}

DigithekStore *
digithek_store_new_sync (const char    *path,
                         GCancellable  *cancellable,
                         GError       **error)
{
  SyncWait wait;
  DigithekStore *store;

  sync_wait_begin (&wait);
  digithek_store_new_async (path, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  store = digithek_store_new_finish (wait.result, error);
  g_object_unref (wait.result);
  return store;
}

const char *
digithek_store_get_path (DigithekStore *self)
{
  g_return_val_if_fail (DIGITHEK_IS_STORE (self), NULL);
  return self->path;
}

gboolean
digithek_store_was_reset (DigithekStore *self)
{
  g_return_val_if_fail (DIGITHEK_IS_STORE (self), FALSE);
  return self->was_reset;
}

const char *
digithek_store_get_broken_path (DigithekStore *self)
{
  g_return_val_if_fail (DIGITHEK_IS_STORE (self), NULL);
  return self->broken_path;
}

/* ---- import ---- */

typedef struct
{
  DigithekPack              *pack;
  DigithekStoreProgressFunc  progress;
  gpointer                   progress_data;
  GDestroyNotify             progress_destroy;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->pack);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_free (data);
}

static void
import_job (DigithekStoreDb *db,
            GTask           *task,
            gpointer         task_data,
            GCancellable    *cancellable)
{
  ImportData *data = task_data;
  DigithekImportOutcome outcome;
  GError *error = NULL;
  gboolean ok;

  /* Enough page cache for an import's index pages to stay in memory; back to the
   * small reading cache afterwards, which frees the pages beyond it. */
  if (!db_pragma (db, "PRAGMA cache_size = " G_STRINGIFY (IMPORT_CACHE_KIB), NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  ok = digithek_store_db_import_pack (db, data->pack, data->progress, data->progress_data,
                                      cancellable, &outcome, &error);
  if (!db_pragma (db, "PRAGMA cache_size = " G_STRINGIFY (READ_CACHE_KIB), NULL, NULL))
    g_warning ("%s: could not shrink the page cache after an import", db->path);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, outcome);
}

void
digithek_store_import_pack_async (DigithekStore             *self,
                                  DigithekPack              *pack,
                                  DigithekStoreProgressFunc  progress,
                                  gpointer                   progress_data,
                                  GDestroyNotify             progress_destroy,
                                  GCancellable              *cancellable,
                                  GAsyncReadyCallback        callback,
                                  gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (DIGITHEK_IS_PACK (pack));

  task = store_task_new (self, digithek_store_import_pack_async, cancellable, callback, user_data);
  /* Report what happened to the database, even when cancelled after the commit. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (ImportData, 1);
  data->pack = g_object_ref (pack);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  store_queue (self, task, import_job);
}

gboolean
digithek_store_import_pack_finish (DigithekStore          *self,
                                   GAsyncResult           *result,
                                   DigithekImportOutcome  *out_outcome,
                                   GError                **error)
{
  GError *local_error = NULL;
  gssize outcome;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_import_pack_async, FALSE);

  outcome = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_outcome != NULL)
    *out_outcome = (DigithekImportOutcome) outcome;
  return TRUE;
}

gboolean
digithek_store_import_pack_sync (DigithekStore              *self,
                                 DigithekPack               *pack,
                                 DigithekStoreProgressFunc   progress,
                                 gpointer                    progress_data,
                                 DigithekImportOutcome      *out_outcome,
                                 GCancellable               *cancellable,
                                 GError                    **error)
{
  SyncWait wait;
  gboolean ret;

  sync_wait_begin (&wait);
  digithek_store_import_pack_async (self, pack, progress, progress_data, NULL, cancellable,
                                    sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_import_pack_finish (self, wait.result, out_outcome, error);
  g_object_unref (wait.result);
  return ret;
}

/* ---- rollback ---- */

static gboolean
rollback_pack (DigithekStoreDb  *db,
               const char       *pack_id,
               GError          **error)
{
  gint64 active = 0, previous = 0;
  int rc;

  {
    g_autoptr(DigithekStoreStmt) stmt = digithek_store_db_statement (db,
        "SELECT version, state FROM packs WHERE id = ?1", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, pack_id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        if (g_str_equal ((const char *) sqlite3_column_text (stmt, 1), "active"))
          active = sqlite3_column_int64 (stmt, 0);
        else
          previous = sqlite3_column_int64 (stmt, 0);
      }
    if (rc != SQLITE_DONE)
      return digithek_store_db_set_error (db, rc, "reading pack versions", error);
  }

  if (active == 0)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND,
                   "pack %s is not installed", pack_id);
      return FALSE;
    }
  if (previous == 0)
    {
      g_set_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NO_PREVIOUS,
                   "pack %s version %" G_GINT64_FORMAT " has no previous version to roll "
                   "back to", pack_id, active);
      return FALSE;
    }

  if (!digithek_store_db_delete_version (db, pack_id, active, error))
    return FALSE;
  {
    g_autoptr(DigithekStoreStmt) stmt = digithek_store_db_statement (db,
        "UPDATE packs SET state = 'active' WHERE id = ?1 AND version = ?2", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, pack_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, previous);
    if (!digithek_store_db_step_done (db, stmt, "activating the previous version", error))
      return FALSE;
  }
  return digithek_store_db_collect_assets (db, error);
}

static void
rollback_job (DigithekStoreDb *db,
              GTask           *task,
              gpointer         task_data,
              GCancellable    *cancellable)
{
  GError *error = NULL;

  if (!digithek_store_db_begin (db, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!rollback_pack (db, task_data, &error) || !digithek_store_db_commit (db, &error))
    {
      digithek_store_db_rollback (db);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
digithek_store_rollback_pack_async (DigithekStore       *self,
                                    const char          *pack_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (pack_id != NULL);

  task = store_task_new (self, digithek_store_rollback_pack_async, cancellable, callback, user_data);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_strdup (pack_id), g_free);
  store_queue (self, task, rollback_job);
}

gboolean
digithek_store_rollback_pack_finish (DigithekStore  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_rollback_pack_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
digithek_store_rollback_pack_sync (DigithekStore  *self,
                                   const char     *pack_id,
                                   GCancellable   *cancellable,
                                   GError        **error)
{
  SyncWait wait;
  gboolean ret;

  sync_wait_begin (&wait);
  digithek_store_rollback_pack_async (self, pack_id, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_rollback_pack_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

/* ---- reads ---- */

static char *
column_strdup (sqlite3_stmt *stmt,
               int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static DigithekItemKind
column_kind (sqlite3_stmt *stmt,
             int           column)
{
  DigithekItemKind kind = DIGITHEK_ITEM_DATASET;

  if (!digithek_item_kind_from_string ((const char *) sqlite3_column_text (stmt, column), &kind))
    g_debug ("unknown item kind “%s” in the store", sqlite3_column_text (stmt, column));
  return kind;
}

static GStrv
json_to_strv (const char *json)
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

/* Read jobs share one shape of task data. */
typedef struct
{
  char *a;
  char *b;
  char *c;
  guint limit;
} ReadArgs;

static void
read_args_free (ReadArgs *args)
{
  g_free (args->a);
  g_free (args->b);
  g_free (args->c);
  g_free (args);
}

static ReadArgs *
read_args_new (const char *a,
               const char *b,
               const char *c,
               guint       limit)
{
  ReadArgs *args = g_new0 (ReadArgs, 1);

  args->a = g_strdup (a);
  args->b = g_strdup (b);
  args->c = g_strdup (c);
  args->limit = limit;
  return args;
}

static void
store_read_async (DigithekStore       *self,
                  gpointer             source_tag,
                  JobFunc              func,
                  ReadArgs            *args,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = store_task_new (self, source_tag, cancellable, callback, user_data);

  g_task_set_task_data (task, args, (GDestroyNotify) read_args_free);
  store_queue (self, task, func);
}

static gpointer
store_read_finish (DigithekStore  *self,
                   GAsyncResult   *result,
                   gpointer        source_tag,
                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

#define RETURN_SQLITE_ERROR(db, task, rc, what) \
  G_STMT_START { \
    GError *e_ = NULL; \
    digithek_store_db_set_error ((db), (rc), (what), &e_); \
    g_task_return_error ((task), e_); \
    return; \
  } G_STMT_END

/* list packs */

static void
list_packs_job (DigithekStoreDb *db,
                GTask           *task,
                gpointer         task_data,
                GCancellable    *cancellable)
{
  ReadArgs *args = task_data;
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

      info->id = column_strdup (stmt, 0);
      info->version = sqlite3_column_int64 (stmt, 1);
      info->previous_version = sqlite3_column_int64 (stmt, 2);
      info->n_items = sqlite3_column_int (stmt, 3);
      info->n_rows = sqlite3_column_int64 (stmt, 4);
      info->title = column_strdup (stmt, 5);
      info->languages = json_to_strv ((const char *) sqlite3_column_text (stmt, 6));
      info->publisher = column_strdup (stmt, 7);
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

  store_read_async (self, digithek_store_list_packs_async, list_packs_job,
                    read_args_new (language, NULL, NULL, 0), cancellable, callback, user_data);
}

GPtrArray *
digithek_store_list_packs_finish (DigithekStore  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return store_read_finish (self, result, digithek_store_list_packs_async, error);
}

GPtrArray *
digithek_store_list_packs_sync (DigithekStore  *self,
                                const char     *language,
                                GCancellable   *cancellable,
                                GError        **error)
{
  SyncWait wait;
  GPtrArray *ret;

  sync_wait_begin (&wait);
  digithek_store_list_packs_async (self, language, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_list_packs_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

/* list items */

static void
list_items_job (DigithekStoreDb *db,
                GTask           *task,
                gpointer         task_data,
                GCancellable    *cancellable)
{
  ReadArgs *args = task_data;
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

      info->pack_id = column_strdup (stmt, 0);
      info->item_id = column_strdup (stmt, 1);
      info->kind = column_kind (stmt, 2);
      info->title = column_strdup (stmt, 3);
      info->summary = column_strdup (stmt, 4);
      info->image_sha256 = column_strdup (stmt, 5);
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

  store_read_async (self, digithek_store_list_items_async, list_items_job,
                    read_args_new (language, NULL, NULL, 0), cancellable, callback, user_data);
}

GPtrArray *
digithek_store_list_items_finish (DigithekStore  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return store_read_finish (self, result, digithek_store_list_items_async, error);
}

GPtrArray *
digithek_store_list_items_sync (DigithekStore  *self,
                                const char     *language,
                                GCancellable   *cancellable,
                                GError        **error)
{
  SyncWait wait;
  GPtrArray *ret;

  sync_wait_begin (&wait);
  digithek_store_list_items_async (self, language, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_list_items_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
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
  ReadArgs *args = task_data;
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

      info->kind = column_kind (scan, 1);
      g_ptr_array_add (items, info);
      if ((guint) info->kind >= G_N_ELEMENTS (n_full) || n_full[info->kind] >= args->limit)
        continue;
      n_full[info->kind]++;

      sqlite3_bind_int64 (texts, 1, sqlite3_column_int64 (scan, 0));
      sqlite3_bind_text (texts, 2, args->a, -1, SQLITE_STATIC);
      rc = sqlite3_step (texts);
      if (rc == SQLITE_ROW)
        {
          info->pack_id = column_strdup (texts, 0);
          info->item_id = column_strdup (texts, 1);
          info->title = column_strdup (texts, 2);
          info->summary = column_strdup (texts, 3);
          info->image_sha256 = column_strdup (texts, 4);
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

  store_read_async (self, digithek_store_list_home_async, list_home_job,
                    read_args_new (language, NULL, NULL, per_kind), cancellable, callback,
                    user_data);
}

GPtrArray *
digithek_store_list_home_finish (DigithekStore  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return store_read_finish (self, result, digithek_store_list_home_async, error);
}

GPtrArray *
digithek_store_list_home_sync (DigithekStore  *self,
                               const char     *language,
                               guint           per_kind,
                               GCancellable   *cancellable,
                               GError        **error)
{
  SyncWait wait;
  GPtrArray *ret;

  sync_wait_begin (&wait);
  digithek_store_list_home_async (self, language, per_kind, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_list_home_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

/* get item */

static void
get_item_job (DigithekStoreDb *db,
              GTask           *task,
              gpointer         task_data,
              GCancellable    *cancellable)
{
  ReadArgs *args = task_data;
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
  item->pack_id = column_strdup (stmt, 0);
  item->pack_version = sqlite3_column_int64 (stmt, 1);
  item->item_id = column_strdup (stmt, 2);
  item->kind = column_kind (stmt, 3);
  item->language = column_strdup (stmt, 4);
  item->title = column_strdup (stmt, 5);
  item->summary = column_strdup (stmt, 6);
  item->body = column_strdup (stmt, 7);
  item->manifest_json = column_strdup (stmt, 8);
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

  store_read_async (self, digithek_store_get_item_async, get_item_job,
                    read_args_new (pack_id, item_id, language, 0),
                    cancellable, callback, user_data);
}

DigithekStoreItem *
digithek_store_get_item_finish (DigithekStore  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return store_read_finish (self, result, digithek_store_get_item_async, error);
}

DigithekStoreItem *
digithek_store_get_item_sync (DigithekStore  *self,
                              const char     *pack_id,
                              const char     *item_id,
                              const char     *language,
                              GCancellable   *cancellable,
                              GError        **error)
{
  SyncWait wait;
  DigithekStoreItem *ret;

  sync_wait_begin (&wait);
  digithek_store_get_item_async (self, pack_id, item_id, language, cancellable,
                                 sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_get_item_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
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

  rc = sqlite3_prepare_v2 (db->handle, sql->str, -1, &stmt, NULL);
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
            column->texts[row] = column_strdup (stmt, i);
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
  ReadArgs *args = task_data;
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
  table_name = column_strdup (stmt, 0);
  dataset->chart_type = column_strdup (stmt, 1);
  dataset->unit = column_strdup (stmt, 2);
  dataset->x_kind = x_kind_from_string ((const char *) sqlite3_column_text (stmt, 3));
  dataset->x_column = 0;
  dataset->n_y = sqlite3_column_int (stmt, 5);
  dataset->n_rows = sqlite3_column_int64 (stmt, 6);
  dataset->last_time = sqlite3_column_int64 (stmt, 7);

  if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 4), -1, &error) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_task_return_new_error (task, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_FAILED,
                               "%s: dataset %s/%s: unreadable column list", db->path,
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
  g_task_return_pointer (task, g_steal_pointer (&dataset), (GDestroyNotify) digithek_store_dataset_free);
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

  store_read_async (self, digithek_store_get_dataset_async, get_dataset_job,
                    read_args_new (pack_id, item_id, NULL, 0), cancellable, callback, user_data);
}

DigithekStoreDataset *
digithek_store_get_dataset_finish (DigithekStore  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return store_read_finish (self, result, digithek_store_get_dataset_async, error);
}

DigithekStoreDataset *
digithek_store_get_dataset_sync (DigithekStore  *self,
                                 const char     *pack_id,
                                 const char     *item_id,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  SyncWait wait;
  DigithekStoreDataset *ret;

  sync_wait_begin (&wait);
  digithek_store_get_dataset_async (self, pack_id, item_id, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_get_dataset_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

/* search */

/* The ranking statements: each index alone, best first, so that FTS5 keeps only the
 * best rows while it ranks; the language and active-version checks run afterwards on
 * those few rows (search_collect()), not on every row that matched. */
static const char search_head_sql[] =
  "SELECT rowid FROM item_fts_head WHERE item_fts_head MATCH ?1"
  " ORDER BY bm25 (item_fts_head, 10.0, 4.0, 0.0) LIMIT ?2";
static const char search_full_sql[] =
  "SELECT rowid FROM item_fts WHERE item_fts MATCH ?1"
  " ORDER BY bm25 (item_fts, 10.0, 4.0, 1.0, 0.0) LIMIT ?2";

/* Words shorter than this match titles and summaries only: a first letter or two
 * matches nearly every body, and ranking all of them would cost tens of milliseconds
 * per keystroke for results nobody reads. */
#define SEARCH_BODY_MIN_CHARS 3

/* %TRUE when every word of @query has at least SEARCH_BODY_MIN_CHARS characters. */
static gboolean
search_words_are_long (const char *query)
{
  guint run = 0;
  gboolean any = FALSE;

  for (const char *p = query;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          run++;
          continue;
        }
      if (run > 0)
        {
          if (run < SEARCH_BODY_MIN_CHARS)
            return FALSE;
          any = TRUE;
        }
      run = 0;
      if (c == 0)
        return any;
    }
}

/* The index's token for texts in @language (see migration 4). */
static void
append_language_token (GString    *out,
                       const char *language)
{
  g_string_append (out, "\"l");
  for (const guchar *p = (const guchar *) language; *p != '\0'; p++)
    g_string_append_printf (out, "%02x", *p);
  g_string_append_c (out, '"');
}

/* The FTS5 expression for the `lang` column: texts in @language, and in the first
 * language of every active pack that lacks it (whose items fall back to it). The
 * languages come from the store, hex-encoded: nothing a citizen types gets in. */
static gboolean
search_language_filter (DigithekStoreDb  *db,
                        const char       *language,
                        char            **out_filter,
                        GError          **error)
{
  g_autoptr(GString) filter = g_string_new (NULL);
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  int rc;

  append_language_token (filter, language);
  stmt = digithek_store_db_statement (db,
      "SELECT DISTINCT p.fallback FROM packs p WHERE p.state = 'active' AND p.fallback <> ?1"
      "   AND NOT EXISTS (SELECT 1 FROM json_each (p.languages) WHERE value = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, language, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append (filter, " OR ");
      append_language_token (filter, (const char *) sqlite3_column_text (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    return digithek_store_db_set_error (db, rc, "listing fallback languages", error);
  *out_filter = g_string_free (g_steal_pointer (&filter), FALSE);
  return TRUE;
}

typedef struct
{
  GPtrArray  *hits;
  GHashTable *taken;     /* item_texts ids of the hits from the indexes searched before */
  GArray     *accepted;  /* item_texts ids of the hits from the index being searched */
  guint       limit;
} SearchState;

/* Ranks @match in one index (@sql), asking FTS5 for @window rows, and appends the
 * ones that are an active item's text in the wanted language to the hits. Sets
 * @exhausted when the index had no more rows than that. */
static gboolean
search_collect (DigithekStoreDb  *db,
                SearchState      *state,
                const char       *sql,
                const char       *match,
                const char       *language,
                guint             window,
                gboolean         *exhausted,
                GError          **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  DigithekStoreStmt *rank;
  DigithekStoreStmt *lookup;
  int rc;

  rank = digithek_store_db_statement (db, sql, error);
  if (rank == NULL)
    return FALSE;
  {
    G_GNUC_UNUSED g_autoptr(DigithekStoreStmt) guard = rank;

    sqlite3_bind_text (rank, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (rank, 2, window);
    while ((rc = sqlite3_step (rank)) == SQLITE_ROW)
      {
        gint64 rowid = sqlite3_column_int64 (rank, 0);

        g_array_append_val (rowids, rowid);
      }
    if (rc != SQLITE_DONE)
      return digithek_store_db_set_error (db, rc, "searching", error);
  }
  *exhausted = rowids->len < window;

  /* Each item is searched in one language: the wanted one when its pack has it (the
   * importer stored a text row per pack language, fallbacks applied per text map),
   * otherwise its pack's first. */
  lookup = digithek_store_db_statement (db,
      "SELECT i.pack_id, i.item_id, i.kind, t.title, t.summary"
      " FROM item_texts t"
      " JOIN items i ON i.id = t.item"
      " JOIN packs p ON p.id = i.pack_id AND p.version = i.pack_version"
      " WHERE t.id = ?1 AND p.state = 'active'"
      "   AND (t.language = ?2"
      "        OR (t.language = p.fallback"
      "            AND NOT EXISTS (SELECT 1 FROM item_texts x"
      "                            WHERE x.item = t.item AND x.language = ?2)))", error);
  if (lookup == NULL)
    return FALSE;

  for (guint r = 0; r < rowids->len && state->hits->len < state->limit; r++)
    {
      G_GNUC_UNUSED g_autoptr(DigithekStoreStmt) guard = lookup;
      gint64 rowid = g_array_index (rowids, gint64, r);
      DigithekStoreSearchHit *hit;

      if (g_hash_table_contains (state->taken, &rowid))
        continue;
      sqlite3_bind_int64 (lookup, 1, rowid);
      sqlite3_bind_text (lookup, 2, language, -1, SQLITE_STATIC);
      rc = sqlite3_step (lookup);
      if (rc == SQLITE_DONE)
        continue;
      if (rc != SQLITE_ROW)
        return digithek_store_db_set_error (db, rc, "reading a search hit", error);
      hit = g_new0 (DigithekStoreSearchHit, 1);
      hit->pack_id = column_strdup (lookup, 0);
      hit->item_id = column_strdup (lookup, 1);
      hit->kind = column_kind (lookup, 2);
      hit->title = column_strdup (lookup, 3);
      hit->summary = column_strdup (lookup, 4);
      hit->rank = state->hits->len;
      g_ptr_array_add (state->hits, hit);
      g_array_append_val (state->accepted, rowid);
    }
  return TRUE;
}

/* Collects up to state->limit hits from one index. Most rows FTS5 returns can be
 * texts the search does not want (other languages, previous versions), so it asks for
 * a few times the limit and, when that was not enough, ranks again from the top with
 * a wider window until enough are found or the index has no more. */
static gboolean
search_index (DigithekStoreDb  *db,
              SearchState      *state,
              const char       *sql,
              const char       *match,
              const char       *language,
              GError          **error)
{
  guint window = MAX (state->limit, 16) * 4;
  guint start = state->hits->len;

  for (;;)
    {
      gboolean exhausted = FALSE;

      g_array_set_size (state->accepted, 0);
      if (!search_collect (db, state, sql, match, language, window, &exhausted, error))
        return FALSE;
      if (exhausted || state->hits->len >= state->limit)
        break;
      g_ptr_array_remove_range (state->hits, start, state->hits->len - start);
      window = window >= G_MAXINT / 4 ? G_MAXINT : window * 4;
    }
  for (guint i = 0; i < state->accepted->len; i++)
    g_hash_table_add (state->taken, g_memdup2 (&g_array_index (state->accepted, gint64, i),
                                               sizeof (gint64)));
  return TRUE;
}

static void
search_job (DigithekStoreDb *db,
            GTask           *task,
            gpointer         task_data,
            GCancellable    *cancellable)
{
  ReadArgs *args = task_data;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_store_search_hit_free);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) accepted = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* Folded as the index is; each word a quoted prefix term, so that nothing a citizen
   * types is ever read as FTS5 syntax. */
  g_autofree char *match = digithek_fold_query (args->a);
  g_autofree char *title_match = NULL;
  g_autofree char *full_match = NULL;
  g_autofree char *languages = NULL;
  SearchState state = { hits, taken, accepted, args->limit };
  GError *error = NULL;

  if (match == NULL || args->limit == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&hits), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /* Items whose titles have every word first, then those that have them in titles
   * and summaries, then, for words long enough, those where some word is found only
   * in the body; each pass ranked by bm25 and adding only items not found before. */
  if (!search_language_filter (db, args->b, &languages, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  full_match = g_strdup_printf ("(%s) AND lang : (%s)", match, languages);
  title_match = g_strdup_printf ("title : (%s) AND lang : (%s)", match, languages);
  if (!search_index (db, &state, search_head_sql, title_match, args->b, &error) ||
      (hits->len < args->limit &&
       !search_index (db, &state, search_head_sql, full_match, args->b, &error)) ||
      (hits->len < args->limit && search_words_are_long (args->a) &&
       !search_index (db, &state, search_full_sql, full_match, args->b, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&hits), (GDestroyNotify) g_ptr_array_unref);
}

void
digithek_store_search_async (DigithekStore       *self,
                             const char          *query,
                             const char          *language,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (query != NULL && language != NULL);

  store_read_async (self, digithek_store_search_async, search_job,
                    read_args_new (query, language, NULL, limit), cancellable, callback, user_data);
}

GPtrArray *
digithek_store_search_finish (DigithekStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return store_read_finish (self, result, digithek_store_search_async, error);
}

GPtrArray *
digithek_store_search_sync (DigithekStore  *self,
                            const char     *query,
                            const char     *language,
                            guint           limit,
                            GCancellable   *cancellable,
                            GError        **error)
{
  SyncWait wait;
  GPtrArray *ret;

  sync_wait_begin (&wait);
  digithek_store_search_async (self, query, language, limit, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_search_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

/* meta */

static void
get_meta_job (DigithekStoreDb *db,
              GTask           *task,
              gpointer         task_data,
              GCancellable    *cancellable)
{
  ReadArgs *args = task_data;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db, "SELECT value FROM meta WHERE key = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    g_task_return_pointer (task, column_strdup (stmt, 0), g_free);
  else if (rc == SQLITE_DONE)
    g_task_return_pointer (task, NULL, NULL);
  else
    RETURN_SQLITE_ERROR (db, task, rc, "reading meta");
}

void
digithek_store_get_meta_async (DigithekStore       *self,
                               const char          *key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (key != NULL);

  store_read_async (self, digithek_store_get_meta_async, get_meta_job,
                    read_args_new (key, NULL, NULL, 0), cancellable, callback, user_data);
}

char *
digithek_store_get_meta_finish (DigithekStore  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return store_read_finish (self, result, digithek_store_get_meta_async, error);
}

char *
digithek_store_get_meta_sync (DigithekStore  *self,
                              const char     *key,
                              GCancellable   *cancellable,
                              GError        **error)
{
  SyncWait wait;
  char *ret;

  sync_wait_begin (&wait);
  digithek_store_get_meta_async (self, key, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_get_meta_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

static void
set_meta_job (DigithekStoreDb *db,
              GTask           *task,
              gpointer         task_data,
              GCancellable    *cancellable)
{
  ReadArgs *args = task_data;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;

  if (args->b != NULL)
    stmt = digithek_store_db_statement (db,
        "INSERT INTO meta (key, value) VALUES (?1, ?2)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value", &error);
  else
    stmt = digithek_store_db_statement (db, "DELETE FROM meta WHERE key = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  if (args->b != NULL)
    sqlite3_bind_text (stmt, 2, args->b, -1, SQLITE_STATIC);
  if (!digithek_store_db_step_done (db, stmt, "writing meta", &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
digithek_store_set_meta_async (DigithekStore       *self,
                               const char          *key,
                               const char          *value,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (key != NULL);

  task = store_task_new (self, digithek_store_set_meta_async, cancellable, callback, user_data);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, read_args_new (key, value, NULL, 0), (GDestroyNotify) read_args_free);
  store_queue (self, task, set_meta_job);
}

gboolean
digithek_store_set_meta_finish (DigithekStore  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_set_meta_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
digithek_store_set_meta_sync (DigithekStore  *self,
                              const char     *key,
                              const char     *value,
                              GCancellable   *cancellable,
                              GError        **error)
{
  SyncWait wait;
  gboolean ret;

  sync_wait_begin (&wait);
  digithek_store_set_meta_async (self, key, value, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_set_meta_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

/* assets */

static void
has_asset_job (DigithekStoreDb *db,
               GTask           *task,
               gpointer         task_data,
               GCancellable    *cancellable)
{
  ReadArgs *args = task_data;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db, "SELECT 1 FROM assets WHERE sha256 = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    RETURN_SQLITE_ERROR (db, task, rc, "looking up an asset");
  g_task_return_boolean (task, rc == SQLITE_ROW);
}

void
digithek_store_has_asset_async (DigithekStore       *self,
                                const char          *sha256,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (sha256 != NULL);

  store_read_async (self, digithek_store_has_asset_async, has_asset_job,
                    read_args_new (sha256, NULL, NULL, 0), cancellable, callback, user_data);
}

gboolean
digithek_store_has_asset_finish (DigithekStore  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_store_has_asset_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
digithek_store_has_asset_sync (DigithekStore  *self,
                               const char     *sha256,
                               GCancellable   *cancellable,
                               GError        **error)
{
  SyncWait wait;
  gboolean ret;

  sync_wait_begin (&wait);
  digithek_store_has_asset_async (self, sha256, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_has_asset_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}

static void
get_asset_job (DigithekStoreDb *db,
               GTask           *task,
               gpointer         task_data,
               GCancellable    *cancellable)
{
  ReadArgs *args = task_data;
  g_autoptr(DigithekStoreStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = digithek_store_db_statement (db, "SELECT data FROM assets WHERE sha256 = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, args->a, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_task_return_new_error (task, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND,
                               "no asset %s in the store", args->a);
      return;
    }
  if (rc != SQLITE_ROW)
    RETURN_SQLITE_ERROR (db, task, rc, "reading an asset");
  g_task_return_pointer (task,
                         g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0)),
                         (GDestroyNotify) g_bytes_unref);
}

void
digithek_store_get_asset_async (DigithekStore       *self,
                                const char          *sha256,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DIGITHEK_IS_STORE (self));
  g_return_if_fail (sha256 != NULL);

  store_read_async (self, digithek_store_get_asset_async, get_asset_job,
                    read_args_new (sha256, NULL, NULL, 0), cancellable, callback, user_data);
}

GBytes *
digithek_store_get_asset_finish (DigithekStore  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return store_read_finish (self, result, digithek_store_get_asset_async, error);
}

GBytes *
digithek_store_get_asset_sync (DigithekStore  *self,
                               const char     *sha256,
                               GCancellable   *cancellable,
                               GError        **error)
{
  SyncWait wait;
  GBytes *ret;

  sync_wait_begin (&wait);
  digithek_store_get_asset_async (self, sha256, cancellable, sync_wait_cb, &wait);
  sync_wait_end (&wait);
  ret = digithek_store_get_asset_finish (self, wait.result, error);
  g_object_unref (wait.result);
  return ret;
}
