/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-pin.h"
#include "digithek-store.h"

G_BEGIN_DECLS

/*
 * The staff admin view, shown after the right PIN: the installed packs (version and
 * previous version, Roll back), the channel, the last sync (time, result, error) and the
 * next planned one, Sync now, Import from USB, the feedback counts per tour and day with
 * Export CSV to USB, Leave kiosk mode and Lock. Each result shows in a line at the top
 * that says what happened and where.
 *
 * Every input in the view (touch, click, key, scroll, and each button) calls
 * digithek_pin_activity(), so the admin session's auto-lock counts from the last input.
 * The view does not close itself: whoever shows it watches #DigithekPin:unlocked.
 *
 * It reads the store's meta keys sync.last-time, sync.last-ok, sync.last-error,
 * sync.channel and DIGITHEK_ADMIN_NEXT_SYNC_KEY, which the application writes when it
 * plans a sync. Sync now activates `app.sync-now`, Leave kiosk mode `app.leave-kiosk`.
 */

/* Meta key: when the running kiosk syncs next (ISO 8601, UTC); unset when it never does. */
#define DIGITHEK_ADMIN_NEXT_SYNC_KEY "sync.next-time"

#define DIGITHEK_TYPE_ADMIN_VIEW (digithek_admin_view_get_type ())
G_DECLARE_FINAL_TYPE (DigithekAdminView, digithek_admin_view, DIGITHEK, ADMIN_VIEW, GtkWidget)

GtkWidget  *digithek_admin_view_new              (void);

void        digithek_admin_view_set_store        (DigithekAdminView  *self,
                                                  DigithekStore      *store);
/* The admin session the view keeps alive and locks. */
void        digithek_admin_view_set_pin          (DigithekAdminView  *self,
                                                  DigithekPin        *pin);
/* The configured channel (nullable: none, so Sync now has nothing to do) and the
 * trusted keys USB imports are checked with (nullable or empty: imports refused). */
void        digithek_admin_view_set_sync_config  (DigithekAdminView  *self,
                                                  const char         *channel,
                                                  const char * const *trusted_keys);

/* Reads the store again (packs, sync state, feedback) and re-renders, in the current
 * language. Call it when the view is shown and after a sync. */
void        digithek_admin_view_refresh          (DigithekAdminView  *self);

/* The result line at the top ("" when none). */
const char *digithek_admin_view_get_message      (DigithekAdminView  *self);
/* %TRUE while a refresh, rollback, import or export runs. */
gboolean    digithek_admin_view_get_busy         (DigithekAdminView  *self);
/* The widget of the Roll back button of @pack_id, or %NULL when it has none. */
GtkWidget  *digithek_admin_view_get_rollback_button (DigithekAdminView *self,
                                                     const char        *pack_id);

/* Signal "content-changed": a rollback or an import changed the installed content. */

G_END_DECLS
