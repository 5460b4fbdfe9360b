/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-item-view.h"

G_DEFINE_INTERFACE (DigithekItemView, digithek_item_view, GTK_TYPE_WIDGET)

/* The count of digithek_item_view_begin_load() on a view. */
static GQuark pending_quark;

static guint
get_pending (DigithekItemView *self)
{
  return GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (self), pending_quark));
}

static gboolean
digithek_item_view_real_get_loading (DigithekItemView *self)
{
  return get_pending (self) > 0;
}

static guint
digithek_item_view_real_get_position (DigithekItemView *self)
{
  return 0;
}

static guint
digithek_item_view_real_get_n_positions (DigithekItemView *self)
{
  return 1;
}

static void
digithek_item_view_real_set_position (DigithekItemView *self,
                                      guint             position)
{
}

static gboolean
digithek_item_view_real_move (DigithekItemView *self)
{
  return FALSE;
}

static DigithekItemView *
digithek_item_view_real_get_inner_view (DigithekItemView  *self,
                                        const char       **out_id)
{
  return NULL;
}

static char *
digithek_item_view_real_get_read_aloud_text (DigithekItemView *self)
{
  return NULL;
}

static void
digithek_item_view_default_init (DigithekItemViewInterface *iface)
{
  pending_quark = g_quark_from_static_string ("digithek-item-view-pending");

  iface->get_loading = digithek_item_view_real_get_loading;
  iface->get_position = digithek_item_view_real_get_position;
  iface->get_n_positions = digithek_item_view_real_get_n_positions;
  iface->set_position = digithek_item_view_real_set_position;
  iface->next = digithek_item_view_real_move;
  iface->previous = digithek_item_view_real_move;
  iface->get_inner_view = digithek_item_view_real_get_inner_view;
  iface->get_read_aloud_text = digithek_item_view_real_get_read_aloud_text;

  /**
   * DigithekItemView:loading:
   *
   * %TRUE while anything in the view still loads (the window's busy state and the
   * tests wait on it).
   */
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
}

gboolean
digithek_item_view_get_loading (DigithekItemView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ITEM_VIEW (self), FALSE);
  return DIGITHEK_ITEM_VIEW_GET_IFACE (self)->get_loading (self);
}

void
digithek_item_view_set_handoff (DigithekItemView *self,
                                DigithekHandoff  *handoff,
                                gboolean          prefer_local)
{
  g_return_if_fail (DIGITHEK_IS_ITEM_VIEW (self));
  g_return_if_fail (handoff == NULL || DIGITHEK_IS_HANDOFF (handoff));
  DIGITHEK_ITEM_VIEW_GET_IFACE (self)->set_handoff (self, handoff, prefer_local);
}

guint
digithek_item_view_get_position (DigithekItemView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ITEM_VIEW (self), 0);
  return DIGITHEK_ITEM_VIEW_GET_IFACE (self)->get_position (self);
}

guint
digithek_item_view_get_n_positions (DigithekItemView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ITEM_VIEW (self), 0);
  return DIGITHEK_ITEM_VIEW_GET_IFACE (self)->get_n_positions (self);
}

void
digithek_item_view_set_position (DigithekItemView *self,
                                 guint             position)
{
  g_return_if_fail (DIGITHEK_IS_ITEM_VIEW (self));
  DIGITHEK_ITEM_VIEW_GET_IFACE (self)->set_position (self, position);
}

gboolean
digithek_item_view_next (DigithekItemView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ITEM_VIEW (self), FALSE);
  return DIGITHEK_ITEM_VIEW_GET_IFACE (self)->next (self);
}

gboolean
digithek_item_view_previous (DigithekItemView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ITEM_VIEW (self), FALSE);
  return DIGITHEK_ITEM_VIEW_GET_IFACE (self)->previous (self);
}

DigithekItemView *
digithek_item_view_get_inner_view (DigithekItemView  *self,
                                   const char       **out_id)
{
  const char *id = NULL;
  DigithekItemView *inner;

  g_return_val_if_fail (DIGITHEK_IS_ITEM_VIEW (self), NULL);
  inner = DIGITHEK_ITEM_VIEW_GET_IFACE (self)->get_inner_view (self, &id);
  if (out_id != NULL)
    *out_id = inner != NULL ? id : NULL;
  return inner;
}

const char *
digithek_item_view_get_language (DigithekItemView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ITEM_VIEW (self), NULL);
  return DIGITHEK_ITEM_VIEW_GET_IFACE (self)->get_language (self);
}

char *
digithek_item_view_get_read_aloud_text (DigithekItemView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_ITEM_VIEW (self), NULL);
  return DIGITHEK_ITEM_VIEW_GET_IFACE (self)->get_read_aloud_text (self);
}

void
digithek_item_view_begin_load (DigithekItemView *self)
{
  guint pending;

  g_return_if_fail (DIGITHEK_IS_ITEM_VIEW (self));

  pending = get_pending (self);
  g_object_set_qdata (G_OBJECT (self), pending_quark, GUINT_TO_POINTER (pending + 1));
  if (pending == 0)
    g_object_notify (G_OBJECT (self), "loading");
}

void
digithek_item_view_end_load (DigithekItemView *self)
{
  guint pending;

  g_return_if_fail (DIGITHEK_IS_ITEM_VIEW (self));

  pending = get_pending (self);
  g_return_if_fail (pending > 0);
  g_object_set_qdata (G_OBJECT (self), pending_quark, GUINT_TO_POINTER (pending - 1));
  if (pending == 1)
    g_object_notify (G_OBJECT (self), "loading");
}
