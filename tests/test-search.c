/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Search through the store's public API: folding, prefixes, ranking, languages, hostile
 * input, and the schema 4 migration that re-indexes installed texts folded. */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "digithek-store.h"
#include "store-test-util.h"

typedef struct
{
  char          *dir;
  char          *db_path;
  DigithekStore *store;
} Fixture;

/* A bilingual pack of every kind, with words placed in titles, summaries and bodies so
 * that ranking can be told apart, and an item with German texts only. */
static void
write_city_pack (const char *dir)
{
  tu_write (dir, "pack.json",
    "{\"format\": 1, \"id\": \"stadt\", \"version\": 1,\n"
    " \"title\": {\"de\": \"Stadt\", \"en\": \"City\"}, \"languages\": [\"de\", \"en\"],\n"
    " \"items\": [\n"
    "  {\"id\": \"strasse\", \"kind\": \"explainer\",\n"
    "   \"title\": {\"de\": \"Straßenbeleuchtung\", \"en\": \"Street lighting\"},\n"
    "   \"summary\": {\"de\": \"Laternen an jeder Straße\", \"en\": \"Lamps in every street\"},\n"
    "   \"body\": {\"de\": \"licht.de.md\", \"en\": \"licht.en.md\"}},\n"
    "  {\"id\": \"abstand\", \"kind\": \"dataset\",\n"
    "   \"title\": {\"de\": \"Überholabstände\", \"en\": \"Overtaking distances\"},\n"
    "   \"summary\": {\"de\": \"Gemessen beim Überholen\", \"en\": \"Measured by cyclists\"},\n"
    "   \"data\": \"abstand.csv\",\n"
    "   \"chart\": {\"type\": \"bar\", \"x\": \"monat\", \"y\": [\"cm\"]},\n"
    "   \"source\": {\"name\": \"OBS\", \"license\": \"CC-BY-4.0\"}},\n"
    "  {\"id\": \"radweg\", \"kind\": \"explainer\",\n"
    "   \"title\": {\"de\": \"Radwege in Konstanz\", \"en\": \"Cycle paths in Konstanz\"},\n"
    "   \"summary\": {\"de\": \"Wo es langgeht\", \"en\": \"Where to ride a bicycle\"},\n"
    "   \"body\": {\"de\": \"radweg.de.md\", \"en\": \"radweg.en.md\"}},\n"
    "  {\"id\": \"zaehler\", \"kind\": \"explainer\",\n"
    "   \"title\": {\"de\": \"Zählstellen\", \"en\": \"Counting stations\"},\n"
    "   \"summary\": {\"de\": \"Radfahrende an acht Stellen gezählt\","
    " \"en\": \"Bikes counted at eight places\"},\n"
    "   \"body\": {\"de\": \"leer.md\", \"en\": \"leer.md\"}},\n"
    "  {\"id\": \"sensor\", \"kind\": \"guide\",\n"
    "   \"title\": {\"de\": \"Einen Sensor bauen\", \"en\": \"Build a bike sensor\"},\n"
    "   \"steps\": [{\"title\": {\"de\": \"Anbauen\", \"en\": \"Mount it\"},\n"
    "               \"body\": {\"de\": \"sensor.de.md\", \"en\": \"sensor.en.md\"}}]},\n"
    "  {\"id\": \"geheim\", \"kind\": \"guide\",\n"
    "   \"title\": {\"de\": \"Geheimnummer ändern\"},\n"
    "   \"steps\": [{\"title\": {\"de\": \"PIN-Brief\"}, \"body\": {\"de\": \"pin.md\"}}]},\n"
    "  {\"id\": \"rundgang\", \"kind\": \"tour\",\n"
    "   \"title\": {\"de\": \"Rundgang Mobilität\", \"en\": \"Mobility tour\"},\n"
    "   \"stops\": [\"radweg\", \"abstand\"]}\n"
    " ]}\n", -1);
  tu_write (dir, "licht.de.md", "# Licht\n\nDie Stadt schaltet nachts das Licht aus.\n", -1);
  tu_write (dir, "licht.en.md", "# Light\n\nThe city switches the lights off at night.\n", -1);
  tu_write (dir, "radweg.de.md", "Neue Wege entlang des Rheins.\n", -1);
  tu_write (dir, "radweg.en.md", "New paths along the Rhine.\n", -1);
  tu_write (dir, "leer.md", "Mehr dazu bald.\n", -1);
  tu_write (dir, "sensor.de.md", "Das Rad bekommt einen Ueberholverbot-Aufkleber.\n", -1);
  tu_write (dir, "sensor.en.md", "Fix the sensor to the handlebar.\n", -1);
  tu_write (dir, "pin.md", "Halten Sie den PIN-Brief bereit.\n", -1);
  tu_write (dir, "abstand.csv", "monat,cm\n2026-01,120\n2026-02,131\n", -1);
}

/* A pack in German only: every language falls back to it. */
static void
write_german_pack (const char *dir)
{
  tu_write (dir, "pack.json",
    "{\"format\": 1, \"id\": \"amt\", \"version\": 1,\n"
    " \"title\": {\"de\": \"Amt\"}, \"languages\": [\"de\"],\n"
    " \"items\": [\n"
    "  {\"id\": \"umzug\", \"kind\": \"explainer\",\n"
    "   \"title\": {\"de\": \"Umzug online melden\"},\n"
    "   \"summary\": {\"de\": \"Ohne Wartezeit im Bürgeramt\"},\n"
    "   \"body\": {\"de\": \"umzug.md\"}}\n"
    " ]}\n", -1);
  tu_write (dir, "umzug.md", "Melden Sie Ihre neue Wohnung an.\n", -1);
}

static void
import_dir (DigithekStore *store,
            const char    *dir)
{
  g_autoptr(DigithekPack) pack = tu_load_pack (dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (tu_store_import_pack (store, pack, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *city = NULL;
  g_autofree char *amt = NULL;

  fixture->dir = tu_make_tmpdir ();
  fixture->db_path = g_build_filename (fixture->dir, "store.db", NULL);
  city = g_build_filename (fixture->dir, "stadt", NULL);
  amt = g_build_filename (fixture->dir, "amt", NULL);
  write_city_pack (city);
  write_german_pack (amt);
  fixture->store = tu_open_store (fixture->db_path);
  import_dir (fixture->store, city);
  import_dir (fixture->store, amt);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->store != NULL)
    digithek_store_close (fixture->store);
  g_clear_object (&fixture->store);
  tu_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

static GPtrArray *
search (DigithekStore *store,
        const char    *query,
        const char    *language)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = tu_store_search (store, query, language, 50, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return hits;
}

/* The hits' item ids, space-separated, best first. */
static char *
hit_ids (GPtrArray *hits)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < hits->len; i++)
    {
      DigithekStoreSearchHit *hit = g_ptr_array_index (hits, i);

      g_string_append_printf (ids, "%s%s", i ? " " : "", hit->item_id);
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
search_ids (DigithekStore *store,
            const char    *query,
            const char    *language)
{
  g_autoptr(GPtrArray) hits = search (store, query, language);

  return hit_ids (hits);
}

#define assert_search(store, query, language, expected) \
  G_STMT_START { \
    g_autofree char *ids_ = search_ids ((store), (query), (language)); \
    g_assert_cmpstr (ids_, ==, (expected)); \
  } G_STMT_END

static void
test_fold (Fixture       *fixture,
           gconstpointer  data)
{
  /* ß and ss, as whole words and as prefixes, any case. */
  assert_search (fixture->store, "Stra", "de", "strasse");
  assert_search (fixture->store, "Straße", "de", "strasse");
  assert_search (fixture->store, "Strasse", "de", "strasse");
  assert_search (fixture->store, "STRASSENBEL", "de", "strasse");
  assert_search (fixture->store, "strassenbeleuchtung", "de", "strasse");
  /* Umlauts typed with, without, or spelled out; in a title, a summary and a body
   * (where the text itself spells it out: "Ueberholverbot"). */
  assert_search (fixture->store, "Überholabstände", "de", "abstand");
  assert_search (fixture->store, "Uberholabstande", "de", "abstand");
  assert_search (fixture->store, "Ueberholabstaende", "de", "abstand");
  assert_search (fixture->store, "Uberholen", "de", "abstand");
  assert_search (fixture->store, "Ueberholen", "de", "abstand");
  assert_search (fixture->store, "überholv", "de", "sensor");
  /* A text that spells it out is found by the spelled-out and the umlaut query, not by
   * one without dots: "ue" in a text may be no umlaut at all (as in "Quelle"). */
  assert_search (fixture->store, "Uberholv", "de", "");
  assert_search (fixture->store, "zahlst", "de", "zaehler");
  assert_search (fixture->store, "zaehlst", "de", "zaehler");
  assert_search (fixture->store, "buergeramt", "de", "umzug");
  /* Not everything matches: folding is not fuzziness. */
  assert_search (fixture->store, "Strasen", "de", "");
  assert_search (fixture->store, "Uberholx", "de", "");
}

static void
test_prefix_as_typed (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *word = "Straßenbeleuchtung";

  /* Every prefix from the second character on finds it, as it is typed. */
  for (const char *end = g_utf8_next_char (g_utf8_next_char (word)); ; end = g_utf8_next_char (end))
    {
      g_autofree char *prefix = g_strndup (word, end - word);
      g_autoptr(GPtrArray) hits = search (fixture->store, prefix, "de");
      g_autofree char *ids = hit_ids (hits);

      g_test_message ("%s → %s", prefix, ids);
      g_assert_nonnull (strstr (ids, "strasse"));
      if (*end == '\0')
        break;
    }

  /* Two words: both must match, each as a prefix, in any field. */
  assert_search (fixture->store, "Later Stra", "de", "strasse");
  assert_search (fixture->store, "Stra nirgends", "de", "");
  assert_search (fixture->store, "sen bau", "de", "sensor");
}

static void
test_ranking (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  DigithekStoreSearchHit *hit;

  /* German: "Rad…" in a title, in a summary, in a body, in that order. */
  assert_search (fixture->store, "Rad", "de", "radweg zaehler sensor");
  /* English: "bike" in a title beats "bike" in a summary; "cycl" likewise. */
  assert_search (fixture->store, "bike", "en", "sensor zaehler");
  assert_search (fixture->store, "cycl", "en", "radweg abstand");

  /* Hits carry what the results list shows. */
  hits = search (fixture->store, "Rad", "de");
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->pack_id, ==, "stadt");
  g_assert_cmpstr (hit->title, ==, "Radwege in Konstanz");
  g_assert_cmpstr (hit->summary, ==, "Wo es langgeht");
  g_assert_cmpint (hit->kind, ==, DIGITHEK_ITEM_EXPLAINER);
  hit = g_ptr_array_index (hits, 2);
  g_assert_cmpint (hit->kind, ==, DIGITHEK_ITEM_GUIDE);
  g_assert_null (hit->summary);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture->store, "Rundg", "de");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (((DigithekStoreSearchHit *) g_ptr_array_index (hits, 0))->kind, ==, DIGITHEK_ITEM_TOUR);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture->store, "Überhola", "de");
  g_assert_cmpint (((DigithekStoreSearchHit *) g_ptr_array_index (hits, 0))->kind, ==, DIGITHEK_ITEM_DATASET);

  /* The limit holds. */
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = tu_store_search (fixture->store, "Rad", "de", 2, NULL, NULL);
  g_assert_cmpuint (hits->len, ==, 2);
}

static void
test_language (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  DigithekStoreSearchHit *hit;

  /* Each language searches its own texts. */
  assert_search (fixture->store, "Street", "en", "strasse");
  assert_search (fixture->store, "Street", "de", "");
  assert_search (fixture->store, "Laternen", "en", "");
  assert_search (fixture->store, "Laternen", "de", "strasse");

  /* An item without English falls back, per text map, to the pack's first language;
   * a pack without English to its first language altogether. */
  hits = search (fixture->store, "Geheimn", "en");
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->item_id, ==, "geheim");
  g_assert_cmpstr (hit->title, ==, "Geheimnummer ändern");
  g_clear_pointer (&hits, g_ptr_array_unref);
  assert_search (fixture->store, "Umzug", "en", "umzug");
  assert_search (fixture->store, "Umzug", "de-x-easy", "umzug");
  /* The English item "Counting stations" keeps its English title in English even
   * though its body is one Markdown file for both. */
  hits = search (fixture->store, "count", "en");
  g_assert_cmpstr (((DigithekStoreSearchHit *) g_ptr_array_index (hits, 0))->title, ==,
                   "Counting stations");
}

static void
test_hostile_input (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const nothing[] = {
    "", " ", "\t\n", "\"", "\"\"", "*", "**", "-", "--", "(", ")", "()", "^", ":", "+",
    "\"*\"", "'", "\\", "{}", "[]", "😀", ".", "…",
  };
  static const struct { const char *query; const char *ids; } cases[] = {
    { "\"Stra", "strasse" },
    { "Stra\"", "strasse" },
    { "Stra*", "strasse" },
    { "*Stra", "strasse" },
    { "-Stra", "strasse" },
    { "Stra -Later", "strasse" },
    { "(Stra)", "strasse" },
    { "title:Stra", "" },               /* "title" is a word, not a column filter */
    { "{title summary}: Stra", "" },
    { "^Stra", "strasse" },
    { "Stra OR Rad", "" },              /* "or" is a word like any other */
    { "Stra AND Later", "" },
    { "Stra NOT Rad", "" },
    { "NEAR(Stra Later)", "" },
    { "NEAR(Stra Later, 2)", "" },
    { "\"Stra\" + \"Later\"", "strasse" },
    { "'; DROP TABLE items; --", "" },
    { "Stra'); DELETE FROM item_texts; --", "" },
    { "Rad\"\"wege", "radweg" },       /* two words, "rad" and "wege" */
    { "Rad\"wege", "radweg" },
  };
  g_autoptr(GString) long_query = g_string_new (NULL);
  g_autoptr(GPtrArray) hits = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    {
      g_test_message ("query: %s", nothing[i]);
      assert_search (fixture->store, nothing[i], "de", "");
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("query: %s", cases[i].query);
      assert_search (fixture->store, cases[i].query, "de", cases[i].ids);
    }

  /* Thousands of words and operators: bounded, no error. */
  for (guint i = 0; i < 2000; i++)
    g_string_append (long_query, "Stra* OR (\"x\" NEAR ");
  hits = search (fixture->store, long_query->str, "de");
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Invalid UTF-8 is searched as what it can be. */
  assert_search (fixture->store, "Stra\xff\xfe", "de", "strasse");

  /* And the store is intact afterwards. */
  assert_search (fixture->store, "Rad", "de", "radweg zaehler sensor");
}

/* The v3 schema's index, as released: unicode61 over the texts as they are. */
static const char v3_index[] =
  "DROP TRIGGER item_texts_ai; DROP TRIGGER item_texts_ad; DROP TRIGGER item_texts_au;"
  "DROP TABLE item_fts;"
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
  "PRAGMA user_version = 3;";

static int
count_matches (sqlite3    *db,
               const char *match)
{
  sqlite3_stmt *stmt = NULL;
  int n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM item_fts WHERE item_fts MATCH ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_migrate_from_v3 (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *city2 = g_build_filename (fixture->dir, "stadt2", NULL);
  g_autofree char *pack_json = NULL;
  sqlite3 *db = NULL;
  int version;

  /* Turn the store into what schema 3 wrote: its texts indexed unfolded. */
  digithek_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (fixture->db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, v3_index, NULL, NULL, NULL), ==, SQLITE_OK);
  /* There, "Strasse" does not find "Straße". */
  g_assert_cmpint (count_matches (db, "\"strasse\"*"), ==, 0);
  g_assert_cmpint (count_matches (db, "\"straße\"*"), >, 0);
  sqlite3_close (db);

  fixture->store = tu_open_store (fixture->db_path);
  assert_search (fixture->store, "Strasse", "de", "strasse");
  assert_search (fixture->store, "Ueberholen", "de", "abstand");
  assert_search (fixture->store, "Rad", "de", "radweg zaehler sensor");
  assert_search (fixture->store, "Street", "en", "strasse");

  /* Importing after the migration indexes folded text, and a replaced version's
   * entries go: the triggers' deletes fold the same way as their inserts. */
  write_city_pack (city2);
  {
    g_autofree char *path = g_build_filename (city2, "pack.json", NULL);
    g_auto(GStrv) parts = NULL;
    g_auto(GStrv) versions = NULL;
    g_autofree char *renamed = NULL;
    g_autofree char *v2 = NULL;

    g_assert_true (g_file_get_contents (path, &pack_json, NULL, NULL));
    parts = g_strsplit (pack_json, "Straßenbeleuchtung", -1);
    renamed = g_strjoinv ("Straßenlaterne", parts);
    versions = g_strsplit (renamed, "\"version\": 1", 2);
    v2 = g_strjoinv ("\"version\": 2", versions);
    tu_write (city2, "pack.json", v2, -1);
  }
  import_dir (fixture->store, city2);
  assert_search (fixture->store, "Strassenlat", "de", "strasse");
  assert_search (fixture->store, "Strassenbel", "de", "");
  g_assert_true (tu_store_rollback_pack (fixture->store, "stadt", NULL, NULL));
  assert_search (fixture->store, "Strassenlat", "de", "");
  assert_search (fixture->store, "Strassenbel", "de", "strasse");

  digithek_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (fixture->db_path, &db), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    version = sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
  }
  g_assert_cmpint (version, ==, DIGITHEK_STORE_SCHEMA_VERSION);
  /* Nothing stale: after the rollback the index holds as many rows as there are texts. */
  g_assert_cmpint (count_matches (db, "\"strassenlaterne\""), ==, 0);
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/content/search/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("fold", test_fold);
  ADD ("prefix-as-typed", test_prefix_as_typed);
  ADD ("ranking", test_ranking);
  ADD ("language", test_language);
  ADD ("hostile-input", test_hostile_input);
  ADD ("migrate-from-v3", test_migrate_from_v3);
#undef ADD

  return g_test_run ();
}
