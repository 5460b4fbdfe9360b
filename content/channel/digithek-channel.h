/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * A channel is a folder of static files that `digithek-pack publish` writes and kiosks
 * read, over HTTP or from a USB stick.
 *
 * Files of a channel (all world-readable: files 0644, folders 0755):
 *
 *   index.json       the index, UTF-8 JSON:
 *                      {"format": 1, "name": "default", "serial": 7,
 *                       "created": "2026-03-01T09:00:00Z", "expires": "2026-03-31T09:00:00Z",
 *                       "packs": [{"id": "parking", "version": 3,
 *                                  "manifest": {"sha256": "<64 hex>", "size": 1234}}]}
 *                    `packs` is sorted by id, one entry per pack id. Readers ignore members
 *                    they do not know (fields may be added, never renamed).
 *   index.json.sig   the detached Ed25519 signature (libsodium crypto_sign_detached) of the
 *                    exact bytes of index.json: the 64 signature bytes in standard base64
 *                    (RFC 4648 §4, with padding) on one line, ending with a newline.
 *   objects/ab/abcdef…  every referenced file and every manifest, stored once, named by the
 *                    lowercase hex SHA-256 of its content, in a subfolder named by the first
 *                    two hex digits (256 fan-out folders keep each folder small, which FAT
 *                    sticks and some web servers care about).
 *
 * A manifest is the pack's pack.json with every path (an item's `image`, a dataset's
 * `data`, the values of an explainer's `body`, a guide step's `image` and the values of
 * its `body`) replaced by a reference `{"sha256": "<64 hex>", "size": N}`.
 *
 * Key files written by digithek_channel_keygen() (digithek-channel-publish.h):
 *
 *   FILE       the secret key: libsodium's 64-byte Ed25519 secret key (seed and public key)
 *              in standard base64 with padding, on one line ending with a newline; mode 0600.
 *   FILE.pub   the public key: the 32-byte Ed25519 public key in standard base64 with
 *              padding (44 characters), on one line ending with a newline; mode 0644.
 *              This line is what a kiosk's config and `--trust` take.
 *
 * Order of writes: objects first (each atomically: a temporary file in the same folder,
 * fsync, rename), then index.json.sig, then index.json. Two files cannot be replaced in
 * one step, so a reader can, for a few milliseconds, see a new signature beside the old
 * index. Writing the signature first means a reader that notices a new index.json and then
 * fetches its signature always finds the matching one; and a publish that dies between the
 * two renames leaves a pair that fails verification (refused, nothing installed) rather than
 * a new unsigned index. Readers therefore fetch index.json first, then index.json.sig, and on
 * a mismatch fetch both once more before refusing.
 *
 * A replaced index.json and index.json.sig get an mtime strictly later, in whole seconds,
 * than the files they replace (bumped by a second when needed): web servers such as nginx
 * derive the ETag from mtime seconds and size, and an index of the same size published
 * within the same second would otherwise keep its ETag and be answered 304 to a kiosk.
 */

#include <gio/gio.h>

#include "digithek-pack.h"

G_BEGIN_DECLS

#define DIGITHEK_CHANNEL_ERROR (digithek_channel_error_quark ())

typedef enum
{
  DIGITHEK_CHANNEL_ERROR_KEY,             /* a key file or key text is unusable */
  DIGITHEK_CHANNEL_ERROR_EXISTS,          /* keygen: the key file exists (no --force) */
  DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE,   /* the signature is malformed or matches no key */
  DIGITHEK_CHANNEL_ERROR_INVALID_INDEX,   /* index.json is not a valid index */
  DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST, /* a manifest is not a valid manifest */
  DIGITHEK_CHANNEL_ERROR_CONFLICT,        /* a pack version is published with other content,
                                             or is older than the published one, or the
                                             channel has another name */
  DIGITHEK_CHANNEL_ERROR_FAILED,          /* anything else: I/O, a changed file, a lock */
} DigithekChannelError;

GQuark digithek_channel_error_quark (void);

/* Largest index.json and manifest a reader should accept, in bytes. */
#define DIGITHEK_CHANNEL_MAX_INDEX_SIZE    (4 * 1024 * 1024)
#define DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE (4 * 1024 * 1024)

/* Length of a public key in base64 text (32 bytes). */
#define DIGITHEK_CHANNEL_PUBLIC_KEY_B64_LEN 44

/* Default lifetime of a published index. */
#define DIGITHEK_CHANNEL_DEFAULT_EXPIRES_DAYS 30

/* `[a-z0-9][a-z0-9-]{0,63}`, as pack ids. */
gboolean digithek_channel_name_is_valid (const char *name);

/* Lowercase hex SHA-256 of @bytes. */
char    *digithek_channel_sha256_hex (GBytes *bytes);

/**
 * digithek_channel_object_path:
 * @sha256: 64 lowercase hex digits
 *
 * Returns: (transfer full): where the object lives relative to the channel's root,
 *   `objects/ab/abcdef…`, with `/` separators (usable in URLs as it is)
 */
char    *digithek_channel_object_path (const char *sha256);

/**
 * digithek_channel_load_public_key:
 * @text_or_path: a public key in base64, or the path of a `.pub` file holding one
 * @error: return location for a #GError
 *
 * Accepts what `--trust` and the config take. Text that decodes to a 32-byte key wins over
 * a file of the same name.
 *
 * Returns: (transfer full): the public key, base64, normalized (no white space), or %NULL
 */
char    *digithek_channel_load_public_key (const char  *text_or_path,
                                           GError     **error);

/**
 * digithek_channel_verify_index:
 * @index: the exact bytes of index.json
 * @sig: the bytes of index.json.sig (base64 text, surrounding white space allowed)
 * @trusted_keys_b64: %NULL-terminated public keys, base64
 * @error: return location for a #GError
 *
 * Checks that @sig is a signature of @index by one of @trusted_keys_b64. It checks the
 * signature only: parse the index with digithek_channel_index_parse() afterwards and check
 * its serial and expiry.
 *
 * Returns: %TRUE when the signature verifies; otherwise %FALSE with @error set
 *   (%DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE, or %DIGITHEK_CHANNEL_ERROR_KEY for an
 *   unusable trusted key)
 */
gboolean digithek_channel_verify_index (GBytes             *index,
                                        GBytes             *sig,
                                        const char * const *trusted_keys_b64,
                                        GError            **error);

/* A reference to an object: its hash and its size in bytes. */
typedef struct
{
  char    sha256[65];
  guint64 size;
} DigithekChannelRef;

typedef struct
{
  char               *id;
  gint64              version;
  DigithekChannelRef  manifest;
} DigithekChannelPackEntry;

/**
 * DigithekChannelIndex:
 * @name: the channel's name
 * @serial: grows with every publish into the channel
 * @created: when it was published (UTC)
 * @expires: when kiosks stop accepting it (UTC)
 * @packs: (element-type DigithekChannelPackEntry): sorted by id, one per id
 */
typedef struct
{
  char      *name;
  gint64     serial;
  GDateTime *created;
  GDateTime *expires;
  GPtrArray *packs;
} DigithekChannelIndex;

/**
 * digithek_channel_index_parse:
 * @bytes: the bytes of index.json
 * @error: return location for a #GError
 *
 * Parses and checks an index: format 1, a valid name, a positive serial, ISO 8601 times
 * with a time zone, valid pack ids (each once), positive versions and well-formed manifest
 * references. Unknown members are ignored. Does not check the signature.
 *
 * Returns: (transfer full): the index, or %NULL with %DIGITHEK_CHANNEL_ERROR_INVALID_INDEX
 */
DigithekChannelIndex     *digithek_channel_index_parse     (GBytes               *bytes,
                                                            GError              **error);
DigithekChannelPackEntry *digithek_channel_index_find_pack (DigithekChannelIndex *index,
                                                            const char           *id);
void                      digithek_channel_index_free      (DigithekChannelIndex *index);

/* One file a manifest references: where to put it in the pack folder, and its object. */
typedef struct
{
  char               *path;  /* `files/<sha256>`, relative to the pack folder */
  DigithekChannelRef  ref;
} DigithekChannelFile;

/**
 * DigithekChannelManifest:
 * @id: the pack's id, as the manifest states it
 * @version: the pack's version, as the manifest states it
 * @pack_json: pack.json for a pack folder in which each referenced file lies at its
 *   #DigithekChannelFile's path
 * @files: (element-type DigithekChannelFile): every referenced object, each once
 */
typedef struct
{
  char      *id;
  gint64     version;
  GBytes    *pack_json;
  GPtrArray *files;
} DigithekChannelManifest;

/**
 * digithek_channel_manifest_parse:
 * @bytes: the bytes of a manifest object
 * @error: return location for a #GError
 *
 * Maps a content-addressed manifest back to a pack folder: each reference becomes the path
 * `files/<sha256>`. A path position holding anything but a well-formed reference is refused.
 * The caller checks that @id and @version match the index entry, downloads each file,
 * checking its size and hash, and then validates the folder with digithek_pack_load().
 *
 * Returns: (transfer full): the manifest, or %NULL with
 *   %DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST
 */
DigithekChannelManifest *digithek_channel_manifest_parse (GBytes                  *bytes,
                                                          GError                 **error);
void                     digithek_channel_manifest_free  (DigithekChannelManifest *manifest);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekChannelIndex, digithek_channel_index_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekChannelManifest, digithek_channel_manifest_free)

G_END_DECLS
