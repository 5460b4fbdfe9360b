/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Raw scans of pack.json before json-glib parses it: nesting depth (its parser recurses
 * without a limit) and numbers written strictly as JSON has them. */

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "digithek-pack-private.h"

/* ---- raw JSON scans ---- */

/* Measures nesting before json-glib sees the text (see MAX_JSON_DEPTH). Strings and
 * comments are skipped the way json-glib's scanner reads them. */
gboolean
digithek_pack_json_depth_ok (const char *data,
                             gsize       length)
{
  guint depth = 0;
  gsize i = 0;

  while (i < length)
    {
      char c = data[i];

      if (c == '"')
        {
          for (i++; i < length && data[i] != '"'; i++)
            if (data[i] == '\\')
              i++;
          i++;
        }
      else if (c == '\'')
        {
          for (i++; i < length && data[i] != '\''; i++)
            ;
          i++;
        }
      else if (c == '/' && i + 1 < length && data[i + 1] == '*')
        {
          for (i += 2; i + 1 < length && !(data[i] == '*' && data[i + 1] == '/'); i++)
            ;
          i += 2;
        }
      else
        {
          if (c == '[' || c == '{')
            {
              if (++depth > MAX_JSON_DEPTH)
                return FALSE;
            }
          else if ((c == ']' || c == '}') && depth > 0)
            depth--;
          i++;
        }
    }
  return TRUE;
}

static void
scan_space (Scan *s)
{
  while (s->pos < s->length)
    {
      char c = s->data[s->pos];

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        s->pos++;
      else if (c == '/' && s->pos + 1 < s->length && s->data[s->pos + 1] == '*')
        {
          if (!s->comment_warned)
            digithek_pack_warning (s->v, "(file)",
                                   "/* comments */ are not JSON and other tools may refuse "
                                   "the file; use a \"_comment\" field instead");
          s->comment_warned = TRUE;
          for (s->pos += 2;
               s->pos + 1 < s->length && !(s->data[s->pos] == '*' && s->data[s->pos + 1] == '/');
               s->pos++)
            ;
          s->pos += 2;
        }
      else
        break;
    }
}

static char *
scan_string (Scan *s)
{
  char quote = s->data[s->pos];
  gsize start = ++s->pos;

  if (quote == '\'' && !s->quote_warned)
    {
      digithek_pack_warning (s->v, "(file)",
                             "'single quotes' are not JSON and other tools may refuse the "
                             "file; use \"double quotes\"");
      s->quote_warned = TRUE;
    }
  while (s->pos < s->length && s->data[s->pos] != quote)
    {
      if (quote == '"' && s->data[s->pos] == '\\')
        s->pos++;
      s->pos++;
    }
  if (s->pos >= s->length)
    return NULL;
  return g_strndup (s->data + start, s->pos++ - start);
}

/* JSON's own number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
json_number_is_strict (const char *t,
                       gsize       n,
                       gboolean   *is_integer)
{
  gsize i = 0;

  *is_integer = TRUE;
  if (i < n && t[i] == '-')
    i++;
  if (i < n && t[i] == '0')
    i++;
  else if (i < n && t[i] >= '1' && t[i] <= '9')
    while (i < n && g_ascii_isdigit (t[i]))
      i++;
  else
    return FALSE;
  if (i < n && t[i] == '.')
    {
      *is_integer = FALSE;
      if (++i >= n || !g_ascii_isdigit (t[i]))
        return FALSE;
      while (i < n && g_ascii_isdigit (t[i]))
        i++;
    }
  if (i < n && (t[i] == 'e' || t[i] == 'E'))
    {
      *is_integer = FALSE;
      i++;
      if (i < n && (t[i] == '+' || t[i] == '-'))
        i++;
      if (i >= n || !g_ascii_isdigit (t[i]))
        return FALSE;
      while (i < n && g_ascii_isdigit (t[i]))
        i++;
    }
  return i == n;
}

static gboolean
scan_number (Scan       *s,
             const char *path)
{
  GString *token = g_string_new (NULL);
  g_autofree char *text = NULL;
  gboolean is_integer = FALSE;

  if (s->data[s->pos] == '-')
    {
      g_string_append_c (token, '-');
      s->pos++;
      scan_space (s);
    }
  while (s->pos < s->length
         && (g_ascii_isalnum (s->data[s->pos]) || strchr (".+-$", s->data[s->pos]) != NULL)
         && s->data[s->pos] != '\0')
    g_string_append_c (token, s->data[s->pos++]);
  text = g_string_free (token, FALSE);

  if (!json_number_is_strict (text, strlen (text), &is_integer))
    digithek_pack_problem (s->v, path,
                           "%s is not a JSON number (no leading zeros, hex, or text after the "
                           "digits); write it like 12 or 1.5", text);
  else if (is_integer)
    {
      const char *digits = text[0] == '-' ? text + 1 : text;
      const char *max = text[0] == '-' ? "9223372036854775808" : "9223372036854775807";
      gsize n = strlen (digits);

      if (n > 19 || (n == 19 && strcmp (digits, max) > 0))
        g_hash_table_add (s->v->overflow, g_strdup (path));
    }
  return TRUE;
}

gboolean
digithek_pack_scan_value (Scan       *s,
                          const char *path)
{
  char c;

  scan_space (s);
  if (s->pos >= s->length || s->depth > MAX_JSON_DEPTH)
    return FALSE;
  c = s->data[s->pos];
  if (c == '{')
    {
      g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      gboolean ok = FALSE;

      s->pos++;
      s->depth++;
      for (;;)
        {
          g_autofree char *key = NULL;
          g_autofree char *child = NULL;

          scan_space (s);
          if (s->pos >= s->length)
            break;
          if (s->data[s->pos] == '}')
            {
              s->pos++;
              ok = TRUE;
              break;
            }
          if (s->data[s->pos] != '"' && s->data[s->pos] != '\'')
            break;
          key = scan_string (s);
          if (key == NULL)
            break;
          child = digithek_pack_path_key (path, key);
          if (g_hash_table_contains (keys, key))
            digithek_pack_problem (s->v, child,
                                   "appears twice in the same object; only the last one would "
                                   "count, remove the other");
          else
            g_hash_table_add (keys, g_strdup (key));
          scan_space (s);
          if (s->pos >= s->length || s->data[s->pos] != ':')
            break;
          s->pos++;
          if (!digithek_pack_scan_value (s, child))
            break;
          scan_space (s);
          if (s->pos < s->length && s->data[s->pos] == ',')
            s->pos++;
        }
      s->depth--;
      return ok;
    }
  if (c == '[')
    {
      gboolean ok = FALSE;
      guint index = 0;

      s->pos++;
      s->depth++;
      for (;;)
        {
          g_autofree char *child = NULL;

          scan_space (s);
          if (s->pos >= s->length)
            break;
          if (s->data[s->pos] == ']')
            {
              s->pos++;
              ok = TRUE;
              break;
            }
          child = digithek_pack_path_index (path, index++);
          if (!digithek_pack_scan_value (s, child))
            break;
          scan_space (s);
          if (s->pos < s->length && s->data[s->pos] == ',')
            s->pos++;
        }
      s->depth--;
      return ok;
    }
  if (c == '"' || c == '\'')
    {
      g_autofree char *text = scan_string (s);
      return text != NULL;
    }
  if (c == '-' || c == '.' || c == '$' || g_ascii_isdigit (c))
    return scan_number (s, path);
  if (g_ascii_isalpha (c))
    {
      while (s->pos < s->length && g_ascii_isalnum (s->data[s->pos]))
        s->pos++;
      return TRUE;
    }
  return FALSE;
}
