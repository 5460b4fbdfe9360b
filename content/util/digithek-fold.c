/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "digithek-fold.h"

#include <string.h>

/* Letters that have no canonical decomposition but that a citizen types without their
 * stroke or ligature; after case folding, so only lower case is listed. */
static const char *
fold_letter (gunichar c)
{
  switch (c)
    {
    case 0x00E6: return "ae";   /* æ */
    case 0x00F8: return "o";    /* ø */
    case 0x0153: return "oe";   /* œ */
    case 0x0131: return "i";    /* ı, Turkish dotless i */
    case 0x0142: return "l";    /* ł */
    case 0x0111: return "d";    /* đ */
    case 0x00F0: return "d";    /* ð */
    case 0x00FE: return "th";   /* þ */
    default:     return NULL;
    }
}

/* The German spelling of an umlaut without its dots: "Ueberholen" for "Überholen". */
static const char *
umlaut_transliteration (gunichar c)
{
  switch (c)
    {
    case 0x00E4: return "ae";   /* ä */
    case 0x00F6: return "oe";   /* ö */
    case 0x00FC: return "ue";   /* ü */
    case 0x00C4: return "Ae";   /* Ä */
    case 0x00D6: return "Oe";   /* Ö */
    case 0x00DC: return "Ue";   /* Ü */
    default:     return NULL;
    }
}

/* A word is a run of letters and digits; marks belong to the letter they follow, so a
 * decomposed "u" + U+0308 stays one word. */
static gboolean
is_word_char (gunichar c)
{
  GUnicodeType type;

  if (g_unichar_isalnum (c))
    return TRUE;
  type = g_unichar_type (c);
  return type == G_UNICODE_NON_SPACING_MARK ||
         type == G_UNICODE_SPACING_MARK ||
         type == G_UNICODE_ENCLOSING_MARK;
}

/**
 * digithek_fold_for_search:
 * @text: UTF-8 text; invalid bytes are replaced
 *
 * Folds @text for matching: case folded (ß becomes "ss"), compatibility-decomposed
 * with the accents of Latin, Greek and Cyrillic letters dropped (ü becomes "u", ﬁ
 * becomes "fi"), and æ ø œ ı ł đ ð þ spelled out in plain Latin letters. Everything
 * else, punctuation, emoji and CJK included, is kept as it is (in NFC), so the
 * tokenizer still sees the same word boundaries.
 *
 * Returns: (transfer full): the folded text, never %NULL
 */
char *
digithek_fold_for_search (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) out = NULL;
  gboolean base_is_alphabetic = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  folded = g_utf8_casefold (valid, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  out = g_string_sized_new (strlen (decomposed));

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *spelled;

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        {
          /* Accents go only from Latin, Greek and Cyrillic letters: elsewhere a mark
           * makes a different letter (the kana voicing mark turns テ into デ). */
          if (base_is_alphabetic)
            continue;
        }
      else
        {
          GUnicodeScript script = g_unichar_get_script (c);

          base_is_alphabetic = script == G_UNICODE_SCRIPT_LATIN ||
                               script == G_UNICODE_SCRIPT_GREEK ||
                               script == G_UNICODE_SCRIPT_CYRILLIC;
        }
      spelled = fold_letter (c);
      if (spelled != NULL)
        g_string_append (out, spelled);
      else
        g_string_append_unichar (out, c);
    }

  /* Recompose what kept its marks, so equal text is equal bytes on both sides. */
  return g_utf8_normalize (out->str, -1, G_NORMALIZE_NFC);
}

/* Calls @func for each word of @text (already NFC), in order. */
static void
foreach_word (const char *text,
              void      (*func) (const char *word, gpointer user_data),
              gpointer    user_data)
{
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && is_word_char (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          func (word->str, user_data);
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
}

/* @word spelled with ae/oe/ue for its umlauts, folded; %NULL when it has none. */
static char *
transliterated_variant (const char *word)
{
  g_autoptr(GString) spelled = g_string_new (NULL);
  gboolean any = FALSE;

  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *t = umlaut_transliteration (c);

      if (t != NULL)
        {
          g_string_append (spelled, t);
          any = TRUE;
        }
      else
        g_string_append_unichar (spelled, c);
    }

  if (!any)
    return NULL;
  return digithek_fold_for_search (spelled->str);
}

typedef struct
{
  GString    *out;
  GHashTable *seen;
} IndexState;

static void
index_variant_cb (const char *word,
                  gpointer    user_data)
{
  IndexState *state = user_data;
  char *variant = transliterated_variant (word);

  if (variant == NULL)
    return;
  if (!g_hash_table_add (state->seen, variant))
    return;
  g_string_append_c (state->out, ' ');
  g_string_append (state->out, variant);
}

/**
 * digithek_fold_index_text:
 * @text: UTF-8 text to be indexed (a title, a summary, a body)
 *
 * Folds @text as digithek_fold_for_search() does, then appends, once each, the
 * ae/oe/ue spelling of every word that has an umlaut, so that a query typed either as
 * "Uberholen" or as "Ueberholen" finds "Überholen". Store the result in the full-text
 * index, never show it.
 *
 * Returns: (transfer full): the text to index, never %NULL
 */
char *
digithek_fold_index_text (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *composed = NULL;
  g_autofree char *folded = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  IndexState state;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  /* Composed, so that a decomposed "u" + U+0308 is recognised as ü. */
  composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  folded = digithek_fold_for_search (composed);
  state.out = g_string_new (folded);
  state.seen = seen;
  foreach_word (composed, index_variant_cb, &state);

  return g_string_free (state.out, FALSE);
}

/* FTS5 reads a string between double quotes literally, with "" for a quote: whatever a
 * citizen types, no operator, column filter or NEAR group comes out of it. */
static void
append_fts5_prefix_term (GString    *out,
                         const char *term)
{
  g_string_append_c (out, '"');
  for (const char *p = term; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append (out, "\"*");
}

/* A query is bounded: a kiosk search field has no business with hundreds of words, and
 * each term costs a lookup in the index. */
#define MAX_QUERY_TERMS 16

typedef struct
{
  GString *out;
  guint    n_terms;
} QueryState;

static void
query_term_cb (const char *word,
               gpointer    user_data)
{
  QueryState *state = user_data;
  g_autofree char *folded = digithek_fold_for_search (word);
  g_autofree char *variant = NULL;

  if (state->n_terms >= MAX_QUERY_TERMS || *folded == '\0')
    return;
  state->n_terms++;
  /* FTS5 joins plain phrases with an implicit AND, but not a group in parentheses. */
  if (state->out->len > 0)
    g_string_append (state->out, " AND ");

  /* "Überholen" typed with its umlaut also finds a text that spells it "Ueberholen". */
  variant = transliterated_variant (word);
  if (variant != NULL && strcmp (variant, folded) != 0)
    {
      g_string_append_c (state->out, '(');
      append_fts5_prefix_term (state->out, folded);
      g_string_append (state->out, " OR ");
      append_fts5_prefix_term (state->out, variant);
      g_string_append_c (state->out, ')');
    }
  else
    append_fts5_prefix_term (state->out, folded);
}

/**
 * digithek_fold_query:
 * @query: what the citizen typed
 *
 * Turns @query into an FTS5 match expression over text indexed with
 * digithek_fold_index_text(): each word, folded, becomes a quoted prefix term
 * (`"strasse"*`), all of them required; a word with an umlaut matches either spelling.
 * Anything that is not a letter or a digit separates words, so no FTS5 syntax can be
 * injected. At most 16 words are used.
 *
 * Returns: (transfer full) (nullable): the match expression, or %NULL when @query has
 *   no word to look for
 */
char *
digithek_fold_query (const char *query)
{
  g_autofree char *valid = NULL;
  g_autofree char *composed = NULL;
  QueryState state;

  g_return_val_if_fail (query != NULL, NULL);

  valid = g_utf8_make_valid (query, -1);
  composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  state.out = g_string_new (NULL);
  state.n_terms = 0;
  foreach_word (composed, query_term_cb, &state);

  if (state.out->len == 0)
    {
      g_string_free (state.out, TRUE);
      return NULL;
    }
  return g_string_free (state.out, FALSE);
}
