/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "digithek-json.h"

G_BEGIN_DECLS

/*
 * An item's manifest: its JSON object from pack.json as the store keeps it
 * (DigithekStoreItem.manifest_json). The window parses it once when the item arrives
 * and hands the object to the item's view, which reads it with the content layer's
 * tolerant member lookups (digithek-json.h: digithek_json_get_string() and the rest).
 */

/* Returns: (transfer full) (nullable): the manifest object, or %NULL when
 * @manifest_json is %NULL or not a JSON object. */
JsonObject *digithek_item_manifest_parse      (const char *manifest_json);

G_END_DECLS
