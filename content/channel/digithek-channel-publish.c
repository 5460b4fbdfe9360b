/* SPDX-License-Identifier: GPL-3.0-or-later */

/* `digithek-pack publish`: pack folders into a channel's objects, manifests and signed
 * index, checked before anything is written. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digithek-channel-publish.h"
#include "digithek-sha256.h"

#include "digithek-channel-private.h"

#define SIG_B64_SIZE    sodium_base64_ENCODED_LEN (crypto_sign_BYTES, \
                                                   sodium_base64_VARIANT_ORIGINAL)

/* Publishing */

void
digithek_channel_publish_result_clear (DigithekChannelPublishResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->name, g_free);
  g_clear_pointer (&result->expires, g_date_time_unref);
  g_clear_pointer (&result->report, g_ptr_array_unref);
  memset (result, 0, sizeof *result);
}

/* Where an object's bytes come from: a file of a pack, or a manifest in memory. */
typedef enum
{
  PLAN_NEW,
  PLAN_UPDATED,
  PLAN_UNCHANGED,
} PlanState;

typedef struct
{
  DigithekChannelRef  ref;
  char               *source_path;  /* %NULL for in-memory bytes */
  GBytes             *bytes;
} ObjectSource;

static void
object_source_free (gpointer data)
{
  ObjectSource *source = data;

  g_free (source->source_path);
  g_clear_pointer (&source->bytes, g_bytes_unref);
  g_free (source);
}

typedef struct
{
  DigithekPack       *pack;  /* borrowed */
  const char         *id;
  gint64              version;
  gint64              old_version;
  GBytes             *manifest;
  DigithekChannelRef  manifest_ref;
  GPtrArray          *file_shas;  /* (element-type utf8) objects this manifest references */
  PlanState           state;
} PlannedPack;

static void
planned_pack_free (gpointer data)
{
  PlannedPack *plan = data;

  g_clear_pointer (&plan->manifest, g_bytes_unref);
  g_clear_pointer (&plan->file_shas, g_ptr_array_unref);
  g_free (plan);
}

/* Canonical relative path: no empty or `.` components. %NULL for absolute paths and `..`,
 * which the validator refuses already; checked again because the publisher reads them. */
static char *
normalize_relative_path (const char *path)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (path == NULL || path[0] == '\0' || path[0] == '/' || strchr (path, '\\') != NULL)
    return NULL;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        return NULL;
      g_ptr_array_add (kept, parts[i]);
    }
  if (kept->len == 0)
    return NULL;
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("/", (char **) kept->pdata);
}

typedef struct
{
  const char *pack_dir;
  const char *pack_label;
  GHashTable *listed;   /* normalized path → ObjectSource* once hashed, or GINT_TO_POINTER(1) */
  GHashTable *used;     /* normalized paths replaced */
  GHashTable *objects;  /* sha256 → ObjectSource (owned), over all packs */
  GPtrArray  *file_shas;
} PackWalk;

static gboolean
pack_path_to_ref_cb (JsonObject  *parent,
                     const char  *member,
                     const char  *where,
                     gpointer     user_data,
                     GError     **error)
{
  PackWalk *walk = user_data;
  const char *path = digithek_channel_node_get_string (json_object_get_member (parent, member));
  g_autofree char *normalized = normalize_relative_path (path);
  ObjectSource *source;
  DigithekChannelRef ref;
  g_autofree char *full_path = NULL;

  if (normalized == NULL)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "%s: pack.json: %s: not a relative path inside the pack",
                   walk->pack_label, where);
      return FALSE;
    }
  if (!g_hash_table_contains (walk->listed, normalized))
    {
      /* The validator and the publisher disagree on what is a file; better stop than
       * publish a manifest with a path the kiosk cannot fetch. */
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "%s: pack.json: %s: %s is not among the files the validator checked",
                   walk->pack_label, where, normalized);
      return FALSE;
    }

  full_path = g_build_filename (walk->pack_dir, normalized, NULL);
  if (!digithek_channel_hash_file (full_path, -1, NULL, &ref, error))
    return FALSE;

  source = g_hash_table_lookup (walk->objects, ref.sha256);
  if (source == NULL)
    {
      source = g_new0 (ObjectSource, 1);
      source->ref = ref;
      source->source_path = g_steal_pointer (&full_path);
      g_hash_table_insert (walk->objects, source->ref.sha256, source);
    }
  g_hash_table_add (walk->used, g_strdup (normalized));
  g_ptr_array_add (walk->file_shas, g_strdup (ref.sha256));

  json_object_set_member (parent, member, digithek_channel_ref_to_node (&ref));
  return TRUE;
}

/* Builds the manifest of @pack: pack.json with each path replaced by a reference. */
static PlannedPack *
plan_pack (DigithekPack  *pack,
           const char    *pack_label,
           GHashTable    *objects,
           GError       **error)
{
  GBytes *pack_json = digithek_pack_get_manifest_bytes (pack);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(GHashTable) used = NULL;
  g_auto(GStrv) files = NULL;
  PlannedPack *plan;
  PackWalk walk;
  ObjectSource *source;

  /* Mutable: the walk replaces the paths in place. */
  root = digithek_channel_parse_json (pack_json, TRUE, "pack.json", DIGITHEK_CHANNEL_ERROR_FAILED,
                                      error);
  if (root == NULL)
    {
      g_prefix_error (error, "%s: ", pack_label);
      return NULL;
    }

  listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  files = digithek_pack_list_files (pack);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      char *normalized = normalize_relative_path (files[i]);

      if (normalized == NULL)
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s: %s is not a relative path inside the pack", pack_label, files[i]);
          return NULL;
        }
      g_hash_table_add (listed, normalized);
    }

  used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  plan = g_new0 (PlannedPack, 1);
  plan->pack = pack;
  plan->id = digithek_pack_get_id (pack);
  plan->version = digithek_pack_get_version (pack);
  plan->file_shas = g_ptr_array_new_with_free_func (g_free);

  walk.pack_dir = digithek_pack_get_dir (pack);
  walk.pack_label = pack_label;
  walk.listed = listed;
  walk.used = used;
  walk.objects = objects;
  walk.file_shas = plan->file_shas;
  if (!digithek_pack_walk_paths (root, "pack.json", DIGITHEK_CHANNEL_ERROR,
                                 DIGITHEK_CHANNEL_ERROR_FAILED, pack_path_to_ref_cb, &walk,
                                 error))
    {
      planned_pack_free (plan);
      return NULL;
    }

  /* A file the validator knows but the walk did not replace would stay a local path in
   * the manifest. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, listed);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (!g_hash_table_contains (used, key))
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s: %s is a file of the pack at no place the publisher knows",
                       pack_label, (const char *) key);
          planned_pack_free (plan);
          return NULL;
        }
  }

  plan->manifest = digithek_channel_node_to_bytes (root);
  {
    g_autofree char *sha = digithek_channel_sha256_hex (plan->manifest);

    g_strlcpy (plan->manifest_ref.sha256, sha, sizeof plan->manifest_ref.sha256);
    plan->manifest_ref.size = g_bytes_get_size (plan->manifest);
  }

  source = g_hash_table_lookup (objects, plan->manifest_ref.sha256);
  if (source == NULL)
    {
      source = g_new0 (ObjectSource, 1);
      source->ref = plan->manifest_ref;
      source->bytes = g_bytes_ref (plan->manifest);
      g_hash_table_insert (objects, source->ref.sha256, source);
    }
  return plan;
}

static char *
object_full_path (const char *channel_dir,
                  const char *sha256)
{
  g_autofree char *relative = digithek_channel_object_path (sha256);

  return g_build_filename (channel_dir, relative, NULL);
}

/* Whether the channel has @ref with the right size. The hash is not re-read: objects
 * are written atomically under their hash, so a size mismatch is what a damaged copy
 * (a stick pulled out mid-copy) looks like. */
static gboolean
object_present (const char               *channel_dir,
                const DigithekChannelRef *ref)
{
  g_autofree char *path = object_full_path (channel_dir, ref->sha256);
  struct stat st;

  return g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && (guint64) st.st_size == ref->size;
}

static gboolean
write_object (const char    *channel_dir,
              ObjectSource  *source,
              GHashTable    *dirs_touched,
              GError       **error)
{
  g_autofree char *path = object_full_path (channel_dir, source->ref.sha256);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp_path = NULL;
  int fd;

  if (!digithek_channel_ensure_dir (dir, error))
    return FALSE;
  fd = digithek_channel_open_temp (dir, &tmp_path, error);
  if (fd < 0)
    return FALSE;

  if (source->bytes != NULL)
    {
      if (!digithek_channel_write_all (fd, g_bytes_get_data (source->bytes, NULL),
                                       g_bytes_get_size (source->bytes), tmp_path, error))
        goto fail;
    }
  else
    {
      DigithekChannelRef copied;

      if (!digithek_channel_hash_file (source->source_path, fd, tmp_path, &copied, error))
        goto fail;
      if (!g_str_equal (copied.sha256, source->ref.sha256) || copied.size != source->ref.size)
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s changed while publishing; publish again", source->source_path);
          goto fail;
        }
    }

  if (!digithek_channel_commit_temp (fd, tmp_path, path, 0644, error))
    return FALSE;
  g_hash_table_add (dirs_touched, g_steal_pointer (&dir));
  return TRUE;

fail:
  close (fd);
  g_unlink (tmp_path);
  return FALSE;
}

static char *
format_time (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static GBytes *
build_index (const char *name,
             gint64      serial,
             GDateTime  *created,
             GDateTime  *expires,
             GPtrArray  *entries)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *created_text = format_time (created);
  g_autofree char *expires_text = format_time (expires);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "serial");
  json_builder_add_int_value (builder, serial);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created_text);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_string_value (builder, expires_text);
  json_builder_set_member_name (builder, "packs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      DigithekChannelPackEntry *entry = g_ptr_array_index (entries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, entry->version);
      json_builder_set_member_name (builder, "manifest");
      json_builder_add_value (builder, digithek_channel_ref_to_node (&entry->manifest));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return digithek_channel_node_to_bytes (root);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const DigithekChannelPackEntry *ea = *(DigithekChannelPackEntry * const *) a;
  const DigithekChannelPackEntry *eb = *(DigithekChannelPackEntry * const *) b;

  return strcmp (ea->id, eb->id);
}

static GBytes *
sign_bytes (GBytes      *data,
            const char  *secret_key_path,
            GError     **error)
{
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  guint8 signature[crypto_sign_BYTES];
  char line[SIG_B64_SIZE + 1];
  const guint8 *bytes;
  gsize len;

  if (!digithek_channel_load_secret_key (secret_key_path, sk, error))
    {
      sodium_memzero (sk, sizeof sk);
      return NULL;
    }
  bytes = g_bytes_get_data (data, &len);
  crypto_sign_detached (signature, NULL, bytes, len, sk);
  sodium_memzero (sk, sizeof sk);

  digithek_channel_encode_key_line (signature, sizeof signature, line, sizeof line);
  return g_bytes_new (line, strlen (line));
}

/* Takes an exclusive lock on the channel folder so two publishes cannot interleave. A
 * lock on the folder itself writes nothing into the channel. */
static int
lock_channel (const char  *channel_dir,
              GError     **error)
{
  int fd = open (channel_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      digithek_channel_set_io_error (error, errno, "Cannot open the channel folder", channel_dir);
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK)
    {
      close (fd);
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "another publish into %s is running", channel_dir);
      return -1;
    }
  /* Other flock failures (file systems without locks) are not fatal: locking is a guard
   * against a mistake, not a correctness requirement. */
  return fd;
}

/* Collects the objects of @manifest_ref, a manifest already in the channel, into @keep. */
static gboolean
keep_manifest_objects (const char               *channel_dir,
                       const char               *pack_id,
                       const DigithekChannelRef *manifest_ref,
                       GHashTable               *keep,
                       GError                  **error)
{
  g_autofree char *path = object_full_path (channel_dir, manifest_ref->sha256);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DigithekChannelManifest) manifest = NULL;
  g_autoptr(GError) local_error = NULL;

  bytes = digithek_channel_read_small_file (path, DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE, &local_error);
  if (bytes != NULL)
    manifest = digithek_channel_manifest_parse (bytes, &local_error);
  if (manifest == NULL)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "cannot prune: the manifest of pack %s is unreadable (%s); "
                   "publish that pack again first", pack_id, local_error->message);
      return FALSE;
    }

  g_hash_table_add (keep, g_strdup (manifest_ref->sha256));
  for (guint i = 0; i < manifest->files->len; i++)
    {
      DigithekChannelFile *file = g_ptr_array_index (manifest->files, i);

      g_hash_table_add (keep, g_strdup (file->ref.sha256));
    }
  return TRUE;
}

/* Removes every object not in @keep, and temporary files a crashed publish left. */
static gboolean
prune_objects (const char  *channel_dir,
               GHashTable  *keep,
               guint       *out_pruned,
               GError     **error)
{
  g_autofree char *objects_dir = g_build_filename (channel_dir, "objects", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *fan;
  guint pruned = 0;

  *out_pruned = 0;
  if (!g_file_test (objects_dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  dir = g_dir_open (objects_dir, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((fan = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *fan_path = g_build_filename (objects_dir, fan, NULL);
      g_autoptr(GDir) sub = NULL;
      const char *name;
      gboolean empty = TRUE;

      if (strlen (fan) != 2 || !g_file_test (fan_path, G_FILE_TEST_IS_DIR))
        continue;
      sub = g_dir_open (fan_path, 0, NULL);
      if (sub == NULL)
        continue;
      while ((name = g_dir_read_name (sub)) != NULL)
        {
          g_autofree char *path = g_build_filename (fan_path, name, NULL);
          gboolean ours = (digithek_channel_sha256_hex_is_valid (name) && strncmp (name, fan, 2) == 0)
                          || g_str_has_prefix (name, TEMP_PREFIX);

          /* Files that are not objects are someone else's: leave them. */
          if (!ours || g_hash_table_contains (keep, name))
            {
              empty = FALSE;
              continue;
            }
          if (g_unlink (path) != 0)
            return digithek_channel_set_io_error (error, errno, "Cannot remove", path);
          pruned++;
        }
      if (empty)
        g_rmdir (fan_path);
      else
        digithek_channel_fsync_dir (fan_path);
    }
  digithek_channel_fsync_dir (objects_dir);
  *out_pruned = pruned;
  return TRUE;
}

static gboolean
conflict_error (GError    **error,
                GPtrArray  *problems)
{
  g_autofree char *message = NULL;

  g_ptr_array_add (problems, NULL);
  message = g_strjoinv ("\n", (char **) problems->pdata);
  g_set_error_literal (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT, message);
  return FALSE;
}

/* Same content as published despite other bytes (e.g. written by an older json-glib)? */
static gboolean
manifest_equal_to_published (const char               *channel_dir,
                             const DigithekChannelRef *published,
                             GBytes                   *manifest)
{
  g_autofree char *path = object_full_path (channel_dir, published->sha256);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  bytes = digithek_channel_read_small_file (path, DIGITHEK_CHANNEL_MAX_MANIFEST_SIZE, NULL);
  if (bytes == NULL)
    return FALSE;
  a = digithek_channel_parse_json (bytes, FALSE, "manifest", DIGITHEK_CHANNEL_ERROR_FAILED, NULL);
  b = digithek_channel_parse_json (manifest, FALSE, "manifest", DIGITHEK_CHANNEL_ERROR_FAILED,
                                   NULL);
  return a != NULL && b != NULL && json_node_equal (a, b);
}

gboolean
digithek_channel_publish (const char                          *channel_dir,
                          GPtrArray                           *packs,
                          const char                          *secret_key_path,
                          const DigithekChannelPublishOptions *options,
                          DigithekChannelPublishResult        *result,
                          GError                             **error)
{
  DigithekChannelPublishOptions defaults = { 0 };
  g_autofree char *index_path = NULL;
  g_autofree char *sig_path = NULL;
  g_autofree char *public_b64 = NULL;
  g_autofree char *objects_dir = NULL;
  g_autoptr(DigithekChannelIndex) existing = NULL;
  g_autoptr(GHashTable) objects = NULL;
  g_autoptr(GHashTable) dirs_touched = NULL;
  g_autoptr(GHashTable) keep = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) report = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) expires = NULL;
  const char *name;
  gboolean existing_verified = FALSE;
  gboolean unchanged;
  gint64 serial;
  guint objects_written = 0;
  guint64 bytes_written = 0;
  guint pruned = 0;
  int lock_fd = -1;
  gboolean ok = FALSE;

  g_return_val_if_fail (channel_dir != NULL, FALSE);
  g_return_val_if_fail (packs != NULL, FALSE);
  g_return_val_if_fail (secret_key_path != NULL, FALSE);

  if (options == NULL)
    options = &defaults;
  if (result != NULL)
    memset (result, 0, sizeof *result);

  if (options->name != NULL && !digithek_channel_name_is_valid (options->name))
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "“%s” is not a channel name: use [a-z0-9][a-z0-9-]{0,63}", options->name);
      return FALSE;
    }

  /* The key first: a wrong --key should not wait for hashing a gigabyte. */
  public_b64 = digithek_channel_load_secret_key_public (secret_key_path, error);
  if (public_b64 == NULL)
    return FALSE;

  index_path = g_build_filename (channel_dir, "index.json", NULL);
  sig_path = g_build_filename (channel_dir, "index.json.sig", NULL);
  objects_dir = g_build_filename (channel_dir, "objects", NULL);

  if (g_file_test (channel_dir, G_FILE_TEST_EXISTS))
    {
      if (!g_file_test (channel_dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s is not a folder", channel_dir);
          return FALSE;
        }
      lock_fd = lock_channel (channel_dir, error);
      if (lock_fd < 0)
        return FALSE;
    }

  /* Read the existing channel. A damaged index is not silently restarted at serial 1:
   * kiosks would refuse every later index as a rollback. */
  if (g_file_test (index_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GBytes) index_bytes = NULL;
      g_autoptr(GBytes) sig_bytes = NULL;
      g_autoptr(GError) local_error = NULL;

      index_bytes = digithek_channel_read_small_file (index_path, DIGITHEK_CHANNEL_MAX_INDEX_SIZE,
                                                      error);
      if (index_bytes == NULL)
        goto out;
      existing = digithek_channel_index_parse (index_bytes, &local_error);
      if (existing == NULL)
        {
          g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                       "%s: %s; refusing to publish over it", channel_dir,
                       local_error->message);
          goto out;
        }
      sig_bytes = digithek_channel_read_small_file (sig_path, SIG_MAX_SIZE, NULL);
      if (sig_bytes != NULL)
        {
          const char *keys[] = { public_b64, NULL };

          existing_verified = digithek_channel_verify_index (index_bytes, sig_bytes, keys, NULL);
        }
    }

  if (packs->len == 0 && existing == NULL)
    {
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_FAILED,
                   "%s has no index to refresh or prune; name a pack to publish", channel_dir);
      goto out;
    }

  name = options->name != NULL ? options->name
         : existing != NULL ? existing->name : "default";
  if (existing != NULL && !g_str_equal (existing->name, name))
    {
      /* Kiosks track serials per channel name; renaming would reset that protection. */
      g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT,
                   "%s holds the channel “%s”; it cannot be published as “%s”",
                   channel_dir, existing->name, name);
      goto out;
    }

  /* Plan: hash every file, build every manifest, compare with the published versions.
   * Nothing is written before all of this succeeded. */
  objects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, object_source_free);
  plans = g_ptr_array_new_with_free_func (planned_pack_free);
  problems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < packs->len; i++)
    {
      DigithekPack *pack = g_ptr_array_index (packs, i);
      const char *label = digithek_pack_get_dir (pack);
      PlannedPack *plan;

      for (guint j = 0; j < plans->len; j++)
        if (g_str_equal (((PlannedPack *) g_ptr_array_index (plans, j))->id,
                         digithek_pack_get_id (pack)))
          {
            g_set_error (error, DIGITHEK_CHANNEL_ERROR, DIGITHEK_CHANNEL_ERROR_CONFLICT,
                         "pack %s is named twice", digithek_pack_get_id (pack));
            goto out;
          }

      plan = plan_pack (pack, label, objects, error);
      if (plan == NULL)
        goto out;
      g_ptr_array_add (plans, plan);
    }

  for (guint i = 0; i < plans->len; i++)
    {
      PlannedPack *plan = g_ptr_array_index (plans, i);
      DigithekChannelPackEntry *entry = NULL;

      if (existing != NULL)
        entry = digithek_channel_index_find_pack (existing, plan->id);
      if (entry == NULL)
        {
          plan->state = PLAN_NEW;
          continue;
        }
      plan->old_version = entry->version;
      if (plan->version > entry->version)
        plan->state = PLAN_UPDATED;
      else if (plan->version < entry->version)
        g_ptr_array_add (problems,
                         g_strdup_printf ("pack %s version %" G_GINT64_FORMAT " is older than "
                                          "version %" G_GINT64_FORMAT " already published: "
                                          "raise the version above %" G_GINT64_FORMAT,
                                          plan->id, plan->version, entry->version,
                                          entry->version));
      else if (g_str_equal (entry->manifest.sha256, plan->manifest_ref.sha256)
               || manifest_equal_to_published (channel_dir, &entry->manifest, plan->manifest))
        {
          plan->state = PLAN_UNCHANGED;
          plan->manifest_ref = entry->manifest;
        }
      else
        g_ptr_array_add (problems,
                         g_strdup_printf ("pack %s version %" G_GINT64_FORMAT " is already "
                                          "published with different content: raise the version",
                                          plan->id, plan->version));
    }
  if (problems->len > 0)
    {
      conflict_error (error, problems);
      goto out;
    }

  /* The new list of packs: every pack already there, with the named ones replaced. */
  entries = g_ptr_array_new_with_free_func (digithek_channel_pack_entry_free);
  for (guint i = 0; existing != NULL && i < existing->packs->len; i++)
    {
      DigithekChannelPackEntry *old = g_ptr_array_index (existing->packs, i);
      DigithekChannelPackEntry *entry = g_new0 (DigithekChannelPackEntry, 1);

      *entry = *old;
      entry->id = g_strdup (old->id);
      g_ptr_array_add (entries, entry);
    }
  unchanged = existing != NULL && existing_verified && !options->refresh;
  for (guint i = 0; i < plans->len; i++)
    {
      PlannedPack *plan = g_ptr_array_index (plans, i);
      DigithekChannelPackEntry *entry = NULL;

      for (guint j = 0; j < entries->len && entry == NULL; j++)
        if (g_str_equal (((DigithekChannelPackEntry *) g_ptr_array_index (entries, j))->id,
                         plan->id))
          entry = g_ptr_array_index (entries, j);
      if (entry == NULL)
        {
          entry = g_new0 (DigithekChannelPackEntry, 1);
          entry->id = g_strdup (plan->id);
          g_ptr_array_add (entries, entry);
        }
      entry->version = plan->version;
      entry->manifest = plan->manifest_ref;
      if (plan->state != PLAN_UNCHANGED)
        unchanged = FALSE;
    }
  g_ptr_array_sort (entries, compare_entries);

  /* What --prune keeps: every object the manifests of the new index reference. Known
   * before writing, so an unreadable manifest stops the publish, not half of it. */
  if (options->prune)
    {
      keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < plans->len; i++)
        {
          PlannedPack *plan = g_ptr_array_index (plans, i);

          /* A published manifest kept for equal content references the same files. */
          g_hash_table_add (keep, g_strdup (plan->manifest_ref.sha256));
          for (guint j = 0; j < plan->file_shas->len; j++)
            g_hash_table_add (keep, g_strdup (g_ptr_array_index (plan->file_shas, j)));
        }
      for (guint i = 0; i < entries->len; i++)
        {
          DigithekChannelPackEntry *entry = g_ptr_array_index (entries, i);
          gboolean named = FALSE;

          for (guint j = 0; j < plans->len && !named; j++)
            named = g_str_equal (((PlannedPack *) g_ptr_array_index (plans, j))->id, entry->id);
          if (!named && !keep_manifest_objects (channel_dir, entry->id, &entry->manifest,
                                                keep, error))
            goto out;
        }
    }

  /* Write. */
  if (lock_fd < 0)
    {
      if (!digithek_channel_ensure_dir (channel_dir, error))
        goto out;
      lock_fd = lock_channel (channel_dir, error);
      if (lock_fd < 0)
        goto out;
    }

  dirs_touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, objects);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        ObjectSource *source = value;
        gboolean referenced = FALSE;

        /* A manifest replaced by the published one with equal content is not needed. */
        for (guint i = 0; i < plans->len && !referenced; i++)
          {
            PlannedPack *plan = g_ptr_array_index (plans, i);

            referenced = g_str_equal (plan->manifest_ref.sha256, source->ref.sha256);
            for (guint j = 0; j < plan->file_shas->len && !referenced; j++)
              referenced = g_str_equal (g_ptr_array_index (plan->file_shas, j),
                                        source->ref.sha256);
          }
        if (!referenced || object_present (channel_dir, &source->ref))
          continue;
        if (!write_object (channel_dir, source, dirs_touched, error))
          goto out;
        objects_written++;
        bytes_written += source->ref.size;
      }
  }
  if (objects_written > 0)
    {
      GHashTableIter iter;
      gpointer key;

      /* Objects must be durable before an index that names them. */
      g_hash_table_iter_init (&iter, dirs_touched);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        digithek_channel_fsync_dir (key);
      digithek_channel_fsync_dir (objects_dir);
      digithek_channel_fsync_dir (channel_dir);
    }

  if (unchanged)
    {
      serial = existing->serial;
      expires = g_date_time_ref (existing->expires);
    }
  else
    {
      g_autoptr(GBytes) index_bytes = NULL;
      g_autoptr(GBytes) sig_bytes = NULL;
      guint days = options->expires_days > 0 ? options->expires_days
                                             : DIGITHEK_CHANNEL_DEFAULT_EXPIRES_DAYS;

      now = options->now != NULL ? g_date_time_to_utc (options->now)
                                 : g_date_time_new_now_utc ();
      /* Whole seconds: the index shows plain `…:05Z` times. */
      created = g_date_time_new_from_unix_utc (g_date_time_to_unix (now));
      expires = g_date_time_add_days (created, (int) days);
      serial = existing != NULL ? existing->serial + 1 : 1;

      index_bytes = build_index (name, serial, created, expires, entries);
      sig_bytes = sign_bytes (index_bytes, secret_key_path, error);
      if (sig_bytes == NULL)
        goto out;

      /* Signature first, then the index: see the header for why. Each one's mtime is
       * later, in whole seconds, than the file it replaces, so that its ETag changes
       * (see digithek_channel_set_mtime_after_fd()). */
      if (!digithek_channel_write_file_atomic_after (sig_path, g_bytes_get_data (sig_bytes, NULL),
                                                     g_bytes_get_size (sig_bytes), 0644,
                                                     digithek_channel_file_mtime_seconds (sig_path), error))
        goto out;
      if (!digithek_channel_write_file_atomic_after (index_path,
                                                     g_bytes_get_data (index_bytes, NULL),
                                                     g_bytes_get_size (index_bytes), 0644,
                                                     digithek_channel_file_mtime_seconds (index_path), error))
        goto out;
      digithek_channel_fsync_dir (channel_dir);
    }

  if (options->prune && !prune_objects (channel_dir, keep, &pruned, error))
    goto out;

  report = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < plans->len; i++)
    {
      PlannedPack *plan = g_ptr_array_index (plans, i);

      switch (plan->state)
        {
        case PLAN_NEW:
          g_ptr_array_add (report, g_strdup_printf ("pack %s version %" G_GINT64_FORMAT ": new",
                                                    plan->id, plan->version));
          break;
        case PLAN_UPDATED:
          g_ptr_array_add (report,
                           g_strdup_printf ("pack %s version %" G_GINT64_FORMAT ": updated "
                                            "from version %" G_GINT64_FORMAT,
                                            plan->id, plan->version, plan->old_version));
          break;
        case PLAN_UNCHANGED:
          g_ptr_array_add (report,
                           g_strdup_printf ("pack %s version %" G_GINT64_FORMAT ": unchanged",
                                            plan->id, plan->version));
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (result != NULL)
    {
      result->unchanged = unchanged;
      result->serial = serial;
      result->name = g_strdup (name);
      result->expires = g_date_time_ref (expires);
      result->objects_written = objects_written;
      result->bytes_written = bytes_written;
      result->objects_pruned = pruned;
      result->report = g_steal_pointer (&report);
    }
  ok = TRUE;

out:
  if (lock_fd >= 0)
    close (lock_fd);
  return ok;
}
