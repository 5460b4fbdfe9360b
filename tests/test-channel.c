/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The publish side of channels: keys, objects, manifests, the signed index, and the
 * `digithek-pack keygen` and `publish` commands. */

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include "digithek-channel.h"
#include "digithek-channel-publish.h"
#include "digithek-pack.h"

typedef struct
{
  char *tmp;
  char *key;
  char *pub;
  char *channel;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR)
              && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
write_text (const char *dir,
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

/* A small valid pack: an explainer and a guide, Markdown only. */
static char *
make_pack (Fixture    *fixture,
           const char *folder,
           const char *id,
           int         version,
           const char *intro_text)
{
  g_autofree char *dir = g_build_filename (fixture->tmp, folder, NULL);
  g_autofree char *json = NULL;

  json = g_strdup_printf (
    "{\n"
    "  \"format\": 1,\n"
    "  \"id\": \"%s\",\n"
    "  \"version\": %d,\n"
    "  \"title\": {\"de\": \"Testpaket\", \"en\": \"Test pack\"},\n"
    "  \"languages\": [\"de\", \"en\"],\n"
    "  \"items\": [\n"
    "    {\"id\": \"intro\", \"kind\": \"explainer\",\n"
    "     \"title\": {\"de\": \"Einführung\", \"en\": \"Introduction\"},\n"
    "     \"body\": {\"_comment\": \"not a path\", \"de\": \"texts/intro.de.md\",\n"
    "              \"en\": \"./texts/intro.en.md\"}},\n"
    "    {\"id\": \"howto\", \"kind\": \"guide\",\n"
    "     \"title\": {\"de\": \"Anleitung\", \"en\": \"How to\"},\n"
    "     \"steps\": [{\"title\": {\"de\": \"Schritt 1\", \"en\": \"Step 1\"},\n"
    "                \"body\": {\"de\": \"texts/step.md\", \"en\": \"texts/step.md\"}}]}\n"
    "  ]\n"
    "}\n", id, version);

  write_text (dir, "pack.json", json);
  write_text (dir, "texts/intro.de.md", intro_text);
  write_text (dir, "texts/intro.en.md", "# Introduction\n\nThe same in English.\n");
  write_text (dir, "texts/step.md", "Tippen Sie auf **Weiter**.\n");
  return g_steal_pointer (&dir);
}

static DigithekPack *
load_pack (const char *dir)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  DigithekPack *pack;

  pack = digithek_pack_load (dir, NULL, &problems, &error);
  if (pack == NULL)
    for (guint i = 0; problems != NULL && i < problems->len; i++)
      g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_no_error (error);
  g_assert_nonnull (pack);
  return pack;
}

static gboolean
publish_dirs (Fixture                             *fixture,
              const char * const                  *dirs,
              const DigithekChannelPublishOptions *options,
              DigithekChannelPublishResult        *result,
              GError                             **error)
{
  g_autoptr(GPtrArray) packs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; dirs[i] != NULL; i++)
    g_ptr_array_add (packs, load_pack (dirs[i]));
  return digithek_channel_publish (fixture->channel, packs, fixture->key, options, result,
                                   error);
}

static void
publish_ok (Fixture                             *fixture,
            const char                          *dir,
            const DigithekChannelPublishOptions *options,
            DigithekChannelPublishResult        *result)
{
  const char *dirs[] = { dir, NULL };
  g_autoptr(GError) error = NULL;

  publish_dirs (fixture, dirs, options, result, &error);
  g_assert_no_error (error);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static GBytes *
read_channel_file (Fixture    *fixture,
                   const char *relative)
{
  g_autofree char *path = g_build_filename (fixture->channel, relative, NULL);

  return read_bytes (path);
}

static DigithekChannelIndex *
read_index (Fixture *fixture)
{
  g_autoptr(GBytes) bytes = read_channel_file (fixture, "index.json");
  g_autoptr(GError) error = NULL;
  DigithekChannelIndex *index;

  index = digithek_channel_index_parse (bytes, &error);
  g_assert_no_error (error);
  return index;
}

static GBytes *
read_object (Fixture    *fixture,
             const char *sha256)
{
  g_autofree char *relative = digithek_channel_object_path (sha256);

  return read_channel_file (fixture, relative);
}

/* Every object's sha256, after checking its name is the hash of its content. */
static GHashTable *
list_objects (Fixture *fixture)
{
  g_autofree char *objects = g_build_filename (fixture->channel, "objects", NULL);
  g_autoptr(GDir) dir = g_dir_open (objects, 0, NULL);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *fan;

  while (dir != NULL && (fan = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *fan_path = g_build_filename (objects, fan, NULL);
      g_autoptr(GDir) sub = NULL;
      const char *name;

      /* Files beside the fan-out folders are not objects. */
      if (!g_file_test (fan_path, G_FILE_TEST_IS_DIR))
        continue;
      sub = g_dir_open (fan_path, 0, NULL);
      g_assert_nonnull (sub);
      g_assert_cmpuint (strlen (fan), ==, 2);
      while ((name = g_dir_read_name (sub)) != NULL)
        {
          g_autofree char *path = g_build_filename (fan_path, name, NULL);
          g_autoptr(GBytes) bytes = read_bytes (path);
          g_autofree char *sha = digithek_channel_sha256_hex (bytes);

          g_assert_cmpstr (sha, ==, name);
          g_assert_true (g_str_has_prefix (name, fan));
          g_hash_table_add (set, g_strdup (name));
        }
    }
  return set;
}

/* path → "mode size mtime content-hash" of every file and folder under @root. */
static void
snapshot_into (const char *root,
               GHashTable *table)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  struct stat st;

  g_assert_cmpint (g_lstat (root, &st), ==, 0);
  g_hash_table_insert (table, g_strdup (root),
                       g_strdup_printf ("%o %ld %ld.%09ld", st.st_mode, (long) st.st_size,
                                        (long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec));
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      if (S_ISDIR (st.st_mode))
        snapshot_into (path, table);
      else
        {
          g_autoptr(GBytes) bytes = read_bytes (path);
          g_autofree char *sha = digithek_channel_sha256_hex (bytes);

          g_hash_table_insert (table, g_strdup (path),
                               g_strdup_printf ("%o %ld %ld.%09ld %s", st.st_mode,
                                                (long) st.st_size, (long) st.st_mtim.tv_sec,
                                                st.st_mtim.tv_nsec, sha));
        }
    }
}

static GHashTable *
snapshot (const char *root)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  snapshot_into (root, table);
  return table;
}

static void
assert_same_snapshot (GHashTable *a,
                      GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (value, ==, g_hash_table_lookup (b, key));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp = g_dir_make_tmp ("test-channel-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->key = g_build_filename (fixture->tmp, "signing", NULL);
  fixture->pub = g_build_filename (fixture->tmp, "signing.pub", NULL);
  fixture->channel = g_build_filename (fixture->tmp, "channel", NULL);
  digithek_channel_keygen (fixture->key, FALSE, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->tmp);
  g_free (fixture->tmp);
  g_free (fixture->key);
  g_free (fixture->pub);
  g_free (fixture->channel);
}

static void
test_keygen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *secret = g_build_filename (fixture->tmp, "k2", NULL);
  g_autofree char *pub = g_build_filename (fixture->tmp, "k2.pub", NULL);
  g_autofree char *printed = NULL;
  g_autofree char *again = NULL;
  g_autofree char *from_path = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *from_secret = NULL;
  g_autofree char *pub_text = NULL;
  g_autoptr(GBytes) secret_before = NULL;
  g_autoptr(GBytes) secret_after = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;
  mode_t old_umask;

  /* Whatever the umask, the secret key is 0600 and the public key 0644. */
  old_umask = umask (0);
  digithek_channel_keygen (secret, FALSE, &printed, &error);
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (printed), ==, DIGITHEK_CHANNEL_PUBLIC_KEY_B64_LEN);

  g_assert_cmpint (g_stat (secret, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (pub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);

  /* One line of base64 each. */
  g_file_get_contents (pub, &pub_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (pub_text, "\n"));
  g_assert_true (strchr (pub_text, '\n') == pub_text + strlen (pub_text) - 1);

  from_path = digithek_channel_load_public_key (pub, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_path, ==, printed);
  from_text = digithek_channel_load_public_key (pub_text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_text, ==, printed);
  from_secret = digithek_channel_load_secret_key_public (secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_secret, ==, printed);

  /* A secret key given where a public key belongs is named as such. */
  g_assert_null (digithek_channel_load_public_key (secret, &error));
  g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "secret key"));
  g_clear_error (&error);
  g_assert_null (digithek_channel_load_public_key ("not-a-key", &error));
  g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY);
  g_clear_error (&error);

  /* Never overwritten without force. */
  secret_before = read_bytes (secret);
  g_assert_false (digithek_channel_keygen (secret, FALSE, &again, &error));
  g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_EXISTS);
  g_clear_error (&error);
  secret_after = read_bytes (secret);
  g_assert_true (g_bytes_equal (secret_before, secret_after));
  g_clear_pointer (&secret_after, g_bytes_unref);

  g_assert_true (digithek_channel_keygen (secret, TRUE, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (again, !=, printed);
  g_assert_cmpint (g_stat (secret, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  secret_after = read_bytes (secret);
  g_assert_false (g_bytes_equal (secret_before, secret_after));
}

static void
test_publish_objects (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Einführung\n");
  g_auto(DigithekChannelPublishResult) result = { 0 };
  g_autoptr(DigithekChannelIndex) index = NULL;
  g_autoptr(DigithekChannelManifest) manifest = NULL;
  g_autoptr(GHashTable) objects = NULL;
  g_autoptr(GBytes) manifest_bytes = NULL;
  g_autoptr(GBytes) intro = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *intro_path = NULL;
  g_autofree char *intro_sha = NULL;
  DigithekChannelPackEntry *entry;
  JsonObject *item;
  JsonObject *ref;

  publish_ok (fixture, dir, NULL, &result);
  g_assert_false (result.unchanged);
  g_assert_cmpint (result.serial, ==, 1);
  g_assert_cmpstr (result.name, ==, "default");
  /* Three Markdown files (step.md referenced twice, stored once) and the manifest. */
  g_assert_cmpuint (result.objects_written, ==, 4);

  objects = list_objects (fixture);
  g_assert_cmpuint (g_hash_table_size (objects), ==, 4);

  index = read_index (fixture);
  g_assert_cmpstr (index->name, ==, "default");
  g_assert_cmpint (index->serial, ==, 1);
  g_assert_cmpint (g_date_time_difference (index->expires, index->created), ==,
                   30 * G_TIME_SPAN_DAY);
  g_assert_cmpuint (index->packs->len, ==, 1);
  entry = digithek_channel_index_find_pack (index, "alpha");
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->version, ==, 1);
  g_assert_true (g_hash_table_contains (objects, entry->manifest.sha256));

  /* The manifest is pack.json with {sha256, size} where paths were. */
  manifest_bytes = read_object (fixture, entry->manifest.sha256);
  g_assert_cmpuint (g_bytes_get_size (manifest_bytes), ==, entry->manifest.size);
  json_parser_load_from_data (parser, g_bytes_get_data (manifest_bytes, NULL),
                              g_bytes_get_size (manifest_bytes), &error);
  g_assert_no_error (error);
  item = json_array_get_object_element (
           json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "items"), 0);
  ref = json_object_get_object_member (json_object_get_object_member (item, "body"), "de");
  intro_path = g_build_filename (dir, "texts", "intro.de.md", NULL);
  intro = read_bytes (intro_path);
  intro_sha = digithek_channel_sha256_hex (intro);
  g_assert_cmpstr (json_object_get_string_member (ref, "sha256"), ==, intro_sha);
  g_assert_cmpint (json_object_get_int_member (ref, "size"), ==, g_bytes_get_size (intro));
  g_assert_cmpuint (json_object_get_size (ref), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "body"),
                                                  "_comment"), ==, "not a path");

  /* And maps back to a pack folder. */
  manifest = digithek_channel_manifest_parse (manifest_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (manifest->id, ==, "alpha");
  g_assert_cmpint (manifest->version, ==, 1);
  g_assert_cmpuint (manifest->files->len, ==, 3);
  for (guint i = 0; i < manifest->files->len; i++)
    {
      DigithekChannelFile *file = g_ptr_array_index (manifest->files, i);
      g_autoptr(GBytes) object = NULL;

      g_assert_true (g_hash_table_contains (objects, file->ref.sha256));
      object = read_object (fixture, file->ref.sha256);
      g_assert_cmpuint (g_bytes_get_size (object), ==, file->ref.size);
      g_assert_true (g_str_has_prefix (file->path, "files/"));
      g_assert_nonnull (g_strstr_len (g_bytes_get_data (manifest->pack_json, NULL),
                                      g_bytes_get_size (manifest->pack_json), file->path));
    }
}

static void
test_manifest_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Einführung\n");
  g_autofree char *rebuilt = g_build_filename (fixture->tmp, "rebuilt", NULL);
  g_autofree char *pack_json = NULL;
  g_auto(DigithekChannelPublishResult) result = { 0 };
  g_autoptr(DigithekChannelIndex) index = NULL;
  g_autoptr(DigithekChannelManifest) manifest = NULL;
  g_autoptr(GBytes) manifest_bytes = NULL;
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(GError) error = NULL;

  /* What a kiosk does with a fetched manifest: a folder the validator accepts. */
  publish_ok (fixture, dir, NULL, &result);
  index = read_index (fixture);
  manifest_bytes = read_object (fixture,
                                digithek_channel_index_find_pack (index, "alpha")->manifest.sha256);
  manifest = digithek_channel_manifest_parse (manifest_bytes, &error);
  g_assert_no_error (error);

  pack_json = g_strndup (g_bytes_get_data (manifest->pack_json, NULL),
                         g_bytes_get_size (manifest->pack_json));
  write_text (rebuilt, "pack.json", pack_json);
  for (guint i = 0; i < manifest->files->len; i++)
    {
      DigithekChannelFile *file = g_ptr_array_index (manifest->files, i);
      g_autoptr(GBytes) object = read_object (fixture, file->ref.sha256);
      g_autofree char *text = g_strndup (g_bytes_get_data (object, NULL),
                                         g_bytes_get_size (object));

      write_text (rebuilt, file->path, text);
    }
  pack = load_pack (rebuilt);
  g_assert_cmpstr (digithek_pack_get_id (pack), ==, "alpha");
}

static void
test_signature (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Einführung\n");
  g_autofree char *other_key = g_build_filename (fixture->tmp, "other", NULL);
  g_autofree char *other_pub = NULL;
  g_autofree char *pub = NULL;
  g_auto(DigithekChannelPublishResult) result = { 0 };
  g_autoptr(GBytes) index = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sig_text = NULL;
  guint8 *copy;
  gsize len;

  publish_ok (fixture, dir, NULL, &result);
  index = read_channel_file (fixture, "index.json");
  sig = read_channel_file (fixture, "index.json.sig");

  /* One line of base64: 64 bytes make 88 characters. */
  sig_text = g_strndup (g_bytes_get_data (sig, NULL), g_bytes_get_size (sig));
  g_assert_cmpuint (strlen (sig_text), ==, 89);
  g_assert_true (g_str_has_suffix (sig_text, "\n"));

  pub = digithek_channel_load_public_key (fixture->pub, &error);
  g_assert_no_error (error);
  {
    const char *keys[] = { pub, NULL };

    g_assert_true (digithek_channel_verify_index (index, sig, keys, &error));
    g_assert_no_error (error);
  }

  digithek_channel_keygen (other_key, FALSE, &other_pub, &error);
  g_assert_no_error (error);
  {
    const char *keys[] = { other_pub, NULL };
    const char *both[] = { other_pub, pub, NULL };

    g_assert_false (digithek_channel_verify_index (index, sig, keys, &error));
    g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE);
    g_assert_cmpstr (error->message, ==, "index signature does not match any trusted key");
    g_clear_error (&error);

    /* Any of several trusted keys will do (key rotation). */
    g_assert_true (digithek_channel_verify_index (index, sig, both, &error));
    g_assert_no_error (error);
  }

  /* One changed byte anywhere breaks it. */
  len = g_bytes_get_size (index);
  copy = g_memdup2 (g_bytes_get_data (index, NULL), len);
  copy[len / 2] ^= 0x01;
  tampered = g_bytes_new_take (copy, len);
  {
    const char *keys[] = { pub, NULL };
    g_autoptr(GBytes) garbage = g_bytes_new_static ("not base64!", 11);

    g_assert_false (digithek_channel_verify_index (tampered, sig, keys, &error));
    g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE);
    g_clear_error (&error);

    g_assert_false (digithek_channel_verify_index (index, garbage, keys, &error));
    g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_BAD_SIGNATURE);
    g_clear_error (&error);
  }
  {
    const char *keys[] = { NULL };

    g_assert_false (digithek_channel_verify_index (index, sig, keys, &error));
    g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_KEY);
  }
}

static void
test_serial_and_unchanged (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Einführung\n");
  g_autofree char *dir2 = NULL;
  g_auto(DigithekChannelPublishResult) first = { 0 };
  g_auto(DigithekChannelPublishResult) second = { 0 };
  g_auto(DigithekChannelPublishResult) third = { 0 };
  g_auto(DigithekChannelPublishResult) fourth = { 0 };
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(DigithekChannelIndex) index = NULL;
  DigithekChannelPublishOptions refresh = { .refresh = TRUE };

  publish_ok (fixture, dir, NULL, &first);
  g_assert_cmpint (first.serial, ==, 1);

  /* Same content again: nothing written, not even a new serial. */
  before = snapshot (fixture->channel);
  g_usleep (20 * 1000);
  publish_ok (fixture, dir, NULL, &second);
  g_assert_true (second.unchanged);
  g_assert_cmpint (second.serial, ==, 1);
  g_assert_cmpuint (second.objects_written, ==, 0);
  after = snapshot (fixture->channel);
  assert_same_snapshot (before, after);

  /* A new version continues the serial. */
  dir2 = make_pack (fixture, "pack-v2", "alpha", 2, "# Einführung, neu\n");
  publish_ok (fixture, dir2, NULL, &third);
  g_assert_false (third.unchanged);
  g_assert_cmpint (third.serial, ==, 2);
  index = read_index (fixture);
  g_assert_cmpint (index->serial, ==, 2);
  g_assert_cmpint (digithek_channel_index_find_pack (index, "alpha")->version, ==, 2);

  /* --refresh signs again with a new serial though nothing changed. */
  publish_ok (fixture, dir2, &refresh, &fourth);
  g_assert_false (fourth.unchanged);
  g_assert_cmpint (fourth.serial, ==, 3);
}

static void
test_serial_continues_on_copy (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Einführung\n");
  g_autofree char *dir2 = make_pack (fixture, "pack-v2", "alpha", 2, "# Neu\n");
  g_autofree char *index_text = NULL;
  g_autofree char *index_path = NULL;
  g_auto(DigithekChannelPublishResult) result = { 0 };
  g_auto(DigithekChannelPublishResult) next = { 0 };
  g_autoptr(GError) error = NULL;

  publish_ok (fixture, dir, NULL, &result);

  /* A channel whose serial went far (say, a stick copied from the web server's). */
  index_path = g_build_filename (fixture->channel, "index.json", NULL);
  g_file_get_contents (index_path, &index_text, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GRegex) regex = g_regex_new ("\"serial\" : 1,", 0, 0, NULL);
    g_autofree char *changed = g_regex_replace_literal (regex, index_text, -1, 0,
                                                        "\"serial\" : 41,", 0, NULL);

    g_assert_cmpstr (changed, !=, index_text);
    g_file_set_contents (index_path, changed, -1, &error);
    g_assert_no_error (error);
  }
  publish_ok (fixture, dir2, NULL, &next);
  g_assert_cmpint (next.serial, ==, 42);
}

/* The mtime (whole seconds) and size of @relative in the channel. */
static void
channel_file_stat (Fixture    *fixture,
                   const char *relative,
                   gint64     *out_mtime,
                   gint64     *out_size)
{
  g_autofree char *path = g_build_filename (fixture->channel, relative, NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  *out_mtime = (gint64) st.st_mtime;
  *out_size = (gint64) st.st_size;
}

/* nginx's ETag is mtime seconds and size: publishes within one second must still give a
 * replaced index.json (and signature) a later mtime, or a kiosk asking with If-None-Match
 * would be told "not modified". */
static void
test_index_mtime_advances (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *files[] = { "index.json", "index.json.sig" };
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Einführung\n");
  g_autofree char *dir2 = make_pack (fixture, "pack-v2", "alpha", 2, "# Einführung, neu\n");
  DigithekChannelPublishOptions refresh = { .refresh = TRUE };
  gint64 mtime[3][2], size[3][2];

  /* Three publishes in quick succession, well within a second or two. */
  {
    g_auto(DigithekChannelPublishResult) r1 = { 0 };
    g_auto(DigithekChannelPublishResult) r2 = { 0 };
    g_auto(DigithekChannelPublishResult) r3 = { 0 };
    gint64 start = g_get_real_time () / G_USEC_PER_SEC;

    publish_ok (fixture, dir, NULL, &r1);
    for (guint f = 0; f < 2; f++)
      channel_file_stat (fixture, files[f], &mtime[0][f], &size[0][f]);
    publish_ok (fixture, dir2, NULL, &r2);
    for (guint f = 0; f < 2; f++)
      channel_file_stat (fixture, files[f], &mtime[1][f], &size[1][f]);
    publish_ok (fixture, dir2, &refresh, &r3);
    for (guint f = 0; f < 2; f++)
      channel_file_stat (fixture, files[f], &mtime[2][f], &size[2][f]);
    g_assert_cmpint (r3.serial, ==, 3);

    for (guint f = 0; f < 2; f++)
      {
        /* Same size each time (the case the ETag cannot tell apart by size)... */
        g_assert_cmpint (size[0][f], ==, size[1][f]);
        g_assert_cmpint (size[1][f], ==, size[2][f]);
        /* ...but each replacement a later second. */
        g_assert_cmpint (mtime[1][f], >, mtime[0][f]);
        g_assert_cmpint (mtime[2][f], >, mtime[1][f]);
        /* Moved on by at most a second per publish. */
        g_assert_cmpint (mtime[2][f], <=, g_get_real_time () / G_USEC_PER_SEC + 3);
        g_assert_cmpint (mtime[0][f], >=, start - 1);
      }
  }

  /* An older index is not pushed forward beyond the clock: the new one keeps its own. */
  {
    g_auto(DigithekChannelPublishResult) r4 = { 0 };
    gint64 past = g_get_real_time () / G_USEC_PER_SEC - 1000;
    gint64 before = g_get_real_time () / G_USEC_PER_SEC;
    gint64 m, sz;

    for (guint f = 0; f < 2; f++)
      {
        g_autofree char *path = g_build_filename (fixture->channel, files[f], NULL);
        struct utimbuf times = { .actime = past, .modtime = past };

        g_assert_cmpint (g_utime (path, &times), ==, 0);
      }
    publish_ok (fixture, dir2, &refresh, &r4);
    for (guint f = 0; f < 2; f++)
      {
        channel_file_stat (fixture, files[f], &m, &sz);
        g_assert_cmpint (m, >=, before - 1);
        g_assert_cmpint (m, <=, g_get_real_time () / G_USEC_PER_SEC + 1);
      }
  }
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 2, "# Einführung\n");
  g_autofree char *changed = make_pack (fixture, "changed", "alpha", 2, "# Anders\n");
  g_autofree char *older = make_pack (fixture, "older", "alpha", 1, "# Einführung\n");
  g_auto(DigithekChannelPublishResult) result = { 0 };
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GError) error = NULL;
  const char *changed_dirs[] = { changed, NULL };
  const char *older_dirs[] = { older, NULL };

  publish_ok (fixture, dir, NULL, &result);
  before = snapshot (fixture->channel);

  g_assert_false (publish_dirs (fixture, changed_dirs, NULL, NULL, &error));
  g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "pack alpha version 2 is already published with different content: "
                   "raise the version");
  g_clear_error (&error);

  g_assert_false (publish_dirs (fixture, older_dirs, NULL, NULL, &error));
  g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "raise the version"));
  g_clear_error (&error);

  /* Not one object of the refused content was written. */
  after = snapshot (fixture->channel);
  assert_same_snapshot (before, after);
}

static void
test_one_changed_file_and_prune (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Einführung\n");
  g_autofree char *dir2 = make_pack (fixture, "pack-v2", "alpha", 2, "# Einführung, neu\n");
  g_auto(DigithekChannelPublishResult) first = { 0 };
  g_auto(DigithekChannelPublishResult) second = { 0 };
  g_auto(DigithekChannelPublishResult) pruned = { 0 };
  g_autoptr(GHashTable) objects_v1 = NULL;
  g_autoptr(GHashTable) objects_v2 = NULL;
  g_autoptr(GHashTable) objects_pruned = NULL;
  g_autofree char *stray = NULL;
  DigithekChannelPublishOptions prune = { .prune = TRUE };
  GHashTableIter iter;
  gpointer key;

  publish_ok (fixture, dir, NULL, &first);
  objects_v1 = list_objects (fixture);

  /* One changed Markdown file costs one object and a manifest; nothing goes away. */
  publish_ok (fixture, dir2, NULL, &second);
  g_assert_cmpuint (second.objects_written, ==, 2);
  objects_v2 = list_objects (fixture);
  g_assert_cmpuint (g_hash_table_size (objects_v2), ==, g_hash_table_size (objects_v1) + 2);
  g_hash_table_iter_init (&iter, objects_v1);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (objects_v2, key));

  /* A file that is not an object is not the publisher's to remove. */
  stray = g_build_filename (fixture->channel, "objects", "README", NULL);
  write_text (fixture->channel, "objects/README", "hands off\n");

  /* --prune drops the old file and the old manifest, and only them. */
  publish_ok (fixture, dir2, &prune, &pruned);
  g_assert_true (pruned.unchanged);
  g_assert_cmpuint (pruned.objects_pruned, ==, 2);
  objects_pruned = list_objects (fixture);
  g_assert_cmpuint (g_hash_table_size (objects_pruned), ==, g_hash_table_size (objects_v1));
  g_hash_table_iter_init (&iter, objects_pruned);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (objects_v2, key));
  g_assert_true (g_file_test (stray, G_FILE_TEST_EXISTS));
}

static void
test_two_packs (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *alpha = make_pack (fixture, "alpha", "alpha", 1, "# Alpha\n");
  g_autofree char *beta = make_pack (fixture, "beta", "beta", 3, "# Beta\n");
  g_autofree char *alpha2 = make_pack (fixture, "alpha2", "alpha", 2, "# Alpha 2\n");
  g_auto(DigithekChannelPublishResult) r1 = { 0 };
  g_auto(DigithekChannelPublishResult) r2 = { 0 };
  g_auto(DigithekChannelPublishResult) r3 = { 0 };
  g_autoptr(DigithekChannelIndex) index = NULL;
  g_autoptr(DigithekChannelIndex) index2 = NULL;
  g_autoptr(GError) error = NULL;
  const char *twice[] = { alpha2, alpha, NULL };

  publish_ok (fixture, beta, NULL, &r1);
  publish_ok (fixture, alpha, NULL, &r2);
  index = read_index (fixture);
  g_assert_cmpint (index->serial, ==, 2);
  g_assert_cmpuint (index->packs->len, ==, 2);
  /* Sorted by id. */
  g_assert_cmpstr (((DigithekChannelPackEntry *) g_ptr_array_index (index->packs, 0))->id, ==,
                   "alpha");
  g_assert_cmpint (digithek_channel_index_find_pack (index, "beta")->version, ==, 3);

  publish_ok (fixture, alpha2, NULL, &r3);
  index2 = read_index (fixture);
  g_assert_cmpuint (index2->packs->len, ==, 2);
  g_assert_cmpint (digithek_channel_index_find_pack (index2, "alpha")->version, ==, 2);
  g_assert_cmpstr (digithek_channel_index_find_pack (index2, "beta")->manifest.sha256, ==,
                   digithek_channel_index_find_pack (index, "beta")->manifest.sha256);

  g_assert_false (publish_dirs (fixture, twice, NULL, NULL, &error));
  g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT);
}

static void
test_name (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Alpha\n");
  g_autofree char *dir2 = make_pack (fixture, "pack2", "alpha", 2, "# Alpha 2\n");
  g_auto(DigithekChannelPublishResult) result = { 0 };
  g_auto(DigithekChannelPublishResult) result2 = { 0 };
  g_autoptr(GError) error = NULL;
  DigithekChannelPublishOptions named = { .name = "rathaus" };
  DigithekChannelPublishOptions renamed = { .name = "bibliothek" };
  const char *dirs[] = { dir2, NULL };

  publish_ok (fixture, dir, &named, &result);
  g_assert_cmpstr (result.name, ==, "rathaus");
  /* Without --name the existing name is kept; another name is refused. */
  g_assert_false (publish_dirs (fixture, dirs, &renamed, NULL, &error));
  g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT);
  publish_ok (fixture, dir2, NULL, &result2);
  g_assert_cmpstr (result2.name, ==, "rathaus");
}

static void
assert_modes (const char *root)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  struct stat st;

  g_assert_cmpint (g_stat (root, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0755);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      if (S_ISDIR (st.st_mode))
        assert_modes (path);
      else
        {
          if ((st.st_mode & 07777) != 0644)
            g_error ("%s has mode %o", path, st.st_mode & 07777);
        }
    }
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Alpha\n");
  g_autofree char *dir2 = make_pack (fixture, "pack2", "alpha", 2, "# Alpha 2\n");
  g_auto(DigithekChannelPublishResult) result = { 0 };
  g_auto(DigithekChannelPublishResult) result2 = { 0 };
  mode_t old_umask;

  g_free (fixture->channel);
  fixture->channel = g_build_filename (fixture->tmp, "deep", "channel", NULL);

  old_umask = umask (077);
  publish_ok (fixture, dir, NULL, &result);
  publish_ok (fixture, dir2, NULL, &result2);
  umask (old_umask);

  assert_modes (fixture->channel);
}

static void
test_index_parse_errors (void)
{
  struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\n \"format\": 1,\n  \"name\": x\n}", "index.json is not valid JSON at line 3, column" },
    { "", "index.json is empty" },
    { "[]", "index.json: not a JSON object" },
    { "{\"format\": 2}", "index.json: format: 2 is not supported" },
    { "{\"format\": 1, \"name\": \"Bad Name\"}", "index.json: name:" },
    { "{\"format\": 1, \"name\": \"a\", \"serial\": 0}", "index.json: serial:" },
    { "{\"format\": 1, \"name\": \"a\", \"serial\": 1, \"created\": \"2026-01-01T00:00:00\","
      "\"expires\": \"2026-02-01T00:00:00Z\", \"packs\": []}", "index.json: created:" },
    { "{\"format\": 1, \"name\": \"a\", \"serial\": 1, \"created\": \"2026-01-01T00:00:00Z\","
      "\"expires\": \"2026-02-01T00:00:00Z\", \"packs\": [{\"id\": \"p\", \"version\": 1,"
      "\"manifest\": {\"sha256\": \"abc\", \"size\": 1}}]}", "index.json: packs[0].manifest:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].json, strlen (cases[i].json));
      g_autoptr(GError) error = NULL;
      g_autoptr(DigithekChannelIndex) index = NULL;

      index = digithek_channel_index_parse (bytes, &error);
      g_assert_null (index);
      g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_INDEX);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message, cases[i].message);
      g_assert_null (strchr (error->message, '\n'));
    }
}

static void
test_manifest_parse_errors (void)
{
  const char *cases[] = {
    /* A path where a reference belongs: a kiosk must never read local files. */
    "{\"format\": 1, \"id\": \"p\", \"version\": 1, \"items\": [{\"kind\": \"dataset\","
    " \"data\": \"../../etc/passwd\"}]}",
    "{\"format\": 1, \"id\": \"p\", \"version\": 1, \"items\": [{\"kind\": \"explainer\","
    " \"body\": {\"de\": {\"sha256\": \"00\", \"size\": 1}}}]}",
    "{\"format\": 1, \"id\": \"p\", \"version\": 1, \"items\": [{\"kind\": \"hologram\"}]}",
    "{\"format\": 1, \"id\": \"p\", \"items\": []}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i], strlen (cases[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(DigithekChannelManifest) manifest = NULL;

      manifest = digithek_channel_manifest_parse (bytes, &error);
      g_assert_null (manifest);
      g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_INVALID_MANIFEST);
    }
}

static void
test_broken_existing_index (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Alpha\n");
  const char *dirs[] = { dir, NULL };
  g_autoptr(GError) error = NULL;

  /* Starting again at serial 1 would make every kiosk refuse the channel as a rollback. */
  write_text (fixture->channel, "index.json", "{ broken");
  g_assert_false (publish_dirs (fixture, dirs, NULL, NULL, &error));
  g_assert_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "refusing to publish over it"));
}

/* The command line */

static char *
tool_path (void)
{
  const char *env = g_getenv ("DIGITHEK_PACK_BIN");
  g_autofree char *path = NULL;

  if (env != NULL)
    return g_strdup (env);
  path = g_test_build_filename (G_TEST_BUILT, "..", "app", "digithek-pack", NULL);
  if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&path);
  return NULL;
}

static int
run_tool (const char * const  *args,
          char               **out_stdout,
          char               **out_stderr)
{
  g_autofree char *tool = tool_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ignored_stdout = NULL;
  g_autofree char *ignored_stderr = NULL;
  int status = -1;

  /* Captured even when not wanted, to keep the test's own output readable. */
  if (out_stdout == NULL)
    out_stdout = &ignored_stdout;
  if (out_stderr == NULL)
    out_stderr = &ignored_stderr;
  g_ptr_array_add (argv, tool);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out_stdout, out_stderr, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static const char *
last_line (const char *text)
{
  static char line[256];
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  /* Output ends with a newline, so the last element is empty. */
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_strlcpy (line, lines[n - 2], sizeof line);
  return line;
}

static void
test_cli_keygen (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *tool = tool_path ();
  g_autofree char *key = g_build_filename (fixture->tmp, "cli-key", NULL);
  g_autofree char *pub = g_build_filename (fixture->tmp, "cli-key.pub", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *pub_text = NULL;
  struct stat st;

  if (tool == NULL)
    {
      g_test_skip ("digithek-pack is not built (set DIGITHEK_PACK_BIN)");
      return;
    }

  {
    const char *args[] = { "keygen", "--out", key, NULL };

    g_assert_cmpint (run_tool (args, &out, &err), ==, 0);
  }
  g_file_get_contents (pub, &pub_text, NULL, NULL);
  g_assert_cmpstr (last_line (out), ==, g_strstrip (pub_text));
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    const char *again[] = { "keygen", "--out", key, NULL };
    const char *no_out[] = { "keygen", NULL };
    const char *unknown[] = { "keygen", "--out", key, "--frobnicate", NULL };

    g_assert_cmpint (run_tool (again, NULL, NULL), ==, 1);
    g_assert_cmpint (run_tool (no_out, NULL, NULL), ==, 2);
    g_assert_cmpint (run_tool (unknown, NULL, NULL), ==, 2);
  }
}

static void
test_cli_publish (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *tool = tool_path ();
  g_autofree char *dir = make_pack (fixture, "pack", "alpha", 1, "# Alpha\n");
  g_autofree char *changed = make_pack (fixture, "changed", "alpha", 1, "# Anders\n");
  g_autofree char *bad = make_pack (fixture, "bad", "alpha", 1, "# Alpha\n");
  g_autofree char *bad_md = g_build_filename (bad, "texts", "step.md", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(DigithekPack) not_loaded = NULL;
  g_autoptr(GError) error = NULL;

  if (tool == NULL)
    {
      g_test_skip ("digithek-pack is not built (set DIGITHEK_PACK_BIN)");
      return;
    }

  /* An invalid pack: every validator message printed, exit 1, no channel made. */
  g_unlink (bad_md);
  not_loaded = digithek_pack_load (bad, NULL, &problems, &error);
  g_assert_null (not_loaded);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, >, 0);
  {
    const char *args[] = { "publish", bad, "--key", fixture->key, "--out", fixture->channel,
                           NULL };

    g_assert_cmpint (run_tool (args, &out, &err), ==, 1);
    for (guint i = 0; i < problems->len; i++)
      g_assert_nonnull (strstr (err, g_ptr_array_index (problems, i)));
    g_assert_false (g_file_test (fixture->channel, G_FILE_TEST_EXISTS));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  {
    const char *args[] = { "publish", dir, "--key", fixture->key, "--out", fixture->channel,
                           "--expires", "7", NULL };
    g_autoptr(DigithekChannelIndex) index = NULL;

    g_assert_cmpint (run_tool (args, &out, &err), ==, 0);
    index = read_index (fixture);
    g_assert_cmpint (g_date_time_difference (index->expires, index->created), ==,
                     7 * G_TIME_SPAN_DAY);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_tool (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "unchanged"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  {
    const char *args[] = { "publish", changed, "--key", fixture->key, "--out",
                           fixture->channel, NULL };

    g_assert_cmpint (run_tool (args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "pack alpha version 1 is already published with different "
                                   "content: raise the version"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  {
    const char *no_key[] = { "publish", dir, "--out", fixture->channel, NULL };
    const char *no_dir[] = { "publish", "--key", fixture->key, "--out", fixture->channel, NULL };
    const char *bad_days[] = { "publish", dir, "--key", fixture->key, "--out",
                               fixture->channel, "--expires", "soon", NULL };
    const char *zero_days[] = { "publish", dir, "--key", fixture->key, "--out",
                                fixture->channel, "--expires", "0", NULL };
    const char *unknown[] = { "publish", dir, "--key", fixture->key, "--out",
                              fixture->channel, "--sign-twice", NULL };
    const char *missing_key[] = { "publish", dir, "--key", "/nonexistent/key", "--out",
                                  fixture->channel, NULL };

    g_assert_cmpint (run_tool (no_key, NULL, NULL), ==, 2);
    g_assert_cmpint (run_tool (no_dir, NULL, NULL), ==, 2);
    g_assert_cmpint (run_tool (bad_days, NULL, NULL), ==, 2);
    g_assert_cmpint (run_tool (zero_days, NULL, NULL), ==, 2);
    g_assert_cmpint (run_tool (unknown, NULL, NULL), ==, 2);
    g_assert_cmpint (run_tool (missing_key, NULL, NULL), ==, 1);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/content/channel/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("keygen", test_keygen);
  ADD ("publish/objects", test_publish_objects);
  ADD ("publish/manifest-round-trip", test_manifest_round_trip);
  ADD ("publish/signature", test_signature);
  ADD ("publish/serial-and-unchanged", test_serial_and_unchanged);
  ADD ("publish/serial-continues-on-copy", test_serial_continues_on_copy);
  ADD ("publish/index-mtime-advances", test_index_mtime_advances);
  ADD ("publish/conflict", test_conflict);
  ADD ("publish/one-changed-file-and-prune", test_one_changed_file_and_prune);
  ADD ("publish/two-packs", test_two_packs);
  ADD ("publish/name", test_name);
  ADD ("publish/permissions", test_permissions);
  ADD ("publish/broken-existing-index", test_broken_existing_index);
  ADD ("cli/keygen", test_cli_keygen);
  ADD ("cli/publish", test_cli_publish);
  g_test_add_func ("/content/channel/index/parse-errors", test_index_parse_errors);
  g_test_add_func ("/content/channel/manifest/parse-errors", test_manifest_parse_errors);

#undef ADD

  return g_test_run ();
}
