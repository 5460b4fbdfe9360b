/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "digithek-licence.h"

typedef struct
{
  const char *key;  /* normalised: lower case, runs of other characters as one "-" */
  const char *id;
} LicenceAlias;

/* Each way of writing a licence, normalised, to its id. */
static const LicenceAlias aliases[] = {
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

typedef struct
{
  const char *id;
  const char *de;
  const char *en;
} LicenceName;

/* Names as the licensors write them (GovData, Creative Commons, Open Data Commons). */
static const LicenceName names[] = {
  { "dl-de/by-2-0", "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "Data licence Germany – attribution – version 2.0" },
  { "dl-de/zero-2-0", "Datenlizenz Deutschland – Zero – Version 2.0",
    "Data licence Germany – Zero – version 2.0" },
  { "dl-de/by-1-0", "Datenlizenz Deutschland – Namensnennung – Version 1.0",
    "Data licence Germany – attribution – version 1.0" },
  { "dl-de/by-nc-1-0", "Datenlizenz Deutschland – Namensnennung – nicht kommerziell – Version 1.0",
    "Data licence Germany – attribution – non-commercial – version 1.0" },
  { "CC-BY-4.0", "Creative Commons Namensnennung 4.0 International",
    "Creative Commons Attribution 4.0 International" },
  { "CC-BY-3.0", "Creative Commons Namensnennung 3.0 Unported",
    "Creative Commons Attribution 3.0 Unported" },
  { "CC-BY-3.0-DE", "Creative Commons Namensnennung 3.0 Deutschland",
    "Creative Commons Attribution 3.0 Germany" },
  { "CC-BY-SA-4.0", "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International",
    "Creative Commons Attribution-ShareAlike 4.0 International" },
  { "CC-BY-SA-3.0", "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 3.0 Unported",
    "Creative Commons Attribution-ShareAlike 3.0 Unported" },
  { "CC-BY-SA-3.0-DE", "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 3.0 Deutschland",
    "Creative Commons Attribution-ShareAlike 3.0 Germany" },
  { "CC-BY-NC-4.0", "Creative Commons Namensnennung – Nicht kommerziell 4.0 International",
    "Creative Commons Attribution-NonCommercial 4.0 International" },
  { "CC-BY-ND-4.0", "Creative Commons Namensnennung – Keine Bearbeitungen 4.0 International",
    "Creative Commons Attribution-NoDerivatives 4.0 International" },
  { "CC0-1.0", "Creative Commons Zero 1.0 Universell (gemeinfrei)",
    "Creative Commons Zero 1.0 Universal (public domain)" },
  { "ODbL-1.0", "Open Data Commons Open Database License 1.0",
    "Open Data Commons Open Database License 1.0" },
  { "ODC-By-1.0", "Open Data Commons Attribution License 1.0",
    "Open Data Commons Attribution License 1.0" },
  { "PDDL-1.0", "Open Data Commons Public Domain Dedication and License 1.0",
    "Open Data Commons Public Domain Dedication and License 1.0" },
};

char *
digithek_licence_normalise (const char *text)
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

const char *
digithek_licence_id_from_alias (const char *text)
{
  g_autofree char *key = NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  key = digithek_licence_normalise (text);
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (key, aliases[i].key))
      return aliases[i].id;
  return NULL;
}

const char *
digithek_licence_name (const char *id,
                       const char *language)
{
  const char *canonical;

  if (id == NULL || *id == '\0')
    return NULL;
  canonical = digithek_licence_id_from_alias (id);
  if (canonical == NULL)
    canonical = id;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (canonical, names[i].id) == 0)
      return language != NULL && g_str_has_prefix (language, "en") ? names[i].en : names[i].de;
  return NULL;
}
