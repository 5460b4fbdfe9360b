/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Which members of a pack.json name files, written once: the channel's publish and
 * manifest parsing, the importer, the phone handoff and the validator all walk a
 * manifest with this. */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * DigithekPackPathFunc:
 * @parent: the object holding the path
 * @member: the member of @parent that holds it (a copy: @func may replace the member)
 * @where: the JSON path, such as `items[2].steps[0].body.de`
 *
 * Returns: %FALSE with @error set to stop the walk
 */
typedef gboolean (*DigithekPackPathFunc) (JsonObject  *parent,
                                          const char  *member,
                                          const char  *where,
                                          gpointer     user_data,
                                          GError     **error);

/**
 * digithek_pack_walk_paths:
 * @root: a pack.json, or a channel manifest (where the paths are references)
 * @label: names the document in errors
 * @error_domain: @code: the error a malformed document (no object, no items array, an
 *   item that is no object, an unknown kind) fails with
 *
 * Calls @func on every place that holds a path: an item's `image`, a dataset's `data`,
 * an explainer's `body` values, a guide step's `image` and `body` values. A kind this
 * code does not know fails the walk, as it may hold paths the walk would miss. Members
 * starting with "_" inside text maps are comments and skipped.
 */
gboolean digithek_pack_walk_paths (JsonNode             *root,
                                   const char           *label,
                                   GQuark                error_domain,
                                   int                   code,
                                   DigithekPackPathFunc  func,
                                   gpointer              user_data,
                                   GError              **error);

/* The same for one item object of the `items` array; @where is its JSON path, such as
 * `items[2]`. */
gboolean digithek_pack_walk_item_paths (JsonObject           *item,
                                        const char           *where,
                                        const char           *label,
                                        GQuark                error_domain,
                                        int                   code,
                                        DigithekPackPathFunc  func,
                                        gpointer              user_data,
                                        GError              **error);

G_END_DECLS
