/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Quality bar "search": prefix search over 10,000 items, p99 ≤ 5 ms.
 *
 * Generates a bilingual pack (German and English) of --items items with titles,
 * summaries and Markdown bodies made of a city vocabulary, imports it into a fresh
 * store, then types about twenty German and English words character by character:
 * every prefix is one query, in the word's language, through the public store API
 * (digithek_store_search_async() waited for: the worker thread, a GTask, back to the caller) with
 * the search view's limit. The reference, in the same run, interleaved: the FTS5 MATCH
 * ranking statement the store's main pass runs (titles and summaries, bm25, the same
 * MATCH expression from digithek_fold_query()), prepared once and stepped on its own
 * sqlite3 connection to the same database file; the store does more (a pass over
 * titles alone first, one over bodies when too few are found, the language and
 * active-version checks on each hit). Each prefix runs
 * --rounds times on each side. The exit status is 0 either way: the figure line says
 * PASS or FAIL. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "digithek-fold.h"
#include "digithek-pack.h"
#include "digithek-store.h"
#include "store-test-util.h"

#define BAR_MS 5.0
/* What the search view asks for (ui/views/digithek-search-view.c). */
#define LIMIT 60

static int n_items = 10000;
static int rounds = 5;
static gboolean keep = FALSE;
static gboolean verbose = FALSE;
static char *reuse_dir = NULL;

static GOptionEntry entries[] = {
  { "items", 0, 0, G_OPTION_ARG_INT, &n_items, "Items in the store (10000)", "N" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Runs of every prefix on each side (5)", "N" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temporary folder", NULL },
  { "reuse", 0, 0, G_OPTION_ARG_FILENAME, &reuse_dir,
    "Search the store a --keep run left in DIR instead of generating one", "DIR" },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print the slowest prefixes (median of the rounds)", NULL },
  { NULL },
};

/* The store's ranking statement over titles and summaries (content/digithek-store.c,
 * search_head_sql), with its first window (four times the limit) and its language
 * filter (every pack here has both languages). */
static const char search_sql[] =
  "SELECT rowid FROM item_fts_head WHERE item_fts_head MATCH ?1"
  " ORDER BY bm25 (item_fts_head, 10.0, 4.0, 0.0) LIMIT ?2";

/* Words a citizen types, in the language the kiosk is in. */
static const struct { const char *word; const char *language; } typed[] = {
  { "Straße", "de" }, { "Überholabstand", "de" }, { "Parkhaus", "de" }, { "Fahrrad", "de" },
  { "Luftqualität", "de" }, { "Personalausweis", "de" }, { "Umzug", "de" },
  { "Wetter", "de" }, { "Baustelle", "de" }, { "Bürgeramt", "de" }, { "Klimaanpassung", "de" },
  { "Sensor", "de" }, { "parking", "en" }, { "weather", "en" }, { "bicycle", "en" },
  { "identity", "en" }, { "signature", "en" }, { "overtaking", "en" }, { "registration", "en" },
  { "library", "en" },
};

static const char * const words_de[] = {
  "Straße", "Stadt", "Konstanz", "Heilbronn", "Parkhaus", "Parkplatz", "Fahrrad", "Radweg",
  "Überholabstand", "Überholen", "Sensor", "Messung", "Luftqualität", "Feinstaub", "Stickstoffdioxid",
  "Ozon", "Wetter", "Temperatur", "Niederschlag", "Wind", "Baustelle", "Verkehr", "Bus",
  "Haltestelle", "Bürgeramt", "Personalausweis", "Online", "Umzug", "Wohnung", "Anmeldung",
  "Signatur", "Unterschrift", "Antrag", "Formular", "Termin", "Gebühr", "Bescheid", "Klima",
  "Klimaanpassung", "Hitze", "Schatten", "Baum", "Park", "See", "Rhein", "Brücke", "Schule",
  "Bibliothek", "Rathaus", "Daten", "offen", "Karte", "Zähler", "Stunde", "Woche", "Monat",
  "Jahr", "heute", "morgen", "frei", "belegt", "Platz", "Plätze", "Energie", "Strom", "Solar",
  "Wasser", "Pegel", "Lärm", "Ampel", "Kreuzung", "Fußgänger", "Gehweg", "Sicherheit",
  "Abstand", "Zentimeter", "Meter", "Kilometer", "Funk", "LoRaWAN", "Gateway", "Netz",
  "und", "der", "die", "das", "mit", "für", "von", "im", "am", "auf", "zum", "zur", "ein",
  "eine", "wie", "wo", "wann", "Sie", "Ihre", "neue", "alle", "mehr", "schnell", "einfach",
};

static const char * const words_en[] = {
  "street", "city", "Konstanz", "Heilbronn", "car", "park", "parking", "garage", "bicycle",
  "bike", "lane", "overtaking", "distance", "sensor", "measurement", "air", "quality",
  "particulate", "nitrogen", "dioxide", "ozone", "weather", "temperature", "rain", "wind",
  "roadworks", "traffic", "bus", "stop", "citizen", "office", "identity", "card", "online",
  "moving", "house", "flat", "registration", "signature", "sign", "application", "form",
  "appointment", "fee", "notice", "climate", "adaptation", "heat", "shade", "tree", "lake",
  "Rhine", "bridge", "school", "library", "town", "hall", "data", "open", "map", "counter",
  "hour", "week", "month", "year", "today", "tomorrow", "free", "occupied", "space", "spaces",
  "energy", "power", "solar", "water", "level", "noise", "lights", "crossing", "pedestrian",
  "pavement", "safety", "centimetres", "metres", "kilometres", "radio", "LoRaWAN", "gateway",
  "network", "and", "the", "with", "for", "from", "in", "at", "on", "to", "a", "an", "how",
  "where", "when", "you", "your", "new", "all", "more", "quickly", "simply",
};

/* ---- helpers ---- */

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-search: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (2);
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      rm_rf (child);
    }
  g_rmdir (path);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, contents, -1, &error))
    die ("writing", error);
}

/* @n words of @vocabulary, the first capitalised as they come. */
static void
append_words (GString            *out,
              GRand              *rand,
              const char * const *vocabulary,
              guint               size,
              guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, vocabulary[g_rand_int_range (rand, 0, size)]);
    }
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* A text map with a German and an English text of @n words each. */
static void
append_text_map (GString *json,
                 GRand   *rand,
                 guint    n)
{
  g_autoptr(GString) de = g_string_new (NULL);
  g_autoptr(GString) en = g_string_new (NULL);

  append_words (de, rand, words_de, G_N_ELEMENTS (words_de), n);
  append_words (en, rand, words_en, G_N_ELEMENTS (words_en), n);
  g_string_append (json, "{\"de\": ");
  append_json_string (json, de->str);
  g_string_append (json, ", \"en\": ");
  append_json_string (json, en->str);
  g_string_append_c (json, '}');
}

#define N_BODIES 400

/* The pack: every item with its own title and summary; bodies from a pool of
 * N_BODIES Markdown files per language (a few hundred words each), so that validation
 * stays quick while the index holds realistic volumes of text. */
static char *
make_pack (const char *dir)
{
  g_autofree char *pack = g_build_filename (dir, "pack", NULL);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261127);

  g_mkdir_with_parents (pack, 0755);
  for (guint b = 0; b < N_BODIES; b++)
    {
      g_autoptr(GString) de = g_string_new ("# ");
      g_autoptr(GString) en = g_string_new ("# ");
      g_autofree char *de_name = g_strdup_printf ("body-%u.de.md", b);
      g_autofree char *en_name = g_strdup_printf ("body-%u.en.md", b);

      append_words (de, rand, words_de, G_N_ELEMENTS (words_de), 4);
      append_words (en, rand, words_en, G_N_ELEMENTS (words_en), 4);
      for (guint p = 0; p < 6; p++)
        {
          g_string_append (de, "\n\n");
          g_string_append (en, "\n\n");
          append_words (de, rand, words_de, G_N_ELEMENTS (words_de), 30 + g_rand_int_range (rand, 0, 30));
          append_words (en, rand, words_en, G_N_ELEMENTS (words_en), 30 + g_rand_int_range (rand, 0, 30));
        }
      write_file (pack, de_name, de->str);
      write_file (pack, en_name, en->str);
    }
  write_file (pack, "data.csv", "Datum;Wert\n01.11.2026;1,5\n02.11.2026;2,5\n03.11.2026;3\n");

  g_string_append (json, "{\"format\": 1, \"id\": \"bench\", \"version\": 1,"
                         " \"title\": {\"de\": \"Bench\", \"en\": \"Bench\"},"
                         " \"languages\": [\"de\", \"en\"], \"items\": [");
  for (int i = 0; i < n_items; i++)
    {
      guint body = g_rand_int_range (rand, 0, N_BODIES);

      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_printf (json, "{\"id\": \"i%d\", \"title\": ", i);
      append_text_map (json, rand, 2 + g_rand_int_range (rand, 0, 4));
      g_string_append (json, ", \"summary\": ");
      append_text_map (json, rand, 8 + g_rand_int_range (rand, 0, 10));
      switch (i % 4)
        {
        case 0:
          g_string_append (json, ", \"kind\": \"dataset\", \"data\": \"data.csv\","
                                 " \"chart\": {\"type\": \"line\", \"x\": \"Datum\", \"y\": [\"Wert\"]},"
                                 " \"source\": {\"name\": \"Bench\", \"license\": \"CC0-1.0\"}}");
          break;
        case 1:
          g_string_append_printf (json, ", \"kind\": \"explainer\", \"body\":"
                                        " {\"de\": \"body-%u.de.md\", \"en\": \"body-%u.en.md\"}}",
                                  body, body);
          break;
        case 2:
          g_string_append (json, ", \"kind\": \"guide\", \"steps\": [{\"title\": ");
          append_text_map (json, rand, 3);
          g_string_append_printf (json, ", \"body\": {\"de\": \"body-%u.de.md\","
                                        " \"en\": \"body-%u.en.md\"}}]}", body, body);
          break;
        default:
          g_string_append (json, ", \"kind\": \"tour\", \"stops\": [\"i0\"]}");
          break;
        }
    }
  g_string_append (json, "]}");
  write_file (pack, "pack.json", json->str);
  return g_steal_pointer (&pack);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The @p-th percentile (0…100) of @values, sorted in place: nearest rank. */
static double
percentile (GArray *values,
            double  p)
{
  guint rank;

  g_array_sort (values, compare_doubles);
  rank = (guint) (p / 100.0 * values->len + 0.999999);
  if (rank < 1)
    rank = 1;
  if (rank > values->len)
    rank = values->len;
  return g_array_index (values, double, rank - 1);
}

typedef struct
{
  double      ms;
  const char *word;
  int         length;
  guint       hits;
} Slowest;

/* The process's CPU time (all threads), ms: unlike the wall clock, it does not count
 * the time a thread waits for a CPU on a loaded machine. */
static double
process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static GArray *ours_cpu;
static GArray *reference_cpu;

/* ---- the two sides ---- */

static double
time_store (DigithekStore *store,
            const char    *query,
            const char    *language,
            guint         *n_hits)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  double cpu = process_cpu_ms ();
  gint64 start = g_get_monotonic_time ();

  hits = tu_store_search (store, query, language, LIMIT, NULL, &error);
  if (hits == NULL)
    die ("searching", error);
  *n_hits = hits->len;
  cpu = process_cpu_ms () - cpu;
  g_array_append_val (ours_cpu, cpu);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
time_direct (sqlite3      *db,
             sqlite3_stmt *stmt,
             const char   *query,
             const char   *language,
             guint        *n_hits)
{
  double cpu = process_cpu_ms ();
  gint64 start = g_get_monotonic_time ();
  g_autofree char *folded = digithek_fold_query (query);
  g_autofree char *match = NULL;
  guint n = 0;
  int rc;

  if (folded == NULL)
    {
      *n_hits = 0;
      cpu = process_cpu_ms () - cpu;
      g_array_append_val (reference_cpu, cpu);
      return (g_get_monotonic_time () - start) / 1000.0;
    }
  match = g_strdup_printf ("(%s) AND lang : (\"l%s\")", folded,
                           g_str_equal (language, "de") ? "6465" : "656e");
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, 4 * LIMIT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      (void) sqlite3_column_int64 (stmt, 0);
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      g_printerr ("bench-search: direct query: %s\n", sqlite3_errmsg (db));
      exit (2);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  *n_hits = n;
  cpu = process_cpu_ms () - cpu;
  g_array_append_val (reference_cpu, cpu);
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- search benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) reference = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *pack_dir = NULL;
  g_autofree char *db_path = NULL;
  Slowest slowest = { 0 };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_queries = 0;
  g_autoptr(GPtrArray) per_prefix = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) prefix_names = g_ptr_array_new_with_free_func (g_free);
  guint64 total_hits = 0;
  gint64 start;
  double ours_p50, ours_p99, ref_p50, ref_p99;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-search: %s\n", error->message);
      return 2;
    }
  if (rounds < 1)
    rounds = 1;
  ours_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  reference_cpu = g_array_new (FALSE, FALSE, sizeof (double));

  if (reuse_dir != NULL)
    {
      dir = g_strdup (reuse_dir);
      keep = TRUE;
      db_path = g_build_filename (dir, "store.db", NULL);
      store = tu_store_new (db_path, NULL, &error);
      if (store == NULL)
        die ("opening", error);
    }
  else
    {
      dir = g_dir_make_tmp ("digithek-bench-search-XXXXXX", &error);
      if (dir == NULL)
        die ("temporary folder", error);

      start = g_get_monotonic_time ();
      pack_dir = make_pack (dir);
      pack = digithek_pack_load (pack_dir, NULL, &problems, &error);
      if (pack == NULL)
        die (problems != NULL && problems->len > 0 ? (char *) problems->pdata[0] : "loading the pack",
             error);
      db_path = g_build_filename (dir, "store.db", NULL);
      store = tu_store_new (db_path, NULL, &error);
      if (store == NULL || !tu_store_import_pack (store, pack, NULL, NULL, NULL, NULL, &error))
        die ("importing", error);
      printf ("# setup: %d items (German and English) generated, validated and imported in %.1f s\n",
              n_items, (g_get_monotonic_time () - start) / 1e6);
    }

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, search_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-search: direct connection: %s\n", sqlite3_errmsg (db));
      return 2;
    }
  /* The same page cache as the store's reading connection. */
  sqlite3_exec (db, "PRAGMA cache_size = -4096", NULL, NULL, NULL);

  /* Warm both sides' caches once, untimed: CPU times from here on. */
  for (guint w = 0; w < G_N_ELEMENTS (typed); w++)
    {
      guint n;

      time_store (store, typed[w].word, typed[w].language, &n);
      time_direct (db, stmt, typed[w].word, typed[w].language, &n);
    }

  g_array_set_size (ours_cpu, 0);
  g_array_set_size (reference_cpu, 0);
  for (int r = 0; r < rounds; r++)
    for (guint w = 0, p = 0; w < G_N_ELEMENTS (typed); w++)
      {
        const char *word = typed[w].word;

        for (const char *end = g_utf8_next_char (word);; end = g_utf8_next_char (end))
          {
            g_autofree char *prefix = g_strndup (word, end - word);
            guint n_ours, n_ref;
            double o, d;

            /* Alternate which side goes first. */
            if ((n_queries & 1) == 0)
              {
                o = time_store (store, prefix, typed[w].language, &n_ours);
                d = time_direct (db, stmt, prefix, typed[w].language, &n_ref);
              }
            else
              {
                d = time_direct (db, stmt, prefix, typed[w].language, &n_ref);
                o = time_store (store, prefix, typed[w].language, &n_ours);
              }
            g_array_append_val (ours, o);
            g_array_append_val (reference, d);
            if (r == 0)
              {
                g_ptr_array_add (per_prefix, g_array_new (FALSE, FALSE, sizeof (double)));
                g_ptr_array_add (prefix_names, g_strdup_printf ("%s (%s, %u hits)", prefix,
                                                                typed[w].language, n_ours));
              }
            g_array_append_val (g_ptr_array_index (per_prefix, p), o);
            p++;
            if (o > slowest.ms)
              slowest = (Slowest) { o, word, (int) (end - word), n_ours };
            total_hits += n_ours;
            n_queries++;
            if (*end == '\0')
              break;
          }
      }

  if (verbose)
    {
      g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (double));

      /* Medians, then the ten largest. */
      for (guint p = 0; p < per_prefix->len; p++)
        {
          double m = percentile (g_ptr_array_index (per_prefix, p), 50);

          g_array_append_val (order, m);
        }
      for (guint n = 0; n < 10 && n < order->len; n++)
        {
          guint best = 0;

          for (guint p = 1; p < order->len; p++)
            if (g_array_index (order, double, p) > g_array_index (order, double, best))
              best = p;
          printf ("# slow prefix: %s median %.2f ms\n",
                  (char *) g_ptr_array_index (prefix_names, best), g_array_index (order, double, best));
          g_array_index (order, double, best) = -1;
        }
    }

  /* What any call through the store's worker thread costs on this machine now. */
  {
    g_autoptr(GArray) trips = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = 0; i < ours->len; i++)
      {
        gint64 t0 = g_get_monotonic_time ();
        g_autofree char *value = tu_store_get_meta (store, "bench-none", NULL, NULL);
        double ms = (g_get_monotonic_time () - t0) / 1000.0;

        g_array_append_val (trips, ms);
      }
    printf ("# a call through the store's worker thread (get_meta of a missing key): "
            "p50 %.2f ms, p99 %.2f ms\n", percentile (trips, 50), percentile (trips, 99));
  }

  ours_p50 = percentile (ours, 50);
  ours_p99 = percentile (ours, 99);
  ref_p50 = percentile (reference, 50);
  ref_p99 = percentile (reference, 99);
  printf ("# %u queries (%u prefixes of %u words, %d rounds), %.1f hits on average (limit %d)\n",
          n_queries, n_queries / rounds, (guint) G_N_ELEMENTS (typed), rounds,
          (double) total_hits / n_queries, LIMIT);
  printf ("# slowest: “%.*s” %.2f ms, %u hits; max store %.2f ms, direct %.2f ms\n",
          slowest.length, slowest.word, slowest.ms, slowest.hits,
          g_array_index (ours, double, ours->len - 1),
          g_array_index (reference, double, reference->len - 1));
  {
    double load[3] = { 0, 0, 0 };

    if (getloadavg (load, 3) < 0)
      load[0] = -1;
    printf ("# CPU time (all threads, no waiting for a CPU): store p50 %.2f ms, p99 %.2f ms; "
            "direct p50 %.2f ms, p99 %.2f ms; load average %.1f on %u CPUs\n",
            percentile (ours_cpu, 50), percentile (ours_cpu, 99),
            percentile (reference_cpu, 50), percentile (reference_cpu, 99), load[0],
            g_get_num_processors ());
  }
  printf ("search-p50: %.2f ms (reference: the FTS5 ranking statement stepped directly %.2f ms)\n",
          ours_p50, ref_p50);
  printf ("search-p99: %.2f ms (reference: the FTS5 ranking statement stepped directly %.2f ms, "
          "bar: <= %.1f ms) %s\n", ours_p99, ref_p99, BAR_MS, ours_p99 <= BAR_MS ? "PASS" : "FAIL");

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  digithek_store_close (store);
  g_free (reuse_dir);
  g_array_unref (ours_cpu);
  g_array_unref (reference_cpu);
  if (keep)
    printf ("# kept %s\n", dir);
  else
    rm_rf (dir);
  return 0;
}
