/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-sha256.h"

void
digithek_sha256_init (DigithekSha256 *sha)
{
  sha256_init (&sha->ctx);
}

void
digithek_sha256_update (DigithekSha256 *sha,
                        const void     *data,
                        gsize           len)
{
  /* nettle takes a size_t length: no need to split. */
  if (len > 0)
    sha256_update (&sha->ctx, len, data);
}

void
digithek_sha256_finish_hex (DigithekSha256 *sha,
                            char            out[DIGITHEK_SHA256_HEX_SIZE])
{
  static const char hex[] = "0123456789abcdef";
  guint8 digest[SHA256_DIGEST_SIZE];

  /* sha256_digest() also resets the state for the next hash. */
  sha256_digest (&sha->ctx, sizeof digest, digest);
  for (guint i = 0; i < SHA256_DIGEST_SIZE; i++)
    {
      out[2 * i] = hex[digest[i] >> 4];
      out[2 * i + 1] = hex[digest[i] & 0xf];
    }
  out[2 * SHA256_DIGEST_SIZE] = '\0';
}

char *
digithek_sha256_hex_data (const void *data,
                          gsize       len)
{
  DigithekSha256 sha;
  char *out;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  out = g_malloc (DIGITHEK_SHA256_HEX_SIZE);
  digithek_sha256_init (&sha);
  digithek_sha256_update (&sha, data, len);
  digithek_sha256_finish_hex (&sha, out);
  return out;
}

char *
digithek_sha256_hex_bytes (GBytes *bytes)
{
  gsize len = 0;
  const void *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  return digithek_sha256_hex_data (data, len);
}
