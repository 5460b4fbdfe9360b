/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "digithek-handoff-private.h"
#include "digithek-licence.h"

/* An item's page for a phone: plain HTML and one style sheet, no scripts. */

/* Bounds on what the server remembers, whatever the clients do. */
#define MAX_ASSETS         4096 /* image hashes seen on pages served */
#define MAX_MARKDOWN_CACHE 256  /* rendered Markdown files */

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
append_markdown (DigithekHandoffRequest *request,
                 GString                *html,
                 const char             *sha256,
                 int                     min_level)
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
append_image (DigithekHandoffRequest *request,
              GString                *html,
              const char             *sha256,
              const char             *css_class)
{
  DigithekHandoff *self = request->self;

  if (sha256 == NULL || !digithek_handoff_is_sha256 (sha256))
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
format_number (GString         *html,
               double           value,
               const PageTexts *texts)
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
append_dataset (DigithekHandoffRequest *request,
                GString                *html,
                const PageTexts        *texts)
{
  DigithekStoreDataset *dataset = request->dataset;
  JsonObject *source = digithek_json_get_object (request->manifest, "source");
  const char *source_name = digithek_json_get_string (source, "name");
  const char *source_url = digithek_json_get_string (source, "url");
  const char *license = digithek_json_get_string (source, "license");
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
          /* A series by its label (chart.labels), as the kiosk's table names it. */
          g_string_append (html, "<th scope=\"col\">");
          append_escaped (html, digithek_json_series_label (request->manifest,
                                                            dataset->columns[c].name,
                                                            request->item->language));
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
      /* By its name, the id small beside it; an id the table does not know as it is. */
      const char *name = digithek_licence_name (license, texts->language);

      g_string_append_printf (html, "<dt>%s</dt><dd>", texts->license);
      if (name != NULL)
        {
          append_escaped (html, name);
          g_string_append (html, " <small>");
          append_escaped (html, license);
          g_string_append (html, "</small>");
        }
      else
        append_escaped (html, license);
      g_string_append (html, "</dd>\n");
    }
  g_string_append (html, "</dl>\n");
}

static void
append_guide (DigithekHandoffRequest *request,
              GString                *html,
              const PageTexts        *texts,
              const char             *language,
              const char             *fallback)
{
  JsonArray *steps = digithek_json_get_array (request->manifest, "steps");
  guint n_steps = steps != NULL ? json_array_get_length (steps) : 0;

  if (n_steps == 0)
    return;

  /* A table of contents first: on a phone, a long guide is a long scroll. */
  g_string_append_printf (html, "<nav aria-label=\"%s\"><ol class=\"toc\">\n", texts->steps);
  for (guint i = 0; i < n_steps; i++)
    {
      JsonNode *node = json_array_get_element (steps, i);
      JsonObject *step = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *title = digithek_json_get_object (step, "title");

      g_string_append_printf (html, "<li><a href=\"#step-%u\">", i + 1);
      append_escaped (html, digithek_json_text_map_lookup (title, language, fallback));
      g_string_append (html, "</a></li>\n");
    }
  g_string_append (html, "</ol></nav>\n<ol class=\"steps\">\n");
  for (guint i = 0; i < n_steps; i++)
    {
      JsonNode *node = json_array_get_element (steps, i);
      JsonObject *step = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *title = digithek_json_get_object (step, "title");
      JsonObject *body = digithek_json_get_object (step, "body");

      g_string_append_printf (html, "<li><section id=\"step-%u\" aria-labelledby="
                                    "\"step-%u-title\">\n<h2 id=\"step-%u-title\">"
                                    "<span class=\"number\">",
                              i + 1, i + 1, i + 1);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_string_append_printf (html, texts->step, i + 1);
#pragma GCC diagnostic pop
      g_string_append (html, "</span> ");
      append_escaped (html, digithek_json_text_map_lookup (title, language, fallback));
      g_string_append (html, "</h2>\n");
      append_image (request, html, digithek_json_get_string (step, "image"), "step");
      append_markdown (request, html, digithek_json_text_map_lookup (body, language, fallback),
                       3);
      g_string_append (html, "</section></li>\n");
    }
  g_string_append (html, "</ol>\n");
}

static void
append_tour (DigithekHandoffRequest *request,
             GString                *html,
             const PageTexts        *texts)
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

char *
digithek_handoff_render_page (DigithekHandoffRequest *request)
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
  append_image (request, html, digithek_json_get_string (request->manifest, "image"),
                "item");

  switch (item->kind)
    {
    case DIGITHEK_ITEM_DATASET:
      append_dataset (request, html, texts);
      break;
    case DIGITHEK_ITEM_EXPLAINER:
      {
        JsonObject *body = digithek_json_get_object (request->manifest, "body");

        g_string_append (html, "<article>\n");
        append_markdown (request, html, digithek_json_text_map_lookup (body, language, fallback),
                         2);
        g_string_append (html, "</article>\n");
      }
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
