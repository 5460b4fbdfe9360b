/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The store's worker side: the schema and its migrations, opening (check, move aside,
 * WAL, pragmas), the cached statements, and the worker thread's loop. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "digithek-fold.h"
#include "digithek-store-private.h"

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

/* ------------------------------------------------------------------------------------ */
/* The worker side                                                                      */
/* ------------------------------------------------------------------------------------ */

struct _DigithekStoreDb
{
  GThread     *thread;      /* the worker; set by the worker itself */
  GAsyncQueue *queue;       /* of DigithekStoreJob */
  char        *path;
  sqlite3     *handle;
  GHashTable  *statements;  /* SQL text → sqlite3_stmt, persistent */
};

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
gboolean
digithek_store_db_pragma (DigithekStoreDb  *db,
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
          !digithek_store_db_pragma (db, set_version, NULL, &local_error))
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

      if (digithek_store_db_pragma (db, "PRAGMA journal_mode = WAL", "wal", &local_error))
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
  return digithek_store_db_pragma (db, "PRAGMA page_size = 65536", NULL, error) &&
         db_set_wal (db, error) &&
         digithek_store_db_pragma (db, "PRAGMA synchronous = FULL", NULL, error) &&
         digithek_store_db_pragma (db, "PRAGMA synchronous", "2", error) &&
         digithek_store_db_pragma (db, "PRAGMA foreign_keys = ON", NULL, error) &&
         digithek_store_db_pragma (db, "PRAGMA foreign_keys", "1", error) &&
         /* A small page cache for reading: the kiosk opens one item at a time and the
          * OS keeps the file's pages anyway, while a 32 MB cache filled page by page
          * over thousands of opened items (64 KiB pages, on the worker's malloc arena).
          * Imports get the large one for their duration (import_job()). */
         digithek_store_db_pragma (db, "PRAGMA cache_size = " G_STRINGIFY (READ_CACHE_KIB), NULL,
                                   error) &&
         digithek_store_db_pragma (db, "PRAGMA temp_store = MEMORY", NULL, error) &&
         /* Do not let a big import leave a WAL file of its size behind. */
         digithek_store_db_pragma (db, "PRAGMA journal_size_limit = 67108864", "67108864", error);
}

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

gboolean
digithek_store_db_open (DigithekStoreDb  *db,
         DigithekStoreOpenResult       *result,
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

static gpointer
worker_main (gpointer data)
{
  DigithekStoreDb *db = data;
  DigithekStoreJob *job;

  db->thread = g_thread_self ();

  while ((job = g_async_queue_pop (db->queue))->func != NULL)
    {
      GTask *task = job->task;

      if (g_task_return_error_if_cancelled (task))
        {
          /* Cancelled before it started: nothing to do. */
        }
      else if (db->handle == NULL && !job->opens)
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


DigithekStoreDb *
digithek_store_db_start (const char  *path,
                         GAsyncQueue *queue,
                         GThread    **out_thread)
{
  DigithekStoreDb *db = g_new0 (DigithekStoreDb, 1);

  db->path = g_strdup (path);
  db->queue = g_async_queue_ref (queue);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) sqlite3_finalize);
  *out_thread = g_thread_new ("digithek-store", worker_main, db);
  return db;
}

