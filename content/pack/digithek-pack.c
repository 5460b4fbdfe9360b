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
#include "digithek-json.h"
#include "digithek-pack-private.h"

G_DEFINE_QUARK (digithek-pack-error-quark, digithek_pack_error)

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

void
digithek_pack_step_free (DigithekPackStep *step)
{
  g_clear_pointer (&step->title, g_hash_table_unref);
  g_clear_pointer (&step->body, g_hash_table_unref);
  g_clear_pointer (&step->image, g_free);
  g_free (step);
}

DigithekTextMap *
digithek_pack_text_map_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DigithekPackItem *
digithek_pack_item_new (void)
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
  if (!digithek_pack_json_depth_ok (data, length))
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
      digithek_pack_problem (v, "", "must be a JSON object {\"format\": 1, …}, not %s",
                             digithek_pack_describe_node (root));
      return;
    }
  digithek_pack_scan_value (&scan, "");
  digithek_pack_parse_root (v, json_node_get_object (root));
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
                                   (GDestroyNotify) digithek_pack_file_check_free);
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
      g_autofree char *size = digithek_pack_format_size (st.st_size);
      g_autofree char *limit = digithek_pack_format_size (limits->max_file_size);
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
      g_autofree char *size = digithek_pack_format_size (v.total_size);
      g_autofree char *limit = digithek_pack_format_size (limits->max_pack_size);
      digithek_pack_problem (&v, "(files)",
                             "the files of this pack add up to %s; a pack may have at most "
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

const char *
digithek_json_series_label (JsonObject *manifest,
                            const char *column,
                            const char *language)
{
  JsonObject *chart = digithek_json_get_object (manifest, "chart");
  JsonObject *labels = digithek_json_get_object (chart, "labels");
  const char *label = digithek_json_text_map_lookup (digithek_json_get_object (labels, column),
                                                     language, NULL);

  return label != NULL && *label != '\0' ? label : column;
}
