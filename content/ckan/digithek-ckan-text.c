/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Portal texts for a pack: HTML descriptions as plain text, shortened summaries, slugs,
 * and licences as SPDX ids. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "digithek-ckan-private.h"
#include "digithek-licence.h"

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
      g_string_truncate (slug,
                         dash != NULL && dash - slug->str >= 32 ? (gsize) (dash - slug->str) : 64);
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_assign (slug, "datensatz");
  return g_string_free (slug, FALSE);
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
  key = digithek_licence_normalise (title);
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
  const char *id = digithek_licence_id_from_alias (license_id);

  if (id == NULL)
    id = digithek_licence_id_from_alias (license_title);
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
