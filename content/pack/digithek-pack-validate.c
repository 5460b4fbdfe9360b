/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The validator's core: problems and warnings by JSON path, unknown members, typed
 * members, URLs, referenced files (images, Markdown, paths inside the pack) and text
 * maps. */

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "digithek-pack-private.h"

/* ---- the validator ---- */

void
digithek_pack_file_check_free (FileCheck *check)
{
  g_free (check->real_path);
  g_free (check->problem);
  g_free (check->image_problem);
  g_free (check->text_problem);
  g_free (check);
}

static const char *
display_path (const char *path)
{
  return path[0] != '\0' ? path : "(top level)";
}

G_GNUC_PRINTF (3, 4)
void
digithek_pack_problem (Validator  *v,
                       const char *path,
                       const char *format,
                       ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (v->problems,
                   g_strdup_printf ("pack.json: %s: %s", display_path (path), message));
}

G_GNUC_PRINTF (3, 4)
void
digithek_pack_warning (Validator  *v,
                       const char *path,
                       const char *format,
                       ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (v->warnings,
                   g_strdup_printf ("pack.json: %s: %s", display_path (path), message));
}

char *
digithek_pack_path_key (const char *parent,
                        const char *key)
{
  gboolean plain = key[0] != '\0';
  const char *p;
  g_autofree char *escaped = NULL;

  for (p = key; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-'))
      plain = FALSE;
  if (plain)
    return parent[0] != '\0' ? g_strdup_printf ("%s.%s", parent, key) : g_strdup (key);
  escaped = g_strescape (key, NULL);
  return g_strdup_printf ("%s[\"%s\"]", parent, escaped);
}

char *
digithek_pack_path_index (const char *parent,
                          guint       index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

/* Quotes a value for a message, shortened so that a runaway cell stays readable;
 * letters beyond ASCII (umlauts) stay as they are, control characters are escaped. */
char *
digithek_pack_quote_value (const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);
  GString *out = g_string_new ("\"");
  gboolean shortened = FALSE;
  const char *p;

  if (g_utf8_strlen (valid, -1) > 40)
    {
      *g_utf8_offset_to_pointer (valid, 40) = '\0';
      shortened = TRUE;
    }
  for (p = valid; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append (out, shortened ? "…\"" : "\"");
  return g_string_free (out, FALSE);
}

const char *
digithek_pack_describe_node (JsonNode *node)
{
  GType type;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object {…}";
    case JSON_NODE_ARRAY:
      return "a list […]";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      type = json_node_get_value_type (node);
      if (type == G_TYPE_STRING)
        return "text";
      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        return "a number";
      if (type == G_TYPE_BOOLEAN)
        return "true/false";
      return "a value";
    default:
      return "a value";
    }
}

/* "4.2 KiB (4294 bytes)": exact, so that a file just over the limit shows why. */
char *
digithek_pack_format_size (guint64 size)
{
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
}

gboolean
digithek_pack_node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
digithek_pack_text_is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* ---- unknown fields ---- */

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = MIN (strlen (a), 64);
  gsize lb = MIN (strlen (b), 64);
  guint row[65];
  gsize i, j;

  for (j = 0; j <= lb; j++)
    row[j] = j;
  for (i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

static const char *
suggest_key (const char         *key,
             const char * const *known)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  guint i;

  for (i = 0; known[i] != NULL; i++)
    {
      guint distance = edit_distance (key, known[i]);

      if (distance < best_distance)
        {
          best = known[i];
          best_distance = distance;
        }
    }
  if (best != NULL && best_distance <= 2 && best_distance < strlen (key))
    return best;
  return NULL;
}

/* Keys starting with "_" are comments ("_comment") and pass in silence. */
void
digithek_pack_check_members (Validator          *v,
                             JsonObject         *object,
                             const char         *path,
                             const char * const *known,
                             const char * const *elsewhere,
                             const char         *kind_name)
{
  g_autoptr(GList) names = json_object_get_members (object);
  GList *l;

  for (l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *child = NULL;
      const char *suggestion;

      if (name[0] == '_' || g_strv_contains (known, name))
        continue;
      child = digithek_pack_path_key (path, name);
      if (elsewhere != NULL && g_strv_contains (elsewhere, name))
        {
          digithek_pack_warning (v, child, "field not used by %s items, ignored", kind_name);
          continue;
        }
      suggestion = suggest_key (name, known);
      if (suggestion != NULL)
        digithek_pack_warning (v, child, "unknown field, ignored (did you mean \"%s\"?)",
                               suggestion);
      else
        digithek_pack_warning (v, child, "unknown field, ignored");
    }
}

/* ---- typed members ---- */

JsonNode *
digithek_pack_member (Validator  *v,
                      JsonObject *object,
                      const char *path,
                      const char *key,
                      gboolean    required)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL && required)
    {
      g_autofree char *child = digithek_pack_path_key (path, key);
      digithek_pack_problem (v, child, "is missing; this field is required");
    }
  return node;
}

char *
digithek_pack_get_string (Validator  *v,
                          JsonObject *object,
                          const char *path,
                          const char *key,
                          gboolean    required)
{
  JsonNode *node = digithek_pack_member (v, object, path, key, required);
  g_autofree char *child = NULL;
  const char *text;

  if (node == NULL)
    return NULL;
  child = digithek_pack_path_key (path, key);
  if (!digithek_pack_node_is_string (node))
    {
      digithek_pack_problem (v, child, "must be text in quotes, not %s",
                             digithek_pack_describe_node (node));
      return NULL;
    }
  text = json_node_get_string (node);
  if (text == NULL || digithek_pack_text_is_blank (text))
    {
      digithek_pack_problem (v, child, "is empty; write a value or remove the field");
      return NULL;
    }
  return g_strdup (text);
}

JsonObject *
digithek_pack_get_object (Validator  *v,
                          JsonObject *object,
                          const char *path,
                          const char *key,
                          gboolean    required)
{
  JsonNode *node = digithek_pack_member (v, object, path, key, required);
  g_autofree char *child = NULL;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      child = digithek_pack_path_key (path, key);
      digithek_pack_problem (v, child, "must be an object {…}, not %s",
                             digithek_pack_describe_node (node));
      return NULL;
    }
  return json_node_get_object (node);
}

JsonArray *
digithek_pack_get_array (Validator  *v,
                         JsonObject *object,
                         const char *path,
                         const char *key,
                         gboolean    required)
{
  JsonNode *node = digithek_pack_member (v, object, path, key, required);
  g_autofree char *child = NULL;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      child = digithek_pack_path_key (path, key);
      digithek_pack_problem (v, child, "must be a list […], not %s",
                             digithek_pack_describe_node (node));
      return NULL;
    }
  return json_node_get_array (node);
}

/* Integers as json-glib gives them: 1.5 and 1e3 are doubles, and an integer too large
 * for gint64 silently wraps around, so the scan of the raw text flags those paths. */
gboolean
digithek_pack_get_integer (Validator  *v,
                           JsonNode   *node,
                           const char *path,
                           gint64     *out_value)
{
  GType type;

  if (g_hash_table_contains (v->overflow, path))
    {
      digithek_pack_problem (v, path,
                             "is too large a number (the largest possible is %" G_GINT64_FORMAT ")",
                             G_MAXINT64);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      digithek_pack_problem (v, path, "must be a whole number like 2, not %s",
                             digithek_pack_describe_node (node));
      return FALSE;
    }
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out_value = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      digithek_pack_problem (v, path, "must be a whole number like 2, not %s",
                             g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      return FALSE;
    }
  if (type == G_TYPE_STRING)
    {
      g_autofree char *quoted = digithek_pack_quote_value (json_node_get_string (node));
      digithek_pack_problem (v, path, "must be a whole number without quotes, not the text %s",
                             quoted);
      return FALSE;
    }
  digithek_pack_problem (v, path, "must be a whole number like 2, not %s",
                         digithek_pack_describe_node (node));
  return FALSE;
}

gboolean
digithek_pack_get_positive (Validator  *v,
                            JsonNode   *node,
                            const char *path,
                            gint64      max,
                            gint64     *out_value)
{
  gint64 value = 0;

  if (!digithek_pack_get_integer (v, node, path, &value))
    return FALSE;
  if (value < 1)
    {
      digithek_pack_problem (v, path, "must be a whole number from 1 up, not %" G_GINT64_FORMAT,
                             value);
      return FALSE;
    }
  if (value > max)
    {
      digithek_pack_problem (v, path, "is too large (at most %" G_GINT64_FORMAT ")", max);
      return FALSE;
    }
  *out_value = value;
  return TRUE;
}

/* ---- URLs ---- */

char *
digithek_pack_web_url_problem (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  const char *scheme;
  const char *host;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, &error);
  if (uri == NULL)
    return g_strdup_printf ("is not a valid web address (%s); write a full address like "
                            "\"https://www.example.de/page\"", error->message);
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return g_strdup_printf ("must be a web address starting with https:// or http://, "
                            "not a %s: address", scheme);
  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    return g_strdup ("has no host name; write a full address like "
                     "\"https://www.example.de/page\"");
  return NULL;
}

char *
digithek_pack_get_web_url (Validator  *v,
                           JsonObject *object,
                           const char *path,
                           const char *key)
{
  g_autofree char *text = digithek_pack_get_string (v, object, path, key, FALSE);
  g_autofree char *reason = NULL;
  g_autofree char *child = NULL;

  if (text == NULL)
    return NULL;
  reason = digithek_pack_web_url_problem (text);
  if (reason != NULL)
    {
      child = digithek_pack_path_key (path, key);
      digithek_pack_problem (v, child, "%s", reason);
      return NULL;
    }
  return g_steal_pointer (&text);
}

/* ---- files ---- */

static FileCheck *
check_file (Validator  *v,
            const char *canonical)
{
  FileCheck *check = g_hash_table_lookup (v->files, canonical);
  g_autofree char *full = NULL;
  g_autofree char *quoted = NULL;
  char *real;
  struct stat st;
  gsize dir_len;

  if (check != NULL)
    return check;
  check = g_new0 (FileCheck, 1);
  g_hash_table_insert (v->files, g_strdup (canonical), check);

  quoted = digithek_pack_quote_value (canonical);
  full = g_build_filename (v->pack->dir, canonical, NULL);
  real = realpath (full, NULL);
  if (real == NULL)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR)
        {
          if (lstat (full, &st) == 0 && S_ISLNK (st.st_mode))
            check->problem = g_strdup_printf ("file %s is a link to something that does not "
                                              "exist; copy the file itself into the pack",
                                              quoted);
          else
            check->problem = g_strdup_printf ("file %s not found in the pack folder; check "
                                              "the name (upper and lower case count)",
                                              quoted);
        }
      else
        check->problem = g_strdup_printf ("file %s cannot be opened: %s", quoted,
                                          g_strerror (saved));
      return check;
    }
  dir_len = v->real_dir != NULL ? strlen (v->real_dir) : 0;
  if (v->real_dir == NULL
      || strncmp (real, v->real_dir, dir_len) != 0
      || (real[dir_len] != '/' && !(dir_len == 1 && v->real_dir[0] == '/')))
    {
      check->problem = g_strdup_printf ("file %s is a link leading outside the pack folder; "
                                        "copy the file itself into the pack", quoted);
      free (real);
      return check;
    }
  if (stat (real, &st) != 0)
    {
      check->problem = g_strdup_printf ("file %s cannot be opened: %s", quoted,
                                        g_strerror (errno));
      free (real);
      return check;
    }
  if (S_ISDIR (st.st_mode))
    check->problem = g_strdup_printf ("%s is a folder, not a file; name a file inside it",
                                      quoted);
  else if (!S_ISREG (st.st_mode))
    check->problem = g_strdup_printf ("%s is not an ordinary file (a device, pipe or socket); "
                                      "use an ordinary file", quoted);
  else if ((guint64) st.st_size > v->limits->max_file_size)
    {
      g_autofree char *size = digithek_pack_format_size (st.st_size);
      g_autofree char *limit = digithek_pack_format_size (v->limits->max_file_size);
      check->problem = g_strdup_printf ("file %s is too large (%s); a file may have at most "
                                        "%s, make it smaller or split it", quoted, size, limit);
    }
  else
    {
      v->total_size += st.st_size;
      check->real_path = g_strdup (real);
    }
  free (real);
  return check;
}

static const char *
check_image (Validator *v,
             FileCheck *check,
             const char *canonical)
{
  g_autofree char *quoted = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GdkPixbufFormat *format;
  int width = 0;
  int height = 0;

  if (check->image_checked)
    return check->image_problem;
  check->image_checked = TRUE;
  quoted = digithek_pack_quote_value (canonical);

  /* Only the header is read here, so an image bomb is refused before it is decoded. */
  format = gdk_pixbuf_get_file_info (check->real_path, &width, &height);
  if (format == NULL)
    check->image_problem = g_strdup_printf ("image %s is not in a format the kiosk can show; "
                                            "save it as PNG or JPEG", quoted);
  else if (width <= 0 || height <= 0)
    check->image_problem = g_strdup_printf ("image %s does not state its size; save it as "
                                            "PNG or JPEG", quoted);
  else if ((guint) width > v->limits->max_image_side || (guint) height > v->limits->max_image_side)
    check->image_problem = g_strdup_printf ("image %s is %d×%d pixels; images may be at most "
                                            "%u pixels wide and high, scale it down",
                                            quoted, width, height, v->limits->max_image_side);
  else if ((pixbuf = gdk_pixbuf_new_from_file (check->real_path, &error)) == NULL)
    check->image_problem = g_strdup_printf ("image %s does not decode (%s); export it again "
                                            "as PNG or JPEG", quoted, error->message);
  return check->image_problem;
}

static const char *
check_markdown (FileCheck  *check,
                const char *canonical)
{
  g_autofree char *contents = NULL;
  g_autofree char *quoted = NULL;
  g_autoptr(GError) error = NULL;
  const char *end = NULL;
  gsize length = 0;

  if (check->text_checked)
    return check->text_problem;
  check->text_checked = TRUE;
  quoted = digithek_pack_quote_value (canonical);

  if (!g_file_get_contents (check->real_path, &contents, &length, &error))
    check->text_problem = g_strdup_printf ("file %s cannot be read: %s", quoted,
                                           error->message);
  else if (!g_utf8_validate_len (contents, length, &end))
    {
      gsize offset = end - contents;
      guint line = 1;
      gsize i;

      for (i = 0; i < offset; i++)
        if (contents[i] == '\n')
          line++;
      check->text_problem = g_strdup_printf ("file %s is not UTF-8 text: byte 0x%02X at offset "
                                             "%" G_GSIZE_FORMAT " (line %u) is not valid UTF-8; "
                                             "save the file as UTF-8", quoted,
                                             (guchar) contents[offset], offset, line);
    }
  return check->text_problem;
}

/* Checks a relative path and the file it names. Returns the path normalised
 * ("./a//b.png" → "a/b.png"), or %NULL after reporting what is wrong. */
static char *
check_path (Validator  *v,
            const char *path,
            JsonNode   *node,
            FileKind    kind)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autofree char *canonical = NULL;
  const char *value;
  const char *reason = NULL;
  FileCheck *check;
  guint i;

  if (!digithek_pack_node_is_string (node))
    {
      digithek_pack_problem (v, path, "must be a file path in quotes, not %s",
                             digithek_pack_describe_node (node));
      return NULL;
    }
  value = json_node_get_string (node);
  if (value == NULL || digithek_pack_text_is_blank (value))
    {
      digithek_pack_problem (v, path, "is empty; write the path of a file in the pack folder, "
                             "like \"images/photo.png\"");
      return NULL;
    }
  if (strchr (value, '\\') != NULL)
    {
      digithek_pack_problem (v, path, "contains a backslash (\\); separate folders with / as in "
                             "\"images/photo.png\"");
      return NULL;
    }
  if (value[0] == '/')
    {
      digithek_pack_problem (v, path, "is an absolute path; write it relative to the pack folder, "
                             "like \"images/photo.png\"");
      return NULL;
    }
  parts = g_strsplit (value, "/", -1);
  kept = g_ptr_array_new ();
  for (i = 0; parts[i] != NULL; i++)
    {
      if (strcmp (parts[i], "..") == 0)
        {
          digithek_pack_problem (v, path,
                                 "goes up with \"..\"; every file must be inside the pack folder");
          return NULL;
        }
      if (parts[i][0] != '\0' && strcmp (parts[i], ".") != 0)
        g_ptr_array_add (kept, parts[i]);
    }
  if (kept->len == 0)
    {
      digithek_pack_problem (v, path, "names the pack folder itself, not a file in it");
      return NULL;
    }
  g_ptr_array_add (kept, NULL);
  canonical = g_strjoinv ("/", (char **) kept->pdata);

  check = check_file (v, canonical);
  if (check->problem != NULL)
    {
      digithek_pack_problem (v, path, "%s", check->problem);
      return NULL;
    }
  switch (kind)
    {
    case FILE_KIND_IMAGE:
      reason = check_image (v, check, canonical);
      break;
    case FILE_KIND_MARKDOWN:
      reason = check_markdown (check, canonical);
      break;
    case FILE_KIND_CSV:
      break;
    default:
      g_assert_not_reached ();
    }
  if (reason != NULL)
    {
      digithek_pack_problem (v, path, "%s", reason);
      return NULL;
    }
  return g_steal_pointer (&canonical);
}

char *
digithek_pack_get_path (Validator  *v,
                        JsonObject *object,
                        const char *path,
                        const char *key,
                        gboolean    required,
                        FileKind    kind)
{
  JsonNode *node = digithek_pack_member (v, object, path, key, required);
  g_autofree char *child = NULL;

  if (node == NULL)
    return NULL;
  child = digithek_pack_path_key (path, key);
  return check_path (v, child, node, kind);
}

/* ---- text maps ---- */

static DigithekTextMap *
parse_text_map (Validator  *v,
                JsonNode   *node,
                const char *path,
                gboolean    of_paths)
{
  g_autoptr(GHashTable) map = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *object;
  GList *l;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      if (of_paths)
        digithek_pack_problem (v, path, "must be an object with a file per language, like "
                               "{\"de\": \"texts/de.md\"}, not %s", digithek_pack_describe_node (node));
      else
        digithek_pack_problem (v, path, "must be an object with a text per language, like "
                               "{\"de\": \"…\", \"en\": \"…\"}, not %s", digithek_pack_describe_node (node));
      return NULL;
    }
  object = json_node_get_object (node);
  map = digithek_pack_text_map_new ();
  names = json_object_get_members (object);
  for (l = names; l != NULL; l = l->next)
    {
      const char *language = l->data;
      JsonNode *value = json_object_get_member (object, language);
      g_autofree char *child = NULL;

      if (language[0] == '_')
        continue;
      child = digithek_pack_path_key (path, language);
      if (v->language_set != NULL && !g_hash_table_contains (v->language_set, language))
        {
          digithek_pack_warning (v, child,
                                 "language \"%s\" is not in the pack's \"languages\", ignored",
                                 language);
          continue;
        }
      if (of_paths)
        {
          char *file = check_path (v, child, value, FILE_KIND_MARKDOWN);

          if (file != NULL)
            g_hash_table_insert (map, g_strdup (language), file);
          continue;
        }
      if (!digithek_pack_node_is_string (value))
        {
          digithek_pack_problem (v, child, "must be text in quotes, not %s",
                                 digithek_pack_describe_node (value));
          continue;
        }
      if (digithek_pack_text_is_blank (json_node_get_string (value)))
        {
          digithek_pack_problem (v, child, "is empty; write the text or remove this language");
          continue;
        }
      g_hash_table_insert (map, g_strdup (language), g_strdup (json_node_get_string (value)));
    }
  if (v->fallback != NULL && !json_object_has_member (object, v->fallback))
    digithek_pack_problem (v, path,
                           "has no \"%s\" entry; every text needs one in \"%s\", the pack's first "
                           "language", v->fallback, v->fallback);
  return g_steal_pointer (&map);
}

DigithekTextMap *
digithek_pack_get_text_map (Validator  *v,
                            JsonObject *object,
                            const char *path,
                            const char *key,
                            gboolean    required,
                            gboolean    of_paths)
{
  JsonNode *node = digithek_pack_member (v, object, path, key, required);
  g_autofree char *child = NULL;

  if (node == NULL)
    return NULL;
  child = digithek_pack_path_key (path, key);
  return parse_text_map (v, node, child, of_paths);
}
