/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <gio/gunixmounts.h>
#include <glib/gstdio.h>

#include "digithek-usb.h"

G_DEFINE_QUARK (digithek-usb-error-quark, digithek_usb_error)

/* Where sticks get mounted: udisks (/media/USER/LABEL, /run/media/USER/LABEL), an admin
 * by hand (/mnt, /mnt/usb). */
static const char * const media_prefixes[] = { "/media/", "/run/media/", "/mnt/", NULL };

static gboolean
is_media_path (const char *path)
{
  if (g_str_equal (path, "/mnt"))
    return TRUE;
  for (guint i = 0; media_prefixes[i] != NULL; i++)
    if (g_str_has_prefix (path, media_prefixes[i]) && path[strlen (media_prefixes[i])] != '\0')
      return TRUE;
  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GStrv
digithek_usb_list_media (void)
{
  g_autoptr(GPtrArray) media = g_ptr_array_new_with_free_func (g_free);
  const char *roots = g_getenv (DIGITHEK_USB_ROOTS_ENV);

  if (roots != NULL)
    {
      g_auto(GStrv) dirs = g_strsplit (roots, ":", -1);

      /* In the order given: the first one gets the exports. */
      for (guint i = 0; dirs[i] != NULL; i++)
        if (dirs[i][0] != '\0' && g_file_test (dirs[i], G_FILE_TEST_IS_DIR))
          g_ptr_array_add (media, g_strdup (dirs[i]));
    }
  else
    {
      GList *mounts = g_unix_mounts_get (NULL);

      for (GList *l = mounts; l != NULL; l = l->next)
        {
          GUnixMountEntry *entry = l->data;
          const char *path = g_unix_mount_get_mount_path (entry);

          if (is_media_path (path) && !g_unix_mount_is_system_internal (entry))
            g_ptr_array_add (media, g_strdup (path));
        }
      g_list_free_full (mounts, (GDestroyNotify) g_unix_mount_free);
      g_ptr_array_sort (media, compare_strings);
    }

  g_ptr_array_add (media, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&media), FALSE);
}

static gboolean
is_channel_folder (const char *dir)
{
  g_autofree char *index = g_build_filename (dir, "index.json", NULL);
  g_autofree char *sig = g_build_filename (dir, "index.json.sig", NULL);

  return g_file_test (index, G_FILE_TEST_IS_REGULAR) && g_file_test (sig, G_FILE_TEST_IS_REGULAR);
}

GStrv
digithek_usb_find_channels (GError **error)
{
  g_auto(GStrv) media = digithek_usb_list_media ();
  g_autoptr(GPtrArray) channels = g_ptr_array_new_with_free_func (g_free);

  if (media[0] == NULL)
    {
      g_set_error_literal (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_NO_MEDIA,
                           "no removable medium is mounted");
      return NULL;
    }

  for (guint i = 0; media[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) below = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (is_channel_folder (media[i]))
        g_ptr_array_add (channels, g_strdup (media[i]));

      /* One level down; hidden folders (.Trash-1000 and the like) are no channels. */
      dir = g_dir_open (media[i], 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = NULL;

          if (name[0] == '.')
            continue;
          child = g_build_filename (media[i], name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && is_channel_folder (child))
            g_ptr_array_add (below, g_steal_pointer (&child));
        }
      g_ptr_array_sort (below, compare_strings);
      for (guint j = 0; j < below->len; j++)
        g_ptr_array_add (channels, g_strdup (g_ptr_array_index (below, j)));
    }

  if (channels->len == 0)
    {
      g_autofree char *where = g_strjoinv (", ", media);

      g_set_error (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_NO_CHANNEL,
                   "no channel folder (index.json and index.json.sig) on %s", where);
      return NULL;
    }
  g_ptr_array_add (channels, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&channels), FALSE);
}

void
digithek_usb_import_free (DigithekUsbImport *import)
{
  if (import == NULL)
    return;
  g_free (import->folder);
  g_clear_pointer (&import->result, digithek_sync_result_free);
  g_clear_error (&import->error);
  g_free (import);
}

typedef struct
{
  DigithekStore *store;
  GStrv          keys;
  char          *staging_dir;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->store);
  g_strfreev (data->keys);
  g_free (data->staging_dir);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  g_autoptr(GPtrArray) imports = g_ptr_array_new_with_free_func ((GDestroyNotify) digithek_usb_import_free);
  g_auto(GStrv) channels = NULL;
  GError *error = NULL;

  channels = digithek_usb_find_channels (&error);
  if (channels == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; channels[i] != NULL; i++)
    {
      g_autoptr(DigithekSync) sync = digithek_sync_new (channels[i],
                                                        (const char * const *) data->keys,
                                                        data->store, data->staging_dir);
      DigithekUsbImport *import = g_new0 (DigithekUsbImport, 1);

      import->folder = g_strdup (channels[i]);
      import->result = digithek_sync_run_sync (sync, cancellable, &import->error);
      g_ptr_array_add (imports, import);
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  g_task_return_pointer (task, g_steal_pointer (&imports), (GDestroyNotify) g_ptr_array_unref);
}

void
digithek_usb_import_async (DigithekStore       *store,
                           const char * const  *trusted_keys,
                           const char          *staging_dir,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (DIGITHEK_IS_STORE (store));
  g_return_if_fail (trusted_keys != NULL);

  data = g_new0 (ImportData, 1);
  data->store = g_object_ref (store);
  data->keys = g_strdupv ((char **) trusted_keys);
  data->staging_dir = staging_dir != NULL
                      ? g_strdup (staging_dir)
                      : g_strconcat (digithek_store_get_path (store), ".usb-staging", NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, digithek_usb_import_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

GPtrArray *
digithek_usb_import_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_usb_import_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- writing ------------------------------------------------------------------------- */

char *
digithek_usb_feedback_file_name (GDateTime *when)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *day = NULL;

  if (when == NULL)
    when = now = g_date_time_new_now_local ();
  day = g_date_time_format (when, "%Y-%m-%d");
  return g_strdup_printf ("digithek-feedback-%s.csv", day);
}

char *
digithek_usb_write_file (const char  *name,
                         const char  *contents,
                         gssize       length,
                         GError     **error)
{
  g_auto(GStrv) media = digithek_usb_list_media ();
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (name != NULL && strchr (name, '/') == NULL, NULL);
  g_return_val_if_fail (contents != NULL, NULL);

  if (media[0] == NULL)
    {
      g_set_error_literal (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_NO_MEDIA,
                           "no removable medium is mounted");
      return NULL;
    }
  path = g_build_filename (media[0], name, NULL);
  /* A temporary file beside it, fsync, rename: a stick pulled too early holds the old
   * file or the new one, never half of one. */
  if (!g_file_set_contents (path, contents, length, &local_error))
    {
      g_set_error (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_FAILED, "%s",
                   local_error->message);
      return NULL;
    }
  return g_steal_pointer (&path);
}

typedef struct
{
  char  *name;
  char  *contents;
  gsize  length;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->name);
  g_free (data->contents);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError *error = NULL;
  char *path = digithek_usb_write_file (data->name, data->contents, (gssize) data->length,
                                        &error);

  if (path != NULL)
    g_task_return_pointer (task, path, g_free);
  else
    g_task_return_error (task, error);
}

void
digithek_usb_write_file_async (const char          *name,
                               const char          *contents,
                               gssize               length,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (name != NULL && strchr (name, '/') == NULL);
  g_return_if_fail (contents != NULL);

  data = g_new0 (WriteData, 1);
  data->name = g_strdup (name);
  data->length = length < 0 ? strlen (contents) : (gsize) length;
  data->contents = g_malloc (data->length + 1);
  memcpy (data->contents, contents, data->length);
  data->contents[data->length] = '\0';

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, digithek_usb_write_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

char *
digithek_usb_write_file_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == digithek_usb_write_file_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
