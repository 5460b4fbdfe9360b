/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <glib-unix.h>

#include "digithek-application-private.h"
#include "digithek-admin-view.h"
#include "digithek-feedback.h"
#include "digithek-home-view.h"
#include "digithek-lockdown.h"

/* Lifecycle and wiring: the store opens while GTK starts, packs of --demo and --preview
 * are imported, home lists; sync, handoff server, metrics and session are set up once
 * the store is there; the window's signals come back here. */

G_DEFINE_FINAL_TYPE (DigithekApplication, digithek_application, ADW_TYPE_APPLICATION)

/* Home -------------------------------------------------------------------- */

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
      _digithek_application_set_current_view (self, "out-of-service");
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

/* New content reaches citizens only at a session boundary, never under a finger. */
void
_digithek_application_apply_pending_content (DigithekApplication *self)
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

/* Sync (when: kiosk/schedule/) --------------------------------------------- */

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DigithekApplication) self = user_data;
  g_autoptr(DigithekSyncResult) sync_result = NULL;
  g_autoptr(GError) error = NULL;

  sync_result = digithek_sync_run_finish (DIGITHEK_SYNC (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      digithek_sync_scheduler_finished (self->sync_scheduler, DIGITHEK_SYNC_OUTCOME_CANCELLED);
      return;
    }

  if (sync_result == NULL)
    {
      if (self->metrics != NULL)
        digithek_metrics_add_sync_failure (self->metrics);
      /* A dead network or a refused update is part of a kiosk's life, not an anomaly:
       * the installed content stays, and --status and the metrics report it. */
      g_message ("Sync from %s failed: %s",
                 digithek_config_get_channel (self->config), error->message);
    }
  else
    {
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
            _digithek_application_apply_pending_content (self);
        }
    }

  update_metrics (self);

  /* The next run: at once when one was asked for meanwhile, else planned. */
  digithek_sync_scheduler_finished (self->sync_scheduler,
                                    sync_result != NULL ? DIGITHEK_SYNC_OUTCOME_SUCCEEDED
                                                        : DIGITHEK_SYNC_OUTCOME_FAILED);
  /* Staff waiting in the admin view see the result. */
  if (self->window != NULL && g_strcmp0 (digithek_window_get_view (self->window), "admin") == 0)
    digithek_admin_view_refresh (digithek_window_get_admin_view (self->window));
}

/* The scheduler says when (kiosk/schedule/); a run at a time. */
static void
scheduler_run_cb (DigithekSyncScheduler *scheduler,
                  DigithekApplication   *self)
{
  digithek_sync_run_async (self->sync, self->cancellable, sync_done_cb, g_object_ref (self));
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
scheduler_scheduled_cb (DigithekSyncScheduler *scheduler,
                        guint                  delay,
                        DigithekApplication   *self)
{
  record_next_sync (self, delay);
}

static void
network_changed_cb (GNetworkMonitor     *monitor,
                    gboolean             available,
                    DigithekApplication *self)
{
  /* The network came back: content may be waiting. Nothing after shutdown. */
  if (self->sync_scheduler != NULL)
    digithek_sync_scheduler_set_network_available (self->sync_scheduler, available);
}

static void
setup_sync (DigithekApplication *self)
{
  const char *channel = digithek_config_get_channel (self->config);
  const char * const *keys = digithek_config_get_trusted_keys (self->config);
  g_autoptr(DigithekClock) clock = NULL;
  GNetworkMonitor *monitor;
  gboolean available;

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
  clock = digithek_system_clock_new (NULL);
  self->sync_scheduler =
    digithek_sync_scheduler_new (clock, digithek_config_get_sync_interval (self->config) * 60);
  g_signal_connect_object (self->sync_scheduler, "run", G_CALLBACK (scheduler_run_cb), self, 0);
  g_signal_connect_object (self->sync_scheduler, "scheduled",
                           G_CALLBACK (scheduler_scheduled_cb), self, 0);
  monitor = g_network_monitor_get_default ();
  available = g_network_monitor_get_network_available (monitor);
  digithek_sync_scheduler_set_network_available (self->sync_scheduler, available);
  g_signal_connect_object (monitor, "network-changed", G_CALLBACK (network_changed_cb),
                           self, 0);
  digithek_sync_scheduler_start (self->sync_scheduler);
}

/* Store and imports -------------------------------------------------------- */

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
          _digithek_application_set_current_view (self, "out-of-service");
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
      _digithek_application_export_store_path (self);
      if (self->window != NULL)
        {
          digithek_window_show_out_of_service (self->window, error->message);
          _digithek_application_set_current_view (self, "out-of-service");
        }
      return;
    }

  _digithek_application_export_store_path (self);
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

/* Window ------------------------------------------------------------------- */

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

/* Never waits: the store's worker may be in the middle of a whole-pack import. */
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

static void
window_view_changed_cb (DigithekWindow      *window,
                        GParamSpec          *pspec,
                        DigithekApplication *self)
{
  const char *view = digithek_window_get_view (window);

  g_free (self->last_view);
  self->last_view = g_strdup (view);
  _digithek_application_set_current_view (self, view);
}

static void
window_session_boundary_cb (DigithekWindow      *window,
                            DigithekApplication *self)
{
  _digithek_application_apply_pending_content (self);
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

static int
digithek_application_handle_local_options (GApplication *application,
                                           GVariantDict *options)
{
  int status = _digithek_application_handle_options (DIGITHEK_APPLICATION (application), options);

  if (status >= 0)
    return status;
  return G_APPLICATION_CLASS (digithek_application_parent_class)->handle_local_options (application,
                                                                                        options);
}

static void
digithek_application_startup (GApplication *application)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (application);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

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

  _digithek_application_actions_init (self);

  g_unix_signal_add (SIGTERM, quit_on_signal_cb, self);
  g_unix_signal_add (SIGINT, quit_on_signal_cb, self);

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
  if (self->sync_scheduler != NULL)
    digithek_sync_scheduler_stop (self->sync_scheduler);
  g_clear_handle_id (&self->metrics_timeout_id, g_source_remove);
  /* Views may still hold the server; stopped, it only closes its socket. */
  if (self->handoff != NULL)
    digithek_handoff_stop (self->handoff);
  g_clear_object (&self->handoff);
  /* A cancelled run still has to leave the store before it closes. */
  while (self->sync_scheduler != NULL &&
         digithek_sync_scheduler_get_running (self->sync_scheduler))
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&self->sync_scheduler);
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
  _digithek_application_add_options (self);
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
