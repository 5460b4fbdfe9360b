/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text folding for search: what the index stores and what a query looks for are
 * folded the same way, so "Strasse" finds "Straße" and "Uberholen" finds "Überholen". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *digithek_fold_for_search (const char *text);
char *digithek_fold_index_text (const char *text);
char *digithek_fold_query      (const char *query);

G_END_DECLS
