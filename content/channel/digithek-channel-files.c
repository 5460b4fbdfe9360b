/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The publish side's file writing: folders and files created world-readable, each file
 * written atomically (a temporary file in the same folder, fsync, rename), index mtimes
 * that always move forward, and a file hashed while it is copied. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digithek-channel-private.h"
#include "digithek-sha256.h"

/* Sets @mode on an open file or folder. Some file systems (FAT on a USB stick) refuse
 * chmod but already show everything world-readable; that is good enough. */
gboolean
digithek_channel_set_mode_fd (int         fd,
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
  return digithek_channel_set_io_error (error, errno, "Cannot set the permissions of", path);
}

void
digithek_channel_fsync_dir (const char *path)
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
gboolean
digithek_channel_ensure_dir (const char  *path,
                             GError     **error)
{
  g_autofree char *parent = NULL;
  int fd;
  gboolean ok;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;

  parent = g_path_get_dirname (path);
  if (g_strcmp0 (parent, path) != 0 && !digithek_channel_ensure_dir (parent, error))
    return FALSE;

  if (g_mkdir (path, 0755) != 0 && errno != EEXIST)
    return digithek_channel_set_io_error (error, errno, "Cannot create folder", path);

  fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return digithek_channel_set_io_error (error, errno, "Cannot open folder", path);
  ok = digithek_channel_set_mode_fd (fd, 0755, path, error);
  close (fd);
  return ok;
}

int
digithek_channel_open_temp (const char  *dir,
                            char       **out_tmp_path,
                            GError     **error)
{
  g_autofree char *tmpl = g_build_filename (dir, TEMP_PREFIX "XXXXXX", NULL);
  int fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      digithek_channel_set_io_error (error, errno, "Cannot create a temporary file in", dir);
      return -1;
    }
  *out_tmp_path = g_steal_pointer (&tmpl);
  return fd;
}

gboolean
digithek_channel_write_all (int          fd,
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
        return digithek_channel_set_io_error (error, errno, "Cannot write", path);
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
gint64
digithek_channel_file_mtime_seconds (const char *path)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    return G_MININT64;
  return (gint64) st.st_mtime;
}

/* Moves the mtime of @fd past @previous (whole seconds) when it is not already later. */
gboolean
digithek_channel_set_mtime_after_fd (int          fd,
                                     gint64       previous,
                                     const char  *path,
                                     GError     **error)
{
  struct stat st;
  struct timespec times[2];

  if (previous == G_MININT64)
    return TRUE;
  if (fstat (fd, &st) != 0)
    return digithek_channel_set_io_error (error, errno, "Cannot read the time of", path);
  if ((gint64) st.st_mtime > previous)
    return TRUE;
  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = (time_t) (previous + 1);
  times[1].tv_nsec = 0;
  if (futimens (fd, times) != 0)
    return digithek_channel_set_io_error (error, errno, "Cannot set the time of", path);
  return TRUE;
}

gboolean
digithek_channel_commit_temp (int          fd,
                              const char  *tmp_path,
                              const char  *final_path,
                              mode_t       mode,
                              GError     **error)
{
  if (!digithek_channel_set_mode_fd (fd, mode, tmp_path, error))
    goto fail;
  if (fsync (fd) != 0)
    {
      digithek_channel_set_io_error (error, errno, "Cannot write", tmp_path);
      goto fail;
    }
  if (close (fd) != 0)
    {
      fd = -1;
      digithek_channel_set_io_error (error, errno, "Cannot write", tmp_path);
      goto fail;
    }
  fd = -1;
  if (g_rename (tmp_path, final_path) != 0)
    {
      digithek_channel_set_io_error (error, errno, "Cannot rename a temporary file to", final_path);
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
gboolean
digithek_channel_write_file_atomic_after (const char  *path,
                                          const void  *data,
                                          gsize        len,
                                          mode_t       mode,
                                          gint64       mtime_after,
                                          GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp_path = NULL;
  int fd;

  fd = digithek_channel_open_temp (dir, &tmp_path, error);
  if (fd < 0)
    return FALSE;
  if (!digithek_channel_write_all (fd, data, len, tmp_path, error)
      || !digithek_channel_set_mtime_after_fd (fd, mtime_after, tmp_path, error))
    {
      close (fd);
      g_unlink (tmp_path);
      return FALSE;
    }
  return digithek_channel_commit_temp (fd, tmp_path, path, mode, error);
}

gboolean
digithek_channel_write_file_atomic (const char  *path,
                                    const void  *data,
                                    gsize        len,
                                    mode_t       mode,
                                    GError     **error)
{
  return digithek_channel_write_file_atomic_after (path, data, len, mode, G_MININT64, error);
}

/* Bytes per read() when hashing a file: large reads keep the per-call cost small. */
#define HASH_FILE_CHUNK (256 * 1024)

/* Streams @path through SHA-256; optionally copies it to @copy_fd at the same time, so
 * that what is stored is exactly what was hashed. */
gboolean
digithek_channel_hash_file (const char          *path,
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
    return digithek_channel_set_io_error (error, errno, "Cannot read", path);
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
          return digithek_channel_set_io_error (error, saved_errno, "Cannot read", path);
        }
      if (n == 0)
        break;
      digithek_sha256_update (&sha, buffer, n);
      size += (guint64) n;
      if (copy_fd >= 0 && !digithek_channel_write_all (copy_fd, buffer, (gsize) n, copy_path,
                                                       error))
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
