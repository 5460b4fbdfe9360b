/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * An item's manifest: its JSON object from pack.json as the store keeps it
 * (DigithekStoreItem.manifest_json). The window parses it once when the item arrives
 * and hands the object to the item's view; these are the few member lookups the views
 * make, each tolerant of a missing member or one of another type.
 */

/* Returns: (transfer full) (nullable): the manifest object, or %NULL when
 * @manifest_json is %NULL or not a JSON object. */
JsonObject *digithek_item_manifest_parse      (const char *manifest_json);

/* (transfer none) (nullable): @member of @object (nullable) when it is an object, an
 * array, a string; otherwise %NULL. */
JsonObject *digithek_item_manifest_get_object (JsonObject *object,
                                               const char *member);
JsonArray  *digithek_item_manifest_get_array  (JsonObject *object,
                                               const char *member);
const char *digithek_item_manifest_get_string (JsonObject *object,
                                               const char *member);

G_END_DECLS
