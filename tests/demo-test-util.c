/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stores filled with the bundled demo packs ($DEMO_DIR), for the UI tests. */

#include "demo-test-util.h"
#include "digithek-pack.h"
#include "store-test-util.h"

/* Imports the pack folder @path into @store; any problem fails the test. */
void
dt_import_pack_dir (DigithekStore *store,
                    const char    *path)
{
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(GError) error = NULL;

  pack = digithek_pack_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  tu_store_import_pack (store, pack, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Imports every demo pack. */
void
dt_import_demo_packs (DigithekStore *store)
{
  const char *demo_dir = g_getenv ("DEMO_DIR");
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  g_assert_nonnull (demo_dir);
  dir = g_dir_open (demo_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (demo_dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        dt_import_pack_dir (store, path);
    }
}
