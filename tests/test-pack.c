/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "digithek-pack.h"
#include "digithek-pack-paths.h"

/* A valid pack with one item of each kind; each test breaks a copy of it. */
static const char valid_json[] =
  "{\n"
  "  \"_comment\": \"a test pack\",\n"
  "  \"format\": 1,\n"
  "  \"id\": \"test-pack\",\n"
  "  \"version\": 3,\n"
  "  \"title\": {\"de\": \"Testpaket\", \"en\": \"Test pack\"},\n"
  "  \"languages\": [\"de\", \"en\", \"de-x-easy\"],\n"
  "  \"publisher\": \"Stadt Konstanz\",\n"
  "  \"items\": [\n"
  "    {\n"
  "      \"id\": \"air\",\n"
  "      \"kind\": \"dataset\",\n"
  "      \"title\": {\"de\": \"Luft\", \"en\": \"Air\"},\n"
  "      \"summary\": {\"de\": \"Messwerte\"},\n"
  "      \"image\": \"images/photo.png\",\n"
  "      \"tags\": [\"luft\", \"umwelt\"],\n"
  "      \"web\": \"https://example.de/air\",\n"
  "      \"data\": \"data/air.csv\",\n"
  "      \"csv\": {\"delimiter\": \";\", \"decimal\": \",\", \"encoding\": \"UTF-8\"},\n"
  "      \"chart\": {\"type\": \"line\", \"x\": \"Zeit\", \"y\": [\"no2\", \"pm10\"], "
  "\"unit\": \"µg/m³\"},\n"
  "      \"source\": {\"name\": \"LUBW\", \"license\": \"dl-de/by-2-0\", "
  "\"url\": \"https://www.lubw.de\"}\n"
  "    },\n"
  "    {\n"
  "      \"id\": \"intro\",\n"
  "      \"kind\": \"explainer\",\n"
  "      \"title\": {\"de\": \"Einführung\", \"de-x-easy\": \"Einfach\"},\n"
  "      \"body\": {\"de\": \"texts/intro.de.md\", \"en\": \"./texts//intro.en.md\"}\n"
  "    },\n"
  "    {\n"
  "      \"id\": \"ausweis\",\n"
  "      \"kind\": \"guide\",\n"
  "      \"title\": {\"de\": \"Online-Ausweis\"},\n"
  "      \"web\": \"https://example.de/ausweis\",\n"
  "      \"web_step\": \"https://example.de/ausweis#schritt-{step}\",\n"
  "      \"steps\": [\n"
  "        {\"title\": {\"de\": \"Schritt eins\"}, \"body\": {\"de\": \"texts/intro.de.md\"}, "
  "\"image\": \"images/photo.png\"},\n"
  "        {\"title\": {\"de\": \"Schritt zwei\"}, \"body\": {\"de\": \"texts/step2.md\"}}\n"
  "      ]\n"
  "    },\n"
  "    {\n"
  "      \"id\": \"rundgang\",\n"
  "      \"kind\": \"tour\",\n"
  "      \"title\": {\"de\": \"Rundgang\"},\n"
  "      \"stops\": [\"air\", \"test-pack/intro\", \"other-pack/thing\"]\n"
  "    }\n"
  "  ]\n"
  "}\n";

static const char valid_csv[] =
  "Zeit;no2;pm10\n"
  "27.11.2026 14:00;19,5;17\n"
  "27.11.2026 15:00;;17,2\n"
  "2026-11-27T16:00:00+01:00;12;NA\n";

/* ---- helpers ---- */

static void
write_file (const char *dir,
            const char *relative,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
write_png (const char *dir,
           const char *relative,
           int         width,
           int         height)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  struct stat st;

  if (lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
    }
  g_assert_cmpint (remove (path), ==, 0);
}

static char *
replace_once (const char *text,
              const char *old,
              const char *replacement)
{
  const char *at = strstr (text, old);

  if (at == NULL)
    g_error ("test template lacks %s", old);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, replacement, at + strlen (old));
}

/* A temporary copy of the valid pack, with pack.json edited: @edits holds pairs of
 * (text, replacement), NULL-terminated. */
static char *
make_pack (const char * const *edits)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup (valid_json);
  char *dir = g_dir_make_tmp ("test-pack-XXXXXX", &error);
  guint i;

  g_assert_no_error (error);
  for (i = 0; edits != NULL && edits[i] != NULL; i += 2)
    {
      char *edited = replace_once (json, edits[i], edits[i + 1]);
      g_free (json);
      json = edited;
    }
  write_file (dir, "pack.json", json, -1);
  write_file (dir, "data/air.csv", valid_csv, -1);
  write_file (dir, "texts/intro.de.md", "# Einführung\n\nÜber die *Luft*.\n", -1);
  write_file (dir, "texts/intro.en.md", "# Introduction\n", -1);
  write_file (dir, "texts/step2.md", "Schritt zwei.\n", -1);
  write_png (dir, "images/photo.png", 4, 3);
  return dir;
}

static gboolean
problems_contain (GPtrArray  *problems,
                  const char *expected)
{
  guint i;

  for (i = 0; problems != NULL && i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), expected) != NULL)
      return TRUE;
  return FALSE;
}

static void
dump (GPtrArray *lines)
{
  guint i;

  for (i = 0; lines != NULL && i < lines->len; i++)
    g_test_message ("  %s", (const char *) g_ptr_array_index (lines, i));
}

/* Loads @dir, expects it invalid, and expects every line of @expected among the
 * problems; with @n_expected > 0 also exactly that many problems. */
static void
assert_problems (const char                *dir,
                 const DigithekPackLimits  *limits,
                 const char * const        *expected,
                 guint                      n_expected)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autofree char *message = NULL;
  guint i;

  pack = digithek_pack_load (dir, limits, &problems, &error);
  dump (problems);
  g_assert_null (pack);
  g_assert_error (error, DIGITHEK_PACK_ERROR, DIGITHEK_PACK_ERROR_INVALID);
  g_assert_nonnull (problems);
  message = g_strdup_printf (problems->len == 1 ? "%u problem in " : "%u problems in ",
                             problems->len);
  g_assert_true (g_str_has_prefix (error->message, message));
  for (i = 0; expected[i] != NULL; i++)
    {
      if (!problems_contain (problems, expected[i]))
        g_error ("no problem reads: %s", expected[i]);
    }
  if (n_expected > 0)
    g_assert_cmpuint (problems->len, ==, n_expected);
}

static void
check_variant (const char * const *edits,
               const char * const *expected,
               guint               n_expected)
{
  g_autofree char *dir = make_pack (edits);

  assert_problems (dir, NULL, expected, n_expected);
  remove_tree (dir);
}

static DigithekPack *
assert_valid (const char *dir,
              GPtrArray **warnings)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  DigithekPack *pack;

  pack = digithek_pack_load_full (dir, NULL, &problems, warnings, &error);
  dump (problems);
  g_assert_no_error (error);
  g_assert_nonnull (pack);
  g_assert_cmpuint (problems->len, ==, 0);
  return pack;
}

/* ---- the valid pack ---- */

static void
test_valid (void)
{
  g_autofree char *dir = make_pack (NULL);
  g_autofree char *manifest_path = g_build_filename (dir, "pack.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(DigithekPack) pack = assert_valid (dir, &warnings);
  g_auto(GStrv) files = NULL;
  const char * const expected_files[] = {
    "data/air.csv", "images/photo.png", "texts/intro.de.md", "texts/intro.en.md",
    "texts/step2.md", NULL
  };
  const char * const *languages;
  DigithekPackItem *item;
  DigithekPackStep *step;
  GBytes *bytes;
  gsize length;

  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpstr (digithek_pack_get_id (pack), ==, "test-pack");
  g_assert_cmpint (digithek_pack_get_version (pack), ==, 3);
  g_assert_true (g_path_is_absolute (digithek_pack_get_dir (pack)));
  g_assert_cmpstr (digithek_pack_get_publisher (pack), ==, "Stadt Konstanz");
  languages = digithek_pack_get_languages (pack);
  g_assert_cmpstr (languages[0], ==, "de");
  g_assert_cmpstr (languages[1], ==, "en");
  g_assert_cmpstr (languages[2], ==, "de-x-easy");
  g_assert_null (languages[3]);
  g_assert_cmpstr (digithek_text_map_lookup (digithek_pack_get_title (pack), "en", "de"), ==,
                   "Test pack");
  g_assert_cmpstr (digithek_text_map_lookup (digithek_pack_get_title (pack), "fr", "de"), ==,
                   "Testpaket");
  g_assert_cmpuint (digithek_pack_get_n_items (pack), ==, 4);
  g_assert_cmpuint (g_strv_length ((GStrv) digithek_pack_get_warnings (pack)), ==, 0);

  item = digithek_pack_get_item (pack, 0);
  g_assert_true (item == digithek_pack_find_item (pack, "air"));
  g_assert_cmpint (item->kind, ==, DIGITHEK_ITEM_DATASET);
  g_assert_cmpstr (digithek_text_map_lookup (item->title, "en", "de"), ==, "Air");
  g_assert_cmpstr (digithek_text_map_lookup (item->summary, "en", "de"), ==, "Messwerte");
  g_assert_cmpstr (item->image, ==, "images/photo.png");
  g_assert_cmpuint (g_strv_length (item->tags), ==, 2);
  g_assert_cmpstr (item->tags[1], ==, "umwelt");
  g_assert_cmpstr (item->web, ==, "https://example.de/air");
  g_assert_null (item->web_step);
  g_assert_cmpstr (item->data, ==, "data/air.csv");
  g_assert_cmpint (item->csv.delimiter, ==, ';');
  g_assert_cmpint (item->csv.decimal, ==, ',');
  g_assert_cmpint (item->csv.encoding, ==, DIGITHEK_CSV_ENCODING_UTF8);
  g_assert_cmpuint (item->csv.header_row, ==, 0);
  g_assert_cmpstr (item->chart_type, ==, "line");
  g_assert_cmpstr (item->chart_x, ==, "Zeit");
  g_assert_cmpuint (g_strv_length (item->chart_y), ==, 2);
  g_assert_cmpstr (item->chart_y[0], ==, "no2");
  g_assert_cmpstr (item->chart_y[1], ==, "pm10");
  g_assert_cmpstr (item->chart_unit, ==, "µg/m³");
  g_assert_cmpstr (item->source_name, ==, "LUBW");
  g_assert_cmpstr (item->source_license, ==, "dl-de/by-2-0");
  g_assert_cmpstr (item->source_url, ==, "https://www.lubw.de");

  item = digithek_pack_find_item (pack, "intro");
  g_assert_cmpint (item->kind, ==, DIGITHEK_ITEM_EXPLAINER);
  g_assert_null (item->summary);
  g_assert_null (item->image);
  g_assert_nonnull (item->tags);
  g_assert_null (item->tags[0]);
  g_assert_null (item->web);
  g_assert_cmpstr (digithek_text_map_lookup (item->title, "de-x-easy", "de"), ==, "Einfach");
  g_assert_cmpstr (digithek_text_map_lookup (item->body, "en", "de"), ==, "texts/intro.en.md");
  g_assert_cmpstr (digithek_text_map_lookup (item->body, "de-x-easy", "en"), ==,
                   "texts/intro.de.md");

  item = digithek_pack_find_item (pack, "ausweis");
  g_assert_cmpint (item->kind, ==, DIGITHEK_ITEM_GUIDE);
  g_assert_cmpstr (item->web_step, ==, "https://example.de/ausweis#schritt-{step}");
  g_assert_cmpuint (item->steps->len, ==, 2);
  step = g_ptr_array_index (item->steps, 0);
  g_assert_cmpstr (digithek_text_map_lookup (step->title, "de", "de"), ==, "Schritt eins");
  g_assert_cmpstr (digithek_text_map_lookup (step->body, "de", "de"), ==, "texts/intro.de.md");
  g_assert_cmpstr (step->image, ==, "images/photo.png");
  step = g_ptr_array_index (item->steps, 1);
  g_assert_null (step->image);

  item = digithek_pack_find_item (pack, "rundgang");
  g_assert_cmpint (item->kind, ==, DIGITHEK_ITEM_TOUR);
  g_assert_cmpuint (g_strv_length (item->stops), ==, 3);
  g_assert_cmpstr (item->stops[1], ==, "test-pack/intro");
  g_assert_null (digithek_pack_find_item (pack, "nothing"));

  files = digithek_pack_list_files (pack);
  g_assert_cmpstrv (files, expected_files);

  g_assert_true (g_file_get_contents (manifest_path, &contents, &length, NULL));
  bytes = digithek_pack_get_manifest_bytes (pack);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), contents, length);

  remove_tree (dir);
}

static void
test_ids_and_kinds (void)
{
  const char * const good[] = { "a", "0", "parking-konstanz", "a-", "x1-2-3", NULL };
  const char * const bad[] = { "", "-a", "A", "a_b", "a.b", "ä", "a b", NULL };
  g_autofree char *longest = g_strnfill (64, 'a');
  g_autofree char *too_long = g_strnfill (65, 'a');
  DigithekItemKind kind;
  guint i;

  for (i = 0; good[i] != NULL; i++)
    g_assert_true (digithek_pack_id_is_valid (good[i]));
  for (i = 0; bad[i] != NULL; i++)
    g_assert_false (digithek_pack_id_is_valid (bad[i]));
  g_assert_false (digithek_pack_id_is_valid (NULL));
  g_assert_true (digithek_pack_id_is_valid (longest));
  g_assert_false (digithek_pack_id_is_valid (too_long));

  g_assert_true (digithek_item_kind_from_string ("guide", &kind));
  g_assert_cmpint (kind, ==, DIGITHEK_ITEM_GUIDE);
  g_assert_false (digithek_item_kind_from_string ("video", &kind));
  g_assert_cmpstr (digithek_item_kind_to_string (DIGITHEK_ITEM_TOUR), ==, "tour");

  g_assert_true (digithek_language_code_is_valid ("de"));
  g_assert_true (digithek_language_code_is_valid ("de-x-easy"));
  g_assert_true (digithek_language_code_is_valid ("de-AT"));
  g_assert_false (digithek_language_code_is_valid ("german"));
  g_assert_false (digithek_language_code_is_valid ("DE"));
  g_assert_false (digithek_language_code_is_valid ("de_DE"));
  g_assert_false (digithek_language_code_is_valid ("de-"));
  g_assert_false (digithek_language_code_is_valid (""));
}

/* ---- the file as a whole ---- */

static void
test_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-pack-XXXXXX", &error);
  g_autofree char *nowhere = g_build_filename (dir, "nowhere", NULL);
  DigithekPack *pack;

  g_assert_no_error (error);
  pack = digithek_pack_load (dir, NULL, &problems, &error);
  g_assert_null (pack);
  g_assert_error (error, DIGITHEK_PACK_ERROR, DIGITHEK_PACK_ERROR_NOT_FOUND);
  g_assert_true (problems_contain (problems, "pack.json: (file): not found in "));
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);

  pack = digithek_pack_load (nowhere, NULL, &problems, &error);
  g_assert_null (pack);
  g_assert_error (error, DIGITHEK_PACK_ERROR, DIGITHEK_PACK_ERROR_NOT_FOUND);
  g_assert_true (problems_contain (problems, "is not a folder"));
  remove_tree (dir);
}

static void
check_manifest_text (const char *json,
                     gssize      length,
                     const char *expected)
{
  g_autofree char *dir = make_pack (NULL);
  const char * const lines[] = { expected, NULL };

  write_file (dir, "pack.json", json, length);
  assert_problems (dir, NULL, lines, 1);
  remove_tree (dir);
}

static void
test_malformed (void)
{
  g_autofree char *deep = g_strnfill (100000, '[');

  check_manifest_text ("{\n  \"format\": 1,\n  \"id\": }\n", -1,
                       "pack.json: line 3, column 9: not valid JSON: unexpected character `}'");
  check_manifest_text ("{\"format\": 1,}", -1, "pack.json: line 1, column");
  check_manifest_text ("", -1, "pack.json: (file): is empty");
  check_manifest_text ("  \n", -1, "pack.json: (file): is empty");
  check_manifest_text ("[1, 2]", -1,
                       "pack.json: (top level): must be a JSON object {\"format\": 1, …}, "
                       "not a list […]");
  check_manifest_text ("\"text\"", -1, "pack.json: (top level): must be a JSON object");
  check_manifest_text ("{\n\"id\": \"gr\xfc\xdf\"}", -1,
                       "pack.json: (file): not UTF-8 text: byte 0xFC at offset 11 (line 2)");
  check_manifest_text ("{\"id\": \"a\0b\"}", 13, "byte 0x00 at offset 9 (line 1)");
  /* json-glib would overflow its stack on this. */
  check_manifest_text (deep, -1, "pack.json: (file): objects and lists are nested more than "
                       "64 levels deep");
}

static void
test_wrong_types (void)
{
  /* One pack with every field of the wrong type: every one is reported. */
  const char * const edits[] = {
    "\"format\": 1", "\"format\": \"1\"",
    "\"id\": \"test-pack\"", "\"id\": 7",
    "\"version\": 3", "\"version\": [3]",
    "\"title\": {\"de\": \"Testpaket\", \"en\": \"Test pack\"}", "\"title\": \"Testpaket\"",
    "\"publisher\": \"Stadt Konstanz\"", "\"publisher\": true",
    "\"summary\": {\"de\": \"Messwerte\"}", "\"summary\": [\"Messwerte\"]",
    "\"image\": \"images/photo.png\",", "\"image\": 5,",
    "\"tags\": [\"luft\", \"umwelt\"]", "\"tags\": \"luft\"",
    "\"web\": \"https://example.de/air\"", "\"web\": null",
    "\"data\": \"data/air.csv\"", "\"data\": {}",
    "\"csv\": {\"delimiter\": \";\", \"decimal\": \",\", \"encoding\": \"UTF-8\"}",
    "\"csv\": \";\"",
    "\"unit\": \"µg/m³\"", "\"unit\": 3",
    "\"name\": \"LUBW\"", "\"name\": 1.5",
    "\"body\": {\"de\": \"texts/intro.de.md\", \"en\": \"./texts//intro.en.md\"}",
    "\"body\": \"texts/intro.de.md\"",
    "\"steps\": [", "\"steps\": {\"x\": [",
    "      ]\n    },\n    {\n      \"id\": \"rundgang\"",
    "      ]}\n    },\n    {\n      \"id\": \"rundgang\"",
    "\"stops\": [\"air\", \"test-pack/intro\", \"other-pack/thing\"]", "\"stops\": \"air\"",
    "\"items\": [", "\"items\": [42,",
    NULL
  };
  const char * const expected[] = {
    "pack.json: format: must be a whole number without quotes, not the text \"1\"",
    "pack.json: id: must be text in quotes, not a number",
    "pack.json: version: must be a whole number like 2, not a list […]",
    "pack.json: title: must be an object with a text per language",
    "pack.json: publisher: must be text in quotes, not true/false",
    "pack.json: items[0]: must be an object {…} describing an item, not a number",
    "pack.json: items[1].summary: must be an object with a text per language, like "
    "{\"de\": \"…\", \"en\": \"…\"}, not a list […]",
    "pack.json: items[1].image: must be a file path in quotes, not a number",
    "pack.json: items[1].tags: must be a list […], not text",
    "pack.json: items[1].web: must be text in quotes, not null",
    "pack.json: items[1].data: must be a file path in quotes, not an object {…}",
    "pack.json: items[1].csv: must be an object {…}, not text",
    "pack.json: items[1].chart.unit: must be text in quotes, not a number",
    "pack.json: items[1].source.name: must be text in quotes, not a number",
    "pack.json: items[2].body: must be an object with a file per language",
    "pack.json: items[3].steps: must be a list […], not an object {…}",
    "pack.json: items[4].stops: must be a list […], not text",
    NULL
  };

  check_variant (edits, expected, 17);
}

static void
test_format (void)
{
  const char * const edits[] = { "\"format\": 1", "\"format\": 2", NULL };
  const char * const expected[] = {
    "pack.json: format: is 2, but this kiosk reads format 1 only; write \"format\": 1", NULL
  };
  const char * const edits_missing[] = { "\"format\": 1,", "", NULL };
  const char * const expected_missing[] = {
    "pack.json: format: is missing; this field is required", NULL
  };

  check_variant (edits, expected, 1);
  check_variant (edits_missing, expected_missing, 1);
}

static void
test_kind (void)
{
  const char * const edits[] = { "\"kind\": \"tour\"", "\"kind\": \"video\"", NULL };
  const char * const expected[] = {
    "pack.json: items[3].kind: unknown kind \"video\"; use \"dataset\", \"explainer\", "
    "\"guide\" or \"tour\"",
    NULL
  };

  check_variant (edits, expected, 1);
}

static void
test_id_patterns (void)
{
  const char * const edits[] = {
    "\"id\": \"test-pack\"", "\"id\": \"Test_Pack\"",
    "\"id\": \"air\"", "\"id\": \"-air\"",
    "\"id\": \"intro\"",
    "\"id\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
    "\"stops\": [\"air\", \"test-pack/intro\", ", "\"stops\": [",
    NULL
  };
  const char * const expected[] = {
    "pack.json: id: \"Test_Pack\" is not a valid id; use lower-case letters a-z, digits and "
    "\"-\", starting with a letter or digit, at most 64 characters",
    "pack.json: items[0].id: \"-air\" is not a valid id",
    "pack.json: items[1].id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\" is not a valid id",
    NULL
  };

  check_variant (edits, expected, 3);
}

static void
test_duplicate_ids (void)
{
  const char * const edits[] = { "\"id\": \"ausweis\"", "\"id\": \"air\"", NULL };
  const char * const expected[] = {
    "pack.json: items[2].id: \"air\" is already the id of items[0]; item ids must be unique "
    "in a pack",
    NULL
  };

  check_variant (edits, expected, 1);
}

static void
test_version (void)
{
  const struct { const char *value; const char *expected; } cases[] = {
    { "1.5", "pack.json: version: must be a whole number like 2, not 1.5" },
    { "\"2\"", "pack.json: version: must be a whole number without quotes, not the text \"2\"" },
    { "0", "pack.json: version: must be a whole number from 1 up, not 0" },
    { "-1", "pack.json: version: must be a whole number from 1 up, not -1" },
    { "1e3", "pack.json: version: must be a whole number like 2, not 1000" },
    { "99999999999999999999", "pack.json: version: is too large a number" },
    { "9223372036854775808", "pack.json: version: is too large a number" },
    { "-9223372036854775809", "pack.json: version: is too large a number" },
    { "010", "pack.json: version: 010 is not a JSON number" },
    { "null", "pack.json: version: must be a whole number like 2, not null" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *replacement = g_strdup_printf ("\"version\": %s", cases[i].value);
      const char * const edits[] = { "\"version\": 3", replacement, NULL };
      const char * const expected[] = { cases[i].expected, NULL };

      check_variant (edits, expected, 1);
    }
  {
    g_autofree char *dir = make_pack ((const char * const[]) {
      "\"version\": 3", "\"version\": 9223372036854775807", NULL });
    g_autoptr(DigithekPack) pack = assert_valid (dir, NULL);

    g_assert_cmpint (digithek_pack_get_version (pack), ==, G_MAXINT64);
    remove_tree (dir);
  }
}

static void
test_languages (void)
{
  const struct { const char *value; const char *expected; } cases[] = {
    { "[]", "pack.json: languages: is empty; list at least one language code" },
    { "\"de\"", "pack.json: languages: must be a list […], not text" },
    { "[\"de\", 5]", "pack.json: languages[1]: must be a language code in quotes like \"de\", "
      "not a number" },
    { "[\"de\", \"en\", \"de\"]", "pack.json: languages[2]: \"de\" is listed twice" },
    { "[\"german\"]", "pack.json: languages[0]: \"german\" is not a language code; write codes "
      "like \"de\", \"en\" or \"de-x-easy\"" },
    { "[\"de_DE\"]", "pack.json: languages[0]: \"de_DE\" is not a language code" },
  };
  const char * const edits_missing[] = {
    "\"languages\": [\"de\", \"en\", \"de-x-easy\"],", "", NULL
  };
  const char * const expected_missing[] = {
    "pack.json: languages: is missing; this field is required", NULL
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *replacement = g_strdup_printf ("\"languages\": %s", cases[i].value);
      const char * const edits[] = {
        "\"languages\": [\"de\", \"en\", \"de-x-easy\"]", replacement, NULL
      };
      const char * const expected[] = { cases[i].expected, NULL };

      check_variant (edits, expected, 0);
    }
  check_variant (edits_missing, expected_missing, 1);
}

static void
test_text_maps (void)
{
  const char * const edits[] = {
    "\"title\": {\"de\": \"Testpaket\", \"en\": \"Test pack\"}", "\"title\": {\"en\": \"Test\"}",
    "\"title\": {\"de\": \"Luft\", \"en\": \"Air\"}", "\"title\": {\"de\": \"Luft\", \"en\": 3}",
    "\"summary\": {\"de\": \"Messwerte\"}", "\"summary\": {\"de\": \"  \"}",
    "\"title\": {\"de\": \"Rundgang\"}", "\"title\": {\"de\": \"Rundgang\", \"fr\": \"Tour\", "
    "\"_note\": 5}",
    NULL
  };
  const char * const expected[] = {
    "pack.json: title: has no \"de\" entry; every text needs one in \"de\", the pack's first "
    "language",
    "pack.json: items[0].title.en: must be text in quotes, not a number",
    "pack.json: items[0].summary.de: is empty; write the text or remove this language",
    NULL
  };
  g_autofree char *dir = make_pack (edits);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  DigithekPack *pack;

  assert_problems (dir, NULL, expected, 3);
  pack = digithek_pack_load_full (dir, NULL, NULL, &warnings, &error);
  g_assert_null (pack);
  g_assert_true (problems_contain (warnings, "pack.json: items[3].title.fr: language \"fr\" "
                                   "is not in the pack's \"languages\", ignored"));
  g_assert_cmpuint (warnings->len, ==, 1);
  remove_tree (dir);
}

static void
test_required (void)
{
  const char * const edits[] = {
    "\"title\": {\"de\": \"Testpaket\", \"en\": \"Test pack\"},", "",
    "\"data\": \"data/air.csv\",", "",
    "\"license\": \"dl-de/by-2-0\", ", "",
    "\"body\": {\"de\": \"texts/intro.de.md\", \"en\": \"./texts//intro.en.md\"}",
    "\"_body\": 1",
    "\"stops\": [\"air\", \"test-pack/intro\", \"other-pack/thing\"]", "\"stops\": []",
    NULL
  };
  const char * const expected[] = {
    "pack.json: title: is missing; this field is required",
    "pack.json: items[0].data: is missing; this field is required",
    "pack.json: items[0].source.license: is missing; this field is required",
    "pack.json: items[1].body: is missing; this field is required",
    "pack.json: items[3].stops: is empty; a tour needs at least one stop",
    NULL
  };
  const char * const edits2[] = {
    "\"chart\": {\"type\": \"line\", \"x\": \"Zeit\", \"y\": [\"no2\", \"pm10\"], "
    "\"unit\": \"µg/m³\"},", "",
    "\"source\": {\"name\": \"LUBW\", \"license\": \"dl-de/by-2-0\", "
    "\"url\": \"https://www.lubw.de\"}", "\"_source\": 0",
    "\"steps\": [", "\"steps\": [], \"_steps\": [",
    "\"id\": \"rundgang\",", "",
    NULL
  };
  const char * const expected2[] = {
    "pack.json: items[0].chart: is missing; this field is required",
    "pack.json: items[0].source: is missing; this field is required",
    "pack.json: items[2].steps: is empty; a guide needs at least one step",
    "pack.json: items[3].id: is missing; this field is required",
    NULL
  };
  const char * const edits3[] = {
    "\"items\": [", "\"items\": [], \"_items\": [", NULL
  };
  const char * const expected3[] = {
    "pack.json: items: is empty; a pack needs at least one item", NULL
  };
  g_autofree char *dir = g_dir_make_tmp ("test-pack-XXXXXX", NULL);
  const char * const expected4[] = {
    "pack.json: format: is missing", "pack.json: id: is missing",
    "pack.json: version: is missing", "pack.json: title: is missing",
    "pack.json: languages: is missing", "pack.json: items: is missing", NULL
  };

  check_variant (edits, expected, 5);
  check_variant (edits2, expected2, 4);
  check_variant (edits3, expected3, 1);
  write_file (dir, "pack.json", "{}", -1);
  assert_problems (dir, NULL, expected4, 6);
  remove_tree (dir);
}

/* ---- files ---- */

static void
test_paths (void)
{
  const char * const edits[] = {
    "\"image\": \"images/photo.png\",", "\"image\": \"/etc/passwd\",",
    "\"body\": {\"de\": \"texts/intro.de.md\", \"en\": \"./texts//intro.en.md\"}",
    "\"body\": {\"de\": \"texts/../../intro.de.md\", \"en\": \"texts\\\\intro.en.md\"}",
    "\"image\": \"images/photo.png\"}", "\"image\": \"\"}",
    "\"body\": {\"de\": \"texts/step2.md\"}", "\"body\": {\"de\": \"texts/missing.md\"}",
    NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].image: is an absolute path; write it relative to the pack folder",
    "pack.json: items[1].body.de: goes up with \"..\"; every file must be inside the pack "
    "folder",
    "pack.json: items[1].body.en: contains a backslash (\\); separate folders with /",
    "pack.json: items[2].steps[0].image: is empty; write the path of a file in the pack folder",
    "pack.json: items[2].steps[1].body.de: file \"texts/missing.md\" not found in the pack "
    "folder; check the name (upper and lower case count)",
    NULL
  };

  check_variant (edits, expected, 5);
}

static void
test_special_files (void)
{
  const char * const edits[] = {
    "\"image\": \"images/photo.png\",", "\"image\": \"images/outside.png\",",
    "\"body\": {\"de\": \"texts/intro.de.md\", \"en\": \"./texts//intro.en.md\"}",
    "\"body\": {\"de\": \"texts\", \"en\": \"texts/fifo.md\"}",
    "\"body\": {\"de\": \"texts/step2.md\"}", "\"body\": {\"de\": \"texts/dangling.md\"}",
    "\"image\": \"images/photo.png\"}", "\"image\": \"images/inside.png\"}",
    NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].image: file \"images/outside.png\" is a link leading outside the "
    "pack folder; copy the file itself into the pack",
    "pack.json: items[1].body.de: \"texts\" is a folder, not a file",
    "pack.json: items[1].body.en: \"texts/fifo.md\" is not an ordinary file (a device, pipe "
    "or socket)",
    "pack.json: items[2].steps[1].body.de: file \"texts/dangling.md\" is a link to something "
    "that does not exist",
    NULL
  };
  g_autofree char *dir = make_pack (edits);
  g_autofree char *outside_dir = g_dir_make_tmp ("test-pack-outside-XXXXXX", NULL);
  g_autofree char *outside = g_build_filename (outside_dir, "photo.png", NULL);
  g_autofree char *link = g_build_filename (dir, "images", "outside.png", NULL);
  g_autofree char *inside = g_build_filename (dir, "images", "inside.png", NULL);
  g_autofree char *dangling = g_build_filename (dir, "texts", "dangling.md", NULL);
  g_autofree char *fifo = g_build_filename (dir, "texts", "fifo.md", NULL);

  write_png (outside_dir, "photo.png", 2, 2);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  /* A link that stays inside the folder is fine. */
  g_assert_cmpint (symlink ("photo.png", inside), ==, 0);
  g_assert_cmpint (symlink ("nothing.md", dangling), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  assert_problems (dir, NULL, expected, 4);
  remove_tree (dir);
  remove_tree (outside_dir);
}

static void
test_limits (void)
{
  g_autofree char *dir = make_pack (NULL);
  g_autofree char *csv_path = g_build_filename (dir, "data", "air.csv", NULL);
  g_autofree char *message = NULL;
  DigithekPackLimits limits;
  struct stat st;
  const char *expected[] = { NULL, NULL };

  GString *csv = g_string_new (valid_csv);
  guint i;

  /* Larger than pack.json, which has to fit the same limit. */
  for (i = 0; i < 200; i++)
    g_string_append_printf (csv, "2026-11-28 %02u:%02u;1;2\n", i / 60, i % 60);
  write_file (dir, "data/air.csv", csv->str, csv->len);
  g_string_free (csv, TRUE);
  g_assert_cmpint (stat (csv_path, &st), ==, 0);
  digithek_pack_limits_init_default (&limits);
  g_assert_cmpuint (limits.max_file_size, ==, 64 * 1024 * 1024);
  g_assert_cmpuint (limits.max_pack_size, ==, G_GUINT64_CONSTANT (1) << 30);
  g_assert_cmpuint (limits.max_image_side, ==, 8192);

  limits.max_file_size = st.st_size - 1;
  message = g_strdup_printf ("pack.json: items[0].data: file \"data/air.csv\" is too large "
                             "(4.2\u00a0KiB (%u bytes)); a file may have at most 4.2\u00a0KiB "
                             "(%u bytes), make it smaller or split it",
                             (guint) st.st_size, (guint) st.st_size - 1);
  expected[0] = message;
  assert_problems (dir, &limits, expected, 1);

  digithek_pack_limits_init_default (&limits);
  limits.max_pack_size = st.st_size + 100;
  expected[0] = "pack.json: (files): the files of this pack add up to";
  assert_problems (dir, &limits, expected, 1);

  digithek_pack_limits_init_default (&limits);
  limits.max_image_side = 3;
  expected[0] = "pack.json: items[0].image: image \"images/photo.png\" is 4×3 pixels; images "
                "may be at most 3 pixels wide and high, scale it down";
  assert_problems (dir, &limits, expected, 2);
  remove_tree (dir);
}

static void
test_images (void)
{
  const char * const edits[] = {
    "\"image\": \"images/photo.png\",", "\"image\": \"images/garbage.png\",",
    "\"image\": \"images/photo.png\"}", "\"image\": \"images/truncated.png\"}",
    NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].image: image \"images/garbage.png\" is not in a format the kiosk can "
    "show; save it as PNG or JPEG",
    "pack.json: items[2].steps[0].image: image \"images/truncated.png\" does not decode",
    NULL
  };
  g_autofree char *dir = make_pack (edits);
  g_autofree char *photo = g_build_filename (dir, "images", "photo.png", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  write_png (dir, "images/big.png", 64, 64);
  g_free (photo);
  photo = g_build_filename (dir, "images", "big.png", NULL);
  g_assert_true (g_file_get_contents (photo, &contents, &length, NULL));
  write_file (dir, "images/truncated.png", contents, length / 2);
  write_file (dir, "images/garbage.png", "this is no image at all", -1);
  assert_problems (dir, NULL, expected, 2);
  remove_tree (dir);
}

static void
test_markdown_utf8 (void)
{
  g_autofree char *dir = make_pack (NULL);
  const char * const expected[] = {
    "pack.json: items[2].steps[1].body.de: file \"texts/step2.md\" is not UTF-8 text: byte "
    "0xFC at offset 12 (line 2) is not valid UTF-8; save the file as UTF-8",
    NULL
  };

  write_file (dir, "texts/step2.md", "# Schritt\nGr\xfc\xdf Gott\n", -1);
  assert_problems (dir, NULL, expected, 1);
  remove_tree (dir);
}

static void
test_web (void)
{
  const char * const edits[] = {
    "\"web\": \"https://example.de/air\"", "\"web\": \"ftp://example.de/air\"",
    "\"web\": \"https://example.de/ausweis\"", "\"web\": \"example.de/ausweis\"",
    "\"web_step\": \"https://example.de/ausweis#schritt-{step}\"",
    "\"web_step\": \"https://example.de/ausweis#schritt\"",
    "\"url\": \"https://www.lubw.de\"", "\"url\": \"https://\"",
    NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].web: must be a web address starting with https:// or http://, not a "
    "ftp: address",
    "pack.json: items[2].web: is not a valid web address",
    "pack.json: items[2].web_step: must contain {step} where the step number goes",
    "pack.json: items[0].source.url: has no host name",
    NULL
  };
  const char * const edits2[] = {
    "\"web_step\": \"https://example.de/ausweis#schritt-{step}\"",
    "\"web_step\": \"mailto:{step}@example.de\"",
    NULL
  };
  const char * const expected2[] = {
    "pack.json: items[2].web_step: with {step} replaced by 1 must be a web address starting "
    "with https:// or http://, not a mailto: address",
    NULL
  };

  check_variant (edits, expected, 4);
  check_variant (edits2, expected2, 1);
}

/* ---- CSV ---- */

static void
check_csv_variant (const char * const *edits,
                   const char         *csv,
                   const char * const *expected,
                   guint               n_expected)
{
  g_autofree char *dir = make_pack (edits);

  if (csv != NULL)
    write_file (dir, "data/air.csv", csv, -1);
  assert_problems (dir, NULL, expected, n_expected);
  remove_tree (dir);
}

static void
test_csv_header (void)
{
  const char * const no_header[] = {
    "pack.json: items[0].data: \"data/air.csv\" has no header row; its first line must name "
    "the columns",
    NULL
  };
  const char * const edits[] = {
    "\"type\": \"line\"", "\"type\": \"pie\"",
    "\"x\": \"Zeit\"", "\"x\": \"Datum\"",
    "\"y\": [\"no2\", \"pm10\"]", "\"y\": [\"no2\", \"Lago\", 4]",
    NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].chart.type: must be \"line\" or \"bar\", not \"pie\"",
    "pack.json: items[0].chart.y[2]: must be a column name in quotes, not a number",
    NULL
  };
  const char * const edits2[] = {
    "\"x\": \"Zeit\"", "\"x\": \"Datum\"",
    "\"y\": [\"no2\", \"pm10\"]", "\"y\": [\"no2\", \"Lago\"]",
    NULL
  };
  const char * const expected2[] = {
    "pack.json: items[0].chart.x: column \"Datum\" is not in the header of data/air.csv (its "
    "columns are \"Zeit\", \"no2\", \"pm10\")",
    "pack.json: items[0].chart.y[1]: column \"Lago\" is not in the header of data/air.csv",
    NULL
  };
  const char * const edits3[] = { "\"y\": [\"no2\", \"pm10\"]", "\"y\": []", NULL };
  const char * const expected3[] = {
    "pack.json: items[0].chart.y: is empty; name at least one column to draw", NULL
  };

  check_csv_variant (NULL, "", no_header, 1);
  check_csv_variant (edits, NULL, expected, 2);
  check_csv_variant (edits2, NULL, expected2, 2);
  check_csv_variant (edits3, NULL, expected3, 1);
}

/* chart.labels: a text map per series, for columns of chart.y only. */
static void
test_series_labels (void)
{
  const char * const good[] = {
    "\"unit\": \"µg/m³\"}",
    "\"unit\": \"µg/m³\", \"labels\": {\"no2\": {\"de\": \"Stickstoffdioxid (NO₂)\", "
    "\"en\": \"Nitrogen dioxide (NO₂)\"}}}",
    NULL
  };
  const char * const bad[] = {
    "\"unit\": \"µg/m³\"}",
    "\"unit\": \"µg/m³\", \"labels\": {\"Lago\": {\"de\": \"Lago\"}, \"pm10\": \"Feinstaub\"}}",
    NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].chart.labels.Lago: \"Lago\" is not one of the columns in chart.y",
    "pack.json: items[0].chart.labels.pm10: must be an object with a text per language",
    NULL
  };
  g_autofree char *dir = make_pack (good);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekPack) pack = NULL;

  pack = digithek_pack_load (dir, NULL, &problems, &error);
  dump (problems);
  g_assert_no_error (error);
  g_assert_nonnull (pack);
  remove_tree (dir);

  check_csv_variant (bad, NULL, expected, 2);
}

static void
test_csv_numbers (void)
{
  const char csv[] =
    "Zeit;no2;pm10\n"
    "2026-11-27 10:00;1,5;abc\n"
    "2026-11-27 11:00;;x1\n"
    "2026-11-27 12:00;2;x2\n"
    "2026-11-27 13:00;3;x3\n"
    "2026-11-27 14:00;4;x4\n"
    "2026-11-27 15:00;zwölf;x5\n"
    "2026-11-27 16:00;5;x6\n"
    "2026-11-27 17:00\n";
  const char * const expected[] = {
    "pack.json: items[0].chart.y[1]: data/air.csv line 2: \"abc\" in column \"pm10\" is not a "
    "number; correct it or leave the cell empty",
    "pack.json: items[0].chart.y[1]: data/air.csv line 6: \"x4\" in column \"pm10\"",
    "pack.json: items[0].chart.y[1]: … and 2 more cells in column \"pm10\" of data/air.csv are "
    "not numbers",
    "pack.json: items[0].chart.y[0]: data/air.csv line 7: \"zwölf\" in column \"no2\" is not a "
    "number",
    NULL
  };

  check_csv_variant (NULL, csv, expected, 7);
}

static void
test_csv_x (void)
{
  const char csv[] =
    "Zeit;no2;pm10\n"
    "27.11.2026;1;2\n"
    "28.11.2026;1;2\n"
    "31.02.2026;1;2\n"
    ";1;2\n"
    "01.12.2026;1;2\n";
  const char * const expected[] = {
    "pack.json: items[0].chart.x: data/air.csv line 4: \"31.02.2026\" in column \"Zeit\" is "
    "not a valid date or time, though the other cells are; correct it",
    "pack.json: items[0].chart.x: data/air.csv line 5: the cell in column \"Zeit\" is empty; "
    "every row needs an x value",
    NULL
  };
  const char categories[] =
    "Zeit;no2;pm10\n"
    "Altstadt;1;2\n"
    "Paradies;1;2\n"
    "2026-11-27;1;2\n";
  g_autofree char *dir = make_pack (NULL);
  g_autoptr(DigithekPack) pack = NULL;

  check_csv_variant (NULL, csv, expected, 2);

  /* Labels may be anything, even one that looks like a date. */
  write_file (dir, "data/air.csv", categories, -1);
  pack = assert_valid (dir, NULL);
  remove_tree (dir);
}

static void
test_csv_settings (void)
{
  const char * const edits[] = {
    "\"csv\": {\"delimiter\": \";\", \"decimal\": \",\", \"encoding\": \"UTF-8\"}",
    "\"csv\": {\"delimiter\": \";;\", \"decimal\": \":\", \"encoding\": \"latin9\", "
    "\"header_row\": 0, \"first_data_row\": 1.5, \"delimitr\": 1}",
    NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].csv.delimiter: must be exactly one character, like \";\", \",\" or "
    "\"\\t\", not \";;\"",
    "pack.json: items[0].csv.decimal: must be \".\" or \",\" (the decimal mark of the numbers)",
    "pack.json: items[0].csv.encoding: unknown encoding \"latin9\"; use \"UTF-8\", "
    "\"ISO-8859-1\" or \"Windows-1252\"",
    "pack.json: items[0].csv.header_row: must be a whole number from 1 up, not 0",
    "pack.json: items[0].csv.first_data_row: must be a whole number like 2, not 1.5",
    NULL
  };
  const char * const edits2[] = {
    "\"csv\": {\"delimiter\": \";\", \"decimal\": \",\", \"encoding\": \"UTF-8\"}",
    "\"csv\": {\"delimiter\": \",\", \"decimal\": \",\", \"header_row\": 2, "
    "\"first_data_row\": 2}",
    NULL
  };
  const char * const expected2[] = {
    "pack.json: items[0].csv.decimal: cannot be the same character as the delimiter",
    "pack.json: items[0].csv.first_data_row: must come after the header row (2), not 2",
    NULL
  };

  check_variant (edits, expected, 5);
  check_variant (edits2, expected2, 2);
}

static void
test_csv_rows (void)
{
  /* Lines above the header and a units line below it, as in real exports. */
  const char csv[] =
    "# Messstation Konstanz\n"
    "Zeit;no2;pm10\n"
    "-;µg/m³;µg/m³\n"
    "27.11.2026 14:00;19,5;17\n"
    "27.11.2026 15:00;20;18\n";
  const char * const edits[] = {
    "\"encoding\": \"UTF-8\"}", "\"encoding\": \"UTF-8\", \"header_row\": 2, "
    "\"first_data_row\": 4}",
    NULL
  };
  g_autofree char *dir = make_pack (edits);
  g_autoptr(DigithekPack) pack = NULL;
  DigithekPackItem *item;

  write_file (dir, "data/air.csv", csv, -1);
  pack = assert_valid (dir, NULL);
  item = digithek_pack_get_item (pack, 0);
  g_assert_cmpuint (item->csv.header_row, ==, 2);
  g_assert_cmpuint (item->csv.first_data_row, ==, 4);
  remove_tree (dir);
}

static void
test_source_license (void)
{
  const char * const edits[] = {
    "\"license\": \"dl-de/by-2-0\"", "\"license\": \"\"", NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].source.license: is empty; write a value or remove the field", NULL
  };

  check_variant (edits, expected, 1);
}

static void
test_tour_stops (void)
{
  const char * const edits[] = {
    "\"stops\": [\"air\", \"test-pack/intro\", \"other-pack/thing\"]",
    "\"stops\": [\"nothere\", \"test-pack/nothere\", \"Other/x\", \"ausweis\", \"a/b/c\"]",
    NULL
  };
  const char * const expected[] = {
    "pack.json: items[3].stops[0]: stop \"nothere\" is not an item of this pack; check the "
    "id, or write \"pack-id/nothere\" for an item of another pack",
    "pack.json: items[3].stops[1]: stop \"test-pack/nothere\" names this pack, but it has no "
    "item \"nothere\"",
    "pack.json: items[3].stops[2]: \"Other/x\" is not a valid stop",
    "pack.json: items[3].stops[4]: \"a/b/c\" is not a valid stop",
    NULL
  };

  check_variant (edits, expected, 4);
}

static void
test_tags (void)
{
  const char * const edits[] = {
    "\"tags\": [\"luft\", \"umwelt\"]", "\"tags\": [\"luft\", 3, {}]", NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].tags[1]: must be text in quotes, not a number",
    "pack.json: items[0].tags[2]: must be text in quotes, not an object {…}",
    NULL
  };

  check_variant (edits, expected, 2);
}

static void
test_json_details (void)
{
  const char * const edits[] = {
    "\"publisher\": \"Stadt Konstanz\",", "\"publisher\": \"A\", \"publisher\": \"B\",",
    "\"format\": 1", "\"format\": 0x1",
    NULL
  };
  const char * const expected[] = {
    "pack.json: publisher: appears twice in the same object; only the last one would count",
    "pack.json: format: 0x1 is not a JSON number",
    NULL
  };

  check_variant (edits, expected, 2);
}

/* ---- warnings ---- */

static void
test_unknown_fields (void)
{
  const char * const edits[] = {
    "\"summary\": {\"de\": \"Messwerte\"}", "\"sumary\": {\"de\": \"Messwerte\"}",
    "\"publisher\": \"Stadt Konstanz\",", "\"publisher\": \"Stadt Konstanz\", \"colour\": 1, "
    "\"_note\": {\"anything\": [1]},",
    "\"kind\": \"explainer\",", "\"kind\": \"explainer\", \"steps\": [],",
    "\"unit\": \"µg/m³\"", "\"unit\": \"µg/m³\", \"Type\": \"bar\"",
    NULL
  };
  const char * const expected[] = {
    "pack.json: items[0].sumary: unknown field, ignored (did you mean \"summary\"?)",
    "pack.json: colour: unknown field, ignored",
    "pack.json: items[1].steps: field not used by explainer items, ignored",
    "pack.json: items[0].chart.Type: unknown field, ignored (did you mean \"type\"?)",
    NULL
  };
  g_autofree char *dir = make_pack (edits);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(DigithekPack) pack = assert_valid (dir, &warnings);
  const char * const *stored = digithek_pack_get_warnings (pack);
  guint i;

  dump (warnings);
  for (i = 0; expected[i] != NULL; i++)
    g_assert_true (problems_contain (warnings, expected[i]));
  g_assert_cmpuint (warnings->len, ==, 4);
  g_assert_cmpuint (g_strv_length ((GStrv) stored), ==, 4);
  g_assert_null (digithek_pack_get_item (pack, 0)->summary);
  remove_tree (dir);
}

static void
test_many_problems (void)
{
  /* Problems of every layer in one pack: all of them are reported. */
  const char * const edits[] = {
    "\"version\": 3", "\"version\": 0",
    "\"id\": \"air\"", "\"id\": \"intro\"",
    "\"image\": \"images/photo.png\",", "\"image\": \"../photo.png\",",
    "\"y\": [\"no2\", \"pm10\"]", "\"y\": [\"no2\", \"Lago\"]",
    "\"kind\": \"tour\"", "\"kind\": \"tours\"",
    NULL
  };
  const char * const expected[] = {
    "pack.json: version: must be a whole number from 1 up, not 0",
    "pack.json: items[1].id: \"intro\" is already the id of items[0]",
    "pack.json: items[0].image: goes up with \"..\"",
    "pack.json: items[0].chart.y[1]: column \"Lago\" is not in the header of data/air.csv",
    "pack.json: items[3].kind: unknown kind \"tours\"",
    NULL
  };

  check_variant (edits, expected, 5);
}

/* ---- real data ---- */

static void
test_realdata (void)
{
  const char *realdata = g_getenv ("REALDATA_DIR");
  g_autofree char *source = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  gsize length;
  /* The dataset sits at items[3], as in DESIGN.md's example message. */
  const char json[] =
    "{\"format\": 1, \"id\": \"luft-konstanz\", \"version\": 1, \"languages\": [\"de\"],\n"
    " \"title\": {\"de\": \"Luft in Konstanz\"},\n"
    " \"items\": [\n"
    "  {\"id\": \"a\", \"kind\": \"explainer\", \"title\": {\"de\": \"A\"}, "
    "\"body\": {\"de\": \"a.md\"}},\n"
    "  {\"id\": \"b\", \"kind\": \"explainer\", \"title\": {\"de\": \"B\"}, "
    "\"body\": {\"de\": \"a.md\"}},\n"
    "  {\"id\": \"c\", \"kind\": \"tour\", \"title\": {\"de\": \"C\"}, \"stops\": [\"d\"]},\n"
    "  {\"id\": \"d\", \"kind\": \"dataset\", \"title\": {\"de\": \"Stundenwerte\"},\n"
    "   \"data\": \"data/parking.csv\",\n"
    "   \"chart\": {\"type\": \"line\", \"x\": \"startZeit\", \"y\": [\"no2\", \"pm10\"]},\n"
    "   \"source\": {\"name\": \"LUBW\", \"license\": \"dl-de/by-2-0\"}}\n"
    " ]}\n";
  g_autofree char *lago = replace_once (json, "[\"no2\", \"pm10\"]", "[\"Lago\", \"pm10\"]");
  const char * const expected[] = {
    "pack.json: items[3].chart.y[0]: column \"Lago\" is not in the header of data/parking.csv",
    NULL
  };

  if (realdata == NULL)
    {
      g_test_skip ("REALDATA_DIR is not set");
      return;
    }
  source = g_build_filename (realdata, "airquality", "lubw_konstanz_Auszug_Stundenwerte.csv",
                             NULL);
  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  dir = g_dir_make_tmp ("test-pack-XXXXXX", NULL);
  write_file (dir, "data/parking.csv", contents, length);
  write_file (dir, "a.md", "Luft.\n", -1);
  write_file (dir, "pack.json", json, -1);
  pack = assert_valid (dir, NULL);
  g_assert_cmpstr (digithek_pack_get_item (pack, 3)->chart_x, ==, "startZeit");

  write_file (dir, "pack.json", lago, -1);
  assert_problems (dir, NULL, expected, 1);
  remove_tree (dir);
}

static void
test_json_text_map (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *map;

  json_parser_load_from_data (parser,
                              "{\"_comment\": \"x\", \"de\": \"Straße\", \"en\": \"Street\","
                              " \"fr\": 3}", -1, &error);
  g_assert_no_error (error);
  map = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (digithek_json_text_map_lookup (map, "en", "de"), ==, "Street");
  /* Easy German falls back to German, then to the pack's first language. */
  g_assert_cmpstr (digithek_json_text_map_lookup (map, "de-x-easy", "en"), ==, "Straße");
  g_assert_cmpstr (digithek_json_text_map_lookup (map, "it", "en"), ==, "Street");
  /* A value that is not text never counts; comments are never texts. */
  g_assert_cmpstr (digithek_json_text_map_lookup (map, "fr", NULL), ==, "Straße");
  g_assert_cmpstr (digithek_json_text_map_lookup (map, NULL, NULL), ==, "Straße");
  g_assert_null (digithek_json_text_map_lookup (NULL, "de", "de"));
}

/* Which members name files is known twice until the validator walks with
 * digithek-pack-paths too: the validator's typed parse (digithek_pack_list_files()) and
 * the walker that publish, manifests, the importer and the phone pages use. They must
 * find the same files in every pack there is. */
static gboolean
collect_path_cb (JsonObject  *parent,
                 const char  *member,
                 const char  *where,
                 gpointer     user_data,
                 GError     **error)
{
  const char *path = json_object_get_string_member_with_default (parent, member, NULL);

  g_assert_nonnull (path);
  g_hash_table_add (user_data, g_strdup (path));
  return TRUE;
}

static guint
check_walker_agrees (const char *pack_dir)
{
  g_autofree char *pack_json = g_build_filename (pack_dir, "pack.json", NULL);
  g_autofree char *name = g_path_get_basename (pack_dir);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) walked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) listed = NULL;

  if (!g_file_test (pack_json, G_FILE_TEST_EXISTS))
    return 0;
  pack = digithek_pack_load (pack_dir, NULL, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pack);
  listed = digithek_pack_list_files (pack);

  g_assert_true (json_parser_load_from_file (parser, pack_json, NULL));
  g_assert_true (digithek_pack_walk_paths (json_parser_get_root (parser), name, G_IO_ERROR,
                                           G_IO_ERROR_INVALID_DATA, collect_path_cb, walked,
                                           &error));
  g_assert_no_error (error);

  g_test_message ("%s: %u files", name, g_strv_length (listed));
  g_assert_cmpuint (g_hash_table_size (walked), ==, g_strv_length (listed));
  for (guint i = 0; listed[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (walked, listed[i]));
  return 1;
}

static void
test_walker_agrees (void)
{
  g_autofree char *template = g_test_build_filename (G_TEST_DIST, "..", "app", "data",
                                                     "init-template", NULL);
  g_autoptr(GDir) dir = g_dir_open (g_getenv ("DEMO_DIR"), 0, NULL);
  const char *name;
  guint n_packs;

  g_assert_nonnull (dir);
  n_packs = check_walker_agrees (template);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *pack_dir = g_build_filename (g_getenv ("DEMO_DIR"), name, NULL);

      n_packs += check_walker_agrees (pack_dir);
    }
  /* The staff tool's example and the three demo packs. */
  g_assert_cmpuint (n_packs, >=, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/content/pack/valid", test_valid);
  g_test_add_func ("/content/pack/walker-agrees", test_walker_agrees);
  g_test_add_func ("/content/pack/series-labels", test_series_labels);
  g_test_add_func ("/content/pack/ids-and-kinds", test_ids_and_kinds);
  g_test_add_func ("/content/pack/missing", test_missing);
  g_test_add_func ("/content/pack/malformed", test_malformed);
  g_test_add_func ("/content/pack/wrong-types", test_wrong_types);
  g_test_add_func ("/content/pack/format", test_format);
  g_test_add_func ("/content/pack/kind", test_kind);
  g_test_add_func ("/content/pack/id-patterns", test_id_patterns);
  g_test_add_func ("/content/pack/duplicate-ids", test_duplicate_ids);
  g_test_add_func ("/content/pack/version", test_version);
  g_test_add_func ("/content/pack/languages", test_languages);
  g_test_add_func ("/content/pack/text-maps", test_text_maps);
  g_test_add_func ("/content/pack/required", test_required);
  g_test_add_func ("/content/pack/paths", test_paths);
  g_test_add_func ("/content/pack/special-files", test_special_files);
  g_test_add_func ("/content/pack/limits", test_limits);
  g_test_add_func ("/content/pack/images", test_images);
  g_test_add_func ("/content/pack/markdown-utf8", test_markdown_utf8);
  g_test_add_func ("/content/pack/web", test_web);
  g_test_add_func ("/content/pack/csv/header", test_csv_header);
  g_test_add_func ("/content/pack/csv/numbers", test_csv_numbers);
  g_test_add_func ("/content/pack/csv/x", test_csv_x);
  g_test_add_func ("/content/pack/csv/settings", test_csv_settings);
  g_test_add_func ("/content/pack/csv/rows", test_csv_rows);
  g_test_add_func ("/content/pack/source-license", test_source_license);
  g_test_add_func ("/content/pack/tour-stops", test_tour_stops);
  g_test_add_func ("/content/pack/tags", test_tags);
  g_test_add_func ("/content/pack/json-details", test_json_details);
  g_test_add_func ("/content/pack/unknown-fields", test_unknown_fields);
  g_test_add_func ("/content/pack/many-problems", test_many_problems);
  g_test_add_func ("/content/pack/realdata", test_realdata);
  g_test_add_func ("/content/pack/json-text-map", test_json_text_map);

  return g_test_run ();
}
