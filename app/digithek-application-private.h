/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the application's files share:
 *   digithek-application.c          lifecycle and wiring: store, imports, home, sync,
 *                                   handoff, metrics, session, window
 *   digithek-application-actions.c  the app.* actions (D-Bus) and the exported state
 *   digithek-application-cli.c      options, --status, --sync-once, --set-pin
 */

#include "digithek-application.h"
#include "digithek-config.h"
#include "digithek-handoff.h"
#include "digithek-metrics.h"
#include "digithek-pin.h"
#include "digithek-session.h"
#include "digithek-store.h"
#include "digithek-sync.h"
#include "digithek-sync-scheduler.h"
#include "digithek-window.h"

G_BEGIN_DECLS

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
  DigithekSyncScheduler *sync_scheduler; /* when: interval, backoff, sync-now */
  gboolean        content_pending;   /* newer content waits for a session boundary */
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

/* digithek-application.c */
void _digithek_application_apply_pending_content (DigithekApplication *self);

/* digithek-application-actions.c */
void _digithek_application_actions_init          (DigithekApplication *self);
void _digithek_application_set_current_view      (DigithekApplication *self,
                                                  const char          *view);
void _digithek_application_export_store_path     (DigithekApplication *self);

/* digithek-application-cli.c */
void _digithek_application_add_options           (DigithekApplication *self);
int  _digithek_application_handle_options        (DigithekApplication *self,
                                                  GVariantDict        *options);

G_END_DECLS
