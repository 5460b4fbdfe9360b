/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "digithek-handoff.h"
#include "digithek-qr-card.h"
#include "digithek-store.h"

G_BEGIN_DECLS

#define DIGITHEK_TYPE_GUIDE_VIEW (digithek_guide_view_get_type ())
G_DECLARE_FINAL_TYPE (DigithekGuideView, digithek_guide_view, DIGITHEK, GUIDE_VIEW, AdwBin)

/**
 * digithek_guide_view_new:
 * @store: where the steps' texts and images come from
 * @item: a guide item from digithek_store_get_item_finish(); copied from
 * @manifest: (nullable): @item's manifest, parsed (digithek_json_parse_object())
 *
 * A stepper through @item's steps in @item's language: one page per step (title,
 * image, Markdown body) that a citizen swipes or steps through with Next and Back.
 * Texts and images load from @store afterwards.
 */
GtkWidget  *digithek_guide_view_new               (DigithekStore     *store,
                                                   DigithekStoreItem *item,
                                                   JsonObject        *manifest);
/* %TRUE until every step's text and image is shown (or failed to load). */
gboolean    digithek_guide_view_get_loading       (DigithekGuideView *self);
guint       digithek_guide_view_get_n_steps       (DigithekGuideView *self);
/* The step shown, counting from 0. */
guint       digithek_guide_view_get_step          (DigithekGuideView *self);
/* Shows @step, clamped to the steps there are. */
void        digithek_guide_view_set_step          (DigithekGuideView *self,
                                                   guint              step);
/* Returns: %TRUE when there was a next (previous) step to go to. */
gboolean    digithek_guide_view_next              (DigithekGuideView *self);
gboolean    digithek_guide_view_previous          (DigithekGuideView *self);
/* "Schritt 2 von 5" or "Step 2 of 5", in the guide's language. */
const char *digithek_guide_view_get_progress_text (DigithekGuideView *self);
/* Where the "continue on your phone" code of the step shown points: see
 * digithek_explainer_view_set_handoff(); the step (counting from 1) travels along. */
void        digithek_guide_view_set_handoff       (DigithekGuideView *self,
                                                   DigithekHandoff   *handoff,
                                                   gboolean           prefer_local);
DigithekQrCard *digithek_guide_view_get_qr_card   (DigithekGuideView *self);

/* ---- a11y ---- */
/* (nullable) (transfer none): the "Read aloud" button of the step shown. */
GtkWidget *digithek_guide_view_get_read_aloud_button (DigithekGuideView *self);
/* (transfer full) (nullable): what it reads: the step's heading and body as plain text. */
char      *digithek_guide_view_get_read_aloud_text   (DigithekGuideView *self);

G_END_DECLS
