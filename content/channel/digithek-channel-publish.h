/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The staff tool's side of channels: key pairs and publishing. Built into the
 * content_publish library, which only digithek-pack links; the kiosk carries none of it.
 * The formats are described in digithek-channel.h. */

#include "digithek-channel.h"

G_BEGIN_DECLS

/**
 * digithek_channel_keygen:
 * @path: the secret key file to write; the public key goes to `@path.pub`
 * @force: replace existing files
 * @out_public_b64: (out) (optional) (transfer full): the public key, base64
 * @error: return location for a #GError
 *
 * Creates an Ed25519 key pair. Without @force, fails with %DIGITHEK_CHANNEL_ERROR_EXISTS
 * when either file exists, writing nothing.
 */
gboolean digithek_channel_keygen (const char  *path,
                                  gboolean     force,
                                  char       **out_public_b64,
                                  GError     **error);

/**
 * digithek_channel_load_secret_key_public:
 * @path: a secret key file
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the public key belonging to the secret key in @path, base64
 */
char    *digithek_channel_load_secret_key_public (const char  *path,
                                                  GError     **error);

/**
 * DigithekChannelPublishOptions:
 * @name: (nullable): the channel's name; %NULL keeps an existing channel's name, or
 *   `default` for a new one. A name differing from an existing channel's is refused.
 * @expires_days: lifetime of the index, 0 for %DIGITHEK_CHANNEL_DEFAULT_EXPIRES_DAYS
 * @prune: remove objects no manifest of the new index references
 * @refresh: sign a new index (new serial and expiry) even when no pack changed
 * @now: (nullable): the publishing time, %NULL for now (for tests)
 */
typedef struct
{
  const char *name;
  guint       expires_days;
  gboolean    prune;
  gboolean    refresh;
  GDateTime  *now;
} DigithekChannelPublishOptions;

/**
 * DigithekChannelPublishResult:
 * @unchanged: the index was left as it was (identical content, no --refresh)
 * @serial: the serial of the channel's index after publishing
 * @name: the channel's name
 * @expires: when that index expires
 * @objects_written: objects added (files and manifests)
 * @bytes_written: their bytes
 * @objects_pruned: objects removed by @prune
 * @report: (element-type utf8): one line per pack named, saying what happened to it
 */
typedef struct
{
  gboolean   unchanged;
  gint64     serial;
  char      *name;
  GDateTime *expires;
  guint      objects_written;
  guint64    bytes_written;
  guint      objects_pruned;
  GPtrArray *report;
} DigithekChannelPublishResult;

void digithek_channel_publish_result_clear (DigithekChannelPublishResult *result);

/**
 * digithek_channel_publish:
 * @channel_dir: the channel folder; created when missing
 * @packs: (element-type DigithekPack): validated packs, each id at most once
 * @secret_key_path: the secret key file written by digithek_channel_keygen()
 * @options: (nullable): options, %NULL for the defaults
 * @result: (out caller-allocates) (optional): what happened; clear it with
 *   digithek_channel_publish_result_clear()
 * @error: return location for a #GError
 *
 * Publishes @packs into @channel_dir: stores their files and manifests as objects, keeps
 * every other pack of the existing index, and signs a new index whose serial follows the
 * existing one. Existing objects are never removed unless @options asks to prune.
 *
 * Everything is checked before anything is written: a pack version already published
 * with other content, or older than the published version, is refused with
 * %DIGITHEK_CHANNEL_ERROR_CONFLICT (one line per problem) and the channel stays as it
 * was. Publishing content the channel already holds writes nothing and sets
 * @result->unchanged, unless the existing index does not verify with this key.
 */
gboolean digithek_channel_publish (const char                          *channel_dir,
                                   GPtrArray                           *packs,
                                   const char                          *secret_key_path,
                                   const DigithekChannelPublishOptions *options,
                                   DigithekChannelPublishResult        *result,
                                   GError                             **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DigithekChannelPublishResult,
                                  digithek_channel_publish_result_clear)

G_END_DECLS
