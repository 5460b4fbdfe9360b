/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo packs in a window, shared by test-a11y and test-text-scale. */
#pragma once

#include <adwaita.h>

#include "demo-test-util.h"
#include "digithek-store.h"
#include "digithek-test-util.h"
#include "digithek-window.h"

G_BEGIN_DECLS

typedef struct
{
  char           *dir;
  DigithekStore  *store;
  DigithekWindow *window;
} A11yFixture;

/* A store with every demo pack and a window of @width × @height showing home in German. */
void       a11y_fixture_set_up    (A11yFixture *fixture,
                                   int          width,
                                   int          height);
void       a11y_fixture_tear_down (A11yFixture *fixture);

/* Runs the main loop for @ms milliseconds. */
void       a11y_spin              (guint        ms);
/* Until the window shows @view (any when %NULL) and nothing loads; then layout runs. */
void       a11y_wait_for_view     (A11yFixture *fixture,
                                   const char  *view);
/* Home in @language, its tiles listed anew. */
void       a11y_show_home         (A11yFixture *fixture,
                                   const char  *language);
/* Opens the item "PACK/ITEM" and checks the window shows it (or its tour). */
void       a11y_open              (A11yFixture *fixture,
                                   const char  *id);
/* Every item of the demo packs, "PACK/ITEM", in store order. */
GPtrArray *a11y_list_item_ids     (A11yFixture *fixture);
/* The kiosk's style sheet on the display, and no animations. */
void       a11y_load_style        (void);

G_END_DECLS
