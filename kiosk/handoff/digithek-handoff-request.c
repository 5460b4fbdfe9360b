/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "digithek-handoff-private.h"

/* Pages forbid everything a browser could do beyond showing text, styles and the
 * server's own images: no scripts, no external requests, no forms, no framing. */
#define CSP "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; " \
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/* ---- responses ---- */

void
digithek_handoff_add_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Content-Security-Policy", CSP);
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
}

void
digithek_handoff_respond_error (SoupServerMessage *msg,
                                guint              status,
                                const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

void
digithek_handoff_respond_not_found (SoupServerMessage *msg)
{
  digithek_handoff_respond_error (msg, SOUP_STATUS_NOT_FOUND,
                                  "Nicht gefunden. Not found.\n");
}

static void
request_finished_cb (SoupServerMessage      *msg,
                     DigithekHandoffRequest *request)
{
  request->gone = TRUE;
}

DigithekHandoffRequest *
digithek_handoff_request_new (DigithekHandoff   *self,
                              SoupServerMessage *msg)
{
  DigithekHandoffRequest *request = g_new0 (DigithekHandoffRequest, 1);

  request->self = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->finished_id = g_signal_connect (msg, "finished",
                                           G_CALLBACK (request_finished_cb), request);
  request->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_bytes_unref);
  soup_server_message_pause (msg);
  return request;
}

void
digithek_handoff_request_free (DigithekHandoffRequest *request)
{
  g_clear_signal_handler (&request->finished_id, request->msg);
  g_clear_object (&request->msg);
  g_clear_object (&request->self);
  g_free (request->pack_id);
  g_free (request->item_id);
  g_free (request->language);
  g_free (request->asset);
  g_clear_pointer (&request->item, digithek_store_item_free);
  g_clear_pointer (&request->manifest, json_object_unref);
  g_clear_pointer (&request->pack, digithek_store_pack_info_free);
  g_clear_pointer (&request->dataset, digithek_store_dataset_free);
  g_clear_pointer (&request->texts, g_hash_table_unref);
  g_clear_pointer (&request->stops, g_ptr_array_unref);
  g_free (request);
}

/* Sends what the request's message holds now and forgets the request. */
void
digithek_handoff_request_done (DigithekHandoffRequest *request)
{
  if (!request->gone)
    soup_server_message_unpause (request->msg);
  digithek_handoff_request_free (request);
}

void
digithek_handoff_request_fail (DigithekHandoffRequest *request,
                               GError                 *error)
{
  /* Absent items are the common case; other failures are the kiosk's, not the
   * citizen's, and are logged without the path they asked for. */
  if (g_error_matches (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND))
    digithek_handoff_respond_not_found (request->msg);
  else
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("handoff: store failed: %s", error->message);
      digithek_handoff_respond_error (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                      "Gerade nicht verfügbar. Not available right now.\n");
    }
  digithek_handoff_request_done (request);
}

static void
page_step_done (DigithekHandoffRequest *request)
{
  char *html;

  g_assert (request->pending > 0);
  if (--request->pending > 0)
    return;
  if (request->gone)
    {
      digithek_handoff_request_free (request);
      return;
    }
  html = digithek_handoff_render_page (request);
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  /* Pages change when a pack is updated; the phone asks again, cheaply. */
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Cache-Control", "no-cache");
  soup_server_message_set_response (request->msg, "text/html; charset=utf-8",
                                    SOUP_MEMORY_TAKE, html, strlen (html));
  digithek_handoff_request_done (request);
}

typedef struct
{
  DigithekHandoffRequest *request;
  char    *sha256;
} TextFetch;

static void
got_text_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TextFetch *fetch = user_data;
  DigithekHandoffRequest *request = fetch->request;
  GBytes *bytes;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, NULL);
  /* A missing text leaves its section without a body rather than failing the page. */
  if (bytes != NULL)
    g_hash_table_replace (request->texts, g_steal_pointer (&fetch->sha256), bytes);
  else
    g_hash_table_remove (request->texts, fetch->sha256);
  g_free (fetch->sha256);
  g_free (fetch);
  page_step_done (request);
}

static void
fetch_text (DigithekHandoffRequest *request,
            const char             *sha256,
            int                     min_level)
{
  g_autofree char *key = NULL;
  TextFetch *fetch;

  if (sha256 == NULL || !digithek_handoff_is_sha256 (sha256) ||
      g_hash_table_contains (request->texts, sha256))
    return;
  key = g_strdup_printf ("%d:%s", min_level, sha256);
  if (g_hash_table_contains (request->self->markdown, key))
    return;
  /* A placeholder, so that a text two steps share is fetched once per page. */
  g_hash_table_insert (request->texts, g_strdup (sha256), g_bytes_new (NULL, 0));
  fetch = g_new0 (TextFetch, 1);
  fetch->request = request;
  fetch->sha256 = g_strdup (sha256);
  request->pending++;
  digithek_store_get_asset_async (request->self->store, sha256, request->self->cancellable,
                                  got_text_cb, fetch);
}

static void
got_dataset_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DigithekHandoffRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  request->dataset = digithek_store_get_dataset_finish (DIGITHEK_STORE (source), result,
                                                        &error);
  page_step_done (request);
}

typedef struct
{
  DigithekHandoffRequest *request;
  guint    index;
} StopFetch;

static void
got_stop_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  StopFetch *fetch = user_data;
  DigithekHandoffRequest *request = fetch->request;

  g_ptr_array_index (request->stops, fetch->index) =
    digithek_store_get_item_finish (DIGITHEK_STORE (source), result, NULL);
  g_free (fetch);
  page_step_done (request);
}

static void
got_packs_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DigithekHandoffRequest *request = user_data;
  DigithekHandoff *self = request->self;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;
  const char *language;
  const char *fallback;

  packs = digithek_store_list_packs_finish (DIGITHEK_STORE (source), result, &error);
  if (packs == NULL)
    {
      digithek_handoff_request_fail (request, error);
      return;
    }
  for (guint i = 0; i < packs->len; i++)
    {
      DigithekStorePackInfo *info = g_ptr_array_index (packs, i);

      if (g_str_equal (info->id, request->pack_id))
        request->pack = g_ptr_array_steal_index (packs, i);
    }

  language = request->item->language;
  fallback = request->pack != NULL && request->pack->languages != NULL
             ? request->pack->languages[0] : language;

  /* Everything the page needs, fetched at once; page_step_done() renders after the
   * last. The extra count keeps the page from rendering while fetches are queued. */
  request->pending = 1;
  switch (request->item->kind)
    {
    case DIGITHEK_ITEM_DATASET:
      request->pending++;
      digithek_store_get_dataset_async (self->store, request->pack_id, request->item_id,
                                        self->cancellable, got_dataset_cb, request);
      break;
    case DIGITHEK_ITEM_EXPLAINER:
      {
        JsonObject *body = digithek_json_get_object (request->manifest, "body");

        fetch_text (request, digithek_json_text_map_lookup (body, language, fallback), 2);
      }
      break;
    case DIGITHEK_ITEM_GUIDE:
      {
        JsonArray *steps = digithek_json_get_array (request->manifest, "steps");

        for (guint i = 0; steps != NULL && i < json_array_get_length (steps); i++)
          {
            JsonNode *node = json_array_get_element (steps, i);

            if (JSON_NODE_HOLDS_OBJECT (node))
              {
                JsonObject *step = json_node_get_object (node);
                JsonObject *body = digithek_json_get_object (step, "body");

                fetch_text (request, digithek_json_text_map_lookup (body, language, fallback), 3);
              }
          }
        break;
      }
    case DIGITHEK_ITEM_TOUR:
      {
        JsonArray *stops = digithek_json_get_array (request->manifest, "stops");
        guint n = stops != NULL ? MIN (json_array_get_length (stops), 100) : 0;

        request->stops = g_ptr_array_new_full (n, (GDestroyNotify) digithek_store_item_free);
        for (guint i = 0; i < n; i++)
          {
            JsonNode *node = json_array_get_element (stops, i);
            const char *stop = json_node_get_value_type (node) == G_TYPE_STRING
                               ? json_node_get_string (node) : NULL;
            g_auto(GStrv) parts = NULL;
            StopFetch *fetch;

            g_ptr_array_add (request->stops, NULL);
            if (stop == NULL)
              continue;
            parts = g_strsplit (stop, "/", 2);
            fetch = g_new0 (StopFetch, 1);
            fetch->request = request;
            fetch->index = i;
            request->pending++;
            digithek_store_get_item_async (self->store,
                                           parts[1] != NULL ? parts[0] : request->pack_id,
                                           parts[1] != NULL ? parts[1] : parts[0],
                                           language, self->cancellable, got_stop_cb, fetch);
          }
        break;
      }
    default:
      break;
    }
  page_step_done (request);
}

static void
got_item_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DigithekHandoffRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  request->item = digithek_store_get_item_finish (DIGITHEK_STORE (source), result, &error);
  if (request->item == NULL)
    {
      digithek_handoff_request_fail (request, error);
      return;
    }
  request->manifest = digithek_json_parse_object (request->item->manifest_json);
  digithek_store_list_packs_async (request->self->store, request->item->language,
                                   request->self->cancellable, got_packs_cb, request);
}

/* ---- assets ---- */

static const char *
image_type (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  /* By signature rather than by guessing: only formats a phone shows as an image. */
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  return NULL;
}

static void
got_asset_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DigithekHandoffRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *type;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, &error);
  if (bytes == NULL)
    {
      digithek_handoff_request_fail (request, error);
      return;
    }
  type = image_type (bytes);
  if (type == NULL)
    {
      digithek_handoff_respond_not_found (request->msg);
      digithek_handoff_request_done (request);
      return;
    }
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  /* Named by its content: it never changes under this URL. */
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Cache-Control", "public, max-age=31536000, immutable");
  soup_server_message_set_response (request->msg, type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  digithek_handoff_request_done (request);
}

static void
got_asset_item_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DigithekHandoffRequest *request = user_data;
  g_autoptr(GHashTable) images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;

  request->item = digithek_store_get_item_finish (DIGITHEK_STORE (source), result, &error);
  if (request->item == NULL)
    {
      digithek_handoff_request_fail (request, error);
      return;
    }
  /* Served only while an installed item still shows it: an image of a removed or
   * replaced pack version goes with it, and nothing else in the store is reachable. */
  request->manifest = digithek_json_parse_object (request->item->manifest_json);
  digithek_handoff_collect_images (request->manifest, images);
  if (!g_hash_table_contains (images, request->asset))
    {
      digithek_handoff_respond_not_found (request->msg);
      digithek_handoff_request_done (request);
      return;
    }
  digithek_store_get_asset_async (request->self->store, request->asset,
                                  request->self->cancellable, got_asset_cb, request);
}

void
digithek_handoff_serve_page (DigithekHandoff   *self,
                             SoupServerMessage *msg,
                             const char        *pack_id,
                             const char        *item_id,
                             const char        *language)
{
  DigithekHandoffRequest *request = digithek_handoff_request_new (self, msg);

  request->pack_id = g_strdup (pack_id);
  request->item_id = g_strdup (item_id);
  request->language = g_strdup (language);
  digithek_store_get_item_async (self->store, request->pack_id, request->item_id,
                                 request->language, self->cancellable, got_item_cb,
                                 request);
}

void
digithek_handoff_serve_asset (DigithekHandoff   *self,
                              SoupServerMessage *msg,
                              const char        *sha256,
                              const char        *owner)
{
  g_auto(GStrv) parts = g_strsplit (owner, "/", 2);
  DigithekHandoffRequest *request = digithek_handoff_request_new (self, msg);

  request->asset = g_strdup (sha256);
  request->pack_id = g_strdup (parts[0]);
  request->item_id = g_strdup (parts[1]);
  digithek_store_get_item_async (self->store, request->pack_id, request->item_id,
                                 self->default_language, self->cancellable,
                                 got_asset_item_cb, request);
}
