/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-handoff-private.h"

/* Reading an item's manifest JSON (#DigithekStoreItem.manifest_json) for its page. */

gboolean
digithek_handoff_is_sha256 (const char *text)
{
  gsize i;

  for (i = 0; text[i] != '\0'; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return i == 64;
}

const char *
digithek_handoff_json_string (JsonObject *object,
                              const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
digithek_handoff_json_object (JsonObject *object,
                              const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
digithek_handoff_json_array (JsonObject *object,
                             const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The image hashes an item's page shows: the item's and its steps'. */
void
digithek_handoff_collect_images (JsonObject *item,
                                 GHashTable *set)
{
  JsonArray *steps = digithek_handoff_json_array (item, "steps");
  const char *sha;

  if ((sha = digithek_handoff_json_string (item, "image")) != NULL &&
      digithek_handoff_is_sha256 (sha))
    g_hash_table_add (set, g_strdup (sha));
  for (guint i = 0; steps != NULL && i < json_array_get_length (steps); i++)
    {
      JsonNode *node = json_array_get_element (steps, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      sha = digithek_handoff_json_string (json_node_get_object (node), "image");
      if (sha != NULL && digithek_handoff_is_sha256 (sha))
        g_hash_table_add (set, g_strdup (sha));
    }
}

JsonObject *
digithek_handoff_parse_object (const char  *json,
                               JsonNode   **out_root)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  *out_root = NULL;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  *out_root = json_parser_steal_root (parser);
  if (*out_root == NULL || !JSON_NODE_HOLDS_OBJECT (*out_root))
    return NULL;
  return json_node_get_object (*out_root);
}
