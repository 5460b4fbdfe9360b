/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-pack.h"

G_BEGIN_DECLS

#define DIGITHEK_TYPE_WINDOW (digithek_window_get_type ())
G_DECLARE_FINAL_TYPE (DigithekWindow, digithek_window, DIGITHEK, WINDOW, AdwApplicationWindow)

DigithekWindow *digithek_window_new              (AdwApplication  *application);

/* Fullscreen without window buttons (the start of --kiosk; lockdown comes later). */
void            digithek_window_set_kiosk_mode   (DigithekWindow  *self,
                                                  gboolean         kiosk_mode);
/* Shows a spinner while the store opens or the demo packs import. */
void            digithek_window_show_loading     (DigithekWindow  *self);
/* The friendly out-of-service screen; @reason is for staff and shown small. */
void            digithek_window_show_out_of_service (DigithekWindow *self,
                                                     const char     *reason);

/* Rebuilds the home view: call begin, add each item, then end. Items are grouped by
 * kind in the order Open data, Smart-city projects, E-government guides, Tours. */
void            digithek_window_begin_home       (DigithekWindow  *self);
void            digithek_window_add_home_item    (DigithekWindow  *self,
                                                  DigithekItemKind kind,
                                                  const char      *pack_id,
                                                  const char      *item_id,
                                                  const char      *title,
                                                  const char      *summary);
void            digithek_window_end_home         (DigithekWindow  *self);

/* What a citizen sees now: "loading", "out-of-service", "empty" or "home". */
const char     *digithek_window_get_view         (DigithekWindow  *self);

G_END_DECLS
