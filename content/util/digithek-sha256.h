/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * SHA-256 for the whole content layer, in one place: a streaming hash that lives on the
 * stack, and a one-shot for GBytes. Backed by libnettle (already loaded through gnutls,
 * which libsoup uses); its fat build picks the SHA-NI or assembly implementation at run
 * time, about three times as fast as GLib's GChecksum, which matters when the sync
 * verifies hundreds of megabytes while they arrive.
 *
 *   DigithekSha256 sha;
 *   char hex[DIGITHEK_SHA256_HEX_SIZE];
 *
 *   digithek_sha256_init (&sha);
 *   digithek_sha256_update (&sha, data, len);    (any number of times)
 *   digithek_sha256_finish_hex (&sha, hex);      (64 lowercase hex digits and a NUL)
 */

#include <glib.h>
#include <nettle/sha2.h>

G_BEGIN_DECLS

/* 64 lowercase hex digits and the terminating NUL. */
#define DIGITHEK_SHA256_HEX_SIZE 65

typedef struct
{
  struct sha256_ctx ctx;
} DigithekSha256;

void  digithek_sha256_init       (DigithekSha256 *sha);
void  digithek_sha256_update     (DigithekSha256 *sha,
                                  const void     *data,
                                  gsize           len);
/* Writes the digest of everything fed since init as hex into @out, then starts over
 * (the state is ready for a new hash, as after digithek_sha256_init()). */
void  digithek_sha256_finish_hex (DigithekSha256 *sha,
                                  char            out[DIGITHEK_SHA256_HEX_SIZE]);

/* Returns: (transfer full): the SHA-256 of @len bytes at @data, 64 lowercase hex digits */
char *digithek_sha256_hex_data   (const void     *data,
                                  gsize           len);
/* Returns: (transfer full): the SHA-256 of @bytes, 64 lowercase hex digits */
char *digithek_sha256_hex_bytes  (GBytes         *bytes);

G_END_DECLS
