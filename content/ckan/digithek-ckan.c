/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client for the CKAN Action API (and DKAN's imitation of it) that turns a dataset
 * into a pack item. */

#include "config.h"

#include "digithek-ckan.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "digithek-pack.h"

G_DEFINE_QUARK (digithek-ckan-error-quark, digithek_ckan_error)

/* The Action API's answer is metadata; a portal sending more is not answering it. */
#define API_MAX_SIZE (16 * 1024 * 1024)
#define DEFAULT_TIMEOUT_SECONDS 30
#define SUMMARY_MAX_CHARS 300
#define MAX_Y_COLUMNS 4
#define STAGE_PREFIX ".digithek-ckan-"

/* ---- small helpers ---- */

static void
resource_free (DigithekCkanResource *resource)
{
  g_free (resource->id);
  g_free (resource->name);
  g_free (resource->format);
  g_free (resource->mimetype);
  g_free (resource->url);
  g_free (resource->last_modified);
  g_free (resource);
}

void
digithek_ckan_dataset_free (DigithekCkanDataset *dataset)
{
  if (dataset == NULL)
    return;
  g_free (dataset->id);
  g_free (dataset->name);
  g_free (dataset->title);
  g_free (dataset->notes);
  g_free (dataset->organization);
  g_free (dataset->license_id);
  g_free (dataset->license_title);
  g_free (dataset->metadata_modified);
  g_strfreev (dataset->tags);
  g_clear_pointer (&dataset->resources, g_ptr_array_unref);
  g_free (dataset);
}

void
digithek_ckan_report_free (DigithekCkanReport *report)
{
  if (report == NULL)
    return;
  g_free (report->pack_id);
  g_free (report->item_id);
  g_free (report->title);
  g_free (report->data_path);
  g_free (report->resource_name);
  g_free (report->resource_url);
  g_free (report->license);
  g_free (report->source_name);
  g_free (report->source_url);
  g_free (report->source_modified);
  g_free (report->chart_type);
  g_free (report->chart_x);
  g_strfreev (report->chart_y);
  g_free (report->csv_settings);
  g_clear_pointer (&report->notes, g_ptr_array_unref);
  g_free (report);
}

void
digithek_ckan_chart_guess_clear (DigithekCkanChartGuess *guess)
{
  g_clear_pointer (&guess->type, g_free);
  g_clear_pointer (&guess->x, g_free);
  g_clear_pointer (&guess->y, g_strfreev);
}

/* DKAN sends numbers as strings and CKAN sometimes numbers where text is expected;
 * read either as text. Returns %NULL for null, absent, objects and empty strings. */
static char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
      }
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  g_autofree char *text = member_text (object, name);
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXINT64,
                                                   &value, NULL))
    return -1;
  return (gint64) value;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* ---- text ---- */

typedef struct
{
  const char *name;
  gunichar    c;
} Entity;

/* The XML ones and those German portals' editors actually produce. */
static const Entity entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", ' ' }, { "auml", 0xe4 }, { "ouml", 0xf6 }, { "uuml", 0xfc }, { "Auml", 0xc4 },
  { "Ouml", 0xd6 }, { "Uuml", 0xdc }, { "szlig", 0xdf }, { "euro", 0x20ac },
  { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "hellip", 0x2026 }, { "bdquo", 0x201e },
  { "ldquo", 0x201c }, { "rdquo", 0x201d }, { "sbquo", 0x201a }, { "lsquo", 0x2018 },
  { "rsquo", 0x2019 }, { "laquo", 0xab }, { "raquo", 0xbb }, { "copy", 0xa9 },
  { "deg", 0xb0 }, { "eacute", 0xe9 }, { "egrave", 0xe8 }, { "agrave", 0xe0 },
  { "aacute", 0xe1 }, { "middot", 0xb7 }, { "bull", 0x2022 }, { "sup2", 0xb2 },
  { "sup3", 0xb3 }, { "micro", 0xb5 }, { "shy", 0xad }, { "para", 0xb6 }, { "sect", 0xa7 },
};

/* Decodes the entity at @p (pointing at '&'); returns the length consumed, 0 if it is
 * not an entity we know (then the '&' stays as it is). */
static gsize
decode_entity (const char *p,
               gunichar   *out)
{
  const char *semi = strchr (p, ';');
  gsize len;

  if (semi == NULL || semi - p > 10 || semi - p < 2)
    return 0;
  len = semi - p + 1;
  if (p[1] == '#')
    {
      guint64 value;
      gboolean hex = p[2] == 'x' || p[2] == 'X';
      g_autofree char *digits = g_strndup (p + (hex ? 3 : 2), semi - p - (hex ? 3 : 2));

      if (!g_ascii_string_to_unsigned (digits, hex ? 16 : 10, 1, 0x10ffff, &value, NULL)
          || !g_unichar_validate ((gunichar) value))
        return 0;
      *out = (gunichar) value;
      return len;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strlen (entities[i].name) == len - 2 && strncmp (p + 1, entities[i].name, len - 2) == 0)
      {
        *out = entities[i].c;
        return len;
      }
  return 0;
}

/* Collapses every run of white space (also no-break spaces) into one space, trims, and
 * drops soft hyphens and control characters. */
static char *
collapse_space (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0xa0 || c == 0x202f)
        {
          space = TRUE;
          continue;
        }
      if (c == 0xad || g_unichar_iscntrl (c))
        continue;
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

char *
digithek_ckan_html_to_text (const char *html)
{
  g_autoptr(GString) out = NULL;
  const char *p;

  if (html == NULL)
    return g_strdup ("");
  /* Portals hand us what their editors stored; never let bad bytes reach pack.json. */
  if (!g_utf8_validate (html, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (html, -1);
      return digithek_ckan_html_to_text (valid);
    }

  out = g_string_new (NULL);
  p = html;
  while (*p != '\0')
    {
      if (*p == '<' && (g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?'))
        {
          const char *end;

          if (g_ascii_strncasecmp (p, "<script", 7) == 0 || g_ascii_strncasecmp (p, "<style", 6) == 0)
            {
              const char *close = g_ascii_strncasecmp (p, "<script", 7) == 0 ? "</script" : "</style";
              const char *q = p;

              /* Skip to the closing tag, case-insensitively. */
              while (*q != '\0' && g_ascii_strncasecmp (q, close, strlen (close)) != 0)
                q++;
              p = q;
              if (*p == '\0')
                break;
            }
          if (strncmp (p, "<!--", 4) == 0)
            {
              end = strstr (p + 4, "-->");
              p = end != NULL ? end + 3 : p + strlen (p);
              g_string_append_c (out, ' ');
              continue;
            }
          end = strchr (p, '>');
          if (end == NULL)
            break;
          /* Block elements and line breaks separate words. */
          g_string_append_c (out, ' ');
          p = end + 1;
          continue;
        }
      if (*p == '&')
        {
          gunichar c = 0;
          gsize len = decode_entity (p, &c);

          if (len > 0)
            {
              g_string_append_unichar (out, c);
              p += len;
              continue;
            }
        }
      g_string_append_c (out, *p);
      p++;
    }

  return collapse_space (out->str);
}

char *
digithek_ckan_shorten (const char *text,
                       guint       max_chars)
{
  const char *cut;
  const char *space = NULL;
  g_autofree char *head = NULL;
  gsize len;

  if (g_utf8_strlen (text, -1) <= (glong) max_chars)
    return g_strdup (text);

  /* Leave room for the ellipsis. */
  cut = g_utf8_offset_to_pointer (text, max_chars > 1 ? max_chars - 1 : 0);
  for (const char *p = text; p < cut; p = g_utf8_next_char (p))
    if (*p == ' ')
      space = p;
  /* A single word longer than the limit is cut inside it rather than dropped. */
  head = g_strndup (text, (space != NULL && space > text ? space : cut) - text);
  len = strlen (head);
  while (len > 0 && strchr (" ,;:-–", head[len - 1]) != NULL)
    head[--len] = '\0';
  return g_strconcat (head, "…", NULL);
}

char *
digithek_ckan_slugify (const char *text)
{
  static const struct { const char *from, *to; } german[] = {
    { "ä", "ae" }, { "ö", "oe" }, { "ü", "ue" }, { "Ä", "ae" }, { "Ö", "oe" }, { "Ü", "ue" },
    { "ß", "ss" },
  };
  g_autoptr(GString) expanded = NULL;
  g_autofree char *ascii = NULL;
  GString *slug;

  if (text == NULL)
    return g_strdup ("datensatz");

  /* g_str_to_ascii() would write "a" for "ä"; German readers expect "ae". */
  expanded = g_string_new (text);
  for (gsize i = 0; i < G_N_ELEMENTS (german); i++)
    g_string_replace (expanded, german[i].from, german[i].to, 0);
  ascii = g_str_to_ascii (expanded->str, "C");

  slug = g_string_new (NULL);
  for (const char *p = ascii; *p != '\0'; p++)
    {
      char c = g_ascii_tolower (*p);

      if (g_ascii_isalnum (c))
        g_string_append_c (slug, c);
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  if (slug->len > 64)
    {
      /* Prefer to end at a word. */
      const char *dash = g_strrstr_len (slug->str, 64, "-");
      g_string_truncate (slug, dash != NULL && dash - slug->str >= 32 ? (gsize) (dash - slug->str) : 64);
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_assign (slug, "datensatz");
  return g_string_free (slug, FALSE);
}

/* ---- licences ---- */

typedef struct
{
  const char *key;  /* normalised: lower case, runs of other characters as one "-" */
  const char *id;
} LicenseMap;

static const LicenseMap license_map[] = {
  /* Datenlizenz Deutschland: CKAN ids, GovData URI tails, our own ids. */
  { "dl-de-by-2-0", "dl-de/by-2-0" },
  { "dl-by-de-2-0", "dl-de/by-2-0" },
  { "dl-de-by-2", "dl-de/by-2-0" },
  { "dl-de-zero-2-0", "dl-de/zero-2-0" },
  { "dl-zero-de-2-0", "dl-de/zero-2-0" },
  { "dl-de-zero-2", "dl-de/zero-2-0" },
  { "dl-de-by-1-0", "dl-de/by-1-0" },
  { "dl-by-de-1-0", "dl-de/by-1-0" },
  { "dl-de-by-nc-1-0", "dl-de/by-nc-1-0" },
  { "dl-by-nc-de-1-0", "dl-de/by-nc-1-0" },
  /* Creative Commons: CKAN's ids carry no version; CKAN 2.x means 4.0 by them now. */
  { "cc-by", "CC-BY-4.0" },
  { "cc-by-4-0", "CC-BY-4.0" },
  { "cc-by-40", "CC-BY-4.0" },
  { "cc-by-4", "CC-BY-4.0" },
  { "cc-by-3-0", "CC-BY-3.0" },
  { "cc-by-30", "CC-BY-3.0" },
  { "cc-by-de-3-0", "CC-BY-3.0-DE" },
  { "cc-by-sa", "CC-BY-SA-4.0" },
  { "cc-by-sa-4-0", "CC-BY-SA-4.0" },
  { "cc-by-sa-40", "CC-BY-SA-4.0" },
  { "cc-by-sa-3-0", "CC-BY-SA-3.0" },
  { "cc-by-sa-de-3-0", "CC-BY-SA-3.0-DE" },
  { "cc-nc", "CC-BY-NC-4.0" },
  { "cc-by-nc", "CC-BY-NC-4.0" },
  { "cc-by-nc-4-0", "CC-BY-NC-4.0" },
  { "cc-by-nd-4-0", "CC-BY-ND-4.0" },
  { "cc-zero", "CC0-1.0" },
  { "cc0", "CC0-1.0" },
  { "cc-0", "CC0-1.0" },
  { "cc0-1-0", "CC0-1.0" },
  { "cc-zero-1-0", "CC0-1.0" },
  /* Open Data Commons. */
  { "odc-odbl", "ODbL-1.0" },
  { "odbl", "ODbL-1.0" },
  { "odbl-1-0", "ODbL-1.0" },
  { "odc-odbl-1-0", "ODbL-1.0" },
  { "odc-by", "ODC-By-1.0" },
  { "odby", "ODC-By-1.0" },
  { "odc-by-1-0", "ODC-By-1.0" },
  { "odc-pddl", "PDDL-1.0" },
  { "pddl", "PDDL-1.0" },
  { "odc-pddl-1-0", "PDDL-1.0" },
};

static char *
license_normalise (const char *text)
{
  static const char * const prefixes[] = {
    "http://dcat-ap.de/def/licenses/", "https://dcat-ap.de/def/licenses/",
    "http://www.opendefinition.org/licenses/", "http://opendefinition.org/licenses/",
    "https://opendefinition.org/licenses/",
  };
  GString *key = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (text, prefixes[i]))
      {
        text += strlen (prefixes[i]);
        break;
      }
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (key, g_ascii_tolower (*p));
      else if (key->len > 0 && key->str[key->len - 1] != '-')
        g_string_append_c (key, '-');
    }
  while (key->len > 0 && key->str[key->len - 1] == '-')
    g_string_truncate (key, key->len - 1);
  return g_string_free (key, FALSE);
}

static const char *
license_lookup (const char *text)
{
  g_autofree char *key = NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  key = license_normalise (text);
  for (gsize i = 0; i < G_N_ELEMENTS (license_map); i++)
    if (g_str_equal (key, license_map[i].key))
      return license_map[i].id;
  return NULL;
}

/* Titles as portals write them ("Datenlizenz Deutschland – Namensnennung – Version 2.0",
 * "Creative Commons Namensnennung 4.0 International"): recognised by their words. */
static const char *
license_from_title (const char *title)
{
  g_autofree char *key = NULL;
  g_autofree char *padded = NULL;

  if (title == NULL)
    return NULL;
  key = license_normalise (title);
  padded = g_strconcat ("-", key, "-", NULL);

#define HAS(word) (strstr (padded, "-" word "-") != NULL)
  if ((HAS ("datenlizenz") && HAS ("deutschland")) || (HAS ("data") && HAS ("germany")))
    {
      if (HAS ("zero"))
        return HAS ("2") ? "dl-de/zero-2-0" : NULL;
      if (HAS ("nicht") || HAS ("non"))
        return NULL;
      if ((HAS ("namensnennung") || HAS ("attribution")) && HAS ("2"))
        return "dl-de/by-2-0";
      return NULL;
    }
  if (HAS ("creative") && HAS ("commons"))
    {
      gboolean v4 = HAS ("4") || !HAS ("3");

      if (HAS ("zero") || HAS ("cc0"))
        return "CC0-1.0";
      if (HAS ("nc") || HAS ("nicht") || HAS ("noncommercial") || HAS ("nd"))
        return NULL;
      if (HAS ("sa") || HAS ("weitergabe") || HAS ("sharealike") || HAS ("share"))
        return v4 ? "CC-BY-SA-4.0" : "CC-BY-SA-3.0";
      if (HAS ("namensnennung") || HAS ("attribution") || HAS ("by"))
        return v4 ? "CC-BY-4.0" : "CC-BY-3.0";
      return NULL;
    }
  if (HAS ("odbl") || (HAS ("open") && HAS ("database") && HAS ("license")))
    return "ODbL-1.0";
#undef HAS
  return NULL;
}

char *
digithek_ckan_license_to_id (const char *license_id,
                             const char *license_title,
                             gboolean   *out_known)
{
  const char *id = license_lookup (license_id);

  if (id == NULL)
    id = license_lookup (license_title);
  if (id == NULL)
    id = license_from_title (license_title);
  if (out_known != NULL)
    *out_known = id != NULL;
  if (id != NULL)
    return g_strdup (id);
  /* Never drop a licence we do not know: staff must see what the portal said. */
  if (license_id != NULL && *license_id != '\0')
    return g_strstrip (g_strdup (license_id));
  if (license_title != NULL && *license_title != '\0')
    return g_strstrip (g_strdup (license_title));
  return g_strdup ("notspecified");
}

/* ---- package_show ---- */

static gboolean
content_type_is_html (const char *content_type)
{
  return content_type != NULL
         && (g_ascii_strncasecmp (content_type, "text/html", 9) == 0
             || g_ascii_strncasecmp (content_type, "application/xhtml", 17) == 0);
}

/* The <title> of an HTML page, to name the page in a message. */
static char *
html_title (const char *data,
            gsize       len)
{
  g_autofree char *text = g_utf8_make_valid (data, MIN (len, 64 * 1024));
  g_autofree char *lower = g_ascii_strdown (text, -1);
  const char *start = strstr (lower, "<title");
  const char *end;
  g_autofree char *inner = NULL;
  g_autofree char *plain = NULL;

  if (start == NULL || (start = strchr (start, '>')) == NULL)
    return NULL;
  start++;
  end = strstr (start, "</title");
  if (end == NULL)
    return NULL;
  /* Cut from the original text, with its case. */
  inner = g_strndup (text + (start - lower), end - start);
  plain = digithek_ckan_html_to_text (inner);
  return *plain != '\0' ? digithek_ckan_shorten (plain, 120) : NULL;
}

static gboolean
looks_like_html (const char *data,
                 gsize       len)
{
  gsize i = 0;

  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i < len && data[i] == '<';
}

static char *
portal_error_message (JsonObject *root)
{
  JsonNode *node = json_object_has_member (root, "error")
                   ? json_object_get_member (root, "error") : NULL;
  JsonObject *object;
  g_autofree char *message = NULL;
  g_autofree char *type = NULL;

  if (node == NULL)
    return g_strdup ("no error message");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("no error message");
  object = json_node_get_object (node);
  message = member_text (object, "message");
  type = member_text (object, "__type");
  if (message != NULL && type != NULL && !g_str_equal (message, type))
    return g_strdup_printf ("%s (%s)", message, type);
  if (message != NULL)
    return g_steal_pointer (&message);
  if (type != NULL)
    return g_steal_pointer (&type);
  {
    /* CKAN's validation errors: {"name": ["Missing value"], "__type": …} */
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    json_generator_set_root (generator, node);
    return json_generator_to_data (generator, NULL);
  }
}

static DigithekCkanResource *
resource_parse (JsonObject *object)
{
  DigithekCkanResource *resource = g_new0 (DigithekCkanResource, 1);
  g_autofree char *url = member_text (object, "url");

  resource->id = member_text (object, "id");
  if (resource->id == NULL)
    resource->id = g_strdup ("");
  resource->name = member_text (object, "name");
  if (resource->name == NULL)
    resource->name = member_text (object, "title");
  resource->format = member_text (object, "format");
  resource->mimetype = member_text (object, "mimetype");
  resource->url = url != NULL ? g_strstrip (g_steal_pointer (&url)) : NULL;
  resource->size = member_int (object, "size");
  resource->last_modified = member_text (object, "last_modified");
  if (resource->last_modified == NULL)
    resource->last_modified = member_text (object, "modified");
  return resource;
}

DigithekCkanDataset *
digithek_ckan_dataset_parse (const char  *dataset_id,
                             const char  *content_type,
                             GBytes      *body,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DigithekCkanDataset) dataset = NULL;
  const char *data;
  gsize len;
  JsonNode *root;
  JsonNode *result;
  JsonObject *object;
  JsonObject *organization;
  JsonArray *array;
  g_autofree char *raw = NULL;
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();

  data = g_bytes_get_data (body, &len);
  if (content_type_is_html (content_type) || looks_like_html (data, len))
    {
      g_autofree char *title = html_title (data, len);

      /* Portals under maintenance answer the API with their HTML page and status 200. */
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the portal answered with an HTML page%s%s%s (%s), not the CKAN Action "
                   "API's JSON; it may be under maintenance, or the address is not the "
                   "portal's base address",
                   title != NULL ? " “" : "", title != NULL ? title : "",
                   title != NULL ? "”" : "",
                   content_type != NULL ? content_type : "no content type");
      return NULL;
    }
  if (len == 0 || !json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the portal's answer (%s) is not JSON, so not the CKAN Action API: %s",
                   content_type != NULL ? content_type : "no content type",
                   local_error != NULL ? local_error->message : "empty answer");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "success"))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the portal's answer is JSON but not the CKAN Action API's "
                   "(no \"success\" field)");
      return NULL;
    }
  object = json_node_get_object (root);
  if (!json_object_get_boolean_member_with_default (object, "success", FALSE))
    {
      g_autofree char *message = portal_error_message (object);

      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_FAILED,
                   "the portal refused dataset “%s”: %s", dataset_id, message);
      return NULL;
    }

  result = json_object_has_member (object, "result")
           ? json_object_get_member (object, "result") : NULL;
  dataset = g_new0 (DigithekCkanDataset, 1);
  /* DKAN wraps the dataset in a one-element array. */
  if (result != NULL && JSON_NODE_HOLDS_ARRAY (result)
      && json_array_get_length (json_node_get_array (result)) == 1)
    {
      result = json_array_get_element (json_node_get_array (result), 0);
      dataset->dkan = TRUE;
    }
  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the portal's answer for dataset “%s” holds no dataset in \"result\"",
                   dataset_id);
      return NULL;
    }
  object = json_node_get_object (result);

  dataset->id = member_text (object, "id");
  dataset->name = member_text (object, "name");
  raw = member_text (object, "title");
  dataset->title = raw != NULL ? digithek_ckan_html_to_text (raw) : NULL;
  if (dataset->title == NULL || *dataset->title == '\0')
    {
      g_free (dataset->title);
      dataset->title = g_strdup (dataset->name != NULL ? dataset->name : dataset_id);
    }
  g_clear_pointer (&raw, g_free);
  raw = member_text (object, "notes");
  dataset->notes = digithek_ckan_html_to_text (raw);

  organization = member_object (object, "organization");
  if (organization != NULL)
    {
      g_clear_pointer (&raw, g_free);
      raw = member_text (organization, "title");
      if (raw == NULL)
        raw = member_text (organization, "name");
      if (raw != NULL)
        dataset->organization = digithek_ckan_html_to_text (raw);
    }
  dataset->license_id = member_text (object, "license_id");
  dataset->license_title = member_text (object, "license_title");
  dataset->metadata_modified = member_text (object, "metadata_modified");

  array = member_array (object, "tags");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *tag = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          tag = member_text (json_node_get_object (node), "display_name");
          if (tag == NULL)
            tag = member_text (json_node_get_object (node), "name");
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        tag = g_strdup (json_node_get_string (node));
      if (tag != NULL)
        {
          g_autofree char *plain = digithek_ckan_html_to_text (tag);
          if (*plain != '\0')
            g_strv_builder_add (tags, plain);
        }
    }
  dataset->tags = g_strv_builder_end (tags);

  dataset->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) resource_free);
  array = member_array (object, "resources");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (dataset->resources, resource_parse (json_node_get_object (node)));
    }

  return g_steal_pointer (&dataset);
}

static gboolean
resource_is_csv (const DigithekCkanResource *resource)
{
  g_autofree char *format = resource->format != NULL ? g_strstrip (g_strdup (resource->format)) : NULL;

  if (format != NULL && (g_ascii_strcasecmp (format, "csv") == 0
                         || g_ascii_strcasecmp (format, "text/csv") == 0
                         || g_ascii_strcasecmp (format, ".csv") == 0))
    return TRUE;
  if (resource->mimetype != NULL && g_ascii_strncasecmp (resource->mimetype, "text/csv", 8) == 0)
    return TRUE;
  if (resource->url != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GUri) uri = g_uri_parse (resource->url, G_URI_FLAGS_NONE, NULL);

      path = g_ascii_strdown (uri != NULL ? g_uri_get_path (uri) : resource->url, -1);
      return g_str_has_suffix (path, ".csv");
    }
  return FALSE;
}

const DigithekCkanResource *
digithek_ckan_dataset_pick_resource (const DigithekCkanDataset  *dataset,
                                     const char                 *name_or_id,
                                     GError                    **error)
{
  g_autoptr(GString) seen = g_string_new (NULL);

  for (guint i = 0; i < dataset->resources->len; i++)
    {
      const DigithekCkanResource *resource = g_ptr_array_index (dataset->resources, i);

      if (name_or_id != NULL
          ? (g_str_equal (resource->id, name_or_id)
             || (resource->name != NULL && g_str_equal (resource->name, name_or_id)))
          : resource_is_csv (resource))
        return resource;
    }

  for (guint i = 0; i < dataset->resources->len; i++)
    {
      const DigithekCkanResource *resource = g_ptr_array_index (dataset->resources, i);
      const char *what;

      if (name_or_id != NULL)
        what = resource->name != NULL ? resource->name : resource->id;
      else
        what = resource->format != NULL ? resource->format
               : resource->mimetype != NULL ? resource->mimetype : "no format given";
      g_string_append_printf (seen, "%s“%s”", seen->len > 0 ? ", " : "", what);
    }
  if (seen->len == 0)
    g_string_assign (seen, "none");

  if (name_or_id != NULL)
    g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NO_CSV,
                 "dataset “%s” has no resource named or with the id “%s”; its resources "
                 "are: %s", dataset->name != NULL ? dataset->name : dataset->id,
                 name_or_id, seen->str);
  else
    g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NO_CSV,
                 "dataset “%s” has no CSV resource; the formats there are: %s",
                 dataset->name != NULL ? dataset->name : dataset->id, seen->str);
  return NULL;
}

/* ---- chart guess ---- */

typedef struct
{
  guint64 n_present;
  guint64 n_missing;
  guint64 n_time;
  guint64 n_year;
  guint64 n_number;
} ColumnStats;

/* Numbers that are not measurements: charting them misleads. */
static gboolean
column_is_not_a_measure (const char *name)
{
  static const char * const words[] = {
    "id", "uuid", "objectid", "fid", "gid", "timestamp", "zeitstempel", "epoch",
    "lat", "lon", "lng", "latitude", "longitude", "breitengrad", "laengengrad",
    "plz", "postleitzahl", "nr", "nummer", "hausnummer",
  };
  g_autofree char *key = license_normalise (name);
  g_auto(GStrv) parts = g_strsplit (key, "-", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    for (gsize j = 0; j < G_N_ELEMENTS (words); j++)
      if (g_str_equal (parts[i], words[j]))
        return TRUE;
  return FALSE;
}

/* A column the validator accepts as labels: not mostly times or years with a few
 * typos among them (see check_csv_data() in digithek-pack.c). */
static gboolean
column_is_category (const ColumnStats *stats)
{
  guint64 n_not_time = stats->n_present - stats->n_time;
  guint64 n_not_year = stats->n_present - stats->n_year;

  if (stats->n_present == 0 || stats->n_missing > 0)
    return FALSE;
  if (stats->n_time > 0 && n_not_time > 0 && stats->n_time > n_not_time)
    return FALSE;
  if (stats->n_time == 0 && stats->n_year > 0 && n_not_year > 0 && stats->n_year > n_not_year)
    return FALSE;
  return TRUE;
}

gboolean
digithek_ckan_guess_chart (const char               *csv_path,
                           const DigithekCsvOptions *options,
                           DigithekCkanChartGuess   *guess,
                           GError                  **error)
{
  g_autoptr(DigithekCsv) csv = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree ColumnStats *stats = NULL;
  g_autoptr(GStrvBuilder) y = g_strv_builder_new ();
  const char * const *header;
  guint n_columns;
  guint n_y = 0;
  int x = -1;
  gboolean time_x = FALSE;
  char decimal;

  memset (guess, 0, sizeof *guess);
  csv = digithek_csv_new_for_path (csv_path, options, &local_error);
  if (csv == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_CSV,
                   "the resource cannot be read as CSV: %s", local_error->message);
      return FALSE;
    }
  header = digithek_csv_get_header (csv);
  n_columns = digithek_csv_get_n_columns (csv);
  stats = g_new0 (ColumnStats, n_columns + 1);
  decimal = digithek_csv_get_decimal (csv);
  if (decimal != '.' && decimal != ',')
    decimal = '.';

  /* The whole file, as the validator will read it: a guess from the first rows only
   * would fail validation on a stray cell further down. */
  while (digithek_csv_next_row (csv, &local_error))
    {
      guess->n_rows++;
      for (guint i = 0; i < n_columns; i++)
        {
          const char *cell = digithek_csv_get_field (csv, i);
          gint64 unix_time;
          int year;
          double value;

          if (digithek_csv_is_missing (cell))
            {
              stats[i].n_missing++;
              continue;
            }
          stats[i].n_present++;
          if (digithek_csv_parse_time (cell, &unix_time))
            stats[i].n_time++;
          if (digithek_csv_parse_year (cell, &year))
            stats[i].n_year++;
          if (digithek_csv_parse_number (cell, decimal, &value))
            stats[i].n_number++;
        }
    }
  if (local_error != NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_CSV,
                   "the resource cannot be read to the end as CSV: %s", local_error->message);
      return FALSE;
    }

  for (guint i = 0; i < n_columns && x < 0; i++)
    if (stats[i].n_present > 0 && stats[i].n_missing == 0
        && (stats[i].n_time == stats[i].n_present || stats[i].n_year == stats[i].n_present))
      {
        x = i;
        time_x = TRUE;
      }
  for (guint i = 0; i < n_columns && x < 0; i++)
    if (column_is_category (&stats[i]) && stats[i].n_number < stats[i].n_present)
      x = i;
  /* A table of numbers only: its first complete column labels the bars. */
  for (guint i = 0; i < n_columns && x < 0; i++)
    if (column_is_category (&stats[i]))
      x = i;

  for (guint i = 0; i < n_columns && n_y < MAX_Y_COLUMNS; i++)
    if ((int) i != x && stats[i].n_present > 0 && stats[i].n_number == stats[i].n_present
        && *header[i] != '\0' && !column_is_not_a_measure (header[i]))
      {
        g_strv_builder_add (y, header[i]);
        n_y++;
      }

  if (x < 0 || n_y == 0)
    {
      g_autofree char *columns = g_strjoinv ("”, “", (char **) header);

      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_CSV,
                   "no chart can be made from the resource's %" G_GUINT64_FORMAT " rows: %s "
                   "(its columns are “%s”)", guess->n_rows,
                   x < 0 ? "no column of dates, years or labels without empty cells"
                         : "no column of numbers", columns);
      return FALSE;
    }

  guess->type = g_strdup (time_x ? "line" : "bar");
  guess->x = g_strdup (header[x]);
  guess->y = g_strv_builder_end (y);
  guess->delimiter = digithek_csv_get_delimiter (csv);
  guess->decimal = decimal;
  guess->encoding = digithek_csv_get_encoding (csv);
  return TRUE;
}

/* ---- HTTP ---- */

static SoupSession *
session_new (guint timeout)
{
  return soup_session_new_with_options ("user-agent", "DigiThek-Kiosk/" PACKAGE_VERSION,
                                        "timeout", timeout,
                                        "idle-timeout", timeout,
                                        NULL);
}

static GInputStream *
http_send (SoupSession   *session,
           const char    *url,
           SoupMessage  **out_msg,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) local_error = NULL;
  GInputStream *in;

  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                   "%s is not a valid http or https address", url);
      return NULL;
    }
  in = soup_session_send (session, msg, cancellable, &local_error);
  if (in == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                   "cannot fetch %s: %s", url, local_error->message);
      return NULL;
    }
  *out_msg = g_steal_pointer (&msg);
  return in;
}

static char *
http_status_text (SoupMessage *msg)
{
  const char *reason = soup_message_get_reason_phrase (msg);
  guint status = soup_message_get_status (msg);

  if (reason == NULL || *reason == '\0')
    reason = soup_status_get_phrase (status);
  return g_strdup_printf ("HTTP %u%s%s", status, reason != NULL ? " " : "",
                          reason != NULL ? reason : "");
}

/* Reads at most @max bytes into memory; one more byte tells whether there was more. */
static GBytes *
read_limited (GInputStream  *in,
              gsize          max,
              gboolean      *out_too_big,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buf[16384];

  *out_too_big = FALSE;
  for (;;)
    {
      gsize want = MIN (sizeof buf, max - data->len);
      gssize n = g_input_stream_read (in, buf, want > 0 ? want : 1, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (want == 0)
        {
          *out_too_big = TRUE;
          break;
        }
      g_byte_array_append (data, buf, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static DigithekCkanDataset *
fetch_dataset (SoupSession   *session,
               const char    *api_url,
               const char    *dataset_id,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DigithekCkanDataset) dataset = NULL;
  g_autofree char *status_text = NULL;
  const char *content_type;
  gboolean too_big;
  guint status;

  in = http_send (session, api_url, &msg, cancellable, error);
  if (in == NULL)
    return NULL;
  status = soup_message_get_status (msg);
  status_text = http_status_text (msg);
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  body = read_limited (in, API_MAX_SIZE, &too_big, cancellable, &local_error);
  g_input_stream_close (in, NULL, NULL);
  if (body == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                   "cannot read the answer of %s: %s", api_url, local_error->message);
      return NULL;
    }
  if (too_big)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NOT_API,
                   "the answer of %s is larger than %d MiB, too large for a dataset's "
                   "description; is this the portal's base address?", api_url,
                   API_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  dataset = digithek_ckan_dataset_parse (dataset_id, content_type, body, &local_error);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* CKAN answers an unknown or private dataset with 404 or 403 and a JSON
       * `success: false` whose message says more than the status does. */
      if (g_error_matches (local_error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_FAILED))
        g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_FAILED,
                     "%s (%s from %s)", local_error->message, status_text, api_url);
      else
        g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                     "%s from %s", status_text, api_url);
      return NULL;
    }
  if (dataset == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s",
                   api_url, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&dataset);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len,
           GError      **error)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                       "cannot write: %s", g_strerror (saved_errno));
          return FALSE;
        }
      data += n;
      len -= n;
    }
  return TRUE;
}

/* "64 MiB", "100.5 MiB": plain spaces, so messages stay greppable. */
static char *
format_size (guint64 bytes)
{
  const guint64 mib = 1024 * 1024;

  if (bytes < mib)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", bytes);
  if (bytes % mib == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " MiB", bytes / mib);
  return g_strdup_printf ("%.1f MiB", (double) bytes / mib);
}

/* Streams the resource into @path, never holding or writing more than @max bytes. */
static gboolean
download (SoupSession   *session,
          const char    *url,
          const char    *path,
          guint64        max,
          guint64       *out_bytes,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *max_text = format_size (max);
  SoupMessageHeaders *headers;
  const char *content_type;
  guint64 total = 0;
  guint8 buf[65536];
  gboolean ok = FALSE;
  int fd;

  in = http_send (session, url, &msg, cancellable, error);
  if (in == NULL)
    return FALSE;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_autofree char *status_text = http_status_text (msg);
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                   "%s from %s", status_text, url);
      return FALSE;
    }
  headers = soup_message_get_response_headers (msg);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type_is_html (content_type))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_CSV,
                   "%s answered with an HTML page (%s), not a CSV file; the portal may "
                   "want a login, or the file has moved", url, content_type);
      return FALSE;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers) > max)
    {
      g_autofree char *size = format_size (soup_message_headers_get_content_length (headers));
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_TOO_BIG,
                   "the resource %s is %s, over the limit of %s for a pack's file",
                   url, size, max_text);
      return FALSE;
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                   "cannot create %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  for (;;)
    {
      /* Once at the limit, ask for a single byte: any byte means the server sends more
       * than it may, whatever its Content-Length said. */
      gsize want = (gsize) MIN ((guint64) sizeof buf, max - total);
      gssize n = g_input_stream_read (in, buf, want > 0 ? want : 1, cancellable, &local_error);

      if (n < 0)
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_HTTP,
                       "cannot download %s: %s", url, local_error->message);
          goto out;
        }
      if (n == 0)
        break;
      if (want == 0)
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_TOO_BIG,
                       "the resource %s is larger than the limit of %s for a pack's file; "
                       "stopped reading there", url, max_text);
          goto out;
        }
      if (!write_all (fd, buf, n, &local_error))
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                       "%s: %s", path, local_error->message);
          goto out;
        }
      total += n;
    }
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                   "cannot write %s: %s", path, g_strerror (saved_errno));
      goto out;
    }
  *out_bytes = total;
  ok = TRUE;

out:
  /* Closing early drops the connection rather than reading the rest of a large body. */
  g_input_stream_close (in, NULL, NULL);
  close (fd);
  return ok;
}

/* ---- the pack folder ---- */

static gboolean
io_error (GError     **error,
          int          saved_errno,
          const char  *what,
          const char  *path)
{
  g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
               "cannot %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
make_parent (const char  *path,
             GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (path);

  if (g_mkdir_with_parents (parent, 0755) != 0)
    return io_error (error, errno, "create folder", parent);
  return TRUE;
}

/* Removes the staging folder: only what we created there, never following links. */
static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* The staged pack needs every file the old one references. A hard link costs nothing
 * and cannot change the original; a copy serves where links are not allowed. */
static gboolean
stage_file (const char  *from,
            const char  *to,
            GError     **error)
{
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!make_parent (to, error))
    return FALSE;
  if (link (from, to) == 0)
    return TRUE;
  source = g_file_new_for_path (from);
  target = g_file_new_for_path (to);
  if (!g_file_copy (source, target, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL,
                    &local_error))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO,
                   "cannot stage %s: %s", from, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
text_map_new (const char *language,
              const char *text)
{
  JsonObject *map = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (map, language, text);
  json_node_take_object (node, map);
  return node;
}

static JsonArray *
strv_to_array (const char * const *strv,
               guint               max)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL && i < max; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

static char *
item_member_string (JsonObject *item,
                    const char *object_name,
                    const char *member)
{
  JsonObject *object = object_name != NULL ? member_object (item, object_name) : item;
  return member_text (object, member);
}

/* The item this dataset became before: by id, or by the provenance note left in it
 * (staff may have renamed the id). */
static int
find_item (JsonArray  *items,
           const char *item_id,
           const char *portal,
           const DigithekCkanDataset *dataset)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autofree char *id = item != NULL ? member_text (item, "id") : NULL;

      if (id != NULL && g_str_equal (id, item_id))
        return i;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autofree char *was_portal = item_member_string (item, "_ckan", "portal");
      g_autofree char *was_dataset = item_member_string (item, "_ckan", "dataset");

      if (was_portal != NULL && was_dataset != NULL && g_str_equal (was_portal, portal)
          && ((dataset->name != NULL && g_str_equal (was_dataset, dataset->name))
              || (dataset->id != NULL && g_str_equal (was_dataset, dataset->id))))
        return i;
    }
  return -1;
}

static JsonNode *
provenance_new (const char                 *portal,
                const DigithekCkanDataset  *dataset,
                const DigithekCkanResource *resource)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "_comment",
                                 "written by digithek-pack ckan; --refresh reads it");
  json_object_set_string_member (object, "portal", portal);
  json_object_set_string_member (object, "dataset",
                                 dataset->name != NULL ? dataset->name : dataset->id);
  json_object_set_string_member (object, "resource", resource->id);
  json_node_take_object (node, object);
  return node;
}

static char *
generate_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

typedef struct
{
  char     *pack_dir;
  char     *stage;
  gboolean  created_dir;
} Staging;

static void
staging_clear (Staging *staging)
{
  if (staging->stage != NULL)
    remove_tree (staging->stage);
  /* A folder we created for a new pack goes again when nothing came of it. */
  if (staging->created_dir)
    g_rmdir (staging->pack_dir);
  g_clear_pointer (&staging->stage, g_free);
  g_clear_pointer (&staging->pack_dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Staging, staging_clear)

DigithekCkanReport *
digithek_ckan_import (const char                       *portal_url,
                      const char                       *dataset_id,
                      const char                       *pack_dir,
                      const DigithekCkanImportOptions  *options,
                      GPtrArray                       **problems,
                      GCancellable                     *cancellable,
                      GError                          **error)
{
  DigithekCkanImportOptions defaults = { NULL, DIGITHEK_CKAN_IMPORT_NONE, 0, 0 };
  g_auto(Staging) staging = { NULL, NULL, FALSE };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(DigithekCkanDataset) dataset = NULL;
  g_autoptr(DigithekPack) old_pack = NULL;
  g_autoptr(DigithekPack) new_pack = NULL;
  g_autoptr(DigithekCkanReport) report = NULL;
  g_autoptr(GPtrArray) load_problems = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) new_root = NULL;
  g_autofree char *portal = NULL;
  g_autofree char *escaped_id = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *pack_json = NULL;
  g_autofree char *resource_url = NULL;
  g_autofree char *staged_data = NULL;
  g_autofree char *staged_json = NULL;
  g_autofree char *target_data = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *json_text = NULL;
  g_autofree char *wanted_resource = NULL;
  g_auto(GStrv) old_files = NULL;
  g_auto(DigithekCkanChartGuess) guess = { NULL, NULL, NULL, 0, 0, 0, 0 };
  const DigithekCkanResource *resource;
  DigithekPackItem *old_item = NULL;
  JsonNode *root;
  JsonObject *root_object;
  JsonObject *item;
  JsonArray *items;
  const char *language = "de";
  const char *modified;
  gboolean refresh;
  gboolean have_backup = FALSE;
  guint64 max_size;
  int index;

  g_return_val_if_fail (portal_url != NULL, NULL);
  g_return_val_if_fail (dataset_id != NULL, NULL);
  g_return_val_if_fail (pack_dir != NULL, NULL);

  if (options == NULL)
    options = &defaults;
  refresh = (options->flags & DIGITHEK_CKAN_IMPORT_REFRESH) != 0;
  max_size = options->max_size > 0 ? options->max_size : DIGITHEK_CKAN_DEFAULT_MAX_SIZE;
  if (problems != NULL)
    *problems = NULL;

  portal = g_strdup (portal_url);
  while (g_str_has_suffix (portal, "/"))
    portal[strlen (portal) - 1] = '\0';
  escaped_id = g_uri_escape_string (dataset_id, NULL, FALSE);
  api_url = g_strconcat (portal, "/api/3/action/package_show?id=", escaped_id, NULL);

  /* Look at the pack first: refusing there costs no download. */
  pack_json = g_build_filename (pack_dir, "pack.json", NULL);
  if (g_file_test (pack_json, G_FILE_TEST_EXISTS))
    {
      old_pack = digithek_pack_load (pack_dir, NULL, &load_problems, &local_error);
      if (old_pack == NULL)
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                       "the pack in %s is not valid; fix it first (digithek-pack validate %s)",
                       pack_dir, pack_dir);
          if (problems != NULL)
            *problems = g_steal_pointer (&load_problems);
          return NULL;
        }
      language = digithek_pack_get_languages (old_pack)[0];
    }
  else if (refresh)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                   "%s holds no pack.json, so there is nothing to refresh; leave out "
                   "--refresh to create the pack", pack_dir);
      return NULL;
    }

  session = session_new (options->timeout > 0 ? options->timeout : DEFAULT_TIMEOUT_SECONDS);
  dataset = fetch_dataset (session, api_url, dataset_id, cancellable, error);
  if (dataset == NULL)
    return NULL;

  report = g_new0 (DigithekCkanReport, 1);
  report->notes = g_ptr_array_new_with_free_func (g_free);
  report->item_id = digithek_ckan_slugify (dataset->name != NULL ? dataset->name : dataset->title);

  /* The manifest as a tree we can change; it was just validated, so it parses. */
  if (old_pack != NULL)
    {
      GBytes *bytes = digithek_pack_get_manifest_bytes (old_pack);
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, data, len, &local_error))
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                       "%s: %s", pack_json, local_error->message);
          return NULL;
        }
      root = json_parser_get_root (parser);
      root_object = json_node_get_object (root);
      items = json_object_get_array_member (root_object, "items");
    }
  else
    {
      g_autofree char *absolute = g_canonicalize_filename (pack_dir, NULL);
      g_autofree char *base = g_path_get_basename (absolute);
      g_autofree char *pack_id = digithek_ckan_slugify (base);
      JsonArray *languages = json_array_new ();

      new_root = json_node_new (JSON_NODE_OBJECT);
      root_object = json_object_new ();
      json_node_take_object (new_root, root_object);
      root = new_root;
      json_object_set_int_member (root_object, "format", 1);
      json_object_set_string_member (root_object, "id", pack_id);
      json_object_set_int_member (root_object, "version", 0);
      json_object_set_member (root_object, "title",
                              text_map_new (language, dataset->organization != NULL
                                                      ? dataset->organization
                                                      : "Offene Daten"));
      json_array_add_string_element (languages, language);
      json_object_set_array_member (root_object, "languages", languages);
      items = json_array_new ();
      json_object_set_array_member (root_object, "items", items);
      report->created_pack = TRUE;
    }

  index = find_item (items, report->item_id, portal, dataset);
  if (index >= 0 && !refresh)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                   "the pack in %s already has an item “%s” for this dataset; add --refresh "
                   "to update its data", pack_dir, report->item_id);
      return NULL;
    }
  if (index < 0 && refresh)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                   "the pack in %s has no item “%s” to refresh; leave out --refresh to add it",
                   pack_dir, report->item_id);
      return NULL;
    }
  if (index >= 0)
    {
      item = json_array_get_object_element (items, index);
      g_free (report->item_id);
      report->item_id = member_text (item, "id");
      old_item = digithek_pack_find_item (old_pack, report->item_id);
      if (old_item == NULL || old_item->kind != DIGITHEK_ITEM_DATASET)
        {
          g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                       "item “%s” in %s is not a dataset item, so it cannot be refreshed",
                       report->item_id, pack_json);
          return NULL;
        }
      report->refreshed = TRUE;
      report->data_path = g_strdup (old_item->data);
      /* The resource the item came from, unless staff name another. */
      wanted_resource = options->resource != NULL ? g_strdup (options->resource)
                        : item_member_string (item, "_ckan", "resource");
      if (options->resource == NULL && wanted_resource != NULL)
        {
          gboolean still_there = FALSE;

          for (guint i = 0; i < dataset->resources->len; i++)
            still_there |= g_str_equal (((DigithekCkanResource *) g_ptr_array_index (dataset->resources, i))->id,
                                        wanted_resource);
          if (!still_there)
            {
              g_ptr_array_add (report->notes,
                               g_strdup_printf ("the resource “%s” the item came from is gone "
                                                "from the portal; took the dataset's CSV "
                                                "resource instead", wanted_resource));
              g_clear_pointer (&wanted_resource, g_free);
            }
        }
    }
  else
    {
      item = NULL;
      report->data_path = g_strdup_printf ("data/%s.csv", report->item_id);
      wanted_resource = g_strdup (options->resource);
    }

  resource = digithek_ckan_dataset_pick_resource (dataset, wanted_resource, error);
  if (resource == NULL)
    return NULL;
  if (resource->url == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NO_CSV,
                   "resource “%s” of dataset “%s” has no download address",
                   resource->name != NULL ? resource->name : resource->id, dataset_id);
      return NULL;
    }
  /* Uploaded files may come with a path relative to the portal. */
  resource_url = g_uri_resolve_relative (api_url, resource->url, G_URI_FLAGS_NONE, &local_error);
  if (resource_url == NULL
      || (g_ascii_strncasecmp (resource_url, "http://", 7) != 0
          && g_ascii_strncasecmp (resource_url, "https://", 8) != 0))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_NO_CSV,
                   "resource “%s” has the address “%s”, which is not an http or https "
                   "address", resource->name != NULL ? resource->name : resource->id,
                   resource->url);
      return NULL;
    }
  report->resource_url = g_strdup (resource_url);
  report->resource_name = g_strdup (resource->name != NULL ? resource->name : resource->id);

  target_data = g_build_filename (pack_dir, report->data_path, NULL);
  if (!report->refreshed && g_file_test (target_data, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_PACK,
                   "%s already exists; move it away or remove it, it would be overwritten",
                   target_data);
      return NULL;
    }

  /* Stage inside the pack folder: renames from there are atomic (one file system). */
  staging.pack_dir = g_strdup (pack_dir);
  if (!g_file_test (pack_dir, G_FILE_TEST_IS_DIR))
    {
      if (g_mkdir_with_parents (pack_dir, 0755) != 0)
        {
          io_error (error, errno, "create folder", pack_dir);
          return NULL;
        }
      staging.created_dir = TRUE;
    }
  staging.stage = g_build_filename (pack_dir, STAGE_PREFIX "XXXXXX", NULL);
  if (g_mkdtemp (staging.stage) == NULL)
    {
      io_error (error, errno, "create folder", staging.stage);
      g_clear_pointer (&staging.stage, g_free);
      return NULL;
    }

  staged_data = g_build_filename (staging.stage, report->data_path, NULL);
  if (!make_parent (staged_data, error))
    return NULL;
  if (!download (session, resource_url, staged_data, max_size, &report->n_bytes,
                 cancellable, error))
    return NULL;

  modified = resource->last_modified != NULL ? resource->last_modified
             : dataset->metadata_modified;
  report->source_modified = g_strdup (modified);
  report->source_url = g_strconcat (portal, "/dataset/",
                                    dataset->name != NULL ? dataset->name : dataset->id, NULL);
  if (dataset->organization != NULL)
    report->source_name = g_strdup (dataset->organization);
  else
    {
      /* Without an organization the portal itself is the best name there is. */
      g_autoptr(GUri) uri = g_uri_parse (portal, G_URI_FLAGS_NONE, NULL);
      report->source_name = g_strdup (uri != NULL && g_uri_get_host (uri) != NULL
                                      ? g_uri_get_host (uri) : portal);
    }
  report->license = digithek_ckan_license_to_id (dataset->license_id, dataset->license_title,
                                                 &report->license_known);

  if (!report->refreshed)
    {
      JsonObject *csv_object;
      JsonObject *chart = json_object_new ();
      JsonObject *source = json_object_new ();
      g_autoptr(GString) settings = g_string_new (NULL);

      if (!digithek_ckan_guess_chart (staged_data, NULL, &guess, error))
        return NULL;
      report->chart_guessed = TRUE;
      report->chart_type = g_strdup (guess.type);
      report->chart_x = g_strdup (guess.x);
      report->chart_y = g_strdupv (guess.y);

      item = json_object_new ();
      json_object_set_string_member (item, "id", report->item_id);
      json_object_set_string_member (item, "kind", "dataset");
      json_object_set_member (item, "title", text_map_new (language, dataset->title));
      if (*dataset->notes != '\0')
        {
          g_autofree char *summary = digithek_ckan_shorten (dataset->notes, SUMMARY_MAX_CHARS);
          json_object_set_member (item, "summary", text_map_new (language, summary));
        }
      if (dataset->tags[0] != NULL)
        json_object_set_array_member (item, "tags",
                                      strv_to_array ((const char * const *) dataset->tags, 10));
      json_object_set_string_member (item, "web", report->source_url);
      json_object_set_string_member (item, "data", report->data_path);

      /* Only what detection could get wrong: detection looks at the first 64 KiB, so a
       * file whose first umlaut or decimal comma comes later would be misread. */
      csv_object = json_object_new ();
      if (guess.encoding != DIGITHEK_CSV_ENCODING_UTF8 && guess.encoding != DIGITHEK_CSV_ENCODING_AUTO)
        {
          json_object_set_string_member (csv_object, "encoding",
                                         digithek_csv_encoding_to_string (guess.encoding));
          g_string_append_printf (settings, "encoding %s",
                                  digithek_csv_encoding_to_string (guess.encoding));
        }
      if (guess.decimal == ',')
        {
          json_object_set_string_member (csv_object, "decimal", ",");
          g_string_append_printf (settings, "%sdecimal \",\"", settings->len > 0 ? ", " : "");
        }
      if (json_object_get_size (csv_object) > 0)
        {
          json_object_set_object_member (item, "csv", csv_object);
          report->csv_settings = g_strdup (settings->str);
        }
      else
        json_object_unref (csv_object);

      json_object_set_string_member (chart, "type", guess.type);
      json_object_set_string_member (chart, "x", guess.x);
      json_object_set_array_member (chart, "y", strv_to_array ((const char * const *) guess.y,
                                                               G_MAXUINT));
      json_object_set_object_member (item, "chart", chart);

      json_object_set_string_member (source, "name", report->source_name);
      json_object_set_string_member (source, "license", report->license);
      json_object_set_string_member (source, "url", report->source_url);
      json_object_set_object_member (item, "source", source);
      json_array_add_object_element (items, item);
      report->title = g_strdup (dataset->title);
    }
  else
    {
      g_autoptr(DigithekCsv) csv = NULL;
      g_autofree char *was_license = item_member_string (item, "source", "license");

      /* Keep what staff curated; only say where the new data no longer fits it. */
      /* When it cannot be read, validation below says why, in the validator's words. */
      csv = digithek_csv_new_for_path (staged_data, &old_item->csv, NULL);
      if (csv != NULL)
        {
          if (digithek_csv_find_column (csv, old_item->chart_x) < 0)
            g_ptr_array_add (report->notes,
                             g_strdup_printf ("the chart's x column “%s” is no longer in the "
                                              "data", old_item->chart_x));
          for (guint i = 0; old_item->chart_y[i] != NULL; i++)
            if (digithek_csv_find_column (csv, old_item->chart_y[i]) < 0)
              g_ptr_array_add (report->notes,
                               g_strdup_printf ("the chart's y column “%s” is no longer in "
                                                "the data", old_item->chart_y[i]));
        }
      if (was_license != NULL && !g_str_equal (was_license, report->license))
        g_ptr_array_add (report->notes,
                         g_strdup_printf ("the portal now states the licence “%s”; the item "
                                          "says “%s” — check which applies", report->license,
                                          was_license));
      report->chart_type = g_strdup (old_item->chart_type);
      report->chart_x = g_strdup (old_item->chart_x);
      report->chart_y = g_strdupv (old_item->chart_y);
      report->title = g_strdup (digithek_text_map_lookup (old_item->title, language, language));
    }
  if (modified != NULL)
    json_object_set_string_member (item, "_source_modified", modified);
  json_object_set_member (item, "_ckan", provenance_new (portal, dataset, resource));

  if (old_pack != NULL)
    {
      /* Kiosks take only higher versions, and publish refuses changed content under a
       * version it has. */
      json_object_set_int_member (root_object, "version",
                                  json_object_get_int_member (root_object, "version") + 1);
      report->version_bumped = TRUE;
    }
  else
    json_object_set_int_member (root_object, "version", 1);
  report->pack_version = json_object_get_int_member (root_object, "version");
  report->pack_id = g_strdup (json_object_get_string_member (root_object, "id"));

  /* Stage the rest of the pack and validate it as a whole. */
  if (old_pack != NULL)
    {
      old_files = digithek_pack_list_files (old_pack);
      for (guint i = 0; old_files[i] != NULL; i++)
        {
          g_autofree char *from = NULL;
          g_autofree char *to = NULL;

          if (g_str_equal (old_files[i], report->data_path))
            continue;
          from = g_build_filename (pack_dir, old_files[i], NULL);
          to = g_build_filename (staging.stage, old_files[i], NULL);
          if (!stage_file (from, to, error))
            return NULL;
        }
    }
  json_text = generate_json (root);
  staged_json = g_build_filename (staging.stage, "pack.json", NULL);
  if (!g_file_set_contents_full (staged_json, json_text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, &local_error))
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_IO, "%s",
                   local_error->message);
      return NULL;
    }

  g_clear_pointer (&load_problems, g_ptr_array_unref);
  g_clear_error (&local_error);
  new_pack = digithek_pack_load (staging.stage, NULL, &load_problems, &local_error);
  if (new_pack == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_INVALID,
                   "with the data of %s the pack would not be valid; %s is left as it was",
                   resource_url, pack_dir);
      if (problems != NULL)
        *problems = g_steal_pointer (&load_problems);
      return NULL;
    }
  g_clear_object (&new_pack);

  /* Commit: the data file first, then pack.json, which makes it count. A failure
   * between the two puts the old data file back. */
  if (report->refreshed && g_file_test (target_data, G_FILE_TEST_EXISTS))
    {
      backup = g_build_filename (staging.stage, ".previous-data", NULL);
      if (!stage_file (target_data, backup, error))
        return NULL;
      have_backup = TRUE;
    }
  if (!make_parent (target_data, error))
    return NULL;
  if (g_rename (staged_data, target_data) != 0)
    {
      io_error (error, errno, "move the data into place at", target_data);
      return NULL;
    }
  if (g_rename (staged_json, pack_json) != 0)
    {
      int saved_errno = errno;

      if (have_backup)
        g_rename (backup, target_data);
      else
        g_unlink (target_data);
      io_error (error, saved_errno, "write", pack_json);
      return NULL;
    }
  /* Success: the folder is ours to keep now. */
  staging.created_dir = FALSE;

  return g_steal_pointer (&report);
}
