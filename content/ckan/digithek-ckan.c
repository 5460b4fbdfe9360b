/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client for the CKAN Action API (and DKAN's imitation of it) that turns a dataset
 * into a pack item. */

#include "config.h"

#include "digithek-ckan.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "digithek-json.h"
#include "digithek-pack.h"
#include "digithek-ckan-private.h"

G_DEFINE_QUARK (digithek-ckan-error-quark, digithek_ckan_error)

/* ---- small helpers ---- */

static void
resource_free (DigithekCkanResource *resource)
{
  g_free (resource->id);
  g_free (resource->name);
  g_free (resource->format);
  g_free (resource->mimetype);
  g_free (resource->url);
  g_free (resource->last_modified);
  g_free (resource);
}

void
digithek_ckan_dataset_free (DigithekCkanDataset *dataset)
{
  if (dataset == NULL)
    return;
  g_free (dataset->id);
  g_free (dataset->name);
  g_free (dataset->title);
  g_free (dataset->notes);
  g_free (dataset->organization);
  g_free (dataset->license_id);
  g_free (dataset->license_title);
  g_free (dataset->metadata_modified);
  g_strfreev (dataset->tags);
  g_clear_pointer (&dataset->resources, g_ptr_array_unref);
  g_free (dataset);
}

void
digithek_ckan_report_free (DigithekCkanReport *report)
{
  if (report == NULL)
    return;
  g_free (report->pack_id);
  g_free (report->item_id);
  g_free (report->title);
  g_free (report->data_path);
  g_free (report->resource_name);
  g_free (report->resource_url);
  g_free (report->license);
  g_free (report->source_name);
  g_free (report->source_url);
  g_free (report->source_modified);
  g_free (report->chart_type);
  g_free (report->chart_x);
  g_strfreev (report->chart_y);
  g_free (report->csv_settings);
  g_clear_pointer (&report->notes, g_ptr_array_unref);
  g_free (report);
}

void
digithek_ckan_chart_guess_clear (DigithekCkanChartGuess *guess)
{
  g_clear_pointer (&guess->type, g_free);
  g_clear_pointer (&guess->x, g_free);
  g_clear_pointer (&guess->y, g_strfreev);
}

/* ---- package_show ---- */

gboolean
digithek_ckan_content_type_is_html (const char *content_type)
{
  return content_type != NULL
         && (g_ascii_strncasecmp (content_type, "text/html", 9) == 0
             || g_ascii_strncasecmp (content_type, "application/xhtml", 17) == 0);
}

/* The <title> of an HTML page, to name the page in a message. */
static char *
html_title (const char *data,
            gsize       len)
{
  g_autofree char *text = g_utf8_make_valid (data, MIN (len, 64 * 1024));
  g_autofree char *lower = g_ascii_strdown (text, -1);
  const char *start = strstr (lower, "<title");
  const char *end;
  g_autofree char *inner = NULL;
  g_autofree char *plain = NULL;

  if (start == NULL || (start = strchr (start, '>')) == NULL)
    return NULL;
  start++;
  end = strstr (start, "</title");
  if (end == NULL)
    return NULL;
  /* Cut from the original text, with its case. */
  inner = g_strndup (text + (start - lower), end - start);
  plain = digithek_ckan_html_to_text (inner);
  return *plain != '\0' ? digithek_ckan_shorten (plain, 120) : NULL;
}

static gboolean
looks_like_html (const char *data,
                 gsize       len)
{
  gsize i = 0;

  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i < len && data[i] == '<';
}

static char *
portal_error_message (JsonObject *root)
{
  JsonNode *node = json_object_has_member (root, "error")
                   ? json_object_get_member (root, "error") : NULL;
  JsonObject *object;
  g_autofree char *message = NULL;
  g_autofree char *type = NULL;

  if (node == NULL)
    return g_strdup ("no error message");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("no error message");
  object = json_node_get_object (node);
  message = digithek_json_dup_text (object, "message");
  type = digithek_json_dup_text (object, "__type");
  if (message != NULL && type != NULL && !g_str_equal (message, type))
    return g_strdup_printf ("%s (%s)", message, type);
  if (message != NULL)
    return g_steal_pointer (&message);
  if (type != NULL)
    return g_steal_pointer (&type);
  {
    /* CKAN's validation errors: {"name": ["Missing value"], "__type": …} */
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    json_generator_set_root (generator, node);
    return json_generator_to_data (generator, NULL);
  }
}

static DigithekCkanResource *
resource_parse (JsonObject *object)
{
  DigithekCkanResource *resource = g_new0 (DigithekCkanResource, 1);
  g_autofree char *url = digithek_json_dup_text (object, "url");

  resource->id = digithek_json_dup_text (object, "id");
  if (resource->id == NULL)
    resource->id = g_strdup ("");
  resource->name = digithek_json_dup_text (object, "name");
  if (resource->name == NULL)
    resource->name = digithek_json_dup_text (object, "title");
  resource->format = digithek_json_dup_text (object, "format");
  resource->mimetype = digithek_json_dup_text (object, "mimetype");
  resource->url = url != NULL ? g_strstrip (g_steal_pointer (&url)) : NULL;
  resource->size = digithek_json_get_count (object, "size");
  resource->last_modified = digithek_json_dup_text (object, "last_modified");
  if (resource->last_modified == NULL)
    resource->last_modified = digithek_json_dup_text (object, "modified");
  return resource;
}

DigithekCkanDataset *
digithek_ckan_dataset_parse (const char  *dataset_id,
                             const char  *content_type,
                             GBytes      *body,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DigithekCkanDataset) dataset = NULL;
  const char *data;
  gsize len;
  JsonNode *root;
  JsonNode *result;
  JsonObject *object;
  JsonObject *organization;
  JsonArray *array;
  g_autofree char *raw = NULL;
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();

  data = g_bytes_get_data (body, &len);
  if (digithek_ckan_content_type_is_html (content_type) || looks_like_html (data, len))
    {
      g_autofree char *title = html_title (data, len);

      /* Portals under maintenance answer the API with their HTML page and status 200. */
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the portal answered with an HTML page%s%s%s (%s), not the CKAN Action "
                   "API's JSON; it may be under maintenance, or the address is not the "
                   "portal's base address",
                   title != NULL ? " “" : "", title != NULL ? title : "",
                   title != NULL ? "”" : "",
                   content_type != NULL ? content_type : "no content type");
      return NULL;
    }
  if (len == 0 || !json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the portal's answer (%s) is not JSON, so not the CKAN Action API: %s",
                   content_type != NULL ? content_type : "no content type",
                   local_error != NULL ? local_error->message : "empty answer");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "success"))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the portal's answer is JSON but not the CKAN Action API's "
                   "(no \"success\" field)");
      return NULL;
    }
  object = json_node_get_object (root);
  if (!json_object_get_boolean_member_with_default (object, "success", FALSE))
    {
      g_autofree char *message = portal_error_message (object);

      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_FAILED,
                   "the portal refused dataset “%s”: %s", dataset_id, message);
      return NULL;
    }

  result = json_object_has_member (object, "result")
           ? json_object_get_member (object, "result") : NULL;
  dataset = g_new0 (DigithekCkanDataset, 1);
  /* DKAN wraps the dataset in a one-element array. */
  if (result != NULL && JSON_NODE_HOLDS_ARRAY (result)
      && json_array_get_length (json_node_get_array (result)) == 1)
    {
      result = json_array_get_element (json_node_get_array (result), 0);
      dataset->dkan = TRUE;
    }
  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the portal's answer for dataset “%s” holds no dataset in \"result\"",
                   dataset_id);
      return NULL;
    }
  object = json_node_get_object (result);

  dataset->id = digithek_json_dup_text (object, "id");
  dataset->name = digithek_json_dup_text (object, "name");
  raw = digithek_json_dup_text (object, "title");
  dataset->title = raw != NULL ? digithek_ckan_html_to_text (raw) : NULL;
  if (dataset->title == NULL || *dataset->title == '\0')
    {
      g_free (dataset->title);
      dataset->title = g_strdup (dataset->name != NULL ? dataset->name : dataset_id);
    }
  g_clear_pointer (&raw, g_free);
  raw = digithek_json_dup_text (object, "notes");
  dataset->notes = digithek_ckan_html_to_text (raw);

  organization = digithek_json_get_object (object, "organization");
  if (organization != NULL)
    {
      g_clear_pointer (&raw, g_free);
      raw = digithek_json_dup_text (organization, "title");
      if (raw == NULL)
        raw = digithek_json_dup_text (organization, "name");
      if (raw != NULL)
        dataset->organization = digithek_ckan_html_to_text (raw);
    }
  dataset->license_id = digithek_json_dup_text (object, "license_id");
  dataset->license_title = digithek_json_dup_text (object, "license_title");
  dataset->metadata_modified = digithek_json_dup_text (object, "metadata_modified");

  array = digithek_json_get_array (object, "tags");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *tag = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          tag = digithek_json_dup_text (json_node_get_object (node), "display_name");
          if (tag == NULL)
            tag = digithek_json_dup_text (json_node_get_object (node), "name");
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        tag = g_strdup (json_node_get_string (node));
      if (tag != NULL)
        {
          g_autofree char *plain = digithek_ckan_html_to_text (tag);
          if (*plain != '\0')
            g_strv_builder_add (tags, plain);
        }
    }
  dataset->tags = g_strv_builder_end (tags);

  dataset->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) resource_free);
  array = digithek_json_get_array (object, "resources");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (dataset->resources, resource_parse (json_node_get_object (node)));
    }

  return g_steal_pointer (&dataset);
}

static gboolean
resource_is_csv (const DigithekCkanResource *resource)
{
  g_autofree char *format = resource->format != NULL ? g_strstrip (g_strdup (resource->format)) : NULL;

  if (format != NULL && (g_ascii_strcasecmp (format, "csv") == 0
                         || g_ascii_strcasecmp (format, "text/csv") == 0
                         || g_ascii_strcasecmp (format, ".csv") == 0))
    return TRUE;
  if (resource->mimetype != NULL && g_ascii_strncasecmp (resource->mimetype, "text/csv", 8) == 0)
    return TRUE;
  if (resource->url != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GUri) uri = g_uri_parse (resource->url, G_URI_FLAGS_NONE, NULL);

      path = g_ascii_strdown (uri != NULL ? g_uri_get_path (uri) : resource->url, -1);
      return g_str_has_suffix (path, ".csv");
    }
  return FALSE;
}

const DigithekCkanResource *
digithek_ckan_dataset_pick_resource (const DigithekCkanDataset  *dataset,
                                     const char                 *name_or_id,
                                     GError                    **error)
{
  g_autoptr(GString) seen = g_string_new (NULL);

  for (guint i = 0; i < dataset->resources->len; i++)
    {
      const DigithekCkanResource *resource = g_ptr_array_index (dataset->resources, i);

      if (name_or_id != NULL
          ? (g_str_equal (resource->id, name_or_id)
             || (resource->name != NULL && g_str_equal (resource->name, name_or_id)))
          : resource_is_csv (resource))
        return resource;
    }

  for (guint i = 0; i < dataset->resources->len; i++)
    {
      const DigithekCkanResource *resource = g_ptr_array_index (dataset->resources, i);
      const char *what;

      if (name_or_id != NULL)
        what = resource->name != NULL ? resource->name : resource->id;
      else
        what = resource->format != NULL ? resource->format
               : resource->mimetype != NULL ? resource->mimetype : "no format given";
      g_string_append_printf (seen, "%s“%s”", seen->len > 0 ? ", " : "", what);
    }
  if (seen->len == 0)
    g_string_assign (seen, "none");

  if (name_or_id != NULL)
    g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NO_CSV,
                 "dataset “%s” has no resource named or with the id “%s”; its resources "
                 "are: %s", dataset->name != NULL ? dataset->name : dataset->id,
                 name_or_id, seen->str);
  else
    g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NO_CSV,
                 "dataset “%s” has no CSV resource; the formats there are: %s",
                 dataset->name != NULL ? dataset->name : dataset->id, seen->str);
  return NULL;
}
