/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-admin-view.h"
#include "digithek-feedback.h"
#include "digithek-store-wait.h"
#include "digithek-i18n.h"
#include "digithek-sync.h"
#include "digithek-usb.h"

struct _DigithekAdminView
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkLabel            *title_label;
  GtkButton           *lock_button;
  GtkLabel            *message_label;
  AdwPreferencesGroup *sync_group;
  AdwActionRow        *channel_row;
  AdwActionRow        *last_sync_row;
  AdwActionRow        *next_sync_row;
  GtkButton           *sync_now_button;
  GtkButton           *import_button;
  GtkButton           *leave_kiosk_button;
  AdwPreferencesGroup *packs_group;
  AdwPreferencesGroup *tours_group;  /* made in init, placed after packs_group */
  AdwPreferencesGroup *feedback_group;
  GtkButton           *export_button;
  GtkGrid             *feedback_grid;

  /* owned */
  DigithekStore *store;
  DigithekPin   *pin;
  char          *channel;
  GStrv          trusted_keys;
  GCancellable  *cancellable;
  GPtrArray     *pack_rows;        /* the rows in packs_group */
  GPtrArray     *tour_rows;        /* the rows in tours_group */
  GHashTable    *rollback_buttons; /* pack id → its Roll back button (borrowed) */
  guint          n_busy;
  char          *last_time;        /* sync.last-time as last read */
  char          *sync_started_at;  /* sync.last-time when Sync now was pressed, or NULL */
  gboolean       sync_pending;
};

G_DEFINE_FINAL_TYPE (DigithekAdminView, digithek_admin_view, GTK_TYPE_WIDGET)

enum {
  CONTENT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- small things -------------------------------------------------------------------- */

static void
activity (DigithekAdminView *self)
{
  if (self->pin != NULL)
    digithek_pin_activity (self->pin);
}

static void
set_message (DigithekAdminView *self,
             gboolean           ok,
             const char        *text)
{
  GtkWidget *label = GTK_WIDGET (self->message_label);

  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL && *text != '\0');
  gtk_widget_remove_css_class (label, ok ? "error" : "success");
  gtk_widget_add_css_class (label, ok ? "success" : "error");
  /* Screen readers hear the result too. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL ? text : "", -1);
}

static void
busy_begin (DigithekAdminView *self)
{
  self->n_busy++;
  gtk_widget_add_css_class (GTK_WIDGET (self), "busy");
}

static void
busy_end (DigithekAdminView *self)
{
  g_return_if_fail (self->n_busy > 0);
  if (--self->n_busy == 0)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "busy");
}

/* An ISO 8601 time from the meta table, as local "YYYY-MM-DD HH:MM"; NULL stays NULL. */
static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL)
    return NULL;
  utc = g_date_time_new_from_iso8601 (iso, NULL);
  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* --- reading the store --------------------------------------------------------------- */

typedef struct
{
  GPtrArray        *packs;          /* DigithekStorePackInfo */
  GError           *packs_error;
  GPtrArray        *items;          /* DigithekStoreItemInfo, for the tours */
  char             *language;       /* the items' titles' */
  char             *last_time;
  char             *last_ok;
  char             *last_error;
  char             *last_channel;
  char             *next_time;
  DigithekFeedback *feedback;
  GError           *feedback_error;
} Snapshot;

static void
snapshot_free (Snapshot *snap)
{
  g_clear_pointer (&snap->packs, g_ptr_array_unref);
  g_clear_pointer (&snap->items, g_ptr_array_unref);
  g_free (snap->language);
  g_clear_error (&snap->packs_error);
  g_free (snap->last_time);
  g_free (snap->last_ok);
  g_free (snap->last_error);
  g_free (snap->last_channel);
  g_free (snap->next_time);
  g_clear_object (&snap->feedback);
  g_clear_error (&snap->feedback_error);
  g_free (snap);
}

static char *
snapshot_meta (DigithekStoreWait *wait,
               DigithekStore     *store,
               const char        *key,
               GCancellable      *cancellable)
{
  digithek_store_wait_begin (wait);
  digithek_store_get_meta_async (store, key, cancellable, digithek_store_wait_cb, wait);
  return digithek_store_get_meta_finish (store, digithek_store_wait_end (wait), NULL);
}

/* On a GTask thread: it waits for the store's worker, the UI never does. */
static void
snapshot_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();
  Snapshot *snap = task_data;
  DigithekStore *store = g_task_get_source_object (task);

  digithek_store_wait_begin (wait);
  digithek_store_list_packs_async (store, NULL, cancellable, digithek_store_wait_cb, wait);
  snap->packs = digithek_store_list_packs_finish (store, digithek_store_wait_end (wait),
                                                  &snap->packs_error);
  digithek_store_wait_begin (wait);
  digithek_store_list_items_async (store, snap->language, cancellable, digithek_store_wait_cb,
                                   wait);
  snap->items = digithek_store_list_items_finish (store, digithek_store_wait_end (wait), NULL);
  snap->last_time = snapshot_meta (wait, store, "sync.last-time", cancellable);
  snap->last_ok = snapshot_meta (wait, store, "sync.last-ok", cancellable);
  snap->last_error = snapshot_meta (wait, store, "sync.last-error", cancellable);
  snap->last_channel = snapshot_meta (wait, store, "sync.channel", cancellable);
  snap->next_time = snapshot_meta (wait, store, DIGITHEK_ADMIN_NEXT_SYNC_KEY, cancellable);
  digithek_store_wait_begin (wait);
  digithek_feedback_load_async (store, cancellable, digithek_store_wait_cb, wait);
  snap->feedback = digithek_feedback_load_finish (store, digithek_store_wait_end (wait),
                                                  &snap->feedback_error);
  g_task_return_boolean (task, TRUE);
}

static void
rollback_clicked_cb (GtkButton         *button,
                     DigithekAdminView *self);

static void
render_packs (DigithekAdminView *self,
              Snapshot          *snap)
{
  for (guint i = 0; i < self->pack_rows->len; i++)
    adw_preferences_group_remove (self->packs_group, g_ptr_array_index (self->pack_rows, i));
  g_ptr_array_set_size (self->pack_rows, 0);
  g_hash_table_remove_all (self->rollback_buttons);

  adw_preferences_group_set_title (self->packs_group, _("Installed packs"));
  if (snap->packs == NULL || snap->packs->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     snap->packs == NULL ? _("The packs cannot be read")
                                                         : _("No packs installed"));
      if (snap->packs_error != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), snap->packs_error->message);
      adw_preferences_group_add (self->packs_group, row);
      g_ptr_array_add (self->pack_rows, row);
      return;
    }

  for (guint i = 0; i < snap->packs->len; i++)
    {
      DigithekStorePackInfo *info = g_ptr_array_index (snap->packs, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      /* Pack texts are never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     info->title != NULL ? info->title : info->id);
      if (info->previous_version > 0)
        subtitle = g_strdup_printf (_("%s · version %lld · previous version %lld"),
                                    info->id, (long long) info->version,
                                    (long long) info->previous_version);
      else
        subtitle = g_strdup_printf (_("%s · version %lld · no previous version"), info->id,
                                    (long long) info->version);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      if (info->previous_version > 0)
        {
          g_autofree char *label = g_strdup_printf (_("Roll back to %lld"),
                                                    (long long) info->previous_version);
          GtkWidget *button = gtk_button_new_with_label (label);

          gtk_widget_add_css_class (button, "touch-button");
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (button), "pack-id", g_strdup (info->id), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (rollback_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
          g_hash_table_insert (self->rollback_buttons, g_strdup (info->id), button);
        }
      adw_preferences_group_add (self->packs_group, row);
      g_ptr_array_add (self->pack_rows, row);
    }
}

/* A pilot starts a guided tour from here too (the tour view's button asks for the PIN
 * that opened this view). */
static void
start_tour_clicked_cb (GtkButton         *button,
                       DigithekAdminView *self)
{
  activity (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "app.start-tour", "s",
                              g_object_get_data (G_OBJECT (button), "tour-id"));
}

static void
render_tours (DigithekAdminView *self,
              Snapshot          *snap)
{
  for (guint i = 0; i < self->tour_rows->len; i++)
    adw_preferences_group_remove (self->tours_group, g_ptr_array_index (self->tour_rows, i));
  g_ptr_array_set_size (self->tour_rows, 0);

  adw_preferences_group_set_title (self->tours_group, _("Guided tours"));
  for (guint i = 0; snap->items != NULL && i < snap->items->len; i++)
    {
      DigithekStoreItemInfo *info = g_ptr_array_index (snap->items, i);
      g_autofree char *id = NULL;
      GtkWidget *row;
      GtkWidget *button;

      if (info->kind != DIGITHEK_ITEM_TOUR)
        continue;
      id = g_strdup_printf ("%s/%s", info->pack_id, info->item_id);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), id);
      button = gtk_button_new_with_label (_("Start tour"));
      gtk_widget_add_css_class (button, "touch-button");
      gtk_widget_add_css_class (button, "suggested-action");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "tour-id", g_steal_pointer (&id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (start_tour_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->tours_group, row);
      g_ptr_array_add (self->tour_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tours_group), self->tour_rows->len > 0);
}

static void
add_cell (GtkGrid    *grid,
          const char *text,
          int         column,
          int         row,
          gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column < 2 ? 0.0f : 1.0f);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

typedef struct
{
  GtkGrid *grid;
  int      row;
} TableFill;

static void
feedback_row_cb (const char                   *tour,
                 const char                   *day,
                 const DigithekFeedbackCounts *counts,
                 gpointer                      user_data)
{
  TableFill *fill = user_data;
  int column = 0;

  add_cell (fill->grid, tour, column++, fill->row, FALSE);
  add_cell (fill->grid, day, column++, fill->row, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (counts->satisfaction); i++)
    {
      g_autofree char *n = g_strdup_printf ("%u", counts->satisfaction[i]);
      add_cell (fill->grid, n, column++, fill->row, FALSE);
    }
  {
    g_autofree char *yes = g_strdup_printf ("%u", counts->again_yes);
    g_autofree char *no = g_strdup_printf ("%u", counts->again_no);

    add_cell (fill->grid, yes, column++, fill->row, FALSE);
    add_cell (fill->grid, no, column++, fill->row, FALSE);
  }
  fill->row++;
}

static void
render_feedback (DigithekAdminView *self,
                 Snapshot          *snap)
{
  GtkWidget *child;
  TableFill fill = { self->feedback_grid, 1 };
  int column = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->feedback_grid))) != NULL)
    gtk_grid_remove (self->feedback_grid, child);

  adw_preferences_group_set_title (self->feedback_group, _("Feedback after tours"));
  adw_preferences_group_set_description (self->feedback_group,
                                         _("Answers per tour and day: how satisfied (1 = not "
                                           "at all, 5 = very) and whether they would take "
                                           "part again."));
  gtk_button_set_label (self->export_button, _("Export CSV to USB"));

  if (snap->feedback == NULL)
    {
      add_cell (self->feedback_grid, _("The feedback counts cannot be read."), 0, 0, FALSE);
      return;
    }

  add_cell (self->feedback_grid, _("Tour"), column++, 0, TRUE);
  add_cell (self->feedback_grid, _("Day"), column++, 0, TRUE);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *n = g_strdup_printf ("%u", i);
      add_cell (self->feedback_grid, n, column++, 0, TRUE);
    }
  add_cell (self->feedback_grid, _("Again: yes"), column++, 0, TRUE);
  add_cell (self->feedback_grid, _("Again: no"), column++, 0, TRUE);
  digithek_feedback_foreach (snap->feedback, feedback_row_cb, &fill);
  if (fill.row == 1)
    gtk_grid_attach (self->feedback_grid, gtk_label_new (_("No answers yet.")), 0, 1, 9, 1);
}

static void
render_sync (DigithekAdminView *self,
             Snapshot          *snap)
{
  g_autofree char *last = format_time (snap->last_time);
  g_autofree char *next = format_time (snap->next_time);
  g_autofree char *last_text = NULL;
  const char *channel = self->channel != NULL ? self->channel : snap->last_channel;

  g_free (self->last_time);
  self->last_time = g_strdup (snap->last_time);
  adw_preferences_group_set_title (self->sync_group, _("Updates"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->channel_row), _("Channel"));
  adw_action_row_set_subtitle (self->channel_row,
                               channel != NULL ? channel : _("None configured"));
  if (snap->last_channel != NULL && self->channel != NULL
      && g_strcmp0 (snap->last_channel, self->channel) != 0)
    {
      g_autofree char *both = g_strdup_printf (_("%s (last sync from %s)"), self->channel,
                                               snap->last_channel);
      adw_action_row_set_subtitle (self->channel_row, both);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->last_sync_row), _("Last sync"));
  if (last == NULL)
    last_text = g_strdup (_("Never"));
  else if (g_strcmp0 (snap->last_ok, "true") == 0)
    last_text = g_strdup_printf (_("%s · succeeded"), last);
  else
    last_text = g_strdup_printf (_("%s · failed: %s"), last,
                                 snap->last_error != NULL ? snap->last_error : _("unknown error"));
  adw_action_row_set_subtitle (self->last_sync_row, last_text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->next_sync_row), _("Next sync"));
  adw_action_row_set_subtitle (self->next_sync_row,
                               next != NULL ? next : _("None planned"));

  /* The result of a Sync now, once the run has written it. */
  if (self->sync_pending && g_strcmp0 (snap->last_time, self->sync_started_at) != 0
      && snap->last_time != NULL)
    {
      g_autofree char *text = NULL;
      gboolean ok = g_strcmp0 (snap->last_ok, "true") == 0;

      self->sync_pending = FALSE;
      if (ok)
        text = g_strdup_printf (_("Sync from %s finished at %s."),
                                snap->last_channel != NULL ? snap->last_channel : "?", last);
      else
        text = g_strdup_printf (_("Sync from %s failed at %s: %s. The installed content "
                                  "stays."),
                                snap->last_channel != NULL ? snap->last_channel : "?", last,
                                snap->last_error != NULL ? snap->last_error : "?");
      set_message (self, ok, text);
    }
}

static void
update_texts (DigithekAdminView *self)
{
  gtk_label_set_text (self->title_label, _("Staff administration"));
  gtk_button_set_label (self->lock_button, _("Lock"));
  gtk_button_set_label (self->sync_now_button, _("Sync now"));
  gtk_button_set_label (self->import_button, _("Import from USB"));
  gtk_button_set_label (self->leave_kiosk_button, _("Leave kiosk mode"));
  gtk_button_set_label (self->export_button, _("Export CSV to USB"));
}

static void
snapshot_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DigithekAdminView) self = user_data;
  Snapshot *snap = g_task_get_task_data (G_TASK (result));

  busy_end (self);
  if (!g_task_propagate_boolean (G_TASK (result), NULL) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  update_texts (self);
  render_sync (self, snap);
  render_packs (self, snap);
  render_tours (self, snap);
  render_feedback (self, snap);
}

void
digithek_admin_view_refresh (DigithekAdminView *self)
{
  g_autoptr(GTask) task = NULL;
  Snapshot *snap;

  g_return_if_fail (DIGITHEK_IS_ADMIN_VIEW (self));

  update_texts (self);
  if (self->store == NULL)
    return;
  busy_begin (self);
  snap = g_new0 (Snapshot, 1);
  snap->language = g_strdup (digithek_i18n_get_language ());
  task = g_task_new (self->store, self->cancellable, snapshot_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, digithek_admin_view_refresh);
  g_task_set_task_data (task, snap, (GDestroyNotify) snapshot_free);
  g_task_run_in_thread (task, snapshot_thread);
}

/* --- rollback ------------------------------------------------------------------------ */

typedef struct
{
  DigithekAdminView *self;
  char              *pack_id;
} RollbackData;

static void
rollback_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RollbackData *data = user_data;
  g_autoptr(DigithekAdminView) self = data->self;
  g_autofree char *pack_id = data->pack_id;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 version = 0;

  g_free (data);
  busy_end (self);
  /* The view went away meanwhile: nothing left to show it in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!digithek_sync_rollback_pack_finish (DIGITHEK_STORE (source), result, &version, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Pack %s was not rolled back: %s"), pack_id, error->message);
      set_message (self, FALSE, text);
      digithek_admin_view_refresh (self);
      return;
    }
  text = g_strdup_printf (_("Pack %s is back at version %lld. Syncs will not install the "
                            "version rolled back again; a newer one will."),
                          pack_id, (long long) version);
  set_message (self, TRUE, text);
  g_signal_emit (self, signals[CONTENT_CHANGED], 0);
  digithek_admin_view_refresh (self);
}

static void
rollback_clicked_cb (GtkButton         *button,
                     DigithekAdminView *self)
{
  const char *pack_id = g_object_get_data (G_OBJECT (button), "pack-id");
  RollbackData *data;

  activity (self);
  if (self->store == NULL || pack_id == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  data = g_new0 (RollbackData, 1);
  data->self = g_object_ref (self);
  data->pack_id = g_strdup (pack_id);
  busy_begin (self);
  digithek_sync_rollback_pack_async (self->store, pack_id, self->cancellable, rollback_done_cb,
                                     data);
}

/* --- sync now ------------------------------------------------------------------------ */

static void
sync_now_clicked_cb (DigithekAdminView *self)
{
  g_autofree char *text = NULL;

  activity (self);
  if (self->channel == NULL)
    {
      set_message (self, FALSE, _("No channel is configured (“channel” in the config file): "
                                  "there is nothing to sync from. Import from USB works "
                                  "without one."));
      return;
    }
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "app.sync-now", NULL))
    {
      set_message (self, FALSE, _("This kiosk cannot sync now."));
      return;
    }
  /* The run writes sync.last-time when it ends; a refresh then shows its result. */
  g_free (self->sync_started_at);
  self->sync_started_at = g_strdup (self->last_time);
  self->sync_pending = TRUE;
  text = g_strdup_printf (_("Sync from %s started. Its result shows here when it is done."),
                          self->channel);
  set_message (self, TRUE, text);
}

/* --- USB import ---------------------------------------------------------------------- */

static char *
describe_import (const DigithekUsbImport *import,
                 gboolean                *out_ok,
                 gboolean                *out_changed)
{
  const GError *error = import->error;

  if (import->result != NULL)
    {
      g_autoptr(GString) packs = g_string_new (NULL);

      if (import->result->changes->len == 0)
        return g_strdup_printf (_("Nothing newer on the USB stick in %s: the kiosk already "
                                  "has its content."), import->folder);
      for (guint i = 0; i < import->result->changes->len; i++)
        {
          const DigithekSyncChange *change = g_ptr_array_index (import->result->changes, i);

          g_string_append_printf (packs, "%s%s %" G_GINT64_FORMAT, i > 0 ? ", " : "",
                                  change->id, change->new_version);
        }
      *out_changed = TRUE;
      return g_strdup_printf (_("Installed from the USB stick in %s: %s."), import->folder,
                              packs->str);
    }

  *out_ok = FALSE;
  if (g_error_matches (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_BAD_SIGNATURE))
    return g_strdup_printf (_("The channel on the USB stick in %s is not signed by a trusted "
                              "key (%s). Nothing was installed."), import->folder,
                            error->message);
  if (g_error_matches (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_ROLLBACK))
    {
      *out_ok = TRUE;
      return g_strdup_printf (_("Nothing newer on the USB stick in %s: its channel is older "
                                "than the content installed (%s)."), import->folder,
                              error->message);
    }
  if (g_error_matches (error, DIGITHEK_SYNC_ERROR, DIGITHEK_SYNC_ERROR_EXPIRED))
    return g_strdup_printf (_("The channel on the USB stick in %s has expired (%s). Nothing "
                              "was installed."), import->folder, error->message);
  return g_strdup_printf (_("Import from the USB stick in %s failed: %s. The installed "
                            "content stays as it was."), import->folder, error->message);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DigithekAdminView) self = user_data;
  g_autoptr(GPtrArray) imports = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean ok = TRUE;
  gboolean changed = FALSE;

  busy_end (self);
  imports = digithek_usb_import_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), TRUE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_NO_MEDIA))
    {
      set_message (self, FALSE, _("No USB stick found. Insert one (a channel folder on it) "
                                  "and press Import from USB again."));
      return;
    }
  if (g_error_matches (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_NO_CHANNEL))
    {
      g_auto(GStrv) media = digithek_usb_list_media ();
      g_autofree char *where = g_strjoinv (", ", media);
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("No channel on the USB stick in %s. A channel is a folder "
                                   "with index.json and index.json.sig, as “digithek-pack "
                                   "publish” writes it."), where);
      set_message (self, FALSE, message);
      return;
    }
  if (imports == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Import from USB failed: %s"),
                                                  error->message);
      set_message (self, FALSE, message);
      return;
    }

  for (guint i = 0; i < imports->len; i++)
    {
      gboolean one_ok = TRUE;
      g_autofree char *line = describe_import (g_ptr_array_index (imports, i), &one_ok,
                                               &changed);

      ok = ok && one_ok;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, line);
    }
  set_message (self, ok, text->str);
  if (changed)
    g_signal_emit (self, signals[CONTENT_CHANGED], 0);
  digithek_admin_view_refresh (self);
}

static void
import_clicked_cb (DigithekAdminView *self)
{
  activity (self);
  if (self->store == NULL)
    return;
  if (self->trusted_keys == NULL || self->trusted_keys[0] == NULL)
    {
      set_message (self, FALSE, _("No trusted key in the config file (“trusted_keys”): "
                                  "the kiosk cannot check a channel, so it imports none."));
      return;
    }
  set_message (self, TRUE, _("Looking for a channel on the USB stick…"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  busy_begin (self);
  digithek_usb_import_async (self->store, (const char * const *) self->trusted_keys, NULL,
                             self->cancellable, import_done_cb, g_object_ref (self));
}

/* --- feedback export ----------------------------------------------------------------- */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DigithekAdminView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  busy_end (self);
  path = digithek_usb_write_file_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), TRUE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (path != NULL)
    {
      text = g_strdup_printf (_("Feedback counts saved to %s."), path);
      set_message (self, TRUE, text);
    }
  else if (g_error_matches (error, DIGITHEK_USB_ERROR, DIGITHEK_USB_ERROR_NO_MEDIA))
    set_message (self, FALSE, _("No USB stick found. Insert one and press Export CSV to USB "
                                "again."));
  else
    {
      text = g_strdup_printf (_("The feedback counts could not be written to the USB stick: "
                                "%s"), error->message);
      set_message (self, FALSE, text);
    }
}

static void
export_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data);

static void
export_clicked_cb (DigithekAdminView *self)
{
  activity (self);
  if (self->store == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
  busy_begin (self);
  digithek_feedback_load_async (self->store, self->cancellable, export_loaded_cb,
                                g_object_ref (self));
}

static void
export_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DigithekAdminView) self = user_data;
  g_autoptr(DigithekFeedback) feedback = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *name = NULL;

  feedback = digithek_feedback_load_finish (DIGITHEK_STORE (object), result, &error);
  if (feedback == NULL)
    {
      g_autofree char *text = NULL;

      busy_end (self);
      if (g_cancellable_is_cancelled (self->cancellable))
        return;
      gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), TRUE);
      text = g_strdup_printf (_("The feedback counts cannot be read: %s"), error->message);
      set_message (self, FALSE, text);
      return;
    }
  csv = digithek_feedback_to_csv (feedback);
  name = digithek_usb_feedback_file_name (NULL);
  digithek_usb_write_file_async (name, csv, -1, self->cancellable, export_done_cb,
                                 g_object_ref (self));
}

/* --- kiosk mode and lock ------------------------------------------------------------- */

static void
leave_kiosk_clicked_cb (DigithekAdminView *self)
{
  activity (self);
  if (gtk_widget_activate_action (GTK_WIDGET (self), "app.leave-kiosk", NULL))
    set_message (self, TRUE, _("Kiosk mode is off: the window is no longer fullscreen. "
                               "Restart the kiosk to lock it down again."));
  else
    set_message (self, FALSE, _("This kiosk cannot leave kiosk mode."));
}

static void
lock_clicked_cb (DigithekAdminView *self)
{
  if (self->pin != NULL)
    digithek_pin_lock (self->pin);
}

/* Any touch, click, key or scroll in the view keeps the admin session open. */
static gboolean
input_event_cb (GtkEventControllerLegacy *controller,
                GdkEvent                 *event,
                DigithekAdminView        *self)
{
  GdkEventType type = gdk_event_get_event_type (event);

  if (type == GDK_BUTTON_PRESS || type == GDK_TOUCH_BEGIN || type == GDK_TOUCH_UPDATE
      || type == GDK_KEY_PRESS || type == GDK_SCROLL)
    activity (self);
  return GDK_EVENT_PROPAGATE;
}

/* --- the object ---------------------------------------------------------------------- */

static void
digithek_admin_view_dispose (GObject *object)
{
  DigithekAdminView *self = DIGITHEK_ADMIN_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->rollback_buttons, g_hash_table_unref);
  g_clear_pointer (&self->pack_rows, g_ptr_array_unref);
  g_clear_pointer (&self->tour_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), DIGITHEK_TYPE_ADMIN_VIEW);
  /* The template's root is not a bound child: unparent it by hand. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->pin);

  G_OBJECT_CLASS (digithek_admin_view_parent_class)->dispose (object);
}

static void
digithek_admin_view_finalize (GObject *object)
{
  DigithekAdminView *self = DIGITHEK_ADMIN_VIEW (object);

  g_clear_object (&self->cancellable);
  g_free (self->channel);
  g_strfreev (self->trusted_keys);
  g_free (self->sync_started_at);
  g_free (self->last_time);

  G_OBJECT_CLASS (digithek_admin_view_parent_class)->finalize (object);
}

static void
digithek_admin_view_class_init (DigithekAdminViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_admin_view_dispose;
  object_class->finalize = digithek_admin_view_finalize;

  /**
   * DigithekAdminView::content-changed:
   *
   * A rollback or a USB import changed the installed packs: home should list again.
   */
  signals[CONTENT_CHANGED] = g_signal_new ("content-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "adminview");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-admin-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, title_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, lock_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, message_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, sync_group);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, channel_row);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, last_sync_row);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, next_sync_row);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, sync_now_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, import_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, leave_kiosk_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, packs_group);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, feedback_group);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, export_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekAdminView, feedback_grid);
  gtk_widget_class_bind_template_callback (widget_class, lock_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_now_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, leave_kiosk_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
}

static void
digithek_admin_view_init (DigithekAdminView *self)
{
  GtkEventController *legacy;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->pack_rows = g_ptr_array_new ();
  self->tour_rows = g_ptr_array_new ();
  self->tours_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->tours_group), FALSE);
  gtk_widget_insert_after (GTK_WIDGET (self->tours_group),
                           gtk_widget_get_parent (GTK_WIDGET (self->packs_group)),
                           GTK_WIDGET (self->packs_group));
  self->rollback_buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (input_event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), legacy);

  update_texts (self);
}

GtkWidget *
digithek_admin_view_new (void)
{
  return g_object_new (DIGITHEK_TYPE_ADMIN_VIEW, NULL);
}

void
digithek_admin_view_set_store (DigithekAdminView *self,
                               DigithekStore     *store)
{
  g_return_if_fail (DIGITHEK_IS_ADMIN_VIEW (self));
  g_return_if_fail (store == NULL || DIGITHEK_IS_STORE (store));

  g_set_object (&self->store, store);
}

void
digithek_admin_view_set_pin (DigithekAdminView *self,
                             DigithekPin       *pin)
{
  g_return_if_fail (DIGITHEK_IS_ADMIN_VIEW (self));
  g_return_if_fail (pin == NULL || DIGITHEK_IS_PIN (pin));

  g_set_object (&self->pin, pin);
}

void
digithek_admin_view_set_sync_config (DigithekAdminView  *self,
                                     const char         *channel,
                                     const char * const *trusted_keys)
{
  g_return_if_fail (DIGITHEK_IS_ADMIN_VIEW (self));

  g_free (self->channel);
  self->channel = g_strdup (channel);
  g_strfreev (self->trusted_keys);
  self->trusted_keys = trusted_keys != NULL ? g_strdupv ((char **) trusted_keys) : NULL;
}

const char *
digithek_admin_view_get_message (DigithekAdminView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ADMIN_VIEW (self), NULL);
  return gtk_label_get_text (self->message_label);
}

gboolean
digithek_admin_view_get_busy (DigithekAdminView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ADMIN_VIEW (self), FALSE);
  return self->n_busy > 0;
}

GtkWidget *
digithek_admin_view_get_rollback_button (DigithekAdminView *self,
                                         const char        *pack_id)
{
  g_return_val_if_fail (DIGITHEK_IS_ADMIN_VIEW (self), NULL);
  return g_hash_table_lookup (self->rollback_buttons, pack_id);
}
