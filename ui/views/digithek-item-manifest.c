/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-item-manifest.h"

JsonObject *
digithek_item_manifest_parse (const char *manifest_json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (manifest_json == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, manifest_json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root))
                                                       : NULL;
}
