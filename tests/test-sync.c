/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <sodium.h>
#include <string.h>

#include "digithek-channel.h"
#include "digithek-channel-publish.h"
#include "digithek-pack.h"
#include "digithek-store.h"
#include "digithek-sync.h"
#include "store-test-util.h"

/* ---- files and packs ---- */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_unlink (path) == 0)
    return;
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_rmdir (path);
}

static void
write_file (const char *path,
            const char *data,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

static void
copy_file (const char *src,
           const char *dest)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (src, &data, &len, &error);
  g_assert_no_error (error);
  write_file (dest, data, len);
}

/*
 * A pack of @n_files explainers, each with a Markdown body of about @file_size bytes.
 * @variant changes the first file only, so a re-publish differs in exactly one object.
 */
static char *
make_pack (const char *root,
           const char *id,
           gint64      version,
           guint       n_files,
           gsize       file_size,
           const char *variant)
{
  g_autofree char *dir_name = g_strdup_printf ("%s-%" G_GINT64_FORMAT, id, version);
  char *dir = g_build_filename (root, "src", dir_name, NULL);
  g_autoptr(GString) json = g_string_new (NULL);

  g_string_append_printf (json,
                          "{\"format\": 1, \"id\": \"%s\", \"version\": %" G_GINT64_FORMAT ","
                          " \"title\": {\"de\": \"Paket %s\"}, \"languages\": [\"de\"],"
                          " \"items\": [", id, version, id);
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *rel = g_strdup_printf ("texts/%u.md", i);
      g_autofree char *path = g_build_filename (dir, rel, NULL);
      g_autoptr(GString) text = g_string_new (NULL);
      guint line = 0;

      g_string_append_printf (text, "# Thema %u von %s\n\n", i, id);
      if (i == 0 && variant != NULL)
        g_string_append_printf (text, "Fassung %s.\n\n", variant);
      while (text->len < file_size)
        g_string_append_printf (text, "Zeile %u des Themas %u im Paket %s.\n", line++, i, id);
      write_file (path, text->str, text->len);

      g_string_append_printf (json,
                              "%s{\"id\": \"thema-%u\", \"kind\": \"explainer\","
                              " \"title\": {\"de\": \"Thema %u\"},"
                              " \"body\": {\"de\": \"%s\"}}",
                              i > 0 ? ", " : "", i, i, rel);
    }
  g_string_append (json, "]}\n");
  {
    g_autofree char *path = g_build_filename (dir, "pack.json", NULL);
    write_file (path, json->str, json->len);
  }
  return dir;
}

static void
publish (const char *channel,
         const char *key,
         const char *pack_dir,
         guint       expected_objects)
{
  g_autoptr(GPtrArray) packs = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(DigithekChannelPublishResult) result = { 0 };
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  DigithekPack *pack = digithek_pack_load (pack_dir, NULL, &problems, &error);

  g_assert_no_error (error);
  g_ptr_array_add (packs, pack);
  digithek_channel_publish (channel, packs, key, NULL, &result, &error);
  g_assert_no_error (error);
  if (expected_objects > 0)
    g_assert_cmpuint (result.objects_written, ==, expected_objects);
}

/* Signs @channel's index.json again with @secret_key_path: a foreign key, or after the
 * test edited the index. */
static void
resign_index (const char *channel,
              const char *secret_key_path)
{
  g_autofree char *index_path = g_build_filename (channel, "index.json", NULL);
  g_autofree char *sig_path = g_build_filename (channel, "index.json.sig", NULL);
  g_autofree char *key_text = NULL;
  g_autofree char *index = NULL;
  g_autofree char *sig_b64 = NULL;
  g_autoptr(GError) error = NULL;
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  guint8 sig[crypto_sign_BYTES];
  gsize sk_len = 0;
  gsize index_len = 0;

  g_file_get_contents (secret_key_path, &key_text, NULL, &error);
  g_assert_no_error (error);
  g_strstrip (key_text);
  g_assert_cmpint (sodium_base642bin (sk, sizeof sk, key_text, strlen (key_text), NULL,
                                      &sk_len, NULL, sodium_base64_VARIANT_ORIGINAL), ==, 0);
  g_assert_cmpuint (sk_len, ==, sizeof sk);
  g_file_get_contents (index_path, &index, &index_len, &error);
  g_assert_no_error (error);
  crypto_sign_detached (sig, NULL, (const guint8 *) index, index_len, sk);
  sig_b64 = g_malloc (sodium_base64_ENCODED_LEN (sizeof sig, sodium_base64_VARIANT_ORIGINAL)
                      + 1);
  sodium_bin2base64 (sig_b64, sodium_base64_ENCODED_LEN (sizeof sig,
                                                         sodium_base64_VARIANT_ORIGINAL),
                     sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
  {
    g_autofree char *line = g_strconcat (sig_b64, "\n", NULL);
    write_file (sig_path, line, -1);
  }
  sodium_memzero (sk, sizeof sk);
}

/* Rewrites index.json with @serial and @expires, then signs it with @secret_key_path. */
static void
rewrite_index (const char *channel,
               gint64      serial,
               const char *expires,
               const char *secret_key_path)
{
  g_autofree char *index_path = g_build_filename (channel, "index.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *root;

  json_parser_load_from_file (parser, index_path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_int_member (root, "serial", serial);
  json_object_set_string_member (root, "expires", expires);
  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, NULL);
  write_file (index_path, text, -1);
  resign_index (channel, secret_key_path);
}

/* ---- a channel server with faults ---- */

typedef enum
{
  FAULT_NONE,
  FAULT_DROP,        /* connection closed in the middle of the body */
  FAULT_500,
  FAULT_STALL,       /* part of the body, then silence beyond the client's timeout */
  FAULT_BAD_LENGTH,  /* a Content-Length that does not match the body */
  FAULT_LONGER,      /* the body goes on after the object, no Content-Length */
  N_FAULTS
} Fault;

typedef struct
{
  GIOStream *stream;
  GBytes    *head;
  GBytes    *body;
  guint      stall_ms;
} FaultJob;

typedef struct
{
  char         *root;
  char         *url;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  guint         port;

  /* under lock */
  guint64       bytes_sent;        /* body bytes written */
  GPtrArray    *log;               /* "STATUS PATH" per request */
  double        fault_rate;        /* per object request */
  GQueue        script;            /* Fault, for the next object requests, first */
  gboolean      ignore_range;      /* answer 200 with the whole file to a Range */
  GRand        *rand;
  guint         stall_ms;
  guint         n_faults[N_FAULTS];
  GPtrArray    *jobs;              /* GThread, joined on stop */
} TestServer;

static gpointer
fault_job_thread (gpointer data)
{
  FaultJob *job = data;
  GOutputStream *out = g_io_stream_get_output_stream (job->stream);
  gsize len = 0;
  const void *bytes;

  bytes = g_bytes_get_data (job->head, &len);
  g_output_stream_write_all (out, bytes, len, NULL, NULL, NULL);
  bytes = g_bytes_get_data (job->body, &len);
  if (len > 0)
    g_output_stream_write_all (out, bytes, len, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  if (job->stall_ms > 0)
    g_usleep (job->stall_ms * 1000);
  g_io_stream_close (job->stream, NULL, NULL);

  g_object_unref (job->stream);
  g_bytes_unref (job->head);
  g_bytes_unref (job->body);
  g_free (job);
  return NULL;
}

static void
server_log (TestServer *server,
            guint       status,
            const char *path,
            gsize       body_bytes)
{
  g_ptr_array_add (server->log, g_strdup_printf ("%u %s", status, path));
  server->bytes_sent += body_bytes;
}

static void
server_handler_cb (SoupServer        *soup_server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  TestServer *server = user_data;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  g_autofree char *file = NULL;
  g_autofree char *data = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);
  const char *if_none_match;
  const char *range;
  gsize len = 0;
  gsize start = 0;
  Fault fault = FAULT_NONE;

  if (strstr (path, "..") != NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
      return;
    }
  file = g_build_filename (server->root, path, NULL);
  if (!g_file_get_contents (file, &data, &len, NULL))
    {
      server_log (server, 404, path, 0);
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  {
    g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                        (const guchar *) data, len);
    etag = g_strdup_printf ("\"%.16s\"", sha);
  }
  if_none_match = soup_message_headers_get_one (req, "If-None-Match");
  if (if_none_match != NULL && g_str_equal (if_none_match, etag))
    {
      server_log (server, 304, path, 0);
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  range = soup_message_headers_get_one (req, "Range");
  if (range != NULL && g_str_has_prefix (range, "bytes=") && g_str_has_suffix (range, "-"))
    start = g_ascii_strtoull (range + 6, NULL, 10);
  if (start > len)
    start = len;
  /* Our own Range handling: keep SoupServer from doing it again. */
  soup_message_headers_remove (req, "Range");

  if (server->ignore_range)
    start = 0;

  if (g_str_has_prefix (path, "/objects/") && !g_queue_is_empty (&server->script))
    fault = GPOINTER_TO_UINT (g_queue_pop_head (&server->script));
  else if (g_str_has_prefix (path, "/objects/") && server->fault_rate > 0
           && g_rand_double (server->rand) < server->fault_rate)
    fault = g_rand_int_range (server->rand, FAULT_DROP, N_FAULTS);
  server->n_faults[fault]++;

  if (fault == FAULT_500)
    {
      server_log (server, 500, path, 0);
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }

  if (fault != FAULT_NONE)
    {
      FaultJob *job = g_new0 (FaultJob, 1);
      gsize remaining = len - start;
      gsize cut = remaining > 1 ? (gsize) g_rand_int_range (server->rand, 1, remaining) : 0;
      g_autoptr(GString) head = g_string_new (NULL);
      g_autoptr(GByteArray) body = g_byte_array_new ();

      g_string_append_printf (head, "HTTP/1.1 %s\r\nConnection: close\r\n",
                              start > 0 ? "206 Partial Content" : "200 OK");
      if (start > 0)
        g_string_append_printf (head, "Content-Range: bytes %" G_GSIZE_FORMAT "-%"
                                G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\r\n",
                                start, len - 1, len);
      switch (fault)
        {
        case FAULT_DROP:
        case FAULT_STALL:
          g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", remaining);
          g_byte_array_append (body, (const guint8 *) data + start, cut);
          job->stall_ms = fault == FAULT_STALL ? server->stall_ms : 0;
          break;
        case FAULT_BAD_LENGTH:
          /* Half the time it claims more than it sends, half the time less. */
          if (g_rand_boolean (server->rand))
            {
              g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n",
                                      remaining + 100);
              g_byte_array_append (body, (const guint8 *) data + start, remaining);
            }
          else
            {
              g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", cut);
              g_byte_array_append (body, (const guint8 *) data + start, cut);
            }
          break;
        case FAULT_LONGER:
          g_byte_array_append (body, (const guint8 *) data + start, remaining);
          g_byte_array_append (body, (const guint8 *) "GARBAGE-GARBAGE-GARBAGE", 23);
          break;
        case FAULT_NONE:
        case FAULT_500:
        case N_FAULTS:
        default:
          g_assert_not_reached ();
        }
      g_string_append (head, "\r\n");
      server_log (server, 999, path, body->len);
      job->stream = g_object_ref (soup_server_message_steal_connection (msg));
      job->head = g_bytes_new (head->str, head->len);
      job->body = g_byte_array_free_to_bytes (g_steal_pointer (&body));
      g_ptr_array_add (server->jobs, g_thread_new ("fault", fault_job_thread, job));
      return;
    }

  soup_message_headers_replace (resp, "ETag", etag);
  if (start > 0)
    {
      soup_message_headers_set_content_range (resp, start, len - 1, len);
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                    data + start, len - start);
  server_log (server, start > 0 ? 206 : 200, path, len - start);
}

static gpointer
server_thread (gpointer data)
{
  TestServer *server = data;
  g_autoptr(SoupServer) soup_server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);
  soup_server = soup_server_new ("server-header", "digithek-test", NULL);
  soup_server_add_handler (soup_server, NULL, server_handler_cb, server, NULL);
  soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup_server);

  g_mutex_lock (&server->lock);
  server->port = g_uri_get_port (uris->data);
  server->ready = TRUE;
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server->loop);
  soup_server_disconnect (soup_server);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static TestServer *
test_server_new (const char *root)
{
  TestServer *server = g_new0 (TestServer, 1);

  server->root = g_strdup (root);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->log = g_ptr_array_new_with_free_func (g_free);
  server->jobs = g_ptr_array_new ();
  server->rand = g_rand_new_with_seed (g_test_rand_int ());
  server->stall_ms = 1500;
  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->thread = g_thread_new ("server", server_thread, server);

  g_mutex_lock (&server->lock);
  while (!server->ready)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
  server->url = g_strdup_printf ("http://127.0.0.1:%u/", server->port);
  return server;
}

static void
test_server_reset_log (TestServer *server)
{
  g_mutex_lock (&server->lock);
  g_ptr_array_set_size (server->log, 0);
  server->bytes_sent = 0;
  g_mutex_unlock (&server->lock);
}

static void
test_server_free (TestServer *server)
{
  g_main_loop_quit (server->loop);
  g_thread_join (server->thread);
  for (guint i = 0; i < server->jobs->len; i++)
    g_thread_join (g_ptr_array_index (server->jobs, i));
  g_ptr_array_unref (server->jobs);
  g_queue_clear (&server->script);
  g_ptr_array_unref (server->log);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_rand_free (server->rand);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server->root);
  g_free (server->url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)

/* ---- fixture ---- */

typedef struct
{
  char          *tmp;
  char          *channel;
  char          *key;          /* secret key file */
  char          *key_pub;      /* public key, base64 */
  char          *store_path;
  DigithekStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp = g_dir_make_tmp ("digithek-sync-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->channel = g_build_filename (fixture->tmp, "channel", NULL);
  fixture->key = g_build_filename (fixture->tmp, "keys", "channel.key", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->tmp, 0755), ==, 0);
  {
    g_autofree char *keys = g_path_get_dirname (fixture->key);
    g_assert_cmpint (g_mkdir_with_parents (keys, 0700), ==, 0);
  }
  digithek_channel_keygen (fixture->key, FALSE, &fixture->key_pub, &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->tmp, "store.db", NULL);
  fixture->store = tu_store_new (fixture->store_path, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  digithek_store_close (fixture->store);
  g_clear_object (&fixture->store);
  remove_tree (fixture->tmp);
  g_free (fixture->tmp);
  g_free (fixture->channel);
  g_free (fixture->key);
  g_free (fixture->key_pub);
  g_free (fixture->store_path);
}

static DigithekSync *
fixture_sync (Fixture    *fixture,
              const char *channel)
{
  const char *keys[] = { fixture->key_pub, NULL };
  DigithekSync *sync = digithek_sync_new (channel, keys, fixture->store, NULL);

  digithek_sync_set_retry_policy (sync, 8, 5);
  return sync;
}

static DigithekSyncResult *
run_ok (DigithekSync *sync)
{
  g_autoptr(GError) error = NULL;
  DigithekSyncResult *result = digithek_sync_run_sync (sync, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
run_refused (DigithekSync *sync,
             gint          code,
             const char   *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekSyncResult) result = digithek_sync_run_sync (sync, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, DIGITHEK_SYNC_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

/* "id=version,…" of the installed packs, to compare before and after. */
static char *
installed_packs (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) packs = tu_store_list_packs (fixture->store, NULL, NULL,
                                                    &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < packs->len; i++)
    {
      DigithekStorePackInfo *info = g_ptr_array_index (packs, i);

      g_string_append_printf (out, "%s%s=%" G_GINT64_FORMAT, i > 0 ? "," : "", info->id,
                              info->version);
    }
  return g_string_free (out, FALSE);
}

static char *
meta (Fixture    *fixture,
      const char *key)
{
  g_autoptr(GError) error = NULL;
  char *value = tu_store_get_meta (fixture->store, key, NULL, &error);

  g_assert_no_error (error);
  return value;
}

static void
assert_meta (Fixture    *fixture,
             const char *key,
             const char *expected)
{
  g_autofree char *value = meta (fixture, key);

  g_assert_cmpstr (value, ==, expected);
}

/* ---- tests ---- */

static void
test_local_folder (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *a = make_pack (fixture->tmp, "e-government", 1, 2, 500, NULL);
  g_autofree char *b = make_pack (fixture->tmp, "smart-city", 1, 3, 800, NULL);
  g_autoptr(DigithekSync) sync = fixture_sync (fixture, fixture->channel);
  g_autoptr(DigithekSyncResult) first = NULL;
  g_autoptr(DigithekSyncResult) second = NULL;
  g_autofree char *packs = NULL;
  g_autofree char *time_text = NULL;
  DigithekSyncChange *change;

  publish (fixture->channel, fixture->key, a, 0);
  publish (fixture->channel, fixture->key, b, 0);

  first = run_ok (sync);
  g_assert_false (first->up_to_date);
  g_assert_cmpstr (first->channel_name, ==, "default");
  g_assert_cmpint (first->serial, ==, 2);
  g_assert_cmpuint (first->changes->len, ==, 2);
  change = g_ptr_array_index (first->changes, 0);
  g_assert_cmpstr (change->id, ==, "e-government");
  g_assert_cmpint (change->old_version, ==, 0);
  g_assert_cmpint (change->new_version, ==, 1);
  /* 2 manifests, 5 files. */
  g_assert_cmpuint (first->objects_downloaded, ==, 7);

  packs = installed_packs (fixture);
  g_assert_cmpstr (packs, ==, "e-government=1,smart-city=1");
  assert_meta (fixture, "sync.serial", "2");
  assert_meta (fixture, "sync.serial:default", "2");
  assert_meta (fixture, "sync.last-ok", "true");
  assert_meta (fixture, "sync.last-error", NULL);
  time_text = meta (fixture, "sync.last-time");
  g_assert_nonnull (time_text);
  g_assert_true (g_str_has_suffix (time_text, "Z"));
  /* Staging is cleaned after success. */
  g_assert_false (g_file_test (digithek_sync_get_staging_dir (sync), G_FILE_TEST_EXISTS));

  second = run_ok (sync);
  g_assert_true (second->up_to_date);
  g_assert_cmpuint (second->changes->len, ==, 0);
  g_assert_cmpuint (second->objects_downloaded, ==, 0);
}

static void
test_http_one_file_change (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "e-government", 1, 5, 4000, "eins");
  g_autofree char *v2 = make_pack (fixture->tmp, "e-government", 2, 5, 4000, "zwei");
  g_autoptr(TestServer) server = test_server_new (fixture->channel);
  g_autoptr(DigithekSync) sync = NULL;
  g_autoptr(DigithekSyncResult) first = NULL;
  g_autoptr(DigithekSyncResult) second = NULL;
  g_autoptr(DigithekSyncResult) third = NULL;
  g_autofree char *packs = NULL;
  guint n_objects = 0;
  DigithekSyncChange *change;

  publish (fixture->channel, fixture->key, v1, 0);
  sync = fixture_sync (fixture, server->url);
  first = run_ok (sync);
  g_assert_cmpuint (first->changes->len, ==, 1);
  g_assert_cmpuint (first->objects_downloaded, ==, 6);

  /* Nothing new: the conditional GET answers 304 and nothing else is asked. */
  test_server_reset_log (server);
  second = run_ok (sync);
  g_assert_true (second->up_to_date);
  g_assert_cmpuint (server->log->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (server->log, 0), ==, "304 /index.json");

  /* One changed file: the new manifest and that file are all the objects fetched. */
  publish (fixture->channel, fixture->key, v2, 2);
  test_server_reset_log (server);
  third = run_ok (sync);
  g_assert_false (third->up_to_date);
  g_assert_cmpuint (third->changes->len, ==, 1);
  change = g_ptr_array_index (third->changes, 0);
  g_assert_cmpint (change->old_version, ==, 1);
  g_assert_cmpint (change->new_version, ==, 2);
  g_assert_cmpuint (third->objects_downloaded, ==, 2);
  for (guint i = 0; i < server->log->len; i++)
    {
      const char *line = g_ptr_array_index (server->log, i);

      g_assert_true (g_str_has_prefix (line, "200 "));
      if (strstr (line, "/objects/") != NULL)
        n_objects++;
    }
  g_assert_cmpuint (n_objects, ==, 2);
  g_assert_cmpuint (third->bytes_downloaded, ==, server->bytes_sent);
  g_test_message ("one-file change: %" G_GUINT64_FORMAT " bytes fetched, first sync %"
                  G_GUINT64_FORMAT, third->bytes_downloaded, first->bytes_downloaded);
  /* Index, signature, manifest and one ~4 KB file out of five. */
  g_assert_cmpuint (third->bytes_downloaded * 2, <, first->bytes_downloaded);

  packs = installed_packs (fixture);
  g_assert_cmpstr (packs, ==, "e-government=2");
}

static void
test_http_faults (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "offene-daten", 1, 16, 32 * 1024, NULL);
  g_autoptr(TestServer) server = test_server_new (fixture->channel);
  g_autoptr(DigithekSync) sync = NULL;
  g_autoptr(DigithekSyncResult) result = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *packs = NULL;
  guint64 content = 0;
  guint n_faults = 0;

  publish (fixture->channel, fixture->key, v1, 0);
  /* The content: every file of the channel (one pack, all referenced). */
  {
    g_autofree char *objects = g_build_filename (fixture->channel, "objects", NULL);
    const char *fan;

    dir = g_dir_open (objects, 0, NULL);
    while ((fan = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *sub = g_build_filename (objects, fan, NULL);
        g_autoptr(GDir) subdir = g_dir_open (sub, 0, NULL);
        const char *name;

        while ((name = g_dir_read_name (subdir)) != NULL)
          {
            g_autofree char *path = g_build_filename (sub, name, NULL);
            GStatBuf st;

            g_assert_cmpint (g_stat (path, &st), ==, 0);
            content += st.st_size;
          }
      }
  }

  g_mutex_lock (&server->lock);
  server->fault_rate = 0.5;
  server->stall_ms = 1500;
  g_mutex_unlock (&server->lock);

  sync = fixture_sync (fixture, server->url);
  digithek_sync_set_timeout (sync, 1);
  digithek_sync_set_retry_policy (sync, 12, 5);
  result = run_ok (sync);

  for (guint f = FAULT_DROP; f < N_FAULTS; f++)
    n_faults += server->n_faults[f];
  g_test_message ("faults: %u drop, %u 500, %u stall, %u bad length, %u longer; content %"
                  G_GUINT64_FORMAT " bytes, downloaded %" G_GUINT64_FORMAT " (wasted %"
                  G_GINT64_FORMAT ")",
                  server->n_faults[FAULT_DROP], server->n_faults[FAULT_500],
                  server->n_faults[FAULT_STALL], server->n_faults[FAULT_BAD_LENGTH],
                  server->n_faults[FAULT_LONGER], content, result->bytes_downloaded,
                  (gint64) result->bytes_downloaded - (gint64) content);
  g_assert_cmpuint (n_faults, >, 0);
  g_assert_cmpuint (result->changes->len, ==, 1);
  packs = installed_packs (fixture);
  g_assert_cmpstr (packs, ==, "offene-daten=1");
  /* Index and signature are small; everything else beyond the content is waste. */
  g_assert_cmpuint (result->bytes_downloaded, <=, content + content / 2 + 2048);
}

/* Each fault once, in order, then with a server that ignores Range. */
static void
test_http_each_fault (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "offene-daten", 1, 3, 40 * 1024, NULL);
  g_autofree char *v2 = make_pack (fixture->tmp, "offene-daten", 2, 3, 40 * 1024, "zwei");
  g_autoptr(TestServer) server = test_server_new (fixture->channel);
  g_autoptr(DigithekSync) sync = NULL;
  g_autoptr(DigithekSyncResult) first = NULL;
  g_autoptr(DigithekSyncResult) second = NULL;
  g_autofree char *packs = NULL;
  const Fault script[] = { FAULT_DROP, FAULT_500, FAULT_STALL, FAULT_BAD_LENGTH,
                           FAULT_LONGER, FAULT_BAD_LENGTH, FAULT_DROP, FAULT_LONGER };

  publish (fixture->channel, fixture->key, v1, 0);
  g_mutex_lock (&server->lock);
  for (guint i = 0; i < G_N_ELEMENTS (script); i++)
    g_queue_push_tail (&server->script, GUINT_TO_POINTER (script[i]));
  server->stall_ms = 1500;
  g_mutex_unlock (&server->lock);

  sync = fixture_sync (fixture, server->url);
  digithek_sync_set_timeout (sync, 1);
  first = run_ok (sync);
  g_assert_cmpuint (first->changes->len, ==, 1);
  g_assert_true (g_queue_is_empty (&server->script));
  for (guint f = FAULT_DROP; f < N_FAULTS; f++)
    g_assert_cmpuint (server->n_faults[f], >, 0);
  g_test_message ("each fault: %" G_GUINT64_FORMAT " bytes downloaded",
                  first->bytes_downloaded);

  /* A server without Range support: every retry starts over, and still completes. */
  publish (fixture->channel, fixture->key, v2, 2);
  g_mutex_lock (&server->lock);
  server->ignore_range = TRUE;
  g_queue_push_tail (&server->script, GUINT_TO_POINTER (FAULT_DROP));
  g_queue_push_tail (&server->script, GUINT_TO_POINTER (FAULT_DROP));
  g_mutex_unlock (&server->lock);
  second = run_ok (sync);
  g_assert_cmpuint (second->changes->len, ==, 1);
  packs = installed_packs (fixture);
  g_assert_cmpstr (packs, ==, "offene-daten=2");
}

static void
test_attacks (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "e-government", 1, 2, 600, "eins");
  g_autofree char *v2 = make_pack (fixture->tmp, "e-government", 2, 2, 600, "zwei");
  g_autofree char *v3 = make_pack (fixture->tmp, "e-government", 3, 2, 600, "drei");
  g_autofree char *v4 = make_pack (fixture->tmp, "e-government", 4, 2, 600, "vier");
  g_autofree char *foreign_key = g_build_filename (fixture->tmp, "keys", "foreign.key", NULL);
  g_autofree char *index = g_build_filename (fixture->channel, "index.json", NULL);
  g_autofree char *sig = g_build_filename (fixture->channel, "index.json.sig", NULL);
  g_autofree char *saved_index = g_build_filename (fixture->tmp, "index.json.saved", NULL);
  g_autofree char *saved_sig = g_build_filename (fixture->tmp, "index.json.sig.saved", NULL);
  g_autoptr(DigithekSync) sync = fixture_sync (fixture, fixture->channel);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  publish (fixture->channel, fixture->key, v1, 0);
  g_clear_pointer (&before, g_free);
  digithek_sync_result_free (run_ok (sync));
  before = installed_packs (fixture);
  g_assert_cmpstr (before, ==, "e-government=1");

  /* 1. A tampered byte in the changed object of v2. */
  publish (fixture->channel, fixture->key, v2, 2);
  {
    g_autofree char *src = g_build_filename (v2, "texts", "0.md", NULL);
    g_autofree char *text = NULL;
    g_autofree char *sha = NULL;
    g_autofree char *rel = NULL;
    g_autofree char *object = NULL;
    g_autofree char *message = NULL;
    g_autoptr(GBytes) bytes = NULL;
    gsize len = 0;

    g_file_get_contents (src, &text, &len, &error);
    g_assert_no_error (error);
    bytes = g_bytes_new (text, len);
    sha = digithek_channel_sha256_hex (bytes);
    rel = digithek_channel_object_path (sha);
    object = g_build_filename (fixture->channel, rel, NULL);
    text[len / 2] ^= 0x01;
    write_file (object, text, len);

    message = g_strdup_printf ("e-government: object %.8s… does not match its SHA-256", sha);
    run_refused (sync, DIGITHEK_SYNC_ERROR_INVALID, message);
    g_clear_pointer (&text, g_free);
    {
      g_autofree char *now = installed_packs (fixture);
      g_assert_cmpstr (now, ==, before);
    }
    assert_meta (fixture, "sync.last-ok", "false");
    assert_meta (fixture, "sync.last-error", message);
    assert_meta (fixture, "sync.serial", "1");

    /* The genuine object back: the same serial is accepted now. */
    copy_file (src, object);
    digithek_sync_result_free (run_ok (sync));
    g_clear_pointer (&before, g_free);
    before = installed_packs (fixture);
    g_assert_cmpstr (before, ==, "e-government=2");
    assert_meta (fixture, "sync.serial", "2");
    assert_meta (fixture, "sync.last-ok", "true");
    assert_meta (fixture, "sync.last-error", NULL);
  }

  /* 2. An index signed with a foreign key. */
  copy_file (index, saved_index);
  copy_file (sig, saved_sig);
  publish (fixture->channel, fixture->key, v3, 2);
  digithek_channel_keygen (foreign_key, FALSE, NULL, &error);
  g_assert_no_error (error);
  resign_index (fixture->channel, foreign_key);
  run_refused (sync, DIGITHEK_SYNC_ERROR_BAD_SIGNATURE,
               "index signature does not match any trusted key");
  {
    g_autofree char *now = installed_packs (fixture);
    g_assert_cmpstr (now, ==, before);
  }
  /* Then the genuine signature: accepted. */
  resign_index (fixture->channel, fixture->key);
  digithek_sync_result_free (run_ok (sync));
  g_clear_pointer (&before, g_free);
  before = installed_packs (fixture);
  g_assert_cmpstr (before, ==, "e-government=3");
  assert_meta (fixture, "sync.serial", "3");

  /* 3. Rollback: the older index and signature put back. */
  {
    g_autofree char *current_index = g_build_filename (fixture->tmp, "index.json.cur", NULL);
    g_autofree char *current_sig = g_build_filename (fixture->tmp, "index.json.sig.cur", NULL);

    copy_file (index, current_index);
    copy_file (sig, current_sig);
    copy_file (saved_index, index);
    copy_file (saved_sig, sig);
    run_refused (sync, DIGITHEK_SYNC_ERROR_ROLLBACK, "index serial 2 is older than installed 3");
    {
      g_autofree char *now = installed_packs (fixture);
      g_assert_cmpstr (now, ==, before);
    }
    copy_file (current_index, index);
    copy_file (current_sig, sig);
  }

  /* 4. An expired index, signed by the genuine key. */
  rewrite_index (fixture->channel, 4, "2020-01-01T00:00:00Z", fixture->key);
  run_refused (sync, DIGITHEK_SYNC_ERROR_EXPIRED, "index expired on 2020-01-01T00:00:00Z");
  {
    g_autofree char *now = installed_packs (fixture);
    g_assert_cmpstr (now, ==, before);
  }
  assert_meta (fixture, "sync.serial", "3");

  /* A genuine update after all of it. */
  publish (fixture->channel, fixture->key, v4, 0);
  {
    g_autoptr(DigithekSyncResult) result = run_ok (sync);
    g_autofree char *now = installed_packs (fixture);

    g_assert_cmpuint (result->changes->len, ==, 1);
    g_assert_cmpstr (now, ==, "e-government=4");
  }
}

/* An object longer than its manifest says: refused before a byte of it is stored. */
static void
test_object_longer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "e-government", 1, 1, 1203, NULL);
  g_autofree char *src = g_build_filename (v1, "texts", "0.md", NULL);
  g_autoptr(DigithekSync) sync = fixture_sync (fixture, fixture->channel);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GString) longer = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *rel = NULL;
  g_autofree char *object = NULL;
  g_autofree char *message = NULL;
  g_autofree char *size_text = NULL;
  gsize len = 0;

  publish (fixture->channel, fixture->key, v1, 0);
  g_file_get_contents (src, &text, &len, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new (text, len);
  sha = digithek_channel_sha256_hex (bytes);
  rel = digithek_channel_object_path (sha);
  object = g_build_filename (fixture->channel, rel, NULL);
  longer = g_string_new_len (text, len);
  g_string_append (longer, "und noch mehr\n");
  write_file (object, longer->str, longer->len);

  /* The sizes in messages are grouped by thousands. */
  size_text = len >= 1000 ? g_strdup_printf ("%" G_GSIZE_FORMAT ",%03" G_GSIZE_FORMAT,
                                             len / 1000, len % 1000)
                          : g_strdup_printf ("%" G_GSIZE_FORMAT, len);
  message = g_strdup_printf ("e-government: object %.8s… is longer than the %s bytes the "
                             "manifest says", sha, size_text);
  run_refused (sync, DIGITHEK_SYNC_ERROR_INVALID, message);
  {
    g_autofree char *now = installed_packs (fixture);
    g_assert_cmpstr (now, ==, "");
  }

  copy_file (src, object);
  digithek_sync_result_free (run_ok (sync));
  {
    g_autofree char *now = installed_packs (fixture);
    g_assert_cmpstr (now, ==, "e-government=1");
  }
}

/* The --sync-once front end, in a subprocess so its stdout can be checked. */
static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *a = make_pack (fixture->tmp, "e-government", 1, 1, 300, NULL);
  g_autofree char *b = make_pack (fixture->tmp, "e-government", 2, 1, 300, "zwei");
  g_autofree char *pub = g_strconcat (fixture->key, ".pub", NULL);
  const char *keys[] = { pub, NULL };
  const char *no_keys[] = { NULL };

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DigithekSyncResult) result = NULL;
      g_autofree char *report = NULL;
      const char *mode = g_getenv ("SYNC_CLI_MODE");

      /* g_print() converts to the locale's charset; the kiosk runs in a UTF-8 one. */
      setlocale (LC_ALL, "C.UTF-8");

      if (g_strcmp0 (mode, "none") == 0)
        {
          g_assert_null (digithek_sync_run_headless (g_getenv ("SYNC_CLI_STORE"),
                                                     g_getenv ("SYNC_CLI_CHANNEL"), no_keys,
                                                     &error));
          g_assert_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_BAD_SIGNATURE);
          g_printerr ("%s\n", error->message);
          return;
        }
      keys[0] = g_getenv ("SYNC_CLI_KEY");
      result = digithek_sync_run_headless (g_getenv ("SYNC_CLI_STORE"),
                                           g_getenv ("SYNC_CLI_CHANNEL"), keys, &error);
      g_assert_no_error (error);
      report = digithek_sync_result_describe (result);
      g_print ("%s", report);
      return;
    }

  /* The CLI opens its own store on the same file. */
  digithek_store_close (fixture->store);
  g_setenv ("SYNC_CLI_STORE", fixture->store_path, TRUE);
  g_setenv ("SYNC_CLI_CHANNEL", fixture->channel, TRUE);
  g_setenv ("SYNC_CLI_KEY", pub, TRUE);
  g_setenv ("SYNC_CLI_MODE", "ok", TRUE);

  publish (fixture->channel, fixture->key, a, 0);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("e-government: 1 (new)\n");

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("up to date\n");

  publish (fixture->channel, fixture->key, b, 2);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("e-government: 1 → 2\n");

  g_setenv ("SYNC_CLI_MODE", "none", TRUE);
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr ("*no trusted key configured*");
  (void) keys;
}

/* A run that gives up keeps the verified part of its downloads; the next one resumes. */
static void
test_resume_across_runs (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "offene-daten", 1, 1, 200 * 1024, NULL);
  g_autoptr(TestServer) server = test_server_new (fixture->channel);
  g_autoptr(DigithekSync) sync = NULL;
  g_autoptr(DigithekSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *packs = NULL;
  guint64 first_bytes;

  publish (fixture->channel, fixture->key, v1, 0);
  g_mutex_lock (&server->lock);
  /* The manifest comes through, the file is cut twice: more than one attempt allows. */
  g_queue_push_tail (&server->script, GUINT_TO_POINTER (FAULT_NONE));
  g_queue_push_tail (&server->script, GUINT_TO_POINTER (FAULT_DROP));
  g_mutex_unlock (&server->lock);

  sync = fixture_sync (fixture, server->url);
  digithek_sync_set_retry_policy (sync, 1, 0);
  result = digithek_sync_run_sync (sync, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "offene-daten: object "));
  g_assert_nonnull (strstr (error->message, " is shorter than the "));
  assert_meta (fixture, "sync.last-ok", "false");
  assert_meta (fixture, "sync.last-error", error->message);
  {
    g_autofree char *now = installed_packs (fixture);
    g_assert_cmpstr (now, ==, "");
  }

  g_mutex_lock (&server->lock);
  first_bytes = server->bytes_sent;
  g_mutex_unlock (&server->lock);
  test_server_reset_log (server);
  result = run_ok (sync);
  g_assert_cmpuint (result->changes->len, ==, 1);
  /* Only the rest of the cut file was asked for, with a Range. */
  g_assert_cmpuint (server->log->len, ==, 3);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (server->log, 2), "206 /objects/"));
  g_assert_cmpuint (first_bytes + server->bytes_sent, <, 200 * 1024 + 4096);
  packs = installed_packs (fixture);
  g_assert_cmpstr (packs, ==, "offene-daten=1");
}

/* Objects of several MiB go through the download pipeline (read ahead while the previous
 * chunk is hashed and written): a cut transfer resumes, every object verifies, and each
 * Markdown asset is stored whole while its searchable text is capped at 256 KiB. */
static void
test_large_objects (Fixture       *fixture,
                    gconstpointer  data)
{
  const gsize search_max = 256 * 1024;
  g_autofree char *dir = g_build_filename (fixture->tmp, "src", "gross-1", NULL);
  g_autoptr(TestServer) server = test_server_new (fixture->channel);
  g_autoptr(DigithekSync) sync = NULL;
  g_autoptr(DigithekSyncResult) result = NULL;
  g_autoptr(GString) umlauts = g_string_new ("# Gro\xc3\x9f\n\n");
  g_autoptr(GString) ascii = g_string_new ("# Lang\n\n");
  g_autofree char *packs = NULL;
  const GString *texts[2];
  guint line = 0;

  /* 9 bytes of heading, then two-byte characters only: byte 256 Ki falls inside one. */
  while (umlauts->len < 3 * 1024 * 1024)
    g_string_append (umlauts, "\xc3\xa4");
  /* Not a whole number of chunks: the last one is partial. */
  while (ascii->len < 2 * 1024 * 1024 + 12345)
    g_string_append_printf (ascii, "Zeile %u.\n", line++);
  texts[0] = umlauts;
  texts[1] = ascii;
  {
    g_autofree char *a = g_build_filename (dir, "texts", "0.md", NULL);
    g_autofree char *b = g_build_filename (dir, "texts", "1.md", NULL);
    g_autofree char *json_path = g_build_filename (dir, "pack.json", NULL);
    const char *json =
      "{\"format\": 1, \"id\": \"gross\", \"version\": 1, \"title\": {\"de\": \"Gro\xc3\x9f\"},"
      " \"languages\": [\"de\"], \"items\": ["
      " {\"id\": \"thema-0\", \"kind\": \"explainer\", \"title\": {\"de\": \"Umlaute\"},"
      "  \"body\": {\"de\": \"texts/0.md\"}},"
      " {\"id\": \"thema-1\", \"kind\": \"explainer\", \"title\": {\"de\": \"Zeilen\"},"
      "  \"body\": {\"de\": \"texts/1.md\"}}]}\n";

    write_file (a, umlauts->str, umlauts->len);
    write_file (b, ascii->str, ascii->len);
    write_file (json_path, json, -1);
  }
  publish (fixture->channel, fixture->key, dir, 3);

  g_mutex_lock (&server->lock);
  /* The manifest comes through, the first file is cut somewhere, then all goes well. */
  g_queue_push_tail (&server->script, GUINT_TO_POINTER (FAULT_NONE));
  g_queue_push_tail (&server->script, GUINT_TO_POINTER (FAULT_DROP));
  g_mutex_unlock (&server->lock);

  sync = fixture_sync (fixture, server->url);
  result = run_ok (sync);
  g_assert_cmpuint (result->changes->len, ==, 1);
  g_assert_cmpuint (result->objects_downloaded, ==, 3);
  packs = installed_packs (fixture);
  g_assert_cmpstr (packs, ==, "gross=1");
  {
    gboolean resumed = FALSE;

    for (guint i = 0; i < server->log->len; i++)
      resumed |= g_str_has_prefix (g_ptr_array_index (server->log, i), "206 /objects/");
    g_assert_true (resumed);
  }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) whole = g_bytes_new_static (texts[i]->str, texts[i]->len);
      g_autofree char *sha = digithek_channel_sha256_hex (whole);
      g_autoptr(GBytes) asset = tu_store_get_asset (fixture->store, sha, NULL,
                                                    &error);
      g_autofree char *item_id = g_strdup_printf ("thema-%u", i);
      DigithekStoreItem *item = NULL;
      gsize body_len;

      /* The asset, what the view shows, is whole. */
      g_assert_no_error (error);
      g_assert_nonnull (asset);
      g_assert_true (g_bytes_equal (asset, whole));

      /* The search text is its beginning, at most 256 KiB, cut between characters. */
      item = tu_store_get_item (fixture->store, "gross", item_id, "de", NULL,
                                &error);
      g_assert_no_error (error);
      g_assert_nonnull (item->body);
      body_len = strlen (item->body);
      g_assert_cmpuint (body_len, <=, search_max);
      g_assert_cmpuint (body_len, >, search_max - 4);
      g_assert_true (g_utf8_validate (item->body, -1, NULL));
      g_assert_cmpint (memcmp (item->body, texts[i]->str, body_len), ==, 0);
      if (i == 0)
        g_assert_cmpuint (body_len, ==, search_max - 1);  /* backed off a split "ä" */
      digithek_store_item_free (item);
    }
}

/* Staging that cannot be written: a clean one-line refusal naming the file. */
static void
test_staging_io_error (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "e-government", 1, 1, 300, NULL);
  g_autofree char *staging = g_build_filename (fixture->tmp, "staging", NULL);
  g_autofree char *blocker = g_build_filename (staging, "objects", NULL);
  const char *keys[] = { fixture->key_pub, NULL };
  g_autoptr(DigithekSync) sync = NULL;
  g_autoptr(DigithekSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  publish (fixture->channel, fixture->key, v1, 0);
  /* A file where the objects folder should be. */
  write_file (blocker, "in the way", -1);
  sync = digithek_sync_new (fixture->channel, keys, fixture->store, staging);
  result = digithek_sync_run_sync (sync, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO);
  g_assert_nonnull (strstr (error->message, blocker));
  g_assert_null (strchr (error->message, '\n'));
  {
    g_autofree char *now = installed_packs (fixture);
    g_assert_cmpstr (now, ==, "");
  }
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  DigithekSyncResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = digithek_sync_run_finish (DIGITHEK_SYNC (source), res, &error);
  g_assert_no_error (error);
}

static void
busy_done_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  gboolean *busy = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekSyncResult) result = digithek_sync_run_finish (DIGITHEK_SYNC (source),
                                                                   res, &error);

  g_assert_null (result);
  g_assert_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_BUSY);
  *busy = TRUE;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "e-government", 1, 2, 300, NULL);
  g_autoptr(DigithekSync) sync = fixture_sync (fixture, fixture->channel);
  DigithekSyncResult *result = NULL;
  gboolean busy = FALSE;

  publish (fixture->channel, fixture->key, v1, 0);
  digithek_sync_run_async (sync, NULL, async_done_cb, &result);
  digithek_sync_run_async (sync, NULL, busy_done_cb, &busy);
  while (result == NULL || !busy)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (result->changes->len, ==, 1);
  digithek_sync_result_free (result);
}

static void
test_next_delay (void)
{
  /* After a success: the interval, jittered by at most 10 %. */
  g_assert_cmpuint (digithek_sync_next_delay (3600, 0, 0), ==, 3240);
  g_assert_cmpuint (digithek_sync_next_delay (3600, 0, G_MAXUINT32), ==, 3960);
  g_assert_cmpuint (digithek_sync_next_delay (3600, 0, G_MAXUINT32 / 2), ==, 3599);
  /* After failures: 60 s, doubling, capped at an hour whatever the interval. */
  g_assert_cmpuint (digithek_sync_next_delay (3600, 1, G_MAXUINT32 / 2), ==, 59);
  g_assert_cmpuint (digithek_sync_next_delay (3600, 2, G_MAXUINT32 / 2), ==, 119);
  g_assert_cmpuint (digithek_sync_next_delay (3600, 7, G_MAXUINT32 / 2), ==, 3599);
  g_assert_cmpuint (digithek_sync_next_delay (3600, 1000, 0), ==, 3240);
  g_assert_cmpuint (digithek_sync_next_delay (900, 5, G_MAXUINT32 / 2), ==, 959);
  g_assert_cmpuint (digithek_sync_next_delay (900, 7, G_MAXUINT32 / 2), ==, 3599);
  g_assert_cmpuint (digithek_sync_next_delay (0, 0, 0), ==, 1);
}

/* A staff rollback sticks: the next syncs skip exactly the version rolled back, a newer
 * one installs and ends the skip. */
static void
test_rollback_sticks (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "e-government", 1, 2, 300, "eins");
  g_autofree char *v2 = make_pack (fixture->tmp, "e-government", 2, 2, 300, "zwei");
  g_autofree char *v3 = make_pack (fixture->tmp, "e-government", 3, 2, 300, "drei");
  g_autofree char *other = make_pack (fixture->tmp, "smart-city", 1, 1, 300, NULL);
  g_autoptr(DigithekSync) sync = fixture_sync (fixture, fixture->channel);
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  publish (fixture->channel, fixture->key, v1, 0);
  digithek_sync_result_free (run_ok (sync));
  publish (fixture->channel, fixture->key, v2, 0);
  {
    g_autoptr(DigithekSyncResult) result = run_ok (sync);
    g_autofree char *packs = installed_packs (fixture);

    g_assert_cmpstr (packs, ==, "e-government=2");
  }

  /* No previous version: refused, and no skip is left behind. */
  g_assert_false (digithek_sync_rollback_pack (fixture->store, "smart-city", NULL, NULL,
                                               &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_meta (fixture, "sync.skip:smart-city", NULL);

  g_assert_true (digithek_sync_rollback_pack (fixture->store, "e-government", &version, NULL,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 1);
  assert_meta (fixture, "sync.skip:e-government", "2");
  {
    g_autofree char *packs = installed_packs (fixture);
    g_assert_cmpstr (packs, ==, "e-government=1");
  }
  /* Version 1 has no previous one now: a second rollback is refused, the skip stays. */
  g_assert_false (digithek_sync_rollback_pack (fixture->store, "e-government", NULL, NULL,
                                               &error));
  g_assert_error (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NO_PREVIOUS);
  g_clear_error (&error);
  assert_meta (fixture, "sync.skip:e-government", "2");

  /* A newer index (another pack changed) still lists e-government 2: not reinstalled. */
  publish (fixture->channel, fixture->key, other, 0);
  {
    g_autoptr(DigithekSyncResult) result = run_ok (sync);
    g_autofree char *packs = installed_packs (fixture);
    DigithekSyncChange *change;

    g_assert_cmpuint (result->changes->len, ==, 1);
    change = g_ptr_array_index (result->changes, 0);
    g_assert_cmpstr (change->id, ==, "smart-city");
    g_assert_cmpstr (packs, ==, "e-government=1,smart-city=1");
    assert_meta (fixture, "sync.skip:e-government", "2");
    assert_meta (fixture, "sync.last-ok", "true");
  }

  /* Version 3 installs and ends the skip. */
  publish (fixture->channel, fixture->key, v3, 0);
  {
    g_autoptr(DigithekSyncResult) result = run_ok (sync);
    g_autofree char *packs = installed_packs (fixture);
    DigithekSyncChange *change;

    g_assert_cmpuint (result->changes->len, ==, 1);
    change = g_ptr_array_index (result->changes, 0);
    g_assert_cmpint (change->old_version, ==, 1);
    g_assert_cmpint (change->new_version, ==, 3);
    g_assert_cmpstr (packs, ==, "e-government=3,smart-city=1");
    assert_meta (fixture, "sync.skip:e-government", NULL);
  }
}

static void
rollback_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_rollback_async (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *v1 = make_pack (fixture->tmp, "e-government", 1, 1, 300, "eins");
  g_autofree char *v2 = make_pack (fixture->tmp, "e-government", 2, 1, 300, "zwei");
  g_autoptr(DigithekSync) sync = fixture_sync (fixture, fixture->channel);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *packs = NULL;
  gint64 version = 0;

  publish (fixture->channel, fixture->key, v1, 0);
  digithek_sync_result_free (run_ok (sync));
  publish (fixture->channel, fixture->key, v2, 0);
  digithek_sync_result_free (run_ok (sync));

  digithek_sync_rollback_pack_async (fixture->store, "e-government", NULL, rollback_done_cb,
                                     &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (digithek_sync_rollback_pack_finish (fixture->store, result, &version,
                                                     &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 1);
  packs = installed_packs (fixture);
  g_assert_cmpstr (packs, ==, "e-government=1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add ("/content/sync/local-folder", Fixture, NULL, fixture_setup, test_local_folder,
              fixture_teardown);
  g_test_add ("/content/sync/http-one-file-change", Fixture, NULL, fixture_setup,
              test_http_one_file_change, fixture_teardown);
  g_test_add ("/content/sync/http-faults", Fixture, NULL, fixture_setup, test_http_faults,
              fixture_teardown);
  g_test_add ("/content/sync/http-each-fault", Fixture, NULL, fixture_setup,
              test_http_each_fault, fixture_teardown);
  g_test_add ("/content/sync/attacks", Fixture, NULL, fixture_setup, test_attacks,
              fixture_teardown);
  g_test_add ("/content/sync/object-longer", Fixture, NULL, fixture_setup,
              test_object_longer, fixture_teardown);
  g_test_add ("/content/sync/resume-across-runs", Fixture, NULL, fixture_setup,
              test_resume_across_runs, fixture_teardown);
  g_test_add ("/content/sync/large-objects", Fixture, NULL, fixture_setup,
              test_large_objects, fixture_teardown);
  g_test_add ("/content/sync/staging-io-error", Fixture, NULL, fixture_setup,
              test_staging_io_error, fixture_teardown);
  g_test_add ("/content/sync/async", Fixture, NULL, fixture_setup, test_async,
              fixture_teardown);
  g_test_add_func ("/content/sync/next-delay", test_next_delay);
  g_test_add ("/content/sync/rollback-sticks", Fixture, NULL, fixture_setup,
              test_rollback_sticks, fixture_teardown);
  g_test_add ("/content/sync/rollback-async", Fixture, NULL, fixture_setup,
              test_rollback_async, fixture_teardown);
  g_test_add ("/content/sync/cli", Fixture, NULL, fixture_setup, test_cli, fixture_teardown);

  return g_test_run ();
}
