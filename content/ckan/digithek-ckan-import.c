/* SPDX-License-Identifier: GPL-3.0-or-later */

/* `digithek-pack ckan`, the whole run: fetch, stage the files, and write or update the
 * pack folder's dataset item with its provenance. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "digithek-ckan-private.h"

#define DEFAULT_TIMEOUT_SECONDS 30
#define SUMMARY_MAX_CHARS 300
#define STAGE_PREFIX ".digithek-ckan-"

/* ---- the pack folder ---- */

static gboolean
io_error (GError     **error,
          int          saved_errno,
          const char  *what,
          const char  *path)
{
  g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
               "cannot %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
make_parent (const char  *path,
             GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (path);

  if (g_mkdir_with_parents (parent, 0755) != 0)
    return io_error (error, errno, "create folder", parent);
  return TRUE;
}

/* Removes the staging folder: only what we created there, never following links. */
static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* The staged pack needs every file the old one references. A hard link costs nothing
 * and cannot change the original; a copy serves where links are not allowed. */
static gboolean
stage_file (const char  *from,
            const char  *to,
            GError     **error)
{
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!make_parent (to, error))
    return FALSE;
  if (link (from, to) == 0)
    return TRUE;
  source = g_file_new_for_path (from);
  target = g_file_new_for_path (to);
  if (!g_file_copy (source, target, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL,
                    &local_error))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                   "cannot stage %s: %s", from, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
text_map_new (const char *language,
              const char *text)
{
  JsonObject *map = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (map, language, text);
  json_node_take_object (node, map);
  return node;
}

static JsonArray *
strv_to_array (const char * const *strv,
               guint               max)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL && i < max; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

static char *
item_member_string (JsonObject *item,
                    const char *object_name,
                    const char *member)
{
  JsonObject *object = object_name != NULL ? digithek_json_get_object (item, object_name) : item;
  return digithek_json_dup_text (object, member);
}

/* The item this dataset became before: by id, or by the provenance note left in it
 * (staff may have renamed the id). */
static int
find_item (JsonArray  *items,
           const char *item_id,
           const char *portal,
           const DigithekCkanDataset *dataset)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autofree char *id = item != NULL ? digithek_json_dup_text (item, "id") : NULL;

      if (id != NULL && g_str_equal (id, item_id))
        return i;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autofree char *was_portal = item_member_string (item, "_ckan", "portal");
      g_autofree char *was_dataset = item_member_string (item, "_ckan", "dataset");

      if (was_portal != NULL && was_dataset != NULL && g_str_equal (was_portal, portal)
          && ((dataset->name != NULL && g_str_equal (was_dataset, dataset->name))
              || (dataset->id != NULL && g_str_equal (was_dataset, dataset->id))))
        return i;
    }
  return -1;
}

static JsonNode *
provenance_new (const char                 *portal,
                const DigithekCkanDataset  *dataset,
                const DigithekCkanResource *resource)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "_comment",
                                 "written by digithek-pack ckan; --refresh reads it");
  json_object_set_string_member (object, "portal", portal);
  json_object_set_string_member (object, "dataset",
                                 dataset->name != NULL ? dataset->name : dataset->id);
  json_object_set_string_member (object, "resource", resource->id);
  json_node_take_object (node, object);
  return node;
}

static char *
generate_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

typedef struct
{
  char     *pack_dir;
  char     *stage;
  gboolean  created_dir;
} Staging;

static void
staging_clear (Staging *staging)
{
  if (staging->stage != NULL)
    remove_tree (staging->stage);
  /* A folder we created for a new pack goes again when nothing came of it. */
  if (staging->created_dir)
    g_rmdir (staging->pack_dir);
  g_clear_pointer (&staging->stage, g_free);
  g_clear_pointer (&staging->pack_dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Staging, staging_clear)

DigithekCkanReport *
digithek_ckan_import (const char                       *portal_url,
                      const char                       *dataset_id,
                      const char                       *pack_dir,
                      const DigithekCkanImportOptions  *options,
                      GPtrArray                       **problems,
                      GCancellable                     *cancellable,
                      GError                          **error)
{
  DigithekCkanImportOptions defaults = { NULL, DIGITHEK_CKAN_IMPORT_NONE, 0, 0 };
  g_auto(Staging) staging = { NULL, NULL, FALSE };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(DigithekCkanDataset) dataset = NULL;
  g_autoptr(DigithekPack) old_pack = NULL;
  g_autoptr(DigithekPack) new_pack = NULL;
  g_autoptr(DigithekCkanReport) report = NULL;
  g_autoptr(GPtrArray) load_problems = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) new_root = NULL;
  g_autofree char *portal = NULL;
  g_autofree char *escaped_id = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *pack_json = NULL;
  g_autofree char *resource_url = NULL;
  g_autofree char *staged_data = NULL;
  g_autofree char *staged_json = NULL;
  g_autofree char *target_data = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *json_text = NULL;
  g_autofree char *wanted_resource = NULL;
  g_auto(GStrv) old_files = NULL;
  g_auto(DigithekCkanChartGuess) guess = { NULL, NULL, NULL, 0, 0, 0, 0 };
  const DigithekCkanResource *resource;
  DigithekPackItem *old_item = NULL;
  JsonNode *root;
  JsonObject *root_object;
  JsonObject *item;
  JsonArray *items;
  const char *language = "de";
  const char *modified;
  gboolean refresh;
  gboolean have_backup = FALSE;
  guint64 max_size;
  int index;

  g_return_val_if_fail (portal_url != NULL, NULL);
  g_return_val_if_fail (dataset_id != NULL, NULL);
  g_return_val_if_fail (pack_dir != NULL, NULL);

  if (options == NULL)
    options = &defaults;
  refresh = (options->flags & DIGITHEK_CKAN_IMPORT_REFRESH) != 0;
  max_size = options->max_size > 0 ? options->max_size : DIGITHEK_CKAN_DEFAULT_MAX_SIZE;
  if (problems != NULL)
    *problems = NULL;

  portal = g_strdup (portal_url);
  while (g_str_has_suffix (portal, "/"))
    portal[strlen (portal) - 1] = '\0';
  escaped_id = g_uri_escape_string (dataset_id, NULL, FALSE);
  api_url = g_strconcat (portal, "/api/3/action/package_show?id=", escaped_id, NULL);

  /* Look at the pack first: refusing there costs no download. */
  pack_json = g_build_filename (pack_dir, "pack.json", NULL);
  if (g_file_test (pack_json, G_FILE_TEST_EXISTS))
    {
      old_pack = digithek_pack_load (pack_dir, NULL, &load_problems, &local_error);
      if (old_pack == NULL)
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                       "the pack in %s is not valid; fix it first (digithek-pack validate %s)",
                       pack_dir, pack_dir);
          if (problems != NULL)
            *problems = g_steal_pointer (&load_problems);
          return NULL;
        }
      language = digithek_pack_get_languages (old_pack)[0];
    }
  else if (refresh)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                   "%s holds no pack.json, so there is nothing to refresh; leave out "
                   "--refresh to create the pack", pack_dir);
      return NULL;
    }

  session = digithek_ckan_session_new (options->timeout > 0 ? options->timeout : DEFAULT_TIMEOUT_SECONDS);
  dataset = digithek_ckan_fetch_dataset (session, api_url, dataset_id, cancellable, error);
  if (dataset == NULL)
    return NULL;

  report = g_new0 (DigithekCkanReport, 1);
  report->notes = g_ptr_array_new_with_free_func (g_free);
  report->item_id = digithek_ckan_slugify (dataset->name != NULL ? dataset->name : dataset->title);

  /* The manifest as a tree we can change; it was just validated, so it parses. */
  if (old_pack != NULL)
    {
      GBytes *bytes = digithek_pack_get_manifest_bytes (old_pack);
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, data, len, &local_error))
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                       "%s: %s", pack_json, local_error->message);
          return NULL;
        }
      root = json_parser_get_root (parser);
      root_object = json_node_get_object (root);
      items = json_object_get_array_member (root_object, "items");
    }
  else
    {
      g_autofree char *absolute = g_canonicalize_filename (pack_dir, NULL);
      g_autofree char *base = g_path_get_basename (absolute);
      g_autofree char *pack_id = digithek_ckan_slugify (base);
      JsonArray *languages = json_array_new ();

      new_root = json_node_new (JSON_NODE_OBJECT);
      root_object = json_object_new ();
      json_node_take_object (new_root, root_object);
      root = new_root;
      json_object_set_int_member (root_object, "format", 1);
      json_object_set_string_member (root_object, "id", pack_id);
      json_object_set_int_member (root_object, "version", 0);
      json_object_set_member (root_object, "title",
                              text_map_new (language, dataset->organization != NULL
                                                      ? dataset->organization
                                                      : "Offene Daten"));
      json_array_add_string_element (languages, language);
      json_object_set_array_member (root_object, "languages", languages);
      items = json_array_new ();
      json_object_set_array_member (root_object, "items", items);
      report->created_pack = TRUE;
    }

  index = find_item (items, report->item_id, portal, dataset);
  if (index >= 0 && !refresh)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                   "the pack in %s already has an item “%s” for this dataset; add --refresh "
                   "to update its data", pack_dir, report->item_id);
      return NULL;
    }
  if (index < 0 && refresh)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                   "the pack in %s has no item “%s” to refresh; leave out --refresh to add it",
                   pack_dir, report->item_id);
      return NULL;
    }
  if (index >= 0)
    {
      item = json_array_get_object_element (items, index);
      g_free (report->item_id);
      report->item_id = digithek_json_dup_text (item, "id");
      old_item = digithek_pack_find_item (old_pack, report->item_id);
      if (old_item == NULL || old_item->kind != DIGITHEK_ITEM_DATASET)
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                       "item “%s” in %s is not a dataset item, so it cannot be refreshed",
                       report->item_id, pack_json);
          return NULL;
        }
      report->refreshed = TRUE;
      report->data_path = g_strdup (old_item->data);
      /* The resource the item came from, unless staff name another. */
      wanted_resource = options->resource != NULL ? g_strdup (options->resource)
                        : item_member_string (item, "_ckan", "resource");
      if (options->resource == NULL && wanted_resource != NULL)
        {
          gboolean still_there = FALSE;

          for (guint i = 0; i < dataset->resources->len; i++)
            still_there |= g_str_equal (((DigithekCkanResource *) g_ptr_array_index (dataset->resources, i))->id,
                                        wanted_resource);
          if (!still_there)
            {
              g_ptr_array_add (report->notes,
                               g_strdup_printf ("the resource “%s” the item came from is gone "
                                                "from the portal; took the dataset's CSV "
                                                "resource instead", wanted_resource));
              g_clear_pointer (&wanted_resource, g_free);
            }
        }
    }
  else
    {
      item = NULL;
      report->data_path = g_strdup_printf ("data/%s.csv", report->item_id);
      wanted_resource = g_strdup (options->resource);
    }

  resource = digithek_ckan_dataset_pick_resource (dataset, wanted_resource, error);
  if (resource == NULL)
    return NULL;
  if (resource->url == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NO_CSV,
                   "resource “%s” of dataset “%s” has no download address",
                   resource->name != NULL ? resource->name : resource->id, dataset_id);
      return NULL;
    }
  /* Uploaded files may come with a path relative to the portal. */
  resource_url = g_uri_resolve_relative (api_url, resource->url, G_URI_FLAGS_NONE, &local_error);
  if (resource_url == NULL
      || (g_ascii_strncasecmp (resource_url, "http://", 7) != 0
          && g_ascii_strncasecmp (resource_url, "https://", 8) != 0))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NO_CSV,
                   "resource “%s” has the address “%s”, which is not an http or https "
                   "address", resource->name != NULL ? resource->name : resource->id,
                   resource->url);
      return NULL;
    }
  report->resource_url = g_strdup (resource_url);
  report->resource_name = g_strdup (resource->name != NULL ? resource->name : resource->id);

  target_data = g_build_filename (pack_dir, report->data_path, NULL);
  if (!report->refreshed && g_file_test (target_data, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                   "%s already exists; move it away or remove it, it would be overwritten",
                   target_data);
      return NULL;
    }

  /* Stage inside the pack folder: renames from there are atomic (one file system). */
  staging.pack_dir = g_strdup (pack_dir);
  if (!g_file_test (pack_dir, G_FILE_TEST_IS_DIR))
    {
      if (g_mkdir_with_parents (pack_dir, 0755) != 0)
        {
          io_error (error, errno, "create folder", pack_dir);
          return NULL;
        }
      staging.created_dir = TRUE;
    }
  staging.stage = g_build_filename (pack_dir, STAGE_PREFIX "XXXXXX", NULL);
  if (g_mkdtemp (staging.stage) == NULL)
    {
      io_error (error, errno, "create folder", staging.stage);
      g_clear_pointer (&staging.stage, g_free);
      return NULL;
    }

  staged_data = g_build_filename (staging.stage, report->data_path, NULL);
  if (!make_parent (staged_data, error))
    return NULL;
  if (!digithek_ckan_download (session, resource_url, staged_data, max_size, &report->n_bytes,
                               cancellable, error))
    return NULL;

  modified = resource->last_modified != NULL ? resource->last_modified
             : dataset->metadata_modified;
  report->source_modified = g_strdup (modified);
  report->source_url = g_strconcat (portal, "/dataset/",
                                    dataset->name != NULL ? dataset->name : dataset->id, NULL);
  if (dataset->organization != NULL)
    report->source_name = g_strdup (dataset->organization);
  else
    {
      /* Without an organization the portal itself is the best name there is. */
      g_autoptr(GUri) uri = g_uri_parse (portal, G_URI_FLAGS_NONE, NULL);
      report->source_name = g_strdup (uri != NULL && g_uri_get_host (uri) != NULL
                                      ? g_uri_get_host (uri) : portal);
    }
  report->license = digithek_ckan_license_to_id (dataset->license_id, dataset->license_title,
                                                 &report->license_known);

  if (!report->refreshed)
    {
      JsonObject *csv_object;
      JsonObject *chart = json_object_new ();
      JsonObject *source = json_object_new ();
      g_autoptr(GString) settings = g_string_new (NULL);

      if (!digithek_ckan_guess_chart (staged_data, NULL, &guess, error))
        return NULL;
      report->chart_guessed = TRUE;
      report->chart_type = g_strdup (guess.type);
      report->chart_x = g_strdup (guess.x);
      report->chart_y = g_strdupv (guess.y);

      item = json_object_new ();
      json_object_set_string_member (item, "id", report->item_id);
      json_object_set_string_member (item, "kind", "dataset");
      json_object_set_member (item, "title", text_map_new (language, dataset->title));
      if (*dataset->notes != '\0')
        {
          g_autofree char *summary = digithek_ckan_shorten (dataset->notes, SUMMARY_MAX_CHARS);
          json_object_set_member (item, "summary", text_map_new (language, summary));
        }
      if (dataset->tags[0] != NULL)
        json_object_set_array_member (item, "tags",
                                      strv_to_array ((const char * const *) dataset->tags, 10));
      json_object_set_string_member (item, "web", report->source_url);
      json_object_set_string_member (item, "data", report->data_path);

      /* Only what detection could get wrong: detection looks at the first 64 KiB, so a
       * file whose first umlaut or decimal comma comes later would be misread. */
      csv_object = json_object_new ();
      if (guess.encoding != DIGITHEK_CSV_ENCODING_UTF8 && guess.encoding != DIGITHEK_CSV_ENCODING_AUTO)
        {
          json_object_set_string_member (csv_object, "encoding",
                                         digithek_csv_encoding_to_string (guess.encoding));
          g_string_append_printf (settings, "encoding %s",
                                  digithek_csv_encoding_to_string (guess.encoding));
        }
      if (guess.decimal == ',')
        {
          json_object_set_string_member (csv_object, "decimal", ",");
          g_string_append_printf (settings, "%sdecimal \",\"", settings->len > 0 ? ", " : "");
        }
      if (json_object_get_size (csv_object) > 0)
        {
          json_object_set_object_member (item, "csv", csv_object);
          report->csv_settings = g_strdup (settings->str);
        }
      else
        json_object_unref (csv_object);

      json_object_set_string_member (chart, "type", guess.type);
      json_object_set_string_member (chart, "x", guess.x);
      json_object_set_array_member (chart, "y", strv_to_array ((const char * const *) guess.y,
                                                               G_MAXUINT));
      json_object_set_object_member (item, "chart", chart);

      json_object_set_string_member (source, "name", report->source_name);
      json_object_set_string_member (source, "license", report->license);
      json_object_set_string_member (source, "url", report->source_url);
      json_object_set_object_member (item, "source", source);
      json_array_add_object_element (items, item);
      report->title = g_strdup (dataset->title);
    }
  else
    {
      g_autoptr(DigithekCsv) csv = NULL;
      g_autofree char *was_license = item_member_string (item, "source", "license");

      /* Keep what staff curated; only say where the new data no longer fits it. */
      /* When it cannot be read, validation below says why, in the validator's words. */
      csv = digithek_csv_new_for_path (staged_data, &old_item->csv, NULL);
      if (csv != NULL)
        {
          if (digithek_csv_find_column (csv, old_item->chart_x) < 0)
            g_ptr_array_add (report->notes,
                             g_strdup_printf ("the chart's x column “%s” is no longer in the "
                                              "data", old_item->chart_x));
          for (guint i = 0; old_item->chart_y[i] != NULL; i++)
            if (digithek_csv_find_column (csv, old_item->chart_y[i]) < 0)
              g_ptr_array_add (report->notes,
                               g_strdup_printf ("the chart's y column “%s” is no longer in "
                                                "the data", old_item->chart_y[i]));
        }
      if (was_license != NULL && !g_str_equal (was_license, report->license))
        g_ptr_array_add (report->notes,
                         g_strdup_printf ("the portal now states the licence “%s”; the item "
                                          "says “%s” — check which applies", report->license,
                                          was_license));
      report->chart_type = g_strdup (old_item->chart_type);
      report->chart_x = g_strdup (old_item->chart_x);
      report->chart_y = g_strdupv (old_item->chart_y);
      report->title = g_strdup (digithek_text_map_lookup (old_item->title, language, language));
    }
  if (modified != NULL)
    json_object_set_string_member (item, "_source_modified", modified);
  json_object_set_member (item, "_ckan", provenance_new (portal, dataset, resource));

  if (old_pack != NULL)
    {
      /* Kiosks take only higher versions, and publish refuses changed content under a
       * version it has. */
      json_object_set_int_member (root_object, "version",
                                  json_object_get_int_member (root_object, "version") + 1);
      report->version_bumped = TRUE;
    }
  else
    json_object_set_int_member (root_object, "version", 1);
  report->pack_version = json_object_get_int_member (root_object, "version");
  report->pack_id = g_strdup (json_object_get_string_member (root_object, "id"));

  /* Stage the rest of the pack and validate it as a whole. */
  if (old_pack != NULL)
    {
      old_files = digithek_pack_list_files (old_pack);
      for (guint i = 0; old_files[i] != NULL; i++)
        {
          g_autofree char *from = NULL;
          g_autofree char *to = NULL;

          if (g_str_equal (old_files[i], report->data_path))
            continue;
          from = g_build_filename (pack_dir, old_files[i], NULL);
          to = g_build_filename (staging.stage, old_files[i], NULL);
          if (!stage_file (from, to, error))
            return NULL;
        }
    }
  json_text = generate_json (root);
  staged_json = g_build_filename (staging.stage, "pack.json", NULL);
  if (!g_file_set_contents_full (staged_json, json_text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, &local_error))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO, "%s",
                   local_error->message);
      return NULL;
    }

  g_clear_pointer (&load_problems, g_ptr_array_unref);
  g_clear_error (&local_error);
  new_pack = digithek_pack_load (staging.stage, NULL, &load_problems, &local_error);
  if (new_pack == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_INVALID,
                   "with the data of %s the pack would not be valid; %s is left as it was",
                   resource_url, pack_dir);
      if (problems != NULL)
        *problems = g_steal_pointer (&load_problems);
      return NULL;
    }
  g_clear_object (&new_pack);

  /* Commit: the data file first, then pack.json, which makes it count. A failure
   * between the two puts the old data file back. */
  if (report->refreshed && g_file_test (target_data, G_FILE_TEST_EXISTS))
    {
      backup = g_build_filename (staging.stage, ".previous-data", NULL);
      if (!stage_file (target_data, backup, error))
        return NULL;
      have_backup = TRUE;
    }
  if (!make_parent (target_data, error))
    return NULL;
  if (g_rename (staged_data, target_data) != 0)
    {
      io_error (error, errno, "move the data into place at", target_data);
      return NULL;
    }
  if (g_rename (staged_json, pack_json) != 0)
    {
      int saved_errno = errno;

      if (have_backup)
        g_rename (backup, target_data);
      else
        g_unlink (target_data);
      io_error (error, saved_errno, "write", pack_json);
      return NULL;
    }
  /* Success: the folder is ours to keep now. */
  staging.created_dir = FALSE;

  return g_steal_pointer (&report);
}
