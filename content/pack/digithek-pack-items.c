/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The validator's items: guides, tours, tags, web steps, each item, the languages and
 * the manifest's top level. */

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "digithek-pack-private.h"

/* ---- other kinds ---- */

static void
parse_guide (Validator        *v,
             JsonObject       *object,
             const char       *path,
             DigithekPackItem *item)
{
  static const char * const step_known[] = { "title", "body", "image", NULL };
  g_autofree char *steps_path = digithek_pack_path_key (path, "steps");
  JsonArray *steps;
  guint n, i;

  item->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_pack_step_free);
  steps = digithek_pack_get_array (v, object, path, "steps", TRUE);
  if (steps == NULL)
    return;
  n = json_array_get_length (steps);
  if (n == 0)
    digithek_pack_problem (v, steps_path, "is empty; a guide needs at least one step");
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (steps, i);
      g_autofree char *step_path = digithek_pack_path_index (steps_path, i);
      DigithekPackStep *step;
      JsonObject *step_object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          digithek_pack_problem (v, step_path,
                                 "must be an object {\"title\": …, \"body\": …}, not %s",
                                 digithek_pack_describe_node (node));
          continue;
        }
      step_object = json_node_get_object (node);
      digithek_pack_check_members (v, step_object, step_path, step_known, NULL, NULL);
      step = g_new0 (DigithekPackStep, 1);
      step->title = digithek_pack_get_text_map (v, step_object, step_path, "title", TRUE, FALSE);
      step->body = digithek_pack_get_text_map (v, step_object, step_path, "body", TRUE, TRUE);
      step->image = digithek_pack_get_path (v, step_object, step_path, "image", FALSE,
                                            FILE_KIND_IMAGE);
      g_ptr_array_add (item->steps, step);
    }
}

static void
parse_tour (Validator        *v,
            JsonObject       *object,
            const char       *path,
            DigithekPackItem *item)
{
  g_autofree char *stops_path = digithek_pack_path_key (path, "stops");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *stops;
  guint n, i;

  stops = digithek_pack_get_array (v, object, path, "stops", TRUE);
  n = stops != NULL ? json_array_get_length (stops) : 0;
  if (stops != NULL && n == 0)
    digithek_pack_problem (v, stops_path, "is empty; a tour needs at least one stop");
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (stops, i);
      g_autofree char *stop_path = digithek_pack_path_index (stops_path, i);

      if (!digithek_pack_node_is_string (node))
        digithek_pack_problem (v, stop_path, "must be an item id in quotes, not %s",
                               digithek_pack_describe_node (node));
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
      g_autofree char *quoted = digithek_pack_quote_value (stop);
      const char *slash = strchr (stop, '/');

      if (slash != NULL)
        {
          g_autofree char *pack_id = g_strndup (stop, slash - stop);
          const char *item_id = slash + 1;

          if (!digithek_pack_id_is_valid (pack_id) || !digithek_pack_id_is_valid (item_id))
            digithek_pack_problem (v, stop_path,
                                   "%s is not a valid stop; write \"item-id\" for an item of "
                                   "this pack or \"pack-id/item-id\" for one of another pack", quoted);
          else if (v->pack->id != NULL && strcmp (pack_id, v->pack->id) == 0
                   && !g_hash_table_contains (v->item_index, item_id))
            digithek_pack_problem (v, stop_path,
                                   "stop %s names this pack, but it has no item \"%s\"",
                                   quoted, item_id);
        }
      else if (!digithek_pack_id_is_valid (stop))
        digithek_pack_problem (v, stop_path,
                               "%s is not a valid stop; write \"item-id\" for an item of this "
                               "pack or \"pack-id/item-id\" for one of another pack", quoted);
      else if (!g_hash_table_contains (v->item_index, stop))
        digithek_pack_problem (v, stop_path,
                               "stop %s is not an item of this pack; check the id, or write "
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
  g_autofree char *tags_path = digithek_pack_path_key (path, "tags");
  JsonArray *tags = digithek_pack_get_array (v, object, path, "tags", FALSE);
  guint n, i;

  if (tags == NULL)
    return;
  builder = g_strv_builder_new ();
  n = json_array_get_length (tags);
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (tags, i);
      g_autofree char *tag_path = digithek_pack_path_index (tags_path, i);

      if (!digithek_pack_node_is_string (node))
        digithek_pack_problem (v, tag_path, "must be text in quotes, not %s",
                               digithek_pack_describe_node (node));
      else if (digithek_pack_text_is_blank (json_node_get_string (node)))
        digithek_pack_problem (v, tag_path, "is empty; write a tag or remove it");
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
  g_autofree char *text = digithek_pack_get_string (v, object, path, "web_step", FALSE);
  g_autofree char *child = digithek_pack_path_key (path, "web_step");
  g_auto(GStrv) parts = NULL;
  g_autofree char *first = NULL;
  g_autofree char *reason = NULL;

  if (text == NULL)
    return;
  if (strstr (text, "{step}") == NULL)
    {
      digithek_pack_problem (v, child, "must contain {step} where the step number goes, like "
                             "\"https://www.example.de/guide#step-{step}\"");
      return;
    }
  parts = g_strsplit (text, "{step}", -1);
  first = g_strjoinv ("1", parts);
  reason = digithek_pack_web_url_problem (first);
  if (reason != NULL)
    {
      digithek_pack_problem (v, child, "with {step} replaced by 1 %s", reason);
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
      digithek_pack_problem (v, path, "must be an object {…} describing an item, not %s",
                             digithek_pack_describe_node (node));
      return NULL;
    }
  object = json_node_get_object (node);
  item = digithek_pack_item_new ();
  id_path = digithek_pack_path_key (path, "id");
  kind_path = digithek_pack_path_key (path, "kind");

  item->id = digithek_pack_get_string (v, object, path, "id", TRUE);
  if (item->id != NULL && !digithek_pack_id_is_valid (item->id))
    {
      g_autofree char *quoted = digithek_pack_quote_value (item->id);
      digithek_pack_problem (v, id_path,
                             "%s is not a valid id; use lower-case letters a-z, digits and "
                             "\"-\", starting with a letter or digit, at most 64 characters", quoted);
    }
  else if (item->id != NULL)
    {
      gpointer other = g_hash_table_lookup (v->item_index, item->id);

      if (other != NULL)
        digithek_pack_problem (v, id_path,
                               "\"%s\" is already the id of items[%u]; item ids must be unique "
                               "in a pack", item->id, GPOINTER_TO_UINT (other) - 1);
      else
        g_hash_table_insert (v->item_index, g_strdup (item->id), GUINT_TO_POINTER (index + 1));
    }

  kind = digithek_pack_get_string (v, object, path, "kind", TRUE);
  kind_known = kind != NULL && digithek_item_kind_from_string (kind, &item->kind);
  if (kind != NULL && !kind_known)
    {
      g_autofree char *quoted = digithek_pack_quote_value (kind);
      digithek_pack_problem (v, kind_path,
                             "unknown kind %s; use \"dataset\", \"explainer\", \"guide\" or "
                             "\"tour\"", quoted);
    }

  item->title = digithek_pack_get_text_map (v, object, path, "title", TRUE, FALSE);
  if (json_object_has_member (object, "summary"))
    item->summary = digithek_pack_get_text_map (v, object, path, "summary", FALSE, FALSE);
  if (json_object_has_member (object, "image"))
    item->image = digithek_pack_get_path (v, object, path, "image", FALSE, FILE_KIND_IMAGE);
  parse_tags (v, object, path, item);
  item->web = digithek_pack_get_web_url (v, object, path, "web");
  if (kind_known && item->kind == DIGITHEK_ITEM_GUIDE)
    parse_web_step (v, object, path, item);

  if (!kind_known)
    {
      digithek_pack_check_members (v, object, path, all_item_keys, NULL, NULL);
      return item;
    }
  switch (item->kind)
    {
    case DIGITHEK_ITEM_DATASET:
      digithek_pack_check_members (v, object, path, dataset_keys, all_item_keys, kind);
      digithek_pack_parse_dataset (v, object, path, item);
      break;
    case DIGITHEK_ITEM_EXPLAINER:
      digithek_pack_check_members (v, object, path, explainer_keys, all_item_keys, kind);
      item->body = digithek_pack_get_text_map (v, object, path, "body", TRUE, TRUE);
      break;
    case DIGITHEK_ITEM_GUIDE:
      digithek_pack_check_members (v, object, path, guide_keys, all_item_keys, kind);
      parse_guide (v, object, path, item);
      break;
    case DIGITHEK_ITEM_TOUR:
      digithek_pack_check_members (v, object, path, tour_keys, all_item_keys, kind);
      parse_tour (v, object, path, item);
      break;
    default:
      digithek_pack_check_members (v, object, path, common_keys, all_item_keys, kind);
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
  JsonArray *languages = digithek_pack_get_array (v, root, "", "languages", TRUE);
  gboolean ok = TRUE;
  guint n, i;

  if (languages == NULL)
    return;
  n = json_array_get_length (languages);
  if (n == 0)
    {
      digithek_pack_problem (v, "languages",
                             "is empty; list at least one language code, the fallback "
                             "first, like [\"de\", \"en\"]");
      return;
    }
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (languages, i);
      g_autofree char *element = digithek_pack_path_index ("languages", i);
      const char *code;

      if (!digithek_pack_node_is_string (node))
        {
          digithek_pack_problem (v, element,
                                 "must be a language code in quotes like \"de\", not %s",
                                 digithek_pack_describe_node (node));
          ok = FALSE;
          continue;
        }
      code = json_node_get_string (node);
      if (!digithek_language_code_is_valid (code))
        {
          g_autofree char *quoted = digithek_pack_quote_value (code);
          digithek_pack_problem (v, element,
                                 "%s is not a language code; write codes like \"de\", \"en\" "
                                 "or \"de-x-easy\" (lower-case language, then parts joined by \"-\")",
                                 quoted);
          ok = FALSE;
          continue;
        }
      if (g_hash_table_contains (seen, code))
        {
          digithek_pack_problem (v, element, "\"%s\" is listed twice; list each language once",
                                 code);
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

void
digithek_pack_parse_root (Validator  *v,
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

  digithek_pack_check_members (v, root, "", known, NULL, NULL);

  if ((node = digithek_pack_member (v, root, "", "format", TRUE)) != NULL
      && digithek_pack_get_integer (v, node, "format", &value) && value != 1)
    digithek_pack_problem (v, "format",
                           "is %" G_GINT64_FORMAT ", but this kiosk reads format 1 only; "
                           "write \"format\": 1", value);

  pack->id = digithek_pack_get_string (v, root, "", "id", TRUE);
  if (pack->id != NULL && !digithek_pack_id_is_valid (pack->id))
    {
      g_autofree char *quoted = digithek_pack_quote_value (pack->id);
      digithek_pack_problem (v, "id",
                             "%s is not a valid id; use lower-case letters a-z, digits and \"-\", "
                             "starting with a letter or digit, at most 64 characters", quoted);
      g_clear_pointer (&pack->id, g_free);
    }

  if ((node = digithek_pack_member (v, root, "", "version", TRUE)) != NULL)
    digithek_pack_get_positive (v, node, "version", G_MAXINT64, &pack->version);

  parse_languages (v, root);
  pack->title = digithek_pack_get_text_map (v, root, "", "title", TRUE, FALSE);
  if (json_object_has_member (root, "publisher"))
    pack->publisher = digithek_pack_get_string (v, root, "", "publisher", FALSE);

  items = digithek_pack_get_array (v, root, "", "items", TRUE);
  if (items == NULL)
    return;
  n = json_array_get_length (items);
  if (n == 0)
    digithek_pack_problem (v, "items", "is empty; a pack needs at least one item");
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
