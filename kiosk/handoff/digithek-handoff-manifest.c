/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-handoff-private.h"
#include "digithek-pack-paths.h"

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

static gboolean
collect_image_cb (JsonObject  *parent,
                  const char  *member,
                  const char  *where,
                  gpointer     user_data,
                  GError     **error)
{
  const char *sha = digithek_json_get_string (parent, member);

  if (g_str_has_suffix (where, ".image") && sha != NULL && digithek_handoff_is_sha256 (sha))
    g_hash_table_add (user_data, g_strdup (sha));
  return TRUE;
}

/* The image hashes an item's page shows: the item's and its steps'. An item of a kind
 * the walk does not know shows no more than its own image. */
void
digithek_handoff_collect_images (JsonObject *item,
                                 GHashTable *set)
{
  digithek_pack_walk_item_paths (item, "item", "manifest", G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 collect_image_cb, set, NULL);
}
