/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <glib/gstdio.h>
#include <sys/wait.h>

#include "digithek-test-util.h"

char *
dt_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("digithek-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
dt_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      dt_remove_tree (child);
    }
  g_rmdir (path);
}

void
dt_write_file (const char *dir,
               const char *relative,
               const char *text)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static int
run_program (const char  *env_name,
             char       **out_stdout,
             char       **out_stderr,
             va_list      args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv (env_name);
  const char *arg;
  int wait_status = 0;

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (char *) program);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out_stdout, out_stderr, &wait_status, &error);
  g_assert_no_error (error);
  if (g_test_verbose ())
    g_printerr ("%s\n--- stdout\n%s--- stderr\n%s", program, *out_stdout, *out_stderr);

  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

int
dt_run_tool (char **out_stdout,
             char **out_stderr,
             ...)
{
  va_list args;
  int status;

  va_start (args, out_stderr);
  status = run_program ("DIGITHEK_PACK_BIN", out_stdout, out_stderr, args);
  va_end (args);
  return status;
}

int
dt_run_kiosk (char **out_stdout,
              char **out_stderr,
              ...)
{
  va_list args;
  int status;

  va_start (args, out_stderr);
  status = run_program ("DIGITHEK_BIN", out_stdout, out_stderr, args);
  va_end (args);
  return status;
}
