/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The one walker over a pack's file paths: which pack.json members name files. */

#include "config.h"

#include "digithek-pack-paths.h"

static const char *
node_get_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
walk_text_map (JsonObject            *parent,
               const char            *member,
               const char            *where,
               DigithekPackPathFunc   func,
               gpointer               user_data,
               GError               **error)
{
  JsonNode *node = json_object_get_member (parent, member);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GList) names = NULL;
  g_auto(GStrv) copies = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return func (parent, member, where, user_data, error);

  /* Copies: replacing a member frees json-glib's copy of its name. */
  builder = g_strv_builder_new ();
  names = json_object_get_members (json_node_get_object (node));
  for (GList *l = names; l != NULL; l = l->next)
    {
      /* Keys starting with "_" are comments in pack.json, also inside text maps. */
      if (((const char *) l->data)[0] != '_')
        g_strv_builder_add (builder, l->data);
    }
  copies = g_strv_builder_end (builder);

  for (guint i = 0; copies[i] != NULL; i++)
    {
      g_autofree char *child = g_strdup_printf ("%s.%s", where, copies[i]);

      if (!func (json_node_get_object (node), copies[i], child, user_data, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
walk_optional (JsonObject            *parent,
               const char            *member,
               const char            *where,
               DigithekPackPathFunc   func,
               gpointer               user_data,
               GError               **error)
{
  if (!json_object_has_member (parent, member))
    return TRUE;
  return func (parent, member, where, user_data, error);
}

gboolean
digithek_pack_walk_item_paths (JsonObject           *item,
                               const char           *where,
                               const char           *label,
                               GQuark                error_domain,
                               int                   code,
                               DigithekPackPathFunc  func,
                               gpointer              user_data,
                               GError              **error)
{
  g_autofree char *image_where = g_strdup_printf ("%s.image", where);
  const char *kind;

  kind = node_get_string (json_object_get_member (item, "kind"));

  if (!walk_optional (item, "image", image_where, func, user_data, error))
    return FALSE;

  if (g_strcmp0 (kind, "dataset") == 0)
    {
      g_autofree char *data_where = g_strdup_printf ("%s.data", where);

      if (!walk_optional (item, "data", data_where, func, user_data, error))
        return FALSE;
    }
  else if (g_strcmp0 (kind, "explainer") == 0)
    {
      g_autofree char *body_where = g_strdup_printf ("%s.body", where);

      if (!walk_text_map (item, "body", body_where, func, user_data, error))
        return FALSE;
    }
  else if (g_strcmp0 (kind, "guide") == 0)
    {
      JsonNode *steps_node = json_object_get_member (item, "steps");
      JsonArray *steps;

      if (steps_node == NULL || !JSON_NODE_HOLDS_ARRAY (steps_node))
        return TRUE;
      steps = json_node_get_array (steps_node);
      for (guint j = 0; j < json_array_get_length (steps); j++)
        {
          JsonNode *step_node = json_array_get_element (steps, j);
          g_autofree char *step_image = g_strdup_printf ("%s.steps[%u].image", where, j);
          g_autofree char *step_body = g_strdup_printf ("%s.steps[%u].body", where, j);

          if (!JSON_NODE_HOLDS_OBJECT (step_node))
            continue;
          if (!walk_optional (json_node_get_object (step_node), "image", step_image,
                              func, user_data, error)
              || !walk_text_map (json_node_get_object (step_node), "body", step_body,
                                 func, user_data, error))
            return FALSE;
        }
    }
  else if (g_strcmp0 (kind, "tour") != 0)
    {
      /* A kind this code does not know may hold paths it would miss. */
      g_set_error (error, error_domain, code, "%s: %s.kind: unknown kind",
                   label, where);
      return FALSE;
    }
  return TRUE;
}

gboolean
digithek_pack_walk_paths (JsonNode             *root,
                          const char           *label,
                          GQuark                error_domain,
                          int                   code,
                          DigithekPackPathFunc  func,
                          gpointer              user_data,
                          GError              **error)
{
  JsonNode *items_node;
  JsonArray *items;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, error_domain, code, "%s: not a JSON object", label);
      return FALSE;
    }
  items_node = json_object_get_member (json_node_get_object (root), "items");
  if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node))
    {
      g_set_error (error, error_domain, code, "%s: items: not an array", label);
      return FALSE;
    }
  items = json_node_get_array (items_node);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item_node = json_array_get_element (items, i);
      g_autofree char *where = g_strdup_printf ("items[%u]", i);

      if (!JSON_NODE_HOLDS_OBJECT (item_node))
        {
          g_set_error (error, error_domain, code, "%s: %s: not an object",
                       label, where);
          return FALSE;
        }
      if (!digithek_pack_walk_item_paths (json_node_get_object (item_node), where, label,
                                          error_domain, code, func, user_data, error))
        return FALSE;
    }
  return TRUE;
}
