/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include <libsoup/soup.h>

#include "digithek-handoff.h"
#include "digithek-pack.h"
#include "digithek-store.h"
#include "digithek-test-util.h"
#include "store-test-util.h"

/* The servers run on a thread of their own, as the kiosk may run them, so that the
 * test can talk to them with blocking clients. */
typedef struct
{
  GMutex           lock;
  GCond            cond;
  gboolean         ready;
  GMainContext    *context;
  GMainLoop       *loop;
  DigithekHandoff *open;    /* no rate limit */
  DigithekHandoff *limited; /* the default rate limit */
  guint16          open_port;
  guint16          limited_port;
} Servers;

static char *tmp_dir;
static DigithekStore *store;
static Servers servers;

static const char *CSP_EXPECTED =
  "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

static gpointer
server_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (servers.context);
  servers.open = digithek_handoff_new (store, "127.0.0.1:0", NULL, "de", &error);
  g_assert_no_error (error);
  digithek_handoff_set_rate_limit (servers.open, 0, 1);
  g_assert_true (digithek_handoff_start (servers.open, &error));
  g_assert_no_error (error);
  servers.limited = digithek_handoff_new (store, "127.0.0.1:0", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (digithek_handoff_start (servers.limited, &error));

  g_mutex_lock (&servers.lock);
  servers.open_port = digithek_handoff_get_port (servers.open);
  servers.limited_port = digithek_handoff_get_port (servers.limited);
  servers.ready = TRUE;
  g_cond_signal (&servers.cond);
  g_mutex_unlock (&servers.lock);

  g_main_loop_run (servers.loop);

  digithek_handoff_stop (servers.open);
  digithek_handoff_stop (servers.limited);
  g_clear_object (&servers.open);
  g_clear_object (&servers.limited);
  /* Let the cancelled store calls come back and free their requests. */
  while (g_main_context_iteration (servers.context, FALSE))
    ;
  g_main_context_pop_thread_default (servers.context);
  return NULL;
}

static void
import_pack (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekPack) pack = digithek_pack_load (dir, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (tu_store_import_pack (store, pack, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A pack whose texts try to inject markup and scripts. */
static void
import_hostile_pack (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "hostile", NULL);

  dt_write_file (dir, "pack.json",
                 "{\"format\": 1, \"id\": \"hostile\", \"version\": 1,"
                 " \"title\": {\"de\": \"Böse <b>Pack</b>\"}, \"languages\": [\"de\"],"
                 " \"items\": [{\"id\": \"text\", \"kind\": \"explainer\","
                 "   \"title\": {\"de\": \"Titel <script>alert(1)</script>\"},"
                 "   \"body\": {\"de\": \"text.md\"}}]}");
  dt_write_file (dir, "text.md",
                 "# Überschrift\n\n<script>alert('x')</script>\n\n"
                 "<img src=x onerror=alert(1)>\n\n"
                 "[ein Link](https://example.org/weiter) und "
                 "[böse](javascript:alert(1))\n");
  import_pack (dir);
}

/* ---- clients ---- */

typedef struct
{
  guint       status;
  char       *body;
  gsize       length;
  SoupMessageHeaders *headers;
} Response;

static void
response_free (Response *response)
{
  g_free (response->body);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static Response *
fetch (guint16     port,
       const char *method,
       const char *path)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Response *response = g_new0 (Response, 1);

  g_assert_nonnull (msg);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  response->length = g_bytes_get_size (bytes);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return response;
}

/* Sends @request exactly as written (no client normalises it) and returns the status
 * of the answer, reading until the server closes or @request's answer is complete. */
static guint
fetch_raw (guint16     port,
           const char *request,
           gsize       length)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  GOutputStream *output;
  GInputStream *input;
  char buffer[4096];
  gssize n;
  guint status = 0;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  /* The server may answer and close before reading all of a body it refuses. */
  g_output_stream_write_all (output, request, length, NULL, NULL, NULL);
  while ((n = g_input_stream_read (input, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_string_append_len (answer, buffer, n);
      if (strstr (answer->str, "\r\n\r\n") != NULL)
        break;
    }
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 "));
  status = (guint) g_ascii_strtoull (answer->str + 9, NULL, 10);
  return status;
}

static guint
fetch_raw_path (guint16     port,
                const char *path)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Connection: close\r\n\r\n", path);

  return fetch_raw (port, request, strlen (request));
}

/* ---- pages ---- */

static void
assert_safe_headers (Response *response)
{
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Security-Policy"),
                   ==, CSP_EXPECTED);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Referrer-Policy"),
                   ==, "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-Content-Type-Options"),
                   ==, "nosniff");
  g_assert_null (soup_message_headers_get_one (response->headers, "Set-Cookie"));
  g_assert_null (soup_message_headers_get_one (response->headers, "Server"));
}

static const char *steps_de[] = {
  "Was Sie brauchen", "Die AusweisApp installieren", "Ihre eigene PIN festlegen",
  "Den Online-Ausweis nutzen", "Wenn etwas nicht klappt",
};

static void
test_guide_page (void)
{
  g_autoptr(Response) page = fetch (servers.open_port, "GET", "/i/e-government/online-ausweis");
  g_autoptr(Response) english = NULL;

  g_assert_cmpuint (page->status, ==, 200);
  assert_safe_headers (page);
  g_assert_cmpstr (soup_message_headers_get_content_type (page->headers, NULL), ==,
                   "text/html");
  g_assert_nonnull (strstr (page->body, "<html lang=\"de\">"));
  g_assert_nonnull (strstr (page->body, "<h1>Den Online-Ausweis einrichten</h1>"));
  for (guint i = 0; i < G_N_ELEMENTS (steps_de); i++)
    {
      g_autofree char *anchor = g_strdup_printf ("<section id=\"step-%u\"", i + 1);
      g_autofree char *toc = g_strdup_printf ("<a href=\"#step-%u\">", i + 1);

      g_assert_nonnull (strstr (page->body, anchor));
      g_assert_nonnull (strstr (page->body, toc));
      g_assert_nonnull (strstr (page->body, steps_de[i]));
    }
  /* Markdown became HTML, with the text's headings below the step's. */
  g_assert_nonnull (strstr (page->body, "<strong>Online-Ausweisfunktion</strong>"));
  g_assert_nonnull (strstr (page->body, "<h3>Was Sie brauchen</h3>"));
  g_assert_null (strstr (page->body, "<script"));
  g_assert_null (strstr (page->body, "http://"));
  /* Switching language is a link, not a script. */
  g_assert_nonnull (strstr (page->body, "href=\"?lang=en\""));

  english = fetch (servers.open_port, "GET", "/i/e-government/online-ausweis?lang=en");
  g_assert_cmpuint (english->status, ==, 200);
  g_assert_nonnull (strstr (english->body, "<html lang=\"en\">"));
  g_assert_nonnull (strstr (english->body, "What you need"));
  g_assert_nonnull (strstr (english->body, "Step 2"));

  /* An unknown or invalid language falls back to the default, never to an error. */
  g_clear_pointer (&english, response_free);
  english = fetch (servers.open_port, "GET", "/i/e-government/online-ausweis?lang=%3Cx%3E");
  g_assert_cmpuint (english->status, ==, 200);
  g_assert_nonnull (strstr (english->body, "<html lang=\"de\">"));
}

static void
test_dataset_page (void)
{
  g_autoptr(Response) page = fetch (servers.open_port, "GET",
                                    "/i/offene-daten-konstanz/luftqualitaet-konstanz");
  guint rows = 0;

  g_assert_cmpuint (page->status, ==, 200);
  assert_safe_headers (page);
  g_assert_nonnull (strstr (page->body, "<table>"));
  g_assert_nonnull (strstr (page->body, "<th scope=\"col\">startZeit</th>"));
  /* The series by their labels (chart.labels), the time column by its name. */
  g_assert_nonnull (strstr (page->body, "<th scope=\"col\">Feinstaub PM2,5</th>"));
  g_assert_null (strstr (page->body, "<th scope=\"col\">pm25</th>"));
  g_assert_nonnull (strstr (page->body, "Stickstoffdioxid"));  /* the summary */
  g_assert_nonnull (strstr (page->body, "LUBW Landesanstalt")); /* the source */
  g_assert_nonnull (strstr (page->body, "dl-de/by-2-0"));      /* the licence's id, */
  /* and its name, as a citizen reads it */
  g_assert_nonnull (strstr (page->body, "Datenlizenz Deutschland – Namensnennung – Version 2.0"));
  g_assert_nonnull (strstr (page->body, "<dt>Lizenz</dt>"));
  /* Decimal commas in German, and the first reading of the file. */
  g_assert_nonnull (strstr (page->body, "<td>19,57</td>"));
  for (const char *p = page->body; (p = strstr (p, "<tr>")) != NULL; p++)
    rows++;
  g_assert_cmpuint (rows, ==, 168 + 1);
}

static void
test_explainer_escapes (void)
{
  g_autoptr(Response) page = fetch (servers.open_port, "GET", "/i/hostile/text");

  g_assert_cmpuint (page->status, ==, 200);
  g_assert_null (strstr (page->body, "<script"));
  g_assert_null (strstr (page->body, "<img src=x"));
  g_assert_null (strstr (page->body, "javascript:"));
  g_assert_nonnull (strstr (page->body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  g_assert_nonnull (strstr (page->body, "<a href=\"https://example.org/weiter\">ein Link</a>"));
  g_assert_nonnull (strstr (page->body, "<h2>Überschrift</h2>"));
}

static void
test_assets (void)
{
  g_autoptr(Response) page = fetch (servers.open_port, "GET", "/i/e-government/online-ausweis");
  g_autoptr(Response) image = NULL;
  g_autoptr(Response) other = NULL;
  const char *src = strstr (page->body, "src=\"../../asset/");
  g_autofree char *sha = NULL;
  g_autofree char *path = NULL;

  g_assert_nonnull (src);
  sha = g_strndup (src + strlen ("src=\"../../asset/"), 64);
  path = g_strdup_printf ("/asset/%s", sha);
  image = fetch (servers.open_port, "GET", path);
  g_assert_cmpuint (image->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (image->headers, NULL), ==,
                   "image/png");
  g_assert_true (memcmp (image->body, "\x89PNG", 4) == 0);
  assert_safe_headers (image);

  /* A hash that no page showed is not found, even when the store holds it: the
   * Markdown texts are assets too. */
  other = fetch (servers.open_port, "GET",
                 "/asset/0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_cmpuint (other->status, ==, 404);
  g_clear_pointer (&other, response_free);
  /* The other server never rendered a page: its asset table is its own. */
  other = fetch (servers.limited_port, "GET", path);
  g_assert_cmpuint (other->status, ==, 404);
}

static void
test_not_found (void)
{
  const char *paths[] = {
    "/", "/i", "/i/", "/i/e-government", "/i/e-government/", "/i/e-government/nope",
    "/i/nope/online-ausweis", "/i/e-government/online-ausweis/", "/i/E-Government/x",
    "/status", "/admin", "/store.db", "/asset", "/asset/", "/asset/abc", "/favicon.ico",
    "/i/e-government/online-ausweis/extra",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Response) response = fetch (servers.open_port, "GET", paths[i]);

      g_test_message ("%s", paths[i]);
      g_assert_cmpuint (response->status, ==, 404);
      assert_safe_headers (response);
    }
}

static void
test_traversal (void)
{
  const char *paths[] = {
    "/i/../../../etc/passwd",
    "/i/e-government/../../../../etc/passwd",
    "/i/%2e%2e%2f%2e%2e%2fetc/passwd",
    "/i/%2e%2e/%2e%2e/etc/passwd",
    "/i/e-government/%2e%2e%2f%2e%2e%2fstore.db",
    "/asset/..%2f..%2fstore.db",
    "/asset/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/i/e-government%2fonline-ausweis",
    "/i/e-government/online-ausweis%00",
    "/%2e%2e/%2e%2e/etc/passwd",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_test_message ("%s", paths[i]);
      g_assert_cmpuint (fetch_raw_path (servers.open_port, paths[i]), ==, 404);
    }
}

static void
test_head (void)
{
  g_autoptr(Response) head = fetch (servers.open_port, "HEAD", "/i/e-government/online-ausweis");

  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpuint (head->length, ==, 0);
  g_assert_cmpint (soup_message_headers_get_content_length (head->headers), >, 1000);
  assert_safe_headers (head);
}

static void
test_methods (void)
{
  const char *methods[] = { "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(Response) response = fetch (servers.open_port, methods[i],
                                            "/i/e-government/online-ausweis");

      g_test_message ("%s", methods[i]);
      g_assert_cmpuint (response->status, ==, 405);
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Allow"), ==,
                       "GET, HEAD");
    }
}

static void
test_oversized (void)
{
  g_autoptr(GString) path = g_string_new ("/i/e-government/online-ausweis?x=");
  g_autoptr(GString) request = NULL;
  g_autofree char *body = NULL;

  /* A long URI: 414, before any page is rendered. */
  while (path->len <= 9000)
    g_string_append_c (path, 'a');
  g_assert_cmpuint (fetch_raw_path (servers.open_port, path->str), ==, 414);

  /* A body on a read-only server: refused from the headers, never read. */
  body = g_malloc0 (1 << 20);
  memset (body, 'x', 1 << 20);
  request = g_string_new ("GET /i/e-government/online-ausweis HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Length: 1048576\r\n\r\n");
  g_string_append_len (request, body, 1 << 20);
  g_assert_cmpuint (fetch_raw (servers.open_port, request->str, request->len), ==, 413);

  g_string_assign (request, "POST /i/e-government/online-ausweis HTTP/1.1\r\n"
                            "Host: 127.0.0.1\r\nContent-Length: 1048576\r\n\r\n");
  g_string_append_len (request, body, 1 << 20);
  g_assert_cmpuint (fetch_raw (servers.open_port, request->str, request->len), ==, 405);

  g_string_assign (request, "GET /i/e-government/online-ausweis HTTP/1.1\r\n"
                            "Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n0\r\n\r\n");
  g_assert_cmpuint (fetch_raw (servers.open_port, request->str, request->len), ==, 413);

  /* Headers beyond 8 KiB. */
  g_string_assign (request, "GET /i/e-government/online-ausweis HTTP/1.1\r\n"
                            "Host: 127.0.0.1\r\nX-Padding: ");
  for (guint i = 0; i < 9000; i++)
    g_string_append_c (request, 'p');
  g_string_append (request, "\r\nConnection: close\r\n\r\n");
  g_assert_cmpuint (fetch_raw (servers.open_port, request->str, request->len), ==, 431);

  /* The server still serves afterwards. */
  g_assert_cmpuint (fetch_raw_path (servers.open_port, "/i/e-government/online-ausweis"), ==,
                    200);
}

static void
test_rate_limit (void)
{
  guint ok = 0;
  guint limited = 0;
  guint i;

  /* Earlier tests used this server: wait until its bucket for us is full again. */
  g_usleep (DIGITHEK_HANDOFF_DEFAULT_BURST / DIGITHEK_HANDOFF_DEFAULT_RATE * G_USEC_PER_SEC);

  /* One client, back to back: the burst passes, then the bucket is empty. */
  for (i = 0; i < 60; i++)
    {
      guint status = fetch_raw_path (servers.limited_port, "/nope");

      if (status == 429)
        limited++;
      else
        {
          g_assert_cmpuint (status, ==, 404);
          ok++;
        }
    }
  g_test_message ("rate limit: %u answered, %u refused with 429", ok, limited);
  g_assert_cmpuint (ok, >=, DIGITHEK_HANDOFF_DEFAULT_BURST);
  g_assert_cmpuint (ok, <, 60);
  g_assert_cmpuint (limited, >, 0);

  /* The bucket refills: after a second, requests pass again. */
  g_usleep (G_USEC_PER_SEC);
  g_assert_cmpuint (fetch_raw_path (servers.limited_port, "/nope"), ==, 404);
}

/* ---- load ---- */

static gsize
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return (gsize) g_ascii_strtoull (line + 6 + strspn (line + 6, " \t"), NULL, 10);
}

typedef struct
{
  GMainLoop *loop;
  guint      remaining;
  guint      ok;
  guint      failed;
} Load;

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Load *load = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes != NULL && soup_message_get_status (msg) == 200 &&
      g_bytes_get_size (bytes) > 1000)
    load->ok++;
  else
    {
      if (load->failed == 0)
        g_test_message ("first failure: %s, status %u", error != NULL ? error->message : "-",
                        soup_message_get_status (msg));
      load->failed++;
    }
  if (--load->remaining == 0)
    g_main_loop_quit (load->loop);
}

static void
run_load (guint n)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/i/e-government/online-ausweis",
                                          servers.open_port);
  Load load = { 0, };

  g_main_context_push_thread_default (context);
  loop = g_main_loop_new (context, FALSE);
  session = soup_session_new_with_options ("max-conns", n, "max-conns-per-host", n,
                                           "timeout", 60, NULL);
  load.loop = loop;
  load.remaining = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                        load_done_cb, &load);
    }
  g_main_loop_run (loop);
  g_clear_object (&session);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  g_assert_cmpuint (load.failed, ==, 0);
  g_assert_cmpuint (load.ok, ==, n);
}

static void
test_concurrent (void)
{
  struct rlimit limit;
  gsize before, after_first, after_second, after_third;
  gint64 start, elapsed;

  /* Both ends of 1,000 connections live in this process. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_cur < 2500 && limit.rlim_max >= 2500)
    {
      limit.rlim_cur = MIN (limit.rlim_max, 4096);
      g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
    }
  if (limit.rlim_cur < 2500)
    {
      g_test_skip ("fewer than 2,500 file descriptors allowed");
      return;
    }

  before = rss_kib ();
  start = g_get_monotonic_time ();
  run_load (1000);
  elapsed = g_get_monotonic_time () - start;
  after_first = rss_kib ();
  run_load (1000);
  after_second = rss_kib ();
  run_load (1000);
  after_third = rss_kib ();
  g_test_message ("1,000 concurrent requests: %.0f ms; RSS %zu KiB before, %zu after the "
                  "first round, %zu after the second, %zu after the third",
                  elapsed / 1000.0, before, after_first, after_second, after_third);
#if defined(__SANITIZE_ADDRESS__)
  /* AddressSanitizer's quarantine holds freed memory back on purpose: RSS says nothing
   * about our growth there. The regular build checks the bound. */
  g_test_message ("memory bound not checked under AddressSanitizer");
#else
  /* The first round grows the heap (connections, buffers); later rounds reuse it. */
  g_assert_cmpuint (after_first, <, before + 128 * 1024);
  g_assert_cmpuint (after_third, <, after_first + 16 * 1024);
#endif
}

/* ---- URLs ---- */

static void
test_item_url (void)
{
  g_autoptr(DigithekHandoff) handoff = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *step = NULL;

  handoff = digithek_handoff_new (store, "0.0.0.0:8088", "http://192.168.10.5:8088/", NULL,
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digithek_handoff_get_base_url (handoff), ==, "http://192.168.10.5:8088");
  url = digithek_handoff_item_url (handoff, "e-government", "online-ausweis", 0, NULL);
  g_assert_cmpstr (url, ==, "http://192.168.10.5:8088/i/e-government/online-ausweis");
  step = digithek_handoff_item_url (handoff, "e-government", "online-ausweis", 2, "en");
  g_assert_cmpstr (step, ==,
                   "http://192.168.10.5:8088/i/e-government/online-ausweis?lang=en#step-2");
  g_assert_null (digithek_handoff_item_url (handoff, "../x", "y", 0, NULL));
  g_assert_null (digithek_handoff_item_url (handoff, "x", "y", 0, "<en>"));
}

static void
test_new_errors (void)
{
  const char *bad_listen[] = { "localhost:80", "1.2.3.4:99999", "::1:80", "[::1]x", "a:b" };
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekHandoff) ok = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_listen); i++)
    {
      g_autoptr(DigithekHandoff) handoff = digithek_handoff_new (store, bad_listen[i],
                                                                 "http://k:1", NULL, &error);

      g_assert_null (handoff);
      g_assert_error (error, DIGITHEK_HANDOFF_ERROR, DIGITHEK_HANDOFF_ERROR_INVALID_ADDRESS);
      g_clear_error (&error);
    }
  g_assert_null (digithek_handoff_new (store, ":8088", NULL, NULL, &error));
  g_assert_error (error, DIGITHEK_HANDOFF_ERROR, DIGITHEK_HANDOFF_ERROR_INVALID_BASE_URL);
  g_clear_error (&error);
  g_assert_null (digithek_handoff_new (store, ":8088", "ftp://k/", NULL, &error));
  g_assert_error (error, DIGITHEK_HANDOFF_ERROR, DIGITHEK_HANDOFF_ERROR_INVALID_BASE_URL);
  g_clear_error (&error);
  ok = digithek_handoff_new (store, "[::1]:0", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (digithek_handoff_start (ok, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (digithek_handoff_get_base_url (ok), "http://[::1]:"));
  digithek_handoff_stop (ok);
}

/* digithek_handoff_url_for_item() on a manifest given as text, as the store keeps it. */
static char *
url_for_manifest (DigithekHandoff *handoff,
                  const char      *manifest_json,
                  const char      *pack_id,
                  const char      *item_id,
                  guint            step,
                  const char      *language,
                  gboolean         prefer_local)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, manifest_json, -1, NULL));
  return digithek_handoff_url_for_item (handoff, json_node_get_object (json_parser_get_root (parser)),
                                        pack_id, item_id, step, language, prefer_local);
}

static void
test_url_for_item (void)
{
  g_autoptr(DigithekHandoff) handoff = NULL;
  g_autoptr(GError) error = NULL;
  const char *guide = "{\"id\": \"ausweis\", \"kind\": \"guide\","
                      " \"web\": \"https://www.konstanz.de/bürgerservice/ausweis\","
                      " \"web_step\": \"https://www.konstanz.de/bürgerservice/ausweis"
                      "#schritt-{step}\"}";
  const char *plain = "{\"id\": \"x\", \"kind\": \"explainer\","
                      " \"web\": \"https://example.org/a b?q=ä&r=1#top\"}";
  const char *idn = "{\"id\": \"x\", \"kind\": \"explainer\","
                    " \"web\": \"https://bürgeramt.example/straße\"}";
  const char *none = "{\"id\": \"x\", \"kind\": \"explainer\"}";
  const char *not_web = "{\"id\": \"x\", \"kind\": \"explainer\", \"web\": \"javascript:x\"}";
  char *url;

  handoff = digithek_handoff_new (store, "127.0.0.1:8088", "https://digithek.example/k1",
                                  NULL, &error);
  g_assert_no_error (error);

  url = url_for_manifest (handoff, guide, "p", "ausweis", 0, "de", FALSE);
  g_assert_cmpstr (url, ==, "https://www.konstanz.de/b%C3%BCrgerservice/ausweis");
  g_free (url);
  url = url_for_manifest (handoff, guide, "p", "ausweis", 3, "de", FALSE);
  g_assert_cmpstr (url, ==, "https://www.konstanz.de/b%C3%BCrgerservice/ausweis#schritt-3");
  g_free (url);
  url = url_for_manifest (handoff, guide, "p", "ausweis", 3, "en", TRUE);
  g_assert_cmpstr (url, ==, "https://digithek.example/k1/i/p/ausweis?lang=en#step-3");
  g_free (url);
  url = url_for_manifest (handoff, plain, "p", "x", 0, NULL, FALSE);
  g_assert_cmpstr (url, ==, "https://example.org/a%20b?q=%C3%A4&r=1#top");
  g_free (url);
  url = url_for_manifest (handoff, idn, "p", "x", 0, NULL, FALSE);
  g_assert_cmpstr (url, ==, "https://xn--brgeramt-65a.example/stra%C3%9Fe");
  g_free (url);
  url = url_for_manifest (handoff, none, "p", "x", 0, "de", FALSE);
  g_assert_cmpstr (url, ==, "https://digithek.example/k1/i/p/x?lang=de");
  g_free (url);
  url = url_for_manifest (handoff, not_web, "p", "x", 0, NULL, FALSE);
  g_assert_cmpstr (url, ==, "https://digithek.example/k1/i/p/x");
  g_free (url);
  /* A guide without web_step: the step cannot travel to the web, the item does. */
  url = url_for_manifest (handoff, plain, "p", "x", 2, NULL, FALSE);
  g_assert_cmpstr (url, ==, "https://example.org/a%20b?q=%C3%A4&r=1#top");
  g_free (url);
  g_assert_null (url_for_manifest (NULL, none, "p", "x", 0, NULL, FALSE));
  g_assert_null (digithek_handoff_url_for_item (NULL, NULL, "p", "x", 0, NULL, FALSE));
}

/* ---- a real browser ---- */

static void
test_chromium (void)
{
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autofree char *profile = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dom = NULL;
  g_autofree char *err = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *profile_arg = NULL;
  g_autofree char *shot_arg = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (chromium == NULL)
    {
      g_test_skip ("chromium is not installed");
      return;
    }

  profile = dt_make_tmp_dir ();
  profile_arg = g_strdup_printf ("--user-data-dir=%s", profile);
  url = g_strdup_printf ("http://127.0.0.1:%u/i/e-government/online-ausweis",
                         servers.open_port);
  {
    const char *argv[] = {
      chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      profile_arg, "--window-size=390,844", "--dump-dom", url, NULL,
    };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &dom, &err,
                  &wait_status, &error);
    g_assert_no_error (error);
  }
  g_assert_nonnull (strstr (dom, "<html lang=\"de\">"));
  for (guint i = 0; i < G_N_ELEMENTS (steps_de); i++)
    {
      g_autofree char *heading = g_strdup_printf ("id=\"step-%u-title\"", i + 1);

      g_assert_nonnull (strstr (dom, heading));
      g_assert_nonnull (strstr (dom, steps_de[i]));
    }

  /* The screenshot, for a person to look at: the build folder keeps it. */
  shot = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                           ? g_getenv ("G_TEST_BUILDDIR") : profile,
                           "handoff-guide-390x844.png", NULL);
  shot_arg = g_strdup_printf ("--screenshot=%s", shot);
  g_unlink (shot);
  {
    g_autofree char *out = NULL;
    g_autofree char *err2 = NULL;
    const char *argv[] = {
      chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      profile_arg, "--window-size=390,844", "--hide-scrollbars", shot_arg, url, NULL,
    };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err2,
                  &wait_status, &error);
    g_assert_no_error (error);
    g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));
    g_test_message ("screenshot: %s", shot);
  }
  dt_remove_tree (profile);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *dir = NULL;
  const char *demo = g_getenv ("DEMO_DIR");
  GThread *thread;
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_assert_nonnull (demo);
  tmp_dir = dt_make_tmp_dir ();
  store_path = g_build_filename (tmp_dir, "store.db", NULL);
  store = tu_store_new (store_path, NULL, &error);
  g_assert_no_error (error);
  dir = g_build_filename (demo, "e-government", NULL);
  import_pack (dir);
  g_free (dir);
  dir = g_build_filename (demo, "offene-daten-konstanz", NULL);
  import_pack (dir);
  import_hostile_pack ();

  servers.context = g_main_context_new ();
  servers.loop = g_main_loop_new (servers.context, FALSE);
  thread = g_thread_new ("handoff", server_thread, NULL);
  g_mutex_lock (&servers.lock);
  while (!servers.ready)
    g_cond_wait (&servers.cond, &servers.lock);
  g_mutex_unlock (&servers.lock);

  g_test_add_func ("/kiosk/handoff/guide-page", test_guide_page);
  g_test_add_func ("/kiosk/handoff/dataset-page", test_dataset_page);
  g_test_add_func ("/kiosk/handoff/explainer-escapes", test_explainer_escapes);
  g_test_add_func ("/kiosk/handoff/assets", test_assets);
  g_test_add_func ("/kiosk/handoff/not-found", test_not_found);
  g_test_add_func ("/kiosk/handoff/traversal", test_traversal);
  g_test_add_func ("/kiosk/handoff/head", test_head);
  g_test_add_func ("/kiosk/handoff/methods", test_methods);
  g_test_add_func ("/kiosk/handoff/oversized", test_oversized);
  g_test_add_func ("/kiosk/handoff/rate-limit", test_rate_limit);
  g_test_add_func ("/kiosk/handoff/concurrent", test_concurrent);
  g_test_add_func ("/kiosk/handoff/item-url", test_item_url);
  g_test_add_func ("/kiosk/handoff/new-errors", test_new_errors);
  g_test_add_func ("/kiosk/handoff/url-for-item", test_url_for_item);
  g_test_add_func ("/kiosk/handoff/chromium", test_chromium);
  ret = g_test_run ();

  g_main_loop_quit (servers.loop);
  g_thread_join (thread);
  g_main_loop_unref (servers.loop);
  g_main_context_unref (servers.context);
  digithek_store_close (store);
  g_clear_object (&store);
  dt_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
