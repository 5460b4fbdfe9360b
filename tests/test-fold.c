/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sqlite3.h>

#include "digithek-fold.h"

static void
test_fold_table (void)
{
  static const struct {
    const char *text;
    const char *folded;
  } cases[] = {
    { "", "" },
    { "Straße", "strasse" },
    { "STRASSE", "strasse" },
    { "ẞ", "ss" },
    { "Überholen", "uberholen" },
    { "U\xcc\x88" "berholen", "uberholen" },   /* decomposed Ü */
    { "Öffentliche Verkehrsmittel", "offentliche verkehrsmittel" },
    { "Ærø Ørsted Œuvre", "aero orsted oeuvre" },
    { "Łódź", "lodz" },
    { "café Crème", "cafe creme" },
    { "ﬁnden ＡＢＣ ²", "finden abc 2" },
    /* Turkish: dotless ı and dotted İ both fold to a plain i. */
    { "Kılıç İstanbul", "kilic istanbul" },
    /* Emoji and CJK are kept: they are words (or separators) of their own. */
    { "Fahrrad 🚲 zählen", "fahrrad 🚲 zahlen" },
    { "東京 データ", "東京 データ" },
    { "Ἀθῆναι Ёлка", "αθηναι елка" },
    { "a-b_c.d", "a-b_c.d" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = digithek_fold_for_search (cases[i].text);

      g_assert_cmpstr (folded, ==, cases[i].folded);
    }
}

static void
test_fold_invalid_utf8 (void)
{
  g_autofree char *folded = digithek_fold_for_search ("ab\xff\xfe" "C");
  g_autofree char *query = digithek_fold_query ("\xc3");

  g_assert_true (g_utf8_validate (folded, -1, NULL));
  g_assert_true (g_str_has_prefix (folded, "ab"));
  g_assert_true (g_str_has_suffix (folded, "c"));
  g_assert_null (query);
}

static void
test_fold_index_text (void)
{
  static const struct {
    const char *text;
    const char *indexed;
  } cases[] = {
    { "", "" },
    { "Straße", "strasse" },
    { "Überholen", "uberholen ueberholen" },
    { "Überholabstände über Überholen",
      "uberholabstande uber uberholen ueberholabstaende ueber ueberholen" },
    { "Größe größe", "grosse grosse groesse" },
    { "Fähre 🚲 東京", "fahre 🚲 東京 faehre" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *indexed = digithek_fold_index_text (cases[i].text);

      g_assert_cmpstr (indexed, ==, cases[i].indexed);
    }
}

static void
test_fold_query (void)
{
  static const struct {
    const char *query;
    const char *expression;   /* NULL: nothing to look for */
  } cases[] = {
    { "", NULL },
    { "   ", NULL },
    { "🚲", NULL },
    { "\"*():^-+", NULL },
    { "Strasse", "\"strasse\"*" },
    { "Straße", "\"strasse\"*" },
    { "Uberholen", "\"uberholen\"*" },
    { "Überh", "(\"uberh\"* OR \"ueberh\"*)" },
    { "Kılıç", "\"kilic\"*" },
    { "東京", "\"東京\"*" },
    { "park AND ride", "\"park\"* AND \"and\"* AND \"ride\"*" },
    { "title:rad NEAR(a b)", "\"title\"* AND \"rad\"* AND \"near\"* AND \"a\"* AND \"b\"*" },
    { "x\" OR \"y", "\"x\"* AND \"or\"* AND \"y\"*" },
    { "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
      "\"1\"* AND \"2\"* AND \"3\"* AND \"4\"* AND \"5\"* AND \"6\"* AND \"7\"* AND "
      "\"8\"* AND \"9\"* AND \"10\"* AND \"11\"* AND \"12\"* AND \"13\"* AND \"14\"* AND "
      "\"15\"* AND \"16\"*" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expression = digithek_fold_query (cases[i].query);

      g_assert_cmpstr (expression, ==, cases[i].expression);
    }
}

/* The folding is only right if FTS5 agrees: index texts the way the store will, and
 * search them with what a citizen types. */
static const char *documents[] = {
  "Straße der Einheit",
  "Überholabstände von Radfahrenden",
  "Ueberholen ohne Umlaut geschrieben",
  "Parkhäuser in Konstanz",
  "Öffnungszeiten 東京 🚲",
};

static GArray *
search (sqlite3    *db,
        const char *query)
{
  g_autofree char *expression = digithek_fold_query (query);
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (expression == NULL)
    return rows;
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, expression, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rows, rowid);
    }
  if (rc != SQLITE_DONE)
    g_printerr ("%s: %s\n", expression, sqlite3_errmsg (db));
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return rows;
}

static void
assert_finds (sqlite3    *db,
              const char *query,
              gint64      first,
              ...)
{
  g_autoptr(GArray) rows = search (db, query);
  va_list args;
  guint n = 0;

  g_test_message ("query: %s", query);
  va_start (args, first);
  for (gint64 expected = first; expected != 0; expected = va_arg (args, gint64))
    {
      g_assert_cmpuint (n, <, rows->len);
      g_assert_cmpint (g_array_index (rows, gint64, n), ==, expected);
      n++;
    }
  va_end (args);
  g_assert_cmpuint (rows->len, ==, n);
}

static void
test_fold_fts5 (void)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE VIRTUAL TABLE t USING fts5 (body,"
                                 " tokenize = 'unicode61 remove_diacritics 2')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  for (gsize i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autofree char *indexed = digithek_fold_index_text (documents[i]);
      char *sql = sqlite3_mprintf ("INSERT INTO t (rowid, body) VALUES (%d, %Q)",
                                   (int) i + 1, indexed);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_free (sql);
    }

  assert_finds (db, "Strasse", (gint64) 1, (gint64) 0);
  assert_finds (db, "straß", (gint64) 1, (gint64) 0);
  assert_finds (db, "STRASSE der", (gint64) 1, (gint64) 0);
  assert_finds (db, "Uberholab", (gint64) 2, (gint64) 0);
  assert_finds (db, "Ueberholab", (gint64) 2, (gint64) 0);
  assert_finds (db, "Überhol", (gint64) 2, (gint64) 3, (gint64) 0);
  assert_finds (db, "Uberhol", (gint64) 2, (gint64) 0);
  assert_finds (db, "ueberhol", (gint64) 2, (gint64) 3, (gint64) 0);
  assert_finds (db, "parkhauser", (gint64) 4, (gint64) 0);
  assert_finds (db, "Parkhaeuser", (gint64) 4, (gint64) 0);
  assert_finds (db, "offnung", (gint64) 5, (gint64) 0);
  assert_finds (db, "東京", (gint64) 5, (gint64) 0);
  assert_finds (db, "radfahrend konstanz", (gint64) 0);
  assert_finds (db, "🚲", (gint64) 0);
  /* Would be FTS5 syntax errors, column filters or operators if passed through. */
  assert_finds (db, "\"", (gint64) 0);
  assert_finds (db, "body:straße", (gint64) 0);
  assert_finds (db, "straße OR parkhäuser", (gint64) 0);
  /* NEAR is a word like any other here, and no document has it. */
  assert_finds (db, "NEAR(straße einheit)", (gint64) 0);
  assert_finds (db, "-Strasse* ^der", (gint64) 1, (gint64) 0);

  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/content/fold/table", test_fold_table);
  g_test_add_func ("/content/fold/invalid-utf8", test_fold_invalid_utf8);
  g_test_add_func ("/content/fold/index-text", test_fold_index_text);
  g_test_add_func ("/content/fold/query", test_fold_query);
  g_test_add_func ("/content/fold/fts5", test_fold_fts5);

  return g_test_run ();
}
