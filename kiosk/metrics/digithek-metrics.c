/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "digithek-metrics.h"

struct _DigithekMetrics
{
  GObject parent_instance;

  /* owned */
  GTree   *packs;            /* pack id (char *) → version (gint64 *), sorted by id */
  gint64   sync_last_success;
  guint64  sync_failures;
  guint64  sessions;
  guint64  store_bytes;
};

G_DEFINE_FINAL_TYPE (DigithekMetrics, digithek_metrics, G_TYPE_OBJECT)

static void
digithek_metrics_finalize (GObject *object)
{
  DigithekMetrics *self = DIGITHEK_METRICS (object);

  g_clear_pointer (&self->packs, g_tree_unref);

  G_OBJECT_CLASS (digithek_metrics_parent_class)->finalize (object);
}

static void
digithek_metrics_class_init (DigithekMetricsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = digithek_metrics_finalize;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  return strcmp (a, b);
}

static void
digithek_metrics_init (DigithekMetrics *self)
{
  self->packs = g_tree_new_full (compare_ids, NULL, g_free, g_free);
}

DigithekMetrics *
digithek_metrics_new (void)
{
  return g_object_new (DIGITHEK_TYPE_METRICS, NULL);
}

void
digithek_metrics_set_sync_last_success (DigithekMetrics *self,
                                        gint64           unix_seconds)
{
  g_return_if_fail (DIGITHEK_IS_METRICS (self));
  self->sync_last_success = unix_seconds;
}

gint64
digithek_metrics_get_sync_last_success (DigithekMetrics *self)
{
  g_return_val_if_fail (DIGITHEK_IS_METRICS (self), 0);
  return self->sync_last_success;
}

void
digithek_metrics_add_sync_failure (DigithekMetrics *self)
{
  g_return_if_fail (DIGITHEK_IS_METRICS (self));
  self->sync_failures++;
}

guint64
digithek_metrics_get_sync_failures (DigithekMetrics *self)
{
  g_return_val_if_fail (DIGITHEK_IS_METRICS (self), 0);
  return self->sync_failures;
}

void
digithek_metrics_add_session (DigithekMetrics *self)
{
  g_return_if_fail (DIGITHEK_IS_METRICS (self));
  self->sessions++;
}

guint64
digithek_metrics_get_sessions (DigithekMetrics *self)
{
  g_return_val_if_fail (DIGITHEK_IS_METRICS (self), 0);
  return self->sessions;
}

void
digithek_metrics_set_pack_version (DigithekMetrics *self,
                                   const char      *pack_id,
                                   gint64           version)
{
  g_return_if_fail (DIGITHEK_IS_METRICS (self));
  g_return_if_fail (pack_id != NULL);

  g_tree_replace (self->packs, g_strdup (pack_id), g_memdup2 (&version, sizeof version));
}

void
digithek_metrics_clear_packs (DigithekMetrics *self)
{
  g_return_if_fail (DIGITHEK_IS_METRICS (self));

  g_tree_unref (self->packs);
  self->packs = g_tree_new_full (compare_ids, NULL, g_free, g_free);
}

void
digithek_metrics_set_store_bytes (DigithekMetrics *self,
                                  guint64          bytes)
{
  g_return_if_fail (DIGITHEK_IS_METRICS (self));
  self->store_bytes = bytes;
}

guint64
digithek_metrics_get_store_bytes (DigithekMetrics *self)
{
  g_return_val_if_fail (DIGITHEK_IS_METRICS (self), 0);
  return self->store_bytes;
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return 0;
  return (guint64) st.st_size;
}

void
digithek_metrics_measure_store (DigithekMetrics *self,
                                const char      *store_path)
{
  g_autofree char *wal_path = NULL;

  g_return_if_fail (DIGITHEK_IS_METRICS (self));
  g_return_if_fail (store_path != NULL);

  /* The WAL can hold most of the data between checkpoints, so a disk filling up shows
   * there first. */
  wal_path = g_strconcat (store_path, "-wal", NULL);
  self->store_bytes = file_size (store_path) + file_size (wal_path);
}

/* Label values escape backslash, double quote and line feed, and nothing else, as the
 * text exposition format says. */
static void
append_label_value (GString    *out,
                    const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        default:
          g_string_append_c (out, *p);
          break;
        }
    }
}

static void
append_family (GString    *out,
               const char *name,
               const char *type,
               const char *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static gboolean
append_pack_cb (gpointer key,
                gpointer value,
                gpointer user_data)
{
  GString *out = user_data;

  g_string_append (out, "digithek_pack_version{pack=\"");
  append_label_value (out, key);
  g_string_append_printf (out, "\"} %" G_GINT64_FORMAT "\n", *(gint64 *) value);
  return FALSE;
}

char *
digithek_metrics_to_string (DigithekMetrics *self)
{
  GString *out;

  g_return_val_if_fail (DIGITHEK_IS_METRICS (self), NULL);

  out = g_string_new (NULL);

  /* Whoever reads the file sees 1 while the kiosk writes it; node-exporter's own
   * node_textfile_mtime_seconds tells a stale file from a live one. */
  append_family (out, "digithek_up", "gauge",
                 "Whether the DigiThek kiosk is running.");
  g_string_append (out, "digithek_up 1\n");

  append_family (out, "digithek_sync_last_success_timestamp_seconds", "gauge",
                 "Unix time of the last successful content sync, 0 if none yet.");
  g_string_append_printf (out, "digithek_sync_last_success_timestamp_seconds %" G_GINT64_FORMAT "\n",
                          self->sync_last_success);

  append_family (out, "digithek_sync_failures_total", "counter",
                 "Content syncs that failed since the kiosk started.");
  g_string_append_printf (out, "digithek_sync_failures_total %" G_GUINT64_FORMAT "\n",
                          self->sync_failures);

  append_family (out, "digithek_pack_version", "gauge",
                 "Installed version of each content pack.");
  g_tree_foreach (self->packs, append_pack_cb, out);

  append_family (out, "digithek_store_bytes", "gauge",
                 "Size of the content store and its write-ahead log in bytes.");
  g_string_append_printf (out, "digithek_store_bytes %" G_GUINT64_FORMAT "\n",
                          self->store_bytes);

  append_family (out, "digithek_sessions_total", "counter",
                 "Citizen sessions that ended since the kiosk started.");
  g_string_append_printf (out, "digithek_sessions_total %" G_GUINT64_FORMAT "\n",
                          self->sessions);

  return g_string_free (out, FALSE);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("Cannot write the metrics file %s: %s"), path, g_strerror (saved_errno));
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

gboolean
digithek_metrics_write (DigithekMetrics  *self,
                        const char       *path,
                        GError          **error)
{
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp_path = NULL;
  int fd;
  int saved_errno;

  g_return_val_if_fail (DIGITHEK_IS_METRICS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = digithek_metrics_to_string (self);

  /* The temporary file must live in the same folder for rename() to be atomic, and must
   * not end in ".prom", or the textfile collector would read it half-written. */
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_name = g_strdup_printf (".%s.XXXXXX", base);
  tmp_path = g_build_filename (dir, tmp_name, NULL);

  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    return set_errno_error (error, errno, path);

  /* No fsync: the file is rewritten every minute, and a flush a minute would wear a
   * kiosk's flash storage for data that is stale a minute later anyway. fchmod because
   * mkstemp's mode is cut by the umask, and node-exporter runs as another user. */
  if (!write_all (fd, text, strlen (text)) || fchmod (fd, 0644) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, path);
    }

  if (close (fd) != 0 || g_rename (tmp_path, path) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, path);
    }

  return TRUE;
}
