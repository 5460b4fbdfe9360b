/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Ed25519 key files for the staff tool: creating a pair, reading a secret key. */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digithek-channel-private.h"

/* Secret key text: base64 of 64 bytes, plus a newline. */
#define SECRET_B64_SIZE sodium_base64_ENCODED_LEN (crypto_sign_SECRETKEYBYTES, \
                                                   sodium_base64_VARIANT_ORIGINAL)

/* Keys */

gboolean
digithek_channel_encode_key_line (const guint8 *key,
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

  if (!digithek_channel_ensure_sodium (error))
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
  digithek_channel_encode_key_line (sk, sizeof sk, sk_line, sizeof sk_line);
  digithek_channel_encode_key_line (pk, sizeof pk, pk_line, sizeof pk_line);
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
            digithek_channel_set_io_error (error, errno, "Cannot create", path);
          goto out;
        }
      if (!digithek_channel_write_all (fd, sk_line, strlen (sk_line), path, error)
          || !digithek_channel_set_mode_fd (fd, 0600, path, error))
        {
          close (fd);
          g_unlink (path);
          goto out;
        }
      if (fsync (fd) != 0 || close (fd) != 0)
        {
          digithek_channel_set_io_error (error, errno, "Cannot write", path);
          g_unlink (path);
          goto out;
        }
    }
  else
    {
      /* The temporary file is created 0600 too, then renamed over the old key. */
      if (!digithek_channel_write_file_atomic (path, sk_line, strlen (sk_line), 0600, error))
        goto out;
    }

  if (!digithek_channel_write_file_atomic (pub_path, pk_line, strlen (pk_line), 0644, error))
    goto out;

  if (out_public_b64 != NULL)
    *out_public_b64 = g_strstrip (g_strdup (pk_line));
  ok = TRUE;

out:
  sodium_memzero (sk_line, sizeof sk_line);
  return ok;
}

/* Reads a secret key file into @sk. The caller wipes @sk. */
gboolean
digithek_channel_load_secret_key (const char  *path,
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

  if (!digithek_channel_ensure_sodium (error))
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
  digithek_channel_trim_span (&text, &text_len);
  ok = digithek_channel_decode_base64 (text, text_len, sk, crypto_sign_SECRETKEYBYTES, &decoded)
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

  ok = digithek_channel_load_secret_key (path, sk, error);
  if (ok)
    crypto_sign_ed25519_sk_to_pk (pk, sk);
  sodium_memzero (sk, sizeof sk);
  return ok ? digithek_channel_encode_public_key (pk) : NULL;
}
