/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <sodium.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>
#include <json-glib/json-glib.h>

#include "digithek-application.h"
#include "digithek-config.h"
#include "digithek-feedback.h"
#include "digithek-handoff.h"
#include "digithek-lockdown.h"
#include "digithek-metrics.h"
#include "digithek-pack.h"
#include "digithek-pin.h"
#include "digithek-session.h"
#include "digithek-store.h"
#include "digithek-store-wait.h"
#include "digithek-sync.h"
#include "digithek-admin-view.h"
#include "digithek-home-view.h"
#include "digithek-window.h"

#define OBJECT_PATH "/org/digithek/Kiosk"

struct _DigithekApplication
{
  AdwApplication parent_instance;

  /* command-line options */
  gboolean        demo;
  gboolean        kiosk;
  char           *preview_dir;
  char           *store_option;
  char           *config_option;
  char           *channel_option;
  GStrv           trust_option;
  char           *metrics_option;

  /* owned */
  DigithekConfig *config;
  DigithekStore  *store;
  char           *store_path;
  char           *temp_dir;        /* the throw-away store of --demo and --preview */
  GPtrArray      *pending_packs;   /* DigithekPack: to import before showing home */
  GCancellable   *cancellable;
  char           *language;
  DigithekSync   *sync;
  guint           sync_timeout_id;
  guint           sync_failures;
  gboolean        sync_running;
  gboolean        sync_requested;    /* sync-now or network back during a run */
  gboolean        content_pending;   /* newer content waits for a session boundary */
  gboolean        network_available;
  DigithekHandoff *handoff;         /* the phone page server, when configured and up */
  DigithekMetrics *metrics;
  guint           metrics_timeout_id;
  gboolean        metrics_failed;    /* a failed write was reported; quiet until it works */
  char           *last_view;
  DigithekSession *session;          /* idle warning, reset, attract loop, tours */
  DigithekPin    *pin;               /* staff admin: the config's PIN hash, the real clock */

  /* borrowed */
  DigithekWindow *window;
};

G_DEFINE_FINAL_TYPE (DigithekApplication, digithek_application, ADW_TYPE_APPLICATION)

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

static int
digithek_application_handle_local_options (GApplication *application,
                                           GVariantDict *options)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (application);
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

  return G_APPLICATION_CLASS (digithek_application_parent_class)->handle_local_options (application,
                                                                                        options);
}

/* Views -------------------------------------------------------------------- */

static void
set_current_view (DigithekApplication *self,
                  const char          *view)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "current-view");

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (view));
}

static void
refuse_state_change_cb (GSimpleAction *action,
                        GVariant      *value,
                        gpointer       user_data)
{
  /* Read-only state for --status; nobody on the bus may change it. */
}

static void
show_home (DigithekApplication *self,
           GPtrArray           *items)
{
  /* The window reports its view through notify::view (see window_view_changed_cb). */
  digithek_window_set_store (self->window, self->store);
  digithek_window_show_home (self->window, items);
}

static void
list_items_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DigithekApplication) self = user_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = digithek_store_list_home_finish (DIGITHEK_STORE (source), result, &error);
  if (self->window == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (items == NULL)
    {
      g_warning ("Cannot list the store's items: %s", error->message);
      digithek_window_show_out_of_service (self->window, error->message);
      set_current_view (self, "out-of-service");
      return;
    }
  show_home (self, items);
}

static void
refresh_home (DigithekApplication *self)
{
  /* Only the tiles home shows first come with their texts: a big store still starts
   * at once, and "show more" fetches the rest. */
  digithek_store_list_home_async (self->store, self->language,
                                  DIGITHEK_HOME_VIEW_TILES_PER_PAGE, self->cancellable,
                                  list_items_cb, g_object_ref (self));
}

static void import_next_pack (DigithekApplication *self);
static void schedule_sync (DigithekApplication *self);
static void start_sync (DigithekApplication *self);

/* New content reaches citizens only at a session boundary, never under a finger. */
static void
apply_pending_content (DigithekApplication *self)
{
  if (!self->content_pending || self->window == NULL)
    return;
  self->content_pending = FALSE;
  refresh_home (self);
}

/* Home and every item view are content a citizen may be reading or touching. */
static gboolean
view_shows_content (DigithekApplication *self)
{
  const char *view = self->window != NULL ? digithek_window_get_view (self->window) : NULL;

  return view != NULL &&
         !g_str_equal (view, "loading") &&
         !g_str_equal (view, "empty") &&
         !g_str_equal (view, "out-of-service");
}

/* Metrics ------------------------------------------------------------------ */

static void
write_metrics (DigithekApplication *self)
{
  const char *path = digithek_config_get_metrics_file (self->config);
  g_autoptr(GError) error = NULL;

  if (path == NULL || self->metrics == NULL)
    return;
  if (self->store_path != NULL)
    digithek_metrics_measure_store (self->metrics, self->store_path);
  if (!digithek_metrics_write (self->metrics, path, &error))
    {
      /* Monitoring must never take the kiosk down; once per failure streak. */
      if (!self->metrics_failed)
        g_message ("Cannot write the metrics to %s: %s", path, error->message);
      self->metrics_failed = TRUE;
      return;
    }
  self->metrics_failed = FALSE;
}

static void
metrics_packs_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DigithekApplication) self = user_data;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;

  packs = digithek_store_list_packs_finish (DIGITHEK_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (packs == NULL)
    g_message ("Cannot list the packs for the metrics: %s", error->message);
  else
    {
      digithek_metrics_clear_packs (self->metrics);
      for (guint i = 0; i < packs->len; i++)
        {
          DigithekStorePackInfo *info = g_ptr_array_index (packs, i);

          digithek_metrics_set_pack_version (self->metrics, info->id, info->version);
        }
    }
  write_metrics (self);
}

/* Reads the installed packs again, then writes. */
static void
update_metrics (DigithekApplication *self)
{
  if (self->store == NULL || self->metrics == NULL)
    return;
  digithek_store_list_packs_async (self->store, NULL, self->cancellable, metrics_packs_cb,
                                   g_object_ref (self));
}

static gboolean
metrics_timeout_cb (gpointer user_data)
{
  write_metrics (DIGITHEK_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* Handoff ------------------------------------------------------------------ */

/* The phone page server, when the config asks for one (also in --demo and --preview:
 * only the config decides). Without it, codes point at the items' web pages only. */
static void
setup_handoff (DigithekApplication *self)
{
  const char *listen = digithek_config_get_handoff_listen (self->config);
  g_autoptr(DigithekHandoff) handoff = NULL;
  g_autoptr(GError) error = NULL;

  if (listen == NULL)
    return;
  handoff = digithek_handoff_new (self->store, listen,
                                  digithek_config_get_handoff_base_url (self->config),
                                  self->language, &error);
  if (handoff == NULL || !digithek_handoff_start (handoff, &error))
    {
      g_message ("No phone page server on %s: %s; QR codes point at web pages only",
                 listen, error->message);
      return;
    }
  g_message ("Phone pages served on %s as %s", listen,
             digithek_handoff_get_base_url (handoff) != NULL
               ? digithek_handoff_get_base_url (handoff) : "(unknown base URL)");
  self->handoff = g_steal_pointer (&handoff);
}

static void
apply_handoff (DigithekApplication *self)
{
  if (self->window != NULL)
    digithek_window_set_handoff (self->window, self->handoff,
                                 digithek_config_get_handoff_mode (self->config) ==
                                 DIGITHEK_HANDOFF_MODE_LOCAL);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DigithekApplication) self = user_data;
  g_autoptr(DigithekSyncResult) sync_result = NULL;
  g_autoptr(GError) error = NULL;

  sync_result = digithek_sync_run_finish (DIGITHEK_SYNC (source), result, &error);
  self->sync_running = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (sync_result == NULL)
    {
      self->sync_failures++;
      if (self->metrics != NULL)
        digithek_metrics_add_sync_failure (self->metrics);
      /* A dead network or a refused update is part of a kiosk's life, not an anomaly:
       * the installed content stays, and --status and the metrics report it. */
      g_message ("Sync from %s failed: %s",
                 digithek_config_get_channel (self->config), error->message);
    }
  else
    {
      self->sync_failures = 0;
      if (self->metrics != NULL)
        digithek_metrics_set_sync_last_success (self->metrics, g_get_real_time () / G_USEC_PER_SEC);
      if (sync_result->changes->len > 0)
        {
          for (guint i = 0; i < sync_result->changes->len; i++)
            {
              DigithekSyncChange *change = g_ptr_array_index (sync_result->changes, i);
              g_message ("Installed pack %s version %" G_GINT64_FORMAT,
                         change->id, change->new_version);
            }
          self->content_pending = TRUE;
          /* Nothing a citizen could be touching: show the new content at once. */
          if (!view_shows_content (self))
            apply_pending_content (self);
        }
    }

  update_metrics (self);

  if (self->sync_requested)
    start_sync (self);
  else
    schedule_sync (self);
  /* Staff waiting in the admin view see the result. */
  if (self->window != NULL && g_strcmp0 (digithek_window_get_view (self->window), "admin") == 0)
    digithek_admin_view_refresh (digithek_window_get_admin_view (self->window));
}

static void
start_sync (DigithekApplication *self)
{
  g_clear_handle_id (&self->sync_timeout_id, g_source_remove);
  self->sync_requested = FALSE;
  if (self->sync == NULL)
    return;
  /* Never two at once: a request during a run starts another one after it. */
  if (self->sync_running)
    {
      self->sync_requested = TRUE;
      return;
    }
  self->sync_running = TRUE;
  digithek_sync_run_async (self->sync, self->cancellable, sync_done_cb, g_object_ref (self));
}

static gboolean
sync_timeout_cb (gpointer user_data)
{
  DigithekApplication *self = user_data;

  self->sync_timeout_id = 0;
  start_sync (self);
  return G_SOURCE_REMOVE;
}

/* The admin view shows when the next sync is due (DIGITHEK_ADMIN_NEXT_SYNC_KEY). */
static void
record_next_sync (DigithekApplication *self,
                  guint                delay)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) next = g_date_time_add_seconds (now, delay);
  g_autofree char *text = g_date_time_format (next, "%Y-%m-%dT%H:%M:%SZ");

  if (self->store != NULL)
    digithek_store_set_meta_async (self->store, DIGITHEK_ADMIN_NEXT_SYNC_KEY, text, NULL,
                                   NULL, NULL);
}

static void
schedule_sync (DigithekApplication *self)
{
  guint delay;

  if (self->sync == NULL)
    return;
  delay = digithek_sync_next_delay (digithek_config_get_sync_interval (self->config) * 60,
                                    self->sync_failures, g_random_int ());
  g_clear_handle_id (&self->sync_timeout_id, g_source_remove);
  self->sync_timeout_id = g_timeout_add_seconds (delay, sync_timeout_cb, self);
  record_next_sync (self, delay);
}

static void
network_changed_cb (GNetworkMonitor     *monitor,
                    gboolean             available,
                    DigithekApplication *self)
{
  /* The network came back: content may be waiting. */
  if (available && !self->network_available)
    start_sync (self);
  self->network_available = available;
}

static void
setup_sync (DigithekApplication *self)
{
  const char *channel = digithek_config_get_channel (self->config);
  const char * const *keys = digithek_config_get_trusted_keys (self->config);
  GNetworkMonitor *monitor;

  /* Demo and preview stores are throw-away: they never sync. Nothing planned, so
   * the admin view says so rather than show a time left by an earlier run. */
  if (channel == NULL || self->temp_dir != NULL)
    {
      digithek_store_set_meta_async (self->store, DIGITHEK_ADMIN_NEXT_SYNC_KEY, NULL, NULL,
                                     NULL, NULL);
      return;
    }
  if (keys[0] == NULL)
    {
      g_warning ("Channel %s configured without trusted_keys: not syncing", channel);
      return;
    }

  self->sync = digithek_sync_new (channel, keys, self->store, NULL);
  monitor = g_network_monitor_get_default ();
  self->network_available = g_network_monitor_get_network_available (monitor);
  g_signal_connect_object (monitor, "network-changed", G_CALLBACK (network_changed_cb),
                           self, 0);
  start_sync (self);
}

static void
import_pack_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DigithekApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!digithek_store_import_pack_finish (DIGITHEK_STORE (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot import a pack: %s", error->message);
      if (self->window != NULL)
        {
          digithek_window_show_out_of_service (self->window, error->message);
          set_current_view (self, "out-of-service");
        }
      return;
    }

  g_ptr_array_remove_index (self->pending_packs, 0);
  import_next_pack (self);
}

static void
import_next_pack (DigithekApplication *self)
{
  if (self->pending_packs == NULL || self->pending_packs->len == 0)
    {
      g_clear_pointer (&self->pending_packs, g_ptr_array_unref);
      refresh_home (self);
      update_metrics (self);
      return;
    }

  digithek_store_import_pack_async (self->store, g_ptr_array_index (self->pending_packs, 0),
                                    NULL, NULL, NULL, self->cancellable,
                                    import_pack_cb, g_object_ref (self));
}

/* Exported read-only state, read by `digithek --status`: only once the store has been
 * opened (created, migrated), so that a status query never opens it at the same time
 * as the kiosk creates it. */
static void
export_store_path (DigithekApplication *self)
{
  g_autoptr(GSimpleAction) store_action = NULL;

  store_action = g_simple_action_new_stateful ("store-path", NULL,
                                               g_variant_new_string (self->store_path));
  g_signal_connect (store_action, "change-state", G_CALLBACK (refuse_state_change_cb), NULL);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (store_action));
}

static void
store_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DigithekApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  self->store = digithek_store_new_finish (result, &error);
  if (self->store == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot open the store %s: %s", self->store_path, error->message);
      export_store_path (self);
      if (self->window != NULL)
        {
          digithek_window_show_out_of_service (self->window, error->message);
          set_current_view (self, "out-of-service");
        }
      return;
    }

  export_store_path (self);
  if (digithek_store_was_reset (self->store))
    g_warning ("The store %s failed its check and was moved aside to %s",
               self->store_path, digithek_store_get_broken_path (self->store));

  setup_handoff (self);
  apply_handoff (self);
  if (digithek_config_get_metrics_file (self->config) != NULL)
    {
      self->metrics = digithek_metrics_new ();
      self->metrics_timeout_id = g_timeout_add_seconds (60, metrics_timeout_cb, self);
    }
  setup_sync (self);
  import_next_pack (self);
}

/* Actions (exported on D-Bus) ---------------------------------------------- */

static void
sync_now_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  start_sync (DIGITHEK_APPLICATION (user_data));
}

/* Navigation goes through the window so that buttons, swipes and D-Bus take one path;
 * without a window there is nothing to navigate. */
static void
home_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);

  /* Going home is a session boundary: the window emits it, and pending content shows
   * then (window_session_boundary_cb). */
  if (self->window != NULL)
    digithek_window_go_home (self->window);
  else
    apply_pending_content (self);
}

static void
back_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);

  if (self->window != NULL)
    digithek_window_go_back (self->window);
}

static void
open_item_activated_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);
  const char *id = g_variant_get_string (parameter, NULL);

  if (self->window == NULL)
    return;
  if (!digithek_window_open_item (self->window, id))
    g_message ("open-item wants 'PACK/ITEM'");   /* never the argument: privacy */
}

static void
next_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);

  if (self->window != NULL)
    digithek_window_next (self->window);
}

static void
previous_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);

  if (self->window != NULL)
    digithek_window_previous (self->window);
}

/* Re-renders home and the view shown in place, in the new language: the window
 * switches UI strings and item, and tells window_language_changed_cb for home. */
static void
set_language_activated_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);
  const char *language = g_variant_get_string (parameter, NULL);

  if (!digithek_language_code_is_valid (language))
    {
      g_message ("set-language wants a language code such as 'de' or 'en'");
      return;
    }
  if (self->window != NULL)
    {
      digithek_window_set_language (self->window, language);
      return;
    }
  g_free (self->language);
  self->language = g_strdup (language);
}

/* The language changed, through D-Bus or the bar's switch: home lists anew in it. */
static void
window_language_changed_cb (DigithekWindow      *window,
                            GParamSpec          *pspec,
                            DigithekApplication *self)
{
  const char *language = digithek_window_get_language (window);

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  if (self->store != NULL && self->pending_packs == NULL)
    refresh_home (self);
}

/* Session ------------------------------------------------------------------- */

/* A group's poll answers, counted per tour and day only (kiosk/digithek-feedback.c). */
static void
record_feedback_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!digithek_feedback_record_finish (DIGITHEK_STORE (object), result, &error))
    g_message ("Cannot count a feedback poll: %s", error->message);
}

static void
record_feedback (DigithekApplication *self,
                 const char          *tour,
                 guint                satisfaction,
                 int                  again)
{
  if (self->store == NULL)
    return;
  digithek_feedback_record_async (self->store, tour, satisfaction, (DigithekFeedbackAgain) again,
                                  NULL, record_feedback_cb, NULL);
}

static void
reset_session_activated_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);

  if (self->session != NULL)
    digithek_session_reset_now (self->session);
}

/* A pilot (or staff tooling) starts a guided tour: no PIN, D-Bus is not for citizens. */
static void
start_tour_activated_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);
  const char *id = g_variant_get_string (parameter, NULL);

  if (self->window == NULL)
    return;
  if (!digithek_window_start_tour (self->window, id))
    g_message ("start-tour wants 'PACK/ITEM'");   /* never the argument: privacy */
}

static void
end_tour_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);

  if (self->window != NULL)
    digithek_window_end_tour (self->window);
}

/* Every action is a citizen's or a pilot's input, as a touch is (DESIGN.md); the reset
 * itself is not. Runs before the action's own handler. */
static void
action_activity_cb (GSimpleAction       *action,
                    GVariant            *parameter,
                    DigithekApplication *self)
{
  if (self->session != NULL)
    digithek_session_activity (self->session);
}

static void
session_reset_cb (DigithekSession     *session,
                  DigithekApplication *self)
{
  /* A citizen's or a group's session ended. */
  if (self->metrics != NULL)
    {
      digithek_metrics_add_session (self->metrics);
      write_metrics (self);
    }
}

static void
window_feedback_cb (DigithekWindow      *window,
                    const char          *tour,
                    guint                satisfaction,
                    int                  again,
                    DigithekApplication *self)
{
  record_feedback (self, tour, satisfaction, again);
}

static void
setup_session (DigithekApplication *self)
{
  g_autoptr(DigithekClock) clock = digithek_system_clock_new (NULL);

  self->session = digithek_session_new (clock, digithek_config_get_idle_timeout (self->config));
  g_signal_connect_object (self->session, "reset", G_CALLBACK (session_reset_cb), self,
                           G_CONNECT_AFTER);
  digithek_window_set_default_language (self->window,
                                        digithek_config_get_language (self->config));
  digithek_window_set_session (self->window, self->session);
  g_signal_connect_object (self->window, "feedback", G_CALLBACK (window_feedback_cb), self, 0);
}

/* Staff left kiosk mode in the admin view: the window drops fullscreen and gets its
 * window buttons back. The lockdown of --kiosk (shortcuts, inspector…) ends with it
 * where it is tied to kiosk mode; a restart with --kiosk locks down again. */
static void
leave_kiosk_activated_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);

  /* Only from an open admin session: the action is on D-Bus too. */
  if (self->pin == NULL || !digithek_pin_get_unlocked (self->pin))
    {
      g_message ("leave-kiosk refused: the admin view is locked");
      return;
    }
  self->kiosk = FALSE;
  if (self->window != NULL)
    digithek_window_set_kiosk_mode (self->window, FALSE);
}

/* search('text'): the search view with @text in its field and its results. */
static void
search_activated_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);

  if (self->window != NULL)
    digithek_window_search (self->window, g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "leave-kiosk", leave_kiosk_activated_cb },
  { "sync-now", sync_now_activated_cb },
  { "home", home_activated_cb },
  { "back", back_activated_cb },
  { "open-item", open_item_activated_cb, "s" },
  { "next", next_activated_cb },
  { "previous", previous_activated_cb },
  { "set-language", set_language_activated_cb, "s" },
  { "search", search_activated_cb, "s" },
  { "reset-session", reset_session_activated_cb },
  { "start-tour", start_tour_activated_cb, "s" },
  { "end-tour", end_tour_activated_cb },
};

static void
window_view_changed_cb (DigithekWindow      *window,
                        GParamSpec          *pspec,
                        DigithekApplication *self)
{
  const char *view = digithek_window_get_view (window);

  g_free (self->last_view);
  self->last_view = g_strdup (view);
  set_current_view (self, view);
}

static void
window_session_boundary_cb (DigithekWindow      *window,
                            DigithekApplication *self)
{
  apply_pending_content (self);
}

/* A rollback or a USB import in the admin view: home lists again when staff leave. */
static void
admin_content_changed_cb (DigithekAdminView   *admin_view,
                          DigithekApplication *self)
{
  self->content_pending = TRUE;
  update_metrics (self);
}

/* GApplication ------------------------------------------------------------- */

/* systemd stops the kiosk with SIGTERM: quit cleanly so temporary stores go away. */
static gboolean
quit_on_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
digithek_application_startup (GApplication *application)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (application);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GSimpleAction) view_action = NULL;

  /* The store opens on its worker thread while GTK and libadwaita initialise: the
   * home view's first frame waits for both, not one after the other. */
  self->cancellable = g_cancellable_new ();
  digithek_store_new_async (self->store_path, self->cancellable, store_ready_cb,
                            g_object_ref (self));

  G_APPLICATION_CLASS (digithek_application_parent_class)->startup (application);

  gtk_css_provider_load_from_resource (css, "/org/digithek/Kiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  /* Exported read-only state, read by `digithek --status`. */
  view_action = g_simple_action_new_stateful ("current-view", NULL,
                                              g_variant_new_string ("loading"));
  g_signal_connect (view_action, "change-state", G_CALLBACK (refuse_state_change_cb), NULL);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (view_action));


  g_unix_signal_add (SIGTERM, quit_on_signal_cb, self);
  g_unix_signal_add (SIGINT, quit_on_signal_cb, self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_actions); i++)
    if (!g_str_equal (app_actions[i].name, "reset-session"))
      g_signal_connect (g_action_map_lookup_action (G_ACTION_MAP (self), app_actions[i].name),
                        "activate", G_CALLBACK (action_activity_cb), self);

  /* Nothing a citizen opens goes into GTK's list of recent files. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (gtk_settings_get_default ()),
                                    "gtk-recent-files-enabled") != NULL)
    g_object_set (gtk_settings_get_default (), "gtk-recent-files-enabled", FALSE, NULL);
  if (self->kiosk)
    digithek_lockdown_disable_inspector ();

}

static void
digithek_application_activate (GApplication *application)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (application);

  if (self->window == NULL)
    {
      self->window = digithek_window_new (ADW_APPLICATION (self));
      g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      digithek_window_set_language (self->window, self->language);
      digithek_window_set_store (self->window, self->store);
      g_signal_connect_object (self->window, "notify::view",
                               G_CALLBACK (window_view_changed_cb), self, 0);
      g_signal_connect_object (self->window, "session-boundary",
                               G_CALLBACK (window_session_boundary_cb), self, 0);
      g_signal_connect_object (self->window, "notify::language",
                               G_CALLBACK (window_language_changed_cb), self, 0);
      digithek_window_show_loading (self->window);
      digithek_window_set_kiosk_mode (self->window, self->kiosk);
      apply_handoff (self);
      setup_session (self);
      /* Staff admin: the hidden corner, the PIN pad, the admin view. */
      if (self->pin == NULL)
        {
          g_autoptr(DigithekClock) clock = digithek_system_clock_new (NULL);

          self->pin = digithek_pin_new (clock, digithek_config_get_pin_hash (self->config));
        }
      digithek_window_set_pin (self->window, self->pin, NULL);
      /* The channel only where setup_sync() syncs from it: not for the throw-away
       * stores of --demo and --preview, nor without a trusted key. */
      digithek_admin_view_set_sync_config (digithek_window_get_admin_view (self->window),
                                           self->temp_dir == NULL
                                           && digithek_config_get_trusted_keys (self->config)[0] != NULL
                                             ? digithek_config_get_channel (self->config) : NULL,
                                           digithek_config_get_trusted_keys (self->config));
      g_signal_connect_object (digithek_window_get_admin_view (self->window), "content-changed",
                               G_CALLBACK (admin_content_changed_cb), self, 0);
    }

  /* A quick start shows home as its first frame; a slow one (a demo import) shows the
   * loading page after a moment. */
  digithek_window_present_when_ready (self->window, 400);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
digithek_application_shutdown (GApplication *application)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->sync_timeout_id, g_source_remove);
  g_clear_handle_id (&self->metrics_timeout_id, g_source_remove);
  /* Views may still hold the server; stopped, it only closes its socket. */
  if (self->handoff != NULL)
    digithek_handoff_stop (self->handoff);
  g_clear_object (&self->handoff);
  /* A cancelled run still has to leave the store before it closes. */
  while (self->sync_running)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&self->sync);
  if (self->store != NULL)
    digithek_store_close (self->store);
  g_clear_object (&self->store);
  if (self->temp_dir != NULL)
    remove_tree (self->temp_dir);

  G_APPLICATION_CLASS (digithek_application_parent_class)->shutdown (application);
}

static void
digithek_application_finalize (GObject *object)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (object);

  g_clear_object (&self->config);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_packs, g_ptr_array_unref);
  g_clear_pointer (&self->preview_dir, g_free);
  g_clear_pointer (&self->store_option, g_free);
  g_clear_pointer (&self->config_option, g_free);
  g_clear_pointer (&self->channel_option, g_free);
  g_clear_pointer (&self->trust_option, g_strfreev);
  g_clear_pointer (&self->metrics_option, g_free);
  g_clear_pointer (&self->last_view, g_free);
  g_clear_object (&self->metrics);
  g_clear_object (&self->session);
  g_clear_object (&self->pin);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->temp_dir, g_free);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (digithek_application_parent_class)->finalize (object);
}

static void
digithek_application_class_init (DigithekApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = digithek_application_finalize;
  app_class->handle_local_options = digithek_application_handle_local_options;
  app_class->startup = digithek_application_startup;
  app_class->activate = digithek_application_activate;
  app_class->shutdown = digithek_application_shutdown;
}

static void
digithek_application_init (DigithekApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("DigiThek Kiosk: open data, smart-city projects and "
                                              "e-government guides at a public touchscreen."));
}

DigithekApplication *
digithek_application_new (void)
{
  return g_object_new (DIGITHEK_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/digithek/Kiosk",
                       NULL);
}
