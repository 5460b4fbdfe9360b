/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "digithek-handoff.h"
#include "digithek-pack-paths.h"

G_DEFINE_QUARK (digithek-handoff-error-quark, digithek_handoff_error)

/* Pages forbid everything a browser could do beyond showing text, styles and the
 * server's own images: no scripts, no external requests, no forms, no framing. */
#define CSP "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; " \
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/* Bounds on what the server remembers, whatever the clients do. */
#define MAX_CLIENTS        4096 /* rate-limit buckets */
#define MAX_ASSETS         4096 /* image hashes seen on pages served */
#define MAX_MARKDOWN_CACHE 256  /* rendered Markdown files */

typedef struct
{
  double tokens;
  gint64 last; /* monotonic µs */
} Bucket;

struct _DigithekHandoff
{
  GObject        parent_instance;

  /* owned */
  DigithekStore *store;
  SoupServer    *server;
  GCancellable  *cancellable;
  GInetAddress  *listen_address; /* %NULL: every interface */
  guint16        listen_port;
  guint16        port;
  char          *base_url;       /* no trailing "/"; %NULL until derived */
  gboolean       derive_base_url;
  char          *default_language;
  double         rate;
  guint          burst;
  GHashTable    *buckets;        /* remote address → Bucket */
  GHashTable    *assets;         /* image sha256 → "pack/item" whose page showed it */
  GHashTable    *markdown;       /* "LEVEL:sha256" → HTML */
};

G_DEFINE_FINAL_TYPE (DigithekHandoff, digithek_handoff, G_TYPE_OBJECT)

/* ---- texts of the page, by language ---- */

typedef struct
{
  const char *language;
  const char *step;          /* "Schritt %u" */
  const char *steps;         /* navigation label */
  const char *source;
  const char *license;
  const char *rows_all;      /* "%u rows" */
  const char *rows_some;     /* first %u and last %u of %s rows */
  const char *stops;
  const char *languages;
  const char *footer;
  const char *not_found;
} PageTexts;

static const PageTexts page_texts[] = {
  { "de", "Schritt %u", "Schritte", "Quelle", "Lizenz",
    "Alle %u Zeilen.", "Die ersten %u und die letzten %u von %s Zeilen.",
    "Stationen", "Sprache",
    "Von der DigiThek. Diese Seite speichert nichts über Sie.",
    "Diese Seite gibt es nicht (mehr)." },
  { "en", "Step %u", "Steps", "Source", "Licence",
    "All %u rows.", "The first %u and the last %u of %s rows.",
    "Stops", "Language",
    "From the DigiThek. This page stores nothing about you.",
    "This page does not exist (any more)." },
};

static const PageTexts *
page_texts_for (const char *language)
{
  /* "de-x-easy" reads the German labels; languages without labels get English ones. */
  for (guint i = 0; i < G_N_ELEMENTS (page_texts); i++)
    {
      gsize n = strlen (page_texts[i].language);

      if (g_str_has_prefix (language, page_texts[i].language) &&
          (language[n] == '\0' || language[n] == '-'))
        return &page_texts[i];
    }
  return &page_texts[1];
}

static const char *
language_name (const char *code)
{
  if (g_str_equal (code, "de"))
    return "Deutsch";
  if (g_str_equal (code, "en"))
    return "English";
  if (g_str_equal (code, "de-x-easy"))
    return "Leichte Sprache";
  return code;
}

/* ---- small helpers ---- */

static gboolean
is_sha256 (const char *text)
{
  gsize i;

  for (i = 0; text[i] != '\0'; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return i == 64;
}

static const char *
json_string_member (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
json_object_member (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
json_array_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
collect_image_cb (JsonObject  *parent,
                  const char  *member,
                  const char  *where,
                  gpointer     user_data,
                  GError     **error)
{
  const char *sha = json_string_member (parent, member);

  if (g_str_has_suffix (where, ".image") && sha != NULL && is_sha256 (sha))
    g_hash_table_add (user_data, g_strdup (sha));
  return TRUE;
}

/* The image hashes an item's page shows: the item's and its steps'. An item of a kind
 * the walk does not know shows no more than its own image. */
static void
collect_images (JsonObject *item,
                GHashTable *set)
{
  digithek_pack_walk_item_paths (item, "item", "manifest", G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 collect_image_cb, set, NULL);
}

static JsonObject *
parse_object (const char *json,
              JsonNode  **out_root)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  *out_root = NULL;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  *out_root = json_parser_steal_root (parser);
  if (*out_root == NULL || !JSON_NODE_HOLDS_OBJECT (*out_root))
    return NULL;
  return json_node_get_object (*out_root);
}

/* Markdown as HTML, raw HTML escaped and unsafe link schemes dropped (cmark's default;
 * never CMARK_OPT_UNSAFE: pack texts must not inject markup into a citizen's phone).
 * Headings move down so that they nest under the page's own (@min_level). */
static char *
markdown_to_html (const char *markdown,
                  gsize       length,
                  int         min_level)
{
  cmark_node *root;
  cmark_iter *iter;
  cmark_event_type event;
  char *html;
  char *ret;

  root = cmark_parse_document (markdown, length, CMARK_OPT_DEFAULT);
  iter = cmark_iter_new (root);
  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);

      if (event == CMARK_EVENT_ENTER && cmark_node_get_type (node) == CMARK_NODE_HEADING)
        cmark_node_set_heading_level (node, MIN (6, cmark_node_get_heading_level (node) +
                                                    min_level - 1));
    }
  cmark_iter_free (iter);
  html = cmark_render_html (root, CMARK_OPT_DEFAULT);
  cmark_node_free (root);
  ret = g_strdup (html);
  free (html);
  return ret;
}

/* ---- responses ---- */

static void
add_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Content-Security-Policy", CSP);
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
respond_not_found (SoupServerMessage *msg)
{
  respond_error (msg, SOUP_STATUS_NOT_FOUND,
                 "Nicht gefunden. Not found.\n");
}

/* ---- requests waiting for the store ---- */

typedef struct
{
  DigithekHandoff   *self;
  SoupServerMessage *msg;
  gboolean           gone;        /* the connection finished before the answer */
  gulong             finished_id;
  guint              pending;     /* store calls in flight */

  char              *pack_id;
  char              *item_id;
  char              *language;    /* asked for */
  char              *asset;       /* asset requests: the hash */

  DigithekStoreItem     *item;
  JsonNode              *manifest_root;
  JsonObject            *manifest;
  DigithekStorePackInfo *pack;
  DigithekStoreDataset  *dataset;
  GHashTable            *texts;   /* sha256 → GBytes of Markdown */
  GPtrArray             *stops;   /* DigithekStoreItem or NULL, by stop */
} Request;

static void
request_finished_cb (SoupServerMessage *msg,
                     Request           *request)
{
  request->gone = TRUE;
}

static Request *
request_new (DigithekHandoff   *self,
             SoupServerMessage *msg)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->finished_id = g_signal_connect (msg, "finished",
                                           G_CALLBACK (request_finished_cb), request);
  request->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_bytes_unref);
  soup_server_message_pause (msg);
  return request;
}

static void
request_free (Request *request)
{
  g_clear_signal_handler (&request->finished_id, request->msg);
  g_clear_object (&request->msg);
  g_clear_object (&request->self);
  g_free (request->pack_id);
  g_free (request->item_id);
  g_free (request->language);
  g_free (request->asset);
  g_clear_pointer (&request->item, digithek_store_item_free);
  g_clear_pointer (&request->manifest_root, json_node_unref);
  g_clear_pointer (&request->pack, digithek_store_pack_info_free);
  g_clear_pointer (&request->dataset, digithek_store_dataset_free);
  g_clear_pointer (&request->texts, g_hash_table_unref);
  g_clear_pointer (&request->stops, g_ptr_array_unref);
  g_free (request);
}

/* Sends what the request's message holds now and forgets the request. */
static void
request_done (Request *request)
{
  if (!request->gone)
    soup_server_message_unpause (request->msg);
  request_free (request);
}

static void
request_fail (Request *request,
              GError  *error)
{
  /* Absent items are the common case; other failures are the kiosk's, not the
   * citizen's, and are logged without the path they asked for. */
  if (g_error_matches (error, DIGITHEK_STORE_ERROR, DIGITHEK_STORE_ERROR_NOT_FOUND))
    respond_not_found (request->msg);
  else
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("handoff: store failed: %s", error->message);
      respond_error (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                     "Gerade nicht verfügbar. Not available right now.\n");
    }
  request_done (request);
}

/* ---- the page ---- */

static void
append_escaped (GString    *html,
                const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL)
    return;
  escaped = g_markup_escape_text (text, -1);
  g_string_append (html, escaped);
}

static void
append_markdown (Request    *request,
                 GString    *html,
                 const char *sha256,
                 int         min_level)
{
  DigithekHandoff *self = request->self;
  g_autofree char *key = NULL;
  const char *cached;
  GBytes *bytes;
  char *rendered;

  if (sha256 == NULL)
    return;
  /* Assets are named by their content: a rendering never goes stale. */
  key = g_strdup_printf ("%d:%s", min_level, sha256);
  cached = g_hash_table_lookup (self->markdown, key);
  if (cached != NULL)
    {
      g_string_append (html, cached);
      return;
    }
  bytes = g_hash_table_lookup (request->texts, sha256);
  if (bytes == NULL)
    return;
  rendered = markdown_to_html (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                               min_level);
  g_string_append (html, rendered);
  if (g_hash_table_size (self->markdown) >= MAX_MARKDOWN_CACHE)
    g_hash_table_remove_all (self->markdown);
  g_hash_table_insert (self->markdown, g_steal_pointer (&key), rendered);
}

static void
append_image (Request    *request,
              GString    *html,
              const char *sha256,
              const char *css_class)
{
  DigithekHandoff *self = request->self;

  if (sha256 == NULL || !is_sha256 (sha256))
    return;
  if (g_hash_table_size (self->assets) >= MAX_ASSETS)
    g_hash_table_remove_all (self->assets);
  g_hash_table_replace (self->assets, g_strdup (sha256),
                        g_strdup_printf ("%s/%s", request->pack_id, request->item_id));
  /* Relative, so the page works behind a base URL with a path prefix too.
   * The images illustrate the text next to them: decorative for screen readers. */
  g_string_append_printf (html, "<img class=\"%s\" src=\"../../asset/%s\" alt=\"\">\n",
                          css_class, sha256);
}

static void
format_number (GString          *html,
               double            value,
               const PageTexts  *texts)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%.10g", value);
  if (g_str_equal (texts->language, "de"))
    for (char *c = buffer; *c != '\0'; c++)
      if (*c == '.')
        *c = ',';
  g_string_append (html, buffer);
}

static void
append_cell (GString             *html,
             DigithekStoreColumn *column,
             guint64              row,
             const PageTexts     *texts,
             gboolean             header)
{
  const char *tag = header ? "th scope=\"row\"" : "td";

  g_string_append_printf (html, "<%s>", tag);
  if (column->texts != NULL)
    {
      if (column->texts[row] != NULL)
        append_escaped (html, column->texts[row]);
      else
        g_string_append (html, "–");
    }
  else if (column->numbers != NULL && !isnan (column->numbers[row]))
    {
      double value = column->numbers[row];

      switch (column->kind)
        {
        case DIGITHEK_STORE_COLUMN_TIME:
          {
            g_autoptr(GDateTime) time = g_date_time_new_from_unix_local ((gint64) value);
            g_autofree char *formatted = NULL;

            if (time != NULL)
              formatted = g_date_time_format (time, g_str_equal (texts->language, "de")
                                                    ? "%d.%m.%Y %H:%M" : "%Y-%m-%d %H:%M");
            if (formatted != NULL)
              g_string_append (html, formatted);
            break;
          }
        case DIGITHEK_STORE_COLUMN_YEAR:
          g_string_append_printf (html, "%.0f", value);
          break;
        case DIGITHEK_STORE_COLUMN_NUMBER:
        case DIGITHEK_STORE_COLUMN_TEXT:
        default:
          format_number (html, value, texts);
          break;
        }
    }
  else
    g_string_append (html, "–");
  g_string_append_printf (html, "</%s>", header ? "th" : "td");
}

static void
append_dataset (Request         *request,
                GString         *html,
                const PageTexts *texts)
{
  DigithekStoreDataset *dataset = request->dataset;
  JsonObject *source = json_object_member (request->manifest, "source");
  const char *source_name = json_string_member (source, "name");
  const char *source_url = json_string_member (source, "url");
  const char *license = json_string_member (source, "license");
  guint64 n_rows = dataset != NULL ? dataset->n_rows : 0;
  guint half = DIGITHEK_HANDOFF_MAX_TABLE_ROWS / 2;

  if (dataset != NULL && dataset->n_columns > 0)
    {
      g_string_append (html, "<div class=\"table\" tabindex=\"0\" role=\"region\" "
                             "aria-labelledby=\"table-caption\"><table>\n"
                             "<caption id=\"table-caption\">");
      append_escaped (html, request->item->title);
      if (dataset->unit != NULL)
        {
          g_string_append (html, " (");
          append_escaped (html, dataset->unit);
          g_string_append (html, ")");
        }
      g_string_append (html, "</caption>\n<thead><tr>");
      for (guint c = 0; c < dataset->n_columns; c++)
        {
          g_string_append (html, "<th scope=\"col\">");
          append_escaped (html, dataset->columns[c].name);
          g_string_append (html, "</th>");
        }
      g_string_append (html, "</tr></thead>\n<tbody>\n");
      for (guint64 row = 0; row < n_rows; row++)
        {
          /* Long series: the first and the last rows, the latest values being what a
           * citizen most often wants to check. */
          if (n_rows > DIGITHEK_HANDOFF_MAX_TABLE_ROWS && row == half)
            {
              g_string_append_printf (html, "<tr><td colspan=\"%u\">…</td></tr>\n",
                                      dataset->n_columns);
              row = n_rows - half;
            }
          g_string_append (html, "<tr>");
          for (guint c = 0; c < dataset->n_columns; c++)
            append_cell (html, &dataset->columns[c], row, texts, c == 0);
          g_string_append (html, "</tr>\n");
        }
      g_string_append (html, "</tbody></table></div>\n<p class=\"note\">");
      if (n_rows > DIGITHEK_HANDOFF_MAX_TABLE_ROWS)
        {
          g_autofree char *total = g_strdup_printf ("%" G_GUINT64_FORMAT, n_rows);

          /* The formats come from page_texts above, never from a pack. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
          g_string_append_printf (html, texts->rows_some, half, half, total);
#pragma GCC diagnostic pop
        }
      else
        {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
          g_string_append_printf (html, texts->rows_all, (guint) n_rows);
#pragma GCC diagnostic pop
        }
      g_string_append (html, "</p>\n");
    }

  g_string_append (html, "<dl class=\"source\">\n");
  if (source_name != NULL)
    {
      g_string_append_printf (html, "<dt>%s</dt><dd>", texts->source);
      if (source_url != NULL && (g_str_has_prefix (source_url, "https://") ||
                                 g_str_has_prefix (source_url, "http://")))
        {
          g_string_append (html, "<a href=\"");
          append_escaped (html, source_url);
          g_string_append (html, "\">");
          append_escaped (html, source_name);
          g_string_append (html, "</a>");
        }
      else
        append_escaped (html, source_name);
      g_string_append (html, "</dd>\n");
    }
  if (license != NULL)
    {
      g_string_append_printf (html, "<dt>%s</dt><dd>", texts->license);
      append_escaped (html, license);
      g_string_append (html, "</dd>\n");
    }
  g_string_append (html, "</dl>\n");
}

static void
append_guide (Request         *request,
              GString         *html,
              const PageTexts *texts,
              const char      *language,
              const char      *fallback)
{
  JsonArray *steps = json_array_member (request->manifest, "steps");
  guint n_steps = steps != NULL ? json_array_get_length (steps) : 0;

  if (n_steps == 0)
    return;

  /* A table of contents first: on a phone, a long guide is a long scroll. */
  g_string_append_printf (html, "<nav aria-label=\"%s\"><ol class=\"toc\">\n", texts->steps);
  for (guint i = 0; i < n_steps; i++)
    {
      JsonNode *node = json_array_get_element (steps, i);
      JsonObject *step = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      g_string_append_printf (html, "<li><a href=\"#step-%u\">", i + 1);
      append_escaped (html,
                      digithek_json_text_map_lookup (json_object_member (step, "title"),
                                                     language, fallback));
      g_string_append (html, "</a></li>\n");
    }
  g_string_append (html, "</ol></nav>\n<ol class=\"steps\">\n");
  for (guint i = 0; i < n_steps; i++)
    {
      JsonNode *node = json_array_get_element (steps, i);
      JsonObject *step = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      g_string_append_printf (html, "<li><section id=\"step-%u\" aria-labelledby="
                                    "\"step-%u-title\">\n<h2 id=\"step-%u-title\">"
                                    "<span class=\"number\">",
                              i + 1, i + 1, i + 1);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_string_append_printf (html, texts->step, i + 1);
#pragma GCC diagnostic pop
      g_string_append (html, "</span> ");
      append_escaped (html,
                      digithek_json_text_map_lookup (json_object_member (step, "title"),
                                                     language, fallback));
      g_string_append (html, "</h2>\n");
      append_image (request, html, json_string_member (step, "image"), "step");
      append_markdown (request, html,
                       digithek_json_text_map_lookup (json_object_member (step, "body"),
                                                      language, fallback),
                       3);
      g_string_append (html, "</section></li>\n");
    }
  g_string_append (html, "</ol>\n");
}

static void
append_tour (Request         *request,
             GString         *html,
             const PageTexts *texts)
{
  if (request->stops == NULL || request->stops->len == 0)
    return;
  g_string_append_printf (html, "<h2>%s</h2>\n<ol class=\"stops\">\n", texts->stops);
  for (guint i = 0; i < request->stops->len; i++)
    {
      DigithekStoreItem *stop = g_ptr_array_index (request->stops, i);

      /* Stops of packs not installed are left out: their links would be 404s. */
      if (stop == NULL)
        continue;
      g_string_append_printf (html, "<li><a href=\"../../i/%s/%s?lang=%s\">",
                              stop->pack_id, stop->item_id, stop->language);
      append_escaped (html, stop->title);
      g_string_append (html, "</a></li>\n");
    }
  g_string_append (html, "</ol>\n");
}

static const char page_style[] =
  "html{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;"
  "font-size:112.5%;line-height:1.5;color:#1a1a1a;background:#fff;"
  "-webkit-text-size-adjust:100%}"
  "body{margin:0 auto;max-width:40rem;padding:1rem}"
  "h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}"
  "h2{font-size:1.3rem;line-height:1.3;margin:1.5rem 0 .5rem}"
  "h3,h4,h5,h6{font-size:1.1rem}"
  ".summary{font-size:1.1rem}"
  "img{max-width:100%;height:auto;border-radius:.5rem}"
  "a{color:#0645ad;text-underline-offset:.15em}"
  "a:focus{outline:3px solid #f59e0b;outline-offset:2px}"
  "nav ol,.stops{padding-left:1.5rem}nav li,.stops li{margin:.4rem 0}"
  ".steps{list-style:none;padding:0}"
  ".steps section{border-top:2px solid #d0d0d0;padding-top:.25rem}"
  ".number{display:block;font-size:.9rem;font-weight:normal;color:#555}"
  "blockquote{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #3584e4;"
  "background:#f0f4fa}"
  ".table{overflow-x:auto;margin:1rem 0}"
  "table{border-collapse:collapse;font-size:.9rem;font-variant-numeric:tabular-nums}"
  "caption{text-align:left;font-weight:bold;padding:.25rem 0}"
  "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right;white-space:nowrap}"
  "thead th{background:#f2f2f2;position:sticky;top:0}"
  "tbody th{text-align:left;font-weight:normal}"
  ".note,footer{color:#555;font-size:.9rem}"
  "dt{font-weight:bold}dd{margin:0 0 .5rem}"
  ".languages a{margin-right:1rem}"
  "footer{border-top:1px solid #ccc;margin-top:2rem;padding-top:.5rem}"
  "@media (prefers-color-scheme:dark){html{color:#eee;background:#1e1e1e}"
  "a{color:#8ab4f8}.number,.note,footer{color:#bbb}thead th{background:#333}"
  "blockquote{background:#26303d}}";

static char *
render_page (Request *request)
{
  DigithekStoreItem *item = request->item;
  const char *language = item->language;
  const char *fallback = request->pack != NULL && request->pack->languages != NULL
                         ? request->pack->languages[0] : language;
  const PageTexts *texts = page_texts_for (language);
  GString *html = g_string_sized_new (16 * 1024);

  g_string_append (html, "<!DOCTYPE html>\n<html lang=\"");
  append_escaped (html, language);
  g_string_append (html, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta name=\"viewport\" content=\"width=device-width, "
                         "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
                         "<title>");
  append_escaped (html, item->title);
  g_string_append_printf (html, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n"
                                "<header>\n", page_style);
  if (request->pack != NULL && request->pack->title != NULL)
    {
      g_string_append (html, "<p class=\"note\">");
      append_escaped (html, request->pack->title);
      g_string_append (html, "</p>\n");
    }
  g_string_append (html, "<h1>");
  append_escaped (html, item->title);
  g_string_append (html, "</h1>\n");
  if (item->summary != NULL)
    {
      g_string_append (html, "<p class=\"summary\">");
      append_escaped (html, item->summary);
      g_string_append (html, "</p>\n");
    }
  g_string_append (html, "</header>\n");
  append_image (request, html, json_string_member (request->manifest, "image"), "item");

  switch (item->kind)
    {
    case DIGITHEK_ITEM_DATASET:
      append_dataset (request, html, texts);
      break;
    case DIGITHEK_ITEM_EXPLAINER:
      g_string_append (html, "<article>\n");
      append_markdown (request, html,
                       digithek_json_text_map_lookup (json_object_member (request->manifest,
                                                                          "body"),
                                                      language, fallback),
                       2);
      g_string_append (html, "</article>\n");
      break;
    case DIGITHEK_ITEM_GUIDE:
      append_guide (request, html, texts, language, fallback);
      break;
    case DIGITHEK_ITEM_TOUR:
      append_tour (request, html, texts);
      break;
    default:
      break;
    }
  g_string_append (html, "</main>\n<footer>\n");
  if (request->pack != NULL && request->pack->languages != NULL &&
      g_strv_length (request->pack->languages) > 1)
    {
      g_string_append_printf (html, "<p class=\"languages\" aria-label=\"%s\">",
                              texts->languages);
      for (guint i = 0; request->pack->languages[i] != NULL; i++)
        {
          const char *code = request->pack->languages[i];

          if (!digithek_language_code_is_valid (code))
            continue;
          if (g_str_equal (code, language))
            g_string_append_printf (html, "<span lang=\"%s\" aria-current=\"page\">%s</span> ",
                                    code, language_name (code));
          else
            g_string_append_printf (html, "<a href=\"?lang=%s\" hreflang=\"%s\" lang=\"%s\">"
                                          "%s</a> ",
                                    code, code, code, language_name (code));
        }
      g_string_append (html, "</p>\n");
    }
  g_string_append_printf (html, "<p>%s</p>\n</footer>\n</body>\n</html>\n", texts->footer);
  return g_string_free (html, FALSE);
}

static void
page_step_done (Request *request)
{
  char *html;

  g_assert (request->pending > 0);
  if (--request->pending > 0)
    return;
  if (request->gone)
    {
      request_free (request);
      return;
    }
  html = render_page (request);
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  /* Pages change when a pack is updated; the phone asks again, cheaply. */
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Cache-Control", "no-cache");
  soup_server_message_set_response (request->msg, "text/html; charset=utf-8",
                                    SOUP_MEMORY_TAKE, html, strlen (html));
  request_done (request);
}

typedef struct
{
  Request *request;
  char    *sha256;
} TextFetch;

static void
got_text_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TextFetch *fetch = user_data;
  Request *request = fetch->request;
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
fetch_text (Request    *request,
            const char *sha256,
            int         min_level)
{
  g_autofree char *key = NULL;
  TextFetch *fetch;

  if (sha256 == NULL || !is_sha256 (sha256) ||
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
  Request *request = user_data;
  g_autoptr(GError) error = NULL;

  request->dataset = digithek_store_get_dataset_finish (DIGITHEK_STORE (source), result,
                                                        &error);
  page_step_done (request);
}

typedef struct
{
  Request *request;
  guint    index;
} StopFetch;

static void
got_stop_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  StopFetch *fetch = user_data;
  Request *request = fetch->request;

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
  Request *request = user_data;
  DigithekHandoff *self = request->self;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;
  const char *language;
  const char *fallback;

  packs = digithek_store_list_packs_finish (DIGITHEK_STORE (source), result, &error);
  if (packs == NULL)
    {
      request_fail (request, error);
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
      fetch_text (request,
                  digithek_json_text_map_lookup (json_object_member (request->manifest, "body"),
                                                 language, fallback),
                  2);
      break;
    case DIGITHEK_ITEM_GUIDE:
      {
        JsonArray *steps = json_array_member (request->manifest, "steps");

        for (guint i = 0; steps != NULL && i < json_array_get_length (steps); i++)
          {
            JsonNode *node = json_array_get_element (steps, i);

            if (JSON_NODE_HOLDS_OBJECT (node))
              {
                JsonObject *body = json_object_member (json_node_get_object (node), "body");

                fetch_text (request, digithek_json_text_map_lookup (body, language, fallback), 3);
              }
          }
        break;
      }
    case DIGITHEK_ITEM_TOUR:
      {
        JsonArray *stops = json_array_member (request->manifest, "stops");
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
  Request *request = user_data;
  g_autoptr(GError) error = NULL;

  request->item = digithek_store_get_item_finish (DIGITHEK_STORE (source), result, &error);
  if (request->item == NULL)
    {
      request_fail (request, error);
      return;
    }
  request->manifest = parse_object (request->item->manifest_json, &request->manifest_root);
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
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *type;

  bytes = digithek_store_get_asset_finish (DIGITHEK_STORE (source), result, &error);
  if (bytes == NULL)
    {
      request_fail (request, error);
      return;
    }
  type = image_type (bytes);
  if (type == NULL)
    {
      respond_not_found (request->msg);
      request_done (request);
      return;
    }
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  /* Named by its content: it never changes under this URL. */
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Cache-Control", "public, max-age=31536000, immutable");
  soup_server_message_set_response (request->msg, type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  request_done (request);
}

static void
got_asset_item_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GHashTable) images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;

  request->item = digithek_store_get_item_finish (DIGITHEK_STORE (source), result, &error);
  if (request->item == NULL)
    {
      request_fail (request, error);
      return;
    }
  /* Served only while an installed item still shows it: an image of a removed or
   * replaced pack version goes with it, and nothing else in the store is reachable. */
  request->manifest = parse_object (request->item->manifest_json, &request->manifest_root);
  collect_images (request->manifest, images);
  if (!g_hash_table_contains (images, request->asset))
    {
      respond_not_found (request->msg);
      request_done (request);
      return;
    }
  digithek_store_get_asset_async (request->self->store, request->asset,
                                  request->self->cancellable, got_asset_cb, request);
}

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

  add_common_headers (msg);

  if (!rate_limit_take (self, soup_server_message_get_remote_host (msg)))
    {
      soup_message_headers_replace (response_headers, "Retry-After", "1");
      respond_error (msg, 429 /* Too Many Requests */,
                     "Zu viele Anfragen. Too many requests.\n");
      return;
    }

  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0 && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0)
    {
      soup_message_headers_replace (response_headers, "Allow", "GET, HEAD");
      soup_message_headers_replace (response_headers, "Connection", "close");
      respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Nur lesen. Read only.\n");
      return;
    }

  uri_length = strlen (g_uri_get_path (uri)) +
               (g_uri_get_query (uri) != NULL ? strlen (g_uri_get_query (uri)) + 1 : 0);
  if (uri_length > DIGITHEK_HANDOFF_MAX_REQUEST)
    {
      soup_message_headers_replace (response_headers, "Connection", "close");
      respond_error (msg, SOUP_STATUS_REQUEST_URI_TOO_LONG, "Adresse zu lang. URI too long.\n");
      return;
    }

  soup_message_headers_foreach (request_headers, count_header_cb, &header_size);
  if (header_size > DIGITHEK_HANDOFF_MAX_REQUEST)
    {
      soup_message_headers_replace (response_headers, "Connection", "close");
      respond_error (msg, 431 /* Request Header Fields Too Large */, "Anfrage zu groß. Request too large.\n");
      return;
    }

  if (soup_message_headers_get_encoding (request_headers) == SOUP_ENCODING_CHUNKED ||
      soup_message_headers_get_content_length (request_headers) > 0)
    {
      soup_message_headers_replace (response_headers, "Connection", "close");
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
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
      Request *request;

      if (language == NULL || !digithek_language_code_is_valid (language))
        language = self->default_language;
      request = request_new (self, msg);
      request->pack_id = g_strdup (segments[2]);
      request->item_id = g_strdup (segments[3]);
      request->language = g_strdup (language);
      digithek_store_get_item_async (self->store, request->pack_id, request->item_id,
                                     request->language, self->cancellable, got_item_cb,
                                     request);
      return;
    }

  if (n == 3 && segments[0][0] == '\0' && g_str_equal (segments[1], "asset") &&
      is_sha256 (segments[2]))
    {
      const char *owner = g_hash_table_lookup (self->assets, segments[2]);
      g_auto(GStrv) parts = NULL;
      Request *request;

      if (owner == NULL)
        {
          respond_not_found (msg);
          return;
        }
      parts = g_strsplit (owner, "/", 2);
      request = request_new (self, msg);
      request->asset = g_strdup (segments[2]);
      request->pack_id = g_strdup (parts[0]);
      request->item_id = g_strdup (parts[1]);
      digithek_store_get_item_async (self->store, request->pack_id, request->item_id,
                                     self->default_language, self->cancellable,
                                     got_asset_item_cb, request);
      return;
    }

  respond_not_found (msg);
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
digithek_handoff_new (DigithekStore *store,
                      const char    *listen,
                      const char    *base_url,
                      const char    *default_language,
                      GError       **error)
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
digithek_handoff_start (DigithekHandoff *self,
                        GError         **error)
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

char *
digithek_handoff_item_url (DigithekHandoff *self,
                           const char      *pack_id,
                           const char      *item_id,
                           guint            step,
                           const char      *language)
{
  GString *url;

  g_return_val_if_fail (DIGITHEK_IS_HANDOFF (self), NULL);
  g_return_val_if_fail (pack_id != NULL && item_id != NULL, NULL);

  if (self->base_url == NULL || !digithek_pack_id_is_valid (pack_id) ||
      !digithek_pack_id_is_valid (item_id) ||
      (language != NULL && !digithek_language_code_is_valid (language)))
    return NULL;

  /* Ids and language codes are ASCII letters, digits and "-": nothing to escape. */
  url = g_string_new (self->base_url);
  g_string_append_printf (url, "/i/%s/%s", pack_id, item_id);
  if (language != NULL)
    g_string_append_printf (url, "?lang=%s", language);
  if (step > 0)
    g_string_append_printf (url, "#step-%u", step);
  return g_string_free (url, FALSE);
}

char *
digithek_handoff_normalize_url (const char *url)
{
  const char *rest;
  const char *host_end;
  g_autofree char *host = NULL;
  g_autofree char *ascii_host = NULL;
  g_autofree char *escaped = NULL;
  gsize scheme_length;

  g_return_val_if_fail (url != NULL, NULL);

  if (g_ascii_strncasecmp (url, "https://", 8) == 0)
    scheme_length = 8;
  else if (g_ascii_strncasecmp (url, "http://", 7) == 0)
    scheme_length = 7;
  else
    return NULL;
  if (!g_utf8_validate (url, -1, NULL))
    return NULL;

  rest = url + scheme_length;
  host_end = rest + strcspn (rest, "/?#");
  host = g_strndup (rest, (gsize) (host_end - rest));
  if (*host == '\0')
    return NULL;
  /* "bürgeramt.de" and "xn--brgeramt-q9a.de" are the same host; phones and some
   * scanners only understand the second. */
  if (!g_str_is_ascii (host))
    {
      g_autofree char *name = NULL;
      const char *port = strrchr (host, ':');

      name = port != NULL ? g_strndup (host, (gsize) (port - host)) : g_strdup (host);
      ascii_host = g_hostname_to_ascii (name);
      if (ascii_host == NULL)
        return NULL;
      if (port != NULL)
        {
          char *with_port = g_strconcat (ascii_host, port, NULL);

          g_free (ascii_host);
          ascii_host = with_port;
        }
    }

  /* Reserved characters and existing escapes stay as written (they carry meaning);
   * spaces, non-ASCII and other characters URLs may not hold become UTF-8 escapes. */
  escaped = g_uri_escape_string (host_end, "!#$&'()*+,/:;=?@[]%~", FALSE);
  return g_strdup_printf ("%.*s%s%s", (int) scheme_length, url,
                          ascii_host != NULL ? ascii_host : host, escaped);
}

char *
digithek_handoff_url_for_item (DigithekHandoff *handoff,
                               const char      *manifest_json,
                               const char      *pack_id,
                               const char      *item_id,
                               guint            step,
                               const char      *language,
                               gboolean         prefer_local)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *item;

  g_return_val_if_fail (handoff == NULL || DIGITHEK_IS_HANDOFF (handoff), NULL);
  g_return_val_if_fail (pack_id != NULL && item_id != NULL, NULL);

  item = parse_object (manifest_json, &root);
  if (!prefer_local && item != NULL)
    {
      const char *web = json_string_member (item, "web");
      const char *web_step = json_string_member (item, "web_step");
      char *url = NULL;

      if (step > 0 && web_step != NULL && strstr (web_step, "{step}") != NULL)
        {
          g_autofree char *number = g_strdup_printf ("%u", step);
          g_autoptr(GString) expanded = g_string_new (web_step);

          g_string_replace (expanded, "{step}", number, 0);
          url = digithek_handoff_normalize_url (expanded->str);
        }
      if (url == NULL && web != NULL)
        url = digithek_handoff_normalize_url (web);
      if (url != NULL)
        return url;
    }

  if (handoff != NULL)
    return digithek_handoff_item_url (handoff, pack_id, item_id, step, language);
  return NULL;
}
