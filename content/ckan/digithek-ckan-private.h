/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to ckan/: what the steps of `digithek-pack ckan` share. digithek-ckan.c
 * reads a portal's package_show answer; digithek-ckan-text.c turns its HTML and
 * licences into pack texts; digithek-ckan-chart.c guesses a chart from a CSV header;
 * digithek-ckan-fetch.c talks HTTP; digithek-ckan-import.c writes the pack folder. */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "digithek-ckan.h"
#include "digithek-json.h"
#include "digithek-pack.h"

G_BEGIN_DECLS


/* ---- package_show ---- */
gboolean digithek_ckan_content_type_is_html (const char *content_type);

/* ---- HTTP ---- */
SoupSession * digithek_ckan_session_new (guint timeout);

DigithekCkanDataset * digithek_ckan_fetch_dataset (SoupSession   *session,
                                                   const char    *api_url,
                                                   const char    *dataset_id,
                                                   GCancellable  *cancellable,
                                                   GError       **error);

/* Streams the resource into @path, never holding or writing more than @max bytes. */
gboolean digithek_ckan_download (SoupSession   *session,
                                 const char    *url,
                                 const char    *path,
                                 guint64        max,
                                 guint64       *out_bytes,
                                 GCancellable  *cancellable,
                                 GError       **error);

G_END_DECLS
