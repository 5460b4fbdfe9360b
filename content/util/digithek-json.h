/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Typed members of a JSON object, for documents from outside (a portal's API, a
 * manifest): a member that is absent or of another type reads as %NULL, never as an
 * error or a warning. @object may be %NULL, so lookups chain. */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* An object from @json, such as an item's manifest as the store keeps it
 * (#DigithekStoreItem.manifest_json).
 * Returns: (transfer full) (nullable): the object, or %NULL when @json is %NULL, not
 *   JSON, or not an object */
JsonObject *digithek_json_parse_object (const char *json);

/* Returns: (transfer none) (nullable): the member's string */
const char *digithek_json_get_string (JsonObject *object,
                                      const char *member);
/* Returns: (transfer none) (nullable): the member's object */
JsonObject *digithek_json_get_object (JsonObject *object,
                                      const char *member);
/* Returns: (transfer none) (nullable): the member's array */
JsonArray  *digithek_json_get_array  (JsonObject *object,
                                      const char *member);
/* A string, number or boolean member as text, for APIs that send numbers as strings
 * and the other way round. Returns: (transfer full) (nullable): %NULL also for "" */
char       *digithek_json_dup_text   (JsonObject *object,
                                      const char *member);
/* A non-negative integer, also when sent as text. Returns: the number, or -1 */
gint64      digithek_json_get_count  (JsonObject *object,
                                      const char *member);

G_END_DECLS
