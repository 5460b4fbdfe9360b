/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The staff tool as staff meet it: commands, messages and exit codes. */

#include <glib/gstdio.h>

#include "digithek-test-util.h"

static void
test_tool_usage (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (dt_run_tool (&out, &err, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "Usage: digithek-pack COMMAND"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_tool (&out, &err, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "Unknown command “frobnicate”"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_tool (&out, &err, "validate", NULL), ==, 2);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_tool (&out, &err, "validate", "--bogus", NULL), ==, 2);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_tool (&out, &err, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "validate DIR"));
}

static void
test_tool_init_validates (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "my-pack", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (dt_run_tool (&out, &err, "init", dir, NULL), ==, 0);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_tool (&out, &err, "validate", dir, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "is valid"));

  /* A second init never overwrites staff's work. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dt_run_tool (&out, &err, "init", dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));

  dt_remove_tree (tmp);
}

static void
test_tool_validate_reports_every_problem (void)
{
  g_autofree char *tmp = dt_make_tmp_dir ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  dt_write_file (tmp, "pack.json",
                 "{\"format\": 1, \"id\": \"Bad Id\", \"version\": 0,"
                 " \"title\": {\"de\": \"T\"}, \"languages\": [\"de\"],"
                 " \"items\": [{\"id\": \"a\", \"kind\": \"explainer\","
                 "   \"title\": {\"de\": \"A\"}, \"body\": {\"de\": \"../secret.md\"}}]}");

  g_assert_cmpint (dt_run_tool (&out, &err, "validate", tmp, NULL), ==, 1);
  /* Every problem, each naming the file and the JSON path. */
  g_assert_nonnull (strstr (out, "pack.json: id:"));
  g_assert_nonnull (strstr (out, "pack.json: version:"));
  g_assert_nonnull (strstr (out, "pack.json: items[0].body.de:"));
  g_assert_nonnull (strstr (out, "not valid"));

  dt_remove_tree (tmp);
}

static void
test_tool_validate_missing_folder (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (dt_run_tool (&out, &err, "validate", "/nonexistent/pack", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "/nonexistent/pack"));
}

static void
test_tool_demo_packs_valid (void)
{
  const char *demo = g_getenv ("DEMO_DIR");
  g_autoptr(GDir) dir = g_dir_open (demo, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (demo, name, NULL);
      g_autofree char *manifest = g_build_filename (path, "pack.json", NULL);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      if (!g_file_test (manifest, G_FILE_TEST_EXISTS))
        continue;
      if (dt_run_tool (&out, &err, "validate", path, NULL) != 0)
        g_error ("demo pack %s is not valid:\n%s%s", name, out, err);
      /* The demo shows what staff should do: no warnings either. */
      g_assert_null (strstr (out, "warning"));
      n++;
    }
  g_assert_cmpuint (n, >=, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/pack-tool/usage", test_tool_usage);
  g_test_add_func ("/app/pack-tool/init-validates", test_tool_init_validates);
  g_test_add_func ("/app/pack-tool/validate-every-problem", test_tool_validate_reports_every_problem);
  g_test_add_func ("/app/pack-tool/validate-missing-folder", test_tool_validate_missing_folder);
  g_test_add_func ("/app/pack-tool/demo-packs-valid", test_tool_demo_packs_valid);

  return g_test_run ();
}
