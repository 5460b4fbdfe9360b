/* SPDX-License-Identifier: GPL-3.0-or-later */

/* One pack of a run: its manifest, its objects assembled into a pack folder in staging,
 * validated as a pack and imported into the store. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "digithek-sha256.h"

#include "digithek-sync-private.h"

static gboolean
link_or_copy (const char  *src,
              const char  *dest,
              GError     **error)
{
  g_autoptr(GFile) src_file = NULL;
  g_autoptr(GFile) dest_file = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Staging objects and pack folders share a file system: a hard link costs nothing. */
  if (link (src, dest) == 0)
    return TRUE;
  src_file = g_file_new_for_path (src);
  dest_file = g_file_new_for_path (dest);
  if (!g_file_copy (src_file, dest_file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL,
                    &local_error))
    {
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", dest,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
digithek_sync_remove_tree (const char  *path,
                           GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_unlink (path) == 0)
    return TRUE;
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!digithek_sync_remove_tree (child, error))
            return FALSE;
        }
    }
  if (g_rmdir (path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* ---- one pack ---- */

gboolean
digithek_sync_pack (SyncRun                        *run,
                         const DigithekChannelPackEntry *entry,
                         gint64                          installed,
                         GError                        **error)
{
  g_autofree char *manifest_path = NULL;
  g_autofree char *manifest_text = NULL;
  g_autofree char *pack_dir = NULL;
  g_autofree char *files_dir = NULL;
  g_autofree char *pack_json = NULL;
  g_autofree char *dir_name = NULL;
  g_autoptr(GBytes) manifest_bytes = NULL;
  g_autoptr(DigithekChannelManifest) manifest = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) local_error = NULL;
  DigithekImportOutcome outcome;
  DigithekSyncChange *change;
  gsize manifest_len = 0;

  if (entry->manifest.size > DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE)
    {
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                   "manifest is larger than %d bytes", DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE);
      return FALSE;
    }
  manifest_path = digithek_sync_ensure_object (run, &entry->manifest, FALSE, error);
  if (manifest_path == NULL)
    return FALSE;
  if (!g_file_get_contents (manifest_path, &manifest_text, &manifest_len, &local_error))
    {
      digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                        DIGITHEK_SYNC_ERROR_IO,
                                        manifest_path);
      return FALSE;
    }
  manifest_bytes = g_bytes_new_take (g_steal_pointer (&manifest_text), manifest_len);
  manifest = digithek_channel_manifest_parse (manifest_bytes, &local_error);
  if (manifest == NULL)
    {
      digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                        DIGITHEK_SYNC_ERROR_INVALID,
                                        "manifest");
      return FALSE;
    }
  if (g_strcmp0 (manifest->id, entry->id) != 0 || manifest->version != entry->version)
    {
      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                   "the manifest is for %s version %" G_GINT64_FORMAT
                   ", the index says version %" G_GINT64_FORMAT,
                   manifest->id, manifest->version, entry->version);
      return FALSE;
    }

  /* Assemble the pack folder afresh: a leftover from a failed run may be incomplete. */
  dir_name = g_strdup_printf ("%s-%" G_GINT64_FORMAT, entry->id, entry->version);
  pack_dir = g_build_filename (run->self->staging_dir, "packs", dir_name, NULL);
  files_dir = g_build_filename (pack_dir, "files", NULL);
  if (!digithek_sync_remove_tree (pack_dir, error))
    return FALSE;
  if (g_mkdir_with_parents (files_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_IO, "%s: %s", files_dir,
                   g_strerror (saved));
      return FALSE;
    }

  for (guint i = 0; i < manifest->files->len; i++)
    {
      const DigithekChannelFile *file = g_ptr_array_index (manifest->files, i);
      g_autofree char *object_path = digithek_sync_ensure_object (run, &file->ref, TRUE, error);
      g_autofree char *dest = NULL;

      if (object_path == NULL)
        return FALSE;
      dest = g_build_filename (pack_dir, file->path, NULL);
      if (!link_or_copy (object_path, dest, error))
        return FALSE;
    }

  pack_json = g_build_filename (pack_dir, "pack.json", NULL);
  if (!digithek_sync_write_file_bytes (pack_json, manifest->pack_json, error))
    return FALSE;

  /* The publisher validated it, but the kiosk trusts only what it checks itself. */
  pack = digithek_pack_load (pack_dir, NULL, &problems, &local_error);
  if (pack == NULL)
    {
      const char *first = problems != NULL && problems->len > 0
                          ? g_ptr_array_index (problems, 0) : local_error->message;

      g_set_error (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_INVALID,
                   "invalid pack: %s", first);
      return FALSE;
    }
  digithek_store_wait_begin (run->wait);
  digithek_store_import_pack_async (run->self->store, pack, NULL, NULL, NULL, run->cancellable,
                                    digithek_store_wait_cb, run->wait);
  if (!digithek_store_import_pack_finish (run->self->store, digithek_store_wait_end (run->wait),
                                          &outcome, &local_error))
    {
      digithek_sync_propagate_prefixed (error, g_steal_pointer (&local_error),
                                        DIGITHEK_SYNC_ERROR_IO,
                                        "import");
      return FALSE;
    }

  if (outcome == DIGITHEK_IMPORT_INSTALLED)
    {
      change = g_new0 (DigithekSyncChange, 1);
      change->id = g_strdup (entry->id);
      change->old_version = installed;
      change->new_version = entry->version;
      g_ptr_array_add (run->result->changes, change);
    }
  return digithek_sync_remove_tree (pack_dir, error);
}
