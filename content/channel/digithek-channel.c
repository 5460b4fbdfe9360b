/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The publish side of channels (objects, manifests, signed index) and the checks a
 * kiosk runs on what it fetches. The file formats are described in the header. */

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

G_DEFINE_QUARK (digithek-channel-error-quark, digithek_channel_error)

#define TEMP_PREFIX ".digithek-tmp-"
#define KEY_FILE_MAX_SIZE 4096
#define SIG_MAX_SIZE 1024

/* Secret key text: base64 of 64 bytes, plus a newline. */
#define SECRET_B64_SIZE sodium_base64_ENCODED_LEN (crypto_sign_SECRETKEYBYTES, \
                                                   sodium_base64_VARIANT_ORIGINAL)
#define PUBLIC_B64_SIZE sodium_base64_ENCODED_LEN (crypto_sign_PUBLICKEYBYTES, \
                                                   sodium_base64_VARIANT_ORIGINAL)
#define SIG_B64_SIZE    sodium_base64_ENCODED_LEN (crypto_sign_BYTES, \
                                                   sodium_base64_VARIANT_ORIGINAL)

static gboolean
ensure_sodium (GError **error)
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
static gboolean
decode_base64 (const char *text,
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
static void
trim_span (const char **data,
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

static gboolean
sha256_hex_is_valid (const char *text)
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
  g_return_val_if_fail (sha256_hex_is_valid (sha256), NULL);

  return g_strdup_printf ("objects/%.2s/%s", sha256, sha256);
}

/* Files on disk */

static gboolean
set_io_error (GError    **error,
              int         saved_errno,
              const char *what,
              const char *path)
{
  g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
               "%s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/* Sets @mode on an open file or folder. Some file systems (FAT on a USB stick) refuse
 * chmod but already show everything world-readable; that is good enough. */
static gboolean
set_mode_fd (int         fd,
             mode_t      mode,
             const char *path,
             GError    **error)
{
  struct stat st;
  mode_t readable = mode & 0555;

  if (fchmod (fd, mode) == 0)
    return TRUE;
  if (fstat (fd, &st) == 0 && (st.st_mode & readable) == readable)
    return TRUE;
  return set_io_error (error, errno, "Cannot set the permissions of", path);
}

static void
fsync_dir (const char *path)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* Best effort: some file systems cannot sync a folder; the files are synced anyway. */
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Creates @path and missing parents as 0755 whatever the umask. Existing folders are
 * left as they are: their permissions are the operator's choice. */
static gboolean
ensure_dir (const char  *path,
            GError     **error)
{
  g_autofree char *parent = NULL;
  int fd;
  gboolean ok;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;

  parent = g_path_get_dirname (path);
  if (g_strcmp0 (parent, path) != 0 && !ensure_dir (parent, error))
    return FALSE;

  if (g_mkdir (path, 0755) != 0 && errno != EEXIST)
    return set_io_error (error, errno, "Cannot create folder", path);

  fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return set_io_error (error, errno, "Cannot open folder", path);
  ok = set_mode_fd (fd, 0755, path, error);
  close (fd);
  return ok;
}

static int
open_temp (const char  *dir,
           char       **out_tmp_path,
           GError     **error)
{
  g_autofree char *tmpl = g_build_filename (dir, TEMP_PREFIX "XXXXXX", NULL);
  int fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      set_io_error (error, errno, "Cannot create a temporary file in", dir);
      return -1;
    }
  *out_tmp_path = g_steal_pointer (&tmpl);
  return fd;
}

static gboolean
write_all (int          fd,
           const void  *data,
           gsize        len,
           const char  *path,
           GError     **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_io_error (error, errno, "Cannot write", path);
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

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
static gint64
file_mtime_seconds (const char *path)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    return G_MININT64;
  return (gint64) st.st_mtime;
}

/* Moves the mtime of @fd past @previous (whole seconds) when it is not already later. */
static gboolean
set_mtime_after_fd (int          fd,
                    gint64       previous,
                    const char  *path,
                    GError     **error)
{
  struct stat st;
  struct timespec times[2];

  if (previous == G_MININT64)
    return TRUE;
  if (fstat (fd, &st) != 0)
    return set_io_error (error, errno, "Cannot read the time of", path);
  if ((gint64) st.st_mtime > previous)
    return TRUE;
  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = (time_t) (previous + 1);
  times[1].tv_nsec = 0;
  if (futimens (fd, times) != 0)
    return set_io_error (error, errno, "Cannot set the time of", path);
  return TRUE;
}

static gboolean
commit_temp (int          fd,
             const char  *tmp_path,
             const char  *final_path,
             mode_t       mode,
             GError     **error)
{
  if (!set_mode_fd (fd, mode, tmp_path, error))
    goto fail;
  if (fsync (fd) != 0)
    {
      set_io_error (error, errno, "Cannot write", tmp_path);
      goto fail;
    }
  if (close (fd) != 0)
    {
      fd = -1;
      set_io_error (error, errno, "Cannot write", tmp_path);
      goto fail;
    }
  fd = -1;
  if (g_rename (tmp_path, final_path) != 0)
    {
      set_io_error (error, errno, "Cannot rename a temporary file to", final_path);
      goto fail;
    }
  return TRUE;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return FALSE;
}

/* Replaces @path atomically. With @mtime_after (whole seconds; %G_MININT64 for none) the
 * new file's mtime is made later than that before it appears (see above). */
static gboolean
write_file_atomic_after (const char  *path,
                         const void  *data,
                         gsize        len,
                         mode_t       mode,
                         gint64       mtime_after,
                         GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp_path = NULL;
  int fd;

  fd = open_temp (dir, &tmp_path, error);
  if (fd < 0)
    return FALSE;
  if (!write_all (fd, data, len, tmp_path, error)
      || !set_mtime_after_fd (fd, mtime_after, tmp_path, error))
    {
      close (fd);
      g_unlink (tmp_path);
      return FALSE;
    }
  return commit_temp (fd, tmp_path, path, mode, error);
}

static gboolean
write_file_atomic (const char  *path,
                   const void  *data,
                   gsize        len,
                   mode_t       mode,
                   GError     **error)
{
  return write_file_atomic_after (path, data, len, mode, G_MININT64, error);
}

/* Reads a small file whole, refusing more than @max_size bytes. */
static GBytes *
read_small_file (const char  *path,
                 gsize        max_size,
                 GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  struct stat st;

  if (g_stat (path, &st) != 0)
    {
      set_io_error (error, errno, "Cannot read", path);
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

/* Bytes per read() when hashing a file: large reads keep the per-call cost small. */
#define HASH_FILE_CHUNK (256 * 1024)

G_STATIC_ASSERT (sizeof ((DigithekChannelRef *) NULL)->sha256 == DIGITHEK_SHA256_HEX_SIZE);

/* Streams @path through SHA-256; optionally copies it to @copy_fd at the same time, so
 * that what is stored is exactly what was hashed. */
static gboolean
hash_file (const char          *path,
           int                  copy_fd,
           const char          *copy_path,
           DigithekChannelRef  *out_ref,
           GError             **error)
{
  DigithekSha256 sha;
  g_autofree guint8 *buffer = g_malloc (HASH_FILE_CHUNK);
  guint64 size = 0;
  struct stat st;
  int fd;

  digithek_sha256_init (&sha);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return set_io_error (error, errno, "Cannot read", path);
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "%s is not a regular file", path);
      return FALSE;
    }

  for (;;)
    {
      ssize_t n = read (fd, buffer, HASH_FILE_CHUNK);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          close (fd);
          return set_io_error (error, saved_errno, "Cannot read", path);
        }
      if (n == 0)
        break;
      digithek_sha256_update (&sha, buffer, n);
      size += (guint64) n;
      if (copy_fd >= 0 && !write_all (copy_fd, buffer, (gsize) n, copy_path, error))
        {
          close (fd);
          return FALSE;
        }
    }
  close (fd);

  digithek_sha256_finish_hex (&sha, out_ref->sha256);
  out_ref->size = size;
  return TRUE;
}

/* Keys */

static gboolean
encode_key_line (const guint8 *key,
                 gsize         key_len,
                 char         *out,
                 gsize         out_size)
{
  gsize len;

  sodium_bin2base64 (out, out_size - 1, key, key_len, sodium_base64_VARIANT_ORIGINAL);
  len = strlen (out);
  out[len] = '\n';
  out[len + 1] = '\0';
  return TRUE;
}

gboolean
digithek_channel_keygen (const char  *path,
                         gboolean     force,
                         char       **out_public_b64,
                         GError     **error)
{
  g_autofree char *pub_path = NULL;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  char sk_line[SECRET_B64_SIZE + 1];
  char pk_line[PUBLIC_B64_SIZE + 1];
  gboolean ok = FALSE;
  int fd = -1;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!ensure_sodium (error))
    return FALSE;

  pub_path = g_strconcat (path, ".pub", NULL);
  if (!force)
    {
      const char *existing = NULL;

      if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        existing = path;
      else if (g_file_test (pub_path, G_FILE_TEST_EXISTS))
        existing = pub_path;
      if (existing != NULL)
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_EXISTS,
                       "%s already exists; keep it, or replace it with --force", existing);
          return FALSE;
        }
    }

  crypto_sign_keypair (pk, sk);
  encode_key_line (sk, sizeof sk, sk_line, sizeof sk_line);
  encode_key_line (pk, sizeof pk, pk_line, sizeof pk_line);
  sodium_memzero (sk, sizeof sk);

  if (!force)
    {
      /* O_EXCL: never replace a key that appeared since the check above. The secret
       * key is created 0600 from the start, so it is never readable by others. */
      fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0)
        {
          if (errno == EEXIST)
            g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_EXISTS,
                         "%s already exists; keep it, or replace it with --force", path);
          else
            set_io_error (error, errno, "Cannot create", path);
          goto out;
        }
      if (!write_all (fd, sk_line, strlen (sk_line), path, error)
          || !set_mode_fd (fd, 0600, path, error))
        {
          close (fd);
          g_unlink (path);
          goto out;
        }
      if (fsync (fd) != 0 || close (fd) != 0)
        {
          set_io_error (error, errno, "Cannot write", path);
          g_unlink (path);
          goto out;
        }
    }
  else
    {
      /* The temporary file is created 0600 too, then renamed over the old key. */
      if (!write_file_atomic (path, sk_line, strlen (sk_line), 0600, error))
        goto out;
    }

  if (!write_file_atomic (pub_path, pk_line, strlen (pk_line), 0644, error))
    goto out;

  if (out_public_b64 != NULL)
    *out_public_b64 = g_strstrip (g_strdup (pk_line));
  ok = TRUE;

out:
  sodium_memzero (sk_line, sizeof sk_line);
  return ok;
}

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

  trim_span (&text, &len);
  ok = decode_base64 (text, len, buffer, sizeof buffer, &decoded);
  if (out_decoded_len != NULL)
    *out_decoded_len = ok ? decoded : 0;
  if (ok && decoded == crypto_sign_PUBLICKEYBYTES)
    memcpy (out_pk, buffer, crypto_sign_PUBLICKEYBYTES);
  /* The buffer may have held a secret key pasted by mistake. */
  sodium_memzero (buffer, sizeof buffer);
  return ok && decoded == crypto_sign_PUBLICKEYBYTES;
}

static char *
encode_public_key (const guint8 pk[crypto_sign_PUBLICKEYBYTES])
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

  if (!ensure_sodium (error))
    return NULL;

  if (decode_public_key (text_or_path, strlen (text_or_path), pk, NULL))
    return encode_public_key (pk);

  bytes = read_small_file (text_or_path, KEY_FILE_MAX_SIZE, &local_error);
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
    return encode_public_key (pk);

  if (decoded == crypto_sign_SECRETKEYBYTES)
    g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                 "%s holds a secret key; give the public key (the .pub file) instead",
                 text_or_path);
  else
    g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                 "%s does not hold a base64 Ed25519 public key", text_or_path);
  return NULL;
}

/* Reads a secret key file into @sk. The caller wipes @sk. */
static gboolean
load_secret_key (const char  *path,
                 guint8       sk[crypto_sign_SECRETKEYBYTES],
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  guint8 seed_pk[crypto_sign_PUBLICKEYBYTES];
  guint8 seed_sk[crypto_sign_SECRETKEYBYTES];
  char *contents = NULL;
  gsize len = 0;
  const char *text;
  gsize text_len;
  gsize decoded = 0;
  gboolean ok;
  struct stat st;

  if (!ensure_sodium (error))
    return FALSE;

  if (g_stat (path, &st) != 0)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                   "Cannot read the secret key %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) || st.st_size > KEY_FILE_MAX_SIZE)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                   "%s is not a secret key file written by digithek-pack keygen", path);
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                   "Cannot read the secret key: %s", local_error->message);
      return FALSE;
    }

  text = contents;
  text_len = len;
  trim_span (&text, &text_len);
  ok = decode_base64 (text, text_len, sk, crypto_sign_SECRETKEYBYTES, &decoded)
       && decoded == crypto_sign_SECRETKEYBYTES;
  sodium_memzero (contents, len);
  g_free (contents);

  if (!ok)
    {
      if (decoded == crypto_sign_PUBLICKEYBYTES)
        g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                     "%s holds a public key; sign with the secret key file (without .pub)",
                     path);
      else
        g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                     "%s is not a secret key file written by digithek-pack keygen", path);
      return FALSE;
    }

  /* A damaged key file would otherwise sign with a key whose public half nobody trusts. */
  crypto_sign_seed_keypair (seed_pk, seed_sk, sk);
  ok = sodium_memcmp (seed_sk, sk, crypto_sign_SECRETKEYBYTES) == 0;
  sodium_memzero (seed_sk, sizeof seed_sk);
  if (!ok)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY,
                   "%s is damaged: its public half does not belong to its secret half", path);
      return FALSE;
    }
  return TRUE;
}

char *
digithek_channel_load_secret_key_public (const char  *path,
                                         GError     **error)
{
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  ok = load_secret_key (path, sk, error);
  if (ok)
    crypto_sign_ed25519_sk_to_pk (pk, sk);
  sodium_memzero (sk, sizeof sk);
  return ok ? encode_public_key (pk) : NULL;
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
  trim_span (&text, &len);
  if (!decode_base64 (text, len, out_sig, crypto_sign_BYTES, &decoded)
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

  if (!ensure_sodium (error))
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
static JsonNode *
parse_json (GBytes      *bytes,
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

static const char *
node_get_string (JsonNode *node)
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
  sha = node_get_string (json_object_get_member (object, "sha256"));
  if (!sha256_hex_is_valid (sha))
    return FALSE;
  if (!node_get_int (json_object_get_member (object, "size"), &size) || size < 0)
    return FALSE;
  g_strlcpy (out->sha256, sha, sizeof out->sha256);
  out->size = (guint64) size;
  return TRUE;
}

static JsonNode *
ref_to_node (const DigithekChannelRef *ref)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "sha256", ref->sha256);
  json_object_set_int_member (object, "size", (gint64) ref->size);
  json_node_set_object (node, object);
  return node;
}

static GBytes *
node_to_bytes (JsonNode *root)
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

/* Calls @func on every place of a pack.json or manifest that holds a path (or, in a
 * manifest, a reference): an item's `image`, a dataset's `data`, an explainer's `body`
 * values, a guide step's `image` and `body` values. @where is a JSON path such as
 * `items[2].steps[0].body.de`. */
typedef gboolean (*PathFunc) (JsonObject  *parent,
                              const char  *member,
                              const char  *where,
                              gpointer     user_data,
                              GError     **error);

static gboolean
walk_text_map (JsonObject  *parent,
               const char  *member,
               const char  *where,
               PathFunc     func,
               gpointer     user_data,
               GError     **error)
{
  JsonNode *node = json_object_get_member (parent, member);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GList) names = NULL;
  g_auto(GStrv) copies = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return func (parent, member, where, user_data, error);

  /* Copies: replacing a member frees json-glib's copy of its name. */
  builder = g_strv_builder_new ();
  names = json_object_get_members (json_node_get_object (node));
  for (GList *l = names; l != NULL; l = l->next)
    {
      /* Keys starting with "_" are comments in pack.json, also inside text maps. */
      if (((const char *) l->data)[0] != '_')
        g_strv_builder_add (builder, l->data);
    }
  copies = g_strv_builder_end (builder);

  for (guint i = 0; copies[i] != NULL; i++)
    {
      g_autofree char *child = g_strdup_printf ("%s.%s", where, copies[i]);

      if (!func (json_node_get_object (node), copies[i], child, user_data, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
walk_optional (JsonObject  *parent,
               const char  *member,
               const char  *where,
               PathFunc     func,
               gpointer     user_data,
               GError     **error)
{
  if (!json_object_has_member (parent, member))
    return TRUE;
  return func (parent, member, where, user_data, error);
}

static gboolean
walk_paths (JsonNode    *root,
            const char  *label,
            int          code,
            PathFunc     func,
            gpointer     user_data,
            GError     **error)
{
  JsonNode *items_node;
  JsonArray *items;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, code, "%s: not a JSON object", label);
      return FALSE;
    }
  items_node = json_object_get_member (json_node_get_object (root), "items");
  if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node))
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, code, "%s: items: not an array", label);
      return FALSE;
    }
  items = json_node_get_array (items_node);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item_node = json_array_get_element (items, i);
      g_autofree char *where = g_strdup_printf ("items[%u]", i);
      g_autofree char *image_where = g_strdup_printf ("%s.image", where);
      JsonObject *item;
      const char *kind;

      if (!JSON_NODE_HOLDS_OBJECT (item_node))
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, code, "%s: %s: not an object",
                       label, where);
          return FALSE;
        }
      item = json_node_get_object (item_node);
      kind = node_get_string (json_object_get_member (item, "kind"));

      if (!walk_optional (item, "image", image_where, func, user_data, error))
        return FALSE;

      if (g_strcmp0 (kind, "dataset") == 0)
        {
          g_autofree char *data_where = g_strdup_printf ("%s.data", where);

          if (!walk_optional (item, "data", data_where, func, user_data, error))
            return FALSE;
        }
      else if (g_strcmp0 (kind, "explainer") == 0)
        {
          g_autofree char *body_where = g_strdup_printf ("%s.body", where);

          if (!walk_text_map (item, "body", body_where, func, user_data, error))
            return FALSE;
        }
      else if (g_strcmp0 (kind, "guide") == 0)
        {
          JsonNode *steps_node = json_object_get_member (item, "steps");
          JsonArray *steps;

          if (steps_node == NULL || !JSON_NODE_HOLDS_ARRAY (steps_node))
            continue;
          steps = json_node_get_array (steps_node);
          for (guint j = 0; j < json_array_get_length (steps); j++)
            {
              JsonNode *step_node = json_array_get_element (steps, j);
              g_autofree char *step_image = g_strdup_printf ("%s.steps[%u].image", where, j);
              g_autofree char *step_body = g_strdup_printf ("%s.steps[%u].body", where, j);

              if (!JSON_NODE_HOLDS_OBJECT (step_node))
                continue;
              if (!walk_optional (json_node_get_object (step_node), "image", step_image,
                                  func, user_data, error)
                  || !walk_text_map (json_node_get_object (step_node), "body", step_body,
                                     func, user_data, error))
                return FALSE;
            }
        }
      else if (g_strcmp0 (kind, "tour") != 0)
        {
          /* A kind this code does not know may hold paths it would miss. */
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, code, "%s: %s.kind: unknown kind",
                       label, where);
          return FALSE;
        }
    }
  return TRUE;
}

/* Index */

static void
pack_entry_free (gpointer data)
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
  const char *text = node_get_string (json_object_get_member (object, member));
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
  root = parse_json (bytes, FALSE, "index.json", DIGITHEK_CHANNEL_ERROR_INVALID_INDEX, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      index_error (error, "not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  index = g_new0 (DigithekChannelIndex, 1);
  index->packs = g_ptr_array_new_with_free_func (pack_entry_free);

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

  index->name = g_strdup (node_get_string (json_object_get_member (object, "name")));
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
      id = node_get_string (json_object_get_member (pack, "id"));
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
  root = parse_json (bytes, TRUE, "manifest", DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST, error);
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
  manifest->id = g_strdup (node_get_string (json_object_get_member (object, "id")));
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
  if (!walk_paths (root, "manifest", DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST,
                   manifest_ref_to_path_cb, &walk, error))
    return NULL;

  manifest->pack_json = node_to_bytes (root);
  return g_steal_pointer (&manifest);
}

/* Publishing */

void
digithek_channel_publish_result_clear (DigithekChannelPublishResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->name, g_free);
  g_clear_pointer (&result->expires, g_date_time_unref);
  g_clear_pointer (&result->report, g_ptr_array_unref);
  memset (result, 0, sizeof *result);
}

/* Where an object's bytes come from: a file of a pack, or a manifest in memory. */
typedef struct
{
  DigithekChannelRef  ref;
  char               *source_path;  /* %NULL for in-memory bytes */
  GBytes             *bytes;
} ObjectSource;

static void
object_source_free (gpointer data)
{
  ObjectSource *source = data;

  g_free (source->source_path);
  g_clear_pointer (&source->bytes, g_bytes_unref);
  g_free (source);
}

typedef enum
{
  PLAN_NEW,
  PLAN_UPDATED,
  PLAN_UNCHANGED,
} PlanState;

typedef struct
{
  DigithekPack       *pack;  /* borrowed */
  const char         *id;
  gint64              version;
  gint64              old_version;
  GBytes             *manifest;
  DigithekChannelRef  manifest_ref;
  GPtrArray          *file_shas;  /* (element-type utf8) objects this manifest references */
  PlanState           state;
} PlannedPack;

static void
planned_pack_free (gpointer data)
{
  PlannedPack *plan = data;

  g_clear_pointer (&plan->manifest, g_bytes_unref);
  g_clear_pointer (&plan->file_shas, g_ptr_array_unref);
  g_free (plan);
}

/* Canonical relative path: no empty or `.` components. %NULL for absolute paths and `..`,
 * which the validator refuses already; checked again because the publisher reads them. */
static char *
normalize_relative_path (const char *path)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (path == NULL || path[0] == '\0' || path[0] == '/' || strchr (path, '\\') != NULL)
    return NULL;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        return NULL;
      g_ptr_array_add (kept, parts[i]);
    }
  if (kept->len == 0)
    return NULL;
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("/", (char **) kept->pdata);
}

typedef struct
{
  const char *pack_dir;
  const char *pack_label;
  GHashTable *listed;   /* normalized path → ObjectSource* once hashed, or GINT_TO_POINTER(1) */
  GHashTable *used;     /* normalized paths replaced */
  GHashTable *objects;  /* sha256 → ObjectSource (owned), over all packs */
  GPtrArray  *file_shas;
} PackWalk;

static gboolean
pack_path_to_ref_cb (JsonObject  *parent,
                     const char  *member,
                     const char  *where,
                     gpointer     user_data,
                     GError     **error)
{
  PackWalk *walk = user_data;
  const char *path = node_get_string (json_object_get_member (parent, member));
  g_autofree char *normalized = normalize_relative_path (path);
  ObjectSource *source;
  DigithekChannelRef ref;
  g_autofree char *full_path = NULL;

  if (normalized == NULL)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "%s: pack.json: %s: not a relative path inside the pack",
                   walk->pack_label, where);
      return FALSE;
    }
  if (!g_hash_table_contains (walk->listed, normalized))
    {
      /* The validator and the publisher disagree on what is a file; better stop than
       * publish a manifest with a path the kiosk cannot fetch. */
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "%s: pack.json: %s: %s is not among the files the validator checked",
                   walk->pack_label, where, normalized);
      return FALSE;
    }

  full_path = g_build_filename (walk->pack_dir, normalized, NULL);
  if (!hash_file (full_path, -1, NULL, &ref, error))
    return FALSE;

  source = g_hash_table_lookup (walk->objects, ref.sha256);
  if (source == NULL)
    {
      source = g_new0 (ObjectSource, 1);
      source->ref = ref;
      source->source_path = g_steal_pointer (&full_path);
      g_hash_table_insert (walk->objects, source->ref.sha256, source);
    }
  g_hash_table_add (walk->used, g_strdup (normalized));
  g_ptr_array_add (walk->file_shas, g_strdup (ref.sha256));

  json_object_set_member (parent, member, ref_to_node (&ref));
  return TRUE;
}

/* Builds the manifest of @pack: pack.json with each path replaced by a reference. */
static PlannedPack *
plan_pack (DigithekPack  *pack,
           const char    *pack_label,
           GHashTable    *objects,
           GError       **error)
{
  GBytes *pack_json = digithek_pack_get_manifest_bytes (pack);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(GHashTable) used = NULL;
  g_auto(GStrv) files = NULL;
  PlannedPack *plan;
  PackWalk walk;
  ObjectSource *source;

  /* Mutable: the walk replaces the paths in place. */
  root = parse_json (pack_json, TRUE, "pack.json", DIGITHEK_CHANNEL_ERROR_FAILED, error);
  if (root == NULL)
    {
      g_prefix_error (error, "%s: ", pack_label);
      return NULL;
    }

  listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  files = digithek_pack_list_files (pack);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      char *normalized = normalize_relative_path (files[i]);

      if (normalized == NULL)
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s: %s is not a relative path inside the pack", pack_label, files[i]);
          return NULL;
        }
      g_hash_table_add (listed, normalized);
    }

  used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  plan = g_new0 (PlannedPack, 1);
  plan->pack = pack;
  plan->id = digithek_pack_get_id (pack);
  plan->version = digithek_pack_get_version (pack);
  plan->file_shas = g_ptr_array_new_with_free_func (g_free);

  walk.pack_dir = digithek_pack_get_dir (pack);
  walk.pack_label = pack_label;
  walk.listed = listed;
  walk.used = used;
  walk.objects = objects;
  walk.file_shas = plan->file_shas;
  if (!walk_paths (root, "pack.json", DIGITHEK_CHANNEL_ERROR_FAILED,
                   pack_path_to_ref_cb, &walk, error))
    {
      planned_pack_free (plan);
      return NULL;
    }

  /* A file the validator knows but the walk did not replace would stay a local path in
   * the manifest. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, listed);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (!g_hash_table_contains (used, key))
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s: %s is a file of the pack at no place the publisher knows",
                       pack_label, (const char *) key);
          planned_pack_free (plan);
          return NULL;
        }
  }

  plan->manifest = node_to_bytes (root);
  {
    g_autofree char *sha = digithek_channel_sha256_hex (plan->manifest);

    g_strlcpy (plan->manifest_ref.sha256, sha, sizeof plan->manifest_ref.sha256);
    plan->manifest_ref.size = g_bytes_get_size (plan->manifest);
  }

  source = g_hash_table_lookup (objects, plan->manifest_ref.sha256);
  if (source == NULL)
    {
      source = g_new0 (ObjectSource, 1);
      source->ref = plan->manifest_ref;
      source->bytes = g_bytes_ref (plan->manifest);
      g_hash_table_insert (objects, source->ref.sha256, source);
    }
  return plan;
}

static char *
object_full_path (const char *channel_dir,
                  const char *sha256)
{
  g_autofree char *relative = digithek_channel_object_path (sha256);

  return g_build_filename (channel_dir, relative, NULL);
}

/* Whether the channel has @ref with the right size. The hash is not re-read: objects
 * are written atomically under their hash, so a size mismatch is what a damaged copy
 * (a stick pulled out mid-copy) looks like. */
static gboolean
object_present (const char               *channel_dir,
                const DigithekChannelRef *ref)
{
  g_autofree char *path = object_full_path (channel_dir, ref->sha256);
  struct stat st;

  return g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && (guint64) st.st_size == ref->size;
}

static gboolean
write_object (const char    *channel_dir,
              ObjectSource  *source,
              GHashTable    *dirs_touched,
              GError       **error)
{
  g_autofree char *path = object_full_path (channel_dir, source->ref.sha256);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp_path = NULL;
  int fd;

  if (!ensure_dir (dir, error))
    return FALSE;
  fd = open_temp (dir, &tmp_path, error);
  if (fd < 0)
    return FALSE;

  if (source->bytes != NULL)
    {
      if (!write_all (fd, g_bytes_get_data (source->bytes, NULL),
                      g_bytes_get_size (source->bytes), tmp_path, error))
        goto fail;
    }
  else
    {
      DigithekChannelRef copied;

      if (!hash_file (source->source_path, fd, tmp_path, &copied, error))
        goto fail;
      if (!g_str_equal (copied.sha256, source->ref.sha256) || copied.size != source->ref.size)
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s changed while publishing; publish again", source->source_path);
          goto fail;
        }
    }

  if (!commit_temp (fd, tmp_path, path, 0644, error))
    return FALSE;
  g_hash_table_add (dirs_touched, g_steal_pointer (&dir));
  return TRUE;

fail:
  close (fd);
  g_unlink (tmp_path);
  return FALSE;
}

static char *
format_time (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static GBytes *
build_index (const char *name,
             gint64      serial,
             GDateTime  *created,
             GDateTime  *expires,
             GPtrArray  *entries)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *created_text = format_time (created);
  g_autofree char *expires_text = format_time (expires);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "serial");
  json_builder_add_int_value (builder, serial);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created_text);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_string_value (builder, expires_text);
  json_builder_set_member_name (builder, "packs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      DigithekChannelPackEntry *entry = g_ptr_array_index (entries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, entry->version);
      json_builder_set_member_name (builder, "manifest");
      json_builder_add_value (builder, ref_to_node (&entry->manifest));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return node_to_bytes (root);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const DigithekChannelPackEntry *ea = *(DigithekChannelPackEntry * const *) a;
  const DigithekChannelPackEntry *eb = *(DigithekChannelPackEntry * const *) b;

  return strcmp (ea->id, eb->id);
}

static GBytes *
sign_bytes (GBytes      *data,
            const char  *secret_key_path,
            GError     **error)
{
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  guint8 signature[crypto_sign_BYTES];
  char line[SIG_B64_SIZE + 1];
  const guint8 *bytes;
  gsize len;

  if (!load_secret_key (secret_key_path, sk, error))
    {
      sodium_memzero (sk, sizeof sk);
      return NULL;
    }
  bytes = g_bytes_get_data (data, &len);
  crypto_sign_detached (signature, NULL, bytes, len, sk);
  sodium_memzero (sk, sizeof sk);

  encode_key_line (signature, sizeof signature, line, sizeof line);
  return g_bytes_new (line, strlen (line));
}

/* Takes an exclusive lock on the channel folder so two publishes cannot interleave. A
 * lock on the folder itself writes nothing into the channel. */
static int
lock_channel (const char  *channel_dir,
              GError     **error)
{
  int fd = open (channel_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      set_io_error (error, errno, "Cannot open the channel folder", channel_dir);
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK)
    {
      close (fd);
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "another publish into %s is running", channel_dir);
      return -1;
    }
  /* Other flock failures (file systems without locks) are not fatal: locking is a guard
   * against a mistake, not a correctness requirement. */
  return fd;
}

/* Collects the objects of @manifest_ref, a manifest already in the channel, into @keep. */
static gboolean
keep_manifest_objects (const char               *channel_dir,
                       const char               *pack_id,
                       const DigithekChannelRef *manifest_ref,
                       GHashTable               *keep,
                       GError                  **error)
{
  g_autofree char *path = object_full_path (channel_dir, manifest_ref->sha256);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DigithekChannelManifest) manifest = NULL;
  g_autoptr(GError) local_error = NULL;

  bytes = read_small_file (path, DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE, &local_error);
  if (bytes != NULL)
    manifest = digithek_channel_manifest_parse (bytes, &local_error);
  if (manifest == NULL)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "cannot prune: the manifest of pack %s is unreadable (%s); "
                   "publish that pack again first", pack_id, local_error->message);
      return FALSE;
    }

  g_hash_table_add (keep, g_strdup (manifest_ref->sha256));
  for (guint i = 0; i < manifest->files->len; i++)
    {
      DigithekChannelFile *file = g_ptr_array_index (manifest->files, i);

      g_hash_table_add (keep, g_strdup (file->ref.sha256));
    }
  return TRUE;
}

/* Removes every object not in @keep, and temporary files a crashed publish left. */
static gboolean
prune_objects (const char  *channel_dir,
               GHashTable  *keep,
               guint       *out_pruned,
               GError     **error)
{
  g_autofree char *objects_dir = g_build_filename (channel_dir, "objects", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *fan;
  guint pruned = 0;

  *out_pruned = 0;
  if (!g_file_test (objects_dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  dir = g_dir_open (objects_dir, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((fan = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *fan_path = g_build_filename (objects_dir, fan, NULL);
      g_autoptr(GDir) sub = NULL;
      const char *name;
      gboolean empty = TRUE;

      if (strlen (fan) != 2 || !g_file_test (fan_path, G_FILE_TEST_IS_DIR))
        continue;
      sub = g_dir_open (fan_path, 0, NULL);
      if (sub == NULL)
        continue;
      while ((name = g_dir_read_name (sub)) != NULL)
        {
          g_autofree char *path = g_build_filename (fan_path, name, NULL);
          gboolean ours = (sha256_hex_is_valid (name) && strncmp (name, fan, 2) == 0)
                          || g_str_has_prefix (name, TEMP_PREFIX);

          /* Files that are not objects are someone else's: leave them. */
          if (!ours || g_hash_table_contains (keep, name))
            {
              empty = FALSE;
              continue;
            }
          if (g_unlink (path) != 0)
            return set_io_error (error, errno, "Cannot remove", path);
          pruned++;
        }
      if (empty)
        g_rmdir (fan_path);
      else
        fsync_dir (fan_path);
    }
  fsync_dir (objects_dir);
  *out_pruned = pruned;
  return TRUE;
}

static gboolean
conflict_error (GError    **error,
                GPtrArray  *problems)
{
  g_autofree char *message = NULL;

  g_ptr_array_add (problems, NULL);
  message = g_strjoinv ("\n", (char **) problems->pdata);
  g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT, message);
  return FALSE;
}

/* Same content as published despite other bytes (e.g. written by an older json-glib)? */
static gboolean
manifest_equal_to_published (const char               *channel_dir,
                             const DigithekChannelRef *published,
                             GBytes                   *manifest)
{
  g_autofree char *path = object_full_path (channel_dir, published->sha256);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  bytes = read_small_file (path, DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE, NULL);
  if (bytes == NULL)
    return FALSE;
  a = parse_json (bytes, FALSE, "manifest", DIGITHEK_CHANNEL_ERROR_FAILED, NULL);
  b = parse_json (manifest, FALSE, "manifest", DIGITHEK_CHANNEL_ERROR_FAILED, NULL);
  return a != NULL && b != NULL && json_node_equal (a, b);
}

gboolean
digithek_channel_publish (const char                          *channel_dir,
                          GPtrArray                           *packs,
                          const char                          *secret_key_path,
                          const DigithekChannelPublishOptions *options,
                          DigithekChannelPublishResult        *result,
                          GError                             **error)
{
  DigithekChannelPublishOptions defaults = { 0 };
  g_autofree char *index_path = NULL;
  g_autofree char *sig_path = NULL;
  g_autofree char *public_b64 = NULL;
  g_autofree char *objects_dir = NULL;
  g_autoptr(DigithekChannelIndex) existing = NULL;
  g_autoptr(GHashTable) objects = NULL;
  g_autoptr(GHashTable) dirs_touched = NULL;
  g_autoptr(GHashTable) keep = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) report = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) expires = NULL;
  const char *name;
  gboolean existing_verified = FALSE;
  gboolean unchanged;
  gint64 serial;
  guint objects_written = 0;
  guint64 bytes_written = 0;
  guint pruned = 0;
  int lock_fd = -1;
  gboolean ok = FALSE;

  g_return_val_if_fail (channel_dir != NULL, FALSE);
  g_return_val_if_fail (packs != NULL, FALSE);
  g_return_val_if_fail (secret_key_path != NULL, FALSE);

  if (options == NULL)
    options = &defaults;
  if (result != NULL)
    memset (result, 0, sizeof *result);

  if (options->name != NULL && !digithek_channel_name_is_valid (options->name))
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "“%s” is not a channel name: use [a-z0-9][a-z0-9-]{0,63}", options->name);
      return FALSE;
    }

  /* The key first: a wrong --key should not wait for hashing a gigabyte. */
  public_b64 = digithek_channel_load_secret_key_public (secret_key_path, error);
  if (public_b64 == NULL)
    return FALSE;

  index_path = g_build_filename (channel_dir, "index.json", NULL);
  sig_path = g_build_filename (channel_dir, "index.json.sig", NULL);
  objects_dir = g_build_filename (channel_dir, "objects", NULL);

  if (g_file_test (channel_dir, G_FILE_TEST_EXISTS))
    {
      if (!g_file_test (channel_dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s is not a folder", channel_dir);
          return FALSE;
        }
      lock_fd = lock_channel (channel_dir, error);
      if (lock_fd < 0)
        return FALSE;
    }

  /* Read the existing channel. A damaged index is not silently restarted at serial 1:
   * kiosks would refuse every later index as a rollback. */
  if (g_file_test (index_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GBytes) index_bytes = NULL;
      g_autoptr(GBytes) sig_bytes = NULL;
      g_autoptr(GError) local_error = NULL;

      index_bytes = read_small_file (index_path, DIGITHEK_CHANNEL_MAX_INDEX_SIZE, error);
      if (index_bytes == NULL)
        goto out;
      existing = digithek_channel_index_parse (index_bytes, &local_error);
      if (existing == NULL)
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s: %s; refusing to publish over it", channel_dir,
                       local_error->message);
          goto out;
        }
      sig_bytes = read_small_file (sig_path, SIG_MAX_SIZE, NULL);
      if (sig_bytes != NULL)
        {
          const char *keys[] = { public_b64, NULL };

          existing_verified = digithek_channel_verify_index (index_bytes, sig_bytes, keys, NULL);
        }
    }

  if (packs->len == 0 && existing == NULL)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "%s has no index to refresh or prune; name a pack to publish", channel_dir);
      goto out;
    }

  name = options->name != NULL ? options->name
         : existing != NULL ? existing->name : "default";
  if (existing != NULL && !g_str_equal (existing->name, name))
    {
      /* Kiosks track serials per channel name; renaming would reset that protection. */
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT,
                   "%s holds the channel “%s”; it cannot be published as “%s”",
                   channel_dir, existing->name, name);
      goto out;
    }

  /* Plan: hash every file, build every manifest, compare with the published versions.
   * Nothing is written before all of this succeeded. */
  objects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, object_source_free);
  plans = g_ptr_array_new_with_free_func (planned_pack_free);
  problems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < packs->len; i++)
    {
      DigithekPack *pack = g_ptr_array_index (packs, i);
      const char *label = digithek_pack_get_dir (pack);
      PlannedPack *plan;

      for (guint j = 0; j < plans->len; j++)
        if (g_str_equal (((PlannedPack *) g_ptr_array_index (plans, j))->id,
                         digithek_pack_get_id (pack)))
          {
            g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT,
                         "pack %s is named twice", digithek_pack_get_id (pack));
            goto out;
          }

      plan = plan_pack (pack, label, objects, error);
      if (plan == NULL)
        goto out;
      g_ptr_array_add (plans, plan);
    }

  for (guint i = 0; i < plans->len; i++)
    {
      PlannedPack *plan = g_ptr_array_index (plans, i);
      DigithekChannelPackEntry *entry = NULL;

      if (existing != NULL)
        entry = digithek_channel_index_find_pack (existing, plan->id);
      if (entry == NULL)
        {
          plan->state = PLAN_NEW;
          continue;
        }
      plan->old_version = entry->version;
      if (plan->version > entry->version)
        plan->state = PLAN_UPDATED;
      else if (plan->version < entry->version)
        g_ptr_array_add (problems,
                         g_strdup_printf ("pack %s version %" G_GINT64_FORMAT " is older than "
                                          "version %" G_GINT64_FORMAT " already published: "
                                          "raise the version above %" G_GINT64_FORMAT,
                                          plan->id, plan->version, entry->version,
                                          entry->version));
      else if (g_str_equal (entry->manifest.sha256, plan->manifest_ref.sha256)
               || manifest_equal_to_published (channel_dir, &entry->manifest, plan->manifest))
        {
          plan->state = PLAN_UNCHANGED;
          plan->manifest_ref = entry->manifest;
        }
      else
        g_ptr_array_add (problems,
                         g_strdup_printf ("pack %s version %" G_GINT64_FORMAT " is already "
                                          "published with different content: raise the version",
                                          plan->id, plan->version));
    }
  if (problems->len > 0)
    {
      conflict_error (error, problems);
      goto out;
    }

  /* The new list of packs: every pack already there, with the named ones replaced. */
  entries = g_ptr_array_new_with_free_func (pack_entry_free);
  for (guint i = 0; existing != NULL && i < existing->packs->len; i++)
    {
      DigithekChannelPackEntry *old = g_ptr_array_index (existing->packs, i);
      DigithekChannelPackEntry *entry = g_new0 (DigithekChannelPackEntry, 1);

      *entry = *old;
      entry->id = g_strdup (old->id);
      g_ptr_array_add (entries, entry);
    }
  unchanged = existing != NULL && existing_verified && !options->refresh;
  for (guint i = 0; i < plans->len; i++)
    {
      PlannedPack *plan = g_ptr_array_index (plans, i);
      DigithekChannelPackEntry *entry = NULL;

      for (guint j = 0; j < entries->len && entry == NULL; j++)
        if (g_str_equal (((DigithekChannelPackEntry *) g_ptr_array_index (entries, j))->id,
                         plan->id))
          entry = g_ptr_array_index (entries, j);
      if (entry == NULL)
        {
          entry = g_new0 (DigithekChannelPackEntry, 1);
          entry->id = g_strdup (plan->id);
          g_ptr_array_add (entries, entry);
        }
      entry->version = plan->version;
      entry->manifest = plan->manifest_ref;
      if (plan->state != PLAN_UNCHANGED)
        unchanged = FALSE;
    }
  g_ptr_array_sort (entries, compare_entries);

  /* What --prune keeps: every object the manifests of the new index reference. Known
   * before writing, so an unreadable manifest stops the publish, not half of it. */
  if (options->prune)
    {
      keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < plans->len; i++)
        {
          PlannedPack *plan = g_ptr_array_index (plans, i);

          /* A published manifest kept for equal content references the same files. */
          g_hash_table_add (keep, g_strdup (plan->manifest_ref.sha256));
          for (guint j = 0; j < plan->file_shas->len; j++)
            g_hash_table_add (keep, g_strdup (g_ptr_array_index (plan->file_shas, j)));
        }
      for (guint i = 0; i < entries->len; i++)
        {
          DigithekChannelPackEntry *entry = g_ptr_array_index (entries, i);
          gboolean named = FALSE;

          for (guint j = 0; j < plans->len && !named; j++)
            named = g_str_equal (((PlannedPack *) g_ptr_array_index (plans, j))->id, entry->id);
          if (!named && !keep_manifest_objects (channel_dir, entry->id, &entry->manifest,
                                                keep, error))
            goto out;
        }
    }

  /* Write. */
  if (lock_fd < 0)
    {
      if (!ensure_dir (channel_dir, error))
        goto out;
      lock_fd = lock_channel (channel_dir, error);
      if (lock_fd < 0)
        goto out;
    }

  dirs_touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, objects);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        ObjectSource *source = value;
        gboolean referenced = FALSE;

        /* A manifest replaced by the published one with equal content is not needed. */
        for (guint i = 0; i < plans->len && !referenced; i++)
          {
            PlannedPack *plan = g_ptr_array_index (plans, i);

            referenced = g_str_equal (plan->manifest_ref.sha256, source->ref.sha256);
            for (guint j = 0; j < plan->file_shas->len && !referenced; j++)
              referenced = g_str_equal (g_ptr_array_index (plan->file_shas, j),
                                        source->ref.sha256);
          }
        if (!referenced || object_present (channel_dir, &source->ref))
          continue;
        if (!write_object (channel_dir, source, dirs_touched, error))
          goto out;
        objects_written++;
        bytes_written += source->ref.size;
      }
  }
  if (objects_written > 0)
    {
      GHashTableIter iter;
      gpointer key;

      /* Objects must be durable before an index that names them. */
      g_hash_table_iter_init (&iter, dirs_touched);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        fsync_dir (key);
      fsync_dir (objects_dir);
      fsync_dir (channel_dir);
    }

  if (unchanged)
    {
      serial = existing->serial;
      expires = g_date_time_ref (existing->expires);
    }
  else
    {
      g_autoptr(GBytes) index_bytes = NULL;
      g_autoptr(GBytes) sig_bytes = NULL;
      guint days = options->expires_days > 0 ? options->expires_days
                                             : DIGITHEK_CHANNEL_DEFAULT_EXPIRES_DAYS;

      now = options->now != NULL ? g_date_time_to_utc (options->now)
                                 : g_date_time_new_now_utc ();
      /* Whole seconds: the index shows plain `…:05Z` times. */
      created = g_date_time_new_from_unix_utc (g_date_time_to_unix (now));
      expires = g_date_time_add_days (created, (int) days);
      serial = existing != NULL ? existing->serial + 1 : 1;

      index_bytes = build_index (name, serial, created, expires, entries);
      sig_bytes = sign_bytes (index_bytes, secret_key_path, error);
      if (sig_bytes == NULL)
        goto out;

      /* Signature first, then the index: see the header for why. Each one's mtime is
       * later, in whole seconds, than the file it replaces, so that its ETag changes
       * (see set_mtime_after_fd()). */
      if (!write_file_atomic_after (sig_path, g_bytes_get_data (sig_bytes, NULL),
                                    g_bytes_get_size (sig_bytes), 0644,
                                    file_mtime_seconds (sig_path), error))
        goto out;
      if (!write_file_atomic_after (index_path, g_bytes_get_data (index_bytes, NULL),
                                    g_bytes_get_size (index_bytes), 0644,
                                    file_mtime_seconds (index_path), error))
        goto out;
      fsync_dir (channel_dir);
    }

  if (options->prune && !prune_objects (channel_dir, keep, &pruned, error))
    goto out;

  report = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < plans->len; i++)
    {
      PlannedPack *plan = g_ptr_array_index (plans, i);

      switch (plan->state)
        {
        case PLAN_NEW:
          g_ptr_array_add (report, g_strdup_printf ("pack %s version %" G_GINT64_FORMAT ": new",
                                                    plan->id, plan->version));
          break;
        case PLAN_UPDATED:
          g_ptr_array_add (report,
                           g_strdup_printf ("pack %s version %" G_GINT64_FORMAT ": updated "
                                            "from version %" G_GINT64_FORMAT,
                                            plan->id, plan->version, plan->old_version));
          break;
        case PLAN_UNCHANGED:
          g_ptr_array_add (report,
                           g_strdup_printf ("pack %s version %" G_GINT64_FORMAT ": unchanged",
                                            plan->id, plan->version));
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (result != NULL)
    {
      result->unchanged = unchanged;
      result->serial = serial;
      result->name = g_strdup (name);
      result->expires = g_date_time_ref (expires);
      result->objects_written = objects_written;
      result->bytes_written = bytes_written;
      result->objects_pruned = pruned;
      result->report = g_steal_pointer (&report);
    }
  ok = TRUE;

out:
  if (lock_fd >= 0)
    close (lock_fd);
  return ok;
}
