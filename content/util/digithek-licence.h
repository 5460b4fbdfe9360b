/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Open data licences: the ids a pack's `source.license` holds (SPDX where there is
 * one, `dl-de/by-2-0` for the Datenlizenz Deutschland), the other ways portals write
 * them, and their names as a citizen reads them, in German and English. */

#include <glib.h>

G_BEGIN_DECLS

/* @text lower case, runs of other characters as one "-", a licence URI's known prefix
 * (dcat-ap.de, opendefinition.org) dropped: "dl-by-de/2.0" → "dl-by-de-2-0".
 * Returns: (transfer full) */
char       *digithek_licence_normalise (const char *text);

/* The id for one of the ways portals write a licence ("dl-by-de/2.0", "cc-by",
 * "odc-odbl", a GovData URI…). Returns: (nullable): a static id such as
 * "dl-de/by-2-0" or "CC-BY-4.0", %NULL when the text is none of them */
const char *digithek_licence_id_from_alias (const char *text);

/* The licence's name in @language ("de", "en"; others fall back to German), for any
 * way of writing its id: "Datenlizenz Deutschland – Namensnennung – Version 2.0" for
 * "dl-de/by-2-0". Returns: (nullable): a static string, %NULL for a licence this table
 * does not know (show the id as it is then) */
const char *digithek_licence_name      (const char *id,
                                        const char *language);

G_END_DECLS
