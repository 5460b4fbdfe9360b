/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to channel/: the helpers shared by the kiosk's side (digithek-channel.c:
 * verifying, parsing) and the staff tool's (digithek-channel-publish.c,
 * digithek-channel-keygen.c, digithek-channel-files.c, built into content_publish). */

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "digithek-channel.h"
#include "digithek-channel-publish.h"
#include "digithek-pack-paths.h"

G_BEGIN_DECLS

#define TEMP_PREFIX ".digithek-tmp-"
#define KEY_FILE_MAX_SIZE 4096
#define SIG_MAX_SIZE 1024
#define PUBLIC_B64_SIZE sodium_base64_ENCODED_LEN (crypto_sign_PUBLICKEYBYTES, \
                                                   sodium_base64_VARIANT_ORIGINAL)

gboolean digithek_channel_ensure_sodium (GError **error);

/* Strict base64 (standard alphabet, padding): g_base64_decode() silently skips
 * characters it does not know, which would let garbage pass for a key. */
gboolean digithek_channel_decode_base64 (const char *text,
                                         gsize       text_len,
                                         guint8     *out,
                                         gsize       out_max,
                                         gsize      *out_len);

/* Trims ASCII white space around @data, without copying. */
void digithek_channel_trim_span (const char **data,
                                 gsize       *len);

gboolean digithek_channel_sha256_hex_is_valid (const char *text);

/* Files on disk */
gboolean digithek_channel_set_io_error (GError    **error,
                                        int         saved_errno,
                                        const char *what,
                                        const char *path);

/* Sets @mode on an open file or folder. Some file systems (FAT on a USB stick) refuse
 * chmod but already show everything world-readable; that is good enough. */
gboolean digithek_channel_set_mode_fd (int         fd,
                                       mode_t      mode,
                                       const char *path,
                                       GError    **error);

void digithek_channel_fsync_dir (const char *path);

/* Creates @path and missing parents as 0755 whatever the umask. Existing folders are
 * left as they are: their permissions are the operator's choice. */
gboolean digithek_channel_ensure_dir (const char  *path,
                                      GError     **error);

int digithek_channel_open_temp (const char  *dir,
                                char       **out_tmp_path,
                                GError     **error);

gboolean digithek_channel_write_all (int          fd,
                                     const void  *data,
                                     gsize        len,
                                     const char  *path,
                                     GError     **error);

/* Makes a temporary file the final one: permissions, fsync, rename. Closes @fd and
 * removes the temporary file on failure. The caller syncs the folder. */
/* Validators of HTTP caches. nginx (like most static servers) makes a file's ETag from
 * its mtime in whole seconds and its size, and answers If-None-Match with 304 when both
 * are equal. An index.json replaced by one of the same size within the same second (two
 * quick publishes: the size of an index rarely changes) would keep its ETag, and a kiosk
 * holding that ETag would be told "not modified" and miss a genuine update until the next
 * publish. So a replaced index.json (and its signature) gets an mtime strictly later, in
 * whole seconds, than the file it replaces: set on the temporary file before the rename,
 * so the new content is never served under the old ETag. Never earlier than now either:
 * the bump only moves the mtime forward, at most a second per publish. */

/* The mtime, whole seconds, of the file at @path, or %G_MININT64 when there is none. */
gint64 digithek_channel_file_mtime_seconds (const char *path);

/* Moves the mtime of @fd past @previous (whole seconds) when it is not already later. */
gboolean digithek_channel_set_mtime_after_fd (int          fd,
                                              gint64       previous,
                                              const char  *path,
                                              GError     **error);

gboolean digithek_channel_commit_temp (int          fd,
                                       const char  *tmp_path,
                                       const char  *final_path,
                                       mode_t       mode,
                                       GError     **error);

/* Replaces @path atomically. With @mtime_after (whole seconds; %G_MININT64 for none) the
 * new file's mtime is made later than that before it appears (see above). */
gboolean digithek_channel_write_file_atomic_after (const char  *path,
                                                   const void  *data,
                                                   gsize        len,
                                                   mode_t       mode,
                                                   gint64       mtime_after,
                                                   GError     **error);

gboolean digithek_channel_write_file_atomic (const char  *path,
                                             const void  *data,
                                             gsize        len,
                                             mode_t       mode,
                                             GError     **error);

/* Reads a small file whole, refusing more than @max_size bytes. */
GBytes * digithek_channel_read_small_file (const char  *path,
                                           gsize        max_size,
                                           GError     **error);

/* Streams @path through SHA-256; optionally copies it to @copy_fd at the same time, so
 * that what is stored is exactly what was hashed. */
gboolean digithek_channel_hash_file (const char          *path,
                                     int                  copy_fd,
                                     const char          *copy_path,
                                     DigithekChannelRef  *out_ref,
                                     GError             **error);

/* Keys */
gboolean digithek_channel_encode_key_line (const guint8 *key,
                                           gsize         key_len,
                                           char         *out,
                                           gsize         out_size);

char * digithek_channel_encode_public_key (const guint8 pk[crypto_sign_PUBLICKEYBYTES]);

/* Reads a secret key file into @sk. The caller wipes @sk. */
gboolean digithek_channel_load_secret_key (const char  *path,
                                           guint8       sk[crypto_sign_SECRETKEYBYTES],
                                           GError     **error);

/* JSON */

/* Parses @bytes, turning json-glib's "<data>:3:5: Parse error: …" into
 * "index.json is not valid JSON at line 3, column 5: …". */
JsonNode * digithek_channel_parse_json (GBytes      *bytes,
                                        gboolean     mutable,
                                        const char  *label,
                                        int          code,
                                        GError     **error);

const char * digithek_channel_node_get_string (JsonNode *node);

JsonNode * digithek_channel_ref_to_node (const DigithekChannelRef *ref);

GBytes * digithek_channel_node_to_bytes (JsonNode *root);

/* Index */
void digithek_channel_pack_entry_free (gpointer data);

G_END_DECLS
