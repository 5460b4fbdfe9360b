/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "digithek-pack.h"

/* json-glib's parser recurses once per level and has no limit of its own: a file of
 * nothing but "[" would overflow the stack. Real manifests need about six levels. */
#define MAX_JSON_DEPTH 64
/* Bad cells reported per column before summing up the rest. */
#define MAX_BAD_CELLS 5
/* Columns named in a "not in the header" message before eliding the rest. */
#define MAX_LISTED_COLUMNS 20

G_DEFINE_QUARK (digithek-pack-error-quark, digithek_pack_error)

struct _DigithekPack
{
  GObject parent_instance;

  /* owned */
  char            *dir;
  char            *id;
  gint64           version;
  DigithekTextMap *title;
  GStrv            languages;
  char            *publisher;
  GPtrArray       *items;        /* DigithekPackItem */
  GHashTable      *items_by_id;  /* id → DigithekPackItem, borrowed from items */
  GStrv            files;
  GBytes          *manifest;
  GStrv            warnings;
};

G_DEFINE_FINAL_TYPE (DigithekPack, digithek_pack, G_TYPE_OBJECT)

/* ---- kinds and ids ---- */

static const char * const kind_names[] = { "dataset", "explainer", "guide", "tour" };

const char *
digithek_item_kind_to_string (DigithekItemKind kind)
{
  if ((guint) kind < G_N_ELEMENTS (kind_names))
    return kind_names[kind];
  return NULL;
}

gboolean
digithek_item_kind_from_string (const char       *text,
                                DigithekItemKind *out_kind)
{
  guint i;

  if (text == NULL)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (strcmp (text, kind_names[i]) == 0)
        {
          if (out_kind != NULL)
            *out_kind = (DigithekItemKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
digithek_pack_id_is_valid (const char *id)
{
  gsize i;

  if (id == NULL || !(g_ascii_islower (id[0]) || g_ascii_isdigit (id[0])))
    return FALSE;
  for (i = 1; id[i] != '\0'; i++)
    {
      if (i >= 64)
        return FALSE;
      if (!(g_ascii_islower (id[i]) || g_ascii_isdigit (id[i]) || id[i] == '-'))
        return FALSE;
    }
  return TRUE;
}

gboolean
digithek_language_code_is_valid (const char *code)
{
  gsize i = 0;
  gsize n;

  if (code == NULL)
    return FALSE;
  while (g_ascii_islower (code[i]))
    i++;
  if (i < 2 || i > 3)
    return FALSE;
  while (code[i] == '-')
    {
      i++;
      for (n = 0; g_ascii_isalnum (code[i]); n++)
        i++;
      if (n < 1 || n > 8)
        return FALSE;
    }
  return code[i] == '\0';
}

void
digithek_pack_limits_init_default (DigithekPackLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_file_size = 64 * 1024 * 1024;
  limits->max_pack_size = G_GUINT64_CONSTANT (1024) * 1024 * 1024;
  limits->max_image_side = 8192;
}

/* ---- the model ---- */

static void
pack_step_free (DigithekPackStep *step)
{
  g_clear_pointer (&step->title, g_hash_table_unref);
  g_clear_pointer (&step->body, g_hash_table_unref);
  g_clear_pointer (&step->image, g_free);
  g_free (step);
}

static DigithekTextMap *
text_map_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static DigithekPackItem *
pack_item_new (void)
{
  DigithekPackItem *item = g_new0 (DigithekPackItem, 1);

  item->tags = g_new0 (char *, 1);
  return item;
}

static void
pack_item_free (DigithekPackItem *item)
{
  g_clear_pointer (&item->id, g_free);
  g_clear_pointer (&item->title, g_hash_table_unref);
  g_clear_pointer (&item->summary, g_hash_table_unref);
  g_clear_pointer (&item->image, g_free);
  g_clear_pointer (&item->tags, g_strfreev);
  g_clear_pointer (&item->web, g_free);
  g_clear_pointer (&item->web_step, g_free);
  g_clear_pointer (&item->data, g_free);
  g_clear_pointer (&item->chart_type, g_free);
  g_clear_pointer (&item->chart_x, g_free);
  g_clear_pointer (&item->chart_y, g_strfreev);
  g_clear_pointer (&item->chart_unit, g_free);
  g_clear_pointer (&item->source_name, g_free);
  g_clear_pointer (&item->source_license, g_free);
  g_clear_pointer (&item->source_url, g_free);
  g_clear_pointer (&item->body, g_hash_table_unref);
  g_clear_pointer (&item->steps, g_ptr_array_unref);
  g_clear_pointer (&item->stops, g_strfreev);
  g_free (item);
}

static void
digithek_pack_finalize (GObject *object)
{
  DigithekPack *self = DIGITHEK_PACK (object);

  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_hash_table_unref);
  g_clear_pointer (&self->languages, g_strfreev);
  g_clear_pointer (&self->publisher, g_free);
  g_clear_pointer (&self->items_by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->files, g_strfreev);
  g_clear_pointer (&self->manifest, g_bytes_unref);
  g_clear_pointer (&self->warnings, g_strfreev);

  G_OBJECT_CLASS (digithek_pack_parent_class)->finalize (object);
}

static void
digithek_pack_class_init (DigithekPackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = digithek_pack_finalize;
}

static void
digithek_pack_init (DigithekPack *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) pack_item_free);
  self->items_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->languages = g_new0 (char *, 1);
}

/* ---- the validator ---- */

typedef enum
{
  FILE_KIND_IMAGE,
  FILE_KIND_MARKDOWN,
  FILE_KIND_CSV,
} FileKind;

/* What is known about one referenced file, so that a file referenced twice is
 * measured, decoded and counted against the pack limit once. */
typedef struct
{
  char    *real_path;      /* NULL when the file is unusable */
  char    *problem;        /* why it is unusable */
  gboolean image_checked;
  char    *image_problem;
  gboolean text_checked;
  char    *text_problem;
} FileCheck;

static void
file_check_free (FileCheck *check)
{
  g_free (check->real_path);
  g_free (check->problem);
  g_free (check->image_problem);
  g_free (check->text_problem);
  g_free (check);
}

typedef struct
{
  const DigithekPackLimits *limits;
  DigithekPack *pack;
  char         *real_dir;   /* realpath() of the pack folder */
  GPtrArray    *problems;
  GPtrArray    *warnings;
  GHashTable   *overflow;   /* JSON paths of integers too large for gint64 */
  GHashTable   *files;      /* canonical relative path → FileCheck */
  GHashTable   *item_index; /* item id → GUINT_TO_POINTER (index + 1) */
  GHashTable   *language_set;
  const char   *fallback;   /* first language, NULL while unknown */
  guint64       total_size;
} Validator;

static const char *
display_path (const char *path)
{
  return path[0] != '\0' ? path : "(top level)";
}

G_GNUC_PRINTF (3, 4)
static void
problem (Validator  *v,
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
static void
warning (Validator  *v,
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

static char *
path_key (const char *parent,
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

static char *
path_index (const char *parent,
            guint       index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

/* Quotes a value for a message, shortened so that a runaway cell stays readable;
 * letters beyond ASCII (umlauts) stay as they are, control characters are escaped. */
static char *
quote_value (const char *value)
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

static const char *
describe_node (JsonNode *node)
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
static char *
format_size (guint64 size)
{
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
text_is_blank (const char *text)
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
static void
check_members (Validator          *v,
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
      child = path_key (path, name);
      if (elsewhere != NULL && g_strv_contains (elsewhere, name))
        {
          warning (v, child, "field not used by %s items, ignored", kind_name);
          continue;
        }
      suggestion = suggest_key (name, known);
      if (suggestion != NULL)
        warning (v, child, "unknown field, ignored (did you mean \"%s\"?)", suggestion);
      else
        warning (v, child, "unknown field, ignored");
    }
}

/* ---- typed members ---- */

static JsonNode *
member (Validator  *v,
        JsonObject *object,
        const char *path,
        const char *key,
        gboolean    required)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL && required)
    {
      g_autofree char *child = path_key (path, key);
      problem (v, child, "is missing; this field is required");
    }
  return node;
}

static char *
get_string (Validator  *v,
            JsonObject *object,
            const char *path,
            const char *key,
            gboolean    required)
{
  JsonNode *node = member (v, object, path, key, required);
  g_autofree char *child = NULL;
  const char *text;

  if (node == NULL)
    return NULL;
  child = path_key (path, key);
  if (!node_is_string (node))
    {
      problem (v, child, "must be text in quotes, not %s", describe_node (node));
      return NULL;
    }
  text = json_node_get_string (node);
  if (text == NULL || text_is_blank (text))
    {
      problem (v, child, "is empty; write a value or remove the field");
      return NULL;
    }
  return g_strdup (text);
}

static JsonObject *
get_object (Validator  *v,
            JsonObject *object,
            const char *path,
            const char *key,
            gboolean    required)
{
  JsonNode *node = member (v, object, path, key, required);
  g_autofree char *child = NULL;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      child = path_key (path, key);
      problem (v, child, "must be an object {…}, not %s", describe_node (node));
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
get_array (Validator  *v,
           JsonObject *object,
           const char *path,
           const char *key,
           gboolean    required)
{
  JsonNode *node = member (v, object, path, key, required);
  g_autofree char *child = NULL;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      child = path_key (path, key);
      problem (v, child, "must be a list […], not %s", describe_node (node));
      return NULL;
    }
  return json_node_get_array (node);
}

/* Integers as json-glib gives them: 1.5 and 1e3 are doubles, and an integer too large
 * for gint64 silently wraps around, so the scan of the raw text flags those paths. */
static gboolean
get_integer (Validator  *v,
             JsonNode   *node,
             const char *path,
             gint64     *out_value)
{
  GType type;

  if (g_hash_table_contains (v->overflow, path))
    {
      problem (v, path, "is too large a number (the largest possible is %" G_GINT64_FORMAT ")",
               G_MAXINT64);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      problem (v, path, "must be a whole number like 2, not %s", describe_node (node));
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

      problem (v, path, "must be a whole number like 2, not %s",
               g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      return FALSE;
    }
  if (type == G_TYPE_STRING)
    {
      g_autofree char *quoted = quote_value (json_node_get_string (node));
      problem (v, path, "must be a whole number without quotes, not the text %s", quoted);
      return FALSE;
    }
  problem (v, path, "must be a whole number like 2, not %s", describe_node (node));
  return FALSE;
}

static gboolean
get_positive (Validator  *v,
              JsonNode   *node,
              const char *path,
              gint64      max,
              gint64     *out_value)
{
  gint64 value = 0;

  if (!get_integer (v, node, path, &value))
    return FALSE;
  if (value < 1)
    {
      problem (v, path, "must be a whole number from 1 up, not %" G_GINT64_FORMAT, value);
      return FALSE;
    }
  if (value > max)
    {
      problem (v, path, "is too large (at most %" G_GINT64_FORMAT ")", max);
      return FALSE;
    }
  *out_value = value;
  return TRUE;
}

/* ---- URLs ---- */

static char *
web_url_problem (const char *text)
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

static char *
get_web_url (Validator  *v,
             JsonObject *object,
             const char *path,
             const char *key)
{
  g_autofree char *text = get_string (v, object, path, key, FALSE);
  g_autofree char *reason = NULL;
  g_autofree char *child = NULL;

  if (text == NULL)
    return NULL;
  reason = web_url_problem (text);
  if (reason != NULL)
    {
      child = path_key (path, key);
      problem (v, child, "%s", reason);
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

  quoted = quote_value (canonical);
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
      g_autofree char *size = format_size (st.st_size);
      g_autofree char *limit = format_size (v->limits->max_file_size);
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
  quoted = quote_value (canonical);

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
  quoted = quote_value (canonical);

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

  if (!node_is_string (node))
    {
      problem (v, path, "must be a file path in quotes, not %s", describe_node (node));
      return NULL;
    }
  value = json_node_get_string (node);
  if (value == NULL || text_is_blank (value))
    {
      problem (v, path, "is empty; write the path of a file in the pack folder, "
               "like \"images/photo.png\"");
      return NULL;
    }
  if (strchr (value, '\\') != NULL)
    {
      problem (v, path, "contains a backslash (\\); separate folders with / as in "
               "\"images/photo.png\"");
      return NULL;
    }
  if (value[0] == '/')
    {
      problem (v, path, "is an absolute path; write it relative to the pack folder, "
               "like \"images/photo.png\"");
      return NULL;
    }
  parts = g_strsplit (value, "/", -1);
  kept = g_ptr_array_new ();
  for (i = 0; parts[i] != NULL; i++)
    {
      if (strcmp (parts[i], "..") == 0)
        {
          problem (v, path, "goes up with \"..\"; every file must be inside the pack folder");
          return NULL;
        }
      if (parts[i][0] != '\0' && strcmp (parts[i], ".") != 0)
        g_ptr_array_add (kept, parts[i]);
    }
  if (kept->len == 0)
    {
      problem (v, path, "names the pack folder itself, not a file in it");
      return NULL;
    }
  g_ptr_array_add (kept, NULL);
  canonical = g_strjoinv ("/", (char **) kept->pdata);

  check = check_file (v, canonical);
  if (check->problem != NULL)
    {
      problem (v, path, "%s", check->problem);
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
      problem (v, path, "%s", reason);
      return NULL;
    }
  return g_steal_pointer (&canonical);
}

static char *
get_path (Validator  *v,
          JsonObject *object,
          const char *path,
          const char *key,
          gboolean    required,
          FileKind    kind)
{
  JsonNode *node = member (v, object, path, key, required);
  g_autofree char *child = NULL;

  if (node == NULL)
    return NULL;
  child = path_key (path, key);
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
        problem (v, path, "must be an object with a file per language, like "
                 "{\"de\": \"texts/de.md\"}, not %s", describe_node (node));
      else
        problem (v, path, "must be an object with a text per language, like "
                 "{\"de\": \"…\", \"en\": \"…\"}, not %s", describe_node (node));
      return NULL;
    }
  object = json_node_get_object (node);
  map = text_map_new ();
  names = json_object_get_members (object);
  for (l = names; l != NULL; l = l->next)
    {
      const char *language = l->data;
      JsonNode *value = json_object_get_member (object, language);
      g_autofree char *child = NULL;

      if (language[0] == '_')
        continue;
      child = path_key (path, language);
      if (v->language_set != NULL && !g_hash_table_contains (v->language_set, language))
        {
          warning (v, child, "language \"%s\" is not in the pack's \"languages\", ignored",
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
      if (!node_is_string (value))
        {
          problem (v, child, "must be text in quotes, not %s", describe_node (value));
          continue;
        }
      if (text_is_blank (json_node_get_string (value)))
        {
          problem (v, child, "is empty; write the text or remove this language");
          continue;
        }
      g_hash_table_insert (map, g_strdup (language), g_strdup (json_node_get_string (value)));
    }
  if (v->fallback != NULL && !json_object_has_member (object, v->fallback))
    problem (v, path, "has no \"%s\" entry; every text needs one in \"%s\", the pack's first "
             "language", v->fallback, v->fallback);
  return g_steal_pointer (&map);
}

static DigithekTextMap *
get_text_map (Validator  *v,
              JsonObject *object,
              const char *path,
              const char *key,
              gboolean    required,
              gboolean    of_paths)
{
  JsonNode *node = member (v, object, path, key, required);
  g_autofree char *child = NULL;

  if (node == NULL)
    return NULL;
  child = path_key (path, key);
  return parse_text_map (v, node, child, of_paths);
}

/* ---- datasets ---- */

static gboolean
parse_csv_options (Validator          *v,
                   JsonObject         *object,
                   const char         *path,
                   DigithekCsvOptions *options)
{
  static const char * const known[] = {
    "delimiter", "decimal", "encoding", "header_row", "first_data_row", NULL
  };
  gboolean ok = TRUE;
  JsonNode *node;
  gint64 row;

  check_members (v, object, path, known, NULL, NULL);

  if ((node = json_object_get_member (object, "delimiter")) != NULL)
    {
      g_autofree char *child = path_key (path, "delimiter");

      if (!node_is_string (node))
        {
          problem (v, child, "must be one character in quotes, like \";\", not %s",
                   describe_node (node));
          ok = FALSE;
        }
      else
        {
          const char *text = json_node_get_string (node);

          if (strlen (text) != 1)
            {
              g_autofree char *quoted = quote_value (text);
              problem (v, child, "must be exactly one character, like \";\", \",\" or \"\\t\", "
                       "not %s", quoted);
              ok = FALSE;
            }
          else if (text[0] == '"' || text[0] == '\n' || text[0] == '\r'
                   || (guchar) text[0] >= 0x80)
            {
              problem (v, child, "cannot be a quote, a line break or a non-ASCII character; "
                       "use \";\", \",\" or \"\\t\"");
              ok = FALSE;
            }
          else
            options->delimiter = text[0];
        }
    }
  if ((node = json_object_get_member (object, "decimal")) != NULL)
    {
      g_autofree char *child = path_key (path, "decimal");

      if (!node_is_string (node)
          || (strcmp (json_node_get_string (node), ".") != 0
              && strcmp (json_node_get_string (node), ",") != 0))
        {
          problem (v, child, "must be \".\" or \",\" (the decimal mark of the numbers)");
          ok = FALSE;
        }
      else
        options->decimal = json_node_get_string (node)[0];
    }
  if (options->delimiter != 0 && options->delimiter == options->decimal)
    {
      g_autofree char *child = path_key (path, "decimal");
      problem (v, child, "cannot be the same character as the delimiter");
      ok = FALSE;
    }
  if ((node = json_object_get_member (object, "encoding")) != NULL)
    {
      g_autofree char *child = path_key (path, "encoding");

      if (!node_is_string (node))
        {
          problem (v, child, "must be text in quotes, not %s", describe_node (node));
          ok = FALSE;
        }
      else if (!digithek_csv_encoding_from_string (json_node_get_string (node),
                                                   &options->encoding))
        {
          g_autofree char *quoted = quote_value (json_node_get_string (node));
          problem (v, child, "unknown encoding %s; use \"UTF-8\", \"ISO-8859-1\" or "
                   "\"Windows-1252\", or leave it out to detect it", quoted);
          ok = FALSE;
        }
    }
  if ((node = json_object_get_member (object, "header_row")) != NULL)
    {
      g_autofree char *child = path_key (path, "header_row");

      if (get_positive (v, node, child, G_MAXINT, &row))
        options->header_row = (guint) row;
      else
        ok = FALSE;
    }
  if ((node = json_object_get_member (object, "first_data_row")) != NULL)
    {
      g_autofree char *child = path_key (path, "first_data_row");

      if (!get_positive (v, node, child, G_MAXINT, &row))
        ok = FALSE;
      else if ((guint) row <= MAX (options->header_row, 1))
        {
          problem (v, child, "must come after the header row (%u), not %" G_GINT64_FORMAT,
                   MAX (options->header_row, 1), row);
          ok = FALSE;
        }
      else
        options->first_data_row = (guint) row;
    }
  return ok;
}

typedef struct
{
  guint64 line;
  char   *value;
} BadCell;

static void
bad_cell_clear (gpointer data)
{
  BadCell *cell = data;

  g_free (cell->value);
}

static GArray *
bad_cells_new (void)
{
  GArray *cells = g_array_new (FALSE, TRUE, sizeof (BadCell));

  g_array_set_clear_func (cells, bad_cell_clear);
  return cells;
}

static void
bad_cells_add (GArray     *cells,
               guint64     line,
               const char *value)
{
  BadCell cell = { line, g_strdup (value) };

  if (cells->len < MAX_BAD_CELLS)
    g_array_append_val (cells, cell);
  else
    g_free (cell.value);
}

static char *
header_list (DigithekCsv *csv)
{
  const char * const *header = digithek_csv_get_header (csv);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; header != NULL && header[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;

      if (i == MAX_LISTED_COLUMNS)
        {
          g_string_append_printf (out, ", … (%u in all)", g_strv_length ((GStrv) header));
          break;
        }
      quoted = quote_value (header[i]);
      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", quoted);
    }
  return g_string_free (out, FALSE);
}

/* Reads the whole CSV once, as the importer will: the header must hold every column,
 * every y cell must be a number or empty, and x must be a time or a category. */
static void
check_csv_data (Validator                *v,
                const char               *path,
                DigithekPackItem         *item,
                const char               *real_path,
                const DigithekCsvOptions *options,
                gboolean                  columns_ok)
{
  g_autoptr(DigithekCsv) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_path = path_key (path, "data");
  g_autofree char *x_path = NULL;
  g_autofree char *file = quote_value (item->data);
  g_autofree int *y_columns = NULL;
  g_autofree guint *y_bad = NULL;
  g_autoptr(GArray) x_empty = bad_cells_new ();
  g_autoptr(GArray) x_not_time = bad_cells_new ();
  g_autoptr(GArray) x_not_year = bad_cells_new ();
  guint n_x_empty = 0, n_time = 0, n_not_time = 0, n_year = 0, n_not_year = 0;
  guint64 n_rows = 0;
  guint n_y;
  int x_column = -1;
  char decimal;
  guint i;

  csv = digithek_csv_new_for_path (real_path, options, &error);
  if (csv == NULL)
    {
      if (g_error_matches (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_NO_HEADER))
        problem (v, data_path, "%s has no header row; its first line must name the columns",
                 file);
      else
        problem (v, data_path, "%s cannot be read as CSV: %s", file, error->message);
      return;
    }
  if (!columns_ok)
    return;

  n_y = item->chart_y != NULL ? g_strv_length (item->chart_y) : 0;
  y_columns = g_new0 (int, n_y + 1);
  y_bad = g_new0 (guint, n_y + 1);

  if (item->chart_x != NULL)
    {
      x_path = g_strdup_printf ("%s.chart.x", path);
      x_column = digithek_csv_find_column (csv, item->chart_x);
      if (x_column < 0)
        {
          g_autofree char *columns = header_list (csv);
          g_autofree char *quoted = quote_value (item->chart_x);
          problem (v, x_path, "column %s is not in the header of %s (its columns are %s)",
                   quoted, item->data, columns);
        }
    }
  for (i = 0; i < n_y; i++)
    {
      y_columns[i] = digithek_csv_find_column (csv, item->chart_y[i]);
      if (y_columns[i] < 0)
        {
          g_autofree char *y_path = g_strdup_printf ("%s.chart.y[%u]", path, i);
          g_autofree char *columns = header_list (csv);
          g_autofree char *quoted = quote_value (item->chart_y[i]);
          problem (v, y_path, "column %s is not in the header of %s (its columns are %s)",
                   quoted, item->data, columns);
        }
    }

  decimal = digithek_csv_get_decimal (csv);
  if (decimal != '.' && decimal != ',')
    decimal = '.';
  while (digithek_csv_next_row (csv, &error))
    {
      guint64 line = digithek_csv_get_line (csv);

      n_rows++;
      if (x_column >= 0)
        {
          const char *cell = digithek_csv_get_field (csv, x_column);
          gint64 unix_time;
          int year;

          if (digithek_csv_is_missing (cell))
            {
              n_x_empty++;
              bad_cells_add (x_empty, line, cell);
            }
          else
            {
              if (digithek_csv_parse_time (cell, &unix_time))
                n_time++;
              else
                {
                  n_not_time++;
                  bad_cells_add (x_not_time, line, cell);
                }
              if (digithek_csv_parse_year (cell, &year))
                n_year++;
              else
                {
                  n_not_year++;
                  bad_cells_add (x_not_year, line, cell);
                }
            }
        }
      for (i = 0; i < n_y; i++)
        {
          const char *cell;
          double value;

          if (y_columns[i] < 0)
            continue;
          cell = digithek_csv_get_field (csv, y_columns[i]);
          if (digithek_csv_is_missing (cell) || digithek_csv_parse_number (cell, decimal, &value))
            continue;
          if (++y_bad[i] <= MAX_BAD_CELLS)
            {
              g_autofree char *y_path = g_strdup_printf ("%s.chart.y[%u]", path, i);
              g_autofree char *quoted = quote_value (cell);
              g_autofree char *column = quote_value (item->chart_y[i]);
              problem (v, y_path, "%s line %" G_GUINT64_FORMAT ": %s in column %s is not a "
                       "number; correct it or leave the cell empty",
                       item->data, line, quoted, column);
            }
        }
    }
  if (error != NULL)
    problem (v, data_path, "%s cannot be read to the end: %s", file, error->message);

  for (i = 0; i < n_y; i++)
    if (y_bad[i] > MAX_BAD_CELLS)
      {
        g_autofree char *y_path = g_strdup_printf ("%s.chart.y[%u]", path, i);
        g_autofree char *column = quote_value (item->chart_y[i]);
        problem (v, y_path, "… and %u more cells in column %s of %s are not numbers",
                 y_bad[i] - MAX_BAD_CELLS, column, item->data);
      }

  if (x_column >= 0)
    {
      g_autofree char *column = quote_value (item->chart_x);
      GArray *bad = NULL;
      guint n_bad = 0;
      const char *expected = NULL;

      for (i = 0; i < x_empty->len; i++)
        problem (v, x_path, "%s line %" G_GUINT64_FORMAT ": the cell in column %s is empty; "
                 "every row needs an x value (a time or a label)",
                 item->data, g_array_index (x_empty, BadCell, i).line, column);
      if (n_x_empty > MAX_BAD_CELLS)
        problem (v, x_path, "… and %u more empty cells in column %s of %s",
                 n_x_empty - MAX_BAD_CELLS, column, item->data);

      /* A column of labels may hold anything; one that is mostly dates or years is
       * meant as a time axis, and a cell that does not parse there is a typo. */
      if (n_time > 0 && n_not_time > 0 && n_time > n_not_time)
        {
          bad = x_not_time;
          n_bad = n_not_time;
          expected = "a valid date or time";
        }
      else if (n_year > 0 && n_not_year > 0 && n_year > n_not_year && n_time == 0)
        {
          bad = x_not_year;
          n_bad = n_not_year;
          expected = "a year";
        }
      for (i = 0; bad != NULL && i < bad->len; i++)
        {
          g_autofree char *quoted = quote_value (g_array_index (bad, BadCell, i).value);
          problem (v, x_path, "%s line %" G_GUINT64_FORMAT ": %s in column %s is not %s, "
                   "though the other cells are; correct it",
                   item->data, g_array_index (bad, BadCell, i).line, quoted, column, expected);
        }
      if (bad != NULL && n_bad > MAX_BAD_CELLS)
        problem (v, x_path, "… and %u more cells in column %s of %s are not %s",
                 n_bad - MAX_BAD_CELLS, column, item->data, expected);
    }

  if (n_rows == 0 && error == NULL)
    warning (v, data_path, "%s has a header but no data rows; the chart will be empty", file);
}

static void
parse_dataset (Validator        *v,
               JsonObject       *object,
               const char       *path,
               DigithekPackItem *item)
{
  static const char * const chart_known[] = { "type", "x", "y", "unit", NULL };
  static const char * const source_known[] = { "name", "license", "url", NULL };
  JsonObject *csv_object;
  JsonObject *chart;
  JsonObject *source;
  gboolean csv_ok = TRUE;
  gboolean columns_ok = TRUE;
  g_autofree char *csv_path = path_key (path, "csv");
  g_autofree char *chart_path = path_key (path, "chart");
  g_autofree char *source_path = path_key (path, "source");

  item->data = get_path (v, object, path, "data", TRUE, FILE_KIND_CSV);

  csv_object = get_object (v, object, path, "csv", FALSE);
  if (csv_object != NULL)
    csv_ok = parse_csv_options (v, csv_object, csv_path, &item->csv);
  else if (json_object_has_member (object, "csv"))
    csv_ok = FALSE;

  chart = get_object (v, object, path, "chart", TRUE);
  if (chart != NULL)
    {
      JsonArray *y;
      g_autofree char *type_path = path_key (chart_path, "type");

      check_members (v, chart, chart_path, chart_known, NULL, NULL);
      item->chart_type = get_string (v, chart, chart_path, "type", TRUE);
      if (item->chart_type != NULL
          && strcmp (item->chart_type, "line") != 0 && strcmp (item->chart_type, "bar") != 0)
        {
          g_autofree char *quoted = quote_value (item->chart_type);
          problem (v, type_path, "must be \"line\" or \"bar\", not %s", quoted);
        }
      item->chart_x = get_string (v, chart, chart_path, "x", TRUE);
      y = get_array (v, chart, chart_path, "y", TRUE);
      if (y != NULL)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_autofree char *y_path = path_key (chart_path, "y");
          guint n = json_array_get_length (y);
          guint i;

          if (n == 0)
            problem (v, y_path, "is empty; name at least one column to draw, like "
                     "[\"Belegung\"]");
          for (i = 0; i < n; i++)
            {
              JsonNode *node = json_array_get_element (y, i);
              g_autofree char *element = path_index (y_path, i);

              if (!node_is_string (node))
                {
                  problem (v, element, "must be a column name in quotes, not %s",
                           describe_node (node));
                  columns_ok = FALSE;
                }
              else if (text_is_blank (json_node_get_string (node)))
                {
                  problem (v, element, "is empty; write a column name");
                  columns_ok = FALSE;
                }
              else
                g_strv_builder_add (builder, json_node_get_string (node));
            }
          item->chart_y = g_strv_builder_end (builder);
        }
      else
        columns_ok = FALSE;
      if (json_object_has_member (chart, "unit"))
        item->chart_unit = get_string (v, chart, chart_path, "unit", FALSE);
    }
  if (item->chart_y == NULL)
    item->chart_y = g_new0 (char *, 1);

  source = get_object (v, object, path, "source", TRUE);
  if (source != NULL)
    {
      check_members (v, source, source_path, source_known, NULL, NULL);
      item->source_name = get_string (v, source, source_path, "name", TRUE);
      item->source_license = get_string (v, source, source_path, "license", TRUE);
      item->source_url = get_web_url (v, source, source_path, "url");
    }

  if (item->data != NULL && csv_ok)
    {
      FileCheck *check = g_hash_table_lookup (v->files, item->data);

      if (check != NULL && check->real_path != NULL)
        check_csv_data (v, path, item, check->real_path, &item->csv, columns_ok);
    }
}

/* ---- other kinds ---- */

static void
parse_guide (Validator        *v,
             JsonObject       *object,
             const char       *path,
             DigithekPackItem *item)
{
  static const char * const step_known[] = { "title", "body", "image", NULL };
  g_autofree char *steps_path = path_key (path, "steps");
  JsonArray *steps;
  guint n, i;

  item->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) pack_step_free);
  steps = get_array (v, object, path, "steps", TRUE);
  if (steps == NULL)
    return;
  n = json_array_get_length (steps);
  if (n == 0)
    problem (v, steps_path, "is empty; a guide needs at least one step");
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (steps, i);
      g_autofree char *step_path = path_index (steps_path, i);
      DigithekPackStep *step;
      JsonObject *step_object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          problem (v, step_path, "must be an object {\"title\": …, \"body\": …}, not %s",
                   describe_node (node));
          continue;
        }
      step_object = json_node_get_object (node);
      check_members (v, step_object, step_path, step_known, NULL, NULL);
      step = g_new0 (DigithekPackStep, 1);
      step->title = get_text_map (v, step_object, step_path, "title", TRUE, FALSE);
      step->body = get_text_map (v, step_object, step_path, "body", TRUE, TRUE);
      step->image = get_path (v, step_object, step_path, "image", FALSE, FILE_KIND_IMAGE);
      g_ptr_array_add (item->steps, step);
    }
}

static void
parse_tour (Validator        *v,
            JsonObject       *object,
            const char       *path,
            DigithekPackItem *item)
{
  g_autofree char *stops_path = path_key (path, "stops");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *stops;
  guint n, i;

  stops = get_array (v, object, path, "stops", TRUE);
  n = stops != NULL ? json_array_get_length (stops) : 0;
  if (stops != NULL && n == 0)
    problem (v, stops_path, "is empty; a tour needs at least one stop");
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (stops, i);
      g_autofree char *stop_path = path_index (stops_path, i);

      if (!node_is_string (node))
        problem (v, stop_path, "must be an item id in quotes, not %s", describe_node (node));
      else
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  item->stops = g_strv_builder_end (builder);
}

/* Runs after every item is known, since a stop may name a later item. */
static void
check_tour_stops (Validator        *v,
                  guint             index,
                  DigithekPackItem *item)
{
  guint i;

  for (i = 0; item->stops != NULL && item->stops[i] != NULL; i++)
    {
      const char *stop = item->stops[i];
      g_autofree char *stop_path = g_strdup_printf ("items[%u].stops[%u]", index, i);
      g_autofree char *quoted = quote_value (stop);
      const char *slash = strchr (stop, '/');

      if (slash != NULL)
        {
          g_autofree char *pack_id = g_strndup (stop, slash - stop);
          const char *item_id = slash + 1;

          if (!digithek_pack_id_is_valid (pack_id) || !digithek_pack_id_is_valid (item_id))
            problem (v, stop_path, "%s is not a valid stop; write \"item-id\" for an item of "
                     "this pack or \"pack-id/item-id\" for one of another pack", quoted);
          else if (v->pack->id != NULL && strcmp (pack_id, v->pack->id) == 0
                   && !g_hash_table_contains (v->item_index, item_id))
            problem (v, stop_path, "stop %s names this pack, but it has no item \"%s\"",
                     quoted, item_id);
        }
      else if (!digithek_pack_id_is_valid (stop))
        problem (v, stop_path, "%s is not a valid stop; write \"item-id\" for an item of this "
                 "pack or \"pack-id/item-id\" for one of another pack", quoted);
      else if (!g_hash_table_contains (v->item_index, stop))
        problem (v, stop_path, "stop %s is not an item of this pack; check the id, or write "
                 "\"pack-id/%s\" for an item of another pack", quoted, stop);
    }
}

/* ---- items ---- */

static const char * const common_keys[] = {
  "id", "kind", "title", "summary", "image", "tags", "web", NULL
};
static const char * const dataset_keys[] = {
  "id", "kind", "title", "summary", "image", "tags", "web", "data", "csv", "chart", "source", NULL
};
static const char * const explainer_keys[] = {
  "id", "kind", "title", "summary", "image", "tags", "web", "body", NULL
};
static const char * const guide_keys[] = {
  "id", "kind", "title", "summary", "image", "tags", "web", "web_step", "steps", NULL
};
static const char * const tour_keys[] = {
  "id", "kind", "title", "summary", "image", "tags", "web", "stops", NULL
};
static const char * const all_item_keys[] = {
  "id", "kind", "title", "summary", "image", "tags", "web", "web_step", "data", "csv", "chart",
  "source", "body", "steps", "stops", NULL
};

static void
parse_tags (Validator        *v,
            JsonObject       *object,
            const char       *path,
            DigithekPackItem *item)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *tags_path = path_key (path, "tags");
  JsonArray *tags = get_array (v, object, path, "tags", FALSE);
  guint n, i;

  if (tags == NULL)
    return;
  builder = g_strv_builder_new ();
  n = json_array_get_length (tags);
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (tags, i);
      g_autofree char *tag_path = path_index (tags_path, i);

      if (!node_is_string (node))
        problem (v, tag_path, "must be text in quotes, not %s", describe_node (node));
      else if (text_is_blank (json_node_get_string (node)))
        problem (v, tag_path, "is empty; write a tag or remove it");
      else
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  g_strfreev (item->tags);
  item->tags = g_strv_builder_end (builder);
}

static void
parse_web_step (Validator        *v,
                JsonObject       *object,
                const char       *path,
                DigithekPackItem *item)
{
  g_autofree char *text = get_string (v, object, path, "web_step", FALSE);
  g_autofree char *child = path_key (path, "web_step");
  g_auto(GStrv) parts = NULL;
  g_autofree char *first = NULL;
  g_autofree char *reason = NULL;

  if (text == NULL)
    return;
  if (strstr (text, "{step}") == NULL)
    {
      problem (v, child, "must contain {step} where the step number goes, like "
               "\"https://www.example.de/guide#step-{step}\"");
      return;
    }
  parts = g_strsplit (text, "{step}", -1);
  first = g_strjoinv ("1", parts);
  reason = web_url_problem (first);
  if (reason != NULL)
    {
      problem (v, child, "with {step} replaced by 1 %s", reason);
      return;
    }
  item->web_step = g_steal_pointer (&text);
}

static DigithekPackItem *
parse_item (Validator  *v,
            JsonNode   *node,
            guint       index)
{
  g_autofree char *path = g_strdup_printf ("items[%u]", index);
  g_autofree char *id_path = NULL;
  g_autofree char *kind_path = NULL;
  g_autofree char *kind = NULL;
  DigithekPackItem *item;
  JsonObject *object;
  gboolean kind_known;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      problem (v, path, "must be an object {…} describing an item, not %s",
               describe_node (node));
      return NULL;
    }
  object = json_node_get_object (node);
  item = pack_item_new ();
  id_path = path_key (path, "id");
  kind_path = path_key (path, "kind");

  item->id = get_string (v, object, path, "id", TRUE);
  if (item->id != NULL && !digithek_pack_id_is_valid (item->id))
    {
      g_autofree char *quoted = quote_value (item->id);
      problem (v, id_path, "%s is not a valid id; use lower-case letters a-z, digits and "
               "\"-\", starting with a letter or digit, at most 64 characters", quoted);
    }
  else if (item->id != NULL)
    {
      gpointer other = g_hash_table_lookup (v->item_index, item->id);

      if (other != NULL)
        problem (v, id_path, "\"%s\" is already the id of items[%u]; item ids must be unique "
                 "in a pack", item->id, GPOINTER_TO_UINT (other) - 1);
      else
        g_hash_table_insert (v->item_index, g_strdup (item->id), GUINT_TO_POINTER (index + 1));
    }

  kind = get_string (v, object, path, "kind", TRUE);
  kind_known = kind != NULL && digithek_item_kind_from_string (kind, &item->kind);
  if (kind != NULL && !kind_known)
    {
      g_autofree char *quoted = quote_value (kind);
      problem (v, kind_path, "unknown kind %s; use \"dataset\", \"explainer\", \"guide\" or "
               "\"tour\"", quoted);
    }

  item->title = get_text_map (v, object, path, "title", TRUE, FALSE);
  if (json_object_has_member (object, "summary"))
    item->summary = get_text_map (v, object, path, "summary", FALSE, FALSE);
  if (json_object_has_member (object, "image"))
    item->image = get_path (v, object, path, "image", FALSE, FILE_KIND_IMAGE);
  parse_tags (v, object, path, item);
  item->web = get_web_url (v, object, path, "web");
  if (kind_known && item->kind == DIGITHEK_ITEM_GUIDE)
    parse_web_step (v, object, path, item);

  if (!kind_known)
    {
      check_members (v, object, path, all_item_keys, NULL, NULL);
      return item;
    }
  switch (item->kind)
    {
    case DIGITHEK_ITEM_DATASET:
      check_members (v, object, path, dataset_keys, all_item_keys, kind);
      parse_dataset (v, object, path, item);
      break;
    case DIGITHEK_ITEM_EXPLAINER:
      check_members (v, object, path, explainer_keys, all_item_keys, kind);
      item->body = get_text_map (v, object, path, "body", TRUE, TRUE);
      break;
    case DIGITHEK_ITEM_GUIDE:
      check_members (v, object, path, guide_keys, all_item_keys, kind);
      parse_guide (v, object, path, item);
      break;
    case DIGITHEK_ITEM_TOUR:
      check_members (v, object, path, tour_keys, all_item_keys, kind);
      parse_tour (v, object, path, item);
      break;
    default:
      check_members (v, object, path, common_keys, all_item_keys, kind);
      break;
    }
  return item;
}

/* ---- top level ---- */

static void
parse_languages (Validator  *v,
                 JsonObject *root)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *languages = get_array (v, root, "", "languages", TRUE);
  gboolean ok = TRUE;
  guint n, i;

  if (languages == NULL)
    return;
  n = json_array_get_length (languages);
  if (n == 0)
    {
      problem (v, "languages", "is empty; list at least one language code, the fallback "
               "first, like [\"de\", \"en\"]");
      return;
    }
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (languages, i);
      g_autofree char *element = path_index ("languages", i);
      const char *code;

      if (!node_is_string (node))
        {
          problem (v, element, "must be a language code in quotes like \"de\", not %s",
                   describe_node (node));
          ok = FALSE;
          continue;
        }
      code = json_node_get_string (node);
      if (!digithek_language_code_is_valid (code))
        {
          g_autofree char *quoted = quote_value (code);
          problem (v, element, "%s is not a language code; write codes like \"de\", \"en\" "
                   "or \"de-x-easy\" (lower-case language, then parts joined by \"-\")",
                   quoted);
          ok = FALSE;
          continue;
        }
      if (g_hash_table_contains (seen, code))
        {
          problem (v, element, "\"%s\" is listed twice; list each language once", code);
          continue;
        }
      g_hash_table_add (seen, (gpointer) code);
      g_strv_builder_add (builder, code);
    }
  g_strfreev (v->pack->languages);
  v->pack->languages = g_strv_builder_end (builder);
  if (v->pack->languages[0] == NULL)
    return;
  /* Checking text maps against a broken list would only repeat its problem. */
  if (ok)
    {
      v->language_set = g_hash_table_new (g_str_hash, g_str_equal);
      for (i = 0; v->pack->languages[i] != NULL; i++)
        g_hash_table_add (v->language_set, v->pack->languages[i]);
      v->fallback = v->pack->languages[0];
    }
}

static void
parse_root (Validator  *v,
            JsonObject *root)
{
  static const char * const known[] = {
    "format", "id", "version", "title", "languages", "publisher", "items", NULL
  };
  DigithekPack *pack = v->pack;
  JsonNode *node;
  g_autoptr(GPtrArray) parsed = NULL;
  JsonArray *items;
  gint64 value = 0;
  guint n, i;

  check_members (v, root, "", known, NULL, NULL);

  if ((node = member (v, root, "", "format", TRUE)) != NULL
      && get_integer (v, node, "format", &value) && value != 1)
    problem (v, "format", "is %" G_GINT64_FORMAT ", but this kiosk reads format 1 only; "
             "write \"format\": 1", value);

  pack->id = get_string (v, root, "", "id", TRUE);
  if (pack->id != NULL && !digithek_pack_id_is_valid (pack->id))
    {
      g_autofree char *quoted = quote_value (pack->id);
      problem (v, "id", "%s is not a valid id; use lower-case letters a-z, digits and \"-\", "
               "starting with a letter or digit, at most 64 characters", quoted);
      g_clear_pointer (&pack->id, g_free);
    }

  if ((node = member (v, root, "", "version", TRUE)) != NULL)
    get_positive (v, node, "version", G_MAXINT64, &pack->version);

  parse_languages (v, root);
  pack->title = get_text_map (v, root, "", "title", TRUE, FALSE);
  if (json_object_has_member (root, "publisher"))
    pack->publisher = get_string (v, root, "", "publisher", FALSE);

  items = get_array (v, root, "", "items", TRUE);
  if (items == NULL)
    return;
  n = json_array_get_length (items);
  if (n == 0)
    problem (v, "items", "is empty; a pack needs at least one item");
  parsed = g_ptr_array_new ();
  for (i = 0; i < n; i++)
    {
      DigithekPackItem *item = parse_item (v, json_array_get_element (items, i), i);

      g_ptr_array_add (parsed, item);
      if (item == NULL)
        continue;
      g_ptr_array_add (pack->items, item);
      if (item->id != NULL && !g_hash_table_contains (pack->items_by_id, item->id))
        g_hash_table_insert (pack->items_by_id, item->id, item);
    }
  for (i = 0; i < n; i++)
    {
      DigithekPackItem *item = g_ptr_array_index (parsed, i);

      if (item != NULL && item->kind == DIGITHEK_ITEM_TOUR && item->stops != NULL)
        check_tour_stops (v, i, item);
    }
}

/* ---- raw JSON scans ---- */

/* Measures nesting before json-glib sees the text (see MAX_JSON_DEPTH). Strings and
 * comments are skipped the way json-glib's scanner reads them. */
static gboolean
json_depth_ok (const char *data,
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

typedef struct
{
  Validator  *v;
  const char *data;
  gsize       length;
  gsize       pos;
  guint       depth;
  gboolean    comment_warned;
  gboolean    quote_warned;
} Scan;

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
            warning (s->v, "(file)", "/* comments */ are not JSON and other tools may refuse "
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
      warning (s->v, "(file)", "'single quotes' are not JSON and other tools may refuse the "
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

static gboolean scan_value (Scan *s, const char *path);

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
    problem (s->v, path, "%s is not a JSON number (no leading zeros, hex, or text after the "
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

static gboolean
scan_value (Scan       *s,
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
          child = path_key (path, key);
          if (g_hash_table_contains (keys, key))
            problem (s->v, child, "appears twice in the same object; only the last one would "
                     "count, remove the other");
          else
            g_hash_table_add (keys, g_strdup (key));
          scan_space (s);
          if (s->pos >= s->length || s->data[s->pos] != ':')
            break;
          s->pos++;
          if (!scan_value (s, child))
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
          child = path_index (path, index++);
          if (!scan_value (s, child))
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

/* ---- loading ---- */

static void
report_parse_error (Validator  *v,
                    GError     *error)
{
  guint line = 0;
  guint column = 0;
  int consumed = 0;

  /* json-glib writes "<data>:LINE:COLUMN: Parse error: what" */
  if (sscanf (error->message, "<data>:%u:%u: %n", &line, &column, &consumed) == 2
      && consumed > 0)
    {
      const char *what = error->message + consumed;

      if (g_str_has_prefix (what, "Parse error: "))
        what += strlen ("Parse error: ");
      g_ptr_array_add (v->problems,
                       g_strdup_printf ("pack.json: line %u, column %u: not valid JSON: %s; "
                                        "check for a missing comma, quote or bracket near there",
                                        line, column, what));
    }
  else
    g_ptr_array_add (v->problems,
                     g_strdup_printf ("pack.json: (file): not valid JSON: %s", error->message));
}

static void
parse_manifest (Validator  *v,
                const char *data,
                gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  const char *end = NULL;
  JsonNode *root;
  Scan scan = { v, data, length, 0, 0, FALSE, FALSE };

  if (!g_utf8_validate_len (data, length, &end))
    {
      gsize offset = end - data;
      guint line = 1;
      gsize i;

      for (i = 0; i < offset; i++)
        if (data[i] == '\n')
          line++;
      g_ptr_array_add (v->problems,
                       g_strdup_printf ("pack.json: (file): not UTF-8 text: byte 0x%02X at "
                                        "offset %" G_GSIZE_FORMAT " (line %u) is not valid "
                                        "UTF-8; save the file as UTF-8",
                                        (guchar) data[offset], offset, line));
      return;
    }
  if (!json_depth_ok (data, length))
    {
      g_ptr_array_add (v->problems,
                       g_strdup_printf ("pack.json: (file): objects and lists are nested more "
                                        "than %d levels deep", MAX_JSON_DEPTH));
      return;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      report_parse_error (v, error);
      return;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_ptr_array_add (v->problems,
                       g_strdup ("pack.json: (file): is empty; it must hold one JSON object "
                                 "{\"format\": 1, …}"));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      problem (v, "", "must be a JSON object {\"format\": 1, …}, not %s", describe_node (root));
      return;
    }
  scan_value (&scan, "");
  parse_root (v, json_node_get_object (root));
}

static GStrv
strv_from_ptr_array (GPtrArray *array)
{
  GStrv strv = g_new0 (char *, array->len + 1);
  guint i;

  for (i = 0; i < array->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (array, i));
  return strv;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * digithek_pack_load_full:
 * @dir: the pack folder (holding `pack.json`)
 * @limits: (nullable): size limits, or %NULL for the defaults
 * @problems: (out) (optional) (transfer full) (element-type utf8): as for digithek_pack_load()
 * @warnings: (out) (optional) (transfer full) (element-type utf8): things that do not make
 *   the pack invalid (unknown fields, texts in languages the pack does not list…), in the
 *   same `FILE: JSON-PATH: message` form; filled also when the pack is invalid
 * @error: return location for a #GError
 *
 * digithek_pack_load() with warnings.
 *
 * Returns: (transfer full): the pack, or %NULL with @error set
 */
DigithekPack *
digithek_pack_load_full (const char                *dir,
                         const DigithekPackLimits  *limits,
                         GPtrArray                **problems,
                         GPtrArray                **warnings,
                         GError                   **error)
{
  g_autoptr(DigithekPack) pack = NULL;
  g_autofree char *manifest_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) file_list = NULL;
  DigithekPackLimits default_limits;
  Validator v = { 0 };
  struct stat st;
  gsize length = 0;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (limits == NULL)
    {
      digithek_pack_limits_init_default (&default_limits);
      limits = &default_limits;
    }
  pack = g_object_new (DIGITHEK_TYPE_PACK, NULL);
  pack->dir = g_canonicalize_filename (dir, NULL);
  v.limits = limits;
  v.pack = pack;
  v.problems = g_ptr_array_new_with_free_func (g_free);
  v.warnings = g_ptr_array_new_with_free_func (g_free);
  v.overflow = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  v.files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) file_check_free);
  v.item_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  v.real_dir = realpath (pack->dir, NULL);

  manifest_path = g_build_filename (pack->dir, "pack.json", NULL);
  if (v.real_dir == NULL || stat (v.real_dir, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_ptr_array_add (v.problems,
                       g_strdup_printf ("pack.json: (file): %s is not a folder; give the "
                                        "folder that holds pack.json", pack->dir));
      g_set_error (error, DIGITHEK_PACK_ERROR, DIGITHEK_PACK_ERROR_NOT_FOUND,
                   "No pack folder at %s", pack->dir);
      goto out;
    }
  if (stat (manifest_path, &st) != 0)
    {
      g_ptr_array_add (v.problems,
                       g_strdup_printf ("pack.json: (file): not found in %s; a pack folder "
                                        "needs a pack.json at its top (digithek-pack init "
                                        "writes one)", pack->dir));
      g_set_error (error, DIGITHEK_PACK_ERROR, DIGITHEK_PACK_ERROR_NOT_FOUND,
                   "No pack.json in %s", pack->dir);
      goto out;
    }

  if (!S_ISREG (st.st_mode))
    g_ptr_array_add (v.problems,
                     g_strdup ("pack.json: (file): is not an ordinary file"));
  else if ((guint64) st.st_size > limits->max_file_size)
    {
      g_autofree char *size = format_size (st.st_size);
      g_autofree char *limit = format_size (limits->max_file_size);
      g_ptr_array_add (v.problems,
                       g_strdup_printf ("pack.json: (file): is too large (%s); a file may have "
                                        "at most %s", size, limit));
    }
  else if (!g_file_get_contents (manifest_path, &contents, &length, &local_error))
    g_ptr_array_add (v.problems,
                     g_strdup_printf ("pack.json: (file): cannot be read: %s",
                                      local_error->message));
  else
    {
      /* pack.json counts against the pack's size like any other file. */
      v.total_size = length;
      pack->manifest = g_bytes_new (contents, length);
      parse_manifest (&v, contents, length);
    }

  if (v.total_size > limits->max_pack_size)
    {
      g_autofree char *size = format_size (v.total_size);
      g_autofree char *limit = format_size (limits->max_pack_size);
      problem (&v, "(files)", "the files of this pack add up to %s; a pack may have at most "
               "%s, split it into several packs", size, limit);
    }
  if (v.problems->len > 0)
    {
      g_set_error (error, DIGITHEK_PACK_ERROR, DIGITHEK_PACK_ERROR_INVALID,
                   v.problems->len == 1 ? "%u problem in %s" : "%u problems in %s",
                   v.problems->len, pack->dir);
      goto out;
    }

  file_list = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, v.files);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (file_list, key);
  g_ptr_array_sort (file_list, compare_strings);
  pack->files = strv_from_ptr_array (file_list);
  pack->warnings = strv_from_ptr_array (v.warnings);

out:
  if (problems != NULL)
    *problems = g_ptr_array_ref (v.problems);
  if (warnings != NULL)
    *warnings = g_ptr_array_ref (v.warnings);
  g_ptr_array_unref (v.problems);
  g_ptr_array_unref (v.warnings);
  g_hash_table_unref (v.overflow);
  g_hash_table_unref (v.files);
  g_hash_table_unref (v.item_index);
  g_clear_pointer (&v.language_set, g_hash_table_unref);
  free (v.real_dir);

  if (error != NULL && *error != NULL)
    return NULL;
  if (pack->files == NULL)
    return NULL;
  return g_steal_pointer (&pack);
}

DigithekPack *
digithek_pack_load (const char                *dir,
                    const DigithekPackLimits  *limits,
                    GPtrArray                **problems,
                    GError                   **error)
{
  return digithek_pack_load_full (dir, limits, problems, NULL, error);
}

/* ---- accessors ---- */

const char *
digithek_pack_get_dir (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  return self->dir;
}

const char *
digithek_pack_get_id (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  return self->id;
}

gint64
digithek_pack_get_version (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), 0);
  return self->version;
}

DigithekTextMap *
digithek_pack_get_title (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  return self->title;
}

const char * const *
digithek_pack_get_languages (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  return (const char * const *) self->languages;
}

const char *
digithek_pack_get_publisher (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  return self->publisher;
}

guint
digithek_pack_get_n_items (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), 0);
  return self->items->len;
}

DigithekPackItem *
digithek_pack_get_item (DigithekPack *self,
                        guint         index)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return g_ptr_array_index (self->items, index);
}

DigithekPackItem *
digithek_pack_find_item (DigithekPack *self,
                         const char   *item_id)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  g_return_val_if_fail (item_id != NULL, NULL);
  return g_hash_table_lookup (self->items_by_id, item_id);
}

GStrv
digithek_pack_list_files (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  return g_strdupv (self->files);
}

GBytes *
digithek_pack_get_manifest_bytes (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  return self->manifest;
}

const char * const *
digithek_pack_get_warnings (DigithekPack *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PACK (self), NULL);
  return (const char * const *) self->warnings;
}

const char *
digithek_text_map_lookup (DigithekTextMap *map,
                          const char      *language,
                          const char      *fallback)
{
  const char *text = NULL;

  if (map == NULL)
    return NULL;
  if (language != NULL)
    text = g_hash_table_lookup (map, language);
  /* "de-x-easy" falls back to "de" before the pack's fallback language. */
  if (text == NULL && language != NULL && strchr (language, '-') != NULL)
    {
      g_autofree char *base = g_strndup (language, strchr (language, '-') - language);
      text = g_hash_table_lookup (map, base);
    }
  if (text == NULL && fallback != NULL)
    text = g_hash_table_lookup (map, fallback);
  return text;
}

static const char *
json_text_member (JsonObject *map,
                  const char *member)
{
  JsonNode *node = member != NULL ? json_object_get_member (map, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
digithek_json_text_map_lookup (JsonObject *map,
                               const char *language,
                               const char *fallback)
{
  g_autoptr(GList) members = NULL;
  const char *text;
  const char *dash;

  if (map == NULL)
    return NULL;
  if ((text = json_text_member (map, language)) != NULL)
    return text;
  if (language != NULL && (dash = strchr (language, '-')) != NULL)
    {
      g_autofree char *base = g_strndup (language, (gsize) (dash - language));

      if ((text = json_text_member (map, base)) != NULL)
        return text;
    }
  if ((text = json_text_member (map, fallback)) != NULL)
    return text;

  members = json_object_get_members (map);
  for (GList *l = members; l != NULL; l = l->next)
    if (((const char *) l->data)[0] != '_' && (text = json_text_member (map, l->data)) != NULL)
      return text;
  return NULL;
}
