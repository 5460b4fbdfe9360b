/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "digithek-handoff.h"
#include "digithek-markdown.h"
#include "digithek-qr-card.h"
#include "digithek-store.h"

G_BEGIN_DECLS

#define DIGITHEK_TYPE_EXPLAINER_VIEW (digithek_explainer_view_get_type ())
G_DECLARE_FINAL_TYPE (DigithekExplainerView, digithek_explainer_view, DIGITHEK, EXPLAINER_VIEW, AdwBin)

/**
 * digithek_explainer_view_new:
 * @store: where the body and the image come from
 * @item: an explainer item from digithek_store_get_item_finish(); copied from
 * @manifest: (nullable): @item's manifest, parsed (digithek_json_parse_object())
 *
 * @item's title, summary, image and Markdown body in @item's language. The body is the
 * Markdown file the manifest names for that language (falling back to the base
 * language, then to the first one given); it loads from @store afterwards.
 */
GtkWidget        *digithek_explainer_view_new          (DigithekStore         *store,
                                                        DigithekStoreItem     *item,
                                                        JsonObject            *manifest);
/* %TRUE until the body and image are shown (or failed to load). */
gboolean          digithek_explainer_view_get_loading  (DigithekExplainerView *self);
DigithekMarkdown *digithek_explainer_view_get_markdown (DigithekExplainerView *self);
/* Where the "continue on your phone" code points (digithek_handoff_url_for_item()):
 * @handoff (nullable) is the kiosk's phone page server, @prefer_local `handoff = local`.
 * Without a call: the item's web URL only. */
void              digithek_explainer_view_set_handoff  (DigithekExplainerView *self,
                                                        DigithekHandoff       *handoff,
                                                        gboolean               prefer_local);
DigithekQrCard   *digithek_explainer_view_get_qr_card  (DigithekExplainerView *self);

/* ---- a11y ---- */
/* (transfer full): what "Read aloud" reads: title, summary and body as plain text. */
char             *digithek_explainer_view_get_read_aloud_text   (DigithekExplainerView *self);
GtkWidget        *digithek_explainer_view_get_read_aloud_button (DigithekExplainerView *self);

G_END_DECLS
