/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "digithek-store.h"
#include "store-test-util.h"

typedef struct
{
  char *dir;
  char *db_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = tu_make_tmpdir ();
  fixture->db_path = g_build_filename (fixture->dir, "store.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  tu_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

static char *
query_text (const char *db_path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
exec_sql (const char *db_path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_open_fresh (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DigithekStore) store = tu_open_store (fixture->db_path);
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *version = NULL;
  g_autofree char *fts = NULL;

  g_assert_false (digithek_store_was_reset (store));
  g_assert_null (digithek_store_get_broken_path (store));
  g_assert_cmpstr (digithek_store_get_path (store), ==, fixture->db_path);
  packs = tu_store_list_packs (store, "de", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (packs->len, ==, 0);

  /* A second connection sees the schema and WAL while the store is open. */
  mode = query_text (fixture->db_path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  version = query_text (fixture->db_path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, DIGITHEK_STORE_SCHEMA_VERSION);
  fts = query_text (fixture->db_path, "SELECT sql FROM sqlite_schema WHERE name = 'item_fts'");
  /* The index holds folded text (schema 4), not the texts themselves. */
  g_assert_nonnull (strstr (fts, "content = ''"));
  digithek_store_close (store);
  g_assert_true (g_file_test (fixture->db_path, G_FILE_TEST_IS_REGULAR));
}

static void
test_migrate_from_zero (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *value = NULL;

  /* A database at user_version 0 holding something else already. */
  exec_sql (fixture->db_path, "CREATE TABLE unrelated (x); INSERT INTO unrelated VALUES (42);");
  version = query_text (fixture->db_path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "0");
  g_clear_pointer (&version, g_free);

  store = tu_open_store (fixture->db_path);
  g_assert_false (digithek_store_was_reset (store));
  g_assert_true (tu_store_set_meta (store, "k", "v", NULL, &error));
  g_assert_no_error (error);
  value = tu_store_get_meta (store, "k", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "v");
  digithek_store_close (store);

  version = query_text (fixture->db_path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, DIGITHEK_STORE_SCHEMA_VERSION);
  kept = query_text (fixture->db_path, "SELECT x FROM unrelated");
  g_assert_cmpstr (kept, ==, "42");
}

static void
test_migrate_from_one (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(DigithekStore) store = tu_open_store (fixture->db_path);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  /* Undo migration 2 by hand, then open again: the store must redo it. */
  digithek_store_close (store);
  g_clear_object (&store);
  exec_sql (fixture->db_path,
            "DROP TRIGGER item_texts_ai; DROP TRIGGER item_texts_ad; DROP TRIGGER item_texts_au;"
            "DROP TABLE item_fts; DROP TABLE meta; PRAGMA user_version = 1;");
  store = tu_open_store (fixture->db_path);
  hits = tu_store_search (store, "park", "de", 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  digithek_store_close (store);
  version = query_text (fixture->db_path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, DIGITHEK_STORE_SCHEMA_VERSION);
}

static void
test_schema_too_new (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(GError) error = NULL;

  exec_sql (fixture->db_path, "PRAGMA user_version = 99;");
  store = tu_store_new (fixture->db_path, NULL, &error);
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_SCHEMA);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "99"));
  /* Not moved aside: a newer program's store is not broken. */
  g_assert_true (g_file_test (fixture->db_path, G_FILE_TEST_IS_REGULAR));
}

static char *
find_broken (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "store.db.broken-") && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static void
check_reset (Fixture    *fixture,
             const char *expected_contents,
             gsize       expected_length)
{
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  gsize length;

  g_test_expect_message ("digithek-content", G_LOG_LEVEL_WARNING, "*failed its check*moved it aside*");
  store = tu_open_store (fixture->db_path);
  g_test_assert_expected_messages ();

  g_assert_true (digithek_store_was_reset (store));
  broken = find_broken (fixture->dir);
  g_assert_nonnull (broken);
  g_assert_cmpstr (digithek_store_get_broken_path (store), ==, broken);
  base = g_path_get_basename (broken);
  g_assert_true (g_regex_match_simple ("^store\\.db\\.broken-[0-9]{8}T[0-9]{6}$", base, 0, 0));

  /* Kept byte for byte, never deleted. */
  g_file_get_contents (broken, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, expected_contents, expected_length);

  /* And the store works, empty. */
  packs = tu_store_list_packs (store, "de", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (packs->len, ==, 0);
}

static void
test_reset_garbage (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char garbage[] = "this is not a database, just text that got here somehow\n";
  g_autofree char *wal = g_strconcat (fixture->db_path, "-wal", NULL);
  g_autofree char *broken = NULL;
  g_autofree char *broken_wal = NULL;

  g_file_set_contents (fixture->db_path, garbage, -1, NULL);
  g_file_set_contents (wal, "junk", -1, NULL);
  check_reset (fixture, garbage, strlen (garbage));

  broken = find_broken (fixture->dir);
  broken_wal = g_strconcat (broken, "-wal", NULL);
  g_assert_true (g_file_test (broken_wal, G_FILE_TEST_IS_REGULAR));
}

static void
test_reset_corrupt (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pack_dir = g_build_filename (fixture->dir, "pack", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  /* A real store with data in it … */
  {
    g_autoptr(DigithekStore) store = tu_open_store (fixture->db_path);
    g_autoptr(DigithekPack) pack = NULL;

    tu_write_pack (pack_dir, "konstanz-daten", 1, 3000);
    pack = tu_load_pack (pack_dir);
    g_assert_true (tu_store_import_pack (store, pack, NULL, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    digithek_store_close (store);
  }

  /* … with its pages after the first few overwritten, as a failing disk would. */
  g_file_get_contents (fixture->db_path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 8 * 4096);
  for (gsize i = 2 * 4096; i < length; i++)
    contents[i] = (char) (i * 7 + 3);
  g_file_set_contents (fixture->db_path, contents, length, &error);
  g_assert_no_error (error);

  check_reset (fixture, contents, length);
}

static void
test_reset_truncated (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pack_dir = g_build_filename (fixture->dir, "pack", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  {
    g_autoptr(DigithekStore) store = tu_open_store (fixture->db_path);
    g_autoptr(DigithekPack) pack = NULL;

    tu_write_pack (pack_dir, "konstanz-daten", 1, 3000);
    pack = tu_load_pack (pack_dir);
    g_assert_true (tu_store_import_pack (store, pack, NULL, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    digithek_store_close (store);
  }

  g_file_get_contents (fixture->db_path, &contents, &length, &error);
  g_assert_no_error (error);
  length = length / 2;
  g_file_set_contents (fixture->db_path, contents, length, &error);
  g_assert_no_error (error);

  check_reset (fixture, contents, length);
}

static void
test_meta (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(DigithekStore) store = tu_open_store (fixture->db_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *gone = NULL;

  missing = tu_store_get_meta (store, "sync.serial.default", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  g_assert_true (tu_store_set_meta (store, "sync.serial.default", "7", NULL, &error));
  first = tu_store_get_meta (store, "sync.serial.default", NULL, &error);
  g_assert_cmpstr (first, ==, "7");
  g_assert_true (tu_store_set_meta (store, "sync.serial.default", "8", NULL, &error));
  second = tu_store_get_meta (store, "sync.serial.default", NULL, &error);
  g_assert_cmpstr (second, ==, "8");
  g_assert_true (tu_store_set_meta (store, "sync.serial.default", NULL, NULL, &error));
  gone = tu_store_get_meta (store, "sync.serial.default", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (gone);

  /* It survives a restart. */
  g_assert_true (tu_store_set_meta (store, "sync.last.ok", "true", NULL, &error));
  digithek_store_close (store);
  g_clear_object (&store);
  store = tu_open_store (fixture->db_path);
  g_clear_pointer (&first, g_free);
  first = tu_store_get_meta (store, "sync.last.ok", NULL, &error);
  g_assert_cmpstr (first, ==, "true");
}

static void
test_closed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(DigithekStore) store = tu_open_store (fixture->db_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  digithek_store_close (store);
  digithek_store_close (store);
  value = tu_store_get_meta (store, "k", NULL, &error);
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_CLOSED);
  g_assert_null (value);
}

/* ---- async from a main loop ---- */

typedef struct
{
  GMainLoop     *loop;
  GThread       *main_thread;
  DigithekStore *store;
  GPtrArray     *packs;
  int            pending;
  gboolean       cancelled_seen;
} AsyncState;

static void
check_main_context (AsyncState *state)
{
  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
}

static void
list_packs_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;

  check_main_context (state);
  state->packs = digithek_store_list_packs_finish (DIGITHEK_STORE (object), result, &error);
  g_assert_no_error (error);
  if (--state->pending == 0)
    g_main_loop_quit (state->loop);
}

static void
cancelled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  check_main_context (state);
  value = digithek_store_get_meta_finish (DIGITHEK_STORE (object), result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  state->cancelled_seen = TRUE;
  if (--state->pending == 0)
    g_main_loop_quit (state->loop);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  check_main_context (state);
  state->store = digithek_store_new_finish (result, &error);
  g_assert_no_error (error);

  state->pending = 2;
  digithek_store_list_packs_async (state->store, "en", NULL, list_packs_cb, state);
  g_cancellable_cancel (cancellable);
  digithek_store_get_meta_async (state->store, "k", cancellable, cancelled_cb, state);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  AsyncState state = { 0 };

  state.loop = g_main_loop_new (NULL, FALSE);
  state.main_thread = g_thread_self ();
  digithek_store_new_async (fixture->db_path, NULL, opened_cb, &state);
  g_main_loop_run (state.loop);

  g_assert_nonnull (state.packs);
  g_assert_cmpuint (state.packs->len, ==, 0);
  g_assert_true (state.cancelled_seen);
  g_ptr_array_unref (state.packs);
  digithek_store_close (state.store);
  g_assert_finalize_object (state.store);
  g_main_loop_unref (state.loop);
}

static void
test_open_error (void)
{
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = tu_store_new ("/nonexistent-dir/sub/store.db", NULL, &error);
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/sub/store.db"));
  g_assert_null (store);
}

/* ---- two openers of one new store ---- */

typedef struct
{
  DigithekStore *store;
  GError        *error;
  gboolean       done;
} OpenWait;

static void
concurrent_opened_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  OpenWait *wait = user_data;

  wait->store = digithek_store_new_finish (result, &wait->error);
  wait->done = TRUE;
}

/* The kiosk creating its store while `digithek --status` opens the same new file:
 * both must open it, migrated once, in WAL mode, neither failing on "database is
 * locked" or on a migration the other has just run. Each store has its own worker and
 * connection, as two processes would. */
static void
test_open_concurrent (Fixture       *fixture,
                      gconstpointer  data)
{
  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *path = g_strdup_printf ("%s/concurrent-%u.db", fixture->dir, round);
      g_autofree char *mode = NULL;
      g_autofree char *version = NULL;
      OpenWait waits[2] = { { 0, } };

      for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
        digithek_store_new_async (path, NULL, concurrent_opened_cb, &waits[i]);
      while (!waits[0].done || !waits[1].done)
        g_main_context_iteration (NULL, TRUE);

      for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
        {
          g_autoptr(GPtrArray) packs = NULL;
          g_autoptr(GError) error = NULL;

          g_assert_no_error (waits[i].error);
          g_assert_nonnull (waits[i].store);
          g_assert_false (digithek_store_was_reset (waits[i].store));
          packs = tu_store_list_packs (waits[i].store, "de", NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (packs->len, ==, 0);
          g_assert_true (tu_store_set_meta (waits[i].store, "opener", i ? "b" : "a",
                                            NULL, &error));
          g_assert_no_error (error);
        }
      for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
        {
          digithek_store_close (waits[i].store);
          g_clear_object (&waits[i].store);
        }

      mode = query_text (path, "PRAGMA journal_mode");
      g_assert_cmpstr (mode, ==, "wal");
      version = query_text (path, "PRAGMA user_version");
      g_assert_cmpint (atoi (version), ==, DIGITHEK_STORE_SCHEMA_VERSION);
    }
}

/* ---- the home's listing ---- */

static void
assert_same_info (DigithekStoreItemInfo *a,
                  DigithekStoreItemInfo *b)
{
  g_assert_cmpstr (a->pack_id, ==, b->pack_id);
  g_assert_cmpstr (a->item_id, ==, b->item_id);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpstr (a->summary, ==, b->summary);
  g_assert_cmpstr (a->image_sha256, ==, b->image_sha256);
  g_assert_cmpint (a->freshness, ==, b->freshness);
}

static void
test_list_home (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(DigithekStore) store = tu_open_store (fixture->db_path);
  g_autofree char *pack_dir = g_build_filename (fixture->dir, "pack-a", NULL);
  g_autofree char *pack_dir_b = g_build_filename (fixture->dir, "pack-b", NULL);
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(DigithekPack) pack_b = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  /* Two packs of a dataset, an explainer and a guide each. */
  tu_write_pack (pack_dir, "a-daten", 1, 10);
  tu_write_pack (pack_dir_b, "b-daten", 1, 10);
  pack = tu_load_pack (pack_dir);
  pack_b = tu_load_pack (pack_dir_b);
  g_assert_true (tu_store_import_pack (store, pack, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tu_store_import_pack (store, pack_b, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  all = tu_store_list_items (store, "en", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 6);

  for (guint per_kind = 0; per_kind <= 2; per_kind++)
    {
      g_autoptr(GPtrArray) home = tu_store_list_home (store, "en", per_kind, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (home->len, ==, all->len);
      for (guint i = 0; i < home->len; i++)
        {
          DigithekStoreItemInfo *h = g_ptr_array_index (home, i);
          DigithekStoreItemInfo *a = g_ptr_array_index (all, i);
          /* Each pack holds one of each kind: pack a's come first. */
          gboolean full = i / 3 < per_kind;

          g_assert_cmpint (h->kind, ==, a->kind);
          g_assert_cmpint (digithek_store_item_info_is_placeholder (h), ==, !full);
          if (full)
            assert_same_info (h, a);
          else
            g_assert_null (h->title);
        }
    }
  digithek_store_close (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/content/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("open-fresh", test_open_fresh);
  ADD ("migrate-from-0", test_migrate_from_zero);
  ADD ("migrate-from-1", test_migrate_from_one);
  ADD ("schema-too-new", test_schema_too_new);
  ADD ("reset/garbage", test_reset_garbage);
  ADD ("reset/corrupt", test_reset_corrupt);
  ADD ("reset/truncated", test_reset_truncated);
  ADD ("open-concurrent", test_open_concurrent);
  ADD ("list-home", test_list_home);
  ADD ("meta", test_meta);
  ADD ("closed", test_closed);
  ADD ("async-main-context", test_async);
  g_test_add_func ("/content/store/open-error", test_open_error);

  return g_test_run ();
}
