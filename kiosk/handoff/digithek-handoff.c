/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "digithek-handoff-private.h"

G_DEFINE_QUARK (digithek-handoff-error-quark, digithek_handoff_error)

/* Bounds on what the server remembers, whatever the clients do. */
#define MAX_CLIENTS 4096 /* rate-limit buckets */

typedef struct
{
  double tokens;
  gint64 last; /* monotonic µs */
} Bucket;

G_DEFINE_FINAL_TYPE (DigithekHandoff, digithek_handoff, G_TYPE_OBJECT)

/* ---- the server ---- */

static gboolean
rate_limit_take (DigithekHandoff *self,
                 const char      *client)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;

  if (self->rate <= 0 || client == NULL)
    return TRUE;

  bucket = g_hash_table_lookup (self->buckets, client);
  if (bucket == NULL)
    {
      if (g_hash_table_size (self->buckets) >= MAX_CLIENTS)
        {
          GHashTableIter iter;
          gpointer value;

          /* Full buckets are the same as no bucket: drop them. */
          g_hash_table_iter_init (&iter, self->buckets);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            {
              Bucket *b = value;

              if (b->tokens + (double) (now - b->last) / G_USEC_PER_SEC * self->rate >=
                  self->burst)
                g_hash_table_iter_remove (&iter);
            }
          if (g_hash_table_size (self->buckets) >= MAX_CLIENTS)
            return FALSE;
        }
      bucket = g_new (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->last = now;
      g_hash_table_insert (self->buckets, g_strdup (client), bucket);
    }
  bucket->tokens = MIN ((double) self->burst,
                        bucket->tokens + (double) (now - bucket->last) / G_USEC_PER_SEC *
                                         self->rate);
  bucket->last = now;
  if (bucket->tokens < 1)
    return FALSE;
  bucket->tokens -= 1;
  return TRUE;
}

static void
count_header_cb (const char *name,
                 const char *value,
                 gpointer    user_data)
{
  gsize *total = user_data;

  *total += strlen (name) + strlen (value) + 4;
}

/* Runs once the request's headers are read, before any body: refuses what this
 * read-only server never needs, so that no body is read and nothing is buffered. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  DigithekHandoff *self = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  gsize uri_length;
  gsize header_size = 0;

  digithek_handoff_add_common_headers (msg);

  if (!rate_limit_take (self, soup_server_message_get_remote_host (msg)))
    {
      soup_message_headers_replace (response_headers, "Retry-After", "1");
      digithek_handoff_respond_error (msg, 429 /* Too Many Requests */,
                                      "Zu viele Anfragen. Too many requests.\n");
      return;
    }

  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0 && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0)
    {
      soup_message_headers_replace (response_headers, "Allow", "GET, HEAD");
      soup_message_headers_replace (response_headers, "Connection", "close");
      digithek_handoff_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                      "Nur lesen. Read only.\n");
      return;
    }

  uri_length = strlen (g_uri_get_path (uri)) +
               (g_uri_get_query (uri) != NULL ? strlen (g_uri_get_query (uri)) + 1 : 0);
  if (uri_length > DIGITHEK_HANDOFF_MAX_REQUEST)
    {
      soup_message_headers_replace (response_headers, "Connection", "close");
      digithek_handoff_respond_error (msg, SOUP_STATUS_REQUEST_URI_TOO_LONG,
                                      "Adresse zu lang. URI too long.\n");
      return;
    }

  soup_message_headers_foreach (request_headers, count_header_cb, &header_size);
  if (header_size > DIGITHEK_HANDOFF_MAX_REQUEST)
    {
      soup_message_headers_replace (response_headers, "Connection", "close");
      digithek_handoff_respond_error (msg, 431 /* Request Header Fields Too Large */,
                                      "Anfrage zu groß. Request too large.\n");
      return;
    }

  if (soup_message_headers_get_encoding (request_headers) == SOUP_ENCODING_CHUNKED ||
      soup_message_headers_get_content_length (request_headers) > 0)
    {
      soup_message_headers_replace (response_headers, "Connection", "close");
      digithek_handoff_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                      "Anfrage zu groß. Request too large.\n");
      return;
    }
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  DigithekHandoff *self = user_data;
  g_auto(GStrv) segments = NULL;
  guint n;

  /* With raw paths the segments arrive as sent: an escaped "/" or "." can never form
   * a path here, and anything but ids and hashes is not found. */
  segments = g_strsplit (path, "/", 5);
  n = g_strv_length (segments);

  if (n == 4 && segments[0][0] == '\0' && g_str_equal (segments[1], "i") &&
      digithek_pack_id_is_valid (segments[2]) && digithek_pack_id_is_valid (segments[3]))
    {
      const char *language = query != NULL ? g_hash_table_lookup (query, "lang") : NULL;

      if (language == NULL || !digithek_language_code_is_valid (language))
        language = self->default_language;
      digithek_handoff_serve_page (self, msg, segments[2], segments[3], language);
      return;
    }

  if (n == 3 && segments[0][0] == '\0' && g_str_equal (segments[1], "asset") &&
      digithek_handoff_is_sha256 (segments[2]))
    {
      const char *owner = g_hash_table_lookup (self->assets, segments[2]);

      if (owner == NULL)
        {
          digithek_handoff_respond_not_found (msg);
          return;
        }
      digithek_handoff_serve_asset (self, msg, segments[2], owner);
      return;
    }

  digithek_handoff_respond_not_found (msg);
}

static void
digithek_handoff_dispose (GObject *object)
{
  DigithekHandoff *self = DIGITHEK_HANDOFF (object);

  digithek_handoff_stop (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (digithek_handoff_parent_class)->dispose (object);
}

static void
digithek_handoff_finalize (GObject *object)
{
  DigithekHandoff *self = DIGITHEK_HANDOFF (object);

  g_clear_object (&self->listen_address);
  g_clear_object (&self->cancellable);
  g_free (self->base_url);
  g_free (self->default_language);
  g_hash_table_unref (self->buckets);
  g_hash_table_unref (self->assets);
  g_hash_table_unref (self->markdown);

  G_OBJECT_CLASS (digithek_handoff_parent_class)->finalize (object);
}

static void
digithek_handoff_class_init (DigithekHandoffClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = digithek_handoff_dispose;
  object_class->finalize = digithek_handoff_finalize;
}

static void
digithek_handoff_init (DigithekHandoff *self)
{
  self->rate = DIGITHEK_HANDOFF_DEFAULT_RATE;
  self->burst = DIGITHEK_HANDOFF_DEFAULT_BURST;
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->markdown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
}

static gboolean
parse_listen (const char    *listen,
              GInetAddress **out_address,
              guint16       *out_port,
              GError       **error)
{
  g_autofree char *host = NULL;
  const char *port_text = NULL;
  guint64 port = DIGITHEK_HANDOFF_DEFAULT_PORT;

  *out_address = NULL;
  *out_port = DIGITHEK_HANDOFF_DEFAULT_PORT;
  if (listen == NULL || *listen == '\0')
    return TRUE;

  if (listen[0] == '[')
    {
      const char *end = strchr (listen, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        goto invalid;
      host = g_strndup (listen + 1, (gsize) (end - listen - 1));
      if (end[1] == ':')
        port_text = end + 2;
    }
  else
    {
      const char *colon = strrchr (listen, ':');

      if (colon != NULL && strchr (listen, ':') != colon)
        goto invalid; /* a bare IPv6 address needs brackets to carry a port */
      host = colon != NULL ? g_strndup (listen, (gsize) (colon - listen)) : g_strdup (listen);
      if (colon != NULL)
        port_text = colon + 1;
    }

  if (port_text != NULL &&
      !g_ascii_string_to_unsigned (port_text, 10, 0, G_MAXUINT16, &port, NULL))
    goto invalid;
  if (*host != '\0')
    {
      *out_address = g_inet_address_new_from_string (host);
      if (*out_address == NULL)
        goto invalid;
    }
  *out_port = (guint16) port;
  return TRUE;

invalid:
  g_set_error (error, DIGITHEK_HANDOFF_ERROR, DIGITHEK_HANDOFF_ERROR_INVALID_ADDRESS,
               "handoff listen address \"%s\" is not ADDRESS:PORT (an IP address and a "
               "port, e.g. 192.168.10.5:%u or [::]:%u)", listen,
               DIGITHEK_HANDOFF_DEFAULT_PORT, DIGITHEK_HANDOFF_DEFAULT_PORT);
  return FALSE;
}

DigithekHandoff *
digithek_handoff_new (DigithekStore  *store,
                      const char     *listen,
                      const char     *base_url,
                      const char     *default_language,
                      GError        **error)
{
  g_autoptr(DigithekHandoff) self = NULL;

  g_return_val_if_fail (DIGITHEK_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (DIGITHEK_TYPE_HANDOFF, NULL);
  self->store = g_object_ref (store);
  self->default_language = g_strdup (default_language != NULL &&
                                     digithek_language_code_is_valid (default_language)
                                     ? default_language : "de");
  if (!parse_listen (listen, &self->listen_address, &self->listen_port, error))
    return NULL;

  if (base_url != NULL && *base_url != '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

      if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
          g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
          g_uri_get_userinfo (uri) != NULL ||
          (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
        {
          g_set_error (error, DIGITHEK_HANDOFF_ERROR, DIGITHEK_HANDOFF_ERROR_INVALID_BASE_URL,
                       "handoff base URL \"%s\" is not an http(s)://HOST[:PORT][/PATH] URL",
                       base_url);
          return NULL;
        }
      self->base_url = g_strdup (base_url);
      while (g_str_has_suffix (self->base_url, "/"))
        self->base_url[strlen (self->base_url) - 1] = '\0';
    }
  else
    {
      /* Phones cannot reach "every interface": they need the address to scan. */
      if (self->listen_address == NULL || g_inet_address_get_is_any (self->listen_address))
        {
          g_set_error (error, DIGITHEK_HANDOFF_ERROR, DIGITHEK_HANDOFF_ERROR_INVALID_BASE_URL,
                       "a handoff base URL is needed when listening on every interface "
                       "(the address phones reach the kiosk by, e.g. http://192.168.10.5:%u)",
                       self->listen_port != 0 ? self->listen_port
                                              : DIGITHEK_HANDOFF_DEFAULT_PORT);
          return NULL;
        }
      self->derive_base_url = TRUE;
    }
  return g_steal_pointer (&self);
}

gboolean
digithek_handoff_start (DigithekHandoff  *self,
                        GError          **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoslist(GUri) uris = NULL;

  g_return_val_if_fail (DIGITHEK_IS_HANDOFF (self), FALSE);

  if (self->server != NULL)
    return TRUE;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  /* raw-paths: libsoup would otherwise decode the path and answer "%2e%2e%2f" with
   * 400 itself; the handler checks every segment instead. No Server header: nothing
   * about the kiosk's software is anyone's business. */
  self->server = soup_server_new ("raw-paths", TRUE, "server-header", NULL, NULL);
  soup_server_add_early_handler (self->server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);

  if (self->listen_address != NULL)
    {
      address = g_inet_socket_address_new (self->listen_address, self->listen_port);
      soup_server_listen (self->server, address, 0, &local_error);
    }
  else
    soup_server_listen_all (self->server, self->listen_port, 0, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, DIGITHEK_HANDOFF_ERROR, DIGITHEK_HANDOFF_ERROR_LISTEN,
                   "cannot listen for handoff pages: %s", local_error->message);
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  self->port = uris != NULL ? (guint16) g_uri_get_port (uris->data) : 0;
  if (self->derive_base_url)
    {
      g_autofree char *host = g_inet_address_to_string (self->listen_address);
      gboolean v6 = g_inet_address_get_family (self->listen_address) == G_SOCKET_FAMILY_IPV6;

      g_free (self->base_url);
      self->base_url = g_strdup_printf ("http://%s%s%s:%u", v6 ? "[" : "", host,
                                        v6 ? "]" : "", self->port);
    }
  g_debug ("handoff pages served on port %u as %s", self->port, self->base_url);
  return TRUE;
}

void
digithek_handoff_stop (DigithekHandoff *self)
{
  g_return_if_fail (DIGITHEK_IS_HANDOFF (self));

  /* Cancel store calls in flight: their requests answer and let go of us. */
  g_cancellable_cancel (self->cancellable);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  self->port = 0;
}

guint16
digithek_handoff_get_port (DigithekHandoff *self)
{
  g_return_val_if_fail (DIGITHEK_IS_HANDOFF (self), 0);
  return self->port;
}

const char *
digithek_handoff_get_base_url (DigithekHandoff *self)
{
  g_return_val_if_fail (DIGITHEK_IS_HANDOFF (self), NULL);
  return self->base_url;
}

void
digithek_handoff_set_rate_limit (DigithekHandoff *self,
                                 double           rate,
                                 guint            burst)
{
  g_return_if_fail (DIGITHEK_IS_HANDOFF (self));

  self->rate = MAX (rate, 0);
  self->burst = MAX (burst, 1);
  g_hash_table_remove_all (self->buckets);
}
