/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "digithek-handoff.h"

G_BEGIN_DECLS

/*
 * DigithekItemView: what the window asks of the view of an item, whatever its kind
 * (dataset, explainer, guide, tour), instead of switching on view types (as GNOME
 * Calendar's GcalView). Every item view implements it; the window makes the view by
 * the item's kind and then only talks to this interface.
 *
 * The interface's "loading" property is %TRUE while anything in the view still loads;
 * digithek_item_view_begin_load() and digithek_item_view_end_load() count the loads of
 * a view that keeps no count of its own.
 */

#define DIGITHEK_TYPE_ITEM_VIEW (digithek_item_view_get_type ())
G_DECLARE_INTERFACE (DigithekItemView, digithek_item_view, DIGITHEK, ITEM_VIEW, GtkWidget)

struct _DigithekItemViewInterface
{
  GTypeInterface parent_iface;

  /* Default: the count of digithek_item_view_begin_load() is above zero. */
  gboolean          (*get_loading)         (DigithekItemView *self);
  /* Required: where the "continue on your phone" codes point. */
  void              (*set_handoff)         (DigithekItemView *self,
                                            DigithekHandoff  *handoff,
                                            gboolean          prefer_local);
  /* Steps of a guide, stops of a tour; default: one position, nothing moves. */
  guint             (*get_position)        (DigithekItemView *self);
  guint             (*get_n_positions)     (DigithekItemView *self);
  void              (*set_position)        (DigithekItemView *self,
                                            guint             position);
  gboolean          (*next)                (DigithekItemView *self);
  gboolean          (*previous)            (DigithekItemView *self);
  /* Default: NULL. A tour: the view of the stop shown and its "PACK/ITEM". */
  DigithekItemView *(*get_inner_view)      (DigithekItemView *self,
                                            const char      **out_id);
  /* Required: the content language shown ("de", "en", "de-x-easy"…). */
  const char       *(*get_language)        (DigithekItemView *self);
  /* Default: NULL. What "Read aloud" reads now, as plain text. */
  char             *(*get_read_aloud_text) (DigithekItemView *self);
};

gboolean          digithek_item_view_get_loading         (DigithekItemView *self);
void              digithek_item_view_set_handoff         (DigithekItemView *self,
                                                          DigithekHandoff  *handoff,
                                                          gboolean          prefer_local);
/* The step or stop shown, counting from 0 (0 for a view of one page). */
guint             digithek_item_view_get_position        (DigithekItemView *self);
/* How many steps or stops there are (1 for a view of one page). */
guint             digithek_item_view_get_n_positions     (DigithekItemView *self);
/* Shows @position, clamped to the ones there are. */
void              digithek_item_view_set_position        (DigithekItemView *self,
                                                          guint             position);
/* Returns: %TRUE when there was a next (previous) step or stop to go to. */
gboolean          digithek_item_view_next                (DigithekItemView *self);
gboolean          digithek_item_view_previous            (DigithekItemView *self);
/* (nullable) (transfer none): the view inside this one (a tour's stop), and its
 * "PACK/ITEM" in @out_id (optional). */
DigithekItemView *digithek_item_view_get_inner_view      (DigithekItemView *self,
                                                          const char      **out_id);
const char       *digithek_item_view_get_language        (DigithekItemView *self);
/* (transfer full) (nullable): the text "Read aloud" reads now. */
char             *digithek_item_view_get_read_aloud_text (DigithekItemView *self);

/* For implementations: one more (one fewer) load pending; "loading" is notified when
 * the count leaves (reaches) zero. */
void              digithek_item_view_begin_load          (DigithekItemView *self);
void              digithek_item_view_end_load            (DigithekItemView *self);

G_END_DECLS
