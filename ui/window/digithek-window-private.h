/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The window's insides, shared by the files it is split into (as GNOME Text Editor's
 * editor-window-private.h):
 *
 * - digithek-window.c            the class, navigation (open, back, home, next,
 *                                previous), the stack of pages, search
 * - digithek-window-actions.c    the "view.*" actions its widgets activate
 * - digithek-window-session.c    idle warning and reset, attract loop, guided tours,
 *                                the PIN requests of the session
 * - digithek-window-staff.c      the hidden corner, the PIN pad and the admin view
 * - digithek-window-languages.c  language switch, "Leichte Sprache" offer, re-rendering
 *                                an item in place
 * - digithek-window-a11y.c       text size, high contrast, read-aloud
 *
 * The window talks to the view of an item only through DigithekItemView.
 */

#include "digithek-admin-view.h"
#include "digithek-display-menu.h"
#include "digithek-home-view.h"
#include "digithek-item-view.h"
#include "digithek-language-switch.h"
#include "digithek-lockdown.h"
#include "digithek-pin-pad.h"
#include "digithek-qr-overlay.h"
#include "digithek-search-view.h"
#include "digithek-speech.h"
#include "digithek-staff-entry.h"
#include "digithek-window.h"

G_BEGIN_DECLS

/* The search view's entry in current_item and the back stack, where the others hold
 * "PACK/ITEM" (which it can never be). */
#define SEARCH_ENTRY "search"

struct _DigithekWindow
{
  AdwApplicationWindow parent_instance;

  /* ---- template widgets ---- */
  AdwToastOverlay        *toast_overlay;
  AdwHeaderBar           *header_bar;
  GtkButton              *back_button;
  AdwButtonContent       *back_content;
  AdwButtonContent       *home_content;
  AdwButtonContent       *search_content;
  DigithekLanguageSwitch *language_switch;
  DigithekDisplayMenu    *display_menu;     /* a11y: text size and contrast */
  GtkOverlay             *main_overlay;     /* the session's overlays lie over it */
  GtkBox                 *main_box;         /* the tour bar sits at its end */
  GtkStack               *stack;
  DigithekHomeView       *home_view;
  AdwBin                 *item_bin;         /* the DigithekItemView shown */
  AdwStatusPage          *loading_page;
  AdwStatusPage          *empty_page;
  AdwStatusPage          *out_of_service_page;
  DigithekQrOverlay      *link_overlay;
  DigithekAdminView      *admin_view;

  /* ---- borrowed: children of the template's widgets, made in code ---- */
  DigithekSearchView     *search_view;      /* made at the first search */
  DigithekPinPad         *pin_pad;          /* made when staff first hold the corner */
  GtkWidget              *idle_overlay;     /* children of main_overlay and main_box */
  GtkWidget              *attract_view;
  GtkWidget              *feedback_poll;
  GtkWidget              *tour_bar;

  /* ---- owned ---- */
  /* navigation (digithek-window.c) */
  DigithekStore          *store;
  GCancellable           *cancellable;      /* the item being opened */
  char                   *language;
  GPtrArray              *back_stack;       /* "PACK/ITEM" or SEARCH_ENTRY, oldest first */
  char                   *current_item;     /* "PACK/ITEM" shown, SEARCH_ENTRY, or NULL */
  DigithekItemKind        current_kind;     /* of the item shown */
  char                   *opening;          /* "PACK/ITEM" being fetched, or NULL */
  gboolean                opening_pushes;
  gboolean                has_home;
  char                   *view;
  guint                   present_timeout_id;
  guint                   refocus_id;
  DigithekHandoff        *handoff;
  gboolean                prefer_local;

  /* session (digithek-window-session.c) */
  DigithekLockdown       *lockdown;
  DigithekSession        *session;
  char                   *default_language;
  char                   *guided_tour;      /* "PACK/ITEM", or NULL */
  DigithekWindowPinFunc   pin_func;
  gpointer                pin_data;
  DigithekWindowPinCallback pin_request_cb; /* a request waiting on the PIN pad */
  gpointer                pin_request_data;
  double                  pointer_x;
  double                  pointer_y;

  /* staff admin (digithek-window-staff.c) */
  DigithekPin            *pin;
  DigithekStaffEntry     *staff_entry;
  gboolean                staff_page;       /* the PIN pad or the admin view is shown */

  /* languages (digithek-window-languages.c) */
  char                   *out_of_service_reason;
  GCancellable           *packs_cancellable; /* the listing that finds easy-language packs */
  gboolean                home_has_easy;     /* an installed pack has de-x-easy texts */
  gboolean                item_has_easy;     /* the item shown has */
  char                   *restore_item;      /* "PACK/ITEM" re-rendered in another language… */
  guint                   restore_position;  /* …at this guide step or tour stop */
  char                   *restore_stop;      /* a tour's stop re-rendered… */
  guint                   restore_stop_step; /* …at this guide step */

  /* a11y: read-aloud (digithek-window-a11y.c), created on first use */
  DigithekSpeech         *speech;
  gboolean                reading_aloud;
};

/* digithek-window.c */
void     _digithek_window_update_actions       (DigithekWindow *self);
void     _digithek_window_close_link           (DigithekWindow *self);
void     _digithek_window_set_view             (DigithekWindow *self,
                                                const char     *view);
void     _digithek_window_show_home_page       (DigithekWindow *self);
void     _digithek_window_cancel_opening       (DigithekWindow *self);
void     _digithek_window_open_item_internal   (DigithekWindow *self,
                                                const char     *id,
                                                gboolean        push);
gboolean _digithek_window_split_id             (const char     *id,
                                                char          **out_pack,
                                                char          **out_item);
void     _digithek_window_focus_changed        (DigithekWindow *self);
void     _digithek_window_show_search_page     (DigithekWindow *self,
                                                gboolean        push);

/* digithek-window-actions.c */
void     _digithek_window_class_actions_init   (GtkWidgetClass *widget_class);

/* digithek-window-session.c */
void     _digithek_window_class_session_init   (GtkWidgetClass *widget_class);
void     _digithek_window_session_init         (DigithekWindow *self);
void     _digithek_window_session_dispose      (DigithekWindow *self);
void     _digithek_window_update_tour_bar      (DigithekWindow *self);
gboolean _digithek_window_answer_pin_request   (DigithekWindow *self,
                                                gboolean        granted);

/* digithek-window-staff.c */
void     _digithek_window_leave_staff_pages    (DigithekWindow *self);

/* digithek-window-languages.c */
void     _digithek_window_update_out_of_service_texts (DigithekWindow *self);
void     _digithek_window_update_language_switch      (DigithekWindow *self);
gboolean _digithek_window_item_has_easy_texts         (JsonObject     *manifest);
void     _digithek_window_update_home_has_easy        (DigithekWindow *self);
void     _digithek_window_remember_position           (DigithekWindow *self);
void     _digithek_window_restore_position            (DigithekWindow *self,
                                                       GtkWidget      *view,
                                                       const char     *id);

/* digithek-window-a11y.c */
void     _digithek_window_display_changed      (DigithekWindow *self);

G_END_DECLS
