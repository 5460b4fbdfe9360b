/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Channels, the kiosk's side: the checks a kiosk runs on what it fetches (keys, the
 * index's signature, the index and manifests parsed and bounded). Publishing is in
 * digithek-channel-publish.c. The file formats are described in the header. */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digithek-channel.h"
#include "digithek-sha256.h"
#include "digithek-channel-private.h"

G_DEFINE_QUARK (digithek-channel-error-quark, digithek_channel_error)

gboolean
digithek_channel_ensure_sodium (GError **error)
{
  static gsize initialized = 0;
  static gboolean ok = FALSE;

  /* sodium_init() is thread-safe itself; the once only keeps its result. */
  if (g_once_init_enter (&initialized))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialized, 1);
    }
  if (!ok)
    g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                         "libsodium cannot be initialized");
  return ok;
}

/* Strict base64 (standard alphabet, padding): g_base64_decode() silently skips
 * characters it does not know, which would let garbage pass for a key. */
gboolean
digithek_channel_decode_base64 (const char *text,
                                gsize       text_len,
                                guint8     *out,
                                gsize       out_max,
                                gsize      *out_len)
{
  const char *end = NULL;
  size_t len = 0;

  if (sodium_base642bin (out, out_max, text, text_len, NULL, &len, &end,
                         sodium_base64_VARIANT_ORIGINAL) != 0)
    return FALSE;
  if (end != text + text_len)
    return FALSE;
  *out_len = len;
  return TRUE;
}

/* Trims ASCII white space around @data, without copying. */
void
digithek_channel_trim_span (const char **data,
                            gsize       *len)
{
  while (*len > 0 && g_ascii_isspace ((*data)[0]))
    {
      (*data)++;
      (*len)--;
    }
  while (*len > 0 && g_ascii_isspace ((*data)[*len - 1]))
    (*len)--;
}

gboolean
digithek_channel_name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL)
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > 64)
    return FALSE;
  if (!g_ascii_islower (name[0]) && !g_ascii_isdigit (name[0]))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_islower (name[i]) && !g_ascii_isdigit (name[i]) && name[i] != '-')
      return FALSE;
  return TRUE;
}

gboolean
digithek_channel_sha256_hex_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return TRUE;
}

char *
digithek_channel_sha256_hex (GBytes *bytes)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  return digithek_sha256_hex_bytes (bytes);
}

char *
digithek_channel_object_path (const char *sha256)
{
  g_return_val_if_fail (digithek_channel_sha256_hex_is_valid (sha256), NULL);

  return g_strdup_printf ("objects/%.2s/%s", sha256, sha256);
}

/* Files on disk */

gboolean
digithek_channel_set_io_error (GError    **error,
                               int         saved_errno,
                               const char *what,
                               const char *path)
{
  g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
               "%s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/* Reads a small file whole, refusing more than @max_size bytes. */
GBytes *
digithek_channel_read_small_file (const char  *path,
                                  gsize        max_size,
                                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  struct stat st;

  if (g_stat (path, &st) != 0)
    {
      digithek_channel_set_io_error (error, errno, "Cannot read", path);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "%s is not a regular file", path);
      return NULL;
    }
  if ((guint64) st.st_size > max_size)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "%s is larger than %" G_GSIZE_FORMAT " bytes", path, max_size);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

G_STATIC_ASSERT (sizeof ((DigithekChannelRef *) NULL)->sha256 == DIGITHEK_SHA256_HEX_SIZE);

/* Decodes public key text; the text may carry surrounding white space. */
static gboolean
decode_public_key (const char *text,
                   gsize       len,
                   guint8      out_pk[crypto_sign_PUBLICKEYBYTES],
                   gsize      *out_decoded_len)
{
  guint8 buffer[crypto_sign_SECRETKEYBYTES];
  gsize decoded = 0;
  gboolean ok;

  digithek_channel_trim_span (&text, &len);
  ok = digithek_channel_decode_base64 (text, len, buffer, sizeof buffer, &decoded);
  if (out_decoded_len != NULL)
    *out_decoded_len = ok ? decoded : 0;
  if (ok && decoded == crypto_sign_PUBLICKEYBYTES)
    memcpy (out_pk, buffer, crypto_sign_PUBLICKEYBYTES);
  /* The buffer may have held a secret key pasted by mistake. */
  sodium_memzero (buffer, sizeof buffer);
  return ok && decoded == crypto_sign_PUBLICKEYBYTES;
}

char *
digithek_channel_encode_public_key (const guint8 pk[crypto_sign_PUBLICKEYBYTES])
{
  char text[PUBLIC_B64_SIZE];

  sodium_bin2base64 (text, sizeof text, pk, crypto_sign_PUBLICKEYBYTES,
                     sodium_base64_VARIANT_ORIGINAL);
  return g_strdup (text);
}

char *
digithek_channel_load_public_key (const char  *text_or_path,
                                  GError     **error)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize decoded = 0;

  g_return_val_if_fail (text_or_path != NULL, NULL);

  if (!digithek_channel_ensure_sodium (error))
    return NULL;

  if (decode_public_key (text_or_path, strlen (text_or_path), pk, NULL))
    return digithek_channel_encode_public_key (pk);

  bytes = digithek_channel_read_small_file (text_or_path, KEY_FILE_MAX_SIZE, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                   "“%s” is neither a base64 Ed25519 public key (%d characters) "
                   "nor a readable .pub file: %s",
                   text_or_path, DIGITHEK_CHANNEL_PUBLIC_KEY_B64_LEN, local_error->message);
      return NULL;
    }

  if (decode_public_key (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                         pk, &decoded))
    return digithek_channel_encode_public_key (pk);

  if (decoded == crypto_sign_SECRETKEYBYTES)
    g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                 "%s holds a secret key; give the public key (the .pub file) instead",
                 text_or_path);
  else
    g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                 "%s does not hold a base64 Ed25519 public key", text_or_path);
  return NULL;
}

/* Signatures */

static gboolean
decode_signature (GBytes  *sig,
                  guint8   out_sig[crypto_sign_BYTES],
                  GError **error)
{
  const char *text;
  gsize len;
  gsize decoded = 0;

  text = g_bytes_get_data (sig, &len);
  if (text == NULL || len == 0)
    {
      g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE,
                           "index.json.sig is empty");
      return FALSE;
    }
  if (len > SIG_MAX_SIZE)
    {
      g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE,
                           "index.json.sig is too large to be a signature");
      return FALSE;
    }
  digithek_channel_trim_span (&text, &len);
  if (!digithek_channel_decode_base64 (text, len, out_sig, crypto_sign_BYTES, &decoded)
      || decoded != crypto_sign_BYTES)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE,
                   "index.json.sig is not a base64 Ed25519 signature (%d bytes)",
                   crypto_sign_BYTES);
      return FALSE;
    }
  return TRUE;
}

gboolean
digithek_channel_verify_index (GBytes             *index,
                               GBytes             *sig,
                               const char * const *trusted_keys_b64,
                               GError            **error)
{
  guint8 signature[crypto_sign_BYTES];
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (index != NULL, FALSE);
  g_return_val_if_fail (sig != NULL, FALSE);

  if (!digithek_channel_ensure_sodium (error))
    return FALSE;

  if (trusted_keys_b64 == NULL || trusted_keys_b64[0] == NULL)
    {
      g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                           "no trusted key is configured, so no index can be accepted");
      return FALSE;
    }

  if (!decode_signature (sig, signature, error))
    return FALSE;

  data = g_bytes_get_data (index, &len);
  for (guint i = 0; trusted_keys_b64[i] != NULL; i++)
    {
      guint8 pk[crypto_sign_PUBLICKEYBYTES];

      if (!decode_public_key (trusted_keys_b64[i], strlen (trusted_keys_b64[i]), pk, NULL))
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                       "trusted key %u is not a base64 Ed25519 public key", i + 1);
          return FALSE;
        }
      if (crypto_sign_verify_detached (signature, data != NULL ? data : (const guint8 *) "",
                                       len, pk) == 0)
        return TRUE;
    }

  g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE,
                       "index signature does not match any trusted key");
  return FALSE;
}

/* JSON */

/* Parses @bytes, turning json-glib's "<data>:3:5: Parse error: …" into
 * "index.json is not valid JSON at line 3, column 5: …". */
JsonNode *
digithek_channel_parse_json (GBytes      *bytes,
                             gboolean     mutable,
                             const char  *label,
                             int          code,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = mutable ? json_parser_new () : json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize len;

  data = g_bytes_get_data (bytes, &len);
  if (len == 0 || data == NULL)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, code, "%s is empty", label);
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, code, "%s is not valid UTF-8", label);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      unsigned line = 0, column = 0;
      int offset = 0;

      if (sscanf (local_error->message, "<data>:%u:%u: Parse error: %n",
                  &line, &column, &offset) >= 2 && offset > 0)
        g_set_error (error, DIGITHEK_CHANNEL_ERROR, code,
                     "%s is not valid JSON at line %u, column %u: %s",
                     label, line, column, local_error->message + offset);
      else
        g_set_error (error, DIGITHEK_CHANNEL_ERROR, code, "%s is not valid JSON: %s",
                     label, local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, code, "%s is empty", label);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
node_get_int (JsonNode *node,
              gint64   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

const char *
digithek_channel_node_get_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
parse_ref (JsonNode           *node,
           DigithekChannelRef *out)
{
  JsonObject *object;
  const char *sha;
  gint64 size;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  sha = digithek_channel_node_get_string (json_object_get_member (object, "sha256"));
  if (!digithek_channel_sha256_hex_is_valid (sha))
    return FALSE;
  if (!node_get_int (json_object_get_member (object, "size"), &size) || size < 0)
    return FALSE;
  g_strlcpy (out->sha256, sha, sizeof out->sha256);
  out->size = (guint64) size;
  return TRUE;
}

JsonNode *
digithek_channel_ref_to_node (const DigithekChannelRef *ref)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "sha256", ref->sha256);
  json_object_set_int_member (object, "size", (gint64) ref->size);
  json_node_set_object (node, object);
  return node;
}

GBytes *
digithek_channel_node_to_bytes (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  char *with_newline;
  gsize len = 0;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  with_newline = g_strconcat (text, "\n", NULL);
  return g_bytes_new_take (with_newline, len + 1);
}

/* Index */

void
digithek_channel_pack_entry_free (gpointer data)
{
  DigithekChannelPackEntry *entry = data;

  g_free (entry->id);
  g_free (entry);
}

void
digithek_channel_index_free (DigithekChannelIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->name);
  g_clear_pointer (&index->created, g_date_time_unref);
  g_clear_pointer (&index->expires, g_date_time_unref);
  g_clear_pointer (&index->packs, g_ptr_array_unref);
  g_free (index);
}

DigithekChannelPackEntry *
digithek_channel_index_find_pack (DigithekChannelIndex *index,
                                  const char           *id)
{
  g_return_val_if_fail (index != NULL, NULL);

  for (guint i = 0; i < index->packs->len; i++)
    {
      DigithekChannelPackEntry *entry = g_ptr_array_index (index->packs, i);

      if (g_strcmp0 (entry->id, id) == 0)
        return entry;
    }
  return NULL;
}

static gboolean
index_error (GError    **error,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
index_error (GError    **error,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_INDEX,
               "index.json: %s", message);
  return FALSE;
}

static GDateTime *
parse_time_member (JsonObject *object,
                   const char *member)
{
  const char *text = digithek_channel_node_get_string (json_object_get_member (object, member));
  g_autoptr(GDateTime) time = NULL;

  /* No default time zone: a time without one is refused rather than guessed. */
  if (text == NULL || (time = g_date_time_new_from_iso8601 (text, NULL)) == NULL)
    return NULL;
  return g_date_time_to_utc (time);
}

DigithekChannelIndex *
digithek_channel_index_parse (GBytes  *bytes,
                              GError **error)
{
  g_autoptr(DigithekChannelIndex) index = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) seen = NULL;
  JsonObject *object;
  JsonNode *packs_node;
  JsonArray *packs;
  gint64 format;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (g_bytes_get_size (bytes) > DIGITHEK_CHANNEL_MAX_INDEX_SIZE)
    {
      index_error (error, "larger than %d bytes", DIGITHEK_CHANNEL_MAX_INDEX_SIZE);
      return NULL;
    }
  root = digithek_channel_parse_json (bytes, FALSE, "index.json",
                                      DIGITHEK_CHANNEL_ERROR_INVALID_INDEX, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      index_error (error, "not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  index = g_new0 (DigithekChannelIndex, 1);
  index->packs = g_ptr_array_new_with_free_func (digithek_channel_pack_entry_free);

  if (!node_get_int (json_object_get_member (object, "format"), &format))
    {
      index_error (error, "format: missing or not an integer");
      return NULL;
    }
  if (format != 1)
    {
      index_error (error, "format: %" G_GINT64_FORMAT " is not supported (only 1 is)", format);
      return NULL;
    }

  index->name = g_strdup (digithek_channel_node_get_string (json_object_get_member (object, "name")));
  if (!digithek_channel_name_is_valid (index->name))
    {
      index_error (error, "name: missing or not of the form [a-z0-9][a-z0-9-]{0,63}");
      return NULL;
    }
  if (!node_get_int (json_object_get_member (object, "serial"), &index->serial)
      || index->serial < 1)
    {
      index_error (error, "serial: missing or not a positive integer");
      return NULL;
    }
  if ((index->created = parse_time_member (object, "created")) == NULL)
    {
      index_error (error, "created: missing or not an ISO 8601 time with a time zone");
      return NULL;
    }
  if ((index->expires = parse_time_member (object, "expires")) == NULL)
    {
      index_error (error, "expires: missing or not an ISO 8601 time with a time zone");
      return NULL;
    }

  packs_node = json_object_get_member (object, "packs");
  if (packs_node == NULL || !JSON_NODE_HOLDS_ARRAY (packs_node))
    {
      index_error (error, "packs: missing or not an array");
      return NULL;
    }
  packs = json_node_get_array (packs_node);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (packs); i++)
    {
      JsonNode *node = json_array_get_element (packs, i);
      DigithekChannelPackEntry *entry;
      JsonObject *pack;
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          index_error (error, "packs[%u]: not an object", i);
          return NULL;
        }
      pack = json_node_get_object (node);
      id = digithek_channel_node_get_string (json_object_get_member (pack, "id"));
      if (!digithek_channel_name_is_valid (id))
        {
          index_error (error, "packs[%u].id: missing or not a valid pack id", i);
          return NULL;
        }
      if (g_hash_table_contains (seen, id))
        {
          index_error (error, "packs[%u].id: pack “%s” is listed twice", i, id);
          return NULL;
        }

      entry = g_new0 (DigithekChannelPackEntry, 1);
      entry->id = g_strdup (id);
      g_ptr_array_add (index->packs, entry);
      g_hash_table_add (seen, entry->id);

      if (!node_get_int (json_object_get_member (pack, "version"), &entry->version)
          || entry->version < 1)
        {
          index_error (error, "packs[%u].version: missing or not a positive integer", i);
          return NULL;
        }
      if (!parse_ref (json_object_get_member (pack, "manifest"), &entry->manifest))
        {
          index_error (error, "packs[%u].manifest: not a {\"sha256\", \"size\"} reference", i);
          return NULL;
        }
    }

  return g_steal_pointer (&index);
}

/* Manifest */

static void
channel_file_free (gpointer data)
{
  DigithekChannelFile *file = data;

  g_free (file->path);
  g_free (file);
}

void
digithek_channel_manifest_free (DigithekChannelManifest *manifest)
{
  if (manifest == NULL)
    return;
  g_free (manifest->id);
  g_clear_pointer (&manifest->pack_json, g_bytes_unref);
  g_clear_pointer (&manifest->files, g_ptr_array_unref);
  g_free (manifest);
}

typedef struct
{
  GPtrArray  *files;
  GHashTable *by_sha;   /* sha256 → DigithekChannelFile, borrowed from files */
} ManifestWalk;

static gboolean
manifest_ref_to_path_cb (JsonObject  *parent,
                         const char  *member,
                         const char  *where,
                         gpointer     user_data,
                         GError     **error)
{
  ManifestWalk *walk = user_data;
  DigithekChannelRef ref;
  DigithekChannelFile *file;

  if (!parse_ref (json_object_get_member (parent, member), &ref))
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST,
                   "manifest: %s: not a {\"sha256\", \"size\"} reference", where);
      return FALSE;
    }

  file = g_hash_table_lookup (walk->by_sha, ref.sha256);
  if (file == NULL)
    {
      file = g_new0 (DigithekChannelFile, 1);
      file->ref = ref;
      file->path = g_strconcat ("files/", ref.sha256, NULL);
      g_ptr_array_add (walk->files, file);
      g_hash_table_insert (walk->by_sha, file->ref.sha256, file);
    }
  else if (file->ref.size != ref.size)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST,
                   "manifest: %s: size %" G_GUINT64_FORMAT " differs from another reference "
                   "to the same object (%" G_GUINT64_FORMAT ")", where, ref.size, file->ref.size);
      return FALSE;
    }

  json_object_set_string_member (parent, member, file->path);
  return TRUE;
}

DigithekChannelManifest *
digithek_channel_manifest_parse (GBytes  *bytes,
                                 GError **error)
{
  g_autoptr(DigithekChannelManifest) manifest = NULL;
  g_autoptr(GHashTable) by_sha = NULL;
  g_autoptr(JsonNode) root = NULL;
  ManifestWalk walk;
  JsonObject *object;
  gint64 format;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (g_bytes_get_size (bytes) > DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST,
                   "manifest: larger than %d bytes", DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE);
      return NULL;
    }
  /* Mutable: the walk rewrites the references in place. */
  root = digithek_channel_parse_json (bytes, TRUE, "manifest",
                                      DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST,
                           "manifest: not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  manifest = g_new0 (DigithekChannelManifest, 1);
  manifest->files = g_ptr_array_new_with_free_func (channel_file_free);

  if (!node_get_int (json_object_get_member (object, "format"), &format) || format != 1)
    {
      g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST,
                           "manifest: format: missing or not 1");
      return NULL;
    }
  manifest->id = g_strdup (digithek_channel_node_get_string (json_object_get_member (object, "id")));
  if (!digithek_channel_name_is_valid (manifest->id))
    {
      g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST,
                           "manifest: id: missing or not a valid pack id");
      return NULL;
    }
  if (!node_get_int (json_object_get_member (object, "version"), &manifest->version)
      || manifest->version < 1)
    {
      g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST,
                           "manifest: version: missing or not a positive integer");
      return NULL;
    }

  by_sha = g_hash_table_new (g_str_hash, g_str_equal);
  walk.files = manifest->files;
  walk.by_sha = by_sha;
  if (!digithek_pack_walk_paths (root, "manifest", DIGITHEK_CHANNEL_ERROR,
                                 DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST, manifest_ref_to_path_cb,
                                 &walk, error))
    return NULL;

  manifest->pack_json = digithek_channel_node_to_bytes (root);
  return g_steal_pointer (&manifest);
}
