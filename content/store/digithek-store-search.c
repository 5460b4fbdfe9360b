/* SPDX-License-Identifier: GPL-3.0-or-later */

/* DigithekStore's full-text search (FTS5): words folded as the index was, ranked in
 * groups, never read as FTS5 syntax. */

#include "config.h"

#include "digithek-fold.h"
#include "digithek-store-private.h"

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
      hit->pack_id = digithek_store_column_strdup (lookup, 0);
      hit->item_id = digithek_store_column_strdup (lookup, 1);
      hit->kind = digithek_store_column_kind (lookup, 2);
      hit->title = digithek_store_column_strdup (lookup, 3);
      hit->summary = digithek_store_column_strdup (lookup, 4);
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
  DigithekStoreReadArgs *args = task_data;
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

  digithek_store_read_async (self, digithek_store_search_async, search_job,
                             digithek_store_read_args_new (query, language, NULL, limit), cancellable, callback, user_data);
}

GPtrArray *
digithek_store_search_finish (DigithekStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return digithek_store_read_finish (self, result, digithek_store_search_async, error);
}


