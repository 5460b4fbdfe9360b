/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "digithek-qr.h"

G_DEFINE_QUARK (digithek-qr-error-quark, digithek_qr_error)

struct _DigithekQr
{
  gatomicrefcount ref_count;
  char           *text;
  guint           width;
  guint           version;
  guint8         *modules; /* width × width, row by row; 1 = dark */
};

G_DEFINE_BOXED_TYPE (DigithekQr, digithek_qr, digithek_qr_ref, digithek_qr_unref)

DigithekQr *
digithek_qr_new (const char *text,
                 GError    **error)
{
  QRcode *code;
  DigithekQr *self;
  gsize n;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Version 0 lets libqrencode pick the smallest version; case-sensitive 8-bit mode
   * keeps URLs byte for byte (it still packs runs of digits more tightly). */
  errno = 0;
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    {
      int saved = errno;

      if (saved == ERANGE)
        g_set_error (error, DIGITHEK_QR_ERROR, DIGITHEK_QR_ERROR_TOO_LONG,
                     "%zu bytes do not fit into a QR code at error correction level M",
                     strlen (text));
      else
        g_set_error (error, DIGITHEK_QR_ERROR, DIGITHEK_QR_ERROR_FAILED,
                     "cannot encode a QR code: %s", g_strerror (saved));
      return NULL;
    }

  self = g_new0 (DigithekQr, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text);
  self->width = (guint) code->width;
  self->version = (guint) code->version;
  n = (gsize) self->width * self->width;
  self->modules = g_malloc (n);
  /* Bit 0 of each libqrencode byte is the module colour; the other bits only describe
   * what the module belongs to. */
  for (gsize i = 0; i < n; i++)
    self->modules[i] = code->data[i] & 1;
  QRcode_free (code);
  return self;
}

DigithekQr *
digithek_qr_ref (DigithekQr *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
digithek_qr_unref (DigithekQr *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->text);
  g_free (self->modules);
  g_free (self);
}

const char *
digithek_qr_get_text (DigithekQr *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

guint
digithek_qr_get_width (DigithekQr *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

guint
digithek_qr_get_size (DigithekQr *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width + 2 * DIGITHEK_QR_QUIET_ZONE;
}

guint
digithek_qr_get_version (DigithekQr *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->version;
}

gboolean
digithek_qr_get_module (DigithekQr *self,
                        int         x,
                        int         y)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (x < 0 || y < 0 || (guint) x >= self->width || (guint) y >= self->width)
    return FALSE;
  return self->modules[(gsize) y * self->width + (guint) x] != 0;
}

/* ---- the cache ---- */

/* A kiosk shows one code at a time, plus the codes of a guide's steps and of the links
 * in a text: a few dozen entries cover a session and cost a few KiB each. */
#define CACHE_CAPACITY 32

static GMutex cache_lock;
static GHashTable *cache_index; /* text → GList link in cache_order (borrowed) */
static GQueue cache_order = G_QUEUE_INIT; /* DigithekQr, most recently used first */

DigithekQr *
digithek_qr_lookup (const char *text,
                    GError    **error)
{
  DigithekQr *qr;
  GList *link;

  g_return_val_if_fail (text != NULL, NULL);

  g_mutex_lock (&cache_lock);
  if (cache_index == NULL)
    cache_index = g_hash_table_new (g_str_hash, g_str_equal);
  link = g_hash_table_lookup (cache_index, text);
  if (link != NULL)
    {
      g_queue_unlink (&cache_order, link);
      g_queue_push_head_link (&cache_order, link);
      qr = digithek_qr_ref (link->data);
      g_mutex_unlock (&cache_lock);
      return qr;
    }
  g_mutex_unlock (&cache_lock);

  /* Encode outside the lock: another thread's hit need not wait for it. */
  qr = digithek_qr_new (text, error);
  if (qr == NULL)
    return NULL;

  g_mutex_lock (&cache_lock);
  if (g_hash_table_lookup (cache_index, text) == NULL)
    {
      g_queue_push_head (&cache_order, digithek_qr_ref (qr));
      g_hash_table_insert (cache_index, qr->text, cache_order.head);
      while (cache_order.length > CACHE_CAPACITY)
        {
          DigithekQr *old = g_queue_pop_tail (&cache_order);

          g_hash_table_remove (cache_index, old->text);
          digithek_qr_unref (old);
        }
    }
  g_mutex_unlock (&cache_lock);
  return qr;
}

void
digithek_qr_cache_clear (void)
{
  g_mutex_lock (&cache_lock);
  if (cache_index != NULL)
    g_hash_table_remove_all (cache_index);
  g_queue_clear_full (&cache_order, (GDestroyNotify) digithek_qr_unref);
  g_mutex_unlock (&cache_lock);
}

/* ---- the printed address ---- */

char *
digithek_qr_short_address (const char *url)
{
  const char *start;
  g_autofree char *decoded = NULL;
  GString *text;

  g_return_val_if_fail (url != NULL, NULL);

  start = url;
  if (g_ascii_strncasecmp (start, "https://", 8) == 0)
    start += 8;
  else if (g_ascii_strncasecmp (start, "http://", 7) == 0)
    start += 7;
  if (g_ascii_strncasecmp (start, "www.", 4) == 0)
    start += 4;

  /* Decoding is only for reading: keep the escapes when they decode to bytes that are
   * not text (or to control characters, which would print as nothing). */
  decoded = g_uri_unescape_string (start, NULL);
  text = g_string_new (decoded != NULL && g_utf8_validate (decoded, -1, NULL)
                       ? decoded : start);
  for (gsize i = 0; i < text->len; i++)
    if ((guchar) text->str[i] < 0x20 || text->str[i] == 0x7f)
      {
        g_string_assign (text, start);
        break;
      }
  if (text->len > 1 && text->str[text->len - 1] == '/')
    g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}
