/* SPDX-License-Identifier: GPL-3.0-or-later */
/* digithek-ckan: a SoupServer on loopback replays real CKAN and DKAN answers, broken
 * portals and real CSV quirks; the staff tool is run as a program for exit codes. */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/wait.h>

#include "digithek-ckan.h"
#include "digithek-licence.h"
#include "digithek-pack.h"

#define CKAN_DATASET "oh_rechnungsabschluss-ganserndorf-2004"
#define CKAN_RESOURCE_URL "https://www.offenerhaushalt.at/data/download/30817_2004_STA_RA"
#define DKAN_DATASET "fahrradzaehler-herose-bruecke"
#define LIAR_BYTES (70u * 1024 * 1024)

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  guint         port;
  char         *base;
  char         *herose;   /* the file /files/herose-2021.csv serves */
  GPtrArray    *jobs;     /* threads writing raw answers */
} TestServer;

static TestServer *server;

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "ckan", name, NULL);
}

static char *
fixture_text (const char *name)
{
  g_autofree char *path = fixture_path (name);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static char *
realdata_ckan_text (void)
{
  const char *dir = g_getenv ("REALDATA_DIR");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  char *result;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, "ckan", "austria_harvest_package_show_gaenserndorf.json", NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  result = g_steal_pointer (&text);
  return result;
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  GString *out = g_string_new (text);
  g_assert_nonnull (strstr (text, from));
  g_string_replace (out, from, to, 0);
  return g_string_free (out, FALSE);
}

/* ---- the server ---- */

typedef struct
{
  GIOStream *stream;
  char      *head;
  gsize      body_bytes;  /* 0: head only */
} RawJob;

/* Answers written by hand: a Content-Length far over the limit, or a body without one
 * that goes on past the limit. */
static gpointer
raw_job_thread (gpointer data)
{
  RawJob *job = data;
  GOutputStream *out = g_io_stream_get_output_stream (job->stream);
  g_autofree char *block = g_malloc (65536);
  gsize sent = 0;

  g_output_stream_write_all (out, job->head, strlen (job->head), NULL, NULL, NULL);
  g_output_stream_write_all (out, "Name;Wert\n", 10, NULL, NULL, NULL);
  for (gsize i = 0; i < 65536; i += 8)
    memcpy (block + i, "Ort;12\n\n", 8);
  while (sent < job->body_bytes)
    {
      if (!g_output_stream_write_all (out, block, 65536, NULL, NULL, NULL))
        break;  /* the client stopped reading, as it should */
      sent += 65536;
    }
  g_io_stream_close (job->stream, NULL, NULL);
  g_object_unref (job->stream);
  g_free (job->head);
  g_free (job);
  return NULL;
}

static void
raw_answer (SoupServerMessage *msg,
            const char        *head,
            gsize              body_bytes)
{
  RawJob *job = g_new0 (RawJob, 1);

  job->stream = g_object_ref (soup_server_message_steal_connection (msg));
  job->head = g_strdup (head);
  job->body_bytes = body_bytes;
  g_ptr_array_add (server->jobs, g_thread_new ("raw", raw_job_thread, job));
}

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *content_type,
        const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
serve_api (SoupServerMessage *msg,
           const char        *portal,
           const char        *id)
{
  const char *json = "application/json;charset=utf-8";
  g_autofree char *real = realdata_ckan_text ();

  if (g_str_equal (portal, "ckan") || g_str_equal (portal, "huge") || g_str_equal (portal, "liar")
      || g_str_equal (portal, "nocsv"))
    {
      g_autofree char *file = NULL;
      g_autofree char *body = NULL;

      if (id == NULL || !g_str_equal (id, CKAN_DATASET))
        {
          /* What CKAN 2.8 answers for an unknown dataset. */
          answer (msg, 404, json,
                  "{\"help\": \"http://localhost:5000/api/3/action/help_show?name=package_show\", "
                  "\"success\": false, \"error\": {\"message\": \"Not found\", "
                  "\"__type\": \"Not Found Error\"}}");
          return;
        }
      file = g_strdup_printf ("%s/files/%s", server->base,
                              g_str_equal (portal, "huge") ? "declared-huge.csv"
                              : g_str_equal (portal, "liar") ? "liar.csv"
                              : g_str_equal (portal, "nocsv") ? "rechnungsabschluss.xlsx"
                              : "bietigheim-bissingen.csv");
      body = replace (real, CKAN_RESOURCE_URL, file);
      if (g_str_equal (portal, "nocsv"))
        {
          g_autofree char *xlsx = replace (body, "\"format\": \"CSV\"", "\"format\": \"XLSX\"");
          answer (msg, 200, json, xlsx);
        }
      else
        answer (msg, 200, json, body);
    }
  else if (g_str_equal (portal, "dkan"))
    {
      g_autofree char *text = fixture_text ("dkan_package_show_herose.json");
      g_autofree char *body = replace (text, "@BASE@", server->base);
      answer (msg, 200, "application/json", body);
    }
  else if (g_str_equal (portal, "maintenance"))
    {
      g_autofree char *page = fixture_text ("maintenance.html");
      answer (msg, 200, "text/html; charset=utf-8", page);
    }
  else if (g_str_equal (portal, "refused"))
    answer (msg, 200, json,
            "{\"help\": \"…\", \"success\": false, \"error\": {\"message\": \"Zugriff "
            "verweigert: Der Datensatz ist nicht öffentlich\", \"__type\": "
            "\"Authorization Error\"}}");
  else if (g_str_equal (portal, "broken"))
    answer (msg, 500, "text/html", "<html><body>Internal Server Error</body></html>");
  else
    answer (msg, 404, "text/plain", "no such portal");
}

static void
server_handler_cb (SoupServer        *soup_server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", 2);

  if (g_str_equal (parts[0], "files") && parts[1] != NULL)
    {
      const char *name = parts[1];
      g_autofree char *file = NULL;
      g_autofree char *data = NULL;
      gsize len;

      if (g_str_equal (name, "declared-huge.csv"))
        {
          raw_answer (msg, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n"
                           "Content-Length: 104857600\r\nConnection: close\r\n\r\n", 0);
          return;
        }
      if (g_str_equal (name, "liar.csv"))
        {
          /* No Content-Length: the body ends when the server closes. */
          raw_answer (msg, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n"
                           "Connection: close\r\n\r\n", LIAR_BYTES);
          return;
        }
      if (g_str_equal (name, "herose-2021.csv"))
        name = server->herose;
      file = fixture_path (name);
      if (strstr (name, "..") != NULL || !g_file_get_contents (file, &data, &len, NULL))
        {
          answer (msg, 404, "text/plain", "not found");
          return;
        }
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_COPY, data, len);
      return;
    }

  if (parts[1] != NULL && g_str_equal (parts[1], "api/3/action/package_show"))
    {
      serve_api (msg, parts[0], query != NULL ? g_hash_table_lookup (query, "id") : NULL);
      return;
    }
  answer (msg, 404, "text/plain", "not found");
}

static gpointer
server_thread (gpointer data)
{
  g_autoptr(SoupServer) soup_server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);
  soup_server = soup_server_new ("server-header", "digithek-test", NULL);
  soup_server_add_handler (soup_server, NULL, server_handler_cb, NULL, NULL);
  soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup_server);

  g_mutex_lock (&server->lock);
  server->port = g_uri_get_port (uris->data);
  server->base = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  server->ready = TRUE;
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server->loop);
  soup_server_disconnect (soup_server);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static void
server_start (void)
{
  server = g_new0 (TestServer, 1);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->jobs = g_ptr_array_new ();
  server->herose = g_strdup ("herose-2021.csv");
  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->thread = g_thread_new ("server", server_thread, NULL);
  g_mutex_lock (&server->lock);
  while (!server->ready)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
}

static void
server_stop (void)
{
  g_main_loop_quit (server->loop);
  g_thread_join (server->thread);
  for (guint i = 0; i < server->jobs->len; i++)
    g_thread_join (g_ptr_array_index (server->jobs, i));
  g_ptr_array_unref (server->jobs);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_free (server->base);
  g_free (server->herose);
  g_free (server);
}

static void
server_set_herose (const char *name)
{
  g_mutex_lock (&server->lock);
  g_free (server->herose);
  server->herose = g_strdup (name);
  g_mutex_unlock (&server->lock);
}

static char *
portal (const char *name)
{
  return g_strdup_printf ("%s/%s", server->base, name);
}

/* ---- helpers ---- */

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-ckan-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *command = g_strconcat ("rm -rf ", quoted, NULL);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

static void
copy_tree (const char *from,
           const char *to)
{
  const char *argv[] = { "cp", "-a", from, to, NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
}

static GBytes *
read_bytes (const char *path)
{
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

static void
assert_no_stage_left (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".digithek-ckan-"));
}

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
save_json (const char *path,
           JsonNode   *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  json_generator_to_file (generator, path, &error);
  g_assert_no_error (error);
}

static JsonObject *
find_item_object (JsonNode   *root,
                  const char *id)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (root), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      if (g_str_equal (json_object_get_string_member (item, "id"), id))
        return item;
    }
  return NULL;
}

static DigithekPack *
assert_pack_valid (const char *dir)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  DigithekPack *pack = digithek_pack_load (dir, NULL, &problems, &error);

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_no_error (error);
  g_assert_nonnull (pack);
  return pack;
}

/* ---- unit tests ---- */

static void
test_license_map (void)
{
  static const struct
  {
    const char *id;
    const char *title;
    const char *expected;
    gboolean    known;
  } cases[] = {
    /* CKAN ids */
    { "cc-by", "Creative Commons Attribution", "CC-BY-4.0", TRUE },
    { "cc-by-40", "cc-by-40", "CC-BY-4.0", TRUE },  /* the real Austrian response */
    { "cc-by-4.0", NULL, "CC-BY-4.0", TRUE },
    { "cc-by-sa", "Creative Commons Attribution Share-Alike", "CC-BY-SA-4.0", TRUE },
    { "cc-zero", "Creative Commons CCZero", "CC0-1.0", TRUE },
    { "odc-odbl", "Open Data Commons Open Database License (ODbL)", "ODbL-1.0", TRUE },
    { "odc-by", NULL, "ODC-By-1.0", TRUE },
    { "odc-pddl", NULL, "PDDL-1.0", TRUE },
    { "dl-de-by-2.0", NULL, "dl-de/by-2-0", TRUE },
    { "dl-de-zero-2.0", NULL, "dl-de/zero-2-0", TRUE },
    { "dl-de/by-2-0", NULL, "dl-de/by-2-0", TRUE },
    { "CC-BY-4.0", NULL, "CC-BY-4.0", TRUE },
    /* GovData URIs */
    { "http://dcat-ap.de/def/licenses/dl-by-de/2.0", NULL, "dl-de/by-2-0", TRUE },
    { "http://dcat-ap.de/def/licenses/dl-zero-de/2.0", NULL, "dl-de/zero-2-0", TRUE },
    { "http://dcat-ap.de/def/licenses/cc-by/4.0", NULL, "CC-BY-4.0", TRUE },
    { "http://dcat-ap.de/def/licenses/cc-by-sa/4.0", NULL, "CC-BY-SA-4.0", TRUE },
    { "http://dcat-ap.de/def/licenses/cc-zero", NULL, "CC0-1.0", TRUE },
    { "http://dcat-ap.de/def/licenses/odbl", NULL, "ODbL-1.0", TRUE },
    { "http://dcat-ap.de/def/licenses/cc-by-de/3.0", NULL, "CC-BY-3.0-DE", TRUE },
    /* titles only, as some DKAN sites send them */
    { NULL, "Datenlizenz Deutschland – Namensnennung – Version 2.0", "dl-de/by-2-0", TRUE },
    { NULL, "Datenlizenz Deutschland - Zero - Version 2.0", "dl-de/zero-2-0", TRUE },
    { "", "Creative Commons Namensnennung 4.0 International", "CC-BY-4.0", TRUE },
    { "notspecified-id", "Creative Commons Attribution Share-Alike 4.0", "CC-BY-SA-4.0", TRUE },
    /* unknown: kept verbatim, never dropped */
    { "other-closed", "Other (Not Open)", "other-closed", FALSE },
    { NULL, "Nutzungsbedingungen der Stadt X", "Nutzungsbedingungen der Stadt X", FALSE },
    { "http://dcat-ap.de/def/licenses/other-commercial", NULL,
      "http://dcat-ap.de/def/licenses/other-commercial", FALSE },
    { NULL, "Datenlizenz Deutschland – Namensnennung – nicht kommerziell – Version 1.0",
      "Datenlizenz Deutschland – Namensnennung – nicht kommerziell – Version 1.0", FALSE },
    { NULL, NULL, "notspecified", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean known = !cases[i].known;
      g_autofree char *id = digithek_ckan_license_to_id (cases[i].id, cases[i].title, &known);

      g_test_message ("%s / %s", cases[i].id, cases[i].title);
      g_assert_cmpstr (id, ==, cases[i].expected);
      g_assert_cmpint (known, ==, cases[i].known);
    }
}

static void
test_text (void)
{
  static const struct { const char *in, *out; } html[] = {
    { "<p>St&uuml;ndlich&nbsp;gez&auml;hlt,<br />\r\nje <strong>Richtung</strong>.</p><ul><li>a</li><li>b</li></ul>",
      "Stündlich gezählt, je Richtung . a b" },
    { "Plain text, no tags", "Plain text, no tags" },
    { "  a\n\n\tb  ", "a b" },
    { "&bdquo;Heros&eacute;&ldquo; &amp; &#8222;x&#x201C; &#0; &unknown; 3 < 4", "„Herosé“ & „x“ &#0; &unknown; 3 < 4" },
    { "<script>alert(1)</script>Text<style>p{}</style>!<!-- note -->", "Text !" },
    { "", "" },
  };
  g_autofree char *long_text = NULL;
  g_autofree char *cut = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (html); i++)
    {
      g_autofree char *text = digithek_ckan_html_to_text (html[i].in);
      g_assert_cmpstr (text, ==, html[i].out);
    }
  {
    g_autofree char *null_text = digithek_ckan_html_to_text (NULL);
    g_assert_cmpstr (null_text, ==, "");
  }

  long_text = g_strjoin (" ", "Stündliche", "Zählung", "der", "Fahrräder", NULL);
  cut = digithek_ckan_shorten (long_text, 20);
  g_assert_cmpstr (cut, ==, "Stündliche Zählung…");
  g_assert_cmpint (g_utf8_strlen (cut, -1), <=, 20);
  g_clear_pointer (&cut, g_free);
  cut = digithek_ckan_shorten ("kurz", 20);
  g_assert_cmpstr (cut, ==, "kurz");

  {
    static const struct { const char *in, *out; } slugs[] = {
      { "oh_rechnungsabschluss-ganserndorf-2004", "oh-rechnungsabschluss-ganserndorf-2004" },
      { "Fahrradzähler Herosé-Brücke", "fahrradzaehler-herose-bruecke" },
      { "Straßen & Plätze", "strassen-plaetze" },
      { "---", "datensatz" },
      { "", "datensatz" },
    };
    g_autofree char *long_slug = NULL;
    g_autofree char *long_in = g_strnfill (100, 'a');

    for (gsize i = 0; i < G_N_ELEMENTS (slugs); i++)
      {
        g_autofree char *slug = digithek_ckan_slugify (slugs[i].in);
        g_assert_cmpstr (slug, ==, slugs[i].out);
        g_assert_true (digithek_pack_id_is_valid (slug));
      }
    long_slug = digithek_ckan_slugify (long_in);
    g_assert_cmpuint (strlen (long_slug), ==, 64);
    g_assert_true (digithek_pack_id_is_valid (long_slug));
  }
}

static void
test_parse_ckan (void)
{
  g_autofree char *text = realdata_ckan_text ();
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekCkanDataset) dataset = NULL;
  const DigithekCkanResource *resource;

  dataset = digithek_ckan_dataset_parse (CKAN_DATASET, "application/json", body, &error);
  g_assert_no_error (error);
  g_assert_false (dataset->dkan);
  g_assert_cmpstr (dataset->name, ==, CKAN_DATASET);
  g_assert_cmpstr (dataset->title, ==, "Rechnungsabschluss Gänserndorf 2004 (Statistik Austria)");
  g_assert_cmpstr (dataset->notes, ==, "Rechnungsabschluss der Gemeinde - Einnahmen und Ausgaben");
  g_assert_cmpstr (dataset->organization, ==, "Open Data Austria");
  g_assert_cmpstr (dataset->license_id, ==, "cc-by-40");
  g_assert_cmpstr (dataset->metadata_modified, ==, "2020-07-23T21:17:30.688934");
  g_assert_cmpuint (g_strv_length (dataset->tags), ==, 7);
  g_assert_cmpuint (dataset->resources->len, ==, 1);
  resource = digithek_ckan_dataset_pick_resource (dataset, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resource->format, ==, "CSV");
  g_assert_cmpint (resource->size, ==, -1);
  g_assert_cmpstr (resource->last_modified, ==, "2017-11-13T00:00:00");
  g_assert_true (resource == digithek_ckan_dataset_pick_resource (dataset, "23dcb5e5-e596-412b-a14f-e970224a6a41", NULL));
  g_assert_null (digithek_ckan_dataset_pick_resource (dataset, "gibt-es-nicht", &error));
  g_assert_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NO_CSV);
  g_assert_nonnull (strstr (error->message, "Rechnungsabschluss Gänserndorf 2004"));
}

static void
test_parse_dkan (void)
{
  g_autofree char *text = fixture_text ("dkan_package_show_herose.json");
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekCkanDataset) dataset = NULL;
  const DigithekCkanResource *resource;

  dataset = digithek_ckan_dataset_parse (DKAN_DATASET, "application/json", body, &error);
  g_assert_no_error (error);
  g_assert_true (dataset->dkan);
  g_assert_cmpstr (dataset->title, ==, "Fahrradzähler Herosé-Brücke & Wetter");
  g_assert_true (g_str_has_prefix (dataset->notes, "Stündliche Zählung der Fahrräder auf der "
                                   "Herosé-Brücke, getrennt nach Richtung , mit Temperatur"));
  g_assert_null (strchr (dataset->notes, '<'));
  g_assert_null (strchr (dataset->notes, '\n'));
  g_assert_cmpstr (dataset->organization, ==, "Stadt Konstanz");
  g_assert_cmpuint (dataset->resources->len, ==, 2);
  g_assert_cmpint (((DigithekCkanResource *) g_ptr_array_index (dataset->resources, 0))->size, ==, 48213);
  resource = digithek_ckan_dataset_pick_resource (dataset, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resource->name, ==, "Fahrradzähler Herosé 2021");
  g_assert_cmpint (resource->size, ==, 2417);
  g_assert_true (digithek_ckan_dataset_pick_resource (dataset, "Zählbericht 2021 (PDF)", NULL)
                 == g_ptr_array_index (dataset->resources, 0));
}

static void
test_parse_refusals (void)
{
  g_autofree char *page = fixture_text ("maintenance.html");
  g_autoptr(GBytes) html = g_bytes_new (page, strlen (page));
  g_autoptr(GBytes) empty_object = g_bytes_new_static ("{\"result\": {}}", 14);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("Service Unavailable", 19);
  g_autoptr(GBytes) failed = g_bytes_new_static ("{\"success\": false, \"error\": {\"message\": \"Not found\", \"__type\": \"Not Found Error\"}}", 82);
  g_autoptr(GError) error = NULL;

  /* Named as HTML even when the server calls it JSON. */
  g_assert_null (digithek_ckan_dataset_parse ("x", "application/json", html, &error));
  g_assert_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API);
  g_assert_nonnull (strstr (error->message, "Wartungsarbeiten – Offene Daten"));
  g_clear_error (&error);
  g_assert_null (digithek_ckan_dataset_parse ("x", "application/json", empty_object, &error));
  g_assert_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API);
  g_clear_error (&error);
  g_assert_null (digithek_ckan_dataset_parse ("x", "text/plain", garbage, &error));
  g_assert_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API);
  g_clear_error (&error);
  g_assert_null (digithek_ckan_dataset_parse ("mein-datensatz", NULL, failed, &error));
  g_assert_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "mein-datensatz"));
  g_assert_nonnull (strstr (error->message, "Not found"));
}

static void
test_guess_chart (void)
{
  g_autofree char *bietigheim = fixture_path ("bietigheim-bissingen.csv");
  g_autofree char *herose = fixture_path ("herose-2021.csv");
  g_auto(DigithekCkanChartGuess) guess = { NULL, NULL, NULL, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  const char *parking_y[] = { "Capacity", "OccupiedSites", NULL };
  const char *bike_y[] = { "Fahrräder stadteinwärts", "Fahrräder stadtauswärts",
                           "Fahrräder gesamt", "Temperatur (°C)", NULL };

  /* No time column (epoch milliseconds are numbers): labels as x, bars; the time
   * stamp is not charted as a measurement. */
  g_assert_true (digithek_ckan_guess_chart (bietigheim, NULL, &guess, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (guess.type, ==, "bar");
  g_assert_cmpstr (guess.x, ==, "Name");
  g_assert_cmpstrv (guess.y, parking_y);
  g_assert_cmpint (guess.encoding, ==, DIGITHEK_CSV_ENCODING_ISO_8859_1);
  g_assert_cmpint (guess.delimiter, ==, ';');
  g_assert_cmpuint (guess.n_rows, ==, 14);
  digithek_ckan_chart_guess_clear (&guess);

  /* German date-times as x; at most four numeric columns; decimal commas. */
  g_assert_true (digithek_ckan_guess_chart (herose, NULL, &guess, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (guess.type, ==, "line");
  g_assert_cmpstr (guess.x, ==, "Zeit");
  g_assert_cmpstrv (guess.y, bike_y);
  g_assert_cmpint (guess.decimal, ==, ',');
}

/* ---- imports against the server ---- */

static void
test_import_new_pack (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "Gänserndorf Finanzen", NULL);
  g_autofree char *url = portal ("ckan");
  g_autofree char *pack_json = NULL;
  g_autofree char *expected_source = NULL;
  g_autoptr(DigithekCkanReport) report = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) served = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *original = fixture_path ("bietigheim-bissingen.csv");
  g_autofree char *data_file = NULL;
  DigithekPackItem *item;
  JsonObject *object;
  const char *y[] = { "Capacity", "OccupiedSites", NULL };

  /* A trailing slash on the portal's address is common in what staff paste. */
  {
    g_autofree char *slashed = g_strconcat (url, "/", NULL);
    report = digithek_ckan_import (slashed, CKAN_DATASET, dir, NULL, &problems, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_true (report->created_pack);
  g_assert_false (report->version_bumped);
  g_assert_cmpstr (report->pack_id, ==, "gaenserndorf-finanzen");
  g_assert_cmpstr (report->item_id, ==, "oh-rechnungsabschluss-ganserndorf-2004");
  g_assert_cmpstr (report->license, ==, "CC-BY-4.0");
  g_assert_cmpstr (report->source_modified, ==, "2017-11-13T00:00:00");
  g_assert_cmpstr (report->csv_settings, ==, "encoding ISO-8859-1");
  g_assert_true (report->chart_guessed);

  pack = assert_pack_valid (dir);
  g_assert_cmpstr (digithek_pack_get_id (pack), ==, "gaenserndorf-finanzen");
  g_assert_cmpint (digithek_pack_get_version (pack), ==, 1);
  g_assert_cmpstr (digithek_pack_get_languages (pack)[0], ==, "de");
  g_assert_cmpstr (digithek_text_map_lookup (digithek_pack_get_title (pack), "de", "de"), ==,
                   "Open Data Austria");
  item = digithek_pack_find_item (pack, "oh-rechnungsabschluss-ganserndorf-2004");
  g_assert_nonnull (item);
  g_assert_cmpint (item->kind, ==, DIGITHEK_ITEM_DATASET);
  g_assert_cmpstr (item->data, ==, "data/oh-rechnungsabschluss-ganserndorf-2004.csv");
  g_assert_cmpstr (item->chart_type, ==, "bar");
  g_assert_cmpstr (item->chart_x, ==, "Name");
  g_assert_cmpstrv (item->chart_y, y);
  g_assert_cmpint (item->csv.encoding, ==, DIGITHEK_CSV_ENCODING_ISO_8859_1);
  g_assert_cmpint (item->csv.decimal, ==, 0);
  g_assert_cmpstr (item->source_name, ==, "Open Data Austria");
  g_assert_cmpstr (item->source_license, ==, "CC-BY-4.0");
  expected_source = g_strdup_printf ("%s/dataset/%s", url, CKAN_DATASET);
  g_assert_cmpstr (item->source_url, ==, expected_source);
  g_assert_cmpuint (g_hash_table_size (item->title), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (item->title, "de"), ==,
                   "Rechnungsabschluss Gänserndorf 2004 (Statistik Austria)");
  g_assert_cmpstr (g_hash_table_lookup (item->summary, "de"), ==,
                   "Rechnungsabschluss der Gemeinde - Einnahmen und Ausgaben");

  /* The data file is the portal's bytes, untouched. */
  data_file = g_build_filename (dir, item->data, NULL);
  served = read_bytes (original);
  stored = read_bytes (data_file);
  g_assert_true (g_bytes_equal (served, stored));

  pack_json = g_build_filename (dir, "pack.json", NULL);
  root = load_json (pack_json);
  object = find_item_object (root, "oh-rechnungsabschluss-ganserndorf-2004");
  g_assert_cmpstr (json_object_get_string_member (object, "_source_modified"), ==,
                   "2017-11-13T00:00:00");
  g_assert_true (json_object_has_member (object, "_ckan"));
  assert_no_stage_left (dir);

  remove_tree (tmp);
}

static void
set_text (JsonObject *item,
          const char *member,
          const char *text)
{
  JsonObject *map = json_object_new ();

  json_object_set_string_member (map, "de", text);
  json_object_set_string_member (map, "en", "Curated in English");
  json_object_set_object_member (item, member, map);
}

static void
test_import_existing_and_refresh (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "offene-daten-konstanz", NULL);
  g_autofree char *demo = g_build_filename (g_getenv ("DEMO_DIR"), "offene-daten-konstanz", NULL);
  g_autofree char *url = portal ("dkan");
  g_autofree char *pack_json = g_build_filename (dir, "pack.json", NULL);
  g_autofree char *data_file = NULL;
  g_autoptr(DigithekCkanReport) report = NULL;
  g_autoptr(DigithekPack) before = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) json_before = NULL;
  g_autoptr(GBytes) data_before = NULL;
  g_autoptr(GBytes) json_after = NULL;
  g_autoptr(GBytes) data_after = NULL;
  g_autoptr(GBytes) v2 = NULL;
  g_autofree char *v2_path = fixture_path ("herose-2021-v2.csv");
  DigithekCkanImportOptions refresh = { NULL, DIGITHEK_CKAN_IMPORT_REFRESH, 0, 0 };
  DigithekPackItem *item;
  JsonObject *object;
  JsonArray *curated_y;
  gint64 version;
  guint n_items;
  const char *y[] = { "Fahrräder stadteinwärts", "Fahrräder stadtauswärts",
                      "Fahrräder gesamt", "Temperatur (°C)", NULL };
  const char *curated[] = { "Fahrräder gesamt", NULL };

  copy_tree (demo, dir);
  before = assert_pack_valid (dir);
  version = digithek_pack_get_version (before);
  n_items = digithek_pack_get_n_items (before);
  server_set_herose ("herose-2021.csv");

  /* Add to a bilingual pack with images, Markdown and other datasets. */
  report = digithek_ckan_import (url, DKAN_DATASET, dir, NULL, &problems, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (report->created_pack);
  g_assert_true (report->version_bumped);
  g_assert_cmpint (report->pack_version, ==, version + 1);
  g_assert_cmpstr (report->license, ==, "dl-de/by-2-0");
  g_assert_cmpstr (report->csv_settings, ==, "decimal \",\"");
  g_assert_cmpstr (report->source_modified, ==, "2022-01-05T09:12:44+01:00");

  pack = assert_pack_valid (dir);
  g_assert_cmpint (digithek_pack_get_version (pack), ==, version + 1);
  g_assert_cmpuint (digithek_pack_get_n_items (pack), ==, n_items + 1);
  item = digithek_pack_find_item (pack, DKAN_DATASET);
  g_assert_nonnull (item);
  g_assert_cmpstr (item->chart_type, ==, "line");
  g_assert_cmpstr (item->chart_x, ==, "Zeit");
  g_assert_cmpstrv (item->chart_y, y);
  g_assert_cmpint (item->csv.decimal, ==, ',');
  g_assert_cmpint (item->csv.encoding, ==, DIGITHEK_CSV_ENCODING_AUTO);
  g_assert_cmpstr (item->source_name, ==, "Stadt Konstanz");
  /* Only the first language: the others fall back to it. */
  g_assert_cmpuint (g_hash_table_size (item->title), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (item->title, "de"), ==,
                   "Fahrradzähler Herosé-Brücke & Wetter");
  {
    const char *summary = g_hash_table_lookup (item->summary, "de");
    g_assert_nonnull (summary);
    g_assert_null (strchr (summary, '<'));
    g_assert_null (strchr (summary, '&'));
    g_assert_cmpint (g_utf8_strlen (summary, -1), <=, 300);
    g_assert_true (g_str_has_suffix (summary, "…"));
  }
  g_assert_cmpstr (item->tags[0], ==, "Radverkehr");
  g_clear_object (&pack);
  g_clear_pointer (&report, digithek_ckan_report_free);

  /* Once more without --refresh: refused, nothing changes. */
  json_before = read_bytes (pack_json);
  report = digithek_ckan_import (url, DKAN_DATASET, dir, NULL, &problems, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK);
  g_assert_nonnull (strstr (error->message, "--refresh"));
  g_clear_error (&error);
  json_after = read_bytes (pack_json);
  g_assert_true (g_bytes_equal (json_before, json_after));
  g_clear_pointer (&json_before, g_bytes_unref);
  g_clear_pointer (&json_after, g_bytes_unref);

  /* Staff curate the item… */
  root = load_json (pack_json);
  object = find_item_object (root, DKAN_DATASET);
  set_text (object, "title", "Radverkehr über die Herosé-Brücke");
  set_text (object, "summary", "Wie viele Menschen radeln über die Brücke?");
  curated_y = json_array_new ();
  json_array_add_string_element (curated_y, "Fahrräder gesamt");
  json_object_set_array_member (json_object_get_object_member (object, "chart"), "y", curated_y);
  json_object_set_string_member (json_object_get_object_member (object, "chart"), "unit",
                                 "Fahrräder je Stunde");
  json_object_set_string_member (json_object_get_object_member (object, "source"), "name",
                                 "Stadt Konstanz, Amt für Stadtplanung");
  json_object_set_string_member (object, "image", "images/luftqualitaet.png");
  save_json (pack_json, root);
  g_clear_pointer (&root, json_node_unref);

  /* …then the portal publishes more data: refresh keeps every curated field. */
  server_set_herose ("herose-2021-v2.csv");
  report = digithek_ckan_import (url, DKAN_DATASET, dir, &refresh, &problems, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (report->refreshed);
  g_assert_false (report->chart_guessed);
  g_assert_cmpint (report->pack_version, ==, version + 2);
  g_assert_cmpuint (report->notes->len, ==, 0);
  g_clear_pointer (&report, digithek_ckan_report_free);

  pack = assert_pack_valid (dir);
  g_assert_cmpint (digithek_pack_get_version (pack), ==, version + 2);
  item = digithek_pack_find_item (pack, DKAN_DATASET);
  g_assert_cmpstr (g_hash_table_lookup (item->title, "de"), ==, "Radverkehr über die Herosé-Brücke");
  g_assert_cmpstr (g_hash_table_lookup (item->title, "en"), ==, "Curated in English");
  g_assert_cmpstr (g_hash_table_lookup (item->summary, "de"), ==,
                   "Wie viele Menschen radeln über die Brücke?");
  g_assert_cmpstrv (item->chart_y, curated);
  g_assert_cmpstr (item->chart_unit, ==, "Fahrräder je Stunde");
  g_assert_cmpstr (item->source_name, ==, "Stadt Konstanz, Amt für Stadtplanung");
  g_assert_cmpstr (item->image, ==, "images/luftqualitaet.png");
  g_assert_cmpstr (item->tags[0], ==, "Radverkehr");
  data_file = g_build_filename (dir, item->data, NULL);
  v2 = read_bytes (v2_path);
  data_after = read_bytes (data_file);
  g_assert_true (g_bytes_equal (v2, data_after));
  g_clear_pointer (&data_after, g_bytes_unref);
  g_clear_object (&pack);

  /* A new file that no longer fits the curated chart: the validator's messages, and
   * the folder as it was. */
  json_before = read_bytes (pack_json);
  data_before = read_bytes (data_file);
  server_set_herose ("herose-2021-renamed.csv");
  {
    DigithekCkanImportOptions again = { NULL, DIGITHEK_CKAN_IMPORT_REFRESH, 0, 0 };
    gboolean named = FALSE;

    /* Make the curated chart depend on the renamed column. */
    root = load_json (pack_json);
    object = find_item_object (root, DKAN_DATASET);
    curated_y = json_array_new ();
    json_array_add_string_element (curated_y, "Fahrräder stadteinwärts");
    json_object_set_array_member (json_object_get_object_member (object, "chart"), "y", curated_y);
    save_json (pack_json, root);
    g_clear_pointer (&json_before, g_bytes_unref);
    json_before = read_bytes (pack_json);

    report = digithek_ckan_import (url, DKAN_DATASET, dir, &again, &problems, NULL, &error);
    g_assert_null (report);
    g_assert_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_INVALID);
    g_assert_nonnull (problems);
    for (guint i = 0; i < problems->len; i++)
      named |= strstr (g_ptr_array_index (problems, i), "Fahrräder stadteinwärts") != NULL;
    g_assert_true (named);
    g_clear_error (&error);
  }
  json_after = read_bytes (pack_json);
  data_after = read_bytes (data_file);
  g_assert_true (g_bytes_equal (json_before, json_after));
  g_assert_true (g_bytes_equal (data_before, data_after));
  assert_no_stage_left (dir);

  remove_tree (tmp);
}

static void
test_refusals (void)
{
  static const struct
  {
    const char *portal;
    const char *dataset;
    int         code;
    const char *says[3];
  } cases[] = {
    { "maintenance", "x", DIGITHEK_CKAN_ERROR_NOT_API, { "HTML page", "Wartungsarbeiten", NULL } },
    { "refused", "geheim", DIGITHEK_CKAN_ERROR_FAILED, { "“geheim”", "Zugriff verweigert", NULL } },
    { "ckan", "gibt-es-nicht", DIGITHEK_CKAN_ERROR_FAILED, { "“gibt-es-nicht”", "Not found", "404" } },
    { "broken", "x", DIGITHEK_CKAN_ERROR_HTTP, { "HTTP 500", "/broken/api/3/action/package_show?id=x", NULL } },
    { "nocsv", CKAN_DATASET, DIGITHEK_CKAN_ERROR_NO_CSV, { "no CSV resource", "“XLSX”", NULL } },
    { "huge", CKAN_DATASET, DIGITHEK_CKAN_ERROR_TOO_BIG, { "100 MiB", "64 MiB", NULL } },
    { "liar", CKAN_DATASET, DIGITHEK_CKAN_ERROR_TOO_BIG, { "larger than the limit", "64 MiB", NULL } },
  };
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *existing = g_build_filename (tmp, "existing", NULL);
  g_autofree char *existing_json = g_build_filename (existing, "pack.json", NULL);
  g_autoptr(GBytes) json_before = NULL;

  /* An existing pack to refuse into as well. */
  {
    g_autofree char *url = portal ("dkan");
    g_autoptr(DigithekCkanReport) report = NULL;
    g_autoptr(GError) error = NULL;

    server_set_herose ("herose-2021.csv");
    report = digithek_ckan_import (url, DKAN_DATASET, existing, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    json_before = read_bytes (existing_json);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = portal (cases[i].portal);
      g_autofree char *dir = g_build_filename (tmp, cases[i].portal, NULL);
      g_autoptr(DigithekCkanReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error2 = NULL;
      g_autoptr(GBytes) json_after = NULL;

      g_test_message ("portal %s", cases[i].portal);
      report = digithek_ckan_import (url, cases[i].dataset, dir, NULL, NULL, NULL, &error);
      g_assert_null (report);
      g_assert_error (error, DIGITHEK_CKAN_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].says) && cases[i].says[j] != NULL; j++)
        g_assert_nonnull (strstr (error->message, cases[i].says[j]));
      /* Nothing is left behind, not even the folder. */
      g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

      report = digithek_ckan_import (url, cases[i].dataset, existing, NULL, NULL, NULL, &error2);
      g_assert_null (report);
      g_assert_error (error2, DIGITHEK_CKAN_ERROR, cases[i].code);
      json_after = read_bytes (existing_json);
      g_assert_true (g_bytes_equal (json_before, json_after));
      assert_no_stage_left (existing);
    }

  /* A portal that is not there at all. */
  {
    g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(DigithekCkanReport) report = NULL;
    g_autofree char *url = NULL;
    g_autofree char *dir = g_build_filename (tmp, "nowhere", NULL);

    /* A port that was free a moment ago and has nobody listening. */
    g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
    bound = g_socket_get_local_address (socket, NULL);
    url = g_strdup_printf ("http://127.0.0.1:%u",
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    g_socket_close (socket, NULL);
    report = digithek_ckan_import (url, "x", dir, NULL, NULL, NULL, &error);
    g_assert_null (report);
    g_assert_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP);
    g_assert_nonnull (strstr (error->message, url));
  }

  /* A smaller limit applies to an honest file too. */
  {
    g_autofree char *url = portal ("ckan");
    g_autofree char *dir = g_build_filename (tmp, "small", NULL);
    DigithekCkanImportOptions options = { NULL, DIGITHEK_CKAN_IMPORT_NONE, 100, 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(DigithekCkanReport) report = NULL;

    report = digithek_ckan_import (url, CKAN_DATASET, dir, &options, NULL, NULL, &error);
    g_assert_null (report);
    g_assert_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_TOO_BIG);
    g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  }

  remove_tree (tmp);
}

/* ---- the command line ---- */

static int
run_tool (char       **out,
          char       **err,
          const char  *first,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("DIGITHEK_PACK_BIN");
  const char *arg;
  va_list args;
  int status = -1;

  g_assert_nonnull (bin);
  /* The previous run's output goes. */
  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  g_ptr_array_add (argv, (char *) bin);
  g_ptr_array_add (argv, (char *) "ckan");
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", *out, *err);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

#define RUN(...) run_tool (&out, &err, __VA_ARGS__, NULL)

static void
test_cli (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "parken", NULL);
  g_autofree char *ckan = portal ("ckan");
  g_autofree char *maintenance = portal ("maintenance");
  g_autofree char *broken = portal ("broken");
  g_autofree char *huge = portal ("huge");
  g_autofree char *nocsv = portal ("nocsv");
  g_autofree char *refused = portal ("refused");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* Usage errors. */
  g_assert_cmpint (RUN (ckan), ==, 2);
  g_assert_nonnull (strstr (err, "Usage:"));
  g_assert_cmpint (RUN (ckan, CKAN_DATASET), ==, 2);
  g_assert_cmpint (RUN (ckan, CKAN_DATASET, "--into"), ==, 2);
  g_assert_cmpint (RUN (ckan, CKAN_DATASET, "--into", dir, "--bogus"), ==, 2);
  g_assert_cmpint (RUN (ckan, CKAN_DATASET, "extra", "--into", dir), ==, 2);
  g_assert_cmpint (RUN ("ftp://portal.example", CKAN_DATASET, "--into", dir), ==, 2);
  g_assert_nonnull (strstr (err, "http"));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* Refusals: exit 1 with the reason. */
  g_assert_cmpint (RUN (maintenance, "x", "--into", dir), ==, 1);
  g_assert_nonnull (strstr (err, "HTML page"));
  g_assert_cmpint (RUN (broken, "x", "--into", dir), ==, 1);
  g_assert_nonnull (strstr (err, "HTTP 500"));
  g_assert_nonnull (strstr (err, broken));
  g_assert_cmpint (RUN (refused, "geheim", "--into", dir), ==, 1);
  g_assert_nonnull (strstr (err, "geheim"));
  g_assert_cmpint (RUN (nocsv, CKAN_DATASET, "--into", dir), ==, 1);
  g_assert_nonnull (strstr (err, "XLSX"));
  g_assert_cmpint (RUN (huge, CKAN_DATASET, "--into", dir), ==, 1);
  g_assert_nonnull (strstr (err, "limit"));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* Success: the chart guess is shown for staff to adjust. */
  g_assert_cmpint (RUN (ckan, CKAN_DATASET, "--into", dir), ==, 0);
  g_assert_nonnull (strstr (out, "Created pack “parken”"));
  g_assert_nonnull (strstr (out, "bar, x “Name”, y “Capacity”, “OccupiedSites”"));
  g_assert_nonnull (strstr (out, "guessed"));
  g_assert_nonnull (strstr (out, "CC-BY-4.0"));
  g_assert_nonnull (strstr (out, "2017-11-13T00:00:00"));
  g_assert_nonnull (strstr (out, "encoding ISO-8859-1"));

  g_assert_cmpint (RUN (ckan, CKAN_DATASET, "--into", dir), ==, 1);
  g_assert_nonnull (strstr (err, "--refresh"));
  g_assert_cmpint (RUN (ckan, CKAN_DATASET, "--into", dir, "--refresh", "--resource", "nope"), ==, 1);
  g_assert_nonnull (strstr (err, "nope"));

  g_assert_cmpint (RUN (ckan, CKAN_DATASET, "--into", dir, "--refresh",
                        "--resource", "Rechnungsabschluss Gänserndorf 2004 (Statistik Austria)"), ==, 0);
  g_assert_nonnull (strstr (out, "Refreshed"));
  g_assert_nonnull (strstr (out, "version is now 2"));

  {
    const char *bin = g_getenv ("DIGITHEK_PACK_BIN");
    const char *argv[] = { bin, "validate", dir, NULL };
    int status = -1;

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, NULL));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    g_assert_null (strstr (out, "warning"));
  }

  remove_tree (tmp);
}

/* What a citizen reads under a chart: the licence's name, whichever way it was written. */
static void
test_licence_names (void)
{
  g_assert_cmpstr (digithek_licence_name ("dl-de/by-2-0", "de"), ==,
                   "Datenlizenz Deutschland – Namensnennung – Version 2.0");
  g_assert_cmpstr (digithek_licence_name ("dl-de/by-2-0", "en"), ==,
                   "Data licence Germany – attribution – version 2.0");
  /* Easy German and any other language read the German name. */
  g_assert_cmpstr (digithek_licence_name ("dl-de/by-2-0", "de-x-easy"), ==,
                   "Datenlizenz Deutschland – Namensnennung – Version 2.0");
  /* The ways portals write them: CKAN's ids, GovData's URIs, other cases. */
  g_assert_cmpstr (digithek_licence_name ("dl-by-de/2.0", "de"), ==,
                   "Datenlizenz Deutschland – Namensnennung – Version 2.0");
  g_assert_cmpstr (digithek_licence_name ("http://dcat-ap.de/def/licenses/dl-zero-de/2.0", "en"),
                   ==, "Data licence Germany – Zero – version 2.0");
  g_assert_cmpstr (digithek_licence_name ("CC-BY-4.0", "en"), ==,
                   "Creative Commons Attribution 4.0 International");
  g_assert_cmpstr (digithek_licence_name ("cc-by-4.0", "de"), ==,
                   "Creative Commons Namensnennung 4.0 International");
  g_assert_cmpstr (digithek_licence_name ("cc-zero", "en"), ==,
                   "Creative Commons Zero 1.0 Universal (public domain)");
  g_assert_cmpstr (digithek_licence_name ("odc-odbl", "de"), ==,
                   "Open Data Commons Open Database License 1.0");
  /* One it does not know is shown by its id, by the caller. */
  g_assert_null (digithek_licence_name ("Nutzungsbedingungen der Stadt", "de"));
  g_assert_null (digithek_licence_name (NULL, "de"));
  g_assert_null (digithek_licence_name ("", "en"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/content/ckan/license-map", test_license_map);
  g_test_add_func ("/content/licence/names", test_licence_names);
  g_test_add_func ("/content/ckan/text", test_text);
  g_test_add_func ("/content/ckan/parse/ckan", test_parse_ckan);
  g_test_add_func ("/content/ckan/parse/dkan", test_parse_dkan);
  g_test_add_func ("/content/ckan/parse/refusals", test_parse_refusals);
  g_test_add_func ("/content/ckan/guess-chart", test_guess_chart);
  g_test_add_func ("/content/ckan/import/new-pack", test_import_new_pack);
  g_test_add_func ("/content/ckan/import/existing-and-refresh", test_import_existing_and_refresh);
  g_test_add_func ("/content/ckan/import/refusals", test_refusals);
  g_test_add_func ("/content/ckan/cli", test_cli);

  server_start ();
  status = g_test_run ();
  server_stop ();
  return status;
}
