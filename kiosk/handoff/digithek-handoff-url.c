/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "digithek-handoff-private.h"

/* The URLs a "continue on your phone" code points at: the handoff server's pages or
 * the items' own web pages. */

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
                               JsonObject      *item,
                               const char      *pack_id,
                               const char      *item_id,
                               guint            step,
                               const char      *language,
                               gboolean         prefer_local)
{
  g_return_val_if_fail (handoff == NULL || DIGITHEK_IS_HANDOFF (handoff), NULL);
  g_return_val_if_fail (pack_id != NULL && item_id != NULL, NULL);

  if (!prefer_local && item != NULL)
    {
      const char *web = digithek_json_get_string (item, "web");
      const char *web_step = digithek_json_get_string (item, "web_step");
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
