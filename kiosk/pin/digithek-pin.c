/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "digithek-pin.h"

G_DEFINE_QUARK (digithek-pin-error-quark, digithek_pin_error)

#define ARGON2ID_PREFIX "$argon2id$"
#define CONFIG_GROUP    "kiosk"
#define CONFIG_KEY      "pin_hash"

/* --- the PIN and its hash ------------------------------------------------------------ */

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
    g_set_error_literal (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_FAILED,
                         "libsodium cannot be initialized");
  return ok;
}

/* Copies of a PIN are wiped before their memory goes back to the allocator. */
static void
secret_free (char *secret)
{
  if (secret == NULL)
    return;
  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

gboolean
digithek_pin_check_rules (const char  *pin,
                          GError     **error)
{
  gsize length = pin != NULL ? strlen (pin) : 0;

  if (length < DIGITHEK_PIN_MIN_DIGITS || length > DIGITHEK_PIN_MAX_DIGITS)
    goto refuse;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (pin[i]))
      goto refuse;
  return TRUE;

refuse:
  /* Say what a PIN must be, never what was typed. */
  g_set_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_RULES,
               "A PIN has %d to %d digits (0–9) and nothing else",
               DIGITHEK_PIN_MIN_DIGITS, DIGITHEK_PIN_MAX_DIGITS);
  return FALSE;
}

static gboolean
check_hash (const char  *hash,
            GError     **error)
{
  if (hash == NULL || !g_str_has_prefix (hash, ARGON2ID_PREFIX)
      || strlen (hash) >= crypto_pwhash_STRBYTES)
    {
      g_set_error_literal (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_HASH,
                           "The stored PIN hash is not an Argon2id hash; "
                           "set the PIN again with digithek --set-pin");
      return FALSE;
    }
  return TRUE;
}

char *
digithek_pin_hash (const char  *pin,
                   GError     **error)
{
  char out[crypto_pwhash_STRBYTES];

  if (!digithek_pin_check_rules (pin, error) || !ensure_sodium (error))
    return NULL;

  /* Argon2id explicitly, not "libsodium's current default", so that the config's hash
   * stays what the docs and the verifier expect. */
  if (crypto_pwhash_str_alg (out, pin, strlen (pin),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_FAILED,
                           "Not enough memory to hash the PIN");
      return NULL;
    }
  return g_strdup (out);
}

gboolean
digithek_pin_verify (const char  *hash,
                     const char  *pin,
                     GError     **error)
{
  if (!check_hash (hash, error) || !ensure_sodium (error))
    return FALSE;

  /* The pad only has digits; anything else cannot be the PIN, and costs no hashing. */
  if (!digithek_pin_check_rules (pin, NULL)
      || crypto_pwhash_str_verify (hash, pin, strlen (pin)) != 0)
    {
      g_set_error_literal (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_WRONG,
                           "Wrong PIN");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char *hash;
  char *pin;
} PinData;

static void
pin_data_free (PinData *data)
{
  g_free (data->hash);
  secret_free (data->pin);
  g_free (data);
}

static PinData *
pin_data_new (const char *hash,
              const char *pin)
{
  PinData *data = g_new0 (PinData, 1);

  data->hash = g_strdup (hash);
  data->pin = g_strdup (pin);
  return data;
}

static void
hash_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PinData *data = task_data;
  GError *error = NULL;
  char *hash = digithek_pin_hash (data->pin, &error);

  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

void
digithek_pin_hash_async (const char          *pin,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, digithek_pin_hash_async);
  g_task_set_name (task, "[digithek] hash PIN");
  g_task_set_task_data (task, pin_data_new (NULL, pin), (GDestroyNotify) pin_data_free);
  g_task_run_in_thread (task, hash_thread);
}

char *
digithek_pin_hash_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_pin_hash_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PinData *data = task_data;
  GError *error = NULL;

  if (digithek_pin_verify (data->hash, data->pin, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
digithek_pin_verify_async (const char          *hash,
                           const char          *pin,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, digithek_pin_verify_async);
  g_task_set_name (task, "[digithek] verify PIN");
  g_task_set_task_data (task, pin_data_new (hash, pin), (GDestroyNotify) pin_data_free);
  g_task_run_in_thread (task, verify_thread);
}

gboolean
digithek_pin_verify_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_pin_verify_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- the config file ----------------------------------------------------------------- */

static gboolean
set_file_error (GError     **error,
                int          saved_errno,
                const char  *what,
                const char  *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               "Cannot %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += written;
      length -= (gsize) written;
    }
  return TRUE;
}

/* Is @line (stripped) the key @key, as in `key = value` or `key=value`? */
static gboolean
line_is_key (const char *line,
             const char *key)
{
  gsize len = strlen (key);

  if (strncmp (line, key, len) != 0)
    return FALSE;
  line += len;
  while (*line == ' ' || *line == '\t')
    line++;
  return *line == '=';
}

/* Sets pin_hash in the text of an ini file by editing lines, so that everything else
 * stays byte for byte: comments, blank lines, the spacing around "=", key order.
 * GKeyFile would keep the comments but rewrite every "key = value" as "key=value". */
static char *
edit_config_text (const char *text,
                  const char *hash)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *entry = g_strdup_printf (CONFIG_KEY " = %s", hash);
  guint n_lines = g_strv_length (lines);
  gboolean in_group = FALSE;
  gboolean done = FALSE;
  int insert_after = -1;   /* in the [kiosk] group: the line to put the key after */
  int placeholder = -1;    /* a commented-out "#pin_hash =" there, the best place */

  /* Find where the key goes when it is not there yet. */
  for (guint i = 0; i < n_lines && !done; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (line[0] == '[')
        {
          if (in_group)
            done = TRUE;
          else if (strcmp (line, "[" CONFIG_GROUP "]") == 0)
            {
              in_group = TRUE;
              insert_after = (int) i;
            }
          continue;
        }
      if (!in_group)
        continue;
      if (line[0] == '#')
        {
          char *rest = line + 1;

          while (*rest == ' ')
            rest++;
          if (line_is_key (rest, CONFIG_KEY))
            placeholder = (int) i;
        }
      else if (line[0] != '\0')
        insert_after = (int) i;
    }
  if (placeholder >= 0)
    insert_after = placeholder;

  in_group = FALSE;
  done = FALSE;
  for (guint i = 0; i < n_lines; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (line[0] == '[')
        in_group = strcmp (line, "[" CONFIG_GROUP "]") == 0;

      if (in_group && line_is_key (line, CONFIG_KEY))
        {
          /* Replace the key; a second one (GKeyFile would read the last) goes away. */
          if (!done)
            g_string_append_printf (out, "%s\n", entry);
          done = TRUE;
        }
      else if (i + 1 < n_lines || lines[i][0] != '\0')
        g_string_append_printf (out, "%s\n", lines[i]);

      if ((int) i == insert_after && !done)
        {
          /* Only if the key does not come later in the group. */
          gboolean later = FALSE;

          for (guint j = i + 1; j < n_lines; j++)
            {
              g_autofree char *next = g_strstrip (g_strdup (lines[j]));

              if (next[0] == '[')
                break;
              if (line_is_key (next, CONFIG_KEY))
                later = TRUE;
            }
          if (!later)
            {
              g_string_append_printf (out, "%s\n", entry);
              done = TRUE;
            }
        }
    }

  if (!done)
    {
      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "[" CONFIG_GROUP "]\n%s\n", entry);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
check_written (GKeyFile   *file,
               const char *hash)
{
  g_autofree char *stored = g_key_file_get_string (file, CONFIG_GROUP, CONFIG_KEY, NULL);

  return g_strcmp0 (stored, hash) == 0;
}

gboolean
digithek_pin_set_in_config (const char  *config_path,
                            const char  *hash,
                            GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *real_path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  struct stat st;
  gboolean exists;
  mode_t mode = 0640;
  int fd;
  int dir_fd;
  int saved_errno;

  g_return_val_if_fail (config_path != NULL, FALSE);

  if (!check_hash (hash, error))
    return FALSE;

  /* Replace the file a symlink points at, not the link: /etc/digithek/kiosk.ini may well
   * be a link into a configuration-management checkout. */
  real_path = realpath (config_path, NULL);
  if (real_path == NULL)
    {
      if (errno != ENOENT)
        return set_file_error (error, errno, "read", config_path);
      real_path = g_strdup (config_path);
    }

  exists = g_stat (real_path, &st) == 0;
  if (exists)
    {
      g_autofree char *old_text = NULL;

      if (!g_file_get_contents (real_path, &old_text, NULL, &local_error)
          || !g_key_file_load_from_data (file, old_text, -1, G_KEY_FILE_NONE, &local_error))
        {
          g_set_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_FAILED,
                       "Cannot read the config file %s: %s", config_path,
                       local_error->message);
          return FALSE;
        }
      data = edit_config_text (old_text, hash);
      mode = st.st_mode & 07777;
    }
  else
    data = edit_config_text ("", hash);
  length = strlen (data);

  /* The line edit must mean to GKeyFile what was meant: the hash, and the rest as it was. */
  g_clear_pointer (&file, g_key_file_unref);
  file = g_key_file_new ();
  if (!g_key_file_load_from_data (file, data, length, G_KEY_FILE_NONE, NULL)
      || !check_written (file, hash))
    {
      g_set_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_FAILED,
                   "Cannot set the PIN in %s: the file's [%s] group is not what it seems",
                   config_path, CONFIG_GROUP);
      return FALSE;
    }

  dir = g_path_get_dirname (real_path);
  base = g_path_get_basename (real_path);
  tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_file_error (error, errno, "create a file in", dir);

  /* Same owner, group and mode as before: the kiosk user must still be able to read it,
   * and nobody who could not read it before may read it now. The owner first, as a
   * chown may clear set-id bits. */
  if ((exists && (st.st_uid != geteuid () || st.st_gid != getegid ())
       && fchown (fd, st.st_uid, st.st_gid) != 0)
      || fchmod (fd, mode) != 0
      || !write_all (fd, data, length)
      || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (tmp_path);
      return set_file_error (error, saved_errno, "write", tmp_path);
    }
  if (close (fd) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      return set_file_error (error, saved_errno, "write", tmp_path);
    }
  if (g_rename (tmp_path, real_path) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      return set_file_error (error, saved_errno, "replace", real_path);
    }

  /* The rename itself is durable only once the folder is synced. */
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }
  return TRUE;
}

/* --- lockout and the admin session --------------------------------------------------- */

struct _DigithekPin
{
  GObject parent_instance;

  /* owned */
  DigithekClock *clock;
  char          *hash;
  guint          failures;       /* wrong tries since the last right one */
  guint          n_locks;        /* locks since the last right try */
  gint64         locked_until;   /* monotonic µs; 0: never locked */
  guint          lock_timer_id;
  gboolean       locked_out;
  gboolean       busy;           /* an asynchronous try is being checked */
  gboolean       unlocked;
  gint64         admin_deadline;
  guint          admin_timer_id;
};

G_DEFINE_FINAL_TYPE (DigithekPin, digithek_pin, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_HASH,
  PROP_LOCKED_OUT,
  PROP_UNLOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_locked_out (DigithekPin *self,
                gboolean     locked_out)
{
  if (self->locked_out == locked_out)
    return;
  self->locked_out = locked_out;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED_OUT]);
}

static void
set_unlocked (DigithekPin *self,
              gboolean     unlocked)
{
  if (self->unlocked == unlocked)
    return;
  g_debug ("Admin session %s", unlocked ? "unlocked" : "locked");
  self->unlocked = unlocked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNLOCKED]);
}

static void
lock_timer_cb (gpointer user_data)
{
  DigithekPin *self = user_data;

  self->lock_timer_id = 0;
  set_locked_out (self, FALSE);
}

static void arm_admin_timer (DigithekPin *self);

static void
admin_timer_cb (gpointer user_data)
{
  DigithekPin *self = user_data;

  self->admin_timer_id = 0;
  if (digithek_clock_get_time (self->clock) >= self->admin_deadline)
    set_unlocked (self, FALSE);
  else
    arm_admin_timer (self);
}

/* Activity only moves the deadline; the timer, when it fires early, arms itself again.
 * That keeps a stream of touches away from the main loop's source list. */
static void
arm_admin_timer (DigithekPin *self)
{
  if (self->admin_timer_id == 0)
    self->admin_timer_id = digithek_clock_add_deadline (self->clock, self->admin_deadline,
                                                        admin_timer_cb, self, NULL);
}

static void
record_failure (DigithekPin *self)
{
  guint seconds;
  guint shift;

  self->failures++;
  if (self->failures < DIGITHEK_PIN_FREE_TRIES)
    return;

  /* 60 s, then twice as long for each further lock, up to the cap. */
  shift = MIN (self->n_locks, 16);
  seconds = MIN ((guint) DIGITHEK_PIN_FIRST_LOCK << shift, (guint) DIGITHEK_PIN_MAX_LOCK);
  self->n_locks++;
  self->locked_until = digithek_clock_get_time (self->clock) + (gint64) seconds * G_USEC_PER_SEC;
  g_debug ("PIN pad locked for %u s after %u wrong tries", seconds, self->failures);

  digithek_clock_clear (self->clock, &self->lock_timer_id);
  self->lock_timer_id = digithek_clock_add_deadline (self->clock, self->locked_until,
                                                     lock_timer_cb, self, NULL);
  set_locked_out (self, TRUE);
}

static void
record_success (DigithekPin *self)
{
  self->failures = 0;
  self->n_locks = 0;
  self->admin_deadline = digithek_clock_get_time (self->clock)
                         + (gint64) DIGITHEK_PIN_ADMIN_TIMEOUT * G_USEC_PER_SEC;
  arm_admin_timer (self);
  set_unlocked (self, TRUE);
}

/* The checks before any hashing. Returns FALSE with @error set when the try ends here. */
static gboolean
begin_try (DigithekPin  *self,
           const char   *pin,
           GError      **error)
{
  guint remaining;

  if (self->hash == NULL)
    {
      g_set_error_literal (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_NO_PIN,
                           "No staff PIN is set; set one with digithek --set-pin");
      return FALSE;
    }
  remaining = digithek_pin_get_lock_remaining (self);
  if (remaining > 0)
    {
      g_set_error (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_LOCKED,
                   "Too many wrong tries; try again in %u:%02u", remaining / 60,
                   remaining % 60);
      return FALSE;
    }
  /* One try at a time: otherwise a fast hand could get many tries checked in parallel
   * before the first wrong one is counted. */
  if (self->busy)
    {
      g_set_error_literal (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_BUSY,
                           "The previous PIN is still being checked");
      return FALSE;
    }
  if (!digithek_pin_check_rules (pin, NULL))
    {
      record_failure (self);
      g_set_error_literal (error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_WRONG, "Wrong PIN");
      return FALSE;
    }
  return TRUE;
}

/* Counts the verifier's answer and passes it on. */
static gboolean
end_try (DigithekPin  *self,
         gboolean      ok,
         GError       *verify_error,
         GError      **error)
{
  if (ok)
    {
      record_success (self);
      return TRUE;
    }
  if (g_error_matches (verify_error, DIGITHEK_PIN_ERROR, DIGITHEK_PIN_ERROR_WRONG))
    record_failure (self);
  g_propagate_error (error, verify_error);
  return FALSE;
}

static void
try_verified_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DigithekPin *self = g_task_get_source_object (task);
  GError *verify_error = NULL;
  GError *error = NULL;
  gboolean ok = digithek_pin_verify_finish (result, &verify_error);

  self->busy = FALSE;
  if (end_try (self, ok, verify_error, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
digithek_pin_try_async (DigithekPin         *self,
                        const char          *pin,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (DIGITHEK_IS_PIN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, digithek_pin_try_async);
  g_task_set_name (task, "[digithek] try PIN");

  if (!begin_try (self, pin, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->busy = TRUE;
  /* The verification itself is not cancellable: a try that was typed counts. */
  digithek_pin_verify_async (self->hash, pin, NULL, try_verified_cb, g_steal_pointer (&task));
}

gboolean
digithek_pin_try_finish (DigithekPin   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_pin_try_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
digithek_pin_try (DigithekPin  *self,
                  const char   *pin,
                  GError      **error)
{
  GError *verify_error = NULL;
  gboolean ok;

  g_return_val_if_fail (DIGITHEK_IS_PIN (self), FALSE);

  if (!begin_try (self, pin, error))
    return FALSE;
  ok = digithek_pin_verify (self->hash, pin, &verify_error);
  return end_try (self, ok, verify_error, error);
}

guint
digithek_pin_get_lock_remaining (DigithekPin *self)
{
  gint64 now;

  g_return_val_if_fail (DIGITHEK_IS_PIN (self), 0);

  now = digithek_clock_get_time (self->clock);
  if (now >= self->locked_until)
    return 0;
  return (guint) ((self->locked_until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

gboolean
digithek_pin_get_locked_out (DigithekPin *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PIN (self), FALSE);

  return digithek_pin_get_lock_remaining (self) > 0;
}

guint
digithek_pin_get_failures (DigithekPin *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PIN (self), 0);

  return self->failures;
}

gboolean
digithek_pin_get_unlocked (DigithekPin *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PIN (self), FALSE);

  return self->unlocked;
}

void
digithek_pin_activity (DigithekPin *self)
{
  g_return_if_fail (DIGITHEK_IS_PIN (self));

  if (!self->unlocked)
    return;
  self->admin_deadline = digithek_clock_get_time (self->clock)
                         + (gint64) DIGITHEK_PIN_ADMIN_TIMEOUT * G_USEC_PER_SEC;
  arm_admin_timer (self);
}

void
digithek_pin_lock (DigithekPin *self)
{
  g_return_if_fail (DIGITHEK_IS_PIN (self));

  digithek_clock_clear (self->clock, &self->admin_timer_id);
  set_unlocked (self, FALSE);
}

const char *
digithek_pin_get_hash (DigithekPin *self)
{
  g_return_val_if_fail (DIGITHEK_IS_PIN (self), NULL);

  return self->hash;
}

void
digithek_pin_set_hash (DigithekPin *self,
                       const char  *hash)
{
  g_return_if_fail (DIGITHEK_IS_PIN (self));

  if (g_strcmp0 (self->hash, hash) == 0)
    return;
  g_free (self->hash);
  self->hash = g_strdup (hash);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HASH]);
}

static void
digithek_pin_dispose (GObject *object)
{
  DigithekPin *self = DIGITHEK_PIN (object);

  if (self->clock != NULL)
    {
      digithek_clock_clear (self->clock, &self->lock_timer_id);
      digithek_clock_clear (self->clock, &self->admin_timer_id);
    }
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (digithek_pin_parent_class)->dispose (object);
}

static void
digithek_pin_finalize (GObject *object)
{
  DigithekPin *self = DIGITHEK_PIN (object);

  g_clear_pointer (&self->hash, g_free);

  G_OBJECT_CLASS (digithek_pin_parent_class)->finalize (object);
}

static void
digithek_pin_constructed (GObject *object)
{
  DigithekPin *self = DIGITHEK_PIN (object);

  G_OBJECT_CLASS (digithek_pin_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = digithek_system_clock_new (NULL);
}

static void
digithek_pin_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DigithekPin *self = DIGITHEK_PIN (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_HASH:
      g_value_set_string (value, self->hash);
      break;
    case PROP_LOCKED_OUT:
      g_value_set_boolean (value, digithek_pin_get_locked_out (self));
      break;
    case PROP_UNLOCKED:
      g_value_set_boolean (value, self->unlocked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_pin_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DigithekPin *self = DIGITHEK_PIN (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      break;
    case PROP_HASH:
      digithek_pin_set_hash (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_pin_class_init (DigithekPinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = digithek_pin_dispose;
  object_class->finalize = digithek_pin_finalize;
  object_class->constructed = digithek_pin_constructed;
  object_class->get_property = digithek_pin_get_property;
  object_class->set_property = digithek_pin_set_property;

  /* Construct-only; %NULL means the system clock. */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         DIGITHEK_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HASH] =
    g_param_spec_string ("hash", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCKED_OUT] =
    g_param_spec_boolean ("locked-out", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNLOCKED] =
    g_param_spec_boolean ("unlocked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
digithek_pin_init (DigithekPin *self)
{
}

DigithekPin *
digithek_pin_new (DigithekClock *clock,
                  const char    *hash)
{
  g_return_val_if_fail (clock == NULL || DIGITHEK_IS_CLOCK (clock), NULL);

  return g_object_new (DIGITHEK_TYPE_PIN, "clock", clock, "hash", hash, NULL);
}
