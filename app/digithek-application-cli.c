/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The command line of `digithek`: options, and the headless --status, --sync-once and
 * --set-pin, which never take the application id nor need a display. */

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>
#include <json-glib/json-glib.h>

#include "digithek-application-private.h"
#include "digithek-admin-view.h"
#include "digithek-lockdown.h"
#include "digithek-pack.h"
#include "digithek-store-wait.h"

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run on the bundled demo packs (a fresh temporary store)"), NULL },
  { "preview", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Show an unpublished pack folder as the kiosk would"), N_("DIR") },
  { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Fullscreen and locked down"), NULL },
  { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Where the content store is"), N_("PATH") },
  { "config", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Where the config file is (default /etc/digithek/kiosk.ini)"), N_("PATH") },
  { "channel", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Sync from this channel (URL or folder) instead of the config's"), N_("URL-OR-DIR") },
  { "trust", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Trust this public key (base64 text or .pub file) instead of the config's"),
    N_("PUBKEY") },
  { "idle-timeout", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Seconds without input before the session resets"), N_("SECONDS") },
  { "metrics-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write Prometheus metrics there after every sync and every minute"), N_("PATH") },
  { "sync-once", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Sync once without a window, print what changed and exit"), NULL },
  { "status", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print a JSON status and exit"), NULL },
  { "set-pin", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Ask for a new staff PIN and store its Argon2id hash in the config file"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static const char *
demo_dir (void)
{
  /* Uninstalled builds read the packs from the source tree. */
  if (g_file_test (DEMO_SOURCE_DIR, G_FILE_TEST_IS_DIR))
    return DEMO_SOURCE_DIR;
  return DEMO_INSTALL_DIR;
}

static int
compare_strings_cb (gconstpointer a,
                    gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Loads and validates every pack folder below @dir, sorted by name. */
static GPtrArray *
load_pack_folders (const char  *dir,
                   GError     **error)
{
  g_autoptr(GPtrArray) packs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) gdir = NULL;
  const char *name;

  gdir = g_dir_open (dir, 0, error);
  if (gdir == NULL)
    return NULL;

  while ((name = g_dir_read_name (gdir)) != NULL)
    {
      g_autofree char *manifest = g_build_filename (dir, name, "pack.json", NULL);

      if (g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_strings_cb);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      DigithekPack *pack = digithek_pack_load (path, NULL, NULL, error);

      if (pack == NULL)
        return NULL;
      g_ptr_array_add (packs, pack);
    }

  return g_steal_pointer (&packs);
}

static void
print_problems (GPtrArray *lines)
{
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (lines, i));
}

/* --status --------------------------------------------------------------- */

/* Asks a running kiosk on the session bus for its store and view. Returns FALSE when
 * none runs (or there is no session bus): that is not an error. */
static gboolean
query_running_kiosk (char **out_store_path,
                     char **out_view)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) actions = NULL;
  g_autoptr(GVariant) store_desc = NULL;
  g_autoptr(GVariant) view_desc = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, APPLICATION_ID, OBJECT_PATH,
                                       "org.gtk.Actions", "DescribeAll", NULL,
                                       G_VARIANT_TYPE ("(a{s(bgav)})"),
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, 2000, NULL, NULL);
  if (reply == NULL)
    return FALSE;

  actions = g_variant_get_child_value (reply, 0);
  store_desc = g_variant_lookup_value (actions, "store-path", G_VARIANT_TYPE ("(bgav)"));
  view_desc = g_variant_lookup_value (actions, "current-view", G_VARIANT_TYPE ("(bgav)"));
  if (store_desc == NULL || view_desc == NULL)
    return FALSE;

  for (guint i = 0; i < 2; i++)
    {
      GVariant *desc = i == 0 ? store_desc : view_desc;
      g_autoptr(GVariant) states = g_variant_get_child_value (desc, 2);
      g_autoptr(GVariant) boxed = NULL;
      g_autoptr(GVariant) state = NULL;

      if (g_variant_n_children (states) != 1)
        return FALSE;
      boxed = g_variant_get_child_value (states, 0);
      state = g_variant_get_variant (boxed);
      if (!g_variant_is_of_type (state, G_VARIANT_TYPE_STRING))
        return FALSE;
      *(i == 0 ? out_store_path : out_view) = g_variant_dup_string (state, NULL);
    }

  return TRUE;
}

/* Adds the meta value @key as a JSON value of @type (null when unset). With a %NULL
 * @member the builder's member name is already set. */
static void
add_meta_value (JsonBuilder        *builder,
                DigithekStore      *store,
                const char         *member,
                const char         *key,
                const GVariantType *type)
{
  g_autofree char *value = NULL;
  gint64 number;

  if (store != NULL)
    {
      g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

      digithek_store_wait_begin (wait);
      digithek_store_get_meta_async (store, key, NULL, digithek_store_wait_cb, wait);
      value = digithek_store_get_meta_finish (store, digithek_store_wait_end (wait), NULL);
    }
  if (member != NULL)
    json_builder_set_member_name (builder, member);

  if (value == NULL)
    json_builder_add_null_value (builder);
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_INT64) &&
           g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
    json_builder_add_int_value (builder, number);
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN))
    json_builder_add_boolean_value (builder, g_strcmp0 (value, "true") == 0);
  else
    json_builder_add_string_value (builder, value);
}

static int
print_status (DigithekApplication *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *running_store = NULL;
  g_autofree char *view = NULL;
  g_autofree char *text = NULL;
  const char *store_path = self->store_path;

  if (self->store_option == NULL && query_running_kiosk (&running_store, &view))
    store_path = running_store;

  /* Reporting must not create a store where there is none. */
  if (g_file_test (store_path, G_FILE_TEST_EXISTS))
    {
      digithek_store_wait_begin (wait);
      digithek_store_new_async (store_path, NULL, digithek_store_wait_cb, wait);
      store = digithek_store_new_finish (digithek_store_wait_end (wait), &error);
      if (store == NULL)
        {
          g_printerr (_("Cannot open the store %s: %s\n"), store_path, error->message);
          return 1;
        }
      digithek_store_wait_begin (wait);
      digithek_store_list_packs_async (store, NULL, NULL, digithek_store_wait_cb, wait);
      packs = digithek_store_list_packs_finish (store, digithek_store_wait_end (wait), &error);
      if (packs == NULL)
        {
          g_printerr (_("Cannot read the store %s: %s\n"), store_path, error->message);
          return 1;
        }
    }

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "packs");
  json_builder_begin_array (builder);
  for (guint i = 0; packs != NULL && i < packs->len; i++)
    {
      DigithekStorePackInfo *info = g_ptr_array_index (packs, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, info->id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, info->version);
      json_builder_set_member_name (builder, "previous_version");
      if (info->previous_version > 0)
        json_builder_add_int_value (builder, info->previous_version);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "items");
      json_builder_add_int_value (builder, info->n_items);
      json_builder_set_member_name (builder, "rows");
      json_builder_add_int_value (builder, (gint64) info->n_rows);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "store");
  json_builder_add_string_value (builder, store_path);

  json_builder_set_member_name (builder, "channel");
  if (digithek_config_get_channel (self->config) != NULL)
    json_builder_add_string_value (builder, digithek_config_get_channel (self->config));
  else
    add_meta_value (builder, store, NULL, "sync.channel", G_VARIANT_TYPE_STRING);

  add_meta_value (builder, store, "serial", "sync.serial", G_VARIANT_TYPE_INT64);

  json_builder_set_member_name (builder, "last_sync");
  json_builder_begin_object (builder);
  add_meta_value (builder, store, "time", "sync.last-time", G_VARIANT_TYPE_STRING);
  add_meta_value (builder, store, "ok", "sync.last-ok", G_VARIANT_TYPE_BOOLEAN);
  add_meta_value (builder, store, "error", "sync.last-error", G_VARIANT_TYPE_STRING);
  json_builder_end_object (builder);
  /* When the running kiosk plans its next sync (staff admin shows it too). */
  add_meta_value (builder, store, "next_sync", DIGITHEK_ADMIN_NEXT_SYNC_KEY, G_VARIANT_TYPE_STRING);

  json_builder_set_member_name (builder, "view");
  if (view != NULL)
    json_builder_add_string_value (builder, view);
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
  return 0;
}

/* --sync-once -------------------------------------------------------------- */

static int
run_sync_once (DigithekApplication *self)
{
  const char * const *keys = digithek_config_get_trusted_keys (self->config);
  g_autoptr(DigithekSyncResult) result = NULL;
  g_autofree char *report = NULL;
  g_autoptr(GError) error = NULL;

  if (digithek_config_get_channel (self->config) == NULL)
    {
      g_printerr ("%s\n", _("No channel: set channel in the config file or pass --channel."));
      return 2;
    }
  if (keys[0] == NULL)
    {
      g_printerr ("%s\n", _("No trusted key: set trusted_keys in the config file or pass --trust."));
      return 2;
    }

  result = digithek_sync_run_headless (self->store_path,
                                       digithek_config_get_channel (self->config), keys, &error);
  if (result == NULL)
    {
      g_printerr ("%s\n", error != NULL ? error->message : _("sync failed"));
      return 1;
    }
  report = digithek_sync_result_describe (result);
  g_print ("%s", report);
  return 0;
}

/* --set-pin ---------------------------------------------------------------- */

/* Reads one line from standard input; without echo when it is a terminal. The buffer
 * is the caller's, so the PIN can be wiped after use. */
static gboolean
read_pin (const char *prompt,
          char       *buffer,
          gsize       size)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  gboolean ok;
  gsize len;

  fputs (prompt, stderr);
  fflush (stderr);
  if (tty && tcgetattr (STDIN_FILENO, &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  else
    tty = FALSE;

  ok = fgets (buffer, (int) size, stdin) != NULL;

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }
  if (!ok)
    return FALSE;

  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';
  return TRUE;
}

static int
run_set_pin (DigithekApplication *self)
{
  const char *path = self->config_option != NULL ? self->config_option
                                                 : DIGITHEK_CONFIG_DEFAULT_PATH;
  char first[64] = { 0 };
  char second[64] = { 0 };
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  int status = 1;

  if (!read_pin (_("New staff PIN (4 to 8 digits): "), first, sizeof first) ||
      !read_pin (_("The same PIN again: "), second, sizeof second))
    {
      g_printerr ("%s\n", _("No PIN was entered; nothing was changed."));
      goto out;
    }
  if (strcmp (first, second) != 0)
    {
      g_printerr ("%s\n", _("The two PINs differ; nothing was changed."));
      goto out;
    }
  if (!digithek_pin_check_rules (first, &error) ||
      (hash = digithek_pin_hash (first, &error)) == NULL ||
      !digithek_pin_set_in_config (path, hash, &error))
    {
      g_printerr ("%s\n", error->message);
      goto out;
    }

  g_print (_("The staff PIN is stored, as an Argon2id hash, in %s.\n"), path);
  status = 0;

out:
  sodium_memzero (first, sizeof first);
  sodium_memzero (second, sizeof second);
  return status;
}

/* Options ------------------------------------------------------------------ */

/* Returns an exit status, or -1 to go on and run the kiosk. */
int
_digithek_application_handle_options (DigithekApplication *self,
                                      GVariantDict        *options)
{
  g_autoptr(GError) error = NULL;
  gboolean status = FALSE;
  gboolean version = FALSE;
  gboolean sync_once = FALSE;
  gboolean set_pin = FALSE;
  gboolean has_idle_timeout;
  int idle_timeout = 0;

  g_variant_dict_lookup (options, "version", "b", &version);
  if (version)
    {
      g_print ("digithek %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "demo", "b", &self->demo);
  g_variant_dict_lookup (options, "kiosk", "b", &self->kiosk);
  /* Before GTK reads it in startup: GTK_DEBUG=interactive would open the inspector. */
  if (self->kiosk)
    digithek_lockdown_prepare_environment ();
  g_variant_dict_lookup (options, "status", "b", &status);
  g_variant_dict_lookup (options, "preview", "^ay", &self->preview_dir);
  g_variant_dict_lookup (options, "store", "^ay", &self->store_option);
  g_variant_dict_lookup (options, "config", "^ay", &self->config_option);
  g_variant_dict_lookup (options, "channel", "s", &self->channel_option);
  g_variant_dict_lookup (options, "trust", "^as", &self->trust_option);
  g_variant_dict_lookup (options, "metrics-file", "^ay", &self->metrics_option);
  g_variant_dict_lookup (options, "sync-once", "b", &sync_once);
  g_variant_dict_lookup (options, "set-pin", "b", &set_pin);
  has_idle_timeout = g_variant_dict_lookup (options, "idle-timeout", "i", &idle_timeout);

  if (self->demo && self->preview_dir != NULL)
    {
      g_printerr ("%s\n", _("--demo and --preview cannot be combined."));
      return 2;
    }

  /* Setting the PIN must work before the config is complete or even exists. */
  if (set_pin)
    return run_set_pin (self);

  self->config = digithek_config_load (self->config_option, &error);
  if (self->config == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  self->language = g_strdup (digithek_config_get_language (self->config));
  if (self->channel_option != NULL)
    digithek_config_set_channel (self->config, self->channel_option);
  if (self->trust_option != NULL)
    digithek_config_set_trusted_keys (self->config, (const char * const *) self->trust_option);
  if (self->metrics_option != NULL)
    digithek_config_set_metrics_file (self->config, self->metrics_option);
  if (has_idle_timeout)
    {
      /* Shorter than the config allows, for tests and demonstrations. */
      if (idle_timeout < 2 || idle_timeout > 24 * 3600)
        {
          g_printerr ("%s\n", _("--idle-timeout takes seconds from 2 to 86400."));
          return 2;
        }
      digithek_config_set_idle_timeout (self->config, (guint) idle_timeout);
    }

  if (self->store_option != NULL)
    self->store_path = g_strdup (self->store_option);
  else if (digithek_config_get_store_path (self->config) != NULL)
    self->store_path = g_strdup (digithek_config_get_store_path (self->config));
  else
    self->store_path = digithek_config_default_store_path ();

  /* Headless: never takes the application id, needs no display. */
  if (status && sync_once)
    {
      g_printerr ("%s\n", _("--status and --sync-once cannot be combined."));
      return 2;
    }
  if (status)
    return print_status (self);
  if (sync_once)
    return run_sync_once (self);

  /* A first run, with neither content nor a channel to get it from, shows the demo. */
  if (!self->demo && self->preview_dir == NULL &&
      digithek_config_get_channel (self->config) == NULL &&
      !g_file_test (self->store_path, G_FILE_TEST_EXISTS))
    {
      g_message ("No store at %s and no channel configured: showing the demo packs",
                 self->store_path);
      self->demo = TRUE;
    }

  if (self->preview_dir != NULL)
    {
      g_autoptr(GPtrArray) problems = NULL;
      DigithekPack *pack;

      pack = digithek_pack_load (self->preview_dir, NULL, &problems, &error);
      if (pack == NULL)
        {
          print_problems (problems);
          if (problems == NULL || problems->len == 0)
            g_printerr ("%s\n", error->message);
          g_printerr (_("%s cannot be previewed until these problems are fixed.\n"),
                      self->preview_dir);
          return 1;
        }
      self->pending_packs = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (self->pending_packs, pack);
    }
  else if (self->demo)
    {
      self->pending_packs = load_pack_folders (demo_dir (), &error);
      if (self->pending_packs == NULL)
        {
          g_printerr (_("The demo packs in %s cannot be loaded: %s\n"),
                      demo_dir (), error->message);
          return 1;
        }
    }

  if (self->pending_packs != NULL)
    {
      /* Demo and preview never touch a real store. */
      self->temp_dir = g_dir_make_tmp ("digithek-XXXXXX", &error);
      if (self->temp_dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_free (self->store_path);
      self->store_path = g_build_filename (self->temp_dir, "store.db", NULL);
    }

  return -1;
}

void
_digithek_application_add_options (DigithekApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("DigiThek Kiosk: open data, smart-city projects and "
                                              "e-government guides at a public touchscreen."));
}
