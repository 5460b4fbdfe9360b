/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The app.* actions, exported on D-Bus (the pilots' and tests' remote control), and the
 * read-only state `digithek --status` reads. */

#include "config.h"

#include "digithek-application-private.h"

/* Exported read-only state, read by `digithek --status` ------------------- */

void
_digithek_application_set_current_view (DigithekApplication *self,
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

/* Exported read-only state, read by `digithek --status`: only once the store has been
 * opened (created, migrated), so that a status query never opens it at the same time
 * as the kiosk creates it. */
void
_digithek_application_export_store_path (DigithekApplication *self)
{
  g_autoptr(GSimpleAction) store_action = NULL;

  store_action = g_simple_action_new_stateful ("store-path", NULL,
                                               g_variant_new_string (self->store_path));
  g_signal_connect (store_action, "change-state", G_CALLBACK (refuse_state_change_cb), NULL);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (store_action));
}

/* Actions (exported on D-Bus) ---------------------------------------------- */

static void
sync_now_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  DigithekApplication *self = DIGITHEK_APPLICATION (user_data);

  if (self->sync_scheduler != NULL)
    digithek_sync_scheduler_request (self->sync_scheduler);
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
    _digithek_application_apply_pending_content (self);
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

void
_digithek_application_actions_init (DigithekApplication *self)
{
  g_autoptr(GSimpleAction) view_action = NULL;

  /* Exported read-only state, read by `digithek --status`. */
  view_action = g_simple_action_new_stateful ("current-view", NULL,
                                              g_variant_new_string ("loading"));
  g_signal_connect (view_action, "change-state", G_CALLBACK (refuse_state_change_cb), NULL);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (view_action));

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_actions); i++)
    if (!g_str_equal (app_actions[i].name, "reset-session"))
      g_signal_connect (g_action_map_lookup_action (G_ACTION_MAP (self), app_actions[i].name),
                        "activate", G_CALLBACK (action_activity_cb), self);
}
